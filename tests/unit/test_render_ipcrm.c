/*
 * test_render_ipcrm.c - `ipcrm` messages and exit statuses, as captured
 * from util-linux 2.38.1 in a private IPC namespace.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../lib/render_fixture.h"

static struct sim_kernel *k;

/* q0 key 0x100, q1 key 0x101, q2 key 0x102 (owner uid 1000), q3 and q4
 * private; all 0600, made by root (pid 1000). */
static void setup(void)
{
	struct ipcsim_msqid_ds ds;

	k = sim_kernel_new();
	cr_assert_eq(sim_proc_new(k, 0, 0, SIM_CAP_ALL), SIM_FIRST_PID);
	for (long key = 0x100; key <= 0x102; key++)
		cr_assert_eq(sim_msgget(k, SIM_FIRST_PID, key, IPC_CREAT | 0600), key - 0x100);
	cr_assert_eq(sim_msgget(k, SIM_FIRST_PID, IPC_PRIVATE, 0600), 3);
	cr_assert_eq(sim_msgget(k, SIM_FIRST_PID, IPC_PRIVATE, 0666), 4);
	cr_assert_eq(sim_msgctl(k, SIM_FIRST_PID, 2, IPC_STAT, &ds, NULL), 0);
	ds.msg_perm.uid = 1000;
	cr_assert_eq(sim_msgctl(k, SIM_FIRST_PID, 2, IPC_SET, &ds, NULL), 0);
}

static void teardown(void) { sim_kernel_free(&k); }

static void expect(unsigned uid, const char *cmd, const char *want, int want_status)
{
	int status;
	char *got = render_fixture_run(k, uid, cmd, &status);

	cr_expect_str_eq(got, want, "$ %s\n--- got ---\n%s--- want ---\n%s", cmd, got, want);
	cr_expect_eq(status, want_status, "$ %s: exit %d, want %d", cmd, status, want_status);
	free(got);
}

static int queue_exists(int id)
{
	struct ipcsim_msqid_ds ds;
	int max = sim_msg_max_idx(k);

	for (int idx = 0; idx <= max; idx++)
		if (sim_msg_stat_idx(k, idx, &ds) == id)
			return 1;
	return 0;
}

TestSuite(ipcrm, .init = setup, .fini = teardown);

Test(ipcrm, by_id_verbose_then_gone)
{
	expect(0, "ipcrm -v -q 0", "removing message queue id `0'\n", 0);
	cr_expect(!queue_exists(0));
	expect(0, "ipcrm -q 0", "ipcrm: invalid id (0)\n", 1);
}

Test(ipcrm, by_key)
{
	expect(0, "ipcrm -v -Q 0x101", "removing message queue id `1'\n", 0);
	expect(0, "ipcrm -Q 0x999", "ipcrm: invalid key (0x999)\n", 1);
	expect(0, "ipcrm -Q 0", "ipcrm: illegal key (0)\n", 1);
	expect(0, "ipcrm -Q 0x0", "ipcrm: illegal key (0x0)\n", 1);
	expect(0, "ipcrm -Q 257", "ipcrm: invalid key (257)\n", 1); /* decimal, now gone */
	expect(0, "ipcrm -Q 256", "", 0);                            /* decimal 0x100 */
	cr_expect(!queue_exists(0));
	expect(0, "ipcrm -Q abc", "ipcrm: failed to parse argument: 'abc'\n", 1);
	expect(0, "ipcrm -Q 99999999999999999999",
	       "ipcrm: failed to parse argument: '99999999999999999999': "
	       "Numerical result out of range\n", 1);
	expect(0, "ipcrm -Q 0x1234 -v", "ipcrm: invalid key (0x1234)\n", 1); /* -v comes later */
}

Test(ipcrm, id_parsing)
{
	expect(0, "ipcrm -q abc", "ipcrm: failed to parse argument: 'abc'\n", 1);
	expect(0, "ipcrm -q 0x10", "ipcrm: failed to parse argument: '0x10'\n", 1);
	expect(0, "ipcrm -q -1", "ipcrm: invalid id (-1)\n", 1);
	expect(0, "ipcrm -q 4294967296",
	       "ipcrm: failed to parse argument: '4294967296': Numerical result out of range\n", 1);
	expect(0, "ipcrm -q", "ipcrm: option requires an argument -- 'q'\n"
	                      "Try 'ipcrm --help' for more information.\n", 1);
	expect(0, "ipcrm -vq0", "removing message queue id `0'\n", 0);
	expect(0, "ipcrm --queue-id=1 -v", "", 0);
	expect(0, "ipcrm --qu 3", "ipcrm: option '--qu' is ambiguous; possibilities: "
	                          "'--queue-id' '--queue-key'\n"
	                          "Try 'ipcrm --help' for more information.\n", 1);
}

Test(ipcrm, shm_and_sem_are_not_there_yet)
{
	expect(0, "ipcrm -m 99", "ipcrm: invalid id (99)\n", 1);
	expect(0, "ipcrm -m abc", "ipcrm: failed to parse argument: 'abc'\n", 1);
	expect(0, "ipcrm -M 0x202", "ipcrm: invalid key (0x202)\n", 1);
	expect(0, "ipcrm -S 0x5", "ipcrm: invalid key (0x5)\n", 1);
	expect(0, "ipcrm -v -m 2 -q 99 -s 0",
	       "removing shared memory segment id `2'\n"
	       "ipcrm: invalid id (2)\n"
	       "removing message queue id `99'\n"
	       "ipcrm: invalid id (99)\n"
	       "removing semaphore id `0'\n"
	       "ipcrm: invalid id (0)\n", 1);
}

Test(ipcrm, old_syntax)
{
	expect(0, "ipcrm msg 3", "resource(s) deleted\n", 0);
	expect(0, "ipcrm msg 77", "ipcrm: invalid id (77)\n", 1);
	expect(0, "ipcrm msg 0 x 5", "ipcrm: invalid id: x\nipcrm: invalid id (5)\n", 1);
	cr_expect(!queue_exists(0));
	expect(0, "ipcrm msg", "ipcrm: not enough arguments\n"
	                       "Try 'ipcrm --help' for more information.\n", 1);
	expect(0, "ipcrm shm 0", "ipcrm: invalid id (0)\n", 1);
	expect(0, "ipcrm", "", 0);
}

Test(ipcrm, all)
{
	expect(0, "ipcrm -v --all=msg",
	       "removing message queue id `0'\nremoving message queue id `1'\n"
	       "removing message queue id `2'\nremoving message queue id `3'\n"
	       "removing message queue id `4'\n", 0);
	cr_expect_eq(sim_msg_max_idx(k), -1);
	expect(0, "ipcrm --all=foo", "ipcrm: unknown argument: foo\n", 1);
}

Test(ipcrm, all_then_unknown_argument)
{
	/* -a has already removed everything when "sem" is refused */
	expect(0, "ipcrm -a sem", "ipcrm: unknown argument: sem\n"
	                          "Try 'ipcrm --help' for more information.\n", 1);
	cr_expect_eq(sim_msg_max_idx(k), -1);
}

Test(ipcrm, permission_denied_as_another_user)
{
	expect(65534, "ipcrm -q 4", "ipcrm: permission denied for id (4)\n", 1);
	/* the quirk: the key names the object, the message prints its id */
	expect(65534, "ipcrm -Q 0x102", "ipcrm: permission denied for key (2)\n", 1);
	/* -a only tries what MSG_STAT lets the user read: queue 4 (0666) */
	expect(65534, "ipcrm -v -a", "removing message queue id `4'\n"
	                             "ipcrm: permission denied for id (4)\n", 1);
	expect(1000, "ipcrm -Q 0x102", "", 0); /* the owner may */
	cr_expect(queue_exists(4));
}
