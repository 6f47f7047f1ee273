/*
 * NAME
 *	config - the gateway configuration file oxgate.ini (see config.h)
 * DESCRIPTION
 *	The file is loaded by conf_load_ini() (ini(3): iniparser, which
 *	lowercases section names and keys, and the pass over its lines that
 *	refuses a section or a key given twice). Every entry of the
 *	dictionary is looked up in one table of known keys (conftab(3)),
 *	which says where its value goes, its default and how it is checked;
 *	an unknown section or key is an error that names it, a value left
 *	out keeps its default. After the keys: a relative trace path, or the
 *	default one, is completed ([trace] database, sqlite:PATH or
 *	postgresql:CONNINFO, or the older [spool] trace, a path; not both;
 *	OXGATE_TRACE_DATABASE in the environment, in the same form, is taken
 *	instead: the test suite's PostgreSQL runs, tests/pg.sh), partners.ini and mapping/ default to the
 *	directory of the file, the global domain identifier defaults to the
 *	country, ADMD and PRMD of the local domain, and the MTA designator
 *	to one made from the MTA name (ident_designator_from()).
 *	partners.ini is partners.c.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw/config.h"
#include "gw/conftab.h"
#include "gw/db.h"
#include "gw/ident.h"
#include "util/err.h"

#ifndef OX_SYSCONFDIR
#define OX_SYSCONFDIR	"/etc"
#endif
#ifndef OX_SPOOLDIR
#define OX_SPOOLDIR	"/var/spool/oxgate"
#endif

#define HOURS_MAX	87600u		/* ten years */

static conf_setter set_size, set_local_domain, set_gdi, set_mta,
    set_rfc822_domain, set_designator, set_database, set_listen, set_port;

enum key_id {
	K_ROOT, K_TRACE, K_PURGE, K_LOCAL, K_MTA, K_GDI, K_ESCAPE,
	K_EXP_NORMAL, K_EXP_NONURGENT, K_EXP_URGENT, K_STATION, K_MAXSIZE,
	K_CERT, K_KEY, K_PARTNERS, K_MAPPING, K_ARCHIVE, K_RETENTION,
	K_TMPAGE, K_DESIGNATOR, K_SANDBOX, K_RFC822DOM, K_LIFETIME, K_DATABASE,
	K_T_DELIVERY, K_T_EERP, K_T_EERP_OUT,
	K_WEB_LISTEN, K_WEB_PORT, K_WEB_USERS, K_WEB_CERT, K_WEB_KEY,
	K_BATCH, K_BATCH_MS, K_N
};

static const char *const w_escape[] = { "decimal", "octal", NULL };
static const int v_escape[] = { OR_PS_DECIMAL, OR_PS_OCTAL };
static const char *const w_archive[] = { "tar.gz", "zip", "off", NULL };
static const int v_archive[] = { CONFIG_ARCHIVE_TGZ, CONFIG_ARCHIVE_ZIP,
	CONFIG_ARCHIVE_OFF };
static const char *const w_onoff[] = { "on", "off", NULL };
static const int v_onoff[] = { 1, 0 };

#define C(m)	CONF_MEMBER(struct ox_config, m)

/* oxgate.ini(5): section, key, default, setter, member, min, max, ... */
static const struct conf_key keys[K_N] = {
	[K_ROOT] = { "spool", "root", OX_SPOOLDIR, conf_set_path,
	    C(spool) },
	[K_TRACE] = { "spool", "trace", OX_SPOOLDIR "/trace.db",
	    conf_set_path, C(tracedb) },
	[K_PURGE] = { "spool", "purgetime", "240", conf_set_hours,
	    C(purgetime), 1, HOURS_MAX },
	[K_LOCAL] = { "x400", "local-domain", "/C=DE/A=VIAT/P=OFTP/",
	    set_local_domain, C(local_domain) },
	[K_MTA] = { "x400", "mta-name", "OXGATE", set_mta, C(mta_name) },
	[K_GDI] = { "x400", "global-domain", "/C=DE/A=VIAT/P=OFTP/",
	    set_gdi, C(gdi) },
	[K_ESCAPE] = { "x400", "ps-escape", "decimal", conf_set_word,
	    C(ps_style), 0, 0, w_escape, v_escape,
	    "'%.64s' is neither decimal nor octal" },
	[K_EXP_NORMAL] = { "expiry", "normal", "24", conf_set_hours,
	    C(expiry[CONFIG_PRIO_NORMAL]), 1, HOURS_MAX },
	[K_EXP_NONURGENT] = { "expiry", "non-urgent", "72", conf_set_hours,
	    C(expiry[CONFIG_PRIO_NON_URGENT]), 1, HOURS_MAX },
	[K_EXP_URGENT] = { "expiry", "urgent", "4", conf_set_hours,
	    C(expiry[CONFIG_PRIO_URGENT]), 1, HOURS_MAX },
	[K_STATION] = { "oftp", "station-id", "O0177000000000X0LU000000",
	    conf_set_odette, C(station_id) },
	[K_MAXSIZE] = { "oftp", "max-file-size", "100M", set_size,
	    C(max_file_size) },
	[K_CERT] = { "security", "certificate", NULL, conf_set_path_opt,
	    C(certificate) },
	[K_KEY] = { "security", "key", NULL, conf_set_path_opt, C(key) },
	[K_PARTNERS] = { "oftp", "partners",
	    OX_SYSCONFDIR "/oxgate/partners.ini", conf_set_path,
	    C(partners) },
	[K_MAPPING] = { "x400", "mapping", OX_SYSCONFDIR "/oxgate/mapping",
	    conf_set_path, C(mapping) },
	[K_ARCHIVE] = { "spool", "archive", "tar.gz", conf_set_word,
	    C(archive), 0, 0, w_archive, v_archive, NULL },
	[K_RETENTION] = { "spool", "archive-retention", "2160",
	    conf_set_hours, C(archive_retention), 1, HOURS_MAX },
	[K_LIFETIME] = { "spool", "queue-lifetime", "120", conf_set_hours,
	    C(queue_lifetime), 1, HOURS_MAX },
	[K_T_DELIVERY] = { "timers", "delivery", "24", conf_set_hours,
	    C(timer[CONFIG_TIMER_DELIVERY]), 1, HOURS_MAX },
	[K_T_EERP] = { "timers", "eerp", "24", conf_set_hours,
	    C(timer[CONFIG_TIMER_EERP]), 1, HOURS_MAX },
	[K_T_EERP_OUT] = { "timers", "eerp-out", "24", conf_set_hours,
	    C(timer[CONFIG_TIMER_EERP_OUT]), 1, HOURS_MAX },
	[K_BATCH] = { "spool", "batch", "64", conf_set_number, C(batch), 1,
	    1024, NULL, NULL, "items" },
	[K_BATCH_MS] = { "spool", "batch-time", "50", conf_set_number,
	    C(batch_ms), 1, 1000, NULL, NULL, "milliseconds" },
	[K_TMPAGE] = { "spool", "tmp-age", "24", conf_set_hours, C(tmp_age),
	    1, HOURS_MAX },
	[K_DESIGNATOR] = { "x400", "mta-designator", NULL, set_designator,
	    C(mta_designator) },
	[K_SANDBOX] = { "security", "sandbox", "on", conf_set_word,
	    C(sandbox), 0, 0, w_onoff, v_onoff,
	    "'%.64s' is neither on nor off" },
	[K_RFC822DOM] = { "x400", "rfc822-domain", NULL, set_rfc822_domain,
	    C(rfc822_domain) },
	[K_DATABASE] = { "trace", "database", NULL, set_database,
	    C(tracedb) },
	[K_WEB_LISTEN] = { "web", "listen", "127.0.0.1", set_listen,
	    C(web_listen) },
	[K_WEB_PORT] = { "web", "port", "8480", set_port, C(web_port), 1,
	    65535 },
	[K_WEB_USERS] = { "web", "users", OX_SYSCONFDIR "/oxgate/web-users",
	    conf_set_path, C(web_users) },
	[K_WEB_CERT] = { "web", "certificate", NULL, conf_set_path_opt,
	    C(web_cert) },
	[K_WEB_KEY] = { "web", "key", NULL, conf_set_path_opt, C(web_key) },
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

void
config_init(struct ox_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	orname_init(&cfg->local_domain);
	orname_init(&cfg->gdi);
	conf_defaults(keys, K_N, cfg);
	ident_designator_from(cfg->mta_name, cfg->mta_designator);
}

/* [oftp] max-file-size: a number of octets with a K, M or G suffix. */
static int
set_size(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	uint64_t u, mul = 1;
	size_t	 n = strlen(v), i;

	(void)file;
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
			for (i = 0; i < n && isdigit((unsigned char)v[i]); i++)
				;
			if (i == 0)
				return errf(why, wlen, CONFIG_EVALUE,
				    "'%.64s' is not a number", v);
			return errf(why, wlen, CONFIG_EVALUE,
			    "bad suffix '%.16s' (K, M or G)", v + i);
		}
		n--;
	}
	if (!conf_parse_u64(v, n, &u))
		return errf(why, wlen, CONFIG_EVALUE,
		    "'%.64s' is not a number", v);
	if (u == 0 || u > UINT64_MAX / mul)
		return errf(why, wlen, CONFIG_EVALUE,
		    "'%.64s' out of range", v);
	u *= mul;
	memcpy((char *)obj + k->off, &u, sizeof(u));
	return CONFIG_OK;
}

/* [web] listen: an IPv4 or IPv6 address (no name: nothing to resolve). */
static int
set_listen(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	unsigned char a[sizeof(struct in6_addr)];

	(void)file;
	if (strlen(v) >= CONFIG_LISTEN_MAX || (inet_pton(AF_INET, v, a) != 1 &&
	    inet_pton(AF_INET6, v, a) != 1))
		return errf(why, wlen, CONFIG_EVALUE, "'%.64s' is not an IPv4 "
		    "or IPv6 address", v);
	snprintf((char *)obj + k->off, CONFIG_LISTEN_MAX, "%s", v);
	return CONFIG_OK;
}

/* [web] port: 1 to 65535. */
static int
set_port(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	uint64_t u;
	unsigned p;

	(void)file;
	if (!conf_parse_u64(v, strlen(v), &u) || u < k->min || u > k->max)
		return errf(why, wlen, CONFIG_EVALUE, "'%.64s' is not a port "
		    "(1 to 65535)", v);
	p = (unsigned)u;
	memcpy((char *)obj + k->off, &p, sizeof(p));
	return CONFIG_OK;
}

/* A std-or address with a country (C) into or. */
static int
parse_domain(const char *v, struct orname *or, char *why, size_t wlen)
{
	if (conf_parse_orname(v, or, why, wlen) != CONFIG_OK)
		return CONFIG_EVALUE;
	if (!(or->present & (1u << OR_C)))
		return errf(why, wlen, CONFIG_EVALUE,
		    "O/R address '%.128s' has no country (C)", v);
	return CONFIG_OK;
}

/* [x400] local-domain */
static int
set_local_domain(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	struct orname or;

	(void)file;
	if (parse_domain(v, &or, why, wlen) != CONFIG_OK)
		return CONFIG_EVALUE;
	memcpy((char *)obj + k->off, &or, sizeof(or));
	return CONFIG_OK;
}

/* [x400] global-domain: C, ADMD and PRMD only. */
static int
set_gdi(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	struct orname or;
	const uint32_t dom = (1u << OR_C) | (1u << OR_ADMD) | (1u << OR_PRMD);

	(void)file;
	if (parse_domain(v, &or, why, wlen) != CONFIG_OK)
		return CONFIG_EVALUE;
	if ((or.present & ~dom) != 0 || or.nou != 0 || or.ndda != 0 ||
	    or.xrawlen != 0 || or.dnlen != 0)
		return errf(why, wlen, CONFIG_EVALUE,
		    "'%.128s': a global domain identifier has only C, ADMD "
		    "and PRMD", v);
	memcpy((char *)obj + k->off, &or, sizeof(or));
	return CONFIG_OK;
}

/* [x400] mta-name: printable ASCII without spaces, 1 to 32. */
static int
set_mta(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	size_t	 n = strlen(v), i;

	(void)file;
	if (n == 0 || n > CONFIG_MTA_NAME_MAX)
		return errf(why, wlen, CONFIG_EVALUE,
		    "%zu characters, 1 to %d allowed", n,
		    CONFIG_MTA_NAME_MAX);
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f)
			return errf(why, wlen, CONFIG_EVALUE,
			    "character 0x%02x not allowed (printable ASCII "
			    "without spaces)", (unsigned)(unsigned char)v[i]);
	memcpy((char *)obj + k->off, v, n + 1);
	return CONFIG_OK;
}

/* [x400] mta-designator: see ident_designator_check(). */
static int
set_designator(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	(void)file;
	if (ident_designator_check(v, why, wlen) < 0)
		return CONFIG_EVALUE;
	memcpy((char *)obj + k->off, v, strlen(v) + 1);
	return CONFIG_OK;
}

/*
 * [x400] rfc822-domain: the gateway's own RFC 822 domain, dot-separated
 * labels of letters, digits and "-" (not first or last), 63 characters
 * a label, 255 in all; empty is "not set".
 */
/* [trace] database: sqlite:PATH (stored as PATH) or postgresql:CONNINFO */
static int
set_database(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	const char	*rest;
	enum db_kind	 kind;

	if (db_spec_kind(v, &kind, &rest) == -1 || rest == v)
		return errf(why, wlen, CONFIG_EVALUE, "'%.64s' is neither "
		    "sqlite:PATH nor postgresql:CONNINFO", v);
	if (kind == DB_SQLITE)	/* stored as the path: the old form */
		return conf_set_path(k, rest, obj, file, why, wlen);
	if (snprintf((char *)obj + k->off, k->size, "postgresql:%s", rest) >=
	    (int)k->size)
		return errf(why, wlen, CONFIG_EVALUE, "longer than %zu "
		    "characters", k->size - 1);
	return CONFIG_OK;
}

static int
set_rfc822_domain(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	size_t	 i, lab = 0, n = strlen(v);

	(void)file;
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
	memcpy((char *)obj + k->off, v, n + 1);
	return CONFIG_OK;
}

/* Whether a key of the table has section s[0 .. n). */
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

/* One entry of the dictionary; the index of its key in *k, or -1. */
static int
config_entry(struct ox_config *cfg, const char *key, const char *val,
    int *k, char *err, size_t errlen)
{
	const struct conf_key *ck;
	const char *colon;
	size_t	 slen;
	int	 rc;

	*k = -1;
	if ((colon = strchr(key, ':')) == NULL)
		return section_known(key, strlen(key)) ? CONFIG_OK :
		    errf(err, errlen, CONFIG_EKEY, "%s: unknown section "
		    "[%.64s]", cfg->path, key);
	if (colon == key)
		return errf(err, errlen, CONFIG_EKEY, "%s: key '%.64s' outside "
		    "any section", cfg->path, colon + 1);
	slen = (size_t)(colon - key);
	if (!section_known(key, slen))
		return errf(err, errlen, CONFIG_EKEY, "%s: unknown section "
		    "[%.*s]", cfg->path, (int)slen, key);
	if ((ck = conf_find(keys, K_N, key, slen, colon + 1)) == NULL)
		return errf(err, errlen, CONFIG_EKEY, "%s: [%.*s] %.64s: "
		    "unknown key", cfg->path, (int)slen, key, colon + 1);
	if ((rc = conf_apply(ck, val, cfg, cfg->path, ck->section, err,
	    errlen)) != CONFIG_OK)
		return rc;
	*k = (int)(ck - keys);
	return CONFIG_OK;
}

/* One key in a set of the keys given (more than 32 keys). */
#define KBIT(k)	((uint64_t)1 << (k))
_Static_assert(K_N <= 64, "the keys given fit in a uint64_t");

/* The defaults that depend on other keys; seen: the keys given. */
static int
config_derived(struct ox_config *cfg, uint64_t seen, char *err,
    size_t errlen)
{
	const char	*env;
	int		 rc;

	if (!(seen & KBIT(K_DESIGNATOR)))
		ident_designator_from(cfg->mta_name, cfg->mta_designator);
	/* partners.ini and mapping/ live beside oxgate.ini by default */
	if ((!(seen & KBIT(K_PARTNERS)) && !conf_resolve_path(cfg->path,
	    "partners.ini", cfg->partners, CONFIG_PATH_MAX)) ||
	    (!(seen & KBIT(K_MAPPING)) && !conf_resolve_path(cfg->path,
	    "mapping", cfg->mapping, CONFIG_PATH_MAX)))
		return errf(err, errlen, CONFIG_EVALUE,
		    "%s: path of the configuration directory too long",
		    cfg->path);
	if ((seen & KBIT(K_TRACE)) && (seen & KBIT(K_DATABASE)))
		return errf(err, errlen, CONFIG_EVALUE, "%s: [spool] trace and "
		    "[trace] database both given (keep [trace] database)",
		    cfg->path);
	if (!(seen & (KBIT(K_TRACE) | KBIT(K_DATABASE))) &&
	    snprintf(cfg->tracedb,
	    sizeof(cfg->tracedb), "%s/trace.db", cfg->spool) >=
	    (int)sizeof(cfg->tracedb))
		return errf(err, errlen, CONFIG_EVALUE,
		    "%s: [spool] root: path too long", cfg->path);
	if ((env = getenv("OXGATE_TRACE_DATABASE")) != NULL && *env != '\0' &&
	    (rc = conf_apply(&keys[K_DATABASE], env, cfg, cfg->path,
	    "environment", err, errlen)) != CONFIG_OK)
		return rc;
	if (!(seen & KBIT(K_GDI)))
		orname_domain(&cfg->local_domain, &cfg->gdi);
	return CONFIG_OK;
}

static int
config_from_dict(struct ox_config *cfg, const dictionary *d, char *err,
    size_t errlen)
{
	uint64_t seen = 0;
	ssize_t	 i;
	int	 k, rc;

	for (i = 0; i < d->size; i++) {
		if (d->key[i] == NULL)
			continue;
		if ((rc = config_entry(cfg, d->key[i], d->val[i] != NULL ?
		    d->val[i] : "", &k, err, errlen)) != CONFIG_OK)
			return rc;
		if (k >= 0)
			seen |= KBIT(k);
	}
	return config_derived(cfg, seen, err, errlen);
}

int
config_load(const char *path, struct ox_config *cfg, char *err,
    size_t errlen)
{
	dictionary *d;
	struct ini_names in;
	int	 rc;

	config_init(cfg);
	if ((rc = conf_load_ini(path, cfg->path, sizeof(cfg->path),
	    CONFIG_FILE_MAX, &d, &in, err, errlen)) != CONFIG_OK)
		return rc;
	ini_names_free(&in);
	rc = config_from_dict(cfg, d, err, errlen);
	iniparser_freedict(d);
	return rc;
}
