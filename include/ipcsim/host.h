/*
 * ipcsim/host.h - the host kernel backend: every call as the real syscall.
 *
 * Runs every call in a private IPC namespace: a coordinator process (forked
 * from the caller, unshare(CLONE_NEWIPC)) owns one real child process per
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
	/* 1: when unshare(CLONE_NEWIPC) is refused, try a user namespace with
	 * only the caller's uid mapped, to uid 1000 gid 1000 (the scenario's
	 * default user); processes of other uids, root included, then fail. */
	int allow_userns;
};

/*
 * A backend over the host kernel.  o may be NULL (defaults).  NULL on
 * failure, with the reason in err (e.g. "unshare(CLONE_NEWIPC): Operation
 * not permitted"): nothing is left running then.
 */
struct backend *backend_host_new(const struct backend_host_options *o, char *err,
                                 size_t errlen);

/* The SIM_CAP_* bits (ipcsim/types.h) this process holds, effective: the
 * capabilities the host backend can grant its processes. */
unsigned backend_host_caps(void);

#pragma GCC visibility pop

#endif
