/*
 * NAME
 *	fsynccost - the cost of one durable file commit on this disk
 * SYNOPSIS
 *	fsynccost QUEUE COUNT SIZE
 * DESCRIPTION
 *	Benchmark tool: commits COUNT files of SIZE octets into QUEUE the
 *	way every writer of the spool does (afile: tmp/, write, fsync,
 *	rename, directory fsync) and prints the microseconds one took on
 *	average: the physical floor under files per second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <time.h>

#include "util/afile.h"

int
main(int argc, char **argv)
{
	struct timespec	 a, b;
	char		 name[64], *data;
	long		 i, n;
	size_t		 size;

	if (argc != 4) {
		fprintf(stderr, "usage: fsynccost QUEUE COUNT SIZE\n");
		return EX_USAGE;
	}
	n = atol(argv[2]);
	size = (size_t)atol(argv[3]);
	if ((data = calloc(1, size + 1)) == NULL)
		return EX_OSERR;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "f%ld", i);
		if (afile_put(argv[1], name, data, size) < 0) {
			perror(argv[1]);
			return EX_IOERR;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f\n", ((b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec)
	    / 1e3) / (double)n);
	free(data);
	return 0;
}
