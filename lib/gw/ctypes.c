/*
 * NAME
 *	ctypes - the editable content-type tables (see ctypes.h)
 * DESCRIPTION
 *	A table is a small array searched linearly: a message has at most
 *	50 body parts and a table a few dozen lines, so a lookup is a few
 *	hundred string compares. Lines are parsed into fixed-size entries;
 *	every length is checked against its bound first.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "gw/ctypes.h"
#include "util/err.h"

#define MAX_TOKENS	(3 * CTYPES_MAX_CHOICES + 8)

/* The shipped tables (etc/mapping/), used when a file is missing. */
static const char builtin_m2x[] =
"# mime-to-x400 - MIME type -> X.400 body part, for oftp2x400 with\n"
"# bodypart = variable. See oxgate-content-types(5). One line:\n"
"#\n"
"#   TYPE/SUBTYPE[;charset=CS]  MODE  CHOICE [| CHOICE ...]\n"
"#\n"
"# MODE 1988 (P22 content) or 1984 (P2). CHOICE: ia5 (7-bit text),\n"
"# latin1 (BP15 ISO 8859-1 text; 1988), file [OID] (an FTBP when the part\n"
"# has a filename; 1988), ftbp [OID] (1988), bp14, tunnel (the whole MIME\n"
"# entity in BP14). The first choice that fits the part's data is taken;\n"
"# the last one must always fit (ftbp, bp14 or tunnel). The most specific\n"
"# key wins (type/subtype, then type/*, then */*; with a charset before\n"
"# without); text without a charset parameter is us-ascii.\n"
"\n"
"# P22 (1988); text/plain, us-ascii too, is BP15 (the seed: \"MIME Type\n"
"# Text/plain in BP15/ ISO8859-1\"); for IA5 add a line\n"
"# text/plain;charset=us-ascii 1988 ia5 | latin1 | file | bp14\n"
"text/*\t\t\t\t1988\tlatin1 | file | bp14\n"
"application/edifact\t\t1988\tlatin1 | file | bp14\n"
"application/edi-x12\t\t1988\tlatin1 | file | bp14\n"
"application/edi-consent\t\t1988\tlatin1 | file | bp14\n"
"application/pkcs7-mime\t\t1988\tftbp 1.2.840.113549.1.9.16.1.6\n"
"application/x-pkcs7-mime\t1988\tftbp 1.2.840.113549.1.9.16.1.6\n"
"multipart/signed\t\t1988\tftbp 1.2.840.113549.1.9.16.1.6\n"
"message/rfc822\t\t\t1988\tbp14\n"
"*/*\t\t\t\t1988\tfile | bp14\n"
"\n"
"# P2 (1984): no BP15, no FTBP\n"
"text/*\t\t\t\t1984\tia5 | bp14\n"
"application/edifact\t\t1984\tia5 | bp14\n"
"application/edi-x12\t\t1984\tia5 | bp14\n"
"application/edi-consent\t\t1984\tia5 | bp14\n"
"*/*\t\t\t\t1984\tbp14\n";

static const char builtin_x2m[] =
"# x400-to-mime - X.400 body part -> MIME type, for x4002oftp writing a\n"
"# MIME entity (several body parts, or S/MIME). See\n"
"# oxgate-content-types(5). One line:\n"
"#\n"
"#   BODYPART  MODE  TYPE/SUBTYPE [; ATTR=VALUE ...]\n"
"#\n"
"# BODYPART: ia5, latin1 (BP15; 1988), bp14, ftbp OID or ftbp any (1988;\n"
"# OID: the FTBP's application reference, document type or data type).\n"
"# MODE 1988 (P22 content) or 1984 (P2). A body part with no line\n"
"# becomes application/octet-stream.\n"
"\n"
"ia5\t\t\t\t1988\ttext/plain; charset=us-ascii\n"
"ia5\t\t\t\t1984\ttext/plain; charset=us-ascii\n"
"latin1\t\t\t\t1988\ttext/plain; charset=iso-8859-1\n"
"bp14\t\t\t\t1988\tapplication/octet-stream\n"
"bp14\t\t\t\t1984\tapplication/octet-stream\n"
"ftbp 1.2.840.113549.1.9.16.1.6\t1988\t"
    "application/pkcs7-mime; smime-type=enveloped-data\n"
"ftbp any\t\t\t1988\tapplication/octet-stream\n";

static const char *const bp_names[] = {
	[CTYPES_BP_NONE] = "none",
	[CTYPES_BP_IA5] = "ia5",
	[CTYPES_BP_LATIN1] = "latin1",
	[CTYPES_BP_BP14] = "bp14",
	[CTYPES_BP_FTBP] = "ftbp",
	[CTYPES_BP_FILE] = "file",
	[CTYPES_BP_TUNNEL] = "tunnel",
};

/* Charset aliases: the first name of each group is the canonical one. */
static const char *const cs_ascii[] = { "us-ascii", "ascii",
	"ansi_x3.4-1968", "iso646-us", "us", NULL };
static const char *const cs_latin1[] = { "iso-8859-1", "iso8859-1",
	"iso_8859-1", "latin1", "l1", NULL };

const char *
ctypes_bp_name(enum ctypes_bp bp)
{
	return (unsigned)bp < sizeof(bp_names) / sizeof(bp_names[0]) ?
	    bp_names[bp] : "?";
}

const char *
ctypes_charset_canon(const char *cs)
{
	const char *const *g[] = { cs_ascii, cs_latin1 };
	size_t	 i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; g[i][j] != NULL; j++)
			if (strcasecmp(cs, g[i][j]) == 0)
				return g[i][0];
	return cs;
}

const char *
ctypes_builtin_text(enum ctypes_table t)
{
	return t == CTYPES_M2X ? builtin_m2x : builtin_x2m;
}

void
ctypes_init(struct ctypes *ct)
{
	memset(ct, 0, sizeof(*ct));
}

void
ctypes_free(struct ctypes *ct)
{
	free(ct->m2x);
	free(ct->x2m);
	ctypes_init(ct);
}

/* --- parsing ----------------------------------------------------------- */

struct lctx {
	const char	*name;
	unsigned	 line;
	char		*err;
	size_t		 errlen;
};

static int
bad(const struct lctx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
bad(const struct lctx *x, const char *fmt, ...)
{
	char	 why[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return errf(x->err, x->errlen, CTYPES_ESYNTAX, "%.200s:%u: %s",
	    x->name, x->line, why);
}

/* RFC 2045 token: CHAR but SPACE, CTLs and tspecials. */
static int
is_tchar(int ch)
{
	return ch > 32 && ch < 127 && strchr("()<>@,;:\\\"/[]?=", ch) ==
	    NULL;
}

/* A token of s (advanced), lower-cased into out; 0 or -1 (none, long). */
static int
get_token(const char **s, const char *end, char *out, int lower)
{
	size_t	 n = 0;

	while (*s < end && is_tchar((unsigned char)**s)) {
		if (n + 1 >= CTYPES_TOKEN_MAX)
			return -1;
		out[n++] = lower && **s >= 'A' && **s <= 'Z' ? **s + 32 : **s;
		(*s)++;
	}
	out[n] = '\0';
	return n > 0 ? 0 : -1;
}

static void
skip_ws(const char **s, const char *end)
{
	while (*s < end && (**s == ' ' || **s == '\t'))
		(*s)++;
}

struct mtype {
	char	 type[CTYPES_TOKEN_MAX], subtype[CTYPES_TOKEN_MAX];
	size_t	 np;
	char	 attr[CTYPES_MAX_PARAMS][CTYPES_TOKEN_MAX];
	char	 value[CTYPES_MAX_PARAMS][CTYPES_TOKEN_MAX];
};

/*
 * TYPE/SUBTYPE *(";" ATTR "=" VALUE), white space allowed around ';'
 * and '='. wild: "*" allowed (as "TYPE/ *" or " * / *", without
 * the blanks).
 */
static int
parse_mtype(const struct lctx *x, const char *s, size_t len, int wild,
    struct mtype *m)
{
	const char *end = s + len;
	size_t	 i;

	memset(m, 0, sizeof(*m));
	if (get_token(&s, end, m->type, 1) < 0 || s >= end || *s != '/')
		return bad(x, "not a MIME type (TYPE/SUBTYPE)");
	s++;
	if (get_token(&s, end, m->subtype, 1) < 0)
		return bad(x, "not a MIME type (TYPE/SUBTYPE)");
	if (!wild && (strchr(m->type, '*') || strchr(m->subtype, '*')))
		return bad(x, "a wildcard is no MIME type here");
	if (wild && ((strchr(m->type, '*') && strcmp(m->type, "*") != 0) ||
	    (strchr(m->subtype, '*') && strcmp(m->subtype, "*") != 0) ||
	    (strcmp(m->type, "*") == 0 && strcmp(m->subtype, "*") != 0)))
		return bad(x, "a wildcard is \"TYPE/*\" or \"*/*\"");
	for (;;) {
		skip_ws(&s, end);
		if (s == end)
			break;
		if (*s != ';')
			return bad(x, "junk after the MIME type");
		s++;
		skip_ws(&s, end);
		if (m->np == CTYPES_MAX_PARAMS)
			return bad(x, "more than %d MIME parameters", CTYPES_MAX_PARAMS);
		i = m->np;
		if (get_token(&s, end, m->attr[i], 1) < 0)
			return bad(x, "a MIME parameter name is missing or "
			    "too long");
		skip_ws(&s, end);
		if (s == end || *s != '=')
			return bad(x, "MIME parameter %s without '='",
			    m->attr[i]);
		s++;
		skip_ws(&s, end);
		if (get_token(&s, end, m->value[i], 0) < 0)
			return bad(x, "MIME parameter %s: the value is no MIME "
			    "token (or too long)", m->attr[i]);
		m->np++;
	}
	return CTYPES_OK;
}

static int
parse_mode(const struct lctx *x, const char *s, enum ctypes_mode *mode)
{
	if (strcmp(s, "1984") == 0)
		*mode = CTYPES_1984;
	else if (strcmp(s, "1988") == 0)
		*mode = CTYPES_1988;
	else
		return bad(x, "mode \"%.40s\": not 1984 or 1988", s);
	return CTYPES_OK;
}

/* Dotted object identifier: arcs of digits, at least two, first 0..2. */
static int
parse_oid(const struct lctx *x, const char *s, char *out)
{
	size_t	 i, arcs = 1, digits = 0, n = strlen(s);

	if (n == 0 || n >= CTYPES_OID_MAX)
		return bad(x, "object identifier \"%.60s\": empty or too "
		    "long", s);
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (digits == 0)
				break;
			arcs++;
			digits = 0;
		} else if (s[i] >= '0' && s[i] <= '9') {
			if (digits > 0 && s[i - digits] == '0')
				break;			/* leading zero */
			if (++digits > 18)
				break;
		} else
			break;
	}
	if (i < n || digits == 0 || arcs < 2 || s[0] > '2' || s[1] != '.')
		return bad(x, "\"%.60s\" is no object identifier (dotted "
		    "numbers, e.g. 1.2.3.4)", s);
	memcpy(out, s, n + 1);
	return CTYPES_OK;
}

static int
bp_from_name(const char *s, enum ctypes_bp *bp)
{
	size_t	 i;

	for (i = CTYPES_BP_IA5; i < sizeof(bp_names) / sizeof(bp_names[0]);
	    i++)
		if (strcmp(s, bp_names[i]) == 0) {
			*bp = (enum ctypes_bp)i;
			return 0;
		}
	return -1;
}

static int
always_fits(enum ctypes_bp bp)
{
	return bp == CTYPES_BP_BP14 || bp == CTYPES_BP_FTBP ||
	    bp == CTYPES_BP_TUNNEL;
}

static int
extended(enum ctypes_bp bp)
{
	return bp == CTYPES_BP_LATIN1 || bp == CTYPES_BP_FTBP ||
	    bp == CTYPES_BP_FILE;
}

/* Split a line into white-space separated words (in place). */
static size_t
split_words(char *s, char **tok, size_t max)
{
	size_t	 n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (*s == '\0')
			return n;
		if (n == max)
			return max + 1;
		tok[n++] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
	}
}

static int
parse_m2x(struct ctypes *ct, const struct lctx *x, char *line)
{
	char		 sp[3 * CTYPES_LINE_MAX + 1], *tok[MAX_TOKENS + 1];
	size_t		 n, i, k, j;
	struct ctypes_m2x e;
	struct mtype	 m;
	int		 rc;

	memset(&e, 0, sizeof(e));
	e.line = x->line;
	for (i = 0, j = 0; line[i] != '\0' && j + 3 < sizeof(sp); i++)
		if (line[i] == '|') {		/* '|' is a word of its own */
			sp[j++] = ' ';
			sp[j++] = '|';
			sp[j++] = ' ';
		} else
			sp[j++] = line[i];
	sp[j] = '\0';
	if ((n = split_words(sp, tok, MAX_TOKENS)) > MAX_TOKENS)
		return bad(x, "too many words (at most %d choices)",
		    CTYPES_MAX_CHOICES);
	if (n < 3)
		return bad(x, "TYPE/SUBTYPE MODE CHOICE expected");
	if ((rc = parse_mtype(x, tok[0], strlen(tok[0]), 1, &m)) != CTYPES_OK)
		return rc;
	if (m.np > 1 || (m.np == 1 && strcmp(m.attr[0], "charset") != 0))
		return bad(x, "%s: the only parameter of a key is charset",
		    tok[0]);
	memcpy(e.type, m.type, sizeof(e.type));
	memcpy(e.subtype, m.subtype, sizeof(e.subtype));
	if (m.np == 1)
		snprintf(e.charset, sizeof(e.charset), "%s",
		    ctypes_charset_canon(m.value[0]));
	for (i = 0; e.charset[i] != '\0'; i++)
		if (e.charset[i] >= 'A' && e.charset[i] <= 'Z')
			e.charset[i] += 32;
	if ((rc = parse_mode(x, tok[1], &e.mode)) != CTYPES_OK)
		return rc;
	for (i = 2; i < n; ) {
		struct ctypes_choice *c = &e.c[e.n];

		if (e.n == CTYPES_MAX_CHOICES)
			return bad(x, "more than %d choices", CTYPES_MAX_CHOICES);
		if (e.n > 0 && always_fits(e.c[e.n - 1].bp))
			return bad(x, "\"%s\" is never used: the choice before "
			    "it always fits", tok[i]);
		if (bp_from_name(tok[i], &c->bp) < 0)
			return bad(x, "\"%.40s\": not a body part (ia5, latin1, "
			    "file, ftbp, bp14, tunnel)", tok[i]);
		if (e.mode == CTYPES_1984 && extended(c->bp))
			return bad(x, "%s in 1984 mode: P2 content cannot carry "
			    "a 1988 extended body part", tok[i]);
		i++;
		if ((c->bp == CTYPES_BP_FTBP || c->bp == CTYPES_BP_FILE) &&
		    i < n && strcmp(tok[i], "|") != 0) {
			if ((rc = parse_oid(x, tok[i], c->oid)) != CTYPES_OK)
				return rc;
			i++;
		}
		e.n++;
		if (i == n)
			break;
		if (strcmp(tok[i], "|") != 0)
			return bad(x, "\"%.40s\": '|' expected between choices",
			    tok[i]);
		if (++i == n)
			return bad(x, "a choice is missing after '|'");
	}
	if (!always_fits(e.c[e.n - 1].bp))
		return bad(x, "the last choice (%s) does not fit every part; "
		    "end the line with bp14, ftbp or tunnel",
		    ctypes_bp_name(e.c[e.n - 1].bp));
	for (k = 0; k < ct->nm2x; k++) {
		const struct ctypes_m2x *o = &ct->m2x[k];

		if (o->mode == e.mode && strcmp(o->type, e.type) == 0 &&
		    strcmp(o->subtype, e.subtype) == 0 &&
		    strcmp(o->charset, e.charset) == 0) {
			return bad(x, "the same type and mode as line %u",
			    o->line);
		}
	}
	if (ct->nm2x == CTYPES_MAX_LINES)
		return bad(x, "more than %d entries", CTYPES_MAX_LINES);
	if (ct->nm2x % 16 == 0) {
		struct ctypes_m2x *v = realloc(ct->m2x, (ct->nm2x + 16) *
		    sizeof(*v));

		if (v == NULL)
			return errf(x->err, x->errlen, CTYPES_ENOMEM,
			    "%s: out of memory", x->name);
		ct->m2x = v;
	}
	ct->m2x[ct->nm2x++] = e;
	return CTYPES_OK;
}

static int
parse_x2m(struct ctypes *ct, const struct lctx *x, char *line)
{
	char		*tok[3], *rest, *s;
	size_t		 n, k, i;
	struct ctypes_x2m e;
	struct mtype	 m;
	int		 rc;

	memset(&e, 0, sizeof(e));
	e.line = x->line;
	/* BODYPART [OID|any] MODE, then the rest is the MIME type */
	s = line;
	for (n = 0; n < 3; n++) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		tok[n] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		if (*s != '\0')
			*s++ = '\0';
		if (n == 1 && strcmp(tok[0], "ftbp") != 0) {
			n = 2;
			break;
		}
	}
	if (n < 2 || (strcmp(tok[0], "ftbp") == 0 && n < 3))
		return bad(x, "BODYPART MODE TYPE/SUBTYPE expected");
	if (bp_from_name(tok[0], &e.bp) < 0 || e.bp == CTYPES_BP_FILE ||
	    e.bp == CTYPES_BP_TUNNEL)
		return bad(x, "\"%.40s\": not a body part (ia5, latin1, bp14, "
		    "ftbp)", tok[0]);
	i = 1;
	if (e.bp == CTYPES_BP_FTBP) {
		if (strcmp(tok[1], "any") != 0 && (rc = parse_oid(x, tok[1],
		    e.oid)) != CTYPES_OK)
			return rc;
		i = 2;
	}
	if ((rc = parse_mode(x, tok[i], &e.mode)) != CTYPES_OK)
		return rc;
	if (e.mode == CTYPES_1984 && extended(e.bp))
		return bad(x, "%s in 1984 mode: P2 content cannot carry a 1988 "
		    "extended body part", tok[0]);
	for (rest = s; *rest == ' ' || *rest == '\t'; rest++)
		;
	if (*rest == '\0')
		return bad(x, "the MIME type is missing");
	if ((rc = parse_mtype(x, rest, strlen(rest), 0, &m)) != CTYPES_OK)
		return rc;
	memcpy(e.type, m.type, sizeof(e.type));
	memcpy(e.subtype, m.subtype, sizeof(e.subtype));
	e.nparam = m.np;
	memcpy(e.attr, m.attr, sizeof(e.attr));
	memcpy(e.value, m.value, sizeof(e.value));
	for (k = 0; k < ct->nx2m; k++) {
		const struct ctypes_x2m *o = &ct->x2m[k];
		if (o->bp == e.bp && o->mode == e.mode && strcmp(o->oid,
		    e.oid) == 0) {
			return bad(x, "the same body part and mode as line "
			    "%u", o->line);
		}
	}
	if (ct->nx2m == CTYPES_MAX_LINES)
		return bad(x, "more than %d entries", CTYPES_MAX_LINES);
	if (ct->nx2m % 16 == 0) {
		struct ctypes_x2m *v = realloc(ct->x2m, (ct->nx2m + 16) *
		    sizeof(*v));

		if (v == NULL)
			return errf(x->err, x->errlen, CTYPES_ENOMEM,
			    "%s: out of memory", x->name);
		ct->x2m = v;
	}
	ct->x2m[ct->nx2m++] = e;
	return CTYPES_OK;
}

int
ctypes_load_text(struct ctypes *ct, enum ctypes_table t, const char *name,
    const char *text, size_t len, char *err, size_t errlen)
{
	/* room for a ' ' around each '|' the tokenizer splits off */
	char		 line[3 * CTYPES_LINE_MAX + 2];
	const char	*p = text, *end = text + len, *nl;
	struct lctx	 x;
	size_t		 n, i, o;
	int		 rc;

	x.name = name;
	x.line = 0;
	x.err = err;
	x.errlen = errlen;
	while (p < end) {
		x.line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > CTYPES_LINE_MAX)
			return bad(&x, "line longer than %d octets",
			    CTYPES_LINE_MAX);
		for (i = 0, o = 0; i < n && p[i] != '#'; i++) {
			unsigned char ch = (unsigned char)p[i];

			if ((ch < 0x20 && ch != '\t') || ch >= 0x7f)
				return bad(&x, "a control or non-ASCII octet");
			line[o++] = (char)ch;
		}
		line[o] = '\0';
		p = nl != NULL ? nl + 1 : end;
		for (i = 0; line[i] == ' ' || line[i] == '\t'; i++)
			;
		if (line[i] == '\0')
			continue;
		rc = t == CTYPES_M2X ? parse_m2x(ct, &x, line) :
		    parse_x2m(ct, &x, line);
		if (rc != CTYPES_OK)
			return rc;
	}
	return CTYPES_OK;
}

static int
load_file(struct ctypes *ct, enum ctypes_table t, const char *path,
    char *err, size_t errlen)
{
	struct stat	 st;
	char		*b;
	ssize_t		 r;
	size_t		 n = 0;
	int		 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errf(err, errlen, CTYPES_EIO, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > CTYPES_FILE_MAX) {
		close(fd);
		return errf(err, errlen, CTYPES_EIO, "%s: not a regular file "
		    "of at most %d octets", path, CTYPES_FILE_MAX);
	}
	if ((b = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return errf(err, errlen, CTYPES_ENOMEM, "%s: out of memory",
		    path);
	}
	while (n < (size_t)st.st_size && (r = read(fd, b + n,
	    (size_t)st.st_size - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = errf(err, errlen, CTYPES_EIO, "%s: %s", path,
			    strerror(errno));
			free(b);
			close(fd);
			return rc;
		}
		n += (size_t)r;
	}
	close(fd);
	rc = ctypes_load_text(ct, t, path, b, n, err, errlen);
	free(b);
	return rc;
}

int
ctypes_load_dir(struct ctypes *ct, const char *dir, char *err, size_t errlen)
{
	static const char *const files[] = { CTYPES_M2X_FILE, CTYPES_X2M_FILE };
	static const char *const names[] = { "(built-in " CTYPES_M2X_FILE ")",
	    "(built-in " CTYPES_X2M_FILE ")" };
	struct stat	 st;
	char		 path[4200];
	int		 t, rc, n;

	for (t = CTYPES_M2X; t <= CTYPES_X2M; t++) {
		n = snprintf(path, sizeof(path), "%s/%s", dir, files[t]);
		if (n < 0 || (size_t)n >= sizeof(path))
			return errf(err, errlen, CTYPES_EIO, "%.200s: path too "
			    "long", dir);
		if (stat(path, &st) < 0 && errno == ENOENT)
			rc = ctypes_load_text(ct, (enum ctypes_table)t,
			    names[t], ctypes_builtin_text((enum ctypes_table)t),
			    strlen(ctypes_builtin_text((enum ctypes_table)t)),
			    err, errlen);
		else
			rc = load_file(ct, (enum ctypes_table)t, path, err,
			    errlen);
		if (rc != CTYPES_OK)
			return rc;
	}
	return CTYPES_OK;
}

static struct ctypes builtin_ct;

static void
builtin_free(void)
{
	ctypes_free(&builtin_ct);
}

const struct ctypes *
ctypes_builtin(void)
{
	static int	 done;
	struct ctypes	*ct = &builtin_ct;
	char		 err[256];

	if (!done) {
		done = 1;
		ctypes_init(ct);
		atexit(builtin_free);
		if (ctypes_load_text(ct, CTYPES_M2X, "builtin", builtin_m2x,
		    strlen(builtin_m2x), err, sizeof(err)) != CTYPES_OK ||
		    ctypes_load_text(ct, CTYPES_X2M, "builtin", builtin_x2m,
		    strlen(builtin_x2m), err, sizeof(err)) != CTYPES_OK)
			abort();		/* our bug: t_ctypes checks */
	}
	return ct;
}

/* --- lookups ----------------------------------------------------------- */

const struct ctypes_m2x *
ctypes_m2x_lookup(const struct ctypes *ct, const char *mtype,
    const char *charset, enum ctypes_mode mode)
{
	const struct ctypes_m2x *best = NULL;
	const char	*slash, *cs = NULL;
	char		 type[CTYPES_TOKEN_MAX], sub[CTYPES_TOKEN_MAX];
	char		 csl[CTYPES_TOKEN_MAX];
	size_t		 i, tn;
	int		 score, bscore = -1;

	if ((slash = strchr(mtype, '/')) == NULL ||
	    (tn = (size_t)(slash - mtype)) >= sizeof(type) ||
	    strlen(slash + 1) >= sizeof(sub))
		return NULL;
	for (i = 0; i < tn; i++)
		type[i] = mtype[i] >= 'A' && mtype[i] <= 'Z' ? mtype[i] + 32 :
		    mtype[i];
	type[tn] = '\0';
	for (i = 0; slash[1 + i] != '\0'; i++)
		sub[i] = slash[1 + i] >= 'A' && slash[1 + i] <= 'Z' ?
		    slash[1 + i] + 32 : slash[1 + i];
	sub[i] = '\0';
	if (charset != NULL && strlen(charset) < sizeof(csl)) {
		snprintf(csl, sizeof(csl), "%s", ctypes_charset_canon(charset));
		for (i = 0; csl[i] != '\0'; i++)
			if (csl[i] >= 'A' && csl[i] <= 'Z')
				csl[i] += 32;
		cs = csl;
	} else if (charset == NULL && strcmp(type, "text") == 0)
		cs = "us-ascii";		/* RFC 2046 4.1.2 */
	for (i = 0; i < ct->nm2x; i++) {
		const struct ctypes_m2x *e = &ct->m2x[i];

		if (e->mode != mode)
			continue;
		if (strcmp(e->type, "*") == 0)
			score = 0;
		else if (strcmp(e->type, type) != 0)
			continue;
		else if (strcmp(e->subtype, "*") == 0)
			score = 2;
		else if (strcmp(e->subtype, sub) != 0)
			continue;
		else
			score = 4;
		if (e->charset[0] != '\0') {
			if (cs == NULL || strcmp(e->charset, cs) != 0)
				continue;
			score++;
		}
		if (score > bscore) {
			bscore = score;
			best = e;
		}
	}
	return best;
}

const struct ctypes_choice *
ctypes_choose(const struct ctypes_m2x *e, const struct ctypes_props *p)
{
	size_t	 i;

	if (e == NULL)
		return NULL;
	for (i = 0; i < e->n; i++) {
		const struct ctypes_choice *c = &e->c[i];

		if ((c->bp == CTYPES_BP_IA5 && !(p->ascii && p->text)) ||
		    (c->bp == CTYPES_BP_LATIN1 && !p->text) ||
		    (c->bp == CTYPES_BP_FILE && !p->named))
			continue;
		return c;
	}
	return NULL;
}

/* Octet classes for ctypes_scan(): NOT_TEXT implies NOT_ASCII. */
#define NOT_ASCII	1
#define NOT_TEXT	3
#define C4(x)		x, x, x, x
#define C16(x)		C4(x), C4(x), C4(x), C4(x)
static const unsigned char octet_class[256] = {
	/* 0x00-0x1f: control octets but TAB (09) LF (0a) FF (0c) CR (0d) */
	C4(NOT_TEXT), C4(NOT_TEXT), NOT_TEXT, 0, 0, NOT_TEXT, 0, 0,
	NOT_TEXT, NOT_TEXT, C16(NOT_TEXT),
	C16(0), C16(0), C16(0), C16(0), C16(0),
	C4(0), C4(0), C4(0), 0, 0, 0, NOT_TEXT,	/* 0x7f DEL */
	C16(NOT_ASCII), C16(NOT_ASCII), C16(NOT_ASCII), C16(NOT_ASCII),
	C16(NOT_ASCII), C16(NOT_ASCII), C16(NOT_ASCII), C16(NOT_ASCII)
};

/*
 * 16 octets at a time (GCC/Clang vector extensions; SSE2 on amd64): a
 * comparison gives -1 in each lane where it holds. A tail of under 16
 * octets is scanned as the last 16 (octets seen twice change nothing);
 * the table does inputs of under 16. Each 4096 octets end the scan once
 * a control octet was seen.
 */
typedef unsigned char	v16u __attribute__((vector_size(16)));
typedef signed char	v16s __attribute__((vector_size(16)));

static unsigned
scan16(const unsigned char *b, size_t n)
{
	v16u	 v, hi = { 0 };
	v16s	 ctl = { 0 };
	uint64_t w[2], h[2];
	size_t	 i;

	for (i = 0; i + 16 <= n; i += 16) {
		memcpy(&v, b + i, 16);
		hi |= v;
		ctl |= ((v < 0x20) & (v != 0x09) & (v != 0x0a) & (v != 0x0c) &
		    (v != 0x0d)) | (v == 0x7f);
	}
	memcpy(w, &ctl, 16);
	memcpy(h, &hi, 16);
	return ((w[0] | w[1]) ? NOT_TEXT : 0) |
	    (((h[0] | h[1]) & 0x8080808080808080ULL) ? NOT_ASCII : 0);
}

void
ctypes_scan(const void *data, size_t n, int *text, int *ascii)
{
	const unsigned char *b = data;
	unsigned	 acc = 0;
	size_t		 i, k;

	if (!*text)
		return;
	for (i = 0; i < n && acc != NOT_TEXT; i = k) {
		k = n - i > 4096 ? i + 4096 : n;
		if (k - i >= 16)	/* the tail as the last 16, again */
			acc |= scan16(b + i, k - i) | scan16(b + k - 16, 16);
		else
			for (; i < k; i++)
				acc |= octet_class[b[i]];
	}
	if (acc & NOT_ASCII)
		*ascii = 0;
	if ((acc & NOT_TEXT) == NOT_TEXT)
		*text = 0;
}

const struct ctypes_x2m *
ctypes_x2m_lookup(const struct ctypes *ct, enum ctypes_bp bp,
    const char *const *oids, size_t noids, enum ctypes_mode mode)
{
	size_t	 i, k;

	if (extended(bp))
		mode = CTYPES_1988;
	if (bp == CTYPES_BP_FTBP)
		for (k = 0; k < noids; k++) {
			if (oids[k] == NULL || oids[k][0] == '\0')
				continue;
			for (i = 0; i < ct->nx2m; i++)
				if (ct->x2m[i].bp == bp &&
				    ct->x2m[i].mode == mode &&
				    strcmp(ct->x2m[i].oid, oids[k]) == 0)
					return &ct->x2m[i];
		}
	for (i = 0; i < ct->nx2m; i++)
		if (ct->x2m[i].bp == bp && ct->x2m[i].mode == mode &&
		    ct->x2m[i].oid[0] == '\0')
			return &ct->x2m[i];
	return NULL;
}
