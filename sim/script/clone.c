/*
 * clone.c - a malloc'd deep copy of a statement parsed into an arena.
 *
 * A streamed run (stream.c) frees each group of lines' nodes at once; the
 * one statement the interpreter still points at afterwards is a blocked
 * call (its process's blocked_at, used when the call resumes), so that one
 * is copied out first.  The copy is an ordinary AST node: stmt_free frees it.
 */
#include <stdlib.h>
#include <string.h>

#include "script/script_int.h"

/* A copy of n bytes and a NUL (strings may hold NULs: EX_STR's len). */
static int copy_bytes(char **dst, const char *src, size_t n)
{
	if (src == NULL)
		return 0;
	*dst = malloc(n + 1);
	if (*dst == NULL)
		return -1;
	memcpy(*dst, src, n);
	(*dst)[n] = '\0';
	return 0;
}

static int copy_str(char **dst, const char *src)
{
	return copy_bytes(dst, src, src != NULL ? strlen(src) : 0);
}

static struct expr *expr_clone(const struct expr *e)
{
	struct expr *c;

	if (e == NULL)
		return NULL;
	c = malloc(sizeof(*c));
	if (c == NULL)
		return NULL;
	*c = *e;
	c->in_arena = 0;
	c->text = c->fname = NULL;
	c->a = c->b = NULL;
	c->items = NULL;
	c->nitems = 0;
	if (copy_bytes(&c->text, e->text, e->kind == EX_STR ? e->len : e->text ? strlen(e->text) : 0) < 0 ||
	    copy_str(&c->fname, e->fname) < 0 ||
	    (e->a != NULL && (c->a = expr_clone(e->a)) == NULL) ||
	    (e->b != NULL && (c->b = expr_clone(e->b)) == NULL))
		goto out_free;
	if (e->nitems > 0) {
		c->items = calloc((size_t)e->nitems, sizeof(*c->items));
		if (c->items == NULL)
			goto out_free;
		for (; c->nitems < e->nitems; c->nitems++)
			if ((c->items[c->nitems] = expr_clone(e->items[c->nitems])) == NULL)
				goto out_free;
	}
	return c;

out_free:
	expr_free(c);
	return NULL;
}

/* *dst = a copy of src (NULL stays NULL): 0, or -1 out of memory. */
static int clone_into(struct expr **dst, const struct expr *src)
{
	*dst = src != NULL ? expr_clone(src) : NULL;
	return src != NULL && *dst == NULL ? -1 : 0;
}

struct stmt *stmt_clone(const struct stmt *st)
{
	struct stmt *c = malloc(sizeof(*c));

	if (c == NULL)
		return NULL;
	*c = *st;
	c->in_arena = 0;
	c->proc = c->bind = c->cmd = c->name = NULL;
	c->args = NULL;
	c->nargs = 0;
	c->target = c->value = c->expect.ret = c->expect.payload = NULL;
	c->out_lines = NULL;
	c->nout = 0;
	if (copy_str(&c->proc, st->proc) < 0 || copy_str(&c->bind, st->bind) < 0 ||
	    copy_str(&c->cmd, st->cmd) < 0 || copy_str(&c->name, st->name) < 0 ||
	    clone_into(&c->target, st->target) < 0 || clone_into(&c->value, st->value) < 0 ||
	    clone_into(&c->expect.ret, st->expect.ret) < 0 ||
	    clone_into(&c->expect.payload, st->expect.payload) < 0)
		goto out_free;
	if (st->nargs > 0) {
		c->args = calloc((size_t)st->nargs, sizeof(*c->args));
		if (c->args == NULL)
			goto out_free;
		for (; c->nargs < st->nargs; c->nargs++)
			if (clone_into(&c->args[c->nargs], st->args[c->nargs]) < 0)
				goto out_free;
	}
	if (st->nout > 0) {
		c->out_lines = calloc((size_t)st->nout, sizeof(*c->out_lines));
		if (c->out_lines == NULL)
			goto out_free;
		for (; c->nout < st->nout; c->nout++)
			if (copy_str(&c->out_lines[c->nout], st->out_lines[c->nout]) < 0)
				goto out_free;
	}
	return c;

out_free:
	stmt_free(c);
	return NULL;
}
