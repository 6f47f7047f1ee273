/*
 * NAME
 *	db - the trace's database backends: SQLite (embedded) and
 *	PostgreSQL (libpq), behind one small interface
 * SYNOPSIS
 *	#include "gw/db.h"
 * DESCRIPTION
 *	db_open() takes a database name as oxgate.ini(5) gives it:
 *	"sqlite:PATH", "postgresql:CONNINFO" (a libpq connection string:
 *	"host=/run/postgresql dbname=oxgate", a service, a URI), or a plain
 *	PATH (SQLite, the old form). A CONNINFO with a password is refused:
 *	the password comes from libpq's password file (passfile=, PGPASSFILE,
 *	~/.pgpass) or its service file, never from a configuration value or a
 *	command line.
 *
 *	Statements are written once, with "?" for each parameter; for
 *	PostgreSQL db_prepare() turns them into $1, $2 ... (a "?" inside a
 *	quoted literal stays). Every value is bound: db_bind_text() (NULL
 *	binds NULL), db_bind_int64(), db_bind_null() (of the type given);
 *	parameters count from 1. db_step() runs the statement on its first
 *	call and gives one row per call: 1 a row, 0 no more, -1 failure.
 *	Columns count from 0; db_column_text() is NULL for NULL,
 *	db_column_int64() 0. db_changes() is the number of rows the last
 *	statement changed. db_reset() makes a statement run again with the
 *	same parameters. db_stream(), called before the first db_step() of a
 *	statement inside a transaction, has its rows read in pieces of
 *	DB_STREAM_ROWS (PostgreSQL: a server-side cursor, so that a listing
 *	of a million rows is not held in memory at once; SQLite steps row
 *	by row anyway). db_step_with(st, next) is db_step(st) on a statement
 *	not run yet that also sends next (not run yet either), whose rows
 *	are wanted right after st's: PostgreSQL runs both in one round trip
 *	and keeps next's rows for its db_step() calls; a failure of either
 *	is the outcome. SQLite runs next at its first db_step() as ever.
 *
 *	db_exec() runs a script without parameters (the schema migrations):
 *	on PostgreSQL the few words of SQLite's DDL that differ are
 *	translated first, in this one place (db_ddl_pg in db.c): INTEGER
 *	PRIMARY KEY becomes an identity column, INTEGER becomes BIGINT (times
 *	are seconds since 1970, ids 64 bits, as on SQLite).
 *
 *	Transactions: db_begin(DB_TX_WRITE) takes the write lock up front,
 *	so writers are serialised as on SQLite: BEGIN IMMEDIATE there (a busy
 *	database retried up to the busy timeout), BEGIN and a transaction
 *	advisory lock on PostgreSQL (lock_timeout: the busy timeout), shared
 *	by every host writing the same database. The one lock is kept on
 *	PostgreSQL on purpose: the trace reads before it writes (a state
 *	checked before its transition, an OFTP identity or an output looked
 *	up before it is recorded, the schema version read again before a
 *	migration), and under the lock those run one after the other as on
 *	SQLite; row locks (SELECT ... FOR UPDATE) would cover the
 *	transitions of a row that exists, not a find-or-insert of a new one
 *	nor a migration. It costs no round trip (sent with BEGIN) and is
 *	uncontended while one process writes; the purge holds it for one
 *	short batch at a time. db_begin(DB_TX_READ) opens a
 *	read snapshot (BEGIN; REPEATABLE READ on PostgreSQL). Savepoints are
 *	plain SQL on both. db_in_tx() says whether a transaction is open.
 *	On PostgreSQL db_begin() first makes a lost connection again, and
 *	once more when its BEGIN finds the connection gone (the server
 *	restarted while the handle was idle: nothing was done in the
 *	transaction yet).
 *	db_step_later() is for a statement without rows inside a write
 *	transaction whose outcome can wait and whose db_changes() is not
 *	needed (an UPDATE of the time, a history row, SAVEPOINT, RELEASE):
 *	SQLite runs it at once; PostgreSQL sends it with the next statement
 *	(or COMMIT) in one round trip, a pipeline, in order; a failure of
 *	it is then the next statement's, and db_rollback() drops it. The
 *	transaction it failed in is not committed: db_commit() then fails
 *	(temporary) and rolls it back, as a ROLLBACK TO after the failure
 *	may have gone back to an older savepoint than its caller's (the
 *	server skipped the RELEASE and SAVEPOINT sent after it). Nor is one
 *	the server ended itself (COMMIT answered ROLLBACK). It
 *	takes the statement (finalized by it). db_exec_later() is the same
 *	for a text without parameters.
 *
 *	db_schema_version() and db_set_schema_version(): PRAGMA user_version
 *	on SQLite (as ever), the one row of table trace_schema on PostgreSQL.
 *
 *	db_id_sync() makes the next id of an identity column (a table's
 *	"id") follow the largest one there, after rows were inserted with
 *	their ids (a copy): setval() on PostgreSQL, nothing on SQLite (its
 *	rowid does so by itself); the table name is a constant of the caller.
 *	db_column_count() is the number of columns of a statement's rows
 *	(PostgreSQL: once it ran).
 *
 *	db_check(): SQLite, the database file is still the one opened (not
 *	removed or replaced): 0 or -1; PostgreSQL: a lost connection is made
 *	again (0 when that worked, -1 with the reason, temporary). Lost is
 *	what libpq says, or a statement that failed for want of the
 *	connection (class 08, the server ending the session: libpq may still
 *	say CONNECTION_OK then).
 * DIAGNOSTICS
 *	Failures return -1; db_error() gives the backend's message ("...
 *	(SQLite error N)", "... (PostgreSQL SQLSTATE XXXXX)") and
 *	db_temporary() whether the failure is temporary (EX_TEMPFAIL: try
 *	again later): SQLite busy or locked; PostgreSQL connection lost,
 *	serialization failure, deadlock, lock timeout, server shutting down
 *	or starting, out of resources. db_open() writes its message into
 *	the caller's buffer and sets *temporary likewise.
 */
#ifndef OX_DB_H
#define OX_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_kind {
	DB_SQLITE = 1,
	DB_PG
};

enum db_tx {
	DB_TX_READ,
	DB_TX_WRITE
};

enum {				/* db_step() */
	DB_DONE = 0,
	DB_ROW = 1
};

enum db_type {				/* of a NULL bound */
	DB_T_TEXT,
	DB_T_INT
};

int	 db_open(const char *, int, struct db **, char *, size_t, int *);
void	 db_close(struct db *);
enum db_kind db_kind(const struct db *);
int	 db_spec_kind(const char *, enum db_kind *, const char **);
const char *db_error(const struct db *);
int	 db_temporary(const struct db *);
int	 db_set_busy(struct db *, int);
int	 db_check(struct db *);

int	 db_prepare(struct db *, const char *, struct db_stmt **);
int	 db_bind_text(struct db_stmt *, int, const char *);
int	 db_bind_int64(struct db_stmt *, int, int64_t);
int	 db_bind_null(struct db_stmt *, int, enum db_type);
int	 db_step(struct db_stmt *);
int	 db_step_with(struct db_stmt *, struct db_stmt *);
void	 db_stream(struct db_stmt *);
void	 db_reset(struct db_stmt *);
void	 db_finalize(struct db_stmt *);
int	 db_column_null(struct db_stmt *, int);
const char *db_column_text(struct db_stmt *, int);
size_t	 db_column_bytes(struct db_stmt *, int);
int64_t	 db_column_int64(struct db_stmt *, int);
int	 db_column_count(struct db_stmt *);
const char *db_column_name(struct db_stmt *, int);
int64_t	 db_changes(struct db *);

int	 db_exec(struct db *, const char *);
int	 db_begin(struct db *, enum db_tx);
int	 db_commit(struct db *);
int	 db_rollback(struct db *);
int	 db_in_tx(struct db *);
int	 db_exec_later(struct db *, const char *);
int	 db_step_later(struct db_stmt *);

int	 db_schema_version(struct db *, int64_t *);
int	 db_set_schema_version(struct db *, int64_t);
int	 db_id_sync(struct db *, const char *);

#endif
