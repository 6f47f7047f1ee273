/*
 * NAME
 *	odette - ODETTE IDs (RFC 5024 5.4) and their X.400 addresses
 *	(see odette.h)
 * DESCRIPTION
 *	odette_check_id() goes from the whole value to its parts: the
 *	String(25) rule of 5.3 first (length, characters, no space), then
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
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "oftp/odette.h"
#include "util/err.h"

/* A String character (RFC 5024 5.3), space aside. */
static int
string_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    c == '/' || c == '-' || c == '.' || c == '&' || c == '(' ||
	    c == ')';
}

/* An SIOORG character (5.4), space aside (see odette.h). */
static int
org_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* A character as it should appear in a message. */
static const char *
show_char(int c, char *tmp, size_t len)
{
	if (c > 0x20 && c < 0x7f && c != '\'')
		snprintf(tmp, len, "'%c'", c);
	else
		snprintf(tmp, len, "0x%02x", (unsigned)c & 0xff);
	return tmp;
}

/* 5.3: String(25), no space inside. */
static int
check_string(const char *v, size_t n, char *err, size_t errlen)
{
	char	 tmp[8];
	size_t	 i;

	if (n == 0)
		return errf(err, errlen, ODETTE_EID,
		    "ODETTE ID: empty, a value is required");
	if (n > ODETTE_ID_LEN)
		return errf(err, errlen, ODETTE_EID,
		    "ODETTE ID: %zu characters, at most %d allowed", n,
		    ODETTE_ID_LEN);
	for (i = 0; i < n; i++) {
		if (v[i] == ' ')
			return errf(err, errlen, ODETTE_EID,
			    "ODETTE ID: %s space not allowed",
			    i == 0 ? "leading" : "embedded");
		if (!string_char((unsigned char)v[i]))
			return errf(err, errlen, ODETTE_EID,
			    "ODETTE ID: character %s at offset %zu not "
			    "allowed%s", show_char((unsigned char)v[i], tmp,
			    sizeof(tmp)), i, islower((unsigned char)v[i]) ?
			    " (upper case only)" : "");
	}
	return ODETTE_OK;
}

int
odette_check_id(const char *v, char *err, size_t errlen)
{
	char	 tmp[8];
	size_t	 n, i, org_end;
	int	 e;

	if (v == NULL)
		return errf(err, errlen, ODETTE_EARG, "ODETTE ID: none");
	n = strlen(v);
	if ((e = check_string(v, n, err, errlen)) != ODETTE_OK)
		return e;
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
			    "ODETTE ID '%s': character %s at offset %zu in "
			    "the organisation code (A-Z, 0-9 and '-', RFC "
			    "5024 5.4)", v, show_char((unsigned char)v[i],
			    tmp, sizeof(tmp)), i);
	return ODETTE_OK;
}

const char *
odette_or_id(const struct orname *or)
{
	unsigned i;

	for (i = 0; i < or->ndda && i < OR_UB_DDAS; i++)
		if (strcasecmp(or->dda[i].type, ODETTE_DDA) == 0)
			return or->dda[i].value;
	return NULL;
}

int
odette_or_set_id(struct orname *or, const char *id)
{
	unsigned i;
	size_t	 n = strlen(id);

	for (i = 0; i < or->ndda && i < OR_UB_DDAS; i++)
		if (strcasecmp(or->dda[i].type, ODETTE_DDA) == 0) {
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
		    "not fit in a domain-defined attribute", id);
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
		    strcasecmp(orname_get(or, a[i]), orname_get(d, a[i])) != 0)
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
	if (odette_check_id(v, err, errlen) != ODETTE_OK)
		return ODETTE_EID;
	memcpy(id, v, strlen(v) + 1);
	return ODETTE_OK;
}
