/*
 * test_diff_directed.c - hand-written sequences of Linux's surprises
 * (docs/linux-semantics.md, the rules in brief).  Each runs through the
 * comparer of `ipcsim check` like the random ones (simulator and host
 * kernel must agree), and the agreed answers are also checked against what
 * Linux is known to do, so a wrong expectation shows up as well.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <sys/msg.h>

#include "diff_build.h"
#include "diff_expect.h"

#define R DIFF_ROOT
#define Q(step) diff_ref(step)
#define NW IPC_NOWAIT

static struct diff_directed dd; /* large: kept off the stack */

Test(diff_directed, ids_are_cyclic_so_create_remove_create_gives_a_new_index)
{
	struct diff_seq *s = &dd.seq;
	int a, b, c, d, e;

	diff_directed_init(&dd, "cyclic ids");
	a = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	diff_b_msgctl(s, R, Q(a), IPC_RMID);
	b = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	c = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	diff_b_msgctl(s, R, Q(b), IPC_RMID);
	d = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	e = diff_b_msgctl(s, R, diff_lit(0), IPC_INFO);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, a, 0);
	diff_expect_ret(&dd, b, 1);
	diff_expect_ret(&dd, c, 2);
	diff_expect_ret(&dd, d, 3);
	diff_expect_ret(&dd, e, 3); /* IPC_INFO: the highest index in use */
}

Test(diff_directed, sixty_four_creates_wrap_the_index_to_seq_one_id_32768)
{
	struct diff_seq *s = &dd.seq;
	int q = -1, last, st;

	diff_directed_init(&dd, "64 creates wrap to 32768");
	for (int i = 0; i < 64; i++) {
		q = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
		diff_b_msgctl(s, R, Q(q), IPC_RMID);
	}
	last = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	st = diff_b_msgctl(s, R, Q(last), IPC_STAT);
	diff_b_msgctl(s, R, diff_idx(last), MSG_STAT);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, q, 63);
	diff_expect_ret(&dd, last, 32768);
	diff_expect_ret(&dd, st + 1, 32768); /* MSG_STAT by index returns the full id */
	cr_expect_eq(dd.run.r[st].r.ds.msg_perm.seq, 1, "ipc_perm.__seq of id 32768 should be 1");
}

Test(diff_directed, a_stale_id_is_einval_not_eidrm)
{
	struct diff_seq *s = &dd.seq;
	int q, rm, q2, i;

	diff_directed_init(&dd, "stale id EINVAL");
	q = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	diff_b_msgsnd(s, R, Q(q), 1, 4, NW);
	rm = diff_b_msgctl(s, R, Q(q), IPC_RMID);
	i = diff_b_msgctl(s, R, Q(q), IPC_STAT);
	diff_b_msgsnd(s, R, Q(q), 1, 4, 0);
	diff_b_msgrcv(s, R, Q(q), 16, 0, 0);
	diff_b_msgctl(s, R, Q(q), IPC_RMID);
	q2 = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	diff_b_msgctl(s, R, diff_stale(q2), IPC_STAT);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, rm, 0);
	for (int k = i; k < i + 4; k++)
		diff_expect_ret(&dd, k, -EINVAL);
	diff_expect_ret(&dd, q2 + 1, -EINVAL);
}

Test(diff_directed, negative_msgtyp_takes_the_lowest_type_fifo_within_a_type)
{
	static const long types[] = { 3, 1, 2, 1, 3 };
	struct diff_seq *s = &dd.seq;
	int q, sent[5], got[5], none, lmin;

	diff_directed_init(&dd, "negative msgtyp");
	q = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	for (int i = 0; i < 5; i++)
		sent[i] = diff_b_msgsnd(s, R, Q(q), types[i], 8, NW);
	for (int i = 0; i < 5; i++)
		got[i] = diff_b_msgrcv(s, R, Q(q), 64, -3, NW);
	diff_b_msgsnd(s, R, Q(q), 5, 8, NW);
	none = diff_b_msgrcv(s, R, Q(q), 64, -4, NW);
	lmin = diff_b_msgrcv(s, R, Q(q), 64, LONG_MIN, NW);
	diff_directed_check(&dd);
	diff_expect_msg(&dd, got[0], 1, sent[1], 8);
	diff_expect_msg(&dd, got[1], 1, sent[3], 8);
	diff_expect_msg(&dd, got[2], 2, sent[2], 8);
	diff_expect_msg(&dd, got[3], 3, sent[0], 8);
	diff_expect_msg(&dd, got[4], 3, sent[4], 8);
	diff_expect_ret(&dd, none, -ENOMSG);
	diff_expect_ret(&dd, lmin, 8);
}

Test(diff_directed, msg_qbytes_also_caps_the_number_of_messages)
{
	struct diff_seq *s = &dd.seq;
	int q, z, o, st, big, zero;

	diff_directed_init(&dd, "qbytes caps the count");
	q = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	diff_b_msgset(s, R, Q(q), 0, 0, 0600, 2);
	z = diff_b_msgsnd(s, R, Q(q), 1, 0, NW);
	diff_b_msgsnd(s, R, Q(q), 1, 0, NW);
	diff_b_msgsnd(s, R, Q(q), 1, 0, NW);
	st = diff_b_msgctl(s, R, Q(q), IPC_STAT);
	diff_b_msgrcv(s, R, Q(q), 0, 0, NW);
	diff_b_msgrcv(s, R, Q(q), 0, 0, NW);
	o = diff_b_msgsnd(s, R, Q(q), 1, 1, NW);
	diff_b_msgsnd(s, R, Q(q), 1, 1, NW);
	diff_b_msgsnd(s, R, Q(q), 1, 1, NW);
	diff_b_msgrcv(s, R, Q(q), 1, 0, NW);
	diff_b_msgrcv(s, R, Q(q), 1, 0, NW);
	big = diff_b_msgsnd(s, R, Q(q), 1, 3, NW);
	diff_b_msgset(s, R, Q(q), 0, 0, 0600, 0);
	zero = diff_b_msgsnd(s, R, Q(q), 1, 0, NW);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, z, 0);
	diff_expect_ret(&dd, z + 1, 0);
	diff_expect_ret(&dd, z + 2, -EAGAIN);
	cr_expect_eq(dd.run.r[st].r.ds.msg_qnum, 2, "two empty messages fill a qbytes-2 queue");
	diff_expect_ret(&dd, o, 0);
	diff_expect_ret(&dd, o + 1, 0);
	diff_expect_ret(&dd, o + 2, -EAGAIN);
	diff_expect_ret(&dd, big, -EAGAIN); /* msgsz > qbytes but <= msgmax: not EINVAL */
	diff_expect_ret(&dd, zero, -EAGAIN);
}

Test(diff_directed, e2big_leaves_the_message_queued_and_is_judged_on_the_first_match)
{
	struct diff_seq *s = &dd.seq;
	int q, a, e1, st, e2, c1, c2, tr, st2;

	diff_directed_init(&dd, "E2BIG keeps the message");
	q = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	a = diff_b_msgsnd(s, R, Q(q), 1, 10, NW);
	e1 = diff_b_msgrcv(s, R, Q(q), 3, 0, NW);
	st = diff_b_msgctl(s, R, Q(q), IPC_STAT);
	diff_b_msgsnd(s, R, Q(q), 1, 2, NW);
	e2 = diff_b_msgrcv(s, R, Q(q), 3, 1, 0);
	c1 = diff_b_msgrcv(s, R, Q(q), 3, 0, MSG_COPY | NW);
	c2 = diff_b_msgrcv(s, R, Q(q), 3, 0, MSG_COPY | MSG_NOERROR | NW);
	tr = diff_b_msgrcv(s, R, Q(q), 3, 0, MSG_NOERROR | NW);
	st2 = diff_b_msgctl(s, R, Q(q), IPC_STAT);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, e1, -E2BIG);
	cr_expect(dd.run.r[st].r.ds.msg_qnum == 1 && dd.run.r[st].r.ds.msg_cbytes == 10,
	          "after E2BIG the message stays: qnum 1, cbytes 10");
	diff_expect_ret(&dd, e2, -E2BIG);
	diff_expect_ret(&dd, c1, -E2BIG);
	diff_expect_ret(&dd, c2, -EINVAL);
	diff_expect_msg(&dd, tr, 1, a, 3);
	cr_expect(dd.run.r[st2].r.ds.msg_qnum == 1 && dd.run.r[st2].r.ds.msg_cbytes == 2,
	          "MSG_NOERROR dequeues the whole 10-byte message");
}

Test(diff_directed, ipc_set_truncates_qbytes_to_int_and_needs_cap_sys_resource_above_msgmnb)
{
	struct diff_seq *s = &dd.seq;
	int q, t, st, over, at, mode, st2;

	diff_directed_init(&dd, "IPC_SET qbytes");
	q = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	t = diff_b_msgset(s, R, Q(q), 0, 0, 0600, 0x100000005ul);
	st = diff_b_msgctl(s, R, Q(q), IPC_STAT);
	over = diff_b_msgset(s, R, Q(q), 0, 0, 0600, 16385);
	at = diff_b_msgset(s, R, Q(q), 0, 0, 0600, 16384);
	mode = diff_b_msgset(s, R, Q(q), 0, 0, 0177777, 0);
	st2 = diff_b_msgctl(s, R, Q(q), IPC_STAT);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, t, 0);
	cr_expect_eq(dd.run.r[st].r.ds.msg_qbytes, 5, "0x100000005 is truncated to 5");
	diff_expect_ret(&dd, over, diff_root_has_sys_resource(&dd) ? 0 : -EPERM);
	diff_expect_ret(&dd, at, 0);
	diff_expect_ret(&dd, mode, 0);
	cr_expect(dd.run.r[st2].r.ds.msg_perm.mode == 0777 && dd.run.r[st2].r.ds.msg_qbytes == 0,
	          "mode keeps only 0777 bits; qbytes 0 is accepted");
}

Test(diff_directed, eexist_comes_before_eacces_in_msgget)
{
	struct diff_seq *s = &dd.seq;
	int q, ex, ac, none, miss;

	diff_directed_init(&dd, "EEXIST before EACCES");
	q = diff_b_msgget(s, R, 0x4242, IPC_CREAT | 0600);
	ex = diff_b_msgget(s, DIFF_NOBODY, 0x4242, IPC_CREAT | IPC_EXCL | 0600);
	ac = diff_b_msgget(s, DIFF_NOBODY, 0x4242, 0600);
	none = diff_b_msgget(s, DIFF_NOBODY, 0x4242, 0);
	miss = diff_b_msgget(s, DIFF_NOBODY, 0x4243, 0);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, q, 0);
	diff_expect_ret(&dd, ex, -EEXIST);
	diff_expect_ret(&dd, ac, -EACCES);
	diff_expect_ret(&dd, none, 0);
	diff_expect_ret(&dd, miss, -ENOENT);
}

Test(diff_directed, ipcperms_folds_the_request_and_applies_one_class_only)
{
	struct diff_seq *s = &dd.seq;
	int g, r4, r40, w, o4, a, own_get, own_snd, bob_snd, own_stat, own_rm;

	diff_directed_init(&dd, "ipcperms folding and classes");
	g = diff_b_msgget(s, R, 0x5151, IPC_CREAT | 0040);
	diff_b_msgset(s, R, Q(g), 0, 1000, 0040, 16384);
	r4 = diff_b_msgget(s, DIFF_BOB, 0x5151, 0400);  /* folded: a read request */
	r40 = diff_b_msgget(s, DIFF_BOB, 0x5151, 0040);
	w = diff_b_msgget(s, DIFF_BOB, 0x5151, 0200);
	o4 = diff_b_msgget(s, DIFF_NOBODY, 0x5151, 0004);
	a = diff_b_msgget(s, DIFF_ALICE, 0x5252, IPC_CREAT | 0066);
	own_get = diff_b_msgget(s, DIFF_ALICE, 0x5252, 0400);
	own_snd = diff_b_msgsnd(s, DIFF_ALICE, Q(a), 1, 4, NW);
	bob_snd = diff_b_msgsnd(s, DIFF_BOB, Q(a), 1, 4, NW);
	own_stat = diff_b_msgctl(s, DIFF_ALICE, Q(a), IPC_STAT);
	diff_b_msgctl(s, DIFF_NOBODY, Q(a), MSG_STAT_ANY);
	own_rm = diff_b_msgctl(s, DIFF_ALICE, Q(a), IPC_RMID);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, r4, 0);
	diff_expect_ret(&dd, r40, 0);
	diff_expect_ret(&dd, w, -EACCES);
	diff_expect_ret(&dd, o4, -EACCES);
	diff_expect_ret(&dd, own_get, -EACCES); /* owner bits 0: "others may" does not help */
	diff_expect_ret(&dd, own_snd, -EACCES);
	diff_expect_ret(&dd, bob_snd, 0);
	diff_expect_ret(&dd, own_stat, -EACCES);
	diff_expect_ret(&dd, own_stat + 1, 1);  /* MSG_STAT_ANY checks nothing */
	diff_expect_ret(&dd, own_rm, 0);        /* RMID asks ownership, not mode */
}

Test(diff_directed, efault_on_msgrcv_loses_the_message_and_null_msgsnd_is_checked_first)
{
	struct diff_seq *s = &dd.seq;
	int q, f, st, s1, s2, t0;

	diff_directed_init(&dd, "EFAULT cases");
	q = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	diff_b_msgsnd(s, R, Q(q), 1, 5, NW);
	f = diff_b_msgrcv(s, R, Q(q), 64, 0, NW);
	diff_b_null_buf(s, f);
	st = diff_b_msgctl(s, R, Q(q), IPC_STAT);
	s1 = diff_b_msgsnd(s, R, Q(q), 1, 5, NW);
	diff_b_null_buf(s, s1);
	s2 = diff_b_msgsnd(s, R, diff_lit(-5), 1, 99999, NW);
	diff_b_null_buf(s, s2);
	t0 = diff_b_msgsnd(s, R, diff_lit(-5), 0, 5, NW);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, f, -EFAULT);
	cr_expect(dd.run.r[st].r.ds.msg_qnum == 0 && dd.run.r[st].r.ds.msg_lrpid != 0,
	          "the message is dequeued before the copy-out fails");
	diff_expect_ret(&dd, s1, -EFAULT);
	diff_expect_ret(&dd, s2, -EFAULT);
	diff_expect_ret(&dd, t0, -EINVAL);
}

Test(diff_directed, lowered_limits_give_enospc_einval_and_new_qbytes)
{
	struct diff_seq *s = &dd.seq;
	int a, b, c, d, big, ok, nq, st, over, at;

	diff_directed_init(&dd, "limits changed mid-sequence");
	diff_b_limit(s, DIFF_LIM_MSGMNI, 2);
	a = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	b = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	c = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	diff_b_limit(s, DIFF_LIM_MSGMNI, 3);
	d = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	diff_b_limit(s, DIFF_LIM_MSGMAX, 100);
	big = diff_b_msgsnd(s, R, Q(a), 1, 101, NW);
	ok = diff_b_msgsnd(s, R, Q(a), 1, 100, NW);
	diff_b_limit(s, DIFF_LIM_MSGMNB, 20000);
	diff_b_msgctl(s, R, Q(b), IPC_RMID);
	nq = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	st = diff_b_msgctl(s, R, Q(nq), IPC_STAT);
	over = diff_b_msgset(s, R, Q(nq), 0, 0, 0600, 20001);
	at = diff_b_msgset(s, R, Q(nq), 0, 0, 0600, 20000);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, a, 0);
	diff_expect_ret(&dd, b, 1);
	diff_expect_ret(&dd, c, -ENOSPC);
	diff_expect_ret(&dd, d, 2);
	diff_expect_ret(&dd, big, -EINVAL);
	diff_expect_ret(&dd, ok, 0);
	cr_expect_eq(dd.run.r[st].r.ds.msg_qbytes, 20000, "a new queue takes the current msgmnb");
	diff_expect_ret(&dd, over, diff_root_has_sys_resource(&dd) ? 0 : -EPERM);
	diff_expect_ret(&dd, at, 0);
}

Test(diff_directed, msg_stat_takes_an_index_or_a_full_id_and_info_rejects_negative_ids)
{
	struct diff_seq *s = &dd.seq;
	int q0, q1, by_idx, by_id, far, nob, any, neg;

	diff_directed_init(&dd, "MSG_STAT by index");
	q0 = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	diff_b_msgctl(s, R, Q(q0), IPC_RMID);
	q1 = diff_b_msgget(s, R, IPC_PRIVATE, 0600);
	by_idx = diff_b_msgctl(s, R, diff_idx(q1), MSG_STAT);
	by_id = diff_b_msgctl(s, R, Q(q1), MSG_STAT);
	far = diff_b_msgctl(s, R, diff_lit(1000), MSG_STAT);
	nob = diff_b_msgctl(s, DIFF_NOBODY, Q(q1), MSG_STAT);
	any = diff_b_msgctl(s, DIFF_NOBODY, Q(q1), MSG_STAT_ANY);
	neg = diff_b_msgctl(s, R, diff_lit(-1), IPC_INFO);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, q1, 1);
	diff_expect_ret(&dd, by_idx, 1);
	diff_expect_ret(&dd, by_id, 1);
	diff_expect_ret(&dd, far, -EINVAL);
	diff_expect_ret(&dd, nob, -EACCES);
	diff_expect_ret(&dd, any, 1);
	diff_expect_ret(&dd, neg, -EINVAL);
}
