/*
 * NAME
 *	edipart - the EDI trading-partner table (EDIFACT UNB IDs -> O/R)
 * SYNOPSIS
 *	#include "gw/edipart.h"
 *
 *	struct edipart_table t;
 *
 *	if (edipart_load(&t, "/etc/oxgate/mapping/edi-partners", err,
 *	    sizeof(err)) < 0) ...
 *	const struct orname *or = edipart_lookup(&t, "4012345000009", "14");
 *	edipart_free(&t);
 * DESCRIPTION
 *	The central EDI function finds the X.400 recipient of an EDIFACT
 *	interchange from the recipient identification of its UNB segment
 *	(S003: 0010 an..35, optional qualifier 0007 an..4). The table is a
 *	text file, one trading partner per line:
 *
 *	    ID[:QUALIFIER]  STD-OR-ADDRESS
 *
 *	separated by blanks; '#' starts a comment; blank lines are ignored.
 *	An entry without a qualifier matches the ID with any qualifier; an
 *	entry with one matches only that qualifier and wins over the entry
 *	without. IDs compare exactly (EDIFACT IDs are case-sensitive).
 *	The same ID and qualifier twice is an error.
 *
 *	edipart_detect() tells whether a text starts with an EDI
 *	interchange (the P2 <-> PEDI conversion rules need to know an EDI
 *	payload carried in an IPM body part): EDIFACT (an optional UNA,
 *	then UNB) or ANSI X12 (ISA), by the rule of unb_start() in unb(3).
 * DIAGNOSTICS
 *	edipart_load() returns 0, or -1 with "FILE:LINE: reason" in err.
 *	edipart_lookup() returns NULL when no entry matches.
 *	edipart_detect() returns EDIPART_EDIFACT, EDIPART_X12 or
 *	EDIPART_NONE.
 */
#ifndef OX_EDIPART_H
#define OX_EDIPART_H

#include <stddef.h>
#include <stdint.h>

#include "x400/orname.h"

#define EDIPART_ID_MAX		35	/* UNB 0004 / 0010 an..35 */
#define EDIPART_QUAL_MAX	4	/* UNB 0007 an..4 */

#define EDIPART_NONE		0	/* edipart_detect(): no interchange */
#define EDIPART_EDIFACT		1
#define EDIPART_X12		2

struct edipart {
	char		 id[EDIPART_ID_MAX + 1];
	char		 qual[EDIPART_QUAL_MAX + 1];	/* "" = any */
	struct orname	 or;
};

struct edipart_table {
	struct edipart	*v;
	size_t		 n;
};

int	 edipart_load(struct edipart_table *, const char *, char *, size_t);
const struct orname *edipart_lookup(const struct edipart_table *,
	    const char *, const char *);
void	 edipart_free(struct edipart_table *);
int	 edipart_detect(const uint8_t *, size_t);

#endif
