/*
 * Unit tests of the P1 (X.411 MTS-APDU) codec: the fixtures built
 * outside the project decode to their known values, decode -> encode
 * -> decode keeps them, malformed input is refused with the right
 * error, truncation never crashes, and a small envelope written by hand
 * from the ASN.1 (not by our encoder) is what the encoder produces.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/ber.h"
#include "x400/p1.h"
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
decode(const uint8_t *p, size_t n, struct p1_pdu *pdu, struct ber_dec *d)
{
	ber_dec_init(d);
	p1_init(pdu);
	return p1_decode(d, NULL, p, n, pdu);
}

static int
encode(const struct p1_pdu *pdu, struct buf *out)
{
	struct berw	 w;
	int		 e;

	berw_init(&w);
	buf_init(out);
	if ((e = p1_encode(&w, pdu)) == BER_OK)
		e = berw_write_buf(&w, out);
	berw_free(&w);
	return e;
}

static void
check_gdi_acme(const struct p1_gdi *g)
{
	CHECK_EQ_STR(g->c, "GB");
	CHECK_EQ_STR(g->admd, " ");
	CHECK(g->has_prmd);
	CHECK_EQ_STR(g->prmd, "ACME");
	CHECK_EQ_INT(g->numeric, 0);
}

static void
check_msg_values(const struct p1_pdu *pdu)
{
	const struct p1_envelope *env = &pdu->msg.env;

	CHECK_EQ_INT(pdu->kind, P1_MESSAGE);
	check_gdi_acme(&env->id.gdi);
	CHECK_EQ_STR(env->id.local, "msg-0001");
	CHECK_EQ_STR(env->originator.s, "Smith");
	CHECK_EQ_STR(env->originator.g, "John");
	CHECK_EQ_STR(env->originator.o, "Acme Ltd");
	CHECK_EQ_STR(env->originator.cn, "John Smith");
	CHECK(env->has_eits);
	CHECK_EQ_INT(env->eits.builtin, 1u << 2);	/* ia5-text */
	CHECK_EQ_INT(env->ctype.extended, 0);
	CHECK_EQ_INT(env->ctype.builtin, P1_CT_P22);
	CHECK(env->has_cid);
	CHECK_EQ_STR(env->cid, "cid-0001");
	CHECK_EQ_INT(env->priority, P1_PRIO_URGENT);
	CHECK_EQ_INT(env->pmi, P1_PMI_DISCLOSURE | P1_PMI_ALTERNATE |
	    P1_PMI_RETURN_CONTENT);
	CHECK(env->has_ddt);
	CHECK_EQ_INT(env->ddt, 1735786800);		/* 2025-01-02 03:00:00Z */
	CHECK_EQ_INT(env->trace.n, 1);
	if (env->trace.n == 1) {
		check_gdi_acme(&env->trace.v[0].gdi);
		CHECK_EQ_INT(env->trace.v[0].arrival, 1735787045);
		CHECK_EQ_INT(env->trace.v[0].routing, 0);
		CHECK(!env->trace.v[0].has_attempted);
	}
	CHECK_EQ_INT(env->ext.n, 1);
	if (env->ext.n == 1) {
		CHECK_EQ_INT(env->ext.v[0].is_private, 0);
		CHECK_EQ_INT(env->ext.v[0].type, 1);
		CHECK_EQ_INT(env->ext.v[0].crit, P1_CRIT_DELIVERY);
		CHECK_EQ_MEM(env->ext.v[0].value.p, env->ext.v[0].value.len,
		    "\x0a\x01\x01", 3);
		CHECK_EQ_INT(env->ext.v[0].flags, 0);
	}
	CHECK_EQ_INT(pdu->unknown_critical, 0);
	CHECK_EQ_INT(env->nrcpt, 2);
	if (env->nrcpt == 2) {
		CHECK_EQ_STR(env->rcpt[0].name.s, "Doe");
		CHECK_EQ_STR(env->rcpt[0].name.g, "Jane");
		CHECK_EQ_STR(env->rcpt[0].name.cn, "Jane Doe");
		CHECK_EQ_INT(env->rcpt[0].osrn, 1);
		CHECK_EQ_INT(env->rcpt[0].pri, P1_PRI_RESPONSIBILITY |
		    P1_PRI_MTA_REPORT | P1_PRI_ORIG_REPORT);
		CHECK(env->rcpt[0].has_conversion);
		CHECK_EQ_INT(env->rcpt[0].conversion, 0);
		CHECK_EQ_STR(env->rcpt[1].name.s, "Roe");
		CHECK_EQ_STR(env->rcpt[1].name.cn, "Rick Roe");
		CHECK_EQ_INT(env->rcpt[1].osrn, 2);
		CHECK_EQ_INT(env->rcpt[1].pri, P1_PRI_RESPONSIBILITY |
		    P1_PRI_MTA_REPORT);
	}
	CHECK(pdu->msg.content.present);
	CHECK_EQ_INT(pdu->msg.content.len, 655);
	if (pdu->msg.content.len > 4)
		CHECK_EQ_MEM(pdu->msg.content.p, 4, "\xa0\x82\x02\x8b", 4);
}

static void
t_msg(void)
{
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("msg.p1", &n)) == NULL)
		return;
	CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_OK);
	check_msg_values(&pdu);
	/* zero copy: the content is a view of the input */
	CHECK(pdu.msg.content.p == p + 523 + 4);
	p1_free(&pdu);
	free(p);
}

static void
t_msg_indef(void)
{
	struct p1_pdu	 pdu, ref;
	struct ber_dec	 d;
	struct buf	 a, b;
	uint8_t		*p, *q;
	size_t		 n, m;

	if ((p = fixture("msg_indef_all.p1", &n)) == NULL ||
	    (q = fixture("msg.p1", &m)) == NULL) {
		free(p);
		return;
	}
	CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_OK);
	check_msg_values(&pdu);
	CHECK_EQ_INT(decode(q, m, &ref, &d), BER_OK);
	/* same values: both encode to the same octets */
	CHECK_EQ_INT(encode(&pdu, &a), BER_OK);
	CHECK_EQ_INT(encode(&ref, &b), BER_OK);
	CHECK_EQ_MEM(a.p, a.len, b.p, b.len);
	buf_free(&a);
	buf_free(&b);
	p1_free(&pdu);
	p1_free(&ref);
	free(p);
	free(q);
}

static void
check_report_common(const struct p1_pdu *pdu)
{
	const struct p1_report *rp = &pdu->rpt;

	CHECK_EQ_INT(pdu->kind, P1_REPORT);
	check_gdi_acme(&rp->id.gdi);
	CHECK_EQ_STR(rp->id.local, "rpt-0001");
	CHECK_EQ_STR(rp->dest.s, "Smith");
	CHECK_EQ_INT(rp->trace.n, 1);
	check_gdi_acme(&rp->subject.gdi);
	CHECK_EQ_STR(rp->subject.local, "msg-0001");
	CHECK(rp->ctype.present);
	CHECK_EQ_INT(rp->ctype.builtin, P1_CT_P22);
	CHECK_EQ_STR(rp->cid, "cid-0001");
	CHECK_EQ_INT(rp->nrcpt, 1);
	if (rp->nrcpt == 1) {
		CHECK_EQ_STR(rp->rcpt[0].actual.s, "Doe");
		CHECK_EQ_STR(rp->rcpt[0].actual.cn, "Jane Doe");
		CHECK_EQ_INT(rp->rcpt[0].osrn, 1);
		CHECK_EQ_INT(rp->rcpt[0].pri, 0);
		CHECK_EQ_INT(rp->rcpt[0].arrival, 1735790399);
		CHECK(rp->rcpt[0].has_suppl);
		CHECK_EQ_STR(rp->rcpt[0].suppl, "supplementary text");
		CHECK(!rp->rcpt[0].has_intended);
	}
}

static void
t_dr(void)
{
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("dr.p1", &n)) == NULL)
		return;
	CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_OK);
	check_report_common(&pdu);
	if (pdu.rpt.nrcpt == 1) {
		CHECK_EQ_INT(pdu.rpt.rcpt[0].type, P1_DELIVERY);
		CHECK_EQ_INT(pdu.rpt.rcpt[0].delivery_time, 1735790400);
		CHECK_EQ_INT(pdu.rpt.rcpt[0].mts_user, 0);	/* public */
	}
	p1_free(&pdu);
	free(p);
}

static void
t_ndr(void)
{
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("ndr.p1", &n)) == NULL)
		return;
	CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_OK);
	check_report_common(&pdu);
	if (pdu.rpt.nrcpt == 1) {
		CHECK_EQ_INT(pdu.rpt.rcpt[0].type, P1_NON_DELIVERY);
		CHECK_EQ_INT(pdu.rpt.rcpt[0].reason, 1);  /* unable-to-transfer */
		CHECK(pdu.rpt.rcpt[0].has_diag);
		CHECK_EQ_INT(pdu.rpt.rcpt[0].diag, 0);	/* unrecognised-OR-name */
	}
	p1_free(&pdu);
	free(p);
}

static void
t_probe(void)
{
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("probe.p1", &n)) == NULL)
		return;
	CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_OK);
	CHECK_EQ_INT(pdu.kind, P1_PROBE);
	check_gdi_acme(&pdu.msg.env.id.gdi);
	CHECK_EQ_STR(pdu.msg.env.id.local, "prb-0001");
	CHECK_EQ_STR(pdu.msg.env.originator.s, "Smith");
	CHECK_EQ_INT(pdu.msg.env.ctype.builtin, P1_CT_P22);
	CHECK_EQ_INT(pdu.msg.env.trace.n, 1);
	CHECK_EQ_INT(pdu.msg.env.nrcpt, 1);
	if (pdu.msg.env.nrcpt == 1) {
		CHECK_EQ_STR(pdu.msg.env.rcpt[0].name.s, "Doe");
		CHECK_EQ_INT(pdu.msg.env.rcpt[0].osrn, 1);
		CHECK_EQ_INT(pdu.msg.env.rcpt[0].pri, P1_PRI_RESPONSIBILITY |
		    P1_PRI_MTA_REPORT);
	}
	CHECK(!pdu.msg.content.present);
	p1_free(&pdu);
	free(p);
}

static void
t_msg_rn(void)
{
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("msg_rn.p1", &n)) == NULL)
		return;
	CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_OK);
	CHECK_EQ_INT(pdu.kind, P1_MESSAGE);
	CHECK(pdu.msg.content.len > 0);
	p1_free(&pdu);
	free(p);
}

/* decode -> encode -> decode: same values, and encoding is a fixed point */
static void
t_roundtrip(void)
{
	static const char *names[] = { "msg.p1", "msg_indef_all.p1",
	    "msg_rn.p1", "dr.p1", "ndr.p1", "probe.p1" };
	struct p1_pdu	 a, b;
	struct ber_dec	 d;
	struct buf	 ea, eb;
	uint8_t		*p;
	size_t		 n, i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((p = fixture(names[i], &n)) == NULL)
			continue;
		CHECK_EQ_INT(decode(p, n, &a, &d), BER_OK);
		CHECK_EQ_INT(encode(&a, &ea), BER_OK);
		CHECK_EQ_INT(decode(ea.p, ea.len, &b, &d), BER_OK);
		if (i < 2)
			check_msg_values(&b);
		else if (i == 3 || i == 4)
			check_report_common(&b);
		CHECK_EQ_INT(b.kind, a.kind);
		CHECK_EQ_INT(encode(&b, &eb), BER_OK);
		CHECK_EQ_MEM(ea.p, ea.len, eb.p, eb.len);
		buf_free(&ea);
		buf_free(&eb);
		p1_free(&a);
		p1_free(&b);
		free(p);
	}
}

static void
t_malformed(void)
{
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("bad_len.p1", &n)) != NULL) {
		CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_ELEN);
		p1_free(&pdu);
		free(p);
	}
	if ((p = fixture("bad_tag.p1", &n)) != NULL) {
		CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_EUNEXP);
		CHECK_EQ_STR(d.err_field,
		    "[APPLICATION 17] in MessageTransferEnvelope");
		p1_free(&pdu);
		free(p);
	}
	if ((p = fixture("trail.p1", &n)) != NULL) {
		CHECK_EQ_INT(decode(p, n, &pdu, &d), BER_ETRAIL);
		CHECK_EQ_INT(d.err_off, 1182);
		p1_free(&pdu);
		free(p);
	}
}

static void
t_truncated(void)
{
	static const char *names[] = { "msg.p1", "msg_indef_all.p1",
	    "msg_rn.p1", "dr.p1", "ndr.p1", "probe.p1" };
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p, *q;
	size_t		 n, i, k, bad;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((p = fixture(names[i], &n)) == NULL)
			continue;
		bad = 0;
		for (k = 0; k < n; k++) {
			/* a copy of exactly k octets, so ASan sees overreads */
			q = malloc(k ? k : 1);
			memcpy(q, p, k);
			if (decode(q, k, &pdu, &d) == BER_OK)
				bad++;
			p1_free(&pdu);
			free(q);
		}
		CHECK_EQ_INT(bad, 0);
		free(p);
	}
}

/*
 * A small message written by hand from X.411: MTS-APDU message [0]
 * SEQUENCE { MessageTransferEnvelope SET { message-identifier
 * [APPLICATION 4] { GDI [APPLICATION 3] { [APPLICATION 1] { "GB" },
 * [APPLICATION 2] { " " } }, IA5String "x1" }, originator-name
 * [APPLICATION 0] { BuiltInStandardAttributes { C=GB, ADMD " ",
 * personal-name [5] { surname [0] "Smith" } } }, content-type
 * [APPLICATION 6] 22, trace-information [APPLICATION 9] { { GDI, SET {
 * arrival-time [0] 250102030405Z, routing-action [2] relayed } } },
 * per-recipient-fields [2] { SET { recipient-name (same name),
 * originally-specified-recipient-number [0] 1, per-recipient-indicators
 * [1] '10000000'B (8 bits) } } }, content "abc" }
 */
static const char small_hex[] =
	"a0 7d"
	" 31 76"
	"  64 11 63 0b 61 04 13 02 47 42 62 03 13 01 20 16 02 78 31"
	"  60 16 30 14 61 04 13 02 47 42 62 03 13 01 20"
	"   a5 07 80 05 53 6d 69 74 68"
	"  46 01 16"
	"  69 23 30 21 63 0b 61 04 13 02 47 42 62 03 13 01 20"
	"   31 12 80 0d 32 35 30 31 30 32 30 33 30 34 30 35 5a 82 01 00"
	"  a2 21 31 1f"
	"   60 16 30 14 61 04 13 02 47 42 62 03 13 01 20"
	"    a5 07 80 05 53 6d 69 74 68"
	"   80 01 01 81 02 00 80"
	" 04 03 61 62 63";

static void
small_build(struct p1_pdu *pdu, struct p1_trace *tr, struct p1_rcpt *r)
{
	struct orname	 or;

	p1_init(pdu);
	pdu->kind = P1_MESSAGE;
	strcpy(pdu->msg.env.id.gdi.c, "GB");
	strcpy(pdu->msg.env.id.gdi.admd, " ");
	strcpy(pdu->msg.env.id.local, "x1");
	orname_init(&or);
	orname_set(&or, OR_C, "GB", 2);
	orname_set(&or, OR_ADMD, " ", 1);
	orname_set(&or, OR_S, "Smith", 5);
	pdu->msg.env.originator = or;
	pdu->msg.env.ctype.present = 1;
	pdu->msg.env.ctype.builtin = P1_CT_P22;
	memset(tr, 0, sizeof(*tr));
	tr->gdi = pdu->msg.env.id.gdi;
	tr->arrival = 1735787045;
	pdu->msg.env.trace.n = 1;
	pdu->msg.env.trace.v = tr;
	memset(r, 0, sizeof(*r));
	r->name = or;
	r->osrn = 1;
	r->pri = P1_PRI_RESPONSIBILITY;
	pdu->msg.env.nrcpt = 1;
	pdu->msg.env.rcpt = r;
	pdu->msg.content.present = 1;
	pdu->msg.content.p = (const uint8_t *)"abc";
	pdu->msg.content.len = 3;
}

static void
t_small_hex(void)
{
	static uint8_t	 want[512];
	struct p1_pdu	 pdu, back;
	struct p1_trace	 tr;
	struct p1_rcpt	 r;
	struct ber_dec	 d;
	struct buf	 out;
	size_t		 n;

	CHECK(test_hex(small_hex, want, sizeof(want), &n) == 0);
	small_build(&pdu, &tr, &r);
	CHECK_EQ_INT(encode(&pdu, &out), BER_OK);
	CHECK_EQ_MEM(out.p, out.len, want, n);
	buf_free(&out);
	CHECK_EQ_INT(decode(want, n, &back, &d), BER_OK);
	CHECK_EQ_STR(back.msg.env.id.local, "x1");
	CHECK(!back.msg.env.id.gdi.has_prmd);
	CHECK_EQ_STR(back.msg.env.originator.s, "Smith");
	CHECK_EQ_INT(back.msg.env.nrcpt, 1);
	CHECK_EQ_INT(back.msg.env.rcpt[0].pri, P1_PRI_RESPONSIBILITY);
	CHECK_EQ_INT(back.msg.env.priority, P1_PRIO_NORMAL);
	CHECK_EQ_MEM(back.msg.content.p, back.msg.content.len, "abc", 3);
	p1_free(&back);
	p1_free(&pdu);
}

/* Hand-made variants of the small message: members moved, doubled, lost */
static void
t_set_rules(void)
{
	static uint8_t	 want[512], v[600];
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	size_t		 n, env_at = 4, ct_at, tr_at;

	CHECK(test_hex(small_hex, want, sizeof(want), &n) == 0);
	ct_at = 4 + 19 + 24;		/* content-type in the envelope */
	tr_at = ct_at + 3;
	/* content-type moved to the end of the SET: still valid */
	memcpy(v, want, n);
	memmove(v + ct_at, want + tr_at, n - 5 - tr_at);
	memcpy(v + n - 5 - 3, want + ct_at, 3);
	CHECK_EQ_INT(decode(v, n, &pdu, &d), BER_OK);
	CHECK_EQ_INT(pdu.msg.env.ctype.builtin, 22);
	p1_free(&pdu);
	/* content-type twice: BER_EDUP */
	/* (the content shrinks to 04 00 so the lengths stay short-form) */
	memcpy(v, want, ct_at + 3);
	memcpy(v + ct_at + 3, want + ct_at, n - 5 - ct_at);
	memcpy(v + n - 2, "\x04\x00", 2);
	v[env_at - 1] += 3;
	CHECK_EQ_INT(decode(v, n, &pdu, &d), BER_EDUP);
	CHECK_EQ_STR(d.err_field, "content-type");
	p1_free(&pdu);
	/* content-type missing: BER_EMISSING naming it */
	memcpy(v, want, ct_at);
	memcpy(v + ct_at, want + tr_at, n - tr_at);
	v[1] -= 3;
	v[env_at - 1] -= 3;
	CHECK_EQ_INT(decode(v, n - 3, &pdu, &d), BER_EMISSING);
	CHECK_EQ_STR(d.err_field, "content-type");
	p1_free(&pdu);
}

static void
t_limits(void)
{
	struct p1_opts	 o;
	struct p1_pdu	 pdu;
	struct ber_dec	 d;
	uint8_t		*p;
	size_t		 n;

	if ((p = fixture("msg.p1", &n)) == NULL)
		return;
	p1_opts_init(&o);
	CHECK_EQ_INT(o.max_recipients, 1000);
	o.max_recipients = 1;
	ber_dec_init(&d);
	p1_init(&pdu);
	CHECK_EQ_INT(p1_decode(&d, &o, p, n, &pdu), BER_ESIZE);
	CHECK_EQ_STR(d.err_field, "per-recipient-fields");
	p1_free(&pdu);
	free(p);
}

static void
t_critical(void)
{
	static const uint8_t val[] = { 0x05, 0x00 };
	struct p1_pdu	 pdu, back;
	struct p1_trace	 tr;
	struct p1_rcpt	 r;
	struct p1_ext	 ex[2];
	struct p1_opts	 o;
	struct ber_dec	 d;
	struct buf	 out;

	small_build(&pdu, &tr, &r);
	memset(ex, 0, sizeof(ex));
	ex[0].is_private = 1;
	strcpy(ex[0].oid, "1.3.6.1.4.1.99999.1");
	ex[0].crit = P1_CRIT_TRANSFER;
	ex[0].value.p = val;
	ex[0].value.len = sizeof(val);
	ex[1].type = 1;			/* known, critical for transfer */
	ex[1].crit = P1_CRIT_TRANSFER | P1_CRIT_DELIVERY;
	pdu.msg.env.ext.n = 2;
	pdu.msg.env.ext.v = ex;
	CHECK_EQ_INT(encode(&pdu, &out), BER_OK);
	CHECK_EQ_INT(decode(out.p, out.len, &back, &d), BER_OK);
	CHECK_EQ_INT(back.unknown_critical, 1);
	CHECK_EQ_INT(back.msg.env.ext.n, 2);
	if (back.msg.env.ext.n == 2) {
		CHECK_EQ_STR(back.msg.env.ext.v[0].oid, "1.3.6.1.4.1.99999.1");
		CHECK_EQ_INT(back.msg.env.ext.v[0].flags,
		    P1_EXT_UNKNOWN_CRITICAL);
		CHECK_EQ_MEM(back.msg.env.ext.v[0].value.p,
		    back.msg.env.ext.v[0].value.len, val, sizeof(val));
		CHECK_EQ_INT(back.msg.env.ext.v[1].flags, 0);
		CHECK_EQ_INT(back.msg.env.ext.v[1].value.len, 0);
	}
	p1_free(&back);
	p1_opts_init(&o);
	o.reject_unknown_critical = 1;
	ber_dec_init(&d);
	p1_init(&back);
	CHECK_EQ_INT(p1_decode(&d, &o, out.p, out.len, &back), BER_EVALUE);
	p1_free(&back);
	buf_free(&out);
	p1_free(&pdu);
}

/* The content from a file descriptor range encodes like from memory. */
static void
t_content_fd(void)
{
	struct p1_pdu	 pdu;
	struct p1_trace	 tr;
	struct p1_rcpt	 r;
	struct buf	 a, b;
	char		 path[512];
	int		 fd;

	small_build(&pdu, &tr, &r);
	CHECK_EQ_INT(encode(&pdu, &a), BER_OK);
	snprintf(path, sizeof(path), "%s/content", test_dir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "xxabcyy", 7) == 7);
	pdu.msg.content.p = NULL;
	pdu.msg.content.len = 0;
	pdu.msg.content.use_fd = 1;
	pdu.msg.content.fd = fd;
	pdu.msg.content.off = 2;
	pdu.msg.content.fdlen = 3;
	CHECK_EQ_INT(encode(&pdu, &b), BER_OK);
	CHECK_EQ_MEM(a.p, a.len, b.p, b.len);
	close(fd);
	buf_free(&a);
	buf_free(&b);
	p1_free(&pdu);
}

static void
t_encode_checks(void)
{
	struct p1_pdu	 pdu;
	struct p1_trace	 tr;
	struct p1_rcpt	 r;
	struct berw	 w;

	small_build(&pdu, &tr, &r);
	strcpy(pdu.msg.env.cid, "seventeen-chars-x");
	pdu.msg.env.has_cid = 1;
	berw_init(&w);
	CHECK_EQ_INT(p1_encode(&w, &pdu), BER_ESIZE);
	CHECK_EQ_STR(w.err_field, "content-identifier");
	berw_free(&w);
	pdu.msg.env.has_cid = 0;
	pdu.msg.env.nrcpt = 0;
	berw_init(&w);
	CHECK_EQ_INT(p1_encode(&w, &pdu), BER_ESIZE);
	CHECK_EQ_STR(w.err_field, "per-recipient-fields");
	berw_free(&w);
	p1_free(&pdu);
}

/* X.411 ContentType: the extended OIDs of X.420 (id-mct-p2-1984 {id-mct 0},
 * id-mct-p2-1988 {id-mct 1}, id-mct 2.6.1.10) and X.435 (id-mct-pedi
 * {id-mct 0}, id-mct 2.6.7.10) mean the built-in 2, 22 and 35. */
static void
t_ctype_number(void)
{
	static const struct {
		int		 present, extended;
		int64_t		 builtin;
		const char	*oid, *text;
		int64_t		 want;
	} t[] = {
		{ 1, 0, 22, "", "22", 22 },
		{ 1, 0, 40, "", "40", 40 },
		{ 1, 1, 0, "2.6.1.10.0", "2.6.1.10.0", 2 },
		{ 1, 1, 0, "2.6.1.10.1", "2.6.1.10.1", 22 },
		{ 1, 1, 0, "2.6.7.10.0", "2.6.7.10.0", 35 },
		{ 1, 1, 0, "2.6.1.10.10", "2.6.1.10.10", -1 },
		{ 1, 1, 0, "1.2.3.4", "1.2.3.4", -1 },
		{ 0, 0, 22, "", "none", -1 },
	};
	struct p1_ctype	 ct;
	char		 buf[P1_OID_MAX];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&ct, 0, sizeof(ct));
		ct.present = t[i].present;
		ct.extended = t[i].extended;
		ct.builtin = t[i].builtin;
		snprintf(ct.oid, sizeof(ct.oid), "%s", t[i].oid);
		CHECK_EQ_INT(p1_ctype_number(&ct), t[i].want);
		CHECK_EQ_STR(p1_ctype_text(&ct, buf, sizeof(buf)), t[i].text);
	}
}

int
main(void)
{
	TEST(t_msg);
	TEST(t_msg_indef);
	TEST(t_dr);
	TEST(t_ndr);
	TEST(t_probe);
	TEST(t_msg_rn);
	TEST(t_roundtrip);
	TEST(t_malformed);
	TEST(t_truncated);
	TEST(t_small_hex);
	TEST(t_set_rules);
	TEST(t_limits);
	TEST(t_critical);
	TEST(t_content_fd);
	TEST(t_encode_checks);
	TEST(t_ctype_number);
	return test_done();
}
