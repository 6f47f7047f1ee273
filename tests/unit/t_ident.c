/*
 * NAME
 *	t_ident - tests of the local identifiers the gateway makes
 * DESCRIPTION
 *	The form (designator + 20 base32 characters, 32 in all, all in
 *	PrintableString and safe as a file name); values against vectors
 *	computed with Python's hashlib and base64 (not with our code);
 *	100,000 distinct OFTP identities give 100,000 distinct identifiers;
 *	the same identity gives the same identifier in another process; the
 *	[x400] mta-designator key and its default; the trace guard
 *	ident_oftp_taken().
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "test.h"
#include "gw/config.h"
#include "gw/ident.h"
#include "gw/trace.h"
#include "oftp/sfid.h"

#define NIDS	100000

static const char ps_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "0123456789 '()+,-./:=?";
static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";

static void
set_sfid(struct sfid *sf, const char *dsn, const char *date, const char *time,
    const char *orig, const char *dest)
{
	sfid_init(sf);
	snprintf(sf->dsn, sizeof(sf->dsn), "%s", dsn);
	snprintf(sf->date, sizeof(sf->date), "%s", date);
	snprintf(sf->time, sizeof(sf->time), "%s", time);
	snprintf(sf->orig, sizeof(sf->orig), "%s", orig);
	snprintf(sf->dest, sizeof(sf->dest), "%s", dest);
}

/* An identifier as ident.h promises it, after designator d. */
static int
well_formed(const char *id, const char *d)
{
	size_t	 i;

	if (strlen(id) != IDENT_LEN || strncmp(id, d, IDENT_DESIGNATOR_LEN))
		return 0;
	for (i = IDENT_DESIGNATOR_LEN; i < IDENT_LEN; i++)
		if (id[i] == '\0' || strchr(b32, id[i]) == NULL)
			return 0;
	for (i = 0; i < IDENT_LEN; i++)
		if (strchr(ps_chars, id[i]) == NULL || id[i] == ' ' ||
		    id[i] == '/')
			return 0;
	return id[0] != '.' && id[0] != '-';
}

static void
t_designator_check(void)
{
	char	 why[256];

	CHECK_EQ_INT(ident_designator_check("OXGATE------", why, sizeof(why)),
	    0);
	CHECK_EQ_INT(ident_designator_check("gw.acme.de01", why, sizeof(why)),
	    0);
	CHECK_EQ_INT(ident_designator_check("0123456789AB", why, sizeof(why)),
	    0);
	CHECK_EQ_INT(ident_designator_check("OXGATE", why, sizeof(why)), -1);
	CHECK(strstr(why, "6 characters, exactly 12") != NULL);
	CHECK_EQ_INT(ident_designator_check("OXGATE-------", why, sizeof(why)),
	    -1);
	CHECK_EQ_INT(ident_designator_check("OX GATE-----", why, sizeof(why)),
	    -1);
	CHECK(strstr(why, "character 3 (0x20)") != NULL);
	CHECK_EQ_INT(ident_designator_check("OX/GATE-----", why, sizeof(why)),
	    -1);
	CHECK_EQ_INT(ident_designator_check("OX_GATE-----", why, sizeof(why)),
	    -1);
	CHECK_EQ_INT(ident_designator_check("OX:GATE-----", why, sizeof(why)),
	    -1);	/* PrintableString, but not in a file name */
	CHECK_EQ_INT(ident_designator_check("OXG\xc3\x84TE-----", why,
	    sizeof(why)), -1);
	CHECK_EQ_INT(ident_designator_check(".OXGATE-----", why, sizeof(why)),
	    -1);
	CHECK(strstr(why, "does not start with a letter or a digit") != NULL);
	CHECK_EQ_INT(ident_designator_check("-OXGATE-----", why, sizeof(why)),
	    -1);
}

static void
t_designator_from(void)
{
	char	 d[IDENT_DESIGNATOR_LEN + 1], why[256];

	ident_designator_from("OXGATE", d);
	CHECK_EQ_STR(d, "OXGATE------");
	ident_designator_from("GW.ACME.DE", d);
	CHECK_EQ_STR(d, "GW.ACME.DE--");
	ident_designator_from("MTA.ACME.EXAMPLE.COM", d);
	CHECK_EQ_STR(d, "MTA.ACME.EXA");
	ident_designator_from("..x/y_z:1", d);
	CHECK_EQ_STR(d, "x-y-z-1-----");
	ident_designator_from("-._/", d);
	CHECK_EQ_STR(d, "OXGATE------");
	ident_designator_from("", d);
	CHECK_EQ_STR(d, "OXGATE------");
	/* whatever the MTA name (printable, no space), a valid designator */
	ident_designator_from("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~a", d);
	CHECK_EQ_INT(ident_designator_check(d, why, sizeof(why)), 0);
	CHECK_EQ_STR(d, "a-----------");
}

/* Expected values: Python, base64.b32encode(sha256(KIND|KEY))[:20].lower() */
static void
t_vectors(void)
{
	struct sfid sf;
	char	 id[IDENT_SZ];

	ident_local("OXGATE------", "report", "7|[DE*DBP*ACME;abc]", id);
	CHECK_EQ_STR(id, "OXGATE------eziy32jungdeihimxyvb");
	ident_local("gw.acme.de01", "", "", id);
	CHECK_EQ_STR(id, "gw.acme.de01zps47x34eemktq6xr3y5");
	set_sfid(&sf, "INVOIC1", "20261122", "1000000001", "O0013ACMEGMBH",
	    "O0177000000000X0LU000042");
	ident_oftp("OXGATE------", &sf, id);
	CHECK_EQ_STR(id, "OXGATE------pfdxrhuf2tk32tdussqx");
	CHECK(well_formed(id, "OXGATE------"));
}

/* Different kinds of one key, or keys that differ in one field only. */
static void
t_kinds_and_fields(void)
{
	struct sfid sf;
	char	 a[IDENT_SZ], b[IDENT_SZ];

	ident_local("OXGATE------", "dr", "[DE*DBP;x]", a);
	ident_local("OXGATE------", "ndr", "[DE*DBP;x]", b);
	CHECK(strcmp(a, b) != 0);
	ident_local("OXGATE------", "report", "1|[DE*DBP;x]", a);
	ident_local("OXGATE------", "expiry", "1|[DE*DBP;x]", b);
	CHECK(strcmp(a, b) != 0);
	/* the designator is only a prefix: the same part after another */
	ident_local("OTHERMTA0001", "report", "1|[DE*DBP;x]", b);
	CHECK(strcmp(a, b) != 0);
	CHECK_EQ_STR(a + IDENT_DESIGNATOR_LEN, b + IDENT_DESIGNATOR_LEN);
	set_sfid(&sf, "A", "20261122", "1000000001", "O0013A", "O0013B");
	ident_oftp("OXGATE------", &sf, a);
	set_sfid(&sf, "A", "20261122", "1000000001", "O0013B", "O0013A");
	ident_oftp("OXGATE------", &sf, b);
	CHECK(strcmp(a, b) != 0);
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* NIDS distinct OFTP identities, varying every field: distinct ids. */
static void
t_unique(void)
{
	static char	 ids[NIDS][IDENT_SZ];
	struct sfid	 sf;
	char		 dsn[32], date[16], time[16], orig[32], dest[32];
	size_t		 i, dup = 0, bad = 0;

	for (i = 0; i < NIDS; i++) {
		/* neighbours differ in one field by one character */
		snprintf(dsn, sizeof(dsn), "INVOIC.%05zu", i % 50000);
		snprintf(date, sizeof(date), "202611%02zu", 1 + (i / 50000));
		snprintf(time, sizeof(time), "1000%06zu", i % 1000);
		snprintf(orig, sizeof(orig), "O0013P%04zu", i % 7);
		snprintf(dest, sizeof(dest), "O0177000000000X0LU%06zu",
		    i % 3);
		set_sfid(&sf, dsn, date, time, orig, dest);
		ident_oftp("OXGATE------", &sf, ids[i]);
		if (!well_formed(ids[i], "OXGATE------"))
			bad++;
	}
	CHECK_EQ_INT(bad, 0);
	qsort(ids, NIDS, sizeof(ids[0]), cmp_id);
	for (i = 1; i < NIDS; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0)
			dup++;
	CHECK_EQ_INT(dup, 0);
	/* and the per-message parts spread: all 32 letters at every place */
	for (i = IDENT_DESIGNATOR_LEN; i < IDENT_LEN; i++) {
		unsigned seen = 0;
		size_t	 j;

		for (j = 0; j < NIDS; j += 97)
			seen |= 1u << (strchr(b32, ids[j][i]) - b32);
		CHECK_EQ_INT(seen, 0xffffffffu);
	}
}

/* The same identity in another process (a redo after a restart). */
static void
t_same_in_child(void)
{
	struct sfid sf;
	char	 a[IDENT_SZ], b[IDENT_SZ];
	int	 fd[2], st;
	pid_t	 pid;

	set_sfid(&sf, "ORDERS.X", "20261122", "1234567890", "O0013ACME",
	    "O0177000000000X0LU000001");
	CHECK_EQ_INT(pipe(fd), 0);
	if ((pid = fork()) == 0) {
		ident_oftp("GW.ACME.DE01", &sf, b);
		st = write(fd[1], b, IDENT_SZ) == IDENT_SZ ? 0 : 1;
		OPENSSL_cleanup();	/* _exit skips it: valgrind */
		_exit(st);
	}
	close(fd[1]);
	memset(b, 0, sizeof(b));
	CHECK_EQ_INT(read(fd[0], b, IDENT_SZ), IDENT_SZ);
	close(fd[0]);
	CHECK_EQ_INT(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ident_oftp("GW.ACME.DE01", &sf, a);
	CHECK_EQ_STR(a, b);
}

static int
load_ini(const char *text, struct ox_config *cfg, char *err, size_t errlen)
{
	char	 path[1100];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/oxgate.ini", test_dir());
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fputs(text, f);
	fclose(f);
	err[0] = '\0';
	return config_load(path, cfg, err, errlen);
}

static void
t_config_key(void)
{
	struct ox_config cfg;
	char	 err[CONFIG_ERR_MAX];

	config_init(&cfg);
	CHECK_EQ_STR(cfg.mta_designator, "OXGATE------");
	CHECK_EQ_INT(load_ini("", &cfg, err, sizeof(err)), CONFIG_OK);
	CHECK_EQ_STR(cfg.mta_designator, "OXGATE------");
	/* the default follows mta-name, wherever that key is */
	CHECK_EQ_INT(load_ini("[x400]\nmta-name = GW.ACME.DE\n", &cfg, err,
	    sizeof(err)), CONFIG_OK);
	CHECK_EQ_STR(cfg.mta_designator, "GW.ACME.DE--");
	CHECK_EQ_INT(load_ini("[x400]\nmta-designator = ACME-GW-0001\n"
	    "mta-name = GW.ACME.DE\n", &cfg, err, sizeof(err)), CONFIG_OK);
	CHECK_EQ_STR(cfg.mta_designator, "ACME-GW-0001");
	CHECK_EQ_INT(load_ini("[x400]\nmta-designator = ACME\n", &cfg, err,
	    sizeof(err)), CONFIG_EVALUE);
	CHECK(strstr(err, "/oxgate.ini: [x400] mta-designator: 'ACME' has 4 "
	    "characters, exactly 12") != NULL);
	CHECK_EQ_INT(load_ini("[x400]\nmta-designator = ACME/GW/0001\n", &cfg,
	    err, sizeof(err)), CONFIG_EVALUE);
	CHECK(strstr(err, "[x400] mta-designator: 'ACME/GW/0001': character "
	    "5 (0x2f)") != NULL);
	CHECK_EQ_INT(load_ini("[spool]\nmta-designator = ACME-GW-0001\n", &cfg,
	    err, sizeof(err)), CONFIG_EKEY);
}

static void
t_oftp_taken(void)
{
	struct trace	*t;
	struct trace_row r;
	struct sfid	 a, b;
	char		 path[1100], err[512], why[1024];
	int64_t		 id;
	int		 created;

	snprintf(path, sizeof(path), "%s/trace.db", test_dir());
	if (trace_open(path, 0, &t, err, sizeof(err)) == -1) {
		test_fail(__FILE__, __LINE__, "trace_open: %s", err);
		return;
	}
	set_sfid(&a, "FILE.A", "20261122", "1000000001", "O0013ACME",
	    "O0177000000000X0LU000001");
	set_sfid(&b, "FILE.B", "20261122", "1000000002", "O0013ACME",
	    "O0177000000000X0LU000001");
	CHECK_EQ_INT(ident_oftp_taken(t, "[DE*VIAT*OFTP;X]", &a, why,
	    sizeof(why)), 0);
	memset(&r, 0, sizeof(r));
	r.dir = TRACE_OFTP2X400;
	snprintf(r.oftp.dsn, sizeof(r.oftp.dsn), "%s", a.dsn);
	snprintf(r.oftp.date, sizeof(r.oftp.date), "%s", a.date);
	snprintf(r.oftp.time, sizeof(r.oftp.time), "%s", a.time);
	snprintf(r.oftp.orig, sizeof(r.oftp.orig), "%s", a.orig);
	snprintf(r.oftp.dest, sizeof(r.oftp.dest), "%s", a.dest);
	CHECK_EQ_INT(trace_begin_oftp(t, &r, 1000, &id, &created), 0);
	CHECK_EQ_INT(trace_record_x400_id(t, id, "[DE*VIAT*OFTP;X]", NULL,
	    NULL, 1000), 0);
	/* a redo of A keeps it; B must not take it */
	CHECK_EQ_INT(ident_oftp_taken(t, "[DE*VIAT*OFTP;X]", &a, why,
	    sizeof(why)), 0);
	CHECK_EQ_INT(ident_oftp_taken(t, "[DE*VIAT*OFTP;X]", &b, why,
	    sizeof(why)), 1);
	CHECK(strstr(why, "MTS identifier [DE*VIAT*OFTP;X] is already the one "
	    "of trace row") != NULL);
	CHECK(strstr(why, "DSN FILE.A") != NULL);
	CHECK_EQ_INT(ident_oftp_taken(t, "[DE*VIAT*OFTP;Y]", &b, why,
	    sizeof(why)), 0);
	/* and the unique index refuses the second holder all the same */
	r.oftp.dsn[5] = 'B';
	snprintf(r.oftp.time, sizeof(r.oftp.time), "%s", b.time);
	CHECK_EQ_INT(trace_begin_oftp(t, &r, 1000, &id, &created), 0);
	CHECK_EQ_INT(trace_record_x400_id(t, id, "[DE*VIAT*OFTP;X]", NULL,
	    NULL, 1000), -1);
	CHECK(strstr(trace_error(t), "UNIQUE") != NULL);
	trace_close(t);
}

int
main(void)
{
	TEST(t_designator_check);
	TEST(t_designator_from);
	TEST(t_vectors);
	TEST(t_kinds_and_fields);
	TEST(t_unique);
	TEST(t_same_in_child);
	TEST(t_config_key);
	TEST(t_oftp_taken);
	return test_done();
}
