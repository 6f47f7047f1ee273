/*
 * NAME
 *	fuzz_ber - libFuzzer target for the BER reader
 * DESCRIPTION
 *	Walks the whole element tree of the input with tight limits, reads
 *	every primitive with each typed getter, and normalises the input;
 *	when normalisation succeeds the result must decode again to the
 *	same normalised bytes (definite lengths are a fixed point).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/ber.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
walk(struct ber_dec *d, struct cur c)
{
	struct ber_tlv	 t;
	struct buf	 s;
	struct cur	 o;
	char		 oid[128];
	int64_t		 i;
	uint64_t	 bits;
	time_t		 tm;
	int		 b;

	buf_init(&s);
	while (cur_len(&c) > 0 && ber_read(d, &c, &t) == BER_OK) {
		if (t.cons)
			walk(d, t.val);
		else {
			(void)ber_get_int(d, &t, &i);
			(void)ber_get_bool(d, &t, &b);
			(void)ber_get_oid(d, &t, oid, sizeof(oid));
			(void)ber_get_time(d, &t, BER_UTC_TIME, &tm);
			(void)ber_get_time(d, &t, BER_GENERALIZED_TIME, &tm);
			d->err = BER_OK;
		}
		(void)ber_get_bits(d, &t, &bits, NULL);
		(void)ber_octets(d, &t, &s, &o);
		(void)ber_get_string(d, &t, BER_PRINTABLE_STRING, &s);
		d->err = BER_OK;
	}
	buf_free(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct ber_dec	 d;
	struct berw	 w, w2;
	struct buf	 out, out2;
	struct cur	 c;

	ber_dec_init(&d);
	d.lim.max_depth = 32;
	d.lim.max_tlvs = 100000;
	cur_init(&c, p, n);
	walk(&d, c);

	ber_dec_init(&d);
	berw_init(&w);
	buf_init(&out);
	cur_init(&c, p, n);
	if (ber_normalize(&d, &c, &w) == BER_OK &&
	    berw_write_buf(&w, &out) == BER_OK) {
		ber_dec_init(&d);
		berw_init(&w2);
		buf_init(&out2);
		cur_init(&c, out.p, out.len);
		if (ber_normalize(&d, &c, &w2) != BER_OK ||
		    berw_write_buf(&w2, &out2) != BER_OK ||
		    out2.len != out.len || memcmp(out.p, out2.p, out.len) != 0)
			abort();
		berw_free(&w2);
		buf_free(&out2);
	}
	berw_free(&w);
	buf_free(&out);
	return 0;
}
