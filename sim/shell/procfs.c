/*
 * procfs.c - the simulated /proc: what exists, and the IPC files of
 * /proc/sys/kernel.  The /proc/sysvipc files and /proc/PID/maps are drawn by
 * procfs_shm_sem.c.
 *
 * /proc/sys/kernel/NAME reads like the kernel's proc handlers print and
 * writes parse like they parse (kernel/sysctl.c proc_get_long: leading
 * blanks, optional '-', a number in C syntax - base 0, so "0100" is 64 -
 * ended by a blank or the end; ipc/ipc_sysctl.c ranges).  Files that exist:
 * Linux's msgmax msgmnb msgmni sem shmall shmmax shmmni, and the ipcsim
 * extensions msgpool msgssz (the kernel data area, docs/linux-semantics.md) and
 * semmsl semmns semopm semmni (the four fields of `sem` one by one).
 *
 * shmmax and shmall are unsigned long (proc_doulongvec_minmax: any value up
 * to ULONG_MAX, no sign at all, not even "-0"); they travel through the
 * kernel API as the bit pattern.  The sem fields are ints (proc_dointvec:
 * negative values are stored), except that semmni must stay in 0..32768
 * (-ERANGE, the earlier fields of the same write staying stored).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "shell/shell_int.h"

#define LINUX_IPCMNI 32768

const char *const shell_procsys_names[] = {
	"msgmax", "msgmnb", "msgmni", "msgpool", "msgssz", "sem", "semmni", "semmns",
	"semmsl", "semopm", "shmall", "shmmax", "shmmni", NULL,
};

int shell_procsys_exists(const char *name)
{
	for (int i = 0; shell_procsys_names[i]; i++)
		if (strcmp(shell_procsys_names[i], name) == 0)
			return 1;
	return 0;
}

static int is_ulong_limit(const char *name)
{
	return strcmp(name, "shmmax") == 0 || strcmp(name, "shmall") == 0;
}

static long long limit_value(struct shell_ctx *sh, const char *name)
{
	long long v = 0;

	sim_limit_get(sh->k, name, &v);
	return v;
}

/* ---- /proc/sys/kernel ---------------------------------------------------- */

static void procsys_read(struct shell_ctx *sh, const char *name, struct shell_text *t)
{
	if (strcmp(name, "sem") == 0) {
		/* proc_dointvec prints a vector tab-separated */
		shell_text_printf(t, "%d\t%d\t%d\t%d\n", (int)limit_value(sh, "semmsl"),
		                  (int)limit_value(sh, "semmns"), (int)limit_value(sh, "semopm"),
		                  (int)limit_value(sh, "semmni"));
		return;
	}
	if (is_ulong_limit(name))
		shell_text_printf(t, "%llu\n", (unsigned long long)limit_value(sh, name));
	else
		shell_text_printf(t, "%lld\n", limit_value(sh, name));
}

/* Kernel proc_get_long: one number of a vector; *p advances past it.
 * 1 = a number, 0 = nothing left, -EINVAL = garbage. */
static int parse_proc_long(const char **p, int *neg, unsigned long long *v)
{
	const char *s = *p;
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return 0;
	*neg = 0;
	if (*s == '-') {
		*neg = 1;
		s++;
	}
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -EINVAL;
	if (*end != '\0' && !isspace((unsigned char)*end))
		return -EINVAL;
	*p = end;
	return 1;
}

/* proc_ipc_sem_dointvec: up to four ints, each stored as it is parsed
 * (proc_dointvec); then semmni outside 0..IPCMNI is -ERANGE and semmni alone
 * gets its old value back. */
static int procsys_write_sem(struct shell_ctx *sh, const char *value)
{
	static const char *const field[4] = { "semmsl", "semmns", "semopm", "semmni" };
	long long old_semmni = limit_value(sh, "semmni");
	int n = 0, rc = 0;

	for (; n < 4; n++) {
		int neg;
		unsigned long long v;

		rc = parse_proc_long(&value, &neg, &v);
		if (rc <= 0)
			break;
		if (v > (neg ? (unsigned long long)INT_MAX + 1 : (unsigned long long)INT_MAX)) {
			rc = -EINVAL;
			break;
		}
		if (n == 3 && (neg ? v != 0 : v > LINUX_IPCMNI)) {
			sim_limit_set(sh->k, field[3], old_semmni);
			return -ERANGE;
		}
		rc = sim_limit_set(sh->k, field[n], neg ? -(long long)v : (long long)v);
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	return n == 0 ? -EINVAL : 0;
}

int shell_procsys_write(struct shell_ctx *sh, const char *name, const char *value)
{
	int neg, rc;
	unsigned long long v;

	if (!shell_procsys_exists(name))
		return -ENOENT;
	if (strcmp(name, "sem") == 0)
		return procsys_write_sem(sh, value);

	rc = parse_proc_long(&value, &neg, &v);
	if (rc <= 0)
		return -EINVAL;
	if (neg && (v != 0 || is_ulong_limit(name)))
		return -EINVAL; /* every IPC limit has a floor of 0; ulongs take no sign */
	if (!is_ulong_limit(name) && strcmp(name, "msgpool") != 0 && v > INT_MAX)
		return -EINVAL;
	if ((strcmp(name, "msgmni") == 0 || strcmp(name, "shmmni") == 0 ||
	     strcmp(name, "semmni") == 0) && v > LINUX_IPCMNI)
		return -EINVAL;
	return sim_limit_set(sh->k, name, (long long)v);
}

/* ---- dispatch ------------------------------------------------------------ */

/* "/proc/PID" + rest: the pid ("self" is the shell's cat, pid 0), or -1. */
static int proc_pid(const char *path, const char **rest)
{
	const char *p = path + 6;
	long pid = 0;

	if (strncmp(path, "/proc/", 6) != 0)
		return -1;
	if (strncmp(p, "self", 4) == 0) {
		*rest = p + 4;
		return 0;
	}
	if (!isdigit((unsigned char)*p) || *p == '0')
		return -1;
	while (isdigit((unsigned char)*p) && pid < 1000000000)
		pid = pid * 10 + (*p++ - '0');
	*rest = p;
	return (int)pid;
}

static int is_dir(const char *path)
{
	static const char *const dirs[] = { "/", "/proc", "/proc/sysvipc", "/proc/sys",
	                                    "/proc/sys/kernel", NULL };
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	for (int i = 0; dirs[i]; i++)
		if (strlen(dirs[i]) == len && strncmp(dirs[i], path, len) == 0)
			return 1;
	return 0;
}

/*
 * Whether the shell may read pid's maps: Linux opens them through mm_access
 * (PTRACE_MODE_READ_FSCREDS, kernel/ptrace.c __ptrace_may_access): the
 * caller's uid and gid equal to the target's, or CAP_SYS_PTRACE, which root
 * has (the simulated capabilities do not name it).  The scenario's
 * processes are dumpable, as programs their user starts are.
 */
static int may_read_maps(const struct shell_ctx *sh, const struct sim_proc_view *v)
{
	return sh->uid == 0 || (sh->uid == v->uid && sh->gid == v->gid);
}

/* /proc/PID and /proc/PID/maps: 0, -ENOENT, -EISDIR or -EACCES. */
static int read_proc_pid(struct shell_ctx *sh, int pid, const char *rest, struct shell_text *t)
{
	struct sim_proc_view v;

	/* the shell's own cat has no SysV attachments */
	if (pid > 0 && (sim_proc_get(sh->k, pid, &v) < 0 || v.state == SIM_PROC_EXITED ||
	                v.state == SIM_PROC_KILLED))
		return -ENOENT;
	if (strcmp(rest, "") == 0 || strcmp(rest, "/") == 0)
		return -EISDIR;
	if (strcmp(rest, "/maps") != 0)
		return -ENOENT;
	if (pid > 0 && !may_read_maps(sh, &v))
		return -EACCES;
	return pid > 0 ? shell_procfs_maps(sh, pid, t) : 0;
}

int shell_procfs_read(struct shell_ctx *sh, const char *path, char **text)
{
	struct shell_text t = { 0 };
	const char *name;
	int pid, rc = 0;

	*text = NULL;
	if (is_dir(path))
		return -EISDIR;
	if (strncmp(path, "/proc/sysvipc/", 14) == 0)
		rc = shell_procfs_sysvipc(sh, path + 14, &t);
	else if (strncmp(path, "/proc/sys/kernel/", 17) == 0 &&
	         shell_procsys_exists(name = path + 17))
		procsys_read(sh, name, &t);
	else if ((pid = proc_pid(path, &name)) >= 0)
		rc = read_proc_pid(sh, pid, name, &t);
	else
		rc = -ENOENT;

	if (rc == 0 && t.oom)
		rc = -ENOMEM;
	if (rc == 0 && !t.buf && !(t.buf = strdup("")))
		rc = -ENOMEM;
	if (rc < 0) {
		free(t.buf);
		return rc;
	}
	*text = t.buf;
	return 0;
}
