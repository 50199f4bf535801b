/*
 * scratch.c - a reusable text buffer behind a FILE *, so the printers that
 * write to a stream (value_print, the check's diagnostics) can build a text
 * without a fresh open_memstream each time (each one allocates and zeroes an
 * 8 KiB buffer).  A step's own line needs none of this: print_call and the
 * strace printer append to the interpreter's byte buffers directly.
 *
 * The FILE is a cookie stream whose writes land in buf: its own buffer is
 * 512 bytes inside struct scratch (stdio would malloc 8 KiB, a fresh page
 * each at start-up), and the text grows as it is filled, so an
 * interpreter's scratch buffers touch the pages they fill and no more, and
 * starting over is an fflush, not a seek.  The stream is the
 * interpreter's alone, so it takes no stdio lock.  Its text is valid until
 * the next scratch_begin() of the same buffer.
 */
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "script/interp_int.h"

static ssize_t scratch_write(void *cookie, const char *data, size_t n)
{
	struct scratch *sc = cookie;

	return bytebuf_put(&sc->text, data, n) < 0 ? -1 : (ssize_t)n;
}

int scratch_open(struct scratch *sc)
{
	static const cookie_io_functions_t io = { .write = scratch_write };

	memset(&sc->text, 0, sizeof(sc->text));
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
	bytebuf_free(&sc->text);
	sc->w = NULL;
}

FILE *scratch_begin(struct scratch *sc)
{
	fflush(sc->w); /* what an unfinished use left in the stream's buffer */
	sc->text.len = 0;
	return sc->w;
}

const char *scratch_end(struct scratch *sc, size_t *len)
{
	char *text;

	/* bytebuf_room leaves a byte after the room asked for: the NUL's */
	if (fflush(sc->w) != 0 || ferror(sc->w) || (text = bytebuf_room(&sc->text, 0)) == NULL)
		return NULL;
	*text = '\0';
	if (len != NULL)
		*len = sc->text.len;
	return sc->text.b;
}
