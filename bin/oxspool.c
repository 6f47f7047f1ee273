/*
 * NAME
 *	oxspool - hand files to the oxgate spool as an OFTP daemon's hook
 * SYNOPSIS
 *	oxspool [-v] [-c FILE] put [--json] [--env] [-s NAME=VALUE ...]
 *	    [PAYLOAD]
 *	oxspool [-v] [-c FILE] put --eerp [FILE]
 *	oxspool [-v] [-c FILE] demodette
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
 *	RFC 5024 5.3.9/5.3.10 or the OFTP 1.4 layout) to eerp2report, into
 *	spool/oftp/eerp.in, after checking that it parses.
 *	demodette is one run over the "in" directories of DEModette OFTP
 *	daemons (partners.ini demodette-in): each received file
 *	ID#VFN#STAMP.recv not handed in yet goes into oftp/in as put does
 *	(fields from the name and the XML sidecar, V records given their
 *	length prefixes); each EERP/NERP in oftp/eerp.out that answers such
 *	a file goes into the file's sidecar as <commit reasonCode
 *	reasonText>, the file is renamed .se2e (DEModette then sends it)
 *	and the EERP/NERP removed from the queue.
 * EXIT STATUS
 *	sysexits(3): 0 handed in; 64 usage; 65 a field or the EERP is bad
 *	(the message names it); 66 the payload cannot be opened; 74 it
 *	cannot be read; 75 the spool cannot be written now (retry); 78
 *	configuration.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <dirent.h>
#include <sys/mman.h>

#include "gw/gw.h"
#include "gw/ident.h"
#include "oftp/demodette.h"
#include "oftp/eerp.h"
#include "oftp/handin.h"
#include "spool/spool.h"
#include "util/afile.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/log.h"
#include "util/opt.h"

#define OXSPOOL_EERP_MAX	(256 * 1024)

extern char	**environ;

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: oxspool [-v] [-c FILE] put [--json] [--env] "
	    "[-s NAME=VALUE ...] [PAYLOAD]\n"
	    "       oxspool [-v] [-c FILE] put --eerp [FILE]\n"
	    "       oxspool [-v] [-c FILE] demodette\n"
	    "Hand a received file to the oxgate spool.\n"
	    "  put            a virtual file into oftp/in (PAYLOAD, the "
	    "field filePath,\n"
	    "                 or stdin) with its .sfid; prints its name\n"
	    "  --json         fields from one JSON object on stdin\n"
	    "  --env          fields from the OFTP_* environment\n"
	    "  -s NAME=VALUE  one field (dsn, date, ..., virtualFileName, "
	    "OFTP_FILE_DATE, ...)\n"
	    "  --eerp         an EERP/NERP command into oftp/eerp.in\n"
	    "  demodette      one run over the partners' DEModette "
	    "directories\n"
	    "  -c FILE        oxgate.ini (default %s)\n"
	    "  -v             more log\n"
	    "  --help, --version\n", config_default_path());
	exit(code);
}

/* Everything of fd, at most max octets (more: EX_DATAERR). */
static int
slurp(int fd, struct buf *b, size_t max, const char *what)
{
	char	 tmp[65536];
	ssize_t	 r;

	while ((r = read(fd, tmp, sizeof(tmp))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			log_fatal(EX_IOERR, "%s: %s", what, strerror(errno));
		if (b->len + (size_t)r > max)
			log_fatal(EX_DATAERR, "%s: more than %zu octets", what,
			    max);
		if (buf_add(b, tmp, (size_t)r) < 0)
			log_fatal(EX_OSERR, "out of memory");
	}
	return 0;
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
	char		**set;		/* -s NAME=VALUE, n of them */
	size_t		 nset;
};

/* The fields from their sources, weakest first; the payload's path. */
static void
put_fields(const struct put *o, struct sfid *s, char *path, size_t pathlen)
{
	struct buf	 b;
	char		 err[512], *eq;
	size_t		 i;

	if (o->json) {
		buf_init(&b);
		slurp(STDIN_FILENO, &b, HANDIN_JSON_MAX, "JSON on stdin");
		if (handin_json(s, (const char *)b.p, b.len, path, pathlen,
		    err, sizeof(err)) != SFID_OK)
			log_fatal(EX_DATAERR, "%s", err);
		buf_free(&b);
	}
	if (o->env && handin_env(s, environ, path, pathlen, err,
	    sizeof(err)) != SFID_OK)
		log_fatal(EX_DATAERR, "%s", err);
	for (i = 0; i < o->nset; i++) {
		if ((eq = strchr(o->set[i], '=')) == NULL)
			log_fatal(EX_USAGE, "-s %s: NAME=VALUE expected",
			    o->set[i]);
		*eq = '\0';
		if (handin_set(s, o->set[i], eq + 1, path, pathlen, err,
		    sizeof(err)) != SFID_OK)
			log_fatal(EX_DATAERR, "-s: %s", err);
	}
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
	put_fields(o, &s, path, sizeof(path));
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

static int
put_eerp(const struct ox_config *cfg, const char *arg)
{
	struct eerp	 e;
	struct cur	 c;
	struct buf	 b;
	struct sfid	 s;
	char		 qdir[SPOOL_PATH_MAX], id[IDENT_SZ], name[IDENT_SZ + 8];
	char		 err[512];
	int		 fd = STDIN_FILENO;

	if (arg != NULL && (fd = open(arg, O_RDONLY | O_CLOEXEC)) < 0)
		log_fatal(EX_NOINPUT, "%s: %s", arg, strerror(errno));
	buf_init(&b);
	slurp(fd, &b, OXSPOOL_EERP_MAX, arg != NULL ? arg : "stdin");
	cur_init(&c, b.p, b.len);
	if (eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)) != EERP_OK)
		log_fatal(EX_DATAERR, "%s: %s", arg != NULL ? arg : "stdin",
		    err);
	/* named after the identity of the file it answers, and its kind */
	sfid_init(&s);
	snprintf(s.dsn, sizeof(s.dsn), "%s", e.dsn);
	snprintf(s.date, sizeof(s.date), "%s", e.date);
	snprintf(s.time, sizeof(s.time), "%s", e.time);
	snprintf(s.orig, sizeof(s.orig), "%s", e.orig);
	snprintf(s.dest, sizeof(s.dest), "%s", e.dest);
	ident_oftp(cfg->mta_designator, &s, id);
	snprintf(name, sizeof(name), "%s.%s", id, e.cmd == 'E' ? "eerp" :
	    "nerp");
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

/* The destination of what DEModette received for p (demodette-dest). */
static void
dmo_dest(const struct gw *g, const struct ox_partner *p, char *dst,
    size_t size)
{
	if (p->demodette_dest[0] != '\0')
		snprintf(dst, size, "%s", p->demodette_dest);
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

/* The sidecar of n, or defaults when there is none. */
static int
dmo_sidecar(const char *dir, const struct dmo_name *n, struct dmo_xml *x,
    char *err, size_t errlen)
{
	struct buf	 b;
	struct stat	 st;
	char		 path[PATH_MAX];
	int		 fd, rc;

	dmo_xml_init(x);
	dmo_path(dir, n, "xml", path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : errf(err, errlen, -1, "%s: %s",
		    path, strerror(errno));
	if (fstat(fd, &st) < 0 || st.st_size > DMO_XML_MAX) {
		close(fd);
		return errf(err, errlen, -1, "%s: not read, or larger than %u "
		    "octets", path, DMO_XML_MAX);
	}
	buf_init(&b);
	slurp(fd, &b, DMO_XML_MAX, path);
	close(fd);
	rc = dmo_xml_parse(x, (const char *)b.p, b.len, err, errlen);
	buf_free(&b);
	return rc;
}

/*
 * A V file: DEModette keeps its records without length prefixes and
 * lists them in the sidecar; the spool's V format has the 2-octet
 * prefix of RFC 5024 6.5. The converted payload in an anonymous file.
 */
static int
dmo_vrecords(const struct gw *g, int fd, const struct dmo_xml *x,
    char *err, size_t errlen)
{
	struct stat	 st;
	uint8_t		*m, pre[2];
	char		 tmp[SPOOL_PATH_MAX];
	size_t		 i;
	int		 out;

	gw_tmpdir(g, SPOOL_OFTP_IN, tmp, sizeof(tmp));
	if (fstat(fd, &st) < 0 || (out = afile_anon(tmp)) < 0)
		return errf(err, errlen, -1, "%s", strerror(errno));
	m = st.st_size > 0 ? mmap(NULL, (size_t)st.st_size, PROT_READ,
	    MAP_PRIVATE, fd, 0) : NULL;
	for (i = 0; i < x->nrec; i++) {
		if (m == MAP_FAILED || x->rec[i].off > (uint64_t)st.st_size ||
		    x->rec[i].len > (uint64_t)st.st_size - x->rec[i].off) {
			close(out);
			return errf(err, errlen, -1, "record %zu outside the "
			    "file", i + 1);
		}
		pre[0] = (uint8_t)(x->rec[i].len >> 8);
		pre[1] = (uint8_t)x->rec[i].len;
		if (write_all(out, pre, 2) < 0 || write_all(out,
		    m + x->rec[i].off, x->rec[i].len) < 0) {
			close(out);
			return errf(err, errlen, -1, "%s", strerror(errno));
		}
	}
	if (m != NULL && m != MAP_FAILED)
		munmap(m, (size_t)st.st_size);
	return lseek(out, 0, SEEK_SET) < 0 ? -1 : out;
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

/* One received file ID#VFN#STAMP.recv of p into oftp/in. */
static void
dmo_import(struct gw *g, const struct ox_partner *p, const struct dmo_name *n,
    const char *path)
{
	struct dmo_xml	 x;
	struct sfid	 s;
	struct stat	 st;
	char		 err[512], id[IDENT_SZ], q[SPOOL_PATH_MAX];
	int		 fd, vfd = -1;

	sfid_init(&s);
	snprintf(s.dsn, sizeof(s.dsn), "%s", n->vfn);
	snprintf(s.date, sizeof(s.date), "%s", n->date);
	snprintf(s.time, sizeof(s.time), "%s", n->time);
	snprintf(s.orig, sizeof(s.orig), "%s", n->id);
	dmo_dest(g, p, s.dest, sizeof(s.dest));
	ident_oftp(g->cfg.mta_designator, &s, id);
	if (dmo_known(g, &s, id))
		return;
	if (dmo_sidecar(p->demodette_in, n, &x, err, sizeof(err)) < 0) {
		log_error("%s: sidecar: %s", path, err);
		return;
	}
	s.format = x.format;
	s.lrecl = x.lrecl;
	snprintf(s.desc, sizeof(s.desc), "%s", x.desc);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0)
		log_error("%s: %s", path, strerror(errno));
	else if (s.format == 'V' && x.has_records &&
	    (vfd = dmo_vrecords(g, fd, &x, err, sizeof(err))) < 0)
		log_error("%s: %s", path, err);
	else {
		s.fsize = x.fsize >= 0 ? (uint64_t)x.fsize :
		    ((uint64_t)st.st_size + 1023) / 1024;
		s.osize = x.fsize_unpacked >= 0 ? (uint64_t)x.fsize_unpacked :
		    s.fsize;
		if (sfid_validate(&s, err, sizeof(err)) != SFID_OK)
			log_error("%s: %s", path, err);
		else {
			gw_queue(g, SPOOL_OFTP_IN, q, sizeof(q));
			put_pair(q, id, vfd >= 0 ? vfd : fd, &s);
			log_info("%s -> oftp/in/%s", path, id);
		}
	}
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
		slurp(fd, &b, OXSPOOL_EERP_MAX, path);
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

/* demodette: one run over every partner's DEModette directory. */
static int
demodette(const char *conf)
{
	static struct gw g;
	char	 err[512];
	size_t	 i;
	int	 rc;

	if ((rc = gw_open(&g, conf != NULL ? conf : config_default_path(), err,
	    sizeof(err))) != 0)
		log_fatal(rc, "%s", err);
	for (i = 0; i < g.partners.n; i++)
		if (g.partners.p[i].demodette_in[0] != '\0')
			dmo_scan(&g, &g.partners.p[i]);
	dmo_responses(&g);
	gw_close(&g);
	return EX_OK;
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
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ox_config cfg;
	struct put	 o;
	const char	*conf = NULL;
	char		 err[512];
	int		 ch, verbose = 0;

	log_open(argv[0], 1, 0);
	memset(&o, 0, sizeof(o));
	if ((o.set = calloc((size_t)argc, sizeof(*o.set))) == NULL)
		log_fatal(EX_OSERR, "out of memory");
	/* options before or after the command: put [options] [FILE] */
	while ((ch = getopt_long(argc, argv, "c:s:v", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': conf = optarg; break;
		case 's': o.set[o.nset++] = optarg; break;
		case 'J': o.json = 1; break;
		case 'E': o.env = 1; break;
		case 'R': o.eerp = 1; break;
		default: opt_common(ch, "oxspool", &verbose, usage);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 1 && strcmp(argv[0], "demodette") == 0 && !o.eerp &&
	    !o.json && !o.env && !o.nset) {
		free(o.set);
		return demodette(conf);
	}
	if (argc < 1 || argc > 2 || strcmp(argv[0], "put") != 0 ||
	    (o.eerp && (o.json || o.env || o.nset)))
		usage(EX_USAGE);
	if (config_load(conf ? conf : config_default_path(), &cfg, err,
	    sizeof(err)) != CONFIG_OK)
		log_fatal(EX_CONFIG, "%s", err);
	ch = o.eerp ? put_eerp(&cfg, argv[1]) : put_file(&cfg, &o, argv[1]);
	free(o.set);
	return ch;
}
