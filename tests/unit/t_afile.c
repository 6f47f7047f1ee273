#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>

#include "test.h"
#include "util/afile.h"

static char q[4096];

static void
mkqueue(void)
{
	char	 t[4200];

	snprintf(q, sizeof(q), "%s/q", test_dir());
	snprintf(t, sizeof(t), "%s/tmp", q);
	CHECK(mkdir(q, 0700) == 0 && mkdir(t, 0700) == 0);
}

static int
count_entries(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
t_commit(void)
{
	char		 path[4300], tmp[4300];
	uint8_t		*p;
	size_t		 n;
	struct stat	 st;
	struct afile	 a;

	mkqueue();
	CHECK(afile_open(&a, q, "x.p1") == 0);
	snprintf(path, sizeof(path), "%s/x.p1", q);
	CHECK(access(path, F_OK) < 0);		/* not visible before commit */
	CHECK(afile_write(&a, "hello ", 6) == 0);
	CHECK(afile_write(&a, "world", 5) == 0);
	CHECK(afile_commit(&a) == 0);
	CHECK(test_read_file(path, &p, &n) == 0);
	CHECK_EQ_MEM(p, n, "hello world", 11);
	free(p);
	/* group-readable for the daemons, never world-readable */
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0137) == 0);
	CHECK((st.st_mode & 0600) == 0600);
	snprintf(tmp, sizeof(tmp), "%s/tmp", q);
	CHECK_EQ_INT(count_entries(tmp), 0);
	/* a redo overwrites */
	CHECK(afile_put(q, "x.p1", "again", 5) == 0);
	CHECK(test_read_file(path, &p, &n) == 0);
	CHECK_EQ_MEM(p, n, "again", 5);
	free(p);
	CHECK_EQ_INT(count_entries(q), 2);	/* tmp and x.p1 */
}

static void
t_abort(void)
{
	char		 tmp[4300];
	struct afile	 a;

	mkqueue();
	CHECK(afile_open(&a, q, "y") == 0);
	CHECK(afile_write(&a, "partial", 7) == 0);
	afile_abort(&a);
	snprintf(tmp, sizeof(tmp), "%s/tmp", q);
	CHECK_EQ_INT(count_entries(tmp), 0);
	CHECK_EQ_INT(count_entries(q), 1);
}

static void
t_bad_names(void)
{
	struct afile	 a;

	mkqueue();
	CHECK(afile_open(&a, q, "../evil") < 0 && errno == EINVAL);
	CHECK(afile_open(&a, q, ".hidden") < 0 && errno == EINVAL);
	CHECK(afile_open(&a, q, "") < 0);
	CHECK(afile_open(&a, "/nonexistent/queue", "x") < 0);
}

/* A write that fails half-way (file size limit, EFBIG) leaves nothing. */
static void
t_fail_halfway(void)
{
	char		 tmp[4300];
	static char	 big[256 * 1024];
	struct afile	 a;
	struct rlimit	 old, lim;
	int		 rc;

	mkqueue();
	signal(SIGXFSZ, SIG_IGN);
	CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
	lim = old;
	lim.rlim_cur = 100 * 1024;
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	CHECK(afile_open(&a, q, "z") == 0);
	rc = afile_write(&a, big, sizeof(big));
	CHECK(rc < 0 && errno == EFBIG);
	CHECK(afile_commit(&a) < 0);		/* already cleaned up */
	afile_abort(&a);
	CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
	snprintf(tmp, sizeof(tmp), "%s/tmp", q);
	CHECK_EQ_INT(count_entries(tmp), 0);
	CHECK_EQ_INT(count_entries(q), 1);
}

/*
 * A temporary name is NAME.RANDOM (16 hex digits), new for every open;
 * a queue that is a symbolic link is refused, never followed.
 */
static void
t_nofollow(void)
{
	char		 link[4300], name[NAME_MAX + 1], tmp[4300];
	struct afile	 a, b;
	size_t		 i;

	mkqueue();
	snprintf(tmp, sizeof(tmp), "%s/tmp", q);
	CHECK_EQ_INT(afile_open(&a, q, "w"), 0);
	CHECK_EQ_INT(afile_open(&b, q, "w"), 0);
	CHECK(strncmp(a.tmpname, "tmp/w.", 6) == 0);
	CHECK_EQ_INT(strlen(a.tmpname), 6 + 16);
	for (i = 6; i < strlen(a.tmpname); i++)
		CHECK(strchr("0123456789abcdef", a.tmpname[i]) != NULL);
	CHECK(strcmp(a.tmpname, b.tmpname) != 0);
	snprintf(name, sizeof(name), "%s", a.tmpname);
	CHECK(strcmp(name, b.tmpname) != 0);
	afile_abort(&a);
	afile_abort(&b);
	CHECK_EQ_INT(count_entries(tmp), 0);
	snprintf(link, sizeof(link), "%s/qlink", test_dir());
	CHECK(symlink(q, link) == 0);
	CHECK(afile_open(&a, link, "w") < 0 && (errno == ELOOP || errno == ENOTDIR));
}

/* Staged: durable in tmp/ under its name; published only by the rename. */
static void
t_stage(void)
{
	char		 path[4400], tmp[4300];
	struct afile	 a;

	mkqueue();
	snprintf(tmp, sizeof(tmp), "%s/tmp", q);
	CHECK_EQ_INT(afile_open(&a, q, "s"), 0);
	CHECK_EQ_INT(afile_write(&a, "data", 4), 0);
	CHECK_EQ_INT(afile_stage(&a), 0);
	CHECK_EQ_INT(count_entries(tmp), 1);
	CHECK_EQ_INT(count_entries(q), 1);		/* tmp/ only */
	snprintf(path, sizeof(path), "%s/%s", q, a.tmpname);
	CHECK(access(path, F_OK) == 0);
	CHECK_EQ_INT(afile_publish(&a), 0);
	CHECK(access(path, F_OK) < 0);
	CHECK_EQ_INT(count_entries(tmp), 0);
	snprintf(path, sizeof(path), "%s/s", q);
	CHECK(access(path, F_OK) == 0);
	/* aborted after staging: the staged file goes */
	CHECK_EQ_INT(afile_open(&a, q, "t"), 0);
	CHECK_EQ_INT(afile_stage(&a), 0);
	afile_abort(&a);
	CHECK_EQ_INT(count_entries(tmp), 0);
}

/* afile_anon(): a file nobody else sees, in the directory asked for. */
static void
t_anon(void)
{
	char	 dir[4200], buf[4];
	DIR	*d;
	struct dirent *e;
	int	 fd, n = 0;

	snprintf(dir, sizeof(dir), "%s/anon", test_dir());
	CHECK(mkdir(dir, 0700) == 0);
	fd = afile_anon(dir);
	CHECK(fd >= 0);
	CHECK(write_all(fd, "abc", 3) == 0);
	CHECK(pread(fd, buf, 3, 0) == 3 && memcmp(buf, "abc", 3) == 0);
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL)
			n += e->d_name[0] != '.';
		closedir(d);
	}
	CHECK_EQ_INT(n, 0);
	close(fd);
	strcat(dir, "/none");
	errno = 0;
	CHECK(afile_anon(dir) == -1 && errno == ENOENT);
	fd = afile_anon(NULL);
	CHECK(fd >= 0);
	close(fd);
}

/* afile_anon: a file that leaves nothing in its directory. afile_replace:
 * the data whole under the name, no temporary file left. */
static void
t_anon_replace(void)
{
	char		 path[4200];
	uint8_t		*got;
	size_t		 n;
	int		 fd;

	CHECK((fd = afile_anon(test_dir())) >= 0);
	CHECK_EQ_INT(write_all(fd, "abc", 3), 0);
	CHECK_EQ_INT(count_entries(test_dir()), 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/out.sfid", test_dir());
	CHECK_EQ_INT(afile_replace(path, "old", 3), 0);
	CHECK_EQ_INT(afile_replace(path, "new data", 8), 0);
	CHECK_EQ_INT(count_entries(test_dir()), 1);
	if (test_read_file(path, &got, &n) == 0) {
		CHECK_EQ_MEM(got, n, "new data", 8);
		free(got);
	}
	snprintf(path, sizeof(path), "%s/no/such/dir", test_dir());
	CHECK_EQ_INT(afile_replace(path, "x", 1), -1);
	CHECK_EQ_INT(afile_replace("/dev/null", "x", 1), 0);	/* no file */
}

int
main(void)
{
	TEST(t_commit);
	TEST(t_stage);
	TEST(t_abort);
	TEST(t_bad_names);
	TEST(t_fail_halfway);
	TEST(t_nofollow);
	TEST(t_anon);
	TEST(t_anon_replace);
	return test_done();
}
