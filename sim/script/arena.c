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
	size_t size;
	max_align_t data[]; /* size bytes */
};

struct arena *arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

/* The current chunk c's bytes are a->next..a->end. */
static void arena_use(struct arena *a, struct arena_chunk *c)
{
	a->cur = c;
	a->next = (char *)c->data;
	a->end = a->next + c->size;
}

/* arena_take when the current chunk is full: the next chunk that has
 * room (kept from before a reset), or a fresh one after the current. */
void *arena_alloc_slow(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->cur;

	while (c != NULL && c->next != NULL) {
		arena_use(a, c = c->next);
		if (c->size >= n)
			goto out;
	}
	{
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		struct arena_chunk *fresh = malloc(sizeof(*fresh) + size);

		if (fresh == NULL)
			return NULL;
		fresh->size = size;
		fresh->next = NULL;
		if (c == NULL)
			a->head = fresh;
		else
			c->next = fresh;
		arena_use(a, fresh);
	}
out:
	a->next += n;
	a->bytes += n;
	return a->next - n; /* arena_alloc zeroes it, arena_take's caller writes it */
}

void arena_reset(struct arena *a)
{
	a->bytes = 0;
	if (a->head != NULL)
		arena_use(a, a->head);
}

void arena_trim(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (a->head == NULL)
		return;
	for (c = a->head->next; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head->next = NULL;
	arena_reset(a);
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
