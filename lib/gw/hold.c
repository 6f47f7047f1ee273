/*
 * NAME
 *	hold - partner hold and divert (see hold.h)
 * SYNOPSIS
 *	#include "gw/hold.h"
 * DESCRIPTION
 *	The queue of a file for an OFTP station by the state of its
 *	partnership, the listing of a hold directory in commit order, and
 *	the move of one item between queues. The state itself lives in the
 *	trace database (trace_partner_get()); oxtrace partner changes it.
 * DIAGNOSTICS
 *	As in hold.h: -1 with one line in err.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gw/hold.h"
#include "gw/spool.h"
#include "gw/trace.h"
#include "util/afile.h"
#include "util/err.h"

#define SFX	".sfid"

const char *
hold_mode_queue(enum hold_mode m)
{
	return m == HOLD_HELD ? HOLD_DIR : m == HOLD_DIVERTED ? "overflow" :
	    "oftp/out";
}

int
hold_dir(char *dst, size_t n, const char *spool, const char *partner)
{
	int	 k;

	if (partner[0] == '\0' || partner[0] == '.' ||
	    strchr(partner, '/') != NULL)
		return -1;
	k = snprintf(dst, n, "%s/%s/%s", spool, HOLD_DIR, partner);
	return k >= 0 && (size_t)k < n ? 0 : -1;
}

static int
mkdir_ok(const char *path)
{
	struct stat st;

	return mkdir(path, 0700) == 0 || (errno == EEXIST &&
	    stat(path, &st) == 0 && S_ISDIR(st.st_mode)) ? 0 : -1;
}

/* DIR/NAME[SFX], or -1 when it does not fit. */
static int
join(char *dst, size_t n, const char *dir, const char *name, const char *sfx)
{
	int	 k = snprintf(dst, n, "%s/%s%s", dir, name, sfx);

	return k >= 0 && (size_t)k < n ? 0 : -1;
}

/* Remove DIR/NAME.sfid, then DIR/NAME: a stale copy of another attempt. */
static int
drop_stale(const char *dir, const char *name, char *err, size_t errlen)
{
	char	 p[SPOOL_PATH_MAX + 2 * 256];
	int	 gone = 0;

	if (join(p, sizeof(p), dir, name, SFX) < 0)
		return errf(err, errlen, -1, "%s/%s: path too long", dir, name);
	if (unlink(p) == 0)
		gone = 1;
	else if (errno != ENOENT)
		return errf(err, errlen, -1, "%s: %s", p, strerror(errno));
	p[strlen(p) - strlen(SFX)] = '\0';
	if (unlink(p) == 0)
		gone = 1;
	else if (errno != ENOENT)
		return errf(err, errlen, -1, "%s: %s", p, strerror(errno));
	if (gone && fsync_dir(dir) < 0)
		return errf(err, errlen, -1, "%s: fsync: %s", dir,
		    strerror(errno));
	return 0;
}

int
hold_target(struct trace *t, const char *spool, const char *partner,
    const char *name, char *dir, size_t n, enum hold_mode *mode, char *err,
    size_t errlen)
{
	struct trace_partner p;
	char	 q[3][SPOOL_PATH_MAX], tmp[SPOOL_PATH_MAX + 8];
	int	 i;

	if (trace_partner_get(t, partner, &p) < 0)
		return errf(err, errlen, -1, "partner state: %s",
		    trace_error(t));
	*mode = p.state == TRACE_P_HOLD ? HOLD_HELD : p.state ==
	    TRACE_P_DIVERT ? HOLD_DIVERTED : HOLD_OUT;
	if (spool_path(q[HOLD_OUT], sizeof(q[0]), spool, SPOOL_OFTP_OUT) < 0 ||
	    spool_path(q[HOLD_DIVERTED], sizeof(q[0]), spool, SPOOL_OVERFLOW) <
	    0)
		return errf(err, errlen, -1, "%s: path too long", spool);
	if (hold_dir(q[HOLD_HELD], sizeof(q[0]), spool, partner) < 0)
		return errf(err, errlen, -1, "partnership [%.64s]: no hold "
		    "directory for this name", partner);
	if (*mode == HOLD_HELD) {
		snprintf(tmp, sizeof(tmp), "%s/%s", spool, HOLD_DIR);
		if (mkdir_ok(tmp) < 0 || mkdir_ok(q[HOLD_HELD]) < 0)
			return errf(err, errlen, -1, "%s: %s", q[HOLD_HELD],
			    strerror(errno));
		snprintf(tmp, sizeof(tmp), "%s/tmp", q[HOLD_HELD]);
		if (mkdir_ok(tmp) < 0)
			return errf(err, errlen, -1, "%s: %s", tmp,
			    strerror(errno));
	}
	for (i = 0; i < 3; i++)
		if (i != (int)*mode && (i != HOLD_HELD || access(q[i], F_OK) ==
		    0) && drop_stale(q[i], name, err, errlen) < 0)
			return -1;
	if (snprintf(dir, n, "%s", q[*mode]) >= (int)n)
		return errf(err, errlen, -1, "%s: path too long", q[*mode]);
	return 0;
}

struct held {
	char		*name;
	struct timespec	 mtime;
};

static int
held_cmp(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

int
hold_list(const char *dir, struct hold_list *l, char *err, size_t errlen)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	struct held	*v = NULL, *nv;
	size_t		 n = 0, i, len;
	int		 rc = -1;

	l->name = NULL;
	l->n = 0;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;	/* never held anything */
		return errf(err, errlen, -1, "%s: %s", dir, strerror(errno));
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= strlen(SFX) ||
		    strcmp(e->d_name + len - strlen(SFX), SFX) != 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if ((nv = reallocarray(v, n + 1, sizeof(*v))) == NULL)
			goto nomem;
		v = nv;
		if ((v[n].name = strndup(e->d_name, len - strlen(SFX))) ==
		    NULL)
			goto nomem;
		v[n++].mtime = st.st_mtim;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), held_cmp);
	if (n > 0 && (l->name = calloc(n, sizeof(*l->name))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		l->name[i] = v[i].name;
	l->n = n;
	n = 0;
	rc = 0;
	goto done;
nomem:
	errf(err, errlen, -1, "%s: out of memory", dir);
done:
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	closedir(d);
	return rc;
}

void
hold_list_free(struct hold_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->name[i]);
	free(l->name);
	l->name = NULL;
	l->n = 0;
}

int
hold_move(const char *from, const char *to, const char *name, char *err,
    size_t errlen)
{
	char	 a[SPOOL_PATH_MAX + 256], b[SPOOL_PATH_MAX + 256];
	char	 as[SPOOL_PATH_MAX + 256], bs[SPOOL_PATH_MAX + 256];

	if (strchr(name, '/') != NULL || join(a, sizeof(a), from, name, "") <
	    0 || join(b, sizeof(b), to, name, "") < 0 ||
	    join(as, sizeof(as), from, name, SFX) < 0 ||
	    join(bs, sizeof(bs), to, name, SFX) < 0)
		return errf(err, errlen, -1, "%s/%s: bad name or path too "
		    "long", from, name);
	if (access(as, F_OK) < 0) {
		if (errno == ENOENT)
			return 0;
		return errf(err, errlen, -1, "%s: %s", as, strerror(errno));
	}
	if (rename(a, b) < 0 && errno != ENOENT)	/* ENOENT: moved before */
		return errf(err, errlen, -1, "%s: %s", a, strerror(errno));
	if (fsync_dir(to) < 0)		/* the payload is durable before the */
		return errf(err, errlen, -1, "%s: fsync: %s", to,	/* marker */
		    strerror(errno));
	if (rename(as, bs) < 0) {
		if (errno == ENOENT)	/* a second release moved it */
			return 0;
		return errf(err, errlen, -1, "%s: %s", as, strerror(errno));
	}
	if (fsync_dir(to) < 0 || fsync_dir(from) < 0)
		return errf(err, errlen, -1, "%s: fsync: %s", to,
		    strerror(errno));
	return 1;
}
