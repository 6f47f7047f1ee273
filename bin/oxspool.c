/*
 * NAME
 *	oxspool - hand files to the oxgate spool as an OFTP daemon's hook
 * SYNOPSIS
 *	oxspool [-v] [-c FILE] put [--json] [--env] [-s NAME=VALUE ...]
 *	    [PAYLOAD]
 *	oxspool [-v] [-c FILE] put --eerp [FILE]
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

#include "gw/config.h"
#include "gw/ident.h"
#include "oftp/eerp.h"
#include "oftp/handin.h"
#include "spool/spool.h"
#include "util/afile.h"
#include "util/buf.h"
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
	    "Hand a received file to the oxgate spool.\n"
	    "  put            a virtual file into oftp/in (PAYLOAD, the "
	    "field filePath,\n"
	    "                 or stdin) with its .sfid; prints its name\n"
	    "  --json         fields from one JSON object on stdin\n"
	    "  --env          fields from the OFTP_* environment\n"
	    "  -s NAME=VALUE  one field (dsn, date, ..., virtualFileName, "
	    "OFTP_FILE_DATE, ...)\n"
	    "  --eerp         an EERP/NERP command into oftp/eerp.in\n"
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
