/*
 * trace.c - `ipcsim trace`: runs a scenario with an on_step observer and
 * writes its trace, version 2, one JSON object per line
 * (docs/trace-format.md):
 *
 *   {"type":"header", "format":"ipcsim-trace", "version":2, "keyframe_every":256,
 *    "source":[...], "source_masked":[...], "state":{...}}
 *   {"type":"step", "step":1, "line":3, "kind":"call", ..., "patch":{"set":[...], "del":[...]}}
 *   ...                         every 256th step also with "state":{...} (a keyframe)
 *   {"type":"end", "steps":N, "exit":0, "passed":P, "failed":F}
 *   (with "error":{"line":L, "col":C, "message":"..."} after a runtime error)
 *
 * Each line is written into one buffer and out once, before the next step
 * runs; what is kept between steps is the last text of each live object
 * (trace_patch.c), so memory follows the kernel's state, not the number of
 * steps.  For the HTML page every '<' is written \u003c (trace_buf.c), so
 * no "</script>" or "<!--" in a text can end or confuse the block.
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
	struct tbuf line;          /* the line being written */
	struct trace_patch *patch; /* the state as last written, object by object */
	int keyframe_every;        /* a whole state on every step that is a multiple */
	const char *file_name;     /* the header, written before the first step */
	const struct script *parsed; /* the page's masked source; NULL: streamed run */
	struct tbuf head;          /* streamed: the header, out with the first step */
	int head_pending;
	const char *text;          /* the scenario, and where each of its lines starts */
	size_t *line_at;
	size_t nlines;
	int failed;                /* out of memory or a write error */
};

/* Writes the line and empties the buffer. */
static void flush_line(struct trace_writer *t, int newline)
{
	if (newline)
		tbuf_raw(&t->line, "\n", 1);
	if (t->line.failed)
		t->failed = 1;
	else if (fwrite(t->line.text.b, 1, t->line.text.len, t->out) != t->line.text.len)
		t->failed = 1;
	t->line.text.len = 0;
	t->line.failed = 0;
}

static void put_str(struct tbuf *b, const char *key, const char *s)
{
	tbuf_key(b, key);
	tbuf_str(b, s);
}

static void put_int(struct tbuf *b, const char *key, long long v)
{
	tbuf_key(b, key);
	tbuf_int(b, v);
}

static void put_errno(struct tbuf *b, int ret, int err)
{
	const char *name;

	if (ret != -1 || err == 0)
		return;
	name = strerrorname_np(err);
	if (name != NULL)
		put_str(b, "errno", name);
	else
		put_int(b, "errno", err);
}

static void put_message(struct tbuf *b, long mtype, const unsigned char *text, size_t len)
{
	tbuf_key(b, "msg");
	tbuf_lit(b, "{\"mtype\":");
	tbuf_int(b, mtype);
	tbuf_lit(b, ",\"size\":");
	tbuf_int(b, (long long)len);
	tbuf_key(b, "text");
	tbuf_text(b, text, len);
	tbuf_raw(b, "}", 1);
}

static const char *const event_kinds[] = { "blocked", "woken", "exited", "killed" };

static void put_event(struct tbuf *b, const struct script_event *e)
{
	tbuf_lit(b, "{\"kind\":");
	tbuf_str(b, event_kinds[e->kind]);
	if (e->proc != NULL)
		put_str(b, "name", e->proc);
	put_int(b, "pid", e->pid);
	if (e->call != NULL)
		put_str(b, "call", e->call);
	if (e->kind == SCRIPT_EV_RESUMED) {
		put_int(b, "ret", e->ret);
		put_errno(b, (int)e->ret, e->err);
		if (e->has_msg)
			put_message(b, e->mtype, e->mtext, e->mlen);
	}
	if (e->kind == SCRIPT_EV_EXITED)
		put_int(b, "status", e->status);
	if (e->kind == SCRIPT_EV_KILLED) {
		const char *abbrev = sigabbrev_np(e->sig);
		char name[32];

		snprintf(name, sizeof(name), "SIG%s", abbrev != NULL ? abbrev : "?");
		put_str(b, "signal", name);
	}
	if (e->text != NULL)
		put_str(b, "text", e->text);
	tbuf_raw(b, "}", 1);
}

static void put_result(struct tbuf *b, const struct script_step_info *in)
{
	tbuf_key(b, "result");
	tbuf_raw(b, "{", 1);
	if (in->blocked) {
		tbuf_key(b, "blocked");
		tbuf_lit(b, "true");
	} else {
		put_int(b, "ret", in->ret);
		put_errno(b, (int)in->ret, in->err);
	}
	put_str(b, "text", in->result);
	if (in->has_msg)
		put_message(b, in->mtype, in->mtext, in->mlen);
	if (in->why_code != NULL) {
		/* the kernel's own reason (docs/reason-codes.md), as run --explain prints it */
		tbuf_key(b, "reason");
		tbuf_lit(b, "{\"code\":");
		tbuf_str(b, in->why_code);
		put_str(b, "text", in->why);
		tbuf_raw(b, "}", 1);
	}
	tbuf_raw(b, "}", 1);
}

static void put_output(struct tbuf *b, const char *output)
{
	tbuf_key(b, "output");
	tbuf_raw(b, "[", 1);
	for (const char *p = output, *nl; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (p != output)
			tbuf_raw(b, ",", 1);
		if (nl == NULL) {
			tbuf_str(b, p);
			break;
		}
		tbuf_str_n(b, p, (size_t)(nl - p));
	}
	tbuf_raw(b, "]", 1);
}

/* "P1: r_P1 = 150": a program's local arithmetic, replayable. */
static void put_local(struct tbuf *b, const struct script_step_info *in)
{
	char *r = NULL;

	if (asprintf(&r, "%s: %s %s", in->proc, in->bind, in->result) < 0) {
		b->failed = 1;
		return;
	}
	put_str(b, "resolved", r);
	free(r);
}

/* 1 when text is source line n (1-based) as the header gives it. */
static int same_as_source(const struct trace_writer *t, int n, const char *text)
{
	size_t at, len;

	if (n < 1 || (size_t)n > t->nlines)
		return 0;
	at = t->line_at[n - 1];
	len = t->line_at[n] - at - 1; /* without its '\n' (or the end) */
	if (len > 0 && t->text[at + len - 1] == '\r')
		len--;
	return strncmp(t->text + at, text, len) == 0 && text[len] == '\0';
}

/* The whole state, as in the header (a keyframe). */
static void put_state(struct trace_writer *t, const struct sim_kernel *k,
                      const struct scenario_names *names, const struct render_vars *vars)
{
	tbuf_key(&t->line, "state");
	if (trace_state_write(&t->line, k, names, vars) < 0)
		t->failed = 1;
}

/* The header kept back by a streamed run, out now that a step ran. */
static void write_head(struct trace_writer *t)
{
	if (fwrite(t->head.text.b, 1, t->head.text.len, t->out) != t->head.text.len ||
	    t->head.failed)
		t->failed = 1;
	t->head_pending = 0;
}

/*
 * A step line: what is null, false or empty is left out, and so is what the
 * reader has already (docs/trace-format.md): the text when it is the source
 * line's, a call's replayable form (its name, bind, call and args make it),
 * the process id ("p" + pid).
 */
static void on_step(void *ctx, const struct script_step_info *in)
{
	struct trace_writer *t = ctx;
	struct tbuf *b = &t->line;
	const struct sim_kernel *k = backend_kernel(in->backend);

	if (k == NULL || t->failed) {
		t->failed = 1;
		return;
	}
	if (t->head_pending)
		write_head(t);
	tbuf_lit(b, "{\"type\":\"step\"");
	put_int(b, "step", in->step);
	put_int(b, "line", in->line);
	if (!same_as_source(t, in->line, in->text))
		put_str(b, "text", in->text);
	if (in->call == NULL || strcmp(in->kind, "call") != 0) /* a step with a call is a call */
		put_str(b, "kind", in->kind);
	if (in->proc != NULL)
		put_str(b, "name", in->proc);
	if (in->pid > 0)
		put_int(b, "pid", in->pid);
	if (in->call != NULL)
		put_str(b, "call", in->call);
	if (in->bind != NULL)
		put_str(b, "bind", in->bind);
	if (in->nargs > 0) {
		tbuf_key(b, "args");
		tbuf_raw(b, "[", 1);
		for (int i = 0; i < in->nargs; i++) {
			if (i > 0)
				tbuf_raw(b, ",", 1);
			tbuf_str(b, in->args[i]);
		}
		tbuf_raw(b, "]", 1);
	}
	if (in->call == NULL && in->bind != NULL && in->result != NULL && in->proc != NULL)
		put_local(b, in); /* a program's local arithmetic: the value bound */
	if (in->call != NULL && in->has_result)
		put_result(b, in);
	if (in->expect != 0)
		put_str(b, "expect", in->expect > 0 ? "held" : "failed");
	if (in->output != NULL)
		put_output(b, in->output);
	if (in->nevents > 0) {
		tbuf_key(b, "events");
		tbuf_raw(b, "[", 1);
		for (int i = 0; i < in->nevents; i++) {
			if (i > 0)
				tbuf_raw(b, ",", 1);
			put_event(b, &in->events[i]);
		}
		tbuf_raw(b, "]", 1);
	}
	/* the kernel's limits change in `limit` and `$` steps, never in a call */
	if (trace_patch_step(t->patch, k, in->names, in->vars,
	                     in->call == NULL && strcmp(in->kind, "set") != 0, b) < 0)
		t->failed = 1;
	if (in->step % t->keyframe_every == 0)
		put_state(t, k, in->names, in->vars);
	tbuf_raw(b, "}", 1);
	flush_line(t, 1);
}

/*
 * Each source line with its written results left out, for the page's
 * predict mode: null when there is nothing to leave out, else [n, "tail"]:
 * the line is its first n characters (Unicode code points), then tail
 * ("P1: msgrcv(q, &m, 64, 0, 0) = 6 {...}" gives [27, "= ?"]).  Every line
 * but its end again would double the header.
 */
static void put_masked_source(struct trace_writer *t, const struct script *s)
{
	tbuf_key(&t->line, "source_masked");
	tbuf_raw(&t->line, "[", 1);
	for (size_t i = 0; i < t->nlines; i++) {
		char *m = script_line_unanswered(s, (int)i + 1);
		const char *src = t->text + t->line_at[i];
		size_t same = 0, chars = 0;

		if (i > 0)
			tbuf_raw(&t->line, ",", 1);
		if (m == NULL) {
			tbuf_lit(&t->line, "null");
			continue;
		}
		while (m[same] != '\0' && m[same] == src[same] && src[same] != '\n')
			same++;
		while (same > 0 && (m[same] & 0xc0) == 0x80) /* not inside a character */
			same--;
		for (size_t j = 0; j < same; j++)
			chars += (m[j] & 0xc0) != 0x80;
		tbuf_raw(&t->line, "[", 1);
		tbuf_int(&t->line, (long long)chars);
		tbuf_raw(&t->line, ",", 1);
		tbuf_str(&t->line, m + same);
		tbuf_raw(&t->line, "]", 1);
		free(m);
		if (t->line.text.len > 65536)
			flush_line(t, 0);
	}
	tbuf_raw(&t->line, "]", 1);
}

/* Where each line of text starts; line_at[nlines] is one past the end,
 * as if a '\n' ended the last line (the header's source, trace_patch). */
static int index_lines(struct trace_writer *t, const char *text, size_t len)
{
	size_t n = 0, cap = 64;

	t->text = text;
	t->line_at = malloc(cap * sizeof(*t->line_at));
	for (size_t at = 0; t->line_at != NULL && at < len; n++) {
		const char *nl = memchr(text + at, '\n', len - at);

		if (n + 2 > cap) {
			size_t *grown = realloc(t->line_at, 2 * cap * sizeof(*grown));

			if (grown == NULL)
				return -1;
			t->line_at = grown;
			cap *= 2;
		}
		t->line_at[n] = at;
		at = nl != NULL ? (size_t)(nl - text) + 1 : len + 1;
		t->line_at[n + 1] = at;
	}
	if (t->line_at == NULL)
		return -1;
	if (n == 0)
		t->line_at[0] = 0;
	t->nlines = n;
	return 0;
}

/* The header: before the first step, so the state is the empty kernel's.
 * A streamed run keeps it back (t->head) until a step has run: a malformed
 * scenario writes nothing, and the stream checks every line first. */
static void write_header(struct trace_writer *t, const struct sim_kernel *k, int keep_back)
{
	struct tbuf *b = &t->line;

	tbuf_lit(b, "{\"type\":\"header\",\"format\":");
	tbuf_str(b, TRACE_FORMAT_NAME);
	put_int(b, "version", TRACE_FORMAT_VERSION);
	put_int(b, "keyframe_every", t->keyframe_every);
	put_str(b, "file", t->file_name);
	tbuf_key(b, "source");
	tbuf_raw(b, "[", 1);
	for (size_t i = 0; i < t->nlines; i++) {
		size_t at = t->line_at[i], n = t->line_at[i + 1] - at - 1;

		if (n > 0 && t->text[at + n - 1] == '\r')
			n--;
		if (i > 0)
			tbuf_raw(b, ",", 1);
		tbuf_str_n(b, t->text + at, n);
		if (b->text.len > 65536 && !keep_back)
			flush_line(t, 0);
	}
	tbuf_raw(b, "]", 1);
	if (t->parsed != NULL)
		put_masked_source(t, t->parsed);
	put_state(t, k, NULL, NULL);
	tbuf_raw(b, "}\n", 2);
	if (keep_back) {
		struct tbuf line = t->line;

		t->line = t->head;
		t->head = line;
		t->head_pending = 1;
	} else {
		flush_line(t, 0);
	}
	if (trace_patch_step(t->patch, k, NULL, NULL, 1, NULL) < 0)
		t->failed = 1;
}

static void write_end(struct trace_writer *t, const struct script_stats *st, int rc)
{
	struct tbuf *b = &t->line;

	tbuf_lit(b, "{\"type\":\"end\"");
	put_int(b, "steps", st->steps);
	put_int(b, "exit", rc);
	put_int(b, "passed", st->passed);
	put_int(b, "failed", st->failed);
	if (st->error_line > 0) {
		/* The run stopped on a runtime error: a viewer says where and why. */
		tbuf_key(b, "error");
		tbuf_lit(b, "{\"line\":");
		tbuf_int(b, st->error_line);
		put_int(b, "col", st->error_col);
		put_str(b, "message", st->error);
		tbuf_raw(b, "}", 1);
	}
	tbuf_raw(b, "}", 1);
	flush_line(t, 1);
}

int trace_scenario(const char *file_name, const char *text, size_t len,
                   enum trace_format format, FILE *out, FILE *err)
{
	return trace_scenario_opts(file_name, text, len, NULL, format, out, err);
}

int trace_scenario_limited(const char *file_name, const char *text, size_t len,
                           const struct script_limits *limits, enum trace_format format,
                           FILE *out, FILE *err)
{
	struct trace_options o = { limits, NULL, 0 };

	return trace_scenario_opts(file_name, text, len, &o, format, out, err);
}

int trace_scenario_scheduled(const char *file_name, const char *text, size_t len,
                             const struct script_limits *limits, const char *schedule,
                             enum trace_format format, FILE *out, FILE *err)
{
	struct trace_options o = { limits, schedule, 0 };

	return trace_scenario_opts(file_name, text, len, &o, format, out, err);
}

/*
 * A page (predict mode) needs every line's written results masked, which
 * takes the parsed scenario: it is parsed whole, then run.  A JSON trace is
 * run streamed (script_run_stream: a few lines at a time, memory flat in
 * the number of lines), and its header, written before the first step, has
 * no masked source.  Nothing is written for a malformed scenario: the
 * stream checks every line before the first step runs.
 */
int trace_scenario_opts(const char *file_name, const char *text, size_t len,
                        const struct trace_options *opts, enum trace_format format, FILE *out,
                        FILE *err)
{
	struct script *s = NULL;
	struct trace_writer t;
	struct script_options o = { 0 };
	struct script_stats st = { 0 };
	FILE *sink = NULL, *in = NULL;
	int rc = SCRIPT_EXIT_ERROR;

	if (format == TRACE_HTML && (s = script_parse(file_name, text, len, err)) == NULL)
		return SCRIPT_EXIT_ERROR;
	memset(&t, 0, sizeof(t));
	t.out = out;
	t.file_name = file_name;
	t.parsed = s;
	t.line.html = format == TRACE_HTML;
	t.keyframe_every = opts != NULL && opts->keyframe_every > 0 ? opts->keyframe_every
	                                                           : TRACE_KEYFRAME_EVERY;
	if (s != NULL && opts != NULL && opts->limits != NULL)
		script_set_limits(s, opts->limits);
	o.backend = backend_sim_new();
	sink = fopen("/dev/null", "w");
	t.patch = trace_patch_new(t.line.html);
	if (s == NULL) /* fmemopen takes no empty buffer: an empty file reads as /dev/null */
		in = len > 0 ? fmemopen((void *)text, len, "r") : fopen("/dev/null", "r");
	if (o.backend == NULL || sink == NULL || t.patch == NULL || (s == NULL && in == NULL) ||
	    index_lines(&t, text, len) < 0) {
		fprintf(err, "ipcsim trace: %s\n", strerror(sink == NULL ? errno : ENOMEM));
		goto out_free;
	}
	o.out = sink;
	o.err = err;
	o.quiet_summary = 1;
	o.quiet_steps = 1; /* the sink is /dev/null: a fifth of the trace's instructions */
	o.schedule = opts != NULL ? opts->schedule : NULL;
	o.explain = 1; /* each result's reason (the `# why` lines go to the sink) */
	o.on_step = on_step;
	o.step_ctx = &t;
	if (t.line.html && trace_html_head(out) < 0)
		t.failed = 1;
	write_header(&t, backend_kernel(o.backend), s == NULL);
	if (s != NULL) {
		rc = script_run(s, &o, &st);
	} else {
		rc = script_run_stream(in, file_name, opts != NULL ? opts->limits : NULL, &o, &st);
		if (t.head_pending && rc == SCRIPT_EXIT_ERROR && st.error_line == 0)
			goto out_free; /* malformed: nothing ran, nothing is written */
		if (t.head_pending)
			write_head(&t);
	}
	write_end(&t, &st, rc);
	if (t.line.html && trace_html_tail(out) < 0)
		t.failed = 1;
	if (fflush(out) != 0 || ferror(out))
		t.failed = 1;
	if (t.failed) {
		fprintf(err, "ipcsim trace: cannot write the trace: %s\n",
		        errno != 0 ? strerror(errno) : "out of memory");
		rc = SCRIPT_EXIT_ERROR;
	}
out_free:
	trace_patch_free(t.patch);
	tbuf_free(&t.line);
	tbuf_free(&t.head);
	free(t.line_at);
	if (in != NULL)
		fclose(in);
	if (sink != NULL)
		fclose(sink);
	backend_free(&o.backend);
	script_free(&s);
	return rc;
}
