/*
 * scratch.c - a reusable text buffer behind a FILE *, so the printers that
 * write to a stream (print_call, strace_print_result, value_print) can build
 * a step's text without a fresh open_memstream per step (each one allocates
 * and zeroes an 8 KiB buffer: a third of the interpreter's instructions).
 *
 * The stream is the interpreter's alone, so it takes no stdio lock.  Its
 * text is valid until the next scratch_begin() of the same buffer.
 */
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>

#include "script/interp_int.h"

int scratch_open(struct scratch *sc)
{
	sc->buf = NULL;
	sc->len = 0;
	sc->w = open_memstream(&sc->buf, &sc->len);
	if (sc->w == NULL)
		return -1;
	__fsetlocking(sc->w, FSETLOCKING_BYCALLER);
	return 0;
}

void scratch_close(struct scratch *sc)
{
	if (sc->w != NULL)
		fclose(sc->w);
	free(sc->buf);
	sc->w = NULL;
	sc->buf = NULL;
}

FILE *scratch_begin(struct scratch *sc)
{
	fseeko(sc->w, 0, SEEK_SET);
	return sc->w;
}

const char *scratch_end(struct scratch *sc, size_t *len)
{
	/* A memstream is NUL-terminated only at its end: after a rewind the
	 * older, longer text is still there, so the NUL is written here. */
	if (fputc('\0', sc->w) == EOF || fflush(sc->w) != 0 || sc->len == 0)
		return NULL;
	if (len != NULL)
		*len = sc->len - 1;
	return sc->buf;
}
