/*
 * NAME
 *	mime_out - an IPM as a MIME entity for an OFTP payload (see
 *	mime_out.h)
 * DESCRIPTION
 *	The header fields are built as text (mime_out_header), the body
 *	parts as GMime objects written with CR LF line ends.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "gw/mime_out.h"
#include "oftp/cms.h"
#include "util/afile.h"
#include "x400/t61.h"

void
mime_out_init(struct mime_out *m)
{
	memset(m, 0, sizeof(*m));
	m->mode = CTYPES_1988;
	m->subject = "";
	m->boundary = "_oxgate_";
	m->fd = -1;
}

static void
warn(const struct mime_out *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
warn(const struct mime_out *m, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	if (m->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	m->warn(m->arg, msg);
}

/* --- the header: RFC 2156 mapping of the IPM heading -------------------- */

/*
 * One O/R address as an RFC 822 address appended to out (after sep when
 * out is not empty); 0, or -1 when it does not map (out unchanged).
 */
static int
add_822(const struct mime_out *m, const struct orname *or, const char *sep,
    struct buf *out)
{
	struct buf	 a;
	char		 err[256];
	int		 e;

	buf_init(&a);
	if ((e = mixer_or_to_822(m->mixer, or, &a, err, sizeof(err))) !=
	    MIXER_OK || buf_error(&a) || a.len == 0) {
		warn(m, "O/R address does not map to RFC 822: %.200s",
		    e != MIXER_OK ? err : "out of memory");
		buf_free(&a);
		return -1;
	}
	if (out->len > 0)
		buf_add_str(out, sep);
	buf_add(out, a.p, a.len);
	buf_free(&a);
	return 0;
}

/*
 * The display name of an ORDescriptor (RFC 2156 4.7.2, our reading):
 * its free-form name, else the personal name of its formal name
 * ("Given I. Surname"); UTF-8 in name, control characters as spaces.
 * 0 if none.
 */
static int
desc_name(const struct p22_ordesc *d, struct buf *name)
{
	const char	*g, *in, *sn;
	size_t		 i;

	buf_reset(name);
	if (d->has_ffn && d->ffnlen > 0)
		t61_to_utf8(d->ffn, d->ffnlen, name);
	else if (d->has_formal && (sn = orname_get(&d->formal, OR_S)) !=
	    NULL) {
		if ((g = orname_get(&d->formal, OR_G)) != NULL) {
			buf_add_str(name, g);
			buf_add_u8(name, ' ');
		}
		in = orname_get(&d->formal, OR_I);
		for (i = 0; in != NULL && in[i] != '\0'; i++) {
			buf_add_u8(name, (uint8_t)in[i]);
			buf_add_str(name, ". ");
		}
		buf_add_str(name, sn);
	}
	for (i = 0; i < name->len; i++)
		if (name->p[i] < 0x20 || name->p[i] == 0x7f)
			name->p[i] = ' ';
	while (name->len > 0 && name->p[name->len - 1] == ' ')
		name->len--;
	return name->len > 0 && !buf_error(name);
}

/* A display name as an RFC 822 phrase: a quoted string when printable
 * ASCII, else RFC 2047 encoded words (UTF-8). */
static void
add_phrase(struct buf *name, struct buf *out)
{
	char	*enc;
	size_t	 i;
	int	 ascii = 1;

	for (i = 0; i < name->len; i++)
		if (name->p[i] >= 0x80)
			ascii = 0;
	if (!ascii) {
		enc = g_mime_utils_header_encode_phrase(NULL, buf_cstr(name),
		    NULL);
		buf_add_str(out, enc != NULL ? enc : "");
		g_free(enc);
		return;
	}
	buf_add_u8(out, '"');
	for (i = 0; i < name->len; i++) {
		if (name->p[i] == '"' || name->p[i] == '\\')
			buf_add_u8(out, '\\');
		buf_add_u8(out, name->p[i]);
	}
	buf_add_u8(out, '"');
}

/*
 * An ORDescriptor as an RFC 822 mailbox appended to out (after sep when
 * out is not empty): "phrase <addr>", else the bare address. 0, or -1
 * when the formal name does not map.
 */
static int
add_desc_822(const struct mime_out *m, const struct p22_ordesc *d,
    const char *sep, struct buf *out)
{
	struct buf	 a, name;

	buf_init(&a);
	if (!d->has_formal || add_822(m, &d->formal, "", &a) < 0) {
		buf_free(&a);
		return -1;
	}
	buf_init(&name);
	if (out->len > 0)
		buf_add_str(out, sep);
	if (!desc_name(d, &name))
		buf_add(out, a.p, a.len);
	else {
		add_phrase(&name, out);
		buf_add_str(out, " <");
		buf_add(out, a.p, a.len);
		buf_add_u8(out, '>');
	}
	buf_free(&name);
	buf_free(&a);
	return 0;
}

/* The formal names of recipients as an address list (may stay empty). */
static void
add_rcpts_822(const struct mime_out *m, const struct p22_rcpts *r,
    struct buf *out)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].r.has_formal)
			(void)add_desc_822(m, &r->v[i].r, ",\r\n ", out);
}

/* One header field "Name: value" CR LF (the value may be long). */
static void
put_field(struct buf *out, const char *name, const struct buf *value)
{
	buf_add_str(out, name);
	buf_add_str(out, ": ");
	buf_add(out, value->p, value->len);
	buf_add_str(out, "\r\n");
}

/*
 * A field of IPM identifiers (RFC 2156 5.3.4, rfc2156.txt:4979):
 * In-Reply-To and References with the 4.7.3.5 phrase form, Supersedes
 * msg-ids only; an identifier that does not map is left out.
 */
static void
ref_field(const struct mime_out *m, struct buf *out, const char *name,
    const struct p22_ipmid *v, size_t n, int phrase)
{
	struct buf	 a;
	size_t		 i, len;
	char		 err[256];

	buf_init(&a);
	for (i = 0; i < n; i++) {
		len = a.len;
		if (len > 0)
			buf_add_str(&a, "\r\n ");
		if ((phrase ? mixer_ipm_to_ref : mixer_ipm_to_msgid)(m->mixer,
		    v[i].has_user ? &v[i].user : NULL, v[i].local, &a, err,
		    sizeof(err)) != MIXER_OK) {
			a.len = len;
			warn(m, "%s: an IPM identifier does not map: %.200s",
			    name, err);
		}
	}
	if (a.len > 0 && !buf_error(&a))
		put_field(out, name, &a);
	buf_free(&a);
}

/* From, To, Cc, Message-ID and the references (RFC 2156 5.3.4). */
static void
addr_fields(const struct mime_out *m, struct buf *out)
{
	const struct p22_heading *h = &m->ipm->h;
	struct buf	 a;
	char		 err[256] = "";
	int		 ipm = m->ipm->kind == P22_IPM;

	buf_init(&a);
	if (!(ipm && h->has_originator && h->originator.has_formal &&
	    add_desc_822(m, &h->originator, "", &a) == 0) &&
	    add_822(m, m->env_orig, "", &a) < 0)
		orname_print(m->env_orig, &a);
	put_field(out, "From", &a);
	buf_reset(&a);
	if (ipm)
		add_rcpts_822(m, &h->primary, &a);
	if (a.len == 0 && add_822(m, m->to, "", &a) < 0)
		orname_print(m->to, &a);
	put_field(out, "To", &a);
	buf_reset(&a);
	if (ipm)
		add_rcpts_822(m, &h->copy, &a);
	if (a.len > 0)
		put_field(out, "Cc", &a);
	buf_reset(&a);
	if (ipm && mixer_ipm_to_msgid(m->mixer, h->this_ipm.has_user ?
	    &h->this_ipm.user : NULL, h->this_ipm.local, &a, err,
	    sizeof(err)) == MIXER_OK && !buf_error(&a) && a.len > 0)
		put_field(out, "Message-ID", &a);
	else if (ipm)
		warn(m, "IPM identifier does not map to a Message-ID: %.200s",
		    err);
	buf_free(&a);
	if (!ipm)
		return;
	if (h->has_replied)
		ref_field(m, out, "In-Reply-To", &h->replied, 1, 1);
	ref_field(m, out, "References", h->related, h->nrelated, 1);
	ref_field(m, out, "Supersedes", h->obsoleted, h->nobsoleted, 0);
}

void
mime_out_header(const struct mime_out *m, struct buf *out)
{
	GMimeFormatOptions *fo;
	struct tm	 tm;
	char		 date[64], *enc;

	buf_add_str(out, "MIME-Version: 1.0\r\n");
	addr_fields(m, out);
	if (m->subject != NULL && m->subject[0] != '\0') {
		fo = g_mime_format_options_new();
		g_mime_format_options_set_newline_format(fo,
		    GMIME_NEWLINE_FORMAT_DOS);
		enc = g_mime_utils_header_encode_text(fo, m->subject, "utf-8");
		buf_add_str(out, "Subject:");
		if (enc[0] != ' ')
			buf_add_u8(out, ' ');
		buf_add_str(out, enc);
		buf_add_str(out, "\r\n");
		g_free(enc);
		g_mime_format_options_free(fo);
	}
	gmtime_r(&m->date, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_add_str(out, "Date: ");
	buf_add_str(out, date);
	buf_add_str(out, "\r\n");
}

/* --- the body parts --------------------------------------------------- */

/*
 * A file name from an FTBP pathname that cannot leave a directory: the
 * last component, with every octet outside printable ASCII and every
 * '/', '\\', ':', '"' made '_', runs of dots made one dot, no leading
 * dot; "partN" when nothing is left.
 */
static void
safe_filename(const struct p22_ftbp *ft, size_t n, char *out, size_t outlen)
{
	const char *s = "", *slash;
	size_t	 i, k = 0;
	unsigned char ch;

	if (ft != NULL && ft->has_pathname && ft->path.n > 0)
		s = ft->path.v[ft->path.n - 1];
	if ((slash = strrchr(s, '/')) != NULL)
		s = slash + 1;
	if ((slash = strrchr(s, '\\')) != NULL)
		s = slash + 1;
	for (i = 0; s[i] != '\0' && k + 1 < outlen && k < 128; i++) {
		ch = (unsigned char)s[i];
		if (ch < 0x21 || ch > 0x7e || ch == '/' || ch == '\\' ||
		    ch == ':' || ch == '"')
			ch = '_';
		if (ch == '.' && (k == 0 || out[k - 1] == '.'))
			continue;
		out[k++] = (char)ch;
	}
	out[k] = '\0';
	if (k == 0)
		snprintf(out, outlen, "part%zu", n);
}

/* A GMime stream over data: a bounded view of the file when the data is
 * in its mapping, else a copy. */
static GMimeStream *
data_stream(const struct mime_out *m, const uint8_t *p, size_t len)
{
	int	 fd;

	if (m->map != NULL && p >= m->map && p + len <= m->map + m->maplen &&
	    (fd = dup(m->fd)) >= 0)
		return g_mime_stream_fs_new_with_bounds(fd, p - m->map,
		    (p - m->map) + (gint64)len);
	return g_mime_stream_mem_new_with_buffer((const char *)p, len);
}

/*
 * The MIME type of a body part from the content-type table
 * (mapping/x400-to-mime); application/octet-stream when it has no line.
 */
static GMimePart *
part_new(const struct mime_out *m, const struct p22_bodypart *bp)
{
	const struct ctypes_x2m *e = NULL;
	const char	*oids[3];
	enum ctypes_bp	 t = CTYPES_BP_NONE;
	GMimePart	*part;
	size_t		 i;

	if (bp->type == P22_BP_IA5)
		t = CTYPES_BP_IA5;
	else if (bp->type == P22_BP_GENERAL_TEXT)
		t = CTYPES_BP_LATIN1;
	else if (bp->type == P22_BP_BILATERAL)
		t = CTYPES_BP_BP14;
	else if (bp->type == P22_BP_FTBP && bp->ftbp != NULL)
		t = CTYPES_BP_FTBP;
	if (t != CTYPES_BP_NONE && m->ctypes != NULL) {
		oids[0] = t == CTYPES_BP_FTBP && bp->ftbp->appref == 1 ?
		    bp->ftbp->appref_oid : NULL;
		oids[1] = t == CTYPES_BP_FTBP ? bp->ftbp->doctype : NULL;
		oids[2] = t == CTYPES_BP_FTBP ? bp->ftbp->data_oid : NULL;
		e = ctypes_x2m_lookup(m->ctypes, t, oids, 3, m->mode);
	}
	if (e == NULL)
		return g_mime_part_new_with_type("application",
		    "octet-stream");
	part = g_mime_part_new_with_type(e->type, e->subtype);
	for (i = 0; i < e->nparam; i++)
		g_mime_object_set_content_type_parameter((GMimeObject *)part,
		    e->attr[i], e->value[i]);
	return part;
}

/*
 * An S/MIME part says what its CMS object is (RFC 5751 3.2.2 smime-type):
 * the ContentInfo's content type, not the table's fixed parameter (the
 * seed: signed content as signed S/MIME, encrypted as enveloped-data).
 */
static void
smime_label(GMimePart *part, const struct p22_bodypart *bp)
{
	GMimeContentType *ct = g_mime_object_get_content_type(
	    (GMimeObject *)part);
	const char	*type = NULL;

	if (!g_mime_content_type_is_type(ct, "application", "pkcs7-mime"))
		return;
	switch (cms_detect(bp->data.p, bp->data.len)) {
	case CMS_LAYER_SIGNED:
		type = "signed-data";
		break;
	case CMS_LAYER_ENVELOPED:
		type = "enveloped-data";
		break;
	case CMS_LAYER_COMPRESSED:
		type = "compressed-data";
		break;
	}
	if (type != NULL)
		g_mime_object_set_content_type_parameter((GMimeObject *)part,
		    "smime-type", type);
}

/*
 * GMime writes the structure and the header fields; base64 content is
 * ours (GMime's encoder and its line-end filter, in 5 KB writes, were
 * three quarters of the CPU of a large part). Each base64 part's
 * content is a mark, a random token of this entity (struct mark: an IA5
 * part written as it is could hold any fixed one), n, the token again
 * and a line end; b64_write() writes GMime's output with each mark
 * replaced by that part's data in base64, lines of 76 characters, each
 * ending with CR LF, as GMime's encoder writes it.
 */
struct mark {
	char	 tok[40];		/* "\001" 32 hex digits "\001" */
	size_t	 len;
};

static int
mark_new(struct mark *k)
{
	uint8_t	 r[16];
	size_t	 i;

	if (RAND_bytes(r, sizeof(r)) != 1)
		return -1;
	k->tok[0] = '\001';
	for (i = 0; i < sizeof(r); i++)
		snprintf(k->tok + 1 + 2 * i, 3, "%02x", r[i]);
	k->tok[33] = '\001';
	k->tok[34] = '\0';
	k->len = 34;
	return 0;
}

/*
 * p, len in base64 to fd; -1 when a read or write failed. Data in the
 * mapping of m->fd is read with pread (as data_stream() does), so that
 * the pages read do not stay in the process.
 */
static int
b64_encode(const struct mime_out *m, int fd, const uint8_t *p, size_t len)
{
	uint8_t	 in[840 * 57], out[840 * 78];
	size_t	 n, i, k, r;
	off_t	 off = -1;

	if (m->map != NULL && p >= m->map && p + len <= m->map + m->maplen)
		off = p - m->map;
	while (len > 0) {
		r = len < sizeof(in) ? len : sizeof(in);
		if (off >= 0) {
			if (pread_all(m->fd, in, r, off) < 0)
				return -1;
			off += (off_t)r;
		} else
			memcpy(in, p, r);
		p += r;
		len -= r;
		for (i = n = 0; i < r; i += k) {
			k = r - i < 57 ? r - i : 57;
			n += (size_t)EVP_EncodeBlock(out + n, in + i, (int)k);
			out[n++] = '\r';
			out[n++] = '\n';
		}
		if (write_all(fd, out, n) < 0)
			return -1;
	}
	return 0;
}

/* The data of body part n (1-based) as part_of() takes it. */
static void
part_data(const struct mime_out *m, size_t n, const uint8_t **p, size_t *len)
{
	const struct p22_bodypart *bp = &m->ipm->bp[n - 1];

	if (bp->type == P22_BP_FTBP || bp->type == P22_BP_BILATERAL ||
	    bp->type == P22_BP_IA5 || bp->type == P22_BP_GENERAL_TEXT) {
		*p = bp->data.p;
		*len = bp->data.len;
	} else {
		*p = bp->raw.p;
		*len = bp->raw.len;
	}
}

/* GMime's output o to fd, each mark replaced by its part in base64. */
static int
b64_write(const struct mime_out *m, const struct mark *mk,
    const GByteArray *o, int fd)
{
	const uint8_t	*s = o->data, *e = o->data + o->len, *k, *q;
	const uint8_t	*p;
	size_t		 n, len, ml = mk->len;

	while ((k = memmem(s, (size_t)(e - s), mk->tok, ml)) != NULL) {
		n = 0;
		for (q = k + ml; q < e && *q >= '0' && *q <= '9'; q++)
			n = n * 10 + (size_t)(*q - '0');
		if (n < 1 || n > m->ipm->nbp || (size_t)(e - q) < ml + 2 ||
		    memcmp(q, mk->tok, ml) != 0 || memcmp(q + ml, "\r\n", 2)
		    != 0)
			return -1;		/* not ours: cannot be */
		part_data(m, n, &p, &len);
		if (write_all(fd, s, (size_t)(k - s)) < 0 ||
		    b64_encode(m, fd, p, len) < 0)
			return -1;
		s = q + ml + 2;
	}
	return write_all(fd, s, (size_t)(e - s));
}

/* One body part (number n) as a MIME part. */
static GMimeObject *
part_of(const struct mime_out *m, const struct mark *mk,
    const struct p22_bodypart *bp, size_t n)
{
	GMimePart	*part;
	GMimeStream	*st;
	GMimeDataWrapper *dw;
	const uint8_t	*p;
	size_t		 len;
	char		 fname[256];

	part_data(m, n, &p, &len);
	part = part_new(m, bp);
	switch (bp->type) {
	case P22_BP_IA5:
	case P22_BP_GENERAL_TEXT:
	case P22_BP_BILATERAL:
		break;
	case P22_BP_FTBP:
		if (bp->ftbp != NULL && bp->ftbp->is_cms) {
			smime_label(part, bp);
			g_mime_part_set_filename(part, "smime.p7m");
			break;
		}
		safe_filename(bp->ftbp, n, fname, sizeof(fname));
		g_mime_part_set_filename(part, fname);
		break;
	default:			/* forwarded IPM, other: as BER */
		snprintf(fname, sizeof(fname), "part%zu.ber", n);
		g_mime_part_set_filename(part, fname);
		break;
	}
	if (bp->type == P22_BP_IA5 || bp->type == P22_BP_GENERAL_TEXT) {
		st = data_stream(m, p, len);
		dw = g_mime_data_wrapper_new_with_stream(st,
		    GMIME_CONTENT_ENCODING_DEFAULT);
	} else {	/* base64: a mark, replaced by b64_write() */
		st = g_mime_stream_mem_new();
		g_mime_stream_printf(st, "%s%zu%s\n", mk->tok, n, mk->tok);
		dw = g_mime_data_wrapper_new_with_stream(st,
		    GMIME_CONTENT_ENCODING_BASE64);
	}
	g_mime_part_set_content(part, dw);
	g_object_unref(dw);
	g_object_unref(st);
	if (bp->type == P22_BP_IA5)
		g_mime_part_set_content_encoding(part,
		    GMIME_CONTENT_ENCODING_7BIT);
	else if (bp->type == P22_BP_GENERAL_TEXT)
		g_mime_part_set_content_encoding(part,
		    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	else
		g_mime_part_set_content_encoding(part,
		    GMIME_CONTENT_ENCODING_BASE64);
	return (GMimeObject *)part;
}

/* The one body part, or a multipart/mixed of them all. */
static GMimeObject *
entity(const struct mime_out *m, const struct mark *mk)
{
	GMimeMultipart	*mp;
	GMimeObject	*part;
	size_t		 i;

	if (m->ipm->nbp == 1)
		return part_of(m, mk, &m->ipm->bp[0], 1);
	mp = g_mime_multipart_new_with_subtype("mixed");
	g_mime_multipart_set_boundary(mp, m->boundary);
	for (i = 0; i < m->ipm->nbp; i++) {
		part = part_of(m, mk, &m->ipm->bp[i], i + 1);
		g_mime_multipart_add(mp, part);
		g_object_unref(part);
	}
	return (GMimeObject *)mp;
}

/* The Content-Type field of top, unfolded: its name, no CR LF. */
static void
content_type_field(GMimeObject *top, GMimeFormatOptions *fo, char *desc,
    size_t desclen)
{
	struct buf	 b;
	char		*ct;
	size_t		 i;

	ct = g_mime_content_type_encode(g_mime_object_get_content_type(top),
	    fo);
	buf_init(&b);
	buf_add_str(&b, "Content-Type:");
	for (i = 0; ct[i] != '\0'; i++)
		if (ct[i] != '\r' && ct[i] != '\n' && !(ct[i] == '\t' &&
		    i > 0 && ct[i - 1] == '\n'))
			buf_add_u8(&b, (uint8_t)ct[i]);
	g_free(ct);
	snprintf(desc, desclen, "%s", buf_cstr(&b));
	buf_free(&b);
}

int
mime_out_write(const struct mime_out *m, int fd, char *desc, size_t desclen)
{
	GMimeFormatOptions *fo;
	GMimeObject	*top;
	GMimeStream	*out;
	struct buf	 h;
	struct mark	 mk;
	int		 rc = 0;

	if (mark_new(&mk) < 0)
		return -1;
	top = entity(m, &mk);
	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	out = g_mime_stream_mem_new();
	if (m->header) {
		buf_init(&h);
		mime_out_header(m, &h);
		if (buf_error(&h) || g_mime_stream_write(out,
		    (const char *)h.p, h.len) != (ssize_t)h.len)
			rc = -1;
		buf_free(&h);
		/* the part's own headers (Content-Type, -Disposition, ...) */
		if (rc == 0 && g_mime_object_write_to_stream(top, fo, out) < 0)
			rc = -1;
	} else {
		content_type_field(top, fo, desc, desclen);
		if (g_mime_object_write_content_to_stream(top, fo, out) < 0)
			rc = -1;
	}
	if (rc == 0 && b64_write(m, &mk, g_mime_stream_mem_get_byte_array(
	    GMIME_STREAM_MEM(out)), fd) < 0)
		rc = -1;
	g_object_unref(out);
	g_object_unref(top);
	g_mime_format_options_free(fo);
	return rc;
}
