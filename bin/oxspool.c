/*
 * NAME
 *	oxspool - hand files to the oxgate spool as an OFTP daemon's hook
 * SYNOPSIS
 *	oxspool [-v] [-c FILE] put [--json] [--env] [-s NAME=VALUE ...]
 *	    [PAYLOAD]
 *	oxspool [-v] [-c FILE] put --eerp [FILE]
 *	oxspool [-v] [-c FILE] check [--json] [--env] [-s NAME=VALUE ...]
 *	oxspool [-v] [-c FILE] check --sfid FILE
 *	oxspool [-v] [-c FILE] check --os4x -- PARTNER VFN PATH TMP KB IDX
 *	    DEST ORIG [DESC]
 *	oxspool [-v] [-c FILE] [--watch] demodette | inbox
 *	oxspool [-v] [-c FILE] take [--station ID [--inbound]]
 *	    [--kind file|eerp] [--timeout S] [--format shell|json]
 *	oxspool [-v] [-c FILE] done TOKEN
 *	oxspool [-v] [-c FILE] failed TOKEN [--reason TEXT] [--retry S]
 * DESCRIPTION
 *	put hands a received virtual file to oftp2x400: the payload (the
 *	file PAYLOAD, else the field filePath, else standard input) goes
 *	into spool/oftp/in/tmp, is synced and renamed into the queue, then
 *	its .sfid, the commit marker (oxgate-spool(5)). The fields of the
 *	.sfid come from, weakest first: the JSON object on standard input
 *	(--json, an Oftp4Net-style hook), the OFTP_* environment variables
 *	(--env), and -s NAME=VALUE options; NAME is any of a field's names
 *	(oftp/handin.h). fsize and osize, when not given, are the payload's
 *	size in 1 KiB blocks. The item is named after the file's OFTP
 *	identity (ident_oftp(), the same name oftp2x400 gives its
 *	message), so handing the same file in again replaces the pair that
 *	waits, never adds a second one. The name is printed.
 *	put --eerp hands a received EERP or NERP (the command's octets, as
 *	RFC 5024 5.3.9/5.3.10 or the OFTP 1.4 layout, checked that they
 *	parse; or, with --json, --env or -s, made from the answered file's
 *	fields and reasonCode / reasonText) to eerp2report, into
 *	spool/oftp/eerp.in.
 *	check answers a daemon's start-file hook before the file comes:
 *	accept_sfid() (gw/accept.h, the code oftp2x400 runs first on every
 *	file) on the fields given as to put, from a .sfid (--sfid), or as
 *	an OS4X-style start-receive script's positional arguments (--os4x);
 *	it prints "SFPA: ..." or "SFNA NN TEXT (NERP MM): WHY" and exits
 *	with the SFNA reason (0 SFPA; 65 a malformed field, SFNA 99).
 *	demodette is one run over the "in" directories of DEModette OFTP
 *	daemons (partners.ini demodette-in): each received file
 *	ID#VFN#STAMP.recv not handed in yet goes into oftp/in as put does
 *	(fields from the name and the XML sidecar, V records given their
 *	length prefixes); each EERP/NERP in oftp/eerp.out that answers such
 *	a file goes into the file's sidecar as <commit reasonCode
 *	reasonText>, the file is renamed .se2e (DEModette then sends it)
 *	and the EERP/NERP removed from the queue. Outbound (demodette-out):
 *	each pair of oftp/out for such a partner becomes ORIG#VFN#STAMP.sent
 *	after its sidecar, and each .re2e (the station's answer in the
 *	sidecar's <commit>) an EERP/NERP in oftp/eerp.in, the file .done.
 *	A .recv that can never be taken (a malformed, hostile, oversized or
 *	linked sidecar, records outside the file, a field out of its rule,
 *	a link) is answered at once: NERP 34 with the reason into <commit>,
 *	.se2e (dmo_refuse()); a .re2e whose sidecar holds no answer moves
 *	aside as .bad with a .why (dmo_aside()); what cannot be read now
 *	waits for the next run. demodette and inbox run in the converters'
 *	sandbox (gw_sandbox_dirs(): the adapter directories read-write).
 *	With --watch either runs again whenever a file arrives in one of its
 *	directories, and every 60 s, until SIGTERM.
 *	inbox is one run over the partners' inboxes (partners.ini inbox):
 *	each file, which came with no metadata, goes into oftp/in as a U
 *	file from the partner's station named after the file, dated by its
 *	mtime, the first SFIDTIME counter free; its name keeps that identity
 *	(.oxgate.DATE.TIME.DSN) until it is in oftp/in, then it is removed.
 *	take, done and failed serve a daemon that pulls what it sends: take
 *	claims the next EERP/NERP (oftp/eerp.out) or file (oftp/out),
 *	optionally for one station, for --timeout seconds (spool/claim.h)
 *	and prints its token, path and fields; with --inbound (the station
 *	opened the session) also the files held for it (spool/hold/NAME of
 *	its partnerships). done removes it and records in the trace that
 *	the file was sent (its transaction becomes sent and waits for the
 *	EERP: the partnership's eerp-timer) or that the EERP/NERP was taken;
 *	failed puts it back not to be taken before --retry seconds, doubled
 *	at each failure (counted as a deferral in the trace), or, for a file
 *	whose delivery deadline has passed, into overflow/ for the expiry
 *	sweep (oxtrace expire: NDR or NRN, as for a file never fetched).
 * EXIT STATUS
 *	check: the SFNA reason (oxspool(1) has the table). The others:
 *	sysexits(3): 0 handed in; 64 usage; 65 a field or the EERP is bad
 *	(the message names it); 66 the payload cannot be opened; 74 it
 *	cannot be read; 75 the spool cannot be written now (retry); 78
 *	configuration.
 */
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "gw/accept.h"
#include "gw/gw.h"
#include "gw/hold.h"
#include "gw/ident.h"
#include "gw/trace.h"
#include "oftp/demodette.h"
#include "oftp/eerp.h"
#include "oftp/handin.h"
#include "oftp/odette.h"
#include "oftp/records.h"
#include "spool/claim.h"
#include "spool/queue.h"
#include "spool/spool.h"
#include "util/afile.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/log.h"
#include "util/opt.h"

#define OXSPOOL_SET_MAX		64	/* -s options */

extern char	**environ;

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: oxspool [-v] [-c FILE] put [--json] [--env] "
	    "[-s NAME=VALUE ...] [PAYLOAD]\n"
	    "       oxspool [-v] [-c FILE] put --eerp [FILE]\n"
	    "       oxspool [-v] [-c FILE] check [--json] [--env] "
	    "[-s NAME=VALUE ...] | --sfid FILE\n"
	    "       oxspool [-v] [-c FILE] check --os4x -- PARTNER VFN PATH "
	    "TMP KB IDX DEST ORIG [DESC]\n"
	    "       oxspool [-v] [-c FILE] [--watch] demodette | inbox\n"
	    "       oxspool [-v] [-c FILE] take [--station ID [--inbound]] "
	    "[--kind file|eerp] [--timeout S]\n"
	    "               [--format shell|json]\n"
	    "       oxspool [-v] [-c FILE] done TOKEN\n"
	    "       oxspool [-v] [-c FILE] failed TOKEN [--reason TEXT] "
	    "[--retry S]\n"
	    "Hand a received file to the oxgate spool.\n"
	    "  put            a virtual file into oftp/in (PAYLOAD, the "
	    "field filePath,\n"
	    "                 or stdin) with its .sfid; prints its name\n"
	    "  --json         fields from one JSON object on stdin\n"
	    "  --env          fields from the OFTP_* environment\n"
	    "  -s NAME=VALUE  one field (dsn, date, ..., virtualFileName, "
	    "OFTP_FILE_DATE, ...)\n"
	    "  --eerp         an EERP/NERP command into oftp/eerp.in\n"
	    "  check          would oftp2x400 take the file? SFPA, or SFNA "
	    "and its reason\n"
	    "                 as the exit status (a start-file hook)\n"
	    "  demodette      one run over the partners' DEModette "
	    "directories\n"
	    "  inbox          one run over the partners' inboxes (files "
	    "without metadata)\n"
	    "  take           claim the next EERP/NERP or file to send "
	    "(prints its fields)\n"
	    "  done TOKEN     it was sent: remove it\n"
	    "  --inbound      the station called in: its held files too\n"
	    "  failed TOKEN   it was not: back to the queue, next try after "
	    "--retry (300 s),\n"
	    "                 doubled at each failure; overflow/ once its "
	    "delivery timer ran out\n"
	    "  -c FILE        oxgate.ini (default %s)\n"
	    "  -v             more log\n"
	    "  --help, --version\n", config_default_path());
	exit(code);
}

/* Everything of fd, at most max octets (more: EX_DATAERR). */
static void
slurp(int fd, struct buf *b, size_t max, const char *what)
{
	if (buf_read_fd(b, fd, max) == 0)
		return;
	buf_free(b);
	if (errno == EFBIG)
		log_fatal(EX_DATAERR, "%s: more than %zu octets", what, max);
	log_fatal(errno == ENOMEM ? EX_OSERR : EX_IOERR, "%s: %s", what,
	    strerror(errno));
}

/* The queue directory q of the configured spool (made when missing). */
static void
queue_dir(const struct ox_config *cfg, enum spool_queue q, char *dst,
    size_t size)
{
	char	 err[512];

	if (spool_create(cfg->spool, err, sizeof(err)) < 0)
		log_fatal(errno == ELOOP || errno == ENOTDIR ? EX_CONFIG :
		    EX_TEMPFAIL, "%s", err);
	if (spool_path(dst, size, cfg->spool, q) < 0)
		log_fatal(EX_CONFIG, "%s: path too long", cfg->spool);
}

/* A failure to write the spool: temporary unless it is the layout. */
static void
spool_fail(const char *qdir, const char *name)
{
	log_fatal(errno == ELOOP || errno == ENOTDIR ? EX_CONFIG : EX_TEMPFAIL,
	    "%s/%s: %s", qdir, name, strerror(errno));
}

/* The payload into the queue, then the .sfid: the pair committed. */
static void
put_pair(const char *qdir, const char *name, int fd, const struct sfid *s)
{
	struct afile	 a;
	struct buf	 b;
	char		 tmp[65536], sname[IDENT_SZ + 8], err[512];
	ssize_t		 r;

	if (afile_open(&a, qdir, name) < 0)
		spool_fail(qdir, "tmp");
	while ((r = read(fd, tmp, sizeof(tmp))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			afile_abort(&a);
			log_fatal(EX_IOERR, "payload: %s", strerror(errno));
		}
		if (afile_write(&a, tmp, (size_t)r) < 0)
			spool_fail(qdir, name);
	}
	buf_init(&b);
	if (sfid_write(s, &b, err, sizeof(err)) != SFID_OK) {
		afile_abort(&a);
		log_fatal(EX_DATAERR, "%s", err);
	}
	if (afile_commit(&a) < 0)
		spool_fail(qdir, name);
	snprintf(sname, sizeof(sname), "%s.sfid", name);
	if (afile_put(qdir, sname, b.p, b.len) < 0)
		spool_fail(qdir, sname);
	buf_free(&b);
}

struct put {
	int		 json, env, eerp;
	char		*set[OXSPOOL_SET_MAX];	/* -s NAME=VALUE, n of them */
	size_t		 nset;
	/* take, done, failed */
	const char	*station, *kind, *format, *reason;
	unsigned	 timeout, retry;
	int		 inbound;	/* take: the station called in */
	int		 watch;		/* demodette, inbox */
	const char	*sfid;		/* check --sfid FILE */
	int		 os4x;		/* check --os4x: positional fields */
};

/*
 * The fields from their sources, weakest first; the payload's path. 0,
 * or the exit status with one line in err naming the field.
 */
static int
put_fields(const struct put *o, struct sfid *s, char *path, size_t pathlen,
    char *err, size_t errlen)
{
	struct buf	 b;
	char		*eq, why[512];
	size_t		 i;
	int		 rc;

	if (o->json) {
		buf_init(&b);
		slurp(STDIN_FILENO, &b, HANDIN_JSON_MAX, "JSON on stdin");
		rc = handin_json(s, (const char *)b.p, b.len, path, pathlen,
		    err, errlen);
		buf_free(&b);
		if (rc != SFID_OK)
			return EX_DATAERR;
	}
	if (o->env && handin_env(s, environ, path, pathlen, err, errlen) !=
	    SFID_OK)
		return EX_DATAERR;
	for (i = 0; i < o->nset; i++) {
		if ((eq = strchr(o->set[i], '=')) == NULL)
			return errf(err, errlen, EX_USAGE, "-s %s: NAME=VALUE "
			    "expected", o->set[i]);
		*eq = '\0';
		rc = handin_set(s, o->set[i], eq + 1, path, pathlen, why,
		    sizeof(why));
		*eq = '=';
		if (rc != SFID_OK)
			return errf(err, errlen, EX_DATAERR, "-s: %s", why);
	}
	return 0;
}

/* put_fields(), a failure the end. */
static void
put_fields_or_die(const struct put *o, struct sfid *s, char *path,
    size_t pathlen)
{
	char	 err[512];
	int	 rc;

	if ((rc = put_fields(o, s, path, pathlen, err, sizeof(err))) != 0)
		log_fatal(rc, "%s", err);
}

static int
put_file(const struct ox_config *cfg, const struct put *o, const char *arg)
{
	struct sfid	 s;
	struct stat	 st;
	char		 path[HANDIN_PATH_MAX] = "", qdir[SPOOL_PATH_MAX];
	char		 id[IDENT_SZ], err[512];
	int		 fd = STDIN_FILENO;

	sfid_init(&s);
	put_fields_or_die(o, &s, path, sizeof(path));
	if (arg != NULL)
		snprintf(path, sizeof(path), "%s", arg);
	if (path[0] == '\0' && o->json)
		log_fatal(EX_USAGE, "no payload: give PAYLOAD or filePath "
		    "(stdin holds the JSON)");
	if (path[0] != '\0' && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		log_fatal(EX_NOINPUT, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		log_fatal(EX_IOERR, "payload: %s", strerror(errno));
	if (s.fsize == 0 && s.osize == 0 && S_ISREG(st.st_mode))
		s.fsize = s.osize = ((uint64_t)st.st_size + 1023) / 1024;
	if (sfid_validate(&s, err, sizeof(err)) != SFID_OK)
		log_fatal(EX_DATAERR, "%s", err);
	queue_dir(cfg, SPOOL_OFTP_IN, qdir, sizeof(qdir));
	ident_oftp(cfg->mta_designator, &s, id);
	put_pair(qdir, id, fd, &s);
	log_info("%s %s %s from %s to %s -> oftp/in/%s", s.dsn, s.date,
	    s.time, s.orig, s.dest, id);
	printf("%s\n", id);
	log_close_stdout();
	return EX_OK;
}

/*
 * check --os4x: the arguments of an OS4X-style start-receive script
 * (partner, virtual file name, final path, temporary path, size in kB,
 * partner index, SFID destination, SFID originator[, description]) as
 * fields; the ones that are not (paths, partner, index) are not used.
 */
static int
os4x_fields(int argc, char **argv, struct sfid *s, char *err, size_t errlen)
{
	static const struct {
		int		 arg;
		const char	*what, *key;
	} pos[] = {
		{ 2, "virtual file name", "dsn" },
		{ 5, "size in kB", "fsize" },
		{ 7, "SFID destination", "dest" },
		{ 8, "SFID originator", "orig" },
		{ 9, "description", "desc" },
	};
	char	 why[512];
	size_t	 i;

	for (i = 0; i < sizeof(pos) / sizeof(pos[0]); i++)
		if (pos[i].arg <= argc && handin_set(s, pos[i].key,
		    argv[pos[i].arg - 1], NULL, 0, why, sizeof(why)) != SFID_OK)
			return errf(err, errlen, EX_DATAERR, "argument %d (%s): "
			    "%s", pos[i].arg, pos[i].what, why);
	return 0;
}

/*
 * The fields check looks at, from --sfid FILE, the OS4X arguments, or
 * put's sources; SFIDDATE and SFIDTIME, which acceptance does not look
 * at and OS4X does not give, are filled when missing.
 */
static int
check_fields(const struct put *o, int argc, char **argv, struct sfid *s,
    char *err, size_t errlen)
{
	char	 path[HANDIN_PATH_MAX] = "";
	int	 rc;

	sfid_init(s);
	if (o->sfid != NULL)
		return sfid_read_file(s, o->sfid, err, errlen) == SFID_OK ? 0 :
		    EX_DATAERR;
	rc = o->os4x ? os4x_fields(argc, argv, s, err, errlen) :
	    put_fields(o, s, path, sizeof(path), err, errlen);
	if (rc != 0)
		return rc;
	if (s->date[0] == '\0' && s->time[0] == '\0')
		sfid_stamp(clock_now(), 1, s->date, s->time);
	return sfid_validate(s, err, errlen) == SFID_OK ? 0 : EX_DATAERR;
}

/*
 * check: whether oftp2x400 will take the file the fields describe, before
 * it comes (a start-file hook): accept_sfid(), the code oftp2x400 runs
 * after. Prints SFPA, or SFNA with its reason, the NERP the file would
 * get after receipt and why; the exit status is the SFNA reason (0:
 * SFPA; 65: the fields themselves are malformed, SFNA 99).
 */
static int
cmd_check(const struct ox_config *cfg, const struct put *o, int argc,
    char **argv)
{
	struct ox_partners ps;
	struct accept	 a;
	struct sfid	 s;
	char		 err[512];
	unsigned	 sfna;
	int		 rc;

	if ((rc = check_fields(o, argc, argv, &s, err, sizeof(err))) != 0) {
		if (rc == EX_DATAERR)
			printf("SFNA 99 %s (the SFID is malformed): %s\n",
			    sfna_reason_text(99), err);
		log_fatal(rc, "%s", err);
	}
	if (partners_load(cfg->partners, &ps, err, sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	if (accept_sfid(cfg, &ps, &s, &a) == 0) {
		printf("SFPA: %s from %s to %s for [%s]\n", s.dsn, s.orig,
		    s.dest, a.p->name);
		rc = EX_OK;
	} else {
		sfna = nerp_sfna(a.nerp);
		printf("SFNA %02u %s (NERP %u): %s\n", sfna,
		    sfna_reason_text(sfna), a.nerp, a.why);
		log_info("%s %s %s from %s: SFNA %02u: %s", s.dsn, s.date,
		    s.time, s.orig, sfna, a.why);
		rc = (int)sfna;
	}
	partners_free(&ps);
	log_close_stdout();
	return rc;
}

/* An EERP/NERP's identity as a .sfid's fields, orig and dest as the
 * EERP has them (for its name and for take's output). */
static void
eerp_identity(const struct eerp *e, struct sfid *s)
{
	sfid_init(s);
	snprintf(s->dsn, sizeof(s->dsn), "%s", e->dsn);
	snprintf(s->date, sizeof(s->date), "%s", e->date);
	snprintf(s->time, sizeof(s->time), "%s", e->time);
	snprintf(s->orig, sizeof(s->orig), "%s", e->orig);
	snprintf(s->dest, sizeof(s->dest), "%s", e->dest);
}

/* An EERP/NERP's name in eerp.in: the answered file's identity, kind. */
static void
eerp_item(const struct ox_config *cfg, const struct eerp *e, char *name,
    size_t size)
{
	struct sfid	 s;
	char		 id[IDENT_SZ];

	eerp_identity(e, &s);
	ident_oftp(cfg->mta_designator, &s, id);
	snprintf(name, size, "%s.%s", id, e->cmd == 'E' ? "eerp" : "nerp");
}

/*
 * An EERP or NERP from the fields of the file it answers (a hook's
 * OnDelivered / OnNotDelivered): EERPDEST is the file's originator,
 * EERPORIG its destination (RFC 5024 5.3.9, 5.3.10).
 */
static void
eerp_from_fields(const struct put *o, struct eerp *e, struct buf *b)
{
	struct sfid	 s;
	const char	*r, *t;
	char		 path[HANDIN_PATH_MAX] = "", err[512], *end;
	unsigned long	 reason = 0;

	sfid_init(&s);
	put_fields_or_die(o, &s, path, sizeof(path));
	if ((r = sfid_ox_get(&s, "reason")) != NULL)
		reason = strtoul(r, &end, 10);
	t = sfid_ox_get(&s, "reason-text");
	eerp_from_sfid(e, &s, reason == 0 ? 'E' : 'N', EERP_OFTP2);
	if (reason != 0) {
		e->reason = (unsigned)reason;
		eerp_set_text(e, t);	/* valid for NERPREAST, never a failure */
	} else
		snprintf(e->user, sizeof(e->user), "%s", s.user);
	if (eerp_build(e, b, err, sizeof(err)) != EERP_OK) {
		buf_free(b);
		log_fatal(EX_DATAERR, "%s", err);
	}
}

static int
put_eerp(const struct ox_config *cfg, const struct put *o, const char *arg)
{
	struct eerp	 e;
	struct cur	 c;
	struct buf	 b;
	char		 qdir[SPOOL_PATH_MAX], name[IDENT_SZ + 8];
	char		 err[512];
	int		 fd = STDIN_FILENO;

	buf_init(&b);
	if (o->json || o->env || o->nset)
		eerp_from_fields(o, &e, &b);
	else {
		if (arg != NULL && (fd = open(arg, O_RDONLY | O_CLOEXEC)) < 0)
			log_fatal(EX_NOINPUT, "%s: %s", arg, strerror(errno));
		slurp(fd, &b, EERP_INPUT_MAX, arg != NULL ? arg : "stdin");
		cur_init(&c, b.p, b.len);
		if (eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)) !=
		    EERP_OK) {
			buf_free(&b);
			log_fatal(EX_DATAERR, "%s: %s", arg != NULL ? arg :
			    "stdin", err);
		}
	}
	eerp_item(cfg, &e, name, sizeof(name));
	queue_dir(cfg, SPOOL_OFTP_EERP_IN, qdir, sizeof(qdir));
	if (afile_put(qdir, name, b.p, b.len) < 0)
		spool_fail(qdir, name);
	buf_free(&b);
	log_info("%s %s for %s -> oftp/eerp.in/%s", e.cmd == 'E' ? "EERP" :
	    "NERP", e.dsn, e.dest, name);
	printf("%s\n", name);
	log_close_stdout();
	return EX_OK;
}

/* --- DEModette's directories (partners.ini demodette-in) -------------- */

/* The destination of what an adapter hands in for p (adapter-dest). */
static void
dmo_dest(const struct gw *g, const struct ox_partner *p, char *dst,
    size_t size)
{
	if (p->adapter_dest[0] != '\0')
		snprintf(dst, size, "%s", p->adapter_dest);
	else if (p->userid[0] != '\0')
		snprintf(dst, size, "%s%s", PARTNER_VSTATION, p->userid);
	else
		snprintf(dst, size, "%s", g->cfg.station_id);
}

/* DIR/NAME with its state replaced by ext ("xml", "se2e", ...). */
static void
dmo_path(const char *dir, const struct dmo_name *n, const char *ext,
    char *dst, size_t size)
{
	char	 name[128];

	if (dmo_name_make(n->id, n->vfn, n->date, n->time, ext, name,
	    sizeof(name)) < 0 || (size_t)snprintf(dst, size, "%s/%s", dir,
	    name) >= size)
		dst[0] = '\0';
}

/*
 * The sidecar of n, or defaults when there is none: 0; -1 when it cannot
 * be read now (retried), DMO_BAD when it is no sidecar DEModette writes
 * (larger than DMO_XML_MAX, malformed or hostile XML: never retried).
 */
#define DMO_BAD		(-2)

static int
dmo_sidecar(const char *dir, const struct dmo_name *n, struct dmo_xml *x,
    char *err, size_t errlen)
{
	struct buf	 b;
	struct stat	 st;
	char		 path[PATH_MAX], e[400];
	int		 fd, rc;

	dmo_xml_init(x);
	dmo_path(dir, n, "xml", path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : errf(err, errlen, errno == ELOOP ?
		    DMO_BAD : -1, "sidecar: %s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		close(fd);
		return errf(err, errlen, -1, "sidecar: %s", strerror(errno));
	}
	if (!S_ISREG(st.st_mode) || st.st_size > DMO_XML_MAX) {
		close(fd);
		return errf(err, errlen, DMO_BAD, "sidecar: not a regular file "
		    "of at most %u octets", DMO_XML_MAX);
	}
	buf_init(&b);
	slurp(fd, &b, DMO_XML_MAX, path);
	close(fd);
	rc = dmo_xml_parse(x, (const char *)b.p, b.len, e, sizeof(e));
	buf_free(&b);
	return rc < 0 ? errf(err, errlen, DMO_BAD, "sidecar: %s", e) : 0;
}

/*
 * A V file: DEModette keeps its records without length prefixes and
 * lists them in the sidecar; the spool's V format has the 2-octet
 * prefix of RFC 5024 6.5. The converted payload in an anonymous file;
 * -1 when it cannot be made now, DMO_BAD when the records are not the
 * file's.
 */
static int
dmo_vrecords(const struct gw *g, int fd, const struct dmo_xml *x,
    char *err, size_t errlen)
{
	struct stat	 st;
	struct buf	 b;
	uint8_t		*m = NULL;
	char		 tmp[SPOOL_PATH_MAX];
	size_t		 i;
	int		 out, rc = 0;

	gw_tmpdir(g, SPOOL_OFTP_IN, tmp, sizeof(tmp));
	if (fstat(fd, &st) < 0 || (out = afile_anon(tmp)) < 0)
		return errf(err, errlen, -1, "%s", strerror(errno));
	if (st.st_size > 0 && (m = mmap(NULL, (size_t)st.st_size, PROT_READ,
	    MAP_PRIVATE, fd, 0)) == MAP_FAILED)
		m = NULL, rc = errf(err, errlen, -1, "%s", strerror(errno));
	buf_init(&b);
	for (i = 0; i < x->nrec && rc == 0; i++) {
		buf_reset(&b);
		if (x->rec[i].off > (uint64_t)st.st_size ||
		    x->rec[i].len > (uint64_t)st.st_size - x->rec[i].off)
			rc = errf(err, errlen, DMO_BAD, "record %zu outside "
			    "the file", i + 1);
		/* the prefix's bound only: oftp2x400 holds the file to its
		 * lrecl, and refuses it with a NERP */
		else if (rec_write(&b, 'V', SFID_LRECL_MAX, m != NULL ? m +
		    x->rec[i].off : (const uint8_t *)"", x->rec[i].len) !=
		    REC_OK)
			rc = errf(err, errlen, DMO_BAD, "record %zu: %u octets, "
			    "more than a V record can hold (%u)", i + 1,
			    (unsigned)x->rec[i].len, REC_V_MAX);
		else if (write_all(out, b.p, b.len) < 0)
			rc = errf(err, errlen, -1, "%s", strerror(errno));
	}
	buf_free(&b);
	if (m != NULL)
		munmap(m, (size_t)st.st_size);
	if (rc == 0 && lseek(out, 0, SEEK_SET) < 0)
		rc = errf(err, errlen, -1, "%s", strerror(errno));
	if (rc < 0)
		close(out);
	return rc < 0 ? rc : out;
}

/* Handed in before: waiting in oftp/in, or in the trace. */
static int
dmo_known(struct gw *g, const struct sfid *s, const char *id)
{
	struct trace_oftp_id oid;
	struct trace_row row;
	char	 q[SPOOL_PATH_MAX], path[PATH_MAX];

	gw_queue(g, SPOOL_OFTP_IN, q, sizeof(q));
	snprintf(path, sizeof(path), "%s/%s.sfid", q, id);
	if (access(path, F_OK) == 0)
		return 1;
	gw_oftp_id(&oid, s);
	return trace_find_by_oftp(g->trace, TRACE_OFTP2X400, &oid, &row) != 0;
}

static int	 dmo_answer(const struct ox_partner *, const struct eerp *);

/*
 * A received file oxgate cannot take as DEModette left it (its sidecar
 * malformed or hostile, its records not the file's, a field out of its
 * rule): answered at once with a NERP 34 (file processing failed) and
 * the reason in <commit>, the state DEModette expects for a refused
 * file (.se2e), so that it is logged once, not at every run.
 */
static void
dmo_refuse(const struct ox_partner *p, const struct sfid *s, const char *path,
    const char *why)
{
	struct eerp	 e;

	eerp_from_sfid(&e, s, 'N', EERP_OFTP2);
	e.reason = 34;
	eerp_set_text(&e, why);
	log_error("%s: %s: refused (NERP 34)", path, why);
	dmo_answer(p, &e);
}

/* The .sfid of n from its sidecar x and the payload's size. */
static int
dmo_sfid(struct sfid *s, const struct dmo_xml *x, uint64_t size, char *err,
    size_t errlen)
{
	s->format = x->format;
	s->lrecl = x->lrecl;
	snprintf(s->desc, sizeof(s->desc), "%s", x->desc);
	s->fsize = x->fsize >= 0 ? (uint64_t)x->fsize : (size + 1023) / 1024;
	s->osize = x->fsize_unpacked >= 0 ? (uint64_t)x->fsize_unpacked :
	    s->fsize;
	return sfid_validate(s, err, errlen) == SFID_OK ? 0 : DMO_BAD;
}

/*
 * One received file ID#VFN#STAMP.recv of p into oftp/in; one that can
 * never be taken refused (dmo_refuse()), one that cannot be read now
 * left for the next run.
 */
static void
dmo_import(struct gw *g, const struct ox_partner *p, const struct dmo_name *n,
    const char *path)
{
	struct dmo_xml	 x;
	struct sfid	 s;
	struct stat	 st;
	char		 err[512], id[IDENT_SZ], q[SPOOL_PATH_MAX];
	int		 fd = -1, vfd = -1, rc;

	sfid_init(&s);
	snprintf(s.dsn, sizeof(s.dsn), "%s", n->vfn);
	snprintf(s.date, sizeof(s.date), "%s", n->date);
	snprintf(s.time, sizeof(s.time), "%s", n->time);
	snprintf(s.orig, sizeof(s.orig), "%s", n->id);
	dmo_dest(g, p, s.dest, sizeof(s.dest));
	ident_oftp(g->cfg.mta_designator, &s, id);
	if (dmo_known(g, &s, id))
		return;
	if ((rc = dmo_sidecar(p->demodette_in, n, &x, err, sizeof(err))) == 0 &&
	    ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0))
		rc = errf(err, sizeof(err), errno == ELOOP ? DMO_BAD : -1,
		    "%s", strerror(errno));
	if (rc == 0 && !S_ISREG(st.st_mode))
		rc = errf(err, sizeof(err), DMO_BAD, "not a regular file");
	if (rc == 0 && x.format == 'V' && x.has_records &&
	    (vfd = dmo_vrecords(g, fd, &x, err, sizeof(err))) < 0)
		rc = vfd;
	if (rc == 0)
		rc = dmo_sfid(&s, &x, (uint64_t)st.st_size, err, sizeof(err));
	if (rc == 0) {
		gw_queue(g, SPOOL_OFTP_IN, q, sizeof(q));
		put_pair(q, id, vfd >= 0 ? vfd : fd, &s);
		log_info("%s -> oftp/in/%s", path, id);
	} else if (rc == DMO_BAD)
		dmo_refuse(p, &s, path, err);
	else
		log_error("%s: %s (tried again at the next run)", path, err);
	if (fd >= 0)
		close(fd);
	if (vfd >= 0)
		close(vfd);
	dmo_xml_free(&x);
}

/* Every ID#VFN#STAMP.recv in p's demodette-in. */
static void
dmo_scan(struct gw *g, const struct ox_partner *p)
{
	struct dmo_name	 n;
	struct dirent	*de;
	DIR		*d;
	char		 path[PATH_MAX], err[256];

	if ((d = opendir(p->demodette_in)) == NULL) {
		log_error("[%s] demodette-in %s: %s", p->name, p->demodette_in,
		    strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (dmo_name_parse(de->d_name, &n, err, sizeof(err)) < 0 ||
		    strcmp(n.state, "recv") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", p->demodette_in,
		    de->d_name);
		dmo_import(g, p, &n, path);
	}
	closedir(d);
}

/*
 * The EERP/NERP oxgate made for a file DEModette received: into its
 * sidecar's <commit>, the file renamed .se2e (the daemon sends it). 1
 * when the file is DEModette's (answered now or before), 0 when not.
 */
static int
dmo_answer(const struct ox_partner *p, const struct eerp *e)
{
	struct dmo_name	 n;
	struct dmo_xml	 x;
	struct buf	 b;
	char		 recv[PATH_MAX], se2e[PATH_MAX], xml[PATH_MAX];
	char		 err[512];

	memset(&n, 0, sizeof(n));
	snprintf(n.id, sizeof(n.id), "%s", e->dest);
	snprintf(n.vfn, sizeof(n.vfn), "%s", e->dsn);
	snprintf(n.date, sizeof(n.date), "%s", e->date);
	snprintf(n.time, sizeof(n.time), "%s", e->time);
	dmo_path(p->demodette_in, &n, "recv", recv, sizeof(recv));
	dmo_path(p->demodette_in, &n, "se2e", se2e, sizeof(se2e));
	dmo_path(p->demodette_in, &n, "xml", xml, sizeof(xml));
	if (access(recv, F_OK) < 0)	/* answered before, or not ours */
		return access(se2e, F_OK) == 0 ? 1 : 0;
	if (dmo_sidecar(p->demodette_in, &n, &x, err, sizeof(err)) < 0) {
		log_warn("%s: %s: written anew with the answer", xml, err);
		dmo_xml_free(&x);
	}
	x.has_commit = 1;
	x.reason = e->cmd == 'E' ? 0 : e->reason;
	snprintf(x.reason_text, sizeof(x.reason_text), "%s", e->text);
	buf_init(&b);
	if (dmo_xml_build(&x, &b) < 0)
		log_fatal(EX_OSERR, "out of memory");
	if (afile_replace(xml, b.p, b.len) < 0 || rename(recv, se2e) < 0 ||
	    fsync_dir(p->demodette_in) < 0)
		log_fatal(EX_TEMPFAIL, "%s: %s", recv, strerror(errno));
	log_info("%s: %s %u -> %s", recv, e->cmd == 'E' ? "EERP" : "NERP",
	    x.reason, se2e);
	buf_free(&b);
	dmo_xml_free(&x);
	return 1;
}

/* Each EERP/NERP in oftp/eerp.out that answers a DEModette file. */
static void
dmo_responses(struct gw *g)
{
	struct dirent	*de;
	struct eerp	 e;
	struct buf	 b;
	struct cur	 c;
	DIR		*d;
	char		 q[SPOOL_PATH_MAX], path[PATH_MAX], err[256];
	size_t		 i;
	int		 fd, done;

	gw_queue(g, SPOOL_OFTP_EERP_OUT, q, sizeof(q));
	if ((d = opendir(q)) == NULL)
		log_fatal(EX_TEMPFAIL, "%s: %s", q, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", q, de->d_name);
		if (de->d_name[0] == '.' || strcmp(de->d_name, "tmp") == 0 ||
		    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		buf_init(&b);
		slurp(fd, &b, EERP_INPUT_MAX, path);
		close(fd);
		cur_init(&c, b.p, b.len);
		done = 0;
		if (eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)) == EERP_OK)
			for (i = 0; i < g->partners.n && !done; i++)
				if (g->partners.p[i].demodette_in[0] != '\0')
					done = dmo_answer(&g->partners.p[i], &e);
		if (done && (unlink(path) < 0 || fsync_dir(q) < 0))
			log_fatal(EX_TEMPFAIL, "%s: %s", path, strerror(errno));
		buf_free(&b);
	}
	closedir(d);
}

/* --- DEModette, outbound (partners.ini demodette-out) ----------------- */

/* A V payload as DEModette keeps it: the records without prefixes. */
static int
dmo_strip_v(const struct sfid *s, const uint8_t *p, size_t n, struct buf *out,
    struct dmo_xml *x, char *err, size_t errlen)
{
	struct rec_iter	 it;
	struct rec	 r;
	struct cur	 c;
	struct dmo_rec	*nv;
	int		 rc;

	cur_init(&c, p, n);
	rec_iter_init(&it, &c, 'V', s->lrecl, 0);
	x->has_records = 1;
	while ((rc = rec_next(&it, &r)) == REC_OK) {
		if (x->nrec == x->caprec) {
			x->caprec = x->caprec ? 2 * x->caprec : 64;
			if ((nv = reallocarray(x->rec, x->caprec,
			    sizeof(*nv))) == NULL)
				log_fatal(EX_OSERR, "out of memory");
			x->rec = nv;
		}
		x->rec[x->nrec].off = out->len;
		x->rec[x->nrec++].len = (uint32_t)r.len;
		if (!buf_add(out, r.p, r.len))
			log_fatal(EX_OSERR, "out of memory");
	}
	if (rc != REC_END) {
		rec_errmsg(&it, err, errlen);
		return -1;
	}
	return 0;
}

/* Already handed to DEModette: NAME in any outbound state. */
static int
dmo_exported(const char *dir, const struct dmo_name *n)
{
	static const char *const st[] = { "sent", "we2e", "re2e", "done" };
	char	 path[PATH_MAX];
	size_t	 i;

	for (i = 0; i < 4; i++) {
		dmo_path(dir, n, st[i], path, sizeof(path));
		if (access(path, F_OK) == 0)
			return 1;
	}
	return 0;
}

/* The payload (and its sidecar first) into DIR as NAME.sent. */
static int
dmo_write_sent(const char *dir, const struct dmo_name *n,
    const struct buf *xml, const void *p, size_t len)
{
	char	 xpath[PATH_MAX], sent[PATH_MAX], tmp[PATH_MAX + 8];
	int	 fd;

	dmo_path(dir, n, "xml", xpath, sizeof(xpath));
	dmo_path(dir, n, "sent", sent, sizeof(sent));
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, strrchr(sent, '/') + 1);
	if (afile_replace(xpath, xml->p, xml->len) < 0 ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0)
		return -1;
	if (write_all(fd, p, len) < 0 || fsync(fd) < 0 || close(fd) < 0 ||
	    rename(tmp, sent) < 0 || fsync_dir(dir) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* One pair NAME + NAME.sfid of oftp/out to p's DEModette out/. */
static void
dmo_export(const struct ox_partner *p, const char *q, const char *name,
    const struct sfid *s)
{
	struct dmo_name	 n;
	struct dmo_xml	 x;
	struct buf	 v, xml;
	struct stat	 st;
	char		 path[PATH_MAX], err[512];
	uint8_t		*m = NULL;
	int		 fd, ok = 0;

	memset(&n, 0, sizeof(n));
	snprintf(n.id, sizeof(n.id), "%s", s->orig);
	snprintf(n.vfn, sizeof(n.vfn), "%s", s->dsn);
	snprintf(n.date, sizeof(n.date), "%s", s->date);
	snprintf(n.time, sizeof(n.time), "%s", s->time);
	snprintf(path, sizeof(path), "%s/%s", q, name);
	dmo_xml_init(&x);
	x.format = s->format;
	x.lrecl = s->lrecl;
	x.fsize = (int64_t)s->fsize;
	x.fsize_unpacked = (int64_t)s->osize;
	snprintf(x.desc, sizeof(x.desc), "%s", s->desc);
	snprintf(x.dest, sizeof(x.dest), "%s", s->dest);
	buf_init(&v);
	buf_init(&xml);
	if (s->sec != 0 || s->comp != 0 || s->env != 0)
		log_error("%s: secured by oxgate; DEModette secures files "
		    "itself: partnership [%s] without sign, encrypt and "
		    "compress", path, p->name);
	else if (dmo_exported(p->demodette_out, &n))
		ok = 1;			/* a run before died after the copy */
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0)
		log_error("%s: %s", path, strerror(errno));
	else {
		m = st.st_size > 0 ? mmap(NULL, (size_t)st.st_size, PROT_READ,
		    MAP_PRIVATE, fd, 0) : (uint8_t *)"";
		close(fd);
		if (m == MAP_FAILED)
			log_error("%s: %s", path, strerror(errno));
		else if (s->format == 'V' && dmo_strip_v(s, m,
		    (size_t)st.st_size, &v, &x, err, sizeof(err)) < 0)
			log_error("%s: %s", path, err);
		else if (dmo_xml_build(&x, &xml) < 0 ||
		    dmo_write_sent(p->demodette_out, &n, &xml, s->format == 'V' ?
		    v.p : m, s->format == 'V' ? v.len : (size_t)st.st_size) < 0)
			log_error("%s: %s", p->demodette_out, strerror(errno));
		else
			ok = 1;
		if (m != MAP_FAILED && st.st_size > 0)
			munmap(m, (size_t)st.st_size);
	}
	if (ok) {	/* taken: the commit marker first, then the payload */
		snprintf(path, sizeof(path), "%s/%s.sfid", q, name);
		if (unlink(path) < 0 || (path[strlen(path) - 5] = '\0',
		    unlink(path)) < 0 || fsync_dir(q) < 0)
			log_fatal(EX_TEMPFAIL, "%s: %s", path, strerror(errno));
		log_info("oftp/out/%s -> %s/%s#%s#%s%s.sent", name,
		    p->demodette_out, n.id, n.vfn, n.date, n.time);
	}
	buf_free(&v);
	buf_free(&xml);
	dmo_xml_free(&x);
}

/* Each committed pair of oftp/out for a partner with demodette-out. */
static void
dmo_outbound(struct gw *g)
{
	const struct ox_partner *p;
	struct dirent	*de;
	struct sfid	 s;
	DIR		*d;
	char		 q[SPOOL_PATH_MAX], path[PATH_MAX], name[NAME_MAX + 1];
	char		 err[512];
	size_t		 n;

	gw_queue(g, SPOOL_OFTP_OUT, q, sizeof(q));
	if ((d = opendir(q)) == NULL)
		log_fatal(EX_TEMPFAIL, "%s: %s", q, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n <= 5 || strcmp(de->d_name + n - 5, ".sfid") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(n - 5), de->d_name);
		snprintf(path, sizeof(path), "%s/%s", q, de->d_name);
		if (sfid_read_file(&s, path, err, sizeof(err)) != SFID_OK) {
			log_error("%s", err);
			continue;
		}
		if ((p = partner_by_odette(&g->partners, s.dest)) != NULL &&
		    p->demodette_out[0] != '\0')
			dmo_export(p, q, name, &s);
	}
	closedir(d);
}

/*
 * A .re2e whose sidecar says no answer (malformed, hostile, no <commit>):
 * neither an EERP nor a NERP can be made of it. Moved aside as NAME.bad,
 * which DEModette and oxspool leave alone, with the reason in NAME.why
 * (written first), so that it is logged once and the operator sees it.
 */
static void
dmo_aside(const char *dir, const struct dmo_name *n, const char *why)
{
	char	 re2e[PATH_MAX], bad[PATH_MAX], whyp[PATH_MAX], text[600];
	int	 len;

	dmo_path(dir, n, "re2e", re2e, sizeof(re2e));
	dmo_path(dir, n, "bad", bad, sizeof(bad));
	dmo_path(dir, n, "why", whyp, sizeof(whyp));
	len = snprintf(text, sizeof(text), "%s\n", why);
	if (afile_replace(whyp, text, (size_t)len < sizeof(text) ? (size_t)len :
	    sizeof(text) - 1) < 0 || rename(re2e, bad) < 0 || fsync_dir(dir) < 0)
		log_fatal(EX_TEMPFAIL, "%s: %s", re2e, strerror(errno));
	log_error("%s: %s: moved aside as %s", re2e, why, bad);
}

/* An end-to-end response DEModette received (NAME.re2e) into eerp.in. */
static void
dmo_e2e(struct gw *g, const struct ox_partner *p, const struct dmo_name *n)
{
	struct dmo_xml	 x;
	struct eerp	 e;
	struct sfid	 s;
	struct buf	 b;
	char		 re2e[PATH_MAX], done[PATH_MAX], q[SPOOL_PATH_MAX];
	char		 name[IDENT_SZ + 8], err[512];
	int		 rc;

	dmo_path(p->demodette_out, n, "re2e", re2e, sizeof(re2e));
	dmo_path(p->demodette_out, n, "done", done, sizeof(done));
	if ((rc = dmo_sidecar(p->demodette_out, n, &x, err, sizeof(err))) ==
	    -1)
		log_error("%s: %s (tried again at the next run)", re2e, err);
	else if (rc == DMO_BAD || !x.has_commit)
		dmo_aside(p->demodette_out, n, rc == 0 ? "sidecar: no <commit>" :
		    err);
	if (rc != 0 || !x.has_commit) {
		dmo_xml_free(&x);
		return;
	}
	/* the file it answers: ours (the name's ID) to the station */
	sfid_init(&s);
	snprintf(s.dsn, sizeof(s.dsn), "%s", n->vfn);
	snprintf(s.date, sizeof(s.date), "%s", n->date);
	snprintf(s.time, sizeof(s.time), "%s", n->time);
	snprintf(s.orig, sizeof(s.orig), "%s", n->id);
	snprintf(s.dest, sizeof(s.dest), "%s", x.dest[0] ? x.dest : p->odette);
	eerp_from_sfid(&e, &s, x.reason == 0 ? 'E' : 'N', EERP_OFTP2);
	if (x.reason != 0) {
		e.reason = x.reason;
		eerp_set_text(&e, x.reason_text);
	}
	buf_init(&b);
	gw_queue(g, SPOOL_OFTP_EERP_IN, q, sizeof(q));
	eerp_item(&g->cfg, &e, name, sizeof(name));
	if (eerp_build(&e, &b, err, sizeof(err)) != EERP_OK)
		log_error("%s: %s", re2e, err);
	else if (afile_put(q, name, b.p, b.len) < 0)
		spool_fail(q, name);
	else if (rename(re2e, done) < 0 || fsync_dir(p->demodette_out) < 0)
		log_fatal(EX_TEMPFAIL, "%s: %s", re2e, strerror(errno));
	else
		log_info("%s: %s -> oftp/eerp.in/%s", re2e, e.cmd == 'E' ?
		    "EERP" : "NERP", name);
	buf_free(&b);
	dmo_xml_free(&x);
}

/* Every NAME.re2e in p's demodette-out. */
static void
dmo_scan_out(struct gw *g, const struct ox_partner *p)
{
	struct dmo_name	 n;
	struct dirent	*de;
	DIR		*d;
	char		 err[256];

	if ((d = opendir(p->demodette_out)) == NULL) {
		log_error("[%s] demodette-out %s: %s", p->name,
		    p->demodette_out, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (dmo_name_parse(de->d_name, &n, err, sizeof(err)) == 0 &&
		    strcmp(n.state, "re2e") == 0)
			dmo_e2e(g, p, &n);
	closedir(d);
}

/* demodette: one run over every partner's DEModette directory. */
static int
demodette(struct gw *g)
{
	size_t		 i;

	for (i = 0; i < g->partners.n; i++) {
		if (g->partners.p[i].demodette_in[0] != '\0')
			dmo_scan(g, &g->partners.p[i]);
		if (g->partners.p[i].demodette_out[0] != '\0')
			dmo_scan_out(g, &g->partners.p[i]);
	}
	dmo_responses(g);
	dmo_outbound(g);
	return EX_OK;
}

/* --- a plain inbox (partners.ini inbox): files with no metadata ------- */

#define INBOX_TAKEN	".oxgate."	/* .oxgate.DATE.TIME.DSN: taken */

/* The .sfid of an inbox file of p: U, from p's station, dsn/date/time. */
static void
inbox_sfid(const struct gw *g, const struct ox_partner *p, struct sfid *s,
    uint64_t size)
{
	sfid_init(s);
	snprintf(s->orig, sizeof(s->orig), "%s", p->odette);
	dmo_dest(g, p, s->dest, sizeof(s->dest));
	s->format = 'U';
	s->fsize = s->osize = (size + 1023) / 1024;
}

/*
 * A taken file .oxgate.DATE.TIME.DSN into oftp/in, unless a run before
 * did that and died before removing it; then removed.
 */
static void
inbox_put(struct gw *g, const struct ox_partner *p, const char *hidden)
{
	struct sfid	 s;
	struct stat	 st;
	char		 path[PATH_MAX], q[SPOOL_PATH_MAX], id[IDENT_SZ];
	char		 err[512];
	int		 fd;

	snprintf(path, sizeof(path), "%s/%s", p->inbox, hidden);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0)
		log_fatal(EX_TEMPFAIL, "%s: %s", path, strerror(errno));
	inbox_sfid(g, p, &s, (uint64_t)st.st_size);
	if (sscanf(hidden + strlen(INBOX_TAKEN), "%8[0-9].%10[0-9].%26s",
	    s.date, s.time, s.dsn) != 3 ||
	    sfid_validate(&s, err, sizeof(err)) != SFID_OK) {
		log_error("%s: not a name oxspool gave: left", path);
		close(fd);
		return;
	}
	ident_oftp(g->cfg.mta_designator, &s, id);
	if (!dmo_known(g, &s, id)) {
		gw_queue(g, SPOOL_OFTP_IN, q, sizeof(q));
		put_pair(q, id, fd, &s);
		log_info("%s/%s -> oftp/in/%s", p->inbox, s.dsn, id);
	}
	close(fd);
	if (unlink(path) < 0 || fsync_dir(p->inbox) < 0)
		log_fatal(EX_TEMPFAIL, "%s: %s", path, strerror(errno));
}

/*
 * A new file of the inbox taken: its identity chosen (the dataset name
 * from the file name, date and time from its mtime, the first SFIDTIME
 * counter no file has) and kept in its new name, .oxgate.DATE.TIME.DSN,
 * so that a run that dies after this hands in the same identity.
 */
static void
inbox_take(struct gw *g, const struct ox_partner *p, const char *name)
{
	struct sfid	 s;
	struct stat	 st;
	char		 path[PATH_MAX], hidden[PATH_MAX], id[IDENT_SZ];
	unsigned	 k;

	snprintf(path, sizeof(path), "%s/%s", p->inbox, name);
	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_warn("%s: not a regular file: left", path);
		return;
	}
	inbox_sfid(g, p, &s, (uint64_t)st.st_size);
	sfid_dsn_from(name, s.dsn);
	if (s.dsn[0] == '\0')
		snprintf(s.dsn, sizeof(s.dsn), "FILE");
	for (k = 1; k <= 9999; k++) {
		sfid_stamp(st.st_mtime, k, s.date, s.time);
		ident_oftp(g->cfg.mta_designator, &s, id);
		snprintf(hidden, sizeof(hidden), "%s/%s%s.%s.%s", p->inbox,
		    INBOX_TAKEN, s.date, s.time, s.dsn);
		if (!dmo_known(g, &s, id) && access(hidden, F_OK) < 0)
			break;
	}
	if (k > 9999) {
		log_error("%s: 9999 files of that second: left", path);
		return;
	}
	if (rename(path, hidden) < 0 || fsync_dir(p->inbox) < 0)
		log_fatal(EX_TEMPFAIL, "%s: %s", path, strerror(errno));
	inbox_put(g, p, strrchr(hidden, '/') + 1);
}

/* inbox: every partner's inbox once. */
static int
inbox(struct gw *g)
{
	struct dirent	*de;
	DIR		*d;
	size_t		 i;

	for (i = 0; i < g->partners.n; i++) {
		if (g->partners.p[i].inbox[0] == '\0')
			continue;
		if ((d = opendir(g->partners.p[i].inbox)) == NULL) {
			log_error("[%s] inbox %s: %s", g->partners.p[i].name,
			    g->partners.p[i].inbox, strerror(errno));
			continue;
		}
		/* what a run before took first, then the new files */
		while ((de = readdir(d)) != NULL)
			if (strncmp(de->d_name, INBOX_TAKEN,
			    strlen(INBOX_TAKEN)) == 0)
				inbox_put(g, &g->partners.p[i], de->d_name);
		rewinddir(d);
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				inbox_take(g, &g->partners.p[i], de->d_name);
		closedir(d);
	}
	return EX_OK;
}

/* --- --watch for demodette and inbox ---------------------------------- */

static volatile sig_atomic_t watch_stop;

static void
on_term(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void
watch_add(int ifd, const char *dir)
{
	if (dir[0] != '\0' && inotify_add_watch(ifd, dir, IN_MOVED_TO |
	    IN_CLOSE_WRITE | IN_ONLYDIR) < 0)
		log_error("watch %s: %s", dir, strerror(errno));
}

/*
 * The run again whenever a file arrives in one of its directories (the
 * partners' adapter directories, oftp/out, oftp/eerp.out) and at least
 * every 60 s, until SIGTERM or SIGINT.
 */
static int
watch_run(struct gw *g, int (*run)(struct gw *))
{
	struct sigaction sa;
	struct pollfd	 pfd;
	char		 buf[4096], q[SPOOL_PATH_MAX];
	size_t		 i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((pfd.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		log_fatal(EX_OSERR, "inotify: %s", strerror(errno));
	pfd.events = POLLIN;
	for (i = 0; i < g->partners.n; i++) {
		watch_add(pfd.fd, g->partners.p[i].demodette_in);
		watch_add(pfd.fd, g->partners.p[i].demodette_out);
		watch_add(pfd.fd, g->partners.p[i].inbox);
	}
	gw_queue(g, SPOOL_OFTP_OUT, q, sizeof(q));
	watch_add(pfd.fd, q);
	gw_queue(g, SPOOL_OFTP_EERP_OUT, q, sizeof(q));
	watch_add(pfd.fd, q);
	while (!watch_stop) {
		run(g);
		if (poll(&pfd, 1, 60000) > 0)
			while (read(pfd.fd, buf, sizeof(buf)) > 0)
				;
	}
	close(pfd.fd);
	return EX_OK;
}

/* --- take, done, failed: for a daemon that pulls ---------------------- */

struct take {
	const struct put *o;
	int		 json;
	json_t		*obj;
};

/*
 * take --station: the file's SFIDDEST, or the EERP's EERPDEST, compared
 * as ODETTE IDs (odette_id_eq: upper-cased).
 */
static int
station_filter(const char *name, const char *path, void *arg)
{
	const struct put *o = arg;
	struct sfid	 s;
	struct eerp	 e;
	struct buf	 b;
	struct cur	 c;
	char		 err[256];
	int		 fd, ok = 0;

	(void)name;
	if (o->station == NULL)
		return 1;
	if (strcmp(path + strlen(path) - (strlen(path) > 5 ? 5 : 0),
	    ".sfid") == 0)
		return sfid_read_file(&s, path, err, sizeof(err)) == SFID_OK &&
		    odette_id_eq(s.dest, o->station);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	buf_init(&b);
	slurp(fd, &b, EERP_INPUT_MAX, path);
	close(fd);
	cur_init(&c, b.p, b.len);
	ok = eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)) == EERP_OK &&
	    odette_id_eq(e.dest, o->station);
	buf_free(&b);
	return ok;
}

/* One NAME=value of take's output (shell: quoted for sh's eval). */
static void
emit(const char *json, const char *env, const char *v, void *arg)
{
	struct take	*t = arg;
	const char	*q;

	if (t->json) {
		json_object_set_new(t->obj, json, json_string(v));
		return;
	}
	printf("%s='", env);
	for (q = v; *q != '\0'; q++)
		if (*q == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*q);
	fputs("'\n", stdout);
}

/* The claimed item's fields: the .sfid's, or the EERP/NERP's. */
static void
take_print(struct take *t, const struct claim *c, const char *kind)
{
	struct sfid	 s;
	struct eerp	 e;
	struct buf	 b;
	struct cur	 cu;
	char		 path[PATH_MAX + 8], err[512], r[16];
	int		 fd;

	t->obj = t->json ? json_object() : NULL;
	emit("token", "OFTP_TOKEN", c->token, t);
	emit("kind", "OFTP_KIND", kind, t);
	emit("filePath", "OFTP_FILE_PATH", c->path, t);
	if (strcmp(kind, "file") == 0) {
		snprintf(path, sizeof(path), "%s.sfid", c->path);
		if (sfid_read_file(&s, path, err, sizeof(err)) != SFID_OK)
			log_fatal(EX_DATAERR, "%s", err);
		handin_each(&s, emit, t);
	} else if ((fd = open(c->path, O_RDONLY | O_CLOEXEC)) >= 0) {
		buf_init(&b);
		slurp(fd, &b, EERP_INPUT_MAX, c->path);
		close(fd);
		cur_init(&cu, b.p, b.len);
		if (eerp_parse(&e, &cu, EERP_ANY, err, sizeof(err)) != EERP_OK)
			log_fatal(EX_DATAERR, "%s: %s", c->path, err);
		eerp_identity(&e, &s);
		handin_each(&s, emit, t);
		snprintf(r, sizeof(r), "%u", e.cmd == 'E' ? 0 : e.reason);
		emit("reasonCode", "OFTP_REASON_CODE", r, t);
		emit("reasonText", "OFTP_REASON_TEXT", e.text, t);
		buf_free(&b);
	}
	if (t->json) {
		json_dumpf(t->obj, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(t->obj);
	}
}

/* The queues a puller takes from, EERP/NERPs first. */
static const struct {
	const char	*kind;
	enum spool_queue q;
	int		 flags;
} pull[] = {
	{ "eerp", SPOOL_OFTP_EERP_OUT, 0 },
	{ "file", SPOOL_OFTP_OUT, QUEUE_PAIRS },
};

/*
 * take --station ID --inbound: the station opened the session, so the
 * files held for its partnerships (spool/hold/NAME, oxgate-spool(5))
 * are sent in it too (seed: "werden diese Dateien innerhalb dieser
 * Session uebertragen"), after oftp/out's.
 */
static void
take_held(const struct ox_config *cfg, struct take *t)
{
	struct ox_partners ps;
	struct claim	 c;
	char		 q[SPOOL_PATH_MAX], err[512];
	size_t		 i;
	int		 r = 0;

	if (partners_load(cfg->partners, &ps, err, sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	for (i = 0; i < ps.n && r == 0; i++) {
		if (!odette_id_eq(ps.p[i].odette, t->o->station) ||
		    hold_dir(q, sizeof(q), cfg->spool, ps.p[i].name) < 0 ||
		    access(q, F_OK) < 0)
			continue;
		if ((r = claim_take(q, QUEUE_PAIRS, clock_now(), t->o->timeout,
		    station_filter, (void *)t->o, &c, err, sizeof(err))) < 0)
			log_fatal(EX_TEMPFAIL, "%s", err);
		if (r == 1) {
			take_print(t, &c, "file");
			log_info("%s: %s (held) claimed as %s until %lld for an "
			    "inbound session", q, c.name, c.token,
			    (long long)c.until);
		}
	}
	partners_free(&ps);
}

static int
cmd_take(const struct ox_config *cfg, const struct put *o)
{
	struct take	 t = { o, o->format != NULL &&
			    strcmp(o->format, "json") == 0, NULL };
	struct claim	 c;
	char		 q[SPOOL_PATH_MAX], err[512];
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(pull) / sizeof(pull[0]); i++) {
		if (o->kind != NULL && strcmp(o->kind, pull[i].kind) != 0)
			continue;
		queue_dir(cfg, pull[i].q, q, sizeof(q));
		r = claim_take(q, pull[i].flags, clock_now(), o->timeout,
		    station_filter, (void *)o, &c, err, sizeof(err));
		if (r < 0)
			log_fatal(EX_TEMPFAIL, "%s", err);
		if (r == 1) {
			take_print(&t, &c, pull[i].kind);
			log_info("%s: %s claimed as %s until %lld", q, c.name,
			    c.token, (long long)c.until);
			break;
		}
	}
	if (i == sizeof(pull) / sizeof(pull[0]) && o->inbound &&
	    (o->kind == NULL || strcmp(o->kind, "file") == 0))
		take_held(cfg, &t);
	log_close_stdout();
	return EX_OK;
}

/*
 * done / failed: the trace and the partnerships, for what the file's
 * transaction learns (sent, not sent) and its timers.
 */
struct fin {
	struct ox_partners	 ps;
	struct trace		*t;
	time_t			 now;
	char			 q[SPOOL_PATH_MAX];	/* the claim's queue */
	char			 rel[SPOOL_PATH_MAX];	/* the same, relative */
	int			 flags;
	int			 file;			/* a file, not an EERP */
};

/* The i-th queue a claim can be in: pull[], then each hold directory. */
static int
fin_queue(const struct ox_config *cfg, struct fin *f, size_t i)
{
	size_t	 np = sizeof(pull) / sizeof(pull[0]);

	if (i < np) {
		queue_dir(cfg, pull[i].q, f->q, sizeof(f->q));
		snprintf(f->rel, sizeof(f->rel), "%s",
		    spool_queue_name(pull[i].q));
		f->flags = pull[i].flags;
		f->file = pull[i].q == SPOOL_OFTP_OUT;
		return 1;
	}
	if (i - np >= f->ps.n)
		return 0;
	if (hold_dir(f->q, sizeof(f->q), cfg->spool, f->ps.p[i - np].name) < 0)
		return -1;
	snprintf(f->rel, sizeof(f->rel), "%s/%s", HOLD_DIR,
	    f->ps.p[i - np].name);
	f->flags = QUEUE_PAIRS;
	f->file = 1;
	return 1;
}

/*
 * The x4002oftp row of the claimed file: found by the OFTP identity of
 * its .sfid (a transaction per file of a message, schema 8), the
 * gateway's files being those with an mts-id. 1, 0.
 */
static int
fin_row(struct fin *f, const struct claim *c, struct trace_row *r)
{
	struct trace_oftp_id oid;
	struct sfid	 sf;
	char		 path[PATH_MAX + 8], err[512];
	int		 rc;

	snprintf(path, sizeof(path), "%s.sfid", c->path);
	if (sfid_read_file(&sf, path, err, sizeof(err)) != SFID_OK ||
	    sfid_ox_get(&sf, "mts-id") == NULL)
		return 0;		/* not one of the gateway's */
	gw_oftp_id(&oid, &sf);
	if ((rc = trace_find_by_oftp(f->t, TRACE_X4002OFTP, &oid, r)) < 0)
		log_fatal(EX_TEMPFAIL, "%s", trace_error(f->t));
	return rc;
}

/*
 * done: the file left for the station; its transaction is sent and waits
 * for the EERP (agent mode: the partnership's eerp-timer from now;
 * transfer mode: the X.400 expiry it had). An EERP/NERP: a line in its
 * transaction's history. Recorded after the claim is done (a failure to
 * record leaves it to the expiry sweep, which finds the file gone).
 */
static void
fin_done(const struct ox_config *cfg, struct fin *f, const struct claim *c,
    const struct trace_row *r, int found)
{
	const struct ox_partner *p;
	struct trace_output o;
	char	 note[TRACE_NOTE_SZ];
	time_t	 deadline;
	int	 rc = 0;

	if (f->file && found == 1 && (r->state == TRACE_S_CONVERTED ||
	    r->state == TRACE_S_HELD)) {
		p = partner_by_name(&f->ps, r->partner);
		deadline = p != NULL && p->mode == PARTNER_AGENT ? f->now +
		    3600 * (time_t)partner_timer(cfg, p, CONFIG_TIMER_EERP) :
		    TRACE_DEADLINE_KEEP;
		snprintf(note, sizeof(note), "sent from %.64s (oxspool done); "
		    "waiting for the EERP", f->rel);
		rc = trace_record_state(f->t, r->id, TRACE_S_SENT, f->now,
		    deadline, note);
	} else if (!f->file && (rc = trace_output_named(f->t, f->rel,
	    c->name, &o)) == 1) {
		snprintf(note, sizeof(note), "%.64s taken by the OFTP daemon "
		    "(oxspool done)", c->name);
		rc = trace_record_event(f->t, o.trace_id, f->now, note);
	}
	if (rc < 0 || trace_deferral_clear(f->t, f->rel, c->name) < 0)
		log_warn("%s: sent, not recorded in the trace: %s (the expiry "
		    "sweep counts a file gone from its queue as sent)", c->name,
		    trace_error(f->t));
}

/*
 * failed: a file whose delivery deadline has passed goes to overflow/
 * (the next oxtrace expire answers its transaction as for a file never
 * fetched); else back into its queue, not to be taken before a wait of
 * --retry seconds doubled at every failure (gw_backoff(), the failures
 * counted in the trace as deferrals: oxtrace deferred).
 */
static void
fin_failed(const struct ox_config *cfg, struct fin *f, const struct put *o,
    const char *token, const struct trace_row *r, int found)
{
	struct trace_deferral d;
	struct claim	 c;
	char		 ov[SPOOL_PATH_MAX], err[512], why[TRACE_NOTE_SZ];
	time_t		 wait;
	int		 rc;

	snprintf(why, sizeof(why), "not sent: %.200s", o->reason != NULL ?
	    o->reason : "no reason given");
	if (f->file && found == 1 && trace_state_waiting(r->state) &&
	    r->deadline != 0 && r->deadline <= f->now) {
		queue_dir(cfg, SPOOL_OVERFLOW, ov, sizeof(ov));
		if (claim_move(f->q, f->flags, token, ov, &c, err,
		    sizeof(err)) < 0)
			log_fatal(EX_TEMPFAIL, "%s", err);
		trace_deferral_clear(f->t, f->rel, c.name);
		log_warn("%s: %s %s; its delivery deadline has passed: in %s "
		    "for the expiry sweep", f->q, c.name, why, ov);
		return;
	}
	if (claim_get(f->q, token, &c, err, sizeof(err)) < 0)
		log_fatal(EX_NOINPUT, "%s", err);
	if ((rc = trace_deferral_get(f->t, f->rel, c.name, &d)) < 0)
		log_fatal(EX_TEMPFAIL, "%s", trace_error(f->t));
	wait = gw_backoff(o->retry, rc == 1 ? d.attempts + 1 : 1);
	if (trace_deferral_record(f->t, f->rel, c.name, f->now, f->now + wait,
	    why) < 0)
		log_warn("%s: %s", c.name, trace_error(f->t));
	if (claim_back(f->q, f->flags, token, f->now + wait, &c, err,
	    sizeof(err)) < 0)
		log_fatal(EX_TEMPFAIL, "%s", err);
	log_warn("%s: %s %s; back in the queue, next try in %lld s", f->q,
	    c.name, why, (long long)wait);
}

/* done / failed TOKEN: the claim in whichever queue holds it. */
static int
cmd_finish(const struct ox_config *cfg, const struct put *o, int done,
    const char *token)
{
	struct fin	 f;
	struct claim	 c;
	struct trace_row r;
	char		 err[512];
	size_t		 i;
	int		 found = 0, rc;

	memset(&f, 0, sizeof(f));
	f.now = clock_now();
	if (partners_load(cfg->partners, &f.ps, err, sizeof(err)) !=
	    CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	if (trace_open(cfg->tracedb, 0, &f.t, err, sizeof(err)) < 0)
		log_fatal(EX_TEMPFAIL, "%s", err);
	for (i = 0; (rc = fin_queue(cfg, &f, i)) != 0; i++)
		if (rc == 1 && claim_get(f.q, token, &c, err, sizeof(err)) == 0)
			break;
	/* errors from here on close what is open first (no leak at exit) */
	if (rc == 0) {
		log_error("claim %s: not held (done before, or its time ran "
		    "out and it went back to the queue: do not send it)",
		    token);
		rc = EX_NOINPUT;
		goto out;
	}
	if (f.file)
		found = fin_row(&f, &c, &r);
	rc = EX_OK;
	if (!done)
		fin_failed(cfg, &f, o, token, &r, found);
	else if (claim_done(f.q, f.flags, token, &c, err, sizeof(err)) < 0) {
		rc = errno == ENOENT ? EX_NOINPUT : EX_TEMPFAIL;
		log_error("%s", err);
	} else {
		fin_done(cfg, &f, &c, &r, found);
		log_info("%s: %s sent (claim %s done)", f.q, c.name, token);
	}
out:
	trace_close(f.t);
	partners_free(&f.ps);
	return rc;
}

/* A number of seconds given to an option. */
static unsigned
seconds(const char *opt, const char *v)
{
	char		*end;
	unsigned long	 n = strtoul(v, &end, 10);

	if (end == v || *end != '\0' || n > 7 * 86400)
		log_fatal(EX_USAGE, "--%s: '%s' is not 0 to 604800 seconds",
		    opt, v);
	return (unsigned)n;
}

/*
 * demodette and inbox read partner input (file names, XML sidecars) as
 * the converters do, so they run in the same sandbox (gw_sandbox()):
 * read-write the spool, the trace and the partners' adapter directories.
 */
static void
adapter_sandbox(struct gw *g)
{
	const char	**dirs;
	size_t		  i, n = 0;

	if ((dirs = calloc(3 * g->partners.n + 1, sizeof(*dirs))) == NULL)
		log_fatal(EX_OSERR, "out of memory");
	for (i = 0; i < g->partners.n; i++) {
		if (g->partners.p[i].demodette_in[0] != '\0')
			dirs[n++] = g->partners.p[i].demodette_in;
		if (g->partners.p[i].demodette_out[0] != '\0')
			dirs[n++] = g->partners.p[i].demodette_out;
		if (g->partners.p[i].inbox[0] != '\0')
			dirs[n++] = g->partners.p[i].inbox;
	}
	gw_sandbox_dirs(g, dirs);
	free(dirs);
}

/* Whether the command cmd takes its argc words and the options given. */
static int
args_ok(const char *cmd, int argc, const struct put *o)
{
	int	 putopts = o->json || o->env || o->eerp || o->nset;
	int	 pullopts = o->station || o->kind || o->format || o->reason ||
		    o->inbound;

	if ((o->watch && strcmp(cmd, "demodette") != 0 &&
	    strcmp(cmd, "inbox") != 0) || (o->sfid && strcmp(cmd, "check")) ||
	    (o->os4x && strcmp(cmd, "check")) || (o->inbound &&
	    (strcmp(cmd, "take") != 0 || o->station == NULL)))
		return 0;		/* --inbound: take --station only */
	if (strcmp(cmd, "put") == 0)
		return argc <= 2 && !pullopts && !(o->eerp && (o->json ||
		    o->env || o->nset) && argc > 1);
	if (strcmp(cmd, "check") == 0)
		return !o->eerp && !pullopts && (o->os4x ? argc >= 9 &&
		    argc <= 10 && !putopts && !o->sfid : argc == 1 &&
		    !(o->sfid && putopts));
	if (strcmp(cmd, "demodette") == 0 || strcmp(cmd, "inbox") == 0)
		return argc == 1 && !putopts && !pullopts;
	if (strcmp(cmd, "take") == 0)
		return argc == 1 && !putopts && !o->reason && (!o->kind ||
		    !strcmp(o->kind, "file") || !strcmp(o->kind, "eerp")) &&
		    (!o->format || !strcmp(o->format, "json") ||
		    !strcmp(o->format, "shell"));
	if (strcmp(cmd, "done") == 0 || strcmp(cmd, "failed") == 0)
		return argc == 2 && !putopts && !o->station && !o->kind &&
		    !o->format && !(cmd[0] == 'd' && o->reason);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'J' },
		{ "env", no_argument, NULL, 'E' },
		{ "eerp", no_argument, NULL, 'R' },
		{ "station", required_argument, NULL, 'S' },
		{ "kind", required_argument, NULL, 'K' },
		{ "format", required_argument, NULL, 'F' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "reason", required_argument, NULL, 'W' },
		{ "retry", required_argument, NULL, 'Y' },
		{ "watch", no_argument, NULL, 'w' },
		{ "inbound", no_argument, NULL, 'I' },
		{ "sfid", required_argument, NULL, 'f' },
		{ "os4x", no_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct gw g;
	struct ox_config cfg;
	struct put	 o;
	const char	*conf = NULL, *cmd;
	char		 err[512];
	int		 ch, verbose = 0;

	log_open(argv[0], 1, 0);
	memset(&o, 0, sizeof(o));
	o.timeout = 3600;
	o.retry = 300;
	/* options before or after the command */
	while ((ch = getopt_long(argc, argv, "c:s:v", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': conf = optarg; break;
		case 's':
			if (o.nset == OXSPOOL_SET_MAX)
				log_fatal(EX_USAGE, "more than %d -s options",
				    OXSPOOL_SET_MAX);
			o.set[o.nset++] = optarg;
			break;
		case 'J': o.json = 1; break;
		case 'E': o.env = 1; break;
		case 'R': o.eerp = 1; break;
		case 'S': o.station = optarg; break;
		case 'K': o.kind = optarg; break;
		case 'F': o.format = optarg; break;
		case 'T': o.timeout = seconds("timeout", optarg); break;
		case 'W': o.reason = optarg; break;
		case 'Y': o.retry = seconds("retry", optarg); break;
		case 'w': o.watch = 1; break;
		case 'I': o.inbound = 1; break;
		case 'f': o.sfid = optarg; break;
		case 'X': o.os4x = 1; break;
		default: opt_common(ch, "oxspool", &verbose, usage);
		}
	}
	argc -= optind;
	argv += optind;
	cmd = argc > 0 ? argv[0] : "";
	if (!args_ok(cmd, argc, &o))
		usage(EX_USAGE);
	if (strcmp(cmd, "demodette") == 0 || strcmp(cmd, "inbox") == 0) {
		if ((ch = gw_open(&g, conf != NULL ? conf : config_default_path(),
		    err, sizeof(err))) != 0)
			log_fatal(ch, "%s", err);
		adapter_sandbox(&g);
		ch = o.watch ? watch_run(&g, cmd[0] == 'd' ? demodette : inbox) :
		    cmd[0] == 'd' ? demodette(&g) : inbox(&g);
		gw_close(&g);
		return ch;
	}
	if (config_load(conf ? conf : config_default_path(), &cfg, err,
	    sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	if (strcmp(cmd, "check") == 0)
		ch = cmd_check(&cfg, &o, argc - 1, argv + 1);
	else if (strcmp(cmd, "take") == 0)
		ch = cmd_take(&cfg, &o);
	else if (strcmp(cmd, "done") == 0 || strcmp(cmd, "failed") == 0)
		ch = cmd_finish(&cfg, &o, cmd[0] == 'd', argv[1]);
	else
		ch = o.eerp ? put_eerp(&cfg, &o, argv[1]) : put_file(&cfg, &o,
		    argv[1]);
	return ch;
}
