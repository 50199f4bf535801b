/*
 * test_undo.c - the kernel's undo log (sim_kernel_mark / rewind / release).
 *
 * Random workloads of every kind of call (queues, segments and memory,
 * semaphore sets with SEM_UNDO and timeouts, fork, exit, signals, the
 * clock, limits) run twice: on a reference kernel straight through, and on
 * a kernel that at random points marks, runs a random detour (nested marks
 * included), and rewinds.  After every rewind the kernel's bytes must be
 * exactly those at the mark (sim_kernel_state_bytes), and every later call
 * must answer exactly as on the reference kernel, which never took a
 * detour: the state a rewind gives is the state a fresh replay gives.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/kernel.h"
#include "kernel/kernel_int.h"

#define NPROCS 64
#define NOBJ 4

/* What a workload knows: the pids and ids the calls returned. */
struct world {
	int pids[NPROCS], npids;
	long msq[NOBJ], shm[NOBJ], sem[NOBJ];
	unsigned long addr[NOBJ];
};

static unsigned long long next_rand(unsigned long long *r)
{
	*r ^= *r << 13;
	*r ^= *r >> 7;
	*r ^= *r << 17;
	return *r;
}

#define PICK(r, n) ((int)(next_rand(r) % (unsigned long long)(n)))

/* Appends what the events say (who resumed with what) to log. */
static void drain(struct sim_kernel *k, char *log, size_t cap)
{
	struct sim_event ev;

	while (sim_event_next(k, &ev)) {
		size_t n = strlen(log);

		snprintf(log + n, cap - n, " ev%d:%d:%ld:%ld:%.*s", ev.kind, ev.pid, ev.ret,
		         ev.msg.mtype, (int)ev.msg.len, ev.msg.text ? (char *)ev.msg.text : "");
		sim_msgbuf_release(&ev.msg);
	}
}

/* A random running process (most calls need one); a new one when none
 * runs, while there is room; else any. */
static int pick_pid(struct sim_kernel *k, struct world *w, unsigned long long *r)
{
	int start = PICK(r, w->npids), pid;
	struct sim_proc_view v;

	for (int i = 0; i < w->npids; i++) {
		pid = w->pids[(start + i) % w->npids];
		if (sim_proc_get(k, pid, &v) == 0 && v.state == SIM_PROC_RUNNING)
			return pid;
	}
	if (w->npids < NPROCS && (pid = sim_proc_new(k, 1000, 0, 0)) > 0)
		return w->pids[w->npids++] = pid;
	return w->pids[start];
}

/* One random call on k; its result (and events) written to log. */
static void random_call(struct sim_kernel *k, struct world *w, unsigned long long *r, char *log,
                        size_t cap)
{
	int pid = pick_pid(k, w, r), o = PICK(r, NOBJ);
	long rc = 0;
	char text[64];
	struct sim_msgbuf m = { 1 + PICK(r, 3), (size_t)PICK(r, 40), (unsigned char *)text };
	struct ipcsim_sembuf sops[2];
	int op = PICK(r, 24);

	snprintf(text, sizeof(text), "t%llu-%d", next_rand(r) % 1000, op);
	switch (op) {
	case 0:
		rc = sim_msgget(k, pid, PICK(r, 2) ? IPC_PRIVATE : 0x100 + o, IPC_CREAT | 0666);
		if (rc >= 0)
			w->msq[o] = rc;
		break;
	case 1:
	case 2:
		rc = sim_msgsnd(k, pid, (int)w->msq[o], &m, m.len + (size_t)PICK(r, 8),
		                PICK(r, 4) ? IPC_NOWAIT : 0);
		break;
	case 3:
	case 4: {
		struct sim_msgbuf out;

		rc = sim_msgrcv(k, pid, (int)w->msq[o], &out, 8 + (size_t)PICK(r, 48),
		                PICK(r, 5) - 2, PICK(r, 4) ? IPC_NOWAIT : (PICK(r, 2) ? MSG_NOERROR : 0));
		if (rc >= 0) {
			snprintf(log, cap, "%ld:%.*s", out.mtype, (int)out.len, (char *)out.text);
			sim_msgbuf_release(&out);
		}
		break;
	}
	case 5: {
		struct ipcsim_msqid_ds ds;

		rc = sim_msgctl(k, pid, (int)w->msq[o], IPC_STAT, &ds, NULL);
		if (rc == 0 && PICK(r, 3) == 0) {
			ds.msg_qbytes = 20 + (unsigned long)PICK(r, 200);
			rc = sim_msgctl(k, pid, (int)w->msq[o], IPC_SET, &ds, NULL);
		} else if (rc == 0 && PICK(r, 4) == 0) {
			rc = sim_msgctl(k, pid, (int)w->msq[o], IPC_RMID, NULL, NULL);
		}
		break;
	}
	case 6:
		rc = sim_shmget(k, pid, PICK(r, 2) ? IPC_PRIVATE : 0x200 + o,
		                (size_t)(1 + PICK(r, 3)) * SIM_PAGE_SIZE, IPC_CREAT | 0666);
		if (rc >= 0)
			w->shm[o] = rc;
		break;
	case 7:
		rc = sim_shmat(k, pid, (int)w->shm[o], 0, PICK(r, 4) ? 0 : SHM_RDONLY);
		if (rc > 0)
			w->addr[o] = (unsigned long)rc;
		break;
	case 8:
		rc = sim_shmdt(k, pid, w->addr[o]);
		break;
	case 9:
		rc = sim_mem_store(k, pid, w->addr[o] + 8 * (unsigned long)PICK(r, 500),
		                   (long)next_rand(r));
		break;
	case 10: {
		long v = 0;

		rc = sim_mem_load(k, pid, w->addr[o] + 8 * (unsigned long)PICK(r, 500), &v);
		if (rc == 0)
			snprintf(log, cap, "%ld", v);
		break;
	}
	case 11:
		rc = sim_shmctl(k, pid, (int)w->shm[o], PICK(r, 3) ? IPC_RMID : SHM_LOCK, NULL, NULL,
		                NULL);
		break;
	case 12:
		rc = sim_semget(k, pid, PICK(r, 2) ? IPC_PRIVATE : 0x300 + o, 2 + PICK(r, 2),
		                IPC_CREAT | 0666);
		if (rc >= 0)
			w->sem[o] = rc;
		break;
	case 13:
	case 14: {
		size_t n = 1 + (size_t)PICK(r, 2);
		long timeout[2] = { PICK(r, 3), 0 };

		for (size_t i = 0; i < n; i++) {
			sops[i].sem_num = (unsigned short)PICK(r, 2);
			sops[i].sem_op = (short)(PICK(r, 5) - 2);
			sops[i].sem_flg = (short)((PICK(r, 2) ? SEM_UNDO : 0) |
			                          (PICK(r, 3) ? IPC_NOWAIT : 0));
		}
		rc = PICK(r, 3) ? sim_semop(k, pid, (int)w->sem[o], sops, n)
		                : sim_semtimedop(k, pid, (int)w->sem[o], sops, n, timeout);
		break;
	}
	case 15: {
		unsigned short vals[3] = { (unsigned short)PICK(r, 3), (unsigned short)PICK(r, 3),
		                           (unsigned short)PICK(r, 3) };
		struct sim_semctl_arg arg = { .val = PICK(r, 4), .array = vals };
		int cmd = PICK(r, 4) == 0 ? IPC_RMID : PICK(r, 2) ? SETVAL : SETALL;

		rc = sim_semctl(k, pid, (int)w->sem[o], PICK(r, 3), cmd, &arg);
		break;
	}
	case 16:
		rc = sim_fork(k, pid);
		if (rc > 0 && w->npids < NPROCS)
			w->pids[w->npids++] = (int)rc;
		break;
	case 17:
		if (PICK(r, 12) == 0)
			rc = sim_exit(k, pid, PICK(r, 256));
		break;
	case 18:
		rc = sim_kill(k, pid, w->pids[PICK(r, w->npids)],
		              PICK(r, 8) == 0 ? SIGKILL : SIGUSR1);
		break;
	case 19:
		rc = sim_signal(k, pid, SIGUSR1, PICK(r, 2) ? SIM_SIG_CATCH : SIM_SIG_DFL);
		break;
	case 20:
		rc = sim_sleep(k, pid, PICK(r, 3));
		break;
	case 21:
		if (PICK(r, 6) == 0)
			rc = sim_limit_set(k, "msgpool", PICK(r, 2) ? 0 : 1024 + 512 * PICK(r, 8));
		else
			rc = sim_file_add(k, PICK(r, 2) ? "/a" : "/b", (unsigned long)PICK(r, 9), 8, 1);
		break;
	case 22:
		if (w->npids < NPROCS) {
			rc = sim_proc_new(k, (unsigned)PICK(r, 2) * 1000, 0, PICK(r, 2) ? SIM_CAP_ALL : 0);
			if (rc > 0)
				w->pids[w->npids++] = (int)rc;
		}
		break;
	default: {
		struct sim_msgbuf big = { 2, 0, (unsigned char *)text };

		/* a long message, to fragment the data area */
		big.len = strlen(text);
		rc = sim_msgsnd(k, pid, (int)w->msq[o], &big, 100 + (size_t)PICK(r, 300), IPC_NOWAIT);
		break;
	}
	}
	{
		size_t n = strlen(log);

		snprintf(log + n, cap - n, " op%d=%ld", op, rc);
	}
	drain(k, log, cap);
}

static void world_init(struct sim_kernel *k, struct world *w)
{
	memset(w, 0, sizeof(*w));
	for (int i = 0; i < 3; i++)
		w->pids[w->npids++] = sim_proc_new(k, i == 2 ? 0 : 1000, 0, i == 2 ? SIM_CAP_ALL : 0);
	for (int i = 0; i < NOBJ; i++)
		w->msq[i] = w->shm[i] = w->sem[i] = -1;
}

static unsigned char *state(struct sim_kernel *k, size_t *len)
{
	unsigned char *b = sim_kernel_state_bytes(k, len);

	cr_assert_not_null(b);
	return b;
}

/* A detour: marks (nested up to depth), random calls, rewinds; k ends as
 * it began, byte for byte. */
static void detour(struct sim_kernel *k, const struct world *w0, unsigned long long *r, int depth)
{
	struct world w = *w0;
	size_t len0, len1;
	unsigned char *before = state(k, &len0), *after;
	long m = sim_kernel_mark(k);
	char log[4096];
	char err[256];
	int n = 1 + PICK(r, 6);

	cr_assert_geq(m, 1, "mark: %ld", m);
	for (int i = 0; i < n; i++) {
		log[0] = '\0';
		random_call(k, &w, r, log, sizeof(log));
		cr_assert_eq(sim_kernel_check(k, err, sizeof(err)), 0, "in a detour: %s", err);
		if (depth > 0 && PICK(r, 4) == 0)
			detour(k, &w, r, depth - 1);
	}
	cr_assert_eq(sim_kernel_rewind(k, m), 0);
	after = state(k, &len1);
	cr_assert(len0 == len1 && memcmp(before, after, len0) == 0,
	          "the rewind did not restore the kernel byte for byte (%zu vs %zu bytes)", len0,
	          len1);
	cr_assert_eq(sim_kernel_check(k, err, sizeof(err)), 0, "after a rewind: %s", err);
	/* sometimes go again from the same mark, then drop it */
	if (PICK(r, 3) == 0) {
		log[0] = '\0';
		w = *w0;
		random_call(k, &w, r, log, sizeof(log));
		cr_assert_eq(sim_kernel_rewind(k, m), 0);
		free(after);
		after = state(k, &len1);
		cr_assert(len0 == len1 && memcmp(before, after, len0) == 0, "second rewind");
	}
	cr_assert_eq(sim_kernel_release(k, m), 0);
	free(before);
	free(after);
}

static void run_against_reference(unsigned long long seed, int steps)
{
	struct sim_kernel *ref = sim_kernel_new(), *k = sim_kernel_new();
	struct world wr, wk;
	unsigned long long rr = seed, rk = seed, rd = seed * 7 + 3;
	char la[4096], lb[4096];

	world_init(ref, &wr);
	world_init(k, &wk);
	for (int i = 0; i < steps; i++) {
		if (PICK(&rd, 3) == 0)
			detour(k, &wk, &rd, 2);
		la[0] = lb[0] = '\0';
		random_call(ref, &wr, &rr, la, sizeof(la));
		random_call(k, &wk, &rk, lb, sizeof(lb));
		cr_assert_str_eq(lb, la, "seed %llu step %d: after rewinds '%s', straight '%s'", seed,
		                 i, lb, la);
	}
	cr_assert_eq(sim_kernel_undo_bytes(k), 0, "no mark left, no log");
	sim_kernel_free(&ref);
	sim_kernel_free(&k);
}

Test(undo, rewind_restores_every_byte_and_later_calls_agree)
{
	for (unsigned long long seed = 1; seed <= 40; seed++)
		run_against_reference(seed * 0x9E3779B97F4A7C15ULL + 1, 300);
}

Test(undo, marks_nest_and_release)
{
	struct sim_kernel *k = sim_kernel_new();
	int pid = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	struct sim_msgbuf m = { 1, 1, (unsigned char *)"x" };
	long q = sim_msgget(k, pid, IPC_PRIVATE, 0600), m1, m2, m3;
	struct ipcsim_msqid_ds ds;

	m1 = sim_kernel_mark(k);
	cr_assert_eq(sim_msgsnd(k, pid, (int)q, &m, 1, 0), 0);
	m2 = sim_kernel_mark(k);
	cr_assert_eq(m2, m1 + 1);
	cr_assert_eq(sim_msgsnd(k, pid, (int)q, &m, 1, 0), 0);
	m3 = sim_kernel_mark(k);
	cr_assert_eq(sim_msgsnd(k, pid, (int)q, &m, 1, 0), 0);
	cr_assert_eq(sim_kernel_release(k, m3), 0, "the newest mark goes, the change stays");
	sim_msgctl(k, pid, (int)q, IPC_STAT, &ds, NULL);
	cr_assert_eq(ds.msg_qnum, 3);
	cr_assert_eq(sim_kernel_rewind(k, m3), -EINVAL, "a released mark");
	cr_assert_eq(sim_kernel_rewind(k, m2), 0);
	sim_msgctl(k, pid, (int)q, IPC_STAT, &ds, NULL);
	cr_assert_eq(ds.msg_qnum, 1, "back to the second mark: one message");
	cr_assert_eq(sim_kernel_rewind(k, m1), 0, "an older mark is still there");
	sim_msgctl(k, pid, (int)q, IPC_STAT, &ds, NULL);
	cr_assert_eq(ds.msg_qnum, 0);
	cr_assert_eq(sim_kernel_rewind(k, m2), -EINVAL, "rewinding to m1 dropped m2");
	cr_assert_eq(sim_kernel_release(k, m1), 0);
	cr_assert_eq(sim_kernel_undo_bytes(k), 0);
	cr_assert_eq(sim_kernel_release(k, m1), -EINVAL);
	sim_kernel_free(&k);
}

Test(undo, a_mark_needs_no_pending_events_and_a_rewind_drops_them)
{
	struct sim_kernel *k = sim_kernel_new();
	int p1 = sim_proc_new(k, 0, 0, SIM_CAP_ALL), p2 = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	struct sim_msgbuf m = { 1, 2, (unsigned char *)"hi" }, out;
	struct sim_event ev;
	long q = sim_msgget(k, p1, IPC_PRIVATE, 0600), mk;

	cr_assert_eq(sim_msgrcv(k, p2, (int)q, &out, 8, 0, 0), SIM_BLOCKED);
	mk = sim_kernel_mark(k);
	cr_assert_eq(sim_msgsnd(k, p1, (int)q, &m, 2, 0), 0, "wakes p2: an event");
	cr_assert_eq(sim_kernel_mark(k), -EBUSY, "events pending");
	cr_assert_eq(sim_kernel_rewind(k, mk), 0);
	cr_assert_eq(sim_event_next(k, &ev), 0, "the wake-up was undone with its event");
	cr_assert_eq(sim_msgsnd(k, p1, (int)q, &m, 2, 0), 0, "p2 still sleeps: it wakes again");
	cr_assert_eq(sim_event_next(k, &ev), 1);
	cr_assert_eq(ev.pid, p2);
	sim_msgbuf_release(&ev.msg);
	cr_assert_eq(sim_kernel_release(k, mk), 0);
	sim_kernel_free(&k);
}

/* Freeing a kernel with marks set frees everything (ASan checks the leaks). */
Test(undo, free_with_marks_set)
{
	struct sim_kernel *k = sim_kernel_new();
	int pid = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	struct sim_msgbuf m = { 1, 1, (unsigned char *)"x" };
	long q = sim_msgget(k, pid, IPC_PRIVATE, 0600);

	sim_kernel_mark(k);
	sim_msgsnd(k, pid, (int)q, &m, 1, 0);
	sim_msgctl(k, pid, (int)q, IPC_RMID, NULL, NULL);
	sim_kernel_mark(k);
	sim_msgget(k, pid, IPC_PRIVATE, 0600);
	sim_kernel_free(&k);
	cr_assert_null(k);
}
