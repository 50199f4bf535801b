/*
 * host_keeper.c - the keeper: the process forked from the caller, outside
 * the sandbox, that makes it and removes what it leaves on the machine.
 *
 * It clones the coordinator straight into its namespaces.  A user
 * namespace first where the machine allows one: as root its ids 0..65535
 * map to IPCSIM_SANDBOX_ID_BASE.., so that every uid a scenario uses exists
 * and none of them is host root (a namespace that mapped root to root
 * could still write the machine's sysctls, which check the euid against
 * GLOBAL_ROOT_UID: fs/proc/proc_sysctl.c test_perm); as an ordinary user
 * only its own uid, as 1000.  The maps must be written from the parent
 * namespace (user_namespaces(7): a process that has just unshared has no
 * CAP_SETUID in the parent to map a range), so the coordinator waits on a
 * pipe until the keeper has written them and put it in its cgroups.  Where
 * no user namespace can be made (some containers, chroots), or
 * IPCSIM_CHECK_NO_USERNS asks, a root keeper clones the coordinator into
 * the other namespaces alone; the coordinator then drops its capabilities
 * and filters its syscalls instead (host_sandbox_lock.c).
 *
 * Then it waits: for the coordinator's death (it removes the cgroups and
 * exits) or its own death signal, sent when the caller dies (it kills the
 * coordinator first).  Signals are taken with sigwaitinfo, so there is no
 * handler and no global state.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/host_sandbox.h"
#include "ipcsim/sandbox.h"

/* How long the coordinator may take to set itself up. */
#define KEEPER_SETUP_TIMEOUT_MS 8000
/* The scenario's default user (docs/scenario-language.md), the one id an ordinary user's
 * namespace holds. */
#define KEEPER_USERNS_ID 1000

#define SANDBOX_NS_FLAGS (CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | \
                          CLONE_NEWNS | CLONE_NEWCGROUP)

static void hello_failed(int sock, const char *why)
{
	struct host_rep rep;

	memset(&rep, 0, sizeof(rep));
	rep.rc = -1;
	snprintf(rep.why, sizeof(rep.why), "%.*s", (int)sizeof(rep.why) - 1, why);
	host_wire_send(sock, &rep, sizeof(rep), NULL, 0, -1);
}

static int write_proc(pid_t pid, const char *file, const char *text)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The coordinator's uid and gid maps, from here (the parent namespace). */
static int write_maps(pid_t pid, int ranged, char *why, size_t whylen)
{
	char map[64];

	if (ranged) {
		/* A privileged writer may leave setgroups allowed: the scenario's
		 * processes drop their supplementary groups (host_child.c). */
		snprintf(map, sizeof(map), "0 %u %u\n", IPCSIM_SANDBOX_ID_BASE,
		         IPCSIM_SANDBOX_ID_COUNT);
		if (write_proc(pid, "uid_map", map) != 0 || write_proc(pid, "gid_map", map) != 0)
			goto out_errno;
		return 0;
	}
	snprintf(map, sizeof(map), "%d %u 1\n", KEEPER_USERNS_ID, (unsigned)geteuid());
	if (write_proc(pid, "setgroups", "deny\n") != 0 || write_proc(pid, "uid_map", map) != 0)
		goto out_errno;
	snprintf(map, sizeof(map), "%d %u 1\n", KEEPER_USERNS_ID, (unsigned)getegid());
	if (write_proc(pid, "gid_map", map) != 0)
		goto out_errno;
	return 0;

out_errno:
	snprintf(why, whylen, "user namespace id maps: %s", strerror(errno));
	return -1;
}

/* Reads the coordinator's status, waiting at most KEEPER_SETUP_TIMEOUT_MS. */
static void read_status(int fd, struct host_sandbox_status *st)
{
	struct pollfd pf = { fd, POLLIN, 0 };
	ssize_t n = 0;

	memset(st, 0, sizeof(*st));
	if (poll(&pf, 1, KEEPER_SETUP_TIMEOUT_MS) > 0)
		n = read(fd, st, sizeof(*st));
	if (n != (ssize_t)sizeof(*st)) {
		memset(st, 0, sizeof(*st));
		snprintf(st->why, sizeof(st->why), "the sandbox's coordinator %s during its set-up",
		         n == 0 ? "died" : "did not answer");
	}
	st->why[sizeof(st->why) - 1] = '\0';
}

/*
 * One attempt: clones the coordinator with flags, maps its ids (userns),
 * puts it in the cgroups, lets it go with info and waits for its status.
 * Returns its pid when it is set up; -1 otherwise (it has been reaped),
 * with st saying why.
 */
static pid_t launch(int sock, const struct host_coord_config *cfg, int flags,
                    struct host_sandbox_info *info, struct host_cgroups *cg,
                    struct host_sandbox_status *st)
{
	int go[2] = { -1, -1 }, stp[2] = { -1, -1 };
	pid_t pid = -1;

	memset(st, 0, sizeof(*st));
	if (pipe2(go, O_CLOEXEC) != 0 || pipe2(stp, O_CLOEXEC) != 0) {
		snprintf(st->why, sizeof(st->why), "pipe: %s", strerror(errno));
		goto out_close;
	}
	/* A raw clone is fork() with namespaces: this process is single-threaded,
	 * so the glibc state the wrapper fixes up is not in use. */
	pid = (pid_t)syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), 0UL, 0UL, 0UL, 0UL);
	if (pid < 0) {
		st->retry = (flags & CLONE_NEWUSER) != 0;
		snprintf(st->why, sizeof(st->why), "clone(%s): %s",
		         (flags & CLONE_NEWUSER) ? "CLONE_NEWUSER|CLONE_NEWPID|..." : "CLONE_NEWPID|...",
		         strerror(errno));
		goto out_close;
	}
	if (pid == 0) {
		close(go[1]);
		close(stp[0]);
		host_sandbox_coordinator(sock, go[0], stp[1], cfg);
	}
	close(go[0]);
	close(stp[1]);
	go[0] = stp[1] = -1;
	if (info->userns && write_maps(pid, info->ranged, st->why, sizeof(st->why)) != 0) {
		st->retry = 1;
		goto out_reap;
	}
	host_cgroups_attach(cg, pid);
	info->cg_pids = cg->pids[0] != '\0';
	info->cg_memory = cg->memory[0] != '\0';
	if (write(go[1], info, sizeof(*info)) != (ssize_t)sizeof(*info)) {
		snprintf(st->why, sizeof(st->why), "the sandbox's coordinator died at start");
		goto out_reap;
	}
	close(go[1]);
	go[1] = -1;
	read_status(stp[0], st);
	if (st->ok)
		goto out_close;

out_reap:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	pid = -1;
out_close:
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (stp[i] >= 0)
			close(stp[i]);
	}
	return pid;
}

/* The coordinator, in a user namespace if one can be made, else without. */
static pid_t start_sandbox(int sock, const struct host_coord_config *cfg, struct host_cgroups *cg,
                           char *why, size_t whylen)
{
	struct host_sandbox_info info;
	struct host_sandbox_status st;
	pid_t pid;

	memset(&info, 0, sizeof(info));
	if (!cfg->no_userns && (geteuid() == 0 || cfg->allow_userns)) {
		info.userns = 1;
		info.ranged = geteuid() == 0;
		pid = launch(sock, cfg, CLONE_NEWUSER | SANDBOX_NS_FLAGS, &info, cg, &st);
		if (pid > 0)
			return pid;
		if (!st.retry || geteuid() != 0) {
			snprintf(why, whylen, "%s", st.why);
			return -1;
		}
		snprintf(info.no_userns, sizeof(info.no_userns), "%.*s",
		         (int)sizeof(info.no_userns) - 1, st.why);
	} else {
		snprintf(info.no_userns, sizeof(info.no_userns), "%s",
		         cfg->no_userns ? "not asked for (IPCSIM_CHECK_NO_USERNS)" : "not allowed");
	}
	info.userns = info.ranged = 0;
	pid = launch(sock, cfg, SANDBOX_NS_FLAGS, &info, cg, &st);
	if (pid < 0)
		snprintf(why, whylen, "%s%s", st.why,
		         geteuid() != 0 ? " - an ordinary user needs user namespaces" : "");
	return pid;
}

void host_keeper_main(int sock, pid_t caller, const struct host_coord_config *cfg)
{
	struct host_cgroups cg;
	sigset_t waitset;
	char why[256];
	pid_t coord;

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&waitset);
	sigaddset(&waitset, SIGCHLD);
	sigaddset(&waitset, SIGTERM);
	sigaddset(&waitset, SIGINT);
	sigaddset(&waitset, SIGHUP);
	sigprocmask(SIG_SETMASK, &waitset, NULL);
	/* SIGTERM, not SIGKILL: the keeper has the cgroups to remove. */
	prctl(PR_SET_PDEATHSIG, SIGTERM, 0L, 0L, 0L);
	if (getppid() != caller)
		_exit(127); /* the caller died before the death signal was armed */
	host_close_fds_except(sock);

	host_cgroups_make(&cg, getpid());
	coord = start_sandbox(sock, cfg, &cg, why, sizeof(why));
	if (coord < 0) {
		hello_failed(sock, why);
		host_cgroups_remove(&cg);
		_exit(2);
	}
	close(sock); /* the coordinator has said hello on it */
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&waitset, &si);

		if (sig == SIGCHLD && waitpid(coord, NULL, WNOHANG) == coord)
			break;
		if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
			kill(coord, SIGKILL); /* pid 1 of its namespace: everything goes */
			waitpid(coord, NULL, 0);
			break;
		}
	}
	host_cgroups_remove(&cg);
	_exit(0);
}
