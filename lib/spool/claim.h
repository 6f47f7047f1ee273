/*
 * NAME
 *	claim - items of an output queue claimed by a puller across
 *	processes: take, done, back, with a timeout
 * SYNOPSIS
 *	#include "spool/claim.h"
 *
 *	struct claim c;
 *
 *	switch (claim_take(qdir, QUEUE_PAIRS, now, 3600, filter, arg, &c,
 *	    err, sizeof(err))) ...		(1 claimed, 0 none, -1 error)
 *	claim_done(qdir, QUEUE_PAIRS, c.token, &c, err, sizeof(err));
 *	claim_back(qdir, QUEUE_PAIRS, c.token, not_before, &c, err, ...);
 * DESCRIPTION
 *	An OFTP daemon that pulls its files (instead of reading a spool
 *	directory) takes an item in one process and says it was sent in
 *	another, so the queue engine's claims (a flock held for a process's
 *	life, spool/queue.h) do not serve. A claim here is a directory
 *	Q/.claims/TOKEN/ (TOKEN: 128 random bits in hex; a dot-directory is
 *	no item for anyone who scans Q) holding ".claim" (the item's name
 *	and the time the claim ends) and the item itself, moved in by
 *	rename(2) as the engine claims: the commit marker (NAME.sfid of a
 *	pair, the file of a plain item) first, so that of two takers the
 *	one whose rename wins owns it and the other moves on; then NAME.
 *	claim_take() first gives back every claim whose time is over (a
 *	puller that died, or never said done), then claims the first item in
 *	arrival order (queue_scan_dir()) that the filter accepts (NULL:
 *	any) and whose marker's mtime is not in the future (a time set by
 *	claim_back(): not before then). claim_done() removes the item,
 *	marker first, and the claim; claim_back() moves it back into Q,
 *	payload first, with the marker's mtime set to not_before (0: now);
 *	claim_move() moves it into another queue directory to (overflow/:
 *	a file whose delivery timer ran out), payload first, marker last,
 *	and removes the claim. claim_get() reads a claim without changing
 *	it (its name, end, and the path of its payload), so that a puller's
 *	done or failed can look at the item first.
 *	Each step is one rename or unlink, so a crash at any point leaves a
 *	state the next claim_take() finishes: a claim directory without
 *	".claim" or whose item is gone is removed, an expired one given
 *	back. done and back on a claim that expired and was given back (or
 *	taken by another) fail with ENOENT: the puller must not send it.
 * DIAGNOSTICS
 *	Functions return -1 with errno set and a line in err on failure;
 *	claim_take() 1 when it claimed an item, 0 when there is none.
 */
#ifndef OX_CLAIM_H
#define OX_CLAIM_H

#include <limits.h>
#include <stddef.h>
#include <time.h>

#define CLAIM_DIR	".claims"
#define CLAIM_TOKEN_SZ	33

struct claim {
	char	 token[CLAIM_TOKEN_SZ];
	char	 name[NAME_MAX + 1];	/* the item's name in Q */
	char	 path[PATH_MAX];	/* its payload now (in the claim) */
	time_t	 until;
};

/* 1: take this item; 0: not this one. path: its file (the marker of a
 * plain item, NAME.sfid of a pair), not yet claimed. */
typedef int	claim_filter_fn(const char *, const char *, void *);

int	 claim_take(const char *, int, time_t, unsigned, claim_filter_fn *,
	    void *, struct claim *, char *, size_t);
int	 claim_done(const char *, int, const char *, struct claim *, char *,
	    size_t);
int	 claim_back(const char *, int, const char *, time_t, struct claim *,
	    char *, size_t);
int	 claim_move(const char *, int, const char *, const char *,
	    struct claim *, char *, size_t);
int	 claim_get(const char *, const char *, struct claim *, char *, size_t);

#endif
