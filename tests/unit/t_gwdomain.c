/*
 * NAME
 *	t_gwdomain - unit tests for the gateway's RFC 822 domain
 * DESCRIPTION
 *	The [x400] rfc822-domain key of oxgate.ini (lib/gw/config): good
 *	values, the empty value, and each kind of bad value with its
 *	message. gw_mixer() (lib/gw/gw): the key wins; without it the
 *	or-domain entry of local-domain; without both "x400.invalid".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test.h"
#include "gw/config.h"
#include "gw/gw.h"
#include "x400/mixer.h"

static char path[1100];
static char err[CONFIG_ERR_MAX];

static void
write_file(const char *p, const char *text)
{
	FILE	*f;

	if ((f = fopen(p, "w")) == NULL) {
		test_fail(__FILE__, __LINE__, "cannot create %s", p);
		return;
	}
	fputs(text, f);
	fclose(f);
}

static int
load(const char *text, struct ox_config *cfg)
{
	snprintf(path, sizeof(path), "%s/oxgate.ini", test_dir());
	write_file(path, text);
	err[0] = '\0';
	return config_load(path, cfg, err, sizeof(err));
}

static void
t_key(void)
{
	static const struct { const char *v, *why; } bad[] = {
		{ "a..example", "empty label" },
		{ ".example", "empty label" },
		{ "example.", "empty last label" },
		{ "-a.example", "label starting with '-'" },
		{ "a-.example", "ending in '-'" },
		{ "a_b.example", "character 0x5f at offset 1" },
		{ "a b.example", "character 0x20 at offset 1" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaa.example", "label longer than 63" },
	};
	struct ox_config cfg;
	char	 text[512];
	size_t	 k;

	CHECK_EQ_INT(load("", &cfg), CONFIG_OK);
	CHECK_EQ_STR(cfg.rfc822_domain, "");
	CHECK_EQ_INT(load("[x400]\nrfc822-domain = x400.Example-1.com\n",
	    &cfg), CONFIG_OK);
	CHECK_EQ_STR(cfg.rfc822_domain, "x400.Example-1.com");
	CHECK_EQ_INT(load("[x400]\nrfc822-domain = localhost\n", &cfg),
	    CONFIG_OK);
	CHECK_EQ_STR(cfg.rfc822_domain, "localhost");
	CHECK_EQ_INT(load("[x400]\nrfc822-domain =\n", &cfg), CONFIG_OK);
	CHECK_EQ_STR(cfg.rfc822_domain, "");
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		snprintf(text, sizeof(text), "[x400]\nrfc822-domain = %s\n",
		    bad[k].v);
		if (load(text, &cfg) != CONFIG_EVALUE ||
		    strstr(err, "[x400] rfc822-domain") == NULL ||
		    strstr(err, bad[k].why) == NULL)
			test_fail(__FILE__, __LINE__, "%s: \"%s\", expected "
			    "\"%s\"", bad[k].v, err, bad[k].why);
	}
	memset(text, 'a', 300);
	memcpy(text, "[x400]\nrfc822-domain = ", 23);
	strcpy(text + 290, ".example\n");
	CHECK_EQ_INT(load(text, &cfg), CONFIG_EVALUE);
	CHECK(strstr(err, "at most 255") != NULL);
}

/* The gateway's domain as gw_mixer() sets it. */
static const char *
gw_domain(const char *ini, const char *or_domain, char *out, size_t n)
{
	struct gw	 g;
	char		 dir[900], p[1000];

	memset(&g, 0, sizeof(g));
	CHECK_EQ_INT(load(ini, &g.cfg), CONFIG_OK);
	snprintf(dir, sizeof(dir), "%s/mapping", test_dir());
	mkdir(dir, 0700);
	snprintf(p, sizeof(p), "%s/or-domain", dir);
	remove(p);
	if (or_domain != NULL)
		write_file(p, or_domain);
	snprintf(g.cfg.mapping, sizeof(g.cfg.mapping), "%s", dir);
	snprintf(out, n, "%s", gw_mixer(&g)->gwdomain);
	mixer_free(g.mx);
	free(g.mx);
	return out;
}

static void
t_gw_mixer(void)
{
	static const char local[] = "[x400]\nlocal-domain = /P=OFTP/A=VIAT/"
	    "C=DE/\n";
	static const char table[] = "PRMD$OFTP.ADMD$VIAT.C$DE#oftp.example#\n";
	char	 ini[256], d[300];

	snprintf(ini, sizeof(ini), "%srfc822-domain = gw.example.org\n",
	    local);
	CHECK_EQ_STR(gw_domain(ini, table, d, sizeof(d)), "gw.example.org");
	CHECK_EQ_STR(gw_domain(local, table, d, sizeof(d)), "oftp.example");
	CHECK_EQ_STR(gw_domain(local, NULL, d, sizeof(d)), "x400.invalid");
	snprintf(ini, sizeof(ini), "%srfc822-domain =\n", local);
	CHECK_EQ_STR(gw_domain(ini, table, d, sizeof(d)), "oftp.example");
}

int
main(void)
{
	TEST(t_key);
	TEST(t_gw_mixer);
	return test_done();
}
