/*
 * NAME
 *	p35 - X.435 PEDI content (EDIM and EDIN): model and BER codec
 * SYNOPSIS
 *	#include "x400/p35.h"
 *
 *	struct p35_pdu	 pdu;
 *	struct ber_dec	 d;
 *
 *	ber_dec_init(&d);
 *	p35_init(&pdu);
 *	if (p35_decode(&d, NULL, data, len, &pdu) != BER_OK)
 *		warnx("offset %zu: %s: %s", d.err_off,
 *		    d.err_field ? d.err_field : "?", ber_strerror(d.err));
 *	...
 *	p35_encode(&w, &pdu);
 *	p35_free(&pdu);
 * DESCRIPTION
 *	A struct p35_pdu holds one InformationObject of X.435 (06/1999),
 *	module EDIMSInformationObjects: the content of a P1 message whose
 *	content type is 35 (PEDI). It is either an EDI message, edim [0]
 *	SEQUENCE { Heading, Body }, or an EDI notification, edin [1]
 *	EXPLICIT CHOICE { positive [0], negative [1], forwarded [2] }.
 *
 *	Decoded into members: every Heading field but edin-receiver [4]
 *	and edi-application-security-elements [11]; every field of
 *	RecipientsSubField but recipient-extensions [13]; the interchange
 *	fields copied from the EDIFACT UNA/UNB (or ANSI X12 ISA) segments;
 *	the primary body part; every field of an EDIN but the security
 *	elements and the extensions. Kept as opaque BER (the contents of
 *	the tagged element, normalised to definite lengths, written back as
 *	they were read): edin-receiver, edi-application-security-elements,
 *	all extension lists (SET OF ExtensionField, each element checked
 *	to be a SEQUENCE), a forwarded-EDIM primary body part, the
 *	additional body parts, and the notification-security-elements.
 *
 *	p35_decode() accepts any valid BER: members of SETs in any order,
 *	indefinite lengths, constructed strings. The members of a SEQUENCE
 *	must come in their order. A member present twice is BER_EDUP, a
 *	missing mandatory member BER_EMISSING, an element that belongs to no
 *	member BER_EUNEXP (err_field then names its tag and where it was
 *	found, e.g. "[20] in Heading", text kept in the struct p35_pdu).
 *	Every string is checked against its character set and its X.435
 *	upper bound (EDIMSUpperBounds), every INTEGER against its range.
 *	TeletexString values are kept as C strings: a NUL octet in one is
 *	refused (BER_ESIZE). Members with a DEFAULT are set to it when
 *	absent (edi-bodypart-type id-bp-edifact-ISO646, action-request
 *	id-for-action, the BOOLEANs FALSE) and left out by the encoder
 *	when equal to it.
 *
 *	The EDI interchange (primary edi-body-part [0] OCTET STRING) is
 *	not copied: body.edi.p points into the decoded input, which must
 *	outlive the struct; only a constructed OCTET STRING is reassembled,
 *	into memory owned by the struct. For encoding it is in memory (p,
 *	len) or a range of a file (use_fd, fd, off, fdlen), which
 *	p35_encode() hands to berw_prim_fd() so that berw_write_fd()
 *	streams it.
 *
 *	Memory: lists (recipients, related and obsoleted EDIMs,
 *	cross-references) and opaque values live in a per-PDU arena that
 *	p35_free() releases at once. A caller building a PDU for
 *	p35_encode() may point them at its own memory or use p35_alloc().
 * DIAGNOSTICS
 *	p35_decode() and p35_encode() return BER_OK or a BER_E* code; the
 *	decoder or writer records the first error, its offset (decoder)
 *	and the ASN.1 field name. Nothing here prints or exits.
 */
#ifndef OX_P35_H
#define OX_P35_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "asn1/ber.h"
#include "util/arena.h"
#include "x400/orname.h"

/* X.435 EDIMSUpperBounds */
#define P35_UB_LOCAL_REFERENCE		64
#define P35_UB_IDENTIFICATION_CODE	35
#define P35_UB_ID_CODE_QUALIFIER	4
#define P35_UB_ROUTING_ADDRESS		14
#define P35_UB_RECIPIENT_REFERENCE	14
#define P35_UB_RECIPIENT_REF_QUALIFIER	2
#define P35_UB_ICHG_CONTROL_REFERENCE	14
#define P35_UB_PROCESSING_PRIORITY	1
#define P35_UB_COMM_AGREEMENT_ID	35
#define P35_UB_AUTHORIZATION_INFO	10
#define P35_UB_AUTHORIZATION_QUALIFIER	2
#define P35_UB_EDI_MESSAGE_TYPE		6
#define P35_UB_SYNTAX_IDENTIFIER	4
#define P35_UB_SYNTAX_VERSION		5
#define P35_UB_APPLICATION_REFERENCE	14
#define P35_UB_REASON_CODE		32767
#define P35_UB_RECIPIENTS		32767
/* X.411 MTSUpperBounds, imported by X.435 */
#define P35_UB_SUPPL_INFO		256 /* ub-supplementary-info-length */
#define P35_UB_BIT_OPTIONS		16

/* Implementation limits */
#define P35_MAX_RECIPIENTS_DEFAULT 1000
#define P35_MAX_MSG_TYPES	32	/* edi-message-type SET OF */
#define P35_MAX_LIST		64 /* related, obsoleted, cross-references */
#define P35_MAX_EXTS		64	/* ExtensionFields in one list */
#define P35_MAX_RAW		8192	/* one opaque heading or EDIN member */
#define P35_MAX_BODY_RAW	(1024 * 1024)	/* forwarded EDIM, additional
					   body parts, security elements */
#define P35_OID_MAX		128	/* dotted text */

/* EDI body part types, id-bp (2.6.7.11.x), EDIMSObjectIdentifiers */
#define P35_BP_EDIFACT_ISO646	"2.6.7.11.0"	/* the DEFAULT */
#define P35_BP_EDIFACT_TELETEX	"2.6.7.11.1"
#define P35_BP_EDIFACT_OCTET	"2.6.7.11.2"
#define P35_BP_X12_ISO646	"2.6.7.11.3"
#define P35_BP_X12_TELETEX	"2.6.7.11.4"
#define P35_BP_X12_OCTET	"2.6.7.11.5"
#define P35_BP_X12_EBCDIC	"2.6.7.11.6"
#define P35_BP_UNTDI_ISO646	"2.6.7.11.7"
#define P35_BP_UNTDI_TELETEX	"2.6.7.11.8"
#define P35_BP_UNTDI_OCTET	"2.6.7.11.9"
#define P35_BP_PRIVATE_OCTET	"2.6.7.11.10"
#define P35_BP_UNDEFINED_OCTET	"2.6.7.11.11"
#define P35_BP_EDIFACT_8859	"2.6.7.11.12"	/* root of 8859 repertoires */

/* Action requests, id-for (2.6.7.13.x) */
#define P35_FOR_ACTION		"2.6.7.13.0"	/* the DEFAULT */
#define P35_FOR_COPY		"2.6.7.13.1"

/* EDINotificationRequests bits */
#define P35_NR_PN		(1u << 0)
#define P35_NR_NN		(1u << 1)
#define P35_NR_FN		(1u << 2)

/* EDINotificationSecurity / EDIReceptionSecurity bits */
#define P35_SEC_PROOF		(1u << 0)
#define P35_SEC_NON_REPUDIATION	(1u << 1)

enum p35_kind {
	P35_NONE = -1,
	P35_EDIM = 0,		/* [0] */
	P35_EDIN = 1		/* [1] */
};

enum p35_edin_kind {
	P35_PN = 0,		/* positive-notification [0] */
	P35_NN = 1,		/* negative-notification [1] */
	P35_FN = 2		/* forwarded-notification [2] */
};

/* Who gave an NN / FN reason code (NNReasonCodeField, FNReasonCodeField) */
enum p35_rc_source {
	P35_RC_UA_MS = 0,	/* [0] EDI-UA or EDI-MS */
	P35_RC_USER = 1,	/* [1] the EDI user (application) */
	P35_RC_PDAU = 2		/* [2] physical delivery access unit */
};

/* NNUAMSBasicCodeField */
#define P35_NN_UA_UNSPECIFIED		0
#define P35_NN_UA_CANNOT_DELIVER	1
#define P35_NN_UA_DELIVERY_TIMEOUT	2
#define P35_NN_UA_DISCARDED		3
#define P35_NN_UA_SUBSCRIPTION_TERMINATED 4
#define P35_NN_UA_FORWARDING_ERROR	5
#define P35_NN_UA_SECURITY_ERROR	6
/* NNUserBasicCodeField */
#define P35_NN_USER_UNSPECIFIED		0
#define P35_NN_USER_SYNTAX_ERROR	1
#define P35_NN_USER_SENDER_UNKNOWN	2
#define P35_NN_USER_RECIPIENT_UNKNOWN	3
#define P35_NN_USER_INVALID_HEADING	4
#define P35_NN_USER_INVALID_BODYPART	5
#define P35_NN_USER_INVALID_MSG_TYPE	6
#define P35_NN_USER_FG_NOT_SUPPORTED	7
#define P35_NN_USER_SUBSCRIPTION_TERMINATED 8
#define P35_NN_USER_NO_AGREEMENT	9
#define P35_NN_USER_DEFINED		10

/* EDINInitiatorField */
#define P35_INIT_INTERNAL_UA	0
#define P35_INIT_EXTERNAL_UA	1
#define P35_INIT_INTERNAL_MS	2

/* Opaque BER (contents of the tagged member), normalised. */
struct p35_raw {
	int		 present;
	const uint8_t	*p;
	size_t		 len;
};

/* EDIMIdentifier ::= SET { user [0] ORName, user-relative-identifier [1] } */
struct p35_edimid {
	struct orname	 user;
	char		 local[P35_UB_LOCAL_REFERENCE + 1];
};

/* InterchangeRecipientField / InterchangeSenderField (TeletexStrings) */
struct p35_party {
	int		 present;
	char		 id[P35_UB_IDENTIFICATION_CODE + 1];	/* [0] */
	int		 has_qual;
	char		 qual[P35_UB_ID_CODE_QUALIFIER + 1];	/* [1] */
	int		 has_route;	/* routing / reverse-routing address */
	char		 route[P35_UB_ROUTING_ADDRESS + 1];	/* [2] */
};

/* RecipientsSubField ::= SEQUENCE */
struct p35_rcpt {
	struct orname	 name;					/* [1] */
	char		 action[P35_OID_MAX];			/* [2] */
	int		 has_notif;				/* [3] */
	uint64_t	 notif;		/* P35_NR_*, [3][0] */
	uint64_t	 notif_sec;	/* P35_SEC_*, [3][1] */
	uint64_t	 recep_sec;	/* P35_SEC_*, [3][2] */
	int		 resp_passing;				/* [4] */
	struct p35_party ichg_rcpt;				/* [5] */
	int		 has_rref;				/* [6] */
	char		 rref[P35_UB_RECIPIENT_REFERENCE + 1];
	int		 has_rref_qual;
	char		 rref_qual[P35_UB_RECIPIENT_REF_QUALIFIER + 1];
	int		 has_icr;				/* [7] */
	char		 icr[P35_UB_ICHG_CONTROL_REFERENCE + 1];
	int		 has_prio;				/* [8] */
	char		 prio[P35_UB_PROCESSING_PRIORITY + 1];
	int		 ack_request;				/* [9] */
	int		 has_agreement;				/* [10] */
	char		 agreement[P35_UB_COMM_AGREEMENT_ID + 1];
	int		 test;					/* [11] */
	int		 has_auth;				/* [12] */
	char		 auth[P35_UB_AUTHORIZATION_INFO + 1];
	int		 has_auth_qual;
	char		 auth_qual[P35_UB_AUTHORIZATION_QUALIFIER + 1];
	struct p35_raw	 ext;					/* [13] */
};

/* RelatedMessageReference ::= CHOICE */
struct p35_related {
	int		 external;	/* 0: [0] EDIMIdentifier, 1: [1] OID */
	struct p35_edimid id;
	char		 oid[P35_OID_MAX];
};

/* CrossReferencingInformationSubField ::= SEQUENCE */
struct p35_xref {
	const uint8_t	*app;		/* [0] application-cross-reference */
	size_t		 applen;
	int		 has_msgref;
	struct p35_edimid msgref;	/* [1] message-reference */
	int64_t		 bodypart;	/* [2] body-part-reference */
};

/* ServiceStringAdviceField: the UNA characters */
struct p35_ssa {
	uint8_t		 component_sep;		/* [0] */
	uint8_t		 element_sep;		/* [1] */
	uint8_t		 decimal;		/* [2] */
	int		 has_release;
	uint8_t		 release;		/* [3] */
	int		 has_reserved;
	uint8_t		 reserved;		/* [4] */
	uint8_t		 segment_term;		/* [5] */
};

/* Heading ::= SEQUENCE */
struct p35_heading {
	struct p35_edimid this_edim;				/* [1] */
	int		 has_originator;
	struct orname	 originator;				/* [2] */
	int		 has_rcpts;				/* [3] */
	size_t		 nrcpt;
	struct p35_rcpt	*rcpt;
	struct p35_raw	 edin_receiver;				/* [4] */
	int		 resp_forwarded;			/* [5] */
	char		 bodypart_type[P35_OID_MAX];		/* [6] */
	int		 incomplete_copy;			/* [7] */
	int		 has_expiry;
	time_t		 expiry;				/* [8] */
	int		 has_related;				/* [9] */
	size_t		 nrelated;
	struct p35_related *related;
	int		 has_obsoleted;				/* [10] */
	size_t		 nobsoleted;
	struct p35_edimid *obsoleted;
	struct p35_raw	 security;				/* [11] */
	int		 has_xref;				/* [12] */
	size_t		 nxref;
	struct p35_xref	*xref;
	int		 has_msgtypes;				/* [13] */
	size_t		 nmsgtype;
	char		 msgtype[P35_MAX_MSG_TYPES]
			    [P35_UB_EDI_MESSAGE_TYPE + 1];
	int		 has_ssa;
	struct p35_ssa	 ssa;					/* [14] */
	int		 has_syntax;				/* [15] */
	char		 syntax_id[P35_UB_SYNTAX_IDENTIFIER + 1];
	char		 syntax_version[P35_UB_SYNTAX_VERSION + 1];
	struct p35_party ichg_sender;				/* [16] */
	int		 has_prep;
	time_t		 prep;					/* [17] */
	int		 has_appref;				/* [18] */
	char		 appref[P35_UB_APPLICATION_REFERENCE + 1];
	struct p35_raw	 ext;					/* [19] */
};

enum p35_primary {
	P35_BODY_EDI = 0,	/* edi-body-part [0] OCTET STRING */
	P35_BODY_FORWARDED = 1	/* forwarded-EDIM [1] EDIMBodyPart */
};

/* Body ::= SEQUENCE { PrimaryBodyPart, OtherBodyParts OPTIONAL } */
struct p35_body {
	enum p35_primary kind;
	struct ber_data	 edi;		/* P35_BODY_EDI: the interchange */
	struct p35_raw	 forwarded;	/* P35_BODY_FORWARDED, opaque */
	struct p35_raw	 additional;	/* elements of the SEQUENCE OF */
};

/* NNReasonCodeField / FNReasonCodeField */
struct p35_reason {
	enum p35_rc_source source;
	int64_t		 basic;		/* [0] basic code */
	int		 has_diag;
	int64_t		 diag;		/* [1] diagnostic */
	int		 security_check; /* FN from UA/MS only: [2] */
};

/* CommonFields ::= SEQUENCE */
struct p35_common {
	struct p35_edimid subject;				/* [1] */
	struct orname	 originator;				/* [2] */
	int		 has_first;
	struct orname	 first;					/* [3] */
	time_t		 time;					/* [4] */
	struct p35_raw	 security;				/* [5] */
	int		 initiator;	/* P35_INIT_*, [6] */
	struct p35_raw	 ext;					/* [7] */
};

/* PositiveNotificationFields / Negative... / Forwarded... */
struct p35_edin {
	enum p35_edin_kind kind;
	struct p35_common common;	/* [0] in all three */
	struct orname	 forwarded_to;	/* FN [1] */
	struct p35_reason reason;	/* NN [1], FN [2] */
	int		 has_suppl;
	char		 suppl[P35_UB_SUPPL_INFO + 1];
	struct p35_raw	 ext;
};

struct p35_opts {
	size_t		 max_recipients;
};


struct p35_pdu {
	enum p35_kind	 kind;
	struct p35_heading h;		/* P35_EDIM */
	struct p35_body	 body;		/* P35_EDIM */
	struct p35_edin	 edin;		/* P35_EDIN */
	/* private */
	struct arena	 arena;
	struct buf	 owned;		/* reassembled constructed body */
	char		 errtext[96];
};

void	 p35_opts_init(struct p35_opts *);
void	 p35_init(struct p35_pdu *);
void	 p35_free(struct p35_pdu *);
void	*p35_alloc(struct p35_pdu *, size_t);
int	 p35_decode(struct ber_dec *, const struct p35_opts *, const void *,
	    size_t, struct p35_pdu *);
int	 p35_encode(struct berw *, const struct p35_pdu *);
void	 p35_rcpt_init(struct p35_rcpt *);
void	 p35_edimid_init(struct p35_edimid *);
const char *p35_bodypart_name(const char *);
const char *p35_kind_name(const struct p35_pdu *);

#endif
