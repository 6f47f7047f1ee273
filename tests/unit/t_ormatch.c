/*
 * NAME
 *	t_ormatch - unit tests for lib/x400/ormatch (O/R name matching)
 * DESCRIPTION
 *	One test per rule of X.402 (1988) 18.4 as the NIST OIW agreements
 *	Part 8 Annex B.1 adopt it (../shared/seeds/001_2c98374275ef77fa.txt,
 *	a text of one line: B.1 starts at byte 79111, rule a) at 79744,
 *	rule b) at 79952, the repertoire 102 sentence at 80276): case,
 *	spaces at the ends, repeated spaces, numeric vs printable ADMD and
 *	PRMD (B.1 a), teletex vs printable (B.1 b) for each teletex
 *	extension attribute, teletex octets outside the printable set as a
 *	mismatch; the ADMD of zero length vs a single space (RFC 2156 4.3.5
 *	Mapping B step 1, rfc2156.txt:3148-3153); ODETTE IDs compared
 *	upper-cased (odette_id_eq, odette_from_or); malformed teletex
 *	extension attributes, which are compared as octets, never read
 *	past. Teletex values are built as BER and go through orname_encode()
 *	and orname_decode(), so each address is one the decoder accepts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "asn1/ber.h"
#include "oftp/odette.h"
#include "x400/orname.h"
#include "x400/ormatch.h"

/* Append ExtensionAttribute { type [0], value [1] { val } } to or. */
static void
add_ext(struct orname *or, int type, const char *hex)
{
	uint8_t		 v[512];
	size_t		 n;
	struct berw	 w;
	struct buf	 b;

	if (test_hex(hex, v, sizeof(v), &n) != 0) {
		test_fail(__FILE__, __LINE__, "bad hex %s", hex);
		return;
	}
	berw_init(&w);
	buf_init(&b);
	berw_open(&w, BER_UNIV, BER_SEQUENCE);
	berw_int(&w, BER_CTX, 0, type);
	berw_open(&w, BER_CTX, 1);
	berw_raw(&w, v, n);
	berw_close(&w);
	berw_close(&w);
	if (berw_write_buf(&w, &b) != BER_OK ||
	    b.len > sizeof(or->xraw) - or->xrawlen)
		test_fail(__FILE__, __LINE__, "extension attribute %d", type);
	else {
		memcpy(or->xraw + or->xrawlen, b.p, b.len);
		or->xrawlen += b.len;
	}
	berw_free(&w);
	buf_free(&b);
}

/* or through orname_encode() and orname_decode(): what a PDU carries. */
static void
round_trip(struct orname *or)
{
	struct berw	 w;
	struct buf	 b;
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct orname	 back;

	berw_init(&w);
	buf_init(&b);
	orname_init(&back);
	ber_dec_init(&d);
	if (orname_encode(&w, or) != BER_OK || berw_write_buf(&w, &b) !=
	    BER_OK || ber_read_one(&d, b.p, b.len, &t) != BER_OK ||
	    orname_decode(&d, &t, &back) != BER_OK)
		test_fail(__FILE__, __LINE__, "round trip");
	else
		*or = back;
	berw_free(&w);
	buf_free(&b);
}

/* Whether the std-or texts a and b match, checked both ways round. */
static int
match_text(const char *a, const char *b)
{
	struct orname	 x, y;
	int		 ab, ba;

	test_orname(&x, a);
	test_orname(&y, b);
	ab = ormatch_name(&x, &y);
	ba = ormatch_name(&y, &x);
	if (ab != ba)
		test_fail(__FILE__, __LINE__, "not symmetric: %s / %s", a, b);
	return ab;
}

static int
match_both(const struct orname *x, const struct orname *y)
{
	int	 ab = ormatch_name(x, y), ba = ormatch_name(y, x);

	if (ab != ba)
		test_fail(__FILE__, __LINE__, "not symmetric");
	return ab;
}

static void
t_fold(void)
{
	char	 out[16];

	CHECK_EQ_INT(ormatch_fold("  Acme   Ltd  ", out, sizeof(out)), 8);
	CHECK_EQ_STR(out, "ACME LTD");
	CHECK_EQ_INT(ormatch_fold("   ", out, sizeof(out)), 0);
	CHECK_EQ_STR(out, "");
	CHECK_EQ_INT(ormatch_fold("o0013rita", out, sizeof(out)), 9);
	CHECK_EQ_STR(out, "O0013RITA");
	/* as snprintf: the whole length, the output cut */
	CHECK_EQ_INT(ormatch_fold("abcdefghijklmnopqrst", out, 5), 20);
	CHECK_EQ_STR(out, "ABCD");
	/* only a-z and the space are folded */
	CHECK_EQ_INT(ormatch_fold("\xe9t\xc9 (1)", out, sizeof(out)), 7);
	CHECK_EQ_STR(out, "\xe9T\xc9 (1)");
}

/* X.402 18.4: values compare without regard to case. */
static void
t_case(void)
{
	CHECK(ormatch_value("tom", "TOM"));
	CHECK(ormatch_value("Acme Ltd", "aCME lTD"));
	CHECK(!ormatch_value("TOM", "TIM"));
	CHECK(match_text("/C=de/A=viat/P=oftp/O=tom/",
	    "/C=DE/A=VIAT/P=OFTP/O=TOM/"));
	CHECK(match_text("/C=GB/A= /P=ACME/O=Acme Ltd/OU=Sales/S=Smith/"
	    "G=John/I=Q/GQ=Jr/CN=John Smith/DD.RFC-822=x(a)acme.example/",
	    "/c=gb/a= /p=acme/o=ACME LTD/ou=SALES/s=SMITH/g=JOHN/i=q/gq=JR/"
	    "cn=JOHN SMITH/dd.rfc-822=X(A)ACME.EXAMPLE/"));
	CHECK(!match_text("/C=DE/A=VIAT/P=OFTP/O=TOM/",
	    "/C=DE/A=VIAT/P=OFTP/O=TIM/"));
}

/* X.402 18.4: spaces at the start and at the end are not significant. */
static void
t_spaces_ends(void)
{
	CHECK(ormatch_value("TOM ", "TOM"));
	CHECK(ormatch_value("  TOM", "tom  "));
	CHECK(match_text("/C=DE/A=VIAT/P=OFTP/O=TOM /",
	    "/C=DE/A=VIAT/P=OFTP/O=TOM/"));
	CHECK(match_text("/C=DE/A=VIAT/P=OFTP/O=Gateway/S= Receiver /",
	    "/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/"));
	/* an ADMD of zero length is one of a single space (rfc2156:3152) */
	CHECK(match_text("/C=DE/ADMD=/P=OFTP/O=TOM/",
	    "/C=DE/ADMD= /P=OFTP/O=TOM/"));
	/* ... but an absent attribute is not an empty one */
	CHECK(!match_text("/C=DE/A=VIAT/P=OFTP/O= /S=X/",
	    "/C=DE/A=VIAT/P=OFTP/S=X/"));
}

/* X.402 18.4: a run of spaces inside counts as one space, no more. */
static void
t_spaces_repeated(void)
{
	CHECK(ormatch_value("Acme   Ltd", "ACME LTD"));
	CHECK(!ormatch_value("Acme Ltd", "AcmeLtd"));
	CHECK(!ormatch_value("A B", "AB "));
	CHECK(match_text("/C=GB/A= /P=ACME/O=Acme    Ltd/S=Doe/",
	    "/C=GB/A= /P=ACME/O= acme ltd /S=Doe/"));
}

/* Which attributes are present, and where, still counts. */
static void
t_structure(void)
{
	/* an attribute more on one side */
	CHECK(!match_text("/C=DE/A=VIAT/P=OFTP/O=TOM/",
	    "/C=DE/A=VIAT/P=OFTP/O=TOM/S=Tom/"));
	/* OUs by position */
	CHECK(match_text("/C=GB/A= /O=X/OU1=Sales/OU2=EMEA/",
	    "/C=GB/A= /O=X/OU1=SALES/OU2=emea/"));
	CHECK(!match_text("/C=GB/A= /O=X/OU1=Sales/OU2=EMEA/",
	    "/C=GB/A= /O=X/OU1=EMEA/OU2=Sales/"));
	/* domain-defined attributes by type, in any order */
	CHECK(match_text("/C=DE/A=VIAT/DD.ODETTEID=O0013RITA/DD.EDI=1/",
	    "/C=DE/A=VIAT/dd.edi=1/dd.odetteid=o0013rita/"));
	CHECK(!match_text("/C=DE/A=VIAT/DD.ODETTEID=O0013RITA/",
	    "/C=DE/A=VIAT/DD.ODETTEID=O0013SAM/"));
	CHECK(!match_text("/C=DE/A=VIAT/DD.ODETTEID=O0013RITA/",
	    "/C=DE/A=VIAT/DD.STATION=O0013RITA/"));
}

/*
 * A domain-defined attribute is found by its type folded: the central
 * EDI function's DD.EDI (oftp2x400) and DD.ODETTEID (odette_or_id).
 */
static void
t_dda_type(void)
{
	struct orname	 x;

	test_orname(&x, "/C=DE/A=VIAT/P=EDI/DD.edi=1/DD.odetteid=O0013RITA/");
	CHECK_EQ_STR(orname_dda(&x, "EDI"), "1");
	CHECK_EQ_STR(odette_or_id(&x), "O0013RITA");
	CHECK(orname_dda(&x, "EDIX") == NULL);
}

/* NIST B.1 a: an all-numeric ADMD or PRMD, NumericString or Printable. */
static void
t_numeric(void)
{
	struct orname	 a, b;

	test_orname(&a, "/C=DE/A=0/P=12345/O=X/");
	test_orname(&b, "/C=DE/A=0/P=12345/O=X/");
	b.numeric |= (1u << OR_ADMD) | (1u << OR_PRMD);
	round_trip(&b);
	CHECK(!orname_equal(&a, &b));	/* not the same encoding */
	CHECK(match_both(&a, &b));
	test_orname(&b, "/C=DE/A=0/P=12346/O=X/");
	b.numeric |= 1u << OR_PRMD;
	CHECK(!match_both(&a, &b));
}

/*
 * NIST B.1 b: a teletex extension attribute is compared with the
 * printable attribute of the other name when the other has no teletex
 * one; with the other's teletex one when both have it.
 */
static void
t_teletex(void)
{
	struct orname	 p, t;

	/* 3 teletex-organization-name "ACME LTD" vs O=Acme Ltd */
	test_orname(&p, "/C=GB/A= /P=ACME/O=Acme Ltd/S=Doe/");
	test_orname(&t, "/C=GB/A= /P=ACME/S=Doe/");
	add_ext(&t, OR_EXT_TELETEX_O, "1408 41434D45204C5444");
	round_trip(&t);
	CHECK(t.xrawlen > 0);
	CHECK(match_both(&p, &t));
	test_orname(&p, "/C=GB/A= /P=ACME/O=Acme Inc/S=Doe/");
	CHECK(!match_both(&p, &t));
	/* the teletex name without O, the other without: no O at all */
	test_orname(&p, "/C=GB/A= /P=ACME/S=Doe/");
	CHECK(!match_both(&p, &t));

	/* both with printable and teletex O: teletex against teletex */
	test_orname(&p, "/C=GB/A= /P=ACME/O=Acme Ltd/S=Doe/");
	add_ext(&p, OR_EXT_TELETEX_O, "1408 41434D45204C5444");
	round_trip(&p);
	test_orname(&t, "/C=GB/A= /P=ACME/O=ACME LTD/S=Doe/");
	add_ext(&t, OR_EXT_TELETEX_O, "1409 61636D65 2020 6C7464");
	round_trip(&t);
	CHECK(match_both(&p, &t));

	/* 2 teletex-common-name, 4 teletex-personal-name */
	test_orname(&p, "/C=GB/A= /P=ACME/O=X/CN=John Smith/S=Smith/G=John/"
	    "I=Q/");
	test_orname(&t, "/C=GB/A= /P=ACME/O=X/");
	add_ext(&t, OR_EXT_TELETEX_CN, "140A 4A4F484E20534D495448");
	add_ext(&t, OR_EXT_TELETEX_PN, "3111 8005 534D495448 8104 4A6F686E "
	    "8202 7120");
	round_trip(&t);
	CHECK(match_both(&p, &t));
	test_orname(&p, "/C=GB/A= /P=ACME/O=X/CN=John Smith/S=Smith/G=Jon/"
	    "I=Q/");
	CHECK(!match_both(&p, &t));
}

/* NIST B.1 b for the sequences: OUs by position, DDAs by type. */
static void
t_teletex_lists(void)
{
	struct orname	 p, t;

	/* 5 teletex-organizational-unit-names "Sales", "EMEA" */
	test_orname(&p, "/C=GB/A= /P=ACME/O=X/OU1=SALES/OU2=emea/");
	test_orname(&t, "/C=GB/A= /P=ACME/O=X/");
	add_ext(&t, OR_EXT_TELETEX_OU, "300D 1405 53616C6573 1404 454D4541");
	round_trip(&t);
	CHECK(match_both(&p, &t));
	test_orname(&p, "/C=GB/A= /P=ACME/O=X/OU1=EMEA/OU2=Sales/");
	CHECK(!match_both(&p, &t));

	/* 6 teletex-domain-defined-attributes ODETTEID=o0013rita */
	test_orname(&p, "/C=DE/A=VIAT/P=OFTP/DD.ODETTEID=O0013RITA/");
	test_orname(&t, "/C=DE/A=VIAT/P=OFTP/");
	add_ext(&t, OR_EXT_TELETEX_DDA, "3017 3015 1408 4F44455454454944 "
	    "1409 6F303031337269 7461");
	round_trip(&t);
	CHECK(match_both(&p, &t));
}

/*
 * NIST B.1: "only teletex graphic characters from repertoire no. 102
 * need to be compared for Printable String equivalence (i.e., the
 * presence of graphic characters from other repertoires can be treated
 * as a mismatch)". Two teletex values still compare octet by octet.
 */
static void
t_teletex_repertoire(void)
{
	struct orname	 p, t, t2;

	/* "M" 0xC8 (T.61 diaeresis) "uller" vs printable "Muller" */
	test_orname(&p, "/C=DE/A=VIAT/P=OFTP/O=Muller/");
	test_orname(&t, "/C=DE/A=VIAT/P=OFTP/");
	add_ext(&t, OR_EXT_TELETEX_O, "1407 4DC875 6C6C6572");
	round_trip(&t);
	CHECK(!match_both(&p, &t));
	test_orname(&t2, "/C=DE/A=VIAT/P=OFTP/");
	add_ext(&t2, OR_EXT_TELETEX_O, "1409 20 6DC875 6C6C6572 20");
	round_trip(&t2);
	CHECK(match_both(&t, &t2));
}

/*
 * Other extension attributes are compared as BER octets; so is a
 * teletex attribute that does not decode (never read past).
 */
static void
t_other_ext(void)
{
	struct orname	 a, b;

	/* 8 physical-delivery-office-name, a PDSParameter SET */
	test_orname(&a, "/C=DE/A=VIAT/O=X/");
	add_ext(&a, 8, "3106 1304 4B4F454C");
	round_trip(&a);
	test_orname(&b, "/C=de/A=viat/O=x/");
	add_ext(&b, 8, "3106 1304 4B4F454C");
	round_trip(&b);
	CHECK(match_both(&a, &b));
	test_orname(&b, "/C=DE/A=VIAT/O=X/");
	add_ext(&b, 8, "3106 1304 4B6F656C");
	round_trip(&b);
	CHECK(!match_both(&a, &b));

	/* teletex-organization-name holding a PrintableString: octets */
	test_orname(&a, "/C=DE/A=VIAT/");
	add_ext(&a, OR_EXT_TELETEX_O, "1301 58");
	round_trip(&a);
	test_orname(&b, "/C=DE/A=VIAT/O=X/");
	CHECK(!match_both(&a, &b));
	CHECK(match_both(&a, &a));
	/* a teletex personal name with an unknown component [7] */
	test_orname(&a, "/C=DE/A=VIAT/");
	add_ext(&a, OR_EXT_TELETEX_PN, "3103 870158");
	round_trip(&a);
	CHECK(match_both(&a, &a));
	/* five teletex OUs, one more than ub-organizational-units */
	test_orname(&a, "/C=DE/A=VIAT/");
	add_ext(&a, OR_EXT_TELETEX_OU, "300F 140141 140142 140143 140144 "
	    "140145");
	round_trip(&a);
	test_orname(&b, "/C=DE/A=VIAT/OU1=A/OU2=B/OU3=C/OU4=D/");
	CHECK(!match_both(&a, &b));
	CHECK(match_both(&a, &a));
	/* the view is built from a struct whose lengths lie */
	a.xrawlen = OR_XRAW_MAX + 1;
	CHECK(!ormatch_name(&a, &a));
}

/* ODETTE IDs compare upper-cased (issue 20), through odette(3). */
static void
t_odette_id(void)
{
	struct orname	 dom, or;
	char		 id[ODETTE_ID_LEN + 1], err[ODETTE_ERR_MAX];

	CHECK(odette_id_eq("o0013rita", "O0013RITA"));
	CHECK(odette_id_eq("O0013RITA ", "O0013RITA"));
	CHECK(!odette_id_eq("O0013RITA", "O0013RITB"));
	CHECK_EQ_INT(odette_id_fold("o0013rita", id), 0);
	CHECK_EQ_STR(id, "O0013RITA");
	CHECK_EQ_INT(odette_id_fold("O0013ABCDEFGHIJKLMNOPQRSTUV", id), -1);

	test_orname(&dom, "/C=DE/A=VIAT/P=OFTP/");
	test_orname(&or, "/C=de/A=viat/P=oftp/DD.odetteid=o0013rita/");
	CHECK_EQ_STR(odette_or_id(&or), "o0013rita");
	CHECK_EQ_INT(odette_from_or(&dom, &or, id, err, sizeof(err)),
	    ODETTE_OK);
	CHECK_EQ_STR(id, "O0013RITA");
	test_orname(&or, "/C=DE/A=VIAT/P=OFTP/DD.ODETTEID=o0013 rita/");
	CHECK_EQ_INT(odette_from_or(&dom, &or, id, err, sizeof(err)),
	    ODETTE_EID);
}

int
main(void)
{
	TEST(t_fold);
	TEST(t_case);
	TEST(t_spaces_ends);
	TEST(t_spaces_repeated);
	TEST(t_structure);
	TEST(t_dda_type);
	TEST(t_numeric);
	TEST(t_teletex);
	TEST(t_teletex_lists);
	TEST(t_teletex_repertoire);
	TEST(t_other_ext);
	TEST(t_odette_id);
	return test_done();
}
