/*
 * host_shell_map.c - the real tools print real pids and real keys; a
 * scenario expects its own (pids 1000, 1001, ...; ftok keys of the files it
 * declared).  This rewrites the pid fields of their output:
 *
 *   ipcs -q -i ID      "lspid=13749"                  -> "lspid=1000"
 *   ipcs -m -i ID      "lpid=..."  "cpid=..."
 *   ipcs -s -i ID      the column under "pid"          (left-aligned)
 *   ipcs -q -p         columns under "lspid"/"lrpid"   (right-aligned)
 *   ipcs -m -p         columns under "cpid"/"lpid"     (left-aligned)
 *   /proc/sysvipc/...  columns under "lspid"/"lrpid"/"cpid"/"lpid"
 *                      (right-aligned, %5u; the header starts with "key")
 *
 * and the keys: every 0x%08x token, the "key" column of /proc/sysvipc
 * tables (%10d), and the /SYSV%08x names of /proc/PID/maps.  Only those
 * fields are touched: a blind search and replace would also hit a qbytes
 * or a key that happens to equal a real pid.  A rewritten column keeps its
 * width (the blanks before it and its digits, or the digits and the blanks
 * after them when the tool pads after the number), so the columns after it
 * stay aligned.  A table ends at a blank line (ipcs separates its tables
 * with one) or at a line of /proc/PID/maps (cat prints files one after the
 * other).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"
#include "ipcsim/shell.h" /* shell_maps_line_parse */

#define MAP_MAX_TOKENS 32
#define MAP_MAX_COLS 4

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

/* A line of /proc/PID/maps: `cat` of a /proc/sysvipc table and a maps
 * file prints them with no blank line between, and the table's columns do
 * not go on into the maps. */
static int maps_line(const char *line, size_t len)
{
	struct shell_maps_line m;
	char *copy = strndup(line, len);
	int is = copy != NULL && shell_maps_line_parse(copy, &m);

	free(copy);
	return is;
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
                         const int *cols, int ncols, const int *rights,
                         const host_pid_map_fn map, void *ctx)
{
	size_t pos = 0;

	for (int k = 0; k < ncols; k++) {
		int c = cols[k];
		const struct span *s = c < n ? &t[c] : NULL;
		int right = rights[k];
		size_t from, to;
		char num[32];
		long spid;
		int width;

		if (s == NULL || !all_digits(line + s->start, s->end - s->start))
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

/* The length of a "lspid=" / "lrpid=" / "cpid=" / "lpid=" at s, or 0. */
static size_t pair_at(const char *s, size_t left)
{
	static const char *const names[] = { "lspid=", "lrpid=", "cpid=", "lpid=" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]);

		if (left >= n && memcmp(s, names[i], n) == 0)
			return n;
	}
	return 0;
}

/* "lspid=N", "cpid=N", ... anywhere in the line (ipcs -i). */
static void emit_pairs(FILE *w, const char *line, size_t len, const host_pid_map_fn map,
                       void *ctx)
{
	size_t i = 0;

	while (i < len) {
		size_t k = (i == 0 || !isalnum((unsigned char)line[i - 1])) ? pair_at(line + i, len - i)
		                                                           : 0;

		if (k > 0) {
			size_t j = i + k;

			while (j < len && isdigit((unsigned char)line[j]))
				j++;
			fwrite(line + i, 1, k, w);
			if (j > i + k)
				fprintf(w, "%ld", map(ctx, strtol(line + i + k, NULL, 10)));
			i = j;
			continue;
		}
		fputc(line[i++], w);
	}
}

static int is_pid_header(const char *line, const struct span *t)
{
	return token_is(line, t, "lspid") || token_is(line, t, "lrpid") ||
	       token_is(line, t, "cpid") || token_is(line, t, "lpid") || token_is(line, t, "pid");
}

char *host_shell_map_pids(const char *out, size_t len, const host_pid_map_fn map, void *ctx,
                          size_t *newlen)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *w = open_memstream(&buf, &blen);
	int cols[MAP_MAX_COLS], rights[MAP_MAX_COLS], ncols = 0;
	size_t i = 0;

	if (w == NULL)
		return NULL;
	while (i < len) {
		const char *line = out + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl != NULL ? (size_t)(nl - line) : len - i;
		struct span t[MAP_MAX_TOKENS];
		int n = split_spans(line, ll, t, MAP_MAX_TOKENS), header = 0;
		char *pairs = NULL;
		size_t plen = 0;
		FILE *pw;

		if (n == 0 || maps_line(line, ll))
			ncols = 0; /* a blank line ends a table, or another file of cat's */
		for (int k = 0; k < n; k++)
			header |= is_pid_header(line, &t[k]);
		if (header) {
			/* /proc/sysvipc (first column "key") and ipcs -q -p pad before the
			 * number; ipcs -m -p and ipcs -s -i after it. */
			int proc_table = token_is(line, &t[0], "key");

			ncols = 0;
			for (int k = 0; k < n && ncols < MAP_MAX_COLS; k++) {
				if (!is_pid_header(line, &t[k]))
					continue;
				cols[ncols] = k;
				rights[ncols++] = proc_table || token_is(line, &t[k], "lspid") ||
				                  token_is(line, &t[k], "lrpid");
			}
		}
		pw = open_memstream(&pairs, &plen);
		if (pw == NULL)
			break;
		emit_pairs(pw, line, ll, map, ctx);
		fclose(pw);
		if (ncols > 0 && !header) {
			struct span pt[MAP_MAX_TOKENS];
			int pn = split_spans(pairs, plen, pt, MAP_MAX_TOKENS);

			emit_columns(w, pairs, plen, pt, pn, cols, ncols, rights, map, ctx);
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

/* A token at t of "prefix" and 8 hex digits: 1 with their value. */
static int hex_key_token(const char *line, const struct span *t, const char *prefix,
                         unsigned long *v)
{
	size_t n = strlen(prefix);

	if (t->end - t->start != n + 8 || memcmp(line + t->start, prefix, n) != 0)
		return 0;
	for (size_t i = t->start + n; i < t->end; i++)
		if (!isxdigit((unsigned char)line[i]))
			return 0;
	*v = strtoul(line + t->start + n, NULL, 16);
	return 1;
}

char *host_shell_map_keys(const char *out, size_t len, const host_pid_map_fn map, void *ctx,
                          size_t *newlen)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *w = open_memstream(&buf, &blen);
	int in_proc_table = 0;
	size_t i = 0;

	if (w == NULL)
		return NULL;
	while (i < len) {
		const char *line = out + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl != NULL ? (size_t)(nl - line) : len - i, pos = 0;
		struct span t[MAP_MAX_TOKENS];
		int n = split_spans(line, ll, t, MAP_MAX_TOKENS);

		if (n == 0 || maps_line(line, ll))
			in_proc_table = 0; /* as for the pids */
		for (int k = 0; k < n; k++) {
			unsigned long v;
			char num[32];

			if (hex_key_token(line, &t[k], "0x", &v)) {
				snprintf(num, sizeof(num), "0x%08lx",
				         (unsigned long)(uint32_t)map(ctx, (long)v));
			} else if (hex_key_token(line, &t[k], "/SYSV", &v)) {
				/* a segment's name in /proc/PID/maps: the key it was made with */
				snprintf(num, sizeof(num), "/SYSV%08lx",
				         (unsigned long)(uint32_t)map(ctx, (long)v));
			} else if (in_proc_table && k == 0) {
				/* /proc/sysvipc's %10d key: the width is the blanks and digits */
				long key = strtol(line + t[0].start, NULL, 10);

				snprintf(num, sizeof(num), "%*d", (int)t[0].end,
				         (int)(uint32_t)map(ctx, (long)(uint32_t)key));
				fwrite(num, 1, strlen(num), w);
				pos = t[0].end;
				continue;
			} else {
				continue;
			}
			fwrite(line + pos, 1, t[k].start - pos, w);
			fputs(num, w);
			pos = t[k].end;
		}
		fwrite(line + pos, 1, ll - pos, w);
		if (n > 0 && token_is(line, &t[0], "key"))
			in_proc_table = 1;
		if (nl != NULL)
			fputc('\n', w);
		i += ll + (nl != NULL);
	}
	fclose(w);
	*newlen = blen;
	return buf;
}
