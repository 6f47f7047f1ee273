/*
 * NAME
 *	trace - the trace table: one SQLite row per gateway transaction
 *	(see trace.h and oxgate-trace(5))
 * SYNOPSIS
 *	#include "gw/trace.h"
 * DESCRIPTION
 *	All SQL of the toolkit's trace table is here, written once for both
 *	backends of gw/db.h (SQLite, PostgreSQL): plain SQL both accept
 *	(ON CONFLICT, RETURNING, integers for times, an explicit id column);
 *	what differs (DDL types, the write lock, PRAGMAs, the schema
 *	version) is in db.c only. Every statement is prepared from a
 *	constant text (or from constant fragments, for the list filter) and
 *	every value is a bound parameter. Every write is one write
 *	transaction with the write lock taken up front (db_begin), so a busy
 *	database makes the writer wait (the busy timeout) instead of failing
 *	half-way. Reads that need more than one statement run in a read
 *	transaction (one snapshot) unless a transaction is already open.
 *
 *	Schema migrations are a list indexed by the version they upgrade
 *	from, the same on both backends except where trace_migrations_pg
 *	gives PostgreSQL its own text (the triggers of version 11, which
 *	keep the overview's tallies); trace_open() applies those above the
 *	schema version (db_schema_version) in one transaction, after
 *	re-reading the version under the write lock (two programs may open a
 *	new database at the same instant).
 * DIAGNOSTICS
 *	As in trace.h: -1 with a message for trace_error().
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gw/db.h"
#include "gw/trace.h"
#include "util/buf.h"

/*
 * What the open write transaction knows of one row, read under its write
 * lock, so that only its own writes change it: the row's state, deadline,
 * time of the last change and EERP mode, and once listed its recipients'
 * outcomes and its outputs. The writes after a read of the row (a
 * report: the row, its recipients, the outcomes, the states, the
 * outputs) check against this instead of asking the database again,
 * which on PostgreSQL is a round trip each. Forgotten when the
 * transaction ends or a savepoint is rolled back, and by the writes that
 * change it otherwise (begin, purge).
 */
struct known_rcpt {
	char			*addr;
	enum trace_outcome	 o;
};

/*
 * The changes of the known row not sent yet (write-behind): a report
 * sets its row's state twice, its files and its time of the last change,
 * and PostgreSQL pays for each UPDATE of trace with a row version in each
 * of its indexes and a run of the tally trigger. They go as one UPDATE
 * (db_step_later: with the next statement, no round trip of their own)
 * before any statement that may touch table trace (stmt_vprep: all but
 * those marked NOT_TRACE), before a savepoint (whose rollback must not
 * lose them) and before the commit. A rollback drops them, but that of
 * a bare call (tx_begin_bare), which sets them after its last check,
 * keeps those of the calls before it.
 */
enum pcol {
	P_STATE, P_DEADLINE, P_NOTE, P_DSN, P_DATE, P_TIME, P_ORIG, P_DEST,
	P_MTS, P_IPM, P_EDIM, P_HASHALG, P_HASH, P_IN, P_OUT, P_ACK, P_XORIG,
	P_NONDR, P_EDINREQ, P_CTYPE, P_EDINSENT, P_UPDATED, P_END
};

/* type: as stmt_vprep's letters; keep: NULL or "" changes nothing */
static const struct pcol_def {
	const char	*name;
	char		 type;
	int		 keep;
} pcols[P_END] = {
	[P_STATE] = { "state", 's', 0 }, [P_DEADLINE] = { "deadline", 'D', 0 },
	[P_NOTE] = { "note", 's', 0 }, [P_DSN] = { "oftp_dsn", 's', 0 },
	[P_DATE] = { "oftp_date", 's', 0 }, [P_TIME] = { "oftp_time", 's', 0 },
	[P_ORIG] = { "oftp_orig", 's', 0 }, [P_DEST] = { "oftp_dest", 's', 0 },
	[P_MTS] = { "mts_id", 's', 1 }, [P_IPM] = { "ipm_id", 's', 1 },
	[P_EDIM] = { "edim_id", 's', 1 }, [P_HASHALG] = { "hash_alg", 's', 0 },
	[P_HASH] = { "hash", 's', 0 }, [P_IN] = { "in_file", 's', 1 },
	[P_OUT] = { "out_file", 's', 1 }, [P_ACK] = { "ack_file", 's', 1 },
	[P_XORIG] = { "x400_orig", 's', 1 }, [P_NONDR] = { "no_ndr", 'i', 0 },
	[P_EDINREQ] = { "edin_req", 'i', 0 },
	[P_CTYPE] = { "content_type", 'i', 0 },
	[P_EDINSENT] = { "edin_sent", 's', 0 },
	[P_UPDATED] = { "updated", 'T', 0 },
};

/* Every text column above fits (arg_ok has checked its length). */
#define PSTR_SZ	TRACE_MSGID_SZ
_Static_assert(TRACE_ORADDR_SZ <= PSTR_SZ && TRACE_MTSID_SZ <= PSTR_SZ &&
    TRACE_FILE_SZ <= PSTR_SZ && TRACE_NOTE_SZ <= PSTR_SZ &&
    TRACE_HASH_SZ <= PSTR_SZ, "a pending text fits");

struct pending {
	int64_t		 id;		/* the row */
	unsigned	 set;		/* 1 << enum pcol */
	int64_t		 v[P_END];
	char		 s[P_END][PSTR_SZ];
};

struct known {
	int64_t			 id;	/* 0: nothing known */
	enum trace_state	 state;
	time_t			 deadline;
	time_t			 updated;	/* the time of the last change */
	int			 eerp_mode;
	struct known_rcpt	*rcpt;	/* all of the row's, when rcpt_ok */
	size_t			 nrcpt, rcpt_cap;
	int			 rcpt_ok;
	struct buf		 out;	/* "queue\0name\0" each, when out_ok */
	int			 out_ok;
	struct pending		 pend;	/* of row id, not sent yet */
};

/*
 * The names of one queue's deferrals, read once in a write transaction:
 * under its write lock only its own writes add one, and those add it here
 * too (a rolled-back one stays: a name here may have none, a name not
 * here has none). trace_deferral_get() of a name not here needs no read,
 * which spares each input of a group commit a round trip. Forgotten when
 * the transaction ends; not kept for a queue with more than DSET_MAX.
 */
#define DSET_MAX	1024

struct dset {
	char		 queue[TRACE_FILE_SZ];
	struct buf	 names;		/* "name\0" each */
	int		 ok;		/* names holds them all */
	int		 tried;		/* read (or found too many) */
};

struct trace {
	struct db *db;
	int	 depth;		/* nesting of write transactions */
	int	 bare;		/* the level without a savepoint, 0: none */
	int	 temp;		/* the last failure is temporary */
	struct known known;
	struct dset dset;
	char	 err[512];
};

/*
 * Migrations: trace_migrations[v] upgrades a database of version v to
 * version v + 1. Never edit one that has shipped; append a new one.
 */
/* Migration 10 -> 11: the overview's tallies (below). */
#define TALLY_TABLES \
	"CREATE TABLE trace_tally (" \
	"  hour INTEGER NOT NULL, partner TEXT NOT NULL, state TEXT NOT NULL," \
	"  n INTEGER NOT NULL, PRIMARY KEY (hour, partner, state));" \
	"CREATE TABLE trace_total (" \
	"  partner TEXT NOT NULL, state TEXT NOT NULL, n INTEGER NOT NULL," \
	"  PRIMARY KEY (state, partner));" TALLY_FILL
/* The tallies made from the rows (the migration; trace_copy()). */
#define TALLY_FILL \
	"INSERT INTO trace_tally (hour, partner, state, n)" \
	"  SELECT created / 3600, coalesce(partner, ''), state, count(*)" \
	"  FROM trace GROUP BY created / 3600, coalesce(partner, ''), state;" \
	"INSERT INTO trace_total (partner, state, n)" \
	"  SELECT coalesce(partner, ''), state, count(*)" \
	"  FROM trace GROUP BY coalesce(partner, ''), state;"
/* The keys of row R (NEW or OLD) in the two tallies. */
#define TALLY_KEY(R) \
	" hour = " R ".created / 3600 AND partner = coalesce(" R ".partner, '')" \
	" AND state = " R ".state"
#define TOTAL_KEY(R) \
	" partner = coalesce(" R ".partner, '') AND state = " R ".state"
/* SQLite, per row: row R counted once more. */
#define TALLY_ADD(R) \
	" INSERT INTO trace_tally (hour, partner, state, n) VALUES (" R \
	".created / 3600, coalesce(" R ".partner, ''), " R ".state, 1)" \
	" ON CONFLICT (hour, partner, state) DO UPDATE SET n = n + 1;" \
	" INSERT INTO trace_total (partner, state, n) VALUES (coalesce(" R \
	".partner, ''), " R ".state, 1)" \
	" ON CONFLICT (state, partner) DO UPDATE SET n = n + 1;"
/* SQLite, per row: row R counted once less, a count of 0 removed. */
#define TALLY_SUB(R) \
	" UPDATE trace_tally SET n = n - 1 WHERE" TALLY_KEY(R) ";" \
	" DELETE FROM trace_tally WHERE" TALLY_KEY(R) " AND n <= 0;" \
	" UPDATE trace_total SET n = n - 1 WHERE" TOTAL_KEY(R) ";" \
	" DELETE FROM trace_total WHERE" TOTAL_KEY(R) " AND n <= 0;"

static const char *const trace_migrations[] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE trace ("
	"  id          INTEGER PRIMARY KEY,"
	"  dir         TEXT NOT NULL CHECK (dir IN ('oftp2x400', 'x4002oftp')),"
	"  partner     TEXT,"
	"  oftp_dsn    TEXT,"
	"  oftp_date   TEXT,"
	"  oftp_time   TEXT,"
	"  oftp_orig   TEXT,"
	"  oftp_dest   TEXT,"
	"  mts_id      TEXT,"
	"  ipm_id      TEXT,"
	"  edim_id     TEXT,"
	"  eerp_mode   INTEGER NOT NULL DEFAULT 0"
	"              CHECK (eerp_mode BETWEEN 0 AND 3),"
	"  eerp_signed INTEGER NOT NULL DEFAULT 0,"
	"  dn_req      INTEGER NOT NULL DEFAULT 0,"
	"  rn_req      INTEGER NOT NULL DEFAULT 0,"
	"  state       TEXT NOT NULL,"
	"  created     INTEGER NOT NULL,"
	"  updated     INTEGER NOT NULL,"
	"  deadline    INTEGER,"
	"  hash_alg    TEXT,"
	"  hash        TEXT,"
	"  in_file     TEXT,"
	"  out_file    TEXT,"
	"  ack_file    TEXT,"
	"  note        TEXT"
	");"
	"CREATE UNIQUE INDEX trace_oftp_key ON trace"
	"  (dir, oftp_dsn, oftp_date, oftp_time, oftp_orig, oftp_dest)"
	"  WHERE oftp_dsn IS NOT NULL;"
	"CREATE UNIQUE INDEX trace_mts_key ON trace (dir, mts_id)"
	"  WHERE mts_id IS NOT NULL;"
	"CREATE INDEX trace_ipm ON trace (ipm_id) WHERE ipm_id IS NOT NULL;"
	"CREATE INDEX trace_edim ON trace (edim_id) WHERE edim_id IS NOT NULL;"
	"CREATE INDEX trace_updated ON trace (updated);"
	"CREATE INDEX trace_created ON trace (created);"
	"CREATE INDEX trace_state_deadline ON trace (state, deadline)"
	"  WHERE deadline IS NOT NULL;"
	"CREATE INDEX trace_state_created ON trace (state, created);"
	"CREATE INDEX trace_partner_created ON trace (partner, created);"
	"CREATE TABLE trace_history ("
	"  id          INTEGER PRIMARY KEY,"
	"  trace_id    INTEGER NOT NULL REFERENCES trace (id) ON DELETE CASCADE,"
	"  time        INTEGER NOT NULL,"
	"  state       TEXT NOT NULL,"
	"  note        TEXT"
	");"
	"CREATE INDEX trace_history_trace ON trace_history (trace_id, id);"
	"CREATE TABLE trace_recipient ("
	"  trace_id    INTEGER NOT NULL REFERENCES trace (id) ON DELETE CASCADE,"
	"  seq         INTEGER NOT NULL,"
	"  address     TEXT NOT NULL,"
	"  outcome     TEXT NOT NULL DEFAULT 'pending',"
	"  time        INTEGER,"
	"  diag        TEXT,"
	"  PRIMARY KEY (trace_id, seq),"
	"  UNIQUE (trace_id, address)"
	");",
	/*
	 * 1 -> 2: the X.400 originator's O/R address (std-or text) of an
	 * x4002oftp transaction, the destination of the reports the gateway
	 * makes on it; and whether that originator suppressed non-delivery
	 * reports (0: an NDR is owed, the X.400 default, also for the rows
	 * of version 1).
	 */
	"ALTER TABLE trace ADD COLUMN x400_orig TEXT;"
	"ALTER TABLE trace ADD COLUMN no_ndr INTEGER NOT NULL DEFAULT 0;",
	/*
	 * 2 -> 3: partner controls. One row per partnership that was ever
	 * held, diverted or sent a status file (none: active, no status
	 * file yet), and the history of those changes. New transaction
	 * states (held, diverted) need no change: state is free text.
	 */
	"CREATE TABLE partner_state ("
	"  partner     TEXT PRIMARY KEY,"
	"  state       TEXT NOT NULL DEFAULT 'active'"
	"              CHECK (state IN ('active', 'hold', 'divert')),"
	"  changed     INTEGER,"
	"  status_last INTEGER,"
	"  status_next INTEGER"
	");"
	"CREATE TABLE partner_history ("
	"  id          INTEGER PRIMARY KEY,"
	"  partner     TEXT NOT NULL,"
	"  time        INTEGER NOT NULL,"
	"  action      TEXT NOT NULL,"
	"  who         TEXT,"
	"  note        TEXT"
	");"
	"CREATE INDEX partner_history_partner ON partner_history (partner, id);",
	/*
	 * 3 -> 4: the X.435 EDI notifications of an x4002oftp
	 * EDIM: edin_req, the requests of its recipients at partnerships
	 * (bits of EDINotificationRequests: pn 1, nn 2, fn 4; 0 for IPMs
	 * and older rows), and edin_sent, the one EDIN the gateway wrote
	 * ("PN" or "NN"; NULL: none yet).
	 */
	"ALTER TABLE trace ADD COLUMN edin_req INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE trace ADD COLUMN edin_sent TEXT;",
	/*
	 * 4 -> 5: the outputs of a transaction, recorded in the transaction
	 * that commits them while they are still in QUEUE/tmp/ under their
	 * temporary name (gw/outbox.h): a file whose tmp is gone has left by
	 * its rename. One output name per queue and transaction: a second
	 * process that made the same output finds it recorded and drops its
	 * own.
	 */
	"CREATE TABLE trace_output ("
	"  trace_id    INTEGER NOT NULL REFERENCES trace (id) ON DELETE CASCADE,"
	"  seq         INTEGER NOT NULL,"
	"  queue       TEXT NOT NULL,"
	"  tmp         TEXT NOT NULL,"
	"  name        TEXT NOT NULL,"
	"  time        INTEGER NOT NULL,"
	"  PRIMARY KEY (trace_id, seq),"
	"  UNIQUE (trace_id, queue, name)"
	");"
	"CREATE INDEX trace_output_tmp ON trace_output (tmp);",
	/*
	 * 5 -> 6: the temporary failures of an input still in its queue
	 * (issue 22), keyed by the queue (relative to the spool root) and
	 * the item's name, since a failure may come before the input has a
	 * transaction: attempts, the first and the last failure, the next
	 * try (backoff) and the last error. The row goes when the input is
	 * done or failed for good; the first failure starts the queue
	 * lifetime.
	 */
	"CREATE TABLE deferral ("
	"  queue       TEXT NOT NULL,"
	"  name        TEXT NOT NULL,"
	"  first       INTEGER NOT NULL,"
	"  last        INTEGER NOT NULL,"
	"  attempts    INTEGER NOT NULL,"
	"  next_try    INTEGER NOT NULL,"
	"  error       TEXT,"
	"  PRIMARY KEY (queue, name)"
	");",
	/*
	 * 6 -> 7: the content type of an x4002oftp message, as its built-in
	 * number (2 P2, 22 P22, 35 P35; the extended OIDs of the same
	 * contents recorded as their number): the reports and IPNs the
	 * gateway makes on it carry it. 0 for older rows and oftp2x400 rows
	 * (readers take P22 for an IPM row, P35 for an EDIM row).
	 */
	"ALTER TABLE trace ADD COLUMN content_type INTEGER NOT NULL DEFAULT 0;",
	/*
	 * 7 -> 8 (issue 22, "one message, several stations"): one x4002oftp
	 * transaction per OFTP file. rcpt, the originally-specified-
	 * recipient-number of the X.400 recipient whose file the row is (0:
	 * no file, the message as a whole; every row before version 8),
	 * joins the MTS identifier in the key.
	 */
	"ALTER TABLE trace ADD COLUMN rcpt INTEGER NOT NULL DEFAULT 0;"
	"DROP INDEX trace_mts_key;"
	"CREATE UNIQUE INDEX trace_mts_key ON trace (dir, mts_id, rcpt)"
	"  WHERE mts_id IS NOT NULL;",
	/*
	 * 8 -> 9 (issue 25, oxweb): a search by partner and state, newest
	 * first, without reading every row of the partner (a partner with
	 * no failed transaction was a scan of all its rows).
	 */
	"CREATE INDEX IF NOT EXISTS trace_partner_state ON trace"
	"  (partner, state, created);",
	/*
	 * 9 -> 10 (issue 22, hold): the time a hold ends by itself
	 * (oxtrace partner hold --until; NULL: until released). The new
	 * transaction state sent needs no change: state is free text.
	 */
	"ALTER TABLE partner_state ADD COLUMN hold_until INTEGER;",
	/*
	 * 10 -> 11 (issue 25, oxweb under load): the overview's counts
	 * without counting the rows. trace_tally: the transactions by hour
	 * of creation (created / 3600), partner ('' for none) and state;
	 * trace_total: by partner and state. Kept by triggers in the
	 * transaction that inserts, deletes or changes a row (whoever
	 * writes: the library, oxtrace migrate --to, sqlite3 by hand);
	 * a count that drops to 0 goes. Derived: trace_copy() leaves them
	 * to the triggers of the copy. The triggers' text differs by
	 * backend (trace_migrations_pg).
	 */
	TALLY_TABLES
	"CREATE TRIGGER trace_tally_ins AFTER INSERT ON trace BEGIN"
	TALLY_ADD("NEW") "END;"
	"CREATE TRIGGER trace_tally_del AFTER DELETE ON trace BEGIN"
	TALLY_SUB("OLD") "END;"
	"CREATE TRIGGER trace_tally_upd AFTER UPDATE OF state, partner, created"
	"  ON trace WHEN OLD.state IS NOT NEW.state"
	"  OR OLD.partner IS NOT NEW.partner OR OLD.created IS NOT NEW.created"
	"  BEGIN" TALLY_SUB("OLD") TALLY_ADD("NEW") "END;",
	/*
	 * 11 -> 12 (issue 24): the purge lists the stale rows ORDER BY
	 * updated, id. SQLite's index on (updated) holds the rowid (id)
	 * after it, in that order already; a PostgreSQL B-tree orders equal
	 * keys by their place in the heap, so a purge of a million rows
	 * sorted them all (on disk) before the first. With id in the key
	 * both read the index in order.
	 */
	"DROP INDEX trace_updated;"
	"CREATE INDEX trace_updated ON trace (updated, id);",
};
#define NMIGRATIONS	(sizeof(trace_migrations) / sizeof(trace_migrations[0]))
_Static_assert(NMIGRATIONS == TRACE_SCHEMA_VERSION,
    "one migration per schema version");

/*
 * PostgreSQL: one trigger per statement, on its transition tables (a
 * trigger per row would update the same few tally rows once per row,
 * and within one transaction each update leaves a row version the next
 * one walks past: a bulk insert of 100,000 rows took 68 s). The rows of
 * a statement as (created, partner, state, +1 or -1), summed by hashing
 * (the transition tables have no index: no join of the two); an UPDATE
 * that changes no key changes nothing.
 */
#define PG_ADD	"SELECT created, partner, state, 1 AS c FROM new_rows"
#define PG_SUB	"SELECT created, partner, state, -1 AS c FROM old_rows"
#define PG_APPLY(ROWS) \
	" INSERT INTO trace_tally (hour, partner, state, n)" \
	"  SELECT created / 3600, coalesce(partner, ''), state, sum(c)" \
	"  FROM (" ROWS ") r GROUP BY created / 3600, coalesce(partner, '')," \
	"  state HAVING sum(c) <> 0 ON CONFLICT (hour, partner, state)" \
	"  DO UPDATE SET n = trace_tally.n + excluded.n;" \
	" INSERT INTO trace_total (partner, state, n)" \
	"  SELECT coalesce(partner, ''), state, sum(c) FROM (" ROWS ") r" \
	"  GROUP BY coalesce(partner, ''), state HAVING sum(c) <> 0" \
	"  ON CONFLICT (state, partner)" \
	"  DO UPDATE SET n = trace_total.n + excluded.n;"
#define PG_PRUNE \
	" DELETE FROM trace_tally t USING (SELECT DISTINCT created / 3600 AS h," \
	"  coalesce(partner, '') AS p, state AS s FROM old_rows) o" \
	"  WHERE t.hour = o.h AND t.partner = o.p AND t.state = o.s" \
	"  AND t.n <= 0;" \
	" DELETE FROM trace_total t USING (SELECT DISTINCT" \
	"  coalesce(partner, '') AS p, state AS s FROM old_rows) o" \
	"  WHERE t.partner = o.p AND t.state = o.s AND t.n <= 0;"
#define PG_TRIGGER(NAME, EVENT, TABLES) \
	"CREATE TRIGGER " NAME " AFTER " EVENT " ON trace REFERENCING " \
	TABLES " FOR EACH STATEMENT EXECUTE FUNCTION trace_tally_f();"

/* PostgreSQL's text of a migration where it differs (its triggers). */
static const char *const trace_migrations_pg[NMIGRATIONS] = {
	[10] = TALLY_TABLES
	"CREATE FUNCTION trace_tally_f() RETURNS trigger LANGUAGE plpgsql AS $$"
	" BEGIN"
	"  IF TG_OP = 'INSERT' THEN" PG_APPLY(PG_ADD)
	"  ELSIF TG_OP = 'DELETE' THEN" PG_APPLY(PG_SUB) PG_PRUNE
	"  ELSIF EXISTS (SELECT 1 FROM (" PG_ADD " UNION ALL " PG_SUB ") r"
	"   GROUP BY created, partner, state HAVING sum(c) <> 0) THEN"
	    PG_APPLY(PG_ADD " UNION ALL " PG_SUB) PG_PRUNE
	"  END IF;"
	"  RETURN NULL;"
	" END $$;"
	PG_TRIGGER("trace_tally_ins", "INSERT", "NEW TABLE AS new_rows")
	PG_TRIGGER("trace_tally_del", "DELETE", "OLD TABLE AS old_rows")
	PG_TRIGGER("trace_tally_upd", "UPDATE",
	    "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
};

static const char *const trace_state_names[TRACE_S_COUNT] = {
	[TRACE_S_NONE] = "none",
	[TRACE_S_RECEIVED] = "received",
	[TRACE_S_CONVERTED] = "converted",
	[TRACE_S_DELIVERED] = "delivered",
	[TRACE_S_NONDELIVERED] = "nondelivered",
	[TRACE_S_READ] = "read",
	[TRACE_S_NOTREAD] = "notread",
	[TRACE_S_EERP_SENT] = "eerp-sent",
	[TRACE_S_NERP_SENT] = "nerp-sent",
	[TRACE_S_EERP_RECEIVED] = "eerp-received",
	[TRACE_S_NERP_RECEIVED] = "nerp-received",
	[TRACE_S_FAILED] = "failed",
	[TRACE_S_EXPIRED] = "expired",
	[TRACE_S_OVERFLOW] = "overflow",
	[TRACE_S_DELETED] = "deleted",
	[TRACE_S_HELD] = "held",
	[TRACE_S_DIVERTED] = "diverted",
	[TRACE_S_SENT] = "sent",
};

#define S(x)	(1u << (x))
static const unsigned trace_next[TRACE_S_COUNT] = {
	[TRACE_S_RECEIVED] = S(TRACE_S_CONVERTED) | S(TRACE_S_FAILED) |
	    S(TRACE_S_HELD) | S(TRACE_S_DIVERTED),
	[TRACE_S_CONVERTED] = S(TRACE_S_DELIVERED) | S(TRACE_S_NONDELIVERED) |
	    S(TRACE_S_READ) | S(TRACE_S_NOTREAD) | S(TRACE_S_EERP_SENT) |
	    S(TRACE_S_NERP_SENT) | S(TRACE_S_EERP_RECEIVED) |
	    S(TRACE_S_NERP_RECEIVED) | S(TRACE_S_EXPIRED) | S(TRACE_S_FAILED) |
	    S(TRACE_S_SENT),
	[TRACE_S_DELIVERED] = S(TRACE_S_READ) | S(TRACE_S_NOTREAD) |
	    S(TRACE_S_NONDELIVERED) | S(TRACE_S_EERP_SENT) |
	    S(TRACE_S_NERP_SENT) | S(TRACE_S_EXPIRED) | S(TRACE_S_FAILED),
	[TRACE_S_NONDELIVERED] = S(TRACE_S_NERP_SENT) | S(TRACE_S_FAILED),
	[TRACE_S_READ] = S(TRACE_S_EERP_SENT) | S(TRACE_S_FAILED),
	[TRACE_S_NOTREAD] = S(TRACE_S_NERP_SENT) | S(TRACE_S_FAILED),
	[TRACE_S_EERP_SENT] = S(TRACE_S_EXPIRED),
	[TRACE_S_NERP_SENT] = S(TRACE_S_EXPIRED),
	[TRACE_S_EXPIRED] = S(TRACE_S_OVERFLOW) | S(TRACE_S_NERP_SENT) |
	    S(TRACE_S_FAILED),
	[TRACE_S_OVERFLOW] = S(TRACE_S_RECEIVED) | S(TRACE_S_DELETED),
	[TRACE_S_FAILED] = S(TRACE_S_RECEIVED) | S(TRACE_S_DELETED),
	[TRACE_S_HELD] = S(TRACE_S_CONVERTED) | S(TRACE_S_SENT) |
	    S(TRACE_S_EERP_RECEIVED) | S(TRACE_S_NERP_RECEIVED) |
	    S(TRACE_S_EXPIRED) | S(TRACE_S_FAILED),
	[TRACE_S_DIVERTED] = S(TRACE_S_RECEIVED) | S(TRACE_S_EXPIRED) |
	    S(TRACE_S_DELETED),
	[TRACE_S_SENT] = S(TRACE_S_EERP_RECEIVED) | S(TRACE_S_NERP_RECEIVED) |
	    S(TRACE_S_EXPIRED) | S(TRACE_S_FAILED),
};
#undef S

static const char *const trace_outcome_names[] = {
	[TRACE_R_PENDING] = "pending",
	[TRACE_R_DELIVERED] = "delivered",
	[TRACE_R_NONDELIVERED] = "nondelivered",
	[TRACE_R_READ] = "read",
	[TRACE_R_NOTREAD] = "notread",
};
#define NOUTCOMES (sizeof(trace_outcome_names) / sizeof(trace_outcome_names[0]))

/* A row's recipients and outputs, by "trace_id = " what follows. */
#define RCPT_COLS "SELECT 0, seq, address, outcome, time, diag" \
	" FROM trace_recipient WHERE trace_id = "
#define OUT_COLS "SELECT 1, seq, queue, name, time, tmp" \
	" FROM trace_output WHERE trace_id = "
/* The columns of a struct trace_row, in row_load() order. */
#define ROW_COLS \
	"t.id, t.dir, t.partner, t.oftp_dsn, t.oftp_date, t.oftp_time," \
	" t.oftp_orig, t.oftp_dest, t.mts_id, t.ipm_id, t.edim_id," \
	" t.eerp_mode, t.eerp_signed, t.dn_req, t.rn_req," \
	" (SELECT count(*) FROM trace_recipient r WHERE r.trace_id = t.id)," \
	" t.state, t.created, t.updated, t.deadline, t.hash_alg, t.hash," \
	" t.in_file, t.out_file, t.ack_file, t.note, t.x400_orig, t.no_ndr," \
	" t.edin_req, t.edin_sent, t.content_type, t.rcpt"

static void
trace_seterr(struct trace *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
trace_seterr(struct trace *t, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	t->temp = 0;
}

/* "what: <the backend's message>" */
static void
trace_sqlerr(struct trace *t, const char *what)
{
	trace_seterr(t, "%s: %s", what, db_error(t->db));
	t->temp = db_temporary(t->db);
}

const char *
trace_error(const struct trace *t)
{
	return t->err[0] != '\0' ? t->err : "no error";
}

int
trace_temporary(const struct trace *t)
{
	return t->temp;
}

/* Names. */

const char *
trace_dir_name(enum trace_dir d)
{
	switch (d) {
	case TRACE_OFTP2X400:
		return "oftp2x400";
	case TRACE_X4002OFTP:
		return "x4002oftp";
	default:
		return "any";
	}
}

int
trace_dir_parse(const char *s, enum trace_dir *d)
{
	if (strcmp(s, "oftp2x400") == 0)
		*d = TRACE_OFTP2X400;
	else if (strcmp(s, "x4002oftp") == 0)
		*d = TRACE_X4002OFTP;
	else
		return -1;
	return 0;
}

const char *
trace_state_name(enum trace_state s)
{
	if ((unsigned)s >= TRACE_S_COUNT)
		return "unknown";
	return trace_state_names[s];
}

int
trace_state_parse(const char *s, enum trace_state *st)
{
	int	 i;

	for (i = TRACE_S_RECEIVED; i < TRACE_S_COUNT; i++)
		if (strcmp(s, trace_state_names[i]) == 0) {
			*st = (enum trace_state)i;
			return 0;
		}
	return -1;
}

int
trace_state_waiting(enum trace_state s)
{
	return s == TRACE_S_CONVERTED || s == TRACE_S_DELIVERED ||
	    s == TRACE_S_HELD || s == TRACE_S_DIVERTED || s == TRACE_S_SENT;
}

int
trace_state_next_ok(enum trace_state from, enum trace_state to)
{
	if ((unsigned)from >= TRACE_S_COUNT || (unsigned)to >= TRACE_S_COUNT ||
	    from == TRACE_S_NONE || to == TRACE_S_NONE)
		return 0;
	return (trace_next[from] & (1u << to)) != 0;
}

const char *
trace_outcome_name(enum trace_outcome o)
{
	if ((unsigned)o >= NOUTCOMES)
		return "unknown";
	return trace_outcome_names[o];
}

static int
trace_outcome_parse(const char *s, enum trace_outcome *o)
{
	size_t	 i;

	for (i = 0; i < NOUTCOMES; i++)
		if (strcmp(s, trace_outcome_names[i]) == 0) {
			*o = (enum trace_outcome)i;
			return 0;
		}
	return -1;
}

/* Statements. */

static int	pending_flush(struct trace *);

/*
 * Before fmt: the statement leaves table trace (and its tallies) alone,
 * so the known row's pending changes may wait past it (struct pending).
 */
#define NOT_TRACE	"~"

/*
 * Parameter i of type (a letter, below): text s, or the integer v.
 *	s  const char *, an empty string or NULL is bound as NULL
 *	i  int
 *	I  int64_t
 *	T  time_t
 *	D  time_t, 0 is bound as NULL (a deadline)
 */
static int
bind_one(struct db_stmt *st, int i, char type, const char *s, int64_t v)
{
	if (type == 's')
		return db_bind_text(st, i, s == NULL || *s == '\0' ? NULL : s);
	if (type == 'D' && v == 0)
		return db_bind_null(st, i, DB_T_INT);
	return db_bind_int64(st, i, v);
}

/*
 * Prepare sql and bind the arguments described by fmt, one bind_one()
 * letter each (first sending the known row's pending changes, unless fmt
 * begins with NOT_TRACE).
 */
static int
stmt_vprep(struct trace *t, struct db_stmt **sp, const char *sql,
    const char *fmt, va_list ap)
{
	struct db_stmt	*st;
	int		 i, rc;

	*sp = NULL;
	if (*fmt == NOT_TRACE[0])
		fmt++;
	else if (pending_flush(t) == -1)
		return -1;
	if (db_prepare(t->db, sql, &st) == -1) {
		trace_sqlerr(t, "prepare");
		return -1;
	}
	for (i = 1; *fmt != '\0'; fmt++, i++) {
		switch (*fmt) {
		case 's':
			rc = bind_one(st, i, 's', va_arg(ap, const char *), 0);
			break;
		case 'i':
			rc = bind_one(st, i, 'i', NULL, va_arg(ap, int));
			break;
		case 'I':
			rc = bind_one(st, i, 'I', NULL, va_arg(ap, int64_t));
			break;
		case 'T':
		case 'D':
			rc = bind_one(st, i, *fmt, NULL,
			    (int64_t)va_arg(ap, time_t));
			break;
		default:
			trace_seterr(t, "bind: bad format letter '%c'", *fmt);
			db_finalize(st);
			return -1;
		}
		if (rc == -1) {
			trace_sqlerr(t, "bind");
			db_finalize(st);
			return -1;
		}
	}
	*sp = st;
	return 0;
}

static int
stmt_prep(struct trace *t, struct db_stmt **sp, const char *sql,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = stmt_vprep(t, sp, sql, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Run a statement that returns no rows: the number of rows changed; or,
 * later, one whose outcome can wait and whose count is not wanted
 * (db_step_later: on PostgreSQL it goes with the next statement, one
 * round trip for both), 0.
 */
static int
stmt_exec_how(struct trace *t, const char *what, int later, const char *sql,
    const char *fmt, ...)
{
	struct db_stmt	*st;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	rc = stmt_vprep(t, &st, sql, fmt, ap);
	va_end(ap);
	if (rc == -1)
		return -1;
	if (later)
		rc = db_step_later(st);
	else {
		rc = db_step(st);
		db_finalize(st);
	}
	if (rc != DB_DONE && rc != DB_ROW) {
		trace_sqlerr(t, what);
		return -1;
	}
	return later ? 0 : (int)db_changes(t->db);
}
#define stmt_exec(t, what, ...)	stmt_exec_how(t, what, 0, __VA_ARGS__)
#define stmt_exec_later(t, what, ...) stmt_exec_how(t, what, 1, __VA_ARGS__)

/* Run a statement whose first row's first column is an integer. */
static int
stmt_int64(struct trace *t, const char *what, int64_t *v, const char *sql,
    const char *fmt, ...)
{
	struct db_stmt	*st;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	rc = stmt_vprep(t, &st, sql, fmt, ap);
	va_end(ap);
	if (rc == -1)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*v = db_column_int64(st, 0);
		db_finalize(st);
		return 1;
	}
	if (rc != DB_DONE) {
		trace_sqlerr(t, what);
		db_finalize(st);
		return -1;
	}
	db_finalize(st);
	return 0;
}

/* What the write transaction knows (struct known). */

static void
known_rcpt_drop(struct known *k)
{
	while (k->nrcpt > 0)
		free(k->rcpt[--k->nrcpt].addr);
	k->rcpt_ok = 0;
}

static void
known_forget(struct trace *t)
{
	known_rcpt_drop(&t->known);
	buf_reset(&t->known.out);
	t->known.out_ok = 0;
	t->known.id = 0;
}

/* Row id as read in the write transaction. */
static void
known_row(struct trace *t, int64_t id, enum trace_state s, time_t deadline,
    time_t updated, int eerp_mode)
{
	if (t->known.id != id)
		known_forget(t);
	t->known.id = id;
	t->known.state = s;
	t->known.deadline = deadline;
	t->known.updated = updated;
	t->known.eerp_mode = eerp_mode;
}

static int
known_rcpt_add(struct trace *t, const char *addr, enum trace_outcome o)
{
	struct known		*k = &t->known;
	struct known_rcpt	*v;
	size_t			 cap;

	if (k->nrcpt == k->rcpt_cap) {
		cap = k->rcpt_cap > 0 ? 2 * k->rcpt_cap : 8;
		if ((v = reallocarray(k->rcpt, cap, sizeof(*v))) == NULL)
			goto fail;
		k->rcpt = v;
		k->rcpt_cap = cap;
	}
	if ((k->rcpt[k->nrcpt].addr = strdup(addr)) == NULL)
		goto fail;
	k->rcpt[k->nrcpt++].o = o;
	return 0;
fail:
	trace_seterr(t, "%s", strerror(errno));
	return -1;
}

/* Whether the known outputs ("queue\0name\0" each) have queue/name. */
static int
known_out_has(const struct known *k, const char *queue, const char *name)
{
	const char	*p = (const char *)k->out.p, *end = p + k->out.len;
	const char	*n;

	while (p < end) {
		n = p + strlen(p) + 1;
		if (strcmp(p, queue) == 0 && strcmp(n, name) == 0)
			return 1;
		p = n + strlen(n) + 1;
	}
	return 0;
}

static int
known_out_add(struct trace *t, const char *queue, const char *name)
{
	if (buf_add(&t->known.out, queue, strlen(queue) + 1) == -1 ||
	    buf_add(&t->known.out, name, strlen(name) + 1) == -1) {
		trace_seterr(t, "%s", strerror(errno != 0 ? errno : ENOMEM));
		return -1;
	}
	return 0;
}

/* The known row's pending changes (struct pending). */

/* Changes of row id follow: those of another row go first. */
static int
pending_for(struct trace *t, int64_t id)
{
	if (t->known.pend.set != 0 && t->known.pend.id != id &&
	    pending_flush(t) == -1)
		return -1;
	t->known.pend.id = id;
	return 0;
}

static void
pend_text(struct trace *t, enum pcol c, const char *s)
{
	struct pending	*p = &t->known.pend;

	if (s == NULL)
		s = "";
	if (pcols[c].keep && *s == '\0')
		return;
	snprintf(p->s[c], sizeof(p->s[c]), "%s", s);
	p->set |= 1u << c;
}

static void
pend_int(struct trace *t, enum pcol c, int64_t v)
{
	t->known.pend.v[c] = v;
	t->known.pend.set |= 1u << c;
}

/* Send them: one UPDATE, later (db_step_later). */
static int
pending_flush(struct trace *t)
{
	struct pending	*p = &t->known.pend;
	struct db_stmt	*st = NULL;
	struct buf	 sql;
	int		 c, i, rc;

	if (p->set == 0)
		return 0;
	buf_init(&sql);
	buf_add_str(&sql, "UPDATE trace SET ");
	for (c = 0, i = 0; c < P_END; c++)
		if (p->set & 1u << c) {
			buf_add_str(&sql, i++ > 0 ? ", " : "");
			buf_add_str(&sql, pcols[c].name);
			buf_add_str(&sql, " = ?");
		}
	buf_add_str(&sql, " WHERE id = ?");
	rc = buf_error(&sql) ? -1 : db_prepare(t->db, buf_cstr(&sql), &st);
	buf_free(&sql);
	for (c = 0, i = 1; c < P_END && rc == 0; c++)
		if (p->set & 1u << c)
			rc = bind_one(st, i++, pcols[c].type, p->s[c], p->v[c]);
	if (rc == 0)
		rc = db_bind_int64(st, i, p->id);
	if (rc == 0)
		rc = db_step_later(st);
	else if (st != NULL)
		db_finalize(st);
	if (rc == -1) {
		trace_sqlerr(t, "update");
		return -1;
	}
	p->set = 0;
	return 0;
}

/* The deferrals' names (struct dset). */

static void
dset_forget(struct trace *t)
{
	buf_reset(&t->dset.names);
	t->dset.ok = t->dset.tried = 0;
}

static int
dset_has(const struct dset *ds, const char *name)
{
	const char	*p = (const char *)ds->names.p;
	const char	*end = p + ds->names.len;

	for (; p < end; p += strlen(p) + 1)
		if (strcmp(p, name) == 0)
			return 1;
	return 0;
}

static int
dset_add(struct dset *ds, const char *name)
{
	return buf_add(&ds->names, name, strlen(name) + 1);
}

/* Read queue's names unless read (0), or -1 with the message. */
static int
dset_load(struct trace *t, const char *queue)
{
	struct dset	*ds = &t->dset;
	struct db_stmt	*st;
	const char	*n;
	int		 rc, k = 0;

	if (ds->tried && strcmp(ds->queue, queue) == 0)
		return 0;
	dset_forget(t);
	snprintf(ds->queue, sizeof(ds->queue), "%s", queue);
	ds->tried = 1;
	if (stmt_prep(t, &st, "SELECT name FROM deferral WHERE queue = ?"
	    " LIMIT ?", NOT_TRACE "si", queue, DSET_MAX + 1) == -1)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && ++k <= DSET_MAX)
		if ((n = db_column_text(st, 0)) != NULL &&
		    dset_add(ds, n) == -1)
			break;
	if (rc != DB_ROW && rc != DB_DONE)
		trace_sqlerr(t, "deferrals");
	else if (buf_error(&ds->names))
		trace_seterr(t, "deferrals: %s", strerror(ENOMEM));
	db_finalize(st);
	if ((rc != DB_ROW && rc != DB_DONE) || buf_error(&ds->names)) {
		dset_forget(t);
		return -1;
	}
	ds->ok = k <= DSET_MAX;
	if (!ds->ok)
		buf_reset(&ds->names);
	return 0;
}

/* Transactions. */

int
trace_set_busy(struct trace *t, int ms)
{
	return db_set_busy(t->db, ms);
}

/*
 * Transactions nest: the outermost is a write transaction with the write
 * lock taken up front (db_begin) ... COMMIT; inner ones are savepoints,
 * so a caller can group several API calls into one transaction
 * (trace_batch_begin) and pay one commit (one fsync) for all of them.
 */
static int
tx_begin(struct trace *t)
{
	if (t->depth > 0) {	/* PostgreSQL: sent with the next statement */
		if (pending_flush(t) == -1)
			return -1;
		if (db_exec_later(t->db, "SAVEPOINT trace_sp") == -1) {
			trace_sqlerr(t, "savepoint");
			return -1;
		}
		t->depth++;
		return 0;
	}
	if (db_begin(t->db, DB_TX_WRITE) == -1) {
		trace_sqlerr(t, "begin immediate");
		return -1;
	}
	t->depth = 1;
	return 0;
}

/*
 * PostgreSQL, inside a transaction, for a call that only sends writes in
 * the pipeline (what it checks, t->known answers): no savepoint. One
 * there would protect nothing: a write sent later fails at the next
 * round trip, outside the call, and aborts the transaction, which its
 * caller rolls back; a check that fails does so before any write.
 * Saves the server a subtransaction (SAVEPOINT, RELEASE) per call.
 */
static int
tx_begin_bare(struct trace *t, int bare)
{
	if (!bare || t->depth < 1 || t->bare != 0 || db_kind(t->db) != DB_PG)
		return tx_begin(t);
	t->bare = ++t->depth;	/* such a call begins no other level */
	return 0;
}

/* Whether the innermost level is the bare one (and leave it). */
static int
tx_leave_bare(struct trace *t)
{
	if (t->bare == 0 || t->bare != t->depth)
		return 0;
	t->bare = 0;
	t->depth--;
	return 1;
}

/* The outermost transaction is over: what it knew goes with it. */
static void
tx_ended(struct trace *t)
{
	t->depth = 0;
	t->bare = 0;
	known_forget(t);
	t->known.pend.set = 0;
	dset_forget(t);
}

static int
tx_commit(struct trace *t)
{
	if (tx_leave_bare(t))
		return 0;
	if (t->depth > 1) {
		if (db_exec_later(t->db, "RELEASE trace_sp") == -1) {
			trace_sqlerr(t, "release");
			return -1;
		}
		t->depth--;
		return 0;
	}
	if (pending_flush(t) == -1)
		return -1;
	if (db_commit(t->db) == -1) {
		trace_sqlerr(t, "commit");
		return -1;
	}
	tx_ended(t);
	return 0;
}

/* Roll back, keeping the message of the failure that led here. */
static void
tx_rollback(struct trace *t)
{
	char	 saved[sizeof(t->err)];
	int	 temp = t->temp;

	known_forget(t);
	if (tx_leave_bare(t))
		return;		/* the pending changes of the calls before */
	t->known.pend.set = 0;
	if (!db_in_tx(t->db)) {
		tx_ended(t);
		return;
	}
	memcpy(saved, t->err, sizeof(saved));
	if (t->depth > 1) {
		(void)stmt_exec(t, "rollback", "ROLLBACK TO trace_sp", "");
		(void)stmt_exec(t, "release", "RELEASE trace_sp", "");
		t->depth--;
	} else {
		(void)db_rollback(t->db);
		tx_ended(t);
	}
	memcpy(t->err, saved, sizeof(saved));
	t->temp = temp;
}

int
trace_batch_begin(struct trace *t)
{
	return tx_begin(t);
}

int
trace_batch_commit(struct trace *t)
{
	return tx_commit(t);
}

void
trace_batch_rollback(struct trace *t)
{
	tx_rollback(t);
}

int
trace_batch_depth(const struct trace *t)
{
	return t->depth;
}

/* A read snapshot for several statements, unless one is already open. */
static int
rd_begin(struct trace *t, int *began)
{
	*began = 0;
	if (db_in_tx(t->db))
		return 0;
	if (db_begin(t->db, DB_TX_READ) == -1) {
		trace_sqlerr(t, "begin");
		return -1;
	}
	*began = 1;
	return 0;
}

static void
rd_end(struct trace *t, int began)
{
	if (!began || !db_in_tx(t->db))
		return;
	if (db_commit(t->db) == -1)	/* a read: nothing to lose */
		(void)db_rollback(t->db);
}

/* Open and migrate. */

static int
trace_user_version(struct trace *t, int64_t *v)
{
	if (db_schema_version(t->db, v) == -1) {
		trace_sqlerr(t, "user_version");
		return -1;
	}
	return 0;
}

static int
trace_migrate(struct trace *t)
{
	int64_t	 v;
	size_t	 i;

	if (trace_user_version(t, &v) == -1)
		return -1;
	if (v == TRACE_SCHEMA_VERSION)
		return 0;
	if (tx_begin(t) == -1)
		return -1;
	if (trace_user_version(t, &v) == -1)	/* again, under the lock */
		goto fail;
	if (v < 0 || v > TRACE_SCHEMA_VERSION) {
		trace_seterr(t, "database schema version %lld, this program "
		    "knows versions up to %d", (long long)v,
		    TRACE_SCHEMA_VERSION);
		goto fail;
	}
	for (i = (size_t)v; i < NMIGRATIONS; i++) {
		if (db_exec(t->db, db_kind(t->db) == DB_PG &&
		    trace_migrations_pg[i] != NULL ? trace_migrations_pg[i] :
		    trace_migrations[i]) == -1) {
			trace_seterr(t, "migration %zu to %zu: %s", i, i + 1,
			    db_error(t->db));
			goto fail;
		}
	}
	if (db_set_schema_version(t->db, TRACE_SCHEMA_VERSION) == -1) {
		trace_sqlerr(t, "set user_version");
		goto fail;
	}
	return tx_commit(t);
fail:
	tx_rollback(t);
	return -1;
}

int
trace_check(struct trace *t)
{
	if (db_check(t->db) == -1) {
		trace_seterr(t, "%s", db_error(t->db));
		t->temp = db_temporary(t->db);
		return -1;
	}
	return 0;
}

int
trace_open(const char *spec, int busy_ms, struct trace **tp, char *err,
    size_t errlen)
{
	struct trace	*t;
	int		 temp;

	*tp = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(err, errlen, "%s: %s", spec, strerror(errno));
		return -1;
	}
	buf_init(&t->known.out);
	buf_init(&t->dset.names);
	if (db_open(spec, busy_ms > 0 ? busy_ms : TRACE_BUSY_MS, &t->db, err,
	    errlen, &temp) == -1) {
		free(t);
		return -1;
	}
	if (trace_migrate(t) == -1) {
		snprintf(err, errlen, "%s: %s", spec, t->err);
		trace_close(t);
		return -1;
	}
	*tp = t;
	return 0;
}

void
trace_close(struct trace *t)
{
	if (t == NULL)
		return;
	known_forget(t);
	free(t->known.rcpt);
	buf_free(&t->known.out);
	buf_free(&t->dset.names);
	db_close(t->db);
	free(t);
}

int
trace_is_postgresql(const struct trace *t)
{
	return db_kind(t->db) == DB_PG;
}

int
trace_schema_version(struct trace *t)
{
	int64_t	 v;

	if (trace_user_version(t, &v) == -1)
		return -1;
	return (int)v;
}

/* Validation of what callers hand in. */

static int
str_ok(struct trace *t, const char *what, const char *s, size_t sz)
{
	if (s != NULL && memchr(s, '\0', sz) == NULL) {
		trace_seterr(t, "%s: longer than %zu octets", what, sz - 1);
		return 0;
	}
	return 1;
}

#define STR_OK(t, what, f) str_ok((t), (what), (f), sizeof(f))

static int
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* 1: complete, 0: all empty, -1: partial or too long. */
static int
oftp_id_check(struct trace *t, const struct trace_oftp_id *o)
{
	int	 n;

	if (!STR_OK(t, "DSN", o->dsn) || !STR_OK(t, "date", o->date) ||
	    !STR_OK(t, "time", o->time) ||
	    !STR_OK(t, "originator", o->orig) ||
	    !STR_OK(t, "destination", o->dest))
		return -1;
	n = !empty(o->dsn) + !empty(o->date) + !empty(o->time) +
	    !empty(o->orig) + !empty(o->dest);
	if (n == 0)
		return 0;
	if (n != 5) {
		trace_seterr(t, "OFTP identity incomplete (DSN, date, time, "
		    "originator and destination are all needed)");
		return -1;
	}
	return 1;
}

static int
hash_check(struct trace *t, const char *alg, const char *hex)
{
	size_t	 n;

	if (empty(alg) != empty(hex)) {
		trace_seterr(t, "hash and hash algorithm go together");
		return -1;
	}
	if (empty(hex))
		return 0;
	if (strlen(alg) >= TRACE_HASHALG_SZ) {
		trace_seterr(t, "hash algorithm name too long");
		return -1;
	}
	n = strlen(hex);
	if (n >= TRACE_HASH_SZ || n % 2 != 0 ||
	    strspn(hex, "0123456789abcdef") != n) {
		trace_seterr(t, "hash: not an even number of lower-case "
		    "hex digits, at most %d", TRACE_HASH_SZ - 1);
		return -1;
	}
	return 0;
}

static int
row_check(struct trace *t, const struct trace_row *r)
{
	if (r->dir != TRACE_OFTP2X400 && r->dir != TRACE_X4002OFTP) {
		trace_seterr(t, "bad direction %d", (int)r->dir);
		return -1;
	}
	if (r->rcpt < 0) {
		trace_seterr(t, "bad recipient number %lld", (long long)r->rcpt);
		return -1;
	}
	if (r->eerp_mode < 0 || r->eerp_mode > 3) {
		trace_seterr(t, "bad EERP mode %d", r->eerp_mode);
		return -1;
	}
	if (!STR_OK(t, "partner", r->partner) ||
	    !STR_OK(t, "MTS identifier", r->mts_id) ||
	    !STR_OK(t, "IPM identifier", r->ipm_id) ||
	    !STR_OK(t, "EDIM identifier", r->edim_id) ||
	    !STR_OK(t, "hash algorithm", r->hash_alg) ||
	    !STR_OK(t, "hash", r->hash) ||
	    !STR_OK(t, "input file", r->in_file) ||
	    !STR_OK(t, "output file", r->out_file) ||
	    !STR_OK(t, "report file", r->ack_file) ||
	    !STR_OK(t, "X.400 originator", r->x400_orig))
		return -1;
	if (oftp_id_check(t, &r->oftp) == -1)
		return -1;
	if (hash_check(t, r->hash_alg, r->hash) == -1)
		return -1;
	return 0;
}

static int
arg_ok(struct trace *t, const char *what, const char *s, size_t sz)
{
	if (s != NULL && strlen(s) >= sz) {
		trace_seterr(t, "%s: longer than %zu octets", what, sz - 1);
		return 0;
	}
	return 1;
}

/* Reading rows. */

static int
col_copy(struct trace *t, struct db_stmt *st, int col, char *dst, size_t sz)
{
	const char	*s = db_column_text(st, col);
	size_t		 n = db_column_bytes(st, col);

	dst[0] = '\0';
	if (s == NULL)
		return 0;
	if (n >= sz) {
		trace_seterr(t, "column %s: %zu octets, room for %zu",
		    db_column_name(st, col), n, sz - 1);
		return -1;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

#define COL_COPY(t, st, col, f) col_copy((t), (st), (col), (f), sizeof(f))

static int
col_state(struct trace *t, struct db_stmt *st, int col, enum trace_state *s)
{
	const char	*v = db_column_text(st, col);

	if (v == NULL || trace_state_parse(v, s) == -1) {
		trace_seterr(t, "unknown state \"%s\" in the database",
		    v != NULL ? v : "NULL");
		return -1;
	}
	return 0;
}

static int
row_load(struct trace *t, struct db_stmt *st, struct trace_row *r)
{
	const char	*d;

	memset(r, 0, sizeof(*r));
	r->id = db_column_int64(st, 0);
	d = db_column_text(st, 1);
	if (d == NULL || trace_dir_parse(d, &r->dir) == -1) {
		trace_seterr(t, "row %lld: unknown direction", (long long)r->id);
		return -1;
	}
	if (COL_COPY(t, st, 2, r->partner) == -1 ||
	    COL_COPY(t, st, 3, r->oftp.dsn) == -1 ||
	    COL_COPY(t, st, 4, r->oftp.date) == -1 ||
	    COL_COPY(t, st, 5, r->oftp.time) == -1 ||
	    COL_COPY(t, st, 6, r->oftp.orig) == -1 ||
	    COL_COPY(t, st, 7, r->oftp.dest) == -1 ||
	    COL_COPY(t, st, 8, r->mts_id) == -1 ||
	    COL_COPY(t, st, 9, r->ipm_id) == -1 ||
	    COL_COPY(t, st, 10, r->edim_id) == -1)
		return -1;
	r->eerp_mode = (int)db_column_int64(st, 11);
	r->eerp_signed = (int)db_column_int64(st, 12);
	r->dn_req = (int)db_column_int64(st, 13);
	r->rn_req = (int)db_column_int64(st, 14);
	r->nrcpt = (int)db_column_int64(st, 15);
	if (col_state(t, st, 16, &r->state) == -1)
		return -1;
	r->created = (time_t)db_column_int64(st, 17);
	r->updated = (time_t)db_column_int64(st, 18);
	r->deadline = (time_t)db_column_int64(st, 19);	/* NULL: 0 */
	if (COL_COPY(t, st, 20, r->hash_alg) == -1 ||
	    COL_COPY(t, st, 21, r->hash) == -1 ||
	    COL_COPY(t, st, 22, r->in_file) == -1 ||
	    COL_COPY(t, st, 23, r->out_file) == -1 ||
	    COL_COPY(t, st, 24, r->ack_file) == -1 ||
	    COL_COPY(t, st, 25, r->note) == -1 ||
	    COL_COPY(t, st, 26, r->x400_orig) == -1)
		return -1;
	r->no_ndr = (int)db_column_int64(st, 27);
	r->edin_req = (unsigned)(int)db_column_int64(st, 28);
	if (COL_COPY(t, st, 29, r->edin_sent) == -1)
		return -1;
	r->ctype = (int)db_column_int64(st, 30);
	r->rcpt = db_column_int64(st, 31);
	return 0;
}

/* Step st to its end, calling cb per row; cb's non-zero value stops. */
static int
rows_each(struct trace *t, struct db_stmt *st, trace_row_cb cb, void *arg)
{
	struct trace_row	*r;
	int			 rc, ret = 0;

	if ((r = malloc(sizeof(*r))) == NULL) {
		trace_seterr(t, "%s", strerror(errno));
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		if (row_load(t, st, r) == -1) {
			ret = -1;
			break;
		}
		if ((ret = cb(r, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != DB_DONE) {
		trace_sqlerr(t, "select");
		ret = -1;
	}
	free(r);
	return ret;
}

/* rows_each() in a read snapshot; st is finalised, whatever the result. */
static int
rows_each_read(struct trace *t, struct db_stmt *st, trace_row_cb cb, void *arg)
{
	int	 rc, began;

	if (rd_begin(t, &began) == -1) {
		db_finalize(st);
		return -1;
	}
	db_stream(st);		/* a million rows are not held at once */
	rc = rows_each(t, st, cb, arg);
	db_finalize(st);
	rd_end(t, began);
	return rc;
}

/* The first row of st, whose first db_step() gave rc; st finalized. */
static int
row_got(struct trace *t, struct db_stmt *st, int rc, struct trace_row *r)
{
	if (rc == DB_ROW) {
		rc = row_load(t, st, r) == -1 ? -1 : 1;
		if (rc == 1 && t->depth > 0)	/* under the write lock */
			known_row(t, r->id, r->state, r->deadline,
			    r->updated, r->eerp_mode);
	} else if (rc == DB_DONE)
		rc = 0;
	else {
		trace_sqlerr(t, "select");
		rc = -1;
	}
	db_finalize(st);
	return rc;
}

static int
row_first(struct trace *t, struct db_stmt *st, struct trace_row *r)
{
	return row_got(t, st, db_step(st), r);
}

int
trace_get(struct trace *t, int64_t id, struct trace_row *r)
{
	struct db_stmt	*st;

	if (stmt_prep(t, &st, "SELECT " ROW_COLS " FROM trace t"
	    " WHERE t.id = ?", "I", id) == -1)
		return -1;
	return row_first(t, st, r);
}

int
trace_find_by_oftp(struct trace *t, enum trace_dir dir,
    const struct trace_oftp_id *o, struct trace_row *r)
{
	struct db_stmt	*st;
	int		 rc;

	if ((rc = oftp_id_check(t, o)) != 1) {
		if (rc == 0)
			trace_seterr(t, "find: empty OFTP identity");
		return -1;
	}
	if (stmt_prep(t, &st, "SELECT " ROW_COLS " FROM trace t"
	    " WHERE t.dir = ? AND t.oftp_dsn = ? AND t.oftp_date = ?"
	    " AND t.oftp_time = ? AND t.oftp_orig = ? AND t.oftp_dest = ?",
	    "ssssss", trace_dir_name(dir), o->dsn, o->date, o->time, o->orig,
	    o->dest) == -1)
		return -1;
	return row_first(t, st, r);
}

/*
 * The row an answer is about, by each key (which, and the latest first):
 * its lookup, and its recipients and outputs by the same key; constant
 * texts, made once here.
 */
#define FIND_ROW(where, order) "SELECT " ROW_COLS " FROM trace t WHERE " \
	where " ORDER BY " order " LIMIT 1"
#define FIND_SUB(where, order) "(SELECT t.id FROM trace t WHERE " where \
	" ORDER BY " order " LIMIT 1)"
#define FIND_RCPT(where, order) RCPT_COLS FIND_SUB(where, order) \
	" UNION ALL " OUT_COLS FIND_SUB(where, order) " ORDER BY 1, 2"
#define FIND_KEY(what, where, order) \
	{ what, FIND_ROW(where, order), FIND_RCPT(where, order) }
static const struct find_key {
	const char	*what, *row, *rcpt;
} find_keys[] = {
	[TRACE_KEY_MTS] = FIND_KEY("MTS identifier",
	    "t.mts_id = ? AND t.dir = ?", "t.rcpt, t.id"),
	[TRACE_KEY_IPM] = FIND_KEY("IPM identifier",
	    "t.ipm_id = ? AND t.dir = ?", "t.id DESC"),
	[TRACE_KEY_EDIM] = FIND_KEY("EDIM identifier",
	    "t.edim_id = ? AND t.dir = ?", "t.id DESC"),
};

static int rcpt_rows(struct trace *, struct db_stmt *, int64_t, int, int,
    trace_rcpt_cb, void *);

/*
 * The row by key k; with cb, its recipients too. In a write transaction
 * (no other writer between two statements) they are read by the same key
 * in the same round trip, with the row's outputs, as trace_recipients()
 * of a known row does; else after the row, by its id.
 */
static int
find_by_key(struct trace *t, enum trace_key k, enum trace_dir dir,
    const char *v, struct trace_row *r, trace_rcpt_cb cb, void *arg)
{
	const struct find_key *f = &find_keys[k];
	struct db_stmt	*st, *rs;
	const char	*d = trace_dir_name(dir);
	int		 rc;

	if (empty(v)) {
		trace_seterr(t, "find: empty %s", f->what);
		return -1;
	}
	if (stmt_prep(t, &st, f->row, "ss", v, d) == -1)
		return -1;
	if (cb == NULL || t->depth == 0) {
		if ((rc = row_first(t, st, r)) == 1 && cb != NULL &&
		    trace_recipients(t, r->id, cb, arg) != 0)
			rc = -1;
		return rc;
	}
	if (stmt_prep(t, &rs, f->rcpt, "ssss", v, d, v, d) == -1) {
		db_finalize(st);
		return -1;
	}
	if ((rc = row_got(t, st, db_step_with(st, rs), r)) != 1) {
		db_finalize(rs);
		return rc;
	}
	return rcpt_rows(t, rs, r->id, 1, 1, cb, arg) != 0 ? -1 : 1;
}

int
trace_find_by_mts_id(struct trace *t, enum trace_dir dir, const char *v,
    struct trace_row *r)
{
	return find_by_key(t, TRACE_KEY_MTS, dir, v, r, NULL, NULL);
}

int
trace_list_message(struct trace *t, enum trace_dir dir, const char *mts_id,
    trace_row_cb cb, void *arg)
{
	struct db_stmt	*st;

	if (empty(mts_id)) {
		trace_seterr(t, "list: empty MTS identifier");
		return -1;
	}
	if (stmt_prep(t, &st, "SELECT " ROW_COLS " FROM trace t"
	    " WHERE t.mts_id = ? AND t.dir = ? ORDER BY t.rcpt, t.id", "ss",
	    mts_id, trace_dir_name(dir)) == -1)
		return -1;
	return rows_each_read(t, st, cb, arg);
}

int
trace_find_by_ipm_id(struct trace *t, enum trace_dir dir, const char *v,
    struct trace_row *r)
{
	return find_by_key(t, TRACE_KEY_IPM, dir, v, r, NULL, NULL);
}

int
trace_find_by_edim_id(struct trace *t, enum trace_dir dir, const char *v,
    struct trace_row *r)
{
	return find_by_key(t, TRACE_KEY_EDIM, dir, v, r, NULL, NULL);
}

int
trace_find_rcpt(struct trace *t, enum trace_key k, enum trace_dir dir,
    const char *v, struct trace_row *r, trace_rcpt_cb cb, void *arg)
{
	return find_by_key(t, k, dir, v, r, cb, arg);
}

/* Begin: find the row of this input or make it. */

enum begin_key { KEY_OFTP, KEY_MTS };

static int
trace_begin(struct trace *t, enum begin_key key, const struct trace_row *in,
    time_t now, int64_t *idp, int *createdp)
{
	const struct trace_oftp_id *o = &in->oftp;
	int64_t		 id = 0, rcpt = in->dir == TRACE_X4002OFTP ? in->rcpt : 0;
	int		 found, has_oftp;

	*idp = 0;
	*createdp = 0;
	if (row_check(t, in) == -1)
		return -1;
	has_oftp = oftp_id_check(t, o);
	if (key == KEY_OFTP && has_oftp != 1) {
		trace_seterr(t, "begin: the OFTP identity is needed");
		return -1;
	}
	if (key == KEY_MTS && empty(in->mts_id)) {
		trace_seterr(t, "begin: the MTS identifier is needed");
		return -1;
	}
	if (tx_begin(t) == -1)
		return -1;
	known_forget(t);	/* a redo rewrites a row */
	/* A new row (the usual case: one round trip), or the input's own. */
	found = stmt_int64(t, "begin: insert", &id, "INSERT INTO trace (dir,"
	    " partner, oftp_dsn, oftp_date, oftp_time, oftp_orig,"
	    " oftp_dest, mts_id, ipm_id, edim_id, eerp_mode,"
	    " eerp_signed, dn_req, rn_req, state, created, updated,"
	    " hash_alg, hash, in_file, out_file, ack_file, x400_orig,"
	    " no_ndr, rcpt) VALUES"
	    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
	    "ssssssssssiiiisTTssssssiI",
	    trace_dir_name(in->dir), in->partner, o->dsn, o->date,
	    o->time, o->orig, o->dest, in->mts_id, in->ipm_id,
	    in->edim_id, in->eerp_mode, in->eerp_signed != 0,
	    in->dn_req != 0, in->rn_req != 0,
	    trace_state_name(TRACE_S_RECEIVED), now, now,
	    in->hash_alg, in->hash, in->in_file, in->out_file,
	    in->ack_file, in->x400_orig, in->no_ndr != 0, rcpt);
	if (found == 1) {
		if (stmt_exec_later(t, "begin: history", "INSERT INTO"
		    " trace_history (trace_id, time, state) VALUES (?, ?, ?)",
		    NOT_TRACE "ITs", id, now,
		    trace_state_name(TRACE_S_RECEIVED)) == -1)
			goto fail;
		*createdp = 1;
		/* new: no recipients, no outputs yet */
		known_row(t, id, TRACE_S_RECEIVED, 0, now, in->eerp_mode);
		t->known.rcpt_ok = t->known.out_ok = 1;
	} else if (found == 0) {
		/* A redo: refresh what the input says, keep the rest. */
		if (key == KEY_OFTP)
			found = stmt_int64(t, "begin: lookup", &id, "SELECT id"
			    " FROM trace WHERE dir = ? AND oftp_dsn = ? AND"
			    " oftp_date = ? AND oftp_time = ? AND oftp_orig = ?"
			    " AND oftp_dest = ?", "ssssss",
			    trace_dir_name(in->dir), o->dsn, o->date, o->time,
			    o->orig, o->dest);
		else
			found = stmt_int64(t, "begin: lookup", &id, "SELECT id"
			    " FROM trace WHERE dir = ? AND mts_id = ? AND"
			    " rcpt = ?", "ssI", trace_dir_name(in->dir),
			    in->mts_id, rcpt);
		if (found == -1)
			goto fail;
		if (found == 0) {	/* the other key is another's */
			trace_seterr(t, "begin: another transaction has the"
			    " %s", key == KEY_OFTP ? "MTS identifier" :
			    "OFTP identity");
			goto fail;
		}
		if (stmt_exec(t, "begin: update", "UPDATE trace SET"
		    " partner = coalesce(?, partner),"
		    " oftp_dsn = coalesce(?, oftp_dsn),"
		    " oftp_date = coalesce(?, oftp_date),"
		    " oftp_time = coalesce(?, oftp_time),"
		    " oftp_orig = coalesce(?, oftp_orig),"
		    " oftp_dest = coalesce(?, oftp_dest),"
		    " mts_id = coalesce(?, mts_id),"
		    " ipm_id = coalesce(?, ipm_id),"
		    " edim_id = coalesce(?, edim_id),"
		    " eerp_mode = ?, eerp_signed = ?, dn_req = ?, rn_req = ?,"
		    " hash_alg = coalesce(?, hash_alg),"
		    " hash = coalesce(?, hash),"
		    " in_file = coalesce(?, in_file),"
		    " out_file = coalesce(?, out_file),"
		    " ack_file = coalesce(?, ack_file),"
		    " x400_orig = coalesce(?, x400_orig), no_ndr = ?,"
		    " updated = ? WHERE id = ?", "sssssssssiiiissssssiTI",
		    in->partner, o->dsn, o->date, o->time, o->orig, o->dest,
		    in->mts_id, in->ipm_id, in->edim_id, in->eerp_mode,
		    in->eerp_signed != 0, in->dn_req != 0, in->rn_req != 0,
		    in->hash_alg, in->hash, in->in_file, in->out_file,
		    in->ack_file, in->x400_orig, in->no_ndr != 0, now,
		    id) == -1)
			goto fail;
	}
	if (found == -1)
		goto fail;
	if (tx_commit(t) == -1)
		goto fail;
	*idp = id;
	return 0;
fail:
	tx_rollback(t);
	*createdp = 0;
	return -1;
}

int
trace_begin_oftp(struct trace *t, const struct trace_row *in, time_t now,
    int64_t *idp, int *createdp)
{
	return trace_begin(t, KEY_OFTP, in, now, idp, createdp);
}

int
trace_begin_x400(struct trace *t, const struct trace_row *in, time_t now,
    int64_t *idp, int *createdp)
{
	return trace_begin(t, KEY_MTS, in, now, idp, createdp);
}

/* Recording. */

/*
 * In a write transaction: row id known (t->known), read unless it is
 * (1); 0 with a message when there is none.
 */
static int
row_known(struct trace *t, int64_t id)
{
	struct db_stmt	*st;
	enum trace_state s;
	int		 rc;

	if (id != 0 && t->known.id == id)
		return 1;
	if (stmt_prep(t, &st, "SELECT state, deadline, updated, eerp_mode"
	    " FROM trace WHERE id = ?", "I", id) == -1)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		rc = col_state(t, st, 0, &s) == -1 ? -1 : 1;
		if (rc == 1)
			known_row(t, id, s, (time_t)db_column_int64(st, 1),
			    (time_t)db_column_int64(st, 2),
			    (int)db_column_int64(st, 3));
	} else if (rc == DB_DONE) {
		trace_seterr(t, "transaction %lld not found", (long long)id);
		rc = 0;
	} else {
		trace_sqlerr(t, "select state");
		rc = -1;
	}
	db_finalize(st);
	return rc;
}

int
trace_record_state(struct trace *t, int64_t id, enum trace_state to,
    time_t now, time_t deadline, const char *note)
{
	struct known	*k = &t->known;

	if (to <= TRACE_S_NONE || to >= TRACE_S_COUNT) {
		trace_seterr(t, "record state: bad state %d", (int)to);
		return -1;
	}
	if (!arg_ok(t, "note", note, TRACE_NOTE_SZ))
		return -1;
	if (tx_begin_bare(t, id != 0 && k->id == id) == -1)
		return -1;
	if (row_known(t, id) != 1)
		goto fail;
	if (k->state == to)		/* a redo: nothing to change */
		goto done;
	if (!trace_state_next_ok(k->state, to)) {
		trace_seterr(t, "transaction %lld: %s -> %s is not allowed",
		    (long long)id, trace_state_name(k->state),
		    trace_state_name(to));
		goto fail;
	}
	if (!trace_state_waiting(to))
		deadline = 0;
	else if (deadline == TRACE_DEADLINE_KEEP)
		deadline = k->deadline;
	if (stmt_exec_later(t, "record state: history", "INSERT INTO trace_history"
	    " (trace_id, time, state, note) VALUES (?, ?, ?, ?)", NOT_TRACE
	    "ITss", id, now, trace_state_name(to), note) == -1 ||
	    pending_for(t, id) == -1)
		goto fail;
	pend_text(t, P_STATE, trace_state_name(to));
	pend_int(t, P_DEADLINE, deadline);
	pend_text(t, P_NOTE, note);
	pend_int(t, P_UPDATED, now);
	k->state = to;
	k->deadline = deadline;
	k->updated = now;
done:
	if (tx_commit(t) == -1)
		goto fail;
	return 0;
fail:
	tx_rollback(t);
	return -1;
}

/*
 * The time of the last change of the known row id is now (pending),
 * unless the transaction knows it is now already.
 */
static int
touch(struct trace *t, int64_t id, time_t now)
{
	if (t->known.updated == now)
		return 0;
	if (pending_for(t, id) == -1)
		return -1;
	pend_int(t, P_UPDATED, now);
	t->known.updated = now;
	return 0;
}

/*
 * Columns of row id changed (pending), in its own transaction, and its
 * time of the last change now; the row must exist. After now: pairs of
 * an enum pcol and its value (const char * or int, as pcols says), then
 * P_END.
 */
static int
update_row(struct trace *t, int64_t id, time_t now, ...)
{
	va_list		 ap;
	int		 c;

	if (tx_begin_bare(t, id != 0 && t->known.id == id) == -1)
		return -1;
	if (row_known(t, id) != 1 || pending_for(t, id) == -1)
		goto fail;
	va_start(ap, now);
	while ((c = va_arg(ap, int)) != P_END)
		if (pcols[c].type == 's')
			pend_text(t, c, va_arg(ap, const char *));
		else
			pend_int(t, c, va_arg(ap, int));
	va_end(ap);
	if (touch(t, id, now) == -1 || tx_commit(t) == -1)
		goto fail;
	return 0;
fail:
	tx_rollback(t);
	return -1;
}

int
trace_record_oftp_id(struct trace *t, int64_t id,
    const struct trace_oftp_id *o, time_t now)
{
	int64_t	 n;
	int	 rc;

	if ((rc = oftp_id_check(t, o)) != 1) {
		if (rc == 0)
			trace_seterr(t, "record OFTP identity: empty");
		return -1;
	}
	if (tx_begin(t) == -1)
		return -1;
	if (stmt_int64(t, "OFTP identity taken", &n, "SELECT count(*) FROM"
	    " trace WHERE dir = (SELECT dir FROM trace WHERE id = ?) AND"
	    " oftp_dsn = ? AND oftp_date = ? AND oftp_time = ? AND"
	    " oftp_orig = ? AND oftp_dest = ? AND id <> ?", "IsssssI", id,
	    o->dsn, o->date, o->time, o->orig, o->dest, id) != 1)
		goto fail;
	if (n > 0) {
		trace_seterr(t, "OFTP identity %s %s %s %s %s: taken by "
		    "another transaction", o->dsn, o->date, o->time, o->orig,
		    o->dest);
		tx_rollback(t);
		return 1;
	}
	if (update_row(t, id, now, P_DSN, o->dsn, P_DATE, o->date, P_TIME,
	    o->time, P_ORIG, o->orig, P_DEST, o->dest, P_END) == -1 ||
	    tx_commit(t) == -1)
		goto fail;
	return 0;
fail:
	tx_rollback(t);
	return -1;
}

int
trace_record_x400_id(struct trace *t, int64_t id, const char *mts_id,
    const char *ipm_id, const char *edim_id, time_t now)
{
	if (!arg_ok(t, "MTS identifier", mts_id, TRACE_MTSID_SZ) ||
	    !arg_ok(t, "IPM identifier", ipm_id, TRACE_MSGID_SZ) ||
	    !arg_ok(t, "EDIM identifier", edim_id, TRACE_MSGID_SZ))
		return -1;
	return update_row(t, id, now, P_MTS, mts_id, P_IPM, ipm_id, P_EDIM,
	    edim_id, P_END);
}

int
trace_record_hash(struct trace *t, int64_t id, const char *alg,
    const char *hex, time_t now)
{
	if (hash_check(t, alg, hex) == -1)
		return -1;
	if (empty(hex)) {
		trace_seterr(t, "record hash: empty");
		return -1;
	}
	return update_row(t, id, now, P_HASHALG, alg, P_HASH, hex, P_END);
}

int
trace_record_files(struct trace *t, int64_t id, const char *in_file,
    const char *out_file, const char *ack_file, time_t now)
{
	if (!arg_ok(t, "input file", in_file, TRACE_FILE_SZ) ||
	    !arg_ok(t, "output file", out_file, TRACE_FILE_SZ) ||
	    !arg_ok(t, "report file", ack_file, TRACE_FILE_SZ))
		return -1;
	return update_row(t, id, now, P_IN, in_file, P_OUT, out_file, P_ACK,
	    ack_file, P_END);
}

int
trace_record_originator(struct trace *t, int64_t id, const char *orig,
    int no_ndr, time_t now)
{
	if (!arg_ok(t, "X.400 originator", orig, TRACE_ORADDR_SZ))
		return -1;
	return update_row(t, id, now, P_XORIG, orig, P_NONDR, no_ndr != 0,
	    P_END);
}

int
trace_record_edin_req(struct trace *t, int64_t id, unsigned req, time_t now)
{
	return update_row(t, id, now, P_EDINREQ, (int)(req & 7), P_END);
}

int
trace_record_ctype(struct trace *t, int64_t id, int ctype, time_t now)
{
	if (ctype < 0 || ctype > 32767) {	/* X.411 ub-built-in-content-type */
		trace_seterr(t, "record content type: %d is no built-in "
		    "content type", ctype);
		return -1;
	}
	return update_row(t, id, now, P_CTYPE, ctype, P_END);
}

int
trace_record_edin_sent(struct trace *t, int64_t id, const char *kind,
    time_t now)
{
	if (!arg_ok(t, "EDIN kind", kind, TRACE_EDIN_SZ))
		return -1;
	return update_row(t, id, now, P_EDINSENT, kind, P_END);
}

int
trace_record_recipients(struct trace *t, int64_t id,
    const char *const *addr, size_t n, time_t now)
{
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (empty(addr[i])) {
			trace_seterr(t, "recipient %zu: empty address", i + 1);
			return -1;
		}
		if (!arg_ok(t, "recipient address", addr[i], TRACE_MSGID_SZ))
			return -1;
	}
	if (tx_begin_bare(t, id != 0 && t->known.id == id) == -1)
		return -1;
	if (row_known(t, id) != 1)
		goto fail;
	known_rcpt_drop(&t->known);	/* listed again when wanted */
	for (i = 0; i < n; i++)
		if (stmt_exec_later(t, "record recipient", "INSERT INTO"
		    " trace_recipient (trace_id, seq, address) VALUES (?,"
		    " (SELECT coalesce(max(seq), 0) + 1 FROM trace_recipient"
		    " WHERE trace_id = ?), ?) ON CONFLICT DO NOTHING", NOT_TRACE
		    "IIs", id, id, addr[i]) == -1)
			goto fail;
	if (touch(t, id, now) == -1)
		goto fail;
	if (tx_commit(t) == -1)
		goto fail;
	return 0;
fail:
	tx_rollback(t);
	return -1;
}

/* pending < delivered < read, notread, nondelivered */
static int
outcome_rank(enum trace_outcome o)
{
	switch (o) {
	case TRACE_R_PENDING:
		return 0;
	case TRACE_R_DELIVERED:
		return 1;
	default:
		return 2;
	}
}

static int
outcome_positive(enum trace_outcome o, int eerp_mode)
{
	if (eerp_mode == 3)
		return o == TRACE_R_READ;
	return o == TRACE_R_DELIVERED || o == TRACE_R_READ ||
	    o == TRACE_R_NOTREAD;
}

static int
outcome_negative(enum trace_outcome o, int eerp_mode)
{
	if (eerp_mode == 3)
		return o == TRACE_R_NONDELIVERED || o == TRACE_R_NOTREAD;
	return o == TRACE_R_NONDELIVERED;
}

/* The verdict of the known recipients' outcomes. */
static enum trace_verdict
known_verdict(const struct known *k)
{
	size_t	 i, npos = 0, nneg = 0;

	for (i = 0; i < k->nrcpt; i++) {
		npos += outcome_positive(k->rcpt[i].o, k->eerp_mode);
		nneg += outcome_negative(k->rcpt[i].o, k->eerp_mode);
	}
	if (nneg > 0)
		return TRACE_V_NEGATIVE;
	return k->nrcpt > 0 && npos == k->nrcpt ? TRACE_V_POSITIVE :
	    TRACE_V_PENDING;
}

/* Callbacks for a listing made only to fill t->known. */
static int
rcpt_ignore(const struct trace_rcpt *r, void *arg)
{
	(void)r;
	(void)arg;
	return 0;
}

static int
output_ignore(const struct trace_output *o, void *arg)
{
	(void)o;
	(void)arg;
	return 0;
}

int
trace_record_outcome(struct trace *t, int64_t id, const char *addr,
    enum trace_outcome o, const char *diag, time_t now,
    enum trace_verdict *v)
{
	struct known	*k = &t->known;
	size_t		 i;

	*v = TRACE_V_PENDING;
	if ((unsigned)o >= NOUTCOMES || o == TRACE_R_PENDING) {
		trace_seterr(t, "record outcome: bad outcome %d", (int)o);
		return -1;
	}
	if (empty(addr)) {
		trace_seterr(t, "record outcome: empty recipient address");
		return -1;
	}
	if (!arg_ok(t, "diagnostic", diag, TRACE_NOTE_SZ))
		return -1;
	if (tx_begin_bare(t, id != 0 && k->id == id && k->rcpt_ok) == -1)
		return -1;
	if (row_known(t, id) != 1 || (!k->rcpt_ok && trace_recipients(t, id,
	    rcpt_ignore, NULL) != 0))
		goto fail;
	for (i = 0; i < k->nrcpt && strcmp(k->rcpt[i].addr, addr) != 0; i++)
		;
	if (i == k->nrcpt) {
		trace_seterr(t, "transaction %lld has no recipient %s",
		    (long long)id, addr);
		goto fail;
	}
	if (outcome_rank(o) > outcome_rank(k->rcpt[i].o)) {
		if (stmt_exec_later(t, "record outcome", "UPDATE trace_recipient SET"
		    " outcome = ?, time = ?, diag = ? WHERE trace_id = ?"
		    " AND address = ?", NOT_TRACE "sTsIs",
		    trace_outcome_name(o), now, diag, id, addr) == -1)
			goto fail;
		if (touch(t, id, now) == -1)
			goto fail;
		k->rcpt[i].o = o;
	}
	*v = known_verdict(k);
	if (tx_commit(t) == -1)
		goto fail;
	return 0;
fail:
	tx_rollback(t);
	*v = TRACE_V_PENDING;
	return -1;
}

/* Reading history, recipients, lists. */

int
trace_history(struct trace *t, int64_t id, trace_event_cb cb, void *arg)
{
	struct db_stmt		*st;
	struct trace_event	 e;
	int			 rc, ret = 0;

	if (stmt_prep(t, &st, "SELECT time, state, note FROM trace_history"
	    " WHERE trace_id = ? ORDER BY id", "I", id) == -1)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		memset(&e, 0, sizeof(e));
		e.trace_id = id;
		e.time = (time_t)db_column_int64(st, 0);
		if (col_state(t, st, 1, &e.state) == -1 ||
		    COL_COPY(t, st, 2, e.note) == -1) {
			ret = -1;
			break;
		}
		if ((ret = cb(&e, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != DB_DONE) {
		trace_sqlerr(t, "history");
		ret = -1;
	}
	db_finalize(st);
	return ret;
}

/*
 * The recipients of row id from st (whose rows are "0, seq, address,
 * outcome, time, diag", and with outs also its outputs, "1, seq, queue,
 * name, time, tmp"), each to cb; what the transaction knows of the row
 * (fill) keeps them. st finalized. 0, -1, or cb's nonzero value.
 */
static int
rcpt_rows(struct trace *t, struct db_stmt *st, int64_t id, int fill,
    int outs, trace_rcpt_cb cb, void *arg)
{
	struct trace_rcpt	*r;
	const char		*s, *q;
	int			 rc, ret = 0;

	if ((r = malloc(sizeof(*r))) == NULL) {
		trace_seterr(t, "%s", strerror(errno));
		db_finalize(st);
		return -1;
	}
	if (fill)
		known_rcpt_drop(&t->known);
	if (outs)
		buf_reset(&t->known.out);
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_column_int64(st, 0) == 1) {	/* an output */
			q = db_column_text(st, 2);
			s = db_column_text(st, 3);
			if ((ret = known_out_add(t, q != NULL ? q : "",
			    s != NULL ? s : "")) != 0)
				break;
			continue;
		}
		memset(r, 0, sizeof(*r));
		r->trace_id = id;
		r->seq = (int)db_column_int64(st, 1);
		s = db_column_text(st, 3);
		if (COL_COPY(t, st, 2, r->address) == -1 ||
		    COL_COPY(t, st, 5, r->diag) == -1) {
			ret = -1;
			break;
		}
		if (s == NULL || trace_outcome_parse(s, &r->outcome) == -1) {
			trace_seterr(t, "transaction %lld: unknown outcome",
			    (long long)id);
			ret = -1;
			break;
		}
		r->time = (time_t)db_column_int64(st, 4);
		if ((fill && (ret = known_rcpt_add(t, r->address,
		    r->outcome)) != 0) || (ret = cb(r, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != DB_DONE) {
		trace_sqlerr(t, "recipients");
		ret = -1;
	}
	db_finalize(st);
	free(r);
	if (fill && ret == 0)
		t->known.rcpt_ok = 1;
	else if (fill)
		known_rcpt_drop(&t->known);
	if (outs && ret == 0)
		t->known.out_ok = 1;
	else if (outs)
		buf_reset(&t->known.out);
	return ret;
}

/*
 * The recipients; in a write transaction that knows row id, they fill
 * what is known, and so do its outputs in the same statement (one round
 * trip) unless known already: a report asks for both.
 */
int
trace_recipients(struct trace *t, int64_t id, trace_rcpt_cb cb, void *arg)
{
	struct db_stmt	*st;
	int		 fill = t->depth > 0 && t->known.id == id;
	int		 outs = fill && !t->known.out_ok;

	if ((outs ? stmt_prep(t, &st, RCPT_COLS "? UNION ALL " OUT_COLS "?"
	    " ORDER BY 1, 2", NOT_TRACE "II", id, id) : stmt_prep(t, &st,
	    RCPT_COLS "? ORDER BY seq", NOT_TRACE "I", id)) == -1)
		return -1;
	return rcpt_rows(t, st, id, fill, outs, cb, arg);
}

/* " AND t.partner IN (NULL, ?, ...)" for a list of partners, or nothing. */
static void
only_sql(struct buf *sql, const char *const *only, size_t nonly)
{
	size_t	 n;

	if (only == NULL)
		return;
	buf_add_str(sql, " AND t.partner IN (NULL");
	for (n = 0; n < nonly; n++)
		buf_add_str(sql, ", ?");
	buf_add_str(sql, ")");
}

/* The sort keys of trace_search(), by enum trace_sort. */
static const char *const sort_cols[] = { "t.created", "t.updated",
	"t.partner", "t.state", "t.oftp_dsn" };

/*
 * The SELECT of trace_list() and trace_search(): constant fragments
 * only, every value a bound parameter (bound by query_bind()).
 */
static int
query_sql(struct trace *t, const struct trace_query *q, struct buf *sql)
{
	const struct trace_filter *f = &q->f;

	if ((f->state != TRACE_S_NONE && (unsigned)f->state >=
	    TRACE_S_COUNT) || (unsigned)q->sort >= sizeof(sort_cols) /
	    sizeof(sort_cols[0])) {
		trace_seterr(t, "list: bad state or sort key");
		return -1;
	}
	buf_add_str(sql, "SELECT " ROW_COLS " FROM trace t WHERE 1 = 1");
	if (f->dir != TRACE_DIR_ANY)
		buf_add_str(sql, " AND t.dir = ?");
	if (f->state != TRACE_S_NONE)
		buf_add_str(sql, " AND t.state = ?");
	if (f->since != 0)
		buf_add_str(sql, " AND t.created >= ?");
	if (f->until != 0)
		buf_add_str(sql, " AND t.created < ?");
	if (!empty(f->partner))
		buf_add_str(sql, " AND t.partner = ?");
	/* one index lookup each (an OR of the four would scan the table) */
	if (!empty(q->text))
		buf_add_str(sql, " AND t.id IN ("
		    "SELECT id FROM trace WHERE dir IN (?, ?) AND oftp_dsn = ?"
		    " UNION SELECT id FROM trace WHERE dir IN (?, ?) AND mts_id = ?"
		    " UNION SELECT id FROM trace WHERE ipm_id = ?"
		    " UNION SELECT id FROM trace WHERE edim_id = ?)");
	only_sql(sql, q->only, q->nonly);
	buf_add_str(sql, " ORDER BY ");
	buf_add_str(sql, sort_cols[q->sort]);
	buf_add_str(sql, q->desc ? " DESC, t.id DESC" : ", t.id");
	if (q->limit > 0)
		buf_add_str(sql, " LIMIT ? OFFSET ?");
	if (buf_error(sql)) {
		trace_seterr(t, "list: out of memory");
		return -1;
	}
	return 0;
}

static int
bind_text(struct db_stmt *st, int *i, const char *s)
{
	return db_bind_text(st, ++*i, s);
}

static int
query_bind(const struct trace_query *q, struct db_stmt *st)
{
	const struct trace_filter *f = &q->f;
	int	 i = 0, rc = 0, k;
	size_t	 n;

	if (f->dir != TRACE_DIR_ANY)
		rc = bind_text(st, &i, trace_dir_name(f->dir));
	if (f->state != TRACE_S_NONE && rc == 0)
		rc = bind_text(st, &i, trace_state_name(f->state));
	if (f->since != 0 && rc == 0)
		rc = db_bind_int64(st, ++i, (int64_t)f->since);
	if (f->until != 0 && rc == 0)
		rc = db_bind_int64(st, ++i, (int64_t)f->until);
	if (!empty(f->partner) && rc == 0)
		rc = bind_text(st, &i, f->partner);
	for (k = 0; !empty(q->text) && k < 6 && rc == 0; k++)
		rc = bind_text(st, &i, k == 0 || k == 3 ?
		    trace_dir_name(TRACE_OFTP2X400) : k == 1 || k == 4 ?
		    trace_dir_name(TRACE_X4002OFTP) : q->text);
	for (k = 0; !empty(q->text) && k < 2 && rc == 0; k++)
		rc = bind_text(st, &i, q->text);
	for (n = 0; q->only != NULL && n < q->nonly && rc == 0; n++)
		rc = bind_text(st, &i, q->only[n]);
	if (q->limit > 0 && rc == 0)
		rc = db_bind_int64(st, ++i, (int64_t)q->limit);
	if (q->limit > 0 && rc == 0)
		rc = db_bind_int64(st, ++i, (int64_t)q->offset);
	return rc;
}

int
trace_search(struct trace *t, const struct trace_query *q, trace_row_cb cb,
    void *arg)
{
	struct db_stmt	*st;
	struct buf	 sql;
	int		 rc;

	buf_init(&sql);
	if (query_sql(t, q, &sql) < 0) {
		buf_free(&sql);
		return -1;
	}
	rc = stmt_prep(t, &st, buf_cstr(&sql), "");
	buf_free(&sql);
	if (rc == -1)
		return -1;
	if (query_bind(q, st) != 0) {
		trace_sqlerr(t, "list: bind");
		db_finalize(st);
		return -1;
	}
	return rows_each_read(t, st, cb, arg);
}

int
trace_list(struct trace *t, const struct trace_filter *f, trace_row_cb cb,
    void *arg)
{
	struct trace_query q;

	memset(&q, 0, sizeof(q));
	if (f != NULL)
		q.f = *f;
	return trace_search(t, &q, cb, arg);
}

/* The number of transactions in a state, of the partners in only. */
int
trace_count_state(struct trace *t, enum trace_state state,
    const char *const *only, size_t nonly, uint64_t *count)
{
	struct db_stmt	*st;
	struct buf	 sql;
	size_t		 n;
	int		 rc, i = 0;

	buf_init(&sql);
	/* trace_total: kept by triggers (migration 11) */
	buf_add_str(&sql, "SELECT coalesce(sum(t.n), 0) FROM trace_total t"
	    " WHERE t.state = ?");
	only_sql(&sql, only, nonly);
	rc = buf_error(&sql) ? -1 : stmt_prep(t, &st, buf_cstr(&sql), "");
	buf_free(&sql);
	if (rc == -1)
		return -1;
	rc = bind_text(st, &i, trace_state_name(state));
	for (n = 0; only != NULL && n < nonly && rc == 0; n++)
		rc = bind_text(st, &i, only[n]);
	if (rc == 0 && (rc = db_step(st)) == DB_ROW)
		*count = (uint64_t)db_column_int64(st, 0);
	if (rc != DB_ROW)
		trace_sqlerr(t, "count");
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

/*
 * The SELECT of trace_counts(): the hours wholly inside the range from
 * trace_tally (kept by triggers, migration 11), the part of an hour at
 * either end from the rows themselves (both bounds, always: a range
 * closed on both sides is what makes SQLite take the index on created).
 */
static void
counts_sql(struct buf *sql, const char *const *only, size_t nonly)
{
	int	 i;

	buf_add_str(sql, "SELECT c.partner, c.state, sum(c.n) FROM ("
	    "SELECT t.partner, t.state, t.n FROM trace_tally t"
	    " WHERE t.hour >= ? AND t.hour < ?");
	only_sql(sql, only, nonly);
	for (i = 0; i < 2; i++) {
		buf_add_str(sql, " UNION ALL SELECT coalesce(t.partner, ''),"
		    " t.state, 1 FROM trace t"
		    " WHERE t.created >= ? AND t.created < ?");
		only_sql(sql, only, nonly);
	}
	buf_add_str(sql, ") c GROUP BY c.partner, c.state"
	    " HAVING sum(c.n) > 0 ORDER BY c.partner, c.state");
}

/*
 * The bounds of counts_sql(), in its order: whole hours [h0, h1) of
 * [since, until) and the seconds before and after them; all of it
 * from the rows when no whole hour fits (or before 1970).
 */
static void
counts_bounds(time_t since, time_t until, int64_t v[6])
{
	int64_t	 h0 = ((int64_t)since + 3599) / 3600, h1 = (int64_t)until / 3600;

	if (since < 0 || h0 >= h1) {
		v[0] = v[1] = v[4] = v[5] = 0;
		v[2] = since;
		v[3] = until;
		return;
	}
	v[0] = h0;
	v[1] = h1;
	v[2] = since;
	v[3] = h0 * 3600;
	v[4] = h1 * 3600;
	v[5] = until;
}

/*
 * The number of transactions by partner and state created in [since,
 * until), for the partners in only (NULL: all); partner "" for none.
 */
int
trace_counts(struct trace *t, time_t since, time_t until,
    const char *const *only, size_t nonly, trace_count_cb cb, void *arg)
{
	struct db_stmt	*st;
	struct buf	 sql;
	enum trace_state s;
	int64_t		 v[6];
	size_t		 n;
	int		 rc = 0, i = 0, k, ret = 0;

	buf_init(&sql);
	counts_sql(&sql, only, nonly);
	if (buf_error(&sql) || stmt_prep(t, &st, buf_cstr(&sql), "") == -1) {
		buf_free(&sql);
		return -1;
	}
	buf_free(&sql);
	counts_bounds(since, until, v);
	for (k = 0; k < 6 && rc == 0; k += 2) {
		rc = db_bind_int64(st, ++i, v[k]);
		if (rc == 0)
			rc = db_bind_int64(st, ++i, v[k + 1]);
		for (n = 0; only != NULL && n < nonly && rc == 0; n++)
			rc = bind_text(st, &i, only[n]);
	}
	while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		const char *p = db_column_text(st, 0);

		if (col_state(t, st, 1, &s) == -1) {
			ret = -1;
			break;
		}
		if ((ret = cb(p != NULL ? p : "", s, (uint64_t)
		    db_column_int64(st, 2), arg)) != 0)
			break;
		rc = 0;
	}
	if (ret == 0 && rc != DB_DONE) {
		trace_sqlerr(t, "counts");
		ret = -1;
	}
	db_finalize(st);
	return ret;
}

int
trace_list_expired(struct trace *t, time_t now, trace_row_cb cb, void *arg)
{
	struct db_stmt	*st;

	if (stmt_prep(t, &st, "SELECT " ROW_COLS " FROM trace t"
	    " WHERE t.state IN (?, ?, ?, ?, ?) AND t.deadline > 0"
	    " AND t.deadline <= ? ORDER BY t.deadline, t.id", "sssssT",
	    trace_state_name(TRACE_S_CONVERTED),
	    trace_state_name(TRACE_S_DELIVERED),
	    trace_state_name(TRACE_S_HELD), trace_state_name(TRACE_S_DIVERTED),
	    trace_state_name(TRACE_S_SENT), now) == -1)
		return -1;
	return rows_each_read(t, st, cb, arg);
}

/* Purging. */

/*
 * Purging, in two steps so that nothing is deleted before it is archived
 * and the write lock is held only briefly: trace_list_stale() reads the
 * rows whose last change is before the cutoff (no write lock: WAL lets
 * the converters write meanwhile); the caller archives them; then
 * trace_delete_stale() deletes those of them that are still stale, in
 * one short transaction per call.
 */
int
trace_list_stale(struct trace *t, time_t cutoff, trace_row_cb cb, void *arg)
{
	struct db_stmt	*st;

	if (stmt_prep(t, &st, "SELECT " ROW_COLS " FROM trace t"
	    " WHERE t.updated < ? ORDER BY t.updated, t.id", "T", cutoff) == -1)
		return -1;
	return rows_each_read(t, st, cb, arg);
}

/*
 * Delete those of ids[0..n) still stale, DELETE_CHUNK ids per statement
 * (one round trip to a PostgreSQL server for many rows); the number
 * deleted is added to *deleted.
 */
#define DELETE_CHUNK	500

static int
delete_chunk(struct trace *t, const int64_t *ids, size_t n, time_t cutoff,
    size_t *deleted)
{
	struct db_stmt	*st;
	char		 sql[64 + 3 * DELETE_CHUNK];
	size_t		 i;
	int		 rc;

	/* Constant fragments only: every value is a bound parameter. */
	snprintf(sql, sizeof(sql), "DELETE FROM trace WHERE updated < ? AND"
	    " id IN (?");
	for (i = 1; i < n; i++)
		strcat(sql, ",?");
	strcat(sql, ")");
	if (db_prepare(t->db, sql, &st) == -1) {
		trace_sqlerr(t, "purge: delete");
		return -1;
	}
	rc = db_bind_int64(st, 1, (int64_t)cutoff);
	for (i = 0; i < n && rc == 0; i++)
		rc = db_bind_int64(st, (int)i + 2, ids[i]);
	if (rc == 0)
		rc = db_step(st);
	db_finalize(st);
	if (rc == -1) {
		trace_sqlerr(t, "purge: delete");
		return -1;
	}
	*deleted += (size_t)db_changes(t->db);
	return 0;
}

int
trace_delete_stale(struct trace *t, const int64_t *ids, size_t n,
    time_t cutoff, size_t *deleted)
{
	size_t	 i, k;

	*deleted = 0;
	if (n > TRACE_DELETE_MAX) {
		trace_seterr(t, "purge: batch of %zu rows, at most %d", n,
		    TRACE_DELETE_MAX);
		return -1;
	}
	if (n == 0)
		return 0;
	if (tx_begin(t) == -1)
		return -1;
	known_forget(t);
	/* History, recipients, outputs go by ON DELETE CASCADE. */
	for (i = 0; i < n; i += k) {
		k = n - i < DELETE_CHUNK ? n - i : DELETE_CHUNK;
		if (delete_chunk(t, ids + i, k, cutoff, deleted) == -1) {
			tx_rollback(t);
			*deleted = 0;
			return -1;
		}
	}
	if (tx_commit(t) == -1) {
		*deleted = 0;
		return -1;
	}
	return 0;
}

/* CSV (RFC 4180). */

static const char *const trace_csv_cols[] = {
	"id", "direction", "partner", "state", "created", "updated",
	"deadline", "dsn", "date", "time", "originator", "destination",
	"mts_id", "ipm_id", "edim_id", "eerp_mode", "eerp_signed", "dn_req",
	"rn_req", "recipients", "hash_alg", "hash", "in_file", "out_file",
	"ack_file", "note", "x400_originator", "no_ndr",
};

/* One field: quoted when it holds a comma, a quote, CR or LF. */
static void
csv_field(struct buf *b, const char *s, int first)
{
	if (!first)
		buf_add_u8(b, ',');
	if (s[strcspn(s, ",\"\r\n")] == '\0') {
		buf_add_str(b, s);
		return;
	}
	buf_add_u8(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_add_u8(b, '"');
		buf_add_u8(b, (uint8_t)*s);
	}
	buf_add_u8(b, '"');
}

/* ISO 8601 UTC, or empty for 0. */
static void
csv_time(struct buf *b, time_t tm)
{
	struct tm	 g;
	char		 s[32];

	s[0] = '\0';
	if (tm != 0 && gmtime_r(&tm, &g) != NULL)
		strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &g);
	csv_field(b, s, 0);
}

static void
csv_int(struct buf *b, long long v, int first)
{
	char	 s[32];

	snprintf(s, sizeof(s), "%lld", v);
	csv_field(b, s, first);
}

/* Partner controls. */

static const char *const trace_pstate_names[] = {
	[TRACE_P_ACTIVE] = "active",
	[TRACE_P_HOLD] = "hold",
	[TRACE_P_DIVERT] = "divert",
};
#define NPSTATES (sizeof(trace_pstate_names) / sizeof(trace_pstate_names[0]))

const char *
trace_pstate_name(enum trace_pstate s)
{
	if ((unsigned)s >= NPSTATES)
		return "unknown";
	return trace_pstate_names[s];
}

/*
 * The controls of one partnership: 1 with a row, 0 without (then *p is
 * an active partnership without status file), -1 on failure. One
 * SELECT on the primary key: x4002oftp calls this for every file.
 */
int
trace_partner_get(struct trace *t, const char *partner,
    struct trace_partner *p)
{
	struct db_stmt	*st;
	const char	*v;
	size_t		 i;
	int		 rc;

	memset(p, 0, sizeof(*p));
	if (!arg_ok(t, "partner", partner, TRACE_PARTNER_SZ))
		return -1;
	memcpy(p->partner, partner, strlen(partner) + 1);
	if (stmt_prep(t, &st, "SELECT state, changed, status_last,"
	    " status_next, hold_until FROM partner_state WHERE partner = ?", "s",
	    partner) == -1)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		v = db_column_text(st, 0);
		for (i = 0; v != NULL && i < NPSTATES; i++)
			if (strcmp(v, trace_pstate_names[i]) == 0)
				break;
		if (v == NULL || i == NPSTATES) {
			trace_seterr(t, "partner %s: unknown state \"%s\" in "
			    "the database", partner, v != NULL ? v : "NULL");
			rc = -1;
		} else {
			p->state = (enum trace_pstate)i;
			p->changed = (time_t)db_column_int64(st, 1);
			p->status_last = (time_t)db_column_int64(st, 2);
			p->status_next = (time_t)db_column_int64(st, 3);
			p->until = (time_t)db_column_int64(st, 4);
			rc = 1;
		}
	} else if (rc == DB_DONE)
		rc = 0;
	else {
		trace_sqlerr(t, "partner state");
		rc = -1;
	}
	db_finalize(st);
	return rc;
}

static int
pevent_insert(struct trace *t, const char *partner, const char *action,
    time_t now, const char *who, const char *note)
{
	if (!arg_ok(t, "action", action, TRACE_ACTION_SZ) ||
	    !arg_ok(t, "who", who, TRACE_WHO_SZ) ||
	    !arg_ok(t, "note", note, TRACE_NOTE_SZ))
		return -1;
	return stmt_exec(t, "partner history", "INSERT INTO partner_history"
	    " (partner, time, action, who, note) VALUES (?, ?, ?, ?, ?)",
	    "sTsss", partner, now, action, who, note) == -1 ? -1 : 0;
}

/*
 * Set the state of a partnership and write the change (action, who,
 * note) into its history, in one transaction. Returns 1 changed, 0 the
 * state was already so (nothing written), -1 on failure.
 */
int
trace_partner_set_state(struct trace *t, const char *partner,
    enum trace_pstate to, const char *action, time_t now, const char *who,
    const char *note)
{
	struct trace_partner p;
	int	 rc;

	if ((unsigned)to >= NPSTATES || empty(partner)) {
		trace_seterr(t, "partner state: bad state or partner");
		return -1;
	}
	if (tx_begin(t) == -1)
		return -1;
	if ((rc = trace_partner_get(t, partner, &p)) == -1)
		goto fail;
	if (p.state == to) {
		if (tx_commit(t) == -1)
			goto fail;
		return 0;
	}
	if (stmt_exec(t, "partner state", "INSERT INTO partner_state"
	    " (partner, state, changed) VALUES (?, ?, ?) ON CONFLICT (partner)"
	    " DO UPDATE SET state = excluded.state, changed = excluded.changed",
	    "ssT", partner, trace_pstate_names[to], now) == -1 ||
	    pevent_insert(t, partner, action, now, who, note) == -1)
		goto fail;
	if (tx_commit(t) == -1)
		goto fail;
	return 1;
fail:
	tx_rollback(t);
	return -1;
}

/* The end of a partnership's hold (0: none), with the state's row. */
int
trace_partner_hold_until(struct trace *t, const char *partner, time_t until)
{
	if (empty(partner)) {
		trace_seterr(t, "partner hold: no partner");
		return -1;
	}
	if (tx_begin(t) == -1)
		return -1;
	if (stmt_exec(t, "partner hold", "INSERT INTO partner_state"
	    " (partner, hold_until) VALUES (?, ?) ON CONFLICT (partner)"
	    " DO UPDATE SET hold_until = excluded.hold_until", "sD", partner,
	    until) == -1 || tx_commit(t) == -1) {
		tx_rollback(t);
		return -1;
	}
	return 0;
}

/* One line in a partnership's history (a release, a status file). */
int
trace_partner_event(struct trace *t, const char *partner, const char *action,
    time_t now, const char *who, const char *note)
{
	if (empty(partner) || empty(action)) {
		trace_seterr(t, "partner history: no partner or action");
		return -1;
	}
	if (tx_begin(t) == -1)
		return -1;
	if (pevent_insert(t, partner, action, now, who, note) == -1 ||
	    tx_commit(t) == -1) {
		tx_rollback(t);
		return -1;
	}
	return 0;
}

int
trace_partner_events(struct trace *t, const char *partner,
    trace_pevent_cb cb, void *arg)
{
	struct db_stmt		*st;
	struct trace_pevent	 e;
	int			 rc, ret = 0;

	if (stmt_prep(t, &st, "SELECT time, action, who, note FROM"
	    " partner_history WHERE partner = ? ORDER BY id", "s",
	    partner) == -1)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		memset(&e, 0, sizeof(e));
		e.time = (time_t)db_column_int64(st, 0);
		if (COL_COPY(t, st, 1, e.action) == -1 ||
		    COL_COPY(t, st, 2, e.who) == -1 ||
		    COL_COPY(t, st, 3, e.note) == -1) {
			ret = -1;
			break;
		}
		if ((ret = cb(&e, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != DB_DONE) {
		trace_sqlerr(t, "partner history");
		ret = -1;
	}
	db_finalize(st);
	return ret;
}

/*
 * The window [*since, *until) of the next status file: since is the end
 * of the last one (0: none yet). A status file begun and not finished
 * (status_next set: the maker stopped half-way) is made again with the
 * same window, so that a redo writes the same file; otherwise until is
 * now, and is recorded as status_next before anything is written
 * (unless until <= since: nothing to make, nothing recorded).
 */
int
trace_partner_status_begin(struct trace *t, const char *partner, time_t now,
    time_t *since, time_t *until)
{
	struct trace_partner p;

	if (empty(partner)) {
		trace_seterr(t, "status file: no partner");
		return -1;
	}
	if (tx_begin(t) == -1)
		return -1;
	if (trace_partner_get(t, partner, &p) == -1)
		goto fail;
	*since = p.status_last;
	*until = p.status_next != 0 ? p.status_next : now;
	if (p.status_next == 0 && now > p.status_last && stmt_exec(t,
	    "status file", "INSERT INTO"
	    " partner_state (partner, status_next) VALUES (?, ?)"
	    " ON CONFLICT (partner) DO UPDATE SET status_next ="
	    " excluded.status_next", "sT", partner, now) == -1)
		goto fail;
	if (tx_commit(t) == -1)
		goto fail;
	return 0;
fail:
	tx_rollback(t);
	return -1;
}

/* The status file of the window ending at until is made (note: history). */
int
trace_partner_status_done(struct trace *t, const char *partner, time_t until,
    time_t now, const char *note)
{
	if (tx_begin(t) == -1)
		return -1;
	if (stmt_exec(t, "status file", "UPDATE partner_state SET"
	    " status_last = ?, status_next = NULL WHERE partner = ?", "Ts",
	    until, partner) == -1 || (note != NULL &&
	    pevent_insert(t, partner, "status-file", now, "oxtrace", note) ==
	    -1) || tx_commit(t) == -1) {
		tx_rollback(t);
		return -1;
	}
	return 0;
}

/* Outputs (schema version 5): staged, recorded, then published. */

int
trace_record_output(struct trace *t, int64_t id, const char *queue,
    const char *tmp, const char *name, time_t now)
{
	int		 r;

	if (empty(queue) || empty(tmp) || empty(name)) {
		trace_seterr(t, "output: empty queue, temporary or final name");
		return -1;
	}
	if (!arg_ok(t, "output queue", queue, TRACE_FILE_SZ) ||
	    !arg_ok(t, "output temporary name", tmp, TRACE_FILE_SZ) ||
	    !arg_ok(t, "output name", name, TRACE_FILE_SZ))
		return -1;
	if (tx_begin_bare(t, id != 0 && t->known.id == id &&
	    t->known.out_ok) == -1)
		return -1;
	if (row_known(t, id) != 1)
		goto fail;
	if ((r = trace_output_recorded(t, id, queue, name)) < 0)
		goto fail;
	if (r > 0) {
		trace_seterr(t, "transaction %lld: output %s/%s already "
		    "recorded", (long long)id, queue, name);
		tx_rollback(t);
		return 1;
	}
	if (stmt_exec_later(t, "record output", "INSERT INTO trace_output"
	    " (trace_id, seq, queue, tmp, name, time) VALUES (?, (SELECT"
	    " coalesce(max(seq), 0) + 1 FROM trace_output WHERE trace_id = ?),"
	    " ?, ?, ?, ?)", NOT_TRACE "IIsssT", id, id, queue, tmp, name,
	    now) == -1 || touch(t, id, now) == -1 ||
	    (t->known.out_ok && known_out_add(t, queue, name) == -1) ||
	    tx_commit(t) == -1)
		goto fail;
	return 0;
fail:
	tx_rollback(t);
	return -1;
}

int
trace_outputs(struct trace *t, int64_t id, trace_output_cb cb, void *arg)
{
	struct db_stmt		*st;
	struct trace_output	 o;
	int			 rc, ret = 0;
	int			 fill = t->depth > 0 && t->known.id == id;

	if (fill && t->known.out_ok && t->known.out.len == 0)
		return 0;	/* known to have none (the usual first time) */
	if (stmt_prep(t, &st, "SELECT seq, queue, tmp, name, time FROM"
	    " trace_output WHERE trace_id = ? ORDER BY seq", NOT_TRACE "I",
	    id) == -1)
		return -1;
	if (fill) {
		buf_reset(&t->known.out);
		t->known.out_ok = 0;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		memset(&o, 0, sizeof(o));
		o.trace_id = id;
		o.seq = (int)db_column_int64(st, 0);
		if (COL_COPY(t, st, 1, o.queue) == -1 ||
		    COL_COPY(t, st, 2, o.tmp) == -1 ||
		    COL_COPY(t, st, 3, o.name) == -1) {
			ret = -1;
			break;
		}
		o.time = (time_t)db_column_int64(st, 4);
		if ((fill && (ret = known_out_add(t, o.queue, o.name)) != 0) ||
		    (ret = cb(&o, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != DB_DONE) {
		trace_sqlerr(t, "outputs");
		ret = -1;
	}
	db_finalize(st);
	if (fill && ret == 0)
		t->known.out_ok = 1;
	else if (fill)
		buf_reset(&t->known.out);
	return ret;
}

int
trace_forget_outputs(struct trace *t, int64_t id)
{
	if (tx_begin(t) == -1)
		return -1;
	if (t->known.id == id) {
		buf_reset(&t->known.out);
		t->known.out_ok = 0;
	}
	if (stmt_exec(t, "forget outputs", "DELETE FROM trace_output WHERE"
	    " trace_id = ?", "I", id) == -1 || tx_commit(t) == -1) {
		tx_rollback(t);
		return -1;
	}
	return 0;
}

int
trace_output_recorded(struct trace *t, int64_t id, const char *queue,
    const char *name)
{
	int64_t	 n;
	int	 r;

	if (t->depth > 0 && id != 0 && t->known.id == id) {
		if (!t->known.out_ok && trace_outputs(t, id, output_ignore,
		    NULL) != 0)
			return -1;
		return known_out_has(&t->known, queue, name);
	}
	if ((r = stmt_int64(t, "output recorded", &n, "SELECT count(*) FROM"
	    " trace_output WHERE trace_id = ? AND queue = ? AND name = ?",
	    "Iss", id, queue, name)) != 1) {
		if (r == 0)
			trace_seterr(t, "output recorded: no result");
		return -1;
	}
	return n > 0;
}

/* The one output st selects (trace_id, seq, tmp, name, time): 1, 0. */
static int
output_one(struct trace *t, struct db_stmt *st, const char *queue,
    struct trace_output *o, const char *what)
{
	int	 rc = db_step(st);

	if (rc == DB_ROW) {
		memset(o, 0, sizeof(*o));
		o->trace_id = db_column_int64(st, 0);
		o->seq = (int)db_column_int64(st, 1);
		snprintf(o->queue, sizeof(o->queue), "%s", queue);
		o->time = (time_t)db_column_int64(st, 4);
		rc = COL_COPY(t, st, 2, o->tmp) == -1 ||
		    COL_COPY(t, st, 3, o->name) == -1 ? -1 : 1;
	} else if (rc == DB_DONE)
		rc = 0;
	else {
		trace_sqlerr(t, what);
		rc = -1;
	}
	db_finalize(st);
	return rc;
}

int
trace_output_find(struct trace *t, const char *queue, const char *tmp,
    struct trace_output *o)
{
	struct db_stmt	*st;

	if (stmt_prep(t, &st, "SELECT trace_id, seq, tmp, name, time FROM"
	    " trace_output WHERE tmp = ? AND queue = ?", "ss", tmp, queue) ==
	    -1)
		return -1;
	return output_one(t, st, queue, o, "output by temporary name");
}

/* The newest output named name in queue (1; 0: none). */
int
trace_output_named(struct trace *t, const char *queue, const char *name,
    struct trace_output *o)
{
	struct db_stmt	*st;

	if (stmt_prep(t, &st, "SELECT trace_id, seq, tmp, name, time FROM"
	    " trace_output WHERE name = ? AND queue = ?"
	    " ORDER BY time DESC, trace_id DESC", "ss", name, queue) == -1)
		return -1;
	return output_one(t, st, queue, o, "output by name");
}

int
trace_csv_header(struct buf *b)
{
	size_t	 i;

	for (i = 0; i < sizeof(trace_csv_cols) / sizeof(trace_csv_cols[0]);
	    i++)
		csv_field(b, trace_csv_cols[i], i == 0);
	buf_add_str(b, "\r\n");
	return buf_error(b) ? -1 : 0;
}

int
trace_csv_row(struct buf *b, const struct trace_row *r)
{
	csv_int(b, r->id, 1);
	csv_field(b, trace_dir_name(r->dir), 0);
	csv_field(b, r->partner, 0);
	csv_field(b, trace_state_name(r->state), 0);
	csv_time(b, r->created);
	csv_time(b, r->updated);
	csv_time(b, r->deadline);
	csv_field(b, r->oftp.dsn, 0);
	csv_field(b, r->oftp.date, 0);
	csv_field(b, r->oftp.time, 0);
	csv_field(b, r->oftp.orig, 0);
	csv_field(b, r->oftp.dest, 0);
	csv_field(b, r->mts_id, 0);
	csv_field(b, r->ipm_id, 0);
	csv_field(b, r->edim_id, 0);
	csv_int(b, r->eerp_mode, 0);
	csv_int(b, r->eerp_signed, 0);
	csv_int(b, r->dn_req, 0);
	csv_int(b, r->rn_req, 0);
	csv_int(b, r->nrcpt, 0);
	csv_field(b, r->hash_alg, 0);
	csv_field(b, r->hash, 0);
	csv_field(b, r->in_file, 0);
	csv_field(b, r->out_file, 0);
	csv_field(b, r->ack_file, 0);
	csv_field(b, r->note, 0);
	csv_field(b, r->x400_orig, 0);
	csv_int(b, r->no_ndr, 0);
	buf_add_str(b, "\r\n");
	return buf_error(b) ? -1 : 0;
}

/* Deferrals (schema version 6): the temporary failures of an input. */

static int
deferral_load(struct trace *t, struct db_stmt *st, struct trace_deferral *d)
{
	memset(d, 0, sizeof(*d));
	if (COL_COPY(t, st, 0, d->queue) == -1 ||
	    COL_COPY(t, st, 1, d->name) == -1 ||
	    COL_COPY(t, st, 6, d->error) == -1)
		return -1;
	d->first = (time_t)db_column_int64(st, 2);
	d->last = (time_t)db_column_int64(st, 3);
	d->attempts = (unsigned)db_column_int64(st, 4);
	d->next_try = (time_t)db_column_int64(st, 5);
	return 0;
}

#define DEFERRAL_COLS \
	"queue, name, first, last, attempts, next_try, error"

int
trace_deferral_get(struct trace *t, const char *queue, const char *name,
    struct trace_deferral *d)
{
	struct db_stmt	*st;
	int		 rc;

	if (t->depth > 0) {		/* under the write lock */
		if (dset_load(t, queue) == -1)
			return -1;
		if (t->dset.ok && !dset_has(&t->dset, name))
			return 0;
	}
	if (stmt_prep(t, &st, "SELECT " DEFERRAL_COLS " FROM deferral WHERE"
	    " queue = ? AND name = ?", NOT_TRACE "ss", queue, name) == -1)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		rc = deferral_load(t, st, d) == -1 ? -1 : 1;
	else if (rc == DB_DONE)
		rc = 0;
	else {
		trace_sqlerr(t, "deferral");
		rc = -1;
	}
	db_finalize(st);
	return rc;
}

int
trace_deferral_record(struct trace *t, const char *queue, const char *name,
    time_t now, time_t next_try, const char *error)
{
	char	 e[TRACE_NOTE_SZ];

	if (empty(queue) || empty(name) ||
	    !arg_ok(t, "deferral queue", queue, TRACE_FILE_SZ) ||
	    !arg_ok(t, "deferral name", name, TRACE_FILE_SZ)) {
		if (empty(queue) || empty(name))
			trace_seterr(t, "deferral: empty queue or name");
		return -1;
	}
	snprintf(e, sizeof(e), "%s", error != NULL ? error : "");
	if (tx_begin(t) == -1)
		return -1;
	if (t->dset.ok && strcmp(t->dset.queue, queue) == 0 &&
	    !dset_has(&t->dset, name) && dset_add(&t->dset, name) == -1)
		t->dset.ok = 0;		/* then read each */
	if (stmt_exec(t, "record deferral", "INSERT INTO deferral (queue,"
	    " name, first, last, attempts, next_try, error) VALUES (?, ?, ?,"
	    " ?, 1, ?, ?) ON CONFLICT (queue, name) DO UPDATE SET last ="
	    " excluded.last, attempts = deferral.attempts + 1, next_try ="
	    " excluded.next_try, error = excluded.error", "ssTTTs", queue,
	    name, now, now, next_try, e) == -1 || tx_commit(t) == -1) {
		tx_rollback(t);
		return -1;
	}
	return 0;
}

int
trace_deferral_clear(struct trace *t, const char *queue, const char *name)
{
	if (tx_begin(t) == -1)
		return -1;
	if (stmt_exec(t, "clear deferral", "DELETE FROM deferral WHERE queue"
	    " = ? AND name = ?", "ss", queue, name) == -1 ||
	    tx_commit(t) == -1) {
		tx_rollback(t);
		return -1;
	}
	return 0;
}

int
trace_deferral_purge(struct trace *t, time_t cutoff)
{
	int	 n;

	if (tx_begin(t) == -1)
		return -1;
	if ((n = stmt_exec(t, "purge deferrals", "DELETE FROM deferral WHERE"
	    " last < ?", "T", cutoff)) == -1 || tx_commit(t) == -1) {
		tx_rollback(t);
		return -1;
	}
	return n;
}

int
trace_deferrals(struct trace *t, trace_deferral_cb cb, void *arg)
{
	struct db_stmt		*st;
	struct trace_deferral	 d;
	int			 rc, ret = 0;

	if (stmt_prep(t, &st, "SELECT " DEFERRAL_COLS " FROM deferral ORDER"
	    " BY first, queue, name", "") == -1)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (deferral_load(t, st, &d) == -1) {
			ret = -1;
			break;
		}
		if ((ret = cb(&d, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != DB_DONE) {
		trace_sqlerr(t, "deferrals");
		ret = -1;
	}
	db_finalize(st);
	return ret;
}

int
trace_record_event(struct trace *t, int64_t id, time_t now, const char *note)
{
	int		 r;

	if (!arg_ok(t, "note", note, TRACE_NOTE_SZ))
		return -1;
	if (tx_begin(t) == -1)
		return -1;
	if (row_known(t, id) != 1 || (r = stmt_exec(t,
	    "record event", "INSERT INTO trace_history (trace_id, time,"
	    " state, note) SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
	    " trace_history WHERE trace_id = ? AND note = ?)", "ITssIs", id,
	    now, trace_state_name(t->known.state), note, id, note)) == -1 ||
	    (r > 0 && touch(t, id, now) == -1) ||
	    tx_commit(t) == -1) {
		tx_rollback(t);
		return -1;
	}
	return 0;
}

/*
 * Copying a whole trace into another, empty one (oxtrace migrate --to):
 * every table of the schema, every column, the ids kept. A migration
 * that adds a table or a column adds it here too: trace_copy() refuses a
 * source whose tables have other columns than these lists say.
 * types: one letter per column, I integer, s text.
 */
static const struct copy_table {
	const char	*name;
	const char	*cols;
	const char	*types;
	const char	*order;
	int		 has_id;	/* an identity column "id" */
} copy_tables[] = {
	{ "trace", "id, dir, partner, oftp_dsn, oftp_date, oftp_time,"
	    " oftp_orig, oftp_dest, mts_id, ipm_id, edim_id, eerp_mode,"
	    " eerp_signed, dn_req, rn_req, state, created, updated, deadline,"
	    " hash_alg, hash, in_file, out_file, ack_file, note, x400_orig,"
	    " no_ndr, edin_req, edin_sent, content_type, rcpt",
	    "I" "ssssssssss" "IIII" "s" "III" "sssssss" "II" "s" "I" "I", "id",
	    1 },
	{ "trace_history", "id, trace_id, time, state, note", "IIIss", "id",
	    1 },
	{ "trace_recipient", "trace_id, seq, address, outcome, time, diag",
	    "IIssIs", "trace_id, seq", 0 },
	{ "partner_state", "partner, state, changed, status_last, status_next,"
	    " hold_until", "ssIIII", "partner", 0 },
	{ "partner_history", "id, partner, time, action, who, note", "IsIsss",
	    "id", 1 },
	{ "trace_output", "trace_id, seq, queue, tmp, name, time", "IIsssI",
	    "trace_id, seq", 0 },
	{ "deferral", "queue, name, first, last, attempts, next_try, error",
	    "ssIIIIs", "queue, name", 0 },
};
#define NCOPY	(sizeof(copy_tables) / sizeof(copy_tables[0]))
_Static_assert(NCOPY == TRACE_COPY_TABLES, "one entry per table");

/* Bind column c of row src as parameter c + 1 of ins, by type. */
static int
copy_bind(struct db_stmt *ins, struct db_stmt *src, int c, char type)
{
	if (db_column_null(src, c))
		return db_bind_null(ins, c + 1, type == 'I' ? DB_T_INT :
		    DB_T_TEXT);
	if (type == 'I')
		return db_bind_int64(ins, c + 1, db_column_int64(src, c));
	return db_bind_text(ins, c + 1, db_column_text(src, c));
}

/* One table, row by row, in the destination's open transaction. */
static int
copy_table(struct trace *from, struct trace *to,
    const struct copy_table *ct, int64_t *n)
{
	struct db_stmt	*src = NULL, *ins = NULL;
	char		 sql[1024];
	int		 c, nc = (int)strlen(ct->types), rc;

	*n = 0;
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s ORDER BY %s", ct->cols,
	    ct->name, ct->order);
	if (db_prepare(from->db, sql, &src) == -1) {
		trace_sqlerr(from, ct->name);
		return -1;
	}
	snprintf(sql, sizeof(sql), "INSERT INTO %s (%s) VALUES (?", ct->name,
	    ct->cols);
	for (c = 1; c < nc; c++)
		strcat(sql, ", ?");
	strcat(sql, ")");
	while ((rc = db_step(src)) == DB_ROW) {
		if (db_prepare(to->db, sql, &ins) == -1)
			break;
		for (c = 0; c < nc; c++)
			if (copy_bind(ins, src, c, ct->types[c]) == -1)
				break;
		if (c < nc || db_step(ins) == -1)
			break;
		db_finalize(ins);
		ins = NULL;
		(*n)++;
	}
	if (rc != DB_DONE) {
		if (rc == -1)
			trace_sqlerr(from, ct->name);
		else
			trace_sqlerr(to, ct->name);
		db_finalize(ins);
		db_finalize(src);
		return -1;
	}
	db_finalize(src);
	if (ct->has_id && db_id_sync(to->db, ct->name) == -1) {
		trace_sqlerr(to, ct->name);
		return -1;
	}
	return 0;
}

/* The source has exactly the columns of the lists (nothing left out). */
static int
copy_columns_known(struct trace *from)
{
	struct db_stmt	*st;
	char		 sql[128];
	size_t		 i;
	int		 n;

	for (i = 0; i < NCOPY; i++) {
		snprintf(sql, sizeof(sql), "SELECT * FROM %s LIMIT 1",
		    copy_tables[i].name);
		if (db_prepare(from->db, sql, &st) == -1 ||
		    db_step(st) == -1) {
			trace_sqlerr(from, copy_tables[i].name);
			db_finalize(st);
			return -1;
		}
		n = db_column_count(st);
		db_finalize(st);
		if (n != (int)strlen(copy_tables[i].types)) {
			trace_seterr(from, "copy: table %s has %d columns, "
			    "the copy knows %zu (a migration without its "
			    "copy_tables entry)", copy_tables[i].name, n,
			    strlen(copy_tables[i].types));
			return -1;
		}
	}
	return 0;
}

/*
 * Copy every table of from into to, which must have no transaction
 * yet; rows[i]: the rows of table i (names: trace_copy_table_name()).
 * One write transaction on to: all or nothing.
 */
int
trace_copy(struct trace *from, struct trace *to, int64_t rows[],
    size_t nrows)
{
	int64_t	 n;
	size_t	 i;
	int	 began = 0, pg = db_kind(to->db) == DB_PG;

	from->err[0] = to->err[0] = '\0';
	if (nrows < NCOPY) {
		trace_seterr(to, "copy: room for %zu tables, %zu needed",
		    nrows, NCOPY);
		return -1;
	}
	if (copy_columns_known(from) == -1 ||
	    stmt_int64(to, "copy: destination", &n, "SELECT count(*) FROM"
	    " trace", "") != 1)
		goto fail;
	if (n > 0) {
		trace_seterr(to, "copy: the destination has %lld transactions "
		    "already (it must be new)", (long long)n);
		return -1;
	}
	if (rd_begin(from, &began) == -1 || tx_begin(to) == -1)
		goto fail;
	/*
	 * PostgreSQL: the tallies made once at the end, not by a trigger
	 * per INSERT (one transaction: a row version per tally update).
	 */
	if (pg && db_exec(to->db, "ALTER TABLE trace DISABLE TRIGGER"
	    " trace_tally_ins") == -1)
		goto rollback;
	for (i = 0; i < NCOPY; i++)
		if (copy_table(from, to, &copy_tables[i], &rows[i]) == -1)
			goto rollback;
	if (pg && db_exec(to->db, "DELETE FROM trace_tally;"
	    " DELETE FROM trace_total;" TALLY_FILL
	    " ALTER TABLE trace ENABLE TRIGGER trace_tally_ins") == -1)
		goto rollback;
	rd_end(from, began);
	return tx_commit(to);
rollback:
	if (to->err[0] == '\0')
		trace_sqlerr(to, "copy: tallies");
	tx_rollback(to);
fail:
	rd_end(from, began);
	if (from->err[0] != '\0')	/* the message is the destination's */
		trace_seterr(to, "%s", from->err);
	return -1;
}

const char *
trace_copy_table_name(size_t i)
{
	return i < NCOPY ? copy_tables[i].name : NULL;
}
