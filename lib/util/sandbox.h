/*
 * NAME
 *	sandbox - give up what a parsing process does not need: new
 *	privileges, root, and (Landlock) the file system outside its paths
 * SYNOPSIS
 *	#include "util/sandbox.h"
 *
 *	const char *rw[] = { spool, tracedir, NULL };
 *	const char *ro[] = { confdir, "/usr/lib", NULL };
 *	char	 err[SANDBOX_ERR_MAX];
 *	int	 abi;
 *
 *	if ((abi = sandbox_enter(rw, ro, err, sizeof(err))) < 0)
 *		fatal("%s", err);
 *	else if (abi == 0)
 *		info("no Landlock: %s", err);
 *
 *	if (sandbox_drop_root(spool, err, sizeof(err)) < 0)
 *		fatal("%s", err);
 * DESCRIPTION
 *	sandbox_enter() sets PR_SET_NO_NEW_PRIVS (no execve(2) can gain
 *	privileges again: set-user-ID bits and file capabilities no longer
 *	count) and then, where the kernel offers Landlock (landlock(7)) at
 *	ABI 2 or later, restricts the process for good to:
 *	  rw_paths  read and write files, truncate them, list directories,
 *		    create and remove regular files, directories, symbolic
 *		    links, FIFOs and sockets (a rename of one "creates" it:
 *		    a queue item that is one moves to failed/), rename and
 *		    link between directories (within these paths); never
 *		    create a device;
 *	  ro_paths  read files, list directories;
 *	  anything else: none of the rights Landlock knows (read, write,
 *		    execute, create a device, FIFO, socket or symbolic link
 *		    file); ABI 4 and later: no TCP bind or connect; ABI 6 and
 *		    later: no abstract Unix socket and no signal to a process
 *		    outside the sandbox.
 *	A path that names a file gets the rights that apply to a file; a
 *	path that does not exist or that the process may not reach (EACCES)
 *	is skipped. Rules hold the inodes the paths name when the sandbox
 *	is entered (symbolic links resolved).
 *	Not restricted by Landlock: file descriptors opened before, reading
 *	metadata (stat), changing mode, owner or times (chmod, chown,
 *	utimes), connecting to a path-named Unix socket (syslog's /dev/log),
 *	UDP.
 *	Landlock restricts the calling thread and the threads and processes
 *	it starts later: call it before any thread is started.
 *	ABI 1 (Linux 5.13 to 5.18) refuses every rename between directories,
 *	which the spool protocol needs; it counts as not available.
 *
 *	sandbox_drop_root() does nothing unless the process runs as root.
 *	As root it becomes the owner of dir (user ID, that user's group and
 *	supplementary groups from the passwd and group files; the
 *	directory's group when the owner has no passwd entry) if that owner
 *	is not root, and checks that root cannot be regained.
 * DIAGNOSTICS
 *	sandbox_enter() returns the Landlock ABI version in force (2 or
 *	more); 0 when the kernel offers no usable Landlock (err says why:
 *	not built in, disabled, blocked by a seccomp filter, ABI 1), with
 *	no_new_privs set all the same; -1 on failure, the reason and the
 *	path in err.
 *	sandbox_drop_root() returns 1 when it changed the user (err names
 *	it), 0 when it did not (not root, or err says why it stays root),
 *	-1 on failure with the reason in err.
 */
#ifndef OX_SANDBOX_H
#define OX_SANDBOX_H

#include <stddef.h>

#define SANDBOX_ERR_MAX	512

int	 sandbox_enter(const char *const *, const char *const *, char *,
	    size_t);
int	 sandbox_drop_root(const char *, char *, size_t);

#endif
