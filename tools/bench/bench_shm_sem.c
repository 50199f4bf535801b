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
 * The host side runs in a forked child in its own IPC namespace; its
 * timings come back over a pipe.
 */
#include "bench_shm_sem.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ipcsim/kernel.h"

enum kind { SHM_PAIR, SEM_PAIR };

struct ipc_workload {
	const char *name;
	enum kind kind;
	size_t pages;    /* SHM_PAIR: segment size */
	int held;        /* SHM_PAIR: other attachments kept mapped */
	int undo, nops;  /* SEM_PAIR */
	long pairs;      /* before scaling */
};

static const struct ipc_workload workloads[] = {
	{ "shmat+shmdt 1 page", SHM_PAIR, 1, 0, 0, 0, 200000 },
	{ "shmat+shmdt 64 pages", SHM_PAIR, 64, 0, 0, 0, 200000 },
	{ "shmat+shmdt, 64 others held", SHM_PAIR, 1, 64, 0, 0, 100000 },
	{ "semop P+V", SEM_PAIR, 0, 0, 0, 1, 500000 },
	{ "semop P+V SEM_UNDO", SEM_PAIR, 0, 0, 1, 1, 500000 },
	{ "semop P+V, 2 ops each", SEM_PAIR, 0, 0, 0, 2, 400000 },
};
#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, long r)
{
	fprintf(stderr, "bench: %s failed: %ld (%s)\n", what, r, strerror(r < 0 ? (int)-r : errno));
	exit(1);
}

static void fill_sops(struct sembuf *p, struct sembuf *v, const struct ipc_workload *w)
{
	for (int j = 0; j < w->nops; j++) {
		short flg = (short)(w->undo ? SEM_UNDO : 0);

		p[j] = (struct sembuf){ (unsigned short)j, -1, flg };
		v[j] = (struct sembuf){ (unsigned short)j, 1, flg };
	}
}

/* ---- simulated kernel ------------------------------------------------------ */

static double sim_time(const struct ipc_workload *w, long pairs)
{
	struct sim_kernel *k = sim_kernel_new();
	struct sembuf p[2], v[2];
	int pid, id;
	double t0, t;

	if (!k)
		die("sim_kernel_new", -ENOMEM);
	pid = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	if (w->kind == SHM_PAIR) {
		id = (int)sim_shmget(k, pid, IPC_PRIVATE, w->pages * SIM_PAGE_SIZE, 0600);
		for (int i = 0; i < w->held && id >= 0; i++)
			if (sim_shmat(k, pid, id, 0, 0) < 0)
				die("sim_shmat (held)", -1);
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
		die("sim setup", id);
	t0 = now_sec();
	for (long i = 0; i < pairs; i++) {
		long r;

		if (w->kind == SHM_PAIR) {
			r = sim_shmat(k, pid, id, 0, 0);
			if (r < 0 || sim_shmdt(k, pid, (unsigned long)r) != 0)
				die("sim_shmat/sim_shmdt", r);
		} else {
			r = sim_semop(k, pid, id, (const struct ipcsim_sembuf *)p, (size_t)w->nops);
			if (r == 0)
				r = sim_semop(k, pid, id, (const struct ipcsim_sembuf *)v,
				              (size_t)w->nops);
			if (r != 0)
				die("sim_semop", r);
		}
	}
	t = now_sec() - t0;
	sim_kernel_free(&k);
	return t;
}

/* ---- host kernel ----------------------------------------------------------- */

static double host_one(const struct ipc_workload *w, long pairs)
{
	struct sembuf p[2], v[2];
	double t0, t;
	int id;

	if (w->kind == SHM_PAIR) {
		id = shmget(IPC_PRIVATE, w->pages * 4096, 0600);
		for (int i = 0; i < w->held && id >= 0; i++)
			if (shmat(id, NULL, 0) == (void *)-1)
				die("shmat (held)", -errno);
	} else {
		id = semget(IPC_PRIVATE, w->nops, 0600);
		fill_sops(p, v, w);
		for (int j = 0; j < w->nops && id >= 0; j++)
			semctl(id, j, SETVAL, 1);
	}
	if (id < 0)
		die("host setup", -errno);
	t0 = now_sec();
	for (long i = 0; i < pairs; i++) {
		if (w->kind == SHM_PAIR) {
			void *a = shmat(id, NULL, 0);

			if (a == (void *)-1 || shmdt(a) != 0)
				die("shmat/shmdt", -errno);
		} else if (semop(id, p, (size_t)w->nops) != 0 || semop(id, v, (size_t)w->nops) != 0) {
			die("semop", -errno);
		}
	}
	t = now_sec() - t0;
	if (w->kind == SHM_PAIR)
		shmctl(id, IPC_RMID, NULL); /* destroyed when this child exits (held attachments) */
	else
		semctl(id, 0, IPC_RMID);
	return t;
}

static int host_times(double scale, double *secs)
{
	int fds[2], status;
	size_t got = 0, want = NWORKLOADS * sizeof(double);
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(fds[0]);
		if (unshare(CLONE_NEWIPC) != 0) {
			fprintf(stderr, "bench: unshare(CLONE_NEWIPC): %s (needs root or CAP_SYS_ADMIN)\n",
			        strerror(errno));
			_exit(1);
		}
		for (size_t i = 0; i < NWORKLOADS; i++) {
			double t = host_one(&workloads[i], (long)(workloads[i].pairs * scale));

			if (write(fds[1], &t, sizeof(t)) != (ssize_t)sizeof(t))
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	while (got < want) {
		ssize_t n = read(fds[0], (char *)secs + got, want - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	return got == want && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int bench_ipc_run(double scale)
{
	double host[NWORKLOADS];

	if (host_times(scale, host) != 0) {
		fprintf(stderr, "bench: the host run of the shm/sem workloads failed\n");
		return -1;
	}
	printf("\nipcsim bench: shm and sem pairs per second, simulated kernel vs host kernel\n");
	printf("%-36s %9s %14s %14s %9s\n", "workload", "pairs", "sim pairs/s", "host pairs/s",
	       "sim/host");
	for (size_t i = 0; i < NWORKLOADS; i++) {
		long pairs = (long)(workloads[i].pairs * scale);
		double sim = sim_time(&workloads[i], pairs);
		double sim_rate = pairs / sim, host_rate = pairs / host[i];

		printf("%-36s %9ld %14.0f %14.0f %9.2f\n", workloads[i].name, pairs, sim_rate,
		       host_rate, sim_rate / host_rate);
	}
	return 0;
}
