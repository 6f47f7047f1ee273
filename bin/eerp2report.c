/*
 * NAME
 *	eerp2report - OFTP EERP / NERP to X.400 reports and notifications
 * SYNOPSIS
 *	eerp2report [-v] [-c FILE] --spool | --watch
 *	eerp2report [-v] [-c FILE] --filter [INPUT]
 * DESCRIPTION
 *	Each item of spool/oftp/eerp.in is one EERP or NERP (RFC 5024
 *	command octets, OFTP2 or 1.4 layout) that an OFTP station sent for a
 *	file x4002oftp made from an X.400 message. See eerp2report(1); in
 *	short:
 *
 *	  1. parse it (eerp_parse, either layout); malformed: failed/;
 *	  2. find the x4002oftp trace row by the file's OFTP identity (DSN,
 *	     date, time, originator, destination): each file of a message is
 *	     a transaction of its own, for one recipient (oxgate-trace(5),
 *	     schema 8), so the answer of each station finds its recipient;
 *	     none: unknown or purged, failed/ with .why;
 *	  3. a signed EERP/NERP is verified against the certificate of the
 *	     station that sent it (a routed station's own, else the
 *	     partnership's), and its hash against the trace row's; a bad
 *	     signature goes to failed/;
 *	  4. agent mode: EERP -> receipt notification when the originator
 *	     asked for one, NERP -> non-receipt notification; transfer
 *	     mode: EERP -> delivery report when asked for, NERP ->
 *	     non-delivery report with the reason and diagnostic of the
 *	     rpt_map table; an EDIM (X.435) whose recipient asked for EDI
 *	     notifications gets the positive (EERP) or negative (NERP,
 *	     reason from the rpt_map table) EDIN in both modes, instead of
 *	     the RN / NRN in agent mode, besides the DR / NDR in transfer
 *	     mode;
 *	  5. the P1s are committed into spool/x400/out under names derived
 *	     from the transaction (converted, delivered, sent, or held: a
 *	     file sent in a session of the station), then the trace state
 *	     (eerp-received,
 *	     nerp-received) names them and the row records the EDIN sent. A second EERP/NERP for an answered
 *	     transaction, or one after the timer expired, is logged only.
 * EXIT STATUS
 *	sysexits(3): 0 every input was handled; 64 usage; 65 filter mode:
 *	the input was refused; 74 filter mode: stdout not written; 75 an
 *	input could not be processed now and stays for a later run; 78
 *	configuration.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "asn1/ber.h"
#include "gw/gw.h"
#include "gw/outbox.h"
#include "gw/rpt_build.h"
#include "gw/rpt_map.h"
#include "oftp/cms.h"
#include "oftp/eerp.h"
#include "util/clock.h"
#include "util/afile.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/cur.h"
#include "util/log.h"
#include "x400/p1.h"
#include "x400/p22.h"
#include "x400/p35.h"

/* An OFTP2 NERP with a full text and signature is far below this. */

/* filter mode: the P1 to stdout */
static const struct outbox_route filter_route[] = {
	{ "x400/out", NULL, STDOUT_FILENO, NULL },
	{ NULL, NULL, -1, NULL }
};

struct job {
	struct gw		*g;
	const struct ox_partner	*p;
	struct trace_row	 row;
	struct eerp		 e;
	const char		*what;		/* "EERP", "NERP" */
	time_t			 now;
	struct rpt_target	 tg;		/* subject, originator, station */
	char			 id[RPT_ID_SZ];	/* local identifier made */
	char			 sent[16];	/* "DR", "NDR", "RN", "NRN" */
	char			 edin_id[RPT_ID_SZ]; /* the EDIN's identifier */
	int			 filter;
	struct outbox		 ob;		/* what is written, staged */
	char			 why[QUEUE_WHY_MAX];
};

static struct gw	 gw;

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: eerp2report [-v] [-c FILE] --spool | --watch\n"
	    "       eerp2report [-v] [-c FILE] --filter [INPUT]\n"
	    "Turn OFTP EERP / NERP into X.400 reports and notifications.\n"
	    "  --spool        process spool/oftp/eerp.in once and exit\n"
	    "  --watch        process spool/oftp/eerp.in as files arrive\n"
	    "  --filter       INPUT (default stdin); the P1 to stdout\n"
	    "  -c FILE        configuration (default $OXGATE_CONF, else\n"
	    "                 " OX_SYSCONFDIR "/oxgate/oxgate.ini)\n"
	    "  -v             more log; --help, --version\n");
	exit(code);
}

/* The input cannot be answered: failed/ with this reason (65). */
#define refuse(j, ...)	errf((j)->why, sizeof((j)->why), EX_DATAERR, \
			    __VA_ARGS__)

/*
 * Verify a signed EERP/NERP: the certificate of the station that sent
 * it (EERPORIG: a routed station's own, else the partner's), our hash.
 */
static int
verify(struct job *j)
{
	struct cms_keys	*keys = NULL;
	const char	*cert = partner_cert(j->p, j->e.orig);
	char		 err[512], hex[2 * CMS_HASH_MAX + 1];
	size_t		 i;
	int		 e;

	if (j->e.sig_len == 0) {
		if (j->row.eerp_signed)
			log_warn("%s %s: unsigned although a signed %s was "
			    "requested", j->what, j->e.dsn, j->what);
		return EX_OK;
	}
	if (!cert[0]) {
		log_warn("%s %s: signed, and partnership [%s] has no "
		    "certificate", j->what, j->e.dsn, j->p->name);
		return refuse(j, "signed %s and partnership [%.64s] has no "
		    "certificate to verify it", j->what, j->p->name);
	}
	if ((e = cms_keys_load(&keys, NULL, NULL, cert, err,
	    sizeof(err))) != CMS_OK) {
		snprintf(j->why, sizeof(j->why), "keys: %.400s", err);
		return EX_CONFIG;		/* temporary: fix, retry */
	}
	e = cms_verify_eerp(keys, &j->e, err, sizeof(err));
	cms_keys_free(keys);
	if (e != CMS_OK) {
		log_warn("%s %s: bad signature: %s", j->what, j->e.dsn, err);
		return refuse(j, "bad signature on the %s: %.400s", j->what,
		    err);
	}
	if (j->row.hash[0] != '\0' && j->e.hash_len > 0) {
		for (i = 0; i < j->e.hash_len && i < CMS_HASH_MAX; i++)
			snprintf(hex + 2 * i, 3, "%02x", j->e.hash[i]);
		if (j->e.hash_len > CMS_HASH_MAX ||
		    strcmp(hex, j->row.hash) != 0)
			return refuse(j, "the signed %s's hash is not the "
			    "hash of the file sent (%.140s)", j->what,
			    j->row.hash);
	}
	return EX_OK;
}

/* The supplementary information of every answer: what the station said. */
static void
oftp_text(const struct job *j, char *text, size_t len)
{
	if (j->e.cmd == 'E')
		snprintf(text, len, "OFTP EERP from %s", j->e.orig);
	else
		snprintf(text, len, "OFTP NERP %02u from %s: %s", j->e.reason,
		    j->e.crea, j->e.text[0] ? j->e.text :
		    nerp_reason_text(j->e.reason) ? nerp_reason_text(
		    j->e.reason) : "unknown reason");
}

/* Delivery or non-delivery report on the original message (rpt_build). */
static int
build_report(struct job *j, struct berw *w)
{
	struct rpt_outcome oc;
	char		 text[NERP_TEXT_MAX + 64];

	memset(&oc, 0, sizeof(oc));
	if (j->e.cmd == 'E') {
		oc.type = P1_DELIVERY;
		snprintf(j->sent, sizeof(j->sent), "DR");
	} else {
		oc.type = P1_NON_DELIVERY;
		rpt_nerp_to_ndr(j->e.reason, &oc.reason, &oc.diag);
		snprintf(j->sent, sizeof(j->sent), "NDR");
	}
	oftp_text(j, text, sizeof(text));
	oc.suppl = text;
	if (rpt_build_report(w, &j->g->cfg.gdi, j->id, &j->tg, j->row.created,
	    j->now, &oc, j->why, sizeof(j->why)) != RPT_OK)
		return EX_SOFTWARE;
	return EX_OK;
}

/* Receipt or non-receipt notification, in a P1 message. */
static int
build_ipn(struct job *j, struct berw *w, struct berw *content)
{
	char		 text[NERP_TEXT_MAX + 64];

	oftp_text(j, text, sizeof(text));
	snprintf(j->sent, sizeof(j->sent), "%s", j->e.cmd == 'E' ? "RN" :
	    "NRN");
	return rpt_build_ipn(w, content, &j->g->cfg.gdi, j->id, &j->tg,
	    j->e.cmd == 'E', 0, j->now, text, j->why, sizeof(j->why)) ==
	    RPT_OK ? EX_OK : EX_SOFTWARE;
}

/* Who gets the report and on what: the trace row (rpt_target). */
static int
addresses(struct job *j, int edi)
{
	int	 rc;

	rc = rpt_target(j->g->trace, &j->row, j->p, j->e.orig, &j->tg, j->why,
	    sizeof(j->why));
	if (rc == RPT_TEMP)
		return EX_TEMPFAIL;
	if (rc != RPT_OK)
		return EX_DATAERR;
	if (j->p->mode == PARTNER_AGENT && !edi && !j->tg.has_ipm)
		return refuse(j, "trace row %lld: no IPM identifier to notify "
		    "on", (long long)j->row.id);
	return EX_OK;
}

/*
 * The X.435 EDI notification on the EDIM: PN for an EERP, NN for a NERP
 * with the reason of the rpt_map table; edin-originator and
 * first-recipient the recipient (the station's O/R address).
 */
static int
build_edin(struct job *j, struct berw *w, struct berw *content)
{
	struct rpt_edin	 e;
	struct p35_edimid subject;
	char		 text[NERP_TEXT_MAX + 64];

	if (!j->tg.has_ipm || rpt_edimid_from(&j->tg.subject_ipm, &subject) <
	    0)
		return refuse(j, "trace row %lld: EDIM identifier '%.300s' has "
		    "no originator part: no EDI notification possible",
		    (long long)j->row.id, j->row.edim_id);
	memset(&e, 0, sizeof(e));
	if (j->e.cmd == 'E') {
		e.kind = P35_PN;
	} else {
		e.kind = P35_NN;
		rpt_nerp_to_nn(j->e.reason, &e.source, &e.basic);
	}
	oftp_text(j, text, sizeof(text));
	e.suppl = text;
	if (rpt_build_edin(w, content, &j->g->cfg.gdi, j->edin_id, &subject,
	    &j->tg.originator, &j->tg.station, &j->tg.station, j->now, &e,
	    j->why, sizeof(j->why)) != RPT_OK)
		return EX_SOFTWARE;
	return EX_OK;
}

static int
set_state(struct job *j, enum trace_state s, const char *note)
{
	if (trace_record_state(j->g->trace, j->row.id, s, j->now, 0,
	    note) < 0) {
		snprintf(j->why, sizeof(j->why), "trace: %.400s",
		    trace_error(j->g->trace));
		return EX_TEMPFAIL;
	}
	return EX_OK;
}

/*
 * What is owed (eerp2report(1)): agent mode, an IPM: RN for an EERP when
 * asked, NRN for a NERP; an EDIM: the EDIN asked for (PN, NN), nothing
 * else (the DR went at conversion). Transfer mode: DR for an EERP when
 * asked, NDR for a NERP; an EDIM gets the EDIN asked for besides.
 */
static void
owed(const struct job *j, int *rpt, int *edin)
{
	int	 eerp = j->e.cmd == 'E';
	int	 edi = j->row.ipm_id[0] == '\0' && j->row.edim_id[0] != '\0';

	if (j->p->mode == PARTNER_AGENT)
		*rpt = edi ? 0 : eerp ? j->row.rn_req : 1;
	else
		*rpt = eerp ? j->row.dn_req : 1;
	*edin = edi && j->row.edin_sent[0] == '\0' &&
	    (j->row.edin_req & (eerp ? P35_NR_PN : P35_NR_NN)) != 0;
}

/*
 * One P1 (report, IPN or EDIN) built by f, staged for spool/x400/out/NAME
 * (filter mode: to stdout).
 */
static int
write_one(struct job *j, int (*f)(struct job *, struct berw *,
    struct berw *), const char *name)
{
	struct berw	 w, content;
	int		 rc;

	berw_init(&w);
	berw_init(&content);
	rc = f(j, &w, &content);
	if (rc == EX_OK && outbox_ber(&j->ob, spool_queue_name(SPOOL_X400_OUT),
	    name, &w, j->why, sizeof(j->why)) < 0)
		rc = outbox_errcode(&j->ob);
	berw_free(&content);
	berw_free(&w);
	return rc;
}

static int
build_rpt(struct job *j, struct berw *w, struct berw *content)
{
	return j->p->mode == PARTNER_AGENT ? build_ipn(j, w, content) :
	    build_report(j, w);
}

/* The row is found and the input verified: send what is owed. */
static int
respond(struct job *j)
{
	char		 name[64], ename[64], note[TRACE_NOTE_SZ], what[192];
	int		 agent = j->p->mode == PARTNER_AGENT, rc, rpt, edin;
	int		 edi = j->row.ipm_id[0] == '\0' && j->row.edim_id[0] !=
			    '\0';
	const char	*ek = j->e.cmd == 'E' ? "PN" : "NN";
	enum trace_state s = j->e.cmd == 'E' ? TRACE_S_EERP_RECEIVED :
			    TRACE_S_NERP_RECEIVED;

	ename[0] = '\0';
	owed(j, &rpt, &edin);
	if (rpt && !agent && (rc = rpt_expiry_ndr(j->g->trace,
	    j->g->cfg.mta_designator, &j->row, ename, sizeof(ename))) != 0) {
		if (rc < 0) {
			snprintf(j->why, sizeof(j->why), "trace: %.400s",
			    trace_error(j->g->trace));
			return EX_TEMPFAIL;
		}
		rpt = 0;	/* transfer mode: the NDR ended the message */
	}
	if (!rpt && !edin) {
		if (ename[0] != '\0')
			snprintf(what, sizeof(what), "no delivery report: the "
			    "X.400 expiry sent the NDR %.64s (one report per "
			    "message)", ename);
		else if (edi)
			snprintf(what, sizeof(what), "no %s EDI notification "
			    "was asked for", j->e.cmd == 'E' ? "positive" :
			    "negative");
		else
			snprintf(what, sizeof(what), "no %s was asked for",
			    agent ? "receipt notification" :
			    "delivery report");
		if (j->e.cmd == 'E')
			snprintf(note, sizeof(note), "EERP received; %s", what);
		else
			snprintf(note, sizeof(note), "NERP %02u received; %s",
			    j->e.reason, what);
		if (!j->filter && (rc = set_state(j, s, note)) != EX_OK)
			return rc;
		log_info("%s: %s recorded, %s", j->e.dsn, j->what, what);
		return EX_OK;
	}
	if ((rc = addresses(j, edi)) != EX_OK)
		return rc;
	name[0] = ename[0] = '\0';
	if (j->filter && rpt && edin) {
		log_warn("%s: filter mode writes one PDU: the %s EDIN owed is "
		    "not written", j->e.dsn, ek);
		edin = 0;
	}
	if (rpt) {
		rpt_report_id(j->g->cfg.mta_designator, &j->row, "report",
		    j->id);
		snprintf(name, sizeof(name), "%s.p1", j->id);
		if ((rc = write_one(j, build_rpt, name)) != EX_OK)
			return rc;
	}
	if (edin) {
		rpt_report_id(j->g->cfg.mta_designator, &j->row, "edin",
		    j->edin_id);
		snprintf(ename, sizeof(ename), "%s.p1", j->edin_id);
		if ((rc = write_one(j, build_edin, ename)) != EX_OK)
			return rc;
	}
	if (j->filter)
		return EX_OK;
	if (trace_record_files(j->g->trace, j->row.id, NULL, NULL,
	    rpt ? name : ename, j->now) < 0 || (edin &&
	    trace_record_edin_sent(j->g->trace, j->row.id, ek, j->now) < 0)) {
		snprintf(j->why, sizeof(j->why), "trace: %.400s",
		    trace_error(j->g->trace));
		return EX_TEMPFAIL;
	}
	what[0] = '\0';
	if (rpt && edin)
		snprintf(what, sizeof(what), "%s %s, EDIN %s %s", j->sent, name,
		    ek, ename);
	else if (rpt)
		snprintf(what, sizeof(what), "%s %s", j->sent, name);
	else
		snprintf(what, sizeof(what), "EDIN %s %s", ek, ename);
	if (j->e.cmd == 'E')
		snprintf(note, sizeof(note), "EERP received; %s", what);
	else
		snprintf(note, sizeof(note), "NERP %02u received; %s",
		    j->e.reason, what);
	if ((rc = set_state(j, s, note)) != EX_OK)
		return rc;
	log_info("%s: %s -> %s on %s", j->e.dsn, j->what, what,
	    j->row.mts_id);
	return EX_OK;
}

/*
 * Find the transaction, check the answer, stage and record what is owed,
 * in one trace transaction (a second EERP on the same file, even from a
 * second process at the same instant, makes no second report); then
 * publish.
 */
static int
decide(struct job *j, const struct trace_oftp_id *oid)
{
	struct trace	*t = j->g->trace;
	int		 rc, found;

	if (trace_batch_begin(t) < 0 || (found = trace_find_by_oftp(t,
	    TRACE_X4002OFTP, oid, &j->row)) < 0)
		goto tfail;
	if (found == 0) {
		trace_batch_rollback(t);
		log_warn("%s %s: unknown or purged transaction", j->what,
		    j->e.dsn);
		return refuse(j, "unknown or purged transaction: no x4002oftp "
		    "trace row for the file %s %s %s from %s to %s (a late "
		    "%s after the purge, or not ours)", oid->dsn, oid->date,
		    oid->time, oid->orig, oid->dest, j->what);
	}
	if ((j->p = partner_by_name(&j->g->partners, j->row.partner)) ==
	    NULL) {
		trace_batch_rollback(t);
		return refuse(j, "partnership [%.64s] of the transaction is no "
		    "longer configured", j->row.partner);
	}
	if ((rc = verify(j)) != EX_OK) {
		trace_batch_rollback(t);
		return rc;
	}
	/* a redo: what the last attempt decided leaves now */
	if (!j->filter && (rc = outbox_redo(j->g->cfg.spool, t, j->row.id,
	    j->why, sizeof(j->why))) != EX_OK)
		return rc;
	switch (j->row.state) {
	case TRACE_S_CONVERTED:
	case TRACE_S_DELIVERED:
	case TRACE_S_SENT:		/* oxspool done, or the sweep */
	case TRACE_S_HELD:		/* sent in a session of the station */
		rc = respond(j);
		break;
	case TRACE_S_EERP_RECEIVED:
	case TRACE_S_NERP_RECEIVED:
		log_info("%s %s: duplicate; the transaction is already %s: no "
		    "second report", j->what, j->e.dsn,
		    trace_state_name(j->row.state));
		rc = EX_OK;
		break;
	case TRACE_S_EXPIRED:
	case TRACE_S_OVERFLOW:
		log_warn("%s %s: late; the transaction is %s and is answered "
		    "by the expiry sweep or the operator", j->what, j->e.dsn,
		    trace_state_name(j->row.state));
		rc = EX_OK;
		break;
	default:
		rc = refuse(j, "%s for %s: the transaction is %s, not waiting "
		    "for an answer", j->what, j->e.dsn,
		    trace_state_name(j->row.state));
	}
	/* serial under the trace's write lock: never OUTBOX_BEFORE */
	return outbox_conclude(&j->ob, t, rc, j->row.id, j->now, j->why,
	    sizeof(j->why));
tfail:
	return outbox_trace_fail(&j->ob, t, j->why, sizeof(j->why));
}

static int
convert(struct queue_item *it, void *arg)
{
	struct job	*j;
	struct trace_oftp_id oid;
	struct stat	 st;
	struct cur	 c;
	struct buf	 data;
	char		 err[512];
	int		 rc, e;

	buf_init(&data);
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		snprintf(it->why, sizeof(it->why), "out of memory");
		return EX_OSERR;
	}
	j->g = arg;
	j->now = clock_now();
	j->filter = it->filter;
	j->what = "EERP/NERP";
	outbox_init(&j->ob, j->g->cfg.spool, it->filter ? filter_route : NULL);
	if (fstat(it->fd, &st) < 0) {
		snprintf(j->why, sizeof(j->why), "fstat: %s", strerror(errno));
		rc = EX_IOERR;
		goto done;
	}
	if (buf_read_fd(&data, it->fd, EERP_INPUT_MAX) < 0) {
		if (errno == EFBIG)
			rc = refuse(j, "malformed EERP/NERP: more than %d "
			    "octets", EERP_INPUT_MAX);
		else {
			e = errno;
			snprintf(j->why, sizeof(j->why), "read: %s",
			    strerror(e));
			rc = e == ENOMEM ? EX_OSERR : EX_IOERR;
		}
		goto done;
	}
	cur_init(&c, data.p, data.len);
	if (eerp_parse(&j->e, &c, EERP_ANY, err, sizeof(err)) != EERP_OK) {
		rc = refuse(j, "malformed EERP/NERP: %.400s", err);
		goto done;
	}
	j->what = j->e.cmd == 'E' ? "EERP" : "NERP";
	memset(&oid, 0, sizeof(oid));
	snprintf(oid.dsn, sizeof(oid.dsn), "%s", j->e.dsn);
	snprintf(oid.date, sizeof(oid.date), "%s", j->e.date);
	snprintf(oid.time, sizeof(oid.time), "%s", j->e.time);
	snprintf(oid.orig, sizeof(oid.orig), "%s", j->e.dest);
	snprintf(oid.dest, sizeof(oid.dest), "%s", j->e.orig);
	rc = decide(j, &oid);
done:
	if (rc != EX_OK) {
		snprintf(it->why, sizeof(it->why), "%s", j->why);
		if (!queue_exit_temporary(rc))
			log_warn("%s: %s", it->name, j->why);
	}
	outbox_abort(&j->ob);
	outbox_free(&j->ob);
	buf_free(&data);
	free(j);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct gw_prog prog = { .in = SPOOL_OFTP_EERP_IN,
	    .handler = convert, .usage = usage };

	return gw_main(argc, argv, &gw, &prog);
}
