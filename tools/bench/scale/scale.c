/*
 * scale.c - `ipcsim` as a whole command: a million-line run, a long JSON
 * trace, and start-up against /bin/true.  `make bench` runs it after the
 * kernel benchmark (build/bench).
 *
 * Each row runs its commands as child processes in interleaved rounds (the
 * command, then its baseline, then the command again...), so load on a
 * shared machine drifts into both alike; it prints the median of the
 * rounds with their spread (min-max) and the ratio of the medians.
 * Wall time is CLOCK_MONOTONIC around fork+exec+wait; peak memory is the
 * child's ru_maxrss.
 *
 *   run, 1,000,000 lines   `ipcsim run` of msgget then alternating msgsnd and
 *                          msgrcv lines: steps per second and peak memory
 *                          (goals: >= 2,000,000 steps/s, < 20 MB); baseline:
 *                          IPCSIM_BASELINE (another ipcsim, e.g. an older
 *                          build) when set
 *   trace --json, 200,000  `ipcsim trace FILE --json OUT`: time and bytes;
 *                          baseline: `ipcsim run` of the same file; and, when
 *                          IPCSIM_BASELINE is set, that ipcsim's trace of
 *                          the same file (e.g. a build writing version 1):
 *                          how many times faster and smaller (goals: >= 8x,
 *                          >= 5x)
 *   start-up               `ipcsim run` of the lecture scenario; baseline
 *                          /bin/true: milliseconds above it (goal <= 0.5 ms)
 *                          and the ratio (goal <= 1.1)
 *
 * Usage: bench-scale IPCSIM [LECTURE] [SCALE]  (SCALE multiplies the line
 * counts: 0.1 for a quick look).  Files go to $TMPDIR (else /tmp).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 64

struct sample {
	double sec;
	long maxrss_kb;
};

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv with stdout and stderr to /dev/null: its wall time and peak
 * memory, or -1 when it could not run or did not exit 0 or 1. */
static int run_child(char *const argv[], struct sample *s)
{
	struct rusage ru;
	double t0 = now_sec();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	s->sec = now_sec() - t0;
	s->maxrss_kb = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
		fprintf(stderr, "bench-scale: %s exited %d\n", argv[0],
		        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return -1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stat3 {
	double median, min, max;
};

static struct stat3 stats_of(const double *v, int n)
{
	double sorted[MAX_ROUNDS];
	struct stat3 st;

	memcpy(sorted, v, (size_t)n * sizeof(*v));
	qsort(sorted, (size_t)n, sizeof(*sorted), cmp_double);
	st.median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	st.min = sorted[0];
	st.max = sorted[n - 1];
	return st;
}

/* rounds x (a, then b when b is given): seconds and peak KiB of each. */
static int interleave(char *const a[], char *const b[], int rounds, double *a_sec,
                      double *a_kb, double *b_sec, double *b_kb)
{
	for (int r = 0; r < rounds; r++) {
		struct sample s;

		if (run_child(a, &s) < 0)
			return -1;
		a_sec[r] = s.sec;
		a_kb[r] = (double)s.maxrss_kb;
		if (b == NULL)
			continue;
		if (run_child(b, &s) < 0)
			return -1;
		b_sec[r] = s.sec;
		b_kb[r] = (double)s.maxrss_kb;
	}
	return 0;
}

/* The scenario: msgget, then pairs of msgsnd and msgrcv lines, about
 * `lines` in all: how many it wrote, or -1. */
static long write_scenario(const char *path, long lines)
{
	FILE *f = fopen(path, "w");
	long n = 1;

	if (f == NULL)
		return -1;
	fputs("P1: q = msgget(IPC_PRIVATE, 0600) = 0\n", f);
	for (; n + 2 <= lines; n += 2)
		fputs("P1: msgsnd(q, {1, \"hello\"}, 6, 0) = 0\n"
		      "P2: msgrcv(q, &m, 64, 0, 0) = 6 {1, \"hello\"}\n", f);
	return fclose(f) == 0 ? n : -1;
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

int main(int argc, char **argv)
{
	const char *ipcsim = argc > 1 ? argv[1] : "build/ipcsim";
	char *lecture = argc > 2 ? argv[2] : "scenarios/msgrcv_table.scn";
	double scale = argc > 3 ? atof(argv[3]) : 1.0;
	const char *baseline = getenv("IPCSIM_BASELINE");
	const char *dir = getenv("TMPDIR") != NULL && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char big[4096], mid[4096], out[4096], out_base[4096];
	long big_lines, mid_lines;
	double as[MAX_ROUNDS], ak[MAX_ROUNDS], bs[MAX_ROUNDS], bk[MAX_ROUNDS];
	struct stat3 t, tb, m, mb;
	int rc = 1, rounds;

	setvbuf(stdout, NULL, _IOLBF, 0); /* each row as soon as it is measured */
	if (scale <= 0) {
		fprintf(stderr, "usage: bench-scale IPCSIM [LECTURE] [SCALE]\n");
		return 2;
	}
	snprintf(big, sizeof(big), "%s/ipcsim-bench-%ld.scn", dir, (long)getpid());
	snprintf(mid, sizeof(mid), "%s/ipcsim-bench-%ld-mid.scn", dir, (long)getpid());
	snprintf(out, sizeof(out), "%s/ipcsim-bench-%ld.jsonl", dir, (long)getpid());
	snprintf(out_base, sizeof(out_base), "%s/ipcsim-bench-%ld-base.jsonl", dir, (long)getpid());
	big_lines = write_scenario(big, (long)(1000000 * scale));
	mid_lines = write_scenario(mid, (long)(200000 * scale));
	if (big_lines < 0 || mid_lines < 0) {
		fprintf(stderr, "bench-scale: cannot write %s: %s\n", big, strerror(errno));
		goto out;
	}
	printf("ipcsim bench-scale: whole commands, interleaved rounds, median (min-max)\n");

	{ /* run, 1,000,000 lines */
		char *a[] = { (char *)ipcsim, "run", big, NULL };
		char *b[] = { (char *)baseline, "run", big, NULL };

		rounds = 3;
		if (interleave(a, baseline ? b : NULL, rounds, as, ak, bs, bk) < 0)
			goto out;
		t = stats_of(as, rounds);
		m = stats_of(ak, rounds);
		printf("run, %ld lines: %.0f steps/s (%.0f-%.0f), peak %.1f MB (%.1f-%.1f); "
		       "goals >= 2000000 steps/s, < 20 MB\n", big_lines, big_lines / t.median,
		       big_lines / t.max, big_lines / t.min, m.median / 1024, m.min / 1024,
		       m.max / 1024);
		if (baseline != NULL) {
			tb = stats_of(bs, rounds);
			mb = stats_of(bk, rounds);
			printf("  baseline %s: %.0f steps/s (%.0f-%.0f), peak %.1f MB; "
			       "speed x%.2f, memory x%.3f\n", baseline, big_lines / tb.median,
			       big_lines / tb.max, big_lines / tb.min, mb.median / 1024,
			       tb.median / t.median, m.median / mb.median);
		}
	}
	{ /* trace --json, 200,000 steps, against run of the same file */
		char *a[] = { (char *)ipcsim, "trace", mid, "--json", out, NULL };
		char *b[] = { (char *)ipcsim, "run", mid, NULL };
		long bytes;

		rounds = 3;
		if (interleave(a, b, rounds, as, ak, bs, bk) < 0)
			goto out;
		bytes = file_size(out);
		t = stats_of(as, rounds);
		tb = stats_of(bs, rounds);
		m = stats_of(ak, rounds);
		printf("trace --json, %ld steps: %.2f s (%.2f-%.2f), %.1f MB written (%.0f B/step), "
		       "peak %.1f MB; run of the same file %.2f s (%.2f-%.2f): trace/run x%.2f\n",
		       mid_lines, t.median, t.min, t.max, bytes / 1e6, (double)bytes / mid_lines,
		       m.median / 1024, tb.median, tb.min, tb.max, t.median / tb.median);
	}
	if (baseline != NULL) { /* trace --json against the baseline's trace */
		char *a[] = { (char *)ipcsim, "trace", mid, "--json", out, NULL };
		char *b[] = { (char *)baseline, "trace", mid, "--json", out_base, NULL };
		long bytes, base_bytes;

		rounds = 3;
		if (interleave(a, b, rounds, as, ak, bs, bk) < 0)
			goto out;
		bytes = file_size(out);
		base_bytes = file_size(out_base);
		t = stats_of(as, rounds);
		tb = stats_of(bs, rounds);
		m = stats_of(ak, rounds);
		mb = stats_of(bk, rounds);
		printf("trace --json, %ld steps: %.2f s (%.2f-%.2f), %.0f B/step, peak %.1f MB; "
		       "baseline %s: %.2f s (%.2f-%.2f), %.0f B/step, peak %.1f MB: "
		       "x%.2f faster, x%.2f smaller; goals >= x8, >= x5\n",
		       mid_lines, t.median, t.min, t.max, (double)bytes / mid_lines, m.median / 1024,
		       baseline, tb.median, tb.min, tb.max, (double)base_bytes / mid_lines,
		       mb.median / 1024, tb.median / t.median, (double)base_bytes / (double)bytes);
	}
	{ /* start-up against /bin/true */
		char *a[] = { (char *)ipcsim, "run", lecture, NULL };
		char *b[] = { "/bin/true", "run", lecture, NULL };

		rounds = 41;
		if (interleave(a, b, rounds, as, ak, bs, bk) < 0)
			goto out;
		t = stats_of(as, rounds);
		tb = stats_of(bs, rounds);
		printf("start-up, run %s: %.2f ms (%.2f-%.2f); /bin/true %.2f ms (%.2f-%.2f): "
		       "+%.2f ms, x%.2f; goals <= +0.5 ms, <= x1.1\n", lecture, t.median * 1e3,
		       t.min * 1e3, t.max * 1e3, tb.median * 1e3, tb.min * 1e3, tb.max * 1e3,
		       (t.median - tb.median) * 1e3, t.median / tb.median);
	}
	rc = 0;
out:
	unlink(big);
	unlink(mid);
	unlink(out);
	unlink(out_base);
	return rc;
}
