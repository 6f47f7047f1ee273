/*
 * NAME
 *	t_handin - the fields an OFTP daemon hands over (oftp/handin):
 *	names in three spellings, JSON members, OFTP_* variables, errors
 *	that name the field
 */
#include <stdio.h>
#include <string.h>

#include "oftp/handin.h"
#include "test.h"

#define P	path, sizeof(path)
#define E	err, sizeof(err)

static void
t_names(void)
{
	struct sfid s;
	char	 path[HANDIN_PATH_MAX] = "", err[512];

	sfid_init(&s);
	/* the .sfid key, the JSON member and the variable: one field */
	CHECK_EQ_INT(handin_set(&s, "dsn", "A1", P, E), SFID_OK);
	CHECK_EQ_STR(s.dsn, "A1");
	CHECK_EQ_INT(handin_set(&s, "virtualFileName", "B2", P, E), SFID_OK);
	CHECK_EQ_STR(s.dsn, "B2");
	CHECK_EQ_INT(handin_set(&s, "OFTP_VIRTUAL_FILE_NAME", "C3", P, E),
	    SFID_OK);
	CHECK_EQ_STR(s.dsn, "C3");
	CHECK_EQ_INT(handin_set(&s, "OFTP_MAXIMUM_RECORD_SIZE", "80", P, E),
	    SFID_OK);
	CHECK_EQ_INT(s.lrecl, 80);
	CHECK_EQ_INT(handin_set(&s, "filePath", "/in/x", P, E), SFID_OK);
	CHECK_EQ_STR(path, "/in/x");
	/* the .sfid's rules, the error names the field as it was given */
	CHECK_EQ_INT(handin_set(&s, "OFTP_FILE_DATE", "2026-12-07", P, E),
	    SFID_EFIELD);
	CHECK(strncmp(err, "OFTP_FILE_DATE: date:", 21) == 0);
	CHECK_EQ_INT(handin_set(&s, "lrecl", "x", P, E), SFID_EFIELD);
	CHECK(strncmp(err, "lrecl:", 6) == 0);
	CHECK_EQ_INT(handin_set(&s, "colour", "red", P, E), SFID_EKEY);
	CHECK(strstr(err, "colour") != NULL);
	CHECK_EQ_INT(handin_set(&s, "path", "", P, E), SFID_ELIMIT);
}

static void
t_json(void)
{
	static const char ok[] = "{\"virtualFileName\":\"INVOIC\","
	    "\"fileDate\":\"20261207\",\"fileTime\":\"1011120001\","
	    "\"originator\":\"O0013RITA\",\"destination\":\"O0013GW\","
	    "\"fileFormat\":\"F\",\"maximumRecordSize\":128,"
	    "\"signedEerpRequest\":false,\"filePath\":\"/var/oftp/x\","
	    "\"status\":\"received\",\"partner\":{\"name\":\"rita\"}}";
	struct sfid s;
	char	 path[HANDIN_PATH_MAX] = "", err[512];

	sfid_init(&s);
	CHECK_EQ_INT(handin_json(&s, ok, strlen(ok), P, E), SFID_OK);
	CHECK_EQ_STR(s.dsn, "INVOIC");
	CHECK_EQ_STR(s.time, "1011120001");
	CHECK_EQ_INT(s.format, 'F');
	CHECK_EQ_INT(s.lrecl, 128);
	CHECK_EQ_INT(s.sign, 'N');
	CHECK_EQ_STR(path, "/var/oftp/x");
	CHECK_EQ_INT(sfid_validate(&s, E), SFID_OK);
	/* malformed or hostile objects: an error that says where */
	CHECK_EQ_INT(handin_json(&s, "{\"fileDate\":", 12, P, E),
	    SFID_ESYNTAX);
	CHECK(strncmp(err, "JSON: line 1", 12) == 0);
	CHECK_EQ_INT(handin_json(&s, "[1]", 3, P, E), SFID_ESYNTAX);
	CHECK_EQ_INT(handin_json(&s, "{\"fileDate\":\"20261207\","
	    "\"fileDate\":\"20261208\"}", 45, P, E), SFID_ESYNTAX);
	CHECK_EQ_INT(handin_json(&s, "{\"originator\":5}", 16, P, E),
	    SFID_EFIELD);
	CHECK(strstr(err, "originator") != NULL);
	CHECK_EQ_INT(handin_json(&s, "{\"maximumRecordSize\":-1}", 24, P,
	    E), SFID_EFIELD);
	/* a NUL in a string: jansson refuses it (no JSON_ALLOW_NUL) */
	CHECK_EQ_INT(handin_json(&s, "{\"userData\":\"A\\u0000B\"}", 23, P,
	    E), SFID_ESYNTAX);
	CHECK_EQ_INT(handin_json(&s, ok, HANDIN_JSON_MAX + 1, P, E),
	    SFID_ELIMIT);
}

static void
t_env(void)
{
	char	*env[] = { "PATH=/bin", "OFTP_VIRTUAL_FILE_NAME=INVOIC",
	    "OFTP_FILE_DATE=20261207", "OFTP_STATUS=ok", "OFTP_USER_DATA=U1",
	    "OFTP_FILE_PATH=/in/y", "OFTP_=x", NULL };
	char	*bad[] = { "OFTP_FILE_TIME=2500000001", NULL };
	struct sfid s;
	char	 path[HANDIN_PATH_MAX] = "", err[512];

	sfid_init(&s);
	CHECK_EQ_INT(handin_env(&s, env, P, E), SFID_OK);
	CHECK_EQ_STR(s.dsn, "INVOIC");
	CHECK_EQ_STR(s.date, "20261207");
	CHECK_EQ_STR(s.user, "U1");
	CHECK_EQ_STR(path, "/in/y");
	CHECK_EQ_INT(handin_env(&s, bad, P, E), SFID_OK);	/* set ... */
	CHECK_EQ_INT(sfid_validate(&s, E), SFID_EFIELD);	/* ... bad */
	CHECK(strncmp(err, "time:", 5) == 0);
}

int
main(void)
{
	TEST(t_names);
	TEST(t_json);
	TEST(t_env);
	return test_done();
}
