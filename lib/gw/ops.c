/*
 * ops.c - the operator's actions, shared by oxtrace and oxweb (ops.h).
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "gw/config.h"
#include "gw/gw.h"
#include "gw/hold.h"
#include "gw/ops.h"
#include "gw/outbox.h"
#include "gw/rpt_build.h"
#include "asn1/ber.h"
#include "oftp/sfid.h"
#include "spool/spool.h"
#include "util/afile.h"
#include "util/buf.h"
#include "util/clock.h"
#include "x400/p1.h"

#define OPS_PATH	(SPOOL_PATH_MAX * 2)

static int
fail(struct ops *o, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct ops *o, int code, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(o->err, sizeof(o->err), fmt, ap);
	va_end(ap);
	o->code = code;
	return -1;
}

static int
tfail(struct ops *o)
{
	return fail(o, EX_TEMPFAIL, "%s", trace_error(o->db));
}

void
ops_init(struct ops *o, struct trace *db, const struct ox_config *cfg,
    const struct ox_partners *ps, time_t now, const char *who)
{
	memset(o, 0, sizeof(*o));
	o->db = db;
	o->cfg = cfg;
	o->partners = ps;
	o->now = now;
	snprintf(o->who, sizeof(o->who), "%s", who != NULL ? who : "?");
}

/* Who runs the command: the (sudo) user, for the history. */
void
ops_who_login(char *who, size_t n)
{
	const struct passwd *pw;
	const char *su = getenv("SUDO_USER");

	if ((pw = getpwuid(getuid())) != NULL && su != NULL && *su != '\0' &&
	    getuid() == 0)
		snprintf(who, n, "%.20s (sudo %.20s)", su, pw->pw_name);
	else if (pw != NULL)
		snprintf(who, n, "%.40s", pw->pw_name);
	else
		snprintf(who, n, "uid %lu", (unsigned long)getuid());
}

static const char *const pact_names[] = { "hold", "release", "divert",
	"undivert" };

const char *
ops_pact_name(enum ops_pact a)
{
	return (unsigned)a < 4 ? pact_names[a] : "?";
}

int
ops_pact_parse(const char *s, enum ops_pact *a)
{
	unsigned i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, pact_names[i]) == 0) {
			*a = (enum ops_pact)i;
			return 0;
		}
	return -1;
}

/* dir/name[suffix] into dst: a path never silently shortened. */
static int
pjoin(struct ops *o, char *dst, size_t n, const char *dir, const char *name,
    const char *suffix)
{
	int	 k = snprintf(dst, n, "%s/%s%s", dir, name, suffix);

	if (k < 0 || (size_t)k >= n)
		return fail(o, EX_SOFTWARE, "%s/%s%s: path too long", dir,
		    name, suffix);
	return 0;
}

struct dsnfind {
	const char	 *dsn;
	struct trace_row *r;
	int		  found;
};

/* The newest row of a virtual file name (DSN). */
static int
match_dsn(const struct trace_row *r, void *arg)
{
	struct dsnfind *df = arg;

	if (strcmp(r->oftp.dsn, df->dsn) == 0) {
		*df->r = *r;
		df->found = 1;
	}
	return 0;
}

int
ops_find(struct ops *o, const char *id, struct trace_row *r)
{
	char	*end;
	long long n;
	int	 rc, d;

	n = strtoll(id, &end, 10);
	if (end != id && *end == '\0')
		rc = trace_get(o->db, n, r);
	else {
		rc = 0;
		for (d = TRACE_OFTP2X400; rc == 0 && d <= TRACE_X4002OFTP; d++)
			if ((rc = trace_find_by_mts_id(o->db, d, id, r)) == 0 &&
			    (rc = trace_find_by_ipm_id(o->db, d, id, r)) == 0)
				rc = trace_find_by_edim_id(o->db, d, id, r);
	}
	if (rc == 0 && *id != '\0' && strlen(id) < TRACE_DSN_SZ) {
		struct trace_filter f;
		struct dsnfind df = { id, r, 0 };

		memset(&f, 0, sizeof(f));
		rc = trace_list(o->db, &f, match_dsn, &df) < 0 ? -1 : df.found;
	}
	if (rc < 0)
		return tfail(o);
	if (rc == 0)
		return fail(o, EX_NOUSER, "%s: no such transaction", id);
	return 1;
}

const struct ox_partner *
ops_partner_named(struct ops *o, const char *name)
{
	const struct ox_partner *p = NULL;
	char	 low[PARTNER_NAME_MAX + 1];
	size_t	 i;

	for (i = 0; i < PARTNER_NAME_MAX && name[i] != '\0'; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	if (name[i] == '\0' && o->partners != NULL)
		p = partner_by_name(o->partners, low);
	if (p == NULL)
		fail(o, EX_NOUSER, "%.64s: no such partnership in %s", name,
		    o->partners != NULL ? o->partners->path : "partners.ini");
	return p;
}

int
ops_present(struct ops *o, const char *dir, const char *name)
{
	char	 a[OPS_PATH];

	if (pjoin(o, a, sizeof(a), dir, name, "") < 0)
		return -1;
	if (access(a, F_OK) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	return fail(o, EX_IOERR, "%s: %s", a, strerror(errno));
}

/*
 * The mtime of a file going to overflow/ becomes the time of the move:
 * oxpurge counts the age of an item there from it (rename(2) keeps the
 * mtime of the conversion). Set before the move, so that a crash leaves
 * no file with its old time in overflow/.
 */
static void
stamp_move(struct ops *o, const char *path)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { o->now, 0 } };

	if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) < 0 &&
	    errno != ENOENT)
		snprintf(o->warn, sizeof(o->warn), "%s: %s; its age in "
		    "overflow/ counts from its conversion", path,
		    strerror(errno));
}

/* rename, ENOENT (taken meanwhile) not being an error: 1, 0, -1. */
static int
ren(struct ops *o, const char *a, const char *b)
{
	if (rename(a, b) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	return fail(o, EX_IOERR, "%s: %s", a, strerror(errno));
}

int
ops_move(struct ops *o, const char *from, const char *to, const char *name,
    int pair, int into_live)
{
	char	 a[OPS_PATH], b[OPS_PATH], as[OPS_PATH], bs[OPS_PATH];
	int	 moved = 0, rc;

	if (pjoin(o, a, sizeof(a), from, name, "") < 0 ||
	    pjoin(o, b, sizeof(b), to, name, "") < 0 ||
	    pjoin(o, as, sizeof(as), from, name, ".sfid") < 0 ||
	    pjoin(o, bs, sizeof(bs), to, name, ".sfid") < 0)
		return -1;
	/* leaving a live queue, a half-moved pair has its .sfid here */
	if (access(a, F_OK) < 0 && (!pair || !into_live || access(as, F_OK) <
	    0))
		return 0;
	if (!into_live) {
		stamp_move(o, a);
		if (pair)
			stamp_move(o, as);
	}
	/* ENOENT: taken meanwhile (the OFTP daemon, the MTA, a second run) */
	if (pair && !into_live && ren(o, as, bs) < 0)
		return -1;
	if ((rc = ren(o, a, b)) < 0)
		return -1;
	moved |= rc;
	if (pair && into_live) {
		if ((rc = ren(o, as, bs)) < 0)
			return -1;
		moved |= rc;
	}
	if (fsync_dir(from) < 0 || fsync_dir(to) < 0)
		return fail(o, EX_IOERR, "%s: fsync: %s", to, strerror(errno));
	return moved;
}

static int
set_state(struct ops *o, int64_t id, enum trace_state s, time_t deadline,
    const char *note)
{
	if (trace_record_state(o->db, id, s, o->now, deadline, note) < 0)
		return fail(o, EX_TEMPFAIL, "transaction %" PRId64 ": %s", id,
		    trace_error(o->db));
	return 0;
}

/* The queue a transaction's converted file goes to. */
int
ops_out_queue(struct ops *o, const struct trace_row *r, char *q, size_t n)
{
	if (spool_path(q, n, o->cfg->spool, r->dir == TRACE_OFTP2X400 ?
	    SPOOL_X400_OUT : SPOOL_OFTP_OUT) < 0)
		return fail(o, EX_CONFIG, "%s: spool path too long",
		    o->cfg->spool);
	return 0;
}

static int
overflow_dir(struct ops *o, char *ov, size_t n)
{
	if (spool_path(ov, n, o->cfg->spool, SPOOL_OVERFLOW) < 0)
		return fail(o, EX_CONFIG, "%s: spool path too long",
		    o->cfg->spool);
	return 0;
}

/*
 * Transfer mode: once the X.400 expiry sent the NDR the message is over
 * (seed: reactivation "nur solange möglich, bis das Verfallsdatum der
 * X.400 Mitteilung erreicht und eine NDN versendet wurde"); a reactivated
 * file would bring a DR after the NDR.
 */
static int
refuse_after_ndr(struct ops *o, const struct trace_row *r)
{
	const struct ox_partner *p;
	char	 name[RPT_ID_SZ + 8];
	int	 sent;

	if (r->dir != TRACE_X4002OFTP)
		return 0;
	p = o->partners != NULL ? partner_by_name(o->partners, r->partner) :
	    NULL;
	if (p != NULL && p->mode == PARTNER_AGENT)
		return 0;
	if ((sent = rpt_expiry_ndr(o->db, o->cfg->mta_designator, r, name,
	    sizeof(name))) < 0)
		return tfail(o);
	if (sent)
		return fail(o, EX_DATAERR, "transaction %" PRId64 ": transfer "
		    "mode, and the X.400 expiry sent the non-delivery report "
		    "(%s): the message cannot be reactivated (export or "
		    "delete the file)", r->id, name);
	return 0;
}

/* A reactivated file goes out, whatever the partner's state: a warning. */
static int
warn_controlled(struct ops *o, const struct trace_row *r)
{
	struct trace_partner ps;

	if (r->dir != TRACE_X4002OFTP || r->partner[0] == '\0')
		return 0;
	if (trace_partner_get(o->db, r->partner, &ps) < 0)
		return tfail(o);
	if (ps.state != TRACE_P_ACTIVE)
		snprintf(o->warn, sizeof(o->warn), "partnership [%s] is %s; "
		    "transaction %" PRId64 " is reactivated into oftp/out all "
		    "the same", r->partner, trace_pstate_name(ps.state), r->id);
	return 0;
}

static int
need_overflow(struct ops *o, const char *id, struct trace_row *r)
{
	if (ops_find(o, id, r) < 0)
		return -1;
	if (r->state != TRACE_S_OVERFLOW && r->state != TRACE_S_DIVERTED)
		return fail(o, EX_DATAERR, "transaction %" PRId64 " is %s, not "
		    "in overflow", r->id, trace_state_name(r->state));
	return 0;
}

/*
 * Agent mode, a diverted file reactivated: it leaves the gateway now, and
 * the delivery report its originator asked for, held back at the
 * conversion, goes with it (seed: DN at the hand-over to the OFTP
 * side). Staged in ob for spool/x400/out: 1 (name set), 0 not owed or
 * not possible (o->warn says why), -1 failed (o->err).
 */
static int
reactivate_dr(struct ops *o, const struct trace_row *r,
    const struct ox_partner *p, struct outbox *ob, char *name,
    size_t namelen)
{
	struct rpt_target tg;
	struct rpt_outcome oc;
	struct berw	 w;
	char		 id[RPT_ID_SZ], why[512];
	int		 rc;

	if (r->state != TRACE_S_DIVERTED || p == NULL || p->mode !=
	    PARTNER_AGENT || !r->dn_req)
		return 0;
	if ((rc = rpt_target(o->db, r, p, r->oftp.dest, &tg, why,
	    sizeof(why))) != RPT_OK) {
		if (rc == RPT_TEMP)
			return fail(o, EX_TEMPFAIL, "%s", why);
		snprintf(o->warn, sizeof(o->warn), "transaction %" PRId64
		    ": no delivery report: %.200s", r->id, why);
		return 0;
	}
	memset(&oc, 0, sizeof(oc));
	oc.type = P1_DELIVERY;
	rpt_report_id(o->cfg->mta_designator, r, "reactivate-dr", id);
	snprintf(name, namelen, "%s.p1", id);
	berw_init(&w);
	if (rpt_build_report(&w, &o->cfg->gdi, id, &tg, r->created, o->now,
	    &oc, why, sizeof(why)) != RPT_OK) {
		snprintf(o->warn, sizeof(o->warn), "transaction %" PRId64
		    ": no delivery report: %.200s", r->id, why);
		rc = 0;
	} else if (outbox_ber(ob, spool_queue_name(SPOOL_X400_OUT), name, &w,
	    why, sizeof(why)) < 0)
		rc = fail(o, EX_CANTCREAT, "transaction %" PRId64 ": the "
		    "delivery report could not be staged: %s", r->id, why);
	else
		rc = 1;
	berw_free(&w);
	return rc;
}

/*
 * The new deadline of a reactivated file: agent mode, the delivery timer
 * from now; transfer mode, the X.400 expiry the row had, while it has
 * not passed (else the normal expiry from now).
 */
static time_t
reactivate_deadline(struct ops *o, const struct trace_row *r,
    const struct ox_partner *p)
{
	if (p != NULL && p->mode == PARTNER_AGENT && r->dir ==
	    TRACE_X4002OFTP)
		return o->now + 3600 * (time_t)partner_timer(o->cfg, p,
		    CONFIG_TIMER_DELIVERY);
	return r->deadline > o->now ? r->deadline : o->now +
	    (time_t)o->cfg->expiry[CONFIG_PRIO_NORMAL] * 3600;
}

/*
 * The trace steps of a reactivation: received, converted with its new
 * deadline (reactivate_deadline()) and the DR a diverted agent-mode
 * file owes (reactivate_dr()), one commit; then the DR is published.
 */
static int
reactivate_trace(struct ops *o, const struct trace_row *r)
{
	const struct ox_partner *p = o->partners != NULL ?
	    partner_by_name(o->partners, r->partner) : NULL;
	struct outbox	 ob;
	char	 note[TRACE_NOTE_SZ], cnote[TRACE_NOTE_SZ], err[512];
	char	 name[SPOOL_PATH_MAX];
	int	 dr;

	outbox_init(&ob, o->cfg->spool, NULL);
	if ((dr = reactivate_dr(o, r, p, &ob, name, sizeof(name))) < 0) {
		outbox_abort(&ob);
		outbox_free(&ob);
		return -1;
	}
	snprintf(note, sizeof(note), "reactivated by %s", o->who);
	snprintf(cnote, sizeof(cnote), "back in the output queue%s%.64s",
	    dr ? "; delivery report " : "", dr ? name : "");
	if (trace_batch_begin(o->db) < 0) {
		outbox_abort(&ob);
		outbox_free(&ob);
		return tfail(o);
	}
	if (set_state(o, r->id, TRACE_S_RECEIVED, 0, note) < 0 ||
	    set_state(o, r->id, TRACE_S_CONVERTED, reactivate_deadline(o, r,
	    p), cnote) < 0 || (dr && trace_record_files(o->db, r->id, NULL,
	    NULL, name, o->now) < 0 && tfail(o) < 0)) {
		trace_batch_rollback(o->db);
		outbox_abort(&ob);
		outbox_free(&ob);
		return -1;
	}
	if (outbox_commit(&ob, o->db, r->id, o->now, err, sizeof(err)) != 0) {
		outbox_free(&ob);
		return fail(o, EX_TEMPFAIL, "transaction %" PRId64 ": %s",
		    r->id, err);
	}
	outbox_free(&ob);
	return 0;
}

int
ops_reactivate(struct ops *o, const char *id, struct trace_row *r)
{
	char	 ov[SPOOL_PATH_MAX], q[SPOOL_PATH_MAX], sfid[OPS_PATH];
	int	 pair, a, b = 0, rc;

	o->info[0] = o->warn[0] = '\0';
	if (overflow_dir(o, ov, sizeof(ov)) < 0 || ops_find(o, id, r) < 0)
		return -1;
	pair = r->dir == TRACE_X4002OFTP;
	if (pjoin(o, sfid, sizeof(sfid), ".", r->out_file, ".sfid") < 0)
		return -1;
	a = r->out_file[0] != '\0' ? ops_present(o, ov, r->out_file) : 0;
	if (a == 0 && pair && r->out_file[0] != '\0')
		b = ops_present(o, ov, sfid + 2);
	if (a < 0 || b < 0)
		return -1;
	/* the trace first, then the file: run again, it finishes */
	if (r->state == TRACE_S_CONVERTED && (a || b))
		snprintf(o->info, sizeof(o->info), "transaction %" PRId64
		    ": finishing a reactivation", r->id);
	else {
		if (need_overflow(o, id, r) < 0 || refuse_after_ndr(o, r) < 0)
			return -1;
		if (a != 1)
			return fail(o, EX_NOINPUT, "%s/%s: not there", ov,
			    r->out_file);
		if (warn_controlled(o, r) < 0 || reactivate_trace(o, r) < 0)
			return -1;
	}
	if (ops_out_queue(o, r, q, sizeof(q)) < 0 ||
	    (rc = ops_move(o, ov, q, r->out_file, pair, 1)) < 0)
		return -1;
	if (rc == 0)
		return fail(o, EX_NOINPUT, "%s/%s: not there", ov, r->out_file);
	if (o->info[0] == '\0')
		snprintf(o->info, sizeof(o->info), "transaction %" PRId64
		    ": %.200s back in %.200s", r->id, r->out_file, q);
	return 0;
}

int
ops_delete(struct ops *o, const char *id, struct trace_row *r)
{
	char	 ov[SPOOL_PATH_MAX], name[OPS_PATH], note[TRACE_NOTE_SZ];

	if (overflow_dir(o, ov, sizeof(ov)) < 0 || need_overflow(o, id, r) < 0)
		return -1;
	if (pjoin(o, name, sizeof(name), ov, r->out_file, ".sfid") < 0)
		return -1;
	if (r->dir == TRACE_X4002OFTP && unlink(name) < 0 && errno != ENOENT)
		return fail(o, EX_IOERR, "%s: %s", name, strerror(errno));
	if (pjoin(o, name, sizeof(name), ov, r->out_file, "") < 0)
		return -1;
	if (unlink(name) < 0 && errno != ENOENT)
		return fail(o, EX_IOERR, "%s: %s", name, strerror(errno));
	snprintf(note, sizeof(note), "deleted by operator %s", o->who);
	return set_state(o, r->id, TRACE_S_DELETED, 0, note);
}

/* Copy one file into dir, atomically (DIR/.NAME.part, then rename). */
static int
copy_out(struct ops *o, const char *from, const char *dir, const char *name)
{
	char	 src[OPS_PATH], tmp[OPS_PATH], dst[OPS_PATH], chunk[65536];
	ssize_t	 n;
	int	 in, out;

	if (pjoin(o, src, sizeof(src), from, name, "") < 0 ||
	    pjoin(o, tmp, sizeof(tmp), dir, ".", name) < 0 ||
	    pjoin(o, dst, sizeof(dst), dir, name, "") < 0)
		return -1;
	if ((in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : fail(o, EX_IOERR, "%s: %s", src,
		    strerror(errno));
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0) {
		close(in);
		return fail(o, EX_CANTCREAT, "%s: %s", tmp, strerror(errno));
	}
	while ((n = read(in, chunk, sizeof(chunk))) > 0)
		if (write_all(out, chunk, (size_t)n) < 0)
			break;
	close(in);
	if (n != 0 || fsync(out) < 0 || close(out) < 0 ||
	    rename(tmp, dst) < 0) {
		unlink(tmp);
		return fail(o, EX_IOERR, "%s: %s", dst, strerror(errno));
	}
	return 0;
}

int
ops_export(struct ops *o, const char *id, const char *dir)
{
	struct trace_row r;
	struct buf b;
	char	 ov[SPOOL_PATH_MAX], name[OPS_PATH];
	FILE	*fp;
	int	 rc = 0;

	if (overflow_dir(o, ov, sizeof(ov)) < 0 ||
	    need_overflow(o, id, &r) < 0 || copy_out(o, ov, dir,
	    r.out_file) < 0)
		return -1;
	if (r.dir == TRACE_X4002OFTP && (pjoin(o, name, sizeof(name), ".",
	    r.out_file, ".sfid") < 0 || copy_out(o, ov, dir, name + 2) < 0))
		return -1;
	buf_init(&b);
	if (trace_csv_header(&b) < 0 || trace_csv_row(&b, &r) < 0 ||
	    buf_error(&b)) {
		buf_free(&b);
		return fail(o, EX_SOFTWARE, "CSV of transaction %" PRId64,
		    r.id);
	}
	if (pjoin(o, name, sizeof(name), dir, r.out_file, ".csv") < 0)
		rc = -1;
	else if ((fp = fopen(name, "w")) == NULL)
		rc = fail(o, EX_CANTCREAT, "%s: %s", name, strerror(errno));
	else if ((fwrite(b.p, 1, b.len, fp) != b.len) + fclose(fp) != 0)
		rc = fail(o, EX_CANTCREAT, "%s: %s", name, strerror(errno));
	buf_free(&b);
	return rc;
}

int
ops_held(struct ops *o, const char *name, size_t *n)
{
	struct hold_list l;
	char	 dir[SPOOL_PATH_MAX];

	*n = 0;
	if (hold_dir(dir, sizeof(dir), o->cfg->spool, name) < 0)
		return 0;
	if (hold_list(dir, &l, o->err, sizeof(o->err)) < 0) {
		o->code = EX_IOERR;
		return -1;
	}
	*n = l.n;
	hold_list_free(&l);
	return 0;
}

/*
 * One held item into out/: the trace first, then the file. Its trace row
 * is found by the OFTP identity of its .sfid (a transaction per file of
 * a message, schema 8). 1, 0, -1.
 */
static int
release_one(struct ops *o, const char *partner, const char *dir,
    const char *out, const char *name)
{
	struct trace_row r;
	struct trace_oftp_id oid;
	struct sfid	 sf;
	char	 path[OPS_PATH], err[512];
	int	 read_ok, rc = 0;

	/*
	 * A release killed in between leaves a converted row whose file is
	 * still held, and the next release moves it.
	 */
	if (pjoin(o, path, sizeof(path), dir, name, ".sfid") < 0)
		return -1;
	if ((read_ok = sfid_read_file(&sf, path, err, sizeof(err)) ==
	    SFID_OK))
		gw_oftp_id(&oid, &sf);
	if (read_ok && (rc = trace_find_by_oftp(o->db, TRACE_X4002OFTP, &oid,
	    &r)) < 0)
		return tfail(o);
	/* the delivery timer runs on (a row held before version 10: none) */
	if (rc == 1 && r.state == TRACE_S_HELD) {
		if (set_state(o, r.id, TRACE_S_CONVERTED, r.deadline ?
		    TRACE_DEADLINE_KEEP : o->now +
		    (time_t)o->cfg->expiry[CONFIG_PRIO_NORMAL] * 3600,
		    "released into oftp/out") < 0)
			return -1;
	} else if (rc != 1)
		snprintf(o->warn, sizeof(o->warn), "%.200s: released; no trace "
		    "row to update (%.200s)", name, !read_ok ? err : "purged?");
	if ((rc = hold_move(dir, out, name, o->err, sizeof(o->err))) < 0)
		o->code = EX_IOERR;
	if (rc > 0 && o->say != NULL) {
		snprintf(path, sizeof(path), "[%s] released %s into %s",
		    partner, name, out);
		o->say(path);
	}
	return rc;
}

/* Whether an x4002oftp is writing into hold/NAME/tmp (in the last minute). */
static int
hold_busy(struct ops *o, const char *dir)
{
	char	 tmp[SPOOL_PATH_MAX + 8];
	struct dirent *e;
	struct stat st;
	DIR	*d;
	int	 busy = 0;

	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	if ((d = opendir(tmp)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && fstatat(dirfd(d), e->d_name, &st,
		    0) == 0 && st.st_mtime >= o->now - 60)
			busy = 1;
	closedir(d);
	return busy;
}

/*
 * Release: the items of spool/hold/NAME into spool/oftp/out, oldest
 * first, payload first and .sfid last; the trace row of each (found by
 * the OFTP identity of its .sfid) goes from held to converted, its
 * deadline (the delivery timer, the X.400 expiry) running on. A file still being written into the hold directory is
 * waited for, up to a minute.
 */
static int
release_held(struct ops *o, const char *name, size_t *n)
{
	struct hold_list l;
	char	 dir[SPOOL_PATH_MAX], out[SPOOL_PATH_MAX];
	size_t	 i;
	int	 pass, rc = 0;

	*n = 0;
	if (hold_dir(dir, sizeof(dir), o->cfg->spool, name) < 0)
		return fail(o, EX_DATAERR, "[%s]: no hold directory for this "
		    "name", name);
	spool_path(out, sizeof(out), o->cfg->spool, SPOOL_OFTP_OUT);
	for (pass = 0; pass < 600 && rc >= 0; pass++) {
		if (hold_list(dir, &l, o->err, sizeof(o->err)) < 0) {
			o->code = EX_IOERR;
			return -1;
		}
		for (i = 0; i < l.n && rc >= 0; i++)
			if ((rc = release_one(o, name, dir, out, l.name[i])) > 0)
				(*n)++;
		hold_list_free(&l);
		if (rc < 0 || !hold_busy(o, dir))
			break;
		usleep(100 * 1000);
	}
	return rc < 0 ? -1 : 0;
}

/*
 * A hold's end (hold --until; 0: until released), recorded with every
 * hold that changes it, with a line in the history.
 */
static int
hold_until(struct ops *o, const char *name, const struct trace_partner *ps,
    time_t until)
{
	char	 note[TRACE_NOTE_SZ], t[32];

	if (until == ps->until)
		return 0;
	clock_iso(until, t, sizeof(t));
	snprintf(note, sizeof(note), "until %s", until ? t : "released");
	if (trace_partner_hold_until(o->db, name, until) < 0 ||
	    trace_partner_event(o->db, name, "hold-until", o->now, o->who,
	    note) < 0)
		return tfail(o);
	return 0;
}

/* The files of a release, and a line in the history when it moved any. */
static int
release_logged(struct ops *o, const char *name, size_t *released)
{
	char	 note[TRACE_NOTE_SZ];
	size_t	 n = 0;

	if (release_held(o, name, &n) < 0)
		return -1;
	snprintf(note, sizeof(note), "%zu held file%s into oftp/out", n,
	    n == 1 ? "" : "s");
	if (n > 0 && trace_partner_event(o->db, name, "released", o->now,
	    o->who, note) < 0)
		return tfail(o);
	if (released != NULL)
		*released = n;
	return 0;
}

/*
 * ops_partner() once the partnership is known, with the note of its
 * history line (note) and the hold's end (until, OPS_HOLD only).
 */
static int
partner_act(struct ops *o, const struct ox_partner *p, enum ops_pact act,
    const char *note, time_t until, size_t *released)
{
	static const enum trace_pstate to[] = { TRACE_P_HOLD, TRACE_P_ACTIVE,
		TRACE_P_DIVERT, TRACE_P_ACTIVE };
	struct trace_partner ps;
	size_t	 n = 0;
	int	 rc = 0;

	if (trace_partner_get(o->db, p->name, &ps) < 0)
		return tfail(o);
	if (act == OPS_HOLD || act == OPS_DIVERT ||
	    (act == OPS_RELEASE && ps.state == TRACE_P_HOLD) ||
	    (act == OPS_UNDIVERT && ps.state == TRACE_P_DIVERT)) {
		if ((rc = trace_partner_set_state(o->db, p->name, to[act],
		    ops_pact_name(act), o->now, o->who, note)) < 0)
			return tfail(o);
	}
	if (rc == 1)
		snprintf(o->info, sizeof(o->info), "[%s] %s -> %s (%s)",
		    p->name, trace_pstate_name(ps.state),
		    trace_pstate_name(to[act]), o->who);
	else if (act != OPS_HOLD || until == ps.until)
		snprintf(o->info, sizeof(o->info), "[%s] is %s: nothing to "
		    "change", p->name, trace_pstate_name(ps.state));
	/* a hold's end: set with every hold, gone with its release */
	if ((act == OPS_HOLD && hold_until(o, p->name, &ps, until) < 0) ||
	    (act == OPS_RELEASE && ps.until != 0 &&
	    trace_partner_hold_until(o->db, p->name, 0) < 0))
		return act == OPS_HOLD ? -1 : tfail(o);
	if (act == OPS_RELEASE)
		return release_logged(o, p->name, released) < 0 ? -1 : rc;
	if (act == OPS_DIVERT && ops_held(o, p->name, &n) == 0 && n > 0)
		snprintf(o->warn, sizeof(o->warn), "[%s]: %zu file%s stay in "
		    "spool/hold/%s until oxtrace partner release", p->name, n,
		    n == 1 ? "" : "s", p->name);
	return rc;
}

/*
 * A partner's state: hold (until: its end, 0 until released), release
 * (ends a hold), divert, undivert (ends a divert). The state takes
 * effect for the next file x4002oftp (or status-files) makes: each file
 * reads it.
 */
int
ops_partner(struct ops *o, const char *name, enum ops_pact act,
    const char *unote, time_t until, size_t *released)
{
	const struct ox_partner *p;
	struct trace_partner ps;
	char	 note[TRACE_NOTE_SZ];

	o->info[0] = o->warn[0] = '\0';
	if (released != NULL)
		*released = 0;
	if ((unsigned)act > OPS_UNDIVERT)
		return fail(o, EX_USAGE, "bad partner action");
	if (until != 0 && (act != OPS_HOLD || until <= o->now))
		return fail(o, EX_DATAERR, "a hold's end: a hold only, after "
		    "now");
	if ((p = ops_partner_named(o, name)) == NULL)
		return -1;
	if (trace_partner_get(o->db, p->name, &ps) < 0)
		return tfail(o);
	snprintf(note, sizeof(note), "was %s%s%.200s",
	    trace_pstate_name(ps.state), unote != NULL && *unote ? ": " : "",
	    unote != NULL ? unote : "");
	return partner_act(o, p, act, note, until, released);
}

/*
 * The holds whose time (hold --until) has come end here, at the start of
 * the expiry sweep: the partnership becomes active and its held files go
 * into oftp/out as a release moves them (o->who names the sweep).
 * Meanwhile hold_target() already sends new files to oftp/out. *ended
 * counts the holds ended, *released the files. 0, or -1.
 */
int
ops_release_due_holds(struct ops *o, size_t *ended, size_t *released)
{
	const struct ox_partner *p;
	struct trace_partner ps;
	char	 note[TRACE_NOTE_SZ], t[32];
	size_t	 i, n;

	*ended = *released = 0;
	for (i = 0; o->partners != NULL && i < o->partners->n; i++) {
		p = &o->partners->p[i];
		if (trace_partner_get(o->db, p->name, &ps) < 0)
			return tfail(o);
		if (ps.state != TRACE_P_HOLD || ps.until == 0 ||
		    ps.until > o->now)
			continue;
		clock_iso(ps.until, t, sizeof(t));
		snprintf(note, sizeof(note), "was hold until %s", t);
		o->info[0] = o->warn[0] = '\0';
		if (partner_act(o, p, OPS_RELEASE, note, 0, &n) < 0)
			return -1;
		snprintf(o->info, sizeof(o->info), "[%s] hold ended (until "
		    "%s): %zu file%s released into oftp/out", p->name, t, n,
		    n == 1 ? "" : "s");
		if (o->say != NULL)
			o->say(o->info);
		(*ended)++;
		*released += n;
	}
	o->info[0] = '\0';
	return 0;
}

/* A name recorded in the trace that may be opened in a queue. */
static int
plain_name(const char *s)
{
	return s[0] != '\0' && s[0] != '.' && strchr(s, '/') == NULL;
}

int
ops_file_open(struct ops *o, const struct trace_row *r, enum ops_file which,
    const char **name)
{
	static const enum spool_queue in_q[] = { SPOOL_OFTP_IN, SPOOL_X400_IN,
		SPOOL_FAILED, SPOOL_OVERFLOW };
	static const enum spool_queue out_q[] = { SPOOL_OVERFLOW,
		SPOOL_OFTP_OUT, SPOOL_X400_OUT, SPOOL_FAILED };
	static const enum spool_queue ack_q[] = { SPOOL_OFTP_EERP_OUT,
		SPOOL_X400_OUT, SPOOL_X400_REPORTS, SPOOL_OVERFLOW };
	const enum spool_queue *qs = which == OPS_FILE_IN ? in_q :
	    which == OPS_FILE_OUT ? out_q : ack_q;
	const char *f = which == OPS_FILE_IN ? r->in_file : which ==
	    OPS_FILE_OUT ? r->out_file : r->ack_file;
	char	 q[SPOOL_PATH_MAX], hd[SPOOL_PATH_MAX];
	struct stat st;
	int	 i, dfd, fd;

	*name = f;
	if (!plain_name(f))
		return fail(o, EX_NOINPUT, "transaction %" PRId64 ": no such "
		    "file", r->id);
	for (i = 0; i < 5; i++) {
		if (i == 4) {	/* a held file: spool/hold/PARTNER */
			if (which != OPS_FILE_OUT || hold_dir(hd, sizeof(hd),
			    o->cfg->spool, r->partner) < 0)
				break;
			snprintf(q, sizeof(q), "%s", hd);
		} else if (spool_path(q, sizeof(q), o->cfg->spool, qs[i]) < 0)
			continue;
		if ((dfd = open(q, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC)) < 0)
			continue;
		fd = openat(dfd, f, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK);
		close(dfd);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			return fd;
		close(fd);
	}
	return fail(o, EX_NOINPUT, "transaction %" PRId64 ": %s is in no "
	    "queue now", r->id, f);
}
