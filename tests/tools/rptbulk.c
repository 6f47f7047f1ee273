/*
 * NAME
 *	rptbulk - many delivery reports at once, for make bench
 * SYNOPSIS
 *	rptbulk MSG.p1 DIR PREFIX FIRST STEP N
 * DESCRIPTION
 *	Writes N P1 delivery reports into the directory DIR (the files
 *	r0000000.p1, r0000001.p1, ...), as an MTA would return them on
 *	copies of the message MSG.p1 (as oftp2x400 wrote it): report k has
 *	the subject-identifier of MSG.p1 with the local identifier PREFIX
 *	followed by FIRST + k * STEP in lower-case hex, zero-padded to 24
 *	characters in all (the length of oftp2x400's; tests/bench.sh names
 *	its trace rows so), one per-recipient entry "delivered" for the
 *	message's first recipient (originally-specified-recipient-number 1)
 *	and goes to the message's originator. As "rptgen report MSG OUT d"
 *	but without a process per report. No fsync: bench input.
 * EXIT STATUS
 *	0 written; 64 usage; 65 bad input; 70 the encoder failed; 73 output.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "x400/p1.h"

#include "tool.h"

static void
usage(void)
{
	fprintf(stderr, "usage: rptbulk MSG.p1 DIR PREFIX FIRST STEP N\n");
	exit(EX_USAGE);
}

static unsigned long
num(const char *s)
{
	char	*end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-')
		usage();
	return v;
}

int
main(int argc, char **argv)
{
	struct p1_pdu	 msg, pdu;
	struct p1_trace	 tr;
	struct p1_rrcpt	 rr;
	struct ber_dec	 d;
	struct berw	 w;
	unsigned long	 first, step, n, k;
	char		 path[4096], local[sizeof(pdu.rpt.subject.local)];
	uint8_t		*buf;
	size_t		 len;
	size_t		 plen;
	int		 fd, e;

	if (argc != 7)
		usage();
	first = num(argv[4]);
	step = num(argv[5]);
	n = num(argv[6]);
	if ((plen = strlen(argv[3])) > 12)
		die(EX_USAGE, argv[3], "prefix too long");
	buf = slurp(argv[1], &len);
	ber_dec_init(&d);
	p1_init(&msg);
	if (p1_decode(&d, NULL, buf, len, &msg) != BER_OK ||
	    msg.kind != P1_MESSAGE || msg.msg.env.nrcpt == 0)
		die(EX_DATAERR, argv[1], "not a P1 message with recipients");

	memset(&tr, 0, sizeof(tr));
	tr.gdi = msg.msg.env.id.gdi;
	tr.arrival = 1795852800;
	memset(&rr, 0, sizeof(rr));
	rr.actual = msg.msg.env.rcpt[0].name;
	rr.osrn = 1;
	rr.arrival = 1795852800;
	rr.type = P1_DELIVERY;
	rr.delivery_time = 1795852860;
	p1_init(&pdu);
	pdu.kind = P1_REPORT;
	pdu.rpt.id.gdi = msg.msg.env.id.gdi;
	pdu.rpt.dest = msg.msg.env.originator;
	pdu.rpt.trace.n = 1;
	pdu.rpt.trace.v = &tr;
	pdu.rpt.subject = msg.msg.env.id;
	pdu.rpt.ctype = msg.msg.env.ctype;
	pdu.rpt.nrcpt = 1;
	pdu.rpt.rcpt = &rr;
	for (k = 0; k < n; k++) {
		snprintf(local, sizeof(local), "%s%0*lx", argv[3],
		    (int)(24 - plen), first + k * step);
		snprintf(pdu.rpt.subject.local, sizeof(pdu.rpt.subject.local),
		    "%s", local);
		snprintf(pdu.rpt.id.local, sizeof(pdu.rpt.id.local), "rpt-%.28s",
		    local);
		berw_init(&w);
		if ((e = p1_encode(&w, &pdu)) != BER_OK)
			die(EX_SOFTWARE, w.err_field ? w.err_field : "P1",
			    ber_strerror(e));
		if ((size_t)snprintf(path, sizeof(path), "%s/r%07lu.p1",
		    argv[2], k) >= sizeof(path))
			die(EX_USAGE, argv[2], "path too long");
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
		    berw_write_fd(&w, fd) != BER_OK || close(fd) < 0)
			die(EX_CANTCREAT, path, "cannot write");
		berw_free(&w);
	}
	pdu.rpt.trace.v = NULL;
	pdu.rpt.rcpt = NULL;
	pdu.rpt.nrcpt = 0;
	p1_free(&pdu);
	p1_free(&msg);
	free(buf);
	return 0;
}
