/*
 * diff_driver.h - one sequence on both kernels, compared and reported.
 *
 * Reports go to stderr and, when IPCSIM_DIFF_REPORT names a file, are also
 * appended there (so a run's divergences can be collected).
 */
#ifndef IPCSIM_DIFF_DRIVER_H
#define IPCSIM_DIFF_DRIVER_H

#include "diff_seq.h"

struct diff_driver {
	struct diff_host *host;
	unsigned root_sim_caps;        /* what the host's root has, as SIM_CAP_* */
	unsigned long long cap_eff;
	struct diff_run *sim, *hostrun; /* the last sequence's answers */
	int reports_left;              /* detailed reports still to print */
	char why[256];                 /* last divergence, or the host failure */
	int bad_step;
};

/* 0, or -1 when out of memory. */
int diff_driver_init(struct diff_driver *d);
void diff_driver_fini(struct diff_driver *d);

/*
 * Runs s on a fresh simulated kernel and in a fresh host IPC namespace.
 * Returns 0 when every call agrees, 1 on a divergence (reported unless the
 * report budget is spent; d->bad_step and d->why say where), -1 when the host
 * could not run it (d->why says why: no privilege for unshare, ...).
 */
int diff_driver_check(struct diff_driver *d, const struct diff_seq *s, const char *name);

#endif
