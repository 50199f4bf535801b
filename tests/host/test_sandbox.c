/*
 * test_sandbox.c - the host backend's sandbox holds (sim/host/host_sandbox.h):
 * what a hostile tool could do inside it reaches nothing outside.
 *
 * Each probe runs inside the sandbox through backend_host_test_exec, which
 * bypasses the check of `$` lines: the sandbox must hold on its own.  The
 * payloads stay contained even if it regresses - nothing here ever writes
 * a new value to a machine-wide setting:
 *   - global sysctls are rewritten with their CURRENT value (a no-op
 *     should it get through), and must fail with EROFS, EACCES or EPERM;
 *   - the hostname is probed in a UTS namespace of the test's own;
 *   - files are a canary and a marker the test makes in a directory of
 *     its own.
 * Every probe runs in both modes: with a user namespace (root's ids mapped
 * to unprivileged host ids) and without (IPCSIM_CHECK_NO_USERNS), where
 * the other namespaces, the view, the capabilities and the seccomp filter
 * must hold alone.  Needs root.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipcsim/host.h"
#include "ipcsim/sandbox.h"
#include "ipcsim/types.h"

static const struct backend_creds root = { 0, 0, SIM_CAP_ALL };
static const struct backend_creds user = { 1000, 1000, 0 };

/* Both modes of one probe: name(0) with a user namespace, name(1) without. */
#define BOTH_MODES(name)                                                  \
	Test(sandbox, name##__in_a_user_namespace) { name(0); }               \
	Test(sandbox, name##__without_a_user_namespace) { name(1); }

static struct backend *sandbox_waiting(int no_userns, int step_timeout_ms)
{
	struct backend_host_options o = { .allow_userns = 1, .no_userns = no_userns,
	                                   .step_timeout_ms = step_timeout_ms };
	char err[256];
	struct backend *b;

	if (geteuid() != 0)
		cr_skip_test("the sandbox's two modes need root");
	b = backend_host_new(&o, err, sizeof(err));
	cr_assert_not_null(b, "the sandbox could not be made: %s", err);
	return b;
}

static struct backend *sandbox(int no_userns)
{
	return sandbox_waiting(no_userns, 0);
}

/* argv run inside b as c; its output (malloc'd) and *status. */
static char *run(struct backend *b, const struct backend_creds *c, const char *const argv[],
                 int *status)
{
	char *out = NULL;
	size_t len = 0;

	*status = backend_host_test_exec(b, c, argv, &out, &len);
	cr_assert_geq(*status, 0, "%s could not run in the sandbox (%d)", argv[0], *status);
	if (out == NULL)
		out = strdup("");
	return out;
}

static char *sh(struct backend *b, const struct backend_creds *c, const char *script,
                int *status)
{
	const char *argv[] = { "sh", "-c", script, NULL };

	return run(b, c, argv, status);
}

/* A whole file of the machine (NUL bytes kept as they are), malloc'd. */
static char *slurp(const char *path, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0;
	FILE *w = open_memstream(&buf, &cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char chunk[4096];
	ssize_t n;

	cr_assert_geq(fd, 0, "%s", path);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		fwrite(chunk, 1, (size_t)n, w);
	close(fd);
	fclose(w);
	if (len != NULL)
		*len = cap;
	return buf;
}

/* EROFS, EACCES or EPERM, as sh and the tools say them. */
static int refused(const char *out)
{
	return strstr(out, "Read-only file system") != NULL || strstr(out, "Permission denied") ||
	       strstr(out, "Operation not permitted") != NULL ||
	       strstr(out, "permission denied") != NULL;
}

/* ---- the isolation it says it has ------------------------------------------ */

static void isolation_is_said(int no_userns)
{
	struct backend *b = sandbox(no_userns);
	const char *iso = backend_host_isolation(b);
	int st;
	char *map;

	cr_assert_not_null(iso);
	if (no_userns)
		cr_assert_not_null(strstr(iso, "pid+ipc+uts+net+mount+cgroup namespaces, no user "
		                               "namespace (not asked for"), "%s", iso);
	else
		cr_assert_not_null(strstr(iso, "user+pid+ipc+uts+net+mount+cgroup namespaces (ids "
		                               "0-65535 are host 2147418112-2147483647"), "%s", iso);
	cr_assert_not_null(strstr(iso, "into a read-only view"), "%s", iso);
	cr_assert_not_null(strstr(iso, "/proc read-only but kernel.msg*, shm*, sem*"), "%s", iso);
	cr_assert_not_null(strstr(iso, "capabilities cut"), "%s", iso);
#if defined(__x86_64__) || defined(__aarch64__)
	cr_assert_not_null(strstr(iso, "; seccomp filter"), "%s", iso);
#endif
	/* What it says is what it is: root's ids as the kernel maps them. */
	map = sh(b, &root, "cat /proc/self/uid_map", &st);
	if (no_userns)
		cr_assert_not_null(strstr(map, "0          0 4294967295"), "%s", map);
	else
		cr_assert_not_null(strstr(map, "0 2147418112      65536"), "%s", map);
	free(map);
	backend_free(&b);
}
BOTH_MODES(isolation_is_said)

/* ---- machine-wide sysctls ---------------------------------------------------- */

/* /proc/sys/NAME rewritten with its current value from inside, as root. */
static void rewrite_refused(struct backend *b, const char *name)
{
	char path[128], *before, *after, *out;
	const char *argv[] = { "sh", "-c", "printf '%s' \"$1\" > \"$2\"", "sh", NULL, NULL, NULL };
	int st;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	before = slurp(path, NULL);
	argv[4] = before;
	argv[5] = path;
	out = run(b, &root, argv, &st);
	cr_assert_neq(st, 0, "writing %s from the sandbox succeeded: %s", path, out);
	cr_assert(refused(out), "writing %s: not EROFS/EACCES/EPERM: %s", path, out);
	after = slurp(path, NULL);
	cr_assert_str_eq(after, before);
	free(out);
	free(after);
	free(before);
}

static void global_sysctls_refuse_even_their_own_value(int no_userns)
{
	struct backend *b = sandbox(no_userns);
	char *value = slurp("/proc/sys/fs/lease-break-time", NULL), *out, arg[96];
	const char *argv[] = { "sysctl", "-w", arg, NULL };
	int st;

	rewrite_refused(b, "kernel/core_pattern");
	rewrite_refused(b, "fs/lease-break-time");
	rewrite_refused(b, "kernel/domainname"); /* the sandbox's own UTS: read-only too */
	value[strcspn(value, "\n")] = '\0';
	snprintf(arg, sizeof(arg), "fs.lease-break-time=%s", value);
	out = run(b, &root, argv, &st);
	cr_assert_neq(st, 0, "sysctl -w %s succeeded: %s", arg, out);
	cr_assert(refused(out), "%s", out);
	free(out);
	free(value);
	backend_free(&b);
}
BOTH_MODES(global_sysctls_refuse_even_their_own_value)

static void the_ipc_sysctls_are_the_namespaces_own_and_writable(int no_userns)
{
	struct backend *b = sandbox(no_userns);
	char *host = slurp("/proc/sys/kernel/msgmax", NULL), *out;
	int st;

	out = sh(b, &root, "sysctl -w kernel.msgmax=4321 && cat /proc/sys/kernel/msgmax", &st);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_not_null(strstr(out, "\n4321\n"), "%s", out);
	free(out);
	out = slurp("/proc/sys/kernel/msgmax", NULL);
	cr_assert_str_eq(out, host, "the machine's kernel.msgmax changed");
	free(out);
	/* Not writable by the scenario's other users, as on the machine. */
	out = sh(b, &user, "echo 4000 > /proc/sys/kernel/msgmax", &st);
	cr_assert_neq(st, 0, "%s", out);
	free(out);
	free(host);
	backend_free(&b);
}
BOTH_MODES(the_ipc_sysctls_are_the_namespaces_own_and_writable)

/* ---- the hostname: the test's own UTS namespace ------------------------------ */

static void the_hostname_stays_the_tests(int no_userns)
{
	static const char mine[] = "ipcsim-test-uts";
	struct backend *b;
	char name[64] = "", *out;
	int st;

	if (geteuid() != 0)
		cr_skip_test("a UTS namespace of the test's own needs root");
	cr_assert_eq(unshare(CLONE_NEWUTS), 0, "unshare(CLONE_NEWUTS)");
	cr_assert_eq(sethostname(mine, strlen(mine)), 0);
	b = sandbox(no_userns);
	out = sh(b, &root, "hostname", &st);
	cr_assert_str_eq(out, "ipcsim\n", "the sandbox's own name: %s", out);
	free(out);
	out = sh(b, &root, "hostname pwned; cat /proc/sys/kernel/hostname", &st);
	cr_assert_not_null(strstr(out, "\nipcsim\n"), "%s", out);
	free(out);
	backend_free(&b);
	cr_assert_eq(gethostname(name, sizeof(name)), 0);
	cr_assert_str_eq(name, mine, "the sandbox renamed the namespace it came from");
}
BOTH_MODES(the_hostname_stays_the_tests)

/* ---- files ------------------------------------------------------------------ */

static void a_canary_cannot_be_read_or_written_and_no_marker_appears(int no_userns)
{
	char dir[] = "/tmp/ipcsim-canary.XXXXXX", canary[96], marker[96], script[512];
	struct backend *b;
	char *out, *left;
	int st, fd;

	cr_assert_not_null(mkdtemp(dir));
	chmod(dir, 0777);
	snprintf(canary, sizeof(canary), "%s/canary", dir);
	snprintf(marker, sizeof(marker), "%s/marker", dir);
	fd = open(canary, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "c4n4ry\n", 7), 7);
	close(fd);
	chmod(canary, 0666);

	b = sandbox(no_userns);
	for (int who = 0; who < 2; who++) {
		const struct backend_creds *c = who == 0 ? &root : &user;

		snprintf(script, sizeof(script), "cat %s; echo pwned > %s; echo x > %s; "
		         "touch /marker /usr/marker /etc/marker /tmp/marker", canary, canary, marker);
		out = sh(b, c, script, &st);
		cr_assert_null(strstr(out, "c4n4ry"), "the canary was read: %s", out);
		cr_assert_neq(st, 0, "%s", out);
		free(out);
	}
	backend_free(&b);
	left = slurp(canary, NULL);
	cr_assert_str_eq(left, "c4n4ry\n", "the canary was written");
	free(left);
	cr_assert_neq(access(marker, F_OK), 0, "the marker appeared on the machine");
	cr_assert_neq(access("/marker", F_OK), 0, "the marker appeared on the machine");
	unlink(canary);
	rmdir(dir);
}
BOTH_MODES(a_canary_cannot_be_read_or_written_and_no_marker_appears)

static void no_shadow_and_no_mount_table_of_the_machine(int no_userns)
{
	static const char *const allowed[] = {
		"/", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/dev/null",
		"/tmp", "/etc/passwd", "/etc/group", "/proc",
		/* masked with /dev/null */
		"/proc/kcore", "/proc/kmsg", "/proc/kallsyms", "/proc/keys", "/proc/key-users",
		"/proc/modules", "/proc/timer_list", "/proc/sched_debug", "/proc/sysrq-trigger",
		"/proc/kpagecount", "/proc/kpageflags", "/proc/kpagecgroup", "/proc/iomem",
		"/proc/ioports", NULL,
	};
	struct backend *b = sandbox(no_userns);
	char *out, *line, *save = NULL;
	int st;

	out = sh(b, &root, "cat /etc/shadow", &st);
	cr_assert_neq(st, 0, "%s", out);
	cr_assert_not_null(strstr(out, "No such file"), "%s", out);
	free(out);
	/* The machine's kernel, keys and modules: empty. */
	out = sh(b, &root, "for f in /proc/kallsyms /proc/keys /proc/modules /proc/kmsg; do "
	                   "[ -e $f ] && cat $f; done | wc -c", &st);
	cr_assert_str_eq(out, "0\n", "%s", out);
	free(out);
	out = sh(b, &root, "cat /proc/self/mounts", &st);
	cr_assert_eq(st, 0, "%s", out);
	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char dev[256], at[256];
		int ok = 0;

		cr_assert_eq(sscanf(line, "%255s %255s", dev, at), 2, "%s", line);
		for (int i = 0; allowed[i] != NULL; i++)
			ok |= strcmp(at, allowed[i]) == 0;
		ok |= strncmp(at, "/proc/sys/kernel/msg", 20) == 0 ||
		      strncmp(at, "/proc/sys/kernel/shm", 20) == 0 ||
		      strncmp(at, "/proc/sys/kernel/sem", 20) == 0;
		cr_assert(ok, "the sandbox shows a mount of the machine: %s", line);
	}
	free(out);
	backend_free(&b);
}
BOTH_MODES(no_shadow_and_no_mount_table_of_the_machine)

/* ---- processes ----------------------------------------------------------------- */

static void pid_1_is_the_sandboxs_own(int no_userns)
{
	struct backend *b = sandbox(no_userns);
	const char *argv[] = { "cat", "/proc/1/cmdline", NULL };
	size_t mine_len, host_len;
	char *mine = slurp("/proc/self/cmdline", &mine_len);
	char *host = slurp("/proc/1/cmdline", &host_len);
	char *out, *pids;
	int st, n = 0;

	out = run(b, &root, argv, &st);
	cr_assert_eq(st, 0);
	/* The coordinator is a fork of this test: its command line. */
	cr_assert_eq(memcmp(out, mine, mine_len), 0, "pid 1 inside is not the coordinator");
	cr_assert(host_len != mine_len || memcmp(out, host, host_len) != 0,
	          "pid 1 inside is the machine's");
	pids = sh(b, &root, "ls /proc | grep -c '^[0-9]'", &st);
	n = atoi(pids);
	cr_assert(n >= 1 && n < 8, "the sandbox sees %d processes", n);
	free(pids);
	free(out);
	free(mine);
	free(host);
	backend_free(&b);
}
BOTH_MODES(pid_1_is_the_sandboxs_own)

static void capabilities_are_cut_and_syscalls_filtered(int no_userns)
{
	/* CAP_DAC_READ_SEARCH, SETGID, SETUID, SETPCAP, KILL, IPC_LOCK, IPC_OWNER,
	 * SYS_RAWIO, SYS_PTRACE, SYS_ADMIN, SYS_RESOURCE. */
	const unsigned long long allowed = 0x12ac1e4ULL;
	struct backend *b = sandbox(no_userns);
	char *out, *bnd;
	int st;

	out = sh(b, &root, "cat /proc/self/status", &st);
	bnd = strstr(out, "CapBnd:");
	cr_assert_not_null(bnd, "%s", out);
	cr_assert_eq(strtoull(bnd + 7, NULL, 16) & ~allowed, 0, "%s", bnd);
	cr_assert_not_null(strstr(out, "NoNewPrivs:\t1"), "%s", out);
#if defined(__x86_64__) || defined(__aarch64__)
	cr_assert_not_null(strstr(out, "Seccomp:\t2"), "%s", out);
#endif
	free(out);
	/* What CAP_SYS_ADMIN would otherwise allow. */
	out = sh(b, &root, "mount -t tmpfs x /tmp; mount -o remount,rw /proc; "
	                   "unshare -m true; umount /proc", &st);
	cr_assert_neq(st, 0);
	cr_assert_null(strstr(out, "unshare: exec"), "unshare got through: %s", out);
	free(out);
	out = sh(b, &root, "cat /proc/self/mounts", &st);
	cr_assert_not_null(strstr(out, "proc /proc proc ro,"), "%s", out);
	cr_assert_null(strstr(out, "x /tmp tmpfs"), "%s", out);
	free(out);
	backend_free(&b);
}
BOTH_MODES(capabilities_are_cut_and_syscalls_filtered)

static void a_fork_bomb_stops_at_the_process_limit(int no_userns)
{
	struct backend *b = sandbox_waiting(no_userns, 60000); /* 400 execs are slow */
	const char *iso = backend_host_isolation(b);
	char *out;
	int st;

	if (strstr(iso, "processes (pids cgroup)") == NULL) {
		backend_free(&b);
		cr_skip_test("no pids cgroup here: %s", iso);
	}
	/* The sleepers leave the output pipe alone, so the shell's end (at its
	 * failed fork) is the command's; they die with the sandbox. */
	out = sh(b, &root, "i=0; while [ $i -lt 400 ]; do sleep 60 >/dev/null 2>&1 & "
	                   "i=$((i+1)); done; echo all $i made", &st);
	cr_assert_null(strstr(out, "all 400 made"), "%s", out);
	cr_assert_not_null(strstr(out, "Cannot fork"), "400 processes were made: %s", out);
	free(out);
	backend_free(&b);
}
BOTH_MODES(a_fork_bomb_stops_at_the_process_limit)

Test(sandbox, a_tools_output_is_cut_at_the_limit)
{
	struct backend *b = sandbox(0);
	const char *argv[] = { "yes", NULL };
	char *out = NULL;
	size_t len = 0;
	int st;

	st = backend_host_test_exec(b, &root, argv, &out, &len);
	cr_assert_geq(st, 0);
	cr_assert_leq(len, IPCSIM_SANDBOX_OUTPUT + 256, "%zu bytes kept", len);
	cr_assert_not_null(strstr(out + len - 200, "output limit of 4 MiB was reached"));
	free(out);
	backend_free(&b);
}

Test(sandbox, nothing_in_the_sandbox_is_writable_but_its_own_ipc_sysctls)
{
	struct backend *b = sandbox(0);
	char *out;
	int st;

	/* As the sandbox's root: every file it can see, written. */
	out = sh(b, &root, "for f in /etc/passwd /etc/group /etc/ld.so.cache /tmp/x /x "
	                   "/usr/bin/ipcs /proc/sysrq-trigger /proc/self/oom_score_adj; do "
	                   "  (echo > $f) 2>/dev/null && echo WROTE $f; done; true", &st);
	cr_assert_null(strstr(out, "WROTE"), "%s", out);
	free(out);
	backend_free(&b);
}
