/*
 * answer.c - a step line's written result read as a tree, holes included
 * (script_answer_parse, ipcsim/script.h): what the grader compares.
 *
 * The result of a step starts after the `)` that closes its call (or after
 * `resumed>`), found with the language's own lexer so an `=` inside a string
 * argument never counts.  The grammar is the result grammar of
 * parse_expr.c (`= RET [ERRNO [(strerror)]] [PAYLOAD]`, `<unfinished ...>`,
 * `--- SIG ---`) with `?` allowed in place of the return value, the errno
 * and any value inside the payload.  Nothing is evaluated or looked up:
 * the grader decides what matches.  Bounded like the parser: PARSE_MAX_DEPTH
 * nesting, PARSE_MAX_NODES nodes.
 */
#include <stdlib.h>
#include <string.h>

#include "script/script_int.h"

struct areader {
	struct lexer lx;
	struct token tok;
	const char *line;
	size_t prev_end;
	int nodes;
	char *msg;
	size_t msgsize;
	int err_col;
};

static int a_fail(struct areader *r, int col, const char *what)
{
	if (r->err_col == 0) {
		snprintf(r->msg, r->msgsize, "%s", what);
		r->err_col = col > 0 ? col : 1;
	}
	return -1;
}

static int a_next(struct areader *r)
{
	if (r->tok.kind != TK_EOF || r->tok.len > 0)
		r->prev_end = r->tok.off + r->tok.len;
	if (lex_next(&r->lx, &r->tok) < 0)
		return a_fail(r, r->lx.err_col, r->lx.err);
	return 0;
}

static char *span(const char *line, size_t from, size_t to)
{
	return strndup(line + from, to > from ? to - from : 0);
}

static void anode_free(struct script_anode *n)
{
	if (n == NULL)
		return;
	for (int i = 0; i < n->nitems; i++)
		anode_free(n->items[i]);
	free(n->items);
	free(n->field);
	free(n->bytes);
	free(n->text);
	free(n);
}

static struct script_anode *anode_new(struct areader *r, enum script_anode_kind kind)
{
	struct script_anode *n;

	if (++r->nodes > PARSE_MAX_NODES) {
		a_fail(r, r->tok.col, "too many values in one result");
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL) {
		a_fail(r, r->tok.col, "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->col = r->tok.col;
	return n;
}

static struct script_anode *read_value(struct areader *r, int depth);

static int list_push(struct areader *r, struct script_anode *list, struct script_anode *item)
{
	struct script_anode **grown = realloc(list->items, (size_t)(list->nitems + 1) * sizeof(*grown));

	if (grown == NULL) {
		anode_free(item);
		return a_fail(r, r->tok.col, "out of memory");
	}
	list->items = grown;
	list->items[list->nitems++] = item;
	return 0;
}

/* `name=` or `a.b.c=` before a list item: the dotted name, or NULL (none, or
 * after an error: r->err_col says which). */
static char *read_field_name(struct areader *r)
{
	struct lexer save_lx = r->lx;
	struct token save_tok = r->tok;
	size_t save_end = r->prev_end, start = r->tok.off;

	if (r->tok.kind != TK_IDENT)
		return NULL;
	for (;;) {
		if (a_next(r) < 0)
			return NULL;
		if (tok_is(&r->tok, "=")) {
			char *name = span(r->line, start, r->tok.off), *o = name;

			if (name == NULL) {
				a_fail(r, r->tok.col, "out of memory");
				return NULL;
			}
			for (const char *w = name; *w != '\0'; w++) /* `a . b` reads as `a.b` */
				if (*w != ' ' && *w != '\t')
					*o++ = *w;
			*o = '\0';
			if (a_next(r) < 0) {
				free(name);
				return NULL;
			}
			return name;
		}
		if (!tok_is(&r->tok, ".") || a_next(r) < 0 || r->tok.kind != TK_IDENT)
			break;
	}
	/* not a field name after all: a plain word value */
	r->lx = save_lx;
	r->tok = save_tok;
	r->prev_end = save_end;
	return NULL;
}

static struct script_anode *read_list(struct areader *r, int depth)
{
	char close = tok_is(&r->tok, "{") ? '}' : ']';
	size_t start = r->tok.off;
	struct script_anode *list = anode_new(r, SCRIPT_A_LIST);

	if (list == NULL)
		return NULL;
	list->open = close == '}' ? '{' : '[';
	if (depth >= PARSE_MAX_DEPTH) {
		a_fail(r, r->tok.col, "values nested too deeply");
		goto fail;
	}
	if (a_next(r) < 0)
		goto fail;
	while (!(r->tok.kind == TK_PUNCT && r->tok.punct[0] == close && r->tok.punct[1] == '\0')) {
		char *field = read_field_name(r);
		struct script_anode *item;

		if (r->err_col != 0)
			goto fail;
		item = read_value(r, depth + 1);
		if (item == NULL) {
			free(field);
			goto fail;
		}
		item->field = field;
		if (list_push(r, list, item) < 0)
			goto fail;
		if (tok_is(&r->tok, ",")) {
			if (a_next(r) < 0)
				goto fail;
		} else if (!(r->tok.kind == TK_PUNCT && r->tok.punct[0] == close)) {
			a_fail(r, r->tok.col, close == '}' ? "expected ',' or '}' in the braces"
			                                  : "expected ',' or ']' in the brackets");
			goto fail;
		}
	}
	if (a_next(r) < 0)
		goto fail;
	list->text = span(r->line, start, r->prev_end);
	return list;
fail:
	anode_free(list);
	return NULL;
}

static struct script_anode *read_value(struct areader *r, int depth)
{
	struct script_anode *n;
	size_t start = r->tok.off;
	int neg = 0;

	if (tok_is(&r->tok, "{") || tok_is(&r->tok, "["))
		return read_list(r, depth);
	if (tok_is(&r->tok, "?")) {
		n = anode_new(r, SCRIPT_A_HOLE);
	} else if (tok_is(&r->tok, "-") || tok_is(&r->tok, "+")) {
		neg = tok_is(&r->tok, "-");
		if (a_next(r) < 0)
			return NULL;
		if (r->tok.kind != TK_INT) {
			a_fail(r, r->tok.col, "expected an integer after the sign");
			return NULL;
		}
		n = anode_new(r, SCRIPT_A_INT);
	} else if (r->tok.kind == TK_INT) {
		n = anode_new(r, SCRIPT_A_INT);
	} else if (r->tok.kind == TK_STRING) {
		n = anode_new(r, SCRIPT_A_STR);
	} else if (r->tok.kind == TK_IDENT) {
		n = anode_new(r, SCRIPT_A_WORD);
	} else {
		a_fail(r, r->tok.col, r->tok.kind == TK_EOF ? "expected a value, found the end of the line"
		                                            : "expected a value");
		return NULL;
	}
	if (n == NULL)
		return NULL;
	n->col = (int)start + 1;
	if (n->kind == SCRIPT_A_INT)
		n->ival = neg ? -r->tok.ival : r->tok.ival;
	else if (n->kind == SCRIPT_A_STR)
		n->bytes = lex_string_value(r->line, &r->tok, &n->len);
	else if (n->kind == SCRIPT_A_WORD)
		n->bytes = span(r->line, r->tok.off, r->tok.off + r->tok.len);
	if ((n->kind == SCRIPT_A_STR || n->kind == SCRIPT_A_WORD) && n->bytes == NULL) {
		anode_free(n);
		a_fail(r, r->tok.col, "out of memory");
		return NULL;
	}
	if (a_next(r) < 0) {
		anode_free(n);
		return NULL;
	}
	n->text = span(r->line, start, r->prev_end);
	return n;
}

/* Moves r to the first token after the step's call: 1 found, 0 the line is
 * no step, -1 a lexical error. */
static int skip_call(struct areader *r)
{
	int depth = 0, opened = 0;

	for (;;) {
		if (a_next(r) < 0) {
			if (opened)
				return -1;
			r->err_col = 0; /* no call before it: a directive's path, not a result */
			return 0;
		}
		if (r->tok.kind == TK_EOF || tok_is(&r->tok, "+++"))
			return 0;
		if (tok_is(&r->tok, "<") && !opened) {
			/* P2: <... NAME resumed> */
			if (a_next(r) < 0)
				return -1;
			if (!tok_is(&r->tok, "..."))
				return 0;
			while (!tok_is(&r->tok, ">")) {
				if (r->tok.kind == TK_EOF)
					return 0;
				if (a_next(r) < 0)
					return -1;
			}
			return a_next(r) < 0 ? -1 : 1;
		}
		if (tok_is(&r->tok, "(")) {
			depth++;
			opened = 1;
		} else if (tok_is(&r->tok, ")") && depth > 0 && --depth == 0) {
			return a_next(r) < 0 ? -1 : 1;
		}
	}
}

/* `why ?` or `why CODE` (CODE: EACCES.mode, a dotted word). */
static int read_why(struct areader *r, struct script_answer *a)
{
	size_t start;

	if (a_next(r) < 0)
		return -1;
	start = r->tok.off;
	if (tok_is(&r->tok, "?")) {
		a->why = read_value(r, 0);
		return a->why == NULL ? -1 : 0;
	}
	if (r->tok.kind != TK_IDENT)
		return a_fail(r, r->tok.col, "expected a reason code after 'why' (EACCES.mode)");
	a->why = anode_new(r, SCRIPT_A_WORD);
	if (a->why == NULL)
		return -1;
	while (r->tok.kind == TK_IDENT || tok_is(&r->tok, ".")) {
		if (a_next(r) < 0)
			return -1;
		if (r->tok.off > r->prev_end)
			break; /* a blank ends the code */
	}
	a->why->bytes = span(r->line, start, r->prev_end);
	a->why->text = span(r->line, start, r->prev_end);
	if (a->why->bytes == NULL || a->why->text == NULL)
		return a_fail(r, r->tok.col, "out of memory");
	return 0;
}

static int read_result(struct areader *r, struct script_answer *a)
{
	if (tok_is(&r->tok, "<")) {
		if (a_next(r) < 0 || !tok_ident_is(r->line, &r->tok, "unfinished") || a_next(r) < 0 ||
		    !tok_is(&r->tok, "...") || a_next(r) < 0 || !tok_is(&r->tok, ">"))
			return a_fail(r, r->tok.col, "expected '<unfinished ...>'");
		a->kind = SCRIPT_ANS_UNFINISHED;
		return a_next(r);
	}
	if (tok_is(&r->tok, "---")) {
		if (a_next(r) < 0 || r->tok.kind != TK_IDENT)
			return a_fail(r, r->tok.col, "expected a signal name after '---'");
		a->signal = span(r->line, r->tok.off, r->tok.off + r->tok.len);
		if (a->signal == NULL || a_next(r) < 0 || !tok_is(&r->tok, "---"))
			return a_fail(r, r->tok.col, "expected '---' after the signal name");
		a->kind = SCRIPT_ANS_SIGNAL;
		return a_next(r);
	}
	if (!tok_is(&r->tok, "="))
		return a_fail(r, r->tok.col, "expected '= result', '<unfinished ...>' or the end of "
		                             "the line after the call");
	if (a_next(r) < 0)
		return -1;
	a->kind = SCRIPT_ANS_RESULT;
	if (tok_is(&r->tok, "{") || tok_is(&r->tok, "["))
		return a_fail(r, r->tok.col, "expected the return value before the braces");
	a->ret = read_value(r, 0);
	if (a->ret == NULL)
		return -1;
	if ((r->tok.kind == TK_IDENT && !tok_ident_is(r->line, &r->tok, "why")) ||
	    tok_is(&r->tok, "?")) {
		a->err = read_value(r, 0);
		if (a->err == NULL)
			return -1;
	}
	a->head = span(r->line, a->ret->col - 1, r->prev_end);
	if (tok_is(&r->tok, "(")) { /* strace's strerror text: not part of the answer */
		while (!tok_is(&r->tok, ")")) {
			if (r->tok.kind == TK_EOF)
				return a_fail(r, r->tok.col, "expected ')' after the error's text");
			if (a_next(r) < 0)
				return -1;
		}
		if (a_next(r) < 0)
			return -1;
	}
	if (tok_is(&r->tok, "{") || tok_is(&r->tok, "[")) {
		a->payload = read_list(r, 0);
		if (a->payload == NULL)
			return -1;
	}
	if (tok_ident_is(r->line, &r->tok, "why"))
		return read_why(r, a);
	return 0;
}

int script_answer_parse(const char *line, struct script_answer *a, char *msg, size_t msgsize)
{
	struct areader r;
	size_t n = strlen(line), lead = strspn(line, " \t");
	int found;

	memset(a, 0, sizeof(*a));
	memset(&r, 0, sizeof(r));
	r.line = line;
	r.msg = msg;
	r.msgsize = msgsize;
	a->start = a->end = n;
	if (line[lead] == '$' || line[lead] == '>' || line[lead] == '#' || line[lead] == '\0')
		return 0;
	lex_init(&r.lx, line, n, 0);
	r.tok.kind = TK_EOF;
	found = skip_call(&r);
	if (found <= 0)
		goto out;
	a->step = 1;
	a->start = a->end = r.prev_end;
	if (r.tok.kind == TK_EOF)
		goto out;
	a->start = r.tok.off;
	if (tok_is(&r.tok, ";") && (a_next(&r) < 0 || r.tok.kind == TK_EOF))
		goto out;
	if (read_result(&r, a) < 0)
		goto out;
	a->end = r.prev_end;
	if (tok_is(&r.tok, ";") && a_next(&r) < 0)
		goto out;
	if (r.tok.kind != TK_EOF) {
		a_fail(&r, r.tok.col, "unexpected text after the result");
		goto out;
	}
	a->text = span(line, line[a->start] == '=' ? a->start + 1 + strspn(line + a->start + 1, " ")
	                                           : a->start, a->end);
out:
	if (r.err_col != 0) {
		script_answer_release(a);
		return r.err_col;
	}
	return 0;
}

void script_answer_release(struct script_answer *a)
{
	anode_free(a->ret);
	anode_free(a->err);
	anode_free(a->payload);
	anode_free(a->why);
	free(a->signal);
	free(a->head);
	free(a->text);
	a->ret = a->err = a->payload = a->why = NULL;
	a->signal = a->head = a->text = NULL;
	a->kind = SCRIPT_ANS_NONE;
}
