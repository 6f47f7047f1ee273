/*
 * NAME
 *	log - one-line event logging to stderr and syslog
 * SYNOPSIS
 *	#include "util/log.h"
 * DESCRIPTION
 *	Every event is one line: "prog: level: message". Control characters
 *	in the message (a newline from a file name, say) are replaced by '?'
 *	so that one event is always one line in a log file or in syslog.
 *	Levels mean something (Postfix's msg(3)):
 *	  debug, info	 progress, shown with -v / always
 *	  warn		 bad input: the item is refused, the program goes on
 *	  error		 a failure of this item that is not the input's fault
 *	  fatal		 cannot go on; exits with the given sysexits(3) code
 *	  panic		 our own bug; exits with EX_SOFTWARE
 *	log_close_stdout() ends a program that writes to standard output:
 *	a failed flush or close (a full disk) exits EX_IOERR with a line.
 *	Library code never logs: it returns an error with enough context
 *	for the caller's one log line. With syslog on and JOURNAL_STREAM set
 *	(a systemd service, whose stderr is the journal already) lines go to
 *	syslog only, so the journal has each once.
 */
#ifndef OX_LOG_H
#define OX_LOG_H

enum log_level { LOG_L_DEBUG, LOG_L_INFO, LOG_L_WARN, LOG_L_ERROR,
	LOG_L_FATAL, LOG_L_PANIC };

void	log_open(const char *, int, int);
void	log_set_verbose(int);
const char *log_progname(void);
void	log_msg(enum log_level, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
#define log_debug(...)	log_msg(LOG_L_DEBUG, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_L_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_L_WARN, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_L_ERROR, __VA_ARGS__)
void	log_fatal(int, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	log_panic(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	log_close_stdout(void);

#endif
