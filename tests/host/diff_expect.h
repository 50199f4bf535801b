/*
 * diff_expect.h - helpers for the hand-written directed sequences: run one
 * on both kernels (they must agree), then check the host's answers against
 * what SEMANTICS.md says Linux does.
 */
#ifndef IPCSIM_DIFF_EXPECT_H
#define IPCSIM_DIFF_EXPECT_H

#include "diff_seq.h"

struct diff_directed {
	struct diff_seq seq;
	struct diff_run host;      /* the host's answers, for the expectations */
	unsigned long long cap_eff; /* the host root's CapEff */
	const char *name;
};

/* Starts a directed sequence called name. */
void diff_directed_init(struct diff_directed *dd, const char *name);

/*
 * Runs it on both kernels.  Fails the test when the host cannot run it or the
 * namespace's queue count changes; expects (non-fatally) no divergence, whose
 * report goes to stderr.
 */
void diff_directed_check(struct diff_directed *dd);

/* The host's answer at step i must be want (>= 0 or -errno). */
void diff_expect_ret(const struct diff_directed *dd, int i, long want);
/* Step i received the message sent at step `sent` (mtype, first len bytes). */
void diff_expect_msg(const struct diff_directed *dd, int i, long mtype, int sent, size_t len);

/* The host's result of step i (fails the test if it did not run). */
const struct diff_result *diff_host_result(const struct diff_directed *dd, int i);

/* A pid in a host result as "which process": 0 root, N the N-th other, -1 none. */
long diff_host_proc_of(const struct diff_directed *dd, long pid);

/* 1 when the host's root has CAP_SYS_RESOURCE. */
int diff_host_root_has_sys_resource(const struct diff_directed *dd);

#endif
