/*
 * ipcsim/script.h - the scenario layer: parse a `.scn` file, run it against a
 * backend, write it back with its results filled in.
 *
 * The language is docs/scenario-language.md; this layer implements all of
 * it: message queues, shared memory, semaphores, memory access.
 *
 * Data flow: text -> script_parse() -> struct script (an AST with line and
 * column on every node) -> script_run() drives a struct backend
 * (ipcsim/backend.h) and prints every step strace-style; script_record()
 * runs the same way and writes the scenario back as an answer key.
 *
 * Ownership: a struct script owns copies of everything it was parsed from;
 * free it with script_free(), which nulls the caller's pointer.  Options and
 * streams belong to the caller.
 *
 * Exit statuses (docs/scenario-language.md): 0 every expectation held, 1
 * some expectation failed, 2 the scenario is malformed or a runtime error
 * stopped it.
 */
#ifndef IPCSIM_SCRIPT_H
#define IPCSIM_SCRIPT_H

#include <stdio.h>
#include <stddef.h>

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

struct backend;
struct script;

#define SCRIPT_EXIT_OK 0
#define SCRIPT_EXIT_FAILED 1
#define SCRIPT_EXIT_ERROR 2

/*
 * Parses a whole scenario.  file_name is used in messages only.  Returns the
 * script, or NULL after writing one diagnostic to err:
 *     FILE:LINE:COL: error: MESSAGE
 *     <the source line>
 *     <blanks>^
 * Names used before any line binds them, unknown calls and constants, bad
 * arity, badly shaped arguments (a semop list that is not sembufs) and
 * calls marked unsupported are all reported here, so nothing of a bad
 * scenario runs.
 */
struct script *script_parse(const char *file_name, const char *text, size_t len, FILE *err);

/* Reads path and parses it; NULL after a diagnostic on err (also for I/O errors). */
struct script *script_load(const char *path, FILE *err);

/* Frees everything and sets *s to NULL; NULL and a NULL *s are no-ops. */
void script_free(struct script **s);

/*
 * Bounds on every later run of s (run, record, trace, step, a session), for
 * scenarios from untrusted hands; 0 means unlimited (the default).  A run
 * that reaches one stops with a runtime error naming the limit (exit 2).
 */
struct script_limits {
	long long max_steps;   /* statements executed */
	long long max_procs;   /* processes made: `process` lines, first use, fork */
	long long max_seconds; /* wall-clock seconds of one run */
	/* bytes of output a streamed run holds back until its file has checked
	 * (script_run_stream): past it the run stops, exit 2 */
	long long max_output;
};
void script_set_limits(struct script *s, const struct script_limits *limits);

/*
 * Source line `line` (1-based) with what it says a step gives back left
 * out, so that it can be shown to someone predicting that step: a written
 * result (`= 100`, `= -1 ENOMSG`, `<unfinished ...>`, `--- SIGSEGV ---`)
 * becomes `= ?` or `?`, a `+++ exited with 0 +++` line's ending `?`, a `>`
 * line's text `?`.  malloc'd; NULL when the line has nothing to leave out
 * (or out of memory).
 */
char *script_line_unanswered(const struct script *s, int line);

/* The name s was parsed under (script_parse's file_name). */
const char *script_file_name(const struct script *s);

/* Number of parsed statements (steps, directives, shell commands). */
int script_count_statements(const struct script *s);

enum script_show {
	SCRIPT_SHOW_NONE, /* only where the scenario says `show` */
	SCRIPT_SHOW_EACH, /* also after every step */
	SCRIPT_SHOW_END,  /* also once at the end */
};

/* ---- observing a run step by step (`ipcsim trace`) ------------------------
 *
 * When script_options.on_step is set, it is called once after every executed
 * statement (a step: calls, `$` commands, directives), after the events the
 * step caused have been drained.  Everything it is given points into the
 * interpreter and is valid only during the call: copy what you keep.
 */
struct scenario_names;
struct render_vars;

enum script_event_kind {
	SCRIPT_EV_BLOCKED, /* the step's own call sleeps */
	SCRIPT_EV_RESUMED, /* a blocked call returned (woken): ret/err, msg */
	SCRIPT_EV_EXITED,  /* status */
	SCRIPT_EV_KILLED,  /* sig */
};

struct script_event {
	enum script_event_kind kind;
	const char *proc;    /* scenario name of the process */
	int pid;
	const char *call;    /* BLOCKED, RESUMED: "msgrcv"...; else NULL */
	long ret;            /* RESUMED: >= 0, or -1 with err */
	int err;
	int has_msg;         /* RESUMED msgrcv success: mtype, mtext, mlen */
	long mtype;
	const unsigned char *mtext;
	size_t mlen;
	int status, sig;     /* EXITED, KILLED */
	const char *text;    /* the line as printed: "P2: <... msgrcv resumed> = 2 {...}" */
};

struct script_step_info {
	int step;               /* 1, 2, ... in execution order */
	int line;               /* 1-based source line */
	const char *text;       /* that line, verbatim */
	const char *kind;       /* "call" "set" "shell" "limit" "file" "user" "group"
	                           "process" "show" */
	const char *proc;       /* the process of a call/set/process step, else NULL */
	int pid;                /* its pid, else 0 */
	/* kind "call": */
	const char *call;       /* "msgsnd", ... */
	const char *bind;       /* `var =` or NULL */
	int nargs;
	const char *const *args;   /* each argument as scenario text, variables and
	                              fields replaced by their values (`&m`, `_`,
	                              NULL, constants and process names kept) */
	int has_result;         /* 0 for exit and assert */
	int blocked;            /* the call sleeps (see events) */
	long ret;               /* >= 0, or -1 with err */
	int err;
	const char *result;     /* as printed: "= 0", "= -1 EAGAIN (...)", "<unfinished ...>" */
	int has_msg;            /* msgrcv success: the message received */
	long mtype;
	const unsigned char *mtext;
	size_t mlen;
	int expect;             /* -1 the written expectation failed, 1 held, 0 none */
	/* kind "shell": what the command printed (NULL otherwise) */
	const char *output;
	int nevents;
	const struct script_event *events; /* in the order they were printed */
	struct backend *backend;           /* the backend the run drives */
	const struct scenario_names *names;  /* user, group and process names */
	const struct render_vars *vars;      /* each process's variables (ipcsim/render.h) */
	/* script_options.explain: the kernel's reason for the step's result
	 * (docs/reason-codes.md), or NULL when it gave none */
	const char *why_code;   /* "EAGAIN.qbytes" */
	const char *why;        /* "16,380 + 8 bytes > msg_qbytes 16,384" */
};

struct script_options {
	FILE *out;               /* steps, results, diagrams, summary; NULL: stdout */
	FILE *err;               /* runtime errors; NULL: stderr */
	int color;               /* ANSI colours in out */
	enum script_show show;
	struct backend *backend; /* NULL: a fresh simulated kernel per run */
	int quiet_summary;       /* 1: do not print the final `N passed, N failed` line */
	/* 1: nobody reads out (a trace's sink): the step lines and `# why`
	 * lines are not formatted; results, reasons, expectation checks,
	 * failures and on_step are as without it */
	int quiet_steps;
	/* NULL, or called after every step (see struct script_step_info). */
	void (*on_step)(void *ctx, const struct script_step_info *info);
	void *step_ctx;
	/* 1: ask the backend to explain, print each step's reason from the
	 * kernel as a `# why (CODE): ...` line after it, and hand it to
	 * on_step (why_code, why) */
	int explain;
	/* Who runs next among programs (docs/scenario-language.md, Schedules):
	 * "rr:N", "random:SEED" or "P1,P2,P1..."; NULL: rr:1. */
	const char *schedule;
};

/* 0 when spec is a schedule script_options.schedule takes, else -1 and why
 * in err. */
int script_schedule_check(const char *spec, char *err, size_t errlen);
/* The schedule of every later run of s whose options name none (run,
 * trace, step, check): 0, or -1 and why in err (spec is checked). */
int script_set_schedule(struct script *s, const char *spec, char *err, size_t errlen);

struct script_stats {
	int passed, failed; /* expectations */
	int steps;          /* statements executed */
	/* A runtime error that stopped the run: its line and column (1-based)
	 * and message (as after "FILE:LINE:COL: error: "); error_line 0: none. */
	int error_line, error_col;
	char error[512];
};

/*
 * Runs s from a fresh state.  Prints every step as a valid scenario line,
 * failed expectations as they happen, and `N passed, N failed` at the end.
 * Returns SCRIPT_EXIT_*; *stats may be NULL.
 */
int script_run(const struct script *s, const struct script_options *o, struct script_stats *stats);

/*
 * Runs s quietly and writes it to out with every result filled in: holes
 * (`= ?`) and missing results get the actual ones, resumed/exited lines are
 * added or fixed, `$` commands get their `>` lines; comments and layout are
 * kept.  Returns SCRIPT_EXIT_OK (even when expectations of s failed: the
 * record holds the actual results), or SCRIPT_EXIT_ERROR after a runtime
 * error (reported on err; nothing is written to out then).
 */
int script_record(const struct script *s, FILE *out, FILE *err);

/*
 * Runs the scenario read from f as script_parse() then script_run() would,
 * with the same output, diagnostics and exit status, in memory that does
 * not grow with the number of lines.  f is read once, checked and run a few
 * lines at a time; what the run writes to o->out and o->err is held back
 * (past 1 MiB in an unlinked temporary file in $TMPDIR) until the last line
 * has checked, and dropped for the diagnostic when one is malformed.  With
 * o->backend or o->on_step, which see each step as it runs, every line is
 * checked first instead and f is rewound to run.  f must be seekable for
 * that, for a file with programs (read whole) and for one whose `group`
 * line follows a step (run again, checked first); a plain scenario may
 * come from a pipe.  file_name is used in messages; limits may be NULL
 * (none).  Malformed or unreadable: the diagnostic on o->err (stderr when
 * NULL) and SCRIPT_EXIT_ERROR.
 */
int script_run_stream(FILE *f, const char *file_name, const struct script_limits *limits,
                      const struct script_options *o, struct script_stats *stats);
/* As script_run_stream, with the memory for what waits for the end of the
 * check set to keep_bytes: the output held back (at most 1 MiB; beyond it,
 * the temporary file), or when checked first, the lines the check parsed
 * (4 MiB by default: a scenario that fits is parsed once; beyond it, read
 * and parsed again).  0 keeps nothing in memory.  Tests run each way. */
int script_run_stream_keep(FILE *f, const char *file_name, const struct script_limits *limits,
                           const struct script_options *o, struct script_stats *stats,
                           size_t keep_bytes);

/* ---- a line's written result as a tree (answer.c; the grader) -------------
 *
 * The grader compares what a student wrote after a call with the answer key
 * without running the student's file: script_answer_parse() finds where a
 * step line's result starts (after the call's `)` or `resumed>`, never at
 * an `=` inside a string) and reads it as a tree, holes (`?`) included, so
 * `= ? {?, ?}`, `= 0 {msg_qnum=?}` and `= -1 ?` are all readable, and so is
 * an explain question's `= -1 EACCES why ?` (answered `why EACCES.mode`).  Nothing
 * is looked up: names stay words, errno names are not checked.
 */
enum script_anode_kind {
	SCRIPT_A_INT,  /* ival (the sign applied) */
	SCRIPT_A_STR,  /* bytes/len: the decoded string */
	SCRIPT_A_WORD, /* bytes: a name (a constant, NULL, a variable) */
	SCRIPT_A_HOLE, /* ? */
	SCRIPT_A_LIST, /* {items} or [items] (open says which) */
};

struct script_anode {
	enum script_anode_kind kind;
	char *field;      /* `name=` before an item of a list ("msg_perm.mode"); else NULL */
	long long ival;
	char *bytes;      /* STR, WORD: NUL-terminated (a STR may hold more NULs: len) */
	size_t len;
	char *text;       /* as written: "0600", "\"fifth\"", "{100, \"x\"}" */
	int col;          /* 1-based column in the line */
	char open;        /* LIST: '{' or '[' */
	struct script_anode **items;
	int nitems;
};

enum script_answer_kind {
	SCRIPT_ANS_NONE,       /* the line has no result written (or is no step) */
	SCRIPT_ANS_RESULT,     /* = ret [ERRNO [(text)]] [payload] */
	SCRIPT_ANS_UNFINISHED, /* <unfinished ...> */
	SCRIPT_ANS_SIGNAL,     /* --- SIGSEGV --- (signal) */
};

struct script_answer {
	enum script_answer_kind kind;
	size_t start, end;       /* the result's span in the line; start = end = where
	                            a result would go when there is none */
	int step;                /* the line is a step (a call or a resumed line) */
	struct script_anode *ret;     /* RESULT: INT, STR, WORD or HOLE */
	struct script_anode *err;     /* RESULT: WORD (an errno name) or HOLE; or NULL */
	struct script_anode *payload; /* RESULT: LIST or HOLE; or NULL */
	struct script_anode *why;     /* `why CODE` or `why ?` after the result (an
	                                 explain question: a reason code of
	                                 docs/reason-codes.md): WORD or HOLE; or NULL */
	char *signal;                 /* SIGNAL: "SIGSEGV" */
	char *head;                   /* ret and errno as written: "-1 EAGAIN" */
	char *text;                   /* the whole result without "= " */
};

/*
 * Reads line's result into *a (zeroed first).  Returns 0, or the 1-based
 * column of the first error with a message in msg (*a then holds nothing to
 * release).  Release with script_answer_release(), which may be called on a
 * zeroed or released answer.
 */
int script_answer_parse(const char *line, struct script_answer *a, char *msg, size_t msgsize);
void script_answer_release(struct script_answer *a);

#pragma GCC visibility pop

#endif
