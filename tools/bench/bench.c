/*
 * bench.c - the simulated kernel against the host kernel: N msgsnd+msgrcv
 * pairs per workload, timed with CLOCK_MONOTONIC on both in the same run.
 *
 * The host side runs in a forked child inside its own IPC namespace
 * (unshare(CLONE_NEWIPC)), so nothing is left in the machine's namespace;
 * its timings come back over a pipe.  Usage: bench [SCALE] (SCALE multiplies
 * every N; 0.1 for a quick look).
 *
 * Workloads (the queue is prefilled, then each pair sends one message and
 * receives one, so the queue length stays constant):
 *   fifo           msgtyp 0 on an otherwise empty queue, 16 B / 1 KiB / 8 KiB
 *   by-type        msgtyp > 0 over 100 queued messages of 100 types
 *   negative       msgtyp -50 over 100 queued messages of types 100..199:
 *                  Linux scans the whole list for the lowest type
 *   by-type-10k    msgtyp 1 while 10,000 messages of type 2 sit in front:
 *                  Linux walks all of them; the simulator's per-type index not
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_exec.h"
#include "bench_shm_sem.h"
#include "ipcsim/kernel.h"

enum pattern { FIFO, BY_TYPE, NEGATIVE, BY_TYPE_10K };

struct workload {
	const char *name;
	enum pattern pattern;
	size_t msgsz;
	long pairs; /* before scaling */
};

static const struct workload workloads[] = {
	{ "fifo 16 B", FIFO, 16, 400000 },
	{ "fifo 1 KiB", FIFO, 1024, 300000 },
	{ "fifo 8 KiB", FIFO, 8192, 100000 },
	{ "by-type, 100 types queued", BY_TYPE, 64, 200000 },
	{ "negative msgtyp, 100 types queued", NEGATIVE, 64, 200000 },
	{ "by-type behind 10,000 others", BY_TYPE_10K, 16, 20000 },
};
#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

/* One kernel's send and receive, so a workload is written once for both. */
struct bench_ops {
	void *ctx;
	void (*snd)(void *ctx, long mtype, size_t sz);
	void (*rcv)(void *ctx, size_t sz, long msgtyp);
};

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

/* Prefill, then time `pairs` send+receive pairs.  Returns seconds. */
static double run_workload(const struct workload *w, long pairs, const struct bench_ops *o)
{
	double t0;

	if (w->pattern == BY_TYPE)
		for (long t = 1; t <= 100; t++)
			o->snd(o->ctx, t, w->msgsz);
	if (w->pattern == NEGATIVE)
		for (long t = 100; t < 200; t++)
			o->snd(o->ctx, t, w->msgsz);
	if (w->pattern == BY_TYPE_10K)
		for (long i = 0; i < 10000; i++)
			o->snd(o->ctx, 2, 1);
	t0 = now_sec();
	for (long i = 0; i < pairs; i++) {
		switch (w->pattern) {
		case FIFO:
			o->snd(o->ctx, 1, w->msgsz);
			o->rcv(o->ctx, w->msgsz, 0);
			break;
		case BY_TYPE:
			o->snd(o->ctx, 1 + i % 100, w->msgsz);
			o->rcv(o->ctx, w->msgsz, 1 + i % 100);
			break;
		case NEGATIVE:
			o->snd(o->ctx, 1 + i % 50, w->msgsz);
			o->rcv(o->ctx, w->msgsz, -50);
			break;
		case BY_TYPE_10K:
			o->snd(o->ctx, 1, w->msgsz);
			o->rcv(o->ctx, w->msgsz, 1);
			break;
		}
	}
	return now_sec() - t0;
}

/* ---- simulated kernel ------------------------------------------------------ */

struct sim_side {
	struct sim_kernel *k;
	int pid, q;
	unsigned char text[8192];
};

static void sim_snd(void *ctx, long mtype, size_t sz)
{
	struct sim_side *s = ctx;
	struct sim_msgbuf m = { mtype, sz, s->text };
	long r = sim_msgsnd(s->k, s->pid, s->q, &m, sz, IPC_NOWAIT);

	if (r != 0)
		die("sim_msgsnd", r);
}

static void sim_rcv(void *ctx, size_t sz, long msgtyp)
{
	struct sim_side *s = ctx;
	struct sim_msgbuf out = { 0, 0, NULL };
	long r = sim_msgrcv(s->k, s->pid, s->q, &out, sz, msgtyp, IPC_NOWAIT);

	if (r < 0)
		die("sim_msgrcv", r);
	sim_msgbuf_release(&out);
}

static double sim_time(const struct workload *w, long pairs)
{
	static struct sim_side s;
	struct bench_ops o = { &s, sim_snd, sim_rcv };
	double t;

	s.k = sim_kernel_new();
	if (!s.k)
		die("sim_kernel_new", -ENOMEM);
	s.pid = sim_proc_new(s.k, 0, 0, SIM_CAP_ALL);
	s.q = (int)sim_msgget(s.k, s.pid, IPC_PRIVATE, 0600);
	if (s.pid < 0 || s.q < 0)
		die("sim setup", s.q);
	t = run_workload(w, pairs, &o);
	sim_kernel_free(&s.k);
	return t;
}

/* ---- host kernel ----------------------------------------------------------- */

struct host_side {
	int q;
	struct { long mtype; char text[8192]; } buf;
};

static void host_snd(void *ctx, long mtype, size_t sz)
{
	struct host_side *h = ctx;

	h->buf.mtype = mtype;
	if (msgsnd(h->q, &h->buf, sz, IPC_NOWAIT) != 0)
		die("msgsnd", -errno);
}

static void host_rcv(void *ctx, size_t sz, long msgtyp)
{
	struct host_side *h = ctx;

	if (msgrcv(h->q, &h->buf, sz, msgtyp, IPC_NOWAIT) < 0)
		die("msgrcv", -errno);
}

/* In a child with its own IPC namespace: every workload's seconds down fd. */
static void host_child(int fd, double scale)
{
	static struct host_side h;
	struct bench_ops o = { &h, host_snd, host_rcv };

	if (unshare(CLONE_NEWIPC) != 0) {
		fprintf(stderr, "bench: unshare(CLONE_NEWIPC): %s (needs root or CAP_SYS_ADMIN)\n",
		        strerror(errno));
		_exit(1);
	}
	for (size_t i = 0; i < NWORKLOADS; i++) {
		double t;

		h.q = msgget(IPC_PRIVATE, 0600);
		if (h.q < 0)
			die("msgget", -errno);
		t = run_workload(&workloads[i], (long)(workloads[i].pairs * scale), &o);
		msgctl(h.q, IPC_RMID, NULL);
		if (write(fd, &t, sizeof(t)) != (ssize_t)sizeof(t))
			_exit(1);
	}
	_exit(0);
}

static int host_times(double scale, double *secs)
{
	int fds[2], status;
	size_t got = 0;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(fds[0]);
		host_child(fds[1], scale);
	}
	close(fds[1]);
	while (got < NWORKLOADS * sizeof(double)) {
		ssize_t n = read(fds[0], (char *)secs + got, NWORKLOADS * sizeof(double) - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	return got == NWORKLOADS * sizeof(double) && WIFEXITED(status) && WEXITSTATUS(status) == 0
	               ? 0 : -1;
}

int main(int argc, char **argv)
{
	double scale = argc > 1 ? atof(argv[1]) : 1.0, host[NWORKLOADS];
	int rc = bench_exec_program(argc, argv);

	if (rc >= 0)
		return rc; /* this run is the program bench_exec.c measures */
	if (scale <= 0)
		scale = 1.0;
	if (host_times(scale, host) != 0) {
		fprintf(stderr, "bench: the host run failed\n");
		return 1;
	}
	printf("ipcsim bench: msgsnd+msgrcv pairs per second, simulated kernel vs host kernel\n");
	printf("%-36s %9s %14s %14s %9s\n", "workload", "pairs", "sim pairs/s", "host pairs/s",
	       "sim/host");
	for (size_t i = 0; i < NWORKLOADS; i++) {
		long pairs = (long)(workloads[i].pairs * scale);
		double sim = sim_time(&workloads[i], pairs);
		double sim_rate = pairs / sim, host_rate = pairs / host[i];

		printf("%-36s %9ld %14.0f %14.0f %9.2f\n", workloads[i].name, pairs, sim_rate,
		       host_rate, sim_rate / host_rate);
	}
	return bench_ipc_run(scale) == 0 && bench_exec_run(scale) == 0 ? 0 : 1;
}
