/*
 * interp_int.h - the interpreter's private state: runtime values, variables,
 * scenario processes, and the trace that `record` writes back.
 *
 * Values are trees owned by whoever holds them (a variable, a result being
 * built); value_free() releases one, value_copy() duplicates one.  A struct
 * result (msqid_ds, msginfo) is a V_STRUCT tree with glibc's field names in
 * strace's order, so printing, field access (`ds.msg_perm.mode`) and partial
 * matching (`= 0 {msg_qnum=2}`) are one generic walk.
 */
#ifndef IPCSIM_INTERP_INT_H
#define IPCSIM_INTERP_INT_H

#include <uthash.h>

#include "ipcsim/backend.h"
#include "ipcsim/render.h" /* render_show: `show` and --show draw the state */
#include "ipcsim/strace.h" /* results printed, structures as field lists */
#include "script/script_int.h"
#include "types/bytebuf.h"

enum val_kind { V_NONE, V_INT, V_STR, V_MSG, V_STRUCT, V_ARRAY, V_PROC };

struct field;

struct value {
	enum val_kind kind;
	long long i;          /* V_INT; V_MSG mtype; V_PROC pid */
	char fmt;             /* V_INT display: 'd', 'o' (0666), 'x' (0x41...), 'u' (64-bit unsigned) */
	unsigned char *bytes; /* V_STR, V_MSG text */
	size_t len;
	struct field *fields; /* V_STRUCT */
	int nfields;
	struct value *items;  /* V_ARRAY */
	int nitems;
	char *name;           /* V_PROC */
};

struct field {
	char *name;
	struct value v;
};

void value_free(struct value *v);
int value_copy(struct value *dst, const struct value *src);
/* Field at a dotted path (aliases __key, __seq, __msg_cbytes); NULL if absent. */
struct value *value_field(struct value *v, const char *path);
/* Sets the field at path, creating nested structs; takes ownership of *v. */
int value_set_field(struct value *s, const char *path, struct value *v);
/* The value as a scenario writes it, appended to out; value_print writes
 * it to a stream. */
void value_put(struct bytebuf *out, const struct value *v);
void value_print(FILE *out, const struct value *v);
/* The IPC structure at base as a struct tree: its fields (strace_*_fields of
 * ipcsim/strace.h) in the order and the number formats they print in. */
int value_from_struct(struct value *v, const struct strace_field *fields, const void *base);
/* Overlays the integer fields v names onto the structure at base: a partial
 * IPC_SET keeps the others (the kernel reads only the fields it sets). */
void value_to_struct(const struct value *v, const struct strace_field *fields, void *base);
int value_from_msg(struct value *v, long mtype, const unsigned char *text, size_t len);
/* GETALL's values as an array. */
int value_from_semvals(struct value *v, const unsigned short *vals, size_t n);
/* Texts compare with trailing NULs insignificant (as printf("%s") shows them). */
int value_bytes_equal(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen);

struct var {
	char *name;
	struct value v;
	int pid;        /* the process whose step bound it last: the process panel
	                   draws it under that process */
	UT_hash_handle hh;
};

enum proc_state { PS_RUNNING, PS_BLOCKED, PS_ENDED };

struct proc {
	char *name;
	int pid;
	enum proc_state state;
	const struct stmt *blocked_at; /* PS_BLOCKED: the step that sleeps */
	int ended_line;
	UT_hash_handle hh;     /* in->procs, by name */
	UT_hash_handle hh_pid; /* in->procs_by_pid: events name a pid */
};

struct person {
	char *name;
	unsigned uid, gid;
	UT_hash_handle hh;
};

/* A gid that some `group` line of the script names. */
struct gid_entry {
	unsigned gid;
	UT_hash_handle hh;
};

/* What a step produced, for printing (strace_print_result), matching and binding. */
struct actual {
	struct backend_result r;
	struct value payload; /* V_MSG (msgrcv), V_STRUCT (STAT/INFO) or V_NONE */
	int hex;              /* ret binds in hex (ftok keys) */
	int no_result;        /* exit, assert: nothing after the call */
	int is_addr;          /* ret is an address (shmat): hex, compared in full */
	int str_result;       /* memread: the result is the V_STR payload, not ret */
};

void actual_release(struct actual *a);

/* For `ipcsim record`: what each statement really did. */
struct trace_event {
	char *line;        /* the whole output line: "P2: <... msgrcv resumed> = 5 {...}" */
	const char *proc;  /* points into the interp's process table */
	enum stmt_kind kind;
	char call[16];
	int matched;       /* index of the scenario line it matched, or -1 */
	int held;          /* that line's expectation held: record keeps it */
};

struct trace_stmt {
	int ran;
	int held;          /* the written expectation held: record keeps it */
	char *result;      /* "= 0", "<unfinished ...>", or NULL for no result */
	char **out;        /* shell output lines */
	int nout;
	struct trace_event *ev;
	int nev;
};

/* A schedule: who runs next among the programs' processes
 * (docs/scenario-language.md, Schedules). */
enum sched_kind { SCHED_RR, SCHED_RANDOM, SCHED_LIST, SCHED_EXTERNAL };

struct sched {
	enum sched_kind kind;
	long long quantum;        /* SCHED_RR */
	unsigned long long rng;   /* SCHED_RANDOM: xorshift64* state */
	char **names;             /* SCHED_LIST: one process a step, then rr:1 */
	int nnames, at;
};

/* A process running its program in the section being run. */
struct prog_proc {
	struct proc *p;
	const struct stmt *prog;  /* the ST_PROGRAM */
	int pc;                   /* next instruction; prog->prog->ncode: done */
	long long *counters;      /* repeat counters, by slot */
};

/* The programs next to each other in the script, running side by side. */
struct section {
	int lo, hi;               /* their statements */
	struct prog_proc *pp;
	int n;
	int *runnable, nrunnable; /* after section_runnable: indices into pp */
	int current;              /* rr: the process running its quantum, or -1 */
	long long left;           /* rr: steps left in its quantum */
	int deadlocked;           /* it ended with processes blocked */
};
/* A reusable text buffer behind a stream (scratch.c): begin, print into
 * the FILE *, end gives the NUL-terminated text, valid until the next begin. */
struct scratch {
	FILE *w;
	struct bytebuf text;
	/* the stream's own buffer: stdio's default is a fresh 8 KiB each, and
	 * a run has six (a page fault each at start-up) */
	char io[512];
};
int scratch_open(struct scratch *sc);
void scratch_close(struct scratch *sc);
FILE *scratch_begin(struct scratch *sc);
/* The text (NUL-terminated, its length in *len), or NULL out of memory. */
const char *scratch_end(struct scratch *sc, size_t *len);

/* Output held back until the run's file has checked whole (spool.c): the
 * first mem_max bytes in memory, the rest in an unlinked temporary file. */
struct spool {
	FILE *w;            /* where the run writes */
	struct bytebuf mem;
	size_t mem_max;
	int fd;             /* the temporary file, -1 until needed */
	int error;          /* errno of a failed write to it; EFBIG: past max */
	long long held;     /* bytes written */
	long long max;      /* the most it holds (0: no limit) */
};
/* 0, or -1 out of memory.  Past max bytes every write fails (EFBIG). */
int spool_open(struct spool *sp, size_t mem_max, long long max);
/* Everything written so far onto to: 0, or -1 with errno when the spool
 * lost some of it (its file could not be written or read back).  A failed
 * write to `to` stops the copy and leaves `to`'s error flag set. */
int spool_copy(struct spool *sp, FILE *to);
/* Drops what it holds; the temporary file is gone. */
void spool_close(struct spool *sp);

/* What the lines of a script change in the interpreter besides its tables
 * (variables, processes, people) and the programs' section: counters, the
 * runtime error, where the run stands.  interp_snap saves and restores it
 * with one assignment, so a field added here goes back with `step` and the
 * explorer by construction.  struct interp holds it as a union of `run` and
 * an anonymous twin with the same fields, so that code names a field
 * directly (in->passed) and a snapshot copies in->run whole. */
#define INTERP_RUN_FIELDS \
	int group_gids_upto;        /* group_gids: among the first this many statements */ \
	unsigned def_uid, def_gid;  /* processes without a `process` line */ \
	unsigned sh_uid, sh_gid;    /* the `$` user (`user NAME ... default`) */ \
	int passed, failed, steps; \
	long long nprocs;           /* processes made, for limits.max_procs */ \
	long long nblocked;         /* calls that went to sleep, so far (stream.c) */ \
	int stopped;                /* a runtime error ended the run */ \
	int error_line, error_col;  /* where, and what (script_stats) */ \
	char error[512]; \
	int cur;                    /* index of the statement being run */ \
	int next;                   /* the statement interp_advance runs next */ \
	int program_step;           /* the step being run is a program's (no source \
	                               lines of resumed calls follow it) */ \
	int deadlocks;              /* sections that ended in a deadlock */ \
	int first_failed_line;      /* the first line (in the file) of a failed \
	                               expectation: the same in any order */
struct interp_run {
	INTERP_RUN_FIELDS
};

struct interp {
	const struct script *s;
	struct backend *b;
	int own_backend;            /* b was made here and is freed here */
	FILE *out, *err;
	int color;
	enum script_show show;
	struct var *vars;
	struct proc *procs;
	struct proc *procs_by_pid; /* the same processes, by pid */
	/* interp_var and interp_proc's last finds, by where the name's text
	 * sits (a statement's names stay put): a hit is checked by comparing
	 * the names, the table is not hashed.  Emptied with the tables. */
	struct var *var_hint[32];
	struct proc *proc_hint[8];
	struct person *users, *groups;
	/* Gids named after their user (`user` lines, root and user): a name
	 * that applies only where no `group` line of the script names the gid. */
	struct person *user_groups;
	struct gid_entry *group_gids; /* the gids `group` lines name (run.group_gids_upto) */
	long long deadline_ms; /* CLOCK_MONOTONIC ms when limits.max_seconds runs out; 0: none */
	struct trace_stmt *trace;   /* NULL unless recording */
	struct scenario_names names;
	struct render_vars draw_vars; /* each process's variables, for render_draw */
	struct render_memo *memo;   /* --show=each: the last drawing, marks compare with it */
	struct trace_event *pending; /* events of the current statement */
	int npending;
	/* script_options.on_step: the observer and what it is told (interp_step.c) */
	void (*on_step)(void *ctx, const struct script_step_info *info);
	void *step_ctx;
	struct step_note *note;     /* NULL unless on_step is set */
	/* A step's printed result, and the line it is written in: built in
	 * these two buffers, reused step after step, and the line written to
	 * out in one call. */
	struct bytebuf result, line;
	struct scratch line_text;   /* an argument's text for on_step (interp_step.c) */
	struct bytebuf value_text;  /* a variable's value for a drawing (interp_draw.c) */
	int explain;                /* script_options.explain */
	char why_code[32], why[320];  /* the current step's reason (interp_why) */
	struct section *sec;        /* the programs running, or NULL */
	struct sched sched;
	union {
		struct interp_run run;   /* saved whole (interp_snap) */
		struct {
			INTERP_RUN_FIELDS
		};
	};
	int quiet;                  /* out is nowhere: steps need not be formatted */
	FILE *own_null;             /* /dev/null opened for out/err, closed by interp_fini */
	/* A witness being written (sched.c): what sections print goes to
	 * sec_out, each section's end offset in sec_ends. */
	FILE *sec_out, *top_out;
	long sec_ends[64];
	int nsec_ends;
};

/* interp_why.c: the kernel's reason for the step just run by p, printed as a
 * `# why` line and noted for on_step when explaining; serial is
 * interp_why_serial() from before the call. */
unsigned long interp_why_serial(const struct interp *in);
void interp_why(struct interp *in, int pid, unsigned long serial);

/* eval.c */
int eval(struct interp *in, const struct expr *e, struct value *out);
/* A message written with a number and a string ({1, "hello"}): its type
 * and text where they are written (valid as long as e), 1; else 0 (it must
 * be evaluated). */
int eval_literal_message(const struct expr *e, long long *type, const char **text,
                         size_t *len);
int eval_int(struct interp *in, const struct expr *e, long long *out);
/* Checks x against a; 1 passed, 0 failed (why set, malloc'd), -1 error. */
int expect_check(struct interp *in, const struct stmt *st, const struct expect *x,
                 const struct actual *a, char **why);
/* interp.c */
int interp_error(struct interp *in, const struct stmt *st, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
struct proc *interp_proc(struct interp *in, const char *name, int create);
struct proc *interp_proc_by_pid(struct interp *in, int pid);
/* Adds p (name and pid set) to both of in's process tables. */
void interp_proc_add(struct interp *in, struct proc *p);
/* Binds name to *v (taken) as a variable of process pid. */
int interp_bind(struct interp *in, const char *name, struct value *v, int pid);
struct var *interp_var(struct interp *in, const char *name);
void interp_note_failure(struct interp *in, const struct stmt *st, int col, const char *why);
/* interp_call.c: performs st (its table entry's performer); fills *a.  0,
 * or -1 after a runtime error. */
int call_perform(struct interp *in, const struct stmt *st, struct proc *p, struct actual *a);
/* A runtime error unless the backend has the op (a backend may lack shm/sem). */
int call_need_op(struct interp *in, const struct stmt *st, int present);
/* Turns a result's message/ds/info into a->payload. */
int call_take_payload(struct interp *in, const struct stmt *st, struct actual *a);
/* Binds what a finished call gives back (var =, &m, &ds). */
int call_bind(struct interp *in, const struct stmt *st, const struct actual *a);
/* interp.c runs the whole script; record.c uses it with a trace. */
int interp_run(struct interp *in);
/* After a run: the end drawing, the processes still blocked, the summary
 * line, *stats (may be NULL), as script_run ends. */
void interp_finish(struct interp *in, const struct script_options *o, struct script_stats *stats);
/* stream.c's: a gid a `group` line of the whole scenario names (the run
 * sees only the lines it has reached): 1 when it is new, 0 when known, -1
 * out of memory. */
int interp_note_group_gid(struct interp *in, unsigned gid);
/* Stops the run when one of the script's limits is reached; 0 or -1. */
int interp_check_limits(struct interp *in, const struct stmt *st);
/* interp_draw.c: the simulated state behind the backend drawn with the
 * scenario's names and each process's variables (render_draw), marked
 * against in->memo when there is one (--show=each); 0 and nothing drawn
 * when the backend has no simulated kernel (the host), else 1. */
int interp_draw(struct interp *in, FILE *out, int color);
/* The options of a drawing of in's state: names, variables, colour. */
void interp_render_opts(const struct interp *in, struct render_opts *o, int color);
/* Sets in->draw_vars up (interp_init). */
void interp_draw_init(struct interp *in);
/* Runs statement i alone (the step/repl sessions drive this): 0 it ran, 1 it
 * is a resumed/ended line (matched after the statement before it), -1 a
 * runtime error stopped the interpreter (reported on in->err). */
int interp_run_stmt(struct interp *in, int i);
void interp_init(struct interp *in, const struct script *s, const struct script_options *o);
/* interp_stmt.c: frees the variables, processes, people and gids (fini's part). */
void interp_free_tables(struct interp *in);
/* interp_snap.c: the interpreter's own state, to go back to (a kernel mark
 * goes with it).  take: NULL when out of memory; restore: 0, or -1 when out
 * of memory (the interpreter is then unusable: finish it). */
struct interp_snap;
struct interp_snap *interp_snap_take(const struct interp *in);
int interp_snap_restore(struct interp *in, const struct interp_snap *s);
void interp_snap_free(struct interp_snap **s);
void interp_fini(struct interp *in);
/* interp_step.c: the on_step observer's notes; each is a no-op when in->note is NULL. */
int step_note_new(struct interp *in);
void step_note_free(struct interp *in);
void step_note_args(struct interp *in, const struct stmt *st);
void step_note_result(struct interp *in, const struct stmt *st, const struct proc *p,
                      const struct actual *a, const char *res, int ok);
void step_note_event(struct interp *in, enum script_event_kind kind, const char *proc,
                     const char *call, const struct actual *a, int status, int sig,
                     const char *text);
void step_note_output(struct interp *in, char *const *lines, int nlines);
void step_note_emit(struct interp *in, const struct stmt *st);

/* interp.c: runs one program step st (a call, a field or local
 * assignment) of process p: 0, or -1 after a runtime error. */
int interp_exec_program_step(struct interp *in, const struct stmt *st);
/* interp_prog.c: runs statements up to the next choice among programs:
 * 1 (in->sec->runnable set), 0 the script is over, -1 a runtime error. */
int interp_advance(struct interp *in);
/* Runs the next step of runnable process k (an index into
 * in->sec->runnable); 0 or -1. */
int interp_prog_step(struct interp *in, int k);
/* The schedule's pick among in->sec->runnable (an index into it), or -1
 * after a runtime error (a named process that cannot run). */
int sched_pick(struct interp *in);
/* Runs the next step a stepper shows: a statement outside programs, or
 * one step of a program (picked by the schedule).  1 and its source line
 * (and whether it is `show`), 0 at the end, -1 after a runtime error (the
 * line of the step that failed set). */
int interp_step_unit(struct interp *in, int *line, int *is_show);
/* The section of programs starting at statement lo, run whole by the
 * schedule (a session runs statement by statement): 0 or -1. */
int interp_run_section(struct interp *in, int lo);
int sched_parse(struct sched *sc, const char *spec, char *err, size_t errlen);
void sched_free(struct sched *sc);
void section_free(struct interp *in);

/* interp.c: the dotted path of an EX_FIELD chain and its root; NULL if too long */
const struct expr *interp_field_path(const struct expr *e, char *path, size_t size);

#endif
