/*
 * host_sandbox.h - the sandbox the host backend's coordinator runs in,
 * shared by the files that build it:
 *
 *   host_keeper.c        the keeper: the process forked from the caller.  It
 *                        clones the coordinator into new namespaces, writes
 *                        its uid/gid maps from outside, puts it in a cgroup,
 *                        lets it go, and removes the cgroup when it is gone;
 *   host_sandbox.c       the coordinator's side: becomes the namespace's
 *                        root, builds the view, locks itself down, says
 *                        which isolation it has;
 *   host_sandbox_fs.c    the file system view (pivot_root into a tmpfs);
 *   host_sandbox_cg.c    cgroups and rlimits;
 *   host_sandbox_lock.c  capabilities and the seccomp filter.
 *
 * The process tree (host_int.h draws the rest):
 *
 *   caller -- fork --> keeper (the machine's namespaces; root stays root)
 *                        | clone(CLONE_NEWUSER? | NEWPID | NEWIPC | NEWUTS |
 *                        |       NEWNET | NEWNS | NEWCGROUP)
 *                        v
 *                      coordinator: pid 1 of the sandbox, reaps its orphans;
 *                      when it dies the kernel kills everything in the PID
 *                      namespace (pid_namespaces(7)), so nothing outlives it.
 *
 * Every death is propagated: the caller's death signals the keeper
 * (PR_SET_PDEATHSIG, SIGTERM: it kills the coordinator and removes the
 * cgroup), the keeper's the coordinator (SIGKILL).
 */
#ifndef IPCSIM_HOST_SANDBOX_H
#define IPCSIM_HOST_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

#include "host/host_int.h"

/* What the keeper tells the coordinator before letting it go. */
struct host_sandbox_info {
	int userns;           /* 1: in a user namespace of its own */
	int ranged;           /* userns: 1 ids 0..65535 -> IPCSIM_SANDBOX_ID_BASE..,
	                         0 only the caller's uid as 1000 (an ordinary user) */
	char no_userns[96];   /* !userns: why not */
	int cg_pids;          /* 1: a pids cgroup holds IPCSIM_SANDBOX_PIDS */
	int cg_memory;        /* 1: a memory cgroup holds IPCSIM_SANDBOX_MEMORY */
};

/* What the coordinator tells the keeper once it is set up (or not). */
struct host_sandbox_status {
	int ok;
	int retry;            /* !ok: worth trying again without a user namespace */
	char why[200];
};

/* ---- host_keeper.c --------------------------------------------------------- */

/* The keeper's life, in the process forked from the caller (pid caller);
 * sock is the coordinator's end of the caller's socketpair.  Never returns. */
void host_keeper_main(int sock, pid_t caller, const struct host_coord_config *cfg)
	__attribute__((noreturn));

/* ---- host_sandbox.c ------------------------------------------------------- */

/* The coordinator's start, in the cloned process: go is the pipe the info
 * comes on, status the one it answers on.  Never returns. */
void host_sandbox_coordinator(int sock, int go, int status, const struct host_coord_config *cfg)
	__attribute__((noreturn));

/* ---- host_sandbox_fs.c ---------------------------------------------------- */

struct host_sandbox_fs {
	int scratch_fd;  /* O_PATH: the private rw tmpfs; tmp/ is /tmp, names/ the
	                    passwd and group bound read-only on /etc's */
	int pivoted;     /* 1 pivot_root; 0 chroot (the old root was no mount point) */
};

/*
 * Builds the view and enters it: a tmpfs root with read-only binds of /usr
 * (and the distribution's /bin, /lib... as symlinks or binds), a minimal
 * /etc, /dev/null, a fresh read-only /proc for the new PID namespace with
 * the IPC namespace's kernel.msg*, shm* and sem* sysctls writable, /tmp;
 * then the root made read-only and entered.  0, or -1 with why.
 */
int host_sandbox_fs_enter(struct host_sandbox_fs *fs, char *why, size_t whylen);

/* ---- host_sandbox_cg.c ---------------------------------------------------- */

/* RLIMIT_DATA counts every private writable mapping, and AddressSanitizer
 * reserves terabytes of shadow that way at start: under it a data limit
 * would fail every later allocation, so an ASan build goes without. */
#if defined(__SANITIZE_ADDRESS__)
#define HOST_SANDBOX_DATA_LIMIT 0
#else
#define HOST_SANDBOX_DATA_LIMIT 1
#endif

struct host_cgroups {
	char pids[256];    /* the cgroup's directory; "" when none */
	char memory[256];
};

/* Makes the cgroups the sandbox will be put in, named after owner (the
 * keeper), where the machine lets this process make them; removes the
 * ones of keepers that are gone.  What could not be made stays "". */
void host_cgroups_make(struct host_cgroups *cg, pid_t owner);
/* Moves pid into them; a cgroup that refuses it is given up (""). */
void host_cgroups_attach(struct host_cgroups *cg, pid_t pid);
/* Removes them (once nothing is left in them). */
void host_cgroups_remove(struct host_cgroups *cg);
/* The coordinator's rlimits, inherited by everything it starts: no core
 * dumps, IPCSIM_SANDBOX_DATA, and RLIMIT_NPROC where no pids cgroup does
 * the job and the user namespace makes it count per sandbox. */
void host_sandbox_rlimits(const struct host_sandbox_info *info);

/* ---- host_sandbox_lock.c -------------------------------------------------- */

/* Capabilities: the bounding, permitted and effective sets cut to what the
 * scenario's calls and the coordinator need (host_sandbox_lock.c lists
 * them).  0, or -1 with why. */
int host_sandbox_drop_caps(char *why, size_t whylen);
/* The seccomp filter: mounts, namespaces, module, key, time, ptrace and
 * rlimit calls refused with EPERM.  1 installed, 0 not on this
 * architecture, -1 with why. */
int host_sandbox_seccomp(char *why, size_t whylen);

#endif
