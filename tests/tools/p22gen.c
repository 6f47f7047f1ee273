/*
 * NAME
 *	p22gen - write P22 contents and P1 messages built by the project's encoder
 * SYNOPSIS
 *	p22gen OUTDIR
 * DESCRIPTION
 *	Test tool: builds with p22_encode() bare X.420 InformationObjects
 *	and writes them to OUTDIR, so the shell tests can hand them to an
 *	outside decoder (tshark):
 *
 *	gen_ia5.p22	IPM with every heading field and an ia5-text body
 *	gen_bp14.p22	bilaterally-defined body part, data streamed from a file
 *	gen_bp15.p22	general-text ISO 8859-1 body part
 *	gen_ftbp.p22	file-transfer body part (pathname, dates, size), streamed
 *	gen_cms.p22	file-transfer body part carrying a CMS ContentInfo
 *	gen_multi.p22	all four kinds of body part in one IPM
 *	gen_rn.p22	receipt notification
 *	gen_nrn.p22	non-receipt notification
 *	gen_p2.p22	the ia5 IPM as content type 2 (P2, 1984)
 *	gen_msg.p1	P1 message (content type 22) carrying gen_multi.p22,
 *			the content streamed from that file
 *	gen_rn.p1	P1 message carrying gen_rn.p22
 *	gen_att.p1	P1 message: a text note and two attachments (BP14 and
 *			an FTBP report.bin) for Rita, who is asked for a
 *			receipt notification (the demo's message)
 *
 *	The subjects are "gen <name>" (e.g. "gen multi"); the IPM
 *	identifiers "gen-<name>"; the IPNs are on gen-ia5.
 * EXIT STATUS
 *	0 written; 70 the encoder failed (the error on stderr); 73 an
 *	output file could not be written.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "x400/p1.h"
#include "x400/p22.h"

static const char *outdir;

static void
set_name(struct orname *or, const char *s, const char *g)
{
	orname_init(or);
	orname_set(or, OR_C, "DE", 2);
	orname_set(or, OR_ADMD, "VIAT", 4);
	orname_set(or, OR_PRMD, "OFTP", 4);
	orname_set(or, OR_O, "Gateway", 7);
	orname_set(or, OR_S, s, strlen(s));
	orname_set(or, OR_G, g, strlen(g));
}

static void
set_desc(struct p22_ordesc *o, const char *s, const char *g)
{
	p22_ordesc_init(o);
	o->has_formal = 1;
	set_name(&o->formal, s, g);
}

static void
set_id(struct p22_ipmid *id, const char *local, int user)
{
	memset(id, 0, sizeof(*id));
	snprintf(id->local, sizeof(id->local), "%s", local);
	if (user) {
		id->has_user = 1;
		set_name(&id->user, "Sender", "Sam");
	}
}

static void
set_subject(struct p22_heading *h, const char *s)
{
	h->has_subject = 1;
	h->subjlen = strlen(s);
	memcpy(h->subject, s, h->subjlen + 1);
}

static int
put(const char *name, const struct p22_content *c, int ct, int *fdout)
{
	struct berw	 w;
	char		 path[1024];
	int		 fd, e;

	berw_init(&w);
	if ((e = p22_encode(&w, c, ct)) != BER_OK) {
		fprintf(stderr, "p22gen: %s: %s: %s\n", name,
		    w.err_field ? w.err_field : "?", ber_strerror(e));
		berw_free(&w);
		return EX_SOFTWARE;
	}
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    berw_write_fd(&w, fd) != BER_OK) {
		perror(path);
		berw_free(&w);
		return EX_CANTCREAT;
	}
	berw_free(&w);
	if (fdout != NULL)
		*fdout = fd;
	else if (close(fd) < 0) {
		perror(path);
		return EX_CANTCREAT;
	}
	return 0;
}

/* A P1 message carrying the P22 in fd (streamed). */
static int
put_p1(const char *name, const char *local, int fd)
{
	static struct p1_pdu pdu;
	static struct p1_rcpt rc;
	struct p1_trace	 tr;
	struct berw	 w;
	char		 path[1024];
	off_t		 len;
	int		 out, e;

	if ((len = lseek(fd, 0, SEEK_END)) < 0)
		return EX_IOERR;
	memset(&tr, 0, sizeof(tr));
	strcpy(tr.gdi.c, "DE");
	strcpy(tr.gdi.admd, "VIAT");
	strcpy(tr.gdi.prmd, "OFTP");
	tr.gdi.has_prmd = 1;
	tr.arrival = 1735787045;
	p1_init(&pdu);
	pdu.kind = P1_MESSAGE;
	pdu.msg.env.id.gdi = tr.gdi;
	snprintf(pdu.msg.env.id.local, sizeof(pdu.msg.env.id.local), "%s",
	    local);
	set_name(&pdu.msg.env.originator, "Sender", "Sam");
	pdu.msg.env.ctype.present = 1;
	pdu.msg.env.ctype.builtin = P1_CT_P22;
	pdu.msg.env.trace.n = 1;
	pdu.msg.env.trace.v = &tr;
	set_name(&rc.name, "Receiver", "Rita");
	rc.osrn = 1;
	rc.pri = P1_PRI_RESPONSIBILITY;
	pdu.msg.env.nrcpt = 1;
	pdu.msg.env.rcpt = &rc;
	pdu.msg.content.present = 1;
	pdu.msg.content.use_fd = 1;
	pdu.msg.content.fd = fd;
	pdu.msg.content.off = 0;
	pdu.msg.content.fdlen = (uint64_t)len;
	berw_init(&w);
	if ((e = p1_encode(&w, &pdu)) != BER_OK) {
		fprintf(stderr, "p22gen: %s: %s: %s\n", name,
		    w.err_field ? w.err_field : "?", ber_strerror(e));
		berw_free(&w);
		return EX_SOFTWARE;
	}
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	if ((out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    berw_write_fd(&w, out) != BER_OK || close(out) < 0) {
		perror(path);
		berw_free(&w);
		return EX_CANTCREAT;
	}
	berw_free(&w);
	return 0;
}

static void
ipm(struct p22_content *c, const char *name, struct p22_bodypart *bp,
    size_t nbp)
{
	char	 s[64];

	p22_init(c);
	c->kind = P22_IPM;
	snprintf(s, sizeof(s), "gen-%s", name);
	set_id(&c->h.this_ipm, s, 1);
	snprintf(s, sizeof(s), "gen %s", name);
	set_subject(&c->h, s);
	c->h.has_originator = 1;
	set_desc(&c->h.originator, "Sender", "Sam");
	c->nbp = nbp;
	c->bp = bp;
}

int
main(int argc, char **argv)
{
	static struct p22_content c;
	static struct p22_bodypart bp[4];
	static struct p22_rcpt prim[2], copy, bcc;
	static struct p22_ordesc auth, reply;
	static struct p22_ipmid obs, rel;
	static struct p22_ftbp ft, cms;
	static const char text[] = "Hello from oxgate\r\nSecond line\r\n";
	static const char latin1[] = "Gr\xfc\xdf" "e aus K\xf6ln\r\n";
	static const uint8_t cinfo[] = {	/* ContentInfo id-data "hello" */
		0x30, 0x14, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x07, 0x01, 0xa0, 0x07, 0x04, 0x05, 'h', 'e', 'l', 'l',
		'o',
	};
	char	 dpath[1024];
	uint8_t	 blob[4096];
	size_t	 i;
	int	 dfd, mfd, rfd, rv;

	if (argc != 2) {
		fprintf(stderr, "usage: p22gen OUTDIR\n");
		return EX_USAGE;
	}
	outdir = argv[1];
	/* the file the BP14 and FTBP data are streamed from */
	for (i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)(i * 13 + 1);
	snprintf(dpath, sizeof(dpath), "%s/data.bin", outdir);
	if ((dfd = open(dpath, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    write(dfd, blob, sizeof(blob)) != (ssize_t)sizeof(blob)) {
		perror(dpath);
		return EX_CANTCREAT;
	}

	/* body parts */
	p22_bodypart_init(&bp[0], P22_BP_IA5);
	bp[0].data.p = (const uint8_t *)text;
	bp[0].data.len = sizeof(text) - 1;
	p22_bodypart_init(&bp[1], P22_BP_BILATERAL);
	bp[1].data.use_fd = 1;
	bp[1].data.fd = dfd;
	bp[1].data.off = 16;
	bp[1].data.fdlen = sizeof(blob) - 16;
	p22_bodypart_init(&bp[2], P22_BP_GENERAL_TEXT);
	bp[2].ncs = 3;
	bp[2].cs[0] = 1;
	bp[2].cs[1] = 6;
	bp[2].cs[2] = 100;
	bp[2].data.p = (const uint8_t *)latin1;
	bp[2].data.len = sizeof(latin1) - 1;
	p22_bodypart_init(&bp[3], P22_BP_FTBP);
	p22_ftbp_init(&ft);
	ft.has_env = 1;
	ft.appref = 2;
	ft.appref_text.n = 1;
	strcpy(ft.appref_text.v[0], "oxgate");
	ft.appref_text.len[0] = 6;
	ft.has_pathname = 1;
	ft.complete = 1;
	ft.path.n = 1;
	strcpy(ft.path.v[0], "report.bin");
	ft.path.len[0] = 10;
	ft.ctime_kind = P22_ATTR_VALUE;
	ft.ctime = 1735787045;
	ft.mtime_kind = P22_ATTR_VALUE;
	ft.mtime = 1735790400;
	ft.size_kind = P22_ATTR_VALUE;
	ft.size = sizeof(blob);
	bp[3].ftbp = &ft;
	bp[3].data.use_fd = 1;
	bp[3].data.fd = dfd;
	bp[3].data.off = 0;
	bp[3].data.fdlen = sizeof(blob);

	/* every heading field */
	ipm(&c, "ia5", &bp[0], 1);
	set_desc(&auth, "Boss", "Bea");
	c.h.nauth = 1;
	c.h.auth = &auth;
	set_desc(&prim[0].r, "Receiver", "Rita");
	prim[0].r.has_ffn = 1;
	strcpy(prim[0].r.ffn, "Rita Receiver");
	prim[0].r.ffnlen = strlen(prim[0].r.ffn);
	prim[0].r.has_tel = 1;
	strcpy(prim[0].r.tel, "+49 69 1234");
	prim[0].nreq = P22_NR_RN | P22_NR_NRN;
	prim[0].reply = 1;
	p22_ordesc_init(&prim[1].r);
	prim[1].r.has_ffn = 1;
	strcpy(prim[1].r.ffn, "Free Form Only");
	prim[1].r.ffnlen = strlen(prim[1].r.ffn);
	prim[1].nreq = P22_NR_NRN | P22_NR_IPM_RETURN;
	c.h.primary.n = 2;
	c.h.primary.v = prim;
	set_desc(&copy.r, "Copy", "Carl");
	c.h.copy.n = 1;
	c.h.copy.v = &copy;
	set_desc(&bcc.r, "Blind", "Bert");
	c.h.bcc.n = 1;
	c.h.bcc.v = &bcc;
	c.h.has_replied = 1;
	set_id(&c.h.replied, "gen-earlier", 1);
	set_id(&obs, "gen-obsolete", 0);
	c.h.nobsoleted = 1;
	c.h.obsoleted = &obs;
	set_id(&rel, "gen-related", 1);
	c.h.nrelated = 1;
	c.h.related = &rel;
	c.h.has_expiry = 1;
	c.h.expiry = 1738368000;
	c.h.has_reply_time = 1;
	c.h.reply_time = 1738281600;
	set_desc(&reply, "Sender", "Sam");
	c.h.nreply = 1;
	c.h.reply = &reply;
	c.h.importance = P22_IMP_HIGH;
	c.h.sensitivity = P22_SENS_PRIVATE;
	c.h.auto_forwarded = 1;
	if ((rv = put("gen_ia5.p22", &c, P22_CT_P22, NULL)) != 0 ||
	    (rv = put("gen_p2.p22", &c, P22_CT_P2, NULL)) != 0)
		return rv;

	ipm(&c, "bp14", &bp[1], 1);
	if ((rv = put("gen_bp14.p22", &c, P22_CT_P22, NULL)) != 0)
		return rv;
	ipm(&c, "bp15", &bp[2], 1);
	if ((rv = put("gen_bp15.p22", &c, P22_CT_P22, NULL)) != 0)
		return rv;
	ipm(&c, "ftbp", &bp[3], 1);
	if ((rv = put("gen_ftbp.p22", &c, P22_CT_P22, NULL)) != 0)
		return rv;

	p22_ftbp_init(&cms);
	p22_ftbp_set_cms(&cms);
	cms.has_pathname = 1;
	cms.path.n = 1;
	strcpy(cms.path.v[0], "smime.p7m");
	cms.path.len[0] = 9;
	ipm(&c, "cms", &bp[3], 1);
	{
		struct p22_bodypart cbp;

		p22_bodypart_init(&cbp, P22_BP_FTBP);
		cbp.ftbp = &cms;
		cbp.data.p = cinfo;
		cbp.data.len = sizeof(cinfo);
		c.bp = &cbp;
		if ((rv = put("gen_cms.p22", &c, P22_CT_P22, NULL)) != 0)
			return rv;
	}

	ipm(&c, "multi", bp, 4);
	if ((rv = put("gen_multi.p22", &c, P22_CT_P22, &mfd)) != 0 ||
	    (rv = put_p1("gen_msg.p1", "gen-p1-msg", mfd)) != 0)
		return rv;
	close(mfd);
	{
		static struct p22_bodypart att[3];
		static struct p22_rcpt rita;

		att[0] = bp[0];
		att[1] = bp[1];
		att[2] = bp[3];
		ipm(&c, "att", att, 3);
		memset(&rita, 0, sizeof(rita));
		set_desc(&rita.r, "Receiver", "Rita");
		rita.nreq = P22_NR_RN;
		c.h.primary.n = 1;
		c.h.primary.v = &rita;
		if ((rv = put("gen_att.p22", &c, P22_CT_P22, &mfd)) != 0 ||
		    (rv = put_p1("gen_att.p1", "gen-p1-att", mfd)) != 0)
			return rv;
		close(mfd);
	}

	/* notifications on gen-ia5 */
	p22_init(&c);
	c.kind = P22_IPN;
	set_id(&c.ipn.subject, "gen-ia5", 1);
	c.ipn.has_originator = 1;
	set_desc(&c.ipn.originator, "Receiver", "Rita");
	c.ipn.has_intended = 1;
	set_desc(&c.ipn.intended, "Receiver", "Rita");
	c.ipn.type = P22_IPN_RN;
	c.ipn.receipt_time = 1735790400;
	c.ipn.ack_mode = P22_ACK_AUTOMATIC;
	c.ipn.has_suppl = 1;
	strcpy(c.ipn.suppl, "read by gateway");
	if ((rv = put("gen_rn.p22", &c, P22_CT_P22, &rfd)) != 0 ||
	    (rv = put_p1("gen_rn.p1", "gen-p1-rn", rfd)) != 0)
		return rv;
	close(rfd);
	c.ipn.type = P22_IPN_NRN;
	c.ipn.has_intended = 0;
	c.ipn.nrn_reason = P22_NRN_DISCARDED;
	c.ipn.has_discard = 1;
	c.ipn.discard = P22_DISCARD_EXPIRED;
	c.ipn.has_afc = 1;
	strcpy(c.ipn.afc, "expired unread");
	if ((rv = put("gen_nrn.p22", &c, P22_CT_P22, NULL)) != 0)
		return rv;
	close(dfd);
	return 0;
}
