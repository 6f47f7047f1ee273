/*
 * NAME
 *	rpt_build - X.400 delivery / non-delivery reports: the one P1
 *	report builder of the toolkit
 * SYNOPSIS
 *	#include "gw/rpt_build.h"
 *
 *	struct rpt_target	 tg;
 *	struct rpt_outcome	 oc = { P1_NON_DELIVERY, 0, 5, "..." };
 *	char			 id[RPT_ID_SZ];
 *
 *	rpt_target(trace, &row, partner, station_odette, &tg, why, n);
 *	rpt_report_id(cfg.mta_designator, &row, "expiry", id);
 *	rpt_build_report(&w, &cfg.gdi, id, &tg, row.created, now, &oc,
 *	    why, n);
 *
 *	struct rpt_report	 rp = { id, &env->originator, &env->id,
 *				    env->ctype, cid, now, n, rr };
 *	rpt_rcpt_set(&rr[i], &rcpt->name, rcpt->osrn, rcpt->pri, now, now,
 *	    &oc);
 *	rpt_encode(&w, &cfg.gdi, &rp, why, n);
 * DESCRIPTION
 *	Every delivery and non-delivery report the toolkit writes is
 *	encoded by rpt_encode(): x4002oftp's (on a message or probe it
 *	has in hand), eerp2report's and the expiry sweep's (on a trace
 *	row, through rpt_build_report()). rpt_encode() writes the
 *	MTS-APDU report [1]: ReportTransferEnvelope (report identifier id
 *	in the domain dom, report-destination-name dest, one trace element
 *	of dom arriving now) and ReportTransferContent (X.411
 *	PerReportTransferFields, reference/x400.md "Reports"):
 *	subject-identifier, the content-type of the subject message (or
 *	probe) and its content-identifier when it has one, and the
 *	per-recipient fields rcpt. rpt_rcpt_set() fills one
 *	PerRecipientReportTransferFields: actual recipient, originally
 *	specified recipient number, per-recipient indicators, arrival time,
 *	and the outcome: a delivery (delivery time now, type of MTS user
 *	other: an OFTP station) or a non-delivery with reason and
 *	diagnostic; supplementary information when given (made
 *	PrintableString by rpt_printable).
 *
 *	The gateway answers the originator of an X.400 message it turned
 *	into an OFTP file: eerp2report when the OFTP station's EERP / NERP
 *	comes, the expiry sweep of oxtrace when none came in time. Both
 *	build the P1 report here, from the trace row alone.
 *
 *	rpt_target() reads who and what the report is about: the subject
 *	MTS identifier (the row's text form, read back by rpt_mtsid_parse),
 *	the IPM or EDIM identifier when the row has one (has_ipm), the
 *	report destination, which is the X.400 originator recorded in the
 *	row (schema 2, x400_orig) or, for rows without it, the originator
 *	part of the IPM / EDIM identifier; the subject's content type (the
 *	row's content_type, schema 6: an RN on a P2 message is P2; for rows
 *	without it an EDIM row P35, an IPM row P22) and no content
 *	identifier (the trace does not record it); and
 *	the actual recipient: the
 *	recipient the trace lists whose DDA ODETTEID is station (an ODETTE
 *	ID, may be NULL), else the first one listed, else the partnership's
 *	local O/R address; and that recipient's originally specified
 *	recipient number, the row's rcpt (schema 8: x4002oftp makes one row
 *	per recipient's file), 1 for a row without one.
 *
 *	rpt_report_id() gives the report's MTS local identifier: the MTA
 *	designator and 20 characters derived from the kind ("report" for
 *	eerp2report, "expiry" for the sweep), the row id and the row's MTS
 *	identifier (ident_local(), see ident.h), stable over redos so that
 *	a redo writes the same file: the caller names the file ID.p1.
 *
 *	rpt_expiry_ndr() gives the file name (in spool/x400/out) of the
 *	NDR the expiry sweep makes for a row (rpt_report_id() of kind
 *	"expiry", then ".p1") and says whether it was recorded as the row's
 *	output: 1 the NDR was sent, 0 not, -1 the trace failed. In transfer
 *	mode, one NDR ends the message: no reactivation, no DR after it
 *	(one report per message).
 *
 *	rpt_build_report() encodes the report on a struct rpt_target with
 *	rpt_encode(): the report identifier in the domain dom (the MTA's
 *	global domain identifier), destination the originator, subject
 *	identifier, content type and identifier of tg, one per-recipient
 *	entry for the station (its number tg->osrn, no indicators) with arrival time
 *	arrival (the row's creation) and the outcome oc. rpt_gdi_from()
 *	copies the domain
 *	part of an O/R name into a global domain identifier.
 *
 *	rpt_build_edin() encodes an X.435 EDI notification (EDIN) as a P1
 *	message with P35 content (content type 35): the P35 EDIN into
 *	content (which must live until w is written), the message into w.
 *	Envelope: identifier id in dom, originator and sole content
 *	originator edin_orig (the gateway's O/R address of the OFTP
 *	station: the recipient who notifies), one recipient dest (the EDIM
 *	originator; responsibility, non-delivery reports asked), priority
 *	normal, one trace element. EDIN common fields: subject-edim
 *	subject, edin-originator edin_orig, first-recipient first (when not
 *	NULL: the recipient as the EDIM named it), notification-time now,
 *	edin-initiator internal-ua; a positive notification, or a negative
 *	one with the reason (source and basic code) of e; supplementary
 *	information e->suppl made PrintableString and cut at 256.
 *	rpt_edimid_from() turns the IPM / EDIM identifier of a
 *	struct rpt_target into an EDIMIdentifier (-1: it has no user part,
 *	which an EDIMIdentifier needs).
 *	rpt_build_message() encodes the P1 message around a finished content
 *	(content type ctype, e.g. P1_CT_P22 for an IPN, P1_CT_P35 for an
 *	EDIN) that the gateway sends as a notification: identifier id in
 *	dom, originator orig, the one recipient dest (responsibility, NDRs
 *	asked for), normal priority, one trace element of dom at now.
 *	rpt_build_edin() uses it.
 *	rpt_build_ipn() encodes an IPN on the IPM of tg from the OFTP
 *	station (tg.station) to its originator, in the subject's content
 *	type (P2 for a P2 message, else P22), in a P1 message made by
 *	rpt_build_message(): a receipt notification (receipt 1: automatic,
 *	receipt time now, supplementary receipt information suppl when not
 *	NULL) or a non-receipt notification, reason ipm-discarded, with
 *	discard-reason ipm-expired when expired is 1 (the expiry sweep's
 *	NRN in agent mode). eerp2report (RN/NRN from an EERP/NERP) and the
 *	expiry sweep use it.
 * DIAGNOSTICS
 *	rpt_expiry_ndr() returns 1, 0, or -1 (trace_error() says why).
 *	rpt_target() returns RPT_OK, RPT_BAD (the row does not allow a
 *	report: the message why) or RPT_TEMP (the trace could not be read).
 *	rpt_encode(), rpt_build_report(), rpt_build_edin(), rpt_build_ipn()
 *	and rpt_build_message() return
 *	RPT_OK or RPT_BAD (encoding failed: the message why).
 */
#ifndef OX_RPT_BUILD_H
#define OX_RPT_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "gw/config.h"
#include "gw/ident.h"
#include "gw/trace.h"
#include "x400/p1.h"
#include "x400/p22.h"
#include "x400/p35.h"

#define RPT_OK		0
#define RPT_BAD		(-1)
#define RPT_TEMP	(-2)

#define RPT_ID_SZ	IDENT_SZ	/* designator + 20 characters */

struct berw;

struct rpt_target {
	struct p1_mtsid	 subject;	/* the message's MTS identifier */
	struct p22_ipmid subject_ipm;	/* its IPM / EDIM identifier */
	int		 has_ipm;
	struct orname	 originator;	/* the report's destination */
	struct orname	 station;	/* the OFTP side: actual recipient */
	int64_t		 osrn;		/* its originally specified
					   recipient number */
	struct p1_ctype	 ctype;		/* the subject's content type */
	int		 has_cid;
	char		 cid[P1_UB_CONTENT_ID + 1]; /* its content identifier */
};

struct rpt_outcome {
	int		 type;		/* P1_DELIVERY, P1_NON_DELIVERY */
	int64_t		 reason;	/* NonDeliveryReasonCode */
	int64_t		 diag;		/* NonDeliveryDiagnosticCode */
	const char	*suppl;		/* supplementary information, or NULL */
};

/* One report: ReportTransferEnvelope and ReportTransferContent. */
struct rpt_report {
	const char		*id;		/* report MTS local identifier */
	const struct orname	*dest;		/* report-destination-name */
	const struct p1_mtsid	*subject;	/* subject-identifier */
	struct p1_ctype		 ctype;		/* of the subject */
	const char		*cid;		/* of the subject, or NULL */
	time_t			 now;		/* our trace element */
	size_t			 nrcpt;
	struct p1_rrcpt		*rcpt;
};

struct rpt_edin {
	int		 kind;		/* P35_PN, P35_NN */
	int		 source;	/* NN: P35_RC_UA_MS, P35_RC_USER */
	int64_t		 basic;		/* NN: basic reason code */
	const char	*suppl;		/* supplementary information, or NULL */
};

int	 rpt_target(struct trace *, const struct trace_row *,
	    const struct ox_partner *, const char *, struct rpt_target *,
	    char *, size_t);
void	 rpt_report_id(const char *, const struct trace_row *, const char *,
	    char *);
int	 rpt_expiry_ndr(struct trace *, const char *, const struct trace_row *,
	    char *, size_t);
void	 rpt_gdi_from(struct p1_gdi *, const struct orname *);
void	 rpt_rcpt_set(struct p1_rrcpt *, const struct orname *, int64_t,
	    uint64_t, time_t, time_t, const struct rpt_outcome *);
int	 rpt_encode(struct berw *, const struct orname *,
	    const struct rpt_report *, char *, size_t);
int	 rpt_build_report(struct berw *, const struct orname *, const char *,
	    const struct rpt_target *, time_t, time_t,
	    const struct rpt_outcome *, char *, size_t);
int	 rpt_edimid_from(const struct p22_ipmid *, struct p35_edimid *);
int	 rpt_build_edin(struct berw *, struct berw *, const struct orname *,
	    const char *, const struct p35_edimid *, const struct orname *,
	    const struct orname *, const struct orname *, time_t,
	    const struct rpt_edin *, char *, size_t);
int	 rpt_build_message(struct berw *, struct berw *, const struct orname *,
	    const char *, const struct orname *, int64_t, const struct orname *,
	    time_t, char *, size_t);
int	 rpt_build_ipn(struct berw *, struct berw *, const struct orname *,
	    const char *, const struct rpt_target *, int, int, time_t,
	    const char *, char *, size_t);

#endif
