/*
 * mime_in - a MIME entity at the start of an OFTP payload, split into
 * the parts that become X.400 body parts. See mime_in.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "asn1/ber.h"
#include "gw/mime_in.h"
#include "util/afile.h"
#include "util/buf.h"
#include "util/cur.h"

#define CHUNK		65536
#define SIG_MAX		(1024 * 1024)	/* a detached S/MIME signature */
#define OID_SIGNED_DATA	"1.2.840.113549.1.7.2"

static int	 gmime_up;

struct walk {
	struct mime_in	*m;
	char		*err;
	size_t		 errlen;
};

static int	 walk_object(struct walk *, GMimeObject *, unsigned);

void
mime_in_shutdown(void)
{
	if (gmime_up) {
		g_mime_shutdown();
		gmime_up = 0;
	}
}

static int
is_field_char(int ch)
{
	return ch > 32 && ch < 127 && ch != ':';
}

int
mime_in_detect_buf(const void *head, size_t n)
{
	const char *h = head;
	size_t	 i, ls, e;
	int	 mime = 0;

	if (n > MIME_IN_HEAD_MAX)
		n = MIME_IN_HEAD_MAX;
	for (i = 0; i < n; i = e + 1) {
		ls = i;
		for (e = i; e < n && h[e] != '\n'; e++)
			;
		if (e == n)
			break;			/* no empty line in reach */
		if (e == ls || (e == ls + 1 && h[ls] == '\r'))
			return mime;		/* the end of the header */
		if (h[ls] == ' ' || h[ls] == '\t') {
			if (ls == 0)
				break;		/* continuation of nothing */
			continue;
		}
		for (; i < e && is_field_char((unsigned char)h[i]); i++)
			;
		if (i == ls || i == e || h[i] != ':')
			break;			/* not a header line */
		if ((i - ls == 12 && strncasecmp(h + ls, "MIME-Version", 12)
		    == 0) || (i - ls == 12 && strncasecmp(h + ls,
		    "Content-Type", 12) == 0))
			mime = 1;
	}
	return 0;
}

int
mime_in_detect(int fd)
{
	char	*h;
	ssize_t	 r;
	size_t	 n = 0;
	int	 rc;

	if ((h = malloc(MIME_IN_HEAD_MAX)) == NULL)
		return -1;
	while (n < MIME_IN_HEAD_MAX && (r = pread(fd, h + n,
	    MIME_IN_HEAD_MAX - n, (off_t)n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(h);
			return -1;
		}
		n += (size_t)r;
	}
	rc = mime_in_detect_buf(h, n);
	free(h);
	return rc;
}

void
mime_in_init(struct mime_in *m)
{
	size_t	 i;

	memset(m, 0, sizeof(*m));
	m->mode = CTYPES_1988;
	for (i = 0; i < MIME_IN_MAX_PARTS; i++)
		m->v[i].fd = -1;
}

void
mime_in_free(struct mime_in *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].fd >= 0) {
			close(m->v[i].fd);
			m->v[i].fd = -1;
		}
	m->n = 0;
}

void
mime_in_sanitise(const char *in, char *out, size_t outlen)
{
	const char *s;
	size_t	 n = 0;

	if (outlen == 0)
		return;
	if ((s = strrchr(in, '/')) != NULL)
		in = s + 1;
	if ((s = strrchr(in, '\\')) != NULL)
		in = s + 1;
	for (; *in != '\0' && n + 1 < outlen && n < MIME_IN_NAME_MAX; in++) {
		unsigned char ch = (unsigned char)*in;

		if (ch < 0x20 || ch == 0x7f)
			continue;
		out[n++] = ch >= 0x80 ? '_' : (char)ch;
	}
	out[n] = '\0';
	if (strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		out[0] = '\0';
}

static int
fail(struct walk *w, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct walk *w, int code, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(w->err, w->errlen, fmt, ap);
	va_end(ap);
	return code;
}

/* A new part slot with a temporary file; MIME_IN_ETOOMANY past the limit. */
static int
new_part(struct walk *w, const char *type, struct mime_part **pp)
{
	struct mime_part *p;

	if (w->m->n >= MIME_IN_MAX_PARTS)
		return fail(w, MIME_IN_ETOOMANY, "more than %d MIME parts "
		    "(the limit of body parts in one message)",
		    MIME_IN_MAX_PARTS);
	p = &w->m->v[w->m->n];
	memset(p, 0, sizeof(*p));
	if ((p->fd = afile_anon(w->m->tmpdir)) < 0)
		return fail(w, MIME_IN_EIO, "temporary file in %.300s: %s",
		    w->m->tmpdir, strerror(errno));
	w->m->n++;
	snprintf(p->type, sizeof(p->type), "%s", type);
	p->text = p->ascii = 1;
	*pp = p;
	return MIME_IN_OK;
}

/* n decoded octets into the part's file, counted against the limit. */
static int
put(struct walk *w, struct mime_part *p, const char *b, size_t n)
{
	w->m->total += (uint64_t)n;
	if (w->m->total > w->m->max)
		return fail(w, MIME_IN_EBIG, "decoded MIME content is above "
		    "the maximum file size %llu",
		    (unsigned long long)w->m->max);
	ctypes_scan(b, n, &p->text, &p->ascii);
	if (write_all(p->fd, b, n) < 0)
		return fail(w, MIME_IN_EIO, "temporary file: %s",
		    strerror(errno));
	p->len += (uint64_t)n;
	return MIME_IN_OK;
}

/* base64 values: the alphabet's, 0xff for the rest ('=' too) */
static const uint8_t b64_rank[256] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0x3e, 0xff, 0xff, 0xff, 0x3f,
	0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b,
	0x3c, 0x3d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
	0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
	0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
	0x17, 0x18, 0x19, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20,
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
	0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30,
	0x31, 0x32, 0x33, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/*
 * The offset of the first octet of b[0..n) outside the base64 alphabet,
 * '=' and white space (n when none): 16 octets at a time (GCC/Clang
 * vector extensions), then one by one from the block that has one.
 */
typedef unsigned char	v16u __attribute__((vector_size(16)));

static int
b64_octet(unsigned char c)
{
	return b64_rank[c] != 0xff || c == '=' || c == ' ' || c == '\t' ||
	    c == '\r' || c == '\n';
}

static size_t
b64_bad(const unsigned char *b, size_t n)
{
	v16u	 v, ok;
	uint64_t w[2];
	size_t	 i;

	for (i = 0; i + 16 <= n; i += 16) {
		memcpy(&v, b + i, 16);
		ok = (v16u)(((v >= 'A') & (v <= 'Z')) | ((v >= 'a') &
		    (v <= 'z')) | ((v >= '0') & (v <= '9')) | (v == '+') |
		    (v == '/') | (v == '=') | (v == ' ') | (v == '\t') |
		    (v == '\r') | (v == '\n'));
		memcpy(w, &ok, 16);
		if ((w[0] & w[1]) != UINT64_MAX)
			break;
	}
	for (; i < n && b64_octet(b[i]); i++)
		;
	return i;
}


/*
 * GMime's base64 decode step (g_mime_encoding_base64_decode_step of
 * GMime 3.2: the same octets, state and save for any input cut into
 * any steps; '=' ends the data, state -1), whole quartets of the
 * alphabet at a time: GMime takes one character per turn of its loop,
 * a third of the CPU of a large MIME attachment.
 */
size_t
mime_in_b64_step(const uint8_t *in, size_t len, uint8_t *out, int *state,
    uint32_t *save)
{
	const uint8_t	*p = in, *e = in + len;
	uint8_t		*o = out;
	uint32_t	 saved = *save, a, b, c, d;
	int		 n = *state;

	if (n == -1)
		return 0;			/* past the '=' */
	while (p < e) {
		for (; n == 0 && e - p >= 4; p += 4, o += 3) {
			a = b64_rank[p[0]];
			b = b64_rank[p[1]];
			c = b64_rank[p[2]];
			d = b64_rank[p[3]];
			if ((a | b | c | d) & 0xc0)
				break;		/* not four of the alphabet */
			saved = a << 18 | b << 12 | c << 6 | d;
			o[0] = (uint8_t)(saved >> 16);
			o[1] = (uint8_t)(saved >> 8);
			o[2] = (uint8_t)saved;
			saved = 0;
		}
		if (p == e)
			break;
		if ((a = b64_rank[*p++]) != 0xff) {
			saved = saved << 6 | a;
			if (++n == 4) {
				*o++ = (uint8_t)(saved >> 16);
				*o++ = (uint8_t)(saved >> 8);
				*o++ = (uint8_t)saved;
				saved = 0;
				n = 0;
			}
		} else if (p[-1] == '=') {	/* the end */
			if (n >= 2) {		/* 2 or 3 characters: 1, 2 */
				saved <<= 6 * (4 - n);
				*o++ = (uint8_t)(saved >> 16);
				if (n > 2)
					*o++ = (uint8_t)(saved >> 8);
			}
			n = -1;
			break;
		}
	}
	*save = saved;
	*state = n;
	return (size_t)(o - out);
}

/*
 * The decoded content of a leaf part (transfer encoding undone, CR LF
 * line ends for text when crlf), read in CHUNK octets at a time and put
 * through GMime's filters by hand (a filter stream reads its source 4
 * KiB at a time, each read a seek and a read). Base64 that GMime would
 * decode by skipping what is not base64 is corrupt: only the alphabet,
 * '=' and white space are allowed.
 */
static int
decode_leaf(struct walk *w, GMimePart *part, int crlf, struct mime_part *p)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream	*src;
	GMimeFilter	*flt[2] = { NULL, NULL };
	GMimeContentEncoding enc;
	char		*chunk, *out, *dec = NULL;
	size_t		 n, pre, i, k;
	uint32_t	 save = 0;
	int		 st = 0;
	ssize_t		 r = 0;
	int		 rc = MIME_IN_OK;

	if (dw == NULL || (src = g_mime_data_wrapper_get_stream(dw)) == NULL)
		return MIME_IN_OK;		/* empty */
	enc = g_mime_data_wrapper_get_encoding(dw);
	if (enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	    enc == GMIME_CONTENT_ENCODING_UUENCODE)
		flt[0] = g_mime_filter_basic_new(enc, FALSE);
	if (crlf)
		flt[1] = g_mime_filter_unix2dos_new(FALSE);
	if ((chunk = malloc(CHUNK)) == NULL || (enc ==
	    GMIME_CONTENT_ENCODING_BASE64 && (dec = malloc(CHUNK)) == NULL))
		rc = fail(w, MIME_IN_EIO, "out of memory");
	g_mime_stream_reset(src);
	for (k = 0; rc == MIME_IN_OK && k == 0; ) {
		/* past its end a bounded stream's read is -1 as well */
		if ((r = g_mime_stream_read(src, chunk, CHUNK)) <= 0) {
			if (!g_mime_stream_eos(src)) {
				rc = fail(w, MIME_IN_EIO, "reading the MIME "
				    "content failed");
				break;
			}
			r = 0;
			k = 1;			/* the end: flush the filters */
		}
		if (enc == GMIME_CONTENT_ENCODING_BASE64 && (i =
		    b64_bad((unsigned char *)chunk, (size_t)r)) < (size_t)r) {
			rc = fail(w, MIME_IN_ECORRUPT, "corrupt MIME: octet "
			    "0x%02x in base64 content", (unsigned char)chunk[i]);
			break;
		}
		out = chunk;
		n = (size_t)r;
		pre = 0;
		if (dec != NULL) {
			n = mime_in_b64_step((uint8_t *)chunk, n,
			    (uint8_t *)dec, &st, &save);
			out = dec;
		}
		for (i = 0; i < 2; i++) {
			if (flt[i] == NULL)
				continue;
			if (k)
				g_mime_filter_complete(flt[i], out, n, pre,
				    &out, &n, &pre);
			else
				g_mime_filter_filter(flt[i], out, n, pre,
				    &out, &n, &pre);
		}
		rc = put(w, p, out, n);
	}
	free(chunk);
	free(dec);
	for (i = 0; i < 2; i++)
		if (flt[i] != NULL)
			g_object_unref(flt[i]);
	return rc;
}

static int
is_latin1(const char *cs)
{
	return strcasecmp(cs, "iso-8859-1") == 0 || strcasecmp(cs,
	    "iso8859-1") == 0 || strcasecmp(cs, "latin1") == 0 ||
	    strcasecmp(cs, "iso_8859-1") == 0 || strcasecmp(cs, "l1") == 0;
}

static int
is_ascii_cs(const char *cs)
{
	return strcasecmp(cs, "us-ascii") == 0 || strcasecmp(cs, "ascii")
	    == 0 || strcasecmp(cs, "ansi_x3.4-1968") == 0;
}

/*
 * Text in another charset, to ISO 8859-1 in a new temporary file. 0 and
 * the part's fd replaced, or -1 when the text does not convert (the part
 * is left as it was).
 */
static int
to_latin1(struct walk *w, struct mime_part *p, const char *cs)
{
	iconv_t	 cd;
	char	*in, *out, *ip, *op;
	size_t	 have = 0, il, ol;
	ssize_t	 r;
	off_t	 off = 0;
	int	 nfd, ok = 1;
	struct mime_part q = *p;

	if ((cd = iconv_open("ISO-8859-1", cs)) == (iconv_t)-1)
		return -1;
	if ((nfd = afile_anon(w->m->tmpdir)) < 0) {
		iconv_close(cd);
		return -1;
	}
	in = malloc(CHUNK);
	out = malloc(CHUNK * 2);
	q.len = 0;
	q.text = q.ascii = 1;
	while (ok && in != NULL && out != NULL && (r = pread(p->fd, in + have,
	    CHUNK - have, off)) >= 0) {
		off += r;
		il = have + (size_t)r;
		if (il == 0)
			break;
		ip = in;
		op = out;
		ol = CHUNK * 2;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 &&
		    (errno != EINVAL || r == 0))
			ok = 0;			/* EILSEQ, or cut at the end */
		ctypes_scan(out, (size_t)(op - out), &q.text, &q.ascii);
		if (write_all(nfd, out, (size_t)(op - out)) < 0)
			ok = 0;
		q.len += (uint64_t)(op - out);
		memmove(in, ip, il);
		have = il;
	}
	if (in == NULL || out == NULL)
		ok = 0;
	free(in);
	free(out);
	iconv_close(cd);
	if (!ok) {
		close(nfd);
		return -1;
	}
	close(p->fd);
	q.fd = nfd;
	*p = q;
	return 0;
}

static int
is_type(GMimeContentType *ct, const char *type, const char *sub)
{
	return g_mime_content_type_is_type(ct, type, sub);
}

/*
 * The whole MIME entity o (header fields, empty line, content with its
 * transfer encoding, CR LF lines) replaces the part's decoded data.
 */
static int
tunnel(struct walk *w, struct mime_part *p, GMimeObject *o)
{
	GMimeFormatOptions *fo;
	GMimeStream	*fs;
	off_t		 end;
	int		 rc = MIME_IN_OK;

	if (ftruncate(p->fd, 0) < 0 || lseek(p->fd, 0, SEEK_SET) < 0)
		return fail(w, MIME_IN_EIO, "temporary file: %s",
		    strerror(errno));
	w->m->total -= p->len;
	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	fs = g_mime_stream_fs_new(dup(p->fd));
	if (g_mime_object_write_to_stream(o, fo, fs) < 0 ||
	    g_mime_stream_flush(fs) < 0)
		rc = fail(w, MIME_IN_EIO, "writing the tunnelled %s entity "
		    "failed", p->type);
	g_object_unref(fs);
	g_mime_format_options_free(fo);
	if ((end = lseek(p->fd, 0, SEEK_END)) < 0)
		return fail(w, MIME_IN_EIO, "temporary file: %s",
		    strerror(errno));
	p->len = (uint64_t)end;
	p->text = p->ascii = 0;
	w->m->total += p->len;
	if (rc == MIME_IN_OK && w->m->total > w->m->max)
		rc = fail(w, MIME_IN_EBIG, "MIME content is above the maximum "
		    "file size %llu", (unsigned long long)w->m->max);
	return rc;
}

/*
 * The body part of a part from the content-type table: the first choice
 * of the line for its type, charset and the mode that fits its data;
 * BP14 for a type the table has no line for. o: the entity, for tunnel.
 */
static int
choose(struct walk *w, struct mime_part *p, GMimeObject *o, const char *cs)
{
	const struct ctypes_m2x	*e;
	const struct ctypes_choice *c;
	struct ctypes_props	 pr;

	if (w->m->ctypes == NULL)
		return MIME_IN_OK;
	e = ctypes_m2x_lookup(w->m->ctypes, p->type, cs, w->m->mode);
	pr.text = p->text;
	pr.ascii = p->ascii;
	pr.named = p->filename[0] != '\0';
	if ((c = ctypes_choose(e, &pr)) == NULL) {
		p->bp = CTYPES_BP_BP14;
		return MIME_IN_OK;
	}
	p->bp = c->bp == CTYPES_BP_FILE ? CTYPES_BP_FTBP : c->bp;
	snprintf(p->oid, sizeof(p->oid), "%s", c->oid);
	return p->bp == CTYPES_BP_TUNNEL ? tunnel(w, p, o) : MIME_IN_OK;
}

/* A leaf: decode it, then its body part from its type and data. */
static int
walk_leaf(struct walk *w, GMimePart *part)
{
	GMimeObject	*o = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	struct mime_part *p;
	const char	*cs, *fn;
	char		*mt;
	int		 text, edi, rc;

	mt = g_mime_content_type_get_mime_type(ct);
	rc = new_part(w, mt != NULL ? mt : "application/octet-stream", &p);
	g_free(mt);
	if (rc != MIME_IN_OK)
		return rc;
	fn = g_mime_part_get_filename(part);
	if (fn != NULL)
		mime_in_sanitise(fn, p->filename, sizeof(p->filename));
	text = is_type(ct, "text", "*");
	edi = is_type(ct, "application", "edifact") || is_type(ct,
	    "application", "edi-x12") || is_type(ct, "application",
	    "edi-consent");
	if ((rc = decode_leaf(w, part, text, p)) != MIME_IN_OK)
		return rc;
	cs = g_mime_content_type_get_parameter(ct, "charset");
	if ((text || edi) && p->text && cs != NULL && !is_ascii_cs(cs) &&
	    !is_latin1(cs) && !p->ascii && to_latin1(w, p, cs) < 0)
		p->text = 0;		/* does not convert: octets */
	return choose(w, p, o, cs);
}

/* Decode a small part (a detached signature) into memory. */
static int
part_to_buf(struct walk *w, GMimePart *part, struct buf *b)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream	*mem;
	GByteArray	*ba;
	int		 rc = MIME_IN_OK;

	if (dw == NULL)
		return fail(w, MIME_IN_ECORRUPT, "the S/MIME signature part "
		    "is empty");
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(dw, mem) < 0)
		rc = fail(w, MIME_IN_ECORRUPT, "the S/MIME signature part "
		    "does not decode");
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if (rc == MIME_IN_OK && ba->len > SIG_MAX)
		rc = fail(w, MIME_IN_ECORRUPT, "the S/MIME signature part is "
		    "above %d octets", SIG_MAX);
	if (rc == MIME_IN_OK && buf_add(b, ba->data, ba->len) < 0)
		rc = fail(w, MIME_IN_EIO, "out of memory");
	g_object_unref(mem);
	return rc;
}

/*
 * The signed entity of a multipart/signed, canonical (CR LF), into a
 * temporary file *cfd of *size octets (counted against the maximum).
 */
static int
signed_entity(struct walk *w, GMimeObject *content, int *cfd,
    uint64_t *size)
{
	GMimeStream	*fs, *f;
	GMimeFilter	*flt;
	struct stat	 st;
	int		 rc;

	if ((*cfd = afile_anon(w->m->tmpdir)) < 0 || (fs =
	    g_mime_stream_fs_new(dup(*cfd))) == NULL) {
		if (*cfd >= 0)
			close(*cfd);
		*cfd = -1;
		return fail(w, MIME_IN_EIO, "temporary file: %s",
		    strerror(errno));
	}
	f = g_mime_stream_filter_new(fs);
	flt = g_mime_filter_unix2dos_new(FALSE);
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(f), flt);
	g_object_unref(flt);
	rc = g_mime_object_write_to_stream(content, NULL, f) < 0 ||
	    g_mime_stream_flush(f) < 0 ? -1 : 0;
	g_object_unref(f);
	g_object_unref(fs);
	if (rc < 0 || fstat(*cfd, &st) < 0)
		return fail(w, MIME_IN_EIO, "writing the signed entity failed");
	*size = (uint64_t)st.st_size;
	w->m->total += *size;
	if (w->m->total > w->m->max)
		return fail(w, MIME_IN_EBIG, "S/MIME content is above the "
		    "maximum file size %llu", (unsigned long long)w->m->max);
	return MIME_IN_OK;
}

/*
 * The detached SignedData sig with the signed entity (cfd, size octets)
 * put in as its eContent, into bw: ContentInfo { signedData, [0]
 * SignedData { v, algs, eci, ... } }. 0, or -1 when sig is not a
 * detached SignedData (d holds the BER error, if it was one).
 */
static int
attach_content(struct ber_dec *d, const struct buf *sig, int cfd,
    uint64_t size, struct berw *bw)
{
	struct cur	 c, ci, sd;
	struct ber_tlv	 t, u;
	char		 oid[128];

	cur_init(&c, sig->p, sig->len);
	if (ber_read(d, &c, &t) != BER_OK || !ber_is(&t, BER_UNIV,
	    BER_SEQUENCE) || !t.cons)
		return -1;
	ci = t.val;
	if (ber_read(d, &ci, &u) != BER_OK || !ber_is(&u, BER_UNIV, BER_OID)
	    || ber_get_oid(d, &u, oid, sizeof(oid)) != BER_OK ||
	    strcmp(oid, OID_SIGNED_DATA) != 0)
		return -1;
	if (ber_read(d, &ci, &u) != BER_OK || !ber_is(&u, BER_CTX, 0) ||
	    !u.cons)
		return -1;
	sd = u.val;
	if (ber_read(d, &sd, &u) != BER_OK || !ber_is(&u, BER_UNIV,
	    BER_SEQUENCE) || !u.cons)
		return -1;
	sd = u.val;
	berw_open(bw, BER_UNIV, BER_SEQUENCE);
	berw_oid(bw, BER_UNIV, BER_OID, OID_SIGNED_DATA);
	berw_open(bw, BER_CTX, 0);
	berw_open(bw, BER_UNIV, BER_SEQUENCE);
	if (ber_normalize(d, &sd, bw) != BER_OK ||	/* version */
	    ber_normalize(d, &sd, bw) != BER_OK)	/* digestAlgorithms */
		return -1;
	if (ber_read(d, &sd, &t) != BER_OK || !ber_is(&t, BER_UNIV,
	    BER_SEQUENCE) || !t.cons)
		return -1;
	ci = t.val;
	if (ber_read(d, &ci, &u) != BER_OK || !ber_is(&u, BER_UNIV, BER_OID)
	    || ber_get_oid(d, &u, oid, sizeof(oid)) != BER_OK ||
	    cur_len(&ci) != 0)
		return -1;			/* not detached */
	berw_open(bw, BER_UNIV, BER_SEQUENCE);
	berw_oid(bw, BER_UNIV, BER_OID, oid);
	berw_open(bw, BER_CTX, 0);
	berw_prim_fd(bw, BER_UNIV, BER_OCTET_STRING, cfd, 0, size);
	berw_close(bw);
	berw_close(bw);
	while (cur_len(&sd) > 0)		/* certificates, crls, signerInfos */
		if (ber_normalize(d, &sd, bw) != BER_OK)
			return -1;
	berw_close(bw);
	berw_close(bw);
	berw_close(bw);
	return 0;
}

/*
 * multipart/signed (S/MIME): the detached SignedData with the signed
 * entity put in as its eContent, streamed into the part's file.
 */
static int
walk_signed(struct walk *w, GMimeMultipart *mp)
{
	GMimeObject	*content, *sigo;
	struct mime_part *p;
	struct buf	 sig;
	struct ber_dec	 d;
	struct berw	 bw;
	uint64_t	 size = 0;
	int		 cfd = -1, rc;

	content = g_mime_multipart_get_part(mp, GMIME_MULTIPART_SIGNED_CONTENT);
	sigo = g_mime_multipart_get_part(mp, GMIME_MULTIPART_SIGNED_SIGNATURE);
	if (g_mime_multipart_get_count(mp) != 2 || content == NULL ||
	    sigo == NULL || !GMIME_IS_PART(sigo))
		return fail(w, MIME_IN_ECORRUPT, "multipart/signed without "
		    "exactly a content and a signature part");
	if ((rc = new_part(w, "multipart/signed", &p)) != MIME_IN_OK)
		return rc;
	p->text = p->ascii = 0;
	buf_init(&sig);
	ber_dec_init(&d);
	berw_init(&bw);
	if ((rc = part_to_buf(w, GMIME_PART(sigo), &sig)) != MIME_IN_OK ||
	    (rc = signed_entity(w, content, &cfd, &size)) != MIME_IN_OK)
		goto out;
	if (attach_content(&d, &sig, cfd, size, &bw) < 0)
		rc = fail(w, MIME_IN_ECORRUPT, "the signature of the "
		    "multipart/signed is not a detached CMS SignedData (%s)",
		    d.err != BER_OK ? ber_strerror(d.err) :
		    "unexpected structure");
	else if (berw_error(&bw) != BER_OK)
		rc = fail(w, MIME_IN_EIO, "CMS encoding: %s",
		    ber_strerror(berw_error(&bw)));
	else {
		p->len = berw_size(&bw);
		rc = berw_write_fd(&bw, p->fd) == BER_OK ? MIME_IN_OK :
		    fail(w, MIME_IN_EIO, "temporary file: %s",
		    strerror(bw.err_errno));
	}
out:
	berw_free(&bw);
	if (cfd >= 0)
		close(cfd);
	buf_free(&sig);
	return rc;
}

static int
walk_object(struct walk *w, GMimeObject *o, unsigned depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	GMimeMultipart	*mp;
	GMimeMessage	*inner;
	struct mime_part *p;
	GMimeStream	*fs;
	const char	*proto;
	int		 i, n, rc;

	if (depth > MIME_IN_MAX_DEPTH)
		return fail(w, MIME_IN_ECORRUPT, "MIME nested more than %d "
		    "levels", MIME_IN_MAX_DEPTH);
	if (GMIME_IS_MULTIPART(o)) {
		mp = GMIME_MULTIPART(o);
		proto = g_mime_content_type_get_parameter(ct, "protocol");
		if (GMIME_IS_MULTIPART_SIGNED(o) && proto != NULL &&
		    (strcasecmp(proto, "application/pkcs7-signature") == 0 ||
		    strcasecmp(proto, "application/x-pkcs7-signature") == 0)) {
			if ((rc = walk_signed(w, mp)) != MIME_IN_OK)
				return rc;
			return choose(w, &w->m->v[w->m->n - 1], o, NULL);
		}
		if (g_mime_multipart_get_boundary(mp) == NULL)
			return fail(w, MIME_IN_ECORRUPT, "multipart without a "
			    "boundary");
		if ((n = g_mime_multipart_get_count(mp)) <= 0)
			return fail(w, MIME_IN_ECORRUPT, "multipart with no "
			    "part");
		for (i = 0; i < n; i++)
			if ((rc = walk_object(w, g_mime_multipart_get_part(mp,
			    i), depth + 1)) != MIME_IN_OK)
				return rc;
		return MIME_IN_OK;
	}
	if (GMIME_IS_MESSAGE_PART(o)) {
		inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
		if (inner == NULL)	/* an empty body: nothing to carry */
			return fail(w, MIME_IN_ECORRUPT, "a message/rfc822 "
			    "part without a message");
		if ((rc = new_part(w, "message/rfc822", &p)) != MIME_IN_OK)
			return rc;
		p->text = p->ascii = 0;
		fs = g_mime_stream_fs_new(dup(p->fd));
		if (g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL,
		    fs) < 0 || g_mime_stream_flush(fs) < 0)
			rc = fail(w, MIME_IN_EIO, "writing a message/rfc822 "
			    "part failed");
		g_object_unref(fs);
		p->len = (uint64_t)lseek(p->fd, 0, SEEK_END);
		w->m->total += p->len;
		if (rc == MIME_IN_OK && w->m->total > w->m->max)
			rc = fail(w, MIME_IN_EBIG, "decoded MIME content is "
			    "above the maximum file size %llu",
			    (unsigned long long)w->m->max);
		return rc != MIME_IN_OK ? rc : choose(w, p, o, NULL);
	}
	if (GMIME_IS_PART(o))
		return walk_leaf(w, GMIME_PART(o));
	return fail(w, MIME_IN_ECORRUPT, "a MIME object of an unknown kind");
}

static void
on_warning(gint64 off, GMimeParserWarning code, const gchar *item,
    gpointer arg)
{
	struct mime_in *m = arg;
	const char *what;

	switch (code) {
	case GMIME_WARN_INVALID_CONTENT_TYPE:
		what = "invalid Content-Type";
		break;
	case GMIME_WARN_MALFORMED_MULTIPART:
		what = "multipart without parts";
		break;
	case GMIME_WARN_TRUNCATED_MESSAGE:
		what = "truncated";
		break;
	case GMIME_WARN_MALFORMED_MESSAGE:
		what = "malformed";
		break;
	case GMIME_CRIT_INVALID_HEADER_NAME:
		what = "invalid header name";
		break;
	case GMIME_CRIT_CONFLICTING_HEADER:
		what = "conflicting header";
		break;
	case GMIME_CRIT_CONFLICTING_PARAMETER:
		what = "conflicting parameter";
		break;
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		what = "multipart without boundary";
		break;
	case GMIME_CRIT_NESTING_OVERFLOW:
		what = "nested too deep";
		break;
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		what = "part without headers or content";
		break;
	default:
		return;			/* tolerable */
	}
	if (m->corrupt++ == 0)
		snprintf(m->warn, sizeof(m->warn), "%s at offset %lld%s%.60s%s",
		    what, (long long)off, item ? " ('" : "", item ? item : "",
		    item ? "')" : "");
}

static size_t	 ref_skip(const char *, size_t, char);

/*
 * The route of a route-addr (RFC 822 6.1, "<@a,@b:local@domain>"), which
 * GMime's address parser drops: put in front of the mailbox a (size
 * MIME_IN_ADDR_LEN + 1) the route, spaces left out, of the first
 * route-addr of the field value v whose addr-spec is a (RFC 2156 4.3.4
 * maps a source-routed address whole). a stays as it is when there is
 * none or the two do not fit.
 */
static void
take_route(const char *v, char *a)
{
	char	 route[MIME_IN_ADDR_LEN + 1];
	size_t	 i, j, k, e, rl, al = strlen(a);

	for (i = 0; v != NULL && v[i] != '\0'; i++) {
		if (v[i] == '"' || v[i] == '(') {
			i = ref_skip(v, i + 1, v[i] == '"' ? '"' : ')') - 1;
			continue;
		}
		if (v[i] != '<')
			continue;
		for (j = i + 1; v[j] == ' ' || v[j] == '\t'; j++)
			;
		k = j + strcspn(v + j, ":>\"");
		e = ref_skip(v, i + 1, '>');
		if (v[j] != '@' || v[k] != ':' || e <= k + 2 || v[e - 1] != '>')
			continue;
		for (rl = 0; j <= k && rl < sizeof(route) - 1; j++)
			if (v[j] != ' ' && v[j] != '\t')
				route[rl++] = v[j];
		for (k++; v[k] == ' ' || v[k] == '\t'; k++)
			;
		for (e--; e > k && (v[e - 1] == ' ' || v[e - 1] == '\t'); e--)
			;
		if (e - k != al || strncmp(v + k, a, al) != 0)
			continue;
		if (rl + al <= MIME_IN_ADDR_LEN) {
			memmove(a + rl, a, al + 1);
			memcpy(a, route, rl);
		}
		return;
	}
}

/* The mailboxes of one address list (field value v), groups flattened. */
static void
take_list(struct mime_in *m, enum mime_in_field f, InternetAddressList *l,
    const char *v, int depth)
{
	InternetAddress	*ia;
	const char	*a, *nm;
	int		 i, n;

	if (l == NULL || depth > 2)
		return;
	n = internet_address_list_length(l);
	for (i = 0; i < n && m->naddr[f] < MIME_IN_ADDRS; i++) {
		ia = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			take_list(m, f, internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), v, depth + 1);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		a = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (a == NULL || *a == '\0' || strlen(a) > MIME_IN_ADDR_LEN)
			continue;
		nm = internet_address_get_name(ia);
		snprintf(m->addr[f][m->naddr[f]].addr, MIME_IN_ADDR_LEN + 1,
		    "%s", a);
		take_route(v, m->addr[f][m->naddr[f]].addr);
		snprintf(m->addr[f][m->naddr[f]].name, MIME_IN_DNAME_LEN,
		    "%s", nm != NULL ? nm : "");
		m->naddr[f]++;
	}
}

/* The phrase gathered so far into refs[*n], if any. */
static void
ref_flush(char *ph, size_t *pl, char refs[][MIME_IN_REF_LEN + 1],
    size_t *n)
{
	if (*pl > 0 && *n < MIME_IN_REFS) {
		memcpy(refs[*n], ph, *pl);
		refs[(*n)++][*pl] = '\0';
	}
	*pl = 0;
}

/* A word of a phrase, a space before it when it is not the first. */
static void
ref_word(char *ph, size_t *pl, const char *w, size_t wl)
{
	if (*pl > 0 && *pl < MIME_IN_REF_LEN)
		ph[(*pl)++] = ' ';
	for (; wl > 0 && *pl < MIME_IN_REF_LEN; w++, wl--)
		if (*w >= 0x20 && *w < 0x7f)
			ph[(*pl)++] = *w;
}

/* The end of a comment or quoted string starting at v[i]. */
static size_t
ref_skip(const char *v, size_t i, char close)
{
	int	 depth = 1;		/* for ")": the "(" was read */

	for (; v[i] != '\0'; i++) {
		if (v[i] == '\\' && v[i + 1] != '\0')
			i++;
		else if (close == ')' && v[i] == '(')
			depth++;
		else if (v[i] == close && (close != ')' || --depth == 0))
			return i + 1;
	}
	return i;
}

/* In-Reply-To / References: *(phrase / msg-id), see mime_in.h. */
static size_t
take_refs(const char *v, char refs[][MIME_IN_REF_LEN + 1])
{
	char	 ph[MIME_IN_REF_LEN + 1];
	size_t	 i = 0, j, n = 0, pl = 0;

	while (v != NULL && v[i] != '\0') {
		if (v[i] == '<') {
			ref_flush(ph, &pl, refs, &n);
			j = ref_skip(v, i + 1, '>');
			if (j - i <= MIME_IN_REF_LEN && v[j - 1] == '>')
				ref_word(ph, &pl, v + i, j - i);
			ref_flush(ph, &pl, refs, &n);
			i = j;
		} else if (v[i] == '(')
			i = ref_skip(v, i + 1, ')');
		else if (v[i] == '"') {
			j = ref_skip(v, i + 1, '"');
			ref_word(ph, &pl, v + i + 1, j - i - (v[j - 1] == '"' ?
			    2 : 1));
			i = j;
		} else if (strchr(" \t\r\n,", v[i]) != NULL)
			i++;
		else {
			for (j = i; v[j] != '\0' && strchr(" \t\r\n,<(\"",
			    v[j]) == NULL; j++)
				;
			ref_word(ph, &pl, v + i, j - i);
			i = j;
		}
	}
	ref_flush(ph, &pl, refs, &n);
	return n;
}

/* From, To, Cc, Message-ID, In-Reply-To, References of the message. */
static void
take_addresses(struct mime_in *m, GMimeMessage *msg)
{
	GMimeObject	*o = GMIME_OBJECT(msg);
	const char	*id;

	take_list(m, MIME_IN_FROM, g_mime_message_get_from(msg),
	    g_mime_object_get_header(o, "From"), 0);
	take_list(m, MIME_IN_TO, g_mime_message_get_to(msg),
	    g_mime_object_get_header(o, "To"), 0);
	take_list(m, MIME_IN_CC, g_mime_message_get_cc(msg),
	    g_mime_object_get_header(o, "Cc"), 0);
	if ((id = g_mime_message_get_message_id(msg)) != NULL &&
	    *id != '\0' && strlen(id) <= MIME_IN_ADDR_LEN)
		snprintf(m->msgid, sizeof(m->msgid), "<%s>", id);
	m->ninreplyto = take_refs(g_mime_object_get_header(GMIME_OBJECT(msg),
	    "In-Reply-To"), m->inreplyto);
	m->nrefs = take_refs(g_mime_object_get_header(GMIME_OBJECT(msg),
	    "References"), m->refs);
}

int
mime_in_parse(struct mime_in *m, int fd, const char *tmpdir, uint64_t max,
    char *err, size_t errlen)
{
	GMimeStream	*s;
	GMimeParser	*parser;
	GMimeParserOptions *po;
	GMimeMessage	*msg;
	GMimeObject	*top;
	struct walk	 w;
	const char	*subj;
	int		 dfd, rc;

	if (!gmime_up) {
		g_mime_init();
		gmime_up = 1;
	}
	m->tmpdir = tmpdir;
	m->max = max;
	w.m = m;
	w.err = err;
	w.errlen = errlen;
	if ((dfd = dup(fd)) < 0 || lseek(dfd, 0, SEEK_SET) < 0) {
		if (dfd >= 0)
			close(dfd);
		return fail(&w, MIME_IN_EIO, "dup: %s", strerror(errno));
	}
	s = g_mime_stream_fs_new(dfd);
	parser = g_mime_parser_new_with_stream(s);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	g_mime_parser_set_persist_stream(parser, TRUE);
	po = g_mime_parser_options_new();
	g_mime_parser_options_set_warning_callback(po, on_warning, m);
	msg = g_mime_parser_construct_message(parser, po);
	if (msg == NULL)
		rc = fail(&w, MIME_IN_ECORRUPT, "GMime found no MIME message");
	else if (m->corrupt)
		rc = fail(&w, MIME_IN_ECORRUPT, "corrupt MIME: %s", m->warn);
	else if ((top = g_mime_message_get_mime_part(msg)) == NULL)
		rc = fail(&w, MIME_IN_ECORRUPT, "the MIME message has no body");
	else {
		if ((subj = g_mime_message_get_subject(msg)) != NULL) {
			snprintf(m->subject, sizeof(m->subject), "%s", subj);
			m->has_subject = 1;
		}
		take_addresses(m, msg);
		rc = walk_object(&w, top, 0);
		if (rc == MIME_IN_OK && m->corrupt)
			rc = fail(&w, MIME_IN_ECORRUPT, "corrupt MIME: %s",
			    m->warn);
	}
	if (msg != NULL)
		g_object_unref(msg);
	g_mime_parser_options_free(po);
	g_object_unref(parser);
	g_object_unref(s);
	return rc;
}
