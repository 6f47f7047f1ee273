/*
 * NAME
 *	mixer - RFC 2156 (MIXER) address and message identifier mapping
 * SYNOPSIS
 *	#include "x400/mixer.h"
 *
 *	struct mixer	 mx;
 *	struct orname	 or;
 *	char		 err[256];
 *
 *	mixer_init(&mx);
 *	if (mixer_load_dir(&mx, "/etc/oxgate/mapping", err,
 *	    sizeof(err)) != MIXER_OK)
 *		log_fatal(EX_CONFIG, "%s", err);
 *	mixer_set_gateway(&mx, &gw, "x400.example.com");
 *	mixer_822_to_or(&mx, "Marshall.Rose@salford.ac.uk", &or, err,
 *	    sizeof(err));
 *	mixer_or_to_822(&mx, &or, &text, err, sizeof(err));
 *	mixer_free(&mx);
 * DESCRIPTION
 *	The four mapping tables of RFC 2156 (4.3.4, 4.3.5 and Appendix F),
 *	one per file of a mapping directory:
 *
 *	  domain-or	RFC 822 domain -> O/R address	(RFC 822 -> X.400)
 *	  or-domain	O/R address -> RFC 822 domain	(X.400 -> RFC 822)
 *	  domain-gw	RFC 822 domain -> O/R address of the gateway that
 *			X.400 users reach that domain through (stage II)
 *	  or-gw		O/R address -> RFC 822 domain of the gateway that
 *			Internet users reach that X.400 domain through
 *
 *	A line is "domain#or#" or "or#domain#": an O/R side is key$value
 *	parts joined by ".", most significant on the right, in the order
 *	C, ADMD, PRMD, O, OU (up to four), with "\." for a dot inside a
 *	value and "@" for an omitted level (rule b of Appendix F; an O
 *	right after the ADMD, as Appendix F's XEROX.COM line writes it, is
 *	read with the PRMD omitted, and "ADMD$@" is the ADMD of one space);
 *	a domain-gw line may carry "~TYPE$value" domain-defined attributes
 *	left of the hierarchy. The closing "#" is required, so a value may
 *	end in a space ("ADMD$ " is the blank ADMD). Keys are C, ADMD (A),
 *	PRMD (P), O and OU, in any case. A line whose first non-blank
 *	character is "#" and a blank line are comments. Lookups are
 *	case-independent and find the longest match: the most labels of a
 *	domain (by hashing each suffix of the domain, longest first) or the
 *	most levels of an O/R address (by hashing each prefix of its C,
 *	ADMD, PRMD, O, OU1..OU4 hierarchy, values folded as 4.3.5 step 1:
 *	no leading, trailing or doubled spaces, a zero-length ADMD as one
 *	space). A key may appear once per table.
 *
 *	mixer_822_to_or() maps an RFC 822 address (RFC 2156 4.3.4). Stage
 *	I: a source route goes to stage II; the local part (no leading,
 *	trailing or doubled space, PrintableString and "{}*$;") is read as
 *	std-or (it begins with "/" or ";") or as encoded-pn; a std-or that
 *	is a whole X.400 address is that address (step 6); else the
 *	domain's longest match in domain-or gives the upper attributes and
 *	each label left of the match the next level after the line's last
 *	one (omitted levels counted: below an ADMD line the PRMD), and the
 *	two are merged as step 8 says (an ADMD on the left keeps only C of
 *	the domain, a PRMD C and ADMD, an O C, ADMD and PRMD). Stage II:
 *	the whole address, PrintableString-escaped, goes into the
 *	domain-defined attribute RFC-822 (overflow into RFC822C1, RFC822C2,
 *	RFC822C3: 512 characters at most), beside the attributes stage I
 *	derived from the domain (the first of a source route), else the
 *	domain's match in domain-gw, else the gateway's own address.
 *
 *	mixer_or_resolve() is the recursive mapping of RFC 2156 4.4.1: an
 *	O/R address whose RFC-822 attribute holds an address that stage I
 *	maps is replaced by that X.400 address, up to four times; *changed
 *	(may be NULL) says whether it was. "C=XX; ADMD=YY; O=ZZ;
 *	RFC-822=Smith(a)ZZ.YY.XX" with the line "YY.XX#PRMD$@.ADMD$YY.C$XX#"
 *	becomes "C=XX; ADMD=YY; O=ZZ; S=Smith".
 *
 *	mixer_or_to_822() maps an O/R address (RFC 2156 4.3.5). An address
 *	with an RFC-822 domain-defined attribute (and RFC822C1..C3) gives
 *	its decoded value when that is a valid address; the other
 *	attributes are dropped. Else the longest match in or-domain (whose
 *	domain has two labels or more) gives the domain; an address with
 *	X121, T-ID, UA-ID or another extension attribute (a teletex value
 *	too: a domain label has no teletex form) goes whole, as std-or,
 *	left of it; else the levels below the match, from the next
 *	one on while each is present and a valid domain label, are put in
 *	front of it; the rest goes left of "@" as encoded-pn when that reads
 *	back to the same attributes, else as std-or, quoted when it is not
 *	an RFC 822 atom. At least one attribute stays left of "@". An
 *	address without a match is written at the domain of its match in
 *	or-gw without the attributes of that match, else as a whole std-or
 *	at the gateway's own domain.
 *
 *	mixer_ipm_to_msgid() and mixer_msgid_to_ipm() map an IPM identifier
 *	(optional ORName, user-relative-identifier) to an RFC 822 msg-id
 *	and back (RFC 2156 4.7.3): an identifier without an ORName whose
 *	user-relative-identifier decodes (PrintableString escapes) to an
 *	addr-spec is written "<addr-spec>"; any other is written
 *	<"id*std-or"@MHS> (the std-or empty when there is no ORName; quoted
 *	when it holds one, as 4.7.3.2 writes it). A msg-id of that form,
 *	at MHS or at the gateway's own domain, maps back to its parts; any
 *	other msg-id becomes an identifier
 *	without ORName whose user-relative-identifier is the escaped
 *	addr-spec (64 characters at most).
 *	mixer_ipm_to_ref() and mixer_ref_to_ipm() are the same for
 *	In-Reply-To and References, with the phrase form of 4.7.3.5: an
 *	identifier without ORName whose user-relative-identifier is no
 *	msg-id is written as a quoted phrase, and a phrase read back is the
 *	user-relative-identifier (escaped, 64 characters at most).
 *
 *	mixer_or_1984() gives the X.400(1984) form of an O/R address (RFC
 *	2156 Appendix B): a common name as the domain-defined attribute
 *	"Common"; MIXER_ESIZE when the four DDAs are taken, MIXER_EADDR for
 *	another extension attribute (out is then the address unchanged).
 *
 *	mixer_run() is the text interface of oxaddr(1) and of the RFC 2156
 *	example table (tests/rfc2156/cases): one verb (mixer_verb() gives
 *	it by name: toor, to822, escape, unescape, msgid, ipmid, stdor, pn,
 *	resolve, ref, refid, or1984) on one argument, the result in out or the error in err.
 *	An IPM identifier is written as RFC 2156's id-loc, "[user-relative-
 *	identifier] * [std-or]" (4.7.3.2).
 *
 *	Lenient loading: with mx->warn set, a bad table line (syntax, bound,
 *	a key given twice) is given to warn(warnarg, "file:line: why"),
 *	counted in mx->nskipped and skipped, the other lines load; without
 *	it (oxaddr --check, oxtrace --check-config) the first bad line is
 *	the error.
 *
 *	ODETTE IDs and their X.400 addresses are odette(3) in lib/oftp.
 * DIAGNOSTICS
 *	Every function returns MIXER_OK or a MIXER_E* code and writes one
 *	line into err: a table error names the file and line ("mapping/
 *	domain-or:12: ..."), an address error says what is wrong with it.
 *	Nothing here prints or exits.
 */
#ifndef OX_MIXER_H
#define OX_MIXER_H

#include <stddef.h>

#include "util/buf.h"
#include "x400/orname.h"

#define MIXER_LINE_MAX		1024	/* a table line, without newline */
#define MIXER_DOMAIN_MAX	255	/* an RFC 822 domain */
#define MIXER_LABEL_MAX		63	/* a domain label */
#define MIXER_ADDR_MAX		1024	/* an RFC 822 address we accept */
#define MIXER_DDA_TOTAL		512	/* RFC-822 + RFC822C1..C3 */
#define MIXER_URI_MAX		64	/* ub-local-ipm-identifier */
#define MIXER_NLEV		8	/* C ADMD PRMD O OU1 OU2 OU3 OU4 */
#define MIXER_MSGID_DOMAIN	"MHS"	/* X.400-generated msg-ids (4.7.3.2) */
#define MIXER_DDA_COMMON	"Common" /* a CN in X.400(1984), Appendix B */

enum mixer_kind {
	MIXER_DOMAIN_OR,	/* file "domain-or" */
	MIXER_OR_DOMAIN,	/* file "or-domain" */
	MIXER_DOMAIN_GW,	/* file "domain-gw" */
	MIXER_OR_GW,		/* file "or-gw" */
	MIXER_NKIND
};

enum mixer_errcode {
	MIXER_OK = 0,
	MIXER_ETABLE,		/* a bad table line */
	MIXER_EDUP,		/* a key given twice in one table */
	MIXER_EIO,		/* a table cannot be read */
	MIXER_ENOMEM,		/* out of memory */
	MIXER_EADDR,		/* an address or msg-id that does not parse */
	MIXER_ESIZE,		/* a result over an upper bound */
	MIXER_ENOMAP,		/* no mapping: no table match, no gateway */
	MIXER_EARG,		/* bad argument */
	MIXER_NERR
};

/*
 * One parsed table line. Levels: C ADMD PRMD O OU1..OU4; a domain-gw
 * line may also carry domain-defined attributes ("~ROLE$x", dda[0]
 * the first of the SEQUENCE, the rightmost written).
 */
struct mixer_line {
	char	 domain[MIXER_DOMAIN_MAX + 1];
	unsigned nlev;			/* levels given, 1..8 */
	unsigned absent;		/* bit i: level i written "@" */
	char	 lev[MIXER_NLEV][OR_UB_ORGANIZATION + 1];
	unsigned ndda;
	struct or_dda dda[OR_UB_DDAS];
};

struct mixer_table;			/* one loaded table, opaque */

struct mixer {
	struct mixer_table *tab[MIXER_NKIND];
	struct orname	 gw;		/* the gateway's own O/R address */
	int		 has_gw;
	char		 gwdomain[MIXER_DOMAIN_MAX + 1];	/* "" if none */
	enum or_ps_style ps;		/* escapes in RFC-822 and msg-ids */
	/* lenient loading: a bad line is given to warn and skipped */
	void		(*warn)(void *, const char *);
	void		*warnarg;
	unsigned long	 nskipped;	/* lines skipped so far */
};

void	 mixer_init(struct mixer *);
void	 mixer_free(struct mixer *);
const char *mixer_strerror(int);
const char *mixer_kind_file(enum mixer_kind);

int	 mixer_line_parse(enum mixer_kind, const char *, size_t,
	    struct mixer_line *, char *, size_t);
int	 mixer_load(struct mixer *, enum mixer_kind, const char *, char *,
	    size_t);
int	 mixer_load_text(struct mixer *, enum mixer_kind, const char *,
	    const char *, size_t, char *, size_t);
int	 mixer_load_dir(struct mixer *, const char *, char *, size_t);
size_t	 mixer_table_size(const struct mixer *, enum mixer_kind);
int	 mixer_set_gateway(struct mixer *, const struct orname *,
	    const char *);

int	 mixer_lookup_domain(const struct mixer *, enum mixer_kind,
	    const char *, struct orname *, size_t *);
int	 mixer_lookup_or(const struct mixer *, enum mixer_kind,
	    const struct orname *, struct buf *, unsigned *);

int	 mixer_pn_parse(const char *, size_t, struct orname *);
int	 mixer_pn_print(const struct orname *, struct buf *);

int	 mixer_822_to_or(const struct mixer *, const char *, struct orname *,
	    char *, size_t);
int	 mixer_or_to_822(const struct mixer *, const struct orname *,
	    struct buf *, char *, size_t);
int	 mixer_or_resolve(const struct mixer *, const struct orname *,
	    struct orname *, int *);

/* The text verbs of oxaddr(1), one per mapping (mixer_run()). */
enum mixer_verb {
	MIXER_V_TOOR,		/* RFC 822 address -> std-or (4.3.4) */
	MIXER_V_TO822,		/* std-or -> RFC 822 address (4.3.5) */
	MIXER_V_ESCAPE,		/* ASCII -> PrintableString (3.4) */
	MIXER_V_UNESCAPE,	/* and back */
	MIXER_V_MSGID,		/* id-loc "[uri]*[std-or]" -> msg-id (4.7.3) */
	MIXER_V_IPMID,		/* msg-id -> id-loc */
	MIXER_V_STDOR,		/* std-or-address-input -> std-or (4.1.3) */
	MIXER_V_PN,		/* std-or -> encoded-pn (4.1.2) */
	MIXER_V_RESOLVE,	/* std-or -> std-or, recursive (4.4.1) */
	MIXER_V_REF,		/* id-loc -> In-Reply-To/References value */
	MIXER_V_REFID,		/* and back (4.7.3.5 phrase form) */
	MIXER_V_OR1984,		/* std-or -> its X.400(1984) form (App. B) */
	MIXER_NVERB
};

int	 mixer_verb(const char *);
int	 mixer_run(const struct mixer *, enum mixer_verb, const char *,
	    struct buf *, char *, size_t);

int	 mixer_ipm_to_msgid(const struct mixer *, const struct orname *,
	    const char *, struct buf *, char *, size_t);
int	 mixer_msgid_to_ipm(const struct mixer *, const char *,
	    struct orname *, int *, struct buf *, char *, size_t);
int	 mixer_or_1984(const struct orname *, struct orname *, char *,
	    size_t);
int	 mixer_ipm_to_ref(const struct mixer *, const struct orname *,
	    const char *, struct buf *, char *, size_t);
int	 mixer_ref_to_ipm(const struct mixer *, const char *,
	    struct orname *, int *, struct buf *, char *, size_t);

#endif
