/*
 * NAME
 *	ormatch - whether two O/R names name the same user (X.402 18.4,
 *	NIST OIW Part 8 Annex B.1)
 * SYNOPSIS
 *	#include "x400/ormatch.h"
 *
 *	if (ormatch_name(&rcpt, &partner->local))
 *		...
 *	if (ormatch_value("O0013RITA", "o0013rita "))
 *		...
 *	char	 key[OR_UB_DDA_VALUE + 1];
 *	ormatch_fold(" Acme   Ltd ", key, sizeof(key));	("ACME LTD")
 * DESCRIPTION
 *	The one rule by which the gateway compares O/R names and their
 *	values: partner lookup, originator -> partnership, recipient ->
 *	OFTP station, report and notification correlation, and ODETTE IDs
 *	(odette(3) compares them with ormatch_value()). orname_equal() stays
 *	the exact, octet-for-octet identity of two structs (round trips).
 *
 *	ormatch_fold() is the normalisation of one value: leading and
 *	trailing spaces dropped, a run of spaces inside taken as one space,
 *	the letters a-z upper-cased (X.402 (1988) 18.4 as the NIST OIW
 *	agreements Part 8 B.1 adopt it: values compare "without regard to
 *	case", spaces at the ends and repeated spaces not significant; the
 *	same folding RFC 2156 4.3.5 Mapping B step 1 applies for table
 *	lookups, rfc2156.txt:3148-3153). Other octets are kept as they are.
 *	It writes at most cap - 1 characters and a NUL into out and returns
 *	the length of the whole folded value (as snprintf does: a result
 *	>= cap means it was cut). ormatch_value() tells whether two
 *	NUL-terminated values fold to the same string, whatever their
 *	length. Thus a value of spaces only equals the empty value (an ADMD
 *	of a single space and one of zero length, RFC 2156 4.3.5 Mapping B
 *	step 1: "The only attribute which is permitted to have zero length
 *	is the ADMD. This shall be mapped onto a single space").
 *
 *	ormatch_name() tells whether two O/R names are equivalent:
 *	  - the same attributes are present, each compared with
 *	    ormatch_value(): C, ADMD, PRMD, X121, T-ID, UA-ID, O, S, G, I,
 *	    GQ, CN, each OU by its position, and the domain-defined
 *	    attributes by type (type and value both folded, in any order);
 *	  - whether C, ADMD or PRMD is a NumericString or a PrintableString
 *	    does not matter (B.1 a: an all-numeric ADMD or PRMD encoded as
 *	    PrintableString is the same name encoded as NumericString);
 *	  - teletex values (extension attributes 2 teletex-common-name,
 *	    3 teletex-organization-name, 4 teletex-personal-name,
 *	    5 teletex-organizational-unit-names, 6 teletex-domain-defined-
 *	    attributes, kept as BER in orname.xraw) are compared with the
 *	    teletex value of the other name where it has one, else with its
 *	    printable value (B.1 b: "An extension attribute encoded as
 *	    Teletex String shall be compared with the corresponding standard
 *	    attribute encoded as Printable String if that extension
 *	    attribute is not present in both ORAddresses"); likewise a
 *	    printable value with the other name's teletex value where it has
 *	    no printable one. Only the characters of the T.61 primary set
 *	    (repertoire 102) that are also PrintableString characters can
 *	    equal a printable value: any other octet makes the comparison a
 *	    mismatch, as B.1 allows ("the presence of graphic characters
 *	    from other repertoires can be treated as a mismatch"). Two
 *	    teletex values fold only the letters a-z and spaces;
 *	  - other extension attributes (postal, universal, ...) and a
 *	    teletex attribute that does not decode compare as BER octets,
 *	    in any order; the directory name as BER octets (its matching
 *	    is X.501's, not done here).
 * DIAGNOSTICS
 *	None: the functions return a length or a truth value, never print
 *	or fail.
 */
#ifndef OX_ORMATCH_H
#define OX_ORMATCH_H

#include <stddef.h>

#include "x400/orname.h"

size_t	 ormatch_fold(const char *, char *, size_t);
int	 ormatch_value(const char *, const char *);
int	 ormatch_name(const struct orname *, const struct orname *);

#endif
