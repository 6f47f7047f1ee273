/*
 * NAME
 *	arena - memory released all at once (see arena.h)
 */
#include <stdint.h>
#include <stdlib.h>

#include "util/arena.h"

struct arena_chunk {
	struct arena_chunk *next;
	max_align_t	 data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *k;

	if (n > SIZE_MAX / 2)
		return NULL;
	if ((k = calloc(1, sizeof(*k) + n + 1)) == NULL)
		return NULL;
	k->next = a->head;
	a->head = k;
	return k->data;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *k, *next;

	for (k = a->head; k != NULL; k = next) {
		next = k->next;
		free(k);
	}
	a->head = NULL;
}
