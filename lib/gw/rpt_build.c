/*
 * NAME
 *	rpt_build - X.400 delivery / non-delivery reports on a recorded
 *	x4002oftp transaction (see rpt_build.h)
 */
#include <stdio.h>
#include <string.h>

#include "asn1/ber.h"
#include "gw/ident.h"
#include "gw/rpt_build.h"
#include "gw/rpt_map.h"
#include "x400/orname.h"

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
	id = orname_dda(&o, "ODETTEID");
	match = id != NULL && sf->odette != NULL &&
	    strcmp(id, sf->odette) == 0;
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

int
rpt_build_report(struct berw *w, const struct orname *dom, const char *id,
    const struct rpt_target *tg, time_t arrival, time_t now,
    const struct rpt_outcome *oc, char *why, size_t whylen)
{
	struct p1_pdu	 pdu;
	struct p1_rrcpt	 rr;
	struct p1_trace	 tr;
	int		 e;

	p1_init(&pdu);
	pdu.kind = P1_REPORT;
	rpt_gdi_from(&pdu.rpt.id.gdi, dom);
	snprintf(pdu.rpt.id.local, sizeof(pdu.rpt.id.local), "%s", id);
	pdu.rpt.dest = tg->originator;
	memset(&tr, 0, sizeof(tr));
	rpt_gdi_from(&tr.gdi, dom);
	tr.arrival = now;
	pdu.rpt.trace.n = 1;
	pdu.rpt.trace.v = &tr;
	pdu.rpt.subject = tg->subject;
	memset(&rr, 0, sizeof(rr));
	rr.actual = tg->station;
	rr.osrn = 1;
	rr.arrival = arrival;
	if (oc->type == P1_DELIVERY) {
		rr.type = P1_DELIVERY;
		rr.delivery_time = now;
		rr.mts_user = 6;		/* other: an OFTP station */
	} else {
		rr.type = P1_NON_DELIVERY;
		rr.reason = oc->reason;
		rr.has_diag = 1;
		rr.diag = oc->diag;
	}
	if (oc->suppl != NULL && oc->suppl[0] != '\0') {
		rr.has_suppl = 1;
		rpt_printable(oc->suppl, rr.suppl, sizeof(rr.suppl));
	}
	pdu.rpt.nrcpt = 1;
	pdu.rpt.rcpt = &rr;
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
