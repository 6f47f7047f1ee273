/*
 * NAME
 *	fuzz_unb - libFuzzer target for the EDIFACT UNA/UNB parser
 * DESCRIPTION
 *	The input is the start of a file: unb_parse() on it, and on what
 *	parses every value, party and the date/time are taken out; the
 *	detection (edipart_detect) must agree with the parser.
 */
#include <stdint.h>
#include <string.h>

#include "gw/edipart.h"
#include "gw/unb.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct unb	 u;
	struct cur	 c;
	struct p35_party party;
	char		 err[256], v[UNB_VAL_MAX];
	time_t		 t;
	int		 e, k, has, r;

	cur_init(&c, p, n);
	r = unb_parse(&c, &u, err, sizeof(err));
	if (r == 0 && edipart_detect(p, n) != EDIPART_EDIFACT)
		__builtin_trap();
	if (r < 0 && strlen(err) == 0)
		__builtin_trap();
	if (r < 0)
		return 0;
	for (e = 0; e < UNB_ELEMS; e++)
		for (k = 0; k < UNB_COMPS; k++)
			if (unb_get(&u, e, k, v, sizeof(v) - 1, &has) < 0)
				__builtin_trap();
	(void)unb_party(&u, UNB_SENDER, &party);
	(void)unb_party(&u, UNB_RECIPIENT, &party);
	(void)unb_time(&u, &t);
	(void)unb_7bit(&u);
	return 0;
}
