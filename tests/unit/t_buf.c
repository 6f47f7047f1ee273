#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "util/buf.h"

static void
t_growable(void)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	CHECK_EQ_STR(buf_cstr(&b), "");
	for (i = 0; i < 10000; i++)
		CHECK(buf_add_u8(&b, (uint8_t)i));
	CHECK_EQ_INT(b.len, 10000);
	CHECK(b.p[9999] == (uint8_t)9999);
	buf_reset(&b);
	CHECK(buf_addf(&b, "%s-%d", "abc", 42));
	CHECK(buf_add_str(&b, "!"));
	CHECK_EQ_STR(buf_cstr(&b), "abc-42!");
	CHECK(buf_insert(&b, 0, "<", 1));
	CHECK(buf_insert(&b, b.len, ">", 1));
	CHECK_EQ_STR(buf_cstr(&b), "<abc-42!>");
	CHECK(!buf_insert(&b, 100, "x", 1));	/* past the end */
	CHECK(buf_error(&b));
	CHECK(!buf_add_u8(&b, 'x'));		/* errors are sticky */
	buf_free(&b);
}

static void
t_fixed(void)
{
	uint8_t		 mem[8];
	struct buf	 b;

	buf_init_fixed(&b, mem, sizeof(mem));
	CHECK(buf_add(&b, "1234567", 7));	/* 7 + NUL fits */
	CHECK(!buf_error(&b));
	CHECK(!buf_add_u8(&b, '8'));
	CHECK(buf_error(&b));
	CHECK_EQ_INT(b.len, 7);
	CHECK(b.p == mem);
	buf_free(&b);				/* does not free caller memory */
}

static void
t_max(void)
{
	struct buf	 b;

	buf_init(&b);
	buf_set_max(&b, 4);
	CHECK(buf_add(&b, "abcd", 4));
	CHECK(!buf_add(&b, "e", 1));
	CHECK(buf_error(&b));
	buf_free(&b);
	buf_init(&b);
	CHECK(!buf_reserve(&b, SIZE_MAX));	/* overflow is an error */
	buf_free(&b);
}

/* buf_read_fd(): all of a pipe; EFBIG above max, nothing lost of it */
static void
t_read_fd(void)
{
	struct buf b;
	int	 p[2];

	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "hello world", 11) == 11);
	close(p[1]);
	buf_init(&b);
	CHECK_EQ_INT(buf_read_fd(&b, p[0], 11), 0);
	CHECK_EQ_MEM(b.p, b.len, "hello world", 11);
	close(p[0]);
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "twelve bytes", 12) == 12);
	close(p[1]);
	buf_reset(&b);
	errno = 0;
	CHECK_EQ_INT(buf_read_fd(&b, p[0], 11), -1);
	CHECK_EQ_INT(errno, EFBIG);
	CHECK_EQ_INT(b.len, 0);
	close(p[0]);
	CHECK_EQ_INT(buf_read_fd(&b, -1, 11), -1);
	CHECK_EQ_INT(errno, EBADF);
	buf_free(&b);
}

int
main(void)
{
	TEST(t_growable);
	TEST(t_fixed);
	TEST(t_max);
	TEST(t_read_fd);
	return test_done();
}
