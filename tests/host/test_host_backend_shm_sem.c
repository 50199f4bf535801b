/*
 * test_host_backend_shm_sem.c - the host backend's shared memory,
 * semaphores and memory access, driven directly: real segments mapped in
 * real children (addresses are the children's own), a real SIGSEGV, semop
 * sleeping in the kernel and woken by another process, SEM_UNDO applied by
 * the kernel when a holder is killed, EIDRM on removal, and a semtimedop
 * timeout that runs out on the host's scaled clock when sleep() passes it.
 * The msg side is test_host_backend.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>

#include "ipcsim/host.h"
#include "ipcsim/kernel.h"

static struct backend *new_host(void)
{
	char err[256];
	struct backend *b = backend_host_new(NULL, err, sizeof(err));

	cr_assert_not_null(b, "the host backend could not be made: %s", err);
	return b;
}

static int new_proc(struct backend *b)
{
	struct backend_creds c = { 1000, 1000, 0 };
	int pid = -1;

	cr_assert_eq(b->ops->proc_new(b->ctx, &c, &pid), 0, "proc_new failed");
	return pid;
}

static void assert_ok(const struct backend_result *r, long ret, const char *what)
{
	cr_assert_eq(r->blocked, 0, "%s: blocked, expected = %ld", what, ret);
	cr_assert_eq(r->killed, 0, "%s: killed by %d, expected = %ld", what, r->killed, ret);
	cr_assert_eq(r->ret, ret, "%s: = %ld (errno %d), expected = %ld", what, r->ret, r->err,
	             ret);
}

static void no_event(struct backend *b)
{
	struct backend_event ev;

	cr_assert_eq(b->ops->event_next(b->ctx, &ev), 0, "unexpected event kind %d pid %d",
	             ev.kind, ev.pid);
}

static unsigned long attach(struct backend *b, int pid, int id, int flags)
{
	struct backend_result r;

	cr_assert_eq(b->ops->shmat(b->ctx, pid, id, 0, flags, &r), 0);
	cr_assert_neq(r.ret, -1, "shmat: errno %d", r.err);
	return (unsigned long)r.ret;
}

static int new_set(struct backend *b, int pid, int nsems)
{
	struct backend_result r;

	cr_assert_eq(b->ops->semget(b->ctx, pid, IPC_PRIVATE, nsems, 0600, &r), 0);
	cr_assert_geq(r.ret, 0, "semget: errno %d", r.err);
	return (int)r.ret;
}

static long semctl_num(struct backend *b, int pid, int id, int semnum, int cmd, int val)
{
	struct backend_semctl_arg arg = { .buf = BACKEND_BUF_VALID, .val = val };
	struct backend_result r;

	cr_assert_eq(b->ops->semctl(b->ctx, pid, id, semnum, cmd, &arg, &r), 0);
	return r.ret;
}

static void semop1(struct backend *b, int pid, int id, short op, short flg,
                   struct backend_result *r)
{
	struct ipcsim_sembuf sb = { 0, op, flg };

	cr_assert_eq(b->ops->semop(b->ctx, pid, id, &sb, 1, r), 0);
}

Test(host_shm_sem, two_processes_share_a_segment_and_see_each_others_stores)
{
	struct backend *b = new_host();
	int p1 = new_proc(b), p2 = new_proc(b);
	struct backend_result r;
	unsigned long a1, a2;
	int id;

	cr_assert_eq(b->ops->shmget(b->ctx, p1, IPC_PRIVATE, 4096, 0600, &r), 0);
	assert_ok(&r, 0, "shmget");
	id = (int)r.ret;
	a1 = attach(b, p1, id, 0);
	a2 = attach(b, p2, id, 0);
	cr_assert_eq(b->ops->mem_store(b->ctx, p1, a1 + 8, -123456789L, &r), 0);
	assert_ok(&r, 0, "store");
	cr_assert_eq(b->ops->mem_load(b->ctx, p2, a2 + 8, &r), 0);
	assert_ok(&r, -123456789L, "load in the other process");
	cr_assert_eq(b->ops->mem_write(b->ctx, p2, a2 + 100, "hello", 5, &r), 0);
	cr_assert_eq(b->ops->mem_read(b->ctx, p1, a1 + 100, 5, &r), 0);
	cr_assert_not_null(r.bytes);
	cr_assert_eq(r.nbytes, 5);
	cr_assert_eq(memcmp(r.bytes, "hello", 5), 0);
	backend_result_release(&r);
	cr_assert_eq(b->ops->shmctl(b->ctx, p1, id, IPC_STAT, BACKEND_BUF_VALID, NULL, &r), 0);
	cr_assert(r.has_shm_ds);
	cr_assert_eq(r.shm_ds.shm_nattch, 2);
	cr_assert_eq(r.shm_ds.shm_cpid, p1, "cpid is the scenario pid: %d", r.shm_ds.shm_cpid);
	cr_assert_eq(r.shm_ds.shm_lpid, p2);
	backend_free(&b);
}

Test(host_shm_sem, a_load_after_shmdt_and_a_store_into_rdonly_die_of_sigsegv)
{
	struct backend *b = new_host();
	int p1 = new_proc(b), p2 = new_proc(b);
	struct backend_result r;
	unsigned long a, ro;
	int id;

	cr_assert_eq(b->ops->shmget(b->ctx, p1, IPC_PRIVATE, 100, 0600, &r), 0);
	id = (int)r.ret;
	a = attach(b, p1, id, 0);
	cr_assert_eq(b->ops->shmdt(b->ctx, p1, a, &r), 0);
	assert_ok(&r, 0, "shmdt");
	cr_assert_eq(b->ops->mem_load(b->ctx, p1, a, &r), 0);
	cr_assert_eq(r.killed, SIGSEGV, "load after shmdt: killed %d, ret %ld", r.killed, r.ret);
	no_event(b); /* the call reports its own death */
	cr_assert_eq(b->ops->getpid(b->ctx, p1, &r), -1, "a dead process makes no more calls");

	ro = attach(b, p2, id, SHM_RDONLY);
	cr_assert_eq(b->ops->mem_load(b->ctx, p2, ro + 4088, &r), 0);
	assert_ok(&r, 0, "the last page is readable to its end");
	cr_assert_eq(b->ops->mem_store(b->ctx, p2, ro, 1, &r), 0);
	cr_assert_eq(r.killed, SIGSEGV, "store into SHM_RDONLY: killed %d", r.killed);
	backend_free(&b);
}

Test(host_shm_sem, a_sleeping_semop_is_resumed_by_another_process)
{
	struct backend *b = new_host();
	int p1 = new_proc(b), p2 = new_proc(b);
	struct backend_result r;
	struct backend_event ev;
	int s = new_set(b, p1, 1);

	semop1(b, p2, s, -1, 0, &r);
	cr_assert_eq(r.blocked, 1, "semop on 0 must sleep");
	cr_assert_eq(semctl_num(b, p1, s, 0, GETNCNT, 0), 1);
	semop1(b, p1, s, +1, 0, &r);
	assert_ok(&r, 0, "semop +1");
	cr_assert_eq(b->ops->event_next(b->ctx, &ev), 1, "the sleeper must be resumed");
	cr_assert_eq(ev.kind, BACKEND_EV_RESUMED);
	cr_assert_eq(ev.pid, p2);
	cr_assert_str_eq(ev.call, "semop");
	assert_ok(&ev.r, 0, "resumed semop");
	cr_assert_eq(semctl_num(b, p1, s, 0, GETPID, 0), p2, "GETPID is the scenario pid");
	backend_free(&b);
}

Test(host_shm_sem, sem_undo_is_applied_by_the_kernel_when_the_holder_is_killed)
{
	struct backend *b = new_host();
	int admin = new_proc(b), holder = new_proc(b), waiter = new_proc(b);
	struct backend_result r;
	struct backend_event ev;
	int s = new_set(b, admin, 1), killed = 0, resumed = 0;

	cr_assert_eq(semctl_num(b, admin, s, 0, SETVAL, 1), 0);
	semop1(b, holder, s, -1, SEM_UNDO, &r);
	assert_ok(&r, 0, "holder takes the lock");
	semop1(b, waiter, s, -1, SEM_UNDO, &r);
	cr_assert_eq(r.blocked, 1);
	cr_assert_eq(b->ops->kill(b->ctx, admin, holder, SIGKILL, &r), 0);
	assert_ok(&r, 0, "kill");
	while (b->ops->event_next(b->ctx, &ev) == 1) {
		if (ev.kind == BACKEND_EV_KILLED && ev.pid == holder && ev.sig == SIGKILL)
			killed++;
		if (ev.kind == BACKEND_EV_RESUMED && ev.pid == waiter && ev.r.ret == 0)
			resumed++;
		backend_result_release(&ev.r);
	}
	cr_assert_eq(killed, 1, "the holder's death is an event");
	cr_assert_eq(resumed, 1, "the undo at exit woke the waiter");
	cr_assert_eq(semctl_num(b, admin, s, 0, GETVAL, 0), 0);
	backend_free(&b);
}

Test(host_shm_sem, rmid_wakes_a_sleeper_with_eidrm)
{
	struct backend *b = new_host();
	int p1 = new_proc(b), p2 = new_proc(b);
	struct backend_result r;
	struct backend_event ev;
	int s = new_set(b, p1, 2);

	semop1(b, p2, s, -1, 0, &r);
	cr_assert_eq(r.blocked, 1);
	cr_assert_eq(semctl_num(b, p1, s, 0, IPC_RMID, 0), 0);
	cr_assert_eq(b->ops->event_next(b->ctx, &ev), 1);
	cr_assert_eq(ev.pid, p2);
	cr_assert(ev.r.ret == -1 && ev.r.err == EIDRM, "= %ld errno %d", ev.r.ret, ev.r.err);
	backend_free(&b);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

Test(host_shm_sem, a_semtimedop_timeout_runs_out_when_sleep_passes_it_and_not_before)
{
	struct backend *b = new_host();
	int p1 = new_proc(b), p2 = new_proc(b);
	struct ipcsim_sembuf sb = { 0, -1, 0 };
	const long two_s[2] = { 2, 0 };
	struct backend_result r;
	struct backend_event ev;
	int s = new_set(b, p1, 1);
	long start = now_ms();

	cr_assert_eq(b->ops->semtimedop(b->ctx, p2, s, &sb, 1, two_s, &r), 0);
	cr_assert_eq(r.blocked, 1);
	cr_assert_eq(b->ops->sleep(b->ctx, p1, 1, &r), 0);
	no_event(b); /* 1 s of the 2 s timeout: still asleep */
	cr_assert_eq(b->ops->sleep(b->ctx, p1, 1, &r), 0);
	cr_assert_eq(b->ops->event_next(b->ctx, &ev), 1, "the timeout must have run out");
	cr_assert_str_eq(ev.call, "semtimedop");
	cr_assert(ev.r.ret == -1 && ev.r.err == EAGAIN, "= %ld errno %d", ev.r.ret, ev.r.err);
	/* scaled: 2 scenario seconds are 400 ms of real time by default */
	cr_assert_lt(now_ms() - start, 1500, "took %ld ms", now_ms() - start);
	backend_free(&b);
}

/* kernel.shmmax and shmall are unsigned longs: every bit pattern a limit
 * can carry reaches the kernel as the unsigned number it is. */
Test(host_shm_sem, shmmax_and_shmall_take_values_above_llong_max)
{
	struct backend *b = new_host();
	int p = new_proc(b);
	struct backend_result r;
	const unsigned long top = ~0UL - (1UL << 24);

	cr_assert_eq(b->ops->limit_set(b->ctx, "shmmax", (long long)~0ULL), 0);
	cr_assert_eq(b->ops->limit_set(b->ctx, "shmall", (long long)top), 0);
	cr_assert_eq(b->ops->shmctl(b->ctx, p, 0, IPC_INFO, BACKEND_BUF_VALID, NULL, &r), 0);
	cr_assert(r.has_shminfo, "IPC_INFO: errno %d", r.err);
	cr_assert_eq(r.shminfo.shmmax, ~0UL);
	cr_assert_eq(r.shminfo.shmall, top);
	backend_free(&b);
}

TestSuite(host_shm_sem, .timeout = 30);
