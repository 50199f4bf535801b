/*
 * compare_int.h - internals of the comparing backend (`ipcsim check`),
 * shared by its files:
 *
 *   compare_backend.c  the common step: each op to both sides, pids
 *                      translated, events drained and compared, notes made;
 *                      processes, shell, limits, the ops table
 *   compare_ops.c      the message-queue calls
 *   compare_result.c   one result against the other by the rules of
 *                      ipcsim/compare.h, and results printed strace-style
 *   compare_shell.c    a `$` command's output on both sides
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
 *     interpreter by event_next in order.
 */
#ifndef IPCSIM_COMPARE_INT_H
#define IPCSIM_COMPARE_INT_H

#include <stdint.h>

#include "ipcsim/compare.h"
#include "ipcsim/render.h" /* struct render_names */

struct cmp_proc {
	int sim_pid;
	int host_pid;      /* 0: not on the host */
	unsigned caps;     /* SIM_CAP_* asked for */
	char why[160];     /* host_pid == 0: why not */
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
	const struct render_names *names;
	struct cmp_proc *procs;
	int nprocs, capprocs;
	struct cmp_bindings keys;
	struct cmp_events sim_evs;
	/* The last simulator state handed out by msg_current, for a partial
	 * IPC_SET (which fields the scenario changed). */
	int cur_id;
	struct backend_msqid_ds cur_ds;
	int cur_valid;
	/* Said after the reason of a SKIPPED note of the current op. */
	char skip_extra[192];
};

enum cmp_ret_kind {
	CMP_RET_PLAIN, /* a count, an id, a size: as it is */
	CMP_RET_PID,   /* fork, getpid: through the pid table */
	CMP_RET_KEY,   /* ftok: through the key bindings */
};

/* ---- compare_backend.c: the common step ----------------------------------- */

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
                        const struct render_names *names, const char *cmdline, int *status);

/* ---- compare_ops.c: the message-queue calls (backend_ops) ------------------ */

int cmp_ftok(void *ctx, int pid, const char *path, int proj, struct backend_result *r);
int cmp_msgget(void *ctx, int pid, long key, int flags, struct backend_result *r);
int cmp_msgsnd(void *ctx, int pid, int id, const struct backend_msg *m, size_t size,
               int flags, struct backend_result *r);
int cmp_msgrcv(void *ctx, int pid, int id, enum backend_buf buf, size_t size, long type,
               int flags, struct backend_result *r);
int cmp_msgctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
               const struct backend_msqid_ds *ds, struct backend_result *r);
int cmp_msg_current(void *ctx, int id, struct backend_msqid_ds *ds);

/* ---- compare_result.c ----------------------------------------------------- */


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
/* r strace-style ("= 5 {mtype=1, mtext=\"hi\"}", "= -1 EAGAIN", "<unfinished ...>"); malloc'd. */
char *cmp_format_result(const struct backend_result *r);
/* "P2: <... msgrcv resumed> = 2 {...}" or "P2: +++ killed by SIGTERM +++"
 * (pid when no name is known); malloc'd. */
char *cmp_format_event(struct compare_backend *cb, const struct backend_event *ev);
/*
 * The events of one step, as sets: host pids are translated first.  1 the
 * same, 0 different with *sim_out, *host_out (each side's events, one per
 * line) and *why set.
 */
int cmp_events_equal(struct compare_backend *cb, struct cmp_events *s, struct cmp_events *h,
                     char **sim_out, char **host_out, char **why);

/* ---- compare_shell.c ------------------------------------------------------ */

/* The two outputs of one `$` command; 1 the same, 0 different with *why. */
int cmp_shell_output(struct compare_backend *cb, const char *sim, const char *host,
                     char **why);

/* ---- compare_report.c ----------------------------------------------------- */

/* Adds a note at the current line; takes sim, host, why, states (malloc'd,
 * may be NULL).  call is copied. */
void cmp_note(struct compare_backend *cb, enum compare_note_kind kind, const char *call,
              char *sim, char *host, char *why, char *sim_state, char *host_state);
void cmp_report_free(struct compare_report *r);

#endif
