/*
 * NAME
 *	queue - the spool queue engine: scan, claim, commit, fail, recover
 * SYNOPSIS
 *	#include "spool/queue.h"
 *
 *	struct queue_opts o = { .dir = "spool/oftp/in",
 *	    .failed = "spool/failed", .flags = QUEUE_PAIRS,
 *	    .handler = convert, .arg = &ctx };
 *	struct queue *q;
 *
 *	if (queue_open(&q, &o) < 0)
 *		log_fatal(EX_OSERR, "%s: %s", o.dir, strerror(errno));
 *	ex = watch ? queue_run_watch(q) : queue_run_batch(q);
 *	queue_close(q);
 * DESCRIPTION
 *	The three ways every converter runs, implemented once:
 *	filter (queue_run_filter: one named input or stdin, no queue),
 *	batch (queue_run_batch: one pass over what is in the queue, for
 *	cron) and watch (queue_run_watch: inotify on the queue). The on-disk
 *	protocol is documented for users in oxgate-spool(5); in short:
 *
 *	Layout. A queue Q holds items and two directories: Q/tmp/ (writers
 *	only; nothing reads it) and Q/work/ (claimed items). Q, Q/tmp,
 *	Q/work, the failed and the archive directory must be directories,
 *	not symbolic links: queue_open() refuses a link with ELOOP and
 *	anything else with ENOTDIR, and never follows one. An item is a
 *	file NAME, or, with QUEUE_PAIRS, the pair NAME + NAME.sfid, complete
 *	only once NAME.sfid (the commit marker, renamed in last) is there.
 *	Dot-files and the names tmp and work are not items. Arrival order
 *	is the mtime of the commit marker (NAME, or NAME.sfid), then the
 *	name.
 *
 *	Items nothing can read do not stay: once claimed, an item whose
 *	NAME or NAME.sfid is not a regular file (a symbolic link, a FIFO, a
 *	directory, a device, a socket) fails, its .why saying what the file
 *	is (a link: also whereto); the engine looks with lstat(2) first and
 *	opens with O_NOFOLLOW | O_NONBLOCK, so it neither follows a link nor
 *	blocks on a FIFO, and rename(2) moves a directory like a file. A
 *	NAME.sfid without NAME is left alone for the grace time (opts.grace,
 *	60 s, from the later of its mtime and ctime: a writer renaming in
 *	the wrong order), then claimed and failed as "payload missing",
 *	unless it is the payload of a NAME.sfid.sfid. A NAME without
 *	NAME.sfid is being written and is left alone, whatever its age.
 *	A file of the item that we may not read (EACCES, EPERM) is not the
 *	input's fault but the set-up's (a writer's umask or group), which
 *	an operator can fix: the item goes back to Q as a temporary failure,
 *	with a warning at every attempt (batch: every run then exits
 *	EX_TEMPFAIL; watch: every retry delay), and stays until its mode or
 *	owner is fixed or it is removed. It is never failed for that:
 *	failed/ would take the data out of the flow and the purge would
 *	delete it after the Purgetime.
 *
 *	Claiming. Each process makes Q/work/HOST.PID.RANDOM/ (HOST: the first
 *	label of its host's name) holding ".lock", which it keeps flock()ed
 *	for its life, so the kernel releases the claim when the process
 *	dies, however it dies (on a spool shared by several hosts, the file
 *	server when the host's lock lease ends: oxgate-spool(5)). An item is claimed by
 *	rename(2) into that directory: for a pair NAME.sfid first (whoever
 *	wins that rename owns the item; the loser gets ENOENT and moves on),
 *	then NAME. A process holds one item at a time, or the items of
 *	one group (Group commit, below).
 *
 *	Finishing. The handler gets the item (payload open read-only, the
 *	paths in the work directory) and returns a sysexits(3) code:
 *	EX_OK: the outputs are published (the handler stages them, records
 *	them with its outcome in the trace and renames them into their
 *	queues: gw/outbox.h, the commit order of oxgate-spool(5));
 *	the input is removed (or hard-linked into the archive directory
 *	first): for a pair NAME.sfid first, then NAME.
 *	A permanent code (queue_exit_temporary() false: EX_USAGE, EX_DATAERR,
 *	EX_NOUSER, EX_NOHOST, EX_SOFTWARE, EX_PROTOCOL): the reason is
 *	written to work/D/.why (tmp, fsync, rename), then NAME, NAME.sfid and
 *	last the .why move to the failed directory as T, T.sfid, T.why, where
 *	T is NAME or, if that is taken there, NAME.TIME.PID.N: failed/ never
 *	loses an older item. A reader of failed/ sees T.why last. The .why
 *	is written when the failure is decided, so its mtime is the time of
 *	the failure: the age of T, T.sfid and T.why in failed/ counts from
 *	it (oxpurge(8)), whatever the mtimes the input came with, which
 *	rename(2) keeps and which are left as they were (touching them
 *	would be a step that is no rename, a crash after the move would
 *	leave the old time, and the input's own times are evidence).
 *	Any other code is a temporary failure: the item goes back into Q
 *	(NAME first, NAME.sfid last, never replacing a newer file of the
 *	same name) and is retried later (batch: by the next run, which then
 *	exits EX_TEMPFAIL; watch: after the retry delay).
 *
 *	Group commit (batch and watch mode). A pass over the queue takes
 *	the items in groups: a group closes after opts.batch items
 *	(QUEUE_BATCH_MAX unless given; 1: every item alone), after
 *	opts.batch_ms milliseconds (QUEUE_BATCH_MS), when the pass has no
 *	item left (watch mode: what has arrived), before an item whose
 *	payload is larger than opts.batch_size octets (QUEUE_BATCH_SIZE;
 *	it runs alone, as queue_process() runs every item), and on a stop.
 *	opts.group, when set, is called with QUEUE_GROUP_BEGIN before the
 *	first handler of a group and with QUEUE_GROUP_END after its last
 *	(gw_run(): one trace transaction and one sync for the group,
 *	gw/outbox.h); when BEGIN fails (its reason in the buffer: the trace
 *	locked beyond its busy timeout, say) every item left in the pass is
 *	deferred unclaimed, since none could be recorded. The claimed
 *	items of a group stay in Q/work/D/ until its END: an item whose
 *	handler returned EX_OK or a permanent code is finished only then,
 *	when END returns 0 (inputs removed, then one fsync of D; failures
 *	moved to failed/ one after the other, each with its .why); when END
 *	fails (-1, its reason in the buffer) every such item goes back to Q
 *	as a temporary failure. A temporary failure goes back at once.
 *	Several claimed items in D change nothing in the recovery below:
 *	each is put back by the table, and a .why names its one item.
 *
 *	Recovery (queue_open, queue_recover, every full rescan in watch
 *	mode). Every Q/work/ directory whose .lock can be flock()ed with
 *	LOCK_EX|LOCK_NB belongs to a dead process. Its contents tell the
 *	state, without ambiguity, because each transition is one rename or
 *	unlink and the orders above are fixed:
 *	  .why present		   failing: finish the moves into failed/
 *	  NAME and NAME.sfid	   claimed: back to Q, payload first
 *	  NAME.sfid alone	   half claimed: back to Q (if NAME is missing
 *				   from Q too, the item fails as "payload
 *				   missing" after the grace time)
 *	  NAME alone (pairs)	   half removed after success: unlink it
 *	  NAME (plain items)	   claimed: back to Q
 *	then .lock is unlinked and the directory removed. A crash after the
 *	outcome was recorded but before the input was removed hands the
 *	item to the handler again; it finds its transaction decided,
 *	publishes what is still in tmp/ and repeats the outcome, so each
 *	output reaches its queue exactly once (gw/outbox.h).
 *
 *	Watch mode takes SIGTERM, SIGINT and SIGHUP for the duration of the
 *	call (old actions are restored): SIGTERM/SIGINT finish the current
 *	item and its group and return EX_OK; a stop asked before the call
 *	(queue_stop_request(), e.g. from a caller's own SIGTERM handler while
 *	it started up; queue_stop_requested() tells) makes the run return
 *	before its first item, and the run's end clears it; SIGHUP calls the reload callback between
 *	items. Batch mode honours the same signals between items. The queue
 *	is rescanned at start, on every inotify event naming a possible
 *	commit (IN_MOVED_TO, IN_CLOSE_WRITE), on IN_Q_OVERFLOW and every
 *	rescan seconds.
 *
 *	Two rules of the engine serve other item directories too (the hold
 *	directories of hold(3)): queue_scan_dir(dfd, flags, grace, ...)
 *	lists the items of a directory in arrival order as queue_scan()
 *	does (grace: the age in seconds of a lone NAME.sfid before it is an
 *	item; 0: at once); queue_move_item(from, to, name, flags) moves one
 *	item between two directories, the payload first and the commit
 *	marker last, skipping a part that is not there (a move stopped
 *	half-way is finished by the next), never replacing a file of the
 *	same name unless QUEUE_MOVE_REPLACE; QUEUE_MOVE_SYNC syncs the
 *	target after the payload (it is durable before its marker) and both
 *	directories at the end.
 *
 *	The failed directory and the archive directory must be on the file
 *	system of Q (rename(2) and link(2) are the commit points).
 * DIAGNOSTICS
 *	The library never prints: events (recovered, deferred, failed items,
 *	engine errors) go to the optional logger callback as one line each.
 *	Every deferral is logged at warning level with its reason, a failed
 *	item at warning level, an engine error at error level.
 *	queue_open() and queue_recover() return -1 with errno set on failure;
 *	queue_open() also logs one line naming the directory at fault
 *	(ELOOP: "is a symbolic link", ENOTDIR: "is not a directory").
 *	queue_scan_dir() returns 0 or -1 with errno set; queue_move_item()
 *	1 when it moved the marker (plain items: the item), 0 when that was
 *	not there (moved meanwhile), -1 with errno set.
 *	The run functions return a sysexits(3) code: EX_OK, EX_TEMPFAIL when
 *	an item was deferred or the queue could not be read, EX_OSERR when
 *	watching could not be set up.
 */
#ifndef OX_QUEUE_H
#define OX_QUEUE_H

#include <stddef.h>

#include "util/log.h"

#define QUEUE_PAIRS	0x01	/* items are NAME + NAME.sfid */
#define QUEUE_MOVE_REPLACE 0x02	/* queue_move_item(): replace in the target */
#define QUEUE_MOVE_SYNC	0x04	/* queue_move_item(): fsync as it goes */

#define QUEUE_WHY_MAX	512

#define QUEUE_BATCH_MAX	64		/* items in a group commit */
#define QUEUE_BATCH_MS	50		/* a group closes after this long */
#define QUEUE_BATCH_SIZE (1 << 20)	/* a larger payload runs alone */

enum queue_group {
	QUEUE_GROUP_BEGIN,		/* before the first item of a group */
	QUEUE_GROUP_END			/* after its last: make it durable */
};

struct queue_item {
	const char	*name;		/* identity: the base name in Q */
	const char	*path;		/* payload (work area or named input) */
	const char	*sfid;		/* NAME.sfid, or NULL */
	int		 fd;		/* payload, open read-only */
	int		 filter;	/* 1: filter mode, no queue */
	char		 why[QUEUE_WHY_MAX];	/* handler: why it failed */
};

typedef int	queue_handler_fn(struct queue_item *, void *);
typedef void	queue_reload_fn(void *);
typedef void	queue_logger_fn(enum log_level, const char *, void *);
typedef int	queue_group_fn(enum queue_group, char *, size_t, void *);

struct queue_opts {
	const char	*dir;		/* the queue Q */
	const char	*failed;	/* where failed items go (required) */
	const char	*archive;	/* done inputs linked here; NULL: none */
	const char	*prog;		/* for .why files; NULL: log_progname() */
	int		 flags;		/* QUEUE_PAIRS */
	unsigned	 rescan;	/* watch: full rescan period, s (60) */
	unsigned	 retry;		/* watch: retry delay, s (60) */
	unsigned	 grace;		/* pairs: age of a lone NAME.sfid
					   before it fails, s (60) */
	unsigned	 batch;		/* items per group (QUEUE_BATCH_MAX;
					   1: one at a time) */
	unsigned	 batch_ms;	/* group time limit (QUEUE_BATCH_MS) */
	unsigned long	 batch_size;	/* payloads above run alone
					   (QUEUE_BATCH_SIZE) */
	queue_group_fn	*group;		/* may be NULL */
	queue_handler_fn *handler;
	queue_reload_fn	*reload;	/* SIGHUP; may be NULL */
	queue_logger_fn	*logger;	/* may be NULL */
	void		*arg;		/* passed to the callbacks */
};

struct queue_stats {
	unsigned long	 done;		/* handled, input removed */
	unsigned long	 failed;	/* moved to the failed directory */
	unsigned long	 deferred;	/* temporary failures */
	unsigned long	 recovered;	/* items taken back from dead claims */
	unsigned long	 errors;	/* engine errors (scan, move) */
};

/* Outcome of queue_process(). */
enum queue_outcome {
	QUEUE_GONE,		/* not claimed: taken by another, or vanished */
	QUEUE_DONE,
	QUEUE_FAILED,
	QUEUE_DEFERRED
};

struct queue;

int	 queue_open(struct queue **, const struct queue_opts *);
void	 queue_close(struct queue *);
int	 queue_recover(struct queue *);
int	 queue_scan(struct queue *, char ***, size_t *);
int	 queue_scan_dir(int, int, unsigned, char ***, size_t *);
int	 queue_move_item(int, int, const char *, int);
void	 queue_names_free(char **, size_t);
enum queue_outcome queue_process(struct queue *, const char *);
int	 queue_run_batch(struct queue *);
int	 queue_run_watch(struct queue *);
void	 queue_stop_request(void);
int	 queue_stop_requested(void);
const struct queue_stats *queue_get_stats(const struct queue *);
const char *queue_workdir(const struct queue *);
int	 queue_run_filter(const char *, const char *, queue_handler_fn *,
	    void *, char *, size_t);
int	 queue_exit_temporary(int);
const char *queue_exit_name(int);

#endif
