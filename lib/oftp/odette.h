/*
 * NAME
 *	odette - ODETTE IDs (RFC 5024 5.4) and their X.400 addresses
 * SYNOPSIS
 *	#include "oftp/odette.h"
 *
 *	char	 id[ODETTE_ID_LEN + 1], err[ODETTE_ERR_MAX];
 *	struct orname or;
 *
 *	if (odette_check_id(sfid.dest, err, sizeof(err)) != ODETTE_OK)
 *		...
 *	odette_to_or(&cfg.local_domain, "O0013ACME", &or, err, sizeof(err));
 *	odette_from_or(&cfg.local_domain, &or, id, err, sizeof(err));
 * DESCRIPTION
 *	The one place of the ODETTE ID rule; the configuration (station-id,
 *	odette, routed), the converters and oxaddr(1) all go through it.
 *
 *	odette_check_id() checks an Identification Code (RFC 5024 5.4), the
 *	format of SSIDCODE, SFIDDEST and SFIDORIG: a String(25) (5.3: the
 *	characters 0-9 A-Z / - . & ( ), no space inside; the value here is
 *	without its padding) made of
 *	  pos 0	 SIOOID, 'O' (an ODETTE-assigned code; 5.4 lets other values
 *		 name non-ODETTE codes, which this gateway does not take);
 *	  pos 1	 SIOICD, 9(4): four digits;
 *	  pos 5	 SIOORG, X(14): at least one and up to 14 of A-Z, 0-9 and
 *		 hyphen ("space and hyphen" in 5.4; the space is padding, as
 *		 5.3 allows no space inside a value);
 *	  pos 19 SIOCSA, X(6): the computer sub-address, up to 6 String
 *		 characters, optional.
 *
 *	The X.400 address of an OFTP station (the gateway's rule, see
 *	partners.ini(5) "local" and oxaddr(1)): the country, ADMD and PRMD
 *	of the gateway's X.400 domain with the domain-defined attribute
 *	ODETTEID holding the ID. odette_to_or() builds it; odette_from_or()
 *	takes it apart again and refuses an address with anything besides
 *	that domain and ODETTEID; the ID it returns is upper-cased
 *	(odette_id_fold()), so "DD.ODETTEID=o0013rita" is the station
 *	O0013RITA. odette_or_id() returns the value of the attribute
 *	ODETTEID of any address as it stands there, or NULL;
 *	odette_or_set_id() sets it, replacing the value there or adding the
 *	attribute. Types and values of O/R attributes are compared as
 *	ormatch(3) says (X.402 18.4: without regard to case, spaces at the
 *	ends and repeated spaces not significant).
 *
 *	Comparing ODETTE IDs (RFC 5024 5.3 allows upper case only, but an
 *	ID from an O/R address may be written in any case): odette_id_eq()
 *	compares two IDs upper-cased, padding spaces at the ends ignored
 *	(ormatch_value()); every comparison of IDs in the gateway goes
 *	through it. odette_id_fold() writes that upper-cased form of an ID
 *	(-1 when it is longer than ODETTE_ID_LEN).
 *
 *	This module uses the O/R address type of x400/orname.h (one level
 *	with lib/oftp; lib/x400 does not include lib/oftp).
 * DIAGNOSTICS
 *	Functions return ODETTE_OK or an ODETTE_E* code and write one line
 *	into err, naming the ID and what is wrong with it, e.g. "ODETTE ID
 *	'O13AAA': 'O' is not followed by a four-digit ICD". Nothing here
 *	prints or exits.
 */
#ifndef OX_ODETTE_H
#define OX_ODETTE_H

#include <stddef.h>

#include "x400/orname.h"

#define ODETTE_ID_LEN		25	/* String(25) */
#define ODETTE_ICD_LEN		4	/* SIOICD 9(4) */
#define ODETTE_ORG_MAX		14	/* SIOORG X(14) */
#define ODETTE_CSA_MAX		6	/* SIOCSA X(6) */
#define ODETTE_ERR_MAX		256
#define ODETTE_DDA		"ODETTEID"

enum odette_err {
	ODETTE_OK = 0,
	ODETTE_EID,	/* not an ODETTE ID */
	ODETTE_ENOMAP,	/* not the address of an OFTP station */
	ODETTE_ESIZE,	/* the ID does not fit in the address */
	ODETTE_EARG
};

int	 odette_check_id(const char *, char *, size_t);
int	 odette_to_or(const struct orname *, const char *, struct orname *,
	    char *, size_t);
int	 odette_from_or(const struct orname *, const struct orname *,
	    char [ODETTE_ID_LEN + 1], char *, size_t);
const char *odette_or_id(const struct orname *);
int	 odette_or_set_id(struct orname *, const char *);
int	 odette_id_eq(const char *, const char *);
int	 odette_id_fold(const char *, char [ODETTE_ID_LEN + 1]);

#endif
