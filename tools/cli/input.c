/*
 * input.c - the scenario a command reads: a file, or `-` for standard input
 * (`ipcsim run -`, `printf '...' | ipcsim record -`), named <stdin> in
 * diagnostics.  Reading a file keeps the library's script_load(), with its
 * messages; standard input is read here, whole, then parsed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
