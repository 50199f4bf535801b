/*
 * ipcsim/host.h - the host kernel backend: every call as the real syscall.
 *
 * Runs every call in a sandbox (sim/host/host_sandbox.h): a coordinator
 * process, pid 1 of its own PID namespace, in its own IPC, UTS, network,
 * mount and cgroup namespaces and, where the machine allows, a user
 * namespace in which none of its ids is host root; it sees a read-only
 * file system of the tools alone, has its capabilities cut to the IPC
 * calls' and a seccomp filter, and limits on processes and memory (the
 * numbers are ipcsim/sandbox.h's).  It owns one real child process per
 * scenario process and talks to the caller over a socketpair.  Scenario pids
 * are the simulator's (1000, 1001, ... in creation order); real pids never
 * cross this interface.  Its `kernel` and `check` ops are NULL (there is no
 * simulated kernel to show).  backend_free() kills and reaps every child and
 * the coordinator; the namespace goes with them.  It answers
 * BACKEND_NOT_ON_HOST and BACKEND_OP_SKIPPED (ipcsim/backend.h) where it
 * cannot run a step faithfully.
 */
#ifndef IPCSIM_HOST_H
#define IPCSIM_HOST_H

#include <stddef.h>

#include "ipcsim/backend.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

struct backend_host_options {
	/* Milliseconds a call may run before it is checked for sleeping in
	 * msgsnd/msgrcv/semop/semtimedop (0: 2 ms). */
	int grace_ms;
	/* Longest wait, after a step, for processes it woke (0: 200 ms). */
	int settle_ms;
	/* Longest wait for a call that is neither answered nor asleep, before
	 * the backend gives up (0: 5000 ms). */
	int step_timeout_ms;
	/* 1: sleep(n) really sleeps n seconds in the child; 0 (default): it
	 * returns 0 at once (the host's times are then not comparable), or
	 * waits just long enough for the semtimedop timeouts it passes. */
	int real_sleep;
	/* Real milliseconds per scenario second in semtimedop timeouts, which
	 * the kernel must let run out (0: 200; 1000 with real_sleep). */
	int ms_per_second;
	/* An ordinary user (not root): 1 to use a user namespace with only the
	 * caller's uid mapped, to uid 1000 gid 1000 (the scenario's default
	 * user); processes of other uids, root included, then fail.  0: fail. */
	int allow_userns;
	/* 1: no user namespace even where one could be made (root only): the
	 * other namespaces, the view, cut capabilities and the seccomp filter
	 * still apply.  For tests of that mode (IPCSIM_CHECK_NO_USERNS). */
	int no_userns;
	/* > 0: no wait of the host backend runs past this many milliseconds
	 * after it started (the scenario's wall-time budget). */
	long wall_ms;
};

/*
 * A backend over the host kernel.  o may be NULL (defaults).  NULL on
 * failure, with the reason in err (e.g. "unshare(CLONE_NEWIPC): Operation
 * not permitted"): nothing is left running then.
 */
struct backend *backend_host_new(const struct backend_host_options *o, char *err,
                                 size_t errlen);

/* The SIM_CAP_* bits (ipcsim/types.h) this process holds, permitted: the
 * capabilities a host backend it starts could grant. */
unsigned backend_host_caps(void);

/* What the host backend's sandbox isolates, one line for people (e.g.
 * "user+pid+ipc+uts+net+mount+cgroup namespaces (...); pivot_root into a
 * read-only view ..."); NULL when b is not a host backend. */
const char *backend_host_isolation(const struct backend *b);

/* The SIM_CAP_* bits (ipcsim/types.h) the sandbox cannot grant where the
 * kernel checks them (in a user namespace: CAP_SYS_RESOURCE and
 * CAP_SYS_RAWIO, which IPC checks against the machine's; whatever the
 * machine's root lacks); 0 when b is not a host backend. */
unsigned backend_host_ungrantable(const struct backend *b);

/* Why the host backend's last op failed (-1), or NULL. */
const char *backend_host_error(const struct backend *b);

/*
 * TESTS ONLY: runs argv (argv[0] found on the sandbox's PATH) inside b's
 * sandbox as c, bypassing the check every `$` line gets (shell_validate):
 * what a hostile tool could do there, to probe the sandbox.  No scenario
 * reaches it; the interpreter knows only backend.h.  *out gets the output
 * (malloc'd); returns the exit status, or -errno.
 */
int backend_host_test_exec(struct backend *b, const struct backend_creds *c,
                           const char *const argv[], char **out, size_t *outlen);

#pragma GCC visibility pop

#endif
