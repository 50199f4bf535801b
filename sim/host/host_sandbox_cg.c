/*
 * host_sandbox_cg.c - the sandbox's limits on processes and memory:
 * cgroups where this process may make them, rlimits always.
 *
 * A cgroup is made below the caller's own (so whatever limits the caller
 * already has still apply), named ipcsim-check.KEEPER, by the keeper
 * (host_keeper.c), which puts the coordinator in it before letting it go
 * and removes it when the coordinator is gone; the coordinator's
 * descendants inherit it.  A keeper killed with SIGKILL cannot remove its
 * cgroup; the next keeper removes every ipcsim-check.N whose keeper is no
 * longer alive (rmdir only succeeds on an empty cgroup anyway).
 *
 *   cgroup v1 (a hierarchy per controller, e.g. /sys/fs/cgroup/pids):
 *     pids.max, memory.limit_in_bytes;
 *   cgroup v2 (one hierarchy): pids.max, memory.max, only where the
 *     controller is already enabled for the caller's children
 *     (cgroup.subtree_control): enabling it would need the caller out of
 *     its own cgroup ("no internal processes", cgroups(7)).
 *
 * Without a memory cgroup only RLIMIT_DATA bounds what a process allocates
 * (kernel memory of messages and semaphores is bounded by the budget the
 * comparer enforces).  Without a pids cgroup RLIMIT_NPROC bounds each uid
 * of a user namespace (the count is kept per namespace and uid: kernel/
 * ucount.c); outside one it would count the machine's processes of that
 * uid, so the budget alone bounds them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host/host_sandbox.h"
#include "ipcsim/sandbox.h"

#define CG_PREFIX "ipcsim-check."

static int write_text(const char *dir, const char *file, const char *text)
{
	char path[320];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Whether a line of the cgroup's file (cgroup.subtree_control) names word. */
static int file_has_word(const char *dir, const char *file, const char *word)
{
	char path[320], buf[512], *save = NULL;
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (f == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) != NULL)
		for (char *w = strtok_r(buf, " \n", &save); w != NULL; w = strtok_r(NULL, " \n", &save))
			found |= strcmp(w, word) == 0;
	fclose(f);
	return found;
}

/* The caller's cgroup for controller (v1), or its v2 cgroup (v2 = 1): the
 * path inside the hierarchy.  0 or -1. */
static int own_path(const char *controller, int v2, char *out, size_t len)
{
	char line[512];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int rc = -1;

	if (f == NULL)
		return -1;
	while (rc < 0 && fgets(line, sizeof(line), f) != NULL) {
		char *c1 = strchr(line, ':'), *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
		char *save = NULL;

		if (c2 == NULL)
			continue;
		*c1 = *c2 = '\0'; /* line: the hierarchy id, c1 + 1: its controllers */
		c2[1 + strcspn(c2 + 1, "\n")] = '\0';
		if (v2 && strcmp(line, "0") == 0 && c1[1] == '\0') {
			snprintf(out, len, "%s", c2 + 1);
			rc = 0;
		}
		for (char *w = strtok_r(c1 + 1, ",", &save); !v2 && w != NULL; w = strtok_r(NULL, ",", &save))
			if (strcmp(w, controller) == 0) {
				snprintf(out, len, "%s", c2 + 1);
				rc = 0;
			}
	}
	fclose(f);
	return rc;
}

/* Where the hierarchy of controller (v1) or the v2 one is mounted, and the
 * mount's root inside it.  0 or -1. */
static int mount_of(const char *controller, int v2, char *mnt, size_t mlen, char *root,
                    size_t rlen)
{
	char line[1024];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int rc = -1;

	if (f == NULL)
		return -1;
	while (rc < 0 && fgets(line, sizeof(line), f) != NULL) {
		char r[256], m[256], type[32], opts[256];
		const char *dash = strstr(line, " - ");

		if (dash == NULL || sscanf(line, "%*d %*d %*s %255s %255s", r, m) != 2 ||
		    sscanf(dash + 3, "%31s %*s %255s", type, opts) != 2)
			continue;
		if (v2 ? strcmp(type, "cgroup2") != 0 : strcmp(type, "cgroup") != 0)
			continue;
		if (!v2) {
			char *save = NULL;
			int has = 0;

			for (char *w = strtok_r(opts, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save))
				has |= strcmp(w, controller) == 0;
			if (!has)
				continue;
		}
		snprintf(mnt, mlen, "%s", m);
		snprintf(root, rlen, "%s", r);
		rc = 0;
	}
	fclose(f);
	return rc;
}

/* The directory of the caller's cgroup for controller: v1 first, then v2
 * where the controller is enabled for its children; *v2 says which.  0 or
 * -1. */
static int parent_dir(const char *controller, char *out, size_t len, int *is_v2)
{
	char mnt[256], root[256], path[256];
	const char *rel;

	for (int v2 = 0; v2 <= 1; v2++) {
		if (mount_of(controller, v2, mnt, sizeof(mnt), root, sizeof(root)) != 0 ||
		    own_path(controller, v2, path, sizeof(path)) != 0)
			continue;
		rel = path;
		if (strcmp(root, "/") != 0 && strncmp(path, root, strlen(root)) == 0)
			rel = path + strlen(root);
		if ((size_t)snprintf(out, len, "%s%s", mnt, strcmp(rel, "/") == 0 ? "" : rel) >= len)
			continue;
		*is_v2 = v2;
		if (!v2 || file_has_word(out, "cgroup.subtree_control", controller))
			return 0;
	}
	return -1;
}

/* Removes the ipcsim-check.N of dir whose keeper N is gone. */
static void sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[512];
		long pid;

		if (strncmp(e->d_name, CG_PREFIX, strlen(CG_PREFIX)) != 0)
			continue;
		pid = strtol(e->d_name + strlen(CG_PREFIX), NULL, 10);
		if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		rmdir(path);
	}
	closedir(d);
}

/* One cgroup for controller with its limit in file (v1's, v2's); out ""
 * when not made. */
static void make_one(const char *controller, const char *const file[2],
                     unsigned long long limit, pid_t owner, char *out, size_t len)
{
	char parent[256], text[32];
	int v2 = 0;

	out[0] = '\0';
	if (parent_dir(controller, parent, sizeof(parent), &v2) != 0)
		return;
	sweep(parent);
	if ((size_t)snprintf(out, len, "%s/" CG_PREFIX "%d", parent, (int)owner) >= len) {
		out[0] = '\0';
		return;
	}
	snprintf(text, sizeof(text), "%llu\n", limit);
	if (mkdir(out, 0755) != 0) {
		out[0] = '\0';
		return;
	}
	if (write_text(out, file[v2], text) != 0) {
		rmdir(out);
		out[0] = '\0';
	}
}

void host_cgroups_make(struct host_cgroups *cg, pid_t owner)
{
	static const char *const pids[2] = { "pids.max", "pids.max" };
	static const char *const memory[2] = { "memory.limit_in_bytes", "memory.max" };

	make_one("pids", pids, IPCSIM_SANDBOX_PIDS, owner, cg->pids, sizeof(cg->pids));
	make_one("memory", memory, IPCSIM_SANDBOX_MEMORY, owner, cg->memory, sizeof(cg->memory));
}

void host_cgroups_attach(struct host_cgroups *cg, pid_t pid)
{
	char text[32];

	snprintf(text, sizeof(text), "%d\n", (int)pid);
	if (cg->pids[0] != '\0' && write_text(cg->pids, "cgroup.procs", text) != 0) {
		rmdir(cg->pids);
		cg->pids[0] = '\0';
	}
	if (cg->memory[0] != '\0' && write_text(cg->memory, "cgroup.procs", text) != 0) {
		rmdir(cg->memory);
		cg->memory[0] = '\0';
	}
}

/* rmdir, retried for a moment: the last tasks of a cgroup may still be on
 * their way out when their parent has been reaped. */
static void remove_one(char *dir)
{
	struct timespec pause = { 0, 2000000 };

	for (int i = 0; dir[0] != '\0' && i < 500; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			break;
		if (errno != EBUSY)
			break;
		nanosleep(&pause, NULL);
	}
	dir[0] = '\0';
}

void host_cgroups_remove(struct host_cgroups *cg)
{
	remove_one(cg->pids);
	remove_one(cg->memory);
}

/* Both limits of resource at most value; exact: the soft one value too
 * (the hard one permitting: raising it takes the machine's
 * CAP_SYS_RESOURCE). */
static void lower_limit(int resource, rlim_t value, int exact)
{
	struct rlimit r;

	if (getrlimit(resource, &r) != 0)
		return;
	if (r.rlim_max == RLIM_INFINITY || r.rlim_max > value)
		r.rlim_max = value;
	if (r.rlim_cur == RLIM_INFINITY || r.rlim_cur > r.rlim_max || exact)
		r.rlim_cur = r.rlim_max;
	setrlimit(resource, &r);
}

void host_sandbox_rlimits(const struct host_sandbox_info *info)
{
	/* A memory fault kills a scenario process as it would the scenario's,
	 * and no core dump leaves the sandbox.  1, not 0: the kernel ignores
	 * RLIMIT_CORE for a core_pattern pipe, which runs a helper as the
	 * machine's root, except when it is exactly 1 (fs/coredump.c: "RLIMIT_CORE
	 * is set to 1, aborting core"); 1 byte is also below any core file
	 * (binfmt min_coredump), and fs.suid_dumpable=2 dumps processes that
	 * are not dumpable.  The seccomp filter keeps it from being raised.
	 * (A caller whose hard limit is already 0 keeps 0: core files stay
	 * off, a core_pattern pipe would not.) */
	lower_limit(RLIMIT_CORE, 1, 1);
	if (HOST_SANDBOX_DATA_LIMIT)
		lower_limit(RLIMIT_DATA, IPCSIM_SANDBOX_DATA, 0);
	if (info->userns && !info->cg_pids)
		lower_limit(RLIMIT_NPROC, IPCSIM_SANDBOX_PIDS, 0);
}
