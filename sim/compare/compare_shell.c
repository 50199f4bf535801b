/*
 * compare_shell.c - a `$` command's output on the simulator against the real
 * tool's in the host's namespace.
 *
 * The host backend already shows the scenario's pids and user names (it
 * maps pids in ipcs -p and /proc/sysvipc/msg, and mounts the scenario's
 * passwd and group), so what is left to map is what comes from clocks and
 * files:
 *   - dates (`ipcs -t`: "Jan  1 00:00:00"; `ipcs -i`: "Thu Jan  1 00:00:00
 *     2026") become one token meaning "set"; "Not set" stays itself;
 *   - in /proc/sysvipc tables, the columns whose header ends in "time" are
 *     epoch seconds: 0 stays, anything else means "set";
 *   - keys (ipcs' 0x%08x, /proc/sysvipc's decimal "key" column) go through
 *     the key bindings: a real ftok key differs from the scenario's;
 *   - /proc/PID/maps lines go by their own rule (compare_maps.c): addresses
 *     through the attachment bindings, each run of them as a set.
 * Lines are then compared token by token (a whitespace-separated word of
 * one side against the same word of the other).  Where no token needed
 * mapping, the lines must be equal byte for byte, so column alignment is
 * checked too.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_int.h"
#include "ipcsim/shell.h" /* shell_lines_equal */

#define SET_TOKEN "<time-set>"
#define MAX_TOKENS 64

static int is_month(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int i = 0; i < 12; i++)
		if (strncmp(s, months + 3 * i, 3) == 0)
			return 1;
	return 0;
}

static int is_weekday(const char *s)
{
	static const char days[] = "SunMonTueWedThuFriSat";

	for (int i = 0; i < 7; i++)
		if (strncmp(s, days + 3 * i, 3) == 0 && s[3] == ' ')
			return 1;
	return 0;
}

/* "Mmm dd hh:mm:ss" at s: its length (15), or 0. */
static size_t date_at(const char *s)
{
	if (strlen(s) < 15 || !is_month(s) || s[3] != ' ' ||
	    !(s[4] == ' ' || isdigit((unsigned char)s[4])) || !isdigit((unsigned char)s[5]) ||
	    s[6] != ' ')
		return 0;
	for (int i = 7; i < 15; i++)
		if ((i == 9 || i == 12) ? s[i] != ':' : !isdigit((unsigned char)s[i]))
			return 0;
	return 15;
}

/* A copy of line with every date replaced by SET_TOKEN; malloc'd. */
static char *dates_reduced(const char *line)
{
	size_t n = strlen(line), o = 0;
	char *out = malloc(n + 1); /* a date is longer than SET_TOKEN: never grows */

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t start = i, d;

		if (is_weekday(line + i) && date_at(line + i + 4) > 0)
			i += 4; /* ipcs -i's "Thu Jan  1 00:00:00 2026" */
		d = date_at(line + i);
		if (d == 0 || (start > 0 && isalnum((unsigned char)line[start - 1]))) {
			out[o++] = line[start];
			i = start + 1;
			continue;
		}
		i += d;
		if (line[i] == ' ' && isdigit((unsigned char)line[i + 1]) &&
		    isdigit((unsigned char)line[i + 4]) && !isdigit((unsigned char)line[i + 5]))
			i += 5; /* the year */
		memcpy(out + o, SET_TOKEN, sizeof(SET_TOKEN) - 1);
		o += sizeof(SET_TOKEN) - 1;
	}
	out[o] = '\0';
	return out;
}

/* Splits s in place on blanks; the number of tokens (at most max). */
static int tokens(char *s, char **tok, int max)
{
	int n = 0;

	for (char *p = strtok(s, " \t"); p != NULL && n < max; p = strtok(NULL, " \t"))
		tok[n++] = p;
	return n;
}

static int is_hex_key(const char *t)
{
	if (strncmp(t, "0x", 2) != 0 || strlen(t) != 10)
		return 0;
	for (int i = 2; i < 10; i++)
		if (!isxdigit((unsigned char)t[i]))
			return 0;
	return 1;
}

/* The column names of a /proc/sysvipc table's header, kept between lines. */
struct table {
	char names[MAX_TOKENS][16];
	int n;
};

static void table_header(struct table *t, char **tok, int n)
{
	int ctime = 0;

	t->n = 0;
	/* msg and sem end with ctime; shm has rss and swap after it */
	for (int i = 0; i < n; i++)
		ctime |= strcmp(tok[i], "ctime") == 0;
	if (n < 3 || strcmp(tok[0], "key") != 0 || !ctime)
		return;
	for (int i = 0; i < n && i < MAX_TOKENS; i++)
		snprintf(t->names[t->n++], sizeof(t->names[0]), "%s", tok[i]);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/*
 * Compares one line; 1 same.  *mapped is set when a token needed mapping
 * (then the layout cannot be compared byte for byte).
 */
static int line_same(struct compare_backend *cb, struct table *tab, const char *sl,
                     const char *hl, int *mapped)
{
	char *s = dates_reduced(sl), *h = dates_reduced(hl);
	char *st[MAX_TOKENS], *ht[MAX_TOKENS];
	int ns, nh, same = 1;

	*mapped = 0;
	if (s == NULL || h == NULL) {
		same = strcmp(sl, hl) == 0;
		goto out;
	}
	if (strstr(s, SET_TOKEN) != NULL || strstr(h, SET_TOKEN) != NULL)
		*mapped = 1;
	ns = tokens(s, st, MAX_TOKENS);
	nh = tokens(h, ht, MAX_TOKENS);
	if (ns != nh) {
		same = 0;
		goto out;
	}
	if (tab->n > 0 && ns == tab->n) {
		/* a row of a /proc/sysvipc table */
		for (int i = 0; i < ns && same; i++) {
			if (strcmp(tab->names[i], "key") == 0 && strcmp(st[i], ht[i]) != 0) {
				*mapped = 1;
				same = cmp_bind(&cb->keys, (uint32_t)strtol(st[i], NULL, 10),
				                (uint32_t)strtol(ht[i], NULL, 10));
			} else if (ends_with(tab->names[i], "time") && strcmp(st[i], ht[i]) != 0) {
				*mapped = 1;
				same = strcmp(st[i], "0") != 0 && strcmp(ht[i], "0") != 0;
			} else {
				same = strcmp(st[i], ht[i]) == 0;
			}
		}
		goto out;
	}
	table_header(tab, st, ns);
	for (int i = 0; i < ns && same; i++) {
		if (strcmp(st[i], ht[i]) == 0)
			continue;
		if (is_hex_key(st[i]) && is_hex_key(ht[i])) {
			*mapped = 1;
			same = cmp_bind(&cb->keys, (uint32_t)strtoul(st[i], NULL, 16),
			                (uint32_t)strtoul(ht[i], NULL, 16));
		} else {
			same = 0;
		}
	}
out:
	free(s);
	free(h);
	return same;
}

/* The lines of text, each malloc'd (without its newline); -1 when out of memory. */
static int split_lines(const char *text, char ***lines, int *n)
{
	int cap = 16;

	*n = 0;
	*lines = malloc((size_t)cap * sizeof(**lines));
	if (*lines == NULL)
		return -1;
	for (const char *p = text; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		if (*n == cap) {
			char **bigger = realloc(*lines, (size_t)cap * 2 * sizeof(**lines));

			if (bigger == NULL)
				return -1;
			*lines = bigger;
			cap *= 2;
		}
		(*lines)[*n] = strndup(p, len);
		if ((*lines)[*n] == NULL)
			return -1;
		(*n)++;
		p += len + (nl != NULL);
	}
	return 0;
}

static void lines_free(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

int cmp_shell_output(struct compare_backend *cb, const char *cmdline, const char *sim,
                     const char *host, char **why)
{
	struct table tab = { .n = 0 };
	char **sv = NULL, **hv = NULL;
	int ns = 0, nh = 0, same = 1, pids[CMP_MAPS_MAX_PIDS];
	int npids = cmp_maps_pids(cmdline, pids, CMP_MAPS_MAX_PIDS);

	*why = NULL;
	if (split_lines(sim, &sv, &ns) < 0 || split_lines(host, &hv, &nh) < 0) {
		same = strcmp(sim, host) == 0; /* out of memory: byte for byte */
		if (!same)
			*why = strdup("the outputs differ");
		goto out;
	}
	if (npids > 0)
		cmp_maps_pair(cb, pids, npids, sv, ns, hv, nh);
	for (int i = 0; same && i < (ns > nh ? ns : nh); i++) {
		const char *sl = i < ns ? sv[i] : NULL, *hl = i < nh ? hv[i] : NULL;
		int mapped = 0, maps = -1;

		if (sl == NULL || hl == NULL) {
			same = 0;
		} else {
			if (npids > 0)
				maps = cmp_maps_line(cb, pids, npids, sl, hl);
			if (maps >= 0) {
				same = maps;
			} else {
				same = line_same(cb, &tab, sl, hl, &mapped);
				if (same && !mapped)
					same = shell_lines_equal(sl, hl);
			}
		}
		if (!same) {
			char msg[640];

			snprintf(msg, sizeof(msg), "output line %d: simulator '%.280s', kernel '%.280s'",
			         i + 1, sl != NULL ? sl : "(no more output)",
			         hl != NULL ? hl : "(no more output)");
			*why = strdup(msg);
		}
	}
out:
	lines_free(sv, ns);
	lines_free(hv, nh);
	return same;
}
