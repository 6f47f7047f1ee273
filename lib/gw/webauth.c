/*
 * webauth.c - oxweb's users, sessions and login throttle (webauth.h).
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gw/webauth.h"
#include "util/afile.h"
#include "util/buf.h"
#include "util/err.h"

#define LINE_MAX_	2048

/* Costs as much as a real check: yescrypt at the default cost. */
static const char dummy_hash[] =
    "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7";

static const char *const role_names[] = { "viewer", "operator" };

const char *
webauth_role_name(enum web_role r)
{
	return r == WEB_OPERATOR ? role_names[1] : role_names[0];
}

int
webauth_role_parse(const char *s, enum web_role *r)
{
	if (strcmp(s, role_names[0]) == 0)
		*r = WEB_VIEWER;
	else if (strcmp(s, role_names[1]) == 0)
		*r = WEB_OPERATOR;
	else
		return -1;
	return 0;
}

static int
name_ok(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= WEBAUTH_NAME_MAX &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._@-") == n;
}

static int
partner_ok(const char *s)
{
	size_t	 i, n = strlen(s);

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || s[i] == ':' || s[i] == ',' ||
		    s[i] == 0x7f)
			return 0;
	return n > 0 && n <= 64;
}

static void
user_free(struct web_user *u)
{
	size_t	 i;

	for (i = 0; i < u->npartners; i++)
		free(u->partners[i]);
	u->npartners = 0;
}

void
webauth_free(struct web_users *us)
{
	size_t	 i;

	for (i = 0; i < us->n; i++)
		user_free(&us->u[i]);
	free(us->u);
	us->u = NULL;
	us->n = 0;
}

/* One line NAME:ROLE:PARTNERS:HASH into u (its partners allocated). */
static int
parse_line(char *line, struct web_user *u, const char **why)
{
	char	*f[4], *p, *save = NULL;
	int	 i;

	memset(u, 0, sizeof(*u));
	for (i = 0, p = line; i < 4; i++) {
		f[i] = p;
		if (i < 3 && (p = strchr(p, ':')) == NULL) {
			*why = "not NAME:ROLE:PARTNERS:HASH";
			return -1;
		}
		if (i < 3)
			*p++ = '\0';
	}
	if (!name_ok(f[0]))
		return *why = "bad user name", -1;
	if (webauth_role_parse(f[1], &u->role) < 0)
		return *why = "role is neither viewer nor operator", -1;
	if (f[3][0] != '$' || strlen(f[3]) >= sizeof(u->hash) ||
	    strchr(f[3], ':') != NULL)
		return *why = "bad password hash", -1;
	snprintf(u->name, sizeof(u->name), "%s", f[0]);
	snprintf(u->hash, sizeof(u->hash), "%s", f[3]);
	for (p = strtok_r(f[2], ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (!partner_ok(p) || u->npartners == WEBAUTH_PARTNERS_MAX ||
		    (u->partners[u->npartners] = strdup(p)) == NULL) {
			user_free(u);
			return *why = "bad or too many partners", -1;
		}
		u->npartners++;
	}
	return 0;
}

static int
load_fp(FILE *fp, const char *path, struct web_users *us, char *err,
    size_t errlen)
{
	char	 line[LINE_MAX_];
	const char *why = NULL;
	struct web_user *nu;
	size_t	 n, lno = 0, i;

	while (fgets(line, sizeof(line), fp) != NULL) {
		lno++;
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(fp))
			return errf(err, errlen, -1, "%s:%zu: line too long",
			    path, lno);
		if (n == 0 || line[0] == '#')
			continue;
		if (us->n == WEBAUTH_USERS_MAX || (nu = realloc(us->u,
		    (us->n + 1) * sizeof(*nu))) == NULL)
			return errf(err, errlen, -1, "%s:%zu: too many users",
			    path, lno);
		us->u = nu;
		if (parse_line(line, &us->u[us->n], &why) < 0)
			return errf(err, errlen, -1, "%s:%zu: %s", path, lno,
			    why);
		for (i = 0; i < us->n; i++)
			if (strcmp(us->u[i].name, us->u[us->n].name) == 0) {
				user_free(&us->u[us->n]);
				return errf(err, errlen, -1, "%s:%zu: user %s "
				    "again", path, lno, us->u[i].name);
			}
		us->n++;
	}
	return 0;
}

int
webauth_load(const char *path, struct web_users *us, char *err,
    size_t errlen)
{
	struct stat st;
	FILE	*fp;
	int	 rc;

	us->u = NULL;
	us->n = 0;
	if ((fp = fopen(path, "re")) == NULL)
		return errf(err, errlen, -1, "%s: %s", path, strerror(errno));
	if (fstat(fileno(fp), &st) == 0 && (st.st_mode & 0022)) {
		fclose(fp);
		return errf(err, errlen, -1, "%s: writable by others than its "
		    "owner (mode %04o): refused", path, st.st_mode & 07777);
	}
	rc = load_fp(fp, path, us, err, errlen);
	fclose(fp);
	if (rc < 0)
		webauth_free(us);
	return rc;
}

/* Constant time comparison of two strings of any length. */
static int
ct_eq(const char *a, const char *b)
{
	size_t	 na = strlen(a), nb = strlen(b), i;
	unsigned d = na != nb;

	for (i = 0; i < na; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i < nb ? i : 0];
	return d == 0;
}

const struct web_user *
webauth_check(const struct web_users *us, const char *name, const char *pw)
{
	struct crypt_data *cd;
	const struct web_user *u = NULL;
	const char *h;
	size_t	 i;
	int	 ok;

	for (i = 0; i < us->n; i++)
		if (strcmp(us->u[i].name, name) == 0)
			u = &us->u[i];
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return NULL;
	h = crypt_r(pw, u != NULL ? u->hash : dummy_hash, cd);
	ok = h != NULL && h[0] == '$' && u != NULL && ct_eq(h, u->hash);
	free(cd);
	return ok ? u : NULL;
}

int
webauth_sees(const struct web_user *u, const char *partner)
{
	size_t	 i;

	if (u->npartners == 0)
		return 1;
	for (i = 0; i < u->npartners; i++)
		if (strcmp(u->partners[i], partner) == 0)
			return 1;
	return 0;
}

/* The new file's lines: the old ones without NAME's, then NAME's. */
static int
add_lines(const char *path, const char *name, struct buf *b, char *err,
    size_t errlen)
{
	char	 line[LINE_MAX_];
	size_t	 n = strlen(name);
	FILE	*fp;

	if ((fp = fopen(path, "re")) == NULL)
		return errno == ENOENT ? 0 : errf(err, errlen, -1, "%s: %s",
		    path, strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, name, n) != 0 || line[n] != ':')
			buf_add_str(b, line);
	fclose(fp);
	return 0;
}

/*
 * The new file gets the owner and group of the one it replaces, or the
 * group of its directory (/etc/oxgate is root:oxgate: oxweb, running as
 * oxgate, reads a file root made); mode 0640.
 */
static int
keep_owner(int fd, const char *path)
{
	struct stat st;
	char	 dir[4096], *slash;

	if (stat(path, &st) < 0) {
		snprintf(dir, sizeof(dir), "%s", path);
		if ((slash = strrchr(dir, '/')) == NULL)
			snprintf(dir, sizeof(dir), ".");
		else
			*(slash == dir ? slash + 1 : slash) = '\0';
		if (stat(dir, &st) < 0)
			return -1;
		st.st_uid = geteuid();
	}
	if (fchown(fd, st.st_uid, st.st_gid) < 0 && errno != EPERM)
		return -1;
	return fchmod(fd, 0640);
}

int
webauth_add(const char *path, const char *name, enum web_role role,
    const char *partners, const char *pw, char *err, size_t errlen)
{
	struct crypt_data *cd;
	struct web_user u;
	const char *why = "";
	char	 salt[CRYPT_GENSALT_OUTPUT_SIZE], tmp[4096], *line;
	struct buf b;
	int	 fd, rc = -1;

	if (!name_ok(name))
		return errf(err, errlen, -1, "%s: bad user name (1 to 32 of "
		    "A-Z a-z 0-9 . _ @ -)", name);
	if (*pw == '\0')
		return errf(err, errlen, -1, "empty password");
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL ||
	    (cd = calloc(1, sizeof(*cd))) == NULL)
		return errf(err, errlen, -1, "crypt_gensalt: %s",
		    strerror(errno));
	buf_init(&b);
	line = NULL;
	if (crypt_r(pw, salt, cd) == NULL || cd->output[0] != '$' ||
	    asprintf(&line, "%s:%s:%s:%s", name, webauth_role_name(role),
	    partners != NULL ? partners : "", cd->output) < 0) {
		errf(err, errlen, -1, "crypt: %s", strerror(errno));
		goto out;
	}
	if (parse_line(line, &u, &why) < 0) {	/* the same rules as load */
		errf(err, errlen, -1, "%s", why);
		goto out;
	}
	user_free(&u);
	free(line);
	line = NULL;
	if (add_lines(path, name, &b, err, errlen) < 0)
		goto out;
	if (!buf_addf(&b, "%s:%s:%s:%s\n", name, webauth_role_name(role),
	    partners != NULL ? partners : "", cd->output)) {
		errf(err, errlen, -1, "out of memory");
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0640)) < 0 || keep_owner(fd, path) < 0 ||
	    write_all(fd, b.p, b.len) < 0 ||
	    fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		errf(err, errlen, -1, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	free(line);
	buf_free(&b);
	return rc;
}

/* 32 random octets as 64 hex digits. */
static int
rand_hex(char out[WEBSESS_ID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[WEBSESS_ID_LEN / 2];
	size_t	 i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	for (i = 0; i < sizeof(r); i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[WEBSESS_ID_LEN] = '\0';
	return 0;
}

static int
sess_live(const struct web_session *s, time_t now)
{
	return s->id[0] != '\0' && now - s->last <= WEBSESS_IDLE &&
	    now - s->start <= WEBSESS_MAX;
}

struct web_session *
websess_new(struct web_sessions *ss, const struct web_user *u, time_t now)
{
	struct web_session *s = &ss->s[0];
	size_t	 i;

	for (i = 0; i < WEBSESS_MAX_N; i++) {
		if (!sess_live(&ss->s[i], now)) {
			s = &ss->s[i];
			break;
		}
		if (ss->s[i].last < s->last)
			s = &ss->s[i];
	}
	memset(s, 0, sizeof(*s));
	if (rand_hex(s->id) < 0 || rand_hex(s->csrf) < 0) {
		memset(s, 0, sizeof(*s));
		return NULL;
	}
	s->user = u;
	s->start = s->last = now;
	return s;
}

struct web_session *
websess_get(struct web_sessions *ss, const char *id, time_t now)
{
	size_t	 i;

	if (id == NULL || strlen(id) != WEBSESS_ID_LEN)
		return NULL;
	for (i = 0; i < WEBSESS_MAX_N; i++)
		if (sess_live(&ss->s[i], now) && ct_eq(ss->s[i].id, id)) {
			ss->s[i].last = now;
			return &ss->s[i];
		}
	return NULL;
}

void
websess_end(struct web_session *s)
{
	memset(s, 0, sizeof(*s));
}

int
websess_csrf_ok(const struct web_session *s, const char *token)
{
	return token != NULL && strlen(token) == WEBSESS_ID_LEN &&
	    ct_eq(s->csrf, token);
}

static size_t
thr_slot(struct web_throttle *t, const char *addr, int make)
{
	size_t	 i, old = 0, n = sizeof(t->e) / sizeof(t->e[0]);

	for (i = 0; i < n; i++) {
		if (strcmp(t->e[i].addr, addr) == 0)
			return i;
		if (t->e[i].last < t->e[old].last)
			old = i;
	}
	if (!make)
		return n;
	memset(&t->e[old], 0, sizeof(t->e[old]));
	snprintf(t->e[old].addr, sizeof(t->e[old].addr), "%s", addr);
	return old;
}

int
webauth_throttled(struct web_throttle *t, const char *addr, time_t now)
{
	size_t	 i = thr_slot(t, addr, 0);

	return i < sizeof(t->e) / sizeof(t->e[0]) &&
	    t->e[i].fails >= WEBAUTH_FAILS && now - t->e[i].last <
	    WEBAUTH_WINDOW;
}

void
webauth_failed(struct web_throttle *t, const char *addr, time_t now)
{
	size_t	 i = thr_slot(t, addr, 1);

	if (now - t->e[i].last >= WEBAUTH_WINDOW)
		t->e[i].fails = 0;
	t->e[i].fails++;
	t->e[i].last = now;
}

void
webauth_ok(struct web_throttle *t, const char *addr)
{
	size_t	 i = thr_slot(t, addr, 0);

	if (i < sizeof(t->e) / sizeof(t->e[0]))
		memset(&t->e[i], 0, sizeof(t->e[i]));
}
