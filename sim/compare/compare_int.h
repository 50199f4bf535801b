/*
 * compare_int.h - internals of the comparing backend (`ipcsim check`),
 * shared by its files:
 *
 *   compare_backend.c  the common step: each op to both sides, pids
 *                      translated, events drained and compared, notes made;
 *                      processes, shell, limits, the ops table
 *   compare_ops.c      the message-queue calls
 *   compare_ops_shm_sem.c  the shared-memory and semaphore calls
 *   compare_mem.c      addresses (simulator <-> host, per process) and the
 *                      memory calls
 *   compare_result.c   one result against the other by the rules of
 *                      ipcsim/compare.h, and results printed strace-style
 *   compare_result_shm_sem.c  the same for shm/sem payloads
 *   compare_shell.c    a `$` command's output on both sides
 *   compare_maps.c     the lines of /proc/PID/maps in that output
 *   compare_budget.c   the budget: a step that would take the simulator's
 *                      state past it is not run on the host
 *   compare_report.c   notes kept; the text and JSON reports
 *
 * Invariants:
 *   - procs[] holds every simulated process in creation order; host_pid is
 *     the host backend's pid for it, or 0 when the host has no such process
 *     (why says so; its steps are skipped);
 *   - host_off: the host is no longer driven (a simulator-only model, the
 *     first divergence without --all, or a lost host); from then on every
 *     op goes to the simulator only;
 *   - sim_evs holds the simulator's events of the last op, handed to the
 *     interpreter by event_next in order;
 *   - a process's att[] holds every attachment it has had on both sides
 *     (sim base <-> host base, the segment's mapped length); live ones are
 *     its current attachments, dead ones are kept so that an access to a
 *     detached address reaches the same dead address on the host.
 */
#ifndef IPCSIM_COMPARE_INT_H
#define IPCSIM_COMPARE_INT_H

#include <stdint.h>
#include <stdio.h>

#include "ipcsim/compare.h"
#include "ipcsim/strace.h" /* results in the report, errno names */
#include "ipcsim/types.h"

/* One attachment as each side placed it. */
struct cmp_attach {
	unsigned long sim, host; /* the bases shmat returned */
	size_t len;              /* mapped bytes: the segment size in whole pages */
	int live;                /* 0: detached since */
};

struct cmp_proc {
	int sim_pid;
	int host_pid;      /* 0: not on the host */
	unsigned caps;     /* SIM_CAP_* asked for */
	char why[160];     /* host_pid == 0: why not */
	struct cmp_attach *att;
	int natt, capatt;
};

/* A bijection sim value <-> host value, bound at first appearance. */
struct cmp_binding {
	uint32_t sim, host;
};

struct cmp_bindings {
	struct cmp_binding *v;
	int n, cap;
};

/* An event list of one op on one side. */
struct cmp_events {
	struct backend_event *v;
	int n, cap, next;
};

struct compare_backend {
	struct backend *sim, *host;
	struct compare_options o;
	struct compare_report rep;
	char sim_only_name[32];   /* rep.sim_only points here */
	int host_off;
	/* The line of the first skipped step that may have changed the
	 * simulator's state only; later differences are not verdicts. */
	int taint_line;
	int line;                 /* the statement being run */
	const char *text;
	const struct scenario_names *names;
	struct cmp_proc *procs;
	int nprocs, capprocs;
	struct cmp_bindings keys;
	struct cmp_events sim_evs;
	/* The last simulator state handed out by msg_current, for a partial
	 * IPC_SET (which fields the scenario changed). */
	int cur_id;
	struct ipcsim_msqid_ds cur_ds;
	int cur_valid;
	/* The same for shmctl and semctl IPC_SET. */
	int cur_shm_id, cur_shm_valid;
	struct ipcsim_shmid_ds cur_shm_ds;
	int cur_sem_id, cur_sem_valid;
	struct ipcsim_semid_ds cur_sem_ds;
	/* Said after the reason of a SKIPPED note of the current op. */
	char skip_extra[192];
	struct ipcsim_budget budget; /* every field set (compare_budget.c) */
	long start_ms;               /* when the comparer was made (cmp_now_ms) */
	/* The address the shmat being compared asked for on each side. */
	unsigned long shmat_sim_asked, shmat_host_asked;
};

#define CMP_PAGE_SIZE 4096UL

enum cmp_ret_kind {
	CMP_RET_PLAIN, /* a count, an id, a size: as it is */
	CMP_RET_PID,   /* fork, getpid: through the pid table */
	CMP_RET_KEY,   /* ftok: through the key bindings */
	CMP_RET_ADDR,  /* shmat: each side's own address (bound by compare_mem.c), where
	                * it lies from shmat_*_asked compared */
};

/* ---- compare_backend.c: the common step ----------------------------------- */

struct cmp_proc *cmp_proc_find(struct compare_backend *cb, int sim_pid);
/* Whether the host takes part in a call of sim_pid's: 1 with *hpid, or 0
 * (host off, or the process is not on the host: a SKIPPED note then). */
int cmp_host_takes(struct compare_backend *cb, int sim_pid, const char *call,
                   const struct backend_result *sr, int *hpid);
/* After an op ran on both sides: events drained, results and events
 * compared, notes made; hrc is the host op's return; releases hr. */
void cmp_finish(struct compare_backend *cb, int sim_pid, const char *call,
                enum cmp_ret_kind kind, const struct backend_result *sr, int hrc,
                struct backend_result *hr);
/* The simulator's events of an op the host did not run; or drop b's. */
void cmp_sim_only_events(struct compare_backend *cb);
void cmp_events_discard(struct backend *b);
/* Runs cmdline on b into a malloc'd string; its exit status in *status. */
char *cmp_shell_capture(struct backend *b, const struct backend_creds *c,
                        const struct scenario_names *names, const char *cmdline, int *status);

/* ---- compare_ops.c: the message-queue calls (backend_ops) ------------------ */

int cmp_ftok(void *ctx, int pid, const char *path, int proj, struct backend_result *r);
int cmp_msgget(void *ctx, int pid, long key, int flags, struct backend_result *r);
int cmp_msgsnd(void *ctx, int pid, int id, const struct backend_msg *m, size_t size,
               int flags, struct backend_result *r);
int cmp_msgrcv(void *ctx, int pid, int id, enum backend_buf buf, size_t size, long type,
               int flags, struct backend_result *r);
int cmp_msgctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
               const struct ipcsim_msqid_ds *ds, struct backend_result *r);
int cmp_msg_current(void *ctx, int id, struct ipcsim_msqid_ds *ds);

/* ---- compare_ops_shm_sem.c: shared memory and semaphores (backend_ops) ------- */

int cmp_shmget(void *ctx, int pid, long key, size_t size, int flags, struct backend_result *r);
int cmp_shmat(void *ctx, int pid, int id, unsigned long addr, int flags,
              struct backend_result *r);
int cmp_shmdt(void *ctx, int pid, unsigned long addr, struct backend_result *r);
int cmp_shmctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
               const struct ipcsim_shmid_ds *ds, struct backend_result *r);
int cmp_shm_current(void *ctx, int id, struct ipcsim_shmid_ds *ds);
int cmp_semget(void *ctx, int pid, long key, int nsems, int flags, struct backend_result *r);
int cmp_semop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
              struct backend_result *r);
int cmp_semtimedop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops,
                   size_t nsops, const long *timeout, struct backend_result *r);
int cmp_semctl(void *ctx, int pid, int id, int semnum, int cmd,
               const struct backend_semctl_arg *arg, struct backend_result *r);
int cmp_sem_current(void *ctx, int id, struct ipcsim_semid_ds *ds);

/* ---- compare_mem.c: addresses and memory calls ----------------------------- */

/* sim_pid's address a as the host process sees it: through the attachment
 * a falls in (live ones first, then detached ones), else a itself. */
unsigned long cmp_addr_to_host(struct compare_backend *cb, int sim_pid, unsigned long a);
void cmp_addr_attach(struct compare_backend *cb, int sim_pid, unsigned long sim,
                     unsigned long host, size_t len);
void cmp_addr_detach(struct compare_backend *cb, int sim_pid, unsigned long sim);
/* A forked child has its parent's attachments, at the same addresses. */
void cmp_addr_fork(struct compare_backend *cb, int parent_pid, int child_pid);
void cmp_addr_free(struct compare_backend *cb);
int cmp_mem_store(void *ctx, int pid, unsigned long addr, long value, struct backend_result *r);
int cmp_mem_load(void *ctx, int pid, unsigned long addr, struct backend_result *r);
int cmp_mem_write(void *ctx, int pid, unsigned long addr, const void *buf, size_t n,
                  struct backend_result *r);
int cmp_mem_read(void *ctx, int pid, unsigned long addr, size_t n, struct backend_result *r);

/* ---- compare_result.c ----------------------------------------------------- */

/* "; "-separated notes of what differs, counted in *n. */
void cmp_differs(FILE *w, int *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Two pids through the process table (0 and negatives as they are). */
int cmp_pids_agree(const struct compare_backend *cb, int s, int h);
/* The info structs (no pids, keys or times): every field of the list as it is. */
void cmp_fields_compare(FILE *w, int *n, const struct strace_field *fields, const void *s,
                        const void *h);
/* Three times of one object by relation (see compare_result.c). */
void cmp_times_compare(FILE *w, int *n, const char *const names[3], const long s[3],
                       const long h[3]);

/* ---- compare_result_shm_sem.c: shm/sem payloads --------------------------------- */

/* The shm/sem payloads of two results that agree so far. */
void cmp_ipc_payload_compare(struct compare_backend *cb, FILE *w, int *n,
                             const struct backend_result *s, const struct backend_result *h);


/* Binds sim <-> host if neither is bound; 1 consistent, 0 a conflict. */
int cmp_bind(struct cmp_bindings *t, uint32_t sim, uint32_t host);
/* The host pid bound to sim_pid (0: none), and back. */
int cmp_host_pid(const struct compare_backend *cb, int sim_pid);
int cmp_sim_pid(const struct compare_backend *cb, int host_pid);

/*
 * Compares one call's results.  Returns 1 equal, 0 different with *why
 * (malloc'd) saying what differs.
 */
int cmp_results(struct compare_backend *cb, const char *call, enum cmp_ret_kind kind,
                const struct backend_result *s, const struct backend_result *h, char **why);
/*
 * The events of one step, as sets: host pids are translated first.  1 the
 * same, 0 different with *sim_out, *host_out (each side's events, one per
 * line) and *why set.
 */
int cmp_events_equal(struct compare_backend *cb, struct cmp_events *s, struct cmp_events *h,
                     char **sim_out, char **host_out, char **why);

/* ---- compare_shell.c ------------------------------------------------------ */

/* The two outputs of the `$` command cmdline; 1 the same, 0 different with *why. */
int cmp_shell_output(struct compare_backend *cb, const char *cmdline, const char *sim,
                     const char *host, char **why);

/* ---- compare_maps.c: /proc/PID/maps lines ---------------------------------- */

#define CMP_MAPS_MAX_PIDS 16
/* The pids of the /proc/PID/maps files cmdline names (at most max). */
int cmp_maps_pids(const char *cmdline, int *pids, int max);
/* Two output lines of a command naming the maps of pids: 1 the same maps
 * line, 0 different (or only one is a maps line), -1 neither is one. */
int cmp_maps_line(struct compare_backend *cb, const int *pids, int npids, const char *sl,
                  const char *hl);
/* Each run of maps lines of the host's hv[0..nh) put in the order of the
 * simulator's lines it matches in sv[0..ns) (the rest after them). */
void cmp_maps_pair(struct compare_backend *cb, const int *pids, int npids, char **sv, int ns,
                   char **hv, int nh);

/* ---- compare_budget.c ----------------------------------------------------- */

long cmp_now_ms(void);
/* The budget: b's fields, the defaults of ipcsim/sandbox.h for those that
 * are 0; the wall time starts now. */
void cmp_budget_init(struct compare_backend *cb, const struct ipcsim_budget *b);
/* Before the host runs a step the simulator has run: 1 when the
 * simulator's state (or the wall time) is over the budget - the host is
 * then stopped with the report's `stopped` set - else 0. */
int cmp_budget_refuses(struct compare_backend *cb);
/* The same for the wall time alone, after a step (its difference is then
 * not a verdict): 1 when it ran out. */
int cmp_budget_time_up(struct compare_backend *cb);

/* ---- compare_report.c ----------------------------------------------------- */

/* Adds a note at the current line; takes sim, host, why, states (malloc'd,
 * may be NULL).  call is copied. */
void cmp_note(struct compare_backend *cb, enum compare_note_kind kind, const char *call,
              char *sim, char *host, char *why, char *sim_state, char *host_state);
void cmp_report_free(struct compare_report *r);

#endif
