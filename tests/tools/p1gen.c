/*
 * NAME
 *	p1gen - write P1 PDUs built by the project's encoder
 * SYNOPSIS
 *	p1gen OUTDIR
 * DESCRIPTION
 *	Test tool: builds with p1_encode() a message (P22 IPM content, the
 *	content streamed from a file with berw_prim_fd), a delivery report,
 *	a non-delivery report and a probe, and writes them to OUTDIR as
 *	gen_msg.p1, gen_dr.p1, gen_ndr.p1 and gen_probe.p1, so the shell
 *	tests can hand them to an outside decoder (tshark). The local
 *	identifiers are gen-msg-1, gen-rpt-1, gen-rpt-2 and gen-prb-1.
 * EXIT STATUS
 *	0 written; 70 the encoder failed (the error on stderr); 73 an
 *	output file could not be written.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "x400/p1.h"

/* A P22 IPM: heading { this-IPM, subject [8] }, body { ia5-text } */
static const uint8_t ipm[] = {
	0xa0, 0x2b,
	0x31, 0x17,
	0x6b, 0x0a, 0x13, 0x08, 'i', 'p', 'm', '-', '0', '0', '0', '1',
	0xa8, 0x09, 0x14, 0x07, 'G', 'e', 'n', ' ', 'I', 'P', 'M',
	0x30, 0x10,
	0xa0, 0x0e, 0x31, 0x03, 0x80, 0x01, 0x05,
	0x16, 0x07, 'h', 'e', 'l', 'l', 'o', 0x0d, 0x0a,
};

static void
set_name(struct orname *or, const char *s, const char *g)
{
	orname_init(or);
	orname_set(or, OR_C, "DE", 2);
	orname_set(or, OR_ADMD, "VIAT", 4);
	orname_set(or, OR_PRMD, "OFTP", 4);
	orname_set(or, OR_O, "Gateway", 7);
	orname_set(or, OR_S, s, strlen(s));
	orname_set(or, OR_G, g, strlen(g));
}

static void
set_gdi(struct p1_gdi *g)
{
	memset(g, 0, sizeof(*g));
	strcpy(g->c, "DE");
	strcpy(g->admd, "VIAT");
	strcpy(g->prmd, "OFTP");
	g->has_prmd = 1;
}

static int
put(const char *dir, const char *name, const struct p1_pdu *pdu)
{
	struct berw	 w;
	char		 path[1024];
	int		 fd, e;

	berw_init(&w);
	if ((e = p1_encode(&w, pdu)) != BER_OK) {
		fprintf(stderr, "p1gen: %s: %s: %s\n", name,
		    w.err_field ? w.err_field : "?", ber_strerror(e));
		berw_free(&w);
		return EX_SOFTWARE;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    berw_write_fd(&w, fd) != BER_OK || close(fd) < 0) {
		perror(path);
		berw_free(&w);
		return EX_CANTCREAT;
	}
	berw_free(&w);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct p1_pdu pdu;
	static struct p1_rcpt rc[2];
	static struct p1_rrcpt rr;
	struct p1_trace	 tr;
	char		 cpath[1024];
	time_t		 t0 = 1735787045;	/* 2025-01-02 03:04:05Z */
	int		 cfd, rv;

	if (argc != 2) {
		fprintf(stderr, "usage: p1gen OUTDIR\n");
		return EX_USAGE;
	}
	snprintf(cpath, sizeof(cpath), "%s/content.p22", argv[1]);
	if ((cfd = open(cpath, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    write(cfd, ipm, sizeof(ipm)) != (ssize_t)sizeof(ipm)) {
		perror(cpath);
		return EX_CANTCREAT;
	}

	memset(&tr, 0, sizeof(tr));
	set_gdi(&tr.gdi);
	tr.arrival = t0;

	/* message */
	p1_init(&pdu);
	pdu.kind = P1_MESSAGE;
	set_gdi(&pdu.msg.env.id.gdi);
	strcpy(pdu.msg.env.id.local, "gen-msg-1");
	set_name(&pdu.msg.env.originator, "Sender", "Sam");
	pdu.msg.env.has_eits = 1;
	pdu.msg.env.eits.builtin = 1u << 2;	/* ia5-text */
	pdu.msg.env.ctype.present = 1;
	pdu.msg.env.ctype.builtin = P1_CT_P22;
	pdu.msg.env.has_cid = 1;
	strcpy(pdu.msg.env.cid, "gen-cid-1");
	pdu.msg.env.priority = P1_PRIO_URGENT;
	pdu.msg.env.pmi = P1_PMI_DISCLOSURE | P1_PMI_ALTERNATE;
	pdu.msg.env.trace.n = 1;
	pdu.msg.env.trace.v = &tr;
	set_name(&rc[0].name, "Receiver", "Rita");
	rc[0].osrn = 1;
	rc[0].pri = P1_PRI_RESPONSIBILITY | P1_PRI_MTA_REPORT |
	    P1_PRI_ORIG_REPORT;
	set_name(&rc[1].name, "Other", "Otto");
	rc[1].osrn = 2;
	rc[1].pri = P1_PRI_RESPONSIBILITY | P1_PRI_MTA_NDR;
	pdu.msg.env.nrcpt = 2;
	pdu.msg.env.rcpt = rc;
	pdu.msg.content.present = 1;
	pdu.msg.content.use_fd = 1;
	pdu.msg.content.fd = cfd;
	pdu.msg.content.off = 0;
	pdu.msg.content.fdlen = sizeof(ipm);
	if ((rv = put(argv[1], "gen_msg.p1", &pdu)) != 0)
		return rv;

	/* probe: the same envelope without priority and content */
	pdu.kind = P1_PROBE;
	strcpy(pdu.msg.env.id.local, "gen-prb-1");
	pdu.msg.env.priority = P1_PRIO_NORMAL;
	pdu.msg.env.has_clen = 1;
	pdu.msg.env.clen = sizeof(ipm);
	if ((rv = put(argv[1], "gen_probe.p1", &pdu)) != 0)
		return rv;

	/* delivery report on gen-msg-1 */
	p1_init(&pdu);
	pdu.kind = P1_REPORT;
	set_gdi(&pdu.rpt.id.gdi);
	strcpy(pdu.rpt.id.local, "gen-rpt-1");
	set_name(&pdu.rpt.dest, "Sender", "Sam");
	pdu.rpt.trace.n = 1;
	pdu.rpt.trace.v = &tr;
	set_gdi(&pdu.rpt.subject.gdi);
	strcpy(pdu.rpt.subject.local, "gen-msg-1");
	pdu.rpt.ctype.present = 1;
	pdu.rpt.ctype.builtin = P1_CT_P22;
	pdu.rpt.has_cid = 1;
	strcpy(pdu.rpt.cid, "gen-cid-1");
	set_name(&rr.actual, "Receiver", "Rita");
	rr.osrn = 1;
	rr.arrival = t0 + 60;
	rr.type = P1_DELIVERY;
	rr.delivery_time = t0 + 120;
	rr.has_suppl = 1;
	strcpy(rr.suppl, "delivered by oxgate");
	pdu.rpt.nrcpt = 1;
	pdu.rpt.rcpt = &rr;
	if ((rv = put(argv[1], "gen_dr.p1", &pdu)) != 0)
		return rv;

	/* non-delivery report: unable-to-transfer, unrecognised-OR-name */
	strcpy(pdu.rpt.id.local, "gen-rpt-2");
	rr.type = P1_NON_DELIVERY;
	rr.reason = 1;
	rr.has_diag = 1;
	rr.diag = 0;
	rr.has_suppl = 0;
	if ((rv = put(argv[1], "gen_ndr.p1", &pdu)) != 0)
		return rv;
	close(cfd);
	return 0;
}
