/*
 * compare_budget.c - the budget of `ipcsim check`: what one scenario may
 * make the host kernel hold, enforced on the simulator.
 *
 * The simulator runs each step first.  Before the host runs it, the
 * simulated kernel's totals after the step (its read-only views: live
 * processes, semaphores, segment sizes, queued messages and their bytes)
 * and the scenario's wall time are held against the budget
 * (ipcsim/sandbox.h; compare_options can lower it).  A step past it is
 * never run on the host: the host stops there, the report says
 * "STOPPED at line N" with what was over, and `check` exits 2.  The
 * simulator finishes the scenario alone, as after a divergence.  So a
 * hostile file cannot make the real kernel allocate more than the budget,
 * whatever the namespace's IPC limits say (they are not lowered: scenarios
 * can see them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compare/compare_int.h"
#include "ipcsim/kernel.h"

/* The wall-time budget for people: "120 s", "0.3 s". */
static void wall_text(long ms, char *out, size_t len)
{
	if (ms % 1000 == 0)
		snprintf(out, len, "%ld s", ms / 1000);
	else
		snprintf(out, len, "%.1f s", (double)ms / 1000.0);
}

long cmp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void cmp_budget_init(struct compare_backend *cb, const struct ipcsim_budget *b)
{
	struct ipcsim_budget *o = &cb->budget;

	memset(o, 0, sizeof(*o));
	if (b != NULL)
		*o = *b;
	o->procs = o->procs > 0 ? o->procs : IPCSIM_BUDGET_PROCS;
	o->sems = o->sems > 0 ? o->sems : IPCSIM_BUDGET_SEMS;
	o->shm_bytes = o->shm_bytes > 0 ? o->shm_bytes : IPCSIM_BUDGET_SHM_BYTES;
	o->msg_bytes = o->msg_bytes > 0 ? o->msg_bytes : IPCSIM_BUDGET_MSG_BYTES;
	o->msgs = o->msgs > 0 ? o->msgs : IPCSIM_BUDGET_MSGS;
	o->wall_ms = o->wall_ms > 0 ? o->wall_ms : IPCSIM_BUDGET_WALL_MS;
	cb->start_ms = cmp_now_ms();
}

static int count_live(void *ctx, const struct sim_proc_view *v)
{
	long *n = ctx;

	*n += v->pid != 0 && v->state != SIM_PROC_EXITED && v->state != SIM_PROC_KILLED;
	return 0;
}

/* What is over the budget now, into why; 0 when nothing is. */
static int over(struct compare_backend *cb, char *why, size_t len)
{
	const struct sim_kernel *k = backend_kernel(cb->sim);
	const struct ipcsim_budget *b = &cb->budget;
	unsigned long pages, rss;
	long procs = 0, sems, msgs, bytes;
	int n;

	if (cmp_now_ms() - cb->start_ms >= b->wall_ms) {
		char wall[32];

		wall_text(b->wall_ms, wall, sizeof(wall));
		snprintf(why, len, "the scenario has run on the host for its whole wall-time budget "
		         "of %s", wall);
		return 1;
	}
	if (k == NULL)
		return 0; /* a simulator without a kernel to read (tests' stand-ins) */
	sim_proc_foreach(k, count_live, &procs);
	if (procs > b->procs) {
		snprintf(why, len, "%ld live processes, over the budget of %ld", procs, b->procs);
		return 1;
	}
	sim_sem_totals(k, &n, &sems);
	if (sems > b->sems) {
		snprintf(why, len, "%ld semaphores, over the budget of %ld", sems, b->sems);
		return 1;
	}
	sim_shm_totals(k, &n, &pages, &rss);
	if (pages > b->shm_bytes / SIM_PAGE_SIZE) {
		snprintf(why, len, "%lu KiB of shared-memory segments, over the budget of %lu KiB",
		         pages * (SIM_PAGE_SIZE / 1024), b->shm_bytes >> 10);
		return 1;
	}
	sim_msg_totals(k, &n, &msgs, &bytes);
	if ((unsigned long)bytes > b->msg_bytes) {
		snprintf(why, len, "%ld bytes of queued message text, over the budget of %lu KiB",
		         bytes, b->msg_bytes >> 10);
		return 1;
	}
	if (msgs > b->msgs) {
		snprintf(why, len, "%ld queued messages, over the budget of %ld", msgs, b->msgs);
		return 1;
	}
	return 0;
}

/* The host stops at this step, which it does not run. */
static void stop(struct compare_backend *cb, const char *what)
{
	char msg[320];

	snprintf(msg, sizeof(msg), "over the budget: after this step the scenario would hold %s "
	         "(ipcsim/sandbox.h); the host did not run it", what);
	if (strncmp(what, "the scenario has run", 20) == 0)
		snprintf(msg, sizeof(msg), "over the budget: %s; the host was stopped here", what);
	free(cb->rep.stopped);
	cb->rep.stopped = strdup(msg);
	cb->rep.stopped_line = cb->line;
	cb->host_off = 1;
}

int cmp_budget_refuses(struct compare_backend *cb)
{
	char why[200];

	if (cb->host_off || !over(cb, why, sizeof(why)))
		return 0;
	stop(cb, why);
	return 1;
}

int cmp_budget_time_up(struct compare_backend *cb)
{
	char why[200], wall[32];

	if (cb->host_off || cmp_now_ms() - cb->start_ms < cb->budget.wall_ms)
		return 0;
	wall_text(cb->budget.wall_ms, wall, sizeof(wall));
	snprintf(why, sizeof(why), "the scenario has run on the host for its whole wall-time "
	         "budget of %s (this step's result is not compared)", wall);
	stop(cb, why);
	return 1;
}
