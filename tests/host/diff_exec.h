/*
 * diff_exec.h - a sequence (diff_seq.h) performed on a struct backend
 * (ipcsim/backend.h), step by step.
 *
 * The same steps serve two backends.  A generator performs each step on the
 * simulator alone as it appends it, to learn what the call does before it
 * chooses the next one.  The differential test performs the finished
 * sequence on the comparing backend of `ipcsim check` (ipcsim/compare.h),
 * which runs every call on the simulator and on the host kernel and keeps
 * the verdict: this file only makes the calls, it never judges them.
 *
 * One step: announce it (step_begin: line = step + 1, text = who runs it
 * and which call, for the comparer's notes); make its process when it runs
 * in one of its own (proc_new with the actor's uid and gid, root with
 * root_caps, everyone else with none); resolve id and address arguments
 * against the results so far; perform the call; drain the events it
 * caused; end the step's own process (exit); run the backend's invariant
 * check; record the result in the run.
 *
 * Ownership: the executor owns its scratch buffer; the backend and the run
 * are the caller's and must outlive it.
 */
#ifndef IPCSIM_DIFF_EXEC_H
#define IPCSIM_DIFF_EXEC_H

#include <stdio.h>

#include "diff_seq.h"

struct diff_exec {
	struct backend *b;
	struct diff_run *run;
	unsigned root_caps;         /* SIM_CAP_* of root's processes */
	FILE *trace;                /* non-NULL: every step and its result printed here */
	int root_dead;              /* the root process died (a memory fault) */
	int helper_pid[DIFF_MAX_HELPERS + 1];  /* [h]: helper h's pid, 0 when not running */
	int helper_proc[DIFF_MAX_HELPERS + 1];
	int helper_dead[DIFF_MAX_HELPERS + 1]; /* [h]: it died in a call (SIGSEGV) */
	unsigned char *buf;         /* message texts, written bytes, sembufs, SETALL values */
	char text[96];              /* the current step as step_begin announced it */
	char invariant[360];        /* the backend check's first complaint, or "" */
};

/* Starts a run on b: makes the root process (process 0).  0, or -1 when out
 * of memory or the backend could not make the process. */
int diff_exec_begin(struct diff_exec *x, struct backend *b, unsigned root_caps,
                    struct diff_run *run);
void diff_exec_end(struct diff_exec *x);

/* Performs step i of s (steps before it must have run) and records it in
 * run->r[i]; run->nsteps becomes i + 1.  Returns the result's ret: >= 0,
 * -errno, DIFF_RET_BLOCKED, DIFF_RET_SEGV, or DIFF_RET_FAILED when the
 * backend itself failed. */
long diff_exec_step(struct diff_exec *x, const struct diff_seq *s, int i);

/* Performs the whole sequence; stops after a step whose process cannot go
 * on (it sleeps, root died) or that the backend failed.  Returns the number
 * of steps run. */
int diff_exec_all(struct diff_exec *x, const struct diff_seq *s);

/* The whole sequence on a fresh simulator (backend_sim_new), as
 * diff_exec_all runs it.  0, or -1 when out of memory. */
int diff_exec_sim(const struct diff_seq *s, unsigned root_caps, struct diff_run *run);

/* Who runs step st and which call: "alice (own process): msgsnd",
 * "helper 2: semop", "root: limit" (the text step_begin announces). */
void diff_exec_describe(const struct diff_step *st, char *buf, size_t n);

/* The pid that runs steps with this `where`: root's for DIFF_WHERE_DEFAULT,
 * a running helper's; -1 otherwise. */
int diff_exec_pid(const struct diff_exec *x, int where);

#endif
