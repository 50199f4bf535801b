/*
 * test_diff_random_ipc.c - the differential test for shared memory and
 * semaphores: 300 generated shm sequences and 300 generated sem sequences,
 * each run through the comparer of `ipcsim check` (a fresh simulated kernel
 * and a fresh private IPC namespace of the host, in lock step; addresses by
 * relation, see compare_mem.c).  Rerun one: IPCSIM_DIFF_ONLY=N with
 * --filter 'diff_random_shm/ *' or 'diff_random_sem/ *' (without the space).
 */
#include <criterion/criterion.h>

#include "diff_random.h"

Test(diff_random_shm, three_hundred_generated_shm_sequences_agree_with_the_host_kernel,
     .timeout = 900)
{
	diff_random_run(diff_random_spec_of("shm"));
}

Test(diff_random_sem, three_hundred_generated_sem_sequences_agree_with_the_host_kernel,
     .timeout = 900)
{
	diff_random_run(diff_random_spec_of("sem"));
}
