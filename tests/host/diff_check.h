/*
 * diff_check.h - one sequence through the comparer of `ipcsim check`: the
 * comparing backend (ipcsim/compare.h) over a fresh simulator and a fresh
 * host kernel namespace, the sequence performed on it (diff_exec.h), and
 * the comparer's own report read back.
 *
 * Nothing here compares results: the comparer does, exactly as for a
 * scenario, and prints its report with compare_report_print.  What this
 * adds is the differential test's bar, stricter than `check`'s verdict:
 * no step may be skipped (this host grants the root process every
 * capability it is given), the host backend must not fail, and the
 * simulator's invariant check must hold after every step.
 *
 * Reports go to stderr and, when IPCSIM_DIFF_REPORT names a file, are also
 * appended there, 25 at most per diff_check.
 */
#ifndef IPCSIM_DIFF_CHECK_H
#define IPCSIM_DIFF_CHECK_H

#include <stdio.h>

#include "diff_seq.h"

struct diff_check {
	unsigned root_caps;   /* SIM_CAP_* of the host's root: root's processes get these */
	int all;              /* compare every step, not only up to the first divergence */
	FILE *trace;          /* non-NULL: every step and its result printed here */
	/* The simulator to compare; NULL: backend_sim_new (the sensitivity
	 * tests pass a deliberately wrong one). */
	struct backend *(*make_sim)(void);
	int reports_left;     /* reports still to print */
	struct diff_run *run; /* the last sequence's answers (the simulator's) */
	int nagreed;          /* the last sequence's calls compared and found equal */
	char why[512];        /* the last failure: host, invariant or first divergence */
};

/* Zero: agreed.  Every other outcome has been reported. */
enum diff_outcome {
	DIFF_AGREED,
	DIFF_DIVERGED,      /* a divergence, a skipped step, or a broken invariant */
	DIFF_HOST_FAILED,   /* the host backend could not start or was lost */
};

/* 0, or -1 when out of memory.  root_caps from the host (diff_env_root_caps). */
int diff_check_init(struct diff_check *c);
void diff_check_fini(struct diff_check *c);

/* Runs s on a fresh comparer; name heads its report. */
enum diff_outcome diff_check_run(struct diff_check *c, const struct diff_seq *s,
                                 const char *name);

#endif
