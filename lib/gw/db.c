/*
 * NAME
 *	db - the trace's database backends, SQLite and PostgreSQL (see db.h)
 * SYNOPSIS
 *	#include "gw/db.h"
 * DESCRIPTION
 *	Each function of db.h looks at the handle's kind and does the
 *	backend's part: the SQLite half wraps the sqlite3_* calls the trace
 *	made before (WAL, synchronous=FULL, foreign keys, the busy handler,
 *	temporary files beside the database, a new file made 0600) and
 *	keeps each statement text's compiled statement for its next use
 *	(db_lite_prepare, up to DB_LITE_CACHE texts; db_finalize() resets
 *	it and gives it back); the
 *	PostgreSQL half prepares each statement text on the server once per
 *	connection (PQprepare, named "ox_pN", up to DB_PG_PREP_MAX texts;
 *	the program's statements are constant texts, so parsing and
 *	planning is paid once, not at every run) and runs it with
 *	PQexecPrepared (the parameters as text, typed int8 or text), keeps
 *	the whole result and hands it out row by row, and makes a lost
 *	connection again before the next transaction (db_pg_lost: what
 *	libpq says, or a statement failed for want of it), and once more
 *	when a BEGIN finds it gone (its named statements then prepared
 *	again). Statements given to db_step_later() wait in d->later and
 *	go, in order, in one pipeline with the next statement
 *	(db_pg_pipeline): a round trip costs more than a statement on a
 *	busy machine.
 *
 *	Every SQL difference between the two is in this file: placeholders
 *	(db_pg_sql), the DDL words (db_ddl_pg), the write lock
 *	(BEGIN IMMEDIATE; BEGIN + pg_advisory_xact_lock), the schema version
 *	(PRAGMA user_version; table trace_schema), the classification of
 *	errors as temporary (db_lite_temporary, db_pg_temporary).
 * DIAGNOSTICS
 *	As in db.h.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "gw/db.h"
#include "util/clock.h"

#define DB_PG_LOCK	"7890123456001"	/* the writers' advisory lock key */
#define DB_PG_INT8	20		/* type OIDs (pg_type.h) */
#define DB_PG_TEXT	25
#define DB_STREAM_ROWS	"2000"		/* rows per FETCH of a cursor */
#define DB_PG_PREP_MAX	128		/* named statements per connection */
#define DB_LATER_MAX	64		/* db_step_later() statements waiting */

struct db_pgprep {		/* a statement prepared on the server */
	uint64_t	 hash;		/* of sql */
	char		*sql;
	unsigned	*type;		/* of its nparam parameters */
	int		 nparam;
};

/* A SQLite statement kept prepared for its text's next use. */
#define DB_LITE_CACHE	64
struct db_litec {
	uint64_t	 hash;
	char		*sql;
	sqlite3_stmt	*st;
	int		 busy;		/* a db_stmt uses it */
};

struct db {
	enum db_kind	 kind;
	sqlite3		*lite;
	PGconn		*pg;
	char		 path[PATH_MAX];	/* SQLite */
	dev_t		 dev;
	ino_t		 ino;
	int64_t		 busy_since;
	int		 busy_ms;
	int64_t		 changes;
	int		 temp;		/* the last failure is temporary */
	int		 tx;		/* PostgreSQL: db_begin() ... end */
	struct db_pgprep prep[DB_PG_PREP_MAX];	/* "ox_pN": prep[N] */
	int		 nprep;
	struct db_stmt	*later[DB_LATER_MAX];	/* db_step_later() */
	int		 nlater;
	int		 broken;	/* one of them failed (db_commit) */
	int		 gone;		/* PostgreSQL: the connection failed */
	struct db_litec	 lc[DB_LITE_CACHE];	/* SQLite: prepared once */
	int		 nlc;
	char		 err[512];
};

struct db_stmt {
	struct db	*db;
	sqlite3_stmt	*lite;
	struct db_litec	*lc;		/* SQLite: lite is the cache's */
	char		*sql;		/* PostgreSQL: with $n */
	uint64_t	 hash;		/* of sql */
	int		 nparam;
	char		**val;
	unsigned	*type;
	PGresult	*res;
	int		 row;		/* the current row, -1 before the first */
	int		 ran;
	int		 stream;	/* db_stream(): read by a cursor */
	unsigned	 cursor;	/* its number, 0: none open */
};

static void
db_seterr(struct db *d, int temp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
db_seterr(struct db *d, int temp, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	d->temp = temp;
}

const char *
db_error(const struct db *d)
{
	return d->err[0] != '\0' ? d->err : "no error";
}

int
db_temporary(const struct db *d)
{
	return d->temp;
}

enum db_kind
db_kind(const struct db *d)
{
	return d->kind;
}

/*
 * The kind of a database name and what follows its prefix: "sqlite:",
 * "postgresql:" (also "postgres:"), or none (a path, SQLite). -1 for
 * another "word:" prefix that is not a path.
 */
int
db_spec_kind(const char *spec, enum db_kind *k, const char **rest)
{
	static const struct { const char *p; enum db_kind k; } pre[] = {
		{ "sqlite:", DB_SQLITE }, { "postgresql:", DB_PG },
		{ "postgres:", DB_PG },
	};
	size_t	 i, n;

	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		n = strlen(pre[i].p);
		if (strncmp(spec, pre[i].p, n) == 0) {
			*k = pre[i].k;
			*rest = spec + n;
			return **rest != '\0' ? 0 : -1;
		}
	}
	*k = DB_SQLITE;
	*rest = spec;
	return *spec != '\0' ? 0 : -1;
}

/* SQLite. */

static int
db_lite_temporary(int rc)
{
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

static void
db_lite_err(struct db *d)
{
	int	 rc = sqlite3_extended_errcode(d->lite);

	db_seterr(d, db_lite_temporary(rc), "%s (SQLite error %d)",
	    sqlite3_errmsg(d->lite), rc);
}

/*
 * After SQLITE_BUSY: 1 (having paused 10 ms) while the busy timeout,
 * counted from start, has not run out. SQLite answers SQLITE_BUSY at once,
 * without its busy handler, where waiting could deadlock, and while a new
 * database is switched to WAL by another connection; those are retried
 * here, within the same time limit.
 */
static int
busy_retry(struct db *d, int64_t start)
{
	struct timespec	 pause = { 0, 10 * 1000 * 1000 };

	if (clock_mono_ms() - start >= d->busy_ms)
		return 0;
	nanosleep(&pause, NULL);
	return 1;
}

/*
 * The busy handler: poll every millisecond up to the busy timeout.
 * SQLite's own backs off to 100 ms between tries, so a writer could
 * miss every short gap between another process's transactions (the
 * purger's batches) and starve; polling often lets it in at the next.
 */
static int
db_lite_busy(void *arg, int count)
{
	static const struct timespec ms = { 0, 1000000 };
	struct db	*d = arg;

	if (count == 0)
		d->busy_since = clock_mono_ms();
	else if (clock_mono_ms() - d->busy_since >= d->busy_ms)
		return 0;
	nanosleep(&ms, NULL);
	return 1;
}

/* A statement without parameters or result, retried while busy. */
static int
db_lite_run(struct db *d, const char *sql, int want_row)
{
	sqlite3_stmt	*st;
	int64_t		 start = clock_mono_ms();
	int		 rc;

	if (sqlite3_prepare_v2(d->lite, sql, -1, &st, NULL) != SQLITE_OK) {
		db_lite_err(d);
		return -1;
	}
	while ((rc = sqlite3_step(st)) != (want_row ? SQLITE_ROW :
	    SQLITE_DONE) && (rc & 0xff) == SQLITE_BUSY && busy_retry(d, start))
		sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_lite_err(d);
		sqlite3_finalize(st);
		return -1;
	}
	if (want_row && rc == SQLITE_ROW) {	/* journal_mode: its answer */
		const char *mode = (const char *)sqlite3_column_text(st, 0);

		if (mode == NULL || strcmp(mode, "wal") != 0) {
			db_seterr(d, 0, "journal_mode: cannot use WAL (mode is "
			    "%s)", mode != NULL ? mode : "unknown");
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * WAL (persistent; its switch needs an exclusive lock, and SQLite
 * answers SQLITE_BUSY at once when another connection stands in the
 * way, as when several programs open a new database at the same
 * instant), foreign keys, synchronous=FULL.
 */
static int
db_lite_pragmas(struct db *d)
{
	const char	*what = "journal_mode";

	if (db_lite_run(d, "PRAGMA journal_mode = WAL", 1) == -1)
		goto fail;
	what = "foreign_keys";
	if (db_lite_run(d, "PRAGMA foreign_keys = ON", 0) == -1)
		goto fail;
	what = "synchronous";
	if (db_lite_run(d, "PRAGMA synchronous = FULL", 0) == -1)
		goto fail;
	/*
	 * Statement journals (the undo of a savepoint: each item of a group
	 * commit is one, gw/outbox.h) and temporary tables in memory: an
	 * item's journal is some 160 KiB, which SQLite's 64 KiB spill made
	 * 80 write(2) of a temporary file; and SQLite 3.40 with a larger
	 * spill (SQLITE_CONFIG_STMTJRNL_SPILL) failed a purge's delete with
	 * "database or disk is full" once the journal spilled (oxpurge.sh,
	 * purge_backlog). No temporary file: the sandbox need not allow one.
	 */
	what = "temp_store";
	if (db_lite_run(d, "PRAGMA temp_store = MEMORY", 0) == -1)
		goto fail;
	return 0;
fail:
	if (strncmp(d->err, "journal_mode:", 13) != 0) {
		char	 m[sizeof(d->err)];

		memcpy(m, d->err, sizeof(m));
		db_seterr(d, d->temp, "%s: %.400s", what, m);
	}
	return -1;
}

/*
 * SQLite's temporary files (sorts, statement journals that outgrow
 * memory) go where the database is: that directory is writable for every
 * program that writes the trace, in the sandbox (gw_sandbox) and under
 * the systemd unit, while /var/tmp and $TMPDIR may not be. One directory
 * per process: the first database opened decides.
 */
static void
db_lite_tempdir(const char *path)
{
	static char	 dir[PATH_MAX];
	const char	*slash;

	if (dir[0] != '\0')
		return;
	if ((slash = strrchr(path, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	sqlite3_temp_directory = dir;
}

/* A -wal or -shm beside the database is writable, or absent. */
static int
sidecar_writable(const char *path, const char *suffix, char *err,
    size_t errlen)
{
	char	 p[PATH_MAX + 8];

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	if (access(p, W_OK) == 0 || errno == ENOENT)
		return 1;
	snprintf(err, errlen, "%s: %s (left by a run on a read-only "
	    "database? make it writable for the gateway's user)", p,
	    strerror(errno));
	return 0;
}

static int
db_lite_open(struct db *d, const char *path, char *err, size_t errlen,
    int *temp)
{
	struct stat	 st;
	int		 rc, fd;

	if (snprintf(d->path, sizeof(d->path), "%s", path) >=
	    (int)sizeof(d->path)) {
		snprintf(err, errlen, "%.100s...: path too long", path);
		return -1;
	}
	db_lite_tempdir(path);
	/*
	 * A new database is created 0600 here, not by SQLite (0644 less the
	 * umask); its -wal and -shm files take the database's mode. An
	 * existing one is not opened here: closing a descriptor of the file
	 * would drop every POSIX lock this process holds on it, those of a
	 * handle already open included (oxweb has one per thread), and
	 * another process closing the database would then take itself for
	 * the last one and remove the WAL under that handle.
	 */
	if (lstat(path, &st) == 0) {
		d->dev = st.st_dev;
		d->ino = st.st_ino;
	} else if ((fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) >= 0) {
		if (fstat(fd, &st) == 0) {
			d->dev = st.st_dev;
			d->ino = st.st_ino;
		}
		close(fd);
	}
	rc = sqlite3_open_v2(path, &d->lite, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, d->lite != NULL ?
		    sqlite3_errmsg(d->lite) : sqlite3_errstr(rc));
		*temp = 1;
		return -1;
	}
	sqlite3_extended_result_codes(d->lite, 1);
	/*
	 * SQLite falls back to read-only when the file is not writable; it
	 * would then make a read-only -shm that outlives the cause. Every
	 * program here writes: say so now, before anything is made.
	 */
	if (sqlite3_db_readonly(d->lite, "main") == 1) {
		snprintf(err, errlen, "%s: not writable (the file's or its "
		    "directory's permissions, or a read-only file system)",
		    path);
		return -1;
	}
	if (!sidecar_writable(path, "-wal", err, errlen) ||
	    !sidecar_writable(path, "-shm", err, errlen))
		return -1;
	sqlite3_busy_handler(d->lite, db_lite_busy, d);
	if (db_lite_pragmas(d) == -1) {
		snprintf(err, errlen, "%s: %s", path, d->err);
		*temp = d->temp;
		return -1;
	}
	return 0;
}

static int
db_lite_check(struct db *d)
{
	struct stat	 st;

	if (stat(d->path, &st) < 0) {
		db_seterr(d, 0, "%s: %s (removed while in use?)", d->path,
		    strerror(errno));
		return -1;
	}
	if (d->ino != 0 && (st.st_dev != d->dev || st.st_ino != d->ino)) {
		db_seterr(d, 0, "%s: replaced while in use (another file now "
		    "has its name)", d->path);
		return -1;
	}
	return 0;
}

/* PostgreSQL. */

/*
 * Temporary: the connection is gone (class 08), serialization failure
 * (40001), deadlock (40P01), lock timeout (55P03), the server shutting
 * down or starting (57P01-57P03), out of resources (class 53).
 */
static int
db_pg_temporary(const char *state)
{
	static const char *const temp[] = { "40001", "40P01", "55P03",
	    "57P01", "57P02", "57P03" };
	size_t	 i;

	if (state == NULL)
		return 1;	/* no answer at all: the connection */
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0)
		return 1;
	for (i = 0; i < sizeof(temp) / sizeof(temp[0]); i++)
		if (strcmp(state, temp[i]) == 0)
			return 1;
	return 0;
}

static void
db_pg_err(struct db *d, const PGresult *res)
{
	const char	*state = NULL, *msg;
	size_t		 n;

	if (res != NULL)
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	msg = res != NULL && *PQresultErrorMessage(res) != '\0' ?
	    PQresultErrorMessage(res) : PQerrorMessage(d->pg);
	n = strcspn(msg, "\n");
	if (strncmp(msg, "ERROR:  ", 8) == 0) {
		msg += 8;
		n -= 8;
	}
	/* no answer, class 08, or the server ending the session (57P01-3) */
	if (state == NULL || strncmp(state, "08", 2) == 0 ||
	    strncmp(state, "57P0", 4) == 0)
		d->gone = 1;
	db_seterr(d, db_pg_temporary(state) || PQstatus(d->pg) != CONNECTION_OK,
	    "%.*s (PostgreSQL SQLSTATE %s)", (int)n, msg,
	    state != NULL ? state : "08006");
}

static void
db_pg_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;		/* "already exists, skipping" and the like */
}

/* The connection string has no password: that is libpq's files' job. */
static int
db_pg_conninfo_ok(const char *conninfo, char *err, size_t errlen)
{
	PQconninfoOption	*opts, *o;
	char			*msg = NULL;
	int			 ok = 1;

	if ((opts = PQconninfoParse(conninfo, &msg)) == NULL) {
		snprintf(err, errlen, "postgresql: bad connection string: %s",
		    msg != NULL ? msg : "out of memory");
		PQfreemem(msg);
		return 0;
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    *o->val != '\0') {
			snprintf(err, errlen, "postgresql: a password in the "
			    "connection string is refused: put it in a "
			    "password file (passfile=, PGPASSFILE) or the "
			    "service file");
			ok = 0;
		}
	PQconninfoFree(opts);
	return ok;
}

static int db_pg_simple(struct db *, const char *);

/* Session settings, again after each new connection. */
static int
db_pg_session(struct db *d)
{
	struct db_stmt	*st;
	char		 ms[32];
	int		 rc;

	PQsetNoticeProcessor(d->pg, db_pg_notice, NULL);
	snprintf(ms, sizeof(ms), "%d", d->busy_ms);
	if (db_prepare(d, "SELECT set_config('lock_timeout', ?, false)",
	    &st) == -1)
		return -1;
	rc = db_bind_text(st, 1, ms) == -1 || db_step(st) == -1 ? -1 : 0;
	db_finalize(st);
	return rc;
}

static int
db_pg_open(struct db *d, const char *conninfo, char *err, size_t errlen,
    int *temp)
{
	if (!db_pg_conninfo_ok(conninfo, err, errlen))
		return -1;
	d->pg = PQconnectdb(conninfo);
	if (d->pg == NULL || PQstatus(d->pg) != CONNECTION_OK) {
		snprintf(err, errlen, "postgresql: %.*s", (int)strcspn(
		    d->pg != NULL ? PQerrorMessage(d->pg) : "out of memory",
		    "\n"), d->pg != NULL ? PQerrorMessage(d->pg) :
		    "out of memory");
		*temp = 1;
		return -1;
	}
	if (db_pg_session(d) == -1) {
		snprintf(err, errlen, "postgresql: %s", d->err);
		*temp = d->temp;
		return -1;
	}
	return 0;
}

/* The server's named statements are gone with its connection. */
static void
db_pg_forget(struct db *d)
{
	int	 i;

	for (i = 0; i < d->nprep; i++) {
		free(d->prep[i].sql);
		free(d->prep[i].type);
		d->prep[i].sql = NULL;
		d->prep[i].type = NULL;	/* a slot used again owns none */
	}
	d->nprep = 0;
}

/*
 * The connection is gone: a statement failed for want of it (class 08,
 * the server ending the session), or libpq says so. libpq alone is not
 * enough: it may keep CONNECTION_OK after a server that went away made
 * a statement fail ("server closed the connection unexpectedly"); every
 * later one then fails with "no connection to the server".
 */
static int
db_pg_lost(struct db *d)
{
	return d->gone || PQstatus(d->pg) != CONNECTION_OK ||
	    PQsocket(d->pg) < 0;
}

/* A lost connection is made again, outside a transaction only. */
static int
db_pg_alive(struct db *d)
{
	if (!db_pg_lost(d))
		return 0;
	db_pg_forget(d);
	PQreset(d->pg);
	if (PQstatus(d->pg) != CONNECTION_OK) {
		db_pg_err(d, NULL);
		d->temp = 1;
		return -1;
	}
	d->gone = 0;
	return db_pg_session(d);
}

static int db_pg_pipeline(struct db *, struct db_stmt *, const char *,
    PGresult **, struct db_stmt *);

/* Whether res is a statement's success (NULL: no answer came). */
static int
db_pg_ok(const PGresult *res)
{
	return res != NULL && (PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK);
}

/*
 * A statement's result (sent: the sending went well): a success is
 * handed out (resp) or cleared, 0; else -1 with its message.
 */
static int
db_pg_result(struct db *d, PGresult *res, int sent, PGresult **resp)
{
	if (!sent || !db_pg_ok(res)) {
		db_pg_err(d, res);
		PQclear(res);
		return -1;
	}
	if (resp != NULL)
		*resp = res;
	else
		PQclear(res);
	return 0;
}

/*
 * A simple query (no parameters; several statements allowed; its result
 * into *resp when not NULL); with db_step_later() statements waiting,
 * one statement after them in the same round trip.
 */
static int
db_pg_query(struct db *d, const char *sql, PGresult **resp)
{
	if (d->nlater > 0)
		return db_pg_pipeline(d, NULL, sql, resp, NULL);
	return db_pg_result(d, PQexec(d->pg, sql), 1, resp);
}

static int
db_pg_simple(struct db *d, const char *sql)
{
	return db_pg_query(d, sql, NULL);
}

/* The db_step_later() statements, now (before a cursor's statements). */
static int
db_pg_flush(struct db *d)
{
	if (d->nlater == 0)
		return 0;
	return db_pg_simple(d, "SELECT 1");
}

/* The waiting statements dropped (a rollback undoes them anyway). */
static void db_later_drop(struct db *);

/*
 * "?" -> "$n", outside quoted literals and identifiers; the number of
 * parameters in *n.
 */
static char *
db_pg_sql(const char *sql, int *n)
{
	char	*out, *o, q = 0;
	size_t	 len = strlen(sql);

	*n = 0;
	if ((out = malloc(len * 4 + 1)) == NULL)	/* "?" -> "$999" */
		return NULL;
	for (o = out; *sql != '\0'; sql++) {
		if (q != 0 && *sql == q)
			q = 0;
		else if (q == 0 && (*sql == '\'' || *sql == '"'))
			q = *sql;
		if (q == 0 && *sql == '?') {
			o += sprintf(o, "$%d", ++*n);
			continue;
		}
		*o++ = *sql;
	}
	*o = '\0';
	return out;
}

/*
 * SQLite's DDL for PostgreSQL, word by word outside literals: INTEGER
 * PRIMARY KEY (SQLite's rowid) becomes an identity column, every other
 * INTEGER a BIGINT (times in seconds, ids).
 */
static char *
db_ddl_pg(const char *sql)
{
	static const char ipk[] = "INTEGER PRIMARY KEY";
	static const char ident[] =
	    "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	const char	*s;
	char		*out, *o;
	int		 q = 0;

	if ((out = malloc(strlen(sql) * 3 + 1)) == NULL)
		return NULL;
	for (s = sql, o = out; *s != '\0';) {
		if (*s == '\'')
			q = !q;
		if (!q && strncmp(s, ipk, sizeof(ipk) - 1) == 0) {
			o = stpcpy(o, ident);
			s += sizeof(ipk) - 1;
		} else if (!q && strncmp(s, "INTEGER", 7) == 0 &&
		    (s == sql || !isalnum((unsigned char)s[-1])) &&
		    !isalnum((unsigned char)s[7]) && s[7] != '_') {
			o = stpcpy(o, "BIGINT");
			s += 7;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

/* The next rows of the statement's cursor; 0 rows at its end. */
static int
db_pg_fetch(struct db_stmt *st)
{
	struct db	*d = st->db;
	char		 sql[64];

	PQclear(st->res);
	st->res = NULL;
	if (db_pg_flush(d) == -1)
		return -1;
	snprintf(sql, sizeof(sql), "FETCH FORWARD " DB_STREAM_ROWS
	    " FROM ox_cursor%u", st->cursor);
	st->res = PQexec(d->pg, sql);
	st->row = -1;
	if (st->res == NULL || PQresultStatus(st->res) != PGRES_TUPLES_OK) {
		db_pg_err(d, st->res);
		PQclear(st->res);
		st->res = NULL;
		return -1;
	}
	return 0;
}

/* Open a cursor on the statement (inside a transaction) and fetch. */
static int
db_pg_declare(struct db_stmt *st)
{
	static unsigned	 ncursor;
	struct db	*d = st->db;
	PGresult	*res;
	char		*sql;
	size_t		 n = strlen(st->sql) + 64;

	if (db_pg_flush(d) == -1)
		return -1;
	if ((sql = malloc(n)) == NULL) {
		db_seterr(d, 1, "%s", strerror(errno));
		return -1;
	}
	st->cursor = ++ncursor;
	snprintf(sql, n, "DECLARE ox_cursor%u NO SCROLL CURSOR FOR %s",
	    st->cursor, st->sql);
	res = PQexecParams(d->pg, sql, st->nparam, st->type,
	    (const char *const *)st->val, NULL, NULL, 0);
	free(sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_pg_err(d, res);
		PQclear(res);
		st->cursor = 0;
		return -1;
	}
	PQclear(res);
	st->ran = 1;
	return db_pg_fetch(st);
}

/* FNV-1a of a statement's text: the cache's first comparison. */
static uint64_t
db_hash(const char *s)
{
	uint64_t	 h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/*
 * The statement's text and parameter types, prepared on the server once
 * per connection (parsed and planned once, not at every run): its index
 * in d->prep, named "ox_pN"; -2 when the cache is full (the statement
 * runs unnamed, as every one did before); -1 on failure.
 */
static int
db_pg_named(struct db_stmt *st)
{
	struct db		*d = st->db;
	struct db_pgprep	*p;
	PGresult		*res;
	size_t			 tsz = (size_t)st->nparam * sizeof(*st->type);
	char			 name[16];
	int			 i;

	for (i = 0; i < d->nprep; i++) {
		p = &d->prep[i];
		if (p->hash == st->hash && p->nparam == st->nparam &&
		    (tsz == 0 || memcmp(p->type, st->type, tsz) == 0) &&
		    strcmp(p->sql, st->sql) == 0)
			return i;
	}
	if (d->nprep == DB_PG_PREP_MAX)
		return -2;
	p = &d->prep[d->nprep];
	p->type = NULL;
	if ((p->sql = strdup(st->sql)) == NULL ||
	    (tsz > 0 && (p->type = malloc(tsz)) == NULL)) {
		free(p->sql);
		p->sql = NULL;
		db_seterr(d, 1, "%s", strerror(errno));
		return -1;
	}
	if (tsz > 0)
		memcpy(p->type, st->type, tsz);
	p->hash = st->hash;
	p->nparam = st->nparam;
	snprintf(name, sizeof(name), "ox_p%d", d->nprep);
	res = PQprepare(d->pg, name, st->sql, st->nparam, st->type);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_pg_err(d, res);
		PQclear(res);
		free(p->sql);
		free(p->type);
		p->sql = NULL;
		p->type = NULL;
		return -1;
	}
	PQclear(res);
	return d->nprep++;
}

/* Queue a statement in pipeline mode: its named form when it has one. */
static int
db_pg_send(struct db_stmt *st, int named)
{
	char	 name[16];

	if (named < 0)
		return PQsendQueryParams(st->db->pg, st->sql, st->nparam,
		    st->type, (const char *const *)st->val, NULL, NULL, 0);
	snprintf(name, sizeof(name), "ox_p%d", named);
	return PQsendQueryPrepared(st->db->pg, name, st->nparam,
	    (const char *const *)st->val, NULL, NULL, 0);
}

/*
 * The results up to the next sync: the first failure, or (want) the
 * last query's result, into *keep when it holds none yet.
 */
static void
db_pg_collect(struct db *d, int queries, int want, PGresult **keep, int sync)
{
	PGresult	*res;
	int		 i, ok;

	for (i = 0; i < queries; i++)		/* each: its result, NULL */
		while ((res = PQgetResult(d->pg)) != NULL) {
			ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
			    PQresultStatus(res) == PGRES_TUPLES_OK;
			if (*keep == NULL && (!ok || (want && i == queries - 1)))
				*keep = res;
			else
				PQclear(res);
		}
	if (sync)
		PQclear(PQgetResult(d->pg));	/* PGRES_PIPELINE_SYNC */
}

/*
 * The db_step_later() statements and then the statement st (or the text
 * sql, without parameters) in one pipeline, one sync, one round trip.
 * The first failure is the outcome (a failure of a waiting statement
 * also marks the transaction broken: db_commit), and the statements
 * after it are not run, a ROLLBACK TO among them neither: the
 * transaction stays failed until the caller's ROLLBACK; else st's result
 * goes to *resp (when not NULL). 0, or -1 with the message.
 */
static int
db_pg_pipeline(struct db *d, struct db_stmt *st, const char *sql,
    PGresult **resp, struct db_stmt *next)
{
	struct db_stmt	*q[DB_LATER_MAX];
	int		 named[DB_LATER_MAX + 2], i, n = d->nlater, ok = 1;
	PGresult	*keep = NULL, *nres = NULL;

	memcpy(q, d->later, sizeof(q));
	d->nlater = 0;
	for (i = 0; i < n && ok; i++)	/* PQprepare: before the pipeline */
		ok = (named[i] = db_pg_named(q[i])) != -1;
	if (ok && st != NULL)
		ok = (named[n] = db_pg_named(st)) != -1;
	if (ok && next != NULL)
		ok = (named[n + 1] = db_pg_named(next)) != -1;
	if (!ok) {			/* its message is set */
		for (i = 0; i < n; i++)
			db_finalize(q[i]);
		return -1;
	}
	if ((ok = PQenterPipelineMode(d->pg)) == 1) {
		for (i = 0; i < n && ok; i++)
			ok = db_pg_send(q[i], named[i]);
		ok = ok && (st != NULL ? db_pg_send(st, named[n]) :
		    PQsendQueryParams(d->pg, sql, 0, NULL, NULL, NULL, NULL,
		    0)) && (next == NULL || db_pg_send(next, named[n + 1])) &&
		    PQpipelineSync(d->pg);
		if (ok) {
			db_pg_collect(d, n, 0, &keep, 0);
			d->broken |= keep != NULL;
			db_pg_collect(d, 1, 1, &keep, next == NULL);
			if (next != NULL)
				db_pg_collect(d, 1, 1, &nres, 1);
		}
		(void)PQexitPipelineMode(d->pg);
	}
	for (i = 0; i < n; i++)
		db_finalize(q[i]);
	if (next != NULL && db_pg_ok(keep)) {
		if (db_pg_ok(nres)) {		/* kept for its steps */
			next->res = nres;
			next->ran = 1;
			next->row = -1;
		} else {		/* next's failure is the outcome */
			PQclear(keep);
			keep = nres;
		}
		nres = NULL;
	}
	PQclear(nres);
	return db_pg_result(d, keep, ok, resp);
}

/*
 * Run a prepared statement: the whole result is kept. With next, that
 * one is sent in the same round trip and its result kept for its steps.
 */
static int
db_pg_run(struct db_stmt *st, struct db_stmt *next)
{
	struct db	*d = st->db;
	char		 name[16];
	int		 i;

	if (!d->tx && db_pg_alive(d) == -1)
		return -1;
	if (st->stream && d->tx)
		return db_pg_declare(st);
	if (d->nlater > 0 || next != NULL) {
		if (db_pg_pipeline(d, st, NULL, &st->res, next) == -1)
			return -1;
	} else if ((i = db_pg_named(st)) == -1)
		return -1;
	else {
		if (i >= 0) {
			snprintf(name, sizeof(name), "ox_p%d", i);
			st->res = PQexecPrepared(d->pg, name, st->nparam,
			    (const char *const *)st->val, NULL, NULL, 0);
		} else
			st->res = PQexecParams(d->pg, st->sql, st->nparam,
			    st->type, (const char *const *)st->val, NULL, NULL,
			    0);
		if (!db_pg_ok(st->res)) {
			db_pg_err(d, st->res);
			PQclear(st->res);
			st->res = NULL;
			return -1;
		}
	}
	d->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
	st->ran = 1;
	st->row = -1;
	return 0;
}

/* Dispatch. */

int
db_open(const char *spec, int busy_ms, struct db **dp, char *err,
    size_t errlen, int *temp)
{
	struct db	*d;
	const char	*rest;
	enum db_kind	 k;
	int		 rc;

	*dp = NULL;
	*temp = 0;
	if (db_spec_kind(spec, &k, &rest) == -1) {
		snprintf(err, errlen, "%.200s: no database (sqlite:PATH or "
		    "postgresql:CONNINFO)", spec);
		return -1;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		*temp = 1;
		return -1;
	}
	d->kind = k;
	d->busy_ms = busy_ms > 0 ? busy_ms : 5000;
	rc = k == DB_SQLITE ? db_lite_open(d, rest, err, errlen, temp) :
	    db_pg_open(d, rest, err, errlen, temp);
	if (rc == -1) {
		db_close(d);
		return -1;
	}
	*dp = d;
	return 0;
}

void
db_close(struct db *d)
{
	int	 i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nlc; i++) {
		sqlite3_finalize(d->lc[i].st);
		free(d->lc[i].sql);
	}
	if (d->lite != NULL)
		sqlite3_close(d->lite);	/* every statement finalized */
	db_later_drop(d);
	if (d->pg != NULL)
		PQfinish(d->pg);
	db_pg_forget(d);
	free(d);
}

int
db_set_busy(struct db *d, int ms)
{
	int	 old = d->busy_ms;

	d->busy_ms = ms;
	if (d->kind == DB_PG && PQstatus(d->pg) == CONNECTION_OK)
		(void)db_pg_session(d);
	return old;
}

int
db_check(struct db *d)
{
	if (d->kind == DB_SQLITE)
		return db_lite_check(d);
	if (d->tx)
		return 0;
	return db_pg_alive(d);
}

/*
 * SQLite: the statement of a text prepared before and not in use now,
 * else prepared anew and kept (while the cache has room). Compiling a
 * statement cost more than running it for a small file's trace work.
 */
static int
db_lite_prepare(struct db *d, const char *sql, struct db_stmt *st)
{
	uint64_t	 h = db_hash(sql);
	struct db_litec	*c;
	int		 i;

	for (i = 0; i < d->nlc; i++) {
		c = &d->lc[i];
		if (!c->busy && c->hash == h && strcmp(c->sql, sql) == 0) {
			c->busy = 1;
			st->lite = c->st;
			st->lc = c;
			return 0;
		}
	}
	if (sqlite3_prepare_v2(d->lite, sql, -1, &st->lite, NULL) != SQLITE_OK)
		return -1;
	c = &d->lc[d->nlc];
	if (d->nlc < DB_LITE_CACHE && (c->sql = strdup(sql)) != NULL) {
		c->hash = h;
		c->st = st->lite;
		c->busy = 1;
		st->lc = c;
		d->nlc++;
	}
	return 0;
}

int
db_prepare(struct db *d, const char *sql, struct db_stmt **sp)
{
	struct db_stmt	*st;

	*sp = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		db_seterr(d, 1, "%s", strerror(errno));
		return -1;
	}
	st->db = d;
	if (d->kind == DB_SQLITE) {
		if (db_lite_prepare(d, sql, st) < 0) {
			db_lite_err(d);
			free(st);
			return -1;
		}
	} else {
		if ((st->sql = db_pg_sql(sql, &st->nparam)) != NULL)
			st->hash = db_hash(st->sql);
		if (st->sql == NULL ||
		    (st->nparam > 0 && ((st->val = calloc((size_t)st->nparam,
		    sizeof(*st->val))) == NULL || (st->type = calloc(
		    (size_t)st->nparam, sizeof(*st->type))) == NULL))) {
			db_seterr(d, 1, "%s", strerror(errno));
			db_finalize(st);
			return -1;
		}
	}
	*sp = st;
	return 0;
}

static int
db_pg_bind(struct db_stmt *st, int i, unsigned type, const char *v)
{
	char	*c = NULL;

	if (i < 1 || i > st->nparam) {
		db_seterr(st->db, 0, "bind: parameter %d of %d", i,
		    st->nparam);
		return -1;
	}
	if (v != NULL && (c = strdup(v)) == NULL) {
		db_seterr(st->db, 1, "%s", strerror(errno));
		return -1;
	}
	free(st->val[i - 1]);
	st->val[i - 1] = c;
	st->type[i - 1] = type;
	return 0;
}

int
db_bind_text(struct db_stmt *st, int i, const char *s)
{
	if (st->lite == NULL)
		return db_pg_bind(st, i, DB_PG_TEXT, s);
	if ((s == NULL ? sqlite3_bind_null(st->lite, i) :
	    sqlite3_bind_text(st->lite, i, s, -1, SQLITE_TRANSIENT)) !=
	    SQLITE_OK) {
		db_lite_err(st->db);
		return -1;
	}
	return 0;
}

int
db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	char	 s[24];

	if (st->lite == NULL) {
		snprintf(s, sizeof(s), "%lld", (long long)v);
		return db_pg_bind(st, i, DB_PG_INT8, s);
	}
	if (sqlite3_bind_int64(st->lite, i, (sqlite3_int64)v) != SQLITE_OK) {
		db_lite_err(st->db);
		return -1;
	}
	return 0;
}

int
db_bind_null(struct db_stmt *st, int i, enum db_type t)
{
	if (st->lite == NULL)
		return db_pg_bind(st, i, t == DB_T_INT ? DB_PG_INT8 :
		    DB_PG_TEXT, NULL);
	if (sqlite3_bind_null(st->lite, i) != SQLITE_OK) {
		db_lite_err(st->db);
		return -1;
	}
	return 0;
}

int
db_step(struct db_stmt *st)
{
	int	 rc;

	if (st->lite != NULL) {
		rc = sqlite3_step(st->lite);
		if (rc == SQLITE_ROW)
			return 1;
		if (rc == SQLITE_DONE) {
			st->db->changes = sqlite3_changes(st->db->lite);
			return 0;
		}
		db_lite_err(st->db);
		return -1;
	}
	if (!st->ran && db_pg_run(st, NULL) == -1)
		return -1;
	if (st->cursor != 0 && st->row + 1 >= PQntuples(st->res) &&
	    PQntuples(st->res) > 0 && db_pg_fetch(st) == -1)
		return -1;
	if (st->row + 1 < PQntuples(st->res)) {
		st->row++;
		return 1;
	}
	return 0;
}

int
db_step_with(struct db_stmt *st, struct db_stmt *next)
{
	if (st->lite == NULL && !st->ran && !st->stream && !next->ran &&
	    !next->stream && db_pg_run(st, next) == -1)
		return -1;
	return db_step(st);
}

void
db_stream(struct db_stmt *st)
{
	st->stream = 1;
}

/* Close the statement's cursor while its transaction is still open. */
static void
db_pg_close(struct db_stmt *st)
{
	char	 sql[48];

	if (st->cursor == 0 || st->db->pg == NULL ||
	    PQtransactionStatus(st->db->pg) != PQTRANS_INTRANS ||
	    db_pg_flush(st->db) == -1)
		return;
	snprintf(sql, sizeof(sql), "CLOSE ox_cursor%u", st->cursor);
	PQclear(PQexec(st->db->pg, sql));
	st->cursor = 0;
}

void
db_reset(struct db_stmt *st)
{
	if (st->lite != NULL) {
		sqlite3_reset(st->lite);
		return;
	}
	db_pg_close(st);
	PQclear(st->res);
	st->res = NULL;
	st->ran = 0;
}

void
db_finalize(struct db_stmt *st)
{
	int	 i;

	if (st == NULL)
		return;
	if (st->lite == NULL)
		db_pg_close(st);
	else if (st->lc != NULL) {	/* back to the cache, reset */
		sqlite3_reset(st->lite);
		sqlite3_clear_bindings(st->lite);
		st->lc->busy = 0;
	} else
		sqlite3_finalize(st->lite);
	PQclear(st->res);
	for (i = 0; i < st->nparam && st->val != NULL; i++)
		free(st->val[i]);
	free(st->val);
	free(st->type);
	free(st->sql);
	free(st);
}

int
db_column_null(struct db_stmt *st, int c)
{
	if (st->lite != NULL)
		return sqlite3_column_type(st->lite, c) == SQLITE_NULL;
	return st->res == NULL || st->row < 0 || c >= PQnfields(st->res) ||
	    PQgetisnull(st->res, st->row, c);
}

const char *
db_column_text(struct db_stmt *st, int c)
{
	if (st->lite != NULL)
		return (const char *)sqlite3_column_text(st->lite, c);
	return db_column_null(st, c) ? NULL : PQgetvalue(st->res, st->row, c);
}

size_t
db_column_bytes(struct db_stmt *st, int c)
{
	if (st->lite != NULL)
		return (size_t)sqlite3_column_bytes(st->lite, c);
	return db_column_null(st, c) ? 0 :
	    (size_t)PQgetlength(st->res, st->row, c);
}

int64_t
db_column_int64(struct db_stmt *st, int c)
{
	const char	*s;

	if (st->lite != NULL)
		return sqlite3_column_int64(st->lite, c);
	if ((s = db_column_text(st, c)) == NULL)
		return 0;
	return strtoll(s, NULL, 10);
}

int
db_column_count(struct db_stmt *st)
{
	if (st->lite != NULL)
		return sqlite3_column_count(st->lite);
	return st->res != NULL ? PQnfields(st->res) : 0;
}

const char *
db_column_name(struct db_stmt *st, int c)
{
	const char	*s;

	if (st->lite != NULL)
		s = sqlite3_column_name(st->lite, c);
	else
		s = st->res != NULL ? PQfname(st->res, c) : NULL;
	return s != NULL ? s : "?";
}

int64_t
db_changes(struct db *d)
{
	return d->changes;
}

int
db_exec(struct db *d, const char *sql)
{
	char	*msg = NULL, *pg;
	int	 rc;

	if (d->kind == DB_SQLITE) {
		if (sqlite3_exec(d->lite, sql, NULL, NULL, &msg) ==
		    SQLITE_OK)
			return 0;
		db_seterr(d, db_lite_temporary(sqlite3_errcode(d->lite)),
		    "%s", msg != NULL ? msg : sqlite3_errmsg(d->lite));
		sqlite3_free(msg);
		return -1;
	}
	if ((pg = db_ddl_pg(sql)) == NULL) {
		db_seterr(d, 1, "%s", strerror(errno));
		return -1;
	}
	rc = db_pg_simple(d, pg);
	free(pg);
	return rc;
}

int
db_in_tx(struct db *d)
{
	if (d->kind == DB_SQLITE)
		return !sqlite3_get_autocommit(d->lite);
	return d->tx || PQtransactionStatus(d->pg) == PQTRANS_INTRANS ||
	    PQtransactionStatus(d->pg) == PQTRANS_INERROR;
}

static int
db_pg_begin(struct db *d, enum db_tx how)
{
	if (db_pg_simple(d, how == DB_TX_READ ?
	    "BEGIN ISOLATION LEVEL REPEATABLE READ" :
	    "BEGIN; SELECT pg_advisory_xact_lock(" DB_PG_LOCK ")") == -1) {
		if (!db_pg_lost(d) &&
		    PQtransactionStatus(d->pg) != PQTRANS_IDLE)
			(void)db_pg_simple(d, "ROLLBACK");
		return -1;
	}
	return 0;
}

int
db_begin(struct db *d, enum db_tx how)
{
	if (d->kind == DB_SQLITE) {
		if (db_lite_run(d, how == DB_TX_WRITE ? "BEGIN IMMEDIATE" :
		    "BEGIN", 0) == -1)
			return -1;
		return 0;
	}
	if (db_pg_alive(d) == -1)
		return -1;
	/* one round trip: BEGIN and the lock in one simple query; a
	   connection found gone by it (the server restarted since the last
	   statement) is made again once: nothing was done in it yet */
	if (db_pg_begin(d, how) == -1 && (!db_pg_lost(d) ||
	    db_pg_alive(d) == -1 || db_pg_begin(d, how) == -1))
		return -1;
	d->tx = 1;
	d->broken = 0;
	return 0;
}

/*
 * A transaction in which a statement sent later (db_step_later) failed
 * is not committed, even when a ROLLBACK TO made it usable again: the
 * savepoint it went back to may be an older one than its caller meant
 * (the failure made the server skip the RELEASE and SAVEPOINT sent
 * after it, up to the sync). Nor one the server ended: COMMIT of a
 * failed transaction answers ROLLBACK, not an error.
 */
int
db_commit(struct db *d)
{
	PGresult	*res = NULL;
	int		 rc;

	if (d->kind == DB_SQLITE)
		return db_lite_run(d, "COMMIT", 0);
	if (d->broken) {
		(void)db_rollback(d);
		db_seterr(d, 1, "a statement of the transaction sent with "
		    "a later one failed: rolled back");
		return -1;
	}
	d->tx = 0;
	if ((rc = db_pg_query(d, "COMMIT", &res)) == 0 &&
	    strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		db_seterr(d, 1, "the server ended the transaction with %s "
		    "at its commit", PQcmdStatus(res));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

int
db_rollback(struct db *d)
{
	if (d->kind == DB_SQLITE)
		return db_lite_run(d, "ROLLBACK", 0);
	d->tx = 0;
	d->broken = 0;
	db_later_drop(d);
	return db_pg_simple(d, "ROLLBACK");
}

static void
db_later_drop(struct db *d)
{
	while (d->nlater > 0)
		db_finalize(d->later[--d->nlater]);
}

/*
 * A statement without rows whose outcome can wait (db.h): SQLite runs
 * it now; PostgreSQL sends it with the next statement. The statement is
 * finalized here or after it ran.
 */
int
db_step_later(struct db_stmt *st)
{
	struct db	*d = st->db;
	int		 rc;

	if (st->lite != NULL) {
		rc = db_step(st);
		db_finalize(st);
		return rc == -1 ? -1 : 0;
	}
	if (d->nlater == DB_LATER_MAX && db_pg_flush(d) == -1) {
		db_finalize(st);
		return -1;
	}
	d->later[d->nlater++] = st;
	return 0;
}

int
db_exec_later(struct db *d, const char *sql)
{
	struct db_stmt	*st;

	if (d->kind == DB_SQLITE)
		return db_lite_run(d, sql, 0);
	if (db_prepare(d, sql, &st) == -1)
		return -1;
	return db_step_later(st);
}

/* The schema version. */

static int
db_int_query(struct db *d, const char *sql, int64_t *v)
{
	struct db_stmt	*st;
	int		 rc;

	if (db_prepare(d, sql, &st) == -1)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		*v = db_column_int64(st, 0);
	else if (rc == 0)
		*v = 0;
	db_finalize(st);
	return rc == -1 ? -1 : 0;
}

int
db_schema_version(struct db *d, int64_t *v)
{
	int64_t	 exists;

	if (d->kind == DB_SQLITE)
		return db_int_query(d, "PRAGMA user_version", v);
	if (db_int_query(d, "SELECT count(*) FROM pg_catalog.pg_tables WHERE"
	    " schemaname = current_schema() AND tablename = 'trace_schema'",
	    &exists) == -1)
		return -1;
	if (!exists) {
		*v = 0;
		return 0;
	}
	return db_int_query(d, "SELECT coalesce(max(version), 0) FROM"
	    " trace_schema", v);
}

int
db_set_schema_version(struct db *d, int64_t v)
{
	struct db_stmt	*st;
	char		 sql[64];
	int		 rc;

	if (d->kind == DB_SQLITE) {
		/* A PRAGMA takes no parameter; the value is our constant. */
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld",
		    (long long)v);
		return db_lite_run(d, sql, 0);
	}
	if (db_pg_simple(d, "CREATE TABLE IF NOT EXISTS trace_schema"
	    " (version BIGINT NOT NULL); DELETE FROM trace_schema") == -1)
		return -1;
	if (db_prepare(d, "INSERT INTO trace_schema (version) VALUES (?)",
	    &st) == -1)
		return -1;
	rc = db_bind_int64(st, 1, v) == -1 || db_step(st) == -1 ? -1 : 0;
	db_finalize(st);
	return rc;
}

int
db_id_sync(struct db *d, const char *table)
{
	char	 sql[256];

	if (d->kind == DB_SQLITE)
		return 0;
	/* An identifier, not a value: one of the caller's constant names. */
	if (table[strspn(table, "abcdefghijklmnopqrstuvwxyz_")] != '\0' ||
	    strlen(table) > 64) {
		db_seterr(d, 0, "id sync: bad table name");
		return -1;
	}
	snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence("
	    "'%s', 'id'), coalesce((SELECT max(id) FROM %s), 0) + 1, false)",
	    table, table);
	return db_pg_simple(d, sql);
}
