/*
 * diff_random.h - the loop of a random differential test: generate sequence
 * after sequence with a fixed seed, run each through the comparer of
 * `ipcsim check` (diff_check.h), count and report divergences, and check
 * that the machine's own IPC namespace holds as many queues, segments and
 * semaphore sets afterwards as before.
 *
 * Environment:
 *   IPCSIM_DIFF_ONLY=N    run sequence N only, print every step, and let
 *                         the comparer go on past a divergence
 *   IPCSIM_DIFF_SEED=X    another seed
 *   IPCSIM_DIFF_REPORT=F  also append divergence reports to file F
 *   IPCSIM_DIFF_JOBS=J    sequences in flight at once, each worker a diff-worker
 *                         process (diff_pool.h; default 4; 1: all in
 *                         the test's own process, for a debugger)
 */
#ifndef IPCSIM_DIFF_RANDOM_H
#define IPCSIM_DIFF_RANDOM_H

#include "diff_seq.h"

struct diff_random_spec {
	const char *what;  /* "msg", "shm", "sem": names the sequences in reports */
	uint64_t seed;     /* the fixed default seed */
	int count;         /* sequences 0..count-1 */
	int (*gen)(uint64_t seed, int number, unsigned root_sim_caps, struct diff_seq *s);
	const char *(*theme_name)(int theme);
	int nthemes;
};

/* The spec named what ("msg", "shm", "sem"; diff_specs.c), or NULL. */
const struct diff_random_spec *diff_random_spec_of(const char *what);

/* Runs the test; fails it (Criterion) on any divergence, a host that cannot
 * run a sequence, or a changed object count in the machine's namespace. */
void diff_random_run(const struct diff_random_spec *spec);

#endif
