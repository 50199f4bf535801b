/*
 * diff_random.c - the random differential test loop (see diff_random.h).
 */
#include "diff_random.h"
#include "diff_env.h"
#include "diff_pool.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

/* Sequences in flight at once: twice the machine's two cores, since a sequence
 * spends much of its time waiting (timed semaphore waits run out in real
 * time, and each call waits on its real process): see diff_pool.h. */
#define DIFF_JOBS 4

struct ns_counts {
	int msg, shm, sem;
};

static struct ns_counts ns_counts(void)
{
	return (struct ns_counts){ diff_env_ipc_count("msg"), diff_env_ipc_count("shm"),
	                           diff_env_ipc_count("sem") };
}

void diff_random_run(const struct diff_random_spec *spec)
{
	const char *only = getenv("IPCSIM_DIFF_ONLY"), *seed_env = getenv("IPCSIM_DIFF_SEED");
	const char *jobs_env = getenv("IPCSIM_DIFF_JOBS");
	uint64_t seed = seed_env && *seed_env ? strtoull(seed_env, NULL, 0) : spec->seed;
	int first = 0, last = spec->count - 1;
	int jobs = jobs_env && *jobs_env ? atoi(jobs_env) : DIFF_JOBS;
	struct ns_counts before = ns_counts(), after;
	struct diff_pool_totals t;

	cr_assert_not_null(spec, "no such differential test spec");
	cr_assert(before.msg >= 0 && before.shm >= 0 && before.sem >= 0,
	          "cannot read /proc/sysvipc/{msg,shm,sem}");
	if (only && *only) {
		first = last = atoi(only);
		jobs = 1;
	}
	cr_assert_eq(diff_pool_run(spec, seed, first, last, jobs, only && *only ? stderr : NULL, &t),
	             0, "no worker could run (out of memory or processes, or no " DIFF_WORKER
	             " beside the test program)");
	fprintf(stderr, "diff_random_%s: seed %#llx, %d sequences, %d calls, %ld compared and "
	        "agreed, %d diverging\n", spec->what, (unsigned long long)seed, t.sequences,
	        t.steps, t.agreed, t.diverged);
	after = ns_counts();
	cr_assert(after.msg == before.msg && after.shm == before.shm && after.sem == before.sem,
	          "the machine's IPC namespace changed (msg %d->%d, shm %d->%d, sem %d->%d): "
	          "something ran outside its private namespace", before.msg, after.msg, before.shm,
	          after.shm, before.sem, after.sem);
	cr_assert_eq(t.workers_lost, 0, "%d worker processes died (see stderr)", t.workers_lost);
	cr_assert_eq(t.host_failed, 0, "the host kernel could not run %d sequences; %s",
	             t.host_failed, t.why);
	cr_assert_eq(t.sequences, last - first + 1, "%d of %d sequences ran", t.sequences,
	             last - first + 1);
	/* Every call (and every exit of a step's own process) is compared. */
	cr_assert_geq(t.agreed, t.calls, "only %ld of %d calls were compared", t.agreed, t.calls);
	cr_assert_eq(t.diverged, 0,
	             "%d of %d %s sequences diverge from the host kernel (first: sequence %d, "
	             "rerun with IPCSIM_DIFF_ONLY=%d); reports on stderr",
	             t.diverged, t.sequences, spec->what, t.first_bad, t.first_bad);
}
