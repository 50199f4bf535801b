/*
 * diff_random.c - the random differential test loop (see diff_random.h).
 */
#include "diff_random.h"
#include "diff_driver.h"
#include "diff_env.h"
#include "diff_report.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

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
	uint64_t seed = seed_env && *seed_env ? strtoull(seed_env, NULL, 0) : spec->seed;
	int first = 0, last = spec->count - 1, diverged = 0, first_bad = -1, steps = 0;
	struct ns_counts before = ns_counts(), after;
	static struct diff_seq s;
	struct diff_driver d;
	char name[96], why[256];

	if (only && *only)
		first = last = atoi(only);
	cr_assert(before.msg >= 0 && before.shm >= 0 && before.sem >= 0,
	          "cannot read /proc/sysvipc/{msg,shm,sem}");
	cr_assert_eq(diff_driver_init(&d), 0, "out of memory");
	for (int n = first; n <= last; n++) {
		int rc;

		cr_assert_eq(spec->gen(seed, n, d.root_sim_caps, &s), 0, "out of memory");
		snprintf(name, sizeof(name), "random %s sequence %d (theme %s)", spec->what, n,
		         spec->theme_name(n % spec->nthemes));
		rc = diff_driver_check(&d, &s, name);
		if (rc < 0) {
			snprintf(why, sizeof(why), "%s", d.why);
			diff_driver_fini(&d);
			cr_assert_fail("the host kernel could not run %s: %s", name, why);
		}
		if (rc == 0 && only && *only)
			diff_print_report(stderr, name, &s, d.sim, d.hostrun, -1, "");
		steps += s.nsteps;
		if (rc > 0 && diverged++ == 0)
			first_bad = n;
	}
	diff_driver_fini(&d);
	fprintf(stderr, "diff_random_%s: seed %#llx, %d sequences, %d calls, %d diverging\n",
	        spec->what, (unsigned long long)seed, last - first + 1, steps, diverged);
	after = ns_counts();
	cr_assert(after.msg == before.msg && after.shm == before.shm && after.sem == before.sem,
	          "the machine's IPC namespace changed (msg %d->%d, shm %d->%d, sem %d->%d): "
	          "something ran outside its private namespace", before.msg, after.msg, before.shm,
	          after.shm, before.sem, after.sem);
	cr_assert_eq(diverged, 0,
	             "%d of %d %s sequences diverge from the host kernel (first: sequence %d, "
	             "rerun with IPCSIM_DIFF_ONLY=%d); reports on stderr",
	             diverged, last - first + 1, spec->what, first_bad, first_bad);
}
