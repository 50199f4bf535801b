/*
 * bench_exec.c - `ipcsim exec` against the host kernel (see bench_exec.h).
 *
 * The measured program is this benchmark itself, run again with
 * --exec-pingpong or --exec-shm: once as `ipcsim exec --show=none -- bench
 * --exec-...` (its calls served by the simulated kernel through the preload
 * library) and once directly in a private IPC namespace.  Each run times
 * its own loop (startup excluded) and prints seconds per call; rounds
 * alternate between the two sides and the medians are compared.
 */

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_exec.h"
#include "harness.h"

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* n round trips: the parent sends type 1 and waits for type 2; the child
 * answers.  Both sleep in msgrcv each time.  4n calls. */
static int pingpong(long n)
{
	struct { long mtype; char text[16]; } m = { 1, "ping" };
	int q = msgget(IPC_PRIVATE, 0600);
	pid_t child;
	double t0;

	if (q < 0)
		return 1;
	child = fork();
	if (child == 0) {
		for (long i = 0; i < n; i++) {
			if (msgrcv(q, &m, sizeof(m.text), 1, 0) < 0)
				_exit(1);
			m.mtype = 2;
			msgsnd(q, &m, 5, 0);
		}
		_exit(0);
	}
	t0 = now_sec();
	for (long i = 0; i < n; i++) {
		m.mtype = 1;
		msgsnd(q, &m, 5, 0);
		if (msgrcv(q, &m, sizeof(m.text), 2, 0) < 0)
			return 1;
	}
	printf("%.9f\n", (now_sec() - t0) / (4.0 * (double)n));
	waitpid(child, NULL, 0);
	msgctl(q, IPC_RMID, NULL);
	return 0;
}

/* n shmat+shmdt pairs of one page: 2n calls. */
static int shm_pairs(long n)
{
	int id = shmget(IPC_PRIVATE, 4096, 0600);
	double t0;

	if (id < 0)
		return 1;
	t0 = now_sec();
	for (long i = 0; i < n; i++) {
		char *p = shmat(id, NULL, 0);

		if (p == (char *)-1)
			return 1;
		p[0] = (char)i;
		shmdt(p);
	}
	printf("%.9f\n", (now_sec() - t0) / (2.0 * (double)n));
	shmctl(id, IPC_RMID, NULL);
	return 0;
}

int bench_exec_program(int argc, char **argv)
{
	if (argc < 3)
		return -1;
	if (strcmp(argv[1], "--exec-pingpong") == 0)
		return pingpong(atol(argv[2]));
	if (strcmp(argv[1], "--exec-shm") == 0)
		return shm_pairs(atol(argv[2]));
	return -1;
}

/* One run: under exec (ipcsim != NULL) or on the host; seconds per call, or -1. */
static double one_run(const char *self, const char *ipcsim, const char *mode, long n)
{
	char count[32], line[64];
	int fds[2], status;
	double sec = -1;
	pid_t pid;
	FILE *f;

	snprintf(count, sizeof(count), "%ld", n);
	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		if (ipcsim) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0)
				dup2(null, 2); /* exec's report: the program prints the figure */
			execl(ipcsim, "ipcsim", "exec", "--show=none", "--", self, mode, count,
			      (char *)NULL);
		} else if (unshare(CLONE_NEWIPC) == 0) {
			execl(self, self, mode, count, (char *)NULL);
		}
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	if (f && fgets(line, sizeof(line), f))
		sec = atof(line);
	if (f)
		fclose(f);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? sec : -1;
}

int bench_exec_run(double scale, int rounds)
{
	static const struct { const char *name, *mode; long n; } rows[] = {
		{ "msg ping-pong, 2 processes", "--exec-pingpong", 20000 },
		{ "shmat+shmdt", "--exec-shm", 20000 },
	};
	char self[4096], ipcsim[4200], *slash;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	double ex[64], host[64], ratio[64];

	if (len <= 0)
		return -1;
	if (rounds < 1)
		rounds = 1;
	if (rounds > 64)
		rounds = 64;
	self[len] = '\0';
	snprintf(ipcsim, sizeof(ipcsim), "%s", self);
	slash = strrchr(ipcsim, '/');
	if (!slash)
		return -1;
	strcpy(slash + 1, "ipcsim");
	printf("\nipcsim exec: per-call cost of a program under exec vs on the host kernel "
	       "(median [min-max] of %d interleaved rounds)\n", rounds);
	printf("%-28s %7s %20s %20s %20s\n", "workload", "calls", "exec us/call", "host us/call",
	       "exec/host");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		long n = (long)((double)rows[i].n * scale);
		double m[3], lo[3], hi[3];
		char cell[3][32];

		if (n < 10)
			n = 10;
		for (int r = 0; r < rounds; r++) {
			host[r] = one_run(self, NULL, rows[i].mode, n);
			ex[r] = one_run(self, ipcsim, rows[i].mode, n);
			if (host[r] <= 0 || ex[r] <= 0) {
				fprintf(stderr, "bench: the %s run failed\n", host[r] <= 0 ? "host" : "exec");
				return -1;
			}
			ratio[r] = ex[r] / host[r]; /* a round's pair ran side by side */
		}
		bench_stats(ex, rounds, &m[0], &lo[0], &hi[0]);
		bench_stats(host, rounds, &m[1], &lo[1], &hi[1]);
		bench_stats(ratio, rounds, &m[2], &lo[2], &hi[2]);
		for (int k = 0; k < 3; k++) {
			double f = k < 2 ? 1e6 : 1;

			snprintf(cell[k], sizeof(cell[k]), "%.2f [%.1f-%.1f]", m[k] * f, lo[k] * f,
			         hi[k] * f);
		}
		printf("%-28s %7ld %20s %20s %20s\n", rows[i].name,
		       n * (rows[i].mode[7] == 'p' ? 4 : 2), cell[0], cell[1], cell[2]);
	}
	return 0;
}
