/*
 * kernel_fixture.h - shared helpers for the kernel's Criterion tests: a
 * fresh kernel with two processes, sending and receiving in one line, and
 * assertions that say which queue field is off.
 */
#ifndef IPCSIM_TEST_KERNEL_FIXTURE_H
#define IPCSIM_TEST_KERNEL_FIXTURE_H

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "ipcsim/kernel.h"

struct kfix {
	struct sim_kernel *k;
	int p1, p2;
};

static inline void kfix_init(struct kfix *f)
{
	f->k = sim_kernel_new();
	cr_assert_not_null(f->k);
	f->p1 = sim_proc_new(f->k, 1000, 1000, 0);
	f->p2 = sim_proc_new(f->k, 1000, 1000, 0);
}

static inline void kfix_fini(struct kfix *f)
{
	char err[256];

	if (f->k)
		cr_assert_eq(sim_kernel_check(f->k, err, sizeof(err)), 0, "invariant: %s", err);
	sim_kernel_free(&f->k);
}

static inline long send_text(struct sim_kernel *k, int pid, int q, long mtype, const char *text,
                             size_t size, int flags)
{
	struct sim_msgbuf m = { mtype, strlen(text), (unsigned char *)text };

	return sim_msgsnd(k, pid, q, &m, size, flags);
}

/* Receives and returns the type (or -errno / SIM_BLOCKED); *len the size. */
static inline long recv_type(struct sim_kernel *k, int pid, int q, size_t bufsz, long msgtyp,
                             int flags, size_t *len)
{
	struct sim_msgbuf m;
	long rc = sim_msgrcv(k, pid, q, &m, bufsz, msgtyp, flags);

	if (rc < 0)
		return rc;
	if (len)
		*len = (size_t)rc;
	sim_msgbuf_release(&m);
	return m.mtype;
}

static inline void assert_queue(struct sim_kernel *k, int q, unsigned long qnum,
                                unsigned long cbytes)
{
	struct ipcsim_msqid_ds ds;

	cr_assert_eq(sim_msg_stat_idx(k, q & 0x7fff, &ds), q, "queue %d missing", q);
	cr_assert_eq(ds.msg_qnum, qnum, "queue %d: qnum %lu, expected %lu", q, ds.msg_qnum, qnum);
	cr_assert_eq(ds.msg_cbytes, cbytes, "queue %d: cbytes %lu, expected %lu", q,
	             ds.msg_cbytes, cbytes);
}

/* Pops the next event and checks who resumed with what. */
static inline struct sim_event expect_resumed(struct sim_kernel *k, int pid, long ret)
{
	struct sim_event ev;

	cr_assert_eq(sim_event_next(k, &ev), 1, "expected pid %d to resume", pid);
	cr_assert_eq(ev.kind, SIM_EV_RESUMED);
	cr_assert_eq(ev.pid, pid, "resumed pid %d, expected %d", ev.pid, pid);
	cr_assert_eq(ev.ret, ret, "pid %d resumed with %ld, expected %ld", pid, ev.ret, ret);
	return ev;
}

static inline void expect_no_event(struct sim_kernel *k)
{
	struct sim_event ev;

	cr_assert_eq(sim_event_next(k, &ev), 0, "unexpected event for pid %d", ev.pid);
}

#endif
