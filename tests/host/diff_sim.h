/*
 * diff_sim.h - runs a sequence on the simulated kernel, mirroring exactly
 * what diff_host does on Linux: a root process with the capabilities the
 * host's root really has, one fresh process per non-root (or DIFF_WHERE_CHILD)
 * step, which exits after its call (capability-less unless it is root), and
 * long-lived helper processes between DIFF_SPAWN and DIFF_EXIT.
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

/* The generation kernel, for generators that look at its state. */
struct sim_kernel *diff_sim_kernel(struct diff_sim *ds);
/* The pid that runs steps with this `where` (root's for DIFF_WHERE_DEFAULT,
 * a helper's), or -1 when that helper is not running. */
int diff_sim_pid(const struct diff_sim *ds, int where);

/* The whole sequence on a fresh kernel; stops after a call that blocks. 0 or -1 (no memory). */
int diff_sim_run(const struct diff_seq *s, unsigned root_sim_caps, struct diff_run *out);

#endif
