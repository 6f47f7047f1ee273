/*
 * NAME
 *	p22 - X.420 InformationObject (P22 / P2 content): model and BER codec
 * SYNOPSIS
 *	#include "x400/p22.h"
 *
 *	struct p22_content c;
 *	struct ber_dec	 d;
 *
 *	ber_dec_init(&d);
 *	p22_init(&c);
 *	if (p22_decode(&d, NULL, pdu.msg.content.p, pdu.msg.content.len,
 *	    &c) != BER_OK)
 *		warnx("offset %zu: %s: %s", d.err_off,
 *		    d.err_field ? d.err_field : "?", ber_strerror(d.err));
 *	...
 *	p22_encode(&w, &c, P22_CT_P22);
 *	p22_free(&c);
 * DESCRIPTION
 *	A struct p22_content holds one InformationObject of X.420 (06/1999,
 *	module IPMSInformationObjects, IMPLICIT TAGS): an ipm [0] (Heading
 *	SET and Body SEQUENCE OF BodyPart) or an ipn [1] (IPN SET: the
 *	common fields and the choice [0] of non-receipt-fields [0],
 *	receipt-fields [1] or other-notification-type-fields [2]).
 *
 *	Heading: every field of X.420 is a member; the extensions (heading,
 *	recipient, notification, RN and NRN extensions) are kept as opaque
 *	BER normalised to definite lengths and written back as read.
 *	Body parts: ia5-text [0], bilaterally-defined [14] (BP14), the
 *	extended [15] general-text body part (BP15; X.420 Annex, module
 *	IPMSExtendedBodyPartTypes2, id-ep/id-et 2.6.1.11.11 / 2.6.1.4.11)
 *	and file-transfer body part (FTBP; module
 *	IPMSFileTransferBodyPartType, 2.6.1.11.12 / 2.6.1.4.12) are modelled;
 *	a message body part [9] (forwarded IPM) is checked by decoding it
 *	(p22_decode_forwarded() gives the IPM inside) and kept opaque; every
 *	other body part (g3-facsimile, teletex, other extended types, an
 *	FTBP whose data is not one octet-aligned EXTERNAL, ...) is kept
 *	opaque as P22_BP_OTHER. An FTBP whose document type or application
 *	reference is id-ct-contentInfo (1.2.840.113549.1.9.16.1.6) carries a
 *	CMS object: the decoder sets ftbp.is_cms, p22_ftbp_set_cms() makes
 *	one for the encoder.
 *
 *	Zero copy: body part data (struct ber_data) points into the
 *	decoded input, which must outlive the struct; only data sent as a
 *	constructed string is reassembled, into memory owned by the struct.
 *	For encoding the data is either in memory (p, len) or a range of a
 *	file (use_fd, fd, off, fdlen), handed to berw_prim_fd() so that a
 *	100 MB body is streamed by berw_write_fd(), never held in memory.
 *	(Data streamed from a file is not character-checked: an IA5 body
 *	from a file must be 7-bit, which is the caller's to ensure.)
 *
 *	P2 and P22: p22_encode() takes the content type, P22_CT_P22 (1988)
 *	or P22_CT_P2 (1984). A P2 content cannot carry an extended body
 *	part: encoding one is BER_EVALUE with field "extended body part in
 *	P2 content" (the caller falls back to BP14 or IA5 before).
 *	p22_needs_1988() says whether a content has one. The decoder
 *	accepts both (the syntax is the same).
 *
 *	Limits (struct p22_opts): body parts per IPM max_body_parts
 *	(default 50, the product's multipart limit), entries per recipient
 *	list (primary, copy, blind-copy, reply-recipients, authorizing-
 *	users) max_recipients (default 1000, as P1; X.420 sets no bound),
 *	obsoleted / related IPMs P22_MAX_IPM_REFS (64), forwarded and
 *	returned IPMs nested at most max_nest deep (default 4). Strings are
 *	checked against IPMSUpperBounds: subject 128, local IPM identifier
 *	64, free-form name 64, telephone number 32, auto-forward comment
 *	256, supplementary receipt information 1..256 (X.411); FTAM
 *	pathname and descriptive-identifier components at most
 *	P22_UB_PART (255) octets, P22_MAX_PARTS (8) of them.
 *
 *	Memory: lists and reassembled or opaque data are allocated from a
 *	per-content arena that p22_free() releases at once. A caller that
 *	builds a content for p22_encode() may point the lists at its own
 *	memory or allocate them with p22_alloc().
 * DIAGNOSTICS
 *	p22_decode() and p22_encode() return BER_OK or a BER_E* code; the
 *	decoder or writer records the first error, its offset (decoder)
 *	and the ASN.1 field (err_field), e.g. "subject" or "[APPLICATION 3]
 *	in Heading" for an element that is no member. BER_EDUP names a SET
 *	member present twice, BER_EMISSING a missing mandatory one,
 *	BER_ESIZE a string or list over its bound. Nothing here prints or
 *	exits.
 */
#ifndef OX_P22_H
#define OX_P22_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "asn1/ber.h"
#include "util/arena.h"
#include "x400/orname.h"

/* X.420 IPMSUpperBounds, X.411 MTSUpperBounds */
#define P22_UB_SUBJECT		128	/* ub-subject-field */
#define P22_UB_LOCAL_ID		64	/* ub-local-ipm-identifier */
#define P22_UB_FREE_FORM_NAME	64	/* ub-free-form-name */
#define P22_UB_TELEPHONE	32	/* ub-telephone-number */
#define P22_UB_AF_COMMENT	256	/* ub-auto-forward-comment */
#define P22_UB_SUPPL_INFO	256	/* ub-supplementary-info-length */

/* Implementation limits */
#define P22_MAX_BODY_PARTS_DEFAULT 50
#define P22_MAX_RECIPIENTS_DEFAULT 1000
#define P22_MAX_NEST_DEFAULT	4
#define P22_MAX_IPM_REFS	64	/* obsoleted-IPMs, related-IPMs */
#define P22_MAX_CHARSETS	16	/* general-text registrations */
#define P22_MAX_PARTS		8	/* pathname / descriptive components */
#define P22_UB_PART		255	/* one component, octets */
#define P22_MAX_RAW		65536	/* one opaque extension field */
#define P22_OID_MAX		128	/* dotted text */

/* Content types (the values of X.411 BuiltInContentType, as P1_CT_*) */
#define P22_CT_P2		2	/* 1984 */
#define P22_CT_P22		22	/* 1988 */

/* Object identifiers (dotted text) */
#define P22_OID_EP_GENERAL_TEXT	"2.6.1.11.11"	/* id-ep-general-text */
#define P22_OID_ET_GENERAL_TEXT	"2.6.1.4.11"	/* id-et-general-text */
#define P22_OID_EP_FILE_TRANSFER "2.6.1.11.12"	/* id-ep-file-transfer */
#define P22_OID_ET_FILE_TRANSFER "2.6.1.4.12"	/* id-et-file-transfer */
#define P22_OID_FTAM3		"1.0.8571.5.3"	/* unstructured binary */
#define P22_OID_CMS		"1.2.840.113549.1.9.16.1.6"
						/* id-ct-contentInfo */

enum p22_kind {
	P22_NONE = -1,
	P22_IPM = 0,		/* [0] */
	P22_IPN = 1		/* [1] */
};

/* NotificationRequests bits */
#define P22_NR_RN		(1u << 0)
#define P22_NR_NRN		(1u << 1)
#define P22_NR_IPM_RETURN	(1u << 2)
#define P22_NR_AN_SUPPORTED	(1u << 3)
#define P22_NR_SUPPRESS_AN	(1u << 4)

/* ImportanceField, SensitivityField */
#define P22_IMP_LOW		0
#define P22_IMP_NORMAL		1	/* DEFAULT */
#define P22_IMP_HIGH		2
#define P22_SENS_NONE		0	/* absent */
#define P22_SENS_PERSONAL	1
#define P22_SENS_PRIVATE	2
#define P22_SENS_CONFIDENTIAL	3

/* IPN choice */
#define P22_IPN_NRN		0	/* non-receipt-fields [0] */
#define P22_IPN_RN		1	/* receipt-fields [1] */
#define P22_IPN_OTHER		2	/* other-notification-type-fields [2] */

/* NonReceiptReasonField, DiscardReasonField, AcknowledgmentModeField */
#define P22_NRN_DISCARDED	0
#define P22_NRN_AUTO_FORWARDED	1
#define P22_DISCARD_EXPIRED	0
#define P22_DISCARD_OBSOLETED	1
#define P22_DISCARD_TERMINATED	2
#define P22_ACK_MANUAL		0	/* DEFAULT */
#define P22_ACK_AUTOMATIC	1

/* Repertoire of an ia5-text body part */
#define P22_REP_ITA2		2
#define P22_REP_IA5		5	/* DEFAULT */

/* Opaque BER, normalised to definite lengths; len 0: absent. */
struct p22_raw {
	const uint8_t	*p;
	size_t		 len;
};

/* SEQUENCE OF GraphicString (FTAM Pathname, descriptive-identifier) */
struct p22_strlist {
	unsigned	 n;
	size_t		 len[P22_MAX_PARTS];
	char		 v[P22_MAX_PARTS][P22_UB_PART + 1];
};

/* IPMIdentifier ::= [APPLICATION 11] SET */
struct p22_ipmid {
	int		 has_user;
	struct orname	 user;
	char		 local[P22_UB_LOCAL_ID + 1];	/* PrintableString */
};

/* ORDescriptor ::= SET */
struct p22_ordesc {
	int		 has_formal;
	struct orname	 formal;
	int		 has_ffn;		/* free-form-name [0] TeletexString */
	size_t		 ffnlen;
	char		 ffn[P22_UB_FREE_FORM_NAME + 1];
	int		 has_tel;		/* telephone-number [1] */
	char		 tel[P22_UB_TELEPHONE + 1];
};

/* RecipientSpecifier ::= SET */
struct p22_rcpt {
	struct p22_ordesc r;			/* [0] */
	uint64_t	 nreq;			/* [1] P22_NR_*, DEFAULT {} */
	int		 reply;			/* [2] DEFAULT FALSE */
	struct p22_raw	 ext;			/* [3] contents, as read */
};

struct p22_rcpts {
	size_t		 n;
	struct p22_rcpt	*v;
};

struct p22_heading {
	struct p22_ipmid this_ipm;
	int		 has_originator;
	struct p22_ordesc originator;		/* [0] */
	size_t		 nauth;
	struct p22_ordesc *auth;		/* [1] authorizing-users */
	struct p22_rcpts primary;		/* [2] */
	struct p22_rcpts copy;			/* [3] */
	struct p22_rcpts bcc;			/* [4] */
	int		 has_replied;
	struct p22_ipmid replied;		/* [5] replied-to-IPM */
	size_t		 nobsoleted;
	struct p22_ipmid *obsoleted;		/* [6] */
	size_t		 nrelated;
	struct p22_ipmid *related;		/* [7] */
	int		 has_subject;		/* [8] EXPLICIT TeletexString */
	size_t		 subjlen;
	char		 subject[P22_UB_SUBJECT + 1];
	int		 has_expiry;
	time_t		 expiry;		/* [9] */
	int		 has_reply_time;
	time_t		 reply_time;		/* [10] */
	size_t		 nreply;
	struct p22_ordesc *reply;		/* [11] reply-recipients */
	int		 importance;		/* [12] P22_IMP_* */
	int		 sensitivity;		/* [13] P22_SENS_* */
	int		 auto_forwarded;	/* [14] */
	struct p22_raw	 ext;			/* [15] contents, as read */
};

enum p22_bptype {
	P22_BP_IA5,		/* [0] ia5-text */
	P22_BP_BILATERAL,	/* [14] bilaterally-defined, BP14 */
	P22_BP_GENERAL_TEXT,	/* [15] general-text, BP15 */
	P22_BP_FTBP,		/* [15] file-transfer */
	P22_BP_MESSAGE,		/* [9] message (forwarded IPM), opaque */
	P22_BP_OTHER		/* anything else, opaque */
};

/* Date-and-Time-Attribute, Object-Size-Attribute */
#define P22_ATTR_ABSENT		0
#define P22_ATTR_VALUE		1	/* actual-values [1] */
#define P22_ATTR_NO_VALUE	2	/* no-value-available [0] NULL */

struct p22_ftbp {
	/*
	 * contents-type [1] document-type: the decoder gives the DEFAULT
	 * (FTAM-3) when absent; "" or FTAM-3 is left out by the encoder.
	 */
	char		 doctype[P22_OID_MAX];
	struct p22_raw	 doctype_param;		/* parameter [0], as read */
	struct p22_raw	 ctype_raw;		/* constraint-set form: whole [1] */
	/* environment [2] */
	int		 has_env;
	int		 appref;		/* 0 none, 1 OID, 2 descriptive */
	char		 appref_oid[P22_OID_MAX];
	struct p22_strlist appref_text;
	struct p22_raw	 env_rest;		/* machine [1] .. [3], as read */
	struct p22_raw	 related;		/* related-stored-file [0] */
	struct p22_raw	 compression;		/* [3] */
	/* file-attributes [4] */
	int		 has_attrs;
	int		 has_pathname;
	int		 complete;		/* complete-pathname [23] */
	struct p22_strlist path;
	struct p22_raw	 attr_pre;		/* [1], [3], as read */
	int		 ctime_kind;		/* P22_ATTR_* */
	time_t		 ctime;			/* [4] GeneralizedTime */
	int		 mtime_kind;
	time_t		 mtime;			/* [5] */
	struct p22_raw	 attr_mid;		/* [6] .. [12] */
	int		 size_kind;
	int64_t		 size;			/* [13] object-size */
	struct p22_raw	 attr_post;		/* [14] .. [22] */
	struct p22_raw	 ext;			/* extensions [5] */
	/* data: one EXTERNAL, octet-aligned */
	char		 data_oid[P22_OID_MAX];	/* "" : the document type */
	int		 is_cms;		/* set by the decoder */
};

struct p22_bodypart {
	enum p22_bptype	 type;
	struct ber_data	 data;		/* IA5, BP14, BP15, FTBP */
	int		 repertoire;	/* IA5: P22_REP_* */
	size_t		 ncs;		/* BP15: character set registrations */
	int64_t		 cs[P22_MAX_CHARSETS];
	struct p22_ftbp	*ftbp;		/* FTBP */
	int		 has_delivery_time;	/* MESSAGE: parameters [0] */
	time_t		 delivery_time;
	struct p22_raw	 raw;		/* MESSAGE, OTHER: the whole element */
};

struct p22_ipn {
	struct p22_ipmid subject;		/* subject-ipm */
	int		 has_originator;
	struct p22_ordesc originator;		/* [1] ipn-originator */
	int		 has_intended;
	struct p22_ordesc intended;		/* [2] ipm-intended-recipient */
	struct p22_raw	 conversion_eits;	/* [APPLICATION 5], whole */
	struct p22_raw	 ext;			/* [3] contents */
	int		 type;			/* P22_IPN_* */
	/* non-receipt-fields */
	int64_t		 nrn_reason;		/* [0] */
	int		 has_discard;
	int64_t		 discard;		/* [1] */
	int		 has_afc;
	char		 afc[P22_UB_AF_COMMENT + 1];	/* [2] */
	struct p22_raw	 returned;		/* [3] returned-ipm, whole */
	struct p22_raw	 nrn_ext;		/* [4] contents */
	/* receipt-fields */
	time_t		 receipt_time;		/* [0] */
	int64_t		 ack_mode;		/* [1] */
	int		 has_suppl;
	char		 suppl[P22_UB_SUPPL_INFO + 1];	/* [2] */
	struct p22_raw	 rn_ext;		/* [3] contents */
	/* other-notification-type-fields */
	struct p22_raw	 other;			/* [2] contents */
};

struct p22_opts {
	size_t		 max_body_parts;
	size_t		 max_recipients;	/* per recipient list */
	unsigned	 max_nest;		/* forwarded / returned IPMs */
};


struct p22_content {
	enum p22_kind	 kind;
	struct p22_heading h;			/* P22_IPM */
	size_t		 nbp;
	struct p22_bodypart *bp;
	struct p22_ipn	 ipn;			/* P22_IPN */
	/* private */
	struct arena	 arena;
	char		 errtext[96];
};

void	 p22_opts_init(struct p22_opts *);
void	 p22_init(struct p22_content *);
void	 p22_free(struct p22_content *);
void	*p22_alloc(struct p22_content *, size_t);
int	 p22_decode(struct ber_dec *, const struct p22_opts *, const void *,
	    size_t, struct p22_content *);
int	 p22_decode_forwarded(struct ber_dec *, const struct p22_opts *,
	    const struct p22_bodypart *, struct p22_content *);
int	 p22_decode_returned(struct ber_dec *, const struct p22_opts *,
	    const struct p22_ipn *, struct p22_content *);
int	 p22_encode(struct berw *, const struct p22_content *, int);
int	 p22_needs_1988(const struct p22_content *);
void	 p22_heading_init(struct p22_heading *);
void	 p22_ordesc_init(struct p22_ordesc *);
void	 p22_bodypart_init(struct p22_bodypart *, enum p22_bptype);
void	 p22_ftbp_init(struct p22_ftbp *);
void	 p22_ftbp_set_cms(struct p22_ftbp *);
const char *p22_bptype_name(enum p22_bptype);

#endif
