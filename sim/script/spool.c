/*
 * spool.c - output held back: what a streamed run prints before its file
 * has been checked to the end (stream.c).  A malformed line anywhere means
 * the run printed nothing, so its text waits here until the last line has
 * checked, then goes out in one copy, or is dropped.
 *
 * The first SPOOL_MEM_BYTES stay in memory (a lecture scenario's whole
 * output); the rest goes to an unlinked temporary file in $TMPDIR (else
 * /tmp), made on the first byte that does not fit, so memory stays flat
 * however long the run and the file is gone when the spool is closed,
 * whatever happens.  The stream is the run's alone: no stdio lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "script/interp_int.h"

/* Opens the unlinked temporary file: 0, or -1 with errno. */
static int spool_make_file(struct spool *sp)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/ipcsim-output-XXXXXX", dir != NULL && *dir ? dir : "/tmp");
	sp->fd = mkstemp(path);
	if (sp->fd < 0)
		return -1;
	unlink(path);
	return 0;
}

static int write_all(int fd, const char *data, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, data, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t spool_write(void *cookie, const char *data, size_t n)
{
	struct spool *sp = cookie;

	/* A bound of its own: what waits here has passed no output limit yet,
	 * and a runaway scenario must not fill $TMPDIR. */
	if (sp->max > 0 && sp->held + (long long)n > sp->max) {
		sp->error = EFBIG;
		return -1;
	}
	sp->held += (long long)n;
	/* Memory refused (--max-memory) sends the rest to the file as well. */
	if (sp->fd < 0 && sp->mem.len + n <= sp->mem_max && bytebuf_put(&sp->mem, data, n) == 0)
		return (ssize_t)n;
	if ((sp->fd < 0 && spool_make_file(sp) < 0) || write_all(sp->fd, data, n) < 0) {
		sp->error = errno;
		return -1;
	}
	return (ssize_t)n;
}

int spool_open(struct spool *sp, size_t mem_max, long long max)
{
	static const cookie_io_functions_t io = { .write = spool_write };

	memset(sp, 0, sizeof(*sp));
	sp->fd = -1;
	sp->mem_max = mem_max;
	sp->max = max;
	sp->w = fopencookie(sp, "w", io);
	if (sp->w == NULL)
		return -1;
	__fsetlocking(sp->w, FSETLOCKING_BYCALLER);
	return 0;
}

int spool_copy(struct spool *sp, FILE *to)
{
	char buf[65536];
	ssize_t got;

	if (fflush(sp->w) != 0 || ferror(sp->w)) {
		errno = sp->error != 0 ? sp->error : ENOMEM;
		return -1;
	}
	/* A write to `to` that fails is its owner's to report (stdout's
	 * error, a closed pipe): the copy just stops. */
	if (sp->mem.len > 0 && fwrite(sp->mem.b, 1, sp->mem.len, to) != sp->mem.len)
		return 0;
	if (sp->fd < 0)
		return 0;
	if (lseek(sp->fd, 0, SEEK_SET) < 0)
		return -1;
	while ((got = read(sp->fd, buf, sizeof(buf))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (fwrite(buf, 1, (size_t)got, to) != (size_t)got)
			return 0;
	}
	return 0;
}

void spool_close(struct spool *sp)
{
	if (sp->w != NULL)
		fclose(sp->w);
	if (sp->fd >= 0)
		close(sp->fd);
	bytebuf_free(&sp->mem);
	sp->w = NULL;
	sp->fd = -1;
}
