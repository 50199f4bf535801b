/*
 * test_sem.c - semaphores in the simulated kernel: semget, semop and its
 * atomicity, wake-up order, timeouts, semctl, SEM_UNDO.
 */
#include <signal.h>

#include "../lib/kernel_fixture.h"

static struct kfix f;
static int p3;

static void setup(void)
{
	kfix_init(&f);
	p3 = sim_proc_new(f.k, 1000, 1000, 0);
}

static void teardown(void)
{
	kfix_fini(&f);
}

TestSuite(semget, .init = setup, .fini = teardown);
TestSuite(semop, .init = setup, .fini = teardown);
TestSuite(semwake, .init = setup, .fini = teardown);
TestSuite(semctl, .init = setup, .fini = teardown);
TestSuite(semundo, .init = setup, .fini = teardown);

static long op1(int pid, int id, unsigned short num, short op, short flg)
{
	struct ipcsim_sembuf b = { num, op, flg };

	return sim_semop(f.k, pid, id, &b, 1);
}

static long getval(int id, int num)
{
	struct sim_semctl_arg a = { 0 };

	return sim_semctl(f.k, p3, id, num, GETVAL, &a);
}

static long setval(int pid, int id, int num, int val)
{
	struct sim_semctl_arg a = { .val = val };

	return sim_semctl(f.k, pid, id, num, SETVAL, &a);
}

Test(semget, nsems_checks_in_order)
{
	cr_assert_eq(sim_semget(f.k, f.p1, 0x9abc, 3, IPC_CREAT | 0600), 0);
	cr_assert_eq(sim_semget(f.k, f.p1, 0x9abc, -1, 0), -EINVAL, "before the key lookup");
	cr_assert_eq(sim_semget(f.k, f.p1, 0x9abc, 4, 0), -EINVAL, "more than the set has");
	cr_assert_eq(sim_semget(f.k, f.p1, 0x9abc, 0, 0), 0, "0 is fine for an existing set");
	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 0, 0600), -EINVAL, "0 on create");
	cr_assert_eq(sim_limit_set(f.k, "semmsl", 10), 0);
	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 11, 0600), -EINVAL);
	cr_assert_eq(sim_limit_set(f.k, "semmns", 12), 0);
	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 10, 0600), -ENOSPC, "3 + 10 > 12");
	cr_assert_eq(sim_limit_set(f.k, "semmni", 2), 0);
	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 1, 0600), 1);
	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 1, 0600), -ENOSPC);
}

Test(semop, argument_checks_in_order)
{
	struct ipcsim_sembuf big[4] = { { 0, 1, 0 } }, b = { 65535, 1, 0 };
	long zero[2] = { 0, 0 }, bad[2] = { 0, 1000000000L };

	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 2, 0600), 0);
	cr_assert_eq(sim_limit_set(f.k, "semopm", 3), 0);
	cr_assert_eq(sim_semop(f.k, f.p1, -1, big, 4), -E2BIG, "E2BIG first");
	cr_assert_eq(sim_semop(f.k, f.p1, 0, big, 0), -EINVAL);
	cr_assert_eq(sim_semop(f.k, f.p1, -1, NULL, 1), -EFAULT, "EFAULT before semid < 0");
	cr_assert_eq(sim_semop(f.k, f.p1, -1, big, 1), -EINVAL);
	cr_assert_eq(sim_semtimedop(f.k, f.p1, 0, big, 1, bad), -EINVAL, "bad timespec");
	cr_assert_eq(sim_semop(f.k, f.p1, 0, &b, 1), -EFBIG);
	cr_assert_eq(op1(f.p1, 0, 0, -1, 0) == SIM_BLOCKED, 1);
	cr_assert_eq(sim_semtimedop(f.k, f.p2, 0, &(struct ipcsim_sembuf){ 0, -1, 0 }, 1, zero),
	             -EAGAIN, "zero timeout fails at once");
}

Test(semop, all_or_nothing_and_first_failure_wins)
{
	struct ipcsim_sembuf a[2] = { { 0, 1, 0 }, { 1, -1, IPC_NOWAIT } };
	struct ipcsim_sembuf r1[2] = { { 0, -1, IPC_NOWAIT }, { 1, 1, 0 } };
	struct ipcsim_sembuf r2[2] = { { 1, 1, 0 }, { 0, -1, IPC_NOWAIT } };
	struct ipcsim_sembuf dup[2] = { { 0, 2, 0 }, { 0, -2, IPC_NOWAIT } };

	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 2, 0600), 0);
	cr_assert_eq(sim_semop(f.k, f.p1, 0, a, 2), -EAGAIN);
	cr_assert_eq(getval(0, 0), 0, "nothing applied");
	cr_assert_eq(setval(f.p1, 0, 1, 32767), 0);
	cr_assert_eq(sim_semop(f.k, f.p1, 0, r1, 2), -EAGAIN, "blocks before ERANGE");
	cr_assert_eq(sim_semop(f.k, f.p1, 0, r2, 2), -ERANGE, "ERANGE before blocking");
	cr_assert_eq(sim_semop(f.k, f.p1, 0, dup, 2), 0, "duplicates apply in order");
	cr_assert_eq(getval(0, 0), 0);
}

Test(semop, nowait_only_counts_on_the_blocking_op)
{
	struct ipcsim_sembuf a[2] = { { 0, 1, IPC_NOWAIT }, { 1, -1, 0 } };

	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 2, 0600), 0);
	cr_assert_eq(sim_semop(f.k, f.p1, 0, a, 2), SIM_BLOCKED);
}

Test(semop, wait_for_zero_needs_read_and_sets_pid_and_otime)
{
	struct ipcsim_semid_ds ds;
	struct sim_semctl_arg arg = { .buf = &ds };
	int reader = sim_proc_new(f.k, 2000, 2000, 0);

	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 1, 0644), 0);
	cr_assert_eq(op1(reader, 0, 0, 1, 0), -EACCES, "alter needs write");
	cr_assert_eq(op1(reader, 0, 0, 0, 0), 0, "wait-for-zero needs read");
	cr_assert_eq(sim_semctl(f.k, f.p1, 0, 0, GETPID, NULL), reader);
	cr_assert_eq(sim_semctl(f.k, f.p1, 0, 0, IPC_STAT, &arg), 0);
	cr_assert_eq(ds.sem_otime, SIM_EPOCH);
}

Test(semwake, best_fit_not_fifo)
{
	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 1, 0600), 0);
	cr_assert_eq(op1(f.p1, 0, 0, -2, 0), SIM_BLOCKED); /* A */
	cr_assert_eq(op1(f.p2, 0, 0, -1, 0), SIM_BLOCKED); /* B */
	cr_assert_eq(sim_semctl(f.k, p3, 0, 0, GETNCNT, NULL), 2);
	cr_assert_eq(op1(p3, 0, 0, 1, 0), 0);
	expect_resumed(f.k, f.p2, 0);
	expect_no_event(f.k);
	cr_assert_eq(op1(p3, 0, 0, 2, 0), 0);
	expect_resumed(f.k, f.p1, 0);
	cr_assert_eq(sim_semctl(f.k, p3, 0, 0, GETPID, NULL), f.p1, "the sleeper's pid");
}

Test(semwake, zero_waiters_and_complex_ops)
{
	struct ipcsim_sembuf two[2] = { { 0, -1, 0 }, { 2, -1, 0 } };

	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 3, 0600), 0);
	cr_assert_eq(setval(p3, 0, 1, 2), 0);
	cr_assert_eq(op1(f.p1, 0, 1, 0, 0), SIM_BLOCKED);
	cr_assert_eq(sim_semop(f.k, f.p2, 0, two, 2), SIM_BLOCKED);
	cr_assert_eq(sim_semctl(f.k, p3, 0, 0, GETNCNT, NULL), 1, "counted on its blocking op");
	cr_assert_eq(sim_semctl(f.k, p3, 0, 2, GETNCNT, NULL), 0);
	cr_assert_eq(sim_semctl(f.k, p3, 0, 1, GETZCNT, NULL), 1);
	cr_assert_eq(op1(p3, 0, 1, -1, 0), 0);
	expect_no_event(f.k); /* 2 -> 1 does not wake a zero-waiter */
	cr_assert_eq(op1(p3, 0, 0, 1, 0), 0);
	expect_no_event(f.k); /* sem 2 is still 0 */
	cr_assert_eq(op1(p3, 0, 1, -1, 0), 0);
	expect_resumed(f.k, f.p1, 0);
	cr_assert_eq(op1(p3, 0, 2, 1, 0), 0);
	expect_resumed(f.k, f.p2, 0);
	cr_assert_eq(getval(0, 0), 0);
}

Test(semwake, rmid_signal_timeout)
{
	long t[2] = { 5, 0 };
	struct ipcsim_sembuf b = { 0, -1, 0 };

	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 1, 0600), 0);
	cr_assert_eq(sim_semtimedop(f.k, f.p1, 0, &b, 1, t), SIM_BLOCKED);
	cr_assert_eq(sim_sleep(f.k, p3, 4), 0);
	expect_no_event(f.k);
	cr_assert_eq(sim_sleep(f.k, p3, 1), 0);
	expect_resumed(f.k, f.p1, -EAGAIN);
	cr_assert_eq(sim_signal(f.k, f.p1, SIGUSR1, SIM_SIG_CATCH), 0);
	cr_assert_eq(op1(f.p1, 0, 0, -1, 0), SIM_BLOCKED);
	cr_assert_eq(sim_kill(f.k, p3, f.p1, SIGUSR1), 0);
	expect_resumed(f.k, f.p1, -EINTR);
	cr_assert_eq(op1(f.p1, 0, 0, -1, 0), SIM_BLOCKED);
	cr_assert_eq(op1(f.p2, 0, 0, 0, 0), 0, "it is 0: no wait");
	cr_assert_eq(sim_semctl(f.k, p3, 0, 0, IPC_RMID, NULL), 0);
	expect_resumed(f.k, f.p1, -EIDRM);
	cr_assert_eq(op1(f.p1, 0, 0, 1, 0), -EINVAL);
}

Test(semctl, setval_getval_orders_and_setall)
{
	unsigned short vals[2] = { 1, 40000 }, out[2];
	struct sim_semctl_arg all = { .array = vals }, get = { .array = out };
	struct ipcsim_seminfo si;
	struct sim_semctl_arg info = { .info = &si };
	int nobody = sim_proc_new(f.k, 65534, 65534, 0);

	cr_assert_eq(setval(f.p1, 99, 0, 40000), -ERANGE, "range before the id");
	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 2, 0600), 0);
	cr_assert_eq(setval(nobody, 0, 5, 1), -EINVAL, "SETVAL: semnum before perms");
	cr_assert_eq(sim_semctl(f.k, nobody, 0, 5, GETVAL, NULL), -EACCES, "GETVAL: perms first");
	cr_assert_eq(sim_semctl(f.k, f.p1, 0, 0, SETALL, &all), -ERANGE);
	cr_assert_eq(sim_semctl(f.k, f.p1, 0, 0, GETALL, &get), 0);
	cr_assert_eq(out[0], 0, "SETALL ERANGE changes nothing");
	vals[1] = 7;
	cr_assert_eq(sim_semctl(f.k, f.p1, 0, 99, SETALL, &all), 0, "semnum ignored");
	cr_assert_eq(sim_semctl(f.k, f.p1, 0, 0, GETALL, &get), 0);
	cr_assert_eq(out[1], 7);
	cr_assert_eq(sim_semctl(f.k, f.p1, 0, 0, GETALL, NULL), -EFAULT);
	cr_assert_eq(sim_semctl(f.k, f.p1, 0, 0, SEM_INFO, &info), 0);
	cr_assert_eq(si.semusz, 1);
	cr_assert_eq(si.semaem, 2);
	cr_assert_eq(sim_semctl(f.k, f.p1, 0, 0, IPC_INFO, &info), 0);
	cr_assert_eq(si.semmap, 1024000000);
	cr_assert_eq(si.semvmx, 32767);
	cr_assert_eq(sim_semctl(f.k, f.p1, -1, 0, IPC_INFO, &info), -EINVAL);
}

Test(semundo, applied_at_death_clamped_not_inherited_cleared_by_setval)
{
	long child;

	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 2, 0600), 0);
	cr_assert_eq(setval(f.p1, 0, 0, 1), 0);
	cr_assert_eq(op1(f.p2, 0, 0, -1, SEM_UNDO), 0); /* takes the lock */
	child = sim_fork(f.k, f.p2);
	cr_assert_eq(sim_exit(f.k, (int)child, 0), 0);
	cr_assert_eq(getval(0, 0), 0, "the child inherited no undo");
	cr_assert_eq(sim_kill(f.k, p3, f.p2, SIGKILL), 0);
	cr_assert_eq(getval(0, 0), 1, "released at death");
	cr_assert_eq(sim_semctl(f.k, p3, 0, 0, GETPID, NULL), f.p2);
	/* clamp at 0: undo +1 of a value the owner then set to 0 by hand... */
	cr_assert_eq(op1(f.p1, 0, 1, 1, SEM_UNDO), 0);   /* semadj -1 */
	cr_assert_eq(op1(p3, 0, 1, -1, 0), 0);           /* value back to 0 */
	cr_assert_eq(sim_exit(f.k, f.p1, 0), 0);
	cr_assert_eq(getval(0, 1), 0, "0 - 1 clamps at 0");
	/* SETVAL clears adjustments */
	cr_assert_eq(op1(p3, 0, 1, 5, SEM_UNDO), 0);
	cr_assert_eq(setval(p3, 0, 1, 10), 0);
	cr_assert_eq(sim_exit(f.k, p3, 0), 0);
	cr_assert_eq(sim_semctl(f.k, sim_proc_new(f.k, 1000, 1000, 0), 0, 1, GETVAL, NULL), 10);
}

Test(semundo, adjustment_range)
{
	cr_assert_eq(sim_semget(f.k, f.p1, IPC_PRIVATE, 1, 0600), 0);
	cr_assert_eq(op1(f.p1, 0, 0, 32767, SEM_UNDO), 0);
	cr_assert_eq(op1(f.p1, 0, 0, -32767, 0), 0);
	cr_assert_eq(op1(f.p1, 0, 0, 1, SEM_UNDO), 0, "semadj -32768 is fine");
	cr_assert_eq(op1(f.p1, 0, 0, 1, SEM_UNDO), -ERANGE);
}
