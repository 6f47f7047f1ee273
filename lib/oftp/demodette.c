/*
 * NAME
 *	demodette - DEModette's file names and XML sidecars (see demodette.h)
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "oftp/demodette.h"
#include "util/err.h"

/* --- names ------------------------------------------------------------ */

/* One '#'-separated part: the X characters, 1 to max of them. */
static int
name_part(const char *what, const char *s, size_t n, size_t max, char *dst,
    char *err, size_t errlen)
{
	char	 v[SFID_DSN_LEN + 2];

	if (n == 0 || n > max)
		return errf(err, errlen, -1, "%s: %zu characters, 1 to %zu "
		    "allowed", what, n, max);
	memcpy(v, s, n);
	v[n] = '\0';
	if (sfid_check_x(what, v, max, 1, err, errlen) != SFID_OK)
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

int
dmo_name_parse(const char *name, struct dmo_name *n, char *err,
    size_t errlen)
{
	const char	*h1, *h2, *st;
	size_t		 i;

	memset(n, 0, sizeof(*n));
	if ((h1 = strchr(name, '#')) == NULL ||
	    (h2 = strchr(h1 + 1, '#')) == NULL)
		return errf(err, errlen, -1, "%.100s: not ID#VFN#STAMP.STATE",
		    name);
	if (name_part("ID", name, (size_t)(h1 - name), SFID_ID_LEN, n->id,
	    err, errlen) < 0 || name_part("VFN", h1 + 1, (size_t)(h2 - h1 - 1),
	    SFID_DSN_LEN, n->vfn, err, errlen) < 0)
		return -1;
	for (i = 0; i < 18; i++)
		if (!isdigit((unsigned char)h2[1 + i]))
			return errf(err, errlen, -1, "%.100s: STAMP is not 18 "
			    "digits yyyyMMddHHmmssffff", name);
	memcpy(n->date, h2 + 1, 8);
	memcpy(n->time, h2 + 9, 10);
	if (sfid_check_date("STAMP date", n->date, err, errlen) != SFID_OK ||
	    sfid_check_time("STAMP time", n->time, err, errlen) != SFID_OK)
		return -1;
	st = h2 + 19;
	if (*st != '.' || strlen(st + 1) == 0 || strlen(st + 1) >
	    DMO_STATE_MAX)
		return errf(err, errlen, -1, "%.100s: no .STATE after STAMP",
		    name);
	for (i = 1; st[i] != '\0'; i++)
		if (!islower((unsigned char)st[i]) &&
		    !isdigit((unsigned char)st[i]))
			return errf(err, errlen, -1, "%.100s: STATE '%s' is "
			    "not lower case letters and digits", name, st + 1);
	memcpy(n->state, st + 1, strlen(st + 1) + 1);
	return 0;
}

int
dmo_name_make(const char *id, const char *vfn, const char *date,
    const char *time, const char *state, char *dst, size_t size)
{
	int	 k = snprintf(dst, size, "%s#%s#%s%s.%s", id, vfn, date, time,
		    state);

	return k < 0 || (size_t)k >= size ? -1 : 0;
}

/* --- the XML sidecar (expat) ------------------------------------------ */

struct pctx {
	XML_Parser	 p;
	struct dmo_xml	*x;
	int		 depth;
	int		 in_desc, in_records;
	size_t		 desclen;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static void
stop(struct pctx *c, const char *fmt, const char *what)
{
	if (c->failed)
		return;
	c->failed = 1;
	snprintf(c->err, c->errlen, "line %lu column %lu: ",
	    (unsigned long)XML_GetCurrentLineNumber(c->p),
	    (unsigned long)XML_GetCurrentColumnNumber(c->p));
	snprintf(c->err + strlen(c->err), c->errlen - strlen(c->err), fmt,
	    what);
	XML_StopParser(c->p, XML_FALSE);
}

/* A decimal attribute value of at most max. */
static int
num(struct pctx *c, const char *name, const char *v, uint64_t max,
    uint64_t *out)
{
	uint64_t u = 0;
	size_t	 i;

	for (i = 0; v[i] != '\0'; i++) {
		if (!isdigit((unsigned char)v[i]) || u > (max - (uint64_t)(v[i] -
		    '0')) / 10) {
			stop(c, "%s: not a number in range", name);
			return -1;
		}
		u = u * 10 + (uint64_t)(v[i] - '0');
	}
	if (i == 0) {
		stop(c, "%s: empty", name);
		return -1;
	}
	*out = u;
	return 0;
}

static const char *const formats[] = { "Unstructured", "Text", "Fixed",
	"Variable" };

static void
description(struct pctx *c, const XML_Char **a)
{
	uint64_t u;
	size_t	 i, k;

	for (i = 0; a[i] != NULL; i += 2) {
		if (strcmp(a[i], "format") == 0) {
			for (k = 0; k < 4; k++)
				if (strcasecmp(a[i + 1], formats[k]) == 0 ||
				    (strlen(a[i + 1]) == 1 &&
				    toupper((unsigned char)a[i + 1][0]) ==
				    formats[k][0]))
					break;
			if (k == 4) {
				stop(c, "format: '%.20s' is none of U "
				    "T F V", a[i + 1]);
				return;
			}
			c->x->format = formats[k][0];
		} else if (strcmp(a[i], "maximumRecordSize") == 0) {
			if (num(c, a[i], a[i + 1], SFID_LRECL_MAX, &u) == 0)
				c->x->lrecl = (uint32_t)u;
		} else if (strcmp(a[i], "fileSize") == 0 ||
		    strcmp(a[i], "fileSizeUnpacked") == 0) {
			if (num(c, a[i], a[i + 1], 9999999999999ULL, &u) == 0)
				*(a[i][8] == '\0' ? &c->x->fsize :
				    &c->x->fsize_unpacked) = (int64_t)u;
		}
	}
	c->in_desc = 1;
}

static void
commit(struct pctx *c, const XML_Char **a)
{
	struct dmo_xml *x = c->x;
	uint64_t u;
	size_t	 i;

	x->has_commit = 1;
	for (i = 0; a[i] != NULL; i += 2) {
		if (strcmp(a[i], "reasonCode") == 0) {
			if (num(c, a[i], a[i + 1], 99, &u) == 0)
				x->reason = (unsigned)u;
		} else if (strcmp(a[i], "reasonText") == 0) {
			if (strlen(a[i + 1]) >= sizeof(x->reason_text)) {
				stop(c, "%s: too long", a[i]);
				return;
			}
			snprintf(x->reason_text, sizeof(x->reason_text), "%s",
			    a[i + 1]);
		} else if (strcmp(a[i], "userData") == 0) {
			if (strlen(a[i + 1]) >= sizeof(x->user)) {
				stop(c, "%s: more than 8 characters",
				    a[i]);
				return;
			}
			snprintf(x->user, sizeof(x->user), "%s", a[i + 1]);
		}
	}
}

static void
record(struct pctx *c, const XML_Char **a)
{
	struct dmo_xml *x = c->x;
	struct dmo_rec *nv;
	uint64_t o = UINT64_MAX, l = UINT64_MAX;
	size_t	 i;

	for (i = 0; a[i] != NULL; i += 2)
		if (strcmp(a[i], "o") == 0 && num(c, "o", a[i + 1],
		    INT64_MAX, &o) < 0)
			return;
		else if (strcmp(a[i], "l") == 0 && num(c, "l", a[i + 1],
		    SFID_LRECL_MAX, &l) < 0)
			return;
	if (o == UINT64_MAX || l == UINT64_MAX) {
		stop(c, "%s: needs o and l", "r");
		return;
	}
	if (x->nrec == x->caprec) {
		size_t cap = x->caprec ? 2 * x->caprec : 64;

		if ((nv = reallocarray(x->rec, cap, sizeof(*nv))) == NULL) {
			stop(c, "%s: out of memory", "records");
			return;
		}
		x->rec = nv;
		x->caprec = cap;
	}
	x->rec[x->nrec].off = o;
	x->rec[x->nrec++].len = (uint32_t)l;
}

static void
oxgate(struct pctx *c, const XML_Char **a)
{
	size_t	 i;

	for (i = 0; a[i] != NULL; i += 2)
		if (strcmp(a[i], "dest") == 0 && sfid_check_x("dest",
		    a[i + 1], SFID_ID_LEN, 1, c->err, c->errlen) == SFID_OK)
			snprintf(c->x->dest, sizeof(c->x->dest), "%s", a[i + 1]);
		else if (strcmp(a[i], "dest") == 0)
			stop(c, "<oxgate dest>: %s", "not an ODETTE ID");
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct pctx *c = ud;

	c->depth++;
	if (c->depth == 1 && strcmp(name, "oftp") != 0)
		stop(c, "root element <%.40s>, not <oftp>", name);
	else if (c->depth == 2 && strcmp(name, "description") == 0)
		description(c, a);
	else if (c->depth == 2 && strcmp(name, "commit") == 0)
		commit(c, a);
	else if (c->depth == 2 && strcmp(name, "oxgate") == 0)
		oxgate(c, a);
	else if (c->depth == 2 && strcmp(name, "records") == 0)
		c->in_records = c->x->has_records = 1;
	else if (c->depth == 3 && c->in_records && strcmp(name, "r") == 0)
		record(c, a);
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct pctx *c = ud;

	(void)name;
	if (c->depth == 2)
		c->in_desc = c->in_records = 0;
	c->depth--;
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct pctx *c = ud;

	if (!c->in_desc || c->depth != 2)
		return;
	if (c->desclen + (size_t)len > SFID_DESC_MAX) {
		stop(c, "%s: more than 999 octets", "description");
		return;
	}
	memcpy(c->x->desc + c->desclen, s, (size_t)len);
	c->desclen += (size_t)len;
	c->x->desc[c->desclen] = '\0';
}

static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sys,
    const XML_Char *pub, int internal)
{
	(void)sys, (void)pub, (void)internal;
	stop(ud, "document type declaration <!DOCTYPE %.40s> refused", name);
}

static void XMLCALL
on_entity(void *ud, const XML_Char *name, int param, const XML_Char *v,
    int vlen, const XML_Char *base, const XML_Char *sys, const XML_Char *pub,
    const XML_Char *notation)
{
	(void)param, (void)v, (void)vlen, (void)base, (void)sys, (void)pub;
	(void)notation;
	stop(ud, "entity declaration '%.40s' refused", name);
}

void
dmo_xml_init(struct dmo_xml *x)
{
	memset(x, 0, sizeof(*x));
	x->format = 'U';
	x->fsize = x->fsize_unpacked = -1;
}

void
dmo_xml_free(struct dmo_xml *x)
{
	free(x->rec);
	dmo_xml_init(x);
}

int
dmo_xml_parse(struct dmo_xml *x, const char *text, size_t len, char *err,
    size_t errlen)
{
	struct pctx	 c;
	int		 ok;

	if (len > DMO_XML_MAX)
		return errf(err, errlen, -1, "%zu octets, at most %u", len,
		    DMO_XML_MAX);
	memset(&c, 0, sizeof(c));
	c.x = x;
	c.err = err;
	c.errlen = errlen;
	if ((c.p = XML_ParserCreate(NULL)) == NULL)
		return errf(err, errlen, -1, "out of memory");
	XML_SetUserData(c.p, &c);
	XML_SetElementHandler(c.p, on_start, on_end);
	XML_SetCharacterDataHandler(c.p, on_text);
	XML_SetStartDoctypeDeclHandler(c.p, on_doctype);
	XML_SetEntityDeclHandler(c.p, on_entity);
	ok = XML_Parse(c.p, text, (int)len, XML_TRUE) == XML_STATUS_OK;
	if (!ok && !c.failed)
		errf(err, errlen, -1, "line %lu column %lu: %s",
		    (unsigned long)XML_GetCurrentLineNumber(c.p),
		    (unsigned long)XML_GetCurrentColumnNumber(c.p),
		    XML_ErrorString(XML_GetErrorCode(c.p)));
	XML_ParserFree(c.p);
	return ok && !c.failed ? 0 : -1;
}

/* Text for an attribute or element: markup escaped, controls as '?'.
 * Like buf's appends: 1, or 0 when out of memory. */
static int
put_esc(struct buf *b, const char *s)
{
	char	 ref[8];
	int	 ok = 1;

	for (; *s != '\0' && ok; s++) {
		switch (*s) {
		case '&': ok = buf_add_str(b, "&amp;"); break;
		case '<': ok = buf_add_str(b, "&lt;"); break;
		case '>': ok = buf_add_str(b, "&gt;"); break;
		case '"': ok = buf_add_str(b, "&quot;"); break;
		case '\t': case '\n': case '\r':
			snprintf(ref, sizeof(ref), "&#%d;", *s);
			ok = buf_add_str(b, ref);
			break;
		default:
			ok = buf_add_u8(b, (uint8_t)((unsigned char)*s < 0x20 ?
			    '?' : *s));
		}
	}
	return ok;
}

int
dmo_xml_build(const struct dmo_xml *x, struct buf *b)
{
	const char *f = x->format == 'T' ? "Text" : x->format == 'F' ? "Fixed" :
	    x->format == 'V' ? "Variable" : "Unstructured";
	char	 line[256];
	size_t	 i;
	int	 ok;

	snprintf(line, sizeof(line), "<?xml version=\"1.0\" encoding=\"utf-8\" "
	    "standalone=\"yes\"?>\n<oftp>\n  <description format=\"%s\" "
	    "maximumRecordSize=\"%" PRIu32 "\" fileSize=\"%" PRId64 "\" "
	    "fileSizeUnpacked=\"%" PRId64 "\">", f, x->lrecl,
	    x->fsize < 0 ? 0 : x->fsize, x->fsize_unpacked < 0 ? 0 :
	    x->fsize_unpacked);
	ok = buf_add_str(b, line) && put_esc(b, x->desc) &&
	    buf_add_str(b, "</description>\n");
	if (ok && x->has_commit) {
		snprintf(line, sizeof(line), "  <commit reasonCode=\"%u\" "
		    "reasonText=\"", x->reason);
		ok = buf_add_str(b, line) && put_esc(b, x->reason_text) &&
		    buf_add_str(b, "\" userData=\"") && put_esc(b, x->user) &&
		    buf_add_str(b, "\" />\n");
	}
	if (ok && x->dest[0] != '\0') {
		snprintf(line, sizeof(line), "  <oxgate dest=\"%s\" />\n",
		    x->dest);
		ok = buf_add_str(b, line);
	}
	if (ok && x->has_records) {
		ok = buf_add_str(b, "  <records>\n");
		for (i = 0; i < x->nrec && ok; i++) {
			snprintf(line, sizeof(line), "    <r o=\"%" PRIu64 "\" "
			    "l=\"%" PRIu32 "\" />\n", x->rec[i].off,
			    x->rec[i].len);
			ok = buf_add_str(b, line);
		}
		ok = ok && buf_add_str(b, "  </records>\n");
	}
	ok = ok && buf_add_str(b, "</oftp>\n");
	return ok ? 0 : -1;
}
