/*
 * test_explore.c - programs, schedules and the explorer: the programs'
 * grammar and its errors, round robin as the default schedule, the counts
 * of interleavings worked out by hand (C(6,3) = 20 for two deposits,
 * C(20,10) = 184,756 for two processes of five load/store increments), a
 * run saved and rewound to, and the reductions (local steps alone, sleep
 * sets) checked against the naive search and against a plain enumeration
 * of every schedule on every lesson with programs and on hundreds of
 * generated programs, some over several IPC objects.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/backend.h"
#include "ipcsim/explore.h"
#include "ipcsim/kernel.h"
#include "ipcsim/sched.h"
#include "ipcsim/script.h"
#include "ipcsim/session.h"
#include "explore/explore_int.h"
#include "../lib/script_fixture.h"

static const char deposit[] =
	"parent: id = shmget(IPC_PRIVATE, 4096, 0600)\n"
	"parent: balance = shmat(id, NULL, 0)\n"
	"parent: store(balance, 100)\n"
	"parent: child = fork()\n"
	"program parent {\n"
	"    r = load(balance)\n"
	"    r = r + 50\n"
	"    store(balance, r)\n"
	"}\n"
	"program child {\n"
	"    r = load(balance)\n"
	"    r = r + 50\n"
	"    store(balance, r)\n"
	"}\n"
	"parent: final = load(balance)\n";

static struct script *parse(const char *text)
{
	struct script *s = script_parse("t.scn", text, strlen(text), stderr);

	cr_assert_not_null(s, "does not parse:\n%s", text);
	return s;
}

static struct explore *explore_text(struct script *s, int naive, long long random)
{
	struct explore_options o = { 0 };
	struct explore *ex;

	o.naive = naive;
	o.random_runs = random;
	o.seed = 1;
	ex = explore_run(s, &o);
	cr_assert_not_null(ex);
	return ex;
}

/* The outcomes, sorted, one a line (explore_outcome_text_at's order). */
static char *outcome_set(const struct explore *ex)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	for (int i = 0; i < explore_outcomes(ex); i++)
		fprintf(w, "%s\n", explore_outcome_text_at(ex, i));
	fclose(w);
	return buf;
}

/* ---- the language ------------------------------------------------------------ */

struct bad_program {
	char text[200];
	char diag[200];
};

static struct bad_program bad_programs[] = {
	{ "program P1 {\n    getpid()\n",
	  "t.scn:1:1: error: program P1 is not closed: expected '}' by the end of the file" },
	{ "program P1 {\n} else {\n}\n",
	  "t.scn:2:3: error: 'else' without an 'if' block to close" },
	{ "program P1 {\n}\n", "t.scn:2:1: error: program P1 has no lines" },
	{ "program P1 {\n    $ ipcs\n}\n",
	  "t.scn:2:5: error: a program's lines are calls, assignments, 'repeat N {', "
	  "'if (a OP b) {', '} else {' and '}'; '$' lines go outside it" },
	{ "program P1 {\n    P1: getpid()\n}\n",
	  "t.scn:2:5: error: a program's lines are P1's: write the call without 'P1:'" },
	{ "program P1 {\n    r = x + 1\n}\n",
	  "t.scn:2:9: error: 'x' is used before any line binds it" },
	{ "program P1 {\n    repeat n {\n    }\n}\n",
	  "t.scn:2:12: error: 'n' is used before any line binds it" },
	{ "program P1 {\n    if (r) {\n    }\n}\n",
	  "t.scn:2:10: error: assert needs a comparison: a == b, !=, <, <=, >, >=" },
	{ "program P1 {\n    getpid()\n}\nprogram P1 {\n    getpid()\n}\n",
	  "t.scn:6:1: error: P1 already has a program here (line 1): one program a process, "
	  "run side by side with the programs next to it" },
	{ "program P1 {\n    repeat 2 \n}\n",
	  "t.scn:2:14: error: expected '{' to open the block, found the end of the line" },
	{ "P1: x = 1\nprogram P1 {\n    x = x + 1\n}\n",
	  "t.scn:3:5: error: 'x' is read and bound here, and a program's variables are its own: "
	  "give P1's x its first value on a line of its own (as 'x = 0')" },
	{ "P1: x = 1 = -1 EPERM\n",
	  "t.scn:1:11: error: an assignment's result is its value, as '= 150'" },
};

ParameterizedTestParameters(explore, bad_program)
{
	return cr_make_param_array(struct bad_program, bad_programs,
	                           sizeof(bad_programs) / sizeof(bad_programs[0]));
}

ParameterizedTest(struct bad_program *c, explore, bad_program)
{
	char *diag = script_fixture_parse_error(c->text);

	cr_assert_not_null(diag, "parsed:\n%s", c->text);
	cr_expect_str_eq(diag, c->diag);
	free(diag);
}

Test(explore, round_robin_is_the_default)
{
	struct script_fixture_run r;

	script_fixture_run(deposit, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	/* rr:1 from the first program: each process one line, in turn. */
	cr_expect(strstr(r.out,
	                 "parent: r_parent = load(balance) = 100\n"
	                 "child: r_child = load(balance) = 100\n"
	                 "parent: r_parent = r_parent + 50 = 150\n"
	                 "child: r_child = r_child + 50 = 150\n"
	                 "parent: store(balance, r_parent) = 0\n"
	                 "child: store(balance, r_child) = 0\n"
	                 "parent: final = load(balance) = 150\n") != NULL, "%s", r.out);
	script_fixture_release(&r);
}

Test(explore, loops_and_branches)
{
	struct script_fixture_run r;
	char *diag;

	/* A program's variables are its own: outside, n is not bound. */
	diag = script_fixture_parse_error("program P1 {\n    n = 0\n}\nP1: assert(n == 0)\n");
	cr_expect_str_eq(diag, "t.scn:4:12: error: 'n' is used before any line binds it");
	free(diag);
	script_fixture_run("program P1 {\n"
	                   "    n = 0\n"
	                   "    repeat 3 {\n"
	                   "        n = n + 2\n"
	                   "        if (n == 4) {\n"
	                   "            m = 40\n"
	                   "        } else {\n"
	                   "            m = n\n"
	                   "        }\n"
	                   "    }\n"
	                   "    repeat 0 {\n"
	                   "        n = 99\n"
	                   "    }\n"
	                   "}\n"
	                   "P1: assert(n_P1 == 6)\n"
	                   "P1: assert(m_P1 == 6)\n", &r);
	cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_expect(strstr(r.out, "P1: m_P1 = 40 = 40\n") != NULL, "%s", r.out);
	cr_expect_eq(r.stats.passed, 2);
	script_fixture_release(&r);
}

Test(explore, schedules_refused)
{
	static const char *const bad[] = { "rr:0", "rr:x", "random:", "random:-1", "P1,,P2",
	                                   "P1 P2", "P1*0", "P1*", "rr:1000000001" };
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(script_schedule_check(bad[i], err, sizeof(err)), -1, "%s", bad[i]);
	cr_expect_eq(script_schedule_check("rr:3", err, sizeof(err)), 0);
	cr_expect_eq(script_schedule_check("random:7", err, sizeof(err)), 0);
	cr_expect_eq(script_schedule_check("P1*3,P2,P1", err, sizeof(err)), 0);
}

/* ---- the counts worked out by hand -------------------------------------------- */

Test(explore, two_deposits_twenty_interleavings)
{
	struct script *s = parse(deposit);
	struct explore *ex = explore_text(s, 1, 0);

	cr_assert(explore_complete(ex));
	cr_assert_eq(explore_outcomes(ex), 2);
	/* 200 only when one deposit's three steps all come before the
	 * other's: 2 of the C(6,3) = 20 interleavings. */
	cr_expect_str_eq(explore_outcome_text_at(ex, 0), "*balance = 150, final = 150, left: 1 segment");
	cr_expect_eq(explore_outcome_count(ex, 0), 18);
	cr_expect_str_eq(explore_outcome_text_at(ex, 1), "*balance = 200, final = 200, left: 1 segment");
	cr_expect_eq(explore_outcome_count(ex, 1), 2);
	explore_free(&ex);
	script_free(&s);
}

Test(explore, two_by_five_increments)
{
	struct script *s = parse("P1: id = shmget(IPC_PRIVATE, 4096, 0600)\n"
	                         "P1: c = shmat(id, NULL, 0)\n"
	                         "P1: P2 = fork()\n"
	                         "program P1 {\n    repeat 5 {\n        r = load(c)\n"
	                         "        store(c, r + 1)\n    }\n}\n"
	                         "program P2 {\n    repeat 5 {\n        r = load(c)\n"
	                         "        store(c, r + 1)\n    }\n}\n");
	struct explore *ex = explore_text(s, 1, 0);
	uint64_t total = 0;

	cr_assert(explore_complete(ex));
	/* Ten increments lose at most eight: every value from 2 to 10. */
	cr_assert_eq(explore_outcomes(ex), 9);
	for (int i = 0; i < 9; i++) {
		char want[48];

		snprintf(want, sizeof(want), "*c = %d, left: 1 segment", i + 2);
		cr_expect_str_eq(explore_outcome_text_at(ex, i), want);
		total += explore_outcome_count(ex, i);
	}
	cr_expect_eq(total, 184756); /* C(20, 10) */
	cr_expect_eq(explore_outcome_count(ex, 8), 252); /* no update lost: C(10, 5) */
	explore_free(&ex);
	script_free(&s);
}

/* ---- going back: a save, and rewinds to it ---------------------------------- */

static void digest(const struct script_sched *r, uint64_t h[2])
{
	h[0] = 1;
	h[1] = 2;
	script_sched_hash(r, h);
}

static long balance_of(struct script_sched *r)
{
	const struct sim_kernel *k = backend_kernel(script_sched_backend(r));
	long v = -1;

	cr_assert_eq(sim_shm_peek(k, 0, 0, &v, sizeof(v)), 0);
	return v;
}

Test(explore, rewinds_come_back_to_the_saved_state)
{
	struct script *s = parse(deposit);
	struct script_sched *r = script_sched_new(s, NULL, NULL);
	struct script_sched_save *at_start, *after_two;
	uint64_t h0[2], h1[2], h[2];

	cr_assert_not_null(r);
	cr_assert_eq(script_sched_advance(r), 2);
	digest(r, h0);
	at_start = script_sched_save(r);
	cr_assert_not_null(at_start);
	/* parent loads and adds; child loads, adds and stores 150 */
	cr_assert_eq(script_sched_step(r, 0), 0);
	script_sched_advance(r);
	cr_assert_eq(script_sched_step(r, 0), 0);
	script_sched_advance(r);
	digest(r, h1);
	after_two = script_sched_save(r); /* nested: newer than at_start */
	cr_assert_not_null(after_two);
	for (int i = 0; i < 3; i++) {
		script_sched_advance(r);
		cr_assert_eq(script_sched_step(r, 1), 0);
	}
	cr_expect_eq(balance_of(r), 150);
	cr_assert_eq(script_sched_rewind(r, after_two), 0);
	cr_expect_eq(script_sched_advance(r), 2);
	digest(r, h);
	cr_expect(h[0] == h1[0] && h[1] == h1[1], "the state after two steps, again");
	cr_expect_eq(balance_of(r), 100);
	/* the other way from here: parent stores first */
	cr_assert_eq(script_sched_step(r, 0), 0);
	cr_expect_eq(balance_of(r), 150);
	script_sched_release(r, &after_two);
	cr_expect_null(after_two);
	/* twice to the start, each time the same state */
	for (int round = 0; round < 2; round++) {
		cr_assert_eq(script_sched_rewind(r, at_start), 0);
		cr_expect_eq(script_sched_advance(r), 2);
		digest(r, h);
		cr_expect(h[0] == h0[0] && h[1] == h0[1], "round %d: the start again", round);
		cr_expect_eq(balance_of(r), 100);
		while (script_sched_advance(r) > 0)
			cr_assert_eq(script_sched_step(r, 0), 0);
		cr_expect_eq(balance_of(r), 200);
	}
	script_sched_release(r, &at_start);
	script_sched_free(&r);
	script_free(&s);
}

/* The search is a recursion as deep as the longest schedule (10,000 steps
 * at most): its frames must fit the default stack.  The second process's
 * semop touches a set the first never does: asleep, one schedule. */
Test(explore, a_schedule_of_ten_thousand_steps_fits_the_stack, .timeout = 120)
{
	struct script *s = parse("P1: id = shmget(IPC_PRIVATE, 4096, 0600)\n"
	                         "P1: c = shmat(id, NULL, 0)\nP1: P2 = fork()\n"
	                         "program P1 {\n    repeat 4999 {\n        r = load(c)\n"
	                         "        store(c, r + 1)\n    }\n}\n"
	                         "program P2 {\n    semop(0, [{0, 1, 0}], 1)\n}\n"
	                         "P1: final = load(c)\n");
	struct explore *ex = explore_text(s, 0, 0);
	uint64_t schedules, states, steps;

	cr_assert(explore_complete(ex));
	explore_counts(ex, &schedules, &states, &steps);
	cr_expect_eq(schedules, 1);
	cr_expect_eq(explore_outcomes(ex), 1);
	cr_expect_str_eq(explore_outcome_text_at(ex, 0), "*c = 4999, final = 4999, left: 1 segment");
	explore_free(&ex);
	script_free(&s);
}

Test(explore, deadlock_and_its_shortest_witness)
{
	struct script *s = parse("P1: s = semget(IPC_PRIVATE, 2, 0600)\n"
	                         "P1: semctl(s, 0, SETALL, [1, 1])\n"
	                         "P1: P2 = fork()\n"
	                         "program P1 {\n    semop(s, [{0, -1, 0}], 1)\n"
	                         "    semop(s, [{1, -1, 0}], 1)\n    semop(s, [{1, +1, 0}], 1)\n"
	                         "    semop(s, [{0, +1, 0}], 1)\n}\n"
	                         "program P2 {\n    semop(s, [{1, -1, 0}], 1)\n"
	                         "    semop(s, [{0, -1, 0}], 1)\n    semop(s, [{0, +1, 0}], 1)\n"
	                         "    semop(s, [{1, +1, 0}], 1)\n}\n");
	struct explore *ex = explore_text(s, 0, 0);
	char *w;

	cr_assert_eq(explore_outcomes(ex), 2);
	cr_expect_str_eq(explore_outcome_text_at(ex, 0), "DEADLOCK, s = [0, 0], P1 blocked in "
	                 "semop (line 6), P2 blocked in semop (line 12), left: 1 semaphore set");
	w = explore_witness_schedule(ex, 0);
	/* Each takes its first semaphore, then each asks for the other's. */
	cr_expect(strcmp(w, "P1,P2,P1,P2") == 0 || strcmp(w, "P2,P1,P2,P1") == 0 ||
	          strcmp(w, "P1,P2*2,P1") == 0 || strcmp(w, "P2,P1*2,P2") == 0, "%s", w);
	free(w);
	cr_expect_str_eq(explore_outcome_text_at(ex, 1), "s = [1, 1], left: 1 semaphore set");
	explore_free(&ex);
	script_free(&s);
}

/* ---- the reduction keeps every outcome ---------------------------------------- */

static unsigned next(unsigned long long *seed)
{
	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(*seed >> 33);
}

/* One generated line (or block) of a program. */
static void gen_line(FILE *w, unsigned long long *seed)
{
	unsigned k = next(seed) % 4 + 1;

	switch (next(seed) % 12) {
	case 0: fprintf(w, "    r = load(a)\n"); break;
	case 1: fprintf(w, "    r = r + %u\n", k); break;
	case 2: fprintf(w, "    store(a, r)\n"); break;
	case 3: fprintf(w, "    store(a + 8, %u)\n", k); break;
	case 4: fprintf(w, "    semop(s, [{0, -1, 0}], 1)\n"); break;
	case 5: fprintf(w, "    semop(s, [{0, +1, 0}], 1)\n"); break;
	case 6: fprintf(w, "    msgsnd(q, {%u, \"x\"}, 2, 0)\n", k); break;
	case 7: fprintf(w, "    msgrcv(q, &m, 8, 0, 0)\n"); break;
	case 8: fprintf(w, "    msgrcv(q, &m, 8, %u, IPC_NOWAIT)\n", k); break;
	case 9: fprintf(w, "    if (r > %u) {\n        store(a, r)\n    } else {\n"
	                "        r = r + 1\n    }\n", k); break;
	case 10: fprintf(w, "    repeat 2 {\n        r = load(a)\n        store(a, r + 1)\n"
	                 "    }\n"); break;
	default: fprintf(w, "    x = load(a + 8)\n"); break;
	}
}


/* ---- the reduction over several IPC objects --------------------------------- */

/* One generated line (or block) of a program over two segments (a, b), two
 * semaphore sets (s of 2, t of 1) and two queues (q, u): steps that touch
 * one object, the same one or another, ids made and removed in programs,
 * blocking calls, failing asserts and expectations, exits and faults. */
static void gen_ipc_line(FILE *w, unsigned long long *seed)
{
	unsigned k = next(seed) % 3 + 1;

	switch (next(seed) % 28) {
	case 0: fprintf(w, "    r = load(a)\n"); break;
	case 1: fprintf(w, "    r = load(a + %u)\n", 8 * (k - 1)); break;
	case 2: fprintf(w, "    store(a, r + %u)\n", k); break;
	case 3: fprintf(w, "    store(a + %u, r)\n", 8 * k); break;
	case 4: fprintf(w, "    r = load(b)\n"); break;
	case 5: fprintf(w, "    store(b, r + %u)\n", k); break;
	case 6: fprintf(w, "    r = r + %u\n", k); break;
	case 7: fprintf(w, "    semop(s, [{0, -1, 0}], 1)\n"); break;
	case 8: fprintf(w, "    semop(s, [{0, +1, 0}], 1)\n"); break;
	case 9: fprintf(w, "    r = semop(s, [{1, -1, IPC_NOWAIT}], 1)\n"); break;
	case 10: fprintf(w, "    semop(t, [{0, -1, 0}], 1)\n"); break;
	case 11: fprintf(w, "    semop(t, [{0, +1, SEM_UNDO}], 1)\n"); break;
	case 12: fprintf(w, "    msgsnd(q, {%u, \"x\"}, 2, 0)\n", k); break;
	case 13: fprintf(w, "    r = msgsnd(u, {%u, \"yy\"}, 3, IPC_NOWAIT)\n", k); break;
	case 14: fprintf(w, "    r = msgrcv(q, &m, 8, 0, 0)\n"); break;
	case 15: fprintf(w, "    r = msgrcv(u, &m, 8, %u, IPC_NOWAIT)\n", k); break;
	case 16: fprintf(w, "    r = semctl(t, 0, GETVAL)\n"); break;
	case 17: fprintf(w, "    semctl(s, 1, SETVAL, %u)\n", k); break;
	case 18: fprintf(w, "    r = msgctl(u, IPC_STAT, &ds)\n"); break;
	case 19: fprintf(w, "    r = semctl(t, 0, IPC_RMID)\n"); break;
	case 20: fprintf(w, "    r = semget(IPC_PRIVATE, 1, 0600)\n"); break;
	case 21: fprintf(w, "    assert(r < %u)\n", k + 1); break;
	case 22: fprintf(w, "    semop(s, [{0, +1, 0}], 1) = 0\n"); break;
	case 23: fprintf(w, "    if (r > %u) {\n        msgrcv(q, &m, 8, 0, IPC_NOWAIT)\n    } else {\n"
	                 "        semop(t, [{0, +1, 0}], 1)\n    }\n", k); break;
	case 24: fprintf(w, "    repeat 2 {\n        r = load(b)\n        store(b, r + 1)\n    }\n"); break;
	case 25: fprintf(w, "    store(a + 24, r)\n"); break;
	case 26: fprintf(w, "    r = msgrcv(q, &m, 8, %u, IPC_NOWAIT)\n", k); break;
	default:
		if (k == 1)
			fprintf(w, "    exit(0)\n");
		else if (k == 2)
			fprintf(w, "    shmdt(b)\n");
		else
			fprintf(w, "    msgctl(u, IPC_RMID, NULL)\n");
		break;
	}
}

/* The objects the generated programs share, made before them. */
static void setup_one_each(FILE *w, unsigned long long *seed)
{
	fprintf(w, "P1: id = shmget(IPC_PRIVATE, 4096, 0600)\nP1: a = shmat(id, NULL, 0)\n"
	        "P1: s = semget(IPC_PRIVATE, 1, 0600)\nP1: semctl(s, 0, SETVAL, %u)\n"
	        "P1: q = msgget(IPC_PRIVATE, 0600)\n", next(seed) % 3);
}

static void setup_two_each(FILE *w, unsigned long long *seed)
{
	unsigned s0 = next(seed) % 2, t0 = next(seed) % 2;

	fprintf(w, "P1: id = shmget(IPC_PRIVATE, 4096, 0600)\nP1: a = shmat(id, NULL, 0)\n"
	        "P1: id2 = shmget(IPC_PRIVATE, 4096, 0600)\nP1: b = shmat(id2, NULL, 0)\n"
	        "P1: s = semget(IPC_PRIVATE, 2, 0600)\nP1: semctl(s, 0, SETVAL, %u)\n"
	        "P1: t = semget(IPC_PRIVATE, 1, 0600)\nP1: semctl(t, 0, SETVAL, %u)\n"
	        "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: u = msgget(IPC_PRIVATE, 0600)\n", s0, t0);
}

/* A kind of generated program: the objects, a line, how many lines a
 * program of two and of three processes has at most, the lines after. */
struct gen_kind {
	void (*setup)(FILE *w, unsigned long long *seed);
	void (*line)(FILE *w, unsigned long long *seed);
	int most2, most3;
	const char *tail;
};

static const struct gen_kind one_each = {
	setup_one_each, gen_line, 4, 4, "P1: final = load(a)\n",
};
static const struct gen_kind two_each = {
	setup_two_each, gen_ipc_line, 5, 3,
	"P1: final = load(a)\nP1: final2 = load(a + 8)\nP1: final3 = load(a + 16)\n"
	"P1: final4 = load(a + 24)\n",
};

static char *gen_text(const struct gen_kind *g, unsigned long long *seed)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);
	int nproc = 2 + (int)(next(seed) % 2);

	g->setup(w, seed);
	for (int p = 2; p <= nproc; p++)
		fprintf(w, "P1: P%d = fork()\n", p);
	for (int p = 1; p <= nproc; p++) {
		int lines = 1 + (int)(next(seed) % (unsigned)(nproc == 2 ? g->most2 : g->most3));

		fprintf(w, "program P%d {\n    r = %s\n", p, next(seed) % 2 ? "load(a)" : "1");
		for (int l = 0; l < lines; l++)
			g->line(w, seed);
		fprintf(w, "}\n");
	}
	fputs(g->tail, w);
	fclose(w);
	return buf;
}

/* Every schedule run to its end, one after the other, with no state
 * stored and no reduction (rewinding to each choice point), its outcomes
 * added to *set (sorted lines); the schedules counted.  The reference the
 * search is held to. */
struct plain {
	char **texts;
	int n;
	long long schedules;
};

static void plain_add(struct plain *pl, char *text)
{
	for (int i = 0; i < pl->n; i++)
		if (strcmp(pl->texts[i], text) == 0) {
			free(text);
			return;
		}
	pl->texts = realloc(pl->texts, (size_t)(pl->n + 1) * sizeof(*pl->texts));
	cr_assert_not_null(pl->texts);
	pl->texts[pl->n++] = text;
}

static void plain_search(struct script_sched *r, struct plain *pl, long long limit)
{
	int n = script_sched_advance(r);
	struct script_sched_save *sv;

	if (pl->schedules > limit)
		return;
	if (n <= 0) {
		char *text = explore_outcome_text(r);

		cr_assert_not_null(text);
		plain_add(pl, text);
		pl->schedules++;
		return;
	}
	sv = script_sched_save(r);
	cr_assert_not_null(sv);
	for (int k = 0; k < n; k++) {
		if (k > 0) {
			cr_assert_eq(script_sched_rewind(r, sv), 0);
			cr_assert_eq(script_sched_advance(r), n);
		}
		script_sched_step(r, k);
		plain_search(r, pl, limit);
	}
	script_sched_release(r, &sv);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The naive search, the reduced one and (when there are few enough
 * schedules) the plain enumeration reach the same end states; the reduced
 * search takes no more steps than the naive one. */
static void same_outcomes(const char *name, const char *text, long long limit,
                          uint64_t totals[4])
{
	struct script *s = parse(text);
	struct explore *naive = explore_text(s, 1, 0), *reduced = explore_text(s, 0, 0);
	struct explore *sample = explore_text(s, 0, 50);
	char *a = outcome_set(naive), *b = outcome_set(reduced);
	uint64_t sched[2], states[2], steps[2];

	cr_assert(explore_complete(naive) && explore_complete(reduced), "%s", name);
	cr_expect_str_eq(a, b, "%s:\n%s", name, text);
	/* What random schedules reach, the search found. */
	for (int i = 0; i < explore_outcomes(sample); i++)
		cr_expect(strstr(a, explore_outcome_text_at(sample, i)) != NULL, "%s: %s", name,
		          explore_outcome_text_at(sample, i));
	explore_free(&sample);
	explore_counts(naive, &sched[0], &states[0], &steps[0]);
	explore_counts(reduced, &sched[1], &states[1], &steps[1]);
	cr_expect_leq(steps[1], steps[0], "%s", name);
	cr_expect_leq(sched[1], sched[0], "%s", name);
	totals[0] += steps[0];
	totals[1] += steps[1];
	totals[2] += sched[0];
	totals[3] += sched[1];
	if (sched[0] <= (uint64_t)limit) {
		struct script_sched *r = script_sched_new(s, NULL, NULL);
		struct plain pl = { 0 };
		char *joined = NULL;
		size_t len = 0;
		FILE *w = open_memstream(&joined, &len);

		cr_assert_not_null(r);
		plain_search(r, &pl, limit);
		script_sched_free(&r);
		cr_expect_eq((uint64_t)pl.schedules, sched[0], "%s: every interleaving (%lld, %llu)", name, pl.schedules, (unsigned long long)sched[0]);
		qsort(pl.texts, (size_t)pl.n, sizeof(*pl.texts), by_text);
		for (int i = 0; i < pl.n; i++) {
			fprintf(w, "%s\n", pl.texts[i]);
			free(pl.texts[i]);
		}
		free(pl.texts);
		fclose(w);
		/* outcome_set lists in the report's order: compare as sorted sets */
		{
			char *sorted_a = NULL;
			size_t alen = 0;
			FILE *aw = open_memstream(&sorted_a, &alen);
			char **lines = NULL;
			int nl = 0;

			for (char *line = strtok(a, "\n"); line != NULL; line = strtok(NULL, "\n")) {
				lines = realloc(lines, (size_t)(nl + 1) * sizeof(*lines));
				lines[nl++] = line;
			}
			qsort(lines, (size_t)nl, sizeof(*lines), by_text);
			for (int i = 0; i < nl; i++)
				fprintf(aw, "%s\n", lines[i]);
			fclose(aw);
			free(lines);
			cr_expect_str_eq(sorted_a, joined, "%s: the plain enumeration:\n%s", name, text);
			free(sorted_a);
		}
		free(joined);
	}
	free(a);
	free(b);
	explore_free(&naive);
	explore_free(&reduced);
	script_free(&s);
}

/* Under the sanitizers with the kernel's invariant checker after every
 * step (make asan) a search is some twenty times slower: fewer programs. */
#ifdef IPCSIM_CHECK_INVARIANTS
#define GENERATED 40
#else
#define GENERATED 300
#endif

/* GENERATED programs of gen from seed, each held to same_outcomes; the
 * reduced search must take fewer steps than the naive one over them all. */
static void generated(const struct gen_kind *g, unsigned long long seed, const char *what)
{
	uint64_t totals[4] = { 0 };

	for (int i = 0; i < GENERATED; i++) {
		char *text = gen_text(g, &seed), name[48];

		snprintf(name, sizeof(name), "%s #%d", what, i);
		same_outcomes(name, text, 3000, totals);
		free(text);
	}
	cr_expect_lt(totals[1], totals[0], "%s: steps: reduced %llu, naive %llu", what,
	             (unsigned long long)totals[1], (unsigned long long)totals[0]);
}

Test(explore, reduction_keeps_outcomes_on_generated_programs, .timeout = 600)
{
	generated(&one_each, 12, "generated");
}

Test(explore, reduction_keeps_outcomes_over_several_ipc_objects, .timeout = 600)
{
	generated(&two_each, 2026, "generated IPC");
}

Test(explore, reduction_keeps_outcomes_on_the_lessons, .timeout = 600)
{
	DIR *d = opendir("scenarios");
	struct dirent *e;
	int lessons = 0;
	uint64_t totals[4] = { 0 };

	cr_assert_not_null(d, "run from the repository's root");
	while ((e = readdir(d)) != NULL) {
		char path[512], *text;
		size_t len = 0;
		FILE *f;

		if (strstr(e->d_name, ".scn") == NULL)
			continue;
		snprintf(path, sizeof(path), "scenarios/%s", e->d_name);
		f = fopen(path, "r");
		cr_assert_not_null(f);
		text = calloc(1, 1 << 16);
		len = fread(text, 1, (1 << 16) - 1, f);
		fclose(f);
		text[len] = '\0';
		if (strstr(text, "\nprogram ") != NULL) {
			same_outcomes(path, text, 50000, totals);
			lessons++;
		}
		free(text);
	}
	closedir(d);
	cr_expect_geq(lessons, 9);
}

/* ---- ipcsim step: every program step is a step ------------------------------ */

Test(explore, stepper_shows_each_program_step)
{
	struct script *s = parse(deposit);
	struct script_stepper *sp = script_stepper_new(s);
	FILE *null = fopen("/dev/null", "w");

	cr_assert_not_null(sp);
	/* 4 lines before, 3 + 3 program steps, 1 after. */
	cr_expect_eq(script_stepper_count(sp), 11);
	/* rr:1: parent's load (line 6), child's load (line 11), parent's add. */
	cr_expect_eq(script_stepper_line(sp, 5), 6);
	cr_expect_eq(script_stepper_line(sp, 6), 11);
	cr_expect_eq(script_stepper_line(sp, 7), 7);
	cr_expect_eq(script_stepper_line(sp, 11), 15);
	cr_expect_eq(script_stepper_goto(sp, 9, null, 0), 0);
	cr_expect_eq(script_stepper_goto(sp, 6, null, 0), 0); /* back */
	cr_expect_eq(script_stepper_pos(sp), 6);
	cr_expect_eq(script_stepper_goto(sp, 11, null, 0), 0);
	fclose(null);
	script_stepper_free(&sp);
	script_free(&s);
}

/* What going to step k prints, with the drawing after it. */
static char *goto_text(struct script_stepper *sp, int k)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	cr_assert_not_null(w);
	script_stepper_goto(sp, k, w, 0);
	script_stepper_show(sp, w, 0);
	fprintf(w, "pos %d\n", script_stepper_pos(sp));
	fclose(w);
	return buf;
}

/* Back to a step inside the programs (the kernel rewound, the interpreter
 * restored from its snapshot, the programs' places, loop counters and the
 * schedule's position with it) is the state a fresh run reaches there. */
Test(explore, stepper_back_into_programs_is_a_fresh_run)
{
	static const char text[] =
		"parent: id = shmget(IPC_PRIVATE, 4096, 0600)\n"
		"parent: c = shmat(id, NULL, 0)\n"
		"parent: child = fork()\n"
		"program parent {\n"
		"    repeat 2 {\n"
		"        r = load(c)\n"
		"        r = r + 1\n"
		"        store(c, r)\n"
		"    }\n"
		"}\n"
		"program child {\n"
		"    repeat 2 {\n"
		"        r = load(c)\n"
		"        r = r - 1\n"
		"        store(c, r)\n"
		"    }\n"
		"}\n"
		"parent: final = load(c)\n";
	struct script *s = parse(text);
	char err[256];
	struct script_stepper *sp;
	int n;

	cr_assert_eq(script_set_schedule(s, "random:7", err, sizeof(err)), 0, "%s", err);
	sp = script_stepper_new(s);
	cr_assert_not_null(sp);
	n = script_stepper_count(sp);
	cr_expect_eq(n, 3 + 12 + 1);
	for (int k = n - 1; k >= 1; k--) {
		struct script_stepper *fresh = script_stepper_new(s);
		char *back, *want;

		cr_assert_not_null(fresh);
		free(goto_text(sp, n)); /* forward to the end, then back to k */
		back = goto_text(sp, k);
		want = goto_text(fresh, k);
		cr_expect_str_eq(back, want, "step %d", k);
		free(back);
		free(want);
		script_stepper_free(&fresh);
	}
	script_stepper_free(&sp);
	script_free(&s);
}
