/*
 * diff_specs.c - the three random differential tests' specs (see
 * diff_random.h): one table, read by the Criterion tests and by the
 * worker program (tests/host/worker/diff_worker.c), which is told a spec
 * by its name.
 */
#include "diff_random.h"
#include "diff_gen.h"

#include <string.h>

static const struct diff_random_spec specs[] = {
	{ "msg", DIFF_MSG_SEED, DIFF_MSG_SEQUENCES, diff_gen_sequence, diff_theme_name,
	  DIFF_NTHEMES },
	{ "shm", DIFF_SHM_SEED, DIFF_SHM_SEQUENCES, diff_gen_shm_sequence, diff_shm_theme_name,
	  DIFF_SHM_NTHEMES },
	{ "sem", DIFF_SEM_SEED, DIFF_SEM_SEQUENCES, diff_gen_sem_sequence, diff_sem_theme_name,
	  DIFF_SEM_NTHEMES },
};

const struct diff_random_spec *diff_random_spec_of(const char *what)
{
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (strcmp(specs[i].what, what) == 0)
			return &specs[i];
	return NULL;
}
