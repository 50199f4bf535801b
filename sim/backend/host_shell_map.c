/*
 * host_shell_map.c - the real tools print real pids; a scenario expects its
 * own (1000, 1001, ...).  This rewrites the pid fields of their output:
 *
 *   ipcs -i ID        "lspid=13749"                 -> "lspid=1000"
 *   ipcs -p           columns under "lspid"/"lrpid"  (right-aligned)
 *   /proc/sysvipc/msg columns under "lspid"/"lrpid"  (right-aligned, %5u)
 *
 * Only those fields are touched: a blind search and replace would also hit
 * a qbytes or a key that happens to equal a real pid.  A rewritten column
 * keeps its width (the blanks before it and its digits), so the columns
 * after it stay aligned; a left-aligned layout (right_aligned 0) is kept
 * for tools that pad after the number.  A table ends at
 * a blank line (ipcs separates its tables with one).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_int.h"

#define MAP_MAX_TOKENS 32

struct span {
	size_t start, end; /* token bytes [start, end) in the line */
};

static int split_spans(const char *line, size_t len, struct span *t, int max)
{
	int n = 0;
	size_t i = 0;

	while (i < len && n < max) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			break;
		t[n].start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		t[n++].end = i;
	}
	return n;
}

static int all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int token_is(const char *line, const struct span *t, const char *word)
{
	size_t n = strlen(word);

	return t->end - t->start == n && memcmp(line + t->start, word, n) == 0;
}

/* Appends line with the column tokens at cols[] replaced, width kept. */
static void emit_columns(FILE *w, const char *line, size_t len, const struct span *t, int n,
                         const int *cols, int ncols, int right, const host_pid_map_fn map,
                         void *ctx)
{
	size_t pos = 0;

	for (int k = 0; k < ncols; k++) {
		int c = cols[k];
		const struct span *s = &t[c];
		size_t from, to;
		char num[32];
		long spid;
		int width;

		if (c >= n || !all_digits(line + s->start, s->end - s->start))
			continue;
		spid = map(ctx, strtol(line + s->start, NULL, 10));
		if (right) { /* the field is the blanks before the digits */
			from = c > 0 ? t[c - 1].end + 1 : 0;
			to = s->end;
		} else {     /* the field is the digits and the blanks after them */
			from = s->start;
			to = c + 1 < n ? t[c + 1].start - 1 : s->end;
		}
		if (from < pos || to < from)
			continue;
		fwrite(line + pos, 1, from - pos, w);
		width = (int)(to - from);
		snprintf(num, sizeof(num), "%ld", spid);
		fprintf(w, right ? "%*s" : "%-*s", width, num);
		pos = to;
	}
	fwrite(line + pos, 1, len - pos, w);
}

/* "lspid=N" / "lrpid=N" anywhere in the line. */
static void emit_pairs(FILE *w, const char *line, size_t len, const host_pid_map_fn map,
                       void *ctx)
{
	size_t i = 0;

	while (i < len) {
		if (i + 6 <= len && (memcmp(line + i, "lspid=", 6) == 0 ||
		                     memcmp(line + i, "lrpid=", 6) == 0)) {
			size_t j = i + 6;

			while (j < len && isdigit((unsigned char)line[j]))
				j++;
			fwrite(line + i, 1, 6, w);
			if (j > i + 6)
				fprintf(w, "%ld", map(ctx, strtol(line + i + 6, NULL, 10)));
			i = j;
			continue;
		}
		fputc(line[i++], w);
	}
}

char *host_shell_map_pids(const char *out, size_t len, int right_aligned,
                          const host_pid_map_fn map, void *ctx, size_t *newlen)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *w = open_memstream(&buf, &blen);
	int cols[2] = { -1, -1 }, ncols = 0;
	size_t i = 0;

	if (w == NULL)
		return NULL;
	while (i < len) {
		const char *line = out + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl != NULL ? (size_t)(nl - line) : len - i;
		struct span t[MAP_MAX_TOKENS];
		int n = split_spans(line, ll, t, MAP_MAX_TOKENS);
		char *pairs = NULL;
		size_t plen = 0;
		FILE *pw;

		if (n == 0)
			ncols = 0; /* a blank line ends a table */
		for (int k = 0; k < n; k++) {
			if (token_is(line, &t[k], "lspid") || token_is(line, &t[k], "lrpid")) {
				if (ncols == 2 || (ncols == 1 && cols[0] == k))
					ncols = 0; /* a new header */
				if (ncols < 2)
					cols[ncols++] = k;
			}
		}
		pw = open_memstream(&pairs, &plen);
		if (pw == NULL)
			break;
		emit_pairs(pw, line, ll, map, ctx);
		fclose(pw);
		if (ncols > 0 && cols[0] < n && !token_is(line, &t[cols[0]], "lspid") &&
		    !token_is(line, &t[cols[0]], "lrpid")) {
			struct span pt[MAP_MAX_TOKENS];
			int pn = split_spans(pairs, plen, pt, MAP_MAX_TOKENS);

			emit_columns(w, pairs, plen, pt, pn, cols, ncols, right_aligned, map, ctx);
		} else {
			fwrite(pairs, 1, plen, w);
		}
		free(pairs);
		if (nl != NULL)
			fputc('\n', w);
		i += ll + (nl != NULL);
	}
	fclose(w);
	*newlen = blen;
	return buf;
}
