/*
 * NAME
 *	crashgen - many inputs at once for the crash tests: X.400 messages,
 *	the delivery reports an MTA returns, the EERPs OFTP stations return
 * SYNOPSIS
 *	crashgen ipm QUEUE PREFIX FIRST N ORIG RCPT
 *	crashgen report QUEUE MSG.p1...
 *	crashgen eerp QUEUE NAME.sfid...
 * DESCRIPTION
 *	Test tool for tests/sh/crash.sh: one process writes a batch of
 *	inputs into a spool queue QUEUE, each written into QUEUE/tmp/ and
 *	renamed into QUEUE (the spool contract; no fsync: the machine does
 *	not crash, the programs do), so that a test can feed a queue while
 *	the programs reading it are killed, without a process per file.
 *
 *	ipm: N P1 messages PREFIX-FIRST ... PREFIX-(FIRST+N-1) (the number
 *	zero-padded to 5 digits), as "edimgen ipm OUT LOCAL ORIG LOCAL BODY
 *	22 ia5 - RCPT" writes them: MTS identifier [DE*VIAT*OFTP;LOCAL],
 *	originator ORIG (std-or text), one recipient RCPT with
 *	responsibility and MTA and originator (non-)delivery reports asked,
 *	a P22 IPM whose this-IPM is ORIG;LOCAL and whose IA5 body part says
 *	"message LOCAL". Written as LOCAL.p1.
 *
 *	report: for each message MSG.p1 (as oftp2x400 wrote it) the
 *	delivery report of "rptgen report MSG.p1 OUT d": subject-identifier
 *	the message's MTS identifier, one per-recipient entry "delivered"
 *	for its first recipient, to its originator. Written as dr-NAME
 *	(NAME the message's file name).
 *
 *	eerp: for each OFTP file NAME + NAME.sfid (as x4002oftp wrote it)
 *	the EERP its destination returns (OFTP2 layout, unsigned, as
 *	"rptgen eerp OUT e DSN DATE TIME ORIG DEST" with the .sfid's
 *	fields). Written as NAME.eerp.
 * EXIT STATUS
 *	0 written; 64 usage; 65 bad input; 70 an encoder failed; 73 output.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "oftp/eerp.h"
#include "oftp/sfid.h"
#include "util/buf.h"
#include "x400/p1.h"
#include "x400/p22.h"

#include "tool.h"

static void
usage(void)
{
	fprintf(stderr, "usage: crashgen ipm QUEUE PREFIX FIRST N ORIG RCPT\n"
	    "       crashgen report QUEUE MSG.p1...\n"
	    "       crashgen eerp QUEUE NAME.sfid...\n");
	exit(EX_USAGE);
}

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* QUEUE/tmp/NAME, then renamed into QUEUE/NAME. */
static void
commit(const char *queue, const char *name, const void *p, size_t n)
{
	char	 tmp[4096], dst[4096];
	int	 fd;

	if (snprintf(tmp, sizeof(tmp), "%s/tmp/%s", queue, name) >=
	    (int)sizeof(tmp) || snprintf(dst, sizeof(dst), "%s/%s", queue,
	    name) >= (int)sizeof(dst))
		die(EX_USAGE, name, "path too long");
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    write(fd, p, n) != (ssize_t)n || close(fd) < 0 ||
	    rename(tmp, dst) < 0)
		die(EX_CANTCREAT, tmp, "cannot write or rename");
}

static void
commit_berw(const char *queue, const char *name, struct berw *w)
{
	char	 tmp[4096], dst[4096];
	int	 fd;

	if (snprintf(tmp, sizeof(tmp), "%s/tmp/%s", queue, name) >=
	    (int)sizeof(tmp) || snprintf(dst, sizeof(dst), "%s/%s", queue,
	    name) >= (int)sizeof(dst))
		die(EX_USAGE, name, "path too long");
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    berw_write_fd(w, fd) != BER_OK || close(fd) < 0 ||
	    rename(tmp, dst) < 0)
		die(EX_CANTCREAT, tmp, "cannot write or rename");
}

static void
encode_p1(struct berw *w, const struct p1_pdu *pdu)
{
	int	 e;

	berw_init(w);
	if ((e = p1_encode(w, pdu)) != BER_OK)
		die(EX_SOFTWARE, w->err_field ? w->err_field : "P1",
		    ber_strerror(e));
}

static void
or_parse(const char *s, struct orname *or)
{
	struct or_err	 e;

	orname_init(or);
	if (orname_parse(s, (ssize_t)strlen(s), or, &e) != OR_OK)
		die(EX_DATAERR, s, orname_strerror(e.code));
}

static int
cmd_ipm(int argc, char **argv)
{
	struct p1_pdu	 pdu;
	struct p1_rcpt	 r1;
	struct p1_trace	 tr;
	struct p22_content ipm;
	struct p22_rcpt	 ir;
	struct p22_bodypart bp;
	struct orname	 orig, to;
	struct berw	 w, content;
	char		 local[P1_UB_LOCAL_ID + 1], name[64], body[128];
	long		 first, n, i;
	int		 e;

	if (argc != 6)
		usage();
	first = strtol(argv[2], NULL, 10);
	n = strtol(argv[3], NULL, 10);
	if (first < 0 || n < 0 || strlen(argv[1]) > P1_UB_LOCAL_ID - 6)
		usage();
	or_parse(argv[4], &orig);
	or_parse(argv[5], &to);
	for (i = first; i < first + n; i++) {
		snprintf(local, sizeof(local), "%s-%05ld", argv[1], i);
		snprintf(body, sizeof(body), "message %s\r\n", local);
		berw_init(&content);
		p22_init(&ipm);
		ipm.kind = P22_IPM;
		p22_heading_init(&ipm.h);
		ipm.h.this_ipm.has_user = 1;
		ipm.h.this_ipm.user = orig;
		snprintf(ipm.h.this_ipm.local, sizeof(ipm.h.this_ipm.local),
		    "%s", local);
		ipm.h.has_originator = 1;
		p22_ordesc_init(&ipm.h.originator);
		ipm.h.originator.has_formal = 1;
		ipm.h.originator.formal = orig;
		memset(&ir, 0, sizeof(ir));
		p22_ordesc_init(&ir.r);
		ir.r.has_formal = 1;
		ir.r.formal = to;
		ipm.h.primary.n = 1;
		ipm.h.primary.v = &ir;
		p22_bodypart_init(&bp, P22_BP_IA5);
		bp.data.p = (const uint8_t *)body;
		bp.data.len = strlen(body);
		ipm.nbp = 1;
		ipm.bp = &bp;
		e = p22_encode(&content, &ipm, P22_CT_P22);
		ipm.h.primary.v = NULL;
		ipm.bp = NULL;
		p22_free(&ipm);
		if (e != BER_OK)
			die(EX_SOFTWARE, content.err_field ? content.err_field :
			    "P22", ber_strerror(e));
		p1_init(&pdu);
		pdu.kind = P1_MESSAGE;
		strcpy(pdu.msg.env.id.gdi.c, "DE");
		strcpy(pdu.msg.env.id.gdi.admd, "VIAT");
		strcpy(pdu.msg.env.id.gdi.prmd, "OFTP");
		pdu.msg.env.id.gdi.has_prmd = 1;
		snprintf(pdu.msg.env.id.local, sizeof(pdu.msg.env.id.local),
		    "%s", local);
		pdu.msg.env.originator = orig;
		pdu.msg.env.ctype.present = 1;
		pdu.msg.env.ctype.builtin = P1_CT_P22;
		pdu.msg.env.priority = P1_PRIO_NORMAL;
		memset(&tr, 0, sizeof(tr));
		tr.gdi = pdu.msg.env.id.gdi;
		tr.arrival = time(NULL);
		pdu.msg.env.trace.n = 1;
		pdu.msg.env.trace.v = &tr;
		memset(&r1, 0, sizeof(r1));
		r1.name = to;
		r1.osrn = 1;
		r1.pri = P1_PRI_RESPONSIBILITY | P1_PRI_MTA_REPORT |
		    P1_PRI_MTA_NDR | P1_PRI_ORIG_REPORT | P1_PRI_ORIG_NDR;
		pdu.msg.env.nrcpt = 1;
		pdu.msg.env.rcpt = &r1;
		pdu.msg.content.present = 1;
		pdu.msg.content.enc = &content;
		encode_p1(&w, &pdu);
		pdu.msg.env.trace.v = NULL;
		pdu.msg.env.rcpt = NULL;
		p1_free(&pdu);
		snprintf(name, sizeof(name), "%s.p1", local);
		commit_berw(argv[0], name, &w);
		berw_free(&w);
		berw_free(&content);
	}
	return 0;
}

static void
set_gdi(struct p1_gdi *g)
{
	memset(g, 0, sizeof(*g));
	strcpy(g->c, "DE");
	strcpy(g->admd, "DBP");
	strcpy(g->prmd, "MTA");
	g->has_prmd = 1;
}

static int
cmd_report(int argc, char **argv)
{
	struct p1_pdu	 msg, pdu;
	struct p1_rrcpt	 rr;
	struct p1_trace	 tr;
	struct ber_dec	 d;
	struct berw	 w;
	uint8_t		*buf;
	char		 name[4096];
	size_t		 n;
	int		 i;

	if (argc < 2)
		usage();
	for (i = 1; i < argc; i++) {
		buf = slurp(argv[i], &n);
		ber_dec_init(&d);
		p1_init(&msg);
		if (p1_decode(&d, NULL, buf, n, &msg) != BER_OK ||
		    msg.kind != P1_MESSAGE || msg.msg.env.nrcpt == 0)
			die(EX_DATAERR, argv[i], "not a P1 message with "
			    "recipients");
		memset(&tr, 0, sizeof(tr));
		set_gdi(&tr.gdi);
		tr.arrival = 1795852800;
		p1_init(&pdu);
		pdu.kind = P1_REPORT;
		set_gdi(&pdu.rpt.id.gdi);
		snprintf(pdu.rpt.id.local, sizeof(pdu.rpt.id.local),
		    "rpt-%.28s", msg.msg.env.id.local);
		pdu.rpt.dest = msg.msg.env.originator;
		pdu.rpt.trace.n = 1;
		pdu.rpt.trace.v = &tr;
		pdu.rpt.subject = msg.msg.env.id;
		pdu.rpt.ctype.present = 1;
		pdu.rpt.ctype.builtin = msg.msg.env.ctype.builtin;
		memset(&rr, 0, sizeof(rr));
		rr.actual = msg.msg.env.rcpt[0].name;
		rr.osrn = 1;
		rr.arrival = 1795852800;
		rr.type = P1_DELIVERY;
		rr.delivery_time = 1795852860;
		pdu.rpt.nrcpt = 1;
		pdu.rpt.rcpt = &rr;
		encode_p1(&w, &pdu);
		pdu.rpt.trace.v = NULL;
		pdu.rpt.rcpt = NULL;
		p1_free(&pdu);
		p1_free(&msg);
		free(buf);
		snprintf(name, sizeof(name), "dr-%s", base(argv[i]));
		commit_berw(argv[0], name, &w);
		berw_free(&w);
	}
	return 0;
}

static int
cmd_eerp(int argc, char **argv)
{
	struct sfid	 sf;
	struct eerp	 e;
	struct buf	 b;
	char		 err[512], name[4096];
	size_t		 l;
	int		 i;

	if (argc < 2)
		usage();
	for (i = 1; i < argc; i++) {
		sfid_init(&sf);
		if (sfid_read_file(&sf, argv[i], err, sizeof(err)) != SFID_OK)
			die(EX_DATAERR, argv[i], err);
		eerp_from_sfid(&e, &sf, 'E', EERP_OFTP2);
		buf_init(&b);
		if (eerp_build(&e, &b, err, sizeof(err)) != EERP_OK)
			die(EX_DATAERR, argv[i], err);
		snprintf(name, sizeof(name), "%s", base(argv[i]));
		l = strlen(name);
		if (l > 5 && strcmp(name + l - 5, ".sfid") == 0)
			name[l - 5] = '\0';
		strncat(name, ".eerp", sizeof(name) - strlen(name) - 1);
		commit(argv[0], name, b.p, b.len);
		buf_free(&b);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 3)
		usage();
	if (strcmp(argv[1], "ipm") == 0)
		return cmd_ipm(argc - 2, argv + 2);
	if (strcmp(argv[1], "report") == 0)
		return cmd_report(argc - 2, argv + 2);
	if (strcmp(argv[1], "eerp") == 0)
		return cmd_eerp(argc - 2, argv + 2);
	usage();
	return EX_USAGE;
}
