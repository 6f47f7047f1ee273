/*
 * NAME
 *	trace - the trace table: one SQLite row per gateway transaction
 * SYNOPSIS
 *	#include "gw/trace.h"
 * DESCRIPTION
 *	Every converter records what it does to a transaction here, and
 *	oxtrace, oxpurge and the expiry sweep read it back. The SQL lives in
 *	trace.c only; the schema is described in oxgate-trace(5).
 *
 *	trace_open() opens (and creates or upgrades) the database: WAL
 *	journal, synchronous=FULL (a committed record is durable), foreign
 *	keys on, a busy timeout (5 s unless given) so that concurrent writers
 *	wait for each other instead of failing. The schema version is kept in
 *	PRAGMA user_version; older databases (version 0: an empty file or a
 *	database without our tables) are migrated in one transaction.
 *	Every write is one BEGIN IMMEDIATE ... COMMIT transaction.
 *
 *	A transaction is keyed by its direction and its input identity: the
 *	OFTP identity (DSN, date, time, originator, destination) for
 *	oftp2x400, the MTS identifier (and rcpt, below) for x4002oftp.
 *	trace_begin_oftp() and
 *	trace_begin_x400() are idempotent: a redo of the same input finds the
 *	existing row, refreshes its descriptive fields and returns its id
 *	with *created = 0; the state is left alone (the caller decides from
 *	it what is still to do). An input whose other key (the MTS
 *	identifier of an OFTP input, the OFTP identity of an X.400 one) is
 *	another row's is refused: -1, "another transaction has the ...".
 *	What becomes known later is added with
 *	trace_record_oftp_id() (x4002oftp: the OFTP identity of the file
 *	made), trace_record_x400_id(), trace_record_hash() and
 *	trace_record_files(); for the last two of these (and in begin on a
 *	redo) a NULL or empty string leaves a field as it is.
 *
 *	Schema version 2 adds, for x4002oftp, the X.400 originator's O/R
 *	address (x400_orig, std-or text as orname_print() writes it: the
 *	destination of every report the gateway makes on the message) and
 *	no_ndr, set when the originator suppressed non-delivery reports
 *	(originator-report and originator-non-delivery-report both zero for
 *	every recipient of ours). Both are taken by trace_begin_*() from the
 *	row (x400_orig: empty keeps what is recorded; no_ndr is always
 *	written, 0 being the X.400 default: an NDR is owed), or recorded
 *	later by trace_record_originator(). Rows of version 1 migrate with
 *	no originator (readers fall back on the IPM / EDIM identifier's
 *	originator part) and no_ndr 0.
 *	Schema version 3 (migration step "edin") adds, for an x4002oftp
 *	EDIM, the X.435 EDI notifications its recipients at partnerships
 *	asked for (edin_req: pn 1, nn 2, fn 4, the bits of
 *	EDINotificationRequests; trace_record_edin_req()) and which EDIN the
 *	gateway wrote (edin_sent "PN" or "NN"; trace_record_edin_sent()), so
 *	that a second EERP or NERP makes no second EDIN. Older rows migrate
 *	with edin_req 0 and no EDIN sent.
 *	Schema version 7 adds the content type of an x4002oftp message
 *	(ctype: its built-in number, 2, 22 or 35, an extended content type
 *	of the same content recorded as that number;
 *	trace_record_ctype()), which the gateway's reports and IPNs on it
 *	carry; older rows and oftp2x400 rows have 0.
 *	Schema version 8 (issue 22) makes every OFTP file x4002oftp
 *	writes a transaction of its own: rcpt, the originally-specified-
 *	recipient-number of the X.400 recipient whose file the row is,
 *	joins the MTS identifier in the key of direction x4002oftp
 *	(trace_begin_x400() finds or makes the row of mts_id and rcpt; 0:
 *	the message as a whole, when it made no file, and every older
 *	row), so that each file has its own OFTP identity, hash, state and
 *	deadline, and every EERP or NERP finds the one recipient it
 *	answers. trace_find_by_mts_id() gives the first row of a message
 *	(the lowest rcpt); trace_list_message() calls back for every row
 *	of one message in one direction, by rcpt. trace_find_rcpt() is
 *	trace_find_by_mts_id(), _ipm_id() or _edim_id() (TRACE_KEY_MTS,
 *	_IPM, _EDIM) and then trace_recipients() of the row found, in one
 *	round trip on PostgreSQL (the recipients read by the same key): 1
 *	found (cb called for each recipient), 0 not found (cb never
 *	called), -1 failure or a callback's nonzero value.
 *	Schema version 9 adds an index on partner, state and creation (the
 *	searches of oxweb); nothing else changes.
 *	Schema version 10 (issue 22, timers) adds partner_state.hold_until,
 *	the end of a hold (trace_partner_hold_until()); the state sent
 *	needs no change (state is free text).
 *	Schema version 12 (issue 24) keys the index trace_updated on
 *	(updated, id), the order in which trace_list_stale() reads.
 *	trace_is_postgresql() is 1 when the trace is a PostgreSQL database
 *	(oxpurge sizes its delete transactions there by time), else 0.
 *	trace_record_oftp_id() returns 1, recording nothing, when another
 *	row of the same direction has that OFTP identity (the unique key):
 *	the caller takes the next counter of SFIDTIME and tries again.
 *	trace_find_*() find a row by one of its identities in one direction
 *	(the IPM and EDIM identifiers are not unique keys: the newest row
 *	wins).
 *
 *	States (trace_state_name() gives the names used in the database):
 *	  received	input taken from its queue, row created
 *	  converted	output committed to the outbound queue; waiting for
 *			the end-to-end answer (DN/RN or EERP) until deadline
 *	  delivered	oftp2x400: every recipient delivered; with EERP mode 3
 *			still waiting for the receipt notifications
 *	  nondelivered	oftp2x400: a recipient was not delivered (NERP due)
 *	  read		oftp2x400, EERP mode 3: every recipient read (EERP due)
 *	  notread	oftp2x400, EERP mode 3: a recipient did not read it
 *	  eerp-sent	oftp2x400: EERP written for the OFTP daemon
 *	  nerp-sent	oftp2x400: NERP written for the OFTP daemon
 *	  eerp-received	x4002oftp: the partner's EERP came back, the DN/RN is
 *			written (final)
 *	  nerp-received	x4002oftp: the partner's NERP came back, the NDN/NRN
 *			is written (final)
 *	  failed	input could not be processed, parked in failed/
 *	  expired	the deadline passed without an answer
 *	  overflow	an expired transaction parked in overflow/
 *	  deleted	removed from overflow/ or failed/ by the operator
 *	  held		x4002oftp: the partnership is on hold, the file waits
 *			in hold/PARTNER until released or taken by the
 *			station in a session it opened; its deadline runs on
 *	  diverted	x4002oftp: the partnership is diverted, the file went
 *			to overflow/; its deadline runs on (agent mode: no
 *			DR until it is reactivated)
 *	  sent		x4002oftp: the OFTP daemon took the file (oxspool
 *			done, or the sweep found it gone at its delivery
 *			deadline); waiting for the EERP until the deadline
 *			(version 10)
 *
 *	Transitions allowed by trace_record_state() (recording the current
 *	state again changes nothing and is not an error; the one table is
 *	trace_next in trace.c, oxgate-trace(5) lists the same, t_trace
 *	checks both and walks every pair):
 *	  received	-> converted failed held diverted
 *	  converted	-> delivered nondelivered read notread eerp-sent
 *			   nerp-sent eerp-received nerp-received expired
 *			   failed sent
 *	  delivered	-> read notread nondelivered eerp-sent nerp-sent
 *			   expired failed
 *	  nondelivered	-> nerp-sent failed
 *	  read		-> eerp-sent failed
 *	  notread	-> nerp-sent failed
 *	  eerp-sent nerp-sent -> expired (not collected from oftp/eerp.out)
 *	  expired	-> overflow nerp-sent failed
 *	  overflow	-> received (reactivate) deleted
 *	  failed	-> received (reprocess) deleted
 *	  held		-> converted (released) sent eerp-received
 *			   nerp-received expired failed
 *	  diverted	-> received (reactivate) expired deleted
 *	  sent		-> eerp-received nerp-received expired failed
 *	  eerp-received nerp-received deleted: final
 *	The waiting states are converted, delivered, held, diverted and
 *	sent: only they keep a deadline, and trace_list_expired() returns
 *	those whose deadline (not 0) is at or before now. Entering any
 *	other state clears the deadline.
 *
 *	Recipients (oftp2x400): trace_record_recipients() lists them (again
 *	on a redo: known ones keep their outcome). trace_record_outcome()
 *	records one DN/NDN/RN/NRN and returns the verdict over all of them:
 *	negative as soon as one outcome is negative, positive when every
 *	recipient's outcome is positive, pending otherwise (also when there
 *	are no recipients). Positive is "read" in EERP mode 3 and "delivered",
 *	"read" or "notread" otherwise; negative is "nondelivered", and in
 *	mode 3 also "notread". An outcome never goes back: pending <
 *	delivered < read, notread, nondelivered. The verdict depends only on
 *	the recorded outcomes, so a redo gets the same answer; the row's
 *	state tells whether the EERP or NERP was already written.
 *
 *	Purging is two steps, so that nothing goes before it is archived and
 *	the write lock is held briefly: trace_list_stale() calls back for
 *	every row whose last change (updated) is strictly before cutoff,
 *	oldest first, without a write lock; trace_delete_stale() then deletes
 *	those of up to TRACE_DELETE_MAX given rows that are still stale (a
 *	row changed meanwhile stays), with their history and recipients, in
 *	one transaction, and says how many went.
 *
 *	trace_list() calls back for every row matching a filter (a zeroed
 *	filter matches all), oldest first; trace_search() does the same
 *	for a query (for oxweb): the filter, an identifier that is the
 *	row's DSN, MTS, IPM or EDIM identifier, a list of the only partners
 *	whose rows may come (a user restricted to them; an empty list
 *	matches none), an order (created, updated, partner, state, DSN;
 *	ascending or descending, then by id) and a page (limit rows from
 *	offset). trace_counts() calls back with the number of rows per
 *	partner ("" for none) and state created in [since, until), for the
 *	same partner list; trace_count_state() counts the rows in one state
 *	for such a list. Both read the tallies the trace's triggers keep
 *	(schema version 11; oxgate-trace(5)), the part of an hour at either
 *	end of the range from the rows: cheap on a large trace, never older
 *	than the last commit. trace_csv_row() formats one row
 *	as an RFC 4180 record (CRLF, fields with comma, quote, CR or LF
 *	quoted, quotes doubled; times in ISO 8601 UTC). Callbacks return 0
 *	to go on, anything else stops the iteration and is returned (for
 *	trace_list_stale(): archiving failed). Callbacks may read through
 *	the same handle (trace_get, trace_history, trace_recipients) but must
 *	not write through it: a write would start a nested transaction and
 *	fail.
 *
 *	Partner controls (schema version 3, tables partner_state and
 *	partner_history): trace_partner_get() reads the state of a
 *	partnership (active, hold, divert; no row is active) with one SELECT
 *	on its key, cheap enough for every file; trace_partner_set_state()
 *	changes it and writes the change (action, who, note) into the
 *	partner's history in one transaction, returning 1, or 0 when the
 *	state was already so (nothing written); trace_partner_event() adds a
 *	history line of its own (a release, a status file);
 *	trace_partner_events() lists the history, oldest first.
 *	trace_partner_hold_until() records when a hold ends by itself
 *	(schema version 10; 0: not by itself), read back as until.
 *	trace_partner_status_begin() gives the window [since, until) of the
 *	next status file: since is the end of the last one (0: none), until
 *	is now, recorded as pending before anything is written, or the
 *	pending end of a status file begun and not finished, so that a redo
 *	makes the same file; trace_partner_status_done() closes the window.
 *
 *	Outputs (schema version 5, table trace_output): every file a
 *	converter or oxtrace writes for a transaction is first staged in
 *	QUEUE/tmp/ (afile_stage()), then recorded with
 *	trace_record_output() (the queue relative to the spool root, the
 *	temporary name, the final name) in the same transaction as the
 *	state it belongs to, and only after that commit renamed into QUEUE
 *	(gw/outbox.h). trace_record_output() returns 1, recording nothing,
 *	when the transaction already has an output of that name in that
 *	queue: another process made it first. trace_outputs() lists a
 *	transaction's outputs in the order they were recorded (the order
 *	of publication); trace_forget_outputs() drops them (a transaction
 *	made again by the operator: reactivate, reprocess);
 *	trace_output_recorded() says whether the transaction has an output
 *	of that name in that queue (1, 0; -1 failure);
 *	trace_output_find() finds the output a file of QUEUE/tmp/ is (1; 0:
 *	none, a leftover of an attempt that did not commit); a recorded
 *	one must never be removed, only published.
 *	trace_output_named() finds the newest output of a name in a queue
 *	(1; 0: none): the transaction of a file waiting there (the expiry
 *	sweep's timer on oftp/eerp.out).
 *
 *	Deferrals (schema version 6, table deferral; issue 22): the
 *	temporary failures of an input still in its queue, keyed by the
 *	queue (relative to the spool root) and the item's name, since an
 *	input may fail before it has a transaction. trace_deferral_record()
 *	counts one more failure (the first one starts the row: first, the
 *	start of the queue lifetime) with its time, the next try and the
 *	error (cut to TRACE_NOTE_SZ); trace_deferral_get() reads it (1; 0:
 *	none); trace_deferral_clear() drops it once the input is done or
 *	failed for good; trace_deferrals() lists them, oldest first (oxtrace
 *	deferred); trace_deferral_purge() deletes those whose last failure is
 *	before cutoff (their input was removed by hand: oxpurge) and says
 *	how many. The policy (backoff, lifetime) is gw_run()'s (gw.h).
 *	trace_copy() copies every table of one trace (every row, every
 *	column, the ids) into another that has no transaction yet, in one
 *	transaction of the destination (oxtrace migrate --to: SQLite to
 *	PostgreSQL); rows[i] is the number of rows of table i, named by
 *	trace_copy_table_name(i), TRACE_COPY_TABLES of them. The source's
 *	tables must have exactly the columns the copy knows.
 *	trace_set_busy() sets the busy timeout of the handle (ms) and
 *	returns the one before (gw_run() counts a deferral with a short one:
 *	a trace locked for long has already made the handler wait).
 *	trace_record_event() adds a line to a row's history in its current
 *	state, changing nothing else but updated (a duplicate of the file
 *	arrived, say); a line with the same note already in the row's
 *	history is not added again (a redo).
 *
 *	trace_open() keeps SQLite's temporary files (large sorts, statement
 *	journals of big transactions) in the directory of the database,
 *	which every program that writes the trace may write, inside the
 *	sandbox and under the systemd unit alike, whatever TMPDIR says.
 *	trace_check() says whether the database file is still the one
 *	opened (not removed or replaced under a running program): 0, or -1
 *	with the reason.
 *
 *	Times are time_t seconds passed in by the caller (now), so that
 *	tests and redos are exact. Empty strings are stored as NULL.
 *	A handle belongs to one thread of one process: open it after fork().
 *	trace_batch_begin() ... trace_batch_commit() groups the calls between
 *	them into one transaction (one commit, one sync): each call becomes
 *	a savepoint inside it; a call that fails rolls back only itself. On
 *	PostgreSQL a call that needs no read (its checks answered by what
 *	the transaction read of the row) has no savepoint of its own: a
 *	failing check fails it before any write, and its writes, sent in
 *	the pipeline, fail at a later round trip, perhaps in the next item
 *	of a group; that transaction then does not commit (the commit
 *	fails as temporary and rolls it back, so the whole group is done
 *	again), as the savepoint the server went back to is not known. The
 *	changes of the row the transaction read wait and go as one UPDATE
 *	with its next statement that may touch table trace, its next
 *	savepoint or its commit, whichever comes first; a read in the
 *	transaction sees them.
 *	trace_batch_rollback() drops the whole group. trace_batch_depth()
 *	says how deep the caller is: 0 outside any transaction, 1 in the
 *	outermost, 2 in a savepoint inside it (a group commit, gw/outbox.h,
 *	checks that its transaction still holds the items' ones).
 * DIAGNOSTICS
 *	Functions return 0 on success and -1 on failure; trace_error() then
 *	gives a one-line message with the SQLite reason. trace_find_*() and
 *	trace_get() return 1 when found, 0 when not, -1 on failure.
 *	trace_open() writes its message into the caller's buffer.
 */
#ifndef OX_TRACE_H
#define OX_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct buf;
struct trace;

#define TRACE_SCHEMA_VERSION	12
#define TRACE_BUSY_MS		5000	/* default busy timeout */
#define TRACE_DEADLINE_KEEP	((time_t)-1)
#define TRACE_DELETE_MAX	10000	/* rows per trace_delete_stale() */

/* Buffer sizes, terminating NUL included. */
#define TRACE_PARTNER_SZ	65
#define TRACE_DSN_SZ		27	/* OFTP2 SFIDDSN: 26 */
#define TRACE_DATE_SZ		9	/* CCYYMMDD */
#define TRACE_TIME_SZ		11	/* HHMMSScccc */
#define TRACE_ODETTE_SZ		26	/* SFIDORIG/SFIDDEST: 25 */
#define TRACE_MTSID_SZ		256
#define TRACE_MSGID_SZ		512	/* IPM or EDIM identifier, text form */
#define TRACE_HASHALG_SZ	16
#define TRACE_HASH_SZ		129	/* up to SHA-512 in hex */
#define TRACE_FILE_SZ		256	/* a name in a spool queue */
#define TRACE_NOTE_SZ		256
#define TRACE_ORADDR_SZ		512	/* an O/R address, std-or text */
#define TRACE_ACTION_SZ		16	/* a partner history action */
#define TRACE_WHO_SZ		64	/* who did it: user or program */
#define TRACE_EDIN_SZ		8	/* "PN", "NN" */

enum trace_dir {
	TRACE_DIR_ANY = 0,		/* in filters only */
	TRACE_OFTP2X400 = 1,		/* "oftp2x400" */
	TRACE_X4002OFTP = 2		/* "x4002oftp" */
};

enum trace_state {
	TRACE_S_NONE = 0,		/* in filters: any state */
	TRACE_S_RECEIVED,
	TRACE_S_CONVERTED,
	TRACE_S_DELIVERED,
	TRACE_S_NONDELIVERED,
	TRACE_S_READ,
	TRACE_S_NOTREAD,
	TRACE_S_EERP_SENT,
	TRACE_S_NERP_SENT,
	TRACE_S_EERP_RECEIVED,
	TRACE_S_NERP_RECEIVED,
	TRACE_S_FAILED,
	TRACE_S_EXPIRED,
	TRACE_S_OVERFLOW,
	TRACE_S_DELETED,
	TRACE_S_HELD,			/* version 3 */
	TRACE_S_DIVERTED,
	TRACE_S_SENT			/* version 8 */
};
#define TRACE_S_COUNT	(TRACE_S_SENT + 1)

enum trace_outcome {
	TRACE_R_PENDING = 0,
	TRACE_R_DELIVERED,
	TRACE_R_NONDELIVERED,
	TRACE_R_READ,
	TRACE_R_NOTREAD
};

enum trace_verdict {
	TRACE_V_PENDING = 0,
	TRACE_V_POSITIVE,		/* every recipient positive: EERP */
	TRACE_V_NEGATIVE		/* a recipient negative: NERP */
};

struct trace_oftp_id {
	char	 dsn[TRACE_DSN_SZ];
	char	 date[TRACE_DATE_SZ];
	char	 time[TRACE_TIME_SZ];
	char	 orig[TRACE_ODETTE_SZ];
	char	 dest[TRACE_ODETTE_SZ];
};

/* One transaction. Inputs to trace_begin_*() ignore the fields marked out. */
struct trace_row {
	int64_t			 id;		/* out */
	enum trace_dir		 dir;
	char			 partner[TRACE_PARTNER_SZ];
	struct trace_oftp_id	 oftp;
	char			 mts_id[TRACE_MTSID_SZ];
	char			 ipm_id[TRACE_MSGID_SZ];
	char			 edim_id[TRACE_MSGID_SZ];
	int			 eerp_mode;	/* 1, 2, 3; 0: not applicable */
	int			 eerp_signed;	/* signed EERP requested */
	int			 dn_req;	/* X.400 originator asked DN */
	int			 rn_req;	/* X.400 originator asked RN */
	int			 nrcpt;		/* out */
	enum trace_state	 state;		/* out */
	time_t			 created;	/* out */
	time_t			 updated;	/* out: last change */
	time_t			 deadline;	/* out: 0 when none */
	char			 hash_alg[TRACE_HASHALG_SZ];
	char			 hash[TRACE_HASH_SZ];	/* lower-case hex */
	char			 in_file[TRACE_FILE_SZ];
	char			 out_file[TRACE_FILE_SZ];
	char			 ack_file[TRACE_FILE_SZ]; /* EERP/NERP or report */
	char			 note[TRACE_NOTE_SZ];	/* out: last state note */
	char			 x400_orig[TRACE_ORADDR_SZ]; /* X.400
						    originator, std-or text */
	int			 no_ndr;	/* the X.400 originator
						   suppressed NDRs */
	unsigned		 edin_req;	/* out: EDI notifications
						   asked (pn 1, nn 2, fn 4) */
	char			 edin_sent[TRACE_EDIN_SZ]; /* out: "PN",
						   "NN" or "" */
	int			 ctype;		/* out: the message's built-in
						   content type; 0: unknown */
	int64_t			 rcpt;		/* x4002oftp: the recipient
						   number of the row's file;
						   0: the message (schema 8) */
};

struct trace_event {			/* one line of a row's history */
	int64_t			 trace_id;
	time_t			 time;
	enum trace_state	 state;
	char			 note[TRACE_NOTE_SZ];
};

struct trace_rcpt {
	int64_t			 trace_id;
	int			 seq;		/* 1, 2, ... in listing order */
	char			 address[TRACE_MSGID_SZ];
	enum trace_outcome	 outcome;
	time_t			 time;		/* of the outcome; 0: none */
	char			 diag[TRACE_NOTE_SZ];
};

struct trace_filter {			/* zero fields match everything */
	enum trace_dir		 dir;
	enum trace_state	 state;
	time_t			 since;		/* created >= since */
	time_t			 until;		/* created < until */
	const char		*partner;
};

enum trace_sort {			/* trace_search() order */
	TRACE_SORT_CREATED = 0,
	TRACE_SORT_UPDATED,
	TRACE_SORT_PARTNER,
	TRACE_SORT_STATE,
	TRACE_SORT_DSN
};

struct trace_query {			/* trace_search() */
	struct trace_filter	 f;
	const char		*text;		/* DSN, MTS, IPM or EDIM
						   identifier; NULL: any */
	const char *const	*only;		/* these partners only;
						   NULL: every one */
	size_t			 nonly;
	enum trace_sort		 sort;
	int			 desc;		/* newest / last first */
	size_t			 offset, limit;	/* limit 0: all rows */
};

/* Partner controls (schema version 3): oxtrace partner, status files. */
enum trace_pstate {
	TRACE_P_ACTIVE = 0,		/* "active": files go to oftp/out */
	TRACE_P_HOLD,			/* "hold": files wait in hold/NAME */
	TRACE_P_DIVERT			/* "divert": files go to overflow */
};

struct trace_partner {
	char			 partner[TRACE_PARTNER_SZ];
	enum trace_pstate	 state;
	time_t			 changed;	/* of the state; 0: never */
	time_t			 status_last;	/* end of the last status
						   file's window; 0: none */
	time_t			 status_next;	/* a status file being made:
						   end of its window; 0: none */
	time_t			 until;		/* hold: ends by itself then;
						   0: until released */
};

struct trace_pevent {			/* one line of a partner's history */
	time_t			 time;
	char			 action[TRACE_ACTION_SZ];
	char			 who[TRACE_WHO_SZ];
	char			 note[TRACE_NOTE_SZ];
};

struct trace_output {			/* one output of a transaction */
	int64_t			 trace_id;
	int			 seq;		/* order of publication */
	char			 queue[TRACE_FILE_SZ];	/* "x400/out" */
	char			 tmp[TRACE_FILE_SZ];	/* in QUEUE/tmp/ */
	char			 name[TRACE_FILE_SZ];	/* in QUEUE/ */
	time_t			 time;
};

struct trace_deferral {		/* temporary failures of an input */
	char			 queue[TRACE_FILE_SZ];	/* "oftp/in" */
	char			 name[TRACE_FILE_SZ];	/* the item */
	time_t			 first;		/* first failure */
	time_t			 last;		/* last failure */
	unsigned		 attempts;	/* failures so far */
	time_t			 next_try;	/* not before (backoff) */
	char			 error[TRACE_NOTE_SZ];	/* the last one */
};

typedef int (*trace_row_cb)(const struct trace_row *, void *);
typedef int (*trace_deferral_cb)(const struct trace_deferral *, void *);
typedef int (*trace_output_cb)(const struct trace_output *, void *);
typedef int (*trace_pevent_cb)(const struct trace_pevent *, void *);
typedef int (*trace_event_cb)(const struct trace_event *, void *);
typedef int (*trace_rcpt_cb)(const struct trace_rcpt *, void *);
typedef int (*trace_count_cb)(const char *, enum trace_state, uint64_t,
	    void *);

int	 trace_open(const char *, int, struct trace **, char *, size_t);
int	 trace_batch_begin(struct trace *);
int	 trace_batch_commit(struct trace *);
void	 trace_batch_rollback(struct trace *);
int	 trace_batch_depth(const struct trace *);
void	 trace_close(struct trace *);
const char *trace_error(const struct trace *);
int	 trace_temporary(const struct trace *);
int	 trace_schema_version(struct trace *);
int	 trace_is_postgresql(const struct trace *);

const char *trace_dir_name(enum trace_dir);
int	 trace_dir_parse(const char *, enum trace_dir *);
const char *trace_state_name(enum trace_state);
int	 trace_state_parse(const char *, enum trace_state *);
int	 trace_state_waiting(enum trace_state);
int	 trace_state_next_ok(enum trace_state, enum trace_state);
const char *trace_outcome_name(enum trace_outcome);

int	 trace_begin_oftp(struct trace *, const struct trace_row *, time_t,
	    int64_t *, int *);
int	 trace_begin_x400(struct trace *, const struct trace_row *, time_t,
	    int64_t *, int *);
int	 trace_record_state(struct trace *, int64_t, enum trace_state,
	    time_t, time_t, const char *);
int	 trace_record_oftp_id(struct trace *, int64_t,
	    const struct trace_oftp_id *, time_t);
int	 trace_record_x400_id(struct trace *, int64_t, const char *,
	    const char *, const char *, time_t);
int	 trace_record_hash(struct trace *, int64_t, const char *,
	    const char *, time_t);
int	 trace_record_files(struct trace *, int64_t, const char *,
	    const char *, const char *, time_t);
int	 trace_record_originator(struct trace *, int64_t, const char *, int,
	    time_t);
int	 trace_record_edin_req(struct trace *, int64_t, unsigned, time_t);
int	 trace_record_ctype(struct trace *, int64_t, int, time_t);
int	 trace_record_edin_sent(struct trace *, int64_t, const char *,
	    time_t);
int	 trace_record_recipients(struct trace *, int64_t,
	    const char *const *, size_t, time_t);
int	 trace_record_outcome(struct trace *, int64_t, const char *,
	    enum trace_outcome, const char *, time_t, enum trace_verdict *);

int	 trace_get(struct trace *, int64_t, struct trace_row *);
int	 trace_find_by_oftp(struct trace *, enum trace_dir,
	    const struct trace_oftp_id *, struct trace_row *);
int	 trace_find_by_mts_id(struct trace *, enum trace_dir, const char *,
	    struct trace_row *);
int	 trace_find_by_ipm_id(struct trace *, enum trace_dir, const char *,
	    struct trace_row *);
int	 trace_find_by_edim_id(struct trace *, enum trace_dir, const char *,
	    struct trace_row *);
int	 trace_list_message(struct trace *, enum trace_dir, const char *,
	    trace_row_cb, void *);
int	 trace_history(struct trace *, int64_t, trace_event_cb, void *);
int	 trace_recipients(struct trace *, int64_t, trace_rcpt_cb, void *);
enum trace_key { TRACE_KEY_MTS, TRACE_KEY_IPM, TRACE_KEY_EDIM };
int	 trace_find_rcpt(struct trace *, enum trace_key, enum trace_dir,
	    const char *, struct trace_row *, trace_rcpt_cb, void *);

int	 trace_list(struct trace *, const struct trace_filter *,
	    trace_row_cb, void *);
int	 trace_search(struct trace *, const struct trace_query *,
	    trace_row_cb, void *);
int	 trace_counts(struct trace *, time_t, time_t, const char *const *,
	    size_t, trace_count_cb, void *);
int	 trace_count_state(struct trace *, enum trace_state,
	    const char *const *, size_t, uint64_t *);
int	 trace_list_expired(struct trace *, time_t, trace_row_cb, void *);
int	 trace_list_stale(struct trace *, time_t, trace_row_cb, void *);
int	 trace_delete_stale(struct trace *, const int64_t *, size_t, time_t,
	    size_t *);

const char *trace_pstate_name(enum trace_pstate);
int	 trace_partner_get(struct trace *, const char *,
	    struct trace_partner *);
int	 trace_partner_set_state(struct trace *, const char *,
	    enum trace_pstate, const char *, time_t, const char *,
	    const char *);
int	 trace_partner_hold_until(struct trace *, const char *, time_t);
int	 trace_partner_event(struct trace *, const char *, const char *,
	    time_t, const char *, const char *);
int	 trace_partner_events(struct trace *, const char *, trace_pevent_cb,
	    void *);
int	 trace_partner_status_begin(struct trace *, const char *, time_t,
	    time_t *, time_t *);
int	 trace_partner_status_done(struct trace *, const char *, time_t,
	    time_t, const char *);

int	 trace_record_output(struct trace *, int64_t, const char *,
	    const char *, const char *, time_t);
int	 trace_outputs(struct trace *, int64_t, trace_output_cb, void *);
int	 trace_forget_outputs(struct trace *, int64_t);
int	 trace_output_recorded(struct trace *, int64_t, const char *,
	    const char *);
int	 trace_output_find(struct trace *, const char *, const char *,
	    struct trace_output *);
int	 trace_output_named(struct trace *, const char *, const char *,
	    struct trace_output *);
int	 trace_check(struct trace *);
int	 trace_set_busy(struct trace *, int);
int	 trace_record_event(struct trace *, int64_t, time_t, const char *);
int	 trace_deferral_get(struct trace *, const char *, const char *,
	    struct trace_deferral *);
int	 trace_deferral_record(struct trace *, const char *, const char *,
	    time_t, time_t, const char *);
int	 trace_deferral_clear(struct trace *, const char *, const char *);
int	 trace_deferrals(struct trace *, trace_deferral_cb, void *);
int	 trace_deferral_purge(struct trace *, time_t);

int	 trace_copy(struct trace *, struct trace *, int64_t[], size_t);
const char *trace_copy_table_name(size_t);
#define TRACE_COPY_TABLES	7

int	 trace_csv_header(struct buf *);
int	 trace_csv_row(struct buf *, const struct trace_row *);

#endif
