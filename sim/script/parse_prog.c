/*
 * parse_prog.c - programs: `program PROC {` ... `}`, the lines a process
 * runs when the scheduler picks it (docs/scenario-language.md, Programs).
 *
 * A block is parsed whole, then runs: its lines compile to a flat list of
 * instructions (struct pinstr), steps and the jumps of `repeat N {` and
 * `if (a OP b) {` ... `} else {` ... `}`, so that where a process stands in
 * its program is an index and its loop counters.
 *
 * Local variables: a name a program binds is its process's own from that
 * line on.  It is kept as `NAME_PROC` (r of P1 is r_P1), which makes every
 * line the interpreter prints for a program step an ordinary scenario line
 * with global names: a run of programs prints a scenario that replays.
 */
#include <stdlib.h>
#include <string.h>

#include "script/script_int.h"

char *program_local_name(const char *name, const char *proc)
{
	size_t n = strlen(name) + strlen(proc) + 2;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s_%s", name, proc);
	return s;
}

void program_free(struct program *pr)
{
	if (pr == NULL)
		return;
	for (int i = 0; i < pr->ncode; i++) {
		stmt_free(pr->code[i].st);
		expr_free(pr->code[i].e);
	}
	free(pr->code);
	for (int i = 0; i < pr->nlocals; i++)
		free(pr->locals[i]);
	free(pr->locals);
	free(pr);
}

static int emit(struct parser *p, struct pinstr *in)
{
	struct program *pr = p->prog->prog;

	if (pr->ncode >= PROG_MAX_CODE)
		return p_error(p, 1, "a program of more than %d lines", PROG_MAX_CODE);
	if ((pr->ncode & (pr->ncode - 1)) == 0) { /* 0, 1, 2, 4...: full */
		struct pinstr *grown = realloc(pr->code, (size_t)(pr->ncode ? pr->ncode * 2 : 1) *
		                                         sizeof(*grown));

		if (grown == NULL)
			return p_error(p, 1, "out of memory");
		pr->code = grown;
	}
	in->line = p->line;
	pr->code[pr->ncode++] = *in;
	return 0;
}

int program_add_step(struct parser *p, struct stmt *st)
{
	struct pinstr in = { .kind = PI_STEP, .st = st };

	if (emit(p, &in) < 0) {
		stmt_free(st);
		return -1;
	}
	return 0;
}

static int is_local(const struct program *pr, const char *name)
{
	for (int i = 0; i < pr->nlocals; i++)
		if (strcmp(pr->locals[i], name) == 0)
			return 1;
	return 0;
}

static int add_local(struct parser *p, const char *name)
{
	struct program *pr = p->prog->prog;
	char **grown;

	if (strcmp(name, "_") == 0 || is_local(pr, name))
		return 0;
	grown = realloc(pr->locals, (size_t)(pr->nlocals + 1) * sizeof(*grown));
	if (grown == NULL)
		return p_error(p, 1, "out of memory");
	pr->locals = grown;
	if ((pr->locals[pr->nlocals] = strdup(name)) == NULL)
		return p_error(p, 1, "out of memory");
	pr->nlocals++;
	return 0;
}

static int rename_name(struct parser *p, char **name)
{
	char *local;

	if (*name == NULL || !is_local(p->prog->prog, *name))
		return 0;
	local = program_local_name(*name, p->prog->proc);
	if (local == NULL)
		return p_error(p, 1, "out of memory");
	free(*name);
	*name = local;
	return 0;
}

static int rename_expr(struct parser *p, struct expr *e)
{
	if (e == NULL)
		return 0;
	if ((e->kind == EX_NAME || e->kind == EX_ADDR) && rename_name(p, &e->text) < 0)
		return -1;
	if (rename_expr(p, e->a) < 0 || rename_expr(p, e->b) < 0)
		return -1;
	for (int i = 0; i < e->nitems; i++)
		if (rename_expr(p, e->items[i]) < 0)
			return -1;
	return 0;
}

static int uses_name(const struct expr *e, const char *name)
{
	if (e == NULL)
		return 0;
	if (e->kind == EX_NAME && strcmp(e->text, name) == 0)
		return 1;
	if (uses_name(e->a, name) || uses_name(e->b, name))
		return 1;
	for (int i = 0; i < e->nitems; i++)
		if (uses_name(e->items[i], name))
			return 1;
	return 0;
}

/* `x = x + 1` as x's first binding in a program: the x read would be the
 * scenario's, the x bound the program's own; refused rather than guessed. */
static int first_bind_reads_it(struct parser *p, const struct stmt *st)
{
	int uses = uses_name(st->value, st->bind);

	for (int i = 0; i < st->nargs && !uses; i++)
		uses = uses_name(st->args[i], st->bind);
	if (!uses || is_local(p->prog->prog, st->bind))
		return 0;
	return p_error(p, st->bind_col, "'%s' is read and bound here, and a program's variables "
	               "are its own: give %s's %s its first value on a line of its own (as "
	               "'%s = 0')", st->bind, p->prog->proc, st->bind, st->bind);
}

/* The names st binds become its program's locals, and every local st
 * names is renamed to its process's copy. */
int program_localize(struct parser *p, struct stmt *st)
{
	int out = st->kind == ST_CALL ? call_output_arg(st) : -1;

	if (st->bind != NULL && first_bind_reads_it(p, st) < 0)
		return -1;

	if (st->kind == ST_RESUMED || st->kind == ST_EXITED || st->kind == ST_KILLED)
		return p_error(p, st->col, "a program's lines are its calls; what they return is "
		               "printed when it runs");
	if (st->bind != NULL && !(st->call != NULL && (st->call->flags & CALL_BINDS_PROCESS)) &&
	    add_local(p, st->bind) < 0)
		return -1;
	if (out >= 0 && st->args[out]->kind == EX_ADDR && add_local(p, st->args[out]->text) < 0)
		return -1;
	if (rename_name(p, &st->bind) < 0 || rename_expr(p, st->target) < 0 ||
	    rename_expr(p, st->value) < 0 || rename_expr(p, st->expect.ret) < 0 ||
	    rename_expr(p, st->expect.payload) < 0)
		return -1;
	for (int i = 0; i < st->nargs; i++)
		if (rename_expr(p, st->args[i]) < 0)
			return -1;
	return 0;
}

/* `program PROC {` */
int parse_program_start(struct parser *p)
{
	struct stmt *st = calloc(1, sizeof(*st));

	if (st == NULL || (st->prog = calloc(1, sizeof(*st->prog))) == NULL) {
		free(st);
		return p_error(p, 1, "out of memory");
	}
	st->kind = ST_PROGRAM;
	st->line = p->line;
	st->col = p->tok.col;
	if (p_advance(p) < 0 || (st->proc = p_tok_text(p, &p->tok)) == NULL)
		goto out_free;
	st->proc_col = p->tok.col;
	if (check_program_proc(p, st) < 0 || p_advance(p) < 0 ||
	    p_expect_punct(p, "{", "after the program's process") < 0 || parse_expect_eol(p) < 0)
		goto out_free;
	p->prog = st;
	p->nopen = 0;
	return 0;

out_free:
	stmt_free(st);
	return -1;
}

static int open_block(struct parser *p, struct pinstr *in)
{
	if (p->nopen >= PROG_MAX_DEPTH)
		return p_error(p, 1, "blocks nested more than %d deep", PROG_MAX_DEPTH);
	if (p_expect_punct(p, "{", "to open the block") < 0 || parse_expect_eol(p) < 0)
		goto out_free;
	if (emit(p, in) < 0)
		goto out_free;
	p->open[p->nopen++] = p->prog->prog->ncode - 1;
	return 0;

out_free:
	expr_free(in->e);
	return -1;
}

/* `repeat N {` */
static int parse_repeat(struct parser *p)
{
	struct pinstr in = { .kind = PI_REPEAT };

	if (p_advance(p) < 0 || (in.e = parse_expr(p)) == NULL)
		return -1;
	if (rename_expr(p, in.e) < 0 || check_expr_uses(p, in.e) < 0) {
		expr_free(in.e);
		return -1;
	}
	in.slot = p->prog->prog->nslots++;
	return open_block(p, &in);
}

/* `if (a OP b) {` */
static int parse_if(struct parser *p)
{
	struct pinstr in = { .kind = PI_IF };
	int paren;

	if (p_advance(p) < 0)
		return -1;
	paren = tok_is(&p->tok, "(");
	if ((paren && p_advance(p) < 0) || (in.e = parse_comparison(p)) == NULL)
		return -1;
	if ((paren && p_expect_punct(p, ")", "to close the condition") < 0) ||
	    rename_expr(p, in.e) < 0 || check_expr_uses(p, in.e) < 0) {
		expr_free(in.e);
		return -1;
	}
	return open_block(p, &in);
}

/* `}` or `} else {` */
static int parse_close(struct parser *p)
{
	struct program *pr = p->prog->prog;
	int col = p->tok.col;

	if (p_advance(p) < 0)
		return -1;
	if (p->tok.kind == TK_IDENT && tok_ident_is(p->text, &p->tok, "else")) {
		struct pinstr jump = { .kind = PI_JUMP };
		int k = p->nopen > 0 ? p->open[p->nopen - 1] : -1;

		if (k < 0 || pr->code[k].kind != PI_IF)
			return p_error(p, p->tok.col, "'else' without an 'if' block to close");
		if (p_advance(p) < 0 || p_expect_punct(p, "{", "after 'else'") < 0 ||
		    parse_expect_eol(p) < 0 || emit(p, &jump) < 0)
			return -1;
		pr->code[k].target = pr->ncode;
		p->open[p->nopen - 1] = pr->ncode - 1;
		return 0;
	}
	if (parse_expect_eol(p) < 0)
		return -1;
	if (p->nopen > 0) {
		int k = p->open[--p->nopen];

		if (pr->code[k].kind == PI_REPEAT) {
			struct pinstr loop = { .kind = PI_LOOP, .slot = pr->code[k].slot, .target = k + 1 };

			if (emit(p, &loop) < 0)
				return -1;
		}
		pr->code[k].target = pr->ncode;
		return 0;
	}
	/* The program's own `}`: the block is whole, it joins the script. */
	{
		struct stmt *st = p->prog;

		if (pr->ncode == 0)
			return p_error(p, col, "program %s has no lines", st->proc);
		pr->end_line = p->line;
		p->prog = NULL;
		return program_finish(p, st);
	}
}

int parse_program_line(struct parser *p, const char *text, size_t pos)
{
	if (text[pos] == '\0' || text[pos] == '#')
		return 0;
	if (text[pos] == '$' || text[pos] == '>')
		return p_error(p, (int)pos + 1, "a program's lines are calls, assignments, 'repeat "
		               "N {', 'if (a OP b) {', '} else {' and '}'; '%c' lines go outside it",
		               text[pos]);
	if (p_start_at(p, pos) < 0)
		return -1;
	if (tok_is(&p->tok, "}"))
		return parse_close(p);
	if (p->tok.kind == TK_IDENT && tok_ident_is(text, &p->tok, "repeat") &&
	    !tok_is(&p->next, "=") && !tok_is(&p->next, "("))
		return parse_repeat(p);
	if (p->tok.kind == TK_IDENT && tok_ident_is(text, &p->tok, "if"))
		return parse_if(p);
	if (p->tok.kind == TK_IDENT && tok_is(&p->next, ":"))
		return p_error(p, p->tok.col, "a program's lines are %s's: write the call without "
		               "'%.*s:'", p->prog->proc, (int)p->tok.len, text + p->tok.off);
	return parse_program_step(p, p->prog->proc);
}
