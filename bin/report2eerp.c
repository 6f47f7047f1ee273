/*
 * NAME
 *	report2eerp - X.400 reports and notifications to OFTP EERP / NERP
 * SYNOPSIS
 *	report2eerp [-v] [-c FILE] --spool | --watch
 *	report2eerp [-v] [-c FILE] --filter [INPUT]
 * DESCRIPTION
 *	Each item of spool/x400/reports is one P1 PDU the MTA sent back for
 *	a message that oftp2x400 made: a report (DN/NDN per recipient), a
 *	P1 message whose P22 content is an IPN (RN/NRN), or a P1 message
 *	whose P35 content is an EDIN (PN/NN/FN). See report2eerp(1); in
 *	short:
 *
 *	  1. decode it; a malformed PDU goes to failed/;
 *	  2. find the oftp2x400 trace row by the subject identifier (MTS
 *	     identifier, IPM identifier or EDIM identifier, in the text
 *	     forms of gw_mtsid_text(), gw_ipmid_text(), rpt_edimid_text());
 *	     none: the transaction is unknown or purged, failed/ with .why;
 *	  3. record each recipient's outcome; the trace gives the verdict
 *	     over all recipients (positive when all are, negative at the
 *	     first negative);
 *	  4. an answer of a kind the transaction's EERP mode asked for
 *	     (mode 2: DN, NDN; mode 3: RN, NRN, NDN; EDIN PN/NN in both)
 *	     with a verdict writes the EERP or NERP (35 not delivered, 36
 *	     not acknowledged) into spool/oftp/eerp.out, signed when the
 *	     file's SFID asked for it; anything else is only recorded;
 *	  5. an answer for a transaction already answered (EERP/NERP sent)
 *	     or expired is recorded and logged, and nothing is written.
 *	Steps 2 to 5 are one trace transaction (the decision is taken on
 *	the state read inside it); the EERP/NERP, named after the MTS local
 *	identifier, is staged, recorded in it and published after it
 *	commits (gw/outbox.h); a redo publishes what was recorded.
 * EXIT STATUS
 *	sysexits(3): 0 every input was handled (answered, recorded or
 *	moved to failed/); 64 usage; 65 filter mode: the input was
 *	refused; 74 filter mode: stdout not written; 75 an input could not
 *	be processed now and stays for a later run; 78 configuration.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "asn1/ber.h"
#include "gw/gw.h"
#include "gw/outbox.h"
#include "gw/rpt_map.h"
#include "oftp/cms.h"
#include "oftp/eerp.h"
#include "util/clock.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/log.h"
#include "x400/ormatch.h"
#include "x400/p1.h"
#include "x400/p22.h"
#include "x400/p35.h"

#define MAX_RCPT	64	/* trace recipients matched by address */
#define MAX_INPUT	((uint64_t)16 << 20)	/* a report with content */

/* One answer about one recipient. */
struct answer {
	enum trace_outcome	 outcome;
	int			 fwd;		/* the mode asked for it */
	unsigned		 nerp;		/* 35 / 36 when negative */
	char			 text[NERP_TEXT_MAX + 1];
};

/* filter mode: the EERP or NERP to stdout */
static const struct outbox_route filter_route[] = {
	{ "oftp/eerp.out", NULL, STDOUT_FILENO, NULL },
	{ NULL, NULL, -1, NULL }
};

struct job {
	struct gw		*g;
	const struct ox_partner	*p;		/* NULL: partner gone */
	struct trace_row	 row;
	time_t			 now;
	const char		*kind;		/* "DR", "IPN", "EDIN" */
	char			 key[TRACE_MSGID_SZ];	/* looked up by */
	size_t			 nrc;
	char			 rc[MAX_RCPT][TRACE_MSGID_SZ];
	int			 fwd;		/* an answer asked for */
	int			 any_delivered;
	unsigned		 nerp;		/* of the first negative */
	char			 text[NERP_TEXT_MAX + 1];
	int			 filter;
	struct outbox		 ob;		/* the EERP/NERP, staged */
	char			 why[QUEUE_WHY_MAX];
};

static struct gw	 gw;

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: report2eerp [-v] [-c FILE] --spool | --watch\n"
	    "       report2eerp [-v] [-c FILE] --filter [INPUT]\n"
	    "Turn X.400 reports, IPNs and EDINs into OFTP EERP / NERP.\n"
	    "  --spool        process spool/x400/reports once and exit\n"
	    "  --watch        process spool/x400/reports as files arrive\n"
	    "  --filter       INPUT (default stdin); EERP/NERP to stdout\n"
	    "  -c FILE        configuration (default $OXGATE_CONF, else\n"
	    "                 " OX_SYSCONFDIR "/oxgate/oxgate.ini)\n"
	    "  -v             more log; --help, --version\n");
	exit(code);
}

/* The input cannot be answered: failed/ with this reason (65). */
#define refuse(j, ...)	errf((j)->why, sizeof((j)->why), EX_DATAERR, \
			    __VA_ARGS__)

static int
collect_rcpt(const struct trace_rcpt *r, void *arg)
{
	struct job *j = arg;

	if (j->nrc < MAX_RCPT)
		snprintf(j->rc[j->nrc++], TRACE_MSGID_SZ, "%s", r->address);
	return 0;
}

/*
 * The recorded address of the recipient an answer is about: by the
 * originally-specified-recipient-number (our listing order), else by
 * O/R name (ormatch_name(): X.402 18.4), else the only recipient -
 * unless the answer gave a number (a report always does) that is not
 * ours: then none, or a report about somebody else would answer for the
 * only recipient.
 */
static const char *
match_rcpt(struct job *j, const struct orname *name, int64_t osrn)
{
	struct orname	 o;
	struct or_err	 e;
	size_t		 i;

	if (osrn >= 1 && (uint64_t)osrn <= j->nrc)
		return j->rc[osrn - 1];
	for (i = 0; name != NULL && i < j->nrc; i++) {
		orname_init(&o);
		if (orname_parse(j->rc[i], -1, &o, &e) == OR_OK &&
		    ormatch_name(&o, name))
			return j->rc[i];
	}
	return j->nrc == 1 && osrn <= 0 ? j->rc[0] : NULL;
}

/* Whether the row's EERP mode forwards an answer of this outcome. */
static int
mode_forwards(int mode, enum trace_outcome o, int edin)
{
	if (edin)
		return mode == 2 || mode == 3;
	if (mode == 2)
		return o == TRACE_R_DELIVERED || o == TRACE_R_NONDELIVERED;
	if (mode == 3)
		return o != TRACE_R_DELIVERED;
	return 0;
}

/* Record one recipient's answer; remember the first negative. */
static int
record(struct job *j, const char *addr, const struct answer *a,
    enum trace_verdict *v)
{
	char	 diag[TRACE_NOTE_SZ];

	snprintf(diag, sizeof(diag), "%.255s", a->text);
	if (trace_record_outcome(j->g->trace, j->row.id, addr, a->outcome,
	    diag, j->now, v) < 0) {
		snprintf(j->why, sizeof(j->why), "trace: %.400s",
		    trace_error(j->g->trace));
		return EX_TEMPFAIL;
	}
	if (a->fwd)
		j->fwd = 1;
	if (a->outcome == TRACE_R_DELIVERED)
		j->any_delivered = 1;
	if (a->nerp != 0 && j->nerp == 0 && (a->fwd ||
	    a->outcome == TRACE_R_NONDELIVERED)) {
		j->nerp = a->nerp;
		snprintf(j->text, sizeof(j->text), "%s", a->text);
	}
	log_info("%s: %s for %s: %s%s%s", j->key, j->kind, addr,
	    trace_outcome_name(a->outcome), a->text[0] ? ": " : "", a->text);
	return EX_OK;
}

/* The transaction the answer is about, and its recipients (j->rc). */
static int
find_row(struct job *j, enum trace_key k, const char *what)
{
	int	 r;

	r = trace_find_rcpt(j->g->trace, k, TRACE_OFTP2X400, j->key, &j->row,
	    collect_rcpt, j);
	if (r < 0) {
		snprintf(j->why, sizeof(j->why), "trace: %.400s",
		    trace_error(j->g->trace));
		return EX_TEMPFAIL;
	}
	if (r == 0) {
		log_warn("%s: %s for an unknown or purged transaction",
		    j->key, j->kind);
		return refuse(j, "unknown or purged transaction: no oftp2x400 "
		    "trace row has the %s %.300s (a late %s after the "
		    "purge, or not ours)", what, j->key, j->kind);
	}
	j->p = partner_by_name(&j->g->partners, j->row.partner);
	return EX_OK;
}

/* The verdict is only wanted after the last answer; j->fwd etc. too. */
static int
from_report(struct job *j, const struct p1_report *r, enum trace_verdict *v)
{
	struct answer	 a;
	const char	*addr;
	size_t		 i;
	int		 rc;

	j->kind = "report";
	gw_mtsid_text(&r->subject, j->key, sizeof(j->key));
	if ((rc = find_row(j, TRACE_KEY_MTS, "MTS identifier")) !=
	    EX_OK)
		return rc;
	for (i = 0; i < r->nrcpt; i++) {
		const struct p1_rrcpt *rr = &r->rcpt[i];

		memset(&a, 0, sizeof(a));
		if (rr->type == P1_DELIVERY) {
			a.outcome = TRACE_R_DELIVERED;
			j->kind = "DN";
		} else {
			a.outcome = TRACE_R_NONDELIVERED;
			a.nerp = 35;
			rpt_ndr_text(a.text, sizeof(a.text), rr->reason,
			    rr->has_diag, rr->diag, rr->has_suppl ? rr->suppl :
			    NULL);
			j->kind = "NDN";
		}
		a.fwd = mode_forwards(j->row.eerp_mode, a.outcome, 0);
		if ((addr = match_rcpt(j, &rr->actual, rr->osrn)) == NULL)
			return refuse(j, "report on %.256s names recipient %lld "
			    "that the transaction does not have", j->key,
			    (long long)rr->osrn);
		if ((rc = record(j, addr, &a, v)) != EX_OK)
			return rc;
	}
	if (r->nrcpt > 1)
		j->kind = "report";
	return EX_OK;
}

static int
from_ipn(struct job *j, const struct p1_message *m, enum trace_verdict *v)
{
	struct p22_content c;
	struct ber_dec	 d;
	struct answer	 a;
	const struct orname *who = NULL;
	const char	*addr;
	int		 rc;

	p22_init(&c);
	ber_dec_init(&d);
	if (p22_decode(&d, NULL, m->content.p, m->content.len, &c) != BER_OK) {
		rc = refuse(j, "malformed P22 content: offset %zu: %.100s: %s",
		    d.err_off, d.err_field ? d.err_field : "?",
		    ber_strerror(d.err));
		goto done;
	}
	if (c.kind != P22_IPN) {
		rc = refuse(j, "P22 content is an IPM, not a notification");
		goto done;
	}
	j->kind = c.ipn.type == P22_IPN_RN ? "RN" : c.ipn.type ==
	    P22_IPN_NRN ? "NRN" : "IPN";
	gw_ipmid_text(&c.ipn.subject, j->key, sizeof(j->key));
	if ((rc = find_row(j, TRACE_KEY_IPM, "IPM identifier")) !=
	    EX_OK)
		goto done;
	memset(&a, 0, sizeof(a));
	if (c.ipn.type == P22_IPN_RN)
		a.outcome = TRACE_R_READ;
	else if (c.ipn.type == P22_IPN_NRN) {
		a.outcome = TRACE_R_NOTREAD;
		a.nerp = 36;
		rpt_nrn_text(a.text, sizeof(a.text), c.ipn.nrn_reason,
		    c.ipn.has_discard, c.ipn.discard);
	} else {
		rc = refuse(j, "IPN on %.300s is neither a receipt nor a "
		    "non-receipt notification", j->key);
		goto done;
	}
	a.fwd = mode_forwards(j->row.eerp_mode, a.outcome, 0);
	if (c.ipn.has_intended && c.ipn.intended.has_formal)
		who = &c.ipn.intended.formal;
	else if (c.ipn.has_originator && c.ipn.originator.has_formal)
		who = &c.ipn.originator.formal;
	if ((addr = match_rcpt(j, who, 0)) == NULL) {
		rc = refuse(j, "%s on %.300s is from no recipient of the "
		    "transaction", j->kind, j->key);
		goto done;
	}
	rc = record(j, addr, &a, v);
done:
	p22_free(&c);
	return rc;
}

static int
from_edin(struct job *j, const struct p1_message *m, enum trace_verdict *v)
{
	struct p35_pdu	 c;
	struct ber_dec	 d;
	struct answer	 a;
	const char	*addr;
	int		 rc;

	p35_init(&c);
	ber_dec_init(&d);
	if (p35_decode(&d, NULL, m->content.p, m->content.len, &c) != BER_OK) {
		rc = refuse(j, "malformed P35 content: offset %zu: %.100s: %s",
		    d.err_off, d.err_field ? d.err_field : "?",
		    ber_strerror(d.err));
		goto done;
	}
	if (c.kind != P35_EDIN) {
		rc = refuse(j, "P35 content is an EDIM, not a notification");
		goto done;
	}
	j->kind = c.edin.kind == P35_PN ? "PN" : c.edin.kind == P35_NN ?
	    "NN" : "FN";
	rpt_edimid_text(&c.edin.common.subject, j->key, sizeof(j->key));
	if ((rc = find_row(j, TRACE_KEY_EDIM, "EDIM identifier")) !=
	    EX_OK)
		goto done;
	memset(&a, 0, sizeof(a));
	switch (c.edin.kind) {
	case P35_PN:
		a.outcome = TRACE_R_READ;
		a.fwd = mode_forwards(j->row.eerp_mode, a.outcome, 1);
		break;
	case P35_NN:
		a.outcome = TRACE_R_NONDELIVERED;
		a.nerp = 36;
		a.fwd = mode_forwards(j->row.eerp_mode, a.outcome, 1);
		rpt_nn_text(a.text, sizeof(a.text), (int)c.edin.reason.source,
		    c.edin.reason.basic, c.edin.reason.has_diag,
		    c.edin.reason.diag);
		break;
	default:		/* forwarded: responsibility passed on */
		a.outcome = TRACE_R_DELIVERED;
		break;
	}
	if ((addr = match_rcpt(j, &c.edin.common.originator, 0)) == NULL) {
		rc = refuse(j, "%s on %.300s is from no recipient of the "
		    "transaction", j->kind, j->key);
		goto done;
	}
	rc = record(j, addr, &a, v);
done:
	p35_free(&c);
	return rc;
}

static int
unhex(const char *s, uint8_t *out, size_t max, size_t *n)
{
	size_t	 i, len = strlen(s);
	unsigned v;

	if (len % 2 != 0 || len / 2 > max)
		return -1;
	for (i = 0; i < len / 2; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	*n = len / 2;
	return 0;
}

/* The cipher suite to sign with: the partnership's if its hash is the
 * one the file was hashed with, else the first suite with that hash. */
static unsigned
suite_for(const struct job *j)
{
	unsigned s;

	if (j->p != NULL && cms_suite(j->p->cipher) != NULL &&
	    strcasecmp(cms_suite(j->p->cipher)->hash, j->row.hash_alg) == 0)
		return j->p->cipher;
	for (s = CMS_SUITE_MIN; s <= CMS_SUITE_MAX; s++)
		if (strcasecmp(cms_suite(s)->hash, j->row.hash_alg) == 0)
			return s;
	return 0;
}

/* The EERP (reason 0) or NERP of the transaction, staged. */
static int
write_response(struct job *j, unsigned reason, char *name, size_t namelen)
{
	const struct ox_config *cfg = &j->g->cfg;
	struct cms_keys	*keys = NULL;
	struct eerp	 e;
	struct buf	 b, sig;
	uint8_t		 hash[CMS_HASH_MAX];
	size_t		 hlen = 0, n;
	char		 err[512];
	const char	*semi, *key, *cert;
	unsigned	 suite;
	int		 rc = -1, level = j->p != NULL && j->p->oftp == 14 ?
			    EERP_OFTP14 : EERP_OFTP2;

	eerp_init(&e, reason ? 'N' : 'E', level);
	snprintf(e.dsn, sizeof(e.dsn), "%s", j->row.oftp.dsn);
	snprintf(e.date, sizeof(e.date), "%s", j->row.oftp.date);
	snprintf(e.time, sizeof(e.time), "%s", j->row.oftp.time);
	snprintf(e.dest, sizeof(e.dest), "%s", j->row.oftp.orig);
	snprintf(e.orig, sizeof(e.orig), "%s", j->row.oftp.dest);
	if (reason) {
		snprintf(e.crea, sizeof(e.crea), "%s", j->row.oftp.dest);
		e.reason = reason;
		eerp_set_text(&e, j->text);
	}
	buf_init(&b);
	buf_init(&sig);
	/* signed when the SFID asked (SFIDSIGN Y) and we can */
	if (level == EERP_OFTP2 && j->row.eerp_signed) {
		if (j->row.hash[0] == '\0' || (suite = suite_for(j)) == 0 ||
		    unhex(j->row.hash, hash, sizeof(hash), &hlen) < 0)
			log_warn("%s: unsigned %s: the trace row has no usable "
			    "hash", j->row.oftp.dsn, reason ? "NERP" : "EERP");
		else if (!partner_own_keys(j->p, cfg, e.orig, &key, &cert))
			log_warn("%s: unsigned %s: no [security] key and "
			    "certificate", j->row.oftp.dsn,
			    reason ? "NERP" : "EERP");
		else if (partner_keys_load(j->p, cfg, e.orig, NULL, &keys,
		    err, sizeof(err)) != CMS_OK) {
			snprintf(j->why, sizeof(j->why), "keys: %.400s", err);
			goto done;	/* a signed answer is owed: retry */
		} else {
			e.hash = hash;
			e.hash_len = hlen;
			if (cms_sign_eerp(keys, suite, &e, &sig, err,
			    sizeof(err)) != CMS_OK) {
				snprintf(j->why, sizeof(j->why), "signing: "
				    "%.400s", err);
				goto done;
			}
			e.sig = sig.p;
			e.sig_len = sig.len;
		}
	}
	if (eerp_build(&e, &b, err, sizeof(err)) != EERP_OK) {
		snprintf(j->why, sizeof(j->why), "cannot build the %s: %.400s",
		    reason ? "NERP" : "EERP", err);
		goto done;
	}
	/* named after the MTS local identifier, as oftp2x400's */
	semi = strrchr(j->row.mts_id, ';');
	n = semi != NULL ? strcspn(semi + 1, "]") : 0;
	if (n == 0)
		snprintf(name, namelen, "row%lld.%s", (long long)j->row.id,
		    reason ? "nerp" : "eerp");
	else
		snprintf(name, namelen, "%.*s.%s", (int)n, semi + 1,
		    reason ? "nerp" : "eerp");
	rc = outbox_put(&j->ob, spool_queue_name(SPOOL_OFTP_EERP_OUT), name,
	    b.p, b.len);
	if (rc < 0)
		snprintf(j->why, sizeof(j->why), "%.100s: %s", name,
		    strerror(errno));
done:
	cms_keys_free(keys);
	buf_free(&b);
	buf_free(&sig);
	return rc;
}

static int
set_state(struct job *j, enum trace_state s, time_t deadline,
    const char *note)
{
	if (trace_record_state(j->g->trace, j->row.id, s, j->now, deadline,
	    note) < 0) {
		snprintf(j->why, sizeof(j->why), "trace: %.400s",
		    trace_error(j->g->trace));
		return -1;
	}
	return 0;
}

/*
 * After the answers are recorded (in the open trace transaction): stage
 * what the verdict asks for and record the states it reaches.
 */
static int
conclude(struct job *j, enum trace_verdict v)
{
	char	 name[128], note[TRACE_NOTE_SZ];
	int	 mode = j->row.eerp_mode;

	if (!j->fwd || v == TRACE_V_PENDING) {
		if (j->any_delivered && j->row.state == TRACE_S_CONVERTED &&
		    set_state(j, TRACE_S_DELIVERED, TRACE_DEADLINE_KEEP,
		    mode == 3 ? "delivered; waiting for the receipt "
		    "notification" : "delivered") < 0)
			return EX_TEMPFAIL;
		log_info("%s: %s recorded, %s", j->key, j->kind, !j->fwd ?
		    "not forwarded (not asked for by the EERP mode)" :
		    "waiting for the other recipients");
		return EX_OK;
	}
	if (v == TRACE_V_POSITIVE) {
		if (write_response(j, 0, name, sizeof(name)) < 0)
			return outbox_errcode(&j->ob);
		snprintf(note, sizeof(note), "EERP %.100s after the %s", name,
		    j->kind);
		if (((j->row.state == TRACE_S_CONVERTED || (mode == 3 &&
		    j->row.state == TRACE_S_DELIVERED)) && set_state(j,
		    mode == 3 ? TRACE_S_READ : TRACE_S_DELIVERED, 0, mode == 3 ?
		    "every recipient read it" : "every recipient has it") < 0) ||
		    trace_record_files(j->g->trace, j->row.id, NULL, NULL,
		    name, j->now) < 0 || set_state(j, TRACE_S_EERP_SENT, 0,
		    note) < 0) {
			snprintf(j->why, sizeof(j->why), "trace: %.400s",
			    trace_error(j->g->trace));
			return EX_TEMPFAIL;
		}
		log_info("%s: %s -> EERP %s for %s", j->key, j->kind, name,
		    j->row.oftp.dsn);
		return EX_OK;
	}
	if (j->nerp == 0) {	/* decided by an answer recorded before */
		j->nerp = 35;
		snprintf(j->text, sizeof(j->text), "X.400: a recipient did "
		    "not receive the message");
	}
	if (write_response(j, j->nerp, name, sizeof(name)) < 0)
		return outbox_errcode(&j->ob);
	snprintf(note, sizeof(note), "NERP %u %.100s after the %s", j->nerp,
	    name, j->kind);
	if ((j->row.state != TRACE_S_NONDELIVERED &&
	    j->row.state != TRACE_S_NOTREAD && set_state(j, j->nerp == 35 ?
	    TRACE_S_NONDELIVERED : TRACE_S_NOTREAD, 0, j->text) < 0) ||
	    trace_record_files(j->g->trace, j->row.id, NULL, NULL, name,
	    j->now) < 0 || set_state(j, TRACE_S_NERP_SENT, 0, note) < 0) {
		snprintf(j->why, sizeof(j->why), "trace: %.400s",
		    trace_error(j->g->trace));
		return EX_TEMPFAIL;
	}
	log_info("%s: %s -> NERP %u %s for %s: %s", j->key, j->kind, j->nerp,
	    name, j->row.oftp.dsn, j->text);
	return EX_OK;
}

/*
 * Decide on the answer in one trace transaction (the row read, the
 * outcomes recorded, the EERP/NERP staged and recorded, the states), so
 * that two answers on one transaction, or an answer and the expiry
 * sweep, never both write a response; then publish.
 */
static int
decide(struct job *j, struct p1_pdu *pdu)
{
	struct trace	*t = j->g->trace;
	enum trace_verdict v = TRACE_V_PENDING;
	int		 rc, ct;

	if (trace_batch_begin(t) < 0)
		goto tfail;
	if (pdu->kind == P1_REPORT)
		rc = from_report(j, &pdu->rpt, &v);
	else if (pdu->kind == P1_MESSAGE && pdu->msg.content.present &&
	    p1_ctype_number(&pdu->msg.env.ctype) >= 0) {
		ct = (int)p1_ctype_number(&pdu->msg.env.ctype);
		if (ct == P1_CT_P22 || ct == P1_CT_P2)
			rc = from_ipn(j, &pdu->msg, &v);
		else if (ct == P1_CT_P35)
			rc = from_edin(j, &pdu->msg, &v);
		else
			rc = refuse(j, "P1 message of content type %d carries "
			    "no notification", ct);
	} else
		rc = refuse(j, "a P1 %s is neither a report nor a "
		    "notification", p1_kind_name(pdu->kind));
	if (rc != EX_OK) {
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
	case TRACE_S_NONDELIVERED:
	case TRACE_S_READ:
	case TRACE_S_NOTREAD:
		rc = conclude(j, v);
		break;
	case TRACE_S_EERP_SENT:
	case TRACE_S_NERP_SENT:
		log_info("%s: %s recorded; the transaction was already "
		    "answered (%s): no second response", j->key, j->kind,
		    trace_state_name(j->row.state));
		rc = EX_OK;
		break;
	case TRACE_S_EXPIRED:
	case TRACE_S_OVERFLOW:
		log_warn("%s: late %s recorded; the transaction is %s and is "
		    "answered by the expiry sweep or the operator", j->key,
		    j->kind, trace_state_name(j->row.state));
		rc = EX_OK;
		break;
	default:
		rc = refuse(j, "%s on %.300s: the transaction is %s, not "
		    "waiting for an answer", j->kind, j->key,
		    trace_state_name(j->row.state));
	}
	/* serial under the trace's write lock: never OUTBOX_BEFORE */
	return outbox_conclude(&j->ob, t, rc, j->row.id, j->now, j->why,
	    sizeof(j->why));
tfail:
	return outbox_trace_fail(&j->ob, t, j->why, sizeof(j->why));
}

static int
answer(struct queue_item *it, void *arg)
{
	struct job	*j;
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	struct stat	 st;
	uint8_t		*map = NULL;
	size_t		 size = 0;
	int		 rc;

	if ((j = calloc(1, sizeof(*j))) == NULL) {
		snprintf(it->why, sizeof(it->why), "out of memory");
		return EX_OSERR;
	}
	j->g = arg;
	j->now = clock_now();
	j->filter = it->filter;
	j->kind = "PDU";
	outbox_init(&j->ob, j->g->cfg.spool, it->filter ? filter_route : NULL);
	p1_init(&pdu);
	if (fstat(it->fd, &st) < 0) {
		snprintf(j->why, sizeof(j->why), "fstat: %s", strerror(errno));
		rc = EX_IOERR;
		goto done;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > MAX_INPUT) {
		rc = refuse(j, "not a regular file of at most %llu octets",
		    (unsigned long long)MAX_INPUT);
		goto done;
	}
	size = (size_t)st.st_size;
	if (size == 0) {
		rc = refuse(j, "malformed P1: empty file");
		goto done;
	}
	if ((map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, it->fd, 0)) ==
	    MAP_FAILED) {
		map = NULL;
		snprintf(j->why, sizeof(j->why), "mmap: %s", strerror(errno));
		rc = EX_OSERR;
		goto done;
	}
	ber_dec_init(&d);
	if (p1_decode(&d, NULL, map, size, &pdu) != BER_OK) {
		rc = refuse(j, "malformed P1: offset %zu: %.100s: %s",
		    d.err_off, d.err_field ? d.err_field : "?",
		    ber_strerror(d.err));
		goto done;
	}
	rc = decide(j, &pdu);
done:
	if (rc != EX_OK) {
		snprintf(it->why, sizeof(it->why), "%s", j->why);
		if (!queue_exit_temporary(rc))
			log_warn("%s: %s", it->name, j->why);
	}
	outbox_abort(&j->ob);
	outbox_free(&j->ob);
	p1_free(&pdu);
	if (map != NULL)
		munmap(map, size);
	free(j);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct gw_prog prog = { .in = SPOOL_X400_REPORTS,
	    .handler = answer, .usage = usage };

	return gw_main(argc, argv, &gw, &prog);
}
