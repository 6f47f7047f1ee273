/*
 * NAME
 *	x4002oftp - X.400 messages to OFTP virtual files
 * SYNOPSIS
 *	x4002oftp [-v] [-c FILE] --spool | --watch
 *	x4002oftp [-v] [-c FILE] [--sfid-out FILE] [INPUT] > payload
 * DESCRIPTION
 *	Each P1 PDU of spool/x400/in is handled by its kind; see x4002oftp(1)
 *	for the rules. In short:
 *
 *	  1. the PDU is decoded in place (the file is mapped, the content
 *	     and body parts are views of it); a PDU that does not decode goes
 *	     to failed/ with the offset and field of the error;
 *	  2. reports, IPNs (P22/P2 content of kind IPN) and EDINs (P35) are
 *	     copied unchanged to spool/x400/reports for report2eerp;
 *	     probes are answered: a delivery report when the recipient is a
 *	     partnership, else a non-delivery report;
 *	  3. an IPM or EDIM: for every recipient this MTA is responsible for,
 *	     the partnership comes from the recipient O/R address
 *	     (partner_by_orname: DDA ODETTEID, local, x400, each compared
 *	     as ormatch(3) says: X.402 18.4, IDs upper-cased); an unknown
 *	     recipient gets a non-delivery report (1/0) to the originator;
 *	     data above the maximum file size gets a non-delivery report
 *	     content-too-long (7) for every recipient;
 *	  4. the file: one body part as it is, several (or an S/MIME FTBP,
 *	     or one body part for mime = header, whose MIME header carries
 *	     the subject) as MIME per the partnership's mime usage (each part's MIME
 *	     type from the table mapping/x400-to-mime), written in its file
 *	     format (U, T, F, V), then signed / compressed / encrypted per
 *	     the partnership; payload committed first, the .sfid last, into
 *	     oftp/out, or hold/PARTNER or overflow when the partnership is
 *	     held or diverted (hold_target, read for every file); the
 *	     names derive from the MTS identifier; each file is a trace
 *	     transaction of its own (MTS identifier and recipient number,
 *	     oxgate-trace(5) schema 8), whose OFTP identity is recorded
 *	     (unique) before the .sfid is written; for a partnership with
 *	     signed EERPs it keeps the hash of its file as sent
 *	     (eerp2report checks the EERP's hash against it);
 *	  5. agent mode: a delivery report for the recipients that asked for
 *	     one, at once (a diverted file's waits for oxtrace overflow
 *	     reactivate: it has not left the gateway); every output is
 *	     staged, then in one trace transaction each file's row gets its
 *	     state (converted, held or diverted, with its deadline: agent
 *	     mode the partnership's delivery timer, transfer mode the X.400
 *	     expiry of the message's priority; for an EDIM the EDI
 *	     notifications its recipient asked for; a message without a
 *	     file, one row failed) and the outputs are recorded with the
 *	     first; then published (gw/outbox.h); a message whose rows are
 *	     past received was handled before and is finished, not
 *	     converted again.
 *
 *	An EDIM that cannot be handed on (no partnership, interchange above
 *	the maximum file size, not a file, a file not written for good)
 *	gets, besides the reports of today, a negative EDI notification
 *	(X.435 NN, unspecified, the reason as supplementary information) for
 *	every recipient that asked for NN. An IPM whose one IA5 / general
 *	text body part is an EDI interchange follows the P2 <-> PEDI rules:
 *	the interchange is the file, a blank subject is none, the EDIM
 *	identifier derived from originator + IPM identifier is traced.
 *
 *	Filter mode (neither --spool nor --watch): one P1 message from INPUT
 *	(default stdin; a pipe is first copied into an anonymous file in
 *	$TMPDIR, up to the maximum file size plus 16 MiB) for exactly one
 *	OFTP recipient; the same conversion as above, the payload to stdout,
 *	the .sfid to --sfid-out FILE (written beside it, then renamed), the
 *	trace row as in spool mode. Nothing is written into the spool: no
 *	delivery or non-delivery report (unknown recipients and an agent
 *	mode DR owed are logged); reports, IPNs, EDINs and probes are
 *	refused (they are report2eerp's, or need the spool), and so is a
 *	message whose recipients are at more than one partnership (one
 *	stdout, one file; use --spool). Redoing a message converted before
 *	writes the same file again (the OFTP date and time come from the
 *	trace row) and leaves the row's state as it is.
 * EXIT STATUS
 *	sysexits(3): 0 every input was handled (converted, forwarded or
 *	moved to failed/); 64 usage; 75 an input stays for a later run;
 *	78 configuration. Filter mode: 0 converted; 65 refused (not a
 *	message, undecodable, several partnerships); 66 no INPUT; 67 no
 *	recipient is a partnership; 74 stdout or --sfid-out not written.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <gmime/gmime.h>
#include <openssl/evp.h>

#include "asn1/ber.h"
#include "gw/edipart.h"
#include "gw/gw.h"
#include "gw/hold.h"
#include "gw/ident.h"
#include "gw/mime_out.h"
#include "gw/outbox.h"
#include "gw/rpt_build.h"
#include "oftp/cms.h"
#include "oftp/odette.h"
#include "oftp/records.h"
#include "oftp/sfid.h"
#include "util/clock.h"
#include "util/afile.h"
#include "util/log.h"
#include "x400/ormatch.h"
#include "x400/p1.h"
#include "x400/p22.h"
#include "x400/p35.h"
#include "x400/t61.h"

#define X2O_MAX_RCPT	64	/* recipients reported in one DR / NDR */
#define X2O_COPYBUF	65536	/* filter mode: a pipe copied in these */

/* X.411 NonDeliveryReasonCode / NonDeliveryDiagnosticCode */
#define NDR_UNABLE_TO_TRANSFER	1
#define DIAG_UNRECOGNISED_OR_NAME 0
#define DIAG_CONTENT_TOO_LONG	7
#define DIAG_CONTENT_SYNTAX	12
#define DIAG_CONTENT_TYPE	15
#define DIAG_MAX_TIME_EXPIRED	5

/* One report being collected: a DR or an NDR on the message. */
struct x2o_report {
	size_t		 n;
	struct p1_rrcpt	 r[X2O_MAX_RCPT];
};

/*
 * One transaction of the message (oxgate-trace(5), schema 8): the file
 * of one recipient at a partnership (rcpt, its originally specified
 * recipient number), or the message as a whole (rcpt 0) when it makes
 * no file.
 */
struct x2o_tx {
	const struct ox_partner	*p;		/* its partnership, or NULL */
	int64_t			 rcpt;
	int			 dn, rn, ndr_owed; /* its recipient's requests */
	unsigned		 edin_req;
	int64_t			 row;
	char			 addr[TRACE_MSGID_SZ];	/* the recipient */
	char			 date[9], time[11];	/* reused on a redo */
	char			 name[NAME_MAX + 1];	/* the file made */
	enum hold_mode		 hm;
	int			 dr;		/* in the agent mode DR */
	char			 hash_alg[16];	/* of the file a signed EERP */
	char			 hash[2 * CMS_HASH_MAX + 1]; /* acknowledges */
};

/* What one conversion needs besides the gateway context. */
struct conv {
	struct gw		*g;
	struct queue_item	*it;
	int			 fd;		/* the input (filter: maybe a copy) */
	const uint8_t		*map;
	size_t			 maplen;
	struct p1_pdu		 pdu;
	struct p22_content	 ipm;
	struct p35_pdu		 edi;
	int			 is_edi;	/* content P35 EDIM */
	int			 edim_ok;	/* an EDIM decoded (maybe refused) */
	int			 ipm_edi;	/* an IPM carrying EDI (P2/PEDI) */
	char			 edim_text[512]; /* ipm_edi: derived EDIM id */
	size_t			 nn_sent;	/* NN EDINs written */
	char			 nn_name[NAME_MAX + 1];	/* the last one */
	char			 id[25];	/* hash of the MTS identifier */
	char			 mts_text[128];
	char			 msg_text[512];	/* IPM or EDIM identifier */
	char			 subject[4 * P22_UB_SUBJECT + 1]; /* UTF-8 */
	time_t			 now;
	time_t			 arrival;	/* first trace element */
	int			 asis;		/* filter mode: converted before,
						   the row left as it is */
	char			 date[9], time[11];	/* asis: its file's */
	char			 ackname[NAME_MAX + 1];	/* DR made */
	struct x2o_report	 dr, ndr;
	struct cms_keys		*keys;
	struct outbox		 ob;		/* the outputs, staged */
	struct x2o_tx		 msg;		/* every recipient's requests */
	struct x2o_tx		 tx[X2O_MAX_RCPT];	/* the files, in order */
	size_t			 ntx;
	char			 why[QUEUE_WHY_MAX];
};

/* The file content: the mapped PDU, or the mapped MIME temporary file. */
struct x2o_src {
	const uint8_t		*p;
	size_t			 len;
	int			 text;		/* lines (V) rather than blocks */
};

/* One file being written: for the recipient r of partnership p. */
struct x2o_file {
	const struct p1_rcpt	*r;
	const struct ox_partner	*p;
	struct x2o_tx		*x;		/* its transaction */
	struct sfid		 sf;
	struct x2o_src		 src;
	char			 desc[SFID_DESC_MAX + 1]; /* MIME description */
	char			 qdir[SPOOL_PATH_MAX];	/* where it goes */
	char			 tmpdir[SPOOL_PATH_MAX + 8];
	char			 name[64], sname[80];	/* payload, .sfid */
	const char		*queue;		/* qdir, spool relative */
	struct afile		 out;
	int			 secure;	/* OFTP2 security layers */
	int			 mfd, pfd;	/* MIME, plain payload */
	uint8_t			*mime_map;
	enum hold_mode		 hm;
};

static struct gw	 gw;
static const char	*filter_sfid;	/* filter mode: --sfid-out FILE */
/* filter mode: the payload to stdout, the .sfid to --sfid-out (or not) */
static const struct outbox_route filter_route[] = {
	{ "oftp/out", ".sfid", -1, &filter_sfid },
	{ "oftp/out", NULL, STDOUT_FILENO, NULL },
	{ NULL, NULL, -1, NULL }
};

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: x4002oftp [-v] [-c FILE] --spool | --watch\n"
	    "       x4002oftp [-v] [-c FILE] [--filter] [--sfid-out FILE] [INPUT] "
	    "> payload\n"
	    "Convert X.400 P1 messages to OFTP virtual files (payload + .sfid).\n"
	    "  --spool        process spool/x400/in once and exit (cron)\n"
	    "  --watch        process spool/x400/in as files arrive\n"
	    "  --filter       one message from INPUT (default stdin), the\n"
	    "                 payload to stdout (also without any mode)\n"
	    "  --sfid-out FILE  filter mode: write the .sfid here\n"
	    "  -c FILE        configuration (default $OXGATE_CONF, else\n"
	    "                 " OX_SYSCONFDIR "/oxgate/oxgate.ini)\n"
	    "  -v             more log; --help, --version\n");
	exit(code);
}

static int
fail(struct conv *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set the reason of a failure and return its exit code. */
static int
fail(struct conv *c, int code, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return code;
}

/* 24 hex digits of SHA-256 over a text: a stable name for it. */
static void
hash_name(const char *s, char out[25])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n;
	int		 i;

	EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
	for (i = 0; i < 12; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* --- reports ----------------------------------------------------------- */

static void
report_add(struct x2o_report *rp, const struct p1_rcpt *r, int type,
    int64_t reason, int64_t diag, time_t now)
{
	struct rpt_outcome oc = { type, reason, diag, NULL };

	if (rp->n == X2O_MAX_RCPT)
		return;
	rpt_rcpt_set(&rp->r[rp->n++], &r->name, r->osrn, r->pri, now, now,
	    &oc);
}

/*
 * Write a report on the message or probe (env) into spool/x400/out; the
 * name derives from the subject's MTS identifier and the kind, so a redo
 * writes the same file.
 */
static int
report_write(struct conv *c, const struct p1_envelope *env,
    struct x2o_report *rp, const char *kind, char *name, size_t namelen)
{
	struct rpt_report r;
	struct berw	 w;
	struct buf	 b;
	char		 h[IDENT_SZ], err[256];
	int		 rc = 0;

	ident_local(c->g->cfg.mta_designator, kind, c->mts_text, h);
	snprintf(name, namelen, "%s.p1", h);
	memset(&r, 0, sizeof(r));
	r.id = h;
	r.dest = &env->originator;
	r.subject = &env->id;
	r.ctype = env->ctype;
	if (!r.ctype.present) {			/* a probe may omit nothing */
		r.ctype.present = 1;
		r.ctype.builtin = P1_CT_P22;
	}
	r.cid = env->has_cid ? env->cid : NULL;
	r.now = c->now;
	r.nrcpt = rp->n;
	r.rcpt = rp->r;
	berw_init(&w);
	buf_init(&b);
	if (rpt_encode(&w, &c->g->cfg.gdi, &r, err, sizeof(err)) != RPT_OK)
		rc = fail(c, EX_SOFTWARE, "%s: %s", kind, err);
	else if (berw_write_buf(&w, &b) != BER_OK)
		rc = fail(c, EX_SOFTWARE, "%s encoding: %s", kind,
		    ber_strerror(w.err));
	else if (outbox_put(&c->ob, spool_queue_name(SPOOL_X400_OUT), name,
	    b.p, b.len) < 0)
		rc = fail(c, EX_TEMPFAIL, "x400/out/%.64s: %s", name,
		    strerror(errno));
	berw_free(&w);
	buf_free(&b);
	return rc;
}

/* --- trace ------------------------------------------------------------- */

/* The content type the trace keeps: its built-in number, 0 if none. */
static int
trace_ctype(const struct conv *c)
{
	int64_t	 ct = p1_ctype_number(&c->pdu.msg.env.ctype);

	return ct > 0 && ct <= P1_UB_BUILTIN_CTYPE ? (int)ct : 0;
}

/*
 * Begin (or find again) the row of transaction x, in the caller's
 * transaction; its state in *state. The OFTP date and time recorded
 * before are taken into x, so a redo makes the same file.
 */
static int
trace_begin(struct conv *c, struct x2o_tx *x, enum trace_state *state)
{
	const struct ox_partner *p = x->p;
	struct trace_row r;
	struct buf	 ob;
	int	 created;

	memset(&r, 0, sizeof(r));
	r.dir = TRACE_X4002OFTP;
	r.rcpt = x->rcpt;
	if (p != NULL)
		snprintf(r.partner, sizeof(r.partner), "%s", p->name);
	snprintf(r.mts_id, sizeof(r.mts_id), "%s", c->mts_text);
	if (c->is_edi)
		snprintf(r.edim_id, sizeof(r.edim_id), "%s", c->msg_text);
	else
		snprintf(r.ipm_id, sizeof(r.ipm_id), "%s", c->msg_text);
	if (c->ipm_edi)		/* P2 <-> PEDI: the derived EDIM identifier */
		snprintf(r.edim_id, sizeof(r.edim_id), "%s", c->edim_text);
	r.eerp_mode = p != NULL ? (int)p->eerp : 0;
	r.eerp_signed = p != NULL && p->signed_eerp;
	r.dn_req = x->dn;
	r.rn_req = x->rn;
	/* the reports' destination, and whether an NDR is owed (timers) */
	r.no_ndr = !x->ndr_owed;
	buf_init(&ob);
	if (orname_print(&c->pdu.msg.env.originator, &ob) == 0 &&
	    !buf_error(&ob) && ob.len < sizeof(r.x400_orig))
		snprintf(r.x400_orig, sizeof(r.x400_orig), "%s",
		    buf_cstr(&ob));
	buf_free(&ob);
	if (trace_begin_x400(c->g->trace, &r, c->now, &x->row, &created) < 0 ||
	    trace_record_files(c->g->trace, x->row, c->it->name, "", "",
	    c->now) < 0 || trace_record_ctype(c->g->trace, x->row,
	    trace_ctype(c), c->now) < 0 ||
	    trace_get(c->g->trace, x->row, &r) != 1)
		return -1;
	if (r.oftp.date[0] != '\0' && r.oftp.time[0] != '\0') {
		memcpy(x->date, r.oftp.date, sizeof(x->date));
		memcpy(x->time, r.oftp.time, sizeof(x->time));
	}
	*state = r.state;
	return 0;
}

/*
 * The OFTP identity of the file of transaction x, before its .sfid is
 * written: recorded in its own trace transaction (the row begun for
 * it), so that no other file gets it; a redo finds it recorded and
 * makes the same file. The trace's unique key decides: when another
 * transaction has this DSN, originator, destination, date and time
 * (another message, or another recipient's file of this one), the next
 * counter of SFIDTIME (after 9999, the next second) is tried. Returns
 * EX_OK or EX_TEMPFAIL.
 */
static int
claim_oftp_id(struct conv *c, struct x2o_tx *x, struct sfid *sf)
{
	struct trace	*t = c->g->trace;
	struct trace_oftp_id oid;
	enum trace_state s;
	time_t		 when = c->now;
	unsigned	 counter, tries;
	int		 r = -1;

	counter = (unsigned)strtoul(c->id + 20, NULL, 16) % 9999 + 1;
	for (tries = 0; tries < 4 * 9999; tries++) {
		if (trace_batch_begin(t) < 0 || trace_begin(c, x, &s) < 0)
			break;
		if (s != TRACE_S_RECEIVED) {
			trace_batch_rollback(t);
			return fail(c, EX_TEMPFAIL, "transaction %lld became %s "
			    "meanwhile (another process)", (long long)x->row,
			    trace_state_name(s));
		}
		if (x->date[0] == '\0') {
			sfid_stamp(when, counter, sf->date, sf->time);
			gw_oftp_id(&oid, sf);
			if ((r = trace_record_oftp_id(t, x->row, &oid,
			    c->now)) < 0)
				break;
		} else {		/* recorded before: the same file */
			memcpy(sf->date, x->date, sizeof(sf->date));
			memcpy(sf->time, x->time, sizeof(sf->time));
			r = 0;
		}
		if (r == 0) {
			if (trace_batch_commit(t) < 0)
				break;
			memcpy(x->date, sf->date, sizeof(x->date));
			memcpy(x->time, sf->time, sizeof(x->time));
			return EX_OK;
		}
		trace_batch_rollback(t);
		if (++counter > 9999) {
			counter = 1;
			when++;
		}
	}
	trace_batch_rollback(t);
	if (r == 1)
		return fail(c, EX_TEMPFAIL, "no free OFTP identity for %s",
		    sf->dsn);
	return fail(c, EX_TEMPFAIL, "trace: %.400s", trace_error(t));
}

/* The rows of one message (trace_list_message()). */
struct x2o_rows {
	int64_t		 id[X2O_MAX_RCPT + 1];
	size_t		 n;
};

static int
collect_row(const struct trace_row *r, void *arg)
{
	struct x2o_rows	*rows = arg;

	if (rows->n < sizeof(rows->id) / sizeof(rows->id[0]))
		rows->id[rows->n++] = r->id;
	return 0;
}

/*
 * Handled before: a redo after a crash (the outcome was committed, not
 * all of it published perhaps), or the same message again. Publish
 * what was recorded for any of its transactions and still waits in
 * tmp/, and repeat the outcome; never convert again.
 */
static int
handled_before(struct conv *c, const struct trace_row *r)
{
	struct x2o_rows	 rows;
	char	 err[512];
	size_t	 i, k, n = 0;

	rows.n = 0;
	if (trace_list_message(c->g->trace, TRACE_X4002OFTP, c->mts_text,
	    collect_row, &rows) < 0)
		return fail(c, EX_TEMPFAIL, "trace: %.400s",
		    trace_error(c->g->trace));
	for (i = 0; i < rows.n; i++, n += k)
		if (outbox_publish_row(c->g->cfg.spool, c->g->trace,
		    rows.id[i], &k, err, sizeof(err)) < 0)
			return fail(c, EX_TEMPFAIL, "publishing the outputs of "
			    "transaction %lld: %.400s", (long long)rows.id[i],
			    err);
	if (r->state == TRACE_S_FAILED)
		return fail(c, EX_DATAERR, "refused before (transaction %lld): "
		    "%.400s", (long long)r->id, r->note);
	if (n > 0)
		log_info("%s: %s: finished transaction %lld (%zu output%s "
		    "published)", c->it->name, c->mts_text, (long long)r->id,
		    n, n == 1 ? "" : "s");
	else
		log_warn("%s: %s was converted before (transaction %lld, "
		    "%s): not converted again", c->it->name, c->mts_text,
		    (long long)r->id, trace_state_name(r->state));
	return EX_OK;
}

/*
 * One transaction's outcome, in the caller's trace transaction: its
 * recipients (addr, na), files, hash, EDIN, state and deadline (an
 * agent-mode file: its partnership's delivery timer instead of the
 * X.400 expiry). A file goes on held or diverted as its partnership
 * was, its deadline running; the rest take st. 1 when another
 * process decided it first, -1 when the trace failed.
 */
static int
commit_tx(struct conv *c, struct x2o_tx *x, const char *const *addr,
    size_t na, enum trace_state st, time_t deadline, const char *note)
{
	struct trace	*t = c->g->trace;
	enum trace_state s;
	int		 ok = st != TRACE_S_FAILED;

	if (trace_begin(c, x, &s) < 0)
		return -1;
	if (s != TRACE_S_RECEIVED)
		return 1;
	/* agent mode: the delivery timer; transfer mode: the X.400 expiry */
	if (ok && deadline != 0 && x->p != NULL && x->p->mode == PARTNER_AGENT)
		deadline = c->now + 3600 * (time_t)partner_timer(&c->g->cfg,
		    x->p, CONFIG_TIMER_DELIVERY);
	/* held and diverted files keep their deadline */
	if (ok && x->hm == HOLD_HELD) {
		st = TRACE_S_HELD;
		note = "partnership on hold: in spool/hold/ until released or "
		    "sent in a session of the station";
	} else if (ok && x->hm == HOLD_DIVERTED) {
		st = TRACE_S_DIVERTED;
		note = "partnership diverted: in spool/overflow/ until oxtrace "
		    "overflow reactivate";
	}
	if ((c->is_edi && trace_record_edin_req(t, x->row, x->edin_req,
	    c->now) < 0) || (na > 0 && trace_record_recipients(t, x->row,
	    addr, na, c->now) < 0) || trace_record_files(t, x->row, NULL,
	    ok ? x->name : "", x->dr || x->rcpt == 0 ? c->ackname : "",
	    c->now) < 0 || (ok && x->hash[0] != '\0' &&
	    trace_record_hash(t, x->row, x->hash_alg, x->hash, c->now) < 0) ||
	    (c->nn_sent > 0 && !ok && trace_record_edin_sent(t, x->row, "NN",
	    c->now) < 0) ||
	    trace_record_state(t, x->row, st, c->now, deadline, note) < 0)
		return -1;
	return 0;
}

/*
 * The outcome in one trace transaction: each file's transaction (or,
 * when none was made, the message's: every recipient of ours), with
 * its recipient, file and EDIN (an NN for the whole EDIM refused: no PN
 * is owed any more; an NN for an unknown recipient leaves the others'
 * PN owed), its state; the staged outputs, recorded with the first;
 * then they are published. A refusal (st failed) fails every
 * transaction begun for the message. Returns rc (the outcome's exit
 * code), EX_TEMPFAIL when the trace did not take it (the staged files
 * are removed; the redo does it again) or when publishing failed (the
 * redo publishes), or what another process decided meanwhile.
 */
static int
commit(struct conv *c, int rc, const char *const *addr, size_t na,
    enum trace_state st, time_t deadline, const char *note)
{
	struct trace	*t = c->g->trace;
	struct x2o_tx	*lead = c->ntx > 0 ? &c->tx[0] : &c->msg;
	struct trace_row r;
	const char	*one[1];
	char		 err[512];
	size_t		 i;
	int		 dup = 0;

	if (c->asis)				/* converted before: as is */
		return rc;
	if (trace_batch_begin(t) < 0)
		goto fail;
	for (i = 0; i < c->ntx || (i == 0 && c->ntx == 0); i++) {
		one[0] = c->tx[i].addr;
		dup = c->ntx == 0 ? commit_tx(c, &c->msg, addr, na, st,
		    deadline, note) : commit_tx(c, &c->tx[i], one, 1, st,
		    deadline, i == 0 || st == TRACE_S_FAILED ? note :
		    c->tx[i].dr ? "agent mode: delivery report written; "
		    "waiting for the EERP" : "waiting for the EERP");
		if (dup != 0)
			break;
	}
	if (dup < 0)
		goto fail;
	if (dup == 1) {
		trace_batch_rollback(t);
		outbox_abort(&c->ob);
		dup = OUTBOX_BEFORE;
	} else
		dup = outbox_commit(&c->ob, t, lead->row, c->now, err,
		    sizeof(err));
	if (dup == OUTBOX_BEFORE) {
		if (trace_get(t, lead->row, &r) != 1)
			goto fail;
		return handled_before(c, &r);
	}
	if (dup != 0)
		return fail(c, EX_TEMPFAIL, "%.400s", err);
	return rc;
fail:
	rc = fail(c, EX_TEMPFAIL, "trace: %.400s", trace_error(t));
	trace_batch_rollback(t);
	outbox_abort(&c->ob);
	return rc;
}

/* --- X.435 EDI notifications ------------------------------------------ */

/* The EDI notification requests (P35_NR_*) the EDIM heading makes of who. */
static unsigned
edin_requests(const struct conv *c, const struct orname *who)
{
	size_t	 i;

	if (!c->edim_ok)
		return 0;
	for (i = 0; i < c->edi.h.nrcpt; i++)
		if (c->edi.h.rcpt[i].has_notif &&
		    ormatch_name(&c->edi.h.rcpt[i].name, who))
			return (unsigned)c->edi.h.rcpt[i].notif & (P35_NR_PN |
			    P35_NR_NN | P35_NR_FN);
	return 0;
}

/*
 * The EDIM cannot be handed on to the recipient r: when r asked for
 * negative notifications, an NN EDIN (EDI-UA/MS, unspecified, the reason
 * why as supplementary information) to the originator, written into
 * spool/x400/out under a name derived from the MTS identifier and r (a
 * redo writes the same file). Filter mode writes nothing (logged).
 * Returns EX_OK, or EX_TEMPFAIL when the file could not be written.
 */
static int
edin_refused(struct conv *c, const struct p1_rcpt *r, const char *why)
{
	struct rpt_edin	 e;
	struct berw	 w, content;
	struct buf	 b;
	char		 key[256], h[IDENT_SZ], name[64], err[256];
	int		 rc = EX_OK;

	if (!(edin_requests(c, &r->name) & P35_NR_NN))
		return EX_OK;
	if (c->it->filter) {
		log_warn("%.255s: the negative EDI notification owed is not "
		    "written in filter mode", c->it->name);
		return EX_OK;
	}
	snprintf(key, sizeof(key), "%s|%lld", c->mts_text,
	    (long long)r->osrn);
	ident_local(c->g->cfg.mta_designator, "edin-nn", key, h);
	snprintf(name, sizeof(name), "%s.p1", h);
	memset(&e, 0, sizeof(e));
	e.kind = P35_NN;
	e.source = P35_RC_UA_MS;
	e.basic = P35_NN_UA_UNSPECIFIED;
	e.suppl = why;
	berw_init(&w);
	berw_init(&content);
	buf_init(&b);
	if (rpt_build_edin(&w, &content, &c->g->cfg.gdi, h,
	    &c->edi.h.this_edim, &c->pdu.msg.env.originator, &r->name,
	    &r->name, c->now, &e, err, sizeof(err)) != RPT_OK)
		log_error("%.255s: negative EDI notification: %s", c->it->name,
		    err);
	else if (berw_write_buf(&w, &b) != BER_OK || buf_error(&b))
		log_error("%.255s: negative EDI notification: out of memory",
		    c->it->name);
	else if (outbox_put(&c->ob, spool_queue_name(SPOOL_X400_OUT), name,
	    b.p, b.len) < 0)
		rc = fail(c, EX_TEMPFAIL, "x400/out/%.64s: %s", name,
		    strerror(errno));
	else {
		c->nn_sent++;
		snprintf(c->nn_name, sizeof(c->nn_name), "%s", name);
		log_info("%.255s: negative EDI notification x400/out/%s on %s "
		    "staged", c->it->name, name, c->msg_text);
	}
	buf_free(&b);
	berw_free(&content);
	berw_free(&w);
	return rc;
}

/* Every recipient of ours: the NN owed when the EDIM is refused. */
static int
edin_refused_all(struct conv *c, const char *why)
{
	const struct p1_envelope *env = &c->pdu.msg.env;
	size_t	 i;

	for (i = 0; i < env->nrcpt; i++)
		if ((env->rcpt[i].pri & P1_PRI_RESPONSIBILITY) &&
		    edin_refused(c, &env->rcpt[i], why) != EX_OK)
			return EX_TEMPFAIL;
	return EX_OK;
}

/* --- the file ---------------------------------------------------------- */

/* What did not map into the MIME header, logged. */
static void
mime_warn(void *arg, const char *msg)
{
	(void)arg;
	log_warn("%s", msg);
}

/*
 * The MIME entity of the IPM into a temporary file (CR LF lines): a
 * multipart/mixed of every body part, or the one S/MIME part. With the
 * usage "header" the file starts with the MIME header; otherwise it
 * holds the body only, and "description" puts the Content-Type into
 * desc.
 */
static int
mime_build(struct conv *c, const struct ox_partner *p, const char *tmpdir,
    const struct orname *to, int *fdp, char *desc, size_t desclen)
{
	struct mime_out	 m;
	char		 boundary[64];
	int		 fd;

	if ((fd = afile_anon(tmpdir)) < 0)
		return fail(c, EX_TEMPFAIL, "%.300s: %s", tmpdir,
		    strerror(errno));
	snprintf(boundary, sizeof(boundary), "_oxgate_%s", c->id);
	mime_out_init(&m);
	m.mixer = gw_mixer(c->g);
	m.ctypes = gw_ctypes(c->g);
	m.mode = p1_ctype_number(&c->pdu.msg.env.ctype) == P1_CT_P2 ? CTYPES_1984 :
	    CTYPES_1988;
	m.ipm = &c->ipm;
	m.env_orig = &c->pdu.msg.env.originator;
	m.to = to;
	m.subject = c->subject;
	m.date = c->arrival != 0 ? c->arrival : c->now;
	m.boundary = boundary;
	m.header = p->mime == PARTNER_MIME_HEADER;
	m.fd = c->fd;
	m.map = c->map;
	m.maplen = c->maplen;
	m.warn = mime_warn;
	if (mime_out_write(&m, fd, desc, desclen) < 0) {
		close(fd);
		return fail(c, EX_TEMPFAIL, "MIME: cannot write the "
		    "temporary file");
	}
	*fdp = fd;
	return EX_OK;
}

/*
 * Whether the IPM needs MIME: several body parts, S/MIME, or one body part
 * for a partnership with mime = header, whose MIME header carries the
 * subject (seed: "Betreff ... im MIME Header der Nutzdaten abgebildet
 * (bei V1.4 und V2.0)"; an OFTP 1.4 station has no SFIDDESC). An EDI
 * interchange in an IPM stays the file itself (P2 <-> PEDI).
 */
static int
needs_mime(const struct conv *c, const struct ox_partner *p)
{
	size_t	 i;

	if (c->is_edi)
		return 0;
	if (c->ipm.nbp != 1)
		return 1;
	if (p->mime == PARTNER_MIME_HEADER && !c->ipm_edi)
		return 1;
	for (i = 0; i < c->ipm.nbp; i++)
		if (c->ipm.bp[i].type == P22_BP_FTBP &&
		    c->ipm.bp[i].ftbp != NULL && c->ipm.bp[i].ftbp->is_cms)
			return 1;
	return 0;
}

/*
 * Our key and certificate as the file's originating station (the
 * virtual station's own, else the general one) and the certificate of
 * its destination (a routed station's own, else the partnership's):
 * gw/partners partner_keys_load().
 */
static int
load_keys(struct conv *c, const struct x2o_file *f, char *err,
    size_t errlen)
{
	cms_keys_free(c->keys);
	c->keys = NULL;
	return partner_keys_load(f->p, &c->g->cfg, f->sf.orig, f->sf.dest,
	    &c->keys, err, errlen);
}

#define X2O_CHUNK	(4u << 20)	/* formatted between page drops */

/*
 * Format the content a chunk at a time. When the content lies in a
 * read-only file mapping (base, baselen), the pages behind are dropped
 * (MADV_DONTNEED: they come back from the file if touched again), so a
 * 100 MB body part does not stay resident.
 */
static void
payload_put(struct rec_writer *w, const uint8_t *p, size_t len,
    const uint8_t *base, size_t baselen)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE), a, z;
	size_t	 k;
	int	 drop = base != NULL && p >= base && len <= baselen &&
		    (size_t)(p - base) <= baselen - len;

	while (len > 0) {
		k = len < X2O_CHUNK ? len : X2O_CHUNK;
		rec_writer_put(w, p, k);
		if (drop) {	/* base is page aligned (mmap) */
			a = (uintptr_t)p - (uintptr_t)p % pg;
			z = ((uintptr_t)p + k) - ((uintptr_t)p + k) % pg;
			if (z > a)
				madvise((void *)a, z - a, MADV_DONTNEED);
		}
		p += k;
		len -= k;
	}
}

/* The SFID: destination, originator, VDSN, OFTP date and time, format. */
static int
file_sfid(struct conv *c, struct x2o_file *f)
{
	const struct ox_partner *p = f->p;
	struct sfid	*sf = &f->sf;
	const char	*odid;
	char		 id[ODETTE_ID_LEN + 1];

	sfid_init(sf);
	odid = odette_or_id(&f->r->name);
	if (odid != NULL && odette_id_fold(odid, id) == 0 &&
	    !odette_id_eq(id, p->odette) &&
	    strncmp(id, PARTNER_VSTATION, strlen(PARTNER_VSTATION)) != 0)
		snprintf(sf->dest, sizeof(sf->dest), "%s", id); /* routed */
	else
		snprintf(sf->dest, sizeof(sf->dest), "%s", p->odette);
	if (p->userid[0] != '\0' && ormatch_name(&c->pdu.msg.env.originator,
	    &p->x400))
		snprintf(sf->orig, sizeof(sf->orig), "%s%s", PARTNER_VSTATION,
		    p->userid);
	else
		snprintf(sf->orig, sizeof(sf->orig), "%s",
		    c->g->cfg.station_id);
	if (p->vdsn[0] != '\0')
		snprintf(sf->dsn, sizeof(sf->dsn), "%s", p->vdsn);
	else {
		sfid_dsn_from(c->subject, sf->dsn);
		if (sf->dsn[0] == '\0')
			sfid_dsn_from(c->is_edi ? c->edi.h.this_edim.local :
			    c->ipm.h.this_ipm.local, sf->dsn);
		if (sf->dsn[0] == '\0')
			snprintf(sf->dsn, sizeof(sf->dsn), "X400.%.12s", c->id);
	}
	sf->format = p->format;
	sf->lrecl = p->format == 'F' || p->format == 'V' ? p->lrecl : 0;
	sf->sign = p->signed_eerp && p->oftp != 14 ? 'Y' : 'N';
	/* the suite a signed EERP uses, secured file or not (RFC 5024
	 * 5.3.3 SFIDCIPH, rfc5024.txt:2678) */
	sf->ciph = sf->sign == 'Y' ? (unsigned)p->cipher : 0;
	if (!c->asis)
		return claim_oftp_id(c, f->x, sf);
	memcpy(sf->date, c->date, sizeof(sf->date));
	memcpy(sf->time, c->time, sizeof(sf->time));
	return EX_OK;
}

/* The content as a MIME entity (mapped from its temporary file). */
static int
file_mime(struct conv *c, struct x2o_file *f)
{
	struct stat	 st;
	int		 rc;

	if ((rc = mime_build(c, f->p, f->tmpdir, &f->r->name, &f->mfd,
	    f->desc, sizeof(f->desc))) != EX_OK)
		return rc;
	if (fstat(f->mfd, &st) < 0 || (st.st_size > 0 && (f->mime_map =
	    mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, f->mfd, 0)) ==
	    MAP_FAILED)) {
		f->mime_map = NULL;
		return fail(c, EX_OSERR, "MIME: mmap: %s", strerror(errno));
	}
	f->src.p = f->mime_map;
	f->src.len = (size_t)st.st_size;
	return EX_OK;
}

/*
 * The content: the interchange, the MIME entity, or the one body part.
 * mime = none and one S/MIME body part (issue 22): the seed advises
 * against the setting ("sollte hier aber nicht verwendet werden") but
 * names no refusal, and "none" sends no header: the file is the FTBP's
 * data, the CMS object itself (DER), as for any one body part.
 */
static int
file_source(struct conv *c, struct x2o_file *f)
{
	const struct ox_partner *p = f->p;
	const struct p22_bodypart *bp = &c->ipm.bp[0];

	f->src.text = 1;
	if (c->is_edi) {
		f->src.p = c->edi.body.edi.p;
		f->src.len = c->edi.body.edi.len;
		return EX_OK;
	}
	if (needs_mime(c, p) && p->mime == PARTNER_MIME_NONE &&
	    c->ipm.nbp == 1)
		log_warn("%s: partnership [%.64s] has mime = none: the S/MIME "
		    "body part goes as its CMS object (DER), without the MIME "
		    "header that would name it (mime = header or description "
		    "sends it as S/MIME)", c->id, p->name);
	else if (needs_mime(c, p))
		return file_mime(c, f);
	f->src.p = bp->data.p;
	f->src.len = bp->data.len;
	f->src.text = bp->type == P22_BP_IA5 ||
	    bp->type == P22_BP_GENERAL_TEXT;
	if (bp->type == P22_BP_MESSAGE || bp->type == P22_BP_OTHER) {
		f->src.p = bp->raw.p;
		f->src.len = bp->raw.len;
		f->src.text = 0;
	}
	return EX_OK;
}

/* The SFID description: the MIME Content-Type, else the subject. */
static void
file_desc(const struct conv *c, struct x2o_file *f)
{
	char	*d = f->sf.desc;
	size_t	 i;

	if (f->p->oftp == 14)
		return;
	if (f->p->mime == PARTNER_MIME_DESCRIPTION && f->desc[0] != '\0')
		snprintf(d, sizeof(f->sf.desc), "%s", f->desc);
	else
		snprintf(d, sizeof(f->sf.desc), "%s", c->subject);
	/* a .sfid value cannot hold both quotes: " becomes ' */
	if (strchr(d, '\'') != NULL)
		for (i = 0; d[i] != '\0'; i++)
			if (d[i] == '"')
				d[i] = '\'';
}

/*
 * The names (from the MTS identifier and the recipient number) and
 * where the file goes: oftp/out, or hold/PARTNER or overflow (oxtrace
 * partner); the payload opened there (filter mode: stdout), and the
 * temporary file of the plain payload when it is secured.
 */
static int
file_open(struct conv *c, struct x2o_file *f)
{
	char	 key[256], err[512];

	snprintf(key, sizeof(key), "%s|%lld", c->mts_text,
	    (long long)f->r->osrn);
	hash_name(key, f->name);
	snprintf(f->sname, sizeof(f->sname), "%s.sfid", f->name);
	if (!c->it->filter && hold_target(c->g->trace, c->g->cfg.spool,
	    f->p->name, f->name, f->qdir, sizeof(f->qdir), &f->hm, err,
	    sizeof(err)) < 0)
		return fail(c, EX_TEMPFAIL, "%.400s", err);
	/* the queue relative to the spool root, for the trace */
	f->queue = f->qdir + strlen(c->g->cfg.spool) + 1;
	if (outbox_open(&c->ob, &f->out, f->queue, f->name) < 0)
		return fail(c, outbox_errcode(&c->ob), "%.300s/tmp: %s",
		    f->qdir, strerror(errno));
	if (f->secure && (f->pfd = afile_anon(f->tmpdir)) < 0) {
		afile_abort(&f->out);
		return fail(c, EX_TEMPFAIL, "%.300s: %s", f->tmpdir,
		    strerror(errno));
	}
	return EX_OK;
}

/* The payload in its file format: into the output, or the temporary
 * file when it is secured. */
static int
file_format(struct conv *c, struct x2o_file *f)
{
	struct rec_writer *w;
	uint64_t	 plain;
	int		 rc = EX_OK;

	if ((w = malloc(sizeof(*w))) == NULL) {
		afile_abort(&f->out);
		return fail(c, EX_OSERR, "out of memory");
	}
	if (rec_writer_init(w, f->sf.format, f->sf.lrecl, f->src.text,
	    f->secure ? f->pfd : f->out.fd) != REC_OK) {
		afile_abort(&f->out);
		free(w);
		return fail(c, EX_CONFIG, "partnership [%.64s]: format %c "
		    "needs an lrecl", f->p->name, f->sf.format);
	}
	if (f->mime_map != NULL)
		payload_put(w, f->src.p, f->src.len, f->mime_map, f->src.len);
	else
		payload_put(w, f->src.p, f->src.len, c->map, c->maplen);
	if (rec_writer_finish(w) < 0) {
		afile_abort(&f->out);
		rc = fail(c, f->secure ? EX_TEMPFAIL : outbox_errcode(&c->ob),
		    "%.300s: %s", f->secure ? f->tmpdir : c->it->filter ?
		    "stdout" : f->qdir, strerror(errno));
	}
	plain = w->written;
	free(w);
	f->sf.osize = f->sf.fsize = (plain + 1023) / 1024;
	return rc;
}

/* OFTP2 security: the plain payload signed / compressed / encrypted
 * into the output, per the partnership. */
static int
file_secure(struct conv *c, struct x2o_file *f)
{
	const struct ox_partner *p = f->p;
	struct cms_opts	 o;
	struct cms_result res;
	char		 err[512];

	if (!f->secure)
		return EX_OK;
	memset(&o, 0, sizeof(o));
	o.suite = p->cipher;
	o.tmpdir = f->tmpdir;
	if (p->sign)
		o.layers |= CMS_LAYER_SIGNED;
	if (p->compress)
		o.layers |= CMS_LAYER_COMPRESSED;
	if (p->encrypt)
		o.layers |= CMS_LAYER_ENVELOPED;
	if (load_keys(c, f, err, sizeof(err)) != CMS_OK) {
		afile_abort(&f->out);
		return fail(c, EX_CONFIG, "partnership [%.64s]: keys: %.300s",
		    p->name, err);
	}
	if (lseek(f->pfd, 0, SEEK_SET) < 0 || cms_wrap(c->keys, &o, f->pfd,
	    f->out.fd, &res, err, sizeof(err)) != CMS_OK) {
		afile_abort(&f->out);
		return fail(c, EX_TEMPFAIL, "OFTP2 security: %.400s", err);
	}
	f->sf.sec = res.sec;
	f->sf.ciph = res.ciph;
	f->sf.comp = res.comp;
	f->sf.env = res.env;
	f->sf.fsize = res.fsize;
	f->sf.osize = res.osize;
	return EX_OK;
}

/*
 * The hash of the virtual file as sent (RFC 5024 5.3.13 EERPHSH,
 * rfc5024.txt:3339: "Hash of the transmitted Virtual File"), with the
 * partnership's cipher suite,
 * when it asks for signed EERPs: eerp2report checks the EERP's hash
 * against the one the trace keeps, each file's in its own transaction.
 */
static int
file_hash(struct conv *c, struct x2o_file *f)
{
	uint8_t	 h[CMS_HASH_MAX];
	size_t	 n, i;
	char	 err[256];
	int	 fd, e;

	if (c->it->filter || !f->p->signed_eerp || f->p->oftp == 14 ||
	    cms_suite(f->p->cipher) == NULL)
		return EX_OK;
	if ((fd = openat(f->out.dirfd, f->out.tmpname, O_RDONLY |
	    O_CLOEXEC)) < 0) {
		e = fail(c, EX_TEMPFAIL, "%.300s/%s: %s", f->qdir,
		    f->out.tmpname, strerror(errno));
		afile_abort(&f->out);
		return e;
	}
	e = cms_hash_fd(f->p->cipher, fd, h, &n, err, sizeof(err));
	close(fd);
	if (e != CMS_OK) {
		afile_abort(&f->out);
		return fail(c, EX_TEMPFAIL, "hash of the file sent: %.200s",
		    err);
	}
	for (i = 0; i < n && i < CMS_HASH_MAX; i++)
		snprintf(f->x->hash + 2 * i, 3, "%02x", h[i]);
	snprintf(f->x->hash_alg, sizeof(f->x->hash_alg), "%s",
	    cms_suite(f->p->cipher)->hash);
	return EX_OK;
}

/*
 * The .sfid, made before the payload is committed (a payload never
 * stays in the queue without it), written last: the commit marker
 * (filter mode: to --sfid-out).
 */
static int
file_commit(struct conv *c, struct x2o_file *f)
{
	struct buf	 b;
	char		 err[512];
	int		 rc;

	if (sfid_ox_set(&f->sf, "mts-id", c->mts_text, err, sizeof(err)) !=
	    SFID_OK)	/* informational only: the file goes on without it */
		log_warn("%s: %s: mts-id left out of the .sfid: %s",
		    c->it->name, c->mts_text, err);
	buf_init(&b);
	if (sfid_write(&f->sf, &b, err, sizeof(err)) != SFID_OK) {
		afile_abort(&f->out);
		rc = fail(c, EX_DATAERR, "SFID: %.400s", err);
	} else if (outbox_stage(&c->ob, f->queue, &f->out) < 0)
		rc = fail(c, outbox_errcode(&c->ob), "%.300s/%s: %s", f->qdir,
		    f->name, strerror(errno));
	else if (outbox_put(&c->ob, f->queue, f->sname, b.p, b.len) < 0)
		rc = fail(c, outbox_errcode(&c->ob), "%.300s: %s",
		    c->it->filter ? filter_sfid : f->sname, strerror(errno));
	else
		rc = EX_OK;
	buf_free(&b);
	return rc;
}

/* The file written: named for its transaction, logged. */
static void
file_done(struct conv *c, const struct x2o_file *f)
{
	int		 held = f->hm == HOLD_HELD;
	char		 where[PARTNER_NAME_MAX + 16];

	snprintf(f->x->name, sizeof(f->x->name), "%s", c->it->filter ?
	    "(stdout)" : f->name);
	f->x->hm = f->hm;
	snprintf(where, sizeof(where), "%s/%s%s", hold_mode_queue(f->hm),
	    held ? f->p->name : "", held ? "/" : "");
	log_info("%s: %s -> %s%s (%s, %c) for [%s]", c->it->name, c->mts_text,
	    c->it->filter ? "" : where, c->it->filter ? "stdout" : f->name,
	    f->sf.dsn, f->sf.format, f->p->name);
}

/*
 * Write the file for the recipient r of partnership p, its transaction
 * x: the SFID, the content, the payload formatted (and secured), then
 * the .sfid, both committed with the outbox into spool/oftp/out (filter
 * mode: the payload to stdout, the .sfid to --sfid-out).
 */
static int
write_file(struct conv *c, const struct p1_rcpt *r, const struct ox_partner *p,
    struct x2o_tx *x)
{
	struct x2o_file	*f;
	int		 rc;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return fail(c, EX_OSERR, "out of memory");
	f->r = r;
	f->p = p;
	f->x = x;
	f->mfd = f->pfd = -1;
	f->hm = HOLD_OUT;
	gw_queue(c->g, SPOOL_OFTP_OUT, f->qdir, sizeof(f->qdir));
	snprintf(f->tmpdir, sizeof(f->tmpdir), "%s/tmp", f->qdir);
	f->secure = p->oftp != 14 && (p->sign || p->encrypt || p->compress);
	if ((rc = file_sfid(c, f)) == EX_OK &&
	    (rc = file_source(c, f)) == EX_OK) {
		file_desc(c, f);
		if ((rc = file_open(c, f)) == EX_OK &&
		    (rc = file_format(c, f)) == EX_OK &&
		    (rc = file_secure(c, f)) == EX_OK &&
		    (rc = file_hash(c, f)) == EX_OK &&
		    (rc = file_commit(c, f)) == EX_OK)
			file_done(c, f);
	}
	if (rc != EX_OK)		/* no file: nothing to acknowledge */
		x->hash[0] = '\0';
	if (f->pfd >= 0)
		close(f->pfd);
	if (f->mime_map != NULL)
		munmap(f->mime_map, f->src.len);
	if (f->mfd >= 0)
		close(f->mfd);
	free(f);
	return rc;
}

/* --- the kinds of input ------------------------------------------------ */

/* Reports, IPNs and EDINs go unchanged to spool/x400/reports. */
static int
forward(struct conv *c, const char *what)
{
	char	 dir[SPOOL_PATH_MAX], to[SPOOL_PATH_MAX + NAME_MAX + 2];

	if (c->it->filter)
		return fail(c, EX_DATAERR, "%.40s: refused in filter mode: only "
		    "IPMs and EDIMs become OFTP files (reports, IPNs and EDINs "
		    "are for report2eerp: put them into spool/x400/in and run "
		    "x4002oftp --spool)", what);
	/*
	 * The input itself moves there (one rename: a redo finds it gone
	 * and has nothing left to do, so report2eerp never gets it twice);
	 * a report of the same name not yet taken there is not replaced.
	 */
	gw_queue(c->g, SPOOL_X400_REPORTS, dir, sizeof(dir));
	if (snprintf(to, sizeof(to), "%s/%s", dir, c->it->name) >=
	    (int)sizeof(to))
		return fail(c, EX_DATAERR, "x400/reports/%.100s: name too long",
		    c->it->name);
	if (renameat2(AT_FDCWD, c->it->path, AT_FDCWD, to,
	    RENAME_NOREPLACE) < 0)
		return fail(c, EX_TEMPFAIL, "x400/reports/%.100s: %s%s",
		    c->it->name, strerror(errno), errno == EEXIST ? " (not "
		    "taken yet by report2eerp: tried again later)" : "");
	if (fsync_dir(dir) < 0)
		return fail(c, EX_TEMPFAIL, "x400/reports: fsync: %s",
		    strerror(errno));
	log_info("%s: %s -> x400/reports", c->it->name, what);
	return EX_OK;
}

/* A probe: a delivery report when every recipient is a partnership. */
static int
answer_probe(struct conv *c)
{
	const struct p1_envelope *env = &c->pdu.msg.env;
	char	 name[64], err[512];
	size_t	 i;
	int	 rc;

	if (c->it->filter)
		return fail(c, EX_DATAERR, "probe: refused in filter mode: it "
		    "is answered with a report into the spool (run x4002oftp "
		    "--spool)");
	gw_mtsid_text(&env->id, c->mts_text, sizeof(c->mts_text));
	for (i = 0; i < env->nrcpt; i++) {
		if (partner_by_orname(&c->g->partners, &env->rcpt[i].name))
			report_add(&c->dr, &env->rcpt[i], P1_DELIVERY, 0, 0,
			    c->now);
		else
			report_add(&c->ndr, &env->rcpt[i], P1_NON_DELIVERY,
			    NDR_UNABLE_TO_TRANSFER, DIAG_UNRECOGNISED_OR_NAME,
			    c->now);
	}
	if (c->dr.n > 0 && (rc = report_write(c, env, &c->dr, "probe-dr",
	    name, sizeof(name))) != EX_OK)
		return rc;
	if (c->ndr.n > 0 && (rc = report_write(c, env, &c->ndr, "probe-ndr",
	    name, sizeof(name))) != EX_OK)
		return rc;
	/* no transaction, no trace row: the reports are published at once
	 * (a crash before the probe leaves its queue answers it again) */
	if (outbox_publish(&c->ob, err, sizeof(err)) < 0)
		return fail(c, EX_TEMPFAIL, "%.400s", err);
	log_info("%s: probe %s answered (%zu deliverable, %zu not)",
	    c->it->name, c->mts_text, c->dr.n, c->ndr.n);
	return EX_OK;
}

/*
 * P2 <-> PEDI conversion rules (x4002oftp(1)): an IPM whose one body
 * part, IA5 or general text, starts with an EDI interchange is EDI
 * traffic. Its EDIM identifier is derived from the originator (the
 * heading's, else the envelope's) and the IPM identifier's local part,
 * for the trace and for EDI notifications that refer to it.
 */
static void
ipm_edi_rules(struct conv *c)
{
	const struct p22_heading *h = &c->ipm.h;
	const struct p22_bodypart *bp = &c->ipm.bp[0];
	struct p22_ipmid id;

	if (c->ipm.nbp != 1 || (bp->type != P22_BP_IA5 &&
	    bp->type != P22_BP_GENERAL_TEXT) ||
	    edipart_detect(bp->data.p, bp->data.len) == EDIPART_NONE)
		return;
	c->ipm_edi = 1;
	memset(&id, 0, sizeof(id));
	id.has_user = 1;
	id.user = h->has_originator && h->originator.has_formal ?
	    h->originator.formal : c->pdu.msg.env.originator;
	snprintf(id.local, sizeof(id.local), "%s", h->this_ipm.local);
	gw_ipmid_text(&id, c->edim_text, sizeof(c->edim_text));
}

/*
 * Decode the content. Returns EX_OK with c->ipm or c->edi set, 1 when
 * the content is a notification (forwarded), or an error.
 */
static int
decode_content(struct conv *c, int64_t *diag)
{
	const struct p1_message *m = &c->pdu.msg;
	struct ber_dec	 d;
	struct p22_ipmid id;
	int64_t		 ct = p1_ctype_number(&m->env.ctype);
	char		 ctext[P1_OID_MAX];

	ber_dec_init(&d);
	*diag = DIAG_CONTENT_SYNTAX;
	if (ct == P1_CT_P22 || ct == P1_CT_P2) {
		if (p22_decode(&d, NULL, m->content.p, m->content.len,
		    &c->ipm) != BER_OK)
			return fail(c, EX_DATAERR, "P22 content: offset %zu: "
			    "%.100s: %s", d.err_off, d.err_field ? d.err_field :
			    "?", ber_strerror(d.err));
		if (c->ipm.kind == P22_IPN)
			return 1;
		if (c->ipm.nbp == 0)
			return fail(c, EX_DATAERR, "the IPM has no body part");
		gw_ipmid_text(&c->ipm.h.this_ipm, c->msg_text,
		    sizeof(c->msg_text));
		ipm_edi_rules(c);
		if (c->ipm.h.has_subject) {
			struct buf b;
			char	  *s;

			buf_init(&b);
			t61_to_utf8(c->ipm.h.subject, c->ipm.h.subjlen, &b);
			snprintf(c->subject, sizeof(c->subject), "%s",
			    buf_cstr(&b));
			buf_free(&b);
			/* one line: CR, LF and other controls become spaces
			 * (for the SFID's desc, the MIME Subject, the VDSN) */
			for (s = c->subject; *s != '\0'; s++)
				if ((unsigned char)*s < 0x20 || *s == 0x7f)
					*s = ' ';
		}
		/* P2 <-> PEDI: an EDI subject is absent or one blank */
		if (c->ipm_edi && strspn(c->subject, " ") == strlen(c->subject))
			c->subject[0] = '\0';
		return EX_OK;
	}
	if (ct == P1_CT_P35) {
		if (p35_decode(&d, NULL, m->content.p, m->content.len,
		    &c->edi) != BER_OK)
			return fail(c, EX_DATAERR, "P35 content: offset %zu: "
			    "%.100s: %s", d.err_off, d.err_field ? d.err_field :
			    "?", ber_strerror(d.err));
		if (c->edi.kind == P35_EDIN)
			return 1;
		c->edim_ok = 1;
		if (c->edi.body.kind != P35_BODY_EDI)
			return fail(c, EX_DATAERR, "the EDIM forwards an EDIM; "
			    "only an EDI interchange can become a file");
		c->is_edi = 1;
		memset(&id, 0, sizeof(id));
		id.has_user = 1;
		id.user = c->edi.h.this_edim.user;
		snprintf(id.local, sizeof(id.local), "%s",
		    c->edi.h.this_edim.local);
		gw_ipmid_text(&id, c->msg_text, sizeof(c->msg_text));
		return EX_OK;
	}
	*diag = DIAG_CONTENT_TYPE;
	return fail(c, EX_DATAERR, "content type %s is not P2, P22 or P35",
	    p1_ctype_text(&m->env.ctype, ctext, sizeof(ctext)));
}

/*
 * The octets the file is made of: the interchange of an EDIM, the data of
 * every body part of an IPM (seed: "Maximale Mitteilungs- und
 * Dateigroesse", max-file-size in both directions).
 */
static uint64_t
data_size(const struct conv *c)
{
	uint64_t n = 0;
	size_t	 i;

	if (c->is_edi)
		return c->edi.body.edi.len;
	for (i = 0; i < c->ipm.nbp; i++)
		n += c->ipm.bp[i].data.use_fd ? c->ipm.bp[i].data.fdlen :
		    c->ipm.bp[i].data.len;
	return n;
}

/* Whether the IPM asked a receipt notification of this recipient. */
static int
rn_requested(const struct conv *c, const struct orname *who)
{
	const struct p22_rcpts *l[2] = { &c->ipm.h.primary, &c->ipm.h.copy };
	size_t	 i, k;

	if (c->is_edi)
		return 0;
	for (k = 0; k < 2; k++)
		for (i = 0; i < l[k]->n; i++)
			if (l[k]->v[i].r.has_formal && ormatch_name(
			    &l[k]->v[i].r.formal, who))
				return (l[k]->v[i].nreq & P22_NR_RN) != 0;
	return 0;
}

/* deliver_one() and redo_check(): go on (any other value ends it) */
#define X2O_NEXT	(-1)

/* The recipients this MTA is responsible for, as the trace lists them. */
struct x2o_rcpts {
	const char	*addr[X2O_MAX_RCPT];
	struct buf	 ab[X2O_MAX_RCPT];
	size_t		 na;
	size_t		 ndone;		/* files written */
	int		 agent_dr;	/* an agent mode DR written */
};

/*
 * Handled before (a redo after a crash): finish it, nothing new; the
 * transactions of a message are decided in one commit, so its first
 * row tells. In filter mode (one file) the same file again, from the
 * OFTP date and time of the row, which is left as it is. X2O_NEXT:
 * convert it.
 */
static int
redo_check(struct conv *c)
{
	struct trace_row row;
	int		 found;

	if ((found = trace_find_by_mts_id(c->g->trace, TRACE_X4002OFTP,
	    c->mts_text, &row)) < 0)
		return fail(c, EX_TEMPFAIL, "trace: %.400s",
		    trace_error(c->g->trace));
	if (found == 1 && row.state != TRACE_S_RECEIVED) {
		if (!c->it->filter)
			return handled_before(c, &row);
		log_info("%.255s: %.128s was converted before (trace state "
		    "%s): the same file again, the trace row left as it is",
		    c->it->name, c->mts_text, trace_state_name(row.state));
		c->asis = 1;
		memcpy(c->date, row.oftp.date, sizeof(c->date));
		memcpy(c->time, row.oftp.time, sizeof(c->time));
	}
	return X2O_NEXT;
}

/*
 * The whole message refused (exit code rc, reason in c->why): the
 * originator learns it, a non-delivery report with diagnostic diag for
 * every recipient we are responsible for (not in filter mode), and for
 * a decoded EDIM the NN asked for (X.435).
 */
static int
refuse_message(struct conv *c, int rc, int64_t diag)
{
	const struct p1_envelope *env = &c->pdu.msg.env;
	char		 name[64];
	size_t		 i;

	for (i = 0; i < env->nrcpt; i++)
		if (env->rcpt[i].pri & P1_PRI_RESPONSIBILITY)
			report_add(&c->ndr, &env->rcpt[i], P1_NON_DELIVERY,
			    NDR_UNABLE_TO_TRANSFER, diag, c->now);
	if (c->ndr.n > 0 && !c->it->filter && report_write(c, env, &c->ndr,
	    "ndr", name, sizeof(name)) != EX_OK)
		return EX_TEMPFAIL;
	if (c->edim_ok && edin_refused_all(c, c->why) != EX_OK)
		return EX_TEMPFAIL;
	return commit(c, rc, NULL, 0, TRACE_S_FAILED, 0, c->why);
}

/*
 * The last attempt failed temporarily again (the queue lifetime is
 * over, gw.h): nothing of it was committed; the message is refused, an
 * NDR unable-to-transfer, maximum-time-expired for every recipient we
 * are responsible for (issue 22).
 */
static int
lifetime_over(struct conv *c)
{
	char	 why[sizeof(c->why)];

	outbox_abort(&c->ob);
	c->dr.n = c->ndr.n = 0;
	snprintf(why, sizeof(why), "not delivered within the queue lifetime "
	    "of %u hours: %.400s", c->g->cfg.queue_lifetime, c->why);
	memcpy(c->why, why, sizeof(why));
	return refuse_message(c, GW_EX_LIFETIME, DIAG_MAX_TIME_EXPIRED);
}

/* What the recipient r asks for, added to x: DN, RN, EDINs, an NDR. */
static void
rcpt_requests(const struct conv *c, const struct p1_rcpt *r,
    struct x2o_tx *x)
{
	if (r->pri & (P1_PRI_MTA_REPORT | P1_PRI_ORIG_REPORT))
		x->dn = 1;
	if (rn_requested(c, &r->name))
		x->rn = 1;
	x->edin_req |= edin_requests(c, &r->name);
	/* X.411: originator-report and -non-delivery-report both zero is
	 * "no-report": the originator suppressed NDRs */
	if (r->pri & (P1_PRI_ORIG_REPORT | P1_PRI_ORIG_NDR))
		x->ndr_owed = 1;
}

/*
 * What the recipients at partnerships ask for, for the message's row
 * (when it makes no file): the first partnership, DN, RN, EDI
 * notifications, whether an NDR is owed. Returns how many of them are
 * at a partnership.
 */
static size_t
scan_requests(struct conv *c)
{
	const struct p1_envelope *env = &c->pdu.msg.env;
	const struct ox_partner *p;
	const struct p1_rcpt *r;
	size_t		 i, npart = 0;

	for (i = 0; i < env->nrcpt; i++) {
		r = &env->rcpt[i];
		if (!(r->pri & P1_PRI_RESPONSIBILITY) || (p = partner_by_orname(
		    &c->g->partners, &r->name)) == NULL)
			continue;
		npart++;
		if (c->msg.p == NULL)
			c->msg.p = p;
		rcpt_requests(c, r, &c->msg);
	}
	return npart;
}

/*
 * The transaction of the file for recipient r (address a) at
 * partnership p; NULL (c->why set) when the message has more such
 * recipients than X2O_MAX_RCPT, or two of the same number.
 */
static struct x2o_tx *
tx_new(struct conv *c, const struct p1_rcpt *r, const struct ox_partner *p,
    const char *a)
{
	struct x2o_tx	*x;
	size_t		 i;

	if (c->ntx == X2O_MAX_RCPT) {
		fail(c, EX_DATAERR, "more than %d recipients at partnerships: "
		    "%.300s and later ones have no file", X2O_MAX_RCPT, a);
		return NULL;
	}
	for (i = 0; i < c->ntx; i++)
		if (c->tx[i].rcpt == r->osrn) {
			fail(c, EX_DATAERR, "two recipients numbered %lld "
			    "(originally-specified-recipient-number): %.200s "
			    "and %.200s", (long long)r->osrn, c->tx[i].addr, a);
			return NULL;
		}
	x = &c->tx[c->ntx++];
	memset(x, 0, sizeof(*x));
	x->p = p;
	x->rcpt = r->osrn;
	snprintf(x->addr, sizeof(x->addr), "%s", a);
	rcpt_requests(c, r, x);
	return x;
}

/*
 * One recipient we are responsible for: listed for the trace; no
 * partnership: an NDR (and the NN asked for); else its file, and in
 * agent mode the DR asked for. X2O_NEXT, or the outcome when it ends
 * the message (a temporary failure, or a file refused for good).
 */
static int
deliver_one(struct conv *c, const struct p1_rcpt *r, struct x2o_rcpts *rs)
{
	const struct ox_partner *p;
	struct x2o_tx	*x;
	const char	*a;
	char		 unknown[300];
	int		 rc, reports = !c->it->filter;

	if (rs->na < X2O_MAX_RCPT) {
		buf_init(&rs->ab[rs->na]);
		orname_print(&r->name, &rs->ab[rs->na]);
		rs->addr[rs->na] = buf_cstr(&rs->ab[rs->na]);
		rs->na++;
	}
	a = rs->na > 0 ? rs->addr[rs->na - 1] : "?";
	if ((p = partner_by_orname(&c->g->partners, &r->name)) == NULL) {
		if (!reports)
			log_warn("%.255s: recipient %.300s is no partnership "
			    "(no non-delivery report in filter mode)",
			    c->it->name, a);
		report_add(&c->ndr, r, P1_NON_DELIVERY, NDR_UNABLE_TO_TRANSFER,
		    DIAG_UNRECOGNISED_OR_NAME, c->now);
		snprintf(unknown, sizeof(unknown), "recipient %.200s is no "
		    "OFTP partnership of the gateway", a);
		rc = edin_refused(c, r, unknown);
		return rc != EX_OK ? rc : X2O_NEXT;
	}
	if ((x = tx_new(c, r, p, a)) == NULL)
		rc = EX_DATAERR;
	else
		rc = write_file(c, r, p, x);
	if (rc != EX_OK) {
		if (queue_exit_temporary(rc))
			return rc;
		/* refused for good: the NN asked for (X.435) */
		if (edin_refused_all(c, c->why) != EX_OK)
			return EX_TEMPFAIL;
		return commit(c, rc, rs->addr, rs->na, TRACE_S_FAILED, 0,
		    c->why);
	}
	rs->ndone++;
	/* agent mode, diverted: the DR when the file leaves (reactivate) */
	if (p->mode == PARTNER_AGENT && (r->pri & (P1_PRI_MTA_REPORT |
	    P1_PRI_ORIG_REPORT)) && x->hm == HOLD_DIVERTED)
		log_info("%.255s: agent mode: the delivery report waits until "
		    "the diverted file leaves the gateway (oxtrace overflow "
		    "reactivate)", c->it->name);
	else if (p->mode == PARTNER_AGENT && (r->pri & (P1_PRI_MTA_REPORT |
	    P1_PRI_ORIG_REPORT))) {
		if (!reports)
			log_warn("%.255s: agent mode: the delivery report owed "
			    "is not written in filter mode", c->it->name);
		report_add(&c->dr, r, P1_DELIVERY, 0, 0, c->now);
		rs->agent_dr = reports;
		x->dr = reports;
	}
	return X2O_NEXT;
}

/*
 * Every recipient done: the NDR and DR collected, then the outcome in
 * the trace: failed when no file was written, else for each file held,
 * diverted or converted (with the X.400 expiry of the message's
 * priority; commit_tx() gives an agent-mode file its delivery timer).
 */
static int
finish_message(struct conv *c, const struct x2o_rcpts *rs)
{
	const struct p1_envelope *env = &c->pdu.msg.env;
	char		 name[64] = "", note[300];
	unsigned	 prio;
	int		 rc, reports = !c->it->filter;

	if (reports && c->ndr.n > 0 && (rc = report_write(c, env, &c->ndr,
	    "ndr", name, sizeof(name))) != EX_OK)
		return rc;
	if (reports && c->dr.n > 0 && (rc = report_write(c, env, &c->dr, "dr",
	    c->ackname, sizeof(c->ackname))) != EX_OK)
		return rc;
	if (rs->ndone == 0) {
		rc = fail(c, EX_NOUSER, "no partnership for %s%s%s%s%s",
		    rs->na > 0 ? rs->addr[0] : "any recipient (none is ours)",
		    name[0] != '\0' ? "; non-delivery report x400/out/" : "",
		    name, c->nn_sent > 0 ? "; negative EDI notification "
		    "x400/out/" : "", c->nn_sent > 0 ? c->nn_name : "");
		return commit(c, rc, rs->addr, rs->na, TRACE_S_FAILED, 0,
		    c->why);
	}
	if (c->nn_sent > 0)
		snprintf(note, sizeof(note), "waiting for the EERP; negative "
		    "EDI notification x400/out/%.64s for %zu recipient(s) that "
		    "are no partnership", c->nn_name, c->nn_sent);
	prio = env->priority >= 0 && env->priority < CONFIG_PRIO_N ?
	    (unsigned)env->priority : CONFIG_PRIO_NORMAL;
	return commit(c, EX_OK, rs->addr, rs->na, TRACE_S_CONVERTED, c->now +
	    (time_t)c->g->cfg.expiry[prio] * 3600, c->nn_sent > 0 ? note :
	    rs->agent_dr ? "agent mode: delivery report written; waiting for "
	    "the EERP" : "waiting for the EERP");
}

/*
 * An IPM or EDIM: decoded (a notification is forwarded), checked
 * against the trace (handled before), refused as a whole or handed on
 * recipient by recipient, the outcome recorded.
 */
static int
convert_message(struct conv *c)
{
	const struct p1_envelope *env = &c->pdu.msg.env;
	struct x2o_rcpts rs;
	int64_t		 diag;
	size_t		 i, npart;
	int		 rc, drc;

	gw_mtsid_text(&env->id, c->mts_text, sizeof(c->mts_text));
	hash_name(c->mts_text, c->id);
	c->arrival = env->trace.n > 0 ? env->trace.v[0].arrival : c->now;
	if ((drc = decode_content(c, &diag)) == 1)
		return forward(c, c->is_edi || c->edi.kind == P35_EDIN ?
		    "EDI notification" : "IPM notification");
	if ((rc = redo_check(c)) != X2O_NEXT)
		return rc;
	if (drc != EX_OK)
		return refuse_message(c, drc, diag);
	npart = scan_requests(c);
	/* filter mode: one stdout, one file */
	if (c->it->filter && npart > 1)
		return fail(c, EX_DATAERR, "%zu recipients of %.128s are OFTP "
		    "partnerships; filter mode writes one file (run x4002oftp "
		    "--spool for a message to several)", npart, c->mts_text);
	/* the OFTP side takes files up to the maximum file size */
	if (data_size(c) > c->g->cfg.max_file_size)
		return refuse_message(c, fail(c, EX_DATAERR, "the %s of %llu "
		    "octets is above the maximum file size %llu", c->is_edi ?
		    "interchange" : "message's data",
		    (unsigned long long)data_size(c),
		    (unsigned long long)c->g->cfg.max_file_size),
		    DIAG_CONTENT_TOO_LONG);
	memset(&rs, 0, sizeof(rs));
	rc = X2O_NEXT;
	for (i = 0; i < env->nrcpt && rc == X2O_NEXT; i++)
		if (env->rcpt[i].pri & P1_PRI_RESPONSIBILITY)
			rc = deliver_one(c, &env->rcpt[i], &rs);
	if (rc == X2O_NEXT)
		rc = finish_message(c, &rs);
	for (i = 0; i < rs.na; i++)
		buf_free(&rs.ab[i]);
	if (rc != EX_OK && queue_exit_temporary(rc) && c->g->final &&
	    !c->it->filter)
		rc = lifetime_over(c);
	return rc;
}

/*
 * Filter mode, input from a pipe: copied into an anonymous file of the
 * gateway's temporary directory (gw_tmpdir(): $TMPDIR, else the tmp/ of
 * spool/x400/in), since the decoder works on a mapping; at most max
 * octets.
 */
static int
copy_input(struct conv *c, int in, uint64_t max, int *fdp)
{
	char	 dir[SPOOL_PATH_MAX + 8];
	uint8_t	*b;
	uint64_t total = 0;
	ssize_t	 r;
	int	 fd, rc = EX_OK;

	gw_tmpdir(c->g, SPOOL_X400_IN, dir, sizeof(dir));
	if ((fd = afile_anon(dir)) < 0)
		return fail(c, EX_CANTCREAT, "%.300s: %s", dir,
		    strerror(errno));
	if ((b = malloc(X2O_COPYBUF)) == NULL) {
		close(fd);
		return fail(c, EX_OSERR, "out of memory");
	}
	while ((r = read(in, b, X2O_COPYBUF)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = fail(c, EX_IOERR, "%.255s: %s", c->it->name,
			    strerror(errno));
			break;
		}
		if ((total += (uint64_t)r) > max) {
			rc = fail(c, EX_DATAERR, "%.255s: more than %llu octets",
			    c->it->name, (unsigned long long)max);
			break;
		}
		if (write_all(fd, b, (size_t)r) < 0) {
			rc = fail(c, EX_IOERR, "%.300s: %s", dir,
			    strerror(errno));
			break;
		}
	}
	free(b);
	if (rc != EX_OK) {
		close(fd);
		return rc;
	}
	*fdp = fd;
	return EX_OK;
}

static int
convert(struct queue_item *it, void *arg)
{
	struct conv	*c;
	struct stat	 st;
	struct ber_dec	 d;
	void		*map = NULL;
	int		 rc;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(it->why, sizeof(it->why), "out of memory");
		return EX_OSERR;
	}
	c->g = arg;
	c->it = it;
	c->fd = it->fd;
	c->now = clock_now();
	outbox_init(&c->ob, c->g->cfg.spool, c->it->filter ? filter_route :
	    NULL);
	p1_init(&c->pdu);
	p22_init(&c->ipm);
	p35_init(&c->edi);
	if (fstat(c->fd, &st) < 0) {
		rc = fail(c, EX_IOERR, "fstat: %s", strerror(errno));
		goto done;
	}
	if (it->filter && !S_ISREG(st.st_mode)) {	/* a pipe */
		if ((rc = copy_input(c, it->fd, c->g->cfg.max_file_size +
		    (16u << 20), &c->fd)) != EX_OK)
			goto done;
		if (fstat(c->fd, &st) < 0) {
			rc = fail(c, EX_IOERR, "fstat: %s", strerror(errno));
			goto done;
		}
	}
	if (st.st_size == 0) {
		rc = fail(c, EX_DATAERR, "empty file: not a P1 PDU");
		goto done;
	}
	if ((map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, c->fd, 0))
	    == MAP_FAILED) {
		map = NULL;
		rc = fail(c, EX_OSERR, "mmap: %s", strerror(errno));
		goto done;
	}
	madvise(map, st.st_size, MADV_SEQUENTIAL);
	c->map = map;
	c->maplen = (size_t)st.st_size;
	ber_dec_init(&d);
	if (p1_decode(&d, NULL, c->map, c->maplen, &c->pdu) != BER_OK) {
		rc = fail(c, EX_DATAERR, "not a P1 PDU: offset %zu: %.100s: %s",
		    d.err_off, d.err_field ? d.err_field : "?",
		    ber_strerror(d.err));
		goto done;
	}
	switch (c->pdu.kind) {
	case P1_REPORT:
		rc = forward(c, "report");
		break;
	case P1_PROBE:
		rc = answer_probe(c);
		break;
	default:
		rc = convert_message(c);
	}
done:
	if (rc != EX_OK)
		snprintf(it->why, sizeof(it->why), "%s", c->why);
	outbox_abort(&c->ob);		/* staged, not committed */
	outbox_free(&c->ob);
	cms_keys_free(c->keys);
	p35_free(&c->edi);
	p22_free(&c->ipm);
	p1_free(&c->pdu);
	if (map != NULL)
		munmap(map, st.st_size);
	if (c->fd != it->fd)
		close(c->fd);
	free(c);
	return rc;
}

/* A bad content-type table: exit 78 at start, not at the first message. */
static void
setup(struct gw *g)
{
	(void)gw_ctypes(g);
	g_mime_init();
}

int
main(int argc, char **argv)
{
	static const struct gw_opt opts[] = {
		{ "sfid-out", &filter_sfid, GW_OPT_OUT },
		{ NULL, NULL, 0 }
	};
	static const struct gw_prog prog = { .in = SPOOL_X400_IN,
	    .handler = convert, .usage = usage, .opts = opts,
	    .setup = setup, .cleanup = g_mime_shutdown,
	    .filter_default = 1 };

	return gw_main(argc, argv, &gw, &prog);
}
