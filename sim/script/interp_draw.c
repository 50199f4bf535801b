/*
 * interp_draw.c - the interpreter's side of the diagrams: what the kernel
 * cannot know and the renderer may not look up (it sits below this layer),
 * handed to render_draw through callbacks: the scenario's names and each
 * process's variables.
 *
 * A variable belongs to the process whose step bound it last (the race's
 * parent bound p, the child c); its value is printed as a scenario writes
 * it, a struct only as {...} (its fields are in the call's result).  With
 * --show=each every drawing is compared with the one before (in->memo), so
 * what a step created, changed or removed is marked.
 */
#include <stdlib.h>
#include <string.h>

#include "script/interp_int.h"

/* The value as a scenario writes it, in the interpreter's value buffer:
 * valid until the next call. */
static const char *value_text(struct interp *in, const struct value *v)
{
	struct bytebuf *bb = &in->value_text;

	if (v->kind == V_STRUCT)
		return "{...}";
	bb->len = 0;
	bb->failed = 0;
	value_put(bb, v);
	if (bytebuf_put(bb, "", 1) < 0 || bb->failed)
		return NULL;
	return bb->b;
}

static void vars_of(void *ctx, int pid, void (*cb)(void *cbctx, const char *name,
                                                   const char *value), void *cbctx)
{
	struct interp *in = ctx;
	struct var *v, *tmp;

	/* uthash iterates in insertion order: the order of first binding */
	HASH_ITER(hh, in->vars, v, tmp) {
		const char *text;

		if (v->pid != pid || v->v.kind == V_NONE)
			continue;
		text = value_text(in, &v->v);
		if (text != NULL)
			cb(cbctx, v->name, text);
	}
}

void interp_draw_init(struct interp *in)
{
	in->draw_vars.foreach = vars_of;
	in->draw_vars.ctx = in;
}

void interp_render_opts(const struct interp *in, struct render_opts *o, int color)
{
	memset(o, 0, sizeof(*o));
	o->names = &in->names;
	o->vars = &in->draw_vars;
	o->color = color;
}

int interp_draw(struct interp *in, FILE *out, int color)
{
	const struct sim_kernel *k = backend_kernel(in->b);
	struct render_opts o;

	if (k == NULL)
		return 0;
	interp_render_opts(in, &o, color);
	o.since = in->memo;
	render_draw(out, k, &o);
	if (in->memo != NULL)
		render_memo_take(in->memo, k, &o);
	return 1;
}
