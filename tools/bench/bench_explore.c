/*
 * bench_explore.c - the explorer's part of `make bench`: exhaustive
 * searches of the lecture's races, a random sample, states per second on a
 * semaphore workload and the memory each stored state takes.
 *
 * Rounds are interleaved (every workload once per round, then the next
 * round), and each is reported as the median of its rounds with the spread
 * (fastest, slowest), in CPU time of this process: the search is one thread,
 * and on a machine shared with other work the wall clock measures the others.  The baseline, in the same run, is what the search
 * saves: every schedule run alone from the start (one run's time, measured
 * here, times the number of schedules).  Each exhaustive workload runs
 * naively (every interleaving) and, for some, reduced (local steps alone,
 * sleep sets): the same end states from fewer schedules and steps.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_explore.h"
#include "ipcsim/explore.h"
#include "ipcsim/sched.h"
#include "ipcsim/script.h"

#define ROUNDS 5

/* n processes, each `repeat k` times the steps body (body2 for the even
 * ones, when set), on a counter at c, between semops on s with lock. */
static char *counter_text(int nproc, int k, const char *body, const char *body2, int lock)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	fprintf(w, "P1: id = shmget(IPC_PRIVATE, 4096, 0600)\nP1: c = shmat(id, NULL, 0)\n"
	        "P1: store(c, 100)\nP1: s = semget(IPC_PRIVATE, 1, 0600)\n"
	        "P1: semctl(s, 0, SETVAL, 1)\n");
	for (int p = 2; p <= nproc; p++)
		fprintf(w, "P1: P%d = fork()\n", p);
	for (int p = 1; p <= nproc; p++)
		fprintf(w, "program P%d {\n    repeat %d {\n%s%s%s    }\n}\n", p, k,
		        lock ? "        semop(s, [{0, -1, 0}], 1)\n" : "",
		        body2 != NULL && p % 2 == 0 ? body2 : body,
		        lock ? "        semop(s, [{0, +1, 0}], 1)\n" : "");
	fprintf(w, "P1: final = load(c)\n");
	fclose(w);
	return buf;
}

/* n processes, each with a semaphore set and a cell of memory of its own,
 * `repeat k` times taking and giving its set and adding to its cell: no
 * step of one touches what another's touches, so the reduced search takes
 * one order of them all. */
static char *own_objects_text(int nproc, int k)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	fprintf(w, "P1: id = shmget(IPC_PRIVATE, 4096, 0600)\nP1: c = shmat(id, NULL, 0)\n");
	for (int p = 1; p <= nproc; p++)
		fprintf(w, "P1: s%d = semget(IPC_PRIVATE, 1, 0600)\nP1: semctl(s%d, 0, SETVAL, 1)\n",
		        p, p);
	for (int p = 2; p <= nproc; p++)
		fprintf(w, "P1: P%d = fork()\n", p);
	for (int p = 1; p <= nproc; p++)
		fprintf(w, "program P%d {\n    repeat %d {\n        semop(s%d, [{0, -1, 0}], 1)\n"
		        "        r = load(c + %d)\n        store(c + %d, r + 1)\n"
		        "        semop(s%d, [{0, +1, 0}], 1)\n    }\n}\n", p, k, p, 8 * p, 8 * p, p);
	fclose(w);
	return buf;
}

struct xwork {
	const char *name;
	const char *target;   /* the bound, as text */
	int nproc, k, lock, naive, own; /* own: own_objects_text */
	const char *body, *body2;
	long long random;
	char *text;
	struct script *s;
	double secs[ROUNDS];
	uint64_t schedules, states, steps;
	int outcomes;
	size_t bytes;        /* heap held by the result: its stored states */
	double one_run;      /* one schedule run alone, seconds */
};

static const char load_add_store[] =
	"        r = load(c)\n        r = r + 50\n        store(c, r)\n";
static const char load_store[] = "        r = load(c)\n        store(c, r + 1)\n";
static const char inc[] = "        r = load(c)\n        r = r + 1\n        store(c, r)\n";
static const char dec[] = "        r = load(c)\n        r = r - 1\n        store(c, r)\n";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One search; its time, and the counts and memory of its result. */
static double search(struct xwork *x)
{
	struct explore_options o = { 0 };
	struct explore *ex;
	struct mallinfo2 before = mallinfo2(), after;
	double t0 = now(), t;

	o.naive = x->naive;
	o.random_runs = x->random;
	o.seed = 1;
	ex = explore_run(x->s, &o);
	t = now() - t0;
	if (ex == NULL) {
		fprintf(stderr, "bench: explore %s: out of memory\n", x->name);
		exit(1);
	}
	after = mallinfo2();
	explore_counts(ex, &x->schedules, &x->states, &x->steps);
	x->outcomes = explore_outcomes(ex);
	x->bytes = after.uordblks > before.uordblks ? after.uordblks - before.uordblks : 0;
	explore_free(&ex);
	return t;
}

/* One schedule (round robin) run alone: the baseline's unit. */
static double one_run(const struct script *s)
{
	double best = 1e9;

	for (int i = 0; i < 20; i++) {
		double t0 = now(), t;
		struct script_sched *r = script_sched_new(s, NULL, NULL);
		int n;

		while ((n = script_sched_advance(r)) > 0)
			script_sched_step(r, 0);
		script_sched_free(&r);
		t = now() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int bench_explore_run(void)
{
	struct xwork w[] = {
		{ .name = "2 deposits x 3 steps, every one", .target = "< 5 ms", .nproc = 2,
		  .k = 1, .naive = 1, .body = load_add_store },
		{ .name = "2 procs x 5 increments, every one", .target = "< 1 s", .nproc = 2,
		  .k = 5, .naive = 1, .body = load_store },
		{ .name = "3 procs x 3 increments, every one", .target = "< 1 s", .nproc = 3,
		  .k = 3, .naive = 1, .body = load_store },
		{ .name = "inc/dec x 100, --random 10000", .target = "< 2 s", .nproc = 2,
		  .k = 100, .body = inc, .body2 = dec, .random = 10000 },
		{ .name = "2 procs x 5 increments, reduced", .target = "", .nproc = 2, .k = 5,
		  .body = load_store },
		{ .name = "3 procs x 3 increments, reduced", .target = "", .nproc = 3, .k = 3,
		  .body = load_store },
		{ .name = "3 procs x 2 on their own sets, every one", .target = "", .nproc = 3,
		  .k = 2, .naive = 1, .own = 1 },
		{ .name = "3 procs x 2 on their own sets, reduced", .target = "", .nproc = 3,
		  .k = 2, .own = 1 },
		{ .name = "2 procs x 3 locked deposits (sem)", .target = "", .nproc = 2, .k = 3,
		  .lock = 1, .naive = 1, .body = load_add_store },
	};
	size_t n = sizeof(w) / sizeof(w[0]);

	for (size_t i = 0; i < n; i++) {
		w[i].text = w[i].own ? own_objects_text(w[i].nproc, w[i].k)
		                     : counter_text(w[i].nproc, w[i].k, w[i].body, w[i].body2, w[i].lock);
		w[i].s = script_parse(w[i].name, w[i].text, strlen(w[i].text), stderr);
		if (w[i].s == NULL)
			return -1;
		w[i].one_run = one_run(w[i].s);
	}
	for (int r = 0; r < ROUNDS; r++)
		for (size_t i = 0; i < n; i++)
			w[i].secs[r] = search(&w[i]);
	printf("\nipcsim bench: explore, CPU time, median of %d interleaved rounds (fastest-slowest);"
	       "\nbaseline: every schedule run alone from the start (one run x schedules)\n",
	       ROUNDS);
	printf("%-42s %10s %7s %7s %8s %10s %16s %7s %11s %8s\n", "workload", "schedules",
	       "states", "steps", "outcomes", "median", "spread", "target", "baseline", "speedup");
	for (size_t i = 0; i < n; i++) {
		double sorted[ROUNDS], base = w[i].one_run * (double)w[i].schedules;
		char spread[40];

		memcpy(sorted, w[i].secs, sizeof(sorted));
		qsort(sorted, ROUNDS, sizeof(double), by_value);
		snprintf(spread, sizeof(spread), "%.1f-%.1fms", sorted[0] * 1e3,
		         sorted[ROUNDS - 1] * 1e3);
		printf("%-42s %10llu %7llu %7llu %8d %8.1fms %16s %7s %9.1fms %7.1fx\n", w[i].name,
		       (unsigned long long)w[i].schedules, (unsigned long long)w[i].states,
		       (unsigned long long)w[i].steps,
		       w[i].outcomes, sorted[ROUNDS / 2] * 1e3, spread, w[i].target, base * 1e3,
		       base / sorted[ROUNDS / 2]);
	}
	{
		struct xwork *sem = &w[n - 1];
		double sorted[ROUNDS];

		memcpy(sorted, sem->secs, sizeof(sorted));
		qsort(sorted, ROUNDS, sizeof(double), by_value);
		printf("states per second (%s): %.0f; memory per stored state: %.0f bytes "
		       "(%zu bytes for %llu states)\n", sem->name,
		       (double)sem->states / sorted[ROUNDS / 2],
		       sem->states ? (double)sem->bytes / (double)sem->states : 0.0, sem->bytes,
		       (unsigned long long)sem->states);
	}
	for (size_t i = 0; i < n; i++) {
		script_free(&w[i].s);
		free(w[i].text);
	}
	return 0;
}
