/*
 * test_render_marks.c - render_draw against an earlier drawing (a
 * render_memo): what a step created, changed or removed is marked `+`, `~`,
 * `-` in the first column, without colour too; the changes-only view; the
 * cut to a number of rows; the process panel with each process's variables.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../lib/render_fixture.h"

/* Variables as an interpreter would give them: P1 bound q, P2 bound c. */
static void fake_vars(void *ctx, int pid, void (*cb)(void *, const char *, const char *),
                      void *cbctx)
{
	const char *c = ctx;

	if (pid == 1000) {
		cb(cbctx, "q", "0");
		cb(cbctx, "balance", "0x7efffffff000");
	} else if (pid == 1001) {
		cb(cbctx, "c", c);
	}
}

static const struct render_vars vars_100 = { fake_vars, "100" };

static char *draw(const struct sim_kernel *k, const struct render_memo *since,
                  enum render_mode mode, int color, int rows, int *lines)
{
	struct render_opts o = { &render_fixture_names, &vars_100, color, mode, since, rows };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int n;

	cr_assert_not_null(out);
	n = render_draw(out, k, &o);
	fclose(out);
	if (lines != NULL)
		*lines = n;
	return buf;
}

static void take(struct render_memo *m, const struct sim_kernel *k)
{
	struct render_opts o = { &render_fixture_names, &vars_100, 0, RENDER_FULL, NULL, 0 };

	cr_assert_eq(render_memo_take(m, k, &o), 0);
}

static void expect_line(const char *text, const char *line)
{
	cr_expect(strstr(text, line) != NULL, "expected the line \"%s\" in:\n%s", line, text);
}

static int count_lines(const char *text)
{
	int n = 0;

	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* A queue with two messages, a segment, a semaphore set, two processes. */
static struct sim_kernel *mk(int *p1, int *p2, long *addr)
{
	struct sim_kernel *k = sim_kernel_new();

	*p1 = sim_proc_new(k, 1000, 1000, 0);
	*p2 = sim_proc_new(k, 1000, 1000, 0);
	cr_assert_eq(sim_msgget(k, *p1, IPC_PRIVATE, 0600), 0);
	render_fixture_send(k, *p1, 0, 1, "one", 4);
	render_fixture_send(k, *p1, 0, 2, "two", 4);
	cr_assert_eq(sim_shmget(k, *p1, IPC_PRIVATE, 4096, 0600), 0);
	*addr = sim_shmat(k, *p1, 0, 0, 0);
	cr_assert_gt(*addr, 0);
	cr_assert_eq(sim_mem_store(k, *p1, *addr, 100), 0);
	cr_assert_eq(sim_semget(k, *p1, IPC_PRIVATE, 1, 0600), 0);
	return k;
}

Test(marks, created_changed_and_removed_are_marked_without_colour)
{
	int p1, p2;
	long a;
	struct sim_kernel *k = mk(&p1, &p2, &a);
	struct render_memo *m = render_memo_new();
	struct sim_msgbuf got = { 0 };
	char *t;

	take(m, k);
	/* one step's worth of change of each kind */
	cr_assert_eq(sim_msgrcv(k, p2, 0, &got, 64, 1, 0), 4);       /* A taken */
	sim_msgbuf_release(&got);
	render_fixture_send(k, p1, 0, 3, "three", 6);                /* C came */
	cr_assert_eq(sim_mem_store(k, p1, a, 150), 0);               /* balance changed */
	cr_assert_eq(sim_msgget(k, p1, IPC_PRIVATE, 0600), 1);       /* q 1 created */
	cr_assert_eq(sim_semctl(k, p1, 0, 0, IPC_RMID, NULL), 0);     /* the set removed */
	t = draw(k, m, RENDER_FULL, 0, 0, NULL);
	expect_line(t, "\n+ 0x00000000      1 user     0600      0      0  16384     0     0\n");
	expect_line(t, "\n~ head -> -[A 1 \"one\" 4 B @u0] -> [B 2 \"two\" 4 B @u1]"
	               " -> +[C 3 \"three\" 6 B @u0]\n"
	               "~     -> NULL\n"); /* a wrapped line is marked as its first */
	expect_line(t, "\n~ @0        long 150  (stored by P1)\n");
	expect_line(t, "\n~      0 |CB....");
	/* the set is drawn once more, under its section's title */
	expect_line(t, "== Semaphore sets (1) ==");
	expect_line(t, "\n- 0x00000000      0 user     0600     1\n");
	expect_line(t, "\n- 0         0     0     0     0\n");
	/* what did not change keeps its two blanks */
	expect_line(t, "\n  P2          1001  1000  running                 c=100\n");
	expect_line(t, "\n  @8-4095   zeros\n");
	cr_expect(strstr(t, "\033[") == NULL, "no colour: the marks alone say it");
	cr_expect_leq(render_fixture_max_width(t), 80, "%s", t);
	free(t);
	render_memo_free(&m);
	cr_assert_null(m);
	render_memo_free(&m);
	sim_kernel_free(&k);
}

Test(marks, colour_repeats_the_marks)
{
	int p1, p2;
	long a;
	struct sim_kernel *k = mk(&p1, &p2, &a);
	struct render_memo *m = render_memo_new();
	char *t;

	take(m, k);
	cr_assert_eq(sim_mem_store(k, p1, a, 150), 0);
	cr_assert_eq(sim_msgget(k, p1, IPC_PRIVATE, 0600), 1);
	t = draw(k, m, RENDER_FULL, 1, 0, NULL);
	expect_line(t, "\033[33m~ @0        long 150  (stored by P1)\033[0m\n");
	expect_line(t, "\033[32m+ 0x00000000      1 user");
	expect_line(t, "\n  P2          1001"); /* unchanged: not coloured */
	cr_expect_leq(render_fixture_max_width(t), 80, "%s", t);
	free(t);
	render_memo_free(&m);
	sim_kernel_free(&k);
}

Test(marks, the_changes_view_draws_only_what_changed)
{
	int p1, p2, n;
	long a;
	struct sim_kernel *k = mk(&p1, &p2, &a);
	struct render_memo *m = render_memo_new();
	char *t;

	take(m, k);
	t = draw(k, m, RENDER_CHANGES, 0, 0, &n);
	cr_expect_str_eq(t, "", "nothing changed, nothing drawn");
	cr_expect_eq(n, 0);
	free(t);
	cr_assert_eq(sim_mem_store(k, p1, a, 150), 0);
	t = draw(k, m, RENDER_CHANGES, 0, 0, &n);
	cr_expect_str_eq(t,
	        "== Shared memory (1) ==========================================================\n"
	        "  key         shmid owner    perms      bytes pages nattch status\n"
	        "-- shm 0 (key 0x00000000): 4096 bytes, 1 page ---------------------------------\n"
	        "~ @0        long 150  (stored by P1)\n");
	cr_expect_eq(n, 4);
	free(t);
	render_memo_free(&m);
	sim_kernel_free(&k);
}

Test(marks, a_drawing_fits_its_rows_and_keeps_every_mark)
{
	int p1, p2, n, full;
	long a;
	struct sim_kernel *k = mk(&p1, &p2, &a);
	struct render_memo *m = render_memo_new();
	char *t, *all;

	cr_assert_eq(sim_semop(k, p2, 0, (struct ipcsim_sembuf[]){ { 0, -1, 0 } }, 1), SIM_BLOCKED);
	take(m, k);
	cr_assert_eq(sim_mem_store(k, p1, a, 150), 0);
	all = draw(k, m, RENDER_FULL, 0, 0, &full);
	cr_assert_gt(full, 14, "%s", all);
	t = draw(k, m, RENDER_FULL, 0, 14, &n);
	cr_expect_leq(n, 14, "%s", t);
	cr_expect_eq(count_lines(t), n);
	expect_line(t, "~ @0        long 150  (stored by P1)\n");
	expect_line(t, "  asleep: P2 (1001) semop [{0, -1, 0}]\n");
	expect_line(t, "  P2          1001  1000  blocked in semop on sem 0 c=100\n");
	expect_line(t, "== Processes (2) ==");
	expect_line(t, "more lines: a taller terminal shows them\n");
	cr_expect(strstr(t, "  key ") == NULL, "column titles go first: %s", t);
	free(t);
	free(all);
	render_memo_free(&m);
	sim_kernel_free(&k);
}

Test(panel, each_process_with_its_variables_and_attachments)
{
	int p1, p2;
	long a;
	struct sim_kernel *k = mk(&p1, &p2, &a);
	char *t;

	cr_assert_eq(sim_shmat(k, p2, 0, 0, SHM_RDONLY), a);
	t = draw(k, NULL, RENDER_FULL, 0, 0, NULL);
	cr_expect_str_eq(strstr(t, "== Processes"),
	        "== Processes (2) ==============================================================\n"
	        "  name         pid   uid  state                   variables\n"
	        "  P1          1000  1000  running                 q=0 balance=0x7efffffff000\n"
	        "      shm 0 at 0x7efffffff000-0x7f0000000000 rw\n"
	        "  P2          1001  1000  running                 c=100\n"
	        "      shm 0 at 0x7efffffff000-0x7f0000000000 ro\n");
	free(t);
	sim_kernel_free(&k);
}

/* A change inside a process (an attachment gone) is drawn under the line
 * that says which process it is. */
Test(marks, the_changes_view_names_the_object_a_change_belongs_to)
{
	int p1, p2;
	long a;
	struct sim_kernel *k = mk(&p1, &p2, &a);
	struct render_memo *m = render_memo_new();
	char *t;

	take(m, k);
	cr_assert_eq(sim_shmdt(k, p1, (unsigned long)a), 0);
	t = draw(k, m, RENDER_CHANGES, 0, 0, NULL);
	cr_expect_str_eq(strstr(t, "== Processes"),
	        "== Processes (2) ==============================================================\n"
	        "  name         pid   uid  state                   variables\n"
	        "  P1          1000  1000  running                 q=0 balance=0x7efffffff000\n"
	        "-     shm 0 at 0x7efffffff000-0x7f0000000000 rw\n");
	free(t);
	render_memo_free(&m);
	sim_kernel_free(&k);
}
