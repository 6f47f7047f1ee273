/*
 * NAME
 *	queue - the spool queue engine (see queue.h and oxgate-spool(5))
 * DESCRIPTION
 *	Every state change of an item is one rename(2) or unlink(2), done in
 *	a fixed order, so that the contents of a work directory always say
 *	which state a dead process left the item in (the table in queue.h).
 *	All names are resolved relative to directory descriptors opened once
 *	(Q, Q/work, Q/work/D, failed, archive), never through a path built
 *	from file names, and nothing follows a symbolic link.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "spool/queue.h"
#include "util/afile.h"

#define SFID_SUFFIX	".sfid"
#define SFID_LEN	5
#define WHY_SUFFIX	".why"
#define LOCK_NAME	".lock"
#define WHY_NAME	".why"
#define WHY_TMP		".why.tmp"

struct defer {
	char	*name;
	time_t	 due;			/* CLOCK_MONOTONIC seconds */
};

/* An item of the open group whose outcome waits for the group's end. */
struct pending {
	char	*name;
	int	 ex;			/* EX_OK or a permanent code */
	char	 why[QUEUE_WHY_MAX];
};

struct queue {
	struct queue_opts o;
	char		*dir;
	char		*failed;
	char		*archive;
	char		*prog;
	int		 qfd;		/* Q */
	int		 wfd;		/* Q/work */
	int		 ffd;		/* failed directory */
	int		 afd;		/* archive directory, or -1 */
	int		 dfd;		/* Q/work/D, ours */
	int		 lfd;		/* Q/work/D/.lock, flock()ed */
	int		 stuck;		/* something could not leave our D */
	char		 dname[96];
	char		 dpath[PATH_MAX];
	struct queue_stats st;
	struct defer	*defer;
	size_t		 ndefer;
	size_t		 defercap;
	struct pending	*pend;		/* the open group's finished items */
	size_t		 npend;
	size_t		 pendcap;
	int		 grouped;	/* a group is open */
	struct timespec	 gstart;	/* when it opened */
};

static volatile sig_atomic_t queue_stop;
static volatile sig_atomic_t queue_hup;

static void qlog(struct queue *, enum log_level, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
qlog(struct queue *q, enum log_level lv, const char *fmt, ...)
{
	char	 line[1024];
	va_list	 ap;

	if (q->o.logger == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	q->o.logger(lv, line, q->o.arg);
}

static int fmt_name(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* A checked snprintf: -1 with ENAMETOOLONG when it does not fit. */
static int
fmt_name(char *buf, size_t size, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static time_t
mono_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static int
exists_at(int dfd, const char *name)
{
	struct stat	 st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno != ENOENT;		/* when in doubt, it is there */
}

static int
has_suffix(const char *s, const char *suf, size_t suflen)
{
	size_t	 n = strlen(s);

	return n > suflen && memcmp(s + n - suflen, suf, suflen) == 0;
}

/* The names of the queue's own directories. */
static int
reserved(const char *name)
{
	return strcmp(name, "tmp") == 0 || strcmp(name, "work") == 0;
}

/* An item name: a file name that is not a dot-file nor reserved. */
static int
name_ok_flags(int flags, const char *name)
{
	size_t	 n = strlen(name);
	size_t	 max = NAME_MAX;

	if (flags & QUEUE_PAIRS)
		max -= SFID_LEN;
	return n > 0 && n <= max && name[0] != '.' &&
	    strchr(name, '/') == NULL && !reserved(name);
}

static int
name_ok(const struct queue *q, const char *name)
{
	return name_ok_flags(q->o.flags, name);
}

static int
sfid_name(char *buf, size_t size, const char *name)
{
	int	 n = snprintf(buf, size, "%s%s", name, SFID_SUFFIX);

	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/*
 * Rename that never replaces: a newer file of the same name wins and we
 * keep ours. Where the file system lacks RENAME_NOREPLACE, link + unlink
 * (a crash between them leaves two links to one file, which the EEXIST
 * case below recognises and finishes).
 */
static int
move_noreplace(int sfd, const char *s, int dfd, const char *d)
{
	struct stat	 a, b;

	if (renameat2(sfd, s, dfd, d, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (linkat(sfd, s, dfd, d, 0) < 0) {
		if (errno != EEXIST)
			return -1;
		if (fstatat(sfd, s, &a, AT_SYMLINK_NOFOLLOW) < 0 ||
		    fstatat(dfd, d, &b, AT_SYMLINK_NOFOLLOW) < 0 ||
		    a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
			errno = EEXIST;
			return -1;
		}
	}
	return unlinkat(sfd, s, 0);
}

/* Link into the archive, replacing an older copy (a redo). */
static int
link_replace(int sfd, const char *s, int dfd, const char *d)
{
	if (linkat(sfd, s, dfd, d, 0) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (unlinkat(dfd, d, 0) < 0 && errno != ENOENT)
		return -1;
	return linkat(sfd, s, dfd, d, 0);
}

/* The names in a directory that are not dot-files. */
static int
list_dir(int fd, char ***out, size_t *nout)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL, **nv, *s;
	size_t		 n = 0, cap = 0;
	int		 dup_fd, saved;

	*out = NULL;
	*nout = 0;
	if ((dup_fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	if ((d = fdopendir(dup_fd)) == NULL) {
		saved = errno;
		close(dup_fd);
		errno = saved;
		return -1;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				goto fail;
			v = nv;
		}
		if ((s = strdup(de->d_name)) == NULL)
			goto fail;
		v[n++] = s;
	}
	if (errno != 0)
		goto fail;
	closedir(d);
	*out = v;
	*nout = n;
	return 0;
fail:
	saved = errno;
	closedir(d);
	queue_names_free(v, n);
	errno = saved;
	return -1;
}

void
queue_names_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* --- scanning ----------------------------------------------------------- */

struct ent {
	const char	*name;
	size_t		 len;		/* of the item's name in name */
	struct timespec	 t;		/* arrival: mtime of the marker */
	struct timespec	 since;		/* in Q since: mtime or ctime */
};

static int
ent_cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name,
	    ((const struct ent *)b)->name);
}

static int
ent_cmp_time(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->t.tv_sec != y->t.tv_sec)
		return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
	if (x->t.tv_nsec != y->t.tv_nsec)
		return x->t.tv_nsec < y->t.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

static struct ent *
ent_find(struct ent *e, size_t ne, const char *name)
{
	struct ent	 key;

	memset(&key, 0, sizeof(key));
	key.name = name;
	return bsearch(&key, e, ne, sizeof(*e), ent_cmp_name);
}

static struct timespec
ts_later(struct timespec a, struct timespec b)
{
	if (a.tv_sec != b.tv_sec)
		return a.tv_sec > b.tv_sec ? a : b;
	return a.tv_nsec >= b.tv_nsec ? a : b;
}

/* Whether t is at least s seconds before now. */
static int
older_than(const struct timespec *t, const struct timespec *now, unsigned s)
{
	time_t	 d = now->tv_sec - t->tv_sec;

	return d > (time_t)s || (d == (time_t)s && now->tv_nsec >= t->tv_nsec);
}

/*
 * The complete items of the directory dfd in arrival order. Whatever the
 * kind of file (a symbolic link, a FIFO, a directory), it is an item,
 * which queue_process() moves to failed/ saying what it is. With pairs,
 * a payload whose .sfid is missing is still being written (or being put
 * back) and is left alone; a .sfid whose payload is missing is left
 * alone for grace seconds (0: not at all; a writer renaming in the
 * wrong order), then it is an item that fails as "payload missing".
 */
int
queue_scan_dir(int dfd, int flags, unsigned grace, char ***out,
    size_t *nout)
{
	char		**names, **res = NULL;
	char		 base[NAME_MAX + 1], sfid[NAME_MAX + 1];
	struct ent	*e = NULL, *it = NULL, *hit;
	struct stat	 st;
	struct timespec	 now;
	size_t		 n, i, ne = 0, nr = 0, len;
	int		 saved;

	*out = NULL;
	*nout = 0;
	clock_gettime(CLOCK_REALTIME, &now);
	if (list_dir(dfd, &names, &n) < 0)
		return -1;
	if (n > 0 && ((e = calloc(n, sizeof(*e))) == NULL ||
	    (it = calloc(n, sizeof(*it))) == NULL))
		goto fail;
	for (i = 0; i < n; i++) {
		if (reserved(names[i]) || fstatat(dfd, names[i], &st,
		    AT_SYMLINK_NOFOLLOW) < 0)
			continue;		/* ours, or gone meanwhile */
		e[ne].name = names[i];
		e[ne].len = strlen(names[i]);
		e[ne].t = st.st_mtim;
		e[ne].since = ts_later(st.st_mtim, st.st_ctim);
		ne++;
	}
	if (flags & QUEUE_PAIRS) {
		qsort(e, ne, sizeof(*e), ent_cmp_name);
		for (i = 0; i < ne; i++) {
			if (!has_suffix(e[i].name, SFID_SUFFIX, SFID_LEN))
				continue;
			len = e[i].len - SFID_LEN;
			memcpy(base, e[i].name, len);
			base[len] = '\0';
			if ((hit = ent_find(e, ne, base)) != NULL) {
				it[nr] = *hit;
				it[nr++].t = e[i].t;	/* arrival = commit */
				continue;
			}
			/* no payload: unless it is a payload itself */
			if (!name_ok_flags(flags, base) || (sfid_name(sfid,
			    sizeof(sfid), e[i].name) == 0 && ent_find(e, ne,
			    sfid) != NULL) || (grace > 0 && !older_than(
			    &e[i].since, &now, grace)))
				continue;
			it[nr] = e[i];
			it[nr++].len = len;		/* orphaned */
		}
	} else {
		for (i = 0; i < ne; i++)
			it[nr++] = e[i];
	}
	qsort(it, nr, sizeof(*it), ent_cmp_time);
	if (nr > 0 && (res = calloc(nr, sizeof(*res))) == NULL)
		goto fail;
	for (i = 0; i < nr; i++)
		if ((res[i] = strndup(it[i].name, it[i].len)) == NULL) {
			queue_names_free(res, i);
			goto fail;
		}
	free(e);
	free(it);
	queue_names_free(names, n);
	*out = res;
	*nout = nr;
	return 0;
fail:
	saved = errno;
	free(e);
	free(it);
	queue_names_free(names, n);
	errno = saved;
	return -1;
}

int
queue_scan(struct queue *q, char ***out, size_t *nout)
{
	return queue_scan_dir(q->qfd, q->o.flags, q->o.grace ? q->o.grace :
	    60, out, nout);
}

/* --- deferred items (temporary failures) -------------------------------- */

static void
defer_add(struct queue *q, const char *name)
{
	struct defer	*nd;
	size_t		 i;
	time_t		 due = mono_now() + (q->o.retry ? q->o.retry : 60);

	for (i = 0; i < q->ndefer; i++)
		if (strcmp(q->defer[i].name, name) == 0) {
			q->defer[i].due = due;
			return;
		}
	if (q->ndefer == q->defercap) {
		size_t cap = q->defercap ? q->defercap * 2 : 16;

		if ((nd = reallocarray(q->defer, cap, sizeof(*nd))) == NULL)
			return;		/* then it is simply retried sooner */
		q->defer = nd;
		q->defercap = cap;
	}
	if ((q->defer[q->ndefer].name = strdup(name)) == NULL)
		return;
	q->defer[q->ndefer++].due = due;
}

static int
defer_waiting(const struct queue *q, const char *name, time_t now)
{
	size_t	 i;

	for (i = 0; i < q->ndefer; i++)
		if (strcmp(q->defer[i].name, name) == 0)
			return q->defer[i].due > now;
	return 0;
}

/* Forget the deferrals that are due; say whether there were any. */
static int
defer_expire(struct queue *q, time_t now)
{
	size_t	 i = 0;
	int	 any = 0;

	while (i < q->ndefer) {
		if (q->defer[i].due <= now) {
			free(q->defer[i].name);
			q->defer[i] = q->defer[--q->ndefer];
			any = 1;
		} else
			i++;
	}
	return any;
}

static time_t
defer_next(const struct queue *q)
{
	size_t	 i;
	time_t	 t = 0;

	for (i = 0; i < q->ndefer; i++)
		if (t == 0 || q->defer[i].due < t)
			t = q->defer[i].due;
	return t;
}

/* --- state changes of a claimed item ------------------------------------ */

/* One part of an item from sfd to dfd, replacing or not. */
static int
move_part(int sfd, int dfd, const char *name, int flags)
{
	if (flags & QUEUE_MOVE_REPLACE)
		return renameat(sfd, name, dfd, name);
	return move_noreplace(sfd, name, dfd, name);
}

/*
 * The item name (with QUEUE_PAIRS: name and name.sfid) from sfd to dfd:
 * the payload first, the commit marker last; a part that is not there
 * (moved before) is skipped. See queue.h.
 */
int
queue_move_item(int sfd, int dfd, const char *name, int flags)
{
	char	 sfid[NAME_MAX + 1];
	int	 pairs = flags & QUEUE_PAIRS, moved = 0;

	if (pairs && sfid_name(sfid, sizeof(sfid), name) < 0)
		return -1;
	if (exists_at(sfd, name)) {
		if (move_part(sfd, dfd, name, flags) == 0)
			moved = 1;
		else if (errno != ENOENT)
			return -1;
	}
	if ((flags & QUEUE_MOVE_SYNC) && fsync(dfd) < 0)
		return -1;	/* the payload is durable before the marker */
	if (!pairs)
		return moved;
	if (!exists_at(sfd, sfid))
		return 0;
	if (move_part(sfd, dfd, sfid, flags) < 0)
		return errno == ENOENT ? 0 : -1;
	if ((flags & QUEUE_MOVE_SYNC) && (fsync(dfd) < 0 || fsync(sfd) < 0))
		return -1;
	return 1;
}

/* Back into Q: payload first, the commit marker last. */
static int
requeue(struct queue *q, int dfd, const char *name)
{
	return queue_move_item(dfd, q->qfd, name, q->o.flags & QUEUE_PAIRS) <
	    0 ? -1 : 0;
}

static void
requeue_or_keep(struct queue *q, const char *name)
{
	if (requeue(q, q->dfd, name) < 0) {
		q->stuck = 1;
		q->st.errors++;
		qlog(q, LOG_L_ERROR, "%s: cannot put back into %s: %s; "
		    "kept in %s until later", name, q->dir, strerror(errno),
		    q->dpath);
	}
}

/* Success: archive (optional), then remove, the marker first. */
static int
finish_done(struct queue *q, const char *name)
{
	char	 sfid[NAME_MAX + 1];
	int	 pairs = q->o.flags & QUEUE_PAIRS;

	if (pairs && sfid_name(sfid, sizeof(sfid), name) < 0)
		return -1;
	if (q->afd >= 0) {
		if (link_replace(q->dfd, name, q->afd, name) < 0)
			return -1;
		if (pairs && link_replace(q->dfd, sfid, q->afd, sfid) < 0)
			return -1;
		if (fsync(q->afd) < 0)
			return -1;
	}
	if (pairs && unlinkat(q->dfd, sfid, 0) < 0 && errno != ENOENT)
		return -1;
	if (unlinkat(q->dfd, name, 0) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

static void
clean_line(char *dst, size_t size, const char *src)
{
	size_t	 i;

	if (src == NULL || *src == '\0')
		src = "unspecified";
	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = ((unsigned char)src[i] < 0x20 || src[i] == 0x7f) ?
		    '?' : src[i];
	dst[i] = '\0';
}

/* Write D/.why (tmp, fsync, rename, fsync D): the failure is decided. */
static int
why_write(struct queue *q, const char *name, const char *target, int ex,
    const char *reason)
{
	char		 text[2048], line[QUEUE_WHY_MAX], when[32];
	struct tm	 tm;
	time_t		 now = time(NULL);
	int		 fd, n, saved;

	clean_line(line, sizeof(line), reason);
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(text, sizeof(text),
	    "item: %s\nfile: %s\nreason: %s\ntime: %s\nprogram: %s\n"
	    "pid: %ld\nexit: %d %s\n", name, target, line, when, q->prog,
	    (long)getpid(), ex, queue_exit_name(ex));
	if (n < 0 || (size_t)n >= sizeof(text)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = openat(q->dfd, WHY_TMP, O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write_all(fd, text, (size_t)n) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0 || renameat(q->dfd, WHY_TMP, q->dfd, WHY_NAME) < 0) {
		saved = errno;
		goto fail;
	}
	if (fsync(q->dfd) < 0) {
		saved = errno;
		unlinkat(q->dfd, WHY_NAME, 0);
		errno = saved;
		return -1;
	}
	return 0;
fail:
	unlinkat(q->dfd, WHY_TMP, 0);
	errno = saved;
	return -1;
}

/* A name in the failed directory that takes no older item's place. */
static int
failed_target(struct queue *q, const char *name, char *t, size_t size)
{
	char		 when[32], s[NAME_MAX + 1], w[NAME_MAX + 1];
	struct tm	 tm;
	time_t		 now = time(NULL);
	unsigned	 i;
	int		 n, room = NAME_MAX - SFID_LEN - 40;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%dT%H%M%S", &tm);
	for (i = 0; i < 100; i++) {
		if (i == 0 && strlen(name) + SFID_LEN <= NAME_MAX)
			n = snprintf(t, size, "%s", name);
		else
			n = snprintf(t, size, "%.*s.%s.%ld.%u", room, name,
			    when, (long)getpid(), i);
		if (n < 0 || (size_t)n >= size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (fmt_name(s, sizeof(s), "%s%s", t, SFID_SUFFIX) < 0 ||
		    fmt_name(w, sizeof(w), "%s%s", t, WHY_SUFFIX) < 0)
			return -1;
		if (!exists_at(q->ffd, t) && !exists_at(q->ffd, s) &&
		    !exists_at(q->ffd, w))
			return 0;
	}
	errno = EEXIST;
	return -1;
}

/*
 * Move what is left of a failing item from dfd into failed/ as target:
 * payload, marker, and the .why last. Returns 0, -1 when nothing moved
 * (the item may go back to Q), -2 when only part did (it must not).
 */
static int
failed_move(struct queue *q, int dfd, const char *name, const char *target)
{
	char	 sfid[NAME_MAX + 1], tsfid[NAME_MAX + 1], twhy[NAME_MAX + 1];
	int	 moved = 0, n;

	n = snprintf(twhy, sizeof(twhy), "%s%s", target, WHY_SUFFIX);
	if (n < 0 || (size_t)n >= sizeof(twhy) ||
	    sfid_name(sfid, sizeof(sfid), name) < 0 ||
	    sfid_name(tsfid, sizeof(tsfid), target) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (exists_at(dfd, name)) {
		if (move_noreplace(dfd, name, q->ffd, target) < 0)
			return -1;
		moved = 1;
	}
	if ((q->o.flags & QUEUE_PAIRS) && exists_at(dfd, sfid)) {
		if (move_noreplace(dfd, sfid, q->ffd, tsfid) < 0)
			return moved ? -2 : -1;
		moved = 1;
	}
	if (renameat(dfd, WHY_NAME, q->ffd, twhy) < 0)
		return moved ? -2 : -1;
	fsync(q->ffd);
	return 0;
}

/* A permanent failure. Returns as failed_move() does. */
static int
finish_failed(struct queue *q, const char *name, int ex, const char *reason)
{
	char	 target[NAME_MAX + 1];
	int	 r, saved;

	if (failed_target(q, name, target, sizeof(target) - SFID_LEN) < 0)
		return -1;
	if (why_write(q, name, target, ex, reason) < 0)
		return -1;
	if ((r = failed_move(q, q->dfd, name, target)) == -1) {
		saved = errno;
		unlinkat(q->dfd, WHY_NAME, 0);
		errno = saved;
		return -1;
	}
	if (r < 0)
		return r;
	q->st.failed++;
	qlog(q, LOG_L_WARN, "%s: failed (%d %s): %s; moved to %s/%s", name,
	    ex, queue_exit_name(ex), reason[0] ? reason : "unspecified",
	    q->o.failed, target);
	return 0;
}

/* --- recovery ----------------------------------------------------------- */

/* Finish a failure that D/.why records. 0: done or nothing to do. */
static int
recover_why(struct queue *q, int dfd)
{
	char	 text[4096], item[NAME_MAX + 1] = "", file[NAME_MAX + 1] = "";
	char	*line, *next;
	ssize_t	 n;
	int	 fd;

	unlinkat(dfd, WHY_TMP, 0);
	if ((fd = openat(dfd, WHY_NAME, O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return -1;
	text[n] = '\0';
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strncmp(line, "item: ", 6) == 0)
			snprintf(item, sizeof(item), "%s", line + 6);
		else if (strncmp(line, "file: ", 6) == 0)
			snprintf(file, sizeof(file), "%s", line + 6);
	}
	if (!name_ok(q, item) || !name_ok(q, file)) {
		/* not ours to read: the item is simply redone */
		unlinkat(dfd, WHY_NAME, 0);
		return 0;
	}
	if (failed_move(q, dfd, item, file) < 0)
		return -1;
	q->st.failed++;
	qlog(q, LOG_L_INFO, "%s: finished moving to %s/%s", item,
	    q->o.failed, file);
	return 0;
}

/*
 * Put the items of a work directory back, according to the state table
 * in queue.h. Returns 0 when nothing but .lock is left.
 */
static int
recover_dir(struct queue *q, int dfd, const char *label)
{
	char	**v, sfid[NAME_MAX + 1], base[NAME_MAX + 1];
	size_t	 n, i;
	int	 rc = 0, r, pairs = q->o.flags & QUEUE_PAIRS;

	if (recover_why(q, dfd) < 0) {
		qlog(q, LOG_L_ERROR, "%s: cannot finish a failure: %s",
		    label, strerror(errno));
		return -1;
	}
	if (list_dir(dfd, &v, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *name = v[i];

		r = 0;
		if (!exists_at(dfd, name))
			continue;		/* went with its pair */
		if (!pairs)
			r = requeue(q, dfd, name);		/* claimed */
		else if (has_suffix(name, SFID_SUFFIX, SFID_LEN)) {
			snprintf(base, sizeof(base), "%.*s",
			    (int)(strlen(name) - SFID_LEN), name);
			if (exists_at(dfd, base)) {
				name = base;
				r = requeue(q, dfd, base);	/* claimed */
			} else				/* half claimed */
				r = move_noreplace(dfd, name, q->qfd, name);
		} else if (sfid_name(sfid, sizeof(sfid), name) == 0 &&
		    exists_at(dfd, sfid))
			r = requeue(q, dfd, name);		/* claimed */
		else {
			/* half removed after success: finish */
			if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
				rc = -1;
			continue;
		}
		if (r < 0) {
			rc = -1;
			qlog(q, LOG_L_ERROR, "%s: cannot put back from %s: %s",
			    name, label, strerror(errno));
			continue;
		}
		q->st.recovered++;
		qlog(q, LOG_L_INFO, "%s: put back from %s", name, label);
	}
	queue_names_free(v, n);
	return rc;
}

/*
 * Take back the items of dead processes: every Q/work/ directory whose
 * .lock nobody holds. Returns the number of directories cleared.
 */
int
queue_recover(struct queue *q)
{
	char		**v, label[PATH_MAX];
	struct stat	 st;
	size_t		 n, i;
	int		 dfd, lfd, cleared = 0;

	if (list_dir(q->wfd, &v, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(v[i], q->dname) == 0)
			continue;
		dfd = openat(q->wfd, v[i], O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue;
		lfd = openat(dfd, LOCK_NAME, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (lfd < 0) {
			/* being made, or left empty: rmdir fails if not */
			if (errno == ENOENT)
				unlinkat(q->wfd, v[i], AT_REMOVEDIR);
			close(dfd);
			continue;
		}
		if (flock(lfd, LOCK_EX | LOCK_NB) < 0 ||
		    fstat(lfd, &st) < 0 || st.st_nlink == 0) {
			/* alive, or cleared by another recoverer */
			close(lfd);
			close(dfd);
			continue;
		}
		snprintf(label, sizeof(label), "%s/work/%s", q->dir, v[i]);
		if (recover_dir(q, dfd, label) == 0) {
			unlinkat(dfd, LOCK_NAME, 0);
			unlinkat(q->wfd, v[i], AT_REMOVEDIR);
			cleared++;
		}
		close(lfd);
		close(dfd);
	}
	queue_names_free(v, n);
	return cleared;
}

/* --- opening and closing ------------------------------------------------ */

/* A copy of a directory's path without trailing slashes (they follow). */
static char *
dir_dup(const char *path)
{
	char	*s;
	size_t	 n;

	if ((s = strdup(path)) == NULL)
		return NULL;
	for (n = strlen(s); n > 1 && s[n - 1] == '/'; n--)
		s[n - 1] = '\0';
	return s;
}

/*
 * A directory of the queue (made if create), opened without following a
 * symbolic link: a link is ELOOP (open(2) says ENOTDIR for it, because
 * of O_DIRECTORY), anything else that is not a directory ENOTDIR.
 */
static int
open_dir(int at, const char *path, int create)
{
	struct stat	 st;
	int		 fd;

	if (create && mkdirat(at, path, 0700) < 0 && errno != EEXIST)
		return -1;
	fd = openat(at, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOTDIR && fstatat(at, path, &st,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		errno = ELOOP;
	return fd;
}

/* Q/tmp (made if missing) must be a directory too; nothing opens it. */
static int
check_tmp(int qfd)
{
	struct stat	 st;

	if (mkdirat(qfd, "tmp", 0700) < 0 && errno != EEXIST)
		return -1;
	if (fstatat(qfd, "tmp", &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (S_ISDIR(st.st_mode))
		return 0;
	errno = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
	return -1;
}

/*
 * The first label of the host's name, letters, digits and '-' only: on
 * a spool that several hosts share, the work directories say whose
 * they are (oxgate-spool(5), "Several hosts").
 */
static void
workdir_host(char *h, size_t sz)
{
	char	 name[256];
	size_t	 n;

	if (gethostname(name, sizeof(name)) < 0)
		name[0] = '\0';
	name[sizeof(name) - 1] = '\0';
	n = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-");
	if (n == 0)
		snprintf(h, sz, "host");
	else
		snprintf(h, sz, "%.*s", (int)(n < 32 ? n : 32), name);
}

/* Make Q/work/HOST.PID.RANDOM/ and lock it for the life of the process. */
static int
workdir_create(struct queue *q)
{
	struct stat	 a, b;
	uint64_t	 r;
	char		 host[40];
	int		 i, n;

	workdir_host(host, sizeof(host));
	for (i = 0; i < 16; i++) {
		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
			r = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
			    (uint64_t)i;
		snprintf(q->dname, sizeof(q->dname), "%s.%ld.%016llx", host,
		    (long)getpid(), (unsigned long long)r);
		if (mkdirat(q->wfd, q->dname, 0700) < 0) {
			if (errno == EEXIST)
				continue;
			return -1;
		}
		q->dfd = openat(q->wfd, q->dname, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (q->dfd < 0)
			continue;	/* a recoverer removed it */
		q->lfd = openat(q->dfd, LOCK_NAME, O_RDWR | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		/*
		 * A recoverer may take the lock between our create and our
		 * flock, then unlink it and remove the directory: check
		 * that both are still linked once the lock is ours.
		 */
		if (q->lfd >= 0 && flock(q->lfd, LOCK_EX | LOCK_NB) == 0 &&
		    fstat(q->lfd, &a) == 0 && a.st_nlink > 0 &&
		    fstat(q->dfd, &b) == 0 && b.st_nlink > 0) {
			n = snprintf(q->dpath, sizeof(q->dpath), "%s/work/%s",
			    q->dir, q->dname);
			if (n < 0 || (size_t)n >= sizeof(q->dpath)) {
				errno = ENAMETOOLONG;
				return -1;
			}
			return 0;
		}
		if (q->lfd >= 0)
			close(q->lfd);
		close(q->dfd);
		q->lfd = q->dfd = -1;
	}
	errno = EAGAIN;
	return -1;
}

static void
queue_free(struct queue *q)
{
	size_t	 i;

	if (q->dfd >= 0)
		close(q->dfd);
	if (q->lfd >= 0)
		close(q->lfd);	/* releases the claim */
	if (q->qfd >= 0)
		close(q->qfd);
	if (q->wfd >= 0)
		close(q->wfd);
	if (q->ffd >= 0)
		close(q->ffd);
	if (q->afd >= 0)
		close(q->afd);
	for (i = 0; i < q->ndefer; i++)
		free(q->defer[i].name);
	free(q->defer);
	free(q->pend);
	free(q->dir);
	free(q->failed);
	free(q->archive);
	free(q->prog);
	free(q);
}

int
queue_open(struct queue **qp, const struct queue_opts *o)
{
	struct queue	*q;
	const char	*at, *sub = "", *why;
	int		 saved;

	*qp = NULL;
	if (o->dir == NULL || o->failed == NULL || o->handler == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return -1;
	q->qfd = q->wfd = q->ffd = q->afd = q->dfd = q->lfd = -1;
	q->o = *o;
	at = o->dir;
	q->dir = dir_dup(o->dir);
	q->failed = dir_dup(o->failed);
	q->archive = o->archive ? dir_dup(o->archive) : NULL;
	q->prog = strdup(o->prog ? o->prog : log_progname());
	if (q->dir == NULL || q->failed == NULL || q->prog == NULL ||
	    (o->archive != NULL && q->archive == NULL))
		goto fail;
	q->o.dir = at = q->dir;
	q->o.failed = q->failed;
	q->o.archive = q->archive;
	q->o.prog = q->prog;
	if ((q->qfd = open_dir(AT_FDCWD, q->dir, 0)) < 0)
		goto fail;
	sub = "/tmp";
	if (check_tmp(q->qfd) < 0)
		goto fail;
	sub = "/work";
	if ((q->wfd = open_dir(q->qfd, "work", 1)) < 0)
		goto fail;
	at = q->failed;
	sub = "";
	if ((q->ffd = open_dir(AT_FDCWD, q->failed, 1)) < 0)
		goto fail;
	at = q->archive;
	if (q->archive != NULL &&
	    (q->afd = open_dir(AT_FDCWD, q->archive, 1)) < 0)
		goto fail;
	at = q->dir;
	sub = "/work";
	if (workdir_create(q) < 0)
		goto fail;
	if (queue_recover(q) < 0)
		goto fail;
	*qp = q;
	return 0;
fail:
	saved = errno;
	why = saved == ELOOP ? "is a symbolic link (refused: the queue's "
	    "directories must be real directories)" : saved == ENOTDIR ?
	    "is not a directory" : strerror(saved);
	if (at == q->dir && *sub == '\0')
		qlog(q, LOG_L_ERROR, "%s: %s; the queue is not opened", at,
		    why);
	else
		qlog(q, LOG_L_ERROR, "%s%s: %s; the queue %s is not opened", at,
		    sub, why, o->dir);
	if (q->dfd >= 0) {
		unlinkat(q->dfd, LOCK_NAME, 0);
		unlinkat(q->wfd, q->dname, AT_REMOVEDIR);
	}
	queue_free(q);
	errno = saved;
	return -1;
}

void
queue_close(struct queue *q)
{
	if (q == NULL)
		return;
	if (q->dfd >= 0 && recover_dir(q, q->dfd, q->dpath) == 0) {
		unlinkat(q->dfd, LOCK_NAME, 0);
		unlinkat(q->wfd, q->dname, AT_REMOVEDIR);
	}
	queue_free(q);
}

const struct queue_stats *
queue_get_stats(const struct queue *q)
{
	return &q->st;
}

const char *
queue_workdir(const struct queue *q)
{
	return q->dpath;
}

/* --- one item ----------------------------------------------------------- */

/* Every deferral is logged at warning level: an item stays in Q. */
static enum queue_outcome
defer_item(struct queue *q, const char *name, const char *why)
{
	q->st.deferred++;
	defer_add(q, name);
	qlog(q, LOG_L_WARN, "%s: deferred: %s", name, why);
	return QUEUE_DEFERRED;
}

/* A permanent failure, or a deferral when failed/ cannot take it. */
static enum queue_outcome
fail_item(struct queue *q, const char *name, int ex, const char *why)
{
	char	 msg[QUEUE_WHY_MAX + 128];
	int	 r;

	if ((r = finish_failed(q, name, ex, why)) == 0)
		return QUEUE_FAILED;
	snprintf(msg, sizeof(msg), "cannot move to %s (%s) after: %s",
	    q->o.failed, strerror(errno), why);
	q->st.errors++;
	if (r == -1)
		requeue_or_keep(q, name);
	else
		q->stuck = 1;	/* .why in D: finished by recovery */
	return defer_item(q, name, msg);
}

enum item_check {
	ITEM_OK,		/* a regular file, open */
	ITEM_BAD,		/* permanent: it fails */
	ITEM_LATER		/* temporary: it goes back */
};

static const char *
file_kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "of an unknown kind";
}

/* Why a claimed file that is not a regular file fails (a link: whereto). */
static enum item_check
not_regular(struct queue *q, const char *file, mode_t m, char *why,
    size_t size)
{
	char	 to[256];
	ssize_t	 n;

	if (S_ISLNK(m) && (n = readlinkat(q->dfd, file, to,
	    sizeof(to) - 1)) >= 0) {
		to[n] = '\0';
		snprintf(why, size, "%s: a symbolic link (to %s), not a "
		    "regular file", file, to);
	} else
		snprintf(why, size, "%s: %s, not a regular file", file,
		    file_kind(m));
	return ITEM_BAD;
}

/*
 * A claimed file that cannot be opened. A permission (EACCES, EPERM) is
 * temporary: an operator may fix it, and the file must not be lost;
 * every attempt is a deferral, logged at warning level.
 */
static enum item_check
open_failed(const char *file, int err, char *why, size_t size)
{
	if (err == EACCES || err == EPERM) {
		snprintf(why, size, "%s: cannot be read (%s); it stays in the "
		    "queue until its permissions are fixed", file,
		    strerror(err));
		return ITEM_LATER;
	}
	snprintf(why, size, "%s: %s", file, strerror(err));
	return err == ELOOP ? ITEM_BAD : ITEM_LATER;
}

/*
 * Look at the claimed item before anything reads it: its files must be
 * regular files with one link, readable by us. Nothing follows a link;
 * nothing opens a FIFO or a device (lstat first, then O_NONBLOCK). On
 * ITEM_OK *fdp is the payload, open read-only; otherwise why says why.
 */
static enum item_check
item_open(struct queue *q, const char *name, const char *sfid, int *fdp,
    char *why, size_t size)
{
	struct stat	 st, sst;
	int		 fd, flags;

	*fdp = -1;
	if (sfid != NULL) {
		if (fstatat(q->dfd, sfid, &sst, AT_SYMLINK_NOFOLLOW) < 0)
			return open_failed(sfid, errno, why, size);
		if (!S_ISREG(sst.st_mode))
			return not_regular(q, sfid, sst.st_mode, why, size);
	}
	if (fstatat(q->dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return open_failed(name, errno, why, size);
	if (!S_ISREG(st.st_mode))
		return not_regular(q, name, st.st_mode, why, size);
	if (sfid != NULL) {
		if ((fd = openat(q->dfd, sfid, O_RDONLY | O_NOFOLLOW |
		    O_NONBLOCK | O_CLOEXEC)) < 0)
			return open_failed(sfid, errno, why, size);
		close(fd);
	}
	if ((fd = openat(q->dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0)
		return open_failed(name, errno, why, size);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(why, size, "%s: not a regular file", name);
		return ITEM_BAD;
	}
	/* a file with another hard link could be one from outside */
	if (sfid != NULL && sst.st_nlink != 1)
		st = sst;
	if (st.st_nlink != 1) {
		close(fd);
		snprintf(why, size, "has %lu hard links (a spool file has "
		    "one)", (unsigned long)st.st_nlink);
		return ITEM_BAD;
	}
	if ((flags = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	*fdp = fd;
	return ITEM_OK;
}

/* The end of a handled item: input removed, or moved to failed/. */
static enum queue_outcome
finish(struct queue *q, const char *name, int ex, const char *reason)
{
	char	 why[QUEUE_WHY_MAX + 64];

	if (ex != EX_OK)
		return fail_item(q, name, ex, reason);
	if (finish_done(q, name) < 0) {
		/* outputs are durable: a redo replaces them */
		snprintf(why, sizeof(why), "removing the input: %s",
		    strerror(errno));
		q->st.errors++;
		requeue_or_keep(q, name);
		return defer_item(q, name, why);
	}
	q->st.done++;
	return QUEUE_DONE;
}

/* Keep the outcome of an item of the open group for its end; 0 or -1. */
static int
pend_add(struct queue *q, const char *name, int ex, const char *why)
{
	struct pending	*np;

	if (q->npend == q->pendcap) {
		size_t cap = q->pendcap ? 2 * q->pendcap : 16;

		if ((np = reallocarray(q->pend, cap, sizeof(*np))) == NULL)
			return -1;
		q->pend = np;
		q->pendcap = cap;
	}
	np = &q->pend[q->npend];
	if ((np->name = strdup(name)) == NULL)
		return -1;
	np->ex = ex;
	snprintf(np->why, sizeof(np->why), "%s", why);
	q->npend++;
	return 0;
}

/*
 * Claim the item NAME and run the handler on it. The claim is the
 * rename of the commit marker into our work directory: of two processes
 * only one can win it. In a group (grouped) the outcome waits for the
 * group's end (pend_add()); the result is then what it will be if the
 * group ends well.
 */
static enum queue_outcome
item_run(struct queue *q, const char *name, int grouped)
{
	struct queue_item it;
	char		 sfid[NAME_MAX + 1], why[QUEUE_WHY_MAX + 64];
	char		 path[PATH_MAX], spath[PATH_MAX];
	int		 pairs = q->o.flags & QUEUE_PAIRS, ex, fd;

	if (!name_ok(q, name))
		return QUEUE_GONE;
	if (pairs) {
		sfid_name(sfid, sizeof(sfid), name);
		if (renameat(q->qfd, sfid, q->dfd, sfid) < 0) {
			if (errno == ENOENT)
				return QUEUE_GONE;
			snprintf(why, sizeof(why), "claim: %s",
			    strerror(errno));
			q->st.errors++;
			return defer_item(q, name, why);
		}
		if (renameat(q->qfd, name, q->dfd, name) < 0) {
			if (errno == ENOENT) {
				snprintf(why, sizeof(why), "payload missing "
				    "(%s without %s)", sfid, name);
				return fail_item(q, name, EX_DATAERR, why);
			}
			snprintf(why, sizeof(why), "claim: %s",
			    strerror(errno));
			q->st.errors++;
			requeue_or_keep(q, name);
			return defer_item(q, name, why);
		}
	} else if (renameat(q->qfd, name, q->dfd, name) < 0) {
		if (errno == ENOENT)
			return QUEUE_GONE;
		snprintf(why, sizeof(why), "claim: %s", strerror(errno));
		q->st.errors++;
		return defer_item(q, name, why);
	}

	/* ours now: nobody else can see it */
	if (fmt_name(path, sizeof(path), "%s/%s", q->dpath, name) < 0 ||
	    (pairs && fmt_name(spath, sizeof(spath), "%s/%s", q->dpath,
	    sfid) < 0))
		return fail_item(q, name, EX_DATAERR, "path too long");
	switch (item_open(q, name, pairs ? sfid : NULL, &fd, why,
	    sizeof(why))) {
	case ITEM_BAD:
		return fail_item(q, name, EX_DATAERR, why);
	case ITEM_LATER:
		requeue_or_keep(q, name);
		return defer_item(q, name, why);
	case ITEM_OK:
		break;
	}

	memset(&it, 0, sizeof(it));
	it.name = name;
	it.path = path;
	it.sfid = pairs ? spath : NULL;
	it.fd = fd;
	ex = q->o.handler(&it, q->o.arg);
	close(fd);
	it.why[sizeof(it.why) - 1] = '\0';

	if (ex != EX_OK && it.why[0] == '\0')
		snprintf(it.why, sizeof(it.why), "exit %d %s", ex,
		    queue_exit_name(ex));
	if (queue_exit_temporary(ex)) {
		requeue_or_keep(q, name);
		return defer_item(q, name, it.why);
	}
	if (!grouped)
		return finish(q, name, ex, it.why);
	if (pend_add(q, name, ex, it.why) < 0) {
		/* not before the group's end: it is done again later */
		requeue_or_keep(q, name);
		return defer_item(q, name, "group commit: out of memory");
	}
	return ex == EX_OK ? QUEUE_DONE : QUEUE_FAILED;
}

enum queue_outcome
queue_process(struct queue *q, const char *name)
{
	return item_run(q, name, 0);
}

/* --- group commit ------------------------------------------------------- */

/* Open a group; -1 with the reason in why when it cannot begin. */
static int
group_begin(struct queue *q, char *why, size_t size)
{
	char	 err[QUEUE_WHY_MAX];

	err[0] = '\0';
	if (q->o.group != NULL && q->o.group(QUEUE_GROUP_BEGIN, err,
	    sizeof(err), q->o.arg) < 0) {
		snprintf(why, size, "group commit: %s", err[0] ? err :
		    "cannot begin");
		return -1;
	}
	q->grouped = 1;
	clock_gettime(CLOCK_MONOTONIC, &q->gstart);
	return 0;
}

/* Whether the open group is to close before the next item. */
static int
group_full(const struct queue *q)
{
	struct timespec	 now;
	long long	 ms;

	if (q->npend >= (q->o.batch ? q->o.batch : QUEUE_BATCH_MAX))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(now.tv_sec - q->gstart.tv_sec) * 1000 +
	    (now.tv_nsec - q->gstart.tv_nsec) / 1000000;
	return ms >= (long long)(q->o.batch_ms ? q->o.batch_ms :
	    QUEUE_BATCH_MS);
}

/* Whether item NAME is to run alone: its payload is large. */
static int
too_big(const struct queue *q, const char *name)
{
	struct stat	 st;
	unsigned long	 max = q->o.batch_size ? q->o.batch_size :
	    QUEUE_BATCH_SIZE;

	return fstatat(q->qfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max;
}

/*
 * Close the open group: END makes its outputs durable and decided; then
 * the inputs of the items done are removed (one fsync of D for all),
 * the failures go to failed/. When END fails, nothing of the group is
 * decided: every item goes back to Q, deferred.
 */
static void
group_end(struct queue *q)
{
	char	 err[QUEUE_WHY_MAX], why[QUEUE_WHY_MAX + 64];
	size_t	 i;
	int	 r = 0, pass;

	if (!q->grouped)
		return;
	q->grouped = 0;
	err[0] = '\0';
	if (q->o.group != NULL)
		r = q->o.group(QUEUE_GROUP_END, err, sizeof(err), q->o.arg);
	snprintf(why, sizeof(why), "group commit: %s", err[0] ? err :
	    "failed");
	for (pass = 0; pass < 2; pass++) {	/* the done ones first */
		for (i = 0; i < q->npend; i++) {
			struct pending *p = &q->pend[i];

			if ((p->ex == EX_OK) != (pass == 0))
				continue;
			if (r != 0) {
				requeue_or_keep(q, p->name);
				defer_item(q, p->name, why);
			} else
				finish(q, p->name, p->ex, p->why);
		}
		if (pass == 0 && r == 0 && q->npend > 0 && fsync(q->dfd) < 0)
			qlog(q, LOG_L_WARN, "%s: fsync: %s", q->dpath,
			    strerror(errno));
	}
	for (i = 0; i < q->npend; i++)
		free(q->pend[i].name);
	q->npend = 0;
}

/* --- the run loops ------------------------------------------------------ */

struct sigsave {
	struct sigaction term, intr, hup;
};

static void
queue_onsig(int sig)
{
	if (sig == SIGHUP)
		queue_hup = 1;
	else
		queue_stop = 1;
}

static void
sig_install(struct sigsave *s)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = queue_onsig;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a wait must end */
	queue_hup = 0;		/* a stop asked before the run is kept */
	sigaction(SIGTERM, &sa, &s->term);
	sigaction(SIGINT, &sa, &s->intr);
	sigaction(SIGHUP, &sa, &s->hup);
}

static void
sig_restore(const struct sigsave *s)
{
	queue_stop = 0;		/* served */
	sigaction(SIGTERM, &s->term, NULL);
	sigaction(SIGINT, &s->intr, NULL);
	sigaction(SIGHUP, &s->hup, NULL);
}

/* Stop after the item in hand, as SIGTERM does (a fatal condition, or
 * a SIGTERM that came before the run). */
void
queue_stop_request(void)
{
	queue_stop = 1;
}

int
queue_stop_requested(void)
{
	return queue_stop;
}

/* Between two items: reload on SIGHUP; say whether to stop. */
static int
between(struct queue *q)
{
	if (queue_hup) {
		queue_hup = 0;
		if (q->o.reload != NULL)
			q->o.reload(q->o.arg);
	}
	return queue_stop;
}

/* One pass over the queue, in groups. */
static void
pass(struct queue *q, time_t now)
{
	char	**v, why[QUEUE_WHY_MAX + 64];
	size_t	 n, i;

	if (queue_scan(q, &v, &n) < 0) {
		q->st.errors++;
		qlog(q, LOG_L_ERROR, "%s: cannot scan: %s", q->dir,
		    strerror(errno));
		return;
	}
	for (i = 0; i < n && !between(q); i++) {
		if (defer_waiting(q, v[i], now))
			continue;
		if (q->grouped && group_full(q))
			group_end(q);
		if (q->o.batch == 1 || too_big(q, v[i])) {
			group_end(q);
			item_run(q, v[i], 0);
			continue;
		}
		if (!q->grouped && group_begin(q, why, sizeof(why)) < 0) {
			/* nothing could be recorded: the rest waits, unclaimed */
			for (; i < n; i++)
				if (!defer_waiting(q, v[i], now))
					defer_item(q, v[i], why);
			break;
		}
		item_run(q, v[i], 1);
	}
	group_end(q);
	queue_names_free(v, n);
}

int
queue_run_batch(struct queue *q)
{
	struct sigsave	 ss;
	struct queue_stats before = q->st;

	sig_install(&ss);
	pass(q, mono_now());
	sig_restore(&ss);
	if (q->st.deferred != before.deferred || q->st.errors != before.errors)
		return EX_TEMPFAIL;
	return EX_OK;
}

/* Read the pending inotify events; -1 when the queue went away. */
static int
drain_events(struct queue *q, int ifd, int *dirty)
{
	char	 buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t	 n;
	char	*p;

	for (;;) {
		n = read(ifd, buf, sizeof(buf));
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			if (ev->mask & IN_Q_OVERFLOW)
				*dirty = 1;
			if (ev->mask & IN_IGNORED) {
				errno = ENOENT;
				return -1;
			}
			if (ev->len == 0 || ev->name[0] == '.')
				continue;
			if (!(q->o.flags & QUEUE_PAIRS) ||
			    has_suffix(ev->name, SFID_SUFFIX, SFID_LEN))
				*dirty = 1;
		}
	}
}

int
queue_run_watch(struct queue *q)
{
	struct sigsave	 ss;
	struct pollfd	 pfd;
	struct timespec	 ts;
	sigset_t	 set, old;
	time_t		 now, next_full, nd, wait;
	unsigned	 rescan = q->o.rescan ? q->o.rescan : 60;
	int		 ifd, dirty = 1, rc = EX_OK, n;

	if ((ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return EX_OSERR;
	if (inotify_add_watch(ifd, q->dir, IN_MOVED_TO | IN_CLOSE_WRITE |
	    IN_ONLYDIR | IN_DONT_FOLLOW) < 0) {
		close(ifd);
		return EX_OSERR;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sig_install(&ss);
	next_full = mono_now() + rescan;
	for (;;) {
		if (between(q))
			break;
		now = mono_now();
		if (now >= next_full) {
			queue_recover(q);
			if (q->stuck && recover_dir(q, q->dfd, q->dpath) == 0)
				q->stuck = 0;
			dirty = 1;
			next_full = now + rescan;
		}
		if (defer_expire(q, now))
			dirty = 1;
		if (dirty) {
			dirty = 0;
			pass(q, now);
			continue;	/* a signal may have come */
		}
		wait = next_full - now;
		if ((nd = defer_next(q)) != 0 && nd - now < wait)
			wait = nd - now;
		ts.tv_sec = wait > 0 ? wait : 0;
		ts.tv_nsec = 0;
		pfd.fd = ifd;
		pfd.events = POLLIN;
		/* check the flags and wait without a gap for a signal */
		sigprocmask(SIG_BLOCK, &set, &old);
		if (queue_stop || queue_hup) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			continue;
		}
		n = ppoll(&pfd, 1, &ts, &old);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (n < 0 && errno != EINTR) {
			qlog(q, LOG_L_ERROR, "poll: %s", strerror(errno));
			rc = EX_OSERR;
			break;
		}
		if (n > 0 && drain_events(q, ifd, &dirty) < 0) {
			qlog(q, LOG_L_ERROR, "%s: watch ended: %s", q->dir,
			    strerror(errno));
			rc = EX_OSERR;
			break;
		}
	}
	sig_restore(&ss);
	close(ifd);
	return rc;
}

/* --- filter mode -------------------------------------------------------- */

/*
 * One input, no queue: PATH (NULL or "-": standard input) with its
 * optional .sfid. The handler sees item.filter = 1 and writes where the
 * filter writes (standard output, typically). Returns its exit code and
 * copies its reason into why.
 */
int
queue_run_filter(const char *path, const char *sfid, queue_handler_fn *h,
    void *arg, char *why, size_t whysize)
{
	struct queue_item it;
	const char	*slash;
	int		 ex;

	memset(&it, 0, sizeof(it));
	it.filter = 1;
	it.sfid = sfid;
	if (path == NULL || strcmp(path, "-") == 0) {
		it.name = "stdin";
		it.fd = STDIN_FILENO;
	} else {
		it.name = (slash = strrchr(path, '/')) ? slash + 1 : path;
		it.path = path;
		if ((it.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			if (why != NULL && whysize > 0)
				snprintf(why, whysize, "%s: %s", path,
				    strerror(errno));
			return EX_NOINPUT;
		}
	}
	ex = h(&it, arg);
	it.why[sizeof(it.why) - 1] = '\0';
	if (why != NULL && whysize > 0)
		snprintf(why, whysize, "%s", it.why);
	if (it.fd != STDIN_FILENO)
		close(it.fd);
	return ex;
}

/* --- exit classes ------------------------------------------------------- */

/*
 * Permanent: the input is at fault (or our code is, which a retry does
 * not cure); the item goes to failed/. Everything else (EX_TEMPFAIL,
 * EX_IOERR, EX_OSERR, EX_CANTCREAT, EX_NOPERM, EX_NOINPUT for a vanished
 * file, EX_CONFIG, EX_UNAVAILABLE, ...) is retried later.
 */
int
queue_exit_temporary(int ex)
{
	switch (ex) {
	case EX_OK:
	case EX_USAGE:
	case EX_DATAERR:
	case EX_NOUSER:
	case EX_NOHOST:
	case EX_SOFTWARE:
	case EX_PROTOCOL:
		return 0;
	default:
		return 1;
	}
}

const char *
queue_exit_name(int ex)
{
	static const char *const name[] = { "EX_USAGE", "EX_DATAERR",
	    "EX_NOINPUT", "EX_NOUSER", "EX_NOHOST", "EX_UNAVAILABLE",
	    "EX_SOFTWARE", "EX_OSERR", "EX_OSFILE", "EX_CANTCREAT",
	    "EX_IOERR", "EX_TEMPFAIL", "EX_PROTOCOL", "EX_NOPERM",
	    "EX_CONFIG" };

	if (ex == EX_OK)
		return "EX_OK";
	if (ex >= EX__BASE && ex <= EX__MAX)
		return name[ex - EX__BASE];
	return "EX_UNKNOWN";
}
