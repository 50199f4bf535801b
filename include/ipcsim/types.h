/*
 * ipcsim/types.h - what every layer shares: the capability bits of a
 * process's effective set and the names a scenario gave to users, groups and
 * processes.
 *
 * It sits below everything (kernel, shell, backends, renderers, the
 * interpreter) so that none of them has to include another's header just for
 * these: the simulated kernel checks the capability bits, the host backend
 * grants the matching real capabilities, the shell commands and the diagrams
 * print the names.
 */
#ifndef IPCSIM_TYPES_H
#define IPCSIM_TYPES_H

/* ---- capabilities (a process's effective set) ---------------------------- */
#define SIM_CAP_IPC_OWNER (1u << 0)
#define SIM_CAP_SYS_RESOURCE (1u << 1)
#define SIM_CAP_SYS_ADMIN (1u << 2)
#define SIM_CAP_IPC_LOCK (1u << 3)
#define SIM_CAP_SETUID (1u << 4)
#define SIM_CAP_SYS_RAWIO (1u << 5)
#define SIM_CAP_KILL (1u << 6)
#define SIM_CAP_ALL 0x7fu

/* Names the scenario gave to users, groups and processes.  Any callback may
 * be NULL or return NULL: then the number is printed, as util-linux does. */
struct scenario_names {
	const char *(*user_name)(void *ctx, unsigned uid);
	const char *(*group_name)(void *ctx, unsigned gid);
	const char *(*proc_name)(void *ctx, int pid);
	void *ctx;
};

#endif
