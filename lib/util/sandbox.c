/*
 * NAME
 *	sandbox - no new privileges, no root, Landlock (see sandbox.h)
 * DESCRIPTION
 *	Landlock through its three system calls, as landlock(7) shows:
 *	ask the ABI version, create a ruleset that handles every right the
 *	ABI knows, add one path-beneath rule per allowed path, restrict
 *	the process. Debian 12's <linux/landlock.h> knows ABI 2; the few
 *	constants of later ABIs are defined here, and the ruleset
 *	attribute is our own struct of the ABI 6 layout, passed with the
 *	size the running kernel's ABI knows (the kernel takes any size up
 *	to its own). ABI 5's ioctl right is left unhandled: the programs
 *	open no device to control it.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <linux/landlock.h>

#include "util/err.h"
#include "util/sandbox.h"

#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE		(1ULL << 14)	/* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP		(1ULL << 0)	/* ABI 4 */
#define LANDLOCK_ACCESS_NET_CONNECT_TCP		(1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)	/* ABI 6 */
#define LANDLOCK_SCOPE_SIGNAL			(1ULL << 1)
#endif

/* struct landlock_ruleset_attr as of ABI 6 */
struct ruleset_attr {
	uint64_t handled_access_fs;	/* ABI 1 */
	uint64_t handled_access_net;	/* ABI 4 */
	uint64_t scoped;		/* ABI 6 */
};

/* ABI 1: the thirteen rights from EXECUTE to MAKE_SYM */
#define FS_ABI1		((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1)
#define FS_READ		(LANDLOCK_ACCESS_FS_READ_FILE | \
			 LANDLOCK_ACCESS_FS_READ_DIR)
/*
 * MAKE_SYM, MAKE_FIFO and MAKE_SOCK: a rename(2) of such a file "makes"
 * it in the target directory, and a queue item that is one must move to
 * failed/. Never MAKE_CHAR or MAKE_BLOCK: a device node in a writable
 * path would open what the read-only rules close.
 */
#define FS_WRITE	(LANDLOCK_ACCESS_FS_WRITE_FILE | \
			 LANDLOCK_ACCESS_FS_TRUNCATE | \
			 LANDLOCK_ACCESS_FS_MAKE_REG | \
			 LANDLOCK_ACCESS_FS_MAKE_DIR | \
			 LANDLOCK_ACCESS_FS_MAKE_SYM | \
			 LANDLOCK_ACCESS_FS_MAKE_FIFO | \
			 LANDLOCK_ACCESS_FS_MAKE_SOCK | \
			 LANDLOCK_ACCESS_FS_REMOVE_FILE | \
			 LANDLOCK_ACCESS_FS_REMOVE_DIR | \
			 LANDLOCK_ACCESS_FS_REFER)
/* the rights that apply to a file (not a directory) */
#define FS_FILE		(LANDLOCK_ACCESS_FS_EXECUTE | \
			 LANDLOCK_ACCESS_FS_READ_FILE | \
			 LANDLOCK_ACCESS_FS_WRITE_FILE | \
			 LANDLOCK_ACCESS_FS_TRUNCATE)

static const char *
unavailable(int e)
{
	switch (e) {
	case ENOSYS:
		return "not in this kernel";
	case EOPNOTSUPP:
		return "disabled in this kernel (not in its lsm= list)";
	case EPERM:
	case EACCES:
		return "blocked by a system call filter (a container's or "
		    "systemd's SystemCallFilter=)";
	}
	return strerror(e);
}

/*
 * One path-beneath rule per path. A path that does not exist, or that
 * the process may not reach anyway, needs none.
 */
static int
add_rules(int rfd, const char *const *paths, uint64_t access,
    uint64_t handled, char *err, size_t errlen)
{
	struct landlock_path_beneath_attr pb;
	struct stat	 st;
	size_t		 i;
	int		 fd, e;

	for (i = 0; paths != NULL && paths[i] != NULL; i++) {
		if (paths[i][0] == '\0')
			continue;
		if ((fd = open(paths[i], O_PATH | O_CLOEXEC)) < 0) {
			if (errno == ENOENT || errno == ENOTDIR ||
			    errno == EACCES)
				continue;
			return errf(err, errlen, -1, "sandbox: %.400s: %s",
			    paths[i], strerror(errno));
		}
		memset(&pb, 0, sizeof(pb));
		pb.parent_fd = fd;
		pb.allowed_access = access & handled;
		if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
			pb.allowed_access &= FS_FILE;
		if (syscall(SYS_landlock_add_rule, rfd,
		    LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0) {
			e = errno;
			close(fd);
			return errf(err, errlen, -1, "sandbox: Landlock rule "
			    "for %.400s: %s", paths[i], strerror(e));
		}
		close(fd);
	}
	return 0;
}

int
sandbox_enter(const char *const *rw_paths, const char *const *ro_paths,
    char *err, size_t errlen)
{
	struct ruleset_attr ra;
	size_t	 size;
	long	 abi;
	int	 rfd, e;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return errf(err, errlen, -1, "sandbox: "
		    "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0)
		return errf(err, errlen, 0, "Landlock %s",
		    unavailable(errno));
	if (abi < 2)
		return errf(err, errlen, 0, "Landlock ABI 1 refuses renames "
		    "between directories, which the spool needs");

	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = FS_ABI1 | LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		ra.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	size = sizeof(ra.handled_access_fs);
	if (abi >= 4) {
		ra.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP |
		    LANDLOCK_ACCESS_NET_CONNECT_TCP;
		size += sizeof(ra.handled_access_net);
	}
	if (abi >= 6) {
		ra.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
		    LANDLOCK_SCOPE_SIGNAL;
		size += sizeof(ra.scoped);
	}
	if ((rfd = (int)syscall(SYS_landlock_create_ruleset, &ra, size, 0)) <
	    0)
		return errf(err, errlen, -1, "sandbox: Landlock ABI %ld "
		    "ruleset: %s", abi, strerror(errno));
	if (add_rules(rfd, rw_paths, FS_READ | FS_WRITE, ra.handled_access_fs,
	    err, errlen) < 0 || add_rules(rfd, ro_paths, FS_READ,
	    ra.handled_access_fs, err, errlen) < 0) {
		close(rfd);
		return -1;
	}
	if (syscall(SYS_landlock_restrict_self, rfd, 0) < 0) {
		e = errno;
		close(rfd);
		return errf(err, errlen, -1, "sandbox: Landlock: %s",
		    strerror(e));
	}
	close(rfd);
	return (int)abi;
}

int
sandbox_drop_root(const char *dir, char *err, size_t errlen)
{
	struct stat	 st;
	struct passwd	*pw;
	uid_t		 uid;
	gid_t		 gid;

	if (geteuid() != 0)
		return errf(err, errlen, 0, "not root");
	if (stat(dir, &st) < 0)
		return errf(err, errlen, 0, "%.400s: %s", dir,
		    strerror(errno));
	if (st.st_uid == 0)
		return errf(err, errlen, 0, "%.400s belongs to root", dir);
	uid = st.st_uid;
	if ((pw = getpwuid(uid)) != NULL) {
		gid = pw->pw_gid;
		if (initgroups(pw->pw_name, gid) < 0)
			return errf(err, errlen, -1, "initgroups %s: %s",
			    pw->pw_name, strerror(errno));
	} else {
		gid = st.st_gid;
		if (setgroups(1, &gid) < 0)
			return errf(err, errlen, -1, "setgroups: %s",
			    strerror(errno));
	}
	if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return errf(err, errlen, -1, "cannot become uid %u gid %u: %s",
		    (unsigned)uid, (unsigned)gid, strerror(errno));
	if (setuid(0) == 0 || geteuid() == 0)
		return errf(err, errlen, -1, "uid %u: root could be regained",
		    (unsigned)uid);
	return errf(err, errlen, 1, "uid %u (%s), gid %u, the owner of %.400s",
	    (unsigned)uid, pw != NULL ? pw->pw_name : "no passwd entry",
	    (unsigned)gid, dir);
}
