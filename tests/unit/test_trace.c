/*
 * test_trace.c - `ipcsim trace`: replaying a trace's calls gives the same
 * states, for every scenario; ids name the same record for its whole
 * life; a step's patch says what it did; the HTML page cannot be broken out
 * of by a message text; the on_step observer sees every step.  The traces
 * here carry the whole state on every line (a keyframe every step); that
 * the patches of a trace rebuild exactly those states is checked by
 * tests/trace_replay.py (tests/run_traces.sh), and docs/trace.schema.json
 * there too.
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

	struct trace_options every_step = { NULL, NULL, 1 };

	cr_assert_not_null(out);
	*status = trace_scenario_opts(name, text, strlen(text), &every_step, fmt, out, err);
	fclose(out);
	fclose(err);
}

/* The trace's lines: of `--json`, or (fmt TRACE_HTML) the JSON block of the
 * page, whose header has the masked source. */
static void trace_parse_as(const char *name, const char *text, enum trace_format fmt,
                           struct trace_lines *t)
{
	char *buf = NULL, *save = NULL, *json;

	memset(t, 0, sizeof(*t));
	trace_text_of(name, text, fmt, &buf, &t->status);
	json = buf;
	if (fmt == TRACE_HTML) {
		json = strstr(buf, "id=\"ipcsim-trace\">");
		cr_assert_not_null(json);
		json += strlen("id=\"ipcsim-trace\">");
		*strstr(json, "</script>") = '\0';
	}
	for (char *line = strtok_r(json, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct json_object *o = json_tokener_parse(line);

		cr_assert_not_null(o, "%s: line %d is not JSON: %.200s", name, t->n + 1, line);
		t->line = realloc(t->line, (size_t)(t->n + 1) * sizeof(*t->line));
		t->line[t->n++] = o;
	}
	free(buf);
}

static void trace_parse(const char *name, const char *text, struct trace_lines *t)
{
	trace_parse_as(name, text, TRACE_JSON, t);
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

/* The ids a step's patch sets (set) or deletes (del), as "id id ...". */
static char *patch_ids(struct json_object *step, const char *which)
{
	struct json_object *list = json_object_object_get(json_object_object_get(step, "patch"),
	                                                  which);
	static char buf[1024];

	buf[0] = '\0';
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *e = json_object_array_get_idx(list, i);
		const char *id = json_object_is_type(e, json_type_string) ? json_object_get_string(e)
		                                                          : str(e, "id");

		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "", id);
	}
	return buf;
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

/* The scenario that replays a trace: each call as its name, bind, call and
 * resolved args make it (variables replaced by their values), a program's
 * local arithmetic as resolved, every other step as written (its text, or
 * the header's source line when the step leaves it out). */
static char *replay_text(const struct trace_lines *t)
{
	struct json_object *source = json_object_object_get(t->line[0], "source");
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	for (int i = 1; i + 1 < t->n; i++) {
		struct json_object *s = t->line[i], *args = json_object_object_get(s, "args");

		if (str(s, "call") != NULL) {
			fprintf(w, "%s: ", str(s, "name"));
			if (str(s, "bind") != NULL)
				fprintf(w, "%s = ", str(s, "bind"));
			fprintf(w, "%s(", str(s, "call"));
			for (size_t a = 0; args != NULL && a < json_object_array_length(args); a++)
				fprintf(w, "%s%s", a ? ", " : "",
				        json_object_get_string(json_object_array_get_idx(args, a)));
			fprintf(w, ")\n");
		} else if (str(s, "resolved") != NULL) {
			fprintf(w, "%s\n", str(s, "resolved"));
		} else if (str(s, "text") != NULL) {
			fprintf(w, "%s\n", str(s, "text"));
		} else {
			int line = json_object_get_int(json_object_object_get(s, "line"));

			fprintf(w, "%s\n", json_object_get_string(
				json_object_array_get_idx(source, (size_t)line - 1)));
		}
	}
	fclose(w);
	return buf;
}

static struct json_object *at(struct json_object *o, const char *path);

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

Test(trace, the_patch_names_the_record_taken_and_its_units)
{
	struct trace_lines t;
	struct json_object *rec;

	trace_parse("t.scn", lecture, &t);
	cr_assert_eq(t.n, 10);
	/* -300: the lowest type <= 300 is 100, the second record sent */
	cr_assert_str_eq(patch_ids(t.line[5], "del"), "m0.1");
	/* the record as it was set when sent: its units */
	cr_assert_str_eq(patch_ids(t.line[3], "set"), "m0.1");
	rec = json_object_array_get_idx(json_object_object_get(json_object_object_get(t.line[3],
	                                "patch"), "set"), 0);
	cr_assert_eq(json_object_get_int(json_object_object_get(rec, "unit")), 1);
	cr_assert_null(json_object_object_get(rec, "at"), "a record's place is its seq");
	/* the other records keep their ids */
	cr_assert_str_eq(patch_ids(t.line[4], "set"), "m0.2");
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
	cr_assert_null(strstr(patch_ids(t.line[7], "set"), "m0."), "%s", patch_ids(t.line[7], "set"));
	cr_assert_not_null(strstr(patch_ids(t.line[8], "del"), "q0"), "%s",
	                   patch_ids(t.line[8], "del"));
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
	/* a call's replayable line is its name, call and args: no "resolved" */
	cr_assert_null(json_object_object_get(t.line[2], "resolved"));
	cr_assert_str_eq(json_object_get_string(at(t.line[2], "args.0")), "0 + 0");
	cr_assert_str_eq(json_object_get_string(at(t.line[2], "args.1")), "&m");
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

/* ---- what the viewer shows of memory, processes and semaphores ------------ */

static struct json_object *at(struct json_object *o, const char *path)
{
	char key[64];

	while (o != NULL && *path != '\0') {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (key[0] >= '0' && key[0] <= '9')
			o = json_object_array_get_idx(o, (size_t)atoi(key));
		else
			o = json_object_object_get(o, key);
		path += n + (path[n] == '.');
	}
	return o;
}

static const char race[] =
	"parent: id = shmget(IPC_PRIVATE, 4096, 0600)\n"
	"parent: balance = shmat(id, NULL, 0)\n"
	"parent: store(balance, 100)\n"
	"parent: child = fork()\n"
	"parent: p = load(balance)\n"
	"child: c = load(balance)\n"
	"child: store(balance, c + 50)\n"
	"parent: store(balance, p + 50)\n"
	"parent: memcpy(balance + 16, \"note\")\n"
	"child: store(balance - 8, 1) --- SIGSEGV ---\n";

/* The bug: a long 100 was drawn as "d" (its one printable byte), because a
 * segment was only its first 32 bytes as text and longs. */
Test(trace, a_segment_says_how_each_region_was_written_and_by_whom)
{
	struct trace_lines t;
	struct json_object *r;

	trace_parse("race.scn", race, &t);
	r = at(t.line[3], "state.shm.0.regions.0");
	cr_expect_str_eq(str(r, "kind"), "long");
	cr_expect_eq(json_object_get_int64(at(r, "values.0")), 100);
	cr_expect_str_eq(str(r, "hex"), "6400000000000000");
	cr_expect_str_eq(str(r, "name"), "parent");
	/* the child stores 150, then the parent stores 150 over it: the lost update */
	r = at(t.line[7], "state.shm.0.regions.0");
	cr_expect_eq(json_object_get_int64(at(r, "values.0")), 150);
	cr_expect_str_eq(str(r, "name"), "child");
	r = at(t.line[8], "state.shm.0.regions.0");
	cr_expect_eq(json_object_get_int64(at(r, "values.0")), 150);
	cr_expect_str_eq(str(r, "name"), "parent");
	cr_expect_str_eq(patch_ids(t.line[8], "set"), "s0",
	                 "the same value by another writer is a change");
	r = at(t.line[9], "state.shm.0.regions.1");
	cr_expect_str_eq(str(r, "kind"), "text");
	cr_expect_str_eq(str(r, "text"), "note");
	cr_expect_eq(json_object_get_int64(at(r, "off")), 16);
	cr_expect_eq(json_object_get_int64(at(t.line[9], "state.shm.0.regions_more")), 0);
	trace_release(&t);
}

Test(trace, processes_carry_their_variables_and_how_they_died)
{
	struct trace_lines t;
	struct json_object *procs;

	trace_parse("race.scn", race, &t);
	procs = at(t.line[6], "state.procs");
	cr_expect_str_eq(str(at(procs, "0.vars.2"), "name"), "p");
	cr_expect_str_eq(str(at(procs, "0.vars.2"), "value"), "100");
	cr_expect_str_eq(str(at(procs, "0.vars.1"), "value"), "0x7efffffff000");
	cr_expect_str_eq(str(at(procs, "1.vars.0"), "name"), "c");
	cr_expect_str_eq(str(at(procs, "1.vars.0"), "value"), "100");
	cr_expect_null(at(procs, "1.signal_name"));
	procs = at(t.line[10], "state.procs");
	cr_expect_str_eq(str(at(procs, "1"), "state"), "killed");
	cr_expect_str_eq(str(at(procs, "1"), "signal_name"), "SIGSEGV");
	cr_expect_eq(json_object_get_int(at(procs, "1.signal")), 11);
	trace_release(&t);
}

Test(trace, a_set_carries_its_undo_list)
{
	static const char text[] =
		"P1: s = semget(IPC_PRIVATE, 2, 0600)\n"
		"P1: semop(s, [{1, +2, SEM_UNDO}], 1)\n";
	struct trace_lines t;
	struct json_object *u;

	trace_parse("undo.scn", text, &t);
	cr_expect_eq(json_object_array_length(at(t.line[1], "state.sem.0.undo")), 0);
	u = at(t.line[2], "state.sem.0.undo.0");
	cr_assert_not_null(u);
	cr_expect_str_eq(str(u, "proc"), "p1000");
	cr_expect_eq(json_object_get_int(at(u, "num")), 1);
	cr_expect_eq(json_object_get_int(at(u, "adj")), -2);
	cr_expect_eq(json_object_get_int(at(t.line[2], "state.sem.0.sems.1.value")), 2);
	trace_release(&t);
}

/* Masked line i of the header: source[i] cut after n characters, then the
 * tail (these lines are ASCII: a character is a byte). */
static const char *masked(struct json_object *header, int i)
{
	struct json_object *m = at(json_object_object_get(header, "source_masked"), "");
	static char buf[256];

	m = json_object_array_get_idx(m, (size_t)i);
	snprintf(buf, sizeof(buf), "%.*s%s", json_object_get_int(json_object_array_get_idx(m, 0)),
	         json_object_get_string(json_object_array_get_idx(
	             json_object_object_get(header, "source"), (size_t)i)),
	         json_object_get_string(json_object_array_get_idx(m, 1)));
	return buf;
}

/* The bug: in predict mode the source pane showed the next line's written
 * result under the question. */
Test(trace, the_header_has_the_source_with_its_answers_left_out)
{
	static const char text[] =
		"# the answers\n"
		"P1: q = msgget(IPC_PRIVATE, 0600) = 0   # a queue\n"
		"P2: msgrcv(q, &m, 64, 0, 0) <unfinished ...>\n"
		"P1: msgsnd(q, {1, \"a = b\"}, 6, 0) = 0\n"
		"P2: <... msgrcv resumed> = 6 {1, \"a = b\"}\n"
		"P2: exit(0)\n"
		"P2: +++ exited with 0 +++\n"
		"$ ipcs -q -i 0\n"
		"> \n"
		"P1: load(0) --- SIGSEGV ---\n";
	struct trace_lines t;
	struct json_object *m;

	/* a JSON trace (run streamed) has none: the page's predict mode needs it */
	trace_parse("mask.scn", text, &t);
	cr_expect_null(at(t.line[0], "source_masked"));
	trace_release(&t);
	trace_parse_as("mask.scn", text, TRACE_HTML, &t);
	m = at(t.line[0], "source_masked");
	cr_assert_eq(json_object_array_length(m), 10);
	cr_expect_null(at(m, "0"));
	cr_expect_str_eq(masked(t.line[0], 1), "P1: q = msgget(IPC_PRIVATE, 0600) = ?   # a queue");
	/* [n, tail]: the first n characters of the line, then tail */
	cr_expect_eq(json_object_get_int(at(m, "1.0")), 36);
	cr_expect_str_eq(json_object_get_string(at(m, "1.1")), "?   # a queue");
	cr_expect_str_eq(masked(t.line[0], 2), "P2: msgrcv(q, &m, 64, 0, 0) ?");
	cr_expect_str_eq(masked(t.line[0], 3), "P1: msgsnd(q, {1, \"a = b\"}, 6, 0) = ?");
	cr_expect_str_eq(masked(t.line[0], 4), "P2: <... msgrcv resumed> = ?");
	cr_expect_null(at(m, "5"), "exit has no result written");
	cr_expect_str_eq(masked(t.line[0], 6), "P2: ?");
	cr_expect_null(at(m, "7"));
	cr_expect_str_eq(masked(t.line[0], 8), "> ?");
	cr_expect_str_eq(masked(t.line[0], 9), "P1: load(0) ?");
	trace_release(&t);
}
