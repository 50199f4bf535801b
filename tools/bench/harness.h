/*
 * harness.h - how `make bench` measures: every workload of a suite runs on
 * the simulated kernel and on the host kernel (in a child in its own IPC
 * namespace) in alternating rounds, so load drifting on a shared machine
 * moves both sides alike; the table gives medians with their spread, and
 * callgrind's instruction counts per pair for the simulator, which load
 * does not move at all.
 */
#ifndef IPCSIM_BENCH_HARNESS_H
#define IPCSIM_BENCH_HARNESS_H

#include <stddef.h>

/*
 * A suite of workloads.  run_sim and run_host time `pairs` iterations of
 * workload i (set-up excluded) and return seconds; run_host runs in the host
 * child.  run_floor, when set, times a named baseline the simulator is held
 * to (e.g. one copy in and one copy out) and floor_name names it; it
 * returns a negative value for workloads without one.
 */
struct bench_suite {
	const char *title;
	size_t n;
	const char *const *names;
	const long *pairs;           /* per workload, at scale 1, over all rounds */
	double (*run_sim)(size_t i, long pairs);
	double (*run_host)(size_t i, long pairs);
	double (*run_floor)(size_t i, long pairs);
	const char *floor_name;
};

struct bench_opts {
	double scale;    /* multiplies every pairs */
	int rounds;      /* alternating host/sim rounds per workload */
	int callgrind;   /* 1: instruction counts (needs valgrind) */
	const char *self; /* this program, for callgrind to run */
};

/* Starts the host child serving every suite; 0 or -1 (why on stderr). */
int bench_host_start(const struct bench_suite *const *suites, size_t nsuites);
void bench_host_stop(void);

/* Runs and prints suite number si.  0, or -1 when the host side failed. */
int bench_run_suite(const struct bench_opts *o, const struct bench_suite *const *suites,
                    size_t si);

/* `bench --count SUITE I PAIRS`: runs only the simulator side, for callgrind. */
int bench_count_main(const struct bench_suite *const *suites, size_t nsuites, int argc,
                     char **argv);

/* The instructions callgrind counts for `self --count s i pairs`; -1 if it cannot. */
double bench_callgrind(const char *self, size_t s, size_t i, long pairs, int floor);

/* CPU seconds of this process (see harness.c). */
double bench_now(void);
__attribute__((noreturn)) void bench_die(const char *what, long r);
/* The median, min and max of v[0..n) (v is sorted in place). */
void bench_stats(double *v, int n, double *median, double *min, double *max);

#endif
