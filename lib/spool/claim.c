/*
 * NAME
 *	claim - take, done, back across processes (see claim.h)
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool/claim.h"
#include "spool/queue.h"
#include "util/err.h"

#define CLAIM_FILE	".claim"

/* The marker of item name: NAME.sfid of a pair, NAME of a plain item. */
static void
marker(int flags, const char *name, char *dst, size_t size)
{
	snprintf(dst, size, "%s%s", name, flags & QUEUE_PAIRS ? ".sfid" : "");
}

static int
fail(char *err, size_t errlen, const char *what, const char *name)
{
	int	 e = errno;

	errf(err, errlen, -1, "%s %.200s: %s", what, name, strerror(e));
	errno = e;
	return -1;
}

/* .claim of the claim directory cfd: the item's name and its end. */
static int
read_claim(int cfd, struct claim *c)
{
	char	 buf[NAME_MAX + 32], *nl;
	ssize_t	 n;
	int	 fd;

	if ((fd = openat(cfd, CLAIM_FILE, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || (buf[n] = '\0', (nl = strchr(buf, '\n')) == NULL) ||
	    (size_t)(nl - buf) > NAME_MAX || nl == buf) {
		errno = EINVAL;
		return -1;
	}
	snprintf(c->name, sizeof(c->name), "%.*s", (int)(nl - buf), buf);
	c->until = (time_t)strtoll(nl + 1, NULL, 10);
	return 0;
}

/* Remove what is left in a claim directory, then the directory. */
static void
drop(int dfd, const char *token, int cfd, const struct claim *c, int flags)
{
	char	 m[NAME_MAX + 8];

	if (c != NULL && c->name[0] != '\0') {
		marker(flags, c->name, m, sizeof(m));
		unlinkat(cfd, m, 0);
		unlinkat(cfd, c->name, 0);
	}
	unlinkat(cfd, CLAIM_FILE, 0);
	unlinkat(cfd, CLAIM_FILE ".tmp", 0);
	unlinkat(dfd, token, AT_REMOVEDIR);
}

/*
 * One claim directory at recovery: given back when its time is over and
 * it holds the marker; removed when it holds no marker (a claim that
 * never got it, or a done that stopped half-way: the item was sent).
 */
static void
recover_one(int qfd, int dfd, const char *token, time_t now, int flags)
{
	struct claim	 c;
	char		 m[NAME_MAX + 8];
	int		 cfd;

	if ((cfd = openat(dfd, token, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return;
	memset(&c, 0, sizeof(c));
	if (read_claim(cfd, &c) < 0)
		drop(dfd, token, cfd, NULL, flags);
	else if (marker(flags, c.name, m, sizeof(m)),
	    faccessat(cfd, m, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		drop(dfd, token, cfd, &c, flags);
	else if (c.until <= now && queue_move_item(cfd, qfd, c.name, flags |
	    QUEUE_MOVE_SYNC) >= 0)
		drop(dfd, token, cfd, &c, flags);
	close(cfd);
}

static void
recover(int qfd, int dfd, time_t now, int flags)
{
	struct dirent	*de;
	DIR		*d;
	int		 fd;

	if ((fd = dup(dfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			recover_one(qfd, dfd, de->d_name, now, flags);
	closedir(d);
}

/* A new claim directory holding .claim for name; its fd, or -1. */
static int
new_claim(int dfd, const char *name, time_t until, struct claim *c)
{
	unsigned char	 r[16];
	char		 text[NAME_MAX + 32];
	size_t		 i;
	int		 cfd, fd, n;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return -1;
	for (i = 0; i < sizeof(r); i++)
		snprintf(c->token + 2 * i, 3, "%02x", r[i]);
	if (mkdirat(dfd, c->token, 0770) < 0 || (cfd = openat(dfd, c->token,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	n = snprintf(text, sizeof(text), "%s\n%lld\n", name, (long long)until);
	if ((fd = openat(cfd, CLAIM_FILE ".tmp", O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC, 0640)) < 0 || write(fd, text, (size_t)n) != n ||
	    fsync(fd) < 0 || close(fd) < 0 ||
	    renameat(cfd, CLAIM_FILE ".tmp", cfd, CLAIM_FILE) < 0) {
		drop(dfd, c->token, cfd, NULL, 0);
		close(cfd);
		return -1;
	}
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->until = until;
	return cfd;
}

/* Claim name: 1 won, 0 another was first, -1 error. */
static int
claim_one(int qfd, int dfd, const char *name, int flags, time_t until,
    struct claim *c)
{
	char	 m[NAME_MAX + 8];
	int	 cfd;

	if ((cfd = new_claim(dfd, name, until, c)) < 0)
		return -1;
	marker(flags, name, m, sizeof(m));
	if (renameat(qfd, m, cfd, m) < 0) {
		drop(dfd, c->token, cfd, NULL, flags);
		close(cfd);
		return errno == ENOENT ? 0 : -1;
	}
	if ((flags & QUEUE_PAIRS) && renameat(qfd, name, cfd, name) < 0) {
		/* a lone marker: not ours to send; back into Q */
		renameat(cfd, m, qfd, m);
		drop(dfd, c->token, cfd, NULL, flags);
		close(cfd);
		return 0;
	}
	close(cfd);
	return 1;
}

/* Q/.claims, made when missing. */
static int
claims_dir(int qfd)
{
	if (mkdirat(qfd, CLAIM_DIR, 0770) < 0 && errno != EEXIST)
		return -1;
	return openat(qfd, CLAIM_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
}

/* An item of Q that may be taken now: not held back, the filter says. */
static int
eligible(int qfd, const char *qdir, const char *name, int flags, time_t now,
    claim_filter_fn *filter, void *arg)
{
	struct stat	 st;
	char		 m[NAME_MAX + 8], path[PATH_MAX];

	marker(flags, name, m, sizeof(m));
	if (fstatat(qfd, m, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(st.st_mode) || st.st_mtime > now)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", qdir, m);
	return filter == NULL || filter(name, path, arg);
}

int
claim_take(const char *qdir, int flags, time_t now, unsigned timeout,
    claim_filter_fn *filter, void *arg, struct claim *c, char *err,
    size_t errlen)
{
	char	**names = NULL;
	size_t	 n = 0, i;
	int	 qfd, dfd = -1, r = 0;

	memset(c, 0, sizeof(*c));
	if ((qfd = open(qdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0 || (dfd = claims_dir(qfd)) < 0) {
		r = fail(err, errlen, "queue", qdir);
		goto out;
	}
	recover(qfd, dfd, now, flags);
	if (queue_scan_dir(qfd, flags, 60, &names, &n) < 0) {
		r = fail(err, errlen, "scan", qdir);
		goto out;
	}
	for (i = 0; i < n && r == 0; i++)
		if (eligible(qfd, qdir, names[i], flags, now, filter, arg) &&
		    (r = claim_one(qfd, dfd, names[i], flags, now +
		    (time_t)timeout, c)) < 0)
			r = fail(err, errlen, "claim", names[i]);
	if (r == 1 && (fsync(dfd) < 0 || fsync(qfd) < 0))
		r = fail(err, errlen, "sync", qdir);
	if (r == 1)
		snprintf(c->path, sizeof(c->path), "%s/%s/%s/%s", qdir,
		    CLAIM_DIR, c->token, c->name);
	queue_names_free(names, n);
out:
	if (dfd >= 0)
		close(dfd);
	if (qfd >= 0)
		close(qfd);
	return r;
}

/* The claim directory of token, its .claim read: cfd, or -1 (ENOENT). */
static int
open_claim(const char *qdir, const char *token, int *qfd, int *dfd,
    struct claim *c)
{
	int	 cfd;

	memset(c, 0, sizeof(*c));
	*dfd = -1;
	if (strlen(token) != CLAIM_TOKEN_SZ - 1 || strspn(token,
	    "0123456789abcdef") != CLAIM_TOKEN_SZ - 1) {
		errno = ENOENT;
		return -1;
	}
	if ((*qfd = open(qdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (*dfd = openat(*qfd, CLAIM_DIR, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0 || (cfd = openat(*dfd, token, O_RDONLY |
	    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	if (read_claim(cfd, c) < 0) {
		close(cfd);
		errno = ENOENT;
		return -1;
	}
	snprintf(c->token, sizeof(c->token), "%s", token);
	return cfd;
}

static void
close3(int a, int b, int c)
{
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
	if (c >= 0)
		close(c);
}

int
claim_done(const char *qdir, int flags, const char *token, struct claim *c,
    char *err, size_t errlen)
{
	char	 m[NAME_MAX + 8];
	int	 qfd = -1, dfd, cfd, r = 0;

	if ((cfd = open_claim(qdir, token, &qfd, &dfd, c)) < 0)
		return fail(err, errlen, "claim", token);
	marker(flags, c->name, m, sizeof(m));
	if (unlinkat(cfd, m, 0) < 0)	/* the marker: the item is gone */
		r = fail(err, errlen, "claim", token);
	else {
		drop(dfd, token, cfd, c, flags);
		if (fsync(dfd) < 0)
			r = fail(err, errlen, "sync", qdir);
	}
	close3(cfd, dfd, qfd);
	return r;
}

int
claim_back(const char *qdir, int flags, const char *token, time_t not_before,
    struct claim *c, char *err, size_t errlen)
{
	struct timespec	 ts[2];
	char		 m[NAME_MAX + 8];
	int		 qfd = -1, dfd, cfd, r = 0;

	if ((cfd = open_claim(qdir, token, &qfd, &dfd, c)) < 0)
		return fail(err, errlen, "claim", token);
	marker(flags, c->name, m, sizeof(m));
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = not_before;
	ts[1].tv_nsec = not_before != 0 ? 0 : UTIME_NOW;
	if (utimensat(cfd, m, ts, AT_SYMLINK_NOFOLLOW) < 0 ||
	    queue_move_item(cfd, qfd, c->name, flags | QUEUE_MOVE_SYNC) != 1)
		r = fail(err, errlen, "give back", c->name);
	else
		drop(dfd, token, cfd, c, flags);
	close3(cfd, dfd, qfd);
	return r;
}

int
claim_get(const char *qdir, const char *token, struct claim *c, char *err,
    size_t errlen)
{
	int	 qfd = -1, dfd, cfd;

	if ((cfd = open_claim(qdir, token, &qfd, &dfd, c)) < 0) {
		close3(-1, dfd, qfd);
		return fail(err, errlen, "claim", token);
	}
	snprintf(c->path, sizeof(c->path), "%s/%s/%s/%s", qdir, CLAIM_DIR,
	    token, c->name);
	close3(cfd, dfd, qfd);
	return 0;
}

int
claim_move(const char *qdir, int flags, const char *token, const char *to,
    struct claim *c, char *err, size_t errlen)
{
	int	 qfd = -1, dfd, cfd, tfd, r = 0;

	if ((cfd = open_claim(qdir, token, &qfd, &dfd, c)) < 0) {
		close3(-1, dfd, qfd);
		return fail(err, errlen, "claim", token);
	}
	if ((tfd = open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		r = fail(err, errlen, "queue", to);
	else if (queue_move_item(cfd, tfd, c->name, flags | QUEUE_MOVE_SYNC) !=
	    1)
		r = fail(err, errlen, "move", c->name);
	else
		drop(dfd, token, cfd, c, flags);
	if (tfd >= 0)
		close(tfd);
	close3(cfd, dfd, qfd);
	return r;
}
