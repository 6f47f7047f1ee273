/*
 * Unit tests of the BER codec. Expected octets are written from X.690,
 * not produced by our writer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/ber.h"
#include "asn1/ber_stream.h"
#include "test.h"

/* Decode hex into a static buffer; returns the length. */
static uint8_t hx[70000];
static size_t
H(const char *s)
{
	size_t	 n = 0;

	if (test_hex(s, hx, sizeof(hx), &n) < 0)
		test_fail(__FILE__, __LINE__, "bad hex in test: %s", s);
	return n;
}

/* Read one element of hex input; return the error code. */
static int
read1(const char *hex, struct ber_tlv *t)
{
	struct ber_dec	 d;
	size_t		 n = H(hex);

	ber_dec_init(&d);
	return ber_read_one(&d, hx, n, t);
}

static void
t_lengths(void)
{
	struct ber_tlv	 t;

	CHECK_EQ_INT(read1("04 03 61 62 63", &t), BER_OK);
	CHECK(t.cls == BER_UNIV && t.tag == 4 && !t.cons && !t.indef);
	CHECK_EQ_INT(cur_len(&t.val), 3);
	CHECK_EQ_INT(t.hdrlen, 2);
	/* long form, and non-minimal long form (valid BER, 8.1.3.5 note 2) */
	CHECK_EQ_INT(read1("04 81 03 61 62 63", &t), BER_OK);
	CHECK_EQ_INT(cur_len(&t.val), 3);
	CHECK_EQ_INT(read1("04 84 00 00 00 03 61 62 63", &t), BER_OK);
	CHECK_EQ_INT(cur_len(&t.val), 3);
	CHECK_EQ_INT(t.hdrlen, 6);
	CHECK_EQ_INT(read1("04 00", &t), BER_OK);
	CHECK_EQ_INT(cur_len(&t.val), 0);
	/* malformed */
	CHECK_EQ_INT(read1("04 ff 01", &t), BER_EBADLEN);	/* 8.1.3.5 c */
	CHECK_EQ_INT(read1("04 89 00 00 00 00 00 00 00 00 01", &t),
	    BER_EBADLEN);
	CHECK_EQ_INT(read1("04 04 61 62 63", &t), BER_ETRUNC);
	CHECK_EQ_INT(read1("04 82 01", &t), BER_ETRUNC);
	CHECK_EQ_INT(read1("04", &t), BER_ETRUNC);
	CHECK_EQ_INT(read1("", &t), BER_ETRUNC);
	CHECK_EQ_INT(read1("04 01 61 00", &t), BER_ETRAIL);
	CHECK_EQ_INT(read1("04 80 61 00 00", &t), BER_EINDEF);
	/* an inner length past its parent */
	CHECK_EQ_INT(read1("30 04 04 05 61 62", &t), BER_OK);
	{
		struct ber_dec	 d;
		struct ber_tlv	 c;
		size_t		 n = H("30 04 04 05 61 62");

		ber_dec_init(&d);
		CHECK_EQ_INT(ber_read_one(&d, hx, n, &t), BER_OK);
		CHECK_EQ_INT(ber_read(&d, &t.val, &c), BER_ELEN);
		CHECK_EQ_INT(d.err, BER_ELEN);
		CHECK_EQ_INT(d.err_off, 2);
		CHECK_EQ_INT(cur_len(&t.val), 4);	/* did not move */
	}
}

static void
t_tags(void)
{
	struct ber_tlv	 t;

	CHECK_EQ_INT(read1("a3 00", &t), BER_OK);
	CHECK(t.cls == BER_CTX && t.cons && t.tag == 3);
	CHECK_EQ_INT(read1("5f 1f 00", &t), BER_OK);	/* [APPLICATION 31] */
	CHECK(t.cls == BER_APP && !t.cons && t.tag == 31);
	CHECK_EQ_INT(read1("9f 81 00 00", &t), BER_OK);	/* [128] */
	CHECK(t.cls == BER_CTX && t.tag == 128);
	CHECK_EQ_INT(read1("df ff ff ff 7f 00", &t), BER_OK);
	CHECK(t.cls == BER_PRIV && t.tag == 0xfffffff);
	CHECK_EQ_INT(read1("9f 80 01 00", &t), BER_ETAG);	/* 8.1.2.4.2 c */
	CHECK_EQ_INT(read1("9f 1e 00", &t), BER_ETAG);	/* 30 needs 1 octet */
	CHECK_EQ_INT(read1("9f 81 81 81 81 01 00", &t), BER_ETAG);
	CHECK_EQ_INT(read1("9f 81", &t), BER_ETRUNC);
	CHECK_EQ_INT(read1("00 00", &t), BER_EEOC);	/* EOC out of place */
}

static void
t_indefinite(void)
{
	struct ber_dec	 d;
	struct ber_tlv	 t, c;
	size_t		 n;

	CHECK_EQ_INT(read1("30 80 02 01 05 00 00", &t), BER_OK);
	CHECK(t.indef && cur_len(&t.val) == 3);
	CHECK_EQ_INT(read1("30 80 30 80 02 01 05 00 00 04 00 00 00", &t),
	    BER_OK);
	CHECK_EQ_INT(cur_len(&t.val), 9);
	n = H("30 80 30 80 02 01 05 00 00 04 00 00 00");
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, hx, n, &t), BER_OK);
	CHECK_EQ_INT(ber_read(&d, &t.val, &c), BER_OK);
	CHECK(c.indef && cur_len(&c.val) == 3 && c.off == 2);
	CHECK_EQ_INT(ber_read(&d, &t.val, &c), BER_OK);
	CHECK(c.tag == 4 && cur_len(&t.val) == 0);
	/* missing end-of-contents */
	CHECK_EQ_INT(read1("30 80 02 01 05", &t), BER_ETRUNC);
	CHECK_EQ_INT(read1("30 06 30 80 02 01 05 00", &t), BER_OK);
	n = H("30 07 30 80 02 01 05 00 01");
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, hx, n, &t), BER_OK);
	CHECK_EQ_INT(ber_read(&d, &t.val, &c), BER_EEOC);
	/* end-of-contents with a length */
	CHECK_EQ_INT(read1("30 80 02 01 05 00 01 00 00 00", &t), BER_EEOC);
}

static void
t_limits(void)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct cur	 c;
	uint8_t		*p;
	size_t		 i, n;

	/* 70 nested definite SEQUENCEs, limit 64: built inside out */
	p = calloc(400, 1);
	n = 0;
	for (i = 0; i < 70; i++) {
		size_t	 h = n < 128 ? 2 : 3;

		memmove(p + h, p, n);
		p[0] = 0x30;
		if (h == 2)
			p[1] = (uint8_t)n;
		else {
			p[1] = 0x81;
			p[2] = (uint8_t)n;
		}
		n += h;
	}
	ber_dec_init(&d);
	cur_init(&c, p, n);
	for (i = 0; i < 70 && ber_read(&d, &c, &t) == BER_OK; i++)
		c = t.val;
	CHECK_EQ_INT(d.err, BER_EDEPTH);
	CHECK_EQ_INT(i, 64);
	CHECK_EQ_INT(d.err_off, cur_offset(&c));
	CHECK(d.err_off > 128);
	free(p);
	/* 200 nested indefinite ones: refused while scanning */
	p = calloc(800, 1);
	for (i = 0; i < 200; i++) {
		p[2 * i] = 0x30;
		p[2 * i + 1] = 0x80;
	}
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, p, 800, &t), BER_EDEPTH);
	free(p);
	/* element count */
	n = 2 + 2 * 1000;
	p = calloc(n, 1);
	p[0] = 0x30;
	p[1] = 0x80;
	for (i = 0; i < 999; i++)
		p[2 + 2 * i] = 0x05;	/* NULL */
	ber_dec_init(&d);
	d.lim.max_tlvs = 500;
	CHECK_EQ_INT(ber_read_one(&d, p, n, &t), BER_ECOUNT);
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, p, n, &t), BER_OK);
	free(p);
	/* maximum length, checked before anything is read */
	n = H("04 84 7f ff ff ff 00");
	ber_dec_init(&d);
	d.lim.max_len = 1 << 20;
	CHECK_EQ_INT(ber_read_one(&d, hx, n, &t), BER_ETOOLONG);
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, hx, n, &t), BER_ETRUNC);
}

static void
t_expect(void)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct cur	 c;
	size_t		 n = H("02 01 05 a1 00");

	ber_dec_init(&d);
	cur_init(&c, hx, n);
	CHECK_EQ_INT(ber_expect(&d, &c, BER_UNIV, BER_OCTET_STRING, -1, &t),
	    BER_EUNEXP);
	CHECK_EQ_INT(cur_offset(&c), 0);	/* no side effect */
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_expect(&d, &c, BER_UNIV, BER_INTEGER, 1, &t),
	    BER_ECONS);
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_expect(&d, &c, BER_UNIV, BER_INTEGER, 0, &t), BER_OK);
	CHECK_EQ_INT(ber_expect(&d, &c, BER_CTX, 1, 1, &t), BER_OK);
	CHECK_EQ_INT(ber_expect(&d, &c, BER_CTX, 2, 1, &t), BER_EMISSING);
}

static void
t_constructed_strings(void)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct buf	 s;
	struct cur	 o;
	size_t		 n;

	buf_init(&s);
	/* 8.7.3.2: segments, nested, mixed definite and indefinite */
	n = H("24 80 04 02 61 62 24 03 04 01 63 24 80 04 01 64 00 00 00 00");
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, hx, n, &t), BER_OK);
	CHECK_EQ_INT(ber_octets(&d, &t, &s, &o), BER_OK);
	CHECK_EQ_MEM(cur_data(&o), cur_len(&o), "abcd", 4);
	/* a constructed PrintableString, checked after reassembly */
	n = H("33 08 04 02 41 42 04 02 43 44");
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, hx, n, &t), BER_OK);
	CHECK_EQ_INT(ber_get_string(&d, &t, BER_PRINTABLE_STRING, &s),
	    BER_OK);
	CHECK_EQ_STR((char *)s.p, "ABCD");
	/* a segment that is not an OCTET STRING */
	n = H("24 03 02 01 00");
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, hx, n, &t), BER_OK);
	CHECK_EQ_INT(ber_octets(&d, &t, &s, &o), BER_EUNEXP);
	buf_free(&s);
}

static void
t_integers(void)
{
	static const struct { const char *hex; int64_t v; } ok[] = {
		{ "02 01 00", 0 }, { "02 01 7f", 127 }, { "02 02 00 80", 128 },
		{ "02 01 80", -128 }, { "02 02 ff 7f", -129 },
		{ "02 02 01 00", 256 }, { "02 01 ff", -1 },
		{ "02 08 7f ff ff ff ff ff ff ff", INT64_MAX },
		{ "02 08 80 00 00 00 00 00 00 00", INT64_MIN },
		{ "0a 01 16", 22 },
	};
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct berw	 w;
	struct buf	 out;
	size_t		 i, n;
	int64_t		 v;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		n = H(ok[i].hex);
		ber_dec_init(&d);
		CHECK_EQ_INT(ber_read_one(&d, hx, n, &t), BER_OK);
		CHECK_EQ_INT(ber_get_int(&d, &t, &v), BER_OK);
		CHECK_EQ_INT(v, ok[i].v);
		berw_init(&w);
		buf_init(&out);
		berw_int(&w, BER_UNIV, t.tag, ok[i].v);
		CHECK_EQ_INT(berw_write_buf(&w, &out), BER_OK);
		CHECK_EQ_MEM(out.p, out.len, hx, n);	/* minimal form */
		berw_free(&w);
		buf_free(&out);
	}
	CHECK_EQ_INT(read1("02 00", &t), BER_OK);
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_get_int(&d, &t, &v), BER_EINT);
	CHECK_EQ_INT(read1("02 09 01 00 00 00 00 00 00 00 00", &t), BER_OK);
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_get_int(&d, &t, &v), BER_EINT);
	CHECK_EQ_INT(read1("22 03 02 01 00", &t), BER_OK);
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_get_int(&d, &t, &v), BER_ECONS);
}

static void
t_booleans_null(void)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	int		 b;

	ber_dec_init(&d);
	CHECK(read1("01 01 ff", &t) == 0 && ber_get_bool(&d, &t, &b) == 0 && b);
	CHECK(read1("01 01 01", &t) == 0 && ber_get_bool(&d, &t, &b) == 0 && b);
	CHECK(read1("01 01 00", &t) == 0 && ber_get_bool(&d, &t, &b) == 0 && !b);
	CHECK(read1("01 02 00 00", &t) == 0 &&
	    ber_get_bool(&d, &t, &b) == BER_EBOOL);
	ber_dec_init(&d);
	CHECK(read1("05 00", &t) == 0 && ber_get_null(&d, &t) == 0);
	CHECK(read1("05 01 00", &t) == 0 && ber_get_null(&d, &t) == BER_EVALUE);
}

static void
t_bits(void)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct berw	 w;
	struct buf	 out;
	uint64_t	 bits;
	unsigned	 nb;
	size_t		 n;

	ber_dec_init(&d);
	CHECK(read1("03 02 07 80", &t) == 0);
	CHECK(ber_get_bits(&d, &t, &bits, &nb) == 0 && bits == 1 && nb == 1);
	/* X.690 8.6.4.2 example: '0A3B5F291CD'H -> 04 0A 3B 5F 29 1C D0 */
	CHECK(read1("03 07 04 0a 3b 5f 29 1c d0", &t) == 0);
	CHECK(ber_get_bits(&d, &t, &bits, &nb) == 0 && nb == 44);
	CHECK(bits & ((uint64_t)1 << 4));	/* 0x0a = 0000 1010 */
	CHECK(!(bits & ((uint64_t)1 << 5)) && (bits & ((uint64_t)1 << 6)));
	CHECK(read1("03 01 00", &t) == 0);
	CHECK(ber_get_bits(&d, &t, &bits, &nb) == 0 && bits == 0 && nb == 0);
	/* constructed: 8.6.4.2 note, segments */
	CHECK(read1("23 80 03 02 00 0a 03 02 04 b0 00 00", &t) == 0);
	CHECK(ber_get_bits(&d, &t, &bits, &nb) == 0 && nb == 12);
	CHECK_EQ_INT(bits, (1 << 4) | (1 << 6) | (1 << 8) | (1 << 10) |
	    (1 << 11));
	CHECK(read1("03 01 01", &t) == 0);
	CHECK_EQ_INT(ber_get_bits(&d, &t, &bits, &nb), BER_EBITS);
	ber_dec_init(&d);
	CHECK(read1("03 02 08 00", &t) == 0);
	CHECK_EQ_INT(ber_get_bits(&d, &t, &bits, &nb), BER_EBITS);
	ber_dec_init(&d);
	CHECK(read1("03 00", &t) == 0);
	CHECK_EQ_INT(ber_get_bits(&d, &t, &bits, &nb), BER_EBITS);
	/* writer: named bits 1, 2, 4 -> '01101'B -> 03 02 03 68 */
	berw_init(&w);
	buf_init(&out);
	berw_bits(&w, BER_UNIV, BER_BIT_STRING, 0x16, 0);
	berw_bits(&w, BER_UNIV, BER_BIT_STRING, 0, 0);
	/* P1 PerRecipientIndicators need at least 8 bits */
	berw_bits(&w, BER_CTX, 1, 0x01, 8);
	berw_bits(&w, BER_CTX, 1, 0x1f, 16);
	CHECK_EQ_INT(berw_write_buf(&w, &out), BER_OK);
	n = H("03 02 03 68  03 01 00  81 02 00 80  81 03 00 f8 00");
	CHECK_EQ_MEM(out.p, out.len, hx, n);
	berw_free(&w);
	buf_free(&out);
}

static void
t_oids(void)
{
	static const struct { const char *text, *hex; } ok[] = {
		{ "1.2.840.113549", "2a 86 48 86 f7 0d" },
		{ "2.6.1.4.11", "56 01 04 0b" },	/* id-et general-text */
		{ "2.6.7.10.0", "56 07 0a 00" },	/* PEDI content */
		{ "1.2.840.113549.1.9.16.3.8",
		    "2a 86 48 86 f7 0d 01 09 10 03 08" },
		{ "2.999.3", "88 37 03" },		/* X.690 8.19.5 */
		{ "0.0", "00" },
		{ "1.0.8571.5.3", "28 c2 7b 05 03" },
	};
	static const char *const bad_text[] = { "1", "3.1", "1.40", "1..2",
	    "01.2", "1.2.", "", "1.2a", "1.99999999999999999999999" };
	struct ber_dec	 d;
	struct ber_tlv	 t;
	char		 txt[256], hex[300];
	uint8_t		 o[64];
	size_t		 i, n, on;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		n = H(ok[i].hex);
		CHECK_EQ_INT(ber_oid_to_text(hx, n, txt, sizeof(txt)), BER_OK);
		CHECK_EQ_STR(txt, ok[i].text);
		CHECK_EQ_INT(ber_oid_from_text(ok[i].text, o, sizeof(o), &on),
		    BER_OK);
		CHECK_EQ_MEM(o, on, hx, n);
	}
	for (i = 0; i < sizeof(bad_text) / sizeof(bad_text[0]); i++)
		CHECK_EQ_INT(ber_oid_from_text(bad_text[i], o, sizeof(o), &on),
		    BER_EOID);
	CHECK_EQ_INT(ber_oid_to_text(hx, 0, txt, sizeof(txt)), BER_EOID);
	n = H("2a 86");			/* last subidentifier unfinished */
	CHECK_EQ_INT(ber_oid_to_text(hx, n, txt, sizeof(txt)), BER_EOID);
	n = H("2a 80 01");		/* leading 0x80, 8.19.2 */
	CHECK_EQ_INT(ber_oid_to_text(hx, n, txt, sizeof(txt)), BER_EOID);
	n = H("2a ff ff ff ff ff ff ff ff ff ff 7f");	/* > 64 bits */
	CHECK_EQ_INT(ber_oid_to_text(hx, n, txt, sizeof(txt)), BER_EOID);
	snprintf(hex, sizeof(hex), "06 06 2a 86 48 86 f7 0d");
	ber_dec_init(&d);
	CHECK(read1(hex, &t) == 0);
	CHECK_EQ_INT(ber_get_oid(&d, &t, txt, 5), BER_ESIZE);
}

static void
t_strings(void)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct buf	 s;
	struct berw	 w;

	buf_init(&s);
	CHECK(ber_chars_ok(BER_PRINTABLE_STRING, "Acme Ltd. (x) +,-/:=?'", 22));
	CHECK(!ber_chars_ok(BER_PRINTABLE_STRING, "a@b", 3));
	CHECK(!ber_chars_ok(BER_PRINTABLE_STRING, "a_b", 3));
	CHECK(!ber_chars_ok(BER_PRINTABLE_STRING, "a*b", 3));
	CHECK(!ber_chars_ok(BER_PRINTABLE_STRING, "a\0b", 3));
	CHECK(ber_chars_ok(BER_NUMERIC_STRING, "0123 9", 6));
	CHECK(!ber_chars_ok(BER_NUMERIC_STRING, "12a", 3));
	CHECK(ber_chars_ok(BER_IA5_STRING, "a@b~\x7f", 5));
	CHECK(!ber_chars_ok(BER_IA5_STRING, "\xe9", 1));
	CHECK(ber_chars_ok(BER_TELETEX_STRING, "\xe9\xff", 2));
	CHECK(ber_chars_ok(BER_UTF8_STRING, "\xc3\xa9", 2));
	CHECK(!ber_chars_ok(BER_UTF8_STRING, "\xc3", 1));
	CHECK(!ber_chars_ok(BER_UTF8_STRING, "\xc0\x80", 2));	/* overlong */
	CHECK(!ber_chars_ok(BER_UTF8_STRING, "\xed\xa0\x80", 3)); /* surrogate */
	ber_dec_init(&d);
	CHECK(read1("13 03 61 40 62", &t) == 0);
	CHECK_EQ_INT(ber_get_string(&d, &t, BER_PRINTABLE_STRING, &s),
	    BER_ECHARS);
	CHECK_EQ_INT(d.err_off, 0);
	berw_init(&w);
	CHECK_EQ_INT(berw_string(&w, BER_UNIV, BER_PRINTABLE_STRING,
	    BER_PRINTABLE_STRING, "a_b", 3),
	    BER_ECHARS);
	CHECK_EQ_INT(berw_error(&w), BER_ECHARS);
	berw_free(&w);
	buf_free(&s);
}

static void
t_times(void)
{
	static const struct { int type; const char *s; time_t t; } ok[] = {
		{ BER_UTC_TIME, "9912312359Z", 946684740 },
		{ BER_UTC_TIME, "991231235959Z", 946684799 },
		{ BER_UTC_TIME, "000229000000Z", 951782400 },	/* leap */
		{ BER_UTC_TIME, "0001010100+0100", 946684800 },
		{ BER_UTC_TIME, "4912312359-0000", 2524607940 },
		{ BER_UTC_TIME, "500101000000Z", -631152000 },
		{ BER_GENERALIZED_TIME, "20240229120000Z", 1709208000 },
		{ BER_GENERALIZED_TIME, "20240229120000.123Z", 1709208000 },
		{ BER_GENERALIZED_TIME, "2024022912Z", 1709208000 },
		{ BER_GENERALIZED_TIME, "20240229120000", 1709208000 },
		{ BER_GENERALIZED_TIME, "202402291300+0100", 1709208000 },
	};
	static const struct { int type; const char *s; } bad[] = {
		{ BER_UTC_TIME, "9913312359Z" },	/* month 13 */
		{ BER_UTC_TIME, "990231235959Z" },	/* 31 February */
		{ BER_UTC_TIME, "010229000000Z" },	/* not a leap year */
		{ BER_UTC_TIME, "9912312359" },		/* no zone */
		{ BER_UTC_TIME, "991231245959Z" },	/* hour 24 */
		{ BER_UTC_TIME, "9912312359Zx" },
		{ BER_UTC_TIME, "99123123" },
		{ BER_UTC_TIME, "9912312359+01" },
		{ BER_GENERALIZED_TIME, "21000229000000Z" },
		{ BER_GENERALIZED_TIME, "20240229120000.Z" },
		{ BER_GENERALIZED_TIME, "2024-02-29" },
	};
	struct berw	 w;
	struct buf	 out;
	time_t		 t;
	size_t		 i, n;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_EQ_INT(ber_parse_time(ok[i].type, ok[i].s,
		    strlen(ok[i].s), &t), BER_OK);
		CHECK_EQ_INT(t, ok[i].t);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ_INT(ber_parse_time(bad[i].type, bad[i].s,
		    strlen(bad[i].s), &t), BER_ETIME);
	berw_init(&w);
	buf_init(&out);
	berw_time(&w, BER_UNIV, BER_UTC_TIME, BER_UTC_TIME, 946684799);
	berw_time(&w, BER_CTX, 0, BER_GENERALIZED_TIME, 1709208000);
	CHECK_EQ_INT(berw_write_buf(&w, &out), BER_OK);
	n = H("17 0d 39 39 31 32 33 31 32 33 35 39 35 39 5a "
	    "80 0f 32 30 32 34 30 32 32 39 31 32 30 30 30 30 5a");
	CHECK_EQ_MEM(out.p, out.len, hx, n);
	berw_free(&w);
	buf_free(&out);
}

static void
t_writer(void)
{
	struct berw	 w;
	struct buf	 out;
	uint8_t		 big[200];
	size_t		 n;

	memset(big, 'x', sizeof(big));
	berw_init(&w);
	buf_init(&out);
	berw_open(&w, BER_APP, 0);			/* 60 */
	berw_open(&w, BER_UNIV, BER_SEQUENCE);
	berw_string(&w, BER_APP, 1, BER_PRINTABLE_STRING, "GB", 2);
	berw_close(&w);
	berw_close(&w);
	berw_open(&w, BER_CTX, 200);			/* bf 81 48 */
	berw_prim(&w, BER_UNIV, BER_OCTET_STRING, big, sizeof(big));
	berw_close(&w);
	CHECK_EQ_INT(berw_size(&w), 8 + 5 + 3 + 200);
	CHECK_EQ_INT(berw_write_buf(&w, &out), BER_OK);
	n = H("60 06 30 04 41 02 47 42 bf 81 48 81 cb 04 81 c8");
	CHECK_EQ_INT(out.len, n + 200);
	CHECK_EQ_MEM(out.p, n, hx, n);
	berw_free(&w);
	buf_free(&out);
	/* misuse */
	berw_init(&w);
	CHECK_EQ_INT(berw_close(&w), BER_EWRITER);
	berw_free(&w);
	berw_init(&w);
	berw_open(&w, BER_UNIV, BER_SEQUENCE);
	buf_init(&out);
	CHECK_EQ_INT(berw_write_buf(&w, &out), BER_EWRITER);
	berw_free(&w);
	buf_free(&out);
	berw_init(&w);
	for (n = 0; n < BERW_MAXDEPTH; n++)
		berw_open(&w, BER_UNIV, BER_SEQUENCE);
	CHECK_EQ_INT(berw_open(&w, BER_UNIV, BER_SEQUENCE), BER_EWRITER);
	berw_free(&w);
}

/* A content streamed from a file descriptor is never held in memory. */
static void
t_stream_fd(void)
{
	char		 path[4200], opath[4200];
	struct berw	 w;
	struct ber_dec	 d;
	struct ber_tlv	 t, env, content;
	struct cur	 c;
	uint8_t		*p, *q, *data;
	size_t		 n, qn, i, len = 300000;
	int		 fd, ofd;

	snprintf(path, sizeof(path), "%s/content", test_dir());
	snprintf(opath, sizeof(opath), "%s/out.p1", test_dir());
	data = malloc(len);
	for (i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, "HEAD", 4) == 4 &&
	    write(fd, data, len) == (ssize_t)len);
	berw_init(&w);
	berw_open(&w, BER_CTX, 0);
	berw_open(&w, BER_UNIV, BER_SET);
	berw_int(&w, BER_APP, 7, 0);
	berw_close(&w);
	berw_prim_fd(&w, BER_UNIV, BER_OCTET_STRING, fd, 4, len);
	berw_close(&w);
	CHECK(w.b.len < 100);				/* content not copied */
	CHECK_EQ_INT(berw_size(&w), 5 + 5 + 5 + len);
	ofd = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK_EQ_INT(berw_write_fd(&w, ofd), BER_OK);
	close(ofd);
	CHECK(test_read_file(opath, &p, &n) == 0);
	CHECK_EQ_INT(n, 5 + 5 + 5 + len);
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, p, n, &t), BER_OK);
	c = t.val;
	CHECK_EQ_INT(ber_expect(&d, &c, BER_UNIV, BER_SET, 1, &env), BER_OK);
	CHECK_EQ_INT(ber_expect(&d, &c, BER_UNIV, BER_OCTET_STRING, 0,
	    &content), BER_OK);
	CHECK_EQ_MEM(cur_data(&content.val), cur_len(&content.val), data, len);
	/* where the kernel cannot copy (O_APPEND), read and write do it */
	ofd = open(opath, O_WRONLY | O_TRUNC | O_APPEND);
	CHECK_EQ_INT(berw_write_fd(&w, ofd), BER_OK);
	close(ofd);
	CHECK(test_read_file(opath, &q, &qn) == 0);
	CHECK_EQ_MEM(q, qn, p, n);
	free(q);
	free(p);
	berw_free(&w);
	/* the file shrank between planning and writing: an error, not junk */
	CHECK(ftruncate(fd, 1000) == 0);
	berw_init(&w);
	berw_prim_fd(&w, BER_UNIV, BER_OCTET_STRING, fd, 4, len);
	ofd = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK_EQ_INT(berw_write_fd(&w, ofd), BER_EIO);
	close(ofd);
	close(fd);
	berw_free(&w);
	free(data);
}

/* A finished encoding with a file range inside becomes a content. */
static void
t_nested_stream(void)
{
	char		 path[4200];
	struct berw	 in, out;
	struct buf	 b;
	struct ber_dec	 d;
	struct ber_tlv	 t, c, s;
	struct cur	 v;
	uint8_t		 data[1000];
	size_t		 i;
	int		 fd;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	snprintf(path, sizeof(path), "%s/body", test_dir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, data, sizeof(data)) == sizeof(data));
	berw_init(&in);				/* a P22-like content */
	berw_open(&in, BER_CTX, 0);
	berw_int(&in, BER_UNIV, BER_INTEGER, 5);
	berw_prim_fd(&in, BER_CTX, 14, fd, 0, sizeof(data));
	berw_close(&in);
	berw_init(&out);			/* a P1-like message */
	berw_open(&out, BER_CTX, 0);
	berw_null(&out, BER_UNIV, BER_NULL);
	CHECK_EQ_INT(berw_prim_berw(&out, BER_UNIV, BER_OCTET_STRING, &in),
	    BER_OK);
	berw_close(&out);
	CHECK(out.b.len < 64);
	buf_init(&b);
	CHECK_EQ_INT(berw_write_buf(&out, &b), BER_OK);
	CHECK_EQ_INT(b.len, berw_size(&out));
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, b.p, b.len, &t), BER_OK);
	v = t.val;
	CHECK_EQ_INT(ber_expect(&d, &v, BER_UNIV, BER_NULL, 0, &c), BER_OK);
	CHECK_EQ_INT(ber_expect(&d, &v, BER_UNIV, BER_OCTET_STRING, 0, &c),
	    BER_OK);
	CHECK_EQ_INT(cur_len(&c.val), berw_size(&in));
	CHECK_EQ_INT(ber_read_one(&d, cur_data(&c.val), cur_len(&c.val), &s),
	    BER_OK);
	v = s.val;
	CHECK_EQ_INT(ber_expect(&d, &v, BER_UNIV, BER_INTEGER, 0, &c), BER_OK);
	CHECK_EQ_INT(ber_expect(&d, &v, BER_CTX, 14, 0, &c), BER_OK);
	CHECK_EQ_MEM(cur_data(&c.val), cur_len(&c.val), data, sizeof(data));
	/* an unfinished inner encoding is refused */
	berw_open(&in, BER_UNIV, BER_SEQUENCE);
	CHECK_EQ_INT(berw_prim_berw(&out, BER_UNIV, BER_OCTET_STRING, &in),
	    BER_EWRITER);
	berw_free(&in);
	berw_free(&out);
	buf_free(&b);
	close(fd);
}

/* A made content: "n" copies of one octet, or a short or failing one. */
struct gen_arg {
	size_t	 n;		/* octets made */
	int	 fail;		/* errno to fail with, or 0 */
};

static int
gen_write(void *arg, int fd, struct buf *out, uint64_t *w)
{
	const struct gen_arg *g = arg;
	uint8_t	 b[300];
	size_t	 k, i;

	*w = 0;
	if (g->fail != 0) {
		errno = g->fail;
		return -1;
	}
	for (i = 0; i < g->n; i += k) {
		k = g->n - i < sizeof(b) ? g->n - i : sizeof(b);
		memset(b, 'g', k);
		if (out != NULL ? !buf_add(out, b, k) :
		    write(fd, b, k) != (ssize_t)k)
			return -1;
		*w += k;
	}
	return 0;
}

/*
 * berw_prim_gen(): the same octets as berw_prim() of the made content,
 * to a file and to a buffer, inside another encoding too; content of
 * another length than promised is BER_EWRITER, a failed one BER_EIO.
 */
static void
t_gen(void)
{
	char		 path[4200];
	struct gen_arg	 g = { 1000, 0 };
	struct ber_gen	 gen = { gen_write, &g };
	struct ber_data	 dd;
	struct berw	 w, want, out;
	struct buf	 b, wb;
	uint8_t		 mem[1000], *p;
	size_t		 n;
	int		 fd;

	memset(mem, 'g', sizeof(mem));
	berw_init(&want);
	berw_open(&want, BER_CTX, 0);
	berw_prim(&want, BER_UNIV, BER_OCTET_STRING, mem, sizeof(mem));
	berw_close(&want);
	buf_init(&wb);
	CHECK_EQ_INT(berw_write_buf(&want, &wb), BER_OK);
	memset(&dd, 0, sizeof(dd));
	dd.use_fd = 1;
	dd.fd = -1;
	dd.fdlen = sizeof(mem);
	dd.gen = &gen;
	berw_init(&w);
	berw_open(&w, BER_CTX, 0);
	CHECK_EQ_INT(berw_prim_data(&w, BER_UNIV, BER_OCTET_STRING, &dd),
	    BER_OK);
	berw_close(&w);
	CHECK(w.b.len < 16);				/* nothing made yet */
	CHECK_EQ_INT(berw_size(&w), wb.len);
	buf_init(&b);
	CHECK_EQ_INT(berw_write_buf(&w, &b), BER_OK);
	CHECK_EQ_MEM(b.p, b.len, wb.p, wb.len);
	snprintf(path, sizeof(path), "%s/gen", test_dir());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK_EQ_INT(berw_write_fd(&w, fd), BER_OK);
	close(fd);
	CHECK(test_read_file(path, &p, &n) == 0);
	CHECK_EQ_MEM(p, n, wb.p, wb.len);
	free(p);
	/* inside a P1-like message, the made content is carried over */
	berw_init(&out);
	CHECK_EQ_INT(berw_prim_berw(&out, BER_UNIV, BER_OCTET_STRING, &w),
	    BER_OK);
	buf_reset(&b);
	CHECK_EQ_INT(berw_write_buf(&out, &b), BER_OK);
	CHECK_EQ_INT(b.len, berw_size(&out));
	CHECK(b.len > wb.len && memcmp(b.p + b.len - wb.len, wb.p, wb.len)
	    == 0);
	berw_free(&out);
	/* made shorter or longer than its length: refused, not written */
	g.n = 999;
	buf_reset(&b);
	CHECK_EQ_INT(berw_write_buf(&w, &b), BER_EWRITER);
	berw_free(&w);
	berw_init(&w);
	g.n = 1001;
	berw_prim_gen(&w, BER_UNIV, BER_OCTET_STRING, &gen, 1000);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK_EQ_INT(berw_write_fd(&w, fd), BER_EWRITER);
	close(fd);
	berw_free(&w);
	/* a failure while making it is an I/O error with its errno */
	berw_init(&w);
	g.fail = ENOSPC;
	berw_prim_gen(&w, BER_UNIV, BER_OCTET_STRING, &gen, 1000);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK_EQ_INT(berw_write_fd(&w, fd), BER_EIO);
	CHECK_EQ_INT(w.err_errno, ENOSPC);
	close(fd);
	berw_free(&w);
	berw_free(&want);
	buf_free(&b);
	buf_free(&wb);
}

static void
t_normalize(void)
{
	struct ber_dec	 d;
	struct berw	 w;
	struct buf	 out;
	struct cur	 c;
	size_t		 n, m;
	uint8_t		 want[64];

	n = H("30 80 24 80 04 01 61 04 01 62 00 00 a1 80 02 81 01 05 00 00 "
	    "00 00");
	ber_dec_init(&d);
	berw_init(&w);
	buf_init(&out);
	cur_init(&c, hx, n);
	CHECK_EQ_INT(ber_normalize(&d, &c, &w), BER_OK);
	CHECK_EQ_INT(berw_write_buf(&w, &out), BER_OK);
	test_hex("30 09 04 02 61 62 a1 03 02 01 05", want, sizeof(want), &m);
	CHECK_EQ_MEM(out.p, out.len, want, m);
	berw_free(&w);
	buf_free(&out);
}

static void
read_fixture(const char *name, uint8_t **p, size_t *n)
{
	char	 path[4096];

	snprintf(path, sizeof(path), "%s/fixtures/x400/%s", test_shared(),
	    name);
	if (test_read_file(path, p, n) < 0)
		test_fail(__FILE__, __LINE__, "cannot read %s", path);
}

/* Walk every element; return the decoder's error. */
static int
walk(struct ber_dec *d, struct cur c, size_t *count)
{
	struct ber_tlv	 t;

	while (cur_len(&c) > 0) {
		if (ber_read(d, &c, &t) != BER_OK)
			return d->err;
		(*count)++;
		if (t.cons && walk(d, t.val, count) != BER_OK)
			return d->err;
	}
	return BER_OK;
}

static void
t_fixtures(void)
{
	static const char *const valid[] = { "msg.p1", "msg_indef_all.p1",
	    "msg_rn.p1", "dr.p1", "ndr.p1", "probe.p1", "rn.p22", "nrn.p22",
	    "ftbp.p22", "edim.p35", "edin_pn.p35", "bad_tag.p1" };
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct berw	 w;
	struct buf	 a, b;
	struct cur	 c;
	uint8_t		*p, *q;
	size_t		 i, n, m, count;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		read_fixture(valid[i], &p, &n);
		ber_dec_init(&d);
		count = 0;
		CHECK_EQ_INT(ber_read_one(&d, p, n, &t), BER_OK);
		cur_init(&c, p, n);
		CHECK_EQ_INT(walk(&d, c, &count), BER_OK);
		CHECK(count > 10);
		free(p);
	}
	/* bad_len: an inner length overruns its parent */
	read_fixture("bad_len.p1", &p, &n);
	ber_dec_init(&d);
	count = 0;
	cur_init(&c, p, n);
	CHECK_EQ_INT(walk(&d, c, &count), BER_ELEN);
	CHECK(d.err_off > 0 && d.err_off < n);
	free(p);
	read_fixture("trail.p1", &p, &n);
	ber_dec_init(&d);
	CHECK_EQ_INT(ber_read_one(&d, p, n, &t), BER_ETRAIL);
	CHECK_EQ_INT(d.err_off, n - 1);
	free(p);
	/* the indefinite-length copy normalises to the definite one */
	read_fixture("msg.p1", &p, &n);
	read_fixture("msg_indef_all.p1", &q, &m);
	buf_init(&a);
	buf_init(&b);
	ber_dec_init(&d);
	berw_init(&w);
	cur_init(&c, p, n);
	CHECK_EQ_INT(ber_normalize(&d, &c, &w), BER_OK);
	CHECK_EQ_INT(berw_write_buf(&w, &a), BER_OK);
	berw_free(&w);
	ber_dec_init(&d);
	berw_init(&w);
	cur_init(&c, q, m);
	CHECK_EQ_INT(ber_normalize(&d, &c, &w), BER_OK);
	CHECK_EQ_INT(berw_write_buf(&w, &b), BER_OK);
	berw_free(&w);
	CHECK_EQ_MEM(a.p, a.len, b.p, b.len);
	CHECK_EQ_MEM(a.p, a.len, p, n);		/* msg.p1 is minimal */
	buf_free(&a);
	buf_free(&b);
	free(q);
	free(p);
}

/* Every truncation of a valid PDU is an error, never a crash. */
static void
t_truncations(void)
{
	static const char *const files[] = { "msg.p1", "msg_indef_all.p1" };
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct cur	 c;
	uint8_t		*p, *q;
	size_t		 i, k, n, count, errors;

	for (i = 0; i < 2; i++) {
		read_fixture(files[i], &p, &n);
		errors = 0;
		for (k = 0; k < n; k++) {
			q = malloc(k ? k : 1);
			memcpy(q, p, k);
			ber_dec_init(&d);
			if (ber_read_one(&d, q, k, &t) != BER_OK)
				errors++;
			ber_dec_init(&d);
			cur_init(&c, q, k);
			count = 0;
			(void)walk(&d, c, &count);
			free(q);
		}
		CHECK_EQ_INT(errors, n);
		free(p);
	}
}

/*
 * The streaming reader (asn1/ber_stream.h): its headers follow the same
 * rules as ber_read() (one decoder, ber_hdr_decode), from memory and fd.
 */

/* The first header of hex input, from memory; the code. */
static int
hdr1(const char *hex, struct ber_stlv *t)
{
	struct ber_stream s;
	char	 err[256];
	size_t	 n = H(hex);

	ber_stream_init_mem(&s, hx, n, "test", err, sizeof(err));
	return ber_stream_hdr(&s, NULL, t);
}

/*
 * X.690 8.1.2.2: tag numbers 0 to 30 have the one-octet form, so the
 * high-tag-number form (8.1.2.4) carries 31 or more; 8.1.2.4.2 c: bits
 * 7 to 1 of the first subsequent octet shall not all be zero. The
 * stream reader (asn1/ber_stream.h, then in oftp/cms.c) accepted "1f 1e"
 * (tag 30 in the high form) before both used ber_hdr_decode().
 */
static void
t_stream_high_tag(void)
{
	struct ber_stlv	 t;
	struct ber_tlv	 bt;

	CHECK_EQ_INT(hdr1("1f 1e 00", &t), BER_ETAG);
	CHECK_EQ_INT(read1("1f 1e 00", &bt), BER_ETAG);
	CHECK_EQ_INT(hdr1("1f 00 00", &t), BER_ETAG);
	CHECK_EQ_INT(hdr1("bf 01 80 00 00", &t), BER_ETAG);
	CHECK_EQ_INT(hdr1("1f 80 1f 00", &t), BER_ETAG);
	CHECK_EQ_INT(read1("1f 80 1f 00", &bt), BER_ETAG);
	CHECK_EQ_INT(hdr1("1f 1f 00", &t), BER_OK);
	CHECK(t.cls == BER_UNIV && t.tag == 31 && !t.cons);
	CHECK_EQ_INT(t.hdrlen, 3);
	CHECK_EQ_INT(hdr1("7f 81 00 00", &t), BER_OK);
	CHECK(t.cls == BER_APP && t.tag == 128 && t.cons);
	CHECK_EQ_INT(read1("7f 81 00 00", &bt), BER_OK);
	/* more than four subsequent octets: above our 28 bits */
	CHECK_EQ_INT(hdr1("1f 81 81 81 81 01 00", &t), BER_ETAG);
	CHECK_EQ_INT(read1("1f 81 81 81 81 01 00", &bt), BER_ETAG);
}

static void
t_stream_lengths(void)
{
	struct ber_stlv	 t;

	CHECK_EQ_INT(hdr1("04 84 00 00 00 03 61 62 63", &t), BER_OK);
	CHECK_EQ_INT(t.len, 3);
	CHECK_EQ_INT(t.end, 9);
	CHECK_EQ_INT(t.hdrlen, 6);
	CHECK_EQ_INT(hdr1("04 ff 01", &t), BER_EBADLEN);
	CHECK_EQ_INT(hdr1("04 89 00 00 00 00 00 00 00 00 01", &t),
	    BER_EBADLEN);
	CHECK_EQ_INT(hdr1("04 80", &t), BER_EINDEF);
	CHECK_EQ_INT(hdr1("04 82 01", &t), BER_ETRUNC);
	CHECK_EQ_INT(hdr1("1f", &t), BER_ETRUNC);
	CHECK_EQ_INT(hdr1("", &t), BER_ETRUNC);
	CHECK_EQ_INT(hdr1("00 00", &t), BER_EEOC);
	CHECK_EQ_INT(hdr1("04 88 80 00 00 00 00 00 00 00", &t),
	    BER_ETOOLONG);
}

static int
collect(void *arg, const uint8_t *p, size_t n)
{
	return buf_add(arg, p, n) ? 0 : -1;
}

/* A nested indefinite structure from an fd: elem, octets, close, eof. */
static void
t_stream_reader_fd(void)
{
	struct ber_stream s;
	struct ber_stlv	 seq, a, b;
	struct buf	 out;
	char		 err[256], path[] = "/tmp/t_ber_stream.XXXXXX";
	size_t		 n;
	int		 fd, more;

	n = H("30 80 31 80 02 01 05 00 00 24 80 04 02 61 62 04 01 63 00 00 "
	    "00 00");
	CHECK((fd = mkstemp(path)) >= 0);
	unlink(path);
	CHECK(write(fd, hx, n) == (ssize_t)n);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	buf_init(&out);
	CHECK_EQ_INT(ber_stream_init_fd(&s, fd, "test", err, sizeof(err)),
	    BER_OK);
	CHECK_EQ_INT(ber_stream_expect(&s, NULL, BER_UNIV, BER_SEQUENCE, 1,
	    &seq, "SEQUENCE"), BER_OK);
	CHECK(seq.indef);
	CHECK_EQ_INT(ber_stream_hdr(&s, &seq, &a), BER_OK);
	CHECK_EQ_INT(ber_stream_elem(&s, &a, &out, 100), BER_OK);
	CHECK_EQ_MEM(out.p, out.len, hx + 2, 7);
	buf_reset(&out);
	CHECK_EQ_INT(ber_stream_hdr(&s, &seq, &b), BER_OK);
	CHECK_EQ_INT(ber_stream_octets(&s, &b, collect, &out), BER_OK);
	CHECK_EQ_MEM(out.p, out.len, "abc", 3);
	CHECK_EQ_INT(ber_stream_more(&s, &seq, &more), BER_OK);
	CHECK(!more);
	CHECK_EQ_INT(ber_stream_close(&s, &seq), BER_OK);
	CHECK_EQ_INT(ber_stream_eof(&s), BER_OK);
	CHECK_EQ_INT(s.off, n);
	ber_stream_free(&s);
	buf_free(&out);
	close(fd);
}

/* A child longer than its parent; an element above the caller's limit. */
static void
t_stream_bounds(void)
{
	struct ber_stream s;
	struct ber_stlv	 seq, a;
	struct buf	 out;
	char		 err[256];
	size_t		 n;

	n = H("30 03 04 05 61 62 63");
	ber_stream_init_mem(&s, hx, n, "test", err, sizeof(err));
	CHECK_EQ_INT(ber_stream_hdr(&s, NULL, &seq), BER_OK);
	CHECK_EQ_INT(ber_stream_hdr(&s, &seq, &a), BER_ELEN);
	CHECK(strstr(err, "test: offset 2:") != NULL);
	n = H("30 80 04 03 61 62 63 00 00");
	buf_init(&out);
	ber_stream_init_mem(&s, hx, n, "test", err, sizeof(err));
	CHECK_EQ_INT(ber_stream_hdr(&s, NULL, &seq), BER_OK);
	CHECK_EQ_INT(ber_stream_elem(&s, &seq, &out, 4), BER_ETOOLONG);
	buf_free(&out);
}

int
main(void)
{
	TEST(t_lengths);
	TEST(t_tags);
	TEST(t_indefinite);
	TEST(t_limits);
	TEST(t_expect);
	TEST(t_constructed_strings);
	TEST(t_integers);
	TEST(t_booleans_null);
	TEST(t_bits);
	TEST(t_oids);
	TEST(t_strings);
	TEST(t_times);
	TEST(t_writer);
	TEST(t_stream_fd);
	TEST(t_nested_stream);
	TEST(t_gen);
	TEST(t_normalize);
	TEST(t_fixtures);
	TEST(t_truncations);
	TEST(t_stream_high_tag);
	TEST(t_stream_lengths);
	TEST(t_stream_reader_fd);
	TEST(t_stream_bounds);
	return test_done();
}
