/* gw/webauth: oxweb's users file, passwords, sessions, login throttle. */
#include <sys/stat.h>

#include <stdio.h>
#include <string.h>

#include "gw/webauth.h"
#include "test.h"

static const char *
path(const char *name)
{
	static char p[4096];

	snprintf(p, sizeof(p), "%s/%s", test_dir(), name);
	return p;
}

static int
load_text(const char *text, struct web_users *us, char *err, size_t n)
{
	FILE	*fp = fopen(path("u"), "w");

	fputs(text, fp);
	fclose(fp);
	chmod(path("u"), 0640);
	return webauth_load(path("u"), us, err, n);
}

static void
t_add_check(void)
{
	struct web_users us;
	const struct web_user *u;
	char	 err[512];

	CHECK_EQ_INT(webauth_add(path("users"), "alice", WEB_OPERATOR, NULL,
	    "s3cret", err, sizeof(err)), 0);
	CHECK_EQ_INT(webauth_add(path("users"), "desk", WEB_VIEWER,
	    "acme,werk2", "pw", err, sizeof(err)), 0);
	/* again: replaced, not added twice */
	CHECK_EQ_INT(webauth_add(path("users"), "alice", WEB_VIEWER, NULL,
	    "n3w", err, sizeof(err)), 0);
	CHECK_EQ_INT(webauth_load(path("users"), &us, err, sizeof(err)), 0);
	CHECK_EQ_INT(us.n, 2);
	CHECK(webauth_check(&us, "alice", "s3cret") == NULL);
	CHECK((u = webauth_check(&us, "alice", "n3w")) != NULL);
	CHECK(u != NULL && u->role == WEB_VIEWER);
	CHECK(u != NULL && strncmp(u->hash, "$y$", 3) == 0);	/* yescrypt */
	CHECK(webauth_check(&us, "nobody", "n3w") == NULL);
	CHECK(webauth_check(&us, "alice", "") == NULL);
	CHECK((u = webauth_check(&us, "desk", "pw")) != NULL);
	CHECK(u != NULL && u->npartners == 2 && webauth_sees(u, "werk2") &&
	    !webauth_sees(u, "other") && !webauth_sees(u, ""));
	webauth_free(&us);
	CHECK_EQ_INT(webauth_add(path("users"), "a:b", WEB_VIEWER, NULL, "x",
	    err, sizeof(err)), -1);
	CHECK_EQ_INT(webauth_add(path("users"), "c", WEB_VIEWER, "a:b", "x",
	    err, sizeof(err)), -1);
	CHECK_EQ_INT(webauth_add(path("users"), "c", WEB_VIEWER, NULL, "",
	    err, sizeof(err)), -1);
}

/* Malformed lines are refused with the file and line. */
static void
t_malformed(void)
{
	static const char *const bad[] = {
		"alice:operator::\n",			/* no hash */
		"alice:admin::$y$x\n",			/* role */
		"alice:operator\n",			/* fields */
		":operator::$y$x\n",			/* empty name */
		"al ice:operator::$y$x\n",		/* name */
		"alice:viewer:a b:$y$x\n",		/* partner */
		"alice:viewer::$y$x\nalice:viewer::$y$y\n",	/* twice */
		"alice:viewer::plain\n",		/* not a crypt hash */
	};
	struct web_users us;
	char	 err[512];
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK_EQ_INT(load_text(bad[i], &us, err, sizeof(err)), -1);
		CHECK(strstr(err, "/u:") != NULL);
	}
	CHECK_EQ_INT(load_text("# comment\n\nbob:viewer::$6$salt$hash\n", &us,
	    err, sizeof(err)), 0);
	CHECK_EQ_INT(us.n, 1);
	webauth_free(&us);
	chmod(path("u"), 0666);
	CHECK_EQ_INT(webauth_load(path("u"), &us, err, sizeof(err)), -1);
	CHECK(strstr(err, "writable by others") != NULL);
}

static void
t_sessions(void)
{
	static struct web_sessions ss;
	struct web_user u = { .name = "alice" };
	struct web_session *s, *s2;
	char	 id[WEBSESS_ID_LEN + 1];

	CHECK((s = websess_new(&ss, &u, 1000)) != NULL);
	CHECK_EQ_INT(strlen(s->id), 64);
	CHECK(strcmp(s->id, s->csrf) != 0);
	snprintf(id, sizeof(id), "%s", s->id);
	CHECK(websess_get(&ss, id, 1000 + WEBSESS_IDLE) == s);
	CHECK(websess_csrf_ok(s, s->csrf));
	CHECK(!websess_csrf_ok(s, NULL) && !websess_csrf_ok(s, "") &&
	    !websess_csrf_ok(s, s->id));
	CHECK((s2 = websess_new(&ss, &u, 1000)) != NULL && s2 != s &&
	    strcmp(s2->id, id) != 0);
	/* idle too long; too old; a prefix; unknown */
	CHECK(websess_get(&ss, id, 1001 + 2 * WEBSESS_IDLE) == NULL);
	CHECK((s = websess_new(&ss, &u, 5000)) != NULL);
	snprintf(id, sizeof(id), "%s", s->id);
	CHECK(websess_get(&ss, id, 5000 + WEBSESS_MAX + 1) == NULL);
	CHECK((s = websess_new(&ss, &u, 90000)) != NULL);
	snprintf(id, sizeof(id), "%s", s->id);
	id[63] = '\0';
	CHECK(websess_get(&ss, id, 90000) == NULL);
	CHECK(websess_get(&ss, NULL, 90000) == NULL);
	snprintf(id, sizeof(id), "%s", s->id);
	websess_end(s);
	CHECK(websess_get(&ss, id, 90000) == NULL);
}

static void
t_throttle(void)
{
	static struct web_throttle t;
	int	 i;

	for (i = 0; i < WEBAUTH_FAILS; i++) {
		CHECK(!webauth_throttled(&t, "192.0.2.1", 100));
		webauth_failed(&t, "192.0.2.1", 100);
	}
	CHECK(webauth_throttled(&t, "192.0.2.1", 100));
	CHECK(!webauth_throttled(&t, "192.0.2.2", 100));
	CHECK(webauth_throttled(&t, "192.0.2.1", 100 + WEBAUTH_WINDOW - 1));
	CHECK(!webauth_throttled(&t, "192.0.2.1", 100 + WEBAUTH_WINDOW));
	webauth_failed(&t, "192.0.2.2", 100);
	webauth_ok(&t, "192.0.2.2");
	CHECK(!webauth_throttled(&t, "192.0.2.2", 100));
}

int
main(void)
{
	TEST(t_add_check);
	TEST(t_malformed);
	TEST(t_sessions);
	TEST(t_throttle);
	return test_done();
}
