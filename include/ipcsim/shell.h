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

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ipcsim/kernel.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

/*
 * Runs one shell command line (without the leading "$ ") with the given
 * credentials; output and error messages go to out, as the real command
 * writes them to its terminal.  names may be NULL (numbers are printed).
 * Returns the command's exit status (127 for a command that is not one of
 * ipcs, ipcrm, sysctl, cat).
 */
int shell_run(struct sim_kernel *k, const struct scenario_names *names,
              unsigned uid, unsigned gid, unsigned caps, const char *cmdline, FILE *out);

/* ---- the words of a `$` line, and which lines may run ------------------ */

/* v[0..n) are the words, each malloc'd; v[n] is NULL. */
struct shell_words {
	char **v;
	int n, cap;
};

/*
 * Splits line as the simulated shell does: blanks, sh quoting and escapes,
 * `#` comments; no variables, globbing, pipes, redirections or command
 * lists.  0, or -1 with *why saying what is not simulated (w is empty).
 */
int shell_split(const char *line, struct shell_words *w, const char **why);
void shell_words_free(struct shell_words *w);

/*
 * Whether line may run: ipcs and ipcrm with any arguments; sysctl on
 * kernel.msg*, kernel.shm*, kernel.sem* only, with -n -e -N -q -w -b; cat of
 * /proc/sysvipc/{msg,shm,sem}, /proc/sys/kernel/{msg,shm,sem}* and
 * /proc/PID/maps only; each optionally after `sudo`.  Everything else, on
 * the simulator and on the host alike, is refused: 0, or -1 with a message
 * naming what is allowed in why and *bad pointing at the offending word in
 * line (or NULL).
 */
int shell_validate(const char *line, char *why, size_t whylen, const char **bad);

/* Two lines of a command's output are the same up to trailing blanks (the
 * tools pad their last column): 1 or 0.  The rule by which a scenario's `>`
 * lines and `ipcsim check`'s real tools are held to this output. */
int shell_lines_equal(const char *a, const char *b);

/* ---- a line of /proc/PID/maps, read back ------------------------------- */

/* "7f0a54983000-7f0a54984000 rw-s 00000000 00:01 2     /SYSV00000201 (deleted)" */
struct shell_maps_line {
	unsigned long start, end;
	char perms[5];              /* "rw-s" */
	unsigned long offset;       /* bytes */
	unsigned dev_major, dev_minor;
	unsigned long inode;        /* a System V segment's: its shmid */
	size_t name_at;             /* the column the name starts at (the line's
	                               length when there is none) */
	int sysv;                   /* the name is /SYSV%08x: a System V segment */
	uint32_t key;               /* sysv: the key in the name */
};

/* 1 and *m when line has the form of a /proc/PID/maps line (as Linux's
 * show_map_vma and the simulated cat print it), else 0. */
int shell_maps_line_parse(const char *line, struct shell_maps_line *m);

#pragma GCC visibility pop

#endif
