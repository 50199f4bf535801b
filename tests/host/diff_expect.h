/*
 * diff_expect.h - helpers for the hand-written directed sequences: run one
 * through the comparer of `ipcsim check` (the simulator and the host kernel
 * must agree on every call), then check the answers against what
 * Linux does (docs/linux-semantics.md).
 *
 * The answers checked are the simulator's, as the comparing backend hands
 * them back; the comparer has held each of them equal to the kernel's (pids
 * as the same process, times as set or unset), so an expectation on them
 * is an expectation on Linux as well.
 */
#ifndef IPCSIM_DIFF_EXPECT_H
#define IPCSIM_DIFF_EXPECT_H

#include "diff_seq.h"

struct diff_directed {
	struct diff_seq seq;
	struct diff_run run;       /* the answers, agreed by both kernels */
	unsigned root_caps;        /* SIM_CAP_* of root's processes (the host root's) */
	const char *name;
};

/* Starts a directed sequence called name. */
void diff_directed_init(struct diff_directed *dd, const char *name);

/*
 * Runs it through the comparer.  Fails the test when the host cannot run
 * it or the namespace's object counts change; expects (non-fatally) full
 * agreement, the comparer's report on stderr otherwise.
 */
void diff_directed_check(struct diff_directed *dd);

/* The answer at step i must be want (>= 0, -errno or DIFF_RET_SEGV). */
void diff_expect_ret(const struct diff_directed *dd, int i, long want);
/* Step i received the message sent at step `sent` (mtype, first len bytes). */
void diff_expect_msg(const struct diff_directed *dd, int i, long mtype, int sent, size_t len);

/* The result of step i (fails the test if it did not run). */
const struct diff_result *diff_result_of(const struct diff_directed *dd, int i);

/* A pid in a result as "which process": 0 root, N the N-th other, -1 none. */
long diff_proc_of(const struct diff_directed *dd, long pid);

/* 1 when the host's root has CAP_SYS_RESOURCE. */
int diff_root_has_sys_resource(const struct diff_directed *dd);

#endif
