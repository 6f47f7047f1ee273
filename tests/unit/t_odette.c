/*
 * NAME
 *	t_odette - tests of the ODETTE ID rule and its X.400 address
 * DESCRIPTION
 *	Valid and invalid Identification Codes by the table of RFC 5024 5.4
 *	(SIOOID, SIOICD, SIOORG, SIOCSA) and the String rule of 5.3; the
 *	address of a station both ways; and the cases where the copies that
 *	this module replaced disagreed (the configuration's check against
 *	the mixer's, the converters' address against oxaddr's), each
 *	decided here as the standard, or the documented rule, says.
 */
#include <stdio.h>
#include <string.h>

#include "oftp/odette.h"
#include "util/buf.h"
#include "test.h"

static char err[ODETTE_ERR_MAX];

static int
check(const char *id)
{
	err[0] = '\0';
	return odette_check_id(id, err, sizeof(err));
}

static void
t_valid(void)
{
	static const char *const ok[] = {
		"O0177000000000X0LU000000",	/* the seed's station ID */
		"O0177000000000X0LU000001",
		"O0013ACME",			/* organisation code only */
		"O0013A",
		"O0013ACMEGMBH-DE0001",		/* hyphen in SIOORG */
		"O0013ACMEGMBHXXXXXX/(.)&",	/* SIOCSA: any String char */
		"O9999ABCDEFGHIJKLMNABCDEF",	/* 25: 1 + 4 + 14 + 6 */
	};
	size_t	 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_EQ_INT(check(ok[i]), ODETTE_OK);
		if (err[0] != '\0')
			printf("# %s: %s\n", ok[i], err);
	}
}

static void
t_invalid(void)
{
	static const struct {
		const char *id, *msg;
	} bad[] = {
	    { "", "empty" },
	    { "O9999ABCDEFGHIJKLMNABCDEFG", "26 characters, at most 25" },
	    { "o0013acme", "character 'o' not allowed (upper case only)" },
	    { " O0013ACME", "leading space" },
	    { "O0013AC ME", "embedded space" },
	    { "O0013ACME@", "character '@' not allowed" },
	    { "X0013ACME", "does not start with 'O'" },
	    { "O13AAA", "four-digit ICD" },
	    { "O00A3ACME", "four-digit ICD" },
	    { "O001", "four-digit ICD" },
	    { "O0013", "no organisation code after the ICD" },
	    { "O0013ACME/DE", "character '/' at offset 9 in the "
	      "organisation code" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ_INT(check(bad[i].id), ODETTE_EID);
		if (strstr(err, bad[i].msg) == NULL)
			test_fail(__FILE__, __LINE__, "'%s': \"%s\" lacks "
			    "\"%s\"", bad[i].id, err, bad[i].msg);
	}
	CHECK_EQ_INT(odette_check_id(NULL, err, sizeof(err)), ODETTE_EARG);
}

/*
 * Where the two validators disagreed, RFC 5024 5.4 decides:
 * - the mixer took any 1 to 25 of A-Z 0-9, so "ABC" and "O0177" were
 *   IDs for oxaddr; SIOOID is 'O' and SIOICD is 9(4) followed by the
 *   organisation code, as the configuration said: refused.
 * - the mixer refused a hyphen; SIOORG "may contain the letters A to Z,
 *   the digits 0 to 9, and space and hyphen": accepted.
 * - the configuration took any String(25) character after the ICD, so
 *   "O0013ACME.DE" was a station ID; '.' is none of SIOORG's
 *   characters: refused. At position 19 and after (SIOCSA, String(6))
 *   it is allowed.
 */
static void
t_disagreement(void)
{
	CHECK_EQ_INT(check("ABC"), ODETTE_EID);
	CHECK(strstr(err, "does not start with 'O'") != NULL);
	CHECK_EQ_INT(check("O0177"), ODETTE_EID);
	CHECK(strstr(err, "no organisation code") != NULL);
	CHECK_EQ_INT(check("O0013ACME-DE"), ODETTE_OK);
	CHECK_EQ_INT(check("O0013ACME.DE"), ODETTE_EID);
	CHECK(strstr(err, "character '.' at offset 9 in the organisation "
	    "code") != NULL);
	CHECK_EQ_INT(check("O0013ACMEGMBHXXXXXX.DE"), ODETTE_OK);
}

static void
print(const struct orname *or, const char *want)
{
	struct buf b;

	buf_init(&b);
	CHECK_EQ_INT(orname_print(or, &b), OR_OK);
	CHECK_EQ_STR(buf_cstr(&b), want);
	buf_free(&b);
}

static void
t_to_or(void)
{
	struct orname	 dom, or;

	orname_parse("/C=DE/A=VIAT/P=OFTP/", -1, &dom, NULL);
	CHECK_EQ_INT(odette_to_or(&dom, "O0177000000000X0LU000001", &or, err,
	    sizeof(err)), ODETTE_OK);
	print(&or, "/DD.ODETTEID=O0177000000000X0LU000001/PRMD=OFTP/"
	    "ADMD=VIAT/C=DE/");
	CHECK_EQ_STR(odette_or_id(&or), "O0177000000000X0LU000001");
	CHECK_EQ_INT(odette_to_or(&dom, "o0177", &or, err, sizeof(err)),
	    ODETTE_EID);
	CHECK(strstr(err, "character 'o' not allowed") != NULL);
	CHECK_EQ_INT(odette_to_or(&dom, "O01770000000000000000000000", &or,
	    err, sizeof(err)), ODETTE_EID);
	/* '&' is a String character but not PrintableString (X.411) */
	CHECK_EQ_INT(odette_to_or(&dom, "O0013ACMEGMBHXXXXXX&", &or, err,
	    sizeof(err)), ODETTE_ESIZE);
	CHECK(strstr(err, "PrintableString") != NULL);
}

static void
t_from_or(void)
{
	struct orname	 dom, or;
	char		 id[ODETTE_ID_LEN + 1];

	orname_parse("/C=DE/A=VIAT/P=OFTP/", -1, &dom, NULL);
	orname_parse("/DD.ODETTEID=O0177000000000X0LU000001/P=oftp/A=VIAT/"
	    "C=DE/", -1, &or, NULL);
	CHECK_EQ_INT(odette_from_or(&dom, &or, id, err, sizeof(err)),
	    ODETTE_OK);
	CHECK_EQ_STR(id, "O0177000000000X0LU000001");
	orname_parse("/DD.odetteid=O0013ACME/P=OFTP/A=VIAT/C=DE/", -1, &or,
	    NULL);
	CHECK_EQ_INT(odette_from_or(&dom, &or, id, err, sizeof(err)),
	    ODETTE_OK);
	CHECK_EQ_STR(id, "O0013ACME");
	orname_parse("/DD.ODETTEID=O0177ACME/P=OTHER/A=VIAT/C=DE/", -1, &or,
	    NULL);
	CHECK_EQ_INT(odette_from_or(&dom, &or, id, err, sizeof(err)),
	    ODETTE_ENOMAP);
	orname_parse("/DD.ODETTEID=O0177ACME/S=X/P=OFTP/A=VIAT/C=DE/", -1,
	    &or, NULL);
	CHECK_EQ_INT(odette_from_or(&dom, &or, id, err, sizeof(err)),
	    ODETTE_ENOMAP);
	orname_parse("/S=x/P=OFTP/A=VIAT/C=DE/", -1, &or, NULL);
	CHECK_EQ_INT(odette_from_or(&dom, &or, id, err, sizeof(err)),
	    ODETTE_ENOMAP);
	CHECK(strstr(err, "no DD.ODETTEID") != NULL);
	orname_parse("/DD.ODETTEID=ABC/P=OFTP/A=VIAT/C=DE/", -1, &or, NULL);
	CHECK_EQ_INT(odette_from_or(&dom, &or, id, err, sizeof(err)),
	    ODETTE_EID);
}

/*
 * The converters gave a station the country, ADMD and PRMD of the
 * domain (partners.ini(5) "local"); oxaddr gave it the whole --gateway
 * address. With an O in the domain they answered differently; the
 * documented rule (partners.ini(5)) decides: C, ADMD, PRMD only.
 */
static void
t_domain_parts(void)
{
	struct orname	 dom, or;
	char		 id[ODETTE_ID_LEN + 1];

	orname_parse("/O=GW/OU=X/C=DE/A=VIAT/P=OFTP/", -1, &dom, NULL);
	CHECK_EQ_INT(odette_to_or(&dom, "O0013ACME", &or, err, sizeof(err)),
	    ODETTE_OK);
	print(&or, "/DD.ODETTEID=O0013ACME/PRMD=OFTP/ADMD=VIAT/C=DE/");
	CHECK_EQ_INT(odette_from_or(&dom, &or, id, err, sizeof(err)),
	    ODETTE_OK);
	CHECK_EQ_STR(id, "O0013ACME");
}

static void
t_set_id(void)
{
	struct orname	 or;

	orname_parse("/DD.ODETTEID=O0013ACME/P=OFTP/A=VIAT/C=DE/", -1, &or,
	    NULL);
	CHECK_EQ_INT(odette_or_set_id(&or, "O0013ROUTED"), 0);
	print(&or, "/DD.ODETTEID=O0013ROUTED/PRMD=OFTP/ADMD=VIAT/C=DE/");
	orname_parse("/S=Station/P=OFTP/A=VIAT/C=DE/", -1, &or, NULL);
	CHECK(odette_or_id(&or) == NULL);
	CHECK_EQ_INT(odette_or_set_id(&or, "O0013ROUTED"), 0);
	CHECK_EQ_STR(odette_or_id(&or), "O0013ROUTED");
}

int
main(void)
{
	TEST(t_valid);
	TEST(t_invalid);
	TEST(t_disagreement);
	TEST(t_to_or);
	TEST(t_from_or);
	TEST(t_domain_parts);
	TEST(t_set_id);
	return test_done();
}
