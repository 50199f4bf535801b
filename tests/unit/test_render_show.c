/*
 * test_render_show.c - the `show` diagram: within 80 columns for a busy
 * state, deterministic, and saying what the kernel holds.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../lib/render_fixture.h"

static char *show(const struct sim_kernel *k, int color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	cr_assert_not_null(out);
	render_show(out, k, &render_fixture_names, color);
	fclose(out);
	return buf;
}

/* Many queues and messages, a blocked receiver and sender, an exited and a
 * killed process, a fixed pool. */
static struct sim_kernel *busy_kernel(void)
{
	struct sim_kernel *k = sim_kernel_new();
	struct sim_msgbuf got = { 0 };
	int p1 = sim_proc_new(k, 1000, 1000, 0), p2 = sim_proc_new(k, 1000, 1000, 0);
	int p3 = sim_proc_new(k, 0, 0, SIM_CAP_ALL), p4 = sim_proc_new(k, 1000, 1000, 0);
	int p5 = sim_proc_new(k, 4242, 4242, 0);
	char text[200];

	memset(text, 'x', sizeof(text));
	text[sizeof(text) - 1] = '\0';
	cr_assert_eq(sim_limit_set(k, "msgpool", 65536), 0);
	for (int q = 0; q < 6; q++) {
		long id = sim_msgget(k, p1, q == 0 ? IPC_PRIVATE : 0x1000 + q, IPC_CREAT | 0640);
		cr_assert_eq(id, q);
		for (int m = 0; m < 40; m++)
			render_fixture_send(k, p1, q, 100000 + m, text, (size_t)(1 + (m * 37) % 190));
	}
	/* holes in the data area */
	for (int m = 0; m < 10; m++) {
		cr_assert_geq(sim_msgrcv(k, p2, 2, &got, 512, 100000 + 3 * m, 0), 0);
		sim_msgbuf_release(&got);
	}
	cr_assert_eq(sim_msgrcv(k, p2, 3, &got, 512, 7, 0), SIM_BLOCKED);
	cr_assert_eq(sim_kill(k, p3, p5, SIGKILL), 0);
	cr_assert_eq(sim_exit(k, p3, 0), 0);
	(void)p4;
	return k;
}

Test(show, busy_state_fits_in_80_columns_and_is_deterministic)
{
	struct sim_kernel *k = busy_kernel();
	char *a = show(k, 0), *b = show(k, 0), *c = show(k, 1);

	cr_expect_leq(render_fixture_max_width(a), 80, "%s", a);
	cr_expect_leq(render_fixture_max_width(c), 80, "colour adds no width");
	cr_expect_str_eq(a, b);
	cr_expect(strstr(a, "== Message queues (6) ==") != NULL, "%s", a);
	cr_expect(strstr(a, "== Kernel data area:") != NULL);
	cr_expect(strstr(a, "fixed pool 65536 B") != NULL, "%s", a);
	cr_expect(strstr(a, "== Processes (5) ==") != NULL);
	cr_expect(strstr(a, "blocked in msgrcv on q 3") != NULL, "%s", a);
	cr_expect(strstr(a, "asleep: P2 (1001) msgrcv type 7, buffer 512 B") != NULL, "%s", a);
	cr_expect(strstr(a, "exited 0") != NULL);
	cr_expect(strstr(a, "killed by SIGKILL") != NULL);
	cr_expect(strstr(a, "one cell = ") != NULL, "many units are grouped: %s", a);
	cr_expect(strstr(a, "\033[") == NULL, "no colour unless asked");
	cr_expect(strstr(c, "\033[") != NULL, "colour when asked");
	for (const char *p = a; (p = strstr(p, " \n")); p++)
		cr_expect_fail("trailing blank at offset %td", p - a);
	free(a);
	free(b);
	free(c);
	sim_kernel_free(&k);
}

Test(show, small_state_reads_as_a_picture)
{
	struct sim_kernel *k = render_fixture_mk();
	char *a = show(k, 0);

	/* the received type-2 text freed u2; q1's message took it (first fit);
	 * empty sections are left out */
	cr_expect_str_eq(a,
	        "== Message queues (2) =========================================================\n"
	        "  key         msqid owner    perms   qnum cbytes qbytes lspid lrpid\n"
	        "  0x00001234      0 root     0666      2     12  16384  1000  1000\n"
	        "  0x00000000      1 root     0600      1      3  16384  1000     0\n"
	        "-- q 0 (key 0x00001234): 2 messages, 12 bytes ---------------------------------\n"
	        "  head -> [A 300 \"hello\" 5 B @u0] -> [B 1 \"world!!\" 7 B @u1] -> NULL\n"
	        "-- q 1 (key 0x00000000): 1 message, 3 bytes -----------------------------------\n"
	        "  head -> [a 5 \"abc\" 3 B @u2] -> NULL\n"
	        "== Kernel data area: 64 units of 16 B, 3 used, grows ==========================\n"
	        "       0 |ABa.............................................................|\n"
	        "  free: u3-63 (61)\n"
	        "== Processes (1) ==============================================================\n"
	        "  name         pid   uid  state\n"
	        "  P1          1000     0  running\n");
	free(a);
	sim_kernel_free(&k);
}

Test(show, empty_kernel_says_so_in_one_line)
{
	struct sim_kernel *k = sim_kernel_new();
	char *a = show(k, 0);

	cr_expect_str_eq(a, "  (nothing yet: no IPC objects, no processes)\n");
	free(a);
	sim_kernel_free(&k);
}

Test(show, empty_sections_are_left_out)
{
	struct sim_kernel *k = sim_kernel_new();
	int p1 = sim_proc_new(k, 1000, 1000, 0);
	char *a;

	cr_assert_eq(sim_semget(k, p1, IPC_PRIVATE, 1, 0600), 0);
	a = show(k, 0);
	cr_expect(strstr(a, "== Semaphore sets (1) ==") != NULL, "%s", a);
	cr_expect(strstr(a, "== Processes (1) ==") != NULL, "%s", a);
	cr_expect(strstr(a, "Message queues") == NULL, "no queues, no section: %s", a);
	cr_expect(strstr(a, "Kernel data area") == NULL, "no queues, no data area: %s", a);
	cr_expect(strstr(a, "Shared memory") == NULL, "%s", a);
	cr_expect(strstr(a, "(none)") == NULL, "%s", a);
	free(a);
	sim_kernel_free(&k);
}

/* A record keeps its label for its whole life: after the first message is
 * received, the second is still B, in its chain and in the strip. */
Test(show, record_labels_are_stable_across_receives)
{
	struct sim_kernel *k = sim_kernel_new();
	int p1 = sim_proc_new(k, 1000, 1000, 0);
	struct sim_msgbuf got = { 0 };
	char *before, *after;

	cr_assert_eq(sim_msgget(k, p1, IPC_PRIVATE, 0600), 0);
	render_fixture_send(k, p1, 0, 1, "first", 6);
	render_fixture_send(k, p1, 0, 2, "second", 7);
	before = show(k, 0);
	cr_expect(strstr(before, "[B 2 \"second\" 7 B @u1]") != NULL, "%s", before);
	cr_assert_eq(sim_msgrcv(k, p1, 0, &got, 64, 0, 0), 6);
	sim_msgbuf_release(&got);
	render_fixture_send(k, p1, 0, 3, "third", 6);
	after = show(k, 0);
	cr_expect(strstr(after, "head -> [B 2 \"second\" 7 B @u1] -> [C 3 \"third\" 6 B @u0]"),
	          "B is still the second message, the new one is C: %s", after);
	cr_expect(strstr(after, "|CB....") != NULL, "the strip names them the same: %s", after);
	free(before);
	free(after);
	sim_kernel_free(&k);
}
