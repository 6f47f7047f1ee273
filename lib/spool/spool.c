/*
 * NAME
 *	spool - the queue directories of an oxgate spool root (see spool.h)
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spool/spool.h"
#include "util/err.h"

static const char *const spool_names[SPOOL_NQUEUES] = {
	[SPOOL_OFTP_IN] = "oftp/in",
	[SPOOL_OFTP_OUT] = "oftp/out",
	[SPOOL_OFTP_EERP_IN] = "oftp/eerp.in",
	[SPOOL_OFTP_EERP_OUT] = "oftp/eerp.out",
	[SPOOL_X400_IN] = "x400/in",
	[SPOOL_X400_OUT] = "x400/out",
	[SPOOL_X400_REPORTS] = "x400/reports",
	[SPOOL_FAILED] = "failed",
	[SPOOL_OVERFLOW] = "overflow",
	[SPOOL_ARCHIVE] = "archive",
};

const char *
spool_queue_name(enum spool_queue q)
{
	return (unsigned)q < SPOOL_NQUEUES ? spool_names[q] : NULL;
}

int
spool_path(char *dst, size_t size, const char *root, enum spool_queue q)
{
	int	 n;

	if ((unsigned)q >= SPOOL_NQUEUES)
		return -1;
	n = snprintf(dst, size, "%s/%s", root, spool_names[q]);
	return n >= 0 && (size_t)n < size ? 0 : -1;
}

/*
 * Make a directory, or accept one that is there. Below the root a
 * symbolic link is refused (ELOOP), even to a directory: the queues
 * must be on one file system (rename(2) is the commit) and a reader
 * that followed a link would read outside the spool.
 */
static int
mkdir_one(const char *path, int follow, char *err, size_t errlen)
{
	struct stat st;
	int	 e;

	if (mkdir(path, 0700) == 0)
		return 0;
	if ((e = errno) == EEXIST && (follow ? stat(path, &st) :
	    lstat(path, &st)) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		e = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
	}
	errf(err, errlen, -1, "%s: %s", path, e == ELOOP ? "is a symbolic "
	    "link (the spool's directories must be real directories)" :
	    e == ENOTDIR ? "exists and is not a directory" : strerror(e));
	errno = e;
	return -1;
}

/* Make root, every queue and its tmp/; idempotent. */
int
spool_create(const char *root, char *err, size_t errlen)
{
	static const char *const parents[] = { "oftp", "x400" };
	char	 p[SPOOL_PATH_MAX + 8];
	size_t	 i;
	int	 n;

	if (mkdir_one(root, 1, err, errlen) < 0)
		return -1;
	for (i = 0; i < sizeof(parents) / sizeof(parents[0]); i++) {
		n = snprintf(p, sizeof(p), "%s/%s", root, parents[i]);
		if (n < 0 || (size_t)n >= sizeof(p)) {
			errno = ENAMETOOLONG;
			return errf(err, errlen, -1, "%s: path too long", root);
		}
		if (mkdir_one(p, 0, err, errlen) < 0)
			return -1;
	}
	for (i = 0; i < SPOOL_NQUEUES; i++) {
		if (spool_path(p, SPOOL_PATH_MAX, root, (enum spool_queue)i) <
		    0) {
			errno = ENAMETOOLONG;
			return errf(err, errlen, -1, "%s: path too long", root);
		}
		if (mkdir_one(p, 0, err, errlen) < 0)
			return -1;
		strcat(p, "/tmp");
		if (mkdir_one(p, 0, err, errlen) < 0)
			return -1;
	}
	return 0;
}
