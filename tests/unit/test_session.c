/*
 * test_session.c - the stepper (`ipcsim step`) and the incremental session
 * (`ipcsim repl`) of ipcsim/session.h: steps forward and back give the same
 * states, jumps land on the right step, runtime errors stop at the right
 * place; lines typed one at a time are checked and run as in a file, a
 * mistake leaves the session as it was, undo and save replay.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/session.h"

static const char lesson[] =
	"# a lesson\n"                                     /* 1 */
	"P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"          /* 2: step 1 */
	"P2: msgrcv(q, &m, 64, 5, 0) <unfinished ...>\n"   /* 3: step 2 */
	"\n"                                               /* 4 */
	"P1: msgsnd(q, {5, \"hi\"}, 3, 0) = 0\n"           /* 5: step 3 */
	"P2: <... msgrcv resumed> = 3 {5, \"hi\"}\n"       /* 6: not a step */
	"show\n"                                           /* 7: step 4 */
	"P1: msgsnd(q, {7, \"yo\"}, 3, 0) = 1\n";          /* 8: step 5, fails */

struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *cap_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	cr_assert_not_null(c->f);
	return c->f;
}

/* Closes the stream; the text stays in c->buf until cap_free. */
static const char *cap_text(struct capture *c)
{
	if (c->f != NULL) {
		fclose(c->f);
		c->f = NULL;
	}
	return c->buf;
}

static void cap_free(struct capture *c)
{
	cap_text(c);
	free(c->buf);
	c->buf = NULL;
}

static void assert_has(const char *hay, const char *needle)
{
	cr_assert(strstr(hay, needle) != NULL, "expected \"%s\" in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	cr_assert(strstr(hay, needle) == NULL, "did not expect \"%s\" in:\n%s", needle, hay);
}

static struct script *parse(const char *text)
{
	struct script *s = script_parse("t.scn", text, strlen(text), stderr);

	cr_assert_not_null(s);
	return s;
}

static char *stepper_drawing(struct script_stepper *sp)
{
	struct capture c;

	script_stepper_show(sp, cap_open(&c), 0);
	cap_text(&c);
	return c.buf;
}

/* ---- the stepper ---------------------------------------------------------- */

Test(stepper, resumed_lines_are_not_steps)
{
	struct script *s = parse(lesson);
	struct script_stepper *sp = script_stepper_new(s);

	cr_assert_eq(script_stepper_count(sp), 5);
	cr_assert_eq(script_stepper_pos(sp), 0);
	cr_assert_eq(script_stepper_line(sp, 1), 2);
	cr_assert_eq(script_stepper_line(sp, 3), 5);
	cr_assert_eq(script_stepper_line(sp, 4), 7);
	cr_assert_eq(script_stepper_line(sp, 6), 0);
	cr_assert(script_stepper_shows_state(sp, 4));
	cr_assert_not(script_stepper_shows_state(sp, 3));
	script_stepper_free(&sp);
	cr_assert_null(sp);
	script_free(&s);
}

Test(stepper, goto_prints_only_the_step_it_lands_on)
{
	struct script *s = parse(lesson);
	struct script_stepper *sp = script_stepper_new(s);
	struct capture c;
	const char *out;

	cr_assert_eq(script_stepper_goto(sp, 3, cap_open(&c), 0), 0);
	out = cap_text(&c);
	assert_has(out, "P1: msgsnd(q, {mtype=5, mtext=\"hi\"}, 3, 0) = 0\n"
	                "P2: <... msgrcv resumed> = 3 {mtype=5, mtext=\"hi\"}\n");
	assert_lacks(out, "msgget");
	cr_assert_eq(script_stepper_pos(sp), 3);
	cap_free(&c);
	script_stepper_free(&sp);
	script_free(&s);
}

Test(stepper, back_gives_the_state_seen_going_forward)
{
	struct script *s = parse(lesson);
	struct script_stepper *sp = script_stepper_new(s);
	struct capture c;
	char *forward, *back;

	script_stepper_goto(sp, 2, cap_open(&c), 0);
	cap_free(&c);
	forward = stepper_drawing(sp);
	assert_has(forward, "asleep: P2");
	script_stepper_goto(sp, 4, cap_open(&c), 0);
	cap_free(&c);
	script_stepper_goto(sp, 2, cap_open(&c), 0);
	assert_has(cap_text(&c), "P2: msgrcv(q, &m, 64, 5, 0) <unfinished ...>");
	cap_free(&c);
	back = stepper_drawing(sp);
	cr_assert_str_eq(back, forward);
	free(forward);
	free(back);
	script_stepper_free(&sp);
	script_free(&s);
}

Test(stepper, step_at_line_finds_the_step_at_or_after_it)
{
	struct script *s = parse(lesson);
	struct script_stepper *sp = script_stepper_new(s);

	cr_assert_eq(script_stepper_step_at_line(sp, 1), 1);  /* a comment */
	cr_assert_eq(script_stepper_step_at_line(sp, 4), 3);  /* a blank line */
	cr_assert_eq(script_stepper_step_at_line(sp, 5), 3);
	cr_assert_eq(script_stepper_step_at_line(sp, 8), 5);
	cr_assert_eq(script_stepper_step_at_line(sp, 9), 0);
	cr_assert_str_eq(script_stepper_source(sp, 7), "show");
	cr_assert_str_eq(script_stepper_source(sp, 99), "");
	script_stepper_free(&sp);
	script_free(&s);
}

Test(stepper, failed_expectations_are_counted_up_to_the_position)
{
	struct script *s = parse(lesson);
	struct script_stepper *sp = script_stepper_new(s);
	struct script_stats st;
	struct capture c;

	script_stepper_goto(sp, 5, cap_open(&c), 0);
	assert_has(cap_text(&c), "t.scn:8:32: failed: expected '= 1', got '= 0'");
	cap_free(&c);
	script_stepper_stats(sp, &st);
	cr_assert_eq(st.passed, 4);
	cr_assert_eq(st.failed, 1);
	script_stepper_goto(sp, 1, cap_open(&c), 0);
	cap_free(&c);
	script_stepper_stats(sp, &st);
	cr_assert_eq(st.passed, 1);
	cr_assert_eq(st.failed, 0);
	script_stepper_free(&sp);
	script_free(&s);
}

Test(stepper, runtime_error_stops_before_the_failing_step)
{
	struct script *s = parse("P1: q = msgget(IPC_PRIVATE, 0600)\n"
	                         "P1: msgrcv(q, &m, 64, 0, 0)\n"
	                         "P1: getpid()\n"
	                         "P1: exit(0)\n");
	struct script_stepper *sp = script_stepper_new(s);
	struct capture c;

	cr_assert_eq(script_stepper_goto(sp, 4, cap_open(&c), 0), -1);
	assert_has(cap_text(&c), "t.scn:3:1: error: deadlock: every live process is blocked");
	cap_free(&c);
	cr_assert_eq(script_stepper_stopped(sp), 3);
	cr_assert_eq(script_stepper_pos(sp), 2);
	cr_assert_eq(script_stepper_goto(sp, 1, cap_open(&c), 0), 0);
	cap_free(&c);
	cr_assert_eq(script_stepper_stopped(sp), 0);
	cr_assert_eq(script_stepper_pos(sp), 1);
	script_stepper_free(&sp);
	script_free(&s);
}

Test(stepper, goto_clamps_out_of_range_targets)
{
	struct script *s = parse(lesson);
	struct script_stepper *sp = script_stepper_new(s);
	struct capture c;

	script_stepper_goto(sp, 99, cap_open(&c), 0);
	cap_free(&c);
	cr_assert_eq(script_stepper_pos(sp), 5);
	script_stepper_goto(sp, -3, cap_open(&c), 0);
	cr_assert_str_eq(cap_text(&c), "");
	cap_free(&c);
	cr_assert_eq(script_stepper_pos(sp), 0);
	script_stepper_free(&sp);
	script_free(&s);
}

/* ---- the session ---------------------------------------------------------- */

struct fed {
	int rc;
	char *out, *err;
};

static struct fed feed(struct script_session *ss, const char *line)
{
	struct capture o, e;
	struct fed f;

	f.rc = script_session_feed(ss, line, cap_open(&o), cap_open(&e), 0);
	cap_text(&o);
	cap_text(&e);
	f.out = o.buf;
	f.err = e.buf;
	return f;
}

static void fed_free(struct fed *f)
{
	free(f->out);
	free(f->err);
}

/* Feeds a line that must be accepted; returns nothing. */
static void feed_ok(struct script_session *ss, const char *line)
{
	struct fed f = feed(ss, line);

	cr_assert_eq(f.rc, 0, "'%s' refused:\n%s", line, f.err);
	fed_free(&f);
}

/* The state drawn, without the marks of change (they say what the last
 * line did, not what the state is): removed lines and records go, the marks
 * of the others are blanked. */
static char *session_drawing(struct script_session *ss)
{
	struct capture c;
	char *in, *out;

	script_session_show(ss, cap_open(&c), 0);
	cap_text(&c);
	for (in = out = c.buf; *in != '\0';) {
		size_t n = strcspn(in, "\n") + (in[strcspn(in, "\n")] == '\n');

		if (in[0] == '-' && in[1] == ' ') {
			in += n;
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			if (i == 0 && (in[0] == '+' || in[0] == '~') && in[1] == ' ') {
				*out++ = ' ';
			} else if (strncmp(in + i, " -> -[", 6) == 0) {
				i += strcspn(in + i + 1, "]");  /* the removed record */
				i++;
			} else if (strncmp(in + i, "+[", 2) == 0) {
				continue;
			} else {
				*out++ = in[i];
			}
		}
		in += n;
	}
	*out = '\0';
	return c.buf;
}

Test(session, a_line_without_prefix_runs_as_the_last_process)
{
	struct script_session *ss = script_session_new("<repl>");
	struct fed f;

	cr_assert_str_eq(script_session_proc(ss), "P1");
	f = feed(ss, "q = msgget(IPC_PRIVATE, 0600)");
	cr_assert_eq(f.rc, 0);
	cr_assert_str_eq(f.out, "P1: q = msgget(IPC_PRIVATE, 0600) = 0\n");
	fed_free(&f);
	feed_ok(ss, "P2: getpid()");
	cr_assert_str_eq(script_session_proc(ss), "P2");
	f = feed(ss, "  getpid()   # who am I");
	cr_assert_str_eq(f.out, "P2: getpid() = 1001\n");
	fed_free(&f);
	cr_assert_str_eq(script_session_line(ss, 2), "P2: getpid()   # who am I");
	cr_assert_eq(script_session_count(ss), 3);
	script_session_free(&ss);
	cr_assert_null(ss);
}

Test(session, directives_shell_lines_and_field_assignments)
{
	struct script_session *ss = script_session_new("<repl>");
	struct fed f;

	feed_ok(ss, "limit msgmnb=100");
	feed_ok(ss, "q = msgget(IPC_PRIVATE, 0600)");
	feed_ok(ss, "msgctl(q, IPC_STAT, &ds)");
	feed_ok(ss, "ds.msg_qbytes = 50");
	cr_assert_str_eq(script_session_line(ss, 3), "P1: ds.msg_qbytes = 50");
	feed_ok(ss, "msgctl(q, IPC_SET, &ds)");
	f = feed(ss, "$ ipcs -q");
	cr_assert_eq(f.rc, 0, "%s", f.err);
	assert_has(f.out, "> 0x00000000 0          user       600        0            0");
	fed_free(&f);
	f = feed(ss, "show");
	assert_has(f.out, "== Message queues (1)");
	fed_free(&f);
	cr_assert_str_eq(script_session_line(ss, 0), "limit msgmnb=100");
	script_session_free(&ss);
}

Test(session, a_typo_is_reported_and_changes_nothing)
{
	struct script_session *ss = script_session_new("<repl>");
	struct fed f;
	char *before, *after;

	feed_ok(ss, "q = msgget(IPC_PRIVATE, 0600)");
	before = session_drawing(ss);
	f = feed(ss, "msgsnd(q, {1, \"hi\"}, 3, 0");
	cr_assert_eq(f.rc, -1);
	cr_assert_str_eq(f.err, "<repl>:2:30: error: expected ')' to close the argument list, "
	                        "found the end of the line\n"
	                        "P1: msgsnd(q, {1, \"hi\"}, 3, 0\n"
	                        "                             ^\n");
	fed_free(&f);
	f = feed(ss, "msgsnd(r, {1, \"hi\"}, 3, 0)");
	assert_has(f.err, "<repl>:2:12: error: 'r' is used before any line binds it");
	fed_free(&f);
	cr_assert_eq(script_session_count(ss), 1);
	after = session_drawing(ss);
	cr_assert_str_eq(after, before);
	feed_ok(ss, "msgsnd(q, {1, \"hi\"}, 3, 0)");
	free(before);
	free(after);
	script_session_free(&ss);
}

Test(session, a_runtime_error_leaves_nothing_bound)
{
	struct script_session *ss = script_session_new("<repl>");
	struct fed f;

	feed_ok(ss, "q = msgget(IPC_PRIVATE, 0600)");
	feed_ok(ss, "P2: msgrcv(q, &m, 64, 0, 0)");
	f = feed(ss, "P2: x = getpid()");
	cr_assert_eq(f.rc, -1);
	assert_has(f.err, "<repl>:3:1: error: P2 is blocked in msgrcv since line 2");
	fed_free(&f);
	/* x was bound only by the refused line. */
	f = feed(ss, "P1: assert(x == 1001)");
	assert_has(f.err, "<repl>:3:12: error: 'x' is used before any line binds it");
	fed_free(&f);
	f = feed(ss, "P1: msgsnd(q, {1, \"a\"}, 2, 0)");
	cr_assert_eq(f.rc, 0, "%s", f.err);
	assert_has(f.out, "P2: <... msgrcv resumed> = 2 {mtype=1, mtext=\"a\"}");
	fed_free(&f);
	script_session_free(&ss);
}

Test(session, output_lines_and_blank_lines)
{
	struct script_session *ss = script_session_new("<repl>");
	struct fed f;

	f = feed(ss, "   ");
	cr_assert_eq(f.rc, 1);
	fed_free(&f);
	f = feed(ss, "> ------ Message Queues --------");
	cr_assert_eq(f.rc, -1);
	assert_has(f.err, "<repl>:1:1: error: '>' output lines belong in scenario files");
	fed_free(&f);
	cr_assert_eq(script_session_count(ss), 0);
	script_session_free(&ss);
}

Test(session, program_blocks_are_refused_with_why)
{
	struct script_session *ss = script_session_new("<repl>");
	struct fed f;

	feed_ok(ss, "c = 1");
	f = feed(ss, "  program P1 {");
	cr_assert_eq(f.rc, -1);
	assert_has(f.err, "<repl>:2:3: error: program blocks run side by side");
	assert_has(f.err, "write them in a scenario");
	fed_free(&f);
	cr_assert_eq(script_session_count(ss), 1);
	/* a name that starts with the word is a step as any other */
	feed_ok(ss, "programs = 2");
	cr_assert_eq(script_session_count(ss), 2);
	script_session_free(&ss);
}

Test(session, undo_rebuilds_the_state_before_the_last_line)
{
	struct script_session *ss = script_session_new("<repl>");
	struct capture c;
	char *before, *after;

	cr_assert_eq(script_session_undo(ss, cap_open(&c)), -1);
	cap_free(&c);
	feed_ok(ss, "q = msgget(IPC_PRIVATE, 0600)");
	feed_ok(ss, "msgsnd(q, {1, \"a\"}, 2, 0)");
	before = session_drawing(ss);
	feed_ok(ss, "P2: msgrcv(q, &m, 64, 0, 0)");
	cr_assert_str_eq(script_session_proc(ss), "P2");
	cr_assert_eq(script_session_undo(ss, cap_open(&c)), 0);
	cr_assert_str_eq(cap_text(&c), "undone: P2: msgrcv(q, &m, 64, 0, 0)\n");
	cap_free(&c);
	after = session_drawing(ss);
	cr_assert_str_eq(after, before);
	cr_assert_str_eq(script_session_proc(ss), "P1");
	cr_assert_eq(script_session_count(ss), 2);
	free(before);
	free(after);
	script_session_free(&ss);
}

/* An undone line's names are forgotten by the case-twin check too: its
 * table of folded names is rebuilt from the names that stay. */
Test(session, undo_forgets_the_undone_names_case)
{
	struct script_session *ss = script_session_new("<repl>");
	struct capture c;
	struct fed f;

	feed_ok(ss, "ab = getpid()");
	feed_ok(ss, "xy = getpid()");
	cr_assert_eq(script_session_undo(ss, cap_open(&c)), 0);
	cap_free(&c);
	f = feed(ss, "XY = getpid()");
	cr_assert_eq(f.rc, 0, "%s", f.err);
	cr_assert_null(strstr(f.err, "differ only in case"), "%s", f.err);
	fed_free(&f);
	f = feed(ss, "AB = getpid()");
	cr_assert_eq(f.rc, 0, "%s", f.err);
	cr_assert_not_null(strstr(f.err, "'AB' and 'ab' (line 1) differ only in case"), "%s", f.err);
	fed_free(&f);
	script_session_free(&ss);
}

Test(session, show_changes_draws_only_a_changed_state)
{
	struct script_session *ss = script_session_new("<repl>");
	struct capture c;

	feed_ok(ss, "file ./f inode=1 dev=8:1");
	cr_assert_eq(script_session_show_changes(ss, cap_open(&c), 0), 0);
	cap_free(&c);
	feed_ok(ss, "q = msgget(IPC_PRIVATE, 0600)");
	cr_assert_eq(script_session_show_changes(ss, cap_open(&c), 0), 1);
	assert_has(cap_text(&c), "== Message queues (1)");
	cap_free(&c);
	feed_ok(ss, "getpid()");
	cr_assert_eq(script_session_show_changes(ss, cap_open(&c), 0), 0);
	cr_assert_str_eq(cap_text(&c), "");
	cap_free(&c);
	script_session_free(&ss);
}

Test(session, save_writes_a_scenario_that_replays_clean)
{
	struct script_session *ss = script_session_new("<repl>");
	struct capture c, e;
	struct script *s;
	struct script_options o = { 0 };
	struct script_stats st;
	const char *text;

	feed_ok(ss, "q = msgget(IPC_PRIVATE, 0600)");
	feed_ok(ss, "P2: msgrcv(q, &m, 64, 0, 0)");
	feed_ok(ss, "P1: msgsnd(q, {1, \"a\"}, 2, 0) = 5");   /* a wrong guess */
	cr_assert_eq(script_session_save(ss, cap_open(&c), cap_open(&e)), 0);
	cr_assert_str_eq(cap_text(&e), "");
	text = cap_text(&c);
	cr_assert_str_eq(text, "P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                       "P2: msgrcv(q, &m, 64, 0, 0) <unfinished ...>\n"
	                       "P1: msgsnd(q, {1, \"a\"}, 2, 0) = 0\n"
	                       "P2: <... msgrcv resumed> = 2 {mtype=1, mtext=\"a\"}\n");
	s = script_parse("saved.scn", text, strlen(text), stderr);
	cr_assert_not_null(s);
	o.out = fopen("/dev/null", "w");
	cr_assert_eq(script_run(s, &o, &st), SCRIPT_EXIT_OK);
	cr_assert_eq(st.passed, 4);
	fclose(o.out);
	script_free(&s);
	cap_free(&c);
	cap_free(&e);
	script_session_free(&ss);
}

/* ---- the diagrams the stepper draws ---------------------------------------- */

static struct script *load(const char *path)
{
	struct script *s = script_load(path, stderr);

	cr_assert_not_null(s, "%s (run from the source tree)", path);
	return s;
}

static int lines_of(const char *text)
{
	int n = 0;

	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

Test(stepper, the_drawing_marks_what_the_step_changed)
{
	struct script *s = parse(lesson);
	struct script_stepper *sp = script_stepper_new(s);
	char *d;

	cr_assert_eq(script_stepper_goto(sp, 1, stderr, 0), 0);
	d = stepper_drawing(sp);
	assert_has(d, "\n+ 0x00000000      0 user     0600      0      0  16384     0     0\n");
	assert_has(d, "\n+ P1          1000  1000  running                 q=0\n");
	free(d);
	cr_assert_eq(script_stepper_goto(sp, 2, stderr, 0), 0);
	d = stepper_drawing(sp);
	assert_has(d, "\n+ asleep: P2 (1001) msgrcv type 5, buffer 64 B\n");
	assert_has(d, "\n  P1          1000"); /* step 2 did not touch P1 */
	free(d);
	/* the send goes straight to the sleeper, who binds m */
	cr_assert_eq(script_stepper_goto(sp, 3, stderr, 0), 0);
	d = stepper_drawing(sp);
	assert_has(d, "\n- asleep: P2 (1001) msgrcv type 5, buffer 64 B\n");
	assert_has(d, "\n~ P2          1001  1000  running                 m={mtype=5, mtext=\"hi\"}\n");
	free(d);
	/* back gives the marks of that step again, not of the way there */
	cr_assert_eq(script_stepper_goto(sp, 2, stderr, 0), 0);
	d = stepper_drawing(sp);
	assert_has(d, "\n+ asleep: P2 (1001) msgrcv type 5, buffer 64 B\n");
	free(d);
	script_stepper_free(&sp);
	script_free(&s);
}

/*
 * `ipcsim step` on an 80x24 terminal leaves the diagram 14 rows (the
 * header, the step's result, the keys take the rest).  Every step of the
 * busiest lessons fits, and keeps what the lesson is about: every mark of
 * change, every sleeper and undo, every process.
 */
Test(stepper, the_busiest_lessons_fit_80x24)
{
	static const char *const lessons[] = {
		"scenarios/msgrcv_orders.scn", "scenarios/data_area_fragmentation.scn",
		"scenarios/shm_rmid_attached.scn", "scenarios/signals_and_death.scn",
		"scenarios/sem_wake_order.scn", "scenarios/race_balance_sem.scn",
		"scenarios/rmid_blocked_receiver.scn", "scenarios/handoff_to_sleeping_receiver.scn",
		"scenarios/sem_undo_killed.scn", "scenarios/race_balance.scn",
	};
	const int rows = 14;

	for (size_t l = 0; l < sizeof(lessons) / sizeof(lessons[0]); l++) {
		struct script *s = load(lessons[l]);
		struct script_stepper *sp = script_stepper_new(s);
		FILE *quiet = fopen("/dev/null", "w");

		for (int k = 1; k <= script_stepper_count(sp); k++) {
			struct capture full, fit;
			const char *a, *b;
			int n;

			if (script_stepper_goto(sp, k, quiet, 0) < 0)
				break;
			script_stepper_show(sp, cap_open(&full), 0);
			n = script_stepper_show_fit(sp, cap_open(&fit), 0, rows);
			a = cap_text(&full);
			b = cap_text(&fit);
			cr_expect_leq(n, rows, "%s step %d: %d lines:\n%s", lessons[l], k, n, b);
			cr_expect_eq(lines_of(b), n);
			/* what must stay in sight */
			for (const char *p = a; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
				int len = (int)strcspn(p, "\n");
				char line[200];

				int proc = len > 30 && (strncmp(p + 26, "running", 7) == 0 ||
				           strncmp(p + 26, "blocked", 7) == 0 ||
				           strncmp(p + 26, "exited", 6) == 0 ||
				           strncmp(p + 26, "killed", 6) == 0);

				if (!(p[0] != ' ' && p[1] == ' ') && strncmp(p, "  asleep:", 9) != 0 &&
				    strncmp(p, "  undo:", 7) != 0 && strncmp(p, "== ", 3) != 0 && !proc)
					continue;
				snprintf(line, sizeof(line), "%.*s\n", len, p);
				cr_expect(strstr(b, line) != NULL, "%s step %d: \"%.*s\" cut from:\n%s",
				          lessons[l], k, len, p, b);
			}
			cap_free(&full);
			cap_free(&fit);
		}
		fclose(quiet);
		script_stepper_free(&sp);
		script_free(&s);
	}
}
