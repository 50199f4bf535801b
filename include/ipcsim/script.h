/*
 * ipcsim/script.h - the scenario layer: parse a `.scn` file, run it against a
 * backend, write it back with its results filled in.
 *
 * The language is specified in shared/SCENARIO.md; this layer implements all
 * of it: message queues, shared memory, semaphores, memory access.
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
 * Exit statuses (SCENARIO.md): 0 every expectation held, 1 some expectation
 * failed, 2 the scenario is malformed or a runtime error stopped it.
 */
#ifndef IPCSIM_SCRIPT_H
#define IPCSIM_SCRIPT_H

#include <stdio.h>
#include <stddef.h>

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

/* Number of parsed statements (steps, directives, shell commands). */
int script_count_statements(const struct script *s);

enum script_show {
	SCRIPT_SHOW_NONE, /* only where the scenario says `show` */
	SCRIPT_SHOW_EACH, /* also after every step */
	SCRIPT_SHOW_END,  /* also once at the end */
};

struct script_options {
	FILE *out;               /* steps, results, diagrams, summary; NULL: stdout */
	FILE *err;               /* runtime errors; NULL: stderr */
	int color;               /* ANSI colours in out */
	enum script_show show;
	struct backend *backend; /* NULL: a fresh simulated kernel per run */
	int quiet_summary;       /* 1: do not print the final `N passed, N failed` line */
};

struct script_stats {
	int passed, failed; /* expectations */
	int steps;          /* statements executed */
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

#endif
