/*
 * NAME
 *	oxpurge - remove what is older than the Purgetime, archiving it first
 * SYNOPSIS
 *	oxpurge [-v] [-c FILE] [--purgetime HOURS] [--dry-run] [--now TIME]
 * DESCRIPTION
 *	Run from cron. A transaction whose last change is older than the
 *	Purgetime leaves the trace table; so do the items in failed/ and
 *	overflow/ that old, each whole (T, T.sfid and T.why; NAME and
 *	NAME.sfid), its age counted from its T.why (the time it failed),
 *	else from its newest file. Before anything is deleted it is
 *	written to one archive of this run in archive/ (tar.gz or zip,
 *	libarchive), and the archive is committed (tmp/, fsync, rename):
 *	if archiving fails, nothing is deleted. Rows are then deleted in
 *	short transactions of 1000 (the converters wait at most that long;
 *	on PostgreSQL 1000 at first, then as many as take about BATCH_MS,
 *	100 to 10000 rows: fewer commits of a server's WAL); a row that
 *	changed meanwhile stays. Files left in a queue's tmp/
 *	longer than tmp-age and archives older than archive-retention are
 *	removed, and so are the deferral rows (trace.h) of inputs whose last
 *	temporary failure is older than the Purgetime (removed by hand).
 *	One instance at a time (a lock file in the spool). See oxpurge(8).
 * EXIT STATUS
 *	0 done; 64 usage; 73 the spool tree cannot be made; 74 the archive
 *	could not be written (nothing was deleted); 75 another oxpurge is
 *	running, or the trace is busy; 78 configuration, or a directory of
 *	the spool is a symbolic link or not a directory.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "gw/config.h"
#include "gw/hold.h"
#include "gw/outbox.h"
#include "spool/spool.h"
#include "gw/trace.h"
#include "util/clock.h"
#include "util/afile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/opt.h"

#define BATCH		1000	/* rows in the first delete transaction */
#define BATCH_MIN	100
#define BATCH_MS	100	/* what one should take */

struct victim {			/* a file to archive and delete */
	char	 queue[16];	/* "failed" or "overflow" */
	char	 name[NAME_MAX + 1];
	off_t	 size;
	time_t	 mtime;
	mode_t	 mode;
};

struct purge {
	struct ox_config cfg;
	struct trace	*db;
	time_t		 now, cutoff;
	int		 dry;
	int64_t		*ids;		/* stale rows */
	size_t		 nids, capids;
	struct victim	*files;
	size_t		 nfiles, capfiles;
	int		 csv;		/* temporary CSV of the rows */
	int		 csv_errno;	/* writing it failed */
	struct buf	 line;
	uint64_t	 bytes;
};

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: oxpurge [-v] [-c FILE] [--purgetime HOURS] [--dry-run] "
	    "[--now TIME]\n"
	    "Remove trace rows and failed/overflow files older than the "
	    "Purgetime,\narchiving them first; remove tmp/ leftovers and old "
	    "archives.\n"
	    "  --purgetime HOURS  instead of [spool] purgetime\n"
	    "  --dry-run          list what would go, change nothing\n"
	    "  --now TIME         @EPOCH: the time to count from (tests)\n"
	    "  -c FILE, -v, --help, --version\n");
	exit(code);
}

static int
add_row(const struct trace_row *r, void *arg)
{
	struct purge	*p = arg;
	int64_t		*nv;
	char		 t[32];
	struct tm	 tm;

	if (p->nids == p->capids) {
		p->capids = p->capids ? p->capids * 2 : 1024;
		if ((nv = reallocarray(p->ids, p->capids, sizeof(*nv))) == NULL)
			return -1;
		p->ids = nv;
	}
	p->ids[p->nids++] = r->id;
	if (p->dry) {
		gmtime_r(&r->updated, &tm);
		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
		printf("transaction %" PRId64 " %s %s %s\n", r->id, t,
		    r->oftp.dsn[0] ? r->oftp.dsn : "-",
		    r->mts_id[0] ? r->mts_id : "-");
		return 0;
	}
	if (p->csv < 0)		/* archiving off */
		return 0;
	buf_reset(&p->line);
	if (trace_csv_row(&p->line, r) < 0 ||
	    write_all(p->csv, p->line.p, p->line.len) < 0) {
		p->csv_errno = errno ? errno : ENOMEM;
		return -1;
	}
	return 0;
}

/*
 * The files of failed/ or overflow/, each with its item: T, T.sfid and
 * T.why belong together (failed/), as do NAME and NAME.sfid (overflow/).
 * An item's age counts from its T.why, written when it failed (the
 * payload keeps the mtime it came with); without one (overflow/, or a
 * file put there by hand), from its newest file.
 */
struct entry {
	char		*name;
	size_t		 ilen;		/* its item: the first ilen octets */
	struct stat	 st;
};

static int
entry_cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	    ((const struct entry *)b)->name);
}

static int
entry_cmp_item(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int	 c;

	c = memcmp(x->name, y->name, x->ilen < y->ilen ? x->ilen : y->ilen);
	if (c != 0)
		return c;
	if (x->ilen != y->ilen)
		return x->ilen < y->ilen ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
has_sfx(const char *s, size_t n, const char *sfx)
{
	size_t	 k = strlen(sfx);

	return n > k && strcmp(s + n - k, sfx) == 0;
}

/* T for T.why and T.sfid, unless T.why is there: then it is T itself. */
static void
entry_items(struct entry *e, size_t n)
{
	struct entry	 key;
	char		 why[NAME_MAX + 8];
	size_t		 i, len;

	for (i = 0; i < n; i++) {
		len = strlen(e[i].name);
		e[i].ilen = len;
		snprintf(why, sizeof(why), "%s.why", e[i].name);
		key.name = why;
		if (bsearch(&key, e, n, sizeof(*e), entry_cmp_name) != NULL)
			continue;
		if (has_sfx(e[i].name, len, ".why"))
			e[i].ilen = len - 4;
		else if (has_sfx(e[i].name, len, ".sfid"))
			e[i].ilen = len - 5;
	}
}

static int
same_item(const struct entry *a, const struct entry *b)
{
	return a->ilen == b->ilen && memcmp(a->name, b->name, a->ilen) == 0;
}

static int
add_victim(struct purge *p, enum spool_queue q, const struct entry *e)
{
	struct victim	*nv;

	if (p->nfiles == p->capfiles) {
		p->capfiles = p->capfiles ? p->capfiles * 2 : 64;
		if ((nv = reallocarray(p->files, p->capfiles,
		    sizeof(*nv))) == NULL)
			return -1;
		p->files = nv;
	}
	nv = &p->files[p->nfiles++];
	snprintf(nv->queue, sizeof(nv->queue), "%s", spool_queue_name(q));
	snprintf(nv->name, sizeof(nv->name), "%s", e->name);
	nv->size = e->st.st_size;
	nv->mtime = e->st.st_mtime;
	nv->mode = e->st.st_mode;
	return 0;
}

/* The items of failed/ or overflow/ older than the cutoff: all files. */
static int
list_files(struct purge *p, enum spool_queue q)
{
	char		 dir[SPOOL_PATH_MAX];
	struct dirent	*de;
	struct entry	*e = NULL, *ne;
	size_t		 n = 0, cap = 0, i, j, k;
	time_t		 t, why = 0;
	int		 rc = -1, isdir, haswhy, saved;
	DIR		*d;

	spool_path(dir, sizeof(dir), p->cfg.spool, q);
	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "tmp") == 0)
			continue;		/* tmp/: see sweep_old() */
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((ne = reallocarray(e, cap, sizeof(*e))) == NULL)
				goto done;
			e = ne;
		}
		if (fstatat(dirfd(d), de->d_name, &e[n].st,
		    AT_SYMLINK_NOFOLLOW) < 0)
			continue;		/* gone meanwhile */
		if ((e[n].name = strdup(de->d_name)) == NULL)
			goto done;
		n++;
	}
	if (n > 0) {
		qsort(e, n, sizeof(*e), entry_cmp_name);
		entry_items(e, n);
		qsort(e, n, sizeof(*e), entry_cmp_item);
	}
	for (i = 0; i < n; i = j) {
		t = e[i].st.st_mtime;
		isdir = haswhy = 0;
		for (j = i; j < n && same_item(&e[i], &e[j]); j++) {
			if (strcmp(e[j].name + e[j].ilen, ".why") == 0 &&
			    S_ISREG(e[j].st.st_mode)) {
				why = e[j].st.st_mtime;	/* the failure */
				haswhy = 1;
			}
			if (e[j].st.st_mtime > t)
				t = e[j].st.st_mtime;
			if (S_ISDIR(e[j].st.st_mode))
				isdir = 1;
		}
		if ((haswhy ? why : t) >= p->cutoff)
			continue;
		if (isdir) {
			log_warn("%s/%.*s: the item holds a directory, which "
			    "oxpurge does not remove: remove the item by hand",
			    dir, (int)e[i].ilen, e[i].name);
			continue;
		}
		for (k = i; k < j; k++)
			if (add_victim(p, q, &e[k]) < 0)
				goto done;
	}
	rc = 0;
done:
	saved = errno;
	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
	closedir(d);
	errno = saved;
	return rc;
}

/* One archive member from a file descriptor, streamed. */
static int
add_member(struct archive *a, const char *path, int fd, off_t size,
    time_t mtime)
{
	struct archive_entry *e;
	char	 chunk[65536];
	ssize_t	 r;
	off_t	 done = 0;
	int	 rc = -1;

	if ((e = archive_entry_new()) == NULL)
		return -1;
	archive_entry_set_pathname(e, path);
	archive_entry_set_size(e, size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_mtime(e, mtime, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		goto done;
	while (done < size && (r = pread(fd, chunk, sizeof(chunk), done)) > 0) {
		if (archive_write_data(a, chunk, (size_t)r) != r)
			goto done;
		done += r;
	}
	rc = done == size ? 0 : -1;
done:
	archive_entry_free(e);
	return rc;
}

/*
 * Write the archive of this run into archive/ (committed atomically);
 * returns 0 or -1 with the reason logged. Nothing is deleted before.
 */
static int
write_archive(struct purge *p)
{
	struct archive	*a = NULL;
	struct afile	 af;
	struct stat	 st;
	struct tm	 tm;
	char		 dir[SPOOL_PATH_MAX], path[SPOOL_PATH_MAX + NAME_MAX + 32];
	char		 name[NAME_MAX + 1], stamp[32], member[NAME_MAX + 32];
	const char	*ext = p->cfg.archive == CONFIG_ARCHIVE_ZIP ? "zip" :
			    "tar.gz";
	size_t		 i;
	int		 fd, k;

	spool_path(dir, sizeof(dir), p->cfg.spool, SPOOL_ARCHIVE);
	gmtime_r(&p->now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (k = 0;; k++) {		/* never replace an older archive */
		snprintf(name, sizeof(name), "oxgate-%s%s%.0d.%s", stamp,
		    k ? "-" : "", k, ext);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (access(path, F_OK) < 0)
			break;
	}
	if (afile_open(&af, dir, name) < 0) {
		log_error("%s/tmp: %s", dir, strerror(errno));
		return -1;
	}
	if ((a = archive_write_new()) == NULL ||
	    (p->cfg.archive == CONFIG_ARCHIVE_ZIP ?
	    archive_write_set_format_zip(a) :
	    (archive_write_add_filter_gzip(a) != ARCHIVE_OK ? ARCHIVE_FATAL :
	    archive_write_set_format_pax_restricted(a))) != ARCHIVE_OK ||
	    archive_write_open_fd(a, af.fd) != ARCHIVE_OK)
		goto fail;
	if (p->nids > 0 && (fstat(p->csv, &st) < 0 ||
	    add_member(a, "trace.csv", p->csv, st.st_size, p->now) < 0))
		goto fail;
	for (i = 0; i < p->nfiles; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", p->cfg.spool,
		    p->files[i].queue, p->files[i].name);
		snprintf(member, sizeof(member), "%s/%s", p->files[i].queue,
		    p->files[i].name);
		if (!S_ISREG(p->files[i].mode))
			continue;	/* no data; its .why says what it was */
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC)) < 0 || fstat(fd, &st) < 0 ||
		    !S_ISREG(st.st_mode)) {
			/* gone or changed meanwhile (reactivated): skip it */
			if (fd >= 0)
				close(fd);
			p->files[i].name[0] = '\0';
			continue;
		}
		if (add_member(a, member, fd, st.st_size, st.st_mtime) < 0) {
			close(fd);
			goto fail;
		}
		p->bytes += (uint64_t)st.st_size;
		close(fd);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		goto fail;
	archive_write_free(a);
	if (afile_commit(&af) < 0) {
		log_error("%s/%s: %s", dir, name, strerror(errno));
		return -1;
	}
	log_info("archived %zu transactions and %zu files in %s/%s", p->nids,
	    p->nfiles, dir, name);
	return 0;
fail:
	log_error("%s/%s: %s", dir, name, a != NULL ? archive_error_string(a) ?
	    archive_error_string(a) : strerror(errno) : "no memory");
	if (a != NULL) {
		archive_write_close(a);	/* releases the filters' state */
		archive_write_free(a);
	}
	afile_abort(&af);
	return -1;
}

/* Files of a directory older than a limit: remove (or list). */
/*
 * Files of a directory older than a limit: remove (or list). In a tmp/
 * (queue given: its name relative to the spool root) a file the trace
 * records as an output is kept: it is published, never removed.
 */
static size_t
sweep_old(struct trace *db, const char *queue, const char *dir, time_t limit,
    int dry, const char *what)
{
	struct trace_output o;
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	size_t		 n = 0;
	int		 r;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
		    st.st_mtime >= limit)
			continue;
		if (queue != NULL && (r = trace_output_find(db, queue,
		    de->d_name, &o)) != 0) {
			log_warn("%s/%s: kept: %s", dir, de->d_name, r < 0 ?
			    trace_error(db) : "a recorded output, not yet "
			    "published");
			continue;
		}
		if (dry)
			printf("%s %s/%s\n", what, dir, de->d_name);
		else if (unlinkat(dirfd(d), de->d_name, 0) < 0) {
			log_warn("%s/%s: %s", dir, de->d_name, strerror(errno));
			continue;
		}
		n++;
	}
	closedir(d);
	return n;
}

/* The tmp/ leftovers of every queue and of every hold directory. */
static size_t
sweep_tmp(struct purge *p)
{
	char		 path[2 * SPOOL_PATH_MAX + 32];
	char		 queue[SPOOL_PATH_MAX];
	struct dirent	*de;
	time_t		 limit = p->now - (time_t)p->cfg.tmp_age * 3600;
	size_t		 n = 0;
	DIR		*d;
	int		 q;

	for (q = 0; q < SPOOL_NQUEUES; q++) {
		snprintf(path, sizeof(path), "%s/%s/tmp", p->cfg.spool,
		    spool_queue_name((enum spool_queue)q));
		n += sweep_old(p->db, spool_queue_name((enum spool_queue)q),
		    path, limit, p->dry, "tmp-leftover");
	}
	snprintf(path, sizeof(path), "%s/%s", p->cfg.spool, HOLD_DIR);
	if ((d = opendir(path)) == NULL)
		return n;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(queue, sizeof(queue), "%s/%.200s", HOLD_DIR,
		    de->d_name);
		snprintf(path, sizeof(path), "%s/%s/tmp", p->cfg.spool, queue);
		n += sweep_old(p->db, queue, path, limit, p->dry,
		    "tmp-leftover");
	}
	closedir(d);
	return n;
}

/* The next delete transaction's rows, after one of n took ms. */
static size_t
batch_next(size_t n, int64_t ms)
{
	if (ms < BATCH_MS / 2 && n * 2 <= TRACE_DELETE_MAX)
		return n * 2;
	if (ms > BATCH_MS * 2 && n / 2 >= BATCH_MIN)
		return n / 2;
	return n;
}

static int
purge(struct purge *p)
{
	char	 dir[SPOOL_PATH_MAX], path[SPOOL_PATH_MAX + NAME_MAX + 32];
	const struct timespec gap = { 0, 2000000 };
	size_t	 i, n, del, deleted = 0, files = 0, tmps = 0, olds, batch;
	int64_t	 t0;

	/* outputs committed by a process that died before publishing them:
	 * out first, so that no row of theirs is purged with them pending */
	if (!p->dry && outbox_recover(p->cfg.spool, p->db, &n, path,
	    sizeof(path)) < 0) {
		log_error("%s: publishing outputs committed before: %s",
		    p->cfg.spool, path);
		return EX_TEMPFAIL;
	}
	if (!p->dry && n > 0)
		log_warn("%s: published %zu output%s committed by a process "
		    "that ended before it could", p->cfg.spool, n, n == 1 ?
		    "" : "s");
	if (!p->dry && p->cfg.archive != CONFIG_ARCHIVE_OFF) {
		spool_path(dir, sizeof(dir), p->cfg.spool, SPOOL_ARCHIVE);
		if ((p->csv = afile_anon(dir)) < 0 || trace_csv_header(&p->line) < 0 || write_all(p->csv,
		    p->line.p, p->line.len) < 0) {
			log_error("%s: temporary CSV: %s", dir, strerror(errno));
			return EX_IOERR;
		}
	}
	if (trace_list_stale(p->db, p->cutoff, add_row, p) != 0) {
		if (p->csv_errno != 0) {
			log_error("archive: trace CSV: %s; nothing deleted",
			    strerror(p->csv_errno));
			return EX_IOERR;
		}
		log_error("listing the trace: %s", trace_error(p->db));
		return EX_TEMPFAIL;
	}
	if (list_files(p, SPOOL_FAILED) < 0 ||
	    list_files(p, SPOOL_OVERFLOW) < 0) {
		log_error("%s: %s", p->cfg.spool, strerror(errno));
		return EX_IOERR;
	}
	if (p->dry) {
		for (i = 0; i < p->nfiles; i++)
			printf("file %s/%s %lld\n", p->files[i].queue,
			    p->files[i].name, (long long)p->files[i].size);
	} else if (p->cfg.archive != CONFIG_ARCHIVE_OFF &&
	    (p->nids > 0 || p->nfiles > 0) && write_archive(p) < 0) {
		log_error("archiving failed: nothing deleted");
		return EX_IOERR;
	}
	/* Now delete, in short transactions. */
	for (i = 0, batch = BATCH; !p->dry && i < p->nids; i += n) {
		n = p->nids - i < batch ? p->nids - i : batch;
		t0 = clock_mono_ms();
		if (trace_delete_stale(p->db, p->ids + i, n, p->cutoff,
		    &del) < 0) {
			log_error("deleting: %s", trace_error(p->db));
			return EX_TEMPFAIL;
		}
		if (trace_is_postgresql(p->db))
			batch = batch_next(batch, clock_mono_ms() - t0);
		deleted += del;
		nanosleep(&gap, NULL);	/* let the converters in */
	}
	for (i = 0; i < p->nfiles; i++) {
		if (p->dry || p->files[i].name[0] == '\0')
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", p->cfg.spool,
		    p->files[i].queue, p->files[i].name);
		if (unlink(path) == 0)
			files++;
		else if (errno != ENOENT)
			log_warn("%s: %s", path, strerror(errno));
	}
	if (!p->dry && trace_deferral_purge(p->db, p->cutoff) < 0)
		log_warn("deferrals: %s", trace_error(p->db));
	tmps = sweep_tmp(p);
	spool_path(dir, sizeof(dir), p->cfg.spool, SPOOL_ARCHIVE);
	olds = sweep_old(p->db, NULL, dir, p->now - (time_t)p->cfg.archive_retention *
	    3600, p->dry, "old-archive");
	log_info("%s%zu transactions, %zu files (%llu octets), %zu tmp "
	    "leftovers, %zu old archives; purgetime %u h, cutoff %lld",
	    p->dry ? "dry run, would purge " : "purged ", p->dry ? p->nids :
	    deleted, p->dry ? p->nfiles : files,
	    (unsigned long long)p->bytes, tmps, olds, p->cfg.purgetime,
	    (long long)p->cutoff);
	return EX_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "purgetime", required_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "now", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct purge	 p;
	const char	*conf = NULL;
	char		 err[CONFIG_ERR_MAX], lock[SPOOL_PATH_MAX + 16], *end;
	long long	 v;
	unsigned	 ptime = 0;
	int		 ch, verbose = 0, lfd, rc;

	log_open(argv[0], 1, 0);
	memset(&p, 0, sizeof(p));
	p.csv = -1;
	p.now = clock_now();
	buf_init(&p.line);
	while ((ch = getopt_long(argc, argv, "c:v", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'p':
			v = strtoll(optarg, &end, 10);
			if (end == optarg || *end != '\0' || v < 1 || v > 87600)
				log_fatal(EX_USAGE, "--purgetime: '%s' is not "
				    "1 to 87600 hours", optarg);
			ptime = (unsigned)v;
			break;
		case 'n':
			p.dry = 1;
			break;
		case 'N':
			v = optarg[0] == '@' ? strtoll(optarg + 1, &end, 10) : 0;
			if (optarg[0] != '@' || end == optarg + 1 || *end)
				log_fatal(EX_USAGE, "--now: '%s' is not @EPOCH",
				    optarg);
			p.now = (time_t)v;
			break;
		default:
			opt_common(ch, "oxpurge", &verbose, usage);
		}
	}
	if (optind != argc)
		usage(EX_USAGE);
	if (config_load(conf ? conf : config_default_path(), &p.cfg, err,
	    sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	if (ptime != 0)
		p.cfg.purgetime = ptime;
	p.cutoff = p.now - (time_t)p.cfg.purgetime * 3600;
	if (spool_create(p.cfg.spool, err, sizeof(err)) < 0)
		log_fatal(errno == ELOOP || errno == ENOTDIR ? EX_CONFIG :
		    EX_CANTCREAT, "%s", err);
	snprintf(lock, sizeof(lock), "%s/.oxpurge.lock", p.cfg.spool);
	if ((lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) < 0)
		log_fatal(EX_CANTCREAT, "%s: %s", lock, strerror(errno));
	if (flock(lfd, LOCK_EX | LOCK_NB) < 0)
		log_fatal(EX_TEMPFAIL, "another oxpurge is running (%s)", lock);
	if (trace_open(p.cfg.tracedb, 0, &p.db, err, sizeof(err)) < 0)
		log_fatal(EX_TEMPFAIL, "%s", err);
	rc = purge(&p);
	trace_close(p.db);
	if (p.csv >= 0)
		close(p.csv);
	free(p.ids);
	free(p.files);
	buf_free(&p.line);
	close(lfd);
	return rc;
}
