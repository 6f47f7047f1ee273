/*
 * NAME
 *	fuzz_stdor - libFuzzer target for the RFC 2156 text forms
 * DESCRIPTION
 *	Parses the input as a std-or address; what parses must print, and
 *	the printed form must parse to an equal value (or, where RFC 2156
 *	4.1.1 writes a teletex value as printable, one that matches it by
 *	ormatch_name() and prints the same); when the value also
 *	encodes in BER (the text form allows empty values BER does not), it
 *	must decode to an equal value. The input is also run through the
 *	PrintableString escapes: decoding must not crash, and encoding then
 *	decoding must give the input back, in both styles, when the input is
 *	ASCII (a byte above 127 must be refused).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/ber.h"
#include "x400/orname.h"
#include "x400/ormatch.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_ber(const struct orname *a)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct berw	 w;
	struct buf	 out;
	struct orname	 b;

	berw_init(&w);
	buf_init(&out);
	if (orname_encode(&w, a) == BER_OK &&
	    berw_write_buf(&w, &out) == BER_OK) {
		ber_dec_init(&d);
		if (ber_read_one(&d, out.p, out.len, &t) != BER_OK ||
		    orname_decode(&d, &t, &b) != BER_OK ||
		    !orname_equal(a, &b))
			abort();
	}
	berw_free(&w);
	buf_free(&out);
}

static int
memchr_hi(const uint8_t *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (p[i] > 127)
			return 1;
	return 0;
}

static void
check_ps(const uint8_t *p, size_t n, enum or_ps_style style)
{
	struct buf	 e, d;

	buf_init(&e);
	buf_init(&d);
	(void)orname_ps_decode((const char *)p, n, style, &d);
	buf_reset(&d);
	if (memchr_hi(p, n)) {		/* no 822.CHAR: refused */
		if (orname_ps_encode(p, n, style, &e) != OR_ECHARS)
			abort();
	} else if (orname_ps_encode(p, n, style, &e) != OR_OK ||
	    !ber_chars_ok(BER_PRINTABLE_STRING, e.p, e.len) ||
	    orname_ps_decode((const char *)e.p, e.len, style, &d) != OR_OK ||
	    d.len != n || (n > 0 && memcmp(d.p, p, n) != 0))
		abort();
	buf_free(&e);
	buf_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct orname	 a, b;
	struct or_err	 err;
	struct buf	 txt, txt2;

	if (n > 4096)
		return 0;
	if (orname_parse((const char *)p, (ssize_t)n, &a, &err) == OR_OK) {
		buf_init(&txt);
		buf_init(&txt2);
		if (orname_print(&a, &txt) != OR_OK ||
		    orname_parse((const char *)txt.p, (ssize_t)txt.len, &b,
		    &err) != OR_OK || (!orname_equal(&a, &b) &&
		    (!ormatch_name(&a, &b) || orname_print(&b, &txt2) !=
		    OR_OK || txt2.len != txt.len ||
		    memcmp(txt2.p, txt.p, txt.len) != 0)))
			abort();
		buf_free(&txt);
		buf_free(&txt2);
		check_ber(&a);
	}
	check_ps(p, n, OR_PS_DECIMAL);
	check_ps(p, n, OR_PS_OCTAL);
	return 0;
}
