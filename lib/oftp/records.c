/*
 * NAME
 *	records - the records of an OFTP virtual file payload (see records.h)
 * DESCRIPTION
 *	One function per format reads the next record from the iterator's
 *	cursor; all reading goes through the cursor getters, so a record
 *	can never extend past the payload. The streaming writer keeps one
 *	record (F, V) or the length of one line (T) between calls, and
 *	writes its buffer out when it is full.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oftp/records.h"
#include "oftp/sfid.h"
#include "util/afile.h"

int
rec_lrecl_ok(char format, uint32_t lrecl)
{
	switch (format) {
	case 'F':
	case 'V':
		return lrecl > 0 && lrecl <= SFID_LRECL_MAX;
	case 'T':
	case 'U':
		return lrecl == 0;
	}
	return 0;
}

static int
fail(struct rec_iter *it, int err, size_t off)
{
	it->err = err;
	it->err_num = it->n + 1;
	it->err_off = off;
	return err;
}

int
rec_iter_init(struct rec_iter *it, const struct cur *payload, char format,
    uint32_t lrecl, unsigned flags)
{
	memset(it, 0, sizeof(*it));
	it->c = *payload;
	it->format = format;
	it->lrecl = lrecl;
	it->flags = flags;
	if (!rec_lrecl_ok(format, lrecl))
		return fail(it, REC_EFORMAT, cur_offset(payload));
	return REC_OK;
}

static int
next_f(struct rec_iter *it, struct rec *r)
{
	size_t	 off = cur_offset(&it->c);

	if (cur_len(&it->c) < it->lrecl) {
		it->err_len = cur_len(&it->c);
		return fail(it, REC_ESHORT, off);
	}
	r->off = off;
	r->len = it->lrecl;
	(void)cur_get_bytes(&it->c, &r->p, r->len);
	return REC_OK;
}

static int
next_v(struct rec_iter *it, struct rec *r)
{
	size_t	 off = cur_offset(&it->c);
	uint16_t len;

	if (!cur_get_u16be(&it->c, &len))
		return fail(it, REC_ETRUNC, off);
	if (len > it->lrecl) {
		it->err_len = len;
		return fail(it, REC_ETOOLONG, off);
	}
	if (cur_len(&it->c) < len) {
		it->err_len = len;
		return fail(it, REC_ETRUNC, off);
	}
	r->off = cur_offset(&it->c);
	r->len = len;
	(void)cur_get_bytes(&it->c, &r->p, len);
	return REC_OK;
}

static int
next_t(struct rec_iter *it, struct rec *r)
{
	const uint8_t *p = cur_data(&it->c);
	size_t	 i, n = cur_len(&it->c), off = cur_offset(&it->c);

	for (i = 0; i < n; i++) {
		if (p[i] == '\n')
			return fail(it, REC_EBARELF, off + i);
		if (p[i] == '\r') {
			if (i + 1 == n || p[i + 1] != '\n')
				return fail(it, REC_EBARECR, off + i);
			break;
		}
		if (i == REC_T_LINE_MAX) {
			it->err_len = i + 1;
			return fail(it, REC_ETOOLONG, off);
		}
		if ((it->flags & REC_STRICT) &&
		    (p[i] < 0x20 || p[i] >= 0x7f)) {
			it->err_octet = p[i];
			return fail(it, REC_ECHAR, off + i);
		}
	}
	r->off = off;
	r->len = i;
	(void)cur_get_bytes(&it->c, &r->p, i);
	if (i < n)
		(void)cur_skip(&it->c, 2);	/* CR LF */
	return REC_OK;
}

int
rec_next(struct rec_iter *it, struct rec *r)
{
	int	 rc;

	if (it->err != REC_OK)
		return it->err;
	if (cur_len(&it->c) == 0)
		return REC_END;
	switch (it->format) {
	case 'F':
		rc = next_f(it, r);
		break;
	case 'V':
		rc = next_v(it, r);
		break;
	case 'T':
		rc = next_t(it, r);
		break;
	default:	/* 'U', checked by rec_iter_init */
		r->off = cur_offset(&it->c);
		r->len = cur_len(&it->c);
		(void)cur_get_bytes(&it->c, &r->p, r->len);
		rc = REC_OK;
		break;
	}
	if (rc == REC_OK)
		r->num = ++it->n;
	return rc;
}

int
rec_errmsg(const struct rec_iter *it, char *msg, size_t len)
{
	char	 why[96];

	switch (it->err) {
	case REC_OK:
	case REC_END:
		snprintf(msg, len, "no error");
		return it->err;
	case REC_EFORMAT:
		snprintf(msg, len, "format %c with lrecl %u: %s",
		    it->format >= 0x20 && it->format < 0x7f ? it->format : '?',
		    (unsigned)it->lrecl, rec_strerror(it->err));
		return it->err;
	case REC_ESHORT:
		snprintf(why, sizeof(why), "last record has %zu octets, "
		    "lrecl is %u", it->err_len, (unsigned)it->lrecl);
		break;
	case REC_ETOOLONG:
		if (it->format == 'V')
			snprintf(why, sizeof(why), "record of %zu octets "
			    "exceeds lrecl %u", it->err_len,
			    (unsigned)it->lrecl);
		else
			snprintf(why, sizeof(why), "line longer than %d "
			    "octets", REC_T_LINE_MAX);
		break;
	case REC_ETRUNC:
		if (it->err_len > 0)
			snprintf(why, sizeof(why), "record of %zu octets cut "
			    "off by the end of the payload", it->err_len);
		else
			snprintf(why, sizeof(why), "length prefix cut off by "
			    "the end of the payload");
		break;
	case REC_ECHAR:
		snprintf(why, sizeof(why), "octet 0x%02x not allowed in a "
		    "text file", it->err_octet);
		break;
	default:
		snprintf(why, sizeof(why), "%s", rec_strerror(it->err));
		break;
	}
	snprintf(msg, len, "record %llu at offset %zu: %s",
	    (unsigned long long)it->err_num, it->err_off, why);
	return it->err;
}

int
rec_scan(const struct cur *payload, char format, uint32_t lrecl,
    unsigned flags, uint64_t *count, char *msg, size_t len)
{
	struct rec_iter it;
	struct rec r;
	int	 rc;

	if ((rc = rec_iter_init(&it, payload, format, lrecl, flags)) ==
	    REC_OK)
		while ((rc = rec_next(&it, &r)) == REC_OK)
			;
	if (count != NULL)
		*count = it.n;
	if (rc == REC_END)
		return REC_OK;
	if (msg != NULL && len > 0)
		rec_errmsg(&it, msg, len);
	return rc;
}

int
rec_write(struct buf *b, char format, uint32_t lrecl, const void *p,
    size_t len)
{
	const uint8_t *d = p;
	size_t	 i;

	if (!rec_lrecl_ok(format, lrecl))
		return REC_EFORMAT;
	switch (format) {
	case 'F':
		if (len != lrecl)
			return REC_ELENGTH;
		buf_add(b, p, len);
		break;
	case 'V':
		if (len > lrecl || len > REC_V_MAX)
			return REC_ETOOLONG;
		buf_add_u8(b, (uint8_t)(len >> 8));
		buf_add_u8(b, (uint8_t)len);
		buf_add(b, p, len);
		break;
	case 'T':
		if (len > REC_T_LINE_MAX)
			return REC_ETOOLONG;
		for (i = 0; i < len; i++) {
			if (d[i] == '\r')
				return REC_EBARECR;
			if (d[i] == '\n')
				return REC_EBARELF;
		}
		buf_add(b, p, len);
		buf_add(b, "\r\n", 2);
		break;
	default:	/* 'U' */
		buf_add(b, p, len);
		break;
	}
	return buf_error(b) ? REC_ENOMEM : REC_OK;
}

/* --- the streaming writer ------------------------------------------- */

static void
w_flush(struct rec_writer *w)
{
	if (w->olen > 0 && !w->err && write_all(w->fd, w->out, w->olen) < 0)
		w->err = errno ? errno : EIO;
	w->written += w->olen;
	w->olen = 0;
}

static void
w_put(struct rec_writer *w, const void *p, size_t n)
{
	const uint8_t *s = p;
	size_t	 k;

	while (n > 0) {
		if (w->olen == sizeof(w->out))
			w_flush(w);
		k = sizeof(w->out) - w->olen;
		if (k > n)
			k = n;
		memcpy(w->out + w->olen, s, k);
		w->olen += k;
		s += k;
		n -= k;
	}
}

/* The record filled: V with its length prefix, F padded to lrecl. */
static void
w_record(struct rec_writer *w)
{
	uint8_t	 pre[2];

	if (w->format == 'V') {
		pre[0] = (uint8_t)(w->rlen >> 8);
		pre[1] = (uint8_t)w->rlen;
		w_put(w, pre, 2);
	} else if (w->rlen < w->lrecl)		/* F: the last one, padded */
		memset(w->rec + w->rlen, ' ', w->lrecl - w->rlen);
	w_put(w, w->rec, w->format == 'F' ? w->lrecl : w->rlen);
	w->rlen = 0;
}

int
rec_writer_init(struct rec_writer *w, char format, uint32_t lrecl, int text,
    int fd)
{
	memset(w, 0, sizeof(*w));
	if (!rec_lrecl_ok(format, lrecl))
		return REC_EFORMAT;
	w->format = format;
	w->lrecl = format == 'V' && lrecl > REC_V_MAX ? REC_V_MAX : lrecl;
	w->text = text;
	w->fd = fd;
	if ((format == 'F' || format == 'V') &&
	    (w->rec = malloc(w->lrecl)) == NULL)
		return REC_ENOMEM;
	return REC_OK;
}

/* T: CR LF lines, a bare CR or LF made CR LF, long lines broken. */
static void
w_text_octet(struct rec_writer *w, uint8_t b)
{
	int	 prev = w->cr;

	if (prev && b != '\n') {	/* a bare CR ends a line */
		w_put(w, "\n", 1);
		w->linelen = 0;
	}
	w->cr = b == '\r';
	if (b == '\r') {
		w_put(w, "\r", 1);
	} else if (b == '\n') {	/* a bare LF gets its CR */
		w_put(w, "\r\n" + prev, 2 - prev);
		w->linelen = 0;
	} else {
		if (w->linelen == REC_T_LINE_MAX) {
			w_put(w, "\r\n", 2);
			w->linelen = 0;
		}
		w_put(w, &b, 1);
		w->linelen++;
	}
}

/* F, V: the octet into the record; a V text's line end ends one. */
static void
w_record_octet(struct rec_writer *w, uint8_t b)
{
	if (w->format == 'V' && w->text && (b == '\r' || b == '\n')) {
		if (b == '\n' && w->cr) {	/* the LF of CR LF */
			w->cr = 0;
			return;
		}
		w->cr = b == '\r';
		w_record(w);
		return;
	}
	w->cr = 0;
	w->rec[w->rlen++] = b;
	if (w->rlen == w->lrecl)
		w_record(w);
}

/* The octets before the first CR or LF of d[0..n). */
static size_t
plain_len(const uint8_t *d, size_t n)
{
	const uint8_t *cr = memchr(d, '\r', n);
	const uint8_t *lf;

	if (cr != NULL)
		n = (size_t)(cr - d);
	lf = memchr(d, '\n', n);
	return lf != NULL ? (size_t)(lf - d) : n;
}

/*
 * The octet rules above, a run at a time: CR, LF and the octet after a
 * CR go one by one; a run of others is copied whole, bounded by what is
 * left of the T line or the F/V record (so each search is short).
 */
void
rec_writer_put(struct rec_writer *w, const void *p, size_t n)
{
	const uint8_t *d = p;
	size_t	 i, k, lim;
	int	 lines = w->format == 'T' || (w->format == 'V' && w->text);

	if (w->format == 'U') {
		w_put(w, d, n);
		return;
	}
	for (i = 0; i < n; i += k) {
		k = 1;
		if (lines && (d[i] == '\r' || d[i] == '\n' || w->cr)) {
			if (w->format == 'T')
				w_text_octet(w, d[i]);
			else
				w_record_octet(w, d[i]);
			continue;
		}
		if (w->format == 'T' && w->linelen == REC_T_LINE_MAX) {
			w_put(w, "\r\n", 2);
			w->linelen = 0;
		}
		lim = w->format == 'T' ? REC_T_LINE_MAX - w->linelen :
		    w->lrecl - w->rlen;
		if (lim > n - i)
			lim = n - i;
		k = lines ? plain_len(d + i, lim) : lim;
		if (w->format == 'T') {
			w_put(w, d + i, k);
			w->linelen += k;
			continue;
		}
		w->cr = 0;
		memcpy(w->rec + w->rlen, d + i, k);
		if ((w->rlen += k) == w->lrecl)
			w_record(w);
	}
}

int
rec_writer_finish(struct rec_writer *w)
{
	if (w->format == 'T') {
		if (w->cr)
			w_put(w, "\n", 1);
		else if (w->linelen > 0)
			w_put(w, "\r\n", 2);
	} else if ((w->format == 'F' || w->format == 'V') && w->rlen > 0)
		w_record(w);
	w_flush(w);
	free(w->rec);
	w->rec = NULL;
	if (w->err) {
		errno = w->err;
		return -1;
	}
	return 0;
}

const char *
rec_strerror(int e)
{
	switch (e) {
	case REC_OK:		return "no error";
	case REC_END:		return "no more records";
	case REC_EFORMAT:	return "unknown format or lrecl not valid "
				    "for the format";
	case REC_ESHORT:	return "short last record in a fixed file";
	case REC_ETRUNC:	return "record cut off by the end of the "
				    "payload";
	case REC_ETOOLONG:	return "record too long";
	case REC_ELENGTH:	return "record length is not lrecl";
	case REC_EBARECR:	return "CR not followed by LF";
	case REC_EBARELF:	return "LF not preceded by CR";
	case REC_ECHAR:		return "octet not allowed in a text file";
	case REC_ENOMEM:	return "out of memory";
	}
	return "unknown error";
}
