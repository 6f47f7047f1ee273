/*
 * NAME
 *	oxdump - print a file of the toolkit readably
 * SYNOPSIS
 *	oxdump [-v] [--json] [--tree] [--max-octets N] [--cert FILE] FILE
 * DESCRIPTION
 *	Detects the kind of FILE from its content and prints it field by
 *	field, with the field names of the standards: a P1 MTS-APDU
 *	(message, report, probe; X.411) with its P22 / P2 (X.420) or P35
 *	(X.435) content, a bare P22 or P35 content, a CMS object (RFC 5652
 *	layers: signed, enveloped, compressed, data), an OFTP .sfid
 *	sidecar, SFID command ('H'), EERP ('E') or NERP ('N'). O/R
 *	addresses are printed in std-or form, times in ISO 8601 UTC. Any
 *	other BER file (or any file with --tree) is printed as an element
 *	tree. --json prints the same as JSON. The first problem in a
 *	malformed file is reported with its byte offset and, where the
 *	decoder names one, its field.
 * EXIT STATUS
 *	0 printed; 64 usage; 65 the file is malformed (or a signature does
 *	not verify); 66 cannot read it.
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
#include "gw/gw.h"
#include "gw/rpt_map.h"
#include "oftp/cms.h"
#include "oftp/eerp.h"
#include "oftp/sfid.h"
#include "util/log.h"
#include "util/opt.h"
#include "x400/orname.h"
#include "x400/p1.h"
#include "x400/p22.h"
#include "x400/p35.h"
#include "x400/t61.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_LEVEL	48
#define FIRST_LINE_MAX	76

static int	 json;
static size_t	 max_octets = 32;
static const char *cert;	/* --cert: verify signed EERP/NERP, CMS */
static const uint8_t *file_base;	/* the file, for absolute offsets */
static size_t	 file_len;
static int	 problem;	/* EX_DATAERR once something was reported */

/*
 * Output: nested objects and arrays, as indented "key: value" text or
 * as JSON. An array item's first key is marked "- " in text.
 */
static int	 lvl;
static int	 o_first[MAX_LEVEL + 1];
static int	 o_isarr[MAX_LEVEL + 1];
static int	 dash;

/* Copy a string, bytes that are not UTF-8 as U+FFFD, controls as '?' */
static void
put_text(const uint8_t *p, size_t n, int quote)
{
	size_t	 i, k, need;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x80) {
			if (quote && (p[i] == '"' || p[i] == '\\'))
				printf("\\%c", p[i]);
			else if (p[i] < 0x20 || p[i] == 0x7f) {
				if (quote)
					printf("\\u%04x", p[i]);
				else
					putchar('?');
			} else
				putchar(p[i]);
			continue;
		}
		need = (p[i] & 0xe0) == 0xc0 ? 1 : (p[i] & 0xf0) == 0xe0 ? 2 :
		    (p[i] & 0xf8) == 0xf0 ? 3 : 0;
		for (k = 1; need > 0 && k <= need; k++)
			if (i + k >= n || (p[i + k] & 0xc0) != 0x80)
				need = 0;
		if (need == 0 || (need == 1 && p[i] < 0xc2)) {
			fputs("\xef\xbf\xbd", stdout);
			continue;
		}
		fwrite(p + i, 1, need + 1, stdout);
		i += need;
	}
}

static void
o_key(const char *k)
{
	if (json) {
		printf("%s\n%*s", o_first[lvl] ? "" : ",", 2 * (lvl + 1), "");
		o_first[lvl] = 0;
		if (k != NULL)
			printf("\"%s\": ", k);
		return;
	}
	if (k == NULL)		/* a scalar in an array */
		printf("%*s-", 2 * lvl, "");
	else if (dash)
		printf("%*s- %s:", 2 * (lvl - 1), "", k);
	else
		printf("%*s%s:", 2 * lvl, "", k);
	dash = 0;
}

static void
o_strn(const char *k, const void *v, size_t n)
{
	o_key(k);
	if (json)
		putchar('"');
	else
		putchar(' ');
	put_text(v, n, json);
	if (json)
		putchar('"');
	else
		putchar('\n');
}

static void
o_str(const char *k, const char *v)
{
	o_strn(k, v, strlen(v));
}

static void
o_int(const char *k, int64_t v)
{
	o_key(k);
	printf(json ? "%" PRId64 : " %" PRId64 "\n", v);
}

static void
o_bool(const char *k, int v)
{
	o_key(k);
	printf(json ? "%s" : " %s\n", v ? "true" : "false");
}

static void
o_push(int array)
{
	if (lvl < MAX_LEVEL)
		lvl++;
	o_first[lvl] = 1;
	o_isarr[lvl] = array;
	if (json)
		putchar(array ? '[' : '{');
	else if (!dash)
		putchar('\n');
}

static void
o_begin(const char *k)
{
	o_key(k);
	o_push(0);
}

static void
o_abegin(const char *k)
{
	o_key(k);
	o_push(1);
}

static void
o_item(void)
{
	if (json)
		o_key(NULL);
	dash = 1;
	o_push(0);
}

static void
o_close(int array)
{
	int	 empty = o_first[lvl];

	dash = 0;
	if (lvl > 0)
		lvl--;
	if (json)
		printf("%s%*s%c", empty ? "" : "\n", empty ? 0 : 2 * (lvl + 1),
		    "", array ? ']' : '}');
}

static void	o_end(void) { o_close(0); }
static void	o_aend(void) { o_close(1); }

/* Close what an interrupted printer left open, back to level to */
static void
o_unwind(int to)
{
	while (lvl > to)
		o_close(o_isarr[lvl]);
}

/* A list of words: "a, b" in text, ["a", "b"] in JSON */
static void
o_words(const char *k, const char *const *w, size_t n)
{
	size_t	 i;

	o_key(k);
	printf(json ? "[" : n == 0 ? " (none)" : " ");
	for (i = 0; i < n; i++) {
		printf(json ? "%s\"" : "%s", i ? ", " : "");
		put_text((const uint8_t *)w[i], strlen(w[i]), json);
		if (json)
			putchar('"');
	}
	printf(json ? "]" : "\n");
}

/* Named bits of a BIT STRING, "bit-N" for the unnamed ones */
static void
o_bits(const char *k, uint64_t v, const char *const *names, size_t nn)
{
	const char *w[64];
	char	 other[64][8];
	size_t	 n = 0;
	unsigned i;

	for (i = 0; i < 64; i++) {
		if (!(v >> i & 1))
			continue;
		if (i < nn && names[i] != NULL)
			w[n++] = names[i];
		else {
			snprintf(other[i], sizeof(other[i]), "bit-%u", i);
			w[n++] = other[i];
		}
	}
	o_words(k, w, n);
}

/* "name (N)", or "N" for a value without a name */
static void
o_enum(const char *k, int64_t v, const char *name)
{
	char	 b[96];

	if (name != NULL)
		snprintf(b, sizeof(b), "%.80s (%" PRId64 ")", name, v);
	else
		snprintf(b, sizeof(b), "%" PRId64, v);
	o_str(k, b);
}

static const char *
tab(const char *const *t, size_t n, int64_t v)
{
	return v >= 0 && (uint64_t)v < n ? t[v] : NULL;
}

static void
o_time(const char *k, time_t t)
{
	struct tm g;
	char	 b[32];

	if (gmtime_r(&t, &g) == NULL)
		snprintf(b, sizeof(b), "%lld", (long long)t);
	else
		strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &g);
	o_str(k, b);
}

static void
o_orname(const char *k, const struct orname *or)
{
	struct buf b;

	buf_init(&b);
	orname_print(or, &b);
	o_str(k, buf_cstr(&b));
	buf_free(&b);
}

/* Octets in hex, at most max_octets of them */
static void
o_hex(const char *k, const uint8_t *p, size_t n)
{
	struct buf b;
	size_t	 i;

	buf_init(&b);
	for (i = 0; i < n && i < max_octets; i++)
		buf_addf(&b, "%s%02x", i ? ":" : "", p[i]);
	if (n > max_octets)
		buf_addf(&b, " ... (%zu octets)", n);
	o_str(k, buf_cstr(&b));
	buf_free(&b);
}

static void
o_start(void)
{
	lvl = 0;
	o_first[0] = 1;
	if (json)
		putchar('{');
}

static void
o_finish(void)
{
	if (json)
		printf("\n}\n");
	fflush(stdout);
}

/* The first problem: offset (absolute when inside the file) and field */
static void
report(const char *path, const char *what, const struct ber_dec *d,
    const uint8_t *base)
{
	size_t	 off = d->err_off;

	if (base >= file_base && base < file_base + file_len)
		off += (size_t)(base - file_base);
	fflush(stdout);
	log_warn("%s: offset %zu: %s%s%s (%s)", path, off,
	    d->err_field != NULL ? d->err_field : "",
	    d->err_field != NULL ? ": " : "", ber_strerror(d->err), what);
	problem = EX_DATAERR;
}

/* X.411 names */
static const char *const pmi_names[] = { "disclosure-of-other-recipients",
    "implicit-conversion-prohibited", "alternate-recipient-allowed",
    "content-return-request", "reserved", "bit-5", "bit-6",
    "service-message" };
static const char *const pri_names[] = { "responsibility",
    "originating-MTA-report", "originating-MTA-non-delivery-report",
    "originator-report", "originator-non-delivery-report" };
static const char *const eit_names[] = { "unknown", NULL, "ia5-text",
    "g3-facsimile", "g4-class-1", "teletex", "videotex", "voice", "sfd",
    "mixed-mode" };
static const char *const crit_names[] = { "for-submission",
    "for-transfer", "for-delivery" };
static const char *const prio_names[] = { "normal", "non-urgent",
    "urgent" };
static const char *const routing_names[] = { "relayed", "rerouted" };
static const char *const other_action_names[] = { "redirected",
    "dl-operation" };
static const char *const mts_user_names[] = { "public", "private", "ms",
    "dl", "pdau", "physical-recipient", "other" };
static const char *const ext_names[] = { NULL,
    "recipient-reassignment-prohibited",
    "originator-requested-alternate-recipient", "dl-expansion-prohibited",
    "conversion-with-loss-prohibited", "latest-delivery-time",
    "requested-delivery-method", "physical-forwarding-prohibited",
    "physical-forwarding-address-request", "physical-delivery-modes",
    "registered-mail-type", "recipient-number-for-advice",
    "physical-rendition-attributes", "originator-return-address",
    "physical-delivery-report-request", "originator-certificate",
    "message-token", "content-confidentiality-algorithm-identifier",
    "content-integrity-check", "message-origin-authentication-check",
    "message-security-label", "proof-of-submission-request",
    "proof-of-delivery-request", "content-correlator",
    "probe-origin-authentication-check", "redirection-history",
    "dl-expansion-history", "physical-forwarding-address",
    "recipient-certificate", "proof-of-delivery",
    "originator-and-DL-expansion-history", "reporting-DL-name",
    "reporting-MTA-certificate", "report-origin-authentication-check",
    "originating-MTA-certificate", "proof-of-submission" };

static const char *
ctype_name(int64_t v)
{
	switch (v) {
	case P1_CT_UNIDENTIFIED:
		return "unidentified";
	case P1_CT_EXTERNAL:
		return "external";
	case P1_CT_P2:
		return "interpersonal-messaging-1984";
	case P1_CT_P22:
		return "interpersonal-messaging-1988";
	case P1_CT_P35:
		return "edi-interchange";
	}
	return NULL;
}

static void
print_mtsid(const char *k, const struct p1_mtsid *id)
{
	char	 b[160];

	gw_mtsid_text(id, b, sizeof(b));
	o_str(k, b);
}

/* GlobalDomainIdentifier in std-or form: "P=..;A=..;C=.." */
static void
print_gdi(const char *k, const struct p1_gdi *g)
{
	struct orname or;

	orname_init(&or);
	orname_set(&or, OR_C, g->c, strlen(g->c));
	orname_set(&or, OR_ADMD, g->admd, strlen(g->admd));
	if (g->has_prmd)
		orname_set(&or, OR_PRMD, g->prmd, strlen(g->prmd));
	o_orname(k, &or);
}

static void
print_eits(const char *k, const struct p1_eits *e)
{
	const char *w[64 + P1_MAX_EIT_OIDS];
	char	 num[64][8];
	size_t	 n = 0, i;

	for (i = 0; i < 64; i++) {
		if (!(e->builtin >> i & 1))
			continue;
		if (i < NELEM(eit_names) && eit_names[i] != NULL)
			w[n++] = eit_names[i];
		else {
			snprintf(num[i], sizeof(num[i]), "bit-%zu", i);
			w[n++] = num[i];
		}
	}
	for (i = 0; i < e->noid && i < P1_MAX_EIT_OIDS; i++)
		w[n++] = e->oid[i];
	o_words(k, w, n);
}

static void
print_ctype(const struct p1_ctype *ct)
{
	if (!ct->present)
		return;
	if (ct->extended)
		o_str("content-type", ct->oid);
	else
		o_enum("content-type", ct->builtin, ctype_name(ct->builtin));
}

static void
print_exts(const char *k, const struct p1_exts *x)
{
	size_t	 i;

	if (x->n == 0)
		return;
	o_abegin(k);
	for (i = 0; i < x->n; i++) {
		o_item();
		if (x->v[i].is_private)
			o_str("type", x->v[i].oid);
		else
			o_enum("type", x->v[i].type, tab(ext_names,
			    NELEM(ext_names), x->v[i].type));
		o_bits("criticality", x->v[i].crit, crit_names,
		    NELEM(crit_names));
		if (x->v[i].flags & P1_EXT_UNKNOWN_CRITICAL)
			o_bool("unknown-critical", 1);
		o_int("value-length", (int64_t)x->v[i].value.len);
		o_end();
	}
	o_aend();
}

static void
print_trace(const char *k, const struct p1_traces *t)
{
	size_t	 i;

	if (t->n == 0)
		return;
	o_abegin(k);
	for (i = 0; i < t->n; i++) {
		o_item();
		print_gdi("global-domain-identifier", &t->v[i].gdi);
		o_time("arrival-time", t->v[i].arrival);
		o_enum("routing-action", t->v[i].routing, tab(routing_names,
		    NELEM(routing_names), t->v[i].routing));
		if (t->v[i].has_attempted)
			print_gdi("attempted-domain", &t->v[i].attempted);
		if (t->v[i].has_deferred)
			o_time("deferred-time", t->v[i].deferred);
		if (t->v[i].has_converted)
			print_eits("converted-encoded-information-types",
			    &t->v[i].converted);
		if (t->v[i].other_actions)
			o_bits("other-actions", t->v[i].other_actions,
			    other_action_names, NELEM(other_action_names));
		o_end();
	}
	o_aend();
}

/* PerRecipientMessageTransferFields / ...ProbeTransferFields */
static void
print_rcpt(const struct p1_rcpt *r)
{
	o_item();
	o_orname("recipient-name", &r->name);
	o_int("originally-specified-recipient-number", r->osrn);
	o_bits("per-recipient-indicators", r->pri, pri_names,
	    NELEM(pri_names));
	if (r->has_conversion)
		o_int("explicit-conversion", r->conversion);
	print_exts("extensions", &r->ext);
	o_end();
}

/* MessageTransferEnvelope, ProbeTransferEnvelope */
static void
print_envelope(const struct p1_envelope *e, int probe)
{
	size_t	 i;

	print_mtsid(probe ? "probe-identifier" : "message-identifier",
	    &e->id);
	o_orname("originator-name", &e->originator);
	if (e->has_eits)
		print_eits("original-encoded-information-types", &e->eits);
	print_ctype(&e->ctype);
	if (e->has_cid)
		o_str("content-identifier", e->cid);
	if (probe && e->has_clen)
		o_int("content-length", e->clen);
	if (!probe)
		o_enum("priority", e->priority, tab(prio_names,
		    NELEM(prio_names), e->priority));
	o_bits("per-message-indicators", e->pmi, pmi_names,
	    NELEM(pmi_names));
	if (e->has_ddt)
		o_time("deferred-delivery-time", e->ddt);
	if (e->bilateral.len > 0)
		o_int("per-domain-bilateral-information-length",
		    (int64_t)e->bilateral.len);
	print_trace("trace-information", &e->trace);
	print_exts("extensions", &e->ext);
	o_abegin("per-recipient-fields");
	for (i = 0; i < e->nrcpt; i++)
		print_rcpt(&e->rcpt[i]);
	o_aend();
}

/* PerRecipientReportTransferFields */
static void
print_rrcpt(const struct p1_rrcpt *r)
{
	o_item();
	o_orname("actual-recipient-name", &r->actual);
	o_int("originally-specified-recipient-number", r->osrn);
	o_bits("per-recipient-indicators", r->pri, pri_names,
	    NELEM(pri_names));
	o_begin("last-trace-information");
	o_time("arrival-time", r->arrival);
	if (r->has_converted)
		print_eits("converted-encoded-information-types",
		    &r->converted);
	if (r->type == P1_DELIVERY) {
		o_begin("delivery");
		o_time("message-delivery-time", r->delivery_time);
		o_enum("type-of-MTS-user", r->mts_user, tab(mts_user_names,
		    NELEM(mts_user_names), r->mts_user));
	} else {
		o_begin("non-delivery");
		o_enum("non-delivery-reason-code", r->reason,
		    rpt_ndr_reason_name(r->reason));
		if (r->has_diag)
			o_enum("non-delivery-diagnostic-code", r->diag,
			    rpt_ndr_diag_name(r->diag));
	}
	o_end();
	o_end();
	if (r->has_intended)
		o_orname("originally-intended-recipient-name", &r->intended);
	if (r->has_suppl)
		o_str("supplementary-information", r->suppl);
	print_exts("extensions", &r->ext);
	o_end();
}

static void
print_report(const struct p1_report *r)
{
	size_t	 i;

	print_mtsid("report-identifier", &r->id);
	o_orname("report-destination-name", &r->dest);
	print_trace("trace-information", &r->trace);
	print_exts("envelope-extensions", &r->env_ext);
	print_mtsid("subject-identifier", &r->subject);
	if (r->has_subject_trace)
		print_trace("subject-intermediate-trace-information",
		    &r->subject_trace);
	if (r->has_eits)
		print_eits("original-encoded-information-types", &r->eits);
	print_ctype(&r->ctype);
	if (r->has_cid)
		o_str("content-identifier", r->cid);
	if (r->returned.present)
		o_int("returned-content-length", (int64_t)r->returned.len);
	if (r->additional.len > 0)
		o_int("additional-information-length",
		    (int64_t)r->additional.len);
	print_exts("extensions", &r->ext);
	o_abegin("per-recipient-fields");
	for (i = 0; i < r->nrcpt; i++)
		print_rrcpt(&r->rcpt[i]);
	o_aend();
}

/* X.420 names */
static const char *const nreq_names[] = { "rn", "nrn", "ipm-return",
    "an-supported", "suppress-an" };
static const char *const imp_names[] = { "low", "normal", "high" };
static const char *const sens_names[] = { NULL, "personal", "private",
    "company-confidential" };
static const char *const ack_names[] = { "manual", "automatic" };

static void	print_cms(const char *, const uint8_t *, size_t);

/* TeletexString in UTF-8 */
static void
o_t61(const char *k, const char *p, size_t n)
{
	struct buf b;

	buf_init(&b);
	t61_to_utf8(p, n, &b);
	o_strn(k, b.p != NULL ? (const char *)b.p : "", b.len);
	buf_free(&b);
}

static void
print_ipmid(const char *k, const struct p22_ipmid *id)
{
	char	 b[1024];

	gw_ipmid_text(id, b, sizeof(b));
	o_str(k, b);
}

static void
print_ordesc_fields(const struct p22_ordesc *d)
{
	if (d->has_formal)
		o_orname("formal-name", &d->formal);
	if (d->has_ffn)
		o_t61("free-form-name", d->ffn, d->ffnlen);
	if (d->has_tel)
		o_str("telephone-number", d->tel);
}

static void
print_ordesc(const char *k, const struct p22_ordesc *d)
{
	o_begin(k);
	print_ordesc_fields(d);
	o_end();
}

static void
print_ordescs(const char *k, const struct p22_ordesc *v, size_t n)
{
	size_t	 i;

	if (n == 0)
		return;
	o_abegin(k);
	for (i = 0; i < n; i++) {
		o_item();
		print_ordesc_fields(&v[i]);
		o_end();
	}
	o_aend();
}

static void
print_ipmids(const char *k, const struct p22_ipmid *v, size_t n)
{
	char	 b[1024];
	const char **w;
	char	(*s)[1024];
	size_t	 i;

	if (n == 0 || (w = calloc(n, sizeof(*w))) == NULL)
		return;
	if ((s = calloc(n, sizeof(*s))) == NULL) {
		free(w);
		return;
	}
	for (i = 0; i < n; i++) {
		gw_ipmid_text(&v[i], b, sizeof(b));
		memcpy(s[i], b, sizeof(b));
		w[i] = s[i];
	}
	o_words(k, w, n);
	free(s);
	free(w);
}

static void
print_p22_rcpts(const char *k, const struct p22_rcpts *r)
{
	size_t	 i;

	if (r->n == 0)
		return;
	o_abegin(k);
	for (i = 0; i < r->n; i++) {
		o_item();
		print_ordesc("recipient", &r->v[i].r);
		if (r->v[i].nreq)
			o_bits("notification-requests", r->v[i].nreq,
			    nreq_names, NELEM(nreq_names));
		if (r->v[i].reply)
			o_bool("reply-requested", 1);
		o_end();
	}
	o_aend();
}

static void
print_heading(const struct p22_heading *h)
{
	o_begin("heading");
	print_ipmid("this-IPM", &h->this_ipm);
	if (h->has_originator)
		print_ordesc("originator", &h->originator);
	print_ordescs("authorizing-users", h->auth, h->nauth);
	print_p22_rcpts("primary-recipients", &h->primary);
	print_p22_rcpts("copy-recipients", &h->copy);
	print_p22_rcpts("blind-copy-recipients", &h->bcc);
	if (h->has_replied)
		print_ipmid("replied-to-IPM", &h->replied);
	print_ipmids("obsoleted-IPMs", h->obsoleted, h->nobsoleted);
	print_ipmids("related-IPMs", h->related, h->nrelated);
	if (h->has_subject)
		o_t61("subject", h->subject, h->subjlen);
	if (h->has_expiry)
		o_time("expiry-time", h->expiry);
	if (h->has_reply_time)
		o_time("reply-time", h->reply_time);
	print_ordescs("reply-recipients", h->reply, h->nreply);
	o_enum("importance", h->importance, tab(imp_names, NELEM(imp_names),
	    h->importance));
	if (h->sensitivity != P22_SENS_NONE)
		o_enum("sensitivity", h->sensitivity, tab(sens_names,
		    NELEM(sens_names), h->sensitivity));
	if (h->auto_forwarded)
		o_bool("auto-forwarded", 1);
	if (h->ext.len > 0)
		o_int("extensions-length", (int64_t)h->ext.len);
	o_end();
}

/* The first line of a text body part; Latin-1 converted to UTF-8 */
static void
print_first_line(const uint8_t *p, size_t n, int latin1)
{
	struct buf b;
	size_t	 i;

	buf_init(&b);
	for (i = 0; i < n && p[i] != '\r' && p[i] != '\n' &&
	    i < FIRST_LINE_MAX; i++) {
		if (p[i] < 0x80)
			buf_add_u8(&b, p[i]);
		else if (latin1) {
			buf_add_u8(&b, 0xc0 | p[i] >> 6);
			buf_add_u8(&b, 0x80 | (p[i] & 0x3f));
		} else
			buf_add_u8(&b, '?');
	}
	o_strn("first-line", b.p != NULL ? (const char *)b.p : "", b.len);
	buf_free(&b);
}

static void
print_strlist(const char *k, const struct p22_strlist *l)
{
	struct buf b;
	unsigned i;

	buf_init(&b);
	for (i = 0; i < l->n && i < P22_MAX_PARTS; i++)
		buf_addf(&b, "%s%.*s", i ? "/" : "", (int)l->len[i], l->v[i]);
	o_strn(k, b.p != NULL ? (const char *)b.p : "", b.len);
	buf_free(&b);
}

static void
print_attr_time(const char *k, int kind, time_t t)
{
	if (kind == P22_ATTR_VALUE)
		o_time(k, t);
	else if (kind == P22_ATTR_NO_VALUE)
		o_str(k, "no-value-available");
}

static void
print_ftbp(const struct p22_ftbp *f, const struct ber_data *data)
{
	if (strcmp(f->doctype, P22_OID_FTAM3) == 0)
		o_str("document-type", "FTAM-3 (" P22_OID_FTAM3 ")");
	else
		o_str("document-type", f->doctype);
	if (f->appref == 1)
		o_str("application-reference", f->appref_oid);
	else if (f->appref == 2)
		print_strlist("application-reference", &f->appref_text);
	if (f->has_pathname)
		print_strlist(f->complete ? "complete-pathname" : "pathname",
		    &f->path);
	print_attr_time("date-and-time-of-creation", f->ctime_kind,
	    f->ctime);
	print_attr_time("date-and-time-of-last-modification", f->mtime_kind,
	    f->mtime);
	if (f->size_kind == P22_ATTR_VALUE)
		o_int("object-size", f->size);
	else if (f->size_kind == P22_ATTR_NO_VALUE)
		o_str("object-size", "no-value-available");
	o_bool("cms", f->is_cms);
	if (f->is_cms)
		print_cms("cms-layers", data->p, data->len);
}

static void	print_p22(const struct p22_content *, const char *);

static void
print_forwarded(const struct p22_bodypart *bp)
{
	struct p22_content fw;
	struct ber_dec d;

	if (bp->has_delivery_time)
		o_time("delivery-time", bp->delivery_time);
	ber_dec_init(&d);
	p22_init(&fw);
	if (p22_decode_forwarded(&d, NULL, bp, &fw) == BER_OK) {
		o_begin("forwarded-IPM");
		print_p22(&fw, NULL);
		o_end();
	}
	p22_free(&fw);
}

static void
print_bodypart(const struct p22_bodypart *bp)
{
	size_t	 i;
	int	 latin1 = 0;

	o_item();
	o_str("type", p22_bptype_name(bp->type));
	switch (bp->type) {
	case P22_BP_IA5:
		o_int("size", (int64_t)bp->data.len);
		if (bp->repertoire != P22_REP_IA5)
			o_int("repertoire", bp->repertoire);
		print_first_line(bp->data.p, bp->data.len, 0);
		break;
	case P22_BP_GENERAL_TEXT:
		o_int("size", (int64_t)bp->data.len);
		for (i = 0; i < bp->ncs && i < P22_MAX_CHARSETS; i++)
			if (bp->cs[i] == 100)	/* ISO 8859-1 right half */
				latin1 = 1;
		print_first_line(bp->data.p, bp->data.len, latin1);
		break;
	case P22_BP_BILATERAL:
		o_int("size", (int64_t)bp->data.len);
		break;
	case P22_BP_FTBP:
		o_int("size", (int64_t)bp->data.len);
		print_ftbp(bp->ftbp, &bp->data);
		break;
	case P22_BP_MESSAGE:
		o_int("size", (int64_t)bp->raw.len);
		print_forwarded(bp);
		break;
	case P22_BP_OTHER:
		o_int("size", (int64_t)bp->raw.len);
		break;
	}
	o_end();
}

static void
print_ipn(const struct p22_ipn *n)
{
	static const char *const choice[] = { "non-receipt-fields",
	    "receipt-fields", "other-notification-type-fields" };

	print_ipmid("subject-ipm", &n->subject);
	if (n->has_originator)
		print_ordesc("ipn-originator", &n->originator);
	if (n->has_intended)
		print_ordesc("ipm-intended-recipient", &n->intended);
	if (n->conversion_eits.len > 0)
		o_int("conversion-eits-length",
		    (int64_t)n->conversion_eits.len);
	o_begin(choice[n->type >= 0 && n->type <= 2 ? n->type : 2]);
	if (n->type == P22_IPN_NRN) {
		o_enum("non-receipt-reason", n->nrn_reason,
		    rpt_nrn_reason_name(n->nrn_reason));
		if (n->has_discard)
			o_enum("discard-reason", n->discard,
			    rpt_discard_name(n->discard));
		if (n->has_afc)
			o_str("auto-forward-comment", n->afc);
		if (n->returned.len > 0)
			o_int("returned-ipm-length", (int64_t)n->returned.len);
	} else if (n->type == P22_IPN_RN) {
		o_time("receipt-time", n->receipt_time);
		o_enum("acknowledgment-mode", n->ack_mode, tab(ack_names,
		    NELEM(ack_names), n->ack_mode));
		if (n->has_suppl)
			o_str("suppl-receipt-info", n->suppl);
	} else
		o_int("length", (int64_t)n->other.len);
	o_end();
}

static void
print_p22(const struct p22_content *c, const char *what)
{
	size_t	 i;

	if (what != NULL)
		o_str("kind", c->kind == P22_IPM ? "IPM" : "IPN");
	if (c->kind == P22_IPN) {
		o_begin("ipn");
		print_ipn(&c->ipn);
		o_end();
		return;
	}
	o_begin("ipm");
	print_heading(&c->h);
	o_abegin("body");
	for (i = 0; i < c->nbp; i++)
		print_bodypart(&c->bp[i]);
	o_aend();
	o_end();
}

/* X.435 names */
static const char *const edin_nr_names[] = { "pn", "nn", "fn" };
static const char *const sec_names[] = { "proof", "non-repudiation" };
static const char *const initiator_names[] = { "internal-ua",
    "external-ua", "internal-ms" };
static const char *const source_names[] = { "user-agent-or-ms", "user",
    "pdau" };

static void
print_edimid(const char *k, const struct p35_edimid *id)
{
	char	 b[1024];

	rpt_edimid_text(id, b, sizeof(b));
	o_str(k, b);
}

static void
print_party(const char *k, const struct p35_party *p)
{
	if (!p->present)
		return;
	o_begin(k);
	o_str("identification-code", p->id);
	if (p->has_qual)
		o_str("identification-code-qualifier", p->qual);
	if (p->has_route)
		o_str("routing-address", p->route);
	o_end();
}

static void
print_p35_rcpt(const struct p35_rcpt *r)
{
	o_item();
	o_orname("recipient", &r->name);
	o_str("action-request", strcmp(r->action, P35_FOR_COPY) == 0 ?
	    "for-copy" : strcmp(r->action, P35_FOR_ACTION) == 0 ?
	    "for-action" : r->action);
	if (r->has_notif) {
		o_bits("edi-notification-requests", r->notif, edin_nr_names,
		    NELEM(edin_nr_names));
		o_bits("edi-notification-security", r->notif_sec, sec_names,
		    NELEM(sec_names));
		o_bits("edi-reception-security", r->recep_sec, sec_names,
		    NELEM(sec_names));
	}
	if (r->resp_passing)
		o_bool("responsibility-passing-allowed", 1);
	print_party("interchange-recipient", &r->ichg_rcpt);
	if (r->has_rref)
		o_str("recipient-reference", r->rref);
	if (r->has_rref_qual)
		o_str("recipient-reference-qualifier", r->rref_qual);
	if (r->has_icr)
		o_str("interchange-control-reference", r->icr);
	if (r->has_prio)
		o_str("processing-priority-code", r->prio);
	if (r->ack_request)
		o_bool("acknowledgement-request", 1);
	if (r->has_agreement)
		o_str("communications-agreement-id", r->agreement);
	if (r->test)
		o_bool("test-indicator", 1);
	if (r->has_auth)
		o_str("authorization-information", r->auth);
	if (r->has_auth_qual)
		o_str("authorization-information-qualifier", r->auth_qual);
	o_end();
}

static void
print_edim_heading(const struct p35_heading *h)
{
	const char *w[P35_MAX_MSG_TYPES];
	size_t	 i;

	o_begin("heading");
	print_edimid("this-EDIM", &h->this_edim);
	if (h->has_originator)
		o_orname("originator", &h->originator);
	if (h->has_rcpts) {
		o_abegin("recipients");
		for (i = 0; i < h->nrcpt; i++)
			print_p35_rcpt(&h->rcpt[i]);
		o_aend();
	}
	if (h->resp_forwarded)
		o_bool("responsibility-forwarded", 1);
	o_str("edi-bodypart-type", p35_bodypart_name(h->bodypart_type) ?
	    p35_bodypart_name(h->bodypart_type) : h->bodypart_type);
	if (h->incomplete_copy)
		o_bool("incomplete-copy", 1);
	if (h->has_expiry)
		o_time("expiry-time", h->expiry);
	if (h->has_related)
		o_int("related-messages", (int64_t)h->nrelated);
	if (h->has_obsoleted) {
		o_abegin("obsoleted-EDIMs");
		for (i = 0; i < h->nobsoleted; i++)
			print_edimid(NULL, &h->obsoleted[i]);
		o_aend();
	}
	if (h->has_xref)
		o_int("cross-referencing-information", (int64_t)h->nxref);
	if (h->has_msgtypes) {
		for (i = 0; i < h->nmsgtype && i < P35_MAX_MSG_TYPES; i++)
			w[i] = h->msgtype[i];
		o_words("edi-message-type", w, i);
	}
	if (h->has_ssa) {
		char b[16];

		snprintf(b, sizeof(b), "%c%c%c%c%c%c", h->ssa.component_sep,
		    h->ssa.element_sep, h->ssa.decimal, h->ssa.has_release ?
		    h->ssa.release : ' ', h->ssa.has_reserved ?
		    h->ssa.reserved : ' ', h->ssa.segment_term);
		o_str("service-string-advice", b);
	}
	if (h->has_syntax) {
		o_str("syntax-identifier", h->syntax_id);
		o_str("syntax-version", h->syntax_version);
	}
	print_party("interchange-sender", &h->ichg_sender);
	if (h->has_prep)
		o_time("date-and-time-of-preparation", h->prep);
	if (h->has_appref)
		o_str("application-reference", h->appref);
	o_end();
}

static void
print_edim_body(const struct p35_body *b)
{
	o_begin("body");
	if (b->kind == P35_BODY_EDI) {
		o_str("primary-body-part", "edi-body-part");
		o_int("size", (int64_t)b->edi.len);
		print_first_line(b->edi.p, b->edi.len, 0);
	} else {
		o_str("primary-body-part", "forwarded-EDIM");
		o_int("size", (int64_t)b->forwarded.len);
	}
	if (b->additional.present)
		o_int("additional-body-parts-length",
		    (int64_t)b->additional.len);
	o_end();
}

static void
print_edin(const struct p35_edin *e)
{
	static const char *const kind[] = { "positive-notification",
	    "negative-notification", "forwarded-notification" };
	const struct p35_common *c = &e->common;

	o_begin(kind[e->kind <= P35_FN ? e->kind : 0]);
	print_edimid("subject-edim", &c->subject);
	o_orname("edin-originator", &c->originator);
	if (c->has_first)
		o_orname("first-recipient", &c->first);
	o_time("notification-time", c->time);
	o_enum("edin-initiator", c->initiator, tab(initiator_names,
	    NELEM(initiator_names), c->initiator));
	if (e->kind == P35_FN)
		o_orname("forwarded-to", &e->forwarded_to);
	if (e->kind != P35_PN) {
		o_begin("reason-code");
		o_str("source", tab(source_names, NELEM(source_names),
		    e->reason.source) ? source_names[e->reason.source] : "?");
		o_enum("basic-code", e->reason.basic,
		    rpt_nn_name(e->reason.source, e->reason.basic));
		if (e->reason.has_diag)
			o_int("diagnostic", e->reason.diag);
		o_end();
	}
	if (e->has_suppl)
		o_str("supplementary-info", e->suppl);
	o_end();
}

static void
print_p35(const struct p35_pdu *p)
{
	o_str("kind", p->kind == P35_EDIM ? "P35 EDIM" : "P35 EDIN");
	if (p->kind == P35_EDIM) {
		o_begin("edim");
		print_edim_heading(&p->h);
		print_edim_body(&p->body);
		o_end();
	} else {
		o_begin("edin");
		print_edin(&p->edin);
		o_end();
	}
}

/* CMS (RFC 5652, RFC 3274): the layers, read with the BER reader */
#define OID_DATA	"1.2.840.113549.1.7.1"
#define OID_SIGNED	"1.2.840.113549.1.7.2"
#define OID_ENVELOPED	"1.2.840.113549.1.7.3"
#define OID_COMPRESSED	"1.2.840.113549.1.9.16.1.9"
#define CMS_MAX_LAYERS	8
#define CMS_PEEK_MAX	((uint64_t)64 << 20)	/* inflate to look inside */

static const char *input_path = "-";

static const struct {
	const char	*oid, *name;
} oid_names[] = {
	{ OID_DATA, "data" },
	{ OID_SIGNED, "signedData" },
	{ OID_ENVELOPED, "envelopedData" },
	{ OID_COMPRESSED, "compressedData" },
	{ "1.2.840.113549.1.9.16.1.23", "authEnvelopedData" },
	{ "1.3.14.3.2.26", "sha1" },
	{ "2.16.840.1.101.3.4.2.1", "sha256" },
	{ "2.16.840.1.101.3.4.2.2", "sha384" },
	{ "2.16.840.1.101.3.4.2.3", "sha512" },
	{ "1.2.840.113549.1.1.1", "rsaEncryption" },
	{ "1.2.840.113549.1.1.5", "sha1WithRSAEncryption" },
	{ "1.2.840.113549.1.1.7", "rsaes-oaep" },
	{ "1.2.840.113549.1.1.10", "rsassa-pss" },
	{ "1.2.840.113549.1.1.11", "sha256WithRSAEncryption" },
	{ "1.2.840.113549.1.1.12", "sha384WithRSAEncryption" },
	{ "1.2.840.113549.1.1.13", "sha512WithRSAEncryption" },
	{ "1.2.840.113549.3.7", "des-ede3-cbc" },
	{ "2.16.840.1.101.3.4.1.2", "aes128-cbc" },
	{ "2.16.840.1.101.3.4.1.22", "aes192-cbc" },
	{ "2.16.840.1.101.3.4.1.42", "aes256-cbc" },
	{ "2.16.840.1.101.3.4.1.6", "aes128-gcm" },
	{ "2.16.840.1.101.3.4.1.46", "aes256-gcm" },
	{ "1.2.840.113549.1.9.16.3.8", "zlib" },
	{ "2.5.4.3", "CN" }, { "2.5.4.6", "C" }, { "2.5.4.7", "L" },
	{ "2.5.4.8", "ST" }, { "2.5.4.10", "O" }, { "2.5.4.11", "OU" },
	{ "2.5.4.5", "serialNumber" },
	{ "1.2.840.113549.1.9.1", "emailAddress" },
};

static const char *
oid_name(const char *oid)
{
	size_t	 i;

	for (i = 0; i < NELEM(oid_names); i++)
		if (strcmp(oid_names[i].oid, oid) == 0)
			return oid_names[i].name;
	return NULL;
}

/* An OID as "name (dotted)" */
static int
read_oid(struct ber_dec *d, struct cur *c, char *s, size_t n)
{
	struct ber_tlv t;
	char	 oid[P1_OID_MAX];
	int	 e;

	if ((e = ber_expect(d, c, BER_UNIV, BER_OID, 0, &t)) != BER_OK ||
	    (e = ber_get_oid(d, &t, oid, sizeof(oid))) != BER_OK)
		return e;
	if (oid_name(oid) != NULL)
		snprintf(s, n, "%s (%s)", oid_name(oid), oid);
	else
		snprintf(s, n, "%s", oid);
	return BER_OK;
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY } */
static int
read_algid(struct ber_dec *d, struct cur *c, char *s, size_t n)
{
	struct ber_tlv t;

	if (ber_expect(d, c, BER_UNIV, BER_SEQUENCE, 1, &t) != BER_OK)
		return d->err;
	return read_oid(d, &t.val, s, n);
}

/* Name: RDNSequence as "CN=x, O=y" (RFC 4514 order is reversed; we keep
 * the encoded order, which is what openssl -nameopt oneline shows) */
static int
print_name(struct ber_dec *d, const char *k, struct cur c)
{
	struct ber_tlv rdn, atv, v;
	struct buf b;
	char	 type[P1_OID_MAX + 32];
	int	 e = BER_OK;

	buf_init(&b);
	while (e == BER_OK && cur_len(&c) > 0 &&
	    (e = ber_expect(d, &c, BER_UNIV, BER_SET, 1, &rdn)) == BER_OK)
		while (e == BER_OK && cur_len(&rdn.val) > 0) {
			if ((e = ber_expect(d, &rdn.val, BER_UNIV,
			    BER_SEQUENCE, 1, &atv)) != BER_OK ||
			    (e = ber_expect(d, &atv.val, BER_UNIV, BER_OID, 0,
			    &v)) != BER_OK ||
			    (e = ber_get_oid(d, &v, type, sizeof(type))) !=
			    BER_OK || (e = ber_read(d, &atv.val, &v)) !=
			    BER_OK)
				break;
			buf_addf(&b, "%s%s=%.*s", b.len ? ", " : "",
			    oid_name(type) ? oid_name(type) : type,
			    (int)cur_len(&v.val), (const char *)cur_data(&v.val));
		}
	if (e == BER_OK)
		o_strn(k, b.p != NULL ? (const char *)b.p : "", b.len);
	buf_free(&b);
	return e;
}

/* SignerIdentifier / RecipientIdentifier */
static int
print_sid(struct ber_dec *d, struct cur *c)
{
	struct ber_tlv t, s;
	int	 e;

	if ((e = ber_read(d, c, &t)) != BER_OK)
		return e;
	if (ber_is(&t, BER_CTX, 0)) {
		o_hex("subject-key-identifier", cur_data(&t.val),
		    cur_len(&t.val));
		return BER_OK;
	}
	if (!ber_is(&t, BER_UNIV, BER_SEQUENCE) || !t.cons)
		return ber_fail(d, BER_EUNEXP, t.off, "sid");
	if ((e = ber_expect(d, &t.val, BER_UNIV, BER_SEQUENCE, 1, &s)) !=
	    BER_OK || (e = print_name(d, "issuer", s.val)) != BER_OK ||
	    (e = ber_expect(d, &t.val, BER_UNIV, BER_INTEGER, 0, &s)) !=
	    BER_OK)
		return e;
	o_hex("serial-number", cur_data(&s.val), cur_len(&s.val));
	return BER_OK;
}

/* EncapsulatedContentInfo: type and the octets of eContent */
static int
read_encap(struct ber_dec *d, struct cur *c, struct buf *scratch,
    struct cur *inner, int *has)
{
	struct ber_tlv t, x, o;
	char	 s[P1_OID_MAX + 32];
	int	 e;

	*has = 0;
	if ((e = ber_expect(d, c, BER_UNIV, BER_SEQUENCE, 1, &t)) != BER_OK ||
	    (e = read_oid(d, &t.val, s, sizeof(s))) != BER_OK)
		return e;
	o_str("encapsulated-content-type", s);
	if (cur_len(&t.val) == 0)
		return BER_OK;
	if ((e = ber_expect(d, &t.val, BER_CTX, 0, 1, &x)) != BER_OK ||
	    (e = ber_expect(d, &x.val, BER_UNIV, BER_OCTET_STRING, -1, &o)) !=
	    BER_OK || (e = ber_octets(d, &o, scratch, inner)) != BER_OK)
		return e;
	*has = 1;
	o_int("content-size", (int64_t)cur_len(inner));
	return BER_OK;
}

static int
print_signer(struct ber_dec *d, struct cur *c)
{
	struct ber_tlv si, t;
	char	 s[P1_OID_MAX + 32];
	int	 e;

	if ((e = ber_expect(d, c, BER_UNIV, BER_SEQUENCE, 1, &si)) != BER_OK ||
	    (e = ber_expect(d, &si.val, BER_UNIV, BER_INTEGER, 0, &t)) !=
	    BER_OK)
		return e;
	o_item();
	if ((e = print_sid(d, &si.val)) != BER_OK ||
	    (e = read_algid(d, &si.val, s, sizeof(s))) != BER_OK)
		return e;
	o_str("digest-algorithm", s);
	if ((e = ber_read(d, &si.val, &t)) != BER_OK)
		return e;
	if (ber_is(&t, BER_CTX, 0)) {
		o_bool("signed-attributes", 1);
		if ((e = ber_read(d, &si.val, &t)) != BER_OK)
			return e;
	}
	if (!ber_is(&t, BER_UNIV, BER_SEQUENCE) || !t.cons ||
	    (e = read_oid(d, &t.val, s, sizeof(s))) != BER_OK)
		return d->err ? d->err : ber_fail(d, BER_EUNEXP, t.off,
		    "signatureAlgorithm");
	o_str("signature-algorithm", s);
	o_end();
	return BER_OK;
}

/* Verify the outer signed layer with --cert */
static void
verify_signed(const uint8_t *p, size_t n, struct cur inner)
{
	struct cms_keys *k = NULL;
	char	 err[512];

	if (cms_keys_load(&k, NULL, NULL, cert, err, sizeof(err)) != CMS_OK ||
	    cms_verify_data(k, p, n, cur_data(&inner), cur_len(&inner), err,
	    sizeof(err)) != CMS_OK) {
		o_str("verified", err);
		log_warn("%s: signature: %s", input_path, err);
		problem = EX_DATAERR;
	} else
		o_str("verified", "yes, by the given certificate");
	cms_keys_free(k);
}

/* SignedData: the algorithms, the signers; *inner is the content */
static int
print_signed(struct ber_dec *d, struct cur c, struct buf *scratch,
    struct cur *inner, int *has)
{
	struct ber_tlv t, a;
	const char *w[16];
	char	 alg[16][P1_OID_MAX + 32];
	size_t	 n = 0;
	int	 e;

	if ((e = ber_expect(d, &c, BER_UNIV, BER_INTEGER, 0, &t)) != BER_OK ||
	    (e = ber_expect(d, &c, BER_UNIV, BER_SET, 1, &t)) != BER_OK)
		return e;
	while (cur_len(&t.val) > 0 && n < NELEM(alg)) {
		if ((e = read_algid(d, &t.val, alg[n], sizeof(alg[n]))) !=
		    BER_OK)
			return e;
		w[n] = alg[n];
		n++;
	}
	o_words("digest-algorithms", w, n);
	if ((e = read_encap(d, &c, scratch, inner, has)) != BER_OK)
		return e;
	n = 0;
	if ((e = ber_read(d, &c, &t)) != BER_OK)
		return e;
	if (ber_is(&t, BER_CTX, 0)) {
		while (cur_len(&t.val) > 0 && ber_read(d, &t.val, &a) ==
		    BER_OK)
			n++;
		if (d->err != BER_OK || (e = ber_read(d, &c, &t)) != BER_OK)
			return d->err;
	}
	o_int("certificates", (int64_t)n);
	if (ber_is(&t, BER_CTX, 1) && (e = ber_read(d, &c, &t)) != BER_OK)
		return e;
	if (!ber_is(&t, BER_UNIV, BER_SET) || !t.cons)
		return ber_fail(d, BER_EUNEXP, t.off, "signerInfos");
	o_abegin("signers");
	while (cur_len(&t.val) > 0)
		if ((e = print_signer(d, &t.val)) != BER_OK)
			return e;
	o_aend();
	return BER_OK;
}

static int
print_recipient(struct ber_dec *d, struct cur *c)
{
	static const char *const kinds[] = { "ktri", "kari", "kekri", "pwri",
	    "ori" };
	struct ber_tlv ri, t;
	char	 s[P1_OID_MAX + 32];
	int	 e;

	if ((e = ber_read(d, c, &ri)) != BER_OK)
		return e;
	o_item();
	if (!ber_is(&ri, BER_UNIV, BER_SEQUENCE)) {
		o_str("kind", ri.cls == BER_CTX && ri.tag <= 4 ?
		    kinds[ri.tag] : "unknown");
		o_end();
		return BER_OK;
	}
	o_str("kind", "ktri");
	if ((e = ber_expect(d, &ri.val, BER_UNIV, BER_INTEGER, 0, &t)) !=
	    BER_OK || (e = print_sid(d, &ri.val)) != BER_OK ||
	    (e = read_algid(d, &ri.val, s, sizeof(s))) != BER_OK)
		return e;
	o_str("key-encryption-algorithm", s);
	o_end();
	return BER_OK;
}

static int
print_enveloped(struct ber_dec *d, struct cur c)
{
	struct ber_tlv t;
	char	 s[P1_OID_MAX + 32];
	int	 e;

	if ((e = ber_expect(d, &c, BER_UNIV, BER_INTEGER, 0, &t)) != BER_OK ||
	    (e = ber_read(d, &c, &t)) != BER_OK)
		return e;
	if (ber_is(&t, BER_CTX, 0) && (e = ber_read(d, &c, &t)) != BER_OK)
		return e;
	if (!ber_is(&t, BER_UNIV, BER_SET) || !t.cons)
		return ber_fail(d, BER_EUNEXP, t.off, "recipientInfos");
	o_abegin("recipients");
	while (cur_len(&t.val) > 0)
		if ((e = print_recipient(d, &t.val)) != BER_OK)
			return e;
	o_aend();
	if ((e = ber_expect(d, &c, BER_UNIV, BER_SEQUENCE, 1, &t)) != BER_OK ||
	    (e = read_oid(d, &t.val, s, sizeof(s))) != BER_OK)
		return e;
	o_str("encrypted-content-type", s);
	if ((e = read_algid(d, &t.val, s, sizeof(s))) != BER_OK)
		return e;
	o_str("content-encryption-algorithm", s);
	o_str("inner-layers", "not visible without the recipient's key");
	return BER_OK;
}

static int
print_compressed(struct ber_dec *d, struct cur c, struct buf *scratch,
    struct cur *inner, int *has)
{
	struct ber_tlv t;
	char	 s[P1_OID_MAX + 32];
	int	 e;

	if ((e = ber_expect(d, &c, BER_UNIV, BER_INTEGER, 0, &t)) != BER_OK ||
	    (e = read_algid(d, &c, s, sizeof(s))) != BER_OK)
		return e;
	o_str("compression-algorithm", s);
	return read_encap(d, &c, scratch, inner, has);
}

/* One layer (a ContentInfo), then the layers inside it */
static void
print_cms_layer(const uint8_t *p, size_t n, int depth)
{
	struct ber_dec d;
	struct ber_tlv ci, x, sd;
	struct buf scratch, plain;
	struct cur c, inner;
	char	 oid[P1_OID_MAX], err[256];
	int	 e, has = 0, top = lvl;

	buf_init(&scratch);
	buf_init(&plain);
	ber_dec_init(&d);
	o_item();
	if ((e = ber_read_one(&d, p, n, &ci)) != BER_OK ||
	    (c = ci.val, e = ber_expect(&d, &c, BER_UNIV, BER_OID, 0, &x)) !=
	    BER_OK || (e = ber_get_oid(&d, &x, oid, sizeof(oid))) != BER_OK ||
	    (e = ber_expect(&d, &c, BER_CTX, 0, 1, &x)) != BER_OK ||
	    (e = ber_expect(&d, &x.val, BER_UNIV, BER_SEQUENCE, 1, &sd)) !=
	    BER_OK)
		goto bad;
	if (strcmp(oid, OID_SIGNED) == 0) {
		o_str("layer", "signed");
		e = print_signed(&d, sd.val, &scratch, &inner, &has);
		if (e == BER_OK && has && depth == 0 && cert != NULL)
			verify_signed(p, n, inner);
	} else if (strcmp(oid, OID_ENVELOPED) == 0) {
		o_str("layer", "enveloped");
		e = print_enveloped(&d, sd.val);
	} else if (strcmp(oid, OID_COMPRESSED) == 0) {
		o_str("layer", "compressed");
		e = print_compressed(&d, sd.val, &scratch, &inner, &has);
		if (e == BER_OK && has) {
			if (cms_decompress_mem(p, n, &plain, CMS_PEEK_MAX, err,
			    sizeof(err)) != CMS_OK) {
				o_str("inner-layers", err);
				has = 0;
			} else
				cur_init(&inner, plain.p, plain.len);
		}
	} else {
		o_str("layer", oid_name(oid) ? oid_name(oid) : oid);
		has = 0;
	}
bad:
	if (e != BER_OK) {
		report(input_path, "CMS", &d, p);
		o_unwind(top + 1);
	}
	o_end();
	if (e == BER_OK && has) {
		if (depth + 1 < CMS_MAX_LAYERS &&
		    cms_detect(cur_data(&inner), cur_len(&inner)) != 0)
			print_cms_layer(cur_data(&inner), cur_len(&inner),
			    depth + 1);
		else {
			o_item();
			o_str("layer", "data");
			o_int("size", (int64_t)cur_len(&inner));
			o_end();
		}
	}
	buf_free(&plain);
	buf_free(&scratch);
}

static void
print_cms(const char *k, const uint8_t *p, size_t n)
{
	o_abegin(k);
	print_cms_layer(p, n, 0);
	o_aend();
}
/* One "key: value" line, or a JSON member (value escaped). */
static void
field(const char *k, const char *v, int *first)
{
	const char *q;

	if (!json) {
		printf("%-10s %s\n", k, v);
		return;
	}
	printf("%s\n  \"%s\": \"", *first ? "{" : ",", k);
	for (q = v; *q != '\0'; q++) {
		if (*q == '"' || *q == '\\')
			putchar('\\');
		if ((unsigned char)*q < 0x20)
			printf("\\u%04x", (unsigned char)*q);
		else
			putchar(*q);
	}
	putchar('"');
	*first = 0;
}

static void
fieldu(const char *k, unsigned long long v, int *first)
{
	char	 b[32];

	snprintf(b, sizeof(b), "%llu", v);
	field(k, b, first);
}

static void
print_sfid(const char *kind, const struct sfid *sf)
{
	char	 f[2] = { sf->format, 0 }, sg[2] = { sf->sign, 0 };
	unsigned i;
	int	 first = 1;

	field("kind", kind, &first);
	field("dsn", sf->dsn, &first);
	field("date", sf->date, &first);
	field("time", sf->time, &first);
	field("user", sf->user, &first);
	field("dest", sf->dest, &first);
	field("orig", sf->orig, &first);
	field("format", f, &first);
	fieldu("lrecl", sf->lrecl, &first);
	fieldu("fsize", sf->fsize, &first);
	fieldu("osize", sf->osize, &first);
	fieldu("sec", sf->sec, &first);
	fieldu("ciph", sf->ciph, &first);
	fieldu("comp", sf->comp, &first);
	fieldu("env", sf->env, &first);
	field("sign", sg, &first);
	field("desc", sf->desc, &first);
	for (i = 0; i < sf->nox; i++)
		field(sf->ox[i].key, sf->ox[i].val, &first);
	if (json)
		printf("\n}\n");
}

/* EERP / NERP: every field; the signature checked with --cert. */
static int
print_eerp(const struct eerp *e, const char *path)
{
	struct cms_keys *k = NULL;
	char	 hex[2 * 64 + 1], b[64], err[512];
	size_t	 i;
	int	 first = 1, rc = 0;

	field("kind", e->cmd == 'E' ? "EERP" : "NERP", &first);
	field("layout", e->level == EERP_OFTP14 ? "OFTP 1.4" : "OFTP2", &first);
	field("dsn", e->dsn, &first);
	field("date", e->date, &first);
	field("time", e->time, &first);
	if (e->cmd == 'E')
		field("user", e->user, &first);
	field("dest", e->dest, &first);
	field("orig", e->orig, &first);
	if (e->cmd == 'N') {
		field("creator", e->crea, &first);
		snprintf(b, sizeof(b), "%02u %s", e->reason,
		    nerp_reason_text(e->reason));
		field("reason", b, &first);
		field("text", e->text, &first);
	}
	for (i = 0; i < e->hash_len && i < 64; i++)
		snprintf(hex + 2 * i, 3, "%02x", e->hash[i]);
	hex[2 * i] = '\0';
	field("hash", e->hash_len ? hex : "-", &first);
	fieldu("signature", e->sig_len, &first);
	if (e->sig_len > 0 && cert != NULL) {
		if (cms_keys_load(&k, NULL, NULL, cert, err, sizeof(err)) !=
		    CMS_OK || cms_verify_eerp(k, e, err, sizeof(err)) !=
		    CMS_OK) {
			field("verified", err, &first);
			log_warn("%s: signature: %s", path, err);
			rc = EX_DATAERR;
		} else
			field("verified", "yes, by the given certificate",
			    &first);
		cms_keys_free(k);
	}
	if (json)
		printf("\n}\n");
	return rc;
}

/* OFTP files: .sfid sidecar, SFID command, EERP/NERP; -1 if not one. */
static int
dump_oftp(const char *path, const uint8_t *p, size_t n)
{
	struct sfid	 sf;
	struct eerp	 e;
	struct cur	 c;
	char		 err[512];
	size_t		 i = 0;

	/* a sidecar: "[sfid]" after blank and comment lines */
	while (i < n && (p[i] == ';' || p[i] == '#' || p[i] == '\n' ||
	    p[i] == '\r' || p[i] == ' ' || p[i] == '\t')) {
		if (p[i] == ';' || p[i] == '#')
			while (i < n && p[i] != '\n')
				i++;
		else
			i++;
	}
	if (n - i >= 6 && memcmp(p + i, "[sfid]", 6) == 0) {
		sfid_init(&sf);
		if (sfid_read_file(&sf, path, err, sizeof(err)) != SFID_OK) {
			log_warn("%s: %s", path, err);
			return EX_DATAERR;
		}
		print_sfid("SFID sidecar", &sf);
		return 0;
	}
	cur_init(&c, p, n);
	if (n > 0 && p[0] == 'H') {
		sfid_init(&sf);
		if (sfid_parse_h(&sf, &c, err, sizeof(err)) == SFID_OK) {
			print_sfid("SFID command", &sf);
			return 0;
		}
	} else if (n > 0 && (p[0] == 'E' || p[0] == 'N') &&
	    eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)) == EERP_OK)
		return print_eerp(&e, path);
	return -1;
}


static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: oxdump [-v] [--json] [--tree] [--max-octets N] [--cert FILE] "
	    "FILE\n"
	    "Print a file of the toolkit by field, its kind found from its content:\n"
	    "P1 (with its P22/P2 or P35 content), bare P22 or P35, CMS layers,\n"
	    ".sfid sidecar, SFID command, EERP/NERP; other BER as an element tree.\n"
	    "  --json            print JSON instead of text\n"
	    "  --tree            print the BER element tree whatever the file is\n"
	    "  --cert FILE       verify a signed CMS layer or EERP/NERP with this\n"
	    "                    certificate\n"
	    "  --max-octets N    octets of hex shown per value (default 32)\n"
	    "  -v                more log\n"
	    "  --help, --version\n");
	exit(code);
}
static const char *
univ_name(uint32_t tag)
{
	static const char *const n[] = { "EOC", "BOOLEAN", "INTEGER",
	    "BIT STRING", "OCTET STRING", "NULL", "OBJECT IDENTIFIER",
	    "ObjectDescriptor", "EXTERNAL", "REAL", "ENUMERATED",
	    "EMBEDDED PDV", "UTF8String", "RELATIVE-OID", "14", "15",
	    "SEQUENCE", "SET", "NumericString", "PrintableString",
	    "TeletexString", "VideotexString", "IA5String", "UTCTime",
	    "GeneralizedTime", "GraphicString", "VisibleString",
	    "GeneralString", "UniversalString", "CHARACTER STRING",
	    "BMPString" };

	return tag < sizeof(n) / sizeof(n[0]) ? n[tag] : NULL;
}

static void
tag_text(const struct ber_tlv *t, char *s, size_t n)
{
	static const char *const cls[] = { "UNIVERSAL ", "APPLICATION ", "",
	    "PRIVATE " };

	if (t->cls == BER_UNIV && univ_name(t->tag) != NULL)
		snprintf(s, n, "%s", univ_name(t->tag));
	else
		snprintf(s, n, "[%s%" PRIu32 "]", cls[t->cls >> 6], t->tag);
}

/* Text of a primitive value, JSON-safe when json is set. */
static void
value_text(struct ber_dec *d, const struct ber_tlv *t, struct buf *out)
{
	const uint8_t	*p = cur_data(&t->val);
	size_t		 n = cur_len(&t->val), i;
	char		 oid[512];
	int64_t		 v;
	uint64_t	 bits;
	unsigned	 nb;
	time_t		 tm;
	struct tm	 g;
	int		 text = 1;

	if (t->cls == BER_UNIV) {
		switch (t->tag) {
		case BER_INTEGER:
		case BER_ENUMERATED:
			if (ber_get_int(d, t, &v) == BER_OK) {
				buf_addf(out, "%" PRId64, v);
				return;
			}
			break;
		case BER_BOOLEAN:
			buf_add_str(out, n == 1 && p[0] ? "TRUE" : "FALSE");
			return;
		case BER_OID:
			if (ber_get_oid(d, t, oid, sizeof(oid)) == BER_OK) {
				buf_add_str(out, oid);
				return;
			}
			break;
		case BER_BIT_STRING:
			if (ber_get_bits(d, t, &bits, &nb) == BER_OK) {
				buf_add_u8(out, '\'');
				for (i = 0; i < nb && i < 64; i++)
					buf_add_u8(out, bits >> i & 1 ? '1' :
					    '0');
				buf_add_str(out, "'B");
				return;
			}
			break;
		case BER_UTC_TIME:
		case BER_GENERALIZED_TIME:
			if (ber_get_time(d, t, (int)t->tag, &tm) == BER_OK &&
			    gmtime_r(&tm, &g) != NULL) {
				buf_addf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ",
				    g.tm_year + 1900, g.tm_mon + 1, g.tm_mday,
				    g.tm_hour, g.tm_min, g.tm_sec);
				return;
			}
			break;
		case BER_NULL:
			buf_add_str(out, "NULL");
			return;
		}
	}
	d->err = BER_OK;	/* a value we cannot read is shown in hex */
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			text = 0;
	if (text && n > 0) {
		buf_add_u8(out, '"');
		for (i = 0; i < n; i++) {
			if (p[i] == '"' || p[i] == '\\')
				buf_add_u8(out, '\\');
			buf_add_u8(out, p[i]);
		}
		buf_add_u8(out, '"');
		return;
	}
	for (i = 0; i < n && i < max_octets; i++)
		buf_addf(out, "%s%02x", i ? " " : "", p[i]);
	if (n > max_octets)
		buf_addf(out, " ... (%zu octets)", n);
}

static int
dump(struct ber_dec *d, struct cur c, int level)
{
	struct ber_tlv	 t;
	struct buf	 v;
	char		 tag[64];
	int		 first = 1, e;

	while (cur_len(&c) > 0) {
		if ((e = ber_read(d, &c, &t)) != BER_OK)
			return e;
		tag_text(&t, tag, sizeof(tag));
		buf_init(&v);
		if (!t.cons)
			value_text(d, &t, &v);
		if (json) {
			printf("%s\n%*s{\"offset\": %zu, \"tag\": \"%s\", "
			    "\"constructed\": %s, \"length\": %zu%s", first ?
			    "" : ",", level * 2, "", t.off, tag, t.cons ?
			    "true" : "false", cur_len(&t.val), t.indef ?
			    ", \"indefinite\": true" : "");
			if (!t.cons && v.p[0] == '"')
				printf(", \"value\": %s}", v.p);
			else if (!t.cons)
				printf(", \"value\": \"%s\"}", v.p);
		} else
			printf("%6zu %*s%s%s len %zu%s%s%s\n", t.off,
			    level * 2, "", tag, t.cons ? " {" : "",
			    cur_len(&t.val), t.indef ? " indefinite" : "",
			    t.cons ? "" : ": ", t.cons ? "" : (char *)v.p);
		buf_free(&v);
		if (t.cons) {
			if (json)
				printf(", \"children\": [");
			if ((e = dump(d, t.val, level + 1)) != BER_OK)
				return e;
			if (json)
				printf("]}");
			else
				printf("%6s %*s}\n", "", level * 2, "");
		}
		first = 0;
	}
	return BER_OK;
}


/* A P1 message's content, decoded by its content type */
static void
print_content(const struct p1_ctype *ct, const struct p1_content *m)
{
	struct p22_content c;
	struct p35_pdu	 e;
	struct ber_dec	 d;

	o_begin("content");
	o_int("size", (int64_t)m->len);
	ber_dec_init(&d);
	if (p1_ctype_number(ct) == P1_CT_P22 || p1_ctype_number(ct) ==
	    P1_CT_P2) {
		p22_init(&c);
		if (p22_decode(&d, NULL, m->p, m->len, &c) == BER_OK)
			print_p22(&c, "content");
		else
			report(input_path, "P22 content", &d, m->p);
		p22_free(&c);
	} else if (p1_ctype_number(ct) == P1_CT_P35) {
		p35_init(&e);
		if (p35_decode(&d, NULL, m->p, m->len, &e) == BER_OK)
			print_p35(&e);
		else
			report(input_path, "P35 content", &d, m->p);
		p35_free(&e);
	}
	o_end();
}

static void
print_p1(const struct p1_pdu *pdu)
{
	char	 kind[32];

	o_start();
	snprintf(kind, sizeof(kind), "P1 %s", p1_kind_name(pdu->kind));
	o_str("kind", kind);
	if (pdu->unknown_critical > 0)
		o_int("unknown-critical-extensions",
		    (int64_t)pdu->unknown_critical);
	o_begin(p1_kind_name(pdu->kind));
	if (pdu->kind == P1_REPORT)
		print_report(&pdu->rpt);
	else
		print_envelope(&pdu->msg.env, pdu->kind == P1_PROBE);
	o_end();
	if (pdu->kind == P1_MESSAGE && pdu->msg.content.present)
		print_content(&pdu->msg.env.ctype, &pdu->msg.content);
	o_finish();
}

/*
 * P1, P22 or P35: the first decoder that accepts the file. When none
 * does, the one that got furthest into it names the problem.
 */
static int
dump_x400(const uint8_t *p, size_t n)
{
	static const char *const p1what[] = { "P1 message", "P1 report",
	    "P1 probe" };
	struct p1_pdu	 a;
	struct p22_content b;
	struct p35_pdu	 c;
	struct ber_dec	 da, db, dc, *best;
	const char	*what;

	ber_dec_init(&da);
	ber_dec_init(&db);
	ber_dec_init(&dc);
	p1_init(&a);
	p22_init(&b);
	p35_init(&c);
	if (p1_decode(&da, NULL, p, n, &a) == BER_OK)
		print_p1(&a);
	else if (p22_decode(&db, NULL, p, n, &b) == BER_OK) {
		o_start();
		o_str("kind", b.kind == P22_IPM ? "P22 IPM" : "P22 IPN");
		print_p22(&b, NULL);
		o_finish();
	} else if (p35_decode(&dc, NULL, p, n, &c) == BER_OK) {
		o_start();
		print_p35(&c);
		o_finish();
	} else {
		best = &da;
		what = p1what[(p[0] & 0x1f) <= 2 ? p[0] & 0x1f : 0];
		if (db.err_off > best->err_off) {
			best = &db;
			what = "P22";
		}
		if (dc.err_off > best->err_off) {
			best = &dc;
			what = "P35";
		}
		report(input_path, what, best, p);
	}
	p1_free(&a);
	p22_free(&b);
	p35_free(&c);
	return problem;
}

static int
dump_cms(const uint8_t *p, size_t n)
{
	o_start();
	o_str("kind", "CMS");
	print_cms("layers", p, n);
	o_finish();
	return problem;
}

/* Any BER file as an element tree */
static int
dump_tree(const uint8_t *p, size_t n)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct cur	 c;
	int		 e;

	ber_dec_init(&d);
	if (ber_read_one(&d, p, n, &t) != BER_OK) {
		report(input_path, "BER", &d, p);
		return EX_DATAERR;
	}
	cur_init(&c, p, n);
	if (json)
		printf("[");
	e = dump(&d, c, json);
	if (json)
		printf("\n]\n");
	if (e != BER_OK) {
		report(input_path, "BER", &d, p);
		return EX_DATAERR;
	}
	return 0;
}

/* The kind from the first octets: [0]..[2] X.400, SEQUENCE { OID } CMS */
static int
dump_file(const uint8_t *p, size_t n, int tree)
{
	int	 e;

	if (tree)
		return dump_tree(p, n);
	if ((e = dump_oftp(input_path, p, n)) >= 0)
		return e;
	if (n > 1 && p[0] >= 0xa0 && p[0] <= 0xa2)
		return dump_x400(p, n);
	if (n > 1 && p[0] == 0x30 && cms_detect(p, n) != 0)
		return dump_cms(p, n);
	return dump_tree(p, n);
}

static uint8_t *
read_all(const char *path, size_t *np)
{
	struct stat	 st;
	uint8_t		*p;
	size_t		 got = 0;
	ssize_t		 k;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0 ||
	    fstat(fd, &st) < 0)
		log_fatal(EX_NOINPUT, "%s: cannot read: %s", path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		log_fatal(EX_NOINPUT, "%s: cannot read: not a regular file",
		    path);
	if ((uintmax_t)st.st_size >= SIZE_MAX ||
	    (p = malloc((size_t)st.st_size + 1)) == NULL)
		log_fatal(EX_NOINPUT, "%s: %jd octets: out of memory", path,
		    (intmax_t)st.st_size);
	while (got < (size_t)st.st_size &&
	    (k = read(fd, p + got, (size_t)st.st_size - got)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			log_fatal(EX_NOINPUT, "%s: read: %s", path,
			    strerror(errno));
		got += (size_t)k;
	}
	close(fd);
	*np = got;
	return p;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "tree", no_argument, NULL, 't' },
		{ "max-octets", required_argument, NULL, 'm' },
		{ "cert", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	uint8_t		*p;
	size_t		 n;
	int		 ch, verbose = 0, tree = 0, e;

	log_open(argv[0], 0, 0);
	while ((ch = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 't':
			tree = 1;
			break;
		case 'm':
			max_octets = strtoul(optarg, NULL, 10);
			break;
		case 'C':
			cert = optarg;
			break;
		default:
			opt_common(ch, "oxdump", &verbose, usage);
		}
	}
	if (argc - optind != 1)
		usage(EX_USAGE);
	input_path = argv[optind];
	file_base = p = read_all(input_path, &n);
	file_len = n;
	e = dump_file(p, n, tree);
	free(p);
	log_close_stdout();
	return e;
}
