/*
 * interp_step.c - what the on_step observer of script_options is told
 * (`ipcsim trace`): the step, its arguments with variables resolved, its
 * result, and the events it caused.
 *
 * The interpreter fills a struct step_note while it runs a statement
 * (step_note_args before the call, step_note_result after it, one
 * step_note_event per printed event, step_note_output for `$` commands) and
 * interp_run_stmt hands it to the observer with step_note_emit, then clears
 * it.  Nothing here is allocated unless an observer is set (in->note is NULL
 * then and every function returns at once), so `ipcsim run` pays nothing.
 *
 * Resolving never evaluates through eval(): an unknown name or field is
 * printed as written, so the observer can never stop a run.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/backend.h"
#include "script/interp_int.h"

struct step_note {
	struct script_step_info info;
	char **args;
	int nargs;
	char *result;
	struct value msg;           /* the step's received message, V_MSG or V_NONE */
	struct script_event *events;
	struct value *event_msgs;   /* one per event: the message of a resumed msgrcv */
	char **event_texts;
	int nevents;
	char *output;
};

static void print_resolved(FILE *out, struct interp *in, const struct expr *e, int as_message);

static const struct value *resolve_field(struct interp *in, const struct expr *e)
{
	char path[256];
	const struct expr *base;
	struct var *v;

	base = interp_field_path(e, path, sizeof(path));
	if (base == NULL || base->kind != EX_NAME || (v = interp_var(in, base->text)) == NULL)
		return NULL;
	if (v->v.kind != V_STRUCT)
		return NULL; /* m.mtype / m.mtext: print_msg_field */
	return value_field(&v->v, path);
}

static void print_items(FILE *out, struct interp *in, const struct expr *e, int as_message)
{
	static const char *const msg_names[] = { "mtype", "mtext" };

	for (int i = 0; i < e->nitems; i++) {
		const struct expr *it = e->items[i];

		if (i > 0)
			fputs(", ", out);
		if (it->fname != NULL)
			fprintf(out, "%s=", it->fname);
		else if (as_message && e->nitems == 2)
			fprintf(out, "%s=", msg_names[i]);
		print_resolved(out, in, it, 0);
	}
}

/* A message field (m.mtype, m.mtext) of a bound message, or 0. */
static int print_msg_field(FILE *out, struct interp *in, const struct expr *e)
{
	struct var *v;

	if (e->a == NULL || e->a->kind != EX_NAME || (v = interp_var(in, e->a->text)) == NULL ||
	    v->v.kind != V_MSG)
		return 0;
	if (strcmp(e->text, "mtype") == 0) {
		fprintf(out, "%lld", v->v.i);
		return 1;
	}
	if (strcmp(e->text, "mtext") == 0) {
		strace_print_string(out, v->v.bytes, v->v.len, 1);
		return 1;
	}
	return 0;
}

static void print_resolved(FILE *out, struct interp *in, const struct expr *e, int as_message)
{
	const struct value *val;
	struct var *v;

	switch (e->kind) {
	case EX_NAME:
		v = interp_var(in, e->text);
		if (v != NULL && (v->v.kind == V_INT || v->v.kind == V_STR || v->v.kind == V_MSG))
			value_print(out, &v->v);
		else
			print_expr_to(out, e, 0);
		break;
	case EX_FIELD:
		if (print_msg_field(out, in, e))
			break;
		val = resolve_field(in, e);
		if (val != NULL && (val->kind == V_INT || val->kind == V_STR))
			value_print(out, val);
		else
			print_expr_to(out, e, 0);
		break;
	case EX_BINOP:
		print_resolved(out, in, e->a, 0);
		fprintf(out, e->op[0] == '|' ? "|" : " %c ", e->op[0]);
		print_resolved(out, in, e->b, 0);
		break;
	case EX_NEG:
		fputc('-', out);
		print_resolved(out, in, e->a, 0);
		break;
	case EX_STRUCT:
		fputc('{', out);
		print_items(out, in, e, as_message);
		fputc('}', out);
		break;
	case EX_ARRAY:
		fputc('[', out);
		print_items(out, in, e, 0);
		fputc(']', out);
		break;
	case EX_CMP:
		print_resolved(out, in, e->a, 0);
		fprintf(out, " %s ", e->op);
		print_resolved(out, in, e->b, 0);
		break;
	default:
		print_expr_to(out, e, as_message);
		break;
	}
}

int step_note_new(struct interp *in)
{
	in->note = calloc(1, sizeof(*in->note));
	return in->note != NULL ? 0 : -1;
}

static void note_clear(struct step_note *n)
{
	for (int i = 0; i < n->nargs; i++)
		free(n->args[i]);
	free(n->args);
	free(n->result);
	value_free(&n->msg);
	for (int i = 0; i < n->nevents; i++) {
		value_free(&n->event_msgs[i]);
		free(n->event_texts[i]);
	}
	free(n->events);
	free(n->event_msgs);
	free(n->event_texts);
	free(n->output);
	memset(n, 0, sizeof(*n));
}

void step_note_free(struct interp *in)
{
	if (in->note == NULL)
		return;
	note_clear(in->note);
	free(in->note);
	in->note = NULL;
}

void step_note_args(struct interp *in, const struct stmt *st)
{
	struct step_note *n = in->note;
	int sends_msg = st->call->flags & CALL_ARG1_MESSAGE;

	if (n == NULL)
		return;
	n->args = calloc((size_t)st->nargs + 1, sizeof(*n->args));
	if (n->args == NULL)
		return;
	/* Each argument is printed into the interpreter's scratch buffer (no
	 * 8 KiB memstream per argument), then copied. */
	for (int i = 0; i < st->nargs; i++) {
		const char *text;

		print_resolved(scratch_begin(&in->line_text), in, st->args[i], sends_msg && i == 1);
		text = scratch_end(&in->line_text, NULL);
		if (text == NULL || (n->args[i] = strdup(text)) == NULL)
			break;
		n->nargs = i + 1;
	}
}

void step_note_result(struct interp *in, const struct stmt *st, const struct proc *p,
                      const struct actual *a, const char *res, int ok)
{
	struct step_note *n = in->note;

	if (n == NULL)
		return;
	n->info.has_result = !a->no_result;
	n->info.blocked = a->r.blocked;
	n->info.ret = a->r.ret;
	n->info.err = a->r.err;
	n->info.why_code = in->why_code[0] != '\0' ? in->why_code : NULL;
	n->info.why = in->why_code[0] != '\0' ? in->why : NULL;
	n->result = strdup(res);
	n->info.expect = st->expect.kind == XP_NONE || st->expect.kind == XP_HOLE ? 0
	                 : ok > 0                                                 ? 1
	                                                                          : -1;
	if (a->payload.kind == V_MSG && value_copy(&n->msg, &a->payload) == 0) {
		n->info.has_msg = 1;
		n->info.mtype = (long)n->msg.i;
		n->info.mtext = n->msg.bytes;
		n->info.mlen = n->msg.len;
	}
	if (a->r.blocked)
		step_note_event(in, SCRIPT_EV_BLOCKED, p->name, st->call->name, NULL, 0, 0, NULL);
}

void step_note_event(struct interp *in, enum script_event_kind kind, const char *proc,
                     const char *call, const struct actual *a, int status, int sig,
                     const char *text)
{
	struct step_note *n = in->note;
	struct script_event *ev;
	struct value *msgs;
	char **texts;
	const struct proc *p;

	if (n == NULL)
		return;
	ev = realloc(n->events, (size_t)(n->nevents + 1) * sizeof(*ev));
	if (ev != NULL)
		n->events = ev;
	msgs = realloc(n->event_msgs, (size_t)(n->nevents + 1) * sizeof(*msgs));
	if (msgs != NULL)
		n->event_msgs = msgs;
	texts = realloc(n->event_texts, (size_t)(n->nevents + 1) * sizeof(*texts));
	if (texts != NULL)
		n->event_texts = texts;
	if (ev == NULL || msgs == NULL || texts == NULL)
		return;
	ev = &n->events[n->nevents];
	memset(ev, 0, sizeof(*ev));
	memset(&n->event_msgs[n->nevents], 0, sizeof(*msgs));
	n->event_texts[n->nevents] = text != NULL ? strdup(text) : NULL;
	p = interp_proc(in, proc, 0);
	ev->kind = kind;
	ev->proc = p != NULL ? p->name : NULL;
	ev->pid = p != NULL ? p->pid : 0;
	if (call != NULL && call[0] != '\0' && call_lookup(call) != NULL)
		ev->call = call_lookup(call)->name; /* a static name: call may be a temporary */
	ev->status = status;
	ev->sig = sig;
	ev->text = n->event_texts[n->nevents];
	if (a != NULL) {
		ev->ret = a->r.ret;
		ev->err = a->r.err;
		if (a->payload.kind == V_MSG &&
		    value_copy(&n->event_msgs[n->nevents], &a->payload) == 0) {
			ev->has_msg = 1;
			ev->mtype = (long)n->event_msgs[n->nevents].i;
			ev->mtext = n->event_msgs[n->nevents].bytes;
			ev->mlen = n->event_msgs[n->nevents].len;
		}
	}
	n->nevents++;
}

void step_note_output(struct interp *in, char *const *lines, int nlines)
{
	struct step_note *n = in->note;
	size_t len = 0;
	FILE *w;

	if (n == NULL || (w = open_memstream(&n->output, &len)) == NULL)
		return;
	for (int k = 0; k < nlines; k++)
		fprintf(w, "%s\n", lines[k]);
	fclose(w);
}

static const char *step_kind(enum stmt_kind k)
{
	switch (k) {
	case ST_CALL: return "call";
	case ST_SETFIELD:
	case ST_ASSIGN: return "set"; /* a variable or a field set, no call */
	case ST_SHELL: return "shell";
	case ST_LIMIT: return "limit";
	case ST_FILE: return "file";
	case ST_USER: return "user";
	case ST_GROUP: return "group";
	case ST_PROCESS: return "process";
	default: return "show";
	}
}

void step_note_emit(struct interp *in, const struct stmt *st)
{
	struct step_note *n = in->note;
	struct script_step_info *info;
	const struct proc *p;

	if (n == NULL || in->on_step == NULL)
		return;
	info = &n->info;
	info->step = in->steps;
	info->line = st->line;
	info->text = script_line(in->s, st->line);
	info->kind = step_kind(st->kind);
	if (st->kind == ST_CALL || st->kind == ST_SETFIELD || st->kind == ST_ASSIGN ||
	    st->kind == ST_PROCESS) {
		p = interp_proc(in, st->proc, 0);
		info->proc = st->proc;
		info->pid = p != NULL ? p->pid : 0;
	}
	if (st->kind == ST_ASSIGN) {
		/* Local arithmetic: the name and the value it now holds ("= 150"). */
		struct var *v = interp_var(in, st->bind);
		size_t len = 0;
		FILE *w = v != NULL ? open_memstream(&n->result, &len) : NULL;

		info->bind = st->bind;
		if (w != NULL) {
			fputs("= ", w);
			value_print(w, &v->v);
			if (fclose(w) == 0)
				info->result = n->result;
		}
	}
	if (st->kind == ST_CALL) {
		info->call = st->call->name;
		info->bind = st->bind;
		info->nargs = n->nargs;
		info->args = (const char *const *)n->args;
		info->result = n->result != NULL ? n->result : "";
	}
	info->output = n->output;
	info->nevents = n->nevents;
	info->events = n->events;
	info->backend = in->b;
	info->names = &in->names;
	info->vars = &in->draw_vars;
	in->on_step(in->step_ctx, info);
	note_clear(n);
}
