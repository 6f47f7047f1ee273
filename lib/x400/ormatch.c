/*
 * NAME
 *	ormatch - O/R name matching (see ormatch.h)
 * DESCRIPTION
 *	One folding rule, om_next(): every comparison, ormatch_fold() and
 *	ormatch_value() alike, reads values through it, so the folded form
 *	and the comparison cannot disagree.
 *
 *	ormatch_name() first turns each O/R name into a view: a list of
 *	items (which attribute: a single-valued one, an OU by position or a
 *	domain-defined attribute by type; printable or teletex; the value),
 *	the teletex values decoded from the extension attributes kept as
 *	BER (ExtensionAttribute ::= SEQUENCE { type [0] INTEGER, value [1]
 *	EXPLICIT ANY }, X.411), and the other extension attributes as BER
 *	elements. Each item of one view must then find its counterpart in
 *	the other: the same attribute in the same form, else in the other
 *	form; and the other way round.
 */
#include <string.h>

#include "asn1/ber.h"
#include "util/buf.h"
#include "util/cur.h"
#include "x400/ormatch.h"

#define OM_KEY_OU	OR_NATTR		/* + the OU's position */
#define OM_KEY_DDA	(OR_NATTR + OR_UB_OUS)
#define OM_ITEMS	48	/* 20 printable + 18 teletex values */
#define OM_TTX		24	/* teletex values kept */
#define OM_TTX_MAX	OR_UB_DDA_VALUE	/* the longest X.411 bound */
#define OM_RAW		80	/* other extension attributes (xraw 512) */

struct om_item {
	int		 key;		/* or_attr, OM_KEY_OU + i, OM_KEY_DDA */
	const char	*type;		/* OM_KEY_DDA: the attribute type */
	const char	*v;
	int		 teletex;
};

struct om_view {
	size_t		 n;
	struct om_item	 it[OM_ITEMS];
	size_t		 nt;
	char		 t[OM_TTX][OM_TTX_MAX + 1];
	size_t		 nraw;
	const uint8_t	*raw[OM_RAW];
	size_t		 rawlen[OM_RAW];
};

/* A folding reader over one NUL-terminated value. */
struct om_fold {
	const char	*p;
	int		 started;
};

/*
 * The next character of the folded value, '\0' at its end: spaces at
 * the start and at the end are dropped, a run of them inside is one
 * space, a-z are upper-cased.
 */
static char
om_next(struct om_fold *f)
{
	char	 c;

	if (!f->started) {
		while (*f->p == ' ')
			f->p++;
		f->started = 1;
	}
	if (*f->p == ' ') {
		while (*f->p == ' ')
			f->p++;
		return *f->p == '\0' ? '\0' : ' ';
	}
	if ((c = *f->p) == '\0')
		return '\0';
	f->p++;
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

size_t
ormatch_fold(const char *v, char *out, size_t cap)
{
	struct om_fold	 f = { v, 0 };
	size_t		 n = 0;
	char		 c;

	while ((c = om_next(&f)) != '\0') {
		if (n + 1 < cap)
			out[n] = c;
		n++;
	}
	if (cap > 0)
		out[n < cap ? n : cap - 1] = '\0';
	return n;
}

int
ormatch_value(const char *a, const char *b)
{
	struct om_fold	 fa = { a, 0 }, fb = { b, 0 };
	char		 c;

	do {
		if ((c = om_next(&fa)) != om_next(&fb))
			return 0;
	} while (c != '\0');
	return 1;
}

static int
om_add(struct om_view *w, int key, const char *type, const char *v,
    int teletex)
{
	if (w->n == OM_ITEMS)
		return -1;
	w->it[w->n].key = key;
	w->it[w->n].type = type;
	w->it[w->n].v = v;
	w->it[w->n++].teletex = teletex;
	return 0;
}

/* The printable (and numeric) values of the struct. */
static void
om_view_printable(struct om_view *w, const struct orname *or)
{
	unsigned i;
	int	 k;

	for (k = 0; k < OR_NATTR; k++)
		if (orname_get(or, k) != NULL)
			om_add(w, k, NULL, orname_get(or, k), 0);
	for (i = 0; i < or->nou && i < OR_UB_OUS; i++)
		om_add(w, OM_KEY_OU + (int)i, NULL, or->ou[i], 0);
	for (i = 0; i < or->ndda && i < OR_UB_DDAS; i++)
		om_add(w, OM_KEY_DDA, or->dda[i].type, or->dda[i].value, 0);
}

/* One TeletexString element t into a new teletex slot; NULL if none. */
static const char *
om_ttx(struct om_view *w, struct ber_dec *d, const struct ber_tlv *t,
    struct buf *b)
{
	char	*s;

	if (w->nt == OM_TTX || ber_get_string(d, t, BER_TELETEX_STRING, b) !=
	    BER_OK || b->len == 0 || b->len > OM_TTX_MAX ||
	    memchr(b->p, '\0', b->len) != NULL)
		return NULL;
	s = w->t[w->nt++];
	memcpy(s, b->p, b->len);
	s[b->len] = '\0';
	return s;
}

/* The next element of c, a TeletexString under the tag (cls, tag). */
static const char *
om_ttx_next(struct om_view *w, struct ber_dec *d, struct cur *c, uint8_t cls,
    uint32_t tag, struct buf *b)
{
	struct ber_tlv	 t;

	if (ber_expect(d, c, cls, tag, -1, &t) != BER_OK)
		return NULL;
	return om_ttx(w, d, &t, b);
}

/* teletex-personal-name: SET { surname [0], given-name [1], ... }. */
static int
om_ttx_pn(struct om_view *w, struct ber_dec *d, struct cur *c, struct buf *b)
{
	static const int pn[] = { OR_S, OR_G, OR_I, OR_GQ };
	struct ber_tlv	 set, t;
	const char	*v;

	if (ber_expect(d, c, BER_UNIV, BER_SET, 1, &set) != BER_OK)
		return -1;
	while (cur_len(&set.val) > 0) {
		if (ber_read(d, &set.val, &t) != BER_OK || t.cls != BER_CTX ||
		    t.tag > 3 || (v = om_ttx(w, d, &t, b)) == NULL ||
		    om_add(w, pn[t.tag], NULL, v, 1) < 0)
			return -1;
	}
	return 0;
}

/* teletex-organizational-unit-names and teletex-domain-defined-attrs. */
static int
om_ttx_seq(struct om_view *w, struct ber_dec *d, struct cur *c, int dda,
    struct buf *b)
{
	struct ber_tlv	 seq, one;
	const char	*ty, *v;
	int		 i = 0;

	if (ber_expect(d, c, BER_UNIV, BER_SEQUENCE, 1, &seq) != BER_OK)
		return -1;
	for (; cur_len(&seq.val) > 0; i++) {
		if (i == (dda ? OR_UB_DDAS : OR_UB_OUS))
			return -1;
		if (!dda) {
			if ((v = om_ttx_next(w, d, &seq.val, BER_UNIV,
			    BER_TELETEX_STRING, b)) == NULL ||
			    om_add(w, OM_KEY_OU + i, NULL, v, 1) < 0)
				return -1;
			continue;
		}
		if (ber_expect(d, &seq.val, BER_UNIV, BER_SEQUENCE, 1, &one) !=
		    BER_OK || (ty = om_ttx_next(w, d, &one.val, BER_UNIV,
		    BER_TELETEX_STRING, b)) == NULL || (v = om_ttx_next(w, d,
		    &one.val, BER_UNIV, BER_TELETEX_STRING, b)) == NULL ||
		    cur_len(&one.val) != 0 ||
		    om_add(w, OM_KEY_DDA, ty, v, 1) < 0)
			return -1;
	}
	return 0;
}

/* The value c of a teletex extension attribute of this type; -1 if bad. */
static int
om_ttx_attr(struct om_view *w, int64_t type, struct cur *c)
{
	struct ber_dec	 d;
	struct buf	 b;
	const char	*v;
	int		 rc = -1;

	ber_dec_init(&d);
	buf_init(&b);
	switch (type) {
	case OR_EXT_TELETEX_CN:
	case OR_EXT_TELETEX_O:
		if ((v = om_ttx_next(w, &d, c, BER_UNIV, BER_TELETEX_STRING,
		    &b)) != NULL)
			rc = om_add(w, type == OR_EXT_TELETEX_CN ? OR_CN : OR_O,
			    NULL, v, 1);
		break;
	case OR_EXT_TELETEX_PN:
		rc = om_ttx_pn(w, &d, c, &b);
		break;
	default:
		rc = om_ttx_seq(w, &d, c, type == OR_EXT_TELETEX_DDA, &b);
		break;
	}
	buf_free(&b);
	return rc == 0 && cur_len(c) == 0 ? 0 : -1;
}

/* One ExtensionAttribute at c: a teletex value, else kept as BER. */
static int
om_view_ext(struct om_view *w, struct cur *c)
{
	struct ber_dec	 d;
	struct ber_tlv	 a, ty, va;
	struct cur	 start = *c;
	size_t		 n = w->n, nt = w->nt;
	int64_t		 type = -1;

	ber_dec_init(&d);
	if (ber_expect(&d, c, BER_UNIV, BER_SEQUENCE, 1, &a) != BER_OK)
		return -1;		/* orname_decode() let nothing else in */
	if (ber_expect(&d, &a.val, BER_CTX, 0, 0, &ty) == BER_OK &&
	    ber_get_int(&d, &ty, &type) == BER_OK &&
	    type >= OR_EXT_TELETEX_CN && type <= OR_EXT_TELETEX_DDA &&
	    ber_expect(&d, &a.val, BER_CTX, 1, 1, &va) == BER_OK &&
	    cur_len(&a.val) == 0 && om_ttx_attr(w, type, &va.val) == 0)
		return 0;
	w->n = n;			/* undo a half-read teletex value */
	w->nt = nt;
	if (w->nraw == OM_RAW)
		return -1;
	w->raw[w->nraw] = cur_data(&start);
	w->rawlen[w->nraw++] = cur_len(&start) - cur_len(c);
	return 0;
}

static int
om_view(struct om_view *w, const struct orname *or)
{
	struct cur	 c;

	w->n = w->nt = w->nraw = 0;
	om_view_printable(w, or);
	if (or->xrawlen > OR_XRAW_MAX)
		return -1;
	cur_init(&c, or->xraw, or->xrawlen);
	while (cur_len(&c) > 0)
		if (om_view_ext(w, &c) < 0)
			return -1;
	return 0;
}

static int
om_same_attr(const struct om_item *x, const struct om_item *y)
{
	return x->key == y->key && (x->key != OM_KEY_DDA ||
	    ormatch_value(x->type, y->type));
}

/*
 * Whether x finds its counterpart in w: an equal value of the same
 * attribute in the same form if w has the attribute in that form, else
 * in the other form (NIST B.1 b).
 */
static int
om_item_found(const struct om_item *x, const struct om_view *w)
{
	size_t	 i;
	int	 same_form = 0, other_eq = 0, eq;

	for (i = 0; i < w->n; i++) {
		if (!om_same_attr(x, &w->it[i]))
			continue;
		eq = ormatch_value(x->v, w->it[i].v);
		if (w->it[i].teletex == x->teletex) {
			if (eq)
				return 1;
			same_form = 1;
		} else if (eq)
			other_eq = 1;
	}
	return !same_form && other_eq;
}

/* Whether every other extension attribute of a is one of b's. */
static int
om_raw_in(const struct om_view *a, const struct om_view *b)
{
	size_t	 i, j;

	for (i = 0; i < a->nraw; i++) {
		for (j = 0; j < b->nraw; j++)
			if (a->rawlen[i] == b->rawlen[j] &&
			    memcmp(a->raw[i], b->raw[j], a->rawlen[i]) == 0)
				break;
		if (j == b->nraw)
			return 0;
	}
	return 1;
}

static int
om_view_in(const struct om_view *a, const struct om_view *b)
{
	size_t	 i;

	for (i = 0; i < a->n; i++)
		if (!om_item_found(&a->it[i], b))
			return 0;
	return om_raw_in(a, b);
}

int
ormatch_name(const struct orname *a, const struct orname *b)
{
	struct om_view	 va, vb;

	if (a->dnlen != b->dnlen || a->dnlen > OR_DN_MAX ||
	    memcmp(a->dn, b->dn, a->dnlen) != 0)
		return 0;
	if (om_view(&va, a) < 0 || om_view(&vb, b) < 0)
		return 0;
	return va.nraw == vb.nraw && om_view_in(&va, &vb) &&
	    om_view_in(&vb, &va);
}
