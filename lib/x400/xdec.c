/*
 * NAME
 *	xdec - the decoding steps the X.400 codecs share (see xdec.h)
 * DESCRIPTION
 *	Where the copies these replace (in p1.c, p22.c and p35.c) differed,
 *	the rule kept is written at the function.
 */
#include <stdio.h>
#include <string.h>

#include "x400/xdec.h"

void
xdec_init(struct xdec *x, struct ber_dec *d, struct buf *s, struct arena *a,
    char *errtext, size_t errtextsz)
{
	x->d = d;
	x->s = s;
	x->arena = a;
	x->errtext = errtext;
	x->errtextsz = errtextsz;
}

static const char *
cls_name(uint8_t cls)
{
	switch (cls) {
	case BER_UNIV:
		return "UNIVERSAL ";
	case BER_APP:
		return "APPLICATION ";
	case BER_PRIV:
		return "PRIVATE ";
	default:
		return "";
	}
}

/*
 * The text is written only while it can still become the recorded
 * error's field (the first error sticks, with its own text); an error
 * recorded without a field (by ber_expect()) gets this one.
 */
int
xdec_unknown(struct xdec *x, const struct ber_tlv *t, const char *where)
{
	if (x->d->err == BER_OK || x->d->err_field == NULL)
		snprintf(x->errtext, x->errtextsz, "[%s%u] in %s",
		    cls_name(t->cls), (unsigned)t->tag, where);
	return ber_field(x->d, ber_fail(x->d, BER_EUNEXP, t->off,
	    x->errtext), x->errtext);
}

int
xdec_int(struct xdec *x, const struct ber_tlv *t, int64_t lo, int64_t hi,
    int64_t *v, const char *field)
{
	int	 e;

	if ((e = ber_get_int(x->d, t, v)) != BER_OK)
		return ber_field(x->d, e, field);
	if (*v < lo || *v > hi)
		return ber_fail(x->d, BER_EVALUE, t->off, field);
	return BER_OK;
}

/*
 * A NUL inside is BER_ECHARS, as the P22 copy said (the P1 and P35
 * copies said BER_ESIZE): it is a character the value may not hold,
 * not a length outside the type's SIZE (X.680 51.5 constrains the
 * length only); X.680 41.4 leaves it out of NumericString and
 * PrintableString (Tables 9, 10), and our model ends strings at NUL.
 */
int
xdec_str(struct xdec *x, const struct ber_tlv *t, int type, size_t lo,
    size_t hi, char *out, size_t *outlen, const char *field)
{
	int	 e;

	if ((e = ber_get_string(x->d, t, type, x->s)) != BER_OK)
		return ber_field(x->d, e, field);
	if (x->s->len < lo || x->s->len > hi)
		return ber_fail(x->d, BER_ESIZE, t->off, field);
	if (x->s->len > 0 && memchr(x->s->p, '\0', x->s->len) != NULL)
		return ber_fail(x->d, BER_ECHARS, t->off, field);
	if (x->s->len > 0)	/* an empty buf may have no memory */
		memcpy(out, x->s->p, x->s->len);
	out[x->s->len] = '\0';
	if (outlen != NULL)
		*outlen = x->s->len;
	return BER_OK;
}

int
xdec_time(struct xdec *x, const struct ber_tlv *t, int type, time_t *v,
    const char *field)
{
	return ber_field(x->d, ber_get_time(x->d, t, type, v), field);
}

int
xdec_bool(struct xdec *x, const struct ber_tlv *t, int *v, const char *field)
{
	return ber_field(x->d, ber_get_bool(x->d, t, v), field);
}

int
xdec_bits(struct xdec *x, const struct ber_tlv *t, unsigned maxbits,
    uint64_t *v, const char *field)
{
	unsigned	 n;
	int		 e;

	if ((e = ber_get_bits(x->d, t, v, &n)) != BER_OK)
		return ber_field(x->d, e, field);
	if (n > maxbits)
		return ber_fail(x->d, BER_ESIZE, t->off, field);
	return BER_OK;
}

int
xdec_oid(struct xdec *x, const struct ber_tlv *t, char *out, size_t outsz,
    const char *field)
{
	return ber_field(x->d, ber_get_oid(x->d, t, out, outsz), field);
}

/*
 * An empty explicit tag is BER_EMISSING at the offset where the element
 * should be (as ber_expect() says it), the start of the contents.
 */
int
xdec_inner(struct xdec *x, const struct ber_tlv *t, struct ber_tlv *in,
    const char *field)
{
	struct cur	 c = t->val;
	int		 e;

	if (!t->cons)
		return ber_fail(x->d, BER_ECONS, t->off, field);
	if (cur_len(&c) == 0)
		return ber_fail(x->d, BER_EMISSING, cur_offset(&c), field);
	if ((e = ber_read(x->d, &c, in)) != BER_OK)
		return ber_field(x->d, e, field);
	if (cur_len(&c) != 0)
		return ber_fail(x->d, BER_ETRAIL, cur_offset(&c), field);
	return BER_OK;
}

int
xdec_count(struct xdec *x, struct cur c, size_t lo, size_t max, size_t off,
    size_t *n, const char *field)
{
	struct ber_tlv	 t;
	int		 e;

	*n = 0;
	while (cur_len(&c) > 0) {
		if ((e = ber_read(x->d, &c, &t)) != BER_OK)
			return ber_field(x->d, e, field);
		if (++*n > max)
			return ber_fail(x->d, BER_ESIZE, t.off, field);
	}
	if (*n < lo)
		return ber_fail(x->d, BER_ESIZE, off, field);
	return BER_OK;
}

void *
xdec_alloc_n(struct xdec *x, size_t n, size_t size, size_t off,
    const char *field)
{
	void	*p;

	if (n > SIZE_MAX / (size ? size : 1) ||
	    (p = arena_alloc(x->arena, n * size)) == NULL) {
		ber_fail(x->d, BER_ENOMEM, off, field);
		return NULL;
	}
	return p;
}

int
xdec_keep(struct xdec *x, struct berw *w, size_t max, size_t off,
    const uint8_t **out, size_t *outlen, const char *field)
{
	struct buf	 b;
	uint8_t		*p;
	int		 e;

	*out = NULL;
	*outlen = 0;
	if ((e = berw_error(w)) != BER_OK)
		return ber_fail(x->d, e, off, field);
	if (berw_size(w) == 0)		/* nothing to keep */
		return BER_OK;
	if (max != 0 && berw_size(w) > max)
		return ber_fail(x->d, BER_ESIZE, off, field);
	buf_init(&b);
	if ((e = berw_write_buf(w, &b)) != BER_OK) {
		buf_free(&b);
		return ber_fail(x->d, e, off, field);
	}
	if ((p = arena_alloc(x->arena, b.len)) == NULL) {
		buf_free(&b);
		return ber_fail(x->d, BER_ENOMEM, off, field);
	}
	memcpy(p, b.p, b.len);
	*out = p;
	*outlen = b.len;
	buf_free(&b);
	return BER_OK;
}

/* The size is checked after each element: a long list stops early. */
int
xdec_norm(struct xdec *x, struct cur c, int one, size_t max, size_t off,
    const uint8_t **out, size_t *outlen, const char *field)
{
	struct berw	 w;
	int		 e = BER_OK;

	*out = NULL;
	*outlen = 0;
	berw_init(&w);
	while (cur_len(&c) > 0 && e == BER_OK) {
		e = ber_field(x->d, ber_normalize(x->d, &c, &w), field);
		if (e == BER_OK && max != 0 && berw_size(&w) > max)
			e = ber_fail(x->d, BER_ESIZE, off, field);
		if (one)
			break;
	}
	if (e == BER_OK)
		e = xdec_keep(x, &w, max, off, out, outlen, field);
	berw_free(&w);
	return e;
}

int
xdec_add(struct xdec *x, struct cur c, struct berw *w, const char *field)
{
	return ber_field(x->d, ber_normalize(x->d, &c, w), field);
}
