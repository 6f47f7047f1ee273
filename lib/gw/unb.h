/*
 * NAME
 *	unb - the EDIFACT interchange header (UNA, UNB) at the start of a file
 * SYNOPSIS
 *	#include "gw/unb.h"
 *
 *	uint8_t	 head[UNB_HEAD_MAX];
 *	struct unb u;
 *	struct cur c;
 *
 *	n = pread(fd, head, sizeof(head), 0);
 *	cur_init(&c, head, n);
 *	if (unb_parse(&c, &u, err, sizeof(err)) < 0)
 *		return refuse(..., err);
 *	if (unb_get(&u, UNB_ICR, 0, icr, sizeof(icr) - 1, &has) < 0) ...
 * DESCRIPTION
 *	The EDIFACT service segments (ISO 9735) a gateway needs: the
 *	service string advice UNA and the interchange header UNB, parsed
 *	from a buffer that holds the start of the interchange (the caller
 *	reads the file; UNA and UNB must end within UNB_HEAD_MAX bytes).
 *
 *	unb_start() is the one rule for where an interchange starts: after
 *	optional white space (SP, HT, CR, LF), an ANSI X12 interchange
 *	control header "ISA" followed by an element separator (a graphic
 *	character that is no letter, digit or space), or an EDIFACT UNA
 *	with its six service characters (then optional CR, LF) followed by
 *	"UNB" and the element separator (the UNA's, or '+'). Without a UNA
 *	the separators are the ISO 9735 level A defaults: component ':',
 *	element '+', decimal '.', release '?', segment terminator '\''.
 *	A UNA release character of space means none. On EDIPART_EDIFACT
 *	the cursor stands after "UNB" and its separator. edipart_detect()
 *	is unb_start() on a byte range.
 *
 *	unb_parse() reads the UNB segment up to its terminator into u->v:
 *	element e, component k (0-based: v[0][0] is the syntax identifier
 *	0001, v[0][1] its version 0002, v[1] the sender S002, v[2] the
 *	recipient S003, v[3] date and time S004, v[4] the control
 *	reference 0020, ...). The release character makes the next
 *	character part of the value, whatever it is. At most UNB_ELEMS
 *	elements of UNB_COMPS components of UNB_VAL_MAX - 1 characters.
 *
 *	unb_get() copies one value into a bounded field (of ub characters
 *	plus the NUL) and says whether it is present; unb_party() fills an
 *	X.435 interchange party (identification, qualifier, routing
 *	address) from element e; unb_time() converts S004 (YYMMDD or
 *	CCYYMMDD, HHMM, taken as UTC). unb_7bit() tells whether the syntax
 *	identifier names a 7-bit repertoire (UNOA, UNOB); the others (UNOC
 *	.. UNOK: ISO 8859 parts, UNOW, UNOX, UNOY ...) are 8-bit.
 * DIAGNOSTICS
 *	unb_start() returns EDIPART_EDIFACT, EDIPART_X12 or EDIPART_NONE.
 *	unb_parse() returns 0, or -1 with one line in err: the byte offset
 *	in the buffer, the element and component (1-based, as ISO 9735
 *	counts), and the reason (no UNB, an X12 interchange, truncated,
 *	too many elements or components, a value too long).
 *	unb_get(), unb_party() and unb_time() return 0, or -1 when a value
 *	does not fit or the date/time is bad.
 */
#ifndef OX_UNB_H
#define OX_UNB_H

#include <stddef.h>
#include <time.h>

#include "util/cur.h"
#include "x400/p35.h"

#define UNB_HEAD_MAX	4096	/* UNA + UNB must end within this */
#define UNB_ELEMS	12
#define UNB_COMPS	4
#define UNB_VAL_MAX	40	/* a value and its NUL */

/* UNB elements (0-based) */
#define UNB_SYNTAX	0	/* S001: 0001 identifier, 0002 version */
#define UNB_SENDER	1	/* S002 */
#define UNB_RECIPIENT	2	/* S003 */
#define UNB_DATETIME	3	/* S004 */
#define UNB_ICR		4	/* 0020 interchange control reference */
#define UNB_RREF	5	/* S005 recipient reference, qualifier */
#define UNB_APPREF	6	/* 0026 application reference */
#define UNB_PRIO	7	/* 0029 processing priority */
#define UNB_ACKREQ	8	/* 0031 acknowledgement request */
#define UNB_AGREEMENT	9	/* 0032 communications agreement ID */
#define UNB_TEST	10	/* 0035 test indicator */

struct unb {
	struct p35_ssa	 ssa;		/* the UNA's, or the defaults */
	int		 has_una;
	char		 v[UNB_ELEMS][UNB_COMPS][UNB_VAL_MAX];
};

int	 unb_start(struct cur *, struct unb *);
int	 unb_parse(struct cur *, struct unb *, char *, size_t);
const char *unb_syntax(const struct unb *);
int	 unb_7bit(const struct unb *);
int	 unb_get(const struct unb *, int, int, char *, size_t, int *);
int	 unb_party(const struct unb *, int, struct p35_party *);
int	 unb_time(const struct unb *, time_t *);

#endif
