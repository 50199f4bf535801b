/*
 * mask.c - a scenario line with its answers left out (script_line_unanswered):
 * what the HTML trace's source pane shows of a line not yet run while a
 * student predicts it.  The parser knows exactly where each written result
 * is (struct expect's span), so the page never has to guess at `=` signs
 * inside strings.
 */
#include <stdlib.h>
#include <string.h>

#include "script/script_int.h"

/* text with [start, end) replaced by with (malloc'd; NULL out of memory). */
static char *splice(const char *text, size_t start, size_t end, const char *with)
{
	char *out = NULL;

	if (asprintf(&out, "%.*s%s%s", (int)start, text, with, text + end) < 0)
		return NULL;
	return out;
}

/* The last statement that starts at or before line (statements are in
 * line order; a `$` statement's `>` lines come before the next one), or
 * NULL: a binary search, so masking every line of a long file is not
 * quadratic. */
static const struct stmt *stmt_at_or_before(const struct script *s, int line)
{
	int lo = 0, hi = s->nstmts; /* the answer is stmts[lo - 1] */

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (s->stmts[mid]->line <= line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? s->stmts[lo - 1] : NULL;
}

char *script_line_unanswered(const struct script *s, int line)
{
	const struct stmt *st;
	const char *text;

	if (s == NULL || line < 1 || line > s->nlines)
		return NULL;
	text = s->lines[line - 1];
	st = stmt_at_or_before(s, line);
	if (st == NULL)
		return NULL;
	if (st->kind == ST_SHELL && st->nout > 0 && line >= st->first_out_line &&
	    line <= st->last_out_line)
		return splice(text, strcspn(text, ">") + 1, strlen(text), " ?");
	if (st->line != line)
		return NULL;
	if ((st->kind == ST_CALL || st->kind == ST_RESUMED) && st->expect.kind != XP_NONE)
		return splice(text, st->expect.start, st->expect.end,
		              text[st->expect.start] == '=' ? "= ?" : "?");
	if (st->kind == ST_EXITED || st->kind == ST_KILLED) {
		const char *plus = strstr(text, "+++");

		if (plus != NULL && (size_t)(plus - text) < st->call_end)
			return splice(text, (size_t)(plus - text), st->call_end, "?");
	}
	return NULL;
}
