/*
 * test_diff_directed_sem.c - hand-written semaphore sequences from
 * Linux's semaphore rules (docs/linux-semantics.md).  Each runs through the
 * comparer of `ipcsim check` (both kernels must agree), and the agreed
 * answers are also checked against what Linux does.  Calls that would sleep are made with a
 * zero semtimedop timeout (EAGAIN at once), except where sleeping itself is
 * the point: then the call is the sequence's last, in a child, and both
 * kernels must report it asleep.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <sys/sem.h>

#include "diff_build.h"
#include "diff_expect.h"
#include "ipcsim/kernel.h"

#define R DIFF_ROOT
#define Q(step) diff_ref(step)
#define NW IPC_NOWAIT
#define UNDO SEM_UNDO
#define OPS(...) ((const struct diff_sembuf[]){ __VA_ARGS__ })
#define NOPS(...) ((int)(sizeof(OPS(__VA_ARGS__)) / sizeof(struct diff_sembuf)))
#define SEMOP(s, who, id, tmo, ...) diff_b_semop((s), (who), (id), OPS(__VA_ARGS__), \
                                                 NOPS(__VA_ARGS__), (tmo))

static struct diff_directed dd; /* large: kept off the stack */

static long getval_step(struct diff_seq *s, struct diff_id id, int semnum)
{
	return diff_b_semctl(s, R, id, semnum, GETVAL);
}

Test(diff_directed_sem, the_first_failing_op_in_array_order_decides_block_or_erange)
{
	struct diff_seq *s = &dd.seq;
	int q, a, b, v0;

	diff_directed_init(&dd, "first failing op wins");
	q = diff_b_semget(s, R, IPC_PRIVATE, 2, IPC_CREAT | 0600);
	diff_b_setval(s, R, Q(q), 1, 32767);
	a = SEMOP(s, R, Q(q), DIFF_TMO_ZERO, { 0, -1, 0 }, { 1, 1, 0 });
	b = SEMOP(s, R, Q(q), DIFF_TMO_ZERO, { 1, 1, 0 }, { 0, -1, 0 });
	v0 = (int)getval_step(s, Q(q), 1);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, a, -EAGAIN);
	diff_expect_ret(&dd, b, -ERANGE);
	diff_expect_ret(&dd, v0, 32767);
}

Test(diff_directed_sem, ipc_nowait_counts_only_on_the_op_that_blocks)
{
	struct diff_seq *s = &dd.seq;
	int q, a, v, b;

	diff_directed_init(&dd, "IPC_NOWAIT on the blocking op only");
	q = diff_b_semget(s, R, IPC_PRIVATE, 2, IPC_CREAT | 0600);
	a = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 1, -1, NW }, { 0, 1, 0 });
	v = (int)getval_step(s, Q(q), 0);
	/* sleeps although its first op has IPC_NOWAIT: last step, in a child */
	b = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 1, NW }, { 1, -1, 0 });
	diff_b_where(s, b, DIFF_WHERE_CHILD);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, a, -EAGAIN);
	diff_expect_ret(&dd, v, 0);
	diff_expect_ret(&dd, b, DIFF_RET_BLOCKED);
}

Test(diff_directed_sem, duplicate_sem_nums_apply_in_order_all_or_nothing)
{
	struct diff_seq *s = &dd.seq;
	int q, a, b, c, v;

	diff_directed_init(&dd, "duplicate sem_num");
	q = diff_b_semget(s, R, IPC_PRIVATE, 1, IPC_CREAT | 0600);
	a = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 2, 0 }, { 0, -2, NW });
	b = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, -1, NW }, { 0, 1, 0 });
	c = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 1, 0 }, { 0, 0, NW });
	v = (int)getval_step(s, Q(q), 0);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, a, 0);
	diff_expect_ret(&dd, b, -EAGAIN);
	diff_expect_ret(&dd, c, -EAGAIN);
	diff_expect_ret(&dd, v, 0);
}

Test(diff_directed_sem, semop_checks_e2big_then_nsops_then_efault_then_semid_and_efbig_before_eacces)
{
	struct diff_seq *s = &dd.seq;
	int q, big, zero, nul, neg, fbig, acc, tmo;

	diff_directed_init(&dd, "semop check order");
	q = diff_b_semget(s, R, IPC_PRIVATE, 1, IPC_CREAT | 0600);
	big = SEMOP(s, R, diff_lit(-1), DIFF_TMO_SEMOP, { 0, 0, 0 });
	s->steps[big].sops.nsops = 501;
	diff_b_null_buf(s, big);
	zero = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 0, 0 });
	s->steps[zero].sops.nsops = 0;
	diff_b_null_buf(s, zero);
	nul = SEMOP(s, R, diff_lit(-1), DIFF_TMO_SEMOP, { 0, 0, 0 });
	diff_b_null_buf(s, nul);
	neg = SEMOP(s, R, diff_lit(-1), DIFF_TMO_SEMOP, { 0, 0, 0 });
	fbig = SEMOP(s, DIFF_NOBODY, Q(q), DIFF_TMO_SEMOP, { 65535, 1, 0 });
	acc = SEMOP(s, DIFF_NOBODY, Q(q), DIFF_TMO_SEMOP, { 0, 1, 0 });
	tmo = SEMOP(s, R, Q(q), DIFF_TMO_NEG, { 0, 1, 0 });
	diff_directed_check(&dd);
	diff_expect_ret(&dd, big, -E2BIG);
	diff_expect_ret(&dd, zero, -EINVAL);
	diff_expect_ret(&dd, nul, -EFAULT);
	diff_expect_ret(&dd, neg, -EINVAL);
	diff_expect_ret(&dd, fbig, -EFBIG);
	diff_expect_ret(&dd, acc, -EACCES);
	diff_expect_ret(&dd, tmo, -EINVAL);
}

Test(diff_directed_sem, setval_range_first_semnum_before_perms_getval_perms_before_semnum)
{
	struct diff_seq *s = &dd.seq;
	int q, r1, r2, sv, gv, ok, sa, ga;

	diff_directed_init(&dd, "SETVAL/GETVAL check order, SETALL ERANGE");
	q = diff_b_semget(s, R, IPC_PRIVATE, 3, IPC_CREAT | 0600);
	r1 = diff_b_setval(s, R, diff_lit(99999), 0, 40000);
	r2 = diff_b_setval(s, R, diff_lit(99999), 0, -1);
	sv = diff_b_setval(s, DIFF_NOBODY, Q(q), 5, 1);
	gv = diff_b_semctl(s, DIFF_NOBODY, Q(q), 5, GETVAL);
	ok = diff_b_setall(s, R, Q(q), 1, 1, -1);
	sa = diff_b_setall(s, R, Q(q), 7, 0, 2);
	ga = diff_b_semctl(s, R, Q(q), 0, GETALL);
	diff_b_semctl(s, R, Q(q), 2, GETVAL);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, r1, -ERANGE);
	diff_expect_ret(&dd, r2, -ERANGE);
	diff_expect_ret(&dd, sv, -EINVAL);
	diff_expect_ret(&dd, gv, -EACCES);
	diff_expect_ret(&dd, ok, 0);
	diff_expect_ret(&dd, sa, -ERANGE);
	diff_expect_ret(&dd, ga, 0);
	diff_expect_ret(&dd, ga + 1, 3); /* SETALL's ERANGE changed nothing: still 1, 2, 3 */
}

Test(diff_directed_sem, wait_for_zero_sets_sempid_and_otime_setval_sets_neither_otime)
{
	struct diff_seq *s = &dd.seq;
	int q, sv, st0, z, pid, st1;

	diff_directed_init(&dd, "sem_otime and sempid");
	q = diff_b_semget(s, R, IPC_PRIVATE, 2, IPC_CREAT | 0666);
	sv = diff_b_setval(s, R, Q(q), 0, 3);
	st0 = diff_b_semctl(s, R, Q(q), 0, IPC_STAT);
	diff_b_setval(s, R, Q(q), 0, 0);
	z = SEMOP(s, DIFF_ALICE, Q(q), DIFF_TMO_SEMOP, { 1, 0, 0 });
	pid = diff_b_semctl(s, R, Q(q), 1, GETPID);
	st1 = diff_b_semctl(s, R, Q(q), 0, IPC_STAT);
	diff_b_semctl(s, R, Q(q), 0, GETPID);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, sv, 0);
	cr_expect_eq(diff_result_of(&dd, st0)->r.sem_ds.sem_otime, 0, "SETVAL does not set otime");
	diff_expect_ret(&dd, z, 0);
	cr_expect_eq(diff_proc_of(&dd, diff_result_of(&dd, pid)->ret), 1,
	             "GETPID = the process of the wait-for-zero");
	cr_expect_neq(diff_result_of(&dd, st1)->r.sem_ds.sem_otime, 0, "a wait-for-zero sets otime");
	cr_expect_eq(diff_proc_of(&dd, diff_result_of(&dd, st1 + 1)->ret), 0,
	             "SETVAL set sempid of sem 0 to root");
}

Test(diff_directed_sem, undo_applies_at_a_childs_exit_clamped_to_0_and_32767)
{
	struct diff_seq *s = &dd.seq;
	int q, c, v1, hi, lo, v2, v3, pid;

	diff_directed_init(&dd, "SEM_UNDO at exit, clamped");
	q = diff_b_semget(s, R, IPC_PRIVATE, 3, IPC_CREAT | 0666);
	c = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 3, UNDO });
	diff_b_where(s, c, DIFF_WHERE_CHILD); /* exits at once: the +3 is undone */
	v1 = (int)getval_step(s, Q(q), 0);
	diff_b_spawn(s, 1, DIFF_ALICE);
	diff_b_setval(s, R, Q(q), 1, 5);
	hi = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 1, -1, UNDO }, { 2, 5, UNDO }); /* adj +1, -5 */
	diff_b_where(s, hi, 1);
	diff_b_semop(s, R, Q(q), OPS({ 1, 32763, 0 }, { 2, -4, 0 }), 2, DIFF_TMO_SEMOP);
	lo = diff_b_exit(s, 1);
	v2 = (int)getval_step(s, Q(q), 1);
	v3 = (int)getval_step(s, Q(q), 2);
	pid = diff_b_semctl(s, R, Q(q), 1, GETPID);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, c, 0);
	diff_expect_ret(&dd, v1, 0);
	diff_expect_ret(&dd, hi, 0);
	diff_expect_ret(&dd, lo, 0);
	diff_expect_ret(&dd, v2, 32767); /* 32767 + 1 clamped */
	diff_expect_ret(&dd, v3, 0);     /* 1 - 5 clamped */
	cr_expect_eq(diff_proc_of(&dd, diff_result_of(&dd, pid)->ret), 2,
	             "GETPID = the exiting helper");
}

Test(diff_directed_sem, setval_and_setall_clear_the_adjustments_of_every_process)
{
	struct diff_seq *s = &dd.seq;
	int q, v1, v2;

	diff_directed_init(&dd, "SETVAL/SETALL clear semadj");
	q = diff_b_semget(s, R, IPC_PRIVATE, 2, IPC_CREAT | 0666);
	diff_b_spawn(s, 1, DIFF_BOB);
	diff_b_where(s, SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 4, UNDO }, { 1, 2, UNDO }), 1);
	diff_b_setval(s, R, Q(q), 0, 10);
	diff_b_exit(s, 1);
	v1 = (int)getval_step(s, Q(q), 0);
	v2 = (int)getval_step(s, Q(q), 1);
	diff_b_spawn(s, 2, DIFF_ROOT);
	diff_b_where(s, SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 1, 3, UNDO }), 2);
	diff_b_setall(s, R, Q(q), 7, 0, -1);
	diff_b_exit(s, 2);
	getval_step(s, Q(q), 1);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, v1, 10); /* the +4 adjustment was cleared */
	diff_expect_ret(&dd, v2, 0);  /* the +2 on sem 1 was undone */
	diff_expect_ret(&dd, s->nsteps - 1, 7);
}

Test(diff_directed_sem, semadj_range_is_checked_at_semop_time)
{
	struct diff_seq *s = &dd.seq;
	int q, a, b, c, d;

	diff_directed_init(&dd, "semadj ERANGE");
	q = diff_b_semget(s, R, IPC_PRIVATE, 1, IPC_CREAT | 0600);
	a = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 32767, UNDO });
	b = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, -32767, 0 });
	c = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 1, UNDO });
	d = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 1, UNDO });
	diff_directed_check(&dd);
	diff_expect_ret(&dd, a, 0);
	diff_expect_ret(&dd, b, 0);
	diff_expect_ret(&dd, c, 0); /* semadj -32768 */
	diff_expect_ret(&dd, d, -ERANGE);
}

Test(diff_directed_sem, semget_nsems_checks_eexist_before_eacces_and_kernel_sem_limits)
{
	struct diff_seq *s = &dd.seq;
	int q, neg, more, zero, less, z, ex, msl, mns, opm, opm_ok, mni, info, bad;

	diff_directed_init(&dd, "semget and kernel.sem");
	q = diff_b_semget(s, R, 0x7000, 3, IPC_CREAT | 0600);
	neg = diff_b_semget(s, R, 0x7000, -1, 0);
	more = diff_b_semget(s, R, 0x7000, 4, 0);
	zero = diff_b_semget(s, R, 0x7000, 0, 0);
	less = diff_b_semget(s, R, 0x7000, 2, 0);
	z = diff_b_semget(s, R, IPC_PRIVATE, 0, IPC_CREAT | 0600);
	ex = diff_b_semget(s, DIFF_NOBODY, 0x7000, 3, IPC_CREAT | IPC_EXCL | 0600);
	diff_b_semget(s, DIFF_NOBODY, 0x7000, 3, 0600);
	diff_b_limit(s, DIFF_LIM_SEMMSL, 10);
	diff_b_limit(s, DIFF_LIM_SEMMNS, 12);
	diff_b_limit(s, DIFF_LIM_SEMOPM, 3);
	diff_b_limit(s, DIFF_LIM_SEMMNI, 2);
	msl = diff_b_semget(s, R, IPC_PRIVATE, 11, IPC_CREAT | 0600);
	mns = diff_b_semget(s, R, IPC_PRIVATE, 10, IPC_CREAT | 0600);
	opm = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 1, 0 }, { 0, 1, 0 }, { 0, 1, 0 }, { 0, 1, 0 });
	opm_ok = SEMOP(s, R, Q(q), DIFF_TMO_SEMOP, { 0, 1, 0 }, { 0, 1, 0 }, { 0, 1, 0 });
	diff_b_semget(s, R, IPC_PRIVATE, 9, IPC_CREAT | 0600);
	mni = diff_b_semget(s, R, IPC_PRIVATE, 1, IPC_CREAT | 0600);
	info = diff_b_semctl(s, R, Q(q), 0, SEM_INFO);
	diff_b_semctl(s, R, diff_lit(0), 0, IPC_INFO);
	bad = diff_b_limit(s, DIFF_LIM_SEMMNI, 32769); /* divergences.txt D2 */
	diff_directed_check(&dd);
	diff_expect_ret(&dd, neg, -EINVAL);
	diff_expect_ret(&dd, more, -EINVAL);
	diff_expect_ret(&dd, zero, 0);
	diff_expect_ret(&dd, less, 0);
	diff_expect_ret(&dd, z, -EINVAL);
	diff_expect_ret(&dd, ex, -EEXIST);
	diff_expect_ret(&dd, ex + 1, -EACCES);
	diff_expect_ret(&dd, msl, -EINVAL);
	diff_expect_ret(&dd, mns, -ENOSPC);
	diff_expect_ret(&dd, opm, -E2BIG);
	diff_expect_ret(&dd, opm_ok, 0);
	diff_expect_ret(&dd, mni, -ENOSPC);
	cr_expect_eq(diff_result_of(&dd, info)->r.seminfo.semusz, 2, "SEM_INFO semusz = sets");
	cr_expect_eq(diff_result_of(&dd, info)->r.seminfo.semaem, 12, "SEM_INFO semaem = sems");
	cr_expect_eq(diff_result_of(&dd, info + 1)->r.seminfo.semmap, 1024000000, "IPC_INFO semmap = SEMMAP, a constant");
	cr_expect_eq(diff_result_of(&dd, info + 1)->r.seminfo.semmns, 12, "IPC_INFO semmns = the sysctl");
	cr_expect_eq(diff_result_of(&dd, info + 1)->r.seminfo.semvmx, 32767);
	diff_expect_ret(&dd, bad, -ERANGE);
	(void)q;
}
