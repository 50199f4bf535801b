/*
 * record.c - `ipcsim record`: the scenario written back with every result
 * filled in, so it replays as a regression test or serves as an answer key.
 *
 * The source is copied line by line; only what follows a call's `)` is
 * replaced by the actual result (the blanks before it and a trailing comment
 * are kept), resumed/ending lines are rewritten, dropped or added to match
 * what happened, and `$` commands get `>` lines with their actual output.
 * Everything else - comments, blank lines, directives - is copied verbatim.
 */
#include <stdlib.h>
#include <string.h>

#include "script/interp_int.h"

static void write_events(FILE *out, const struct script *s, const struct stmt *st,
                         const struct trace_stmt *ts)
{
	const char *text = s->lines[st->line - 1];

	for (int k = 0; k < ts->nev; k++)
		if (ts->ev[k].matched < 0)
			fprintf(out, "%.*s%s\n", st->col - 1, text, ts->ev[k].line);
}

static const struct trace_event *find_match(const struct interp *in, int idx)
{
	for (int i = idx - 1; i >= 0; i--) {
		const struct trace_stmt *ts = &in->trace[i];

		for (int k = 0; k < ts->nev; k++)
			if (ts->ev[k].matched == idx)
				return &ts->ev[k];
		if (ts->ran)
			break; /* events belong to the statement just before */
	}
	return NULL;
}

static int same_output(const struct stmt *st, const struct trace_stmt *ts)
{
	if (st->nout != ts->nout)
		return 0;
	for (int k = 0; k < st->nout; k++)
		if (strcmp(st->out_lines[k], ts->out[k]) != 0)
			return 0;
	return 1;
}

static void write_shell(FILE *out, const struct script *s, const struct stmt *st,
                        const struct trace_stmt *ts)
{
	const char *text = s->lines[st->line - 1];

	fprintf(out, "%s\n", text);
	if (st->nout > 0 && same_output(st, ts)) {
		for (int l = st->first_out_line; l <= st->last_out_line; l++)
			fprintf(out, "%s\n", s->lines[l - 1]);
		return;
	}
	for (int k = 0; k < ts->nout; k++) {
		size_t n = strlen(ts->out[k]);

		/* Trailing blanks are not significant; do not leave them behind. */
		while (n > 0 && (ts->out[k][n - 1] == ' ' || ts->out[k][n - 1] == '\t'))
			n--;
		fprintf(out, "%.*s>%s%.*s\n", st->col - 1, text, n > 0 ? " " : "", (int)n, ts->out[k]);
	}
}

static void write_call(FILE *out, const struct stmt *st, const char *text,
                       const struct trace_stmt *ts)
{
	if (ts->held) {
		fprintf(out, "%s\n", text);
		return;
	}
	if (ts->result == NULL) {
		if (st->expect.kind == XP_NONE)
			fprintf(out, "%s\n", text);
		else
			fprintf(out, "%.*s%s\n", (int)st->call_end, text, text + st->tail);
		return;
	}
	fprintf(out, "%.*s", (int)st->call_end, text);
	if (st->expect.kind != XP_NONE)
		fprintf(out, "%.*s", (int)(st->expect.start - st->call_end), text + st->call_end);
	else
		fputc(' ', out);
	fprintf(out, "%s%s\n", ts->result, text + st->tail);
}

static void write_record(FILE *out, const struct interp *in, const int *owner)
{
	const struct script *s = in->s;

	for (int l = 1; l <= s->nlines; l++) {
		const char *text = s->lines[l - 1];
		int idx = owner[l - 1];
		const struct stmt *st;
		const struct trace_event *ev;

		if (idx == -2)
			continue; /* a `>` line: written with its `$` command */
		if (idx < 0) {
			fprintf(out, "%s\n", text);
			continue;
		}
		st = s->stmts[idx];
		switch (st->kind) {
		case ST_CALL:
		case ST_ASSIGN:
			write_call(out, st, text, &in->trace[idx]);
			break;
		case ST_SHELL:
			write_shell(out, s, st, &in->trace[idx]);
			break;
		case ST_RESUMED:
		case ST_EXITED:
		case ST_KILLED:
			ev = find_match(in, idx);
			if (ev != NULL && ev->held)
				fprintf(out, "%s\n", text);
			else if (ev != NULL)
				fprintf(out, "%.*s%s%s\n", st->col - 1, text, ev->line, text + st->tail);
			continue;
		default:
			fprintf(out, "%s\n", text);
			break;
		}
		write_events(out, s, st, &in->trace[idx]);
	}
}

static void free_trace(struct interp *in)
{
	for (int i = 0; in->trace != NULL && i < in->s->nstmts; i++) {
		struct trace_stmt *ts = &in->trace[i];

		free(ts->result);
		for (int k = 0; k < ts->nout; k++)
			free(ts->out[k]);
		free(ts->out);
		for (int k = 0; k < ts->nev; k++)
			free(ts->ev[k].line);
		free(ts->ev);
	}
	free(in->trace);
	in->trace = NULL;
}

int script_record(const struct script *s, FILE *out, FILE *err)
{
	struct script_options o = { 0 };
	struct interp in;
	int *owner = NULL;
	int rc = SCRIPT_EXIT_ERROR;

	o.out = fopen("/dev/null", "w");
	o.err = err;
	if (o.out == NULL)
		return SCRIPT_EXIT_ERROR;
	interp_init(&in, s, &o);
	in.trace = calloc((size_t)s->nstmts + 1, sizeof(*in.trace));
	owner = malloc(((size_t)s->nlines + 1) * sizeof(*owner));
	if (in.b == NULL || in.trace == NULL || owner == NULL) {
		if (err != NULL)
			fprintf(err, "ipcsim: out of memory\n");
		goto out_free;
	}
	for (int l = 0; l < s->nlines; l++)
		owner[l] = -1;
	for (int i = 0; i < s->nstmts; i++) {
		const struct stmt *st = s->stmts[i];

		owner[st->line - 1] = i;
		for (int l = st->first_out_line; st->nout > 0 && l <= st->last_out_line; l++)
			owner[l - 1] = -2;
	}
	interp_run(&in);
	if (in.stopped)
		goto out_free;
	write_record(out, &in, owner);
	rc = SCRIPT_EXIT_OK;

out_free:
	free(owner);
	free_trace(&in);
	interp_fini(&in);
	fclose(o.out);
	return rc;
}
