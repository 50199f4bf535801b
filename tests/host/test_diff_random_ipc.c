/*
 * test_diff_random_ipc.c - the differential test for shared memory and
 * semaphores: 300 generated shm sequences and 300 generated sem sequences,
 * each run through the comparer of `ipcsim check` (a fresh simulated kernel
 * and a fresh private IPC namespace of the host, in lock step; addresses by
 * relation, see compare_mem.c).  Rerun one: IPCSIM_DIFF_ONLY=N with
 * --filter 'diff_random_shm/ *' or 'diff_random_sem/ *' (without the space).
 */
#include <criterion/criterion.h>

#include "diff_gen.h"
#include "diff_random.h"

Test(diff_random_shm, three_hundred_generated_shm_sequences_agree_with_the_host_kernel,
     .timeout = 900)
{
	const struct diff_random_spec spec = {
		"shm", DIFF_SHM_SEED, DIFF_SHM_SEQUENCES, diff_gen_shm_sequence,
		diff_shm_theme_name, DIFF_SHM_NTHEMES,
	};

	diff_random_run(&spec);
}

Test(diff_random_sem, three_hundred_generated_sem_sequences_agree_with_the_host_kernel,
     .timeout = 900)
{
	const struct diff_random_spec spec = {
		"sem", DIFF_SEM_SEED, DIFF_SEM_SEQUENCES, diff_gen_sem_sequence,
		diff_sem_theme_name, DIFF_SEM_NTHEMES,
	};

	diff_random_run(&spec);
}
