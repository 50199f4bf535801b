/*
 * cli.h - the `ipcsim` subcommands; main.c dispatches to one small file per
 * subcommand.  Each takes argv from its own name on and returns the exit
 * status.
 */
#ifndef IPCSIM_CLI_H
#define IPCSIM_CLI_H

#include <stdio.h>

int cli_run(int argc, char **argv);
int cli_record(int argc, char **argv);
int cli_step(int argc, char **argv);
int cli_repl(int argc, char **argv);
int cli_trace(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_quiz(int argc, char **argv);
int cli_grade(int argc, char **argv);
int cli_explore(int argc, char **argv);
int cli_exec(int argc, char **argv);

/* ---- limits.c: --max-steps, --max-procs, --max-time, --max-output,
 * --max-memory ------------------------------------------------------------ */
#include "ipcsim/script.h"

struct cli_limits {
	/* steps, processes, seconds: per scenario; max_output: bytes of any
	 * one output, and of a streamed run's output held back */
	struct script_limits script;
	long long max_memory;        /* RLIMIT_AS of the process */
};
extern const char cli_limits_usage[];
void cli_limits_default(struct cli_limits *l);
/* argv[*i] is a --max-* option (its value in it after '=' or in the next
 * word, then *i moves on): 1; not one: 0; a bad value: -1 after a message. */
int cli_limits_option(struct cli_limits *l, int argc, char **argv, int *i, const char *cmd);
/* The process-wide limits: output and memory. */
void cli_limits_apply(const struct cli_limits *l, const char *cmd);

/* ---- schedule.c: --schedule ------------------------------------------- */
extern const char cli_schedule_usage[];
/* argv[*i] is --schedule (its value after '=' or in the next word): 1 and
 * *spec; not it: 0; a bad value: -1 after a message. */
int cli_schedule_option(int argc, char **argv, int *i, const char **spec, const char *cmd);
/* script_set_schedule(s, spec) when spec is set: 0, or -1 after a message. */
struct script;
int cli_apply_schedule(struct script *s, const char *spec, const char *cmd);

/* ---- output.c: every write checked ------------------------------------- */
struct out_sink;
struct cli_output {
	FILE *f;          /* write here */
	const char *path; /* the final name; NULL or "-": standard output */
	char *tmp;        /* the temporary name, renamed to path at the end */
	struct out_sink *sink;
	int keep;         /* keep the file even when the status is 2 */
};
/* Bytes any one output may take (0: no limit); past them the process stops
 * with status 2, saying so as `ipcsim CMD`. */
void cli_output_limit(long long max_output, const char *cmd);
/* Opens path for writing (NULL or "-": stdout); 0, or -1 after a message
 * "ipcsim CMD: PATH: reason" on stderr. */
int cli_output_open(struct cli_output *o, const char *path, const char *cmd);
/* Bytes written to o so far (after flushing it); 0 for standard output. */
long long cli_output_written(struct cli_output *o);
/* Closes o; renames the temporary file to its final name when rc is not 2
 * (or o->keep is set) and every write succeeded, else removes it.  Returns rc, or 2 after a
 * message when a write, the close or the rename failed. */
int cli_output_finish(struct cli_output *o, int rc, const char *cmd);
/* Routes stdout (when not a terminal) through a sink that keeps the first
 * write error's errno; call first thing in main. */
void cli_watch_stdout(void);
/* Flushes and closes stdout at exit: rc, 2 after a message on a write
 * error, or death by SIGPIPE when the reader went away. */
int cli_close_stdout(int rc, const char *cmd);

/* ---- input.c: the scenario, from a file or `-` (standard input) --------- */
struct script;
/* `-`: standard input. */
int cli_is_stdin(const char *path);
/* The name diagnostics give it: path, or <stdin>. */
const char *cli_input_name(const char *path);
/* script_load(), or standard input parsed as <stdin> for `-`. */
struct script *cli_load_script(const char *path, FILE *err);
/* path opened for script_run_stream (it reads the file twice): a regular
 * file as it is; standard input (`-`) or a pipe copied to an unlinked
 * temporary file first, at most max_spool bytes (0: no limit).  NULL after
 * a message on err. */
FILE *cli_open_input(const char *path, long long max_spool, FILE *err);
/* The whole text of path (`-`: standard input), malloc'd; NULL with errno. */
char *cli_read_input(const char *path, size_t *len);

/* ---- cmd_exec.c: exec's options, shared with `grade --exec` ------------- */
#include "ipcsim/exec.h"

struct cli_exec_args {
	struct ipcsim_exec_options o;
	const char **limits; /* o.limits */
	size_t nlimits;
	const char *report;  /* --report FILE, or NULL */
	char *preload;       /* o.preload */
};
/* exec's options from argv[1] on: the index of the command's first word;
 * 0 after printing --help; -1 after a message (bad option, no command, no
 * preload library).  Free a with cli_exec_args_free in every case. */
int cli_exec_parse(int argc, char **argv, struct cli_exec_args *a);
void cli_exec_args_free(struct cli_exec_args *a);

/* ---- cmd_grade.c, grade_exec.c: write exercises ----------------------------- */
struct grade_checks;
struct grade_result;
/* The steps in the file path graded by the checks c in a child process, the
 * result named name; an error result when the child dies; NULL: no memory. */
struct grade_result *cli_grade_write(const struct grade_checks *c, const char *name,
                                     const char *path, const struct cli_limits *lim);
/* argv (a command) run under exec with a's options, its record graded by c
 * (grade --exec); a --timeout stop is an error result, not a score. */
struct grade_result *cli_grade_exec(const struct grade_checks *c, struct cli_exec_args *a,
                                    char **argv, const struct cli_limits *lim);

/* ---- cmd_quiz.c: exercises, shared with cmd_grade.c ---------------------- */
struct grade_exercise;
/* "dir/name.scn" -> "name", malloc'd. */
char *cli_template_name(const char *path);
/* The exercise of the template at path for seed; NULL after its diagnostics on err. */
struct grade_exercise *cli_load_exercise(const char *path, const char *seed,
                                         const struct cli_limits *lim, FILE *err);

#endif
