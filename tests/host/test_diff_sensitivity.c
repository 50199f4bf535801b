/*
 * test_diff_sensitivity.c - the differential test can fail: a simulator with
 * a deliberately wrong rule, run through the same comparer on the same
 * generated sequences, must be caught.
 *
 * The wrong rule is a wrong capability set for root (docs/divergences.txt
 * made these checks by hand): the simulator's root processes get the host
 * root's capabilities with one or two flipped, the host's get the true ones.
 * For each mechanism: the generated sequences are run on the true and on the
 * wrong simulator alone (cheap), in order, which finds the sequences whose
 * answers the rule changes; the first DIFF_SENSITIVITY_RUNS of them go
 * through the comparer against the kernel, and every one must diverge.
 * With IPCSIM_DIFF_SENSITIVITY=all every sequence is looked at and every
 * such sequence goes (for the numbers in docs/divergences.txt).
 *
 * The wrong simulator is the true one with its ops table copied and
 * proc_new replaced, as test_check_compare.c makes its wrong models; the
 * replaced op needs the true one and the flip, and an op has no room for
 * either but file-scope variables (each Criterion test runs in a process of
 * its own).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_check.h"
#include "diff_env.h"
#include "diff_exec.h"
#include "diff_gen.h"
#include "ipcsim/kernel.h"

#define DIFF_SENSITIVITY_RUNS 10

static struct backend_ops wrong_ops;
static int (*true_proc_new)(void *, const struct backend_creds *, int *);
static unsigned wrong_flip; /* SIM_CAP_* bits flipped for root */

static int proc_new_wrong_caps(void *ctx, const struct backend_creds *c, int *pid)
{
	struct backend_creds wrong = *c;

	if (wrong.uid == 0)
		wrong.caps ^= wrong_flip;
	return true_proc_new(ctx, &wrong, pid);
}

/* The simulator with the wrong rule (diff_check's make_sim). */
static struct backend *wrong_sim(void)
{
	struct backend *sim = backend_sim_new();

	if (sim == NULL)
		return NULL;
	wrong_ops = *sim->ops;
	true_proc_new = sim->ops->proc_new;
	wrong_ops.proc_new = proc_new_wrong_caps;
	sim->ops = &wrong_ops;
	return sim;
}

/* 1 when the wrong simulator answers some step of s differently. */
static int rule_changes(const struct diff_seq *s, unsigned root_caps, struct diff_run *a,
                        struct diff_run *b)
{
	struct backend *wrong = wrong_sim();
	struct diff_exec x;
	int differs = 0;

	cr_assert_not_null(wrong, "out of memory");
	cr_assert_eq(diff_exec_sim(s, root_caps, a), 0, "out of memory");
	cr_assert_eq(diff_exec_begin(&x, wrong, root_caps, b), 0, "out of memory");
	diff_exec_all(&x, s);
	diff_exec_end(&x);
	backend_free(&wrong);
	for (int i = 0; i < a->nsteps && i < b->nsteps && !differs; i++)
		differs = a->r[i].ret != b->r[i].ret;
	return differs || a->nsteps != b->nsteps;
}

struct rule {
	const char *what, *flip_name;
	unsigned flip;
	uint64_t seed;
	int count;
	int (*gen)(uint64_t seed, int number, unsigned root_sim_caps, struct diff_seq *s);
};

static void rule_is_caught(const struct rule *ru)
{
	const char *all = getenv("IPCSIM_DIFF_SENSITIVITY");
	int want = all != NULL && strcmp(all, "all") == 0 ? ru->count : DIFF_SENSITIVITY_RUNS;
	struct diff_run *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct diff_seq *s = malloc(sizeof(*s));
	int ran = 0, caught = 0, first_missed = -1, n;
	struct diff_check c;
	char why[512] = "";

	cr_assert(a != NULL && b != NULL && s != NULL, "out of memory");
	cr_assert_eq(diff_check_init(&c), 0, "out of memory");
	wrong_flip = ru->flip;
	c.make_sim = wrong_sim;
	c.reports_left = 0; /* divergences are the point here, not news */
	for (n = 0; n < ru->count && ran < want; n++) {
		cr_assert_eq(ru->gen(ru->seed, n, c.root_caps, s), 0, "out of memory");
		if (!rule_changes(s, c.root_caps, a, b))
			continue;
		ran++;
		switch (diff_check_run(&c, s, "sensitivity")) {
		case DIFF_DIVERGED:
			caught++;
			break;
		case DIFF_HOST_FAILED:
			cr_assert_fail("the host kernel could not run %s sequence %d: %s", ru->what, n,
			               c.why);
			break;
		default:
			if (first_missed < 0) {
				first_missed = n;
				snprintf(why, sizeof(why), "%s", c.why);
			}
			break;
		}
	}
	diff_check_fini(&c);
	free(a);
	free(b);
	free(s);
	fprintf(stderr, "diff_sensitivity_%s: root's %s flipped on the simulator changes its "
	        "answers in %d of the first %d sequences; %d of them run against the kernel "
	        "diverge\n", ru->what, ru->flip_name, ran, n, caught);
	cr_assert_geq(ran, DIFF_SENSITIVITY_RUNS, "the wrong rule changes only %d of the %d %s "
	              "sequences", ran, n, ru->what);
	cr_assert_eq(caught, ran, "the comparer missed the wrong rule in %d of %d %s sequences "
	             "(first: sequence %d: %s)", ran - caught, ran, ru->what, first_missed, why);
}

Test(diff_sensitivity, a_root_with_cap_sys_resource_flipped_is_caught_in_msg_sequences,
     .timeout = 60)
{
	const struct rule ru = { "msg", "CAP_SYS_RESOURCE", SIM_CAP_SYS_RESOURCE,
	                         DIFF_MSG_SEED, DIFF_MSG_SEQUENCES, diff_gen_sequence };

	rule_is_caught(&ru);
}

Test(diff_sensitivity, a_root_with_cap_ipc_lock_and_rawio_flipped_is_caught_in_shm_sequences,
     .timeout = 60)
{
	const struct rule ru = { "shm", "CAP_IPC_LOCK|CAP_SYS_RAWIO",
	                         SIM_CAP_IPC_LOCK | SIM_CAP_SYS_RAWIO, DIFF_SHM_SEED,
	                         DIFF_SHM_SEQUENCES, diff_gen_shm_sequence };

	rule_is_caught(&ru);
}

Test(diff_sensitivity, a_root_with_cap_ipc_owner_flipped_is_caught_in_sem_sequences,
     .timeout = 60)
{
	const struct rule ru = { "sem", "CAP_IPC_OWNER", SIM_CAP_IPC_OWNER, DIFF_SEM_SEED,
	                         DIFF_SEM_SEQUENCES, diff_gen_sem_sequence };

	rule_is_caught(&ru);
}
