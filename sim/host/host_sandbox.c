/*
 * host_sandbox.c - the coordinator's first moments, in the process the
 * keeper cloned into the new namespaces (host_keeper.c): wait until the
 * keeper has mapped its ids and put it in its cgroups, become the user
 * namespace's root, leave the terminal behind, build and enter the file
 * system view, set the rlimits, drop capabilities, install the seccomp
 * filter; tell the keeper, then serve the caller (host_coord.c), saying
 * which isolation it has in its hello.
 *
 * The order matters: mounts need CAP_SYS_ADMIN and the mount calls, which
 * the last two steps take away.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "host/host_sandbox.h"
#include "ipcsim/sandbox.h"

static void status_send(int fd, const struct host_sandbox_status *st)
{
	ssize_t n = write(fd, st, sizeof(*st));

	(void)n; /* the keeper reads a short status as a failure */
	close(fd);
}

/*
 * In a user namespace made by root the coordinator still has host uid 0
 * (it is unmapped: the namespace shows it as the overflow uid).  Its euid
 * must become the namespace's root, host uid IPCSIM_SANDBOX_ID_BASE:
 * the machine's sysctls let GLOBAL_ROOT_UID write them whatever the
 * namespace (fs/proc/proc_sysctl.c test_perm).  From an unmapped euid to
 * the namespace's root the permitted set stays and becomes effective
 * (capabilities(7), "Effect of user ID changes").
 */
static int become_ns_root(char *why, size_t whylen)
{
	if (setresgid(0, 0, 0) != 0 || setgroups(0, NULL) != 0 || setresuid(0, 0, 0) != 0) {
		snprintf(why, whylen, "becoming the user namespace's root: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The caller's terminal stays outside: fds 0-2 become /dev/null, so that no
 * process of the sandbox can write to it or push input into it (TIOCSTI). */
static int stdio_to_null(char *why, size_t whylen)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
		snprintf(why, whylen, "/dev/null: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The hello's text: what this sandbox isolates, one line. */
static void describe(char *out, size_t len, const struct host_sandbox_info *info,
                     const struct host_sandbox_fs *fs, int seccomp)
{
	char user[160], procs[64], memory[64], data[64];

	if (info->userns && info->ranged)
		snprintf(user, sizeof(user), "user+pid+ipc+uts+net+mount+cgroup namespaces (ids 0-%u "
		         "are host %u-%u: no host root)", IPCSIM_SANDBOX_ID_COUNT - 1,
		         IPCSIM_SANDBOX_ID_BASE, IPCSIM_SANDBOX_ID_BASE + IPCSIM_SANDBOX_ID_COUNT - 1);
	else if (info->userns)
		snprintf(user, sizeof(user), "user+pid+ipc+uts+net+mount+cgroup namespaces (only "
		         "uid 1000, the caller's)");
	else
		snprintf(user, sizeof(user), "pid+ipc+uts+net+mount+cgroup namespaces, no user "
		         "namespace (%s)", info->no_userns);
	if (info->cg_pids)
		snprintf(procs, sizeof(procs), "%d processes (pids cgroup)", IPCSIM_SANDBOX_PIDS);
	else if (info->userns)
		snprintf(procs, sizeof(procs), "%d processes per uid (RLIMIT_NPROC)",
		         IPCSIM_SANDBOX_PIDS);
	else
		snprintf(procs, sizeof(procs), "processes: the budget only (no pids cgroup)");
	if (info->cg_memory)
		snprintf(memory, sizeof(memory), "%lu MiB memory (memory cgroup)",
		         IPCSIM_SANDBOX_MEMORY >> 20);
	else
		snprintf(memory, sizeof(memory), "no memory cgroup");
	if (HOST_SANDBOX_DATA_LIMIT)
		snprintf(data, sizeof(data), "%lu MiB data per process", IPCSIM_SANDBOX_DATA >> 20);
	else
		snprintf(data, sizeof(data), "no data limit (AddressSanitizer build)");
	snprintf(out, len, "%s; %s into a read-only view (/usr, /etc, /tmp, /dev/null); /proc "
	         "read-only but kernel.msg*, shm*, sem*; capabilities cut to the IPC calls'%s; "
	         "limits: %s, %s, %s, %lu MiB output per command, no core dumps",
	         user, fs->pivoted ? "pivot_root" : "chroot",
	         seccomp > 0 ? "; seccomp filter" : "; no seccomp filter (unknown architecture)",
	         procs, memory, data, IPCSIM_SANDBOX_OUTPUT >> 20);
}

void host_sandbox_coordinator(int sock, int go, int status, const struct host_coord_config *cfg)
{
	struct host_sandbox_info info;
	struct host_sandbox_status st;
	struct host_sandbox_fs fs = { -1, 0 };
	char isolation[640];
	int seccomp;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0L, 0L, 0L);
	/* EOF: the keeper died before letting this process go (before the
	 * death signal was armed, too). */
	if (read(go, &info, sizeof(info)) != (ssize_t)sizeof(info))
		_exit(127);
	close(go);
	info.no_userns[sizeof(info.no_userns) - 1] = '\0';
	memset(&st, 0, sizeof(st));
	if (info.userns && info.ranged && become_ns_root(st.why, sizeof(st.why)) != 0)
		goto out_fail;
	/* A change of credentials cleared the death signal. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0L, 0L, 0L);
	if (stdio_to_null(st.why, sizeof(st.why)) != 0)
		goto out_fail;
	/* The UTS namespace is this sandbox's: the machine's name stays. */
	if (sethostname("ipcsim", 6) != 0) {
		snprintf(st.why, sizeof(st.why), "sethostname in the UTS namespace: %s",
		         strerror(errno));
		goto out_fail;
	}
	if (host_sandbox_fs_enter(&fs, st.why, sizeof(st.why)) != 0) {
		st.retry = info.userns; /* e.g. proc refused in a user namespace */
		goto out_fail;
	}
	host_sandbox_rlimits(&info);
	if (host_sandbox_drop_caps(st.why, sizeof(st.why)) != 0)
		goto out_fail;
	seccomp = host_sandbox_seccomp(st.why, sizeof(st.why));
	if (seccomp < 0)
		goto out_fail;
	describe(isolation, sizeof(isolation), &info, &fs, seccomp);
	st.ok = 1;
	status_send(status, &st);
	host_coord_main(sock, cfg, fs.scratch_fd, isolation);

out_fail:
	status_send(status, &st);
	_exit(2);
}
