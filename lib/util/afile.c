/*
 * NAME
 *	afile - atomic file writing into a spool queue (see afile.h)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/afile.h"

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

int
afile_open(struct afile *a, const char *qdir, const char *name)
{
	static unsigned	 seq;
	int		 n;

	memset(a, 0, sizeof(*a));
	a->fd = a->dirfd = -1;
	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL ||
	    strlen(name) >= sizeof(a->name)) {
		errno = EINVAL;
		return -1;
	}
	strcpy(a->name, name);
	if ((a->dirfd = open(qdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	n = snprintf(a->tmpname, sizeof(a->tmpname), "tmp/%.200s.%ld.%u",
	    name, (long)getpid(), seq++);
	if (n < 0 || (size_t)n >= sizeof(a->tmpname)) {
		a->tmpname[0] = '\0';
		errno = ENAMETOOLONG;
		afile_cleanup(a);
		return -1;
	}
	a->fd = openat(a->dirfd, a->tmpname,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (a->fd < 0) {
		a->tmpname[0] = '\0';
		afile_cleanup(a);
		return -1;
	}
	return 0;
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

int
afile_commit(struct afile *a)
{
	int	 fd = a->fd;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (fsync(fd) < 0)
		goto fail;
	a->fd = -1;
	if (close(fd) < 0)
		goto fail;
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
