/*
 * ipcsim/shell.h - the simulated shell commands: `$ ipcs`, `$ ipcrm`,
 * `$ sysctl`, `$ cat` of /proc, run on the simulated kernel.
 *
 * They print exactly what util-linux 2.38.1, procps-ng 4.0.2 and Linux's
 * /proc print for the same state (docs/shell-commands.md); `ipcrm` and
 * `sysctl -w` change the state through the kernel API, as the shell process
 * (pid 0, credentials set by sim_shell_set_creds).  They act on the kernel,
 * so they sit just above it: the simulated backend runs them for its `shell`
 * op; the renderers never do.
 */
#ifndef IPCSIM_SHELL_H
#define IPCSIM_SHELL_H

#include <stdio.h>

#include "ipcsim/kernel.h"

/*
 * Runs one shell command line (without the leading "$ ") with the given
 * credentials; output and error messages go to out, as the real command
 * writes them to its terminal.  names may be NULL (numbers are printed).
 * Returns the command's exit status (127 for a command that is not one of
 * ipcs, ipcrm, sysctl, cat).
 */
int shell_run(struct sim_kernel *k, const struct scenario_names *names,
              unsigned uid, unsigned gid, unsigned caps, const char *cmdline, FILE *out);

/* Two lines of a command's output are the same up to trailing blanks (the
 * tools pad their last column): 1 or 0.  The rule by which a scenario's `>`
 * lines and `ipcsim check`'s real tools are held to this output. */
int shell_lines_equal(const char *a, const char *b);

#endif
