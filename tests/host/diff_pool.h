/*
 * diff_pool.h - generated sequences checked by a few worker processes at
 * once.
 *
 * Why processes: a sequence spends most of its time waiting for the host
 * backend's processes (a fork per process of the sequence, a round trip
 * through the coordinator per call, timed semaphore waits that run out in
 * real time), so four sequences in flight keep the machine's two cores busy
 * where one leaves them half idle.  Each worker checks sequences first+w,
 * first+w+jobs, ... (each in its own comparer and namespace, as
 * diff_check.h runs it), prints their reports itself, and sends one record
 * per sequence back over a pipe.  The caller only adds them up: no
 * Criterion call is made in a worker.
 *
 * Why a program of its own (DIFF_WORKER, tests/host/worker/diff_worker.c,
 * beside the test program; statically linked outside the sanitizers): the
 * sandbox's keeper, its coordinator and every process of every sequence
 * are forks of the worker, some 11,000 in all, and a fork costs in
 * proportion to what the forked process has mapped and written.  A fork of
 * the Criterion test process (23 shared libraries, their relocated data,
 * Criterion's and libgit2's heap) cost about 40% more CPU per sequence than
 * one of this small static program (measured: 64 against 39 ms for the
 * same message-queue sequences).
 */
#ifndef IPCSIM_DIFF_POOL_H
#define IPCSIM_DIFF_POOL_H

#include "diff_random.h"

struct diff_pool_totals {
	int sequences;      /* records received */
	int steps, calls;   /* calls: steps that are calls (not a helper's start) */
	long agreed;        /* calls the comparer compared and found equal */
	int diverged, first_bad;   /* first_bad: lowest diverging number, or -1 */
	int host_failed;    /* sequences the host backend could not run */
	char why[256];      /* the first host failure */
	int workers_lost;   /* workers that did not end cleanly */
};

/* The worker program's file name, looked for beside the test program. */
#define DIFF_WORKER "diff-worker"

/* Checks sequences first..last of spec with seed on `jobs` workers (1: in
 * this process, with trace and `all` as given).  0, or -1 when no worker
 * could be started (out of processes, or no DIFF_WORKER beside the test
 * program). */
int diff_pool_run(const struct diff_random_spec *spec, uint64_t seed, int first, int last,
                  int jobs, FILE *trace, struct diff_pool_totals *t);

/* The worker's job: sequences first, first+step, ... up to last, one
 * record each written to fd.  0, or -1 when out of memory or the pipe broke. */
int diff_pool_share(const struct diff_random_spec *spec, uint64_t seed, int first, int last,
                    int step, int fd);

#endif
