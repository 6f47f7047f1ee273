/*
 * NAME
 *	p22 - X.420 InformationObject (P22 / P2 content): model and BER codec
 * SYNOPSIS
 *	#include "x400/p22.h"
 * DESCRIPTION
 *	Decoder and encoder of the InformationObject of X.420 (06/1999),
 *	module IPMSInformationObjects, with the extended body parts of
 *	IPMSExtendedBodyPartTypes2 (general text) and
 *	IPMSFileTransferBodyPartType (file transfer, with the FTAM types it
 *	imports from ISO 8571-2). IMPLICIT TAGS: a tag replaces the inner
 *	one except around a CHOICE or an open type, where it wraps it:
 *	subject [8] (EXPLICIT in the ASN.1), the IPN choice [0],
 *	contents-type [1], application-reference [0], the FTAM
 *	Date-and-Time and Object-Size attributes, the value [0] of an
 *	INSTANCE OF TYPE-IDENTIFIER. See p22.h for the model.
 *
 *	Each SET is read with one loop over its elements: the (class, tag)
 *	pair selects the member, a bit mask finds duplicates, and the
 *	mandatory members are checked after the loop. The encoder writes
 *	the members in the order of the ASN.1 and leaves out members equal
 *	to their DEFAULT (and empty optional lists).
 *
 *	An extended body part is INSTANCE OF TYPE-IDENTIFIER twice:
 *	parameters [0] { type-id OID, value [0] EXPLICIT } and data
 *	EXTERNAL { type-id OID, value [0] EXPLICIT } (X.680 annex C: an
 *	INSTANCE OF has the tag of EXTERNAL).
 * DIAGNOSTICS
 *	BER_OK or a BER_E* code, recorded with offset and field in the
 *	struct ber_dec (decoding) or struct berw (encoding).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x400/p22.h"
#include "x400/xdec.h"

struct dctx {
	struct ber_dec	*d;
	struct p22_content *root;	/* error texts live here */
	struct p22_content *dst;	/* allocations go here */
	const struct p22_opts *o;	/* the caller's, or defaults */
	struct p22_opts	 defaults;
	struct buf	*s;		/* scratch for strings */
	unsigned	 nest;
	struct xdec	 xd;
};

/* Not an error: a valid element that the model does not cover. */
#define FALLBACK	(-1)

void
p22_opts_init(struct p22_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_body_parts = P22_MAX_BODY_PARTS_DEFAULT;
	o->max_recipients = P22_MAX_RECIPIENTS_DEFAULT;
	o->max_nest = P22_MAX_NEST_DEFAULT;
}

void
p22_ordesc_init(struct p22_ordesc *o)
{
	memset(o, 0, sizeof(*o));
	orname_init(&o->formal);
}

void
p22_heading_init(struct p22_heading *h)
{
	memset(h, 0, sizeof(*h));
	orname_init(&h->this_ipm.user);
	p22_ordesc_init(&h->originator);
	orname_init(&h->replied.user);
	h->importance = P22_IMP_NORMAL;
}

void
p22_bodypart_init(struct p22_bodypart *bp, enum p22_bptype type)
{
	memset(bp, 0, sizeof(*bp));
	bp->type = type;
	bp->data.fd = -1;
	bp->repertoire = P22_REP_IA5;
}

void
p22_ftbp_init(struct p22_ftbp *f)
{
	memset(f, 0, sizeof(*f));
}

/* An FTBP carrying a CMS object (ContentInfo, DER) as its data. */
void
p22_ftbp_set_cms(struct p22_ftbp *f)
{
	strcpy(f->doctype, P22_OID_CMS);
	f->has_env = 1;
	f->appref = 1;
	strcpy(f->appref_oid, P22_OID_CMS);
	strcpy(f->data_oid, P22_OID_CMS);
	f->is_cms = 1;
}

void
p22_init(struct p22_content *c)
{
	memset(c, 0, sizeof(*c));
	c->kind = P22_NONE;
	p22_heading_init(&c->h);
	orname_init(&c->ipn.subject.user);
	p22_ordesc_init(&c->ipn.originator);
	p22_ordesc_init(&c->ipn.intended);
}

void
p22_free(struct p22_content *c)
{
	arena_free(&c->arena);
	p22_init(c);
}

void *
p22_alloc(struct p22_content *c, size_t n)
{
	return arena_alloc(&c->arena, n);
}

const char *
p22_bptype_name(enum p22_bptype t)
{
	switch (t) {
	case P22_BP_IA5:
		return "ia5-text";
	case P22_BP_BILATERAL:
		return "bilaterally-defined";
	case P22_BP_GENERAL_TEXT:
		return "general-text";
	case P22_BP_FTBP:
		return "file-transfer";
	case P22_BP_MESSAGE:
		return "message";
	default:
		return "other";
	}
}

int
p22_needs_1988(const struct p22_content *c)
{
	size_t	 i;

	if (c->kind != P22_IPM)
		return 0;
	for (i = 0; i < c->nbp; i++)
		if (c->bp[i].type == P22_BP_GENERAL_TEXT ||
		    c->bp[i].type == P22_BP_FTBP ||
		    (c->bp[i].type == P22_BP_OTHER && c->bp[i].raw.len > 0 &&
		    c->bp[i].raw.p[0] == (BER_CTX | 0x20 | 15)))
			return 1;
	return 0;
}

/*
 * Decoder helpers (the shared ones are in xdec.h)
 */

static int
want(struct dctx *x, const struct ber_tlv *t, uint8_t cls, uint32_t tag,
    int cons, const char *where)
{
	if (!ber_is(t, cls, tag))
		return xdec_unknown(&x->xd, t, where);
	return ber_want_cons(x->d, t, cons, where);
}

static int
next(struct dctx *x, struct cur *c, struct ber_tlv *t, const char *field)
{
	if (cur_len(c) == 0)
		return ber_fail(x->d, BER_EMISSING, cur_offset(c), field);
	return ber_field(x->d, ber_read(x->d, c, t), field);
}

static int
done(struct dctx *x, const struct cur *c, const char *field)
{
	if (cur_len(c) != 0)
		return ber_fail(x->d, BER_ETRAIL, cur_offset(c), field);
	return BER_OK;
}

/* An extensions field [n] SET OF ExtensionField: its contents kept as read. */
static int
get_exts(struct dctx *x, const struct ber_tlv *t, struct p22_raw *out,
    const char *field)
{
	int	 e;

	if ((e = ber_want_cons(x->d, t, 1, field)) != BER_OK)
		return e;
	return xdec_norm(&x->xd, t->val, 0, P22_MAX_RAW, t->off, &out->p,
	    &out->len, field);
}

/* An untagged OBJECT IDENTIFIER (xdec_oid() leaves the tag to us). */
static int
get_oid(struct dctx *x, const struct ber_tlv *t, char *out,
    const char *field)
{
	if (!ber_is(t, BER_UNIV, BER_OID))
		return xdec_unknown(&x->xd, t, field);
	return xdec_oid(&x->xd, t, out, P22_OID_MAX, field);
}

/* String data: a view of the input, reassembled only when constructed. */
static int
get_data(struct dctx *x, const struct ber_tlv *t, int chars,
    struct ber_data *out, const char *field)
{
	struct cur	 v;
	uint8_t		*p;
	int		 e;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	if ((e = ber_octets(x->d, t, x->s, &v)) != BER_OK)
		return ber_field(x->d, e, field);
	if (chars != 0 && !ber_chars_ok(chars, cur_data(&v), cur_len(&v)))
		return ber_fail(x->d, BER_ECHARS, t->off, field);
	if (t->cons) {
		if ((p = p22_alloc(x->dst, cur_len(&v))) == NULL)
			return ber_fail(x->d, BER_ENOMEM, t->off, field);
		memcpy(p, cur_data(&v), cur_len(&v));
		out->p = p;
	} else
		out->p = cur_data(&v);
	out->len = cur_len(&v);
	return BER_OK;
}

/* SEQUENCE OF GraphicString */
static int
dec_strlist(struct dctx *x, const struct ber_tlv *t, struct p22_strlist *l,
    const char *field)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	int		 e;

	memset(l, 0, sizeof(*l));
	if ((e = ber_want_cons(x->d, t, 1, field)) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = next(x, &c, &m, field)) != BER_OK)
			return e;
		if (!ber_is(&m, BER_UNIV, BER_GRAPHIC_STRING))
			return xdec_unknown(&x->xd, &m, field);
		if (l->n == P22_MAX_PARTS)
			return ber_fail(x->d, BER_ESIZE, m.off, field);
		if ((e = xdec_str(&x->xd, &m, BER_GRAPHIC_STRING, 0,
		    P22_UB_PART,
		    l->v[l->n], &l->len[l->n], field)) != BER_OK)
			return e;
		l->n++;
	}
	return BER_OK;
}

/* ORDescriptor ::= SET (under any implicit tag) */
static int
dec_ordesc(struct dctx *x, const struct ber_tlv *t, struct p22_ordesc *o,
    const char *field)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	p22_ordesc_init(o);
	if ((e = ber_want_cons(x->d, t, 1, field)) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = next(x, &c, &m, field)) != BER_OK)
			return e;
		if (ber_is(&m, BER_APP, 0)) {
			if ((e = ber_once(x->d, &seen, 0, &m, "formal-name")) ||
			    (e = ber_field(x->d, orname_decode(x->d, &m,
			    &o->formal), "formal-name")))
				return e;
			o->has_formal = 1;
		} else if (ber_is(&m, BER_CTX, 0)) {
			if ((e = ber_once(x->d, &seen, 1, &m, "free-form-name")) ||
			    (e = xdec_str(&x->xd, &m, BER_TELETEX_STRING, 0,
			    P22_UB_FREE_FORM_NAME, o->ffn, &o->ffnlen,
			    "free-form-name")))
				return e;
			o->has_ffn = 1;
		} else if (ber_is(&m, BER_CTX, 1)) {
			if ((e = ber_once(x->d, &seen, 2, &m, "telephone-number")) ||
			    (e = xdec_str(&x->xd, &m, BER_PRINTABLE_STRING, 0,
			    P22_UB_TELEPHONE, o->tel, NULL,
			    "telephone-number")))
				return e;
			o->has_tel = 1;
		} else
			return xdec_unknown(&x->xd, &m, "ORDescriptor");
	}
	return BER_OK;
}

/* IPMIdentifier ::= [APPLICATION 11] SET (or another implicit tag) */
static int
dec_ipmid(struct dctx *x, const struct ber_tlv *t, struct p22_ipmid *id,
    const char *field)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	memset(id, 0, sizeof(*id));
	if ((e = ber_want_cons(x->d, t, 1, field)) != BER_OK)
		return e;
	while (cur_len(&c) > 0) {
		if ((e = next(x, &c, &m, field)) != BER_OK)
			return e;
		if (ber_is(&m, BER_APP, 0)) {
			if ((e = ber_once(x->d, &seen, 0, &m, "user")) ||
			    (e = ber_field(x->d, orname_decode(x->d, &m,
			    &id->user), "user")))
				return e;
			id->has_user = 1;
		} else if (ber_is(&m, BER_UNIV, BER_PRINTABLE_STRING)) {
			if ((e = ber_once(x->d, &seen, 1, &m,
			    "user-relative-identifier")) ||
			    (e = xdec_str(&x->xd, &m, BER_PRINTABLE_STRING, 0,
			    P22_UB_LOCAL_ID, id->local, NULL,
			    "user-relative-identifier")))
				return e;
		} else
			return xdec_unknown(&x->xd, &m, "IPMIdentifier");
	}
	return ber_need(x->d, seen, 1, t->off, "user-relative-identifier");
}

/* RecipientSpecifier ::= SET */
static int
dec_rcpt(struct dctx *x, const struct ber_tlv *t, struct p22_rcpt *r)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	unsigned	 nbits;
	int		 e;

	memset(r, 0, sizeof(*r));
	p22_ordesc_init(&r->r);
	if ((e = want(x, t, BER_UNIV, BER_SET, 1, "RecipientSpecifier")))
		return e;
	while (cur_len(&c) > 0) {
		if ((e = next(x, &c, &m, "RecipientSpecifier")) != BER_OK)
			return e;
		if (ber_is(&m, BER_CTX, 0)) {
			if ((e = ber_once(x->d, &seen, 0, &m, "recipient")) ||
			    (e = dec_ordesc(x, &m, &r->r, "recipient")))
				return e;
		} else if (ber_is(&m, BER_CTX, 1)) {
			if ((e = ber_once(x->d, &seen, 1, &m,
			    "notification-requests")) ||
			    (e = ber_field(x->d, ber_get_bits(x->d, &m, &r->nreq,
			    &nbits), "notification-requests")))
				return e;
		} else if (ber_is(&m, BER_CTX, 2)) {
			if ((e = ber_once(x->d, &seen, 2, &m, "reply-requested")) ||
			    (e = xdec_bool(&x->xd, &m, &r->reply,
			    "reply-requested")))
				return e;
		} else if (ber_is(&m, BER_CTX, 3)) {
			if ((e = ber_once(x->d, &seen, 3, &m,
			    "recipient-extensions")) ||
			    (e = get_exts(x, &m, &r->ext, "recipient-extensions")))
				return e;
		} else
			return xdec_unknown(&x->xd, &m, "RecipientSpecifier");
	}
	return ber_need(x->d, seen, 0, t->off, "recipient");
}

static int
dec_rcpts(struct dctx *x, const struct ber_tlv *t, struct p22_rcpts *l,
    const char *field)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	size_t		 n, i;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, field)) ||
	    (e = xdec_count(&x->xd, c, 0, x->o->max_recipients, 0, &n, field)))
		return e;
	l->n = 0;
	if (n == 0)
		return BER_OK;
	if ((l->v = xdec_alloc_n(&x->xd, n, sizeof(*l->v), t->off, field)) ==
	    NULL)
		return x->d->err;
	for (i = 0; i < n; i++) {
		if ((e = next(x, &c, &m, field)) ||
		    (e = dec_rcpt(x, &m, &l->v[i])))
			return e;
		l->n++;
	}
	return BER_OK;
}

/* SEQUENCE OF ORDescriptor (authorizing-users, reply-recipients) */
static int
dec_ordescs(struct dctx *x, const struct ber_tlv *t, struct p22_ordesc **v,
    size_t *nv, int formal, const char *field)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	size_t		 n, i;
	int		 e;

	*nv = 0;
	if ((e = ber_want_cons(x->d, t, 1, field)) ||
	    (e = xdec_count(&x->xd, c, 0, x->o->max_recipients, 0, &n, field)))
		return e;
	if (n == 0)
		return BER_OK;
	if ((*v = xdec_alloc_n(&x->xd, n, sizeof(**v), t->off, field)) == NULL)
		return x->d->err;
	for (i = 0; i < n; i++) {
		if ((e = next(x, &c, &m, field)) ||
		    (e = want(x, &m, BER_UNIV, BER_SET, 1, field)) ||
		    (e = dec_ordesc(x, &m, &(*v)[i], field)))
			return e;
		if (formal && !(*v)[i].has_formal)
			return ber_fail(x->d, BER_EMISSING, m.off,
			    "formal-name");
		(*nv)++;
	}
	return BER_OK;
}

/* SEQUENCE OF IPMIdentifier (obsoleted-IPMs, related-IPMs) */
static int
dec_ipmids(struct dctx *x, const struct ber_tlv *t, struct p22_ipmid **v,
    size_t *nv, const char *field)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	size_t		 n, i;
	int		 e;

	*nv = 0;
	if ((e = ber_want_cons(x->d, t, 1, field)) ||
	    (e = xdec_count(&x->xd, c, 0, P22_MAX_IPM_REFS, 0, &n, field)))
		return e;
	if (n == 0)
		return BER_OK;
	if ((*v = xdec_alloc_n(&x->xd, n, sizeof(**v), t->off, field)) == NULL)
		return x->d->err;
	for (i = 0; i < n; i++) {
		if ((e = next(x, &c, &m, field)) ||
		    (e = want(x, &m, BER_APP, 11, 1, field)) ||
		    (e = dec_ipmid(x, &m, &(*v)[i], field)))
			return e;
		(*nv)++;
	}
	return BER_OK;
}

/*
 * Heading members [0] to [7]: who sends it, to whom, and which IPMs it
 * answers, replaces or relates to.
 */
static int
dec_heading_who(struct dctx *x, const struct ber_tlv *m, struct p22_heading *h,
    uint32_t *seen)
{
	int		 e;

	switch (m->tag) {
	case 0:
		if ((e = ber_once(x->d, seen, 0, m, "originator")) ||
		    (e = dec_ordesc(x, m, &h->originator,
		    "originator")))
			return e;
		h->has_originator = 1;
		break;
	case 1:
		if ((e = ber_once(x->d, seen, 1, m, "authorizing-users")) ||
		    (e = dec_ordescs(x, m, &h->auth, &h->nauth, 0,
		    "authorizing-users")))
			return e;
		break;
	case 2:
		if ((e = ber_once(x->d, seen, 2, m, "primary-recipients")) ||
		    (e = dec_rcpts(x, m, &h->primary,
		    "primary-recipients")))
			return e;
		break;
	case 3:
		if ((e = ber_once(x->d, seen, 3, m, "copy-recipients")) ||
		    (e = dec_rcpts(x, m, &h->copy,
		    "copy-recipients")))
			return e;
		break;
	case 4:
		if ((e = ber_once(x->d, seen, 4, m,
		    "blind-copy-recipients")) ||
		    (e = dec_rcpts(x, m, &h->bcc,
		    "blind-copy-recipients")))
			return e;
		break;
	case 5:
		if ((e = ber_once(x->d, seen, 5, m, "replied-to-IPM")) ||
		    (e = dec_ipmid(x, m, &h->replied,
		    "replied-to-IPM")))
			return e;
		h->has_replied = 1;
		break;
	case 6:
		if ((e = ber_once(x->d, seen, 6, m, "obsoleted-IPMs")) ||
		    (e = dec_ipmids(x, m, &h->obsoleted,
		    &h->nobsoleted, "obsoleted-IPMs")))
			return e;
		break;
	case 7:
		if ((e = ber_once(x->d, seen, 7, m, "related-IPMs")) ||
		    (e = dec_ipmids(x, m, &h->related, &h->nrelated,
		    "related-IPMs")))
			return e;
		break;
	}
	return BER_OK;
}

/*
 * Heading members [8] to [15]: subject, times, reply recipients,
 * importance, sensitivity, auto-forwarded, extensions.
 */
static int
dec_heading_what(struct dctx *x, const struct ber_tlv *m, struct p22_heading *h,
    uint32_t *seen)
{
	struct ber_tlv	 in;
	int64_t		 v;
	int		 e;

	switch (m->tag) {
	case 8:
		if ((e = ber_once(x->d, seen, 8, m, "subject")) ||
		    (e = xdec_inner(&x->xd, m, &in, "subject")))
			return e;
		if (!ber_is(&in, BER_UNIV, BER_TELETEX_STRING))
			return xdec_unknown(&x->xd, &in, "subject");
		if ((e = xdec_str(&x->xd, &in, BER_TELETEX_STRING, 0,
		    P22_UB_SUBJECT, h->subject, &h->subjlen,
		    "subject")))
			return e;
		h->has_subject = 1;
		break;
	case 9:
		if ((e = ber_once(x->d, seen, 9, m, "expiry-time")) ||
		    (e = xdec_time(&x->xd, m, BER_UTC_TIME, &h->expiry,
		    "expiry-time")))
			return e;
		h->has_expiry = 1;
		break;
	case 10:
		if ((e = ber_once(x->d, seen, 10, m, "reply-time")) ||
		    (e = xdec_time(&x->xd, m, BER_UTC_TIME,
		    &h->reply_time,
		    "reply-time")))
			return e;
		h->has_reply_time = 1;
		break;
	case 11:
		if ((e = ber_once(x->d, seen, 11, m, "reply-recipients")) ||
		    (e = dec_ordescs(x, m, &h->reply, &h->nreply, 1,
		    "reply-recipients")))
			return e;
		break;
	case 12:
		if ((e = ber_once(x->d, seen, 12, m, "importance")) ||
		    (e = xdec_int(&x->xd, m, 0, 2, &v, "importance")))
			return e;
		h->importance = (int)v;
		break;
	case 13:
		if ((e = ber_once(x->d, seen, 13, m, "sensitivity")) ||
		    (e = xdec_int(&x->xd, m, 1, 3, &v, "sensitivity")))
			return e;
		h->sensitivity = (int)v;
		break;
	case 14:
		if ((e = ber_once(x->d, seen, 14, m, "auto-forwarded")) ||
		    (e = xdec_bool(&x->xd, m, &h->auto_forwarded,
		    "auto-forwarded")))
			return e;
		break;
	case 15:
		if ((e = ber_once(x->d, seen, 15, m, "extensions")) ||
		    (e = get_exts(x, m, &h->ext, "extensions")))
			return e;
		break;
	}
	return BER_OK;
}

static int
dec_heading(struct dctx *x, const struct ber_tlv *t, struct p22_heading *h)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	p22_heading_init(h);
	if ((e = want(x, t, BER_UNIV, BER_SET, 1, "Heading")))
		return e;
	while (cur_len(&c) > 0) {
		if ((e = next(x, &c, &m, "Heading")) != BER_OK)
			return e;
		if (ber_is(&m, BER_APP, 11)) {
			if ((e = ber_once(x->d, &seen, 16, &m, "this-IPM")) ||
			    (e = dec_ipmid(x, &m, &h->this_ipm, "this-IPM")))
				return e;
			continue;
		}
		if (m.cls != BER_CTX || m.tag > 15)
			return xdec_unknown(&x->xd, &m, "Heading");
		e = m.tag < 8 ? dec_heading_who(x, &m, h, &seen) :
		    dec_heading_what(x, &m, h, &seen);
		if (e != BER_OK)
			return e;
	}
	return ber_need(x->d, seen, 16, t->off, "this-IPM");
}

static int	dec_ipm(struct dctx *, const struct ber_tlv *,
		    struct p22_content *);

/* Decode a nested IPM (forwarded, returned) only to check it. */
static int
check_ipm(struct dctx *x, const struct ber_tlv *t, const char *field)
{
	struct p22_content *tmp;
	struct dctx	 y;
	int		 e;

	if (x->nest >= x->o->max_nest)
		return ber_fail(x->d, BER_EDEPTH, t->off, field);
	if ((tmp = malloc(sizeof(*tmp))) == NULL)
		return ber_fail(x->d, BER_ENOMEM, t->off, field);
	p22_init(tmp);
	y = *x;
	y.dst = tmp;
	y.xd.arena = &tmp->arena;
	y.nest++;
	e = dec_ipm(&y, t, tmp);
	p22_free(tmp);
	free(tmp);
	return e;
}

/* IA5TextBodyPart ::= SEQUENCE { parameters SET, data IA5String } */
static int
dec_ia5(struct dctx *x, const struct ber_tlv *t, struct p22_bodypart *bp)
{
	struct ber_tlv	 m, r;
	struct cur	 c = t->val, pc;
	int64_t		 v;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, "ia5-text")) ||
	    (e = next(x, &c, &m, "ia5-text parameters")) ||
	    (e = want(x, &m, BER_UNIV, BER_SET, 1, "IA5TextParameters")))
		return e;
	pc = m.val;
	if (cur_len(&pc) > 0) {
		if ((e = next(x, &pc, &r, "repertoire")))
			return e;
		if (!ber_is(&r, BER_CTX, 0))
			return xdec_unknown(&x->xd, &r, "IA5TextParameters");
		if ((e = xdec_int(&x->xd, &r, 2, 5, &v, "repertoire")))
			return e;
		if (v != P22_REP_ITA2 && v != P22_REP_IA5)
			return ber_fail(x->d, BER_EVALUE, r.off, "repertoire");
		bp->repertoire = (int)v;
		if ((e = done(x, &pc, "IA5TextParameters")))
			return e;
	}
	if ((e = next(x, &c, &m, "ia5-text data")))
		return e;
	if (!ber_is(&m, BER_UNIV, BER_IA5_STRING))
		return xdec_unknown(&x->xd, &m, "IA5TextBodyPart");
	if ((e = get_data(x, &m, BER_IA5_STRING, &bp->data, "ia5-text data")))
		return e;
	return done(x, &c, "ia5-text");
}

/* Date-and-Time-Attribute, Object-Size-Attribute: explicit CHOICE */
static int
dec_attr(struct dctx *x, const struct ber_tlv *t, int *kind, time_t *tv,
    int64_t *iv, const char *field)
{
	struct ber_tlv	 in;
	int		 e;

	if ((e = xdec_inner(&x->xd, t, &in, field)))
		return e;
	if (ber_is(&in, BER_CTX, 0)) {
		if ((e = ber_field(x->d, ber_get_null(x->d, &in), field)))
			return e;
		*kind = P22_ATTR_NO_VALUE;
		return BER_OK;
	}
	if (!ber_is(&in, BER_CTX, 1))
		return xdec_unknown(&x->xd, &in, field);
	if (tv != NULL)
		e = xdec_time(&x->xd, &in, BER_GENERALIZED_TIME, tv, field);
	else
		e = xdec_int(&x->xd, &in, 0, INT64_MAX, iv, field);
	if (e == BER_OK)
		*kind = P22_ATTR_VALUE;
	return e;
}

/* FileAttributes ::= SEQUENCE */
static int
dec_fattrs(struct dctx *x, const struct ber_tlv *t, struct p22_ftbp *f)
{
	struct berw	 pre, mid, post;
	struct ber_tlv	 m;
	struct cur	 c = t->val, one;
	uint32_t	 seen = 0;
	int		 e = BER_OK;

	if ((e = ber_want_cons(x->d, t, 1, "file-attributes")))
		return e;
	f->has_attrs = 1;
	berw_init(&pre);
	berw_init(&mid);
	berw_init(&post);
	while (e == BER_OK && cur_len(&c) > 0) {
		one = c;
		if ((e = next(x, &c, &m, "file-attributes")))
			break;
		if (m.cls != BER_CTX || m.tag > 23) {
			e = xdec_unknown(&x->xd, &m, "FileAttributes");
			break;
		}
		if ((e = ber_once(x->d, &seen, m.tag == 23 ? 0 : m.tag, &m,
		    "file-attributes")))
			break;
		switch (m.tag) {
		case 0:
		case 23:
			f->has_pathname = 1;
			f->complete = m.tag == 23;
			e = dec_strlist(x, &m, &f->path, "pathname");
			break;
		case 1:
		case 3:
			e = xdec_add(&x->xd, one, &pre, "file-attributes");
			break;
		case 4:
			e = dec_attr(x, &m, &f->ctime_kind, &f->ctime, NULL,
			    "date-and-time-of-creation");
			break;
		case 5:
			e = dec_attr(x, &m, &f->mtime_kind, &f->mtime, NULL,
			    "date-and-time-of-last-modification");
			break;
		case 13:
			e = dec_attr(x, &m, &f->size_kind, NULL, &f->size,
			    "object-size");
			break;
		default:
			if (m.tag == 2 || (m.tag >= 18 && m.tag <= 21))
				e = xdec_unknown(&x->xd, &m, "FileAttributes");
			else
				e = xdec_add(&x->xd, one, m.tag < 13 ? &mid :
				    &post,
				    "file-attributes");
			break;
		}
	}
	if (e == BER_OK)
		e = xdec_keep(&x->xd, &pre, P22_MAX_RAW, t->off, &f->attr_pre.p,
		    &f->attr_pre.len,
		    "file-attributes");
	if (e == BER_OK)
		e = xdec_keep(&x->xd, &mid, P22_MAX_RAW, t->off, &f->attr_mid.p,
		    &f->attr_mid.len,
		    "file-attributes");
	if (e == BER_OK)
		e = xdec_keep(&x->xd, &post, P22_MAX_RAW, t->off,
		    &f->attr_post.p, &f->attr_post.len,
		    "file-attributes");
	berw_free(&pre);
	berw_free(&mid);
	berw_free(&post);
	return e;
}

/* EnvironmentParameter ::= SEQUENCE */
static int
dec_env(struct dctx *x, const struct ber_tlv *t, struct p22_ftbp *f)
{
	struct berw	 rest;
	struct ber_tlv	 m, in;
	struct cur	 c = t->val, one;
	uint32_t	 seen = 0;
	int		 e = BER_OK;

	if ((e = ber_want_cons(x->d, t, 1, "environment")))
		return e;
	f->has_env = 1;
	berw_init(&rest);
	while (e == BER_OK && cur_len(&c) > 0) {
		one = c;
		if ((e = next(x, &c, &m, "environment")))
			break;
		if (m.cls != BER_CTX || m.tag > 3) {
			e = xdec_unknown(&x->xd, &m, "EnvironmentParameter");
			break;
		}
		if ((e = ber_once(x->d, &seen, m.tag, &m, "environment")))
			break;
		if (m.tag != 0) {
			e = xdec_add(&x->xd, one, &rest, "environment");
			continue;
		}
		/* application-reference [0] GeneralIdentifier (CHOICE) */
		if ((e = xdec_inner(&x->xd, &m, &in, "application-reference")))
			break;
		if (ber_is(&in, BER_CTX, 0)) {
			if ((e = ber_want_cons(x->d, &in, 0,
			    "application-reference")) == BER_OK)
				e = ber_field(x->d, ber_get_oid(x->d, &in,
				    f->appref_oid, P22_OID_MAX),
				    "application-reference");
			f->appref = 1;
		} else if (ber_is(&in, BER_CTX, 1)) {
			e = dec_strlist(x, &in, &f->appref_text,
			    "application-reference");
			f->appref = 2;
		} else
			e = xdec_unknown(&x->xd, &in, "application-reference");
	}
	if (e == BER_OK)
		e = xdec_keep(&x->xd, &rest, P22_MAX_RAW, t->off,
		    &f->env_rest.p, &f->env_rest.len,
		    "environment");
	berw_free(&rest);
	return e;
}

/* FileTransferParameters ::= SEQUENCE */
static int
dec_ftparams(struct dctx *x, const struct ber_tlv *t, struct p22_ftbp *f)
{
	struct ber_tlv	 m, in, dt;
	struct cur	 c = t->val, one, dc;
	uint32_t	 seen = 0;
	int		 e;

	if ((e = want(x, t, BER_UNIV, BER_SEQUENCE, 1,
	    "FileTransferParameters")))
		return e;
	while (cur_len(&c) > 0) {
		one = c;
		if ((e = next(x, &c, &m, "FileTransferParameters")))
			return e;
		if (m.cls != BER_CTX || m.tag > 5)
			return xdec_unknown(&x->xd, &m,
			    "FileTransferParameters");
		if ((e = ber_once(x->d, &seen, m.tag, &m, "FileTransferParameters")))
			return e;
		switch (m.tag) {
		case 0:
			e = xdec_norm(&x->xd, one, 1, P22_MAX_RAW, m.off,
			    &f->related.p, &f->related.len,
			    "related-stored-file");
			break;
		case 1:
			if ((e = xdec_inner(&x->xd, &m, &in, "contents-type")))
				return e;
			if (ber_is(&in, BER_CTX, 1)) {
				e = xdec_norm(&x->xd, one, 1, P22_MAX_RAW,
				    m.off, &f->ctype_raw.p, &f->ctype_raw.len,
				    "contents-type");
				break;
			}
			if ((e = want(x, &in, BER_CTX, 0, 1, "contents-type")))
				return e;
			dc = in.val;
			if ((e = next(x, &dc, &dt, "document-type-name")) ||
			    (e = get_oid(x, &dt, f->doctype,
			    "document-type-name")))
				return e;
			if (cur_len(&dc) > 0) {
				one = dc;
				if ((e = next(x, &dc, &dt, "parameter")))
					return e;
				if (!ber_is(&dt, BER_CTX, 0))
					return xdec_unknown(&x->xd, &dt,
					    "document-type");
				if ((e = xdec_norm(&x->xd, one, 1, P22_MAX_RAW,
				    dt.off, &f->doctype_param.p,
				    &f->doctype_param.len, "parameter")))
					return e;
			}
			e = done(x, &dc, "document-type");
			break;
		case 2:
			e = dec_env(x, &m, f);
			break;
		case 3:
			e = xdec_norm(&x->xd, one, 1, P22_MAX_RAW, m.off,
			    &f->compression.p, &f->compression.len,
			    "compression");
			break;
		case 4:
			e = dec_fattrs(x, &m, f);
			break;
		default:
			e = xdec_norm(&x->xd, one, 1, P22_MAX_RAW, m.off,
			    &f->ext.p, &f->ext.len,
			    "extensions");
			break;
		}
		if (e)
			return e;
	}
	return BER_OK;
}

/*
 * FileTransferData ::= SEQUENCE OF EXTERNAL. The model holds one
 * EXTERNAL { direct-reference OID, octet-aligned [1] }; any other form
 * (several EXTERNALs, single-ASN1-type, indirect reference) is valid
 * but kept opaque: FALLBACK.
 */
static int
dec_ftdata(struct dctx *x, const struct ber_tlv *t, struct p22_bodypart *bp)
{
	struct ber_tlv	 m, o, v;
	struct cur	 c = t->val, ec;
	int		 e;

	if ((e = want(x, t, BER_UNIV, BER_SEQUENCE, 1, "FileTransferData")))
		return e;
	if (cur_len(&c) == 0)
		return FALLBACK;
	if ((e = next(x, &c, &m, "FileTransferData")))
		return e;
	if (cur_len(&c) != 0 || !ber_is(&m, BER_UNIV, BER_EXTERNAL) ||
	    !m.cons)
		return FALLBACK;
	ec = m.val;
	if ((e = next(x, &ec, &o, "EXTERNAL")))
		return e;
	if (!ber_is(&o, BER_UNIV, BER_OID) || cur_len(&ec) == 0)
		return FALLBACK;
	if ((e = get_oid(x, &o, bp->ftbp->data_oid, "direct-reference")) ||
	    (e = next(x, &ec, &v, "EXTERNAL")))
		return e;
	if (!ber_is(&v, BER_CTX, 1) || cur_len(&ec) != 0)
		return FALLBACK;
	return get_data(x, &v, 0, &bp->data, "octet-aligned");
}

/* General text: parameters SET OF INTEGER, data GeneralString */
static int
dec_gtext(struct dctx *x, const struct ber_tlv *pv, const struct ber_tlv *dv,
    struct p22_bodypart *bp)
{
	struct ber_tlv	 m;
	struct cur	 c;
	int		 e;

	bp->type = P22_BP_GENERAL_TEXT;
	if (pv != NULL) {
		if ((e = want(x, pv, BER_UNIV, BER_SET, 1,
		    "GeneralTextParameters")))
			return e;
		c = pv->val;
		while (cur_len(&c) > 0) {
			if ((e = next(x, &c, &m, "GeneralTextParameters")))
				return e;
			if (!ber_is(&m, BER_UNIV, BER_INTEGER))
				return xdec_unknown(&x->xd, &m,
				    "GeneralTextParameters");
			if (bp->ncs == P22_MAX_CHARSETS)
				return ber_fail(x->d, BER_ESIZE, m.off,
				    "GeneralTextParameters");
			if ((e = xdec_int(&x->xd, &m, 1, 32767,
			    &bp->cs[bp->ncs],
			    "CharacterSetRegistration")))
				return e;
			bp->ncs++;
		}
	}
	if (!ber_is(dv, BER_UNIV, BER_GENERAL_STRING))
		return xdec_unknown(&x->xd, dv, "GeneralTextData");
	return get_data(x, dv, 0, &bp->data, "general-text data");
}

/*
 * ExtendedBodyPart ::= SEQUENCE { parameters [0] INSTANCE OF
 * TYPE-IDENTIFIER OPTIONAL, data INSTANCE OF TYPE-IDENTIFIER }
 */
static int
dec_extended(struct dctx *x, const struct ber_tlv *t, struct p22_bodypart *bp)
{
	struct ber_tlv	 m, o, pv, dv;
	struct cur	 c = t->val, ic;
	char		 ptype[P22_OID_MAX], dtype[P22_OID_MAX];
	int		 has_p = 0, e;

	ptype[0] = '\0';
	if ((e = ber_want_cons(x->d, t, 1, "extended")) ||
	    (e = next(x, &c, &m, "extended")))
		return e;
	if (ber_is(&m, BER_CTX, 0)) {
		ic = m.val;
		if ((e = ber_want_cons(x->d, &m, 1, "parameters")) ||
		    (e = next(x, &ic, &o, "parameters")) ||
		    (e = get_oid(x, &o, ptype, "parameters")) ||
		    (e = next(x, &ic, &o, "parameters")) ||
		    (e = want(x, &o, BER_CTX, 0, 1, "parameters")) ||
		    (e = xdec_inner(&x->xd, &o, &pv, "parameters")) ||
		    (e = done(x, &ic, "parameters")) ||
		    (e = next(x, &c, &m, "extended data")))
			return e;
		has_p = 1;
	}
	if ((e = want(x, &m, BER_UNIV, BER_EXTERNAL, 1, "ExtendedBodyPart")))
		return e;
	ic = m.val;
	if ((e = next(x, &ic, &o, "data")) ||
	    (e = get_oid(x, &o, dtype, "data")) ||
	    (e = next(x, &ic, &o, "data")) ||
	    (e = want(x, &o, BER_CTX, 0, 1, "data")) ||
	    (e = xdec_inner(&x->xd, &o, &dv, "data")) ||
	    (e = done(x, &ic, "data")) ||
	    (e = done(x, &c, "extended")))
		return e;

	if (strcmp(dtype, P22_OID_ET_GENERAL_TEXT) == 0) {
		if (has_p && strcmp(ptype, P22_OID_EP_GENERAL_TEXT) != 0)
			return ber_fail(x->d, BER_EVALUE, t->off,
			    "general-text parameters");
		return dec_gtext(x, has_p ? &pv : NULL, &dv, bp);
	}
	if (strcmp(dtype, P22_OID_ET_FILE_TRANSFER) != 0)
		return FALLBACK;
	if (has_p && strcmp(ptype, P22_OID_EP_FILE_TRANSFER) != 0)
		return ber_fail(x->d, BER_EVALUE, t->off,
		    "file-transfer parameters");
	bp->type = P22_BP_FTBP;
	if ((bp->ftbp = xdec_alloc_n(&x->xd, 1, sizeof(*bp->ftbp), t->off,
	    "file-transfer")) == NULL)
		return x->d->err;
	p22_ftbp_init(bp->ftbp);
	if (has_p && (e = dec_ftparams(x, &pv, bp->ftbp)))
		return e;
	if (bp->ftbp->doctype[0] == '\0' && bp->ftbp->ctype_raw.len == 0)
		strcpy(bp->ftbp->doctype, P22_OID_FTAM3);	/* DEFAULT */
	if ((e = dec_ftdata(x, &dv, bp)))
		return e;
	bp->ftbp->is_cms = strcmp(bp->ftbp->doctype, P22_OID_CMS) == 0 ||
	    (bp->ftbp->appref == 1 &&
	    strcmp(bp->ftbp->appref_oid, P22_OID_CMS) == 0) ||
	    strcmp(bp->ftbp->data_oid, P22_OID_CMS) == 0;
	return BER_OK;
}

/*
 * MessageBodyPart ::= SEQUENCE { parameters SET { delivery-time [0]
 * OPTIONAL, delivery-envelope [1] OPTIONAL }, data IPM }
 */
static int
dec_message(struct dctx *x, const struct ber_tlv *t, struct p22_bodypart *bp)
{
	struct ber_tlv	 m, p;
	struct cur	 c = t->val, pc;
	uint32_t	 seen = 0;
	int		 e;

	if ((e = ber_want_cons(x->d, t, 1, "message")) ||
	    (e = next(x, &c, &m, "MessageParameters")) ||
	    (e = want(x, &m, BER_UNIV, BER_SET, 1, "MessageParameters")))
		return e;
	pc = m.val;
	while (cur_len(&pc) > 0) {
		if ((e = next(x, &pc, &p, "MessageParameters")))
			return e;
		if (ber_is(&p, BER_CTX, 0)) {
			if ((e = ber_once(x->d, &seen, 0, &p, "delivery-time")) ||
			    (e = xdec_time(&x->xd, &p, BER_UTC_TIME,
			    &bp->delivery_time, "delivery-time")))
				return e;
			bp->has_delivery_time = 1;
		} else if (ber_is(&p, BER_CTX, 1)) {
			if ((e = ber_once(x->d, &seen, 1, &p, "delivery-envelope")) ||
			    (e = ber_want_cons(x->d, &p, 1, "delivery-envelope")))
				return e;
		} else
			return xdec_unknown(&x->xd, &p, "MessageParameters");
	}
	if ((e = next(x, &c, &m, "MessageData")) ||
	    (e = want(x, &m, BER_UNIV, BER_SEQUENCE, 1, "MessageData")) ||
	    (e = check_ipm(x, &m, "MessageData")))
		return e;
	return done(x, &c, "message");
}

static int
dec_bodypart(struct dctx *x, struct cur *c, struct p22_bodypart *bp)
{
	struct ber_tlv	 t;
	struct cur	 one = *c;
	int		 e;

	p22_bodypart_init(bp, P22_BP_OTHER);
	if ((e = next(x, c, &t, "BodyPart")))
		return e;
	if (ber_is(&t, BER_CTX, 0)) {
		bp->type = P22_BP_IA5;
		return dec_ia5(x, &t, bp);
	}
	if (ber_is(&t, BER_CTX, 14)) {
		bp->type = P22_BP_BILATERAL;
		return get_data(x, &t, 0, &bp->data, "bilaterally-defined");
	}
	if (ber_is(&t, BER_CTX, 15)) {
		e = dec_extended(x, &t, bp);
		if (e != FALLBACK)
			return e;
		p22_bodypart_init(bp, P22_BP_OTHER);
	} else if (ber_is(&t, BER_CTX, 9)) {
		bp->type = P22_BP_MESSAGE;
		if ((e = dec_message(x, &t, bp)))
			return e;
	} else if (t.cls != BER_CTX || (t.tag != 3 && t.tag != 4 &&
	    t.tag != 5 && t.tag != 6 && t.tag != 7 && t.tag != 8 &&
	    t.tag != 11))
		return xdec_unknown(&x->xd, &t, "BodyPart");
	return xdec_norm(&x->xd, one, 1, 0, t.off, &bp->raw.p, &bp->raw.len,
	    "BodyPart");
}

/* IPM ::= SEQUENCE { heading Heading, body Body } (under any tag) */
static int
dec_ipm(struct dctx *x, const struct ber_tlv *t, struct p22_content *dst)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val, bc;
	size_t		 n, i;
	int		 e;

	dst->kind = P22_IPM;
	if ((e = ber_want_cons(x->d, t, 1, "IPM")) ||
	    (e = next(x, &c, &m, "Heading")) ||
	    (e = dec_heading(x, &m, &dst->h)) ||
	    (e = next(x, &c, &m, "Body")) ||
	    (e = want(x, &m, BER_UNIV, BER_SEQUENCE, 1, "Body")) ||
	    (e = xdec_count(&x->xd, m.val, 0, x->o->max_body_parts, 0, &n,
	    "Body")))
		return e;
	if (n > 0 && (dst->bp = xdec_alloc_n(&x->xd, n, sizeof(*dst->bp), m.off,
	    "Body")) == NULL)
		return x->d->err;
	bc = m.val;
	for (i = 0; i < n; i++) {
		if ((e = dec_bodypart(x, &bc, &dst->bp[i])))
			return e;
		dst->nbp++;
	}
	return done(x, &c, "IPM");
}

/* NonReceiptFields ::= SET */
static int
dec_nrn(struct dctx *x, const struct ber_tlv *t, struct p22_ipn *n)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val, one;
	uint32_t	 seen = 0;
	int		 e;

	while (cur_len(&c) > 0) {
		one = c;
		if ((e = next(x, &c, &m, "non-receipt-fields")))
			return e;
		if (m.cls != BER_CTX || m.tag > 4)
			return xdec_unknown(&x->xd, &m, "NonReceiptFields");
		if ((e = ber_once(x->d, &seen, m.tag, &m, "non-receipt-fields")))
			return e;
		switch (m.tag) {
		case 0:
			e = xdec_int(&x->xd, &m, 0, 255, &n->nrn_reason,
			    "non-receipt-reason");
			break;
		case 1:
			e = xdec_int(&x->xd, &m, 0, 255, &n->discard,
			    "discard-reason");
			n->has_discard = 1;
			break;
		case 2:
			e = xdec_str(&x->xd, &m, BER_PRINTABLE_STRING, 0,
			    P22_UB_AF_COMMENT, n->afc, NULL,
			    "auto-forward-comment");
			n->has_afc = 1;
			break;
		case 3:
			if ((e = check_ipm(x, &m, "returned-ipm")) == BER_OK)
				e = xdec_norm(&x->xd, one, 1, 0, m.off,
				    &n->returned.p, &n->returned.len,
				    "returned-ipm");
			break;
		default:
			e = get_exts(x, &m, &n->nrn_ext, "nrn-extensions");
			break;
		}
		if (e)
			return e;
	}
	return ber_need(x->d, seen, 0, t->off, "non-receipt-reason");
}

/* ReceiptFields ::= SET */
static int
dec_rn(struct dctx *x, const struct ber_tlv *t, struct p22_ipn *n)
{
	struct ber_tlv	 m;
	struct cur	 c = t->val;
	uint32_t	 seen = 0;
	int		 e;

	while (cur_len(&c) > 0) {
		if ((e = next(x, &c, &m, "receipt-fields")))
			return e;
		if (m.cls != BER_CTX || m.tag > 3)
			return xdec_unknown(&x->xd, &m, "ReceiptFields");
		if ((e = ber_once(x->d, &seen, m.tag, &m, "receipt-fields")))
			return e;
		switch (m.tag) {
		case 0:
			e = xdec_time(&x->xd, &m, BER_UTC_TIME,
			    &n->receipt_time,
			    "receipt-time");
			break;
		case 1:
			e = xdec_int(&x->xd, &m, 0, 1, &n->ack_mode,
			    "acknowledgment-mode");
			break;
		case 2:
			e = xdec_str(&x->xd, &m, BER_PRINTABLE_STRING, 1,
			    P22_UB_SUPPL_INFO, n->suppl, NULL,
			    "suppl-receipt-info");
			n->has_suppl = 1;
			break;
		default:
			e = get_exts(x, &m, &n->rn_ext, "rn-extensions");
			break;
		}
		if (e)
			return e;
	}
	return ber_need(x->d, seen, 0, t->off, "receipt-time");
}

/* IPN ::= SET { COMPONENTS OF CommonFields, choice [0] CHOICE } */
static int
dec_ipn(struct dctx *x, const struct ber_tlv *t, struct p22_ipn *n)
{
	struct ber_tlv	 m, in;
	struct cur	 c = t->val, one;
	uint32_t	 seen = 0;
	int		 e;

	while (cur_len(&c) > 0) {
		one = c;
		if ((e = next(x, &c, &m, "IPN")))
			return e;
		if (ber_is(&m, BER_APP, 11)) {
			if ((e = ber_once(x->d, &seen, 0, &m, "subject-ipm")) ||
			    (e = dec_ipmid(x, &m, &n->subject, "subject-ipm")))
				return e;
		} else if (ber_is(&m, BER_CTX, 1)) {
			if ((e = ber_once(x->d, &seen, 1, &m, "ipn-originator")) ||
			    (e = dec_ordesc(x, &m, &n->originator,
			    "ipn-originator")))
				return e;
			n->has_originator = 1;
		} else if (ber_is(&m, BER_CTX, 2)) {
			if ((e = ber_once(x->d, &seen, 2, &m,
			    "ipm-intended-recipient")) ||
			    (e = dec_ordesc(x, &m, &n->intended,
			    "ipm-intended-recipient")))
				return e;
			n->has_intended = 1;
		} else if (ber_is(&m, BER_APP, 5)) {
			if ((e = ber_once(x->d, &seen, 3, &m, "conversion-eits")) ||
			    (e = ber_want_cons(x->d, &m, 1, "conversion-eits")) ||
			    (e = xdec_norm(&x->xd, one, 1, P22_MAX_RAW, m.off,
			    &n->conversion_eits.p, &n->conversion_eits.len,
			    "conversion-eits")))
				return e;
		} else if (ber_is(&m, BER_CTX, 3)) {
			if ((e = ber_once(x->d, &seen, 4, &m,
			    "notification-extensions")) ||
			    (e = get_exts(x, &m, &n->ext,
			    "notification-extensions")))
				return e;
		} else if (ber_is(&m, BER_CTX, 0)) {
			if ((e = ber_once(x->d, &seen, 5, &m, "choice")) ||
			    (e = xdec_inner(&x->xd, &m, &in, "choice")))
				return e;
			if (in.cls != BER_CTX || in.tag > 2)
				return xdec_unknown(&x->xd, &in, "IPN choice");
			if ((e = ber_want_cons(x->d, &in, 1, "choice")))
				return e;
			n->type = (int)in.tag;
			if (in.tag == P22_IPN_NRN)
				e = dec_nrn(x, &in, n);
			else if (in.tag == P22_IPN_RN)
				e = dec_rn(x, &in, n);
			else
				e = xdec_norm(&x->xd, in.val, 0, P22_MAX_RAW,
				    in.off, &n->other.p, &n->other.len,
				    "other-notification-type-fields");
			if (e)
				return e;
		} else
			return xdec_unknown(&x->xd, &m, "IPN");
	}
	if ((e = ber_need(x->d, seen, 0, t->off, "subject-ipm")) ||
	    (e = ber_need(x->d, seen, 5, t->off, "choice")))
		return e;
	return BER_OK;
}

/* A decoding context; the options are the caller's, or the defaults. */
static void
dctx_init(struct dctx *x, struct ber_dec *d, const struct p22_opts *o,
    struct p22_content *c, struct buf *s)
{
	if (o == NULL) {
		p22_opts_init(&x->defaults);
		o = &x->defaults;
	}
	x->d = d;
	x->root = c;
	x->dst = c;
	x->o = o;
	x->s = s;
	x->nest = 0;
	xdec_init(&x->xd, d, s, &c->arena, c->errtext, sizeof(c->errtext));
}

int
p22_decode(struct ber_dec *d, const struct p22_opts *opts, const void *p,
    size_t n, struct p22_content *c)
{
	struct dctx	 x;
	struct ber_tlv	 t;
	struct buf	 s;
	int		 e;

	buf_init(&s);
	dctx_init(&x, d, opts, c, &s);
	if ((e = ber_read_one(d, p, n, &t)) != BER_OK)
		e = ber_field(d, e, "InformationObject");
	else if (ber_is(&t, BER_CTX, 0) && t.cons)
		e = dec_ipm(&x, &t, c);
	else if (ber_is(&t, BER_CTX, 1) && t.cons) {
		c->kind = P22_IPN;
		e = dec_ipn(&x, &t, &c->ipn);
	} else
		e = ber_fail(d, BER_EUNEXP, t.off, "InformationObject");
	buf_free(&s);
	if (e == BER_OK && d->err != BER_OK)
		e = d->err;
	return e;
}

/* The IPM inside a message body part (offsets are into bp->raw). */
int
p22_decode_forwarded(struct ber_dec *d, const struct p22_opts *opts,
    const struct p22_bodypart *bp, struct p22_content *c)
{
	struct dctx	 x;
	struct ber_tlv	 t, m;
	struct cur	 in;
	struct buf	 s;
	int		 e;

	if (bp->type != P22_BP_MESSAGE || bp->raw.len == 0)
		return ber_fail(d, BER_EVALUE, 0, "message body part");
	buf_init(&s);
	dctx_init(&x, d, opts, c, &s);
	if ((e = ber_read_one(d, bp->raw.p, bp->raw.len, &t)) == BER_OK) {
		in = t.val;
		if ((e = next(&x, &in, &m, "MessageParameters")) == BER_OK &&
		    (e = next(&x, &in, &m, "MessageData")) == BER_OK)
			e = dec_ipm(&x, &m, c);
	}
	buf_free(&s);
	return e;
}

/* The returned-ipm of a non-receipt notification. */
int
p22_decode_returned(struct ber_dec *d, const struct p22_opts *opts,
    const struct p22_ipn *ipn, struct p22_content *c)
{
	struct dctx	 x;
	struct ber_tlv	 t;
	struct buf	 s;
	int		 e;

	if (ipn->returned.len == 0)
		return ber_fail(d, BER_EMISSING, 0, "returned-ipm");
	buf_init(&s);
	dctx_init(&x, d, opts, c, &s);
	if ((e = ber_read_one(d, ipn->returned.p, ipn->returned.len, &t)) ==
	    BER_OK)
		e = dec_ipm(&x, &t, c);
	buf_free(&s);
	return e;
}

/*
 * Encoder
 */




static void
enc_raw(struct berw *w, const struct p22_raw *r)
{
	if (r->len > 0)
		berw_raw(w, r->p, r->len);
}

/* Opaque contents under a constructed tag, left out when empty. */
static void
enc_wrapped(struct berw *w, uint32_t tag, const struct p22_raw *r)
{
	if (r->len == 0)
		return;
	berw_open(w, BER_CTX, tag);
	berw_raw(w, r->p, r->len);
	berw_close(w);
}

static void
enc_data(struct berw *w, uint8_t cls, uint32_t tag, int chars,
    const struct ber_data *d, const char *field)
{
	if (d->use_fd)
		berw_prim_data(w, cls, tag, d);
	else if (chars != 0)
		berw_string(w, cls, tag, chars, d->p, d->len);
	else
		berw_prim(w, cls, tag, d->p, d->len);
	berw_field(w, field);
}

static void
enc_strlist(struct berw *w, uint8_t cls, uint32_t tag,
    const struct p22_strlist *l, const char *field)
{
	unsigned i;

	if (l->n > P22_MAX_PARTS)
		berw_fail(w, BER_ESIZE, field);
	berw_open(w, cls, tag);
	for (i = 0; i < l->n && i < P22_MAX_PARTS; i++)
		berw_bounded(w, BER_UNIV, BER_GRAPHIC_STRING, BER_GRAPHIC_STRING,
		    l->v[i], l->len[i], 0, P22_UB_PART, field);
	berw_close(w);
}

static void
enc_ordesc(struct berw *w, uint8_t cls, uint32_t tag,
    const struct p22_ordesc *o, const char *field)
{
	berw_open(w, cls, tag);
	if (o->has_formal) {
		orname_encode(w, &o->formal);
		berw_field(w, "formal-name");
	}
	if (o->has_ffn)
		berw_bounded(w, BER_CTX, 0, BER_TELETEX_STRING, o->ffn, o->ffnlen,
		    0, P22_UB_FREE_FORM_NAME, "free-form-name");
	if (o->has_tel)
		berw_bounded(w, BER_CTX, 1, BER_PRINTABLE_STRING, o->tel,
		    strlen(o->tel), 0, P22_UB_TELEPHONE, "telephone-number");
	berw_close(w);
	berw_field(w, field);
}

static void
enc_ipmid(struct berw *w, uint8_t cls, uint32_t tag,
    const struct p22_ipmid *id, const char *field)
{
	berw_open(w, cls, tag);
	if (id->has_user) {
		orname_encode(w, &id->user);
		berw_field(w, "user");
	}
	berw_bounded(w, BER_UNIV, BER_PRINTABLE_STRING, BER_PRINTABLE_STRING,
	    id->local, strlen(id->local), 0, P22_UB_LOCAL_ID,
	    "user-relative-identifier");
	berw_close(w);
	berw_field(w, field);
}

static void
enc_rcpts(struct berw *w, uint32_t tag, const struct p22_rcpts *l,
    const char *field)
{
	const struct p22_rcpt *r;
	size_t	 i;

	if (l->n == 0)		/* DEFAULT {} or OPTIONAL */
		return;
	berw_open(w, BER_CTX, tag);
	for (i = 0; i < l->n; i++) {
		r = &l->v[i];
		berw_open(w, BER_UNIV, BER_SET);
		enc_ordesc(w, BER_CTX, 0, &r->r, "recipient");
		if (r->nreq != 0)
			berw_bits(w, BER_CTX, 1, r->nreq, 0);
		if (r->reply)
			berw_bool(w, BER_CTX, 2, 1);
		enc_wrapped(w, 3, &r->ext);
		berw_close(w);
	}
	berw_close(w);
	berw_field(w, field);
}

static void
enc_ordescs(struct berw *w, uint32_t tag, const struct p22_ordesc *v,
    size_t n, int formal, const char *field)
{
	size_t	 i;

	if (n == 0)
		return;
	berw_open(w, BER_CTX, tag);
	for (i = 0; i < n; i++) {
		if (formal && !v[i].has_formal)
			berw_fail(w, BER_EMISSING, "formal-name");
		enc_ordesc(w, BER_UNIV, BER_SET, &v[i], field);
	}
	berw_close(w);
}

static void
enc_ipmids(struct berw *w, uint32_t tag, const struct p22_ipmid *v,
    size_t n, const char *field)
{
	size_t	 i;

	if (n == 0)
		return;
	if (n > P22_MAX_IPM_REFS)
		berw_fail(w, BER_ESIZE, field);
	berw_open(w, BER_CTX, tag);
	for (i = 0; i < n; i++)
		enc_ipmid(w, BER_APP, 11, &v[i], field);
	berw_close(w);
}

static void
enc_heading(struct berw *w, const struct p22_heading *h)
{
	berw_open(w, BER_UNIV, BER_SET);
	enc_ipmid(w, BER_APP, 11, &h->this_ipm, "this-IPM");
	if (h->has_originator)
		enc_ordesc(w, BER_CTX, 0, &h->originator, "originator");
	enc_ordescs(w, 1, h->auth, h->nauth, 0, "authorizing-users");
	enc_rcpts(w, 2, &h->primary, "primary-recipients");
	enc_rcpts(w, 3, &h->copy, "copy-recipients");
	enc_rcpts(w, 4, &h->bcc, "blind-copy-recipients");
	if (h->has_replied)
		enc_ipmid(w, BER_CTX, 5, &h->replied, "replied-to-IPM");
	enc_ipmids(w, 6, h->obsoleted, h->nobsoleted, "obsoleted-IPMs");
	enc_ipmids(w, 7, h->related, h->nrelated, "related-IPMs");
	if (h->has_subject) {
		berw_open(w, BER_CTX, 8);
		berw_bounded(w, BER_UNIV, BER_TELETEX_STRING, BER_TELETEX_STRING,
		    h->subject, h->subjlen, 0, P22_UB_SUBJECT, "subject");
		berw_close(w);
	}
	if (h->has_expiry)
		berw_time(w, BER_CTX, 9, BER_UTC_TIME, h->expiry);
	berw_field(w, "expiry-time");
	if (h->has_reply_time)
		berw_time(w, BER_CTX, 10, BER_UTC_TIME, h->reply_time);
	berw_field(w, "reply-time");
	enc_ordescs(w, 11, h->reply, h->nreply, 1, "reply-recipients");
	if (h->importance != P22_IMP_NORMAL) {
		if (h->importance < 0 || h->importance > 2)
			berw_fail(w, BER_EVALUE, "importance");
		berw_int(w, BER_CTX, 12, h->importance);
	}
	if (h->sensitivity != P22_SENS_NONE) {
		if (h->sensitivity < 1 || h->sensitivity > 3)
			berw_fail(w, BER_EVALUE, "sensitivity");
		berw_int(w, BER_CTX, 13, h->sensitivity);
	}
	if (h->auto_forwarded)
		berw_bool(w, BER_CTX, 14, 1);
	enc_wrapped(w, 15, &h->ext);
	berw_close(w);
	berw_field(w, "Heading");
}

/* Date-and-Time-Attribute or Object-Size-Attribute under [tag] */
static void
enc_attr(struct berw *w, uint32_t tag, int kind, const time_t *tv,
    int64_t iv, const char *field)
{
	if (kind == P22_ATTR_ABSENT)
		return;
	berw_open(w, BER_CTX, tag);
	if (kind == P22_ATTR_NO_VALUE)
		berw_null(w, BER_CTX, 0);
	else if (tv != NULL)
		berw_time(w, BER_CTX, 1, BER_GENERALIZED_TIME, *tv);
	else {
		if (iv < 0)
			berw_fail(w, BER_EVALUE, field);
		berw_int(w, BER_CTX, 1, iv);
	}
	berw_close(w);
	berw_field(w, field);
}

static void
enc_ftparams(struct berw *w, const struct p22_ftbp *f)
{
	const char *dt = f->doctype[0] != '\0' ? f->doctype : P22_OID_FTAM3;

	berw_open(w, BER_UNIV, BER_SEQUENCE);
	enc_raw(w, &f->related);
	if (f->ctype_raw.len > 0)
		enc_raw(w, &f->ctype_raw);
	else if (strcmp(dt, P22_OID_FTAM3) != 0 || f->doctype_param.len > 0) {
		berw_open(w, BER_CTX, 1);
		berw_open(w, BER_CTX, 0);
		berw_oid(w, BER_UNIV, BER_OID, dt);
		enc_raw(w, &f->doctype_param);
		berw_close(w);
		berw_close(w);
		berw_field(w, "contents-type");
	}
	if (f->has_env || f->appref != 0 || f->env_rest.len > 0) {
		berw_open(w, BER_CTX, 2);
		if (f->appref == 1) {
			berw_open(w, BER_CTX, 0);
			berw_oid(w, BER_CTX, 0, f->appref_oid);
			berw_close(w);
		} else if (f->appref == 2) {
			berw_open(w, BER_CTX, 0);
			enc_strlist(w, BER_CTX, 1, &f->appref_text,
			    "application-reference");
			berw_close(w);
		}
		enc_raw(w, &f->env_rest);
		berw_close(w);
		berw_field(w, "environment");
	}
	enc_raw(w, &f->compression);
	if (f->has_attrs || f->has_pathname || f->ctime_kind ||
	    f->mtime_kind || f->size_kind || f->attr_pre.len ||
	    f->attr_mid.len || f->attr_post.len) {
		berw_open(w, BER_CTX, 4);
		if (f->has_pathname)
			enc_strlist(w, BER_CTX, f->complete ? 23 : 0, &f->path,
			    "pathname");
		enc_raw(w, &f->attr_pre);
		enc_attr(w, 4, f->ctime_kind, &f->ctime, 0,
		    "date-and-time-of-creation");
		enc_attr(w, 5, f->mtime_kind, &f->mtime, 0,
		    "date-and-time-of-last-modification");
		enc_raw(w, &f->attr_mid);
		enc_attr(w, 13, f->size_kind, NULL, f->size, "object-size");
		enc_raw(w, &f->attr_post);
		berw_close(w);
		berw_field(w, "file-attributes");
	}
	enc_raw(w, &f->ext);
	berw_close(w);
	berw_field(w, "FileTransferParameters");
}

/* [15] { [0] { ptype, [0] { params } }, EXTERNAL { dtype, [0] { ... } } } */
static void
enc_bodypart(struct berw *w, const struct p22_bodypart *bp)
{
	const struct p22_ftbp *f = bp->ftbp;
	const char *doid;
	size_t	 i;

	switch (bp->type) {
	case P22_BP_IA5:
		berw_open(w, BER_CTX, 0);
		berw_open(w, BER_UNIV, BER_SET);
		if (bp->repertoire != P22_REP_IA5) {
			if (bp->repertoire != P22_REP_ITA2)
				berw_fail(w, BER_EVALUE, "repertoire");
			berw_int(w, BER_CTX, 0, bp->repertoire);
		}
		berw_close(w);
		enc_data(w, BER_UNIV, BER_IA5_STRING, BER_IA5_STRING,
		    &bp->data, "ia5-text data");
		berw_close(w);
		break;
	case P22_BP_BILATERAL:
		enc_data(w, BER_CTX, 14, 0, &bp->data, "bilaterally-defined");
		break;
	case P22_BP_GENERAL_TEXT:
		berw_open(w, BER_CTX, 15);
		if (bp->ncs > P22_MAX_CHARSETS)
			berw_fail(w, BER_ESIZE, "GeneralTextParameters");
		else if (bp->ncs > 0) {
			berw_open(w, BER_CTX, 0);
			berw_oid(w, BER_UNIV, BER_OID, P22_OID_EP_GENERAL_TEXT);
			berw_open(w, BER_CTX, 0);
			berw_open(w, BER_UNIV, BER_SET);
			for (i = 0; i < bp->ncs; i++) {
				if (bp->cs[i] < 1 || bp->cs[i] > 32767)
					berw_fail(w, BER_EVALUE,
					    "CharacterSetRegistration");
				berw_int(w, BER_UNIV, BER_INTEGER, bp->cs[i]);
			}
			berw_close(w);
			berw_close(w);
			berw_close(w);
		}
		berw_open(w, BER_UNIV, BER_EXTERNAL);
		berw_oid(w, BER_UNIV, BER_OID, P22_OID_ET_GENERAL_TEXT);
		berw_open(w, BER_CTX, 0);
		enc_data(w, BER_UNIV, BER_GENERAL_STRING, 0, &bp->data,
		    "general-text data");
		berw_close(w);
		berw_close(w);
		berw_close(w);
		break;
	case P22_BP_FTBP:
		if (f == NULL) {
			berw_fail(w, BER_EMISSING, "file-transfer parameters");
			break;
		}
		berw_open(w, BER_CTX, 15);
		berw_open(w, BER_CTX, 0);
		berw_oid(w, BER_UNIV, BER_OID, P22_OID_EP_FILE_TRANSFER);
		berw_open(w, BER_CTX, 0);
		enc_ftparams(w, f);
		berw_close(w);
		berw_close(w);
		berw_open(w, BER_UNIV, BER_EXTERNAL);
		berw_oid(w, BER_UNIV, BER_OID, P22_OID_ET_FILE_TRANSFER);
		berw_open(w, BER_CTX, 0);
		berw_open(w, BER_UNIV, BER_SEQUENCE);
		berw_open(w, BER_UNIV, BER_EXTERNAL);
		doid = f->data_oid[0] != '\0' ? f->data_oid :
		    f->doctype[0] != '\0' ? f->doctype : P22_OID_FTAM3;
		berw_oid(w, BER_UNIV, BER_OID, doid);
		berw_field(w, "direct-reference");
		enc_data(w, BER_CTX, 1, 0, &bp->data, "octet-aligned");
		berw_close(w);
		berw_close(w);
		berw_close(w);
		berw_close(w);
		berw_close(w);
		break;
	default:		/* MESSAGE, OTHER: as read */
		if (bp->raw.len == 0)
			berw_fail(w, BER_EMISSING, "BodyPart");
		enc_raw(w, &bp->raw);
		break;
	}
	berw_field(w, "BodyPart");
}

static void
enc_ipn(struct berw *w, const struct p22_ipn *n)
{
	enc_ipmid(w, BER_APP, 11, &n->subject, "subject-ipm");
	if (n->has_originator)
		enc_ordesc(w, BER_CTX, 1, &n->originator, "ipn-originator");
	if (n->has_intended)
		enc_ordesc(w, BER_CTX, 2, &n->intended,
		    "ipm-intended-recipient");
	enc_raw(w, &n->conversion_eits);
	enc_wrapped(w, 3, &n->ext);
	berw_open(w, BER_CTX, 0);
	switch (n->type) {
	case P22_IPN_NRN:
		berw_open(w, BER_CTX, 0);
		if (n->nrn_reason < 0 || n->nrn_reason > 255)
			berw_fail(w, BER_EVALUE, "non-receipt-reason");
		berw_int(w, BER_CTX, 0, n->nrn_reason);
		if (n->has_discard) {
			if (n->discard < 0 || n->discard > 255)
				berw_fail(w, BER_EVALUE, "discard-reason");
			berw_int(w, BER_CTX, 1, n->discard);
		}
		if (n->has_afc)
			berw_bounded(w, BER_CTX, 2, BER_PRINTABLE_STRING, n->afc,
			    strlen(n->afc), 0, P22_UB_AF_COMMENT,
			    "auto-forward-comment");
		enc_raw(w, &n->returned);
		enc_wrapped(w, 4, &n->nrn_ext);
		berw_close(w);
		break;
	case P22_IPN_RN:
		berw_open(w, BER_CTX, 1);
		berw_time(w, BER_CTX, 0, BER_UTC_TIME, n->receipt_time);
		berw_field(w, "receipt-time");
		if (n->ack_mode != P22_ACK_MANUAL) {
			if (n->ack_mode != P22_ACK_AUTOMATIC)
				berw_fail(w, BER_EVALUE, "acknowledgment-mode");
			berw_int(w, BER_CTX, 1, n->ack_mode);
		}
		if (n->has_suppl)
			berw_bounded(w, BER_CTX, 2, BER_PRINTABLE_STRING, n->suppl,
			    strlen(n->suppl), 1, P22_UB_SUPPL_INFO,
			    "suppl-receipt-info");
		enc_wrapped(w, 3, &n->rn_ext);
		berw_close(w);
		break;
	case P22_IPN_OTHER:
		berw_open(w, BER_CTX, 2);
		enc_raw(w, &n->other);
		berw_close(w);
		break;
	default:
		berw_fail(w, BER_EVALUE, "choice");
		break;
	}
	berw_close(w);
	berw_field(w, "IPN");
}

int
p22_encode(struct berw *w, const struct p22_content *c, int ctype)
{
	size_t	 i;

	if (ctype != P22_CT_P22 && ctype != P22_CT_P2)
		return berw_fail(w, BER_EVALUE, "content type");
	if (ctype == P22_CT_P2 && p22_needs_1988(c))
		return berw_fail(w, BER_EVALUE, "extended body part in P2 content");
	switch (c->kind) {
	case P22_IPM:
		berw_open(w, BER_CTX, 0);
		enc_heading(w, &c->h);
		berw_open(w, BER_UNIV, BER_SEQUENCE);
		for (i = 0; i < c->nbp; i++)
			enc_bodypart(w, &c->bp[i]);
		berw_close(w);
		berw_close(w);
		break;
	case P22_IPN:
		berw_open(w, BER_CTX, 1);
		enc_ipn(w, &c->ipn);
		berw_close(w);
		break;
	default:
		return berw_fail(w, BER_EVALUE, "InformationObject");
	}
	return berw_field(w, "InformationObject");
}
