/*
 * NAME
 *	commit_lost.so - LD_PRELOAD shim: the answer to a COMMIT is lost
 * DESCRIPTION
 *	Built and preloaded by tests/sh/faults.sh (commit_answer_lost, on
 *	PostgreSQL): once a send() carrying "COMMIT" has gone to the server,
 *	every recv() fails with ECONNRESET. The server has the COMMIT and
 *	commits; the client cannot know: the case of a connection lost
 *	between the two. libpq writes with send() and reads with recv().
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/socket.h>

#include <dlfcn.h>
#include <errno.h>
#include <string.h>

static int	 sent_commit;

ssize_t
send(int fd, const void *buf, size_t len, int flags)
{
	static ssize_t (*real)(int, const void *, size_t, int);

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t, int))dlsym(
		    RTLD_NEXT, "send");
	if (memmem(buf, len, "COMMIT", 6) != NULL)
		sent_commit = 1;
	return real(fd, buf, len, flags);
}

ssize_t
recv(int fd, void *buf, size_t len, int flags)
{
	static ssize_t (*real)(int, void *, size_t, int);

	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t, int))dlsym(RTLD_NEXT,
		    "recv");
	if (sent_commit) {
		errno = ECONNRESET;
		return -1;
	}
	return real(fd, buf, len, flags);
}
