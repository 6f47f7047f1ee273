/*
 * NAME
 *	t_config - tests of oxgate.ini loading
 * DESCRIPTION
 *	Each test writes a real file into test_dir() and loads it. Error
 *	tests check the return code and that the message names the file,
 *	the section, the key and the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "gw/config.h"

static char path[1100];
static char err[CONFIG_ERR_MAX];

static const char *
write_ini(const char *name, const char *text)
{
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", test_dir(), name);
	if ((f = fopen(path, "w")) == NULL) {
		test_fail(__FILE__, __LINE__, "cannot create %s", path);
		return path;
	}
	fputs(text, f);
	fclose(f);
	return path;
}

static int
load(const char *text, struct ox_config *cfg)
{
	err[0] = '\0';
	return config_load(write_ini("oxgate.ini", text), cfg, err,
	    sizeof(err));
}

static int
has(const char *s)
{
	if (strstr(err, s) != NULL)
		return 1;
	fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err, s);
	return 0;
}

static void
t_defaults(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load("", &cfg), CONFIG_OK);
	CHECK_EQ_STR(cfg.spool, OX_SPOOLDIR);
	CHECK_EQ_STR(cfg.tracedb, OX_SPOOLDIR "/trace.db");
	CHECK_EQ_INT(cfg.purgetime, 240);
	CHECK_EQ_INT(cfg.archive, CONFIG_ARCHIVE_TGZ);
	CHECK_EQ_INT(cfg.archive_retention, 2160);
	CHECK_EQ_INT(cfg.tmp_age, 24);
	CHECK_EQ_STR(cfg.local_domain.c, "DE");
	CHECK_EQ_STR(cfg.local_domain.admd, "VIAT");
	CHECK_EQ_STR(cfg.local_domain.prmd, "OFTP");
	CHECK_EQ_STR(cfg.gdi.c, "DE");
	CHECK_EQ_STR(cfg.gdi.admd, "VIAT");
	CHECK_EQ_STR(cfg.gdi.prmd, "OFTP");
	CHECK_EQ_STR(cfg.station_id, "O0177000000000X0LU000000");
	CHECK_EQ_STR(cfg.mta_name, "OXGATE");
	CHECK_EQ_INT(cfg.max_file_size, 100 * 1024 * 1024);
	CHECK_EQ_INT(cfg.ps_style, OR_PS_DECIMAL);
	CHECK_EQ_INT(cfg.expiry[CONFIG_PRIO_NORMAL], 24);
	CHECK_EQ_INT(cfg.expiry[CONFIG_PRIO_NON_URGENT], 72);
	CHECK_EQ_INT(cfg.expiry[CONFIG_PRIO_URGENT], 4);
	CHECK_EQ_STR(cfg.certificate, "");
	CHECK_EQ_STR(cfg.key, "");
	CHECK_EQ_STR(cfg.path, path);
}

static void
t_every_key(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load(
	    "[Spool]\n"
	    "Root = /srv/ox\n"
	    "trace = /db/t.db\n"
	    "purgetime = 48\n"
	    "[x400]\n"
	    "local-domain = /O=Acme/P=ACME/A=DBP/C=DE/\n"
	    "mta-name = MTA.ACME\n"
	    "global-domain = /C=FR/A=ATLAS/P=GW/\n"
	    "ps-escape = octal\n"
	    "[expiry]\n"
	    "normal = 12\n"
	    "non-urgent = 100\n"
	    "urgent = 1\n"
	    "[oftp]\n"
	    "station-id = O0013ACMEGMBH\n"
	    "max-file-size = 2G\n"
	    "[security]\n"
	    "certificate = /c.pem\n"
	    "key = /k.pem\n", &cfg), CONFIG_OK);
	CHECK_EQ_STR(cfg.spool, "/srv/ox");
	CHECK_EQ_STR(cfg.tracedb, "/db/t.db");
	CHECK_EQ_INT(cfg.purgetime, 48);
	CHECK_EQ_STR(cfg.local_domain.o, "Acme");
	CHECK_EQ_STR(cfg.local_domain.prmd, "ACME");
	CHECK_EQ_STR(cfg.local_domain.admd, "DBP");
	CHECK_EQ_STR(cfg.mta_name, "MTA.ACME");
	CHECK_EQ_STR(cfg.gdi.c, "FR");
	CHECK_EQ_STR(cfg.gdi.admd, "ATLAS");
	CHECK_EQ_STR(cfg.gdi.prmd, "GW");
	CHECK_EQ_INT(cfg.ps_style, OR_PS_OCTAL);
	CHECK_EQ_INT(cfg.expiry[CONFIG_PRIO_NORMAL], 12);
	CHECK_EQ_INT(cfg.expiry[CONFIG_PRIO_NON_URGENT], 100);
	CHECK_EQ_INT(cfg.expiry[CONFIG_PRIO_URGENT], 1);
	CHECK_EQ_STR(cfg.station_id, "O0013ACMEGMBH");
	CHECK_EQ_INT(cfg.max_file_size, 2ull * 1024 * 1024 * 1024);
	CHECK_EQ_STR(cfg.certificate, "/c.pem");
	CHECK_EQ_STR(cfg.key, "/k.pem");
}

static void
t_sizes(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load("[oftp]\nmax-file-size = 12345\n", &cfg),
	    CONFIG_OK);
	CHECK_EQ_INT(cfg.max_file_size, 12345);
	CHECK_EQ_INT(load("[oftp]\nmax-file-size = 64k\n", &cfg), CONFIG_OK);
	CHECK_EQ_INT(cfg.max_file_size, 65536);
	CHECK_EQ_INT(load("[oftp]\nmax-file-size = 3M\n", &cfg), CONFIG_OK);
	CHECK_EQ_INT(cfg.max_file_size, 3 * 1024 * 1024);
	CHECK_EQ_INT(load("[oftp]\nmax-file-size = 0\n", &cfg),
	    CONFIG_EVALUE);
	CHECK_EQ_INT(load("[oftp]\nmax-file-size = M\n", &cfg),
	    CONFIG_EVALUE);
	CHECK_EQ_INT(load("[oftp]\nmax-file-size = 99999999999999999999\n",
	    &cfg), CONFIG_EVALUE);
	CHECK_EQ_INT(load("[oftp]\nmax-file-size = 99999999999999G\n",
	    &cfg), CONFIG_EVALUE);
	CHECK(has("out of range"));
}

/* Relative paths follow the file's directory, not the working one. */
static void
t_relative(void)
{
	struct ox_config cfg;
	char	 want[1200];

	CHECK_EQ_INT(load("[spool]\nroot = spool\n"
	    "[security]\ncertificate = certs/me.pem\nkey = /abs/k.pem\n",
	    &cfg), CONFIG_OK);
	snprintf(want, sizeof(want), "%s/spool", test_dir());
	CHECK_EQ_STR(cfg.spool, want);
	snprintf(want, sizeof(want), "%s/spool/trace.db", test_dir());
	CHECK_EQ_STR(cfg.tracedb, want);
	snprintf(want, sizeof(want), "%s/certs/me.pem", test_dir());
	CHECK_EQ_STR(cfg.certificate, want);
	CHECK_EQ_STR(cfg.key, "/abs/k.pem");
	/* partners.ini and mapping/ default to beside the file */
	snprintf(want, sizeof(want), "%s/partners.ini", test_dir());
	CHECK_EQ_STR(cfg.partners, want);
	snprintf(want, sizeof(want), "%s/mapping", test_dir());
	CHECK_EQ_STR(cfg.mapping, want);
	CHECK_EQ_INT(load("[oftp]\npartners = p/x.ini\n[x400]\nmapping = /m\n",
	    &cfg), CONFIG_OK);
	snprintf(want, sizeof(want), "%s/p/x.ini", test_dir());
	CHECK_EQ_STR(cfg.partners, want);
	CHECK_EQ_STR(cfg.mapping, "/m");

	CHECK_EQ_INT(load("[spool]\ntrace = db/t.db\nroot = /s\n", &cfg),
	    CONFIG_OK);
	snprintf(want, sizeof(want), "%s/db/t.db", test_dir());
	CHECK_EQ_STR(cfg.tracedb, want);
	CHECK_EQ_STR(cfg.spool, "/s");
}

static void
t_err_section(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load("[spool]\n[bogus]\n", &cfg), CONFIG_EKEY);
	CHECK(has(path));
	CHECK(has("unknown section [bogus]"));
	CHECK_EQ_INT(load("stray = 1\n", &cfg), CONFIG_EKEY);
	CHECK(has("outside any section"));
}

static void
t_err_key(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load("[oftp]\nstation = O0013X\n", &cfg), CONFIG_EKEY);
	CHECK(has(path));
	CHECK(has("[oftp] station: unknown key"));
	/* a key known in another section only */
	CHECK_EQ_INT(load("[spool]\nmta-name = X\n", &cfg), CONFIG_EKEY);
	CHECK(has("[spool] mta-name: unknown key"));
}

static void
t_err_number(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load("[spool]\narchive = zip\narchive-retention = 48\n"
	    "tmp-age = 2\n", &cfg), CONFIG_OK);
	CHECK_EQ_INT(cfg.archive, CONFIG_ARCHIVE_ZIP);
	CHECK_EQ_INT(cfg.archive_retention, 48);
	CHECK_EQ_INT(cfg.tmp_age, 2);
	CHECK_EQ_INT(load("[spool]\narchive = rar\n", &cfg), CONFIG_EVALUE);
	CHECK(has("[spool] archive: 'rar' is not tar.gz, zip or off"));
	CHECK_EQ_INT(load("[spool]\npurgetime = 12h\n", &cfg),
	    CONFIG_EVALUE);
	CHECK(has(path));
	CHECK(has("[spool] purgetime: '12h' is not a number of hours"));
	CHECK_EQ_INT(load("[expiry]\nurgent = -1\n", &cfg), CONFIG_EVALUE);
	CHECK(has("[expiry] urgent:"));
	CHECK_EQ_INT(load("[expiry]\nnormal = 0\n", &cfg), CONFIG_EVALUE);
	CHECK(has("[expiry] normal: 0 hours out of range"));
	CHECK_EQ_INT(load("[expiry]\nnon-urgent =\n", &cfg), CONFIG_EVALUE);
}

static void
t_err_suffix(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load("[oftp]\nmax-file-size = 100MB\n", &cfg),
	    CONFIG_EVALUE);
	CHECK(has(path));
	CHECK(has("[oftp] max-file-size: bad suffix 'MB' (K, M or G)"));
	CHECK_EQ_INT(load("[oftp]\nmax-file-size = 5T\n", &cfg),
	    CONFIG_EVALUE);
	CHECK(has("bad suffix 'T'"));
}

static void
t_err_orname(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load("[x400]\nlocal-domain = /C=DE/XYZ=1/\n", &cfg),
	    CONFIG_EVALUE);
	CHECK(has(path));
	CHECK(has("[x400] local-domain: bad O/R address"));
	CHECK_EQ_INT(load("[x400]\nlocal-domain = /O=Acme/\n", &cfg),
	    CONFIG_EVALUE);
	CHECK(has("no country"));
	CHECK_EQ_INT(load("[x400]\nglobal-domain = /C=DE/A=X/O=Acme/\n",
	    &cfg), CONFIG_EVALUE);
	CHECK(has("[x400] global-domain:"));
	CHECK(has("only C, ADMD and PRMD"));
	CHECK_EQ_INT(load("[x400]\nglobal-domain = garbage\n", &cfg),
	    CONFIG_EVALUE);
	CHECK(has("bad O/R address 'garbage'"));
}

static void
t_err_escape(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load("[x400]\nps-escape = hex\n", &cfg), CONFIG_EVALUE);
	CHECK(has(path));
	CHECK(has("[x400] ps-escape: 'hex' is neither decimal nor octal"));
}

static void
t_err_other_values(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load("[oftp]\nstation-id = X0013ACME\n", &cfg),
	    CONFIG_EVALUE);
	CHECK(has("[oftp] station-id:"));
	CHECK_EQ_INT(load("[oftp]\nstation-id = O00A3ACME\n", &cfg),
	    CONFIG_EVALUE);
	CHECK(has("four-digit ICD"));
	CHECK_EQ_INT(load("[oftp]\nstation-id = o0013acme\n", &cfg),
	    CONFIG_EVALUE);
	CHECK_EQ_INT(load("[oftp]\nstation-id = O0013ACMEGMBHXXXXXXXXXXXXXX\n",
	    &cfg), CONFIG_EVALUE);
	CHECK_EQ_INT(load("[x400]\nmta-name = has space\n", &cfg),
	    CONFIG_EVALUE);
	CHECK(has("[x400] mta-name:"));
	CHECK_EQ_INT(load("[x400]\nmta-name = "
	    "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABC\n", &cfg), CONFIG_EVALUE);
	CHECK_EQ_INT(load("[spool]\nroot =\n", &cfg), CONFIG_EVALUE);
	CHECK(has("[spool] root: empty"));
}

static void
t_err_syntax(void)
{
	struct ox_config cfg;

	CHECK_EQ_INT(load("[spool]\npurgetime = 1\n\nthis is wrong\n", &cfg),
	    CONFIG_ESYNTAX);
	CHECK(has(path));
	CHECK(has("line 4: syntax error"));
}

/*
 * A section or a key given twice is refused (iniparser would merge it),
 * naming the file, the line and the line of the first.
 */
static void
t_err_duplicate(void)
{
	struct ox_config cfg;
	char	 want[1200];

	CHECK_EQ_INT(load("[spool]\npurgetime = 1\n; purgetime = 3\n"
	    "purgetime = 2\n", &cfg), CONFIG_ESYNTAX);
	snprintf(want, sizeof(want), "%s: line 4: [spool] purgetime given "
	    "twice (first at line 2)", path);
	CHECK_EQ_STR(err, want);
	/* keys as iniparser sees them: trimmed, without case */
	CHECK_EQ_INT(load("[spool]\nPurgeTime=1\n  purgetime = 2\n", &cfg),
	    CONFIG_ESYNTAX);
	CHECK(has("line 3: [spool] purgetime given twice (first at line 2)"));
	/* a line ending in '\' goes on on the next one */
	CHECK_EQ_INT(load("[spool]\nroot = /a\\\n/b\nroot = /c\n", &cfg),
	    CONFIG_ESYNTAX);
	CHECK(has("line 4: [spool] root given twice (first at line 2)"));
	CHECK_EQ_INT(load("[spool]\nroot = /s\n[oftp]\n[Spool]\n"
	    "purgetime = 2\n", &cfg), CONFIG_ESYNTAX);
	snprintf(want, sizeof(want), "%s: line 4: section [Spool] given twice "
	    "(first at line 1)", path);
	CHECK_EQ_STR(err, want);
	/* iniparser would take "[]" for a section "s" here */
	CHECK_EQ_INT(load("[spool]\nroot = /a\n[]\nroot = /b\n", &cfg),
	    CONFIG_ESYNTAX);
	CHECK(has("line 3: section without a name"));
	/* the same key in two sections is two keys */
	CHECK_EQ_INT(load("[security]\ncertificate = c\n[oftp]\n"
	    "partners = p\n[x400]\nmapping = m\n", &cfg), CONFIG_OK);
}

static void
t_err_io(void)
{
	struct ox_config cfg;
	char	 p[1200];

	snprintf(p, sizeof(p), "%s/absent.ini", test_dir());
	CHECK_EQ_INT(config_load(p, &cfg, err, sizeof(err)), CONFIG_EIO);
	CHECK(strstr(err, "absent.ini") != NULL);
	CHECK_EQ_INT(config_load(test_dir(), &cfg, err, sizeof(err)),
	    CONFIG_EIO);
	CHECK(strstr(err, "not a regular file") != NULL);
}

static void
t_default_path(void)
{
	setenv("OXGATE_CONF", "/x/y.ini", 1);
	CHECK_EQ_STR(config_default_path(), "/x/y.ini");
	setenv("OXGATE_CONF", "", 1);
	CHECK_EQ_STR(config_default_path(), OX_SYSCONFDIR "/oxgate/oxgate.ini");
	unsetenv("OXGATE_CONF");
	CHECK_EQ_STR(config_default_path(), OX_SYSCONFDIR "/oxgate/oxgate.ini");
}

static void
t_sample(void)
{
	struct ox_config cfg;
	const char *top = getenv("OX_TOP");
	char	 p[1200];

	snprintf(p, sizeof(p), "%s/etc/oxgate.ini", top ? top : ".");
	CHECK_EQ_INT(config_load(p, &cfg, err, sizeof(err)), CONFIG_OK);
	if (err[0] != '\0' && cfg.spool[0] == '\0')
		fprintf(stderr, "%s\n", err);
	CHECK_EQ_STR(cfg.spool, "/var/spool/oxgate");
	CHECK_EQ_STR(cfg.tracedb, "/var/spool/oxgate/trace.db");
	CHECK_EQ_STR(cfg.station_id, "O0177000000000X0LU000000");
	CHECK_EQ_INT(cfg.max_file_size, 100 * 1024 * 1024);
	CHECK_EQ_INT(cfg.expiry[CONFIG_PRIO_URGENT], 4);
	CHECK_EQ_STR(cfg.certificate, "/etc/oxgate/oxgate.crt");
}

static int
ploadn(const char *text, struct ox_partners *ps)
{
	err[0] = '\0';
	return partners_load(write_ini("partners.ini", text), ps, err,
	    sizeof(err));
}

#define P_MIN	"[a]\nodette = O0013AAA\nx400 = /S=X/O=A/A=DBP/C=DE/\n"

static void
t_partner_defaults(void)
{
	struct ox_partners ps;
	const struct ox_partner *p;

	CHECK_EQ_INT(ploadn(P_MIN, &ps), CONFIG_OK);
	CHECK_EQ_INT(ps.n, 1);
	p = &ps.p[0];
	CHECK_EQ_STR(p->name, "a");
	CHECK_EQ_STR(p->odette, "O0013AAA");
	CHECK_EQ_INT(p->nrouted, 0);
	CHECK_EQ_STR(p->userid, "");
	CHECK_EQ_STR(p->x400.s, "X");
	CHECK_EQ_INT(p->mode, PARTNER_AGENT);
	CHECK_EQ_INT(p->eerp, 1);
	CHECK_EQ_INT(p->bodypart, PARTNER_BP_VARIABLE);
	CHECK_EQ_INT(p->content, PARTNER_P22);
	CHECK_EQ_INT(p->subject, PARTNER_SUBJ_SFIDDESC);
	CHECK_EQ_STR(p->vdsn, "");
	CHECK_EQ_INT(p->mime, PARTNER_MIME_NONE);
	CHECK_EQ_INT(p->format, 'U');
	CHECK_EQ_INT(p->lrecl, 0);
	CHECK_EQ_INT(p->oftp, 20);
	CHECK_EQ_INT(p->sign + p->encrypt + p->compress + p->signed_eerp, 0);
	CHECK_EQ_INT(p->cipher, 1);
	CHECK_EQ_STR(p->certificate, "");
	partners_free(&ps);
}

/* The timers (issue 22): a partnership's own, else oxgate.ini's. */
static void
t_partner_timers(void)
{
	struct ox_partners ps;
	struct ox_config cfg;

	CHECK_EQ_INT(load("[spool]\nroot = /s\n[timers]\ndelivery = 5\n",
	    &cfg), CONFIG_OK);
	CHECK_EQ_INT(cfg.timer[CONFIG_TIMER_DELIVERY], 5);
	CHECK_EQ_INT(cfg.timer[CONFIG_TIMER_EERP], 24);
	CHECK_EQ_INT(cfg.timer[CONFIG_TIMER_EERP_OUT], 24);
	CHECK_EQ_INT(ploadn(P_MIN "eerp-timer = 7\n[t]\nodette = O0013T\n"
	    "x400 = /O=T/A=DBP/C=DE/\nmode = transfer\n"
	    "eerp-out-timer = 2\n", &ps), CONFIG_OK);
	CHECK_EQ_INT(partner_timer(&cfg, &ps.p[0], CONFIG_TIMER_DELIVERY), 5);
	CHECK_EQ_INT(partner_timer(&cfg, &ps.p[0], CONFIG_TIMER_EERP), 7);
	CHECK_EQ_INT(partner_timer(&cfg, &ps.p[1], CONFIG_TIMER_EERP_OUT), 2);
	CHECK_EQ_INT(partner_timer(&cfg, NULL, CONFIG_TIMER_EERP_OUT), 24);
	partners_free(&ps);
}

static void
t_partner_keys(void)
{
	struct ox_partners ps;
	const struct ox_partner *p;
	char	 want[1200];

	CHECK_EQ_INT(ploadn("[B]\nodette = O0013BBB\n"
	    "routed = O0013R1 , O0013R2,O0013R3\nuserid = 000042\n"
	    "x400 = /O=B/A=DBP/C=DE/\nmode = transfer\neerp = 3\n"
	    "bodypart = latin1\ncontent = p35\nsubject = mime\n"
	    "vdsn = ORDERS.X\nmime = description\nformat = V\n"
	    "lrecl = 99999\noftp = 2.0\nsign = yes\nencrypt = no\n"
	    "compress = yes\ncipher = 06\ncertificate = c/b.pem\n"
	    "signed-eerp = yes\n", &ps), CONFIG_OK);
	p = &ps.p[0];
	CHECK_EQ_STR(p->name, "b");
	CHECK_EQ_INT(p->nrouted, 3);
	CHECK_EQ_STR(p->routed[0], "O0013R1");
	CHECK_EQ_STR(p->routed[2], "O0013R3");
	CHECK_EQ_STR(p->userid, "000042");
	CHECK_EQ_INT(p->mode, PARTNER_TRANSFER);
	CHECK_EQ_INT(p->eerp, 3);
	CHECK_EQ_INT(p->bodypart, PARTNER_BP_LATIN1);
	CHECK_EQ_INT(p->content, PARTNER_P35);
	CHECK_EQ_INT(p->subject, PARTNER_SUBJ_MIME);
	CHECK_EQ_STR(p->vdsn, "ORDERS.X");
	CHECK_EQ_INT(p->mime, PARTNER_MIME_DESCRIPTION);
	CHECK_EQ_INT(p->format, 'V');
	CHECK_EQ_INT(p->lrecl, 99999);
	CHECK_EQ_INT(p->sign, 1);
	CHECK_EQ_INT(p->encrypt, 0);
	CHECK_EQ_INT(p->compress, 1);
	CHECK_EQ_INT(p->signed_eerp, 1);
	CHECK_EQ_INT(p->cipher, 6);
	snprintf(want, sizeof(want), "%s/c/b.pem", test_dir());
	CHECK_EQ_STR(p->certificate, want);
	partners_free(&ps);
}

/*
 * Certificates per station: the routed station's own, else the
 * partnership's; the virtual station's own pair for its ID only, else
 * the [security] pair.
 */
static void
t_partner_station_certs(void)
{
	struct ox_partners ps;
	struct ox_config cfg;
	const struct ox_partner *p;
	const char *key, *cert;
	char	 want[1200];

	CHECK_EQ_INT(ploadn(P_MIN "routed = O0013R1, O0013R2\n"
	    "userid = 000042\ncertificate = a.pem\n"
	    "routed-certificate = O0013R1 : c/r1.pem , O0013R2:/x/r2.pem\n"
	    "station-certificate = v.pem\nstation-key = v.key\n", &ps),
	    CONFIG_OK);
	p = &ps.p[0];
	CHECK_EQ_INT(p->nrcert, 2);
	snprintf(want, sizeof(want), "%s/c/r1.pem", test_dir());
	CHECK_EQ_STR(partner_cert(p, "o0013r1"), want);
	CHECK_EQ_STR(partner_cert(p, "O0013R2"), "/x/r2.pem");
	snprintf(want, sizeof(want), "%s/a.pem", test_dir());
	CHECK_EQ_STR(partner_cert(p, "O0013AAA"), want);
	CHECK_EQ_STR(partner_cert(p, NULL), want);
	config_init(&cfg);
	CHECK_EQ_INT(partner_own_keys(p, &cfg, "O0013AAA", &key, &cert), 0);
	snprintf(cfg.key, sizeof(cfg.key), "/g.key");
	snprintf(cfg.certificate, sizeof(cfg.certificate), "/g.pem");
	CHECK_EQ_INT(partner_own_keys(p, &cfg, "O0177000000000X0LU000000",
	    &key, &cert), 1);
	CHECK_EQ_STR(key, "/g.key");
	CHECK_EQ_STR(cert, "/g.pem");
	CHECK_EQ_INT(partner_own_keys(p, &cfg, "o0177000000000x0lu000042",
	    &key, &cert), 1);
	snprintf(want, sizeof(want), "%s/v.key", test_dir());
	CHECK_EQ_STR(key, want);
	snprintf(want, sizeof(want), "%s/v.pem", test_dir());
	CHECK_EQ_STR(cert, want);
	CHECK_EQ_INT(partner_own_keys(NULL, &cfg, "O0177000000000X0LU000042",
	    &key, &cert), 1);
	CHECK_EQ_STR(key, "/g.key");
	partners_free(&ps);
}

static void
t_partner_errors(void)
{
	static const struct {
		const char *text, *msg;
		int	 rc;
	} c[] = {
	    { P_MIN "colour = red\n", "[a] colour: unknown key", CONFIG_EKEY },
	    { "[a]\nodette = X0013AAA\n", "[a] odette: ", CONFIG_EVALUE },
	    { "[a]\nodette = O13AAA\n", "four-digit ICD", CONFIG_EVALUE },
	    { P_MIN "routed = O0013R1,,\n", "[a] routed: ", CONFIG_EVALUE },
	    { "[a]\nodette = O0013AAA\nx400 = /Q/\n",
	      "[a] x400: bad O/R address", CONFIG_EVALUE },
	    { P_MIN "mode = relay\n", "'relay' is not agent or transfer",
	      CONFIG_EVALUE },
	    { P_MIN "eerp = 4\n", "[a] eerp: '4' is not 1, 2 or 3",
	      CONFIG_EVALUE },
	    { P_MIN "bodypart = utf8\n", "[a] bodypart:", CONFIG_EVALUE },
	    { P_MIN "content = p772\n", "[a] content:", CONFIG_EVALUE },
	    { P_MIN "subject = x\n", "[a] subject:", CONFIG_EVALUE },
	    { P_MIN "vdsn = has space\n", "[a] vdsn:", CONFIG_EVALUE },
	    { P_MIN "mime = all\n", "[a] mime:", CONFIG_EVALUE },
	    { P_MIN "format = X\n", "[a] format:", CONFIG_EVALUE },
	    { P_MIN "lrecl = 100000\n", "[a] lrecl:", CONFIG_EVALUE },
	    { P_MIN "oftp = 1.3\n", "[a] oftp:", CONFIG_EVALUE },
	    { P_MIN "sign = true\n", "'true' is not no or yes",
	      CONFIG_EVALUE },
	    { P_MIN "cipher = 07\n", "[a] cipher:", CONFIG_EVALUE },
	    { P_MIN "format = F\n", "[a] lrecl: format F needs",
	      CONFIG_EVALUE },
	    { P_MIN "lrecl = 80\n", "[a] lrecl: format U has no",
	      CONFIG_EVALUE },
	    { P_MIN "oftp = 1.4\ncompress = yes\n", "[a] compress: needs "
	      "oftp 2.0", CONFIG_EVALUE },
	    { P_MIN "oftp = 1.4\nmime = description\n", "[a] mime: "
	      "description needs oftp 2.0", CONFIG_EVALUE },
	    { "[a]\nodette = O0013AAA\nx400 = /DD.EDI=c/P=OFTP/A=VIAT/C=DE/\n",
	      "[a] content: the central EDI function (x400 with a DDA EDI) "
	      "needs content p35", CONFIG_EVALUE },
	    { P_MIN "encrypt = yes\n", "[a] certificate:", CONFIG_EVALUE },
	    { P_MIN "routed = O0013R1\nrouted-certificate = O0013R1\n",
	      "[a] routed-certificate: 'O0013R1' is not ODETTEID:PATH",
	      CONFIG_EVALUE },
	    { P_MIN "routed = O0013R1\nrouted-certificate = O0013R1:\n",
	      "is not ODETTEID:PATH", CONFIG_EVALUE },
	    { P_MIN "routed = O0013R1\nrouted-certificate = X13R1:r.pem\n",
	      "[a] routed-certificate: ", CONFIG_EVALUE },
	    { P_MIN "routed = O0013R1\nrouted-certificate = O0013R2:r.pem\n",
	      "[a] routed-certificate: O0013R2 is not a routed station",
	      CONFIG_EVALUE },
	    { P_MIN "routed = O0013R1\nrouted-certificate = O0013R1:a, "
	      "O0013R1:b\n", "[a] routed-certificate: O0013R1 given twice",
	      CONFIG_EVALUE },
	    { P_MIN "userid = 42\nstation-key = k.pem\n", "[a] "
	      "station-certificate: the virtual station's station-certificate "
	      "and station-key go together", CONFIG_EVALUE },
	    { P_MIN "station-key = k.pem\nstation-certificate = c.pem\n",
	      "[a] station-certificate: no userid", CONFIG_EVALUE },
	    { "[a]\nx400 = /O=A/A=B/C=DE/\n", "[a] odette: required",
	      CONFIG_EVALUE },
	    { "[a]\nodette = O0013AAA\n", "[a] x400: required",
	      CONFIG_EVALUE },
	    { P_MIN "[b]\nodette = O0013AAA\nx400 = /O=B/A=B/C=DE/\n",
	      "[b] odette: ODETTE ID O0013AAA also in [a]", CONFIG_EVALUE },
	    { P_MIN "routed = O0013X\n[b]\nodette = O0013B\n"
	      "routed = O0013X\nx400 = /O=B/A=B/C=DE/\n",
	      "[b] routed: ODETTE ID O0013X also in [a]", CONFIG_EVALUE },
	    { P_MIN "routed = O0013AAA\n", "[a] routed: ODETTE ID O0013AAA "
	      "also in [a]", CONFIG_EVALUE },
	    { P_MIN "odette\n", "line 4: syntax error", CONFIG_ESYNTAX },
	    { P_MIN "mode = transfer\ndelivery-timer = 4\n",
	      "[a] delivery-timer: agent mode only", CONFIG_EVALUE },
	    { P_MIN "mode = transfer\neerp-timer = 4\n",
	      "[a] eerp-timer: agent mode only", CONFIG_EVALUE },
	    { P_MIN "eerp-out-timer = 0\n", "[a] eerp-out-timer:",
	      CONFIG_EVALUE },
	    { P_MIN "delivery-timer = 87601\n", "[a] delivery-timer:",
	      CONFIG_EVALUE },
	};
	struct ox_partners ps;
	size_t	 i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		CHECK_EQ_INT(ploadn(c[i].text, &ps), c[i].rc);
		CHECK(has(c[i].msg));
		CHECK(has(path));
		CHECK(ps.p == NULL && ps.n == 0);
	}
}

/*
 * A partnership given twice (also in another case), a key given twice in
 * one, two partnerships with the same local address: refused with the
 * file, the line and the line of the first.
 */
static void
t_partner_duplicates(void)
{
	struct ox_partners ps;
	char	 want[1200];

	CHECK_EQ_INT(ploadn(P_MIN "[a]\nmode = agent\n", &ps),
	    CONFIG_ESYNTAX);
	snprintf(want, sizeof(want), "%s: line 4: section [a] given twice "
	    "(first at line 1)", path);
	CHECK_EQ_STR(err, want);
	CHECK(ps.p == NULL && ps.n == 0);
	CHECK_EQ_INT(ploadn(P_MIN "\n[ACME]\nodette = O0013ACME\n"
	    "x400 = /O=ACME/A=DBP/C=DE/\n[ Acme ]\n", &ps), CONFIG_ESYNTAX);
	CHECK(has("line 8: section [Acme] given twice (first at line 5)"));
	CHECK_EQ_INT(ploadn(P_MIN "mode = agent\nmode = transfer\n", &ps),
	    CONFIG_ESYNTAX);
	snprintf(want, sizeof(want), "%s: line 5: [a] mode given twice "
	    "(first at line 4)", path);
	CHECK_EQ_STR(err, want);
	CHECK(ps.p == NULL && ps.n == 0);
	/* local compares as an address (partner_by_orname), not as text */
	CHECK_EQ_INT(ploadn(P_MIN "local = /O=L/P=OFTP/A=VIAT/C=DE/\n"
	    "[b]\nodette = O0013BBB\nx400 = /O=B/A=DBP/C=DE/\n"
	    "local = /C=DE/A=VIAT/P=OFTP/O=L/\n", &ps), CONFIG_EVALUE);
	snprintf(want, sizeof(want), "%s: line 8: [b] local: O/R address "
	    "also in [a] (first at line 4)", path);
	CHECK_EQ_STR(err, want);
	CHECK(ps.p == NULL && ps.n == 0);
	/* an ODETTE ID twice names both lines too */
	CHECK_EQ_INT(ploadn(P_MIN "[b]\nx400 = /O=B/A=DBP/C=DE/\n"
	    "routed = O0013R1, O0013AAA\nodette = O0013BBB\n", &ps),
	    CONFIG_EVALUE);
	snprintf(want, sizeof(want), "%s: line 6: [b] routed: ODETTE ID "
	    "O0013AAA also in [a] (first at line 2)", path);
	CHECK_EQ_STR(err, want);
	/* two partners, each with its own local address: fine */
	CHECK_EQ_INT(ploadn(P_MIN "local = /O=L/P=OFTP/A=VIAT/C=DE/\n"
	    "[b]\nodette = O0013BBB\nx400 = /O=B/A=DBP/C=DE/\n"
	    "local = /O=M/P=OFTP/A=VIAT/C=DE/\n", &ps), CONFIG_OK);
	CHECK_EQ_INT(ps.n, 2);
	partners_free(&ps);
}

static void
t_partner_lookup(void)
{
	struct ox_partners ps;
	struct orname or;
	struct or_err e;
	const struct ox_partner *p;

	CHECK_EQ_INT(ploadn(P_MIN "routed = O0013R1\n"
	    "[b]\nodette = O0013BBB\nuserid = 42\nx400 = /O=B/A=DBP/C=DE/\n",
	    &ps), CONFIG_OK);
	CHECK_EQ_INT(ps.n, 2);
	p = partner_by_odette(&ps, "O0013AAA");
	CHECK(p != NULL && strcmp(p->name, "a") == 0);
	p = partner_by_odette(&ps, "O0013R1");
	CHECK(p != NULL && strcmp(p->name, "a") == 0);
	p = partner_by_odette(&ps, "O0177000000000X0LU42");
	CHECK(p != NULL && strcmp(p->name, "b") == 0);
	CHECK(partner_by_odette(&ps, "O0013CCC") == NULL);
	CHECK(partner_by_odette(&ps, "O0177000000000X0LU") == NULL);

	orname_init(&or);
	CHECK_EQ_INT(orname_parse("/O=B/A=DBP/C=DE/", -1, &or, &e), OR_OK);
	p = partner_by_orname(&ps, &or);
	CHECK(p != NULL && strcmp(p->name, "b") == 0);
	orname_init(&or);
	CHECK_EQ_INT(orname_parse("/DD.ODETTEID=O0013R1/O=Z/A=DBP/C=DE/", -1,
	    &or, &e), OR_OK);
	p = partner_by_orname(&ps, &or);
	CHECK(p != NULL && strcmp(p->name, "a") == 0);
	orname_init(&or);
	CHECK_EQ_INT(orname_parse("/O=Z/A=DBP/C=DE/", -1, &or, &e), OR_OK);
	CHECK(partner_by_orname(&ps, &or) == NULL);
	partners_free(&ps);

	/* "local": given, or the gateway domain with DDA ODETTEID */
	CHECK_EQ_INT(ploadn(P_MIN "local = /O=AAA/P=OFTP/A=VIAT/C=DE/\n"
	    "[b]\nodette = O0013BBB\nx400 = /O=B/A=DBP/C=DE/\n", &ps),
	    CONFIG_OK);
	orname_init(&or);
	CHECK_EQ_INT(orname_parse("/P=OFTP/A=VIAT/C=DE/", -1, &or, &e), OR_OK);
	CHECK_EQ_INT(partners_default_local(&ps, &or), 0);
	CHECK_EQ_STR(orname_get(&ps.p[0].local, OR_O), "AAA");
	CHECK_EQ_INT(ps.p[0].local.ndda, 0);
	CHECK_EQ_STR(orname_dda(&ps.p[1].local, "ODETTEID"), "O0013BBB");
	CHECK_EQ_STR(orname_get(&ps.p[1].local, OR_PRMD), "OFTP");
	orname_init(&or);
	CHECK_EQ_INT(orname_parse("/O=AAA/P=OFTP/A=VIAT/C=DE/", -1, &or, &e),
	    OR_OK);
	p = partner_by_orname(&ps, &or);
	CHECK(p != NULL && strcmp(p->name, "a") == 0);
	partners_free(&ps);
}

/* Several partnerships for one X.400 partner (seed 000: "mehrere
 * Partnerschaften fuer denselben X.400 Partner ..., wenn hier
 * unterschiedliche Station ID (SFID) angegeben wurden"): one user ID, one
 * x400, different stations; the sending station picks the partnership. */
static void
t_partner_vstation(void)
{
	struct ox_partners ps;
	const struct ox_partner *p;
	const char *v = "O0177000000000X0LU000042";

	CHECK_EQ_INT(ploadn("[a]\nodette = O0013AAA\nuserid = 000042\n"
	    "x400 = /O=X/A=DBP/C=DE/\n[b]\nodette = O0013BBB\n"
	    "routed = O0013RRR\nuserid = 000042\nx400 = /O=X/A=DBP/C=DE/\n",
	    &ps), CONFIG_OK);
	CHECK_EQ_INT(ps.n, 2);
	p = partner_by_vstation(&ps, v, "O0013AAA");
	CHECK(p != NULL && strcmp(p->name, "a") == 0);
	p = partner_by_vstation(&ps, v, "O0013BBB");
	CHECK(p != NULL && strcmp(p->name, "b") == 0);
	p = partner_by_vstation(&ps, v, "O0013RRR");
	CHECK(p != NULL && strcmp(p->name, "b") == 0);
	p = partner_by_vstation(&ps, v, "O0013ZZZ");	/* the first: refused */
	CHECK(p != NULL && strcmp(p->name, "a") == 0);
	CHECK(partner_by_vstation(&ps, "O0177000000000X0LU000043",
	    "O0013AAA") == NULL);
	partners_free(&ps);
	/* a virtual ID that is another's own station ID stays refused */
	CHECK_EQ_INT(ploadn("[a]\nodette = O0177000000000X0LU000042\n"
	    "x400 = /O=X/A=DBP/C=DE/\n[b]\nodette = O0013BBB\n"
	    "userid = 000042\nx400 = /O=X/A=DBP/C=DE/\n", &ps), CONFIG_EVALUE);
	CHECK(strstr(err, "[b] userid: ODETTE ID O0177000000000X0LU000042 "
	    "also in [a]") != NULL);
}

static void
t_partner_sample(void)
{
	struct ox_partners ps;
	const char *top = getenv("OX_TOP");
	char	 p[1200];

	snprintf(p, sizeof(p), "%s/etc/partners.ini", top ? top : ".");
	CHECK_EQ_INT(partners_load(p, &ps, err, sizeof(err)), CONFIG_OK);
	if (ps.n == 0)
		fprintf(stderr, "%s\n", err);
	CHECK_EQ_INT(ps.n, 2);
	CHECK(partner_by_odette(&ps, "O0013ACMEWERK3") == &ps.p[0]);
	CHECK(partner_by_odette(&ps, "O0177000000000X0LU000042") == &ps.p[1]);
	partners_free(&ps);
}

int
main(void)
{
	TEST(t_defaults);
	TEST(t_every_key);
	TEST(t_sizes);
	TEST(t_relative);
	TEST(t_partner_vstation);
	TEST(t_err_section);
	TEST(t_err_key);
	TEST(t_err_number);
	TEST(t_err_suffix);
	TEST(t_err_orname);
	TEST(t_err_escape);
	TEST(t_err_other_values);
	TEST(t_err_syntax);
	TEST(t_err_duplicate);
	TEST(t_err_io);
	TEST(t_default_path);
	TEST(t_sample);
	TEST(t_partner_defaults);
	TEST(t_partner_keys);
	TEST(t_partner_timers);
	TEST(t_partner_station_certs);
	TEST(t_partner_errors);
	TEST(t_partner_duplicates);
	TEST(t_partner_lookup);
	TEST(t_partner_sample);
	return test_done();
}
