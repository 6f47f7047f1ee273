/*
 * NAME
 *	fuzz_orname - libFuzzer target for the ORName BER decoder
 * DESCRIPTION
 *	Reads one element with tight limits and decodes it as an ORName
 *	(whatever its tag: ORNames are often implicitly retagged) and as a
 *	bare ORAddress. What decodes must encode again, under the same tag,
 *	and the encoding must decode to an equal value; the text form is
 *	printed (for crashes only: it does not carry every part). Matching
 *	(ormatch) reads the teletex extension attributes the decoder keeps
 *	as BER: every decoded name must match itself and its re-decoded
 *	copy, both ways round.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/ber.h"
#include "x400/orname.h"
#include "x400/ormatch.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_round_trip(const struct ber_tlv *t, const struct orname *a, int bare)
{
	struct ber_dec	 d;
	struct ber_tlv	 t2;
	struct berw	 w;
	struct buf	 out;
	struct orname	 b;
	int		 e;

	berw_init(&w);
	buf_init(&out);
	e = bare ? oraddr_encode(&w, t->cls, t->tag, a) :
	    orname_encode_tagged(&w, t->cls, t->tag, a);
	if (e != BER_OK || berw_write_buf(&w, &out) != BER_OK)
		abort();		/* decoded but does not encode */
	ber_dec_init(&d);
	if (ber_read_one(&d, out.p, out.len, &t2) != BER_OK ||
	    t2.cls != t->cls || t2.tag != t->tag)
		abort();
	e = bare ? oraddr_decode(&d, &t2, &b) : orname_decode(&d, &t2, &b);
	if (e != BER_OK || !orname_equal(a, &b))
		abort();
	if (!ormatch_name(a, a) || !ormatch_name(a, &b) ||
	    !ormatch_name(&b, a))
		abort();		/* equal names that do not match */
	berw_free(&w);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct orname	 a;
	struct buf	 txt;
	struct cur	 c;

	ber_dec_init(&d);
	d.lim.max_depth = 32;
	d.lim.max_tlvs = 100000;
	cur_init(&c, p, n);
	if (ber_read(&d, &c, &t) != BER_OK)
		return 0;
	if (orname_decode(&d, &t, &a) == BER_OK) {
		check_round_trip(&t, &a, 0);
		buf_init(&txt);
		(void)orname_print(&a, &txt);
		buf_free(&txt);
	}
	d.err = BER_OK;
	d.err_field = NULL;
	if (oraddr_decode(&d, &t, &a) == BER_OK)
		check_round_trip(&t, &a, 1);
	return 0;
}
