/*
 * parse_expr.c - values, expressions and results.
 *
 *   expr    := primary (('|' | '+' | '-') primary)*
 *   primary := ['-'|'+'] INT | STRING | '_' | NULL | CONST | KEYWORD
 *            | NAME ('.' NAME)* | '&' NAME | '{' items '}' | '[' items ']'
 *            | '-' primary | '(' expr ')'
 *   items   := [item (',' item)* [',']]
 *   item    := NAME ('.' NAME)* '=' expr | expr
 *   result  := '=' '?' | '=' expr [ERRNO ['(' text ')']] [payload]
 *            | '<unfinished' '...' '>' | '---' SIGNAME '---'
 *
 * A sign directly before an integer belongs to the literal, so `-300` prints
 * back as written; strace's strerror text after an errno name is skipped as
 * raw text (it is accepted and ignored).  A `;` may end a step,
 * as in C: after the call's `)` or after its result.  What C has and a
 * scenario has not (sizeof, a call inside an argument, a cast) is refused
 * with what to write instead.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/strace.h" /* errno and signal names */
#include "script/script_int.h"

static struct expr *new_expr(struct parser *p, enum expr_kind kind, const struct token *t)
{
	struct expr *e;

	if (++p->nodes > PARSE_MAX_NODES) {
		p_error(p, t->col, "expression too large (more than %d parts on one line)",
		        PARSE_MAX_NODES);
		return NULL;
	}
	e = p->arena != NULL ? arena_take(p->arena, sizeof(*e)) : malloc(sizeof(*e));
	if (e == NULL) {
		p_error(p, t->col, "out of memory");
		return NULL;
	}
	/* Every field at once: stores the compiler schedules, not a memset. */
	*e = (struct expr){ .kind = kind, .line = p->line, .col = t->col,
	                    .in_arena = p->arena != NULL };
	return e;
}

static int add_item(struct parser *p, struct expr *list, struct expr *item)
{
	if (p_push(p, &list->items, &list->nitems, item) < 0) {
		expr_free(item);
		return p_error(p, list->col, "out of memory");
	}
	return 0;
}

/* Is the current token the start of `name(.name)* =`?  Looks ahead on a
 * copy of the lexer, made only for a dotted name (an item is most often a
 * literal: the copy would be most of the cost). */
static int at_designator(struct parser *p)
{
	struct lexer lx;
	struct token t = p->tok, n = p->next;

	if (t.kind != TK_IDENT)
		return 0;
	if (!tok_is(&n, "."))
		return tok_is(&n, "=");
	lx = p->lx;
	for (;;) {
		if (tok_is(&n, "="))
			return 1;
		if (!tok_is(&n, "."))
			return 0;
		if (lex_next(&lx, &t) < 0 || t.kind != TK_IDENT)
			return 0;
		if (lex_next(&lx, &n) < 0)
			return 0;
	}
}

static struct expr *parse_items(struct parser *p, struct expr *list, const char *close)
{
	while (!tok_is(&p->tok, close)) {
		struct expr *item;
		char *fname = NULL;
		int fname_col = 0;

		if (list->kind == EX_STRUCT && at_designator(p)) {
			size_t start = p->tok.off;

			fname_col = p->tok.col;
			while (!tok_is(&p->tok, "=")) {
				if (p_advance(p) < 0)
					goto out_fail;
			}
			fname = p_strndup(p, p->text + start, p->prev_end - start);
			if (fname == NULL || p_advance(p) < 0) {
				p_release(p, fname);
				goto out_fail;
			}
		}
		item = parse_expr(p);
		if (item == NULL) {
			p_release(p, fname);
			goto out_fail;
		}
		item->fname = fname;
		item->fname_col = fname_col;
		if (add_item(p, list, item) < 0)
			goto out_fail;
		if (tok_is(&p->tok, ",")) {
			if (p_advance(p) < 0)
				goto out_fail;
		} else if (!tok_is(&p->tok, close)) {
			p_expect_punct(p, close, list->kind == EX_STRUCT ? "to close the struct"
			                                                : "to close the array");
			goto out_fail;
		}
	}
	if (p_advance(p) < 0)
		goto out_fail;
	return list;

out_fail:
	expr_free(list);
	return NULL;
}

/* A name used as C would, where a scenario takes a value: sizeof, strlen,
 * a call inside an argument.  0, or -1 after a diagnostic saying what to
 * write instead. */
static int check_c_only(struct parser *p, const struct token *t, const char *name)
{
	if (tok_ident_is(p->text, t, "sizeof"))
		return p_error(p, t->col, "no sizeof in a scenario: write the number of bytes "
		               "(msgsnd's and msgrcv's size counts mtext only: 6 for \"hello\" and "
		               "its NUL)");
	if (!tok_is(&p->tok, "("))
		return 0; /* a value, as a name should be */
	if (tok_ident_is(p->text, t, "strlen"))
		return p_error(p, t->col, "no strlen in a scenario: write the number of bytes "
		               "(5 for \"hello\", 6 with its NUL)");
	if (call_lookup(name) != NULL)
		return p_error(p, t->col, "calls do not nest: make %s a step of its own that "
		               "binds its result ('P1: x = %s(...)'), then use x", name, name);
	return p_error(p, t->col, "'%s' is not a call a scenario knows, and an argument "
	               "is a value, not a call", name);
}

static struct expr *parse_name(struct parser *p)
{
	struct token t = p->tok;
	char *name = p_tok_dup(p, &t);
	struct expr *e = NULL;
	long long v;

	if (name == NULL || p_advance(p) < 0 || check_c_only(p, &t, name) < 0)
		goto out_free;
	if (tok_ident_is(p->text, &t, "_")) {
		e = new_expr(p, EX_DISCARD, &t);
	} else if (tok_ident_is(p->text, &t, "NULL")) {
		e = new_expr(p, EX_NULL, &t);
	} else if (tok_ident_is(p->text, &t, "handler") || tok_ident_is(p->text, &t, "SIG_IGN") ||
	           tok_ident_is(p->text, &t, "SIG_DFL")) {
		e = new_expr(p, EX_KEYWORD, &t);
	} else if (const_lookup(name, &v)) {
		e = new_expr(p, EX_CONST, &t);
		if (e != NULL)
			e->ival = v;
	} else {
		e = new_expr(p, EX_NAME, &t);
	}
	if (e == NULL)
		goto out_free;
	e->text = name;
	name = NULL;
	while (e->kind == EX_NAME || e->kind == EX_FIELD) {
		struct expr *f;

		if (!tok_is(&p->tok, "."))
			break;
		if (p_advance(p) < 0)
			goto out_expr;
		if (p->tok.kind != TK_IDENT) {
			p_error(p, p->tok.col, "expected a field name after '.'");
			goto out_expr;
		}
		f = new_expr(p, EX_FIELD, &p->tok);
		if (f == NULL)
			goto out_expr;
		f->col = e->col;
		f->a = e;
		e = f;
		e->text = p_tok_dup(p, &p->tok);
		if (e->text == NULL || p_advance(p) < 0)
			goto out_expr;
	}
	return e;

out_expr:
	expr_free(e);
out_free:
	p_release(p, name);
	return NULL;
}

static struct expr *parse_primary(struct parser *p)
{
	struct token t = p->tok;
	struct expr *e;

	if ((tok_is(&t, "-") || tok_is(&t, "+")) && p->next.kind == TK_INT &&
	    p->next.off == t.off + 1) {
		if (p_advance(p) < 0)
			return NULL;
		e = new_expr(p, EX_INT, &t);
		if (e == NULL)
			return NULL;
		/* In unsigned arithmetic: -9223372036854775808 is INT64_MIN,
		 * as in C, without the undefined negation of INT64_MIN. */
		e->ival = t.punct[0] == '-' ? (long long)(0ULL - (unsigned long long)p->tok.ival)
		                            : p->tok.ival;
		e->text = p_strndup(p, p->text + t.off, p->tok.off + p->tok.len - t.off);
		if (e->text == NULL || p_advance(p) < 0) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (tok_is(&t, "-")) {
		if (p_advance(p) < 0 || (e = new_expr(p, EX_NEG, &t)) == NULL)
			return NULL;
		e->a = parse_primary(p);
		if (e->a == NULL) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	switch (t.kind) {
	case TK_INT:
		e = new_expr(p, EX_INT, &t);
		if (e == NULL)
			return NULL;
		e->ival = t.ival;
		e->text = p_tok_dup(p, &t);
		if (e->text == NULL || p_advance(p) < 0) {
			expr_free(e);
			return NULL;
		}
		return e;
	case TK_STRING:
		e = new_expr(p, EX_STR, &t);
		if (e == NULL)
			return NULL;
		e->text = p_string_value(p, &t, &e->len);
		if (e->text == NULL || p_advance(p) < 0) {
			expr_free(e);
			return NULL;
		}
		return e;
	case TK_IDENT:
		return parse_name(p);
	case TK_EOF:
		p_error(p, t.col, "expected a value, found the end of the line");
		return NULL;
	case TK_PUNCT:
		break;
	}
	if (tok_is(&t, "&")) {
		if (p_advance(p) < 0)
			return NULL;
		if (p->tok.kind != TK_IDENT) {
			p_error(p, p->tok.col, "expected a variable name after '&'");
			return NULL;
		}
		e = new_expr(p, EX_ADDR, &t);
		if (e == NULL)
			return NULL;
		e->text = p_tok_dup(p, &p->tok);
		if (e->text == NULL || p_advance(p) < 0) {
			expr_free(e);
			return NULL;
		}
		if (tok_is(&p->tok, ".")) {
			p_error(p, p->tok.col, "'&' takes a whole variable, not a field");
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if ((tok_is(&t, "{") || tok_is(&t, "[") || tok_is(&t, "(")) && p->depth >= PARSE_MAX_DEPTH) {
		p_error(p, t.col, "nested too deeply (more than %d levels)", PARSE_MAX_DEPTH);
		return NULL;
	}
	if (tok_is(&t, "{") || tok_is(&t, "[")) {
		e = new_expr(p, t.punct[0] == '{' ? EX_STRUCT : EX_ARRAY, &t);
		if (e == NULL || p_advance(p) < 0) {
			expr_free(e);
			return NULL;
		}
		p->depth++;
		e = parse_items(p, e, t.punct[0] == '{' ? "}" : "]");
		p->depth--;
		return e;
	}
	if (tok_is(&t, "(")) {
		if (p_advance(p) < 0)
			return NULL;
		if (p->tok.kind == TK_IDENT && c_type_name(p->text + p->tok.off, p->tok.len)) {
			p_error(p, t.col, "no casts in a scenario: write the value alone (NULL, "
			        "not (void *)0)");
			return NULL;
		}
		p->depth++;
		e = parse_expr(p);
		p->depth--;
		if (e != NULL && p_expect_punct(p, ")", "to close the parenthesis") < 0) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	p_error(p, t.col, "expected a value, found '%.*s'", (int)t.len, p->text + t.off);
	return NULL;
}

struct expr *parse_expr(struct parser *p)
{
	struct expr *e = parse_primary(p);

	while (e != NULL && (tok_is(&p->tok, "|") || tok_is(&p->tok, "+") || tok_is(&p->tok, "-"))) {
		struct expr *bin = new_expr(p, EX_BINOP, &p->tok);

		if (bin == NULL) {
			expr_free(e);
			return NULL;
		}
		bin->col = e->col;
		bin->op[0] = p->tok.punct[0];
		bin->a = e;
		e = bin;
		if (p_advance(p) < 0) {
			expr_free(e);
			return NULL;
		}
		e->b = parse_primary(p);
		if (e->b == NULL) {
			expr_free(e);
			return NULL;
		}
	}
	return e;
}

int unknown_signal(struct parser *p, const char *name, const char *what)
{
	struct suggest sg;
	char hint[96];

	if (p->tok.kind != TK_IDENT || name == NULL)
		return p_error(p, p->tok.col, "%s", what);
	suggest_init(&sg, name);
	suggest_signals(&sg);
	return p_error(p, p->tok.col, "%s%s", what, suggest_text(&sg, hint, sizeof(hint)));
}

/* `(Resource temporarily unavailable)`: raw text up to the closing ')'. */
static int skip_strerror_text(struct parser *p)
{
	const char *close = strchr(p->text + p->tok.off, ')');
	size_t at;

	if (close == NULL)
		return p_error(p, p->tok.col, "unterminated '(' after the errno name");
	at = (size_t)(close - p->text);
	lex_init(&p->lx, p->text, strlen(p->text), at + 1);
	/* The ')' becomes the current token; the lexer goes on after it. */
	p->tok.off = at;
	p->tok.len = 1;
	p->tok.col = (int)at + 1;
	if (lex_next(&p->lx, &p->next) < 0)
		return p_error(p, p->lx.err_col, "%s", p->lx.err);
	return p_advance(p);
}

static int parse_result(struct parser *p, struct expect *x)
{
	int err;

	x->kind = XP_RESULT;
	x->ret = parse_expr(p);
	if (x->ret == NULL)
		return -1;
	/* `= EEXIST`: strace writes the -1 the call returns, then errno. */
	if (x->ret->kind == EX_NAME && strace_errno_from_name(x->ret->text, &err))
		return p_error(p, x->ret->col, "errors are written '= -1 %s' (the call returns -1 "
		               "and sets errno)", x->ret->text);
	if (p->tok.kind == TK_IDENT) {
		char *name = p_tok_text(p, &p->tok);
		int ok = name != NULL && strace_errno_from_name(name, &x->err);

		if (!ok) {
			struct suggest sg;
			char hint[96];

			suggest_init(&sg, name != NULL ? name : "");
			suggest_errnos(&sg);
			p_error(p, p->tok.col, "unknown errno name '%s'%s", name != NULL ? name : "",
			        suggest_text(&sg, hint, sizeof(hint)));
			free(name);
			return -1;
		}
		free(name);
		if (p_advance(p) < 0)
			return -1;
		if (tok_is(&p->tok, "(") && skip_strerror_text(p) < 0)
			return -1;
	}
	if (tok_is(&p->tok, "{") || tok_is(&p->tok, "[")) {
		x->payload = parse_primary(p);
		if (x->payload == NULL)
			return -1;
	}
	return 0;
}

/* A `;` that ends the step (C's), then the end of the line.  0, or -1 after
 * a diagnostic when more follows it. */
static int skip_final_semicolon(struct parser *p)
{
	if (!tok_is(&p->tok, ";"))
		return 0;
	if (p->next.kind != TK_EOF)
		return p_error(p, p->next.col, "one step per line: put what follows ';' on a line "
		               "of its own");
	return p_advance(p);
}

int parse_expect(struct parser *p, struct expect *x)
{
	/* `msgget(...);` and `msgget(...); = 0`: C's `;` after the call. */
	if (tok_is(&p->tok, ";") && !tok_is(&p->next, "=") && skip_final_semicolon(p) < 0)
		return -1;
	if (tok_is(&p->tok, ";") && p_advance(p) < 0)
		return -1;
	memset(x, 0, sizeof(*x));
	x->line = p->line;
	x->col = p->tok.col;
	x->start = p->tok.off;
	if (p->tok.kind == TK_EOF) {
		x->kind = XP_NONE;
		x->end = x->start;
		return 0;
	}
	if (tok_is(&p->tok, "=")) {
		if (p_advance(p) < 0)
			return -1;
		if (tok_is(&p->tok, "?")) {
			x->kind = XP_HOLE;
			if (p_advance(p) < 0)
				return -1;
		} else if (p->tok.kind == TK_EOF) {
			return p_error(p, p->tok.col, "expected a result after '=' (use '= ?' for a hole)");
		} else if (parse_result(p, x) < 0) {
			return -1;
		}
	} else if (tok_is(&p->tok, "<")) {
		if (p_advance(p) < 0)
			return -1;
		if (!tok_ident_is(p->text, &p->tok, "unfinished"))
			return p_error(p, p->tok.col, "expected '<unfinished ...>'");
		if (p_advance(p) < 0 || p_expect_punct(p, "...", "in '<unfinished ...>'") < 0 ||
		    p_expect_punct(p, ">", "to close '<unfinished ...>'") < 0)
			return -1;
		x->kind = XP_UNFINISHED;
	} else if (tok_is(&p->tok, "---")) {
		char *name;
		int ok;

		if (p_advance(p) < 0)
			return -1;
		name = p_tok_text(p, &p->tok);
		ok = p->tok.kind == TK_IDENT && name != NULL &&
		     strace_signal_from_name(name, &x->sig);
		if (!ok)
			unknown_signal(p, name, "expected a signal name after '---'");
		free(name);
		if (!ok)
			return -1;
		if (p_advance(p) < 0 || p_expect_punct(p, "---", "after the signal name") < 0)
			return -1;
		x->kind = XP_SIGNAL;
	} else {
		return p_error(p, p->tok.col, "expected '= result', '<unfinished ...>' or the end of "
		                              "the line after the call, found '%.*s'",
		               (int)p->tok.len, p->text + p->tok.off);
	}
	x->end = p->prev_end;
	if (skip_final_semicolon(p) < 0)
		return -1;
	if (p->tok.kind != TK_EOF)
		return p_error(p, p->tok.col, "unexpected '%.*s' after the result",
		               (int)p->tok.len, p->text + p->tok.off);
	return 0;
}
