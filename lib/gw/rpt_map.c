/*
 * rpt_map - the one table between X.400 reports and OFTP EERP / NERP.
 * See rpt_map.h.
 */
#include <stdio.h>
#include <string.h>

#include "gw/rpt_map.h"
#include "util/buf.h"

/* X.411 NonDeliveryReasonCode */
static const char *const ndr_reason[] = {
	"transfer-failure", "unable-to-transfer", "conversion-not-performed",
	"physical-rendition-not-performed", "physical-delivery-not-performed",
	"restricted-delivery", "directory-operation-unsuccessful",
	"deferred-delivery-not-performed",
	"transfer-failure-for-security-reason"
};

/* X.411 NonDeliveryDiagnosticCode */
static const char *const ndr_diag[] = {
	"unrecognised-OR-name", "ambiguous-OR-name", "mts-congestion",
	"loop-detected", "recipient-unavailable", "maximum-time-expired",
	"encoded-information-types-unsupported", "content-too-long",
	"conversion-impractical", "implicit-conversion-prohibited",
	"implicit-conversion-not-subscribed", "invalid-arguments",
	"content-syntax-error", "size-constraint-violation",
	"protocol-violation", "content-type-not-supported",
	"too-many-recipients", "no-bilateral-agreement",
	"unsupported-critical-function", "conversion-with-loss-prohibited",
	"line-too-long", "page-split", "pictorial-symbol-loss",
	"punctuation-symbol-loss", "alphabetic-character-loss",
	"multiple-information-loss", "recipient-reassignment-prohibited",
	"redirection-loop-detected", "dl-expansion-prohibited",
	"no-dl-submit-permission", "dl-expansion-failure",
	"physical-rendition-attributes-not-supported",
	"undeliverable-mail-physical-delivery-address-incorrect",
	"undeliverable-mail-physical-delivery-office-incorrect-or-invalid",
	"undeliverable-mail-physical-delivery-address-incomplete",
	"undeliverable-mail-recipient-unknown",
	"undeliverable-mail-recipient-deceased",
	"undeliverable-mail-organization-expired",
	"undeliverable-mail-recipient-refused-to-accept",
	"undeliverable-mail-recipient-did-not-claim",
	"undeliverable-mail-recipient-changed-address-permanently",
	"undeliverable-mail-recipient-changed-address-temporarily",
	"undeliverable-mail-recipient-changed-temporary-address",
	"undeliverable-mail-new-address-unknown",
	"undeliverable-mail-recipient-did-not-want-forwarding",
	"undeliverable-mail-originator-prohibited-forwarding",
	"secure-messaging-error", "unable-to-downgrade",
	"unable-to-complete-transfer", "transfer-attempts-limit-reached"
};

/* X.420 DiscardReasonField, NonReceiptReasonField */
static const char *const discard[] = {
	"ipm-expired", "ipm-obsoleted", "user-subscription-terminated"
};
static const char *const nrn_reason[] = {
	"ipm-discarded", "ipm-auto-forwarded"
};

/* X.435 NNUAMSBasicCodeField, NNUserBasicCodeField, PDAU codes */
static const char *const nn_ua[] = {
	"unspecified", "cannot-deliver", "delivery-timeout",
	"message-discarded", "subscription-terminated", "forwarding-error",
	"security-error"
};
static const char *const nn_user[] = {
	"unspecified", "syntax-error", "interchange-sender-unknown",
	"interchange-recipient-unknown", "invalid-heading-field",
	"invalid-bodypart-type", "invalid-message-type",
	"functional-group-not-supported", "subscription-terminated",
	"no-bilateral-agreement", "user-defined-reason"
};
static const char *const nn_source[] = { "EDI-UA/MS", "EDI user", "PDAU" };

#define NAME(t, i)	((i) >= 0 && (size_t)(i) < sizeof(t) / sizeof((t)[0]) \
			    ? (t)[(i)] : NULL)

const char *
rpt_ndr_reason_name(int64_t c)
{
	return NAME(ndr_reason, c);
}

const char *
rpt_ndr_diag_name(int64_t c)
{
	return NAME(ndr_diag, c);
}

const char *
rpt_discard_name(int64_t c)
{
	return NAME(discard, c);
}

const char *
rpt_nrn_reason_name(int64_t c)
{
	return NAME(nrn_reason, c);
}

const char *
rpt_nn_name(int source, int64_t c)
{
	if (source == P35_RC_UA_MS)
		return NAME(nn_ua, c);
	if (source == P35_RC_USER)
		return NAME(nn_user, c);
	return NULL;
}

/* "name (N)" or "code N" */
static void
word(char *s, size_t n, const char *name, int64_t c)
{
	if (name != NULL)
		snprintf(s, n, "%s (%lld)", name, (long long)c);
	else
		snprintf(s, n, "code %lld", (long long)c);
}

void
rpt_ndr_text(char *s, size_t n, int64_t reason, int has_diag, int64_t diag,
    const char *suppl)
{
	char	 r[80], d[112];

	word(r, sizeof(r), rpt_ndr_reason_name(reason), reason);
	d[0] = '\0';
	if (has_diag) {
		memcpy(d, ", diagnostic ", 14);
		word(d + 13, sizeof(d) - 13, rpt_ndr_diag_name(diag), diag);
	}
	snprintf(s, n, "X.400 non-delivery: %s%s%s%s", r, d, suppl != NULL &&
	    suppl[0] != '\0' ? ": " : "", suppl != NULL ? suppl : "");
}

void
rpt_nrn_text(char *s, size_t n, int64_t reason, int has_discard,
    int64_t dr)
{
	char	 r[80], d[80];

	word(r, sizeof(r), rpt_nrn_reason_name(reason), reason);
	if (has_discard) {
		word(d, sizeof(d), rpt_discard_name(dr), dr);
		snprintf(s, n, "X.400 non-receipt: %s, discard reason %s", r,
		    d);
	} else
		snprintf(s, n, "X.400 non-receipt: %s", r);
}

void
rpt_nn_text(char *s, size_t n, int source, int64_t basic, int has_diag,
    int64_t diag)
{
	char	 b[80];

	word(b, sizeof(b), rpt_nn_name(source, basic), basic);
	if (has_diag)
		snprintf(s, n, "X.435 negative notification from the %s: %s, "
		    "diagnostic %lld", NAME(nn_source, source) ?
		    NAME(nn_source, source) : "?", b, (long long)diag);
	else
		snprintf(s, n, "X.435 negative notification from the %s: %s",
		    NAME(nn_source, source) ? NAME(nn_source, source) : "?",
		    b);
}

/*
 * NERP reason -> X.411 non-delivery reason and diagnostic. Rows in
 * code order; codes not listed (the ESID reasons 1-4, 99, unknown) use
 * the last row.
 */
static const struct {
	unsigned	 nerp;
	int		 reason;
	int		 diag;
} nerp_ndr[] = {
	{ 11, 1, 11 },	/* invalid file name: invalid-arguments */
	{ 12, 1, 0 },	/* invalid destination: unrecognised-OR-name */
	{ 13, 1, 17 },	/* invalid origin: no-bilateral-agreement */
	{ 14, 2, 8 },	/* record format: conversion-impractical */
	{ 15, 2, 20 },	/* record length: line-too-long */
	{ 16, 1, 7 },	/* file size too big: content-too-long */
	{ 20, 1, 12 },	/* record count: content-syntax-error */
	{ 21, 1, 12 },	/* byte count: content-syntax-error */
	{ 22, 1, 4 },	/* access method failure: recipient-unavailable */
	{ 23, 1, 11 },	/* duplicate file: invalid-arguments */
	{ 24, 1, 17 },	/* direction refused: no-bilateral-agreement */
	{ 25, 8, 46 },	/* 25-31, 33: secure-messaging-error */
	{ 26, 8, 46 },
	{ 27, 8, 46 },
	{ 28, 1, 17 },	/* compression not allowed: no-bilateral-agr. */
	{ 29, 8, 46 },
	{ 30, 8, 46 },
	{ 31, 8, 46 },
	{ 32, 1, 12 },	/* decompression failed: content-syntax-error */
	{ 33, 8, 46 },
	{ 34, 1, 12 },	/* processing failed: content-syntax-error */
	{ 35, 1, 4 },	/* not delivered: recipient-unavailable */
	{ 36, 1, 4 },	/* not acknowledged: recipient-unavailable */
	{ 50, 0, 48 },	/* stopped by operator: unable-to-complete-tr. */
	{ 90, 1, 7 },	/* size vs protocol version: content-too-long */
	{ 0, 0, 48 }	/* anything else: transfer-failure, */
			/* unable-to-complete-transfer */
};

void
rpt_nerp_to_ndr(unsigned nerp, int64_t *reason, int64_t *diag)
{
	size_t	 i;

	for (i = 0; nerp_ndr[i].nerp != 0; i++)
		if (nerp_ndr[i].nerp == nerp)
			break;
	*reason = nerp_ndr[i].reason;
	*diag = nerp_ndr[i].diag;
}

/*
 * NERP reason -> X.435 negative notification reason (eerp2report, an
 * EDIM whose recipient asked for NN). The gateway is the EDI-UA of the
 * OFTP station: what the station's OFTP software refused or could not
 * store is an EDI-UA/MS reason [0]; what names the interchange, its
 * parties or the agreement is an EDI user reason [1]. Rows in code
 * order; codes not listed (99, unknown) use the last row. The NERP code
 * and text go into the supplementary information.
 */
static const struct {
	unsigned	 nerp;
	int		 source;
	int		 basic;
} nerp_nn[] = {
	{ 1, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },	/* ESID 01-04, 99: */
	{ 2, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },	/* no session */
	{ 3, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },
	{ 4, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },
	{ 9, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },
	{ 11, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },	/* invalid file name */
	{ 12, P35_RC_USER, P35_NN_USER_RECIPIENT_UNKNOWN }, /* destination */
	{ 13, P35_RC_USER, P35_NN_USER_SENDER_UNKNOWN },	/* origin */
	{ 14, P35_RC_USER, P35_NN_USER_INVALID_BODYPART },	/* format */
	{ 15, P35_RC_USER, P35_NN_USER_INVALID_BODYPART },	/* lrecl */
	{ 16, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },	/* too big */
	{ 20, P35_RC_USER, P35_NN_USER_SYNTAX_ERROR },	/* record count */
	{ 21, P35_RC_USER, P35_NN_USER_SYNTAX_ERROR },	/* byte count */
	{ 22, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },	/* access method */
	{ 23, P35_RC_UA_MS, P35_NN_UA_DISCARDED },	/* duplicate file */
	{ 24, P35_RC_USER, P35_NN_USER_NO_AGREEMENT },	/* direction */
	{ 25, P35_RC_UA_MS, P35_NN_UA_SECURITY_ERROR },	/* 25-27, 29-31, */
	{ 26, P35_RC_UA_MS, P35_NN_UA_SECURITY_ERROR },	/* 33: security */
	{ 27, P35_RC_UA_MS, P35_NN_UA_SECURITY_ERROR },
	{ 28, P35_RC_USER, P35_NN_USER_NO_AGREEMENT },	/* compression */
	{ 29, P35_RC_UA_MS, P35_NN_UA_SECURITY_ERROR },
	{ 30, P35_RC_UA_MS, P35_NN_UA_SECURITY_ERROR },
	{ 31, P35_RC_UA_MS, P35_NN_UA_SECURITY_ERROR },
	{ 32, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },	/* decompression */
	{ 33, P35_RC_UA_MS, P35_NN_UA_SECURITY_ERROR },
	{ 34, P35_RC_USER, P35_NN_USER_UNSPECIFIED },	/* processing */
	{ 35, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },	/* not delivered */
	{ 36, P35_RC_UA_MS, P35_NN_UA_DELIVERY_TIMEOUT }, /* not acknowl. */
	{ 50, P35_RC_UA_MS, P35_NN_UA_DISCARDED },	/* stopped by operator */
	{ 90, P35_RC_UA_MS, P35_NN_UA_CANNOT_DELIVER },	/* size vs version */
	{ 0, P35_RC_UA_MS, P35_NN_UA_UNSPECIFIED }	/* anything else */
};

void
rpt_nerp_to_nn(unsigned nerp, int *source, int64_t *basic)
{
	size_t	 i;

	for (i = 0; nerp_nn[i].nerp != 0; i++)
		if (nerp_nn[i].nerp == nerp)
			break;
	*source = nerp_nn[i].source;
	*basic = nerp_nn[i].basic;
}

void
rpt_edimid_text(const struct p35_edimid *id, char *s, size_t n)
{
	struct buf b;

	buf_init(&b);
	orname_print(&id->user, &b);
	snprintf(s, n, "%s;%s", buf_cstr(&b), id->local);
	buf_free(&b);
}

/* "[C*ADMD*PRMD;local]" or "[C*ADMD;local]" */
int
rpt_mtsid_parse(const char *s, struct p1_mtsid *m)
{
	const char *end, *semi, *a, *p;
	size_t	 n;

	memset(m, 0, sizeof(*m));
	n = strlen(s);
	if (n < 4 || s[0] != '[' || s[n - 1] != ']')
		return -1;
	end = s + n - 1;
	if ((semi = memchr(s, ';', (size_t)(end - s))) == NULL)
		return -1;
	if ((a = memchr(s + 1, '*', (size_t)(semi - s - 1))) == NULL)
		return -1;
	p = memchr(a + 1, '*', (size_t)(semi - a - 1));
	if ((size_t)(a - s - 1) >= sizeof(m->gdi.c) ||
	    (size_t)((p ? p : semi) - a - 1) >= sizeof(m->gdi.admd) ||
	    (p != NULL && (size_t)(semi - p - 1) >= sizeof(m->gdi.prmd)) ||
	    (size_t)(end - semi - 1) >= sizeof(m->local))
		return -1;
	memcpy(m->gdi.c, s + 1, (size_t)(a - s - 1));
	memcpy(m->gdi.admd, a + 1, (size_t)((p ? p : semi) - a - 1));
	if (p != NULL) {
		m->gdi.has_prmd = 1;
		memcpy(m->gdi.prmd, p + 1, (size_t)(semi - p - 1));
	}
	memcpy(m->local, semi + 1, (size_t)(end - semi - 1));
	if (strspn(m->gdi.c, "0123456789") == strlen(m->gdi.c))
		m->gdi.numeric |= P1_NUM_C;
	return 0;
}

/* "STD-OR;local": the local part follows the last ';' (quoted as "$;"
 * inside the std-or, never bare). */
int
rpt_ipmid_parse(const char *s, struct p22_ipmid *id)
{
	const char *semi;
	struct or_err e;

	memset(id, 0, sizeof(*id));
	if ((semi = strrchr(s, ';')) == NULL ||
	    strlen(semi + 1) >= sizeof(id->local))
		return -1;
	snprintf(id->local, sizeof(id->local), "%s", semi + 1);
	if (semi == s)
		return 0;
	orname_init(&id->user);
	if (orname_parse(s, semi - s, &id->user, &e) != OR_OK)
		return -1;
	id->has_user = 1;
	return 0;
}

void
rpt_printable(const char *in, char *out, size_t n)
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?";
	size_t	 i;

	if (n == 0)
		return;
	for (i = 0; in[i] != '\0' && i + 1 < n; i++)
		out[i] = strchr(ok, in[i]) != NULL ? in[i] : '?';
	out[i] = '\0';
}
