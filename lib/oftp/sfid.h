/*
 * NAME
 *	sfid - OFTP virtual file identity: the .sfid sidecar and the SFID command
 * SYNOPSIS
 *	#include "oftp/sfid.h"
 * DESCRIPTION
 *	A struct sfid holds every field of the RFC 5024 Start File command
 *	(5.3.3), with X(n) values as C strings without their padding, 9(n)
 *	values as integers (date and time stay strings: they are part of the
 *	file's identity and are kept exactly), and the description in UTF-8.
 *	It also keeps the pairs of the optional [oxgate] section of the
 *	sidecar, which the toolkit uses for its own correlation data.
 *
 *	sfid_init() sets the defaults of the optional fields (see
 *	oxgate-sfid(5)). sfid_validate() checks every field by the rules of
 *	RFC 5024 5.1 and 5.3.3. sfid_read_file() loads a .sfid file
 *	(iniparser); sfid_set() sets one field from its text as a key of
 *	the file's [sfid] section gives it (the same rules: the key
 *	"dsn", "date", ... of oxgate-sfid(5)); sfid_get() writes one field
 *	as that text (returns snprintf()'s count, -1 for an unknown key);
 *	sfid_write() renders one into a buf, to be committed
 *	with afile. sfid_parse_h() and sfid_build_h() read and write the SFID
 *	command octets ('H'), exactly to the octet. sfid_stamp() formats a
 *	time as SFIDDATE / SFIDTIME with a counter. sfid_dsn_from() makes a
 *	VDSN (SFIDDSN, X(26)) from any UTF-8 text: upper case, the German
 *	letters spelled out (ae oe ue ss: AE OE UE SS, a letter that would
 *	not fit whole ends the name), the other characters of the X set
 *	kept, every run of others one '.', no '.' at either end, at most
 *	SFID_DSN_LEN (may be empty).
 *
 *	The field codec (sfid_check_*, sfid_get_*, sfid_put_*) is shared with
 *	the eerp module, whose commands use the same field types.
 * DIAGNOSTICS
 *	Functions return SFID_OK (0) or an SFID_E* code, and write one line
 *	into the caller's err buffer naming the key or field and saying why,
 *	e.g. "dsn: character '@' not allowed". They never print or exit.
 *	sfid_read_file() is not thread-safe (iniparser's error callback is
 *	global).
 */
#ifndef OX_SFID_H
#define OX_SFID_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/buf.h"
#include "util/cur.h"

#define SFID_DSN_LEN	26	/* X(26) */
#define SFID_USER_LEN	8	/* X(8) */
#define SFID_ID_LEN	25	/* X(25): an ODETTE ID (5.4) */
#define SFID_DESC_MAX	999	/* octets of UTF-8 */
#define SFID_LRECL_MAX	99999
#define SFID_H_MIN	165	/* SFID command without description */
#define SFID_H_MAX	(SFID_H_MIN + SFID_DESC_MAX)
#define SFID_OX_MAX	32	/* pairs in [oxgate] */
#define SFID_OX_KEY_MAX	64
#define SFID_OX_VAL_MAX	256
#define SFID_FILE_MAX	65536	/* a .sfid file larger than this is refused */

enum sfid_err {
	SFID_OK = 0,
	SFID_EFIELD,	/* a field value breaks its rule */
	SFID_EMISSING,	/* a required key is missing */
	SFID_EKEY,	/* unknown key or section */
	SFID_ESYNTAX,	/* the INI file does not parse */
	SFID_EIO,	/* cannot read the file */
	SFID_ECMD,	/* SFID command octet is not 'H' */
	SFID_ETRUNC,	/* SFID command shorter than its fields say */
	SFID_ETRAIL,	/* octets after the SFID command */
	SFID_ELIMIT,	/* too many [oxgate] pairs, value too long */
	SFID_ENOMEM
};

struct sfid_pair {
	char	 key[SFID_OX_KEY_MAX + 1];
	char	 val[SFID_OX_VAL_MAX + 1];
};

struct sfid {
	char	 dsn[SFID_DSN_LEN + 1];		/* SFIDDSN */
	char	 date[8 + 1];			/* SFIDDATE, CCYYMMDD */
	char	 time[10 + 1];			/* SFIDTIME, HHMMSScccc */
	char	 user[SFID_USER_LEN + 1];	/* SFIDUSER, "" = spaces */
	char	 dest[SFID_ID_LEN + 1];		/* SFIDDEST, final recipient */
	char	 orig[SFID_ID_LEN + 1];		/* SFIDORIG, originator */
	char	 format;			/* SFIDFMT: F V U T */
	uint32_t lrecl;				/* SFIDLRECL */
	uint64_t fsize;				/* SFIDFSIZ, 1 KiB blocks */
	uint64_t osize;				/* SFIDOSIZ, 1 KiB blocks */
	uint64_t rest;				/* SFIDREST (H record only) */
	unsigned sec;				/* SFIDSEC 0-3 */
	unsigned ciph;				/* SFIDCIPH 0-6 */
	unsigned comp;				/* SFIDCOMP 0/1 */
	unsigned env;				/* SFIDENV 0/1 */
	char	 sign;				/* SFIDSIGN: Y N */
	char	 desc[SFID_DESC_MAX + 1];	/* SFIDDESC, UTF-8 */
	unsigned nox;				/* [oxgate] pairs */
	struct sfid_pair ox[SFID_OX_MAX];
};

void	 sfid_init(struct sfid *);
int	 sfid_validate(const struct sfid *, char *, size_t);
int	 sfid_read_file(struct sfid *, const char *, char *, size_t);
int	 sfid_set(struct sfid *, const char *, const char *, char *, size_t);
int	 sfid_get(const struct sfid *, const char *, char *, size_t);
int	 sfid_write(const struct sfid *, struct buf *, char *, size_t);
int	 sfid_parse_h(struct sfid *, struct cur *, char *, size_t);
int	 sfid_build_h(const struct sfid *, struct buf *, char *, size_t);
int	 sfid_stamp(time_t, unsigned, char [9], char [11]);
void	 sfid_dsn_from(const char *, char [SFID_DSN_LEN + 1]);
int	 sfid_ox_set(struct sfid *, const char *, const char *, char *,
	    size_t);
const char *sfid_ox_get(const struct sfid *, const char *);
const char *sfid_strerror(int);

/* Field codec shared with eerp: checks name the field with the key. */
int	 sfid_check_x(const char *, const char *, size_t, int, char *, size_t);
int	 sfid_check_date(const char *, const char *, char *, size_t);
int	 sfid_check_time(const char *, const char *, char *, size_t);
int	 sfid_check_utf8(const char *, const uint8_t *, size_t, size_t,
	    char *, size_t);
int	 sfid_get_x(struct cur *, const char *, size_t, char *, char *,
	    size_t);
int	 sfid_get_9(struct cur *, const char *, size_t, uint64_t *, char *,
	    size_t);
int	 sfid_get_spaces(struct cur *, const char *, size_t, char *, size_t);
int	 sfid_put_x(struct buf *, const char *, size_t);
int	 sfid_put_9(struct buf *, uint64_t, size_t);

#endif
