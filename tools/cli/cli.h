/*
 * cli.h - the `ipcsim` subcommands; main.c dispatches to one small file per
 * subcommand.  Each takes argv from its own name on and returns the exit
 * status.
 */
#ifndef IPCSIM_CLI_H
#define IPCSIM_CLI_H

int cli_run(int argc, char **argv);
int cli_record(int argc, char **argv);
int cli_step(int argc, char **argv);
int cli_repl(int argc, char **argv);
int cli_trace(int argc, char **argv);
int cli_check(int argc, char **argv);

#endif
