/*
 * NAME
 *	config - the gateway configuration files oxgate.ini and partners.ini
 *	(see config.h)
 * DESCRIPTION
 *	The file is read with iniparser, which lowercases section names and
 *	keys, and then by one pass over its lines (ini_scan()) that finds
 *	what iniparser merges silently, a section or a key given twice, with
 *	the lines that iniparser does not keep. Every entry of the dictionary
 *	is looked at against one table of known keys, so an unknown section
 *	or key is an error that names it. Values are checked as they are
 *	applied; a value left out keeps its default. iniparser reports syntax
 *	errors through a callback that we set, so the library prints nothing;
 *	the line number is taken from its message. Both files go through the
 *	same ini_load(). After the keys: a relative trace path, or the
 *	default one, is completed, the global domain identifier defaults to
 *	the country, ADMD and PRMD of the local domain, and the MTA
 *	designator to one made from the MTA name (ident_designator_from()).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "gw/config.h"
#include "gw/ident.h"
#include "util/err.h"
#include "util/ini.h"
#include "oftp/odette.h"
#include "oftp/sfid.h"

#ifndef OX_SYSCONFDIR
#define OX_SYSCONFDIR	"/etc"
#endif
#ifndef OX_SPOOLDIR
#define OX_SPOOLDIR	"/var/spool/oxgate"
#endif

#define DEF_LOCAL_DOMAIN "/C=DE/A=VIAT/P=OFTP/"
#define DEF_STATION_ID	"O0177000000000X0LU000000"
#define DEF_MTA_NAME	"OXGATE"
#define HOURS_MAX	87600u		/* ten years */

enum key_type {
	T_PATH,		/* a path, relative to the file's directory */
	T_PATH_OPT,	/* the same, may be empty (none) */
	T_HOURS,	/* 1 .. HOURS_MAX */
	T_SIZE,		/* number with K, M or G suffix */
	T_ORNAME,	/* std-or address */
	T_DOMAIN,	/* std-or with C, ADMD and optional PRMD only */
	T_MTA,		/* MTA name: printable, 1 .. 32 characters */
	T_STATION,	/* ODETTE ID */
	T_ESCAPE,	/* decimal | octal */
	T_RFC822DOM,	/* an RFC 822 domain, may be empty */
	T_ARCHIVE,	/* tar.gz | zip | off */
	T_DESIGNATOR,	/* 12 characters, see ident_designator_check() */
	T_ONOFF		/* on | off */
};

enum key_id {
	K_ROOT, K_TRACE, K_PURGE, K_LOCAL, K_MTA, K_GDI, K_ESCAPE,
	K_EXP_NORMAL, K_EXP_NONURGENT, K_EXP_URGENT, K_STATION, K_MAXSIZE,
	K_CERT, K_KEY, K_PARTNERS, K_MAPPING, K_ARCHIVE, K_RETENTION,
	K_TMPAGE, K_DESIGNATOR, K_SANDBOX, K_RFC822DOM, K_N
};

static const struct key {
	const char	*section;
	const char	*name;
	enum key_type	 type;
} keys[K_N] = {
	[K_ROOT] =		{ "spool", "root", T_PATH },
	[K_TRACE] =		{ "spool", "trace", T_PATH },
	[K_PURGE] =		{ "spool", "purgetime", T_HOURS },
	[K_LOCAL] =		{ "x400", "local-domain", T_ORNAME },
	[K_MTA] =		{ "x400", "mta-name", T_MTA },
	[K_GDI] =		{ "x400", "global-domain", T_DOMAIN },
	[K_ESCAPE] =		{ "x400", "ps-escape", T_ESCAPE },
	[K_EXP_NORMAL] =	{ "expiry", "normal", T_HOURS },
	[K_EXP_NONURGENT] =	{ "expiry", "non-urgent", T_HOURS },
	[K_EXP_URGENT] =	{ "expiry", "urgent", T_HOURS },
	[K_STATION] =		{ "oftp", "station-id", T_STATION },
	[K_MAXSIZE] =		{ "oftp", "max-file-size", T_SIZE },
	[K_CERT] =		{ "security", "certificate", T_PATH_OPT },
	[K_KEY] =		{ "security", "key", T_PATH_OPT },
	[K_PARTNERS] =		{ "oftp", "partners", T_PATH },
	[K_MAPPING] =		{ "x400", "mapping", T_PATH },
	[K_ARCHIVE] =		{ "spool", "archive", T_ARCHIVE },
	[K_RETENTION] =		{ "spool", "archive-retention", T_HOURS },
	[K_TMPAGE] =		{ "spool", "tmp-age", T_HOURS },
	[K_DESIGNATOR] =	{ "x400", "mta-designator", T_DESIGNATOR },
	[K_SANDBOX] =		{ "security", "sandbox", T_ONOFF },
	[K_RFC822DOM] =		{ "x400", "rfc822-domain", T_RFC822DOM },
};


const char *
config_strerror(int code)
{
	switch (code) {
	case CONFIG_OK:
		return "no error";
	case CONFIG_EIO:
		return "cannot read the file";
	case CONFIG_ESYNTAX:
		return "syntax error";
	case CONFIG_EKEY:
		return "unknown section or key";
	case CONFIG_EVALUE:
		return "bad value";
	case CONFIG_ENOMEM:
		return "out of memory";
	}
	return "unknown error";
}

const char *
config_default_path(void)
{
	const char *p = getenv("OXGATE_CONF");

	if (p != NULL && *p != '\0')
		return p;
	return OX_SYSCONFDIR "/oxgate/oxgate.ini";
}

/* An ODETTE ID (odette(3)): the reason in why. */
static int
check_odette_id(const char *v, char *why, size_t wlen)
{
	return odette_check_id(v, why, wlen) == ODETTE_OK ? CONFIG_OK :
	    CONFIG_EVALUE;
}

void
config_init(struct ox_config *cfg)
{
	struct or_err e;

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->spool, sizeof(cfg->spool), "%s", OX_SPOOLDIR);
	snprintf(cfg->tracedb, sizeof(cfg->tracedb), "%s/trace.db",
	    OX_SPOOLDIR);
	cfg->purgetime = 240;
	cfg->archive = CONFIG_ARCHIVE_TGZ;
	cfg->archive_retention = 90 * 24;
	cfg->tmp_age = 24;
	cfg->sandbox = 1;
	orname_init(&cfg->local_domain);
	(void)orname_parse(DEF_LOCAL_DOMAIN, -1, &cfg->local_domain, &e);
	snprintf(cfg->mta_name, sizeof(cfg->mta_name), "%s", DEF_MTA_NAME);
	ident_designator_from(cfg->mta_name, cfg->mta_designator);
	orname_init(&cfg->gdi);
	(void)orname_parse(DEF_LOCAL_DOMAIN, -1, &cfg->gdi, &e);
	cfg->ps_style = OR_PS_DECIMAL;
	cfg->expiry[CONFIG_PRIO_NORMAL] = 24;
	cfg->expiry[CONFIG_PRIO_NON_URGENT] = 72;
	cfg->expiry[CONFIG_PRIO_URGENT] = 4;
	snprintf(cfg->station_id, sizeof(cfg->station_id), "%s",
	    DEF_STATION_ID);
	cfg->max_file_size = 100ull * 1024 * 1024;
	snprintf(cfg->partners, sizeof(cfg->partners), "%s",
	    OX_SYSCONFDIR "/oxgate/partners.ini");
	snprintf(cfg->mapping, sizeof(cfg->mapping), "%s",
	    OX_SYSCONFDIR "/oxgate/mapping");
}

/* ini_load() into *d and *in, its INI_E* code as a CONFIG_E* code. */
static int
config_ini_load(const char *path, dictionary **d, struct ini_names *in,
    char *err, size_t errlen)
{
	switch (ini_load(path, d, in, err, errlen)) {
	case INI_OK:
		return CONFIG_OK;
	case INI_EIO:
		return CONFIG_EIO;
	case INI_ESYNTAX:
		return CONFIG_ESYNTAX;
	}
	return CONFIG_ENOMEM;
}

/* v made relative to the directory of the file; 0 if it does not fit. */
static int
resolve_path(const char *file, const char *v, char *dst, size_t size)
{
	const char *slash;
	int	 n;

	if (v[0] == '/' || (slash = strrchr(file, '/')) == NULL)
		n = snprintf(dst, size, "%s", v);
	else
		n = snprintf(dst, size, "%.*s/%s",
		    (int)(slash == file ? 0 : slash - file), file, v);
	return n >= 0 && (size_t)n < size;
}

/* Decimal digits only, no sign, no overflow. */
static int
parse_u64(const char *v, size_t n, uint64_t *out)
{
	uint64_t u = 0;
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i]))
			return 0;
		if (u > (UINT64_MAX - (uint64_t)(v[i] - '0')) / 10)
			return 0;
		u = u * 10 + (uint64_t)(v[i] - '0');
	}
	*out = u;
	return 1;
}

/*
 * [x400] rfc822-domain: the gateway's own RFC 822 domain, dot-separated
 * labels of letters, digits and "-" (not first or last), 63 characters
 * a label, 255 in all; empty is "not set".
 */
static int
rfc822_domain(struct ox_config *cfg, const char *v, size_t n, char *why,
    size_t wlen)
{
	size_t	 i, lab = 0;

	if (n > CONFIG_DOMAIN_MAX)
		return errf(why, wlen, CONFIG_EVALUE,
		    "%zu characters, at most %d", n, CONFIG_DOMAIN_MAX);
	for (i = 0; i < n; i++) {
		if (v[i] == '.') {
			if (lab == 0 || v[i - 1] == '-')
				return errf(why, wlen, CONFIG_EVALUE,
				    "'%.128s': empty label or label ending in "
				    "'-' before offset %zu", v, i);
			lab = 0;
			continue;
		}
		if (!isalnum((unsigned char)v[i]) && v[i] != '-')
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.128s': character 0x%02x at offset %zu (a domain "
			    "has letters, digits, '-' and '.')", v,
			    (unsigned)(unsigned char)v[i], i);
		if (lab == 0 && v[i] == '-')
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.128s': label starting with '-' at offset %zu",
			    v, i);
		if (++lab > 63)
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.128s': label longer than 63 characters", v);
	}
	if (n > 0 && (lab == 0 || v[n - 1] == '-'))
		return errf(why, wlen, CONFIG_EVALUE,
		    "'%.128s': empty last label or one ending in '-'", v);
	memcpy(cfg->rfc822_domain, v, n + 1);
	return CONFIG_OK;
}

/* A reason for a bad value of key k, in why. */
static int
apply(struct ox_config *cfg, int k, const char *v, char *why, size_t wlen)
{
	struct orname or;
	struct or_err e;
	uint64_t u, mul = 1;
	size_t	 n = strlen(v), i;
	char	*dst = NULL;
	const uint32_t dom = (1u << OR_C) | (1u << OR_ADMD) | (1u << OR_PRMD);

	switch (keys[k].type) {
	case T_PATH:
	case T_PATH_OPT:
		dst = k == K_ROOT ? cfg->spool : k == K_TRACE ? cfg->tracedb :
		    k == K_CERT ? cfg->certificate : k == K_KEY ? cfg->key :
		    k == K_PARTNERS ? cfg->partners : cfg->mapping;
		if (n == 0) {
			if (keys[k].type == T_PATH)
				return errf(why, wlen, CONFIG_EVALUE,
				    "empty, a path is required");
			dst[0] = '\0';
			return CONFIG_OK;
		}
		if (!resolve_path(cfg->path, v, dst, CONFIG_PATH_MAX))
			return errf(why, wlen, CONFIG_EVALUE,
			    "path longer than %d characters",
			    CONFIG_PATH_MAX - 1);
		return CONFIG_OK;
	case T_HOURS:
		if (!parse_u64(v, n, &u))
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is not a number of hours", v);
		if (u < 1 || u > HOURS_MAX)
			return errf(why, wlen, CONFIG_EVALUE,
			    "%llu hours out of range (1 to %u)",
			    (unsigned long long)u, HOURS_MAX);
		if (k == K_PURGE)
			cfg->purgetime = (unsigned)u;
		else if (k == K_RETENTION)
			cfg->archive_retention = (unsigned)u;
		else if (k == K_TMPAGE)
			cfg->tmp_age = (unsigned)u;
		else
			cfg->expiry[k == K_EXP_NORMAL ? CONFIG_PRIO_NORMAL :
			    k == K_EXP_URGENT ? CONFIG_PRIO_URGENT :
			    CONFIG_PRIO_NON_URGENT] = (unsigned)u;
		return CONFIG_OK;
	case T_SIZE:
		if (n > 0 && !isdigit((unsigned char)v[n - 1])) {
			switch (toupper((unsigned char)v[n - 1])) {
			case 'K':
				mul = 1024;
				break;
			case 'M':
				mul = 1024 * 1024;
				break;
			case 'G':
				mul = 1024 * 1024 * 1024;
				break;
			default:
				for (i = 0; i < n && isdigit((unsigned char)
				    v[i]); i++)
					;
				if (i == 0)
					return errf(why, wlen,
					    CONFIG_EVALUE,
					    "'%.64s' is not a number", v);
				return errf(why, wlen, CONFIG_EVALUE,
				    "bad suffix '%.16s' (K, M or G)", v + i);
			}
			n--;
		}
		if (!parse_u64(v, n, &u))
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is not a number", v);
		if (u == 0 || u > UINT64_MAX / mul)
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' out of range", v);
		cfg->max_file_size = u * mul;
		return CONFIG_OK;
	case T_ORNAME:
	case T_DOMAIN:
		orname_init(&or);
		if (orname_parse(v, -1, &or, &e) != OR_OK)
			return errf(why, wlen, CONFIG_EVALUE,
			    "bad O/R address '%.128s': %s%s%s", v,
			    e.key[0] != '\0' ? e.key : "",
			    e.key[0] != '\0' ? ": " : "",
			    orname_strerror(e.code));
		if (!(or.present & (1u << OR_C)))
			return errf(why, wlen, CONFIG_EVALUE,
			    "O/R address '%.128s' has no country (C)", v);
		if (keys[k].type == T_DOMAIN) {
			if ((or.present & ~dom) != 0 || or.nou != 0 ||
			    or.ndda != 0 || or.xrawlen != 0 || or.dnlen != 0)
				return errf(why, wlen, CONFIG_EVALUE,
				    "'%.128s': a global domain identifier "
				    "has only C, ADMD and PRMD", v);
			cfg->gdi = or;
		} else
			cfg->local_domain = or;
		return CONFIG_OK;
	case T_MTA:
		if (n == 0 || n > CONFIG_MTA_NAME_MAX)
			return errf(why, wlen, CONFIG_EVALUE,
			    "%zu characters, 1 to %d allowed", n,
			    CONFIG_MTA_NAME_MAX);
		for (i = 0; i < n; i++)
			if ((unsigned char)v[i] <= 0x20 ||
			    (unsigned char)v[i] >= 0x7f)
				return errf(why, wlen, CONFIG_EVALUE,
				    "character 0x%02x not allowed (printable "
				    "ASCII without spaces)",
				    (unsigned)(unsigned char)v[i]);
		memcpy(cfg->mta_name, v, n + 1);
		return CONFIG_OK;
	case T_STATION:
		if (check_odette_id(v, why, wlen) != CONFIG_OK)
			return CONFIG_EVALUE;
		memcpy(cfg->station_id, v, n + 1);
		return CONFIG_OK;
	case T_RFC822DOM:
		return rfc822_domain(cfg, v, n, why, wlen);
	case T_ESCAPE:
		if (strcmp(v, "decimal") == 0)
			cfg->ps_style = OR_PS_DECIMAL;
		else if (strcmp(v, "octal") == 0)
			cfg->ps_style = OR_PS_OCTAL;
		else
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is neither decimal nor octal", v);
		return CONFIG_OK;
	case T_ARCHIVE:
		if (strcmp(v, "tar.gz") == 0)
			cfg->archive = CONFIG_ARCHIVE_TGZ;
		else if (strcmp(v, "zip") == 0)
			cfg->archive = CONFIG_ARCHIVE_ZIP;
		else if (strcmp(v, "off") == 0)
			cfg->archive = CONFIG_ARCHIVE_OFF;
		else
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is not tar.gz, zip or off", v);
		return CONFIG_OK;
	case T_DESIGNATOR:
		if (ident_designator_check(v, why, wlen) < 0)
			return CONFIG_EVALUE;
		memcpy(cfg->mta_designator, v, n + 1);
		return CONFIG_OK;
	case T_ONOFF:
		if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is neither on nor off", v);
		cfg->sandbox = strcmp(v, "on") == 0;
		return CONFIG_OK;
	}
	return errf(why, wlen, CONFIG_EVALUE, "internal: key %d", k);
}

static int
section_known(const char *s, size_t n)
{
	int	 k;

	for (k = 0; k < K_N; k++)
		if (strlen(keys[k].section) == n &&
		    strncmp(keys[k].section, s, n) == 0)
			return 1;
	return 0;
}

static int
config_from_dict(struct ox_config *cfg, const dictionary *d, char *err,
    size_t errlen)
{
	const char *key, *name, *val, *colon;
	char	 why[256];
	ssize_t	 i;
	int	 k, rc, have_trace = 0, have_gdi = 0, have_partners = 0;
	int	 have_mapping = 0, have_designator = 0;

	for (i = 0; i < d->size; i++) {
		if ((key = d->key[i]) == NULL)
			continue;
		val = d->val[i] != NULL ? d->val[i] : "";
		if ((colon = strchr(key, ':')) == NULL) {
			if (!section_known(key, strlen(key)))
				return errf(err, errlen, CONFIG_EKEY,
				    "%s: unknown section [%.64s]", cfg->path,
				    key);
			continue;
		}
		name = colon + 1;
		if (colon == key)
			return errf(err, errlen, CONFIG_EKEY,
			    "%s: key '%.64s' outside any section", cfg->path,
			    name);
		if (!section_known(key, (size_t)(colon - key)))
			return errf(err, errlen, CONFIG_EKEY,
			    "%s: unknown section [%.*s]", cfg->path,
			    (int)(colon - key), key);
		for (k = 0; k < K_N; k++)
			if (strlen(keys[k].section) == (size_t)(colon - key) &&
			    strncmp(keys[k].section, key, colon - key) == 0 &&
			    strcmp(keys[k].name, name) == 0)
				break;
		if (k == K_N)
			return errf(err, errlen, CONFIG_EKEY,
			    "%s: [%.*s] %.64s: unknown key", cfg->path,
			    (int)(colon - key), key, name);
		if ((rc = apply(cfg, k, val, why, sizeof(why))) != CONFIG_OK)
			return errf(err, errlen, rc, "%s: [%s] %s: %s",
			    cfg->path, keys[k].section, keys[k].name, why);
		if (k == K_TRACE)
			have_trace = 1;
		if (k == K_PARTNERS)
			have_partners = 1;
		if (k == K_MAPPING)
			have_mapping = 1;
		if (k == K_GDI)
			have_gdi = 1;
		if (k == K_DESIGNATOR)
			have_designator = 1;
	}
	if (!have_designator)
		ident_designator_from(cfg->mta_name, cfg->mta_designator);
	/* partners.ini and mapping/ live beside oxgate.ini by default */
	if ((!have_partners && !resolve_path(cfg->path, "partners.ini",
	    cfg->partners, CONFIG_PATH_MAX)) || (!have_mapping &&
	    !resolve_path(cfg->path, "mapping", cfg->mapping,
	    CONFIG_PATH_MAX)))
		return errf(err, errlen, CONFIG_EVALUE,
		    "%s: path of the configuration directory too long",
		    cfg->path);
	if (!have_trace && snprintf(cfg->tracedb, sizeof(cfg->tracedb),
	    "%s/trace.db", cfg->spool) >= (int)sizeof(cfg->tracedb))
		return errf(err, errlen, CONFIG_EVALUE,
		    "%s: [spool] root: path too long", cfg->path);
	if (!have_gdi) {
		orname_init(&cfg->gdi);
		cfg->gdi.present = cfg->local_domain.present &
		    ((1u << OR_C) | (1u << OR_ADMD) | (1u << OR_PRMD));
		cfg->gdi.numeric = cfg->local_domain.numeric;
		memcpy(cfg->gdi.c, cfg->local_domain.c, sizeof(cfg->gdi.c));
		memcpy(cfg->gdi.admd, cfg->local_domain.admd,
		    sizeof(cfg->gdi.admd));
		memcpy(cfg->gdi.prmd, cfg->local_domain.prmd,
		    sizeof(cfg->gdi.prmd));
	}
	return CONFIG_OK;
}

int
config_load(const char *path, struct ox_config *cfg, char *err,
    size_t errlen)
{
	struct stat st;
	dictionary *d;
	struct ini_names in;
	int	 rc;

	config_init(cfg);
	if (snprintf(cfg->path, sizeof(cfg->path), "%s", path) >=
	    (int)sizeof(cfg->path))
		return errf(err, errlen, CONFIG_EIO, "%.64s...: path too "
		    "long", path);
	if (stat(path, &st) == -1)
		return errf(err, errlen, CONFIG_EIO, "%s: %s", path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return errf(err, errlen, CONFIG_EIO, "%s: not a regular file",
		    path);
	if (st.st_size > CONFIG_FILE_MAX)
		return errf(err, errlen, CONFIG_EIO,
		    "%s: %lld octets, at most %d allowed", path,
		    (long long)st.st_size, CONFIG_FILE_MAX);
	if ((rc = config_ini_load(path, &d, &in, err, errlen)) != CONFIG_OK)
		return rc;
	ini_names_free(&in);
	rc = config_from_dict(cfg, d, err, errlen);
	iniparser_freedict(d);
	return rc;
}

/*
 * partners.ini: one section per partnership. The keys of a section are
 * applied in file order onto partner_init() defaults; the consistency of
 * a partner is checked when the whole file has been read, then the
 * uniqueness of every ODETTE ID (own, routed and virtual) over all
 * partners.
 */
static const char *const pkeys[] = {
	"odette", "routed", "userid", "x400", "mode", "eerp", "bodypart",
	"content", "subject", "vdsn", "mime", "format", "lrecl", "oftp",
	"sign", "encrypt", "compress", "cipher", "certificate",
	"signed-eerp", "local", "status-vdsn", "status-format", "edi-subject",
	NULL
};
enum { P_ODETTE, P_ROUTED, P_USERID, P_X400, P_MODE, P_EERP, P_BODYPART,
	P_CONTENT, P_SUBJECT, P_VDSN, P_MIME, P_FORMAT, P_LRECL, P_OFTP,
	P_SIGN, P_ENCRYPT, P_COMPRESS, P_CIPHER, P_CERT, P_SEERP, P_LOCAL,
	P_STATUS_VDSN, P_STATUS_FORMAT, P_EDI_SUBJECT };

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

void
partner_init(struct ox_partner *p)
{
	memset(p, 0, sizeof(*p));
	orname_init(&p->x400);
	p->mode = PARTNER_AGENT;
	p->eerp = 1;
	p->bodypart = PARTNER_BP_VARIABLE;
	p->content = PARTNER_P22;
	p->subject = PARTNER_SUBJ_SFIDDESC;
	p->mime = PARTNER_MIME_NONE;
	p->edi_subject = PARTNER_EDISUBJ_FILE;
	p->format = 'U';
	p->oftp = 20;
	p->cipher = 1;
	p->status_format = 'T';
}

static int
word(const char *v, const char *const *words, int *out, char *why,
    size_t wlen)
{
	int	 i;
	size_t	 n = 0;
	char	 list[128];

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(v, words[i]) == 0) {
			*out = i;
			return CONFIG_OK;
		}
	list[0] = '\0';
	for (i = 0; words[i] != NULL && n < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
		    i == 0 ? "" : words[i + 1] == NULL ? " or " : ", ",
		    words[i]);
	return errf(why, wlen, CONFIG_EVALUE, "'%.64s' is not %s", v, list);
}

static int
partner_apply(struct ox_partner *p, int k, const char *v, const char *file,
    char *why, size_t wlen)
{
	struct or_err e;
	const char *s, *comma;
	char	 id[CONFIG_ID_LEN + 2], tmp[128];
	uint64_t u;
	size_t	 n = strlen(v), len;
	int	 w;

	switch (k) {
	case P_ODETTE:
		if (check_odette_id(v, why, wlen) != CONFIG_OK)
			return CONFIG_EVALUE;
		memcpy(p->odette, v, n + 1);
		return CONFIG_OK;
	case P_ROUTED:
		p->nrouted = 0;
		for (s = v; *s != '\0'; s = *comma ? comma + 1 : comma) {
			while (*s == ' ')
				s++;
			if ((comma = strchr(s, ',')) == NULL)
				comma = s + strlen(s);
			len = (size_t)(comma - s);
			while (len > 0 && s[len - 1] == ' ')
				len--;
			if (len > CONFIG_ID_LEN)
				len = CONFIG_ID_LEN + 1;	/* refused */
			memcpy(id, s, len);
			id[len] = '\0';
			if (check_odette_id(id, why, wlen) != CONFIG_OK)
				return CONFIG_EVALUE;
			if (p->nrouted == PARTNER_ROUTED_MAX)
				return errf(why, wlen, CONFIG_EVALUE,
				    "more than %d routed IDs",
				    PARTNER_ROUTED_MAX);
			memcpy(p->routed[p->nrouted++], id, len + 1);
		}
		return CONFIG_OK;
	case P_USERID:
		if (sfid_check_x("userid", v, PARTNER_USERID_MAX, 1, tmp,
		    sizeof(tmp)) != SFID_OK)
			return errf(why, wlen, CONFIG_EVALUE, "%s", tmp);
		memcpy(p->userid, v, n + 1);
		return CONFIG_OK;
	case P_X400:
	case P_LOCAL:
		if (k == P_LOCAL)
			p->has_local = 1;
		orname_init(k == P_LOCAL ? &p->local : &p->x400);
		if (orname_parse(v, -1, k == P_LOCAL ? &p->local : &p->x400,
		    &e) != OR_OK)
			return errf(why, wlen, CONFIG_EVALUE,
			    "bad O/R address '%.128s': %s%s%s", v,
			    e.key[0] != '\0' ? e.key : "",
			    e.key[0] != '\0' ? ": " : "",
			    orname_strerror(e.code));
		return CONFIG_OK;
	case P_MODE:
		return word(v, w_mode, &p->mode, why, wlen);
	case P_EERP:
		if (strlen(v) != 1 || v[0] < '1' || v[0] > '3')
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is not 1, 2 or 3", v);
		p->eerp = (unsigned)(v[0] - '0');
		return CONFIG_OK;
	case P_BODYPART:
		return word(v, w_bodypart, &p->bodypart, why, wlen);
	case P_CONTENT:
		return word(v, w_content, &p->content, why, wlen);
	case P_SUBJECT:
		return word(v, w_subject, &p->subject, why, wlen);
	case P_VDSN:
		if (strcmp(v, "subject") == 0) {
			p->vdsn[0] = '\0';
			return CONFIG_OK;
		}
		if (sfid_check_x("vdsn", v, PARTNER_VDSN_LEN, 1, tmp,
		    sizeof(tmp)) != SFID_OK)
			return errf(why, wlen, CONFIG_EVALUE, "%s", tmp);
		memcpy(p->vdsn, v, n + 1);
		return CONFIG_OK;
	case P_MIME:
		return word(v, w_mime, &p->mime, why, wlen);
	case P_STATUS_VDSN:
		if (n > 0 && sfid_check_x("status-vdsn", v, PARTNER_VDSN_LEN,
		    1, tmp, sizeof(tmp)) != SFID_OK)
			return errf(why, wlen, CONFIG_EVALUE, "%s", tmp);
		memcpy(p->status_vdsn, v, n + 1);
		return CONFIG_OK;
	case P_STATUS_FORMAT:
		if (strlen(v) != 1 || strchr("TU", v[0]) == NULL)
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is not T or U", v);
		p->status_format = v[0];
		return CONFIG_OK;
	case P_EDI_SUBJECT:
		return word(v, w_edi_subject, &p->edi_subject, why, wlen);
	case P_FORMAT:
		if (strlen(v) != 1 || strchr("UTFV", v[0]) == NULL)
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is not U, T, F or V", v);
		p->format = v[0];
		return CONFIG_OK;
	case P_LRECL:
		if (!parse_u64(v, n, &u) || u > SFID_LRECL_MAX)
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is not a record length (0 to %d)", v,
			    SFID_LRECL_MAX);
		p->lrecl = (uint32_t)u;
		return CONFIG_OK;
	case P_OFTP:
		if (strcmp(v, "1.4") == 0)
			p->oftp = 14;
		else if (strcmp(v, "2.0") == 0)
			p->oftp = 20;
		else
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is not 1.4 or 2.0", v);
		return CONFIG_OK;
	case P_SIGN:
	case P_ENCRYPT:
	case P_COMPRESS:
	case P_SEERP:
		if (word(v, w_yesno, &w, why, wlen) != CONFIG_OK)
			return CONFIG_EVALUE;
		*(k == P_SIGN ? &p->sign : k == P_ENCRYPT ? &p->encrypt :
		    k == P_COMPRESS ? &p->compress : &p->signed_eerp) = w;
		return CONFIG_OK;
	case P_CIPHER:
		if (strlen(v) != 2 || v[0] != '0' || v[1] < '1' || v[1] > '6')
			return errf(why, wlen, CONFIG_EVALUE,
			    "'%.64s' is not a cipher suite 01 to 06", v);
		p->cipher = (unsigned)(v[1] - '0');
		return CONFIG_OK;
	case P_CERT:
		if (n == 0) {
			p->certificate[0] = '\0';
			return CONFIG_OK;
		}
		if (!resolve_path(file, v, p->certificate, CONFIG_PATH_MAX))
			return errf(why, wlen, CONFIG_EVALUE,
			    "path longer than %d characters",
			    CONFIG_PATH_MAX - 1);
		return CONFIG_OK;
	}
	return errf(why, wlen, CONFIG_EVALUE, "internal: key %d", k);
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
	*key = "certificate";
	if ((p->sign || p->encrypt || p->signed_eerp) &&
	    p->certificate[0] == '\0')
		return errf(why, wlen, CONFIG_EVALUE,
		    "sign, encrypt or signed-eerp needs a partner "
		    "certificate");
	return CONFIG_OK;
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
			if (strcmp(id, id2) == 0)
				return 1;
	return 0;
}

/*
 * What must be unique over all partners, checked in this one place: each
 * ODETTE ID (own, routed, virtual), as partner_by_odette() takes the
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
			if (!partner_id_seen(ps, j, a, id, &l, &b))
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
			if (q->has_local && orname_equal(&p->local, &q->local))
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

static int
partners_from_dict(struct ox_partners *ps, const dictionary *d,
    const struct ini_names *in, char *err, size_t errlen)
{
	struct ox_partner *p, *np;
	const char *key, *name, *val, *colon, *ck;
	char	 why[256];
	ssize_t	 i;
	size_t	 j;
	int	 k, rc;

	for (i = 0; i < d->size; i++) {
		if ((key = d->key[i]) == NULL)
			continue;
		val = d->val[i] != NULL ? d->val[i] : "";
		if ((colon = strchr(key, ':')) == NULL) {
			if (partner_named(ps, key, strlen(key)) != NULL)
				continue;
			if (strlen(key) > PARTNER_NAME_MAX)
				return errf(err, errlen, CONFIG_EVALUE,
				    "%s: [%.64s...]: section name longer "
				    "than %d", ps->path, key,
				    PARTNER_NAME_MAX);
			np = reallocarray(ps->p, ps->n + 1, sizeof(*ps->p));
			if (np == NULL)
				return errf(err, errlen, CONFIG_ENOMEM,
				    "%s: out of memory", ps->path);
			ps->p = np;
			p = &ps->p[ps->n++];
			partner_init(p);
			memcpy(p->name, key, strlen(key) + 1);
			continue;
		}
		name = colon + 1;
		if (colon == key)
			return errf(err, errlen, CONFIG_EKEY,
			    "%s: key '%.64s' outside any section", ps->path,
			    name);
		if ((p = partner_named(ps, key, (size_t)(colon - key))) ==
		    NULL)
			return errf(err, errlen, CONFIG_EKEY,
			    "%s: [%.*s] %.64s: key before its section",
			    ps->path, (int)(colon - key), key, name);
		for (k = 0; pkeys[k] != NULL; k++)
			if (strcmp(pkeys[k], name) == 0)
				break;
		if (pkeys[k] == NULL)
			return errf(err, errlen, CONFIG_EKEY,
			    "%s: [%s] %.64s: unknown key", ps->path, p->name,
			    name);
		if ((rc = partner_apply(p, k, val, ps->path, why,
		    sizeof(why))) != CONFIG_OK)
			return errf(err, errlen, rc, "%s: [%s] %s: %s",
			    ps->path, p->name, pkeys[k], why);
	}
	for (j = 0; j < ps->n; j++) {
		p = &ps->p[j];
		if (partner_check(p, &ck, why, sizeof(why)) != CONFIG_OK)
			return errf(err, errlen, CONFIG_EVALUE,
			    "%s: [%s] %s: %s", ps->path, p->name, ck, why);
	}
	return partners_unique(ps, in, err, errlen);
}

int
partners_load(const char *path, struct ox_partners *ps, char *err,
    size_t errlen)
{
	struct stat st;
	dictionary *d;
	struct ini_names in;
	int	 rc;

	memset(ps, 0, sizeof(*ps));
	if (snprintf(ps->path, sizeof(ps->path), "%s", path) >=
	    (int)sizeof(ps->path))
		return errf(err, errlen, CONFIG_EIO, "%.64s...: path too "
		    "long", path);
	if (stat(path, &st) == -1)
		return errf(err, errlen, CONFIG_EIO, "%s: %s", path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return errf(err, errlen, CONFIG_EIO, "%s: not a regular file",
		    path);
	if ((rc = config_ini_load(path, &d, &in, err, errlen)) != CONFIG_OK)
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
			if (strcmp(pid, id) == 0)
				return &ps->p[i];
	return NULL;
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

/* A DDA ODETTEID names the partner; else the whole address must match. */
const struct ox_partner *
partner_by_orname(const struct ox_partners *ps, const struct orname *or)
{
	const char *id;
	size_t	 i;

	if ((id = odette_or_id(or)) != NULL)
		return partner_by_odette(ps, id);
	for (i = 0; i < ps->n; i++)
		if ((ps->p[i].has_local && orname_equal(&ps->p[i].local, or)) ||
		    orname_equal(&ps->p[i].x400, or))
			return &ps->p[i];
	return NULL;
}
