/*
 * diff_env.h - facts about the host the differential test must model: the
 * capabilities its root really has, and how many queues the machine's own
 * IPC namespace holds (which the test must leave unchanged).
 */
#ifndef IPCSIM_DIFF_ENV_H
#define IPCSIM_DIFF_ENV_H

/*
 * CapEff of this process, read from /proc/self/status, as SIM_CAP_* bits
 * (CAP_IPC_OWNER 15, CAP_SYS_RESOURCE 24, CAP_SYS_ADMIN 21, CAP_IPC_LOCK 14,
 * CAP_SETUID 7, CAP_SYS_RAWIO 17, CAP_KILL 5).  0 when unreadable; *raw gets
 * the 64-bit mask (may be NULL).
 */
unsigned diff_env_root_caps(unsigned long long *raw);

/* Queues listed in /proc/sysvipc/msg of the caller's namespace, or -1. */
int diff_env_queue_count(void);
/* Objects listed in /proc/sysvipc/<which> ("msg", "shm", "sem"), or -1. */
int diff_env_ipc_count(const char *which);

#endif
