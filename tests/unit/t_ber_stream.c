/*
 * Unit tests of the streaming BER reader (asn1/ber_stream.h): its
 * headers follow the same rules as ber_read() (one decoder,
 * ber_hdr_decode), from memory and from an fd.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/ber_stream.h"
#include "test.h"

static uint8_t hx[4096];
static size_t
H(const char *s)
{
	size_t	 n = 0;

	if (test_hex(s, hx, sizeof(hx), &n) < 0)
		test_fail(__FILE__, __LINE__, "bad hex in test: %s", s);
	return n;
}

/* The first header of hex input, from memory; the code. */
static int
hdr1(const char *hex, struct ber_stlv *t)
{
	struct ber_stream s;
	char	 err[256];
	size_t	 n = H(hex);

	ber_stream_init_mem(&s, hx, n, "test", err, sizeof(err));
	return ber_stream_hdr(&s, NULL, t);
}

/* The same input through ber_read(): the same verdict. */
static int
read1(const char *hex)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	size_t		 n = H(hex);

	ber_dec_init(&d);
	return ber_read_one(&d, hx, n, &t);
}

/*
 * X.690 8.1.2.2: tag numbers 0 to 30 have the one-octet form, so the
 * high-tag-number form (8.1.2.4) carries 31 or more; 8.1.2.4.2 c: bits
 * 7 to 1 of the first subsequent octet shall not all be zero. The
 * stream reader accepted "1f 1e" (tag 30 in the high form) before it
 * used ber_hdr_decode().
 */
static void
t_high_tag_form(void)
{
	struct ber_stlv	 t;

	CHECK_EQ_INT(hdr1("1f 1e 00", &t), BER_ETAG);
	CHECK_EQ_INT(read1("1f 1e 00"), BER_ETAG);
	CHECK_EQ_INT(hdr1("1f 00 00", &t), BER_ETAG);
	CHECK_EQ_INT(hdr1("bf 01 80 00 00", &t), BER_ETAG);
	CHECK_EQ_INT(hdr1("1f 80 1f 00", &t), BER_ETAG);
	CHECK_EQ_INT(read1("1f 80 1f 00"), BER_ETAG);
	CHECK_EQ_INT(hdr1("1f 1f 00", &t), BER_OK);
	CHECK(t.cls == BER_UNIV && t.tag == 31 && !t.cons);
	CHECK_EQ_INT(t.hdrlen, 3);
	CHECK_EQ_INT(hdr1("7f 81 00 00", &t), BER_OK);
	CHECK(t.cls == BER_APP && t.tag == 128 && t.cons);
	CHECK_EQ_INT(read1("7f 81 00 00"), BER_OK);
	/* more than four subsequent octets: above our 28 bits */
	CHECK_EQ_INT(hdr1("1f 81 81 81 81 01 00", &t), BER_ETAG);
	CHECK_EQ_INT(read1("1f 81 81 81 81 01 00"), BER_ETAG);
}

static void
t_lengths(void)
{
	struct ber_stlv	 t;

	CHECK_EQ_INT(hdr1("04 84 00 00 00 03 61 62 63", &t), BER_OK);
	CHECK_EQ_INT(t.len, 3);
	CHECK_EQ_INT(t.end, 9);
	CHECK_EQ_INT(t.hdrlen, 6);
	CHECK_EQ_INT(hdr1("04 ff 01", &t), BER_EBADLEN);
	CHECK_EQ_INT(hdr1("04 89 00 00 00 00 00 00 00 00 01", &t),
	    BER_EBADLEN);
	CHECK_EQ_INT(hdr1("04 80", &t), BER_EINDEF);
	CHECK_EQ_INT(hdr1("04 82 01", &t), BER_ETRUNC);
	CHECK_EQ_INT(hdr1("1f", &t), BER_ETRUNC);
	CHECK_EQ_INT(hdr1("", &t), BER_ETRUNC);
	CHECK_EQ_INT(hdr1("00 00", &t), BER_EEOC);
	CHECK_EQ_INT(hdr1("04 88 80 00 00 00 00 00 00 00", &t),
	    BER_ETOOLONG);
}

static int
collect(void *arg, const uint8_t *p, size_t n)
{
	return buf_add(arg, p, n) ? 0 : -1;
}

/* A nested indefinite structure from an fd: elem, octets, close, eof. */
static void
t_fd(void)
{
	struct ber_stream s;
	struct ber_stlv	 seq, a, b;
	struct buf	 out;
	char		 err[256], path[] = "/tmp/t_ber_stream.XXXXXX";
	size_t		 n;
	int		 fd, more;

	n = H("30 80 31 80 02 01 05 00 00 24 80 04 02 61 62 04 01 63 00 00 "
	    "00 00");
	CHECK((fd = mkstemp(path)) >= 0);
	unlink(path);
	CHECK(write(fd, hx, n) == (ssize_t)n);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	buf_init(&out);
	CHECK_EQ_INT(ber_stream_init_fd(&s, fd, "test", err, sizeof(err)),
	    BER_OK);
	CHECK_EQ_INT(ber_stream_expect(&s, NULL, BER_UNIV, BER_SEQUENCE, 1,
	    &seq, "SEQUENCE"), BER_OK);
	CHECK(seq.indef);
	CHECK_EQ_INT(ber_stream_hdr(&s, &seq, &a), BER_OK);
	CHECK_EQ_INT(ber_stream_elem(&s, &a, &out, 100), BER_OK);
	CHECK_EQ_MEM(out.p, out.len, hx + 2, 7);
	buf_reset(&out);
	CHECK_EQ_INT(ber_stream_hdr(&s, &seq, &b), BER_OK);
	CHECK_EQ_INT(ber_stream_octets(&s, &b, collect, &out), BER_OK);
	CHECK_EQ_MEM(out.p, out.len, "abc", 3);
	CHECK_EQ_INT(ber_stream_more(&s, &seq, &more), BER_OK);
	CHECK(!more);
	CHECK_EQ_INT(ber_stream_close(&s, &seq), BER_OK);
	CHECK_EQ_INT(ber_stream_eof(&s), BER_OK);
	CHECK_EQ_INT(s.off, n);
	ber_stream_free(&s);
	buf_free(&out);
	close(fd);
}

/* A child longer than its parent; an element above the caller's limit. */
static void
t_bounds(void)
{
	struct ber_stream s;
	struct ber_stlv	 seq, a;
	struct buf	 out;
	char		 err[256];
	size_t		 n;

	n = H("30 03 04 05 61 62 63");
	ber_stream_init_mem(&s, hx, n, "test", err, sizeof(err));
	CHECK_EQ_INT(ber_stream_hdr(&s, NULL, &seq), BER_OK);
	CHECK_EQ_INT(ber_stream_hdr(&s, &seq, &a), BER_ELEN);
	CHECK(strstr(err, "test: offset 2:") != NULL);
	n = H("30 80 04 03 61 62 63 00 00");
	buf_init(&out);
	ber_stream_init_mem(&s, hx, n, "test", err, sizeof(err));
	CHECK_EQ_INT(ber_stream_hdr(&s, NULL, &seq), BER_OK);
	CHECK_EQ_INT(ber_stream_elem(&s, &seq, &out, 4), BER_ETOOLONG);
	buf_free(&out);
}

int
main(void)
{
	TEST(t_high_tag_form);
	TEST(t_lengths);
	TEST(t_fd);
	TEST(t_bounds);
	return test_done();
}
