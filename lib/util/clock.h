/*
 * NAME
 *	clock - the time "now" of every program, and its one override
 * SYNOPSIS
 *	#include "util/clock.h"
 *
 *	time_t now = clock_now();
 * DESCRIPTION
 *	clock_now() is time(NULL), unless the environment variable
 *	OXGATE_NOW holds a time: decimal seconds since the epoch, with an
 *	optional leading '@' (as date +%s writes it). Tests run the
 *	timers of the gateway on it (queue lifetime, backoff, expiry,
 *	purge) without sleeping; it is the only place a program reads the
 *	time of day for its decisions. A value that is not such a number
 *	is ignored (the real time is used).
 *	clock_parse() reads a time as operators give it (oxtrace, oxweb):
 *	YYYY-MM-DD[THH:MM[:SS]][Z] (UTC), @EPOCH, or relative to now:
 *	NUMBER[mhd] or -NUMBER[mhd] that long ago, +NUMBER[mhd] that long
 *	ahead; *rel (when not NULL) says 1 relative, 0 absolute. It returns
 *	0, or -1 when the text is none of these.
 *	clock_iso() writes a time as the trace's readers show it,
 *	YYYY-MM-DDTHH:MM:SSZ (UTC), or "-" for 0 (none).
 *	clock_mono_ms() is the monotonic clock in milliseconds, for
 *	measuring how long something took (never the time of day).
 * DIAGNOSTICS
 *	None: clock_now() always returns a time.
 */
#ifndef OX_CLOCK_H
#define OX_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

time_t	 clock_now(void);
int	 clock_parse(const char *, time_t, time_t *, int *);
void	 clock_iso(time_t, char *, size_t);
int64_t	 clock_mono_ms(void);

#endif
