/*
 * NAME
 *	t_trace - tests of the trace table against real SQLite files and,
 *	with OX_TEST_PG, a real PostgreSQL cluster
 * DESCRIPTION
 *	Each test works on a database file in its own test_dir(). The
 *	schema, journal mode and row counts are checked with SQLite
 *	directly, behind the API's back.
 *
 *	With OX_TEST_PG set to a libpq connection string (tests/pg.sh
 *	starts a cluster and sets it), every database name is instead a
 *	schema of its own in that database (created empty by db_path(),
 *	reached with search_path), and the checks behind the API's back go
 *	through libpq. What only a file can do (an empty or junk file, WAL,
 *	a file removed or replaced, the SQLite lock) is tested on SQLite;
 *	PostgreSQL gets its own cases there: the advisory write lock held by
 *	another session (a temporary failure after the busy timeout), a
 *	connection killed by the server and made again.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "test.h"
#include "gw/trace.h"
#include "util/buf.h"

#define T0	1700000000		/* a fixed "now" */

static const char	*pg_base;	/* OX_TEST_PG: PostgreSQL mode */

/* A PostgreSQL schema for a database name: its test and name, lower case. */
static void
pg_schema(const char *name, char *s, size_t sz)
{
	const char	*dir = strrchr(test_dir(), '/');
	size_t		 i, n = 0;
	char		 c;

	for (dir = dir != NULL ? dir + 1 : test_dir(); *dir != '\0' &&
	    n + 1 < sz; dir++) {
		c = *dir;
		s[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') :
		    ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c :
		    '_');
	}
	for (i = 0; name[i] != '\0' && n + 2 < sz; i++)
		s[n++] = name[i] == '.' ? '_' : name[i];
	s[n] = '\0';
}

static void
pg_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static PGconn *
pg_connect(const char *spec)
{
	PGconn	*c;

	if (strncmp(spec, "postgresql:", 11) == 0)
		spec += 11;
	c = PQconnectdb(spec);
	if (PQstatus(c) != CONNECTION_OK)
		test_fail(__FILE__, __LINE__, "%s: %s", spec, PQerrorMessage(c));
	PQsetNoticeProcessor(c, pg_quiet, NULL);
	return c;
}

/* Run sql (no parameters, test text only); its result or NULL. */
static PGresult *
pg_run(const char *spec, const char *sql)
{
	PGconn		*c = pg_connect(spec);
	PGresult	*r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		test_fail(__FILE__, __LINE__, "%s: %s", sql,
		    PQresultErrorMessage(r));
		PQclear(r);
		r = NULL;
	}
	PQfinish(c);
	return r;
}

static const char *
db_path(const char *name)
{
	static char	 p[4096];
	char		 s[64], sql[256];

	if (pg_base == NULL) {
		snprintf(p, sizeof(p), "%s/%s", test_dir(), name);
		return p;
	}
	pg_schema(name, s, sizeof(s));
	snprintf(p, sizeof(p), "postgresql:%s", pg_base);
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE;"
	    " CREATE SCHEMA %s", s, s);
	PQclear(pg_run(p, sql));
	snprintf(p, sizeof(p), "postgresql:%s options='-csearch_path=%s'",
	    pg_base, s);
	return p;
}

static struct trace *
db_open(const char *path)
{
	struct trace	*t = NULL;
	char		 err[512];

	if (trace_open(path, 0, &t, err, sizeof(err)) == -1) {
		test_fail(__FILE__, __LINE__, "trace_open: %s", err);
		return NULL;
	}
	return t;
}

/*
 * SQLite's words in the checks, for PostgreSQL: the schema version is
 * the row of trace_schema.
 */
static const char *
pg_words(const char *sql, char *buf, size_t sz)
{
	const char	*v;

	if (strcmp(sql, "PRAGMA user_version") == 0)
		return "SELECT coalesce((SELECT max(version) FROM"
		    " trace_schema), 0)";
	if ((v = strstr(sql, "PRAGMA user_version = ")) != NULL) {
		snprintf(buf, sz, "%.*s CREATE TABLE IF NOT EXISTS"
		    " trace_schema (version BIGINT NOT NULL); DELETE FROM"
		    " trace_schema; INSERT INTO trace_schema VALUES (%d);",
		    (int)(v - sql), sql, atoi(v + 22));
		return buf;
	}
	return sql;
}

/* The first column of the first row of sql, run behind the API's back. */
static long long
sql_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	PGresult	*r;
	char		 buf[1024];
	long long	 v = -1;

	if (pg_base != NULL) {
		/* no table yet: version 0 */
		if (strcmp(sql, "PRAGMA user_version") == 0) {
			r = pg_run(path, "SELECT to_regclass('trace_schema')"
			    " IS NULL");
			v = r != NULL && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
			PQclear(r);
			if (v)
				return 0;
		}
		if ((r = pg_run(path, pg_words(sql, buf, sizeof(buf)))) !=
		    NULL && PQntuples(r) > 0)
			v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		return v;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return -2;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

static void
sql_exec(const char *path, const char *sql)
{
	sqlite3	*db;
	char	 buf[1024];

	if (pg_base != NULL) {
		PQclear(pg_run(path, pg_words(sql, buf, sizeof(buf))));
		return;
	}
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		test_fail(__FILE__, __LINE__, "%s: %s", sql,
		    sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* Migration 11 undone (its tallies and triggers), for an older version. */
static void
undo_v11(const char *p)
{
	sql_exec(p, pg_base != NULL ? "DROP FUNCTION trace_tally_f() CASCADE;"
	    " DROP TABLE trace_tally; DROP TABLE trace_total;" :
	    "DROP TRIGGER trace_tally_ins; DROP TRIGGER trace_tally_del;"
	    " DROP TRIGGER trace_tally_upd; DROP TABLE trace_tally;"
	    " DROP TABLE trace_total;");
}

static void
oftp_row(struct trace_row *r, const char *dsn)
{
	memset(r, 0, sizeof(*r));
	r->dir = TRACE_OFTP2X400;
	snprintf(r->partner, sizeof(r->partner), "%s", "acme");
	snprintf(r->oftp.dsn, sizeof(r->oftp.dsn), "%s", dsn);
	snprintf(r->oftp.date, sizeof(r->oftp.date), "%s", "20240131");
	snprintf(r->oftp.time, sizeof(r->oftp.time), "%s", "1200000001");
	snprintf(r->oftp.orig, sizeof(r->oftp.orig), "%s", "O0013000001ACME");
	snprintf(r->oftp.dest, sizeof(r->oftp.dest), "%s", "O0013000002GATE");
	r->eerp_mode = 2;
}

static void
x400_row(struct trace_row *r, const char *mts_id)
{
	memset(r, 0, sizeof(*r));
	r->dir = TRACE_X4002OFTP;
	snprintf(r->partner, sizeof(r->partner), "%s", "acme");
	snprintf(r->mts_id, sizeof(r->mts_id), "%s", mts_id);
	r->dn_req = 1;
	r->rn_req = 1;
}

static int
count_cb(const struct trace_row *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static int
list_count(struct trace *t, const struct trace_filter *f)
{
	int	 n = 0;

	if (trace_list(t, f, count_cb, &n) != 0)
		return -1;
	return n;
}

/* Open and schema. */

/* The same tables and explicit indexes on PostgreSQL; reopening. */
static void
t_open_create_pg(const char *p)
{
	struct trace	*t;

	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM information_schema.tables"
	    " WHERE table_schema = current_schema() AND table_name IN"
	    " ('trace', 'trace_history', 'trace_recipient', 'trace_output')"),
	    4);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM pg_indexes i WHERE"
	    " schemaname = current_schema() AND indexname LIKE 'trace_%' AND"
	    " NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname ="
	    " i.indexname)"), 12);
	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	trace_close(t);
}

static void
t_open_create(void)
{
	const char	*p = db_path("trace.db");
	struct trace	*t;
	sqlite3		*db;
	sqlite3_stmt	*st;

	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	trace_close(t);
	CHECK_EQ_INT(sql_int(p, "PRAGMA user_version"), TRACE_SCHEMA_VERSION);
	if (pg_base != NULL) {
		t_open_create_pg(p);
		return;
	}
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM sqlite_master WHERE"
	    " type = 'table' AND name IN ('trace', 'trace_history',"
	    " 'trace_recipient', 'trace_output')"), 4);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM sqlite_master WHERE"
	    " type = 'index' AND name LIKE 'trace_%'"), 12);
	/* WAL is persistent: a plain connection sees it. */
	CHECK(sqlite3_open(p, &db) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) ==
	    SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_EQ_STR((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* Reopening an up-to-date database changes nothing. */
	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	trace_close(t);
}

static void
t_migrate(void)
{
	const char	*p;
	struct trace	*t;
	char		 err[512];
	int		 fd;

	if (pg_base != NULL)
		goto v0;
	/* An empty (0-octet) file is a version 0 database. */
	p = db_path("empty.db");
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	close(fd);
	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	trace_close(t);

v0:
	/* A version 0 database with someone else's table: upgraded, kept. */
	p = db_path("v0.db");
	sql_exec(p, "CREATE TABLE other (x INTEGER); INSERT INTO other VALUES (42);"
	    " PRAGMA user_version = 0;");
	CHECK_EQ_INT(sql_int(p, "PRAGMA user_version"), 0);
	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	trace_close(t);
	CHECK_EQ_INT(sql_int(p, "SELECT x FROM other"), 42);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 0);

	/* A database from the future is refused, untouched. */
	p = db_path("future.db");
	sql_exec(p, "PRAGMA user_version = 99;");
	t = NULL;
	err[0] = '\0';
	CHECK_EQ_INT(trace_open(p, 100, &t, err, sizeof(err)), -1);
	CHECK(t == NULL);
	CHECK(strstr(err, "version 99") != NULL);
	CHECK_EQ_INT(sql_int(p, "PRAGMA user_version"), 99);

	/* A migration that fails leaves version 0 (one transaction). */
	p = db_path("clash.db");
	sql_exec(p, "CREATE TABLE trace_recipient (x INTEGER);");
	CHECK_EQ_INT(trace_open(p, 100, &t, err, sizeof(err)), -1);
	CHECK(strstr(err, "migration 0 to 1") != NULL);
	CHECK(strstr(err, "already exists") != NULL);
	CHECK_EQ_INT(sql_int(p, "PRAGMA user_version"), 0);
	CHECK_EQ_INT(sql_int(p, pg_base != NULL ? "SELECT count(*) FROM"
	    " information_schema.tables WHERE table_schema = current_schema()"
	    " AND table_name = 'trace'" : "SELECT count(*) FROM sqlite_master"
	    " WHERE name = 'trace'"), 0);
	if (pg_base != NULL)
		return;

	/* Not a database at all. */
	p = db_path("junk.db");
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0 && write(fd, "this is not a database, but long "
	    "enough to have a header of one............................"
	    "..............................................", 128) == 128);
	close(fd);
	CHECK_EQ_INT(trace_open(p, 100, &t, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a database") != NULL);
}

/* Begin. */

static void
t_begin_idempotent(void)
{
	const char		*p = db_path("trace.db");
	struct trace		*t;
	struct trace_row	 in, r;
	int64_t			 id1, id2, id3;
	int			 created;

	if ((t = db_open(p)) == NULL)
		return;
	oftp_row(&in, "ORDERS.0001");
	snprintf(in.in_file, sizeof(in.in_file), "%s", "ORDERS.0001.in");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id1, &created), 0);
	CHECK_EQ_INT(created, 1);
	CHECK(id1 > 0);

	/* The redo: same identity, new partner and file; same row. */
	snprintf(in.partner, sizeof(in.partner), "%s", "acme2");
	snprintf(in.in_file, sizeof(in.in_file), "%s", "ORDERS.0001.redo");
	in.eerp_signed = 1;
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0 + 5, &id2, &created), 0);
	CHECK_EQ_INT(created, 0);
	CHECK_EQ_INT(id2, id1);
	CHECK_EQ_INT(trace_get(t, id1, &r), 1);
	CHECK_EQ_STR(r.partner, "acme2");
	CHECK_EQ_STR(r.in_file, "ORDERS.0001.redo");
	CHECK_EQ_INT(r.eerp_signed, 1);
	CHECK_EQ_INT(r.state, TRACE_S_RECEIVED);
	CHECK_EQ_INT(r.created, T0);
	CHECK_EQ_INT(r.updated, T0 + 5);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 1);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_history"), 1);

	/* A redo after progress leaves the state for the caller to see. */
	CHECK_EQ_INT(trace_record_state(t, id1, TRACE_S_CONVERTED, T0 + 6,
	    T0 + 100, NULL), 0);
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0 + 7, &id2, &created), 0);
	CHECK_EQ_INT(id2, id1);
	CHECK_EQ_INT(trace_get(t, id1, &r), 1);
	CHECK_EQ_INT(r.state, TRACE_S_CONVERTED);
	CHECK_EQ_INT(r.deadline, T0 + 100);

	/* The same identity in the other direction is another row. */
	in.dir = TRACE_X4002OFTP;
	snprintf(in.mts_id, sizeof(in.mts_id), "%s", "[DE;VIAT;OFTP;L=1]");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &id3, &created), 0);
	CHECK_EQ_INT(created, 1);
	CHECK(id3 != id1);

	/* x4002oftp is keyed by the MTS identifier. */
	x400_row(&in, "[DE;VIAT;OFTP;L=1]");
	snprintf(in.ipm_id, sizeof(in.ipm_id), "%s", "ipm-1");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0 + 1, &id2, &created), 0);
	CHECK_EQ_INT(created, 0);
	CHECK_EQ_INT(id2, id3);
	CHECK_EQ_INT(trace_get(t, id3, &r), 1);
	CHECK_EQ_STR(r.ipm_id, "ipm-1");
	CHECK_EQ_STR(r.oftp.dsn, "ORDERS.0001");	/* kept */
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 2);

	/* Bad input is refused with a message. */
	oftp_row(&in, "ORDERS.0002");
	in.oftp.orig[0] = '\0';
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id2, &created), -1);
	CHECK(strstr(trace_error(t), "incomplete") != NULL);
	x400_row(&in, "");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &id2, &created), -1);
	CHECK(strstr(trace_error(t), "MTS identifier") != NULL);
	oftp_row(&in, "ORDERS.0002");
	memset(in.partner, 'x', sizeof(in.partner));	/* no NUL */
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id2, &created), -1);
	CHECK(strstr(trace_error(t), "partner") != NULL);
	oftp_row(&in, "ORDERS.0002");
	snprintf(in.hash_alg, sizeof(in.hash_alg), "%s", "sha256");
	snprintf(in.hash, sizeof(in.hash), "%s", "ABCD");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id2, &created), -1);
	CHECK(strstr(trace_error(t), "hex") != NULL);

	/* A clash on the other unique key is refused, nothing written. */
	oftp_row(&in, "ORDERS.0003");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id2, &created), 0);
	CHECK_EQ_INT(trace_record_x400_id(t, id2, "mts-A", NULL, NULL, T0), 0);
	oftp_row(&in, "ORDERS.0004");
	snprintf(in.mts_id, sizeof(in.mts_id), "%s", "mts-A");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id3, &created), -1);
	CHECK(strstr(trace_error(t), "another transaction has the MTS"
	    " identifier") != NULL);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 3);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_history"), 4);
	trace_close(t);
}

/* States and history. */

struct hist {
	int			 n;
	enum trace_state	 s[16];
	time_t			 tm[16];
	char			 note[16][TRACE_NOTE_SZ];
};

static int
hist_cb(const struct trace_event *e, void *arg)
{
	struct hist	*h = arg;

	if (h->n < 16) {
		h->s[h->n] = e->state;
		h->tm[h->n] = e->time;
		snprintf(h->note[h->n], sizeof(h->note[0]), "%s", e->note);
	}
	h->n++;
	return 0;
}

static void
t_states(void)
{
	struct trace		*t;
	struct trace_row	 in, r;
	struct hist		 h;
	int64_t			 id;
	int			 created;

	if ((t = db_open(db_path("trace.db"))) == NULL)
		return;
	oftp_row(&in, "DELFOR.7");
	in.eerp_mode = 3;
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0 + 10,
	    T0 + 86400, "p1 written"), 0);
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_INT(r.state, TRACE_S_CONVERTED);
	CHECK_EQ_INT(r.deadline, T0 + 86400);
	CHECK_EQ_INT(r.updated, T0 + 10);
	CHECK_EQ_STR(r.note, "p1 written");

	/* The same state again: a redo, nothing recorded. */
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0 + 11,
	    T0 + 99, "again"), 0);
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_INT(r.deadline, T0 + 86400);
	CHECK_EQ_INT(r.updated, T0 + 10);

	/* Waiting on: the deadline can be kept. */
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_DELIVERED, T0 + 20,
	    TRACE_DEADLINE_KEEP, NULL), 0);
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_INT(r.deadline, T0 + 86400);
	CHECK_EQ_STR(r.note, "");

	/* Not allowed: delivered -> received; nothing changes. */
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_RECEIVED, T0 + 21, 0,
	    NULL), -1);
	CHECK(strstr(trace_error(t), "delivered -> received") != NULL);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_NONE, T0 + 21, 0,
	    NULL), -1);

	/* A final state clears the deadline, whatever is passed. */
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_READ, T0 + 30, T0 + 5,
	    NULL), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_EERP_SENT, T0 + 31, 0,
	    "eerp"), 0);
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_INT(r.state, TRACE_S_EERP_SENT);
	CHECK_EQ_INT(r.deadline, 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_FAILED, T0 + 32, 0,
	    NULL), -1);

	memset(&h, 0, sizeof(h));
	CHECK_EQ_INT(trace_history(t, id, hist_cb, &h), 0);
	CHECK_EQ_INT(h.n, 5);
	CHECK_EQ_INT(h.s[0], TRACE_S_RECEIVED);
	CHECK_EQ_INT(h.tm[0], T0);
	CHECK_EQ_INT(h.s[1], TRACE_S_CONVERTED);
	CHECK_EQ_STR(h.note[1], "p1 written");
	CHECK_EQ_INT(h.s[2], TRACE_S_DELIVERED);
	CHECK_EQ_INT(h.s[3], TRACE_S_READ);
	CHECK_EQ_INT(h.s[4], TRACE_S_EERP_SENT);
	CHECK_EQ_INT(h.tm[4], T0 + 31);

	/* Failed -> received (reprocess), overflow -> deleted. */
	oftp_row(&in, "DELFOR.8");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_FAILED, T0, 0,
	    "bad SFID"), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_RECEIVED, T0, 0, NULL),
	    0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0, T0 + 1,
	    NULL), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_EXPIRED, T0 + 2, 0,
	    NULL), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_OVERFLOW, T0 + 2, 0,
	    NULL), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_DELETED, T0 + 3, 0,
	    NULL), 0);

	/* Unknown row. */
	CHECK_EQ_INT(trace_record_state(t, 999999, TRACE_S_FAILED, T0, 0,
	    NULL), -1);
	CHECK(strstr(trace_error(t), "999999 not found") != NULL);
	CHECK_EQ_INT(trace_get(t, 999999, &r), 0);

	/* The names round-trip; the table agrees with the header. */
	{
		enum trace_state	 s;
		int			 i;

		for (i = TRACE_S_RECEIVED; i < TRACE_S_COUNT; i++) {
			CHECK_EQ_INT(trace_state_parse(trace_state_name(
			    (enum trace_state)i), &s), 0);
			CHECK_EQ_INT(s, i);
		}
		CHECK_EQ_INT(trace_state_parse("none", &s), -1);
		CHECK_EQ_STR(trace_state_name(TRACE_S_EERP_SENT), "eerp-sent");
		CHECK(!trace_state_next_ok(TRACE_S_NERP_RECEIVED,
		    TRACE_S_RECEIVED));
		CHECK(trace_state_next_ok(TRACE_S_OVERFLOW, TRACE_S_RECEIVED));
	}
	trace_close(t);
}

/* Identities and lookups. */

static void
t_find(void)
{
	struct trace		*t;
	struct trace_row	 in, r;
	struct trace_oftp_id	 o;
	int64_t			 a, b, c;
	int			 created;

	if ((t = db_open(db_path("trace.db"))) == NULL)
		return;
	oftp_row(&in, "INVOIC.1");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &a, &created), 0);
	CHECK_EQ_INT(trace_record_x400_id(t, a, "[DE;VIAT;OFTP;L=a]",
	    "1*C=DE;A=VIAT;P=OFTP;S=acme*a", NULL, T0 + 1), 0);
	oftp_row(&in, "INVOIC.2");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &b, &created), 0);
	CHECK_EQ_INT(trace_record_x400_id(t, b, "[DE;VIAT;OFTP;L=b]", NULL,
	    "edim-b", T0 + 1), 0);
	CHECK_EQ_INT(trace_record_hash(t, b, "sha256", "00ff10", T0 + 2), 0);
	CHECK_EQ_INT(trace_record_files(t, b, "INVOIC.2", "b.p1", NULL,
	    T0 + 2), 0);
	CHECK_EQ_INT(trace_record_files(t, b, NULL, NULL, "b.eerp", T0 + 3),
	    0);
	x400_row(&in, "[DE;VIAT;PRMD;L=c]");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &c, &created), 0);
	memset(&o, 0, sizeof(o));
	snprintf(o.dsn, sizeof(o.dsn), "%s", "OUT.C");
	snprintf(o.date, sizeof(o.date), "%s", "20240201");
	snprintf(o.time, sizeof(o.time), "%s", "0000000000");
	snprintf(o.orig, sizeof(o.orig), "%s", "O0013000002GATE");
	snprintf(o.dest, sizeof(o.dest), "%s", "O0013000001ACME");
	CHECK_EQ_INT(trace_record_oftp_id(t, c, &o, T0 + 1), 0);

	oftp_row(&in, "INVOIC.2");
	CHECK_EQ_INT(trace_find_by_oftp(t, TRACE_OFTP2X400, &in.oftp, &r), 1);
	CHECK_EQ_INT(r.id, b);
	CHECK_EQ_STR(r.hash_alg, "sha256");
	CHECK_EQ_STR(r.hash, "00ff10");
	CHECK_EQ_STR(r.in_file, "INVOIC.2");
	CHECK_EQ_STR(r.out_file, "b.p1");
	CHECK_EQ_STR(r.ack_file, "b.eerp");
	CHECK_EQ_INT(r.updated, T0 + 3);
	CHECK_EQ_INT(trace_find_by_oftp(t, TRACE_X4002OFTP, &in.oftp, &r), 0);
	snprintf(in.oftp.time, sizeof(in.oftp.time), "%s", "1200000002");
	CHECK_EQ_INT(trace_find_by_oftp(t, TRACE_OFTP2X400, &in.oftp, &r), 0);
	CHECK_EQ_INT(trace_find_by_oftp(t, TRACE_X4002OFTP, &o, &r), 1);
	CHECK_EQ_INT(r.id, c);
	CHECK_EQ_INT(r.dn_req, 1);

	CHECK_EQ_INT(trace_find_by_mts_id(t, TRACE_OFTP2X400,
	    "[DE;VIAT;OFTP;L=a]", &r), 1);
	CHECK_EQ_INT(r.id, a);
	CHECK_EQ_STR(r.oftp.dsn, "INVOIC.1");
	CHECK_EQ_INT(trace_find_by_mts_id(t, TRACE_X4002OFTP,
	    "[DE;VIAT;PRMD;L=c]", &r), 1);
	CHECK_EQ_INT(r.id, c);
	CHECK_EQ_INT(trace_find_by_mts_id(t, TRACE_X4002OFTP,
	    "[DE;VIAT;OFTP;L=a]", &r), 0);
	CHECK_EQ_INT(trace_find_by_ipm_id(t, TRACE_OFTP2X400,
	    "1*C=DE;A=VIAT;P=OFTP;S=acme*a", &r), 1);
	CHECK_EQ_INT(r.id, a);
	CHECK_EQ_INT(trace_find_by_ipm_id(t, TRACE_OFTP2X400, "nope", &r), 0);
	CHECK_EQ_INT(trace_find_by_edim_id(t, TRACE_OFTP2X400, "edim-b", &r),
	    1);
	CHECK_EQ_INT(r.id, b);
	CHECK_EQ_INT(trace_find_by_edim_id(t, TRACE_OFTP2X400, "", &r), -1);

	/* Recording on a row that is not there. */
	CHECK_EQ_INT(trace_record_x400_id(t, 424242, "x", NULL, NULL, T0), -1);
	CHECK(strstr(trace_error(t), "not found") != NULL);
	CHECK_EQ_INT(trace_record_hash(t, a, "sha256", "0g", T0), -1);
	trace_close(t);
}

/* Recipients and the EERP/NERP verdict. */

struct rcpts {
	int			 n;
	enum trace_outcome	 o[8];
	char			 addr[8][TRACE_MSGID_SZ];
};

static int
rcpt_cb(const struct trace_rcpt *rc, void *arg)
{
	struct rcpts	*r = arg;

	if (r->n < 8) {
		r->o[r->n] = rc->outcome;
		snprintf(r->addr[r->n], sizeof(r->addr[0]), "%s", rc->address);
	}
	r->n++;
	return 0;
}

/*
 * trace_find_rcpt(): the row by each key and its recipients in one call
 * (one round trip on PostgreSQL); none for an unknown key; in a write
 * transaction the row's outputs are known after it (a second output of
 * the same name is refused without another read, as after
 * trace_recipients()).
 */
static void
t_find_rcpt(void)
{
	static const char *const two[] = { "G=a;S=x;P=p;A=v;C=de",
	    "G=b;S=x;P=p;A=v;C=de" };
	static const enum trace_key keys[] = { TRACE_KEY_MTS, TRACE_KEY_IPM,
	    TRACE_KEY_EDIM };
	static const char *const vals[] = { "[DE;V;O;L=fr]", "ipm-fr",
	    "edim-fr" };
	struct trace		*t;
	struct trace_row	 in, r;
	struct rcpts		 rr;
	int64_t			 id, other;
	int			 created;
	size_t			 i;

	if ((t = db_open(db_path("trace.db"))) == NULL)
		return;
	oftp_row(&in, "FR");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_recipients(t, id, two, 2, T0), 0);
	CHECK_EQ_INT(trace_record_x400_id(t, id, vals[0], vals[1], vals[2],
	    T0), 0);
	CHECK_EQ_INT(trace_record_output(t, id, "x400/out", "fr.p1.tmp",
	    "fr.p1", T0), 0);
	oftp_row(&in, "FR2");		/* another row, no recipients */
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &other, &created), 0);
	CHECK_EQ_INT(trace_record_x400_id(t, other, "[DE;V;O;L=fr2]", NULL,
	    NULL, T0), 0);
	for (i = 0; i < 3; i++) {
		memset(&rr, 0, sizeof(rr));
		CHECK_EQ_INT(trace_find_rcpt(t, keys[i], TRACE_OFTP2X400,
		    vals[i], &r, rcpt_cb, &rr), 1);
		CHECK_EQ_INT(r.id, id);
		CHECK_EQ_STR(r.oftp.dsn, "FR");
		CHECK_EQ_INT(rr.n, 2);
		CHECK_EQ_STR(rr.addr[0], two[0]);
		CHECK_EQ_STR(rr.addr[1], two[1]);
		CHECK_EQ_INT(rr.o[0], TRACE_R_PENDING);
		/* the other direction has no such row */
		memset(&rr, 0, sizeof(rr));
		CHECK_EQ_INT(trace_find_rcpt(t, keys[i], TRACE_X4002OFTP,
		    vals[i], &r, rcpt_cb, &rr), 0);
		CHECK_EQ_INT(rr.n, 0);
	}
	memset(&rr, 0, sizeof(rr));
	CHECK_EQ_INT(trace_find_rcpt(t, TRACE_KEY_MTS, TRACE_OFTP2X400,
	    "[DE;V;O;L=fr2]", &r, rcpt_cb, &rr), 1);
	CHECK_EQ_INT(r.id, other);
	CHECK_EQ_INT(rr.n, 0);
	CHECK_EQ_INT(trace_find_rcpt(t, TRACE_KEY_MTS, TRACE_OFTP2X400, "",
	    &r, rcpt_cb, &rr), -1);

	/* in a write transaction: the outputs come with the recipients */
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	memset(&rr, 0, sizeof(rr));
	CHECK_EQ_INT(trace_find_rcpt(t, TRACE_KEY_MTS, TRACE_OFTP2X400,
	    vals[0], &r, rcpt_cb, &rr), 1);
	CHECK_EQ_INT(rr.n, 2);
	CHECK_EQ_INT(trace_record_output(t, id, "x400/out", "fr.p1.tmp2",
	    "fr.p1", T0 + 1), 1);		/* already recorded */
	CHECK_EQ_INT(trace_record_output(t, id, "oftp/eerp.out", "fr.e.tmp",
	    "fr.eerp", T0 + 1), 0);
	CHECK_EQ_INT(trace_batch_commit(t), 0);
	CHECK_EQ_INT(trace_output_recorded(t, id, "oftp/eerp.out", "fr.eerp"),
	    1);
	trace_close(t);
}

static void
t_recipients(void)
{
	static const char *const three[] = { "G=a;S=x;P=p;A=v;C=de",
	    "G=b;S=x;P=p;A=v;C=de", "G=c;S=x;P=p;A=v;C=de" };
	struct trace		*t;
	struct trace_row	 in, r;
	struct rcpts		 rr;
	enum trace_verdict	 v;
	int64_t			 id, id3;
	int			 created;

	if ((t = db_open(db_path("trace.db"))) == NULL)
		return;

	/* EERP mode 2: positive when every recipient is delivered. */
	oftp_row(&in, "M2");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_recipients(t, id, three, 3, T0), 0);
	CHECK_EQ_INT(trace_record_recipients(t, id, three, 3, T0), 0); /* redo */
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_INT(r.nrcpt, 3);
	CHECK_EQ_INT(trace_record_outcome(t, id, three[0], TRACE_R_DELIVERED,
	    NULL, T0 + 1, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_PENDING);
	CHECK_EQ_INT(trace_record_outcome(t, id, three[1], TRACE_R_READ,
	    NULL, T0 + 2, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_PENDING);
	/* A redo of a recipient's report gives the same answer. */
	CHECK_EQ_INT(trace_record_outcome(t, id, three[1], TRACE_R_READ,
	    NULL, T0 + 2, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_PENDING);
	CHECK_EQ_INT(trace_record_outcome(t, id, three[2], TRACE_R_DELIVERED,
	    NULL, T0 + 3, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_POSITIVE);
	/* Outcomes never go back: read stays read. */
	CHECK_EQ_INT(trace_record_outcome(t, id, three[1], TRACE_R_DELIVERED,
	    NULL, T0 + 4, &v), 0);
	memset(&rr, 0, sizeof(rr));
	CHECK_EQ_INT(trace_recipients(t, id, rcpt_cb, &rr), 0);
	CHECK_EQ_INT(rr.n, 3);
	CHECK_EQ_STR(rr.addr[0], three[0]);
	CHECK_EQ_INT(rr.o[0], TRACE_R_DELIVERED);
	CHECK_EQ_INT(rr.o[1], TRACE_R_READ);
	CHECK_EQ_STR(rr.addr[2], three[2]);

	/* Mode 2: the first NDN is negative, so are the later answers. */
	oftp_row(&in, "M2N");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_recipients(t, id, three, 3, T0), 0);
	CHECK_EQ_INT(trace_record_outcome(t, id, three[1],
	    TRACE_R_NONDELIVERED, "unknown user", T0 + 1, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_NEGATIVE);
	CHECK_EQ_INT(trace_record_outcome(t, id, three[0], TRACE_R_DELIVERED,
	    NULL, T0 + 2, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_NEGATIVE);

	/* Mode 3: delivered is not enough, read is; notread is negative. */
	oftp_row(&in, "M3");
	in.eerp_mode = 3;
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id3, &created), 0);
	CHECK_EQ_INT(trace_record_recipients(t, id3, three, 2, T0), 0);
	CHECK_EQ_INT(trace_record_outcome(t, id3, three[0], TRACE_R_DELIVERED,
	    NULL, T0 + 1, &v), 0);
	CHECK_EQ_INT(trace_record_outcome(t, id3, three[1], TRACE_R_DELIVERED,
	    NULL, T0 + 1, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_PENDING);
	CHECK_EQ_INT(trace_record_outcome(t, id3, three[0], TRACE_R_READ,
	    NULL, T0 + 2, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_PENDING);
	CHECK_EQ_INT(trace_record_outcome(t, id3, three[1], TRACE_R_READ,
	    NULL, T0 + 2, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_POSITIVE);
	oftp_row(&in, "M3N");
	in.eerp_mode = 3;
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id3, &created), 0);
	CHECK_EQ_INT(trace_record_recipients(t, id3, three, 2, T0), 0);
	CHECK_EQ_INT(trace_record_outcome(t, id3, three[0], TRACE_R_NOTREAD,
	    "discarded", T0 + 1, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_NEGATIVE);

	/* Errors: unknown recipient, pending as an outcome. */
	CHECK_EQ_INT(trace_record_outcome(t, id3, "G=z", TRACE_R_READ, NULL,
	    T0, &v), -1);
	CHECK(strstr(trace_error(t), "no recipient G=z") != NULL);
	CHECK_EQ_INT(trace_record_outcome(t, id3, three[0], TRACE_R_PENDING,
	    NULL, T0, &v), -1);
	CHECK_EQ_INT(trace_record_recipients(t, 77777, three, 1, T0), -1);
	trace_close(t);
}

/* Lists, filters and the CSV report. */

static int
stop_cb(const struct trace_row *r, void *arg)
{
	(void)r;
	return ++(*(int *)arg) == 2 ? 7 : 0;
}

static void
t_list(void)
{
	struct trace		*t;
	struct trace_row	 in;
	struct trace_filter	 f;
	int64_t			 id;
	int			 created, i, n;
	char			 dsn[32];

	if ((t = db_open(db_path("trace.db"))) == NULL)
		return;
	for (i = 0; i < 10; i++) {
		snprintf(dsn, sizeof(dsn), "L.%d", i);
		oftp_row(&in, dsn);
		if (i % 2)
			snprintf(in.partner, sizeof(in.partner), "%s", "bmw");
		CHECK_EQ_INT(trace_begin_oftp(t, &in, T0 + i * 60, &id,
		    &created), 0);
		if (i < 3)
			CHECK_EQ_INT(trace_record_state(t, id,
			    TRACE_S_FAILED, T0 + i * 60, 0, NULL), 0);
	}
	x400_row(&in, "mts-x");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &id, &created), 0);

	CHECK_EQ_INT(list_count(t, NULL), 11);
	memset(&f, 0, sizeof(f));
	CHECK_EQ_INT(list_count(t, &f), 11);
	f.dir = TRACE_X4002OFTP;
	CHECK_EQ_INT(list_count(t, &f), 1);
	memset(&f, 0, sizeof(f));
	f.since = T0 + 5 * 60;			/* inclusive */
	CHECK_EQ_INT(list_count(t, &f), 5);
	f.until = T0 + 7 * 60;			/* exclusive */
	CHECK_EQ_INT(list_count(t, &f), 2);
	memset(&f, 0, sizeof(f));
	f.state = TRACE_S_FAILED;
	CHECK_EQ_INT(list_count(t, &f), 3);
	f.partner = "bmw";
	CHECK_EQ_INT(list_count(t, &f), 1);
	f.state = TRACE_S_NONE;
	CHECK_EQ_INT(list_count(t, &f), 5);
	f.partner = "nobody";
	CHECK_EQ_INT(list_count(t, &f), 0);

	n = 0;
	CHECK_EQ_INT(trace_list(t, NULL, stop_cb, &n), 7);
	CHECK_EQ_INT(n, 2);
	trace_close(t);
}

/*
 * Two handles in one process (oxweb: one per thread), then another
 * process opens and closes the database: the WAL stays, and what one
 * handle writes the other process reads. trace_open() once closed a
 * descriptor of the database, dropping the first handle's POSIX locks:
 * the other process, closing, took itself for the last user and removed
 * the WAL under both handles, whose writes then went nowhere.
 */
static void
t_two_handles(void)
{
	const char *p = db_path("two.db");
	struct trace *t1, *t2;
	struct trace_row in;
	char	 wal[4200];
	struct stat st;
	int64_t	 id;
	int	 created, status = -1;
	pid_t	 pid;

	if (pg_base != NULL)	/* POSIX locks on a file: SQLite's */
		return;
	if ((t1 = db_open(p)) == NULL || (t2 = db_open(p)) == NULL)
		return;
	oftp_row(&in, "TWO.1");
	CHECK_EQ_INT(trace_begin_oftp(t1, &in, T0, &id, &created), 0);
	if ((pid = fork()) == 0) {	/* a process of its own: sqlite3 */
		int	 fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execlp("sqlite3", "sqlite3", p, "SELECT count(*) FROM trace",
		    (char *)NULL);
		_exit(127);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	snprintf(wal, sizeof(wal), "%s-wal", p);
	CHECK_EQ_INT(stat(wal, &st), 0);
	CHECK_EQ_INT(trace_record_state(t2, id, TRACE_S_FAILED, T0, 0, NULL),
	    0);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace WHERE"
	    " state = 'failed'"), 1);
	trace_close(t2);
	trace_close(t1);
}

static int
first_cb(const struct trace_row *r, void *arg)
{
	int64_t	*v = arg;

	if (*v == 0)
		*v = r->id;
	return 0;
}

struct pcount {
	uint64_t acme_failed, acme_all, bmw_all;
};

static int
pcount_cb(const char *partner, enum trace_state s, uint64_t n, void *arg)
{
	struct pcount *c = arg;

	if (strcmp(partner, "acme") == 0) {
		c->acme_all += n;
		if (s == TRACE_S_FAILED)
			c->acme_failed += n;
	} else if (strcmp(partner, "bmw") == 0)
		c->bmw_all += n;
	return 0;
}

/* trace_search(): identifier, partner list, order, page; trace_counts(). */
static void
t_search(void)
{
	static const char *const bmw[] = { "bmw" }, *const none[] = { "x" };
	struct trace		*t;
	struct trace_row	 in;
	struct trace_query	 q;
	struct pcount		 c;
	uint64_t		 nf;
	int64_t			 id, first;
	int			 created, i, n;
	char			 dsn[32];

	if ((t = db_open(db_path("search.db"))) == NULL)
		return;
	for (i = 0; i < 10; i++) {
		snprintf(dsn, sizeof(dsn), "S.%d", i);
		oftp_row(&in, dsn);
		if (i % 2)
			snprintf(in.partner, sizeof(in.partner), "%s", "bmw");
		CHECK_EQ_INT(trace_begin_oftp(t, &in, T0 + i * 60, &id,
		    &created), 0);
		CHECK_EQ_INT(trace_record_x400_id(t, id, i == 4 ? "mts-4" :
		    NULL, i == 6 ? "ipm-6" : NULL, NULL, T0 + i * 60), 0);
		if (i < 3)
			CHECK_EQ_INT(trace_record_state(t, id,
			    TRACE_S_FAILED, T0 + i * 60, 0, NULL), 0);
	}
	memset(&q, 0, sizeof(q));
	q.text = "S.3";
	n = 0;
	CHECK_EQ_INT(trace_search(t, &q, count_cb, &n), 0);
	CHECK_EQ_INT(n, 1);
	q.text = "mts-4";
	first = 0;
	CHECK_EQ_INT(trace_search(t, &q, first_cb, &first), 0);
	CHECK_EQ_INT(first, 5);
	q.text = "ipm-6";
	first = 0;
	CHECK_EQ_INT(trace_search(t, &q, first_cb, &first), 0);
	CHECK_EQ_INT(first, 7);
	q.text = "S.";				/* exact, not a prefix */
	n = 0;
	CHECK_EQ_INT(trace_search(t, &q, count_cb, &n), 0);
	CHECK_EQ_INT(n, 0);
	/* a restricted user: only its partners, even when it asks others */
	memset(&q, 0, sizeof(q));
	q.only = bmw;
	q.nonly = 1;
	n = 0;
	CHECK_EQ_INT(trace_search(t, &q, count_cb, &n), 0);
	CHECK_EQ_INT(n, 5);
	q.f.partner = "acme";
	n = 0;
	CHECK_EQ_INT(trace_search(t, &q, count_cb, &n), 0);
	CHECK_EQ_INT(n, 0);
	q.f.partner = NULL;
	q.only = none;
	q.nonly = 0;				/* an empty list: nothing */
	n = 0;
	CHECK_EQ_INT(trace_search(t, &q, count_cb, &n), 0);
	CHECK_EQ_INT(n, 0);
	/* newest first, pages of 3 */
	memset(&q, 0, sizeof(q));
	q.desc = 1;
	q.limit = 3;
	q.offset = 3;
	first = 0;
	CHECK_EQ_INT(trace_search(t, &q, first_cb, &first), 0);
	CHECK_EQ_INT(first, 7);
	n = 0;
	q.offset = 9;
	CHECK_EQ_INT(trace_search(t, &q, count_cb, &n), 0);
	CHECK_EQ_INT(n, 1);
	q.sort = TRACE_SORT_PARTNER;
	q.desc = 0;
	q.offset = 0;
	first = 0;
	CHECK_EQ_INT(trace_search(t, &q, first_cb, &first), 0);
	CHECK_EQ_INT(first, 1);			/* acme, the lowest id */
	q.sort = (enum trace_sort)99;
	CHECK_EQ_INT(trace_search(t, &q, count_cb, &n), -1);

	memset(&c, 0, sizeof(c));
	CHECK_EQ_INT(trace_counts(t, 0, T0 + 3600, NULL, 0, pcount_cb, &c),
	    0);
	CHECK(c.acme_all == 5 && c.acme_failed == 2 && c.bmw_all == 5);
	CHECK_EQ_INT(trace_count_state(t, TRACE_S_FAILED, NULL, 0, &nf), 0);
	CHECK_EQ_INT(nf, 3);
	CHECK_EQ_INT(trace_count_state(t, TRACE_S_FAILED, bmw, 1, &nf), 0);
	CHECK_EQ_INT(nf, 1);
	CHECK_EQ_INT(trace_count_state(t, TRACE_S_FAILED, none, 0, &nf), 0);
	CHECK_EQ_INT(nf, 0);
	memset(&c, 0, sizeof(c));
	CHECK_EQ_INT(trace_counts(t, T0 + 5 * 60, T0 + 9 * 60, bmw, 1,
	    pcount_cb, &c), 0);
	CHECK(c.acme_all == 0 && c.bmw_all == 2);	/* 9 is not before */
	trace_close(t);
}

/* One group of trace_counts() against a count of the rows themselves. */
struct window {
	const char	*p;
	time_t		 a, b;
	uint64_t	 sum;
};

static int
window_cb(const char *partner, enum trace_state s, uint64_t n, void *arg)
{
	struct window	*w = arg;
	char		 sql[512];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM trace WHERE"
	    " coalesce(partner, '') = '%s' AND state = '%s' AND created >= %lld"
	    " AND created < %lld", partner, trace_state_name(s),
	    (long long)w->a, (long long)w->b);
	CHECK(n > 0);
	CHECK_EQ_INT((long long)n, sql_int(w->p, sql));
	w->sum += n;
	return 0;
}

/* Every window's counts and every state's total equal the rows'. */
static void
tally_check(struct trace *t, const char *p)
{
	static const time_t len[] = { 600, 3600, 7300, 5 * 3600 };
	struct window	 w = { p, 0, 0, 0 };
	uint64_t	 n;
	char		 sql[256];
	int		 i, k;

	for (i = 0; i < 8; i++)
		for (k = 0; k < 4; k++) {
			w.a = T0 - 3 * 3600 + i * 1789;
			w.b = w.a + len[k];
			w.sum = 0;
			CHECK_EQ_INT(trace_counts(t, w.a, w.b, NULL, 0,
			    window_cb, &w), 0);
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM trace"
			    " WHERE created >= %lld AND created < %lld",
			    (long long)w.a, (long long)w.b);
			CHECK_EQ_INT((long long)w.sum, sql_int(p, sql));
		}
	for (i = TRACE_S_RECEIVED; i < TRACE_S_COUNT; i++) {
		CHECK_EQ_INT(trace_count_state(t, i, NULL, 0, &n), 0);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM trace WHERE"
		    " state = '%s'", trace_state_name(i));
		CHECK_EQ_INT((long long)n, sql_int(p, sql));
	}
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_tally WHERE"
	    " n <= 0"), 0);
}

/*
 * The overview's tallies (migration 11) follow every insert, state
 * change and purge, and changes made behind the library's back; a
 * database of version 10 gets them from its rows.
 */
static void
t_tally(void)
{
	char			 p[4096], q[4096];
	struct trace		*t, *t2;
	struct trace_row	 in;
	int64_t			 id, ids[2], rows[TRACE_COPY_TABLES];
	size_t			 del;
	int			 created, i;
	char			 dsn[32];

	snprintf(q, sizeof(q), "%s", db_path("tallycopy.db"));
	snprintf(p, sizeof(p), "%s", db_path("tally.db"));
	if ((t = db_open(p)) == NULL)
		return;
	for (i = 0; i < 30; i++) {	/* 5 hours, no boundary on an hour */
		snprintf(dsn, sizeof(dsn), "T.%d", i);
		oftp_row(&in, dsn);
		snprintf(in.partner, sizeof(in.partner), "%s", i % 3 == 0 ?
		    "bmw" : i % 3 == 1 ? "" : "acme");
		CHECK_EQ_INT(trace_begin_oftp(t, &in, T0 - 3 * 3600 + i * 577,
		    &id, &created), 0);
		if (i % 4 == 0)
			CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_FAILED,
			    T0, 0, NULL), 0);
	}
	tally_check(t, p);
	sql_exec(p, "UPDATE trace SET created = created + 3600 WHERE id = 3;"
	    " UPDATE trace SET partner = 'bmw' WHERE id = 2;"
	    " UPDATE trace SET state = 'converted' WHERE id = 6;"
	    " DELETE FROM trace_history WHERE trace_id = 7;"
	    " DELETE FROM trace WHERE id = 7;"
	    " INSERT INTO trace (dir, partner, state, created, updated,"
	    " oftp_dsn) VALUES ('oftp2x400', 'acme', 'failed', 1699990000,"
	    " 1699990000, 'RAW')");
	tally_check(t, p);
	ids[0] = 1;
	ids[1] = 9;
	CHECK_EQ_INT(trace_delete_stale(t, ids, 2, T0 + 1, &del), 0);
	CHECK_EQ_INT((long long)del, 2);
	tally_check(t, p);
	/* a copy (oxtrace migrate --to) has the same tallies */
	if ((t2 = db_open(q)) != NULL) {
		CHECK_EQ_INT(trace_copy(t, t2, rows, TRACE_COPY_TABLES), 0);
		tally_check(t2, q);
		trace_close(t2);
	}
	trace_close(t);
	/* version 10: no tallies; opened, made from the rows */
	undo_v11(p);
	sql_exec(p, "PRAGMA user_version = 10");
	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	tally_check(t, p);
	trace_close(t);
}

static int
csv_cb(const struct trace_row *r, void *arg)
{
	return trace_csv_row(arg, r) == 0 ? 0 : -1;
}

static void
t_csv(void)
{
	struct trace		*t;
	struct trace_row	 in, r;
	struct buf		 b;
	int64_t			 id;
	int			 created;

	buf_init(&b);
	CHECK_EQ_INT(trace_csv_header(&b), 0);
	CHECK_EQ_STR(buf_cstr(&b), "id,direction,partner,state,created,"
	    "updated,deadline,dsn,date,time,originator,destination,mts_id,"
	    "ipm_id,edim_id,eerp_mode,eerp_signed,dn_req,rn_req,recipients,"
	    "hash_alg,hash,in_file,out_file,ack_file,note,x400_originator,"
	    "no_ndr\r\n");
	buf_reset(&b);

	if ((t = db_open(db_path("trace.db"))) == NULL) {
		buf_free(&b);
		return;
	}
	oftp_row(&in, "A,B");
	snprintf(in.partner, sizeof(in.partner), "%s", "say \"hi\"");
	snprintf(in.in_file, sizeof(in.in_file), "%s", "two\nlines");
	snprintf(in.out_file, sizeof(in.out_file), "%s", "cr\rhere");
	snprintf(in.ack_file, sizeof(in.ack_file), "%s", "plain");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0 + 1,
	    T0 + 86400, "\"quoted\", and ,"), 0);
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_INT(trace_csv_row(&b, &r), 0);
	CHECK_EQ_STR(buf_cstr(&b), "1,oftp2x400,\"say \"\"hi\"\"\",converted,"
	    "2023-11-14T22:13:20Z,2023-11-14T22:13:21Z,2023-11-15T22:13:20Z,"
	    "\"A,B\",20240131,1200000001,O0013000001ACME,O0013000002GATE,,,,"
	    "2,0,0,0,0,,,\"two\nlines\",\"cr\rhere\",plain,"
	    "\"\"\"quoted\"\", and ,\",,0\r\n");
	buf_reset(&b);
	CHECK_EQ_INT(trace_list(t, NULL, csv_cb, &b), 0);
	CHECK(b.len > 0 && strstr(buf_cstr(&b), "\"A,B\"") != NULL);
	buf_free(&b);
	trace_close(t);
}

/*
 * The version 1 schema exactly as it shipped (migration 0 -> 1): a
 * database made by the programs of that version.
 */
static const char v1_ddl[] =
	"CREATE TABLE trace ("
	"  id          INTEGER PRIMARY KEY,"
	"  dir         TEXT NOT NULL CHECK (dir IN ('oftp2x400', 'x4002oftp')),"
	"  partner     TEXT, oftp_dsn TEXT, oftp_date TEXT, oftp_time TEXT,"
	"  oftp_orig   TEXT, oftp_dest TEXT, mts_id TEXT, ipm_id TEXT,"
	"  edim_id     TEXT,"
	"  eerp_mode   INTEGER NOT NULL DEFAULT 0"
	"              CHECK (eerp_mode BETWEEN 0 AND 3),"
	"  eerp_signed INTEGER NOT NULL DEFAULT 0,"
	"  dn_req      INTEGER NOT NULL DEFAULT 0,"
	"  rn_req      INTEGER NOT NULL DEFAULT 0,"
	"  state       TEXT NOT NULL, created INTEGER NOT NULL,"
	"  updated     INTEGER NOT NULL, deadline INTEGER, hash_alg TEXT,"
	"  hash TEXT, in_file TEXT, out_file TEXT, ack_file TEXT, note TEXT);"
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
	"  id INTEGER PRIMARY KEY,"
	"  trace_id INTEGER NOT NULL REFERENCES trace (id) ON DELETE CASCADE,"
	"  time INTEGER NOT NULL, state TEXT NOT NULL, note TEXT);"
	"CREATE INDEX trace_history_trace ON trace_history (trace_id, id);"
	"CREATE TABLE trace_recipient ("
	"  trace_id INTEGER NOT NULL REFERENCES trace (id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL, address TEXT NOT NULL,"
	"  outcome TEXT NOT NULL DEFAULT 'pending', time INTEGER, diag TEXT,"
	"  PRIMARY KEY (trace_id, seq), UNIQUE (trace_id, address));"
	"INSERT INTO trace (dir, partner, mts_id, ipm_id, dn_req, state,"
	"  created, updated, deadline, out_file, note) VALUES ('x4002oftp',"
	"  'acme', '[DE*DBP*MTA;m1]', '/C=DE/A=DBP/S=Old/;ipm-1', 1,"
	"  'converted', 1700000000, 1700000001, 1700086400, 'F1', 'old row');"
	"INSERT INTO trace_history (trace_id, time, state) VALUES"
	"  (1, 1700000000, 'received'), (1, 1700000001, 'converted');"
	"INSERT INTO trace_recipient (trace_id, seq, address) VALUES"
	"  (1, 1, '/C=DE/A=VIAT/P=OFTP/DD.ODETTEID=O0013ACME/');"
	"PRAGMA user_version = 1;";

/* A version 1 database opened by this version: 1 -> 2, data kept. */
static void
t_migrate_v1(void)
{
	const char	*p = db_path("v1.db");
	struct trace	*t;
	struct trace_row r;
	struct trace_filter f;

	if (pg_base != NULL)	/* a version 1 file (SQLite); PostgreSQL: */
		return;		/* the migrations 5 -> 7 in t_deferral */
	sql_exec(p, v1_ddl);
	CHECK_EQ_INT(sql_int(p, "PRAGMA user_version"), 1);
	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	CHECK_EQ_INT(trace_get(t, 1, &r), 1);
	CHECK_EQ_INT(r.dir, TRACE_X4002OFTP);
	CHECK_EQ_STR(r.partner, "acme");
	CHECK_EQ_STR(r.mts_id, "[DE*DBP*MTA;m1]");
	CHECK_EQ_STR(r.ipm_id, "/C=DE/A=DBP/S=Old/;ipm-1");
	CHECK_EQ_INT(r.state, TRACE_S_CONVERTED);
	CHECK_EQ_INT(r.deadline, 1700086400);
	CHECK_EQ_INT(r.dn_req, 1);
	CHECK_EQ_INT(r.nrcpt, 1);
	CHECK_EQ_STR(r.out_file, "F1");
	CHECK_EQ_STR(r.note, "old row");
	CHECK_EQ_STR(r.x400_orig, "");		/* not known for old rows */
	CHECK_EQ_INT(r.no_ndr, 0);		/* the X.400 default */
	memset(&f, 0, sizeof(f));
	CHECK_EQ_INT(list_count(t, &f), 1);
	/* the old row is in the sweep, and takes the new fields */
	CHECK_EQ_INT(trace_record_originator(t, 1, "/C=DE/A=DBP/S=Old/", 1,
	    1700000002), 0);
	CHECK_EQ_INT(trace_get(t, 1, &r), 1);
	CHECK_EQ_STR(r.x400_orig, "/C=DE/A=DBP/S=Old/");
	CHECK_EQ_INT(r.no_ndr, 1);
	CHECK_EQ_INT(r.state, TRACE_S_CONVERTED);
	trace_close(t);
	CHECK_EQ_INT(sql_int(p, "PRAGMA user_version"), TRACE_SCHEMA_VERSION);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM sqlite_master WHERE"
	    " name IN ('partner_state', 'partner_history')"), 2);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM pragma_table_info('trace')"
	    " WHERE name IN ('x400_orig', 'no_ndr')"), 2);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_history"), 2);
	/* opening again changes nothing */
	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	trace_close(t);
}

/* Partner controls (v3): state changes with history, status windows. */
static int
count_ev(const struct trace_pevent *e, void *arg)
{
	int	*n = arg;

	if (strcmp(e->action, "hold") == 0 && strcmp(e->who, "tester") == 0 &&
	    e->time == T0 + 1)
		*n += 100;
	(*n)++;
	return 0;
}

static void
t_partner(void)
{
	struct trace		*t;
	struct trace_partner	 p;
	time_t			 since, until;
	int			 n = 0;

	if ((t = db_open(db_path("partner.db"))) == NULL)
		return;
	/* no row: active, no status file */
	CHECK_EQ_INT(trace_partner_get(t, "acme", &p), 0);
	CHECK_EQ_INT(p.state, TRACE_P_ACTIVE);
	CHECK_EQ_INT(p.status_last, 0);
	CHECK_EQ_INT(trace_partner_set_state(t, "acme", TRACE_P_HOLD, "hold",
	    T0 + 1, "tester", "was active"), 1);
	CHECK_EQ_INT(trace_partner_set_state(t, "acme", TRACE_P_HOLD, "hold",
	    T0 + 2, "tester", NULL), 0);		/* idempotent */
	CHECK_EQ_INT(trace_partner_get(t, "acme", &p), 1);
	CHECK_EQ_INT(p.state, TRACE_P_HOLD);
	CHECK_EQ_INT(p.changed, T0 + 1);
	CHECK_EQ_INT(trace_partner_set_state(t, "acme", TRACE_P_DIVERT,
	    "divert", T0 + 3, "tester", NULL), 1);
	CHECK_EQ_INT(trace_partner_event(t, "acme", "released", T0 + 4,
	    "tester", "2 files"), 0);
	CHECK_EQ_INT(trace_partner_events(t, "acme", count_ev, &n), 0);
	CHECK_EQ_INT(n, 103);			/* hold, divert, released */
	CHECK_EQ_STR(trace_pstate_name(TRACE_P_DIVERT), "divert");
	/* status windows: begun, redone with the same end, then closed */
	CHECK_EQ_INT(trace_partner_status_begin(t, "acme", T0 + 10, &since,
	    &until), 0);
	CHECK_EQ_INT(since, 0);
	CHECK_EQ_INT(until, T0 + 10);
	CHECK_EQ_INT(trace_partner_status_begin(t, "acme", T0 + 20, &since,
	    &until), 0);
	CHECK_EQ_INT(until, T0 + 10);		/* the unfinished one */
	CHECK_EQ_INT(trace_partner_status_done(t, "acme", until, T0 + 20,
	    "f"), 0);
	CHECK_EQ_INT(trace_partner_status_begin(t, "acme", T0 + 10, &since,
	    &until), 0);			/* the same second: nothing */
	CHECK_EQ_INT(trace_partner_get(t, "acme", &p), 1);
	CHECK_EQ_INT(p.status_next, 0);
	CHECK_EQ_INT(p.status_last, T0 + 10);
	CHECK_EQ_INT(p.state, TRACE_P_DIVERT);	/* status left it alone */
	CHECK_EQ_INT(trace_partner_status_begin(t, "acme", T0 + 30, &since,
	    &until), 0);
	CHECK_EQ_INT(since, T0 + 10);
	CHECK_EQ_INT(until, T0 + 30);
	/* held and diverted transactions */
	CHECK(trace_state_next_ok(TRACE_S_RECEIVED, TRACE_S_HELD));
	CHECK(trace_state_next_ok(TRACE_S_HELD, TRACE_S_CONVERTED));
	CHECK(trace_state_next_ok(TRACE_S_DIVERTED, TRACE_S_RECEIVED));
	/* issue 22: the delivery timer runs on while held or diverted */
	CHECK(trace_state_next_ok(TRACE_S_HELD, TRACE_S_EXPIRED));
	CHECK(trace_state_next_ok(TRACE_S_HELD, TRACE_S_SENT));
	CHECK(trace_state_next_ok(TRACE_S_DIVERTED, TRACE_S_EXPIRED));
	CHECK(trace_state_waiting(TRACE_S_HELD));
	CHECK(trace_state_waiting(TRACE_S_DIVERTED));
	CHECK(trace_state_waiting(TRACE_S_SENT));
	CHECK(!trace_state_next_ok(TRACE_S_SENT, TRACE_S_CONVERTED));
	/* a hold's end: recorded, read back, cleared */
	CHECK_EQ_INT(trace_partner_hold_until(t, "acme", T0 + 3600), 0);
	CHECK_EQ_INT(trace_partner_get(t, "acme", &p), 1);
	CHECK_EQ_INT(p.until, T0 + 3600);
	CHECK_EQ_INT(p.state, TRACE_P_DIVERT);	/* the state left alone */
	CHECK_EQ_INT(trace_partner_hold_until(t, "acme", 0), 0);
	CHECK_EQ_INT(trace_partner_get(t, "acme", &p), 1);
	CHECK_EQ_INT(p.until, 0);
	CHECK_EQ_INT(trace_partner_hold_until(t, "", 1), -1);
	trace_close(t);
}


/* The originator: in begin, kept on a redo without one, recorded later. */
static void
t_originator(void)
{
	struct trace		*t;
	struct trace_row	 in, r;
	int64_t			 id, id2;
	int			 created;
	char			 big[TRACE_ORADDR_SZ + 8];

	if ((t = db_open(db_path("orig.db"))) == NULL)
		return;
	x400_row(&in, "[DE*DBP*MTA;o1]");
	snprintf(in.x400_orig, sizeof(in.x400_orig), "%s",
	    "/C=DE/A=DBP/P=ACME/O=Acme/S=Sender/");
	in.no_ndr = 1;
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(created, 1);
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_STR(r.x400_orig, "/C=DE/A=DBP/P=ACME/O=Acme/S=Sender/");
	CHECK_EQ_INT(r.no_ndr, 1);
	in.x400_orig[0] = '\0';		/* a redo that does not say */
	in.no_ndr = 0;
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0 + 1, &id2, &created), 0);
	CHECK_EQ_INT(id2, id);
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_STR(r.x400_orig, "/C=DE/A=DBP/P=ACME/O=Acme/S=Sender/");
	CHECK_EQ_INT(r.no_ndr, 0);
	CHECK_EQ_INT(trace_record_originator(t, id, "/C=DE/A=DBP/S=Other/", 0,
	    T0 + 2), 0);
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_STR(r.x400_orig, "/C=DE/A=DBP/S=Other/");
	CHECK_EQ_INT(r.updated, T0 + 2);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ_INT(trace_record_originator(t, id, big, 0, T0 + 3), -1);
	CHECK(strstr(trace_error(t), "X.400 originator") != NULL);
	CHECK_EQ_INT(trace_record_originator(t, 999, "/C=DE/", 0, T0 + 3), -1);
	trace_close(t);
}

/* The content type of an x4002oftp message (schema 6): 0 until recorded,
 * kept by a redo of begin, X.411 ub-built-in-content-type 32767. */
static void
t_ctype(void)
{
	struct trace		*t;
	struct trace_row	 in, r;
	int64_t			 id;
	int			 created;

	if ((t = db_open(db_path("ctype.db"))) == NULL)
		return;
	x400_row(&in, "[DE*DBP*MTA;c1]");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_INT(r.ctype, 0);
	CHECK_EQ_INT(trace_record_ctype(t, id, 2, T0 + 1), 0);
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0 + 2, &id, &created), 0);
	CHECK_EQ_INT(created, 0);
	CHECK_EQ_INT(trace_get(t, id, &r), 1);
	CHECK_EQ_INT(r.ctype, 2);
	CHECK_EQ_INT(trace_record_ctype(t, id, 32768, T0 + 3), -1);
	CHECK(strstr(trace_error(t), "content type") != NULL);
	CHECK_EQ_INT(trace_record_ctype(t, id, -1, T0 + 3), -1);
	CHECK_EQ_INT(trace_record_ctype(t, 999, 22, T0 + 3), -1);
	trace_close(t);
}

/* Purging at the cutoff, and the expiry sweep. */

struct arch {
	int		 n;
	int		 fail_at;	/* 0: never */
	char		 dsn[8][32];
	int64_t		 id[8];
	struct trace	*t;		/* to read the history, if set */
	struct hist	 h;
};

static int
arch_cb(const struct trace_row *r, void *arg)
{
	struct arch	*a = arg;

	if (a->n < 8) {
		snprintf(a->dsn[a->n], sizeof(a->dsn[0]), "%s", r->oftp.dsn);
		a->id[a->n] = r->id;
	}
	a->n++;
	/* The archiver may read through the handle inside the purge. */
	if (a->t != NULL && trace_history(a->t, r->id, hist_cb, &a->h) != 0)
		return -1;
	return a->fail_at != 0 && a->n == a->fail_at ? -1 : 0;
}

static void
t_purge(void)
{
	static const char *const rcpt[] = { "G=a" };
	const char		*p = db_path("trace.db");
	struct trace		*t;
	struct trace_row	 in;
	struct arch		 a;
	const time_t		 cut = T0 + 1000;
	static int64_t		 ids[TRACE_DELETE_MAX + 1];
	int64_t			 id;
	size_t			 del;
	int			 created, i;
	char			 dsn[32];

	if ((t = db_open(p)) == NULL)
		return;
	/* One row 1 s before the cutoff, one at it, one 1 s after. */
	oftp_row(&in, "BEFORE");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, cut - 1, &id, &created), 0);
	CHECK_EQ_INT(trace_record_recipients(t, id, rcpt, 1, cut - 1), 0);
	oftp_row(&in, "AT");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, cut, &id, &created), 0);
	oftp_row(&in, "AFTER");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, cut + 1, &id, &created), 0);
	/* Old but changed lately: the last change counts. */
	oftp_row(&in, "REVIVED");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_FAILED, cut + 5, 0,
	    NULL), 0);

	memset(&a, 0, sizeof(a));
	a.t = t;
	CHECK_EQ_INT(trace_list_stale(t, cut, arch_cb, &a), 0);
	CHECK_EQ_INT(a.n, 1);
	CHECK_EQ_STR(a.dsn[0], "BEFORE");
	CHECK_EQ_INT(a.h.n, 1);
	CHECK_EQ_INT(a.h.s[0], TRACE_S_RECEIVED);
	CHECK_EQ_INT(a.h.tm[0], cut - 1);
	ids[0] = a.id[0];
	CHECK_EQ_INT(trace_delete_stale(t, ids, 1, cut, &del), 0);
	CHECK_EQ_INT(del, 1);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 3);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace WHERE"
	    " oftp_dsn = 'BEFORE'"), 0);
	/* History and recipients went with the row (foreign keys on). */
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_history"), 4);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_recipient"), 0);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_history h WHERE"
	    " NOT EXISTS (SELECT 1 FROM trace t WHERE t.id = h.trace_id)"), 0);
	memset(&a, 0, sizeof(a));
	CHECK_EQ_INT(trace_list_stale(t, cut, arch_cb, &a), 0);
	CHECK_EQ_INT(a.n, 0);

	/* 5 old rows, oldest first; one changes between list and delete. */
	for (i = 0; i < 5; i++) {
		snprintf(dsn, sizeof(dsn), "OLD.%d", i);
		oftp_row(&in, dsn);
		CHECK_EQ_INT(trace_begin_oftp(t, &in, T0 + 10 - i, &id,
		    &created), 0);
	}
	memset(&a, 0, sizeof(a));
	CHECK_EQ_INT(trace_list_stale(t, cut, arch_cb, &a), 0);
	CHECK_EQ_INT(a.n, 5);
	CHECK_EQ_STR(a.dsn[0], "OLD.4");
	CHECK_EQ_STR(a.dsn[4], "OLD.0");
	CHECK_EQ_INT(trace_record_state(t, a.id[2], TRACE_S_FAILED, cut + 9, 0,
	    NULL), 0);
	CHECK_EQ_INT(trace_delete_stale(t, a.id, 5, cut, &del), 0);
	CHECK_EQ_INT(del, 4);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 4);
	/* An archive failure stops the listing and says so. */
	memset(&a, 0, sizeof(a));
	a.fail_at = 1;
	CHECK(trace_list_stale(t, cut + 100, arch_cb, &a) != 0);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 4);
	CHECK_EQ_INT(trace_delete_stale(t, ids, 0, cut, &del), 0);
	CHECK_EQ_INT(del, 0);
	CHECK_EQ_INT(trace_delete_stale(t, ids, TRACE_DELETE_MAX + 1, cut,
	    &del), -1);
	trace_close(t);
}

static int
name_cb(const struct trace_row *r, void *arg)
{
	struct arch	*a = arg;

	if (a->n < 8)
		snprintf(a->dsn[a->n], sizeof(a->dsn[0]), "%s", r->oftp.dsn);
	a->n++;
	return 0;
}

static void
t_deadline(void)
{
	struct trace		*t;
	struct trace_row	 in;
	struct arch		 a;
	const time_t		 now = T0 + 86400;
	int64_t			 id;
	int			 created;

	if ((t = db_open(db_path("trace.db"))) == NULL)
		return;
	oftp_row(&in, "DUE");			/* deadline == now: expired */
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0, now,
	    NULL), 0);
	oftp_row(&in, "LATE");			/* 1 s before: expired */
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0, now - 1,
	    NULL), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_DELIVERED, T0 + 1,
	    TRACE_DEADLINE_KEEP, NULL), 0);
	oftp_row(&in, "NOTYET");		/* 1 s after: not yet */
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0, now + 1,
	    NULL), 0);
	oftp_row(&in, "ANSWERED");		/* no longer waiting */
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0, T0 + 1,
	    NULL), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_EERP_SENT, T0 + 1, 0,
	    NULL), 0);
	oftp_row(&in, "NODEADLINE");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0, 0,
	    NULL), 0);

	memset(&a, 0, sizeof(a));
	CHECK_EQ_INT(trace_list_expired(t, now, name_cb, &a), 0);
	CHECK_EQ_INT(a.n, 2);
	CHECK_EQ_STR(a.dsn[0], "LATE");		/* earliest deadline first */
	CHECK_EQ_STR(a.dsn[1], "DUE");
	memset(&a, 0, sizeof(a));
	CHECK_EQ_INT(trace_list_expired(t, now + 1, name_cb, &a), 0);
	CHECK_EQ_INT(a.n, 3);
	memset(&a, 0, sizeof(a));
	CHECK_EQ_INT(trace_list_expired(t, now - 2, name_cb, &a), 0);
	CHECK_EQ_INT(a.n, 0);
	trace_close(t);
}

/*
 * PostgreSQL: another session holds the writers' advisory lock (a writer
 * on another host) longer than the busy timeout: a temporary failure
 * (lock timeout, SQLSTATE 55P03); readers go on; after the lock goes,
 * the write succeeds.
 */
static void
t_busy_pg(const char *p)
{
	struct trace		*t = NULL;
	struct trace_row	 in;
	PGconn			*c;
	PGresult		*r;
	char			 err[512];
	int64_t			 id;
	int			 created;

	CHECK_EQ_INT(trace_open(p, 200, &t, err, sizeof(err)), 0);
	if (t == NULL)
		return;
	c = pg_connect(p);
	r = PQexec(c, "BEGIN; SELECT pg_advisory_xact_lock(7890123456001)");
	CHECK(PQresultStatus(r) == PGRES_TUPLES_OK);
	PQclear(r);
	oftp_row(&in, "BUSY");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), -1);
	CHECK(strstr(trace_error(t), "55P03") != NULL);
	CHECK_EQ_INT(trace_temporary(t), 1);
	CHECK_EQ_INT(list_count(t, NULL), 0);
	PQclear(PQexec(c, "COMMIT"));
	PQfinish(c);
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(created, 1);
	trace_close(t);
}

/* A lock held longer than the busy timeout: an error, with SQLite's word. */
static void
t_busy(void)
{
	const char		*p = db_path("trace.db");
	struct trace		*t = NULL;
	struct trace_row	 in;
	sqlite3			*db;
	char			 err[512];
	int64_t			 id;
	int			 created;

	if (pg_base != NULL) {
		t_busy_pg(p);
		return;
	}
	CHECK_EQ_INT(trace_open(p, 200, &t, err, sizeof(err)), 0);
	if (t == NULL)
		return;
	CHECK(sqlite3_open(p, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
	    SQLITE_OK);
	oftp_row(&in, "BUSY");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), -1);
	CHECK(strstr(trace_error(t), "database is locked") != NULL);
	CHECK_EQ_INT(trace_temporary(t), 1);
	/* Readers are not blocked by the writer (WAL). */
	CHECK_EQ_INT(list_count(t, NULL), 0);
	CHECK(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(created, 1);
	trace_close(t);
}

/* Four processes writing one file at the same time. */

#define NWRITERS	4
#define NROWS		250

static int
writer(const char *path, int w, int gate)
{
	struct trace		*t;
	struct trace_row	 in;
	char			 err[512], c, dsn[32];
	int64_t			 id;
	int			 created, i, bad = 0;

	/* Wait until every writer is forked, then all go at once. */
	if (read(gate, &c, 1) != 0)
		return 1;
	if (trace_open(path, 0, &t, err, sizeof(err)) == -1) {
		fprintf(stderr, "writer %d: %s\n", w, err);
		return 1;
	}
	for (i = 0; i < NROWS && bad == 0; i++) {
		snprintf(dsn, sizeof(dsn), "W%d.%03d", w, i);
		oftp_row(&in, dsn);
		if (trace_begin_oftp(t, &in, T0 + i, &id, &created) == -1 ||
		    !created ||
		    trace_record_state(t, id, TRACE_S_CONVERTED, T0 + i,
		    T0 + i + 86400, "converted") == -1) {
			fprintf(stderr, "writer %d row %d: %s\n", w, i,
			    trace_error(t));
			bad = 1;
		}
	}
	trace_close(t);
	return bad;
}

static void
t_concurrent(void)
{
	const char	*p = db_path("trace.db");
	struct trace	*t;
	struct trace_filter f;
	pid_t		 pid[NWRITERS];
	int		 gate[2], i, st;

	/* No connection is open across fork(); the file does not exist yet:
	 * the writers race on creating and migrating it too. */
	CHECK(pipe(gate) == 0);
	fflush(NULL);
	for (i = 0; i < NWRITERS; i++) {
		if ((pid[i] = fork()) == 0) {
			close(gate[1]);
			_exit(writer(p, i, gate[0]));
		}
		CHECK(pid[i] > 0);
	}
	close(gate[0]);
	close(gate[1]);				/* go */
	for (i = 0; i < NWRITERS; i++) {
		if (pid[i] <= 0)
			continue;
		CHECK(waitpid(pid[i], &st, 0) == pid[i]);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"),
	    NWRITERS * NROWS);
	CHECK_EQ_INT(sql_int(p, "SELECT count(DISTINCT oftp_dsn) FROM trace"),
	    NWRITERS * NROWS);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_history"),
	    2 * NWRITERS * NROWS);
	CHECK_EQ_INT(sql_int(p, "PRAGMA user_version"), TRACE_SCHEMA_VERSION);
	if ((t = db_open(p)) == NULL)
		return;
	memset(&f, 0, sizeof(f));
	f.state = TRACE_S_CONVERTED;
	CHECK_EQ_INT(list_count(t, &f), NWRITERS * NROWS);
	trace_close(t);
}

/* Calls grouped in one transaction: committed together or not at all. */
static void
t_batch(void)
{
	const char		*p = db_path("trace.db");
	struct trace		*t;
	struct trace_row	 in, out;
	int64_t			 id, id2;
	int			 created;

	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	oftp_row(&in, "BATCH1");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0 + 1, 0,
	    "grouped"), 0);
	/* an illegal step inside the group fails alone */
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_RECEIVED, T0 + 2, 0,
	    NULL), -1);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 0); /* not yet */
	CHECK_EQ_INT(trace_batch_commit(t), 0);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 1);
	CHECK_EQ_INT(trace_get(t, id, &out), 1);
	CHECK_EQ_INT(out.state, TRACE_S_CONVERTED);
	/* a dropped group leaves nothing */
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	oftp_row(&in, "BATCH2");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id2, &created), 0);
	trace_batch_rollback(t);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 1);
	/* and the handle works normally afterwards */
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id2, &created), 0);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace"), 2);
	trace_close(t);
}

static int
output_cb(const struct trace_output *o, void *arg)
{
	struct buf	*b = arg;

	buf_add_str(b, o->queue);
	buf_add_str(b, "/");
	buf_add_str(b, o->name);
	buf_add_str(b, ";");
	return 0;
}

/* Outputs: recorded in order, one name per queue, found by tmp, purged. */
static void
t_outputs(void)
{
	const char		*p = db_path("trace.db");
	struct trace		*t;
	struct trace_row	 in;
	struct trace_output	 o;
	struct trace_oftp_id	 oid;
	struct buf		 b;
	int64_t			 id, id2, ids[1];
	size_t			 del;
	int			 created;

	if ((t = db_open(p)) == NULL)
		return;
	oftp_row(&in, "OUT");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_output(t, id, "x400/out", "A.p1.1", "A.p1",
	    T0), 0);
	CHECK_EQ_INT(trace_record_output(t, id, "oftp/eerp.out", "A.eerp.2",
	    "A.eerp", T0), 0);
	/* the same name again in that queue: another process was first */
	CHECK_EQ_INT(trace_record_output(t, id, "x400/out", "A.p1.3", "A.p1",
	    T0), 1);
	CHECK_EQ_INT(trace_record_output(t, id, "", "x", "y", T0), -1);
	CHECK_EQ_INT(trace_record_output(t, 999, "q", "x", "y", T0), -1);
	buf_init(&b);
	CHECK_EQ_INT(trace_outputs(t, id, output_cb, &b), 0);
	CHECK_EQ_STR(buf_cstr(&b), "x400/out/A.p1;oftp/eerp.out/A.eerp;");
	buf_free(&b);
	CHECK_EQ_INT(trace_output_find(t, "x400/out", "A.p1.1", &o), 1);
	CHECK_EQ_STR(o.name, "A.p1");
	CHECK_EQ_INT(o.trace_id, id);
	CHECK_EQ_INT(trace_output_find(t, "x400/out", "A.p1.3", &o), 0);
	CHECK_EQ_INT(trace_output_find(t, "oftp/out", "A.p1.1", &o), 0);
	/* by its final name (the sweep's timer on oftp/eerp.out) */
	CHECK_EQ_INT(trace_output_named(t, "oftp/eerp.out", "A.eerp", &o), 1);
	CHECK_EQ_INT(o.trace_id, id);
	CHECK_EQ_STR(o.tmp, "A.eerp.2");
	CHECK_EQ_INT(o.time, T0);
	CHECK_EQ_INT(trace_output_named(t, "x400/out", "A.eerp", &o), 0);
	/* inside a batch, a duplicate rolls back only itself */
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_record_output(t, id, "x400/out", "B.1", "A.p1",
	    T0), 1);
	CHECK_EQ_INT(trace_record_output(t, id, "x400/out", "B.2", "B.p1",
	    T0), 0);
	CHECK_EQ_INT(trace_batch_commit(t), 0);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_output"), 3);
	/* forgotten: a transaction made again by the operator */
	CHECK_EQ_INT(trace_forget_outputs(t, id), 0);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_output"), 0);
	CHECK_EQ_INT(trace_record_output(t, id, "x400/out", "C.1", "A.p1",
	    T0 + 1), 0);
	/* purged with the row */
	ids[0] = id;
	CHECK_EQ_INT(trace_delete_stale(t, ids, 1, T0 + 100, &del), 0);
	CHECK_EQ_INT((int)del, 1);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_output"), 0);

	/* an OFTP identity is one row's: the second gets 1, not it */
	x400_row(&in, "[DE*A*P;one]");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &id, &created), 0);
	x400_row(&in, "[DE*A*P;two]");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &id2, &created), 0);
	memset(&oid, 0, sizeof(oid));
	snprintf(oid.dsn, sizeof(oid.dsn), "DSN");
	snprintf(oid.date, sizeof(oid.date), "20240131");
	snprintf(oid.time, sizeof(oid.time), "1200000001");
	snprintf(oid.orig, sizeof(oid.orig), "O0013000002GATE");
	snprintf(oid.dest, sizeof(oid.dest), "O0013000001ACME");
	CHECK_EQ_INT(trace_record_oftp_id(t, id, &oid, T0), 0);
	CHECK_EQ_INT(trace_record_oftp_id(t, id, &oid, T0), 0);	/* again */
	CHECK_EQ_INT(trace_record_oftp_id(t, id2, &oid, T0), 1);
	snprintf(oid.time, sizeof(oid.time), "1200000002");
	CHECK_EQ_INT(trace_record_oftp_id(t, id2, &oid, T0), 0);
	trace_close(t);
}

/*
 * What a write transaction knows of a row it read (trace.c: struct
 * known) answers its later writes without reading again; it must never
 * outlive what it describes: a savepoint rolled back, the transaction
 * ended, a row made again.
 */
static void
t_known(void)
{
	static const char *const two[] = { "G=a", "G=b" };
	const char		*p = db_path("trace.db");
	struct trace		*t;
	struct trace_row	 in, out;
	struct rcpts		 r;
	struct buf		 b;
	enum trace_verdict	 v;
	int64_t			 id;
	int			 created;

	if ((t = db_open(p)) == NULL)
		return;
	memset(&r, 0, sizeof(r));
	buf_init(&b);
	oftp_row(&in, "KNOWN");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_recipients(t, id, two, 2, T0), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_CONVERTED, T0, T0 + 60,
	    NULL), 0);

	/* a state step rolled back with its savepoint is not remembered:
	   the same step again is made, not taken for a redo */
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_get(t, id, &out), 1);
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_DELIVERED, T0 + 1,
	    TRACE_DEADLINE_KEEP, "first"), 0);
	trace_batch_rollback(t);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_DELIVERED, T0 + 2,
	    TRACE_DEADLINE_KEEP, "second"), 0);
	/* outcomes: one answer, then the other, in one transaction */
	CHECK_EQ_INT(trace_recipients(t, id, rcpt_cb, &r), 0);
	CHECK_EQ_INT(r.n, 2);
	CHECK_EQ_INT(trace_record_outcome(t, id, "G=a", TRACE_R_DELIVERED,
	    NULL, T0 + 3, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_PENDING);
	CHECK_EQ_INT(trace_record_outcome(t, id, "G=c", TRACE_R_DELIVERED,
	    NULL, T0 + 3, &v), -1);		/* no such recipient */
	CHECK_EQ_INT(trace_record_outcome(t, id, "G=b", TRACE_R_DELIVERED,
	    NULL, T0 + 4, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_POSITIVE);
	/* a lower rank changes nothing; the verdict stays */
	CHECK_EQ_INT(trace_record_outcome(t, id, "G=b", TRACE_R_DELIVERED,
	    NULL, T0 + 5, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_POSITIVE);
	/* outputs: the second of a name is refused, also when listed */
	CHECK_EQ_INT(trace_outputs(t, id, output_cb, &b), 0);
	CHECK_EQ_STR(buf_cstr(&b), "");
	buf_free(&b);
	CHECK_EQ_INT(trace_record_output(t, id, "oftp/eerp.out", "K.1",
	    "K.eerp", T0 + 5), 0);
	CHECK_EQ_INT(trace_output_recorded(t, id, "oftp/eerp.out", "K.eerp"),
	    1);
	CHECK_EQ_INT(trace_record_output(t, id, "oftp/eerp.out", "K.2",
	    "K.eerp", T0 + 5), 1);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_EERP_SENT, T0 + 6, 0,
	    NULL), 0);
	CHECK_EQ_INT(trace_batch_commit(t), 0);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace WHERE state ="
	    " 'eerp-sent' AND deadline IS NULL"), 1);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_history WHERE"
	    " state = 'delivered'"), 1);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_history WHERE"
	    " note = 'second'"), 1);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_recipient WHERE"
	    " outcome = 'delivered'"), 2);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_output"), 1);
	CHECK_EQ_INT(sql_int(p, "SELECT updated FROM trace"), T0 + 6);

	/* what a transaction knew is gone with it: a change behind the
	   handle's back (another host) is seen by the next one */
	sql_exec(p, "UPDATE trace SET state = 'converted'");
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_DELIVERED, T0 + 7,
	    TRACE_DEADLINE_KEEP, NULL), 0);
	CHECK_EQ_INT(trace_get(t, id, &out), 1);
	CHECK_EQ_INT(out.state, TRACE_S_DELIVERED);

	/* a rolled-back outcome is not remembered either */
	sql_exec(p, "UPDATE trace_recipient SET outcome = 'pending'");
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_get(t, id, &out), 1);
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_record_outcome(t, id, "G=a",
	    TRACE_R_NONDELIVERED, "gone", T0 + 8, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_NEGATIVE);
	trace_batch_rollback(t);
	CHECK_EQ_INT(trace_record_outcome(t, id, "G=a", TRACE_R_DELIVERED,
	    NULL, T0 + 9, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_PENDING);
	/* the time of the last change: written once for one time */
	CHECK_EQ_INT(trace_record_output(t, id, "oftp/eerp.out", "K.3",
	    "K.nerp", T0 + 9), 0);
	CHECK_EQ_INT(trace_batch_commit(t), 0);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_recipient WHERE"
	    " outcome = 'delivered'"), 1);
	CHECK_EQ_INT(sql_int(p, "SELECT updated FROM trace"), T0 + 9);
	CHECK_EQ_INT(trace_record_event(t, id, T0 + 12, "late"), 0);
	CHECK_EQ_INT(sql_int(p, "SELECT updated FROM trace"), T0 + 12);

	/* a row made again (a redo of begin) is read anew */
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_get(t, id, &out), 1);
	in.eerp_mode = 3;
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0 + 10, &id, &created), 0);
	CHECK_EQ_INT(created, 0);
	CHECK_EQ_INT(trace_record_outcome(t, id, "G=b", TRACE_R_READ, NULL,
	    T0 + 11, &v), 0);
	CHECK_EQ_INT(v, TRACE_V_PENDING);	/* mode 3: G=a has not read */
	CHECK_EQ_INT(trace_batch_commit(t), 0);

	/* the changes of a known row wait and go as one UPDATE (struct
	   pending): a read in the transaction sees them; a savepoint rolled
	   back drops its own, not those made before it; a step that fails
	   alone keeps those of the steps before it */
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_get(t, id, &out), 1);
	CHECK_EQ_INT(trace_record_files(t, id, "IN.1", NULL, NULL, T0 + 13), 0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_READ, T0 + 13,
	    TRACE_DEADLINE_KEEP, "kept"), 0);
	CHECK_EQ_INT(trace_get(t, id, &out), 1);
	CHECK_EQ_INT(out.state, TRACE_S_READ);
	CHECK_EQ_STR(out.in_file, "IN.1");
	CHECK_EQ_INT(trace_record_files(t, id, NULL, "OUT.1", NULL, T0 + 14),
	    0);
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_record_files(t, id, NULL, "OUT.2", "ACK.2",
	    T0 + 15), 0);
	trace_batch_rollback(t);
	CHECK_EQ_INT(trace_record_files(t, id, NULL, NULL, "ACK.3", T0 + 16),
	    0);
	CHECK_EQ_INT(trace_record_state(t, id, TRACE_S_RECEIVED, T0 + 17,
	    0, NULL), -1);			/* not allowed: fails alone */
	CHECK_EQ_INT(trace_batch_commit(t), 0);
	CHECK_EQ_INT(trace_get(t, id, &out), 1);
	CHECK_EQ_INT(out.state, TRACE_S_READ);
	CHECK_EQ_STR(out.note, "kept");
	CHECK_EQ_STR(out.in_file, "IN.1");
	CHECK_EQ_STR(out.out_file, "OUT.1");
	CHECK_EQ_STR(out.ack_file, "ACK.3");
	CHECK_EQ_INT(out.updated, T0 + 16);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_history WHERE"
	    " state = 'read' AND note = 'kept'"), 1);
	trace_close(t);
}

/* trace_check(): the file opened, not another one of the same name. */
/*
 * A write sent later that fails (PostgreSQL: with the next statement).
 * Item 1 of a group records a state and an output whose INSERT fails;
 * its failure comes with item 2's first read. The server skipped item
 * 1's RELEASE and item 2's SAVEPOINT after it, so item 2's rollback
 * goes back to item 1's savepoint, and the transaction is usable again
 * without item 1's writes. The group's commit must then fail: before,
 * it committed, and item 1, counted done, had lost its trace changes.
 * SQLite reports the failure at once, to item 1, which rolls back alone.
 */
static void
t_late_failure(void)
{
	const char		*p = db_path("trace.db");
	struct trace		*t;
	struct trace_row	 in, out;
	int64_t			 a, b;
	int			 created, rc;

	if ((t = db_open(p)) == NULL)
		return;
	oftp_row(&in, "LATE1");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &a, &created), 0);
	oftp_row(&in, "LATE2");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &b, &created), 0);
	sql_exec(p, pg_base != NULL ? "CREATE FUNCTION boom() RETURNS"
	    " trigger LANGUAGE plpgsql AS $$BEGIN IF NEW.name = 'BOOM' THEN"
	    " RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END$$;"
	    " CREATE TRIGGER boom BEFORE INSERT ON trace_output FOR EACH ROW"
	    " EXECUTE FUNCTION boom()" : "CREATE TRIGGER boom BEFORE INSERT"
	    " ON trace_output WHEN NEW.name = 'BOOM' BEGIN SELECT"
	    " RAISE(ABORT, 'boom'); END");
	CHECK_EQ_INT(trace_batch_begin(t), 0);		/* the group */
	CHECK_EQ_INT(trace_batch_begin(t), 0);		/* item 1 */
	CHECK_EQ_INT(trace_get(t, a, &out), 1);
	CHECK_EQ_INT(trace_record_state(t, a, TRACE_S_CONVERTED, T0 + 1,
	    0, NULL), 0);
	rc = trace_record_output(t, a, "x400/out", "BOOM.tmp", "BOOM",
	    T0 + 1);
	if (pg_base != NULL) {
		CHECK_EQ_INT(rc, 0);			/* sent later */
		CHECK_EQ_INT(trace_batch_commit(t), 0);
		CHECK_EQ_INT(trace_batch_begin(t), 0);	/* item 2 */
		CHECK_EQ_INT(trace_get(t, b, &out), -1);
		CHECK(strstr(trace_error(t), "boom") != NULL);
		trace_batch_rollback(t);
		CHECK_EQ_INT(trace_batch_depth(t), 1);
		CHECK_EQ_INT(trace_batch_commit(t), -1);
		CHECK_EQ_INT(trace_temporary(t), 1);
		trace_batch_rollback(t);	/* as outbox_group_end() */
	} else {
		CHECK_EQ_INT(rc, -1);			/* at once */
		trace_batch_rollback(t);
		CHECK_EQ_INT(trace_batch_commit(t), 0);
	}
	CHECK_EQ_INT(trace_batch_depth(t), 0);
	/* item 1 is not in the trace, and the trace goes on */
	CHECK_EQ_INT(trace_get(t, a, &out), 1);
	CHECK_EQ_INT(out.state, TRACE_S_RECEIVED);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_output"), 0);
	CHECK_EQ_INT(trace_record_state(t, a, TRACE_S_CONVERTED, T0 + 2, 0,
	    NULL), 0);
	CHECK_EQ_INT(trace_get(t, a, &out), 1);
	CHECK_EQ_INT(out.state, TRACE_S_CONVERTED);
	trace_close(t);
}

/*
 * PostgreSQL: the server ends the connection (a restart, a failover):
 * the next statement fails, temporary; trace_check() makes the
 * connection again and the trace works on; a write transaction begun
 * on a connection gone makes it again itself.
 */
static void
t_check_pg(struct trace *t, const char *p)
{
	struct trace_row	 in;
	int64_t			 id;
	int			 created;

	oftp_row(&in, "CHECK");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	PQclear(pg_run(p, "SELECT pg_terminate_backend(pid) FROM"
	    " pg_stat_activity WHERE pid <> pg_backend_pid() AND"
	    " datname = current_database() AND application_name = ''"));
	CHECK_EQ_INT(trace_get(t, id, &in), -1);
	CHECK_EQ_INT(trace_temporary(t), 1);
	CHECK_EQ_INT(trace_check(t), 0);
	CHECK_EQ_INT(trace_get(t, id, &in), 1);
	CHECK_EQ_STR(in.oftp.dsn, "CHECK");
	/*
	 * Ended again while the trace is idle (a watcher between items):
	 * the next write transaction finds the connection gone at its
	 * BEGIN, where nothing was done yet, and makes it again there: no
	 * failure at all. (Before, the BEGIN failed; after a server killed
	 * at once, libpq kept CONNECTION_OK with no socket, so no later
	 * BEGIN made it again: every item of a watcher deferred for good;
	 * faults.sh@pg pg_up_watch_converts.)
	 */
	PQclear(pg_run(p, "SELECT pg_terminate_backend(pid, 5000) FROM"
	    " pg_stat_activity WHERE pid <> pg_backend_pid() AND"
	    " datname = current_database() AND application_name = ''"));
	oftp_row(&in, "CHECK2");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(created, 1);
	CHECK_EQ_INT(trace_get(t, id, &in), 1);
	CHECK_EQ_STR(in.oftp.dsn, "CHECK2");
	/*
	 * A slot of the prepared statements used again on a new connection
	 * by a statement without parameters (SAVEPOINT) owns no parameter
	 * types: db.c kept the old, freed array there and freed it again
	 * at the next lost connection (ASan: double free; twohosts@pg).
	 */
	PQclear(pg_run(p, "SELECT pg_terminate_backend(pid, 5000) FROM"
	    " pg_stat_activity WHERE pid <> pg_backend_pid() AND"
	    " datname = current_database() AND application_name = ''"));
	CHECK_EQ_INT(trace_batch_begin(t), 0);	/* made again: forgotten */
	CHECK_EQ_INT(trace_batch_begin(t), 0);	/* SAVEPOINT: slot 0 */
	CHECK_EQ_INT(trace_get(t, id, &in), 1);
	trace_batch_rollback(t);
	trace_batch_rollback(t);
	PQclear(pg_run(p, "SELECT pg_terminate_backend(pid, 5000) FROM"
	    " pg_stat_activity WHERE pid <> pg_backend_pid() AND"
	    " datname = current_database() AND application_name = ''"));
	CHECK_EQ_INT(trace_get(t, id, &in), -1);
	CHECK_EQ_INT(trace_check(t), 0);	/* forgotten again */
	CHECK_EQ_INT(trace_get(t, id, &in), 1);
	trace_close(t);
}

static void
t_check(void)
{
	const char	*p = db_path("trace.db");
	char		 q[4096];
	struct trace	*t;

	snprintf(q, sizeof(q), "%s", p);
	if ((t = db_open(q)) == NULL)
		return;
	CHECK_EQ_INT(trace_check(t), 0);
	if (pg_base != NULL) {
		t_check_pg(t, q);
		return;
	}
	CHECK(unlink(q) == 0);
	CHECK_EQ_INT(trace_check(t), -1);
	CHECK(strstr(trace_error(t), "removed") != NULL);
	CHECK(close(open(q, O_WRONLY | O_CREAT, 0600)) == 0);
	CHECK_EQ_INT(trace_check(t), -1);
	CHECK(strstr(trace_error(t), "replaced") != NULL);
	trace_close(t);
}

/*
 * Deferrals (schema version 6, issue 22): counted per queue item, the
 * first failure kept, attempts, next try and the last error updated;
 * listed oldest first; dropped. A version 5 database gets the table and
 * keeps its rows.
 */
static int
deferral_cb(const struct trace_deferral *d, void *arg)
{
	struct buf *b = arg;

	buf_add_str(b, d->name);
	buf_add_str(b, ";");
	return 0;
}

static void
t_deferral(void)
{
	struct trace		*t;
	struct trace_deferral	 d;
	struct trace_row	 in;
	struct buf		 b;
	const char		*p = db_path("deferral.db");
	char			 big[600];
	int64_t			 id;
	int			 created;

	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_deferral_get(t, "oftp/in", "A", &d), 0);
	CHECK_EQ_INT(trace_deferral_record(t, "oftp/in", "A", T0, T0 + 60,
	    "keys: missing"), 0);
	CHECK_EQ_INT(trace_deferral_record(t, "x400/in", "B", T0 + 5,
	    T0 + 65, "disk full"), 0);
	memset(big, 'e', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ_INT(trace_deferral_record(t, "oftp/in", "A", T0 + 100,
	    T0 + 220, big), 0);
	CHECK_EQ_INT(trace_deferral_get(t, "oftp/in", "A", &d), 1);
	CHECK_EQ_INT(d.attempts, 2);
	CHECK_EQ_INT(d.first, T0);
	CHECK_EQ_INT(d.last, T0 + 100);
	CHECK_EQ_INT(d.next_try, T0 + 220);
	CHECK_EQ_INT(strlen(d.error), TRACE_NOTE_SZ - 1);	/* cut */
	CHECK_EQ_INT(trace_deferral_get(t, "x400/in", "A", &d), 0);
	buf_init(&b);
	CHECK_EQ_INT(trace_deferrals(t, deferral_cb, &b), 0);
	CHECK_EQ_STR(buf_cstr(&b), "A;B;");
	CHECK_EQ_INT(trace_deferral_record(t, "", "C", T0, T0, "x"), -1);
	CHECK_EQ_INT(trace_deferral_record(t, "oftp/in", "OLD", T0 - 900,
	    T0 - 840, "gone"), 0);
	CHECK_EQ_INT(trace_deferral_purge(t, T0 - 1), 1);	/* OLD only */
	CHECK_EQ_INT(trace_deferral_get(t, "oftp/in", "OLD", &d), 0);
	CHECK_EQ_INT(trace_deferral_clear(t, "oftp/in", "A"), 0);
	CHECK_EQ_INT(trace_deferral_get(t, "oftp/in", "A", &d), 0);
	buf_reset(&b);
	CHECK_EQ_INT(trace_deferrals(t, deferral_cb, &b), 0);
	CHECK_EQ_STR(buf_cstr(&b), "B;");
	/* an event in the history, once even when recorded again */
	oftp_row(&in, "EVENT.1");
	CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id, &created), 0);
	CHECK_EQ_INT(trace_record_event(t, id, T0 + 9, "duplicate: X"), 0);
	CHECK_EQ_INT(trace_record_event(t, id, T0 + 19, "duplicate: X"), 0);
	CHECK_EQ_INT(sql_int(p, "SELECT count(*) FROM trace_history WHERE"
	    " note = 'duplicate: X' AND state = 'received' AND time = "
	    "1700000009"), 1);
	trace_close(t);
	/* back to version 5: the migrations 5 -> 6 -> 7 -> 8 -> 9 -> 10 ->
	 * 11 add the table, the content type column, rcpt (with its key),
	 * the index, the hold's end and the tallies again */
	undo_v11(p);
	sql_exec(p, "DROP TABLE deferral; DROP INDEX trace_mts_key;"
	    " DROP INDEX IF EXISTS trace_partner_state;"
	    " ALTER TABLE trace DROP COLUMN rcpt;"
	    " CREATE UNIQUE INDEX trace_mts_key ON trace (dir, mts_id)"
	    " WHERE mts_id IS NOT NULL; ALTER TABLE trace DROP COLUMN"
	    " content_type; ALTER TABLE partner_state DROP COLUMN hold_until;"
	    " PRAGMA user_version = 5;");
	if ((t = db_open(p)) == NULL) {
		buf_free(&b);
		return;
	}
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	CHECK_EQ_INT(trace_deferral_get(t, "x400/in", "B", &d), 0);
	CHECK_EQ_INT(trace_get(t, id, &in), 1);
	CHECK_EQ_STR(in.oftp.dsn, "EVENT.1");
	trace_close(t);
	buf_free(&b);
}

/*
 * trace_deferral_get() in a write transaction answers a name without a
 * deferral from the queue's names, read once under the write lock
 * (trace.c: struct dset): one recorded in the transaction, one from
 * before, one rolled back, another queue, one added by another host
 * between transactions; a queue of more than 1,024 is read per name.
 */
static void
t_deferral_set(void)
{
	struct trace		*t;
	struct trace_deferral	 d;
	const char		*p = db_path("dset.db");

	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_deferral_record(t, "oftp/in", "OLD", T0, T0 + 60,
	    "x"), 0);
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_deferral_get(t, "oftp/in", "NEW", &d), 0);
	CHECK_EQ_INT(trace_deferral_get(t, "oftp/in", "OLD", &d), 1);
	CHECK_EQ_INT(trace_deferral_record(t, "oftp/in", "NEW", T0, T0 + 60,
	    "y"), 0);
	CHECK_EQ_INT(trace_deferral_get(t, "oftp/in", "NEW", &d), 1);
	CHECK_EQ_STR(d.error, "y");
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_deferral_record(t, "oftp/in", "GONE", T0, T0 + 60,
	    "z"), 0);
	trace_batch_rollback(t);
	CHECK_EQ_INT(trace_deferral_get(t, "oftp/in", "GONE", &d), 0);
	CHECK_EQ_INT(trace_deferral_get(t, "x400/in", "OLD", &d), 0);
	CHECK_EQ_INT(trace_deferral_record(t, "x400/in", "X", T0, T0 + 60,
	    "w"), 0);
	CHECK_EQ_INT(trace_deferral_get(t, "x400/in", "X", &d), 1);
	CHECK_EQ_INT(trace_deferral_get(t, "oftp/in", "NEW", &d), 1);
	CHECK_EQ_INT(trace_batch_commit(t), 0);
	sql_exec(p, "INSERT INTO deferral (queue, name, first, last, attempts,"
	    " next_try, error) VALUES ('oftp/in', 'HOST2', 1, 1, 1, 1, 'h')");
	sql_exec(p, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1"
	    " FROM c WHERE i < 1100) INSERT INTO deferral (queue, name,"
	    " first, last, attempts, next_try, error) SELECT 'big/in',"
	    " 'N' || i, 1, 1, 1, 1, 'b' FROM c");
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	CHECK_EQ_INT(trace_deferral_get(t, "oftp/in", "HOST2", &d), 1);
	CHECK_EQ_INT(trace_deferral_get(t, "big/in", "N1", &d), 1);
	CHECK_EQ_INT(trace_deferral_get(t, "big/in", "N1100", &d), 1);
	CHECK_EQ_INT(trace_deferral_get(t, "big/in", "N1101", &d), 0);
	CHECK_EQ_INT(trace_batch_commit(t), 0);
	trace_close(t);
}

/* The changes allowed, as oxgate-trace(5) "STATES" lists them. */
static void
man_transitions(unsigned next[TRACE_S_COUNT])
{
	const char	*top = getenv("OX_TOP");
	char		 path[1200], line[512], *w, *save;
	enum trace_state from = TRACE_S_NONE, s;
	FILE		*f;
	int		 in = 0;

	memset(next, 0, sizeof(unsigned) * TRACE_S_COUNT);
	snprintf(path, sizeof(path), "%s/man/oxgate-trace.5", top ? top : ".");
	if ((f = fopen(path, "r")) == NULL) {
		test_fail(__FILE__, __LINE__, "%s: cannot open", path);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "The changes allowed are", 23) == 0)
			in = 1;
		else if (in && strncmp(line, ".El", 3) == 0)
			break;
		if (!in)
			continue;
		for (w = strtok_r(line, " ,\n", &save); w != NULL;
		    w = strtok_r(NULL, " ,\n", &save)) {
			if (trace_state_parse(w, &s) != 0)
				continue;
			if (strncmp(line, ".It", 3) == 0 && from != s &&
			    w == line + 7)	/* ".It Cm STATE Ta ..." */
				from = s;
			else if (from != TRACE_S_NONE)
				next[from] |= 1u << s;
		}
	}
	fclose(f);
	CHECK(in);
}

/*
 * Every transition (issue 22): the table of oxgate-trace(5) is the
 * code's (trace_state_next_ok), and for every pair of states a row
 * brought into the first (along allowed changes from received) either
 * goes into the second (allowed) or is refused and stays.
 */
static void
t_transitions(void)
{
	struct trace		*t;
	struct trace_row	 in, r;
	enum trace_state	 path[TRACE_S_COUNT][TRACE_S_COUNT];
	unsigned		 man[TRACE_S_COUNT], code;
	size_t			 plen[TRACE_S_COUNT], i, k;
	int			 from, to, changed = 1, created, n = 0;
	int64_t			 id;
	char			 dsn[32];

	man_transitions(man);
	for (from = TRACE_S_RECEIVED; from < TRACE_S_COUNT; from++) {
		for (code = 0, to = TRACE_S_RECEIVED; to < TRACE_S_COUNT; to++)
			if (trace_state_next_ok(from, to))
				code |= 1u << to;
		if (man[from] != code)
			test_fail(__FILE__, __LINE__, "%s: oxgate-trace(5) "
			    "says %#x, the code %#x", trace_state_name(from),
			    man[from], code);
	}
	/* the shortest path from received to every state */
	memset(plen, 0, sizeof(plen));
	plen[TRACE_S_RECEIVED] = 1;
	path[TRACE_S_RECEIVED][0] = TRACE_S_RECEIVED;
	while (changed)
		for (changed = 0, from = TRACE_S_RECEIVED; from < TRACE_S_COUNT;
		    from++)
			for (to = TRACE_S_RECEIVED; plen[from] > 0 &&
			    to < TRACE_S_COUNT; to++)
				if (plen[to] == 0 &&
				    trace_state_next_ok(from, to)) {
					memcpy(path[to], path[from],
					    sizeof(path[0]));
					path[to][plen[from]] = to;
					plen[to] = plen[from] + 1;
					changed = 1;
				}
	if ((t = db_open(db_path("walk.db"))) == NULL)
		return;
	CHECK_EQ_INT(trace_batch_begin(t), 0);
	for (from = TRACE_S_RECEIVED; from < TRACE_S_COUNT; from++) {
		if (plen[from] == 0) {
			test_fail(__FILE__, __LINE__, "%s: not reachable",
			    trace_state_name(from));
			continue;
		}
		for (to = TRACE_S_RECEIVED; to < TRACE_S_COUNT; to++) {
			if (to == from)
				continue;
			snprintf(dsn, sizeof(dsn), "WALK.%d", n++);
			oftp_row(&in, dsn);
			CHECK_EQ_INT(trace_begin_oftp(t, &in, T0, &id,
			    &created), 0);
			for (i = 1; i < plen[from]; i++)
				CHECK_EQ_INT(trace_record_state(t, id,
				    path[from][i], T0 + (time_t)i, T0 + 86400,
				    "walk"), 0);
			k = trace_state_next_ok(from, to);
			CHECK_EQ_INT(trace_record_state(t, id, to, T0 + 99,
			    T0 + 86400, "step"), k ? 0 : -1);
			CHECK_EQ_INT(trace_get(t, id, &r), 1);
			CHECK_EQ_INT(r.state, k ? (enum trace_state)to :
			    (enum trace_state)from);
		}
	}
	CHECK_EQ_INT(trace_batch_commit(t), 0);
	trace_close(t);
}

static int
rcpt_row_cb(const struct trace_row *r, void *arg)
{
	buf_addf(arg, "%lld:%s;", (long long)r->rcpt, r->partner);
	return 0;
}

/*
 * One message, several stations (schema 8, issue 22): x4002oftp rows are
 * keyed by the MTS identifier and rcpt, so each recipient's file is a
 * transaction with its own OFTP identity and state; a database of
 * version 7 migrates with rcpt 0 and keeps its rows.
 */
static void
t_rcpt(void)
{
	const char	*p = db_path("rcpt.db");
	struct trace	*t;
	struct trace_row in, r;
	struct buf	 b;
	int64_t		 old, id1, id2, again;
	int		 created;

	if ((t = db_open(p)) == NULL)
		return;
	x400_row(&in, "[DE*VIAT*OFTP;m-1]");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &old, &created), 0);
	trace_close(t);
	/* back to version 7: the old key, no rcpt (nor the index of 9, the
	 * hold's end of 10, the tallies of 11) */
	undo_v11(p);
	sql_exec(p, "DROP INDEX trace_mts_key; ALTER TABLE trace DROP COLUMN"
	    " rcpt; CREATE UNIQUE INDEX trace_mts_key ON trace (dir, mts_id)"
	    " WHERE mts_id IS NOT NULL; DROP INDEX IF EXISTS"
	    " trace_partner_state; ALTER TABLE partner_state DROP COLUMN"
	    " hold_until; PRAGMA user_version = 7;");
	if ((t = db_open(p)) == NULL)
		return;
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	CHECK_EQ_INT(trace_get(t, old, &r), 1);
	CHECK_EQ_INT(r.rcpt, 0);
	/* the message's row of version 7 is found as before */
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0 + 1, &again, &created), 0);
	CHECK_EQ_INT(again, old);
	CHECK_EQ_INT(created, 0);
	/* two files of one message: two transactions */
	x400_row(&in, "[DE*VIAT*OFTP;m-2]");
	in.rcpt = 2;
	snprintf(in.partner, sizeof(in.partner), "%s", "rick");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &id2, &created), 0);
	CHECK_EQ_INT(created, 1);
	in.rcpt = 1;
	snprintf(in.partner, sizeof(in.partner), "%s", "jane");
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &id1, &created), 0);
	CHECK_EQ_INT(created, 1);
	CHECK(id1 != id2);
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0 + 1, &again, &created), 0);
	CHECK_EQ_INT(again, id1);
	CHECK_EQ_INT(created, 0);
	/* each its own state */
	CHECK_EQ_INT(trace_record_state(t, id1, TRACE_S_CONVERTED, T0 + 2,
	    T0 + 100, NULL), 0);
	CHECK_EQ_INT(trace_get(t, id2, &r), 1);
	CHECK_EQ_INT(r.state, TRACE_S_RECEIVED);
	/* the first row of the message (lowest rcpt), and all of them */
	CHECK_EQ_INT(trace_find_by_mts_id(t, TRACE_X4002OFTP,
	    "[DE*VIAT*OFTP;m-2]", &r), 1);
	CHECK_EQ_INT(r.id, id1);
	CHECK_EQ_INT(r.rcpt, 1);
	buf_init(&b);
	CHECK_EQ_INT(trace_list_message(t, TRACE_X4002OFTP,
	    "[DE*VIAT*OFTP;m-2]", rcpt_row_cb, &b), 0);
	CHECK_EQ_STR(buf_cstr(&b), "1:jane;2:rick;");
	buf_reset(&b);
	CHECK_EQ_INT(trace_list_message(t, TRACE_OFTP2X400,
	    "[DE*VIAT*OFTP;m-2]", rcpt_row_cb, &b), 0);
	CHECK_EQ_STR(buf_cstr(&b), "");
	buf_free(&b);
	CHECK_EQ_INT(trace_list_message(t, TRACE_X4002OFTP, "", rcpt_row_cb,
	    NULL), -1);
	in.rcpt = -1;
	CHECK_EQ_INT(trace_begin_x400(t, &in, T0, &again, &created), -1);
	CHECK(strstr(trace_error(t), "recipient number") != NULL);
	trace_close(t);
}

int
main(void)
{
	pg_base = getenv("OX_TEST_PG");
	if (pg_base != NULL && *pg_base == '\0')
		pg_base = NULL;
	TEST(t_open_create);
	TEST(t_migrate);
	TEST(t_migrate_v1);
	TEST(t_partner);
	TEST(t_originator);
	TEST(t_batch);
	TEST(t_begin_idempotent);
	TEST(t_states);
	TEST(t_find);
	TEST(t_recipients);
	TEST(t_list);
	TEST(t_search);
	TEST(t_tally);
	TEST(t_two_handles);
	TEST(t_csv);
	TEST(t_purge);
	TEST(t_deadline);
	TEST(t_busy);
	TEST(t_concurrent);
	TEST(t_outputs);
	TEST(t_known);
	TEST(t_find_rcpt);
	TEST(t_late_failure);
	TEST(t_deferral_set);
	TEST(t_check);
	TEST(t_deferral);
	TEST(t_transitions);
	TEST(t_ctype);
	TEST(t_rcpt);
	return test_done();
}
