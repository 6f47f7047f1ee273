/*
 * NAME
 *	ber_stream - BER read as a stream of headers, in bounded memory
 * SYNOPSIS
 *	#include "asn1/ber_stream.h"
 * DESCRIPTION
 *	A struct ber_stream reads a BER encoding from the front of an fd
 *	(through a BER_STREAM_CHUNK buffer) or of memory, for structures
 *	too large to hold (a 100 MB CMS layer): the caller walks it one
 *	element header at a time and streams the contents it does not keep.
 *	ber_stream_init_fd() and ber_stream_init_mem() start one (what names
 *	it in messages), ber_stream_free() releases its buffer. off is the
 *	absolute offset of the next unread octet.
 *
 *	ber_stream_hdr() reads the identifier and length octets of the next
 *	element with ber_hdr_decode() (the same rules as ber_read(), see
 *	ber.h) and checks them against the parent element (NULL at the
 *	top): an end-of-contents where an element belongs, a length that
 *	runs past the parent's. A struct ber_stlv keeps the header octets
 *	(hdr, hdrlen), the definite length and the end offset. Indefinite
 *	lengths end with an end-of-contents pair: ber_stream_more() says
 *	whether the parent has another child, ber_stream_next() reads its
 *	header if it has one (*more is 0 at the parent's end),
 *	ber_stream_close() checks the parent's end and consumes the
 *	end-of-contents, ber_stream_eof() that nothing follows the
 *	structure. ber_stream_expect() reads the next child
 *	and requires its class and tag (cons: 0 primitive, 1 constructed,
 *	-1 either).
 *
 *	Contents: ber_stream_prim() copies a small primitive's contents,
 *	ber_stream_elem() a whole element (header already read) into a
 *	buf, as it is, up to max octets in the buf; ber_stream_octets()
 *	gives a string element's octets to fn in pieces, reassembling a
 *	constructed string's OCTET STRING segments (X.690 8.7.3).
 *	ber_stream_fill(), ber_stream_avail(), ber_stream_peek() and
 *	ber_stream_take() read the octets themselves: fill buffers at least
 *	need (<= BER_STREAM_CHUNK) octets unless the input ends first; take
 *	consumes up to n of them in place. Nesting is limited to max_depth
 *	(BER_STREAM_DEPTH unless the caller sets another).
 * DIAGNOSTICS
 *	BER_OK, or a BER_E* code with one line in the caller's err buffer:
 *	"what: offset N: reason" for malformed input, BER_EIO for a failed
 *	read (errno's text), BER_ENOMEM. A nonzero return of an octets
 *	callback stops the reading and is returned as it is: a callback's
 *	codes must not be BER_E* codes (negative ones are not).
 */
#ifndef OX_BER_STREAM_H
#define OX_BER_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/ber.h"
#include "util/buf.h"

#define BER_STREAM_CHUNK	65536
#define BER_STREAM_DEPTH	32

struct ber_stream {
	int		 fd;		/* -1: memory */
	uint8_t		*mem;		/* our buffer (fd mode) */
	const uint8_t	*p;
	size_t		 pos, len;
	uint64_t	 off;		/* absolute offset of p[pos] */
	unsigned	 max_depth;
	const char	*what;		/* name for messages */
	char		*err;
	size_t		 errlen;
};

struct ber_stlv {
	uint8_t		 cls, cons, indef;
	uint32_t	 tag;
	uint64_t	 off;		/* of the identifier octet */
	uint64_t	 len;		/* definite: contents length */
	uint64_t	 end;		/* definite: offset past the contents */
	uint8_t		 hdr[BER_HDR_MAX];
	size_t		 hdrlen;
};

typedef int (*ber_stream_fn)(void *, const uint8_t *, size_t);

int	 ber_stream_init_fd(struct ber_stream *, int, const char *, char *,
	    size_t);
void	 ber_stream_init_mem(struct ber_stream *, const void *, size_t,
	    const char *, char *, size_t);
void	 ber_stream_free(struct ber_stream *);
int	 ber_stream_bad(struct ber_stream *, int, uint64_t, const char *);

int	 ber_stream_fill(struct ber_stream *, size_t);
size_t	 ber_stream_avail(const struct ber_stream *);
const uint8_t *ber_stream_peek(const struct ber_stream *);
int	 ber_stream_take(struct ber_stream *, uint64_t, const uint8_t **,
	    size_t *);

int	 ber_stream_hdr(struct ber_stream *, const struct ber_stlv *,
	    struct ber_stlv *);
int	 ber_stream_more(struct ber_stream *, const struct ber_stlv *, int *);
int	 ber_stream_next(struct ber_stream *, const struct ber_stlv *,
	    struct ber_stlv *, int *);
int	 ber_stream_close(struct ber_stream *, const struct ber_stlv *);
int	 ber_stream_eof(struct ber_stream *);
int	 ber_stream_expect(struct ber_stream *, const struct ber_stlv *,
	    uint8_t, uint32_t, int, struct ber_stlv *, const char *);
int	 ber_stream_prim(struct ber_stream *, const struct ber_stlv *,
	    uint8_t *, size_t, size_t *);
int	 ber_stream_elem(struct ber_stream *, const struct ber_stlv *,
	    struct buf *, size_t);
int	 ber_stream_octets(struct ber_stream *, const struct ber_stlv *,
	    ber_stream_fn, void *);

#endif
