#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "util/log.h"

/* Capture what one log call writes to stderr. */
static void
capture(char *out, size_t n, void (*f)(void))
{
	FILE	*tmp = tmpfile();
	int	 saved = dup(2);
	size_t	 k;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	f();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	k = fread(out, 1, n - 1, tmp);
	out[k] = '\0';
	fclose(tmp);
}

static void
warn_newline(void)
{
	log_warn("%s: bad\nrecord", "in/x\r.p1");
}

static void
debug_quiet(void)
{
	log_debug("not shown");
}

static void
t_one_line(void)
{
	char	 out[512];

	log_open("/usr/bin/oxtest", 0, 0);
	capture(out, sizeof(out), warn_newline);
	CHECK_EQ_STR(out, "oxtest: warning: in/x?.p1: bad?record\n");
	capture(out, sizeof(out), debug_quiet);
	CHECK_EQ_STR(out, "");
	log_set_verbose(1);
	capture(out, sizeof(out), debug_quiet);
	CHECK_EQ_STR(out, "oxtest: debug: not shown\n");
	CHECK_EQ_STR(log_progname(), "oxtest");
	/* under systemd (JOURNAL_STREAM) with syslog: not twice */
	setenv("JOURNAL_STREAM", "8:1234", 1);
	log_open("oxtest", 1, 0);
	capture(out, sizeof(out), warn_newline);
	CHECK_EQ_STR(out, "");
	unsetenv("JOURNAL_STREAM");
	log_open("oxtest", 1, 0);
	capture(out, sizeof(out), warn_newline);
	CHECK_EQ_STR(out, "oxtest: warning: in/x?.p1: bad?record\n");
}

int
main(void)
{
	TEST(t_one_line);
	return test_done();
}
