/*
 * arena.c - bump allocation for what one line (or one group of lines) of a
 * streamed scenario parses into, released all at once by arena_reset().
 *
 * The chunks stay after a reset and are reused, so running a million lines
 * touches the memory of the largest group again and again instead of a
 * fresh 1.3 KB of heap per line (on a virtual machine a first touch of a
 * page costs microseconds).  Nothing is freed one by one: a parser in arena
 * mode marks its nodes (in_arena) and expr_free()/stmt_free() leave them.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "script/script_int.h"

#define ARENA_CHUNK (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	max_align_t data[]; /* size bytes */
};

struct arena *arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	struct arena_chunk *c = a->cur;
	void *p;

	n = (n + align - 1) / align * align;
	while (c != NULL && c->size - c->used < n && c->next != NULL) {
		c = c->next;
		c->used = 0;
	}
	if (c == NULL || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		struct arena_chunk *fresh = malloc(sizeof(*fresh) + size);

		if (fresh == NULL)
			return NULL;
		fresh->size = size;
		fresh->used = 0;
		fresh->next = NULL;
		if (c == NULL) {
			a->head = fresh;
		} else {
			fresh->next = c->next;
			c->next = fresh;
		}
		c = fresh;
	}
	a->cur = c;
	p = (char *)c->data + c->used;
	c->used += n;
	a->bytes += n;
	return memset(p, 0, n);
}

void arena_reset(struct arena *a)
{
	a->cur = a->head;
	a->bytes = 0;
	if (a->cur != NULL)
		a->cur->used = 0;
}

void arena_free(struct arena **ap)
{
	struct arena_chunk *c, *next;

	if (ap == NULL || *ap == NULL)
		return;
	for (c = (*ap)->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(*ap);
	*ap = NULL;
}
