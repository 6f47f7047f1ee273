/*
 * NAME
 *	rpt_build - X.400 delivery / non-delivery reports: the one P1
 *	report builder of the toolkit (see rpt_build.h)
 */
#include <stdio.h>
#include <string.h>

#include "asn1/ber.h"
#include "gw/ident.h"
#include "gw/rpt_build.h"
#include "gw/rpt_map.h"
#include "oftp/odette.h"
#include "spool/spool.h"
#include "x400/orname.h"

#define RPT_MTS_USER_OTHER	6	/* TypeOfMTSUser other: OFTP station */

struct station_find {
	const char		*odette;
	struct rpt_target	*tg;
	int			 have;
};

/* The recipient whose ODETTEID is the station's, else the first one. */
static int
station_cb(const struct trace_rcpt *r, void *arg)
{
	struct station_find	*sf = arg;
	struct orname		 o;
	struct or_err		 e;
	const char		*id;
	int			 match;

	orname_init(&o);
	if (orname_parse(r->address, -1, &o, &e) != OR_OK)
		return 0;
	id = odette_or_id(&o);
	match = id != NULL && sf->odette != NULL &&
	    odette_id_eq(id, sf->odette);
	if (!sf->have || match) {
		sf->tg->station = o;
		sf->have = 1;
	}
	return match;
}

int
rpt_target(struct trace *t, const struct trace_row *row,
    const struct ox_partner *p, const char *station, struct rpt_target *tg,
    char *why, size_t whylen)
{
	struct station_find	 sf;
	struct or_err		 e;
	const char		*ident;
	int			 edi;

	memset(tg, 0, sizeof(*tg));
	orname_init(&tg->originator);
	orname_init(&tg->station);
	if (rpt_mtsid_parse(row->mts_id, &tg->subject) < 0) {
		snprintf(why, whylen, "trace row %lld: MTS identifier '%.256s' "
		    "is not in the form [C*ADMD*PRMD;local]",
		    (long long)row->id, row->mts_id);
		return RPT_BAD;
	}
	/* x4002oftp keeps the IPM or the EDIM identifier: same text form */
	edi = row->ipm_id[0] == '\0';
	ident = edi ? row->edim_id : row->ipm_id;
	if (ident[0] != '\0' && rpt_ipmid_parse(ident, &tg->subject_ipm) == 0)
		tg->has_ipm = 1;
	/* the content type the row recorded, else an IPM row P22, EDIM P35 */
	tg->ctype.present = 1;
	tg->ctype.builtin = row->ctype > 0 ? row->ctype : edi ? P1_CT_P35 :
	    P1_CT_P22;
	if (row->x400_orig[0] != '\0') {
		if (orname_parse(row->x400_orig, -1, &tg->originator, &e) !=
		    OR_OK) {
			snprintf(why, whylen, "trace row %lld: X.400 "
			    "originator '%.300s' is not an O/R address",
			    (long long)row->id, row->x400_orig);
			return RPT_BAD;
		}
	} else if (tg->has_ipm && tg->subject_ipm.has_user)
		tg->originator = tg->subject_ipm.user;	/* rows of schema 1 */
	else {
		snprintf(why, whylen, "trace row %lld: no originator address "
		    "(none recorded, %s identifier '%.300s')",
		    (long long)row->id, edi ? "EDIM" : "IPM", ident);
		return RPT_BAD;
	}
	/* the recipient of the row's file, as the message numbered it */
	tg->osrn = row->rcpt > 0 ? row->rcpt : 1;
	memset(&sf, 0, sizeof(sf));
	sf.odette = station;
	sf.tg = tg;
	if (trace_recipients(t, row->id, station_cb, &sf) < 0) {
		snprintf(why, whylen, "trace: %.400s", trace_error(t));
		return RPT_TEMP;
	}
	if (!sf.have) {
		if (p == NULL || !p->has_local) {
			snprintf(why, whylen, "partnership [%.64s] has no local "
			    "O/R address and the trace lists no recipient",
			    p != NULL ? p->name : row->partner);
			return RPT_BAD;
		}
		tg->station = p->local;
	}
	return RPT_OK;
}

void
rpt_report_id(const char *designator, const struct trace_row *row,
    const char *kind, char *id)
{
	char	 key[TRACE_MTSID_SZ + 32];

	/* "ROW|MTS": the row and its subject, as eerp2report always used */
	snprintf(key, sizeof(key), "%lld|%s", (long long)row->id,
	    row->mts_id);
	ident_local(designator, kind, key, id);
}

int
rpt_expiry_ndr(struct trace *t, const char *designator,
    const struct trace_row *row, char *name, size_t n)
{
	char	 id[RPT_ID_SZ];

	rpt_report_id(designator, row, "expiry", id);
	snprintf(name, n, "%s.p1", id);
	return trace_output_recorded(t, row->id,
	    spool_queue_name(SPOOL_X400_OUT), name);
}

void
rpt_gdi_from(struct p1_gdi *gdi, const struct orname *dom)
{
	memset(gdi, 0, sizeof(*gdi));
	snprintf(gdi->c, sizeof(gdi->c), "%s", dom->c);
	snprintf(gdi->admd, sizeof(gdi->admd), "%s", dom->admd);
	if (dom->present & (1u << OR_PRMD)) {
		gdi->has_prmd = 1;
		snprintf(gdi->prmd, sizeof(gdi->prmd), "%s", dom->prmd);
	}
	if (dom->numeric & (1u << OR_C))
		gdi->numeric |= P1_NUM_C;
	if (dom->numeric & (1u << OR_ADMD))
		gdi->numeric |= P1_NUM_ADMD;
	if (dom->numeric & (1u << OR_PRMD))
		gdi->numeric |= P1_NUM_PRMD;
}

void
rpt_rcpt_set(struct p1_rrcpt *rr, const struct orname *actual, int64_t osrn,
    uint64_t pri, time_t arrival, time_t now, const struct rpt_outcome *oc)
{
	memset(rr, 0, sizeof(*rr));
	rr->actual = *actual;
	rr->osrn = osrn;
	rr->pri = pri;
	rr->arrival = arrival;
	if (oc->type == P1_DELIVERY) {
		rr->type = P1_DELIVERY;
		rr->delivery_time = now;
		rr->mts_user = RPT_MTS_USER_OTHER;
	} else {
		rr->type = P1_NON_DELIVERY;
		rr->reason = oc->reason;
		rr->has_diag = 1;
		rr->diag = oc->diag;
	}
	if (oc->suppl != NULL && oc->suppl[0] != '\0') {
		rr->has_suppl = 1;
		rpt_printable(oc->suppl, rr->suppl, sizeof(rr->suppl));
	}
}

/*
 * X.411 ReportTransferContent (reference/x400.md "Reports"): the
 * subject-identifier, the content-type and content-identifier of the
 * subject message, the per-recipient fields.
 */
int
rpt_encode(struct berw *w, const struct orname *dom,
    const struct rpt_report *rp, char *why, size_t whylen)
{
	struct p1_pdu	 pdu;
	struct p1_trace	 tr;
	int		 e;

	p1_init(&pdu);
	pdu.kind = P1_REPORT;
	rpt_gdi_from(&pdu.rpt.id.gdi, dom);
	snprintf(pdu.rpt.id.local, sizeof(pdu.rpt.id.local), "%s", rp->id);
	pdu.rpt.dest = *rp->dest;
	memset(&tr, 0, sizeof(tr));
	rpt_gdi_from(&tr.gdi, dom);
	tr.arrival = rp->now;
	pdu.rpt.trace.n = 1;
	pdu.rpt.trace.v = &tr;
	pdu.rpt.subject = *rp->subject;
	pdu.rpt.ctype = rp->ctype;
	if (rp->cid != NULL && rp->cid[0] != '\0') {
		pdu.rpt.has_cid = 1;
		snprintf(pdu.rpt.cid, sizeof(pdu.rpt.cid), "%s", rp->cid);
	}
	pdu.rpt.nrcpt = rp->nrcpt;
	pdu.rpt.rcpt = rp->rcpt;
	e = p1_encode(w, &pdu);
	pdu.rpt.trace.v = NULL;
	pdu.rpt.rcpt = NULL;
	p1_free(&pdu);
	if (e != BER_OK) {
		snprintf(why, whylen, "P1 encoding: %.100s: %s",
		    w->err_field ? w->err_field : "?", ber_strerror(e));
		return RPT_BAD;
	}
	return RPT_OK;
}

int
rpt_build_report(struct berw *w, const struct orname *dom, const char *id,
    const struct rpt_target *tg, time_t arrival, time_t now,
    const struct rpt_outcome *oc, char *why, size_t whylen)
{
	struct p1_rrcpt	 rr;
	struct rpt_report rp;

	rpt_rcpt_set(&rr, &tg->station, tg->osrn, 0, arrival, now, oc);
	memset(&rp, 0, sizeof(rp));
	rp.id = id;
	rp.dest = &tg->originator;
	rp.subject = &tg->subject;
	rp.ctype = tg->ctype;
	rp.cid = tg->has_cid ? tg->cid : NULL;
	rp.now = now;
	rp.nrcpt = 1;
	rp.rcpt = &rr;
	return rpt_encode(w, dom, &rp, why, whylen);
}

int
rpt_edimid_from(const struct p22_ipmid *ipm, struct p35_edimid *id)
{
	p35_edimid_init(id);
	if (!ipm->has_user || strlen(ipm->local) > P35_UB_LOCAL_REFERENCE)
		return -1;
	id->user = ipm->user;
	snprintf(id->local, sizeof(id->local), "%s", ipm->local);
	return 0;
}

int
rpt_build_edin(struct berw *w, struct berw *content, const struct orname *dom,
    const char *id, const struct p35_edimid *subject,
    const struct orname *dest, const struct orname *edin_orig,
    const struct orname *first, time_t now, const struct rpt_edin *e,
    char *why, size_t whylen)
{
	struct p35_pdu	 c;
	int		 rc;

	p35_init(&c);
	c.kind = P35_EDIN;
	c.edin.kind = e->kind == P35_NN ? P35_NN : P35_PN;
	c.edin.common.subject = *subject;
	c.edin.common.originator = *edin_orig;
	if (first != NULL) {
		c.edin.common.has_first = 1;
		c.edin.common.first = *first;
	}
	c.edin.common.time = now;
	c.edin.common.initiator = P35_INIT_INTERNAL_UA;
	if (c.edin.kind == P35_NN) {
		c.edin.reason.source = e->source == P35_RC_USER ? P35_RC_USER :
		    P35_RC_UA_MS;
		c.edin.reason.basic = e->basic;
	}
	if (e->suppl != NULL && e->suppl[0] != '\0') {
		c.edin.has_suppl = 1;
		rpt_printable(e->suppl, c.edin.suppl, sizeof(c.edin.suppl));
	}
	rc = p35_encode(content, &c);
	p35_free(&c);
	if (rc != BER_OK) {
		snprintf(why, whylen, "P35 encoding: %.100s: %s",
		    content->err_field ? content->err_field : "?",
		    ber_strerror(rc));
		return RPT_BAD;
	}
	return rpt_build_message(w, content, dom, id, edin_orig, P1_CT_P35,
	    dest, now, why, whylen);
}

int
rpt_build_message(struct berw *w, struct berw *content,
    const struct orname *dom, const char *id, const struct orname *orig,
    int64_t ctype, const struct orname *dest, time_t now, char *why,
    size_t whylen)
{
	struct p1_pdu	 pdu;
	struct p1_rcpt	 r;
	struct p1_trace	 tr;
	int		 rc;

	p1_init(&pdu);
	pdu.kind = P1_MESSAGE;
	rpt_gdi_from(&pdu.msg.env.id.gdi, dom);
	snprintf(pdu.msg.env.id.local, sizeof(pdu.msg.env.id.local), "%s",
	    id);
	pdu.msg.env.originator = *orig;
	pdu.msg.env.ctype.present = 1;
	pdu.msg.env.ctype.builtin = ctype;
	pdu.msg.env.priority = P1_PRIO_NORMAL;
	memset(&tr, 0, sizeof(tr));
	rpt_gdi_from(&tr.gdi, dom);
	tr.arrival = now;
	pdu.msg.env.trace.n = 1;
	pdu.msg.env.trace.v = &tr;
	memset(&r, 0, sizeof(r));
	r.name = *dest;
	r.osrn = 1;
	r.pri = P1_PRI_RESPONSIBILITY | P1_PRI_MTA_NDR | P1_PRI_ORIG_NDR;
	pdu.msg.env.nrcpt = 1;
	pdu.msg.env.rcpt = &r;
	pdu.msg.content.present = 1;
	pdu.msg.content.enc = content;
	rc = p1_encode(w, &pdu);
	pdu.msg.env.trace.v = NULL;
	pdu.msg.env.rcpt = NULL;
	p1_free(&pdu);
	if (rc != BER_OK) {
		snprintf(why, whylen, "P1 encoding: %.100s: %s",
		    w->err_field ? w->err_field : "?", ber_strerror(rc));
		return RPT_BAD;
	}
	return RPT_OK;
}

int
rpt_build_ipn(struct berw *w, struct berw *content, const struct orname *dom,
    const char *id, const struct rpt_target *tg, int receipt, int expired,
    time_t now, const char *suppl, char *why, size_t whylen)
{
	struct p22_content c;
	int		 e, p2 = tg->ctype.builtin == P1_CT_P2;

	p22_init(&c);
	c.kind = P22_IPN;
	c.ipn.subject = tg->subject_ipm;
	c.ipn.has_originator = 1;
	p22_ordesc_init(&c.ipn.originator);
	c.ipn.originator.has_formal = 1;
	c.ipn.originator.formal = tg->station;
	if (receipt) {
		c.ipn.type = P22_IPN_RN;
		c.ipn.receipt_time = now;
		c.ipn.ack_mode = P22_ACK_AUTOMATIC;
		if (suppl != NULL) {
			c.ipn.has_suppl = 1;
			rpt_printable(suppl, c.ipn.suppl, sizeof(c.ipn.suppl));
		}
	} else {
		c.ipn.type = P22_IPN_NRN;
		c.ipn.nrn_reason = P22_NRN_DISCARDED;
		if (expired) {
			c.ipn.has_discard = 1;
			c.ipn.discard = P22_DISCARD_EXPIRED;
		}
	}
	e = p22_encode(content, &c, p2 ? P22_CT_P2 : P22_CT_P22);
	p22_free(&c);
	if (e != BER_OK) {
		snprintf(why, whylen, "P22 encoding: %.100s: %s",
		    content->err_field ? content->err_field : "?",
		    ber_strerror(e));
		return RPT_BAD;
	}
	return rpt_build_message(w, content, dom, id, &tg->station, p2 ?
	    P1_CT_P2 : P1_CT_P22, &tg->originator, now, why, whylen);
}
