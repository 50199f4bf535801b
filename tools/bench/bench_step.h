/*
 * bench_step.h - the going-back rows of `make bench` (bench_step.c): `ipcsim
 * step`'s step back and `ipcsim repl`'s :undo at step N against one step
 * forward there, for N = 100, 1,000 and 5,000.  No host side: the baseline
 * is the simulator's own step forward.
 */
#ifndef IPCSIM_BENCH_STEP_H
#define IPCSIM_BENCH_STEP_H

#include "harness.h"

/* Runs and prints the rows.  0, or -1 when /dev/null cannot be opened. */
int bench_step_run(const struct bench_opts *o);

#endif
