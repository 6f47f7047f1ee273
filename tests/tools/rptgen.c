/*
 * NAME
 *	rptgen - what a simulated MTA or OFTP daemon sends back, and trace
 *	rows to answer
 * SYNOPSIS
 *	rptgen report [-l local] MSG.p1 OUT.p1 SPEC...
 *	rptgen ipn [-l local] MSG.p1 OUT.p1 rn | nrn[:DISCARD]
 *	rptgen edin USER LOCAL FROM OUT.p1 pn | fn | nn:SOURCE:CODE[:DIAG]
 *	rptgen row DB DIR PARTNER DSN DATE TIME ORIG DEST MTSID IPMID EDIMID
 *	    MODE SIGNED DN RN RCPT...
 *	rptgen eerp OUT e | n:REASON DSN DATE TIME DEST ORIG [14]
 * DESCRIPTION
 *	Test tool for tests/sh/report2eerp.sh and eerp2report.sh.
 *
 *	report: the P1 report an MTA returns on the message MSG.p1 (as
 *	oftp2x400 wrote it): subject-identifier its MTS identifier (the
 *	local part replaced by -l), one per-recipient entry per SPEC, "d"
 *	(delivered) or "n:REASON:DIAG" (not delivered), the i-th for the
 *	message's i-th recipient (the last one repeated) with
 *	originally-specified-recipient-number i.
 *	ipn: a P1 message from MSG.p1's first recipient to its originator
 *	carrying a P22 IPN on MSG.p1's IPM identifier: a receipt or a
 *	non-receipt (ipm-discarded, with the discard reason if given).
 *	edin: a P1 message carrying a P35 EDIN on the EDIM identifier
 *	USER (std-or) + LOCAL, from the std-or FROM: positive, forwarded or
 *	negative with the source (0 UA/MS, 1 user) and the basic code.
 *	row: a trace row in state converted (DIR oftp2x400 or x4002oftp),
 *	with the recipients RCPT...; "-" is an empty field.
 *	eerp: an unsigned EERP or NERP (OFTP2, or 1.4 with "14").
 * EXIT STATUS
 *	0 written; 64 usage; 65 bad input; 70 an encoder failed; 73 output.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "gw/trace.h"
#include "oftp/eerp.h"
#include "x400/p1.h"
#include "x400/p22.h"
#include "x400/p35.h"

#include "tool.h"

static void
usage(void)
{
	fprintf(stderr, "usage: rptgen report|ipn|edin|row|eerp ARGS "
	    "(see the source)\n");
	exit(EX_USAGE);
}

static void
save(const char *path, const void *p, size_t n)
{
	FILE	*f;

	if ((f = fopen(path, "wb")) == NULL || fwrite(p, 1, n, f) != n ||
	    fclose(f) != 0)
		die(EX_CANTCREAT, path, "cannot write");
}

static void
save_berw(const char *path, struct berw *w)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    berw_write_fd(w, fd) != BER_OK || close(fd) < 0)
		die(EX_CANTCREAT, path, "cannot write");
}

static void
read_msg(const char *path, uint8_t **buf, struct p1_pdu *pdu)
{
	struct ber_dec	 d;
	size_t		 n;

	*buf = slurp(path, &n);
	ber_dec_init(&d);
	p1_init(pdu);
	if (p1_decode(&d, NULL, *buf, n, pdu) != BER_OK ||
	    pdu->kind != P1_MESSAGE || pdu->msg.env.nrcpt == 0)
		die(EX_DATAERR, path, "not a P1 message with recipients");
}

static void
put_p1(const char *path, const struct p1_pdu *pdu)
{
	struct berw	 w;
	int		 e;

	berw_init(&w);
	if ((e = p1_encode(&w, pdu)) != BER_OK)
		die(EX_SOFTWARE, w.err_field ? w.err_field : "P1",
		    ber_strerror(e));
	save_berw(path, &w);
	berw_free(&w);
}

static void
set_gdi(struct p1_gdi *g)
{
	memset(g, 0, sizeof(*g));
	strcpy(g->c, "DE");
	strcpy(g->admd, "DBP");
	strcpy(g->prmd, "MTA");
	g->has_prmd = 1;
}

/* A P1 message around an encoded content (IPN, EDIN). */
static void
put_content(const char *path, const char *local, const struct orname *from,
    const struct orname *to, int ct, struct berw *content)
{
	struct p1_pdu	 pdu;
	struct p1_rcpt	 r;
	struct p1_trace	 tr;

	memset(&tr, 0, sizeof(tr));
	set_gdi(&tr.gdi);
	tr.arrival = 1795852800;
	p1_init(&pdu);
	pdu.kind = P1_MESSAGE;
	set_gdi(&pdu.msg.env.id.gdi);
	snprintf(pdu.msg.env.id.local, sizeof(pdu.msg.env.id.local), "%s",
	    local);
	pdu.msg.env.originator = *from;
	pdu.msg.env.ctype.present = 1;
	pdu.msg.env.ctype.builtin = ct;
	pdu.msg.env.trace.n = 1;
	pdu.msg.env.trace.v = &tr;
	memset(&r, 0, sizeof(r));
	r.name = *to;
	r.osrn = 1;
	r.pri = P1_PRI_RESPONSIBILITY;
	pdu.msg.env.nrcpt = 1;
	pdu.msg.env.rcpt = &r;
	pdu.msg.content.present = 1;
	pdu.msg.content.enc = content;
	put_p1(path, &pdu);
	pdu.msg.env.trace.v = NULL;
	pdu.msg.env.rcpt = NULL;
	p1_free(&pdu);
}

static int
cmd_report(int argc, char **argv)
{
	static struct p1_rrcpt rr[16];
	struct p1_pdu	 msg, pdu;
	struct p1_trace	 tr;
	const char	*local = NULL;
	uint8_t		*buf;
	int		 i, n;
	long		 reason, diag;

	if (argc > 2 && strcmp(argv[0], "-l") == 0) {
		local = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc < 3 || argc - 2 > 16)
		usage();
	read_msg(argv[0], &buf, &msg);
	memset(&tr, 0, sizeof(tr));
	set_gdi(&tr.gdi);
	tr.arrival = 1795852800;
	p1_init(&pdu);
	pdu.kind = P1_REPORT;
	set_gdi(&pdu.rpt.id.gdi);
	snprintf(pdu.rpt.id.local, sizeof(pdu.rpt.id.local), "rpt-%.20s",
	    msg.msg.env.id.local);
	pdu.rpt.dest = msg.msg.env.originator;
	pdu.rpt.trace.n = 1;
	pdu.rpt.trace.v = &tr;
	pdu.rpt.subject = msg.msg.env.id;
	if (local != NULL)
		snprintf(pdu.rpt.subject.local, sizeof(pdu.rpt.subject.local),
		    "%s", local);
	pdu.rpt.ctype.present = 1;
	pdu.rpt.ctype.builtin = msg.msg.env.ctype.builtin;
	n = argc - 2;
	for (i = 0; i < n; i++) {
		size_t k = (size_t)i < msg.msg.env.nrcpt ? (size_t)i :
		    msg.msg.env.nrcpt - 1;

		memset(&rr[i], 0, sizeof(rr[i]));
		rr[i].actual = msg.msg.env.rcpt[k].name;
		rr[i].osrn = i + 1;
		rr[i].arrival = 1795852800;
		if (strcmp(argv[2 + i], "d") == 0) {
			rr[i].type = P1_DELIVERY;
			rr[i].delivery_time = 1795852860;
		} else if (sscanf(argv[2 + i], "n:%ld:%ld", &reason, &diag) ==
		    2) {
			rr[i].type = P1_NON_DELIVERY;
			rr[i].reason = reason;
			rr[i].has_diag = diag >= 0;
			rr[i].diag = diag;
		} else
			usage();
	}
	pdu.rpt.nrcpt = (size_t)n;
	pdu.rpt.rcpt = rr;
	put_p1(argv[1], &pdu);
	pdu.rpt.trace.v = NULL;
	pdu.rpt.rcpt = NULL;
	p1_free(&pdu);
	p1_free(&msg);
	free(buf);
	return 0;
}

static int
cmd_ipn(int argc, char **argv)
{
	struct p1_pdu	 msg;
	struct p22_content ipm, ipn;
	struct ber_dec	 d;
	struct berw	 w;
	const char	*local = NULL;
	uint8_t		*buf;
	long		 dr;
	int		 e;

	if (argc > 2 && strcmp(argv[0], "-l") == 0) {
		local = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc != 3)
		usage();
	read_msg(argv[0], &buf, &msg);
	p22_init(&ipm);
	ber_dec_init(&d);
	if (p22_decode(&d, NULL, msg.msg.content.p, msg.msg.content.len,
	    &ipm) != BER_OK || ipm.kind != P22_IPM)
		die(EX_DATAERR, argv[0], "content is no IPM");
	p22_init(&ipn);
	ipn.kind = P22_IPN;
	ipn.ipn.subject = ipm.h.this_ipm;
	if (local != NULL)
		snprintf(ipn.ipn.subject.local, sizeof(ipn.ipn.subject.local),
		    "%s", local);
	ipn.ipn.has_originator = 1;
	p22_ordesc_init(&ipn.ipn.originator);
	ipn.ipn.originator.has_formal = 1;
	ipn.ipn.originator.formal = msg.msg.env.rcpt[0].name;
	if (strcmp(argv[2], "rn") == 0) {
		ipn.ipn.type = P22_IPN_RN;
		ipn.ipn.receipt_time = 1795852900;
		ipn.ipn.ack_mode = P22_ACK_MANUAL;
	} else if (strncmp(argv[2], "nrn", 3) == 0) {
		ipn.ipn.type = P22_IPN_NRN;
		ipn.ipn.nrn_reason = P22_NRN_DISCARDED;
		if (sscanf(argv[2], "nrn:%ld", &dr) == 1) {
			ipn.ipn.has_discard = 1;
			ipn.ipn.discard = dr;
		}
	} else
		usage();
	berw_init(&w);
	if ((e = p22_encode(&w, &ipn, P22_CT_P22)) != BER_OK)
		die(EX_SOFTWARE, "P22", ber_strerror(e));
	put_content(argv[1], "ipn-1", &msg.msg.env.rcpt[0].name,
	    &msg.msg.env.originator, P1_CT_P22, &w);
	berw_free(&w);
	p22_free(&ipn);
	p22_free(&ipm);
	p1_free(&msg);
	free(buf);
	return 0;
}

static void
parse_or(const char *s, struct orname *o)
{
	struct or_err	 e;

	orname_init(o);
	if (orname_parse(s, -1, o, &e) != OR_OK)
		die(EX_DATAERR, s, "not a std-or address");
}

static int
cmd_edin(int argc, char **argv)
{
	static struct p35_pdu c;
	struct berw	 w;
	struct orname	 to;
	long		 src, code, diag;
	int		 e, k;

	if (argc != 5)
		usage();
	p35_init(&c);
	c.kind = P35_EDIN;
	parse_or(argv[0], &c.edin.common.subject.user);
	snprintf(c.edin.common.subject.local,
	    sizeof(c.edin.common.subject.local), "%s", argv[1]);
	parse_or(argv[2], &c.edin.common.originator);
	c.edin.common.time = 1795852900;
	c.edin.common.initiator = P35_INIT_INTERNAL_UA;
	if (strcmp(argv[4], "pn") == 0)
		c.edin.kind = P35_PN;
	else if (strcmp(argv[4], "fn") == 0) {
		c.edin.kind = P35_FN;
		c.edin.forwarded_to = c.edin.common.originator;
		c.edin.reason.source = P35_RC_UA_MS;
	} else if ((k = sscanf(argv[4], "nn:%ld:%ld:%ld", &src, &code,
	    &diag)) >= 2) {
		c.edin.kind = P35_NN;
		c.edin.reason.source = (enum p35_rc_source)src;
		c.edin.reason.basic = code;
		c.edin.reason.has_diag = k == 3;
		c.edin.reason.diag = k == 3 ? diag : 0;
	} else
		usage();
	berw_init(&w);
	if ((e = p35_encode(&w, &c)) != BER_OK)
		die(EX_SOFTWARE, w.err_field ? w.err_field : "P35",
		    ber_strerror(e));
	to = c.edin.common.subject.user;
	put_content(argv[3], "edin-1", &c.edin.common.originator, &to,
	    P1_CT_P35, &w);
	berw_free(&w);
	p35_free(&c);
	return 0;
}

static const char *
opt(const char *s)
{
	return strcmp(s, "-") == 0 ? "" : s;
}

static int
cmd_row(int argc, char **argv)
{
	struct trace	*t;
	struct trace_row r;
	char		 err[512];
	const char *const *rcpt;
	int64_t		 id;
	int		 created, rc;

	if (argc < 16)
		usage();
	memset(&r, 0, sizeof(r));
	if (trace_dir_parse(argv[1], &r.dir) < 0)
		usage();
	snprintf(r.partner, sizeof(r.partner), "%s", argv[2]);
	snprintf(r.oftp.dsn, sizeof(r.oftp.dsn), "%s", argv[3]);
	snprintf(r.oftp.date, sizeof(r.oftp.date), "%s", argv[4]);
	snprintf(r.oftp.time, sizeof(r.oftp.time), "%s", argv[5]);
	snprintf(r.oftp.orig, sizeof(r.oftp.orig), "%s", argv[6]);
	snprintf(r.oftp.dest, sizeof(r.oftp.dest), "%s", argv[7]);
	snprintf(r.mts_id, sizeof(r.mts_id), "%s", opt(argv[8]));
	snprintf(r.ipm_id, sizeof(r.ipm_id), "%s", opt(argv[9]));
	snprintf(r.edim_id, sizeof(r.edim_id), "%s", opt(argv[10]));
	r.eerp_mode = atoi(argv[11]);
	r.eerp_signed = atoi(argv[12]);
	r.dn_req = atoi(argv[13]);
	r.rn_req = atoi(argv[14]);
	rcpt = (const char *const *)argv + 15;
	if (trace_open(argv[0], 0, &t, err, sizeof(err)) < 0)
		die(EX_UNAVAILABLE, argv[0], err);
	rc = (r.dir == TRACE_OFTP2X400 ? trace_begin_oftp(t, &r, time(NULL),
	    &id, &created) : trace_begin_x400(t, &r, time(NULL), &id,
	    &created)) < 0 ||
	    trace_record_x400_id(t, id, r.mts_id, r.ipm_id, r.edim_id,
	    time(NULL)) < 0 ||
	    trace_record_oftp_id(t, id, &r.oftp, time(NULL)) != 0 ||
	    trace_record_files(t, id, "in", "out", "", time(NULL)) < 0 ||
	    trace_record_recipients(t, id, rcpt, (size_t)argc - 15,
	    time(NULL)) < 0 ||
	    trace_record_state(t, id, TRACE_S_CONVERTED, time(NULL),
	    time(NULL) + 3600, "test row") < 0;
	if (rc)
		die(EX_SOFTWARE, "trace", trace_error(t));
	printf("%lld\n", (long long)id);
	trace_close(t);
	return 0;
}

static int
cmd_eerp(int argc, char **argv)
{
	struct eerp	 e;
	struct buf	 b;
	char		 err[256];
	unsigned	 reason = 0;

	if (argc != 7 && argc != 8)
		usage();
	if (argv[1][0] == 'n' && sscanf(argv[1], "n:%u", &reason) != 1)
		usage();
	eerp_init(&e, argv[1][0] == 'n' ? 'N' : 'E', argc == 8 ?
	    EERP_OFTP14 : EERP_OFTP2);
	snprintf(e.dsn, sizeof(e.dsn), "%s", argv[2]);
	snprintf(e.date, sizeof(e.date), "%s", argv[3]);
	snprintf(e.time, sizeof(e.time), "%s", argv[4]);
	snprintf(e.dest, sizeof(e.dest), "%s", argv[5]);
	snprintf(e.orig, sizeof(e.orig), "%s", argv[6]);
	if (e.cmd == 'N') {
		snprintf(e.crea, sizeof(e.crea), "%s", argv[6]);
		e.reason = reason;
		if (e.level == EERP_OFTP2)
			snprintf(e.text, sizeof(e.text), "test NERP %u",
			    reason);
	}
	buf_init(&b);
	if (eerp_build(&e, &b, err, sizeof(err)) != EERP_OK)
		die(EX_DATAERR, "EERP", err);
	save(argv[0], b.p, b.len);
	buf_free(&b);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "report") == 0)
		return cmd_report(argc - 2, argv + 2);
	if (strcmp(argv[1], "ipn") == 0)
		return cmd_ipn(argc - 2, argv + 2);
	if (strcmp(argv[1], "edin") == 0)
		return cmd_edin(argc - 2, argv + 2);
	if (strcmp(argv[1], "row") == 0)
		return cmd_row(argc - 2, argv + 2);
	if (strcmp(argv[1], "eerp") == 0)
		return cmd_eerp(argc - 2, argv + 2);
	usage();
	return EX_USAGE;
}
