/*
 * NAME
 *	fuzz_demodette - libFuzzer target for DEModette's XML sidecar and
 *	file names
 * DESCRIPTION
 *	The input is a sidecar: dmo_xml_parse(); what parses is written
 *	again (dmo_xml_build()) and must parse to the same fields. The
 *	input's first line is also tried as a file name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oftp/demodette.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
name_try(const uint8_t *p, size_t n)
{
	struct dmo_name nm;
	char	 s[256], err[256] = "";
	size_t	 k = 0;

	while (k < n && k < sizeof(s) - 1 && p[k] != '\n' && p[k] != '\0')
		k++;
	memcpy(s, p, k);
	s[k] = '\0';
	if (dmo_name_parse(s, &nm, err, sizeof(err)) < 0 && err[0] == '\0')
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct dmo_xml	 x, y;
	struct buf	 b;
	char		 err[256] = "";

	name_try(p, n);
	dmo_xml_init(&x);
	if (dmo_xml_parse(&x, (const char *)p, n, err, sizeof(err)) < 0) {
		if (err[0] == '\0')
			__builtin_trap();
		dmo_xml_free(&x);
		return 0;
	}
	buf_init(&b);
	dmo_xml_init(&y);
	if (dmo_xml_build(&x, &b) < 0 || dmo_xml_parse(&y, (const char *)b.p,
	    b.len, err, sizeof(err)) < 0 || y.format != x.format ||
	    y.nrec != x.nrec || strcmp(y.reason_text, x.reason_text) != 0 ||
	    y.reason != x.reason || y.lrecl != x.lrecl)
		__builtin_trap();
	dmo_xml_free(&y);
	dmo_xml_free(&x);
	buf_free(&b);
	return 0;
}
