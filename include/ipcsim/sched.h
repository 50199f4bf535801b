/*
 * ipcsim/sched.h - a scenario's run paused at every choice among its
 * programs, for a caller that makes the choices itself (`ipcsim explore`).
 *
 * script_sched_advance() runs the scenario up to the next point where more
 * than nothing can happen next: it returns how many processes can take a
 * step there (their programs not finished, not blocked in a call), and
 * script_sched_step() runs the step of one of them.  The statements
 * outside programs run in order in between, as in script_run().
 *
 * Ownership: the run keeps a pointer to the script, which must outlive it;
 * everything a getter returns points into the run, valid until its next
 * step.
 */
#ifndef IPCSIM_SCHED_H
#define IPCSIM_SCHED_H

#include <stdint.h>
#include <stdio.h>

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

struct script;
struct backend;
struct script_sched;

/* A fresh run over a fresh simulated kernel; steps print to out (NULL:
 * nowhere, and the steps of programs are not even formatted), runtime
 * errors to err (NULL: nowhere).  NULL: out of memory. */
struct script_sched *script_sched_new(const struct script *s, FILE *out, FILE *err);
void script_sched_free(struct script_sched **r);

/* Runs up to the next choice: the number of processes that can take a step
 * (1 or more), 0 when the scenario is over, -1 after a runtime error. */
int script_sched_advance(struct script_sched *r);
/* Runnable process k (0 <= k < what advance returned): its name, its place
 * among the programs of its section (a stable id), and whether its next
 * step is local (arithmetic on its own variables that cannot fail: it
 * touches nothing another process can see or change; never when some
 * program calls kill or fork, sets a field of a struct that is not its own
 * or names another program's local). */
const char *script_sched_proc(const struct script_sched *r, int k);
int script_sched_proc_id(const struct script_sched *r, int k);
int script_sched_local(const struct script_sched *r, int k);

/* What runnable process k's next step touches besides its own variables,
 * from its call and its arguments as they are now (they are the process's
 * own and stay so until it moves).  The explorer's reduction rests on it:
 * two steps of different processes that touch nothing in common commute
 * (docs/explore.md, "Independent steps"). */
enum script_sched_reach {
	SCHED_REACH_OWN,    /* nothing else: arithmetic, getpid, assert */
	SCHED_REACH_OBJECT, /* one IPC object: kind and id */
	SCHED_REACH_MEMORY, /* bytes of one segment, through its attachments */
	SCHED_REACH_KIND,   /* every object of a kind: gets, removals, totals */
	SCHED_REACH_ALL,    /* anything: processes made or ended, signals, the clock,
	                       an access that faults, what cannot be told */
};
struct script_sched_access {
	enum script_sched_reach reach;
	char kind;              /* OBJECT, MEMORY, KIND: 'q' queues, 'm' segments,
	                           's' semaphore sets */
	int msg_area;           /* a message in or out of the kernel's data area,
	                           which every queue's texts share */
	long id;                /* OBJECT, MEMORY: the object's id */
	unsigned long off, len; /* MEMORY: the bytes of the segment ... */
	int writes;             /* ... and whether it writes them */
	int programs;           /* ALL: it can change what another program reads,
	                           or end it (kill, fork, a shared variable) */
};
void script_sched_access(const struct script_sched *r, int k, struct script_sched_access *a);
/* Runs runnable process k's next step: 0, or -1 after a runtime error. */
int script_sched_step(struct script_sched *r, int k);

/* Going back.  A save is where the run stands: the simulated kernel's
 * mark (its undo log, sim_kernel_mark) and a copy of the interpreter's own
 * state (variables, processes, where each program stands).  Rewinding puts
 * the run back there, as often as needed; releasing forgets the save and
 * keeps the run where it is.  Saves nest like the kernel's marks: rewinding
 * to a save or releasing it drops the kernel's newer marks, so release the
 * newer saves first.  Take one only between steps (after advance).
 * save: NULL when out of memory; rewind: 0, or -1 when out of memory (the
 * run is then unusable: free it). */
struct script_sched_save;
struct script_sched_save *script_sched_save(struct script_sched *r);
int script_sched_rewind(struct script_sched *r, const struct script_sched_save *sv);
void script_sched_release(struct script_sched *r, struct script_sched_save **sv);

/* Adds to h[0], h[1] what the interpreter holds: every variable's value,
 * where each program stands (line, loop counters) and each process's state. */
void script_sched_hash(const struct script_sched *r, uint64_t h[2]);
/* The backend the run drives (its simulated kernel: backend_kernel). */
struct backend *script_sched_backend(const struct script_sched *r);

enum script_sched_var_role {
	SCHED_VAR_LOCAL = 1,  /* a program's own variable */
	SCHED_VAR_ADDR = 2,   /* bound by shmat outside programs */
	SCHED_VAR_SEM = 4,    /* bound by semget outside programs */
	SCHED_VAR_QUEUE = 8,  /* bound by msgget outside programs */
	SCHED_VAR_AFTER = 16, /* bound outside programs, after some program ran */
};
/* Calls cb for every variable in name order with its value as the
 * scenario writes it (a V_INT as an integer in value).  Stops when cb
 * returns non-zero. */
int script_sched_vars(const struct script_sched *r,
                      int (*cb)(void *ctx, const char *name, const char *text, long long value,
                                int is_int, unsigned roles),
                      void *ctx);

/* After the run: the processes blocked (name, call, line), in name order. */
int script_sched_blocked(const struct script_sched *r,
                         int (*cb)(void *ctx, const char *proc, const char *call, int line),
                         void *ctx);
/* Sections that ended with programs blocked; expectations failed, and the
 * first line in the file of those that failed (0: none; the same whatever
 * the order they failed in); the runtime error that stopped the run
 * (its line 0: none). */
int script_sched_deadlocks(const struct script_sched *r);
/* The scenario's name of process pid, or NULL. */
const char *script_sched_proc_name(const struct script_sched *r, int pid);
int script_sched_failed(const struct script_sched *r, int *first_line);
int script_sched_error(const struct script_sched *r, const char **msg);

/* Writes s run by schedule (script_options.schedule) as an ordinary
 * scenario: header (comment lines, or NULL), then the source with each
 * section of programs replaced by its steps in the order they ran, every
 * result filled in (ipcsim record's form).  0, or -1 after a message on err. */
int script_sched_witness(const struct script *s, const char *schedule, const char *header,
                         FILE *out, FILE *err);

#pragma GCC visibility pop

#endif
