/*
 * NAME
 *	t_gw - tests of the converters' frame: temporary failures counted,
 *	the queue lifetime (gw_run, issue 22)
 * DESCRIPTION
 *	A gateway on a test spool, a handler that fails as told, the clock
 *	set through OXGATE_NOW (util/clock.h). Each temporary failure is
 *	counted in the trace (attempts, next try after the backoff, last
 *	error); a success drops the count; the first attempt once the queue
 *	lifetime ([spool] queue-lifetime) has passed runs with g->final set,
 *	and a temporary failure then sends the item to failed/ with a .why
 *	naming the lifetime (Postfix's maximal_queue_lifetime is the model).
 *	Group commit (issue 27): items whose handlers stage, record and
 *	publish through gw/outbox as the converters do are published after
 *	their group's end, one output each; a trace error that rolls back
 *	the group's transaction inside an item decides nothing of the
 *	group: no output published, the staged files removed, every input
 *	back in its queue.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "test.h"
#include "gw/gw.h"
#include "gw/outbox.h"
#include "gw/trace.h"

#define T0	1800000000

static int	 answer;		/* what the handler returns */
static int	 seen_final;		/* g->final when it ran */
static int	 calls;
static const char *ok_name;		/* this item goes through */
static struct gw gw;

static int
handler(struct queue_item *it, void *arg)
{
	struct gw *g = arg;

	calls++;
	seen_final = g->final;
	if (ok_name != NULL && strcmp(it->name, ok_name) == 0)
		return EX_OK;
	if (answer != EX_OK)
		snprintf(it->why, sizeof(it->why), "injected failure");
	return answer;
}

static void
put(const char *dir, const char *name)
{
	char	 p[1200];
	FILE	*f;

	snprintf(p, sizeof(p), "%s/spool/x400/reports/%s", dir, name);
	if ((f = fopen(p, "w")) == NULL) {
		test_fail(__FILE__, __LINE__, "%s: cannot write", p);
		return;
	}
	fputs("report\n", f);
	fclose(f);
}

/* One batch run at T0 + at; the handler answers rc. */
static int
run_at(long at, int rc)
{
	char	 v[32];

	snprintf(v, sizeof(v), "%lld", (long long)T0 + at);
	setenv("OXGATE_NOW", v, 1);
	answer = rc;
	calls = 0;
	seen_final = -1;
	return gw_run(&gw, SPOOL_X400_REPORTS, 0, 0, handler, &gw);
}

/* A gateway on a fresh spool in dir, [spool] extra keys added. */
static int
open_gw(const char *dir, const char *extra)
{
	char	 p[1200], err[512];
	FILE	*f;

	snprintf(p, sizeof(p), "%s/partners.ini", dir);
	if ((f = fopen(p, "w")) != NULL)
		fclose(f);
	snprintf(p, sizeof(p), "%s/oxgate.ini", dir);
	if ((f = fopen(p, "w")) == NULL)
		return -1;
	fprintf(f, "[spool]\nroot = spool\n%s[oftp]\npartners = "
	    "partners.ini\n[security]\nsandbox = off\n", extra);
	fclose(f);
	if (gw_open(&gw, p, err, sizeof(err)) != EX_OK) {
		test_fail(__FILE__, __LINE__, "gw_open: %s", err);
		return -1;
	}
	return 0;
}

static void
t_lifetime(void)
{
	struct trace_deferral d;
	const char	*dir = test_dir();
	char		 p[1200], why[600];
	FILE		*f;
	size_t		 n;

	if (open_gw(dir, "queue-lifetime = 1\n") < 0)
		return;
	put(dir, "R1");
	put(dir, "R2");
	/* T0: both fail; attempt 1, next try 60 s later */
	CHECK_EQ_INT(run_at(0, EX_TEMPFAIL), EX_TEMPFAIL);
	CHECK_EQ_INT(calls, 2);
	CHECK_EQ_INT(seen_final, 0);
	CHECK_EQ_INT(trace_deferral_get(gw.trace, "x400/reports", "R1", &d),
	    1);
	CHECK_EQ_INT(d.attempts, 1);
	CHECK_EQ_INT(d.first, T0);
	CHECK_EQ_INT(d.next_try, T0 + GW_BACKOFF_MIN);
	CHECK(strncmp(d.error, "injected failure", 16) == 0);
	/* half an hour later: attempt 2, the backoff doubled */
	CHECK_EQ_INT(run_at(1800, EX_TEMPFAIL), EX_TEMPFAIL);
	CHECK_EQ_INT(trace_deferral_get(gw.trace, "x400/reports", "R1", &d),
	    1);
	CHECK_EQ_INT(d.attempts, 2);
	CHECK_EQ_INT(d.first, T0);
	CHECK_EQ_INT(d.last, T0 + 1800);
	CHECK_EQ_INT(d.next_try, T0 + 1800 + 2 * GW_BACKOFF_MIN);
	/* R2 goes through: its count is dropped; R1 fails once more */
	ok_name = "R2";
	CHECK_EQ_INT(run_at(2400, EX_TEMPFAIL), EX_TEMPFAIL);
	ok_name = NULL;
	CHECK_EQ_INT(trace_deferral_get(gw.trace, "x400/reports", "R2", &d),
	    0);
	CHECK_EQ_INT(trace_deferral_get(gw.trace, "x400/reports", "R1", &d),
	    1);
	CHECK_EQ_INT(d.attempts, 3);
	/* the lifetime is over at T0 + 3600: the last attempt */
	CHECK_EQ_INT(run_at(3600, EX_TEMPFAIL), EX_OK);
	CHECK_EQ_INT(calls, 1);
	CHECK_EQ_INT(seen_final, 1);
	CHECK_EQ_INT(trace_deferral_get(gw.trace, "x400/reports", "R1", &d),
	    0);
	snprintf(p, sizeof(p), "%s/spool/failed/R1.why", dir);
	why[0] = '\0';
	if ((f = fopen(p, "r")) != NULL) {
		n = fread(why, 1, sizeof(why) - 1, f);
		why[n] = '\0';
		fclose(f);
	}
	CHECK(strstr(why, "injected failure (failed for good: the queue "
	    "lifetime of 1 hours is over") != NULL);
	CHECK(strstr(why, "4 attempts") != NULL);
	snprintf(p, sizeof(p), "%s/spool/x400/reports/R1", dir);
	CHECK(access(p, F_OK) != 0);
	gw_close(&gw);
	unsetenv("OXGATE_NOW");
}

/* A success drops the count of an item that failed before. */
static void
t_success_clears(void)
{
	struct trace_deferral d;
	const char	*dir = test_dir();

	if (open_gw(dir, "") < 0)
		return;
	CHECK_EQ_INT(gw.cfg.queue_lifetime, 120);	/* the default */
	put(dir, "S1");
	CHECK_EQ_INT(run_at(0, EX_TEMPFAIL), EX_TEMPFAIL);
	CHECK_EQ_INT(trace_deferral_get(gw.trace, "x400/reports", "S1", &d),
	    1);
	CHECK_EQ_INT(run_at(60, EX_OK), EX_OK);
	CHECK_EQ_INT(seen_final, 0);
	CHECK_EQ_INT(trace_deferral_get(gw.trace, "x400/reports", "S1", &d),
	    0);
	gw_close(&gw);
	unsetenv("OXGATE_NOW");
}

/*
 * As a converter: a row for the item, one output staged in x400/out,
 * recorded and published through the outbox. "bad" rolls back the
 * group's transaction too (a trace error inside the group).
 */
static int
ob_handler(struct queue_item *it, void *arg)
{
	struct gw	*g = arg;
	struct trace	*t = g->trace;
	struct trace_row r;
	struct outbox	 ob;
	char		 name[64], err[256];
	int64_t		 id;
	int		 created, rc;

	calls++;
	memset(&r, 0, sizeof(r));
	r.dir = TRACE_OFTP2X400;
	snprintf(r.oftp.dsn, sizeof(r.oftp.dsn), "%.20s", it->name);
	snprintf(r.oftp.date, sizeof(r.oftp.date), "20261207");
	snprintf(r.oftp.time, sizeof(r.oftp.time), "1200000001");
	snprintf(r.oftp.orig, sizeof(r.oftp.orig), "O0013A");
	snprintf(r.oftp.dest, sizeof(r.oftp.dest), "O0013B");
	outbox_init(&ob, g->cfg.spool, NULL);
	snprintf(name, sizeof(name), "%.20s.out", it->name);
	if (outbox_put(&ob, "x400/out", name, "out\n", 4) < 0)
		return EX_TEMPFAIL;
	if (trace_batch_begin(t) < 0 || trace_begin_oftp(t, &r, T0, &id,
	    &created) < 0) {
		rc = outbox_trace_fail(&ob, t, it->why, sizeof(it->why));
		outbox_free(&ob);
		return rc;
	}
	if (strcmp(it->name, "bad") == 0) {
		trace_batch_rollback(t);	/* its savepoint */
		trace_batch_rollback(t);	/* and the group's transaction */
	}
	rc = outbox_commit(&ob, t, id, T0, err, sizeof(err));
	outbox_free(&ob);
	if (rc != 0) {
		snprintf(it->why, sizeof(it->why), "%.400s", err);
		return EX_TEMPFAIL;
	}
	return EX_OK;
}

/* Files in dir (not . and ..), -1 when it cannot be read. */
static int
nfiles(const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int
at(const char *dir, const char *rel)
{
	char	 p[1200];

	snprintf(p, sizeof(p), "%s/spool/%s", dir, rel);
	return access(p, F_OK) == 0;
}

/* A gateway in dir with the items a, MIDDLE and c, at T0; one group
 * (batch-time at its most: the three fit in it under valgrind too). */
static int
group_gw(const char *dir, const char *middle)
{
	if (open_gw(dir, "batch-time = 1000\n") < 0)
		return -1;
	put(dir, "a");
	put(dir, middle);
	put(dir, "c");
	setenv("OXGATE_NOW", "1800000000", 1);
	calls = 0;
	return 0;
}

static void
t_group_commit(void)
{
	const char	*dir = test_dir();
	char		 p[1200];

	if (group_gw(dir, "b") < 0)
		return;
	CHECK_EQ_INT(gw_run(&gw, SPOOL_X400_REPORTS, 0, 0, ob_handler, &gw),
	    EX_OK);
	CHECK_EQ_INT(calls, 3);
	CHECK(at(dir, "x400/out/a.out") && at(dir, "x400/out/b.out") &&
	    at(dir, "x400/out/c.out"));
	snprintf(p, sizeof(p), "%s/spool/x400/out/tmp", dir);
	CHECK_EQ_INT(nfiles(p), 0);
	snprintf(p, sizeof(p), "%s/spool/x400/reports", dir);
	CHECK_EQ_INT(nfiles(p), 2);		/* tmp/, work/ */
	gw_close(&gw);
	unsetenv("OXGATE_NOW");
}

static void
t_group_trace_error(void)
{
	const char	*dir = test_dir();
	char		 p[1200];

	if (group_gw(dir, "bad") < 0)
		return;
	CHECK_EQ_INT(gw_run(&gw, SPOOL_X400_REPORTS, 0, 0, ob_handler, &gw),
	    EX_TEMPFAIL);
	CHECK_EQ_INT(calls, 3);
	snprintf(p, sizeof(p), "%s/spool/x400/out", dir);
	CHECK_EQ_INT(nfiles(p), 1);		/* tmp/: nothing out */
	snprintf(p, sizeof(p), "%s/spool/x400/out/tmp", dir);
	CHECK_EQ_INT(nfiles(p), 0);		/* a's staged file removed */
	CHECK(at(dir, "x400/reports/a") && at(dir, "x400/reports/bad") &&
	    at(dir, "x400/reports/c"));
	/* bad taken out: the next run converts a and c, once each */
	snprintf(p, sizeof(p), "%s/spool/x400/reports/bad", dir);
	CHECK(unlink(p) == 0);
	CHECK_EQ_INT(gw_run(&gw, SPOOL_X400_REPORTS, 0, 0, ob_handler, &gw),
	    EX_OK);
	CHECK(at(dir, "x400/out/a.out") && at(dir, "x400/out/c.out"));
	snprintf(p, sizeof(p), "%s/spool/x400/out", dir);
	CHECK_EQ_INT(nfiles(p), 3);
	gw_close(&gw);
	unsetenv("OXGATE_NOW");
}

int
main(void)
{
	TEST(t_lifetime);
	TEST(t_success_clears);
	TEST(t_group_commit);
	TEST(t_group_trace_error);
	return test_done();
}
