/*
 * interp.c - the interpreter's driver: statements in order, the scenario's
 * processes, and the events each statement causes.
 *
 * After every statement the backend's events are drained and printed right
 * after it (`P2: <... msgrcv resumed> = 5 {...}`, `P2: +++ killed by ... +++`);
 * the resumed/ending lines the scenario wrote after that statement are
 * matched against them as a set (docs/scenario-language.md, resumed lines).
 * A step addressed to a blocked or ended process stops the run (exit 2),
 * named a deadlock when every live process is blocked.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipcsim/types.h"
#include "render/strace_buf.h"
#include "script/interp_int.h"

#define RED "\033[31m"
#define CYAN "\033[36m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* interp_stmt.c */
int stmt_run_other(struct interp *in, const struct stmt *st);

int interp_error(struct interp *in, const struct stmt *st, int col, const char *fmt, ...)
{
	va_list ap;
	char msg[512];
	const struct stmt *at = st != NULL ? st : in->s->stmts[in->cur];

	if (in->stopped)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(in->out);
	script_diag(in->err, in->s, at->line, col < 1 ? 1 : col, "error", "%s", msg);
	in->stopped = 1;
	in->error_line = at->line;
	in->error_col = col < 1 ? 1 : col;
	snprintf(in->error, sizeof(in->error), "%s", msg);
	return -1;
}

void interp_note_failure(struct interp *in, const struct stmt *st, int col, const char *why)
{
	in->failed++;
	if (in->first_failed_line == 0 || st->line < in->first_failed_line)
		in->first_failed_line = st->line;
	fprintf(in->out, "%s%s:%d:%d: failed: %s%s\n", in->color ? RED : "", in->s->file_name,
	        st->line, col, why, in->color ? RESET : "");
}

/* The hint slot of a name, among n (a power of two): from its first 16
 * characters, not its address, since a streamed run parses each line into
 * memory the next group reuses (the same name, a new address every line). */
static unsigned hint_slot(const char *name, unsigned n)
{
	uint64_t h = 0;

	for (int k = 0; k < 16 && name[k] != '\0'; k++)
		h = (h ^ (unsigned char)name[k]) * 0x100000001B3ULL;
	return (unsigned)((h * 0x9E3779B97F4A7C15ULL) >> 40) & (n - 1);
}

struct var *interp_var(struct interp *in, const char *name)
{
	struct var **hint = &in->var_hint[hint_slot(name, 32)];
	struct var *v = NULL;

	if (*hint != NULL && strcmp((*hint)->name, name) == 0)
		return *hint;
	HASH_FIND_STR(in->vars, name, v);
	if (v != NULL)
		*hint = v;
	return v;
}

int interp_bind(struct interp *in, const char *name, struct value *val, int pid)
{
	struct var *v = interp_var(in, name);

	if (v == NULL) {
		v = calloc(1, sizeof(*v));
		if (v == NULL || (v->name = strdup(name)) == NULL) {
			free(v);
			value_free(val);
			return interp_error(in, NULL, 1, "out of memory");
		}
		HASH_ADD_KEYPTR(hh, in->vars, v->name, strlen(v->name), v);
	}
	value_free(&v->v);
	v->v = *val;
	v->pid = pid;
	memset(val, 0, sizeof(*val));
	return 0;
}

struct proc *interp_proc(struct interp *in, const char *name, int create)
{
	struct proc **hint = &in->proc_hint[hint_slot(name, 8)];
	struct proc *p = NULL;
	struct backend_creds c = { in->def_uid, in->def_gid, in->def_uid == 0 ? SIM_CAP_ALL : 0 };

	if (*hint != NULL && strcmp((*hint)->name, name) == 0)
		return *hint;
	HASH_FIND_STR(in->procs, name, p);
	if (p != NULL)
		*hint = p;
	if (p != NULL || !create)
		return p;
	p = calloc(1, sizeof(*p));
	if (p == NULL || (p->name = strdup(name)) == NULL ||
	    in->b->ops->proc_new(in->b->ctx, &c, &p->pid) < 0) {
		free(p != NULL ? p->name : NULL);
		free(p);
		interp_error(in, NULL, 1, "cannot create process %s", name);
		return NULL;
	}
	interp_proc_add(in, p);
	return p;
}

struct proc *interp_proc_by_pid(struct interp *in, int pid)
{
	struct proc *p;

	HASH_FIND(hh_pid, in->procs_by_pid, &pid, sizeof(pid), p);
	return p;
}

void interp_proc_add(struct interp *in, struct proc *p)
{
	in->nprocs++; /* checked before the next step (interp_check_limits) */
	HASH_ADD_KEYPTR(hh, in->procs, p->name, strlen(p->name), p);
	HASH_ADD(hh_pid, in->procs_by_pid, pid, sizeof(p->pid), p);
}

/* ---- events --------------------------------------------------------------- */

struct pending {
	struct trace_event te;
	struct actual a;     /* RESUMED */
	int status, sig;     /* EXITED, KILLED */
};

/* Appends pe; the list doubles, so a step that wakes 100,000 sleepers
 * costs linear time. */
static int add_pending(struct interp *in, struct pending **list, int *n, struct pending *pe)
{
	if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4, ...: full */
		struct pending *grown = realloc(*list, (size_t)(*n ? *n * 2 : 1) * sizeof(*grown));

		if (grown == NULL) {
			actual_release(&pe->a);
			free(pe->te.line);
			return interp_error(in, NULL, 1, "out of memory");
		}
		*list = grown;
	}
	(*list)[(*n)++] = *pe;
	return 0;
}

/* The event's line, malloc'd (a pending event keeps it; record stores it). */
static char *event_line(struct interp *in, struct pending *pe)
{
	struct bytebuf *bb = &in->line;
	char *text;

	bb->len = 0;
	bb->failed = 0;
	bytebuf_puts(bb, pe->te.proc);
	bytebuf_put(bb, ": ", 2);
	if (pe->te.kind == ST_RESUMED) {
		strace_put_resumed(bb, pe->te.call, &pe->a.r);
	} else if (pe->te.kind == ST_EXITED) {
		bytebuf_puts(bb, "+++ exited with ");
		strace_put_int(bb, pe->status, 'd');
		bytebuf_puts(bb, " +++");
	} else {
		strace_put_killed(bb, pe->sig);
	}
	if (bb->failed || (text = malloc(bb->len + 1)) == NULL)
		return NULL;
	memcpy(text, bb->b, bb->len);
	text[bb->len] = '\0';
	return text;
}

static int collect_backend_events(struct interp *in, struct pending **list, int *n)
{
	struct backend_event ev;

	while (in->b->ops->event_next(in->b->ctx, &ev) == 1) {
		struct proc *p = interp_proc_by_pid(in, ev.pid);
		struct pending pe;

		memset(&pe, 0, sizeof(pe));
		if (p == NULL) {
			backend_result_release(&ev.r);
			continue; /* not one of ours (cannot happen with the sim backend) */
		}
		pe.te.proc = p->name;
		pe.te.matched = -1;
		if (ev.kind == BACKEND_EV_KILLED) {
			pe.te.kind = ST_KILLED;
			pe.sig = ev.sig;
			p->state = PS_ENDED;
			p->ended_line = in->s->stmts[in->cur]->line;
		} else {
			const struct stmt *bst = p->blocked_at;

			pe.te.kind = ST_RESUMED;
			snprintf(pe.te.call, sizeof(pe.te.call), "%s", ev.call);
			pe.a.r = ev.r;
			p->state = PS_RUNNING;
			p->blocked_at = NULL;
			if (bst != NULL && (call_take_payload(in, bst, &pe.a) < 0 ||
			                    call_bind(in, bst, &pe.a) < 0)) {
				actual_release(&pe.a);
				return -1;
			}
		}
		pe.te.line = event_line(in, &pe);
		if (add_pending(in, list, n, &pe) < 0)
			return -1;
	}
	return 0;
}

/* The scenario's resumed/ending lines after statement i, matched as a set. */
static void match_events(struct interp *in, int i, struct pending *list, int n)
{
	int lo = 0; /* every event before lo is matched: lines usually come in
	               the order of the events, so the search stays linear */

	for (int j = i + 1; j < in->s->nstmts; j++) {
		const struct stmt *st = in->s->stmts[j];
		int found = -1;

		if (st->kind != ST_RESUMED && st->kind != ST_EXITED && st->kind != ST_KILLED)
			break;
		while (lo < n && list[lo].te.matched >= 0)
			lo++;
		for (int k = lo; k < n && found < 0; k++)
			if (list[k].te.matched < 0 && list[k].te.kind == st->kind &&
			    strcmp(list[k].te.proc, st->proc) == 0 &&
			    (st->kind != ST_RESUMED || strcmp(list[k].te.call, st->call->name) == 0))
				found = k;
		if (found < 0) {
			char why[256];

			snprintf(why, sizeof(why), "expected this line after line %d, but %s did not %s "
			         "there", in->s->stmts[i]->line, st->proc,
			         st->kind == ST_RESUMED ? "resume" : "end");
			interp_note_failure(in, st, st->col, why);
			continue;
		}
		list[found].te.matched = j;
		if (st->kind == ST_RESUMED) {
			char *why = NULL;
			int ok = expect_check(in, st, &st->expect, &list[found].a, &why);

			if (ok < 0)
				return;
			if (st->expect.kind == XP_NONE || st->expect.kind == XP_HOLE) {
				/* not an expectation */
			} else if (ok) {
				in->passed++;
				list[found].te.held = 1;
			} else {
				char msg[1024];
				const char *text = script_line(in->s, st->line);

				snprintf(msg, sizeof(msg), "expected '%.*s', got '%s'%s%s%s",
				         (int)(st->expect.end - st->expect.start), text + st->expect.start,
				         strchr(list[found].te.line, '>') + 2, why ? " (" : "",
				         why ? why : "", why ? ")" : "");
				interp_note_failure(in, st, st->expect.col, msg);
			}
			free(why);
		} else if ((st->kind == ST_EXITED && st->status != list[found].status) ||
		           (st->kind == ST_KILLED && st->sig != list[found].sig)) {
			char msg[512];

			snprintf(msg, sizeof(msg), "got '%s'", list[found].te.line);
			interp_note_failure(in, st, st->col, msg);
		} else {
			in->passed++;
			list[found].te.held = 1;
		}
	}
}

static int drain_events(struct interp *in, int i, struct pending *self)
{
	struct pending *list = NULL;
	int n = 0, rc = 0;

	if (self != NULL && add_pending(in, &list, &n, self) < 0)
		return -1;
	if (collect_backend_events(in, &list, &n) < 0)
		rc = -1;
	if (i < 0 && rc == 0) /* a program step: no source lines of its events */
		rc = 1;
	if (n > 0 && !in->quiet) {
		/* the events' lines, written together */
		struct bytebuf *bb = &in->line;

		bb->len = 0;
		bb->failed = 0;
		for (int k = 0; k < n; k++) {
			if (list[k].te.line == NULL)
				continue;
			if (in->color)
				bytebuf_puts(bb, CYAN);
			bytebuf_puts(bb, list[k].te.line);
			if (in->color)
				bytebuf_puts(bb, RESET);
			bytebuf_putc(bb, '\n');
		}
		if (!bb->failed && bb->len > 0)
			fwrite(bb->b, 1, bb->len, in->out);
	}
	for (int k = 0; k < n && in->note != NULL; k++)
		step_note_event(in, list[k].te.kind == ST_RESUMED  ? SCRIPT_EV_RESUMED
		                    : list[k].te.kind == ST_EXITED ? SCRIPT_EV_EXITED
		                                                   : SCRIPT_EV_KILLED,
		                list[k].te.proc, list[k].te.call, &list[k].a, list[k].status,
		                list[k].sig, list[k].te.line);
	if (rc == 0)
		match_events(in, i, list, n);
	if (rc == 1)
		rc = 0;
	for (int k = 0; k < n; k++) {
		actual_release(&list[k].a);
		if (in->trace != NULL && rc == 0 && i >= 0) {
			struct trace_stmt *ts = &in->trace[i];
			struct trace_event *grown = realloc(ts->ev, (size_t)(ts->nev + 1) * sizeof(*grown));

			if (grown != NULL) {
				ts->ev = grown;
				ts->ev[ts->nev++] = list[k].te;
				continue;
			}
		}
		free(list[k].te.line);
	}
	free(list);
	return rc;
}

/* ---- steps ---------------------------------------------------------------- */

/* "; P1, P3 can run: 'P1: getpid()'": the processes that can take st
 * instead, in the order they were made, with st written for the first
 * (written into buf; "" when none can). */
static const char *runnable_hint(struct interp *in, const struct stmt *st, char *buf,
                                 size_t size)
{
	struct proc *q, *tmp;
	const char *first = NULL;
	FILE *w = fmemopen(buf, size, "w");

	if (w == NULL)
		return "";
	HASH_ITER(hh, in->procs, q, tmp) {
		if (q->state != PS_RUNNING)
			continue;
		fprintf(w, "%s%s", first == NULL ? "; " : ", ", q->name);
		if (first == NULL)
			first = q->name;
	}
	if (first != NULL) {
		fprintf(w, " can run");
		if (st->kind == ST_CALL) {
			fprintf(w, ": '%s: ", first);
			print_call_to(w, st);
			fputc('\'', w);
		}
	}
	if (fclose(w) != 0 || first == NULL)
		return "";
	return buf;
}

static int report_unrunnable(struct interp *in, const struct stmt *st, struct proc *p)
{
	struct proc *q, *tmp;
	int live = 0, blocked = 0;
	char hint[256];

	if (p->state == PS_ENDED)
		return interp_error(in, st, st->proc_col, "%s has ended (line %d); it can take no "
		                    "more steps%s", p->name, p->ended_line,
		                    runnable_hint(in, st, hint, sizeof(hint)));
	HASH_ITER(hh, in->procs, q, tmp) {
		live += q->state != PS_ENDED;
		blocked += q->state == PS_BLOCKED;
	}
	if (live != blocked)
		return interp_error(in, st, st->proc_col, "%s is blocked in %s since line %d%s",
		                    p->name, p->blocked_at->call->name, p->blocked_at->line,
		                    runnable_hint(in, st, hint, sizeof(hint)));
	interp_error(in, st, st->proc_col, "deadlock: every live process is blocked");
	HASH_ITER(hh, in->procs, q, tmp) {
		if (q->state != PS_BLOCKED)
			continue;
		fprintf(in->err, "  %s: ", q->name);
		print_call_to(in->err, q->blocked_at);
		fprintf(in->err, " <unfinished ...>   (line %d)\n", q->blocked_at->line);
	}
	return -1;
}

static void note_expect_failure(struct interp *in, const struct stmt *st, const char *got,
                                const char *why)
{
	const char *text = script_line(in->s, st->line);
	char *msg = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&msg, &len);

	if (w == NULL)
		return;
	fprintf(w, "expected '%.*s', got '%s'", (int)(st->expect.end - st->expect.start),
	        text + st->expect.start, got[0] != '\0' ? got : "no result");
	if (why != NULL)
		fprintf(w, " (%s)", why);
	fclose(w);
	interp_note_failure(in, st, st->expect.col, msg);
	free(msg);
}

/* A step's line starts in the interpreter's line buffer: `P1: ` (the name
 * in bold on a terminal, when bold). */
static inline struct bytebuf *line_begin(struct interp *in, const char *proc, int bold)
{
	struct bytebuf *bb = &in->line;

	bb->len = 0;
	bb->failed = 0;
	if (bold)
		bytebuf_puts(bb, BOLD);
	bytebuf_puts(bb, proc);
	bytebuf_putc(bb, ':');
	if (bold)
		bytebuf_puts(bb, RESET);
	bytebuf_putc(bb, ' ');
	return bb;
}

/* ... and goes to out in one write. */
static inline void line_end(struct interp *in, struct bytebuf *bb)
{
	bytebuf_putc(bb, '\n');
	if (!bb->failed)
		fwrite(bb->b, 1, bb->len, in->out);
}

/* Writes `P1: call(args) = result` (colours on a terminal) to out in one
 * call: the line is built in the interpreter's line buffer. */
static void print_step_line(struct interp *in, const struct stmt *st, const char *res,
                            size_t res_len)
{
	struct bytebuf *bb = line_begin(in, st->proc, in->color);

	print_call(bb, st);
	if (res_len > 0)
		bytebuf_putc(bb, ' ');
	bytebuf_put(bb, res, res_len);
	line_end(in, bb);
}

static int run_call(struct interp *in, int i, const struct stmt *st)
{
	struct proc *p = interp_proc(in, st->proc, 1);
	struct actual a;
	struct pending self;
	unsigned long serial;
	const char *res;
	char *why = NULL, *end;
	int ok;

	if (p == NULL)
		return -1;
	if (p->state != PS_RUNNING)
		return report_unrunnable(in, st, p);
	step_note_args(in, st);
	serial = interp_why_serial(in);
	if (call_perform(in, st, p, &a) < 0) {
		actual_release(&a);
		return -1;
	}
	/* Nothing to print, check or record (the explorer's runs): no text. */
	if (in->quiet && in->trace == NULL && in->note == NULL &&
	    (st->expect.kind == XP_NONE || st->expect.kind == XP_HOLE)) {
		ok = 1;
	} else {
		in->result.len = 0;
		in->result.failed = 0;
		if (!a.no_result)
			strace_put_result(&in->result, st->call->name, &a.r);
		end = bytebuf_room(&in->result, 0); /* and the NUL's byte after it */
		if (end == NULL || in->result.failed) {
			actual_release(&a);
			return interp_error(in, st, 1, "out of memory");
		}
		*end = '\0';
		res = in->result.b;
		if (!in->quiet)
			print_step_line(in, st, res, in->result.len);
		interp_why(in, p->pid, serial);
		ok = expect_check(in, st, &st->expect, &a, &why);
		step_note_result(in, st, p, &a, res, ok);
		if (ok > 0 && st->expect.kind != XP_NONE && st->expect.kind != XP_HOLE)
			in->passed++;
		else if (ok == 0)
			note_expect_failure(in, st, res, why);
		free(why);
		if (in->trace != NULL && i >= 0) {
			in->trace[i].held = ok > 0 && st->expect.kind != XP_NONE && st->expect.kind != XP_HOLE;
			in->trace[i].result = res[0] != '\0' ? strdup(res) : NULL;
		}
	}
	if (ok < 0 || call_bind(in, st, &a) < 0) {
		actual_release(&a);
		return -1;
	}
	if (a.r.blocked) {
		p->state = PS_BLOCKED;
		p->blocked_at = st;
		in->nblocked++;
	}
	self.te.line = NULL; /* the rest is set for an event only: it is large */
	if ((st->call->flags & CALL_ENDS_PROCESS) && a.r.ret == 0) {
		long long status = 0;

		memset(&self, 0, sizeof(self));
		eval_int(in, st->args[0], &status);
		p->state = PS_ENDED;
		p->ended_line = st->line;
		self.te.proc = p->name;
		self.te.kind = ST_EXITED;
		self.te.matched = -1;
		self.status = (int)(status & 0xff);
		self.te.line = event_line(in, &self);
	} else if (a.r.killed) {
		/* The call killed its own process (SIGSEGV): it ends here, and its
		 * death is printed before what the death caused (undo wake-ups). */
		memset(&self, 0, sizeof(self));
		p->state = PS_ENDED;
		p->ended_line = st->line;
		self.te.proc = p->name;
		self.te.kind = ST_KILLED;
		self.te.matched = -1;
		self.sig = a.r.killed;
		self.te.line = event_line(in, &self);
	}
	actual_release(&a);
	return drain_events(in, i, self.te.line != NULL ? &self : NULL);
}

/* The dotted path of an EX_FIELD chain ("msg_perm.mode") into path, and the
 * expression at its root; NULL when the path does not fit. */
const struct expr *interp_field_path(const struct expr *e, char *path, size_t size)
{
	path[0] = '\0';
	while (e->kind == EX_FIELD) {
		char tmp[256];

		if (snprintf(tmp, sizeof(tmp), "%s%s%s", e->text, path[0] ? "." : "", path) >=
		    (int)sizeof(tmp) || strlen(tmp) >= size)
			return NULL;
		memcpy(path, tmp, strlen(tmp) + 1);
		e = e->a;
	}
	return e;
}

static int run_setfield(struct interp *in, const struct stmt *st)
{
	const struct expr *base = st->target;
	char path[256] = "";
	struct var *v;
	struct value val;
	struct proc *p = interp_proc(in, st->proc, 1);
	struct bytebuf *bb;

	if (p == NULL)
		return -1;
	if (p->state != PS_RUNNING)
		return report_unrunnable(in, st, p);
	base = interp_field_path(st->target, path, sizeof(path));
	if (base == NULL)
		return interp_error(in, st, st->target->col, "field path too long");
	v = interp_var(in, base->text);
	if (v == NULL || (v->v.kind != V_STRUCT && v->v.kind != V_MSG))
		return interp_error(in, st, base->col, "'%s' does not hold a struct here", base->text);
	if (eval(in, st->value, &val) < 0)
		return -1;
	if (v->v.kind == V_MSG) {
		if (strcmp(path, "mtype") == 0 && val.kind == V_INT) {
			v->v.i = val.i;
		} else if (strcmp(path, "mtext") == 0 && val.kind == V_STR) {
			free(v->v.bytes);
			v->v.bytes = val.bytes;
			v->v.len = val.len;
			val.bytes = NULL;
		} else {
			value_free(&val);
			return interp_error(in, st, st->target->col, "a message has mtype and mtext");
		}
	} else if (value_field(&v->v, path) == NULL) {
		value_free(&val);
		return interp_error(in, st, st->target->col, "'%s' has no field '%s'", base->text, path);
	} else if (value_set_field(&v->v, path, &val) < 0) {
		value_free(&val);
		return interp_error(in, st, st->target->col, "out of memory");
	}
	value_free(&val);
	bb = line_begin(in, st->proc, 0);
	print_expr(bb, st->target, 0);
	bytebuf_put(bb, " = ", 3);
	print_expr(bb, st->value, 0);
	line_end(in, bb);
	return 0;
}

/* "= 150": a value as the result of an assignment (malloc'd; NULL). */
static char *result_text(const struct value *v)
{
	struct bytebuf bb = { 0 };

	bytebuf_put(&bb, "= ", 2);
	value_put(&bb, v);
	if (bb.failed || bytebuf_put(&bb, "", 1) < 0) {
		bytebuf_free(&bb);
		return NULL;
	}
	return bb.b;
}

/* `P1: r = r + 50`: the value bound, printed as its result. */
static int run_assign(struct interp *in, int i, const struct stmt *st)
{
	struct proc *p = interp_proc(in, st->proc, 1);
	struct value val;
	int ok = 1;

	if (p == NULL)
		return -1;
	if (p->state != PS_RUNNING)
		return report_unrunnable(in, st, p);
	if (eval(in, st->value, &val) < 0)
		return -1;
	if (!in->quiet) {
		struct bytebuf *bb = line_begin(in, st->proc, in->color);

		bytebuf_puts(bb, st->bind);
		bytebuf_put(bb, " = ", 3);
		print_expr(bb, st->value, 0);
		bytebuf_put(bb, " = ", 3);
		value_put(bb, &val);
		line_end(in, bb);
	}
	if (in->trace != NULL && i >= 0)
		in->trace[i].result = result_text(&val);
	if (st->expect.kind == XP_RESULT) {
		struct value want;

		if (eval(in, st->expect.ret, &want) < 0) {
			value_free(&val);
			return -1;
		}
		ok = want.kind == val.kind && want.i == val.i &&
		     value_bytes_equal(want.bytes, want.len, val.bytes, val.len);
		value_free(&want);
		if (ok) {
			in->passed++;
			if (in->trace != NULL && i >= 0)
				in->trace[i].held = 1;
		} else {
			char *got = result_text(&val);

			if (got != NULL)
				note_expect_failure(in, st, got, NULL);
			free(got);
		}
	}
	return interp_bind(in, st->bind, &val, p->pid);
}

static void check_invariants(struct interp *in, const struct stmt *st)
{
#ifdef IPCSIM_CHECK_INVARIANTS
	char err[512];

	if (in->b->ops->check != NULL && in->b->ops->check(in->b->ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcsim: INVARIANT BROKEN after %s:%d: %s\n", in->s->file_name,
		        st->line, err);
		abort();
	}
#else
	(void)in;
	(void)st;
#endif
}

static int draws(const struct stmt *st)
{
	return st->kind == ST_CALL || st->kind == ST_SETFIELD || st->kind == ST_SHELL ||
	       st->kind == ST_LIMIT;
}

static long long monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no system call */
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The step that made one process too many is the one that fails. */
static int procs_over(struct interp *in, const struct stmt *st)
{
	long long max = in->s->limits.max_procs;

	if (max > 0 && in->nprocs > max)
		return interp_error(in, st, 1, "the run reached its limit of %lld processes "
		                    "(--max-procs)", max);
	return 0;
}

int interp_check_limits(struct interp *in, const struct stmt *st)
{
	const struct script_limits *l = &in->s->limits;

	if (l->max_steps > 0 && in->steps >= l->max_steps)
		return interp_error(in, st, 1, "the run reached its limit of %lld steps (--max-steps)",
		                    l->max_steps);
	if (procs_over(in, st) < 0)
		return -1;
	if (l->max_seconds > 0) {
		if (in->deadline_ms == 0)
			in->deadline_ms = monotonic_ms() + l->max_seconds * 1000;
		else if (monotonic_ms() > in->deadline_ms) /* every step: one may take long */
			return interp_error(in, st, 1, "the run reached its limit of %lld seconds "
			                    "(--max-time)", l->max_seconds);
	}
	return 0;
}

int interp_run_stmt(struct interp *in, int i)
{
	const struct stmt *st = in->s->stmts[i];
	int rc;

	if (in->stopped)
		return -1;
	in->cur = i;
	if (st->kind != ST_RESUMED && st->kind != ST_EXITED && st->kind != ST_KILLED &&
	    interp_check_limits(in, st) < 0)
		return -1;
	if (in->b->ops->step_begin != NULL && st->kind != ST_RESUMED &&
	    st->kind != ST_EXITED && st->kind != ST_KILLED)
		in->b->ops->step_begin(in->b->ctx, st->line, script_line(in->s, st->line), &in->names);
	switch (st->kind) {
	case ST_RESUMED:
	case ST_EXITED:
	case ST_KILLED:
		return 1; /* matched after the statement before them */
	case ST_CALL:
		rc = run_call(in, i, st);
		break;
	case ST_SETFIELD:
		rc = run_setfield(in, st);
		break;
	case ST_ASSIGN:
		rc = run_assign(in, i, st);
		break;
	case ST_PROGRAM:
		/* A session runs statement by statement: the section runs whole,
		 * by its schedule, at its first program. */
		rc = 0;
		if (in->sec == NULL && (i == 0 || in->s->stmts[i - 1]->kind != ST_PROGRAM))
			rc = interp_run_section(in, i);
		return rc < 0 ? -1 : 0;
	default:
		rc = stmt_run_other(in, st);
		if (rc == 0 && (st->kind == ST_SHELL || st->kind == ST_LIMIT))
			rc = drain_events(in, i, NULL);
		break;
	}
	if (rc < 0 || procs_over(in, st) < 0)
		return -1;
	if (in->trace != NULL)
		in->trace[i].ran = 1;
	in->steps++;
	step_note_emit(in, st);
	check_invariants(in, st);
	if (in->show == SCRIPT_SHOW_EACH && draws(st))
		interp_draw(in, in->out, in->color);
	return 0;
}

int interp_exec_program_step(struct interp *in, const struct stmt *st)
{
	int rc;

	if (interp_check_limits(in, st) < 0)
		return -1;
	if (in->b->ops->step_begin != NULL)
		in->b->ops->step_begin(in->b->ctx, st->line, in->s->lines[st->line - 1], &in->names);
	in->program_step = 1;
	rc = st->kind == ST_CALL ? run_call(in, -1, st)
	     : st->kind == ST_ASSIGN ? run_assign(in, -1, st)
	                             : run_setfield(in, st);
	in->program_step = 0;
	if (rc < 0 || procs_over(in, st) < 0)
		return -1;
	in->steps++;
	step_note_emit(in, st);
	check_invariants(in, st);
	if (in->show == SCRIPT_SHOW_EACH)
		interp_draw(in, in->out, in->color);
	return 0;
}

int interp_run(struct interp *in)
{
	int rc;

	while ((rc = interp_advance(in)) > 0) {
		int k = sched_pick(in);

		if (k < 0 || interp_prog_step(in, k) < 0)
			break;
	}
	section_free(in);
	return in->stopped ? SCRIPT_EXIT_ERROR : in->failed > 0 ? SCRIPT_EXIT_FAILED : SCRIPT_EXIT_OK;
}

static void list_blocked(struct interp *in)
{
	struct proc *p, *tmp;

	HASH_ITER(hh, in->procs, p, tmp) {
		if (p->state != PS_BLOCKED)
			continue;
		fprintf(in->out, "# still blocked: %s in %s (line %d)\n", p->name,
		        p->blocked_at->call->name, p->blocked_at->line);
	}
}

void interp_finish(struct interp *in, const struct script_options *o, struct script_stats *stats)
{
	if (!in->stopped) {
		if (in->show == SCRIPT_SHOW_END)
			interp_draw(in, in->out, in->color);
		list_blocked(in);
	}
	if (!(o != NULL && o->quiet_summary))
		fprintf(in->out, "%d passed, %d failed\n", in->passed, in->failed);
	if (stats != NULL) {
		stats->passed = in->passed;
		stats->failed = in->failed;
		stats->steps = in->steps;
		stats->error_line = in->error_line;
		stats->error_col = in->error_col;
		snprintf(stats->error, sizeof(stats->error), "%s", in->error);
	}
}

int script_run(const struct script *s, const struct script_options *o, struct script_stats *stats)
{
	struct interp in;
	int rc;

	interp_init(&in, s, o);
	if (in.b == NULL) {
		fprintf(in.err, "ipcsim: out of memory\n");
		interp_fini(&in);
		return SCRIPT_EXIT_ERROR;
	}
	rc = interp_run(&in);
	interp_finish(&in, o, stats);
	interp_fini(&in);
	return rc;
}
