/*
 * NAME
 *	timerfill - trace rows for the timers of oxtrace expire
 * SYNOPSIS
 *	timerfill DB NOW
 * DESCRIPTION
 *	Test tool: creates, at NOW - 25 hours with the deadline NOW - 1 hour
 *	unless said, one transaction per timer situation, keyed by its DSN:
 *	  AGNF	 x4002oftp agent mode, out_file AGNF (the test leaves it in
 *		 oftp/out: not fetched), no DR asked: NDR owed
 *	  AGNE	 x4002oftp agent mode, file sent (state sent: the EERP
 *		 timer ran out), no DR asked: NDR owed
 *	  AGDR	 x4002oftp agent mode, sent, DR asked (sent at once): no NDR
 *	  AGSUP	 x4002oftp agent mode, sent, NDRs suppressed: no NDR
 *	  XFER	 x4002oftp transfer mode: NDR transfer-failure / max-time
 *	  XOLD	 x4002oftp transfer mode without a recorded originator (a
 *		 schema 1 row): NDR to the IPM identifier's originator
 *	  XFUT	 x4002oftp transfer mode, deadline NOW + 1 hour: untouched
 *	  O2M2	 oftp2x400 EERP mode 2, converted: NERP 35
 *	  O2M3	 oftp2x400 EERP mode 3, delivered: NERP 36
 *	  O2M1	 oftp2x400 EERP mode 1: expired only
 *	x4002oftp rows are of partnerships "agent" (station O0013AGENT) and
 *	"xfer" (O0013XFER), and list the station as their recipient.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "gw/trace.h"

#define ORIG	"/S=Sender/O=Acme/PRMD=ACME/ADMD=DBP/C=DE/"

static struct trace	*t;
static time_t		 now;

static void
die(void)
{
	fprintf(stderr, "timerfill: %s\n", trace_error(t));
	exit(EX_SOFTWARE);
}

static void
add(enum trace_dir dir, const char *partner, const char *dsn, int mode,
    int dn, int no_ndr, int orig, enum trace_state st, time_t deadline)
{
	struct trace_row r;
	char		 rc[128];
	const char	*rcp[1] = { rc };
	int64_t		 id;
	int		 created;
	time_t		 t0 = now - 25 * 3600;

	memset(&r, 0, sizeof(r));
	r.dir = dir;
	snprintf(r.partner, sizeof(r.partner), "%s", partner);
	snprintf(r.oftp.dsn, sizeof(r.oftp.dsn), "%s", dsn);
	snprintf(r.oftp.date, sizeof(r.oftp.date), "20261122");
	snprintf(r.oftp.time, sizeof(r.oftp.time), "1000000001");
	snprintf(r.mts_id, sizeof(r.mts_id), "[DE*DBP*MTA;m-%s]", dsn);
	r.eerp_mode = mode;
	r.dn_req = dn;
	r.no_ndr = no_ndr;
	if (dir == TRACE_X4002OFTP) {
		snprintf(r.oftp.orig, sizeof(r.oftp.orig), "O0177GATE");
		snprintf(r.oftp.dest, sizeof(r.oftp.dest), "%s",
		    strcmp(partner, "agent") == 0 ? "O0013AGENT" : "O0013XFER");
		snprintf(r.ipm_id, sizeof(r.ipm_id), "%s;ipm-%s", ORIG, dsn);
		if (orig)
			snprintf(r.x400_orig, sizeof(r.x400_orig), "%s", ORIG);
		snprintf(rc, sizeof(rc), "/DD.ODETTEID=%s/PRMD=OFTP/ADMD=VIAT"
		    "/C=DE/", r.oftp.dest);
	} else {
		snprintf(r.oftp.orig, sizeof(r.oftp.orig), "O0013ACME");
		snprintf(r.oftp.dest, sizeof(r.oftp.dest), "O0177GATE");
	}
	if (trace_begin_x400(t, &r, t0, &id, &created) < 0 ||
	    trace_record_files(t, id, "in", dsn, "", t0) < 0 ||
	    (dir == TRACE_X4002OFTP &&
	    trace_record_recipients(t, id, rcp, 1, t0) < 0) ||
	    trace_record_state(t, id, TRACE_S_CONVERTED, t0, deadline,
	    "converted") < 0 ||
	    (st != TRACE_S_CONVERTED && trace_record_state(t, id, st, t0,
	    TRACE_DEADLINE_KEEP, trace_state_name(st)) < 0))
		die();
}

int
main(int argc, char **argv)
{
	char	 err[512];

	if (argc != 3) {
		fprintf(stderr, "usage: timerfill DB NOW\n");
		return EX_USAGE;
	}
	now = (time_t)strtoll(argv[2], NULL, 10);
	if (trace_open(argv[1], 0, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "timerfill: %s\n", err);
		return EX_UNAVAILABLE;
	}
#define X	TRACE_X4002OFTP
#define O	TRACE_OFTP2X400
#define C	TRACE_S_CONVERTED
	add(X, "agent", "AGNF", 2, 0, 0, 1, C, now - 3600);
	add(X, "agent", "AGNE", 2, 0, 0, 1, TRACE_S_SENT, now - 3600);
	add(X, "agent", "AGDR", 2, 1, 0, 1, TRACE_S_SENT, now - 3600);
	add(X, "agent", "AGSUP", 2, 0, 1, 1, TRACE_S_SENT, now - 3600);
	add(X, "xfer", "XFER", 2, 0, 0, 1, C, now - 3600);
	add(X, "xfer", "XOLD", 2, 0, 0, 0, C, now - 3600);
	add(X, "xfer", "XFUT", 2, 0, 0, 1, C, now + 3600);
	add(O, "acme", "O2M2", 2, 0, 0, 0, C, now - 3600);
	add(O, "acme", "O2M3", 3, 0, 0, 0, TRACE_S_DELIVERED, now - 3600);
	add(O, "acme", "O2M1", 1, 0, 0, 0, C, now - 3600);
	trace_close(t);
	return 0;
}
