/*
 * bytebuf.c - the growing byte buffer's slow path (bytebuf.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include "types/bytebuf.h"

void *bytebuf_grow(struct bytebuf *bb, size_t n)
{
	size_t cap = bb->cap ? bb->cap : 256;
	char *grown;

	if (n >= SIZE_MAX / 2 - bb->len) {
		bb->failed = 1;
		return NULL;
	}
	while (cap <= bb->len + n)
		cap *= 2;
	if (cap != bb->cap) {
		grown = realloc(bb->b, cap);
		if (grown == NULL) {
			bb->failed = 1;
			return NULL;
		}
		bb->b = grown;
		bb->cap = cap;
	}
	return bb->b + bb->len;
}

void bytebuf_free(struct bytebuf *bb)
{
	free(bb->b);
	bb->b = NULL;
	bb->len = bb->cap = 0;
}

void bytebuf_write_free(struct bytebuf *bb, FILE *out)
{
	if (!bb->failed && bb->len > 0)
		fwrite(bb->b, 1, bb->len, out);
	bytebuf_free(bb);
}
