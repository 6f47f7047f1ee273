/*
 * NAME
 *	err - format an error message into a caller's buffer
 * SYNOPSIS
 *	#include "util/err.h"
 *
 *	return errf(err, errlen, SFID_EFIELD, "dsn: character '%c'", c);
 * DESCRIPTION
 *	Library functions do not print: they write one line saying what is
 *	wrong (field and reason) into err, which may be NULL, and return a
 *	code. errf() does both: it formats into err (truncating to errlen)
 *	and returns code, so a failure path is one statement.
 */
#ifndef OX_ERR_H
#define OX_ERR_H

#include <stddef.h>

int	errf(char *, size_t, int, const char *, ...)
	    __attribute__((format(printf, 4, 5)));

#endif
