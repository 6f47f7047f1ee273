/*
 * NAME
 *	sbprobe - try what the converters' sandbox lets a process do
 * SYNOPSIS
 *	sbprobe -c CONF [-i INPUT] [-o OUTPUT] [-l SOCKET] OP ARG ...
 *	sbprobe -n enosys|eperm PROGRAM [ARG ...]
 * DESCRIPTION
 *	Test tool. The first form opens the gateway of CONF as a converter
 *	does (gw_open: configuration, partners, spool, trace), listens on
 *	the path-named Unix socket SOCKET if -l is given, enters the same
 *	sandbox (gw_sandbox, with INPUT and OUTPUT as a filter-mode
 *	converter's input and output file), then tries each OP ARG pair in
 *	order and prints one line each: "OP ARG ok" or "OP ARG ERRNO" (the
 *	errno name, e.g. EACCES). The first line is "sandbox ABI" (0: no
 *	Landlock). OPs:
 *	  read FILE	open read-only and read
 *	  write FILE	open with O_CREAT|O_TRUNC and write
 *	  mkdir DIR	mkdir(2)
 *	  ls DIR	open the directory and read an entry
 *	  mv FROM:TO	rename(2)
 *	  exec FILE	fork, execve FILE in the child, report its errno
 *	  tcp PORT	connect to 127.0.0.1:PORT (ECONNREFUSED: not blocked)
 *	  unix PATH	connect to a path-named Unix socket (syslog's way)
 *	  signal PID	kill(PID, 0)
 *	The second form makes landlock_create_ruleset(2) fail with ENOSYS
 *	(a kernel without Landlock) or EPERM (a system call filter, like
 *	systemd's) through a one-rule seccomp filter, then executes
 *	PROGRAM: the converters' fallback can be tested on any kernel.
 * EXIT STATUS
 *	0 when every OP ran (whatever its result), 64 usage, 78 CONF.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "gw/gw.h"
#include "util/log.h"

static void
usage(void)
{
	fprintf(stderr, "usage: sbprobe -c CONF [-i INPUT] [-o OUTPUT] "
	    "[-l SOCKET] OP ARG ...\n"
	    "       sbprobe -n enosys|eperm PROGRAM [ARG ...]\n");
	exit(EX_USAGE);
}

/* landlock_create_ruleset(2) fails with e; every other call is allowed. */
static void
no_landlock(int e)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    SYS_landlock_create_ruleset, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)e),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("sbprobe: seccomp");
		exit(EX_OSERR);
	}
}

static int
unix_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

/* Try one operation; 0 or an errno value. */
static int
try(const char *op, const char *arg)
{
	struct sockaddr_un su;
	struct sockaddr_in si;
	char	 b[16], *to;
	DIR	*dir;
	pid_t	 pid;
	int	 fd, st, r = 0;

	errno = 0;
	if (strcmp(op, "read") == 0) {
		if ((fd = open(arg, O_RDONLY | O_CLOEXEC)) < 0 ||
		    read(fd, b, sizeof(b)) < 0)
			r = errno;
		if (fd >= 0)
			close(fd);
	} else if (strcmp(op, "write") == 0) {
		if ((fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600)) < 0 || write(fd, "probe\n", 6) != 6)
			r = errno;
		if (fd >= 0)
			close(fd);
	} else if (strcmp(op, "mkdir") == 0) {
		if (mkdir(arg, 0700) < 0)
			r = errno;
	} else if (strcmp(op, "ls") == 0) {
		if ((dir = opendir(arg)) == NULL || readdir(dir) == NULL)
			r = errno;
		if (dir != NULL)
			closedir(dir);
	} else if (strcmp(op, "mv") == 0) {
		if ((to = strchr(arg, ':')) == NULL)
			usage();
		*to++ = '\0';
		if (rename(arg, to) < 0)
			r = errno;
		to[-1] = ':';
	} else if (strcmp(op, "exec") == 0) {
		if ((pid = fork()) == 0) {
			char *const av[] = { (char *)arg, NULL };

			execv(arg, av);
			_exit(errno & 0x7f);
		}
		if (pid < 0 || waitpid(pid, &st, 0) < 0)
			r = errno;
		else
			r = WIFEXITED(st) ? WEXITSTATUS(st) : EINTR;
	} else if (strcmp(op, "tcp") == 0) {
		memset(&si, 0, sizeof(si));
		si.sin_family = AF_INET;
		si.sin_port = htons((uint16_t)atoi(arg));
		si.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
		    connect(fd, (struct sockaddr *)&si, sizeof(si)) < 0)
			r = errno;
		if (fd >= 0)
			close(fd);
	} else if (strcmp(op, "unix") == 0) {
		if (unix_addr(arg, &su) < 0 || (fd = socket(AF_UNIX,
		    SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return errno;
		if (connect(fd, (struct sockaddr *)&su, sizeof(su)) < 0)
			r = errno;
		close(fd);
	} else if (strcmp(op, "signal") == 0) {
		if (kill((pid_t)atol(arg), 0) < 0)
			r = errno;
	} else
		usage();
	return r;
}

int
main(int argc, char **argv)
{
	struct gw g;
	struct sockaddr_un su;
	const char *conf = NULL, *in[2] = { NULL, NULL }, *out[2] = { NULL,
	    NULL }, *sock = NULL;
	char	 err[CONFIG_ERR_MAX];
	int	 ch, abi, r, lfd = -1;

	log_open("sbprobe", 0, 0);
	while ((ch = getopt(argc, argv, "+c:i:o:l:n:")) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'i':
			in[0] = optarg;
			break;
		case 'o':
			out[0] = optarg;
			break;
		case 'l':
			sock = optarg;
			break;
		case 'n':
			if (optind >= argc)
				usage();
			no_landlock(strcmp(optarg, "eperm") == 0 ? EPERM :
			    ENOSYS);
			execv(argv[optind], argv + optind);
			perror(argv[optind]);
			return EX_OSERR;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (conf == NULL || argc % 2 != 0)
		usage();
	if (gw_open(&g, conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "sbprobe: %s\n", err);
		return EX_CONFIG;
	}
	if (sock != NULL) {
		unlink(sock);
		if (unix_addr(sock, &su) < 0 || (lfd = socket(AF_UNIX,
		    SOCK_STREAM, 0)) < 0 || bind(lfd, (struct sockaddr *)&su,
		    sizeof(su)) < 0 || listen(lfd, 8) < 0) {
			perror(sock);
			return EX_OSERR;
		}
	}
	abi = gw_sandbox(&g, in, out);
	printf("sandbox %d\n", abi);
	for (; argc > 0; argc -= 2, argv += 2) {
		r = try(argv[0], argv[1]);
		printf("%s %s %s\n", argv[0], argv[1],
		    r == 0 ? "ok" : strerrorname_np(r));
	}
	if (lfd >= 0)
		close(lfd);
	gw_close(&g);
	return 0;
}
