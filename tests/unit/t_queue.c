/*
 * NAME
 *	t_queue - unit tests of the spool queue engine
 * DESCRIPTION
 *	Scanning (order, what is an item), the three outcomes of a handler,
 *	the failed/ naming, recovery of every state a dead process can
 *	leave in its work directory, a live claim left alone, watch mode
 *	with signals (in a child process), filter mode, exit classes.
 *	Nothing stays in a queue unseen: an orphan .sfid fails after the
 *	grace time (not before), symbolic links, FIFOs and directories fail
 *	saying what they are, an unreadable file is deferred with a
 *	warning, and a queue directory that is a symbolic link is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "spool/queue.h"
#include "util/afile.h"

struct th {
	char	 out[PATH_MAX];
	char	 q[PATH_MAX];
	char	 failed[PATH_MAX];
	char	 archive[PATH_MAX];
	int	 calls;
	int	 temp_first;	/* fail TEMP on the first call */
	int	 reloads;
	int	 plant;		/* make a new Q/NAME, then TEMP */
	char	 log[PATH_MAX];	/* logger: "LEVEL message" lines */
	char	 ev[512];	/* group tests: "B", "E", "h:NAME" ... */
	int	 begin_rc, end_rc;	/* what the group callback returns */
	struct queue *qq;	/* the queue, for its work directory */
	char	 held[256];	/* items seen in work/ at each handler call */
};

static char *
p(const char *a, const char *b)
{
	static char	 buf[4][PATH_MAX];
	static int	 i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", a, b);
	return buf[i];
}

static void
put(const char *dir, const char *name, const char *text, time_t mtime)
{
	struct timespec	 ts[2];
	char		*path = p(dir, name);
	FILE		*f = fopen(path, "w");

	if (f == NULL) {
		test_fail(__FILE__, __LINE__, "%s: %s", path, strerror(errno));
		return;
	}
	fputs(text, f);
	fclose(f);
	if (mtime) {
		ts[0].tv_sec = ts[1].tv_sec = mtime;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		utimensat(AT_FDCWD, path, ts, 0);
	}
}

static int
is(const char *dir, const char *name)
{
	struct stat	 st;

	return lstat(p(dir, name), &st) == 0;
}

static char *
slurp(const char *path)
{
	static char	 buf[4096];
	ssize_t		 n;
	int		 fd;

	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY)) < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static int
count(const char *dir)
{
	char	 cmd[PATH_MAX + 64];
	FILE	*f;
	int	 n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	if ((f = popen(cmd, "r")) != NULL) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		pclose(f);
	}
	return n;
}

static int
handler(struct queue_item *it, void *arg)
{
	struct th	*t = arg;
	char		 data[256], name[NAME_MAX + 1];
	ssize_t		 n;

	t->calls++;
	if (t->qq != NULL) {	/* a group test: what work/D holds now */
		snprintf(t->ev + strlen(t->ev), sizeof(t->ev) - strlen(t->ev),
		    "h:%s ", it->name);
		snprintf(t->held + strlen(t->held), sizeof(t->held) -
		    strlen(t->held), "%d ", count(queue_workdir(t->qq)));
	}
	n = read(it->fd, data, sizeof(data) - 1);
	data[n > 0 ? n : 0] = '\0';
	if (t->temp_first && t->calls == 1) {
		snprintf(it->why, sizeof(it->why), "first call");
		return EX_TEMPFAIL;
	}
	if (t->plant) {
		put(t->q, it->name, "newer\n", 0);
		return EX_TEMPFAIL;
	}
	if (strstr(data, "FAIL")) {
		snprintf(it->why, sizeof(it->why), "bad\ninput");
		return EX_DATAERR;
	}
	if (strstr(data, "TEMP"))
		return EX_TEMPFAIL;
	if (it->filter)
		return EX_OK;
	snprintf(name, sizeof(name), "%s.out", it->name);
	if (afile_put(t->out, name, data, strlen(data)) < 0) {
		snprintf(it->why, sizeof(it->why), "%s", strerror(errno));
		return EX_TEMPFAIL;
	}
	return EX_OK;
}

static void
reload(void *arg)
{
	((struct th *)arg)->reloads++;
}

static void
logger(enum log_level lv, const char *msg, void *arg)
{
	static const char *const name[] = { "debug", "info", "warn", "error",
	    "fatal", "panic" };
	struct th	*t = arg;
	FILE		*f;

	if (t->log[0] != '\0' && (f = fopen(t->log, "a")) != NULL) {
		fprintf(f, "%s %s\n", name[lv], msg);
		fclose(f);
	}
}

/* A fresh spool: d/q (queue), d/out (output queue), d/failed. */
static void
setup(struct th *t, struct queue_opts *o, int flags)
{
	const char *d = test_dir();

	memset(t, 0, sizeof(*t));
	memset(o, 0, sizeof(*o));
	snprintf(t->q, sizeof(t->q), "%s/q", d);
	snprintf(t->out, sizeof(t->out), "%s/out", d);
	mkdir(t->q, 0700);
	mkdir(t->out, 0700);
	mkdir(p(t->out, "tmp"), 0700);
	o->dir = t->q;
	snprintf(t->failed, sizeof(t->failed), "%s/failed", d);
	snprintf(t->archive, sizeof(t->archive), "%s/archive", d);
	o->failed = t->failed;
	o->flags = flags;
	o->handler = handler;
	o->reload = reload;
	o->logger = logger;
	o->arg = t;
	o->prog = "t_queue";
	snprintf(t->log, sizeof(t->log), "%s/log", d);
}

static void
t_scan_order(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	char		**v;
	size_t		 n;

	setup(&t, &o, 0);
	put(t.q, "c", "x", 100);
	put(t.q, "b", "x", 200);
	put(t.q, "a", "x", 200);
	put(t.q, ".hidden", "x", 50);
	symlink("a", p(t.q, "link"));
	mkdir(p(t.q, "subdir"), 0700);
	mkfifo(p(t.q, "fifo"), 0600);
	if (queue_open(&q, &o) < 0) {
		CHECK(!"queue_open");
		return;
	}
	CHECK(is(t.q, "tmp") && is(t.q, "work"));
	CHECK(queue_scan(q, &v, &n) == 0);
	CHECK_EQ_INT(n, 6);		/* link, subdir, fifo: they fail */
	if (n == 6) {
		CHECK_EQ_STR(v[0], "c");
		CHECK_EQ_STR(v[1], "a");
		CHECK_EQ_STR(v[2], "b");
	}
	queue_names_free(v, n);
	queue_close(q);
	CHECK_EQ_INT(count(p(t.q, "work")), 0);
}

static void
t_scan_pairs(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	char		**v;
	size_t		 n;

	setup(&t, &o, QUEUE_PAIRS);
	put(t.q, "p1", "x", 10);
	put(t.q, "p1.sfid", "x", 300);	/* arrival = the marker */
	put(t.q, "p2", "x", 400);
	put(t.q, "p2.sfid", "x", 100);
	put(t.q, "p3", "x", 1);		/* being written */
	put(t.q, "orphan.sfid", "x", 1);
	CHECK(queue_open(&q, &o) == 0);
	CHECK(queue_scan(q, &v, &n) == 0);
	CHECK_EQ_INT(n, 2);
	if (n == 2) {
		CHECK_EQ_STR(v[0], "p2");
		CHECK_EQ_STR(v[1], "p1");
	}
	queue_names_free(v, n);
	queue_close(q);
}

static void
t_batch_outcomes(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	const struct queue_stats *st;
	char		*why;

	setup(&t, &o, QUEUE_PAIRS);
	put(t.q, "ok", "fine\n", 0);
	put(t.q, "ok.sfid", "[sfid]\n", 0);
	put(t.q, "bad", "FAIL\n", 0);
	put(t.q, "bad.sfid", "[sfid]\n", 0);
	put(t.q, "later", "TEMP\n", 0);
	put(t.q, "later.sfid", "[sfid]\n", 0);
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_run_batch(q), EX_TEMPFAIL);
	st = queue_get_stats(q);
	CHECK_EQ_INT(st->done, 1);
	CHECK_EQ_INT(st->failed, 1);
	CHECK_EQ_INT(st->deferred, 1);
	queue_close(q);
	CHECK_EQ_STR(slurp(p(t.out, "ok.out")), "fine\n");
	CHECK(!is(t.q, "ok") && !is(t.q, "ok.sfid"));
	CHECK(is(t.q, "later") && is(t.q, "later.sfid"));
	CHECK_EQ_STR(slurp(p(t.q, "later")), "TEMP\n");
	CHECK(!is(t.out, "later.out") && !is(t.out, "bad.out"));
	CHECK_EQ_STR(slurp(p(o.failed, "bad")), "FAIL\n");
	CHECK(is(o.failed, "bad.sfid"));
	why = slurp(p(o.failed, "bad.why"));
	CHECK(strstr(why, "item: bad\n") != NULL);
	CHECK(strstr(why, "reason: bad?input\n") != NULL);
	CHECK(strstr(why, "program: t_queue\n") != NULL);
	CHECK(strstr(why, "exit: 65 EX_DATAERR\n") != NULL);
	CHECK(strstr(why, "time: 20") != NULL);
	CHECK_EQ_INT(count(p(t.q, "work")), 0);
	CHECK_EQ_INT(count(p(t.out, "tmp")), 0);

	/* a second failure of the same name does not replace the first */
	put(t.q, "bad", "FAIL again\n", 0);
	put(t.q, "bad.sfid", "[sfid]\n", 0);
	unlink(p(t.q, "later.sfid"));
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);
	queue_close(q);
	CHECK_EQ_STR(slurp(p(o.failed, "bad")), "FAIL\n");
	CHECK_EQ_INT(count(o.failed), 6);
}

static void
t_archive(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;

	setup(&t, &o, QUEUE_PAIRS);
	o.archive = t.archive;
	put(t.q, "a", "A\n", 0);
	put(t.q, "a.sfid", "S\n", 0);
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);	/* nothing left */
	queue_close(q);
	CHECK_EQ_STR(slurp(p(o.archive, "a")), "A\n");
	CHECK_EQ_STR(slurp(p(o.archive, "a.sfid")), "S\n");
	CHECK(!is(t.q, "a") && !is(t.q, "a.sfid"));
	CHECK_EQ_INT(t.calls, 1);
}

static void
t_bad_items(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	struct stat	 st;

	setup(&t, &o, QUEUE_PAIRS);
	put(t.q, "m.sfid", "S\n", 0);		/* marker, no payload */
	put(t.q, "target", "T\n", 0);
	symlink("target", p(t.q, "s"));		/* payload a symlink */
	put(t.q, "s.sfid", "S\n", 0);
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_process(q, "m"), QUEUE_FAILED);
	CHECK_EQ_INT(queue_process(q, "s"), QUEUE_FAILED);
	CHECK_EQ_INT(queue_process(q, "nothere"), QUEUE_GONE);
	CHECK_EQ_INT(queue_process(q, "../x"), QUEUE_GONE);
	CHECK_EQ_INT(queue_process(q, ".lock"), QUEUE_GONE);
	queue_close(q);
	CHECK(is(o.failed, "m.sfid") && !is(o.failed, "m"));
	CHECK(strstr(slurp(p(o.failed, "m.why")), "payload missing") != NULL);
	CHECK(lstat(p(o.failed, "s"), &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(strstr(slurp(p(o.failed, "s.why")), "symbolic link") != NULL);
	CHECK(is(t.q, "target"));
	CHECK_EQ_INT(t.calls, 0);
}

/* A lone NAME.sfid: left alone for the grace time, then "payload missing". */
static void
t_orphan_marker(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	struct timespec	 ts = { 1, 200 * 1000000L };

	setup(&t, &o, QUEUE_PAIRS);
	put(t.q, "m.sfid", "S\n", 1);		/* an old mtime: ctime counts */
	put(t.q, "a.sfid", "payload of a pair\n", 0);
	put(t.q, "a.sfid.sfid", "S\n", 0);
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);
	CHECK_EQ_INT(queue_get_stats(q)->failed, 0);
	queue_close(q);
	CHECK(is(t.q, "m.sfid"));		/* within the grace time */
	CHECK(!is(o.failed, "m.why"));
	CHECK(is(t.out, "a.sfid.out"));
	CHECK_EQ_INT(t.calls, 1);

	o.grace = 1;
	nanosleep(&ts, NULL);
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);
	CHECK_EQ_INT(queue_get_stats(q)->failed, 1);
	queue_close(q);
	CHECK(!is(t.q, "m.sfid") && is(o.failed, "m.sfid"));
	CHECK(strstr(slurp(p(o.failed, "m.why")), "reason: payload missing")
	    != NULL);
	CHECK(strstr(slurp(t.log), "warn m: failed (65 EX_DATAERR): payload "
	    "missing") != NULL);
	CHECK_EQ_INT(t.calls, 1);
	CHECK_EQ_INT(count(p(t.q, "work")), 0);
}

/* Files that are not regular files fail, saying what they are. */
static void
t_not_regular(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	struct stat	 st;

	setup(&t, &o, QUEUE_PAIRS);
	put(t.q, "target", "T\n", 0);		/* no marker: left alone */
	put(t.q, "s", "S\n", 0);
	symlink("target", p(t.q, "s.sfid"));	/* marker a symbolic link */
	mkfifo(p(t.q, "f"), 0600);		/* payload a FIFO */
	put(t.q, "f.sfid", "S\n", 0);
	mkdir(p(t.q, "d"), 0700);		/* payload a directory */
	put(p(t.q, "d"), "inside", "I\n", 0);
	put(t.q, "d.sfid", "S\n", 0);
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);
	CHECK_EQ_INT(queue_get_stats(q)->failed, 3);
	queue_close(q);
	CHECK_EQ_INT(t.calls, 0);
	CHECK(lstat(p(o.failed, "s.sfid"), &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(strstr(slurp(p(o.failed, "s.why")), "reason: s.sfid: a symbolic "
	    "link (to target), not a regular file") != NULL);
	CHECK(lstat(p(o.failed, "f"), &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK(strstr(slurp(p(o.failed, "f.why")), "reason: f: a FIFO, not a "
	    "regular file") != NULL);
	CHECK(lstat(p(o.failed, "d"), &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_EQ_STR(slurp(p(p(o.failed, "d"), "inside")), "I\n");
	CHECK(strstr(slurp(p(o.failed, "d.why")), "reason: d: a directory, "
	    "not a regular file") != NULL);
	CHECK_EQ_STR(slurp(p(t.q, "target")), "T\n");
	CHECK_EQ_INT(count(t.q), 3);		/* target, tmp, work */
	CHECK_EQ_INT(count(p(t.q, "work")), 0);

	/* a plain queue: the item itself */
	setup(&t, &o, 0);
	snprintf(t.q, sizeof(t.q), "%s/plain", test_dir());
	mkdir(t.q, 0700);
	o.dir = t.q;
	symlink("/etc/passwd", p(t.q, "l"));
	mkfifo(p(t.q, "p"), 0600);
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);
	CHECK_EQ_INT(queue_get_stats(q)->failed, 2);
	queue_close(q);
	CHECK(strstr(slurp(p(o.failed, "l.why")), "reason: l: a symbolic link "
	    "(to /etc/passwd)") != NULL);
	CHECK(strstr(slurp(p(o.failed, "p.why")), "reason: p: a FIFO") != NULL);
	CHECK_EQ_INT(count(t.q), 2);		/* tmp, work */
	CHECK_EQ_INT(t.calls, 0);
}

/* A temporary failure is logged at warning level, with its reason. */
static void
t_defer_warns(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;

	setup(&t, &o, QUEUE_PAIRS);
	put(t.q, "later", "TEMP\n", 0);
	put(t.q, "later.sfid", "S\n", 0);
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_run_batch(q), EX_TEMPFAIL);
	queue_close(q);
	CHECK(strstr(slurp(t.log), "warn later: deferred: exit 75 "
	    "EX_TEMPFAIL\n") != NULL);
}

/*
 * A file we may not read goes back, with a warning, and is not failed.
 * As root, the child runs as nobody (it reaches its directory through
 * its working directory: the ones above are root's).
 */
static void
t_unreadable(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	const char	*d;
	pid_t		 pid;
	int		 status, ex;

	setup(&t, &o, QUEUE_PAIRS);
	d = test_dir();
	put(t.q, "r", "R\n", 0);
	put(t.q, "r.sfid", "S\n", 0);
	put(t.q, "s", "S\n", 0);
	put(t.q, "s.sfid", "S\n", 0);
	chmod(p(t.q, "r"), 0);
	chmod(p(t.q, "s.sfid"), 0);
	if (geteuid() == 0 && (chown(d, 65534, 65534) < 0 ||
	    chown(t.q, 65534, 65534) < 0)) {
		CHECK(!"chown");
		return;
	}
	fflush(stdout);
	if ((pid = fork()) == 0) {
		if (chdir(d) < 0 || (geteuid() == 0 && (setgroups(0, NULL) <
		    0 || setgid(65534) < 0 || setuid(65534) < 0)))
			_exit(99);
		o.dir = "q";
		o.failed = "failed";
		snprintf(t.log, sizeof(t.log), "log");
		if (queue_open(&q, &o) < 0)
			_exit(98);
		ex = queue_run_batch(q);
		queue_close(q);
		_exit(ex);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == EX_TEMPFAIL);
	CHECK(is(t.q, "r") && is(t.q, "r.sfid") && is(t.q, "s") &&
	    is(t.q, "s.sfid"));
	CHECK_EQ_INT(count(t.failed), 0);
	CHECK_EQ_INT(count(p(t.q, "work")), 0);
	CHECK(strstr(slurp(t.log), "warn r: deferred: r: cannot be read "
	    "(Permission denied); it stays in the queue until its "
	    "permissions are fixed\n") != NULL);
	CHECK(strstr(slurp(t.log), "warn s: deferred: s.sfid: cannot be "
	    "read (Permission denied)") != NULL);
	CHECK_EQ_INT(t.calls, 0);
}

/* The queue's directories must not be symbolic links. */
static void
t_symlinked_dirs(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	char		 real[PATH_MAX + 8], slash[PATH_MAX + 1];

	setup(&t, &o, QUEUE_PAIRS);
	snprintf(real, sizeof(real), "%s.real", t.q);
	CHECK(rename(t.q, real) == 0 && symlink(real, t.q) == 0);
	put(real, "x", "X\n", 0);
	put(real, "x.sfid", "S\n", 0);
	errno = 0;
	CHECK(queue_open(&q, &o) < 0 && errno == ELOOP && q == NULL);
	snprintf(slash, sizeof(slash), "%s/", t.q);
	o.dir = slash;				/* a slash would follow it */
	errno = 0;
	CHECK(queue_open(&q, &o) < 0 && errno == ELOOP && q == NULL);
	CHECK(strstr(slurp(t.log), "error ") != NULL &&
	    strstr(slurp(t.log), "/q: is a symbolic link") != NULL);
	CHECK(is(real, "x") && is(real, "x.sfid") && !is(real, "work"));
	CHECK(!is(t.failed, ""));

	/* failed/, Q/tmp, Q/work: the same; a file is not a directory */
	o.dir = t.q;
	CHECK(unlink(t.q) == 0 && rename(real, t.q) == 0);
	mkdir(p(test_dir(), "elsewhere"), 0700);
	symlink("elsewhere", t.failed);
	errno = 0;
	CHECK(queue_open(&q, &o) < 0 && errno == ELOOP);
	CHECK(strstr(slurp(t.log), "/failed: is a symbolic link") != NULL);
	unlink(t.failed);
	rmdir(p(t.q, "work"));
	CHECK(symlink("../elsewhere", p(t.q, "work")) == 0);
	errno = 0;
	CHECK(queue_open(&q, &o) < 0 && errno == ELOOP);
	unlink(p(t.q, "work"));
	CHECK(rmdir(p(t.q, "tmp")) == 0);
	CHECK(symlink("../elsewhere", p(t.q, "tmp")) == 0);
	errno = 0;
	CHECK(queue_open(&q, &o) < 0 && errno == ELOOP);
	unlink(p(t.q, "tmp"));
	put(t.q, "tmp", "a file\n", 0);
	errno = 0;
	CHECK(queue_open(&q, &o) < 0 && errno == ENOTDIR);
	CHECK(strstr(slurp(t.log), "/q/tmp: is not a directory") != NULL);
	CHECK_EQ_INT(count(p(test_dir(), "elsewhere")), 0);
	unlink(p(t.q, "tmp"));
	CHECK(queue_open(&q, &o) == 0);
	queue_close(q);
}

/* Make Q/work/NAME as a dead process would have left it. */
static char *
deadwork(const char *qdir, const char *name, int lock)
{
	char	*d = p(p(qdir, "work"), name);

	mkdir(p(qdir, "work"), 0700);
	mkdir(d, 0700);
	if (lock)
		put(d, ".lock", "", 0);
	return d;
}

static void
t_recover_pairs(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	char		 d1[PATH_MAX], d2[PATH_MAX], d3[PATH_MAX];
	char		 d4[PATH_MAX], d5[PATH_MAX], d6[PATH_MAX];
	int		 lfd;

	setup(&t, &o, QUEUE_PAIRS);
	mkdir(o.failed, 0700);
	/* claimed */
	snprintf(d1, sizeof(d1), "%s", deadwork(t.q, "1.a", 1));
	put(d1, "a", "A\n", 0);
	put(d1, "a.sfid", "S\n", 0);
	/* half claimed */
	snprintf(d2, sizeof(d2), "%s", deadwork(t.q, "2.b", 1));
	put(t.q, "b", "B\n", 0);
	put(d2, "b.sfid", "S\n", 0);
	/* half removed after success */
	snprintf(d3, sizeof(d3), "%s", deadwork(t.q, "3.c", 1));
	put(d3, "c", "C\n", 0);
	/* failing: payload already in failed/ */
	snprintf(d4, sizeof(d4), "%s", deadwork(t.q, "4.d", 1));
	put(o.failed, "d", "D\n", 0);
	put(d4, "d.sfid", "S\n", 0);
	put(d4, ".why", "item: d\nfile: d\nreason: x\n", 0);
	put(d4, ".why.tmp", "junk", 0);
	/* alive: its lock is held */
	snprintf(d5, sizeof(d5), "%s", deadwork(t.q, "5.e", 1));
	put(d5, "e", "E\n", 0);
	put(d5, "e.sfid", "S\n", 0);
	lfd = open(p(d5, ".lock"), O_RDWR);
	CHECK(lfd >= 0 && flock(lfd, LOCK_EX | LOCK_NB) == 0);
	/* never got its lock */
	snprintf(d6, sizeof(d6), "%s", deadwork(t.q, "6.f", 0));

	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_get_stats(q)->recovered, 2);
	CHECK_EQ_INT(queue_get_stats(q)->failed, 1);
	CHECK(is(t.q, "a") && is(t.q, "a.sfid"));
	CHECK(is(t.q, "b") && is(t.q, "b.sfid"));
	CHECK(!is(t.q, "c") && !is(t.q, "c.sfid"));
	CHECK(is(o.failed, "d.sfid") && is(o.failed, "d.why"));
	CHECK(!is(t.q, "d") && !is(t.q, "d.sfid"));
	CHECK(is(d5, "e") && is(d5, "e.sfid") && is(d5, ".lock"));
	CHECK(!is(d1, "") && !is(d2, "") && !is(d3, "") && !is(d4, ""));
	CHECK(!is(d6, ""));
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);
	CHECK_EQ_INT(t.calls, 2);
	queue_close(q);
	CHECK_EQ_INT(count(p(t.q, "work")), 1);	/* only the live one */

	/* once its owner is gone, the live one comes back too */
	close(lfd);
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_get_stats(q)->recovered, 1);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);
	queue_close(q);
	CHECK(is(t.out, "e.out"));
	CHECK_EQ_INT(count(p(t.q, "work")), 0);
	CHECK_EQ_INT(count(t.q), 2);		/* tmp, work */
}

static void
t_recover_plain(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	char		 d1[PATH_MAX];

	setup(&t, &o, 0);
	snprintf(d1, sizeof(d1), "%s", deadwork(t.q, "9.x", 1));
	put(d1, "x", "X\n", 0);
	put(d1, "x.sfid", "plain items may have any name\n", 0);
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_get_stats(q)->recovered, 2);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);
	queue_close(q);
	CHECK(is(t.out, "x.out") && is(t.out, "x.sfid.out"));
	CHECK_EQ_INT(count(p(t.q, "work")), 0);
}

/* A temporary failure never replaces a newer file of the same name. */
static void
t_requeue_noreplace(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;

	setup(&t, &o, 0);
	put(t.q, "n", "older\n", 0);
	t.plant = 1;
	CHECK(queue_open(&q, &o) == 0);
	CHECK_EQ_INT(queue_run_batch(q), EX_TEMPFAIL);
	CHECK(queue_get_stats(q)->errors > 0);
	queue_close(q);
	CHECK_EQ_STR(slurp(p(t.q, "n")), "newer\n");
	CHECK_EQ_INT(count(p(t.q, "work")), 1);	/* kept, not lost */
	t.plant = 0;
	CHECK(queue_open(&q, &o) == 0);		/* newer still there */
	CHECK_EQ_INT(queue_get_stats(q)->recovered, 0);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);	/* takes the newer */
	queue_close(q);
	CHECK_EQ_STR(slurp(p(t.out, "n.out")), "newer\n");
	CHECK(queue_open(&q, &o) == 0);		/* now the older */
	CHECK_EQ_INT(queue_get_stats(q)->recovered, 1);
	CHECK_EQ_INT(queue_run_batch(q), EX_OK);
	queue_close(q);
	CHECK_EQ_STR(slurp(p(t.out, "n.out")), "older\n");
	CHECK_EQ_INT(count(p(t.q, "work")), 0);
}

static int
wait_for(const char *dir, const char *name, int ms)
{
	struct timespec ts = { 0, 20 * 1000000L };

	for (; ms > 0; ms -= 20) {
		if (is(dir, name))
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

static void
t_watch(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;
	pid_t		 pid;
	int		 status, ex;
	char		 mark[PATH_MAX];

	setup(&t, &o, QUEUE_PAIRS);
	o.rescan = 1;
	o.retry = 1;
	t.temp_first = 1;
	snprintf(mark, sizeof(mark), "%s/reloaded", test_dir());
	put(t.q, "early", "E\n", 0);
	put(t.q, "early.sfid", "S\n", 0);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		if (queue_open(&q, &o) < 0)
			_exit(99);
		ex = queue_run_watch(q);
		queue_close(q);
		if (t.reloads > 0)
			put(test_dir(), "reloaded", "", 0);
		_exit(ex);
	}
	CHECK(pid > 0);
	/* the first call defers "early"; it is retried after a second */
	CHECK(wait_for(t.out, "early.out", 5000));
	put(t.q, "late", "L\n", 0);
	CHECK(!wait_for(t.out, "late.out", 300));	/* no marker yet */
	put(t.q, "late.sfid", "S\n", 0);
	CHECK(wait_for(t.out, "late.out", 3000));
	kill(pid, SIGHUP);
	kill(pid, SIGTERM);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(is(test_dir(), "reloaded"));
	CHECK_EQ_INT(count(p(t.q, "work")), 0);
	(void)mark;
}

static void
t_filter(void)
{
	struct th	 t;
	char		 why[QUEUE_WHY_MAX];
	const char	*d = test_dir();

	memset(&t, 0, sizeof(t));
	put(d, "in", "hello\n", 0);
	put(d, "bad", "FAIL\n", 0);
	CHECK_EQ_INT(queue_run_filter(p(d, "in"), NULL, handler, &t, why,
	    sizeof(why)), EX_OK);
	CHECK_EQ_INT(queue_run_filter(p(d, "bad"), NULL, handler, &t, why,
	    sizeof(why)), EX_DATAERR);
	CHECK_EQ_STR(why, "bad\ninput");
	CHECK_EQ_INT(queue_run_filter(p(d, "none"), NULL, handler, &t, why,
	    sizeof(why)), EX_NOINPUT);
	CHECK_EQ_INT(t.calls, 2);
}

static void
t_exit_classes(void)
{
	CHECK(!queue_exit_temporary(EX_DATAERR));
	CHECK(!queue_exit_temporary(EX_PROTOCOL));
	CHECK(queue_exit_temporary(EX_TEMPFAIL));
	CHECK(queue_exit_temporary(EX_IOERR));
	CHECK(queue_exit_temporary(EX_CANTCREAT));
	CHECK(queue_exit_temporary(EX_NOPERM));
	CHECK(queue_exit_temporary(EX_CONFIG));
	CHECK_EQ_STR(queue_exit_name(65), "EX_DATAERR");
	CHECK_EQ_STR(queue_exit_name(75), "EX_TEMPFAIL");
	CHECK_EQ_STR(queue_exit_name(78), "EX_CONFIG");
	CHECK_EQ_STR(queue_exit_name(0), "EX_OK");
	CHECK_EQ_STR(queue_exit_name(3), "EX_UNKNOWN");
}

static void
t_open_errors(void)
{
	struct queue_opts o;
	struct queue	*q;
	struct th	 t;

	setup(&t, &o, 0);
	o.failed = NULL;
	CHECK(queue_open(&q, &o) < 0 && errno == EINVAL && q == NULL);
	setup(&t, &o, 0);
	o.dir = p(test_dir(), "nonexistent");
	CHECK(queue_open(&q, &o) < 0 && errno == ENOENT);
}

/* The rules hold(3) takes from the engine: scan and move of a directory. */
static void
t_dir_rules(void)
{
	char	 a[PATH_MAX], b[PATH_MAX], **v;
	size_t	 n;
	int	 afd, bfd;

	snprintf(a, sizeof(a), "%s/ra", test_dir());
	snprintf(b, sizeof(b), "%s/rb", test_dir());
	CHECK(mkdir(a, 0700) == 0 && mkdir(b, 0700) == 0);
	put(a, "late", "1", 1000);
	put(a, "late.sfid", "s", 3000);
	put(a, "early", "2", 4000);
	put(a, "early.sfid", "s", 2000);
	put(a, "lone.sfid", "s", 0);		/* now: grace 0 lists it */
	put(a, "writing", "3", 1000);		/* no marker: not an item */
	afd = open(a, O_RDONLY | O_DIRECTORY);
	bfd = open(b, O_RDONLY | O_DIRECTORY);
	CHECK(queue_scan_dir(afd, QUEUE_PAIRS, 0, &v, &n) == 0);
	CHECK_EQ_INT(n, 3);
	if (n == 3) {
		CHECK_EQ_STR(v[0], "early");
		CHECK_EQ_STR(v[1], "late");
		CHECK_EQ_STR(v[2], "lone");
	}
	queue_names_free(v, n);
	CHECK(queue_scan_dir(afd, QUEUE_PAIRS, 60, &v, &n) == 0);
	CHECK_EQ_INT(n, 2);
	queue_names_free(v, n);
	/* payload first, marker last; a half-done move is finished */
	CHECK_EQ_INT(queue_move_item(afd, bfd, "late", QUEUE_PAIRS), 1);
	CHECK(is(b, "late") && is(b, "late.sfid") && !is(a, "late"));
	CHECK_EQ_INT(queue_move_item(afd, bfd, "lone", QUEUE_PAIRS |
	    QUEUE_MOVE_SYNC), 1);
	CHECK(is(b, "lone.sfid") && !is(a, "lone.sfid"));
	CHECK_EQ_INT(queue_move_item(afd, bfd, "late", QUEUE_PAIRS), 0);
	/* never replacing, unless asked to */
	put(b, "early", "old", 0);
	CHECK_EQ_INT(queue_move_item(afd, bfd, "early", QUEUE_PAIRS), -1);
	CHECK(errno == EEXIST && is(a, "early") && is(a, "early.sfid"));
	CHECK_EQ_INT(queue_move_item(afd, bfd, "early", QUEUE_PAIRS |
	    QUEUE_MOVE_REPLACE | QUEUE_MOVE_SYNC), 1);
	CHECK(is(b, "early.sfid") && !is(a, "early"));
	close(afd);
	close(bfd);
}

/* The group callback: its events into t->ev, its results from t. */
static int
group_cb(enum queue_group op, char *err, size_t errlen, void *arg)
{
	struct th	*t = arg;
	int		 begin = op == QUEUE_GROUP_BEGIN;

	snprintf(t->ev + strlen(t->ev), sizeof(t->ev) - strlen(t->ev), "%s ",
	    begin ? "B" : "E");
	if ((begin ? t->begin_rc : t->end_rc) == 0)
		return 0;
	snprintf(err, errlen, "disk on fire");
	return -1;
}

/* Four items, a bad one among them: a b(FAIL) c d, in that order. */
static void
group_setup(struct th *t, struct queue_opts *o)
{
	setup(t, o, QUEUE_PAIRS);
	o->group = group_cb;
	o->batch_ms = 60000;	/* a slow machine: the count rules */
	put(t->q, "a", "A\n", 0);
	put(t->q, "a.sfid", "S\n", 100);
	put(t->q, "b", "FAIL\n", 0);
	put(t->q, "b.sfid", "S\n", 200);
	put(t->q, "c", "C\n", 0);
	put(t->q, "c.sfid", "S\n", 300);
	put(t->q, "d", "D\n", 0);
	put(t->q, "d.sfid", "S\n", 400);
}

/*
 * Group commit (queue.h): one BEGIN and one END around the handlers of
 * a group; the inputs stay claimed until END, then the done ones go and
 * the failed one moves to failed/; a failing item does not hold back
 * the others; END failing puts every item back, deferred; a group
 * closes at opts.batch items; a large payload runs alone; BEGIN failing
 * defers every item, unclaimed.
 */
/* Run the queue of group_setup() once: its exit, events and counts. */
static void
group_run(struct th *t, const struct queue_opts *o, int want, const char *ev,
    unsigned long done, unsigned long failed, unsigned long deferred)
{
	const struct queue_stats *st;
	struct queue	*q;

	if (queue_open(&q, o) < 0) {
		CHECK(!"queue_open");
		return;
	}
	t->qq = q;
	CHECK_EQ_INT(queue_run_batch(q), want);
	CHECK_EQ_STR(t->ev, ev);
	st = queue_get_stats(q);
	CHECK_EQ_INT(st->done, done);
	CHECK_EQ_INT(st->failed, failed);
	CHECK_EQ_INT(st->deferred, deferred);
	queue_close(q);
	t->qq = NULL;
}

static void
t_group(void)
{
	struct queue_opts o;
	struct th	 t;

	group_setup(&t, &o);
	group_run(&t, &o, EX_OK, "B h:a h:b h:c h:d E ", 3, 1, 0);
	/* .lock, then 2 files more for each item claimed and not done */
	CHECK_EQ_STR(t.held, "3 5 7 9 ");
	CHECK(is(t.out, "a.out") && is(t.out, "c.out") && is(t.out, "d.out"));
	CHECK(!is(t.q, "a") && !is(t.q, "c.sfid") && !is(t.q, "d"));
	CHECK_EQ_STR(slurp(p(t.failed, "b")), "FAIL\n");
	CHECK(strstr(slurp(p(t.failed, "b.why")), "item: b\n") != NULL);
	CHECK_EQ_INT(count(p(t.q, "work")), 0);
}

/* END fails: nothing is finished, every item goes back, deferred */
static void
t_group_end_fails(void)
{
	struct queue_opts o;
	struct th	 t;

	group_setup(&t, &o);
	t.end_rc = -1;
	group_run(&t, &o, EX_TEMPFAIL, "B h:a h:b h:c h:d E ", 0, 0, 4);
	CHECK(is(t.q, "a") && is(t.q, "a.sfid") && is(t.q, "b.sfid"));
	CHECK(is(t.q, "c") && is(t.q, "d.sfid"));
	CHECK_EQ_INT(count(t.failed), 0);
	CHECK(strstr(slurp(t.log), "deferred: group commit: disk on fire") !=
	    NULL);
}

/* groups of two; then a large payload alone */
static void
t_group_limits(void)
{
	struct queue_opts o;
	struct th	 t;

	group_setup(&t, &o);
	o.batch = 2;
	group_run(&t, &o, EX_OK, "B h:a h:b E B h:c h:d E ", 3, 1, 0);
	group_setup(&t, &o);
	o.batch_size = 3;
	put(t.q, "b", "LARGE\n", 0);
	group_run(&t, &o, EX_OK, "B h:a E h:b B h:c h:d E ", 4, 0, 0);
	CHECK_EQ_STR(t.held, "3 3 3 5 ");
	CHECK(is(t.out, "b.out") && !is(t.q, "b"));
}

/* BEGIN fails: nothing could be recorded, every item waits unclaimed */
static void
t_group_begin_fails(void)
{
	struct queue_opts o;
	struct th	 t;

	group_setup(&t, &o);
	t.begin_rc = -1;
	group_run(&t, &o, EX_TEMPFAIL, "B ", 0, 0, 4);
	CHECK_EQ_INT(t.calls, 0);
	CHECK(is(t.q, "a") && is(t.q, "b.sfid") && is(t.q, "d.sfid"));
	CHECK_EQ_INT(count(t.failed), 0);
	CHECK(strstr(slurp(t.log), "d: deferred: group commit: disk on fire") !=
	    NULL);
}

int
main(void)
{
	TEST(t_scan_order);
	TEST(t_scan_pairs);
	TEST(t_batch_outcomes);
	TEST(t_archive);
	TEST(t_bad_items);
	TEST(t_orphan_marker);
	TEST(t_not_regular);
	TEST(t_defer_warns);
	TEST(t_unreadable);
	TEST(t_symlinked_dirs);
	TEST(t_recover_pairs);
	TEST(t_recover_plain);
	TEST(t_requeue_noreplace);
	TEST(t_watch);
	TEST(t_filter);
	TEST(t_exit_classes);
	TEST(t_open_errors);
	TEST(t_dir_rules);
	TEST(t_group);
	TEST(t_group_end_fails);
	TEST(t_group_limits);
	TEST(t_group_begin_fails);
	return test_done();
}
