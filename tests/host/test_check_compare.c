/*
 * test_check_compare.c - `ipcsim check` can fail: the comparing backend
 * (ipcsim/compare.h) over a simulator with a deliberately wrong model and
 * the real kernel reports the divergence at the right line, with both
 * results and both states; the true simulator agrees on the same scenario;
 * host limits and simulator-only models are skipped, never agreed.
 *
 * Shared memory and semaphores too: addresses, blocking, timeouts, EINTR,
 * EIDRM, SEM_UNDO and SIGSEGV agree with the kernel, and a wrong GETNCNT, a
 * detached segment that does not fault, a fixed attach placed a page off,
 * or a limit refused with the wrong errno is caught at its line.
 *
 * The wrong models wrap the simulated backend: a copy of its ops table
 * with one op replaced, over the same context, so everything else is the
 * real simulator.  Needs the host backend (root or a user namespace).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>

#include "ipcsim/compare.h"
#include "ipcsim/host.h"
#include "ipcsim/script.h"
#include "../lib/check_fixture.h"

/* The lecture's msgrcv table (scenarios/msgrcv_table.scn, shortened). */
static const char lecture[] =
	"P1: q = msgget(IPC_PRIVATE, IPC_CREAT | 0666) = 0\n"          /* 1 */
	"P1: msgsnd(q, {300, \"first\"}, 6, 0) = 0\n"                   /* 2 */
	"P1: msgsnd(q, {100, \"second\"}, 7, 0) = 0\n"                  /* 3 */
	"P1: msgsnd(q, {200, \"third\"}, 6, 0) = 0\n"                   /* 4 */
	"P1: msgsnd(q, {400, \"fourth\"}, 7, 0) = 0\n"                  /* 5 */
	"P1: msgsnd(q, {100, \"fifth\"}, 6, 0) = 0\n"                   /* 6 */
	"P2: msgrcv(q, &m, 512, 0, 0) = 6 {300, \"first\"}\n"           /* 7 */
	"P2: msgrcv(q, &m, 512, 100, 0) = 7 {100, \"second\"}\n"        /* 8 */
	"# msgtyp -300: the lowest type <= 300 is the other 100\n"      /* 9 */
	"P2: msgrcv(q, &m, 512, -300, 0) = 6 {100, \"fifth\"}\n"        /* 10 */
	"P2: msgrcv(q, &m, 512, -300, 0) = 6 {200, \"third\"}\n"        /* 11 */
	"$ ipcs -q\n";                                                   /* 12 */

/* ---- wrong models ------------------------------------------------------------ */

/* Each test makes one wrong backend; the replaced op calls the true one. */
static struct backend_ops wrong_ops;
static int (*true_msgrcv)(void *, int, int, enum backend_buf, size_t, long, int,
                          struct backend_result *);
static int (*true_shell)(void *, const struct backend_creds *, const struct scenario_names *,
                         const char *, FILE *);
static int (*true_semctl)(void *, int, int, int, int, const struct backend_semctl_arg *,
                          struct backend_result *);
static int (*true_mem_load)(void *, int, unsigned long, struct backend_result *);
static int (*true_shmat)(void *, int, int, unsigned long, int, struct backend_result *);
static int (*true_limit_set)(void *, const char *, long long);

/* A fixed attach that reports the page after the one it mapped (SHM_RND
 * rounding up, say): addresses are never compared as numbers, but where
 * one lies from the address asked for is. */
static int shmat_next_page(void *ctx, int pid, int id, unsigned long addr, int flags,
                           struct backend_result *r)
{
	int rc = true_shmat(ctx, pid, id, addr, flags, r);

	if (rc == 0 && addr != 0 && r->ret != -1 && !r->blocked && !r->killed)
		r->ret += 4096;
	return rc;
}

/* docs/divergences.txt D2 back: a semmni out of range refused with EINVAL,
 * where Linux says ERANGE. */
static int semmni_einval(void *ctx, const char *name, long long value)
{
	int rc = true_limit_set(ctx, name, value);

	return rc == -ERANGE ? -EINVAL : rc;
}

/* A GETNCNT that counts one sleeper too many. */
static int ncnt_one_more(void *ctx, int pid, int id, int semnum, int cmd,
                         const struct backend_semctl_arg *arg, struct backend_result *r)
{
	int rc = true_semctl(ctx, pid, id, semnum, cmd, arg, r);

	if (rc == 0 && cmd == GETNCNT && r->ret >= 0)
		r->ret++;
	return rc;
}

/* A detached segment that stays readable: the load that should fault reads 0. */
static int load_never_faults(void *ctx, int pid, unsigned long addr, struct backend_result *r)
{
	int rc = true_mem_load(ctx, pid, addr, r);

	if (rc == 0 && r->killed) {
		r->killed = 0;
		r->ret = 0;
	}
	return rc;
}

/* FreeBSD's rule instead of Linux's: a negative msgtyp takes the FIRST
 * message (here: the head of the queue), not the lowest type. */
static int fifo_for_negative_msgtyp(void *ctx, int pid, int id, enum backend_buf buf,
                                    size_t size, long type, int flags, struct backend_result *r)
{
	return true_msgrcv(ctx, pid, id, buf, size, type < 0 ? 0 : type, flags, r);
}

/* An ipcs that miscounts: one message too many in every queue row. */
static int shell_one_message_more(void *ctx, const struct backend_creds *c,
                                  const struct scenario_names *names, const char *cmdline,
                                  FILE *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);
	int rc = true_shell(ctx, c, names, cmdline, w);
	char *line;

	fclose(w); /* buf is final only now */
	line = buf;
	while (line != NULL && *line != '\0') {
		char *nl = strchr(line, '\n'), *sp;
		long qnum;

		if (nl != NULL)
			*nl = '\0';
		for (size_t n = strlen(line); n > 0 && line[n - 1] == ' '; n--)
			line[n - 1] = '\0'; /* ipcs pads its last column */
		sp = strrchr(line, ' ');
		if (strncmp(line, "0x", 2) == 0 && sp != NULL && sscanf(sp, "%ld", &qnum) == 1)
			fprintf(out, "%.*s %ld\n", (int)(sp - line), line, qnum + 1);
		else
			fprintf(out, "%s\n", line);
		line = nl != NULL ? nl + 1 : NULL;
	}
	free(buf);
	return rc;
}

static struct backend *wrong_sim(int which)
{
	struct backend *sim = backend_sim_new();

	cr_assert_not_null(sim);
	wrong_ops = *sim->ops;
	true_msgrcv = sim->ops->msgrcv;
	true_shell = sim->ops->shell;
	true_semctl = sim->ops->semctl;
	true_mem_load = sim->ops->mem_load;
	true_shmat = sim->ops->shmat;
	true_limit_set = sim->ops->limit_set;
	if (which == 0)
		wrong_ops.msgrcv = fifo_for_negative_msgtyp;
	else if (which == 1)
		wrong_ops.shell = shell_one_message_more;
	else if (which == 2)
		wrong_ops.semctl = ncnt_one_more;
	else if (which == 3)
		wrong_ops.mem_load = load_never_faults;
	else if (which == 4)
		wrong_ops.shmat = shmat_next_page;
	else
		wrong_ops.limit_set = semmni_einval;
	sim->ops = &wrong_ops;
	return sim;
}

/* ---- running a check -------------------------------------------------------- */

static void check_text(const char *scenario, struct backend *sim, int all, struct checked *c)
{
	struct compare_options co = { .all = all };
	struct backend *host;
	char err[256];

	host = backend_host_new(&(struct backend_host_options){ .allow_userns = 1 }, err,
	                        sizeof(err));
	cr_assert_not_null(host, "the host backend could not be made: %s", err);
	if (sim == NULL)
		sim = backend_sim_new();
	checked_run(c, backend_compare_new(&sim, &host, &co), scenario);
}

static const struct compare_note *first_divergence(const struct compare_report *r)
{
	for (int i = 0; i < r->nnotes; i++)
		if (r->notes[i].kind == COMPARE_DIVERGED)
			return &r->notes[i];
	return NULL;
}

/* ---- tests -------------------------------------------------------------------- */

Test(check, the_true_simulator_agrees_with_the_kernel_on_the_lecture_table)
{
	struct checked c;

	check_text(lecture, NULL, 0, &c);
	cr_assert_eq(c.rep->ndiverged, 0, "unexpected divergence:\n%s", c.text);
	cr_assert_eq(c.rep->nskipped, 0, "unexpected skip:\n%s", c.text);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "ok");
	cr_assert_geq(c.rep->nagreed, 11, "only %d steps compared", c.rep->nagreed);
	checked_free(&c);
}

Test(check, a_wrong_negative_msgtyp_rule_is_caught_at_its_line_with_both_results)
{
	struct checked c;
	const struct compare_note *n;

	check_text(lecture, wrong_sim(0), 0, &c);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "diverged", "%s", c.text);
	n = first_divergence(c.rep);
	cr_assert_not_null(n);
	cr_assert_eq(n->line, 10, "divergence reported at line %d:\n%s", n->line, c.text);
	cr_assert_str_eq(n->text, "P2: msgrcv(q, &m, 512, -300, 0) = 6 {100, \"fifth\"}");
	cr_assert_str_eq(n->call, "msgrcv(0, &m, 512, -300, 0)");
	cr_assert_str_eq(n->sim, "= 6 {mtype=200, mtext=\"third\"}");
	cr_assert_str_eq(n->host, "= 6 {mtype=100, mtext=\"fifth\"}");
	cr_assert_not_null(strstr(n->why, "received message"), "why: %s", n->why);
	/* both states: the simulator took 200, the kernel 100; two left each */
	cr_assert_not_null(n->sim_state);
	cr_assert_not_null(strstr(n->sim_state, "0x00000000 0"), "%s", n->sim_state);
	cr_assert_not_null(n->host_state);
	cr_assert_not_null(strstr(n->host_state, "0x00000000 0"), "%s", n->host_state);
	cr_assert_not_null(strstr(c.text, "t.scn: DIVERGED at line 10"), "%s", c.text);
	/* without --all, the first divergence is the only one */
	cr_assert_eq(c.rep->ndiverged, 1, "%s", c.text);
	checked_free(&c);
}

Test(check, with_all_every_divergence_is_reported)
{
	struct checked c;

	check_text(lecture, wrong_sim(0), 1, &c);
	/* line 10 takes 200 instead of 100, line 11 then 100 instead of 200 */
	cr_assert_geq(c.rep->ndiverged, 2, "%s", c.text);
	cr_assert_eq(c.rep->notes[0].line, 10, "%s", c.text);
	cr_assert_eq(c.rep->notes[1].line, 11, "%s", c.text);
	checked_free(&c);
}

Test(check, a_wrong_ipcs_output_is_caught_at_the_dollar_line)
{
	struct checked c;
	const struct compare_note *n;

	check_text(lecture, wrong_sim(1), 0, &c);
	n = first_divergence(c.rep);
	cr_assert_not_null(n, "%s", c.text);
	cr_assert_eq(n->line, 12, "%s", c.text);
	cr_assert_str_eq(n->call, "$ ipcs -q");
	cr_assert_not_null(strstr(n->why, "output line 4"), "why: %s", n->why);
	checked_free(&c);
}

Test(check, wake_ups_eidrm_and_eintr_are_compared_with_the_kernel)
{
	static const char blocking[] =
		"P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
		"P2: signal(SIGUSR1, handler) = 0\n"
		"P2: msgrcv(q, &m, 64, 7, 0) <unfinished ...>\n"
		"P3: msgrcv(q, &m, 64, -5, 0) <unfinished ...>\n"
		"P1: msgsnd(q, {3, \"three\"}, 6, 0) = 0\n"
		"P3: <... msgrcv resumed> = 6 {3, \"three\"}\n"
		"P1: kill(P2, SIGUSR1) = 0\n"
		"P2: <... msgrcv resumed> = -1 EINTR\n"
		"P2: msgrcv(q, &m, 64, 7, 0) <unfinished ...>\n"
		"P1: msgctl(q, IPC_RMID, NULL) = 0\n"
		"P2: <... msgrcv resumed> = -1 EIDRM\n";
	struct checked c;

	check_text(blocking, NULL, 0, &c);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "ok", "%s", c.text);
	cr_assert_geq(c.rep->nagreed, 8, "%s", c.text);
	checked_free(&c);
}

Test(check, a_simulator_only_pool_skips_the_scenario_and_is_never_agreed)
{
	static const char pool[] =
		"P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
		"limit msgpool=64\n"
		"P1: msgsnd(q, {1, \"A\"}, 64, 0) = 0\n";
	struct checked c;

	check_text(pool, NULL, 0, &c);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "skipped", "%s", c.text);
	cr_assert_str_eq(c.rep->sim_only, "msgpool");
	cr_assert_eq(c.rep->sim_only_line, 2);
	cr_assert_eq(c.rep->nagreed, 1, "only the msgget before the pool is compared");
	cr_assert_not_null(strstr(c.text, "skipped: uses msgpool (line 2)"), "%s", c.text);
	checked_free(&c);
}

/* ---- shared memory and semaphores ------------------------------------------ */

/* Two processes share a segment (a + 8 translated on the host), a semaphore
 * hands over, a timed wait runs out, EINTR, EIDRM, fork, SEM_UNDO at a
 * kill, and a load after shmdt dies of SIGSEGV: all against the kernel. */
static const char shm_sem[] =
	"P1: id = shmget(IPC_PRIVATE, 4096, 0600) = 0\n"                   /* 1 */
	"P1: a = shmat(id, NULL, 0) = 0x7efffffff000\n"                    /* 2 */
	"P1: store(a + 8, -5) = 0\n"                                       /* 3 */
	"P1: s = semget(IPC_PRIVATE, 1, 0600) = 0\n"                       /* 4 */
	"P1: c = fork() = 1001\n"                                          /* 5 */
	"c: semop(s, [{0, -1, 0}], 1) <unfinished ...>\n"                  /* 6 */
	"P1: semctl(s, 0, GETNCNT) = 1\n"                                  /* 7 */
	"P1: semop(s, [{0, +1, SEM_UNDO}], 1) = 0\n"                       /* 8 */
	"c: <... semop resumed> = 0\n"                                     /* 9 */
	"c: load(a + 8) = -5\n"                                            /* 10 */
	"c: memcpy(a + 100, \"shared\") = 0\n"                             /* 11 */
	"P1: memread(a + 100, 6) = \"shared\"\n"                           /* 12 */
	"c: semtimedop(s, [{0, -1, 0}], 1, 2) <unfinished ...>\n"          /* 13 */
	"P1: sleep(3) = 0\n"                                               /* 14 */
	"c: <... semtimedop resumed> = -1 EAGAIN\n"                        /* 15 */
	"c: signal(SIGUSR1, handler) = 0\n"                                /* 16 */
	"c: semop(s, [{0, -1, 0}], 1) <unfinished ...>\n"                  /* 17 */
	"P1: kill(c, SIGUSR1) = 0\n"                                       /* 18 */
	"c: <... semop resumed> = -1 EINTR\n"                              /* 19 */
	"P1: kill(c, SIGKILL) = 0\n"                                       /* 20 */
	"c: +++ killed by SIGKILL +++\n"                                   /* 21 */
	"P1: shmdt(a) = 0\n"                                               /* 22 */
	"P1: load(a) --- SIGSEGV ---\n"                                    /* 23 */
	"P1: +++ killed by SIGSEGV +++\n"                                  /* 24 */
	"P2: w = semop(s, [{0, -1, 0}], 1) <unfinished ...>\n"             /* 25 */
	"P3: semctl(s, 0, IPC_RMID) = 0\n"                                 /* 26 */
	"P2: <... semop resumed> = -1 EIDRM\n"                             /* 27 */
	"$ ipcs -m\n";                                                      /* 28 */

Test(check, shm_and_sem_agree_with_the_kernel_blocking_timeouts_and_sigsegv_included)
{
	struct checked c;

	check_text(shm_sem, NULL, 0, &c);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "ok", "%s", c.text);
	cr_assert_eq(c.rep->nskipped, 0, "%s", c.text);
	cr_assert_geq(c.rep->nagreed, 20, "%s", c.text);
	checked_free(&c);
}

Test(check, a_wrong_getncnt_is_caught_at_its_line)
{
	struct checked c;
	const struct compare_note *n;

	check_text(shm_sem, wrong_sim(2), 0, &c);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "diverged", "%s", c.text);
	n = first_divergence(c.rep);
	cr_assert_not_null(n, "%s", c.text);
	cr_assert_eq(n->line, 7, "divergence reported at line %d:\n%s", n->line, c.text);
	cr_assert_str_eq(n->call, "semctl(0, 0, GETNCNT)");
	cr_assert_str_eq(n->sim, "= 2");
	cr_assert_str_eq(n->host, "= 1");
	cr_assert_not_null(strstr(n->why, "return value"), "why: %s", n->why);
	cr_assert_not_null(strstr(n->host_state, "Semaphore Arrays"), "%s", n->host_state);
	checked_free(&c);
}

Test(check, a_detached_segment_that_does_not_fault_is_caught)
{
	struct checked c;
	const struct compare_note *n;

	check_text(shm_sem, wrong_sim(3), 0, &c);
	n = first_divergence(c.rep);
	cr_assert_not_null(n, "%s", c.text);
	cr_assert_eq(n->line, 23, "divergence reported at line %d:\n%s", n->line, c.text);
	cr_assert_str_eq(n->host, "--- SIGSEGV ---");
	cr_assert_not_null(strstr(n->why, "kills its process"), "why: %s", n->why);
	checked_free(&c);
}

/* ---- what the comparer compares beyond return values -------------------- */

static const char fixed_attach[] =
	"P1: id = shmget(IPC_PRIVATE, 4096, 0600) = 0\n"                   /* 1 */
	"P1: a = shmat(id, 0x200000000010, SHM_RND) = 0x200000000000\n"    /* 2 */
	"P1: shmdt(a) = 0\n";                                               /* 3 */

Test(check, a_fixed_attach_is_compared_by_where_it_lies_from_the_address_asked_for)
{
	struct checked c;
	const struct compare_note *n;

	check_text(fixed_attach, NULL, 0, &c);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "ok", "%s", c.text);
	cr_assert_eq(c.rep->nagreed, 3, "%s", c.text);
	checked_free(&c);
	check_text(fixed_attach, wrong_sim(4), 0, &c);
	n = first_divergence(c.rep);
	cr_assert_not_null(n, "%s", c.text);
	cr_assert_eq(n->line, 2, "%s", c.text);
	cr_assert_not_null(strstr(n->why, "+4080 bytes from the address asked for on the "
	                          "simulator, -16 on the kernel"), "why: %s", n->why);
	checked_free(&c);
}

static const char semmni_too_big[] =
	"P1: s = semget(IPC_PRIVATE, 1, 0600) = 0\n" /* 1 */
	"limit semmni=40000\n";                      /* 2 */

Test(check, a_limit_both_refuse_is_compared_by_its_errno)
{
	struct checked c;
	const struct compare_note *n;

	/* Refused on both sides alike: agreed (the run itself stops there). */
	check_text(semmni_too_big, NULL, 0, &c);
	cr_assert_eq(c.rep->ndiverged, 0, "%s", c.text);
	cr_assert_eq(c.rep->nagreed, 2, "%s", c.text);
	checked_free(&c);
	check_text(semmni_too_big, wrong_sim(5), 0, &c);
	n = first_divergence(c.rep);
	cr_assert_not_null(n, "%s", c.text);
	cr_assert_eq(n->line, 2, "%s", c.text);
	cr_assert_str_eq(n->call, "limit semmni=40000");
	cr_assert_not_null(strstr(n->why, "EINVAL by the simulator, ERANGE by the kernel"),
	                   "why: %s", n->why);
	checked_free(&c);
}

TestSuite(check, .timeout = 60);
