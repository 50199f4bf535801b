/*
 * harness.c - interleaved rounds, medians and callgrind counts for `make
 * bench` (see harness.h).
 *
 * The host side is one child, forked before any workload runs, that moves
 * into its own IPC namespace (unshare(CLONE_NEWIPC)), so nothing is ever
 * left in the machine's namespace; the parent asks it for one workload at a
 * time over a pipe and gets its seconds back.  A workload's rounds
 * alternate which side goes first.
 *
 * Seconds are CPU seconds of the process doing the work (the host's system
 * calls included): on a shared machine a round's wall time is mostly the
 * time it waited for a core, which moved a ratio threefold between runs.
 */
#include "harness.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 64

struct host_req {
	size_t suite, i;
	long pairs;
};

static struct {
	pid_t pid;
	int to, from;
} host = { -1, -1, -1 };

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void bench_die(const char *what, long r)
{
	fprintf(stderr, "bench: %s failed: %ld (%s)\n", what, r, strerror(r < 0 ? (int)-r : errno));
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void bench_stats(double *v, int n, double *median, double *min, double *max)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	*min = v[0];
	*max = v[n - 1];
	*median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void host_serve(const struct bench_suite *const *suites, size_t nsuites, int in, int out)
{
	struct host_req r;

	if (unshare(CLONE_NEWIPC) != 0) {
		fprintf(stderr, "bench: unshare(CLONE_NEWIPC): %s (needs root or CAP_SYS_ADMIN)\n",
		        strerror(errno));
		_exit(1);
	}
	while (read(in, &r, sizeof(r)) == (ssize_t)sizeof(r)) {
		double t = r.suite < nsuites && r.i < suites[r.suite]->n
		                   ? suites[r.suite]->run_host(r.i, r.pairs) : -1;

		if (write(out, &t, sizeof(t)) != (ssize_t)sizeof(t))
			_exit(1);
	}
	_exit(0);
}

int bench_host_start(const struct bench_suite *const *suites, size_t nsuites)
{
	int down[2], up[2];

	if (pipe(down) != 0 || pipe(up) != 0)
		return -1;
	fflush(NULL);
	host.pid = fork();
	if (host.pid < 0)
		return -1;
	if (host.pid == 0) {
		close(down[1]);
		close(up[0]);
		host_serve(suites, nsuites, down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	host.to = down[1];
	host.from = up[0];
	return 0;
}

void bench_host_stop(void)
{
	int status;

	if (host.pid <= 0)
		return;
	close(host.to);
	close(host.from);
	waitpid(host.pid, &status, 0);
	host.pid = -1;
}

static double host_run(size_t suite, size_t i, long pairs)
{
	struct host_req r = { suite, i, pairs };
	double t;

	if (write(host.to, &r, sizeof(r)) != (ssize_t)sizeof(r) ||
	    read(host.from, &t, sizeof(t)) != (ssize_t)sizeof(t))
		return -1;
	return t;
}

/* ---- callgrind ------------------------------------------------------------ */

static double callgrind_total(const char *self, size_t s, size_t i, long pairs, int floor)
{
	char cmd[1024], line[512];
	double ir = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
	         "valgrind --tool=callgrind --callgrind-out-file=/dev/null '%s' --count %zu %zu %ld %d "
	         "2>&1 >/dev/null", self, s, i, pairs, floor);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		const char *c = strstr(line, "Collected : ");

		if (c)
			ir = strtod(c + 12, NULL);
	}
	return pclose(p) == 0 ? ir : -1;
}

/* Instructions per pair: two runs, so set-up and prefill cancel out. */
double bench_callgrind(const char *self, size_t s, size_t i, long pairs, int floor)
{
	double a = callgrind_total(self, s, i, pairs, floor);
	double b = callgrind_total(self, s, i, 3 * pairs, floor);

	return a < 0 || b < 0 ? -1 : (b - a) / (2.0 * (double)pairs);
}

int bench_count_main(const struct bench_suite *const *suites, size_t nsuites, int argc,
                     char **argv)
{
	size_t s, i;
	long pairs;
	int floor;

	if (argc != 6)
		return 2;
	s = strtoul(argv[2], NULL, 10);
	i = strtoul(argv[3], NULL, 10);
	pairs = strtol(argv[4], NULL, 10);
	floor = atoi(argv[5]);
	if (s >= nsuites || i >= suites[s]->n || (floor && !suites[s]->run_floor))
		return 2;
	if (floor)
		suites[s]->run_floor(i, pairs);
	else
		suites[s]->run_sim(i, pairs);
	return 0;
}

/* ---- the table ------------------------------------------------------------ */

int bench_run_suite(const struct bench_opts *o, const struct bench_suite *const *suites,
                    size_t si)
{
	const struct bench_suite *su = suites[si];
	int rounds = o->rounds < 1 ? 1 : o->rounds > MAX_ROUNDS ? MAX_ROUNDS : o->rounds;

	printf("\n%s\n", su->title);
	printf("  %d rounds, host and simulator alternating; medians, [min-max] of the rounds\n",
	       rounds);
	printf("%-40s %8s %9s %9s %22s", "workload", "pairs", "sim ns", "host ns", "sim/host speed");
	if (su->run_floor)
		printf(" %20s", su->floor_name);
	if (o->callgrind)
		printf(" %10s%s", "sim Ir", su->run_floor ? "   floor Ir" : "");
	printf("\n");
	for (size_t i = 0; i < su->n; i++) {
		long pairs = (long)((double)su->pairs[i] * o->scale / rounds);
		double sim[MAX_ROUNDS], hst[MAX_ROUNDS], ratio[MAX_ROUNDS], flr[MAX_ROUNDS];
		double sm, hm, rm, rlo, rhi, lo, hi, fm = -1, flo = 0, fhi = 0;
		int have_floor = 0;
		char spread[64];

		if (pairs < 1)
			pairs = 1;
		for (int r = 0; r < rounds; r++) {
			double f = -1;

			if (r % 2 == 0) {
				hst[r] = host_run(si, i, pairs);
				sim[r] = su->run_sim(i, pairs);
			} else {
				sim[r] = su->run_sim(i, pairs);
				hst[r] = host_run(si, i, pairs);
			}
			if (hst[r] < 0) {
				fprintf(stderr, "bench: the host run of '%s' failed\n", su->names[i]);
				return -1;
			}
			if (su->run_floor)
				f = su->run_floor(i, pairs);
			if (f >= 0) {
				flr[r] = sim[r] / f;
				have_floor = 1;
			}
			ratio[r] = hst[r] / sim[r];
		}
		bench_stats(sim, rounds, &sm, &lo, &hi);
		bench_stats(hst, rounds, &hm, &lo, &hi);
		bench_stats(ratio, rounds, &rm, &rlo, &rhi);
		if (have_floor)
			bench_stats(flr, rounds, &fm, &flo, &fhi);
		snprintf(spread, sizeof(spread), "%.1fx [%.1f-%.1f]", rm, rlo, rhi);
		printf("%-40s %8ld %9.1f %9.1f %22s", su->names[i], pairs, sm * 1e9 / (double)pairs,
		       hm * 1e9 / (double)pairs, spread);
		if (su->run_floor) {
			if (have_floor)
				snprintf(spread, sizeof(spread), "%.2fx [%.2f-%.2f]", fm, flo, fhi);
			else
				snprintf(spread, sizeof(spread), "-");
			printf(" %20s", spread);
		}
		if (o->callgrind) {
			long n = pairs < 2000 ? pairs : 2000;
			double ir = bench_callgrind(o->self, si, i, n, 0);

			if (ir >= 0)
				printf(" %10.0f", ir);
			else
				printf(" %10s", "-");
			ir = have_floor ? bench_callgrind(o->self, si, i, n, 1) : -1;
			if (ir >= 0)
				printf(" %10.0f", ir);
			else if (su->run_floor)
				printf(" %10s", "-");
		}
		printf("\n");
		fflush(stdout);
	}
	return 0;
}
