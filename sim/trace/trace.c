/*
 * trace.c - `ipcsim trace`: runs a scenario with an on_step observer and
 * writes its trace, one JSON object per line (docs/trace-format.md):
 *
 *   {"type":"header", "format":"ipcsim-trace", "version":1, "source":[...], "state":{...}}
 *   {"type":"step", "step":1, "line":3, ..., "events":[...], "changes":{...}, "state":{...}}
 *   ...
 *   {"type":"end", "steps":N, "exit":0, "passed":P, "failed":F}
 *   (with "error":{"line":L, "col":C, "message":"..."} after a runtime error)
 *
 * Each line is built, written and freed before the next step runs; only the
 * previous snapshot is kept (to compute "changes"), so memory does not grow
 * with the number of steps.  For the HTML page the same lines go inside a
 * <script> block, with every '<' written as \u003c so no "</script>" or
 * "<!--" can end or confuse it (a '<' can only occur inside JSON strings).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/backend.h"
#include "ipcsim/script.h"
#include "ipcsim/trace.h"
#include "trace/trace_int.h"

struct trace_writer {
	FILE *out;
	int html;                 /* escape '<' (inside <script>) */
	struct json_object *prev; /* the state after the last step */
	int failed;               /* out of memory or a write error */
	char *buf;                /* resolved_json's text */
	size_t cap;
};

static void write_line(struct trace_writer *t, struct json_object *o)
{
	const char *s;

	if (o == NULL) {
		t->failed = 1;
		return;
	}
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s == NULL) {
		t->failed = 1;
		return;
	}
	if (!t->html) {
		fputs(s, t->out);
	} else {
		for (const char *lt; (lt = strchr(s, '<')) != NULL; s = lt + 1) {
			fwrite(s, 1, (size_t)(lt - s), t->out);
			fputs("\\u003c", t->out);
		}
		fputs(s, t->out);
	}
	if (fputc('\n', t->out) == EOF)
		t->failed = 1;
}

static struct json_object *str_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

static struct json_object *errno_or_null(int ret, int err)
{
	const char *name;

	if (ret != -1 || err == 0)
		return NULL;
	name = strerrorname_np(err);
	return name != NULL ? json_object_new_string(name) : json_object_new_int(err);
}

static struct json_object *message(long mtype, const unsigned char *text, size_t len)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "mtype", json_object_new_int64(mtype));
	json_object_object_add(m, "size", json_object_new_int64((int64_t)len));
	json_object_object_add(m, "text", trace_text(text, len));
	return m;
}

static const char *const event_kinds[] = { "blocked", "woken", "exited", "killed" };

static struct json_object *event_json(const struct script_event *e)
{
	struct json_object *o = json_object_new_object();
	char id[32];

	snprintf(id, sizeof(id), "p%d", e->pid);
	json_object_object_add(o, "kind", json_object_new_string(event_kinds[e->kind]));
	json_object_object_add(o, "proc", json_object_new_string(id));
	json_object_object_add(o, "name", str_or_null(e->proc));
	json_object_object_add(o, "pid", json_object_new_int(e->pid));
	json_object_object_add(o, "call", str_or_null(e->call));
	if (e->kind == SCRIPT_EV_RESUMED) {
		json_object_object_add(o, "ret", json_object_new_int64(e->ret));
		json_object_object_add(o, "errno", errno_or_null((int)e->ret, e->err));
		json_object_object_add(o, "msg", e->has_msg ? message(e->mtype, e->mtext, e->mlen)
		                                            : NULL);
	}
	if (e->kind == SCRIPT_EV_EXITED)
		json_object_object_add(o, "status", json_object_new_int(e->status));
	if (e->kind == SCRIPT_EV_KILLED) {
		const char *abbrev = sigabbrev_np(e->sig);
		char name[32];

		snprintf(name, sizeof(name), "SIG%s", abbrev != NULL ? abbrev : "?");
		json_object_object_add(o, "signal", json_object_new_string(name));
	}
	json_object_object_add(o, "text", str_or_null(e->text));
	return o;
}

/* The kernel's own reason for the result (docs/reason-codes.md), as
 * `ipcsim run --explain` prints it. */
static struct json_object *reason_json(const struct script_step_info *in)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "code", json_object_new_string(in->why_code));
	json_object_object_add(o, "text", str_or_null(in->why));
	return o;
}

static struct json_object *result_json(const struct script_step_info *in)
{
	struct json_object *r = json_object_new_object();

	json_object_object_add(r, "ret", in->blocked ? NULL : json_object_new_int64(in->ret));
	json_object_object_add(r, "errno", in->blocked ? NULL : errno_or_null((int)in->ret, in->err));
	json_object_object_add(r, "blocked", json_object_new_boolean(in->blocked));
	json_object_object_add(r, "text", json_object_new_string(in->result));
	json_object_object_add(r, "msg", in->has_msg ? message(in->mtype, in->mtext, in->mlen)
	                                             : NULL);
	json_object_object_add(r, "reason", in->why_code != NULL ? reason_json(in) : NULL);
	return r;
}

/* "P1: q = msgget(0x41011234, IPC_CREAT|0666)": the step, replayable.
 * Built in the writer's buffer, kept from step to step. */
static struct json_object *resolved_json(struct trace_writer *t, const struct script_step_info *in)
{
	size_t need = strlen(in->proc) + 4 + (in->bind != NULL ? strlen(in->bind) + 3 : 0) +
	              (in->call != NULL ? strlen(in->call) : strlen(in->result)) + 2;
	char *p;

	for (int i = 0; i < in->nargs; i++)
		need += strlen(in->args[i]) + 2;
	if (need > t->cap) {
		char *grown = realloc(t->buf, need);

		if (grown == NULL)
			return NULL;
		t->buf = grown;
		t->cap = need;
	}
	p = t->buf;
	p += sprintf(p, "%s: ", in->proc);
	if (in->call == NULL) /* local arithmetic: its value, bound */
		return json_object_new_string_len(t->buf, (int)(p - t->buf +
		                                  sprintf(p, "%s %s", in->bind, in->result)));
	if (in->bind != NULL)
		p += sprintf(p, "%s = ", in->bind);
	p += sprintf(p, "%s(", in->call);
	for (int i = 0; i < in->nargs; i++)
		p += sprintf(p, "%s%s", i > 0 ? ", " : "", in->args[i]);
	*p++ = ')';
	return json_object_new_string_len(t->buf, (int)(p - t->buf));
}

static struct json_object *output_json(const char *output)
{
	struct json_object *arr = json_object_new_array();

	for (const char *p = output, *nl; p != NULL && *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL) {
			json_object_array_add(arr, json_object_new_string(p));
			break;
		}
		json_object_array_add(arr, json_object_new_string_len(p, (int)(nl - p)));
	}
	return arr;
}

static void on_step(void *ctx, const struct script_step_info *in)
{
	struct trace_writer *t = ctx;
	const struct sim_kernel *k = backend_kernel(in->backend);
	struct json_object *o = json_object_new_object(), *args, *events, *state;
	int is_call = in->call != NULL;

	if (o == NULL || k == NULL) {
		json_object_put(o);
		t->failed = 1;
		return;
	}
	json_object_object_add(o, "type", json_object_new_string("step"));
	json_object_object_add(o, "step", json_object_new_int(in->step));
	json_object_object_add(o, "line", json_object_new_int(in->line));
	json_object_object_add(o, "text", json_object_new_string(in->text));
	json_object_object_add(o, "kind", json_object_new_string(in->kind));
	if (in->pid > 0) {
		char id[32];

		snprintf(id, sizeof(id), "p%d", in->pid);
		json_object_object_add(o, "proc", json_object_new_string(id));
	} else {
		json_object_object_add(o, "proc", NULL);
	}
	json_object_object_add(o, "name", str_or_null(in->proc));
	json_object_object_add(o, "pid", in->pid > 0 ? json_object_new_int(in->pid) : NULL);
	json_object_object_add(o, "call", str_or_null(in->call));
	json_object_object_add(o, "bind", str_or_null(in->bind));
	args = json_object_new_array();
	for (int i = 0; i < in->nargs; i++)
		json_object_array_add(args, json_object_new_string(in->args[i]));
	json_object_object_add(o, "args", args);
	json_object_object_add(o, "resolved", is_call || (in->bind != NULL && in->result != NULL)
	                                          ? resolved_json(t, in) : NULL);
	json_object_object_add(o, "result", is_call && in->has_result ? result_json(in) : NULL);
	json_object_object_add(o, "expect", json_object_new_string(
		in->expect > 0 ? "held" : in->expect < 0 ? "failed" : "none"));
	json_object_object_add(o, "output", in->output != NULL ? output_json(in->output) : NULL);
	events = json_object_new_array();
	for (int i = 0; i < in->nevents; i++)
		json_object_array_add(events, event_json(&in->events[i]));
	json_object_object_add(o, "events", events);
	state = trace_snapshot(k, in->names, in->vars);
	if (state == NULL) {
		json_object_put(o);
		t->failed = 1;
		return;
	}
	json_object_object_add(o, "changes", trace_diff(t->prev, state));
	json_object_object_add(o, "state", json_object_get(state));
	write_line(t, o);
	json_object_put(o);
	json_object_put(t->prev);
	t->prev = state;
}

/* Each source line with its written results left out (null: nothing to
 * leave out): what the page shows of a line not yet run in predict mode. */
static struct json_object *masked_source(const struct script *s, size_t nlines)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < nlines; i++) {
		char *m = script_line_unanswered(s, (int)i + 1);

		json_object_array_add(arr, m != NULL ? json_object_new_string(m) : NULL);
		free(m);
	}
	return arr;
}

static void write_header(struct trace_writer *t, const char *file_name, const char *text,
                         size_t len, const struct sim_kernel *k, const struct script *s)
{
	struct json_object *o = json_object_new_object(), *src = json_object_new_array();
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		if (n > 0 && p[n - 1] == '\r')
			n--;
		json_object_array_add(src, json_object_new_string_len(p, (int)n));
		p = nl != NULL ? nl + 1 : end;
	}
	t->prev = trace_snapshot(k, NULL, NULL);
	json_object_object_add(o, "type", json_object_new_string("header"));
	json_object_object_add(o, "format", json_object_new_string(TRACE_FORMAT_NAME));
	json_object_object_add(o, "version", json_object_new_int(TRACE_FORMAT_VERSION));
	json_object_object_add(o, "file", json_object_new_string(file_name));
	json_object_object_add(o, "source", src);
	json_object_object_add(o, "source_masked",
	                       masked_source(s, src != NULL ? json_object_array_length(src) : 0));
	json_object_object_add(o, "state", json_object_get(t->prev));
	write_line(t, o);
	json_object_put(o);
}

static void write_end(struct trace_writer *t, const struct script_stats *st, int rc)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string("end"));
	json_object_object_add(o, "steps", json_object_new_int(st->steps));
	json_object_object_add(o, "exit", json_object_new_int(rc));
	json_object_object_add(o, "passed", json_object_new_int(st->passed));
	json_object_object_add(o, "failed", json_object_new_int(st->failed));
	if (st->error_line > 0) {
		/* The run stopped on a runtime error: a viewer says where and why. */
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "line", json_object_new_int(st->error_line));
		json_object_object_add(e, "col", json_object_new_int(st->error_col));
		json_object_object_add(e, "message", json_object_new_string(st->error));
		json_object_object_add(o, "error", e);
	}
	write_line(t, o);
	json_object_put(o);
}

int trace_scenario(const char *file_name, const char *text, size_t len,
                   enum trace_format format, FILE *out, FILE *err)
{
	return trace_scenario_limited(file_name, text, len, NULL, format, out, err);
}

int trace_scenario_limited(const char *file_name, const char *text, size_t len,
                           const struct script_limits *limits, enum trace_format format,
                           FILE *out, FILE *err)
{
	return trace_scenario_scheduled(file_name, text, len, limits, NULL, format, out, err);
}

int trace_scenario_scheduled(const char *file_name, const char *text, size_t len,
                             const struct script_limits *limits, const char *schedule,
                             enum trace_format format, FILE *out, FILE *err)
{
	struct script *s = script_parse(file_name, text, len, err);
	struct trace_writer t = { out, format == TRACE_HTML, NULL, 0, NULL, 0 };
	struct script_options o = { 0 };
	struct script_stats st = { 0 };
	FILE *sink = NULL;
	int rc = SCRIPT_EXIT_ERROR;

	if (s == NULL)
		return SCRIPT_EXIT_ERROR;
	if (limits != NULL)
		script_set_limits(s, limits);
	o.backend = backend_sim_new();
	sink = fopen("/dev/null", "w");
	if (o.backend == NULL || sink == NULL) {
		fprintf(err, "ipcsim trace: %s\n", strerror(o.backend == NULL ? ENOMEM : errno));
		goto out_free;
	}
	o.out = sink;
	o.err = err;
	o.quiet_summary = 1;
	o.schedule = schedule;
	o.explain = 1; /* each result's reason (the `# why` lines go to the sink) */
	o.on_step = on_step;
	o.step_ctx = &t;
	if (t.html && trace_html_head(out) < 0)
		t.failed = 1;
	write_header(&t, file_name, text, len, backend_kernel(o.backend), s);
	rc = script_run(s, &o, &st);
	write_end(&t, &st, rc);
	if (t.html && trace_html_tail(out) < 0)
		t.failed = 1;
	if (fflush(out) != 0 || ferror(out))
		t.failed = 1;
	if (t.failed) {
		fprintf(err, "ipcsim trace: cannot write the trace: %s\n",
		        errno != 0 ? strerror(errno) : "out of memory");
		rc = SCRIPT_EXIT_ERROR;
	}
out_free:
	json_object_put(t.prev);
	free(t.buf);
	if (sink != NULL)
		fclose(sink);
	backend_free(&o.backend);
	script_free(&s);
	return rc;
}
