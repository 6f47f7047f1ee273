/*
 * NAME
 *	t_sfid - tests of the .sfid sidecar and the SFID command
 * DESCRIPTION
 *	The SFID command octets are written here by hand from the table of
 *	RFC 5024 5.3.3, field by field with explicit padding, not produced
 *	by the module's writer. Sidecar files are real files in test_dir().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "test.h"
#include "oftp/sfid.h"
#include "util/afile.h"

/* SFID fields, each exactly its RFC width (checked below). */
#define H_CMD	"H"				/*   0 X(1)  */
#define H_DSN	"INVOIC.2024/01-A&(B)      "	/*   1 X(26) */
#define H_RSV1	"   "				/*  27 X(3)  */
#define H_DATE	"20240229"			/*  30 9(8)  */
#define H_TIME	"1530450001"			/*  38 9(10) */
#define H_USER	"USR1    "			/*  48 X(8)  */
#define H_DEST	"O0177000000000X0LU000000 "	/*  56 X(25) */
#define H_ORIG	"O0013ACMEGMBH            "	/*  81 X(25) */
#define H_FMT	"V"				/* 106 X(1)  */
#define H_LRECL	"00512"				/* 107 9(5)  */
#define H_FSIZ	"0000000000123"			/* 112 9(13) */
#define H_OSIZ	"0000000000456"			/* 125 9(13) */
#define H_REST	"00000000000000789"		/* 138 9(17) */
#define H_SEC	"03"				/* 155 9(2)  */
#define H_CIPH	"04"				/* 157 9(2)  */
#define H_COMP	"1"				/* 159 9(1)  */
#define H_ENV	"1"				/* 160 9(1)  */
#define H_SIGN	"Y"				/* 161 X(1)  */
#define H_DESCL	"014"				/* 162 9(3)  */
#define H_DESC	"Rechnung M\xc3\xa4rz"		/* 165 T(14) */

#define H_ALL	H_CMD H_DSN H_RSV1 H_DATE H_TIME H_USER H_DEST H_ORIG H_FMT \
		H_LRECL H_FSIZ H_OSIZ H_REST H_SEC H_CIPH H_COMP H_ENV H_SIGN \
		H_DESCL H_DESC

_Static_assert(sizeof(H_DSN) - 1 == 26, "dsn");
_Static_assert(sizeof(H_USER) - 1 == 8, "user");
_Static_assert(sizeof(H_DEST) - 1 == 25, "dest");
_Static_assert(sizeof(H_ORIG) - 1 == 25, "orig");
_Static_assert(sizeof(H_FSIZ) - 1 == 13, "fsiz");
_Static_assert(sizeof(H_REST) - 1 == 17, "rest");
_Static_assert(sizeof(H_DESC) - 1 == 14, "desc");
_Static_assert(sizeof(H_ALL) - 1 == 165 + 14, "H record");

static void
fill(struct sfid *s)
{
	sfid_init(s);
	strcpy(s->dsn, "INVOIC.2024/01-A&(B)");
	strcpy(s->date, "20240229");
	strcpy(s->time, "1530450001");
	strcpy(s->user, "USR1");
	strcpy(s->dest, "O0177000000000X0LU000000");
	strcpy(s->orig, "O0013ACMEGMBH");
	s->format = 'V';
	s->lrecl = 512;
	s->fsize = 123;
	s->osize = 456;
	s->rest = 789;
	s->sec = 3;
	s->ciph = 4;
	s->comp = 1;
	s->env = 1;
	s->sign = 'Y';
	strcpy(s->desc, "Rechnung M\xc3\xa4rz");
}

static void
t_h_positions(void)
{
	static const char h[] = H_ALL;

	/* The literal itself, checked against the RFC positions. */
	CHECK(memcmp(h + 0, "H", 1) == 0);
	CHECK(memcmp(h + 1, "INVOIC.2024/01-A&(B)", 20) == 0);
	CHECK(memcmp(h + 27, "   ", 3) == 0);
	CHECK(memcmp(h + 30, "20240229", 8) == 0);
	CHECK(memcmp(h + 38, "1530450001", 10) == 0);
	CHECK(memcmp(h + 48, "USR1    ", 8) == 0);
	CHECK(memcmp(h + 56, "O0177000000000X0LU000000 ", 25) == 0);
	CHECK(memcmp(h + 81, "O0013ACMEGMBH", 13) == 0);
	CHECK(h[106] == 'V');
	CHECK(memcmp(h + 107, "00512", 5) == 0);
	CHECK(memcmp(h + 112, "0000000000123", 13) == 0);
	CHECK(memcmp(h + 125, "0000000000456", 13) == 0);
	CHECK(memcmp(h + 138, "00000000000000789", 17) == 0);
	CHECK(memcmp(h + 155, "03", 2) == 0);
	CHECK(memcmp(h + 157, "04", 2) == 0);
	CHECK(h[159] == '1' && h[160] == '1' && h[161] == 'Y');
	CHECK(memcmp(h + 162, "014", 3) == 0);
	CHECK(memcmp(h + 165, "Rechnung", 8) == 0);
}

static void
t_h_build(void)
{
	static const char h[] = H_ALL;
	struct sfid s;
	struct buf b;
	char	 err[256];

	fill(&s);
	buf_init(&b);
	CHECK_EQ_INT(sfid_build_h(&s, &b, err, sizeof(err)), SFID_OK);
	CHECK_EQ_MEM(b.p, b.len, h, sizeof(h) - 1);
	buf_free(&b);

	/* Without description: exactly 165 octets, DESCL 000. */
	s.desc[0] = '\0';
	buf_init(&b);
	CHECK_EQ_INT(sfid_build_h(&s, &b, err, sizeof(err)), SFID_OK);
	CHECK_EQ_INT(b.len, 165);
	CHECK(b.len == 165 && memcmp(b.p + 162, "000", 3) == 0);
	buf_free(&b);
}

static void
t_h_parse(void)
{
	static const char h[] = H_ALL;
	struct sfid s;
	struct cur c;
	char	 err[256];

	cur_init(&c, h, sizeof(h) - 1);
	CHECK_EQ_INT(sfid_parse_h(&s, &c, err, sizeof(err)), SFID_OK);
	CHECK_EQ_INT(cur_len(&c), 0);
	CHECK_EQ_STR(s.dsn, "INVOIC.2024/01-A&(B)");
	CHECK_EQ_STR(s.date, "20240229");
	CHECK_EQ_STR(s.time, "1530450001");
	CHECK_EQ_STR(s.user, "USR1");
	CHECK_EQ_STR(s.dest, "O0177000000000X0LU000000");
	CHECK_EQ_STR(s.orig, "O0013ACMEGMBH");
	CHECK_EQ_INT(s.format, 'V');
	CHECK_EQ_INT(s.lrecl, 512);
	CHECK_EQ_INT(s.fsize, 123);
	CHECK_EQ_INT(s.osize, 456);
	CHECK_EQ_INT(s.rest, 789);
	CHECK_EQ_INT(s.sec, 3);
	CHECK_EQ_INT(s.ciph, 4);
	CHECK_EQ_INT(s.comp, 1);
	CHECK_EQ_INT(s.env, 1);
	CHECK_EQ_INT(s.sign, 'Y');
	CHECK_EQ_STR(s.desc, "Rechnung M\xc3\xa4rz");
}

static int
parse_h_mod(size_t pos, const char *repl, size_t cut, size_t add,
    char *err, size_t errlen)
{
	static const char h[] = H_ALL;
	char	 m[sizeof(h) + 8];
	struct sfid s;
	struct cur c;
	size_t	 n = sizeof(h) - 1;

	memcpy(m, h, n);
	memset(m + n, 'x', 8);
	if (repl != NULL)
		memcpy(m + pos, repl, strlen(repl));
	cur_init(&c, m, n - cut + add);
	return sfid_parse_h(&s, &c, err, errlen);
}

static void
t_h_errors(void)
{
	char	 err[256];
	size_t	 n;

	CHECK_EQ_INT(parse_h_mod(0, "X", 0, 0, err, sizeof(err)), SFID_ECMD);
	for (n = 1; n <= 179; n++)
		CHECK_EQ_INT(parse_h_mod(0, NULL, n, 0, err, sizeof(err)),
		    SFID_ETRUNC);
	CHECK_EQ_INT(parse_h_mod(0, NULL, 0, 1, err, sizeof(err)),
	    SFID_ETRAIL);
	CHECK(strstr(err, "trailing") != NULL);
	CHECK_EQ_INT(parse_h_mod(28, "x", 0, 0, err, sizeof(err)),
	    SFID_EFIELD);
	CHECK(strstr(err, "SFIDRSV1") != NULL);
	CHECK_EQ_INT(parse_h_mod(108, "A", 0, 0, err, sizeof(err)),
	    SFID_EFIELD);
	CHECK(strstr(err, "lrecl") != NULL && strstr(err, "digit") != NULL);
	CHECK_EQ_INT(parse_h_mod(1, "a", 0, 0, err, sizeof(err)),
	    SFID_EFIELD);
	CHECK(strstr(err, "dsn: character 'a'") != NULL);
	CHECK_EQ_INT(parse_h_mod(36, "30", 0, 0, err, sizeof(err)),
	    SFID_EFIELD);
	CHECK(strstr(err, "date") != NULL);
	CHECK_EQ_INT(parse_h_mod(44, "0000", 0, 0, err, sizeof(err)),
	    SFID_EFIELD);
	CHECK(strstr(err, "counter") != NULL);
	CHECK_EQ_INT(parse_h_mod(165, "\xff", 0, 0, err, sizeof(err)),
	    SFID_EFIELD);
	CHECK(strstr(err, "desc") != NULL);
	CHECK_EQ_INT(parse_h_mod(162, "015", 0, 0, err, sizeof(err)),
	    SFID_ETRUNC);
	CHECK_EQ_INT(parse_h_mod(162, "013", 0, 0, err, sizeof(err)),
	    SFID_ETRAIL);
	CHECK_EQ_INT(parse_h_mod(0, NULL, 0, 0, err, sizeof(err)), SFID_OK);
}

static void
t_validate(void)
{
	struct sfid s;
	char	 err[256];

	fill(&s);
	CHECK_EQ_INT(sfid_validate(&s, err, sizeof(err)), SFID_OK);
	strcpy(s.dsn, "A@B");
	CHECK_EQ_INT(sfid_validate(&s, err, sizeof(err)), SFID_EFIELD);
	CHECK_EQ_STR(err, "dsn: character '@' not allowed");
	fill(&s);
	s.format = 'T';
	CHECK_EQ_INT(sfid_validate(&s, err, sizeof(err)), SFID_EFIELD);
	CHECK(strncmp(err, "lrecl:", 6) == 0);
	s.lrecl = 0;
	CHECK_EQ_INT(sfid_validate(&s, err, sizeof(err)), SFID_OK);
	s.format = 'F';
	CHECK_EQ_INT(sfid_validate(&s, err, sizeof(err)), SFID_EFIELD);
	s.lrecl = 100000;
	CHECK_EQ_INT(sfid_validate(&s, err, sizeof(err)), SFID_EFIELD);
	s.lrecl = 99999;
	CHECK_EQ_INT(sfid_validate(&s, err, sizeof(err)), SFID_OK);
	fill(&s);
	s.rest = 100000000000000000ULL;
	CHECK_EQ_INT(sfid_validate(&s, err, sizeof(err)), SFID_EFIELD);
	CHECK(strncmp(err, "rest:", 5) == 0);
}

/* A sidecar from the base keys with changes: "key=value" replaces or
 * adds, "-key" removes; extra raw text is appended. */
static const char *base_keys[] = {
	"dsn = INVOIC.2024", "date = 20240229", "time = 1530450001",
	"dest = O0177000000000X0LU000000", "orig = O0013ACMEGMBH",
	"format = T", NULL
};

static const char *
sidecar(const char *name, const char *change, const char *extra)
{
	static char path[4096];
	char	 key[64];
	FILE	*f;
	size_t	 kl;
	int	 i, done = 0;

	snprintf(path, sizeof(path), "%s/%s", test_dir(), name);
	if ((f = fopen(path, "w")) == NULL)
		return NULL;
	fprintf(f, "[sfid]\n");
	kl = 0;
	if (change != NULL) {
		kl = strcspn(change + (change[0] == '-'), "=");
		snprintf(key, sizeof(key), "%.*s", (int)kl,
		    change + (change[0] == '-'));
	}
	for (i = 0; base_keys[i] != NULL; i++) {
		if (change != NULL && strncasecmp(base_keys[i], key, kl) == 0 &&
		    base_keys[i][kl] == ' ') {
			if (change[0] != '-')
				fprintf(f, "%s = %s\n", key, change + kl + 1);
			done = 1;
			continue;
		}
		fprintf(f, "%s\n", base_keys[i]);
	}
	if (change != NULL && !done && change[0] != '-')
		fprintf(f, "%s = %s\n", key, change + kl + 1);
	if (extra != NULL)
		fputs(extra, f);
	fclose(f);
	return path;
}

static void
expect(const char *change, const char *extra, int code, const char *msg)
{
	struct sfid s;
	char	 err[512] = "";
	int	 rc;

	rc = sfid_read_file(&s, sidecar("x.sfid", change, extra), err,
	    sizeof(err));
	if (rc != code || strstr(err, msg) == NULL)
		test_fail(__FILE__, __LINE__, "change '%s': rc %d (want %d), "
		    "err '%s' (want '%s')", change ? change : "",
		    rc, code, err, msg);
}

static void
t_sidecar_rules(void)
{
	char	 longdesc[1100];

	expect(NULL, NULL, SFID_OK, "");
	expect("dsn=A@B", NULL, SFID_EFIELD, "dsn: character '@' not allowed");
	expect("dsn=abc", NULL, SFID_EFIELD, "dsn: character 'a' not allowed");
	expect("dsn=\"A B\"", NULL, SFID_EFIELD, "dsn: embedded space");
	expect("dsn=\" AB\"", NULL, SFID_EFIELD, "dsn: leading space");
	expect("dsn=ABCDEFGHIJKLMNOPQRSTUVWXYZ0", NULL, SFID_EFIELD,
	    "dsn: 27 characters");
	expect("dsn=", NULL, SFID_EFIELD, "dsn: empty");
	expect("-dsn", NULL, SFID_EMISSING, "dsn: required key missing");
	expect("-date", NULL, SFID_EMISSING, "date: required");
	expect("-time", NULL, SFID_EMISSING, "time: required");
	expect("-dest", NULL, SFID_EMISSING, "dest: required");
	expect("-orig", NULL, SFID_EMISSING, "orig: required");
	expect("-format", NULL, SFID_EMISSING, "format: required");
	expect("date=20230229", NULL, SFID_EFIELD, "date: day 29");
	expect("date=20241301", NULL, SFID_EFIELD, "date: month 13");
	expect("date=2024011", NULL, SFID_EFIELD, "date: '2024011' is not 8");
	expect("date=2024013A", NULL, SFID_EFIELD, "date:");
	expect("time=2400000001", NULL, SFID_EFIELD, "time: hour 24");
	expect("time=1260000001", NULL, SFID_EFIELD, "time: minute 60");
	expect("time=1259600001", NULL, SFID_EFIELD, "time: second 60");
	expect("time=1200000000", NULL, SFID_EFIELD, "time: counter 0000");
	expect("time=120000001", NULL, SFID_EFIELD, "time:");
	expect("user=ABCDEFGHI", NULL, SFID_EFIELD, "user: 9 characters");
	expect("user=A-B", NULL, SFID_OK, "");
	expect("dest=O0177000000000X0LU00000012", NULL, SFID_EFIELD,
	    "dest: 26 characters");
	expect("orig=o0013", NULL, SFID_EFIELD, "orig: character 'o'");
	expect("format=X", NULL, SFID_EFIELD, "format: 'X' is not F, V, U or T");
	expect("format=t", NULL, SFID_EFIELD, "format:");
	expect("format=F", NULL, SFID_EFIELD, "lrecl: must be 1-99999");
	expect("lrecl=80", NULL, SFID_EFIELD, "lrecl: must be 0 for format T");
	expect("lrecl=100000", NULL, SFID_EFIELD, "lrecl: '100000'");
	expect("lrecl=8x", NULL, SFID_EFIELD, "lrecl: '8x' is not a number");
	expect("fsize=12345678901234", NULL, SFID_EFIELD, "fsize:");
	expect("osize=-1", NULL, SFID_EFIELD, "osize:");
	expect("sec=04", "ciph = 01\nenv = 1\n", SFID_EFIELD, "sec: 04");
	expect("ciph=07", NULL, SFID_EFIELD, "ciph: 07");
	expect("sec=01", "env = 1\n", SFID_EFIELD, "ciph: 00 but sec 01");
	expect("sign=Y", NULL, SFID_EFIELD, "ciph: 00 but a signed EERP");
	expect("sign=Y", "ciph = 02\n", SFID_OK, "");
	expect("sign=y", NULL, SFID_EFIELD, "sign: 'y' is not Y or N");
	expect("comp=2", NULL, SFID_EFIELD, "comp: 2 not 0 or 1");
	expect("env=2", NULL, SFID_EFIELD, "env: 2 not 0 or 1");
	expect("sec=02", "ciph = 04\n", SFID_EFIELD, "env: 0 but the file is "
	    "secured");
	expect("comp=1", NULL, SFID_EFIELD, "env: 0 but the file is compressed");
	expect("comp=1", "env = 1\n", SFID_OK, "");
	expect("desc=\"bad \xc3\x28 utf8\"", NULL, SFID_EFIELD,
	    "desc: invalid UTF-8 sequence at octet 4");
	expect("desc=\"\xc0\xaf\"", NULL, SFID_EFIELD, "desc: invalid UTF-8");
	expect("desc=\"\xed\xa0\x80\"", NULL, SFID_EFIELD, "desc: invalid");
	memset(longdesc, 'a', 1000);
	longdesc[1000] = '\0';
	expect("desc=x", NULL, SFID_OK, "");
	{
		char ch[1200];

		snprintf(ch, sizeof(ch), "desc=\"%s\"", longdesc);
		expect(ch, NULL, SFID_EFIELD, "desc: 1000 characters");
		longdesc[999] = '\0';
		snprintf(ch, sizeof(ch), "desc=\"%s\"", longdesc);
		expect(ch, NULL, SFID_OK, "");
	}
	expect("foo=1", NULL, SFID_EKEY, "unknown key 'foo' in [sfid]");
	expect("rest=0", NULL, SFID_EKEY, "unknown key 'rest'");
	expect(NULL, "[bar]\nx = 1\n", SFID_EKEY, "unknown section [bar]");
	expect(NULL, "this is not ini\n", SFID_ESYNTAX, "line 8: syntax error");
	expect(NULL, "[oxgate]\ntrace id = 7\n", SFID_EKEY,
	    "oxgate: key 'trace id'");
	{
		char	 x[2048];

		memset(x, 'b', sizeof(x));
		memcpy(x, "[oxgate]\nk = ", 13);
		x[1500] = '\n';
		x[1501] = '\0';
		expect(NULL, x, SFID_ESYNTAX, "line 9: line too long");
	}
}

static void
t_sidecar_misc(void)
{
	struct sfid s;
	char	 path[4096], err[512], extra[4096];
	FILE	*f;
	int	 i;

	snprintf(path, sizeof(path), "%s/none.sfid", test_dir());
	CHECK_EQ_INT(sfid_read_file(&s, path, err, sizeof(err)), SFID_EIO);
	CHECK(strstr(err, "No such file") != NULL);
	CHECK_EQ_INT(sfid_read_file(&s, test_dir(), err, sizeof(err)),
	    SFID_EIO);
	/* A key before any section. */
	snprintf(path, sizeof(path), "%s/top.sfid", test_dir());
	f = fopen(path, "w");
	fputs("dsn = X\n[sfid]\n", f);
	fclose(f);
	CHECK_EQ_INT(sfid_read_file(&s, path, err, sizeof(err)), SFID_EKEY);
	CHECK_EQ_STR(err, "key 'dsn' outside any section");
	/* No [sfid] at all. */
	f = fopen(path, "w");
	fputs("[oxgate]\nk = v\n", f);
	fclose(f);
	CHECK_EQ_INT(sfid_read_file(&s, path, err, sizeof(err)),
	    SFID_EMISSING);
	CHECK_EQ_STR(err, "section [sfid] missing");
	/* Defaults of the optional keys. */
	CHECK_EQ_INT(sfid_read_file(&s, sidecar("d.sfid", NULL, NULL), err,
	    sizeof(err)), SFID_OK);
	CHECK_EQ_STR(s.user, "");
	CHECK_EQ_INT(s.lrecl, 0);
	CHECK_EQ_INT(s.fsize, 0);
	CHECK_EQ_INT(s.osize, 0);
	CHECK_EQ_INT(s.rest, 0);
	CHECK_EQ_INT(s.sec, 0);
	CHECK_EQ_INT(s.ciph, 0);
	CHECK_EQ_INT(s.comp, 0);
	CHECK_EQ_INT(s.env, 0);
	CHECK_EQ_INT(s.sign, 'N');
	CHECK_EQ_STR(s.desc, "");
	CHECK_EQ_INT(s.nox, 0);
	/* Section names and keys are case-insensitive (iniparser). */
	CHECK_EQ_INT(sfid_read_file(&s, sidecar("c.sfid", "DSN=UPPER",
	    NULL), err, sizeof(err)), SFID_OK);
	CHECK_EQ_STR(s.dsn, "UPPER");
	/* A key given twice, in any case, is refused with its line. */
	CHECK_EQ_INT(sfid_read_file(&s, sidecar("t.sfid", NULL,
	    "ORIG = O0013EVIL\n"), err, sizeof(err)), SFID_ESYNTAX);
	CHECK(strstr(err, "t.sfid: line 8: [sfid] ORIG given twice") != NULL);
	CHECK_EQ_INT(sfid_read_file(&s, sidecar("u.sfid", NULL,
	    "[SFID]\ndsn = AGAIN\n"), err, sizeof(err)), SFID_ESYNTAX);
	CHECK(strstr(err, "u.sfid: line 9: [SFID] dsn given twice") != NULL);
	/* a continued value is no key line */
	CHECK_EQ_INT(sfid_read_file(&s, sidecar("v.sfid", "desc=\"a\\\ndsn = b\"",
	    NULL), err, sizeof(err)), SFID_OK);
	/* 32 [oxgate] pairs are fine, 33 are not. */
	strcpy(extra, "[oxgate]\n");
	for (i = 0; i < 32; i++)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
		    "k%d = v%d\n", i, i);
	CHECK_EQ_INT(sfid_read_file(&s, sidecar("o.sfid", NULL, extra), err,
	    sizeof(err)), SFID_OK);
	CHECK_EQ_INT(s.nox, 32);
	CHECK_EQ_STR(sfid_ox_get(&s, "k31"), "v31");
	strcat(extra, "k32 = v\n");
	CHECK_EQ_INT(sfid_read_file(&s, sidecar("o.sfid", NULL, extra), err,
	    sizeof(err)), SFID_ELIMIT);
	CHECK(strstr(err, "more than 32") != NULL);
}

static const char expected_sidecar[] =
	"; OFTP virtual file, see oxgate-sfid(5)\n"
	"[sfid]\n"
	"dsn = INVOIC.2024/01-A&(B)\n"
	"date = 20240229\n"
	"time = 1530450001\n"
	"user = USR1\n"
	"dest = O0177000000000X0LU000000\n"
	"orig = O0013ACMEGMBH\n"
	"format = V\n"
	"lrecl = 512\n"
	"fsize = 123\n"
	"osize = 456\n"
	"sec = 03\n"
	"ciph = 04\n"
	"comp = 1\n"
	"env = 1\n"
	"sign = Y\n"
	"desc = \"Rechnung M\xc3\xa4rz\"\n"
	"\n"
	"[oxgate]\n"
	"mts-id = \"[C=DE;A=VIAT;P=OFTP;L=X-1]\"\n"
	"note = 'say \"hi\"; # not a comment'\n";

static void
roundtrip(struct sfid *s, const char *name)
{
	struct sfid r;
	struct buf b;
	char	 path[4096], err[512];
	unsigned i;
	int	 rc;

	buf_init(&b);
	rc = sfid_write(s, &b, err, sizeof(err));
	CHECK_EQ_INT(rc, SFID_OK);
	/* Committed the way a program does it: afile into a queue. */
	snprintf(path, sizeof(path), "%s/tmp", test_dir());
	(void)mkdir(path, 0700);
	CHECK(afile_put(test_dir(), name, b.p, b.len) == 0);
	snprintf(path, sizeof(path), "%s/%s", test_dir(), name);
	buf_free(&b);
	rc = sfid_read_file(&r, path, err, sizeof(err));
	CHECK_EQ_INT(rc, SFID_OK);
	if (rc != SFID_OK)
		return;
	CHECK_EQ_STR(r.dsn, s->dsn);
	CHECK_EQ_STR(r.date, s->date);
	CHECK_EQ_STR(r.time, s->time);
	CHECK_EQ_STR(r.user, s->user);
	CHECK_EQ_STR(r.dest, s->dest);
	CHECK_EQ_STR(r.orig, s->orig);
	CHECK_EQ_INT(r.format, s->format);
	CHECK_EQ_INT(r.lrecl, s->lrecl);
	CHECK_EQ_INT(r.fsize, s->fsize);
	CHECK_EQ_INT(r.osize, s->osize);
	CHECK_EQ_INT(r.sec, s->sec);
	CHECK_EQ_INT(r.ciph, s->ciph);
	CHECK_EQ_INT(r.comp, s->comp);
	CHECK_EQ_INT(r.env, s->env);
	CHECK_EQ_INT(r.sign, s->sign);
	CHECK_EQ_STR(r.desc, s->desc);
	CHECK_EQ_INT(r.nox, s->nox);
	for (i = 0; i < r.nox && i < s->nox; i++) {
		CHECK_EQ_STR(r.ox[i].key, s->ox[i].key);
		CHECK_EQ_STR(r.ox[i].val, s->ox[i].val);
	}
}

static void
t_sidecar_write(void)
{
	struct sfid s;
	struct buf b;
	char	 err[512];

	fill(&s);
	s.rest = 0;
	CHECK_EQ_INT(sfid_ox_set(&s, "mts-id", "[C=DE;A=VIAT;P=OFTP;L=X-1]",
	    err, sizeof(err)), SFID_OK);
	CHECK_EQ_INT(sfid_ox_set(&s, "note", "say \"hi\"; # not a comment",
	    err, sizeof(err)), SFID_OK);
	CHECK_EQ_INT(sfid_ox_set(&s, "Bad", "x", err, sizeof(err)),
	    SFID_EKEY);
	CHECK_EQ_INT(sfid_ox_set(&s, "both", "'\"", err, sizeof(err)),
	    SFID_EFIELD);
	CHECK_EQ_INT(sfid_ox_set(&s, "nl", "a\nb", err, sizeof(err)),
	    SFID_EFIELD);
	buf_init(&b);
	CHECK_EQ_INT(sfid_write(&s, &b, err, sizeof(err)), SFID_OK);
	CHECK_EQ_MEM(b.p, b.len, expected_sidecar,
	    sizeof(expected_sidecar) - 1);
	buf_free(&b);
	roundtrip(&s, "rt1.sfid");

	/* Quotes, spaces, comment characters and the longest desc. */
	strcpy(s.desc, "  He said \"no\" ; # \xe2\x82\xac  ");
	roundtrip(&s, "rt2.sfid");
	strcpy(s.desc, "it's");
	roundtrip(&s, "rt3.sfid");
	memset(s.desc, 'Z', 999);
	s.desc[999] = '\0';
	roundtrip(&s, "rt4.sfid");
	s.desc[0] = '\0';
	s.nox = 0;
	roundtrip(&s, "rt5.sfid");
	strcpy(s.desc, "both ' and \"");
	buf_init(&b);
	CHECK_EQ_INT(sfid_write(&s, &b, err, sizeof(err)), SFID_EFIELD);
	buf_free(&b);
	s.desc[0] = '\0';
	s.sign = 'X';
	buf_init(&b);
	CHECK_EQ_INT(sfid_write(&s, &b, err, sizeof(err)), SFID_EFIELD);
	buf_free(&b);
}

static void
t_h_roundtrip(void)
{
	struct sfid s, r;
	struct buf b;
	struct cur c;
	char	 err[256];

	fill(&s);
	s.format = 'T';
	s.lrecl = 0;
	s.desc[0] = '\0';
	s.user[0] = '\0';
	buf_init(&b);
	CHECK_EQ_INT(sfid_build_h(&s, &b, err, sizeof(err)), SFID_OK);
	cur_init(&c, b.p, b.len);
	CHECK_EQ_INT(sfid_parse_h(&r, &c, err, sizeof(err)), SFID_OK);
	CHECK_EQ_STR(r.user, "");
	CHECK_EQ_INT(r.format, 'T');
	CHECK_EQ_STR(r.desc, "");
	buf_free(&b);
}

static void
t_stamp(void)
{
	char	 date[9], tm[11], err[256];
	time_t	 t = 1709220645;	/* 2024-02-29 15:30:45 UTC */

	setenv("TZ", "UTC", 1);
	tzset();
	CHECK_EQ_INT(sfid_stamp(t, 1, date, tm), 0);
	CHECK_EQ_STR(date, "20240229");
	CHECK_EQ_STR(tm, "1530450001");
	CHECK_EQ_INT(sfid_stamp(t, 9999, date, tm), 0);
	CHECK_EQ_STR(tm, "1530459999");
	CHECK_EQ_INT(sfid_stamp(t, 0, date, tm), -1);
	CHECK_EQ_INT(sfid_stamp(t, 10000, date, tm), -1);
	CHECK_EQ_INT(sfid_stamp(time(NULL), 42, date, tm), 0);
	CHECK_EQ_INT(sfid_check_date("date", date, err, sizeof(err)), 0);
	CHECK_EQ_INT(sfid_check_time("time", tm, err, sizeof(err)), 0);
}

/* A VDSN from text: X(26) characters (RFC 5024 5.3.3 SFIDDSN), upper
 * case, others one '.', none at either end, German letters spelled out
 * (AE OE UE SS, seed 000 "BusinessMail X.400 -> OFTP Anwender": the
 * subject in the VDSN); what it makes validates. */
static void
t_dsn_from(void)
{
	static const struct {
		const char	*in, *want;
	} t[] = {
		{ "Invoice 4711 (urgent)", "INVOICE.4711.(URGENT)" },
		{ "  ..a--b  ", "A--B" },
		{ "\xc3\xa4\xc3\xb6\xc3\xbc", "AEOEUE" },
		{ "Lieferschein M\xc3\xa4rz Nr. 7", "LIEFERSCHEIN.MAERZ.NR.7" },
		{ "Gr\xc3\xbc\xc3\x9f""e \xc3\x84\xc3\x96\xc3\x9c", "GRUESSE.AEOEUE" },
		{ "Stra\xe1\xba\x9e""e", "STRASSE" },
		{ "caf\xc3\xa9 \xc3\xa4", "CAF.AE" },
		{ "abcdefghijklmnopqrstuvwxy\xc3\xa4", "ABCDEFGHIJKLMNOPQRSTUVWXY" },
		{ "abcdefghijklmnopqrstuvwxyz0123", "ABCDEFGHIJKLMNOPQRSTUVWXYZ" },
		{ "x/y&z", "X/Y&Z" },
	};
	char	 out[SFID_DSN_LEN + 1], err[256];
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		sfid_dsn_from(t[i].in, out);
		CHECK_EQ_STR(out, t[i].want);
		if (out[0] != '\0')
			CHECK_EQ_INT(sfid_check_x("dsn", out, SFID_DSN_LEN, 1,
			    err, sizeof(err)), SFID_OK);
	}
}

int
main(void)
{
	TEST(t_h_positions);
	TEST(t_h_build);
	TEST(t_h_parse);
	TEST(t_h_errors);
	TEST(t_h_roundtrip);
	TEST(t_validate);
	TEST(t_sidecar_rules);
	TEST(t_sidecar_misc);
	TEST(t_sidecar_write);
	TEST(t_stamp);
	TEST(t_dsn_from);
	return test_done();
}
