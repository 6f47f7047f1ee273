/*
 * NAME
 *	ber - Basic Encoding Rules reader and writer (see ber.h)
 * DESCRIPTION
 *	X.690 sections cited as "8.x". The reader keeps every access inside
 *	a cursor; the writer keeps the encoding in memory except for file
 *	ranges ("holes") that are streamed when the encoding is written.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/ber.h"
#include "util/afile.h"

static const char *const ber_errtext[BER_NERR] = {
	[BER_OK] = "no error",
	[BER_ETRUNC] = "input ends inside an element (truncated)",
	[BER_ELEN] = "length runs past the enclosing element",
	[BER_ETOOLONG] = "element longer than the decoder's limit",
	[BER_EDEPTH] = "elements nested deeper than the decoder's limit",
	[BER_ECOUNT] = "more elements than the decoder's limit",
	[BER_EEOC] = "bad or missing end-of-contents octets",
	[BER_ETAG] = "malformed tag",
	[BER_EINDEF] = "indefinite length on a primitive element",
	[BER_EBADLEN] = "malformed length octets",
	[BER_EOID] = "malformed OBJECT IDENTIFIER",
	[BER_ECHARS] = "character not allowed in the string type",
	[BER_EINT] = "malformed or out-of-range INTEGER",
	[BER_EBOOL] = "malformed BOOLEAN",
	[BER_EBITS] = "malformed BIT STRING",
	[BER_ETIME] = "malformed time value",
	[BER_ECONS] = "wrong primitive/constructed form",
	[BER_EUNEXP] = "unexpected element",
	[BER_EMISSING] = "mandatory element missing",
	[BER_EDUP] = "element present more than once",
	[BER_ETRAIL] = "data after the end of the element",
	[BER_ESIZE] = "value outside its size constraint",
	[BER_ENOMEM] = "out of memory",
	[BER_EIO] = "file read or write failed",
	[BER_EVALUE] = "value not allowed",
	[BER_EWRITER] = "encoder misuse (unbalanced, too deep, or made content not of its length)",
};

const char *
ber_strerror(int e)
{
	if (e < 0 || e >= BER_NERR || ber_errtext[e] == NULL)
		return "unknown error";
	return ber_errtext[e];
}

void
ber_dec_init(struct ber_dec *d)
{
	memset(d, 0, sizeof(*d));
	d->lim.max_depth = 64;
	d->lim.max_tlvs = 4000000;
	d->lim.max_len = SIZE_MAX / 2;
}

/* Record the first error; later ones do not overwrite it. */
int
ber_fail(struct ber_dec *d, int e, size_t off, const char *field)
{
	if (d->err == BER_OK) {
		d->err = e;
		d->err_off = off;
		d->err_field = field;
	}
	return e;
}

/*
 * Identifier and length octets (8.1.2, 8.1.3) at the start of p..p+n,
 * the one decoder of BER headers (ber_read() and the stream reader of
 * ber_stream.c use it). The checks, in the order of the octets:
 * 8.1.2.2: a tag number 0..30 has the one-octet form, so the high-tag
 * form (8.1.2.4) must carry a number of 31 or more; 8.1.2.4.2 c: bits 7
 * to 1 of the first subsequent octet are not all zero (no leading
 * 0x80); at most four subsequent octets (28 bits, our limit); 8.1.3.5 c:
 * the length octet 0xff is reserved; at most 8 long-form length octets
 * (leading zero octets are valid BER, 8.1.3.5 note 2); 8.1.3.2 a: the
 * indefinite form only on constructed elements; a length above
 * INT64_MAX is too long for any reader. BER_ETRUNC: n is shorter than
 * the header (at most BER_HDR_MAX octets).
 */
int
ber_hdr_decode(const void *v, size_t n, struct ber_hdr *h)
{
	const uint8_t	*p = v;
	size_t		 i = 0, k;
	uint64_t	 l;
	uint8_t		 o;

	memset(h, 0, sizeof(*h));
	if (n == 0)
		return BER_ETRUNC;
	h->cls = p[0] & 0xc0;
	h->cons = (p[0] & 0x20) != 0;
	h->tag = p[i++] & 0x1f;
	if (h->tag == 0x1f) {
		h->tag = 0;
		for (k = 0;; k++) {
			if (i == n)
				return BER_ETRUNC;
			o = p[i++];
			if ((k == 0 && o == 0x80) || k == 4)
				return BER_ETAG;
			h->tag = h->tag << 7 | (o & 0x7f);
			if (!(o & 0x80))
				break;
		}
		if (h->tag < 0x1f)
			return BER_ETAG;
	}
	if (i == n)
		return BER_ETRUNC;
	o = p[i++];
	if (o == 0x80) {
		if (!h->cons)
			return BER_EINDEF;
		h->indef = 1;
	} else if (o < 0x80)
		h->len = o;
	else if (o == 0xff || (o & 0x7f) > 8)
		return BER_EBADLEN;
	else {
		l = 0;
		for (k = o & 0x7f; k > 0; k--) {
			if (i == n)
				return BER_ETRUNC;
			l = l << 8 | p[i++];
		}
		if (l > INT64_MAX)
			return BER_ETOOLONG;
		h->len = l;
	}
	h->hdrlen = i;
	return BER_OK;
}

/*
 * The header of the next element of c, within the decoder's limits. On
 * success the cursor is past it; *len is SIZE_MAX for the indefinite
 * form.
 */
static int
ber_read_hdr(struct ber_dec *d, struct cur *c, struct ber_tlv *t, size_t *len)
{
	struct ber_hdr	 h;
	int		 e;

	t->off = cur_offset(c);
	if (cur_len(c) == 0)
		return ber_fail(d, BER_ETRUNC, t->off, NULL);
	if (++d->tlvs > d->lim.max_tlvs)
		return ber_fail(d, BER_ECOUNT, t->off, NULL);
	if ((e = ber_hdr_decode(cur_data(c), cur_len(c), &h)) != BER_OK)
		return ber_fail(d, e, t->off, NULL);
	if (!h.indef && (h.len >= SIZE_MAX || h.len > d->lim.max_len))
		return ber_fail(d, BER_ETOOLONG, t->off, NULL);
	t->cls = h.cls;
	t->cons = h.cons;
	t->tag = h.tag;
	t->hdrlen = h.hdrlen;
	*len = h.indef ? SIZE_MAX : (size_t)h.len;
	cur_skip(c, h.hdrlen);
	return BER_OK;
}

static int
ber_is_eoc(const struct cur *c)
{
	return cur_len(c) >= 2 && cur_data(c)[0] == 0 && cur_data(c)[1] == 0;
}

/*
 * Helpers for decoders of SET and SEQUENCE members, which name the ASN.1
 * field of an error: ber_field() names the decoder's first error if it
 * has no name yet and passes the code on; ber_once() refuses a SET member
 * seen before (bit in *seen), ber_need() a mandatory one not seen,
 * ber_want_cons() the wrong primitive/constructed form.
 */
int
ber_field(struct ber_dec *d, int e, const char *field)
{
	if (e != BER_OK && d->err_field == NULL)
		d->err_field = field;
	return e;
}

int
ber_once(struct ber_dec *d, uint32_t *seen, unsigned bit,
    const struct ber_tlv *t, const char *field)
{
	if (*seen & (1u << bit))
		return ber_fail(d, BER_EDUP, t->off, field);
	*seen |= 1u << bit;
	return BER_OK;
}

int
ber_need(struct ber_dec *d, uint32_t seen, unsigned bit, size_t off,
    const char *field)
{
	if (!(seen & (1u << bit)))
		return ber_fail(d, BER_EMISSING, off, field);
	return BER_OK;
}

int
ber_want_cons(struct ber_dec *d, const struct ber_tlv *t, int cons,
    const char *field)
{
	if (t->cons != cons)
		return ber_fail(d, BER_ECONS, t->off, field);
	return BER_OK;
}

int
ber_read(struct ber_dec *d, struct cur *c, struct ber_tlv *t)
{
	struct cur	 h = *c, scan, sub;
	struct ber_tlv	 child;
	size_t		 len;
	int		 e;

	if (d->err != BER_OK)
		return d->err;
	if (c->depth >= d->lim.max_depth)
		return ber_fail(d, BER_EDEPTH, cur_offset(c), NULL);
	if ((e = ber_read_hdr(d, &h, t, &len)) != BER_OK)
		return e;
	if (t->cls == BER_UNIV && t->tag == 0)	/* EOC where none belongs */
		return ber_fail(d, BER_EEOC, t->off, NULL);
	if (len != SIZE_MAX) {
		if (len > cur_len(&h))
			return ber_fail(d, c->depth == 0 ? BER_ETRUNC :
			    BER_ELEN, t->off, NULL);
		t->indef = 0;
		cur_child(&h, &t->val, len);
		*c = h;
		return BER_OK;
	}
	/* Indefinite (8.1.3.6): find the end-of-contents at this level. */
	t->indef = 1;
	scan = h;
	scan.depth = c->depth + 1;
	while (!ber_is_eoc(&scan)) {
		if (cur_len(&scan) == 0)
			return ber_fail(d, c->depth == 0 ? BER_ETRUNC :
			    BER_EEOC, t->off, NULL);
		if (cur_data(&scan)[0] == 0)	/* 00 with a nonzero length */
			return ber_fail(d, BER_EEOC, cur_offset(&scan), NULL);
		if ((e = ber_read(d, &scan, &child)) != BER_OK)
			return e;
	}
	cur_child(&h, &sub, cur_offset(&scan) - cur_offset(&h));
	sub.depth = c->depth + 1;
	t->val = sub;
	cur_skip(&h, 2);
	*c = h;
	return BER_OK;
}

int
ber_peek(struct ber_dec *d, const struct cur *c, struct ber_tlv *t)
{
	struct cur	 h = *c;

	return ber_read(d, &h, t);
}

int
ber_is(const struct ber_tlv *t, uint8_t cls, uint32_t tag)
{
	return t->cls == cls && t->tag == tag;
}

/*
 * Read the next element and require its class and tag; cons is 0 for
 * primitive, 1 for constructed, -1 for either. On a mismatch the
 * cursor does not move and the decoder records BER_EUNEXP.
 */
int
ber_expect(struct ber_dec *d, struct cur *c, uint8_t cls, uint32_t tag,
    int cons, struct ber_tlv *t)
{
	struct cur	 h = *c;
	int		 e;

	if (cur_len(c) == 0)
		return ber_fail(d, BER_EMISSING, cur_offset(c), NULL);
	if ((e = ber_read(d, &h, t)) != BER_OK)
		return e;
	if (!ber_is(t, cls, tag))
		return ber_fail(d, BER_EUNEXP, t->off, NULL);
	if (cons >= 0 && t->cons != cons)
		return ber_fail(d, BER_ECONS, t->off, NULL);
	*c = h;
	return BER_OK;
}

/* The whole of p..p+n must be exactly one element. */
int
ber_read_one(struct ber_dec *d, const void *p, size_t n, struct ber_tlv *t)
{
	struct cur	 c;
	int		 e;

	cur_init(&c, p, n);
	if ((e = ber_read(d, &c, t)) != BER_OK)
		return e;
	if (cur_len(&c) != 0)
		return ber_fail(d, BER_ETRAIL, cur_offset(&c), NULL);
	return BER_OK;
}

/* Segments of a constructed string (8.7.3): OCTET STRINGs, nested. */
static int
ber_collect(struct ber_dec *d, struct cur c, struct buf *out)
{
	struct ber_tlv	 s;
	int		 e;

	while (cur_len(&c) > 0) {
		if ((e = ber_read(d, &c, &s)) != BER_OK)
			return e;
		if (!ber_is(&s, BER_UNIV, BER_OCTET_STRING))
			return ber_fail(d, BER_EUNEXP, s.off, NULL);
		if (s.cons) {
			if ((e = ber_collect(d, s.val, out)) != BER_OK)
				return e;
		} else if (!buf_add(out, cur_data(&s.val), cur_len(&s.val)))
			return ber_fail(d, BER_ENOMEM, s.off, NULL);
	}
	return BER_OK;
}

/*
 * The contents of a string-typed element. A primitive one is returned
 * in place (no copy); a constructed one is reassembled into scratch,
 * which is reset first, and out points into scratch.
 */
int
ber_octets(struct ber_dec *d, const struct ber_tlv *t, struct buf *scratch,
    struct cur *out)
{
	int	 e;

	if (!t->cons) {
		*out = t->val;
		return BER_OK;
	}
	buf_reset(scratch);
	if ((e = ber_collect(d, t->val, scratch)) != BER_OK)
		return e;
	cur_init(out, scratch->p, scratch->len);
	out->off = t->val.off;
	return BER_OK;
}

int
ber_get_int(struct ber_dec *d, const struct ber_tlv *t, int64_t *v)
{
	const uint8_t	*p = cur_data(&t->val);
	size_t		 n = cur_len(&t->val), i;
	uint64_t	 u;

	if (t->cons)
		return ber_fail(d, BER_ECONS, t->off, NULL);
	if (n == 0 || n > 8)
		return ber_fail(d, BER_EINT, t->off, NULL);
	u = (p[0] & 0x80) ? UINT64_MAX : 0;
	for (i = 0; i < n; i++)
		u = u << 8 | p[i];
	*v = (int64_t)u;
	return BER_OK;
}

int
ber_get_bool(struct ber_dec *d, const struct ber_tlv *t, int *v)
{
	if (t->cons || cur_len(&t->val) != 1)
		return ber_fail(d, BER_EBOOL, t->off, NULL);
	*v = cur_data(&t->val)[0] != 0;
	return BER_OK;
}

int
ber_get_null(struct ber_dec *d, const struct ber_tlv *t)
{
	if (t->cons || cur_len(&t->val) != 0)
		return ber_fail(d, BER_EVALUE, t->off, NULL);
	return BER_OK;
}

/* Append the bits of one BIT STRING segment; *last says unused > 0 seen. */
static int
ber_bits_seg(struct ber_dec *d, const struct ber_tlv *t, uint64_t *bits,
    unsigned *nbits, int *closed)
{
	struct cur	 c = t->val;
	struct ber_tlv	 s;
	const uint8_t	*p;
	uint8_t		 unused;
	size_t		 n, i;
	unsigned	 b;
	int		 e;

	if (t->cons) {
		while (cur_len(&c) > 0) {
			if ((e = ber_read(d, &c, &s)) != BER_OK)
				return e;
			if (!ber_is(&s, BER_UNIV, BER_BIT_STRING))
				return ber_fail(d, BER_EUNEXP, s.off, NULL);
			if ((e = ber_bits_seg(d, &s, bits, nbits, closed)) != 0)
				return e;
		}
		return BER_OK;
	}
	if (*closed || !cur_get_u8(&c, &unused) || unused > 7 ||
	    (cur_len(&c) == 0 && unused != 0))
		return ber_fail(d, BER_EBITS, t->off, NULL);
	n = cur_len(&c);
	cur_get_bytes(&c, &p, n);
	for (i = 0; i < n; i++)
		for (b = 0; b < 8; b++) {
			if (i == n - 1 && b >= 8u - unused)
				break;
			if ((p[i] & (0x80 >> b)) && *nbits < 64)
				*bits |= (uint64_t)1 << *nbits;
			if (*nbits < UINT32_MAX)
				(*nbits)++;
		}
	if (unused > 0)
		*closed = 1;
	return BER_OK;
}

/*
 * BIT STRING as a mask: named bit k (the k-th bit from the start) is
 * (1 << k). Bits past 63 are counted in *nbits but not kept.
 */
int
ber_get_bits(struct ber_dec *d, const struct ber_tlv *t, uint64_t *bits,
    unsigned *nbits)
{
	unsigned	 n = 0;
	int		 closed = 0, e;

	*bits = 0;
	if ((e = ber_bits_seg(d, t, bits, &n, &closed)) != BER_OK)
		return e;
	if (nbits != NULL)
		*nbits = n;
	return BER_OK;
}

int
ber_oid_to_text(const uint8_t *p, size_t n, char *out, size_t outsz)
{
	uint64_t	 v;
	size_t		 i, used = 0;
	int		 first = 1, k;

	if (n == 0)
		return BER_EOID;
	for (i = 0; i < n;) {
		if (p[i] == 0x80)	/* 8.19.2: no leading 0x80 */
			return BER_EOID;
		v = 0;
		do {
			if (i == n || v > (UINT64_MAX >> 7))
				return BER_EOID;
			v = v << 7 | (p[i] & 0x7f);
		} while (p[i++] & 0x80);
		if (first) {
			if (v < 80)
				k = snprintf(out + used, outsz - used, "%u.%u",
				    (unsigned)(v / 40), (unsigned)(v % 40));
			else
				k = snprintf(out + used, outsz - used,
				    "2.%" PRIu64, v - 80);
			first = 0;
		} else
			k = snprintf(out + used, outsz - used, ".%" PRIu64, v);
		if (k < 0 || (size_t)k >= outsz - used)
			return BER_ESIZE;
		used += (size_t)k;
	}
	return BER_OK;
}

int
ber_oid_from_text(const char *s, uint8_t *out, size_t outsz, size_t *outlen)
{
	uint64_t	 arc[128], v;
	uint8_t		 tmp[10];
	size_t		 narc = 0, used = 0, i;
	int		 k;

	for (;;) {
		if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' &&
		    s[1] <= '9') || narc == sizeof(arc) / sizeof(arc[0]))
			return BER_EOID;
		for (v = 0; *s >= '0' && *s <= '9'; s++) {
			if (v > (UINT64_MAX - 9) / 10)
				return BER_EOID;
			v = v * 10 + (uint64_t)(*s - '0');
		}
		arc[narc++] = v;
		if (*s == '\0')
			break;
		if (*s++ != '.')
			return BER_EOID;
	}
	if (narc < 2 || arc[0] > 2 || (arc[0] < 2 && arc[1] > 39) ||
	    arc[1] > UINT64_MAX - 80)
		return BER_EOID;
	arc[1] += arc[0] * 40;
	for (i = 1; i < narc; i++) {
		v = arc[i];
		k = 0;
		do {
			tmp[k++] = (uint8_t)(v & 0x7f);
			v >>= 7;
		} while (v > 0);
		if (used + (size_t)k > outsz)
			return BER_ESIZE;
		while (k > 0) {
			k--;
			out[used++] = (uint8_t)(tmp[k] | (k > 0 ? 0x80 : 0));
		}
	}
	*outlen = used;
	return BER_OK;
}

int
ber_get_oid(struct ber_dec *d, const struct ber_tlv *t, char *out,
    size_t outsz)
{
	int	 e;

	if (t->cons)
		return ber_fail(d, BER_ECONS, t->off, NULL);
	e = ber_oid_to_text(cur_data(&t->val), cur_len(&t->val), out, outsz);
	if (e != BER_OK)
		return ber_fail(d, e, t->off, NULL);
	return BER_OK;
}

static int
ber_utf8_ok(const uint8_t *p, size_t n)
{
	size_t		 i = 0, k, need;
	uint32_t	 cp;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			need = 1;
			cp = p[i] & 0x1f;
		} else if ((p[i] & 0xf0) == 0xe0) {
			need = 2;
			cp = p[i] & 0x0f;
		} else if ((p[i] & 0xf8) == 0xf0) {
			need = 3;
			cp = p[i] & 0x07;
		} else
			return 0;
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Whether the bytes are allowed in the universal string type. */
int
ber_chars_ok(int type, const void *v, size_t n)
{
	const uint8_t	*p = v;
	size_t		 i;

	switch (type) {
	case BER_PRINTABLE_STRING:
		for (i = 0; i < n; i++)
			if (!((p[i] >= 'A' && p[i] <= 'Z') ||
			    (p[i] >= 'a' && p[i] <= 'z') ||
			    (p[i] >= '0' && p[i] <= '9') ||
			    strchr(" '()+,-./:=?", p[i]) != NULL) || p[i] == 0)
				return 0;
		return 1;
	case BER_NUMERIC_STRING:
		for (i = 0; i < n; i++)
			if (!((p[i] >= '0' && p[i] <= '9') || p[i] == ' '))
				return 0;
		return 1;
	case BER_IA5_STRING:
		for (i = 0; i < n; i++)
			if (p[i] > 0x7f)
				return 0;
		return 1;
	case BER_VISIBLE_STRING:
		for (i = 0; i < n; i++)
			if (p[i] < 0x20 || p[i] > 0x7e)
				return 0;
		return 1;
	case BER_UTF8_STRING:
		return ber_utf8_ok(p, n);
	case BER_UTC_TIME:
	case BER_GENERALIZED_TIME: {
		time_t	 t;

		return ber_parse_time(type, v, n, &t) == BER_OK;
	}
	default:	/* Teletex, General, Graphic, ...: any octets */
		return 1;
	}
}

/*
 * Contents of a string element as text (reassembled when constructed),
 * checked against the universal type's character set, NUL-terminated
 * in out, which is reset first.
 */
int
ber_get_string(struct ber_dec *d, const struct ber_tlv *t, int type,
    struct buf *out)
{
	int	 e;

	buf_reset(out);
	if (!t->cons) {
		if (!buf_add(out, cur_data(&t->val), cur_len(&t->val)))
			return ber_fail(d, BER_ENOMEM, t->off, NULL);
	} else if ((e = ber_collect(d, t->val, out)) != BER_OK)
		return e;
	if (!ber_chars_ok(type, out->p, out->len))
		return ber_fail(d, BER_ECHARS, t->off, NULL);
	/* Time types are checked by ber_chars_ok too. */
	return BER_OK;
}

static int
ber_digits(const char *s, int n, int *v)
{
	int	 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/*
 * Two digits at *i where a digit stands there: 1 (*v read, *i past them),
 * 0 where none does, -1 where only the first is one.
 */
static int
ber_opt_digits2(const char *s, size_t n, size_t *i, int *v)
{
	if (*i + 2 > n || s[*i] < '0' || s[*i] > '9')
		return 0;
	if (!ber_digits(s + *i, 2, v))
		return -1;
	*i += 2;
	return 1;
}

/*
 * UTCTime YYMMDDhhmm[ss](Z|+hhmm|-hhmm), years 50-99 -> 19xx (RFC 5280);
 * GeneralizedTime YYYYMMDDhh[mm[ss]][.f+][Z|+hhmm|-hhmm], local time
 * taken as UTC. Fields are range-checked, including the day of month.
 */
int
ber_parse_time(int type, const char *s, size_t n, time_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	struct tm	 tm;
	size_t		 i = 0;
	int		 y, mo, dd, hh, mi = 0, ss = 0, oh, om, off = 0, sign;
	int		 leap, r;

	if (type == BER_UTC_TIME) {
		if (n < 11 || !ber_digits(s, 2, &y))
			return BER_ETIME;
		y += y < 50 ? 2000 : 1900;
		i = 2;
	} else {
		if (n < 10 || !ber_digits(s, 4, &y))
			return BER_ETIME;
		i = 4;
	}
	if (!ber_digits(s + i, 2, &mo) || !ber_digits(s + i + 2, 2, &dd) ||
	    !ber_digits(s + i + 4, 2, &hh))
		return BER_ETIME;
	i += 6;
	/* minutes (UTCTime: required), seconds, a fraction (not UTCTime) */
	if ((r = ber_opt_digits2(s, n, &i, &mi)) < 0 ||
	    (r == 0 && type == BER_UTC_TIME))
		return BER_ETIME;
	if (r == 1 && (r = ber_opt_digits2(s, n, &i, &ss)) < 0)
		return BER_ETIME;
	if (r == 1 && type != BER_UTC_TIME && i < n &&
	    (s[i] == '.' || s[i] == ',')) {
		if (++i >= n || s[i] < '0' || s[i] > '9')
			return BER_ETIME;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && s[i] == 'Z')
		i++;
	else if (i < n && (s[i] == '+' || s[i] == '-')) {
		sign = s[i] == '-' ? -1 : 1;
		if (i + 5 > n || !ber_digits(s + i + 1, 2, &oh) ||
		    !ber_digits(s + i + 3, 2, &om) || oh > 23 || om > 59)
			return BER_ETIME;
		off = sign * (oh * 3600 + om * 60);
		i += 5;
	} else if (type == BER_UTC_TIME)
		return BER_ETIME;	/* UTCTime needs Z or an offset */
	if (i != n)
		return BER_ETIME;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12 || dd < 1 || dd > mdays[mo - 1] ||
	    (mo == 2 && dd == 29 && !leap) || hh > 23 || mi > 59 || ss > 59)
		return BER_ETIME;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = dd;
	tm.tm_hour = hh;
	tm.tm_min = mi;
	tm.tm_sec = ss;
	*out = timegm(&tm) - off;
	return BER_OK;
}

int
ber_get_time(struct ber_dec *d, const struct ber_tlv *t, int type,
    time_t *out)
{
	char	 tmp[64];
	int	 e;

	if (t->cons || cur_len(&t->val) >= sizeof(tmp))
		return ber_fail(d, BER_ETIME, t->off, NULL);
	memcpy(tmp, cur_data(&t->val), cur_len(&t->val));
	e = ber_parse_time(type, tmp, cur_len(&t->val), out);
	if (e != BER_OK)
		return ber_fail(d, e, t->off, NULL);
	return BER_OK;
}

/* Writer */

void
berw_init(struct berw *w)
{
	memset(w, 0, sizeof(*w));
	buf_init(&w->b);
}

void
berw_free(struct berw *w)
{
	buf_free(&w->b);
	free(w->holes);
	memset(w, 0, sizeof(*w));
}

int
berw_error(const struct berw *w)
{
	if (w->err == BER_OK && buf_error(&w->b))
		return BER_ENOMEM;
	return w->err;
}

static int
berw_seterr(struct berw *w, int e)
{
	if (w->err == BER_OK)
		w->err = e;
	return w->err;
}

static uint64_t
berw_holes_len(const struct berw *w, size_t from)
{
	uint64_t n = 0;

	for (; from < w->nholes; from++)
		n += w->holes[from].len;
	return n;
}

uint64_t
berw_size(const struct berw *w)
{
	return w->b.len + berw_holes_len(w, 0);
}

/* Identifier and length octets into hdr; returns their count. */
static size_t
berw_hdr(uint8_t *hdr, uint8_t id, uint32_t tag, uint64_t len)
{
	size_t	 n = 0;
	int	 k, i;

	if (tag < 0x1f)
		hdr[n++] = (uint8_t)(id | tag);
	else {
		hdr[n++] = id | 0x1f;
		for (k = 4; k > 0 && (tag >> (7 * k)) == 0; k--)
			;
		for (i = k; i >= 0; i--)
			hdr[n++] = (uint8_t)(((tag >> (7 * i)) & 0x7f) |
			    (i > 0 ? 0x80 : 0));
	}
	if (len < 0x80)
		hdr[n++] = (uint8_t)len;
	else {
		for (k = 8; k > 1 && (len >> (8 * (k - 1))) == 0; k--)
			;
		hdr[n++] = (uint8_t)(0x80 | k);
		for (i = k - 1; i >= 0; i--)
			hdr[n++] = (uint8_t)(len >> (8 * i));
	}
	return n;
}

/* Record an error with the field it concerns (the first one stays). */
int
berw_fail(struct berw *w, int e, const char *field)
{
	if (w->err == BER_OK) {
		w->err = e;
		w->err_field = field;
	}
	return w->err;
}

/* Name the field of an error that has none yet; return the error. */
int
berw_field(struct berw *w, const char *field)
{
	if (berw_error(w) != BER_OK && w->err_field == NULL)
		w->err_field = field;
	return berw_error(w);
}

/* A string of n octets whose SIZE must be lo..hi, naming the field. */
int
berw_bounded(struct berw *w, uint8_t cls, uint32_t tag, int type,
    const char *s, size_t n, size_t lo, size_t hi, const char *field)
{
	if (n < lo || n > hi)
		berw_fail(w, BER_ESIZE, field);
	berw_string(w, cls, tag, type, s, n);
	return berw_field(w, field);
}

int
berw_open(struct berw *w, uint8_t cls, uint32_t tag)
{
	if (w->err != BER_OK)
		return w->err;
	if (w->depth >= BERW_MAXDEPTH)
		return berw_seterr(w, BER_EWRITER);
	w->open_pos[w->depth] = w->b.len;
	w->open_holes[w->depth] = w->nholes;
	w->open_id[w->depth] = cls | 0x20;
	w->open_tag[w->depth] = tag;
	w->depth++;
	return BER_OK;
}

int
berw_close(struct berw *w)
{
	uint8_t	 hdr[16];
	size_t	 n, pos, i;
	uint64_t len;

	if (w->err != BER_OK)
		return w->err;
	if (w->depth == 0)
		return berw_seterr(w, BER_EWRITER);
	w->depth--;
	pos = w->open_pos[w->depth];
	len = (w->b.len - pos) + berw_holes_len(w, w->open_holes[w->depth]);
	n = berw_hdr(hdr, w->open_id[w->depth], w->open_tag[w->depth], len);
	if (!buf_insert(&w->b, pos, hdr, n))
		return berw_seterr(w, BER_ENOMEM);
	for (i = w->open_holes[w->depth]; i < w->nholes; i++)
		w->holes[i].pos += n;
	return BER_OK;
}

int
berw_raw(struct berw *w, const void *p, size_t n)
{
	if (w->err != BER_OK)
		return w->err;
	if (!buf_add(&w->b, p, n))
		return berw_seterr(w, BER_ENOMEM);
	return BER_OK;
}

int
berw_prim(struct berw *w, uint8_t cls, uint32_t tag, const void *p, size_t n)
{
	uint8_t	 hdr[16];

	if (w->err != BER_OK)
		return w->err;
	if (!buf_add(&w->b, hdr, berw_hdr(hdr, cls, tag, n)) ||
	    !buf_add(&w->b, p, n))
		return berw_seterr(w, BER_ENOMEM);
	return BER_OK;
}

static int
berw_add_hole(struct berw *w, size_t pos, int fd, off_t off, uint64_t len,
    const struct ber_gen *gen)
{
	struct berw_hole *nh;
	size_t	 ncap;

	if (w->nholes == w->caph) {
		ncap = w->caph ? w->caph * 2 : 4;
		if ((nh = reallocarray(w->holes, ncap, sizeof(*nh))) == NULL)
			return berw_seterr(w, BER_ENOMEM);
		w->holes = nh;
		w->caph = ncap;
	}
	w->holes[w->nholes].pos = pos;
	w->holes[w->nholes].fd = fd;
	w->holes[w->nholes].off = off;
	w->holes[w->nholes].len = len;
	w->holes[w->nholes].gen = gen;
	w->nholes++;
	return BER_OK;
}

/* A primitive whose len content octets are read from fd at off later. */
int
berw_prim_fd(struct berw *w, uint8_t cls, uint32_t tag, int fd, off_t off,
    uint64_t len)
{
	uint8_t	 hdr[16];

	if (w->err != BER_OK)
		return w->err;
	if (!buf_add(&w->b, hdr, berw_hdr(hdr, cls, tag, len)))
		return berw_seterr(w, BER_ENOMEM);
	return berw_add_hole(w, w->b.len, fd, off, len, NULL);
}

/* A primitive whose len content octets gen makes when written. */
int
berw_prim_gen(struct berw *w, uint8_t cls, uint32_t tag,
    const struct ber_gen *gen, uint64_t len)
{
	uint8_t	 hdr[16];

	if (w->err != BER_OK)
		return w->err;
	if (!buf_add(&w->b, hdr, berw_hdr(hdr, cls, tag, len)))
		return berw_seterr(w, BER_ENOMEM);
	return berw_add_hole(w, w->b.len, -1, 0, len, gen);
}

/* A primitive with the contents d: memory, a file range or made. */
int
berw_prim_data(struct berw *w, uint8_t cls, uint32_t tag,
    const struct ber_data *d)
{
	if (!d->use_fd)
		return berw_prim(w, cls, tag, d->p, d->len);
	if (d->gen != NULL)
		return berw_prim_gen(w, cls, tag, d->gen, d->fdlen);
	return berw_prim_fd(w, cls, tag, d->fd, d->off, d->fdlen);
}

/*
 * A primitive whose content is another finished encoding, file ranges
 * included (a P22 content with a streamed body inside a P1 message).
 */
int
berw_prim_berw(struct berw *w, uint8_t cls, uint32_t tag,
    const struct berw *src)
{
	uint8_t	 hdr[16];
	size_t	 base, i;

	if (w->err != BER_OK)
		return w->err;
	if (berw_error(src) != BER_OK)
		return berw_seterr(w, berw_error(src));
	if (src->depth != 0)
		return berw_seterr(w, BER_EWRITER);
	if (!buf_add(&w->b, hdr, berw_hdr(hdr, cls, tag, berw_size(src))))
		return berw_seterr(w, BER_ENOMEM);
	base = w->b.len;
	if (src->b.len > 0 && !buf_add(&w->b, src->b.p, src->b.len))
		return berw_seterr(w, BER_ENOMEM);
	for (i = 0; i < src->nholes; i++)
		if (berw_add_hole(w, base + src->holes[i].pos,
		    src->holes[i].fd, src->holes[i].off,
		    src->holes[i].len, src->holes[i].gen) != BER_OK)
			return w->err;
	return BER_OK;
}

int
berw_int(struct berw *w, uint8_t cls, uint32_t tag, int64_t v)
{
	uint8_t	 o[8];
	int	 n = 8, i;

	for (i = 0; i < 8; i++)
		o[i] = (uint8_t)((uint64_t)v >> (8 * (7 - i)));
	/* 8.3.2: drop leading octets that only repeat the sign */
	i = 0;
	while (n > 1 && ((o[i] == 0 && !(o[i + 1] & 0x80)) ||
	    (o[i] == 0xff && (o[i + 1] & 0x80)))) {
		i++;
		n--;
	}
	return berw_prim(w, cls, tag, o + i, (size_t)n);
}

int
berw_bool(struct berw *w, uint8_t cls, uint32_t tag, int v)
{
	uint8_t	 o = v ? 0xff : 0x00;

	return berw_prim(w, cls, tag, &o, 1);
}

int
berw_null(struct berw *w, uint8_t cls, uint32_t tag)
{
	return berw_prim(w, cls, tag, NULL, 0);
}

/*
 * Named bits: trailing zero bits are trimmed (X.680 22.7), but at least
 * minbits are written (for types with a SIZE constraint, such as P1's
 * PerRecipientIndicators SIZE (1..ub-bit-options)).
 */
int
berw_bits(struct berw *w, uint8_t cls, uint32_t tag, uint64_t bits,
    unsigned minbits)
{
	uint8_t	 o[9] = { 0 };
	unsigned nbits = 0, i, nbytes;

	for (i = 0; i < 64; i++)
		if (bits & ((uint64_t)1 << i))
			nbits = i + 1;
	if (nbits < minbits)
		nbits = minbits > 64 ? 64 : minbits;
	nbytes = (nbits + 7) / 8;
	o[0] = (uint8_t)(nbytes * 8 - nbits);
	for (i = 0; i < nbits; i++)
		if (bits & ((uint64_t)1 << i))
			o[1 + i / 8] |= (uint8_t)(0x80 >> (i % 8));
	return berw_prim(w, cls, tag, o, 1 + nbytes);
}

int
berw_oid(struct berw *w, uint8_t cls, uint32_t tag, const char *text)
{
	uint8_t	 o[256];
	size_t	 n;

	if (w->err != BER_OK)
		return w->err;
	if (ber_oid_from_text(text, o, sizeof(o), &n) != BER_OK)
		return berw_seterr(w, BER_EOID);
	return berw_prim(w, cls, tag, o, n);
}

/* A string of universal type `type` (character-checked) as cls/tag. */
int
berw_string(struct berw *w, uint8_t cls, uint32_t tag, int type,
    const void *p, size_t n)
{
	if (w->err != BER_OK)
		return w->err;
	if (!ber_chars_ok(type, p, n))
		return berw_seterr(w, BER_ECHARS);
	return berw_prim(w, cls, tag, p, n);
}

/* UTCTime as YYMMDDhhmmssZ, GeneralizedTime as YYYYMMDDhhmmssZ. */
int
berw_time(struct berw *w, uint8_t cls, uint32_t tag, int type, time_t t)
{
	struct tm tm;
	char	 s[32];
	int	 n;

	if (gmtime_r(&t, &tm) == NULL)
		return berw_seterr(w, BER_ETIME);
	if (type == BER_UTC_TIME) {
		if (tm.tm_year < 50 || tm.tm_year >= 150)
			return berw_seterr(w, BER_ETIME);
		n = snprintf(s, sizeof(s), "%02d%02d%02d%02d%02d%02dZ",
		    tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	} else
		n = snprintf(s, sizeof(s), "%04d%02d%02d%02d%02d%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	if (n < 0 || (size_t)n >= sizeof(s))
		return berw_seterr(w, BER_ETIME);
	return berw_prim(w, cls, tag, s, (size_t)n);
}

/*
 * Stream one hole to fd (out != NULL: to a buf instead). To a file the
 * kernel copies (copy_file_range: no pass through user space); where it
 * cannot (another file system on old kernels, a pipe, O_APPEND) or fails,
 * pread and write go on from where it stopped and report a real error.
 */
static int
berw_copy_hole(struct berw *w, const struct berw_hole *h, int fd,
    struct buf *out)
{
	uint8_t	 chunk[65536];
	uint64_t done = 0;
	size_t	 want;
	ssize_t	 r;
	off_t	 in;

	if (h->gen != NULL) {
		if (h->gen->write(h->gen->arg, fd, out, &done) < 0) {
			w->err_errno = errno;
			return berw_seterr(w, errno == ENOMEM ? BER_ENOMEM :
			    BER_EIO);
		}
		if (done != h->len)	/* the length written before it */
			return berw_seterr(w, BER_EWRITER);
		return BER_OK;
	}
	while (out == NULL && done < h->len) {
		in = h->off + (off_t)done;
		want = h->len - done < (1u << 30) ? (size_t)(h->len - done) :
		    (1u << 30);
		if ((r = copy_file_range(h->fd, &in, fd, NULL, want, 0)) <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		done += (uint64_t)r;
	}
	while (done < h->len) {
		want = h->len - done < sizeof(chunk) ? (size_t)(h->len - done) :
		    sizeof(chunk);
		if (pread_all(h->fd, chunk, want, h->off + (off_t)done) < 0) {
			w->err_errno = errno;	/* EIO: the file is shorter */
			return berw_seterr(w, BER_EIO);
		}
		if (out != NULL ? !buf_add(out, chunk, want) :
		    write_all(fd, chunk, want) < 0) {
			w->err_errno = out != NULL ? ENOMEM : errno;
			return berw_seterr(w, out != NULL ? BER_ENOMEM :
			    BER_EIO);
		}
		done += want;
	}
	return BER_OK;
}

static int
berw_emit(struct berw *w, int fd, struct buf *out)
{
	size_t	 pos = 0, i, n;

	if (berw_error(w) != BER_OK)
		return berw_error(w);
	if (w->depth != 0)
		return berw_seterr(w, BER_EWRITER);
	for (i = 0; i <= w->nholes; i++) {
		n = (i < w->nholes ? w->holes[i].pos : w->b.len) - pos;
		if (n > 0 && (out != NULL ? !buf_add(out, w->b.p + pos, n) :
		    write_all(fd, w->b.p + pos, n) < 0)) {
			w->err_errno = out != NULL ? ENOMEM : errno;
			return berw_seterr(w, out != NULL ? BER_ENOMEM :
			    BER_EIO);
		}
		pos += n;
		if (i < w->nholes && berw_copy_hole(w, &w->holes[i], fd,
		    out) != BER_OK)
			return w->err;
	}
	return BER_OK;
}

int
berw_write_fd(struct berw *w, int fd)
{
	return berw_emit(w, fd, NULL);
}

int
berw_write_buf(struct berw *w, struct buf *out)
{
	return berw_emit(w, -1, out);
}

static int
ber_is_string_type(uint32_t tag)
{
	return tag == BER_OCTET_STRING || tag == BER_UTF8_STRING ||
	    (tag >= BER_NUMERIC_STRING && tag <= BER_BMP_STRING &&
	    tag != BER_UTC_TIME && tag != BER_GENERALIZED_TIME);
}

/*
 * Copy the next element of c into w with definite, minimal lengths;
 * universal constructed strings become primitive. The structure is
 * otherwise kept as it is (a context-tagged constructed string stays
 * constructed: only its ASN.1 type could say it is a string).
 */
int
ber_normalize(struct ber_dec *d, struct cur *c, struct berw *w)
{
	struct ber_tlv	 t;
	struct buf	 scratch;
	struct cur	 v;
	int		 e;

	if ((e = ber_read(d, c, &t)) != BER_OK)
		return e;
	if (!t.cons)
		return berw_prim(w, t.cls, t.tag, cur_data(&t.val),
		    cur_len(&t.val));
	if (t.cls == BER_UNIV && ber_is_string_type(t.tag)) {
		buf_init(&scratch);
		e = ber_octets(d, &t, &scratch, &v);
		if (e == BER_OK)
			e = berw_prim(w, t.cls, t.tag, cur_data(&v),
			    cur_len(&v));
		buf_free(&scratch);
		return e;
	}
	if ((e = berw_open(w, t.cls, t.tag)) != BER_OK)
		return e;
	while (cur_len(&t.val) > 0)
		if ((e = ber_normalize(d, &t.val, w)) != BER_OK)
			return e;
	return berw_close(w);
}
