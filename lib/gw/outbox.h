/*
 * NAME
 *	outbox - the outputs of one input: staged, recorded in the trace
 *	commit, then published; a redo never writes an output twice
 * SYNOPSIS
 *	#include "gw/outbox.h"
 *
 *	struct outbox ob;
 *
 *	outbox_init(&ob, spool, NULL);	(filter mode: its routes)
 *	if (outbox_put(&ob, "x400/out", "ID.p1", p, n) < 0) ...
 *	trace_batch_begin(t);
 *	... the row's state and fields ...
 *	switch (outbox_commit(&ob, t, row, now, err, sizeof(err))) {
 *	case OUTBOX_BEFORE:	another process decided: publish its outputs
 *	case OUTBOX_TRACE:	nothing decided: EX_TEMPFAIL, the redo
 *	case OUTBOX_PUBLISH:	decided: EX_TEMPFAIL, the redo publishes
 *	}
 *	outbox_free(&ob);
 * DESCRIPTION
 *	The commit order of every program that turns an input into outputs
 *	(oxgate-spool(5), "Commit order"):
 *
 *	  1. stage: each output is written into QUEUE/tmp/NAME.RANDOM and
 *	     fsynced (afile_stage(); outbox_open() + outbox_stage() for a
 *	     streamed file, outbox_put() for one in memory);
 *	  2. record: in the trace transaction that records the outcome,
 *	     outbox_record() lists each staged file (queue, temporary name,
 *	     final name; trace_record_output()); the transaction commits;
 *	  3. publish: outbox_publish() renames each staged file into its
 *	     queue, in the order staged (a payload before its .sfid), then
 *	     syncs each queue directory;
 *	  4. the input is removed (spool/queue.h).
 *
 *	A crash or failure before 2 leaves only unrecorded files in tmp/
 *	(outbox_abort() removes them; after a crash oxpurge does, once they
 *	are older than [spool] tmp-age): the redo makes the outputs anew.
 *	After 2 the outputs are decided: a redo finds the transaction's row
 *	in a state past the one it starts from and calls
 *	outbox_publish_row(), which renames every recorded output whose
 *	temporary file is still in tmp/. A recorded output whose temporary
 *	file is gone left by its rename (the only way out of tmp/: nothing
 *	else removes a recorded file), so it is never written again,
 *	whether the consumer took it already or not. Publishing is
 *	idempotent and safe against a concurrent publisher: of two renames
 *	of one temporary file one wins, the other finds it gone.
 *
 *	outbox_recover() does the same for the whole spool: every file in
 *	a tmp/ of a queue (and of hold/PARTNER) that the trace records as
 *	an output is published. Every program that commits outputs runs it
 *	at start, so outputs decided by a process that died before its
 *	renames leave even when no redo of their input comes (oxtrace
 *	expire, a transaction whose input is gone).
 *
 *	outbox_publish() empties the list whether it succeeds or not: from
 *	the commit on the staged files are the trace's, and outbox_abort()
 *	must never remove one.
 *
 *	outbox_commit() is steps 2 to 3 for a caller whose trace transaction
 *	(trace_batch_begin()) holds the outcome: it records the staged
 *	files, commits and publishes; on failure it rolls back and drops
 *	the staged files (OUTBOX_TRACE, OUTBOX_BEFORE), or leaves the
 *	published part for the redo (OUTBOX_PUBLISH), with err set. When
 *	the trace's COMMIT itself fails (OUTBOX_TRACE) the staged files
 *	stay in tmp/: the commit may have happened all the same (the
 *	connection to PostgreSQL lost before its answer), and then they are
 *	the trace's, for the redo to publish; if it did not, they are
 *	unrecorded leftovers that oxpurge removes.
 *
 *	outbox_redo() is outbox_publish_row() inside the trace transaction
 *	that read the row: EX_OK, or EX_TEMPFAIL with the transaction rolled
 *	back and the reason in why.
 *	outbox_conclude() ends such a transaction with the outcome rc of its
 *	input, a sysexits(3) code: EX_OK is outbox_commit() (EX_TEMPFAIL
 *	when it fails, the reason in why), any other rc rolls back, drops the
 *	staged files and is returned. It is for a caller that cannot meet
 *	OUTBOX_BEFORE (it holds the trace's write lock since it read the
 *	row): every failure of the commit is one for the redo.
 *
 *	outbox_trace_fail() ends a transaction the trace failed: rolled back,
 *	the staged files dropped, EX_TEMPFAIL returned with "trace: ERROR"
 *	in why (unless why holds a reason already).
 *
 *	outbox_record() returns 1 when the transaction already has an
 *	output of one of these names in that queue (another process made
 *	the same outputs first): the caller rolls back, drops its own with
 *	outbox_abort() and publishes the other's with outbox_publish_row().
 *
 *	Group commit (gw_run(), the queue engine's groups, queue.h): between
 *	outbox_group_begin(), which opens the trace transaction of the
 *	group (trace_batch_begin(): the items' own transactions become
 *	savepoints in it, one item's rollback undoes only its own), and
 *	outbox_group_end(), the steps of each item change so:
 *	  1. staging does not sync: afile_stage_later() starts the
 *	     writeback, the file goes on the group's list;
 *	  2. recording releases the item's savepoint (outbox_commit()
 *	     refuses, OUTBOX_TRACE, when the group's transaction is gone:
 *	     trace_batch_depth() below 2);
 *	  3. publishing (outbox_publish(), outbox_publish_row()) puts the
 *	     files on the group's list of renames, in order.
 *	outbox_group_end() then makes every staged file durable (one
 *	syncfs(2) of the spool's file system; under five files, an fsync
 *	of each and of each tmp/, which do not wait for the other writers
 *	of the file system), commits the transaction (one sync), renames the list in order and syncs each queue once; the
 *	queue engine removes the inputs after it. It returns 0; -1 when
 *	the group is not decided (a sync failed or the transaction is
 *	gone: rolled back, the staged files removed; its commit failed:
 *	maybe decided, the staged files kept as above; the items are
 *	redone); -2 when it is decided and not all published (the redo
 *	publishes); err says why. One group per process.
 *
 *	outbox_init() with routes (not NULL) makes the outbox of filter
 *	mode, the sink of a converter that reads one input and writes no
 *	spool: each output
 *	goes where the first route of its queue (and name suffix) says, at
 *	once: to a descriptor (standard output: outbox_open() gives a
 *	duplicate of it, outbox_put() writes all of it), or into a file
 *	(outbox_put(): afile_replace(), a reader sees it whole;
 *	outbox_open(): the file created or truncated), or nowhere when the
 *	route names neither or the queue has no route. Nothing is staged or
 *	recorded: outbox_commit() only commits the trace transaction, and
 *	outbox_abort() cannot take back what was written. outbox_errcode()
 *	is the sysexits(3) code of an output that failed: 74 (EX_IOERR) in
 *	filter mode, 75 (EX_TEMPFAIL, the redo tries again) in the spool.
 *
 *	Queues are named relative to the spool root ("x400/out",
 *	"oftp/eerp.out", "hold/PARTNER"); every queue is on the spool's
 *	file system and is no symbolic link.
 * DIAGNOSTICS
 *	Functions return 0 on success, -1 with errno set (outbox_record:
 *	the trace's error; outbox_publish*: a message in err; outbox_ber: a
 *	message naming the output in err).
 */
#ifndef OX_OUTBOX_H
#define OX_OUTBOX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "gw/trace.h"

struct afile;
struct berw;

/* outbox_commit() */
#define OUTBOX_BEFORE	1	/* another process decided first: dropped */
#define OUTBOX_TRACE	(-1)	/* the trace failed: nothing decided */
#define OUTBOX_PUBLISH	(-2)	/* decided, not all published: the redo */

struct outbox_file {
	char	 queue[TRACE_FILE_SZ];	/* relative to the spool root */
	char	 tmp[TRACE_FILE_SZ];	/* in QUEUE/tmp/ */
	char	 name[TRACE_FILE_SZ];	/* in QUEUE/ once published */
};

/* Filter mode: where the outputs of a queue go instead (outbox_init()). */
struct outbox_route {
	const char	*queue;		/* e.g. "x400/out"; NULL ends the list */
	const char	*suffix;	/* of the output's name; NULL: any */
	int		 fd;		/* written here (standard output), */
	const char *const *path;	/* else into the file *path (an
					   option's value); both unset: not
					   written */
};

struct outbox {
	const struct outbox_route *route;	/* filter mode, or NULL */
	const char		*spool;
	struct outbox_file	*v;
	size_t			 n, cap;
};

void	 outbox_init(struct outbox *, const char *,
	    const struct outbox_route *);
int	 outbox_errcode(const struct outbox *);
void	 outbox_free(struct outbox *);
int	 outbox_open(struct outbox *, struct afile *, const char *,
	    const char *);
int	 outbox_stage(struct outbox *, const char *, struct afile *);
int	 outbox_put(struct outbox *, const char *, const char *, const void *,
	    size_t);
int	 outbox_ber(struct outbox *, const char *, const char *, struct berw *,
	    char *, size_t);
int	 outbox_record(struct outbox *, struct trace *, int64_t, time_t);
int	 outbox_commit(struct outbox *, struct trace *, int64_t, time_t, char *,
	    size_t);
int	 outbox_trace_fail(struct outbox *, struct trace *, char *, size_t);
int	 outbox_redo(const char *, struct trace *, int64_t, char *, size_t);
int	 outbox_conclude(struct outbox *, struct trace *, int, int64_t,
	    time_t, char *, size_t);
void	 outbox_abort(struct outbox *);
int	 outbox_publish(struct outbox *, char *, size_t);
int	 outbox_publish_row(const char *, struct trace *, int64_t, size_t *,
	    char *, size_t);
int	 outbox_recover(const char *, struct trace *, size_t *, char *,
	    size_t);
int	 outbox_group_begin(const char *, struct trace *, char *, size_t);
int	 outbox_group_end(char *, size_t);

#endif
