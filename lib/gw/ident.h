/*
 * NAME
 *	ident - the local identifiers the gateway gives the X.400 objects it
 *	makes (MTS identifiers of messages and reports, IPM and EDIM
 *	identifiers)
 * SYNOPSIS
 *	#include "gw/ident.h"
 *
 *	char	 id[IDENT_SZ];
 *
 *	ident_oftp(cfg.mta_designator, &sfid, id);	   oftp2x400
 *	ident_local(cfg.mta_designator, "ndr", mts_text, id); any other
 *	switch (ident_oftp_taken(trace, mts_text, &sfid, why, n)) ...
 *
 *	if (ident_designator_check(value, why, n) < 0) ...
 *	ident_designator_from(cfg.mta_name, cfg.mta_designator);
 * DESCRIPTION
 *	Every local identifier the gateway makes is 32 characters, the
 *	upper bound of an MTS local identifier (X.411 ub-local-id):
 *
 *	    DDDDDDDDDDDD pppppppppppppppppppp
 *	    designator   per-message part      (no space between them)
 *
 *	The designator is the 12 characters of [x400] mta-designator in
 *	oxgate.ini: letters, digits, '-' and '.', the first a letter or a
 *	digit (ident_designator_check()). It tells this gateway MTA apart
 *	from any other MTA of the domain, which must use another one.
 *	Without the key it is ident_designator_from() the MTA name: its
 *	characters up to 12, those outside the set above made '-', leading
 *	'-' and '.' dropped, padded with '-' ("OXGATE" -> "OXGATE------");
 *	an MTA name with no letter or digit gives "OXGATE------".
 *
 *	The per-message part is 20 characters of the base32 alphabet of
 *	RFC 4648 in lower case (a-z, 2-7): the first 100 bits of
 *	SHA-256("KIND|KEY"), where KIND names what is made and KEY is the
 *	identity of the transaction it is made for (ident_local()). So
 *	the same transaction always gets the same identifier, in any
 *	process, after any restart: a redo after a crash writes the same
 *	file with the same identifiers (the spool contract), and no
 *	counter or lock is shared between processes. Two different
 *	transactions get the same part only by a SHA-256 collision in 100
 *	bits: for 10^9 identifiers the chance that any two meet is below
 *	4 * 10^-13. The kinds used:
 *
 *	    oftp	oftp2x400: the message (MTS identifier) and its IPM or
 *			EDIM identifier; KEY "DSN|DATE|TIME|ORIG|DEST", the
 *			OFTP identity of the file (ident_oftp())
 *	    report	eerp2report: the DN / NDN, or the message carrying the
 *			RN / NRN; KEY "ROW|MTS", the trace row and the
 *			subject's MTS identifier text
 *	    edin	eerp2report: the PN / NN EDIN owed on an EDIM; KEY as
 *			for report
 *	    expiry	oxtrace expire: the NDR; KEY as for report
 *	    expiry-edin	oxtrace expire: the NN EDIN on an expired EDIM;
 *			KEY as for report (another kind than edin, so it
 *			never names eerp2report's EDIN)
 *	    dr ndr	x4002oftp: the reports on a message (agent mode DN,
 *	    probe-dr	NDR of refused recipients) and answers to a probe;
 *	    probe-ndr	KEY the subject's MTS identifier text
 *	    edin-nn	x4002oftp: the NN EDIN for a refused EDIM; KEY
 *			"MTS|OSRN", the subject's MTS identifier text and the
 *			recipient's originally-specified recipient number
 *
 *	Every character is in PrintableString and IA5String, and the
 *	identifier is also the file name of what is made (ID.p1, ID.eerp):
 *	no '/', no space, no leading '.' or '-'.
 *
 *	ident_oftp_taken() guards the impossible case: it looks up the
 *	MTS identifier text in the trace table (the unique index on
 *	direction and MTS identifier) and says whether an oftp2x400
 *	transaction of another OFTP identity holds it already, so that
 *	oftp2x400 stops before it overwrites that transaction's output.
 * DIAGNOSTICS
 *	ident_designator_check() returns 0, or -1 with the reason in why.
 *	ident_oftp_taken() returns 0 (free, or held by this identity: a
 *	redo), 1 (held by another transaction: which one in why) or -1 (the
 *	trace could not be read: why). ident_local() calls log_panic() if
 *	KIND holds a '|' (a bug: the kinds are constants) or SHA-256 fails
 *	(OpenSSL out of memory).
 */
#ifndef OX_IDENT_H
#define OX_IDENT_H

#include <stddef.h>

#define IDENT_DESIGNATOR_LEN	12
#define IDENT_PART_LEN		20
#define IDENT_LEN		(IDENT_DESIGNATOR_LEN + IDENT_PART_LEN)
#define IDENT_SZ		(IDENT_LEN + 1)

struct sfid;
struct trace;

int	 ident_designator_check(const char *, char *, size_t);
void	 ident_designator_from(const char *, char *);
void	 ident_local(const char *, const char *, const char *, char *);
void	 ident_oftp(const char *, const struct sfid *, char *);
int	 ident_oftp_taken(struct trace *, const char *, const struct sfid *,
	    char *, size_t);

#endif
