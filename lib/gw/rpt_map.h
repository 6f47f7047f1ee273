/*
 * NAME
 *	rpt_map - the one table between X.400 reports and OFTP EERP / NERP
 * SYNOPSIS
 *	#include "gw/rpt_map.h"
 *
 *	char	 text[NERP_TEXT_MAX + 1];
 *
 *	rpt_ndr_text(text, sizeof(text), r->reason, r->has_diag, r->diag,
 *	    r->has_suppl ? r->suppl : NULL);
 *	rpt_nerp_to_ndr(e.reason, &reason, &diag);
 * DESCRIPTION
 *	report2eerp and eerp2report translate between the X.400 answers to
 *	a message (X.411 delivery / non-delivery reports, X.420 receipt /
 *	non-receipt notifications, X.435 EDI notifications) and the OFTP
 *	end-to-end responses (RFC 5024 EERP, NERP). The words and the
 *	mapping live here only; report2eerp(1) and eerp2report(1) print the
 *	same tables.
 *
 *	rpt_ndr_reason_name(), rpt_ndr_diag_name() give the ASN.1 names of
 *	X.411 NonDeliveryReasonCode (0..8) and NonDeliveryDiagnosticCode
 *	(0..49); rpt_discard_name() X.420 DiscardReasonField,
 *	rpt_nrn_reason_name() NonReceiptReasonField, rpt_nn_name() the
 *	X.435 negative-notification basic codes by their source. Unknown
 *	codes give NULL.
 *
 *	rpt_ndr_text(), rpt_nrn_text() and rpt_nn_text() write the NERP
 *	reason text (NERPREAST) for a non-delivery, a non-receipt or a
 *	negative EDI notification: "X.400 non-delivery: unable-to-transfer
 *	(1), diagnostic unrecognised-OR-name (0)"; an unknown code appears
 *	as "code N". The supplementary information of the report entry,
 *	when not NULL or empty, follows after ": " (what the far end said,
 *	e.g. the reason text of the NERP a far station sent, which an
 *	eerp2report put there), cut at the text's size.
 *
 *	rpt_nerp_to_ndr() chooses the X.411 non-delivery reason and
 *	diagnostic for a NERP reason (eerp2report, transfer mode).
 *	rpt_nerp_to_nn() chooses the X.435 negative notification reason
 *	(source: P35_RC_UA_MS or P35_RC_USER, and basic code) for a NERP
 *	reason (eerp2report, an EDIM whose recipient asked for NN, both
 *	modes); eerp2report(1) prints both tables.
 *
 *	rpt_edimid_text() is the text form of an EDIM identifier in the
 *	trace table, "STD-OR;local" like gw_ipmid_text(). rpt_mtsid_parse()
 *	and rpt_ipmid_parse() read back the text forms of gw_mtsid_text()
 *	and gw_ipmid_text(). rpt_printable() copies text into an X.411
 *	PrintableString (other characters become '?').
 * DIAGNOSTICS
 *	The parsers return 0, or -1 when the text is not in the form.
 */
#ifndef OX_RPT_MAP_H
#define OX_RPT_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "x400/p1.h"
#include "x400/p22.h"
#include "x400/p35.h"

const char *rpt_ndr_reason_name(int64_t);
const char *rpt_ndr_diag_name(int64_t);
const char *rpt_discard_name(int64_t);
const char *rpt_nrn_reason_name(int64_t);
const char *rpt_nn_name(int, int64_t);

void	 rpt_ndr_text(char *, size_t, int64_t, int, int64_t, const char *);
void	 rpt_nrn_text(char *, size_t, int64_t, int, int64_t);
void	 rpt_nn_text(char *, size_t, int, int64_t, int, int64_t);
void	 rpt_nerp_to_ndr(unsigned, int64_t *, int64_t *);
void	 rpt_nerp_to_nn(unsigned, int *, int64_t *);

void	 rpt_edimid_text(const struct p35_edimid *, char *, size_t);
int	 rpt_mtsid_parse(const char *, struct p1_mtsid *);
int	 rpt_ipmid_parse(const char *, struct p22_ipmid *);
void	 rpt_printable(const char *, char *, size_t);

#endif
