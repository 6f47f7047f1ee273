/*
 * NAME
 *	t_unb - the EDIFACT UNA/UNB parser (gw/unb)
 */
#include <stdio.h>
#include <string.h>

#include "gw/edipart.h"
#include "gw/unb.h"
#include "test.h"

static int
parse(const char *text, size_t n, struct unb *u, char *err, size_t errlen)
{
	struct cur c;

	cur_init(&c, text, n);
	err[0] = '\0';
	return unb_parse(&c, u, err, errlen);
}

#define PARSE(t, u, e)	parse((t), strlen(t), (u), (e), sizeof(e))

static void
t_plain(void)
{
	struct unb u;
	char	 err[256];
	time_t	 t;

	CHECK_EQ_INT(PARSE("\r\n UNB+UNOA:3+SENDER:14+RCPT:ZZ:ROUTE+"
	    "261122:1030+REF42++APP++1++1'UNZ+0+REF42'", &u, err), 0);
	CHECK_EQ_INT(u.has_una, 0);
	CHECK_EQ_STR(unb_syntax(&u), "UNOA");
	CHECK_EQ_STR(u.v[UNB_SYNTAX][1], "3");
	CHECK_EQ_STR(u.v[UNB_SENDER][0], "SENDER");
	CHECK_EQ_STR(u.v[UNB_SENDER][1], "14");
	CHECK_EQ_STR(u.v[UNB_RECIPIENT][2], "ROUTE");
	CHECK_EQ_STR(u.v[UNB_ICR][0], "REF42");
	CHECK_EQ_STR(u.v[UNB_APPREF][0], "APP");
	CHECK_EQ_STR(u.v[UNB_ACKREQ][0], "1");
	CHECK_EQ_STR(u.v[UNB_TEST][0], "1");
	CHECK_EQ_INT(unb_time(&u, &t), 0);
	CHECK_EQ_INT(t, 1795343400);	/* 2026-11-22T10:30Z */
	/* the defaults of ISO 9735 level A */
	CHECK_EQ_INT(u.ssa.element_sep, '+');
	CHECK_EQ_INT(u.ssa.segment_term, '\'');
}

static void
t_una(void)
{
	struct unb u;
	char	 err[256];

	/* other separators: component *, element |, release !, term ~ */
	CHECK_EQ_INT(PARSE("UNA*|,! ~\r\nUNB|UNOC*4|A!|B*14|R!~S|"
	    "20261122*0930|X!!Y~", &u, err), 0);
	CHECK_EQ_INT(u.has_una, 1);
	CHECK_EQ_INT(u.ssa.component_sep, '*');
	CHECK_EQ_INT(u.ssa.decimal, ',');
	CHECK_EQ_INT(u.ssa.has_release, 1);
	CHECK_EQ_INT(u.ssa.release, '!');
	CHECK_EQ_INT(u.ssa.has_reserved, 0);
	CHECK_EQ_STR(u.v[UNB_SENDER][0], "A|B");	/* released */
	CHECK_EQ_STR(u.v[UNB_RECIPIENT][0], "R~S");
	CHECK_EQ_STR(u.v[UNB_ICR][0], "X!Y");
	/* '+' is no separator here */
	CHECK_EQ_INT(PARSE("UNA*|,! ~UNB|UNOC*4|A+B~", &u, err), 0);
	CHECK_EQ_STR(u.v[UNB_SENDER][0], "A+B");
	/* a UNA whose element separator the UNB does not use */
	CHECK_EQ_INT(PARSE("UNA:*.? 'UNB+UNOA:3'", &u, err), -1);
	CHECK(strstr(err, "no UNB") != NULL);
	/* a UNA without release character: '?' is a plain character */
	CHECK_EQ_INT(PARSE("UNA:+.  'UNB+UNOB:3+A?+B'", &u, err), 0);
	CHECK_EQ_INT(u.ssa.has_release, 0);
	CHECK_EQ_STR(u.v[UNB_SENDER][0], "A?");
	CHECK_EQ_STR(u.v[UNB_RECIPIENT][0], "B");
	/* the default release character */
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+A?+B?'C?:D:?E'", &u, err), 0);
	CHECK_EQ_STR(u.v[UNB_SENDER][0], "A+B'C:D");
	CHECK_EQ_STR(u.v[UNB_SENDER][1], "E");
}

static void
t_syntax(void)
{
	static const struct {
		const char	*id;
		int		 bit7;
	} s[] = {
		{ "UNOA", 1 }, { "UNOB", 1 }, { "UNOC", 0 }, { "UNOD", 0 },
		{ "UNOE", 0 }, { "UNOF", 0 }, { "UNOW", 0 }, { "UNOX", 0 },
		{ "UNOY", 0 }, { "", 0 },
	};
	struct unb u;
	char	 text[128], err[256];
	size_t	 i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		snprintf(text, sizeof(text), "UNB+%s:4+S+R+20261122:1000+1'",
		    s[i].id);
		CHECK_EQ_INT(PARSE(text, &u, err), 0);
		CHECK_EQ_STR(unb_syntax(&u), s[i].id);
		if (unb_7bit(&u) != s[i].bit7)
			test_fail(__FILE__, __LINE__, "%s: 7-bit %d",
			    s[i].id, !s[i].bit7);
	}
}

static void
t_malformed(void)
{
	struct unb u;
	char	 err[256], big[UNB_HEAD_MAX + 64];
	size_t	 i;

	/* truncated: no segment terminator */
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+SENDER", &u, err), -1);
	CHECK(strstr(err, "no segment terminator") != NULL);
	CHECK(strstr(err, "element 2 component 1: no") != NULL);
	/* truncated inside the UNA, and in the middle of "UNB" */
	CHECK_EQ_INT(PARSE("UNA:+.", &u, err), -1);
	CHECK_EQ_INT(PARSE("UN", &u, err), -1);
	CHECK_EQ_INT(PARSE("", &u, err), -1);
	CHECK_EQ_INT(parse(NULL, 0, &u, err, sizeof(err)), -1);
	/* a release character as the last byte */
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+A?", &u, err), -1);
	/* missing separator after UNB, another segment first */
	CHECK_EQ_INT(PARSE("UNBUNOA:3'", &u, err), -1);
	CHECK(strstr(err, "offset 0") != NULL);
	CHECK_EQ_INT(PARSE("UNH+1+INVOIC'UNB+UNOA:3'", &u, err), -1);
	CHECK_EQ_INT(PARSE("Dear John, UNB+UNOA'", &u, err), -1);
	/* too many elements, too many components */
	CHECK_EQ_INT(PARSE("UNB+1+2+3+4+5+6+7+8+9+10+11+12'", &u, err), 0);
	CHECK_EQ_INT(PARSE("UNB+1+2+3+4+5+6+7+8+9+10+11+12+13'", &u, err),
	    -1);
	CHECK(strstr(err, "more than 12 elements") != NULL);
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+A:B:C:D:E'", &u, err), -1);
	CHECK(strstr(err, "element 2 has more than 4 components") != NULL);
	/* an overlong element: 39 characters fit, 40 do not */
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+123456789012345678901234567890"
	    "123456789'", &u, err), 0);
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+123456789012345678901234567890"
	    "1234567890'", &u, err), -1);
	CHECK(strstr(err, "element 2 component 1 is longer") != NULL);
	CHECK(strstr(err, "offset 50") != NULL);
	/* a terminator beyond what the caller read */
	memset(big, 'A', sizeof(big));
	memcpy(big, "UNB+", 4);
	for (i = 4; i < sizeof(big); i += 10)
		big[i] = '+';
	CHECK_EQ_INT(parse(big, sizeof(big), &u, err, sizeof(err)), -1);
	/* ANSI X12 */
	CHECK_EQ_INT(PARSE("ISA*00*          *00*          *ZZ*SENDER~", &u,
	    err), -1);
	CHECK(strstr(err, "X12") != NULL);
}

static void
t_start(void)
{
	struct unb u;
	struct cur c;

	cur_init(&c, "ISA*00*", 7);
	CHECK_EQ_INT(unb_start(&c, &u), EDIPART_X12);
	cur_init(&c, "ISA 00", 6);
	CHECK_EQ_INT(unb_start(&c, &u), EDIPART_NONE);
	cur_init(&c, "ISA", 3);
	CHECK_EQ_INT(unb_start(&c, &u), EDIPART_NONE);
	cur_init(&c, " \tUNA:+.? '\r\nUNB+X", 18);
	CHECK_EQ_INT(unb_start(&c, &u), EDIPART_EDIFACT);
	CHECK_EQ_INT(cur_offset(&c), 17);	/* after "UNB+" */
	CHECK_EQ_INT(edipart_detect((const uint8_t *)"UNA:+.? 'UNB+", 13),
	    EDIPART_EDIFACT);
}

static void
t_values(void)
{
	struct unb u;
	struct p35_party p;
	char	 err[256], f[8];
	int	 has = -1;
	time_t	 t;

	CHECK_EQ_INT(PARSE("UNB+UNOA:3+SENDER:ZZ+R+261122:2400+1'", &u,
	    err), 0);
	CHECK_EQ_INT(unb_get(&u, UNB_SENDER, 1, f, 2, &has), 0);
	CHECK_EQ_STR(f, "ZZ");
	CHECK_EQ_INT(has, 1);
	CHECK_EQ_INT(unb_get(&u, UNB_SENDER, 0, f, 5, &has), -1);
	CHECK_EQ_INT(unb_get(&u, UNB_SENDER, 2, f, 5, &has), 0);
	CHECK_EQ_INT(has, 0);
	CHECK_EQ_INT(unb_party(&u, UNB_SENDER, &p), 0);
	CHECK(p.present && p.has_qual && !p.has_route);
	CHECK_EQ_STR(p.id, "SENDER");
	CHECK_EQ_INT(unb_time(&u, &t), -1);		/* 24:00 */
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+S+R+2611A2:1000+1'", &u, err), 0);
	CHECK_EQ_INT(unb_time(&u, &t), -1);
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+S+R+691231:2359+1'", &u, err), 0);
	CHECK_EQ_INT(unb_time(&u, &t), 0);
	CHECK_EQ_INT(t, 3155759940LL);		/* YY 69 is 2069 */
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+S+R+700101:0000+1'", &u, err), 0);
	CHECK_EQ_INT(unb_time(&u, &t), 0);
	CHECK_EQ_INT(t, 0);
	/* ISO 9735 0017 date YYMMDD / CCYYMMDD: day 00, month 00 and a day the
	 * month does not have are no dates (were December of the year
	 * before and 3 March) */
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+S+R+261100:1000+1'", &u, err), 0);
	CHECK_EQ_INT(unb_time(&u, &t), -1);
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+S+R+260015:1000+1'", &u, err), 0);
	CHECK_EQ_INT(unb_time(&u, &t), -1);
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+S+R+20260231:1000+1'", &u, err), 0);
	CHECK_EQ_INT(unb_time(&u, &t), -1);
	CHECK_EQ_INT(PARSE("UNB+UNOA:3+S+R+20240229:1000+1'", &u, err), 0);
	CHECK_EQ_INT(unb_time(&u, &t), 0);		/* a leap day */
}

int
main(void)
{
	TEST(t_plain);
	TEST(t_una);
	TEST(t_syntax);
	TEST(t_malformed);
	TEST(t_start);
	TEST(t_values);
	return test_done();
}
