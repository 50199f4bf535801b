/*
 * ipcsim/sandbox.h - every limit `ipcsim check` puts on a scenario, in one
 * place: the budget the comparer enforces on the simulator before the host
 * runs a step, and the sandbox's own limits on the host side (backstops for
 * whatever the budget does not see).  docs/ipcsim.1 and README.md list the
 * same numbers; change them together.
 *
 * Why a budget on the simulator: the simulator runs every step first, and
 * its kernel knows what the step created.  A step whose result would take
 * the scenario past the budget is refused there, before the host kernel
 * runs it, so a hostile file never gets the real kernel to allocate the
 * memory.  The namespace's own IPC limits (kernel.msgmni, kernel.sem, ...)
 * are not lowered for this: scenarios can see them.
 */
#ifndef IPCSIM_SANDBOX_H
#define IPCSIM_SANDBOX_H

/* ---- the budget (sim/compare/compare_budget.c) ---------------------------- */

/* Live scenario processes (ended ones cost the host nothing). */
#define IPCSIM_BUDGET_PROCS 256
/* Semaphores in all sets (the kernel keeps about 64 bytes for each). */
#define IPCSIM_BUDGET_SEMS 1000000L
/* Shared memory: the size of all segments, in bytes (whole pages). */
#define IPCSIM_BUDGET_SHM_BYTES (256UL << 20)
/* Message queues: the text of every queued message, in bytes... */
#define IPCSIM_BUDGET_MSG_BYTES (256UL << 20)
/* ...and the messages themselves (each has a header in the kernel). */
#define IPCSIM_BUDGET_MSGS 1000000L
/* Wall time of one scenario on the host, in milliseconds.  The comparer
 * refuses every step after it; the host backend cuts its own waits (a
 * sleep past a semtimedop deadline) at it plus IPCSIM_BUDGET_WALL_GRACE_MS,
 * and the comparer then reports the stop, not the cut wait's difference. */
#define IPCSIM_BUDGET_WALL_MS 120000L
#define IPCSIM_BUDGET_WALL_GRACE_MS 1000L

/* A budget; a field of 0 means the default above. */
struct ipcsim_budget {
	long procs;
	long sems;
	unsigned long shm_bytes;
	unsigned long msg_bytes;
	long msgs;
	long wall_ms;
};

/* ---- the sandbox's own limits (sim/host/host_sandbox*.c) ------------------- */

/* Processes in the sandbox: the scenario's, the coordinator, a tool. */
#define IPCSIM_SANDBOX_PIDS (IPCSIM_BUDGET_PROCS + 32)
/* Memory of everything in the sandbox, kernel memory included (a memory
 * cgroup where one can be made). */
#define IPCSIM_SANDBOX_MEMORY (1UL << 30)
/* Each process's data segment (RLIMIT_DATA), always. */
#define IPCSIM_SANDBOX_DATA (512UL << 20)
/* The private /tmp (ftok's files) and the scenario's passwd and group. */
#define IPCSIM_SANDBOX_SCRATCH (1UL << 20)
/* Bytes of a `$` tool's output kept (the tool is stopped past them). */
#define IPCSIM_SANDBOX_OUTPUT (4UL << 20)
/* Each text of a `check` report (a result, a state) is cut to this... */
#define IPCSIM_REPORT_TEXT (64UL << 10)
/* ...and a report keeps this many notes (the rest are counted). */
#define IPCSIM_REPORT_NOTES 1000

/*
 * Host uids and gids the sandbox's user namespace maps its ids 0..65535 to,
 * when `check` runs as root: none of them is host root, and the range is
 * above the subordinate ids useradd hands out (from 100000, 65536 per user)
 * and below 2^31 (tools that read ids as signed).
 */
#define IPCSIM_SANDBOX_ID_BASE 0x7fff0000U
#define IPCSIM_SANDBOX_ID_COUNT 65536U

#endif
