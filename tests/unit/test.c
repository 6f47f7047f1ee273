/*
 * NAME
 *	test - the unit test harness (see test.h)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "x400/orname.h"

int test_failed_now;
static int test_nfailed;
static const char *test_name;
static char test_tmp[4096];

void
test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	if (!test_failed_now) {
		printf("FAIL %s:%s: %s:%d: ", program_invocation_short_name,
		    test_name, file, line);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	} else {
		printf("     also %s:%d: ", file, line);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
	test_failed_now = 1;
}

void
test_run(const char *name, void (*f)(void))
{
	test_name = name;
	test_failed_now = 0;
	test_tmp[0] = '\0';
	f();
	if (test_failed_now)
		test_nfailed++;
	else
		printf("PASS %s:%s\n", program_invocation_short_name, name);
	fflush(stdout);
}

int
test_done(void)
{
	return test_nfailed > 0;
}

/* A fresh directory under $OX_TMP (or /tmp) for the current test. */
const char *
test_dir(void)
{
	const char *base = getenv("OX_TMP");

	if (test_tmp[0] != '\0')
		return test_tmp;
	snprintf(test_tmp, sizeof(test_tmp), "%s/%s.%s.XXXXXX",
	    base ? base : "/tmp", program_invocation_short_name, test_name);
	if (mkdtemp(test_tmp) == NULL) {
		fprintf(stderr, "test_dir: %s: %s\n", test_tmp, strerror(errno));
		exit(2);
	}
	return test_tmp;
}

/* The shared folder (fixtures, tools): $OX_SHARED or ../shared. */
const char *
test_shared(void)
{
	const char *s = getenv("OX_SHARED");

	return s ? s : "../shared";
}

void
test_orname(struct orname *o, const char *s)
{
	struct or_err	 e;

	orname_init(o);
	if (orname_parse(s, -1, o, &e) != OR_OK)
		test_fail(__FILE__, __LINE__, "orname_parse %s", s);
}

int
test_read_file(const char *path, uint8_t **p, size_t *n)
{
	FILE	*f;
	long	 sz;

	*p = NULL;
	*n = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (*p = malloc((size_t)sz + 1)) == NULL ||
	    fread(*p, 1, (size_t)sz, f) != (size_t)sz) {
		fclose(f);
		free(*p);
		*p = NULL;
		return -1;
	}
	fclose(f);
	(*p)[sz] = '\0';	/* text files may be read as strings */
	*n = (size_t)sz;
	return 0;
}

/* Hex digits (spaces allowed) to bytes; -1 on a bad digit or no room. */
int
test_hex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t	 n = 0;
	int	 hi = -1, v;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\n')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -1;
		if (hi < 0)
			hi = v;
		else {
			if (n == cap)
				return -1;
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		return -1;
	*len = n;
	return 0;
}
