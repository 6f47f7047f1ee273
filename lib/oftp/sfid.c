/*
 * NAME
 *	sfid - OFTP virtual file identity (see sfid.h)
 * DESCRIPTION
 *	Field rules (RFC 5024 5.1, 5.3.3):
 *	  X(n)	0-9 A-Z / - . & ( ) and space; left-justified, padded
 *		with spaces; no space inside a value.
 *	  9(n)	decimal digits, right-justified, zero-padded.
 *	  date	CCYYMMDD, a real Gregorian date.
 *	  time	HHMMSScccc, 00-23 / 00-59 / 00-59, counter 0001-9999 (1.5.2).
 *	  desc	UTF-8 (no overlong forms, surrogates or code points above
 *		U+10FFFF), at most 999 octets; NUL, CR and LF are refused
 *		because a .sfid line cannot carry them.
 *	Consistency: T and U have lrecl 0; F and V need 1-99999. SEC 00-03,
 *	CIPH 00-06; SEC other than 00, or SIGN Y, needs a cipher suite;
 *	SEC other than 00 or COMP 1 needs ENV 1 (the file is enveloped).
 *
 *	The sidecar is read with iniparser and checked strictly: every key of
 *	the dictionary is looked at, so an unknown key or section is an error
 *	that names it; a key given twice in a section (which iniparser
 *	would quietly resolve to the last value) and a NUL octet are found
 *	on the raw text first. iniparser is called through ini(3) in
 *	lib/util, which keeps it quiet and names the line of a syntax error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/err.h"
#include "util/ini.h"
#include "oftp/sfid.h"


/* A character as it should appear in a message. */
static const char *
show_char(int c, char *tmp, size_t len)
{
	if (c > 0x20 && c < 0x7f && c != '\'')
		snprintf(tmp, len, "'%c'", c);
	else
		snprintf(tmp, len, "0x%02x", (unsigned)c & 0xff);
	return tmp;
}

static int
x_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    c == '/' || c == '-' || c == '.' || c == '&' || c == '(' ||
	    c == ')';
}

/*
 * The German letters a VDSN spells out (seed 000, "Datenaustausch BusinessMail
 * X.400 -> OFTP Anwender": the subject mapped into the VDSN): UTF-8 in, the
 * X-set transliteration out (DIN 5007-2 style: ae oe ue ss).
 */
static const struct {
	const char	*utf8, *x;
} dsn_translit[] = {
	{ "\xc3\x84", "AE" }, { "\xc3\x96", "OE" }, { "\xc3\x9c", "UE" },
	{ "\xc3\xa4", "AE" }, { "\xc3\xb6", "OE" }, { "\xc3\xbc", "UE" },
	{ "\xc3\x9f", "SS" }, { "\xe1\xba\x9e", "SS" },
};

/* The transliteration of the letter at s, its length in *n; NULL if none. */
static const char *
dsn_letter(const char *s, size_t *n)
{
	size_t	 i;

	for (i = 0; i < sizeof(dsn_translit) / sizeof(dsn_translit[0]); i++) {
		*n = strlen(dsn_translit[i].utf8);
		if (strncmp(s, dsn_translit[i].utf8, *n) == 0)
			return dsn_translit[i].x;
	}
	return NULL;
}

void
sfid_dsn_from(const char *s, char out[SFID_DSN_LEN + 1])
{
	const char *tr;
	size_t	 k = 0, n;
	int	 ch;

	for (; *s != '\0' && k < SFID_DSN_LEN; s++) {
		if ((tr = dsn_letter(s, &n)) != NULL) {
			if (k + strlen(tr) > SFID_DSN_LEN)
				break;
			memcpy(out + k, tr, strlen(tr));
			k += strlen(tr);
			s += n - 1;
			continue;
		}
		ch = (unsigned char)*s;
		if (ch >= 'a' && ch <= 'z')
			ch -= 'a' - 'A';
		if (!x_char(ch))
			ch = '.';
		if (ch == '.' && (k == 0 || out[k - 1] == '.'))
			continue;
		out[k++] = (char)ch;
	}
	while (k > 0 && out[k - 1] == '.')
		k--;
	out[k] = '\0';
}

void
sfid_init(struct sfid *s)
{
	memset(s, 0, sizeof(*s));
	s->format = 'U';
	s->sign = 'N';
}

/*
 * An X(n) value without its padding: at most max characters of the X set,
 * no space anywhere (leading, embedded, or trailing).
 */
int
sfid_check_x(const char *key, const char *v, size_t max, int required,
    char *err, size_t errlen)
{
	char	 tmp[8];
	size_t	 i, len = strlen(v);

	if (len == 0) {
		if (required)
			return errf(err, errlen, SFID_EFIELD,
			    "%s: empty, a value is required", key);
		return SFID_OK;
	}
	if (len > max)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: %zu characters, at most %zu allowed", key, len, max);
	for (i = 0; i < len; i++) {
		if (v[i] == ' ')
			return errf(err, errlen, SFID_EFIELD,
			    "%s: %s space not allowed", key,
			    i == 0 ? "leading" : "embedded");
		if (!x_char((unsigned char)v[i]))
			return errf(err, errlen, SFID_EFIELD,
			    "%s: character %s not allowed%s", key,
			    show_char((unsigned char)v[i], tmp, sizeof(tmp)),
			    islower((unsigned char)v[i]) ?
			    " (upper case only)" : "");
	}
	return SFID_OK;
}

static int
all_digits(const char *v, size_t n)
{
	size_t	 i;

	if (strlen(v) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

static unsigned
num_at(const char *v, size_t n)
{
	unsigned u = 0;

	while (n-- > 0)
		u = u * 10 + (unsigned)(*v++ - '0');
	return u;
}

int
sfid_check_date(const char *key, const char *v, char *err, size_t errlen)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	unsigned y, m, d, dim;

	if (!all_digits(v, 8))
		return errf(err, errlen, SFID_EFIELD,
		    "%s: '%s' is not 8 digits CCYYMMDD", key, v);
	y = num_at(v, 4);
	m = num_at(v + 4, 2);
	d = num_at(v + 6, 2);
	if (m < 1 || m > 12)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: month %02u out of range 01-12", key, m);
	dim = mdays[m - 1];
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		dim = 29;
	if (d < 1 || d > dim)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: day %02u out of range 01-%02u for %.6s", key, d, dim,
		    v);
	return SFID_OK;
}

int
sfid_check_time(const char *key, const char *v, char *err, size_t errlen)
{
	if (!all_digits(v, 10))
		return errf(err, errlen, SFID_EFIELD,
		    "%s: '%s' is not 10 digits HHMMSScccc", key, v);
	if (num_at(v, 2) > 23)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: hour %.2s out of range 00-23", key, v);
	if (num_at(v + 2, 2) > 59)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: minute %.2s out of range 00-59", key, v + 2);
	if (num_at(v + 4, 2) > 59)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: second %.2s out of range 00-59", key, v + 4);
	if (num_at(v + 6, 4) == 0)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: counter 0000 out of range 0001-9999", key);
	return SFID_OK;
}

/*
 * Strict UTF-8 of at most max octets, without NUL, CR or LF. The error
 * gives the octet offset of the first bad sequence.
 */
int
sfid_check_utf8(const char *key, const uint8_t *p, size_t len, size_t max,
    char *err, size_t errlen)
{
	size_t	 i = 0, k, n;
	uint32_t cp, min;

	if (len > max)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: %zu octets, at most %zu allowed", key, len, max);
	while (i < len) {
		uint8_t b = p[i];

		if (b == 0 || b == '\r' || b == '\n')
			return errf(err, errlen, SFID_EFIELD,
			    "%s: control character 0x%02x at octet %zu not "
			    "allowed", key, b, i);
		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xc2 && b <= 0xdf) {
			n = 1;
			cp = b & 0x1f;
			min = 0x80;
		} else if (b >= 0xe0 && b <= 0xef) {
			n = 2;
			cp = b & 0x0f;
			min = 0x800;
		} else if (b >= 0xf0 && b <= 0xf4) {
			n = 3;
			cp = b & 0x07;
			min = 0x10000;
		} else
			return errf(err, errlen, SFID_EFIELD,
			    "%s: invalid UTF-8 octet 0x%02x at octet %zu", key,
			    b, i);
		if (len - i - 1 < n)
			return errf(err, errlen, SFID_EFIELD,
			    "%s: truncated UTF-8 sequence at octet %zu", key, i);
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return errf(err, errlen, SFID_EFIELD,
				    "%s: invalid UTF-8 sequence at octet %zu",
				    key, i);
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return errf(err, errlen, SFID_EFIELD,
			    "%s: invalid UTF-8 (overlong, surrogate or beyond "
			    "U+10FFFF) at octet %zu", key, i);
		i += n + 1;
	}
	return SFID_OK;
}

int
sfid_validate(const struct sfid *s, char *err, size_t errlen)
{
	int	 rc;

	if ((rc = sfid_check_x("dsn", s->dsn, SFID_DSN_LEN, 1, err,
	    errlen)) != SFID_OK ||
	    (rc = sfid_check_date("date", s->date, err, errlen)) != SFID_OK ||
	    (rc = sfid_check_time("time", s->time, err, errlen)) != SFID_OK ||
	    (rc = sfid_check_x("user", s->user, SFID_USER_LEN, 0, err,
	    errlen)) != SFID_OK ||
	    (rc = sfid_check_x("dest", s->dest, SFID_ID_LEN, 1, err,
	    errlen)) != SFID_OK ||
	    (rc = sfid_check_x("orig", s->orig, SFID_ID_LEN, 1, err,
	    errlen)) != SFID_OK)
		return rc;
	switch (s->format) {
	case 'T':
	case 'U':
		if (s->lrecl != 0)
			return errf(err, errlen, SFID_EFIELD,
			    "lrecl: must be 0 for format %c, not %u", s->format,
			    (unsigned)s->lrecl);
		break;
	case 'F':
	case 'V':
		if (s->lrecl == 0 || s->lrecl > SFID_LRECL_MAX)
			return errf(err, errlen, SFID_EFIELD,
			    "lrecl: must be 1-99999 for format %c, not %u",
			    s->format, (unsigned)s->lrecl);
		break;
	default:
		return errf(err, errlen, SFID_EFIELD,
		    "format: must be F, V, U or T");
	}
	if (s->fsize > 9999999999999ULL)
		return errf(err, errlen, SFID_EFIELD,
		    "fsize: more than 13 digits");
	if (s->osize > 9999999999999ULL)
		return errf(err, errlen, SFID_EFIELD,
		    "osize: more than 13 digits");
	if (s->rest > 99999999999999999ULL)
		return errf(err, errlen, SFID_EFIELD,
		    "rest: more than 17 digits");
	if (s->sec > 3)
		return errf(err, errlen, SFID_EFIELD,
		    "sec: %02u not one of 00 01 02 03", s->sec);
	if (s->ciph > 6)
		return errf(err, errlen, SFID_EFIELD,
		    "ciph: %02u not a cipher suite 00-06", s->ciph);
	if (s->comp > 1)
		return errf(err, errlen, SFID_EFIELD,
		    "comp: %u not 0 or 1", s->comp);
	if (s->env > 1)
		return errf(err, errlen, SFID_EFIELD,
		    "env: %u not 0 or 1", s->env);
	if (s->sign != 'Y' && s->sign != 'N')
		return errf(err, errlen, SFID_EFIELD, "sign: not Y or N");
	if (s->sec != 0 && s->ciph == 0)
		return errf(err, errlen, SFID_EFIELD,
		    "ciph: 00 but sec %02u needs a cipher suite", s->sec);
	if (s->sign == 'Y' && s->ciph == 0)
		return errf(err, errlen, SFID_EFIELD,
		    "ciph: 00 but a signed EERP (sign Y) needs a cipher suite");
	if ((s->sec != 0 || s->comp != 0) && s->env == 0)
		return errf(err, errlen, SFID_EFIELD,
		    "env: 0 but the file is %s, so it must be enveloped (1)",
		    s->sec != 0 ? "secured" : "compressed");
	return sfid_check_utf8("desc", (const uint8_t *)s->desc,
	    strnlen(s->desc, sizeof(s->desc)), SFID_DESC_MAX, err, errlen);
}

/* [oxgate] keys: a lower case letter, then lower case, digits, _ - . */
static int
ox_key_ok(const char *k)
{
	size_t	 i, n = strlen(k);

	if (n == 0 || n > SFID_OX_KEY_MAX || k[0] < 'a' || k[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
		    (k[i] >= '0' && k[i] <= '9') || k[i] == '_' ||
		    k[i] == '-' || k[i] == '.'))
			return 0;
	return 1;
}

int
sfid_ox_set(struct sfid *s, const char *key, const char *val, char *err,
    size_t errlen)
{
	char	 field[SFID_OX_KEY_MAX + 16];
	unsigned i;
	int	 rc;

	if (!ox_key_ok(key))
		return errf(err, errlen, SFID_EKEY,
		    "oxgate: key '%.64s' not of the form [a-z][a-z0-9_.-]* "
		    "(at most 64)", key);
	snprintf(field, sizeof(field), "oxgate.%s", key);
	if ((rc = sfid_check_utf8(field, (const uint8_t *)val, strlen(val),
	    SFID_OX_VAL_MAX, err, errlen)) != SFID_OK)
		return rc == SFID_EFIELD && strlen(val) > SFID_OX_VAL_MAX ?
		    SFID_ELIMIT : rc;
	if (strchr(val, '"') != NULL && strchr(val, '\'') != NULL)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: a value cannot hold both ' and \"", field);
	for (i = 0; i < s->nox; i++)
		if (strcmp(s->ox[i].key, key) == 0)
			break;
	if (i == s->nox) {
		if (s->nox == SFID_OX_MAX)
			return errf(err, errlen, SFID_ELIMIT,
			    "oxgate: more than %d keys", SFID_OX_MAX);
		s->nox++;
	}
	snprintf(s->ox[i].key, sizeof(s->ox[i].key), "%s", key);
	snprintf(s->ox[i].val, sizeof(s->ox[i].val), "%s", val);
	return SFID_OK;
}

const char *
sfid_ox_get(const struct sfid *s, const char *key)
{
	unsigned i;

	for (i = 0; i < s->nox; i++)
		if (strcmp(s->ox[i].key, key) == 0)
			return s->ox[i].val;
	return NULL;
}

/* A 9(n) value in the sidecar: 1 to n digits (leading zeros allowed). */
static int
ini_num(const char *key, const char *v, size_t n, uint64_t max,
    uint64_t *out, char *err, size_t errlen)
{
	uint64_t u = 0;
	size_t	 i, len = strlen(v);

	if (len == 0 || len > n)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: '%.32s' is not a number of 1 to %zu digits", key, v,
		    n);
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return errf(err, errlen, SFID_EFIELD,
			    "%s: '%.32s' is not a number of 1 to %zu digits",
			    key, v, n);
		u = u * 10 + (uint64_t)(v[i] - '0');
	}
	if (u > max)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: %llu is above %llu", key, (unsigned long long)u,
		    (unsigned long long)max);
	*out = u;
	return SFID_OK;
}

static int
ini_str(const char *key, const char *v, char *dst, size_t size, char *err,
    size_t errlen)
{
	if (strlen(v) >= size)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: %zu characters, at most %zu allowed", key, strlen(v),
		    size - 1);
	memcpy(dst, v, strlen(v) + 1);
	return SFID_OK;
}

enum {
	K_DSN, K_DATE, K_TIME, K_USER, K_DEST, K_ORIG, K_FORMAT, K_LRECL,
	K_FSIZE, K_OSIZE, K_SEC, K_CIPH, K_COMP, K_ENV, K_SIGN, K_DESC, K_N
};
static const char *const sfid_keys[K_N] = { "dsn", "date", "time", "user",
	"dest", "orig", "format", "lrecl", "fsize", "osize", "sec", "ciph",
	"comp", "env", "sign", "desc" };
#define K_REQUIRED	((1u << K_DSN) | (1u << K_DATE) | (1u << K_TIME) | \
			 (1u << K_DEST) | (1u << K_ORIG) | (1u << K_FORMAT))

static int
ini_field(struct sfid *s, int k, const char *v, char *err, size_t errlen)
{
	uint64_t u;
	int	 rc;

	switch (k) {
	case K_DSN:
		return ini_str("dsn", v, s->dsn, sizeof(s->dsn), err, errlen);
	case K_DATE:
		return ini_str("date", v, s->date, sizeof(s->date), err,
		    errlen);
	case K_TIME:
		return ini_str("time", v, s->time, sizeof(s->time), err,
		    errlen);
	case K_USER:
		return ini_str("user", v, s->user, sizeof(s->user), err,
		    errlen);
	case K_DEST:
		return ini_str("dest", v, s->dest, sizeof(s->dest), err,
		    errlen);
	case K_ORIG:
		return ini_str("orig", v, s->orig, sizeof(s->orig), err,
		    errlen);
	case K_FORMAT:
		if (strlen(v) != 1 || strchr("FVUT", v[0]) == NULL)
			return errf(err, errlen, SFID_EFIELD,
			    "format: '%.32s' is not F, V, U or T", v);
		s->format = v[0];
		return SFID_OK;
	case K_SIGN:
		if (strcmp(v, "Y") != 0 && strcmp(v, "N") != 0)
			return errf(err, errlen, SFID_EFIELD,
			    "sign: '%.32s' is not Y or N", v);
		s->sign = v[0];
		return SFID_OK;
	case K_DESC:
		return ini_str("desc", v, s->desc, sizeof(s->desc), err,
		    errlen);
	case K_LRECL:
		if ((rc = ini_num("lrecl", v, 5, 99999, &u, err, errlen)) ==
		    SFID_OK)
			s->lrecl = (uint32_t)u;
		return rc;
	case K_FSIZE:
		return ini_num("fsize", v, 13, 9999999999999ULL, &s->fsize,
		    err, errlen);
	case K_OSIZE:
		return ini_num("osize", v, 13, 9999999999999ULL, &s->osize,
		    err, errlen);
	case K_SEC:
	case K_CIPH:
		if ((rc = ini_num(sfid_keys[k], v, 2, 99, &u, err, errlen)) !=
		    SFID_OK)
			return rc;
		*(k == K_SEC ? &s->sec : &s->ciph) = (unsigned)u;
		return SFID_OK;
	case K_COMP:
	case K_ENV:
		if ((rc = ini_num(sfid_keys[k], v, 1, 9, &u, err, errlen)) !=
		    SFID_OK)
			return rc;
		*(k == K_COMP ? &s->comp : &s->env) = (unsigned)u;
		return SFID_OK;
	}
	return errf(err, errlen, SFID_EKEY, "internal: key %d", k);
}

/* The index of a [sfid] key, or K_N. */
static int
key_index(const char *name)
{
	int	 k;

	for (k = 0; k < K_N; k++)
		if (strcmp(name, sfid_keys[k]) == 0)
			break;
	return k;
}

int
sfid_set(struct sfid *s, const char *key, const char *val, char *err,
    size_t errlen)
{
	int	 k = key_index(key);

	if (k == K_N)
		return errf(err, errlen, SFID_EKEY, "unknown key '%.64s'", key);
	return ini_field(s, k, val, err, errlen);
}

int
sfid_get(const struct sfid *s, const char *key, char *dst, size_t size)
{
	switch (key_index(key)) {
	case K_DSN: return snprintf(dst, size, "%s", s->dsn);
	case K_DATE: return snprintf(dst, size, "%s", s->date);
	case K_TIME: return snprintf(dst, size, "%s", s->time);
	case K_USER: return snprintf(dst, size, "%s", s->user);
	case K_DEST: return snprintf(dst, size, "%s", s->dest);
	case K_ORIG: return snprintf(dst, size, "%s", s->orig);
	case K_FORMAT: return snprintf(dst, size, "%c", s->format);
	case K_LRECL: return snprintf(dst, size, "%u", (unsigned)s->lrecl);
	case K_FSIZE: return snprintf(dst, size, "%llu",
	    (unsigned long long)s->fsize);
	case K_OSIZE: return snprintf(dst, size, "%llu",
	    (unsigned long long)s->osize);
	case K_SEC: return snprintf(dst, size, "%02u", s->sec);
	case K_CIPH: return snprintf(dst, size, "%02u", s->ciph);
	case K_COMP: return snprintf(dst, size, "%u", s->comp);
	case K_ENV: return snprintf(dst, size, "%u", s->env);
	case K_SIGN: return snprintf(dst, size, "%c", s->sign);
	case K_DESC: return snprintf(dst, size, "%s", s->desc);
	}
	return -1;
}

static int
sfid_from_dict(struct sfid *s, const dictionary *d, char *err, size_t errlen)
{
	const char *key, *name, *val, *colon;
	unsigned seen = 0;
	ssize_t	 i;
	int	 k, rc, have_sfid = 0;

	for (i = 0; i < d->size; i++) {
		if ((key = d->key[i]) == NULL)
			continue;
		val = d->val[i] != NULL ? d->val[i] : "";
		if ((colon = strchr(key, ':')) == NULL) {
			if (strcmp(key, "sfid") == 0)
				have_sfid = 1;
			else if (strcmp(key, "oxgate") != 0)
				return errf(err, errlen, SFID_EKEY,
				    "unknown section [%.64s]", key);
			continue;
		}
		name = colon + 1;
		if (colon == key)
			return errf(err, errlen, SFID_EKEY,
			    "key '%.64s' outside any section", name);
		if (strncmp(key, "sfid:", 5) == 0) {
			if ((k = key_index(name)) == K_N)
				return errf(err, errlen, SFID_EKEY,
				    "unknown key '%.64s' in [sfid]", name);
			if ((rc = ini_field(s, k, val, err, errlen)) !=
			    SFID_OK)
				return rc;
			seen |= 1u << k;
		} else if (strncmp(key, "oxgate:", 7) == 0) {
			if ((rc = sfid_ox_set(s, name, val, err, errlen)) !=
			    SFID_OK)
				return rc;
		} else
			return errf(err, errlen, SFID_EKEY,
			    "unknown section [%.*s]", (int)(colon - key), key);
	}
	if (!have_sfid)
		return errf(err, errlen, SFID_EMISSING,
		    "section [sfid] missing");
	for (k = 0; k < K_N; k++)
		if ((K_REQUIRED & (1u << k)) && !(seen & (1u << k)))
			return errf(err, errlen, SFID_EMISSING,
			    "%s: required key missing", sfid_keys[k]);
	return sfid_validate(s, err, errlen);
}

/*
 * What iniparser does not say, checked on the raw text first: a NUL octet
 * (it ends a line for iniparser: "line too long"), and a key given twice
 * in a section (iniparser keeps the last value, so a second "orig =" put
 * after a description by a careless writer would win silently). A line
 * ending in '\\' continues on the next, which is then no key line.
 */
static int
prescan(const char *path, char *err, size_t errlen)
{
	char	 b[SFID_FILE_MAX + 1], sec[64] = "", seen[64][96];
	size_t	 n, nseen = 0, i, k;
	char	*z, *line, *next, *e;
	int	 lineno = 0, cont = 0;
	FILE	*f;

	if ((f = fopen(path, "rb")) == NULL)
		return errf(err, errlen, SFID_EIO, "%s: %s", path,
		    strerror(errno));
	n = fread(b, 1, sizeof(b) - 1, f);
	fclose(f);
	b[n] = '\0';
	if ((z = memchr(b, '\0', n)) != NULL)
		return errf(err, errlen, SFID_ESYNTAX, "%s: NUL octet at octet "
		    "%zu (a .sfid file is text)", path, (size_t)(z - b));
	for (line = b; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		k = strlen(line);
		while (k > 0 && (line[k - 1] == '\r' || line[k - 1] == ' ' ||
		    line[k - 1] == '\t'))
			line[--k] = '\0';
		if (cont) {
			cont = k > 0 && line[k - 1] == '\\';
			continue;
		}
		cont = k > 0 && line[k - 1] == '\\';
		line += strspn(line, " \t");
		if (*line == '[' && (e = strchr(line, ']')) != NULL) {
			snprintf(sec, sizeof(sec), "%.*s", (int)(e - line - 1),
			    line + 1);
			continue;
		}
		if (*line == '#' || *line == ';' ||
		    (e = strpbrk(line, "=:")) == NULL)
			continue;
		while (e > line && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (nseen == sizeof(seen) / sizeof(seen[0]))
			continue;	/* more keys than any .sfid has */
		snprintf(seen[nseen], sizeof(seen[0]), "%s:%.*s", sec,
		    (int)(e - line), line);
		for (i = 0; i < nseen; i++)
			if (strcasecmp(seen[i], seen[nseen]) == 0)
				return errf(err, errlen, SFID_ESYNTAX, "%s: line "
				    "%d: [%s] %.*s given twice", path, lineno,
				    sec, (int)(e - line), line);
		nseen++;
	}
	return SFID_OK;
}

int
sfid_read_file(struct sfid *s, const char *path, char *err, size_t errlen)
{
	static const int code[] = { [INI_OK] = SFID_OK, [INI_EIO] = SFID_EIO,
		[INI_ESYNTAX] = SFID_ESYNTAX, [INI_ENOMEM] = SFID_ENOMEM };
	struct stat st;
	dictionary *d;
	int	 rc;

	sfid_init(s);
	if (stat(path, &st) == -1)
		return errf(err, errlen, SFID_EIO, "%s: %s", path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return errf(err, errlen, SFID_EIO, "%s: not a regular file",
		    path);
	if (st.st_size > SFID_FILE_MAX)
		return errf(err, errlen, SFID_ELIMIT,
		    "%s: %lld octets, a .sfid file has at most %d", path,
		    (long long)st.st_size, SFID_FILE_MAX);
	if ((rc = prescan(path, err, errlen)) != SFID_OK)
		return rc;
	if ((rc = code[ini_load(path, &d, NULL, err, errlen)]) != SFID_OK)
		return rc;
	rc = sfid_from_dict(s, d, err, errlen);
	iniparser_freedict(d);
	return rc;
}

/* A value in quotes that iniparser gives back as is; none if impossible. */
static int
put_quoted(struct buf *b, const char *key, const char *v)
{
	if (*v == '\0')
		return buf_addf(b, "%s =\n", key);
	if (strchr(v, '"') == NULL)
		return buf_addf(b, "%s = \"%s\"\n", key, v);
	if (strchr(v, '\'') == NULL)
		return buf_addf(b, "%s = '%s'\n", key, v);
	return 0;
}

int
sfid_write(const struct sfid *s, struct buf *b, char *err, size_t errlen)
{
	char	 v[SFID_DESC_MAX + 1];
	unsigned i;
	int	 rc, k;

	if ((rc = sfid_validate(s, err, errlen)) != SFID_OK)
		return rc;
	if (strchr(s->desc, '"') != NULL && strchr(s->desc, '\'') != NULL)
		return errf(err, errlen, SFID_EFIELD,
		    "desc: a .sfid file cannot hold both ' and \" in one "
		    "value");
	for (i = 0; i < s->nox; i++)
		if (!ox_key_ok(s->ox[i].key))
			return errf(err, errlen, SFID_EKEY,
			    "oxgate: bad key '%s'", s->ox[i].key);
	buf_add_str(b, "; OFTP virtual file, see oxgate-sfid(5)\n[sfid]\n");
	for (k = 0; k < K_DESC; k++) {
		sfid_get(s, sfid_keys[k], v, sizeof(v));
		buf_addf(b, "%s = %s\n", sfid_keys[k], v);
	}
	put_quoted(b, "desc", s->desc);
	if (s->nox > 0) {
		buf_add_str(b, "\n[oxgate]\n");
		for (i = 0; i < s->nox; i++)
			if (!put_quoted(b, s->ox[i].key, s->ox[i].val))
				return errf(err, errlen, SFID_EFIELD,
				    "oxgate.%s: a value cannot hold both ' "
				    "and \"", s->ox[i].key);
	}
	if (buf_error(b))
		return errf(err, errlen, SFID_ENOMEM,
		    "sfid: cannot grow the output buffer");
	return SFID_OK;
}

/* Field codec. */

int
sfid_get_x(struct cur *c, const char *key, size_t n, char *out, char *err,
    size_t errlen)
{
	const uint8_t *p;
	size_t	 len;

	if (!cur_get_bytes(c, &p, n))
		return errf(err, errlen, SFID_ETRUNC,
		    "%s: truncated at octet %zu", key, cur_offset(c));
	if (memchr(p, '\0', n) != NULL)
		return errf(err, errlen, SFID_EFIELD,
		    "%s: character 0x00 not allowed", key);
	for (len = n; len > 0 && p[len - 1] == ' '; len--)
		;
	memcpy(out, p, len);
	out[len] = '\0';
	return SFID_OK;
}

int
sfid_get_9(struct cur *c, const char *key, size_t n, uint64_t *out,
    char *err, size_t errlen)
{
	const uint8_t *p;
	uint64_t u = 0;
	size_t	 i;
	char	 tmp[8];

	if (n > 19)
		return errf(err, errlen, SFID_EFIELD, "%s: too wide", key);
	if (!cur_get_bytes(c, &p, n))
		return errf(err, errlen, SFID_ETRUNC,
		    "%s: truncated at octet %zu", key, cur_offset(c));
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return errf(err, errlen, SFID_EFIELD,
			    "%s: %s at octet %zu is not a digit", key,
			    show_char(p[i], tmp, sizeof(tmp)),
			    cur_offset(c) - n + i);
		u = u * 10 + (uint64_t)(p[i] - '0');
	}
	*out = u;
	return SFID_OK;
}

int
sfid_get_spaces(struct cur *c, const char *key, size_t n, char *err,
    size_t errlen)
{
	const uint8_t *p;
	size_t	 i;

	if (!cur_get_bytes(c, &p, n))
		return errf(err, errlen, SFID_ETRUNC,
		    "%s: truncated at octet %zu", key, cur_offset(c));
	for (i = 0; i < n; i++)
		if (p[i] != ' ')
			return errf(err, errlen, SFID_EFIELD,
			    "%s: reserved field not spaces (0x%02x at octet "
			    "%zu)", key, p[i], cur_offset(c) - n + i);
	return SFID_OK;
}

int
sfid_put_x(struct buf *b, const char *v, size_t n)
{
	size_t	 len = strnlen(v, n);

	buf_add(b, v, len);
	for (; len < n; len++)
		buf_add_u8(b, ' ');
	return !buf_error(b);
}

int
sfid_put_9(struct buf *b, uint64_t v, size_t n)
{
	char	 tmp[24];
	int	 len;

	len = snprintf(tmp, sizeof(tmp), "%0*llu", (int)n,
	    (unsigned long long)v);
	if (len < 0 || (size_t)len != n)
		return 0;
	return buf_add(b, tmp, n);
}

/* The SFID command, RFC 5024 5.3.3. */

int
sfid_parse_h(struct sfid *s, struct cur *c, char *err, size_t errlen)
{
	struct cur in = *c;
	const uint8_t *p;
	uint64_t u;
	uint8_t	 cmd;
	char	 tmp[2];
	int	 rc;

	sfid_init(s);
	if (cur_len(&in) < SFID_H_MIN)
		return errf(err, errlen, SFID_ETRUNC,
		    "SFID: %zu octets, at least %d needed", cur_len(&in),
		    SFID_H_MIN);
	(void)cur_get_u8(&in, &cmd);
	if (cmd != 'H')
		return errf(err, errlen, SFID_ECMD,
		    "SFID: command octet 0x%02x, expected 'H'", cmd);
#define GET(x)	do { if ((rc = (x)) != SFID_OK) return rc; } while (0)
	GET(sfid_get_x(&in, "dsn", SFID_DSN_LEN, s->dsn, err, errlen));
	GET(sfid_get_spaces(&in, "SFIDRSV1", 3, err, errlen));
	GET(sfid_get_x(&in, "date", 8, s->date, err, errlen));
	GET(sfid_get_x(&in, "time", 10, s->time, err, errlen));
	GET(sfid_get_x(&in, "user", SFID_USER_LEN, s->user, err, errlen));
	GET(sfid_get_x(&in, "dest", SFID_ID_LEN, s->dest, err, errlen));
	GET(sfid_get_x(&in, "orig", SFID_ID_LEN, s->orig, err, errlen));
	GET(sfid_get_x(&in, "format", 1, tmp, err, errlen));
	s->format = tmp[0];
	GET(sfid_get_9(&in, "lrecl", 5, &u, err, errlen));
	s->lrecl = (uint32_t)u;
	GET(sfid_get_9(&in, "fsize", 13, &s->fsize, err, errlen));
	GET(sfid_get_9(&in, "osize", 13, &s->osize, err, errlen));
	GET(sfid_get_9(&in, "rest", 17, &s->rest, err, errlen));
	GET(sfid_get_9(&in, "sec", 2, &u, err, errlen));
	s->sec = (unsigned)u;
	GET(sfid_get_9(&in, "ciph", 2, &u, err, errlen));
	s->ciph = (unsigned)u;
	GET(sfid_get_9(&in, "comp", 1, &u, err, errlen));
	s->comp = (unsigned)u;
	GET(sfid_get_9(&in, "env", 1, &u, err, errlen));
	s->env = (unsigned)u;
	GET(sfid_get_x(&in, "sign", 1, tmp, err, errlen));
	s->sign = tmp[0];
	GET(sfid_get_9(&in, "SFIDDESCL", 3, &u, err, errlen));
#undef GET
	if (cur_len(&in) < u)
		return errf(err, errlen, SFID_ETRUNC,
		    "SFID: description of %llu octets truncated to %zu",
		    (unsigned long long)u, cur_len(&in));
	if (cur_len(&in) > u)
		return errf(err, errlen, SFID_ETRAIL,
		    "SFID: %zu octets of trailing data after the description",
		    cur_len(&in) - (size_t)u);
	(void)cur_get_bytes(&in, &p, (size_t)u);
	if ((rc = sfid_check_utf8("desc", p, (size_t)u, SFID_DESC_MAX, err,
	    errlen)) != SFID_OK)
		return rc;
	memcpy(s->desc, p, (size_t)u);
	s->desc[u] = '\0';
	if ((rc = sfid_validate(s, err, errlen)) != SFID_OK)
		return rc;
	*c = in;
	return SFID_OK;
}

int
sfid_build_h(const struct sfid *s, struct buf *b, char *err, size_t errlen)
{
	size_t	 dl;
	int	 rc;

	if ((rc = sfid_validate(s, err, errlen)) != SFID_OK)
		return rc;
	dl = strlen(s->desc);
	buf_add_u8(b, 'H');
	sfid_put_x(b, s->dsn, SFID_DSN_LEN);
	sfid_put_x(b, "", 3);
	sfid_put_x(b, s->date, 8);
	sfid_put_x(b, s->time, 10);
	sfid_put_x(b, s->user, SFID_USER_LEN);
	sfid_put_x(b, s->dest, SFID_ID_LEN);
	sfid_put_x(b, s->orig, SFID_ID_LEN);
	buf_add_u8(b, (uint8_t)s->format);
	sfid_put_9(b, s->lrecl, 5);
	sfid_put_9(b, s->fsize, 13);
	sfid_put_9(b, s->osize, 13);
	sfid_put_9(b, s->rest, 17);
	sfid_put_9(b, s->sec, 2);
	sfid_put_9(b, s->ciph, 2);
	sfid_put_9(b, s->comp, 1);
	sfid_put_9(b, s->env, 1);
	buf_add_u8(b, (uint8_t)s->sign);
	sfid_put_9(b, dl, 3);
	buf_add(b, s->desc, dl);
	if (buf_error(b))
		return errf(err, errlen, SFID_ENOMEM,
		    "SFID: cannot grow the output buffer");
	return SFID_OK;
}

/*
 * SFIDDATE and SFIDTIME for t in local time (set TZ for another zone),
 * with the counter 1-9999 as cccc. Returns -1 for a bad counter or time.
 */
int
sfid_stamp(time_t t, unsigned counter, char date[9], char tm_out[11])
{
	struct tm tm;
	char	 tmp[64];
	int	 sec;

	if (counter < 1 || counter > 9999 || localtime_r(&t, &tm) == NULL ||
	    tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
		return -1;
	sec = tm.tm_sec > 59 ? 59 : tm.tm_sec;	/* a leap second */
	snprintf(tmp, sizeof(tmp), "%04d%02d%02d%02d%02d%02d%04u",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, sec, counter);
	if (strlen(tmp) != 18)
		return -1;
	memcpy(date, tmp, 8);
	date[8] = '\0';
	memcpy(tm_out, tmp + 8, 10);
	tm_out[10] = '\0';
	return 0;
}

const char *
sfid_strerror(int e)
{
	switch (e) {
	case SFID_OK:		return "no error";
	case SFID_EFIELD:	return "invalid field value";
	case SFID_EMISSING:	return "required key missing";
	case SFID_EKEY:		return "unknown key or section";
	case SFID_ESYNTAX:	return "syntax error";
	case SFID_EIO:		return "cannot read file";
	case SFID_ECMD:		return "not an SFID command";
	case SFID_ETRUNC:	return "truncated";
	case SFID_ETRAIL:	return "trailing data";
	case SFID_ELIMIT:	return "limit exceeded";
	case SFID_ENOMEM:	return "out of memory";
	}
	return "unknown error";
}
