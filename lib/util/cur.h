/*
 * NAME
 *	cur - bounded byte cursor
 * SYNOPSIS
 *	#include "util/cur.h"
 * DESCRIPTION
 *	A cursor is a view of a byte range that is consumed from the front
 *	(the idea of BoringSSL's CBS). cur_skip() is the only function that
 *	advances a cursor; every getter checks that the bytes are there
 *	first and advances only on success, so a failed call has no side
 *	effect. cur_child() splits off the next n bytes as a cursor of its
 *	own: an inner parser cannot read past its element, and the caller
 *	checks that the child was consumed completely with cur_len() == 0.
 *	Each cursor knows the absolute offset of its first byte in the
 *	original input (for error messages) and its nesting depth.
 * DIAGNOSTICS
 *	Getters return 1 on success, 0 when the cursor is too short.
 */
#ifndef OX_CUR_H
#define OX_CUR_H

#include <stddef.h>
#include <stdint.h>

struct cur {
	const uint8_t	*p;	/* next unread byte */
	size_t		 len;	/* bytes left */
	size_t		 off;	/* absolute offset of p in the original input */
	unsigned	 depth;	/* nesting level: 0 for a root cursor */
};

void	 cur_init(struct cur *, const void *, size_t);
int	 cur_get_u32be(struct cur *, uint32_t *);
int	 cur_copy(struct cur *, void *, size_t);
int	 cur_child(struct cur *, struct cur *, size_t);

/* The small ones inline: the record and BER loops call them per octet run. */
static inline size_t
cur_len(const struct cur *c)
{
	return c->len;
}

static inline size_t
cur_offset(const struct cur *c)
{
	return c->off;
}

static inline const uint8_t *
cur_data(const struct cur *c)
{
	return c->p;
}

/* The only function that moves a cursor forward. */
static inline int
cur_skip(struct cur *c, size_t n)
{
	if (n > c->len)
		return 0;
	c->p += n;
	c->len -= n;
	c->off += n;
	return 1;
}

static inline int
cur_peek_u8(const struct cur *c, uint8_t *v)
{
	if (c->len < 1)
		return 0;
	*v = c->p[0];
	return 1;
}

static inline int
cur_get_u8(struct cur *c, uint8_t *v)
{
	if (!cur_peek_u8(c, v))
		return 0;
	return cur_skip(c, 1);
}

static inline int
cur_get_u16be(struct cur *c, uint16_t *v)
{
	if (c->len < 2)
		return 0;
	*v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	return cur_skip(c, 2);
}

static inline int
cur_get_bytes(struct cur *c, const uint8_t **p, size_t n)
{
	if (n > c->len)
		return 0;
	*p = c->p;
	return cur_skip(c, n);
}

#endif
