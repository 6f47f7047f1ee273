/*
 * NAME
 *	hold - partner hold and divert: where a file for an OFTP station goes
 * SYNOPSIS
 *	#include "gw/hold.h"
 *
 *	enum hold_mode m;
 *
 *	if (hold_target(trace, spool, p->name, name, dir, sizeof(dir), &m,
 *	    err, sizeof(err)) < 0)
 *		return EX_TEMPFAIL;
 *	afile_open(&out, dir, name); ... afile_put(dir, sfidname, ...);
 * DESCRIPTION
 *	A partnership is active, on hold or diverted (trace_partner_get();
 *	set by oxtrace partner). hold_target() reads that state (one SELECT
 *	per file, so a change takes effect at once, also in a running
 *	x4002oftp --watch) and names the queue the OFTP virtual file NAME
 *	(payload and NAME.sfid) is to be committed into:
 *	  active	spool/oftp/out		HOLD_OUT
 *	  hold		spool/hold/PARTNER	HOLD_HELD
 *	  divert	spool/overflow		HOLD_DIVERTED
 *	A hold given an end (oxtrace partner hold --until) whose time has
 *	come (clock_now()) counts as active: new files go to oftp/out
 *	at once; the files held wait for the next oxtrace expire, which ends
 *	the hold and releases them.
 *	The OFTP daemon serves spool/hold/PARTNER only to sessions the
 *	station opens (oxgate-spool(5); oxspool take --inbound).
 *	The hold directory and its tmp/ are made on first use. A copy of
 *	NAME left in one of the other two places by an earlier attempt on
 *	the same input (a crash before the trace said where it went, and a
 *	state change since) is removed first, .sfid first: one input gives
 *	one file, wherever it is.
 *
 *	hold_dir() gives spool/hold/PARTNER; a partner name that is empty,
 *	begins with a dot or holds a '/' has none. hold_list() lists the
 *	committed items of a hold directory (those with a NAME.sfid) in the
 *	order they were committed: by the modification time of the .sfid
 *	(nanoseconds), then by name. hold_move() moves one item from one
 *	queue to another with the spool contract: the payload first, the
 *	.sfid (the commit marker) last, then both directories are synced.
 *	An item whose payload already moved (a release stopped half-way)
 *	has only its .sfid moved, so that running it again finishes the
 *	job and never makes a second copy.
 * DIAGNOSTICS
 *	hold_target(), hold_list() and hold_move() return -1 with one line
 *	in err (the path and the reason); hold_move() returns 1 when it
 *	moved the item, 0 when it was not there (or another release moved
 *	it meanwhile). hold_dir() returns -1 for a bad name or a path too
 *	long.
 */
#ifndef OX_HOLD_H
#define OX_HOLD_H

#include <stddef.h>

struct trace;

#define HOLD_DIR	"hold"		/* under the spool root */

enum hold_mode {
	HOLD_OUT = 0,			/* spool/oftp/out */
	HOLD_HELD,			/* spool/hold/PARTNER */
	HOLD_DIVERTED			/* spool/overflow */
};

struct hold_list {
	char	**name;			/* payload names, oldest first */
	size_t	 n;
};

const char *hold_mode_queue(enum hold_mode);
int	 hold_dir(char *, size_t, const char *, const char *);
int	 hold_target(struct trace *, const char *, const char *, const char *,
	    char *, size_t, enum hold_mode *, char *, size_t);
int	 hold_list(const char *, struct hold_list *, char *, size_t);
void	 hold_list_free(struct hold_list *);
int	 hold_move(const char *, const char *, const char *, char *, size_t);

#endif
