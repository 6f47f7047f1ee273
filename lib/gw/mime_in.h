/*
 * NAME
 *	mime_in - a MIME entity at the start of an OFTP payload, split into
 *	the parts that become X.400 body parts (GMime 3)
 * SYNOPSIS
 *	#include "gw/mime_in.h"
 *
 *	struct mime_in m;
 *
 *	if (mime_in_detect(fd) == 1) {
 *		mime_in_init(&m);
 *		m.ctypes = ct;		(NULL: no table choice)
 *		m.mode = CTYPES_1988;
 *		e = mime_in_parse(&m, fd, tmpdir, max, err, sizeof(err));
 *		... m.v[0 .. m.n - 1]: bp, oid, fd, len, filename ...
 *		mime_in_free(&m);
 *	}
 *	mime_in_shutdown();	(once, at exit)
 * DESCRIPTION
 *	mime_in_detect() says whether a payload starts with a MIME header:
 *	the octets before the first empty line (CR LF CR LF or LF LF), at
 *	most MIME_IN_HEAD_MAX of them, are all header lines (a field name
 *	of printable ASCII without ':' and spaces, then ':'; or, after the
 *	first line, a continuation line starting with a space or a tab),
 *	and one of the fields is MIME-Version or Content-Type (names
 *	compared without case). Anything else (no empty line in reach, a
 *	line that is no header, no MIME field) is no MIME.
 *	mime_in_detect_buf() says the same of the start of a payload that
 *	is in memory (the first MIME_IN_HEAD_MAX octets, or all of it).
 *	mime_in_b64_step() is GMime's base64 decode step, faster: the
 *	octets and the state of g_mime_encoding_base64_decode_step() for
 *	any input cut into any steps ('=' ends the data; out has room for
 *	3/4 of len + 3).
 *
 *	mime_in_parse() parses the payload with GMime (the parser keeps the
 *	content in the file: nothing is slurped) and walks it:
 *	  - multipart/any (but multipart/signed as below): each child in turn,
 *	    nested at most MIME_IN_MAX_DEPTH deep; one with no child is
 *	    corrupt;
 *	  - multipart/signed with protocol application/(x-)pkcs7-signature:
 *	    one part, an attached CMS SignedData: the detached signature's
 *	    ContentInfo with the signed MIME entity (the first child, written
 *	    as GMime re-serialises it, lines ending CR LF, the canonical form
 *	    that was signed) put in as eContent. The result is what "openssl
 *	    cms -verify -inform DER" verifies without the MIME;
 *	  - message/rfc822: one part, the message octets;
 *	  - any other part: its decoded content; a text part, and
 *	    application/EDIFACT, EDI-X12 and EDI-consent, in a charset other
 *	    than US-ASCII or ISO 8859-1 is converted to ISO 8859-1 with iconv
 *	    (data that does not convert stays as it was and is no text).
 *	Each part's body part comes from the content-type table m.ctypes
 *	(gw/ctypes, oxgate-content-types(5)) for its MIME type, charset
 *	parameter and m.mode (CTYPES_1984 / CTYPES_1988): the first choice
 *	of its line that fits the decoded data (text: no control octets but
 *	TAB CR LF FF; ascii: text and 7-bit; named: a filename) gives bp
 *	and, for an FTBP, oid; a type the table has no line for is BP14.
 *	For "tunnel" the part's file holds the whole MIME entity instead
 *	(its header fields, an empty line and its content with the transfer
 *	encoding kept, lines ending CR LF). With m.ctypes NULL (the caller's
 *	default after mime_in_init()) bp is CTYPES_BP_NONE: the caller has
 *	a fixed body part and uses the decoded data.
 *	Content-Transfer-Encoding base64, quoted-printable and uuencode are
 *	decoded while the content is copied, 64 KiB at a time, into an
 *	anonymous temporary file in tmpdir (part fd, length len); text
 *	line ends become CR LF. At most MIME_IN_MAX_PARTS parts; decoded
 *	octets of all parts together at most max.
 *
 *	The filename is sanitised: its last path component (after '/' or
 *	'\'), control octets and DEL dropped, "." and ".." refused (no
 *	name), at most MIME_IN_NAME_MAX octets. The subject is the Subject
 *	field decoded (RFC 2047) to UTF-8.
 *
 *	The From, To and Cc fields give their mailboxes (addr-spec and
 *	display name decoded to UTF-8; the members of a group are taken
 *	one by one), at most MIME_IN_ADDRS per field, more are dropped;
 *	an addr-spec longer than MIME_IN_ADDR_LEN is dropped; a route-addr
 *	keeps its route in front of the addr-spec ("@a,@b:user@host",
 *	spaces left out: RFC 2156 4.3.4 maps it whole). Message-ID
 *	gives msgid, "<" id ">" (empty when absent or too long).
 *	In-Reply-To and References give their items (RFC 822 4.6.3,
 *	*(phrase / msg-id)): each msg-id with its angle brackets, each
 *	phrase as its words (quotes and comments removed, one space
 *	between), at most MIME_IN_REFS per field of at most MIME_IN_REF_LEN
 *	octets; more, longer ones and octets outside printable ASCII are
 *	dropped.
 * DIAGNOSTICS
 *	mime_in_detect() returns 1 (MIME), 0 (not MIME) or -1 (read error,
 *	errno set). mime_in_parse() returns MIME_IN_OK or an error code
 *	with one line in err; MIME_IN_ECORRUPT for anything GMime calls
 *	malformed or truncated (multipart without boundary or child,
 *	conflicting fields, bad header names, nesting too deep, a signed
 *	multipart whose signature is no CMS SignedData), MIME_IN_ETOOMANY,
 *	MIME_IN_EBIG, MIME_IN_EIO (temporary file, errno-like failure).
 *	m is to be freed with mime_in_free() in every case.
 */
#ifndef OX_MIME_IN_H
#define OX_MIME_IN_H

#include <stddef.h>
#include <stdint.h>

#include "gw/ctypes.h"

#define MIME_IN_HEAD_MAX	65536	/* header octets looked at */
#define MIME_IN_MAX_PARTS	50	/* the product's multipart limit */
#define MIME_IN_MAX_DEPTH	8	/* multipart nesting */
#define MIME_IN_NAME_MAX	255	/* a filename, octets (FTAM part) */
#define MIME_IN_TYPE_MAX	96
#define MIME_IN_SUBJECT_MAX	1024
#define MIME_IN_ADDRS		16	/* mailboxes kept per field */
#define MIME_IN_ADDR_LEN	1024	/* an addr-spec, octets */
#define MIME_IN_DNAME_LEN	256	/* a display name, octets (UTF-8) */
#define MIME_IN_REFS		16	/* In-Reply-To / References items */
#define MIME_IN_REF_LEN		256	/* one of them, octets */

enum mime_in_err {
	MIME_IN_OK = 0,
	MIME_IN_ECORRUPT,
	MIME_IN_ETOOMANY,
	MIME_IN_EBIG,
	MIME_IN_EIO
};

struct mime_part {
	enum ctypes_bp	 bp;		/* the table's choice; FILE is FTBP */
	char		 oid[CTYPES_OID_MAX];	/* FTBP application ref. */
	char		 type[MIME_IN_TYPE_MAX];	/* "text/plain" */
	char		 filename[MIME_IN_NAME_MAX + 1];	/* "" none */
	int		 fd;		/* decoded content, -1 none */
	uint64_t	 len;
	int		 text;		/* no control octets */
	int		 ascii;		/* ... and 7-bit */
};

/* One mailbox of From, To or Cc. */
struct mime_addr {
	char		 addr[MIME_IN_ADDR_LEN + 1];	/* addr-spec */
	char		 name[MIME_IN_DNAME_LEN];	/* "" none */
};

enum mime_in_field { MIME_IN_FROM, MIME_IN_TO, MIME_IN_CC, MIME_IN_NFIELD };

struct mime_in {
	/* set by the caller after mime_in_init() */
	const struct ctypes *ctypes;	/* NULL: no table choice */
	enum ctypes_mode mode;		/* CTYPES_1984 (P2), CTYPES_1988 */
	/* results */
	size_t		 n;
	struct mime_part v[MIME_IN_MAX_PARTS];
	int		 has_subject;
	char		 subject[MIME_IN_SUBJECT_MAX];	/* UTF-8 */
	size_t		 naddr[MIME_IN_NFIELD];
	struct mime_addr addr[MIME_IN_NFIELD][MIME_IN_ADDRS];
	char		 msgid[MIME_IN_ADDR_LEN + 3];	/* "<...>", "" none */
	size_t		 ninreplyto, nrefs;	/* "<msg-id>" or a phrase */
	char		 inreplyto[MIME_IN_REFS][MIME_IN_REF_LEN + 1];
	char		 refs[MIME_IN_REFS][MIME_IN_REF_LEN + 1];
	/* private */
	uint64_t	 total, max;
	const char	*tmpdir;
	int		 corrupt;
	char		 warn[160];
};

int	 mime_in_detect(int);
int	 mime_in_detect_buf(const void *, size_t);
size_t	 mime_in_b64_step(const uint8_t *, size_t, uint8_t *, int *,
	    uint32_t *);
void	 mime_in_init(struct mime_in *);
int	 mime_in_parse(struct mime_in *, int, const char *, uint64_t, char *,
	    size_t);
void	 mime_in_free(struct mime_in *);
void	 mime_in_sanitise(const char *, char *, size_t);
void	 mime_in_shutdown(void);

#endif
