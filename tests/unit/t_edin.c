/*
 * NAME
 *	t_edin - unit tests of the X.435 EDI notification pieces
 * DESCRIPTION
 *	rpt_nerp_to_nn(): every row of the NERP -> NN table of eerp2report(1)
 *	and the default; rpt_build_edin(): a PN and an NN read back with
 *	p1_decode() and p35_decode(); rpt_edimid_from(); edipart_detect() on
 *	EDIFACT, X12 and other text; the trace columns of migration 3 -> 4
 *	(edin_req, edin_sent) on a new database and on one of schema
 *	version 3.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "asn1/ber.h"
#include "gw/edipart.h"
#include "gw/rpt_build.h"
#include "gw/rpt_map.h"
#include "gw/trace.h"
#include "test.h"
#include "util/buf.h"
#include "x400/p1.h"
#include "x400/p35.h"

static void
t_nerp_to_nn(void)
{
	static const struct {
		unsigned nerp;
		int	 source;
		int	 basic;
	} want[] = {
		{ 1, P35_RC_UA_MS, 1 }, { 4, P35_RC_UA_MS, 1 },
		{ 9, P35_RC_UA_MS, 1 }, { 11, P35_RC_UA_MS, 1 },
		{ 12, P35_RC_USER, 3 }, { 13, P35_RC_USER, 2 },
		{ 14, P35_RC_USER, 5 }, { 15, P35_RC_USER, 5 },
		{ 16, P35_RC_UA_MS, 1 }, { 20, P35_RC_USER, 1 },
		{ 21, P35_RC_USER, 1 }, { 22, P35_RC_UA_MS, 1 },
		{ 23, P35_RC_UA_MS, 3 }, { 24, P35_RC_USER, 9 },
		{ 25, P35_RC_UA_MS, 6 }, { 26, P35_RC_UA_MS, 6 },
		{ 27, P35_RC_UA_MS, 6 }, { 28, P35_RC_USER, 9 },
		{ 29, P35_RC_UA_MS, 6 }, { 30, P35_RC_UA_MS, 6 },
		{ 31, P35_RC_UA_MS, 6 }, { 32, P35_RC_UA_MS, 1 },
		{ 33, P35_RC_UA_MS, 6 }, { 34, P35_RC_USER, 0 },
		{ 35, P35_RC_UA_MS, 1 }, { 36, P35_RC_UA_MS, 2 },
		{ 50, P35_RC_UA_MS, 3 }, { 90, P35_RC_UA_MS, 1 },
		{ 99, P35_RC_UA_MS, 0 }, { 77, P35_RC_UA_MS, 0 },
		{ 0, P35_RC_UA_MS, 0 }
	};
	size_t	 i;
	int	 source;
	int64_t	 basic;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		source = -1;
		basic = -1;
		rpt_nerp_to_nn(want[i].nerp, &source, &basic);
		if (source != want[i].source || basic != want[i].basic)
			test_fail(__FILE__, __LINE__, "NERP %u: source %d basic "
			    "%lld, expected %d %d", want[i].nerp, source,
			    (long long)basic, want[i].source, want[i].basic);
		/* every code the table gives has a name */
		CHECK(rpt_nn_name(source, basic) != NULL);
	}
}

/* Build an EDIN, decode the P1 and its P35 content back, check both. */
static void
roundtrip(const struct rpt_edin *e, struct p35_pdu *c, struct p1_pdu *m,
    struct buf *b)
{
	struct orname	 dom, to, station;
	struct p35_edimid subject;
	struct berw	 w, content;
	struct ber_dec	 d;
	char		 why[256];

	test_orname(&dom, "/P=OFTP/A=VIAT/C=DE/");
	test_orname(&to, "/S=Smith/O=Acme/P=ACME/A=DBP/C=DE/");
	test_orname(&station, "/G=Rita/S=Receiver/O=Gateway/P=OFTP/A=VIAT/C=DE/");
	p35_edimid_init(&subject);
	subject.user = to;
	snprintf(subject.local, sizeof(subject.local), "edim-0001");
	berw_init(&w);
	berw_init(&content);
	CHECK_EQ_INT(rpt_build_edin(&w, &content, &dom, "0123456789abcdef01234567",
	    &subject, &to, &station, &station, 1795000000, e, why,
	    sizeof(why)), RPT_OK);
	CHECK_EQ_INT(berw_write_buf(&w, b), BER_OK);
	berw_free(&content);
	berw_free(&w);
	ber_dec_init(&d);
	CHECK_EQ_INT(p1_decode(&d, NULL, b->p, b->len, m), BER_OK);
	CHECK_EQ_INT(m->kind, P1_MESSAGE);
	CHECK_EQ_INT(m->msg.env.ctype.builtin, P1_CT_P35);
	CHECK_EQ_STR(m->msg.env.id.local, "0123456789abcdef01234567");
	CHECK(orname_equal(&m->msg.env.originator, &station));
	CHECK_EQ_INT(m->msg.env.nrcpt, 1);
	if (m->msg.env.nrcpt == 1)
		CHECK(orname_equal(&m->msg.env.rcpt[0].name, &to));
	ber_dec_init(&d);
	CHECK_EQ_INT(p35_decode(&d, NULL, m->msg.content.p,
	    m->msg.content.len, c), BER_OK);
	CHECK_EQ_INT(c->kind, P35_EDIN);
	CHECK(orname_equal(&c->edin.common.subject.user, &to));
	CHECK_EQ_STR(c->edin.common.subject.local, "edim-0001");
	CHECK(orname_equal(&c->edin.common.originator, &station));
	CHECK_EQ_INT(c->edin.common.has_first, 1);
	CHECK(orname_equal(&c->edin.common.first, &station));
	CHECK_EQ_INT(c->edin.common.time, 1795000000);
	CHECK_EQ_INT(c->edin.common.initiator, P35_INIT_INTERNAL_UA);
}

static void
t_build_edin(void)
{
	struct rpt_edin	 e;
	struct p35_pdu	 c;
	struct p1_pdu	 m;
	struct buf	 b;
	char		 longtext[600];

	memset(&e, 0, sizeof(e));
	e.kind = P35_PN;
	e.suppl = "OFTP EERP from O0013RITA";
	p35_init(&c);
	p1_init(&m);
	buf_init(&b);
	roundtrip(&e, &c, &m, &b);
	CHECK_EQ_INT(c.edin.kind, P35_PN);
	CHECK_EQ_INT(c.edin.has_suppl, 1);
	CHECK_EQ_STR(c.edin.suppl, "OFTP EERP from O0013RITA");
	p35_free(&c);
	p1_free(&m);
	buf_free(&b);

	/* NN: the reason, and a long text made printable and cut at 256 */
	memset(longtext, 'x', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = '\0';
	memcpy(longtext, "NERP 12: caf\xc3\xa9;", 15);
	e.kind = P35_NN;
	e.source = P35_RC_USER;
	e.basic = P35_NN_USER_RECIPIENT_UNKNOWN;
	e.suppl = longtext;
	p35_init(&c);
	p1_init(&m);
	buf_init(&b);
	roundtrip(&e, &c, &m, &b);
	CHECK_EQ_INT(c.edin.kind, P35_NN);
	CHECK_EQ_INT(c.edin.reason.source, P35_RC_USER);
	CHECK_EQ_INT(c.edin.reason.basic, 3);
	CHECK_EQ_INT(strlen(c.edin.suppl), P35_UB_SUPPL_INFO);
	CHECK(strncmp(c.edin.suppl, "NERP 12: caf???xxx", 18) == 0);
	p35_free(&c);
	p1_free(&m);
	buf_free(&b);
}

static void
t_edimid_from(void)
{
	struct p22_ipmid ipm;
	struct p35_edimid id;

	memset(&ipm, 0, sizeof(ipm));
	snprintf(ipm.local, sizeof(ipm.local), "ipm-1");
	CHECK_EQ_INT(rpt_edimid_from(&ipm, &id), -1);	/* no user */
	ipm.has_user = 1;
	test_orname(&ipm.user, "/S=Smith/O=Acme/P=ACME/A=DBP/C=DE/");
	CHECK_EQ_INT(rpt_edimid_from(&ipm, &id), 0);
	CHECK_EQ_STR(id.local, "ipm-1");
	CHECK(orname_equal(&id.user, &ipm.user));
}

static void
t_detect(void)
{
	static const struct {
		const char	*text;
		int		 want;
	} c[] = {
		{ "UNB+UNOA:3+S:14+R:14+261122:1300+1'", EDIPART_EDIFACT },
		{ "\r\n  UNB+UNOA:3'", EDIPART_EDIFACT },
		{ "UNA:+.? 'UNB+UNOA:3'", EDIPART_EDIFACT },
		{ "UNA:*.? 'UNB*UNOA:3'", EDIPART_EDIFACT },
		{ "UNA:*.? '\r\nUNB*UNOA:3'", EDIPART_EDIFACT },
		{ "UNA:*.? 'UNB+UNOA:3'", EDIPART_NONE },	/* not its sep. */
		{ "ISA*00*          *00*", EDIPART_X12 },
		{ "ISA|00|", EDIPART_X12 },
		{ "ISAAC Newton", EDIPART_NONE },
		{ "ISA 00", EDIPART_NONE },
		{ "UNB", EDIPART_NONE },
		{ "Dear John, UNB+UNOA", EDIPART_NONE },
		{ "", EDIPART_NONE },
	};
	size_t	 i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (edipart_detect((const uint8_t *)c[i].text,
		    strlen(c[i].text)) != c[i].want)
			test_fail(__FILE__, __LINE__, "'%s': not %d",
			    c[i].text, c[i].want);
}

/* PostgreSQL (OX_TEST_PG, tests/run's @pg run): the schema version row */
static void
sql_pg(const char *path, const char *s)
{
	PGconn		*c = PQconnectdb(path + strlen("postgresql:"));
	PGresult	*r;
	char		 q[1024];
	const char	*v = strstr(s, "PRAGMA user_version = ");

	snprintf(q, sizeof(q), "%.*s DELETE FROM trace_schema; INSERT INTO"
	    " trace_schema VALUES (%d)", (int)(v != NULL ? v - s :
	    (ptrdiff_t)strlen(s)), s, v != NULL ? atoi(v + 22) : 0);
	r = PQexec(c, q);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		test_fail(__FILE__, __LINE__, "postgresql: %s",
		    PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

static void
sql(const char *path, const char *s)
{
	sqlite3	*db;
	char	*err = NULL;

	if (strncmp(path, "postgresql:", 11) == 0) {
		sql_pg(path, s);
		return;
	}
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, s, NULL, NULL, &err) != SQLITE_OK)
		test_fail(__FILE__, __LINE__, "sqlite: %s", err ? err :
		    sqlite3_errmsg(db));
	sqlite3_free(err);
	sqlite3_close(db);
}

static void
t_trace_edin(void)
{
	char		 path[4200], err[512];
	struct trace	*t = NULL;
	struct trace_row r, got;
	int64_t		 id;
	int		 created;

	if (getenv("OX_TEST_PG") != NULL && *getenv("OX_TEST_PG") != '\0')
		snprintf(path, sizeof(path), "postgresql:%s",
		    getenv("OX_TEST_PG"));
	else
		snprintf(path, sizeof(path), "%s/edin.db", test_dir());
	if (trace_open(path, 0, &t, err, sizeof(err)) == -1) {
		test_fail(__FILE__, __LINE__, "trace_open: %s", err);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.dir = TRACE_X4002OFTP;
	snprintf(r.mts_id, sizeof(r.mts_id), "[DE*VIAT*OFTP;e1]");
	snprintf(r.edim_id, sizeof(r.edim_id), "/C=DE/A=DBP/S=X/;edim-1");
	CHECK_EQ_INT(trace_begin_x400(t, &r, 1000, &id, &created), 0);
	CHECK_EQ_INT(trace_get(t, id, &got), 1);
	CHECK_EQ_INT(got.edin_req, 0);
	CHECK_EQ_STR(got.edin_sent, "");
	CHECK_EQ_INT(trace_record_edin_req(t, id, P35_NR_PN | P35_NR_NN, 1001),
	    0);
	CHECK_EQ_INT(trace_record_edin_sent(t, id, "PN", 1002), 0);
	CHECK_EQ_INT(trace_get(t, id, &got), 1);
	CHECK_EQ_INT(got.edin_req, 3);
	CHECK_EQ_STR(got.edin_sent, "PN");
	CHECK_EQ_INT(got.updated, 1002);
	/* a redo of begin keeps them */
	CHECK_EQ_INT(trace_begin_x400(t, &r, 1003, &id, &created), 0);
	CHECK_EQ_INT(created, 0);
	CHECK_EQ_INT(trace_get(t, id, &got), 1);
	CHECK_EQ_INT(got.edin_req, 3);
	CHECK_EQ_STR(got.edin_sent, "PN");
	CHECK_EQ_INT(trace_record_edin_sent(t, id, "TOOLONGKIND", 1004), -1);
	CHECK_EQ_INT(trace_record_edin_req(t, 999, 1, 1004), -1);
	trace_close(t);

	/* a database of version 3 (without what 4 to 11 add) takes the
	 * columns, its rows 0 / none */
	sql(path, strncmp(path, "postgresql:", 11) == 0 ?
	    "DROP FUNCTION trace_tally_f() CASCADE; DROP TABLE trace_tally;"
	    " DROP TABLE trace_total;" : "DROP TRIGGER trace_tally_ins;"
	    " DROP TRIGGER trace_tally_del; DROP TRIGGER trace_tally_upd;"
	    " DROP TABLE trace_tally; DROP TABLE trace_total;");
	sql(path, "DROP TABLE trace_output; DROP TABLE deferral;"
	    "DROP INDEX IF EXISTS trace_partner_state;"
	    "ALTER TABLE partner_state DROP COLUMN hold_until;"
	    "DROP INDEX trace_mts_key; ALTER TABLE trace DROP COLUMN rcpt;"
	    "CREATE UNIQUE INDEX trace_mts_key ON trace (dir, mts_id)"
	    " WHERE mts_id IS NOT NULL;"
	    "ALTER TABLE trace DROP COLUMN content_type;"
	    "ALTER TABLE trace DROP COLUMN edin_sent;"
	    "ALTER TABLE trace DROP COLUMN edin_req; PRAGMA user_version = 3;");
	if (trace_open(path, 0, &t, err, sizeof(err)) == -1) {
		test_fail(__FILE__, __LINE__, "trace_open v3: %s", err);
		return;
	}
	CHECK_EQ_INT(trace_schema_version(t), TRACE_SCHEMA_VERSION);
	CHECK_EQ_INT(trace_get(t, id, &got), 1);
	CHECK_EQ_INT(got.edin_req, 0);
	CHECK_EQ_STR(got.edin_sent, "");
	CHECK_EQ_STR(got.edim_id, "/C=DE/A=DBP/S=X/;edim-1");
	trace_close(t);
}

int
main(void)
{
	TEST(t_nerp_to_nn);
	TEST(t_build_edin);
	TEST(t_edimid_from);
	TEST(t_detect);
	TEST(t_trace_edin);
	return test_done();
}
