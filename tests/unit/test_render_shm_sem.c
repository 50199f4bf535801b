/*
 * test_render_shm_sem.c - `ipcs -m/-s`, /proc/sysvipc/shm|sem,
 * /proc/PID/maps and the shm/sem parts of `show`, on a state built with the
 * kernel API (the host cross-check in tests/host covers the rest verbatim).
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../lib/render_fixture.h"

/* P1 (1000): shm 0 (0x5678, 4096 B, 0644) attached and written; P2 (1001)
 * forked, attaches private shm 1 (10000 B) read-only and sleeps in
 * semop(sem 0, {1, -1}); P1 holds a SEM_UNDO -1 on sem 0 #0; shm 1 removed. */
static struct sim_kernel *mk(void)
{
	struct sim_kernel *k = sim_kernel_new();
	int p1 = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	struct ipcsim_sembuf down = { 0, -1, SEM_UNDO }, wait1 = { 1, -1, 0 };
	struct sim_semctl_arg one = { .val = 1 };
	long a, p2;

	cr_assert_eq(sim_shmget(k, p1, 0x5678, 4096, IPC_CREAT | 0644), 0);
	cr_assert_gt(a = sim_shmat(k, p1, 0, 0, 0), 0);
	cr_assert_eq(sim_mem_store(k, p1, (unsigned long)a, 42), 0);
	cr_assert_eq(sim_shmget(k, p1, IPC_PRIVATE, 10000, 0600), 1);
	cr_assert_eq(sim_semget(k, p1, 0x9abc, 3, IPC_CREAT | 0660), 0);
	cr_assert_eq(sim_semctl(k, p1, 0, 0, SETVAL, &one), 0);
	cr_assert_eq(sim_semop(k, p1, 0, &down, 1), 0);
	cr_assert_eq(p2 = sim_fork(k, p1), 1001);
	cr_assert_gt(sim_shmat(k, (int)p2, 1, 0, SHM_RDONLY), 0);
	cr_assert_eq(sim_semop(k, (int)p2, 0, &wait1, 1), SIM_BLOCKED);
	cr_assert_eq(sim_shmctl(k, p1, 1, IPC_RMID, NULL, NULL, NULL), 0);
	return k;
}

static void expect_run(struct sim_kernel *k, unsigned uid, const char *cmd, const char *want,
                       int want_status)
{
	int status;
	char *got = render_fixture_run(k, uid, cmd, &status);

	cr_expect_str_eq(got, want, "$ %s\n--- got ---\n%s--- want ---\n%s", cmd, got, want);
	cr_expect_eq(status, want_status, "$ %s: status %d", cmd, status);
	free(got);
}

Test(render_shm_sem, ipcs_m_rows_show_dest_and_nattch)
{
	struct sim_kernel *k = mk();

	expect_run(k, 1000, "ipcs -m",
	           "\n------ Shared Memory Segments --------\n"
	           "key        shmid      owner      perms      bytes      nattch     status      \n"
	           "0x00005678 0          root       644        4096       2                       \n"
	           "0x00000000 1          root       600        10000      1          dest         \n"
	           "\n", 0);
	expect_run(k, 0, "ipcs -s",
	           "\n------ Semaphore Arrays --------\n"
	           "key        semid      owner      perms      nsems     \n"
	           "0x00009abc 0          root       660        3         \n"
	           "\n", 0);
	sim_kernel_free(&k);
}

Test(render_shm_sem, ipcs_s_i_lists_values_and_waiters)
{
	struct sim_kernel *k = mk();

	expect_run(k, 0, "ipcs -s -i 0",
	           "\nSemaphore Array semid=0\n"
	           "uid=0\t gid=0\t cuid=0\t cgid=0\n"
	           "mode=0660, access_perms=0660\n"
	           "nsems = 3\n"
	           "otime = Thu Jan  1 00:00:00 2026  \n"
	           "ctime = Thu Jan  1 00:00:00 2026  \n"
	           "semnum     value      ncount     zcount     pid       \n"
	           "0          0          0          0          1000      \n"
	           "1          0          1          0          0         \n"
	           "2          0          0          0          0         \n"
	           "\n", 0);
	expect_run(k, 1000, "ipcs -s -i 0", "ipcs: semctl(GETVAL) failed: Permission denied\n", 1);
	sim_kernel_free(&k);
}

Test(render_shm_sem, one_segment_has_the_whole_rss)
{
	struct sim_kernel *k = sim_kernel_new();
	int p1 = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	long a;
	int status;
	char *got;

	cr_assert_eq(sim_shmget(k, p1, 0x10, 8192, IPC_CREAT | 0600), 0);
	cr_assert_gt(a = sim_shmat(k, p1, 0, 0, 0), 0);
	cr_assert_eq(sim_mem_store(k, p1, (unsigned long)a + 4096, 7), 0);
	got = render_fixture_run(k, 0, "cat /proc/sysvipc/shm", &status);
	cr_expect(strstr(got, "                  4096                     0\n") != NULL, "%s", got);
	free(got);
	sim_kernel_free(&k);
}

Test(render_shm_sem, proc_pid_maps_lists_attachments_as_linux)
{
	struct sim_kernel *k = mk();

	expect_run(k, 0, "cat /proc/1000/maps",
	           "7efffffff000-7f0000000000 rw-s 00000000 00:01 0"
	           "                          /SYSV00005678 (deleted)\n", 0);
	expect_run(k, 0, "cat /proc/1001/maps",
	           "7effffffc000-7efffffff000 r--s 00000000 00:01 1"
	           "                          /SYSV00000000 (deleted)\n"
	           "7efffffff000-7f0000000000 rw-s 00000000 00:01 0"
	           "                          /SYSV00005678 (deleted)\n", 0);
	expect_run(k, 0, "cat /proc/1002/maps", "cat: /proc/1002/maps: No such file or directory\n", 1);
	expect_run(k, 0, "cat /proc/1000", "cat: /proc/1000: Is a directory\n", 1);
	expect_run(k, 0, "cat /proc/self/maps", "", 0);
	sim_kernel_free(&k);
}

/* Linux opens /proc/PID/maps through ptrace_may_access: the same uid and
 * gid as the process, or CAP_SYS_PTRACE (root). */
Test(render_shm_sem, proc_pid_maps_of_another_user_is_permission_denied)
{
	struct sim_kernel *k = sim_kernel_new();
	int p1 = sim_proc_new(k, 1000, 1000, 0), p2 = sim_proc_new(k, 1000, 100, 0);
	const char *line = "7efffffff000-7f0000000000 rw-s 00000000 00:01 0"
	                   "                          /SYSV00000000 (deleted)\n";

	cr_assert_eq(sim_shmget(k, p1, IPC_PRIVATE, 4096, 0666), 0);
	cr_assert_gt(sim_shmat(k, p1, 0, 0, 0), 0);
	cr_assert_gt(sim_shmat(k, p2, 0, 0, 0), 0);
	expect_run(k, 1000, "cat /proc/1000/maps", line, 0);
	expect_run(k, 0, "cat /proc/1000/maps", line, 0);
	expect_run(k, 1001, "cat /proc/1000/maps", "cat: /proc/1000/maps: Permission denied\n", 1);
	/* same uid, another gid: denied too */
	expect_run(k, 1000, "cat /proc/1001/maps", "cat: /proc/1001/maps: Permission denied\n", 1);
	/* a missing process is missing first */
	expect_run(k, 1001, "cat /proc/1002/maps", "cat: /proc/1002/maps: No such file or directory\n",
	           1);
	sim_kernel_free(&k);
}

Test(render_shm_sem, a_maps_line_reads_back_into_its_fields)
{
	struct shell_maps_line m;

	cr_assert_eq(shell_maps_line_parse("7effffffc000-7effffffe000 r--s 00002000 00:01 17"
	                                   "                         /SYSV01011234 (deleted)", &m), 1);
	cr_expect_eq(m.start, 0x7effffffc000UL);
	cr_expect_eq(m.end, 0x7effffffe000UL);
	cr_expect_str_eq(m.perms, "r--s");
	cr_expect_eq(m.offset, 0x2000UL);
	cr_expect_eq(m.dev_major, 0u);
	cr_expect_eq(m.dev_minor, 1u);
	cr_expect_eq(m.inode, 17UL);
	cr_expect_eq(m.name_at, 73u);
	cr_expect_eq(m.sysv, 1);
	cr_expect_eq(m.key, 0x01011234u);
	cr_assert_eq(shell_maps_line_parse("55c24bb12000-55c24bb19000 r--p 00000000 fe:00 5325826"
	                                   "                    /usr/bin/cat", &m), 1);
	cr_expect_eq(m.sysv, 0);
	cr_assert_eq(shell_maps_line_parse("7f2ce5524000-7f2ce5527000 rw-p 00000000 00:00 0 ", &m), 1);
	cr_expect_eq(m.sysv, 0);
	cr_expect_eq(shell_maps_line_parse("cat: /proc/1000/maps: Permission denied", &m), 0);
	cr_expect_eq(shell_maps_line_parse("       key      shmid perms  size", &m), 0);
	cr_expect_eq(shell_maps_line_parse("7f-7e rwxq 0 00:01 1", &m), 0);
}

Test(render_shm_sem, show_draws_attachments_waiters_and_undo_in_80_columns)
{
	struct sim_kernel *k = mk();
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	render_show(out, k, &render_fixture_names, 0);
	fclose(out);
	cr_expect_leq(render_fixture_max_width(buf), 80, "%s", buf);
	cr_expect(strstr(buf, "== Shared memory (2) ==") != NULL, "%s", buf);
	cr_expect(strstr(buf, "  0x00000000      1 root     0600      10000     3      1 dest\n"),
	          "%s", buf);
	/* each process with its attachments, in address order */
	cr_expect(strstr(buf, "  P2          1001     0  blocked in semop on sem 0\n"
	                      "      shm 1 at 0x7effffffc000-0x7efffffff000 ro\n"
	                      "      shm 0 at 0x7efffffff000-0x7f0000000000 rw\n"), "%s", buf);
	/* the stored long as a number, the untouched rest summed up */
	cr_expect(strstr(buf, "  @0        long 42  (stored by P1)\n"
	                      "  @8-4095   zeros\n"), "%s", buf);
	cr_expect(strstr(buf, "  @0-9999   zeros, nothing written yet\n"), "%s", buf);
	cr_expect(strstr(buf, "freed at last detach") != NULL, "%s", buf);
	cr_expect(strstr(buf, "== Semaphore sets (1) ==") != NULL, "%s", buf);
	cr_expect(strstr(buf, "  asleep: P2 (1001) semop [{1, -1, 0}]\n"), "%s", buf);
	cr_expect(strstr(buf, "  undo:   P1 (1000) #0 +1\n"), "%s", buf);
	cr_expect(strstr(buf, "blocked in semop on sem 0") != NULL, "%s", buf);
	for (const char *p = buf; (p = strstr(p, " \n")); p++)
		cr_expect_fail("trailing blank at offset %td", p - buf);
	free(buf);
	sim_kernel_free(&k);
}
