/*
 * suggest.c - "did you mean ...?": the known name nearest to a misspelt
 * one, for the diagnostics of unknown calls, constants, limits, errno and
 * signal names, fields and unbound variables.
 *
 * The distance is Damerau-Levenshtein's (the optimal string alignment
 * variant: insertions, deletions, substitutions and transpositions of two
 * neighbours each cost 1), on the names folded to lower case, so
 * `IPC_CRAET` and `ipc_creat` both find IPC_CREAT.  The allowance grows with
 * the length of the name (0 for one or two characters, which any other
 * short name is near; 1 up to six; 2 beyond) so that a suggestion is a
 * likely typo, never a guess.
 */
#include <ctype.h>
#include <string.h>

#include "script/script_int.h"

/* Longest name compared; longer ones are never suggested for (no typo). */
#define SUGGEST_MAX 64

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;

	return m < c ? m : c;
}

int suggest_distance(const char *a, const char *b)
{
	int n = (int)strlen(a), m = (int)strlen(b);
	int d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];

	if (n > SUGGEST_MAX || m > SUGGEST_MAX)
		return SUGGEST_MAX;
	for (int i = 0; i <= n; i++)
		d[i][0] = i;
	for (int j = 0; j <= m; j++)
		d[0][j] = j;
	for (int i = 1; i <= n; i++) {
		for (int j = 1; j <= m; j++) {
			int ai = tolower((unsigned char)a[i - 1]), bj = tolower((unsigned char)b[j - 1]);
			int cost = ai != bj;

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && ai == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == bj && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[n][m];
}

void suggest_init(struct suggest *sg, const char *word)
{
	size_t n = strlen(word);

	sg->word = word;
	sg->best = NULL;
	sg->limit = n <= 2 ? 0 : n <= 6 ? 1 : 2;
	sg->dist = 2 * sg->limit + 2;
}

void suggest_offer(struct suggest *sg, const char *candidate)
{
	int d;

	if (candidate == NULL || strcmp(candidate, sg->word) == 0)
		return;
	d = suggest_distance(sg->word, candidate);
	if (d > sg->limit)
		return;
	/* At the same distance a name of the same length wins (tv_usec: tv_nsec,
	 * not tv_sec), then the first: the tables list the common names first. */
	d = 2 * d + (strlen(candidate) != strlen(sg->word));
	if (d < sg->dist) {
		sg->dist = d;
		sg->best = candidate;
	}
}

const char *suggest_text(const struct suggest *sg, char *buf, size_t size)
{
	if (sg->best == NULL)
		return "";
	snprintf(buf, size, "; did you mean '%s'?", sg->best);
	return buf;
}
