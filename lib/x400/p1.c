/*
 * NAME
 *	p1 - X.411 MTS-APDU (P1): model and BER codec
 * SYNOPSIS
 *	#include "x400/p1.h"
 * DESCRIPTION
 *	Decoder and encoder of the MTS-APDU of X.411 (06/1999), module
 *	MTAAbstractService, with the types it imports from
 *	MTSAbstractService; IMPLICIT TAGS, so a tag replaces the inner one
 *	except around a CHOICE or an open type (CountryName,
 *	AdministrationDomainName, ReportType, ExtensionField value,
 *	AdditionalInformation), where it wraps it. See p1.h for the model.
 *
 *	Each SET is read with one loop over its elements: the (class, tag)
 *	pair selects the member, a bit mask finds duplicates, and the
 *	mandatory members are checked after the loop. The encoder writes
 *	the members in the order of the ASN.1 and leaves out members equal
 *	to their DEFAULT.
 * DIAGNOSTICS
 *	BER_OK or a BER_E* code, recorded with offset and field in the
 *	struct ber_dec (decoding) or struct berw (encoding).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x400/p1.h"
#include "x400/xdec.h"

/*
 * Standard extension types a relaying gateway may pass on when they
 * are critical for transfer: their semantics do not need the relay to
 * act (X.411 9.x / 12.2.1.1). Everything else marked critical for
 * transfer is flagged.
 */
const int64_t p1_known_ext[] = {
	1,	/* recipient-reassignment-prohibited */
	2,	/* originator-requested-alternate-recipient */
	3,	/* dl-expansion-prohibited */
	4,	/* conversion-with-loss-prohibited */
	5,	/* latest-delivery-time */
	6,	/* requested-delivery-method */
	13,	/* originator-return-address */
	23,	/* content-correlator */
	38,	/* internal-trace-information */
};
const size_t p1_nknown_ext = sizeof(p1_known_ext) / sizeof(p1_known_ext[0]);

struct dctx {
	struct ber_dec	*d;
	struct p1_pdu	*pdu;
	const struct p1_opts *o;	/* the caller's, or defaults */
	struct p1_opts	 defaults;
	struct buf	 s;		/* scratch for strings */
	struct xdec	 xd;
};

void
p1_opts_init(struct p1_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_recipients = P1_MAX_RECIPIENTS_DEFAULT;
	o->known_ext = p1_known_ext;
	o->nknown_ext = p1_nknown_ext;
}

void
p1_init(struct p1_pdu *pdu)
{
	memset(pdu, 0, sizeof(*pdu));
	pdu->kind = P1_NONE;
	buf_init(&pdu->owned);
	orname_init(&pdu->msg.env.originator);
	orname_init(&pdu->rpt.dest);
	pdu->msg.content.fd = -1;
	pdu->rpt.returned.fd = -1;
}

void
p1_free(struct p1_pdu *pdu)
{
	arena_free(&pdu->arena);
	buf_free(&pdu->owned);
	p1_init(pdu);
}

void *
p1_alloc(struct p1_pdu *pdu, size_t n)
{
	return arena_alloc(&pdu->arena, n);
}

const char *
p1_kind_name(enum p1_kind k)
{
	switch (k) {
	case P1_MESSAGE:
		return "message";
	case P1_REPORT:
		return "report";
	case P1_PROBE:
		return "probe";
	default:
		return "none";
	}
}

/*
 * Decoder helpers (the shared ones are in xdec.h)
 */

/* NumericString or PrintableString (an untagged CHOICE). */
static int
get_np(struct dctx *x, const struct ber_tlv *t, size_t lo, size_t hi,
    char *out, int *numeric, const char *field)
{
	if (ber_is(t, BER_UNIV, BER_NUMERIC_STRING))
		*numeric = 1;
	else if (ber_is(t, BER_UNIV, BER_PRINTABLE_STRING))
		*numeric = 0;
	else
		return ber_fail(x->d, BER_EUNEXP, t->off, field);
	return xdec_str(&x->xd, t, t->tag, lo, hi, out, NULL, field);
}

/*
 * GlobalDomainIdentifier ::= [APPLICATION 3] SEQUENCE { country-name
 * [APPLICATION 1] CHOICE, administration-domain-name [APPLICATION 2]
 * CHOICE, private-domain-identifier CHOICE OPTIONAL }
 */
static int
dec_gdi(struct dctx *x, const struct ber_tlv *t, struct p1_gdi *g)
{
	struct ber_tlv	 e1, in;
	struct cur	 c = t->val;
	int		 e, num;

	memset(g, 0, sizeof(*g));
	if ((e = ber_want_cons(x->d, t, 1, "global-domain-identifier")) != BER_OK)
		return e;
	if ((e = ber_expect(x->d, &c, BER_APP, 1, 1, &e1)) != BER_OK)
		return ber_field(x->d, e, "country-name");
	if ((e = xdec_inner(&x->xd, &e1, &in, "country-name")) != BER_OK ||
	    (e = get_np(x, &in, 2, 3, g->c, &num, "country-name")) != BER_OK)
		return e;
	if (strlen(g->c) != (num ? 3u : 2u))
		return ber_fail(x->d, BER_ESIZE, in.off, "country-name");
	if (num)
		g->numeric |= P1_NUM_C;
	if ((e = ber_expect(x->d, &c, BER_APP, 2, 1, &e1)) != BER_OK)
		return ber_field(x->d, e, "administration-domain-name");
	if ((e = xdec_inner(&x->xd, &e1, &in,
	    "administration-domain-name")) != BER_OK ||
	    (e = get_np(x, &in, 0, OR_UB_DOMAIN_NAME, g->admd, &num,
	    "administration-domain-name")) != BER_OK)
		return e;
	if (num)
		g->numeric |= P1_NUM_ADMD;
	if (cur_len(&c) > 0) {
		if ((e = ber_read(x->d, &c, &in)) != BER_OK)
			return ber_field(x->d, e, "private-domain-identifier");
		if ((e = get_np(x, &in, 1, OR_UB_DOMAIN_NAME, g->prmd, &num,
		    "private-domain-identifier")) != BER_OK)
			return e;
		g->has_prmd = 1;
		if (num)
			g->numeric |= P1_NUM_PRMD;
	}
	if (cur_len(&c) != 0)
		return ber_fail(x->d, BER_ETRAIL, cur_offset(&c),
		    "global-domain-identifier");
	return BER_OK;
}

/* MTSIdentifier ::= [APPLICATION 4] SEQUENCE { GDI, LocalIdentifier } */
static int
dec_mtsid(struct dctx *x, const struct ber_tlv *t, struct p1_mtsid *id,
    const char *field)
{
	struct ber_tlv	 g, l;
	struct cur	 c = t->val;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, field)) != BER_OK)
		return e;
	if ((e = ber_expect(x->d, &c, BER_APP, 3, 1, &g)) != BER_OK)
		return ber_field(x->d, e, "global-domain-identifier");
	if ((e = dec_gdi(x, &g, &id->gdi)) != BER_OK)
		return e;
	if ((e = ber_expect(x->d, &c, BER_UNIV, BER_IA5_STRING, -1, &l)) !=
	    BER_OK)
		return ber_field(x->d, e, "local-identifier");
	if ((e = xdec_str(&x->xd, &l, BER_IA5_STRING, 1, P1_UB_LOCAL_ID,
	    id->local, NULL,
	    "local-identifier")) != BER_OK)
		return e;
	if (cur_len(&c) != 0)
		return ber_fail(x->d, BER_ETRAIL, cur_offset(&c), field);
	return BER_OK;
}

/*
 * EncodedInformationTypes ::= [APPLICATION 5] SET {
 *   built-in-encoded-information-types [0] BIT STRING,
 *   COMPONENTS OF NonBasicParameters ([1] g3-facsimile, [2] teletex),
 *   extended-encoded-information-types [4] SET OF OID OPTIONAL }
 */
static int
dec_eits(struct dctx *x, const struct ber_tlv *t, struct p1_eits *ei,
    const char *field)
{
	struct ber_tlv	 m, o;
	struct berw	 nb;
	struct cur	 c = t->val, oc, one;
	uint32_t	 seen = 0;
	int		 e = BER_OK;

	memset(ei, 0, sizeof(*ei));
	if ((e = ber_want_cons(x->d, t, 1, field)) != BER_OK)
		return e;
	berw_init(&nb);
	while (e == BER_OK && cur_len(&c) > 0) {
		one = c;
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m), field)) != BER_OK)
			break;
		if (ber_is(&m, BER_CTX, 0)) {
			if ((e = ber_once(x->d, &seen, 0, &m,
			    "built-in-encoded-information-types")) == BER_OK)
				e = xdec_bits(&x->xd, &m, P1_UB_BUILTIN_EITS,
				    &ei->builtin,
				    "built-in-encoded-information-types");
		} else if (ber_is(&m, BER_CTX, 1) || ber_is(&m, BER_CTX, 2)) {
			if ((e = ber_once(x->d, &seen, m.tag, &m,
			    m.tag == 1 ? "g3-facsimile" : "teletex")) ==
			    BER_OK)
				e = ber_field(x->d, ber_normalize(x->d, &one,
				    &nb), "non-basic-parameters");
		} else if (ber_is(&m, BER_CTX, 4)) {
			if ((e = ber_once(x->d, &seen, 4, &m,
			    "extended-encoded-information-types")) != BER_OK ||
			    (e = ber_want_cons(x->d, &m, 1,
			    "extended-encoded-information-types")) != BER_OK)
				break;
			oc = m.val;
			while (e == BER_OK && cur_len(&oc) > 0) {
				if ((e = ber_expect(x->d, &oc, BER_UNIV,
				    BER_OID, 0, &o)) != BER_OK) {
					ber_field(x->d, e,
					    "extended-encoded-information-types");
					break;
				}
				if (ei->noid == P1_MAX_EIT_OIDS) {
					e = ber_fail(x->d, BER_ESIZE, o.off,
					    "extended-encoded-information-types");
					break;
				}
				e = ber_field(x->d, ber_get_oid(x->d, &o,
				    ei->oid[ei->noid], P1_OID_MAX),
				    "extended-encoded-information-types");
				ei->noid++;
			}
		} else
			e = xdec_unknown(&x->xd, &m, "EncodedInformationTypes");
	}
	if (e == BER_OK)
		e = ber_need(x->d, seen, 0, t->off,
		    "built-in-encoded-information-types");
	if (e == BER_OK)
		e = xdec_keep(&x->xd, &nb, P1_MAX_RAW, t->off, &ei->nonbasic.p,
		    &ei->nonbasic.len,
		    "non-basic-parameters");
	berw_free(&nb);
	return e;
}

/*
 * ExtensionField ::= SEQUENCE { type CHOICE { standard-extension [0]
 * INTEGER (1..ub-extension-types), private-extension [3] OID },
 * criticality [1] BIT STRING DEFAULT {}, value [2] open type DEFAULT
 * NULL:NULL }
 */
static int
dec_ext(struct dctx *x, const struct ber_tlv *t, struct p1_ext *ex)
{
	struct ber_tlv	 m, v;
	struct cur	 c = t->val;
	size_t		 i;
	int		 e;

	memset(ex, 0, sizeof(*ex));
	if (!ber_is(t, BER_UNIV, BER_SEQUENCE) || !t->cons)
		return xdec_unknown(&x->xd, t, "extensions");
	if ((e = ber_field(x->d, ber_read(x->d, &c, &m), "extension type")) !=
	    BER_OK)
		return e;
	if (ber_is(&m, BER_CTX, 0)) {
		if ((e = xdec_int(&x->xd, &m, 1, P1_UB_EXT_TYPES, &ex->type,
		    "standard-extension")) != BER_OK)
			return e;
	} else if (ber_is(&m, BER_CTX, 3)) {
		ex->is_private = 1;
		if ((e = ber_field(x->d, ber_get_oid(x->d, &m, ex->oid,
		    sizeof(ex->oid)), "private-extension")) != BER_OK)
			return e;
	} else
		return xdec_unknown(&x->xd, &m, "ExtensionField type");
	if (cur_len(&c) > 0 && ber_peek(x->d, &c, &m) == BER_OK &&
	    ber_is(&m, BER_CTX, 1)) {
		ber_read(x->d, &c, &m);
		if ((e = xdec_bits(&x->xd, &m, P1_UB_BIT_OPTIONS, &ex->crit,
		    "criticality")) != BER_OK)
			return e;
	}
	if (x->d->err != BER_OK)
		return ber_field(x->d, x->d->err, "extensions");
	if (cur_len(&c) > 0) {
		if ((e = ber_expect(x->d, &c, BER_CTX, 2, 1, &m)) != BER_OK) {
			if (e == BER_EUNEXP)
				return xdec_unknown(&x->xd, &m,
				    "ExtensionField");
			return ber_field(x->d, e, "extension value");
		}
		if ((e = xdec_inner(&x->xd, &m, &v,
		    "extension value")) != BER_OK)
			return e;
		if ((e = xdec_norm(&x->xd, m.val, 0, P1_MAX_EXT_VALUE, m.off,
		    &ex->value.p, &ex->value.len, "extension value")) != BER_OK)
			return e;
	}
	if (cur_len(&c) != 0)
		return ber_fail(x->d, BER_ETRAIL, cur_offset(&c), "extensions");
	if (ex->crit & P1_CRIT_TRANSFER) {
		ex->flags |= P1_EXT_UNKNOWN_CRITICAL;
		for (i = 0; !ex->is_private && i < x->o->nknown_ext; i++)
			if (x->o->known_ext[i] == ex->type)
				ex->flags &= ~P1_EXT_UNKNOWN_CRITICAL;
		if (ex->flags & P1_EXT_UNKNOWN_CRITICAL) {
			x->pdu->unknown_critical++;
			if (x->o->reject_unknown_critical)
				return ber_fail(x->d, BER_EVALUE, t->off,
				    "extension critical for transfer "
				    "not supported");
		}
	}
	return BER_OK;
}

/* SET OF ExtensionField */
static int
dec_exts(struct dctx *x, const struct ber_tlv *t, struct p1_exts *l)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	size_t		 n, i, j;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, "extensions")) != BER_OK ||
	    (e = xdec_count(&x->xd, c, 0, P1_MAX_EXTS, t->off, &n,
	    "extensions")) !=
	    BER_OK)
		return e;
	l->n = 0;
	if (n == 0)
		return BER_OK;
	if ((l->v = xdec_alloc_n(&x->xd, n, sizeof(*l->v), t->off,
	    "extensions")) ==
	    NULL)
		return x->d->err;
	for (i = 0; i < n; i++) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m), "extensions")) !=
		    BER_OK || (e = dec_ext(x, &m, &l->v[i])) != BER_OK)
			return e;
		l->n++;
		/* at most one instance of each extension type */
		for (j = 0; j < i; j++)
			if (l->v[j].is_private == l->v[i].is_private &&
			    l->v[j].type == l->v[i].type &&
			    strcmp(l->v[j].oid, l->v[i].oid) == 0)
				return ber_fail(x->d, BER_EDUP, m.off,
				    "extensions");
	}
	return BER_OK;
}

/*
 * DomainSuppliedInformation ::= SET { arrival-time [0], routing-action
 * [2] ENUMERATED, attempted-domain GDI OPTIONAL, deferred-time [1]
 * OPTIONAL, converted-encoded-information-types OPTIONAL, other-actions
 * [3] BIT STRING DEFAULT {} }
 */
static int
dec_dsi(struct dctx *x, const struct ber_tlv *t, struct p1_trace *tr)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int64_t		 v;
	int		 e;

	if (!ber_is(t, BER_UNIV, BER_SET) || !t->cons)
		return ber_fail(x->d, BER_EUNEXP, t->off,
		    "domain-supplied-information");
	while (cur_len(&c) > 0) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m),
		    "domain-supplied-information")) != BER_OK)
			return e;
		if (ber_is(&m, BER_CTX, 0)) {
			if ((e = ber_once(x->d, &seen, 0, &m, "arrival-time")) ||
			    (e = xdec_time(&x->xd, &m, BER_UTC_TIME,
			    &tr->arrival, "arrival-time")))
				return e;
		} else if (ber_is(&m, BER_CTX, 2)) {
			if ((e = ber_once(x->d, &seen, 2, &m, "routing-action")) ||
			    (e = xdec_int(&x->xd, &m, 0, 1, &v,
			    "routing-action")))
				return e;
			tr->routing = (int)v;
		} else if (ber_is(&m, BER_APP, 3)) {
			if ((e = ber_once(x->d, &seen, 4, &m, "attempted-domain")) ||
			    (e = dec_gdi(x, &m, &tr->attempted)))
				return e;
			tr->has_attempted = 1;
		} else if (ber_is(&m, BER_CTX, 1)) {
			if ((e = ber_once(x->d, &seen, 1, &m, "deferred-time")) ||
			    (e = xdec_time(&x->xd, &m, BER_UTC_TIME,
			    &tr->deferred,
			    "deferred-time")))
				return e;
			tr->has_deferred = 1;
		} else if (ber_is(&m, BER_APP, 5)) {
			if ((e = ber_once(x->d, &seen, 5, &m,
			    "converted-encoded-information-types")) ||
			    (e = dec_eits(x, &m, &tr->converted,
			    "converted-encoded-information-types")))
				return e;
			tr->has_converted = 1;
		} else if (ber_is(&m, BER_CTX, 3)) {
			if ((e = ber_once(x->d, &seen, 3, &m, "other-actions")) ||
			    (e = xdec_bits(&x->xd, &m, P1_UB_BIT_OPTIONS,
			    &tr->other_actions, "other-actions")))
				return e;
		} else
			return xdec_unknown(&x->xd, &m,
			    "DomainSuppliedInformation");
	}
	if ((e = ber_need(x->d, seen, 0, t->off, "arrival-time")) ||
	    (e = ber_need(x->d, seen, 2, t->off, "routing-action")))
		return e;
	return BER_OK;
}

/* TraceInformation ::= [APPLICATION 9] SEQUENCE SIZE (1..ub-transfers) */
static int
dec_traces(struct dctx *x, const struct ber_tlv *t, struct p1_traces *l,
    const char *field)
{
	struct ber_tlv	 el, g, s;
	struct cur	 c = t->val, ec;
	size_t		 n, i;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, field)) != BER_OK ||
	    (e = xdec_count(&x->xd, c, 1, P1_UB_TRANSFERS, t->off, &n,
	    field)) != BER_OK)
		return e;
	if ((l->v = xdec_alloc_n(&x->xd, n, sizeof(*l->v), t->off, field)) ==
	    NULL)
		return x->d->err;
	l->n = 0;
	for (i = 0; i < n; i++) {
		if ((e = ber_expect(x->d, &c, BER_UNIV, BER_SEQUENCE, 1,
		    &el)) != BER_OK) {
			if (e == BER_EUNEXP)
				return xdec_unknown(&x->xd, &el, field);
			return ber_field(x->d, e, field);
		}
		ec = el.val;
		if ((e = ber_expect(x->d, &ec, BER_APP, 3, 1, &g)) != BER_OK)
			return ber_field(x->d, e, "global-domain-identifier");
		if ((e = dec_gdi(x, &g, &l->v[i].gdi)) != BER_OK)
			return e;
		if ((e = ber_field(x->d, ber_read(x->d, &ec, &s),
		    "domain-supplied-information")) != BER_OK ||
		    (e = dec_dsi(x, &s, &l->v[i])) != BER_OK)
			return e;
		if (cur_len(&ec) != 0)
			return ber_fail(x->d, BER_ETRAIL, cur_offset(&ec),
			    "TraceInformationElement");
		l->n++;
	}
	return BER_OK;
}

/* The extended content types that mean a built-in one. */
static const struct {
	const char	*oid;
	int64_t		 builtin;
} ctype_oids[] = {
	{ P1_OID_MCT_P2_1984, P1_CT_P2 },
	{ P1_OID_MCT_P2_1988, P1_CT_P22 },
	{ P1_OID_MCT_PEDI, P1_CT_P35 },
};

int64_t
p1_ctype_number(const struct p1_ctype *ct)
{
	size_t	 i;

	if (!ct->present)
		return -1;
	if (!ct->extended)
		return ct->builtin;
	for (i = 0; i < sizeof(ctype_oids) / sizeof(ctype_oids[0]); i++)
		if (strcmp(ct->oid, ctype_oids[i].oid) == 0)
			return ctype_oids[i].builtin;
	return -1;
}

const char *
p1_ctype_text(const struct p1_ctype *ct, char *buf, size_t len)
{
	if (!ct->present)
		snprintf(buf, len, "none");
	else if (ct->extended)
		snprintf(buf, len, "%s", ct->oid);
	else
		snprintf(buf, len, "%lld", (long long)ct->builtin);
	return buf;
}

/* ContentType ::= CHOICE { [APPLICATION 6] INTEGER, OBJECT IDENTIFIER } */
static int
dec_ctype(struct dctx *x, const struct ber_tlv *t, struct p1_ctype *ct)
{
	int	 e;

	ct->present = 1;
	if (ber_is(t, BER_APP, 6))
		return xdec_int(&x->xd, t, 0, P1_UB_BUILTIN_CTYPE, &ct->builtin,
		    "content-type");
	ct->extended = 1;
	if ((e = ber_get_oid(x->d, t, ct->oid, sizeof(ct->oid))) != BER_OK)
		return ber_field(x->d, e, "content-type");
	return BER_OK;
}

/* Content ::= OCTET STRING, kept in place when primitive. */
static int
dec_content(struct dctx *x, const struct ber_tlv *t, struct p1_content *ct,
    const char *field)
{
	struct cur	 v;
	int		 e;

	if (t->cons && x->pdu->owned.len > 0)	/* one reassembly per PDU */
		return ber_fail(x->d, BER_EDUP, t->off, field);
	if ((e = ber_octets(x->d, t, &x->pdu->owned, &v)) != BER_OK)
		return ber_field(x->d, e, field);
	ct->present = 1;
	ct->p = cur_data(&v);
	ct->len = cur_len(&v);
	return BER_OK;
}

/*
 * PerRecipientMessageTransferFields / PerRecipientProbeTransferFields
 * ::= SET { recipient-name ORName, originally-specified-recipient-number
 * [0], per-recipient-indicators [1], explicit-conversion [2] OPTIONAL,
 * extensions [3] DEFAULT {} }
 */
static int
dec_rcpt(struct dctx *x, const struct ber_tlv *t, struct p1_rcpt *r)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	orname_init(&r->name);
	if (!ber_is(t, BER_UNIV, BER_SET) || !t->cons)
		return xdec_unknown(&x->xd, t, "per-recipient-fields");
	while (cur_len(&c) > 0) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m),
		    "per-recipient-fields")) != BER_OK)
			return e;
		if (ber_is(&m, BER_APP, 0)) {
			if ((e = ber_once(x->d, &seen, 4, &m, "recipient-name")) ||
			    (e = ber_field(x->d, orname_decode(x->d, &m,
			    &r->name), "recipient-name")))
				return e;
		} else if (ber_is(&m, BER_CTX, 0)) {
			if ((e = ber_once(x->d, &seen, 0, &m,
			    "originally-specified-recipient-number")) ||
			    (e = xdec_int(&x->xd, &m, 1, P1_UB_RECIPIENTS,
			    &r->osrn,
			    "originally-specified-recipient-number")))
				return e;
		} else if (ber_is(&m, BER_CTX, 1)) {
			if ((e = ber_once(x->d, &seen, 1, &m,
			    "per-recipient-indicators")) ||
			    (e = xdec_bits(&x->xd, &m, P1_UB_BIT_OPTIONS,
			    &r->pri,
			    "per-recipient-indicators")))
				return e;
		} else if (ber_is(&m, BER_CTX, 2)) {
			if ((e = ber_once(x->d, &seen, 2, &m, "explicit-conversion")) ||
			    (e = xdec_int(&x->xd, &m, 0, 256, &r->conversion,
			    "explicit-conversion")))
				return e;
			r->has_conversion = 1;
		} else if (ber_is(&m, BER_CTX, 3)) {
			if ((e = ber_once(x->d, &seen, 3, &m, "extensions")) ||
			    (e = dec_exts(x, &m, &r->ext)))
				return e;
		} else
			return xdec_unknown(&x->xd, &m,
			    "PerRecipientTransferFields");
	}
	if ((e = ber_need(x->d, seen, 4, t->off, "recipient-name")) ||
	    (e = ber_need(x->d, seen, 0, t->off,
	    "originally-specified-recipient-number")) ||
	    (e = ber_need(x->d, seen, 1, t->off, "per-recipient-indicators")))
		return e;
	return BER_OK;
}

static int
dec_rcpts(struct dctx *x, const struct ber_tlv *t, struct p1_envelope *env)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	size_t		 n, i;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, "per-recipient-fields")) != BER_OK ||
	    (e = xdec_count(&x->xd, c, 1, x->o->max_recipients, t->off, &n,
	    "per-recipient-fields")) != BER_OK)
		return e;
	if ((env->rcpt = xdec_alloc_n(&x->xd, n, sizeof(*env->rcpt), t->off,
	    "per-recipient-fields")) == NULL)
		return x->d->err;
	env->nrcpt = 0;
	for (i = 0; i < n; i++) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m),
		    "per-recipient-fields")) != BER_OK ||
		    (e = dec_rcpt(x, &m, &env->rcpt[i])) != BER_OK)
			return e;
		env->nrcpt++;
	}
	return BER_OK;
}

/* Member bits of the envelope SETs */
enum {
	M_ID, M_ORIG, M_EITS, M_CTYPE, M_CID, M_PRIO, M_PMI, M_DDT, M_BIL,
	M_TRACE, M_EXT, M_RCPT, M_CLEN
};

/*
 * MessageTransferEnvelope / ProbeTransferEnvelope: the members of
 * PerMessageTransferFields / PerProbeTransferFields and
 * per-recipient-fields [2].
 */
/* Not an error: the element is not a member the function decodes. */
#define NOT_MEMBER	(-1)

/*
 * A member of the envelope SET that says what the message is (identifier,
 * originator, content type and the per-message fields); NOT_MEMBER when
 * m is none of them.
 */
static int
dec_env_msg(struct dctx *x, const struct ber_tlv *m, struct p1_envelope *env,
    int probe, uint32_t *seen)
{
	int64_t		 v;
	int		 e;

	if (ber_is(m, BER_APP, 4)) {
		if ((e = ber_once(x->d, seen, M_ID, m, probe ?
		    "probe-identifier" : "message-identifier")) ||
		    (e = dec_mtsid(x, m, &env->id, probe ?
		    "probe-identifier" : "message-identifier")))
			return e;
	} else if (ber_is(m, BER_APP, 0)) {
		if ((e = ber_once(x->d, seen, M_ORIG, m,
		    "originator-name")) ||
		    (e = ber_field(x->d, orname_decode(x->d, m,
		    &env->originator), "originator-name")))
			return e;
	} else if (ber_is(m, BER_APP, 5)) {
		if ((e = ber_once(x->d, seen, M_EITS, m,
		    "original-encoded-information-types")) ||
		    (e = dec_eits(x, m, &env->eits,
		    "original-encoded-information-types")))
			return e;
		env->has_eits = 1;
	} else if (ber_is(m, BER_APP, 6) ||
	    ber_is(m, BER_UNIV, BER_OID)) {
		if ((e = ber_once(x->d, seen, M_CTYPE, m, "content-type")) ||
		    (e = dec_ctype(x, m, &env->ctype)))
			return e;
	} else if (ber_is(m, BER_APP, 10)) {
		if ((e = ber_once(x->d, seen, M_CID, m,
		    "content-identifier")) ||
		    (e = xdec_str(&x->xd, m, BER_PRINTABLE_STRING, 1,
		    P1_UB_CONTENT_ID, env->cid, NULL, "content-identifier")))
			return e;
		env->has_cid = 1;
	} else if (!probe && ber_is(m, BER_APP, 7)) {
		if ((e = ber_once(x->d, seen, M_PRIO, m, "priority")) ||
		    (e = xdec_int(&x->xd, m, 0, 2, &v, "priority")))
			return e;
		env->priority = (int)v;
	} else if (ber_is(m, BER_APP, 8)) {
		if ((e = ber_once(x->d, seen, M_PMI, m,
		    "per-message-indicators")) ||
		    (e = xdec_bits(&x->xd, m, P1_UB_BIT_OPTIONS, &env->pmi,
		    "per-message-indicators")))
			return e;
	} else
		return NOT_MEMBER;
	return BER_OK;
}

/*
 * A member of the envelope SET that says where the message goes and has
 * been (times, bilateral information, trace, extensions, recipients);
 * NOT_MEMBER when m is none of them.
 */
static int
dec_env_route(struct dctx *x, const struct ber_tlv *m, struct p1_envelope *env,
    int probe, uint32_t *seen)
{
	int		 e;

	if (!probe && ber_is(m, BER_CTX, 0)) {
		if ((e = ber_once(x->d, seen, M_DDT, m,
		    "deferred-delivery-time")) ||
		    (e = xdec_time(&x->xd, m, BER_UTC_TIME, &env->ddt,
		    "deferred-delivery-time")))
			return e;
		env->has_ddt = 1;
	} else if (probe && ber_is(m, BER_CTX, 0)) {
		if ((e = ber_once(x->d, seen, M_CLEN, m,
		    "content-length")) ||
		    (e = xdec_int(&x->xd, m, 0, INT32_MAX, &env->clen,
		    "content-length")))
			return e;
		env->has_clen = 1;
	} else if (ber_is(m, BER_CTX, 1)) {
		if ((e = ber_once(x->d, seen, M_BIL, m,
		    "per-domain-bilateral-information")) ||
		    (e = ber_want_cons(x->d, m, 1,
		    "per-domain-bilateral-information")) ||
		    (e = xdec_norm(&x->xd, m->val, 0, P1_MAX_RAW, m->off,
		    &env->bilateral.p, &env->bilateral.len,
		    "per-domain-bilateral-information")))
			return e;
		if (env->bilateral.len == 0)	/* SIZE (1..) */
			return ber_fail(x->d, BER_ESIZE, m->off,
			    "per-domain-bilateral-information");
	} else if (ber_is(m, BER_APP, 9)) {
		if ((e = ber_once(x->d, seen, M_TRACE, m,
		    "trace-information")) ||
		    (e = dec_traces(x, m, &env->trace,
		    "trace-information")))
			return e;
	} else if (ber_is(m, BER_CTX, 3)) {
		if ((e = ber_once(x->d, seen, M_EXT, m, "extensions")) ||
		    (e = dec_exts(x, m, &env->ext)))
			return e;
	} else if (ber_is(m, BER_CTX, 2)) {
		if ((e = ber_once(x->d, seen, M_RCPT, m,
		    "per-recipient-fields")) ||
		    (e = dec_rcpts(x, m, env)))
			return e;
	} else
		return NOT_MEMBER;
	return BER_OK;
}

static int
dec_env(struct dctx *x, const struct ber_tlv *t, struct p1_envelope *env,
    int probe)
{
	const char	*where = probe ? "ProbeTransferEnvelope" :
			    "MessageTransferEnvelope";
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, where)) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m), where)) !=
		    BER_OK)
			return e;
		e = dec_env_msg(x, &m, env, probe, &seen);
		if (e == NOT_MEMBER)
			e = dec_env_route(x, &m, env, probe, &seen);
		if (e == NOT_MEMBER)
			return xdec_unknown(&x->xd, &m, where);
		if (e != BER_OK)
			return e;
	}
	if ((e = ber_need(x->d, seen, M_ID, t->off, probe ? "probe-identifier" :
	    "message-identifier")) ||
	    (e = ber_need(x->d, seen, M_ORIG, t->off, "originator-name")) ||
	    (e = ber_need(x->d, seen, M_CTYPE, t->off, "content-type")) ||
	    (e = ber_need(x->d, seen, M_TRACE, t->off, "trace-information")) ||
	    (e = ber_need(x->d, seen, M_RCPT, t->off, "per-recipient-fields")))
		return e;
	return BER_OK;
}

/*
 * LastTraceInformation ::= SET { arrival-time [0], converted-encoded-
 * information-types OPTIONAL, report-type [1] ReportType }
 * ReportType ::= CHOICE { delivery [0] SET { message-delivery-time [0],
 * type-of-MTS-user [1] DEFAULT public }, non-delivery [1] SET {
 * non-delivery-reason-code [0], non-delivery-diagnostic-code [1]
 * OPTIONAL } }
 */
static int
dec_lti(struct dctx *x, const struct ber_tlv *t, struct p1_rrcpt *r)
{
	struct ber_tlv	 m, rt, f;
	struct cur	 c = t->val, rc;
	uint32_t	 seen = 0, rs;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, "last-trace-information")) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m),
		    "last-trace-information")) != BER_OK)
			return e;
		if (ber_is(&m, BER_CTX, 0)) {
			if ((e = ber_once(x->d, &seen, 0, &m, "arrival-time")) ||
			    (e = xdec_time(&x->xd, &m, BER_UTC_TIME,
			    &r->arrival, "arrival-time")))
				return e;
		} else if (ber_is(&m, BER_APP, 5)) {
			if ((e = ber_once(x->d, &seen, 5, &m,
			    "converted-encoded-information-types")) ||
			    (e = dec_eits(x, &m, &r->converted,
			    "converted-encoded-information-types")))
				return e;
			r->has_converted = 1;
		} else if (ber_is(&m, BER_CTX, 1)) {
			if ((e = ber_once(x->d, &seen, 1, &m, "report-type")) ||
			    (e = xdec_inner(&x->xd, &m, &rt, "report-type")))
				return e;
			if (!(ber_is(&rt, BER_CTX, 0) ||
			    ber_is(&rt, BER_CTX, 1)))
				return xdec_unknown(&x->xd, &rt, "ReportType");
			if ((e = ber_want_cons(x->d, &rt, 1, "report-type")))
				return e;
			r->type = rt.tag == 0 ? P1_DELIVERY : P1_NON_DELIVERY;
			rc = rt.val;
			rs = 0;
			while (cur_len(&rc) > 0) {
				if ((e = ber_field(x->d, ber_read(x->d, &rc, &f),
				    "report-type")) != BER_OK)
					return e;
				if (rt.tag == 0 && ber_is(&f, BER_CTX, 0)) {
					if ((e = ber_once(x->d, &rs, 0, &f,
					    "message-delivery-time")) ||
					    (e = xdec_time(&x->xd, &f,
					    BER_UTC_TIME,
					    &r->delivery_time,
					    "message-delivery-time")))
						return e;
				} else if (rt.tag == 0 &&
				    ber_is(&f, BER_CTX, 1)) {
					if ((e = ber_once(x->d, &rs, 1, &f,
					    "type-of-MTS-user")) ||
					    (e = xdec_int(&x->xd, &f, 0, 256,
					    &r->mts_user, "type-of-MTS-user")))
						return e;
				} else if (rt.tag == 1 &&
				    ber_is(&f, BER_CTX, 0)) {
					if ((e = ber_once(x->d, &rs, 0, &f,
					    "non-delivery-reason-code")) ||
					    (e = xdec_int(&x->xd, &f, 0, 32767,
					    &r->reason,
					    "non-delivery-reason-code")))
						return e;
				} else if (rt.tag == 1 &&
				    ber_is(&f, BER_CTX, 1)) {
					if ((e = ber_once(x->d, &rs, 1, &f,
					    "non-delivery-diagnostic-code")) ||
					    (e = xdec_int(&x->xd, &f, 0, 32767,
					    &r->diag,
					    "non-delivery-diagnostic-code")))
						return e;
					r->has_diag = 1;
				} else
					return xdec_unknown(&x->xd, &f,
					    rt.tag == 0 ?
					    "DeliveryReport" :
					    "NonDeliveryReport");
			}
			if ((e = ber_need(x->d, rs, 0, rt.off, rt.tag == 0 ?
			    "message-delivery-time" :
			    "non-delivery-reason-code")))
				return e;
		} else
			return xdec_unknown(&x->xd, &m, "LastTraceInformation");
	}
	if ((e = ber_need(x->d, seen, 0, t->off, "arrival-time")) ||
	    (e = ber_need(x->d, seen, 1, t->off, "report-type")))
		return e;
	return BER_OK;
}

/* PerRecipientReportTransferFields */
static int
dec_rrcpt(struct dctx *x, const struct ber_tlv *t, struct p1_rrcpt *r)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	orname_init(&r->actual);
	orname_init(&r->intended);
	if (!ber_is(t, BER_UNIV, BER_SET) || !t->cons)
		return xdec_unknown(&x->xd, t, "per-recipient-fields");
	while (cur_len(&c) > 0) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m),
		    "per-recipient-fields")) != BER_OK)
			return e;
		if (m.cls != BER_CTX || m.tag > 6)
			return xdec_unknown(&x->xd, &m,
			    "PerRecipientReportTransferFields");
		switch (m.tag) {
		case 0:
			if ((e = ber_once(x->d, &seen, 0, &m,
			    "actual-recipient-name")) ||
			    (e = ber_field(x->d, orname_decode(x->d, &m,
			    &r->actual), "actual-recipient-name")))
				return e;
			break;
		case 1:
			if ((e = ber_once(x->d, &seen, 1, &m,
			    "originally-specified-recipient-number")) ||
			    (e = xdec_int(&x->xd, &m, 1, P1_UB_RECIPIENTS,
			    &r->osrn,
			    "originally-specified-recipient-number")))
				return e;
			break;
		case 2:
			if ((e = ber_once(x->d, &seen, 2, &m,
			    "per-recipient-indicators")) ||
			    (e = xdec_bits(&x->xd, &m, P1_UB_BIT_OPTIONS,
			    &r->pri,
			    "per-recipient-indicators")))
				return e;
			break;
		case 3:
			if ((e = ber_once(x->d, &seen, 3, &m,
			    "last-trace-information")) ||
			    (e = dec_lti(x, &m, r)))
				return e;
			break;
		case 4:
			if ((e = ber_once(x->d, &seen, 4, &m,
			    "originally-intended-recipient-name")) ||
			    (e = ber_field(x->d, orname_decode(x->d, &m,
			    &r->intended),
			    "originally-intended-recipient-name")))
				return e;
			r->has_intended = 1;
			break;
		case 5:
			if ((e = ber_once(x->d, &seen, 5, &m,
			    "supplementary-information")) ||
			    (e = xdec_str(&x->xd, &m, BER_PRINTABLE_STRING, 1,
			    P1_UB_SUPPL_INFO, r->suppl, NULL,
			    "supplementary-information")))
				return e;
			r->has_suppl = 1;
			break;
		case 6:
			if ((e = ber_once(x->d, &seen, 6, &m, "extensions")) ||
			    (e = dec_exts(x, &m, &r->ext)))
				return e;
			break;
		}
	}
	if ((e = ber_need(x->d, seen, 0, t->off, "actual-recipient-name")) ||
	    (e = ber_need(x->d, seen, 1, t->off,
	    "originally-specified-recipient-number")) ||
	    (e = ber_need(x->d, seen, 2, t->off, "per-recipient-indicators")) ||
	    (e = ber_need(x->d, seen, 3, t->off, "last-trace-information")))
		return e;
	return BER_OK;
}

/* ReportTransferEnvelope ::= SET */
static int
dec_renv(struct dctx *x, const struct ber_tlv *t, struct p1_report *rp)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	if (!ber_is(t, BER_UNIV, BER_SET) || !t->cons)
		return ber_fail(x->d, BER_EUNEXP, t->off,
		    "ReportTransferEnvelope");
	while (cur_len(&c) > 0) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m),
		    "ReportTransferEnvelope")) != BER_OK)
			return e;
		if (ber_is(&m, BER_APP, 4)) {
			if ((e = ber_once(x->d, &seen, 0, &m, "report-identifier")) ||
			    (e = dec_mtsid(x, &m, &rp->id,
			    "report-identifier")))
				return e;
		} else if (ber_is(&m, BER_APP, 0)) {
			if ((e = ber_once(x->d, &seen, 1, &m,
			    "report-destination-name")) ||
			    (e = ber_field(x->d, orname_decode(x->d, &m,
			    &rp->dest), "report-destination-name")))
				return e;
		} else if (ber_is(&m, BER_APP, 9)) {
			if ((e = ber_once(x->d, &seen, 2, &m, "trace-information")) ||
			    (e = dec_traces(x, &m, &rp->trace,
			    "trace-information")))
				return e;
		} else if (ber_is(&m, BER_CTX, 1)) {
			if ((e = ber_once(x->d, &seen, 3, &m, "extensions")) ||
			    (e = dec_exts(x, &m, &rp->env_ext)))
				return e;
		} else
			return xdec_unknown(&x->xd, &m,
			    "ReportTransferEnvelope");
	}
	if ((e = ber_need(x->d, seen, 0, t->off, "report-identifier")) ||
	    (e = ber_need(x->d, seen, 1, t->off, "report-destination-name")) ||
	    (e = ber_need(x->d, seen, 2, t->off, "trace-information")))
		return e;
	return BER_OK;
}

/* ReportTransferContent ::= SET */
static int
dec_rcontent(struct dctx *x, const struct ber_tlv *t, struct p1_report *rp)
{
	struct ber_tlv	 m, r;
	struct cur	 c = t->val, rc;
	uint32_t	 seen = 0;
	size_t		 n, i;
	int		 e;

	if (!ber_is(t, BER_UNIV, BER_SET) || !t->cons)
		return ber_fail(x->d, BER_EUNEXP, t->off,
		    "ReportTransferContent");
	while (cur_len(&c) > 0) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m),
		    "ReportTransferContent")) != BER_OK)
			return e;
		if (ber_is(&m, BER_APP, 4)) {
			if ((e = ber_once(x->d, &seen, 0, &m, "subject-identifier")) ||
			    (e = dec_mtsid(x, &m, &rp->subject,
			    "subject-identifier")))
				return e;
		} else if (ber_is(&m, BER_APP, 9)) {
			if ((e = ber_once(x->d, &seen, 1, &m,
			    "subject-intermediate-trace-information")) ||
			    (e = dec_traces(x, &m, &rp->subject_trace,
			    "subject-intermediate-trace-information")))
				return e;
			rp->has_subject_trace = 1;
		} else if (ber_is(&m, BER_APP, 5)) {
			if ((e = ber_once(x->d, &seen, 2, &m,
			    "original-encoded-information-types")) ||
			    (e = dec_eits(x, &m, &rp->eits,
			    "original-encoded-information-types")))
				return e;
			rp->has_eits = 1;
		} else if (ber_is(&m, BER_APP, 6) ||
		    ber_is(&m, BER_UNIV, BER_OID)) {
			if ((e = ber_once(x->d, &seen, 3, &m, "content-type")) ||
			    (e = dec_ctype(x, &m, &rp->ctype)))
				return e;
		} else if (ber_is(&m, BER_APP, 10)) {
			if ((e = ber_once(x->d, &seen, 4, &m,
			    "content-identifier")) ||
			    (e = xdec_str(&x->xd, &m, BER_PRINTABLE_STRING, 1,
			    P1_UB_CONTENT_ID, rp->cid, NULL,
			    "content-identifier")))
				return e;
			rp->has_cid = 1;
		} else if (ber_is(&m, BER_CTX, 1)) {
			if ((e = ber_once(x->d, &seen, 5, &m, "returned-content")) ||
			    (e = dec_content(x, &m, &rp->returned,
			    "returned-content")))
				return e;
		} else if (ber_is(&m, BER_CTX, 2)) {
			if ((e = ber_once(x->d, &seen, 6, &m,
			    "additional-information")) ||
			    (e = ber_want_cons(x->d, &m, 1,
			    "additional-information")) ||
			    (e = xdec_inner(&x->xd, &m, &r,
			    "additional-information")) ||
			    (e = xdec_norm(&x->xd, m.val, 0,
			    P1_UB_ADDITIONAL_INFO, m.off, &rp->additional.p,
			    &rp->additional.len, "additional-information")))
				return e;
		} else if (ber_is(&m, BER_CTX, 3)) {
			if ((e = ber_once(x->d, &seen, 7, &m, "extensions")) ||
			    (e = dec_exts(x, &m, &rp->ext)))
				return e;
		} else if (ber_is(&m, BER_CTX, 0)) {
			if ((e = ber_once(x->d, &seen, 8, &m,
			    "per-recipient-fields")) ||
			    (e = ber_want_cons(x->d, &m, 1, "per-recipient-fields")) ||
			    (e = xdec_count(&x->xd, m.val, 1,
			    x->o->max_recipients, m.off,
			    &n, "per-recipient-fields")))
				return e;
			if ((rp->rcpt = xdec_alloc_n(&x->xd, n,
			    sizeof(*rp->rcpt), m.off,
			    "per-recipient-fields")) == NULL)
				return x->d->err;
			rc = m.val;
			for (i = 0; i < n; i++) {
				if ((e = ber_field(x->d, ber_read(x->d, &rc, &r),
				    "per-recipient-fields")) ||
				    (e = dec_rrcpt(x, &r, &rp->rcpt[i])))
					return e;
				rp->nrcpt++;
			}
		} else
			return xdec_unknown(&x->xd, &m,
			    "ReportTransferContent");
	}
	if ((e = ber_need(x->d, seen, 0, t->off, "subject-identifier")) ||
	    (e = ber_need(x->d, seen, 8, t->off, "per-recipient-fields")))
		return e;
	return BER_OK;
}

/* A decoding context; the options are the caller's, or the defaults. */
static void
dctx_init(struct dctx *x, struct ber_dec *d, const struct p1_opts *o,
    struct p1_pdu *pdu)
{
	if (o == NULL) {
		p1_opts_init(&x->defaults);
		o = &x->defaults;
	}
	x->d = d;
	x->pdu = pdu;
	x->o = o;
	buf_init(&x->s);
	xdec_init(&x->xd, d, &x->s, &pdu->arena, pdu->errtext,
	    sizeof(pdu->errtext));
}

int
p1_decode(struct ber_dec *d, const struct p1_opts *opts, const void *p,
    size_t n, struct p1_pdu *pdu)
{
	struct dctx	 x;
	struct ber_tlv	 t, m;
	struct cur	 c;
	int		 e;

	dctx_init(&x, d, opts, pdu);
	if ((e = ber_read_one(d, p, n, &t)) != BER_OK) {
		e = ber_field(d, e, "MTS-APDU");
		goto done;
	}
	if (t.cls != BER_CTX || t.tag > 2 || !t.cons) {
		e = ber_fail(d, BER_EUNEXP, t.off, "MTS-APDU");
		goto done;
	}
	pdu->kind = (enum p1_kind)t.tag;
	c = t.val;
	switch (pdu->kind) {
	case P1_MESSAGE:
		/* Message ::= SEQUENCE { envelope SET, content OCTET STRING } */
		if ((e = ber_expect(d, &c, BER_UNIV, BER_SET, 1, &m)) !=
		    BER_OK) {
			e = ber_field(d, e, "MessageTransferEnvelope");
			break;
		}
		if ((e = dec_env(&x, &m, &pdu->msg.env, 0)) != BER_OK)
			break;
		if ((e = ber_expect(d, &c, BER_UNIV, BER_OCTET_STRING, -1,
		    &m)) != BER_OK) {
			e = ber_field(d, e, "content");
			break;
		}
		e = dec_content(&x, &m, &pdu->msg.content, "content");
		break;
	case P1_REPORT:
		if ((e = ber_field(d, ber_read(d, &c, &m),
		    "ReportTransferEnvelope")) != BER_OK ||
		    (e = dec_renv(&x, &m, &pdu->rpt)) != BER_OK)
			break;
		if (cur_len(&c) == 0) {
			e = ber_fail(d, BER_EMISSING, cur_offset(&c),
			    "ReportTransferContent");
			break;
		}
		if ((e = ber_field(d, ber_read(d, &c, &m),
		    "ReportTransferContent")) != BER_OK)
			break;
		e = dec_rcontent(&x, &m, &pdu->rpt);
		break;
	default:
		/* Probe ::= ProbeTransferEnvelope, [2] IMPLICIT SET */
		e = dec_env(&x, &t, &pdu->msg.env, 1);
		c.len = 0;
		break;
	}
	if (e == BER_OK && cur_len(&c) != 0)
		e = ber_fail(d, BER_ETRAIL, cur_offset(&c), p1_kind_name(
		    pdu->kind));
done:
	buf_free(&x.s);
	if (e == BER_OK && d->err != BER_OK)
		e = d->err;
	return e;
}

/*
 * Encoder
 */

/* A NUL-terminated string whose SIZE must be lo..hi. */
static void
enc_str(struct berw *w, uint8_t cls, uint32_t tag, int type, const char *s,
    size_t lo, size_t hi, const char *field)
{
	berw_bounded(w, cls, tag, type, s, strlen(s), lo, hi, field);
}




static void
enc_gdi(struct berw *w, const struct p1_gdi *g)
{
	int	 num;

	berw_open(w, BER_APP, 3);
	num = (g->numeric & P1_NUM_C) != 0;
	if (strlen(g->c) != (num ? 3u : 2u))
		berw_fail(w, BER_ESIZE, "country-name");
	berw_open(w, BER_APP, 1);
	enc_str(w, BER_UNIV, num ? BER_NUMERIC_STRING : BER_PRINTABLE_STRING,
	    num ? BER_NUMERIC_STRING : BER_PRINTABLE_STRING, g->c, 2, 3,
	    "country-name");
	berw_close(w);
	num = (g->numeric & P1_NUM_ADMD) != 0;
	berw_open(w, BER_APP, 2);
	enc_str(w, BER_UNIV, num ? BER_NUMERIC_STRING : BER_PRINTABLE_STRING,
	    num ? BER_NUMERIC_STRING : BER_PRINTABLE_STRING, g->admd, 0,
	    OR_UB_DOMAIN_NAME, "administration-domain-name");
	berw_close(w);
	if (g->has_prmd) {
		num = (g->numeric & P1_NUM_PRMD) != 0;
		enc_str(w, BER_UNIV, num ? BER_NUMERIC_STRING :
		    BER_PRINTABLE_STRING, num ? BER_NUMERIC_STRING :
		    BER_PRINTABLE_STRING, g->prmd, 1, OR_UB_DOMAIN_NAME,
		    "private-domain-identifier");
	}
	berw_close(w);
}

static void
enc_mtsid(struct berw *w, const struct p1_mtsid *id)
{
	berw_open(w, BER_APP, 4);
	enc_gdi(w, &id->gdi);
	enc_str(w, BER_UNIV, BER_IA5_STRING, BER_IA5_STRING, id->local, 1,
	    P1_UB_LOCAL_ID, "local-identifier");
	berw_close(w);
}

static void
enc_eits(struct berw *w, const struct p1_eits *ei)
{
	size_t	 i;

	berw_open(w, BER_APP, 5);
	berw_bits(w, BER_CTX, 0, ei->builtin, 0);
	if (ei->nonbasic.len > 0)
		berw_raw(w, ei->nonbasic.p, ei->nonbasic.len);
	if (ei->noid > P1_MAX_EIT_OIDS)
		berw_fail(w, BER_ESIZE, "extended-encoded-information-types");
	else if (ei->noid > 0) {
		berw_open(w, BER_CTX, 4);
		for (i = 0; i < ei->noid; i++)
			berw_oid(w, BER_UNIV, BER_OID, ei->oid[i]);
		berw_close(w);
	}
	berw_close(w);
	berw_field(w, "encoded-information-types");
}

static void
enc_ctype(struct berw *w, const struct p1_ctype *ct)
{
	if (ct->extended)
		berw_oid(w, BER_UNIV, BER_OID, ct->oid);
	else if (ct->builtin < 0 || ct->builtin > P1_UB_BUILTIN_CTYPE)
		berw_fail(w, BER_EVALUE, "content-type");
	else
		berw_int(w, BER_APP, 6, ct->builtin);
	berw_field(w, "content-type");
}

static void
enc_exts(struct berw *w, uint8_t cls, uint32_t tag, const struct p1_exts *l)
{
	const struct p1_ext *ex;
	size_t	 i;

	if (l->n == 0)			/* DEFAULT {} */
		return;
	berw_open(w, cls, tag);
	for (i = 0; i < l->n; i++) {
		ex = &l->v[i];
		berw_open(w, BER_UNIV, BER_SEQUENCE);
		if (ex->is_private)
			berw_oid(w, BER_CTX, 3, ex->oid);
		else if (ex->type < 1 || ex->type > P1_UB_EXT_TYPES)
			berw_fail(w, BER_EVALUE, "standard-extension");
		else
			berw_int(w, BER_CTX, 0, ex->type);
		if (ex->crit != 0)
			berw_bits(w, BER_CTX, 1, ex->crit, 0);
		if (ex->value.len > 0) {
			berw_open(w, BER_CTX, 2);
			berw_raw(w, ex->value.p, ex->value.len);
			berw_close(w);
		}
		berw_close(w);
	}
	berw_close(w);
	berw_field(w, "extensions");
}

static void
enc_traces(struct berw *w, const struct p1_traces *l)
{
	const struct p1_trace *tr;
	size_t	 i;

	if (l->n < 1 || l->n > P1_UB_TRANSFERS)
		berw_fail(w, BER_ESIZE, "trace-information");
	berw_open(w, BER_APP, 9);
	for (i = 0; i < l->n; i++) {
		tr = &l->v[i];
		berw_open(w, BER_UNIV, BER_SEQUENCE);
		enc_gdi(w, &tr->gdi);
		berw_open(w, BER_UNIV, BER_SET);
		berw_time(w, BER_CTX, 0, BER_UTC_TIME, tr->arrival);
		berw_field(w, "arrival-time");
		berw_int(w, BER_CTX, 2, tr->routing);
		if (tr->has_attempted)
			enc_gdi(w, &tr->attempted);
		if (tr->has_deferred)
			berw_time(w, BER_CTX, 1, BER_UTC_TIME, tr->deferred);
		if (tr->has_converted)
			enc_eits(w, &tr->converted);
		if (tr->other_actions != 0)
			berw_bits(w, BER_CTX, 3, tr->other_actions, 0);
		berw_close(w);
		berw_close(w);
	}
	berw_close(w);
	berw_field(w, "trace-information");
}

static void
enc_content(struct berw *w, uint8_t cls, uint32_t tag,
    const struct p1_content *ct)
{
	if (ct->enc != NULL)
		berw_prim_berw(w, cls, tag, ct->enc);
	else if (ct->use_fd)
		berw_prim_fd(w, cls, tag, ct->fd, ct->off, ct->fdlen);
	else
		berw_prim(w, cls, tag, ct->p, ct->len);
	berw_field(w, "content");
}

static void
enc_env(struct berw *w, const struct p1_envelope *env, int probe)
{
	const struct p1_rcpt *r;
	size_t	 i;

	enc_mtsid(w, &env->id);
	orname_encode(w, &env->originator);
	berw_field(w, "originator-name");
	if (env->has_eits)
		enc_eits(w, &env->eits);
	enc_ctype(w, &env->ctype);
	if (env->has_cid)
		enc_str(w, BER_APP, 10, BER_PRINTABLE_STRING, env->cid, 1,
		    P1_UB_CONTENT_ID, "content-identifier");
	if (probe) {
		if (env->has_clen)
			berw_int(w, BER_CTX, 0, env->clen);
	} else if (env->priority != P1_PRIO_NORMAL) {
		if (env->priority < 0 || env->priority > 2)
			berw_fail(w, BER_EVALUE, "priority");
		berw_int(w, BER_APP, 7, env->priority);
	}
	if (env->pmi != 0)
		berw_bits(w, BER_APP, 8, env->pmi, 0);
	if (!probe && env->has_ddt)
		berw_time(w, BER_CTX, 0, BER_UTC_TIME, env->ddt);
	berw_field(w, "deferred-delivery-time");
	if (env->bilateral.len > 0) {
		berw_open(w, BER_CTX, 1);
		berw_raw(w, env->bilateral.p, env->bilateral.len);
		berw_close(w);
	}
	enc_traces(w, &env->trace);
	enc_exts(w, BER_CTX, 3, &env->ext);
	if (env->nrcpt < 1 || env->nrcpt > P1_UB_RECIPIENTS)
		berw_fail(w, BER_ESIZE, "per-recipient-fields");
	berw_open(w, BER_CTX, 2);
	for (i = 0; i < env->nrcpt; i++) {
		r = &env->rcpt[i];
		berw_open(w, BER_UNIV, BER_SET);
		orname_encode(w, &r->name);
		berw_field(w, "recipient-name");
		if (r->osrn < 1 || r->osrn > P1_UB_RECIPIENTS)
			berw_fail(w, BER_EVALUE,
			    "originally-specified-recipient-number");
		berw_int(w, BER_CTX, 0, r->osrn);
		/* SIZE (8..ub-bit-options) */
		berw_bits(w, BER_CTX, 1, r->pri, 8);
		if (r->has_conversion)
			berw_int(w, BER_CTX, 2, r->conversion);
		enc_exts(w, BER_CTX, 3, &r->ext);
		berw_close(w);
	}
	berw_close(w);
	berw_field(w, "per-recipient-fields");
}

static void
enc_rrcpt(struct berw *w, const struct p1_rrcpt *r)
{
	berw_open(w, BER_UNIV, BER_SET);
	orname_encode_tagged(w, BER_CTX, 0, &r->actual);
	berw_field(w, "actual-recipient-name");
	if (r->osrn < 1 || r->osrn > P1_UB_RECIPIENTS)
		berw_fail(w, BER_EVALUE, "originally-specified-recipient-number");
	berw_int(w, BER_CTX, 1, r->osrn);
	berw_bits(w, BER_CTX, 2, r->pri, 8);
	berw_open(w, BER_CTX, 3);
	berw_time(w, BER_CTX, 0, BER_UTC_TIME, r->arrival);
	berw_field(w, "arrival-time");
	if (r->has_converted)
		enc_eits(w, &r->converted);
	berw_open(w, BER_CTX, 1);
	if (r->type == P1_DELIVERY) {
		berw_open(w, BER_CTX, 0);
		berw_time(w, BER_CTX, 0, BER_UTC_TIME, r->delivery_time);
		berw_field(w, "message-delivery-time");
		if (r->mts_user != 0)		/* DEFAULT public */
			berw_int(w, BER_CTX, 1, r->mts_user);
		berw_close(w);
	} else {
		berw_open(w, BER_CTX, 1);
		berw_int(w, BER_CTX, 0, r->reason);
		if (r->has_diag)
			berw_int(w, BER_CTX, 1, r->diag);
		berw_close(w);
	}
	berw_close(w);
	berw_close(w);
	if (r->has_intended) {
		orname_encode_tagged(w, BER_CTX, 4, &r->intended);
		berw_field(w, "originally-intended-recipient-name");
	}
	if (r->has_suppl)
		enc_str(w, BER_CTX, 5, BER_PRINTABLE_STRING, r->suppl, 1,
		    P1_UB_SUPPL_INFO, "supplementary-information");
	enc_exts(w, BER_CTX, 6, &r->ext);
	berw_close(w);
}

static void
enc_report(struct berw *w, const struct p1_report *rp)
{
	size_t	 i;

	berw_open(w, BER_UNIV, BER_SET);
	enc_mtsid(w, &rp->id);
	orname_encode(w, &rp->dest);
	berw_field(w, "report-destination-name");
	enc_traces(w, &rp->trace);
	enc_exts(w, BER_CTX, 1, &rp->env_ext);
	berw_close(w);

	berw_open(w, BER_UNIV, BER_SET);
	enc_mtsid(w, &rp->subject);
	if (rp->has_subject_trace)
		enc_traces(w, &rp->subject_trace);
	if (rp->has_eits)
		enc_eits(w, &rp->eits);
	if (rp->ctype.present)
		enc_ctype(w, &rp->ctype);
	if (rp->has_cid)
		enc_str(w, BER_APP, 10, BER_PRINTABLE_STRING, rp->cid, 1,
		    P1_UB_CONTENT_ID, "content-identifier");
	if (rp->returned.present)
		enc_content(w, BER_CTX, 1, &rp->returned);
	if (rp->additional.len > 0) {
		berw_open(w, BER_CTX, 2);
		berw_raw(w, rp->additional.p, rp->additional.len);
		berw_close(w);
	}
	enc_exts(w, BER_CTX, 3, &rp->ext);
	if (rp->nrcpt < 1 || rp->nrcpt > P1_UB_RECIPIENTS)
		berw_fail(w, BER_ESIZE, "per-recipient-fields");
	berw_open(w, BER_CTX, 0);
	for (i = 0; i < rp->nrcpt; i++)
		enc_rrcpt(w, &rp->rcpt[i]);
	berw_close(w);
	berw_close(w);
}

int
p1_encode(struct berw *w, const struct p1_pdu *pdu)
{
	switch (pdu->kind) {
	case P1_MESSAGE:
		berw_open(w, BER_CTX, 0);
		berw_open(w, BER_UNIV, BER_SET);
		enc_env(w, &pdu->msg.env, 0);
		berw_close(w);
		enc_content(w, BER_UNIV, BER_OCTET_STRING, &pdu->msg.content);
		berw_close(w);
		break;
	case P1_REPORT:
		berw_open(w, BER_CTX, 1);
		enc_report(w, &pdu->rpt);
		berw_close(w);
		break;
	case P1_PROBE:
		berw_open(w, BER_CTX, 2);
		enc_env(w, &pdu->msg.env, 1);
		berw_close(w);
		break;
	default:
		return berw_fail(w, BER_EVALUE, "MTS-APDU");
	}
	return berw_field(w, "MTS-APDU");
}
