/*
 * NAME
 *	oxtrace - query the trace table, report, sweep expired transactions
 * SYNOPSIS
 *	oxtrace [-v] [-c FILE] [--db FILE] COMMAND [ARGS]
 *	oxtrace --check-config
 * DESCRIPTION
 *	Commands: status ID, list [filters], report [--csv] [filters],
 *	deferred, expire [--now TIME], overflow list|reactivate ID|export ID DIR|
 *	delete ID, partner list|show|hold|release|divert|undivert NAME
 *	[--note TEXT] (hold NAME --until TIME: ended by the next expire
 *	after TIME; the actions: gw/ops),
 *	status-files [--partner NAME] [--now TIME], migrate [--to DB]. See
 *	oxtrace(1) for the details; the trace table itself is described in
 *	oxgate-trace(5).
 * EXIT STATUS
 *	0 done; 64 usage; 65 bad argument value; 67 no such transaction or
 *	partnership;
 *	75 expire: a transaction is left for the next sweep;
 *	69 the trace database cannot be opened; 73 a file cannot be
 *	written; 74 a file operation failed; 78 bad configuration.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "asn1/ber.h"
#include "gw/config.h"
#include "gw/db.h"
#include "gw/edipart.h"
#include "gw/gw.h"
#include "gw/hold.h"
#include "gw/ops.h"
#include "gw/outbox.h"
#include "gw/rpt_build.h"
#include "spool/spool.h"
#include "gw/trace.h"
#include "oftp/eerp.h"
#include "oftp/sfid.h"
#include "util/clock.h"
#include "util/afile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/opt.h"

static struct ox_config	 cfg;
static struct ox_partners partners;
static int		 have_partners;
static struct trace	*db;
static const char	*db_path;	/* of db */
static time_t		 now;
static struct outbox	 ob;		/* the outputs of one step */
static struct ops	 ops;		/* the operator's actions (gw/ops) */

static void	 release_due_holds(void);

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
	    "  deferred               inputs that failed temporarily: attempts,\n"
	    "                         first, last failure, next try, last error\n"
	    "  expire [--now TIME]    sweep transactions whose timer expired\n"
	    "                         (TIME may also be +NUMBER[mhd] ahead)\n"
	    "  overflow list          transactions in spool/overflow\n"
	    "  overflow reactivate ID | export ID DIR | delete ID\n"
	    "  partner list | show NAME   partnerships: active, hold, divert\n"
	    "  partner hold|release|divert|undivert NAME [--note TEXT]\n"
	    "  partner hold NAME --until TIME   a hold that ends by itself\n"
	    "  reprocess ID           a failed transaction made anew: its input,\n"
	    "                         moved back from failed/, is converted again\n"
	    "  status-files [--partner NAME] [--now TIME]\n"
	    "                         the status files for the OFTP stations\n"
	    "  migrate                bring an existing trace database to this\n"
	    "                         version's schema (none is made)\n"
	    "  migrate --to DB        and copy it into the new database DB\n"
	    "                         (postgresql:CONNINFO)\n"
	    "filters: --since TIME --until TIME --state STATE --partner NAME\n"
	    "         --dir oftp2x400|x4002oftp\n"
	    "TIME: YYYY-MM-DD[THH:MM[:SS]][Z], @EPOCH, or [-]NUMBER followed by\n"
	    "      m, h or d for that long ago, +NUMBER[mhd] for that long ahead\n");
	exit(code);
}

/* A time (clock_parse()) relative to this run's now. */
static int
parse_when_rel(const char *s, time_t *out, int *rel)
{
	return clock_parse(s, now, out, rel);
}

static int
parse_when(const char *s, time_t *out)
{
	return parse_when_rel(s, out, NULL);
}

static void
close_db(void)
{
	trace_close(db);
	db = NULL;
}

static void
free_partners(void)
{
	if (have_partners)
		partners_free(&partners);
	have_partners = 0;
}

/* partners.ini, loaded once; freed at exit, log_fatal() included. */
static void
load_partners(void)
{
	char	 err[CONFIG_ERR_MAX];

	if (have_partners)
		return;
	if (partners_load(cfg.partners, &partners, err, sizeof(err)) !=
	    CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	have_partners = 1;
	ops.partners = &partners;
	atexit(free_partners);
}

/* Closed at exit, log_fatal() included. */
static void
open_db(const char *path)
{
	char	 err[512];

	if (trace_open(path, 0, &db, err, sizeof(err)) < 0)
		log_fatal(EX_TEMPFAIL, "%s", err);
	atexit(close_db);
}

/* ops.o failed: the one log line and its exit status. */
static void
ops_fatal(void)
{
	log_fatal(ops.code, "%s", ops.err);
}

static void
ops_say(const char *msg)
{
	log_info("%s", msg);
}

/* What an action of ops says it did and warns about. */
static void
ops_log(void)
{
	if (ops.warn[0] != '\0')
		log_warn("%s", ops.warn);
	if (ops.info[0] != '\0')
		log_info("%s", ops.info);
	ops.warn[0] = ops.info[0] = '\0';
}

/*
 * A row by number, by MTS, IPM or EDIM identifier, or by the virtual
 * file name (DSN: the newest such row); exits if none.
 */
static void
find_row(const char *id, struct trace_row *r)
{
	if (ops_find(&ops, id, r) < 0)
		ops_fatal();
}

static int
print_event(const struct trace_event *e, void *arg)
{
	char	 t[32];

	(void)arg;
	clock_iso(e->time, t, sizeof(t));
	printf("  %s %-14s %s\n", t, trace_state_name(e->state), e->note);
	return 0;
}

static int
print_rcpt(const struct trace_rcpt *r, void *arg)
{
	char	 t[32];

	(void)arg;
	clock_iso(r->time, t, sizeof(t));
	printf("  %d %s %s %s %s\n", r->seq, r->address,
	    trace_outcome_name(r->outcome), t, r->diag);
	return 0;
}

static int
print_tx_rcpt(const struct trace_rcpt *r, void *arg)
{
	(void)arg;
	printf("    recipient %s\n", r->address);
	return 0;
}

/* One transaction of a message: its recipient's file and state. */
static int
print_tx(const struct trace_row *r, void *arg)
{
	char	 d[32];

	(void)arg;
	clock_iso(r->deadline, d, sizeof(d));
	printf("  %" PRId64 " rcpt=%" PRId64 " partner=%s state=%s "
	    "deadline=%s oftp=%s/%s/%s/%s file=%s\n", r->id, r->rcpt,
	    r->partner, trace_state_name(r->state), d, r->oftp.dsn,
	    r->oftp.date, r->oftp.time, r->oftp.dest, r->out_file);
	return trace_recipients(db, r->id, print_tx_rcpt, NULL) < 0 ? -1 : 0;
}

static int
cmd_status(int argc, char **argv)
{
	struct trace_row r;
	char	 c[32], u[32], d[32];

	if (argc != 2)
		usage(EX_USAGE);
	find_row(argv[1], &r);
	clock_iso(r.created, c, sizeof(c));
	clock_iso(r.updated, u, sizeof(u));
	clock_iso(r.deadline, d, sizeof(d));
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
		log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
	printf("recipients:\n");
	if (trace_recipients(db, r.id, print_rcpt, NULL) < 0)
		log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
	/* x4002oftp: a transaction per recipient's file (schema 8) */
	if (r.dir == TRACE_X4002OFTP && r.mts_id[0] != '\0') {
		printf("transactions of the message:\n");
		if (trace_list_message(db, r.dir, r.mts_id, print_tx, NULL) < 0)
			log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
	}
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
	clock_iso(r->created, c, sizeof(c));
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
		log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
	return EX_OK;
}

static int
deferred_row(const struct trace_deferral *d, void *arg)
{
	char	 f[32], l[32], n[32];

	(void)arg;
	clock_iso(d->first, f, sizeof(f));
	clock_iso(d->last, l, sizeof(l));
	clock_iso(d->next_try, n, sizeof(n));
	printf("%-14s %-40s %8u %s %s %s %s\n", d->queue, d->name,
	    d->attempts, f, l, n, d->error[0] ? d->error : "-");
	return 0;
}

/* deferred: the inputs that failed temporarily, with their attempts. */
static int
cmd_deferred(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		usage(EX_USAGE);
	printf("%-14s %-40s %8s %-20s %-20s %-20s %s\n", "QUEUE", "NAME",
	    "ATTEMPTS", "FIRST", "LAST", "NEXT-TRY", "LAST-ERROR");
	if (trace_deferrals(db, deferred_row, NULL) < 0)
		log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
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
		log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
	buf_free(&b);
	return EX_OK;
}

/* The output queue of a transaction's converted file. */
static void
out_queue(const struct trace_row *r, char *q, size_t n)
{
	if (ops_out_queue(&ops, r, q, n) < 0)
		ops_fatal();
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

/* The NERP text of the sweep (OFTP2 NERPREAST). */
#define NERP_DEADLINE_TEXT	"no report before the deadline"

static const struct ox_partner *
partner_named(const char *name)
{
	return have_partners ? partner_by_name(&partners, name) : NULL;
}

/* Hours of the timer that ran out: the deadline minus the creation. */
static long long
timer_hours(const struct trace_row *r)
{
	return r->deadline > r->created ?
	    (long long)(r->deadline - r->created + 1800) / 3600 : 0;
}

/*
 * The tail of expiry_ndr() and expiry_edin(): the PDU built in w (built:
 * 1, else why says what failed) into spool/x400/out/NAME. 1 written, 0
 * not possible (logged, note set: "no WHAT: why"), -1 not now.
 */
static int
expiry_put(const struct trace_row *r, const char *what, int built,
    struct berw *w, const char *name, char *why, size_t whylen, char *note,
    size_t notelen)
{
	struct buf	 b;
	int		 rc = built;

	buf_init(&b);
	if (rc == 1 && (berw_write_buf(w, &b) != BER_OK || buf_error(&b))) {
		snprintf(why, whylen, "out of memory");
		rc = 0;
	}
	if (rc == 0) {
		log_warn("transaction %" PRId64 ": no %s: %s", r->id, what,
		    why);
		snprintf(note, notelen, "no %s: %.200s", what, why);
	} else if (outbox_put(&ob, spool_queue_name(SPOOL_X400_OUT), name,
	    b.p, b.len) < 0) {
		log_error("%s/%s/tmp: %s", cfg.spool,
		    spool_queue_name(SPOOL_X400_OUT), strerror(errno));
		rc = -1;
	}
	buf_free(&b);
	return rc;
}

/*
 * x4002oftp: the X.400 non-delivery report owed to the originator,
 * staged for spool/x400/out (named after the row).
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
	char		 id[RPT_ID_SZ], why[512];
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
	rpt_report_id(cfg.mta_designator, r, "expiry", id);
	if ((rc = rpt_expiry_ndr(db, cfg.mta_designator, r, name,
	    namelen)) != 0) {
		if (rc < 0)
			log_error("transaction %" PRId64 ": %s", r->id,
			    trace_error(db));
		/* reactivated and expired again: one NDR per message */
		snprintf(note, notelen, "no NDR: sent at an earlier expiry "
		    "(%.64s)", name);
		return rc < 0 ? -1 : 0;
	}
	berw_init(&w);
	rc = expiry_put(r, "NDR", rpt_build_report(&w, &cfg.gdi, id, &tg,
	    r->created, now, &oc, why, sizeof(why)) == RPT_OK, &w, name, why,
	    sizeof(why), note, notelen);
	berw_free(&w);
	return rc;
}

/*
 * x4002oftp, an EDIM whose originator asked for NN and got no EDIN yet:
 * the negative EDI notification (X.435) the timer owes, from the OFTP
 * station's O/R address to the EDIM originator, reason EDI-UA
 * delivery-timeout (2), as eerp2report maps NERP 36 (not acknowledged):
 * the gateway, the station's EDI-UA, cannot say the interchange reached
 * its user in time. Staged for spool/x400/out under the identifier of
 * kind "expiry-edin" (ROW|MTS).
 * 1 written (name set), 0 not possible (logged, note set), -1 not now.
 */
static int
expiry_edin(const struct trace_row *r, const struct ox_partner *p,
    int waiting, char *name, size_t namelen, char *note, size_t notelen)
{
	struct rpt_target tg;
	struct rpt_edin	 e;
	struct p35_edimid subject;
	struct berw	 w, content;
	char		 id[RPT_ID_SZ], why[512];
	char		 suppl[160];
	int		 rc;

	if ((rc = rpt_target(db, r, p, r->oftp.dest, &tg, why,
	    sizeof(why))) != RPT_OK) {
		log_warn("transaction %" PRId64 ": no negative EDIN: %s",
		    r->id, why);
		snprintf(note, notelen, "no EDIN: %.200s", why);
		return rc == RPT_TEMP ? -1 : 0;
	}
	if (!tg.has_ipm || rpt_edimid_from(&tg.subject_ipm, &subject) < 0) {
		log_warn("transaction %" PRId64 ": no negative EDIN: EDIM "
		    "identifier '%.300s' has no originator part", r->id,
		    r->edim_id);
		snprintf(note, notelen, "no EDIN: the EDIM identifier has no "
		    "originator part");
		return 0;
	}
	if (waiting)
		snprintf(suppl, sizeof(suppl), "delivery timeout: the OFTP "
		    "station did not fetch the file within %lld hours",
		    timer_hours(r));
	else
		snprintf(suppl, sizeof(suppl), "EERP timeout: no end-to-end "
		    "response (EERP) from the OFTP station within %lld hours",
		    timer_hours(r));
	memset(&e, 0, sizeof(e));
	e.kind = P35_NN;
	e.source = P35_RC_UA_MS;
	e.basic = P35_NN_UA_DELIVERY_TIMEOUT;
	e.suppl = suppl;
	rpt_report_id(cfg.mta_designator, r, "expiry-edin", id);
	snprintf(name, namelen, "%s.p1", id);
	berw_init(&w);
	berw_init(&content);
	rc = expiry_put(r, "EDIN", rpt_build_edin(&w, &content, &cfg.gdi, id,
	    &subject, &tg.originator, &tg.station, &tg.station, now, &e, why,
	    sizeof(why)) == RPT_OK, &w, name, why, sizeof(why), note, notelen);
	berw_free(&content);
	berw_free(&w);
	return rc;
}

/*
 * oftp2x400, EERP mode 2 or 3: the NERP owed to the OFTP originator,
 * staged for spool/oftp/eerp.out under report2eerp's name for it.
 * 1 written, 0 not possible (logged), -1 not now.
 */
static int
expiry_nerp(const struct trace_row *r, const struct ox_partner *p,
    char *name, size_t namelen)
{
	struct eerp	 e;
	struct buf	 b;
	char		 err[512];
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
	eerp_set_text(&e, NERP_DEADLINE_TEXT);
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
	if (outbox_put(&ob, spool_queue_name(SPOOL_OFTP_EERP_OUT), name, b.p,
	    b.len) < 0) {
		log_error("%s/%s/tmp: %s", cfg.spool,
		    spool_queue_name(SPOOL_OFTP_EERP_OUT), strerror(errno));
		rc = -1;
	}
	buf_free(&b);
	return rc;
}

/* Whether NAME is in dir; -1 (logged) when that cannot be told. */
static int
present(const char *dir, const char *name)
{
	int	 rc = ops_present(&ops, dir, name);

	if (rc < 0)
		log_error("%s", ops.err);
	return rc;
}

/* Publish what a process that died after its trace commit left in tmp/. */
static void
recover_outputs(void)
{
	char	 err[512];
	size_t	 n;

	if (outbox_recover(cfg.spool, db, &n, err, sizeof(err)) < 0)
		log_fatal(EX_TEMPFAIL, "%s: publishing outputs committed "
		    "before: %s", cfg.spool, err);
	if (n > 0)
		log_warn("%s: published %zu output%s committed by a process "
		    "that ended before it could", cfg.spool, n, n == 1 ? "" :
		    "s");
}

/* A state change inside the sweep's transaction. */
static int
sweep_state(int64_t id, enum trace_state s, const char *note)
{
	if (trace_record_state(db, id, s, now, 0, note) == 0)
		return 0;
	log_error("transaction %" PRId64 ": %s", id, trace_error(db));
	return -1;
}

/*
 * x4002oftp, agent mode, after a delivery report (the file was handed to
 * the OFTP side): the non-receipt notification an originator who asked
 * for a receipt is owed when the station neither fetched the file nor
 * sent its EERP in time (seed: "RN/NRN -> Auswertung der EERP/NERP";
 * X.420 NonReceiptReason ipm-discarded, DiscardReason ipm-expired).
 * 1 written (name set), 0 not possible (logged, note set), -1 not now.
 */
static int
expiry_nrn(const struct trace_row *r, const struct ox_partner *p,
    char *name, size_t namelen, char *note, size_t notelen)
{
	struct rpt_target tg;
	struct berw	 w, content;
	char		 id[RPT_ID_SZ], why[512];
	int		 rc;

	if ((rc = rpt_target(db, r, p, r->oftp.dest, &tg, why,
	    sizeof(why))) != RPT_OK || !tg.has_ipm) {
		if (rc == RPT_OK)
			snprintf(why, sizeof(why), "no IPM identifier");
		log_warn("transaction %" PRId64 ": no non-receipt notification: "
		    "%s", r->id, why);
		snprintf(note, notelen, "no NRN: %.200s", why);
		return rc == RPT_TEMP ? -1 : 0;
	}
	rpt_report_id(cfg.mta_designator, r, "expiry-nrn", id);
	snprintf(name, namelen, "%s.p1", id);
	berw_init(&w);
	berw_init(&content);
	rc = expiry_put(r, "NRN", rpt_build_ipn(&w, &content, &cfg.gdi, id,
	    &tg, 0, 1, now, NULL, why, sizeof(why)) == RPT_OK, &w, name, why,
	    sizeof(why), note, notelen);
	berw_free(&content);
	berw_free(&w);
	return rc;
}

/* Counts of one sweep, for its last log line. */
struct sweep {
	size_t	 expired, over, ndrs, nrns, nerps, edins, sent, eerps, left;
};

/*
 * The report owed by the expiry of an x4002oftp row (suppl: why): none
 * when the originator asked for none; in agent mode after a delivery
 * report (asked for, and the file was not diverted: that one waits for
 * the file to leave) the NRN asked for (*ndr 2), or nothing more;
 * otherwise the NDR (*ndr 1). 0, or -1 not now.
 */
static int
expiry_owed(const struct trace_row *r, const struct ox_partner *p,
    const char *suppl, char *why, char *name, int *ndr)
{
	int	 agent = p != NULL && p->mode == PARTNER_AGENT, rc;

	if (r->no_ndr) {
		snprintf(why, TRACE_NOTE_SZ, "%.150s; no NDR: the originator "
		    "asked for no report", suppl);
		return 0;
	}
	if (agent && r->dn_req && r->state != TRACE_S_DIVERTED) {
		if (!r->rn_req || r->ipm_id[0] == '\0') {
			snprintf(why, TRACE_NOTE_SZ, "%.150s; no NDR: a "
			    "delivery report was sent (agent mode)", suppl);
			return 0;
		}
		if ((rc = expiry_nrn(r, p, name, SPOOL_PATH_MAX, why,
		    TRACE_NOTE_SZ)) == 1) {
			snprintf(why, TRACE_NOTE_SZ, "%.120s; DR sent (agent "
			    "mode): NRN %.64s", suppl, name);
			*ndr = 2;
		}
		return rc < 0 ? -1 : 0;
	}
	if ((rc = expiry_ndr(r, p, suppl, name, SPOOL_PATH_MAX, why,
	    TRACE_NOTE_SZ)) < 0)
		return -1;
	if (rc == 1) {
		snprintf(why, TRACE_NOTE_SZ, "%.150s; NDR %.64s", suppl, name);
		*ndr = 1;
	}
	return 0;
}

/*
 * The expiry of a message converted from X.400 (why: the trace note):
 * the report owed (expiry_owed(): name staged, *ndr 1 NDR, 2 NRN), and
 * the negative EDIN an EDIM's originator asked for (ename, *edin 1).
 * 0, or -1 (logged).
 */
static int
expiry_x400(const struct trace_row *r, const struct ox_partner *p,
    int waiting, char *why, char *name, char *ename, int *ndr, int *edin)
{
	char	 suppl[160], enote[TRACE_NOTE_SZ];
	size_t	 l;
	int	 agent, rc;

	agent = p != NULL && p->mode == PARTNER_AGENT;
	if (!agent)
		snprintf(suppl, sizeof(suppl), "X.400 expiry: maximum "
		    "time of %lld hours expired", timer_hours(r));
	else if (waiting)
		snprintf(suppl, sizeof(suppl), "delivery timeout: the "
		    "OFTP station did not fetch the file within %u hours",
		    partner_timer(&cfg, p, CONFIG_TIMER_DELIVERY));
	else
		snprintf(suppl, sizeof(suppl), "EERP timeout: no EERP "
		    "from the OFTP station within %u hours",
		    partner_timer(&cfg, p, CONFIG_TIMER_EERP));
	if (expiry_owed(r, p, suppl, why, name, ndr) < 0)
		return -1;
	if (r->ipm_id[0] == '\0' && r->edim_id[0] != '\0' &&
	    (r->edin_req & P35_NR_NN) != 0 && r->edin_sent[0] == '\0') {
		if ((rc = expiry_edin(r, p, waiting, ename,
		    SPOOL_PATH_MAX, enote, sizeof(enote))) < 0)
			return -1;
		if (rc == 1) {
			snprintf(enote, sizeof(enote), "EDIN NN %.64s",
			    ename);
			*edin = 1;
		}
		l = strlen(why);
		snprintf(why + l, TRACE_NOTE_SZ - l, "; %.96s", enote);
	}
	return 0;
}

/*
 * Where the file of a row waits: its output queue, for an x4002oftp row
 * also hold/PARTNER (into from: 1), or overflow/ (2); 0 gone (taken by
 * the OFTP daemon or the MTA); -1 not known (logged).
 */
static int
locate(const struct trace_row *r, char *from, size_t n)
{
	char	 ov[SPOOL_PATH_MAX];
	int	 rc;

	if (r->out_file[0] == '\0')
		return 0;
	out_queue(r, from, n);
	if ((rc = present(from, r->out_file)) != 0)
		return rc;
	if (r->dir == TRACE_X4002OFTP && r->partner[0] != '\0' &&
	    hold_dir(from, n, cfg.spool, r->partner) == 0 &&
	    (rc = present(from, r->out_file)) != 0)
		return rc;
	spool_path(ov, sizeof(ov), cfg.spool, SPOOL_OVERFLOW);
	if ((rc = present(ov, r->out_file)) == 1)
		return 2;
	return rc;
}

/*
 * Agent mode: a file gone from oftp/out (or hold/) at its delivery
 * deadline was taken by the OFTP daemon, which did not say when
 * (oxspool done does): it counts as sent at that deadline, the latest
 * it can have been, and the EERP timer runs from there. 1 recorded
 * (sent, not expired), 0 not so (expire it), -1 left for the next sweep.
 */
static int
expiry_sent(const struct trace_row *r, const struct ox_partner *p)
{
	struct trace_row cur;
	char	 note[TRACE_NOTE_SZ], when[32];
	time_t	 until;

	if (r->dir != TRACE_X4002OFTP || p == NULL || p->mode !=
	    PARTNER_AGENT || (r->state != TRACE_S_CONVERTED && r->state !=
	    TRACE_S_HELD))
		return 0;
	until = r->deadline + 3600 * (time_t)partner_timer(&cfg, p,
	    CONFIG_TIMER_EERP);
	if (until <= now)
		return 0;
	clock_iso(until, when, sizeof(when));
	snprintf(note, sizeof(note), "taken by the OFTP daemon before its "
	    "delivery deadline; waiting for the EERP until %s", when);
	if (trace_batch_begin(db) < 0 || trace_get(db, r->id, &cur) != 1 ||
	    (cur.state == r->state && trace_record_state(db, r->id,
	    TRACE_S_SENT, now, until, note) < 0) || trace_batch_commit(db) <
	    0) {
		log_error("transaction %" PRId64 ": %s", r->id, trace_error(db));
		trace_batch_rollback(db);
		return -1;
	}
	log_info("transaction %" PRId64 ": %s", r->id, note);
	return 1;
}

/* The trace part of expire_one(), inside its batch. 0, or -1. */
static int
expiry_record(const struct trace_row *r, int nerp, int ndr, int edin,
    int waiting, const char *name, const char *ename, const char *why,
    char *note, size_t notelen)
{
	if (nerp == 1) {
		snprintf(note, notelen, "NERP %d %.100s (no report before the "
		    "deadline)%s", r->eerp_mode == 3 ? 36 : 35, name, waiting ?
		    "; the message went to overflow/" : "");
		return trace_record_files(db, r->id, NULL, NULL, name, now) <
		    0 || sweep_state(r->id, TRACE_S_NERP_SENT, note) < 0 ? -1 :
		    0;
	}
	if (nerp == 0)
		return sweep_state(r->id, TRACE_S_EXPIRED, "timer expired; the "
		    "NERP could not be made");
	if ((ndr && trace_record_files(db, r->id, NULL, NULL, name, now) < 0) ||
	    (edin && (trace_record_edin_sent(db, r->id, "NN", now) < 0 ||
	    (!ndr && trace_record_files(db, r->id, NULL, NULL, ename,
	    now) < 0))) || sweep_state(r->id, TRACE_S_EXPIRED, why) < 0 ||
	    (waiting && sweep_state(r->id, TRACE_S_OVERFLOW,
	    "not collected") < 0))
		return -1;
	return 0;
}

/*
 * One transaction whose deadline passed, in the order of
 * oxgate-spool(5), "Commit order": what is owed (NERP, NDR, NRN, EDIN)
 * is staged; the file not collected (in its output queue or hold/)
 * moves to overflow/ (before the commit: from then on nobody fetches
 * it); one trace transaction checks that the row still waits (an answer
 * may have come meanwhile), records the state, the files and the staged
 * outputs; then they are published. A sweep killed anywhere and run
 * again ends the same, with each output once: before the commit the row
 * still waits and its file is found in overflow/ (so it counts as not
 * collected); after it, the row no longer waits and the outputs are
 * published by outbox_recover() at the start of the next sweep. In
 * agent mode a file taken before its delivery deadline is sent first
 * (expiry_sent()). Returns 0 done, -1 left for the next sweep.
 */
static int
expire_one(const struct trace_row *r, struct sweep *sw)
{
	const struct ox_partner *p = partner_named(r->partner);
	struct trace_row now_row;
	char	 q[SPOOL_PATH_MAX], ov[SPOOL_PATH_MAX], err[512];
	char	 name[SPOOL_PATH_MAX], note[TRACE_NOTE_SZ];
	char	 why[TRACE_NOTE_SZ], ename[SPOOL_PATH_MAX];
	int	 pair = r->dir == TRACE_X4002OFTP, waiting, in_out, rc;
	int	 nerp = -1, ndr = 0, edin = 0;

	spool_path(ov, sizeof(ov), cfg.spool, SPOOL_OVERFLOW);
	if ((rc = locate(r, q, sizeof(q))) < 0)
		return -1;
	in_out = rc == 1;
	waiting = rc != 0;
	if (!waiting && (rc = expiry_sent(r, p)) != 0) {
		sw->sent += rc == 1;
		return rc < 0 ? -1 : 0;
	}
	outbox_init(&ob, cfg.spool, NULL);
	why[0] = name[0] = ename[0] = '\0';
	if (r->dir == TRACE_OFTP2X400 && (r->eerp_mode == 2 ||
	    r->eerp_mode == 3)) {
		/* the OFTP user waits for an EERP: a NERP ends the wait */
		if ((nerp = expiry_nerp(r, p, name, sizeof(name))) < 0)
			goto fail;
	} else if (r->dir == TRACE_X4002OFTP) {
		if (expiry_x400(r, p, waiting, why, name, ename, &ndr,
		    &edin) < 0)
			goto fail;
	} else
		snprintf(why, sizeof(why), "timer expired");
	if (in_out) {
		if ((rc = ops_move(&ops, q, ov, r->out_file, pair, 0)) < 0)
			ops_fatal();
		ops_log();
		if (rc == 0)	/* fetched meanwhile */
			waiting = present(ov, r->out_file) == 1;
	}

	if (trace_batch_begin(db) < 0 || trace_get(db, r->id, &now_row) != 1)
		goto tfail;
	if (!trace_state_waiting(now_row.state)) {	/* answered meanwhile */
		trace_batch_rollback(db);
		outbox_abort(&ob);
		outbox_free(&ob);
		log_info("transaction %" PRId64 " is %s: not expired", r->id,
		    trace_state_name(now_row.state));
		return 0;
	}
	if (expiry_record(r, nerp, ndr, edin, waiting, name, ename, why, note,
	    sizeof(note)) < 0)
		goto tfail;
	if (outbox_commit(&ob, db, r->id, now, err, sizeof(err)) != 0) {
		log_error("transaction %" PRId64 ": %s", r->id, err);
		outbox_free(&ob);
		return -1;
	}
	outbox_free(&ob);
	sw->expired++;
	sw->over += waiting;
	sw->ndrs += ndr == 1;
	sw->nrns += ndr == 2;
	sw->edins += edin;
	sw->nerps += nerp == 1;
	if (nerp >= 0)
		log_info("transaction %" PRId64 " expired: %s", r->id,
		    nerp == 1 ? note : "no NERP");
	else if (waiting)
		log_info("transaction %" PRId64 " expired (%s), %s moved to "
		    "%s", r->id, why, r->out_file, ov);
	else
		log_info("transaction %" PRId64 " expired (%s)", r->id, why);
	return 0;
tfail:
	log_error("transaction %" PRId64 ": %s", r->id, trace_error(db));
	trace_batch_rollback(db);
fail:
	outbox_abort(&ob);
	outbox_free(&ob);
	return -1;
}

/*
 * One EERP/NERP of oftp/eerp.out (name) whose transaction's partnership
 * eerp-out-timer ran out before the OFTP daemon took it: the
 * transaction expires and goes to overflow (the trace first), then the
 * file moves to overflow/ (a sweep killed in between moves it next
 * time: the row is already overflow). 1 moved, 0 not due, -1 left.
 */
static int
expire_eerp(const char *eo, const char *ov, const char *name)
{
	const struct ox_partner *p;
	struct trace_output o;
	struct trace_row r;
	char	 note[TRACE_NOTE_SZ];
	unsigned h;
	int	 rc;

	if ((rc = trace_output_named(db, spool_queue_name(SPOOL_OFTP_EERP_OUT),
	    name, &o)) == 1 && (rc = trace_get(db, o.trace_id, &r)) == 1) {
		p = partner_named(r.partner);
		h = partner_timer(&cfg, p, CONFIG_TIMER_EERP_OUT);
		if (o.time + 3600 * (time_t)h > now || (r.state !=
		    TRACE_S_EERP_SENT && r.state != TRACE_S_NERP_SENT &&
		    r.state != TRACE_S_OVERFLOW))
			return 0;
		snprintf(note, sizeof(note), "%.64s not collected from "
		    "oftp/eerp.out within %u hours (eerp-out-timer)", name, h);
		if (r.state != TRACE_S_OVERFLOW && (trace_batch_begin(db) < 0 ||
		    sweep_state(r.id, TRACE_S_EXPIRED, note) < 0 ||
		    sweep_state(r.id, TRACE_S_OVERFLOW, "the EERP/NERP went "
		    "to overflow/") < 0 || trace_batch_commit(db) < 0)) {
			trace_batch_rollback(db);
			return -1;
		}
		if ((rc = ops_move(&ops, eo, ov, name, 0, 0)) < 0)
			ops_fatal();
		ops_log();
		if (rc == 0)
			return 0;
		log_info("transaction %" PRId64 " expired (%s), moved to %s",
		    r.id, note, ov);
		return 1;
	}
	if (rc < 0) {
		log_error("%s/%s: %s", eo, name, trace_error(db));
		return -1;
	}
	return 0;			/* not the gateway's: left alone */
}

/* The timer of oftp/eerp.out: every EERP/NERP waiting there. */
static void
expire_eerp_out(struct sweep *sw)
{
	char	 eo[SPOOL_PATH_MAX], ov[SPOOL_PATH_MAX];
	struct dirent *e;
	DIR	*d;
	int	 rc;

	spool_path(eo, sizeof(eo), cfg.spool, SPOOL_OFTP_EERP_OUT);
	spool_path(ov, sizeof(ov), cfg.spool, SPOOL_OVERFLOW);
	if ((d = opendir(eo)) == NULL) {
		if (errno != ENOENT)
			log_fatal(EX_IOERR, "%s: %s", eo, strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "tmp") == 0)
			continue;
		if ((rc = expire_eerp(eo, ov, e->d_name)) < 0)
			sw->left++;
		sw->eerps += rc == 1;
	}
	closedir(d);
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
	struct sweep sw;
	size_t	 i;
	char	 when[32], clk[32];
	time_t	 wall = now;
	const char *given = NULL;
	int	 ch, rel = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'n')
			usage(EX_USAGE);
		if (parse_when_rel(optarg, &now, &rel) < 0)
			log_fatal(EX_DATAERR, "--now: bad time '%s'", optarg);
		given = optarg;
	}
	if (optind != argc)
		usage(EX_USAGE);
	ops.now = now;
	clock_iso(now, when, sizeof(when));
	clock_iso(wall, clk, sizeof(clk));
	if (given == NULL)
		log_info("expire: now is %s (the clock)", when);
	else if (rel)
		log_info("expire: now is %s (--now %s: relative to the clock, "
		    "%s)", when, given, clk);
	else
		log_info("expire: now is %s (--now %s: an absolute time)", when,
		    given);
	load_partners();
	recover_outputs();
	memset(&sw, 0, sizeof(sw));
	release_due_holds();
	if (trace_list_expired(db, now, collect_id, &l) < 0)
		log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
	for (i = 0; i < l.n; i++) {
		if (trace_get(db, l.v[i], &r) != 1 ||
		    !trace_state_waiting(r.state))
			continue;
		if (expire_one(&r, &sw) < 0)
			sw.left++;
	}
	expire_eerp_out(&sw);
	log_info("expire: %zu expired, %zu moved to overflow, %zu NDR, "
	    "%zu NERP, %zu EDIN, %zu left for the next sweep; %zu NRN, %zu "
	    "sent, %zu EERP/NERP not collected", sw.expired, sw.over, sw.ndrs,
	    sw.nerps, sw.edins, sw.left, sw.nrns, sw.sent, sw.eerps);
	free(l.v);
	return sw.left > 0 ? EX_TEMPFAIL : EX_OK;
}

/* The partnership of a section name of partners.ini, or exit 67. */
static const struct ox_partner *
need_partner(const char *name)
{
	const struct ox_partner *p;

	load_partners();
	if ((p = ops_partner_named(&ops, name)) == NULL)
		ops_fatal();
	return p;
}

static void
get_pstate(const char *name, struct trace_partner *ps)
{
	if (trace_partner_get(db, name, ps) < 0)
		log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
}

/* The number of committed items in a partner's hold directory. */
static size_t
held_count(const char *name)
{
	size_t	 n;

	if (ops_held(&ops, name, &n) < 0)
		ops_fatal();
	return n;
}

/*
 * The holds whose time (partner hold --until) has come end here, at the
 * start of the expiry sweep (cron), through ops_release_due_holds(): the
 * release of oxtrace partner release, with "oxtrace expire" as who.
 */
static void
release_due_holds(void)
{
	char	 who[TRACE_WHO_SZ];
	size_t	 ended, n;

	if (!have_partners)
		return;
	snprintf(who, sizeof(who), "%s", ops.who);
	snprintf(ops.who, sizeof(ops.who), "oxtrace expire");
	if (ops_release_due_holds(&ops, &ended, &n) < 0)
		ops_fatal();
	snprintf(ops.who, sizeof(ops.who), "%s", who);
}

static int
print_pevent(const struct trace_pevent *e, void *arg)
{
	char	 t[32];

	(void)arg;
	clock_iso(e->time, t, sizeof(t));
	printf("  %s %-11s %-16s %s\n", t, e->action, e->who, e->note);
	return 0;
}

/* partner list, partner show NAME */
static void
partner_print(const struct ox_partner *p, int one)
{
	struct trace_partner ps;
	char	 c[32], l[32], u[48];

	get_pstate(p->name, &ps);
	clock_iso(ps.changed, c, sizeof(c));
	clock_iso(ps.status_last, l, sizeof(l));
	u[0] = '\0';
	if (ps.state == TRACE_P_HOLD && ps.until != 0) {
		snprintf(u, sizeof(u), " until ");
		clock_iso(ps.until, u + 7, sizeof(u) - 7);
	}
	if (!one) {
		printf("%-16s %-25s %-7s %-20s %5zu  %s%s\n", p->name,
		    p->odette, trace_pstate_name(ps.state), c,
		    held_count(p->name), p->status_vdsn[0] ? l :
		    "(no status-vdsn)", u);
		return;
	}
	printf("partner: %s\nodette: %s\nstate: %s%s\nsince: %s\nheld: %zu\n"
	    "status-vdsn: %s\nlast status file: %s\nhistory:\n", p->name,
	    p->odette, trace_pstate_name(ps.state), u, c, held_count(p->name),
	    p->status_vdsn[0] ? p->status_vdsn : "-", l);
	if (trace_partner_events(db, p->name, print_pevent, NULL) < 0)
		log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
}

/*
 * partner list | show NAME | hold NAME [--until TIME] | release NAME |
 * divert NAME | undivert NAME, each action with [--note TEXT] (the
 * actions: ops_partner()). The state takes effect for the next file
 * x4002oftp (or status-files) makes: each file reads it; a hold --until
 * ends by itself (hold_target(); release_due_holds()).
 */
static int
cmd_partner(int argc, char **argv)
{
	const struct ox_partner *p;
	enum ops_pact act;
	const char *note = NULL;
	size_t	 i, n;
	time_t	 until = 0;

	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		load_partners();
		printf("%-16s %-25s %-7s %-20s %5s  %s\n", "PARTNER", "ODETTE",
		    "STATE", "SINCE", "HELD", "LAST STATUS FILE");
		for (i = 0; i < partners.n; i++)
			partner_print(&partners.p[i], 0);
		return EX_OK;
	}
	for (i = 3; i + 1 < (size_t)argc; i += 2)
		if (strcmp(argv[i], "--note") == 0 && note == NULL)
			note = argv[i + 1];
		else if (strcmp(argv[i], "--until") == 0 && until == 0 &&
		    strcmp(argv[1], "hold") == 0) {
			if (parse_when(argv[i + 1], &until) < 0 || until <= now)
				log_fatal(EX_DATAERR, "--until: '%s' is no time "
				    "after now", argv[i + 1]);
		} else
			usage(EX_USAGE);
	if (argc < 3 || i != (size_t)argc)
		usage(EX_USAGE);
	p = need_partner(argv[2]);
	if (strcmp(argv[1], "show") == 0 && argc == 3) {
		partner_print(p, 1);
		return EX_OK;
	}
	if (ops_pact_parse(argv[1], &act) < 0)
		usage(EX_USAGE);
	if (ops_partner(&ops, p->name, act, note, until, &n) < 0)
		ops_fatal();
	ops_log();
	if (act == OPS_RELEASE)
		printf("%s: %zu file%s released into oftp/out\n", p->name, n,
		    n == 1 ? "" : "s");
	return EX_OK;
}

static int
cmd_overflow(int argc, char **argv)
{
	struct trace_filter f;
	struct trace_row r;
	int	 rc;

	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		memset(&f, 0, sizeof(f));
		f.state = TRACE_S_OVERFLOW;
		if (trace_list(db, &f, list_row, NULL) < 0)
			log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
		f.state = TRACE_S_DIVERTED;
		if (trace_list(db, &f, list_row, NULL) < 0)
			log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
		return EX_OK;
	}
	load_partners();
	if (argc == 3 && strcmp(argv[1], "reactivate") == 0)
		rc = ops_reactivate(&ops, argv[2], &r);
	else if (argc == 4 && strcmp(argv[1], "export") == 0)
		rc = ops_export(&ops, argv[2], argv[3]);
	else if (argc == 3 && strcmp(argv[1], "delete") == 0)
		rc = ops_delete(&ops, argv[2], &r);
	else
		usage(EX_USAGE);
	if (rc < 0)
		ops_fatal();
	ops_log();
	return EX_OK;
}

/* The failed transactions of one x4002oftp message. */
static int
collect_failed(const struct trace_row *r, void *arg)
{
	return r->state == TRACE_S_FAILED ? collect_id(r, arg) : 0;
}

/*
 * reprocess ID: a failed transaction back to received, its recorded
 * outputs forgotten, in one trace transaction: the input moved back from
 * failed/ into its queue is then converted again (a redo of a refusal is
 * refused again until this is done: oxgate-spool(5), "Commit order").
 * An x4002oftp message refused as a whole failed every transaction it
 * had begun (a file per recipient): they all go back.
 */
static int
cmd_reprocess(int argc, char **argv)
{
	struct trace_row r;
	struct idlist l = { NULL, 0 };
	char	 note[TRACE_NOTE_SZ];
	size_t	 i;

	if (argc != 2)
		usage(EX_USAGE);
	find_row(argv[1], &r);
	if (r.state != TRACE_S_FAILED)
		log_fatal(EX_DATAERR, "transaction %" PRId64 " is %s, not "
		    "failed", r.id, trace_state_name(r.state));
	snprintf(note, sizeof(note), "to be converted again (oxtrace "
	    "reprocess by %s)", ops.who);
	if ((r.dir == TRACE_X4002OFTP && r.mts_id[0] != '\0' ?
	    trace_list_message(db, r.dir, r.mts_id, collect_failed, &l) :
	    collect_id(&r, &l)) < 0 || trace_batch_begin(db) < 0) {
		free(l.v);
		log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
	}
	for (i = 0; i < l.n; i++)
		if (trace_forget_outputs(db, l.v[i]) < 0 ||
		    trace_record_state(db, l.v[i], TRACE_S_RECEIVED, now, 0,
		    note) < 0) {
			free(l.v);
			log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
		}
	free(l.v);
	if (trace_batch_commit(db) < 0)
		log_fatal(EX_TEMPFAIL, "%s", trace_error(db));
	log_info("transaction %" PRId64 ": received again; move %s back from "
	    "failed/ into its queue (the .sfid last, for an OFTP file)", r.id,
	    r.in_file[0] ? r.in_file : "its input");
	return EX_OK;
}

/* --- status files ---------------------------------------------------- */

struct csvjob {
	struct buf	*b;
	size_t		 n;
};

static int
csv_add(const struct trace_row *r, void *arg)
{
	struct csvjob *j = arg;

	j->n++;
	return trace_csv_row(j->b, r);
}

/* One status file in the making (status_file() and its steps). */
struct status_job {
	const struct ox_partner *p;
	time_t		 since, until;
	char		 mts[TRACE_MTSID_SZ], name[PARTNER_NAME_MAX + 32];
	char		 sname[PARTNER_NAME_MAX + 40];
	char		 s1[32], s2[32];	/* the window, as text */
	struct buf	 csv, sfid;		/* the pair's contents */
	struct sfid	 sf;
	size_t		 n;			/* transactions in the CSV */
	int64_t		 id;			/* its trace row */
};

/* The CSV: what oxtrace report --partner P --since --until gives. */
static int
status_csv(struct status_job *sj)
{
	struct trace_filter f;
	struct csvjob	 j;

	memset(&f, 0, sizeof(f));
	f.partner = sj->p->name;
	f.since = sj->since;
	f.until = sj->until;
	j.b = &sj->csv;
	j.n = 0;
	if (trace_csv_header(&sj->csv) < 0 ||
	    trace_list(db, &f, csv_add, &j) != 0 || buf_error(&sj->csv)) {
		log_error("[%s] status file: %s", sj->p->name, trace_error(db));
		return -1;
	}
	sj->n = j.n;
	return 0;
}

/* The SFID of the status file, its identity still to be stamped. */
static void
status_sfid(struct status_job *sj)
{
	const struct ox_partner *p = sj->p;
	struct sfid	*sf = &sj->sf;

	sfid_init(sf);
	snprintf(sf->dsn, sizeof(sf->dsn), "%s", p->status_vdsn);
	snprintf(sf->orig, sizeof(sf->orig), "%s", cfg.station_id);
	snprintf(sf->dest, sizeof(sf->dest), "%s", p->odette);
	sf->format = p->status_format;
	sf->lrecl = 0;
	sf->fsize = sf->osize = (sj->csv.len + 1023) / 1024;
	sf->sign = p->signed_eerp && p->oftp != 14 ? 'Y' : 'N';
	if (p->oftp != 14)
		snprintf(sf->desc, sizeof(sf->desc), "oxgate status report "
		    "from %s to %s, %zu transaction%s", sj->s1, sj->s2, sj->n,
		    sj->n == 1 ? "" : "s");
}

/*
 * The trace row and its OFTP identity: the first counter of SFIDTIME in
 * the window's last second that no other file has (a redo finds the
 * same one); then the .sfid written.
 */
static int
status_row(struct status_job *sj)
{
	const struct ox_partner *p = sj->p;
	struct trace_row in;
	struct trace_oftp_id oid;
	unsigned	 counter;
	int		 created, rc;
	char		 err[512];

	memset(&in, 0, sizeof(in));
	in.dir = TRACE_X4002OFTP;
	snprintf(in.partner, sizeof(in.partner), "%s", p->name);
	snprintf(in.mts_id, sizeof(in.mts_id), "%s", sj->mts);
	in.eerp_mode = (int)p->eerp;
	in.eerp_signed = sj->sf.sign == 'Y';
	in.no_ndr = 1;		/* no X.400 originator: nobody to report to */
	if (trace_begin_x400(db, &in, now, &sj->id, &created) < 0) {
		log_error("[%s] status file: %s", p->name, trace_error(db));
		return -1;
	}
	for (counter = 1, rc = 1; counter <= 9999 && rc == 1; counter++) {
		if (sfid_stamp(sj->until, counter, sj->sf.date,
		    sj->sf.time) < 0) {
			log_error("[%s] status file: bad time %lld", p->name,
			    (long long)sj->until);
			return -1;
		}
		gw_oftp_id(&oid, &sj->sf);
		rc = trace_record_oftp_id(db, sj->id, &oid, now);
	}
	if (rc != 0 || trace_record_files(db, sj->id, NULL, sj->name, NULL,
	    now) < 0) {
		log_error("[%s] status file: %s", p->name, trace_error(db));
		return -1;
	}
	if (sfid_ox_set(&sj->sf, "mts-id", sj->mts, err, sizeof(err)) !=
	    SFID_OK || sfid_write(&sj->sf, &sj->sfid, err, sizeof(err)) !=
	    SFID_OK) {
		log_error("[%s] status file: SFID: %s", p->name, err);
		return -1;
	}
	return 0;
}

/*
 * The pair staged (hold and divert obeyed); the file, its state and the
 * window closed in one transaction; then published.
 */
static int
status_commit(struct status_job *sj)
{
	const struct ox_partner *p = sj->p;
	enum hold_mode	 hm;
	enum trace_state st;
	const char	*queue, *s = sj->n == 1 ? "" : "s";
	char		 dir[SPOOL_PATH_MAX], note[TRACE_NOTE_SZ];
	char		 done[TRACE_NOTE_SZ], err[512];
	int		 rc = -1;

	if (hold_target(db, cfg.spool, p->name, sj->name, dir, sizeof(dir),
	    &hm, err, sizeof(err)) < 0) {
		log_error("[%s] status file: %s", p->name, err);
		return -1;
	}
	queue = dir + strlen(cfg.spool) + 1;
	outbox_init(&ob, cfg.spool, NULL);
	if (outbox_put(&ob, queue, sj->name, sj->csv.p, sj->csv.len) < 0 ||
	    outbox_put(&ob, queue, sj->sname, sj->sfid.p, sj->sfid.len) < 0) {
		log_error("%s/%s: %s", dir, sj->name, strerror(errno));
		outbox_abort(&ob);
		return -1;
	}
	snprintf(note, sizeof(note), "status file from %s to %s, %zu "
	    "transaction%s", sj->s1, sj->s2, sj->n, s);
	st = hm == HOLD_HELD ? TRACE_S_HELD : hm == HOLD_DIVERTED ?
	    TRACE_S_DIVERTED : TRACE_S_CONVERTED;
	snprintf(done, sizeof(done), "%s into %s: %zu transaction%s from %s "
	    "to %s", sj->name, hold_mode_queue(hm), sj->n, s, sj->s1, sj->s2);
	if (trace_batch_begin(db) < 0 || trace_record_state(db, sj->id, st,
	    now, st == TRACE_S_CONVERTED ? now + (time_t)cfg.expiry[
	    CONFIG_PRIO_NORMAL] * 3600 : 0, note) < 0 ||
	    trace_partner_status_done(db, p->name, sj->until, now, done) < 0) {
		log_error("[%s] status file: %s", p->name, trace_error(db));
		trace_batch_rollback(db);
		outbox_abort(&ob);
	} else if (outbox_commit(&ob, db, sj->id, now, err, sizeof(err)) != 0)
		log_error("[%s] status file: %s", p->name, err);
	else {
		log_info("[%s] status file %s/%s (%s, %zu transaction%s since "
		    "%s)", p->name, dir, sj->name, sj->sf.dsn, sj->n, s,
		    sj->s1);
		rc = 0;
	}
	outbox_free(&ob);
	return rc;
}

/*
 * A status file made before whose window was not closed: published if
 * it was not, then the window closed.
 */
static int
status_finish(struct status_job *sj, const struct trace_row *r)
{
	char	 note[TRACE_NOTE_SZ], err[512];

	if (outbox_publish_row(cfg.spool, db, r->id, NULL, err,
	    sizeof(err)) < 0) {
		log_error("[%s] status file: %s", sj->p->name, err);
		return -1;
	}
	snprintf(note, sizeof(note), "%s (made before)", sj->name);
	if (trace_partner_status_done(db, sj->p->name, sj->until, now,
	    note) < 0) {
		log_error("[%s] status file: %s", sj->p->name, trace_error(db));
		return -1;
	}
	return 0;
}

/*
 * The status file of one partnership: the CSV status report (as oxtrace
 * report) of its transactions created in [since, until), where since is
 * the end of the last status file's window and until now. The window is
 * recorded before the file is written, so a run that stops half-way is
 * redone with the same window, the same name and the same SFID: one
 * file, never two. The file is an outgoing transaction of the trace
 * (MTS identifier "status:PARTNER:UNTIL", no X.400 originator, no
 * reports owed) so that the station's EERP finds it, and it obeys hold
 * and divert like every file for the station. Returns 0, or -1 (logged)
 * to try again at the next run.
 */
static int
status_file(const struct ox_partner *p)
{
	struct status_job sj;
	struct trace_row r;
	int	 rc;

	memset(&sj, 0, sizeof(sj));
	sj.p = p;
	if (trace_partner_status_begin(db, p->name, now, &sj.since,
	    &sj.until) < 0) {
		log_error("[%s] status file: %s", p->name, trace_error(db));
		return -1;
	}
	if (sj.until <= sj.since) {
		log_info("[%s] status file: nothing since %lld (the same "
		    "second)", p->name, (long long)sj.since);
		return 0;
	}
	snprintf(sj.mts, sizeof(sj.mts), "status:%s:%lld", p->name,
	    (long long)sj.until);
	snprintf(sj.name, sizeof(sj.name), "status.%s.%lld", p->name,
	    (long long)sj.until);
	snprintf(sj.sname, sizeof(sj.sname), "%s.sfid", sj.name);
	if (sj.since == 0)
		snprintf(sj.s1, sizeof(sj.s1), "the start");
	else
		clock_iso(sj.since, sj.s1, sizeof(sj.s1));
	clock_iso(sj.until, sj.s2, sizeof(sj.s2));
	if ((rc = trace_find_by_mts_id(db, TRACE_X4002OFTP, sj.mts, &r)) < 0) {
		log_error("[%s] status file: %s", p->name, trace_error(db));
		return -1;
	}
	if (rc == 1 && r.state != TRACE_S_RECEIVED)
		return status_finish(&sj, &r);
	buf_init(&sj.csv);
	buf_init(&sj.sfid);
	rc = -1;
	if (status_csv(&sj) == 0) {
		status_sfid(&sj);
		if (status_row(&sj) == 0)
			rc = status_commit(&sj);
	}
	buf_free(&sj.csv);
	buf_free(&sj.sfid);
	return rc;
}

/* migrate --to: the copy, and one line per table with its rows. */
static int
migrate_copy(const char *to)
{
	struct trace	*dst;
	int64_t		 rows[TRACE_COPY_TABLES];
	char		 err[512];
	size_t		 i;

	if (trace_open(to, 0, &dst, err, sizeof(err)) < 0)
		log_fatal(EX_TEMPFAIL, "%s", err);
	if (trace_copy(db, dst, rows, TRACE_COPY_TABLES) < 0) {
		log_error("%s: %s", to, trace_error(dst));
		i = trace_temporary(dst);
		trace_close(dst);
		return i ? EX_TEMPFAIL : EX_DATAERR;
	}
	trace_close(dst);
	printf("%s: copied", to);
	for (i = 0; i < TRACE_COPY_TABLES; i++)
		printf("%s %s %lld", i == 0 ? "" : ",",
		    trace_copy_table_name(i), (long long)rows[i]);
	printf("\n");
	return 0;
}

/*
 * migrate: the trace database, opened, is at this program's schema
 * (trace_open() applies the migrations); for a package's postinst. A
 * database that does not exist is not made (main). migrate --to DB:
 * then every table is copied into the new database DB (SQLite to
 * PostgreSQL: one host becomes several), which must have no transaction.
 */
static int
cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*to = NULL;
	int		 v, ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 't')
			usage(EX_USAGE);
		to = optarg;
	}
	if (optind != argc)
		usage(EX_USAGE);
	if ((v = trace_schema_version(db)) < 0)
		log_fatal(EX_TEMPFAIL, "%s: %s", db_path, trace_error(db));
	printf("%s: schema version %d\n", db_path, v);
	return to != NULL ? migrate_copy(to) : 0;
}

/* status-files [--partner NAME] [--now TIME]: from cron. */
static int
cmd_status_files(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "partner", required_argument, NULL, 'p' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const struct ox_partner *one = NULL;
	size_t	 i, made = 0, left = 0;
	int	 ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'p')
			one = need_partner(optarg);
		else if (ch == 'n') {
			if (parse_when(optarg, &now) < 0)
				log_fatal(EX_DATAERR, "--now: bad time '%s'",
				    optarg);
		} else
			usage(EX_USAGE);
	}
	if (optind != argc)
		usage(EX_USAGE);
	ops.now = now;
	load_partners();
	recover_outputs();
	if (one != NULL && one->status_vdsn[0] == '\0')
		log_fatal(EX_DATAERR, "[%s]: no status-vdsn in %s: no status "
		    "files", one->name, cfg.partners);
	for (i = 0; i < partners.n; i++) {
		const struct ox_partner *p = &partners.p[i];

		if (p->status_vdsn[0] == '\0' || (one != NULL && p != one))
			continue;
		if (status_file(p) < 0)
			left++;
		else
			made++;
	}
	log_info("status-files: %zu done, %zu left for the next run", made,
	    left);
	return left > 0 ? EX_TEMPFAIL : EX_OK;
}

/*
 * The central EDI function works only with its trading-partner table:
 * with a central partnership (x400 with a DDA EDI) mapping/edi-partners
 * must load (oftp2x400 would defer every interchange, exit 78).
 */
static int
check_central(const struct ox_partners *ps, char *err, size_t errlen)
{
	struct edipart_table t;
	char	 path[CONFIG_PATH_MAX + 16], why[512];
	size_t	 i;

	for (i = 0; i < ps->n && orname_dda(&ps->p[i].x400, "EDI") == NULL;
	    i++)
		;
	if (i == ps->n)
		return 0;
	snprintf(path, sizeof(path), "%s/edi-partners", cfg.mapping);
	if (edipart_load(&t, path, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "[%s]: central EDI function: %.400s",
		    ps->p[i].name, why);
		return -1;
	}
	printf("%s: ok, %zu EDI trading partners\n", path, t.n);
	edipart_free(&t);
	return 0;
}

static int
check_config(const char *path)
{
	struct ox_partners ps;
	struct mixer	 mx;
	struct stat	 st;
	char	 err[CONFIG_ERR_MAX];
	size_t	 nkeys;

	if (config_load(path, &cfg, err, sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	if (partners_load(cfg.partners, &ps, err, sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	printf("%s: ok\n%s: ok, %zu partners\n", cfg.path, cfg.partners,
	    ps.n);
	if (check_central(&ps, err, sizeof(err)) < 0 ||
	    partners_keys_check(&ps, &cfg, &nkeys, err, sizeof(err)) !=
	    CONFIG_OK) {
		partners_free(&ps);
		log_fatal(EX_CONFIG, "%s", err);
	}
	if (nkeys > 0)
		printf("certificates and keys: ok, %zu files, each key "
		    "matches its certificate\n", nkeys);
	partners_free(&ps);
	/* strict: a bad table line fails here (the converters skip it) */
	mixer_init(&mx);
	if (stat(cfg.mapping, &st) == 0 &&
	    mixer_load_dir(&mx, cfg.mapping, err, sizeof(err)) != MIXER_OK) {
		mixer_free(&mx);
		log_fatal(EX_CONFIG, "%s", err);
	}
	printf("%s: ok, %zu + %zu + %zu + %zu table lines\n", cfg.mapping,
	    mixer_table_size(&mx, MIXER_DOMAIN_OR),
	    mixer_table_size(&mx, MIXER_OR_DOMAIN),
	    mixer_table_size(&mx, MIXER_DOMAIN_GW),
	    mixer_table_size(&mx, MIXER_OR_GW));
	mixer_free(&mx);
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
	/* config: the command needs oxgate.ini even with --db */
	static const struct cmd {
		const char	*name;
		int		(*run)(int, char **);
		int		 config;
	} cmds[] = {
		{ "status", cmd_status, 0 },
		{ "list", cmd_list, 0 },
		{ "report", cmd_report, 0 },
		{ "deferred", cmd_deferred, 0 },
		{ "expire", cmd_expire, 1 },
		{ "overflow", cmd_overflow, 1 },
		{ "partner", cmd_partner, 1 },
		{ "reprocess", cmd_reprocess, 0 },
		{ "status-files", cmd_status_files, 1 },
		{ "migrate", cmd_migrate, 0 },
		{ NULL, NULL, 0 }
	};
	const struct cmd *c;
	const char *conf = NULL, *dbpath = NULL, *file;
	char	 err[CONFIG_ERR_MAX], who[TRACE_WHO_SZ];
	enum db_kind kind;
	int	 ch, verbose = 0, check = 0, rc;

	log_open(argv[0], 0, 0);
	now = clock_now();
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
		default:
			opt_common(ch, "oxtrace", &verbose, usage);
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
	for (c = cmds; c->name != NULL; c++)
		if (strcmp(argv[0], c->name) == 0)
			break;
	if (c->name == NULL) {
		log_error("unknown command '%s'", argv[0]);
		usage(EX_USAGE);
	}
	/* The database alone is enough for the queries. */
	config_init(&cfg);
	if ((dbpath == NULL || c->config) &&
	    config_load(conf, &cfg, err, sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	db_path = dbpath != NULL ? dbpath : cfg.tracedb;
	if (c->run == cmd_migrate && db_spec_kind(db_path, &kind, &file) == 0 &&
	    kind == DB_SQLITE && access(file, F_OK) == -1 && errno == ENOENT) {
		printf("%s: no trace database yet, nothing to migrate\n",
		    db_path);
		return 0;
	}
	open_db(db_path);
	ops_who_login(who, sizeof(who));
	ops_init(&ops, db, &cfg, NULL, now, who);
	ops.say = ops_say;
	rc = c->run(argc, argv);
	close_db();
	log_close_stdout();
	return rc;
}
