/*
 * NAME
 *	latency - watch-mode latency: rename into a queue to output appearing
 * SYNOPSIS
 *	latency INQ OUTQ RATE SECONDS SIZE DEST ORIG
 * DESCRIPTION
 *	Bench tool (make bench). A child process feeds INQ (an oftp/in
 *	queue watched by "oftp2x400 --watch") with RATE OFTP virtual files
 *	per second for SECONDS seconds: each a payload of SIZE octets of
 *	EDIFACT-like text and its .sfid (format U, dsn LATn, the given
 *	destination and originator), both written into INQ/tmp, fsynced and
 *	renamed into INQ as the spool contract says, the .sfid last. The
 *	time of that last rename (CLOCK_MONOTONIC) goes through a pipe to
 *	the parent, which watches OUTQ with inotify and stamps each output
 *	renamed into it (IN_MOVED_TO of a name not starting with '.'; the
 *	toolkit writes every output so, see util/afile.h). The queue engine
 *	takes items in arrival order, so the n-th output belongs to the
 *	n-th input. The parent waits up to 30 s
 *	after the last input for the outputs, then prints one line:
 *	  sent received p50_ms p99_ms max_ms
 * EXIT STATUS
 *	0 every input gave an output; 1 some did not (the line says how
 *	many); 2 usage or a system error.
 */
#include <sys/inotify.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LAT_MAX		100000

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
put_file(const char *q, const char *name, const void *p, size_t n)
{
	char	 tmp[PATH_MAX], dst[PATH_MAX];
	int	 fd, ok;

	snprintf(tmp, sizeof(tmp), "%s/tmp/%s", q, name);
	snprintf(dst, sizeof(dst), "%s/%s", q, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return -1;
	ok = write(fd, p, n) == (ssize_t)n && fsync(fd) == 0;
	if (close(fd) < 0 || !ok)
		return -1;
	return rename(tmp, dst);
}

/* The producer: files at RATE per second; each commit time to fd. */
static int
produce(const char *q, long rate, long secs, size_t size, const char *dest,
    const char *orig, int fd)
{
	char	*pay, sfid[512], name[64];
	double	 t0, due, t;
	long	 i, n = rate * secs;
	size_t	 k;
	int	 len;

	if ((pay = malloc(size + 1)) == NULL)
		return 2;
	for (k = 0; k < size; k++)
		pay[k] = "UNH+1+INVOIC:D:96A:UN'BGM+380+1'\r\n"[k % 35];
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		due = t0 + (double)i * 1000.0 / (double)rate;
		while ((t = now_ms()) < due) {
			struct timespec ts;
			double	 d = due - t;

			ts.tv_sec = (time_t)(d / 1e3);
			ts.tv_nsec = (long)((d - (double)ts.tv_sec * 1e3) * 1e6);
			nanosleep(&ts, NULL);
		}
		snprintf(name, sizeof(name), "LAT%ld", i);
		len = snprintf(sfid, sizeof(sfid), "[sfid]\ndsn = LAT%ld\n"
		    "date = 20261122\ntime = 12%08ld\ndest = %s\norig = %s\n"
		    "format = U\n", i, i + 1, dest, orig);
		if (put_file(q, name, pay, size) < 0)
			return 2;
		snprintf(name, sizeof(name), "LAT%ld.sfid", i);
		if (put_file(q, name, sfid, (size_t)len) < 0)
			return 2;
		t = now_ms();
		if (write(fd, &t, sizeof(t)) != sizeof(t))
			return 2;
	}
	free(pay);
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static double sent[LAT_MAX], got[LAT_MAX], lat[LAT_MAX];
	char	 ev[8192] __attribute__((aligned(8)));
	struct pollfd pfd[2];
	size_t	 ns = 0, ng = 0, i, size;
	long	 rate, secs;
	double	 t, deadline = 0;
	ssize_t	 r;
	int	 p[2], in, st, open_pipe = 1;
	pid_t	 pid;

	if (argc != 8) {
		fprintf(stderr, "usage: latency INQ OUTQ RATE SECONDS SIZE "
		    "DEST ORIG\n");
		return 2;
	}
	rate = strtol(argv[3], NULL, 10);
	secs = strtol(argv[4], NULL, 10);
	size = (size_t)strtoul(argv[5], NULL, 10);
	if (rate <= 0 || secs <= 0 || rate * secs > LAT_MAX) {
		fprintf(stderr, "latency: RATE * SECONDS: 1 to %d\n", LAT_MAX);
		return 2;
	}
	if ((in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0 ||
	    inotify_add_watch(in, argv[2], IN_MOVED_TO) < 0 ||
	    pipe(p) < 0) {
		perror("latency");
		return 2;
	}
	if ((pid = fork()) < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		close(p[0]);
		_exit(produce(argv[1], rate, secs, size, argv[6], argv[7],
		    p[1]));
	}
	close(p[1]);
	pfd[0].fd = in;
	pfd[0].events = POLLIN;
	pfd[1].fd = p[0];
	pfd[1].events = POLLIN;
	for (;;) {
		if (!open_pipe && (ng >= ns || now_ms() > deadline))
			break;
		if (poll(pfd, open_pipe ? 2 : 1, 100) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN) {
			t = now_ms();
			while ((r = read(in, ev, sizeof(ev))) > 0) {
				char	*q;

				for (q = ev; q < ev + r; q += sizeof(struct
				    inotify_event) + ((struct inotify_event *)
				    q)->len) {
					struct inotify_event *e = (void *)q;

					if (e->len == 0 || e->name[0] == '.' ||
					    (e->mask & IN_ISDIR))
						continue;
					if (ng < LAT_MAX)
						got[ng++] = t;
				}
			}
		}
		if (open_pipe && (pfd[1].revents & (POLLIN | POLLHUP))) {
			r = read(p[0], &t, sizeof(t));
			if (r == sizeof(t) && ns < LAT_MAX)
				sent[ns++] = t;
			else if (r <= 0) {
				open_pipe = 0;
				deadline = now_ms() + 30000;
			}
		}
	}
	waitpid(pid, &st, 0);
	for (i = 0; i < ng && i < ns; i++)
		lat[i] = got[i] - sent[i];
	qsort(lat, i, sizeof(lat[0]), cmp_double);
	printf("%zu %zu %.1f %.1f %.1f\n", ns, ng, i ? lat[i / 2] : 0.0,
	    i ? lat[(i * 99) / 100 < i ? (i * 99) / 100 : i - 1] : 0.0,
	    i ? lat[i - 1] : 0.0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "latency: the producer failed\n");
		return 2;
	}
	return ng == ns ? 0 : 1;
}
