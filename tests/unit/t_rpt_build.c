/*
 * NAME
 *	t_rpt_build - unit tests of the one P1 report builder
 * DESCRIPTION
 *	Both paths that write a delivery / non-delivery report carry the
 *	content type and content identifier of the subject message (X.411
 *	ReportTransferContent, PerReportTransferFields content-type and
 *	content-identifier; reference/x400.md "Reports"):
 *	x4002oftp's, rpt_encode() with per-recipient fields from
 *	rpt_rcpt_set() on the message in hand; eerp2report's and the
 *	expiry sweep's, rpt_build_report() on the struct rpt_target that
 *	rpt_target() reads from a trace row (content type P22 for an IPM
 *	row, P35 for an EDIM row). The IPNs on a trace row
 *	(rpt_build_ipn(): the sweep's NRN, eerp2report's RN) likewise. Each
 *	PDU is read back with p1_decode() and checked by the shared
 *	tools/x400check (when it runs here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/ber.h"
#include "gw/rpt_build.h"
#include "gw/trace.h"
#include "test.h"
#include "util/buf.h"
#include "x400/orname.h"
#include "x400/ormatch.h"
#include "x400/p1.h"
#include "x400/p22.h"

/* The PDU through x400check (tshark's P1 dissector), when it can run. */
static void
x400check(const struct buf *b, const char *name)
{
	char	 path[4200], cmd[9000];
	FILE	*f;
	int	 rc;

	snprintf(path, sizeof(path), "%s/%s.p1", test_dir(), name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(b->p, 1, b->len, f) !=
	    b->len || fclose(f) != 0) {
		test_fail(__FILE__, __LINE__, "%s: cannot write", path);
		return;
	}
	snprintf(cmd, sizeof(cmd), "command -v tshark >/dev/null 2>&1 || "
	    "exit 77; \"%s/tools/x400check\" -q p1 \"%s\" >/dev/null 2>&1",
	    test_shared(), path);
	rc = system(cmd);
	if (rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
		return;			/* no tshark: nothing to check with */
	if (rc != 0)
		test_fail(__FILE__, __LINE__, "x400check rejects %s", path);
}

/* The report read back: its content type ct and content identifier. */
static void
decode(const struct buf *b, struct p1_pdu *m, int64_t ct, const char *cid)
{
	struct ber_dec	 d;

	p1_init(m);
	ber_dec_init(&d);
	CHECK_EQ_INT(p1_decode(&d, NULL, b->p, b->len, m), BER_OK);
	CHECK_EQ_INT(m->kind, P1_REPORT);
	CHECK_EQ_INT(m->rpt.ctype.present, 1);
	CHECK_EQ_INT(m->rpt.ctype.builtin, ct);
	CHECK_EQ_INT(m->rpt.has_cid, 1);
	CHECK_EQ_STR(m->rpt.cid, cid);
}

/* x4002oftp: a DR and an NDR entry on a message in hand. */
static void
t_encode(void)
{
	struct orname	 dom, orig, r1, r2;
	struct p1_mtsid	 subject;
	struct p1_rrcpt	 rr[2];
	struct rpt_outcome dr = { P1_DELIVERY, 0, 0, NULL };
	struct rpt_outcome ndr = { P1_NON_DELIVERY, 1, 0, "no partnership" };
	struct rpt_report rp;
	struct p1_pdu	 m;
	struct berw	 w;
	struct buf	 b;
	char		 why[256];

	test_orname(&dom, "/P=OFTP/A=VIAT/C=DE/");
	test_orname(&orig, "/S=Smith/O=Acme/P=ACME/A=DBP/C=DE/");
	test_orname(&r1, "/S=Rita/O=Gateway/P=OFTP/A=VIAT/C=DE/");
	test_orname(&r2, "/S=Nobody/O=Gateway/P=OFTP/A=VIAT/C=DE/");
	memset(&subject, 0, sizeof(subject));
	snprintf(subject.gdi.c, sizeof(subject.gdi.c), "DE");
	snprintf(subject.gdi.admd, sizeof(subject.gdi.admd), "DBP");
	snprintf(subject.local, sizeof(subject.local), "msg-0001");
	rpt_rcpt_set(&rr[0], &r1, 1, P1_PRI_RESPONSIBILITY, 1795000000,
	    1795000100, &dr);
	rpt_rcpt_set(&rr[1], &r2, 2, P1_PRI_RESPONSIBILITY, 1795000000,
	    1795000100, &ndr);
	memset(&rp, 0, sizeof(rp));
	rp.id = "0123456789abcdef01234567";
	rp.dest = &orig;
	rp.subject = &subject;
	rp.ctype.present = 1;
	rp.ctype.builtin = P1_CT_P22;
	rp.cid = "CID-42";
	rp.now = 1795000100;
	rp.nrcpt = 2;
	rp.rcpt = rr;
	berw_init(&w);
	buf_init(&b);
	CHECK_EQ_INT(rpt_encode(&w, &dom, &rp, why, sizeof(why)), RPT_OK);
	CHECK_EQ_INT(berw_write_buf(&w, &b), BER_OK);
	decode(&b, &m, P1_CT_P22, "CID-42");
	CHECK_EQ_STR(m.rpt.subject.local, "msg-0001");
	CHECK(orname_equal(&m.rpt.dest, &orig));
	CHECK_EQ_INT(m.rpt.nrcpt, 2);
	if (m.rpt.nrcpt == 2) {
		CHECK_EQ_INT(m.rpt.rcpt[0].type, P1_DELIVERY);
		CHECK_EQ_INT(m.rpt.rcpt[0].mts_user, 6);	/* other */
		CHECK_EQ_INT(m.rpt.rcpt[0].delivery_time, 1795000100);
		CHECK_EQ_INT(m.rpt.rcpt[1].type, P1_NON_DELIVERY);
		CHECK_EQ_INT(m.rpt.rcpt[1].osrn, 2);
		CHECK_EQ_INT(m.rpt.rcpt[1].reason, 1);
		CHECK_EQ_INT(m.rpt.rcpt[1].diag, 0);
		CHECK_EQ_STR(m.rpt.rcpt[1].suppl, "no partnership");
	}
	x400check(&b, "x2o");
	p1_free(&m);
	berw_free(&w);
	buf_free(&b);
}

/* A row as x4002oftp records it; the report rpt_build_report() makes. */
/* A trace row of x4002oftp for the station O0013RITA, and its target. */
static void
row_target(struct trace *t, int edi, const char *name, struct trace_row *got,
    struct rpt_target *tg)
{
	static const char *const rcpt[] = {
	    "/S=Rita/O=Gateway/P=OFTP/A=VIAT/C=DE/DD.ODETTEID=O0013RITA/" };
	struct trace_row r;
	char		 why[256];
	int64_t		 id;
	int		 created;

	memset(&r, 0, sizeof(r));
	r.dir = TRACE_X4002OFTP;
	snprintf(r.mts_id, sizeof(r.mts_id), "[DE*DBP;%s]", name);
	snprintf(edi ? r.edim_id : r.ipm_id, sizeof(r.ipm_id),
	    "/C=DE/A=DBP/P=ACME/O=Acme/S=Smith/;%s", name);
	snprintf(r.x400_orig, sizeof(r.x400_orig),
	    "/S=Smith/O=Acme/P=ACME/A=DBP/C=DE/");
	CHECK_EQ_INT(trace_begin_x400(t, &r, 1795000000, &id, &created), 0);
	CHECK_EQ_INT(trace_record_recipients(t, id, rcpt, 1, 1795000000), 0);
	CHECK_EQ_INT(trace_get(t, id, got), 1);
	CHECK_EQ_INT(rpt_target(t, got, NULL, "O0013RITA", tg, why,
	    sizeof(why)), RPT_OK);
}

static void
from_row(struct trace *t, int edi, int64_t ct, const char *name)
{
	struct rpt_outcome ndr = { P1_NON_DELIVERY, 1, 5, "expired" };
	struct trace_row got;
	struct rpt_target tg;
	struct orname	 dom;
	struct p1_pdu	 m;
	struct berw	 w;
	struct buf	 b;
	char		 why[256];

	row_target(t, edi, name, &got, &tg);
	CHECK_EQ_INT(tg.ctype.present, 1);
	CHECK_EQ_INT(tg.ctype.builtin, ct);
	CHECK_EQ_INT(tg.has_cid, 0);		/* the trace does not keep it */
	tg.has_cid = 1;				/* a caller that knows it */
	snprintf(tg.cid, sizeof(tg.cid), "CID-%s", name);
	test_orname(&dom, "/P=OFTP/A=VIAT/C=DE/");
	berw_init(&w);
	buf_init(&b);
	CHECK_EQ_INT(rpt_build_report(&w, &dom, "0123456789abcdef01234567",
	    &tg, got.created, 1795000200, &ndr, why, sizeof(why)), RPT_OK);
	CHECK_EQ_INT(berw_write_buf(&w, &b), BER_OK);
	decode(&b, &m, ct, tg.cid);
	CHECK_EQ_INT(m.rpt.nrcpt, 1);
	if (m.rpt.nrcpt == 1) {
		CHECK_EQ_INT(m.rpt.rcpt[0].type, P1_NON_DELIVERY);
		CHECK_EQ_INT(m.rpt.rcpt[0].diag, 5);
		CHECK_EQ_INT(m.rpt.rcpt[0].arrival, 1795000000);
		CHECK_EQ_STR(orname_dda(&m.rpt.rcpt[0].actual, "ODETTEID"),
		    "O0013RITA");
	}
	x400check(&b, name);
	p1_free(&m);
	berw_free(&w);
	buf_free(&b);
}

/*
 * rpt_build_ipn(): the non-receipt notification of the expiry sweep in
 * agent mode (X.420 NonReceiptFields: non-receipt-reason ipm-discarded,
 * discard-reason ipm-expired) and eerp2report's receipt notification,
 * from the station to the originator, in a P1 message of content P22.
 */
static void
ipn_from_row(struct trace *t, int receipt)
{
	struct trace_row got;
	struct rpt_target tg;
	struct p22_content c;
	struct orname	 dom;
	struct ber_dec	 d;
	struct p1_pdu	 m;
	struct berw	 w, content;
	struct buf	 b;
	char		 why[256], name[32];

	snprintf(name, sizeof(name), "ipn%d", receipt);
	row_target(t, 0, name, &got, &tg);
	test_orname(&dom, "/P=OFTP/A=VIAT/C=DE/");
	berw_init(&w);
	berw_init(&content);
	buf_init(&b);
	CHECK_EQ_INT(rpt_build_ipn(&w, &content, &dom,
	    "0123456789abcdef01234567", &tg, receipt, !receipt, 1795000300,
	    receipt ? "EERP received" : NULL, why, sizeof(why)), RPT_OK);
	CHECK_EQ_INT(berw_write_buf(&w, &b), BER_OK);
	p1_init(&m);
	ber_dec_init(&d);
	CHECK_EQ_INT(p1_decode(&d, NULL, b.p, b.len, &m), BER_OK);
	CHECK_EQ_INT(m.kind, P1_MESSAGE);
	CHECK_EQ_INT(m.msg.env.ctype.builtin, P1_CT_P22);
	CHECK(ormatch_name(&m.msg.env.originator, &tg.station));
	p22_init(&c);
	ber_dec_init(&d);
	CHECK_EQ_INT(p22_decode(&d, NULL, m.msg.content.p, m.msg.content.len,
	    &c), BER_OK);
	CHECK_EQ_INT(c.kind, P22_IPN);
	CHECK_EQ_INT(c.ipn.type, receipt ? P22_IPN_RN : P22_IPN_NRN);
	if (!receipt) {
		CHECK_EQ_INT(c.ipn.nrn_reason, P22_NRN_DISCARDED);
		CHECK_EQ_INT(c.ipn.has_discard, 1);
		CHECK_EQ_INT(c.ipn.discard, P22_DISCARD_EXPIRED);
	} else
		CHECK_EQ_INT(c.ipn.has_discard, 0);
	x400check(&b, name);
	p22_free(&c);
	p1_free(&m);
	berw_free(&content);
	berw_free(&w);
	buf_free(&b);
}

/* eerp2report, oxtrace expiry: the report on a trace row. */
static void
t_trace_row(void)
{
	char		 path[4200], err[512];
	struct trace	*t = NULL;

	snprintf(path, sizeof(path), "%s/rpt.db", test_dir());
	if (trace_open(path, 0, &t, err, sizeof(err)) == -1) {
		test_fail(__FILE__, __LINE__, "trace_open: %s", err);
		return;
	}
	from_row(t, 0, P1_CT_P22, "ipm1");
	from_row(t, 1, P1_CT_P35, "edim1");
	ipn_from_row(t, 0);
	ipn_from_row(t, 1);
	trace_close(t);
}

int
main(void)
{
	TEST(t_encode);
	TEST(t_trace_row);
	return test_done();
}
