/*
 * test_shell_host_shm_sem.c - the simulated shell against the real one for
 * shared memory and semaphores.
 *
 * A forked child enters private IPC, PID and mount namespaces, mounts its own
 * /proc and sets ns_last_pid so that its processes get the simulator's pids
 * (1000, 1001, 1002): pids then need no mapping, and `cat /proc/1001/maps`
 * reads the right process.  There the real shmget/shmat/shmctl/semget/
 * semop/semctl build the same state as the simulator (attach addresses are
 * the ones the simulator chose), and the real ipcs, ipcrm, sysctl and cat run
 * with TZ=UTC LC_ALL=C.  Times are mapped to the simulated clock; everything
 * else must match byte for byte.  Of /proc/PID/maps only the SysV lines are
 * compared (the simulated processes have no other mappings).
 *
 * The state:  P1 (1000) creates shm 0 (key 0x5678, 4096 B, 0644) and
 * attaches it, shm 1 (private, 10000 B), shm 2 (0x201, 100 B, SHM_LOCK),
 * shm 3 (0x202, 8192 B, attached, SHM_LOCK), sem 0 (0x9abc, 3 sems: SETVAL
 * 0=1 then semop -1 SEM_UNDO, SETVAL 2=1) and sem 1 (private, 1 sem).  P1
 * forks P2, which attaches shm 1 read-only and sleeps in semop(sem 0,
 * {1,-1}); P1 then removes shm 1 (still attached: dest) and forks P3, which
 * sleeps waiting for sem 0 #2 to be zero.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ipcsim/kernel.h"
#include "ipcsim/shell.h"
#include "shell/shell_int.h"

struct step {
	const char *cmd;
	unsigned uid; /* 0, or run as this uid (host: via setpriv) */
	int sysv_only; /* compare only the /SYSV lines of the host's output */
};

static const struct step steps[] = {
	{ "ipcs", 0, 0 },
	{ "ipcs -m", 0, 0 },
	{ "ipcs -s", 0, 0 },
	{ "ipcs -m -c", 0, 0 },
	{ "ipcs -m -p", 0, 0 },
	{ "ipcs -m -t", 0, 0 },
	{ "ipcs -s -c", 0, 0 },
	{ "ipcs -s -t", 0, 0 },
	{ "ipcs -s -p", 0, 0 },
	{ "ipcs -p", 0, 0 },
	{ "ipcs -c", 0, 0 },
	{ "ipcs -t", 0, 0 },
	{ "ipcs -u", 0, 0 },
	{ "ipcs -l", 0, 0 },
	{ "ipcs -m --human", 0, 0 },
	{ "ipcs -m -b", 0, 0 },
	{ "ipcs -m", 65534, 0 },
	{ "ipcs -m -i 0", 0, 0 },
	{ "ipcs -m -i 1", 0, 0 },
	{ "ipcs -m -i 2", 0, 0 },
	{ "ipcs -m -i 3 --human", 0, 0 },
	{ "ipcs -m -i 1", 65534, 0 },
	{ "ipcs -m -i 9", 0, 0 },
	{ "ipcs -s -i 0", 0, 0 },
	{ "ipcs -s -i 1", 0, 0 },
	{ "ipcs -s -i 0", 65534, 0 },
	{ "ipcs -s -i 5", 0, 0 },
	{ "ipcs -s -i 0 -m", 0, 0 },
	{ "cat /proc/sysvipc/shm", 0, 0 },
	{ "cat /proc/sysvipc/sem", 0, 0 },
	{ "cat /proc/1000/maps", 0, 1 },
	{ "cat /proc/1001/maps", 0, 1 },
	{ "cat /proc/1002/maps", 0, 1 },
	{ "cat /proc/1003/maps", 0, 0 },
	{ "sysctl kernel.shmmax kernel.shmall kernel.shmmni kernel.sem", 0, 0 },
	{ "sysctl -w kernel.shmmax=100000", 0, 0 },
	{ "sysctl -w kernel.shmall=-1", 0, 0 },
	{ "sysctl -w kernel.shmall=-0", 0, 0 },
	{ "sysctl -w kernel.shmall=18446744073709551615", 0, 0 },
	{ "sysctl -w kernel.shmall=18446744073709551616", 0, 0 },
	{ "cat /proc/sys/kernel/shmmax", 0, 0 },
	{ "ipcs -l -m", 0, 0 },
	{ "ipcs -l -m --bytes", 0, 0 },
	{ "ipcs -l -m --human", 0, 0 },
	{ "sysctl -w 'kernel.sem=250 -1 -32 128'", 0, 0 },
	{ "cat /proc/sys/kernel/sem", 0, 0 },
	{ "ipcs -l -s", 0, 0 },
	{ "sysctl -w 'kernel.sem=1 2 3 40000'", 0, 0 },
	{ "sysctl -w 'kernel.sem=5 6 7 -1'", 0, 0 },
	{ "sysctl -w 'kernel.sem=8 x'", 0, 0 },
	{ "sysctl kernel.sem", 0, 0 },
	{ "ipcrm -m 99", 0, 0 },
	{ "ipcrm -M 0x999", 0, 0 },
	{ "ipcrm -M 0", 0, 0 },
	{ "ipcrm -s 7", 0, 0 },
	{ "ipcrm -S 0x777", 0, 0 },
	{ "ipcrm -m 0", 65534, 0 },
	{ "ipcrm -S 0x9abc", 65534, 0 },
	{ "ipcrm -v -m 3", 0, 0 },
	{ "ipcs -m", 0, 0 },
	{ "ipcrm -v -M 0x5678", 0, 0 },
	{ "cat /proc/1000/maps", 0, 1 },
	{ "ipcrm -m 1", 0, 0 },
	{ "ipcs -m", 0, 0 },
	{ "ipcs -m -i 0", 0, 0 },
	{ "cat /proc/sysvipc/shm", 0, 0 },
	{ "ipcrm -v -S 0x9abc", 0, 0 },
	{ "ipcs -s", 0, 0 },
	{ "ipcrm sem 1", 0, 0 },
	{ "ipcrm shm 2", 0, 0 },
	{ "ipcs -u", 0, 0 },
	{ "ipcrm -v -a", 0, 0 },
	{ "ipcs", 0, 0 },
};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

/* Attach addresses, chosen by the simulator and reused by the host. */
struct addrs {
	unsigned long m0, m1, m3;
};

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

static void sim_setval(struct sim_kernel *k, int pid, int semid, int num, int val)
{
	struct sim_semctl_arg arg = { .val = val };
	cr_assert_eq(sim_semctl(k, pid, semid, num, SETVAL, &arg), 0);
}

static struct sim_kernel *sim_build(struct addrs *a)
{
	struct sim_kernel *k = sim_kernel_new();
	int p1 = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	struct ipcsim_sembuf down = { 0, -1, SEM_UNDO }, wait1 = { 1, -1, 0 }, zero2 = { 2, 0, 0 };
	long p2, p3, at;

	cr_assert_eq(p1, 1000);
	cr_assert_eq(sim_shmget(k, p1, 0x5678, 4096, IPC_CREAT | IPC_EXCL | 0644), 0);
	cr_assert_gt(at = sim_shmat(k, p1, 0, 0, 0), 0);
	a->m0 = (unsigned long)at;
	cr_assert_eq(sim_shmget(k, p1, IPC_PRIVATE, 10000, 0600), 1);
	cr_assert_eq(sim_shmget(k, p1, 0x201, 100, IPC_CREAT | 0640), 2);
	cr_assert_eq(sim_shmctl(k, p1, 2, SHM_LOCK, NULL, NULL, NULL), 0);
	cr_assert_eq(sim_shmget(k, p1, 0x202, 8192, IPC_CREAT | 0600), 3);
	cr_assert_gt(at = sim_shmat(k, p1, 3, 0, 0), 0);
	a->m3 = (unsigned long)at;
	cr_assert_eq(sim_shmctl(k, p1, 3, SHM_LOCK, NULL, NULL, NULL), 0);
	cr_assert_eq(sim_semget(k, p1, 0x9abc, 3, IPC_CREAT | 0660), 0);
	sim_setval(k, p1, 0, 0, 1);
	cr_assert_eq(sim_semop(k, p1, 0, &down, 1), 0);
	sim_setval(k, p1, 0, 2, 1);
	cr_assert_eq(sim_semget(k, p1, IPC_PRIVATE, 1, 0600), 1);

	cr_assert_eq(p2 = sim_fork(k, p1), 1001);
	cr_assert_gt(at = sim_shmat(k, (int)p2, 1, 0, SHM_RDONLY), 0);
	a->m1 = (unsigned long)at;
	cr_assert_eq(sim_semop(k, (int)p2, 0, &wait1, 1), SIM_BLOCKED);
	cr_assert_eq(sim_shmctl(k, p1, 1, IPC_RMID, NULL, NULL, NULL), 0);
	cr_assert_eq(p3 = sim_fork(k, p1), 1002);
	cr_assert_eq(sim_semop(k, (int)p3, 0, &zero2, 1), SIM_BLOCKED);
	return k;
}

static char *sim_run(struct sim_kernel *k, const struct step *s, int *status)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	cr_assert_not_null(out);
	*status = shell_run(k, &names, s->uid, s->uid, s->uid ? 0 : SIM_CAP_ALL, s->cmd,
	                           out);
	fclose(out);
	return text;
}

/* ---- the host side (runs in the namespaces) -------------------------------- */

static void die(FILE *res, const char *what)
{
	fprintf(res, "%s failed: %s\n", what, strerror(errno));
	fflush(res);
	_exit(4);
}

static void host_setval(FILE *res, int semid, int num, int val)
{
	if (semctl(semid, num, SETVAL, val) != 0)
		die(res, "semctl(SETVAL)");
}

/* P1: builds the state, forks P2 and P3; writes a byte to ready when done. */
static void host_p1(FILE *res, const struct addrs *a, int ready)
{
	struct sembuf down = { 0, -1, SEM_UNDO }, wait1 = { 1, -1, 0 }, zero2 = { 2, 0, 0 };
	int p2ready[2];
	char c;

	if (shmget(0x5678, 4096, IPC_CREAT | IPC_EXCL | 0644) != 0 ||
	    shmat(0, (void *)a->m0, 0) != (void *)a->m0)
		die(res, "shm 0");
	if (shmget(IPC_PRIVATE, 10000, 0600) != 1)
		die(res, "shm 1");
	if (shmget(0x201, 100, IPC_CREAT | 0640) != 2 || shmctl(2, SHM_LOCK, NULL) != 0)
		die(res, "shm 2");
	if (shmget(0x202, 8192, IPC_CREAT | 0600) != 3 || shmat(3, (void *)a->m3, 0) != (void *)a->m3 ||
	    shmctl(3, SHM_LOCK, NULL) != 0)
		die(res, "shm 3");
	if (semget(0x9abc, 3, IPC_CREAT | 0660) != 0)
		die(res, "sem 0");
	host_setval(res, 0, 0, 1);
	if (semop(0, &down, 1) != 0)
		die(res, "semop");
	host_setval(res, 0, 2, 1);
	if (semget(IPC_PRIVATE, 1, 0600) != 1)
		die(res, "sem 1");

	if (pipe(p2ready) != 0)
		die(res, "pipe");
	if (fork() == 0) { /* P2 */
		if (shmat(1, (void *)a->m1, SHM_RDONLY) != (void *)a->m1)
			die(res, "shmat 1");
		if (write(p2ready[1], "x", 1) != 1)
			_exit(5);
		semop(0, &wait1, 1);
		for (;;)
			pause();
	}
	if (read(p2ready[0], &c, 1) != 1 || shmctl(1, IPC_RMID, NULL) != 0)
		die(res, "shm 1 rmid");
	if (fork() == 0) { /* P3 */
		semop(0, &zero2, 1);
		for (;;)
			pause();
	}
	/* both asleep before anyone looks */
	while (semctl(0, 1, GETNCNT) != 1 || semctl(0, 2, GETZCNT) != 1)
		usleep(1000);
	if (write(ready, "x", 1) != 1)
		_exit(5);
	for (;;)
		pause();
}

static void host_steps(FILE *res)
{
	for (size_t i = 0; i < NSTEPS; i++) {
		char cmd[512], *buf = NULL, *line = NULL;
		size_t cap = 0, len = 0;
		ssize_t n;
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
		while ((n = getline(&line, &cap, p)) > 0) {
			if (steps[i].sysv_only && !strstr(line, "/SYSV"))
				continue;
			buf = realloc(buf, len + (size_t)n + 1);
			memcpy(buf + len, line, (size_t)n);
			len += (size_t)n;
		}
		free(line);
		int st = pclose(p);
		fprintf(res, "%d %zu\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128, len);
		if (len)
			fwrite(buf, 1, len, res);
		free(buf);
	}
}

/* pid 1 of the new PID namespace: /proc, pids from 1000, P1, the steps. */
static void host_init(FILE *res, const struct addrs *a)
{
	int ready[2];
	long t0, t1;
	char c;
	FILE *f;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("proc", "/proc", "proc", 0, NULL) != 0)
		die(res, "mounting /proc");
	if (!(f = fopen("/proc/sys/kernel/ns_last_pid", "w")) || fputs("999", f) < 0 ||
	    fclose(f) != 0)
		die(res, "ns_last_pid");
	if (pipe(ready) != 0)
		die(res, "pipe");
	t0 = (long)time(NULL);
	if (fork() == 0)
		host_p1(res, a, ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		fprintf(res, "building the state failed\n");
		fflush(res);
		_exit(4);
	}
	t1 = (long)time(NULL);
	fprintf(res, "%ld %ld\n", t0, t1);
	host_steps(res);
	fflush(res);
	_exit(0); /* pid 1 ends: the kernel kills P1, P2, P3 */
}

static void host_child(FILE *res, const struct addrs *a)
{
	int st;
	pid_t init;

	if (unshare(CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNS) != 0) {
		fprintf(res, "unshare(IPC|PID|NS) failed: %s\n", strerror(errno));
		fflush(res);
		_exit(3);
	}
	init = fork();
	if (init == 0)
		host_init(res, a);
	if (init < 0 || waitpid(init, &st, 0) != init)
		_exit(3);
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 6);
}

/* ---- comparing -------------------------------------------------------------- */

static void replace_all(char **s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to);
	char *p = *s;

	while (fl && (p = strstr(p, from))) {
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

/* Host times (full ctime, ctime+4 cut to 15, epoch seconds) to SIM_EPOCH. */
static void normalize_times(char **text, long t0, long t1)
{
	char from[64], to[64], sc[32];

	shell_ctime(SIM_EPOCH, sc);
	for (long t = t0; t <= t1; t++) {
		char hc[32], sc15[32];
		shell_ctime(t, hc);
		replace_all(text, hc, sc);
		strcpy(sc15, sc);
		hc[4 + 15] = sc15[4 + 15] = '\0';
		replace_all(text, hc + 4, sc15 + 4);
		snprintf(from, sizeof(from), " %10ld", t);
		snprintf(to, sizeof(to), " %10ld", SIM_EPOCH);
		replace_all(text, from, to);
	}
}

Test(shell_host, shm_and_sem_commands_print_what_the_real_ones_print, .timeout = 120)
{
	struct addrs a;
	struct sim_kernel *k = sim_build(&a);
	FILE *res = tmpfile();
	char line[512];
	long t0, t1;
	pid_t child;
	int st;

	cr_assert_not_null(res, "tmpfile: %s", strerror(errno));
	fflush(NULL);
	child = fork();
	cr_assert_neq(child, -1, "fork: %s", strerror(errno));
	if (child == 0)
		host_child(res, &a);
	cr_assert_eq(waitpid(child, &st, 0), child);
	rewind(res);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char *msg = fgets(line, sizeof(line), res);
		cr_assert_fail("host side failed (status %d): %s", st,
		               msg ? msg : "no message (tools missing?)");
	}
	cr_assert(fgets(line, sizeof(line), res) && sscanf(line, "%ld %ld", &t0, &t1) == 2,
	          "host header: %s", line);

	for (size_t i = 0; i < NSTEPS; i++) {
		size_t len;
		int status, sim_status;
		char *host, *sim;

		cr_assert(fgets(line, sizeof(line), res) && sscanf(line, "%d %zu", &status, &len) == 2,
		          "host record %zu", i);
		host = calloc(1, len + 1);
		cr_assert_eq(fread(host, 1, len, res), len);
		normalize_times(&host, t0, t1);
		sim = sim_run(k, &steps[i], &sim_status);
		cr_expect_str_eq(sim, host, "$ %s (uid %u)\n--- simulated ---\n%s--- real ---\n%s",
		                 steps[i].cmd, steps[i].uid, sim, host);
		cr_expect_eq(sim_status, status, "$ %s (uid %u): exit %d, real %d", steps[i].cmd,
		             steps[i].uid, sim_status, status);
		free(sim);
		free(host);
	}
	char err[256];
	cr_expect_eq(sim_kernel_check(k, err, sizeof(err)), 0, "kernel check: %s", err);
	sim_kernel_free(&k);
	fclose(res);
}
