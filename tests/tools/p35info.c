/*
 * NAME
 *	p35info - print the PEDI (P35) EDIM of a P1 message, or write the
 *	data of one P22 body part
 * SYNOPSIS
 *	p35info FILE.p1
 *	p35info -b N FILE.p1
 * DESCRIPTION
 *	Test tool for the shell tests. Decodes FILE.p1 with p1_decode();
 *	without -b the content with p35_decode() and prints one "key: value"
 *	line per EDIM heading field (ctype, edim, originator, bodypart,
 *	syntax, version, sender, sender-qual, prep (YYYY-MM-DD HH:MM UTC),
 *	appref, ssa (the six UNA characters), and per recipient rcpt,
 *	notif (pn nn fn), ichg-rcpt, ichg-rcpt-qual, icr, rref, test, ack)
 *	and body-len. With -b N the content with p22_decode() and writes the
 *	data of body part N (1-based) to stdout; "is_cms" on stderr when the
 *	FTBP carries a CMS object.
 * EXIT STATUS
 *	0 done; 64 usage; 65 the input does not decode; 66 unreadable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "x400/p1.h"
#include "x400/p22.h"
#include "x400/p35.h"

static void
party(const char *k, const struct p35_party *p)
{
	if (!p->present)
		return;
	printf("%s: %s\n", k, p->id);
	if (p->has_qual)
		printf("%s-qual: %s\n", k, p->qual);
	if (p->has_route)
		printf("%s-route: %s\n", k, p->route);
}

static void
orline(const char *k, const struct orname *or)
{
	struct buf b;

	buf_init(&b);
	orname_print(or, &b);
	printf("%s: %s\n", k, buf_cstr(&b));
	buf_free(&b);
}

static int
edim(const struct p1_pdu *p1)
{
	struct p35_pdu	 pdu;
	struct ber_dec	 d;
	struct tm	 tm;
	size_t		 i;

	ber_dec_init(&d);
	p35_init(&pdu);
	if (p35_decode(&d, NULL, p1->msg.content.p, p1->msg.content.len, &pdu)
	    != BER_OK || pdu.kind != P35_EDIM) {
		fprintf(stderr, "p35info: P35: offset %zu: %s: %s\n",
		    d.err_off, d.err_field ? d.err_field : "?",
		    ber_strerror(d.err));
		p35_free(&pdu);
		return EX_DATAERR;
	}
	printf("ctype: %lld\n", (long long)p1->msg.env.ctype.builtin);
	printf("edim-local: %s\n", pdu.h.this_edim.local);
	orline("edim-user", &pdu.h.this_edim.user);
	if (pdu.h.has_originator)
		orline("originator", &pdu.h.originator);
	printf("bodypart: %s\n", pdu.h.bodypart_type);
	if (pdu.h.has_syntax)
		printf("syntax: %s\nversion: %s\n", pdu.h.syntax_id,
		    pdu.h.syntax_version);
	party("sender", &pdu.h.ichg_sender);
	if (pdu.h.has_prep) {
		gmtime_r(&pdu.h.prep, &tm);
		printf("prep: %04d-%02d-%02d %02d:%02d UTC\n", tm.tm_year +
		    1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	}
	if (pdu.h.has_appref)
		printf("appref: %s\n", pdu.h.appref);
	if (pdu.h.has_ssa)
		printf("ssa: %c%c%c%c%c%c\n", pdu.h.ssa.component_sep,
		    pdu.h.ssa.element_sep, pdu.h.ssa.decimal,
		    pdu.h.ssa.has_release ? pdu.h.ssa.release : ' ',
		    pdu.h.ssa.has_reserved ? pdu.h.ssa.reserved : ' ',
		    pdu.h.ssa.segment_term);
	for (i = 0; i < pdu.h.nrcpt; i++) {
		const struct p35_rcpt *r = &pdu.h.rcpt[i];

		orline("rcpt", &r->name);
		printf("notif:%s%s%s\n", r->notif & P35_NR_PN ? " pn" : "",
		    r->notif & P35_NR_NN ? " nn" : "",
		    r->notif & P35_NR_FN ? " fn" : "");
		party("ichg-rcpt", &r->ichg_rcpt);
		if (r->has_icr)
			printf("icr: %s\n", r->icr);
		if (r->has_rref)
			printf("rref: %s\n", r->rref);
		if (r->has_agreement)
			printf("agreement: %s\n", r->agreement);
		printf("test: %d\nack: %d\n", r->test, r->ack_request);
	}
	printf("body-len: %zu\n", pdu.body.edi.len);
	p35_free(&pdu);
	return 0;
}

static int
bodypart(const struct p1_pdu *p1, unsigned long n)
{
	struct p22_content c;
	struct ber_dec	 d;
	int		 rc = 0;

	ber_dec_init(&d);
	p22_init(&c);
	if (p22_decode(&d, NULL, p1->msg.content.p, p1->msg.content.len, &c)
	    != BER_OK || c.kind != P22_IPM || n < 1 || n > c.nbp) {
		fprintf(stderr, "p35info: no body part %lu\n", n);
		p22_free(&c);
		return EX_DATAERR;
	}
	if (c.bp[n - 1].ftbp != NULL && c.bp[n - 1].ftbp->is_cms)
		fprintf(stderr, "is_cms\n");
	if (fwrite(c.bp[n - 1].data.p, 1, c.bp[n - 1].data.len, stdout) !=
	    c.bp[n - 1].data.len)
		rc = EX_IOERR;
	p22_free(&c);
	return rc;
}

int
main(int argc, char **argv)
{
	struct p1_pdu	 p1;
	struct ber_dec	 d;
	struct buf	 b;
	unsigned long	 n = 0;
	char		 chunk[65536];
	size_t		 r;
	FILE		*f;
	int		 rc;

	if (argc == 4 && strcmp(argv[1], "-b") == 0) {
		n = strtoul(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: p35info [-b N] FILE.p1\n");
		return EX_USAGE;
	}
	if ((f = fopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return EX_NOINPUT;
	}
	buf_init(&b);
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, r);
	fclose(f);
	ber_dec_init(&d);
	p1_init(&p1);
	if (p1_decode(&d, NULL, b.p, b.len, &p1) != BER_OK || p1.kind !=
	    P1_MESSAGE) {
		fprintf(stderr, "p35info: P1: offset %zu: %s: %s\n", d.err_off,
		    d.err_field ? d.err_field : "?", ber_strerror(d.err));
		rc = EX_DATAERR;
	} else
		rc = n > 0 ? bodypart(&p1, n) : edim(&p1);
	p1_free(&p1);
	buf_free(&b);
	return rc;
}
