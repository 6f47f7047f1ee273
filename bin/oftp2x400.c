/*
 * NAME
 *	oftp2x400 - OFTP virtual files to X.400 messages
 * SYNOPSIS
 *	oftp2x400 [-v] [-c FILE] --spool | --watch
 *	oftp2x400 [-v] [-c FILE] --sfid FILE [--eerp FILE] [INPUT]
 * DESCRIPTION
 *	Each virtual file (payload + .sfid) of spool/oftp/in becomes one P1
 *	message in spool/x400/out for the X.400 partner of the partnership
 *	found from the SFID destination. See oftp2x400(1) for the rules;
 *	in short:
 *
 *	  1. read and check the SFID; derive the MTS identifier from the
 *	     OFTP identity (DSN, date, time, originator, destination), so a
 *	     redo after a crash writes the same names and trace row;
 *	  2. find the partnership (virtual station ID, or the general
 *	     station ID plus the user ID that starts the VDSN, else the
 *	     central EDI partnership of the sending station; several
 *	     partnerships may share a user ID, the sending station picks)
 *	     and check the originator; unknown: NERP 12 / 13;
 *	  3. size limit (the SFID's sizes, then the payload's): NERP 16;
 *	     OFTP2 security without key or certificate: NERP 26 / 29; steps
 *	     2 and 3 as far as the SFID and the configuration decide them are
 *	     gw/accept.h, the code oxspool check runs before a file comes;
 *	     OFTP2 security layers are undone (NERP 31 / 32 / 33 on failure;
 *	     decrypted with the virtual station's own key when it has one,
 *	     verified with a routed station's own certificate when it has
 *	     one: partner_keys_load());
 *	  4. the records become the body: U and T as they are (streamed from
 *	     the payload), F and V records joined (with CR LF for text);
 *	  5. the body part per the partnership (ascii, latin1, bp14 or
 *	     variable: T and F/V text -> general text, U and F/V binary ->
 *	     BP14; P2 falls back to IA5 / BP14);
 *	     a body that starts with a MIME header (bodypart variable, or
 *	     mime not none) is parsed by gw/mime_in: one body part per MIME
 *	     part by its MIME type from the table mapping/mime-to-x400
 *	     (variable; oxgate-content-types(5)), S/MIME as an FTBP carrying
 *	     the CMS object;
 *	     content p35: a PEDI EDIM whose heading comes from UNA/UNB (the
 *	     recipient from edi-partners with the central EDI function);
 *	     content p22 / p2 and an EDI interchange as the file: the P2 <->
 *	     PEDI rules (IA5 or general text by the syntax, the subject per
 *	     edi-subject, the derived EDIM identifier traced);
 *	  6. the P1 envelope requests a delivery report for EERP mode 2 and
 *	     the IPM heading a receipt notification for mode 3; mode 1
 *	     writes the EERP at once;
 *	  7. the .p1 (and in mode 1 the EERP) is staged in tmp/, recorded
 *	     with the trace row in one transaction, then published (gw/outbox.h,
 *	     oxgate-spool(5) "Commit order"); a file whose row is past
 *	     received was handled before and is finished, not converted
 *	     again (the same OFTP file arriving again: duplicate(), the
 *	     EERP sent again). A refusal after step 1 does the same with a
 *	     NERP for spool/oftp/eerp.out and moves the input to failed/;
 *	     so does the last attempt of an input that failed temporarily
 *	     for the queue lifetime (gw.h: NERP 34).
 * EXIT STATUS
 *	sysexits(3): 0 every input was converted or refused (NERP and
 *	failed/); 64 usage; 65 filter mode: the input was refused; 74
 *	filter mode: stdout or --eerp not written; 75 an input could not
 *	be processed now and stays for a later run; 78 configuration.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "asn1/ber.h"
#include "gw/accept.h"
#include "gw/ctypes.h"
#include "gw/edipart.h"
#include "gw/gw.h"
#include "gw/ident.h"
#include "gw/mime_in.h"
#include "gw/outbox.h"
#include "gw/rpt_build.h"
#include "gw/unb.h"
#include "oftp/cms.h"
#include "oftp/eerp.h"
#include "oftp/odette.h"
#include "oftp/records.h"
#include "oftp/sfid.h"
#include "util/clock.h"
#include "util/afile.h"
#include "util/err.h"
#include "util/log.h"
#include "x400/mixer.h"
#include "x400/p1.h"
#include "x400/p22.h"
#include "x400/p35.h"
#include "x400/t61.h"

/* What one conversion needs besides the gateway context. */
struct conv {
	struct gw		*g;
	struct queue_item	*it;		/* the input */
	const struct ox_partner	*p;		/* the partnership */
	const struct ox_partner	*lp;		/* found by the destination */
	struct sfid		 sf;
	char			 id[IDENT_SZ];	/* MTS local identifier */
	char			 mts_text[128];	/* gw_mtsid_text() */
	char			 ipm_text[512];	/* gw_ipmid_text() */
	char			 edim_text[512]; /* the same for an EDIM */
	struct orname		 rcpt;		/* the X.400 recipient */
	time_t			 now;
	int64_t			 row;		/* trace row, 0 if none */
	int			 body_fd;	/* payload or converted body */
	uint64_t		 body_len;
	int			 text;		/* body is text (no controls) */
	int			 ascii;		/* ... and 7-bit */
	struct ber_gen		 gen;		/* F, V: body made by it */
	struct cur		 recs;		/* F, V: the records */
	uint8_t			*map;		/* F, V: the payload mapped */
	uint64_t		 map_len;
	struct buf		 head;		/* F, V: the body's start */
	int			 own_fd;	/* a temporary body, or -1 */
	int			 filter;	/* filter mode: no spool output */
	struct cms_keys		*keys;		/* loaded when needed */
	unsigned		 suite;		/* cipher suite for hashes */
	uint8_t			 hash[CMS_HASH_MAX];	/* of the file as sent */
	size_t			 hash_len;
	int			 plain_fd;	/* unwrapped payload, or -1 */
	struct mime_in		*mime;		/* parsed MIME payload, or NULL */
	unsigned		 nerp;		/* NERP reason when refused */
	char			 why[QUEUE_WHY_MAX];
};

static struct gw	 gw;
static const char	*filter_eerp;	/* filter mode: where the EERP goes */
/* filter mode: the P1 to stdout, an EERP to --eerp FILE (or nowhere) */
static const struct outbox_route filter_route[] = {
	{ "x400/out", NULL, STDOUT_FILENO, NULL },
	{ "oftp/eerp.out", NULL, -1, &filter_eerp },
	{ NULL, NULL, -1, NULL }
};

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: oftp2x400 [-v] [-c FILE] --spool | --watch\n"
	    "       oftp2x400 [-v] [-c FILE] --filter --sfid FILE [--eerp FILE] "
	    "[INPUT]\n"
	    "Convert OFTP virtual files (payload + .sfid) to X.400 P1 messages.\n"
	    "  --spool        process spool/oftp/in once and exit (cron)\n"
	    "  --watch        process spool/oftp/in as files arrive\n"
	    "  --filter       INPUT (default stdin) to stdout; --sfid alone\n"
	    "                 means --filter too\n"
	    "  --sfid FILE    filter mode: the .sfid of INPUT\n"
	    "  --eerp FILE    filter mode: write an EERP for EERP mode 1 here\n"
	    "  -c FILE        configuration (default $OXGATE_CONF, else\n"
	    "                 " OX_SYSCONFDIR "/oxgate/oxgate.ini)\n"
	    "  -v             more log; --help, --version\n");
	exit(code);
}

/* Refuse the input: a NERP with this reason, the item to failed/. */
static int
refuse(struct conv *c, unsigned reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
refuse(struct conv *c, unsigned reason, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	c->nerp = reason;
	return EX_DATAERR;
}

/*
 * The MTS local identifier, also the IPM / EDIM identifier's local part
 * and the name of the outputs: the MTA designator and 20 characters
 * derived from the OFTP identity (gw/ident.h). The same file always gets
 * the same identifier; different files practically never share one.
 */
static void
derive_id(struct conv *c)
{
	ident_oftp(c->g->cfg.mta_designator, &c->sf, c->id);
}

/*
 * Steps 2 and 3 as far as the SFID and the configuration decide them
 * (gw/accept.h, the same code as oxspool check): the partnership, the
 * originator, the announced size, the security the file may have.
 */
static int
find_partner(struct conv *c)
{
	struct accept	 a;

	if (accept_sfid(&c->g->cfg, &c->g->partners, &c->sf, &a) != 0) {
		c->lp = a.lp;	/* its OFTP level shapes the NERP */
		return refuse(c, a.nerp, "%s", a.why);
	}
	c->lp = c->p = a.p;
	return EX_OK;
}

/*
 * Our key and certificate as the file's destination station (the
 * virtual station's own, else the general one) and the certificate of
 * its originating station (a routed station's own, else the
 * partnership's), once (gw/partners: partner_keys_load()).
 */
static int
load_keys(struct conv *c, char *err, size_t errlen)
{
	if (c->keys != NULL)
		return CMS_OK;
	return partner_keys_load(c->lp, &c->g->cfg, c->sf.dest, c->sf.orig,
	    &c->keys, err, errlen);
}

/* Whether we have our own key and certificate as the file's destination. */
static int
have_own_keys(const struct conv *c)
{
	const char *key, *cert;

	return partner_own_keys(c->lp, &c->g->cfg, c->sf.dest, &key, &cert);
}

/*
 * The hash of the file as transmitted, for a signed EERP/NERP (SFIDSIGN
 * Y) and the trace: with the file's cipher suite, else the partnership's.
 */
static void
hash_file(struct conv *c, int fd)
{
	char	 err[256];

	if (c->sf.sign != 'Y' || c->hash_len > 0)
		return;
	c->suite = c->sf.ciph != 0 ? c->sf.ciph : c->lp != NULL ?
	    c->lp->cipher : 1;
	if (lseek(fd, 0, SEEK_SET) < 0 || cms_hash_fd(c->suite, fd, c->hash,
	    &c->hash_len, err, sizeof(err)) != CMS_OK) {
		log_warn("%s: no hash for a signed response: %s", c->sf.dsn,
		    err);
		c->hash_len = 0;
	}
}

/*
 * Undo the OFTP2 security layers the SFID announces (RFC 5024 6):
 * decrypt, decompress, verify (a layer we have no key or certificate
 * for was refused by accept_sfid(): 26 encrypted, 29 signed); a failure
 * of the data is NERP 31 / 32 / 33.
 */
static int
unwrap(struct conv *c, int fd, const char *tmpdir)
{
	struct cms_opts	 o;
	struct cms_result res;
	char		 err[512];
	int		 out, e;

	memset(&o, 0, sizeof(o));
	if (c->sf.sec & 1)
		o.layers |= CMS_LAYER_ENVELOPED;
	if (c->sf.sec & 2)
		o.layers |= CMS_LAYER_SIGNED;
	if (c->sf.comp)
		o.layers |= CMS_LAYER_COMPRESSED;
	if ((e = load_keys(c, err, sizeof(err))) != CMS_OK) {
		snprintf(c->why, sizeof(c->why), "keys: %.400s", err);
		return EX_CONFIG;	/* temporary: fix the files, retry */
	}
	o.suite = c->sf.ciph;
	o.tmpdir = tmpdir;
	o.max_out = c->g->cfg.max_file_size;
	if ((out = afile_anon(tmpdir)) < 0) {
		snprintf(c->why, sizeof(c->why), "%.300s: %s", tmpdir,
		    strerror(errno));
		return EX_TEMPFAIL;
	}
	if (lseek(fd, 0, SEEK_SET) < 0 || (e = cms_unwrap(c->keys, &o, fd, out,
	    &res, err, sizeof(err))) != CMS_OK) {
		close(out);
		if (res.reason != 0)
			return refuse(c, res.reason, "OFTP2 security: %s", err);
		if (e == CMS_EBOMB)
			return refuse(c, 16, "OFTP2 security: %s", err);
		snprintf(c->why, sizeof(c->why), "OFTP2 security: %.400s",
		    err);
		return EX_TEMPFAIL;
	}
	c->plain_fd = out;
	return EX_OK;
}

/* U and T: the payload itself is the body; read it once to classify. */
static int
body_as_is(struct conv *c, int fd, uint64_t size)
{
	uint8_t	 chunk[65536];
	ssize_t	 r;
	off_t	 off = 0;

	c->text = c->ascii = 1;
	while ((r = pread(fd, chunk, sizeof(chunk), off)) > 0) {
		ctypes_scan(chunk, (size_t)r, &c->text, &c->ascii);
		off += r;
		if (!c->text)
			break;
	}
	if (r < 0) {
		snprintf(c->why, sizeof(c->why), "read: %s", strerror(errno));
		return EX_IOERR;
	}
	c->body_fd = fd;
	c->body_len = size;
	return EX_OK;
}

/*
 * The pages of the mapped payload before off, in steps of 4 MiB, leave
 * the process (they stay in the page cache): a 100 MB file is read with
 * the peak RSS of a small one. *done: where the last drop ended.
 */
#define MAP_STEP	((size_t)4 << 20)
static void
map_drop(const struct conv *c, size_t *done, size_t off)
{
	size_t	 end = (off < c->map_len ? off : c->map_len) & ~(MAP_STEP - 1);

	if (end > *done) {
		madvise(c->map + *done, end - *done, MADV_DONTNEED);
		*done = end;
	}
}

/* n octets at p to fd (out NULL) or out, counted in *w; -1 with errno */
static int
emit(int fd, struct buf *out, const void *p, size_t n, uint64_t *w)
{
	if (out != NULL ? !buf_add(out, p, n) : write_all(fd, p, n) < 0) {
		if (out != NULL)
			errno = ENOMEM;
		return -1;
	}
	*w += n;
	return 0;
}

/*
 * An F or V payload's body (struct ber_gen): its records joined, each
 * text record ending with CR LF, 64 KiB per write, made as the P1 is
 * written, so that the body is written once.
 */
static int
records_write(void *arg, int fd, struct buf *out, uint64_t *w)
{
	const struct conv *c = arg;
	struct rec_iter	 it;
	struct rec	 r;
	uint8_t		 b[65536];
	size_t		 n = 0, done = 0;

	*w = 0;
	rec_iter_init(&it, &c->recs, c->sf.format, c->sf.lrecl, 0);
	while (rec_next(&it, &r) == REC_OK) {
		map_drop(c, &done, r.off);
		if (n + r.len + 2 > sizeof(b)) {
			if (emit(fd, out, b, n, w) < 0)
				return -1;
			n = 0;
		}
		if (r.len + 2 > sizeof(b)) {	/* a record above 64 KiB */
			if (emit(fd, out, r.p, r.len, w) < 0 || (c->text &&
			    emit(fd, out, "\r\n", 2, w) < 0))
				return -1;
			continue;
		}
		memcpy(b + n, r.p, r.len);
		n += r.len;
		if (c->text) {
			memcpy(b + n, "\r\n", 2);
			n += 2;
		}
	}
	return emit(fd, out, b, n, w);
}

/*
 * F and V: the records are checked and classified (text: no control
 * octets anywhere) here, and joined by records_write() (c->gen) when the
 * P1 is written; the first MIME_IN_HEAD_MAX octets of the body are kept
 * (c->head) for what looks at its start. A payload that breaks its
 * format is refused.
 */
static int
body_from_records(struct conv *c, int fd, uint64_t size)
{
	struct rec_iter	 it;
	struct rec	 r;
	char		 msg[256];
	size_t		 k, done = 0;
	int		 e;

	if (size > 0 && (c->map = mmap(NULL, size, PROT_READ, MAP_PRIVATE,
	    fd, 0)) == MAP_FAILED) {
		c->map = NULL;
		snprintf(c->why, sizeof(c->why), "mmap: %s", strerror(errno));
		return EX_OSERR;
	}
	c->map_len = size;
	if (c->map != NULL)
		madvise(c->map, size, MADV_SEQUENTIAL);
	cur_init(&c->recs, c->map, size);
	c->text = c->ascii = 1;
	c->body_len = 0;
	if (rec_iter_init(&it, &c->recs, c->sf.format, c->sf.lrecl, 0) ==
	    REC_OK && c->sf.format == 'F' && size % c->sf.lrecl == 0) {
		for (k = 0; k < size; k += MAP_STEP) {	/* no gaps */
			ctypes_scan(c->map + k, size - k < MAP_STEP ?
			    size - k : MAP_STEP, &c->text, &c->ascii);
			map_drop(c, &done, k + MAP_STEP);
		}
		c->body_len = size;
		it.n = size / c->sf.lrecl;
		e = REC_END;
	} else
		while ((e = rec_next(&it, &r)) == REC_OK) {
			ctypes_scan(r.p, r.len, &c->text, &c->ascii);
			c->body_len += r.len;
			map_drop(c, &done, r.off);
		}
	if (e != REC_OK && e != REC_END) {
		rec_errmsg(&it, msg, sizeof(msg));
		return refuse(c, 34, "payload is not a valid %c file: %s",
		    c->sf.format, msg);
	}
	if (c->text)
		c->body_len += 2 * it.n;
	buf_init(&c->head);
	c->head.max = MIME_IN_HEAD_MAX;
	rec_iter_init(&it, &c->recs, c->sf.format, c->sf.lrecl, 0);
	while (c->head.len < MIME_IN_HEAD_MAX && rec_next(&it, &r) == REC_OK) {
		k = MIME_IN_HEAD_MAX - c->head.len;
		buf_add(&c->head, r.p, r.len < k ? r.len : k);
		if (c->text && c->head.len < MIME_IN_HEAD_MAX)
			buf_add(&c->head, "\r\n", c->head.len + 1 <
			    MIME_IN_HEAD_MAX ? 2 : 1);
	}
	if (buf_error(&c->head)) {
		snprintf(c->why, sizeof(c->why), "out of memory");
		return EX_OSERR;
	}
	c->gen.write = records_write;
	c->gen.arg = c;
	c->body_fd = -1;
	return EX_OK;
}

/*
 * The joined records into a temporary file (gone when closed), for the
 * MIME parser; c->gen no longer used.
 */
static int
records_to_file(struct conv *c, const char *tmpdir)
{
	uint64_t w;

	if ((c->own_fd = afile_anon(tmpdir)) < 0 ||
	    records_write(c, c->own_fd, NULL, &w) < 0) {
		snprintf(c->why, sizeof(c->why), "%.300s: %s", tmpdir,
		    strerror(errno));
		return EX_TEMPFAIL;
	}
	c->body_fd = c->own_fd;
	c->gen.write = NULL;
	return EX_OK;
}

/* Up to n octets of the body's start into h: their number, or -1. */
static ssize_t
body_head(const struct conv *c, void *h, size_t n)
{
	if (c->body_fd >= 0)
		return pread(c->body_fd, h, n, 0);
	n = n < c->head.len ? n : c->head.len;
	memcpy(h, c->head.p, n);
	return (ssize_t)n;
}

/*
 * A body that starts with a MIME header (mime_in_detect()) for a
 * partnership with bodypart variable (the seed's default decides "vom
 * MIME Type (Content Definition wird bevorzugt behandelt)", whatever
 * the mime setting) or whose mime setting is not none: parsed, each part
 * decoded into a temporary file. Corrupt MIME is NERP 34, more than 50
 * parts NERP 34, decoded content above the maximum file size NERP 16.
 * A fixed bodypart with mime none takes the whole file as it is.
 */
static int
body_from_mime(struct conv *c, const char *dir)
{
	char	 err[300];
	int	 e;

	if ((c->p->mime == PARTNER_MIME_NONE &&
	    c->p->bodypart != PARTNER_BP_VARIABLE) ||
	    c->p->content == PARTNER_P35)
		return EX_OK;
	if ((e = c->body_fd >= 0 ? mime_in_detect(c->body_fd) :
	    mime_in_detect_buf(c->head.p, c->head.len)) < 0) {
		snprintf(c->why, sizeof(c->why), "read: %s", strerror(errno));
		return EX_IOERR;
	}
	if (e == 0)
		return EX_OK;
	if (c->body_fd < 0 && (e = records_to_file(c, dir)) != EX_OK)
		return e;
	if ((c->mime = malloc(sizeof(*c->mime))) == NULL) {
		snprintf(c->why, sizeof(c->why), "out of memory");
		return EX_OSERR;
	}
	mime_in_init(c->mime);
	if (c->p->bodypart == PARTNER_BP_VARIABLE)	/* else fixed */
		c->mime->ctypes = gw_ctypes(c->g);
	c->mime->mode = c->p->content == PARTNER_P2 ? CTYPES_1984 :
	    CTYPES_1988;
	switch (mime_in_parse(c->mime, c->body_fd, dir,
	    c->g->cfg.max_file_size, err, sizeof(err))) {
	case MIME_IN_OK:
		log_debug("%s: MIME with %zu part(s)", c->sf.dsn, c->mime->n);
		return EX_OK;
	case MIME_IN_EBIG:
		return refuse(c, 16, "%s", err);
	case MIME_IN_ECORRUPT:
	case MIME_IN_ETOOMANY:
		return refuse(c, 34, "%s", err);
	default:
		snprintf(c->why, sizeof(c->why), "MIME: %s", err);
		return EX_TEMPFAIL;
	}
}

/*
 * The subject from a UTF-8 text, as T.61 (TeletexString): cut at 128
 * octets without splitting a diacritic from its letter.
 */
static void
set_subject(struct p22_heading *h, const char *s)
{
	struct buf b;
	size_t	 n;

	buf_init(&b);
	if (t61_from_utf8(s, -1, &b, NULL) < 0)
		n = 0;
	else {
		n = t61_fit(b.p, b.len, P22_UB_SUBJECT);
		memcpy(h->subject, b.p, n);
	}
	h->subject[n] = '\0';
	h->subjlen = n;
	h->has_subject = n > 0;
	buf_free(&b);
}

/*
 * The body part type for this file (or MIME part: bp is the choice of
 * the content-type table, CTYPES_BP_NONE for the whole file) and
 * partnership. A fixed bodypart setting applies to every part; variable
 * follows the table for MIME parts, else the file type.
 */
static enum p22_bptype
choose_bodypart(const struct conv *c, int p2, enum ctypes_bp ctbp, int text,
    int ascii)
{
	enum p22_bptype t;

	switch (c->p->bodypart) {
	case PARTNER_BP_ASCII:
		t = P22_BP_IA5;
		break;
	case PARTNER_BP_LATIN1:
		t = P22_BP_GENERAL_TEXT;
		break;
	case PARTNER_BP_BP14:
		t = P22_BP_BILATERAL;
		break;
	default:		/* variable: by the table, else the file type */
		if (ctbp == CTYPES_BP_IA5)
			t = P22_BP_IA5;
		else if (ctbp == CTYPES_BP_LATIN1)
			t = P22_BP_GENERAL_TEXT;
		else if (ctbp == CTYPES_BP_BP14 || ctbp == CTYPES_BP_TUNNEL)
			t = P22_BP_BILATERAL;
		else if (ctbp == CTYPES_BP_FTBP || ctbp == CTYPES_BP_FILE)
			t = P22_BP_FTBP;
		else if (c->sf.format == 'U')
			t = P22_BP_BILATERAL;
		else	/* T, F, V: seed "Text in BP15"; binary without */
			/* a MIME name: BP14 (the FTBP needs "Name im MIME") */
			t = text ? P22_BP_GENERAL_TEXT : P22_BP_BILATERAL;
	}
	/* P2 (1984) has no extended body parts (PMDF-X400's fallbacks) */
	if (p2 && t == P22_BP_GENERAL_TEXT)
		t = ascii ? P22_BP_IA5 : P22_BP_BILATERAL;
	if (p2 && t == P22_BP_FTBP)
		t = P22_BP_BILATERAL;
	return t;
}

/*
 * One body part: its type, the data as a file range, the character set
 * of general text, the FTBP attributes (pathname, size; the table's
 * application reference, CMS marks for the CMS one).
 */
static int
make_bodypart(struct conv *c, int p2, struct p22_bodypart *bp,
    struct p22_ftbp *ft, enum ctypes_bp ctbp, const char *oid,
    const char *what, int fd, uint64_t len, int text, int ascii,
    const char *path)
{
	p22_bodypart_init(bp, choose_bodypart(c, p2, ctbp, text, ascii));
	if (bp->type == P22_BP_IA5 && !ascii)
		return refuse(c, 34, "partnership [%s] wants IA5 text but "
		    "the %s has control octets or octets above 127",
		    c->p->name, what);
	if (bp->type == P22_BP_GENERAL_TEXT && !text)
		return refuse(c, 34, "partnership [%s] wants ISO 8859-1 text "
		    "but the %s has control octets", c->p->name, what);
	bp->data.use_fd = 1;
	bp->data.fd = fd;
	bp->data.off = 0;
	bp->data.fdlen = len;
	if (bp->type == P22_BP_GENERAL_TEXT) {
		bp->ncs = 3;		/* ISO 8859-1: {1, 6, 100} */
		bp->cs[0] = 1;
		bp->cs[1] = 6;
		bp->cs[2] = 100;
	} else if (bp->type == P22_BP_FTBP) {
		p22_ftbp_init(ft);
		if (oid != NULL && strcmp(oid, CTYPES_OID_CMS) == 0)
			p22_ftbp_set_cms(ft);
		else if (oid != NULL && oid[0] != '\0') {
			ft->has_env = 1;
			ft->appref = 1;
			snprintf(ft->appref_oid, sizeof(ft->appref_oid), "%s",
			    oid);
		}
		ft->has_attrs = 1;
		if (path != NULL && path[0] != '\0') {
			ft->has_pathname = 1;
			ft->path.n = 1;
			ft->path.len[0] = strlen(path);
			snprintf(ft->path.v[0], sizeof(ft->path.v[0]), "%s",
			    path);
		}
		ft->size_kind = P22_ATTR_VALUE;
		ft->size = (int64_t)len;
		bp->ftbp = ft;
	}
	return EX_OK;
}

/* The OFTP station's O/R address; a routed station in DDA ODETTEID. */
static int
originator(const struct conv *c, struct orname *or)
{
	*or = c->p->local;
	if (odette_id_eq(c->sf.orig, c->p->odette))
		return 0;
	return odette_or_set_id(or, c->sf.orig);
}

/* --- RFC 2156 mapping of the MIME header (mixer) ---------------------- */


/*
 * An RFC 822 mailbox into an ORDescriptor: the mapped O/R address as
 * formal-name; one that does not map as free-form-name (the display
 * name, else the address, as T.61, cut at 64 octets).
 */
static void
ordesc_from_822(const struct mixer *m, const struct mime_addr *a,
    struct p22_ordesc *d)
{
	struct buf	 b;
	char		 err[256];
	size_t		 n;

	p22_ordesc_init(d);
	if (mixer_822_to_or(m, a->addr, &d->formal, err, sizeof(err)) ==
	    MIXER_OK) {
		d->has_formal = 1;
		return;
	}
	log_debug("%.300s: %.200s; free-form-name", a->addr, err);
	buf_init(&b);
	if (t61_from_utf8(a->name[0] != '\0' ? a->name : a->addr, -1, &b,
	    NULL) < 0 || buf_error(&b) || b.len == 0) {
		buf_reset(&b);
		buf_add_str(&b, "unmapped address");
	}
	n = t61_fit(b.p, b.len, P22_UB_FREE_FORM_NAME);
	memcpy(d->ffn, b.p, n);
	d->ffn[n] = '\0';
	d->ffnlen = n;
	d->has_ffn = 1;
	buf_free(&b);
}

/* The recipients of a MIME To or Cc field, NULL on no memory. */
static struct p22_rcpt *
rcpts_from_822(struct p22_content *ipm, const struct mixer *m,
    const struct mime_addr *a, size_t n, uint64_t nreq)
{
	struct p22_rcpt	*v;
	size_t		 i;

	if ((v = p22_alloc(ipm, n * sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		ordesc_from_822(m, &a[i], &v[i].r);
		v[i].nreq = nreq;
	}
	return v;
}

/* One In-Reply-To / References item to an IPM identifier; 0 if not. */
static int
ipmid_from_822(const struct mixer *m, const char *ref, struct p22_ipmid *id)
{
	struct buf	 uri;
	char		 err[256];
	int		 ok;

	buf_init(&uri);
	memset(id, 0, sizeof(*id));
	ok = mixer_ref_to_ipm(m, ref, &id->user, &id->has_user, &uri, err,
	    sizeof(err)) == MIXER_OK && !buf_error(&uri) &&
	    uri.len <= P22_UB_LOCAL_ID;
	if (ok)
		memcpy(id->local, uri.p, uri.len);
	else
		log_debug("%.300s does not map to an IPM identifier: %s", ref,
		    err);
	buf_free(&uri);
	return ok;
}

/*
 * In-Reply-To and References (RFC 2156 5.1.3, rfc2156.txt:4107): one
 * In-Reply-To value is the replied-to-IPM; several go to related-IPMs,
 * before the References values.
 */
static int
refs_from_822(struct p22_content *ipm, const struct mixer *m,
    const struct mime_in *mi, struct p22_heading *h)
{
	struct p22_ipmid *v;
	size_t		 i, n = 0;

	if (mi->ninreplyto == 1 && ipmid_from_822(m, mi->inreplyto[0],
	    &h->replied))
		h->has_replied = 1;
	if (mi->nrefs + (mi->ninreplyto > 1 ? mi->ninreplyto : 0) == 0)
		return 0;
	if ((v = p22_alloc(ipm, (MIME_IN_REFS * 2) * sizeof(*v))) == NULL)
		return -1;
	for (i = 0; mi->ninreplyto > 1 && i < mi->ninreplyto; i++)
		n += ipmid_from_822(m, mi->inreplyto[i], &v[n]);
	for (i = 0; i < mi->nrefs; i++)
		n += ipmid_from_822(m, mi->refs[i], &v[n]);
	h->related = v;
	h->nrelated = n;
	return 0;
}

/*
 * From, To, Cc and Message-ID of the MIME header into the heading (the
 * envelope stays the partnership's). Returns 0, or -1 on no memory.
 */
static int
heading_from_mime(struct conv *c, struct p22_content *ipm, uint64_t nreq)
{
	const struct mixer *m = gw_mixer(c->g);
	struct p22_heading *h = &ipm->h;
	const struct mime_in *mi = c->mime;
	struct orname	 user;
	struct buf	 uri;
	char		 err[256];
	int		 has_user;

	if (mi->naddr[MIME_IN_FROM] > 0)
		ordesc_from_822(m, &mi->addr[MIME_IN_FROM][0], &h->originator);
	if (mi->naddr[MIME_IN_TO] > 0) {
		if ((h->primary.v = rcpts_from_822(ipm, m,
		    mi->addr[MIME_IN_TO], mi->naddr[MIME_IN_TO], nreq)) == NULL)
			return -1;
		h->primary.n = mi->naddr[MIME_IN_TO];
	}
	if (mi->naddr[MIME_IN_CC] > 0) {
		if ((h->copy.v = rcpts_from_822(ipm, m, mi->addr[MIME_IN_CC],
		    mi->naddr[MIME_IN_CC], nreq)) == NULL)
			return -1;
		h->copy.n = mi->naddr[MIME_IN_CC];
	}
	if (refs_from_822(ipm, m, mi, h) < 0)
		return -1;
	if (mi->msgid[0] != '\0') {
		buf_init(&uri);
		if (mixer_msgid_to_ipm(m, mi->msgid, &user, &has_user, &uri,
		    err, sizeof(err)) == MIXER_OK && !buf_error(&uri) &&
		    uri.len > 0 && uri.len <= P22_UB_LOCAL_ID) {
			h->this_ipm.has_user = has_user;
			h->this_ipm.user = user;
			memcpy(h->this_ipm.local, uri.p, uri.len);
			h->this_ipm.local[uri.len] = '\0';
		} else
			log_debug("Message-ID %.300s does not map; the IPM "
			    "identifier is the gateway's", mi->msgid);
		buf_free(&uri);
	}
	return 0;
}

static int	 build_p35(struct conv *, struct berw *);

/*
 * P2 <-> PEDI conversion rules (oftp2x400(1)): whether the body (no MIME)
 * is an EDI interchange (EDIFACT or ANSI X12) for an IPM partnership;
 * 0 not, EDI_7BIT when its syntax is a 7-bit one (X12, EDIFACT UNOA,
 * UNOB), EDI_8BIT for the other EDIFACT syntax identifiers (UNOC ...:
 * ISO 8859 repertoires).
 */
#define EDI_7BIT	1
#define EDI_8BIT	2
static int
body_is_edi(const struct conv *c)
{
	uint8_t	 h[UNB_HEAD_MAX];
	ssize_t	 r;
	char	 why[256];
	struct unb u;
	struct cur cu;

	if ((r = body_head(c, h, sizeof(h))) <= 0)
		return 0;
	cur_init(&cu, h, (size_t)r);
	switch (unb_start(&cu, &u)) {
	case EDIPART_X12:
		return EDI_7BIT;
	case EDIPART_EDIFACT:
		cur_init(&cu, h, (size_t)r);
		if (unb_parse(&cu, &u, why, sizeof(why)) < 0)
			return EDI_8BIT;
		return unb_7bit(&u) ? EDI_7BIT : EDI_8BIT;
	default:
		return 0;
	}
}

/* The UNA/UNB at the start of the body; -1 with why. */
static int
body_unb(const struct conv *c, struct unb *u, char *why, size_t wlen)
{
	uint8_t	 h[UNB_HEAD_MAX];
	ssize_t	 r;
	struct cur cu;

	if ((r = body_head(c, h, sizeof(h))) < 0)
		return errf(why, wlen, -1, "read: %s", strerror(errno));
	cur_init(&cu, h, (size_t)r);
	return unb_parse(&cu, u, why, wlen);
}

/*
 * The IPM heading: this IPM and the originator from the OFTP originator,
 * the partnership as primary recipient rc (a receipt notification
 * requested for EERP mode 3), the subject by the partnership's rules
 * (edi-subject for an EDI body), the MIME header's fields.
 */
static int
ipm_heading(struct conv *c, struct p22_content *ipm, struct p22_rcpt *rc,
    int edi)
{
	struct p22_heading *h = &ipm->h;

	p22_heading_init(h);
	if (originator(c, &h->this_ipm.user) < 0)
		return refuse(c, 34, "originator %s does not fit an O/R "
		    "address", c->sf.orig);
	h->this_ipm.has_user = 1;
	snprintf(h->this_ipm.local, sizeof(h->this_ipm.local), "%s", c->id);
	h->has_originator = 1;
	p22_ordesc_init(&h->originator);
	h->originator.has_formal = 1;
	h->originator.formal = h->this_ipm.user;
	memset(rc, 0, sizeof(*rc));
	p22_ordesc_init(&rc->r);
	rc->r.has_formal = 1;
	rc->r.formal = c->p->x400;
	if (c->p->eerp == 3)
		rc->nreq = P22_NR_RN | P22_NR_NRN;
	h->primary.n = 1;
	h->primary.v = rc;
	if (edi && c->p->edi_subject == PARTNER_EDISUBJ_BLANK)
		set_subject(h, " ");
	else if (edi && c->p->edi_subject == PARTNER_EDISUBJ_ABSENT)
		h->has_subject = 0;
	else if (c->p->subject == PARTNER_SUBJ_MIME && c->mime != NULL &&
	    c->mime->has_subject)
		set_subject(h, c->mime->subject);
	else
		set_subject(h, c->p->subject == PARTNER_SUBJ_VDSN ||
		    c->sf.desc[0] == '\0' ? c->sf.dsn : c->sf.desc);
	if (c->mime != NULL && heading_from_mime(c, ipm, rc->nreq) < 0)
		return errf(c->why, sizeof(c->why), EX_OSERR, "out of memory");
	return EX_OK;
}

/*
 * The body parts: one per MIME part, or the file as one (bp and ft1 are
 * the caller's, alive until the IPM is encoded).
 */
static int
ipm_bodyparts(struct conv *c, struct p22_content *ipm, int edi,
    struct p22_bodypart *bp, struct p22_ftbp *ft1)
{
	struct p22_ftbp	*ft;
	int		 p2 = c->p->content == PARTNER_P2, e;
	size_t		 i;

	if (c->mime == NULL) {
		ipm->nbp = 1;
		ipm->bp = bp;
		/* P2 <-> PEDI: the interchange is IA5 or general text */
		e = make_bodypart(c, p2, bp, ft1, !edi ? CTYPES_BP_NONE :
		    c->ascii && edi == EDI_7BIT ? CTYPES_BP_IA5 : c->text ?
		    CTYPES_BP_LATIN1 : CTYPES_BP_NONE, NULL, "file",
		    c->body_fd, c->body_len, c->text, c->ascii, c->sf.dsn);
		bp->data.gen = c->gen.write != NULL ? &c->gen : NULL;
		return e;
	}
	ipm->nbp = c->mime->n;
	ipm->bp = p22_alloc(ipm, c->mime->n * sizeof(*ipm->bp));
	ft = p22_alloc(ipm, c->mime->n * sizeof(*ft));
	if (ipm->bp == NULL || ft == NULL)
		return errf(c->why, sizeof(c->why), EX_OSERR, "out of memory");
	for (i = 0; i < c->mime->n; i++) {
		const struct mime_part *mp = &c->mime->v[i];
		char what[MIME_IN_TYPE_MAX + 32];

		snprintf(what, sizeof(what), "MIME part %zu (%s)", i + 1,
		    mp->type);
		if ((e = make_bodypart(c, p2, &ipm->bp[i], &ft[i], mp->bp,
		    mp->oid, what, mp->fd, mp->len, mp->text, mp->ascii,
		    mp->filename)) != EX_OK)
			return e;
	}
	return EX_OK;
}

/* One O/R name in its X.400(1984) form (mixer_or_1984); extension
 * attributes (teletex values) and a CN that does not fit are dropped
 * with a warning. */
static void
or_1984(struct orname *or)
{
	char	 err[256];

	if (mixer_or_1984(or, or, err, sizeof(err)) == MIXER_OK)
		return;
	log_warn("X.400(1984): %s; left out", err);
	or->xrawlen = 0;
	if (mixer_or_1984(or, or, err, sizeof(err)) != MIXER_OK)
		or->present &= ~(1u << OR_CN);
}

static void
rcpts_1984(struct p22_rcpts *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].r.has_formal)
			or_1984(&l->v[i].r.formal);
}

/*
 * The heading of a P2 (X.400(1984)) partnership (RFC 2156 Appendix B,
 * rfc2156.txt:6503): every O/R name with its common name as the
 * domain-defined attribute "Common".
 */
static void
heading_1984(struct p22_heading *h)
{
	size_t	 i;

	if (h->has_originator && h->originator.has_formal)
		or_1984(&h->originator.formal);
	rcpts_1984(&h->primary);
	rcpts_1984(&h->copy);
	rcpts_1984(&h->bcc);
	if (h->this_ipm.has_user)
		or_1984(&h->this_ipm.user);
	if (h->has_replied && h->replied.has_user)
		or_1984(&h->replied.user);
	for (i = 0; i < h->nrelated; i++)
		if (h->related[i].has_user)
			or_1984(&h->related[i].user);
}

/* The P22 (P2) content: an IPM whose body is streamed from the file. */
static int
build_ipm(struct conv *c, struct berw *content)
{
	struct p22_content	 ipm;
	struct p22_bodypart	 bp;
	struct p22_ftbp		 ft1;
	struct p22_rcpt		 rc;
	int			 e, edi;

	c->rcpt = c->p->x400;
	p22_init(&ipm);
	ipm.kind = P22_IPM;
	edi = c->mime == NULL ? body_is_edi(c) : 0;
	if ((e = ipm_heading(c, &ipm, &rc, edi)) != EX_OK ||
	    (e = ipm_bodyparts(c, &ipm, edi, &bp, &ft1)) != EX_OK) {
		p22_free(&ipm);
		return e;
	}
	if (c->p->content == PARTNER_P2)
		heading_1984(&ipm.h);
	gw_ipmid_text(&ipm.h.this_ipm, c->ipm_text, sizeof(c->ipm_text));
	/* the EDIM identifier an EDI-UA derives from it (its EDINs) */
	if (edi)
		gw_ipmid_text(&ipm.h.this_ipm, c->edim_text,
		    sizeof(c->edim_text));
	e = p22_encode(content, &ipm, c->p->content == PARTNER_P2 ?
	    P22_CT_P2 : P22_CT_P22);
	p22_free(&ipm);
	if (e != BER_OK)
		return errf(c->why, sizeof(c->why), EX_SOFTWARE, "P22 "
		    "encoding: %s: %s", content->err_field ?
		    content->err_field : "?", ber_strerror(e));
	return EX_OK;
}

/*
 * The P1 message around the content: non-delivery reports always,
 * delivery reports for EERP mode 2.
 */
static int
build_envelope(struct conv *c, struct berw *msg, struct berw *content)
{
	struct p1_pdu	 pdu;
	struct p1_rcpt	 r1;
	struct p1_trace	 tr;
	int		 e;

	p1_init(&pdu);
	pdu.kind = P1_MESSAGE;
	rpt_gdi_from(&pdu.msg.env.id.gdi, &c->g->cfg.gdi);
	snprintf(pdu.msg.env.id.local, sizeof(pdu.msg.env.id.local), "%s",
	    c->id);
	gw_mtsid_text(&pdu.msg.env.id, c->mts_text, sizeof(c->mts_text));
	originator(c, &pdu.msg.env.originator);
	pdu.msg.env.ctype.present = 1;
	pdu.msg.env.ctype.builtin = c->p->content == PARTNER_P35 ? P1_CT_P35 :
	    c->p->content == PARTNER_P2 ? P1_CT_P2 : P1_CT_P22;
	pdu.msg.env.priority = P1_PRIO_NORMAL;
	memset(&tr, 0, sizeof(tr));
	rpt_gdi_from(&tr.gdi, &c->g->cfg.gdi);
	tr.arrival = c->now;
	pdu.msg.env.trace.n = 1;
	pdu.msg.env.trace.v = &tr;
	memset(&r1, 0, sizeof(r1));
	r1.name = c->rcpt;
	r1.osrn = 1;
	r1.pri = P1_PRI_RESPONSIBILITY | P1_PRI_MTA_NDR | P1_PRI_ORIG_NDR;
	if (c->p->eerp == 2)
		r1.pri |= P1_PRI_MTA_REPORT | P1_PRI_ORIG_REPORT;
	pdu.msg.env.nrcpt = 1;
	pdu.msg.env.rcpt = &r1;
	pdu.msg.content.present = 1;
	pdu.msg.content.enc = content;
	e = p1_encode(msg, &pdu);
	pdu.msg.env.trace.v = NULL;
	pdu.msg.env.rcpt = NULL;
	p1_free(&pdu);
	if (e != BER_OK)
		return errf(c->why, sizeof(c->why), EX_SOFTWARE, "P1 encoding: "
		    "%s: %s", msg->err_field ? msg->err_field : "?",
		    ber_strerror(e));
	return EX_OK;
}

/*
 * Build the P22 (or P35) content and the P1 message around it; the body
 * is a file range, streamed when the message is written.
 */
static int
build_message(struct conv *c, struct berw *msg, struct berw *content)
{
	int	 e;

	e = c->p->content == PARTNER_P35 ? build_p35(c, content) :
	    build_ipm(c, content);
	return e != EX_OK ? e : build_envelope(c, msg, content);
}

/*
 * The X.400 recipient: the partnership's address, or with the central
 * EDI function (a DDA EDI in the partnership's x400 address) the entry
 * of the UNB recipient in mapping/edi-partners.
 */
static int
p35_recipient(struct conv *c, const struct unb *u)
{
	struct edipart_table t;
	const struct orname *or;
	char	 path[CONFIG_PATH_MAX + 32], err[512];

	if (orname_dda(&c->p->x400, "EDI") == NULL) {
		c->rcpt = c->p->x400;
		return EX_OK;
	}
	snprintf(path, sizeof(path), "%s/edi-partners", c->g->cfg.mapping);
	if (edipart_load(&t, path, err, sizeof(err)) < 0) {
		snprintf(c->why, sizeof(c->why), "central EDI function: "
		    "%.400s", err);
		return EX_CONFIG;	/* temporary: fix the table, retry */
	}
	or = edipart_lookup(&t, u->v[UNB_RECIPIENT][0],
	    u->v[UNB_RECIPIENT][1]);
	if (or != NULL)
		c->rcpt = *or;
	edipart_free(&t);
	if (or == NULL)
		return refuse(c, 12, "central EDI function: UNB recipient "
		    "%.35s%s%.4s is not in %.300s", u->v[UNB_RECIPIENT][0],
		    u->v[UNB_RECIPIENT][1][0] ? ":" : "",
		    u->v[UNB_RECIPIENT][1], path);
	return EX_OK;
}

/* The EDIM identifier in the text form of gw_ipmid_text(). */
static void
edimid_text(const struct p35_edimid *id, char *s, size_t n)
{
	struct buf b;

	buf_init(&b);
	orname_print(&id->user, &b);
	snprintf(s, n, "%s;%s", buf_cstr(&b), id->local);
	buf_free(&b);
}

/*
 * The PEDI content: an EDIM whose heading comes from UNA/UNB and whose
 * primary body part is the interchange, streamed from the body file.
 */
static int
build_p35(struct conv *c, struct berw *content)
{
	struct p35_pdu	 pdu;
	struct p35_rcpt	 r;
	struct unb	 u;
	char		 why[256];
	int		 e;

	if (body_unb(c, &u, why, sizeof(why)) < 0)
		return refuse(c, 34, "partnership [%s] has content p35: %s",
		    c->p->name, why);
	if ((e = p35_recipient(c, &u)) != EX_OK)
		return e;
	p35_init(&pdu);
	pdu.kind = P35_EDIM;
	if (originator(c, &pdu.h.this_edim.user) < 0)
		return refuse(c, 34, "originator %s does not fit an O/R "
		    "address", c->sf.orig);
	snprintf(pdu.h.this_edim.local, sizeof(pdu.h.this_edim.local), "%s",
	    c->id);
	pdu.h.has_originator = 1;
	pdu.h.originator = pdu.h.this_edim.user;
	p35_rcpt_init(&r);
	r.name = c->rcpt;
	if (c->p->eerp == 3) {
		r.has_notif = 1;
		r.notif = P35_NR_PN | P35_NR_NN;
	}
	if (unb_party(&u, UNB_RECIPIENT, &r.ichg_rcpt) < 0 ||
	    unb_party(&u, UNB_SENDER, &pdu.h.ichg_sender) < 0 ||
	    unb_get(&u, UNB_RREF, 0, r.rref, P35_UB_RECIPIENT_REFERENCE,
	    &r.has_rref) < 0 || unb_get(&u, UNB_RREF, 1, r.rref_qual,
	    P35_UB_RECIPIENT_REF_QUALIFIER, &r.has_rref_qual) < 0 ||
	    unb_get(&u, UNB_ICR, 0, r.icr, P35_UB_ICHG_CONTROL_REFERENCE,
	    &r.has_icr) < 0 || unb_get(&u, UNB_PRIO, 0, r.prio,
	    P35_UB_PROCESSING_PRIORITY, &r.has_prio) < 0 ||
	    unb_get(&u, UNB_AGREEMENT, 0, r.agreement,
	    P35_UB_COMM_AGREEMENT_ID, &r.has_agreement) < 0 ||
	    unb_get(&u, UNB_APPREF, 0, pdu.h.appref,
	    P35_UB_APPLICATION_REFERENCE, &pdu.h.has_appref) < 0 ||
	    unb_get(&u, UNB_SYNTAX, 0, pdu.h.syntax_id,
	    P35_UB_SYNTAX_IDENTIFIER, &pdu.h.has_syntax) < 0 ||
	    unb_get(&u, UNB_SYNTAX, 1,
	    pdu.h.syntax_version, P35_UB_SYNTAX_VERSION, NULL) < 0) {
		p35_free(&pdu);
		return refuse(c, 34, "a UNB value is longer than X.435 allows "
		    "in the EDIM heading");
	}
	r.ack_request = strcmp(u.v[UNB_ACKREQ][0], "1") == 0;
	r.test = strcmp(u.v[UNB_TEST][0], "1") == 0;
	if (!unb_syntax(&u)[0] || !pdu.h.ichg_sender.present ||
	    !r.ichg_rcpt.present || unb_time(&u, &pdu.h.prep) < 0 ||
	    !r.has_icr) {
		p35_free(&pdu);
		return refuse(c, 34, "the UNB segment lacks a mandatory element "
		    "(syntax, sender, recipient, date/time, control "
		    "reference) or has a bad date/time");
	}
	pdu.h.has_prep = 1;
	pdu.h.has_rcpts = 1;
	pdu.h.nrcpt = 1;
	pdu.h.rcpt = &r;
	if (u.has_una) {
		pdu.h.has_ssa = 1;
		pdu.h.ssa = u.ssa;
	}
	snprintf(pdu.h.bodypart_type, sizeof(pdu.h.bodypart_type), "%s",
	    c->ascii ? P35_BP_EDIFACT_ISO646 : P35_BP_EDIFACT_OCTET);
	pdu.body.kind = P35_BODY_EDI;
	pdu.body.edi.use_fd = 1;
	pdu.body.edi.fd = c->body_fd;
	pdu.body.edi.off = 0;
	pdu.body.edi.fdlen = c->body_len;
	pdu.body.edi.gen = c->gen.write != NULL ? &c->gen : NULL;
	edimid_text(&pdu.h.this_edim, c->edim_text, sizeof(c->edim_text));
	e = p35_encode(content, &pdu);
	pdu.h.rcpt = NULL;
	p35_free(&pdu);
	if (e != BER_OK) {
		snprintf(c->why, sizeof(c->why), "P35 encoding: %s: %s",
		    content->err_field ? content->err_field : "?",
		    ber_strerror(e));
		return EX_SOFTWARE;
	}
	return EX_OK;
}

/*
 * An EERP (reason 0) or NERP for the file: staged for spool/oftp/eerp.out
 * as ID.eerp / ID.nerp, or as fname when not NULL (filter mode: written
 * to --eerp FILE).
 */
static int
write_response(struct conv *c, struct outbox *ob, unsigned reason,
    const char *fname)
{
	struct eerp	 e;
	struct buf	 b, sig;
	char		 name[64], err[512];
	int		 level = c->lp != NULL && c->lp->oftp == 14 ?
			    EERP_OFTP14 : EERP_OFTP2, rc;

	eerp_from_sfid(&e, &c->sf, reason ? 'N' : 'E', level);
	if (reason) {
		e.reason = reason;
		eerp_set_text(&e, c->why);
	}
	buf_init(&b);
	buf_init(&sig);
	/* signed when asked for and possible; else unsigned (RFC 5024 5.3.13) */
	if (level == EERP_OFTP2 && c->hash_len > 0 && have_own_keys(c)) {
		e.hash = c->hash;
		e.hash_len = c->hash_len;
		if (load_keys(c, err, sizeof(err)) != CMS_OK ||
		    cms_sign_eerp(c->keys, c->suite, &e, &sig, err,
		    sizeof(err)) != CMS_OK) {
			log_warn("%s: sending an unsigned %s: %s", c->sf.dsn,
			    reason ? "NERP" : "EERP", err);
			e.hash = NULL;
			e.hash_len = 0;
		} else {
			e.sig = sig.p;
			e.sig_len = sig.len;
		}
	}
	if (eerp_build(&e, &b, err, sizeof(err)) != EERP_OK) {
		log_error("%s: cannot build the %s: %s", c->sf.dsn,
		    reason ? "NERP" : "EERP", err);
		buf_free(&b);
		buf_free(&sig);
		return -1;
	}
	if (fname != NULL)
		snprintf(name, sizeof(name), "%s", fname);
	else
		snprintf(name, sizeof(name), "%s.%s", c->id, reason ? "nerp" :
		    "eerp");
	rc = outbox_put(ob, spool_queue_name(SPOOL_OFTP_EERP_OUT), name, b.p,
	    b.len);
	if (rc < 0)
		log_error("%s: cannot write the %s: %s", c->sf.dsn,
		    reason ? "NERP" : "EERP", strerror(errno));
	buf_free(&b);
	buf_free(&sig);
	return rc;
}

/* The row of the file's OFTP identity, begun or found, and its state. */
static int
trace_row_begin(struct conv *c, const char *in, enum trace_state *state)
{
	struct trace_row r;
	int	 created;

	memset(&r, 0, sizeof(r));
	r.dir = TRACE_OFTP2X400;
	if (c->p != NULL) {
		snprintf(r.partner, sizeof(r.partner), "%s", c->p->name);
		r.eerp_mode = (int)c->p->eerp;
		r.dn_req = c->p->eerp == 2;
		r.rn_req = c->p->eerp == 3;
	}
	gw_oftp_id(&r.oftp, &c->sf);
	r.eerp_signed = c->sf.sign == 'Y';
	if (trace_begin_oftp(c->g->trace, &r, c->now, &c->row, &created) < 0 ||
	    trace_record_files(c->g->trace, c->row, in, "", "", c->now) < 0 ||
	    (!created && trace_get(c->g->trace, c->row, &r) != 1))
		return -1;
	*state = created ? TRACE_S_RECEIVED : r.state;
	return 0;
}

/* The partnership, identities, recipient, hash and state of a conversion. */
static int
trace_converted(struct conv *c, const char *out, int eerp_sent)
{
	struct trace	*t = c->g->trace;
	struct buf	 b;
	const char	*addr;
	char		 hex[2 * CMS_HASH_MAX + 1], ack[IDENT_SZ + 8];
	time_t		 deadline = 0;
	size_t		 i;
	int		 rc;

	buf_init(&b);
	orname_print(&c->rcpt, &b);
	addr = buf_cstr(&b);
	snprintf(ack, sizeof(ack), "%s.eerp", c->id);
	rc = trace_record_x400_id(t, c->row, c->mts_text, c->ipm_text,
	    c->edim_text, c->now) < 0 || trace_record_files(t, c->row, NULL,
	    out, eerp_sent ? ack : NULL, c->now) < 0 ||
	    trace_record_recipients(t, c->row, &addr, 1, c->now) < 0 ? -1 : 0;
	buf_free(&b);
	if (rc < 0)
		return -1;
	if (c->hash_len > 0) {
		for (i = 0; i < c->hash_len; i++)
			snprintf(hex + 2 * i, 3, "%02x", c->hash[i]);
		if (trace_record_hash(t, c->row, cms_suite(c->suite)->hash,
		    hex, c->now) < 0)
			return -1;
	}
	if (c->p->eerp != 1)
		deadline = c->now + (time_t)c->g->cfg.expiry[
		    CONFIG_PRIO_NORMAL] * 3600;
	if (trace_record_state(t, c->row, TRACE_S_CONVERTED, c->now, deadline,
	    c->p->eerp == 1 ? "EERP mode 1" : c->p->eerp == 2 ? "waiting for "
	    "the delivery report" : c->p->content == PARTNER_P35 ? "waiting "
	    "for the EDI notification" : "waiting for the receipt "
	    "notification") < 0)
		return -1;
	if (eerp_sent && trace_record_state(t, c->row, TRACE_S_EERP_SENT,
	    c->now, 0, "EERP at once (mode 1)") < 0)
		return -1;
	return 0;
}

/*
 * Whether the input is the same OFTP file arriving again (issue 22), not
 * the redo of the input that made row r: its .sfid (the commit marker)
 * was written after the row was made (*when: that time); a redo's was
 * there before. A writer that keeps an old mtime makes it count as a
 * redo: nothing is converted again either way.
 */
static int
arrived_again(const struct conv *c, const struct trace_row *r, time_t *when)
{
	struct stat	 st;

	if (c->it == NULL || c->it->sfid == NULL || stat(c->it->sfid, &st) < 0)
		return 0;
	*when = st.st_mtime;
	return st.st_mtime > r->created;
}

/*
 * The same OFTP file again (an OFTP retransmission: the station did not
 * see our answer): no second message; the station gets the EERP again
 * when one was sent (state eerp-sent), under a name of its own
 * (ID.WHEN.eerp, WHEN the duplicate's arrival: a redo of this makes the
 * same); the history records the duplicate. Staged, recorded and
 * published in the commit order of every output.
 */
static int
duplicate(struct conv *c, const struct trace_row *r, time_t when)
{
	struct trace	*t = c->g->trace;
	struct outbox	 ob;
	char		 name[IDENT_SZ + 32], note[TRACE_NOTE_SZ], err[512];
	int		 again = r->state == TRACE_S_EERP_SENT, rc;

	outbox_init(&ob, c->g->cfg.spool, NULL);
	snprintf(name, sizeof(name), "%s.%lld.eerp", c->id, (long long)when);
	if (again) {
		c->lp = partner_by_name(&c->g->partners, r->partner);
		hash_file(c, c->it->fd);
	}
	snprintf(note, sizeof(note), "duplicate: the OFTP file arrived again "
	    "as %.64s (written %lld), not converted again%s%.80s",
	    c->it->name, (long long)when, again ? "; EERP sent again: " : "",
	    again ? name : "");
	if ((again && write_response(c, &ob, 0, name) < 0) ||
	    trace_batch_begin(t) < 0) {
		outbox_abort(&ob);
		outbox_free(&ob);
		return errf(c->why, sizeof(c->why), EX_TEMPFAIL, "duplicate: "
		    "%.400s", again ? "EERP not written" : trace_error(t));
	}
	if (trace_record_event(t, r->id, c->now, note) < 0) {
		snprintf(c->why, sizeof(c->why), "trace: %.400s",
		    trace_error(t));
		trace_batch_rollback(t);
		outbox_abort(&ob);
		outbox_free(&ob);
		return EX_TEMPFAIL;
	}
	rc = outbox_commit(&ob, t, r->id, c->now, err, sizeof(err));
	outbox_free(&ob);
	if (rc != 0 && rc != OUTBOX_BEFORE)	/* BEFORE: a redo, published */
		return errf(c->why, sizeof(c->why), EX_TEMPFAIL, "%.400s", err);
	log_warn("%s: %s %s %s %s: %s (transaction %lld, %s)", c->it->name,
	    c->sf.dsn, c->sf.date, c->sf.time, c->sf.orig, note,
	    (long long)r->id, trace_state_name(r->state));
	return EX_OK;
}

/*
 * The file was handled before: a redo after a crash (the outcome was
 * committed, perhaps not all of it published), or the same OFTP file
 * again (duplicate()). Publish what was recorded and still waits in
 * tmp/, and repeat the outcome; never convert again.
 */
static int
handled_before(struct conv *c, const char *in, const struct trace_row *r)
{
	time_t	 when = 0;
	char	 err[512];
	size_t	 n = 0;

	if (outbox_publish_row(c->g->cfg.spool, c->g->trace, r->id, &n, err,
	    sizeof(err)) < 0) {
		snprintf(c->why, sizeof(c->why), "publishing the outputs of "
		    "transaction %lld: %.400s", (long long)r->id, err);
		return EX_TEMPFAIL;
	}
	if (r->state == TRACE_S_FAILED) {
		/* a refused file again: recorded; no NERP (its reason code
		   is not kept), the input to failed/ */
		if (arrived_again(c, r, &when) && duplicate(c, r, when) !=
		    EX_OK)
			return EX_TEMPFAIL;
		snprintf(c->why, sizeof(c->why), "refused before (transaction "
		    "%lld): %.400s", (long long)r->id, r->note);
		return EX_DATAERR;
	}
	if (n > 0)
		log_info("%s: %s %s: finished the conversion of transaction "
		    "%lld (%zu output%s published)", in, c->sf.dsn, c->sf.orig,
		    (long long)r->id, n, n == 1 ? "" : "s");
	else if (arrived_again(c, r, &when))
		return duplicate(c, r, when);
	else
		log_warn("%s: %s %s %s %s: this OFTP file was converted "
		    "before (transaction %lld, %s): not converted again", in,
		    c->sf.dsn, c->sf.date, c->sf.time, c->sf.orig,
		    (long long)r->id, trace_state_name(r->state));
	return EX_OK;
}

/*
 * Commit the outcome: in one trace transaction the row, what is known of
 * it, its state (converted or failed) and the staged outputs; then
 * publish them. EX_TEMPFAIL: nothing is decided (the staged files are
 * removed) or the outputs are decided and a redo publishes them. When
 * another process decided the file meanwhile (*before), its outcome.
 */
static int
commit_outcome(struct conv *c, struct outbox *ob, const char *in,
    const char *out, int eerp_sent, int *before)
{
	struct trace	*t = c->g->trace;
	struct trace_row r;
	enum trace_state s;
	char		 err[512];
	char		 ack[IDENT_SZ + 8];
	int		 dup = 0;

	*before = 0;
	snprintf(ack, sizeof(ack), "%s.nerp", c->id);
	if (trace_batch_begin(t) < 0 || trace_row_begin(c, in, &s) < 0)
		goto fail;
	if (c->filter && s != TRACE_S_RECEIVED) {
		trace_batch_rollback(t);
		log_info("%s: %s was handled before (trace state %s): the "
		    "trace row left as it is", in, c->sf.dsn,
		    trace_state_name(s));
		return EX_OK;
	}
	if (s != TRACE_S_RECEIVED) {		/* another process was first */
		trace_batch_rollback(t);
		outbox_abort(ob);
		dup = OUTBOX_BEFORE;
	} else if (c->nerp != 0 ? trace_record_files(t, c->row, NULL, NULL,
	    ack, c->now) < 0 || trace_record_state(t, c->row, TRACE_S_FAILED,
	    c->now, 0, c->why) < 0 : trace_converted(c, out, eerp_sent) < 0)
		goto fail;
	else
		dup = outbox_commit(ob, t, c->row, c->now, err, sizeof(err));
	if (dup == OUTBOX_BEFORE) {
		if (trace_get(t, c->row, &r) != 1)
			goto fail;
		*before = 1;
		return handled_before(c, in, &r);
	}
	if (dup != 0) {
		snprintf(c->why, sizeof(c->why), "%.400s", err);
		return EX_TEMPFAIL;
	}
	return EX_OK;
fail:
	c->why[0] = '\0';
	return outbox_trace_fail(ob, t, c->why, sizeof(c->why));
}

/*
 * Step 1 of a redo after a crash: a file whose row is past received was
 * handled before and is finished, nothing new. 1 when it was (rc says
 * how that went), 0 when it is to be converted.
 */
static int
redo_check(struct conv *c, const char *in, int *rc)
{
	struct trace_row row;
	struct trace_oftp_id oid;
	int	 found;

	if (c->filter)
		return 0;
	gw_oftp_id(&oid, &c->sf);
	found = trace_find_by_oftp(c->g->trace, TRACE_OFTP2X400, &oid, &row);
	if (found < 0) {
		snprintf(c->why, sizeof(c->why), "trace: %.400s",
		    trace_error(c->g->trace));
		*rc = EX_TEMPFAIL;
		return 1;
	}
	if (found == 1 && row.state != TRACE_S_RECEIVED) {
		*rc = handled_before(c, in, &row);
		return 1;
	}
	return 0;
}

/*
 * Steps 2 to 4: the partnership, the size limit, the OFTP2 security
 * layers undone, the records made the body (and a MIME body parsed).
 */
static int
read_body(struct conv *c, int fd)
{
	struct stat	 st;
	char		 qdir[SPOOL_PATH_MAX], tmpdir[SPOOL_PATH_MAX + 8];
	int		 rc;

	if (fstat(fd, &st) < 0) {
		snprintf(c->why, sizeof(c->why), "fstat: %s", strerror(errno));
		return EX_IOERR;
	}
	if ((rc = find_partner(c)) != EX_OK)
		return rc;
	if ((uint64_t)st.st_size > c->g->cfg.max_file_size)
		return refuse(c, 16, "%lld octets is above the maximum file "
		    "size %llu", (long long)st.st_size,
		    (unsigned long long)c->g->cfg.max_file_size);
	gw_queue(c->g, SPOOL_X400_OUT, qdir, sizeof(qdir));
	hash_file(c, fd);
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", qdir);
	if (c->sf.env != 0 || c->sf.sec != 0 || c->sf.comp != 0) {
		if ((rc = unwrap(c, fd, tmpdir)) != EX_OK)
			return rc;
		if (fstat(c->plain_fd, &st) < 0) {
			snprintf(c->why, sizeof(c->why), "fstat: %s",
			    strerror(errno));
			return EX_IOERR;
		}
		fd = c->plain_fd;
	}
	if (c->sf.format == 'F' || c->sf.format == 'V')
		rc = body_from_records(c, fd, (uint64_t)st.st_size);
	else
		rc = body_as_is(c, fd, (uint64_t)st.st_size);
	if (rc != EX_OK)
		return rc;
	return body_from_mime(c, tmpdir);
}

/*
 * Step 7, first half: the P1 staged in x400/out/tmp (filter mode: on
 * standard output) as name.
 */
static int
stage_message(struct conv *c, struct outbox *ob, struct berw *msg,
    char *name, size_t namelen)
{
	snprintf(name, namelen, "%s.p1", c->id);
	if (outbox_ber(ob, spool_queue_name(SPOOL_X400_OUT), name, msg,
	    c->why, sizeof(c->why)) < 0)
		return outbox_errcode(ob);
	if (c->filter)
		snprintf(name, namelen, "(stdout)");
	return EX_OK;
}

/* Steps 5 to 7: the message, the mode-1 EERP, the commit. */
static int
convert_file(struct conv *c, struct queue_item *it, struct outbox *ob,
    struct berw *msg, struct berw *content)
{
	char	 name[64];
	int	 rc, eerp_sent = 0, before;

	if ((rc = build_message(c, msg, content)) != EX_OK)
		return rc;
	/* another file's identifier (never expected): do not overwrite */
	switch (ident_oftp_taken(c->g->trace, c->mts_text, &c->sf, c->why,
	    sizeof(c->why))) {
	case 1:
		return EX_SOFTWARE;
	case -1:
		return EX_TEMPFAIL;
	}
	if ((rc = stage_message(c, ob, msg, name, sizeof(name))) != EX_OK)
		return rc;
	if (c->p->eerp == 1 && (!it->filter || filter_eerp != NULL)) {
		if (write_response(c, ob, 0, NULL) < 0)
			return errf(c->why, sizeof(c->why), EX_TEMPFAIL,
			    "EERP not written");
		eerp_sent = 1;
	}
	/* the P1 and the EERP leave tmp/ only once the trace says so */
	rc = commit_outcome(c, ob, it->name, name, eerp_sent, &before);
	if (rc == EX_OK && !before)
		log_info("%s: %s %s -> %s.p1 for [%s]", it->name, c->sf.dsn,
		    c->sf.orig, c->id, c->p->name);
	return rc;
}

/*
 * The last attempt failed temporarily again: the file is refused with
 * NERP 34, its text naming the lifetime and the last error (issue 22).
 */
static void
lifetime_over(struct conv *c)
{
	char	 why[sizeof(c->why)];

	snprintf(why, sizeof(why), "not converted within the queue lifetime "
	    "of %u hours: %.400s", c->g->cfg.queue_lifetime, c->why);
	memcpy(c->why, why, sizeof(why));
	c->nerp = 34;
}

/*
 * A refusal after step 1: the NERP instead of what was staged, recorded
 * with the outcome; the reason for the failed/ item in it->why.
 */
static int
refusal(struct conv *c, struct queue_item *it, struct outbox *ob, int rc)
{
	int	 r, before;

	if (rc != EX_OK && queue_exit_temporary(rc) && c->g->final &&
	    !c->filter) {	/* the queue lifetime is over (gw.h) */
		lifetime_over(c);
		rc = GW_EX_LIFETIME;
	}
	if (c->nerp != 0 && !queue_exit_temporary(rc)) {
		outbox_abort(ob);	/* a P1 or EERP staged before */
		hash_file(c, it->fd);
		if (write_response(c, ob, c->nerp, NULL) < 0)
			rc = EX_TEMPFAIL;	/* retry: the NERP must go */
		else if ((r = commit_outcome(c, ob, it->name, NULL, 0,
		    &before)) == EX_TEMPFAIL || before) {
			rc = r;
			c->nerp = 0;	/* not ours: .why is what happened */
		}
	}
	if (rc != EX_OK && c->nerp != 0)
		snprintf(it->why, sizeof(it->why), "NERP %u (%s): %.400s",
		    c->nerp, nerp_reason_text(c->nerp), c->why);
	else if (rc != EX_OK)
		snprintf(it->why, sizeof(it->why), "%s", c->why);
	return rc;
}

static void
conv_free(struct conv *c)
{
	if (c->own_fd >= 0)
		close(c->own_fd);
	if (c->map != NULL)
		munmap(c->map, c->map_len);
	buf_free(&c->head);
	if (c->plain_fd >= 0)
		close(c->plain_fd);
	if (c->mime != NULL) {
		mime_in_free(c->mime);
		free(c->mime);
	}
	cms_keys_free(c->keys);
}

/* One virtual file: the steps of the DESCRIPTION at the top. */
static int
convert(struct queue_item *it, void *arg)
{
	struct conv	 c;
	struct berw	 msg, content;
	struct outbox	 ob;
	char		 err[512];
	int		 rc;

	memset(&c, 0, sizeof(c));
	c.plain_fd = -1;
	c.g = arg;
	c.it = it;
	c.filter = it->filter;
	c.now = clock_now();
	c.body_fd = -1;
	c.own_fd = -1;
	buf_init(&c.head);
	sfid_init(&c.sf);
	outbox_init(&ob, c.g->cfg.spool, it->filter ? filter_route : NULL);
	if (it->sfid == NULL || sfid_read_file(&c.sf, it->sfid, err,
	    sizeof(err)) != SFID_OK) {
		snprintf(it->why, sizeof(it->why), "%.100s.sfid: %.400s",
		    it->name, it->sfid == NULL ? "no .sfid" : err);
		return EX_DATAERR;	/* no identity: no NERP possible */
	}
	derive_id(&c);
	berw_init(&msg);
	berw_init(&content);
	if (!redo_check(&c, it->name, &rc) &&
	    (rc = read_body(&c, it->fd)) == EX_OK)
		rc = convert_file(&c, it, &ob, &msg, &content);
	rc = refusal(&c, it, &ob, rc);
	outbox_abort(&ob);		/* left over from a failure */
	outbox_free(&ob);
	conv_free(&c);
	berw_free(&content);
	berw_free(&msg);
	return rc;
}

/* A bad content-type table: exit 78 at start, not at the first file. */
static void
setup(struct gw *g)
{
	(void)gw_ctypes(g);
}

int
main(int argc, char **argv)
{
	static const char *sfid;
	static const struct gw_opt opts[] = {
		{ "sfid", &sfid, GW_OPT_SFID },
		{ "eerp", &filter_eerp, GW_OPT_OUT },
		{ NULL, NULL, 0 }
	};
	static const struct gw_prog prog = { .in = SPOOL_OFTP_IN,
	    .flags = QUEUE_PAIRS, .handler = convert, .usage = usage,
	    .opts = opts, .setup = setup, .cleanup = mime_in_shutdown };

	return gw_main(argc, argv, &gw, &prog);
}
