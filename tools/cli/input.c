/*
 * input.c - the scenario a command reads: a file, or `-` for standard input
 * (`ipcsim run -`, `printf '...' | ipcsim record -`), named <stdin> in
 * diagnostics.  Reading a file keeps the library's script_load(), with its
 * messages; standard input is read here, whole, then parsed.  A streamed
 * run reads its file twice: standard input or a pipe is first copied to an
 * unlinked temporary file ($TMPDIR, else /tmp), at most --max-memory bytes,
 * the bound reading it into memory had.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define STDIN_NAME "<stdin>"

int cli_is_stdin(const char *path)
{
	return strcmp(path, "-") == 0;
}

const char *cli_input_name(const char *path)
{
	return cli_is_stdin(path) ? STDIN_NAME : path;
}

/* All of f, malloc'd (NUL-terminated, not counted in *len); NULL with errno. */
static char *read_stream(FILE *f, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0;

	for (;;) {
		size_t got;

		if (n + 4096 + 1 > cap) {
			char *grown = realloc(buf, cap = cap * 2 + 4096 + 1);

			if (grown == NULL) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno != 0 ? errno : EIO;

		free(buf);
		errno = e;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *cli_read_input(const char *path, size_t *len)
{
	FILE *f;
	char *text;
	int e;

	if (cli_is_stdin(path))
		return read_stream(stdin, len);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	errno = 0;
	text = read_stream(f, len);
	e = errno;
	fclose(f);
	errno = e;
	return text;
}

/* Copies in to an unlinked temporary file, at most max bytes (0: no
 * limit): the file rewound, or NULL after a message. */
static FILE *spool(FILE *in, const char *name, long long max, FILE *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	char buf[65536];
	long long total = 0;
	size_t got;
	FILE *f = NULL;
	int fd;

	snprintf(path, sizeof(path), "%s/ipcsim-input-XXXXXX", dir != NULL && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || (f = fdopen(fd, "w+b")) == NULL) {
		fprintf(err, "%s: error: cannot make a temporary copy in %s: %s\n", name,
		        dir != NULL && *dir ? dir : "/tmp", strerror(errno));
		if (fd >= 0) {
			unlink(path);
			close(fd);
		}
		return NULL;
	}
	unlink(path); /* gone when closed, whatever happens */
	while ((got = fread(buf, 1, sizeof(buf), in)) > 0) {
		total += (long long)got;
		if (max > 0 && total > max) {
			fprintf(err, "%s: error: the scenario is larger than the memory limit of %lld "
			        "bytes (--max-memory)\n", name, max);
			goto out_close;
		}
		if (fwrite(buf, 1, got, f) != got) {
			fprintf(err, "%s: error: cannot make a temporary copy: %s\n", name,
			        strerror(errno));
			goto out_close;
		}
	}
	if (ferror(in)) {
		fprintf(err, "%s: error: cannot read: %s\n", name, strerror(errno));
		goto out_close;
	}
	if (fflush(f) != 0 || fseeko(f, 0, SEEK_SET) != 0) {
		fprintf(err, "%s: error: cannot make a temporary copy: %s\n", name, strerror(errno));
		goto out_close;
	}
	return f;

out_close:
	fclose(f);
	return NULL;
}

FILE *cli_open_input(const char *path, long long max_spool, FILE *err)
{
	struct stat st;
	FILE *f;

	if (cli_is_stdin(path))
		return spool(stdin, STDIN_NAME, max_spool, err);
	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(err, "%s: error: cannot open: %s\n", path, strerror(errno));
		return NULL;
	}
	/* A regular file is read twice in place; a pipe or a device is copied
	 * first (a directory is left to the reader: "cannot read"). */
	if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		FILE *copy = spool(f, path, max_spool, err);

		fclose(f);
		return copy;
	}
	/* Unbuffered: the reader reads its own large blocks, and the stream's
	 * buffer would be one more fresh page. */
	setvbuf(f, NULL, _IONBF, 0);
	return f;
}

struct script *cli_load_script(const char *path, FILE *err)
{
	struct script *s;
	size_t len = 0;
	char *text;

	if (!cli_is_stdin(path))
		return script_load(path, err);
	text = read_stream(stdin, &len);
	if (text == NULL) {
		fprintf(err, "%s: error: cannot read: %s\n", STDIN_NAME, strerror(errno));
		return NULL;
	}
	s = script_parse(STDIN_NAME, text, len, err);
	free(text);
	return s;
}
