/*
 * accept - whether the gateway takes an OFTP file, from its SFID and the
 * configuration alone. See accept.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gw/accept.h"
#include "oftp/odette.h"
#include "x400/orname.h"

static unsigned
refuse(struct accept *a, unsigned nerp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static unsigned
refuse(struct accept *a, unsigned nerp, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(a->why, sizeof(a->why), fmt, ap);
	va_end(ap);
	a->p = NULL;
	return a->nerp = nerp;
}

/*
 * The central EDI partnership of a file to the general station ID whose
 * VDSN names no user ID of ours: the partnership of the sending station
 * itself (not a routed one) whose x400 address has a DDA EDI, the
 * interchange then addressed from its UNB through mapping/edi-partners
 * (seed: "Die alternative Adressierung bei Versand von EDIFACT-Dokumenten
 * ueber aktivierte zentrale EDI Funktion und allgemeine Station ID des
 * Service steht nur fuer den OFTP Benutzereintrag zur Verfuegung und nicht
 * fuer geroutete Stationen"). NULL when there is none.
 */
static const struct ox_partner *
central_partner(const struct ox_config *cfg, const struct ox_partners *ps,
    const struct sfid *s)
{
	const struct ox_partner *p;

	if (!odette_id_eq(s->dest, cfg->station_id) ||
	    (p = partner_by_odette(ps, s->orig)) == NULL ||
	    !odette_id_eq(p->odette, s->orig) ||
	    orname_dda(&p->x400, "EDI") == NULL)
		return NULL;
	return p;
}

/* Steps 1 and 2 of accept.h: the partnership and the originator. */
static unsigned
find_partner(const struct ox_config *cfg, const struct ox_partners *ps,
    const struct sfid *s, struct accept *a)
{
	const struct ox_partner *p;
	char	 vid[64];
	size_t	 n, i;

	vid[0] = '\0';
	if (odette_id_eq(s->dest, cfg->station_id)) {
		n = strcspn(s->dsn, ".");
		if (n > 0 && n <= PARTNER_USERID_MAX)
			snprintf(vid, sizeof(vid), "%s%.*s", PARTNER_VSTATION,
			    (int)n, s->dsn);
	} else
		snprintf(vid, sizeof(vid), "%s", s->dest);
	p = vid[0] != '\0' ? partner_by_vstation(ps, vid, s->orig) : NULL;
	if (p == NULL || p->userid[0] == '\0' ||
	    strlen(vid) != strlen(PARTNER_VSTATION) + strlen(p->userid) ||
	    !odette_id_eq(vid + strlen(PARTNER_VSTATION), p->userid))
		p = central_partner(cfg, ps, s);
	if (p == NULL && vid[0] == '\0')
		return refuse(a, 12, "SFID dest %s is the general station ID, "
		    "the VDSN '%s' starts with no user ID and %s has no "
		    "central EDI partnership", s->dest, s->dsn, s->orig);
	if (p == NULL)
		return refuse(a, 12, "no partnership has the virtual station "
		    "ID %s (SFID dest %s)", vid, s->dest);
	a->lp = p;
	if (!odette_id_eq(s->orig, p->odette)) {
		for (i = 0; i < p->nrouted; i++)
			if (odette_id_eq(s->orig, p->routed[i]))
				break;
		if (i == p->nrouted)
			return refuse(a, 13, "SFID orig %s is not the station "
			    "%s of partnership [%s] nor routed through it",
			    s->orig, p->odette, p->name);
	}
	a->p = p;
	return 0;
}

/* Step 3: the announced sizes against [oftp] max-file-size. */
static unsigned
check_size(const struct ox_config *cfg, const struct sfid *s,
    struct accept *a)
{
	uint64_t limit = cfg->max_file_size / 1024 +
	    (cfg->max_file_size % 1024 != 0);

	if (s->fsize > limit || s->osize > limit)
		return refuse(a, 16, "SFID %s %llu KiB is above the maximum "
		    "file size %llu ([oftp] max-file-size)", s->fsize > limit ?
		    "fsize" : "osize", (unsigned long long)(s->fsize > limit ?
		    s->fsize : s->osize), (unsigned long long)
		    cfg->max_file_size);
	return 0;
}

/* Step 4: the OFTP2 security layers against the keys configured. */
static unsigned
check_security(const struct ox_config *cfg, const struct sfid *s,
    struct accept *a)
{
	const char *key, *cert;

	if (s->env == 0 && s->sec == 0 && s->comp == 0)
		return 0;
	if (s->sec == 0 && s->comp == 0)
		return refuse(a, 34, "SFIDENV is 1 but SFIDSEC and SFIDCOMP "
		    "name no layer");
	if ((s->sec & 1) && !partner_own_keys(a->p, cfg, s->dest, &key,
	    &cert))
		return refuse(a, 26, "the file is encrypted and no key is "
		    "configured ([security] key, certificate)");
	if ((s->sec & 2) && !partner_cert(a->p, s->orig)[0])
		return refuse(a, 29, "the file is signed and partnership "
		    "[%s] has no certificate for %s", a->p->name, s->orig);
	return 0;
}

unsigned
accept_sfid(const struct ox_config *cfg, const struct ox_partners *ps,
    const struct sfid *s, struct accept *a)
{
	memset(a, 0, sizeof(*a));
	if (find_partner(cfg, ps, s, a) != 0 || check_size(cfg, s, a) != 0 ||
	    check_security(cfg, s, a) != 0)
		return a->nerp;
	return 0;
}
