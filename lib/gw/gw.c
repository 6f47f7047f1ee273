/*
 * NAME
 *	gw - what every converter program shares (see gw.h)
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "gw/gw.h"
#include "util/afile.h"
#include "util/err.h"
#include "util/log.h"

static void
gw_mixer_drop(struct gw *g)
{
	if (g->mx != NULL) {
		mixer_free(g->mx);
		free(g->mx);
		g->mx = NULL;
	}
}

int
gw_open(struct gw *g, const char *conf, char *err, size_t errlen)
{
	memset(g, 0, sizeof(*g));
	snprintf(g->conf, sizeof(g->conf), "%s", conf);
	if (config_load(conf, &g->cfg, err, errlen) != CONFIG_OK)
		return -1;
	if (partners_load(g->cfg.partners, &g->partners, err, errlen) !=
	    CONFIG_OK)
		return -1;
	if (partners_default_local(&g->partners, &g->cfg.local_domain) < 0) {
		partners_free(&g->partners);
		return errf(err, errlen, -1, "%s: an ODETTE ID does not fit "
		    "in a domain-defined attribute", g->cfg.partners);
	}
	if (spool_create(g->cfg.spool, err, errlen) < 0 ||
	    trace_open(g->cfg.tracedb, 0, &g->trace, err, errlen) < 0) {
		partners_free(&g->partners);
		return -1;
	}
	return 0;
}

void
gw_reload(struct gw *g)
{
	struct ox_config cfg;
	struct ox_partners ps;
	char	 err[CONFIG_ERR_MAX];

	if (config_load(g->conf, &cfg, err, sizeof(err)) != CONFIG_OK ||
	    partners_load(cfg.partners, &ps, err, sizeof(err)) != CONFIG_OK) {
		log_error("reload: %s (keeping the old configuration)", err);
		return;
	}
	if (partners_default_local(&ps, &cfg.local_domain) < 0) {
		log_error("reload: %s: bad ODETTE ID (keeping the old "
		    "configuration)", cfg.partners);
		partners_free(&ps);
		return;
	}
	if (strcmp(cfg.spool, g->cfg.spool) != 0 ||
	    strcmp(cfg.tracedb, g->cfg.tracedb) != 0)
		log_warn("reload: spool root and trace database change only "
		    "on restart");
	snprintf(cfg.spool, sizeof(cfg.spool), "%s", g->cfg.spool);
	snprintf(cfg.tracedb, sizeof(cfg.tracedb), "%s", g->cfg.tracedb);
	partners_free(&g->partners);
	g->cfg = cfg;
	g->partners = ps;
	gw_mixer_drop(g);		/* the tables are read again when needed */
	log_info("reload: %s, %zu partners", g->conf, ps.n);
}

void
gw_close(struct gw *g)
{
	gw_mixer_drop(g);
	if (g->trace != NULL)
		trace_close(g->trace);
	partners_free(&g->partners);
	g->trace = NULL;
}

void
gw_queue(const struct gw *g, enum spool_queue q, char *dst, size_t size)
{
	if (spool_path(dst, size, g->cfg.spool, q) < 0)
		log_fatal(EX_CONFIG, "%s: spool root path too long",
		    g->cfg.spool);
}

static void
gw_logger(enum log_level lv, const char *msg, void *arg)
{
	(void)arg;
	log_msg(lv, "%s", msg);
}

/* One gateway per process: the queue engine's reload has the handler's arg. */
static struct gw *gw_running;

static void
gw_reload_cb(void *arg)
{
	(void)arg;
	if (gw_running != NULL)
		gw_reload(gw_running);
}

int
gw_run(struct gw *g, enum spool_queue in, int flags, int watch,
    queue_handler_fn *handler, void *arg)
{
	struct queue_opts o;
	struct queue	*q;
	char		 dir[SPOOL_PATH_MAX], failed[SPOOL_PATH_MAX];
	int		 ex;

	gw_queue(g, in, dir, sizeof(dir));
	gw_queue(g, SPOOL_FAILED, failed, sizeof(failed));
	memset(&o, 0, sizeof(o));
	o.dir = dir;
	o.failed = failed;
	o.flags = flags;
	o.handler = handler;
	o.arg = arg;
	o.logger = gw_logger;
	o.reload = gw_reload_cb;
	if (queue_open(&q, &o) < 0) {
		log_error("%s: cannot open the queue: %s", dir,
		    strerror(errno));
		return EX_TEMPFAIL;
	}
	gw_running = g;
	ex = watch ? queue_run_watch(q) : queue_run_batch(q);
	gw_running = NULL;
	queue_close(q);
	return ex;
}

int
gw_put(const struct gw *g, enum spool_queue q, const char *name,
    const void *p, size_t n)
{
	char	 dir[SPOOL_PATH_MAX];

	gw_queue(g, q, dir, sizeof(dir));
	return afile_put(dir, name, p, n);
}

const struct mixer *
gw_mixer(struct gw *g)
{
	struct stat	 st;
	struct buf	 dom;
	char		 err[512];

	if (g->mx != NULL)
		return g->mx;
	if ((g->mx = calloc(1, sizeof(*g->mx))) == NULL)
		log_fatal(EX_OSERR, "mapping tables: out of memory");
	mixer_init(g->mx);
	g->mx->ps = (enum or_ps_style)g->cfg.ps_style;
	if (stat(g->cfg.mapping, &st) == 0 && mixer_load_dir(g->mx,
	    g->cfg.mapping, err, sizeof(err)) != MIXER_OK) {
		log_error("%.400s; mapping tables not used", err);
		mixer_free(g->mx);
		mixer_init(g->mx);
		g->mx->ps = (enum or_ps_style)g->cfg.ps_style;
	}
	/* the gateway's RFC 822 domain: [x400] rfc822-domain, else the
	 * or-domain line of local-domain, else x400.invalid */
	buf_init(&dom);
	if (g->cfg.rfc822_domain[0] != '\0')
		buf_add_str(&dom, g->cfg.rfc822_domain);
	else if (mixer_lookup_or(g->mx, MIXER_OR_DOMAIN, &g->cfg.local_domain,
	    &dom, NULL) != MIXER_OK)
		buf_reset(&dom);
	if (dom.len == 0 || buf_error(&dom) || mixer_set_gateway(g->mx,
	    &g->cfg.local_domain, buf_cstr(&dom)) != MIXER_OK)
		mixer_set_gateway(g->mx, &g->cfg.local_domain, "x400.invalid");
	buf_free(&dom);
	return g->mx;
}


void
gw_mtsid_text(const struct p1_mtsid *m, char *s, size_t n)
{
	snprintf(s, n, "[%s*%s%s%s;%s]", m->gdi.c, m->gdi.admd,
	    m->gdi.has_prmd ? "*" : "", m->gdi.has_prmd ? m->gdi.prmd : "",
	    m->local);
}

void
gw_ipmid_text(const struct p22_ipmid *id, char *s, size_t n)
{
	struct buf b;

	buf_init(&b);
	if (id->has_user)
		orname_print(&id->user, &b);
	snprintf(s, n, "%s;%s", buf_cstr(&b), id->local);
	buf_free(&b);
}

/*
 * The main() of a program with the common options only: -c, -v,
 * --spool, --watch, --filter [INPUT], --help, --version. usage(code)
 * prints the program's own text and exits.
 */
int
gw_main(int argc, char **argv, struct gw *g, enum spool_queue in, int flags,
    queue_handler_fn *handler, void (*usage)(int))
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "spool", no_argument, NULL, 'S' },
		{ "watch", no_argument, NULL, 'W' },
		{ "filter", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf = NULL;
	char	 err[CONFIG_ERR_MAX], why[QUEUE_WHY_MAX];
	int	 ch, verbose = 0, spool = 0, watch = 0, filter = 0, rc;

	log_open(argv[0], 0, 0);
	while ((ch = getopt_long(argc, argv, "c:v", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'S':
			spool = 1;
			break;
		case 'W':
			watch = 1;
			break;
		case 'F':
			filter = 1;
			break;
		case 'v':
			log_set_verbose(++verbose);
			break;
		case 'h':
			usage(0);
			break;
		case 'V':
			printf("%s %s\n", log_progname(), OX_VERSION);
			return 0;
		default:
			usage(EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (spool + watch + filter != 1 || (!filter && argc > 0) || argc > 1)
		usage(EX_USAGE);
	if (conf == NULL)
		conf = config_default_path();
	if (gw_open(g, conf, err, sizeof(err)) < 0)
		log_fatal(EX_CONFIG, "%s", err);
	if (watch)
		log_open(NULL, 1, verbose);
	if (filter) {
		rc = queue_run_filter(argc ? argv[0] : NULL, NULL, handler,
		    g, why, sizeof(why));
		if (rc != EX_OK)
			log_warn("%s: %s", argc ? argv[0] : "stdin", why);
	} else
		rc = gw_run(g, in, flags, watch, handler, g);
	gw_close(g);
	return rc;
}
