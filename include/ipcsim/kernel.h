/*
 * ipcsim/kernel.h - the simulated System V IPC kernel: public API.
 *
 * One `struct sim_kernel` is one IPC namespace with its own processes, clock,
 * limits and simulated file system.  Nothing is global: many kernels may live
 * in one process (the grader, the tests).
 *
 * Conventions (as inside Linux):
 *   - every entry point takes the kernel first and the calling pid second;
 *   - calls return >= 0 on success or -errno (host errno values, e.g.
 *     -EINVAL) on failure.  Only the backend facade turns this into -1/errno;
 *   - a call that must sleep returns SIM_BLOCKED and leaves the process
 *     blocked; its final result arrives later as a SIM_EV_RESUMED event
 *     (see sim_event_next) after the step that woke it;
 *   - on failure nothing changes, unless the function says otherwise (the
 *     msgrcv EFAULT case loses the message, exactly as Linux does).
 *
 * Ownership: views (struct sim_*_view) point into kernel memory and are valid
 * until the next call that changes the kernel; never free them.  Buffers
 * handed out in struct sim_msgbuf (`text`) belong to the caller: free() them,
 * or call sim_msgbuf_release().
 *
 * Times are seconds of the simulated clock (SIM_EPOCH at creation; only
 * sim_sleep advances it).  0 in a time field means "never set".
 */
#ifndef IPCSIM_KERNEL_H
#define IPCSIM_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <sys/ipc.h>
#include <sys/msg.h>

#include "ipcsim/ipc_types.h" /* the structures calls fill and take */
#include "ipcsim/types.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

/* Linux values; glibc exposes some only with _GNU_SOURCE. */
#ifndef MSG_COPY
#define MSG_COPY 040000
#endif
#ifndef MSG_EXCEPT
#define MSG_EXCEPT 020000
#endif
#ifndef MSG_STAT
#define MSG_STAT 11
#endif
#ifndef MSG_INFO
#define MSG_INFO 12
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif

#define SIM_EPOCH 1767225600L /* 2026-01-01 00:00:00 UTC */
#define SIM_FIRST_PID 1000
#define SIM_BLOCKED (-100000L) /* the call sleeps; see sim_event_next */
/* The clock's last second: Linux's KTIME_SEC_MAX (year 2262), where ktime_t
 * saturates.  sleep() past it stops the clock there; a deadline past it
 * never comes, as a timeout past KTIME_MAX never expires on Linux. */
#define SIM_TIME_MAX 9223372036L

struct sim_kernel;

/* ---- capabilities: the SIM_CAP_* bits of ipcsim/types.h ------------------ */
/* Name <-> bit for the scenario's `caps=` list; 0 / NULL when unknown. */
unsigned sim_cap_from_name(const char *name);
const char *sim_cap_name(unsigned bit);

/* ---- kernel lifetime ----------------------------------------------------- */

/* A fresh namespace with Linux's default limits.  NULL only when out of memory. */
struct sim_kernel *sim_kernel_new(void);
/* Frees everything and sets *k to NULL; sim_kernel_free(NULL) and a NULL *k are no-ops. */
void sim_kernel_free(struct sim_kernel **k);

/*
 * Invariant checker: recounts qnum, cbytes, the data area's used units and
 * the waiter lists of every queue.  Returns 0, or -1 with a description of
 * the first broken invariant in err.  Never changes anything.
 */
int sim_kernel_check(const struct sim_kernel *k, char *err, size_t errlen);

/*
 * Allocation fault injection for tests: the n-th allocation from now on
 * (1 = the next one) fails, and the call that needed it returns -ENOMEM
 * with nothing changed.  n = 0 disarms.
 */
void sim_kernel_fail_alloc_after(struct sim_kernel *k, unsigned long n);

/* ---- why: the kernel's own reason for a result (why.c) ---------------------
 *
 * Where a call fails, sleeps, or (with explaining on) picks a message, the
 * kernel records a one-line reason with a stable code (docs/reason-codes.md
 * lists every code): "EACCES.mode", "mode 0640: uid 1002 (gid 200) is
 * neither owner (uid 1001) nor in the group (gid 100); other has r-- and the
 * call needs -w-; no CAP_IPC_OWNER".  serial counts the reasons recorded, so
 * a caller that notes it before a call knows whether the call gave one; pid
 * is the process the reason is about.  Reading is free; recording happens
 * only on those paths (the success reasons only when explaining is on).
 */
struct sim_why {
	unsigned long serial; /* 0: none yet */
	int pid;
	long result;          /* -errno, or SIM_WHY_SLEPT, or the call's return value */
	const char *code;     /* "EAGAIN.qbytes" */
	const char *text;     /* the reason, one line */
};
#define SIM_WHY_SLEPT (-10000L)

/* The last reason recorded (serial 0: none); valid until the next call. */
void sim_kernel_why(const struct sim_kernel *k, struct sim_why *w);
/* Also explain what succeeds (which message msgrcv took, and why); off by default. */
void sim_kernel_set_explain(struct sim_kernel *k, int on);

/* ---- marks: rewinding the kernel ----------------------------------------- */
/*
 * The kernel can go back to any earlier point that was marked, at a cost
 * proportional to what changed since (an undo log: every change to kernel
 * memory made while a mark is set is recorded with what it overwrote).
 * This is the one way to rewind kernel state: `ipcsim step` goes back with
 * it, and so can an explorer of interleavings or a grader.
 *
 *   long m = sim_kernel_mark(k);     // remember now
 *   ... calls ...
 *   sim_kernel_rewind(k, m);         // exactly as at the mark again
 *   ... other calls ...
 *   sim_kernel_release(k, m);        // forget the mark, keep the changes
 *
 * Marks nest: a mark taken while others are set is newer (a larger
 * number); rewinding to a mark or releasing it also drops every newer one.
 * After a rewind the mark is still set (rewind to it again, or release it).
 * While no mark is set, nothing is recorded (one test per change).
 *
 * A mark needs an empty event queue (drain it with sim_event_next first),
 * and a rewind discards the events of the calls it undoes.  Views, pointers
 * obtained from the kernel, and messages already handed out are not
 * rewound: they belong to the caller.  Allocation fault injection
 * (sim_kernel_fail_alloc_after) is not rewound either, nor the last call's
 * reason (sim_kernel_why) or failure text: they describe the last call made.
 */
/* A mark (>= 1), or -EBUSY (events are pending) or -ENOMEM. */
long sim_kernel_mark(struct sim_kernel *k);
/* Back to the state at mark m; newer marks are dropped, m stays.  0 or
 * -EINVAL when m is not a mark that is set (nothing changes). */
int sim_kernel_rewind(struct sim_kernel *k, long m);
/* Forgets mark m and every newer one; the changes stay.  When no mark is
 * left the log is emptied.  0 or -EINVAL (nothing changes). */
int sim_kernel_release(struct sim_kernel *k, long m);
/* Bytes the undo log holds now (for the curious and the benchmark). */
size_t sim_kernel_undo_bytes(const struct sim_kernel *k);

/* ---- limits -------------------------------------------------------------- */
/*
 * Names: msgmax msgmnb msgmni shmmax shmall shmmni semmsl semmns semopm
 * semmni msgpool msgssz.  msgpool = 0 means "grows as needed" (default).
 * shmmax and shmall are unsigned 64-bit, as in Linux (default
 * ULONG_MAX - 2^24): pass and read them as the bit pattern, i.e. cast to and
 * from unsigned long long.  semmsl, semmns and semopm take any int (Linux's
 * kernel.sem does), semmni 0..32768 (else -ERANGE, as kernel.sem answers).
 * Returns 0, -ENOENT for an unknown name, -EINVAL for a value Linux's
 * sysctl would refuse (negative counts; msgssz not a power of two from 1 to
 * 65536), -EBUSY for msgssz while messages are stored or a msgpool smaller
 * than the area in use.
 */
int sim_limit_set(struct sim_kernel *k, const char *name, long long value);
/* Returns 0 and *value, or -ENOENT. */
int sim_limit_get(const struct sim_kernel *k, const char *name, long long *value);
/* The names above, NULL-terminated, in display order. */
extern const char *const sim_limit_names[];

/* ---- clock --------------------------------------------------------------- */
long sim_now(const struct sim_kernel *k);
/* Advances the clock; returns 0.  (Issue 3 adds semtimedop expiry here.) */
long sim_sleep(struct sim_kernel *k, int pid, long seconds);

/* ---- simulated file system (for ftok) ------------------------------------ */
/* Declares PATH (replacing an earlier declaration).  0 or -ENOMEM. */
int sim_file_add(struct sim_kernel *k, const char *path, unsigned long inode,
                 unsigned dev_major, unsigned dev_minor);
/* glibc ftok: key, or -ENOENT for an undeclared path.  The key is returned
 * in the low 32 bits as an unsigned value (0x8... keys stay positive). */
long sim_ftok(const struct sim_kernel *k, const char *path, int proj);

/* ---- processes ----------------------------------------------------------- */
enum sim_proc_state {
	SIM_PROC_RUNNING,
	SIM_PROC_BLOCKED,
	SIM_PROC_EXITED,
	SIM_PROC_KILLED,
};

enum sim_sig_disp { SIM_SIG_DFL, SIM_SIG_CATCH, SIM_SIG_IGN };

struct sim_proc_view {
	int pid;
	int ppid;            /* 0 for processes not made by fork */
	unsigned uid, gid;
	unsigned caps;
	enum sim_proc_state state;
	const char *blocked_call; /* "msgsnd"/"msgrcv" while blocked, else NULL */
	int blocked_id;           /* the IPC id it sleeps on */
	int exit_status;          /* SIM_PROC_EXITED */
	int term_sig;             /* SIM_PROC_KILLED */
};

/*
 * pid 0 is the shell: the process that runs `$ ipcrm` and the like.  It is
 * never listed, never blocks and takes no pid number; only its credentials
 * matter.  Set them before each shell command.
 */
void sim_shell_set_creds(struct sim_kernel *k, unsigned uid, unsigned gid, unsigned caps);

/* A new running process with the next pid.  Returns the pid or -ENOMEM. */
int sim_proc_new(struct sim_kernel *k, unsigned uid, unsigned gid, unsigned caps);
/* setuid/setgid/capset of a running process: 0, or -ESRCH. */
long sim_proc_set_creds(struct sim_kernel *k, int pid, unsigned uid, unsigned gid, unsigned caps);
/* 0 and *v, or -ESRCH for a pid never created. */
int sim_proc_get(const struct sim_kernel *k, int pid, struct sim_proc_view *v);
/* Calls cb for every process in creation order; stops early when cb returns non-zero. */
int sim_proc_foreach(const struct sim_kernel *k,
                     int (*cb)(void *ctx, const struct sim_proc_view *v), void *ctx);

/* fork(): the child's pid, or -ESRCH/-ENOMEM.  (Issue 3: attachments.) */
long sim_fork(struct sim_kernel *k, int pid);
/* exit(status): the process ends.  Returns 0 or -ESRCH. */
long sim_exit(struct sim_kernel *k, int pid, int status);
/* signal(sig, disp): 0, -EINVAL for SIGKILL/SIGSTOP or a bad number. */
long sim_signal(struct sim_kernel *k, int pid, int sig, enum sim_sig_disp disp);
/*
 * kill(target, sig): 0, or -ESRCH when target has ended or never existed,
 * -EINVAL for a bad signal number.  A caught signal interrupts a blocked call
 * (SIM_EV_RESUMED with -EINTR); the default action ends the target
 * (SIM_EV_KILLED); an ignored one does nothing.
 */
long sim_kill(struct sim_kernel *k, int pid, int target, int sig);

/* ---- events: what happened to other processes during the last call ------- */
enum sim_event_kind {
	SIM_EV_RESUMED, /* a blocked call returned: ret, and msg for msgrcv */
	SIM_EV_KILLED,  /* the process was ended by sig */
};

struct sim_msgbuf {
	long mtype;
	size_t len;          /* bytes in text */
	unsigned char *text; /* malloc'd; the holder frees it */
};
void sim_msgbuf_release(struct sim_msgbuf *m);

struct sim_event {
	enum sim_event_kind kind;
	int pid;
	const char *call;    /* "msgrcv", "msgsnd" (RESUMED) */
	long ret;            /* result of the resumed call: >= 0 or -errno */
	struct sim_msgbuf msg; /* msgrcv success: the message; ownership passes to the caller */
	int sig;             /* KILLED */
};

/* Pops the oldest pending event: 1 and *ev, or 0 when there is none.
 * Events come in the order Linux wakes the tasks. */
int sim_event_next(struct sim_kernel *k, struct sim_event *ev);

/* ---- message queues (ipc/msg.c) ------------------------------------------ */

/* msgget: id, or -EEXIST/-ENOENT/-EACCES/-ENOSPC/-ENOMEM. */
long sim_msgget(struct sim_kernel *k, int pid, long key, int msgflg);

/*
 * msgsnd: 0, SIM_BLOCKED, or -EFAULT (m == NULL) / -EINVAL / -EACCES /
 * -EAGAIN / -EIDRM / -ENOMEM.  msgsz bytes of m->text are sent; text
 * shorter than msgsz is zero-padded (m->len says how many bytes are real).
 */
long sim_msgsnd(struct sim_kernel *k, int pid, int msqid, const struct sim_msgbuf *m,
                size_t msgsz, int msgflg);

/*
 * msgrcv: bytes received, SIM_BLOCKED, or -errno.  On success *out holds the
 * message (out->text malloc'd, out->len = returned size).  out == NULL models a
 * bad user buffer: EFAULT after the dequeue, so the message is lost (Linux).
 */
long sim_msgrcv(struct sim_kernel *k, int pid, int msqid, struct sim_msgbuf *out,
                size_t msgsz, long msgtyp, int msgflg);
/*
 * msgrcv into the caller's own buffer, as msgrcv(2) does: out->text must
 * point at msgsz writable bytes (out->text NULL: -EFAULT, nothing changes).
 * Same results as sim_msgrcv, with no allocation for the text; out->text
 * stays the caller's (never free it with sim_msgbuf_release).  A call that
 * sleeps still reports its message in a SIM_EV_RESUMED event, malloc'd.
 */
long sim_msgrcv_into(struct sim_kernel *k, int pid, int msqid, struct sim_msgbuf *out,
                     size_t msgsz, long msgtyp, int msgflg);

/*
 * msgctl: IPC_STAT/MSG_STAT/MSG_STAT_ANY fill *ds; IPC_SET reads uid, gid,
 * mode and msg_qbytes from *ds; IPC_INFO/MSG_INFO fill *info; IPC_RMID ignores
 * both.  A NULL buffer where one is needed gives -EFAULT at Linux's point.
 * Returns 0, an id (MSG_STAT*), the highest index in use (*_INFO), or -errno.
 */
long sim_msgctl(struct sim_kernel *k, int pid, int msqid, int cmd,
                struct ipcsim_msqid_ds *ds, struct ipcsim_msginfo *info);

/* ---- read-only views for renderers (no permission checks, no side effects) */

/* Highest index in use, or -1 when there are no queues. */
int sim_msg_max_idx(const struct sim_kernel *k);
/* The queue at index idx: its id and *ds, or -EINVAL when idx is empty. */
long sim_msg_stat_idx(const struct sim_kernel *k, int idx, struct ipcsim_msqid_ds *ds);

struct sim_msg_record_view {
	long mtype;
	size_t size;          /* m_ts */
	long data_unit;       /* first unit in the data area, -1 for an empty text */
	size_t nunits;        /* units it occupies */
	const unsigned char *text; /* size bytes, inside the data area */
	unsigned long long seq; /* arrival number in its queue: (msqid, seq) names a
	                           record for its whole life (trace ids) */
};
/* Records of queue msqid in FIFO order; 0, or -EINVAL for an unknown id. */
int sim_msg_records(const struct sim_kernel *k, int msqid,
                    int (*cb)(void *ctx, const struct sim_msg_record_view *r), void *ctx);

enum sim_waiter_role { SIM_WAIT_SEND, SIM_WAIT_RECV };
struct sim_msg_waiter_view {
	int pid;
	enum sim_waiter_role role;
	long msgtyp;    /* receivers: the msgtyp asked for */
	int msgflg;
	size_t msgsz;   /* senders: message size; receivers: buffer size */
};
/* Sleeping senders then receivers of msqid, each list in queue order. */
int sim_msg_waiters(const struct sim_kernel *k, int msqid,
                    int (*cb)(void *ctx, const struct sim_msg_waiter_view *w), void *ctx);

struct sim_area_info {
	size_t unit;        /* msgssz */
	size_t nunits;      /* current size of the area in units */
	size_t used_units;
	size_t pool_limit;  /* bytes; 0 = grows as needed */
};
struct sim_area_extent_view {
	size_t first_unit, nunits;
	int used;           /* 1: holds the text of a message */
	int msqid;          /* used: owning queue */
	long mtype;         /* used: the message's type */
};
/* The kernel data area: *info, then every extent in address order. */
int sim_msg_area(const struct sim_kernel *k, struct sim_area_info *info,
                 int (*cb)(void *ctx, const struct sim_area_extent_view *e), void *ctx);

/* Totals as MSG_INFO reports them. */
void sim_msg_totals(const struct sim_kernel *k, int *queues, long *messages, long *bytes);

#pragma GCC visibility pop

/* Shared memory and semaphores: same conventions. */
#include "ipcsim/kernel_shm.h"
#include "ipcsim/kernel_sem.h"

#endif
