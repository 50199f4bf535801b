/*
 * bench_explore.h - the explorer's workloads of `make bench`
 * (bench_explore.c): exhaustive searches of the lecture's races, a random
 * sample, states per second and memory per stored state.
 */
#ifndef IPCSIM_BENCH_EXPLORE_H
#define IPCSIM_BENCH_EXPLORE_H

/* Runs and prints every workload: 0, or -1 after a message. */
int bench_explore_run(void);

#endif
