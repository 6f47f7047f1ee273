/*
 * NAME
 *	eerp - OFTP End to End Response (EERP) and Negative End Response (NERP)
 * SYNOPSIS
 *	#include "oftp/eerp.h"
 * DESCRIPTION
 *	A struct eerp holds an EERP (command 'E', RFC 5024 5.3.13) or a NERP
 *	(command 'N', 5.3.14), in one of two layouts:
 *	  EERP_OFTP2	with the hash and signature length fields (EERP at
 *			least 110 octets, NERP at least 135);
 *	  EERP_OFTP14	OFTP 1.4: EERP up to EERPORIG (106 octets), NERP up
 *			to NERPREAS (128 octets), nothing after.
 *	X(n) fields are C strings without their padding. hash and sig point
 *	into caller memory (eerp_build) or into the parsed input
 *	(eerp_parse), which must outlive the struct.
 *
 *	eerp_from_sfid() fills the identity of the response to a file:
 *	DSN, date and time are the file's, EERPDEST is the file's originator
 *	and EERPORIG its final recipient (and NERPCREA defaults to it).
 *	eerp_build() appends the command octets to a buf; eerp_parse()
 *	reads a whole cursor as one command (EERP_ANY takes the layout from
 *	the length). eerp_signed_data() appends the octets that a signed
 *	EERP / NERP signs: DSN DATE TIME DEST ORIG [CREA] HASH, each field
 *	in full with its padding (94 + hash octets for an EERP, 119 + hash
 *	octets for a NERP). nerp_reason_text() gives the RFC text of a NERP
 *	reason code. sfna_reason_text() gives the text of an SFNA answer
 *	reason (SFNAREAS, 5.3.5), NULL for a code that is none;
 *	nerp_sfna() the SFNA reason a listener answers before receipt for
 *	what, after receipt, is the NERP reason given (NERP 12 "SFNA(RETRY=N)
 *	received with reason code '02'": 2), 99 (unspecified) for a NERP
 *	reason no SFNA has (34 file processing failed, ...).
 *	eerp_set_text() is the one way a NERP gets its reason text
 *	(NERPREAST): any string is made valid for the field, never a reason
 *	to fail (issue 22): a control character (C0, DEL) becomes a space,
 *	an octet that is not part of valid UTF-8 (sfid_check_utf8) a '?',
 *	and the text is cut at NERP_TEXT_MAX octets on a character
 *	boundary. An EERP and an OFTP 1.4 NERP have no text: it stays
 *	empty. Call it after eerp_init() / eerp_from_sfid().
 * DIAGNOSTICS
 *	Functions return EERP_OK (0) or an EERP_E* code, and write one line
 *	naming the field and the reason into the caller's err buffer.
 */
#ifndef OX_EERP_H
#define OX_EERP_H

#include <stddef.h>
#include <stdint.h>

#include "oftp/sfid.h"
#include "util/buf.h"
#include "util/cur.h"

#define EERP_LEN_14	106	/* OFTP 1.4 EERP */
#define NERP_LEN_14	128	/* OFTP 1.4 NERP */
#define EERP_MIN	110	/* OFTP2 EERP, unsigned */
#define NERP_MIN	135	/* OFTP2 NERP, unsigned, no reason text */
#define EERP_SIGNED_FIXED 94	/* DSN DATE TIME DEST ORIG */
#define NERP_SIGNED_FIXED 119	/* DSN DATE TIME DEST ORIG CREA */
#define NERP_TEXT_MAX	999
#define EERP_INPUT_MAX	(256 * 1024)	/* an EERP/NERP file larger is none */

enum eerp_level { EERP_OFTP2 = 0, EERP_OFTP14 = 1, EERP_ANY = 2 };

enum eerp_err {
	EERP_OK = 0,
	EERP_ECMD,	/* command octet is not 'E' / 'N' */
	EERP_ETRUNC,	/* input ends inside a field */
	EERP_ELEN,	/* wrong total length */
	EERP_ETRAIL,	/* octets after the last field */
	EERP_EDIGIT,	/* a 9(n) field holds a non-digit */
	EERP_EFIELD,	/* a field value breaks its rule */
	EERP_EREASON,	/* unknown NERP reason code */
	EERP_ENOMEM
};

struct eerp {
	char		 cmd;			/* 'E' or 'N' */
	int		 level;			/* EERP_OFTP2, EERP_OFTP14 */
	char		 dsn[SFID_DSN_LEN + 1];
	char		 date[8 + 1];
	char		 time[10 + 1];
	char		 user[SFID_USER_LEN + 1];	/* EERP only */
	char		 dest[SFID_ID_LEN + 1];	/* the file's originator */
	char		 orig[SFID_ID_LEN + 1];	/* the file's final recipient */
	char		 crea[SFID_ID_LEN + 1];	/* NERP only: its creator */
	unsigned	 reason;		/* NERP only: NERPREAS */
	char		 text[NERP_TEXT_MAX + 1];	/* NERP, OFTP2: UTF-8 */
	const uint8_t	*hash;			/* OFTP2 only */
	size_t		 hash_len;
	const uint8_t	*sig;			/* OFTP2 only: CMS SignedData */
	size_t		 sig_len;
};

void	 eerp_init(struct eerp *, char, int);
void	 eerp_set_text(struct eerp *, const char *);
void	 eerp_from_sfid(struct eerp *, const struct sfid *, char, int);
int	 eerp_validate(const struct eerp *, char *, size_t);
int	 eerp_build(const struct eerp *, struct buf *, char *, size_t);
int	 eerp_parse(struct eerp *, struct cur *, int, char *, size_t);
int	 eerp_signed_data(const struct eerp *, struct buf *, char *, size_t);
const char *nerp_reason_text(unsigned);
const char *sfna_reason_text(unsigned);
unsigned nerp_sfna(unsigned);
const char *eerp_strerror(int);

#endif
