/*
 * NAME
 *	test - the unit test harness
 * SYNOPSIS
 *	#include "test.h"
 *
 *	static void
 *	t_something(void)
 *	{
 *		CHECK(1 + 1 == 2);
 *		CHECK_EQ_INT(f(), 3);
 *	}
 *
 *	int
 *	main(int argc, char **argv)
 *	{
 *		TEST(t_something);
 *		return test_done();
 *	}
 * DESCRIPTION
 *	Each TEST() runs one function and prints one line, "PASS prog:name"
 *	or "FAIL prog:name: file:line: what". A test fails when any of its
 *	checks fails; it goes on after a failed check so that one run shows
 *	every failure. test_done() returns the exit status (1 if anything
 *	failed). tests/run counts the lines. test_dir() names a fresh
 *	temporary directory for the test (removed by tests/run).
 *	test_read_file() reads a whole file, NUL-terminated.
 *	test_orname() parses an O/R address in std-or text into an
 *	orname, a failed check when it does not parse.
 */
#ifndef OX_TEST_H
#define OX_TEST_H

#include <stddef.h>
#include <stdint.h>

extern int test_failed_now;

void	test_run(const char *, void (*)(void));
int	test_done(void);
void	test_fail(const char *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
const char *test_dir(void);
const char *test_shared(void);
int	test_read_file(const char *, uint8_t **, size_t *);
int	test_hex(const char *, uint8_t *, size_t, size_t *);
struct orname;
void	test_orname(struct orname *, const char *);

#define TEST(f)	test_run(#f, f)
#define CHECK(c) do { if (!(c)) test_fail(__FILE__, __LINE__, "%s", #c); } while (0)
#define CHECK_EQ_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, a_, b_); } while (0)
#define CHECK_EQ_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) \
		test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a, \
		    a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)
#define CHECK_EQ_MEM(a, alen, b, blen) do { size_t al_ = (alen), bl_ = (blen); \
	if (al_ != bl_ || memcmp((a), (b), al_) != 0) \
		test_fail(__FILE__, __LINE__, "%s differs (%zu vs %zu octets)", #a, al_, bl_); } while (0)

#endif
