/*
 * NAME
 *	lockprobe - how long a converter waits for the trace, measured
 * SYNOPSIS
 *	lockprobe DB SECONDS   (SIGTERM ends it early, still printing)
 * DESCRIPTION
 *	Benchmark tool: for SECONDS, begins one new transaction after
 *	another in the trace database (what a converter does per file: a
 *	write transaction, synced) and prints the number done and the
 *	longest and median time one took, in milliseconds. Run beside
 *	oxpurge, the longest time is how long the purge blocked converters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "gw/trace.h"
#include "tool.h"

#include <signal.h>

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	struct trace	*t;
	struct trace_row r;
	char		 err[512];
	const struct timespec pace = { 0, 5000000 };
	double		 end, t0, *lat = NULL;
	size_t		 n = 0, cap = 0;
	int64_t		 id;
	int		 created;

	if (argc != 3) {
		fprintf(stderr, "usage: lockprobe DB SECONDS\n");
		return EX_USAGE;
	}
	if (trace_open(argv[1], 10000, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "lockprobe: %s\n", err);
		return EX_UNAVAILABLE;
	}
	signal(SIGTERM, on_term);
	end = now_ms() + atof(argv[2]) * 1e3;
	while (now_ms() < end && !stop) {
		memset(&r, 0, sizeof(r));
		r.dir = TRACE_OFTP2X400;
		snprintf(r.oftp.dsn, sizeof(r.oftp.dsn), "PROBE%zu", n);
		snprintf(r.oftp.date, sizeof(r.oftp.date), "20261122");
		snprintf(r.oftp.time, sizeof(r.oftp.time), "1000000001");
		snprintf(r.oftp.orig, sizeof(r.oftp.orig), "O0013PROBE");
		snprintf(r.oftp.dest, sizeof(r.oftp.dest), "O0013PROBE");
		t0 = now_ms();
		if (trace_begin_oftp(t, &r, time(NULL), &id, &created) < 0) {
			fprintf(stderr, "lockprobe: %s\n", trace_error(t));
			return EX_TEMPFAIL;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			lat = realloc(lat, cap * sizeof(*lat));
		}
		lat[n++] = now_ms() - t0;
		nanosleep(&pace, NULL);
	}
	qsort(lat, n, sizeof(*lat), cmp_double);
	printf("%zu %.1f %.1f\n", n, n ? lat[n - 1] : 0, n ? lat[n / 2] : 0);
	free(lat);
	trace_close(t);
	return 0;
}
