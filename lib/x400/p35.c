/*
 * NAME
 *	p35 - X.435 PEDI content (EDIM and EDIN): model and BER codec
 * SYNOPSIS
 *	#include "x400/p35.h"
 * DESCRIPTION
 *	Decoder and encoder of the InformationObject of X.435 (06/1999),
 *	module EDIMSInformationObjects {joint-iso-itu-t mhs(6) edims(7)
 *	modules(0) information-objects(2) version(2)}, DEFINITIONS
 *	IMPLICIT TAGS; upper bounds from EDIMSUpperBounds, object
 *	identifiers from EDIMSObjectIdentifiers. A context tag replaces the
 *	inner tag except around a CHOICE (InformationObject's edin [1],
 *	nn-reason-code [1], fn-reason-code [2]), where it wraps it. See
 *	p35.h for the model.
 *
 *	The SEQUENCEs of X.435 (Heading, RecipientsSubField, CommonFields,
 *	...) have context tags with distinct numbers on all members, so one
 *	loop reads them: seq_next() names the member by its tag, refuses a
 *	tag seen before (BER_EDUP) or out of order (BER_EUNEXP), and the
 *	mandatory members are checked after the loop. The SET
 *	EDIMIdentifier is read the same way without the order rule. The
 *	encoder writes members in ASN.1 order and leaves out members equal
 *	to their DEFAULT.
 * DIAGNOSTICS
 *	BER_OK or a BER_E* code, recorded with offset and field in the
 *	struct ber_dec (decoding) or struct berw (encoding).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x400/p35.h"
#include "x400/xdec.h"

struct dctx {
	struct ber_dec	*d;
	struct p35_pdu	*pdu;
	const struct p35_opts *o;	/* the caller's, or defaults */
	struct p35_opts	 defaults;
	struct buf	 s;		/* scratch for strings */
	struct xdec	 xd;
};

void
p35_opts_init(struct p35_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_recipients = P35_MAX_RECIPIENTS_DEFAULT;
}

void
p35_edimid_init(struct p35_edimid *id)
{
	memset(id, 0, sizeof(*id));
	orname_init(&id->user);
}

void
p35_rcpt_init(struct p35_rcpt *r)
{
	memset(r, 0, sizeof(*r));
	orname_init(&r->name);
	strcpy(r->action, P35_FOR_ACTION);
}

void
p35_init(struct p35_pdu *pdu)
{
	memset(pdu, 0, sizeof(*pdu));
	pdu->kind = P35_NONE;
	buf_init(&pdu->owned);
	p35_edimid_init(&pdu->h.this_edim);
	orname_init(&pdu->h.originator);
	strcpy(pdu->h.bodypart_type, P35_BP_EDIFACT_ISO646);
	pdu->body.edi.fd = -1;
	p35_edimid_init(&pdu->edin.common.subject);
	orname_init(&pdu->edin.common.originator);
	orname_init(&pdu->edin.common.first);
	orname_init(&pdu->edin.forwarded_to);
}

void
p35_free(struct p35_pdu *pdu)
{
	arena_free(&pdu->arena);
	buf_free(&pdu->owned);
	p35_init(pdu);
}

void *
p35_alloc(struct p35_pdu *pdu, size_t n)
{
	return arena_alloc(&pdu->arena, n);
}

const char *
p35_bodypart_name(const char *oid)
{
	static const char *const names[] = {
		"edifact-ISO646", "edifact-TeletexString", "edifact-octet",
		"ansiX12-ISO646", "ansiX12-TeletexString", "ansiX12-octet",
		"ansiX12-ebcdic", "untdi-ISO646", "untdi-TeletexString",
		"untdi-octet", "private-octet", "undefined-octet",
		"edifact-8859"
	};
	const char	*p;
	char		*end;
	unsigned long	 k;

	if (oid == NULL || strncmp(oid, "2.6.7.11.", 9) != 0)
		return NULL;
	p = oid + 9;
	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] != '\0'))
		return NULL;
	k = strtoul(p, &end, 10);
	if (*end != '\0' || k >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[k];
}

const char *
p35_kind_name(const struct p35_pdu *pdu)
{
	if (pdu->kind == P35_EDIM)
		return "EDIM";
	if (pdu->kind != P35_EDIN)
		return "none";
	switch (pdu->edin.kind) {
	case P35_PN:
		return "PN";
	case P35_NN:
		return "NN";
	default:
		return "FN";
	}
}

/*
 * Decoder helpers (the shared ones are in xdec.h)
 */

/*
 * Next member of a SEQUENCE (ordered = 1) or SET (ordered = 0) whose
 * members all carry distinct context tags below 32: names[tag] is the
 * member's name, NULL where there is none.
 */
static int
member(struct dctx *x, struct cur *c, struct ber_tlv *m,
    const char *const *names, unsigned nnames, int ordered, uint32_t *seen,
    const char *where)
{
	int	 e;

	if ((e = ber_field(x->d, ber_read(x->d, c, m), where)) != BER_OK)
		return e;
	if (m->cls != BER_CTX || m->tag >= nnames || names[m->tag] == NULL)
		return xdec_unknown(&x->xd, m, where);
	if (*seen & (1u << m->tag))
		return ber_fail(x->d, BER_EDUP, m->off, names[m->tag]);
	if (ordered && *seen >= (1u << m->tag)) {
		snprintf(x->pdu->errtext, sizeof(x->pdu->errtext),
		    "%s out of order in %s", names[m->tag], where);
		return ber_fail(x->d, BER_EUNEXP, m->off, x->pdu->errtext);
	}
	*seen |= 1u << m->tag;
	return BER_OK;
}

static int
get_teletex(struct dctx *x, const struct ber_tlv *t, size_t hi, char *out,
    const char *field)
{
	return xdec_str(&x->xd, t, BER_TELETEX_STRING, 1, hi, out, NULL, field);
}

/* OCTET STRING (SIZE (1)) */
static int
get_octet(struct dctx *x, const struct ber_tlv *t, uint8_t *v,
    const char *field)
{
	struct cur	 o;
	int		 e;

	if ((e = ber_octets(x->d, t, &x->s, &o)) != BER_OK)
		return ber_field(x->d, e, field);
	if (cur_len(&o) != 1)
		return ber_fail(x->d, BER_ESIZE, t->off, field);
	*v = cur_data(&o)[0];
	return BER_OK;
}

/* Copy p..p+n into the arena. */
static const uint8_t *
keep(struct dctx *x, const void *p, size_t n, size_t off, const char *field)
{
	uint8_t	*q;

	if ((q = xdec_alloc_n(&x->xd, n, 1, off, field)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(q, p, n);
	return q;
}

/* Every element of t's contents, normalised, as one opaque value. */
static int
raw_all(struct dctx *x, const struct ber_tlv *t, size_t max,
    struct p35_raw *out, const char *field)
{
	int	 e;

	memset(out, 0, sizeof(*out));
	if ((e = ber_want_cons(x->d, t, 1, field)) != BER_OK ||
	    (e = xdec_norm(&x->xd, t->val, 0, max, t->off, &out->p,
	    &out->len, field)) != BER_OK)
		return e;
	out->present = 1;
	return BER_OK;
}

/* Count the elements of t (lo..max), each of class cls and tag `tag`. */
static int
list(struct dctx *x, const struct ber_tlv *t, uint8_t cls, uint32_t tag,
    size_t lo, size_t max, size_t *n, const char *field)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	int		 e;

	*n = 0;
	if ((e = ber_want_cons(x->d, t, 1, field)) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m), field)) !=
		    BER_OK)
			return e;
		if (!ber_is(&m, cls, tag))
			return xdec_unknown(&x->xd, &m, field);
		if (cls == BER_UNIV && !m.cons &&
		    (tag == BER_SEQUENCE || tag == BER_SET))
			return ber_fail(x->d, BER_ECONS, m.off, field);
		if (++*n > max)
			return ber_fail(x->d, BER_ESIZE, m.off, field);
	}
	if (*n < lo)
		return ber_fail(x->d, BER_ESIZE, t->off, field);
	return BER_OK;
}

/* SET OF ExtensionField, kept opaque */
static int
dec_exts(struct dctx *x, const struct ber_tlv *t, struct p35_raw *out,
    const char *field)
{
	size_t	 n;
	int	 e;

	if ((e = list(x, t, BER_UNIV, BER_SEQUENCE, 0, P35_MAX_EXTS, &n,
	    field)) != BER_OK)
		return e;
	return raw_all(x, t, P35_MAX_RAW, out, field);
}

/* EDIMIdentifier ::= SET { user [0] ORName, user-relative-identifier [1] } */
static int
dec_edimid(struct dctx *x, const struct ber_tlv *t, struct p35_edimid *id,
    const char *field)
{
	static const char *const names[] = { "user",
	    "user-relative-identifier" };
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	p35_edimid_init(id);
	if ((e = ber_want_cons(x->d, t, 1, field)) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = member(x, &c, &m, names, 2, 0, &seen,
		    "EDIMIdentifier")) != BER_OK)
			return e;
		if (m.tag == 0)
			e = ber_field(x->d, orname_decode(x->d, &m, &id->user),
			    "user");
		else
			e = xdec_str(&x->xd, &m, BER_PRINTABLE_STRING, 0,
			    P35_UB_LOCAL_REFERENCE, id->local, NULL,
			    "user-relative-identifier");
		if (e != BER_OK)
			return e;
	}
	if ((e = ber_need(x->d, seen, 0, t->off, "user")) != BER_OK ||
	    (e = ber_need(x->d, seen, 1, t->off, "user-relative-identifier")) !=
	    BER_OK)
		return e;
	return BER_OK;
}

/*
 * InterchangeRecipientField / InterchangeSenderField ::= SEQUENCE {
 * [0] IdentificationCode, [1] IdentificationCodeQualifier OPTIONAL,
 * [2] RoutingAddress OPTIONAL }
 */
static int
dec_party(struct dctx *x, const struct ber_tlv *t, struct p35_party *p,
    int sender)
{
	static const char *const rnames[] = { "recipient-identification",
	    "identification-code-qualifier", "routing-address" };
	static const char *const snames[] = { "sender-identification",
	    "identification-code-qualifier", "address-for-reverse-routing" };
	const char *const *names = sender ? snames : rnames;
	const char	*where = sender ? "InterchangeSenderField" :
			    "InterchangeRecipientField";
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	memset(p, 0, sizeof(*p));
	if ((e = ber_want_cons(x->d, t, 1, where)) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = member(x, &c, &m, names, 3, 1, &seen, where)) !=
		    BER_OK)
			return e;
		switch (m.tag) {
		case 0:
			e = get_teletex(x, &m, P35_UB_IDENTIFICATION_CODE,
			    p->id, names[0]);
			break;
		case 1:
			e = get_teletex(x, &m, P35_UB_ID_CODE_QUALIFIER,
			    p->qual, names[1]);
			p->has_qual = 1;
			break;
		default:
			e = get_teletex(x, &m, P35_UB_ROUTING_ADDRESS,
			    p->route, names[2]);
			p->has_route = 1;
			break;
		}
		if (e != BER_OK)
			return e;
	}
	if ((e = ber_need(x->d, seen, 0, t->off, names[0])) != BER_OK)
		return e;
	p->present = 1;
	return BER_OK;
}

/* Two TeletexStrings: [0] mandatory, [1] OPTIONAL (RecipientReference,
 * AuthorizationInformation). */
static int
dec_pair(struct dctx *x, const struct ber_tlv *t, const char *const *names,
    size_t hi0, char *s0, size_t hi1, char *s1, int *has1,
    const char *where)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, where)) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = member(x, &c, &m, names, 2, 1, &seen, where)) !=
		    BER_OK)
			return e;
		if (m.tag == 0)
			e = get_teletex(x, &m, hi0, s0, names[0]);
		else {
			e = get_teletex(x, &m, hi1, s1, names[1]);
			*has1 = 1;
		}
		if (e != BER_OK)
			return e;
	}
	return ber_need(x->d, seen, 0, t->off, names[0]);
}

/* RecipientsSubField ::= SEQUENCE */
static const char *const rcpt_names[] = {
	NULL, "recipient", "action-request", "edi-notification-requests-field",
	"responsibility-passing-allowed", "interchange-recipient",
	"recipient-reference", "interchange-control-reference",
	"processing-priority-code", "acknowledgement-request",
	"communications-agreement-id", "test-indicator",
	"authorization-information", "recipient-extensions"
};

static int
dec_notif(struct dctx *x, const struct ber_tlv *t, struct p35_rcpt *r)
{
	static const char *const names[] = { "edi-notification-requests",
	    "edi-notification-security", "edi-reception-security" };
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	uint64_t	*v;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, rcpt_names[3])) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = member(x, &c, &m, names, 3, 1, &seen,
		    "EDINotificationRequestsField")) != BER_OK)
			return e;
		v = m.tag == 0 ? &r->notif : m.tag == 1 ? &r->notif_sec :
		    &r->recep_sec;
		if ((e = xdec_bits(&x->xd, &m, P35_UB_BIT_OPTIONS, v,
		    names[m.tag])) != BER_OK)
			return e;
	}
	r->has_notif = 1;
	return BER_OK;
}

static int
dec_rcpt(struct dctx *x, const struct ber_tlv *t, struct p35_rcpt *r)
{
	static const char *const rref[] = { "recipient-reference",
	    "recipient-reference-qualifier" };
	static const char *const auth[] = { "authorization-information",
	    "authorization-information-qualifier" };
	const char *const *nm = rcpt_names;
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	p35_rcpt_init(r);
	if (!ber_is(t, BER_UNIV, BER_SEQUENCE))
		return xdec_unknown(&x->xd, t, "recipients");
	if ((e = ber_want_cons(x->d, t, 1, "recipients")) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = member(x, &c, &m, nm, 14, 1, &seen,
		    "RecipientsSubField")) != BER_OK)
			return e;
		switch (m.tag) {
		case 1:
			e = ber_field(x->d, orname_decode(x->d, &m, &r->name),
			    nm[1]);
			break;
		case 2:
			e = xdec_oid(&x->xd, &m, r->action, P35_OID_MAX, nm[2]);
			break;
		case 3:
			e = dec_notif(x, &m, r);
			break;
		case 4:
			e = xdec_bool(&x->xd, &m, &r->resp_passing, nm[4]);
			break;
		case 5:
			e = dec_party(x, &m, &r->ichg_rcpt, 0);
			break;
		case 6:
			e = dec_pair(x, &m, rref, P35_UB_RECIPIENT_REFERENCE,
			    r->rref, P35_UB_RECIPIENT_REF_QUALIFIER,
			    r->rref_qual, &r->has_rref_qual,
			    "RecipientReferenceField");
			r->has_rref = 1;
			break;
		case 7:
			e = get_teletex(x, &m, P35_UB_ICHG_CONTROL_REFERENCE,
			    r->icr, nm[7]);
			r->has_icr = 1;
			break;
		case 8:
			e = get_teletex(x, &m, P35_UB_PROCESSING_PRIORITY,
			    r->prio, nm[8]);
			r->has_prio = 1;
			break;
		case 9:
			e = xdec_bool(&x->xd, &m, &r->ack_request, nm[9]);
			break;
		case 10:
			e = get_teletex(x, &m, P35_UB_COMM_AGREEMENT_ID,
			    r->agreement, nm[10]);
			r->has_agreement = 1;
			break;
		case 11:
			e = xdec_bool(&x->xd, &m, &r->test, nm[11]);
			break;
		case 12:
			e = dec_pair(x, &m, auth, P35_UB_AUTHORIZATION_INFO,
			    r->auth, P35_UB_AUTHORIZATION_QUALIFIER,
			    r->auth_qual, &r->has_auth_qual,
			    "AuthorizationInformationField");
			r->has_auth = 1;
			break;
		default:
			e = dec_exts(x, &m, &r->ext, nm[13]);
			break;
		}
		if (e != BER_OK)
			return e;
	}
	return ber_need(x->d, seen, 1, t->off, nm[1]);
}

static int
dec_rcpts(struct dctx *x, const struct ber_tlv *t, struct p35_heading *h)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	size_t		 n, i;
	int		 e;

	if ((e = list(x, t, BER_UNIV, BER_SEQUENCE, 0, x->o->max_recipients,
	    &n, "recipients")) != BER_OK)
		return e;
	if ((h->rcpt = xdec_alloc_n(&x->xd, n, sizeof(*h->rcpt), t->off,
	    "recipients")) == NULL)
		return x->d->err;
	for (i = 0; i < n; i++) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m), "recipients")) !=
		    BER_OK || (e = dec_rcpt(x, &m, &h->rcpt[i])) != BER_OK)
			return e;
		h->nrcpt++;
	}
	h->has_rcpts = 1;
	return BER_OK;
}

/* RelatedMessagesField ::= SEQUENCE OF CHOICE { [0] EDIMIdentifier,
 * [1] OBJECT IDENTIFIER } */
static int
dec_related(struct dctx *x, const struct ber_tlv *t, struct p35_heading *h)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	size_t		 n = 0, i;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, "related-messages")) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m),
		    "related-messages")) != BER_OK)
			return e;
		if (!ber_is(&m, BER_CTX, 0) && !ber_is(&m, BER_CTX, 1))
			return xdec_unknown(&x->xd, &m,
			    "RelatedMessageReference");
		if (++n > P35_MAX_LIST)
			return ber_fail(x->d, BER_ESIZE, m.off,
			    "related-messages");
	}
	if ((h->related = xdec_alloc_n(&x->xd, n, sizeof(*h->related), t->off,
	    "related-messages")) == NULL)
		return x->d->err;
	c = t->val;
	for (i = 0; i < n; i++) {
		ber_read(x->d, &c, &m);		/* read once above */
		if (m.tag == 0)
			e = dec_edimid(x, &m, &h->related[i].id,
			    "edi-message-reference");
		else {
			p35_edimid_init(&h->related[i].id);
			h->related[i].external = 1;
			e = xdec_oid(&x->xd, &m, h->related[i].oid, P35_OID_MAX,
			    "external-message-reference");
		}
		if (e != BER_OK)
			return e;
		h->nrelated++;
	}
	h->has_related = 1;
	return BER_OK;
}

/* ObsoletedEDIMsField ::= SEQUENCE OF EDIMIdentifier */
static int
dec_obsoleted(struct dctx *x, const struct ber_tlv *t, struct p35_heading *h)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	size_t		 n, i;
	int		 e;

	if ((e = list(x, t, BER_UNIV, BER_SET, 0, P35_MAX_LIST, &n,
	    "obsoleted-EDIMs")) != BER_OK)
		return e;
	if ((h->obsoleted = xdec_alloc_n(&x->xd, n, sizeof(*h->obsoleted),
	    t->off,
	    "obsoleted-EDIMs")) == NULL)
		return x->d->err;
	for (i = 0; i < n; i++) {
		ber_read(x->d, &c, &m);		/* read once by list() */
		if ((e = dec_edimid(x, &m, &h->obsoleted[i],
		    "obsoleted-EDIMs")) != BER_OK)
			return e;
		h->nobsoleted++;
	}
	h->has_obsoleted = 1;
	return BER_OK;
}

/* CrossReferencingInformationField ::= SET OF SEQUENCE {
 * application-cross-reference [0] OCTET STRING, message-reference [1]
 * EDIMIdentifier OPTIONAL, body-part-reference [2] INTEGER } */
static int
dec_xrefs(struct dctx *x, const struct ber_tlv *t, struct p35_heading *h)
{
	static const char *const names[] = { "application-cross-reference",
	    "message-reference", "body-part-reference" };
	struct ber_tlv	 el, m;
	struct cur	 c = t->val, ec, o;
	struct p35_xref	*xr;
	uint32_t	 seen;
	size_t		 n, i;
	int		 e;

	if ((e = list(x, t, BER_UNIV, BER_SEQUENCE, 0, P35_MAX_LIST, &n,
	    "cross-referencing-information")) != BER_OK)
		return e;
	if ((h->xref = xdec_alloc_n(&x->xd, n, sizeof(*h->xref), t->off,
	    "cross-referencing-information")) == NULL)
		return x->d->err;
	for (i = 0; i < n; i++) {
		ber_read(x->d, &c, &el);	/* read once by list() */
		if ((e = ber_want_cons(x->d, &el, 1,
		    "cross-referencing-information")) != BER_OK)
			return e;
		xr = &h->xref[i];
		p35_edimid_init(&xr->msgref);
		ec = el.val;
		seen = 0;
		while (cur_len(&ec) > 0) {
			if ((e = member(x, &ec, &m, names, 3, 1, &seen,
			    "CrossReferencingInformationSubField")) != BER_OK)
				return e;
			if (m.tag == 0) {
				if ((e = ber_octets(x->d, &m, &x->s, &o)) !=
				    BER_OK)
					return ber_field(x->d, e, names[0]);
				if (cur_len(&o) > P35_MAX_RAW)
					return ber_fail(x->d, BER_ESIZE, m.off,
					    names[0]);
				if ((xr->app = keep(x, cur_data(&o),
				    cur_len(&o), m.off, names[0])) == NULL)
					return x->d->err;
				xr->applen = cur_len(&o);
			} else if (m.tag == 1) {
				if ((e = dec_edimid(x, &m, &xr->msgref,
				    names[1])) != BER_OK)
					return e;
				xr->has_msgref = 1;
			} else if ((e = xdec_int(&x->xd, &m, INT32_MIN,
			    INT32_MAX,
			    &xr->bodypart, names[2])) != BER_OK)
				return e;
		}
		if ((e = ber_need(x->d, seen, 0, el.off, names[0])) != BER_OK ||
		    (e = ber_need(x->d, seen, 2, el.off, names[2])) != BER_OK)
			return e;
		h->nxref++;
	}
	h->has_xref = 1;
	return BER_OK;
}

/* EDIMessageTypeField ::= SET OF TeletexString (SIZE (1..6)) */
static int
dec_msgtypes(struct dctx *x, const struct ber_tlv *t, struct p35_heading *h)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	size_t		 n, i;
	int		 e;

	if ((e = list(x, t, BER_UNIV, BER_TELETEX_STRING, 0,
	    P35_MAX_MSG_TYPES, &n, "edi-message-type")) != BER_OK)
		return e;
	for (i = 0; i < n; i++) {
		ber_read(x->d, &c, &m);		/* read once by list() */
		if ((e = get_teletex(x, &m, P35_UB_EDI_MESSAGE_TYPE,
		    h->msgtype[i], "edi-message-type")) != BER_OK)
			return e;
		h->nmsgtype++;
	}
	h->has_msgtypes = 1;
	return BER_OK;
}

 /* ServiceStringAdviceField ::= SEQUENCE { [0] .. [5] OCTET STRING
 * (SIZE (1)) } */
static int
dec_ssa(struct dctx *x, const struct ber_tlv *t, struct p35_ssa *s)
{
	static const char *const names[] = {
	    "component-data-element-separator", "data-element-separator",
	    "decimal-notation", "release-indicator", "reserved",
	    "segment-terminator" };
	uint8_t		*slot[6];
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	unsigned	 k;
	int		 e;

	slot[0] = &s->component_sep;
	slot[1] = &s->element_sep;
	slot[2] = &s->decimal;
	slot[3] = &s->release;
	slot[4] = &s->reserved;
	slot[5] = &s->segment_term;
	if ((e = ber_want_cons(x->d, t, 1, "service-string-advice")) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = member(x, &c, &m, names, 6, 1, &seen,
		    "ServiceStringAdviceField")) != BER_OK ||
		    (e = get_octet(x, &m, slot[m.tag], names[m.tag])) != BER_OK)
			return e;
	}
	for (k = 0; k < 6; k++)
		if (k != 3 && k != 4 &&
		    (e = ber_need(x->d, seen, k, t->off, names[k])) != BER_OK)
			return e;
	s->has_release = (seen & (1u << 3)) != 0;
	s->has_reserved = (seen & (1u << 4)) != 0;
	return BER_OK;
}

/* SyntaxIdentifierField ::= SEQUENCE { TeletexString, PrintableString } */
static int
dec_syntax(struct dctx *x, const struct ber_tlv *t, struct p35_heading *h)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, "syntax-identifier")) != BER_OK)
		return e;
	if ((e = ber_expect(x->d, &c, BER_UNIV, BER_TELETEX_STRING, -1,
	    &m)) != BER_OK) {
		if (e == BER_EUNEXP)
			return xdec_unknown(&x->xd, &m,
			    "SyntaxIdentifierField");
		return ber_field(x->d, e, "syntax-identifier");
	}
	if ((e = get_teletex(x, &m, P35_UB_SYNTAX_IDENTIFIER, h->syntax_id,
	    "syntax-identifier")) != BER_OK)
		return e;
	if ((e = ber_expect(x->d, &c, BER_UNIV, BER_PRINTABLE_STRING, -1,
	    &m)) != BER_OK) {
		if (e == BER_EUNEXP)
			return xdec_unknown(&x->xd, &m,
			    "SyntaxIdentifierField");
		return ber_field(x->d, e, "syntax-version");
	}
	if ((e = xdec_str(&x->xd, &m, BER_PRINTABLE_STRING, 1,
	    P35_UB_SYNTAX_VERSION, h->syntax_version, NULL,
	    "syntax-version")) !=
	    BER_OK)
		return e;
	if (cur_len(&c) != 0)
		return ber_fail(x->d, BER_ETRAIL, cur_offset(&c),
		    "syntax-identifier");
	h->has_syntax = 1;
	return BER_OK;
}

static const char *const heading_names[] = {
	NULL, "this-EDIM", "originator", "recipients", "edin-receiver",
	"responsibility-forwarded", "edi-bodypart-type", "incomplete-copy",
	"expiry-time", "related-messages", "obsoleted-EDIMs",
	"edi-application-security-elements", "cross-referencing-information",
	"edi-message-type", "service-string-advice", "syntax-identifier",
	"interchange-sender", "date-and-time-of-preparation",
	"application-reference", "heading-extensions"
};

/* Heading ::= SEQUENCE { this-EDIM [1] .. heading-extensions [19] } */
static int
dec_heading(struct dctx *x, const struct ber_tlv *t, struct p35_heading *h)
{
	const char *const *nm = heading_names;
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	while (cur_len(&c) > 0) {
		if ((e = member(x, &c, &m, nm, 20, 1, &seen, "Heading")) !=
		    BER_OK)
			return e;
		switch (m.tag) {
		case 1:
			e = dec_edimid(x, &m, &h->this_edim, nm[1]);
			break;
		case 2:
			e = ber_field(x->d, orname_decode(x->d, &m,
			    &h->originator), nm[2]);
			h->has_originator = 1;
			break;
		case 3:
			e = dec_rcpts(x, &m, h);
			break;
		case 4:
			e = raw_all(x, &m, P35_MAX_RAW, &h->edin_receiver,
			    nm[4]);
			break;
		case 5:
			e = xdec_bool(&x->xd, &m, &h->resp_forwarded, nm[5]);
			break;
		case 6:
			e = xdec_oid(&x->xd, &m, h->bodypart_type, P35_OID_MAX,
			    nm[6]);
			break;
		case 7:
			e = xdec_bool(&x->xd, &m, &h->incomplete_copy, nm[7]);
			break;
		case 8:
			e = xdec_time(&x->xd, &m, BER_UTC_TIME, &h->expiry,
			    nm[8]);
			h->has_expiry = 1;
			break;
		case 9:
			e = dec_related(x, &m, h);
			break;
		case 10:
			e = dec_obsoleted(x, &m, h);
			break;
		case 11:
			e = raw_all(x, &m, P35_MAX_RAW, &h->security, nm[11]);
			break;
		case 12:
			e = dec_xrefs(x, &m, h);
			break;
		case 13:
			e = dec_msgtypes(x, &m, h);
			break;
		case 14:
			e = dec_ssa(x, &m, &h->ssa);
			h->has_ssa = 1;
			break;
		case 15:
			e = dec_syntax(x, &m, h);
			break;
		case 16:
			e = dec_party(x, &m, &h->ichg_sender, 1);
			break;
		case 17:
			e = xdec_time(&x->xd, &m, BER_UTC_TIME, &h->prep,
			    nm[17]);
			h->has_prep = 1;
			break;
		case 18:
			e = get_teletex(x, &m, P35_UB_APPLICATION_REFERENCE,
			    h->appref, nm[18]);
			h->has_appref = 1;
			break;
		default:
			e = dec_exts(x, &m, &h->ext, nm[19]);
			break;
		}
		if (e != BER_OK)
			return e;
	}
	return ber_need(x->d, seen, 1, t->off, nm[1]);
}

/*
 * Body ::= SEQUENCE { primary-body-part CHOICE { edi-body-part [0]
 * OCTET STRING, forwarded-EDIM [1] EDIMBodyPart }, additional-body-parts
 * SEQUENCE OF EDIM-ExtendedBodyPart OPTIONAL }
 */
static int
dec_body(struct dctx *x, const struct ber_tlv *t, struct p35_body *b)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val, v;
	size_t		 n;
	int		 e;

	if (cur_len(&c) == 0)
		return ber_fail(x->d, BER_EMISSING, t->off,
		    "primary-body-part");
	if ((e = ber_field(x->d, ber_read(x->d, &c, &m), "primary-body-part")) !=
	    BER_OK)
		return e;
	if (ber_is(&m, BER_CTX, 0)) {
		b->kind = P35_BODY_EDI;
		if ((e = ber_octets(x->d, &m, &x->pdu->owned, &v)) != BER_OK)
			return ber_field(x->d, e, "edi-body-part");
		b->edi.p = cur_data(&v);
		b->edi.len = cur_len(&v);
	} else if (ber_is(&m, BER_CTX, 1)) {
		b->kind = P35_BODY_FORWARDED;
		if ((e = raw_all(x, &m, P35_MAX_BODY_RAW, &b->forwarded,
		    "forwarded-EDIM")) != BER_OK)
			return e;
		if (b->forwarded.len == 0)	/* data [1] is mandatory */
			return ber_fail(x->d, BER_EMISSING, m.off,
			    "forwarded-EDIM");
	} else
		return xdec_unknown(&x->xd, &m, "PrimaryBodyPart");
	if (cur_len(&c) > 0) {
		if ((e = ber_field(x->d, ber_read(x->d, &c, &m),
		    "additional-body-parts")) != BER_OK)
			return e;
		if (!ber_is(&m, BER_UNIV, BER_SEQUENCE))
			return xdec_unknown(&x->xd, &m, "Body");
		if ((e = list(x, &m, BER_UNIV, BER_SEQUENCE, 0, P35_MAX_LIST,
		    &n, "additional-body-parts")) != BER_OK ||
		    (e = raw_all(x, &m, P35_MAX_BODY_RAW, &b->additional,
		    "additional-body-parts")) != BER_OK)
			return e;
	}
	if (cur_len(&c) != 0)
		return ber_fail(x->d, BER_ETRAIL, cur_offset(&c), "Body");
	return BER_OK;
}

static const char *const common_names[] = {
	NULL, "subject-edim", "edin-originator", "first-recipient",
	"notification-time", "notification-security-elements",
	"edin-initiator", "notifications-extensions"
};

/* CommonFields ::= SEQUENCE */
static int
dec_common(struct dctx *x, const struct ber_tlv *t, struct p35_common *cf)
{
	const char *const *nm = common_names;
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int64_t		 v;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, "CommonFields")) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = member(x, &c, &m, nm, 8, 1, &seen, "CommonFields")) !=
		    BER_OK)
			return e;
		switch (m.tag) {
		case 1:
			e = dec_edimid(x, &m, &cf->subject, nm[1]);
			break;
		case 2:
			e = ber_field(x->d, orname_decode(x->d, &m,
			    &cf->originator), nm[2]);
			break;
		case 3:
			e = ber_field(x->d, orname_decode(x->d, &m, &cf->first),
			    nm[3]);
			cf->has_first = 1;
			break;
		case 4:
			e = xdec_time(&x->xd, &m, BER_UTC_TIME, &cf->time,
			    nm[4]);
			break;
		case 5:
			e = raw_all(x, &m, P35_MAX_BODY_RAW, &cf->security,
			    nm[5]);
			break;
		case 6:
			if ((e = xdec_int(&x->xd, &m, 0, 2, &v, nm[6])) ==
			    BER_OK)
				cf->initiator = (int)v;
			break;
		default:
			e = dec_exts(x, &m, &cf->ext, nm[7]);
			break;
		}
		if (e != BER_OK)
			return e;
	}
	if ((e = ber_need(x->d, seen, 1, t->off, nm[1])) != BER_OK ||
	    (e = ber_need(x->d, seen, 2, t->off, nm[2])) != BER_OK ||
	    (e = ber_need(x->d, seen, 4, t->off, nm[4])) != BER_OK ||
	    (e = ber_need(x->d, seen, 6, t->off, nm[6])) != BER_OK)
		return e;
	return BER_OK;
}

/*
 * NNReasonCodeField / FNReasonCodeField ::= CHOICE { ua-ms [0], user
 * [1], pdau [2] } of SEQUENCE { basic-code [0] INTEGER, diagnostic [1]
 * INTEGER OPTIONAL, (FN ua-ms only) security-check [2] BOOLEAN DEFAULT
 * FALSE }; t is the explicit tag around the CHOICE.
 */
static int
dec_reason(struct dctx *x, const struct ber_tlv *t, struct p35_reason *r,
    int fn)
{
	static const char *const names_by[2][3][3] = {
	    { { "nn-ua-ms-basic-code", "nn-ua-ms-diagnostic", NULL },
	      { "nn-user-basic-code", "nn-user-diagnostic", NULL },
	      { "nn-pdau-basic-code", "nn-pdau-diagnostic", NULL } },
	    { { "fn-ua-ms-basic-code", "fn-ua-ms-diagnostic",
		"fn-security-check" },
	      { "fn-user-basic-code", "fn-user-diagnostic", NULL },
	      { "fn-pdau-basic-code", "fn-pdau-diagnostic", NULL } } };
	const char	*field = fn ? "fn-reason-code" : "nn-reason-code";
	const char *const *names;
	struct ber_tlv	 in, m;
	struct cur	 c;
	uint32_t	 seen = 0;
	int		 e;

	if ((e = xdec_inner(&x->xd, t, &in, field)) != BER_OK)
		return e;
	if (in.cls != BER_CTX || in.tag > 2)
		return xdec_unknown(&x->xd, &in, field);
	if ((e = ber_want_cons(x->d, &in, 1, field)) != BER_OK)
		return e;
	r->source = (enum p35_rc_source)in.tag;
	names = names_by[fn != 0][in.tag];
	c = in.val;
	while (cur_len(&c) > 0) {
		if ((e = member(x, &c, &m, names, 3, 1, &seen, field)) !=
		    BER_OK)
			return e;
		if (m.tag == 0)
			e = xdec_int(&x->xd, &m, 0, P35_UB_REASON_CODE,
			    &r->basic,
			    names[0]);
		else if (m.tag == 1) {
			e = xdec_int(&x->xd, &m, 1, P35_UB_REASON_CODE,
			    &r->diag,
			    names[1]);
			r->has_diag = 1;
		} else
			e = xdec_bool(&x->xd, &m, &r->security_check, names[2]);
		if (e != BER_OK)
			return e;
	}
	return ber_need(x->d, seen, 0, in.off, names[0]);
}

/*
 * PositiveNotificationFields ::= SEQUENCE { [0] CommonFields, [1]
 * supplementary OPTIONAL, [2] extensions OPTIONAL };
 * NegativeNotificationFields ::= SEQUENCE { [0] CommonFields, [1]
 * NNReasonCodeField, [2] supplementary, [3] extensions };
 * ForwardedNotificationFields ::= SEQUENCE { [0] CommonFields, [1]
 * ForwardedTo ORName, [2] FNReasonCodeField, [3] supplementary, [4]
 * extensions }.
 */
static int
dec_edin(struct dctx *x, const struct ber_tlv *t, struct p35_edin *en)
{
	static const char *const pn[] = { "pn-common-fields",
	    "pn-supplementary-information", "pn-extensions" };
	static const char *const nn[] = { "nn-common-fields",
	    "nn-reason-code", "nn-supplementary-information",
	    "nn-extensions" };
	static const char *const fn[] = { "fn-common-fields", "forwarded-to",
	    "fn-reason-code", "fn-supplementary-information",
	    "fn-extensions" };
	static const char *const where[] = { "PositiveNotificationFields",
	    "NegativeNotificationFields", "ForwardedNotificationFields" };
	const char *const *nm;
	struct ber_tlv	 m;
	struct cur	 c;
	uint32_t	 seen = 0;
	unsigned	 nnames, k, suppl;
	int		 e;

	if (t->cls != BER_CTX || t->tag > 2)
		return xdec_unknown(&x->xd, t, "EDIN");
	if ((e = ber_want_cons(x->d, t, 1, "EDIN")) != BER_OK)
		return e;
	en->kind = (enum p35_edin_kind)t->tag;
	nm = en->kind == P35_PN ? pn : en->kind == P35_NN ? nn : fn;
	nnames = en->kind == P35_PN ? 3 : en->kind == P35_NN ? 4 : 5;
	suppl = nnames - 2;
	c = t->val;
	while (cur_len(&c) > 0) {
		if ((e = member(x, &c, &m, nm, nnames, 1, &seen,
		    where[en->kind])) != BER_OK)
			return e;
		k = m.tag;
		if (k == 0)
			e = dec_common(x, &m, &en->common);
		else if (k == suppl) {
			e = get_teletex(x, &m, P35_UB_SUPPL_INFO, en->suppl,
			    nm[k]);
			en->has_suppl = 1;
		} else if (k == suppl + 1)
			e = dec_exts(x, &m, &en->ext, nm[k]);
		else if (en->kind == P35_FN && k == 1)
			e = ber_field(x->d, orname_decode(x->d, &m,
			    &en->forwarded_to), nm[1]);
		else
			e = dec_reason(x, &m, &en->reason, en->kind == P35_FN);
		if (e != BER_OK)
			return e;
	}
	for (k = 0; k < suppl; k++)
		if ((e = ber_need(x->d, seen, k, t->off, nm[k])) != BER_OK)
			return e;
	return BER_OK;
}

/* A decoding context; the options are the caller's, or the defaults. */
static void
dctx_init(struct dctx *x, struct ber_dec *d, const struct p35_opts *o,
    struct p35_pdu *pdu)
{
	if (o == NULL) {
		p35_opts_init(&x->defaults);
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
p35_decode(struct ber_dec *d, const struct p35_opts *opts, const void *p,
    size_t n, struct p35_pdu *pdu)
{
	struct dctx	 x;
	struct ber_tlv	 t, m;
	struct cur	 c;
	int		 e;

	dctx_init(&x, d, opts, pdu);
	if ((e = ber_read_one(d, p, n, &t)) != BER_OK) {
		e = ber_field(d, e, "InformationObject");
		goto done;
	}
	if (t.cls != BER_CTX || t.tag > 1) {
		e = xdec_unknown(&x.xd, &t, "InformationObject");
		goto done;
	}
	if ((e = ber_want_cons(x.d, &t, 1, "InformationObject")) != BER_OK)
		goto done;
	c = t.val;
	if (t.tag == 0) {
		/* EDIM ::= SEQUENCE { heading Heading, body Body } */
		pdu->kind = P35_EDIM;
		if ((e = ber_expect(d, &c, BER_UNIV, BER_SEQUENCE, 1, &m)) !=
		    BER_OK) {
			e = e == BER_EUNEXP ? xdec_unknown(&x.xd, &m, "EDIM") :
			    ber_field(d, e, "heading");
			goto done;
		}
		if ((e = dec_heading(&x, &m, &pdu->h)) != BER_OK)
			goto done;
		if ((e = ber_expect(d, &c, BER_UNIV, BER_SEQUENCE, 1, &m)) !=
		    BER_OK) {
			e = e == BER_EUNEXP ? xdec_unknown(&x.xd, &m, "EDIM") :
			    ber_field(d, e, "body");
			goto done;
		}
		if ((e = dec_body(&x, &m, &pdu->body)) != BER_OK)
			goto done;
		if (cur_len(&c) != 0)
			e = ber_fail(d, BER_ETRAIL, cur_offset(&c), "EDIM");
	} else {
		/* edin [1] EXPLICIT EDIN (a CHOICE) */
		pdu->kind = P35_EDIN;
		if ((e = xdec_inner(&x.xd, &t, &m, "EDIN")) == BER_OK)
			e = dec_edin(&x, &m, &pdu->edin);
	}
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
enc_ttx(struct berw *w, uint32_t tag, const char *s, size_t hi,
    const char *field)
{
	enc_str(w, BER_CTX, tag, BER_TELETEX_STRING, s, 1, hi, field);
}

static void
enc_raw(struct berw *w, uint32_t tag, const struct p35_raw *r,
    const char *field)
{
	if (!r->present)
		return;
	berw_open(w, BER_CTX, tag);
	if (r->len > 0)
		berw_raw(w, r->p, r->len);
	berw_close(w);
	berw_field(w, field);
}

static void
enc_orname(struct berw *w, uint32_t tag, const struct orname *or,
    const char *field)
{
	orname_encode_tagged(w, BER_CTX, tag, or);
	berw_field(w, field);
}

static void
enc_edimid(struct berw *w, uint8_t cls, uint32_t tag,
    const struct p35_edimid *id, const char *field)
{
	berw_open(w, cls, tag);
	enc_orname(w, 0, &id->user, "user");
	enc_str(w, BER_CTX, 1, BER_PRINTABLE_STRING, id->local, 0,
	    P35_UB_LOCAL_REFERENCE, "user-relative-identifier");
	berw_close(w);
	berw_field(w, field);
}

static void
enc_party(struct berw *w, uint32_t tag, const struct p35_party *p, int sender)
{
	if (!p->present)
		return;
	berw_open(w, BER_CTX, tag);
	enc_ttx(w, 0, p->id, P35_UB_IDENTIFICATION_CODE, sender ?
	    "sender-identification" : "recipient-identification");
	if (p->has_qual)
		enc_ttx(w, 1, p->qual, P35_UB_ID_CODE_QUALIFIER,
		    "identification-code-qualifier");
	if (p->has_route)
		enc_ttx(w, 2, p->route, P35_UB_ROUTING_ADDRESS, sender ?
		    "address-for-reverse-routing" : "routing-address");
	berw_close(w);
}

static void
enc_rcpt(struct berw *w, const struct p35_rcpt *r)
{
	berw_open(w, BER_UNIV, BER_SEQUENCE);
	enc_orname(w, 1, &r->name, "recipient");
	if (r->action[0] != '\0' && strcmp(r->action, P35_FOR_ACTION) != 0)
		berw_oid(w, BER_CTX, 2, r->action);
	berw_field(w, "action-request");
	if (r->has_notif) {
		berw_open(w, BER_CTX, 3);
		if (r->notif != 0)		/* DEFAULT {} */
			berw_bits(w, BER_CTX, 0, r->notif, 0);
		if (r->notif_sec != 0)
			berw_bits(w, BER_CTX, 1, r->notif_sec, 0);
		if (r->recep_sec != 0)
			berw_bits(w, BER_CTX, 2, r->recep_sec, 0);
		berw_close(w);
		berw_field(w, "edi-notification-requests-field");
	}
	if (r->resp_passing)
		berw_bool(w, BER_CTX, 4, 1);
	enc_party(w, 5, &r->ichg_rcpt, 0);
	if (r->has_rref) {
		berw_open(w, BER_CTX, 6);
		enc_ttx(w, 0, r->rref, P35_UB_RECIPIENT_REFERENCE,
		    "recipient-reference");
		if (r->has_rref_qual)
			enc_ttx(w, 1, r->rref_qual,
			    P35_UB_RECIPIENT_REF_QUALIFIER,
			    "recipient-reference-qualifier");
		berw_close(w);
	}
	if (r->has_icr)
		enc_ttx(w, 7, r->icr, P35_UB_ICHG_CONTROL_REFERENCE,
		    "interchange-control-reference");
	if (r->has_prio)
		enc_ttx(w, 8, r->prio, P35_UB_PROCESSING_PRIORITY,
		    "processing-priority-code");
	if (r->ack_request)
		berw_bool(w, BER_CTX, 9, 1);
	if (r->has_agreement)
		enc_ttx(w, 10, r->agreement, P35_UB_COMM_AGREEMENT_ID,
		    "communications-agreement-id");
	if (r->test)
		berw_bool(w, BER_CTX, 11, 1);
	if (r->has_auth) {
		berw_open(w, BER_CTX, 12);
		enc_ttx(w, 0, r->auth, P35_UB_AUTHORIZATION_INFO,
		    "authorization-information");
		if (r->has_auth_qual)
			enc_ttx(w, 1, r->auth_qual,
			    P35_UB_AUTHORIZATION_QUALIFIER,
			    "authorization-information-qualifier");
		berw_close(w);
	}
	enc_raw(w, 13, &r->ext, "recipient-extensions");
	berw_close(w);
}

/* related-messages [9] */
static void
enc_related(struct berw *w, const struct p35_heading *h)
{
	size_t	 i;

	if (h->nrelated > P35_MAX_LIST)
		berw_fail(w, BER_ESIZE, "related-messages");
	berw_open(w, BER_CTX, 9);
	for (i = 0; i < h->nrelated && i < P35_MAX_LIST; i++) {
		if (h->related[i].external)
			berw_oid(w, BER_CTX, 1, h->related[i].oid);
		else
			enc_edimid(w, BER_CTX, 0, &h->related[i].id,
			    "edi-message-reference");
	}
	berw_close(w);
	berw_field(w, "related-messages");
}

/* cross-referencing-information [12] */
static void
enc_xrefs(struct berw *w, const struct p35_heading *h)
{
	const struct p35_xref *xr;
	size_t	 i;

	berw_open(w, BER_CTX, 12);
	for (i = 0; i < h->nxref; i++) {
		xr = &h->xref[i];
		berw_open(w, BER_UNIV, BER_SEQUENCE);
		berw_prim(w, BER_CTX, 0, xr->app, xr->applen);
		if (xr->has_msgref)
			enc_edimid(w, BER_CTX, 1, &xr->msgref,
			    "message-reference");
		berw_int(w, BER_CTX, 2, xr->bodypart);
		berw_close(w);
	}
	berw_close(w);
	berw_field(w, "cross-referencing-information");
}

/* service-string-advice [14] */
static void
enc_ssa(struct berw *w, const struct p35_heading *h)
{
	berw_open(w, BER_CTX, 14);
	berw_prim(w, BER_CTX, 0, &h->ssa.component_sep, 1);
	berw_prim(w, BER_CTX, 1, &h->ssa.element_sep, 1);
	berw_prim(w, BER_CTX, 2, &h->ssa.decimal, 1);
	if (h->ssa.has_release)
		berw_prim(w, BER_CTX, 3, &h->ssa.release, 1);
	if (h->ssa.has_reserved)
		berw_prim(w, BER_CTX, 4, &h->ssa.reserved, 1);
	berw_prim(w, BER_CTX, 5, &h->ssa.segment_term, 1);
	berw_close(w);
	berw_field(w, "service-string-advice");
}

/* syntax-identifier [15] */
static void
enc_syntax(struct berw *w, const struct p35_heading *h)
{
	berw_open(w, BER_CTX, 15);
	enc_str(w, BER_UNIV, BER_TELETEX_STRING, BER_TELETEX_STRING,
	    h->syntax_id, 1, P35_UB_SYNTAX_IDENTIFIER,
	    "syntax-identifier");
	enc_str(w, BER_UNIV, BER_PRINTABLE_STRING,
	    BER_PRINTABLE_STRING, h->syntax_version, 1,
	    P35_UB_SYNTAX_VERSION, "syntax-version");
	berw_close(w);
}

static void
enc_heading(struct berw *w, const struct p35_heading *h)
{
	size_t	 i;

	berw_open(w, BER_UNIV, BER_SEQUENCE);
	enc_edimid(w, BER_CTX, 1, &h->this_edim, "this-EDIM");
	if (h->has_originator)
		enc_orname(w, 2, &h->originator, "originator");
	if (h->has_rcpts) {
		if (h->nrcpt > P35_UB_RECIPIENTS)
			berw_fail(w, BER_ESIZE, "recipients");
		berw_open(w, BER_CTX, 3);
		for (i = 0; i < h->nrcpt; i++)
			enc_rcpt(w, &h->rcpt[i]);
		berw_close(w);
		berw_field(w, "recipients");
	}
	enc_raw(w, 4, &h->edin_receiver, "edin-receiver");
	if (h->resp_forwarded)
		berw_bool(w, BER_CTX, 5, 1);
	if (h->bodypart_type[0] != '\0' &&
	    strcmp(h->bodypart_type, P35_BP_EDIFACT_ISO646) != 0)
		berw_oid(w, BER_CTX, 6, h->bodypart_type);
	berw_field(w, "edi-bodypart-type");
	if (h->incomplete_copy)
		berw_bool(w, BER_CTX, 7, 1);
	if (h->has_expiry)
		berw_time(w, BER_CTX, 8, BER_UTC_TIME, h->expiry);
	berw_field(w, "expiry-time");
	if (h->has_related)
		enc_related(w, h);
	if (h->has_obsoleted) {
		berw_open(w, BER_CTX, 10);
		for (i = 0; i < h->nobsoleted; i++)
			enc_edimid(w, BER_UNIV, BER_SET, &h->obsoleted[i],
			    "obsoleted-EDIMs");
		berw_close(w);
	}
	enc_raw(w, 11, &h->security, "edi-application-security-elements");
	if (h->has_xref)
		enc_xrefs(w, h);
	if (h->has_msgtypes) {
		if (h->nmsgtype > P35_MAX_MSG_TYPES)
			berw_fail(w, BER_ESIZE, "edi-message-type");
		berw_open(w, BER_CTX, 13);
		for (i = 0; i < h->nmsgtype && i < P35_MAX_MSG_TYPES; i++)
			enc_str(w, BER_UNIV, BER_TELETEX_STRING,
			    BER_TELETEX_STRING, h->msgtype[i], 1,
			    P35_UB_EDI_MESSAGE_TYPE, "edi-message-type");
		berw_close(w);
	}
	if (h->has_ssa)
		enc_ssa(w, h);
	if (h->has_syntax)
		enc_syntax(w, h);
	enc_party(w, 16, &h->ichg_sender, 1);
	if (h->has_prep)
		berw_time(w, BER_CTX, 17, BER_UTC_TIME, h->prep);
	berw_field(w, "date-and-time-of-preparation");
	if (h->has_appref)
		enc_ttx(w, 18, h->appref, P35_UB_APPLICATION_REFERENCE,
		    "application-reference");
	enc_raw(w, 19, &h->ext, "heading-extensions");
	berw_close(w);
}

static void
enc_body(struct berw *w, const struct p35_body *b)
{
	berw_open(w, BER_UNIV, BER_SEQUENCE);
	if (b->kind == P35_BODY_EDI) {
		berw_prim_data(w, BER_CTX, 0, &b->edi);
		berw_field(w, "edi-body-part");
	} else if (b->kind == P35_BODY_FORWARDED && b->forwarded.present)
		enc_raw(w, 1, &b->forwarded, "forwarded-EDIM");
	else
		berw_fail(w, BER_EVALUE, "primary-body-part");
	if (b->additional.present) {
		berw_open(w, BER_UNIV, BER_SEQUENCE);
		if (b->additional.len > 0)
			berw_raw(w, b->additional.p, b->additional.len);
		berw_close(w);
		berw_field(w, "additional-body-parts");
	}
	berw_close(w);
}

static void
enc_common(struct berw *w, const struct p35_common *cf)
{
	berw_open(w, BER_CTX, 0);
	enc_edimid(w, BER_CTX, 1, &cf->subject, "subject-edim");
	enc_orname(w, 2, &cf->originator, "edin-originator");
	if (cf->has_first)
		enc_orname(w, 3, &cf->first, "first-recipient");
	berw_time(w, BER_CTX, 4, BER_UTC_TIME, cf->time);
	berw_field(w, "notification-time");
	enc_raw(w, 5, &cf->security, "notification-security-elements");
	if (cf->initiator < 0 || cf->initiator > 2)
		berw_fail(w, BER_EVALUE, "edin-initiator");
	berw_int(w, BER_CTX, 6, cf->initiator);
	enc_raw(w, 7, &cf->ext, "notifications-extensions");
	berw_close(w);
}

static void
enc_reason(struct berw *w, uint32_t tag, const struct p35_reason *r, int fn)
{
	const char	*field = fn ? "fn-reason-code" : "nn-reason-code";

	if ((int)r->source < 0 || (int)r->source > P35_RC_PDAU)
		berw_fail(w, BER_EVALUE, field);
	if (r->basic < 0 || r->basic > P35_UB_REASON_CODE ||
	    (r->has_diag && (r->diag < 1 || r->diag > P35_UB_REASON_CODE)))
		berw_fail(w, BER_EVALUE, field);
	berw_open(w, BER_CTX, tag);
	berw_open(w, BER_CTX, (uint32_t)r->source);
	berw_int(w, BER_CTX, 0, r->basic);
	if (r->has_diag)
		berw_int(w, BER_CTX, 1, r->diag);
	if (fn && r->source == P35_RC_UA_MS && r->security_check)
		berw_bool(w, BER_CTX, 2, 1);
	berw_close(w);
	berw_close(w);
	berw_field(w, field);
}

static void
enc_edin(struct berw *w, const struct p35_edin *en)
{
	static const char *const sname[] = { "pn-supplementary-information",
	    "nn-supplementary-information", "fn-supplementary-information" };
	static const char *const xname[] = { "pn-extensions",
	    "nn-extensions", "fn-extensions" };
	unsigned	 suppl;

	if ((int)en->kind < 0 || (int)en->kind > P35_FN) {
		berw_fail(w, BER_EVALUE, "EDIN");
		return;
	}
	suppl = en->kind == P35_PN ? 1 : en->kind == P35_NN ? 2 : 3;
	berw_open(w, BER_CTX, (uint32_t)en->kind);
	enc_common(w, &en->common);
	if (en->kind == P35_NN)
		enc_reason(w, 1, &en->reason, 0);
	else if (en->kind == P35_FN) {
		enc_orname(w, 1, &en->forwarded_to, "forwarded-to");
		enc_reason(w, 2, &en->reason, 1);
	}
	if (en->has_suppl)
		enc_ttx(w, suppl, en->suppl, P35_UB_SUPPL_INFO,
		    sname[en->kind]);
	enc_raw(w, suppl + 1, &en->ext, xname[en->kind]);
	berw_close(w);
}

int
p35_encode(struct berw *w, const struct p35_pdu *pdu)
{
	switch (pdu->kind) {
	case P35_EDIM:
		berw_open(w, BER_CTX, 0);
		enc_heading(w, &pdu->h);
		enc_body(w, &pdu->body);
		berw_close(w);
		break;
	case P35_EDIN:
		berw_open(w, BER_CTX, 1);
		enc_edin(w, &pdu->edin);
		berw_close(w);
		break;
	default:
		return berw_fail(w, BER_EVALUE, "InformationObject");
	}
	return berw_field(w, "InformationObject");
}
