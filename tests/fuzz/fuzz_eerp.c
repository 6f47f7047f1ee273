/*
 * NAME
 *	fuzz_eerp - libFuzzer target for the EERP / NERP and SFID parsers
 * DESCRIPTION
 *	Parses the input as an EERP or NERP in each layout and as an SFID
 *	command ('H'). Whatever parses must build again to exactly the
 *	input octets (the layouts are fixed, so parsing is exact), and an
 *	OFTP2 response must give its signed-data octets. The input is also
 *	walked as a payload in each record format.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oftp/eerp.h"
#include "oftp/records.h"
#include "oftp/sfid.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
same(const struct buf *b, const uint8_t *p, size_t n)
{
	if (b->len != n || memcmp(b->p, p, n) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	static const int levels[] = { EERP_ANY, EERP_OFTP2, EERP_OFTP14 };
	static struct sfid s;
	struct eerp e;
	struct buf b;
	struct cur c;
	uint64_t count;
	char	 err[256];
	size_t	 i;

	for (i = 0; i < 3; i++) {
		cur_init(&c, p, n);
		if (eerp_parse(&e, &c, levels[i], err, sizeof(err)) != EERP_OK)
			continue;
		if (cur_len(&c) != 0)
			abort();
		buf_init(&b);
		if (eerp_build(&e, &b, err, sizeof(err)) != EERP_OK)
			abort();
		same(&b, p, n);
		buf_reset(&b);
		if (eerp_signed_data(&e, &b, err, sizeof(err)) != EERP_OK ||
		    b.len != e.hash_len + (e.cmd == 'E' ? EERP_SIGNED_FIXED :
		    NERP_SIGNED_FIXED))
			abort();
		buf_free(&b);
	}
	cur_init(&c, p, n);
	if (sfid_parse_h(&s, &c, err, sizeof(err)) == SFID_OK) {
		buf_init(&b);
		if (sfid_build_h(&s, &b, err, sizeof(err)) != SFID_OK)
			abort();
		same(&b, p, n);
		buf_free(&b);
	}
	cur_init(&c, p, n);
	(void)rec_scan(&c, 'F', 7, 0, &count, err, sizeof(err));
	(void)rec_scan(&c, 'V', 300, 0, &count, err, sizeof(err));
	(void)rec_scan(&c, 'T', 0, REC_STRICT, &count, err, sizeof(err));
	(void)rec_scan(&c, 'T', 0, 0, &count, err, sizeof(err));
	(void)rec_scan(&c, 'U', 0, 0, &count, err, sizeof(err));
	return 0;
}
