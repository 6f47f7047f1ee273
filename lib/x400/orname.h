/*
 * NAME
 *	orname - X.400 O/R names: model, BER codec, RFC 2156 text form
 * SYNOPSIS
 *	#include "x400/orname.h"
 *
 *	struct orname	 or;
 *	struct or_err	 e;
 *
 *	orname_init(&or);
 *	if (orname_parse("/S=Smith/O=Acme/PRMD=ACME/ADMD= /C=GB/", -1,
 *	    &or, &e) != OR_OK)
 *		warnx("std-or: %s: %s", e.key, orname_strerror(e.code));
 *	orname_encode(&w, &or);			(APPLICATION 0)
 *	orname_decode(&dec, &tlv, &or);		(any tag, implicit)
 *	orname_print(&or, &text);
 * DESCRIPTION
 *	A struct orname holds one O/R name (X.411 ORName): the built-in
 *	standard attributes, up to four organizational units, the common
 *	name (extension attribute 1), up to four domain-defined attributes,
 *	the other extension attributes as opaque BER and the optional
 *	directory name as opaque BER. Every attribute is either absent or
 *	present; a present value may be empty (an ADMD of one space, or a
 *	"/O=/" in the text form, is distinct from an absent one). Values
 *	are NUL-terminated and never longer than their X.411 upper bound
 *	(MTSUpperBounds): the setters refuse a longer value, they never
 *	truncate. The struct holds no pointers: it may be copied with
 *	assignment and needs no freeing. orname_domain() copies the
 *	country, ADMD and PRMD of an address (its domain) into a fresh one.
 *	orname_equal() tells whether two structs hold the same values octet
 *	for octet (what a round trip must keep); whether two O/R names name
 *	the same user is ormatch(3)'s question (X.402 18.4). orname_dda()
 *	finds a domain-defined attribute by its type compared as
 *	ormatch_value() does (without regard to case).
 *
 *	BER (X.411 MTSAbstractService, IMPLICIT TAGS). orname_encode()
 *	writes [APPLICATION 0] SEQUENCE { BuiltInStandardAttributes,
 *	BuiltInDomainDefinedAttributes OPTIONAL, ExtensionAttributes
 *	OPTIONAL, directory-name [0] OPTIONAL }; orname_encode_tagged()
 *	writes the same under another implicit tag (the actual-recipient-
 *	name [0] of a report). oraddr_encode() / oraddr_decode() handle a
 *	bare ORAddress, a SEQUENCE of the same components without the
 *	directory name. The decoders take an element already read with
 *	ber_read(), do not look at its tag (the caller knows which tag it
 *	expects), accept any valid BER (the components of the SETs and of
 *	BuiltInStandardAttributes in any order, constructed strings,
 *	indefinite lengths) and check every size constraint and character
 *	set. Unknown extension attributes (teletex and universal variants,
 *	postal attributes, ...) are kept, normalised to definite lengths,
 *	and written back after the common name; so is the directory name.
 *	Both have a fixed room (OR_XRAW_MAX, OR_DN_MAX): an address that
 *	needs more is an error, never silently cut.
 *
 *	Text (RFC 2156 section 4.2.2). orname_parse() reads the std-or form:
 *	"/" or ";" separate KEY=value pairs, "$" quotes the next character,
 *	keys are case-insensitive: C, ADMD (A), PRMD (P), O, OU (OU1..OU4),
 *	S, G, I, GQ (Q), CN, X121 (X.121), UA-ID (N-ID), T-ID, PN (an
 *	encoded-pn, RFC 2156 4.1.2: "Given.I.Surname" sets G, I and S;
 *	orname_pn_parse()), DD.type, DDA.type, DD:type and DDA:type (the
 *	input forms of 4.1.3) and the registered DD type RFC-822. Blanks
 *	around a key are ignored ("S=Support; O=sales;" as the RFC writes
 *	it). A value of a P/T attribute (RFC 2156 4.1.1: O, OU, S, G, I,
 *	GQ, CN, DD) may carry its teletex form after "*" (teletex-and-or-ps,
 *	3.3.4: "yen*{165}", ps-chars as they are and "{ddd...}" one octet
 *	per three digits, 1-255), the printable part then may be empty: the
 *	teletex values go into xraw as the X.411 teletex extension
 *	attributes (teletex-common-name, -organization-name,
 *	-personal-name, -organizational-unit-names, -domain-defined-
 *	attributes), so the encoder writes them and ormatch(3) compares
 *	them with the printable ones. OR_ETELETEX: a teletex PN, a teletex
 *	personal name without teletex surname, OUs whose printable or
 *	teletex forms do not fill the first positions; OR_ECHARS: "*" in a
 *	P or N attribute. The postal and extended network keys of 4.1.1
 *	(PD-*, NET-*, E.164, PSAP, T-TY, ISDN) are recognised and refused
 *	as OR_EPOSTAL (this model does not hold them), any other unknown
 *	key is OR_EKEY. orname_ext_each() reads the teletex extension
 *	attributes back (the one reader: orname_print(), ormatch(3)) and
 *	gives every other extension attribute as BER. Repeated OU keys are written least significant
 *	first, so the last OU written is the first of the SEQUENCE; OU1
 *	.. OU4 name the SEQUENCE positions directly (OU1 the first). DD keys
 *	likewise: the last written is the first domain-defined attribute
 *	(RFC 2156 4.3.3, RFC 1026 section 2). When C
 *	is present and ADMD is not, ADMD is set to a single space. A
 *	three-digit C is numeric (x121-dcc-code); ADMD and PRMD read from
 *	text are printable (set or->numeric to change that). orname_print()
 *	writes the canonical form, least significant attribute on the left:
 *	/DD4../DD1/T-ID/X121/UA-ID/CN/G/I/S/GQ/OU4../OU1/O/PRMD/ADMD/C/, with
 *	"/", ";", "=", "$" (and "*", "{", "}") quoted by "$", each value
 *	with its teletex form after "*" (a teletex value of ps-chars only
 *	with no printable one, or the same one, is written as printable,
 *	4.1.1); other extension attributes (postal ...) have no text form.
 *
 *	PrintableString escaping (RFC 2156 section 3.4) of ASCII text, for
 *	values of domain-defined attributes such as RFC-822:
 *	orname_ps_encode() maps @ % ! " _ ( ) to (a) (p) (b) (q) (u) (l)
 *	(r) and any other ASCII byte outside PrintableString to (ddd),
 *	decimal (RFC 2156, the default) or octal (NIST OIW F.1); a byte
 *	above 127 is OR_ECHARS (822.CHAR is 0-127). orname_ps_decode()
 *	reverses it, takes the letter codes in either case, and copies a
 *	"(" that starts no valid code as it is; a three-digit code above
 *	127 is OR_ECHARS, and orname_ps_decode_at() gives its offset.
 * DIAGNOSTICS
 *	The BER functions return BER_OK or a BER_E* code; the decoder or
 *	writer keeps the first error, its offset (decoder) and the ASN.1
 *	name of the attribute (err_field), e.g. "organization-name".
 *	The text and model functions return OR_OK or an OR_E* code;
 *	orname_parse() also fills a struct or_err with the key, its offset
 *	in the input and the attribute. Nothing here prints or exits.
 */
#ifndef OX_ORNAME_H
#define OX_ORNAME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "asn1/ber.h"
#include "util/buf.h"

/* X.411 MTSUpperBounds */
#define OR_UB_COUNTRY_ALPHA	2
#define OR_UB_COUNTRY_NUMERIC	3
#define OR_UB_DOMAIN_NAME	16
#define OR_UB_X121		16
#define OR_UB_TERMINAL_ID	24
#define OR_UB_ORGANIZATION	64
#define OR_UB_NUMERIC_USER_ID	32
#define OR_UB_SURNAME		40
#define OR_UB_GIVEN_NAME	16
#define OR_UB_INITIALS		5
#define OR_UB_GENERATION	3
#define OR_UB_OU_NAME		32
#define OR_UB_OUS		4
#define OR_UB_COMMON_NAME	64
#define OR_UB_DDAS		4
#define OR_UB_DDA_TYPE		8
#define OR_UB_DDA_VALUE		128
#define OR_UB_EXT_TYPE		256	/* ub-extension-attributes */

/* X.411 extension-attribute types of the teletex variants (kept in xraw) */
#define OR_EXT_TELETEX_CN	2
#define OR_EXT_TELETEX_O	3
#define OR_EXT_TELETEX_PN	4
#define OR_EXT_TELETEX_OU	5
#define OR_EXT_TELETEX_DDA	6

/* Implementation limits for the opaque parts */
#define OR_XRAW_MAX		512	/* unknown extension attributes */
#define OR_DN_MAX		512	/* directory-name */

/* Single-valued attributes; the bit (1 << attr) in orname.present. */
enum or_attr {
	OR_C,		/* country-name */
	OR_ADMD,	/* administration-domain-name */
	OR_X121,	/* network-address */
	OR_TID,		/* terminal-identifier */
	OR_PRMD,	/* private-domain-name */
	OR_O,		/* organization-name */
	OR_UAID,	/* numeric-user-identifier */
	OR_S,		/* personal-name surname */
	OR_G,		/* personal-name given-name */
	OR_I,		/* personal-name initials */
	OR_GQ,		/* personal-name generation-qualifier */
	OR_CN,		/* extension attribute 1, common-name */
	OR_NATTR
};

struct or_dda {
	char	 type[OR_UB_DDA_TYPE + 1];
	char	 value[OR_UB_DDA_VALUE + 1];
};

struct orname {
	uint32_t present;	/* 1 << enum or_attr */
	uint32_t numeric;	/* 1 << OR_C, OR_ADMD, OR_PRMD: NumericString */
	char	 c[OR_UB_COUNTRY_NUMERIC + 1];
	char	 admd[OR_UB_DOMAIN_NAME + 1];
	char	 x121[OR_UB_X121 + 1];
	char	 tid[OR_UB_TERMINAL_ID + 1];
	char	 prmd[OR_UB_DOMAIN_NAME + 1];
	char	 o[OR_UB_ORGANIZATION + 1];
	char	 uaid[OR_UB_NUMERIC_USER_ID + 1];
	char	 s[OR_UB_SURNAME + 1];
	char	 g[OR_UB_GIVEN_NAME + 1];
	char	 i[OR_UB_INITIALS + 1];
	char	 gq[OR_UB_GENERATION + 1];
	char	 cn[OR_UB_COMMON_NAME + 1];
	unsigned nou;		/* ou[0] is the first (most significant) */
	char	 ou[OR_UB_OUS][OR_UB_OU_NAME + 1];
	unsigned ndda;
	struct or_dda dda[OR_UB_DDAS];
	size_t	 xrawlen;	/* other ExtensionAttribute elements, BER */
	uint8_t	 xraw[OR_XRAW_MAX];
	size_t	 dnlen;		/* directory-name: the Name inside [0] */
	uint8_t	 dn[OR_DN_MAX];
};

enum or_errcode {
	OR_OK = 0,
	OR_ESYNTAX,	/* a component without "=", or a dangling "$" */
	OR_EKEY,	/* unknown or unsupported key */
	OR_EDUP,	/* attribute given twice */
	OR_ECHARS,	/* character outside the attribute's string type */
	OR_ESIZE,	/* value longer than its upper bound */
	OR_EOU,		/* OU numbering: a gap, or OU mixed with OUn */
	OR_EMANY,	/* more than 4 OUs or 4 domain-defined attributes */
	OR_ENOMEM,	/* output buffer full */
	OR_EARG,	/* bad argument (unknown attribute, style) */
	OR_EPOSTAL,	/* a postal or network key this model does not hold */
	OR_ETELETEX,	/* a teletex value this model cannot place */
	OR_NERR
};

/*
 * One value of a teletex extension attribute kept in xraw (types 2-6):
 * the attribute it is the teletex form of, and its T.61 octets.
 */
#define OR_TTX_MAX	OR_UB_DDA_VALUE	/* the longest value read */
#define OR_TTX_OU	OR_NATTR	/* + the OU's position, 0..3 */
#define OR_TTX_DDA	(OR_NATTR + OR_UB_OUS)
struct or_ttx {
	int	 attr;		/* OR_CN OR_O OR_S OR_G OR_I OR_GQ, or above */
	char	 type[OR_UB_DDA_TYPE + 1];	/* OR_TTX_DDA: its type */
	char	 v[OR_TTX_MAX + 1];		/* no NUL inside */
};

struct or_err {
	int	 code;		/* OR_E* */
	size_t	 pos;		/* offset of the component in the input */
	char	 key[24];	/* the key as written (cut to fit) */
	const char *attr;	/* the X.411 attribute name, or NULL */
};

enum or_ps_style {
	OR_PS_DECIMAL = 0,	/* RFC 2156 3.4: (ddd) decimal */
	OR_PS_OCTAL		/* NIST OIW Part 8 F.1: (ooo) octal */
};

void	 orname_init(struct orname *);
void	 orname_domain(const struct orname *, struct orname *);
int	 orname_set(struct orname *, enum or_attr, const char *, size_t);
int	 orname_set_ou(struct orname *, unsigned, const char *, size_t);
int	 orname_add_dda(struct orname *, const char *, const char *, size_t);
const char *orname_get(const struct orname *, enum or_attr);
const char *orname_dda(const struct orname *, const char *);
int	 orname_equal(const struct orname *, const struct orname *);
const char *orname_attr_name(enum or_attr);
const char *orname_strerror(int);

int	 orname_encode(struct berw *, const struct orname *);
int	 orname_encode_tagged(struct berw *, uint8_t, uint32_t,
	    const struct orname *);
int	 orname_decode(struct ber_dec *, const struct ber_tlv *,
	    struct orname *);
int	 orname_read(struct ber_dec *, struct cur *, struct orname *);
int	 oraddr_encode(struct berw *, uint8_t, uint32_t,
	    const struct orname *);
int	 oraddr_decode(struct ber_dec *, const struct ber_tlv *,
	    struct orname *);

int	 orname_ext_each(const struct orname *,
	    int (*)(void *, const struct or_ttx *),
	    int (*)(void *, const uint8_t *, size_t), void *);

int	 orname_parse(const char *, ssize_t, struct orname *,
	    struct or_err *);
int	 orname_print(const struct orname *, struct buf *);

int	 orname_ps_encode(const void *, size_t, enum or_ps_style,
	    struct buf *);
int	 orname_pn_parse(const char *, size_t, struct orname *);
int	 orname_ps_decode_at(const char *, size_t, enum or_ps_style,
	    struct buf *, size_t *);
int	 orname_ps_decode(const char *, size_t, enum or_ps_style,
	    struct buf *);

#endif
