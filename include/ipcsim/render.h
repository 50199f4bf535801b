/*
 * ipcsim/render.h - what the renderers offer the interpreter and the CLI.
 *
 * Renderers read the kernel only through the read-only views of
 * ipcsim/kernel.h; they never see its internals.  The shell commands
 * (`$ ipcs`, `$ ipcrm`, `$ sysctl`, `$ cat`) print exactly what util-linux,
 * procps and /proc print on Linux (../shared/FORMATS.md) for the simulated
 * state; `ipcrm` and `sysctl -w` change it through the kernel API, as the
 * shell process (pid 0, credentials set by sim_shell_set_creds).
 */
#ifndef IPCSIM_RENDER_H
#define IPCSIM_RENDER_H

#include <stdio.h>

#include "ipcsim/kernel.h"

/* Names the scenario gave to users, groups and processes.  Any callback may
 * be NULL or return NULL: then the number is printed, as util-linux does. */
struct render_names {
	const char *(*user_name)(void *ctx, unsigned uid);
	const char *(*group_name)(void *ctx, unsigned gid);
	const char *(*proc_name)(void *ctx, int pid);
	void *ctx;
};

/*
 * Runs one shell command line (without the leading "$ ") with the given
 * credentials; output and error messages go to out, as the real command
 * writes them to its terminal.  Returns the command's exit status (127 for a
 * command that is not one of ipcs, ipcrm, sysctl, cat).
 */
int render_shell_run(struct sim_kernel *k, const struct render_names *names,
                     unsigned uid, unsigned gid, unsigned caps,
                     const char *cmdline, FILE *out);

/* Draws the whole simulated state in at most 80 columns: the message table,
 * each queue's chain of records, the kernel data area, the processes.
 * color: use ANSI colours. */
void render_show(FILE *out, const struct sim_kernel *k, const struct render_names *names,
                 int color);

#endif
