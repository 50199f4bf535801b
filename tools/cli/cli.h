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

/* ---- output.c: every write checked ------------------------------------- */
struct cli_output {
	FILE *f;          /* write here */
	const char *path; /* the final name; NULL or "-": standard output */
	char *tmp;        /* the temporary name, renamed to path at the end */
};
/* Opens path for writing (NULL or "-": stdout); 0, or -1 after a message
 * "ipcsim CMD: PATH: reason" on stderr. */
int cli_output_open(struct cli_output *o, const char *path, const char *cmd);
/* Closes o; renames the temporary file to its final name when rc is not 2
 * and every write succeeded, else removes it.  Returns rc, or 2 after a
 * message when a write, the close or the rename failed. */
int cli_output_finish(struct cli_output *o, int rc, const char *cmd);
/* Routes stdout (when not a terminal) through a sink that keeps the first
 * write error's errno; call first thing in main. */
void cli_watch_stdout(void);
/* Flushes and closes stdout at exit: rc, 2 after a message on a write
 * error, or death by SIGPIPE when the reader went away. */
int cli_close_stdout(int rc, const char *cmd);

#endif
