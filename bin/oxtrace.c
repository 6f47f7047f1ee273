/*
 * NAME
 *	oxtrace - query the trace table, report, sweep expired transactions
 * SYNOPSIS
 *	oxtrace [-v] [-c FILE] [--db FILE] COMMAND [ARGS]
 *	oxtrace --check-config
 * DESCRIPTION
 *	Commands: status ID, list [filters], report [--csv] [filters],
 *	expire [--now TIME], overflow list|reactivate ID|export ID DIR|
 *	delete ID. See oxtrace(1) for the details; the trace table itself
 *	is described in oxgate-trace(5).
 * EXIT STATUS
 *	0 done; 64 usage; 65 bad argument value; 67 no such transaction;
 *	75 expire: a transaction is left for the next sweep;
 *	69 the trace database cannot be opened; 73 a file cannot be
 *	written; 74 a file operation failed; 78 bad configuration.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "asn1/ber.h"
#include "gw/config.h"
#include "gw/rpt_build.h"
#include "gw/spool.h"
#include "gw/trace.h"
#include "oftp/eerp.h"
#include "util/afile.h"
#include "util/buf.h"
#include "util/log.h"

static struct ox_config	 cfg;
static struct ox_partners partners;
static int		 have_partners;
static struct trace	*db;
static time_t		 now;

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: oxtrace [-v] [-c FILE] [--db FILE] COMMAND [ARGS]\n"
	    "       oxtrace [-c FILE] --check-config\n"
	    "commands:\n"
	    "  status ID              one transaction: fields, history, recipients\n"
	    "                         (ID: row number, MTS, IPM or EDIM identifier)\n"
	    "  list [FILTERS]         one line per transaction\n"
	    "  report [--csv] [FILTERS]  the status report as CSV (RFC 4180)\n"
	    "  expire [--now TIME]    sweep transactions whose timer expired\n"
	    "  overflow list          transactions in spool/overflow\n"
	    "  overflow reactivate ID | export ID DIR | delete ID\n"
	    "filters: --since TIME --until TIME --state STATE --partner NAME\n"
	    "         --dir oftp2x400|x4002oftp\n"
	    "TIME: YYYY-MM-DD[THH:MM[:SS]][Z], @EPOCH, or NUMBER followed by\n"
	    "      m, h or d for that long ago\n");
	exit(code);
}

/* Absolute or relative ("24h" ago) time; -1 if it does not parse. */
static int
parse_when(const char *s, time_t *out)
{
	struct tm tm;
	char	*end;
	long long v;
	const char *rest;

	if (s[0] == '@') {
		v = strtoll(s + 1, &end, 10);
		if (end == s + 1 || *end != '\0')
			return -1;
		*out = (time_t)v;
		return 0;
	}
	v = strtoll(s, &end, 10);
	if (end != s && v >= 0 && end[0] != '\0' && end[1] == '\0' &&
	    strchr("mhd", end[0]) != NULL) {
		*out = now - (time_t)v * (end[0] == 'm' ? 60 :
		    end[0] == 'h' ? 3600 : 86400);
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if ((rest = strptime(s, "%Y-%m-%d", &tm)) == NULL)
		return -1;
	if (*rest == 'T' && (end = strptime(rest + 1, "%H:%M", &tm)) != NULL) {
		rest = end;
		if (*rest == ':' && (end = strptime(rest + 1, "%S", &tm)))
			rest = end;
	}
	if (*rest == 'Z')
		rest++;
	if (*rest != '\0')
		return -1;
	*out = timegm(&tm);
	return 0;
}

static void
iso(time_t t, char *s, size_t n)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL)
		snprintf(s, n, "-");
	else
		strftime(s, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
close_db(void)
{
	trace_close(db);
	db = NULL;
}

/* Closed at exit, log_fatal() included. */
static void
open_db(const char *path)
{
	char	 err[512];

	if (trace_open(path, 0, &db, err, sizeof(err)) < 0)
		log_fatal(EX_UNAVAILABLE, "%s", err);
	atexit(close_db);
}

struct dsnfind {
	const char	*dsn;
	struct trace_row *r;
	int		 found;
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

/*
 * A row by number, by MTS, IPM or EDIM identifier, or by the virtual
 * file name (DSN: the newest such row); exits if none.
 */
static void
find_row(const char *id, struct trace_row *r)
{
	char	*end;
	long long n;
	int	 rc, d;

	n = strtoll(id, &end, 10);
	if (end != id && *end == '\0')
		rc = trace_get(db, n, r);
	else {
		rc = 0;
		for (d = TRACE_OFTP2X400; rc == 0 && d <= TRACE_X4002OFTP; d++)
			if ((rc = trace_find_by_mts_id(db, d, id, r)) == 0 &&
			    (rc = trace_find_by_ipm_id(db, d, id, r)) == 0)
				rc = trace_find_by_edim_id(db, d, id, r);
	}
	if (rc == 0 && strlen(id) <= sizeof(r->oftp.dsn) - 1) {
		struct trace_filter f;
		struct dsnfind df = { id, r, 0 };

		memset(&f, 0, sizeof(f));
		if (trace_list(db, &f, match_dsn, &df) < 0)
			rc = -1;
		else
			rc = df.found;
	}
	if (rc < 0)
		log_fatal(EX_UNAVAILABLE, "%s", trace_error(db));
	if (rc == 0)
		log_fatal(EX_NOUSER, "%s: no such transaction", id);
}

static int
print_event(const struct trace_event *e, void *arg)
{
	char	 t[32];

	(void)arg;
	iso(e->time, t, sizeof(t));
	printf("  %s %-14s %s\n", t, trace_state_name(e->state), e->note);
	return 0;
}

static int
print_rcpt(const struct trace_rcpt *r, void *arg)
{
	char	 t[32];

	(void)arg;
	iso(r->time, t, sizeof(t));
	printf("  %d %s %s %s %s\n", r->seq, r->address,
	    trace_outcome_name(r->outcome), t, r->diag);
	return 0;
}

static int
cmd_status(int argc, char **argv)
{
	struct trace_row r;
	char	 c[32], u[32], d[32];

	if (argc != 2)
		usage(EX_USAGE);
	find_row(argv[1], &r);
	iso(r.created, c, sizeof(c));
	iso(r.updated, u, sizeof(u));
	iso(r.deadline, d, sizeof(d));
	printf("id: %" PRId64 "\ndirection: %s\npartner: %s\nstate: %s\n"
	    "created: %s\nupdated: %s\ndeadline: %s\n"
	    "oftp: dsn=%s date=%s time=%s orig=%s dest=%s\n"
	    "mts-id: %s\nipm-id: %s\nedim-id: %s\n"
	    "eerp-mode: %d\nsigned-eerp: %s\n"
	    "hash: %s %s\nfiles: in=%s out=%s ack=%s\nnote: %s\n",
	    r.id, trace_dir_name(r.dir), r.partner, trace_state_name(r.state),
	    c, u, d, r.oftp.dsn, r.oftp.date, r.oftp.time, r.oftp.orig,
	    r.oftp.dest, r.mts_id, r.ipm_id, r.edim_id, r.eerp_mode,
	    r.eerp_signed ? "yes" : "no", r.hash_alg, r.hash, r.in_file,
	    r.out_file, r.ack_file, r.note);
	printf("history:\n");
	if (trace_history(db, r.id, print_event, NULL) < 0)
		log_fatal(EX_UNAVAILABLE, "%s", trace_error(db));
	printf("recipients:\n");
	if (trace_recipients(db, r.id, print_rcpt, NULL) < 0)
		log_fatal(EX_UNAVAILABLE, "%s", trace_error(db));
	return EX_OK;
}

/* Filter options shared by list and report; returns the next argv index. */
static int
parse_filter(int argc, char **argv, struct trace_filter *f, int *csv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "state", required_argument, NULL, 'S' },
		{ "partner", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "csv", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	memset(f, 0, sizeof(*f));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
		case 'u':
			if (parse_when(optarg, ch == 's' ? &f->since :
			    &f->until) < 0)
				log_fatal(EX_DATAERR, "--%s: bad time '%s'",
				    ch == 's' ? "since" : "until", optarg);
			break;
		case 'S':
			if (trace_state_parse(optarg, &f->state) < 0)
				log_fatal(EX_DATAERR, "--state: unknown state "
				    "'%s'", optarg);
			break;
		case 'p':
			f->partner = optarg;
			break;
		case 'd':
			if (trace_dir_parse(optarg, &f->dir) < 0)
				log_fatal(EX_DATAERR, "--dir: '%s' is not "
				    "oftp2x400 or x4002oftp", optarg);
			break;
		case 'C':
			if (csv == NULL)
				usage(EX_USAGE);
			*csv = 1;
			break;
		default:
			usage(EX_USAGE);
		}
	}
	return optind;
}

static int
list_row(const struct trace_row *r, void *arg)
{
	char	 c[32];

	(void)arg;
	iso(r->created, c, sizeof(c));
	printf("%-6" PRId64 " %-9s %-13s %s %-12s %-26s %s\n", r->id,
	    trace_dir_name(r->dir), trace_state_name(r->state), c,
	    r->partner[0] ? r->partner : "-", r->oftp.dsn[0] ? r->oftp.dsn :
	    "-", r->mts_id[0] ? r->mts_id : "-");
	return 0;
}

static int
cmd_list(int argc, char **argv)
{
	struct trace_filter f;

	if (parse_filter(argc, argv, &f, NULL) != argc)
		usage(EX_USAGE);
	if (trace_list(db, &f, list_row, NULL) < 0)
		log_fatal(EX_UNAVAILABLE, "%s", trace_error(db));
	return EX_OK;
}

static int
csv_row(const struct trace_row *r, void *arg)
{
	struct buf *b = arg;

	buf_reset(b);
	if (trace_csv_row(b, r) < 0)
		return -1;
	fwrite(b->p, 1, b->len, stdout);
	return 0;
}

static int
cmd_report(int argc, char **argv)
{
	struct trace_filter f;
	struct buf b;
	int	 csv = 1;

	if (parse_filter(argc, argv, &f, &csv) != argc)
		usage(EX_USAGE);
	buf_init(&b);
	if (trace_csv_header(&b) < 0)
		log_fatal(EX_SOFTWARE, "CSV header");
	fwrite(b.p, 1, b.len, stdout);
	if (trace_list(db, &f, csv_row, &b) != 0)
		log_fatal(EX_UNAVAILABLE, "%s", trace_error(db));
	buf_free(&b);
	return EX_OK;
}

/* dir/name[suffix] into dst, or exit: a path never silently shortened. */
static void
pjoin(char *dst, size_t n, const char *dir, const char *name,
    const char *suffix)
{
	int	 k = snprintf(dst, n, "%s/%s%s", dir, name, suffix);

	if (k < 0 || (size_t)k >= n)
		log_fatal(EX_SOFTWARE, "%s/%s%s: path too long", dir, name,
		    suffix);
}

/* The output queue of a transaction's converted file. */
static void
out_queue(const struct trace_row *r, char *q, size_t n)
{
	if (spool_path(q, n, cfg.spool, r->dir == TRACE_OFTP2X400 ?
	    SPOOL_X400_OUT : SPOOL_OFTP_OUT) < 0)
		log_fatal(EX_CONFIG, "%s: spool path too long", cfg.spool);
}

/*
 * Move NAME (and NAME.sfid for OFTP files) from one queue to another.
 * The .sfid is the commit marker: leaving a live queue it goes first
 * (the OFTP daemon can no longer take a half-moved pair); entering a
 * live queue it goes last. Returns 1 moved, 0 not there.
 */
static int
move_item(const char *from, const char *to, const char *name, int pair,
    int into_live)
{
	char	 a[SPOOL_PATH_MAX * 2], b[SPOOL_PATH_MAX * 2];
	char	 as[SPOOL_PATH_MAX * 2], bs[SPOOL_PATH_MAX * 2];

	pjoin(a, sizeof(a), from, name, "");
	pjoin(b, sizeof(b), to, name, "");
	pjoin(as, sizeof(as), from, name, ".sfid");
	pjoin(bs, sizeof(bs), to, name, ".sfid");
	if (access(a, F_OK) < 0)
		return 0;
	if (pair && !into_live && rename(as, bs) < 0 && errno != ENOENT)
		log_fatal(EX_IOERR, "%s: %s", as, strerror(errno));
	if (rename(a, b) < 0)
		log_fatal(EX_IOERR, "%s: %s", a, strerror(errno));
	if (pair && into_live && rename(as, bs) < 0 && errno != ENOENT)
		log_fatal(EX_IOERR, "%s: %s", as, strerror(errno));
	if (fsync_dir(from) < 0 || fsync_dir(to) < 0)
		log_fatal(EX_IOERR, "%s: fsync: %s", to, strerror(errno));
	return 1;
}

struct idlist {
	int64_t	*v;
	size_t	 n;
};

static int
collect_id(const struct trace_row *r, void *arg)
{
	struct idlist *l = arg;
	int64_t	*nv;

	if ((nv = reallocarray(l->v, l->n + 1, sizeof(*nv))) == NULL)
		return -1;
	l->v = nv;
	l->v[l->n++] = r->id;
	return 0;
}

static void
set_state(int64_t id, enum trace_state s, time_t deadline, const char *note)
{
	if (trace_record_state(db, id, s, now, deadline, note) < 0)
		log_fatal(EX_UNAVAILABLE, "transaction %" PRId64 ": %s", id,
		    trace_error(db));
}

/* The NERP text of the sweep (OFTP2 NERPREAST). */
#define NERP_DEADLINE_TEXT	"no report before the deadline"

static const struct ox_partner *
partner_named(const char *name)
{
	size_t	 i;

	for (i = 0; have_partners && i < partners.n; i++)
		if (strcmp(partners.p[i].name, name) == 0)
			return &partners.p[i];
	return NULL;
}

/* Hours of the timer that ran out: the deadline minus the creation. */
static long long
timer_hours(const struct trace_row *r)
{
	return r->deadline > r->created ?
	    (long long)(r->deadline - r->created + 1800) / 3600 : 0;
}

/*
 * x4002oftp: the X.400 non-delivery report owed to the originator,
 * committed into spool/x400/out (named after the row: a redo overwrites).
 * 1 written (name set), 0 not owed or not possible (logged, note set),
 * -1 not now (the trace could not be read, the file not written).
 */
static int
expiry_ndr(const struct trace_row *r, const struct ox_partner *p,
    const char *suppl, char *name, size_t namelen, char *note,
    size_t notelen)
{
	struct rpt_target tg;
	struct rpt_outcome oc;
	struct berw	 w;
	struct buf	 b;
	char		 q[SPOOL_PATH_MAX], id[RPT_ID_SZ], why[512];
	int		 rc;

	if ((rc = rpt_target(db, r, p, NULL, &tg, why, sizeof(why))) !=
	    RPT_OK) {
		log_warn("transaction %" PRId64 ": no non-delivery report: %s",
		    r->id, why);
		snprintf(note, notelen, "no NDR: %.200s", why);
		return rc == RPT_TEMP ? -1 : 0;
	}
	memset(&oc, 0, sizeof(oc));
	oc.type = P1_NON_DELIVERY;
	oc.reason = 0;			/* transfer-failure */
	oc.diag = 5;			/* maximum-time-expired */
	oc.suppl = suppl;
	rpt_report_id(r, "expiry", id);
	snprintf(name, namelen, "%s.p1", id);
	berw_init(&w);
	buf_init(&b);
	rc = rpt_build_report(&w, &cfg.gdi, id, &tg, r->created, now, &oc,
	    why, sizeof(why)) == RPT_OK ? 1 : 0;
	if (rc == 1 && (berw_write_buf(&w, &b) != BER_OK || buf_error(&b))) {
		snprintf(why, sizeof(why), "out of memory");
		rc = 0;
	}
	if (rc == 0) {
		log_warn("transaction %" PRId64 ": no non-delivery report: %s",
		    r->id, why);
		snprintf(note, notelen, "no NDR: %.200s", why);
	} else if (spool_path(q, sizeof(q), cfg.spool, SPOOL_X400_OUT) < 0 ||
	    afile_put(q, name, b.p, b.len) < 0) {
		log_error("%.200s/%s: %s", q, name, strerror(errno));
		rc = -1;
	}
	berw_free(&w);
	buf_free(&b);
	return rc;
}

/*
 * oftp2x400, EERP mode 2 or 3: the NERP owed to the OFTP originator,
 * committed into spool/oftp/eerp.out under report2eerp's name for it.
 * 1 written, 0 not possible (logged), -1 not now.
 */
static int
expiry_nerp(const struct trace_row *r, const struct ox_partner *p,
    char *name, size_t namelen)
{
	struct eerp	 e;
	struct buf	 b;
	char		 q[SPOOL_PATH_MAX], err[512];
	const char	*semi;
	size_t		 n;
	int		 level = p != NULL && p->oftp == 14 ? EERP_OFTP14 :
			    EERP_OFTP2, rc = 1;

	eerp_init(&e, 'N', level);
	snprintf(e.dsn, sizeof(e.dsn), "%s", r->oftp.dsn);
	snprintf(e.date, sizeof(e.date), "%s", r->oftp.date);
	snprintf(e.time, sizeof(e.time), "%s", r->oftp.time);
	snprintf(e.dest, sizeof(e.dest), "%s", r->oftp.orig);
	snprintf(e.orig, sizeof(e.orig), "%s", r->oftp.dest);
	snprintf(e.crea, sizeof(e.crea), "%s", r->oftp.dest);
	e.reason = r->eerp_mode == 3 ? 36 : 35;
	if (level == EERP_OFTP2)
		snprintf(e.text, sizeof(e.text), "%s", NERP_DEADLINE_TEXT);
	if (r->eerp_signed)
		log_warn("transaction %" PRId64 ": the NERP of the sweep is "
		    "not signed", r->id);
	buf_init(&b);
	if (eerp_build(&e, &b, err, sizeof(err)) != EERP_OK) {
		log_warn("transaction %" PRId64 ": cannot build the NERP: %s",
		    r->id, err);
		buf_free(&b);
		return 0;
	}
	semi = strrchr(r->mts_id, ';');
	n = semi != NULL ? strcspn(semi + 1, "]") : 0;
	if (n == 0 || n > 200)
		snprintf(name, namelen, "row%" PRId64 ".nerp", r->id);
	else
		snprintf(name, namelen, "%.*s.nerp", (int)n, semi + 1);
	if (spool_path(q, sizeof(q), cfg.spool, SPOOL_OFTP_EERP_OUT) < 0 ||
	    afile_put(q, name, b.p, b.len) < 0) {
		log_error("%.200s/%s: %s", q, name, strerror(errno));
		rc = -1;
	}
	buf_free(&b);
	return rc;
}

/*
 * One transaction whose deadline passed. What is owed is written first
 * (under a name derived from the row, so a sweep that dies half-way and
 * runs again writes the same file once), then the trace says so; a row
 * no longer waiting is not listed again, so a second sweep does nothing.
 * Returns 0 done, -1 left for the next sweep.
 */
static int
expire_one(const struct trace_row *r, size_t *over, size_t *ndrs,
    size_t *nerps)
{
	const struct ox_partner *p = partner_named(r->partner);
	char	 q[SPOOL_PATH_MAX], ov[SPOOL_PATH_MAX], a[SPOOL_PATH_MAX * 2];
	char	 name[SPOOL_PATH_MAX], note[TRACE_NOTE_SZ], suppl[160];
	char	 why[TRACE_NOTE_SZ];
	int	 pair = r->dir == TRACE_X4002OFTP, waiting, agent, rc;

	out_queue(r, q, sizeof(q));
	spool_path(ov, sizeof(ov), cfg.spool, SPOOL_OVERFLOW);
	waiting = 0;
	if (r->out_file[0] != '\0') {
		pjoin(a, sizeof(a), q, r->out_file, "");
		waiting = access(a, F_OK) == 0;
	}
	why[0] = '\0';
	name[0] = '\0';
	if (r->dir == TRACE_OFTP2X400 && (r->eerp_mode == 2 ||
	    r->eerp_mode == 3)) {
		/* the OFTP user waits for an EERP: a NERP ends the wait */
		if ((rc = expiry_nerp(r, p, name, sizeof(name))) < 0)
			return -1;
		if (waiting && move_item(q, ov, r->out_file, 0, 0))
			(*over)++;
		if (rc == 0) {
			set_state(r->id, TRACE_S_EXPIRED, 0, "timer expired; "
			    "the NERP could not be made");
			log_info("transaction %" PRId64 " expired, no NERP",
			    r->id);
			return 0;
		}
		if (trace_record_files(db, r->id, NULL, NULL, name, now) < 0)
			log_warn("transaction %" PRId64 ": %s", r->id,
			    trace_error(db));
		snprintf(note, sizeof(note), "NERP %d %.100s (no report before "
		    "the deadline)%s", r->eerp_mode == 3 ? 36 : 35, name,
		    waiting ? "; the message went to overflow/" : "");
		set_state(r->id, TRACE_S_NERP_SENT, 0, note);
		log_info("transaction %" PRId64 " expired: %s", r->id, note);
		(*nerps)++;
		return 0;
	}
	if (r->dir == TRACE_X4002OFTP) {
		agent = p != NULL && p->mode == PARTNER_AGENT;
		if (!agent)
			snprintf(suppl, sizeof(suppl), "X.400 expiry: maximum "
			    "time of %lld hours expired", timer_hours(r));
		else if (waiting)
			snprintf(suppl, sizeof(suppl), "delivery timeout: the "
			    "OFTP station did not fetch the file within %lld "
			    "hours", timer_hours(r));
		else
			snprintf(suppl, sizeof(suppl), "EERP timeout: no EERP "
			    "from the OFTP station within %lld hours",
			    timer_hours(r));
		if (r->no_ndr)
			snprintf(why, sizeof(why), "%.150s; no NDR: the "
			    "originator asked for no report", suppl);
		else if (agent && r->dn_req)
			snprintf(why, sizeof(why), "%.150s; no NDR: a "
			    "delivery report was sent (agent mode)", suppl);
		else {
			rc = expiry_ndr(r, p, suppl, name, sizeof(name), why,
			    sizeof(why));
			if (rc < 0)
				return -1;
			if (rc == 1) {
				if (trace_record_files(db, r->id, NULL, NULL,
				    name, now) < 0)
					log_warn("transaction %" PRId64 ": %s",
					    r->id, trace_error(db));
				snprintf(why, sizeof(why), "%.150s; NDR %.64s",
				    suppl, name);
				(*ndrs)++;
			}
		}
	} else
		snprintf(why, sizeof(why), "timer expired");
	set_state(r->id, TRACE_S_EXPIRED, 0, why);
	if (waiting && move_item(q, ov, r->out_file, pair, 0)) {
		set_state(r->id, TRACE_S_OVERFLOW, 0, "not collected");
		log_info("transaction %" PRId64 " expired (%s), %s moved to "
		    "%s", r->id, why, r->out_file, ov);
		(*over)++;
	} else
		log_info("transaction %" PRId64 " expired (%s)", r->id, why);
	return 0;
}

/*
 * Expiry sweep (the timers): see expire_one() and oxtrace(1).
 */
static int
cmd_expire(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct idlist l = { NULL, 0 };
	struct trace_row r;
	char	 err[CONFIG_ERR_MAX];
	size_t	 i, over = 0, ndrs = 0, nerps = 0, left = 0;
	int	 ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'n')
			usage(EX_USAGE);
		if (parse_when(optarg, &now) < 0)
			log_fatal(EX_DATAERR, "--now: bad time '%s'", optarg);
	}
	if (optind != argc)
		usage(EX_USAGE);
	if (partners_load(cfg.partners, &partners, err, sizeof(err)) !=
	    CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	have_partners = 1;
	if (trace_list_expired(db, now, collect_id, &l) < 0)
		log_fatal(EX_UNAVAILABLE, "%s", trace_error(db));
	for (i = 0; i < l.n; i++) {
		if (trace_get(db, l.v[i], &r) != 1 ||
		    !trace_state_waiting(r.state))
			continue;
		if (expire_one(&r, &over, &ndrs, &nerps) < 0)
			left++;
	}
	log_info("expire: %zu expired, %zu moved to overflow, %zu NDR, "
	    "%zu NERP, %zu left for the next sweep", l.n - left, over, ndrs,
	    nerps, left);
	free(l.v);
	partners_free(&partners);
	have_partners = 0;
	return left > 0 ? EX_TEMPFAIL : EX_OK;
}

static void
need_overflow(const char *id, struct trace_row *r)
{
	find_row(id, r);
	if (r->state != TRACE_S_OVERFLOW)
		log_fatal(EX_DATAERR, "transaction %" PRId64 " is %s, not in "
		    "overflow", r->id, trace_state_name(r->state));
}

/* Copy one file into dir, atomically (DIR/.NAME.part, then rename). */
static void
copy_out(const char *from, const char *dir, const char *name)
{
	char	 src[SPOOL_PATH_MAX * 2], tmp[SPOOL_PATH_MAX * 2];
	char	 dst[SPOOL_PATH_MAX * 2], chunk[65536];
	ssize_t	 n;
	int	 in, out;

	pjoin(src, sizeof(src), from, name, "");
	pjoin(tmp, sizeof(tmp), dir, ".", name);
	pjoin(dst, sizeof(dst), dir, name, "");
	if ((in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return;
		log_fatal(EX_IOERR, "%s: %s", src, strerror(errno));
	}
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0)
		log_fatal(EX_CANTCREAT, "%s: %s", tmp, strerror(errno));
	while ((n = read(in, chunk, sizeof(chunk))) > 0)
		if (write_all(out, chunk, (size_t)n) < 0)
			break;
	if (n != 0 || fsync(out) < 0 || close(out) < 0 ||
	    rename(tmp, dst) < 0) {
		unlink(tmp);
		log_fatal(EX_IOERR, "%s: %s", dst, strerror(errno));
	}
	close(in);
}

static int
cmd_overflow(int argc, char **argv)
{
	struct trace_filter f;
	struct trace_row r;
	struct buf b;
	char	 ov[SPOOL_PATH_MAX], q[SPOOL_PATH_MAX], name[SPOOL_PATH_MAX * 2];
	int	 pair;

	if (argc < 2)
		usage(EX_USAGE);
	spool_path(ov, sizeof(ov), cfg.spool, SPOOL_OVERFLOW);
	if (strcmp(argv[1], "list") == 0 && argc == 2) {
		memset(&f, 0, sizeof(f));
		f.state = TRACE_S_OVERFLOW;
		if (trace_list(db, &f, list_row, NULL) < 0)
			log_fatal(EX_UNAVAILABLE, "%s", trace_error(db));
		return EX_OK;
	}
	if (argc < 3)
		usage(EX_USAGE);
	need_overflow(argv[2], &r);
	pair = r.dir == TRACE_X4002OFTP;
	if (strcmp(argv[1], "reactivate") == 0 && argc == 3) {
		out_queue(&r, q, sizeof(q));
		if (!move_item(ov, q, r.out_file, pair, 1))
			log_fatal(EX_NOINPUT, "%s/%s: not there", ov,
			    r.out_file);
		set_state(r.id, TRACE_S_RECEIVED, 0, "reactivated");
		set_state(r.id, TRACE_S_CONVERTED, now +
		    (time_t)cfg.expiry[CONFIG_PRIO_NORMAL] * 3600,
		    "back in the output queue");
		log_info("transaction %" PRId64 ": %s back in %s", r.id,
		    r.out_file, q);
	} else if (strcmp(argv[1], "export") == 0 && argc == 4) {
		copy_out(ov, argv[3], r.out_file);
		if (pair) {
			pjoin(name, sizeof(name), ".", r.out_file, ".sfid");
			copy_out(ov, argv[3], name + 2);
		}
		buf_init(&b);
		if (trace_csv_header(&b) < 0 || trace_csv_row(&b, &r) < 0 ||
		    buf_error(&b))
			log_fatal(EX_SOFTWARE, "CSV of transaction %" PRId64,
			    r.id);
		pjoin(name, sizeof(name), argv[3], r.out_file, ".csv");
		{
			FILE *fp = fopen(name, "w");

			if (fp == NULL || fwrite(b.p, 1, b.len, fp) != b.len ||
			    fclose(fp) != 0)
				log_fatal(EX_CANTCREAT, "%s: %s", name,
				    strerror(errno));
		}
		buf_free(&b);
	} else if (strcmp(argv[1], "delete") == 0 && argc == 3) {
		pjoin(name, sizeof(name), ov, r.out_file, ".sfid");
		if (pair && unlink(name) < 0 && errno != ENOENT)
			log_fatal(EX_IOERR, "%s: %s", name, strerror(errno));
		pjoin(name, sizeof(name), ov, r.out_file, "");
		if (unlink(name) < 0 && errno != ENOENT)
			log_fatal(EX_IOERR, "%s: %s", name, strerror(errno));
		set_state(r.id, TRACE_S_DELETED, 0, "deleted by operator");
	} else
		usage(EX_USAGE);
	return EX_OK;
}

static int
check_config(const char *path)
{
	struct ox_partners ps;
	char	 err[CONFIG_ERR_MAX];

	if (config_load(path, &cfg, err, sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	if (partners_load(cfg.partners, &ps, err, sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	printf("%s: ok\n%s: ok, %zu partners\n", cfg.path, cfg.partners,
	    ps.n);
	partners_free(&ps);
	return EX_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'D' },
		{ "check-config", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf = NULL, *dbpath = NULL;
	char	 err[CONFIG_ERR_MAX];
	int	 ch, verbose = 0, check = 0, rc;

	log_open(argv[0], 0, 0);
	now = time(NULL);
	while ((ch = getopt_long(argc, argv, "+c:v", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'D':
			dbpath = optarg;
			break;
		case 'K':
			check = 1;
			break;
		case 'v':
			log_set_verbose(++verbose);
			break;
		case 'h':
			usage(0);
			break;
		case 'V':
			printf("oxtrace %s\n", OX_VERSION);
			return 0;
		default:
			usage(EX_USAGE);
		}
	}
	if (conf == NULL)
		conf = config_default_path();
	if (check)
		return check_config(conf);
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(EX_USAGE);
	/* The database alone is enough for the queries. */
	config_init(&cfg);
	if ((dbpath == NULL || strcmp(argv[0], "expire") == 0 ||
	    strcmp(argv[0], "overflow") == 0) &&
	    config_load(conf, &cfg, err, sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	open_db(dbpath != NULL ? dbpath : cfg.tracedb);
	if (strcmp(argv[0], "status") == 0)
		rc = cmd_status(argc, argv);
	else if (strcmp(argv[0], "list") == 0)
		rc = cmd_list(argc, argv);
	else if (strcmp(argv[0], "report") == 0)
		rc = cmd_report(argc, argv);
	else if (strcmp(argv[0], "expire") == 0)
		rc = cmd_expire(argc, argv);
	else if (strcmp(argv[0], "overflow") == 0)
		rc = cmd_overflow(argc, argv);
	else {
		log_error("unknown command '%s'", argv[0]);
		usage(EX_USAGE);
	}
	close_db();
	return rc;
}
