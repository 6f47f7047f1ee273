/*
 * T.61 conversion against the code table of ITU-T T.61 / ISO 6937
 * (supplementary set: 0xC1-0xCF non-spacing diacritics; 0xFB sharp s).
 */
#include <string.h>

#include "test.h"
#include "x400/t61.h"

static void
t_known_bytes(void)
{
	static const struct { const char *utf8, *t61hex; } v[] = {
		{ "Rechnung", "52 65 63 68 6e 75 6e 67" },
		{ "f\xc3\xbcr", "66 c8 75 72" },		/* für */
		{ "Stra\xc3\x9f" "e", "53 74 72 61 fb 65" },	/* Straße */
		{ "\xc3\xa9t\xc3\xa9", "c2 65 74 c2 65" },	/* été */
		{ "\xc3\x85" "se", "ca 41 73 65" },		/* Åse */
		{ "\xc3\x87" "a", "cb 43 61" },			/* Ça */
		{ "\xc3\xb8l", "f9 6c" },			/* øl */
		{ "\xc2\xa3" "5", "a3 35" },			/* £5 */
		{ "$1 #2", "a4 31 20 a6 32" },
	};
	struct buf	 b;
	uint8_t		 want[64];
	size_t		 i, n;
	int		 lossy;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf_init(&b);
		CHECK_EQ_INT(t61_from_utf8(v[i].utf8, -1, &b, &lossy), 0);
		CHECK(!lossy);
		CHECK(test_hex(v[i].t61hex, want, sizeof(want), &n) == 0);
		CHECK_EQ_MEM(b.p, b.len, want, n);
		buf_reset(&b);
		CHECK_EQ_INT(t61_to_utf8(want, n, &b), 0);
		CHECK_EQ_STR(buf_cstr(&b), v[i].utf8);
		buf_free(&b);
	}
}

/* Every Latin-1 letter goes there and back. */
static void
t_latin1_round_trip(void)
{
	struct buf	 a, b;
	char		 s[3];
	unsigned	 cp;
	int		 lossy;

	for (cp = 0xc0; cp <= 0xff; cp++) {
		s[0] = (char)(0xc0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3f));
		s[2] = '\0';
		buf_init(&a);
		buf_init(&b);
		CHECK_EQ_INT(t61_from_utf8(s, -1, &a, &lossy), 0);
		CHECK(!lossy);
		CHECK_EQ_INT(t61_to_utf8(a.p, a.len, &b), 0);
		if (strcmp(buf_cstr(&b), s) != 0)
			test_fail(__FILE__, __LINE__, "U+%04X does not round "
			    "trip", cp);
		buf_free(&a);
		buf_free(&b);
	}
}

static void
t_lossy(void)
{
	struct buf	 b;
	int		 lossy;

	buf_init(&b);
	/* Euro sign and a CJK character: not in T.61; newline: a space */
	CHECK_EQ_INT(t61_from_utf8("\xe2\x82\xac x\n\xe4\xb8\xad", -1, &b,
	    &lossy), 0);
	CHECK(lossy);
	CHECK_EQ_STR(buf_cstr(&b), "? x ?");
	buf_reset(&b);
	CHECK_EQ_INT(t61_to_utf8("\x80\xc8", 2, &b), 0);	/* undefined */
	CHECK_EQ_STR(buf_cstr(&b), "\xef\xbf\xbd\xef\xbf\xbd");
	buf_free(&b);
}

static void
t_fit(void)
{
	/* "ab" + u-umlaut (C8 75): cut at 3 keeps no lone diacritic */
	static const uint8_t s[] = { 'a', 'b', 0xc8, 'u' };

	CHECK_EQ_INT(t61_fit(s, 4, 10), 4);
	CHECK_EQ_INT(t61_fit(s, 4, 4), 4);
	CHECK_EQ_INT(t61_fit(s, 4, 3), 2);
	CHECK_EQ_INT(t61_fit(s, 4, 2), 2);
	CHECK_EQ_INT(t61_fit(s, 4, 0), 0);
}

int
main(void)
{
	TEST(t_fit);
	TEST(t_known_bytes);
	TEST(t_latin1_round_trip);
	TEST(t_lossy);
	return test_done();
}
