/*
 * NAME
 *	webload - concurrent clients against oxweb, page times measured
 * SYNOPSIS
 *	webload PORT COOKIE CLIENTS SECONDS MAXN PATH...
 * DESCRIPTION
 *	Benchmark tool: CLIENTS threads, each with its own connection to
 *	127.0.0.1:PORT (HTTP/1.1, kept alive, opened again when the server
 *	closes it), ask the PATHs one after the other (the i-th request of
 *	a client is PATH number (client + i) modulo their number) with the
 *	cookie "oxsid=COOKIE", for SECONDS. A path may hold one "%d" (with
 *	printf flags): it is replaced by a number from 1 to MAXN, another
 *	one for each request (spread over the rows). Prints one line per
 *	PATH: "PATH requests p50 p99 max" in milliseconds, then "all
 *	requests p50 p99 max errors": an error is an answer that is not 200
 *	or a connection that failed.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define MAXP	16
#define MAXS	2000000

static int	 port, nclients, seconds, npaths;
static long	 maxn;
static char	*cookie, **paths;
static double	*lat[MAXP];
static size_t	 nlat[MAXP];
static unsigned	 errors;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static int
dial(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int	 fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* One request on fd; its status, or -1 (the connection is then closed). */
static int
ask(int fd, const char *path)
{
	static __thread char buf[1 << 16];
	char	 req[1024], *h, *e;
	size_t	 have = 0, need = 0;
	ssize_t	 n;
	int	 status;

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Cookie: oxsid=%s\r\n\r\n", path, cookie);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		return -1;
	for (;;) {
		if ((n = read(fd, buf + have, sizeof(buf) - have - 1)) <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if ((e = strstr(buf, "\r\n\r\n")) != NULL)
			break;
		if (have == sizeof(buf) - 1)
			return -1;
	}
	status = atoi(buf + 9);
	if ((h = strcasestr(buf, "\r\nContent-Length:")) == NULL || h > e)
		return -1;
	need = (size_t)(e + 4 - buf) + strtoul(h + 17, NULL, 10);
	while (have < need) {	/* the body: read and dropped */
		if ((n = read(fd, buf, sizeof(buf) - 1)) <= 0)
			return -1;
		have += (size_t)n;
	}
	return status;
}

static void *
client(void *arg)
{
	long	 id = (long)arg, i = 0;
	double	 end = now_ms() + seconds * 1e3, t0, dt;
	char	 path[512];
	int	 fd = -1, st, k;

	while (now_ms() < end) {
		k = (int)((id + i) % npaths);
		snprintf(path, sizeof(path), paths[k], (int)((id * 7919 + i *
		    104729) % maxn + 1));
		i++;
		if (fd < 0 && (fd = dial()) < 0) {
			pthread_mutex_lock(&mu);
			errors++;
			pthread_mutex_unlock(&mu);
			usleep(10000);
			continue;
		}
		t0 = now_ms();
		st = ask(fd, path);
		dt = now_ms() - t0;
		if (st < 0) {
			close(fd);
			fd = -1;
		}
		pthread_mutex_lock(&mu);
		if (st != 200)
			errors++;
		else if (nlat[k] < MAXS)
			lat[k][nlat[k]++] = dt;
		pthread_mutex_unlock(&mu);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void
report(const char *name, double *v, size_t n, int with_errors)
{
	qsort(v, n, sizeof(*v), cmp_double);
	printf("%s %zu %.1f %.1f %.1f", name, n, n ? v[n / 2] : 0.0,
	    n ? v[(size_t)(n * 0.99)] : 0.0, n ? v[n - 1] : 0.0);
	if (with_errors)
		printf(" %u", errors);
	printf("\n");
}

int
main(int argc, char **argv)
{
	pthread_t *th;
	double	*all;
	size_t	 nall = 0, k;
	long	 i;

	if (argc < 7 || argc - 6 > MAXP || (maxn = atol(argv[5])) < 1) {
		fprintf(stderr, "usage: webload PORT COOKIE CLIENTS SECONDS "
		    "MAXN PATH...\n");
		return EX_USAGE;
	}
	port = atoi(argv[1]);
	cookie = argv[2];
	nclients = atoi(argv[3]);
	seconds = atoi(argv[4]);
	paths = argv + 6;
	npaths = argc - 6;
	for (i = 0; i < npaths; i++)
		if ((lat[i] = malloc(MAXS * sizeof(double))) == NULL)
			return EX_OSERR;
	if ((th = calloc((size_t)nclients, sizeof(*th))) == NULL)
		return EX_OSERR;
	for (i = 0; i < nclients; i++)
		pthread_create(&th[i], NULL, client, (void *)i);
	for (i = 0; i < nclients; i++)
		pthread_join(th[i], NULL);
	if ((all = malloc(MAXS * MAXP * sizeof(double))) == NULL)
		return EX_OSERR;
	for (i = 0; i < npaths; i++) {
		memcpy(all + nall, lat[i], nlat[i] * sizeof(double));
		nall += nlat[i];
		report(paths[i], lat[i], nlat[i], 0);
	}
	report("all", all, nall, 1);
	for (k = 0; k < (size_t)npaths; k++)
		free(lat[k]);
	free(all);
	free(th);
	return 0;
}
