/*
 * NAME
 *	partners - the partnerships file partners.ini (see config.h)
 * DESCRIPTION
 *	One section per partnership. The file is loaded by conf_load_ini()
 *	(ini(3)), and the keys of a section are applied in file order onto
 *	partner_init() defaults, each through its row of one table
 *	(conftab(3)) that says where the value goes, its default and how it
 *	is checked. The consistency of a partner is checked when the whole
 *	file has been read, then the uniqueness of every ODETTE ID (own,
 *	routed and virtual) and of every local address over all partners.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gw/config.h"
#include "gw/conftab.h"
#include "oftp/cms.h"
#include "oftp/odette.h"
#include "oftp/sfid.h"
#include "util/err.h"
#include "x400/ormatch.h"

static conf_setter set_routed, set_routed_cert, set_local, set_vdsn,
		 set_lrecl;

static const char *const w_mode[] = { "agent", "transfer", NULL };
static const char *const w_bodypart[] = { "variable", "ascii", "latin1",
	"bp14", NULL };
static const char *const w_content[] = { "p22", "p2", "p35", NULL };
static const char *const w_subject[] = { "mime", "sfiddesc", "vdsn", NULL };
static const char *const w_mime[] = { "none", "header", "description",
	NULL };
static const char *const w_yesno[] = { "no", "yes", NULL };
static const char *const w_edi_subject[] = { "absent", "blank", "file",
	NULL };
static const char *const w_eerp[] = { "1", "2", "3", NULL };
static const int v_eerp[] = { 1, 2, 3 };
static const char *const w_format[] = { "U", "T", "F", "V", NULL };
static const int v_format[] = { 'U', 'T', 'F', 'V' };
static const char *const w_status_format[] = { "T", "U", NULL };
static const int v_status_format[] = { 'T', 'U' };
static const char *const w_oftp[] = { "1.4", "2.0", NULL };
static const int v_oftp[] = { 14, 20 };
static const char *const w_cipher[] = { "01", "02", "03", "04", "05", "06",
	NULL };
static const int v_cipher[] = { 1, 2, 3, 4, 5, 6 };

#define P(m)	CONF_MEMBER(struct ox_partner, m)
#define WORDS(w, v, fmt)	0, 0, w, v, fmt

/* partners.ini(5): key, default, setter, member, min, max, ... */
static const struct conf_key pkeys[] = {
	{ NULL, "odette", NULL, conf_set_odette, P(odette) },
	{ NULL, "routed", NULL, set_routed, P(routed) },
	{ NULL, "userid", NULL, conf_set_x, P(userid), 1 },
	{ NULL, "x400", NULL, conf_set_orname, P(x400) },
	{ NULL, "mode", "agent", conf_set_word, P(mode),
	    WORDS(w_mode, NULL, NULL) },
	{ NULL, "eerp", "1", conf_set_word, P(eerp),
	    WORDS(w_eerp, v_eerp, "'%.64s' is not 1, 2 or 3") },
	{ NULL, "bodypart", "variable", conf_set_word, P(bodypart),
	    WORDS(w_bodypart, NULL, NULL) },
	{ NULL, "content", "p22", conf_set_word, P(content),
	    WORDS(w_content, NULL, NULL) },
	{ NULL, "subject", "sfiddesc", conf_set_word, P(subject),
	    WORDS(w_subject, NULL, NULL) },
	{ NULL, "vdsn", NULL, set_vdsn, P(vdsn), 1 },
	{ NULL, "mime", "none", conf_set_word, P(mime),
	    WORDS(w_mime, NULL, NULL) },
	{ NULL, "format", "U", conf_set_word, P(format),
	    WORDS(w_format, v_format, "'%.64s' is not U, T, F or V") },
	{ NULL, "lrecl", NULL, set_lrecl, P(lrecl) },
	{ NULL, "oftp", "2.0", conf_set_word, P(oftp),
	    WORDS(w_oftp, v_oftp, "'%.64s' is not 1.4 or 2.0") },
	{ NULL, "sign", NULL, conf_set_word, P(sign),
	    WORDS(w_yesno, NULL, NULL) },
	{ NULL, "encrypt", NULL, conf_set_word, P(encrypt),
	    WORDS(w_yesno, NULL, NULL) },
	{ NULL, "compress", NULL, conf_set_word, P(compress),
	    WORDS(w_yesno, NULL, NULL) },
	{ NULL, "cipher", "01", conf_set_word, P(cipher),
	    WORDS(w_cipher, v_cipher,
	    "'%.64s' is not a cipher suite 01 to 06") },
	{ NULL, "certificate", NULL, conf_set_path_opt, P(certificate) },
	{ NULL, "station-certificate", NULL, conf_set_path_opt,
	    P(station_cert) },
	{ NULL, "station-key", NULL, conf_set_path_opt, P(station_key) },
	{ NULL, "routed-certificate", NULL, set_routed_cert, P(rcert) },
	{ NULL, "signed-eerp", NULL, conf_set_word, P(signed_eerp),
	    WORDS(w_yesno, NULL, NULL) },
	{ NULL, "local", NULL, set_local, P(local) },
	{ NULL, "status-vdsn", NULL, conf_set_x, P(status_vdsn), 0 },
	{ NULL, "status-format", "T", conf_set_word, P(status_format),
	    WORDS(w_status_format, v_status_format,
	    "'%.64s' is not T or U") },
	{ NULL, "edi-subject", "file", conf_set_word, P(edi_subject),
	    WORDS(w_edi_subject, NULL, NULL) },
	{ NULL, "demodette-in", NULL, conf_set_path_opt, P(demodette_in) },
	{ NULL, "demodette-out", NULL, conf_set_path_opt, P(demodette_out) },
	{ NULL, "adapter-dest", NULL, conf_set_odette, P(adapter_dest) },
	{ NULL, "inbox", NULL, conf_set_path_opt, P(inbox) },
	{ NULL, "delivery-timer", NULL, conf_set_hours,
	    P(timer[CONFIG_TIMER_DELIVERY]), 1, 87600 },
	{ NULL, "eerp-timer", NULL, conf_set_hours,
	    P(timer[CONFIG_TIMER_EERP]), 1, 87600 },
	{ NULL, "eerp-out-timer", NULL, conf_set_hours,
	    P(timer[CONFIG_TIMER_EERP_OUT]), 1, 87600 },
};
#define NPKEYS	(sizeof(pkeys) / sizeof(pkeys[0]))

void
partner_init(struct ox_partner *p)
{
	memset(p, 0, sizeof(*p));
	orname_init(&p->x400);
	conf_defaults(pkeys, NPKEYS, p);
}

/*
 * The next item of a comma-separated list at *s: its start, its length
 * without the blanks around it in *len; *s moves past its comma. NULL
 * at the end of the list.
 */
static const char *
list_next(const char **s, size_t *len)
{
	const char *item, *comma;

	if (**s == '\0')
		return NULL;
	for (item = *s; *item == ' '; item++)
		;
	if ((comma = strchr(item, ',')) == NULL)
		comma = item + strlen(item);
	*len = (size_t)(comma - item);
	while (*len > 0 && item[*len - 1] == ' ')
		(*len)--;
	*s = *comma != '\0' ? comma + 1 : comma;
	return item;
}

/* An ODETTE ID of len octets at s into id (CONFIG_ID_LEN + 1). */
static int
list_id(const char *s, size_t len, char *id, char *why, size_t wlen)
{
	char	 tmp[CONFIG_ID_LEN + 2];

	if (len > CONFIG_ID_LEN)
		len = CONFIG_ID_LEN + 1;	/* refused */
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (odette_check_id(tmp, why, wlen) != ODETTE_OK)
		return CONFIG_EVALUE;
	memcpy(id, tmp, len + 1);
	return CONFIG_OK;
}

/* routed: a comma-separated list of ODETTE IDs. */
static int
set_routed(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	struct ox_partner *p = obj;
	const char *s;
	size_t	 len;

	(void)k;
	(void)file;
	p->nrouted = 0;
	while ((s = list_next(&v, &len)) != NULL) {
		if (p->nrouted == PARTNER_ROUTED_MAX)
			return errf(why, wlen, CONFIG_EVALUE,
			    "more than %d routed IDs", PARTNER_ROUTED_MAX);
		if (list_id(s, len, p->routed[p->nrouted], why, wlen) !=
		    CONFIG_OK)
			return CONFIG_EVALUE;
		p->nrouted++;
	}
	return CONFIG_OK;
}

/*
 * routed-certificate: a comma-separated list of ID:PATH, the own
 * certificate of a routed station (an ODETTE ID has no ':'; a path is
 * relative to the directory of the file).
 */
static int
set_routed_cert(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	struct ox_partner *p = obj;
	struct partner_rcert *rc;
	const char *s, *colon;
	char	 path[CONFIG_PATH_MAX];
	size_t	 len, idlen;

	(void)k;
	p->nrcert = 0;
	while ((s = list_next(&v, &len)) != NULL) {
		if (p->nrcert == PARTNER_ROUTED_MAX)
			return errf(why, wlen, CONFIG_EVALUE, "more than %d "
			    "routed certificates", PARTNER_ROUTED_MAX);
		if ((colon = memchr(s, ':', len)) == NULL || colon + 1 ==
		    s + len)
			return errf(why, wlen, CONFIG_EVALUE, "'%.*s' is not "
			    "ODETTEID:PATH", (int)(len > 64 ? 64 : len), s);
		rc = &p->rcert[p->nrcert];
		for (idlen = (size_t)(colon - s); idlen > 0 &&
		    s[idlen - 1] == ' '; idlen--)
			;
		if (list_id(s, idlen, rc->id, why, wlen) != CONFIG_OK)
			return CONFIG_EVALUE;
		for (colon++; *colon == ' '; colon++)
			;
		if ((size_t)(s + len - colon) >= sizeof(path))
			return errf(why, wlen, CONFIG_EVALUE, "path longer "
			    "than %d characters", CONFIG_PATH_MAX - 1);
		snprintf(path, sizeof(path), "%.*s", (int)(s + len - colon),
		    colon);
		if (!conf_resolve_path(file, path, rc->path, sizeof(rc->path)))
			return errf(why, wlen, CONFIG_EVALUE, "path longer "
			    "than %d characters", CONFIG_PATH_MAX - 1);
		p->nrcert++;
	}
	return CONFIG_OK;
}

/* local: a std-or address, and that it was given. */
static int
set_local(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	((struct ox_partner *)obj)->has_local = 1;
	return conf_set_orname(k, v, obj, file, why, wlen);
}

/* vdsn: X(26), or "subject" (none: the VDSN comes from the subject). */
static int
set_vdsn(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	if (strcmp(v, "subject") == 0) {
		((struct ox_partner *)obj)->vdsn[0] = '\0';
		return CONFIG_OK;
	}
	return conf_set_x(k, v, obj, file, why, wlen);
}

/* lrecl: 0 to 99999 (SFIDLRECL). */
static int
set_lrecl(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	uint64_t u;

	(void)k;
	(void)file;
	if (!conf_parse_u64(v, strlen(v), &u) || u > SFID_LRECL_MAX)
		return errf(why, wlen, CONFIG_EVALUE,
		    "'%.64s' is not a record length (0 to %d)", v,
		    SFID_LRECL_MAX);
	((struct ox_partner *)obj)->lrecl = (uint32_t)u;
	return CONFIG_OK;
}

/*
 * The station certificates: the virtual station's pair is given whole
 * and needs a virtual station (userid); a routed certificate belongs to
 * a routed station, once.
 */
static int
partner_check_certs(const struct ox_partner *p, const char **key,
    char *why, size_t wlen)
{
	unsigned i, j;

	*key = p->station_key[0] == '\0' ? "station-key" :
	    "station-certificate";
	if ((p->station_key[0] == '\0') != (p->station_cert[0] == '\0'))
		return errf(why, wlen, CONFIG_EVALUE, "the virtual station's "
		    "station-certificate and station-key go together");
	if (p->station_key[0] != '\0' && p->userid[0] == '\0')
		return errf(why, wlen, CONFIG_EVALUE, "no userid: the "
		    "partnership has no virtual station to hold it");
	*key = "routed-certificate";
	for (i = 0; i < p->nrcert; i++) {
		for (j = 0; j < p->nrouted && !odette_id_eq(p->rcert[i].id,
		    p->routed[j]); j++)
			;
		if (j == p->nrouted)
			return errf(why, wlen, CONFIG_EVALUE, "%s is not a "
			    "routed station of the partnership",
			    p->rcert[i].id);
		for (j = 0; j < i; j++)
			if (odette_id_eq(p->rcert[i].id, p->rcert[j].id))
				return errf(why, wlen, CONFIG_EVALUE,
				    "%s given twice", p->rcert[i].id);
	}
	return CONFIG_OK;
}

/* The rules between the keys of one partner; the key to blame in *key. */
static int
partner_check(const struct ox_partner *p, const char **key, char *why,
    size_t wlen)
{
	if ((*key = "odette", p->odette[0] == '\0'))
		return errf(why, wlen, CONFIG_EVALUE, "required key missing");
	if ((*key = "x400", p->x400.present == 0 && p->x400.nou == 0 &&
	    p->x400.ndda == 0))
		return errf(why, wlen, CONFIG_EVALUE, "required key missing");
	*key = "lrecl";
	if ((p->format == 'F' || p->format == 'V') && p->lrecl == 0)
		return errf(why, wlen, CONFIG_EVALUE,
		    "format %c needs a record length of 1 to %d", p->format,
		    SFID_LRECL_MAX);
	if ((p->format == 'U' || p->format == 'T') && p->lrecl != 0)
		return errf(why, wlen, CONFIG_EVALUE,
		    "format %c has no record length (0)", p->format);
	*key = p->sign ? "sign" : p->encrypt ? "encrypt" : p->compress ?
	    "compress" : "signed-eerp";
	if (p->oftp == 14 && (p->sign || p->encrypt || p->compress ||
	    p->signed_eerp))
		return errf(why, wlen, CONFIG_EVALUE, "needs oftp 2.0");
	*key = "mime";		/* seed: "in der File Description (nur V2.0)" */
	if (p->oftp == 14 && p->mime == PARTNER_MIME_DESCRIPTION)
		return errf(why, wlen, CONFIG_EVALUE, "description needs oftp "
		    "2.0: an OFTP 1.4 station has no file description (use "
		    "mime = header)");
	*key = "content";	/* the central EDI function makes EDIMs */
	if (orname_dda(&p->x400, "EDI") != NULL && p->content != PARTNER_P35)
		return errf(why, wlen, CONFIG_EVALUE, "the central EDI "
		    "function (x400 with a DDA EDI) needs content p35");
	*key = "certificate";
	if ((p->sign || p->encrypt || p->signed_eerp) &&
	    p->certificate[0] == '\0')
		return errf(why, wlen, CONFIG_EVALUE,
		    "sign, encrypt or signed-eerp needs a partner "
		    "certificate");
	/* seed: "im Agent Modus festlegen, wie lange ..." */
	*key = p->timer[CONFIG_TIMER_DELIVERY] ? "delivery-timer" :
	    "eerp-timer";
	if (p->mode == PARTNER_TRANSFER && (p->timer[CONFIG_TIMER_DELIVERY] ||
	    p->timer[CONFIG_TIMER_EERP]))
		return errf(why, wlen, CONFIG_EVALUE, "agent mode only: in "
		    "transfer mode the X.400 expiry of the message ([expiry] "
		    "in oxgate.ini) is its timer");
	return partner_check_certs(p, key, why, wlen);
}

unsigned
partner_timer(const struct ox_config *cfg, const struct ox_partner *p,
    enum config_timer which)
{
	return p != NULL && p->timer[which] != 0 ? p->timer[which] :
	    cfg->timer[which];
}

/* Every ODETTE ID of a partner, i-th; NULL after the last. */
static const char *
partner_id(const struct ox_partner *p, unsigned i, char *buf, size_t len)
{
	if (i == 0)
		return p->odette;
	if (i - 1 < p->nrouted)
		return p->routed[i - 1];
	if (i - 1 == p->nrouted && p->userid[0] != '\0') {
		snprintf(buf, len, "%s%s", PARTNER_VSTATION, p->userid);
		return buf;
	}
	return NULL;
}

/* The key that gives partner_id(p, i). */
static const char *
partner_id_key(const struct ox_partner *p, unsigned i)
{
	return i == 0 ? "odette" : i <= p->nrouted ? "routed" : "userid";
}

/* The partner of section name[0 .. len), or NULL. */
static struct ox_partner *
partner_named(const struct ox_partners *ps, const char *name, size_t len)
{
	size_t	 i;

	for (i = 0; i < ps->n; i++)
		if (strlen(ps->p[i].name) == len &&
		    strncmp(ps->p[i].name, name, len) == 0)
			return &ps->p[i];
	return NULL;
}

/* Whether a partner before ps->p[j], or p[j] before its ID a, has id. */
static int
partner_id_seen(const struct ox_partners *ps, size_t j, unsigned a,
    const char *id, size_t *l, unsigned *b)
{
	const char *id2;
	char	 buf[CONFIG_ID_LEN + 1];

	for (*l = 0; *l <= j; (*l)++)
		for (*b = 0; (*l < j || *b < a) && (id2 = partner_id(
		    &ps->p[*l], *b, buf, sizeof(buf))) != NULL; (*b)++)
			if (odette_id_eq(id, id2))
				return 1;
	return 0;
}

/*
 * Whether ID a of partner j, found first as ID b of partner l, is a
 * virtual station ID that partnerships of other OFTP stations share (their
 * odette IDs are unique): the seed's "mehrere Partnerschaften fuer
 * denselben X.400 Partner (X.400 Adresse) ..., wenn hier unterschiedliche
 * Station ID (SFID) angegeben wurden".
 */
static int
vstation_shared(const struct ox_partners *ps, size_t j, unsigned a, size_t l,
    unsigned b)
{
	return strcmp(partner_id_key(&ps->p[j], a), "userid") == 0 &&
	    strcmp(partner_id_key(&ps->p[l], b), "userid") == 0;
}

/*
 * What must be unique over all partners, checked in this one place: each
 * ODETTE ID (own, routed, virtual; a virtual one may be shared by
 * partnerships of different stations), as partner_by_odette() takes the
 * first partner that has it, and each local address given, compared as
 * partner_by_orname() does. The later one is named, with the line of the
 * first.
 */
static int
partners_unique(const struct ox_partners *ps, const struct ini_names *in,
    char *err, size_t errlen)
{
	const struct ox_partner *p, *q;
	const char *id;
	char	 buf[CONFIG_ID_LEN + 1];
	size_t	 j, l;
	unsigned a, b;

	for (j = 0; j < ps->n; j++) {
		p = &ps->p[j];
		for (a = 0; (id = partner_id(p, a, buf, sizeof(buf))) != NULL;
		    a++) {
			if (!partner_id_seen(ps, j, a, id, &l, &b) ||
			    vstation_shared(ps, j, a, l, b))
				continue;
			q = &ps->p[l];
			return errf(err, errlen, CONFIG_EVALUE, "%s: line %d: "
			    "[%s] %s: ODETTE ID %s also in [%s] (first at "
			    "line %d)", ps->path, ini_line_of(in, p->name,
			    partner_id_key(p, a)), p->name,
			    partner_id_key(p, a), id, q->name,
			    ini_line_of(in, q->name, partner_id_key(q, b)));
		}
		for (l = 0; l < j && p->has_local; l++) {
			q = &ps->p[l];
			if (q->has_local && ormatch_name(&p->local, &q->local))
				return errf(err, errlen, CONFIG_EVALUE,
				    "%s: line %d: [%s] local: O/R address "
				    "also in [%s] (first at line %d)",
				    ps->path, ini_line_of(in, p->name,
				    "local"), p->name, q->name,
				    ini_line_of(in, q->name, "local"));
		}
	}
	return CONFIG_OK;
}

/* A new partner for section name, in file order. */
static int
partner_add(struct ox_partners *ps, const char *name, char *err,
    size_t errlen)
{
	struct ox_partner *np;

	if (partner_named(ps, name, strlen(name)) != NULL)
		return CONFIG_OK;
	if (strlen(name) > PARTNER_NAME_MAX)
		return errf(err, errlen, CONFIG_EVALUE, "%s: [%.64s...]: "
		    "section name longer than %d", ps->path, name,
		    PARTNER_NAME_MAX);
	if ((np = reallocarray(ps->p, ps->n + 1, sizeof(*ps->p))) == NULL)
		return errf(err, errlen, CONFIG_ENOMEM, "%s: out of memory",
		    ps->path);
	ps->p = np;
	partner_init(&ps->p[ps->n]);
	memcpy(ps->p[ps->n++].name, name, strlen(name) + 1);
	return CONFIG_OK;
}

/* One entry of the dictionary: a section, or a key of one. */
static int
partner_entry(struct ox_partners *ps, const char *key, const char *val,
    char *err, size_t errlen)
{
	const struct conf_key *ck;
	struct ox_partner *p;
	const char *colon;

	if ((colon = strchr(key, ':')) == NULL)
		return partner_add(ps, key, err, errlen);
	if (colon == key)
		return errf(err, errlen, CONFIG_EKEY, "%s: key '%.64s' outside "
		    "any section", ps->path, colon + 1);
	if ((p = partner_named(ps, key, (size_t)(colon - key))) == NULL)
		return errf(err, errlen, CONFIG_EKEY, "%s: [%.*s] %.64s: key "
		    "before its section", ps->path, (int)(colon - key), key,
		    colon + 1);
	if ((ck = conf_find(pkeys, NPKEYS, NULL, 0, colon + 1)) == NULL)
		return errf(err, errlen, CONFIG_EKEY, "%s: [%s] %.64s: "
		    "unknown key", ps->path, p->name, colon + 1);
	return conf_apply(ck, val, p, ps->path, p->name, err, errlen);
}

static int
partners_from_dict(struct ox_partners *ps, const dictionary *d,
    const struct ini_names *in, char *err, size_t errlen)
{
	const char *ck;
	char	 why[256];
	ssize_t	 i;
	size_t	 j;
	int	 rc;

	for (i = 0; i < d->size; i++)
		if (d->key[i] != NULL && (rc = partner_entry(ps, d->key[i],
		    d->val[i] != NULL ? d->val[i] : "", err, errlen)) !=
		    CONFIG_OK)
			return rc;
	for (j = 0; j < ps->n; j++)
		if (partner_check(&ps->p[j], &ck, why, sizeof(why)) !=
		    CONFIG_OK)
			return errf(err, errlen, CONFIG_EVALUE,
			    "%s: [%s] %s: %s", ps->path, ps->p[j].name, ck,
			    why);
	return partners_unique(ps, in, err, errlen);
}

int
partners_load(const char *path, struct ox_partners *ps, char *err,
    size_t errlen)
{
	dictionary *d;
	struct ini_names in;
	int	 rc;

	memset(ps, 0, sizeof(*ps));
	if ((rc = conf_load_ini(path, ps->path, sizeof(ps->path), 0, &d,
	    &in, err, errlen)) != CONFIG_OK)
		return rc;
	rc = partners_from_dict(ps, d, &in, err, errlen);
	ini_names_free(&in);
	iniparser_freedict(d);
	if (rc != CONFIG_OK)
		partners_free(ps);
	return rc;
}

void
partners_free(struct ox_partners *ps)
{
	free(ps->p);
	ps->p = NULL;
	ps->n = 0;
}

const struct ox_partner *
partner_by_name(const struct ox_partners *ps, const char *name)
{
	return partner_named(ps, name, strlen(name));
}

const struct ox_partner *
partner_by_odette(const struct ox_partners *ps, const char *id)
{
	const char *pid;
	char	 b[CONFIG_ID_LEN + 1];
	size_t	 i;
	unsigned a;

	for (i = 0; i < ps->n; i++)
		for (a = 0; (pid = partner_id(&ps->p[i], a, b, sizeof(b))) !=
		    NULL; a++)
			if (odette_id_eq(pid, id))
				return &ps->p[i];
	return NULL;
}

/*
 * The partnership of a file to the virtual station ID vid from station
 * orig: of the partnerships with that ID, the one whose station (odette or
 * routed) orig is; else the first, whose station it is not.
 */
const struct ox_partner *
partner_by_vstation(const struct ox_partners *ps, const char *vid,
    const char *orig)
{
	const struct ox_partner *first = NULL, *p;
	char	 b[CONFIG_ID_LEN + 1];
	size_t	 i, k;

	for (i = 0; i < ps->n; i++) {
		p = &ps->p[i];
		if (p->userid[0] == '\0' || partner_id(p, p->nrouted + 1, b,
		    sizeof(b)) == NULL || !odette_id_eq(b, vid))
			continue;
		if (odette_id_eq(p->odette, orig))
			return p;
		for (k = 0; k < p->nrouted; k++)
			if (odette_id_eq(p->routed[k], orig))
				return p;
		if (first == NULL)
			first = p;
	}
	return first != NULL ? first : partner_by_odette(ps, vid);
}

/*
 * The O/R address of each OFTP station that has no "local" key: its
 * ODETTE ID in the gateway's domain (odette_to_or()).
 */
int
partners_default_local(struct ox_partners *ps, const struct orname *domain)
{
	char	 why[ODETTE_ERR_MAX];
	size_t	 i;

	for (i = 0; i < ps->n; i++) {
		if (ps->p[i].has_local)
			continue;
		if (odette_to_or(domain, ps->p[i].odette, &ps->p[i].local, why,
		    sizeof(why)) != ODETTE_OK)
			return -1;
		ps->p[i].has_local = 1;
	}
	return 0;
}

/*
 * A DDA ODETTEID names the partner (any case); else the whole address
 * must match, as ormatch_name() says.
 */
const struct ox_partner *
partner_by_orname(const struct ox_partners *ps, const struct orname *or)
{
	const char *id;
	size_t	 i;

	if ((id = odette_or_id(or)) != NULL)
		return partner_by_odette(ps, id);
	for (i = 0; i < ps->n; i++)
		if ((ps->p[i].has_local && ormatch_name(&ps->p[i].local, or)) ||
		    ormatch_name(&ps->p[i].x400, or))
			return &ps->p[i];
	return NULL;
}

const char *
partner_cert(const struct ox_partner *p, const char *station)
{
	unsigned i;

	for (i = 0; station != NULL && i < p->nrcert; i++)
		if (odette_id_eq(p->rcert[i].id, station))
			return p->rcert[i].path;
	return p->certificate;
}

int
partner_own_keys(const struct ox_partner *p, const struct ox_config *cfg,
    const char *local, const char **key, const char **cert)
{
	char	 vid[CONFIG_ID_LEN + 1];

	*key = cfg->key;
	*cert = cfg->certificate;
	if (p != NULL && p->station_key[0] != '\0' && local != NULL &&
	    partner_id(p, p->nrouted + 1, vid, sizeof(vid)) != NULL &&
	    odette_id_eq(vid, local)) {
		*key = p->station_key;
		*cert = p->station_cert;
	}
	return (*key)[0] != '\0' && (*cert)[0] != '\0';
}

int
partner_keys_load(const struct ox_partner *p, const struct ox_config *cfg,
    const char *local, const char *remote, struct cms_keys **k, char *err,
    size_t errlen)
{
	const char *key, *cert, *pc = p != NULL ? partner_cert(p, remote) :
	    "";

	partner_own_keys(p, cfg, local, &key, &cert);
	return cms_keys_load(k, key[0] ? key : NULL, cert[0] ? cert : NULL,
	    pc[0] ? pc : NULL, err, errlen);
}

/* Load key and certificate (either may be ""), once, counting files. */
static int
keys_try(const char *key, const char *cert, const char *what, size_t *n,
    char *err, size_t errlen)
{
	struct cms_keys *k;
	char	 why[CONFIG_ERR_MAX];

	if (key[0] == '\0' && cert[0] == '\0')
		return CONFIG_OK;
	if (cms_keys_load(&k, key[0] ? key : NULL, cert[0] ? cert : NULL,
	    NULL, why, sizeof(why)) != CMS_OK)
		return errf(err, errlen, CONFIG_EVALUE, "%s: %.400s", what,
		    why);
	cms_keys_free(k);
	*n += (key[0] != '\0') + (cert[0] != '\0');
	return CONFIG_OK;
}

int
partners_keys_check(const struct ox_partners *ps,
    const struct ox_config *cfg, size_t *n, char *err, size_t errlen)
{
	const struct ox_partner *p;
	char	 what[CONFIG_PATH_MAX + PARTNER_NAME_MAX + 64];
	size_t	 i;
	unsigned j;

	*n = 0;
	if (keys_try(cfg->key, cfg->certificate, "[security] key, "
	    "certificate", n, err, errlen) != CONFIG_OK)
		return CONFIG_EVALUE;
	for (i = 0; i < ps->n; i++) {
		p = &ps->p[i];
		snprintf(what, sizeof(what), "%s: [%s] certificate", ps->path,
		    p->name);
		if (keys_try("", p->certificate, what, n, err, errlen) !=
		    CONFIG_OK)
			return CONFIG_EVALUE;
		snprintf(what, sizeof(what), "%s: [%s] station-key, "
		    "station-certificate", ps->path, p->name);
		if (keys_try(p->station_key, p->station_cert, what, n, err,
		    errlen) != CONFIG_OK)
			return CONFIG_EVALUE;
		for (j = 0; j < p->nrcert; j++) {
			snprintf(what, sizeof(what), "%s: [%s] "
			    "routed-certificate %s", ps->path, p->name,
			    p->rcert[j].id);
			if (keys_try("", p->rcert[j].path, what, n, err,
			    errlen) != CONFIG_OK)
				return CONFIG_EVALUE;
		}
	}
	return CONFIG_OK;
}
