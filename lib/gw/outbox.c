/*
 * NAME
 *	outbox - stage, record, publish (see outbox.h)
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "asn1/ber.h"
#include "gw/hold.h"
#include "gw/outbox.h"
#include "spool/spool.h"
#include "util/afile.h"
#include "util/err.h"

/*
 * The group commit in progress (outbox_group_begin()), one per process:
 * what its items staged (synced at its end, removed if it fails) and
 * what they published (renamed after its commit, in order).
 */
static struct {
	int		 on;
	struct trace	*t;
	struct outbox	 staged;
	struct outbox	 pub;
} grp;

void
outbox_init(struct outbox *ob, const char *spool,
    const struct outbox_route *filter)
{
	memset(ob, 0, sizeof(*ob));
	ob->spool = spool;
	ob->route = filter;
}

int
outbox_errcode(const struct outbox *ob)
{
	return ob->route != NULL ? EX_IOERR : EX_TEMPFAIL;
}

/* Filter mode: the route of output NAME of queue (NULL: none, dropped). */
static const struct outbox_route *
route_of(const struct outbox *ob, const char *queue, const char *name)
{
	const struct outbox_route *r;
	size_t	 n = strlen(name), k;

	for (r = ob->route; r->queue != NULL; r++) {
		k = r->suffix != NULL ? strlen(r->suffix) : 0;
		if (strcmp(r->queue, queue) == 0 && k <= n &&
		    (k == 0 || strcmp(name + n - k, r->suffix) == 0))
			return r->fd >= 0 || (r->path != NULL &&
			    *r->path != NULL) ? r : NULL;
	}
	return NULL;
}

/*
 * Filter mode: a streamed output is written to a duplicate of its
 * route's descriptor, or into its route's file (created or truncated),
 * or to /dev/null when it has no route.
 */
static int
open_route(const struct outbox *ob, struct afile *a, const char *queue,
    const char *name)
{
	const struct outbox_route *r = route_of(ob, queue, name);

	snprintf(a->name, sizeof(a->name), "%s", name);
	if (r != NULL && r->fd >= 0)
		a->fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 3);
	else
		a->fd = open(r != NULL ? *r->path : "/dev/null", O_WRONLY |
		    O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	return a->fd < 0 ? -1 : 0;
}

void
outbox_free(struct outbox *ob)
{
	free(ob->v);
	ob->v = NULL;
	ob->n = ob->cap = 0;
}

static int
qpath(const struct outbox *ob, const char *queue, char *dst, size_t size)
{
	int	 n = snprintf(dst, size, "%s/%s", ob->spool, queue);

	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* SPOOL/QUEUE/tmp/TMP of entry i; -1 with ENAMETOOLONG. */
static int
tmp_path(const struct outbox *ob, size_t i, char *dst, size_t size)
{
	if (snprintf(dst, size, "%s/%s/tmp/%s", ob->spool, ob->v[i].queue,
	    ob->v[i].tmp) >= (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int
add(struct outbox *ob, const char *queue, const char *tmp, const char *name)
{
	struct outbox_file *nv, *f;

	if (strlen(queue) >= sizeof(f->queue) || strlen(tmp) >=
	    sizeof(f->tmp) || strlen(name) >= sizeof(f->name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (ob->n == ob->cap) {
		size_t cap = ob->cap ? 2 * ob->cap : 8;

		if ((nv = reallocarray(ob->v, cap, sizeof(*nv))) == NULL)
			return -1;
		ob->v = nv;
		ob->cap = cap;
	}
	f = &ob->v[ob->n++];
	snprintf(f->queue, sizeof(f->queue), "%s", queue);
	snprintf(f->tmp, sizeof(f->tmp), "%s", tmp);
	snprintf(f->name, sizeof(f->name), "%s", name);
	return 0;
}

int
outbox_open(struct outbox *ob, struct afile *a, const char *queue,
    const char *name)
{
	char	 dir[PATH_MAX];

	memset(a, 0, sizeof(*a));
	a->fd = a->dirfd = -1;
	if (ob->route != NULL)
		return open_route(ob, a, queue, name);
	if (qpath(ob, queue, dir, sizeof(dir)) < 0)
		return -1;
	return afile_open(a, dir, name);
}

/* Durable in QUEUE/tmp/ and on the list; the afile is done with. */
int
outbox_stage(struct outbox *ob, const char *queue, struct afile *a)
{
	const char	*tmp = a->tmpname + 4;	/* past "tmp/" */
	int		 saved;

	if (ob->route != NULL) {	/* filter mode: written, done with */
		saved = close(a->fd);
		a->fd = -1;
		return saved;
	}
	if ((grp.on ? afile_stage_later(a) : afile_stage(a)) < 0)
		return -1;
	if ((grp.on && add(&grp.staged, queue, tmp, a->name) < 0) ||
	    add(ob, queue, tmp, a->name) < 0) {
		saved = errno;
		afile_abort(a);
		errno = saved;
		return -1;
	}
	close(a->dirfd);
	a->dirfd = -1;
	a->tmpname[0] = '\0';
	return 0;
}

int
outbox_put(struct outbox *ob, const char *queue, const char *name,
    const void *p, size_t n)
{
	const struct outbox_route *r;
	struct afile	 a;

	if (ob->route != NULL) {	/* filter mode */
		if ((r = route_of(ob, queue, name)) == NULL)
			return 0;
		return r->fd >= 0 ? write_all(r->fd, p, n) :
		    afile_replace(*r->path, p, n);
	}
	if (outbox_open(ob, &a, queue, name) < 0)
		return -1;
	if (afile_write(&a, p, n) < 0)
		return -1;
	return outbox_stage(ob, queue, &a);
}

/* Where output NAME of queue goes, for a message. */
static void
where(const struct outbox *ob, const char *queue, const char *name,
    char *dst, size_t size)
{
	const struct outbox_route *r;

	if (ob->route == NULL)
		snprintf(dst, size, "%.200s/%s/%.100s", ob->spool, queue, name);
	else if ((r = route_of(ob, queue, name)) == NULL)
		snprintf(dst, size, "(not written)");
	else if (r->fd >= 0)
		snprintf(dst, size, "%s", r->fd == STDOUT_FILENO ? "stdout" :
		    "output");
	else
		snprintf(dst, size, "%.300s", *r->path);
}

int
outbox_ber(struct outbox *ob, const char *queue, const char *name,
    struct berw *w, char *err, size_t errlen)
{
	struct afile	 a;
	char		 at[PATH_MAX];
	int		 e;

	where(ob, queue, name, at, sizeof(at));
	if (outbox_open(ob, &a, queue, name) < 0)
		return errf(err, errlen, -1, "%s: %s", at, strerror(errno));
	if (berw_write_fd(w, a.fd) != BER_OK) {
		e = w->err_errno;
		afile_abort(&a);
		errno = e;
		return errf(err, errlen, -1, "%s: %s", at, strerror(e));
	}
	if (outbox_stage(ob, queue, &a) < 0)
		return errf(err, errlen, -1, "%s: %s", at, strerror(errno));
	return 0;
}

int
outbox_record(struct outbox *ob, struct trace *t, int64_t row, time_t now)
{
	size_t	 i;
	int	 r;

	for (i = 0; i < ob->n; i++)
		if ((r = trace_record_output(t, row, ob->v[i].queue,
		    ob->v[i].tmp, ob->v[i].name, now)) != 0)
			return r;
	return 0;
}

void
outbox_abort(struct outbox *ob)
{
	char	 path[PATH_MAX * 2];
	size_t	 i;
	int	 saved = errno;

	for (i = 0; i < ob->n; i++)
		if (tmp_path(ob, i, path, sizeof(path)) == 0)
			unlink(path);
	ob->n = 0;
	errno = saved;
}

/* The first entry of ob with the queue of entry i. */
static size_t
first_of(const struct outbox *ob, size_t i)
{
	size_t	 k;

	for (k = 0; k < i; k++)
		if (strcmp(ob->v[k].queue, ob->v[i].queue) == 0)
			break;
	return k;
}

static void
close_queues(const struct outbox *ob, int *fd)
{
	size_t	 i;

	for (i = 0; i < ob->n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	free(fd);
}

/*
 * One descriptor per queue of the list, at the index of its first entry
 * (first_of()); NULL with err.
 */
static int *
open_queues(const struct outbox *ob, char *err, size_t errlen)
{
	char	 dir[PATH_MAX];
	int	*fd;
	size_t	 i;

	if ((fd = calloc(ob->n + 1, sizeof(*fd))) == NULL) {
		snprintf(err, errlen, "outbox: %s", strerror(errno));
		return NULL;
	}
	for (i = 0; i < ob->n; i++)
		fd[i] = -1;
	for (i = 0; i < ob->n; i++) {
		if (first_of(ob, i) != i)
			continue;
		if (qpath(ob, ob->v[i].queue, dir, sizeof(dir)) < 0 ||
		    (fd[i] = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC)) < 0) {
			snprintf(err, errlen, "%s/%s: %s", ob->spool,
			    ob->v[i].queue, strerror(errno));
			close_queues(ob, fd);
			return NULL;
		}
	}
	return fd;
}

/*
 * In a group: onto the list the group publishes after its commit, each
 * file whose temporary file is still there (*moved counts them, as the
 * renames would: a redo tells from it whether anything was left).
 */
static int
publish_later(const struct outbox *ob, size_t *moved, char *err,
    size_t errlen)
{
	char		 path[PATH_MAX];
	struct stat	 st;
	size_t		 i;

	for (i = 0; i < ob->n; i++) {
		const struct outbox_file *f = &ob->v[i];

		if (tmp_path(ob, i, path, sizeof(path)) == 0 && lstat(path,
		    &st) < 0 && errno == ENOENT)
			continue;	/* gone: published before */
		if (add(&grp.pub, f->queue, f->tmp, f->name) < 0) {
			snprintf(err, errlen, "outbox: %s", strerror(errno));
			return -1;
		}
		(*moved)++;
	}
	return 0;
}

/*
 * Rename every listed file whose temporary file is still there, in
 * order, then sync each queue once. *moved: how many were renamed. In a
 * group the renames wait for its commit (outbox_group_end()).
 */
static int
publish(struct outbox *ob, size_t *moved, char *err, size_t errlen)
{
	char		 tmp[TRACE_FILE_SZ + 8];
	struct stat	 st;
	int		*fd;
	size_t		 i, k;
	int		 rc = -1;

	*moved = 0;
	if (ob->n == 0)
		return 0;
	if (grp.on && ob != &grp.pub)
		return publish_later(ob, moved, err, errlen);
	if ((fd = open_queues(ob, err, errlen)) == NULL)
		return -1;
	for (i = 0; i < ob->n; i++) {
		const struct outbox_file *f = &ob->v[i];

		k = first_of(ob, i);
		snprintf(tmp, sizeof(tmp), "tmp/%s", f->tmp);
		if (renameat(fd[k], tmp, fd[k], f->name) == 0) {
			(*moved)++;
			continue;
		}
		/* gone: published before (by us, or a concurrent redo) */
		if (errno == ENOENT && fstatat(fd[k], tmp, &st,
		    AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT)
			continue;
		snprintf(err, errlen, "%s/%s/%s: %s", ob->spool, f->queue,
		    f->name, strerror(errno));
		goto done;
	}
	for (i = 0; i < ob->n; i++)
		if (fd[i] >= 0 && fsync(fd[i]) < 0) {
			snprintf(err, errlen, "%s/%s: fsync: %s", ob->spool,
			    ob->v[i].queue, strerror(errno));
			goto done;
		}
	rc = 0;
done:
	close_queues(ob, fd);
	return rc;
}

/*
 * A few staged files (a group of one or two items, as in watch mode at
 * a steady rate) are synced one by one, then each tmp/ once: a syncfs
 * would also wait for whatever else is being written to the spool's
 * file system (a large file of another converter), a wait that small
 * groups need not share. A file that is gone was dropped by its item.
 */
#define OUTBOX_SYNCFS_MIN	5

static int
sync_each(const struct outbox *ob, char *err, size_t errlen)
{
	char	 path[PATH_MAX];
	size_t	 i;
	int	 fd, r;

	for (i = 0; i < ob->n; i++) {
		if (tmp_path(ob, i, path, sizeof(path)) < 0)
			goto fail;
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			if (errno == ENOENT)
				continue;
			goto fail;
		}
		r = fsync(fd);
		close(fd);
		if (r < 0)
			goto fail;
	}
	for (i = 0; i < ob->n; i++)
		if (first_of(ob, i) == i && (snprintf(path, sizeof(path),
		    "%s/%s/tmp", ob->spool, ob->v[i].queue) >= (int)sizeof(path) ||
		    fsync_dir(path) < 0))
			goto fail;
	return 0;
fail:
	snprintf(err, errlen, "%s: fsync: %s", path, strerror(errno));
	return -1;
}

/*
 * The files a group staged, durable in their tmp/ directories. From
 * OUTBOX_SYNCFS_MIN files on, one syncfs(2) of the spool's file system,
 * which every queue is on, writes them and their directory entries out
 * together (one journal commit; their writeback began when they were
 * staged): an fsync of each would cost a commit each on ext4 (the size
 * a writeback sets is a change of its own).
 */
static int
sync_staged(const struct outbox *ob, char *err, size_t errlen)
{
	int	 fd, saved;

	if (ob->n == 0)
		return 0;
	if (ob->n < OUTBOX_SYNCFS_MIN)
		return sync_each(ob, err, errlen);
	if ((fd = open(ob->spool, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    syncfs(fd) < 0) {
		saved = errno;
		if (fd >= 0)
			close(fd);
		snprintf(err, errlen, "%s: syncfs: %s", ob->spool,
		    strerror(saved));
		return -1;
	}
	return close(fd);
}

/*
 * After the commit the staged files belong to the trace: whatever
 * happens here, the list is emptied, so that no later outbox_abort()
 * removes a recorded file; what did not move is left to the redo or to
 * outbox_recover().
 */
int
outbox_publish(struct outbox *ob, char *err, size_t errlen)
{
	size_t	 moved;
	int	 rc;

	rc = publish(ob, &moved, err, errlen);
	ob->n = 0;
	return rc;
}

/*
 * The trace's COMMIT failed: it may have happened all the same (the
 * connection to PostgreSQL lost before its answer came), so the staged
 * files stay in tmp/: recorded, the redo or outbox_recover() publishes
 * them; not, they are leftovers oxpurge removes. An inner commit (a
 * savepoint released in a group) decided nothing: they go.
 */
static void
commit_failed(struct outbox *ob, int outermost)
{
	if (outermost)
		ob->n = 0;
	else
		outbox_abort(ob);
}

int
outbox_commit(struct outbox *ob, struct trace *t, int64_t row, time_t now,
    char *err, size_t errlen)
{
	int	 r = 0, outermost;

	if (grp.on && trace_batch_depth(t) < 2) {
		/* the group's transaction is gone: a commit here would
		   decide outputs that are not durable yet */
		snprintf(err, errlen, "trace: the group's transaction was "
		    "rolled back: %s", trace_error(t));
		trace_batch_rollback(t);
		outbox_abort(ob);
		return OUTBOX_TRACE;
	}
	if ((r = outbox_record(ob, t, row, now)) != 0) {
		snprintf(err, errlen, "trace: %s", trace_error(t));
		trace_batch_rollback(t);
		outbox_abort(ob);
		return r == 1 ? OUTBOX_BEFORE : OUTBOX_TRACE;
	}
	outermost = trace_batch_depth(t) == 1;
	if (trace_batch_commit(t) < 0) {
		snprintf(err, errlen, "trace: %s", trace_error(t));
		trace_batch_rollback(t);
		commit_failed(ob, outermost);
		return OUTBOX_TRACE;
	}
	if (outbox_publish(ob, err, errlen) < 0)
		return OUTBOX_PUBLISH;
	return 0;
}

int
outbox_trace_fail(struct outbox *ob, struct trace *t, char *why,
    size_t whylen)
{
	if (why[0] == '\0')
		snprintf(why, whylen, "trace: %.400s", trace_error(t));
	trace_batch_rollback(t);
	outbox_abort(ob);
	return EX_TEMPFAIL;
}

int
outbox_redo(const char *spool, struct trace *t, int64_t row, char *why,
    size_t whylen)
{
	char	 err[512];

	if (outbox_publish_row(spool, t, row, NULL, err, sizeof(err)) < 0) {
		trace_batch_rollback(t);
		return errf(why, whylen, EX_TEMPFAIL, "%.400s", err);
	}
	return EX_OK;
}

int
outbox_conclude(struct outbox *ob, struct trace *t, int rc, int64_t row,
    time_t now, char *why, size_t whylen)
{
	char	 err[512];

	if (rc != EX_OK) {
		trace_batch_rollback(t);
		outbox_abort(ob);
		return rc;
	}
	if (outbox_commit(ob, t, row, now, err, sizeof(err)) != 0)
		return errf(why, whylen, EX_TEMPFAIL, "%.400s", err);
	return EX_OK;
}

static int
collect(const struct trace_output *o, void *arg)
{
	struct outbox	*ob = arg;

	return add(ob, o->queue, o->tmp, o->name) < 0 ? -1 : 0;
}

int
outbox_publish_row(const char *spool, struct trace *t, int64_t row,
    size_t *moved, char *err, size_t errlen)
{
	struct outbox	 ob;
	size_t		 n = 0;
	int		 rc;

	outbox_init(&ob, spool, NULL);
	if (trace_outputs(t, row, collect, &ob) != 0) {
		snprintf(err, errlen, "trace: %s", trace_error(t));
		outbox_free(&ob);
		return -1;
	}
	rc = publish(&ob, &n, err, errlen);
	outbox_free(&ob);
	if (moved != NULL)
		*moved = n;
	return rc;
}

/* The recorded outputs among the files of SPOOL/QUEUE/tmp/, onto ob. */
static int
recover_queue(struct outbox *ob, struct trace *t, const char *queue,
    char *err, size_t errlen)
{
	struct trace_output o;
	struct dirent	*de;
	struct stat	 st;
	char		 dir[PATH_MAX];
	DIR		*d;
	int		 r, rc = 0;

	if (snprintf(dir, sizeof(dir), "%s/%s/tmp", ob->spool, queue) >=
	    (int)sizeof(dir))
		return 0;
	if ((d = opendir(dir)) == NULL)
		return 0;		/* no such queue (yet) */
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if ((r = trace_output_find(t, queue, de->d_name, &o)) < 0) {
			snprintf(err, errlen, "trace: %s", trace_error(t));
			rc = -1;
			break;
		}
		if (r == 1 && add(ob, queue, o.tmp, o.name) < 0) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			rc = -1;
			break;
		}
	}
	closedir(d);
	return rc;
}

int
outbox_recover(const char *spool, struct trace *t, size_t *moved, char *err,
    size_t errlen)
{
	struct outbox	 ob;
	struct dirent	*de;
	char		 dir[PATH_MAX], queue[TRACE_FILE_SZ];
	size_t		 n = 0;
	DIR		*d;
	int		 q, rc = 0;

	outbox_init(&ob, spool, NULL);
	for (q = 0; q < SPOOL_NQUEUES && rc == 0; q++)
		rc = recover_queue(&ob, t, spool_queue_name(
		    (enum spool_queue)q), err, errlen);
	snprintf(dir, sizeof(dir), "%s/%s", spool, HOLD_DIR);
	if (rc == 0 && (d = opendir(dir)) != NULL) {
		while (rc == 0 && (de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' && snprintf(queue,
			    sizeof(queue), "%s/%s", HOLD_DIR, de->d_name) <
			    (int)sizeof(queue))
				rc = recover_queue(&ob, t, queue, err, errlen);
		closedir(d);
	}
	if (rc == 0)
		rc = publish(&ob, &n, err, errlen);
	outbox_free(&ob);
	if (moved != NULL)
		*moved = n;
	return rc;
}

int
outbox_group_begin(const char *spool, struct trace *t, char *err,
    size_t errlen)
{
	if (grp.on || trace_batch_depth(t) != 0)
		return errf(err, errlen, -1, "a trace transaction is open");
	if (trace_batch_begin(t) < 0)
		return errf(err, errlen, -1, "trace: %s", trace_error(t));
	outbox_init(&grp.staged, spool, NULL);
	outbox_init(&grp.pub, spool, NULL);
	grp.t = t;
	grp.on = 1;
	return 0;
}

/*
 * The group's order (oxgate-spool(5), Group commit): its staged files
 * durable, its transaction committed, then its outputs renamed. A
 * failure before the commit drops the staged files; one of the commit
 * or after it leaves them and the renames to the redo or to
 * outbox_recover() (commit_failed).
 */
int
outbox_group_end(char *err, size_t errlen)
{
	struct trace	*t = grp.t;
	size_t		 moved;
	int		 rc = 0, committing = 0;

	if (!grp.on)
		return 0;
	grp.on = 0;
	if (sync_staged(&grp.staged, err, errlen) < 0)
		rc = -1;
	else if (trace_batch_depth(t) != 1)
		rc = errf(err, errlen, -1, "trace: the group's transaction "
		    "was rolled back: %s", trace_error(t));
	else {
		committing = 1;
		if (trace_batch_commit(t) < 0)
			rc = errf(err, errlen, -1, "trace: %s",
			    trace_error(t));
	}
	if (rc < 0) {
		trace_batch_rollback(t);
		commit_failed(&grp.staged, committing);
	} else if (publish(&grp.pub, &moved, err, errlen) < 0)
		rc = -2;
	outbox_free(&grp.staged);
	outbox_free(&grp.pub);
	return rc;
}
