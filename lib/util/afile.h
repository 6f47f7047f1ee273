/*
 * NAME
 *	afile - atomic file writing into a spool queue
 * SYNOPSIS
 *	#include "util/afile.h"
 * DESCRIPTION
 *	The commit protocol of every queue (maildir's, Postfix's): a file is
 *	created in Q/tmp/ as NAME.RANDOM (64 random bits in hex, so no two
 *	writers or attempts share a temporary name) with
 *	O_EXCL|O_NOFOLLOW and mode 0640 (less the umask: the OFTP daemon and
 *	the MTA read the output queues as members of the gateway's group,
 *	nobody else), written with every write checked, fsynced, closed with
 *	the close checked, renamed to Q/NAME (replacing an older Q/NAME),
 *	and the directory Q is fsynced. A reader of Q therefore sees a file
 *	complete or not at all. Q itself must not be a symbolic link.
 *	afile_open() takes the queue directory and the final name (a plain
 *	name, no '/'); afile_write() writes; afile_commit() publishes.
 *	afile_put() does all three for data in memory.
 *	afile_commit() is afile_stage() (durable in tmp/: fsync, close; the
 *	temporary name, a->tmpname, stays valid) followed by
 *	afile_publish() (the rename, the commit point, and the sync of Q).
 *	Between the two a caller records the staged file (gw/outbox.h): the
 *	rename is then the only way the file leaves tmp/, so whether it
 *	left can be told afterwards from whether tmp/NAME.RANDOM is there.
 *	afile_stage_later() is afile_stage() for a group commit: the
 *	writeback is started (sync_file_range(2)) and the file closed, not
 *	synced; the caller makes it durable (gw/outbox.h: one syncfs(2)
 *	for the files of a group) before it records it.
 *	On any failure, or afile_abort(), the temporary file is unlinked.
 *
 *	afile_anon() opens a temporary file in dir (NULL: $TMPDIR, else
 *	/tmp) that is gone when closed (O_TMPFILE; where the file system
 *	lacks it, a mkostemp(3) name unlinked at once), for data that never
 *	becomes a queue file (a MIME entity, a payload before its security
 *	layers). write_all() writes all n bytes (again after EINTR and
 *	short writes); pread_all() reads n bytes at an offset the same way
 *	(EIO when the file ends before).
 *
 *	afile_replace() writes data into the file path outside any queue
 *	(a program's output file, e.g. x4002oftp --sfid-out): into
 *	path.tmp.PID beside it, fsynced, renamed over path, so a reader sees
 *	it whole; a path that exists and is no regular file (/dev/fd/3, a
 *	FIFO) is written directly.
 * DIAGNOSTICS
 *	Functions return 0 on success and -1 with errno set on failure;
 *	afile_anon() returns the file descriptor, or -1 with errno set.
 *	afile_replace() leaves no temporary file behind on failure.
 *	After a failure of afile_write() or afile_commit() the afile is
 *	closed and its temporary file removed; afile_abort() is harmless.
 */
#ifndef OX_AFILE_H
#define OX_AFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

struct afile {
	int	 fd;			/* -1 when closed */
	int	 dirfd;			/* the queue directory Q */
	char	 tmpname[NAME_MAX + 1];	/* relative to Q: tmp/NAME.RANDOM */
	char	 name[NAME_MAX + 1];	/* final name in Q */
	uint64_t written;
};

int	afile_open(struct afile *, const char *, const char *);
int	afile_write(struct afile *, const void *, size_t);
int	afile_stage(struct afile *);
int	afile_stage_later(struct afile *);
int	afile_publish(struct afile *);
int	afile_commit(struct afile *);
void	afile_abort(struct afile *);
int	afile_put(const char *, const char *, const void *, size_t);
int	afile_anon(const char *);
int	afile_replace(const char *, const void *, size_t);
int	write_all(int, const void *, size_t);
int	pread_all(int, void *, size_t, off_t);
int	fsync_dir(const char *);

#endif
