/*
 * NAME
 *	cur - bounded byte cursor (see cur.h)
 */
#include <string.h>

#include "util/cur.h"

void
cur_init(struct cur *c, const void *p, size_t len)
{
	c->p = p;
	c->len = p == NULL ? 0 : len;
	c->off = 0;
	c->depth = 0;
}

int
cur_get_u32be(struct cur *c, uint32_t *v)
{
	if (c->len < 4)
		return 0;
	*v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	    (uint32_t)c->p[2] << 8 | c->p[3];
	return cur_skip(c, 4);
}

int
cur_copy(struct cur *c, void *dst, size_t n)
{
	if (n > c->len)
		return 0;
	if (n > 0)
		memcpy(dst, c->p, n);
	return cur_skip(c, n);
}

int
cur_child(struct cur *c, struct cur *child, size_t n)
{
	if (n > c->len)
		return 0;
	child->p = c->p;
	child->len = n;
	child->off = c->off;
	child->depth = c->depth + 1;
	return cur_skip(c, n);
}
