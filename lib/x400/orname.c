/*
 * NAME
 *	orname - X.400 O/R names: model, BER codec, RFC 2156 text form
 * SYNOPSIS
 *	#include "x400/orname.h"
 * DESCRIPTION
 *	See orname.h. The ASN.1 is X.411 (06/1999) MTSAbstractService,
 *	IMPLICIT TAGS; the upper bounds are MTSUpperBounds. The text form
 *	and the PrintableString escapes are RFC 2156 sections 4.2.2 and 3.4.
 *
 *	One table (or_fields) says, for every single-valued attribute, its
 *	X.411 name, its RFC 2156 key, where it lives in the struct, its
 *	string type and its size constraint. Setters check the character
 *	set and the upper bound; the BER encoder and decoder check the
 *	character set and both bounds, so that what decodes also encodes
 *	and the other way round.
 * DIAGNOSTICS
 *	See orname.h.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "x400/orname.h"
#include "x400/ormatch.h"

struct or_field {
	const char	*name;		/* X.411 component name */
	const char	*key;		/* RFC 2156 std-or key */
	size_t		 off;		/* char array in struct orname */
	size_t		 lb, ub;	/* SIZE (lb..ub) */
	int		 type;		/* universal string type */
};

/*
 * C, ADMD and PRMD are a CHOICE of NumericString and PrintableString:
 * the type given here is the printable one, or_type() gives the one in
 * use. C is SIZE (2) printable or SIZE (3) numeric.
 */
static const struct or_field or_fields[OR_NATTR] = {
	[OR_C] = { "country-name", "C", offsetof(struct orname, c),
	    OR_UB_COUNTRY_ALPHA, OR_UB_COUNTRY_ALPHA, BER_PRINTABLE_STRING },
	[OR_ADMD] = { "administration-domain-name", "ADMD",
	    offsetof(struct orname, admd), 0, OR_UB_DOMAIN_NAME,
	    BER_PRINTABLE_STRING },
	[OR_X121] = { "network-address", "X121",
	    offsetof(struct orname, x121), 1, OR_UB_X121, BER_NUMERIC_STRING },
	[OR_TID] = { "terminal-identifier", "T-ID",
	    offsetof(struct orname, tid), 1, OR_UB_TERMINAL_ID,
	    BER_PRINTABLE_STRING },
	[OR_PRMD] = { "private-domain-name", "PRMD",
	    offsetof(struct orname, prmd), 1, OR_UB_DOMAIN_NAME,
	    BER_PRINTABLE_STRING },
	[OR_O] = { "organization-name", "O", offsetof(struct orname, o), 1,
	    OR_UB_ORGANIZATION, BER_PRINTABLE_STRING },
	[OR_UAID] = { "numeric-user-identifier", "UA-ID",
	    offsetof(struct orname, uaid), 1, OR_UB_NUMERIC_USER_ID,
	    BER_NUMERIC_STRING },
	[OR_S] = { "personal-name.surname", "S", offsetof(struct orname, s),
	    1, OR_UB_SURNAME, BER_PRINTABLE_STRING },
	[OR_G] = { "personal-name.given-name", "G",
	    offsetof(struct orname, g), 1, OR_UB_GIVEN_NAME,
	    BER_PRINTABLE_STRING },
	[OR_I] = { "personal-name.initials", "I", offsetof(struct orname, i),
	    1, OR_UB_INITIALS, BER_PRINTABLE_STRING },
	[OR_GQ] = { "personal-name.generation-qualifier", "GQ",
	    offsetof(struct orname, gq), 1, OR_UB_GENERATION,
	    BER_PRINTABLE_STRING },
	[OR_CN] = { "common-name", "CN", offsetof(struct orname, cn), 1,
	    OR_UB_COMMON_NAME, BER_PRINTABLE_STRING },
};

#define OR_F_OU		"organizational-unit-names"
#define OR_F_DDA	"built-in-domain-defined-attributes"
#define OR_F_DDA_TYPE	"domain-defined-attribute.type"
#define OR_F_DDA_VALUE	"domain-defined-attribute.value"
#define OR_F_EXT	"extension-attributes"
#define OR_F_BISA	"built-in-standard-attributes"
#define OR_F_PN		"personal-name"
#define OR_F_DN		"directory-name"
#define OR_F_ORNAME	"ORName"

#define OR_NUMERIC_MASK	((1u << OR_C) | (1u << OR_ADMD) | (1u << OR_PRMD))
#define OR_PN_MASK	((1u << OR_S) | (1u << OR_G) | (1u << OR_I) | \
			    (1u << OR_GQ))
#define OR_ALL_MASK	((1u << OR_NATTR) - 1)

static const char *const or_errtext[OR_NERR] = {
	[OR_OK] = "no error",
	[OR_ESYNTAX] = "not KEY=value (or a \"$\" at the end)",
	[OR_EKEY] = "unknown or unsupported key",
	[OR_EDUP] = "attribute given more than once",
	[OR_ECHARS] = "character not allowed in the attribute's string type",
	[OR_ESIZE] = "value longer than the attribute's upper bound",
	[OR_EOU] = "OU numbering has a gap, or OU is mixed with OU1..OU4",
	[OR_EMANY] = "more than 4 OUs or 4 domain-defined attributes",
	[OR_ENOMEM] = "out of memory or output space",
	[OR_EARG] = "bad argument",
	[OR_EPOSTAL] = "a postal or extended network attribute (RFC 2156 "
	    "4.1.1, X.411 extension attributes 7-23), which oxgate's O/R "
	    "model does not hold",
	[OR_ETELETEX] = "a teletex value oxgate cannot place (in PN, a "
	    "teletex personal name without surname, or OUs whose printable "
	    "or teletex forms leave a gap)",
};

const char *
orname_strerror(int e)
{
	if (e < 0 || e >= OR_NERR || or_errtext[e] == NULL)
		return "unknown error";
	return or_errtext[e];
}

const char *
orname_attr_name(enum or_attr a)
{
	if ((unsigned)a >= OR_NATTR)
		return NULL;
	return or_fields[a].name;
}

static char *
or_slot(struct orname *or, enum or_attr a)
{
	return (char *)or + or_fields[a].off;
}

static const char *
or_cslot(const struct orname *or, enum or_attr a)
{
	return (const char *)or + or_fields[a].off;
}

static int
or_has(const struct orname *or, enum or_attr a)
{
	return (or->present & (1u << a)) != 0;
}

/* The string type and bounds of attribute a as it is now. */
static int
or_type(const struct orname *or, enum or_attr a, size_t *lb, size_t *ub)
{
	int	 num = (or->numeric & OR_NUMERIC_MASK & (1u << a)) != 0;

	*lb = or_fields[a].lb;
	*ub = or_fields[a].ub;
	if (a == OR_C && num)
		*lb = *ub = OR_UB_COUNTRY_NUMERIC;
	return num ? BER_NUMERIC_STRING : or_fields[a].type;
}

void
orname_init(struct orname *or)
{
	memset(or, 0, sizeof(*or));
}

/* C, ADMD and PRMD of src, nothing else, into dst. */
void
orname_domain(const struct orname *src, struct orname *dst)
{
	const uint32_t dom = (1u << OR_C) | (1u << OR_ADMD) | (1u << OR_PRMD);

	orname_init(dst);
	dst->present = src->present & dom;
	dst->numeric = src->numeric & dom;
	memcpy(dst->c, src->c, sizeof(dst->c));
	memcpy(dst->admd, src->admd, sizeof(dst->admd));
	memcpy(dst->prmd, src->prmd, sizeof(dst->prmd));
}

/* Store a value of the given type: character set and upper bound. */
static int
or_store(struct orname *or, enum or_attr a, const char *v, size_t n,
    int numeric)
{
	size_t	 ub = or_fields[a].ub;

	if (numeric && a == OR_C)
		ub = OR_UB_COUNTRY_NUMERIC;
	if (n > ub)
		return OR_ESIZE;
	if (!ber_chars_ok(numeric ? BER_NUMERIC_STRING : or_fields[a].type,
	    v, n))
		return OR_ECHARS;
	memcpy(or_slot(or, a), v, n);
	or_slot(or, a)[n] = '\0';
	or->present |= 1u << a;
	if (numeric)
		or->numeric |= 1u << a;
	else
		or->numeric &= ~(1u << a);
	return OR_OK;
}

static int
or_all_digits(const char *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return n > 0;
}

/*
 * Set one attribute. A three-digit country is numeric (x121-dcc-code);
 * ADMD and PRMD are set printable (change or->numeric for numeric).
 */
int
orname_set(struct orname *or, enum or_attr a, const char *v, size_t n)
{
	if ((unsigned)a >= OR_NATTR || (v == NULL && n > 0))
		return OR_EARG;
	return or_store(or, a, v, n, a == OR_C && n == OR_UB_COUNTRY_NUMERIC &&
	    or_all_digits(v, n));
}

/* OU k (1..4, 1 the first of the SEQUENCE): replace one or append. */
int
orname_set_ou(struct orname *or, unsigned k, const char *v, size_t n)
{
	if (k < 1 || k > OR_UB_OUS || (v == NULL && n > 0))
		return k > OR_UB_OUS ? OR_EMANY : OR_EARG;
	if (k > or->nou + 1)
		return OR_EOU;
	if (n > OR_UB_OU_NAME)
		return OR_ESIZE;
	if (!ber_chars_ok(BER_PRINTABLE_STRING, v, n))
		return OR_ECHARS;
	memcpy(or->ou[k - 1], v, n);
	or->ou[k - 1][n] = '\0';
	if (k > or->nou)
		or->nou = k;
	return OR_OK;
}

static int
or_add_dda_n(struct orname *or, const char *type, size_t tn, const char *v,
    size_t vn)
{
	struct or_dda	*dd;

	if (or->ndda >= OR_UB_DDAS)
		return OR_EMANY;
	if (tn > OR_UB_DDA_TYPE || vn > OR_UB_DDA_VALUE)
		return OR_ESIZE;
	if (!ber_chars_ok(BER_PRINTABLE_STRING, type, tn) ||
	    !ber_chars_ok(BER_PRINTABLE_STRING, v, vn))
		return OR_ECHARS;
	dd = &or->dda[or->ndda++];
	memcpy(dd->type, type, tn);
	dd->type[tn] = '\0';
	memcpy(dd->value, v, vn);
	dd->value[vn] = '\0';
	return OR_OK;
}

/* Append a domain-defined attribute (type NUL-terminated). */
int
orname_add_dda(struct orname *or, const char *type, const char *v, size_t n)
{
	if (type == NULL || (v == NULL && n > 0))
		return OR_EARG;
	return or_add_dda_n(or, type, strlen(type), v, n);
}

const char *
orname_get(const struct orname *or, enum or_attr a)
{
	if ((unsigned)a >= OR_NATTR || !or_has(or, a))
		return NULL;
	return or_cslot(or, a);
}

/* The value of the first domain-defined attribute of this type. */
const char *
orname_dda(const struct orname *or, const char *type)
{
	unsigned i;

	for (i = 0; i < or->ndda && i < OR_UB_DDAS; i++)
		if (ormatch_value(or->dda[i].type, type))
			return or->dda[i].value;
	return NULL;
}

int
orname_equal(const struct orname *a, const struct orname *b)
{
	unsigned i;
	int	 k;

	if ((a->present & OR_ALL_MASK) != (b->present & OR_ALL_MASK) ||
	    (a->numeric & a->present & OR_NUMERIC_MASK) !=
	    (b->numeric & b->present & OR_NUMERIC_MASK) ||
	    a->nou != b->nou || a->ndda != b->ndda ||
	    a->nou > OR_UB_OUS || a->ndda > OR_UB_DDAS ||
	    a->xrawlen != b->xrawlen || a->dnlen != b->dnlen ||
	    a->xrawlen > OR_XRAW_MAX || a->dnlen > OR_DN_MAX)
		return 0;
	for (k = 0; k < OR_NATTR; k++)
		if (or_has(a, k) && strcmp(or_cslot(a, k), or_cslot(b, k)) != 0)
			return 0;
	for (i = 0; i < a->nou; i++)
		if (strcmp(a->ou[i], b->ou[i]) != 0)
			return 0;
	for (i = 0; i < a->ndda; i++)
		if (strcmp(a->dda[i].type, b->dda[i].type) != 0 ||
		    strcmp(a->dda[i].value, b->dda[i].value) != 0)
			return 0;
	return memcmp(a->xraw, b->xraw, a->xrawlen) == 0 &&
	    memcmp(a->dn, b->dn, a->dnlen) == 0;
}

/*
 * BER writer
 */

/* Record the first writer error with the attribute it concerns. */
static int
or_wfail(struct berw *w, int e, const char *field)
{
	if (w->err == BER_OK) {
		w->err = e;
		w->err_field = field;
	} else if (w->err_field == NULL)
		w->err_field = field;
	return w->err;
}

/* One string value, checked against its type and SIZE (lb..ub). */
static int
or_put_str(struct berw *w, uint8_t cls, uint32_t tag, int type,
    const char *v, size_t lb, size_t ub, const char *field)
{
	size_t	 n = strnlen(v, ub + 1);

	if (w->err != BER_OK)
		return w->err;
	if (n < lb || n > ub)
		return or_wfail(w, BER_ESIZE, field);
	if (!ber_chars_ok(type, v, n))
		return or_wfail(w, BER_ECHARS, field);
	if (berw_string(w, cls, tag, type, v, n) != BER_OK)
		return or_wfail(w, w->err, field);
	return BER_OK;
}

/* Attribute a as cls/tag, implicit (explicit: wrapped in a CHOICE). */
static int
or_put_attr(struct berw *w, const struct orname *or, enum or_attr a,
    uint8_t cls, uint32_t tag, int explicit)
{
	size_t	 lb, ub;
	int	 type;

	if (!or_has(or, a))
		return w->err;
	type = or_type(or, a, &lb, &ub);
	if (!explicit)
		return or_put_str(w, cls, tag, type, or_cslot(or, a), lb, ub,
		    or_fields[a].name);
	berw_open(w, cls, tag);
	or_put_str(w, BER_UNIV, (uint32_t)type, type, or_cslot(or, a), lb, ub,
	    or_fields[a].name);
	return berw_close(w);
}

/* The components of an ORAddress (without the enclosing tag). */
static int
or_put_address(struct berw *w, const struct orname *or)
{
	unsigned i;

	if (or->nou > OR_UB_OUS)
		return or_wfail(w, BER_ESIZE, OR_F_OU);
	if (or->ndda > OR_UB_DDAS)
		return or_wfail(w, BER_ESIZE, OR_F_DDA);
	if (or->xrawlen > OR_XRAW_MAX)
		return or_wfail(w, BER_ESIZE, OR_F_EXT);
	if ((or->present & OR_PN_MASK) != 0 && !or_has(or, OR_S))
		return or_wfail(w, BER_EMISSING, or_fields[OR_S].name);

	berw_open(w, BER_UNIV, BER_SEQUENCE);
	or_put_attr(w, or, OR_C, BER_APP, 1, 1);
	or_put_attr(w, or, OR_ADMD, BER_APP, 2, 1);
	or_put_attr(w, or, OR_X121, BER_CTX, 0, 0);
	or_put_attr(w, or, OR_TID, BER_CTX, 1, 0);
	or_put_attr(w, or, OR_PRMD, BER_CTX, 2, 1);
	or_put_attr(w, or, OR_O, BER_CTX, 3, 0);
	or_put_attr(w, or, OR_UAID, BER_CTX, 4, 0);
	if ((or->present & OR_PN_MASK) != 0) {
		berw_open(w, BER_CTX, 5);
		or_put_attr(w, or, OR_S, BER_CTX, 0, 0);
		or_put_attr(w, or, OR_G, BER_CTX, 1, 0);
		or_put_attr(w, or, OR_I, BER_CTX, 2, 0);
		or_put_attr(w, or, OR_GQ, BER_CTX, 3, 0);
		berw_close(w);
	}
	if (or->nou > 0) {
		berw_open(w, BER_CTX, 6);
		for (i = 0; i < or->nou; i++)
			or_put_str(w, BER_UNIV, BER_PRINTABLE_STRING,
			    BER_PRINTABLE_STRING, or->ou[i], 1, OR_UB_OU_NAME,
			    OR_F_OU);
		berw_close(w);
	}
	berw_close(w);

	if (or->ndda > 0) {
		berw_open(w, BER_UNIV, BER_SEQUENCE);
		for (i = 0; i < or->ndda; i++) {
			berw_open(w, BER_UNIV, BER_SEQUENCE);
			or_put_str(w, BER_UNIV, BER_PRINTABLE_STRING,
			    BER_PRINTABLE_STRING, or->dda[i].type, 1,
			    OR_UB_DDA_TYPE, OR_F_DDA_TYPE);
			or_put_str(w, BER_UNIV, BER_PRINTABLE_STRING,
			    BER_PRINTABLE_STRING, or->dda[i].value, 1,
			    OR_UB_DDA_VALUE, OR_F_DDA_VALUE);
			berw_close(w);
		}
		berw_close(w);
	}

	if (or_has(or, OR_CN) || or->xrawlen > 0) {
		berw_open(w, BER_UNIV, BER_SET);
		if (or_has(or, OR_CN)) {
			berw_open(w, BER_UNIV, BER_SEQUENCE);
			berw_int(w, BER_CTX, 0, 1);	/* common-name */
			or_put_attr(w, or, OR_CN, BER_CTX, 1, 1);
			berw_close(w);
		}
		if (or->xrawlen > 0)
			berw_raw(w, or->xraw, or->xrawlen);
		berw_close(w);
	}
	return berw_error(w);
}

int
oraddr_encode(struct berw *w, uint8_t cls, uint32_t tag,
    const struct orname *or)
{
	berw_open(w, cls, tag);
	or_put_address(w, or);
	berw_close(w);
	return berw_error(w);
}

int
orname_encode_tagged(struct berw *w, uint8_t cls, uint32_t tag,
    const struct orname *or)
{
	if (or->dnlen > OR_DN_MAX)
		return or_wfail(w, BER_ESIZE, OR_F_DN);
	berw_open(w, cls, tag);
	or_put_address(w, or);
	if (or->dnlen > 0) {
		berw_open(w, BER_CTX, 0);
		berw_raw(w, or->dn, or->dnlen);
		berw_close(w);
	}
	berw_close(w);
	return berw_error(w);
}

int
orname_encode(struct berw *w, const struct orname *or)
{
	return orname_encode_tagged(w, BER_APP, 0, or);
}

/*
 * BER reader
 */

/* Name the field of an error the reader recorded without one. */
static int
or_dfield(struct ber_dec *d, int e, const char *field)
{
	if (e != BER_OK && d->err_field == NULL)
		d->err_field = field;
	return e;
}

/* A string element of the given type and SIZE (lb..ub) into dst. */
static int
or_get_str(struct ber_dec *d, const struct ber_tlv *t, int type, size_t lb,
    size_t ub, char *dst, const char *field)
{
	struct buf	 s;
	int		 e;

	if (!t->cons && cur_len(&t->val) > ub)
		return ber_fail(d, BER_ESIZE, t->off, field);
	buf_init(&s);
	e = ber_get_string(d, t, type, &s);
	if (e == BER_OK && (s.len < lb || s.len > ub))
		e = ber_fail(d, BER_ESIZE, t->off, field);
	if (e == BER_OK) {
		if (s.len > 0)
			memcpy(dst, s.p, s.len);
		dst[s.len] = '\0';
	}
	buf_free(&s);
	return or_dfield(d, e, field);
}

/* An implicitly tagged attribute: its bounds come from or_fields. */
static int
or_get_attr(struct ber_dec *d, const struct ber_tlv *t, struct orname *or,
    enum or_attr a)
{
	const struct or_field *f = &or_fields[a];
	int	 e;

	if (or_has(or, a))
		return ber_fail(d, BER_EDUP, t->off, f->name);
	e = or_get_str(d, t, f->type, f->lb, f->ub, or_slot(or, a), f->name);
	if (e == BER_OK)
		or->present |= 1u << a;
	return e;
}

/* An explicit CHOICE { numeric NumericString, printable Printable }. */
static int
or_get_choice(struct ber_dec *d, const struct ber_tlv *t, struct orname *or,
    enum or_attr a)
{
	const struct or_field *f = &or_fields[a];
	struct ber_tlv	 in;
	struct cur	 c = t->val;
	size_t		 lb = f->lb, ub = f->ub;
	int		 num, e;

	if (or_has(or, a))
		return ber_fail(d, BER_EDUP, t->off, f->name);
	if (!t->cons)
		return ber_fail(d, BER_ECONS, t->off, f->name);
	if ((e = ber_read(d, &c, &in)) != BER_OK)
		return or_dfield(d, e, f->name);
	if (ber_is(&in, BER_UNIV, BER_NUMERIC_STRING))
		num = 1;
	else if (ber_is(&in, BER_UNIV, BER_PRINTABLE_STRING))
		num = 0;
	else
		return ber_fail(d, BER_EUNEXP, in.off, f->name);
	if (cur_len(&c) != 0)
		return ber_fail(d, BER_ETRAIL, cur_offset(&c), f->name);
	if (a == OR_C && num)
		lb = ub = OR_UB_COUNTRY_NUMERIC;
	e = or_get_str(d, &in, num ? BER_NUMERIC_STRING : BER_PRINTABLE_STRING,
	    lb, ub, or_slot(or, a), f->name);
	if (e != BER_OK)
		return e;
	or->present |= 1u << a;
	if (num)
		or->numeric |= 1u << a;
	return BER_OK;
}

/* PersonalName ::= SET { surname [0], given-name [1], initials [2], ... } */
static int
or_get_pn(struct ber_dec *d, const struct ber_tlv *t, struct orname *or)
{
	static const enum or_attr pn[] = { OR_S, OR_G, OR_I, OR_GQ };
	struct ber_tlv	 f;
	struct cur	 c = t->val;
	int		 e;

	if ((or->present & OR_PN_MASK) != 0)
		return ber_fail(d, BER_EDUP, t->off, OR_F_PN);
	if (!t->cons)
		return ber_fail(d, BER_ECONS, t->off, OR_F_PN);
	while (cur_len(&c) > 0) {
		if ((e = ber_read(d, &c, &f)) != BER_OK)
			return or_dfield(d, e, OR_F_PN);
		if (f.cls != BER_CTX || f.tag > 3)
			return ber_fail(d, BER_EUNEXP, f.off, OR_F_PN);
		if ((e = or_get_attr(d, &f, or, pn[f.tag])) != BER_OK)
			return e;
	}
	if (!or_has(or, OR_S))
		return ber_fail(d, BER_EMISSING, t->off, or_fields[OR_S].name);
	return BER_OK;
}

/* OrganizationalUnitNames ::= SEQUENCE SIZE (1..4) OF PrintableString */
static int
or_get_ous(struct ber_dec *d, const struct ber_tlv *t, struct orname *or)
{
	struct ber_tlv	 f;
	struct cur	 c = t->val;
	int		 e;

	if (or->nou > 0)
		return ber_fail(d, BER_EDUP, t->off, OR_F_OU);
	if (!t->cons)
		return ber_fail(d, BER_ECONS, t->off, OR_F_OU);
	while (cur_len(&c) > 0) {
		if (or->nou == OR_UB_OUS)
			return ber_fail(d, BER_ESIZE, cur_offset(&c), OR_F_OU);
		if ((e = ber_expect(d, &c, BER_UNIV, BER_PRINTABLE_STRING, -1,
		    &f)) != BER_OK)
			return or_dfield(d, e, OR_F_OU);
		if ((e = or_get_str(d, &f, BER_PRINTABLE_STRING, 1,
		    OR_UB_OU_NAME, or->ou[or->nou], OR_F_OU)) != BER_OK)
			return e;
		or->nou++;
	}
	if (or->nou == 0)
		return ber_fail(d, BER_ESIZE, t->off, OR_F_OU);
	return BER_OK;
}

/* BuiltInStandardAttributes: any order accepted, each at most once. */
static int
or_get_bisa(struct ber_dec *d, const struct ber_tlv *t, struct orname *or)
{
	struct ber_tlv	 f;
	struct cur	 c = t->val;
	int		 e;

	while (cur_len(&c) > 0) {
		if ((e = ber_read(d, &c, &f)) != BER_OK)
			return or_dfield(d, e, OR_F_BISA);
		if (ber_is(&f, BER_APP, 1))
			e = or_get_choice(d, &f, or, OR_C);
		else if (ber_is(&f, BER_APP, 2))
			e = or_get_choice(d, &f, or, OR_ADMD);
		else if (ber_is(&f, BER_CTX, 0))
			e = or_get_attr(d, &f, or, OR_X121);
		else if (ber_is(&f, BER_CTX, 1))
			e = or_get_attr(d, &f, or, OR_TID);
		else if (ber_is(&f, BER_CTX, 2))
			e = or_get_choice(d, &f, or, OR_PRMD);
		else if (ber_is(&f, BER_CTX, 3))
			e = or_get_attr(d, &f, or, OR_O);
		else if (ber_is(&f, BER_CTX, 4))
			e = or_get_attr(d, &f, or, OR_UAID);
		else if (ber_is(&f, BER_CTX, 5))
			e = or_get_pn(d, &f, or);
		else if (ber_is(&f, BER_CTX, 6))
			e = or_get_ous(d, &f, or);
		else
			e = ber_fail(d, BER_EUNEXP, f.off, OR_F_BISA);
		if (e != BER_OK)
			return e;
	}
	return BER_OK;
}

/* BuiltInDomainDefinedAttributes ::= SEQUENCE SIZE (1..4) OF SEQUENCE */
static int
or_get_ddas(struct ber_dec *d, const struct ber_tlv *t, struct orname *or)
{
	struct ber_tlv	 a, ty, va;
	struct cur	 c = t->val;
	struct or_dda	*dd;
	int		 e;

	while (cur_len(&c) > 0) {
		if (or->ndda == OR_UB_DDAS)
			return ber_fail(d, BER_ESIZE, cur_offset(&c), OR_F_DDA);
		dd = &or->dda[or->ndda];
		if ((e = ber_expect(d, &c, BER_UNIV, BER_SEQUENCE, 1, &a)) !=
		    BER_OK)
			return or_dfield(d, e, OR_F_DDA);
		if ((e = ber_expect(d, &a.val, BER_UNIV, BER_PRINTABLE_STRING,
		    -1, &ty)) != BER_OK)
			return or_dfield(d, e, OR_F_DDA_TYPE);
		if ((e = ber_expect(d, &a.val, BER_UNIV, BER_PRINTABLE_STRING,
		    -1, &va)) != BER_OK)
			return or_dfield(d, e, OR_F_DDA_VALUE);
		if (cur_len(&a.val) != 0)
			return ber_fail(d, BER_ETRAIL, cur_offset(&a.val),
			    OR_F_DDA);
		if ((e = or_get_str(d, &ty, BER_PRINTABLE_STRING, 1,
		    OR_UB_DDA_TYPE, dd->type, OR_F_DDA_TYPE)) != BER_OK ||
		    (e = or_get_str(d, &va, BER_PRINTABLE_STRING, 1,
		    OR_UB_DDA_VALUE, dd->value, OR_F_DDA_VALUE)) != BER_OK)
			return e;
		or->ndda++;
	}
	if (or->ndda == 0)
		return ber_fail(d, BER_ESIZE, t->off, OR_F_DDA);
	return BER_OK;
}

/* Normalise the element at c (definite lengths) into dst[cap]. */
static int
or_keep_raw(struct ber_dec *d, struct cur *c, uint8_t *dst, size_t *dstlen,
    size_t cap, const char *field)
{
	struct berw	 w;
	struct buf	 b;
	size_t		 off = cur_offset(c);
	int		 e;

	berw_init(&w);
	buf_init(&b);
	if ((e = ber_normalize(d, c, &w)) == BER_OK &&
	    (e = berw_write_buf(&w, &b)) != BER_OK)
		e = ber_fail(d, e, off, field);
	if (e == BER_OK && b.len > cap - *dstlen)
		e = ber_fail(d, BER_ESIZE, off, field);
	if (e == BER_OK) {
		memcpy(dst + *dstlen, b.p, b.len);
		*dstlen += b.len;
	}
	berw_free(&w);
	buf_free(&b);
	return or_dfield(d, e, field);
}

/*
 * ExtensionAttributes ::= SET SIZE (1..256) OF SEQUENCE {
 *	extension-attribute-type [0] INTEGER (0..256),
 *	extension-attribute-value [1] ANY (explicit) }
 * Type 1 (common-name) is decoded; the others are kept as BER.
 */
static int
or_get_exts(struct ber_dec *d, const struct ber_tlv *t, struct orname *or)
{
	struct ber_tlv	 a, ty, va, s;
	struct cur	 c = t->val, start;
	size_t		 n = 0;
	int64_t		 type;
	int		 e;

	while (cur_len(&c) > 0) {
		if (++n > OR_UB_EXT_TYPE)
			return ber_fail(d, BER_ESIZE, cur_offset(&c), OR_F_EXT);
		start = c;
		if ((e = ber_expect(d, &c, BER_UNIV, BER_SEQUENCE, 1, &a)) !=
		    BER_OK ||
		    (e = ber_expect(d, &a.val, BER_CTX, 0, 0, &ty)) != BER_OK ||
		    (e = ber_get_int(d, &ty, &type)) != BER_OK ||
		    (e = ber_expect(d, &a.val, BER_CTX, 1, 1, &va)) != BER_OK)
			return or_dfield(d, e, OR_F_EXT);
		if (cur_len(&a.val) != 0)
			return ber_fail(d, BER_ETRAIL, cur_offset(&a.val),
			    OR_F_EXT);
		if (type < 0 || type > OR_UB_EXT_TYPE)
			return ber_fail(d, BER_EVALUE, ty.off, OR_F_EXT);
		if (type != 1) {
			if ((e = or_keep_raw(d, &start, or->xraw, &or->xrawlen,
			    sizeof(or->xraw), OR_F_EXT)) != BER_OK)
				return e;
			continue;
		}
		if (or_has(or, OR_CN))
			return ber_fail(d, BER_EDUP, a.off,
			    or_fields[OR_CN].name);
		if ((e = ber_expect(d, &va.val, BER_UNIV, BER_PRINTABLE_STRING,
		    -1, &s)) != BER_OK)
			return or_dfield(d, e, or_fields[OR_CN].name);
		if (cur_len(&va.val) != 0)
			return ber_fail(d, BER_ETRAIL, cur_offset(&va.val),
			    or_fields[OR_CN].name);
		if ((e = or_get_attr(d, &s, or, OR_CN)) != BER_OK)
			return e;
	}
	if (n == 0)
		return ber_fail(d, BER_ESIZE, t->off, OR_F_EXT);
	return BER_OK;
}

/* The ORAddress components at c; c is left after them. */
static int
or_get_address(struct ber_dec *d, struct cur *c, struct orname *or)
{
	struct ber_tlv	 t;
	int		 e;

	if ((e = ber_expect(d, c, BER_UNIV, BER_SEQUENCE, 1, &t)) != BER_OK)
		return or_dfield(d, e, OR_F_BISA);
	if ((e = or_get_bisa(d, &t, or)) != BER_OK)
		return e;
	if (cur_len(c) == 0)
		return BER_OK;
	if ((e = ber_peek(d, c, &t)) != BER_OK)
		return or_dfield(d, e, OR_F_ORNAME);
	if (ber_is(&t, BER_UNIV, BER_SEQUENCE)) {
		if ((e = ber_expect(d, c, BER_UNIV, BER_SEQUENCE, 1, &t)) !=
		    BER_OK || (e = or_get_ddas(d, &t, or)) != BER_OK)
			return or_dfield(d, e, OR_F_DDA);
		if (cur_len(c) == 0)
			return BER_OK;
		if ((e = ber_peek(d, c, &t)) != BER_OK)
			return or_dfield(d, e, OR_F_ORNAME);
	}
	if (ber_is(&t, BER_UNIV, BER_SET)) {
		if ((e = ber_expect(d, c, BER_UNIV, BER_SET, 1, &t)) !=
		    BER_OK || (e = or_get_exts(d, &t, or)) != BER_OK)
			return or_dfield(d, e, OR_F_EXT);
	}
	return BER_OK;
}

int
oraddr_decode(struct ber_dec *d, const struct ber_tlv *t, struct orname *or)
{
	struct cur	 c = t->val;
	int		 e;

	orname_init(or);
	if (d->err != BER_OK)
		return d->err;
	if (!t->cons)
		return ber_fail(d, BER_ECONS, t->off, "ORAddress");
	if ((e = or_get_address(d, &c, or)) != BER_OK)
		return e;
	if (cur_len(&c) != 0)
		return ber_fail(d, BER_EUNEXP, cur_offset(&c), "ORAddress");
	return BER_OK;
}

int
orname_decode(struct ber_dec *d, const struct ber_tlv *t, struct orname *or)
{
	struct ber_tlv	 dn;
	struct cur	 c = t->val;
	int		 e;

	orname_init(or);
	if (d->err != BER_OK)
		return d->err;
	if (!t->cons)
		return ber_fail(d, BER_ECONS, t->off, OR_F_ORNAME);
	if ((e = or_get_address(d, &c, or)) != BER_OK)
		return e;
	if (cur_len(&c) > 0) {
		if ((e = ber_expect(d, &c, BER_CTX, 0, 1, &dn)) != BER_OK)
			return or_dfield(d, e, OR_F_ORNAME);
		/* Name is a CHOICE, so [0] is explicit: one element. */
		if ((e = or_keep_raw(d, &dn.val, or->dn, &or->dnlen,
		    sizeof(or->dn), OR_F_DN)) != BER_OK)
			return e;
		if (cur_len(&dn.val) != 0)
			return ber_fail(d, BER_ETRAIL, cur_offset(&dn.val),
			    OR_F_DN);
	}
	if (cur_len(&c) != 0)
		return ber_fail(d, BER_EUNEXP, cur_offset(&c), OR_F_ORNAME);
	return BER_OK;
}

/* The next element of c must be an ORName [APPLICATION 0]. */
int
orname_read(struct ber_dec *d, struct cur *c, struct orname *or)
{
	struct ber_tlv	 t;
	int		 e;

	orname_init(or);
	if ((e = ber_expect(d, c, BER_APP, 0, 1, &t)) != BER_OK)
		return or_dfield(d, e, OR_F_ORNAME);
	return orname_decode(d, &t, or);
}

/*
 * Teletex extension attributes kept in xraw (X.411 types 2-6)
 */

/* A TeletexString element t into v[cap]; -1 if it is none of ours. */
static int
or_ttx_val(struct ber_dec *d, const struct ber_tlv *t, struct buf *b,
    char *v, size_t cap)
{
	if (ber_get_string(d, t, BER_TELETEX_STRING, b) != BER_OK ||
	    b->len == 0 || b->len >= cap || memchr(b->p, '\0', b->len) != NULL)
		return -1;
	memcpy(v, b->p, b->len);
	v[b->len] = '\0';
	return 0;
}

/* The next element of c, a universal TeletexString, into v[cap]. */
static int
or_ttx_next(struct ber_dec *d, struct cur *c, struct buf *b, char *v,
    size_t cap)
{
	struct ber_tlv	 t;

	if (ber_expect(d, c, BER_UNIV, BER_TELETEX_STRING, -1, &t) != BER_OK)
		return -1;
	return or_ttx_val(d, &t, b, v, cap);
}

/* teletex-organizational-unit-names, teletex-domain-defined-attributes. */
static int
or_ttx_seq(struct ber_dec *d, struct cur *c, int dda, struct buf *b,
    struct or_ttx *tv)
{
	struct ber_tlv	 seq, one;
	int		 n;

	if (ber_expect(d, c, BER_UNIV, BER_SEQUENCE, 1, &seq) != BER_OK)
		return -1;
	for (n = 0; cur_len(&seq.val) > 0; n++) {
		if (n == OR_UB_OUS)		/* == OR_UB_DDAS */
			return -1;
		tv[n].attr = dda ? OR_TTX_DDA : OR_TTX_OU + n;
		if (!dda && or_ttx_next(d, &seq.val, b, tv[n].v,
		    sizeof(tv[n].v)) < 0)
			return -1;
		if (dda && (ber_expect(d, &seq.val, BER_UNIV, BER_SEQUENCE, 1,
		    &one) != BER_OK || or_ttx_next(d, &one.val, b, tv[n].type,
		    sizeof(tv[n].type)) < 0 || or_ttx_next(d, &one.val, b,
		    tv[n].v, sizeof(tv[n].v)) < 0 || cur_len(&one.val) != 0))
			return -1;
	}
	return n;
}

/* The values of a teletex extension attribute of this type at c. */
static int
or_ttx_attr(int64_t type, struct cur *c, struct or_ttx *tv)
{
	static const int pn[] = { OR_S, OR_G, OR_I, OR_GQ };
	struct ber_dec	 d;
	struct ber_tlv	 set, t;
	struct buf	 b;
	int		 n = -1;

	ber_dec_init(&d);
	buf_init(&b);
	if (type == OR_EXT_TELETEX_CN || type == OR_EXT_TELETEX_O) {
		tv[0].attr = type == OR_EXT_TELETEX_CN ? OR_CN : OR_O;
		n = or_ttx_next(&d, c, &b, tv[0].v, sizeof(tv[0].v)) < 0 ? -1 :
		    1;
	} else if (type == OR_EXT_TELETEX_PN) {
		if (ber_expect(&d, c, BER_UNIV, BER_SET, 1, &set) == BER_OK)
			for (n = 0; n >= 0 && cur_len(&set.val) > 0; n++)
				if (n == 4 || ber_read(&d, &set.val, &t) !=
				    BER_OK || t.cls != BER_CTX || t.tag > 3 ||
				    (tv[n].attr = pn[t.tag], or_ttx_val(&d, &t,
				    &b, tv[n].v, sizeof(tv[n].v))) < 0)
					n = -2;		/* -1 after n++ */
	} else
		n = or_ttx_seq(&d, c, type == OR_EXT_TELETEX_DDA, &b, tv);
	buf_free(&b);
	return n > 0 && cur_len(c) == 0 ? n : -1;
}

/*
 * Each element of xraw: the values of a teletex extension attribute
 * that decodes to ttx, any other element (another type, or a teletex
 * one with a value empty, holding a NUL or over OR_TTX_MAX) whole to
 * raw. -1 when xraw is not a row of ExtensionAttribute SEQUENCEs or a
 * callback returns < 0.
 */
int
orname_ext_each(const struct orname *or,
    int (*ttx)(void *, const struct or_ttx *),
    int (*raw)(void *, const uint8_t *, size_t), void *arg)
{
	struct or_ttx	 tv[OR_UB_OUS];
	struct ber_dec	 d;
	struct ber_tlv	 a, ty, va;
	struct cur	 c, start;
	int64_t		 type;
	int		 i, n;

	if (or->xrawlen > OR_XRAW_MAX)
		return -1;
	cur_init(&c, or->xraw, or->xrawlen);
	while (cur_len(&c) > 0) {
		start = c;
		ber_dec_init(&d);
		memset(tv, 0, sizeof(tv));
		if (ber_expect(&d, &c, BER_UNIV, BER_SEQUENCE, 1, &a) != BER_OK)
			return -1;	/* orname_decode() let nothing else in */
		n = -1;
		if (ber_expect(&d, &a.val, BER_CTX, 0, 0, &ty) == BER_OK &&
		    ber_get_int(&d, &ty, &type) == BER_OK &&
		    type >= OR_EXT_TELETEX_CN && type <= OR_EXT_TELETEX_DDA &&
		    ber_expect(&d, &a.val, BER_CTX, 1, 1, &va) == BER_OK &&
		    cur_len(&a.val) == 0)
			n = or_ttx_attr(type, &va.val, tv);
		for (i = 0; i < n; i++)
			if (ttx != NULL && ttx(arg, &tv[i]) < 0)
				return -1;
		if (n < 0 && raw != NULL && raw(arg, cur_data(&start),
		    cur_len(&start) - cur_len(&c)) < 0)
			return -1;
	}
	return 0;
}

/*
 * std-or text form (RFC 2156 4.2 key table, 4.2.2 std-or-address)
 */

#define OR_VALMAX	256	/* longer than any upper bound */

enum { K_ATTR, K_OU, K_OUN, K_DDA, K_PN };

struct or_key {
	const char	*key;
	int		 kind;
	int		 attr;		/* enum or_attr, or the OU number */
};

static const struct or_key or_keys[] = {
	{ "C", K_ATTR, OR_C },
	{ "ADMD", K_ATTR, OR_ADMD },
	{ "A", K_ATTR, OR_ADMD },
	{ "PRMD", K_ATTR, OR_PRMD },
	{ "P", K_ATTR, OR_PRMD },
	{ "O", K_ATTR, OR_O },
	{ "OU", K_OU, 0 },
	{ "OU1", K_OUN, 1 },
	{ "OU2", K_OUN, 2 },
	{ "OU3", K_OUN, 3 },
	{ "OU4", K_OUN, 4 },
	{ "S", K_ATTR, OR_S },
	{ "G", K_ATTR, OR_G },
	{ "I", K_ATTR, OR_I },
	{ "GQ", K_ATTR, OR_GQ },
	{ "Q", K_ATTR, OR_GQ },
	{ "CN", K_ATTR, OR_CN },
	{ "X121", K_ATTR, OR_X121 },
	{ "X.121", K_ATTR, OR_X121 },	/* 4.1.1 alternatives */
	{ "UA-ID", K_ATTR, OR_UAID },
	{ "N-ID", K_ATTR, OR_UAID },
	{ "PN", K_PN, 0 },
	{ "T-ID", K_ATTR, OR_TID },
	{ "RFC-822", K_DDA, 0 },	/* registered-dd-type */
};

/*
 * The keys of RFC 2156 4.1.1 (rfc2156.txt:2036-2058, 2147-2186) for the
 * postal and extended network attributes (X.411 extension attributes
 * 7-23): recognised, and refused as OR_EPOSTAL, since this model does
 * not hold them.
 */
static const char *const or_postal_keys[] = {
	"PD-SERVICE", "PD-SN", "PD-C", "PD-CODE", "PD-PC", "PD-OFFICE",
	"PD-OF", "PD-OFFICE-NUM", "PD-OFFICE NUMBER", "PD-OFN",
	"PD-EXT-ADDRESS", "PD-EA", "PD-PN", "PD-O", "PD-EXT-DELIVERY",
	"PD-ED", "PD-ADDRESS", "PD-A", "PD-A1", "PD-A2", "PD-A3", "PD-A4",
	"PD-A5", "PD-A6", "PD-STREET", "PD-S", "PD-BOX", "PD-B",
	"PD-RESTANTE", "PD-R", "PD-UNIQUE", "PD-U", "PD-LOCAL", "PD-L",
	"NET-NUM", "E.164", "NET-SUB", "NET-PSAP", "PSAP", "T-TY", "ISDN",
};

static int
or_postal_key(const char *k, size_t n)
{
	size_t	 i;

	for (i = 0; i < sizeof(or_postal_keys) / sizeof(or_postal_keys[0]);
	    i++)
		if (strlen(or_postal_keys[i]) == n &&
		    strncasecmp(or_postal_keys[i], k, n) == 0)
			return 1;
	return 0;
}

static int
or_sep(char ch)
{
	return ch == '/' || ch == ';';
}

static int
or_perr(struct or_err *err, int code, size_t pos, const char *key,
    size_t keylen, const char *attr)
{
	if (err != NULL) {
		err->code = code;
		err->pos = pos;
		if (keylen >= sizeof(err->key))
			keylen = sizeof(err->key) - 1;
		memcpy(err->key, key, keylen);
		err->key[keylen] = '\0';
		err->attr = attr;
	}
	return code;
}

/*
 * Unquote one field of s[*i..n) up to an unquoted stop character
 * ("=" for a key, a separator for a value) into out[cap]. Returns
 * OR_OK, OR_ESYNTAX for a "$" at the end, OR_ESIZE when out is full.
 */
static int
or_scan(const char *s, size_t n, size_t *i, int key, char *out, size_t cap,
    size_t *outlen)
{
	size_t	 len = 0;
	char	 ch;

	*outlen = 0;
	while (*i < n) {
		ch = s[*i];
		if (or_sep(ch) || (key && ch == '='))
			break;
		if (ch == '$') {
			if (++*i == n)
				return OR_ESYNTAX;
			ch = s[*i];
		}
		if (len == cap)
			return OR_ESIZE;
		out[len++] = ch;
		*outlen = len;
		++*i;
	}
	return OR_OK;
}

static const struct or_key *
or_lookup(const char *k, size_t n)
{
	size_t	 i;

	for (i = 0; i < sizeof(or_keys) / sizeof(or_keys[0]); i++)
		if (strlen(or_keys[i].key) == n &&
		    strncasecmp(or_keys[i].key, k, n) == 0)
			return &or_keys[i];
	return NULL;
}

/* The OUs as written: plain ones in order, or numbered ones (OU1=). */
struct or_ous {
	char		 v[OR_UB_OUS][OR_UB_OU_NAME + 1];
	size_t		 len[OR_UB_OUS];
	char		 t[OR_UB_OUS][OR_UB_OU_NAME + 1];	/* teletex */
	unsigned	 tset;		/* bit i: t[i] given */
	unsigned	 nplain;
	unsigned	 numbered;	/* bit n: OUn seen */
	size_t		 pos;		/* of the last one, for messages */
};

/*
 * The teletex values written (RFC 2156 3.3.4 teletex-and-or-ps, the part
 * after "*"): CN, O, S, G, I, GQ and domain-defined attributes; the OUs'
 * are in struct or_ous. orname_parse() writes them into xraw as X.411
 * teletex extension attributes.
 */
struct or_ttxin {
	unsigned	 has;		/* bit a: v[a] given */
	char		 v[OR_NATTR][OR_UB_COMMON_NAME + 1];
	size_t		 ndda;
	struct or_dda	 dda[OR_UB_DDAS];
};

/*
 * teletex-string (RFC 2156 3.3.4, rfc2156.txt:1668): ps-chars as they
 * are, "{" 3DIGIT... "}" one octet per three digits (0-255), into
 * out[0..ub] NUL-terminated.
 */
static int
or_t61_parse(const char *s, size_t n, char *out, size_t ub)
{
	size_t	 i, j, len = 0;
	unsigned v;

	for (i = 0; i < n; i++) {
		if (s[i] == '{') {
			for (j = i + 1; j + 3 <= n && isdigit((unsigned char)s[j])
			    && isdigit((unsigned char)s[j + 1]) &&
			    isdigit((unsigned char)s[j + 2]); j += 3) {
				v = (unsigned)(s[j] - '0') * 100 +
				    (unsigned)(s[j + 1] - '0') * 10 +
				    (unsigned)(s[j + 2] - '0');
				if (v == 0 || v > 255)
					return OR_ECHARS;
				if (len == ub)
					return OR_ESIZE;
				out[len++] = (char)v;
			}
			if (j == i + 1 || j >= n || s[j] != '}')
				return OR_ESYNTAX;
			i = j;
			continue;
		}
		if (!ber_chars_ok(BER_PRINTABLE_STRING, s + i, 1))
			return OR_ECHARS;
		if (len == ub)
			return OR_ESIZE;
		out[len++] = s[i];
	}
	out[len] = '\0';
	return len == 0 ? OR_ESYNTAX : OR_OK;
}

/* One OU value, plain (K_OU) or numbered (K_OUN, number k->attr), with
 * its teletex form t (NULL if none). */
static int
or_parse_ou(struct or_ous *o, const struct or_key *k, const char *val,
    size_t vlen, const char *t, size_t tlen, size_t pos)
{
	unsigned ix;
	int	 e;

	o->pos = pos;
	if (k->kind == K_OU) {
		if (o->numbered != 0)
			return OR_EOU;
		if (o->nplain == OR_UB_OUS)
			return OR_EMANY;
	} else {
		if (o->nplain != 0)
			return OR_EOU;
		if (o->numbered & (1u << k->attr))
			return OR_EDUP;
	}
	if (vlen > OR_UB_OU_NAME)
		return OR_ESIZE;
	if (!ber_chars_ok(BER_PRINTABLE_STRING, val, vlen))
		return OR_ECHARS;
	ix = k->kind == K_OU ? o->nplain : (unsigned)k->attr - 1;
	if (t != NULL && (e = or_t61_parse(t, tlen, o->t[ix],
	    OR_UB_OU_NAME)) != OR_OK)
		return e;
	if (t != NULL)
		o->tset |= 1u << ix;
	memcpy(o->v[ix], val, vlen);
	o->len[ix] = vlen;
	if (k->kind == K_OU)
		o->nplain++;
	else
		o->numbered |= 1u << k->attr;
	return OR_OK;
}

static int	or_parse_pn(struct orname *, const char *, size_t);

#define OR_TTX_ATTRS	((1u << OR_CN) | (1u << OR_O) | OR_PN_MASK)

/* A domain-defined attribute given as teletex (type printable). */
static int
or_parse_ttx_dda(struct or_ttxin *tx, const char *type, size_t tn,
    const char *t, size_t tlen)
{
	struct or_dda	*d;
	int		 e;

	if (tx->ndda == OR_UB_DDAS)
		return OR_EMANY;
	d = &tx->dda[tx->ndda];
	if (tn == 0 || tn > OR_UB_DDA_TYPE)
		return OR_ESIZE;
	if (!ber_chars_ok(BER_PRINTABLE_STRING, type, tn))
		return OR_ECHARS;
	memcpy(d->type, type, tn);
	d->type[tn] = '\0';
	if ((e = or_t61_parse(t, tlen, d->value, OR_UB_DDA_VALUE)) != OR_OK)
		return e;
	tx->ndda++;
	return OR_OK;
}

/*
 * Store the value of key k (written as key[0..klen)): a value of a P/T
 * attribute (RFC 2156 4.1.1: O, OU, S, G, I, GQ, CN, DD) may have a
 * teletex form after "*" (t, tlen; t NULL when none), then its
 * printable part may be empty.
 */
static int
or_parse_value(struct orname *or, struct or_ous *ous, struct or_ttxin *tx,
    const struct or_key *k, const char *key, size_t klen, const char *val,
    size_t vlen, size_t pos)
{
	const char	*t = memchr(val, '*', vlen);
	size_t		 tlen = 0;
	const char	*type = k->key != NULL ? "RFC-822" : key + k->attr;
	size_t		 tn = k->key != NULL ? 7 : klen - (size_t)k->attr;
	int		 e;

	if (t != NULL) {
		tlen = vlen - (size_t)(t - val) - 1;
		vlen = (size_t)(t++ - val);
		if (k->kind == K_PN)
			return OR_ETELETEX;
		if (k->kind == K_ATTR && !(OR_TTX_ATTRS & (1u << k->attr)))
			return OR_ECHARS;	/* P or N only */
	}
	switch (k->kind) {
	case K_ATTR:
		if (or_has(or, k->attr) || (tx->has & (1u << k->attr)))
			return OR_EDUP;
		if (t != NULL && (e = or_t61_parse(t, tlen, tx->v[k->attr],
		    or_fields[k->attr].ub)) != OR_OK)
			return e;
		if (t != NULL)
			tx->has |= 1u << k->attr;
		return t != NULL && vlen == 0 ? OR_OK :
		    orname_set(or, k->attr, val, vlen);
	case K_PN:
		return or_parse_pn(or, val, vlen);
	case K_DDA:
		if (t != NULL && (e = or_parse_ttx_dda(tx, type, tn, t,
		    tlen)) != OR_OK)
			return e;
		return t != NULL && vlen == 0 ? OR_OK :
		    or_add_dda_n(or, type, tn, val, vlen);
	default:
		return or_parse_ou(ous, k, val, vlen, t, tlen, pos);
	}
}

/*
 * The length of a domain-defined key's prefix: "DD." or "DDA." (4.1.3
 * dd-key "." type, DDA the 4.1.1 alternative), or "DD:" / "DDA:" (the
 * input-attribute form dd-key ":" type); 0 if none, or no type follows.
 */
static int
or_dd_prefix(const char *k, size_t n)
{
	static const char *const pfx[] = { "DD.", "DDA.", "DD:", "DDA:" };
	size_t	 i, l;

	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		l = strlen(pfx[i]);
		if (n > l && strncasecmp(k, pfx[i], l) == 0)
			return (int)l;
	}
	return 0;
}

/*
 * encoded-pn (RFC 2156 4.1.2, rfc2156.txt:2232): [ given "." ]
 * *( initial "." ) surname, given two or more characters without ".",
 * initial one letter; into a fresh O/R name.
 */
int
orname_pn_parse(const char *s, size_t n, struct orname *or)
{
	char		 ini[OR_UB_INITIALS + 1];
	size_t		 i = 0, j, ni = 0;
	int		 e;

	orname_init(or);
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return OR_ESYNTAX;
	for (j = 1; j < n; j++)
		if (s[j] == '.' && s[j - 1] == '.')
			return OR_ESYNTAX;
	if (!ber_chars_ok(BER_PRINTABLE_STRING, s, n))
		return OR_ECHARS;
	/* given: a first component of two or more characters */
	for (j = 0; j < n && s[j] != '.'; j++)
		;
	if (j < n && j >= 2) {
		if ((e = orname_set(or, OR_G, s, j)) != OR_OK)
			return e;
		i = j + 1;
	}
	/* initials: one-letter components before the last */
	while (i + 1 < n && s[i + 1] == '.' && isalpha((unsigned char)s[i])) {
		if (ni == OR_UB_INITIALS)
			return OR_ESIZE;
		ini[ni++] = s[i];
		i += 2;
	}
	if (ni > 0 && (e = orname_set(or, OR_I, ini, ni)) != OR_OK)
		return e;
	return orname_set(or, OR_S, s + i, n - i);
}

/* PN=encoded-pn: its S, G, I, each not given already. */
static int
or_parse_pn(struct orname *or, const char *v, size_t n)
{
	static const enum or_attr pn[] = { OR_S, OR_G, OR_I };
	struct orname	 t;
	const char	*x;
	size_t		 i;
	int		 e;

	if ((e = orname_pn_parse(v, n, &t)) != OR_OK)
		return e;
	for (i = 0; i < sizeof(pn) / sizeof(pn[0]); i++) {
		if ((x = orname_get(&t, pn[i])) == NULL)
			continue;
		if (or_has(or, pn[i]))
			return OR_EDUP;
		if ((e = orname_set(or, pn[i], x, strlen(x))) != OR_OK)
			return e;
	}
	return OR_OK;
}

/*
 * Written OUs are least significant first: the last is OU1. An OU
 * given only in teletex has no printable one; the printable OUs and the
 * teletex ones (into tou[], *ntou) must each fill the first positions.
 */
static int
or_parse_ous(struct orname *or, const struct or_ous *o,
    char tou[][OR_UB_OU_NAME + 1], unsigned *ntou, struct or_err *err)
{
	unsigned	 j, ix, n, np = 0;

	for (n = 0; n < OR_UB_OUS && (o->numbered & (2u << n)); n++)
		;
	if (o->numbered >> (n + 1) != 0)
		return or_perr(err, OR_EOU, o->pos, "OU", 2, OR_F_OU);
	n = o->nplain > 0 ? o->nplain : n;
	for (*ntou = j = 0; j < n; j++) {
		ix = o->nplain > 0 ? o->nplain - 1 - j : j;
		if ((o->tset & (1u << ix)) && *ntou != j)
			break;
		if (o->tset & (1u << ix))
			memcpy(tou[(*ntou)++], o->t[ix], OR_UB_OU_NAME + 1);
		if (o->len[ix] == 0 && (o->tset & (1u << ix)))
			continue;
		if (np++ != j)
			break;
		orname_set_ou(or, j + 1, o->v[ix], o->len[ix]);
	}
	if (j < n)
		return or_perr(err, OR_ETELETEX, o->pos, "OU", 2, OR_F_OU);
	return OR_OK;
}

/* A TeletexString value into w (its SIZE checked where it was read). */
static void
or_put_t61(struct berw *w, uint8_t cls, uint32_t tag, const char *v)
{
	berw_string(w, cls, tag, BER_TELETEX_STRING, v, strlen(v));
}

/* ExtensionAttribute type, its value opened (closed by the caller). */
static void
or_put_ext(struct berw *w, int type)
{
	berw_open(w, BER_UNIV, BER_SEQUENCE);
	berw_int(w, BER_CTX, 0, type);
	berw_open(w, BER_CTX, 1);
}

static void
or_put_ext_end(struct berw *w)
{
	berw_close(w);
	berw_close(w);
}

/*
 * The teletex values read from the text as X.411 teletex extension
 * attributes in xraw: teletex-common-name, -organization-name,
 * -personal-name (with its surname), -organizational-unit-names,
 * -domain-defined-attributes (written order reversed, as the printable
 * ones).
 */
static int
or_ttx_build(struct orname *or, const struct or_ttxin *tx,
    char tou[][OR_UB_OU_NAME + 1], unsigned ntou)
{
	static const enum or_attr pn[] = { OR_S, OR_G, OR_I, OR_GQ };
	struct berw	 w;
	struct buf	 b;
	size_t		 i;
	int		 e;

	if ((tx->has & OR_PN_MASK) != 0 && !(tx->has & (1u << OR_S)))
		return OR_ETELETEX;
	berw_init(&w);
	for (i = 0; i < 2; i++)
		if (tx->has & (1u << (i == 0 ? OR_CN : OR_O))) {
			or_put_ext(&w, i == 0 ? OR_EXT_TELETEX_CN :
			    OR_EXT_TELETEX_O);
			or_put_t61(&w, BER_UNIV, BER_TELETEX_STRING,
			    tx->v[i == 0 ? OR_CN : OR_O]);
			or_put_ext_end(&w);
		}
	if (tx->has & OR_PN_MASK) {
		or_put_ext(&w, OR_EXT_TELETEX_PN);
		berw_open(&w, BER_UNIV, BER_SET);
		for (i = 0; i < 4; i++)
			if (tx->has & (1u << pn[i]))
				or_put_t61(&w, BER_CTX, (uint32_t)i,
				    tx->v[pn[i]]);
		berw_close(&w);
		or_put_ext_end(&w);
	}
	if (ntou > 0) {
		or_put_ext(&w, OR_EXT_TELETEX_OU);
		berw_open(&w, BER_UNIV, BER_SEQUENCE);
		for (i = 0; i < ntou; i++)
			or_put_t61(&w, BER_UNIV, BER_TELETEX_STRING, tou[i]);
		berw_close(&w);
		or_put_ext_end(&w);
	}
	if (tx->ndda > 0) {
		or_put_ext(&w, OR_EXT_TELETEX_DDA);
		berw_open(&w, BER_UNIV, BER_SEQUENCE);
		for (i = tx->ndda; i > 0; i--) {
			berw_open(&w, BER_UNIV, BER_SEQUENCE);
			or_put_t61(&w, BER_UNIV, BER_TELETEX_STRING,
			    tx->dda[i - 1].type);
			or_put_t61(&w, BER_UNIV, BER_TELETEX_STRING,
			    tx->dda[i - 1].value);
			berw_close(&w);
		}
		berw_close(&w);
		or_put_ext_end(&w);
	}
	buf_init(&b);
	e = berw_write_buf(&w, &b) != BER_OK || buf_error(&b) ? OR_ENOMEM :
	    b.len > OR_XRAW_MAX ? OR_ESIZE : OR_OK;
	if (e == OR_OK) {
		memcpy(or->xraw, b.p, b.len);
		or->xrawlen = b.len;
	}
	buf_free(&b);
	berw_free(&w);
	return e;
}

/*
 * Written DDAs are least significant first too: the last is the first
 * of the SEQUENCE (RFC 1026 section 2, kept as RFC 2156 4.3.3 Component
 * Ordering).
 */
static void
or_parse_ddas(struct orname *or)
{
	struct or_dda	 tmp;
	size_t		 j;

	for (j = 0; j < or->ndda / 2; j++) {
		tmp = or->dda[j];
		or->dda[j] = or->dda[or->ndda - 1 - j];
		or->dda[or->ndda - 1 - j] = tmp;
	}
}

int
orname_parse(const char *s, ssize_t slen, struct orname *or,
    struct or_err *err)
{
	const struct or_key *k;
	struct or_key	 dd;
	struct or_ous	 ous;
	struct or_ttxin	 tx;
	char		 tou[OR_UB_OUS][OR_UB_OU_NAME + 1];
	unsigned	 ntou;
	char		 key[OR_VALMAX], val[OR_VALMAX];
	size_t		 n, i = 0, pos, klen, vlen, ks, ke;
	const char	*attr;
	int		 e;

	orname_init(or);
	memset(&ous, 0, sizeof(ous));
	memset(&tx, 0, sizeof(tx));
	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (s == NULL)
		return or_perr(err, OR_EARG, 0, "", 0, NULL);
	n = slen < 0 ? strlen(s) : (size_t)slen;
	while (i < n) {
		if (or_sep(s[i])) {
			i++;
			continue;
		}
		pos = i;
		/* Blanks around a key are not part of it ("C=GB; A=x"). */
		while (i < n && s[i] == ' ')
			i++;
		ks = i;
		e = or_scan(s, n, &i, 1, key, sizeof(key), &klen);
		ke = i;
		while (klen > 0 && key[klen - 1] == ' ')
			klen--;
		if (e == OR_OK && (i == n || s[i] != '=')) {
			if (klen == 0)		/* only blanks */
				continue;
			e = OR_ESYNTAX;
		}
		if (e != OR_OK)
			return or_perr(err, e == OR_ESIZE ? OR_EKEY : e, pos,
			    s + ks, ke - ks, NULL);
		i++;				/* "=" */
		if ((k = or_lookup(key, klen)) == NULL &&
		    (dd.attr = or_dd_prefix(key, klen)) > 0) {
			dd.key = NULL;
			dd.kind = K_DDA;	/* the type follows the prefix */
			k = &dd;
		}
		if (k == NULL)
			return or_perr(err, or_postal_key(key, klen) ?
			    OR_EPOSTAL : OR_EKEY, pos, s + ks, ke - ks,
			    or_postal_key(key, klen) ? OR_F_EXT : NULL);
		attr = k->kind == K_ATTR ? or_fields[k->attr].name :
		    k->kind == K_DDA ? OR_F_DDA : OR_F_OU;
		if ((e = or_scan(s, n, &i, 0, val, sizeof(val), &vlen)) !=
		    OR_OK ||
		    (e = or_parse_value(or, &ous, &tx, k, key, klen, val, vlen,
		    pos)) != OR_OK)
			return or_perr(err, e, pos, s + ks, ke - ks, attr);
	}
	if ((e = or_parse_ous(or, &ous, tou, &ntou, err)) != OR_OK)
		return e;
	or_parse_ddas(or);
	if ((tx.has != 0 || ntou > 0 || tx.ndda > 0) &&
	    (e = or_ttx_build(or, &tx, tou, ntou)) != OR_OK)
		return or_perr(err, e, 0, "teletex", 7, OR_F_EXT);
	/*
	 * RFC 2156 4.1.3 (rfc2156.txt:2359): "a country value is present,
	 * but no ADMD, ... as if an ADMD value of single space had been
	 * specified".
	 */
	if (or_has(or, OR_C) && !or_has(or, OR_ADMD))
		orname_set(or, OR_ADMD, " ", 1);
	return OR_OK;
}

/* A value with "/;=$*{}" quoted by "$". */
static void
or_print_quoted(struct buf *b, const char *v)
{
	for (; *v != '\0'; v++) {
		if (strchr("/;=$*{}", *v) != NULL)
			buf_add_u8(b, '$');
		buf_add_u8(b, (uint8_t)*v);
	}
}

/*
 * KEY[keyval]=value/ with the teletex form t (NULL if none) after "*"
 * as teletex-string (RFC 2156 3.3.4: ps-chars as they are, other octets
 * "{ddd...}"). With fold, a teletex value of ps-chars only that has no
 * printable counterpart, or the same one, is written as the printable
 * value alone (4.1.1, rfc2156.txt:2114); the caller leaves fold out
 * where the text would then not read back (a teletex surname beside
 * other teletex name parts, an OU that would leave a gap, DDAs).
 */
static int
or_print_kv(struct buf *b, const char *key, const char *keyval,
    const char *v, const char *t, int fold)
{
	char	 d[4];
	int	 open = 0;

	if (fold && t != NULL &&
	    ber_chars_ok(BER_PRINTABLE_STRING, t, strlen(t)) &&
	    (v == NULL || strcmp(v, t) == 0)) {
		v = t;
		t = NULL;
	}
	buf_add_str(b, key);
	if (keyval != NULL)
		or_print_quoted(b, keyval);
	buf_add_u8(b, '=');
	if (v != NULL)
		or_print_quoted(b, v);
	if (t != NULL)
		buf_add_u8(b, '*');
	for (; t != NULL && *t != '\0'; t++) {
		if (ber_chars_ok(BER_PRINTABLE_STRING, t, 1)) {
			if (open)
				buf_add_u8(b, '}');
			open = 0;
			or_print_quoted(b, (char[]){ *t, '\0' });
		} else {
			if (!open)
				buf_add_u8(b, '{');
			open = 1;
			snprintf(d, sizeof(d), "%03u", (unsigned)(uint8_t)*t);
			buf_add_str(b, d);
		}
	}
	if (open)
		buf_add_u8(b, '}');
	return buf_add_u8(b, '/');
}

/* The teletex values of an O/R name, for orname_print(). */
struct or_ttxs {
	size_t		 n;
	unsigned	 used;		/* bit i: v[i] printed */
	struct or_ttx	 v[2 + 4 + OR_UB_OUS + OR_UB_DDAS];
};

static int
or_ttxs_add(void *arg, const struct or_ttx *t)
{
	struct or_ttxs	*x = arg;

	if (x->n < sizeof(x->v) / sizeof(x->v[0]))
		x->v[x->n++] = *t;
	return 0;
}

/* The first teletex value not printed of attr (a DDA: of this type). */
static const char *
or_ttxs_take(struct or_ttxs *x, int attr, const char *type)
{
	size_t	 i;

	for (i = 0; i < x->n; i++)
		if (!(x->used & (1u << i)) && x->v[i].attr == attr &&
		    (type == NULL || strcasecmp(x->v[i].type, type) == 0)) {
			x->used |= 1u << i;
			return x->v[i].v;
		}
	return NULL;
}

/*
 * The domain-defined attributes: the teletex ones, then the printable
 * ones, each from the last to the first (orname_parse() reverses each
 * list), a teletex value never folded into a printable one (the two
 * lists are apart in X.411).
 */
static void
or_print_ddas(const struct orname *or, const struct or_ttxs *x,
    struct buf *b)
{
	size_t	 i;

	for (i = x->n; i > 0; i--)
		if (x->v[i - 1].attr == OR_TTX_DDA)
			or_print_kv(b, "DD.", x->v[i - 1].type, NULL,
			    x->v[i - 1].v, 0);
	for (i = or->ndda; i > 0; i--)
		or_print_kv(b, "DD.", or->dda[i - 1].type, or->dda[i - 1].value,
		    NULL, 0);
}

/* Whether x holds a teletex value of an OU after position k. */
static int
or_ttxs_ou_after(const struct or_ttxs *x, int k)
{
	size_t	 i;

	for (i = 0; i < x->n; i++)
		if (x->v[i].attr > OR_TTX_OU + k && x->v[i].attr < OR_TTX_DDA)
			return 1;
	return 0;
}

/* Whether a teletex value of attr a is written as teletex (no fold). */
static int
or_ttxs_stays(const struct orname *or, const struct or_ttxs *x,
    enum or_attr a)
{
	const char	*v = or_has(or, a) ? or_cslot(or, a) : NULL;
	size_t		 i;

	for (i = 0; i < x->n; i++)
		if (x->v[i].attr == (int)a)
			return !ber_chars_ok(BER_PRINTABLE_STRING, x->v[i].v,
			    strlen(x->v[i].v)) || (v != NULL &&
			    strcmp(v, x->v[i].v) != 0);
	return 0;
}

/*
 * Canonical std-or, least significant attribute on the left (RFC 2156
 * 4.3.3; RFC 1026 section 2: "the most significant component must be
 * on the RHS", which binds the repeated attributes, OUs and DDAs, whose
 * first in the SEQUENCE is the most significant): domain-defined
 * attributes from the last to the first, terminal and network
 * addresses, user id, common name, personal name, OUs from the last to
 * the first, O, PRMD, ADMD, C. The order of the single-valued
 * attributes is free ("Other attributes may be presented in any
 * order"); this one puts them by the X.400 hierarchy. Each value with
 * its teletex form, if any (teletex-and-or-ps, 4.1.1); other extension
 * attributes have no text form here.
 */
int
orname_print(const struct orname *or, struct buf *b)
{
	static const enum or_attr low[] = { OR_TID, OR_X121, OR_UAID, OR_CN,
	    OR_G, OR_I, OR_S, OR_GQ };
	static const enum or_attr high[] = { OR_O, OR_PRMD, OR_ADMD, OR_C };
	struct or_ttxs	 x;
	const char	*t;
	unsigned	 i, nou;
	int		 fold;

	if (or->nou > OR_UB_OUS || or->ndda > OR_UB_DDAS)
		return OR_EARG;
	memset(&x, 0, sizeof(x));
	(void)orname_ext_each(or, or_ttxs_add, NULL, &x);
	buf_add_u8(b, '/');
	or_print_ddas(or, &x, b);
	/* a teletex surname stays one while another name part is teletex */
	fold = !or_ttxs_stays(or, &x, OR_G) && !or_ttxs_stays(or, &x, OR_I) &&
	    !or_ttxs_stays(or, &x, OR_GQ);
	for (i = 0; i < sizeof(low) / sizeof(low[0]); i++)
		if ((t = or_ttxs_take(&x, low[i], NULL)) != NULL ||
		    or_has(or, low[i]))
			or_print_kv(b, or_fields[low[i]].key, NULL,
			    or_has(or, low[i]) ? or_cslot(or, low[i]) : NULL,
			    t, low[i] != OR_S || fold);
	for (nou = or->nou, i = 0; i < x.n; i++)
		if (x.v[i].attr >= OR_TTX_OU && x.v[i].attr < OR_TTX_DDA &&
		    (unsigned)(x.v[i].attr - OR_TTX_OU) >= nou)
			nou = (unsigned)(x.v[i].attr - OR_TTX_OU) + 1;
	/* an OU folds where it then follows the printable ones directly */
	for (i = nou; i > 0; i--)
		or_print_kv(b, "OU", NULL, i <= or->nou ? or->ou[i - 1] : NULL,
		    or_ttxs_take(&x, OR_TTX_OU + (int)i - 1, NULL),
		    i <= or->nou || (i == or->nou + 1 &&
		    !or_ttxs_ou_after(&x, (int)i - 1)));
	for (i = 0; i < sizeof(high) / sizeof(high[0]); i++)
		if ((t = or_ttxs_take(&x, high[i], NULL)) != NULL ||
		    or_has(or, high[i]))
			or_print_kv(b, or_fields[high[i]].key, NULL,
			    or_has(or, high[i]) ? or_cslot(or, high[i]) : NULL,
			    t, 1);
	return buf_error(b) ? OR_ENOMEM : OR_OK;
}

/*
 * PrintableString escaping (RFC 2156 3.4)
 */

static const char or_ps_codes[] = "@a%p!b\"q_u(l)r";

static int
or_ps_plain(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || (ch != '\0' &&
	    strchr(" '+,-./:=?", ch) != NULL);
}

int
orname_ps_encode(const void *in, size_t n, enum or_ps_style style,
    struct buf *out)
{
	const uint8_t	*p = in;
	const char	*c;
	size_t		 i;

	if (style != OR_PS_DECIMAL && style != OR_PS_OCTAL)
		return OR_EARG;
	for (i = 0; i < n; i++) {
		if (or_ps_plain(p[i]))
			buf_add_u8(out, p[i]);
		else if (p[i] != '\0' &&
		    (c = strchr(or_ps_codes, p[i])) != NULL &&
		    (c - or_ps_codes) % 2 == 0)
			buf_addf(out, "(%c)", c[1]);
		else if (p[i] > 127)
			return OR_ECHARS;	/* 822.CHAR is 0-127 */
		else
			buf_addf(out, style == OR_PS_OCTAL ? "(%03o)" :
			    "(%03u)", (unsigned)p[i]);
	}
	return buf_error(out) ? OR_ENOMEM : OR_OK;
}

/*
 * "(ddd)" is 0-127 only (RFC 2156 3.4, rfc2156.txt:1831): a code of
 * three digits of the style's base above 127 is an error at its offset
 * (*erroff, when not NULL); a "(" that starts no code is copied.
 */
int
orname_ps_decode_at(const char *s, size_t n, enum or_ps_style style,
    struct buf *out, size_t *erroff)
{
	const char	*c;
	unsigned	 v, base, k;
	size_t		 i;
	char		 lc;

	if (style != OR_PS_DECIMAL && style != OR_PS_OCTAL)
		return OR_EARG;
	base = style == OR_PS_OCTAL ? 8 : 10;
	for (i = 0; i < n; i++) {
		if (s[i] != '(') {
			buf_add_u8(out, (uint8_t)s[i]);
			continue;
		}
		/* "(x)": a letter code, either case */
		if (i + 2 < n && s[i + 2] == ')' && s[i + 1] != '\0') {
			lc = (char)tolower((unsigned char)s[i + 1]);
			if ((c = strchr(or_ps_codes, lc)) != NULL &&
			    (c - or_ps_codes) % 2 == 1) {
				buf_add_u8(out, (uint8_t)c[-1]);
				i += 2;
				continue;
			}
		}
		/* "(ddd)": three digits of the style's base */
		if (i + 4 < n && s[i + 4] == ')') {
			for (v = 0, k = 1; k <= 3; k++) {
				if (s[i + k] < '0' || s[i + k] >= (char)('0' +
				    base))
					break;
				v = v * base + (unsigned)(s[i + k] - '0');
			}
			if (k == 4 && v > 127) {
				if (erroff != NULL)
					*erroff = i;
				return OR_ECHARS;
			}
			if (k == 4) {
				buf_add_u8(out, (uint8_t)v);
				i += 4;
				continue;
			}
		}
		buf_add_u8(out, '(');	/* no code: copied as it is */
	}
	return buf_error(out) ? OR_ENOMEM : OR_OK;
}

int
orname_ps_decode(const char *s, size_t n, enum or_ps_style style,
    struct buf *out)
{
	return orname_ps_decode_at(s, n, style, out, NULL);
}
