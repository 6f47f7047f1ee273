/*
 * NAME
 *	log - one-line event logging (see log.h)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sysexits.h>

#include "util/log.h"

static const char *log_prog = "oxgate";
static int log_syslog;
static int log_stderr = 1;
static int log_verbose;

void
log_open(const char *prog, int use_syslog, int verbose)
{
	const char *slash;

	if (prog != NULL)
		log_prog = (slash = strrchr(prog, '/')) ? slash + 1 : prog;
	log_syslog = use_syslog;
	log_verbose = verbose;
	/* under systemd stderr is the journal too: one copy is enough */
	log_stderr = !(use_syslog && getenv("JOURNAL_STREAM") != NULL);
	if (log_syslog)
		openlog(log_prog, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void
log_set_verbose(int v)
{
	log_verbose = v;
}

const char *
log_progname(void)
{
	return log_prog;
}

static void
log_vmsg(enum log_level lv, const char *fmt, va_list ap)
{
	static const char *const name[] = { "debug", "info", "warning",
	    "error", "fatal", "panic" };
	static const int prio[] = { LOG_DEBUG, LOG_INFO, LOG_WARNING,
	    LOG_ERR, LOG_CRIT, LOG_CRIT };
	char	 line[2048];
	size_t	 i;

	if (lv == LOG_L_DEBUG && log_verbose < 1)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	for (i = 0; line[i] != '\0'; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	if (log_stderr)
		fprintf(stderr, "%s: %s: %s\n", log_prog, name[lv], line);
	if (log_syslog)
		syslog(prio[lv], "%s: %s", name[lv], line);
}

void
log_msg(enum log_level lv, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(lv, fmt, ap);
	va_end(ap);
}

void
log_fatal(int code, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(LOG_L_FATAL, fmt, ap);
	va_end(ap);
	exit(code);
}

void
log_panic(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(LOG_L_PANIC, fmt, ap);
	va_end(ap);
	exit(EX_SOFTWARE);
}

/*
 * Standard output flushed and closed before a successful exit: output
 * lost to a full disk or a write error is the program's failure
 * (EX_IOERR), never an exit 0.
 */
void
log_close_stdout(void)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		log_fatal(EX_IOERR, "standard output: %s",
		    errno != 0 ? strerror(errno) : "write error");
}
