/*
 * host_coord_shm_sem.c - the coordinator's handlers for shared memory,
 * semaphores, memory access and sleep (host_coord_ops.c has the rest).
 *
 * Each call runs in the scenario process's real child (host_child_shm_sem.c);
 * here the scenario's view becomes the host's and back: ftok keys to the
 * real files' keys, real pids in shmid_ds and in semctl(GETPID) to scenario
 * pids.  Addresses are not touched: the host backend speaks the child's own
 * addresses (the comparer relates them to the simulator's).
 *
 * Time.  The simulator's clock moves only with sleep(); the kernel's always
 * moves.  A semtimedop timeout therefore runs on the host scaled down, at
 * ms_per_second real milliseconds per scenario second, and the coordinator
 * keeps the scenario clock (the sum of the sleeps).  A sleep that carries
 * the scenario clock past a sleeper's deadline waits, for real, until that
 * sleeper's scaled timeout has run out in the kernel, so the EAGAIN is the
 * kernel's own and arrives in the step where the simulator gives it.  A
 * sleep past no deadline costs nothing.  The scale keeps a scenario's
 * check short; its price is that steps must not take longer than the
 * scaled timeouts they do not sleep past (about 200 ms per second by
 * default, against steps of a few milliseconds).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

#include "host/host_coord.h"

#define NS_PER_S 1000000000LL
/* After a scaled timeout ran out, how long until its sleeper is surely
 * runnable again (hrtimer slack is far below this). */
#define TIMED_WAIT_MARGIN_MS 10

static void op_current(struct host_coord *c, const struct host_req *q, struct host_rep *rep)
{
	long r = q->op == HOST_OP_SHM_CURRENT ? host_child_shm_stat((int)q->num, &rep->r)
	                                      : host_child_sem_stat((int)q->num, &rep->r);

	if (q->num < 0 || r < 0) {
		rep->rc = -1;
		snprintf(rep->why, sizeof(rep->why), "no %s %lld",
		         q->op == HOST_OP_SHM_CURRENT ? "segment" : "set", q->num);
		return;
	}
	host_coord_map_result(c, &rep->r);
}

/* The scenario's timeout in nanoseconds (-1: invalid, the kernel's EINVAL). */
static long long timeout_ns(const struct host_req *q)
{
	if (q->ts_sec < 0 || q->ts_nsec < 0 || q->ts_nsec >= NS_PER_S)
		return -1;
	if (q->ts_sec > 1000000000LL)
		return 1000000000LL * NS_PER_S; /* far beyond any scenario */
	return q->ts_sec * NS_PER_S + q->ts_nsec;
}

static void op_semop(struct host_coord *c, struct host_cproc *p, const struct host_req *q,
                     const unsigned char *in, size_t inlen, struct host_rep *rep,
                     unsigned char **blob, size_t *bloblen)
{
	struct host_req real = *q;
	long long ns = q->has_timeout ? timeout_ns(q) : -1;

	if (ns > 0) {
		long long scaled = ns / 1000 * c->cfg.ms_per_second;

		scaled = scaled > 0 ? scaled : 1; /* still a timeout that can sleep */
		real.ts_sec = scaled / NS_PER_S;
		real.ts_nsec = scaled % NS_PER_S;
	}
	/* A zero timeout runs out at once: Linux still sleeps for its timer
	 * slack, which under load can outlast the grace period, but that is no
	 * sleep the simulator models (EAGAIN at once), so wait for the answer. */
	host_coord_run_in(c, p, &real, in, inlen, -1, ns != 0,
	                  q->semop_timed ? "semtimedop" : "semop", rep, blob, bloblen);
	if (rep->rc == 0 && rep->r.blocked && ns > 0) {
		/* Found asleep now, so the kernel's timer started before now: now +
		 * the timeout is never earlier than when it runs out. */
		p->timed_wait = 1;
		p->wait_sdeadline_ns = c->sclock_ns + ns;
		p->wait_rdeadline_ms = host_coord_now_ms() +
		                       (long)((real.ts_sec * NS_PER_S + real.ts_nsec + 999999) / 1000000);
	}
}

/* 1 while a timed sleeper whose scenario deadline has passed is still asleep
 * in the kernel: its timer is due, but a loaded machine may run it late. */
static int due_sleeper_left(struct host_coord *c)
{
	for (int i = 0; i < c->nprocs; i++) {
		struct host_cproc *s = &c->procs[i];
		struct pollfd pf = { s->fd, POLLIN, 0 };

		if (s->state == HC_BLOCKED && s->timed_wait &&
		    s->wait_sdeadline_ns <= c->sclock_ns && poll(&pf, 1, 0) == 0 &&
		    host_procfs_sleeps_in_ipc(s->rpid))
			return 1;
	}
	return 0;
}

/*
 * sleep(n): the scenario clock moves n seconds; every timed sleeper whose
 * deadline it passes must have timed out in the kernel before the step
 * ends (see the header comment).  With real_sleep the child itself sleeps
 * n seconds, and timeouts run unscaled.
 */
static void op_sleep(struct host_coord *c, struct host_cproc *p, const struct host_req *q,
                     struct host_rep *rep, unsigned char **blob, size_t *bloblen)
{
	long until = 0, now;

	c->sclock_ns += q->num > 0 ? q->num * NS_PER_S : 0;
	if (c->cfg.real_sleep) {
		host_coord_run_in(c, p, q, NULL, 0, -1, 0, "sleep", rep, blob, bloblen);
		return;
	}
	for (int i = 0; i < c->nprocs; i++) {
		struct host_cproc *s = &c->procs[i];

		if (s->state == HC_BLOCKED && s->timed_wait &&
		    s->wait_sdeadline_ns <= c->sclock_ns && s->wait_rdeadline_ms > until)
			until = s->wait_rdeadline_ms;
	}
	now = host_coord_now_ms();
	if (until > 0 && until + TIMED_WAIT_MARGIN_MS > now) {
		long ms = until + TIMED_WAIT_MARGIN_MS - now;

		if (ms > c->cfg.step_timeout_ms)
			ms = c->cfg.step_timeout_ms;
		ms = host_coord_wall_clamp(c, ms);
		usleep((useconds_t)ms * 1000);
	}
	/* Then every due timeout must have fired: wait for it (up to the
	 * step's timeout), so the wake-up belongs to this step on both sides. */
	until = host_coord_now_ms() + host_coord_wall_clamp(c, c->cfg.step_timeout_ms);
	while (due_sleeper_left(c) && host_coord_now_ms() < until)
		usleep(500);
	rep->r.ret = 0;
}

int host_coord_ipc_dispatch(struct host_coord *c, const struct host_req *q,
                            const unsigned char *in, size_t inlen, struct host_rep *rep,
                            unsigned char **blob, size_t *bloblen)
{
	struct host_req real = *q;
	struct host_cproc *p;

	switch (q->op) {
	case HOST_OP_SHM_CURRENT:
	case HOST_OP_SEM_CURRENT:
		op_current(c, q, rep);
		return 1;
	case HOST_OP_SHMGET: case HOST_OP_SHMAT: case HOST_OP_SHMDT: case HOST_OP_SHMCTL:
	case HOST_OP_SEMGET: case HOST_OP_SEMOP: case HOST_OP_SEMCTL:
	case HOST_OP_MEM_STORE: case HOST_OP_MEM_LOAD: case HOST_OP_MEM_WRITE:
	case HOST_OP_MEM_READ: case HOST_OP_SLEEP:
		break;
	default:
		return 0;
	}
	p = host_coord_caller(c, q->pid, rep);
	if (p == NULL)
		return 1;
	switch (q->op) {
	case HOST_OP_SHMGET:
	case HOST_OP_SEMGET:
		real.num = (int32_t)host_coord_key_to_real(c, (uint32_t)q->num);
		host_coord_run_in(c, p, &real, NULL, 0, -1, 0,
		                  q->op == HOST_OP_SHMGET ? "shmget" : "semget", rep, blob, bloblen);
		break;
	case HOST_OP_SEMOP:
		op_semop(c, p, q, in, inlen, rep, blob, bloblen);
		break;
	case HOST_OP_SEMCTL:
		host_coord_run_in(c, p, q, in, inlen, -1, 0, "semctl", rep, blob, bloblen);
		if (rep->rc == 0 && q->cmd == GETPID && rep->r.ret > 0)
			rep->r.ret = host_coord_ret_pid(c, rep->r.ret);
		break;
	case HOST_OP_SLEEP:
		op_sleep(c, p, q, rep, blob, bloblen);
		break;
	default: /* shmat, shmdt, shmctl, memory */
		host_coord_run_in(c, p, q, in, inlen, -1, 0, "ipc", rep, blob, bloblen);
		break;
	}
	host_coord_settle(c);
	return 1;
}
