/*
 * diff_host.h - runs a sequence on the real Linux kernel, inside a private
 * IPC namespace, so that nothing it creates outlives it and ids start at 0.
 *
 * diff_host_new forks a small server process that runs every sequence (so
 * later forks copy a small process); diff_host_free ends it.  For each
 * sequence the server forks one child, which does unshare(CLONE_NEWIPC) and
 * the root steps; every non-root step runs in a grandchild that drops to the
 * step's user (setgroups(0), setgid, setuid: no capabilities left) and
 * exits, and helper processes are grandchildren fed step numbers over a
 * pipe.  Results
 * come back through a shared anonymous mapping (not SysV memory, so nothing
 * is left in any IPC namespace).
 *
 * A call that could sleep is guarded by a short interval timer: if the host
 * sleeps where the simulator said it would not, the call is interrupted and
 * recorded as DIFF_RET_BLOCKED instead of hanging the test.
 */
#ifndef IPCSIM_DIFF_HOST_H
#define IPCSIM_DIFF_HOST_H

#include "diff_seq.h"

struct diff_host;

/* NULL when out of memory. */
struct diff_host *diff_host_new(void);
void diff_host_free(struct diff_host **h);

/*
 * Runs s; fills *out.  Returns 0, or -1 when the host could not run it at all
 * (fork failed, unshare refused, credentials not droppable): then
 * out->setup_error says why.
 */
int diff_host_run(struct diff_host *h, const struct diff_seq *s, struct diff_run *out);

#endif
