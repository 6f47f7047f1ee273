/*
 * NAME
 *	t_mixer - unit tests for lib/x400/mixer (RFC 2156 mapping)
 * DESCRIPTION
 *	A table of mapping cases, each marked "verified" (a literal RFC
 *	2156 or RFC 1026 example, quoted) or "derived" (our case for the
 *	rule of the section named): RFC 822 -> X.400 (4.3.4, stages I and
 *	II), X.400 -> RFC 822 (4.3.5), repeated mappings (4.4.1 recursive,
 *	4.4.2 reversible across a gateway), encoded-pn (4.2.1), message
 *	identifiers (4.7.3), table lines (Appendix F), the PrintableString
 *	escapes of the RFC-822 attribute (3.4); the ODETTE ID mapping is in
 *	t_odette. Round trips in both directions over every case that
 *	is meant to come back. Bad table lines, overlong values
 *	and unparsable addresses give the expected code and message. A
 *	generated table of 100,000 lines is loaded from a file and timed
 *	(printed as a "#" comment, not asserted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "test.h"
#include "x400/mixer.h"

static const char t_domain_or[] =
    "# RFC 822 domain -> O/R (RFC 2156 Appendix F)\n"
    "AC.UK#PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#\n"
    "autoroutes.fr#PRMD$autoroutes.ADMD$atlas.C$fr#\n"
    "atlas.fr#ADMD$atlas.C$fr#\n"
    "\n"
    "  # an indented comment\n"
    "acme.co.uk#O$Acme.PRMD$@.ADMD$ .C$GB#\n"
    "ou.example#OU$Lab.O$Org.PRMD$P.ADMD$A.C$DE#\n"
    "# the domain of the RFC 2156 4.4.1 example\n"
    "YY.XX#PRMD$@.ADMD$YY.C$XX#\n";

static const char t_or_domain[] =
    "PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#AC.UK#\n"
    "PRMD$autoroutes.ADMD$atlas.C$fr#autoroutes.fr#\r\n"
    "ADMD$atlas.C$fr#atlas.fr#\n"
    "O$Acme.PRMD$@.ADMD$ .C$GB#acme.co.uk#\n"
    "OU$Lab.O$Org.PRMD$P.ADMD$A.C$DE#ou.example#\n"
    "PRMD$@.ADMD$YY.C$XX#YY.XX#\n";

static const char t_domain_gw[] =
    "mci.com#PRMD$Internet.ADMD$MCI.C$US#\n";

static const char t_or_gw[] =
    "ADMD$ATTMAIL.C$US#x400.att.example#\n";

static void
setup(struct mixer *mx, const char *gw)
{
	struct orname	 g;
	char		 err[256];

	mixer_init(mx);
	CHECK_EQ_INT(mixer_load_text(mx, MIXER_DOMAIN_OR, "domain-or",
	    t_domain_or, strlen(t_domain_or), err, sizeof(err)), MIXER_OK);
	CHECK_EQ_INT(mixer_load_text(mx, MIXER_OR_DOMAIN, "or-domain",
	    t_or_domain, strlen(t_or_domain), err, sizeof(err)), MIXER_OK);
	CHECK_EQ_INT(mixer_load_text(mx, MIXER_DOMAIN_GW, "domain-gw",
	    t_domain_gw, strlen(t_domain_gw), err, sizeof(err)), MIXER_OK);
	CHECK_EQ_INT(mixer_load_text(mx, MIXER_OR_GW, "or-gw", t_or_gw,
	    strlen(t_or_gw), err, sizeof(err)), MIXER_OK);
	CHECK_EQ_INT(orname_parse(gw, -1, &g, NULL), OR_OK);
	CHECK_EQ_INT(mixer_set_gateway(mx, &g, "x400.example.org"), MIXER_OK);
}

/*
 * RFC 822 -> X.400: address, expected std-or (or NULL and a code).
 *
 * Each case says whether it is a literal RFC 2156 example ("verified",
 * with a few words of the RFC) or our derivation of a rule ("derived").
 * Only the RFC 2156 text of 4.4 (pages 59-60), Appendix B and short
 * excerpts of 3.4, 4.2.1, 4.3.1, 4.3.5 and Appendix F could be read
 * (2026-11-22); RFC 1026 sections 2, 3 and its Appendix F in full. The
 * Salford, autoroutes, Tom_Harris and Marshall.Rose addresses were
 * written from memory as RFC examples and could not be found in the
 * text that was readable: they are our examples of the rules.
 */
struct c_toor {
	const char	*sect;
	const char	*addr;
	const char	*want;
	int		 code;
};

static const struct c_toor c_toor[] = {
	/* derived: 4.3.4 stage I, longest domain match, remaining labels
	 * to O then OU; local part encoded-pn (4.2.1) */
	{ "4.3.4 I (Salford)", "Marshall.Rose@Salford.AC.UK",
	    "/G=Marshall/S=Rose/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", 0 },
	/* derived: 4.3.4 stage I, two labels below the match */
	{ "4.3.4 I (R-D.Salford.AC.UK)", "S.Kille@R-D.Salford.AC.UK",
	    "/I=S/S=Kille/OU=R-D/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", 0 },
	/* derived: App. F, lookups are case-independent */
	{ "4.3.4 I case-independent match", "Marshall.Rose@salford.ac.uk",
	    "/G=Marshall/S=Rose/O=salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", 0 },
	/* derived: 4.2.1 encoded-pn, a surname alone */
	{ "4.3.4 I surname only", "postmaster@AC.UK",
	    "/S=postmaster/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", 0 },
	/* derived: 4.2.1 encoded-pn, initials */
	{ "4.3.4 I initials", "J.R.Smith@cs.ucl.ac.uk",
	    "/I=JR/S=Smith/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", 0 },
	/* derived: 4.2.1 encoded-pn G.I.S */
	{ "4.2.1 encoded-pn G.I.S", "Marshall.T.Rose@Salford.AC.UK",
	    "/G=Marshall/I=T/S=Rose/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/",
	    0 },
	/* derived: 4.3.4 stage I, four labels to OUs (X.411 bound 4) */
	{ "4.3.4 I four OUs", "a@w.x.y.z.o.AC.UK",
	    "/S=a/OU=w/OU=x/OU=y/OU=z/O=o/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", 0 },
	/* derived: 4.3.1 "The remaining attributes are encoded on the LHS,
	 * using the EBNF.std-or-address syntax", read back (4.3.4) */
	{ "4.3.4 I std-or local part (4.3.5 reverse)",
	    "\"/S=renseignements/O=Region Parisienne/\"@autoroutes.fr",
	    "/S=renseignements/O=Region Parisienne/PRMD=autoroutes/"
	    "ADMD=atlas/C=fr/", 0 },
	/* derived: 4.3.5 "Follow the hierarchy: C, ADMD, PRMD, O, OU"
	 * reversed: a PRMD that is not a label stays in the std-or */
	{ "4.3.4 I std-or local part, PRMD not in the domain (one way)",
	    "/S=X/O=Org/PRMD=other/@atlas.fr",
	    "/S=X/O=Org/PRMD=other/ADMD=atlas/C=fr/", 0 },
	/* derived: 4.3.4 stage I, an OU of the std-or under the domain's O */
	{ "4.3.4 I std-or OU under the domain's O",
	    "/S=Kille/OU=R-D/@Salford.AC.UK",
	    "/S=Kille/OU=R-D/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", 0 },
	/* derived: App. F / RFC 1026 s.3 omitted attribute "@" and the
	 * blank ADMD */
	{ "App. F absent PRMD, blank ADMD", "Smith@acme.co.uk",
	    "/S=Smith/O=Acme/ADMD= /C=GB/", 0 },
	/* derived: App. F, a table line down to an OU */
	{ "4.3.4 I table down to an OU", "Smith@sub.ou.example",
	    "/S=Smith/OU=sub/OU=Lab/O=Org/PRMD=P/ADMD=A/C=DE/", 0 },
	/* verified: RFC 2156 4.4.1 ("This is mapped first to an RFC 822
	 * address, and then back to the X.400 address: C = "XX" ADMD =
	 * "YY" O = "ZZ" Surname = "Smith""), with our line YY.XX */
	{ "4.4.1 recursive, second half", "Smith@ZZ.YY.XX",
	    "/S=Smith/O=ZZ/ADMD=YY/C=XX/", 0 },
	/* derived: 4.4.2 "symmetrical and reversible across a single
	 * gateway": the std-or that 4.3.5 writes at the gateway's domain
	 * for an address without a table line is that address */
	{ "4.4.2 std-or at the gateway's domain",
	    "\"/S=Smith/O=Acme/PRMD=ACME/ADMD= /C=GB/\"@x400.example.org",
	    "/S=Smith/O=Acme/PRMD=ACME/ADMD= /C=GB/", 0 },
	/* derived: 4.4.2, the same at the domain of another gateway that
	 * the or-gw table names for this address */
	{ "4.4.2 std-or at an or-gw gateway (one way)",
	    "/S=Dupont/PRMD=other/ADMD=ATTMAIL/C=US/@x400.att.example",
	    "/S=Dupont/PRMD=other/ADMD=ATTMAIL/C=US/", 0 },
	/* derived: 4.4.1 + 4.4.2, a gateway std-or whose RFC-822 attribute
	 * maps back to X.400 here: no second conversion */
	{ "4.4.1 recursive through the gateway's std-or",
	    "\"/DD.RFC-822=Smith(a)ZZ.YY.XX/O=ZZ/ADMD=YY/C=XX/\"@"
	    "x400.example.org", "/S=Smith/O=ZZ/ADMD=YY/C=XX/", 0 },
	/* derived: 4.3.4 step 6 (rfc2156.txt:2890), a std-or local part
	 * that is a valid X.400 address is that address, whatever the
	 * domain */
	{ "4.3.4 step 6 complete std-or at another domain (one way)",
	    "/S=Dupont/ADMD=ATTMAIL/C=US/@x400.other.example",
	    "/S=Dupont/ADMD=ATTMAIL/C=US/", 0 },
	/* derived: 4.4.2, a std-or without C at the gateway's domain is a
	 * local part, and x400.example.org has no domain-or line: stage II */
	{ "4.4.2 std-or without C at the gateway's domain",
	    "/S=Smith/@x400.example.org",
	    "/DD.RFC-822=$/S$=Smith$/(a)x400.example.org/PRMD=relay/ADMD=MCI/"
	    "C=us/", 0 },
	/* derived: 4.3.4 stage II, the whole address in RFC-822 with the
	 * 3.4 escapes, at the gateway's O/R address (our addresses) */
	{ "4.3.4 II (Tom_Harris)", "Tom_Harris@cs.widget.com",
	    "/DD.RFC-822=Tom(u)Harris(a)cs.widget.com/PRMD=relay/ADMD=MCI/"
	    "C=us/", 0 },
	/* derived: 4.3.4 stage II, no table match */
	{ "4.3.4 II no table match", "John.Smith@unknown.example",
	    "/DD.RFC-822=John.Smith(a)unknown.example/PRMD=relay/ADMD=MCI/"
	    "C=us/", 0 },
	/* derived: 4.3.4 stage II with the domain -> gateway table */
	{ "4.3.4 II domain-gw table", "someone@dept.mci.com",
	    "/DD.RFC-822=someone(a)dept.mci.com/PRMD=Internet/ADMD=MCI/C=US/",
	    0 },
	/* derived: 4.3.4 step 8 (rfc2156.txt:2933), an O on the LHS takes
	 * C, ADMD and PRMD from the RHS, not its O */
	{ "4.3.4 step 8 LHS O over the domain's O (one way)",
	    "\"/O=Other/S=x/\"@Salford.AC.UK",
	    "/S=x/O=Other/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", 0 },
	/* derived: 4.3.4 step 8, five labels exceed the four OUs: stage II
	 * "with the attributes derived" (rfc2156.txt:2925) */
	{ "4.3.4 II five OUs", "a@v.w.x.y.z.o.AC.UK",
	    "/DD.RFC-822=a(a)v.w.x.y.z.o.AC.UK/OU=w/OU=x/OU=y/OU=z/O=o/"
	    "PRMD=UK.AC/ADMD=GOLD 400/C=GB/", 0 },
	/* derived: the same, a label over ub-organizational-unit-name */
	{ "4.3.4 II OU over 32", "a@abcdefghijabcdefghijabcdefghijabc.o.AC.UK",
	    "/DD.RFC-822=a(a)abcdefghijabcdefghijabcdefghijabc.o.AC.UK/O=o/"
	    "PRMD=UK.AC/ADMD=GOLD 400/C=GB/", 0 },
	/* derived: 4.3.4 stage II, a domain literal; 3.4 decimal escapes */
	{ "4.3.4 II domain literal", "user@[10.0.0.1]",
	    "/DD.RFC-822=user(a)(091)10.0.0.1(093)/PRMD=relay/ADMD=MCI/C=us/",
	    0 },
	/* derived: 3.4 (p) and (q) in stage II */
	{ "3.4 II percent and quotes", "\"john smith%x\"@unknown.example",
	    "/DD.RFC-822=(q)john smith(p)x(q)(a)unknown.example/PRMD=relay/"
	    "ADMD=MCI/C=us/", 0 },
	/* derived: 4.3.4, a given name over ub-given-name-length 16 */
	{ "4.3.4 II given name too long for G",
	    "Abcdefghijklmnopq.Smith@AC.UK",
	    "/DD.RFC-822=Abcdefghijklmnopq.Smith(a)AC.UK/PRMD=UK.AC/"
	    "ADMD=GOLD 400/C=GB/", 0 },
	/* derived: RFC 822 addr-spec syntax (not RFC 2156) */
	{ "822 syntax: no domain", "user", NULL, MIXER_EADDR },
	{ "822 syntax: empty", "", NULL, MIXER_EADDR },
	{ "822 syntax: double dot", "a..b@x.example", NULL, MIXER_EADDR },
	{ "822 syntax: open quote", "\"abc@x.example", NULL, MIXER_EADDR },
	{ "822 syntax: empty label", "a@x..example", NULL, MIXER_EADDR },
	{ "822 syntax: control character", "a\tb@x.example", NULL,
	    MIXER_EADDR },
	/* derived: 4.3.4 stage I step 1 (rfc2156.txt:2837), a source route
	 * goes to stage II whole, never refused */
	{ "4.3.4 II source route", "@a.example:u@b.example",
	    "/DD.RFC-822=(a)a.example:u(a)b.example/PRMD=relay/ADMD=MCI/C=us/",
	    0 },
	{ "822 syntax: bad route", "@a.example;u@b.example", NULL,
	    MIXER_EADDR },
};

/*
 * X.400 -> RFC 822: std-or, expected address (or NULL and a code).
 */
struct c_to822 {
	const char	*sect;
	const char	*or;
	const char	*want;
	int		 code;
};

static const struct c_to822 c_to822[] = {
	/* derived: 4.3.5 longest O/R match; O a valid label becomes a
	 * subdomain; the rest encoded-pn (4.2.1: "then EBNF.encoded-pn is
	 * derived to form 822.local-part") */
	{ "4.3.5 (Marshall.Rose)",
	    "/G=Marshall/S=Rose/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/",
	    "Marshall.Rose@Salford.AC.UK", 0 },
	/* derived: 4.3.5 "In other cases the remaining components are
	 * simply encoded as 822.local-part using the EBNF.std-or-address
	 * syntax. If necessary, the 822.quoted-string encoding is used" */
	{ "4.3.5 (renseignements)",
	    "/S=renseignements/O=Region Parisienne/PRMD=autoroutes/"
	    "ADMD=atlas/C=fr/",
	    "\"/S=renseignements/O=Region Parisienne/\"@autoroutes.fr", 0 },
	/* derived: 4.3.5 mapping A (RFC 987 4.2.4, same in 2156: a single
	 * "RFC-822" attribute is decoded; the other attributes dropped, the
	 * "pragmatic approach" for the gateway identification) */
	{ "4.3.5 RFC-822 attribute (Tom_Harris)",
	    "/DD.RFC-822=Tom(u)Harris(a)cs.widget.com/PRMD=relay/ADMD=MCI/"
	    "C=us/", "Tom_Harris@cs.widget.com", 0 },
	/* verified: RFC 2156 4.4.1 ('"RFC-822" = "Smith(a)ZZ.YY.XX" This is
	 * mapped first to an RFC 822 address'), first half */
	{ "4.4.1 recursive, first half",
	    "/DD.RFC-822=Smith(a)ZZ.YY.XX/O=ZZ/ADMD=YY/C=XX/",
	    "Smith@ZZ.YY.XX", 0 },
	/* derived: 4.3.5 "For each successive component below the OR
	 * address prefix, which conforms to the syntax EBNF.domain-syntax"
	 * - O and OU become subdomains */
	{ "4.3.5 OU as a subdomain",
	    "/I=S/S=Kille/OU=R-D/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/",
	    "S.Kille@R-D.Salford.AC.UK", 0 },
	/* derived: 4.2.1, a GQ has no encoded-pn: std-or */
	{ "4.3.5 generation qualifier: std-or",
	    "/G=John/S=Smith/GQ=Jr/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/",
	    "/G=John/S=Smith/GQ=Jr/@Salford.AC.UK", 0 },
	/* derived: 4.3.5, std-or with a space is quoted */
	{ "4.3.5 common name: quoted std-or",
	    "/CN=Help Desk/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/",
	    "\"/CN=Help Desk/\"@Salford.AC.UK", 0 },
	/* derived: 4.2.1, a one-letter given name would read back as an
	 * initial: std-or */
	{ "4.3.5 one-letter given name: std-or",
	    "/G=J/S=Smith/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/",
	    "/G=J/S=Smith/@Salford.AC.UK", 0 },
	/* derived: 4.3.5, "Big Org" is no domain-syntax: the labels stop */
	{ "4.3.5 O not a domain label",
	    "/S=X/OU=Lab/O=Big Org/PRMD=UK.AC/ADMD=GOLD 400/C=GB/",
	    "\"/S=X/OU=Lab/O=Big Org/\"@AC.UK", 0 },
	/* derived: 4.3.5 step 4 (rfc2156.txt:3197), below an ADMD match the
	 * next subdomain is the PRMD */
	{ "4.3.5 PRMD below an ADMD match",
	    "/S=X/O=Org/PRMD=other/ADMD=atlas/C=fr/",
	    "X@Org.other.atlas.fr", 0 },
	/* derived: 4.3.5 step 4 (rfc2156.txt:3207), an omitted PRMD below
	 * an ADMD match: the rest on the LHS */
	{ "4.3.5 omitted PRMD below an ADMD match",
	    "/S=X/O=Org/ADMD=atlas/C=fr/", "/S=X/O=Org/@atlas.fr", 0 },
	/* derived: 4.3.5, other DDAs stay in the std-or */
	{ "4.3.5 other DDA stays in std-or",
	    "/DD.ODETTEID=O0177ABC/S=X/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/"
	    "C=GB/", "/DD.ODETTEID=O0177ABC/S=X/@Salford.AC.UK", 0 },
	/* derived: 4.3.5 (kw excerpt) "the 822.local-part cannot be null" */
	{ "4.3.5 one attribute stays left of @",
	    "/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/",
	    "/O=Salford/@AC.UK", 0 },
	/* derived: 4.2.1 encoded-pn, quoted when not an atom */
	{ "4.3.5 encoded-pn with specials is quoted",
	    "/G=Jan/S=van Dyke/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/",
	    "\"Jan.van Dyke\"@Salford.AC.UK", 0 },
	/* derived: App. F / RFC 1026 s.3, an omitted PRMD in the table */
	{ "4.3.5 absent PRMD in the table",
	    "/S=Smith/O=Acme/ADMD= /C=GB/", "Smith@acme.co.uk", 0 },
	/* derived: App. F, a table line down to an OU */
	{ "4.3.5 table down to an OU",
	    "/S=Smith/OU=sub/OU=Lab/O=Org/PRMD=P/ADMD=A/C=DE/",
	    "Smith@sub.ou.example", 0 },
	/* derived: 4.3.5, no match: std-or at the gateway's domain */
	{ "4.3.5 no match: gateway domain",
	    "/S=Smith/O=Acme/PRMD=ACME/ADMD= /C=GB/",
	    "\"/S=Smith/O=Acme/PRMD=ACME/ADMD= /C=GB/\"@x400.example.org", 0 },
	/* derived: 4.3.5 example 4 (rfc2156.txt:3279), no match: the or-gw
	 * gateway's domain, its prefix dropped */
	{ "4.3.5 no match: or-gw table (one way)",
	    "/S=Dupont/PRMD=other/ADMD=ATTMAIL/C=US/",
	    "/S=Dupont/PRMD=other/@x400.att.example", 0 },
	/* derived: 4.3.5, an RFC-822 value that is no addr-spec is not
	 * mapping A: the whole address as std-or */
	{ "4.3.5 bad RFC-822 value is kept as std-or",
	    "/DD.RFC-822=no at sign/PRMD=relay/ADMD=MCI/C=us/",
	    "\"/DD.RFC-822=no at sign/PRMD=relay/ADMD=MCI/C=us/\"@"
	    "x400.example.org", 0 },
	/* derived: 4.3.4 continuation attribute RFC822C1 */
	{ "4.3.4 RFC822C1 continuation",
	    "/DD.RFC-822=a(a)b/DD.RFC822C1=c.example/C=us/ADMD=MCI/",
	    "a@bc.example", 0 },
};

static void
t_to_or(void)
{
	struct mixer	 mx;
	struct orname	 or;
	struct buf	 b;
	char		 err[256];
	size_t		 i;
	int		 e;

	setup(&mx, "/C=us/A=MCI/P=relay/");
	for (i = 0; i < sizeof(c_toor) / sizeof(c_toor[0]); i++) {
		e = mixer_822_to_or(&mx, c_toor[i].addr, &or, err, sizeof(err));
		if (e != c_toor[i].code) {
			test_fail(__FILE__, __LINE__, "%s: %s: code %d (%s), "
			    "expected %d", c_toor[i].sect, c_toor[i].addr, e,
			    err, c_toor[i].code);
			continue;
		}
		if (c_toor[i].want == NULL)
			continue;
		buf_init(&b);
		orname_print(&or, &b);
		if (strcmp(buf_cstr(&b), c_toor[i].want) != 0)
			test_fail(__FILE__, __LINE__, "%s: %s -> %s, expected "
			    "%s", c_toor[i].sect, c_toor[i].addr, buf_cstr(&b),
			    c_toor[i].want);
		buf_free(&b);
	}
	mixer_free(&mx);
}

static void
t_to_822(void)
{
	struct mixer	 mx;
	struct orname	 or;
	struct buf	 b;
	char		 err[256];
	size_t		 i;
	int		 e;

	setup(&mx, "/C=us/A=MCI/P=relay/");
	for (i = 0; i < sizeof(c_to822) / sizeof(c_to822[0]); i++) {
		if (orname_parse(c_to822[i].or, -1, &or, NULL) != OR_OK) {
			test_fail(__FILE__, __LINE__, "%s: %s does not parse",
			    c_to822[i].sect, c_to822[i].or);
			continue;
		}
		buf_init(&b);
		e = mixer_or_to_822(&mx, &or, &b, err, sizeof(err));
		if (e != c_to822[i].code)
			test_fail(__FILE__, __LINE__, "%s: %s: code %d (%s)",
			    c_to822[i].sect, c_to822[i].or, e, err);
		else if (c_to822[i].want != NULL &&
		    strcmp(buf_cstr(&b), c_to822[i].want) != 0)
			test_fail(__FILE__, __LINE__, "%s: %s -> %s, expected "
			    "%s", c_to822[i].sect, c_to822[i].or, buf_cstr(&b),
			    c_to822[i].want);
		buf_free(&b);
	}
	mixer_free(&mx);
}

/* Local parts exactly, domains in any case. */
static int
same_address(const char *a, const char *b)
{
	const char *x = strrchr(a, '@'), *y = strrchr(b, '@');

	return x != NULL && y != NULL && x - a == y - b &&
	    strncmp(a, b, (size_t)(x - a)) == 0 && strcasecmp(x, y) == 0;
}

/* Every table-covered case maps back to where it came from. */
static void
t_round_trip(void)
{
	struct mixer	 mx;
	struct orname	 or, back;
	struct buf	 b;
	char		 err[256];
	size_t		 i;

	setup(&mx, "/C=us/A=MCI/P=relay/");
	/* RFC 822 -> X.400 -> RFC 822 */
	for (i = 0; i < sizeof(c_toor) / sizeof(c_toor[0]); i++) {
		if (c_toor[i].want == NULL || strstr(c_toor[i].sect,
		    "case-independent") != NULL ||
		    strstr(c_toor[i].sect, "std-or OU") != NULL ||
		    strstr(c_toor[i].sect, "(one way)") != NULL ||
		    strstr(c_toor[i].sect, "recursive through") != NULL)
			continue;
		buf_init(&b);
		if (mixer_822_to_or(&mx, c_toor[i].addr, &or, err,
		    sizeof(err)) != MIXER_OK ||
		    mixer_or_to_822(&mx, &or, &b, err, sizeof(err)) !=
		    MIXER_OK || !same_address(buf_cstr(&b), c_toor[i].addr))
			test_fail(__FILE__, __LINE__, "%s: %s came back as %s "
			    "(%s)", c_toor[i].sect, c_toor[i].addr,
			    buf_cstr(&b), err);
		buf_free(&b);
	}
	/*
	 * X.400 -> RFC 822 -> X.400: with 4.4.2 also the addresses without
	 * a table line (std-or at a gateway's domain) and those in RFC-822
	 * at this gateway's address; not the 4.4.1 recursion (it maps to
	 * another address on purpose) nor RFC822C1 without the gateway's
	 * PRMD.
	 */
	for (i = 0; i < sizeof(c_to822) / sizeof(c_to822[0]); i++) {
		if (strstr(c_to822[i].sect, "4.4.1") != NULL ||
		    strstr(c_to822[i].sect, "(one way)") != NULL ||
		    strstr(c_to822[i].sect, "RFC822C1") != NULL)
			continue;
		buf_init(&b);
		orname_parse(c_to822[i].or, -1, &or, NULL);
		if (mixer_or_to_822(&mx, &or, &b, err, sizeof(err)) !=
		    MIXER_OK || mixer_822_to_or(&mx, buf_cstr(&b), &back, err,
		    sizeof(err)) != MIXER_OK || !orname_equal(&or, &back))
			test_fail(__FILE__, __LINE__, "%s: %s does not come "
			    "back from %s", c_to822[i].sect, c_to822[i].or,
			    buf_cstr(&b));
		buf_free(&b);
	}
	mixer_free(&mx);
}

/*
 * RFC 2156 4.4.1 recursive mapping as one X.400 -> X.400 step. verified:
 * the example of 4.4.1 ("C = "XX" ADMD = "YY" O = "ZZ" "RFC-822" =
 * "Smith(a)ZZ.YY.XX"" -> "... O = "ZZ" Surname = "Smith""); the others
 * derived.
 */
static void
t_recursive(void)
{
	static const struct { const char *in, *out; int changed; } c[] = {
		/* verified: 4.4.1 example */
		{ "/DD.RFC-822=Smith(a)ZZ.YY.XX/O=ZZ/ADMD=YY/C=XX/",
		    "/S=Smith/O=ZZ/ADMD=YY/C=XX/", 1 },
		/* derived: two rounds, an RFC-822 attribute holding a
		 * gateway std-or that holds the 4.4.1 address */
		{ "/DD.RFC-822=(q)$/DD.RFC-822$=Smith(l)a(r)ZZ.YY.XX$/O$=ZZ$/"
		    "ADMD$=YY$/C$=XX$/(q)(a)x400.example.org/ADMD=MCI/C=us/",
		    "/S=Smith/O=ZZ/ADMD=YY/C=XX/", 1 },
		/* derived: a genuine Internet address stays in RFC-822 */
		{ "/DD.RFC-822=Tom(u)Harris(a)cs.widget.com/PRMD=relay/"
		    "ADMD=MCI/C=us/", "/DD.RFC-822=Tom(u)Harris(a)cs.widget."
		    "com/PRMD=relay/ADMD=MCI/C=us/", 0 },
		/* derived: no RFC-822 attribute, nothing to do */
		{ "/S=Smith/O=ZZ/ADMD=YY/C=XX/", "/S=Smith/O=ZZ/ADMD=YY/C=XX/",
		    0 },
	};
	struct mixer	 mx;
	struct orname	 in, out;
	struct buf	 b;
	size_t		 k;
	int		 changed;

	setup(&mx, "/C=us/A=MCI/P=relay/");
	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		CHECK_EQ_INT(orname_parse(c[k].in, -1, &in, NULL), OR_OK);
		changed = -1;
		CHECK_EQ_INT(mixer_or_resolve(&mx, &in, &out, &changed),
		    MIXER_OK);
		CHECK_EQ_INT(changed, c[k].changed);
		buf_init(&b);
		orname_print(&out, &b);
		CHECK_EQ_STR(buf_cstr(&b), c[k].out);
		buf_free(&b);
	}
	CHECK_EQ_INT(mixer_or_resolve(&mx, NULL, &out, NULL), MIXER_EARG);
	mixer_free(&mx);
}

/* 3.4 escapes in the RFC-822 attribute, decimal and octal; overflow. */
static void
t_stage2_limits(void)
{
	struct mixer	 mx;
	struct orname	 or;
	struct buf	 b;
	char		 addr[700], err[256];

	setup(&mx, "/C=us/A=MCI/P=relay/");
	CHECK_EQ_INT(mixer_822_to_or(&mx, "a~b@x.example", &or, err,
	    sizeof(err)), MIXER_OK);
	CHECK_EQ_STR(orname_dda(&or, "RFC-822"), "a(126)b(a)x.example");
	mx.ps = OR_PS_OCTAL;
	CHECK_EQ_INT(mixer_822_to_or(&mx, "a~b@x.example", &or, err,
	    sizeof(err)), MIXER_OK);
	CHECK_EQ_STR(orname_dda(&or, "RFC-822"), "a(176)b(a)x.example");
	buf_init(&b);
	CHECK_EQ_INT(mixer_or_to_822(&mx, &or, &b, err, sizeof(err)),
	    MIXER_OK);
	CHECK_EQ_STR(buf_cstr(&b), "a~b@x.example");
	buf_free(&b);
	mx.ps = OR_PS_DECIMAL;

	/* 200 characters: RFC-822 holds 128, RFC822C1 the rest */
	memset(addr, 'x', 190);
	memcpy(addr + 190, "@a.example", 11);
	CHECK_EQ_INT(mixer_822_to_or(&mx, addr, &or, err, sizeof(err)),
	    MIXER_OK);
	CHECK_EQ_INT(strlen(orname_dda(&or, "RFC-822")), 128);
	CHECK_EQ_INT(strlen(orname_dda(&or, "RFC822C1")), 200 - 128 + 2);
	CHECK(orname_dda(&or, "RFC822C2") == NULL);
	buf_init(&b);
	CHECK_EQ_INT(mixer_or_to_822(&mx, &or, &b, err, sizeof(err)),
	    MIXER_OK);
	CHECK_EQ_STR(buf_cstr(&b), addr);
	buf_free(&b);

	/* 510 characters escape to 512 and fit; 512 (514) do not */
	memset(addr, 'x', 500);
	memcpy(addr + 500, "@abcd.exampl", 13);
	addr[499] = 'y';
	CHECK_EQ_INT(strlen(addr), 512);
	CHECK_EQ_INT(mixer_822_to_or(&mx, addr + 2, &or, err, sizeof(err)),
	    MIXER_OK);
	CHECK(orname_dda(&or, "RFC822C3") != NULL);
	CHECK_EQ_INT(mixer_822_to_or(&mx, addr, &or, err, sizeof(err)),
	    MIXER_ESIZE);
	CHECK(strstr(err, "more than the 512") != NULL);

	/* no gateway: stage II has nowhere to go */
	mixer_free(&mx);
	mixer_init(&mx);
	CHECK_EQ_INT(mixer_822_to_or(&mx, "a@b.example", &or, err,
	    sizeof(err)), MIXER_ENOMAP);
	CHECK(strstr(err, "no gateway address") != NULL);
	orname_parse("/S=x/C=GB/", -1, &or, NULL);
	buf_init(&b);
	CHECK_EQ_INT(mixer_or_to_822(&mx, &or, &b, err, sizeof(err)),
	    MIXER_ENOMAP);
	buf_free(&b);
	mixer_free(&mx);
}

/* 4.2.1 encoded-pn both ways (derived: "[ given "." ] *( initial
 * "." ) surname", our names) */
static void
t_encoded_pn(void)
{
	static const struct { const char *pn, *g, *i, *s; } c[] = {
		{ "Marshall.Rose", "Marshall", NULL, "Rose" },
		{ "Marshall.T.Rose", "Marshall", "T", "Rose" },
		{ "J.R.Smith", NULL, "JR", "Smith" },
		{ "Rose", NULL, NULL, "Rose" },
		{ "Jan.van Dyke", "Jan", NULL, "van Dyke" },
		{ "Anne.Smith.Jones", "Anne", NULL, "Smith.Jones" },
	};
	struct orname	 or;
	struct buf	 b;
	size_t		 k;

	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		CHECK_EQ_INT(mixer_pn_parse(c[k].pn, strlen(c[k].pn), &or),
		    OR_OK);
		CHECK((orname_get(&or, OR_G) == NULL) == (c[k].g == NULL));
		if (c[k].g != NULL)
			CHECK_EQ_STR(orname_get(&or, OR_G), c[k].g);
		if (c[k].i != NULL)
			CHECK_EQ_STR(orname_get(&or, OR_I), c[k].i);
		CHECK_EQ_STR(orname_get(&or, OR_S), c[k].s);
		buf_init(&b);
		CHECK_EQ_INT(mixer_pn_print(&or, &b), OR_OK);
		CHECK_EQ_STR(buf_cstr(&b), c[k].pn);
		buf_free(&b);
	}
	CHECK(mixer_pn_parse("a..b", 4, &or) != OR_OK);
	CHECK(mixer_pn_parse(".a", 2, &or) != OR_OK);
	CHECK(mixer_pn_parse("Tom_Harris", 10, &or) == OR_ECHARS);
	CHECK(mixer_pn_parse("A.B.C.D.E.F.Smith", 17, &or) == OR_ESIZE);
	orname_parse("/S=A.Smith/G=John/", -1, &or, NULL);
	buf_init(&b);
	CHECK(mixer_pn_print(&or, &b) != OR_OK);	/* reads back I=A */
	buf_free(&b);
}

/* 4.7.3 message identifiers (derived from the 4.7.3.x rules; none of
 * the identifiers is an RFC example) */
static void
t_msgid(void)
{
	static const struct { const char *sect, *user, *uri, *msgid; } c[] = {
		{ "4.7.3 X.400 id with ORName",
		    "/S=Smith/O=Acme/PRMD=ACME/ADMD= /C=GB/", "rpt-0001",
		    "<\"rpt-0001*/S=Smith/O=Acme/PRMD=ACME/ADMD= /C=GB/\"@"
		    "MHS>" },
		{ "4.7.3 X.400 id, ORName quoted as 4.7.3.2 writes it",
		    "/S=Smith/ADMD=MCI/C=US/",
		    "42", "<\"42*/S=Smith/ADMD=MCI/C=US/\"@MHS>" },
		{ "4.7.3 X.400 id without ORName", NULL, "1234",
		    "<1234*@MHS>" },
		{ "4.7.3 empty user-relative-identifier", NULL, "",
		    "<*@MHS>" },
		{ "4.7.3 RFC 822 msg-id", NULL,
		    "199801011200.AA01234(a)host.example.com",
		    "<199801011200.AA01234@host.example.com>" },
		{ "4.7.3 RFC 822 msg-id with escapes", NULL,
		    "a(u)b(p)c(a)x.example", "<a_b%c@x.example>" },
	};
	struct mixer	 mx;
	struct orname	 user, back;
	struct buf	 b, uri;
	char		 err[256];
	size_t		 k;
	int		 has;

	setup(&mx, "/C=us/A=MCI/P=relay/");
	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		if (c[k].user != NULL)
			CHECK_EQ_INT(orname_parse(c[k].user, -1, &user, NULL),
			    OR_OK);
		buf_init(&b);
		buf_init(&uri);
		if (mixer_ipm_to_msgid(&mx, c[k].user ? &user : NULL,
		    c[k].uri, &b, err, sizeof(err)) != MIXER_OK ||
		    strcmp(buf_cstr(&b), c[k].msgid) != 0)
			test_fail(__FILE__, __LINE__, "%s: %s -> %s (%s)",
			    c[k].sect, c[k].uri, buf_cstr(&b), err);
		if (mixer_msgid_to_ipm(&mx, c[k].msgid, &back, &has, &uri,
		    err, sizeof(err)) != MIXER_OK ||
		    strcmp(buf_cstr(&uri), c[k].uri) != 0 ||
		    has != (c[k].user != NULL) ||
		    (has && !orname_equal(&back, &user)))
			test_fail(__FILE__, __LINE__, "%s: %s back to %s (%s)",
			    c[k].sect, c[k].msgid, buf_cstr(&uri), err);
		buf_free(&b);
		buf_free(&uri);
	}
	/* errors */
	buf_init(&uri);
	CHECK_EQ_INT(mixer_msgid_to_ipm(&mx, "no-brackets@x", &back, &has,
	    &uri, err, sizeof(err)), MIXER_EADDR);
	CHECK_EQ_INT(mixer_msgid_to_ipm(&mx, "<a b@x>", &back, &has, &uri,
	    err, sizeof(err)), MIXER_EADDR);
	CHECK_EQ_INT(mixer_msgid_to_ipm(&mx, "<aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaa@x.example>", &back, &has, &uri, err,
	    sizeof(err)), MIXER_ESIZE);
	CHECK(strstr(err, "user-relative-identifier") != NULL);
	/* "*" form from another host is an ordinary msg-id */
	buf_reset(&uri);
	CHECK_EQ_INT(mixer_msgid_to_ipm(&mx, "<abc*@other.example>", &back,
	    &has, &uri, err, sizeof(err)), MIXER_OK);
	CHECK_EQ_INT(has, 0);
	CHECK_EQ_STR(buf_cstr(&uri), "abc(042)(a)other.example");
	/* what oxgate wrote before (the gateway's domain) still reads */
	buf_reset(&uri);
	CHECK_EQ_INT(mixer_msgid_to_ipm(&mx, "<77*@x400.example.org>", &back,
	    &has, &uri, err, sizeof(err)), MIXER_OK);
	CHECK_EQ_STR(buf_cstr(&uri), "77");
	buf_free(&uri);
	buf_init(&b);
	CHECK_EQ_INT(mixer_ipm_to_msgid(&mx, NULL, "a_b", &b, err,
	    sizeof(err)), MIXER_EADDR);
	CHECK_EQ_INT(mixer_ipm_to_msgid(&mx, NULL, "12345678901234567890"
	    "12345678901234567890123456789012345678901234567890", &b, err,
	    sizeof(err)), MIXER_ESIZE);
	buf_free(&b);
	mixer_free(&mx);
}

/*
 * Appendix F: good lines parse to levels, bad lines say what is wrong.
 * verified: the two lines of RFC 1026's Appendix F; the rest derived
 * from the syntax (RFC 2156 App. F: "Note that the trailing "#" is used
 * for clarity ... Lines starting with "#" are comments").
 */
static void
t_table_lines(void)
{
	static const struct {
		enum mixer_kind k;
		const char *line, *why;
	} bad[] = {
		{ MIXER_DOMAIN_OR, "AC.UK#PRMD$UK\\.AC.ADMD$GOLD 400.C$GB",
		    "no closing \"#\"" },
		{ MIXER_DOMAIN_OR, "AC.UK PRMD$UK.C$GB", "no \"#\"" },
		{ MIXER_DOMAIN_OR, "AC.UK#C$GB.ADMD$GOLD 400#",
		    "ADMD where C belongs: the attributes go C, ADMD, PRMD, "
		    "O, OU from the right" },
		{ MIXER_DOMAIN_OR, "x.com#OU$Acme.ADMD$A.C$GB#",
		    "OU where PRMD belongs" },
		{ MIXER_DOMAIN_OR, "x.com#~ROLE$x.ADMD$A.C$GB#",
		    "~ROLE: domain-defined attributes only in domain-gw" },
		{ MIXER_DOMAIN_GW, "x.com#ADMD$A.~ROLE$x.C$GB#",
		    "~ROLE right of C" },
		{ MIXER_DOMAIN_GW, "x.com#~ROLE$x#", "no C" },
		{ MIXER_DOMAIN_OR, "AC.UK#X$1.C$GB#", "unknown key \"X\"" },
		{ MIXER_DOMAIN_OR, "AC.UK#PRMD$abcdefghijklmnopq.ADMD$A.C$GB#",
		    "PRMD value \"abcdefghijklmnopq\": value longer" },
		{ MIXER_DOMAIN_OR, "AC.UK#O$a_b.PRMD$P.ADMD$A.C$GB#",
		    "O value \"a_b\": character not allowed" },
		{ MIXER_DOMAIN_OR, "AC.UK#PRMD$a\\b.ADMD$A.C$GB#",
		    "not followed by \".\"" },
		{ MIXER_DOMAIN_OR, "AC.UK#C$GB# x", "text after the closing" },
		{ MIXER_DOMAIN_OR, "a_b.uk#C$GB#", "character '_' in domain" },
		{ MIXER_DOMAIN_OR, "a..uk#C$GB#", "empty label" },
		{ MIXER_DOMAIN_OR, "AC.UK#PRMD$.ADMD$A.C$GB#",
		    "empty PRMD value (write PRMD$@" },
		{ MIXER_DOMAIN_OR, "AC.UK#C$@#", "C cannot be absent" },
		{ MIXER_DOMAIN_OR, "AC.UK#C$GBR#", "C value \"GBR\"" },
		{ MIXER_DOMAIN_OR, "AC.UK#PRMD#", "is not key$value" },
		{ MIXER_OR_DOMAIN, "PRMD$P.ADMD$A.C$GB#a b#",
		    "character ' ' in domain" },
		{ MIXER_OR_DOMAIN, "OU$x.O$@.PRMD$P.ADMD$A.C$GB#a.b#",
		    "OU below an absent O" },
		{ MIXER_OR_DOMAIN, "OU$a.OU$b.OU$c.OU$d.OU$e.O$o.PRMD$P.ADMD$A."
		    "C$GB#a.b#", "more than 8 attributes" },
		{ MIXER_OR_DOMAIN, "PRMD$P..ADMD$A.C$GB#a.b#",
		    "\"\" is not key$value" },
		{ MIXER_OR_DOMAIN, " #a.b#", "(comment)" },
	};
	struct mixer_line ln;
	char		 err[256], longl[MIXER_LINE_MAX + 10];
	size_t		 k;

	CHECK_EQ_INT(mixer_line_parse(MIXER_DOMAIN_OR,
	    "AC.UK#PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#", 37, &ln, err,
	    sizeof(err)), MIXER_OK);
	CHECK_EQ_STR(ln.domain, "AC.UK");
	CHECK_EQ_INT(ln.nlev, 3);
	CHECK_EQ_STR(ln.lev[0], "GB");
	CHECK_EQ_STR(ln.lev[1], "GOLD 400");
	CHECK_EQ_STR(ln.lev[2], "UK.AC");
	CHECK_EQ_INT(mixer_line_parse(MIXER_OR_DOMAIN,
	    "O$Acme.PRMD$@.ADMD$ .C$GB#acme.co.uk#  ", 39, &ln, err,
	    sizeof(err)), MIXER_OK);
	CHECK_EQ_INT(ln.nlev, 4);
	CHECK_EQ_INT(ln.absent, 1u << 2);
	CHECK_EQ_STR(ln.lev[1], " ");
	/* verified: RFC 1026 App. F "AC.UK#PRMD$DES.ADMD$BT.C$UK#" */
	CHECK_EQ_INT(mixer_line_parse(MIXER_DOMAIN_OR,
	    "AC.UK#PRMD$DES.ADMD$BT.C$UK#", 28, &ln, err, sizeof(err)),
	    MIXER_OK);
	CHECK_EQ_INT(ln.nlev, 3);
	CHECK_EQ_STR(ln.lev[2], "DES");
	/* RFC 2156 App. F "XEROX.COM#O$Xerox.ADMD$ATT.C$US#"
	 * (rfc2156.txt:7204) omits the PRMD against rule b of the same
	 * appendix (rfc2156.txt:7175): read as PRMD$@ (oxgate-mapping(5)) */
	CHECK_EQ_INT(mixer_line_parse(MIXER_DOMAIN_OR,
	    "XEROX.COM#O$Xerox.ADMD$ATT.C$US#", 32, &ln, err, sizeof(err)),
	    MIXER_OK);
	CHECK_EQ_INT(ln.nlev, 4);
	CHECK_EQ_INT(ln.absent, 1u << 2);
	CHECK_EQ_STR(ln.lev[3], "Xerox");
	/* App. F "PRMD$DEC.ADMD$@.C$US" (rfc2156.txt:7154): the ADMD of
	 * one space (4.3.5 step 1, rfc2156.txt:3152) */
	CHECK_EQ_INT(mixer_line_parse(MIXER_OR_DOMAIN,
	    "PRMD$DEC.ADMD$@.C$US#dec.example#", 33, &ln, err, sizeof(err)),
	    MIXER_OK);
	CHECK_EQ_STR(ln.lev[1], " ");
	CHECK_EQ_INT(ln.absent, 0);
	/* App. F "~ROLE$Big\.Chief.ADMD$ATT.C$US" (rfc2156.txt:7153) in a
	 * domain-gw line (App. F 7, rfc2156.txt:7238) */
	CHECK_EQ_INT(mixer_line_parse(MIXER_DOMAIN_GW,
	    "chief.example#~ROLE$Big\\.Chief.ADMD$ATT.C$US#", 45, &ln, err,
	    sizeof(err)), MIXER_OK);
	CHECK_EQ_INT(ln.ndda, 1);
	CHECK_EQ_STR(ln.dda[0].type, "ROLE");
	CHECK_EQ_STR(ln.dda[0].value, "Big.Chief");
	CHECK_EQ_INT(ln.nlev, 2);
	CHECK_EQ_INT(mixer_line_parse(MIXER_DOMAIN_OR,
	    "XEROX.COM#O$Xerox.PRMD$@.ADMD$ATT.C$US#", 39, &ln, err,
	    sizeof(err)), MIXER_OK);
	CHECK_EQ_INT(ln.absent, 1u << 2);
	CHECK_EQ_INT(mixer_line_parse(MIXER_OR_DOMAIN, "  # comment", 11,
	    &ln, err, sizeof(err)), MIXER_OK);
	CHECK_EQ_INT(ln.nlev, 0);
	CHECK_EQ_INT(mixer_line_parse(MIXER_OR_DOMAIN,
	    "p$x.a$y.c$de#lower.case#", 24, &ln, err, sizeof(err)), MIXER_OK);
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		err[0] = '\0';
		if (strcmp(bad[k].why, "(comment)") == 0) {
			CHECK_EQ_INT(mixer_line_parse(bad[k].k, bad[k].line,
			    strlen(bad[k].line), &ln, err, sizeof(err)),
			    MIXER_OK);
			CHECK_EQ_INT(ln.nlev, 0);
			continue;
		}
		if (mixer_line_parse(bad[k].k, bad[k].line,
		    strlen(bad[k].line), &ln, err, sizeof(err)) !=
		    MIXER_ETABLE || strstr(err, bad[k].why) == NULL)
			test_fail(__FILE__, __LINE__, "%s: \"%s\", expected "
			    "\"%s\"", bad[k].line, err, bad[k].why);
	}
	memset(longl, 'a', sizeof(longl));
	CHECK_EQ_INT(mixer_line_parse(MIXER_DOMAIN_OR, longl, sizeof(longl),
	    &ln, err, sizeof(err)), MIXER_ETABLE);
	CHECK(strstr(err, "longer than 1024") != NULL);
}

/* Errors name the file and line; a key twice names both lines. */
static void
t_table_errors(void)
{
	static const char dup[] = "# c\nAC.UK#C$GB#\nX.Y#C$GB#\nac.uk#C$DE#\n";
	static const char bad[] = "AC.UK#C$GB#\n\nAC.UK#PRMD$UK\\.AC.C$GB#\n";
	struct mixer	 mx;
	char		 err[256], path[4096];
	FILE		*f;

	mixer_init(&mx);
	CHECK_EQ_INT(mixer_load_text(&mx, MIXER_DOMAIN_OR, "domain-or", dup,
	    strlen(dup), err, sizeof(err)), MIXER_EDUP);
	CHECK_EQ_STR(err, "domain-or:4: domain given again (first at line 2)");
	mixer_free(&mx);

	mixer_init(&mx);
	snprintf(path, sizeof(path), "%s/or-domain", test_dir());
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs("PRMD$P.ADMD$A.C$GB#p.example#\nPRMD$P.ADMD$A.C$gb#x.example#\n",
	    f);
	fclose(f);
	CHECK_EQ_INT(mixer_load(&mx, MIXER_OR_DOMAIN, path, err, sizeof(err)),
	    MIXER_EDUP);
	CHECK(strstr(err, "/or-domain:2: O/R address given again (first at "
	    "line 1)") != NULL);
	mixer_free(&mx);

	mixer_init(&mx);
	snprintf(path, sizeof(path), "%s/domain-or", test_dir());
	f = fopen(path, "w");
	if (f == NULL)
		return;
	fputs(bad, f);
	fclose(f);
	CHECK_EQ_INT(mixer_load_dir(&mx, test_dir(), err, sizeof(err)),
	    MIXER_ETABLE);
	CHECK(strstr(err, "/domain-or:3: PRMD where ADMD belongs") != NULL);
	mixer_free(&mx);

	mixer_init(&mx);
	CHECK_EQ_INT(mixer_load(&mx, MIXER_OR_GW, "/nonexistent/or-gw", err,
	    sizeof(err)), MIXER_EIO);
	CHECK_EQ_STR(err, "/nonexistent/or-gw: No such file or directory");
	CHECK_EQ_INT(mixer_load_dir(&mx, "/nonexistent", err, sizeof(err)),
	    MIXER_EIO);
	mixer_free(&mx);
}

/* 100,000 generated lines from a file, then lookups in both tables. */
static void
t_big_table(void)
{
	struct mixer	 mx;
	struct orname	 or;
	struct buf	 b;
	struct timespec	 t0, t1;
	char		 p1[4096], p2[4096], err[256], addr[128];
	FILE		*f1, *f2;
	int		 i;

	snprintf(p1, sizeof(p1), "%s/big-domain-or", test_dir());
	snprintf(p2, sizeof(p2), "%s/big-or-domain", test_dir());
	if ((f1 = fopen(p1, "w")) == NULL || (f2 = fopen(p2, "w")) == NULL) {
		CHECK(!"cannot write the tables");
		if (f1 != NULL)
			fclose(f1);
		return;
	}
	for (i = 0; i < 100000; i++) {
		fprintf(f1, "org%d.region%d.example#O$Org%d.PRMD$R%d."
		    "ADMD$GOLD 400.C$GB#\n", i, i % 100, i, i % 100);
		fprintf(f2, "O$Org%d.PRMD$R%d.ADMD$GOLD 400.C$GB#"
		    "org%d.region%d.example#\n", i, i % 100, i, i % 100);
	}
	fclose(f1);
	fclose(f2);
	mixer_init(&mx);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ_INT(mixer_load(&mx, MIXER_DOMAIN_OR, p1, err, sizeof(err)),
	    MIXER_OK);
	CHECK_EQ_INT(mixer_load(&mx, MIXER_OR_DOMAIN, p2, err, sizeof(err)),
	    MIXER_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# loaded 2 x 100000 table lines in %.3f s (ASan build)\n",
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	CHECK_EQ_INT(mixer_table_size(&mx, MIXER_DOMAIN_OR), 100000);
	for (i = 0; i < 100000; i += 997) {
		snprintf(addr, sizeof(addr), "A.Smith@dept.ORG%d.region%d."
		    "example", i, i % 100);
		CHECK_EQ_INT(mixer_822_to_or(&mx, addr, &or, err, sizeof(err)),
		    MIXER_OK);
		buf_init(&b);
		CHECK_EQ_INT(mixer_or_to_822(&mx, &or, &b, err, sizeof(err)),
		    MIXER_OK);
		/* the labels come back in the table's case */
		snprintf(addr, sizeof(addr), "A.Smith@dept.ORG%d.region%d."
		    "example", i, i % 100);
		if (strcasecmp(buf_cstr(&b), addr) != 0)
			test_fail(__FILE__, __LINE__, "%s came back as %s",
			    addr, buf_cstr(&b));
		buf_free(&b);
	}
	mixer_free(&mx);
}

int
main(void)
{
	TEST(t_to_or);
	TEST(t_to_822);
	TEST(t_round_trip);
	TEST(t_recursive);
	TEST(t_stage2_limits);
	TEST(t_encoded_pn);
	TEST(t_msgid);
	TEST(t_table_lines);
	TEST(t_table_errors);
	TEST(t_big_table);
	return test_done();
}
