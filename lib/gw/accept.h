/*
 * NAME
 *	accept - whether the gateway takes an OFTP file, from its SFID and
 *	the configuration alone
 * SYNOPSIS
 *	#include "gw/accept.h"
 *
 *	struct accept a;
 *
 *	if (accept_sfid(&cfg, &partners, &sfid, &a) != 0)
 *		refuse(a.nerp, a.why);		(NERP a.nerp, SFNA
 *						 nerp_sfna(a.nerp))
 *	else
 *		convert for a.p;
 * DESCRIPTION
 *	accept_sfid() holds every rule of oftp2x400's acceptance that needs
 *	nothing but the Start File command's fields and the configuration,
 *	so that oftp2x400 (after the file came) and oxspool check (before:
 *	the start-file hook of a daemon that answers SFPA or SFNA) cannot
 *	disagree. In this order, the first that fails decides:
 *	  1. the partnership: SFIDDEST is the virtual station ID of a
 *	     partner (O0177000000000X0LU + user ID), or the general station
 *	     ID ([oftp] station-id) with the partner's user ID at the start
 *	     of SFIDDSN (up to the first '.'; several partnerships may share
 *	     a user ID, the sending station picks: partner_by_vstation()),
 *	     else the central EDI partnership of the sending station (the
 *	     general station ID, the station's own partnership, not a
 *	     routed one, with a DDA EDI in its x400 address). None: NERP 12
 *	     (invalid destination);
 *	  2. SFIDORIG is the partnership's station or one of its routed
 *	     stations, else NERP 13 (invalid origin);
 *	  3. size: SFIDFSIZ and SFIDOSIZ, in 1 KiB blocks, at most [oftp]
 *	     max-file-size rounded up to blocks, else NERP 16 (file size
 *	     too big);
 *	  4. security (RFC 5024 6): SFIDENV set with no layer in SFIDSEC or
 *	     SFIDCOMP: NERP 34; an encrypted file (SFIDSEC 01, 03) without
 *	     our key and certificate as SFIDDEST (the virtual station's
 *	     station-key, else [security] key, certificate:
 *	     partner_own_keys()): NERP 26 (encrypted file not allowed); a
 *	     signed file (SFIDSEC 02, 03) for a partnership without a
 *	     certificate for SFIDORIG (a routed station's own, else the
 *	     partnership's: partner_cert()): NERP 29 (signed file not
 *	     allowed).
 *	What the payload shows (its real size, the CMS layers, the records,
 *	MIME, an EDI interchange's UNB) is oftp2x400's after receipt; the
 *	field syntax (format, record length, dates) is sfid_validate()'s,
 *	before this. a->lp is the partnership the destination names (also
 *	when the origin is refused: its OFTP level shapes the NERP), a->p
 *	the accepted one.
 * DIAGNOSTICS
 *	accept_sfid() returns 0 (accepted) or the NERP reason code (RFC 5024
 *	5.3.14), also in a->nerp, with one line in a->why naming the field
 *	and the configuration that refuse it. It never prints or exits.
 */
#ifndef OX_ACCEPT_H
#define OX_ACCEPT_H

#include "gw/config.h"
#include "oftp/sfid.h"

#define ACCEPT_WHY_MAX	512

struct accept {
	const struct ox_partner	*p;	/* the partnership, when accepted */
	const struct ox_partner	*lp;	/* found by the destination */
	unsigned		 nerp;	/* 0, or the NERP reason */
	char			 why[ACCEPT_WHY_MAX];
};

unsigned	 accept_sfid(const struct ox_config *, const struct ox_partners *,
		    const struct sfid *, struct accept *);

#endif
