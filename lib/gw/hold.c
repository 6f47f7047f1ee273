/*
 * NAME
 *	hold - partner hold and divert (see hold.h)
 * SYNOPSIS
 *	#include "gw/hold.h"
#include "spool/queue.h"
 * DESCRIPTION
 *	The queue of a file for an OFTP station by the state of its
 *	partnership, the listing of a hold directory in commit order, and
 *	the move of one item between queues (the last two are the queue
 *	engine's rules: queue_scan_dir(), queue_move_item()). The state
 *	itself lives in the trace database (trace_partner_get()); oxtrace
 *	partner changes it.
 * DIAGNOSTICS
 *	As in hold.h: -1 with one line in err.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gw/hold.h"
#include "spool/queue.h"
#include "spool/spool.h"
#include "gw/trace.h"
#include "util/afile.h"
#include "util/clock.h"
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
	/* a hold whose end has come holds nothing more */
	*mode = p.state == TRACE_P_HOLD && (p.until == 0 || p.until >
	    clock_now()) ? HOLD_HELD : p.state == TRACE_P_DIVERT ?
	    HOLD_DIVERTED : HOLD_OUT;
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

/* The items of a hold directory: the queue's scan, .sfid regular files. */
int
hold_list(const char *dir, struct hold_list *l, char *err, size_t errlen)
{
	struct stat	 st;
	char		 sfid[NAME_MAX + 1];
	size_t		 i, n = 0;
	int		 dfd, e;

	l->name = NULL;
	l->n = 0;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;	/* never held anything */
		return errf(err, errlen, -1, "%s: %s", dir, strerror(errno));
	}
	if (queue_scan_dir(dfd, QUEUE_PAIRS, 0, &l->name, &l->n) < 0) {
		e = errno;
		close(dfd);
		return errf(err, errlen, -1, "%s: %s", dir, strerror(e));
	}
	for (i = 0; i < l->n; i++) {
		if (snprintf(sfid, sizeof(sfid), "%s%s", l->name[i], SFX) <
		    (int)sizeof(sfid) && fstatat(dfd, sfid, &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			l->name[n++] = l->name[i];
		else
			free(l->name[i]);
	}
	l->n = n;
	close(dfd);
	return 0;
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
	char	 sfid[NAME_MAX + 1];
	int	 sfd, dfd, r, e;

	if (strchr(name, '/') != NULL || snprintf(sfid, sizeof(sfid), "%s%s",
	    name, SFX) >= (int)sizeof(sfid))
		return errf(err, errlen, -1, "%s/%s: bad name or path too "
		    "long", from, name);
	if ((sfd = open(from, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : errf(err, errlen, -1, "%s: %s",
		    from, strerror(errno));
	if (faccessat(sfd, sfid, F_OK, 0) < 0) {
		e = errno;
		close(sfd);
		if (e == ENOENT)
			return 0;	/* not committed, or moved before */
		return errf(err, errlen, -1, "%s/%s: %s", from, sfid,
		    strerror(e));
	}
	if ((dfd = open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		e = errno;
		close(sfd);
		return errf(err, errlen, -1, "%s: %s", to, strerror(e));
	}
	r = queue_move_item(sfd, dfd, name, QUEUE_PAIRS | QUEUE_MOVE_REPLACE |
	    QUEUE_MOVE_SYNC);
	e = errno;
	close(sfd);
	close(dfd);
	if (r < 0)
		return errf(err, errlen, -1, "%s/%s to %s: %s", from, name, to,
		    strerror(e));
	return r;
}
