/*
 * NAME
 *	tracefill - put sample transactions into a trace database
 * SYNOPSIS
 *	tracefill DB NOW [PREFIX [COUNT]]
 * DESCRIPTION
 *	Test tool for oxtrace: creates three transactions at time NOW
 *	(seconds): 1 oftp2x400 "acme" INVOIC001 -> mts-1, converted, deadline
 *	NOW-3600 (expired), out_file m1.p1; 2 x4002oftp "supplier" mts-2,
 *	converted, deadline NOW+3600, out_file F2; 3 x4002oftp "supplier"
 *	mts-3, converted, deadline NOW-60 (expired), out_file F3, with a
 *	note holding a comma and a quote (for the CSV). With PREFIX the
 *	DSNs and MTS identifiers start with it (another set of rows); with
 *	COUNT, COUNT rows PREFIX.N instead (for volume tests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "gw/trace.h"

static int64_t
add(struct trace *t, enum trace_dir dir, const char *partner,
    const char *dsn, const char *mts, const char *out, time_t now,
    time_t deadline, const char *note)
{
	struct trace_row r;
	int64_t	 id;
	int	 created;

	memset(&r, 0, sizeof(r));
	r.dir = dir;
	snprintf(r.partner, sizeof(r.partner), "%s", partner);
	snprintf(r.oftp.dsn, sizeof(r.oftp.dsn), "%s", dsn);
	snprintf(r.oftp.date, sizeof(r.oftp.date), "20261122");
	snprintf(r.oftp.time, sizeof(r.oftp.time), "1000000001");
	snprintf(r.oftp.orig, sizeof(r.oftp.orig), "O0013ACMEGMBH");
	snprintf(r.oftp.dest, sizeof(r.oftp.dest), "O0177000000000X0LU000001");
	snprintf(r.mts_id, sizeof(r.mts_id), "%s", mts);
	r.eerp_mode = 2;
	if ((dir == TRACE_OFTP2X400 ? trace_begin_oftp(t, &r, now, &id,
	    &created) : trace_begin_x400(t, &r, now, &id, &created)) < 0 ||
	    trace_record_files(t, id, "in", out, "", now) < 0 ||
	    trace_record_state(t, id, TRACE_S_CONVERTED, now, deadline,
	    note) < 0) {
		fprintf(stderr, "tracefill: %s\n", trace_error(t));
		exit(EX_SOFTWARE);
	}
	return id;
}

int
main(int argc, char **argv)
{
	struct trace	*t;
	char		 err[512];
	time_t		 now;

	const char	*pre = argc > 3 ? argv[3] : "";
	char		 a[64], b[64];
	long		 i, count = argc > 4 ? strtol(argv[4], NULL, 10) : 0;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: tracefill DB NOW [PREFIX [COUNT]]\n");
		return EX_USAGE;
	}
	now = (time_t)strtoll(argv[2], NULL, 10);
	if (trace_open(argv[1], 0, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "tracefill: %s\n", err);
		return EX_UNAVAILABLE;
	}
	for (i = 0; i < count; i++) {
		snprintf(a, sizeof(a), "%s.%ld", pre, i);
		add(t, TRACE_OFTP2X400, "acme", a, a, "", now, now, "bulk");
	}
	if (count > 0) {
		trace_close(t);
		return 0;
	}
#define P(s) (snprintf(a, sizeof(a), "%s%s", pre, s), a)
#define M(s) (snprintf(b, sizeof(b), "%s%s", pre, s), b)
	add(t, TRACE_OFTP2X400, "acme", P("INVOIC001"), M("mts-1"), "m1.p1",
	    now, now - 3600, "converted");
	add(t, TRACE_X4002OFTP, "supplier", P("DELFOR002"), M("mts-2"), "F2",
	    now, now + 3600, "converted");
	add(t, TRACE_X4002OFTP, "supplier", P("DELFOR003"), M("mts-3"), "F3",
	    now, now - 60, "waits, \"late\"");
	trace_close(t);
	return 0;
}
