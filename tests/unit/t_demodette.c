/*
 * NAME
 *	t_demodette - DEModette's file names and XML sidecars
 *	(oftp/demodette): the forms its DirectoryFileService writes, and
 *	malformed or hostile sidecars (entities, DOCTYPE, encodings, sizes)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oftp/demodette.h"
#include "test.h"

static void
t_names(void)
{
	struct dmo_name n;
	char	 err[256], name[128];

	CHECK_EQ_INT(dmo_name_parse("O0013RITA#INVOIC.2#202612071011120001."
	    "recv", &n, err, sizeof(err)), 0);
	CHECK_EQ_STR(n.id, "O0013RITA");
	CHECK_EQ_STR(n.vfn, "INVOIC.2");
	CHECK_EQ_STR(n.date, "20261207");
	CHECK_EQ_STR(n.time, "1011120001");
	CHECK_EQ_STR(n.state, "recv");
	CHECK_EQ_INT(dmo_name_make(n.id, n.vfn, n.date, n.time, "se2e", name,
	    sizeof(name)), 0);
	CHECK_EQ_STR(name, "O0013RITA#INVOIC.2#202612071011120001.se2e");
	/* what is no DEModette name, each refused with the reason */
	CHECK_EQ_INT(dmo_name_parse("INVOIC.recv", &n, err, sizeof(err)), -1);
	CHECK_EQ_INT(dmo_name_parse("o0013rita#A#202612071011120001.recv", &n,
	    err, sizeof(err)), -1);			/* lower case ID */
	CHECK(strstr(err, "ID") != NULL);
	CHECK_EQ_INT(dmo_name_parse("O1#A#2026120710111200.recv", &n, err,
	    sizeof(err)), -1);				/* 16 digits */
	CHECK_EQ_INT(dmo_name_parse("O1#A#202613071011120001.recv", &n, err,
	    sizeof(err)), -1);				/* month 13 */
	CHECK(strstr(err, "date") != NULL);
	CHECK_EQ_INT(dmo_name_parse("O1#A#202612071011120001", &n, err,
	    sizeof(err)), -1);				/* no state */
	CHECK_EQ_INT(dmo_name_parse("O1#ABCDEFGHIJKLMNOPQRSTUVWXYZ0#"
	    "202612071011120001.recv", &n, err, sizeof(err)), -1); /* 27 */
}

#define PARSE(x, s)	dmo_xml_parse((x), (s), strlen(s), err, sizeof(err))

static void
t_xml(void)
{
	static const char doc[] = "<?xml version=\"1.0\" encoding=\"utf-8\" "
	    "standalone=\"yes\"?>\n<oftp><description format=\"Variable\" "
	    "maximumRecordSize=\"80\" fileSize=\"3\" fileSizeUnpacked=\"5\">"
	    "Lieferschein M\xc3\xa4rz &amp; mehr</description><send "
	    "reasonCode=\"0\" reasonText=\"\"/><commit reasonCode=\"12\" "
	    "reasonText=\"unknown &lt;user&gt;\" userData=\"U1\"/><records>"
	    "<r o=\"0\" l=\"10\"/><r o=\"10\" l=\"80\"/></records><x-own/>"
	    "<oxgate dest=\"O0013BETA\"/>"
	    "</oftp>";
	struct dmo_xml x, y;
	struct buf b;
	char	 err[256];

	dmo_xml_init(&x);
	CHECK_EQ_INT(PARSE(&x, doc), 0);
	CHECK_EQ_INT(x.format, 'V');
	CHECK_EQ_INT(x.lrecl, 80);
	CHECK_EQ_INT(x.fsize, 3);
	CHECK_EQ_INT(x.fsize_unpacked, 5);
	CHECK_EQ_STR(x.desc, "Lieferschein M\xc3\xa4rz & mehr");
	CHECK_EQ_INT(x.has_commit, 1);
	CHECK_EQ_INT(x.reason, 12);
	CHECK_EQ_STR(x.reason_text, "unknown <user>");
	CHECK_EQ_STR(x.user, "U1");
	CHECK_EQ_INT(x.nrec, 2);
	CHECK_EQ_INT(x.rec[1].off, 10);
	CHECK_EQ_INT(x.rec[1].len, 80);
	/* what we write reads back the same */
	buf_init(&b);
	CHECK_EQ_INT(dmo_xml_build(&x, &b), 0);
	dmo_xml_init(&y);
	CHECK_EQ_INT(dmo_xml_parse(&y, (const char *)b.p, b.len, err,
	    sizeof(err)), 0);
	CHECK_EQ_STR(y.desc, x.desc);
	CHECK_EQ_STR(y.reason_text, x.reason_text);
	CHECK_EQ_INT(y.format, 'V');
	CHECK_EQ_INT(y.nrec, 2);
	CHECK_EQ_STR(y.dest, "O0013BETA");
	dmo_xml_free(&y);
	dmo_xml_free(&x);
	buf_free(&b);
	/* the one-letter form DEModette also reads; defaults */
	dmo_xml_init(&x);
	CHECK_EQ_INT(PARSE(&x, "<oftp><description format=\"t\"/></oftp>"), 0);
	CHECK_EQ_INT(x.format, 'T');
	CHECK_EQ_INT(x.fsize, -1);
	CHECK_EQ_INT(x.has_commit, 0);
	dmo_xml_free(&x);
}

static void
t_hostile(void)
{
	static const char *const bad[] = {
	    /* billion laughs: refused at the declaration, nothing expanded */
	    "<?xml version=\"1.0\"?><!DOCTYPE oftp [<!ENTITY a \"aaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;\">]><oftp><description>&b;"
	    "</description></oftp>",
	    /* an external entity */
	    "<!DOCTYPE oftp [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    "<oftp><description>&x;</description></oftp>",
	    "<!DOCTYPE oftp SYSTEM \"http://example.invalid/oftp.dtd\"><oftp/>",
	    /* an encoding expat does not have */
	    "<?xml version=\"1.0\" encoding=\"ebcdic-cp-de\"?><oftp/>",
	    "<oftp><description>unclosed</oftp>",
	    "<files/>",
	    "<oftp><description format=\"Binary\"/></oftp>",
	    "<oftp><description maximumRecordSize=\"100000\"/></oftp>",
	    "<oftp><description fileSize=\"-1\"/></oftp>",
	    "<oftp><commit reasonCode=\"100\"/></oftp>",
	    "<oftp><commit userData=\"123456789\"/></oftp>",
	    "<oftp><oxgate dest=\"not an id\"/></oftp>",
	    "<oftp><records><r o=\"1\"/></records></oftp>",
	    "<oftp><records><r o=\"99999999999999999999\" l=\"1\"/></records>"
	    "</oftp>",
	    "",
	};
	struct dmo_xml x;
	char	 err[256], *big;
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dmo_xml_init(&x);
		err[0] = '\0';
		if (PARSE(&x, bad[i]) != -1 || err[0] == '\0')
			test_fail(__FILE__, __LINE__, "accepted: %s", bad[i]);
		dmo_xml_free(&x);
	}
	/* a description above 999 octets */
	big = malloc(2000);
	memcpy(big, "<oftp><description>", 19);
	memset(big + 19, 'a', 1000);
	strcpy(big + 1019, "</description></oftp>");
	dmo_xml_init(&x);
	CHECK_EQ_INT(PARSE(&x, big), -1);
	CHECK(strstr(err, "description") != NULL);
	dmo_xml_free(&x);
	free(big);
	/* UTF-16 with its byte order mark: expat reads it */
	dmo_xml_init(&x);
	CHECK_EQ_INT(dmo_xml_parse(&x, "\xff\xfe<\0o\0f\0t\0p\0/\0>\0", 16,
	    err, sizeof(err)), 0);
	dmo_xml_free(&x);
}

int
main(void)
{
	TEST(t_names);
	TEST(t_xml);
	TEST(t_hostile);
	return test_done();
}
