/*
 * NAME
 *	afile - atomic file writing into a spool queue (see afile.h)
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/afile.h"

/* Written to fd, closed; errno of the first failure kept. */
static int
put_close(int fd, const void *p, size_t n, int sync)
{
	int	 e;

	if (write_all(fd, p, n) < 0 || (sync && fsync(fd) < 0)) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

int
afile_replace(const char *path, const void *p, size_t n)
{
	struct stat	 st;
	char		 tmp[PATH_MAX];
	int		 fd, e;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
			return -1;
		return put_close(fd, p, n, 0);
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) < 0)
		return -1;
	if (put_close(fd, p, n, 1) < 0 || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int
write_all(int fd, const void *p, size_t n)
{
	const uint8_t	*q = p;
	ssize_t		 w;

	while (n > 0) {
		w = write(fd, q, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		q += w;
		n -= (size_t)w;
	}
	return 0;
}

int
pread_all(int fd, void *p, size_t n, off_t off)
{
	uint8_t	*q = p;
	ssize_t	 r;

	while (n > 0) {
		r = pread(fd, q, n, off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0) {
			errno = EIO;		/* the file is shorter */
			return -1;
		}
		q += r;
		n -= (size_t)r;
		off += r;
	}
	return 0;
}

/* A temporary file gone when closed (afile.h). */
int
afile_anon(const char *dir)
{
	char	 path[PATH_MAX];
	int	 fd, n, e;

	if (dir == NULL && ((dir = getenv("TMPDIR")) == NULL || *dir == '\0'))
		dir = "/tmp";
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return fd;
	n = snprintf(path, sizeof(path), "%s/.oxtmp.XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkostemp(path, O_CLOEXEC)) < 0)
		return -1;
	if (unlink(path) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int
fsync_dir(const char *dir)
{
	int	 fd, rc, saved;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static void
afile_cleanup(struct afile *a)
{
	int	 saved = errno;

	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	if (a->tmpname[0] != '\0')
		unlinkat(a->dirfd, a->tmpname, 0);
	a->tmpname[0] = '\0';
	if (a->dirfd >= 0)
		close(a->dirfd);
	a->dirfd = -1;
	errno = saved;
}

/* tmp/NAME.RANDOM: no two writers (or attempts) share a temporary name. */
static int
afile_tmpname(struct afile *a, const char *name)
{
	static unsigned	 seq;
	uint64_t	 r;
	int		 n;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = ((uint64_t)getpid() << 32) ^ (uint64_t)time(NULL) ^
		    ((uint64_t)seq << 48);
	seq++;
	n = snprintf(a->tmpname, sizeof(a->tmpname), "tmp/%.200s.%016llx",
	    name, (unsigned long long)r);
	if (n < 0 || (size_t)n >= sizeof(a->tmpname)) {
		a->tmpname[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
afile_open(struct afile *a, const char *qdir, const char *name)
{
	int	 i;

	memset(a, 0, sizeof(*a));
	a->fd = a->dirfd = -1;
	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL ||
	    strlen(name) >= sizeof(a->name)) {
		errno = EINVAL;
		return -1;
	}
	strcpy(a->name, name);
	if ((a->dirfd = open(qdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return -1;
	for (i = 0; i < 4; i++) {
		if (afile_tmpname(a, name) < 0) {
			afile_cleanup(a);
			return -1;
		}
		a->fd = openat(a->dirfd, a->tmpname,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
		if (a->fd >= 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	a->tmpname[0] = '\0';
	afile_cleanup(a);
	return -1;
}

int
afile_write(struct afile *a, const void *p, size_t n)
{
	if (a->fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (write_all(a->fd, p, n) < 0) {
		afile_cleanup(a);
		return -1;
	}
	a->written += n;
	return 0;
}

/*
 * Closed in tmp/, the temporary name kept: durable (sync: fsync), or for
 * a group commit only written out (the writeback started, so that the
 * group's one sync has less left to do; the caller syncs it later).
 */
static int
stage(struct afile *a, int sync)
{
	int	 fd = a->fd;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (sync && fsync(fd) < 0)
		goto fail;
	if (!sync)
		(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	a->fd = -1;
	if (close(fd) < 0)
		goto fail;
	return 0;
fail:
	afile_cleanup(a);
	return -1;
}

int
afile_stage(struct afile *a)
{
	return stage(a, 1);
}

int
afile_stage_later(struct afile *a)
{
	return stage(a, 0);
}

/* The commit point: rename into Q, then sync Q. */
int
afile_publish(struct afile *a)
{
	if (a->fd >= 0 || a->tmpname[0] == '\0') {
		errno = EBADF;
		return -1;
	}
	if (renameat(a->dirfd, a->tmpname, a->dirfd, a->name) < 0)
		goto fail;
	a->tmpname[0] = '\0';
	if (fsync(a->dirfd) < 0)
		goto fail;
	close(a->dirfd);
	a->dirfd = -1;
	return 0;
fail:
	afile_cleanup(a);
	return -1;
}

int
afile_commit(struct afile *a)
{
	if (afile_stage(a) < 0)
		return -1;
	return afile_publish(a);
}

void
afile_abort(struct afile *a)
{
	afile_cleanup(a);
}

int
afile_put(const char *qdir, const char *name, const void *p, size_t n)
{
	struct afile	 a;

	if (afile_open(&a, qdir, name) < 0)
		return -1;
	if (afile_write(&a, p, n) < 0)
		return -1;
	return afile_commit(&a);
}
