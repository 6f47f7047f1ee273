#include <stdio.h>
#include <string.h>

#include "gw/edipart.h"
#include "test.h"

static int
load_text(const char *text, struct edipart_table *t, char *err, size_t n)
{
	char	 path[4200];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/edi-partners", test_dir());
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return edipart_load(t, path, err, n);
}

static void
t_lookup(void)
{
	struct edipart_table t;
	const struct orname *or;
	char	 err[512];

	CHECK_EQ_INT(load_text("# trading partners\n"
	    "4012345000009  /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/\n"
	    "\n"
	    "4012345000009:14 /S=ORDERS/O=ACME/P=ACME/A=DBP/C=DE/  # by GLN\n"
	    "SUPPLIER\t/O=SUPPLIER/P=OFTP/A=VIAT/C=DE/\n", &t, err,
	    sizeof(err)), 0);
	CHECK_EQ_INT(t.n, 3);
	or = edipart_lookup(&t, "4012345000009", "14");
	CHECK(or != NULL && strcmp(orname_get(or, OR_S), "ORDERS") == 0);
	or = edipart_lookup(&t, "4012345000009", "ZZ");
	CHECK(or != NULL && strcmp(orname_get(or, OR_S), "EDI") == 0);
	or = edipart_lookup(&t, "4012345000009", NULL);
	CHECK(or != NULL && strcmp(orname_get(or, OR_S), "EDI") == 0);
	or = edipart_lookup(&t, "SUPPLIER", "ZZZ");
	CHECK(or != NULL && strcmp(orname_get(or, OR_O), "SUPPLIER") == 0);
	CHECK(edipart_lookup(&t, "supplier", NULL) == NULL);	/* exact */
	CHECK(edipart_lookup(&t, "NOBODY", NULL) == NULL);
	edipart_free(&t);
}

static void
t_errors(void)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "A /O=X/C=DE/\nLONELY\n", ":2: no O/R address" },
		{ "A:TOOLONG /O=X/C=DE/\n", ":1: bad qualifier" },
		{ "A+B /O=X/C=DE/\n", ":1: bad interchange ID" },
		{ "012345678901234567890123456789012345 /O=X/C=DE/\n",
		    ":1: bad interchange ID" },
		{ "A /O=X/ZZ=1/C=DE/\n", ":1: O/R address" },
		{ "A /O=X/C=DE/\nA /O=Y/C=DE/\n", ":2: A given twice" },
	};
	struct edipart_table t;
	char	 err[512];
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ_INT(load_text(bad[i].text, &t, err, sizeof(err)), -1);
		if (strstr(err, bad[i].want) == NULL)
			test_fail(__FILE__, __LINE__, "case %zu: '%s' lacks "
			    "'%s'", i, err, bad[i].want);
		CHECK(t.v == NULL && t.n == 0);
	}
	CHECK_EQ_INT(edipart_load(&t, "/nonexistent/edi", err, sizeof(err)),
	    -1);
	CHECK(strstr(err, "/nonexistent/edi: ") != NULL);
}

/* The sample shipped in etc/ loads (tests run from the source tree). */
static void
t_sample(void)
{
	struct edipart_table t;
	char	 err[512];

	CHECK_EQ_INT(edipart_load(&t, "etc/mapping/edi-partners", err,
	    sizeof(err)), 0);
	CHECK_EQ_INT(t.n, 2);
	CHECK(edipart_lookup(&t, "SUPPLIER", NULL) != NULL);
	CHECK_EQ_STR(orname_dda(edipart_lookup(&t, "SUPPLIER", NULL),
	    "ODETTEID"), "O0013SUPPLIER");
	edipart_free(&t);
}

int
main(void)
{
	TEST(t_sample);
	TEST(t_lookup);
	TEST(t_errors);
	return test_done();
}
