/*
 * NAME
 *	oxaddr - map addresses between RFC 822, X.400 and ODETTE IDs
 * SYNOPSIS
 *	oxaddr [-v] [-c config] [-m mapdir] [--gateway std-or]
 *	    [--domain domain] [--octal] command [argument]
 *	oxaddr [-c config] [-m mapdir] --check
 * DESCRIPTION
 *	Commands: to822 STD-OR, toor ADDRESS, escape STRING, unescape
 *	STRING, msgid ID-LOC (an IPM identifier written as RFC 2156's id-loc,
 *	"[user-relative-id] * [std-or]", to an RFC 822 msg-id), ipmid
 *	MSG-ID (and back), stdor STD-OR (the input form written as std-or),
 *	pn STD-OR (encoded-pn), resolve STD-OR (4.4.1), ref ID-LOC and
 *	refid VALUE (In-Reply-To, References, 4.7.3.5), or1984 STD-OR
 *	(Appendix B), all mixer_run();
 *	odette ODETTE-ID, odette --reverse STD-OR.
 *	--check loads the tables and says how many lines each has; a bad
 *	line fails it (the converters skip such a line with a warning). Without the
 *	argument each command reads one argument per line from standard
 *	input and writes one result per line; a line that fails is reported
 *	on standard error with its number and gives an empty output line,
 *	so that output line N always belongs to input line N. The RFC 2156
 *	tables come from the mapping directory (lib/x400/mixer.h).
 * EXIT STATUS
 *	0 all mapped; 64 usage; 65 an argument or a line failed; 66 a
 *	named file or directory cannot be read; 78 a bad table or option
 *	value.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "oftp/odette.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/opt.h"
#include "x400/mixer.h"
#include "x400/orname.h"

#define DEFAULT_GATEWAY	"/C=DE/A=VIAT/P=OFTP/"
#define DEFAULT_CONFIG	OX_SYSCONFDIR "/oxgate/oxgate.ini"

/* the RFC 2156 verbs are enum mixer_verb; then these */
enum cmd { C_ODETTE = MIXER_NVERB, C_ODETTE_REV, C_CHECK };

static struct mixer	 mx;
static enum or_ps_style	 style = OR_PS_DECIMAL;

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: oxaddr [-v] [-c config] [-m mapdir] [--gateway std-or] "
	    "[--domain domain]\n"
	    "              [--octal] command [argument]\n"
	    "       oxaddr [-c config] [-m mapdir] --check\n"
	    "Map addresses between RFC 822 and X.400 (RFC 2156), and ODETTE "
	    "IDs.\n"
	    "  to822 STD-OR           X.400 O/R address to RFC 822\n"
	    "  toor ADDRESS           RFC 822 address to X.400 (std-or)\n"
	    "  escape STRING          PrintableString escapes (RFC 2156 "
	    "3.4)\n"
	    "  unescape STRING        undo them\n"
	    "  msgid ID*STD-OR        IPM identifier to RFC 822 msg-id "
	    "(RFC 2156 4.7.3)\n"
	    "  ipmid MSG-ID           and back\n"
	    "  stdor STD-OR           std-or input form to the std-or "
	    "written\n"
	    "  pn STD-OR              personal name to encoded-pn (4.1.2)\n"
	    "  resolve STD-OR         recursive mapping at this gateway "
	    "(4.4.1)\n"
	    "  ref ID*STD-OR          IPM identifier to an In-Reply-To or "
	    "References value\n"
	    "  refid VALUE            and back (msg-id or phrase, 4.7.3.5)\n"
	    "  or1984 STD-OR          its X.400(1984) form (Appendix B)\n"
	    "  odette ODETTE-ID       OFTP user to its X.400 address\n"
	    "  odette --reverse STD-OR  and back\n"
	    "Without the argument, one argument per line is read from "
	    "standard input.\n"
	    "  -c, --config FILE      mapping directory is mapping/ beside "
	    "it\n"
	    "  -m, --mapdir DIR       RFC 2156 tables (default: "
	    "%s/oxgate/mapping)\n"
	    "  --gateway STD-OR       gateway address and OFTP domain "
	    "(default %s)\n"
	    "  --domain DOMAIN        gateway's RFC 822 domain (default: "
	    "from the tables)\n"
	    "  --octal                (ooo) octal escapes instead of "
	    "decimal\n"
	    "  --check                load the tables strictly, count their "
	    "lines\n"
	    "  -v                     more log\n"
	    "  --help, --version\n", OX_SYSCONFDIR, DEFAULT_GATEWAY);
	exit(code);
}

/*
 * One argument: the result in out, or an error text in why. The
 * RFC 2156 verbs are mixer_run() (lib/x400/mixer.h), the one code path
 * that tests/rfc2156/cases checks; odette is odette(3).
 */
static int
map_one(enum cmd cmd, const char *arg, struct buf *out, char *why,
    size_t whylen)
{
	struct orname	 or, res;
	struct or_err	 oe;
	char		 id[ODETTE_ID_LEN + 1];
	int		 e;

	switch (cmd) {
	case C_ODETTE:
		if ((e = odette_to_or(&mx.gw, arg, &res, why, whylen)) !=
		    ODETTE_OK)
			return e;
		return orname_print(&res, out);
	case C_ODETTE_REV:
		if (orname_parse(arg, -1, &or, &oe) != OR_OK) {
			snprintf(why, whylen, "not a std-or address: %s%s%s",
			    oe.key, oe.key[0] != '\0' ? ": " : "",
			    orname_strerror(oe.code));
			return -1;
		}
		if ((e = odette_from_or(&mx.gw, &or, id, why, whylen)) !=
		    ODETTE_OK)
			return e;
		buf_add_str(out, id);
		return 0;
	case C_CHECK:
		return 0;
	default:
		return mixer_run(&mx, (enum mixer_verb)cmd, arg, out, why,
		    whylen);
	}
}

static int
run_arg(enum cmd cmd, const char *arg)
{
	struct buf	 out;
	char		 why[512] = "";
	int		 e;

	buf_init(&out);
	if ((e = map_one(cmd, arg, &out, why, sizeof(why))) != 0 ||
	    buf_error(&out)) {
		log_warn("\"%s\": %s", arg, why[0] ? why : "out of memory");
		buf_free(&out);
		return EX_DATAERR;
	}
	printf("%s\n", buf_cstr(&out));
	buf_free(&out);
	return 0;
}

static char *
trim(char *s, enum cmd cmd)
{
	size_t	 n = strlen(s);

	if (n > 0 && s[n - 1] == '\n')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '\r')
		s[--n] = '\0';
	if ((int)cmd == MIXER_V_ESCAPE || (int)cmd == MIXER_V_UNESCAPE)
		return s;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int
run_stdin(enum cmd cmd)
{
	struct buf	 out;
	char		*line = NULL, *arg, why[512];
	size_t		 cap = 0;
	ssize_t		 n;
	unsigned long	 lineno = 0;
	int		 rc = 0;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		why[0] = '\0';
		buf_init(&out);
		if (memchr(line, '\0', (size_t)n) != NULL)
			snprintf(why, sizeof(why), "NUL byte in the line");
		else {
			arg = trim(line, cmd);
			if (map_one(cmd, arg, &out, why, sizeof(why)) != 0 &&
			    why[0] == '\0')
				snprintf(why, sizeof(why), "cannot map");
			else if (buf_error(&out))
				snprintf(why, sizeof(why), "out of memory");
		}
		if (why[0] != '\0') {
			log_warn("line %lu: %s", lineno, why);
			rc = EX_DATAERR;
			printf("\n");
		} else
			printf("%s\n", buf_cstr(&out));
		buf_free(&out);
	}
	free(line);
	if (ferror(stdin))
		log_fatal(EX_IOERR, "standard input: %s", strerror(errno));
	return rc;
}

static void
load_tables(const char *mapdir, const char *config)
{
	struct stat	 st;
	char		 err[1024], path[4096], *copy;
	int		 e;

	if (mapdir == NULL) {
		if (config == NULL && (config = getenv("OXGATE_CONF")) == NULL)
			config = DEFAULT_CONFIG;
		else if (stat(config, &st) < 0)
			log_fatal(EX_NOINPUT, "%s: %s", config,
			    strerror(errno));
		if ((copy = strdup(config)) == NULL)
			log_fatal(EX_OSERR, "out of memory");
		snprintf(path, sizeof(path), "%s/mapping", dirname(copy));
		free(copy);
		if (stat(path, &st) < 0) {
			log_debug("%s: %s; no mapping tables", path,
			    strerror(errno));
			return;
		}
		mapdir = path;
	}
	if ((e = mixer_load_dir(&mx, mapdir, err, sizeof(err))) != MIXER_OK) {
		mixer_free(&mx);	/* the lines before the bad one */
		log_fatal(e == MIXER_EIO ? EX_NOINPUT : e == MIXER_ENOMEM ?
		    EX_OSERR : EX_CONFIG, "%s", err);
	}
	log_debug("%s: %zu + %zu + %zu + %zu table lines", mapdir,
	    mixer_table_size(&mx, MIXER_DOMAIN_OR),
	    mixer_table_size(&mx, MIXER_OR_DOMAIN),
	    mixer_table_size(&mx, MIXER_DOMAIN_GW),
	    mixer_table_size(&mx, MIXER_OR_GW));
}

/* The command named; with --reverse, odette's reverse. */
static enum cmd
parse_cmd(const char *name, int reverse)
{
	int	 v;

	if (strcmp(name, "odette") == 0)
		return reverse ? C_ODETTE_REV : C_ODETTE;
	if ((v = mixer_verb(name)) < 0) {
		log_warn("unknown command \"%s\"", name);
		usage(EX_USAGE);
	}
	if (reverse) {
		log_warn("--reverse goes with odette only");
		usage(EX_USAGE);
	}
	return (enum cmd)v;
}

/* What the command line says. */
struct args {
	const char	*config, *mapdir, *domain, *gateway;
	enum cmd	 cmd;
};

/* The options and the command; the arguments from the command on stay. */
static void
parse_args(int *argcp, char ***argvp, struct args *a)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "mapdir", required_argument, NULL, 'm' },
		{ "gateway", required_argument, NULL, 'g' },
		{ "domain", required_argument, NULL, 'd' },
		{ "octal", no_argument, NULL, 'o' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "check", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch, verbose = 0, reverse = 0, check = 0;

	memset(a, 0, sizeof(*a));
	a->gateway = DEFAULT_GATEWAY;
	while ((ch = getopt_long(*argcp, *argvp, "c:m:v", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			a->config = optarg;
			break;
		case 'm':
			a->mapdir = optarg;
			break;
		case 'g':
			a->gateway = optarg;
			break;
		case 'd':
			a->domain = optarg;
			break;
		case 'o':
			style = OR_PS_OCTAL;
			break;
		case 'r':
			reverse = 1;
			break;
		case 'k':
			check = 1;
			break;
		default:
			opt_common(ch, "oxaddr", &verbose, usage);
		}
	}
	*argcp -= optind;
	*argvp += optind;
	if (check) {
		if (*argcp != 0 || reverse)
			usage(EX_USAGE);
		a->cmd = C_CHECK;
		return;
	}
	if (*argcp < 1 || *argcp > 2)
		usage(EX_USAGE);
	a->cmd = parse_cmd((*argvp)[0], reverse);
}

/* The gateway address and RFC 822 domain (given, or from the tables). */
static void
setup_gateway(const struct args *a)
{
	struct orname	 gw;
	struct or_err	 oe;
	struct buf	 dom;

	if (orname_parse(a->gateway, -1, &gw, &oe) != OR_OK)
		log_fatal(EX_CONFIG, "--gateway %s: %s: %s", a->gateway,
		    oe.key, orname_strerror(oe.code));
	if ((int)a->cmd != MIXER_V_ESCAPE && (int)a->cmd != MIXER_V_UNESCAPE)
		load_tables(a->mapdir, a->config);
	mixer_set_gateway(&mx, &gw, NULL);
	if (a->domain != NULL) {
		if (mixer_set_gateway(&mx, NULL, a->domain) != MIXER_OK)
			log_fatal(EX_CONFIG, "--domain %s: not a domain",
			    a->domain);
	} else {
		buf_init(&dom);
		if (mixer_lookup_or(&mx, MIXER_OR_DOMAIN, &gw, &dom, NULL) ==
		    MIXER_OK)
			mixer_set_gateway(&mx, NULL, buf_cstr(&dom));
		buf_free(&dom);
	}
}

int
main(int argc, char **argv)
{
	struct args	 a;
	int		 rc;

	log_open(argv[0], 0, 0);
	parse_args(&argc, &argv, &a);
	mixer_init(&mx);
	mx.ps = style;
	setup_gateway(&a);
	if (a.cmd == C_CHECK) {
		printf("%zu + %zu + %zu + %zu table lines (domain-or, or-domain, "
		    "domain-gw, or-gw)\n",
		    mixer_table_size(&mx, MIXER_DOMAIN_OR),
		    mixer_table_size(&mx, MIXER_OR_DOMAIN),
		    mixer_table_size(&mx, MIXER_DOMAIN_GW),
		    mixer_table_size(&mx, MIXER_OR_GW));
		rc = 0;
	} else
		rc = argc == 2 ? run_arg(a.cmd, argv[1]) : run_stdin(a.cmd);
	mixer_free(&mx);
	log_close_stdout();
	return rc;
}
