/*
 * NAME
 *	t_eerp - tests of the EERP and NERP commands
 * DESCRIPTION
 *	The expected octets are written here by hand from the tables of
 *	RFC 5024 5.3.13 and 5.3.14, field by field with explicit padding.
 */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "oftp/eerp.h"

#define F_DSN	"INVOIC.2024               "	/* X(26) */
#define F_DATE	"20240229"			/* 9(8)  */
#define F_TIME	"1530450001"			/* 9(10) */
#define F_USER	"USR1    "			/* X(8)  */
#define F_FORIG	"O0013ACMEGMBH            "	/* X(25) file originator */
#define F_FDEST	"O0177000000000X0LU000000 "	/* X(25) final recipient */
#define F_CREA	"O0177000000000X0LU123456 "	/* X(25) */

_Static_assert(sizeof(F_DSN) - 1 == 26, "dsn");
_Static_assert(sizeof(F_USER) - 1 == 8, "user");
_Static_assert(sizeof(F_FORIG) - 1 == 25, "orig");
_Static_assert(sizeof(F_FDEST) - 1 == 25, "dest");
_Static_assert(sizeof(F_CREA) - 1 == 25, "crea");

/* EERP: E DSN RSV1(3) DATE TIME USER DEST ORIG HSHL(2) SIGL(2): 110. */
static const char eerp2[] = "E" F_DSN "   " F_DATE F_TIME F_USER F_FORIG
	F_FDEST "\x00\x00" "\x00\x00";
_Static_assert(sizeof(eerp2) - 1 == 110, "EERP");

#define HASH32	"\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff" \
		"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e" \
		"\x0f\x10"
#define SIG5	"\x30\x03\x02\x01\x00"
static const char eerp2s[] = "E" F_DSN "   " F_DATE F_TIME F_USER F_FORIG
	F_FDEST "\x00\x20" HASH32 "\x00\x05" SIG5;
_Static_assert(sizeof(eerp2s) - 1 == 110 + 32 + 5, "signed EERP");

/* NERP: N DSN RSV1(6) DATE TIME DEST ORIG CREA REAS REASL REAST ... */
#define N_TEXT	"Zustellung fehlgeschlagen \xe2\x80\x93 X.400 NDN"
static const char nerp2[] = "N" F_DSN "      " F_DATE F_TIME F_FORIG F_FDEST
	F_CREA "35" "039" N_TEXT "\x00\x00" "\x00\x00";
_Static_assert(sizeof(N_TEXT) - 1 == 39, "text");
_Static_assert(sizeof(nerp2) - 1 == 135 + 39, "NERP");

static const char nerp2s[] = "N" F_DSN "      " F_DATE F_TIME F_FORIG F_FDEST
	F_CREA "36" "000" "\x00\x20" HASH32 "\x00\x05" SIG5;

static const char eerp14[] = "E" F_DSN "   " F_DATE F_TIME F_USER F_FORIG
	F_FDEST;
_Static_assert(sizeof(eerp14) - 1 == 106, "EERP 1.4");
static const char nerp14[] = "N" F_DSN "      " F_DATE F_TIME F_FORIG
	F_FDEST F_CREA "35";
_Static_assert(sizeof(nerp14) - 1 == 128, "NERP 1.4");

static void
fill(struct eerp *e, char cmd, int level)
{
	eerp_init(e, cmd, level);
	strcpy(e->dsn, "INVOIC.2024");
	strcpy(e->date, "20240229");
	strcpy(e->time, "1530450001");
	if (cmd == 'E')
		strcpy(e->user, "USR1");
	strcpy(e->dest, "O0013ACMEGMBH");
	strcpy(e->orig, "O0177000000000X0LU000000");
	if (cmd == 'N') {
		strcpy(e->crea, "O0177000000000X0LU123456");
		e->reason = 35;
	}
}

static int
build_is(const struct eerp *e, const char *want, size_t len)
{
	struct buf b;
	char	 err[256];
	int	 ok;

	buf_init(&b);
	ok = eerp_build(e, &b, err, sizeof(err)) == EERP_OK &&
	    b.len == len && memcmp(b.p, want, len) == 0;
	if (!ok)
		printf("     build: %s (%zu octets)\n", err, b.len);
	buf_free(&b);
	return ok;
}

static void
t_positions(void)
{
	/* The literals against the RFC positions. */
	CHECK(eerp2[0] == 'E' && memcmp(eerp2 + 1, "INVOIC.2024 ", 12) == 0);
	CHECK(memcmp(eerp2 + 27, "   ", 3) == 0);
	CHECK(memcmp(eerp2 + 30, "20240229", 8) == 0);
	CHECK(memcmp(eerp2 + 38, "1530450001", 10) == 0);
	CHECK(memcmp(eerp2 + 48, "USR1    ", 8) == 0);
	CHECK(memcmp(eerp2 + 56, "O0013ACMEGMBH ", 14) == 0);
	CHECK(memcmp(eerp2 + 81, "O0177000000000X0LU000000 ", 25) == 0);
	CHECK(memcmp(eerp2 + 106, "\0\0\0\0", 4) == 0);
	CHECK(memcmp(eerp2s + 108, HASH32, 32) == 0);
	CHECK(memcmp(eerp2s + 140, "\x00\x05" SIG5, 7) == 0);
	CHECK(nerp2[0] == 'N' && memcmp(nerp2 + 27, "      ", 6) == 0);
	CHECK(memcmp(nerp2 + 33, "20240229", 8) == 0);
	CHECK(memcmp(nerp2 + 41, "1530450001", 10) == 0);
	CHECK(memcmp(nerp2 + 51, "O0013ACMEGMBH ", 14) == 0);
	CHECK(memcmp(nerp2 + 76, "O0177000000000X0LU000000 ", 25) == 0);
	CHECK(memcmp(nerp2 + 101, "O0177000000000X0LU123456 ", 25) == 0);
	CHECK(memcmp(nerp2 + 126, "35039", 5) == 0);
	CHECK(memcmp(nerp2 + 131, "Zustellung", 10) == 0);
}

static void
t_build(void)
{
	struct eerp e;

	fill(&e, 'E', EERP_OFTP2);
	CHECK(build_is(&e, eerp2, sizeof(eerp2) - 1));
	e.hash = (const uint8_t *)HASH32;
	e.hash_len = 32;
	e.sig = (const uint8_t *)SIG5;
	e.sig_len = 5;
	CHECK(build_is(&e, eerp2s, sizeof(eerp2s) - 1));
	fill(&e, 'E', EERP_OFTP14);
	CHECK(build_is(&e, eerp14, sizeof(eerp14) - 1));
	fill(&e, 'N', EERP_OFTP2);
	strcpy(e.text, N_TEXT);
	CHECK(build_is(&e, nerp2, sizeof(nerp2) - 1));
	fill(&e, 'N', EERP_OFTP2);
	e.reason = 36;
	e.hash = (const uint8_t *)HASH32;
	e.hash_len = 32;
	e.sig = (const uint8_t *)SIG5;
	e.sig_len = 5;
	CHECK(build_is(&e, nerp2s, sizeof(nerp2s) - 1));
	fill(&e, 'N', EERP_OFTP14);
	CHECK(build_is(&e, nerp14, sizeof(nerp14) - 1));
}

static void
t_parse(void)
{
	struct eerp e;
	struct cur c;
	char	 err[256];

	cur_init(&c, eerp2s, sizeof(eerp2s) - 1);
	CHECK_EQ_INT(eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)), EERP_OK);
	CHECK_EQ_INT(cur_len(&c), 0);
	CHECK_EQ_INT(e.cmd, 'E');
	CHECK_EQ_INT(e.level, EERP_OFTP2);
	CHECK_EQ_STR(e.dsn, "INVOIC.2024");
	CHECK_EQ_STR(e.date, "20240229");
	CHECK_EQ_STR(e.time, "1530450001");
	CHECK_EQ_STR(e.user, "USR1");
	CHECK_EQ_STR(e.dest, "O0013ACMEGMBH");
	CHECK_EQ_STR(e.orig, "O0177000000000X0LU000000");
	CHECK_EQ_MEM(e.hash, e.hash_len, HASH32, 32);
	CHECK_EQ_MEM(e.sig, e.sig_len, SIG5, 5);

	cur_init(&c, eerp14, sizeof(eerp14) - 1);
	CHECK_EQ_INT(eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)), EERP_OK);
	CHECK_EQ_INT(e.level, EERP_OFTP14);
	CHECK_EQ_STR(e.orig, "O0177000000000X0LU000000");
	CHECK_EQ_INT(e.hash_len, 0);

	cur_init(&c, nerp2, sizeof(nerp2) - 1);
	CHECK_EQ_INT(eerp_parse(&e, &c, EERP_OFTP2, err, sizeof(err)),
	    EERP_OK);
	CHECK_EQ_INT(e.cmd, 'N');
	CHECK_EQ_STR(e.dsn, "INVOIC.2024");
	CHECK_EQ_STR(e.date, "20240229");
	CHECK_EQ_STR(e.time, "1530450001");
	CHECK_EQ_STR(e.user, "");
	CHECK_EQ_STR(e.dest, "O0013ACMEGMBH");
	CHECK_EQ_STR(e.orig, "O0177000000000X0LU000000");
	CHECK_EQ_STR(e.crea, "O0177000000000X0LU123456");
	CHECK_EQ_INT(e.reason, 35);
	CHECK_EQ_STR(e.text, N_TEXT);
	CHECK_EQ_INT(e.hash_len, 0);
	CHECK_EQ_INT(e.sig_len, 0);

	cur_init(&c, nerp2s, sizeof(nerp2s) - 1);
	CHECK_EQ_INT(eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)), EERP_OK);
	CHECK_EQ_INT(e.reason, 36);
	CHECK_EQ_STR(e.text, "");
	CHECK_EQ_MEM(e.hash, e.hash_len, HASH32, 32);
	CHECK_EQ_MEM(e.sig, e.sig_len, SIG5, 5);

	cur_init(&c, nerp14, sizeof(nerp14) - 1);
	CHECK_EQ_INT(eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)), EERP_OK);
	CHECK_EQ_INT(e.level, EERP_OFTP14);
	CHECK_EQ_INT(e.reason, 35);
}

/* Every proper prefix of a command is refused as truncated, except the
 * one that is exactly the 1.4 layout when the layout is taken from the
 * length. */
static void
truncations(const char *cmd, size_t len, size_t len14)
{
	struct eerp e;
	struct cur c;
	char	 err[256];
	size_t	 n;
	int	 rc;

	for (n = 0; n < len; n++) {
		cur_init(&c, cmd, n);
		rc = eerp_parse(&e, &c, EERP_OFTP2, err, sizeof(err));
		if (rc != EERP_ETRUNC)
			test_fail(__FILE__, __LINE__, "length %zu: rc %d (%s)",
			    n, rc, err);
		CHECK_EQ_INT(cur_len(&c), n);	/* not advanced */
		cur_init(&c, cmd, n);
		rc = eerp_parse(&e, &c, EERP_ANY, err, sizeof(err));
		if (rc != (n == len14 ? EERP_OK : EERP_ETRUNC))
			test_fail(__FILE__, __LINE__, "any, length %zu: rc %d "
			    "(%s)", n, rc, err);
		cur_init(&c, cmd, n);
		rc = eerp_parse(&e, &c, EERP_OFTP14, err, sizeof(err));
		if (rc != (n == len14 ? EERP_OK : n < len14 ? EERP_ETRUNC :
		    EERP_ETRAIL))
			test_fail(__FILE__, __LINE__, "1.4, length %zu: rc %d "
			    "(%s)", n, rc, err);
	}
}

static void
t_truncated(void)
{
	truncations(eerp2, sizeof(eerp2) - 1, 106);
	truncations(eerp2s, sizeof(eerp2s) - 1, 106);
	truncations(nerp2, sizeof(nerp2) - 1, 128);
	truncations(nerp2s, sizeof(nerp2s) - 1, 128);
}

static int
parse_mod(const char *cmd, size_t len, size_t pos, const char *repl,
    size_t rlen, size_t add, int level, char *err, size_t errlen)
{
	char	 m[512];
	struct eerp e;
	struct cur c;

	memcpy(m, cmd, len);
	memset(m + len, 0, 8);
	memcpy(m + pos, repl, rlen);
	cur_init(&c, m, len + add);
	return eerp_parse(&e, &c, level, err, errlen);
}

#define MOD(cmd, pos, repl, add, level) parse_mod(cmd, sizeof(cmd) - 1, pos, \
	repl, sizeof(repl) - 1, add, level, err, sizeof(err))

static void
t_malformed(void)
{
	char	 err[256];

	CHECK_EQ_INT(MOD(eerp2, 0, "e", 0, EERP_ANY), EERP_ECMD);
	CHECK(strstr(err, "command octet 0x65") != NULL);
	CHECK_EQ_INT(MOD(eerp2, 0, "H", 0, EERP_ANY), EERP_ECMD);
	CHECK_EQ_INT(MOD(eerp2, 0, "E", 1, EERP_ANY), EERP_ETRAIL);
	CHECK(strstr(err, "1 octets of trailing data at octet 110") != NULL);
	CHECK_EQ_INT(MOD(nerp2s, 0, "N", 3, EERP_ANY), EERP_ETRAIL);
	CHECK_EQ_INT(MOD(eerp14, 0, "E", 1, EERP_OFTP14), EERP_ETRAIL);
	CHECK_EQ_INT(MOD(eerp2, 34, "O", 0, EERP_ANY), EERP_EDIGIT);
	CHECK(strstr(err, "EERPDATE: 'O' at octet 34 is not a digit") != NULL);
	CHECK_EQ_INT(MOD(eerp2, 47, " ", 0, EERP_ANY), EERP_EDIGIT);
	CHECK(strstr(err, "EERPTIME") != NULL);
	CHECK_EQ_INT(MOD(nerp2, 127, "x", 0, EERP_ANY), EERP_EDIGIT);
	CHECK(strstr(err, "NERPREAS") != NULL);
	CHECK_EQ_INT(MOD(nerp2, 129, "A", 0, EERP_ANY), EERP_EDIGIT);
	CHECK(strstr(err, "NERPREASL") != NULL);
	CHECK_EQ_INT(MOD(eerp2, 36, "30", 0, EERP_ANY), EERP_EFIELD);
	CHECK(strstr(err, "EERPDATE: day 30") != NULL);
	CHECK_EQ_INT(MOD(eerp2, 44, "0000", 0, EERP_ANY), EERP_EFIELD);
	CHECK(strstr(err, "EERPTIME: counter 0000") != NULL);
	CHECK_EQ_INT(MOD(eerp2, 28, "X", 0, EERP_ANY), EERP_EFIELD);
	CHECK(strstr(err, "EERPRSV1") != NULL);
	CHECK_EQ_INT(MOD(nerp2, 30, "X", 0, EERP_ANY), EERP_EFIELD);
	CHECK(strstr(err, "NERPRSV1") != NULL);
	CHECK_EQ_INT(MOD(eerp2, 1, "a", 0, EERP_ANY), EERP_EFIELD);
	CHECK(strstr(err, "EERPDSN: character 'a' not allowed") != NULL);
	CHECK_EQ_INT(MOD(eerp2, 56, " ", 0, EERP_ANY), EERP_EFIELD);
	CHECK(strstr(err, "EERPDEST: leading space") != NULL);
	CHECK_EQ_INT(MOD(eerp2, 81, "                         ", 0, EERP_ANY),
	    EERP_EFIELD);
	CHECK(strstr(err, "EERPORIG: empty") != NULL);
	CHECK_EQ_INT(MOD(nerp2, 126, "37", 0, EERP_ANY), EERP_EREASON);
	CHECK(strstr(err, "unknown reason code 37") != NULL);
	CHECK_EQ_INT(MOD(nerp2, 131, "\xff", 0, EERP_ANY), EERP_EFIELD);
	CHECK(strstr(err, "NERPREAST") != NULL);
	/* Hash without a signature: EERPHSHL 2, hash, EERPSIGL 0. */
	CHECK_EQ_INT(MOD(eerp2, 106, "\x00\x02\xab\xcd\x00\x00", 0,
	    EERP_ANY), EERP_ETRUNC);
	{
		static const char h[] = "E" F_DSN "   " F_DATE F_TIME F_USER
		    F_FORIG F_FDEST "\x00\x02\xab\xcd" "\x00\x00";

		CHECK_EQ_INT(MOD(h, 0, "E", 0, EERP_ANY), EERP_ELEN);
		CHECK(strstr(err, "EERPHSHL: 2 but the EERP is not signed") !=
		    NULL);
	}
	/* Length fields that announce more than there is. */
	CHECK_EQ_INT(MOD(eerp2s, 106, "\x00\x21", 0, EERP_ANY), EERP_ETRUNC);
	CHECK_EQ_INT(MOD(eerp2s, 140, "\x00\x06", 0, EERP_ANY), EERP_ETRUNC);
	CHECK(strstr(err, "EERPSIG: 6 octets announced, 5 present") != NULL);
	CHECK_EQ_INT(MOD(nerp2, 128, "999", 0, EERP_ANY), EERP_ETRUNC);
	CHECK_EQ_INT(MOD(nerp2, 128, "038", 0, EERP_ANY), EERP_ETRUNC);
}

static void
t_build_errors(void)
{
	struct eerp e;
	struct buf b;
	char	 err[256];

	buf_init(&b);
	fill(&e, 'E', EERP_OFTP14);
	e.hash = (const uint8_t *)HASH32;
	e.hash_len = 32;
	e.sig = (const uint8_t *)SIG5;
	e.sig_len = 5;
	CHECK_EQ_INT(eerp_build(&e, &b, err, sizeof(err)), EERP_EFIELD);
	fill(&e, 'N', EERP_OFTP14);
	strcpy(e.text, "x");
	CHECK_EQ_INT(eerp_build(&e, &b, err, sizeof(err)), EERP_EFIELD);
	fill(&e, 'N', EERP_OFTP2);
	e.reason = 10;
	CHECK_EQ_INT(eerp_build(&e, &b, err, sizeof(err)), EERP_EREASON);
	fill(&e, 'N', EERP_OFTP2);
	strcpy(e.user, "X");
	CHECK_EQ_INT(eerp_build(&e, &b, err, sizeof(err)), EERP_EFIELD);
	fill(&e, 'E', EERP_OFTP2);
	e.hash = (const uint8_t *)HASH32;
	e.hash_len = 32;
	CHECK_EQ_INT(eerp_build(&e, &b, err, sizeof(err)), EERP_ELEN);
	fill(&e, 'X', EERP_OFTP2);
	CHECK_EQ_INT(eerp_build(&e, &b, err, sizeof(err)), EERP_ECMD);
	fill(&e, 'E', EERP_OFTP2);
	strcpy(e.dsn, "A@B");
	CHECK_EQ_INT(eerp_build(&e, &b, err, sizeof(err)), EERP_EFIELD);
	CHECK_EQ_STR(err, "EERPDSN: character '@' not allowed");
	CHECK_EQ_INT(b.len, 0);
	buf_free(&b);
}

static void
t_signed_data(void)
{
	static const char we[] = F_DSN F_DATE F_TIME F_FORIG F_FDEST HASH32;
	static const char wn[] = F_DSN F_DATE F_TIME F_FORIG F_FDEST F_CREA
	    HASH32;
	struct eerp e;
	struct buf b;
	char	 err[256];

	_Static_assert(sizeof(we) - 1 == EERP_SIGNED_FIXED + 32, "eerp");
	_Static_assert(sizeof(wn) - 1 == NERP_SIGNED_FIXED + 32, "nerp");
	fill(&e, 'E', EERP_OFTP2);
	e.hash = (const uint8_t *)HASH32;
	e.hash_len = 32;
	e.sig = (const uint8_t *)SIG5;
	e.sig_len = 5;
	buf_init(&b);
	CHECK_EQ_INT(eerp_signed_data(&e, &b, err, sizeof(err)), EERP_OK);
	CHECK_EQ_MEM(b.p, b.len, we, sizeof(we) - 1);
	buf_free(&b);
	fill(&e, 'N', EERP_OFTP2);
	strcpy(e.text, "not covered");
	e.hash = (const uint8_t *)HASH32;
	e.hash_len = 32;
	e.sig = (const uint8_t *)SIG5;
	e.sig_len = 5;
	buf_init(&b);
	CHECK_EQ_INT(eerp_signed_data(&e, &b, err, sizeof(err)), EERP_OK);
	CHECK_EQ_MEM(b.p, b.len, wn, sizeof(wn) - 1);
	buf_free(&b);
}

static void
t_reasons(void)
{
	static const unsigned codes[] = { 3, 4, 9, 11, 12, 13, 14, 15, 16,
	    20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
	    36, 50, 90, 99 };
	unsigned i, n = 0;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		CHECK(nerp_reason_text(codes[i]) != NULL);
	for (i = 0; i < 100; i++)
		if (nerp_reason_text(i) != NULL)
			n++;
	CHECK_EQ_INT(n, sizeof(codes) / sizeof(codes[0]));
	CHECK_EQ_STR(nerp_reason_text(35), "Not delivered to recipient.");
	CHECK_EQ_STR(nerp_reason_text(36), "Not acknowledged by recipient.");
	CHECK_EQ_STR(nerp_reason_text(9), "ESID received with reason code "
	    "'99' (unspecified reason)");
	CHECK(nerp_reason_text(0) == NULL);
}

static void
t_from_sfid(void)
{
	struct sfid s;
	struct eerp e;

	sfid_init(&s);
	strcpy(s.dsn, "INVOIC.2024");
	strcpy(s.date, "20240229");
	strcpy(s.time, "1530450001");
	strcpy(s.dest, "O0177000000000X0LU000000");
	strcpy(s.orig, "O0013ACMEGMBH");
	eerp_from_sfid(&e, &s, 'N', EERP_OFTP2);
	CHECK_EQ_STR(e.dest, "O0013ACMEGMBH");
	CHECK_EQ_STR(e.orig, "O0177000000000X0LU000000");
	CHECK_EQ_STR(e.crea, "O0177000000000X0LU000000");
	CHECK_EQ_STR(e.dsn, "INVOIC.2024");
	CHECK_EQ_STR(e.time, "1530450001");
}

static void
t_roundtrip(void)
{
	const char *cmds[] = { eerp2, eerp2s, nerp2, nerp2s, eerp14, nerp14 };
	const size_t lens[] = { sizeof(eerp2) - 1, sizeof(eerp2s) - 1,
	    sizeof(nerp2) - 1, sizeof(nerp2s) - 1, sizeof(eerp14) - 1,
	    sizeof(nerp14) - 1 };
	struct eerp e;
	struct cur c;
	char	 err[256];
	size_t	 i;

	for (i = 0; i < 6; i++) {
		cur_init(&c, cmds[i], lens[i]);
		CHECK_EQ_INT(eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)),
		    EERP_OK);
		CHECK(build_is(&e, cmds[i], lens[i]));
	}
}

/*
 * eerp_set_text (issue 22): any text becomes a valid NERPREAST, never a
 * reason to fail. NERPREAST is T(n), UTF-8 (rfc5024.txt:3409,
 * rfc5024.txt:2119, rfc5024.txt:3568) after NERPREASL, 9(3): at most 999
 * octets (rfc5024.txt:3564). CR, LF and NUL are refused by the field
 * check, other control characters become spaces as well.
 */
static void
t_set_text(void)
{
	struct eerp e;
	struct buf b;
	char	 err[256], big[1200], *p;
	size_t	 i;

	eerp_init(&e, 'N', EERP_OFTP2);
	strcpy(e.crea, "O0013ACMEGMBH");
	strcpy(e.dsn, "X");
	strcpy(e.date, F_DATE);
	strcpy(e.time, F_TIME);
	strcpy(e.dest, "O0013ACMEGMBH");
	strcpy(e.orig, "O0013ACMEGMBH");
	e.reason = 34;
	/* before: the raw text made the NERP unbuildable */
	strcpy(e.text, "corrupt MIME ('a\rb')");
	buf_init(&b);
	CHECK_EQ_INT(eerp_build(&e, &b, err, sizeof(err)), EERP_EFIELD);
	eerp_set_text(&e, "corrupt MIME ('a\rb\nc\td\x1b" "e\x7f')");
	CHECK_EQ_STR(e.text, "corrupt MIME ('a b c d e ')");
	CHECK_EQ_INT(eerp_build(&e, &b, err, sizeof(err)), EERP_OK);
	/* bad UTF-8 (overlong C0 AF, lone continuation, truncated E2 80) */
	eerp_set_text(&e, "\xc3\xa4 \xc0\xaf \x80 \xe2\x80");
	CHECK_EQ_STR(e.text, "\xc3\xa4 ?? ? ??");
	CHECK_EQ_INT(eerp_validate(&e, err, sizeof(err)), EERP_OK);
	/* cut at 999 octets, on a character boundary */
	for (p = big, i = 0; i < 499; i++, p += 2)
		memcpy(p, "\xc3\xa4", 2);
	strcpy(p, "x\xc3\xa4yz");		/* 998 + x = 999, then a 2-octet */
	eerp_set_text(&e, big);
	CHECK_EQ_INT(strlen(e.text), NERP_TEXT_MAX);
	CHECK_EQ_INT(e.text[NERP_TEXT_MAX - 1], 'x');
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[997] = '\xc3';
	big[998] = '\xa4';			/* 997 + 2 = 999: fits */
	eerp_set_text(&e, big);
	CHECK_EQ_INT(strlen(e.text), NERP_TEXT_MAX);
	CHECK_EQ_INT(eerp_validate(&e, err, sizeof(err)), EERP_OK);
	eerp_set_text(&e, NULL);
	CHECK_EQ_STR(e.text, "");
	/* OFTP 1.4 NERP and an EERP: no text field */
	eerp_init(&e, 'N', EERP_OFTP14);
	eerp_set_text(&e, "why");
	CHECK_EQ_STR(e.text, "");
	eerp_init(&e, 'E', EERP_OFTP2);
	eerp_set_text(&e, "why");
	CHECK_EQ_STR(e.text, "");
	buf_free(&b);
}

int
main(void)
{
	TEST(t_positions);
	TEST(t_build);
	TEST(t_parse);
	TEST(t_truncated);
	TEST(t_malformed);
	TEST(t_build_errors);
	TEST(t_signed_data);
	TEST(t_reasons);
	TEST(t_from_sfid);
	TEST(t_roundtrip);
	TEST(t_set_text);
	return test_done();
}
