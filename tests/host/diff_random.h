/*
 * diff_random.h - the loop of a random differential test: generate sequence
 * after sequence with a fixed seed, run each on both kernels, count and
 * report divergences, and check that the machine's own IPC namespace holds
 * as many queues, segments and semaphore sets afterwards as before.
 *
 * Environment (as test_diff_random.c):
 *   IPCSIM_DIFF_ONLY=N    run sequence N only, and print it whole
 *   IPCSIM_DIFF_SEED=X    another seed
 *   IPCSIM_DIFF_REPORT=F  also append divergence reports to file F
 */
#ifndef IPCSIM_DIFF_RANDOM_H
#define IPCSIM_DIFF_RANDOM_H

#include "diff_seq.h"

struct diff_random_spec {
	const char *what;  /* "shm", "sem": names the sequences in reports */
	uint64_t seed;     /* the fixed default seed */
	int count;         /* sequences 0..count-1 */
	int (*gen)(uint64_t seed, int number, unsigned root_sim_caps, struct diff_seq *s);
	const char *(*theme_name)(int theme);
	int nthemes;
};

/* Runs the test; fails it (Criterion) on any divergence, a host that cannot
 * run a sequence, or a changed object count in the machine's namespace. */
void diff_random_run(const struct diff_random_spec *spec);

#endif
