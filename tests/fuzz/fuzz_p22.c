/*
 * NAME
 *	fuzz_p22 - libFuzzer target for the P22 (X.420 InformationObject) decoder
 * DESCRIPTION
 *	Decodes the input with tight limits; when it decodes, encodes it
 *	again, and the encoding must decode and re-encode to the same
 *	octets (encoding is a fixed point after one round). When the
 *	content is an IPM with a message body part or an NRN with a
 *	returned IPM, the nested IPM is decoded too. Any violation aborts,
 *	so the fuzzer reports it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x400/p22.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
reencode(const struct p22_content *c, struct buf *out)
{
	struct berw	 w;
	int		 e;

	berw_init(&w);
	buf_init(out);
	if ((e = p22_encode(&w, c, P22_CT_P22)) == BER_OK)
		e = berw_write_buf(&w, out);
	berw_free(&w);
	return e;
}

static void
nested(const struct p22_opts *o, const struct p22_content *c)
{
	struct p22_content n;
	struct ber_dec	 d;
	size_t		 i;

	for (i = 0; c->kind == P22_IPM && i < c->nbp; i++) {
		if (c->bp[i].type != P22_BP_MESSAGE)
			continue;
		ber_dec_init(&d);
		p22_init(&n);
		/* the decoder checked it already: it must decode */
		if (p22_decode_forwarded(&d, o, &c->bp[i], &n) != BER_OK)
			abort();
		p22_free(&n);
	}
	if (c->kind == P22_IPN && c->ipn.returned.len > 0) {
		ber_dec_init(&d);
		p22_init(&n);
		if (p22_decode_returned(&d, o, &c->ipn, &n) != BER_OK)
			abort();
		p22_free(&n);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct p22_opts	 o;
	struct p22_content a, b;
	struct ber_dec	 d;
	struct buf	 ea, eb;

	p22_opts_init(&o);
	o.max_recipients = 16;
	o.max_body_parts = 16;
	o.max_nest = 2;
	ber_dec_init(&d);
	d.lim.max_depth = 32;
	d.lim.max_tlvs = 100000;
	p22_init(&a);
	if (p22_decode(&d, &o, p, n, &a) == BER_OK) {
		nested(&o, &a);
		/* values the decoder accepted may still be unencodable
		 * (e.g. a time outside UTCTime's range): that is no bug */
		if (reencode(&a, &ea) == BER_OK) {
			ber_dec_init(&d);
			d.lim.max_depth = 32;
			p22_init(&b);
			if (p22_decode(&d, &o, ea.p, ea.len, &b) != BER_OK ||
			    reencode(&b, &eb) != BER_OK ||
			    eb.len != ea.len ||
			    memcmp(ea.p, eb.p, ea.len) != 0)
				abort();
			buf_free(&eb);
			p22_free(&b);
		}
		buf_free(&ea);
	}
	p22_free(&a);
	return 0;
}
