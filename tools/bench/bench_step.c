/*
 * bench_step.c - the cost of going back: `ipcsim step`'s step back and
 * `ipcsim repl`'s :undo, each against one step forward at the same place,
 * on a scenario of N msgsnd/msgrcv steps (see bench_step.h).
 *
 * Both go back through the kernel's undo log and a copy of the
 * interpreter's state, so the ratio stays near 1 at every N; the re-run
 * column is what going back cost when it meant replaying from a fresh
 * kernel (a new stepper or session brought to step N).
 */
#include "bench_step.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ipcsim/script.h"
#include "ipcsim/session.h"

#define MAX_ROUNDS 64

static const char *step_line(int i)
{
	return i % 2 ? "P1: msgrcv(q, &m, 64, 0, 0)" : "P1: msgsnd(q, {1, \"ping\"}, 5, 0)";
}

/* "msgget" then n alternating sends and receives. */
static char *scenario_text(int n, size_t *len)
{
	size_t cap = 64 + (size_t)n * 48, used = 0;
	char *s = malloc(cap);

	if (!s)
		bench_die("malloc", 0);
	used += (size_t)snprintf(s, cap, "P1: q = msgget(IPC_PRIVATE, 0600)\n");
	for (int i = 0; i < n; i++)
		used += (size_t)snprintf(s + used, cap - used, "%s\n", step_line(i));
	*len = used;
	return s;
}

/* Seconds of one step forward (n-1 -> n), one step back (n -> n-1), and of
 * a fresh stepper brought to step n (the re-run). */
static void stepper_times(struct script *s, int n, FILE *null, double *fwd, double *back,
                          double *rerun)
{
	struct script_stepper *sp;
	double t0;

	t0 = bench_now();
	sp = script_stepper_new(s);
	if (!sp || script_stepper_goto(sp, n, null, 0) != 0)
		bench_die("script_stepper_goto", 0);
	*rerun = bench_now() - t0;
	t0 = bench_now();
	script_stepper_goto(sp, n + 1, null, 0);
	*fwd = bench_now() - t0;
	t0 = bench_now();
	script_stepper_goto(sp, n, null, 0);
	*back = bench_now() - t0;
	script_stepper_free(&sp);
}

/* Seconds of feeding line n+1 to a session of n lines, of undoing it, and
 * of feeding the n lines to a fresh session (the re-run). */
static void session_times(int n, FILE *null, double *feed, double *undo, double *rerun)
{
	struct script_session *ss;
	double t0;

	t0 = bench_now();
	ss = script_session_new("<bench>");
	if (!ss)
		bench_die("script_session_new", 0);
	script_session_feed(ss, "P1: q = msgget(IPC_PRIVATE, 0600)", null, null, 0);
	for (int i = 0; i < n; i++)
		script_session_feed(ss, step_line(i), null, null, 0);
	*rerun = bench_now() - t0;
	t0 = bench_now();
	if (script_session_feed(ss, step_line(n), null, null, 0) != 0)
		bench_die("script_session_feed", 0);
	*feed = bench_now() - t0;
	t0 = bench_now();
	script_session_undo(ss, null);
	*undo = bench_now() - t0;
	script_session_free(&ss);
}

int bench_step_run(const struct bench_opts *o)
{
	static const int sizes[] = { 100, 1000, 5000 };
	int rounds = o->rounds < 1 ? 1 : o->rounds > MAX_ROUNDS ? MAX_ROUNDS : o->rounds;
	FILE *null = fopen("/dev/null", "w");

	if (!null)
		return -1;
	printf("\nipcsim bench: going back one step vs one step forward (goal: O(1), a ratio "
	       "near 1 at every N), and the re-run it replaces\n");
	printf("  %d rounds; medians, [min-max] of the rounds\n", rounds);
	printf("%-40s %10s %12s %12s %22s\n", "workload", "fwd us", "back us", "re-run us",
	       "back/fwd");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int n = (int)(sizes[i] * (o->scale < 1 ? o->scale : 1));
		double fwd[2][MAX_ROUNDS], back[2][MAX_ROUNDS], ratio[2][MAX_ROUNDS];
		double rerun[2][MAX_ROUNDS];
		size_t len;
		char *text, name[64], spread[64];
		struct script *s;

		if (n < 2)
			n = 2;
		text = scenario_text(n + 1, &len);
		s = script_parse("<bench>", text, len, stderr);
		if (!s)
			bench_die("script_parse", 0);
		for (int r = 0; r < rounds; r++) {
			stepper_times(s, n, null, &fwd[0][r], &back[0][r], &rerun[0][r]);
			session_times(n, null, &fwd[1][r], &back[1][r], &rerun[1][r]);
			ratio[0][r] = back[0][r] / fwd[0][r];
			ratio[1][r] = back[1][r] / fwd[1][r];
		}
		for (int w = 0; w < 2; w++) {
			double fm, bm, rm, xm, lo, hi;

			bench_stats(rerun[w], rounds, &xm, &lo, &hi);
			bench_stats(fwd[w], rounds, &fm, &lo, &hi);
			bench_stats(back[w], rounds, &bm, &lo, &hi);
			bench_stats(ratio[w], rounds, &rm, &lo, &hi);
			snprintf(name, sizeof(name), "%s at step %d", w ? "repl :undo" : "step back", n);
			snprintf(spread, sizeof(spread), "%.1fx [%.1f-%.1f]", rm, lo, hi);
			printf("%-40s %10.1f %12.1f %12.1f %22s\n", name, fm * 1e6, bm * 1e6, xm * 1e6,
			       spread);
		}
		script_free(&s);
		free(text);
		fflush(stdout);
	}
	fclose(null);
	return 0;
}
