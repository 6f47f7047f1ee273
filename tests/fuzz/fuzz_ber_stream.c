/*
 * NAME
 *	fuzz_ber_stream - libFuzzer target for the streaming BER reader
 * DESCRIPTION
 *	Walks the element tree of the input with ber_stream (from memory),
 *	copying each top-level element with ber_stream_elem() and streaming
 *	the octets of every string-like primitive with ber_stream_octets();
 *	the same input is also walked from a memfd so that the
 *	fd path (buffer refills) runs too. Whatever the reader accepts as
 *	one element ber_read() must accept with the same header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "asn1/ber_stream.h"
#include "util/afile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
sink(void *arg, const uint8_t *p, size_t n)
{
	size_t	*total = arg;

	(void)p;
	*total += n;
	return 0;
}

static int
walk(struct ber_stream *s, const struct ber_stlv *parent, unsigned depth)
{
	struct ber_stlv	 t;
	size_t		 total = 0;
	int		 more, e;

	if (depth > 16)
		return BER_EDEPTH;
	for (;;) {
		if ((e = ber_stream_next(s, parent, &t, &more)) != BER_OK)
			return e;
		if (!more)
			break;
		if (t.cons && t.cls != BER_UNIV)
			e = walk(s, &t, depth + 1);
		else
			e = ber_stream_octets(s, &t, sink, &total);
		if (e != BER_OK)
			return e;
	}
	return ber_stream_close(s, parent);
}

static void
one(struct ber_stream *s, const uint8_t *p, size_t n)
{
	struct ber_stlv	 t;
	struct ber_dec	 d;
	struct ber_tlv	 bt;
	struct buf	 b;

	buf_init(&b);
	if (ber_stream_hdr(s, NULL, &t) == BER_OK &&
	    ber_stream_elem(s, &t, &b, 1 << 20) == BER_OK) {
		ber_dec_init(&d);
		if (ber_read_one(&d, p, s->off, &bt) != BER_OK ||
		    bt.cls != t.cls || bt.tag != t.tag || bt.cons != t.cons ||
		    bt.indef != t.indef || b.len > n)
			abort();
	}
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct ber_stream s;
	struct ber_stlv	 t;
	char		 err[256];
	int		 fd;

	ber_stream_init_mem(&s, p, n, "fuzz", err, sizeof(err));
	one(&s, p, n);

	ber_stream_init_mem(&s, p, n, "fuzz", err, sizeof(err));
	s.max_depth = 8;
	if (ber_stream_hdr(&s, NULL, &t) == BER_OK && t.cons)
		(void)walk(&s, &t, 0);

	if ((fd = memfd_create("fuzz", 0)) < 0)
		return 0;
	if (write_all(fd, p, n) == 0 && lseek(fd, 0, SEEK_SET) == 0 &&
	    ber_stream_init_fd(&s, fd, "fuzz", err, sizeof(err)) == BER_OK) {
		if (ber_stream_hdr(&s, NULL, &t) == BER_OK && t.cons)
			(void)walk(&s, &t, 0);
		ber_stream_free(&s);
	}
	close(fd);
	return 0;
}
