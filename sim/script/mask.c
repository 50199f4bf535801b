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

char *script_line_unanswered(const struct script *s, int line)
{
	const char *text;

	if (s == NULL || line < 1 || line > s->nlines)
		return NULL;
	text = s->lines[line - 1];
	for (int i = 0; i < s->nstmts; i++) {
		const struct stmt *st = s->stmts[i];

		if (st->kind == ST_SHELL && st->nout > 0 && line >= st->first_out_line &&
		    line <= st->last_out_line)
			return splice(text, strcspn(text, ">") + 1, strlen(text), " ?");
		if (st->line != line)
			continue;
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
	return NULL;
}
