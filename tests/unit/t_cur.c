#include <string.h>

#include "test.h"
#include "util/cur.h"

static void
t_getters(void)
{
	static const uint8_t d[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct cur	 c, ch;
	uint8_t		 b;
	uint16_t	 s;
	uint32_t	 l;
	const uint8_t	*p;

	cur_init(&c, d, sizeof(d));
	CHECK(cur_get_u8(&c, &b) && b == 1);
	CHECK(cur_get_u16be(&c, &s) && s == 0x0203);
	CHECK(cur_get_u32be(&c, &l) && l == 0x04050607);
	CHECK_EQ_INT(cur_len(&c), 0);
	CHECK_EQ_INT(cur_offset(&c), 7);
	CHECK(!cur_get_u8(&c, &b));
	cur_init(&c, d, sizeof(d));
	CHECK(cur_child(&c, &ch, 3));
	CHECK_EQ_INT(ch.depth, 1);
	CHECK(cur_get_bytes(&ch, &p, 3) && p == d);
	CHECK(!cur_get_u8(&ch, &b));		/* a child stops at its end */
	CHECK(cur_get_u8(&c, &b) && b == 4);
	CHECK_EQ_INT(cur_offset(&c), 4);
}

static void
t_no_side_effect_on_failure(void)
{
	static const uint8_t d[] = { 1, 2, 3 };
	struct cur	 c, ch;
	uint32_t	 l;
	uint8_t		 buf[4];
	const uint8_t	*p;

	cur_init(&c, d, sizeof(d));
	CHECK(!cur_get_u32be(&c, &l));
	CHECK(!cur_get_bytes(&c, &p, 4));
	CHECK(!cur_copy(&c, buf, 4));
	CHECK(!cur_child(&c, &ch, 4));
	CHECK(!cur_skip(&c, 4));
	CHECK_EQ_INT(cur_len(&c), 3);
	CHECK_EQ_INT(cur_offset(&c), 0);
	CHECK(cur_skip(&c, (size_t)-1) == 0);
	cur_init(&c, NULL, 10);
	CHECK_EQ_INT(cur_len(&c), 0);
}

int
main(void)
{
	TEST(t_getters);
	TEST(t_no_side_effect_on_failure);
	return test_done();
}
