/*
 * test_shell_host.c - the simulated shell commands against the real ones.
 *
 * A forked child enters a private IPC namespace (unshare(CLONE_NEWIPC); the
 * host's own objects are never touched), builds the captured queues with
 * the real msgget/msgsnd/msgrcv and runs the real ipcs, ipcrm, sysctl and cat
 * with TZ=UTC LC_ALL=C, writing each output and exit status to a temporary
 * file.  The parent builds the same state in the simulator and runs the same
 * command lines through shell_run.  Pids and times differ by nature:
 * the host's are mapped to the simulator's (same printf widths, so columns
 * are still compared), everything else must match byte for byte.
 *
 * If the namespace cannot be created the test fails, saying so: a skipped
 * cross-check would look like a passing one.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ipcsim/kernel.h"
#include "ipcsim/shell.h"
#include "shell/shell_int.h"

struct step {
	const char *cmd;  /* the command line, for both sides */
	unsigned uid;     /* 0, or run as this uid (host: via setpriv) */
};

/* In order: later steps see what earlier ones changed, on both sides. */
static const struct step steps[] = {
	{ "ipcs", 0 },
	{ "ipcs -q", 0 },
	{ "ipcs -q -c", 0 },
	{ "ipcs -q -p", 0 },
	{ "ipcs -q -t", 0 },
	{ "ipcs -l", 0 },
	{ "ipcs -l --bytes", 0 },
	{ "ipcs -l --human", 0 },
	{ "ipcs -u", 0 },
	{ "ipcs -c", 0 },
	{ "ipcs -p", 0 },
	{ "ipcs -t", 0 },
	{ "ipcs -q --human", 0 },
	{ "ipcs -q -i 0", 0 },
	{ "ipcs -q -i 1", 0 },
	{ "ipcs -q -i 1", 65534 },
	{ "ipcs -q -i 9", 0 },
	{ "ipcs -i 0", 0 },
	{ "ipcs -m -i 0", 0 },
	{ "cat /proc/sysvipc/msg", 0 },
	{ "cat /proc/sysvipc/shm", 0 },
	{ "cat /proc/sysvipc/sem", 0 },
	{ "cat /proc/sys/kernel/msgmax", 0 },
	{ "cat /proc/sys/kernel/sem", 0 },
	{ "cat /proc/sys/kernel/shmall", 0 },
	{ "cat /proc/nonexistent", 0 },
	{ "sysctl kernel.msgmax", 0 },
	{ "sysctl kernel.sem", 0 },
	{ "sysctl kernel.shmmax kernel.msgmni", 0 },
	{ "sysctl kernel.foo", 0 },
	{ "sysctl -w kernel.msgmnb=5", 65534 },
	{ "sysctl -w kernel.msgmax=100", 0 },
	{ "sysctl -w kernel.msgmax=abc", 0 },
	{ "sysctl -w kernel.msgmni=40000", 0 },
	{ "ipcs -l -q", 0 },
	{ "ipcrm -q 7", 0 },
	{ "ipcrm -Q 0x999", 0 },
	{ "ipcrm -Q 0", 0 },
	{ "ipcrm -q abc", 0 },
	{ "ipcrm -m 3", 0 },
	{ "ipcrm -S 0x5", 0 },
	{ "ipcrm -q 0", 65534 },
	{ "ipcrm -v -Q 0x1234", 0 },
	{ "ipcs -q", 0 },
	{ "ipcrm msg 1", 0 },
	{ "ipcs -u -q", 0 },
	{ "ipcrm", 0 },
};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

struct result {
	char *text;
	int status;
};

/* ---- the host side (runs in the child) ----------------------------------- */

struct hostmsg {
	long mtype;
	char mtext[64];
};

static int host_send(int q, long type, const char *text, size_t size)
{
	struct hostmsg m = { .mtype = type };
	memcpy(m.mtext, text, strlen(text));
	return msgsnd(q, &m, size, IPC_NOWAIT);
}

/* The captured state "mk", queues only: the same as the simulated state below. */
static int host_build(void)
{
	struct hostmsg got;
	int q0 = msgget(0x1234, IPC_CREAT | IPC_EXCL | 0666);
	if (q0 != 0)
		return -1;
	if (host_send(q0, 300, "hello", 5) || host_send(q0, 1, "world!!", 7) ||
	    host_send(q0, 2, "world!!", 7))
		return -1;
	if (msgrcv(q0, &got, sizeof(got.mtext), 2, IPC_NOWAIT) != 7)
		return -1;
	int q1 = msgget(IPC_PRIVATE, 0600);
	if (q1 != 1 || host_send(q1, 5, "abc", 3))
		return -1;
	return 0;
}

static void host_child(FILE *res)
{
	long t0, t1;

	if (unshare(CLONE_NEWIPC) != 0) {
		fprintf(res, "unshare(CLONE_NEWIPC) failed: %s\n", strerror(errno));
		fflush(res);
		_exit(3);
	}
	t0 = (long)time(NULL);
	if (host_build() != 0) {
		fprintf(res, "building the queues failed: %s\n", strerror(errno));
		fflush(res);
		_exit(4);
	}
	t1 = (long)time(NULL);
	fprintf(res, "%d %ld %ld\n", (int)getpid(), t0, t1);

	for (size_t i = 0; i < NSTEPS; i++) {
		char cmd[512], *buf = NULL;
		size_t len = 0, n;
		char chunk[4096];
		FILE *p;

		if (steps[i].uid)
			snprintf(cmd, sizeof(cmd),
			         "TZ=UTC LC_ALL=C setpriv --reuid=%u --regid=%u --clear-groups %s 2>&1",
			         steps[i].uid, steps[i].uid, steps[i].cmd);
		else
			snprintf(cmd, sizeof(cmd), "TZ=UTC LC_ALL=C %s 2>&1", steps[i].cmd);
		fflush(res);
		p = popen(cmd, "r");
		if (!p)
			_exit(5);
		while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
			buf = realloc(buf, len + n + 1);
			memcpy(buf + len, chunk, n);
			len += n;
		}
		int st = pclose(p);
		fprintf(res, "%d %zu\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128, len);
		if (len)
			fwrite(buf, 1, len, res);
		free(buf);
	}
	fflush(res);
	_exit(0);
}

/* ---- mapping host pids and times to the simulator's ----------------------- */

static void replace_all(char **s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to);
	char *p = *s;

	if (fl == 0)
		return;
	while ((p = strstr(p, from))) {
		size_t off = (size_t)(p - *s), len = strlen(*s);
		char *ns = malloc(len - fl + tl + 1);
		memcpy(ns, *s, off);
		memcpy(ns + off, to, tl);
		strcpy(ns + off + tl, p + fl);
		free(*s);
		*s = ns;
		p = ns + off + tl;
	}
}

static void normalize(char **text, int hostpid, long t0, long t1)
{
	char from[64], to[64];

	/* pids: printed as " %5d" (ipcs -p, /proc) or "pid=%d" (ipcs -i) */
	snprintf(from, sizeof(from), " %5d", hostpid);
	snprintf(to, sizeof(to), " %5d", SIM_FIRST_PID);
	replace_all(text, from, to);
	snprintf(from, sizeof(from), "pid=%d\t", hostpid);
	snprintf(to, sizeof(to), "pid=%d\t", SIM_FIRST_PID);
	replace_all(text, from, to);
	snprintf(from, sizeof(from), "pid=%d\n", hostpid);
	snprintf(to, sizeof(to), "pid=%d\n", SIM_FIRST_PID);
	replace_all(text, from, to);

	/* times: full ctime, ctime+4 cut to 15, epoch seconds */
	for (long t = t0; t <= t1; t++) {
		char hc[32], sc[32];
		shell_ctime(t, hc);
		shell_ctime(SIM_EPOCH, sc);
		replace_all(text, hc, sc);
		hc[4 + 15] = sc[4 + 15] = '\0';
		replace_all(text, hc + 4, sc + 4);
		snprintf(from, sizeof(from), " %10ld", t);
		snprintf(to, sizeof(to), " %10ld", SIM_EPOCH);
		replace_all(text, from, to);
	}
}

/* ---- the simulated side ---------------------------------------------------- */

static const char *sim_user(void *ctx, unsigned uid)
{
	return uid == 0 ? "root" : NULL;
}

static const char *sim_group(void *ctx, unsigned gid)
{
	return gid == 0 ? "root" : NULL;
}

static const struct scenario_names names = { sim_user, sim_group, NULL, NULL };

static struct sim_kernel *sim_build(void)
{
	struct sim_kernel *k = sim_kernel_new();
	struct sim_msgbuf got = { 0 };
	int pid = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	struct sim_msgbuf m[4] = {
		{ 300, 5, (unsigned char *)"hello" }, { 1, 7, (unsigned char *)"world!!" },
		{ 2, 7, (unsigned char *)"world!!" }, { 5, 3, (unsigned char *)"abc" },
	};

	cr_assert_eq(sim_msgget(k, pid, 0x1234, IPC_CREAT | IPC_EXCL | 0666), 0);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(sim_msgsnd(k, pid, 0, &m[i], m[i].len, IPC_NOWAIT), 0);
	cr_assert_eq(sim_msgrcv(k, pid, 0, &got, 64, 2, IPC_NOWAIT), 7);
	sim_msgbuf_release(&got);
	cr_assert_eq(sim_msgget(k, pid, IPC_PRIVATE, 0600), 1);
	cr_assert_eq(sim_msgsnd(k, pid, 1, &m[3], 3, IPC_NOWAIT), 0);
	return k;
}

static struct result sim_run(struct sim_kernel *k, const struct step *s)
{
	struct result r = { NULL, 0 };
	size_t len = 0;
	FILE *out = open_memstream(&r.text, &len);

	cr_assert_not_null(out);
	r.status = shell_run(k, &names, s->uid, s->uid, s->uid ? 0 : SIM_CAP_ALL, s->cmd, out);
	fclose(out);
	return r;
}

Test(shell_host, simulated_commands_print_what_the_real_ones_print, .timeout = 60)
{
	FILE *res = tmpfile();
	int hostpid, st;
	long t0, t1;
	pid_t child;
	char line[256];

	cr_assert_not_null(res, "tmpfile: %s", strerror(errno));
	fflush(NULL);
	child = fork();
	cr_assert_neq(child, -1, "fork: %s", strerror(errno));
	if (child == 0)
		host_child(res);
	cr_assert_eq(waitpid(child, &st, 0), child);
	rewind(res);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char *msg = fgets(line, sizeof(line), res);
		cr_assert_fail("host side failed (status %d): %s", st,
		               msg ? msg : "no message (tools missing?)");
	}
	cr_assert(fgets(line, sizeof(line), res) && sscanf(line, "%d %ld %ld", &hostpid, &t0, &t1) == 3,
	          "host header: %s", line);

	struct sim_kernel *k = sim_build();
	for (size_t i = 0; i < NSTEPS; i++) {
		size_t len;
		int status;
		struct result sim;
		char *host;

		cr_assert(fgets(line, sizeof(line), res) && sscanf(line, "%d %zu", &status, &len) == 2,
		          "host record %zu", i);
		host = calloc(1, len + 1);
		cr_assert_eq(fread(host, 1, len, res), len);
		normalize(&host, hostpid, t0, t1);
		sim = sim_run(k, &steps[i]);
		cr_expect_str_eq(sim.text, host, "$ %s (uid %u)\n--- simulated ---\n%s--- real ---\n%s",
		                 steps[i].cmd, steps[i].uid, sim.text, host);
		cr_expect_eq(sim.status, status, "$ %s (uid %u): exit %d, real %d", steps[i].cmd,
		             steps[i].uid, sim.status, status);
		free(sim.text);
		free(host);
	}
	sim_kernel_free(&k);
	fclose(res);
}
