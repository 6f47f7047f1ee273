/*
 * NAME
 *	gw - what every converter program shares (see gw.h)
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "gw/db.h"
#include "gw/gw.h"
#include "gw/outbox.h"
#include "oftp/sfid.h"
#include "util/afile.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/log.h"
#include "util/opt.h"
#include "util/sandbox.h"

static void
gw_mixer_drop(struct gw *g)
{
	if (g->mx != NULL) {
		mixer_free(g->mx);
		free(g->mx);
		g->mx = NULL;
	}
}

/* The content-type tables of dir into a new struct, NULL with err. */
static struct ctypes *
gw_ctypes_load(const char *dir, char *err, size_t errlen)
{
	struct ctypes	*ct;

	if ((ct = malloc(sizeof(*ct))) == NULL) {
		snprintf(err, errlen, "content-type tables: out of memory");
		return NULL;
	}
	ctypes_init(ct);
	if (ctypes_load_dir(ct, dir, err, errlen) != CTYPES_OK) {
		ctypes_free(ct);
		free(ct);
		return NULL;
	}
	return ct;
}

static void
gw_ctypes_drop(struct gw *g)
{
	if (g->ct != NULL) {
		ctypes_free(g->ct);
		free(g->ct);
		g->ct = NULL;
	}
}

int
gw_open(struct gw *g, const char *conf, char *err, size_t errlen)
{
	char	 why[SANDBOX_ERR_MAX];
	int	 r;

	memset(g, 0, sizeof(*g));
	snprintf(g->conf, sizeof(g->conf), "%s", conf);
	if (config_load(conf, &g->cfg, err, errlen) != CONFIG_OK)
		return EX_CONFIG;
	if (partners_load(g->cfg.partners, &g->partners, err, errlen) !=
	    CONFIG_OK)
		return EX_CONFIG;
	if (partners_default_local(&g->partners, &g->cfg.local_domain) < 0) {
		partners_free(&g->partners);
		return errf(err, errlen, EX_CONFIG, "%s: an ODETTE ID does "
		    "not fit in a domain-defined attribute", g->cfg.partners);
	}
	/* as root: become the spool's owner before creating anything */
	if ((r = sandbox_drop_root(g->cfg.spool, why, sizeof(why))) < 0) {
		partners_free(&g->partners);
		return errf(err, errlen, EX_CONFIG, "%s: %s", g->cfg.spool,
		    why);
	}
	if (r > 0)
		log_info("started as root, running as %s", why);
	else if (geteuid() == 0)
		log_info("running as root (%s): the converters need no root, "
		    "see INSTALL, Least privilege", why);
	/*
	 * A spool or trace that cannot be made or opened now (a full disk,
	 * a locked or unreadable database, a directory not mounted yet) is
	 * temporary; a layout that is wrong (a symbolic link) is not.
	 */
	errno = 0;
	if (spool_create(g->cfg.spool, err, errlen) < 0) {
		r = errno == ELOOP || errno == ENOTDIR ? EX_CONFIG :
		    EX_TEMPFAIL;
		partners_free(&g->partners);
		return r;
	}
	if (trace_open(g->cfg.tracedb, 0, &g->trace, err, errlen) < 0) {
		partners_free(&g->partners);
		return EX_TEMPFAIL;
	}
	return EX_OK;
}

/*
 * Open the gateway for a program's main(): a configuration error ends
 * it (78); a temporary one (75) ends a batch or filter run, while a
 * watcher logs it and tries again, after 1, 2, 4 ... 60 s, as long as it
 * takes (systemd would otherwise give up on the service).
 */
static void
gw_onterm(int sig)
{
	(void)sig;
	queue_stop_request();
}

/* A watcher's SIGTERM/SIGINT before its queue takes them over. */
static void
gw_early_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = gw_onterm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

void
gw_start(struct gw *g, const char *conf, int watch)
{
	char		 err[CONFIG_ERR_MAX];
	struct sigaction sa, old;
	unsigned	 delay = 1;
	int		 rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;	/* systemctl reload while waiting */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, &old);
	while ((rc = gw_open(g, conf, err, sizeof(err))) != EX_OK) {
		if (rc != EX_TEMPFAIL || !watch)
			log_fatal(rc, "%s", err);
		if (queue_stop_requested()) {
			log_info("stopped while waiting to start");
			exit(EX_OK);
		}
		log_warn("%s; trying again in %u s", err, delay);
		sleep(delay);
		delay = delay < 32 ? 2 * delay : 60;
	}
	sigaction(SIGHUP, &old, NULL);
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
	if (g->ct != NULL) {		/* in use: load now, keep the old if bad */
		struct ctypes *ct = gw_ctypes_load(g->cfg.mapping, err,
		    sizeof(err));

		if (ct == NULL)
			log_error("reload: %.400s (keeping the old content-type "
			    "tables)", err);
		else {
			gw_ctypes_drop(g);
			g->ct = ct;
		}
	}
	log_info("reload: %s, %zu partners", g->conf, ps.n);
}

void
gw_close(struct gw *g)
{
	gw_mixer_drop(g);
	gw_ctypes_drop(g);
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

/* A NULL-terminated list of paths for sandbox_enter(). */
struct gw_paths {
	char	**v;
	size_t	  n, cap;
};

/* Add p, or with dir_of the directory that holds p; "" adds nothing. */
static void
gw_paths_add(struct gw_paths *l, const char *p, int dir_of)
{
	char	**nv, *s, *slash;

	if (p == NULL || *p == '\0')
		return;
	if (l->n + 2 > l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		if ((nv = realloc(l->v, l->cap * sizeof(*nv))) == NULL)
			log_fatal(EX_OSERR, "sandbox: out of memory");
		l->v = nv;
	}
	if ((s = strdup(p)) == NULL)
		log_fatal(EX_OSERR, "sandbox: out of memory");
	if (dir_of) {
		if ((slash = strrchr(s, '/')) == NULL)
			strcpy(s, ".");	/* s has room: p is not empty */
		else if (slash == s)
			s[1] = '\0';	/* "/x": the root */
		else
			*slash = '\0';
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

static void
gw_paths_free(struct gw_paths *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/*
 * What the libraries read after the start: iconv modules, OpenSSL's
 * configuration and providers, locale data (/usr/lib), time zones,
 * random numbers, the process's own /proc entries (and ASan's reads
 * of /proc/self/maps). Everything else outside the lists below is out
 * of reach, execve(2) included.
 */
static const char *const gw_sys_ro[] = {
	"/usr/lib", "/usr/share/zoneinfo", "/usr/share/locale",
	"/etc/localtime", "/etc/ssl", "/dev/urandom", "/dev/null",
	"/proc/self", NULL
};

/*
 * The directory for a program's anonymous temporary files: $TMPDIR when
 * it is set, else the tmp/ of queue q of the spool (nothing reads it;
 * the files are unlinked at once). Never /tmp by default: the sandbox
 * does not open it.
 */
void
gw_tmpdir(const struct gw *g, enum spool_queue q, char *dst, size_t size)
{
	const char	*tmp = getenv("TMPDIR");
	char		 dir[SPOOL_PATH_MAX];

	if (tmp != NULL && *tmp != '\0')
		snprintf(dst, size, "%s", tmp);
	else {
		gw_queue(g, q, dir, sizeof(dir));
		snprintf(dst, size, "%s/tmp", dir);
	}
}

/*
 * The trace: SQLite writes in the directory of its file; libpq reads its
 * password and service files again when it makes a lost connection anew.
 */
static void
gw_sandbox_trace(struct gw *g, struct gw_paths *rw, struct gw_paths *ro)
{
	static const char *const env[] = { "PGPASSFILE", "PGSERVICEFILE",
	    "PGSYSCONFDIR", NULL };
	const char	*rest, *home = getenv("HOME");
	enum db_kind	 k;
	char		 p[PATH_MAX];
	size_t		 i;

	if (db_spec_kind(g->cfg.tracedb, &k, &rest) == 0 && k == DB_SQLITE) {
		gw_paths_add(rw, rest, 1);
		return;
	}
	for (i = 0; env[i] != NULL; i++)
		if (getenv(env[i]) != NULL && access(getenv(env[i]), R_OK) == 0)
			gw_paths_add(ro, getenv(env[i]), 0);
	if (home != NULL && snprintf(p, sizeof(p), "%s/.pgpass", home) <
	    (int)sizeof(p) && access(p, R_OK) == 0)
		gw_paths_add(ro, p, 0);
	if (access("/etc/postgresql-common", R_OK) == 0)
		gw_paths_add(ro, "/etc/postgresql-common", 0);
}

/* A partnership's certificates and key: read-only, by directory. */
static void
gw_sandbox_partner(struct gw_paths *ro, const struct ox_partner *p)
{
	unsigned i;

	gw_paths_add(ro, p->certificate, 1);
	gw_paths_add(ro, p->station_cert, 1);
	gw_paths_add(ro, p->station_key, 1);
	for (i = 0; i < p->nrcert; i++)
		gw_paths_add(ro, p->rcert[i].path, 1);
}

/*
 * Enter the sandbox (util/sandbox.h) unless [security] sandbox = off.
 * Read-write: the spool root, the trace database's directory, $TMPDIR
 * if it is set (nothing else outside the spool: not /tmp), the
 * directories dirs (an adapter's) and the directory of each output file
 * (filter mode).
 * Read-only: the directories of oxgate.ini, partners.ini, the
 * certificates and the key (so a reload reads them again and a renewed
 * certificate is found), the mapping directory, the input files
 * (filter mode) and gw_sys_ro. Returns the Landlock ABI in force, or 0.
 */
static int
gw_sandbox_with(struct gw *g, const char *const *inputs,
    const char *const *outputs, const char *const *dirs)
{
	struct gw_paths	 rw = { NULL, 0, 0 }, ro = { NULL, 0, 0 };
	const char	*tmp = getenv("TMPDIR");
	char		 err[SANDBOX_ERR_MAX], real[PATH_MAX];
	size_t		 i;
	int		 abi;

	if (!g->cfg.sandbox) {
		log_debug("sandbox: off ([security] sandbox in %s)", g->conf);
		return 0;
	}
	gw_paths_add(&rw, g->cfg.spool, 0);
	gw_sandbox_trace(g, &rw, &ro);
	if (tmp != NULL && *tmp != '\0')
		gw_paths_add(&rw, tmp, 0);
	for (i = 0; dirs != NULL && dirs[i] != NULL; i++)
		gw_paths_add(&rw, dirs[i], 0);
	for (i = 0; outputs != NULL && outputs[i] != NULL; i++) {
		gw_paths_add(&rw, outputs[i], 1);
		if (realpath(outputs[i], real) != NULL)	/* /dev/fd/3 */
			gw_paths_add(&rw, real, 1);
	}
	gw_paths_add(&ro, g->conf, 1);
	gw_paths_add(&ro, g->cfg.partners, 1);
	gw_paths_add(&ro, g->cfg.mapping, 0);
	gw_paths_add(&ro, g->cfg.certificate, 1);
	gw_paths_add(&ro, g->cfg.key, 1);
	for (i = 0; i < g->partners.n; i++)
		gw_sandbox_partner(&ro, &g->partners.p[i]);
	for (i = 0; inputs != NULL && inputs[i] != NULL; i++)
		gw_paths_add(&ro, inputs[i], 0);
	for (i = 0; gw_sys_ro[i] != NULL; i++)
		gw_paths_add(&ro, gw_sys_ro[i], 0);
	abi = sandbox_enter((const char *const *)rw.v,
	    (const char *const *)ro.v, err, sizeof(err));
	gw_paths_free(&rw);
	gw_paths_free(&ro);
	if (abi < 0)
		log_fatal(EX_OSERR, "%s ([security] sandbox = off to run "
		    "without)", err);
	if (abi == 0)
		log_info("sandbox: no new privileges, but no file system "
		    "sandbox: %s", err);
	else
		log_debug("sandbox: no new privileges, Landlock ABI %d: "
		    "read-write %s and the trace's directory", abi,
		    g->cfg.spool);
	return abi;
}

int
gw_sandbox(struct gw *g, const char *const *inputs,
    const char *const *outputs)
{
	return gw_sandbox_with(g, inputs, outputs, NULL);
}

int
gw_sandbox_dirs(struct gw *g, const char *const *dirs)
{
	return gw_sandbox_with(g, NULL, NULL, dirs);
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

/* The handler of gw_run(): the trace checked before each item. */
struct gw_job {
	struct gw		*g;
	queue_handler_fn	*handler;
	void			*arg;
	const char		*queue;		/* "oftp/in" */
	int			 watch;
	int			 gone;		/* the trace file went */
};

static void
gw_iso(time_t t, char *s, size_t n)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(s, n, "%Y-%m-%dT%H:%M:%SZ",
	    &tm) == 0)
		snprintf(s, n, "@%lld", (long long)t);
}

#define GW_DEFER_BUSY_MS 200	/* counting a deferral waits this long */
#define GW_BACKOFF_SLACK 5	/* s: the engine's retry timer and the
				   clock's seconds need not agree */

/* The wait before the next try after attempts failures: first doubled. */
time_t
gw_backoff(time_t first, unsigned attempts)
{
	time_t	 d = first, max = first > GW_BACKOFF_MAX ? first :
		    GW_BACKOFF_MAX;

	while (attempts-- > 1 && d < max)
		d *= 2;
	return d < max ? d : max;
}

/*
 * After the handler: a permanent outcome ends the item's deferral; a
 * temporary one is counted (attempts, next try, last error); on the last
 * attempt (final) a temporary failure that the trace can record is
 * made permanent: the queue lifetime is over.
 */
static int
gw_deferral_after(struct gw_job *j, struct queue_item *it, int rc,
    time_t now, const struct trace_deferral *d, int final)
{
	struct trace	*t = j->g->trace;
	unsigned	 n = d != NULL ? d->attempts + 1 : 1;
	time_t		 next = now + gw_backoff(GW_BACKOFF_MIN, n);
	char		 when[32], first[32];
	size_t		 len;
	int		 busy, counted;

	if (!queue_exit_temporary(rc)) {
		if (d != NULL && trace_deferral_clear(t, j->queue,
		    it->name) < 0)
			log_warn("%s: %s", it->name, trace_error(t));
		return rc;
	}
	busy = trace_set_busy(t, GW_DEFER_BUSY_MS);
	counted = trace_deferral_record(t, j->queue, it->name, now, next,
	    it->why);
	trace_set_busy(t, busy);
	if (counted < 0) {
		log_warn("%s: the temporary failure is not counted: %s",
		    it->name, trace_error(t));
		return rc;
	}
	if (final) {
		gw_iso(d->first, first, sizeof(first));
		snprintf(it->why + strlen(it->why), sizeof(it->why) -
		    strlen(it->why), " (failed for good: the queue lifetime "
		    "of %u hours is over, first failure %s, %u attempts)",
		    j->g->cfg.queue_lifetime, first, n);
		if (trace_deferral_clear(t, j->queue, it->name) < 0)
			log_warn("%s: %s", it->name, trace_error(t));
		return GW_EX_LIFETIME;
	}
	gw_iso(next, when, sizeof(when));
	len = strlen(it->why);
	snprintf(it->why + len, sizeof(it->why) - len, " (attempt %u, next "
	    "try %s%s)", n, when, j->watch ? "" : " or the next run");
	return rc;
}

static int
gw_handle(struct queue_item *it, void *arg)
{
	struct gw_job	*j = arg;
	struct trace_deferral d;
	char		 when[32];
	time_t		 now = clock_now();
	int		 found, final, rc;

	if (trace_check(j->g->trace) < 0) {
		snprintf(it->why, sizeof(it->why), "%s",
		    trace_error(j->g->trace));
		/* a database server away (PostgreSQL): wait, it comes back */
		if (trace_temporary(j->g->trace))
			return EX_TEMPFAIL;
		if (!j->gone)
			queue_stop_request();
		j->gone = 1;
		return EX_TEMPFAIL;
	}
	found = trace_deferral_get(j->g->trace, j->queue, it->name, &d);
	if (found == 1 && j->watch && d.next_try > now + GW_BACKOFF_SLACK) {
		gw_iso(d.next_try, when, sizeof(when));
		snprintf(it->why, sizeof(it->why), "backoff: next try %s "
		    "(attempt %u failed: %.300s)", when, d.attempts, d.error);
		return EX_TEMPFAIL;
	}
	final = found == 1 && now - d.first >=
	    (time_t)j->g->cfg.queue_lifetime * 3600;
	j->g->final = final;
	rc = j->handler(it, j->arg);
	j->g->final = 0;
	return gw_deferral_after(j, it, rc, now, found == 1 ? &d : NULL,
	    final);
}

/* The queue engine's groups: one trace transaction, one sync each. */
static int
gw_group(enum queue_group op, char *err, size_t errlen, void *arg)
{
	struct gw_job	*j = arg;

	char		 why[512];

	if (op == QUEUE_GROUP_BEGIN)
		return outbox_group_begin(j->g->cfg.spool, j->g->trace, err,
		    errlen);
	if (trace_check(j->g->trace) < 0) {
		/* the database went: its rows would go where nobody sees
		   them; the group is dropped (rolled back, so the end fails) */
		snprintf(err, errlen, "%s", trace_error(j->g->trace));
		trace_batch_rollback(j->g->trace);
		outbox_group_end(why, sizeof(why));
		if (!j->gone)
			queue_stop_request();
		j->gone = 1;
		return -1;
	}
	return outbox_group_end(err, errlen) == 0 ? 0 : -1;
}

int
gw_run(struct gw *g, enum spool_queue in, int flags, int watch,
    queue_handler_fn *handler, void *arg)
{
	struct queue_opts o;
	struct queue	*q;
	struct gw_job	 j = { g, handler, arg, spool_queue_name(in), watch,
	    0 };
	char		 dir[SPOOL_PATH_MAX], failed[SPOOL_PATH_MAX], err[512];
	unsigned	 delay = 1;
	size_t		 n;
	int		 ex;

	gw_sandbox(g, NULL, NULL);
	/* outputs a dead process committed and did not publish */
	if (outbox_recover(g->cfg.spool, g->trace, &n, err, sizeof(err)) < 0)
		log_warn("%s: publishing outputs committed before: %s (done "
		    "by the redo of their inputs, or at the next start)",
		    g->cfg.spool, err);
	else if (n > 0)
		log_warn("%s: published %zu output%s committed by a process "
		    "that ended before it could", g->cfg.spool, n, n == 1 ?
		    "" : "s");
	gw_queue(g, in, dir, sizeof(dir));
	gw_queue(g, SPOOL_FAILED, failed, sizeof(failed));
	memset(&o, 0, sizeof(o));
	o.dir = dir;
	o.failed = failed;
	o.flags = flags;
	o.handler = gw_handle;
	o.group = gw_group;
	o.batch = g->cfg.batch;
	o.batch_ms = g->cfg.batch_ms;
	o.arg = &j;
	o.logger = gw_logger;
	o.reload = gw_reload_cb;
	/* the engine logs which directory failed, through gw_logger */
	while (queue_open(&q, &o) < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			return EX_CONFIG;
		if (!watch)
			return EX_TEMPFAIL;
		if (queue_stop_requested())
			return EX_OK;	/* SIGTERM while waiting */
		log_warn("%s: trying again in %u s", dir, delay);
		sleep(delay);
		delay = delay < 32 ? 2 * delay : 60;
	}
	gw_running = g;
	ex = watch ? queue_run_watch(q) : queue_run_batch(q);
	gw_running = NULL;
	queue_close(q);
	if (j.gone) {
		log_error("%s; stopped: restore the trace database, or start "
		    "again to begin a new one", trace_error(g->trace));
		return EX_CONFIG;
	}
	return ex;
}

/* A bad mapping table line at run time: logged, skipped (mixer.h). */
static void
gw_mixer_warn(void *arg, const char *msg)
{
	(void)arg;
	log_warn("%.400s; line skipped (oxtrace --check-config and oxaddr "
	    "--check refuse it)", msg);
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
	g->mx->warn = gw_mixer_warn;
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

const struct ctypes *
gw_ctypes(struct gw *g)
{
	char	 err[CONFIG_ERR_MAX];

	if (g->ct == NULL && (g->ct = gw_ctypes_load(g->cfg.mapping, err,
	    sizeof(err))) == NULL) {
		gw_close(g);
		log_fatal(EX_CONFIG, "%.400s", err);
	}
	return g->ct;
}

void
gw_mtsid_text(const struct p1_mtsid *m, char *s, size_t n)
{
	snprintf(s, n, "[%s*%s%s%s;%s]", m->gdi.c, m->gdi.admd,
	    m->gdi.has_prmd ? "*" : "", m->gdi.has_prmd ? m->gdi.prmd : "",
	    m->local);
}

void
gw_oftp_id(struct trace_oftp_id *o, const struct sfid *sf)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->dsn, sizeof(o->dsn), "%s", sf->dsn);
	snprintf(o->date, sizeof(o->date), "%s", sf->date);
	snprintf(o->time, sizeof(o->time), "%s", sf->time);
	snprintf(o->orig, sizeof(o->orig), "%s", sf->orig);
	snprintf(o->dest, sizeof(o->dest), "%s", sf->dest);
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

/* The options every converter has; a program's own come after them. */
static const struct option gw_common_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "spool", no_argument, NULL, 'S' },
	{ "watch", no_argument, NULL, 'W' },
	{ "filter", no_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};
#define GW_NCOMMON (sizeof(gw_common_opts) / sizeof(gw_common_opts[0]))
#define GW_NOPTS_MAX 8		/* a program's own options */

/* The mode and files of one run, as the command line gave them. */
struct gw_args {
	const char	*conf, *input, *sfid;
	const char	*in[GW_NOPTS_MAX + 2], *out[GW_NOPTS_MAX + 1];
	int		 spool, watch, filter, verbose;
};

/*
 * The command line: the common options and the program's own (each a
 * file of filter mode); exits with usage(EX_USAGE) when it is not one
 * mode, or gives a program's own option outside filter mode.
 */
static void
gw_args(int argc, char **argv, const struct gw_prog *p, struct gw_args *a)
{
	struct option	 opts[GW_NCOMMON + GW_NOPTS_MAX + 1];
	size_t		 i, n = 0, nin = 0, nout = 0;
	int		 ch, own = 0;

	memset(a, 0, sizeof(*a));
	memcpy(opts, gw_common_opts, sizeof(gw_common_opts));
	for (i = 0; p->opts != NULL && p->opts[i].name != NULL; i++) {
		if (i == GW_NOPTS_MAX)
			log_panic("%s: more than %d options", log_progname(),
			    GW_NOPTS_MAX);
		opts[GW_NCOMMON + i] = (struct option){ p->opts[i].name,
		    required_argument, NULL, 256 + (int)i };
	}
	n = i;
	opts[GW_NCOMMON + n] = (struct option){ NULL, 0, NULL, 0 };
	while ((ch = getopt_long(argc, argv, "c:v", opts, NULL)) != -1) {
		if (ch >= 256 && ch < 256 + (int)n) {
			const struct gw_opt *o = &p->opts[ch - 256];

			*o->value = optarg;
			own = 1;
			if (o->role == GW_OPT_SFID)
				a->sfid = a->in[nin++] = optarg;
			else
				a->out[nout++] = optarg;
			continue;
		}
		switch (ch) {
		case 'c': a->conf = optarg; break;
		case 'S': a->spool = 1; break;
		case 'W': a->watch = 1; break;
		case 'F': a->filter = 1; break;
		default:
			opt_common(ch, log_progname(), &a->verbose, p->usage);
		}
	}
	argc -= optind;
	argv += optind;
	/* the older spellings of filter mode: --sfid FILE, or no mode */
	if (a->sfid != NULL || (p->filter_default && !a->spool && !a->watch))
		a->filter = 1;
	if (a->spool + a->watch + a->filter != 1 || (own && !a->filter) ||
	    (!a->filter && argc > 0) || argc > 1)
		p->usage(EX_USAGE);
	if (a->filter && (p->flags & QUEUE_PAIRS) && a->sfid == NULL) {
		for (i = 0; i < n && p->opts[i].role != GW_OPT_SFID; i++)
			;
		log_error("filter mode needs --%s FILE, the .sfid of its "
		    "input", i < n ? p->opts[i].name : "sfid");
		p->usage(EX_USAGE);
	}
	a->input = argc > 0 && strcmp(argv[0], "-") != 0 ? argv[0] : NULL;
	if (a->filter && a->input == NULL && isatty(STDIN_FILENO)) {
		log_error("filter mode reads its input from INPUT or stdin, "
		    "here a terminal; --spool or --watch for the spool");
		p->usage(EX_USAGE);
	}
	a->in[nin] = a->input;
	if (a->conf == NULL)
		a->conf = config_default_path();
}

/*
 * The main() of every converter: the common options (-c, -v, --spool,
 * --watch, --filter [INPUT], --help, --version) and the program's own,
 * the configuration, the sandbox, then the queue or the one input.
 */
int
gw_main(int argc, char **argv, struct gw *g, const struct gw_prog *p)
{
	struct gw_args	 a;
	char		 why[QUEUE_WHY_MAX];
	int		 rc;

	log_open(argv[0], 0, 0);
	gw_args(argc, argv, p, &a);
	if (a.watch)		/* a SIGTERM while starting: stop cleanly */
		gw_early_stop();
	gw_start(g, a.conf, a.watch);
	if (p->setup != NULL)
		p->setup(g);
	if (a.watch)
		log_open(NULL, 1, a.verbose);
	if (a.filter) {
		gw_sandbox(g, a.in, a.out);
		rc = queue_run_filter(a.input, a.sfid, p->handler, g, why,
		    sizeof(why));
		if (rc != EX_OK)
			log_warn("%.300s: %s", a.input != NULL ? a.input :
			    "stdin", why);
	} else
		rc = gw_run(g, p->in, p->flags, a.watch, p->handler, g);
	if (p->cleanup != NULL)
		p->cleanup();
	gw_close(g);
	return rc;
}
