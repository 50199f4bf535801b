/*
 * render_fixture.c - see render_fixture.h.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "render_fixture.h"

static const char *fixture_user(void *ctx, unsigned uid)
{
	return uid == 0 ? "root" : uid == 1000 ? "user" : NULL;
}

static const char *fixture_group(void *ctx, unsigned gid)
{
	return gid == 0 ? "root" : gid == 1000 ? "user" : NULL;
}

static const char *fixture_proc(void *ctx, int pid)
{
	static const char *const names[] = { "P1", "P2", "P3", "P4", "P5", "P6" };
	int i = pid - SIM_FIRST_PID;
	return i >= 0 && i < 6 ? names[i] : NULL;
}

const struct scenario_names render_fixture_names = {
	fixture_user, fixture_group, fixture_proc, NULL,
};

void render_fixture_send(struct sim_kernel *k, int pid, int id, long mtype,
                         const char *text, size_t size)
{
	struct sim_msgbuf m = { mtype, strlen(text), (unsigned char *)text };
	long rc = sim_msgsnd(k, pid, id, &m, size, IPC_NOWAIT);
	cr_assert_eq(rc, 0, "msgsnd(%d, type %ld, %zu B) = %ld", id, mtype, size, rc);
}

struct sim_kernel *render_fixture_mk(void)
{
	struct sim_kernel *k = sim_kernel_new();
	struct sim_msgbuf got = { 0 };
	int pid;
	long q0, q1, rc;

	cr_assert_not_null(k);
	pid = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	cr_assert_eq(pid, SIM_FIRST_PID);
	q0 = sim_msgget(k, pid, 0x1234, IPC_CREAT | 0666);
	cr_assert_eq(q0, 0);
	render_fixture_send(k, pid, (int)q0, 300, "hello", 5);
	render_fixture_send(k, pid, (int)q0, 1, "world!!", 7);
	render_fixture_send(k, pid, (int)q0, 2, "world!!", 7);
	rc = sim_msgrcv(k, pid, (int)q0, &got, 100, 2, 0);
	cr_assert_eq(rc, 7);
	sim_msgbuf_release(&got);
	q1 = sim_msgget(k, pid, IPC_PRIVATE, 0600);
	cr_assert_eq(q1, 1);
	render_fixture_send(k, pid, (int)q1, 5, "abc", 3);
	return k;
}

char *render_fixture_run(struct sim_kernel *k, unsigned uid, const char *cmdline, int *status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	cr_assert_not_null(out);
	*status = shell_run(k, &render_fixture_names, uid, uid, uid == 0 ? SIM_CAP_ALL : 0,
	                           cmdline, out);
	fclose(out);
	return buf;
}

size_t render_fixture_max_width(const char *text)
{
	size_t max = 0, col = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '\033') { /* CSI ... letter */
			while (*p && !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
				p++;
			if (!*p)
				break;
			continue;
		}
		if (*p == '\n') {
			col = 0;
			continue;
		}
		if (++col > max)
			max = col;
	}
	return max;
}
