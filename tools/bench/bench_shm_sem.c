/*
 * bench_shm_sem.c - shmat+shmdt and semop P+V pairs, simulated vs host kernel
 * (see bench_shm_sem.h).
 *
 * Workloads:
 *   shmat+shmdt 1 page        attach at NULL and detach, nothing else mapped
 *   shmat+shmdt 64 pages      the same with a 256 KiB segment
 *   shmat+shmdt, 64 held      64 other attachments stay mapped: Linux finds
 *                             a gap in its VMA tree, the simulator walks a list
 *   semop P+V                 {0,-1} then {0,+1} on a 1-semaphore set
 *   semop P+V SEM_UNDO        the same with SEM_UNDO (semadj bookkeeping)
 *   semop P+V, 2 ops          {0,-1},{1,-1} then {0,+1},{1,+1}
 * The host side runs in the harness's child in its own IPC namespace
 * (harness.c), in rounds alternating with the simulator's.
 */
#include "bench_shm_sem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "ipcsim/kernel.h"

enum kind { SHM_PAIR, SEM_PAIR };

struct ipc_workload {
	enum kind kind;
	size_t pages;    /* SHM_PAIR: segment size */
	int held;        /* SHM_PAIR: other attachments kept mapped */
	int undo, nops;  /* SEM_PAIR */
};

static const struct ipc_workload workloads[] = {
	{ SHM_PAIR, 1, 0, 0, 0 },
	{ SHM_PAIR, 64, 0, 0, 0 },
	{ SHM_PAIR, 1, 64, 0, 0 },
	{ SEM_PAIR, 0, 0, 0, 1 },
	{ SEM_PAIR, 0, 0, 1, 1 },
	{ SEM_PAIR, 0, 0, 0, 2 },
};
#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

static void fill_sops(struct sembuf *p, struct sembuf *v, const struct ipc_workload *w)
{
	for (int j = 0; j < w->nops; j++) {
		short flg = (short)(w->undo ? SEM_UNDO : 0);

		p[j] = (struct sembuf){ (unsigned short)j, -1, flg };
		v[j] = (struct sembuf){ (unsigned short)j, 1, flg };
	}
}

/* ---- simulated kernel ------------------------------------------------------ */

static double sim_time(size_t wi, long pairs)
{
	const struct ipc_workload *w = &workloads[wi];
	struct sim_kernel *k = sim_kernel_new();
	struct sembuf p[2], v[2];
	int pid, id;
	double t0, t;

	if (!k)
		bench_die("sim_kernel_new", -ENOMEM);
	pid = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	if (w->kind == SHM_PAIR) {
		id = (int)sim_shmget(k, pid, IPC_PRIVATE, w->pages * SIM_PAGE_SIZE, 0600);
		for (int i = 0; i < w->held && id >= 0; i++)
			if (sim_shmat(k, pid, id, 0, 0) < 0)
				bench_die("sim_shmat (held)", -1);
	} else {
		id = (int)sim_semget(k, pid, IPC_PRIVATE, w->nops, 0600);
		fill_sops(p, v, w);
		if (id >= 0)
			for (int j = 0; j < w->nops; j++) {
				struct sim_semctl_arg arg = { .val = 1 };

				sim_semctl(k, pid, id, j, SETVAL, &arg);
			}
	}
	if (pid < 0 || id < 0)
		bench_die("sim setup", id);
	t0 = bench_now();
	for (long i = 0; i < pairs; i++) {
		long r;

		if (w->kind == SHM_PAIR) {
			r = sim_shmat(k, pid, id, 0, 0);
			if (r < 0 || sim_shmdt(k, pid, (unsigned long)r) != 0)
				bench_die("sim_shmat/sim_shmdt", r);
		} else {
			r = sim_semop(k, pid, id, (const struct ipcsim_sembuf *)p, (size_t)w->nops);
			if (r == 0)
				r = sim_semop(k, pid, id, (const struct ipcsim_sembuf *)v,
				              (size_t)w->nops);
			if (r != 0)
				bench_die("sim_semop", r);
		}
	}
	t = bench_now() - t0;
	sim_kernel_free(&k);
	return t;
}

/* ---- host kernel ----------------------------------------------------------- */

/* In the host child (its own IPC namespace). */
static double host_one(size_t wi, long pairs)
{
	const struct ipc_workload *w = &workloads[wi];
	struct sembuf p[2], v[2];
	double t0, t;
	int id;

	if (w->kind == SHM_PAIR) {
		id = shmget(IPC_PRIVATE, w->pages * 4096, 0600);
		for (int i = 0; i < w->held && id >= 0; i++)
			if (shmat(id, NULL, 0) == (void *)-1)
				bench_die("shmat (held)", -errno);
	} else {
		id = semget(IPC_PRIVATE, w->nops, 0600);
		fill_sops(p, v, w);
		for (int j = 0; j < w->nops && id >= 0; j++)
			semctl(id, j, SETVAL, 1);
	}
	if (id < 0)
		bench_die("host setup", -errno);
	t0 = bench_now();
	for (long i = 0; i < pairs; i++) {
		if (w->kind == SHM_PAIR) {
			void *a = shmat(id, NULL, 0);

			if (a == (void *)-1 || shmdt(a) != 0)
				bench_die("shmat/shmdt", -errno);
		} else if (semop(id, p, (size_t)w->nops) != 0 || semop(id, v, (size_t)w->nops) != 0) {
			bench_die("semop", -errno);
		}
	}
	t = bench_now() - t0;
	if (w->kind == SHM_PAIR)
		shmctl(id, IPC_RMID, NULL); /* destroyed when this child exits (held attachments) */
	else
		semctl(id, 0, IPC_RMID);
	return t;
}

static const char *const names[] = {
	"shmat+shmdt 1 page",
	"shmat+shmdt 64 pages",
	"shmat+shmdt, 64 others held",
	"semop P+V",
	"semop P+V SEM_UNDO",
	"semop P+V, 2 ops each",
};
static const long pairs[] = { 200000, 200000, 100000, 500000, 500000, 400000 };

const struct bench_suite bench_shm_sem_suite = {
	.title = "ipcsim bench: shm and sem pairs, simulated kernel vs host kernel",
	.n = NWORKLOADS,
	.names = names,
	.pairs = pairs,
	.run_sim = sim_time,
	.run_host = host_one,
};
