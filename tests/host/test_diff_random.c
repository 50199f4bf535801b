/*
 * test_diff_random.c - the differential test proper: 600 generated
 * message-queue call sequences, each run through the comparer of `ipcsim
 * check` (a fresh simulated kernel and a fresh private IPC namespace of the
 * host, in lock step), which must find every call equal.
 *
 * Environment: see diff_random.h (IPCSIM_DIFF_ONLY=N, IPCSIM_DIFF_SEED=X,
 * IPCSIM_DIFF_REPORT=F, IPCSIM_DIFF_JOBS=J).
 *
 * The timeout is generous: every process of a sequence is a real fork on
 * the host (about 5,500 for these 600 sequences), which under ASan on a loaded
 * two-core machine takes minutes, the more so as make asan runs the other
 * test groups beside this one (it took over 300 s there); a hang is caught
 * sooner by the host backend's own step timeout.
 */
#include <criterion/criterion.h>

#include "diff_random.h"

Test(diff_random, six_hundred_generated_sequences_agree_with_the_host_kernel, .timeout = 900)
{
	diff_random_run(diff_random_spec_of("msg"));
}
