/*
 * bytebuf.h - a growing byte buffer: the one used by the undo log, its
 * checker's state dump, the trace's line writer and the interpreter's
 * scratch streams.  It doubles from 256 bytes, never shrinks, and is freed
 * with bytebuf_free; bytes up to `len` are the caller's.  Running out of
 * memory leaves it as it was and says so, in the return value and in
 * `failed` (the callers decide: the undo log aborts, the trace drops its
 * line, the others report).
 */
#ifndef IPCSIM_TYPES_BYTEBUF_H
#define IPCSIM_TYPES_BYTEBUF_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct bytebuf {
	char *b;
	size_t len, cap;
	int failed; /* a growth failed (out of memory) since the owner cleared it */
};

/* Room for n more bytes (cap > len + n, so a NUL always fits after them):
 * where they go, or NULL out of memory. */
void *bytebuf_grow(struct bytebuf *bb, size_t n);

static inline void *bytebuf_room(struct bytebuf *bb, size_t n)
{
	return n < bb->cap - bb->len ? bb->b + bb->len : bytebuf_grow(bb, n);
}

/* Appends n bytes: 0, or -1 out of memory (nothing appended). */
static inline int bytebuf_put(struct bytebuf *bb, const void *p, size_t n)
{
	void *to = bytebuf_room(bb, n);

	if (to == NULL)
		return -1;
	if (n)
		memcpy(to, p, n);
	bb->len += n;
	return 0;
}

/* A C string; one byte.  Out of memory they append nothing (bb->failed). */
static inline void bytebuf_puts(struct bytebuf *bb, const char *s)
{
	bytebuf_put(bb, s, strlen(s));
}

static inline void bytebuf_putc(struct bytebuf *bb, char c)
{
	char *to = bytebuf_room(bb, 1);

	if (to != NULL) {
		*to = c;
		bb->len++;
	}
}

void bytebuf_free(struct bytebuf *bb);
/* Writes the text to out and frees it; out of memory, writes nothing: a
 * text cut short would read as another value. */
void bytebuf_write_free(struct bytebuf *bb, FILE *out);

#endif
