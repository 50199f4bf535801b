/*
 * host_coord.h - the coordinator's state, shared by host_coord.c (lifetime,
 * children, waiting, events) and host_coord_ops.c (one handler per op).
 *
 * Invariants:
 *   - procs[i] is scenario pid HOST_FIRST_PID + i, in creation order
 *     (proc_new and fork alike), so the pids are the simulator's; entries
 *     are never removed, only marked ended (their pid is not reused);
 *   - a proc is HC_BLOCKED exactly while its request is unanswered and the
 *     real process sleeps in msgsnd/msgrcv/semop/semtimedop; its answer
 *     becomes a RESUMED event when a later settle finds it;
 *   - a blocked semtimedop with a timeout has timed_wait set: wait_sdeadline
 *     on the scenario clock (sclock_ns, moved only by sleep ops, as the
 *     simulator's) and wait_rdeadline_ms when the kernel's scaled timeout
 *     runs out (host_coord_now_ms);
 *   - an ended proc has fd -1 and has been reaped;
 *   - keys[] maps ftok keys as the scenario computes them (declared inode
 *     and dev) to the host's (real file), and back for STAT results.
 */
#ifndef IPCSIM_HOST_COORD_H
#define IPCSIM_HOST_COORD_H

#include <stdint.h>
#include <sys/types.h>

#include "host/host_int.h"

#define HOST_FIRST_PID 1000

enum host_cproc_state { HC_IDLE, HC_BLOCKED, HC_ENDED };

struct host_cproc {
	int spid;              /* scenario pid */
	pid_t rpid;            /* real pid */
	int fd;                /* channel; -1 once ended */
	enum host_cproc_state state;
	char call[16];         /* HC_BLOCKED: "msgsnd" / "msgrcv" */
	unsigned long block_seq; /* HC_BLOCKED: order of falling asleep */
	unsigned caps_missing; /* SIM_CAP_* asked for but not granted by the host */
	int exit_expected;     /* the exit op is ending it: no KILLED event */
	int term_sig;          /* HC_ENDED by a signal: which */
	int timed_wait;        /* HC_BLOCKED in semtimedop with a timeout */
	long long wait_sdeadline_ns; /* ... its deadline on the scenario clock */
	long wait_rdeadline_ms;      /* ... and on the real one */
};

struct host_file {
	char *path;            /* as the scenario names it */
	char *real;            /* the real file for ftok */
	unsigned long inode;
	unsigned dev_major, dev_minor;
};

struct host_keymap {
	uint32_t skey, rkey;
};

struct host_pending_event {
	struct host_wire_event ev;
	unsigned char *text;
	size_t len;
};

struct host_coord {
	int sock;              /* to the caller */
	pid_t self;
	struct host_coord_config cfg;
	struct host_cproc *procs;
	int nprocs, capprocs;
	unsigned long block_seq;
	struct host_file *files;
	int nfiles;
	struct host_keymap *keys;
	int nkeys;
	char tmpdir[64];       /* where ftok's files show: /tmp */
	int scratch_fd;        /* the private tmpfs behind /tmp and /etc/passwd|group
	                          (host_sandbox_fs.c): tmp/, names/ */
	long wall_deadline_ms; /* > 0: no wait goes past it (cfg.wall_ms) */
	struct host_pending_event *evs;
	int nevs, capevs;
	long long sclock_ns;   /* the scenario clock: the sum of sleep()s */
};

/* How a request to a child ended. */
enum host_wait { HW_ANSWERED, HW_BLOCKED, HW_DIED, HW_TIMEOUT };

/* host_coord.c */
long host_coord_now_ms(void);
/* ms, or less when the scenario's wall-time limit comes first (>= 0). */
long host_coord_wall_clamp(const struct host_coord *c, long ms);
struct host_cproc *host_coord_proc(struct host_coord *c, int spid);
struct host_cproc *host_coord_proc_by_rpid(struct host_coord *c, pid_t rpid);
/* A new table entry (state HC_IDLE); NULL when out of memory. */
struct host_cproc *host_coord_proc_add(struct host_coord *c, pid_t rpid, int fd);
/*
 * Sends q (+blob, +fd_pass) to p and waits for its answer.  may_block:
 * the call may sleep (then HW_BLOCKED and p is marked blocked as call).
 * HW_ANSWERED fills *rep, *text and *tlen (malloc'd).  HW_DIED: p has been
 * reaped (a KILLED event queued unless exit_expected).
 */
enum host_wait host_coord_call(struct host_coord *c, struct host_cproc *p,
                               const struct host_req *q, const void *blob, size_t blen,
                               int fd_pass, int may_block, const char *call,
                               struct host_rep *rep, unsigned char **text, size_t *tlen);
/* Waits (up to settle_ms) until every live child is asleep, collecting
 * RESUMED and KILLED events. */
void host_coord_settle(struct host_coord *c);
/* Queues an event; takes text. */
void host_coord_event(struct host_coord *c, const struct host_wire_event *ev,
                      unsigned char *text, size_t len);

/* host_coord_ops.c */
/* Handles one request from the caller; fills *rep and *blob (malloc'd). */
void host_coord_dispatch(struct host_coord *c, const struct host_req *q,
                         const unsigned char *in, size_t inlen, struct host_rep *rep,
                         unsigned char **blob, size_t *bloblen);
/* Real -> scenario: keys and pids inside a result. */
void host_coord_map_result(struct host_coord *c, struct host_wire_result *w);
void host_coord_files_free(struct host_coord *c);
/* Shared by the op files: rep failed with why; the live, idle process a
 * call is addressed to (NULL with rep failed); q run in p with the answer
 * mapped back into rep (+ *blob). */
void host_coord_fail(struct host_rep *rep, const char *fmt, const char *arg);
struct host_cproc *host_coord_caller(struct host_coord *c, int spid, struct host_rep *rep);
void host_coord_run_in(struct host_coord *c, struct host_cproc *p, const struct host_req *q,
                       const void *in, size_t inlen, int fd_pass, int may_block,
                       const char *call, struct host_rep *rep, unsigned char **blob,
                       size_t *bloblen);
uint32_t host_coord_key_to_real(struct host_coord *c, uint32_t skey);
long host_coord_ret_pid(struct host_coord *c, long rpid);

/* host_coord_shm_sem.c: shared memory, semaphores, memory, and sleep */
/* Handles the ops HOST_OP_SHMGET..HOST_OP_MEM_READ and HOST_OP_SLEEP; 1 if
 * q->op was one of them. */
int host_coord_ipc_dispatch(struct host_coord *c, const struct host_req *q,
                            const unsigned char *in, size_t inlen, struct host_rep *rep,
                            unsigned char **blob, size_t *bloblen);

#endif
