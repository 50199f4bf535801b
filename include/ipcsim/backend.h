/*
 * ipcsim/backend.h - the call interface the scenario interpreter drives.
 *
 * A backend performs calls on behalf of scenario processes, named by pid.
 * Three implement it: the simulated kernel (backend_sim_new, sim/backend/),
 * the host kernel (backend_host_new, ipcsim/host.h, sim/host/: one real
 * child process per scenario process, results sent back over a socket) and
 * the comparer of `ipcsim check` (backend_compare_new, ipcsim/compare.h,
 * sim/compare/: both in lock step).  So everything here is a value: no
 * kernel pointers cross this interface, results are plain structs with
 * ret/errno/buffers, and the interpreter never sees how a backend keeps its
 * processes.  Drawing is not a backend's job: a backend with a simulated
 * kernel behind it hands out read-only access to it (the `kernel` op) and
 * the renderers (ipcsim/render.h) draw that.
 *
 * Result convention (as userspace sees it, errno once): every call fills a
 * struct backend_result: ret >= 0 on success, ret == -1 with err = errno on
 * failure, or blocked = 1 when the call sleeps.  A sleeping call's final
 * result arrives later as a BACKEND_EV_RESUMED event, popped with event_next
 * after the step that woke it.  The int an op returns is 0 when the call was
 * performed (whatever its result) and -1 when the backend itself failed
 * (out of memory, lost child); then *r says nothing.
 *
 * Ownership: r->msg.text is malloc'd and belongs to whoever holds r; free it
 * with backend_result_release().  backend_free() ends every process and
 * nulls the caller's pointer.
 */
#ifndef IPCSIM_BACKEND_H
#define IPCSIM_BACKEND_H

#include <errno.h> /* BACKEND_NOT_ON_HOST */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ipcsim/ipc_types.h" /* the structures results carry: the kernel's own */
#include "ipcsim/types.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

struct sim_kernel;

struct backend_msg {
	long mtype;
	unsigned char *text; /* len bytes; malloc'd when owned by a result */
	size_t len;
};

/* What a call gave back.  Which payload is valid depends on the call. */
struct backend_result {
	long ret;     /* >= 0, or -1 with err */
	int err;      /* errno when ret == -1 */
	int blocked;  /* 1: the call sleeps; ret/err come with a later event */
	int has_msg;  /* msgrcv success: msg */
	struct backend_msg msg;
	int has_ds;   /* msgctl *_STAT success: ds */
	struct ipcsim_msqid_ds ds;
	int has_info; /* msgctl *_INFO success: info */
	struct ipcsim_msginfo info;
	int killed;   /* the caller died in this call: the signal (SIGSEGV); no ret */
	int has_shm_ds; /* shmctl IPC_STAT/SHM_STAT*: shm_ds */
	struct ipcsim_shmid_ds shm_ds;
	int has_shminfo; /* shmctl IPC_INFO: shminfo */
	struct ipcsim_shminfo shminfo;
	int has_shm_info; /* shmctl SHM_INFO: shm_info */
	struct ipcsim_shm_info shm_info;
	int has_sem_ds; /* semctl IPC_STAT/SEM_STAT*: sem_ds */
	struct ipcsim_semid_ds sem_ds;
	int has_seminfo; /* semctl IPC_INFO/SEM_INFO: seminfo */
	struct ipcsim_seminfo seminfo;
	unsigned short *semvals; /* semctl GETALL success: nsemvals values, malloc'd */
	size_t nsemvals;
	unsigned char *bytes; /* mem_read success: nbytes bytes, malloc'd */
	size_t nbytes;        /* (semvals, bytes: freed by backend_result_release) */
};

/* Frees r->msg.text and clears the payload flags. */
void backend_result_release(struct backend_result *r);

/* Where a buffer argument points: a real buffer, or NULL (EFAULT in C). */
enum backend_buf { BACKEND_BUF_NULL, BACKEND_BUF_VALID };

/*
 * semctl's fourth argument.  buf == BACKEND_BUF_NULL models a NULL pointer
 * (EFAULT where Linux gives it).  SETALL reads values[0..nvalues); a set
 * with more semaphores than nvalues gets 0 for the rest, as a C array
 * `unsigned short v[NSEMS] = {...}` with fewer initialisers would give.
 */
struct backend_semctl_arg {
	enum backend_buf buf;
	int val;                        /* SETVAL */
	const unsigned short *values;   /* SETALL */
	size_t nvalues;
	const struct ipcsim_semid_ds *ds; /* IPC_SET */
};

enum backend_sig_disp { BACKEND_SIG_DFL, BACKEND_SIG_CATCH, BACKEND_SIG_IGN };

struct backend_creds {
	unsigned uid, gid, caps; /* caps: SIM_CAP_* bits of ipcsim/kernel.h */
};

enum backend_event_kind {
	BACKEND_EV_RESUMED, /* a blocked call returned: call, r */
	BACKEND_EV_KILLED,  /* the process was ended by sig */
};

struct backend_event {
	enum backend_event_kind kind;
	int pid;
	char call[16];            /* RESUMED: "msgrcv", "msgsnd" */
	struct backend_result r;  /* RESUMED; release it */
	int sig;                  /* KILLED */
};

struct backend_ops {
	const char *name;

	/* ---- processes ----------------------------------------------------- */
	/* A new running process: 0 and *pid, or -1. */
	int (*proc_new)(void *ctx, const struct backend_creds *c, int *pid);
	/* New credentials for a running process (setuid, setgid, capset): 0, or
	 * -1 when it is not running.  May be NULL: the backend cannot. */
	int (*set_creds)(void *ctx, int pid, const struct backend_creds *c);
	int (*fork)(void *ctx, int pid, struct backend_result *r);
	int (*exit)(void *ctx, int pid, int status, struct backend_result *r);
	int (*kill)(void *ctx, int pid, int target, int sig, struct backend_result *r);
	int (*signal)(void *ctx, int pid, int sig, enum backend_sig_disp disp,
	              struct backend_result *r);
	int (*sleep)(void *ctx, int pid, long seconds, struct backend_result *r);
	int (*getpid)(void *ctx, int pid, struct backend_result *r);
	/* Pops the oldest event of the last call: 1 and *ev, or 0. */
	int (*event_next)(void *ctx, struct backend_event *ev);

	/* ---- the machine: limits, files for ftok ---------------------------- */
	/* Kernel limits and files; 0, or -errno (ENOENT unknown name, EINVAL, EBUSY). */
	int (*limit_set)(void *ctx, const char *name, long long value);
	int (*file_add)(void *ctx, const char *path, unsigned long inode,
	                unsigned dev_major, unsigned dev_minor);
	int (*ftok)(void *ctx, int pid, const char *path, int proj, struct backend_result *r);

	/* ---- message queues ------------------------------------------------- */
	int (*msgget)(void *ctx, int pid, long key, int flags, struct backend_result *r);
	/* m == NULL models a bad pointer (EFAULT). m->len bytes are real; the
	 * rest up to size is zero-padded, and text beyond size is not sent. */
	int (*msgsnd)(void *ctx, int pid, int id, const struct backend_msg *m, size_t size,
	              int flags, struct backend_result *r);
	int (*msgrcv)(void *ctx, int pid, int id, enum backend_buf buf, size_t size, long type,
	              int flags, struct backend_result *r);
	/* ds: IPC_SET input (NULL with BACKEND_BUF_NULL); STAT/INFO output in r. */
	int (*msgctl)(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
	              const struct ipcsim_msqid_ds *ds, struct backend_result *r);
	/* Current state of queue id without permission checks (for a partial
	 * IPC_SET: unnamed fields keep their values).  0, or -1 when id is unknown. */
	int (*msg_current)(void *ctx, int id, struct ipcsim_msqid_ds *ds);

	/* ---- shared memory ---------------------------------------------------
	 * Addresses are plain numbers in the calling process's address space. */
	int (*shmget)(void *ctx, int pid, long key, size_t size, int flags,
	              struct backend_result *r);
	int (*shmat)(void *ctx, int pid, int id, unsigned long addr, int flags,
	             struct backend_result *r);
	int (*shmdt)(void *ctx, int pid, unsigned long addr, struct backend_result *r);
	/* ds: IPC_SET input (NULL with BACKEND_BUF_NULL); STAT/INFO output in r. */
	int (*shmctl)(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
	              const struct ipcsim_shmid_ds *ds, struct backend_result *r);
	/* Current state of segment id without permission checks; 0 or -1. */
	int (*shm_current)(void *ctx, int id, struct ipcsim_shmid_ds *ds);

	/* ---- memory access ---------------------------------------------------
	 * An access outside the caller's attachments, or a write into an
	 * SHM_RDONLY one, kills the caller: r->killed = SIGSEGV (the process is
	 * gone; its segments are detached and its undo applied as on exit).
	 * mem_load's r->ret is the loaded value itself, negative included (err
	 * stays 0). */
	int (*mem_store)(void *ctx, int pid, unsigned long addr, long value,
	                 struct backend_result *r);
	int (*mem_load)(void *ctx, int pid, unsigned long addr, struct backend_result *r);
	int (*mem_write)(void *ctx, int pid, unsigned long addr, const void *buf, size_t n,
	                 struct backend_result *r);
	/* The n bytes come back in r->bytes. */
	int (*mem_read)(void *ctx, int pid, unsigned long addr, size_t n, struct backend_result *r);

	/* ---- semaphores ------------------------------------------------------
	 * A sleeping semop/semtimedop resumes with an event whose call is
	 * "semop" or "semtimedop". */
	int (*semget)(void *ctx, int pid, long key, int nsems, int flags,
	              struct backend_result *r);
	/* sops == NULL models a bad pointer (EFAULT after E2BIG/EINVAL). */
	int (*semop)(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
	             struct backend_result *r);
	/* timeout: NULL for none, else {seconds, nanoseconds}. */
	int (*semtimedop)(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops,
	                  size_t nsops, const long *timeout, struct backend_result *r);
	/* GETALL's values come back in r->semvals. */
	int (*semctl)(void *ctx, int pid, int id, int semnum, int cmd,
	              const struct backend_semctl_arg *arg, struct backend_result *r);
	/* Current state of set id without permission checks; 0 or -1. */
	int (*sem_current)(void *ctx, int id, struct ipcsim_semid_ds *ds);

	/* ---- shell commands --------------------------------------------------
	 * A shell command line (no "$ ") run with c; output to out; its exit
	 * status.  names may be NULL. */
	int (*shell)(void *ctx, const struct backend_creds *c, const struct scenario_names *names,
	             const char *cmdline, FILE *out);

	/* ---- the state and the run -------------------------------------------
	 * kernel: the simulated kernel behind the backend, for the read-only
	 * views of ipcsim/kernel.h (drawing, snapshots), or NULL for a backend
	 * without one (the host).  Valid until the next call.  May be NULL. */
	const struct sim_kernel *(*kernel)(void *ctx);
	/* Why the last op returned -1 (a limit of the simulator reached, a
	 * lost child), for the message; NULL when unknown.  May be NULL. */
	const char *(*failure)(void *ctx);
	/* Invariant check: 0, or -1 and a description in err.  May be NULL. */
	int (*check)(void *ctx, char *err, size_t errlen);
	/* Called before each statement runs, with its 1-based source line, the
	 * line's text, and the interpreter's names (valid until the run ends).
	 * May be NULL; the comparer uses it to name the line of a divergence. */
	void (*step_begin)(void *ctx, int line, const char *text,
	                   const struct scenario_names *names);
	/* on: the kernel also explains what succeeds (sim_kernel_set_explain).
	 * May be NULL (a backend without reasons). */
	void (*explain)(void *ctx, int on);

	void (*destroy)(void *ctx);
};

struct backend {
	const struct backend_ops *ops;
	void *ctx;
};

/* A backend over a fresh simulated kernel; NULL when out of memory. */
struct backend *backend_sim_new(void);

/* The simulated kernel behind b (its `kernel` op), for read-only views
 * (ipcsim/kernel.h), or NULL when b has none.  Valid until b's next call. */
const struct sim_kernel *backend_kernel(const struct backend *b);
/* The same kernel for its owner to mark and rewind (sim_kernel_mark), only
 * between calls; NULL when b has none. */
struct sim_kernel *backend_kernel_rw(struct backend *b);

/*
 * Return values for the comparer (`ipcsim check`), given by the host backend:
 *   - limit_set returns -BACKEND_NOT_ON_HOST for the simulator-only limits
 *     (msgpool, msgssz), distinct from -ENOENT for an unknown name;
 *   - a call op returns BACKEND_OP_SKIPPED (r filled with the host's answer)
 *     when the host could not run the step faithfully: the process asked for
 *     capabilities the host cannot grant and the call failed with an error
 *     that such a capability could have avoided.  Mark the step skipped,
 *     never agreed nor diverged.
 */
#define BACKEND_NOT_ON_HOST EOPNOTSUPP
#define BACKEND_OP_SKIPPED 1

/* Why b's last op returned -1 (its `failure` op), or "the backend failed". */
const char *backend_failure(const struct backend *b);

/* Turns b's explaining on or off (its `explain` op; nothing without one). */
void backend_explain(struct backend *b, int on);

/* Destroys b and sets *b to NULL; NULL and a NULL *b are no-ops. */
void backend_free(struct backend **b);

#pragma GCC visibility pop

#endif
