/*
 * NAME
 *	tool.h - what the test tools that read and write files share
 * SYNOPSIS
 *	#include "tool.h"
 *
 *	buf = slurp(path, &n);
 *	die(EX_CANTCREAT, path, "cannot write");
 * DESCRIPTION
 *	die() prints "TOOL: WHAT: WHY" on stderr and exits with code.
 *	slurp() reads a regular file of at most 16 MiB into memory (one
 *	octet more, for a caller that wants a NUL), or dies with
 *	EX_DATAERR. now_ms() is the monotonic clock in milliseconds and
 *	cmp_double() the qsort(3) order of doubles, for the tools that time
 *	things (lockprobe, webload). All are static inline: a tool uses what
 *	it needs.
 */
#ifndef OX_TOOL_H
#define OX_TOOL_H

#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <time.h>

__attribute__((noreturn)) static inline void
die(int code, const char *what, const char *why)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
	    why);
	exit(code);
}

static inline uint8_t *
slurp(const char *path, size_t *n)
{
	struct stat st;
	FILE	*f;
	uint8_t	*p;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) < 0 ||
	    !S_ISREG(st.st_mode) || st.st_size > (1 << 24) ||
	    (p = malloc((size_t)st.st_size + 1)) == NULL ||
	    fread(p, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		die(EX_DATAERR, path, "cannot read a regular file");
	fclose(f);
	*n = (size_t)st.st_size;
	return p;
}

static inline double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#endif
