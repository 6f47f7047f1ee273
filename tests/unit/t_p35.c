/*
 * Unit tests of the P35 (X.435 PEDI InformationObject) codec: the
 * fixtures built outside the project decode to their known values,
 * decode -> encode -> decode keeps them, a small EDIM and a small EDIN
 * written by hand from the X.435 ASN.1 (not by our encoder) are what the
 * encoder produces, malformed input is refused with the right error and
 * field, truncation never crashes, and a body encoded from a file range
 * equals the one from memory.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/ber.h"
#include "x400/p35.h"
#include "test.h"

static uint8_t *
fixture(const char *name, size_t *n)
{
	char	 path[512];
	uint8_t	*p;

	snprintf(path, sizeof(path), "%s/fixtures/x400/%s", test_shared(),
	    name);
	if (test_read_file(path, &p, n) < 0) {
		test_fail(__FILE__, __LINE__, "cannot read %s", path);
		return NULL;
	}
	return p;
}

static int
decode(const uint8_t *p, size_t n, struct p35_pdu *pdu, struct ber_dec *d)
{
	ber_dec_init(d);
	p35_init(pdu);
	return p35_decode(d, NULL, p, n, pdu);
}

static int
encode(const struct p35_pdu *pdu, struct buf *out)
{
	struct berw	 w;
	int		 e;

	berw_init(&w);
	buf_init(out);
	if ((e = p35_encode(&w, pdu)) == BER_OK)
		e = berw_write_buf(&w, out);
	berw_free(&w);
	return e;
}

/* /C=GB/A= /P=ACME/O=Acme Ltd/S=Smith/G=John/I=Q/GQ=Jr/OU=Sales/OU=EMEA/
 * DD.RFC-822=x(a)acme.example/CN=John Smith/ and the same for Jane Doe */
static void
check_acme(const struct orname *or, const char *s, const char *g,
    const char *cn)
{
	CHECK_EQ_STR(orname_get(or, OR_C), "GB");
	CHECK_EQ_STR(orname_get(or, OR_ADMD), " ");
	CHECK_EQ_STR(orname_get(or, OR_PRMD), "ACME");
	CHECK_EQ_STR(orname_get(or, OR_O), "Acme Ltd");
	CHECK_EQ_STR(orname_get(or, OR_S), s);
	CHECK_EQ_STR(orname_get(or, OR_G), g);
	CHECK_EQ_STR(orname_get(or, OR_I), "Q");
	CHECK_EQ_STR(orname_get(or, OR_GQ), "Jr");
	CHECK_EQ_INT(or->nou, 2);
	CHECK_EQ_STR(or->ou[0], "Sales");
	CHECK_EQ_STR(or->ou[1], "EMEA");
	CHECK_EQ_STR(orname_dda(or, "RFC-822"), "x(a)acme.example");
	CHECK_EQ_STR(orname_get(or, OR_CN), cn);
}

static const char edim_body[] = "ISA*00*          *00*          *ZZ*SENDER~";

static void
check_edim_values(const struct p35_pdu *pdu)
{
	const struct p35_heading *h = &pdu->h;
	const struct p35_rcpt *r;

	CHECK_EQ_INT(pdu->kind, P35_EDIM);
	CHECK_EQ_STR(p35_kind_name(pdu), "EDIM");
	check_acme(&h->this_edim.user, "Smith", "John", "John Smith");
	CHECK_EQ_STR(h->this_edim.local, "edim-0001");
	CHECK(h->has_originator);
	check_acme(&h->originator, "Smith", "John", "John Smith");
	CHECK(h->has_rcpts);
	CHECK_EQ_INT(h->nrcpt, 1);
	if (h->nrcpt == 1) {
		r = &h->rcpt[0];
		check_acme(&r->name, "Doe", "Jane", "Jane Doe");
		CHECK_EQ_STR(r->action, P35_FOR_ACTION);	/* DEFAULT */
		CHECK(r->has_notif);
		CHECK_EQ_INT(r->notif, P35_NR_PN | P35_NR_NN);
		CHECK_EQ_INT(r->notif_sec, 0);
		CHECK_EQ_INT(r->recep_sec, 0);
		CHECK(!r->resp_passing);
		CHECK(!r->ichg_rcpt.present);
		CHECK(!r->has_icr);
		CHECK(!r->test);
		CHECK(!r->ext.present);
	}
	CHECK(!h->edin_receiver.present);
	CHECK(!h->resp_forwarded);
	CHECK_EQ_STR(h->bodypart_type, P35_BP_X12_ISO646);
	CHECK_EQ_STR(p35_bodypart_name(h->bodypart_type), "ansiX12-ISO646");
	CHECK(!h->incomplete_copy);
	CHECK(!h->has_expiry);
	CHECK(!h->has_related);
	CHECK(!h->has_obsoleted);
	CHECK(!h->has_xref);
	CHECK(h->has_msgtypes);
	CHECK_EQ_INT(h->nmsgtype, 1);
	CHECK_EQ_STR(h->msgtype[0], "ORDERS");
	CHECK(!h->has_ssa);
	CHECK(!h->has_syntax);
	CHECK(!h->ichg_sender.present);
	CHECK(!h->has_prep);
	CHECK(!h->has_appref);
	CHECK(!h->ext.present);
	CHECK_EQ_INT(pdu->body.kind, P35_BODY_EDI);
	CHECK_EQ_MEM(pdu->body.edi.p, pdu->body.edi.len, edim_body,
	    strlen(edim_body));
	CHECK(!pdu->body.additional.present);
}

static void
t_edim(void)
{
	struct p35_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("edim.p35", &n)) == NULL)
		return;
	CHECK_EQ_INT(n, 456);
	CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_OK);
	check_edim_values(&pdu);
	/* zero copy: the interchange is a view of the input (offset 414) */
	CHECK(pdu.body.edi.p == p + 414);
	p35_free(&pdu);
	free(p);
}

static void
check_edin_values(const struct p35_pdu *pdu)
{
	const struct p35_common *cf = &pdu->edin.common;

	CHECK_EQ_INT(pdu->kind, P35_EDIN);
	CHECK_EQ_INT(pdu->edin.kind, P35_PN);
	CHECK_EQ_STR(p35_kind_name(pdu), "PN");
	check_acme(&cf->subject.user, "Smith", "John", "John Smith");
	CHECK_EQ_STR(cf->subject.local, "edim-0001");
	check_acme(&cf->originator, "Doe", "Jane", "Jane Doe");
	CHECK(!cf->has_first);
	CHECK_EQ_INT(cf->time, 1735794000);	/* 250102050000Z */
	CHECK(!cf->security.present);
	CHECK_EQ_INT(cf->initiator, P35_INIT_INTERNAL_UA);
	CHECK(!cf->ext.present);
	CHECK(!pdu->edin.has_suppl);
	CHECK(!pdu->edin.ext.present);
}

static void
t_edin(void)
{
	struct p35_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("edin_pn.p35", &n)) == NULL)
		return;
	CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_OK);
	check_edin_values(&pdu);
	p35_free(&pdu);
	free(p);
}

/* decode -> encode -> decode: same values; both fixtures are already
 * definite and minimal, so the encoding reproduces them octet for octet */
static void
t_roundtrip(void)
{
	static const char *names[] = { "edim.p35", "edin_pn.p35" };
	struct p35_pdu	 a, b;
	struct ber_dec	 d;
	struct buf	 ea, eb;
	uint8_t		*p;
	size_t		 n, i;

	for (i = 0; i < 2; i++) {
		if ((p = fixture(names[i], &n)) == NULL)
			continue;
		CHECK_EQ_INT(decode(p, n, &a, &d), BER_OK);
		CHECK_EQ_INT(encode(&a, &ea), BER_OK);
		CHECK_EQ_MEM(ea.p, ea.len, p, n);
		CHECK_EQ_INT(decode(ea.p, ea.len, &b, &d), BER_OK);
		if (i == 0)
			check_edim_values(&b);
		else
			check_edin_values(&b);
		CHECK_EQ_INT(encode(&b, &eb), BER_OK);
		CHECK_EQ_MEM(ea.p, ea.len, eb.p, eb.len);
		buf_free(&ea);
		buf_free(&eb);
		p35_free(&a);
		p35_free(&b);
		free(p);
	}
}

/*
 * ORName /C=GB/A= /S=Smith/, implicitly tagged by its user:
 *   30 14 BuiltInStandardAttributes
 *     61 04 13 02 "GB"		country-name [APPLICATION 1] { PrintableString }
 *     62 03 13 01 " "		administration-domain-name [APPLICATION 2]
 *     a5 07 80 05 "Smith"	personal-name [5] { surname [0] }
 */
#define ORN_SMITH \
	"30 14 61 04 13 02 47 42 62 03 13 01 20 a5 07 80 05 53 6d 69 74 68"

/*
 * A small EDIM, from X.435 EDIMSInformationObjects (IMPLICIT TAGS):
 * InformationObject edim [0] EDIM ::= SEQUENCE { heading, body }
 */
static const char small_edim_hex[] =
	"a0 81 cd"			/* edim [0] EDIM, 205 */
	" 30 81 be"			/* Heading SEQUENCE, 190 */
	/* this-EDIM [1] EDIMIdentifier SET { user [0] ORName,
	 * user-relative-identifier [1] PrintableString "e1" } */
	"  a1 1c a0 16 " ORN_SMITH " 81 02 65 31"
	/* recipients [3] SET OF RecipientsSubField SEQUENCE */
	"  a3 41 30 3f"
	"   a1 16 " ORN_SMITH		/* recipient [1] ORName */
	/* edi-notification-requests-field [3] SEQUENCE {
	 * edi-notification-requests [0] BIT STRING {pn, fn} = '101'B } */
	"   a3 04 80 02 05 a0"
	"   84 01 ff"			/* responsibility-passing-allowed [4] */
	/* interchange-recipient [5] SEQUENCE { recipient-identification
	 * [0] TeletexString, identification-code-qualifier [1] } */
	"   a5 13 80 0d 35 30 31 32 33 34 35 36 37 38 39 30 31"
	"         81 02 31 34"
	"   87 04 30 30 30 31"		/* interchange-control-reference [7] */
	"   8b 01 ff"			/* test-indicator [11] TRUE */
	/* edi-bodypart-type [6] OID 2.6.7.11.2 id-bp-edifact-octet */
	"  86 04 56 07 0b 02"
	/* expiry-time [8] UTCTime 250102030405Z */
	"  88 0d 32 35 30 31 30 32 30 33 30 34 30 35 5a"
	/* edi-message-type [13] SET OF TeletexString "ORDERS" */
	"  ad 08 14 06 4f 52 44 45 52 53"
	/* service-string-advice [14] SEQUENCE { [0] ':', [1] '+', [2] '.',
	 * release-indicator [3] '?', reserved [4] ' ', [5] "'" } */
	"  ae 12 80 01 3a 81 01 2b 82 01 2e 83 01 3f 84 01 20 85 01 27"
	/* syntax-identifier [15] SEQUENCE { TeletexString "UNOA",
	 * PrintableString "3" } */
	"  af 09 14 04 55 4e 4f 41 13 01 33"
	/* interchange-sender [16] SEQUENCE { sender-identification [0] } */
	"  b0 08 80 06 53 45 4e 44 45 52"
	/* date-and-time-of-preparation [17] UTCTime 250102030400Z */
	"  91 0d 32 35 30 31 30 32 30 33 30 34 30 30 5a"
	"  92 04 41 50 50 31"		/* application-reference [18] "APP1" */
	/* Body SEQUENCE { primary-body-part edi-body-part [0] OCTET STRING } */
	" 30 0a 80 08 55 4e 42 27 55 4e 5a 27";

#define SMALL_BODY	"UNB'UNZ'"

static void
small_name(struct orname *or)
{
	orname_init(or);
	orname_set(or, OR_C, "GB", 2);
	orname_set(or, OR_ADMD, " ", 1);
	orname_set(or, OR_S, "Smith", 5);
}

static void
small_edim_build(struct p35_pdu *pdu, struct p35_rcpt *r)
{
	struct p35_heading *h = &pdu->h;

	p35_init(pdu);
	pdu->kind = P35_EDIM;
	small_name(&h->this_edim.user);
	strcpy(h->this_edim.local, "e1");
	p35_rcpt_init(r);
	small_name(&r->name);
	r->has_notif = 1;
	r->notif = P35_NR_PN | P35_NR_FN;
	r->resp_passing = 1;
	r->ichg_rcpt.present = 1;
	strcpy(r->ichg_rcpt.id, "5012345678901");
	r->ichg_rcpt.has_qual = 1;
	strcpy(r->ichg_rcpt.qual, "14");
	r->has_icr = 1;
	strcpy(r->icr, "0001");
	r->test = 1;
	h->has_rcpts = 1;
	h->nrcpt = 1;
	h->rcpt = r;
	strcpy(h->bodypart_type, P35_BP_EDIFACT_OCTET);
	h->has_expiry = 1;
	h->expiry = 1735787045;
	h->has_msgtypes = 1;
	h->nmsgtype = 1;
	strcpy(h->msgtype[0], "ORDERS");
	h->has_ssa = 1;
	h->ssa.component_sep = ':';
	h->ssa.element_sep = '+';
	h->ssa.decimal = '.';
	h->ssa.has_release = 1;
	h->ssa.release = '?';
	h->ssa.has_reserved = 1;
	h->ssa.reserved = ' ';
	h->ssa.segment_term = '\'';
	h->has_syntax = 1;
	strcpy(h->syntax_id, "UNOA");
	strcpy(h->syntax_version, "3");
	h->ichg_sender.present = 1;
	strcpy(h->ichg_sender.id, "SENDER");
	h->has_prep = 1;
	h->prep = 1735787040;
	h->has_appref = 1;
	strcpy(h->appref, "APP1");
	pdu->body.kind = P35_BODY_EDI;
	pdu->body.edi.p = (const uint8_t *)SMALL_BODY;
	pdu->body.edi.len = strlen(SMALL_BODY);
}

static void
t_small_edim_hex(void)
{
	static uint8_t	 want[512];
	struct p35_pdu	 pdu, back;
	struct p35_rcpt	 r;
	struct ber_dec	 d;
	struct buf	 out;
	const struct p35_heading *h = &back.h;
	size_t		 n;

	CHECK(test_hex(small_edim_hex, want, sizeof(want), &n) == 0);
	CHECK_EQ_INT(n, 208);
	small_edim_build(&pdu, &r);
	CHECK_EQ_INT(encode(&pdu, &out), BER_OK);
	CHECK_EQ_MEM(out.p, out.len, want, n);
	buf_free(&out);
	CHECK_EQ_INT(decode(want, n, &back, &d), BER_OK);
	CHECK_EQ_STR(h->this_edim.local, "e1");
	CHECK(orname_equal(&h->this_edim.user, &pdu.h.this_edim.user));
	CHECK(!h->has_originator);
	CHECK_EQ_INT(h->nrcpt, 1);
	if (h->nrcpt == 1) {
		CHECK(orname_equal(&h->rcpt[0].name, &r.name));
		CHECK_EQ_INT(h->rcpt[0].notif, P35_NR_PN | P35_NR_FN);
		CHECK(h->rcpt[0].resp_passing);
		CHECK_EQ_STR(h->rcpt[0].ichg_rcpt.id, "5012345678901");
		CHECK_EQ_STR(h->rcpt[0].ichg_rcpt.qual, "14");
		CHECK(!h->rcpt[0].ichg_rcpt.has_route);
		CHECK_EQ_STR(h->rcpt[0].icr, "0001");
		CHECK(!h->rcpt[0].ack_request);
		CHECK(h->rcpt[0].test);
	}
	CHECK_EQ_STR(h->bodypart_type, "2.6.7.11.2");
	CHECK_EQ_INT(h->expiry, 1735787045);
	CHECK_EQ_STR(h->msgtype[0], "ORDERS");
	CHECK_EQ_INT(h->ssa.component_sep, ':');
	CHECK_EQ_INT(h->ssa.element_sep, '+');
	CHECK_EQ_INT(h->ssa.decimal, '.');
	CHECK_EQ_INT(h->ssa.release, '?');
	CHECK_EQ_INT(h->ssa.reserved, ' ');
	CHECK_EQ_INT(h->ssa.segment_term, '\'');
	CHECK_EQ_STR(h->syntax_id, "UNOA");
	CHECK_EQ_STR(h->syntax_version, "3");
	CHECK_EQ_STR(h->ichg_sender.id, "SENDER");
	CHECK_EQ_INT(h->prep, 1735787040);
	CHECK_EQ_STR(h->appref, "APP1");
	CHECK_EQ_MEM(back.body.edi.p, back.body.edi.len, SMALL_BODY, 8);
	p35_free(&back);
	p35_free(&pdu);
}

/*
 * A small negative notification: InformationObject edin [1] EXPLICIT
 * EDIN CHOICE { negative-notification [1] NegativeNotificationFields }
 */
static const char small_edin_hex[] =
	"a1 5c"				/* edin [1], explicit */
	" a1 5a"			/* negative-notification [1] SEQUENCE */
	"  a0 48"			/* nn-common-fields [0] CommonFields */
	/* subject-edim [1] EDIMIdentifier SET { user [0], [1] "e1" } */
	"   a1 1c a0 16 " ORN_SMITH " 81 02 65 31"
	"   a2 16 " ORN_SMITH		/* edin-originator [2] ORName */
	/* notification-time [4] UTCTime 250102030405Z */
	"   84 0d 32 35 30 31 30 32 30 33 30 34 30 35 5a"
	"   86 01 01"			/* edin-initiator [6] external-ua */
	/* nn-reason-code [1] explicit CHOICE { nn-ua-ms-reason-code [0]
	 * SEQUENCE { basic-code [0] forwarding-error(5), diagnostic [1]
	 * forwarding-loop-detected(14) } } */
	"  a1 08 a0 06 80 01 05 81 01 0e"
	/* nn-supplementary-information [2] TeletexString "loop" */
	"  82 04 6c 6f 6f 70";

static void
small_edin_build(struct p35_pdu *pdu)
{
	p35_init(pdu);
	pdu->kind = P35_EDIN;
	pdu->edin.kind = P35_NN;
	small_name(&pdu->edin.common.subject.user);
	strcpy(pdu->edin.common.subject.local, "e1");
	small_name(&pdu->edin.common.originator);
	pdu->edin.common.time = 1735787045;
	pdu->edin.common.initiator = P35_INIT_EXTERNAL_UA;
	pdu->edin.reason.source = P35_RC_UA_MS;
	pdu->edin.reason.basic = P35_NN_UA_FORWARDING_ERROR;
	pdu->edin.reason.has_diag = 1;
	pdu->edin.reason.diag = 14;
	pdu->edin.has_suppl = 1;
	strcpy(pdu->edin.suppl, "loop");
}

static void
t_small_edin_hex(void)
{
	static uint8_t	 want[256];
	struct p35_pdu	 pdu, back;
	struct ber_dec	 d;
	struct buf	 out;
	size_t		 n;

	CHECK(test_hex(small_edin_hex, want, sizeof(want), &n) == 0);
	CHECK_EQ_INT(n, 94);
	small_edin_build(&pdu);
	CHECK_EQ_INT(encode(&pdu, &out), BER_OK);
	CHECK_EQ_MEM(out.p, out.len, want, n);
	buf_free(&out);
	CHECK_EQ_INT(decode(want, n, &back, &d), BER_OK);
	CHECK_EQ_STR(p35_kind_name(&back), "NN");
	CHECK_EQ_STR(back.edin.common.subject.local, "e1");
	CHECK_EQ_STR(orname_get(&back.edin.common.originator, OR_S), "Smith");
	CHECK_EQ_INT(back.edin.common.time, 1735787045);
	CHECK_EQ_INT(back.edin.common.initiator, P35_INIT_EXTERNAL_UA);
	CHECK_EQ_INT(back.edin.reason.source, P35_RC_UA_MS);
	CHECK_EQ_INT(back.edin.reason.basic, 5);
	CHECK(back.edin.reason.has_diag);
	CHECK_EQ_INT(back.edin.reason.diag, 14);
	CHECK_EQ_STR(back.edin.suppl, "loop");
	p35_free(&back);
	p35_free(&pdu);
}

/* Every optional member set, through encode -> decode -> encode. */
static void
t_full_roundtrip(void)
{
	static const uint8_t ext[] = { 0x30, 0x05, 0x80, 0x03, 0x56, 0x07,
	    0x13 };		/* ExtensionField { type [0] 2.6.7.19 } */
	static const uint8_t recv[] = { 0xa0, 0x02, 0x30, 0x00 };
	static const uint8_t addl[] = { 0x30, 0x03, 0x80, 0x01, 0x01 };
	struct p35_pdu	 pdu, back, fn, fnback;
	struct p35_rcpt	 r[2];
	struct p35_related rel[2];
	struct p35_edimid obs[1];
	struct p35_xref	 xr[1];
	struct ber_dec	 d;
	struct buf	 a, b;
	const struct p35_heading *h = &back.h;

	small_edim_build(&pdu, &r[0]);
	p35_rcpt_init(&r[1]);
	small_name(&r[1].name);
	strcpy(r[1].action, P35_FOR_COPY);
	r[1].has_notif = 1;
	r[1].notif_sec = P35_SEC_PROOF;
	r[1].recep_sec = P35_SEC_NON_REPUDIATION;
	r[1].has_rref = 1;
	strcpy(r[1].rref, "REF");
	r[1].has_rref_qual = 1;
	strcpy(r[1].rref_qual, "AB");
	r[1].has_prio = 1;
	strcpy(r[1].prio, "A");
	r[1].ack_request = 1;
	r[1].has_agreement = 1;
	strcpy(r[1].agreement, "AGREEMENT-1");
	r[1].has_auth = 1;
	strcpy(r[1].auth, "PASSWORD");
	r[1].has_auth_qual = 1;
	strcpy(r[1].auth_qual, "00");
	r[1].ichg_rcpt.present = 1;
	strcpy(r[1].ichg_rcpt.id, "RCPT");
	r[1].ichg_rcpt.has_route = 1;
	strcpy(r[1].ichg_rcpt.route, "ROUTE");
	r[1].ext.present = 1;
	r[1].ext.p = ext;
	r[1].ext.len = sizeof(ext);
	pdu.h.nrcpt = 2;
	pdu.h.rcpt = r;
	pdu.h.has_originator = 1;
	small_name(&pdu.h.originator);
	pdu.h.edin_receiver.present = 1;
	pdu.h.edin_receiver.p = recv;
	pdu.h.edin_receiver.len = sizeof(recv);
	pdu.h.resp_forwarded = 1;
	pdu.h.incomplete_copy = 1;
	memset(rel, 0, sizeof(rel));
	small_name(&rel[0].id.user);
	strcpy(rel[0].id.local, "old-1");
	rel[1].external = 1;
	orname_init(&rel[1].id.user);
	strcpy(rel[1].oid, "1.2.3.4");
	pdu.h.has_related = 1;
	pdu.h.nrelated = 2;
	pdu.h.related = rel;
	p35_edimid_init(&obs[0]);
	small_name(&obs[0].user);
	strcpy(obs[0].local, "");
	pdu.h.has_obsoleted = 1;
	pdu.h.nobsoleted = 1;
	pdu.h.obsoleted = obs;
	pdu.h.security.present = 1;		/* an empty SEQUENCE */
	memset(xr, 0, sizeof(xr));
	xr[0].app = (const uint8_t *)"\x01\x02";
	xr[0].applen = 2;
	xr[0].has_msgref = 1;
	p35_edimid_init(&xr[0].msgref);
	small_name(&xr[0].msgref.user);
	strcpy(xr[0].msgref.local, "m");
	xr[0].bodypart = 3;
	pdu.h.has_xref = 1;
	pdu.h.nxref = 1;
	pdu.h.xref = xr;
	pdu.h.ichg_sender.has_qual = 1;
	strcpy(pdu.h.ichg_sender.qual, "ZZ");
	pdu.h.ichg_sender.has_route = 1;
	strcpy(pdu.h.ichg_sender.route, "BACK");
	pdu.h.ext.present = 1;
	pdu.h.ext.p = ext;
	pdu.h.ext.len = sizeof(ext);
	pdu.body.additional.present = 1;
	pdu.body.additional.p = addl;
	pdu.body.additional.len = sizeof(addl);

	CHECK_EQ_INT(encode(&pdu, &a), BER_OK);
	CHECK_EQ_INT(decode(a.p, a.len, &back, &d), BER_OK);
	CHECK(h->has_originator);
	CHECK_EQ_INT(h->nrcpt, 2);
	if (h->nrcpt == 2) {
		CHECK_EQ_STR(h->rcpt[0].action, P35_FOR_ACTION);
		CHECK_EQ_STR(h->rcpt[1].action, P35_FOR_COPY);
		CHECK_EQ_INT(h->rcpt[1].notif, 0);
		CHECK_EQ_INT(h->rcpt[1].notif_sec, P35_SEC_PROOF);
		CHECK_EQ_INT(h->rcpt[1].recep_sec, P35_SEC_NON_REPUDIATION);
		CHECK_EQ_STR(h->rcpt[1].rref, "REF");
		CHECK_EQ_STR(h->rcpt[1].rref_qual, "AB");
		CHECK_EQ_STR(h->rcpt[1].prio, "A");
		CHECK(h->rcpt[1].ack_request);
		CHECK_EQ_STR(h->rcpt[1].agreement, "AGREEMENT-1");
		CHECK_EQ_STR(h->rcpt[1].auth, "PASSWORD");
		CHECK_EQ_STR(h->rcpt[1].auth_qual, "00");
		CHECK_EQ_STR(h->rcpt[1].ichg_rcpt.route, "ROUTE");
		CHECK(!h->rcpt[1].ichg_rcpt.has_qual);
		CHECK_EQ_MEM(h->rcpt[1].ext.p, h->rcpt[1].ext.len, ext,
		    sizeof(ext));
	}
	CHECK_EQ_MEM(h->edin_receiver.p, h->edin_receiver.len, recv,
	    sizeof(recv));
	CHECK(h->resp_forwarded);
	CHECK(h->incomplete_copy);
	CHECK_EQ_INT(h->nrelated, 2);
	if (h->nrelated == 2) {
		CHECK(!h->related[0].external);
		CHECK_EQ_STR(h->related[0].id.local, "old-1");
		CHECK(h->related[1].external);
		CHECK_EQ_STR(h->related[1].oid, "1.2.3.4");
	}
	CHECK_EQ_INT(h->nobsoleted, 1);
	if (h->nobsoleted == 1)
		CHECK_EQ_STR(h->obsoleted[0].local, "");
	CHECK(h->security.present);
	CHECK_EQ_INT(h->security.len, 0);
	CHECK_EQ_INT(h->nxref, 1);
	if (h->nxref == 1) {
		CHECK_EQ_MEM(h->xref[0].app, h->xref[0].applen, "\x01\x02", 2);
		CHECK(h->xref[0].has_msgref);
		CHECK_EQ_STR(h->xref[0].msgref.local, "m");
		CHECK_EQ_INT(h->xref[0].bodypart, 3);
	}
	CHECK_EQ_STR(h->ichg_sender.qual, "ZZ");
	CHECK_EQ_STR(h->ichg_sender.route, "BACK");
	CHECK_EQ_MEM(h->ext.p, h->ext.len, ext, sizeof(ext));
	CHECK_EQ_MEM(back.body.additional.p, back.body.additional.len, addl,
	    sizeof(addl));
	CHECK_EQ_INT(encode(&back, &b), BER_OK);
	CHECK_EQ_MEM(a.p, a.len, b.p, b.len);
	buf_free(&a);
	buf_free(&b);
	p35_free(&back);
	p35_free(&pdu);

	/* a forwarded notification with a user reason and every field */
	small_edin_build(&fn);
	fn.edin.kind = P35_FN;
	small_name(&fn.edin.forwarded_to);
	fn.edin.common.has_first = 1;
	small_name(&fn.edin.common.first);
	fn.edin.common.security.present = 1;
	fn.edin.common.security.p = recv;
	fn.edin.common.security.len = sizeof(recv);
	fn.edin.common.ext.present = 1;
	fn.edin.common.ext.p = ext;
	fn.edin.common.ext.len = sizeof(ext);
	fn.edin.reason.source = P35_RC_UA_MS;
	fn.edin.reason.basic = 1;		/* onward-routing */
	fn.edin.reason.security_check = 1;
	fn.edin.ext.present = 1;
	CHECK_EQ_INT(encode(&fn, &a), BER_OK);
	CHECK_EQ_INT(decode(a.p, a.len, &fnback, &d), BER_OK);
	CHECK_EQ_STR(p35_kind_name(&fnback), "FN");
	CHECK_EQ_STR(orname_get(&fnback.edin.forwarded_to, OR_S), "Smith");
	CHECK(fnback.edin.common.has_first);
	CHECK_EQ_MEM(fnback.edin.common.security.p,
	    fnback.edin.common.security.len, recv, sizeof(recv));
	CHECK_EQ_INT(fnback.edin.reason.basic, 1);
	CHECK(fnback.edin.reason.security_check);
	CHECK_EQ_STR(fnback.edin.suppl, "loop");
	CHECK(fnback.edin.ext.present);
	CHECK_EQ_INT(encode(&fnback, &b), BER_OK);
	CHECK_EQ_MEM(a.p, a.len, b.p, b.len);
	buf_free(&a);
	buf_free(&b);
	p35_free(&fnback);
	p35_free(&fn);
}

/* One hand-made variant: hex in, expected code and field out. */
static void
bad(const char *hex, int code, const char *field, int line)
{
	static uint8_t	 v[1024];
	struct p35_pdu	 pdu;
	struct ber_dec	 d;
	size_t		 n;
	int		 e;

	if (test_hex(hex, v, sizeof(v), &n) != 0) {
		test_fail(__FILE__, line, "bad test hex");
		return;
	}
	e = decode(v, n, &pdu, &d);
	if (e != code)
		test_fail(__FILE__, line, "decode == %d (%s), expected %d (%s)",
		    e, ber_strerror(e), code, ber_strerror(code));
	else if (field != NULL && (d.err_field == NULL ||
	    strcmp(d.err_field, field) != 0))
		test_fail(__FILE__, line, "err_field \"%s\", expected \"%s\"",
		    d.err_field ? d.err_field : "(null)", field);
	p35_free(&pdu);
}

/* this-EDIM [1] { user [0] /C=GB/A= /S=Smith/, [1] "e1" } (30 octets) */
#define THIS_EDIM	"a1 1c a0 16 " ORN_SMITH " 81 02 65 31"
/* Body { edi-body-part [0] "x" } (5 octets) */
#define BODY_X		"30 03 80 01 78"

static void
t_malformed(void)
{
	/* minimal valid EDIM: heading = this-EDIM only */
	bad("a0 25 30 1e " THIS_EDIM " " BODY_X, BER_OK, NULL, __LINE__);
	/* this-EDIM twice */
	bad("a0 43 30 3c " THIS_EDIM " " THIS_EDIM " " BODY_X, BER_EDUP,
	    "this-EDIM", __LINE__);
	/* this-EDIM missing */
	bad("a0 0d 30 06 86 04 56 07 0b 02 " BODY_X, BER_EMISSING,
	    "this-EDIM", __LINE__);
	/* members out of order: edi-bodypart-type [6] before this-EDIM */
	bad("a0 2b 30 24 86 04 56 07 0b 02 " THIS_EDIM " " BODY_X,
	    BER_EUNEXP, "this-EDIM out of order in Heading", __LINE__);
	/* a tag no Heading member has: [20] */
	bad("a0 28 30 21 " THIS_EDIM " 94 01 00 " BODY_X, BER_EUNEXP,
	    "[20] in Heading", __LINE__);
	/* bad OID: edi-bodypart-type ends inside a subidentifier */
	bad("a0 29 30 22 " THIS_EDIM " 86 02 56 87 " BODY_X, BER_EOID,
	    "edi-bodypart-type", __LINE__);
	/* edi-bodypart-type constructed */
	bad("a0 2b 30 24 " THIS_EDIM " a6 04 06 02 56 07 " BODY_X, BER_ECONS,
	    "edi-bodypart-type", __LINE__);
	/* InformationObject [2] does not exist */
	bad("a2 25 30 1e " THIS_EDIM " " BODY_X, BER_EUNEXP,
	    "[2] in InformationObject", __LINE__);
	/* a primitive [0] */
	bad("80 01 00", BER_ECONS, "InformationObject", __LINE__);
	/* body missing */
	bad("a0 20 30 1e " THIS_EDIM, BER_EMISSING, "body", __LINE__);
	/* body's primary part with a wrong tag [2] */
	bad("a0 25 30 1e " THIS_EDIM " 30 03 82 01 78", BER_EUNEXP,
	    "[2] in PrimaryBodyPart", __LINE__);
	/* a SET where the Heading SEQUENCE belongs */
	bad("a0 25 31 1e " THIS_EDIM " " BODY_X, BER_EUNEXP,
	    "[UNIVERSAL 17] in EDIM", __LINE__);
	/* user twice in EDIMIdentifier */
	bad("a0 3d 30 36 a1 34 a0 16 " ORN_SMITH " a0 16 " ORN_SMITH
	    " 81 02 65 31 " BODY_X, BER_EDUP, "user", __LINE__);
	/* user-relative-identifier missing */
	bad("a0 21 30 1a a1 18 a0 16 " ORN_SMITH " " BODY_X, BER_EMISSING,
	    "user-relative-identifier", __LINE__);
	/* EDIMIdentifier members in any order */
	bad("a0 25 30 1e a1 1c 81 02 65 31 a0 16 " ORN_SMITH " " BODY_X,
	    BER_OK, NULL, __LINE__);
	/* application-reference of 15 octets (ub 14) */
	bad("a0 36 30 2f " THIS_EDIM " 92 0f 41 41 41 41 41 41 41 41 41 41"
	    " 41 41 41 41 41 " BODY_X, BER_ESIZE, "application-reference",
	    __LINE__);
	/*
	 * application-reference with a NUL inside: a character the value
	 * may not hold, not a SIZE violation (X.680 51.5 constrains the
	 * length only), so BER_ECHARS as P22 said; P35 and P1 said
	 * BER_ESIZE until their string getters became one (xdec_str)
	 */
	bad("a0 2a 30 23 " THIS_EDIM " 92 03 41 00 41 " BODY_X, BER_ECHARS,
	    "application-reference", __LINE__);
	/* user-relative-identifier not PrintableString ('@') */
	bad("a0 25 30 1e a1 1c a0 16 " ORN_SMITH " 81 02 65 40 " BODY_X,
	    BER_ECHARS, "user-relative-identifier", __LINE__);
	/* service-string-advice: a separator of two octets */
	bad("a0 33 30 2e " THIS_EDIM " ae 0c 80 02 3a 3a 81 01 2b 82 01 2e"
	    " 85 00 " BODY_X, BER_ESIZE, "component-data-element-separator",
	    __LINE__);
	/* service-string-advice without its segment-terminator */
	bad("a0 30 30 29 " THIS_EDIM " ae 09 80 01 3a 81 01 2b 82 01 2e "
	    BODY_X, BER_EMISSING, "segment-terminator", __LINE__);
	/* a recipient without its recipient [1] */
	bad("a0 2c 30 25 " THIS_EDIM " a3 05 30 03 84 01 00 " BODY_X,
	    BER_EMISSING, "recipient", __LINE__);
	/* recipient-extensions element not a SEQUENCE */
	bad("a0 43 30 3c " THIS_EDIM " a3 1c 30 1a a1 16 " ORN_SMITH
	    " ad 00 " BODY_X, BER_OK, NULL, __LINE__);
	bad("a0 45 30 3e " THIS_EDIM " a3 1e 30 1c a1 16 " ORN_SMITH
	    " ad 02 05 00 " BODY_X, BER_EUNEXP,
	    "[UNIVERSAL 5] in recipient-extensions", __LINE__);
	/* a primitive SEQUENCE in recipient-extensions */
	bad("a0 45 30 3e " THIS_EDIM " a3 1e 30 1c a1 16 " ORN_SMITH
	    " ad 02 10 00 " BODY_X, BER_ECONS, "recipient-extensions",
	    __LINE__);
	/* the FN UA/MS reason code has fn-security-check [2] */
	bad("a1 71 a2 6f a0 48 a1 1c a0 16 " ORN_SMITH " 81 02 65 31"
	    " a2 16 " ORN_SMITH " 84 0d 32 35 30 31 30 32 30 33 30 34 30 35 5a"
	    " 86 01 00 a1 16 " ORN_SMITH " a2 0b a0 09 80 01 04 81 01 01"
	    " 82 01 ff", BER_OK, NULL, __LINE__);
	/* expiry-time not a time */
	bad("a0 27 30 20 " THIS_EDIM " 88 00 " BODY_X, BER_ETIME,
	    "expiry-time", __LINE__);
	/* data after the EDIM, inside and outside */
	bad("a0 27 30 1e " THIS_EDIM " " BODY_X " 05 00", BER_ETRAIL, "EDIM",
	    __LINE__);
	bad("a0 25 30 1e " THIS_EDIM " " BODY_X " 00", BER_ETRAIL, NULL,
	    __LINE__);

	/* EDINs: CommonFields = subject-edim, originator, time, initiator */
#define SUBJ	"a1 1c a0 16 " ORN_SMITH " 81 02 65 31"
#define ORIG	"a2 16 " ORN_SMITH
#define NTIME	"84 0d 32 35 30 31 30 32 30 33 30 34 30 35 5a"
	bad("a1 4c a0 4a a0 48 " SUBJ " " ORIG " " NTIME " 86 01 00",
	    BER_OK, NULL, __LINE__);
	/* notification-time missing */
	bad("a1 3d a0 3b a0 39 " SUBJ " " ORIG " 86 01 00", BER_EMISSING,
	    "notification-time", __LINE__);
	/* edin-initiator missing */
	bad("a1 49 a0 47 a0 45 " SUBJ " " ORIG " " NTIME, BER_EMISSING,
	    "edin-initiator", __LINE__);
	/* edin-initiator out of range */
	bad("a1 4c a0 4a a0 48 " SUBJ " " ORIG " " NTIME " 86 01 03",
	    BER_EVALUE, "edin-initiator", __LINE__);
	/* pn-common-fields missing */
	bad("a1 05 a0 03 81 01 41", BER_EMISSING, "pn-common-fields", __LINE__);
	/* edin [1] is explicit: an implicit one is refused */
	bad("a1 48 " SUBJ " " ORIG " " NTIME " 86 01 00", BER_ETRAIL, "EDIN",
	    __LINE__);
	/* EDIN [3] does not exist */
	bad("a1 4c a3 4a a0 48 " SUBJ " " ORIG " " NTIME " 86 01 00",
	    BER_EUNEXP, "[3] in EDIN", __LINE__);
	/* nn-reason-code missing */
	bad("a1 4c a1 4a a0 48 " SUBJ " " ORIG " " NTIME " 86 01 00",
	    BER_EMISSING, "nn-reason-code", __LINE__);
	/* nn-reason-code from a user, user-defined, diagnostic 7 */
	bad("a1 56 a1 54 a0 48 " SUBJ " " ORIG " " NTIME " 86 01 00"
	    " a1 08 a1 06 80 01 0a 81 01 07", BER_OK, NULL, __LINE__);
	/* nn-reason-code CHOICE alternative [3] */
	bad("a1 56 a1 54 a0 48 " SUBJ " " ORIG " " NTIME " 86 01 00"
	    " a1 08 a3 06 80 01 0a 81 01 07", BER_EUNEXP,
	    "[3] in nn-reason-code", __LINE__);
	/* diagnostic 0 is outside (1..ub-reason-code) */
	bad("a1 56 a1 54 a0 48 " SUBJ " " ORIG " " NTIME " 86 01 00"
	    " a1 08 a0 06 80 01 01 81 01 00", BER_EVALUE,
	    "nn-ua-ms-diagnostic",
	    __LINE__);
	/* fn-security-check [2] only exists for the UA/MS alternative */
	bad("a1 56 a1 54 a0 48 " SUBJ " " ORIG " " NTIME " 86 01 00"
	    " a1 08 a1 06 80 01 0a 82 01 ff", BER_EUNEXP,
	    "[2] in nn-reason-code", __LINE__);
#undef SUBJ
#undef ORIG
#undef NTIME
}

/* Constructed and indefinite-length forms decode like the plain ones. */
static void
t_ber_forms(void)
{
	static uint8_t	 v[256];
	struct p35_pdu	 pdu;
	struct ber_dec	 d;
	size_t		 n;

	/* edi-body-part as a constructed OCTET STRING, indefinite lengths */
	CHECK(test_hex("a0 80 30 1e " THIS_EDIM " 30 80 a0 80 04 03 61 62 63"
	    " 04 02 64 65 00 00 00 00 00 00", v, sizeof(v), &n) == 0);
	CHECK_EQ_INT(decode(v, n, &pdu, &d), BER_OK);
	CHECK_EQ_MEM(pdu.body.edi.p, pdu.body.edi.len, "abcde", 5);
	CHECK_EQ_STR(pdu.h.bodypart_type, P35_BP_EDIFACT_ISO646);
	CHECK_EQ_STR(p35_bodypart_name(pdu.h.bodypart_type),
	    "edifact-ISO646");
	p35_free(&pdu);
	CHECK(p35_bodypart_name("2.6.7.11.13") == NULL);
	CHECK(p35_bodypart_name("2.6.7.11.01") == NULL);
	CHECK_EQ_STR(p35_bodypart_name(P35_BP_UNDEFINED_OCTET),
	    "undefined-octet");
}

static void
t_truncated(void)
{
	static const char *names[] = { "edim.p35", "edin_pn.p35" };
	static const char *hexes[] = { small_edim_hex, small_edin_hex };
	static uint8_t	 h[512];
	struct p35_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p, *q;
	size_t		 n, i, k, bad_ok;

	for (i = 0; i < 4; i++) {
		if (i < 2) {
			if ((p = fixture(names[i], &n)) == NULL)
				continue;
		} else {
			if (test_hex(hexes[i - 2], h, sizeof(h), &n) != 0)
				continue;
			p = malloc(n);
			memcpy(p, h, n);
		}
		bad_ok = 0;
		for (k = 0; k < n; k++) {
			/* a copy of exactly k octets, so ASan sees overreads */
			q = malloc(k ? k : 1);
			memcpy(q, p, k);
			if (decode(q, k, &pdu, &d) == BER_OK)
				bad_ok++;
			p35_free(&pdu);
			free(q);
		}
		CHECK_EQ_INT(bad_ok, 0);
		free(p);
	}
}

static void
t_limits(void)
{
	struct p35_opts	 o;
	struct p35_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("edim.p35", &n)) == NULL)
		return;
	p35_opts_init(&o);
	CHECK_EQ_INT(o.max_recipients, P35_MAX_RECIPIENTS_DEFAULT);
	o.max_recipients = 0;
	ber_dec_init(&d);
	p35_init(&pdu);
	CHECK_EQ_INT(p35_decode(&d, &o, p, n, &pdu), BER_ESIZE);
	CHECK_EQ_STR(d.err_field, "recipients");
	p35_free(&pdu);
	free(p);
}

/* Values the encoder refuses rather than writing bad BER. */
static void
t_encode_checks(void)
{
	struct p35_pdu	 pdu;
	struct p35_rcpt	 r;
	struct berw	 w;

	small_edim_build(&pdu, &r);
	strcpy(pdu.h.syntax_id, "UNOAB");	/* ub-syntax-identifier 4 */
	berw_init(&w);
	CHECK_EQ_INT(p35_encode(&w, &pdu), BER_ESIZE);
	CHECK_EQ_STR(w.err_field, "syntax-identifier");
	berw_free(&w);
	small_edim_build(&pdu, &r);
	strcpy(pdu.h.this_edim.local, "a@b");	/* not PrintableString */
	berw_init(&w);
	CHECK_EQ_INT(p35_encode(&w, &pdu), BER_ECHARS);
	CHECK_EQ_STR(w.err_field, "user-relative-identifier");
	berw_free(&w);
	small_edin_build(&pdu);
	pdu.edin.common.initiator = 3;
	berw_init(&w);
	CHECK_EQ_INT(p35_encode(&w, &pdu), BER_EVALUE);
	CHECK_EQ_STR(w.err_field, "edin-initiator");
	berw_free(&w);
	p35_init(&pdu);
	berw_init(&w);
	CHECK_EQ_INT(p35_encode(&w, &pdu), BER_EVALUE);
	berw_free(&w);
}

/* The interchange from a file descriptor range encodes like from memory. */
static void
t_body_fd(void)
{
	struct p35_pdu	 pdu;
	struct p35_rcpt	 r;
	struct berw	 w;
	struct buf	 a, b;
	char		 path[512];
	uint8_t		*got;
	size_t		 n;
	int		 fd, out;

	small_edim_build(&pdu, &r);
	CHECK_EQ_INT(encode(&pdu, &a), BER_OK);
	snprintf(path, sizeof(path), "%s/interchange", test_dir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "xx" SMALL_BODY "yy", 12) == 12);
	pdu.body.edi.p = NULL;
	pdu.body.edi.len = 0;
	pdu.body.edi.use_fd = 1;
	pdu.body.edi.fd = fd;
	pdu.body.edi.off = 2;
	pdu.body.edi.fdlen = 8;
	CHECK_EQ_INT(encode(&pdu, &b), BER_OK);
	CHECK_EQ_MEM(a.p, a.len, b.p, b.len);
	/* and streamed to a file */
	snprintf(path, sizeof(path), "%s/edim.p35", test_dir());
	out = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(out >= 0);
	berw_init(&w);
	CHECK_EQ_INT(p35_encode(&w, &pdu), BER_OK);
	CHECK_EQ_INT(berw_size(&w), a.len);
	CHECK_EQ_INT(berw_write_fd(&w, out), BER_OK);
	berw_free(&w);
	close(out);
	if (test_read_file(path, &got, &n) == 0) {
		CHECK_EQ_MEM(got, n, a.p, a.len);
		free(got);
	}
	close(fd);
	buf_free(&a);
	buf_free(&b);
	p35_free(&pdu);
}

int
main(void)
{
	TEST(t_edim);
	TEST(t_edin);
	TEST(t_roundtrip);
	TEST(t_small_edim_hex);
	TEST(t_small_edin_hex);
	TEST(t_full_roundtrip);
	TEST(t_malformed);
	TEST(t_ber_forms);
	TEST(t_truncated);
	TEST(t_limits);
	TEST(t_encode_checks);
	TEST(t_body_fd);
	return test_done();
}
