/*
 * NAME
 *	t_ctypes - unit tests for lib/gw/ctypes (content-type tables)
 * DESCRIPTION
 *	The built-in tables are the shipped files etc/mapping/mime-to-x400
 *	and x400-to-mime, byte for byte, and give the seed's rules (every
 *	case of the former hard-coded choice, 1984 and 1988). Good lines in
 *	every form; each kind of bad line refused with FILE:LINE and its
 *	reason; lookup precedence (subtype, then any subtype, then any type;
 *	charset; aliases; case); 1984 refusing latin1, file and ftbp; the line,
 *	entry and file-size bounds; ctypes_load_dir() with missing, good
 *	and bad files. ctypes_scan() against the rule written out octet by
 *	octet (ia5 fits 7-bit text without control octets but TAB CR LF FF;
 *	latin1 fits text), for each of the 256 octets alone, at every
 *	position of a long run, in each lane of the 16-octet steps, and
 *	across chunks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gw/ctypes.h"
#include "test.h"

static int
load(struct ctypes *ct, enum ctypes_table t, const char *text, char *err,
    size_t errlen)
{
	return ctypes_load_text(ct, t, "t", text, strlen(text), err, errlen);
}

/* The body part chosen for a part, as "bp" or "bp OID". */
static const char *
pick(const struct ctypes *ct, const char *type, const char *cs,
    enum ctypes_mode mode, int text, int ascii, int named)
{
	static char	 out[200];
	const struct ctypes_choice *c;
	struct ctypes_props p;

	p.text = text;
	p.ascii = ascii;
	p.named = named;
	if ((c = ctypes_choose(ctypes_m2x_lookup(ct, type, cs, mode), &p)) ==
	    NULL)
		return "(none)";
	snprintf(out, sizeof(out), "%s%s%s", ctypes_bp_name(c->bp),
	    c->oid[0] ? " " : "", c->oid);
	return out;
}

static void
t_builtin_is_shipped(void)
{
	static const char *const files[] = { "mime-to-x400", "x400-to-mime" };
	const char	*top = getenv("OX_TOP");
	char		 path[4096];
	uint8_t		*p;
	size_t		 n, i;

	if (top == NULL)
		top = ".";
	for (i = 0; i < 2; i++) {
		const char *b = ctypes_builtin_text((enum ctypes_table)i);

		snprintf(path, sizeof(path), "%s/etc/mapping/%s", top,
		    files[i]);
		CHECK_EQ_INT(test_read_file(path, &p, &n), 0);
		if (p != NULL) {
			CHECK_EQ_MEM(p, n, b, strlen(b));
			free(p);
		}
	}
	CHECK_EQ_INT(ctypes_builtin()->nm2x, 14);
	CHECK_EQ_INT(ctypes_builtin()->nx2m, 7);
}

/* The seed's hard-coded rules, case by case (oftp2x400 variable mode). */
static void
t_seed_rules(void)
{
	const struct ctypes *b = ctypes_builtin();

	/*
	 * 1988: text/plain, us-ascii (or no charset) and 7-bit too: BP15
	 * (seed 000 line 73: "MIME Type Text/plain in BP15/ ISO8859-1
	 * (IPM84 oder IPM88)"; IA5 was taken before)
	 */
	CHECK_EQ_STR(pick(b, "text/plain", NULL, CTYPES_1988, 1, 1, 0),
	    "latin1");
	CHECK_EQ_STR(pick(b, "text/plain", "US-ASCII", CTYPES_1988, 1, 1, 0),
	    "latin1");
	CHECK_EQ_STR(pick(b, "text/plain", "ansi_x3.4-1968", CTYPES_1988, 1,
	    1, 1), "latin1");
	/* ... 8-bit text: BP15; control octets: FTBP if named, else BP14 */
	CHECK_EQ_STR(pick(b, "text/plain", NULL, CTYPES_1988, 1, 0, 0),
	    "latin1");
	CHECK_EQ_STR(pick(b, "text/plain", NULL, CTYPES_1988, 0, 0, 1),
	    "file");
	CHECK_EQ_STR(pick(b, "text/plain", NULL, CTYPES_1988, 0, 0, 0),
	    "bp14");
	/* text/plain in ISO 8859-1 or converted: BP15 even when 7-bit */
	CHECK_EQ_STR(pick(b, "text/plain", "iso-8859-1", CTYPES_1988, 1, 1,
	    0), "latin1");
	CHECK_EQ_STR(pick(b, "text/html", NULL, CTYPES_1988, 1, 1, 0),
	    "latin1");
	CHECK_EQ_STR(pick(b, "Text/CSV", "utf-8", CTYPES_1988, 0, 0, 1),
	    "file");
	/* EDI */
	CHECK_EQ_STR(pick(b, "application/EDIFACT", NULL, CTYPES_1988, 1, 1,
	    0), "latin1");
	CHECK_EQ_STR(pick(b, "application/edi-x12", NULL, CTYPES_1988, 0, 0,
	    0), "bp14");
	/* S/MIME, messages, the rest */
	CHECK_EQ_STR(pick(b, "application/pkcs7-mime", NULL, CTYPES_1988, 0,
	    0, 1), "ftbp " CTYPES_OID_CMS);
	CHECK_EQ_STR(pick(b, "application/x-pkcs7-mime", NULL, CTYPES_1988,
	    0, 0, 0), "ftbp " CTYPES_OID_CMS);
	CHECK_EQ_STR(pick(b, "multipart/signed", NULL, CTYPES_1988, 0, 0, 0),
	    "ftbp " CTYPES_OID_CMS);
	CHECK_EQ_STR(pick(b, "message/rfc822", NULL, CTYPES_1988, 0, 0, 1),
	    "bp14");
	CHECK_EQ_STR(pick(b, "application/octet-stream", NULL, CTYPES_1988, 1,
	    1, 1), "file");
	CHECK_EQ_STR(pick(b, "application/octet-stream", NULL, CTYPES_1988, 1,
	    1, 0), "bp14");
	CHECK_EQ_STR(pick(b, "image/png", NULL, CTYPES_1988, 0, 0, 1), "file");

	/* 1984: IA5 for 7-bit text and EDI, else BP14; never BP15 / FTBP */
	CHECK_EQ_STR(pick(b, "text/plain", "iso-8859-1", CTYPES_1984, 1, 1,
	    0), "ia5");
	CHECK_EQ_STR(pick(b, "text/plain", NULL, CTYPES_1984, 1, 0, 1),
	    "bp14");
	CHECK_EQ_STR(pick(b, "application/edifact", NULL, CTYPES_1984, 1, 1,
	    0), "ia5");
	CHECK_EQ_STR(pick(b, "application/pkcs7-mime", NULL, CTYPES_1984, 0,
	    0, 1), "bp14");
	CHECK_EQ_STR(pick(b, "application/octet-stream", NULL, CTYPES_1984, 1,
	    1, 1), "bp14");
}

static void
t_x2m_rules(void)
{
	const struct ctypes *b = ctypes_builtin();
	const struct ctypes_x2m *e;
	const char	*cms[3] = { NULL, CTYPES_OID_CMS, "" };
	const char	*ftam[3] = { NULL, "1.0.8571.5.3", "" };
	const char	*other[3] = { "1.2.3.4", "1.0.8571.5.3", CTYPES_OID_CMS };

	e = ctypes_x2m_lookup(b, CTYPES_BP_IA5, NULL, 0, CTYPES_1984);
	CHECK(e != NULL && strcmp(e->type, "text") == 0 &&
	    strcmp(e->subtype, "plain") == 0 && e->nparam == 1 &&
	    strcmp(e->attr[0], "charset") == 0 &&
	    strcmp(e->value[0], "us-ascii") == 0);
	e = ctypes_x2m_lookup(b, CTYPES_BP_LATIN1, NULL, 0, CTYPES_1984);
	CHECK(e != NULL && strcmp(e->value[0], "iso-8859-1") == 0);
	e = ctypes_x2m_lookup(b, CTYPES_BP_BP14, NULL, 0, CTYPES_1988);
	CHECK(e != NULL && strcmp(e->subtype, "octet-stream") == 0);
	/* CMS by the document type; by the data type behind another OID */
	e = ctypes_x2m_lookup(b, CTYPES_BP_FTBP, cms, 3, CTYPES_1988);
	CHECK(e != NULL && strcmp(e->subtype, "pkcs7-mime") == 0 &&
	    e->nparam == 1 && strcmp(e->value[0], "enveloped-data") == 0);
	e = ctypes_x2m_lookup(b, CTYPES_BP_FTBP, other, 3, CTYPES_1988);
	CHECK(e != NULL && strcmp(e->subtype, "pkcs7-mime") == 0);
	e = ctypes_x2m_lookup(b, CTYPES_BP_FTBP, ftam, 3, CTYPES_1988);
	CHECK(e != NULL && strcmp(e->subtype, "octet-stream") == 0);
}

static void
t_good_lines(void)
{
	struct ctypes	 ct;
	char		 err[300];
	const char	*oids[1] = { "1.2.3.4" };
	const struct ctypes_x2m *e;

	ctypes_init(&ct);
	CHECK_EQ_INT(load(&ct, CTYPES_M2X,
	    "# comment\n"
	    "\n"
	    "   \t  # indented comment\n"
	    "application/x-foo 1988 ftbp 1.2.3.4   # trailing comment\r\n"
	    "application/x-bar\t1988\tfile 1.2.3.5|tunnel\n"
	    "text/x-t;charset=UTF-8 1988 latin1 |bp14\n"
	    "image/* 1984 tunnel\n"
	    "*/* 1988 ia5 | latin1 | file | ftbp", err, sizeof(err)),
	    CTYPES_OK);
	CHECK_EQ_INT(ct.nm2x, 5);
	CHECK_EQ_STR(pick(&ct, "application/x-foo", NULL, CTYPES_1988, 1, 1,
	    1), "ftbp 1.2.3.4");
	CHECK_EQ_STR(pick(&ct, "APPLICATION/X-FOO", NULL, CTYPES_1988, 0, 0,
	    0), "ftbp 1.2.3.4");
	CHECK_EQ_STR(pick(&ct, "application/x-bar", NULL, CTYPES_1988, 0, 0,
	    1), "file 1.2.3.5");
	CHECK_EQ_STR(pick(&ct, "application/x-bar", NULL, CTYPES_1988, 0, 0,
	    0), "tunnel");
	CHECK_EQ_STR(pick(&ct, "text/x-t", "utf-8", CTYPES_1988, 1, 0, 0),
	    "latin1");
	CHECK_EQ_STR(pick(&ct, "text/x-t", NULL, CTYPES_1988, 1, 0, 0),
	    "latin1");			/* the any-type line */
	CHECK_EQ_STR(pick(&ct, "image/gif", NULL, CTYPES_1984, 1, 1, 1),
	    "tunnel");
	CHECK_EQ_STR(pick(&ct, "image/gif", NULL, CTYPES_1988, 0, 0, 0),
	    "ftbp");
	CHECK_EQ_STR(pick(&ct, "audio/x", NULL, CTYPES_1984, 0, 0, 0),
	    "(none)");			/* no 1984 line */
	CHECK(ctypes_m2x_lookup(&ct, "no-slash", NULL, CTYPES_1988) == NULL);

	CHECK_EQ_INT(load(&ct, CTYPES_X2M,
	    "ia5 1988 text/plain;charset=us-ascii\n"
	    "ftbp 1.2.3.4 1988 application/x-foo ; name = foo ; x-a=b\n"
	    "ftbp any 1988 application/octet-stream\n"
	    "bp14 1984 Application/X-Bin\n", err, sizeof(err)), CTYPES_OK);
	CHECK_EQ_INT(ct.nx2m, 4);
	e = ctypes_x2m_lookup(&ct, CTYPES_BP_FTBP, oids, 1, CTYPES_1984);
	CHECK(e != NULL && strcmp(e->subtype, "x-foo") == 0 && e->nparam == 2
	    && strcmp(e->attr[0], "name") == 0 &&
	    strcmp(e->value[0], "foo") == 0 && strcmp(e->attr[1], "x-a") == 0);
	e = ctypes_x2m_lookup(&ct, CTYPES_BP_BP14, NULL, 0, CTYPES_1984);
	CHECK(e != NULL && strcmp(e->type, "application") == 0 &&
	    strcmp(e->subtype, "x-bin") == 0);
	CHECK(ctypes_x2m_lookup(&ct, CTYPES_BP_BP14, NULL, 0, CTYPES_1988) ==
	    NULL);
	ctypes_free(&ct);
}

static void
t_precedence(void)
{
	struct ctypes	 ct;
	char		 err[300];

	ctypes_init(&ct);
	CHECK_EQ_INT(load(&ct, CTYPES_M2X,
	    "*/*;charset=us-ascii 1988 ftbp 1.1\n"
	    "*/* 1988 bp14\n"
	    "text/* 1988 ftbp 1.2\n"
	    "text/*;charset=iso-8859-1 1988 ftbp 1.3\n"
	    "text/plain 1988 ftbp 1.4\n"
	    "text/plain;charset=latin1 1988 ftbp 1.5\n", err, sizeof(err)),
	    CTYPES_OK);
	/* exact subtype with charset, then without */
	CHECK_EQ_STR(pick(&ct, "text/plain", "ISO_8859-1", CTYPES_1988, 0, 0,
	    0), "ftbp 1.5");
	CHECK_EQ_STR(pick(&ct, "text/plain", "utf-8", CTYPES_1988, 0, 0, 0),
	    "ftbp 1.4");
	/* TYPE/any with charset, then without: before any/any */
	CHECK_EQ_STR(pick(&ct, "text/html", "l1", CTYPES_1988, 0, 0, 0),
	    "ftbp 1.3");
	CHECK_EQ_STR(pick(&ct, "text/html", NULL, CTYPES_1988, 0, 0, 0),
	    "ftbp 1.2");
	/* any/any with charset: only when the charset is given */
	CHECK_EQ_STR(pick(&ct, "image/png", "us-ascii", CTYPES_1988, 0, 0, 0),
	    "ftbp 1.1");
	CHECK_EQ_STR(pick(&ct, "image/png", NULL, CTYPES_1988, 0, 0, 0),
	    "bp14");
	ctypes_free(&ct);
}

static void
expect_bad(enum ctypes_table t, const char *text, const char *why)
{
	struct ctypes	 ct;
	char		 err[300];

	ctypes_init(&ct);
	err[0] = '\0';
	CHECK_EQ_INT(ctypes_load_text(&ct, t, "tbl", text, strlen(text), err,
	    sizeof(err)), CTYPES_ESYNTAX);
	if (strstr(err, why) == NULL)
		test_fail(__FILE__, __LINE__, "\"%s\": error \"%s\", expected "
		    "\"%s\"", text, err, why);
	ctypes_free(&ct);
}

static void
t_bad_lines(void)
{
	char	 longl[700];

	expect_bad(CTYPES_M2X, "# ok\ntext/plain 1988\n", "tbl:2: TYPE/SUBTYPE "
	    "MODE CHOICE expected");
	expect_bad(CTYPES_M2X, "text 1988 bp14\n", "tbl:1: not a MIME type");
	expect_bad(CTYPES_M2X, "text/ 1988 bp14\n", "tbl:1: not a MIME type");
	expect_bad(CTYPES_M2X, "*/plain 1988 bp14\n", "wildcard");
	expect_bad(CTYPES_M2X, "te*t/plain 1988 bp14\n", "wildcard");
	expect_bad(CTYPES_M2X, "text/plain;name=x 1988 bp14\n",
	    "the only parameter of a key is charset");
	expect_bad(CTYPES_M2X, "text/plain;charset 1988 bp14\n", "without '='");
	expect_bad(CTYPES_M2X, "text/plain 1989 bp14\n", "mode \"1989\"");
	expect_bad(CTYPES_M2X, "text/plain 1988 bp15\n", "\"bp15\": not a "
	    "body part");
	expect_bad(CTYPES_M2X, "text/plain 1988 ia5\n", "the last choice "
	    "(ia5) does not fit every part");
	expect_bad(CTYPES_M2X, "text/plain 1988 ia5 | file\n", "the last "
	    "choice (file)");
	expect_bad(CTYPES_M2X, "text/plain 1988 bp14 | ia5\n", "\"ia5\" is "
	    "never used");
	expect_bad(CTYPES_M2X, "text/plain 1988 ia5 bp14\n", "'|' expected");
	expect_bad(CTYPES_M2X, "text/plain 1988 ia5 |\n", "a choice is "
	    "missing");
	expect_bad(CTYPES_M2X, "text/plain 1988 ftbp 1.2.x\n", "no object "
	    "identifier");
	expect_bad(CTYPES_M2X, "text/plain 1988 ftbp 3.2\n", "no object "
	    "identifier");
	expect_bad(CTYPES_M2X, "text/plain 1988 ftbp 1\n", "no object "
	    "identifier");
	expect_bad(CTYPES_M2X, "text/plain 1988 ftbp 1.02\n", "no object "
	    "identifier");
	expect_bad(CTYPES_M2X, "text/plain 1988 ftbp 1..2\n", "no object "
	    "identifier");
	/* 1984: P2 never carries a 1988 extended body part */
	expect_bad(CTYPES_M2X, "text/plain 1984 latin1 | bp14\n", "latin1 in "
	    "1984 mode");
	expect_bad(CTYPES_M2X, "text/plain 1984 file | bp14\n", "file in 1984 "
	    "mode");
	expect_bad(CTYPES_M2X, "text/plain 1984 ftbp 1.2.3\n", "ftbp in 1984 "
	    "mode");
	expect_bad(CTYPES_M2X, "text/plain 1988 bp14\nText/Plain 1988 ia5 | "
	    "bp14\n", "tbl:2: the same type and mode as line 1");
	expect_bad(CTYPES_M2X, "text/plain 1988 bp14 | bp14 | bp14 | bp14 | "
	    "bp14 | bp14 | bp14 | bp14 | bp14\n", "never used");
	expect_bad(CTYPES_M2X, "text/plain 1988 ia5 | ia5 | ia5 | ia5 | ia5 | "
	    "ia5 | ia5 | ia5 | bp14\n", "more than 8 choices");
	expect_bad(CTYPES_M2X, "text/plain 1988 bp14\001\n", "control");
	expect_bad(CTYPES_M2X, "text/pl\303\244in 1988 bp14\n", "non-ASCII");

	expect_bad(CTYPES_X2M, "ia5 1988\n", "the MIME type is missing");
	expect_bad(CTYPES_X2M, "ftbp 1988 text/plain\n", "no object "
	    "identifier");
	expect_bad(CTYPES_X2M, "ftbp any 1988\n", "the MIME type is missing");
	expect_bad(CTYPES_X2M, "ia5\n", "BODYPART MODE TYPE/SUBTYPE");
	expect_bad(CTYPES_X2M, "tunnel 1988 text/plain\n", "not a body part");
	expect_bad(CTYPES_X2M, "file 1988 text/plain\n", "not a body part");
	expect_bad(CTYPES_X2M, "g3fax 1988 image/g3fax\n", "not a body part");
	expect_bad(CTYPES_X2M, "ia5 88 text/plain\n", "mode \"88\"");
	expect_bad(CTYPES_X2M, "latin1 1984 text/plain\n", "latin1 in 1984");
	expect_bad(CTYPES_X2M, "ftbp any 1984 text/plain\n", "ftbp in 1984");
	expect_bad(CTYPES_X2M, "ia5 1988 text/*\n", "wildcard");
	expect_bad(CTYPES_X2M, "ia5 1988 text/plain junk\n", "junk after");
	expect_bad(CTYPES_X2M, "ia5 1988 text/plain; charset=\"x\"\n",
	    "no MIME token");
	expect_bad(CTYPES_X2M, "ia5 1988 text/plain; a=1; b=2; c=3; d=4; "
	    "e=5\n", "more than 4 MIME parameters");
	expect_bad(CTYPES_X2M, "bp14 1988 a/b\nbp14 1988 c/d\n", "tbl:2: the "
	    "same body part and mode as line 1");

	/* bounds: line length, entry count */
	memset(longl, 'a', sizeof(longl));
	memcpy(longl, "text/", 5);
	memcpy(longl + 600, " 1988 bp14\n", 12);
	expect_bad(CTYPES_M2X, longl, "line longer than 512 octets");
	{
		struct ctypes	 ct;
		char		 err[300], *big;
		size_t		 i, n = 0;

		big = malloc(1001 * 40);
		for (i = 0; big != NULL && i < 1001; i++)
			n += (size_t)sprintf(big + n, "a/x%zu 1988 bp14\n", i);
		ctypes_init(&ct);
		CHECK(big != NULL && ctypes_load_text(&ct, CTYPES_M2X, "big",
		    big, n, err, sizeof(err)) == CTYPES_ESYNTAX &&
		    strstr(err, "big:1001: more than 1000 entries") != NULL);
		CHECK_EQ_INT(ct.nm2x, 1000);
		ctypes_free(&ct);
		free(big);
	}
}

static void
write_file(const char *path, const char *s)
{
	FILE	*f = fopen(path, "w");

	CHECK(f != NULL);
	if (f != NULL) {
		fputs(s, f);
		fclose(f);
	}
}

static void
t_load_dir(void)
{
	struct ctypes	 ct;
	char		 dir[4096], path[4200], err[512];
	FILE		*f;
	int		 i;

	/* missing files: the built-in tables */
	snprintf(dir, sizeof(dir), "%s/ct", test_dir());
	mkdir(dir, 0755);
	ctypes_init(&ct);
	CHECK_EQ_INT(ctypes_load_dir(&ct, dir, err, sizeof(err)), CTYPES_OK);
	CHECK_EQ_INT(ct.nm2x, 14);
	CHECK_EQ_INT(ct.nx2m, 7);
	ctypes_free(&ct);

	/* one file given: it replaces its built-in table only */
	snprintf(path, sizeof(path), "%s/mime-to-x400", dir);
	write_file(path, "*/* 1988 bp14\n");
	CHECK_EQ_INT(ctypes_load_dir(&ct, dir, err, sizeof(err)), CTYPES_OK);
	CHECK_EQ_INT(ct.nm2x, 1);
	CHECK_EQ_INT(ct.nx2m, 7);
	ctypes_free(&ct);

	/* a bad line: FILE:LINE */
	snprintf(path, sizeof(path), "%s/x400-to-mime", dir);
	write_file(path, "# x\nia5 1988 text/plain\nlatin1 1984 text/plain\n");
	CHECK_EQ_INT(ctypes_load_dir(&ct, dir, err, sizeof(err)),
	    CTYPES_ESYNTAX);
	snprintf(path, sizeof(path), "%s/x400-to-mime:3: latin1 in 1984 mode",
	    dir);
	CHECK(strstr(err, path) != NULL);
	ctypes_free(&ct);

	/* a file above CTYPES_FILE_MAX, and a directory in its place */
	snprintf(path, sizeof(path), "%s/x400-to-mime", dir);
	if ((f = fopen(path, "w")) != NULL) {
		for (i = 0; i < CTYPES_FILE_MAX / 10 + 1; i++)
			fputs("#########\n", f);
		fclose(f);
	}
	CHECK_EQ_INT(ctypes_load_dir(&ct, dir, err, sizeof(err)), CTYPES_EIO);
	ctypes_free(&ct);
	remove(path);
	mkdir(path, 0755);
	CHECK_EQ_INT(ctypes_load_dir(&ct, dir, err, sizeof(err)), CTYPES_EIO);
	CHECK(strstr(err, "not a regular file") != NULL);
	ctypes_free(&ct);
}

/* The rule of ctypes.h, written out: 1 when the octet keeps text. */
static int
is_text(int ch)
{
	return !((ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n' &&
	    ch != '\f') || ch == 0x7f);
}

static void
t_scan(void)
{
	unsigned char	 run[9000];
	int		 ch, text, ascii, bad = 0;
	size_t		 at, n;

	for (ch = 0; ch < 256; ch++) {
		unsigned char o = (unsigned char)ch;

		text = ascii = 1;
		ctypes_scan(&o, 1, &text, &ascii);
		if (text != is_text(ch) || ascii != (is_text(ch) && ch < 0x80))
			bad++;
	}
	CHECK_EQ_INT(bad, 0);
	/* each octet in each lane of the 16-octet steps and in the tail
	 * (scanned as the last 16 again), for every length up to 48 */
	memset(run, 'a', 48);
	for (n = 1; n <= 48; n++)
		for (ch = 0; ch < 256; ch++)
			for (at = 0; at < n; at++) {
				run[at] = (unsigned char)ch;
				text = ascii = 1;
				ctypes_scan(run, n, &text, &ascii);
				if (text != is_text(ch) ||
				    ascii != (is_text(ch) && ch < 0x80))
					bad++;
				run[at] = 'a';
			}
	CHECK_EQ_INT(bad, 0);
	/* a control octet at either end of the 4096-octet steps, or past */
	memset(run, 'a', sizeof(run));
	for (at = 0; at < sizeof(run); at += 1021) {
		run[at] = 0x01;
		text = ascii = 1;
		ctypes_scan(run, sizeof(run), &text, &ascii);
		CHECK(!text && !ascii);
		run[at] = 0xe4;			/* latin1 a-umlaut */
		text = ascii = 1;
		ctypes_scan(run, sizeof(run), &text, &ascii);
		CHECK(text && !ascii);
		run[at] = 'a';
	}
	text = ascii = 1;
	ctypes_scan(run, sizeof(run), &text, &ascii);
	CHECK(text && ascii);
	/* chunk by chunk: a flag once cleared stays cleared */
	ctypes_scan("\xe4", 1, &text, &ascii);
	ctypes_scan("plain", 5, &text, &ascii);
	CHECK(text && !ascii);
	ctypes_scan("\x7f", 1, &text, &ascii);
	ctypes_scan("plain", 5, &text, &ascii);
	CHECK(!text && !ascii);
	text = ascii = 1;
	ctypes_scan("", 0, &text, &ascii);
	CHECK(text && ascii);
}

int
main(void)
{
	TEST(t_scan);
	TEST(t_builtin_is_shipped);
	TEST(t_seed_rules);
	TEST(t_x2m_rules);
	TEST(t_good_lines);
	TEST(t_precedence);
	TEST(t_bad_lines);
	TEST(t_load_dir);
	return test_done();
}
