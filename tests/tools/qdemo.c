/*
 * NAME
 *	qdemo - a tiny converter driving the queue engine, for tests
 * SYNOPSIS
 *	qdemo [-pv] --spool Q | --watch Q --out OUTQ --failed DIR
 *	    [--log FILE] [--archive DIR] [--sleep-ms N] [--rescan S]
 *	    [--retry S]
 *	qdemo [--sfid FILE] [FILE]
 * DESCRIPTION
 *	For each item NAME of Q (with -p: NAME + NAME.sfid pairs) qdemo
 *	writes OUTQ/NAME.out, "out:" followed by the payload, with util/afile.h,
 *	then appends "NAME PID" to the log file (O_APPEND, one write), so a
 *	test can count what was done. The payload steers it: one containing
 *	"FAIL" is a permanent failure (EX_DATAERR), "TEMP" a temporary one,
 *	"SLEEP" makes it sleep 200 ms first. --sleep-ms sleeps before every
 *	item. SIGHUP appends "#reload PID" to the log.
 *	Without --spool or --watch qdemo is a filter: the output goes to
 *	standard output.
 * DIAGNOSTICS
 *	Exit status as queue_run_batch() / queue_run_watch(): 0, or 75 when
 *	an item was deferred; 64 for a usage error; 78 when a directory of
 *	the queue is a symbolic link or not a directory, 75 when it cannot
 *	be opened otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "spool/queue.h"
#include "util/afile.h"
#include "util/buf.h"
#include "util/log.h"

struct demo {
	const char	*out;
	const char	*log;
	unsigned	 sleep_ms;
};

static void
msleep(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void
log_line(const struct demo *d, const char *text)
{
	char	 line[512];
	int	 fd, n;

	if (d->log == NULL)
		return;
	n = snprintf(line, sizeof(line), "%s %ld\n", text, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	if ((fd = open(d->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) < 0)
		return;
	if (write_all(fd, line, (size_t)n) < 0)
		log_error("%s: %s", d->log, strerror(errno));
	close(fd);
}

static int
convert(struct queue_item *it, void *arg)
{
	struct demo	*d = arg;
	struct buf	 in;
	struct afile	 a;
	char		 tmp[8192], oname[NAME_MAX + 1];
	ssize_t		 n;
	int		 ex;

	buf_init(&in);
	buf_set_max(&in, 16 << 20);
	while ((n = read(it->fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(it->why, sizeof(it->why), "read: %s",
			    strerror(errno));
			buf_free(&in);
			return EX_IOERR;
		}
		buf_add(&in, tmp, (size_t)n);
	}
	if (buf_error(&in)) {
		snprintf(it->why, sizeof(it->why), "input too large");
		buf_free(&in);
		return EX_DATAERR;
	}
	if (d->sleep_ms)
		msleep(d->sleep_ms);
	if (strstr(buf_cstr(&in), "SLEEP") != NULL)
		msleep(200);
	if (strstr(buf_cstr(&in), "FAIL") != NULL) {
		snprintf(it->why, sizeof(it->why), "demo: FAIL in content");
		buf_free(&in);
		return EX_DATAERR;
	}
	if (strstr(buf_cstr(&in), "TEMP") != NULL) {
		snprintf(it->why, sizeof(it->why), "demo: TEMP in content");
		buf_free(&in);
		return EX_TEMPFAIL;
	}
	if (it->filter) {
		ex = (write_all(STDOUT_FILENO, "out:", 4) < 0 ||
		    write_all(STDOUT_FILENO, in.p, in.len) < 0) ? EX_IOERR :
		    EX_OK;
		buf_free(&in);
		return ex;
	}
	/* the output's name derives from the input's: a redo replaces it */
	if (snprintf(oname, sizeof(oname), "%s.out", it->name) >=
	    (int)sizeof(oname)) {
		snprintf(it->why, sizeof(it->why), "name too long");
		buf_free(&in);
		return EX_DATAERR;
	}
	if (afile_open(&a, d->out, oname) < 0 ||
	    afile_write(&a, "out:", 4) < 0 ||
	    afile_write(&a, in.p, in.len) < 0 ||
	    afile_commit(&a) < 0) {
		snprintf(it->why, sizeof(it->why), "%s/%s: %s", d->out, oname,
		    strerror(errno));
		afile_abort(&a);
		buf_free(&in);
		return EX_TEMPFAIL;
	}
	buf_free(&in);
	log_line(d, it->name);
	return EX_OK;
}

static void
reload(void *arg)
{
	log_line(arg, "#reload");
}

static void
logger(enum log_level lv, const char *msg, void *arg)
{
	(void)arg;
	log_msg(lv, "%s", msg);
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: qdemo [-pv] --spool Q | --watch Q --out OUTQ "
	    "--failed DIR [--log FILE]\n"
	    "             [--archive DIR] [--sleep-ms N] [--rescan S] "
	    "[--retry S]\n"
	    "       qdemo [--sfid FILE] [FILE]\n");
	exit(EX_USAGE);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "spool", required_argument, NULL, 's' },
		{ "watch", required_argument, NULL, 'w' },
		{ "out", required_argument, NULL, 'o' },
		{ "failed", required_argument, NULL, 'f' },
		{ "archive", required_argument, NULL, 'a' },
		{ "log", required_argument, NULL, 'l' },
		{ "sleep-ms", required_argument, NULL, 'S' },
		{ "rescan", required_argument, NULL, 'r' },
		{ "retry", required_argument, NULL, 'R' },
		{ "sfid", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct queue_opts o;
	struct queue	*q;
	struct demo	 d;
	const char	*spool = NULL, *sfid = NULL;
	char		 why[QUEUE_WHY_MAX];
	int		 c, watch = 0, verbose = 0, ex;

	memset(&o, 0, sizeof(o));
	memset(&d, 0, sizeof(d));
	log_open(argv[0], 0, 0);
	while ((c = getopt_long(argc, argv, "pv", lo, NULL)) != -1) {
		switch (c) {
		case 'p': o.flags |= QUEUE_PAIRS; break;
		case 'v': verbose++; break;
		case 's': spool = optarg; watch = 0; break;
		case 'w': spool = optarg; watch = 1; break;
		case 'o': d.out = optarg; break;
		case 'f': o.failed = optarg; break;
		case 'a': o.archive = optarg; break;
		case 'l': d.log = optarg; break;
		case 'S': d.sleep_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'r': o.rescan = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'R': o.retry = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'i': sfid = optarg; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	log_set_verbose(verbose);
	if (spool == NULL) {
		if (argc > 1)
			usage();
		ex = queue_run_filter(argc ? argv[0] : NULL, sfid, convert, &d,
		    why, sizeof(why));
		if (ex != EX_OK)
			log_warn("%s", why);
		return ex;
	}
	if (argc != 0 || d.out == NULL || o.failed == NULL)
		usage();
	o.dir = spool;
	o.handler = convert;
	o.reload = reload;
	o.logger = logger;
	o.arg = &d;
	if (queue_open(&q, &o) < 0)	/* logged, naming the directory */
		return errno == ELOOP || errno == ENOTDIR ? EX_CONFIG :
		    EX_TEMPFAIL;
	ex = watch ? queue_run_watch(q) : queue_run_batch(q);
	queue_close(q);
	return ex;
}
