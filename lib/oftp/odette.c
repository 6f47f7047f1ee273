/*
 * NAME
 *	odette - ODETTE IDs (RFC 5024 5.4) and their X.400 addresses
 *	(see odette.h)
 * DESCRIPTION
 *	odette_check_id() goes from the whole value to its parts: the
 *	String(25) rule of 5.3 first (sfid_check_x(): length, characters,
 *	no space), then
 *	SIOOID, SIOICD and SIOORG by position as in the 5.4 table; what
 *	stands at position 19 and after is SIOCSA, which the String rule
 *	already covers. The messages keep the words the configuration
 *	always used ("four-digit ICD", "organisation code").
 *
 *	The address of a station is built from scratch (orname_domain(): C,
 *	ADMD and PRMD of the domain), so whatever else the domain holds
 *	never leaks into it, and the reverse check compares against the
 *	same three attributes.
 */
#include <ctype.h>
#include <string.h>

#include "oftp/odette.h"
#include "oftp/sfid.h"
#include "util/err.h"
#include "x400/ormatch.h"

/* An SIOORG character (5.4), space aside (see odette.h). */
static int
org_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-';
}

int
odette_check_id(const char *v, char *err, size_t errlen)
{
	size_t	 n, i, org_end;

	if (v == NULL)
		return errf(err, errlen, ODETTE_EARG, "ODETTE ID: none");
	n = strlen(v);
	/* 5.3: String(25), no space inside */
	if (sfid_check_x("ODETTE ID", v, ODETTE_ID_LEN, 1, err, errlen) !=
	    SFID_OK)
		return ODETTE_EID;
	if (v[0] != 'O')
		return errf(err, errlen, ODETTE_EID,
		    "ODETTE ID '%s' does not start with 'O'", v);
	for (i = 1; i < 1 + ODETTE_ICD_LEN; i++)
		if (!isdigit((unsigned char)v[i]))
			return errf(err, errlen, ODETTE_EID,
			    "ODETTE ID '%s': 'O' is not followed by a "
			    "four-digit ICD", v);
	if (v[i] == '\0')
		return errf(err, errlen, ODETTE_EID,
		    "ODETTE ID '%s': no organisation code after the ICD", v);
	org_end = 1 + ODETTE_ICD_LEN + ODETTE_ORG_MAX;
	for (; i < n && i < org_end; i++)
		if (!org_char((unsigned char)v[i]))
			return errf(err, errlen, ODETTE_EID,
			    "ODETTE ID '%s': character '%c' at offset %zu in "
			    "the organisation code (A-Z, 0-9 and '-', RFC "
			    "5024 5.4)", v, v[i], i);
	return ODETTE_OK;
}

const char *
odette_or_id(const struct orname *or)
{
	unsigned i;

	for (i = 0; i < or->ndda && i < OR_UB_DDAS; i++)
		if (ormatch_value(or->dda[i].type, ODETTE_DDA))
			return or->dda[i].value;
	return NULL;
}

int
odette_id_eq(const char *a, const char *b)
{
	return ormatch_value(a, b);
}

int
odette_id_fold(const char *v, char id[ODETTE_ID_LEN + 1])
{
	return ormatch_fold(v, id, ODETTE_ID_LEN + 1) <= ODETTE_ID_LEN ? 0 :
	    -1;
}

int
odette_or_set_id(struct orname *or, const char *id)
{
	unsigned i;
	size_t	 n = strlen(id);

	for (i = 0; i < or->ndda && i < OR_UB_DDAS; i++)
		if (ormatch_value(or->dda[i].type, ODETTE_DDA)) {
			if (n > OR_UB_DDA_VALUE)
				return -1;
			memcpy(or->dda[i].value, id, n + 1);
			return 0;
		}
	return orname_add_dda(or, ODETTE_DDA, id, n) == OR_OK ? 0 : -1;
}

int
odette_to_or(const struct orname *domain, const char *id, struct orname *or,
    char *err, size_t errlen)
{
	int	 e;

	if (domain == NULL || id == NULL || or == NULL)
		return errf(err, errlen, ODETTE_EARG, "bad argument");
	if ((e = odette_check_id(id, err, errlen)) != ODETTE_OK)
		return e;
	orname_domain(domain, or);
	if (orname_add_dda(or, ODETTE_DDA, id, strlen(id)) != OR_OK)
		return errf(err, errlen, ODETTE_ESIZE, "ODETTE ID '%s' does "
		    "not fit in a domain-defined attribute (PrintableString: "
		    "no '&')", id);
	return ODETTE_OK;
}

/* Whether or, besides its one DDA (ODETTEID), is the domain d. */
static int
is_domain(const struct orname *or, const struct orname *d)
{
	static const enum or_attr a[] = { OR_C, OR_ADMD, OR_PRMD };
	unsigned i;

	if ((or->present & ((1u << OR_NATTR) - 1)) != d->present ||
	    or->nou != 0 || or->ndda != 1 || or->xrawlen != 0 ||
	    or->dnlen != 0)
		return 0;
	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		if (orname_get(d, a[i]) != NULL &&
		    !ormatch_value(orname_get(or, a[i]), orname_get(d, a[i])))
			return 0;
	return 1;
}

int
odette_from_or(const struct orname *domain, const struct orname *or,
    char id[ODETTE_ID_LEN + 1], char *err, size_t errlen)
{
	struct orname	 d;
	const char	*v;

	if (domain == NULL || or == NULL || id == NULL)
		return errf(err, errlen, ODETTE_EARG, "bad argument");
	if ((v = odette_or_id(or)) == NULL)
		return errf(err, errlen, ODETTE_ENOMAP,
		    "no DD.ODETTEID attribute");
	orname_domain(domain, &d);
	if (!is_domain(or, &d))
		return errf(err, errlen, ODETTE_ENOMAP,
		    "not an address in the gateway's OFTP domain (its "
		    "country, ADMD and PRMD plus DD.ODETTEID only)");
	if (odette_id_fold(v, id) < 0)
		return errf(err, errlen, ODETTE_EID, "ODETTE ID '%.40s' is "
		    "longer than %d", v, ODETTE_ID_LEN);
	if (odette_check_id(id, err, errlen) != ODETTE_OK)
		return ODETTE_EID;
	return ODETTE_OK;
}
