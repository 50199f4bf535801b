/*
 * test_diff_random.c - the differential test proper: 600 generated call
 * sequences, each run on a fresh simulated kernel and in a fresh private IPC
 * namespace of the host, compared call by call.
 *
 * Environment:
 *   IPCSIM_DIFF_ONLY=N    run sequence N only, and print it whole
 *   IPCSIM_DIFF_SEED=X    another seed (default DIFF_SEED, fixed)
 *   IPCSIM_DIFF_REPORT=F  also append divergence reports to file F
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/msg.h>

#include "diff_driver.h"
#include "diff_env.h"
#include "diff_gen.h"
#include "diff_report.h"

#define DIFF_SEED 0x1bc5a7e5d1ff0001ull
#define DIFF_SEQUENCES 600

struct random_run {
	uint64_t seed;
	int first, last; /* sequence numbers, inclusive */
	int only;
};

static struct random_run random_run_from_env(void)
{
	struct random_run rr = { DIFF_SEED, 0, DIFF_SEQUENCES - 1, 0 };
	const char *only = getenv("IPCSIM_DIFF_ONLY");
	const char *seed = getenv("IPCSIM_DIFF_SEED");

	if (seed && *seed)
		rr.seed = strtoull(seed, NULL, 0);
	if (only && *only) {
		rr.first = rr.last = atoi(only);
		rr.only = 1;
	}
	return rr;
}

Test(diff_random, six_hundred_generated_sequences_agree_with_the_host_kernel, .timeout = 115)
{
	struct random_run rr = random_run_from_env();
	static struct diff_seq s;
	struct diff_driver d;
	int before = diff_env_queue_count(), diverged = 0, first_bad = -1, steps = 0;
	char name[96], why[256];

	cr_assert_geq(before, 0, "cannot read /proc/sysvipc/msg");
	cr_assert_eq(diff_driver_init(&d), 0, "out of memory");
	for (int n = rr.first; n <= rr.last; n++) {
		int rc;

		cr_assert_eq(diff_gen_sequence(rr.seed, n, d.root_sim_caps, &s), 0, "out of memory");
		snprintf(name, sizeof(name), "random sequence %d (theme %s)", n,
		         diff_theme_name((enum diff_theme)(n % DIFF_NTHEMES)));
		rc = diff_driver_check(&d, &s, name);
		if (rc < 0) {
			snprintf(why, sizeof(why), "%s", d.why);
			diff_driver_fini(&d);
			cr_assert_fail("the host kernel could not run %s: %s", name, why);
		}
		if (rc == 0 && rr.only)
			diff_print_report(stderr, name, &s, d.sim, d.hostrun, -1, "");
		steps += s.nsteps;
		if (rc > 0 && diverged++ == 0)
			first_bad = n;
	}
	diff_driver_fini(&d);
	fprintf(stderr, "diff_random: seed %#llx, %d sequences, %d calls, %d diverging\n",
	        (unsigned long long)rr.seed, rr.last - rr.first + 1, steps, diverged);
	cr_assert_eq(diff_env_queue_count(), before,
	             "the machine's IPC namespace had %d queues before the test and %d after: "
	             "something ran outside its private namespace", before, diff_env_queue_count());
	cr_assert_eq(diverged, 0,
	             "%d of %d sequences diverge from the host kernel (first: sequence %d, "
	             "rerun with IPCSIM_DIFF_ONLY=%d); reports on stderr",
	             diverged, rr.last - rr.first + 1, first_bad, first_bad);
}
