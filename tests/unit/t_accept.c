/*
 * NAME
 *	t_accept - tests of accept_sfid(), the acceptance of an OFTP file from
 *	its SFID and the configuration, and of the SFNA <-> NERP reasons
 * DESCRIPTION
 *	Each rule of gw/accept.h with the file that passes it and the file
 *	that breaks it, and the order of the rules (the first that fails
 *	decides, as in oftp2x400). nerp_sfna() and sfna_reason_text() against
 *	RFC 5024 5.3.5 (rfc5024.txt:2807-2826, SFNAREAS) and 5.3.14
 *	(rfc5024.txt:3508-3547: NERP 11-16, 20-30 are "SFNA(RETRY=N) received
 *	with reason code" 01-06, 10-20).
 */
#include <stdio.h>
#include <string.h>

#include "gw/accept.h"
#include "oftp/eerp.h"
#include "test.h"

static struct ox_config	 cfg;
static struct ox_partners ps;

static void
load(void)
{
	char	 path[512], err[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/partners.ini", test_dir());
	if ((f = fopen(path, "w")) == NULL)
		return;
	fputs("[acme]\nodette = O0013ACMEGMBH\nrouted = O0013ACMEWERK2\n"
	    "userid = 000042\nx400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/\n"
	    "[central]\nodette = O0013CENTRAL\n"
	    "x400 = /DD.EDI=C/O=Central/P=CENTRAL/A=DBP/C=DE/\n"
	    "content = p35\n", f);
	fclose(f);
	config_init(&cfg);
	cfg.max_file_size = 10 * 1024;
	CHECK_EQ_INT(partners_load(path, &ps, err, sizeof(err)), CONFIG_OK);
}

/* A file from acme to its virtual station ID, then changed by the test. */
static void
file(struct sfid *s)
{
	sfid_init(s);
	snprintf(s->dsn, sizeof(s->dsn), "INVOIC");
	snprintf(s->date, sizeof(s->date), "20261207");
	snprintf(s->time, sizeof(s->time), "1000000001");
	snprintf(s->dest, sizeof(s->dest), "O0177000000000X0LU000042");
	snprintf(s->orig, sizeof(s->orig), "O0013ACMEGMBH");
	s->format = 'U';
}

static unsigned
verdict(const struct sfid *s, struct accept *a)
{
	return accept_sfid(&cfg, &ps, s, a);
}

static void
t_partnership(void)
{
	struct accept	 a;
	struct sfid	 s;

	file(&s);
	CHECK_EQ_INT(verdict(&s, &a), 0);
	CHECK(a.p != NULL && strcmp(a.p->name, "acme") == 0);
	snprintf(s.orig, sizeof(s.orig), "O0013ACMEWERK2");	/* routed */
	CHECK_EQ_INT(verdict(&s, &a), 0);
	snprintf(s.orig, sizeof(s.orig), "O0013NOBODY");
	CHECK_EQ_INT(verdict(&s, &a), 13);
	CHECK(a.p == NULL && a.lp != NULL);	/* its level shapes the NERP */
	CHECK(strstr(a.why, "O0013NOBODY") != NULL);
	file(&s);
	snprintf(s.dest, sizeof(s.dest), "O0177000000000X0LU000099");
	CHECK_EQ_INT(verdict(&s, &a), 12);
	CHECK(a.lp == NULL);
	/* the general station ID with the user ID before the first '.' */
	snprintf(s.dest, sizeof(s.dest), "%s", cfg.station_id);
	snprintf(s.dsn, sizeof(s.dsn), "000042.INVOIC");
	CHECK_EQ_INT(verdict(&s, &a), 0);
	snprintf(s.dsn, sizeof(s.dsn), "12345678.INVOIC");	/* > 7 */
	CHECK_EQ_INT(verdict(&s, &a), 12);
	/* the central EDI partnership: the station itself, not routed */
	snprintf(s.dsn, sizeof(s.dsn), "INVOIC");
	snprintf(s.orig, sizeof(s.orig), "O0013CENTRAL");
	CHECK_EQ_INT(verdict(&s, &a), 0);
	CHECK(a.p != NULL && strcmp(a.p->name, "central") == 0);
}

static void
t_size(void)
{
	struct accept	 a;
	struct sfid	 s;

	file(&s);
	s.fsize = s.osize = 10;		/* 10 KiB: the limit itself */
	CHECK_EQ_INT(verdict(&s, &a), 0);
	s.fsize = 11;
	CHECK_EQ_INT(verdict(&s, &a), 16);
	CHECK(strstr(a.why, "fsize 11") != NULL);
	s.fsize = 1;
	s.osize = 9999999999999ULL;	/* the original size counts too */
	CHECK_EQ_INT(verdict(&s, &a), 16);
	cfg.max_file_size = 10 * 1024 + 1;	/* rounded up to blocks */
	s.osize = 11;
	CHECK_EQ_INT(verdict(&s, &a), 0);
	cfg.max_file_size = 10 * 1024;
}

static void
t_security(void)
{
	struct accept	 a;
	struct sfid	 s;

	file(&s);
	s.env = 1;
	CHECK_EQ_INT(verdict(&s, &a), 34);	/* no layer named */
	s.comp = 1;
	CHECK_EQ_INT(verdict(&s, &a), 0);	/* compression needs no key */
	s.sec = 1;
	s.ciph = 1;
	CHECK_EQ_INT(verdict(&s, &a), 26);	/* no [security] key */
	snprintf(cfg.key, sizeof(cfg.key), "k.pem");
	snprintf(cfg.certificate, sizeof(cfg.certificate), "c.pem");
	CHECK_EQ_INT(verdict(&s, &a), 0);
	s.sec = 3;
	CHECK_EQ_INT(verdict(&s, &a), 29);	/* [acme] has no certificate */
	cfg.key[0] = cfg.certificate[0] = '\0';
}

/* The first rule that fails decides: destination, origin, size, security. */
static void
t_order(void)
{
	struct accept	 a;
	struct sfid	 s;

	file(&s);
	s.fsize = 11;
	s.sec = 1;
	s.ciph = 1;
	s.env = 1;
	CHECK_EQ_INT(verdict(&s, &a), 16);
	snprintf(s.orig, sizeof(s.orig), "O0013NOBODY");
	CHECK_EQ_INT(verdict(&s, &a), 13);
	snprintf(s.dest, sizeof(s.dest), "O0177000000000X0LU000099");
	CHECK_EQ_INT(verdict(&s, &a), 12);
}

static void
t_sfna(void)
{
	unsigned n;

	CHECK_EQ_INT(nerp_sfna(12), 2);
	CHECK_EQ_INT(nerp_sfna(13), 3);
	CHECK_EQ_INT(nerp_sfna(16), 6);
	CHECK_EQ_INT(nerp_sfna(26), 16);
	CHECK_EQ_INT(nerp_sfna(29), 19);
	CHECK_EQ_INT(nerp_sfna(34), 99);	/* no SFNA of its own */
	CHECK_EQ_INT(nerp_sfna(0), 99);
	/* every NERP that says "SFNA ... reason code 'NN'" maps to NN */
	for (n = 1; n < 100; n++) {
		const char *t = nerp_reason_text(n), *q;

		if (t == NULL || (q = strstr(t, "reason code '")) == NULL ||
		    strncmp(t, "SFNA", 4) != 0)
			continue;
		CHECK_EQ_INT(nerp_sfna(n), (q[13] - '0') * 10 + q[14] - '0');
		CHECK(sfna_reason_text(nerp_sfna(n)) != NULL);
	}
	CHECK_EQ_STR(sfna_reason_text(2), "Invalid destination.");
	CHECK_EQ_STR(sfna_reason_text(99), "Unspecified reason.");
	CHECK(sfna_reason_text(7) == NULL);
}

int
main(void)
{
	load();
	TEST(t_partnership);
	TEST(t_size);
	TEST(t_security);
	TEST(t_order);
	TEST(t_sfna);
	partners_free(&ps);
	return test_done();
}
