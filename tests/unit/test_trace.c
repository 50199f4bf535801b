/*
 * test_trace.c - `ipcsim trace`: replaying a trace's calls gives the same
 * snapshots, for every scenario; ids name the same record for its whole
 * life; "changes" says what a step did; the HTML page cannot be broken out
 * of by a message text; the on_step observer sees every step.
 * (docs/trace.schema.json is checked by tests/run_traces.sh.)
 */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "ipcsim/trace.h"

struct trace_lines {
	struct json_object **line;
	int n;
	int status;
};

static void trace_text_of(const char *name, const char *text, enum trace_format fmt,
                          char **buf, int *status)
{
	size_t len = 0;
	FILE *out = open_memstream(buf, &len);
	FILE *err = fopen("/dev/null", "w");

	cr_assert_not_null(out);
	*status = trace_scenario(name, text, strlen(text), fmt, out, err);
	fclose(out);
	fclose(err);
}

static void trace_parse(const char *name, const char *text, struct trace_lines *t)
{
	char *buf = NULL, *save = NULL;

	memset(t, 0, sizeof(*t));
	trace_text_of(name, text, TRACE_JSON, &buf, &t->status);
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct json_object *o = json_tokener_parse(line);

		cr_assert_not_null(o, "%s: line %d is not JSON: %.200s", name, t->n + 1, line);
		t->line = realloc(t->line, (size_t)(t->n + 1) * sizeof(*t->line));
		t->line[t->n++] = o;
	}
	free(buf);
}

static void trace_release(struct trace_lines *t)
{
	for (int i = 0; i < t->n; i++)
		json_object_put(t->line[i]);
	free(t->line);
}

static const char *str(struct json_object *o, const char *key)
{
	return json_object_get_string(json_object_object_get(o, key));
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;

	cr_assert_not_null(f, "%s", path);
	cr_assert_geq(getdelim(&buf, &cap, '\0', f), 0);
	fclose(f);
	return buf;
}

/* The scenario that replays a trace: each call as resolved (variables
 * replaced by their values), every other step as written. */
static char *replay_text(const struct trace_lines *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	for (int i = 1; i + 1 < t->n; i++) {
		struct json_object *s = t->line[i];

		if (strcmp(str(s, "kind"), "call") == 0)
			fprintf(w, "%s\n", str(s, "resolved"));
		else
			fprintf(w, "%s\n", str(s, "text"));
	}
	fclose(w);
	return buf;
}

Test(trace, replaying_the_calls_of_every_scenario_gives_the_same_snapshots)
{
	glob_t g;

	cr_assert_eq(glob("scenarios/*.scn", 0, NULL, &g), 0, "run from the source tree");
	cr_assert_gt(g.gl_pathc, 10);
	for (size_t f = 0; f < g.gl_pathc; f++) {
		char *text = read_file(g.gl_pathv[f]), *again;
		struct trace_lines orig, replay;

		trace_parse(g.gl_pathv[f], text, &orig);
		cr_assert_eq(orig.status, 0, "%s runs clean", g.gl_pathv[f]);
		again = replay_text(&orig);
		trace_parse("replay.scn", again, &replay);
		cr_assert_neq(replay.status, 2, "%s: the replay runs:\n%s", g.gl_pathv[f], again);
		cr_assert_eq(replay.n, orig.n, "%s: %d lines, the replay has %d", g.gl_pathv[f],
		             orig.n, replay.n);
		for (int i = 1; i + 1 < orig.n; i++) {
			struct json_object *a = json_object_object_get(orig.line[i], "state");
			struct json_object *b = json_object_object_get(replay.line[i], "state");

			cr_assert(json_object_equal(a, b), "%s: step %d (line %s) differs in the replay",
			          g.gl_pathv[f], i, str(orig.line[i], "line"));
		}
		trace_release(&orig);
		trace_release(&replay);
		free(again);
		free(text);
	}
	globfree(&g);
}

static const char lecture[] =
	"P1: q = msgget(IPC_PRIVATE, IPC_CREAT | 0666)\n"
	"P1: msgsnd(q, {300, \"first\"}, 6, 0)\n"
	"P1: msgsnd(q, {100, \"second\"}, 7, 0)\n"
	"P1: msgsnd(q, {200, \"third\"}, 6, 0)\n"
	"P2: msgrcv(q, &m, 512, -300, 0)\n"
	"P3: msgrcv(q, &n, 512, 400, 0)\n"
	"P1: msgsnd(q, {400, \"fourth\"}, 7, 0)\n"
	"P1: msgctl(q, IPC_RMID, NULL)\n";

static struct json_object *changes(struct trace_lines *t, int step, const char *key)
{
	return json_object_object_get(json_object_object_get(t->line[step], "changes"), key);
}

Test(trace, changes_name_the_record_taken_and_its_units)
{
	struct trace_lines t;
	struct json_object *deq, *freed;

	trace_parse("t.scn", lecture, &t);
	cr_assert_eq(t.n, 10);
	deq = changes(&t, 5, "dequeued");
	cr_assert_eq(json_object_array_length(deq), 1);
	/* -300: the lowest type <= 300 is 100, the second record sent */
	cr_assert_str_eq(str(json_object_array_get_idx(deq, 0), "id"), "m0.1");
	cr_assert_str_eq(str(json_object_array_get_idx(deq, 0), "queue"), "q0");
	freed = changes(&t, 5, "units_freed");
	cr_assert_eq(json_object_get_int(json_object_object_get(json_object_array_get_idx(freed, 0),
	                                                        "first")), 1);
	/* the other records keep their ids */
	cr_assert_str_eq(str(json_object_array_get_idx(changes(&t, 4, "enqueued"), 0), "id"), "m0.2");
	trace_release(&t);
}

Test(trace, blocking_and_waking_are_events)
{
	struct trace_lines t;
	struct json_object *ev;

	trace_parse("t.scn", lecture, &t);
	ev = json_object_object_get(t.line[6], "events");
	cr_assert_str_eq(str(json_object_array_get_idx(ev, 0), "kind"), "blocked");
	cr_assert_str_eq(str(json_object_array_get_idx(ev, 0), "name"), "P3");
	/* the send of type 400 goes straight to the sleeping P3: woken, nothing enqueued */
	ev = json_object_object_get(t.line[7], "events");
	cr_assert_str_eq(str(json_object_array_get_idx(ev, 0), "kind"), "woken");
	cr_assert_str_eq(str(json_object_object_get(json_object_array_get_idx(ev, 0), "msg"), "text"),
	                 "fourth");
	cr_assert_eq(json_object_array_length(changes(&t, 7, "enqueued")), 0);
	cr_assert_eq(json_object_array_length(changes(&t, 8, "removed")), 1);
	trace_release(&t);
}

Test(trace, arguments_are_resolved_and_results_carry_errno)
{
	struct trace_lines t;
	struct json_object *r;

	trace_parse("t.scn", "P1: q = msgget(0x1234, 0) = 5\nP1: msgget(\n", &t);
	/* a malformed scenario: nothing runs, nothing is written */
	cr_assert_eq(t.status, 2);
	cr_assert_eq(t.n, 0);
	trace_release(&t);
	trace_parse("t.scn", "P1: q = msgget(0x1234, IPC_CREAT | 0600)\n"
	                     "P1: msgrcv(q + 0, &m, 10, 5, IPC_NOWAIT)\n", &t);
	cr_assert_str_eq(str(t.line[2], "resolved"), "P1: msgrcv(0 + 0, &m, 10, 5, IPC_NOWAIT)");
	r = json_object_object_get(t.line[2], "result");
	cr_assert_eq(json_object_get_int(json_object_object_get(r, "ret")), -1);
	cr_assert_str_eq(str(r, "errno"), "ENOMSG");
	trace_release(&t);
}

Test(trace, a_message_text_cannot_end_the_script_block_of_the_page)
{
	char *html = NULL;
	int status, n = 0;

	trace_text_of("t.scn", "P1: q = msgget(IPC_PRIVATE, 0600)\n"
	              "P1: msgsnd(q, {1, \"</script><!--<script>\"}, 22, 0)\n", TRACE_HTML,
	              &html, &status);
	cr_assert_eq(status, 0);
	for (const char *p = html; (p = strstr(p, "</script")) != NULL; p++)
		n++;
	cr_assert_eq(n, 2, "the page's own two </script> only");
	cr_assert_null(strstr(html, "<!--<script"));
	cr_assert_not_null(strstr(html, "\\u003c/script>"));
	cr_assert_not_null(strstr(html, "<!doctype html>"));
	free(html);
}
