/*
 * NAME
 *	fuzz_p35 - libFuzzer target for the P35 (X.435 PEDI) decoder
 * DESCRIPTION
 *	Decodes the input with tight limits; when it decodes, encodes it
 *	again, and the encoding must decode and re-encode to the same
 *	octets (encoding is a fixed point after one round). Any violation
 *	aborts, so the fuzzer reports it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x400/p35.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
reencode(const struct p35_pdu *pdu, struct buf *out)
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

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct p35_opts	 o;
	struct p35_pdu	 a, b;
	struct ber_dec	 d;
	struct buf	 ea, eb;

	p35_opts_init(&o);
	o.max_recipients = 64;
	ber_dec_init(&d);
	d.lim.max_depth = 32;
	d.lim.max_tlvs = 100000;
	p35_init(&a);
	if (p35_decode(&d, &o, p, n, &a) == BER_OK) {
		/* values the decoder accepted may still be unencodable
		 * (e.g. a time outside UTCTime's range): that is no bug */
		if (reencode(&a, &ea) == BER_OK) {
			ber_dec_init(&d);
			p35_init(&b);
			if (p35_decode(&d, &o, ea.p, ea.len, &b) != BER_OK ||
			    reencode(&b, &eb) != BER_OK ||
			    eb.len != ea.len ||
			    memcmp(ea.p, eb.p, ea.len) != 0)
				abort();
			buf_free(&eb);
			p35_free(&b);
		}
		buf_free(&ea);
	}
	p35_free(&a);
	return 0;
}
