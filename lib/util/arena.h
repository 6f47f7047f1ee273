/*
 * NAME
 *	arena - memory released all at once
 * SYNOPSIS
 *	#include "util/arena.h"
 *
 *	struct arena a = { NULL };
 *	p = arena_alloc(&a, n);
 *	arena_free(&a);
 * DESCRIPTION
 *	A decoded PDU keeps its lists and copied values in an arena: each
 *	arena_alloc() is a zeroed block, aligned for any type, that never
 *	moves; arena_free() releases every block and leaves the arena empty.
 *	A zeroed struct arena is an empty arena.
 * DIAGNOSTICS
 *	arena_alloc() returns NULL when out of memory or for a size above
 *	SIZE_MAX / 2.
 */
#ifndef OX_ARENA_H
#define OX_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
};

void	*arena_alloc(struct arena *, size_t);
void	 arena_free(struct arena *);

#endif
