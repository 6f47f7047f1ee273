/*
 * NAME
 *	fuzz_mapping - libFuzzer target for the RFC 2156 mapping tables
 * DESCRIPTION
 *	The first byte picks the table the input is loaded into (as
 *	mapping table text: errors are fine, crashes and leaks are not),
 *	strict or lenient (bad lines warned about and skipped);
 *	the other tables hold a few fixed lines. Then every input line is
 *	parsed as a table line of each kind and mapped both ways:
 *	as an RFC 822 address (what maps must print, and map back), as a
 *	std-or address (the RFC 822 result must be a valid address), as a
 *	msg-id (IPM identifier and back must agree), as encoded-pn (what
 *	prints must be the input), and through every verb of mixer_run().
 *	ODETTE IDs are fuzz_odette.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x400/mixer.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char fx_domain_or[] =
    "AC.UK#PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#\n"
    "atlas.fr#ADMD$atlas.C$fr#\n"
    "acme.co.uk#O$Acme.PRMD$@.ADMD$ .C$GB#\n"
    "XEROX.COM#O$Xerox.ADMD$ATT.C$US#\n"
    "GMD.DE#O$@.PRMD$GMD.ADMD$DBP.C$DE#\n";
static const char fx_or_domain[] =
    "PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#AC.UK#\n"
    "ADMD$atlas.C$fr#atlas.fr#\n"
    "OU$Lab.O$Org.PRMD$P.ADMD$A.C$DE#ou.example#\n"
    "PRMD$DEC.ADMD$@.C$US#dec.example#\n"
    "ADMD$one.C$ZZ#localhost#\n";
static const char fx_domain_gw[] = "mci.com#PRMD$Internet.ADMD$MCI.C$US#\n"
    "chief.example#~ROLE$Big\\.Chief.ADMD$ATT.C$US#\n";
static const char fx_or_gw[] = "ADMD$ATTMAIL.C$US#x400.att.example#\n";

static void
fx_warn(void *arg, const char *msg)
{
	(void)arg;
	if (strchr(msg, ':') == NULL)	/* file:line: why */
		abort();
}

static int
same_decoded(const struct mixer *mx, const struct buf *a, const struct buf *b)
{
	struct buf	 x, y;
	int		 r;

	buf_init(&x);
	buf_init(&y);
	orname_ps_decode((const char *)a->p, a->len, mx->ps, &x);
	orname_ps_decode((const char *)b->p, b->len, mx->ps, &y);
	r = x.len == y.len && (x.len == 0 || memcmp(x.p, y.p, x.len) == 0);
	buf_free(&x);
	buf_free(&y);
	return r;
}

static void
one_line(const struct mixer *mx, const char *s, size_t n)
{
	struct mixer_line ln;
	struct orname	 or, back, user, user2;
	struct buf	 b, m, u, u2;
	char		 err[256];
	unsigned	 k;
	int		 has, has2;

	for (k = 0; k < MIXER_NKIND; k++)
		(void)mixer_line_parse(k, s, n, &ln, err, sizeof(err));
	buf_init(&b);
	buf_init(&m);
	buf_init(&u);
	buf_init(&u2);

	/* RFC 822 -> X.400 -> RFC 822 */
	if (mixer_822_to_or(mx, s, &or, err, sizeof(err)) == MIXER_OK) {
		if (orname_print(&or, &b) != OR_OK ||
		    mixer_or_to_822(mx, &or, &m, err, sizeof(err)) != MIXER_OK)
			abort();
	}
	buf_reset(&b);
	buf_reset(&m);

	/* X.400 -> RFC 822: a valid address (or an overlong one) */
	if (orname_parse(s, -1, &or, NULL) == OR_OK &&
	    mixer_or_to_822(mx, &or, &m, err, sizeof(err)) == MIXER_OK &&
	    mixer_822_to_or(mx, buf_cstr(&m), &back, err, sizeof(err)) ==
	    MIXER_EADDR && m.len <= MIXER_ADDR_MAX)
		abort();

	/* msg-id -> IPM identifier -> msg-id -> IPM identifier */
	if (mixer_msgid_to_ipm(mx, s, &user, &has, &u, err, sizeof(err)) ==
	    MIXER_OK) {
		buf_reset(&m);
		if (mixer_ipm_to_msgid(mx, has ? &user : NULL, buf_cstr(&u), &m,
		    err, sizeof(err)) == MIXER_OK &&
		    mixer_msgid_to_ipm(mx, buf_cstr(&m), &user2, &has2, &u2,
		    err, sizeof(err)) == MIXER_OK &&
		    (has != has2 || (has && !orname_equal(&user, &user2)) ||
		    !same_decoded(mx, &u, &u2)))
			abort();
	}

	/* every text verb (oxaddr) */
	for (k = 0; k < MIXER_NVERB; k++) {
		buf_reset(&b);
		(void)mixer_run(mx, (enum mixer_verb)k, s, &b, err,
		    sizeof(err));
	}

	/* encoded-pn */
	buf_reset(&b);
	if (mixer_pn_parse(s, n, &or) == OR_OK &&
	    mixer_pn_print(&or, &b) == OR_OK &&
	    (b.len != n || memcmp(b.p, s, n) != 0))
		abort();

	buf_free(&b);
	buf_free(&m);
	buf_free(&u);
	buf_free(&u2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct mixer	 mx;
	struct orname	 gw;
	char		 err[256], *line;
	const char	*s, *nl;
	size_t		 len, lines = 0;
	unsigned	 kind;

	if (n < 1 || n > 8192)
		return 0;
	kind = p[0] % MIXER_NKIND;
	s = (const char *)p + 1;
	n--;
	mixer_init(&mx);
	mx.ps = p[0] & 0x80 ? OR_PS_OCTAL : OR_PS_DECIMAL;
	if (p[0] & 0x40)		/* lenient loading, as the converters */
		mx.warn = fx_warn;
	orname_parse("/C=us/A=MCI/P=relay/", -1, &gw, NULL);
	mixer_set_gateway(&mx, &gw, "gw.example");
	(void)mixer_load_text(&mx, kind, "fuzz", s, n, err, sizeof(err));
	if (kind != MIXER_DOMAIN_OR)
		mixer_load_text(&mx, MIXER_DOMAIN_OR, "d", fx_domain_or,
		    strlen(fx_domain_or), err, sizeof(err));
	if (kind != MIXER_OR_DOMAIN)
		mixer_load_text(&mx, MIXER_OR_DOMAIN, "o", fx_or_domain,
		    strlen(fx_or_domain), err, sizeof(err));
	if (kind != MIXER_DOMAIN_GW)
		mixer_load_text(&mx, MIXER_DOMAIN_GW, "g", fx_domain_gw,
		    strlen(fx_domain_gw), err, sizeof(err));
	if (kind != MIXER_OR_GW)
		mixer_load_text(&mx, MIXER_OR_GW, "w", fx_or_gw,
		    strlen(fx_or_gw), err, sizeof(err));
	while (n > 0 && lines++ < 64) {
		nl = memchr(s, '\n', n);
		len = nl != NULL ? (size_t)(nl - s) : n;
		if ((line = malloc(len + 1)) == NULL)
			break;
		memcpy(line, s, len);
		line[len] = '\0';
		if (strlen(line) == len)
			one_line(&mx, line, len);
		free(line);
		if (nl == NULL)
			break;
		s += len + 1;
		n -= len + 1;
	}
	mixer_free(&mx);
	return 0;
}
