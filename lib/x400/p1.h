/*
 * NAME
 *	p1 - X.411 MTS-APDU (P1): model and BER codec
 * SYNOPSIS
 *	#include "x400/p1.h"
 *
 *	struct p1_pdu	 pdu;
 *	struct ber_dec	 d;
 *
 *	ber_dec_init(&d);
 *	p1_init(&pdu);
 *	if (p1_decode(&d, NULL, data, len, &pdu) != BER_OK)
 *		warnx("offset %zu: %s: %s", d.err_off,
 *		    d.err_field ? d.err_field : "?", ber_strerror(d.err));
 *	...
 *	p1_encode(&w, &pdu);
 *	p1_free(&pdu);
 * DESCRIPTION
 *	A struct p1_pdu holds one MTS-APDU (X.411 MTAAbstractService):
 *	message [0] (MessageTransferEnvelope and content), report [1]
 *	(ReportTransferEnvelope and ReportTransferContent) or probe [2]
 *	(ProbeTransferEnvelope). All of X.411's fields are kept: the ones
 *	the gateway uses are decoded into members, the rest (per-domain-
 *	bilateral-information, additional-information, the non-basic
 *	parameters of encoded information types, extension values) as
 *	opaque BER normalised to definite lengths, written back as they
 *	were read.
 *
 *	p1_decode() accepts any valid BER: SET members in any order,
 *	indefinite lengths, constructed strings. A SET member present twice
 *	is BER_EDUP, a missing mandatory member BER_EMISSING, an element
 *	that is no member of its SET or SEQUENCE BER_EUNEXP; err_field names
 *	the ASN.1 field (for an unknown element, its tag and the type it
 *	was found in, e.g. "[APPLICATION 17] in MessageTransferEnvelope";
 *	that text lives in the struct p1_pdu). Every string is checked
 *	against its character set and its X.411 upper bound (MTSUpperBounds),
 *	every list against its bound. The number of recipients is limited
 *	by p1_opts.max_recipients (default P1_MAX_RECIPIENTS_DEFAULT, 1000;
 *	X.411's ub-recipients is 32767).
 *
 *	The content of a message (and the returned-content of a report) is
 *	not copied: p1_content.p points into the decoded input, which must
 *	outlive the struct. Only a content sent as a constructed OCTET
 *	STRING is reassembled, into memory owned by the struct. For
 *	encoding the content is either in memory (p, len) or a range of a
 *	file (use_fd, fd, off, fdlen), which p1_encode() hands to
 *	berw_prim_fd() so the content is streamed by berw_write_fd().
 *
 *	Extensions (X.411 ExtensionField) are kept in order, each with its
 *	type (standard INTEGER or private OID), criticality bits and value.
 *	An extension marked critical for transfer whose type is not in
 *	p1_opts.known_ext (default: p1_known_ext, the types a relay may
 *	pass on) is flagged P1_EXT_UNKNOWN_CRITICAL and counted in
 *	p1_pdu.unknown_critical; the caller must then non-deliver (X.411
 *	12.2.1.1.. "criticality"). With p1_opts.reject_unknown_critical set
 *	p1_decode() fails with BER_EVALUE instead.
 *
 *	A content type is kept in the form it was read (builtin INTEGER or
 *	extended OID). p1_ctype_number() gives the built-in number a
 *	content type means: the INTEGER, or for the extended form the
 *	number of the OIDs X.420 and X.435 give the same contents
 *	(id-mct-p2-1984 2.6.1.10.0 = 2, id-mct-p2-1988 2.6.1.10.1 = 22,
 *	id-mct-pedi 2.6.7.10.0 = 35); -1 for another OID or none.
 *	p1_ctype_text() writes it for a message: "22" or "2.6.1.10.1".
 *
 *	Memory: lists (recipients, trace elements, extensions, opaque
 *	values) are allocated from a per-PDU arena that p1_free() releases
 *	at once. A caller that builds a PDU for p1_encode() may point the
 *	lists at its own memory or allocate them with p1_alloc().
 * DIAGNOSTICS
 *	p1_decode() and p1_encode() return BER_OK or a BER_E* code; the
 *	decoder or writer records the first error, its offset (decoder)
 *	and the field. Nothing here prints or exits.
 */
#ifndef OX_P1_H
#define OX_P1_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "asn1/ber.h"
#include "util/arena.h"
#include "x400/orname.h"

/* X.411 MTSUpperBounds */
#define P1_UB_RECIPIENTS	32767
#define P1_UB_LOCAL_ID		32
#define P1_UB_CONTENT_ID	16
#define P1_UB_SUPPL_INFO	256
#define P1_UB_TRANSFERS		512
#define P1_UB_BIT_OPTIONS	16
#define P1_UB_BUILTIN_EITS	32
#define P1_UB_BUILTIN_CTYPE	32767
#define P1_UB_EXT_TYPES		256
#define P1_UB_ADDITIONAL_INFO	1024

/* Implementation limits */
#define P1_MAX_RECIPIENTS_DEFAULT 1000
#define P1_MAX_EXTS		64	/* ExtensionFields in one list */
#define P1_MAX_EXT_VALUE	8192	/* one normalised extension value */
#define P1_MAX_EIT_OIDS		8	/* extended EITs */
#define P1_MAX_RAW		8192	/* other opaque members */
#define P1_OID_MAX		128	/* dotted text */

enum p1_kind {
	P1_NONE = -1,
	P1_MESSAGE = 0,		/* [0] */
	P1_REPORT = 1,		/* [1] */
	P1_PROBE = 2		/* [2] */
};

/* BuiltInContentType */
#define P1_CT_UNIDENTIFIED	0
#define P1_CT_EXTERNAL		1
#define P1_CT_P2		2
#define P1_CT_P22		22
#define P1_CT_P35		35

/* ExtendedContentType OIDs with a built-in equivalent (X.420, X.435) */
#define P1_OID_MCT_P2_1984	"2.6.1.10.0"	/* id-mct-p2-1984 */
#define P1_OID_MCT_P2_1988	"2.6.1.10.1"	/* id-mct-p2-1988 */
#define P1_OID_MCT_PEDI		"2.6.7.10.0"	/* id-mct-pedi */

/* Priority */
#define P1_PRIO_NORMAL		0
#define P1_PRIO_NON_URGENT	1
#define P1_PRIO_URGENT		2

/* PerMessageIndicators bits */
#define P1_PMI_DISCLOSURE	(1u << 0)
#define P1_PMI_NO_CONVERSION	(1u << 1)
#define P1_PMI_ALTERNATE	(1u << 2)
#define P1_PMI_RETURN_CONTENT	(1u << 3)

/* PerRecipientIndicators bits */
#define P1_PRI_RESPONSIBILITY	(1u << 0)
#define P1_PRI_MTA_REPORT	(1u << 1)
#define P1_PRI_MTA_NDR		(1u << 2)
#define P1_PRI_ORIG_REPORT	(1u << 3)
#define P1_PRI_ORIG_NDR		(1u << 4)

/* Criticality bits */
#define P1_CRIT_SUBMISSION	(1u << 0)
#define P1_CRIT_TRANSFER	(1u << 1)
#define P1_CRIT_DELIVERY	(1u << 2)

/* struct p1_gdi.numeric: NumericString rather than PrintableString */
#define P1_NUM_C		(1u << 0)
#define P1_NUM_ADMD		(1u << 1)
#define P1_NUM_PRMD		(1u << 2)

/* Opaque BER, normalised to definite lengths. */
struct p1_raw {
	const uint8_t	*p;
	size_t		 len;	/* 0: absent */
};

/* GlobalDomainIdentifier */
struct p1_gdi {
	char		 c[OR_UB_COUNTRY_NUMERIC + 1];
	char		 admd[OR_UB_DOMAIN_NAME + 1];
	char		 prmd[OR_UB_DOMAIN_NAME + 1];
	int		 has_prmd;
	unsigned	 numeric;	/* P1_NUM_* */
};

/* MTSIdentifier */
struct p1_mtsid {
	struct p1_gdi	 gdi;
	char		 local[P1_UB_LOCAL_ID + 1];
};

/* EncodedInformationTypes */
struct p1_eits {
	uint64_t	 builtin;	/* bit k: BuiltInEncodedInformationTypes k */
	struct p1_raw	 nonbasic;	/* g3-facsimile [1], teletex [2], as read */
	size_t		 noid;
	char		 oid[P1_MAX_EIT_OIDS][P1_OID_MAX];	/* [4] */
};

/* ContentType */
struct p1_ctype {
	int		 present;	/* optional in a report */
	int		 extended;	/* 1: the OID form */
	int64_t		 builtin;
	char		 oid[P1_OID_MAX];
};

#define P1_EXT_UNKNOWN_CRITICAL	0x01

struct p1_ext {
	int		 is_private;	/* 0: standard [0] INTEGER, 1: [3] OID */
	int64_t		 type;
	char		 oid[P1_OID_MAX];
	uint64_t	 crit;		/* P1_CRIT_* */
	struct p1_raw	 value;		/* inside [2]; len 0: NULL:NULL default */
	unsigned	 flags;		/* P1_EXT_* (set by the decoder) */
};

struct p1_exts {
	size_t		 n;
	struct p1_ext	*v;
};

/* TraceInformationElement */
struct p1_trace {
	struct p1_gdi	 gdi;
	time_t		 arrival;
	int		 routing;	/* 0 relayed, 1 rerouted */
	int		 has_attempted;
	struct p1_gdi	 attempted;
	int		 has_deferred;
	time_t		 deferred;
	int		 has_converted;
	struct p1_eits	 converted;
	uint64_t	 other_actions;	/* redirected 0, dl-operation 1 */
};

struct p1_traces {
	size_t		 n;
	struct p1_trace	*v;
};

/* Content OCTET STRING: memory, or a file range for the encoder */
struct p1_content {
	int		 present;
	const uint8_t	*p;
	size_t		 len;
	int		 use_fd;
	int		 fd;
	off_t		 off;
	uint64_t	 fdlen;
	const struct berw *enc;	/* encoding only: a finished encoding */
};

/* PerRecipientMessageTransferFields / PerRecipientProbeTransferFields */
struct p1_rcpt {
	struct orname	 name;
	int64_t		 osrn;		/* originally-specified-recipient-number */
	uint64_t	 pri;		/* P1_PRI_* */
	int		 has_conversion;
	int64_t		 conversion;	/* explicit-conversion */
	struct p1_exts	 ext;
};

/* MessageTransferEnvelope and ProbeTransferEnvelope */
struct p1_envelope {
	struct p1_mtsid	 id;		/* message- or probe-identifier */
	struct orname	 originator;
	int		 has_eits;
	struct p1_eits	 eits;
	struct p1_ctype	 ctype;
	int		 has_cid;
	char		 cid[P1_UB_CONTENT_ID + 1];
	int		 priority;	/* message only */
	uint64_t	 pmi;		/* per-message-indicators */
	int		 has_ddt;	/* message only */
	time_t		 ddt;
	int		 has_clen;	/* probe only: content-length [0] */
	int64_t		 clen;
	struct p1_raw	 bilateral;	/* [1] contents, as read */
	struct p1_traces trace;
	struct p1_exts	 ext;
	size_t		 nrcpt;
	struct p1_rcpt	*rcpt;
};

struct p1_message {
	struct p1_envelope env;
	struct p1_content content;
};

/* LastTraceInformation report-type */
#define P1_DELIVERY		0
#define P1_NON_DELIVERY		1

/* PerRecipientReportTransferFields */
struct p1_rrcpt {
	struct orname	 actual;	/* [0] */
	int64_t		 osrn;		/* [1] */
	uint64_t	 pri;		/* [2] */
	time_t		 arrival;	/* [3] arrival-time */
	int		 has_converted;
	struct p1_eits	 converted;
	int		 type;		/* P1_DELIVERY, P1_NON_DELIVERY */
	time_t		 delivery_time;	/* delivery */
	int64_t		 mts_user;	/* delivery: type-of-MTS-user */
	int64_t		 reason;	/* non-delivery */
	int		 has_diag;
	int64_t		 diag;
	int		 has_intended;
	struct orname	 intended;	/* [4] */
	int		 has_suppl;
	char		 suppl[P1_UB_SUPPL_INFO + 1];	/* [5] */
	struct p1_exts	 ext;		/* [6] */
};

struct p1_report {
	/* ReportTransferEnvelope */
	struct p1_mtsid	 id;
	struct orname	 dest;
	struct p1_traces trace;
	struct p1_exts	 env_ext;	/* [1] */
	/* ReportTransferContent */
	struct p1_mtsid	 subject;
	int		 has_subject_trace;
	struct p1_traces subject_trace;
	int		 has_eits;
	struct p1_eits	 eits;
	struct p1_ctype	 ctype;
	int		 has_cid;
	char		 cid[P1_UB_CONTENT_ID + 1];
	struct p1_content returned;	/* [1] */
	struct p1_raw	 additional;	/* [2] contents, as read */
	struct p1_exts	 ext;		/* [3] */
	size_t		 nrcpt;
	struct p1_rrcpt	*rcpt;		/* [0] */
};

struct p1_opts {
	size_t		 max_recipients;
	const int64_t	*known_ext;	/* standard types understood */
	size_t		 nknown_ext;
	int		 reject_unknown_critical;
};


struct p1_pdu {
	enum p1_kind	 kind;
	struct p1_message msg;		/* P1_MESSAGE; P1_PROBE uses msg.env */
	struct p1_report rpt;		/* P1_REPORT */
	size_t		 unknown_critical;
	/* private */
	struct arena	 arena;
	struct buf	 owned;		/* reassembled constructed contents */
	char		 errtext[96];
};

extern const int64_t p1_known_ext[];
extern const size_t p1_nknown_ext;

void	 p1_opts_init(struct p1_opts *);
void	 p1_init(struct p1_pdu *);
void	 p1_free(struct p1_pdu *);
void	*p1_alloc(struct p1_pdu *, size_t);
int	 p1_decode(struct ber_dec *, const struct p1_opts *, const void *,
	    size_t, struct p1_pdu *);
int	 p1_encode(struct berw *, const struct p1_pdu *);
const char *p1_kind_name(enum p1_kind);
int64_t	 p1_ctype_number(const struct p1_ctype *);
const char *p1_ctype_text(const struct p1_ctype *, char *, size_t);

#endif
