/*
 * NAME
 *	edimgen - write P1 messages carrying EDI: a P35 EDIM with EDI
 *	notification requests, or a P22 / P2 IPM with an interchange
 * SYNOPSIS
 *	edimgen edim OUT LOCAL ORIG EDIMID BODY RCPT[#REQ]...
 *	edimgen ipm [-r ID-LOC] OUT LOCAL ORIG IPMID BODY CT BPTYPE SUBJECT
 *	    RCPT[#REQ]...
 * DESCRIPTION
 *	Test tool: builds with the project's encoders (p35_encode,
 *	p22_encode, p1_encode) one P1 message into the file OUT, so the
 *	shell tests can drive x4002oftp with EDI traffic of their choice.
 *
 *	The envelope: MTS identifier [DE*VIAT*OFTP;LOCAL] (LOCAL up to 32
 *	characters), originator ORIG (an O/R address in std-or text), one
 *	trace element, priority normal, and for every RCPT (std-or text) a
 *	recipient with responsibility, originator and MTA delivery and
 *	non-delivery reports asked.
 *
 *	edim: content type 35, an EDIM whose this-EDIM is ORIG;EDIMID, the
 *	originator ORIG, the recipients RCPT with the EDI notification
 *	requests REQ (a comma list of pn, nn, fn; none without #), body
 *	part type EDIFACT ISO 646, and the primary body part the contents
 *	of the file BODY.
 *
 *	ipm: content type CT (22 or 2), an IPM whose this-IPM is
 *	ORIG;IPMID (IPMID with a "*" is an id-loc of RFC 2156 4.7.3.2,
 *	"URI*[STD-OR]": the identifier URI with the ORName STD-OR, or none
 *	when it is empty), replied-to-IPM the id-loc given with -r,
 *	originator ORIG, the recipients RCPT as primary
 *	recipients with the notification requests REQ (rn, nrn), subject
 *	SUBJECT ("-" none) and one body part of type BPTYPE (ia5 or gt,
 *	general text ISO 8859-1) holding the file BODY.
 * EXIT STATUS
 *	0 written; 64 usage; 65 a bad O/R address or value; 66 BODY not
 *	read; 70 the encoder failed (the error on stderr); 73 OUT not
 *	written.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "x400/p1.h"
#include "x400/p22.h"
#include "x400/p35.h"

#define MAX_RCPT	16

static int
orname(const char *s, size_t n, struct orname *or)
{
	struct or_err	 e;

	orname_init(or);
	if (orname_parse(s, (ssize_t)n, or, &e) != OR_OK) {
		fprintf(stderr, "edimgen: bad O/R address '%.*s': %s\n",
		    (int)n, s, orname_strerror(e.code));
		return -1;
	}
	return 0;
}

/* "ADDR#a,b" into the address and the request bits of the names. */
static int
rcpt(const char *arg, const char *const *names, struct orname *or,
    uint64_t *req)
{
	const char *hash = strchr(arg, '#'), *s;
	size_t	 i, n;

	*req = 0;
	if (orname(arg, hash ? (size_t)(hash - arg) : strlen(arg), or) < 0)
		return -1;
	for (s = hash ? hash + 1 : NULL; s != NULL && *s != '\0'; s += n) {
		n = strcspn(s, ",");
		for (i = 0; names[i] != NULL; i++)
			if (strlen(names[i]) == n && strncmp(s, names[i], n) == 0)
				break;
		if (names[i] == NULL) {
			fprintf(stderr, "edimgen: unknown request '%.*s'\n",
			    (int)n, s);
			return -1;
		}
		*req |= 1u << i;
		if (s[n] == ',')
			n++;
	}
	return 0;
}

/* An id-loc "URI*[STD-OR]" (RFC 2156 4.7.3.2) into an IPM identifier. */
static int
ipmid(const char *s, struct p22_ipmid *id)
{
	const char *star = strchr(s, '*');

	memset(id, 0, sizeof(*id));
	if (star == NULL || (size_t)(star - s) > P22_UB_LOCAL_ID)
		return -1;
	memcpy(id->local, s, (size_t)(star - s));
	id->has_user = star[1] != '\0';
	return id->has_user ? orname(star + 1, strlen(star + 1), &id->user) :
	    0;
}

static int
read_body(const char *path, struct buf *b)
{
	char	 chunk[8192];
	ssize_t	 r;
	int	 fd;

	if ((fd = open(path, O_RDONLY)) < 0) {
		perror(path);
		return -1;
	}
	while ((r = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(b, chunk, (size_t)r);
	close(fd);
	return r < 0 || buf_error(b) ? -1 : 0;
}

static const char *const edi_req[] = { "pn", "nn", "fn", NULL };
static const char *const ipm_req[] = { "rn", "nrn", NULL };

/* The EDIM of argv (RCPTs from argv[first], n of them) into content. */
static int
edim_content(struct berw *content, char **argv, int first, int n,
    const struct orname *orig, const struct buf *body)
{
	struct p35_pdu	 edim;
	struct p35_rcpt	 er[MAX_RCPT];
	int		 e, i;

	p35_init(&edim);
	edim.kind = P35_EDIM;
	edim.h.this_edim.user = *orig;
	snprintf(edim.h.this_edim.local, sizeof(edim.h.this_edim.local), "%s",
	    argv[5]);
	edim.h.has_originator = 1;
	edim.h.originator = *orig;
	edim.h.has_rcpts = 1;
	edim.h.nrcpt = (size_t)n;
	edim.h.rcpt = er;
	for (i = 0; i < n; i++) {
		p35_rcpt_init(&er[i]);
		if (rcpt(argv[first + i], edi_req, &er[i].name, &er[i].notif) <
		    0)
			return EX_DATAERR;
		er[i].has_notif = er[i].notif != 0;
	}
	edim.body.kind = P35_BODY_EDI;
	edim.body.edi.p = body->p;
	edim.body.edi.len = body->len;
	e = p35_encode(content, &edim);
	edim.h.rcpt = NULL;
	p35_free(&edim);
	return e == BER_OK ? EX_OK : EX_SOFTWARE;
}

/* The IPM of argv into content (content type 22 or 2 in *ct). */
static int
ipm_content(struct berw *content, char **argv, int first, int n,
    const struct orname *orig, const struct p22_ipmid *replied,
    const struct buf *body, int *ct)
{
	struct p22_content ipm;
	struct p22_rcpt	 ir[MAX_RCPT];
	struct p22_bodypart bp;
	int		 e, i;

	if ((*ct = atoi(argv[7])) != 22 && *ct != 2)
		return EX_USAGE;
	if (strcmp(argv[8], "ia5") == 0)
		p22_bodypart_init(&bp, P22_BP_IA5);
	else if (strcmp(argv[8], "gt") == 0) {
		p22_bodypart_init(&bp, P22_BP_GENERAL_TEXT);
		bp.ncs = 3;
		bp.cs[0] = 1;
		bp.cs[1] = 6;
		bp.cs[2] = 100;
	} else
		return EX_USAGE;
	p22_init(&ipm);
	ipm.kind = P22_IPM;
	p22_heading_init(&ipm.h);
	ipm.h.this_ipm.has_user = 1;
	ipm.h.this_ipm.user = *orig;
	snprintf(ipm.h.this_ipm.local, sizeof(ipm.h.this_ipm.local), "%s",
	    argv[5]);
	if (strchr(argv[5], '*') != NULL && ipmid(argv[5], &ipm.h.this_ipm) < 0)
		return EX_DATAERR;
	if ((ipm.h.has_replied = replied != NULL))
		ipm.h.replied = *replied;
	ipm.h.has_originator = 1;
	p22_ordesc_init(&ipm.h.originator);
	ipm.h.originator.has_formal = 1;
	ipm.h.originator.formal = *orig;
	if (strcmp(argv[9], "-") != 0) {
		ipm.h.has_subject = 1;
		snprintf((char *)ipm.h.subject, sizeof(ipm.h.subject), "%s",
		    argv[9]);
		ipm.h.subjlen = strlen(argv[9]);
	}
	for (i = 0; i < n; i++) {
		memset(&ir[i], 0, sizeof(ir[i]));
		p22_ordesc_init(&ir[i].r);
		ir[i].r.has_formal = 1;
		if (rcpt(argv[first + i], ipm_req, &ir[i].r.formal,
		    &ir[i].nreq) < 0)
			return EX_DATAERR;
	}
	ipm.h.primary.n = (size_t)n;
	ipm.h.primary.v = ir;
	bp.data.p = body->p;
	bp.data.len = body->len;
	ipm.nbp = 1;
	ipm.bp = &bp;
	e = p22_encode(content, &ipm, *ct == 2 ? P22_CT_P2 : P22_CT_P22);
	ipm.h.primary.v = NULL;
	ipm.bp = NULL;
	p22_free(&ipm);
	return e == BER_OK ? EX_OK : EX_SOFTWARE;
}

/* The P1 message around content into the file out. */
static int
write_p1(const char *out, const char *local, const struct orname *orig,
    int ct, char **rcpts, int n, const char *const *req, struct berw *content)
{
	struct p1_pdu	 pdu;
	struct p1_rcpt	 r1[MAX_RCPT];
	struct p1_trace	 tr;
	struct berw	 w;
	uint64_t	 r;
	int		 e, fd, i;

	p1_init(&pdu);
	pdu.kind = P1_MESSAGE;
	strcpy(pdu.msg.env.id.gdi.c, "DE");
	strcpy(pdu.msg.env.id.gdi.admd, "VIAT");
	strcpy(pdu.msg.env.id.gdi.prmd, "OFTP");
	pdu.msg.env.id.gdi.has_prmd = 1;
	snprintf(pdu.msg.env.id.local, sizeof(pdu.msg.env.id.local), "%s",
	    local);
	pdu.msg.env.originator = *orig;
	pdu.msg.env.ctype.present = 1;
	pdu.msg.env.ctype.builtin = ct;
	pdu.msg.env.priority = P1_PRIO_NORMAL;
	memset(&tr, 0, sizeof(tr));
	tr.gdi = pdu.msg.env.id.gdi;
	tr.arrival = time(NULL);
	pdu.msg.env.trace.n = 1;
	pdu.msg.env.trace.v = &tr;
	for (i = 0; i < n; i++) {
		memset(&r1[i], 0, sizeof(r1[i]));
		if (rcpt(rcpts[i], req, &r1[i].name, &r) < 0)
			return EX_DATAERR;
		r1[i].osrn = i + 1;
		r1[i].pri = P1_PRI_RESPONSIBILITY | P1_PRI_MTA_REPORT |
		    P1_PRI_MTA_NDR | P1_PRI_ORIG_REPORT | P1_PRI_ORIG_NDR;
	}
	pdu.msg.env.nrcpt = (size_t)n;
	pdu.msg.env.rcpt = r1;
	pdu.msg.content.present = 1;
	pdu.msg.content.enc = content;
	berw_init(&w);
	e = p1_encode(&w, &pdu);
	pdu.msg.env.trace.v = NULL;
	pdu.msg.env.rcpt = NULL;
	p1_free(&pdu);
	if (e != BER_OK) {
		fprintf(stderr, "edimgen: P1: %s: %s\n",
		    w.err_field ? w.err_field : "?", ber_strerror(e));
		return EX_SOFTWARE;
	}
	if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    berw_write_fd(&w, fd) != BER_OK || close(fd) < 0) {
		perror(out);
		return EX_CANTCREAT;
	}
	berw_free(&w);
	return EX_OK;
}

int
main(int argc, char **argv)
{
	struct orname	 orig;
	struct berw	 content;
	struct buf	 body;
	struct p22_ipmid replied;
	const char	*local;
	int		 is_edim, first, ct = P1_CT_P35, e, n, has_replied = 0;

	if (argc > 3 && strcmp(argv[1], "ipm") == 0 &&
	    strcmp(argv[2], "-r") == 0) {
		if (ipmid(argv[3], &replied) < 0)
			return EX_DATAERR;
		has_replied = 1;
		argv[3] = argv[1];	/* "ipm" again, before OUT */
		argv += 2;
		argc -= 2;
	}
	if (argc < 8)
		goto usage;
	local = argv[3];
	is_edim = strcmp(argv[1], "edim") == 0;
	if (!is_edim && strcmp(argv[1], "ipm") != 0)
		goto usage;
	first = is_edim ? 7 : 10;
	n = argc - first;
	if (n < 1 || n > MAX_RCPT || strlen(local) > P1_UB_LOCAL_ID)
		goto usage;
	if (orname(argv[4], strlen(argv[4]), &orig) < 0)
		return EX_DATAERR;
	buf_init(&body);
	if (read_body(argv[6], &body) < 0)
		return EX_NOINPUT;
	berw_init(&content);
	e = is_edim ? edim_content(&content, argv, first, n, &orig, &body) :
	    ipm_content(&content, argv, first, n, &orig, has_replied ?
	    &replied : NULL, &body, &ct);
	if (e == EX_USAGE)
		goto usage;
	if (e == EX_SOFTWARE)
		fprintf(stderr, "edimgen: content: %s: %s\n",
		    content.err_field ? content.err_field : "?",
		    ber_strerror(content.err));
	if (e == EX_OK)
		e = write_p1(argv[2], local, &orig, ct, argv + first, n,
		    is_edim ? edi_req : ipm_req, &content);
	berw_free(&content);
	buf_free(&body);
	return e;
usage:
	fprintf(stderr, "usage: edimgen edim OUT LOCAL ORIG EDIMID BODY "
	    "RCPT[#pn,nn,fn]...\n"
	    "       edimgen ipm [-r ID-LOC] OUT LOCAL ORIG IPMID|ID-LOC BODY "
	    "22|2 ia5|gt SUBJECT|- RCPT[#rn,nrn]...\n");
	return EX_USAGE;
}
