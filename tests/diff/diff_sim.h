/*
 * diff_sim.h - runs a sequence on the simulated kernel, mirroring exactly
 * what diff_host does on Linux: a root process with the capabilities the
 * host's root really has, and one fresh capability-less process per non-root
 * step, which exits after its call.
 *
 * The generator also drives a diff_sim step by step, to learn whether a call
 * would sleep before deciding its flags.
 */
#ifndef IPCSIM_DIFF_SIM_H
#define IPCSIM_DIFF_SIM_H

#include "diff_seq.h"

struct diff_sim;
struct sim_kernel;

/* A fresh kernel and its root process.  NULL when out of memory. */
struct diff_sim *diff_sim_new(unsigned root_sim_caps, struct diff_run *run);
void diff_sim_free(struct diff_sim **ds);

/*
 * Runs step i of s, resolving ids against ds's run, and records the result in
 * run->r[i] (run->nsteps becomes i + 1).  Returns the call's result: >= 0,
 * -errno, or DIFF_RET_BLOCKED when the simulator put the process to sleep.
 */
long diff_sim_step(struct diff_sim *ds, const struct diff_seq *s, int i);

/* The whole sequence on a fresh kernel; stops after a call that blocks. 0 or -1 (no memory). */
int diff_sim_run(const struct diff_seq *s, unsigned root_sim_caps, struct diff_run *out);

#endif
