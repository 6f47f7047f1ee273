/*
 * NAME
 *	fuzz_odette - libFuzzer target for ODETTE IDs and their X.400 address
 * DESCRIPTION
 *	The input, up to its first NUL, is checked as an ODETTE ID: what is
 *	accepted must keep the shape of RFC 5024 5.4 ('O', four digits, at
 *	most 25 characters), and its address in a fixed domain must map back
 *	to the same ID. The input is also parsed as a std-or address: one
 *	that maps to an ID must hold a valid one, and the address of that ID
 *	must map back to it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oftp/odette.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_id(const struct orname *dom, const char *s)
{
	struct orname	 or;
	char		 err[ODETTE_ERR_MAX], id[ODETTE_ID_LEN + 1];
	int		 i;

	if (odette_check_id(s, err, sizeof(err)) != ODETTE_OK)
		return;
	if (strlen(s) > ODETTE_ID_LEN || s[0] != 'O')
		abort();
	for (i = 1; i <= ODETTE_ICD_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			abort();
	if (odette_to_or(dom, s, &or, err, sizeof(err)) != ODETTE_OK)
		return;		/* e.g. '&', not PrintableString */
	if (odette_from_or(dom, &or, id, err, sizeof(err)) != ODETTE_OK ||
	    strcmp(id, s) != 0)
		abort();
}

static void
check_or(const struct orname *dom, const char *s)
{
	struct orname	 or, back;
	char		 err[ODETTE_ERR_MAX], id[ODETTE_ID_LEN + 1];
	char		 id2[ODETTE_ID_LEN + 1];

	if (orname_parse(s, -1, &or, NULL) != OR_OK ||
	    odette_from_or(dom, &or, id, err, sizeof(err)) != ODETTE_OK)
		return;
	if (odette_check_id(id, err, sizeof(err)) != ODETTE_OK ||
	    odette_to_or(dom, id, &back, err, sizeof(err)) != ODETTE_OK ||
	    odette_from_or(dom, &back, id2, err, sizeof(err)) != ODETTE_OK ||
	    strcmp(id, id2) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	static struct orname dom;
	static int	 init;
	char		 s[1024];

	if (!init) {
		if (orname_parse("/C=DE/A=VIAT/P=OFTP/", -1, &dom, NULL) !=
		    OR_OK)
			abort();
		init = 1;
	}
	if (n >= sizeof(s))
		n = sizeof(s) - 1;
	memcpy(s, p, n);
	s[n] = '\0';
	check_id(&dom, s);
	check_or(&dom, s);
	return 0;
}
