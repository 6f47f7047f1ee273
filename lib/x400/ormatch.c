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
 *	BER by orname_ext_each() (the one reader of them, which the std-or
 *	text form uses too), and the other extension attributes as BER
 *	elements. Each item of one view must then find its counterpart in
 *	the other: the same attribute in the same form, else in the other
 *	form; and the other way round.
 */
#include <string.h>

#include "asn1/ber.h"
#include "util/buf.h"
#include "util/cur.h"
#include "x400/ormatch.h"

#define OM_KEY_OU	OR_TTX_OU		/* + the OU's position */
#define OM_KEY_DDA	OR_TTX_DDA
#define OM_ITEMS	48	/* 20 printable + 18 teletex values */
#define OM_TTX		24	/* teletex values kept */
#define OM_TTX_MAX	OR_TTX_MAX	/* the longest X.411 bound */
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

/* A teletex value of orname_ext_each() into the view (its own slots). */
static int
om_view_ttx(void *arg, const struct or_ttx *t)
{
	struct om_view	*w = arg;
	const char	*type = NULL;

	if (w->nt + (t->attr == OR_TTX_DDA) >= OM_TTX)
		return -1;
	if (t->attr == OR_TTX_DDA)
		type = strcpy(w->t[w->nt++], t->type);
	return om_add(w, t->attr, type, strcpy(w->t[w->nt++], t->v), 1);
}

/* Another extension attribute: kept as its BER octets. */
static int
om_view_raw(void *arg, const uint8_t *p, size_t n)
{
	struct om_view	*w = arg;

	if (w->nraw == OM_RAW)
		return -1;
	w->raw[w->nraw] = p;
	w->rawlen[w->nraw++] = n;
	return 0;
}

static int
om_view(struct om_view *w, const struct orname *or)
{
	w->n = w->nt = w->nraw = 0;
	om_view_printable(w, or);
	return orname_ext_each(or, om_view_ttx, om_view_raw, w);
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
