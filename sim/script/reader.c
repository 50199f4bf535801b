/*
 * reader.c - a scenario's lines, one at a time, from a stream: what a
 * streamed run (stream.c) parses, with the same line ends as script_parse
 * (LF, CRLF and a lone CR each end a line).
 *
 * One buffer, refilled in 64 KiB reads and grown only for a line longer
 * than it, so memory is that of the longest line, whatever the file's
 * length.  A regular file smaller than that is read in one read into a
 * buffer of its size (a lecture's 2 KB touched two fresh pages of a
 * 128 KiB buffer, and its end a third).  A NUL byte (a binary file) is shown as '?' and the first one
 * noted, as script_parse does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "script/script_int.h"

#define READ_CHUNK (64 * 1024)

void reader_init(struct reader *rd, FILE *f)
{
	memset(rd, 0, sizeof(*rd));
	rd->f = f;
}

void reader_fini(struct reader *rd)
{
	free(rd->buf);
	rd->buf = NULL;
}

/* The first buffer's size: the file's and two bytes (the NUL, and room to
 * ask for one byte more than it holds, so the one read sees its end) when
 * f is a regular file smaller than the usual 2 * READ_CHUNK + 1. */
static size_t first_cap(FILE *f)
{
	struct stat st;
	int fd = fileno(f);

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
	    st.st_size < 2 * READ_CHUNK - 1)
		return (size_t)st.st_size + 2;
	return 2 * READ_CHUNK + 1;
}

/* Moves the unread bytes to the front and reads more after them: 0, or -1
 * (out of memory: ENOMEM; a read error: rd->read_error). */
static int refill(struct reader *rd)
{
	size_t got, want;

	if (rd->pos > 0) {
		memmove(rd->buf, rd->buf + rd->pos, rd->len - rd->pos);
		rd->len -= rd->pos;
		rd->pos = 0;
	}
	if (rd->buf == NULL || rd->cap - rd->len < READ_CHUNK + 1) {
		size_t cap = rd->buf == NULL ? first_cap(rd->f)
		             : rd->cap < READ_CHUNK ? 2 * READ_CHUNK + 1 : rd->cap * 2;
		char *grown = realloc(rd->buf, cap);

		if (grown == NULL) {
			errno = ENOMEM;
			return -1;
		}
		rd->buf = grown;
		rd->cap = cap;
	}
	want = rd->cap - rd->len - 1;
	got = fread(rd->buf + rd->len, 1, want, rd->f);
	rd->len += got;
	if (got == 0 && ferror(rd->f)) {
		rd->read_error = errno != 0 ? errno : EIO;
		errno = rd->read_error;
		return -1;
	}
	/* fread stops short only at the end or an error: at the end, no
	 * second read to see it */
	if (got == 0 || (got < want && feof(rd->f)))
		rd->eof = 1;
	return 0;
}

static int reader_take(struct reader *rd, char *start, size_t len, char **text, size_t *n);

int reader_next(struct reader *rd, char **text, size_t *n)
{
	for (;;) {
		if (rd->buf == NULL) {
			if (refill(rd) < 0)
				return -1;
			continue;
		}
		char *start = rd->buf + rd->pos, *end = rd->buf + rd->len;
		char *nl = rd->len > rd->pos ? memchr(start, '\n', (size_t)(end - start)) : NULL;
		char *cr = rd->len > rd->pos ? memchr(start, '\r', (size_t)((nl != NULL ? nl : end) - start)) : NULL;
		char *stop = cr != NULL ? cr : nl;

		/* A CR as the last byte read may be the first of a CRLF: read on. */
		if (stop != NULL && !(stop == cr && stop + 1 == end && !rd->eof)) {
			size_t len = (size_t)(stop - start);

			rd->pos += len + 1;
			if (stop == cr && stop + 1 < end && stop[1] == '\n')
				rd->pos++;
			*stop = '\0';
			return reader_take(rd, start, len, text, n);
		}
		if (rd->eof) {
			size_t len = (size_t)(end - start);

			if (len == 0)
				return 0;
			rd->pos = rd->len;
			*end = '\0'; /* refill keeps a byte for it */
			return reader_take(rd, start, len, text, n);
		}
		if (refill(rd) < 0)
			return -1;
	}
}

/* Counts the line, shows its NUL bytes as '?' (noting the first). */
static int reader_take(struct reader *rd, char *start, size_t len, char **text, size_t *n)
{
	rd->line++;
	for (char *z = memchr(start, '\0', len); z != NULL;
	     z = memchr(z, '\0', len - (size_t)(z - start))) {
		if (rd->nul_line == 0) {
			rd->nul_line = rd->line;
			rd->nul_col = (int)(z - start) + 1;
		}
		*z = '?';
	}
	*text = rd->last = start;
	*n = len;
	return 1;
}
