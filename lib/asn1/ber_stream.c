/*
 * NAME
 *	ber_stream - BER read as a stream of headers (see ber_stream.h)
 * DESCRIPTION
 *	X.690 sections cited as "8.x". The stream follows the bounded-cursor
 *	rules of ber.c without holding the input: every header is decoded
 *	by ber_hdr_decode() and checked against its enclosing element,
 *	indefinite lengths end with an end-of-contents pair, and the
 *	octets consumed are counted in off, so that each element's end is
 *	known without seeking.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/ber_stream.h"
#include "util/err.h"

int
ber_stream_init_fd(struct ber_stream *s, int fd, const char *what, char *err,
    size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->max_depth = BER_STREAM_DEPTH;
	s->what = what;
	s->err = err;
	s->errlen = errlen;
	if ((s->mem = malloc(BER_STREAM_CHUNK)) == NULL)
		return errf(err, errlen, BER_ENOMEM, "%s: out of memory",
		    what);
	s->p = s->mem;
	return BER_OK;
}

void
ber_stream_init_mem(struct ber_stream *s, const void *p, size_t n,
    const char *what, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->p = p;
	s->len = n;
	s->max_depth = BER_STREAM_DEPTH;
	s->what = what;
	s->err = err;
	s->errlen = errlen;
}

void
ber_stream_free(struct ber_stream *s)
{
	free(s->mem);
	s->mem = NULL;
}

size_t
ber_stream_avail(const struct ber_stream *s)
{
	return s->len - s->pos;
}

const uint8_t *
ber_stream_peek(const struct ber_stream *s)
{
	return s->p + s->pos;
}

/* Have at least need (<= BER_STREAM_CHUNK) octets buffered, unless at EOF. */
int
ber_stream_fill(struct ber_stream *s, size_t need)
{
	ssize_t	 r;
	int	 e;

	if (s->fd < 0 || ber_stream_avail(s) >= need)
		return BER_OK;
	if (s->pos > 0) {
		memmove(s->mem, s->mem + s->pos, ber_stream_avail(s));
		s->len -= s->pos;
		s->pos = 0;
	}
	while (s->len < need) {
		r = read(s->fd, s->mem + s->len, BER_STREAM_CHUNK - s->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			return errf(s->err, s->errlen, BER_EIO, "%s: read: %s",
			    s->what, strerror(e));
		}
		if (r == 0)
			break;
		s->len += (size_t)r;
	}
	return BER_OK;
}

/* Malformed input: code e, one line naming the offset. */
int
ber_stream_bad(struct ber_stream *s, int e, uint64_t off, const char *why)
{
	return errf(s->err, s->errlen, e, "%s: offset %llu: %s", s->what,
	    (unsigned long long)off, why);
}

static void
ber_stream_skip(struct ber_stream *s, size_t n)
{
	s->pos += n;
	s->off += n;
}

/* Up to n octets in place (at least one unless n is 0). */
int
ber_stream_take(struct ber_stream *s, uint64_t n, const uint8_t **p,
    size_t *got)
{
	int	 e;

	if ((e = ber_stream_fill(s, 1)) != BER_OK)
		return e;
	if (n > 0 && ber_stream_avail(s) == 0)
		return ber_stream_bad(s, BER_ETRUNC, s->off, "truncated");
	*got = ber_stream_avail(s) < n ? ber_stream_avail(s) : (size_t)n;
	*p = ber_stream_peek(s);
	ber_stream_skip(s, *got);
	return BER_OK;
}

/*
 * The identifier and length octets of the next element (ber_hdr_decode:
 * the rules of ber_read()), checked against its parent (NULL at the top).
 */
int
ber_stream_hdr(struct ber_stream *s, const struct ber_stlv *parent,
    struct ber_stlv *t)
{
	struct ber_hdr	 h;
	int		 e;

	memset(t, 0, sizeof(*t));
	t->off = s->off;
	if ((e = ber_stream_fill(s, BER_HDR_MAX)) != BER_OK)
		return e;
	if ((e = ber_hdr_decode(ber_stream_peek(s), ber_stream_avail(s),
	    &h)) != BER_OK)
		return ber_stream_bad(s, e, t->off, ber_strerror(e));
	memcpy(t->hdr, ber_stream_peek(s), h.hdrlen);
	t->hdrlen = h.hdrlen;
	ber_stream_skip(s, h.hdrlen);
	t->cls = h.cls;
	t->cons = h.cons;
	t->indef = h.indef;
	t->tag = h.tag;
	t->len = h.len;
	if (t->cls == BER_UNIV && t->tag == 0)
		return ber_stream_bad(s, BER_EEOC, t->off,
		    "unexpected end-of-contents");
	if (!t->indef) {
		t->end = s->off + t->len;
		if (parent != NULL && !parent->indef && t->end > parent->end)
			return ber_stream_bad(s, BER_ELEN, t->off, "length "
			    "runs past the enclosing element");
	}
	if (parent != NULL && !parent->indef && s->off > parent->end)
		return ber_stream_bad(s, BER_ELEN, t->off, "element runs past "
		    "the enclosing element");
	return BER_OK;
}

/* Is there another child in t? (Does not consume an end-of-contents.) */
int
ber_stream_more(struct ber_stream *s, const struct ber_stlv *t, int *more)
{
	int	 e;

	if (!t->indef) {
		if (s->off > t->end)
			return ber_stream_bad(s, BER_ELEN, t->off, "contents "
			    "run past the element's length");
		*more = s->off < t->end;
		return BER_OK;
	}
	if ((e = ber_stream_fill(s, 2)) != BER_OK)
		return e;
	if (ber_stream_avail(s) < 2)
		return ber_stream_bad(s, BER_ETRUNC, s->off, "truncated "
		    "(missing end-of-contents)");
	*more = !(s->p[s->pos] == 0 && s->p[s->pos + 1] == 0);
	return BER_OK;
}

/* The header of parent's next child; *more is 0 at parent's end. */
int
ber_stream_next(struct ber_stream *s, const struct ber_stlv *parent,
    struct ber_stlv *t, int *more)
{
	int	 e;

	if ((e = ber_stream_more(s, parent, more)) != BER_OK || !*more)
		return e;
	return ber_stream_hdr(s, parent, t);
}

/* The end of t's contents: nothing more inside it. */
int
ber_stream_close(struct ber_stream *s, const struct ber_stlv *t)
{
	int	 more, e;

	if ((e = ber_stream_more(s, t, &more)) != BER_OK)
		return e;
	if (more)
		return ber_stream_bad(s, BER_EUNEXP, s->off,
		    "unexpected element");
	if (t->indef)
		ber_stream_skip(s, 2);
	return BER_OK;
}

/* The whole input must have been consumed. */
int
ber_stream_eof(struct ber_stream *s)
{
	int	 e;

	if ((e = ber_stream_fill(s, 1)) != BER_OK)
		return e;
	if (ber_stream_avail(s) != 0)
		return ber_stream_bad(s, BER_ETRAIL, s->off, "data after the "
		    "end of the structure");
	return BER_OK;
}

int
ber_stream_expect(struct ber_stream *s, const struct ber_stlv *parent,
    uint8_t cls, uint32_t tag, int cons, struct ber_stlv *t, const char *what)
{
	char	 msg[128];
	int	 more, e;

	if (parent != NULL) {
		if ((e = ber_stream_more(s, parent, &more)) != BER_OK)
			return e;
		if (!more) {
			snprintf(msg, sizeof(msg), "%s missing", what);
			return ber_stream_bad(s, BER_EMISSING, s->off, msg);
		}
	}
	if ((e = ber_stream_hdr(s, parent, t)) != BER_OK)
		return e;
	if (t->cls != cls || t->tag != tag || (cons >= 0 && t->cons != cons)) {
		snprintf(msg, sizeof(msg), "%s expected", what);
		return ber_stream_bad(s, BER_EUNEXP, t->off, msg);
	}
	return BER_OK;
}

/* The contents of a small primitive element (at most max octets). */
int
ber_stream_prim(struct ber_stream *s, const struct ber_stlv *t, uint8_t *out,
    size_t max, size_t *n)
{
	const uint8_t *p;
	size_t	 got, done = 0;
	int	 e;

	if (t->cons || t->len > max)
		return ber_stream_bad(s, BER_ESIZE, t->off,
		    "element too long");
	while (done < t->len) {
		if ((e = ber_stream_take(s, t->len - done, &p, &got)) !=
		    BER_OK)
			return e;
		memcpy(out + done, p, got);
		done += got;
	}
	*n = done;
	return BER_OK;
}

static int
ber_stream_keep(struct ber_stream *s, struct buf *out, const void *p,
    size_t n)
{
	if (!buf_add(out, p, n))
		return errf(s->err, s->errlen, BER_ENOMEM, "%s: out of memory",
		    s->what);
	return BER_OK;
}

/* The next n octets, in pieces, to fn. */
static int
ber_stream_pass(struct ber_stream *s, uint64_t n, ber_stream_fn fn,
    void *arg)
{
	const uint8_t *p;
	size_t	 got;
	int	 e;

	while (n > 0) {
		if ((e = ber_stream_take(s, n, &p, &got)) != BER_OK ||
		    (e = fn(arg, p, got)) != 0)
			return e;
		n -= got;
	}
	return BER_OK;
}

struct ber_stream_out {
	struct ber_stream *s;
	struct buf	*b;
};

static int
ber_stream_keep_fn(void *arg, const uint8_t *p, size_t n)
{
	struct ber_stream_out *o = arg;

	return ber_stream_keep(o->s, o->b, p, n);
}

static int
ber_stream_elem_r(struct ber_stream *s, const struct ber_stlv *t,
    struct buf *out, size_t max, unsigned depth)
{
	struct ber_stream_out o = { s, out };
	struct ber_stlv c;
	int	 more, e;

	if (depth > s->max_depth)
		return ber_stream_bad(s, BER_EDEPTH, t->off,
		    "nested too deeply");
	if ((e = ber_stream_keep(s, out, t->hdr, t->hdrlen)) != BER_OK)
		return e;
	if (!t->indef) {
		if (out->len > max || t->len > max - out->len)
			return ber_stream_bad(s, BER_ETOOLONG, t->off,
			    "element too large");
		return ber_stream_pass(s, t->len, ber_stream_keep_fn, &o);
	}
	for (;;) {
		if ((e = ber_stream_next(s, t, &c, &more)) != BER_OK)
			return e;
		if (!more)
			break;
		if ((e = ber_stream_elem_r(s, &c, out, max, depth + 1)) !=
		    BER_OK)
			return e;
		if (out->len > max)
			return ber_stream_bad(s, BER_ETOOLONG, t->off,
			    "element too large");
	}
	if ((e = ber_stream_close(s, t)) != BER_OK)
		return e;
	return ber_stream_keep(s, out, "\0\0", 2);
}

/* Copy a whole element (header already read into t) into out. */
int
ber_stream_elem(struct ber_stream *s, const struct ber_stlv *t,
    struct buf *out, size_t max)
{
	return ber_stream_elem_r(s, t, out, max, 0);
}

static int
ber_stream_octets_r(struct ber_stream *s, const struct ber_stlv *t,
    ber_stream_fn fn, void *arg, unsigned depth)
{
	struct ber_stlv c;
	int	 more, e;

	if (depth > s->max_depth)
		return ber_stream_bad(s, BER_EDEPTH, t->off,
		    "nested too deeply");
	if (!t->cons)
		return ber_stream_pass(s, t->len, fn, arg);
	for (;;) {
		if ((e = ber_stream_next(s, t, &c, &more)) != BER_OK)
			return e;
		if (!more)
			break;
		if (c.cls != BER_UNIV || c.tag != BER_OCTET_STRING)
			return ber_stream_bad(s, BER_EUNEXP, c.off,
			    "OCTET STRING segment expected");
		if ((e = ber_stream_octets_r(s, &c, fn, arg, depth + 1)) !=
		    BER_OK)
			return e;
	}
	return ber_stream_close(s, t);
}

/*
 * Stream the octets of a string element to fn: a primitive one's
 * contents, or a constructed one's OCTET STRING segments (8.7.3).
 */
int
ber_stream_octets(struct ber_stream *s, const struct ber_stlv *t,
    ber_stream_fn fn, void *arg)
{
	return ber_stream_octets_r(s, t, fn, arg, 0);
}
