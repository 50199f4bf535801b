/*
 * scratch.c - a reusable text buffer behind a FILE *, so the printers that
 * write to a stream (print_call, strace_print_result, value_print) can build
 * a step's text without a fresh open_memstream per step (each one allocates
 * and zeroes an 8 KiB buffer: a third of the interpreter's instructions).
 *
 * The FILE is a cookie stream whose writes land in buf: its own buffer is
 * malloc'd on first use and never zeroed, so an interpreter's three scratch
 * buffers touch the pages they fill and no more (start-up pays for page
 * faults), and starting over is an fflush, not a seek.  The stream is the
 * interpreter's alone, so it takes no stdio lock.  Its text is valid until
 * the next scratch_begin() of the same buffer.
 */
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "script/interp_int.h"

/* Room for n more bytes and a NUL: 0, or -1 out of memory. */
static int scratch_room(struct scratch *sc, size_t n)
{
	size_t cap = sc->cap ? sc->cap : 256;
	char *grown;

	if (sc->len + n < sc->cap)
		return 0;
	while (cap <= sc->len + n)
		cap *= 2;
	grown = realloc(sc->buf, cap);
	if (grown == NULL)
		return -1;
	sc->buf = grown;
	sc->cap = cap;
	return 0;
}

static ssize_t scratch_write(void *cookie, const char *data, size_t n)
{
	struct scratch *sc = cookie;

	if (scratch_room(sc, n) < 0)
		return -1;
	memcpy(sc->buf + sc->len, data, n);
	sc->len += n;
	return (ssize_t)n;
}

int scratch_open(struct scratch *sc)
{
	static const cookie_io_functions_t io = { .write = scratch_write };

	sc->buf = NULL;
	sc->len = sc->cap = 0;
	sc->w = fopencookie(sc, "w", io);
	if (sc->w == NULL)
		return -1;
	__fsetlocking(sc->w, FSETLOCKING_BYCALLER);
	setvbuf(sc->w, sc->io, _IOFBF, sizeof(sc->io));
	return 0;
}

void scratch_close(struct scratch *sc)
{
	if (sc->w != NULL)
		fclose(sc->w);
	free(sc->buf);
	sc->w = NULL;
	sc->buf = NULL;
	sc->len = sc->cap = 0;
}

FILE *scratch_begin(struct scratch *sc)
{
	fflush(sc->w); /* what an unfinished use left in the stream's buffer */
	sc->len = 0;
	return sc->w;
}

const char *scratch_end(struct scratch *sc, size_t *len)
{
	if (fflush(sc->w) != 0 || ferror(sc->w) || scratch_room(sc, 0) < 0)
		return NULL;
	sc->buf[sc->len] = '\0';
	if (len != NULL)
		*len = sc->len;
	return sc->buf;
}
