/*
 * test_step_back.c - `ipcsim step` going back through the undo log gives
 * exactly what a fresh replay gives: on every scenario of scenarios/, every
 * step reached backwards (and jumps back and forth) prints the same step,
 * draws the same state and counts the same results as a new stepper sent
 * straight to that step.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/session.h"

/* What a stepper shows at its position: the step's own output, the state
 * drawn, the counts. */
struct seen {
	char *out, *drawing;
	int rc, stopped;
	struct script_stats stats;
};

static char *capture_goto(struct script_stepper *sp, int k, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	*rc = script_stepper_goto(sp, k, f, 0);
	fclose(f);
	return buf;
}

static struct seen look(struct script_stepper *sp, int k)
{
	struct seen s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	s.out = capture_goto(sp, k, &s.rc);
	s.stopped = script_stepper_stopped(sp);
	script_stepper_stats(sp, &s.stats);
	f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	script_stepper_show(sp, f, 0);
	fclose(f);
	s.drawing = buf;
	return s;
}

static void seen_free(struct seen *s)
{
	free(s->out);
	free(s->drawing);
}

/* sp at step k (reached however) against a new stepper sent to k. */
static void assert_same_as_fresh(const struct script *s, struct script_stepper *sp, int k,
                                 const char *file)
{
	struct script_stepper *fresh = script_stepper_new(s);
	struct seen a = look(sp, k), b;

	cr_assert_not_null(fresh);
	b = look(fresh, k);
	cr_assert_str_eq(a.out, b.out, "%s step %d: printed\n%s\nfresh:\n%s", file, k, a.out, b.out);
	cr_assert_str_eq(a.drawing, b.drawing, "%s step %d: drew\n%s\nfresh:\n%s", file, k,
	                 a.drawing, b.drawing);
	cr_assert_eq(a.rc, b.rc, "%s step %d", file, k);
	cr_assert_eq(a.stopped, b.stopped, "%s step %d", file, k);
	cr_assert(a.stats.passed == b.stats.passed && a.stats.failed == b.stats.failed &&
	          a.stats.steps == b.stats.steps, "%s step %d: counts %d/%d/%d, fresh %d/%d/%d",
	          file, k, a.stats.passed, a.stats.failed, a.stats.steps, b.stats.passed,
	          b.stats.failed, b.stats.steps);
	seen_free(&a);
	seen_free(&b);
	/* and from there on, both go the same way (the interpreter's own state
	 * came back too: who sleeps where, the variables, the counts) */
	for (int j = k + 1; j <= script_stepper_count(fresh) && j <= k + 6; j++) {
		a = look(sp, j);
		b = look(fresh, j);
		cr_assert_str_eq(a.out, b.out, "%s step %d then %d: printed\n%s\nfresh:\n%s", file, k,
		                 j, a.out, b.out);
		cr_assert_str_eq(a.drawing, b.drawing, "%s step %d then %d", file, k, j);
		cr_assert(a.stats.passed == b.stats.passed && a.stats.failed == b.stats.failed,
		          "%s step %d then %d: counts", file, k, j);
		seen_free(&a);
		seen_free(&b);
		if (b.rc < 0)
			break;
	}
	script_stepper_free(&fresh);
}

Test(step_back, every_scenario_backwards_equals_a_fresh_replay)
{
	glob_t g;

	cr_assert_eq(glob("scenarios/*.scn", 0, NULL, &g), 0, "run from the source tree");
	cr_assert_gt(g.gl_pathc, 10);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct script *s = script_load(g.gl_pathv[i], stderr);
		struct script_stepper *sp;
		FILE *quiet = fopen("/dev/null", "w");
		int n;

		cr_assert_not_null(s, "%s", g.gl_pathv[i]);
		sp = script_stepper_new(s);
		cr_assert_not_null(sp);
		n = script_stepper_count(sp);
		/* forward one step at a time (each leaves a save), as a user would */
		for (int k = 1; k <= n; k++)
			if (script_stepper_goto(sp, k, quiet, 0) < 0)
				break;
		for (int k = script_stepper_pos(sp); k >= 0; k--) {
			assert_same_as_fresh(s, sp, k, g.gl_pathv[i]);
			script_stepper_goto(sp, k, quiet, 0); /* back again, for the next k */
		}
		/* jumps: halfway forward, a quarter back, to the end */
		script_stepper_goto(sp, n / 2, quiet, 0);
		assert_same_as_fresh(s, sp, n / 4, g.gl_pathv[i]);
		assert_same_as_fresh(s, sp, n, g.gl_pathv[i]);
		assert_same_as_fresh(s, sp, n / 3, g.gl_pathv[i]);
		fclose(quiet);
		script_stepper_free(&sp);
		script_free(&s);
	}
	globfree(&g);
}

/* A scenario whose step fails at run time: the position is the step before
 * it, with no trace of the failed step, going there forwards or back. */
Test(step_back, a_failed_step_leaves_no_trace)
{
	static const char text[] =
		"P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
		"P1: msgsnd(q, {1, \"a\"}, 2, 0) = 0\n"
		"P2: msgrcv(q, &m, 8, 0, 0) = 2 {1, \"a\"}\n"
		"P2: msgrcv(q, &m, 8, 0, 0) <unfinished ...>\n"
		"P2: msgsnd(q, {1, \"b\"}, 2, 0) = 0\n"; /* P2 sleeps: a runtime error */
	struct script *s = script_parse("t.scn", text, strlen(text), stderr);
	struct script_stepper *sp = script_stepper_new(s);
	FILE *quiet = fopen("/dev/null", "w");

	cr_assert_eq(script_stepper_goto(sp, 5, quiet, 0), -1);
	cr_assert_eq(script_stepper_stopped(sp), 5);
	cr_assert_eq(script_stepper_pos(sp), 4);
	assert_same_as_fresh(s, sp, 4, "t.scn");
	assert_same_as_fresh(s, sp, 2, "t.scn");
	assert_same_as_fresh(s, sp, 5, "t.scn");
	fclose(quiet);
	script_stepper_free(&sp);
	script_free(&s);
}

/* ---- repl :undo ------------------------------------------------------------ */

static char *session_picture(struct script_session *ss)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len), *null = fopen("/dev/null", "w");

	cr_assert_not_null(f);
	script_session_show(ss, f, 0);
	fprintf(f, "--- saved:\n");
	script_session_save(ss, f, null);
	fprintf(f, "--- default process: %s\n", script_session_proc(ss));
	fclose(f);
	fclose(null);
	return buf;
}

/* A session fed lines[0..n) (those it accepts), from scratch. */
static struct script_session *fresh_session(char **lines, int n)
{
	struct script_session *ss = script_session_new("t.scn");
	FILE *null = fopen("/dev/null", "w");

	for (int i = 0; i < n; i++)
		script_session_feed(ss, lines[i], null, null, 0);
	fclose(null);
	return ss;
}

/*
 * Every scenario typed into a session line by line (but its `>` lines),
 * with an undo after every third line: after each undo the session is
 * exactly a session fed the lines still accepted, from scratch.
 */
Test(step_back, repl_undo_equals_a_session_fed_again)
{
	glob_t g;

	cr_assert_eq(glob("scenarios/*.scn", 0, NULL, &g), 0, "run from the source tree");
	for (size_t f = 0; f < g.gl_pathc; f++) {
		FILE *in = fopen(g.gl_pathv[f], "r"), *null = fopen("/dev/null", "w");
		struct script_session *ss = script_session_new("t.scn"), *ref = fresh_session(NULL, 0);
		char line[4096], **kept = NULL;
		int nkept = 0, nfed = 0;

		cr_assert_not_null(in);
		while (fgets(line, sizeof(line), in)) {
			int rc;

			if (line[strspn(line, " \t")] == '>')
				continue;
			/* the session that undid lines accepts and refuses exactly as
			 * one that never saw them */
			rc = script_session_feed(ss, line, null, null, 0);
			cr_assert_eq(rc, script_session_feed(ref, line, null, null, 0), "%s: %s",
			             g.gl_pathv[f], line);
			if (rc != 0)
				continue; /* refused (or blank): the session is as before */
			kept = realloc(kept, (size_t)(nkept + 2) * sizeof(*kept));
			kept[nkept++] = strdup(line);
			if (++nfed % 3 == 0) {
				char *a, *b;

				cr_assert_eq(script_session_undo(ss, null), 0);
				free(kept[--nkept]);
				script_session_free(&ref);
				/* a comment line: the drawings after it mark nothing */
				kept[nkept] = "# sync";
				ref = fresh_session(kept, nkept + 1);
				cr_assert_eq(script_session_feed(ss, "# sync", null, null, 0), 0);
				a = session_picture(ss);
				b = session_picture(ref);
				cr_assert_str_eq(a, b, "%s after %d lines and an undo:\n%s\nfresh:\n%s",
				                 g.gl_pathv[f], nfed, a, b);
				free(a);
				free(b);
				cr_assert_eq(script_session_undo(ss, null), 0);
				script_session_free(&ref);
				ref = fresh_session(kept, nkept); /* never undone */
			}
		}
		for (int i = 0; i < nkept; i++)
			free(kept[i]);
		free(kept);
		fclose(in);
		fclose(null);
		script_session_free(&ss);
		script_session_free(&ref);
	}
	globfree(&g);
}
