/*
 * bench.c - `make bench`: the simulated kernel against the host kernel, as
 * ratios measured in the same run (harness.c: alternating rounds, medians
 * and spread, callgrind instruction counts).  Usage:
 *
 *   bench [SCALE] [--rounds N] [--no-callgrind] [--exec]
 *
 * SCALE multiplies every workload's pairs (0.1 for a quick look); --exec
 * runs only `ipcsim exec`'s rows (bench_exec.c).
 *
 * Message workloads (the queue is prefilled and 1,000 pairs are run
 * untimed, then each timed pair sends one message and receives one, so the
 * queue length stays constant):
 *   fifo           msgtyp 0 on an otherwise empty queue, 16 B / 1 KiB / 8 KiB;
 *                  1 KiB and 8 KiB are also held to one copy in and one copy
 *                  out of the same bytes (the floor: what Linux does)
 *   by-type        msgtyp > 0 over 100 queued messages of 100 types
 *   negative       msgtyp -50 over 100 queued messages of types 100..199:
 *                  Linux scans the whole list for the lowest type
 *   by-type-10k    msgtyp 1 while 10,000 messages of type 2 sit in front:
 *                  Linux walks all of them; the simulator's per-type index not
 *   fragmented     the same, with 8,000 one-unit holes in the data area in
 *                  front of the only hole that fits (a second queue's
 *                  messages, sent interleaved and then received): first fit
 *                  must not pay for every hole
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <unistd.h>

#include "bench_explore.h"
#include "bench_exec.h"
#include "bench_shm_sem.h"
#include "bench_step.h"
#include "harness.h"
#include "ipcsim/kernel.h"

enum pattern { FIFO, BY_TYPE, NEGATIVE, BY_TYPE_10K, FRAGMENTED };

struct workload {
	enum pattern pattern;
	size_t msgsz;
	int floor; /* held to one copy in + one copy out */
};

static const struct workload workloads[] = {
	{ FIFO, 16, 0 },
	{ FIFO, 1024, 1 },
	{ FIFO, 8192, 1 },
	{ BY_TYPE, 64, 0 },
	{ NEGATIVE, 64, 0 },
	{ BY_TYPE_10K, 16, 0 },
	{ FRAGMENTED, 64, 0 },
};
static const char *const names[] = {
	"fifo 16 B",
	"fifo 1 KiB",
	"fifo 8 KiB",
	"by-type, 100 types queued",
	"negative msgtyp, 100 types queued",
	"by-type behind 10,000 others",
	"by-type behind 10,000, 8,000 holes",
};
static const long pairs[] = { 2000000, 1000000, 400000, 1000000, 1000000, 100000, 100000 };
#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

/* One kernel's send and receive on queue 0 or 1, so a workload is written
 * once for both kernels. */
struct bench_ops {
	void *ctx;
	void (*snd)(void *ctx, int q, long mtype, size_t sz);
	void (*rcv)(void *ctx, int q, size_t sz, long msgtyp);
};

static void prefill(const struct workload *w, const struct bench_ops *o)
{
	if (w->pattern == BY_TYPE)
		for (long t = 1; t <= 100; t++)
			o->snd(o->ctx, 0, t, w->msgsz);
	if (w->pattern == NEGATIVE)
		for (long t = 100; t < 200; t++)
			o->snd(o->ctx, 0, t, w->msgsz);
	if (w->pattern == BY_TYPE_10K)
		for (long i = 0; i < 10000; i++)
			o->snd(o->ctx, 0, 2, 1);
	if (w->pattern == FRAGMENTED) {
		/* one-unit messages, alternately on queue 0 and queue 1; queue 1's
		 * leave 8,000 one-unit holes between queue 0's */
		for (long i = 0; i < 10000; i++) {
			o->snd(o->ctx, 0, 2, 1);
			if (i < 8000)
				o->snd(o->ctx, 1, 2, 1);
		}
		for (long i = 0; i < 8000; i++)
			o->rcv(o->ctx, 1, 1, 0);
	}
}

/* Pairs from..to-1 of workload w (the index picks the type). */
static void run_pairs(const struct workload *w, long from, long to, const struct bench_ops *o)
{
	for (long i = from; i < to; i++) {
		switch (w->pattern) {
		case FIFO:
			o->snd(o->ctx, 0, 1, w->msgsz);
			o->rcv(o->ctx, 0, w->msgsz, 0);
			break;
		case BY_TYPE:
			o->snd(o->ctx, 0, 1 + i % 100, w->msgsz);
			o->rcv(o->ctx, 0, w->msgsz, 1 + i % 100);
			break;
		case NEGATIVE:
			o->snd(o->ctx, 0, 1 + i % 50, w->msgsz);
			o->rcv(o->ctx, 0, w->msgsz, -50);
			break;
		case BY_TYPE_10K:
		case FRAGMENTED:
			o->snd(o->ctx, 0, 1, w->msgsz);
			o->rcv(o->ctx, 0, w->msgsz, 1);
			break;
		}
	}
}

/* Untimed pairs after the prefill, on both kernels, and untimed copies
 * before the floor's: the first pairs pay once for what the prefill left
 * cold.  Measured on the simulator: the first 1,000 pairs behind the
 * 10,000-message prefill took 47-191 ns a pair, the next ones 23-34 ns; a
 * round of 14,000 pairs counted that as half its time.  A round times the
 * steady state.  The same number every run, so callgrind's difference of
 * two runs still counts only the timed pairs. */
#define WARM_PAIRS 1000

/* Prefill, warm up, then time `n` send+receive pairs.  Returns seconds. */
static double run_workload(const struct workload *w, long n, const struct bench_ops *o)
{
	double t0;

	prefill(w, o);
	run_pairs(w, 0, WARM_PAIRS, o);
	t0 = bench_now();
	run_pairs(w, WARM_PAIRS, WARM_PAIRS + n, o);
	return bench_now() - t0;
}

/* ---- simulated kernel ------------------------------------------------------ */

struct sim_side {
	struct sim_kernel *k;
	int pid, q[2];
	unsigned char text[8192], rbuf[8192];
};

static void sim_snd(void *ctx, int q, long mtype, size_t sz)
{
	struct sim_side *s = ctx;
	struct sim_msgbuf m = { mtype, sz, s->text };
	long r = sim_msgsnd(s->k, s->pid, s->q[q], &m, sz, IPC_NOWAIT);

	if (r != 0)
		bench_die("sim_msgsnd", r);
}

static void sim_rcv(void *ctx, int q, size_t sz, long msgtyp)
{
	struct sim_side *s = ctx;
	struct sim_msgbuf out = { 0, 0, s->rbuf };
	long r = sim_msgrcv_into(s->k, s->pid, s->q[q], &out, sz, msgtyp, IPC_NOWAIT);

	if (r < 0)
		bench_die("sim_msgrcv_into", r);
}

static double msg_sim(size_t i, long n)
{
	static struct sim_side s;
	struct bench_ops o = { &s, sim_snd, sim_rcv };
	double t;

	s.k = sim_kernel_new();
	if (!s.k)
		bench_die("sim_kernel_new", -ENOMEM);
	s.pid = sim_proc_new(s.k, 0, 0, SIM_CAP_ALL);
	s.q[0] = (int)sim_msgget(s.k, s.pid, IPC_PRIVATE, 0600);
	s.q[1] = (int)sim_msgget(s.k, s.pid, IPC_PRIVATE, 0600);
	if (s.pid < 0 || s.q[0] < 0 || s.q[1] < 0)
		bench_die("sim setup", s.q[1]);
	t = run_workload(&workloads[i], n, &o);
	sim_kernel_free(&s.k);
	return t;
}

/* ---- host kernel ----------------------------------------------------------- */

struct host_side {
	int q[2];
	struct { long mtype; char text[8192]; } buf;
};

static void host_snd(void *ctx, int q, long mtype, size_t sz)
{
	struct host_side *h = ctx;

	h->buf.mtype = mtype;
	if (msgsnd(h->q[q], &h->buf, sz, IPC_NOWAIT) != 0)
		bench_die("msgsnd", -errno);
}

static void host_rcv(void *ctx, int q, size_t sz, long msgtyp)
{
	struct host_side *h = ctx;

	if (msgrcv(h->q[q], &h->buf, sz, msgtyp, IPC_NOWAIT) < 0)
		bench_die("msgrcv", -errno);
}

/* In the host child (its own IPC namespace). */
static double msg_host(size_t i, long n)
{
	static struct host_side h;
	struct bench_ops o = { &h, host_snd, host_rcv };
	double t;

	h.q[0] = msgget(IPC_PRIVATE, 0600);
	h.q[1] = msgget(IPC_PRIVATE, 0600);
	if (h.q[0] < 0 || h.q[1] < 0)
		bench_die("msgget", -errno);
	t = run_workload(&workloads[i], n, &o);
	msgctl(h.q[0], IPC_RMID, NULL);
	msgctl(h.q[1], IPC_RMID, NULL);
	return t;
}

/* ---- the floor: one copy in, one copy out ---------------------------------- */

/*
 * What a send and a receive cannot avoid: the text copied from the sender's
 * buffer into kernel memory and from there into the receiver's (Linux's
 * load_msg and store_msg).  The compiler must not fold the copies away.
 */
static double msg_floor(size_t i, long n)
{
	static unsigned char src[8192], area[8192], dst[8192];
	size_t sz = workloads[i].msgsz;
	double t0;

	if (!workloads[i].floor)
		return -1;
	t0 = 0;
	for (long j = -WARM_PAIRS; j < n; j++) { /* warmed up as the kernels are */
		if (j == 0)
			t0 = bench_now();
		memcpy(area, src, sz);
		__asm__ volatile("" : : "r"(area) : "memory");
		memcpy(dst, area, sz);
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	return bench_now() - t0;
}

static const struct bench_suite msg_suite = {
	.title = "ipcsim bench: msgsnd+msgrcv pairs, simulated kernel vs host kernel",
	.n = NWORKLOADS,
	.names = names,
	.pairs = pairs,
	.run_sim = msg_sim,
	.run_host = msg_host,
	.run_floor = msg_floor,
	.floor_name = "sim/(copy in+out)",
};

/* ---- main ------------------------------------------------------------------ */

static int usage(FILE *to, int status)
{
	fputs("usage: bench [SCALE] [--rounds N] [--no-callgrind] [--exec]\n"
	      "  SCALE (a number > 0) multiplies every workload's pairs; --exec runs only\n"
	      "  `ipcsim exec`'s rows\n", to);
	return status;
}

int main(int argc, char **argv)
{
	const struct bench_suite *const suites[] = { &msg_suite, &bench_shm_sem_suite };
	const size_t nsuites = sizeof(suites) / sizeof(suites[0]);
	struct bench_opts o = { .scale = 1.0, .rounds = 5, .callgrind = 1, .self = argv[0] };
	char self[4096];
	ssize_t len;
	char *end;
	int rc = bench_exec_program(argc, argv), exec_only = 0;

	if (rc >= 0)
		return rc; /* this run is the program bench_exec.c measures */
	rc = 0;
	if (argc > 1 && strcmp(argv[1], "--count") == 0)
		return bench_count_main(suites, nsuites, argc, argv);
	for (int a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--rounds") == 0 && a + 1 < argc)
			o.rounds = atoi(argv[++a]);
		else if (strcmp(argv[a], "--no-callgrind") == 0)
			o.callgrind = 0;
		else if (strcmp(argv[a], "--exec") == 0)
			exec_only = 1;
		else if (strcmp(argv[a], "--help") == 0)
			return usage(stdout, 0);
		else if ((o.scale = strtod(argv[a], &end)) <= 0 || *end != '\0')
			return usage(stderr, 2);
	}
	if (exec_only)
		return bench_exec_run(o.scale, o.rounds) == 0 ? 0 : 1;
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len > 0) {
		self[len] = '\0';
		o.self = self;
	}
	if (o.callgrind && system("valgrind --version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "bench: valgrind not found (make deps installs it): no instruction "
		        "counts\n");
		o.callgrind = 0;
	}
	if (bench_host_start(suites, nsuites) != 0) {
		fprintf(stderr, "bench: cannot start the host side\n");
		return 1;
	}
	for (size_t s = 0; s < nsuites && rc == 0; s++)
		rc = bench_run_suite(&o, suites, s);
	bench_host_stop();
	if (rc == 0)
		rc = bench_step_run(&o);
	if (rc == 0)
		rc = bench_exec_run(o.scale, o.rounds);
	if (rc == 0)
		rc = bench_explore_run();
	return rc == 0 ? 0 : 1;
}
