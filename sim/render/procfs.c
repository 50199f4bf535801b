/*
 * procfs.c - the simulated /proc: /proc/sysvipc/{msg,shm,sem} and the IPC
 * files of /proc/sys/kernel.
 *
 * /proc/sysvipc/msg is Linux's sysvipc_msg_proc_show (ipc/msg.c): one line
 * per queue in index order, key in decimal, mode in octal, times in epoch
 * seconds.  shm and sem print only their header until those objects are
 * simulated (a fresh namespace has none, so that is exactly what Linux
 * prints).
 *
 * /proc/sys/kernel/NAME reads like the kernel's proc handlers print and
 * writes parse like they parse (kernel/sysctl.c proc_get_long: leading
 * blanks, optional '-', a number in C syntax - base 0, so "0100" is 64 -
 * ended by a blank or the end; ipc/ipc_sysctl.c ranges).  Files that exist:
 * Linux's msgmax msgmnb msgmni sem shmall shmmax shmmni, and the ipcsim
 * extensions msgpool msgssz (the kernel data area, SCENARIO.md "Limits") and
 * semmsl semmns semopm semmni (the four fields of `sem` one by one).
 *
 * shmmax/shmall: Linux's default ULONG_MAX - 2^24 does not fit the kernel
 * API's long long, which holds LLONG_MAX for it; it is shown as Linux shows
 * its default, and writes beyond LLONG_MAX are stored as LLONG_MAX.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "render/shell_int.h"

#define LINUX_SHM_DEFAULT 18446744073692774399ULL /* ULONG_MAX - (1UL << 24) */
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

static unsigned long long limit_value(struct shell_ctx *sh, const char *name)
{
	long long v = 0;

	sim_limit_get(sh->k, name, &v);
	if (is_ulong_limit(name) && v == LLONG_MAX)
		return LINUX_SHM_DEFAULT;
	return (unsigned long long)v;
}

/* ---- growing string ------------------------------------------------------ */
struct text {
	char *buf;
	size_t len, cap;
	int oom;
};

static void text_printf(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = (t->cap ? t->cap * 2 : 256) + (size_t)n;
		char *nb = realloc(t->buf, cap);
		if (!nb) {
			t->oom = 1;
			return;
		}
		t->buf = nb;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* ---- /proc/sysvipc ------------------------------------------------------- */

static void sysvipc_msg(struct shell_ctx *sh, struct text *t)
{
	int max = sim_msg_max_idx(sh->k);

	text_printf(t, "       key      msqid perms      cbytes       qnum lspid lrpid"
	               "   uid   gid  cuid  cgid      stime      rtime      ctime\n");
	for (int idx = 0; idx <= max; idx++) {
		struct sim_msqid_ds ds;
		long id = sim_msg_stat_idx(sh->k, idx, &ds);

		if (id < 0)
			continue;
		text_printf(t, "%10d %10ld  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu\n",
		            (int)ds.msg_perm.key, id, ds.msg_perm.mode, ds.msg_cbytes,
		            ds.msg_qnum, (unsigned)ds.msg_lspid, (unsigned)ds.msg_lrpid,
		            ds.msg_perm.uid, ds.msg_perm.gid, ds.msg_perm.cuid, ds.msg_perm.cgid,
		            (unsigned long long)ds.msg_stime, (unsigned long long)ds.msg_rtime,
		            (unsigned long long)ds.msg_ctime);
	}
}

/* Shared memory and semaphores: their rows slot in here when simulated. */
static void sysvipc_shm(struct shell_ctx *sh, struct text *t)
{
	text_printf(t, "       key      shmid perms                  size  cpid  lpid nattch"
	               "   uid   gid  cuid  cgid      atime      dtime      ctime"
	               "                   rss                  swap\n");
}

static void sysvipc_sem(struct shell_ctx *sh, struct text *t)
{
	text_printf(t, "       key      semid perms      nsems   uid   gid  cuid  cgid"
	               "      otime      ctime\n");
}

/* ---- /proc/sys/kernel ---------------------------------------------------- */

static void procsys_read(struct shell_ctx *sh, const char *name, struct text *t)
{
	if (strcmp(name, "sem") == 0) {
		/* proc_dointvec prints a vector tab-separated */
		text_printf(t, "%llu\t%llu\t%llu\t%llu\n", limit_value(sh, "semmsl"),
		            limit_value(sh, "semmns"), limit_value(sh, "semopm"),
		            limit_value(sh, "semmni"));
		return;
	}
	text_printf(t, "%llu\n", limit_value(sh, name));
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

static int set_limit(struct shell_ctx *sh, const char *name, unsigned long long v)
{
	long long stored = v > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)v;
	return sim_limit_set(sh->k, name, stored);
}

/* proc_ipc_sem_dointvec: up to four ints; semmni beyond IPCMNI is ERANGE
 * after the other three were already stored. */
static int procsys_write_sem(struct shell_ctx *sh, const char *value)
{
	static const char *const field[4] = { "semmsl", "semmns", "semopm", "semmni" };
	long long vals[4];
	int n = 0, rc;

	for (; n < 4; n++) {
		int neg;
		unsigned long long v;

		rc = parse_proc_long(&value, &neg, &v);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		if (v > (neg ? (unsigned long long)INT_MAX + 1 : (unsigned long long)INT_MAX))
			return -EINVAL;
		vals[n] = neg ? -(long long)v : (long long)v;
	}
	if (n == 0)
		return -EINVAL;
	for (int i = 0; i < n && i < 3; i++) {
		/* proc_dointvec takes any int; the kernel API has no negative limits. */
		if (vals[i] < 0)
			continue;
		rc = sim_limit_set(sh->k, field[i], vals[i]);
		if (rc < 0)
			return rc;
	}
	if (n == 4) {
		if ((unsigned)(int)vals[3] > LINUX_IPCMNI)
			return -ERANGE;
		return sim_limit_set(sh->k, field[3], vals[3]);
	}
	return 0;
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
	if (neg && v != 0)
		return -EINVAL; /* every IPC limit has a floor of 0 */
	if (!is_ulong_limit(name) && strcmp(name, "msgpool") != 0 && v > INT_MAX)
		return -EINVAL;
	if ((strcmp(name, "msgmni") == 0 || strcmp(name, "shmmni") == 0 ||
	     strcmp(name, "semmni") == 0) && v > LINUX_IPCMNI)
		return -EINVAL;
	return set_limit(sh, name, v);
}

/* ---- dispatch ------------------------------------------------------------ */

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

int shell_procfs_read(struct shell_ctx *sh, const char *path, char **text)
{
	struct text t = { 0 };
	const char *name;

	*text = NULL;
	if (is_dir(path))
		return -EISDIR;
	if (strcmp(path, "/proc/sysvipc/msg") == 0)
		sysvipc_msg(sh, &t);
	else if (strcmp(path, "/proc/sysvipc/shm") == 0)
		sysvipc_shm(sh, &t);
	else if (strcmp(path, "/proc/sysvipc/sem") == 0)
		sysvipc_sem(sh, &t);
	else if (strncmp(path, "/proc/sys/kernel/", 17) == 0 &&
	         shell_procsys_exists(name = path + 17))
		procsys_read(sh, name, &t);
	else
		return -ENOENT;

	if (t.oom) {
		free(t.buf);
		return -ENOMEM;
	}
	if (!t.buf) {
		t.buf = strdup("");
		if (!t.buf)
			return -ENOMEM;
	}
	*text = t.buf;
	return 0;
}
