/*
 * test_budget.c - the budget of `ipcsim check` (ipcsim/sandbox.h,
 * sim/compare/compare_budget.c): a step that would take the simulator's
 * state past it is refused before the host runs it.
 *
 * The host backend is wrapped by a spy that counts the calls reaching it,
 * so "refused before the host runs it" is what is checked: the host gets
 * every step before the refused one and not that one.  Budgets are lowered
 * through compare_options where the default would cost the host real
 * memory; the shared-memory test uses the default, which costs nothing
 * (the refused segment is never made).  Needs the host backend (root or a
 * user namespace).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipcsim/compare.h"
#include "ipcsim/host.h"
#include "ipcsim/script.h"
#include "../lib/check_fixture.h"

/* ---- the spy --------------------------------------------------------------- */

/* Each test makes one spy; its counts start at 0 (a test is a process). */
static struct backend_ops spy_ops;
static const struct backend_ops *host_ops;
static int n_proc_new, n_semget, n_shmget, n_msgsnd;

static int spy_proc_new(void *ctx, const struct backend_creds *c, int *pid)
{
	n_proc_new++;
	return host_ops->proc_new(ctx, c, pid);
}

static int spy_semget(void *ctx, int pid, long key, int nsems, int flags,
                      struct backend_result *r)
{
	n_semget++;
	return host_ops->semget(ctx, pid, key, nsems, flags, r);
}

static int spy_shmget(void *ctx, int pid, long key, size_t size, int flags,
                      struct backend_result *r)
{
	n_shmget++;
	return host_ops->shmget(ctx, pid, key, size, flags, r);
}

static int spy_msgsnd(void *ctx, int pid, int id, const struct backend_msg *m, size_t size,
                      int flags, struct backend_result *r)
{
	n_msgsnd++;
	return host_ops->msgsnd(ctx, pid, id, m, size, flags, r);
}

static struct backend *spied_host(long wall_ms)
{
	struct backend_host_options ho = { .allow_userns = 1, .wall_ms = wall_ms };
	char err[256];
	struct backend *host = backend_host_new(&ho, err, sizeof(err));

	cr_assert_not_null(host, "the host backend could not be made: %s", err);
	host_ops = host->ops;
	spy_ops = *host->ops;
	spy_ops.proc_new = spy_proc_new;
	spy_ops.semget = spy_semget;
	spy_ops.shmget = spy_shmget;
	spy_ops.msgsnd = spy_msgsnd;
	host->ops = &spy_ops;
	return host;
}

/* ---- running a check -------------------------------------------------------- */

static void check_text(const char *scenario, const struct ipcsim_budget *budget,
                       long host_wall_ms, struct checked *c)
{
	struct compare_options co = { .all = 0 };
	struct backend *host = spied_host(host_wall_ms), *sim = backend_sim_new();

	if (budget != NULL)
		co.budget = *budget;
	checked_run(c, backend_compare_new(&sim, &host, &co), scenario);
}

/* The report says STOPPED at line, for a reason naming what. */
static void assert_stopped(const struct checked *c, int line, const char *what)
{
	char head[64];

	cr_assert_str_eq(compare_verdict(c->rep, c->rc), "stopped", "%s", c->text);
	cr_assert_eq(c->rep->stopped_line, line, "%s", c->text);
	cr_assert_not_null(strstr(c->rep->stopped, what), "%s", c->text);
	cr_assert(strstr(c->rep->stopped, "the host did not run it") != NULL ||
	                  strstr(c->rep->stopped, "the host was stopped") != NULL,
	          "%s", c->text);
	snprintf(head, sizeof(head), "t.scn: STOPPED at line %d", line);
	cr_assert_eq(strncmp(c->text, head, strlen(head)), 0, "%s", c->text);
	cr_assert_eq(c->rep->ndiverged, 0, "%s", c->text);
}

/* ---- tests -------------------------------------------------------------------- */

Test(budget, a_segment_past_the_default_shared_memory_budget_never_reaches_the_host)
{
	struct checked c;

	check_text("P1: a = shmget(IPC_PRIVATE, 1048576, 0600) = 0\n"
	           "P1: b = shmget(IPC_PRIVATE, 300000000, 0600) = 1\n"
	           "P1: shmctl(a, IPC_RMID, NULL) = 0\n",
	           NULL, 0, &c);
	assert_stopped(&c, 2, "shared-memory segments, over the budget of 262144 KiB");
	cr_assert_eq(n_shmget, 1, "the host ran the refused shmget");
	cr_assert_eq(c.rep->nagreed, 1);
	checked_free(&c);
}

Test(budget, semaphores_past_the_budget_are_refused_at_the_set_that_crosses_it)
{
	struct ipcsim_budget b = { .sems = 100 };
	struct checked c;

	check_text("P1: semget(IPC_PRIVATE, 40, 0600) = 0\n"
	           "P1: semget(IPC_PRIVATE, 40, 0600) = 1\n"
	           "P1: semget(IPC_PRIVATE, 40, 0600) = 2\n"
	           "P1: semget(IPC_PRIVATE, 40, 0600) = 3\n",
	           &b, 0, &c);
	assert_stopped(&c, 3, "120 semaphores, over the budget of 100");
	cr_assert_eq(n_semget, 2, "the host ran %d semgets, not the 2 within the budget", n_semget);
	checked_free(&c);
}

Test(budget, queued_message_bytes_past_the_budget_are_refused)
{
	struct ipcsim_budget b = { .msg_bytes = 1000 };
	struct checked c;

	check_text("P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	           "P1: msgsnd(q, {1, \"a\"}, 600, 0) = 0\n"
	           "P1: msgsnd(q, {1, \"b\"}, 600, 0) = 0\n",
	           &b, 0, &c);
	assert_stopped(&c, 3, "1200 bytes of queued message text");
	cr_assert_eq(n_msgsnd, 1);
	checked_free(&c);
}

Test(budget, a_process_past_the_budget_is_never_made_on_the_host)
{
	struct ipcsim_budget b = { .procs = 3 };
	struct checked c;

	check_text("P1: getpid() = 1000\n"
	           "P2: getpid() = 1001\n"
	           "P3: getpid() = 1002\n"
	           "P4: getpid() = 1003\n",
	           &b, 0, &c);
	assert_stopped(&c, 4, "4 live processes, over the budget of 3");
	cr_assert_eq(n_proc_new, 3, "the host made %d processes", n_proc_new);
	checked_free(&c);
}

Test(budget, ended_processes_do_not_count)
{
	struct ipcsim_budget b = { .procs = 2 };
	struct checked c;

	check_text("P1: getpid() = 1000\n"
	           "P2: exit(0)\n"
	           "P3: exit(0)\n"
	           "P4: getpid() = 1003\n",
	           &b, 0, &c);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "ok", "%s", c.text);
	cr_assert_eq(n_proc_new, 4);
	checked_free(&c);
}

Test(budget, the_wall_time_stops_a_scenario_whose_sleep_would_outlast_it)
{
	/* semtimedop's 10 s are 2 s on the host (200 ms per second); the host
	 * cuts its wait at 300 + 1000 ms, and the comparer reports the stop,
	 * not the EAGAIN the cut wait did not see. */
	struct ipcsim_budget b = { .wall_ms = 300 };
	struct timespec t0, t1;
	struct checked c;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	check_text("P1: s = semget(IPC_PRIVATE, 1, 0600) = 0\n"
	           "P2: semtimedop(s, [{0, -1, 0}], 1, 10) <unfinished ...>\n"
	           "P1: sleep(11) = 0\n"
	           "P2: <... semtimedop resumed> = -1 EAGAIN\n"
	           "P1: semctl(s, 0, IPC_RMID) = 0\n",
	           &b, 300 + IPCSIM_BUDGET_WALL_GRACE_MS, &c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "stopped", "%s", c.text);
	cr_assert_not_null(strstr(c.rep->stopped, "wall-time budget of 0.3 s"), "%s", c.text);
	cr_assert_lt(ms, 1900, "the host's wait was not cut (%ld ms)", ms);
	checked_free(&c);
}

Test(budget, the_defaults_are_those_the_manual_gives)
{
	cr_assert_eq(IPCSIM_BUDGET_PROCS, 256);
	cr_assert_eq(IPCSIM_BUDGET_SEMS, 1000000L);
	cr_assert_eq(IPCSIM_BUDGET_SHM_BYTES, 256UL << 20);
	cr_assert_eq(IPCSIM_BUDGET_MSG_BYTES, 256UL << 20);
	cr_assert_eq(IPCSIM_BUDGET_MSGS, 1000000L);
	cr_assert_eq(IPCSIM_BUDGET_WALL_MS, 120000L);
}

Test(budget, a_report_keeps_a_bounded_number_of_notes)
{
	/* Every step of a process the host lacks is a skipped note: more steps
	 * than the report keeps. */
	char *scn = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&scn, &len);
	struct ipcsim_budget b = { .wall_ms = 600000 };
	struct checked c;

	fprintf(w, "user ghost uid=4000000 gid=4000000\nprocess G user=ghost\n");
	for (int i = 0; i < IPCSIM_REPORT_NOTES + 50; i++)
		fprintf(w, "G: getpid()\n");
	fclose(w);
	check_text(scn, &b, 0, &c);
	cr_assert_eq(c.rep->nnotes, IPCSIM_REPORT_NOTES, "%d notes kept", c.rep->nnotes);
	cr_assert_gt(c.rep->notes_dropped, 0);
	cr_assert_eq(c.rep->nskipped, c.rep->nnotes + c.rep->notes_dropped);
	cr_assert_not_null(strstr(c.text, "more notes, not kept"));
	checked_free(&c);
	free(scn);
}
