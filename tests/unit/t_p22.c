/*
 * Unit tests of the P22 (X.420 InformationObject) codec: the fixtures
 * built outside the project decode to their known values (msg.p1 and
 * msg_rn.p1 through p1_decode and the content cursor), decode -> encode
 * -> decode keeps them and encoding is a fixed point, every truncation
 * is refused without a crash, malformed input is refused with the right
 * error and field, small IPM and IPN encodings written by hand from the
 * ASN.1 are what the encoder produces, body data is streamed from a
 * file and decoded in place, and P2 refuses extended body parts.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/ber.h"
#include "x400/p1.h"
#include "x400/p22.h"
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
decode(const void *p, size_t n, struct p22_content *c, struct ber_dec *d)
{
	ber_dec_init(d);
	p22_init(c);
	return p22_decode(d, NULL, p, n, c);
}

static int
encode_ct(const struct p22_content *c, int ct, struct buf *out)
{
	struct berw	 w;
	int		 e;

	berw_init(&w);
	buf_init(out);
	if ((e = p22_encode(&w, c, ct)) == BER_OK)
		e = berw_write_buf(&w, out);
	berw_free(&w);
	return e;
}

static int
encode(const struct p22_content *c, struct buf *out)
{
	return encode_ct(c, P22_CT_P22, out);
}

/* The P22 content of a P1 fixture (a copy, caller frees). */
static uint8_t *
p1_content(const char *name, size_t *n)
{
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p, *q = NULL;
	size_t		 pn;

	if ((p = fixture(name, &pn)) == NULL)
		return NULL;
	ber_dec_init(&d);
	p1_init(&pdu);
	CHECK_EQ_INT(p1_decode(&d, NULL, p, pn, &pdu), BER_OK);
	CHECK_EQ_INT(pdu.msg.env.ctype.builtin, P1_CT_P22);
	if (pdu.kind == P1_MESSAGE && pdu.msg.content.len > 0 &&
	    (q = malloc(pdu.msg.content.len)) != NULL) {
		memcpy(q, pdu.msg.content.p, pdu.msg.content.len);
		*n = pdu.msg.content.len;
	}
	p1_free(&pdu);
	free(p);
	return q;
}

static void
check_msg_values(const struct p22_content *c)
{
	const struct p22_heading *h = &c->h;
	static const char text[] = "Hello from the X.400 test vector\r\n";

	CHECK_EQ_INT(c->kind, P22_IPM);
	CHECK_EQ_STR(h->this_ipm.local, "ipm-0001");
	CHECK(h->this_ipm.has_user);
	CHECK_EQ_STR(h->this_ipm.user.s, "Smith");
	CHECK(h->has_originator);
	CHECK(h->originator.has_formal);
	CHECK_EQ_STR(h->originator.formal.g, "John");
	CHECK_EQ_STR(h->originator.formal.cn, "John Smith");
	CHECK_EQ_INT(h->primary.n, 1);
	if (h->primary.n == 1) {
		CHECK_EQ_STR(h->primary.v[0].r.formal.s, "Doe");
		CHECK_EQ_INT(h->primary.v[0].nreq, P22_NR_RN | P22_NR_NRN);
		CHECK_EQ_INT(h->primary.v[0].reply, 1);
	}
	CHECK_EQ_INT(h->copy.n, 1);
	if (h->copy.n == 1)
		CHECK_EQ_STR(h->copy.v[0].r.formal.s, "Roe");
	CHECK_EQ_INT(h->bcc.n, 0);
	CHECK(h->has_subject);
	CHECK_EQ_STR(h->subject, "Test subject");
	CHECK_EQ_INT(h->subjlen, 12);
	CHECK(h->has_expiry);
	CHECK_EQ_INT(h->expiry, 1738368000);	/* 250201000000Z */
	CHECK_EQ_INT(h->importance, P22_IMP_HIGH);
	CHECK_EQ_INT(h->sensitivity, P22_SENS_CONFIDENTIAL);
	CHECK_EQ_INT(h->auto_forwarded, 0);
	CHECK_EQ_INT(c->nbp, 2);
	if (c->nbp != 2)
		return;
	CHECK_EQ_INT(c->bp[0].type, P22_BP_IA5);
	CHECK_EQ_INT(c->bp[0].repertoire, P22_REP_IA5);
	CHECK_EQ_MEM(c->bp[0].data.p, c->bp[0].data.len, text,
	    sizeof(text) - 1);
	CHECK_EQ_INT(c->bp[1].type, P22_BP_GENERAL_TEXT);
	CHECK_EQ_INT(c->bp[1].ncs, 3);
	CHECK_EQ_INT(c->bp[1].cs[0], 1);
	CHECK_EQ_INT(c->bp[1].cs[1], 6);
	CHECK_EQ_INT(c->bp[1].cs[2], 100);
	CHECK_EQ_MEM(c->bp[1].data.p, c->bp[1].data.len, "Gr\xfc\xdf" "e", 5);
	CHECK(p22_needs_1988(c));
}

static void
t_msg(void)
{
	static const char *names[] = { "msg.p1", "msg_indef_all.p1" };
	struct p22_content c;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n, i;

	for (i = 0; i < 2; i++) {
		if ((p = p1_content(names[i], &n)) == NULL)
			continue;
		CHECK_EQ_INT(decode(p, n, &c, &d), BER_OK);
		check_msg_values(&c);
		/* zero copy: the IA5 text is a view of the input */
		if (i == 0 && c.nbp > 0)
			CHECK(c.bp[0].data.p >= p && c.bp[0].data.p < p + n);
		p22_free(&c);
		free(p);
	}
}

static void
check_ipn_common(const struct p22_content *c)
{
	CHECK_EQ_INT(c->kind, P22_IPN);
	CHECK_EQ_STR(c->ipn.subject.local, "ipm-0001");
	CHECK(c->ipn.subject.has_user);
	CHECK_EQ_STR(c->ipn.subject.user.s, "Smith");
	CHECK(c->ipn.has_originator);
	CHECK_EQ_STR(c->ipn.originator.formal.s, "Doe");
	CHECK_EQ_STR(c->ipn.originator.formal.cn, "Jane Doe");
	CHECK(!c->ipn.has_intended);
}

static void
check_rn(const struct p22_content *c)
{
	check_ipn_common(c);
	CHECK_EQ_INT(c->ipn.type, P22_IPN_RN);
	CHECK_EQ_INT(c->ipn.receipt_time, 1735790400);	/* 250102040000Z */
	CHECK_EQ_INT(c->ipn.ack_mode, P22_ACK_AUTOMATIC);
	CHECK(!c->ipn.has_suppl);
}

static void
check_nrn(const struct p22_content *c)
{
	check_ipn_common(c);
	CHECK_EQ_INT(c->ipn.type, P22_IPN_NRN);
	CHECK_EQ_INT(c->ipn.nrn_reason, P22_NRN_DISCARDED);
	CHECK(c->ipn.has_discard);
	CHECK_EQ_INT(c->ipn.discard, P22_DISCARD_EXPIRED);
	CHECK(c->ipn.has_afc);
	CHECK_EQ_STR(c->ipn.afc, "expired");
	CHECK_EQ_INT(c->ipn.returned.len, 0);
}

static void
t_ipn(void)
{
	struct p22_content c;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("rn.p22", &n)) != NULL) {
		CHECK_EQ_INT(decode(p, n, &c, &d), BER_OK);
		check_rn(&c);
		CHECK(!p22_needs_1988(&c));
		p22_free(&c);
		free(p);
	}
	if ((p = fixture("nrn.p22", &n)) != NULL) {
		CHECK_EQ_INT(decode(p, n, &c, &d), BER_OK);
		check_nrn(&c);
		p22_free(&c);
		free(p);
	}
	if ((p = p1_content("msg_rn.p1", &n)) != NULL) {
		CHECK_EQ_INT(decode(p, n, &c, &d), BER_OK);
		check_rn(&c);
		p22_free(&c);
		free(p);
	}
}

static void
check_ftbp(const struct p22_content *c)
{
	const struct p22_ftbp *f;

	CHECK_EQ_INT(c->kind, P22_IPM);
	CHECK_EQ_STR(c->h.this_ipm.local, "ipm-ftbp");
	CHECK(!c->h.this_ipm.has_user);
	CHECK_EQ_STR(c->h.subject, "FTBP test");
	CHECK_EQ_INT(c->nbp, 1);
	if (c->nbp != 1)
		return;
	CHECK_EQ_INT(c->bp[0].type, P22_BP_FTBP);
	if ((f = c->bp[0].ftbp) == NULL)
		return;
	CHECK_EQ_STR(f->doctype, P22_OID_FTAM3);
	CHECK_EQ_INT(f->appref, 2);
	CHECK_EQ_INT(f->appref_text.n, 1);
	CHECK_EQ_STR(f->appref_text.v[0], "PDF viewer");
	CHECK(f->has_pathname);
	CHECK_EQ_INT(f->complete, 0);
	CHECK_EQ_INT(f->path.n, 1);
	CHECK_EQ_STR(f->path.v[0], "report.pdf");
	CHECK_EQ_INT(f->ctime_kind, P22_ATTR_VALUE);
	CHECK_EQ_INT(f->ctime, 1735787045);	/* 20250102030405Z */
	CHECK_EQ_INT(f->mtime_kind, P22_ATTR_ABSENT);
	CHECK_EQ_INT(f->size_kind, P22_ATTR_VALUE);
	CHECK_EQ_INT(f->size, 11);
	CHECK_EQ_STR(f->data_oid, P22_OID_FTAM3);
	CHECK(!f->is_cms);
	CHECK_EQ_MEM(c->bp[0].data.p, c->bp[0].data.len, "%PDF-1.4\n..", 11);
}

static void
t_ftbp(void)
{
	struct p22_content c;
	struct ber_dec	 d;
	struct buf	 b;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("ftbp.p22", &n)) == NULL)
		return;
	CHECK_EQ_INT(decode(p, n, &c, &d), BER_OK);
	check_ftbp(&c);
	CHECK(p22_needs_1988(&c));
	/* 1984 cannot carry it */
	CHECK_EQ_INT(encode_ct(&c, P22_CT_P2, &b), BER_EVALUE);
	buf_free(&b);
	p22_free(&c);
	free(p);
}

/* decode -> encode -> decode: same values, and encoding is a fixed point */
static void
t_roundtrip(void)
{
	static const char *names[] = { "msg.p1", "msg_indef_all.p1",
	    "msg_rn.p1", "rn.p22", "nrn.p22", "ftbp.p22" };
	struct p22_content a, b;
	struct ber_dec	 d;
	struct buf	 ea, eb;
	uint8_t		*p;
	size_t		 n, i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = i < 3 ? p1_content(names[i], &n) : fixture(names[i], &n);
		if (p == NULL)
			continue;
		CHECK_EQ_INT(decode(p, n, &a, &d), BER_OK);
		CHECK_EQ_INT(encode(&a, &ea), BER_OK);
		CHECK_EQ_INT(decode(ea.p, ea.len, &b, &d), BER_OK);
		if (i < 2)
			check_msg_values(&b);
		else if (i < 4)
			check_rn(&b);
		else if (i == 4)
			check_nrn(&b);
		else
			check_ftbp(&b);
		CHECK_EQ_INT(encode(&b, &eb), BER_OK);
		CHECK_EQ_MEM(ea.p, ea.len, eb.p, eb.len);
		/* the definite-length fixtures are DER-like: same octets,
		 * except that the encoder leaves out DEFAULT values */
		if (i == 3 || i == 4)
			CHECK_EQ_MEM(ea.p, ea.len, p, n);
		buf_free(&ea);
		buf_free(&eb);
		p22_free(&a);
		p22_free(&b);
		free(p);
	}
}

static void
t_truncated(void)
{
	static const char *names[] = { "msg.p1", "rn.p22", "nrn.p22",
	    "ftbp.p22" };
	struct p22_content c;
	struct ber_dec	 d;
	uint8_t		*p, *q;
	size_t		 n, i, k, bad = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = i == 0 ? p1_content(names[i], &n) : fixture(names[i], &n);
		if (p == NULL)
			continue;
		for (k = 0; k < n; k++) {
			/* an exact-size copy, so ASan sees any overread */
			if ((q = malloc(k ? k : 1)) == NULL)
				break;
			memcpy(q, p, k);
			if (decode(q, k, &c, &d) == BER_OK)
				bad++;
			p22_free(&c);
			free(q);
		}
		free(p);
	}
	CHECK_EQ_INT(bad, 0);
}

static int
dec_hex(const char *hex, struct p22_content *c, struct ber_dec *d,
    const struct p22_opts *o)
{
	static uint8_t	 b[4096];
	size_t		 n;

	if (test_hex(hex, b, sizeof(b), &n) < 0)
		return -1;
	ber_dec_init(d);
	p22_init(c);
	return p22_decode(d, o, b, n, c);
}

static void
expect_err(const char *hex, int err, const char *field)
{
	struct p22_content c;
	struct ber_dec	 d;

	CHECK_EQ_INT(dec_hex(hex, &c, &d, NULL), err);
	if (field != NULL)
		CHECK_EQ_STR(d.err_field, field);
	p22_free(&c);
}

static void
t_malformed(void)
{
	struct p22_content c;
	struct p22_opts	 o;
	struct ber_dec	 d;
	char		 hex[1024];
	int		 i, k, len;

	/* subject twice */
	expect_err("a0 14 31 10 6b 02 13 00 a8 04 14 02 48 69 a8 04 14 02 48 69"
	    " 30 00", BER_EDUP, "subject");
	/* no this-IPM */
	expect_err("a0 0a 31 06 a8 04 14 02 48 69 30 00", BER_EMISSING,
	    "this-IPM");
	/* subject [8] implicit (88): wrong */
	expect_err("a0 0c 31 08 6b 02 13 00 88 02 48 69 30 00", BER_ECONS,
	    "subject");
	/* a member that is not in Heading */
	expect_err("a0 0c 31 08 6b 02 13 00 63 02 48 69 30 00", BER_EUNEXP,
	    "[APPLICATION 3] in Heading");
	/* no body */
	expect_err("a0 06 31 04 6b 02 13 00", BER_EMISSING, "Body");
	/* IA5 text with an 8-bit octet */
	expect_err("a0 0f 31 04 6b 02 13 00 30 07 a0 05 31 00 16 01 80",
	    BER_ECHARS, "ia5-text data");
	/* importance out of range */
	expect_err("a0 0b 31 07 6b 02 13 00 8c 01 07 30 00", BER_EVALUE,
	    "importance");
	/* unknown body part tag [1] */
	expect_err("a0 0c 31 04 6b 02 13 00 30 04 81 02 00 00", BER_EUNEXP,
	    "[1] in BodyPart");
	/* IPN without choice */
	expect_err("a1 04 6b 02 13 00", BER_EMISSING, "choice");
	/* RN without receipt-time */
	expect_err("a1 0b 6b 02 13 00 a0 05 a1 03 81 01 01", BER_EMISSING,
	    "receipt-time");
	/* trailing octet after the element */
	expect_err("a0 06 31 02 6b 00 30 00 00", BER_ETRAIL, NULL);

	/* subject of 129 octets: ESIZE; of 128: fine */
	for (len = 128; len <= 129; len++) {
		i = snprintf(hex, sizeof(hex), "a0 81 %02x 31 81 %02x 6b 02 13"
		    " 00 a8 81 %02x 14 81 %02x", len + 15, len + 10, len + 3,
		    len);
		for (k = 0; k < len; k++)
			i += snprintf(hex + i, sizeof(hex) - i, " 41");
		snprintf(hex + i, sizeof(hex) - i, " 30 00");
		CHECK_EQ_INT(dec_hex(hex, &c, &d, NULL),
		    len == 128 ? BER_OK : BER_ESIZE);
		if (len == 128)
			CHECK_EQ_INT(c.h.subjlen, 128);
		else
			CHECK_EQ_STR(d.err_field, "subject");
		p22_free(&c);
	}
	/* user-relative-identifier of 65 octets */
	i = snprintf(hex, sizeof(hex), "a0 49 31 45 6b 43 13 41");
	for (k = 0; k < 65; k++)
		i += snprintf(hex + i, sizeof(hex) - i, " 41");
	snprintf(hex + i, sizeof(hex) - i, " 30 00");
	expect_err(hex, BER_ESIZE, "user-relative-identifier");

	/* body part limit */
	p22_opts_init(&o);
	o.max_body_parts = 1;
	CHECK_EQ_INT(dec_hex("a0 10 31 04 6b 02 13 00 30 08 8e 01 41 8e 01 42"
	    " 8e 00", &c, &d, &o), BER_ESIZE);
	p22_free(&c);
	CHECK_EQ_INT(dec_hex("a0 0e 31 04 6b 02 13 00 30 06 8e 01 41 8e 01 42",
	    &c, &d, &o), BER_ESIZE);
	CHECK_EQ_STR(d.err_field, "Body");
	p22_free(&c);
	o.max_body_parts = 2;
	CHECK_EQ_INT(dec_hex("a0 0e 31 04 6b 02 13 00 30 06 8e 01 41 8e 01 42",
	    &c, &d, &o), BER_OK);
	CHECK_EQ_INT(c.nbp, 2);
	p22_free(&c);
	/* recipient limit */
	o.max_recipients = 1;
	CHECK_EQ_INT(dec_hex("a0 1a 31 16 6b 02 13 00 a2 10 31 06 a0 04 80 02"
	    " 41 42 31 06 a0 04 80 02 43 44 30 00", &c, &d, &o), BER_ESIZE);
	CHECK_EQ_STR(d.err_field, "primary-recipients");
	p22_free(&c);
}

/* A constructed BP14 is reassembled; a message body part nests. */
static void
t_constructed_and_nested(void)
{
	struct p22_content c, f;
	struct p22_opts	 o;
	struct ber_dec	 d;

	CHECK_EQ_INT(dec_hex("a0 13 31 04 6b 02 13 00 30 0b ae 09 04 02 61 62"
	    " 24 03 04 01 63", &c, &d, NULL), BER_OK);
	CHECK_EQ_INT(c.nbp, 1);
	if (c.nbp == 1) {
		CHECK_EQ_INT(c.bp[0].type, P22_BP_BILATERAL);
		CHECK_EQ_MEM(c.bp[0].data.p, c.bp[0].data.len, "abc", 3);
	}
	p22_free(&c);

	/* body { message [9] { SET { [0] time }, IPM { heading, body } } } */
	CHECK_EQ_INT(dec_hex("a0 30 31 04 6b 02 13 00 30 28"
	    " a9 26 31 0f 80 0d 32 35 30 31 30 32 30 34 30 30 30 30 5a"
	    " 30 13 31 0c 6b 04 13 02 66 31 a8 04 14 02 46 77"
	    " 30 03 8e 01 7a", &c, &d, NULL), BER_OK);
	CHECK_EQ_INT(c.nbp, 1);
	if (c.nbp == 1) {
		CHECK_EQ_INT(c.bp[0].type, P22_BP_MESSAGE);
		CHECK(c.bp[0].has_delivery_time);
		CHECK_EQ_INT(c.bp[0].delivery_time, 1735790400);
		ber_dec_init(&d);
		p22_init(&f);
		CHECK_EQ_INT(p22_decode_forwarded(&d, NULL, &c.bp[0], &f),
		    BER_OK);
		CHECK_EQ_STR(f.h.this_ipm.local, "f1");
		CHECK_EQ_STR(f.h.subject, "Fw");
		CHECK_EQ_INT(f.nbp, 1);
		p22_free(&f);
	}
	p22_free(&c);
	/* forwarding deeper than max_nest */
	p22_opts_init(&o);
	o.max_nest = 0;
	CHECK_EQ_INT(dec_hex("a0 30 31 04 6b 02 13 00 30 28"
	    " a9 26 31 0f 80 0d 32 35 30 31 30 32 30 34 30 30 30 30 5a"
	    " 30 13 31 0c 6b 04 13 02 66 31 a8 04 14 02 46 77"
	    " 30 03 8e 01 7a", &c, &d, &o), BER_EDEPTH);
	p22_free(&c);
}

/*
 * Written by hand from X.420: InformationObject ipm [0] IMPLICIT IPM
 * SEQUENCE { Heading SET { this-IPM [APPLICATION 11] SET {
 * user-relative-identifier PrintableString "a1" }, primary-recipients
 * [2] SEQUENCE OF RecipientSpecifier SET { recipient [0] ORDescriptor
 * SET { free-form-name [0] TeletexString "Bob" }, notification-requests
 * [1] BIT STRING { rn, nrn } }, subject [8] EXPLICIT TeletexString
 * "Hi", importance [12] high }, Body SEQUENCE { ia5-text [0] SEQUENCE {
 * SET { repertoire DEFAULT ia5 left out }, IA5String "x" } } }
 */
static const char small_ipm_hex[] =
	"a0 29"
	"  31 1e"
	"    6b 04 13 02 61 31"
	"    a2 0d 31 0b a0 05 80 03 42 6f 62 81 02 06 c0"
	"    a8 04 14 02 48 69"
	"    8c 01 02"
	"  30 07"
	"    a0 05 31 00 16 01 78";

/*
 * ipn [1] IMPLICIT SET { subject-ipm [APPLICATION 11] { "a1" }, choice
 * [0] EXPLICIT receipt-fields [1] IMPLICIT SET { receipt-time [0]
 * UTCTime 250102040000Z, acknowledgment-mode [1] automatic } }
 */
static const char small_rn_hex[] =
	"a1 1c"
	"  6b 04 13 02 61 31"
	"  a0 14 a1 12 80 0d 32 35 30 31 30 32 30 34 30 30 30 30 5a 81 01 01";

static void
t_hand_hex(void)
{
	static struct p22_rcpt r;
	static struct p22_bodypart bp;
	struct p22_content c;
	struct buf	 out;
	uint8_t		 want[256];
	size_t		 wn;

	p22_init(&c);
	c.kind = P22_IPM;
	strcpy(c.h.this_ipm.local, "a1");
	p22_ordesc_init(&r.r);
	r.r.has_ffn = 1;
	strcpy(r.r.ffn, "Bob");
	r.r.ffnlen = 3;
	r.nreq = P22_NR_RN | P22_NR_NRN;
	c.h.primary.n = 1;
	c.h.primary.v = &r;
	c.h.has_subject = 1;
	strcpy(c.h.subject, "Hi");
	c.h.subjlen = 2;
	c.h.importance = P22_IMP_HIGH;
	p22_bodypart_init(&bp, P22_BP_IA5);
	bp.data.p = (const uint8_t *)"x";
	bp.data.len = 1;
	c.nbp = 1;
	c.bp = &bp;
	CHECK_EQ_INT(test_hex(small_ipm_hex, want, sizeof(want), &wn), 0);
	CHECK_EQ_INT(encode(&c, &out), BER_OK);
	CHECK_EQ_MEM(out.p, out.len, want, wn);
	buf_free(&out);
	/* IA5 only: fine in P2 too */
	CHECK(!p22_needs_1988(&c));
	CHECK_EQ_INT(encode_ct(&c, P22_CT_P2, &out), BER_OK);
	CHECK_EQ_MEM(out.p, out.len, want, wn);
	buf_free(&out);

	p22_init(&c);
	c.kind = P22_IPN;
	strcpy(c.ipn.subject.local, "a1");
	c.ipn.type = P22_IPN_RN;
	c.ipn.receipt_time = 1735790400;
	c.ipn.ack_mode = P22_ACK_AUTOMATIC;
	CHECK_EQ_INT(test_hex(small_rn_hex, want, sizeof(want), &wn), 0);
	CHECK_EQ_INT(encode(&c, &out), BER_OK);
	CHECK_EQ_MEM(out.p, out.len, want, wn);
	buf_free(&out);

	/* encoder refuses what X.420 forbids */
	c.ipn.has_suppl = 1;		/* SIZE (1..256) */
	CHECK_EQ_INT(encode(&c, &out), BER_ESIZE);
	buf_free(&out);
}

/* Body data from a file range; the decoded data stays in place. */
static void
t_fd_and_p2(void)
{
	static struct p22_bodypart bp[3];
	static struct p22_ftbp ft, cms;
	struct p22_content c, b;
	struct ber_dec	 d;
	struct buf	 out;
	char		 path[1024];
	uint8_t		*big;
	size_t		 n = 300000, i;
	int		 fd;

	snprintf(path, sizeof(path), "%s/body", test_dir());
	if ((big = malloc(n)) == NULL)
		return;
	for (i = 0; i < n; i++)
		big[i] = (uint8_t)(i * 7 + 3);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	if (fd < 0 || write(fd, big, n) != (ssize_t)n) {
		free(big);
		return;
	}
	p22_init(&c);
	c.kind = P22_IPM;
	strcpy(c.h.this_ipm.local, "fd");
	p22_bodypart_init(&bp[0], P22_BP_BILATERAL);
	bp[0].data.use_fd = 1;
	bp[0].data.fd = fd;
	bp[0].data.off = 100;
	bp[0].data.fdlen = n - 200;
	p22_bodypart_init(&bp[1], P22_BP_FTBP);
	p22_ftbp_init(&ft);
	ft.has_pathname = 1;
	ft.complete = 1;
	ft.path.n = 1;
	strcpy(ft.path.v[0], "big.bin");
	ft.path.len[0] = 7;
	ft.size_kind = P22_ATTR_VALUE;
	ft.size = (int64_t)n;
	ft.mtime_kind = P22_ATTR_VALUE;
	ft.mtime = 1735787045;
	bp[1].ftbp = &ft;
	bp[1].data = bp[0].data;
	bp[1].data.off = 0;
	bp[1].data.fdlen = n;
	p22_bodypart_init(&bp[2], P22_BP_FTBP);
	p22_ftbp_init(&cms);
	p22_ftbp_set_cms(&cms);
	bp[2].ftbp = &cms;
	bp[2].data.p = (const uint8_t *)"\x30\x03\x06\x01\x00";
	bp[2].data.len = 5;
	c.nbp = 3;
	c.bp = bp;
	CHECK_EQ_INT(encode(&c, &out), BER_OK);
	CHECK(out.len > 2 * n - 200);
	CHECK_EQ_INT(decode(out.p, out.len, &b, &d), BER_OK);
	CHECK_EQ_INT(b.nbp, 3);
	if (b.nbp == 3) {
		CHECK_EQ_INT(b.bp[0].type, P22_BP_BILATERAL);
		CHECK_EQ_MEM(b.bp[0].data.p, b.bp[0].data.len, big + 100,
		    n - 200);
		CHECK(b.bp[0].data.p > out.p &&
		    b.bp[0].data.p < out.p + out.len);
		CHECK_EQ_INT(b.bp[1].type, P22_BP_FTBP);
		CHECK_EQ_MEM(b.bp[1].data.p, b.bp[1].data.len, big, n);
		if (b.bp[1].ftbp != NULL) {
			CHECK_EQ_INT(b.bp[1].ftbp->complete, 1);
			CHECK_EQ_STR(b.bp[1].ftbp->path.v[0], "big.bin");
			CHECK_EQ_INT(b.bp[1].ftbp->size, (int64_t)n);
			CHECK_EQ_INT(b.bp[1].ftbp->mtime, 1735787045);
			CHECK_EQ_STR(b.bp[1].ftbp->doctype, P22_OID_FTAM3);
			CHECK(!b.bp[1].ftbp->is_cms);
		}
		CHECK_EQ_INT(b.bp[2].type, P22_BP_FTBP);
		if (b.bp[2].ftbp != NULL) {
			CHECK(b.bp[2].ftbp->is_cms);
			CHECK_EQ_STR(b.bp[2].ftbp->doctype, P22_OID_CMS);
			CHECK_EQ_STR(b.bp[2].ftbp->appref_oid, P22_OID_CMS);
		}
	}
	p22_free(&b);
	buf_free(&out);
	/* P2: an FTBP is refused, the BP14 alone is fine */
	CHECK_EQ_INT(encode_ct(&c, P22_CT_P2, &out), BER_EVALUE);
	buf_free(&out);
	c.nbp = 1;
	CHECK_EQ_INT(encode_ct(&c, P22_CT_P2, &out), BER_OK);
	buf_free(&out);
	CHECK_EQ_INT(encode_ct(&c, 35, &out), BER_EVALUE);
	buf_free(&out);
	close(fd);
	free(big);
}

int
main(void)
{
	TEST(t_msg);
	TEST(t_ipn);
	TEST(t_ftbp);
	TEST(t_roundtrip);
	TEST(t_truncated);
	TEST(t_malformed);
	TEST(t_constructed_and_nested);
	TEST(t_hand_hex);
	TEST(t_fd_and_p2);
	return test_done();
}
