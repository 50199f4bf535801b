/*
 * diff_worker.c - the worker program of the random differential tests
 * (diff_pool.h says why it is a program of its own):
 *
 *   diff-worker WHAT SEED FIRST LAST STEP FD
 *
 * checks sequences FIRST, FIRST+STEP, ... up to LAST of the spec named WHAT
 * ("msg", "shm", "sem") with SEED, and writes one record per sequence to
 * the pipe FD it inherited.  Run by diff_pool_run only; exit status 0, or 1
 * when it could not go on (the caller counts it lost), 2 on bad arguments.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../diff_pool.h"

int main(int argc, char **argv)
{
	const struct diff_random_spec *spec = argc == 7 ? diff_random_spec_of(argv[1]) : NULL;

	if (spec == NULL) {
		fprintf(stderr, "usage: diff-worker msg|shm|sem SEED FIRST LAST STEP FD\n");
		return 2;
	}
	return diff_pool_share(spec, strtoull(argv[2], NULL, 0), atoi(argv[3]), atoi(argv[4]),
	                       atoi(argv[5]), atoi(argv[6])) == 0 ? 0 : 1;
}
