/*
 * diff_pool.c - generated sequences checked by worker processes (see
 * diff_pool.h).
 */
#include "diff_pool.h"
#include "diff_check.h"

#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* One sequence's outcome, as a worker sends it (well below PIPE_BUF, so
 * records of two workers never interleave). */
struct seq_record {
	int n, outcome, steps, calls;
	long agreed;
	char why[240];
};

/* Generates sequence n and runs it through the comparer. */
static void check_one(struct diff_check *c, struct diff_seq *s,
                      const struct diff_random_spec *spec, uint64_t seed, int n,
                      struct seq_record *rec)
{
	char name[160];

	memset(rec, 0, sizeof(*rec));
	rec->n = n;
	if (spec->gen(seed, n, c->root_caps, s) != 0) {
		rec->outcome = DIFF_HOST_FAILED;
		snprintf(rec->why, sizeof(rec->why), "out of memory generating the sequence");
		return;
	}
	snprintf(name, sizeof(name), "random %s sequence %d (theme %s, seed %#llx; rerun: "
	         "IPCSIM_DIFF_ONLY=%d)", spec->what, n, spec->theme_name(n % spec->nthemes),
	         (unsigned long long)seed, n);
	if (c->trace != NULL)
		fprintf(c->trace, "%s:\n", name);
	rec->outcome = diff_check_run(c, s, name);
	rec->steps = s->nsteps;
	for (int i = 0; i < s->nsteps; i++)
		rec->calls += s->steps[i].op != DIFF_SPAWN; /* a new process is no call */
	rec->agreed = c->nagreed;
	snprintf(rec->why, sizeof(rec->why), "%.*s", (int)sizeof(rec->why) - 1, c->why);
}

static void add(struct diff_pool_totals *t, const struct seq_record *rec)
{
	t->sequences++;
	t->steps += rec->steps;
	t->calls += rec->calls;
	t->agreed += rec->agreed;
	if (rec->outcome == DIFF_DIVERGED) {
		t->diverged++;
		if (t->first_bad < 0 || rec->n < t->first_bad)
			t->first_bad = rec->n;
	} else if (rec->outcome == DIFF_HOST_FAILED && t->host_failed++ == 0) {
		snprintf(t->why, sizeof(t->why), "sequence %d: %s", rec->n, rec->why);
	}
}

/* Sequences first+w, first+w+step, ... up to last: each record to fd, or
 * added to t when fd < 0.  0, or -1 when out of memory or the pipe broke. */
static int run_share(const struct diff_random_spec *spec, uint64_t seed, int first, int last,
                     int step, FILE *trace, int fd, struct diff_pool_totals *t)
{
	struct diff_seq *s = malloc(sizeof(*s));
	struct diff_check c;
	struct seq_record rec;
	int rc = -1;

	if (s == NULL || diff_check_init(&c) != 0)
		goto out_free;
	c.trace = trace;
	c.all = trace != NULL; /* a sequence shown whole is compared whole */
	for (int n = first; n <= last; n += step) {
		check_one(&c, s, spec, seed, n, &rec);
		if (fd < 0)
			add(t, &rec);
		else if (write(fd, &rec, sizeof(rec)) != (ssize_t)sizeof(rec))
			goto out_fini;
	}
	rc = 0;
out_fini:
	diff_check_fini(&c);
out_free:
	free(s);
	return rc;
}

int diff_pool_share(const struct diff_random_spec *spec, uint64_t seed, int first, int last,
                    int step, int fd)
{
	return run_share(spec, seed, first, last, step, NULL, fd, NULL);
}

/* The worker program: DIFF_WORKER beside this test program. */
static int worker_path(char *path, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", path, len - 1);
	char *slash;

	if (n <= 0)
		return -1;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (slash == NULL || (size_t)(slash - path) + sizeof("/" DIFF_WORKER) > len)
		return -1;
	memcpy(slash + 1, DIFF_WORKER, sizeof(DIFF_WORKER));
	return 0;
}

/* In the forked child: becomes the worker for sequences first..last by
 * step, its records on fd.  Never returns. */
static void exec_worker(const char *path, const struct diff_random_spec *spec, uint64_t seed,
                        int first, int last, int step, int fd) __attribute__((noreturn));
static void exec_worker(const char *path, const struct diff_random_spec *spec, uint64_t seed,
                        int first, int last, int step, int fd)
{
	char a[5][32];

	snprintf(a[0], sizeof(a[0]), "%#llx", (unsigned long long)seed);
	snprintf(a[1], sizeof(a[1]), "%d", first);
	snprintf(a[2], sizeof(a[2]), "%d", last);
	snprintf(a[3], sizeof(a[3]), "%d", step);
	snprintf(a[4], sizeof(a[4]), "%d", fd);
	execl(path, DIFF_WORKER, spec->what, a[0], a[1], a[2], a[3], a[4], (char *)NULL);
	fprintf(stderr, "diff_pool: cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

int diff_pool_run(const struct diff_random_spec *spec, uint64_t seed, int first, int last,
                  int jobs, FILE *trace, struct diff_pool_totals *t)
{
	struct seq_record rec;
	pid_t pids[16], parent = getpid();
	int fds[2], started = 0, status;
	char path[4096];
	ssize_t got;

	memset(t, 0, sizeof(*t));
	t->first_bad = -1;
	if (jobs <= 1)
		return run_share(spec, seed, first, last, 1, trace, -1, t);
	if (jobs > (int)(sizeof(pids) / sizeof(pids[0])))
		jobs = (int)(sizeof(pids) / sizeof(pids[0]));
	if (worker_path(path, sizeof(path)) != 0 || pipe(fds) != 0)
		return -1;
	for (int w = 0; w < jobs && first + w <= last; w++) {
		pids[started] = fork();
		if (pids[started] == 0) {
			/* A test killed for its timeout takes its workers along (and
			 * they their namespaces): nothing runs on unwatched. */
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0L, 0L, 0L);
			if (getppid() != parent)
				_exit(1);
			close(fds[0]);
			exec_worker(path, spec, seed, first + w, last, jobs, fds[1]);
		}
		if (pids[started] > 0)
			started++;
	}
	close(fds[1]);
	while ((got = read(fds[0], &rec, sizeof(rec))) == (ssize_t)sizeof(rec) ||
	       (got < 0 && errno == EINTR))
		if (got > 0)
			add(t, &rec);
	close(fds[0]);
	for (int w = 0; w < started; w++)
		if (waitpid(pids[w], &status, 0) != pids[w] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			t->workers_lost++;
	return started > 0 ? 0 : -1;
}
