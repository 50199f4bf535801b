/*
 * test_host_backend.c - the host backend (backend_host_new) driven
 * directly, without the interpreter: real syscalls in a private IPC
 * namespace, with the answers Linux gives (docs/linux-semantics.md), the blocking
 * and wake-up events, processes (fork, kill, signals, users), limits, the
 * shell, and that nothing is left behind: no process, no queue, no limit
 * changed in the machine's namespace.
 *
 * If the namespace cannot be made (no CAP_SYS_ADMIN), every test fails
 * and says so: the host backend is not optional for `ipcsim check`.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ipcsim/host.h"
#include "ipcsim/kernel.h"
#include "ipcsim/shell.h"

static struct backend *new_host(void)
{
	char err[256];
	struct backend *b = backend_host_new(NULL, err, sizeof(err));

	cr_assert_not_null(b, "the host backend could not be made: %s", err);
	return b;
}

static int new_proc(struct backend *b, unsigned uid, unsigned gid, unsigned caps)
{
	struct backend_creds c = { uid, gid, caps };
	int pid = -1;

	cr_assert_eq(b->ops->proc_new(b->ctx, &c, &pid), 0, "proc_new uid %u failed", uid);
	return pid;
}

static void assert_ok(const struct backend_result *r, long ret, const char *what)
{
	cr_assert_eq(r->blocked, 0, "%s: blocked, expected = %ld", what, ret);
	cr_assert_eq(r->ret, ret, "%s: = %ld (errno %d), expected = %ld", what, r->ret, r->err,
	             ret);
}

static void assert_err(const struct backend_result *r, int err, const char *what)
{
	cr_assert_eq(r->blocked, 0, "%s: blocked, expected -1 %s", what, strerrorname_np(err));
	cr_assert(r->ret == -1 && r->err == err, "%s: = %ld %s, expected -1 %s", what, r->ret,
	          r->err ? strerrorname_np(r->err) : "", strerrorname_np(err));
}

static long host_msgget(struct backend *b, int pid, long key, int flags)
{
	struct backend_result r;

	cr_assert_eq(b->ops->msgget(b->ctx, pid, key, flags, &r), 0);
	cr_assert_geq(r.ret, 0, "msgget(%#lx) = -1 errno %d", key, r.err);
	return r.ret;
}

static void send_text(struct backend *b, int pid, int q, long mtype, const char *text,
                      int flags, struct backend_result *r)
{
	struct backend_msg m = { mtype, (unsigned char *)text, strlen(text) };

	cr_assert_eq(b->ops->msgsnd(b->ctx, pid, q, &m, strlen(text), flags, r), 0);
}

static void recv_msg(struct backend *b, int pid, int q, long type, int flags,
                     struct backend_result *r)
{
	cr_assert_eq(b->ops->msgrcv(b->ctx, pid, q, BACKEND_BUF_VALID, 512, type, flags, r), 0);
}

/* The one event the last step produced. */
static void one_event(struct backend *b, struct backend_event *ev)
{
	struct backend_event extra;

	cr_assert_eq(b->ops->event_next(b->ctx, ev), 1, "expected an event after the step");
	cr_assert_eq(b->ops->event_next(b->ctx, &extra), 0, "expected only one event");
}

static void no_event(struct backend *b)
{
	struct backend_event ev;

	cr_assert_eq(b->ops->event_next(b->ctx, &ev), 0, "unexpected event kind %d pid %d",
	             ev.kind, ev.pid);
}

/* Queues in this process's (the machine's) namespace. */
static int machine_queue_count(void)
{
	FILE *f = fopen("/proc/sysvipc/msg", "r");
	char line[512];
	int n = -1;

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		n++;
	fclose(f);
	return n;
}

/* Every process below this one (children, grandchildren, ...). */
static int descendants(pid_t *out, int max)
{
	FILE *pm = fopen("/proc/sys/kernel/pid_max", "r");
	int pid_max = 4194304, n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t *ppid_of;

	if (pm != NULL) {
		if (fscanf(pm, "%d", &pid_max) != 1)
			pid_max = 4194304;
		fclose(pm);
	}
	ppid_of = calloc((size_t)pid_max + 1, sizeof(*ppid_of));
	cr_assert_not_null(ppid_of);
	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[64], buf[512], *paren;
		int pid = atoi(e->d_name), ppid;
		FILE *f;

		if (pid <= 0 || pid > pid_max)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(buf, sizeof(buf), f) != NULL && (paren = strrchr(buf, ')')) != NULL &&
		    sscanf(paren + 2, "%*c %d", &ppid) == 1)
			ppid_of[pid] = ppid;
		fclose(f);
	}
	closedir(d);
	for (int pid = 1; pid <= pid_max; pid++) {
		for (int a = ppid_of[pid], hops = 0; a > 0 && hops < 64; a = ppid_of[a], hops++) {
			if (a == getpid()) {
				if (n < max)
					out[n++] = pid;
				break;
			}
		}
	}
	free(ppid_of);
	return n;
}

static long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000L;
}

/* ---- calls and errno as Linux gives them -------------------------------- */

Test(host_backend, msg_calls_answer_as_linux_in_a_fresh_namespace)
{
	struct backend *b = new_host();
	int p = new_proc(b, 1000, 1000, 0);
	struct backend_result r;
	struct backend_msg big = { 1, NULL, 0 };
	long q;

	q = host_msgget(b, p, 0x1234, IPC_CREAT | 0666);
	cr_expect_eq(q, 0, "the first queue of a fresh namespace is id 0, got %ld", q);
	b->ops->msgget(b->ctx, p, 0x1234, IPC_CREAT | IPC_EXCL | 0666, &r);
	assert_err(&r, EEXIST, "msgget IPC_EXCL of an existing key");
	b->ops->msgget(b->ctx, p, 0x9999, 0, &r);
	assert_err(&r, ENOENT, "msgget of an absent key");
	send_text(b, p, (int)q, 300, "hello", 0, &r);
	assert_ok(&r, 0, "msgsnd");
	recv_msg(b, p, (int)q, 0, IPC_NOWAIT, &r);
	assert_ok(&r, 5, "msgrcv");
	cr_assert(r.has_msg && r.msg.mtype == 300 && r.msg.len == 5 &&
	          memcmp(r.msg.text, "hello", 5) == 0, "msgrcv gave the wrong message");
	backend_result_release(&r);
	recv_msg(b, p, (int)q, 0, IPC_NOWAIT, &r);
	assert_err(&r, ENOMSG, "msgrcv IPC_NOWAIT on an empty queue");
	b->ops->msgsnd(b->ctx, p, (int)q, &big, 8193, 0, &r);
	assert_err(&r, EINVAL, "msgsnd of 8193 bytes (msgmax 8192)");
	b->ops->msgsnd(b->ctx, p, (int)q, NULL, 10, 0, &r);
	assert_err(&r, EFAULT, "msgsnd with a NULL buffer");
	b->ops->msgctl(b->ctx, p, (int)q, IPC_STAT, BACKEND_BUF_VALID, NULL, &r);
	assert_ok(&r, 0, "msgctl IPC_STAT");
	cr_expect(r.has_ds && r.ds.msg_perm.key == 0x1234 && r.ds.msg_perm.uid == 1000 &&
	          r.ds.msg_perm.mode == 0666 && r.ds.msg_lspid == p && r.ds.msg_lrpid == p,
	          "IPC_STAT: key %#x uid %u mode %o lspid %d lrpid %d", r.ds.msg_perm.key,
	          r.ds.msg_perm.uid, r.ds.msg_perm.mode, r.ds.msg_lspid, r.ds.msg_lrpid);
	b->ops->msgctl(b->ctx, p, (int)q, IPC_INFO, BACKEND_BUF_VALID, NULL, &r);
	cr_expect(r.has_info && r.info.msgmax == 8192 && r.info.msgmnb == 16384,
	          "IPC_INFO: msgmax %d msgmnb %d", r.info.msgmax, r.info.msgmnb);
	no_event(b);
	backend_free(&b);
	cr_assert_null(b);
}

Test(host_backend, ftok_gives_the_scenario_key_and_msgget_uses_the_real_one)
{
	struct backend *b = new_host();
	int p = new_proc(b, 1000, 1000, 0);
	struct backend_result r;
	long q;

	cr_assert_eq(b->ops->file_add(b->ctx, "./myfile", 0x1234, 8, 1), 0);
	b->ops->ftok(b->ctx, p, "./myfile", 65, &r);
	assert_ok(&r, 0x41011234, "ftok(\"./myfile\", 65)");
	q = host_msgget(b, p, 0x41011234, IPC_CREAT | 0666);
	b->ops->msgctl(b->ctx, p, (int)q, IPC_STAT, BACKEND_BUF_VALID, NULL, &r);
	cr_expect_eq(r.ds.msg_perm.key, 0x41011234u, "IPC_STAT key %#x, not the scenario's",
	             r.ds.msg_perm.key);
	b->ops->ftok(b->ctx, p, "./undeclared", 65, &r);
	assert_err(&r, ENOENT, "ftok of an undeclared path");
	backend_free(&b);
}

/* ---- blocking and events ------------------------------------------------ */

Test(host_backend, a_blocked_receiver_is_resumed_by_a_send_with_the_message)
{
	struct backend *b = new_host();
	int p1 = new_proc(b, 1000, 1000, 0), p2 = new_proc(b, 1000, 1000, 0);
	struct backend_result r;
	struct backend_event ev;
	long q = host_msgget(b, p1, IPC_PRIVATE, 0666);

	cr_expect_eq(p1, 1000);
	cr_expect_eq(p2, 1001);
	recv_msg(b, p2, (int)q, 0, 0, &r);
	cr_assert_eq(r.blocked, 1, "msgrcv on an empty queue should block");
	no_event(b);
	send_text(b, p1, (int)q, 300, "hi", 0, &r);
	assert_ok(&r, 0, "msgsnd to the sleeping receiver");
	one_event(b, &ev);
	cr_assert(ev.kind == BACKEND_EV_RESUMED && ev.pid == p2 && strcmp(ev.call, "msgrcv") == 0,
	          "expected P2's msgrcv resumed, got kind %d pid %d call %s", ev.kind, ev.pid,
	          ev.call);
	assert_ok(&ev.r, 2, "resumed msgrcv");
	cr_assert(ev.r.has_msg && ev.r.msg.mtype == 300 && memcmp(ev.r.msg.text, "hi", 2) == 0,
	          "resumed msgrcv gave the wrong message");
	backend_result_release(&ev.r);
	/* The hand-off: the message never was queued. */
	b->ops->msgctl(b->ctx, p1, (int)q, IPC_STAT, BACKEND_BUF_VALID, NULL, &r);
	cr_expect(r.ds.msg_qnum == 0 && r.ds.msg_lrpid == p2, "qnum %lu lrpid %d",
	          r.ds.msg_qnum, r.ds.msg_lrpid);
	backend_free(&b);
}

Test(host_backend, rmid_wakes_a_blocked_receiver_with_eidrm)
{
	struct backend *b = new_host();
	int p1 = new_proc(b, 1000, 1000, 0), p2 = new_proc(b, 1000, 1000, 0);
	struct backend_result r;
	struct backend_event ev;
	long q = host_msgget(b, p1, IPC_PRIVATE, 0666);

	recv_msg(b, p2, (int)q, 0, 0, &r);
	cr_assert_eq(r.blocked, 1);
	b->ops->msgctl(b->ctx, p1, (int)q, IPC_RMID, BACKEND_BUF_NULL, NULL, &r);
	assert_ok(&r, 0, "IPC_RMID");
	one_event(b, &ev);
	cr_assert_eq(ev.pid, p2);
	assert_err(&ev.r, EIDRM, "resumed msgrcv after RMID");
	backend_free(&b);
}

Test(host_backend, a_blocked_sender_is_resumed_when_a_receive_makes_room)
{
	struct backend *b = new_host();
	int p1 = new_proc(b, 1000, 1000, 0), p2 = new_proc(b, 1000, 1000, 0);
	struct backend_result r;
	struct backend_event ev;
	struct backend_msg m = { 1, NULL, 0 };
	long q = host_msgget(b, p1, IPC_PRIVATE, 0666);

	for (int i = 0; i < 2; i++) {
		b->ops->msgsnd(b->ctx, p1, (int)q, &m, 8192, 0, &r);
		assert_ok(&r, 0, "msgsnd 8192 bytes");
	}
	b->ops->msgsnd(b->ctx, p2, (int)q, &m, 8192, 0, &r);
	cr_assert_eq(r.blocked, 1, "a third 8192-byte message should block (msgmnb 16384)");
	b->ops->msgrcv(b->ctx, p1, (int)q, BACKEND_BUF_VALID, 8192, 0, 0, &r);
	assert_ok(&r, 8192, "msgrcv");
	backend_result_release(&r);
	one_event(b, &ev);
	cr_assert(ev.pid == p2 && strcmp(ev.call, "msgsnd") == 0);
	assert_ok(&ev.r, 0, "resumed msgsnd");
	backend_free(&b);
}

Test(host_backend, a_caught_signal_ends_a_blocked_call_with_eintr)
{
	struct backend *b = new_host();
	int p1 = new_proc(b, 1000, 1000, 0), p2 = new_proc(b, 1000, 1000, 0);
	struct backend_result r;
	struct backend_event ev;
	long q = host_msgget(b, p1, IPC_PRIVATE, 0666);

	b->ops->signal(b->ctx, p2, SIGUSR1, BACKEND_SIG_CATCH, &r);
	assert_ok(&r, 0, "signal(SIGUSR1, handler)");
	recv_msg(b, p2, (int)q, 0, 0, &r);
	cr_assert_eq(r.blocked, 1);
	b->ops->kill(b->ctx, p1, p2, SIGUSR1, &r);
	assert_ok(&r, 0, "kill(P2, SIGUSR1)");
	one_event(b, &ev);
	cr_assert(ev.kind == BACKEND_EV_RESUMED && ev.pid == p2);
	assert_err(&ev.r, EINTR, "resumed msgrcv after a caught signal");
	/* The process lives on and can run calls. */
	b->ops->getpid(b->ctx, p2, &r);
	assert_ok(&r, p2, "getpid");
	send_text(b, p2, (int)q, 7, "x", 0, &r);
	assert_ok(&r, 0, "msgsnd after EINTR");
	/* A signal to an idle process with a handler changes nothing. */
	b->ops->kill(b->ctx, p1, p2, SIGUSR1, &r);
	assert_ok(&r, 0, "kill(P2, SIGUSR1) while idle");
	no_event(b);
	backend_free(&b);
}

Test(host_backend, sigkill_gives_a_killed_event_and_then_esrch)
{
	struct backend *b = new_host();
	int p1 = new_proc(b, 1000, 1000, 0), p2 = new_proc(b, 1000, 1000, 0);
	struct backend_result r;
	struct backend_event ev;
	long q = host_msgget(b, p1, IPC_PRIVATE, 0666);

	recv_msg(b, p2, (int)q, 0, 0, &r);
	cr_assert_eq(r.blocked, 1);
	b->ops->kill(b->ctx, p1, p2, SIGKILL, &r);
	assert_ok(&r, 0, "kill(P2, SIGKILL)");
	one_event(b, &ev);
	cr_assert(ev.kind == BACKEND_EV_KILLED && ev.pid == p2 && ev.sig == SIGKILL,
	          "expected P2 killed by SIGKILL, got kind %d pid %d sig %d", ev.kind, ev.pid,
	          ev.sig);
	b->ops->kill(b->ctx, p1, p2, SIGKILL, &r);
	assert_err(&r, ESRCH, "kill of an ended process");
	/* SIGTERM with the default action, to an idle process. */
	b->ops->kill(b->ctx, p1, p1, SIGTERM, &r); /* the caller ends itself */
	one_event(b, &ev);
	cr_assert(ev.kind == BACKEND_EV_KILLED && ev.pid == p1 && ev.sig == SIGTERM,
	          "kill(self, SIGTERM): kind %d pid %d sig %d", ev.kind, ev.pid, ev.sig);
	backend_free(&b);
}

Test(host_backend, fork_gives_the_next_scenario_pid_and_the_child_works)
{
	struct backend *b = new_host();
	int p1 = new_proc(b, 1000, 1000, 0), child, p3;
	struct backend_result r;
	long q = host_msgget(b, p1, IPC_PRIVATE, 0666);

	b->ops->fork(b->ctx, p1, &r);
	assert_ok(&r, 1001, "fork()");
	child = (int)r.ret;
	b->ops->getpid(b->ctx, child, &r);
	assert_ok(&r, 1001, "getpid in the child");
	send_text(b, child, (int)q, 5, "from child", 0, &r);
	assert_ok(&r, 0, "msgsnd in the child");
	b->ops->msgctl(b->ctx, p1, (int)q, IPC_STAT, BACKEND_BUF_VALID, NULL, &r);
	cr_expect_eq(r.ds.msg_lspid, 1001, "lspid %d is not the child's scenario pid",
	             r.ds.msg_lspid);
	p3 = new_proc(b, 1000, 1000, 0);
	cr_expect_eq(p3, 1002, "the next process after a fork is 1002, got %d", p3);
	/* The fork of a fork, and an exit. */
	b->ops->fork(b->ctx, child, &r);
	assert_ok(&r, 1003, "fork() in the child");
	b->ops->exit(b->ctx, child, 3, &r);
	assert_ok(&r, 0, "exit(3)");
	no_event(b);
	recv_msg(b, 1003, (int)q, 0, IPC_NOWAIT, &r);
	assert_ok(&r, 10, "msgrcv in the grandchild");
	backend_result_release(&r);
	backend_free(&b);
}

Test(host_backend, a_second_user_gets_eacces_and_root_without_caps_too)
{
	struct backend *b = new_host();
	int owner = new_proc(b, 1000, 1000, 0), other = new_proc(b, 1001, 1001, 0);
	int bare_root = new_proc(b, 0, 0, 0), root = new_proc(b, 0, 0, SIM_CAP_IPC_OWNER);
	struct backend_result r;
	long q = host_msgget(b, owner, 0x77, IPC_CREAT | 0600);
	int rc;

	send_text(b, other, (int)q, 1, "x", IPC_NOWAIT, &r);
	assert_err(&r, EACCES, "msgsnd by another user to a 0600 queue");
	b->ops->msgctl(b->ctx, other, (int)q, IPC_RMID, BACKEND_BUF_NULL, NULL, &r);
	assert_err(&r, EPERM, "IPC_RMID by another user");
	rc = b->ops->msgget(b->ctx, bare_root, 0x77, 0600, &r);
	cr_expect_eq(rc, 0, "root with caps=none could be made faithfully");
	assert_err(&r, EACCES, "msgget by root without CAP_IPC_OWNER");
	rc = b->ops->msgget(b->ctx, root, 0x77, 0600, &r);
	cr_expect_eq(rc, 0);
	assert_ok(&r, q, "msgget by root with CAP_IPC_OWNER");
	backend_free(&b);
}

/* ---- limits and shell ---------------------------------------------------- */

Test(host_backend, limit_msgmax_applies_in_the_namespace_only)
{
	struct backend *b = new_host();
	int p = new_proc(b, 1000, 1000, 0);
	struct backend_msg m = { 1, NULL, 0 };
	struct backend_result r;
	long q = host_msgget(b, p, IPC_PRIVATE, 0666);
	FILE *f;
	long machine = 0;

	cr_assert_eq(b->ops->limit_set(b->ctx, "msgmax", 100), 0);
	b->ops->msgsnd(b->ctx, p, (int)q, &m, 101, IPC_NOWAIT, &r);
	assert_err(&r, EINVAL, "msgsnd of 101 bytes with msgmax=100");
	b->ops->msgsnd(b->ctx, p, (int)q, &m, 100, IPC_NOWAIT, &r);
	assert_ok(&r, 0, "msgsnd of 100 bytes with msgmax=100");
	cr_expect_eq(b->ops->limit_set(b->ctx, "msgpool", 1024), -BACKEND_NOT_ON_HOST);
	cr_expect_eq(b->ops->limit_set(b->ctx, "msgssz", 16), -BACKEND_NOT_ON_HOST);
	cr_expect_eq(b->ops->limit_set(b->ctx, "nosuch", 1), -ENOENT);
	cr_expect_eq(b->ops->limit_set(b->ctx, "semmni", 100), 0);
	f = fopen("/proc/sys/kernel/msgmax", "r");
	cr_assert_not_null(f);
	cr_expect_eq(fscanf(f, "%ld", &machine), 1);
	fclose(f);
	cr_expect_neq(machine, 100, "the machine's msgmax changed");
	backend_free(&b);
}

Test(host_backend, shell_ipcs_shows_the_queue)
{
	struct backend *b = new_host();
	int p = new_proc(b, 1000, 1000, 0);
	struct backend_creds user = { 1000, 1000, 0 };
	struct backend_result r;
	char *out = NULL;
	size_t len = 0;
	FILE *w;
	int status;
	long q = host_msgget(b, p, 0x1234, IPC_CREAT | 0644);

	send_text(b, p, (int)q, 1, "abc", 0, &r);
	w = open_memstream(&out, &len);
	status = b->ops->shell(b->ctx, &user, NULL, "ipcs -q", w);
	fclose(w);
	cr_expect_eq(status, 0, "ipcs -q exited %d: %s", status, out);
	cr_expect(strstr(out, "Message Queues") != NULL && strstr(out, "0x00001234") != NULL &&
	          strstr(out, "644") != NULL, "ipcs -q does not show the queue:\n%s", out);
	free(out);
	w = open_memstream(&out, &len);
	status = b->ops->shell(b->ctx, &user, NULL, "ls /", w);
	fclose(w);
	cr_expect_eq(status, 127, "only ipcs, ipcrm, sysctl and cat run");
	free(out);
	w = open_memstream(&out, &len);
	status = b->ops->shell(b->ctx, &user, NULL, "sysctl kernel.msgmnb", w);
	fclose(w);
	cr_expect(status == 0 && strcmp(out, "kernel.msgmnb = 16384\n") == 0, "sysctl: %d %s",
	          status, out);
	free(out);
	backend_free(&b);
}

static const char *test_user_name(void *ctx, unsigned uid)
{
	return uid == 1000 ? "user" : uid == 0 ? "root" : NULL;
}

static char *shell_out(struct backend *b, const struct scenario_names *names, const char *cmd)
{
	struct backend_creds user = { 1000, 1000, 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&out, &len);

	cr_assert_eq(b->ops->shell(b->ctx, &user, names, cmd, w), 0, "%s failed", cmd);
	fclose(w);
	return out;
}

/* Trailing blanks are not significant in scenario output (`>` lines). */
static void trim_trailing_blanks(char *s)
{
	char *w = s;

	for (char *r = s; *r != '\0'; r++) {
		if (*r == '\n')
			while (w > s && w[-1] == ' ')
				w--;
		*w++ = *r;
	}
	while (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* The same steps on the simulator and on the host: `ipcs` must print the
 * same, names and pids included (the host maps both). */
Test(host_backend, shell_output_has_the_scenarios_names_and_pids)
{
	struct backend *both[2] = { backend_sim_new(), new_host() };
	struct scenario_names names = { test_user_name, NULL, NULL, NULL };
	const char *cmds[] = { "ipcs -q", "ipcs -q -p", "ipcs -q -c", "ipcs -q -i 0" };
	char *out[2][4];

	for (int k = 0; k < 2; k++) {
		struct backend *b = both[k];
		int p1 = new_proc(b, 1000, 1000, 0), p2 = new_proc(b, 1001, 1001, 0);
		struct backend_result r;
		long q = host_msgget(b, p1, IPC_PRIVATE, 0666);

		send_text(b, p1, (int)q, 1, "abc", 0, &r);
		recv_msg(b, p2, (int)q, 0, 0, &r);
		backend_result_release(&r);
		send_text(b, p2, (int)q, 1, "abc", 0, &r);
		for (int i = 0; i < 4; i++) {
			out[k][i] = shell_out(b, &names, cmds[i]);
			trim_trailing_blanks(out[k][i]);
		}
	}
	for (int i = 0; i < 3; i++)
		cr_expect_str_eq(out[1][i], out[0][i], "%s differs: host\n%s\nsimulator\n%s", cmds[i],
		                 out[1][i], out[0][i]);
	/* ipcs -i: times differ (real clock); the pid line must not. */
	cr_expect(strstr(out[1][3], "lspid=1001") != NULL && strstr(out[1][3], "lrpid=1001"),
	          "ipcs -i pids not mapped:\n%s", out[1][3]);
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 4; i++)
			free(out[k][i]);
		backend_free(&both[k]);
	}
}

Test(host_backend, shell_ipcrm_wakes_a_blocked_receiver)
{
	struct backend *b = new_host();
	int p1 = new_proc(b, 1000, 1000, 0), p2 = new_proc(b, 1000, 1000, 0);
	struct backend_creds user = { 1000, 1000, 0 };
	struct backend_result r;
	struct backend_event ev;
	char cmd[64];
	long q = host_msgget(b, p1, IPC_PRIVATE, 0666);

	recv_msg(b, p2, (int)q, 0, 0, &r);
	cr_assert_eq(r.blocked, 1);
	snprintf(cmd, sizeof(cmd), "ipcrm -q %ld", q);
	cr_expect_eq(b->ops->shell(b->ctx, &user, NULL, cmd, stderr), 0);
	one_event(b, &ev);
	assert_err(&ev.r, EIDRM, "msgrcv after ipcrm");
	backend_free(&b);
}

/* ---- cleanup ------------------------------------------------------------- */

Test(host_backend, free_leaves_no_process_and_no_queue)
{
	int before = machine_queue_count();
	pid_t procs[64];
	int n;
	struct backend *b = new_host();
	int p1 = new_proc(b, 1000, 1000, 0), p2 = new_proc(b, 1001, 1001, 0);
	struct backend_result r;

	for (int i = 0; i < 5; i++)
		host_msgget(b, p1, IPC_PRIVATE, 0666);
	b->ops->fork(b->ctx, p1, &r);
	n = descendants(procs, 64);
	cr_expect_geq(n, 4, "coordinator + 3 processes expected, saw %d", n);
	cr_expect_eq(machine_queue_count(), before, "queues appeared in the machine's namespace");
	(void)p2;
	backend_free(&b);
	cr_expect_eq(descendants(procs, 64), 0, "processes left after backend_free");
	cr_expect_eq(machine_queue_count(), before, "queues left in the machine's namespace");
}

Test(host_backend, free_while_a_child_is_blocked_cleans_up)
{
	int before = machine_queue_count();
	pid_t procs[64];
	struct backend *b = new_host();
	int p1 = new_proc(b, 1000, 1000, 0), p2 = new_proc(b, 1000, 1000, 0);
	struct backend_result r;
	long q = host_msgget(b, p1, IPC_PRIVATE, 0666);
	long t0;

	recv_msg(b, p2, (int)q, 0, 0, &r);
	cr_assert_eq(r.blocked, 1);
	t0 = now_us();
	backend_free(&b);
	cr_expect_lt(now_us() - t0, 1000000L, "backend_free took %ld us", now_us() - t0);
	cr_expect_eq(descendants(procs, 64), 0, "processes left after backend_free");
	cr_expect_eq(machine_queue_count(), before);
}

/* The caller dies (a crash, kill -9) while a child of another uid sleeps in
 * msgrcv: the death signals must end the coordinator and every child. */
Test(host_backend, the_callers_death_ends_every_process)
{
	pid_t procs[64], helper;
	int ready[2], n, alive = 0;
	char byte;

	cr_assert_eq(pipe(ready), 0);
	fflush(NULL);
	helper = fork();
	cr_assert_geq(helper, 0);
	if (helper == 0) {
		char err[256];
		struct backend *b = backend_host_new(NULL, err, sizeof(err));
		struct backend_creds c = { 1001, 1001, 0 };
		struct backend_result r;
		int p1 = 0, p2 = 0;

		if (b == NULL)
			_exit(1);
		b->ops->proc_new(b->ctx, &c, &p1);
		b->ops->proc_new(b->ctx, &c, &p2);
		b->ops->msgget(b->ctx, p1, IPC_PRIVATE, 0666, &r);
		b->ops->msgrcv(b->ctx, p2, (int)r.ret, BACKEND_BUF_VALID, 64, 0, 0, &r);
		if (write(ready[1], r.blocked ? "b" : "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	cr_assert_eq(read(ready[0], &byte, 1), 1);
	cr_assert_eq(byte, 'b', "the receiver did not block");
	n = descendants(procs, 64);
	cr_assert_geq(n, 4, "helper, coordinator and 2 processes expected, saw %d", n);
	kill(helper, SIGKILL);
	waitpid(helper, NULL, 0);
	usleep(300000);
	for (int i = 0; i < n; i++) {
		char path[64], buf[512], *paren;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)procs[i]);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(buf, sizeof(buf), f) != NULL && (paren = strrchr(buf, ')')) != NULL &&
		    paren[2] != 'Z' && paren[2] != 'X')
			alive++;
		fclose(f);
	}
	cr_expect_eq(alive, 0, "%d processes outlived the caller", alive);
}

Test(host_backend, timing_per_step)
{
	struct backend *b = new_host();
	int p1 = new_proc(b, 1000, 1000, 0), p2 = new_proc(b, 1000, 1000, 0);
	struct backend_result r;
	struct backend_event ev;
	long q = host_msgget(b, p1, IPC_PRIVATE, 0666), t0, plain, blocking;
	enum { N = 200, NB = 20 };

	t0 = now_us();
	for (int i = 0; i < N; i++) {
		send_text(b, p1, (int)q, 1, "ping", 0, &r);
		recv_msg(b, p2, (int)q, 0, 0, &r);
		backend_result_release(&r);
	}
	plain = (now_us() - t0) / (2 * N);
	t0 = now_us();
	for (int i = 0; i < NB; i++) {
		recv_msg(b, p2, (int)q, 0, 0, &r);
		cr_assert_eq(r.blocked, 1);
		send_text(b, p1, (int)q, 1, "ping", 0, &r);
		one_event(b, &ev);
		backend_result_release(&ev.r);
	}
	blocking = (now_us() - t0) / NB;
	fprintf(stderr, "host_backend: %ld us per plain step, %ld us per block+wake pair\n",
	        plain, blocking);
	cr_expect_lt(plain, 20000L);
	backend_free(&b);
}

TestSuite(host_backend, .timeout = 30);
