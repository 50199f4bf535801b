/*
 * shell_int.h - private interface of the simulated shell commands.
 *
 * shell_run (shell.c) splits a command line into words and hands
 * them to one of the command mains below.  Each main behaves like the real
 * program's main(): it writes what the program would write to its terminal
 * (stdout and stderr interleaved in program order) to sh->out and returns the
 * exit status.  Where the real program calls exit() from deep inside (err(),
 * errx(), usage()), the helpers here return SHELL_EXIT(status) and the callers
 * pass it straight up: see shell_exit_status().
 *
 * Versions imitated: util-linux 2.38.1 (ipcs, ipcrm), procps-ng 4.0.2
 * (sysctl), GNU coreutils cat, Linux 6.x /proc.  The tests hold captures of
 * the real tools (tests/unit/test_render_*.c) and compare with them live
 * (tests/host/test_shell_host*.c).
 */
#ifndef IPCSIM_SHELL_SHELL_INT_H
#define IPCSIM_SHELL_SHELL_INT_H

#include <stdint.h>
#include <stdio.h>

#include "ipcsim/kernel.h"
#include "ipcsim/shell.h"

/* One command being run: who runs it and where its output goes. */
struct shell_ctx {
	struct sim_kernel *k;
	const struct scenario_names *names; /* may be NULL */
	unsigned uid, gid, caps;
	FILE *out;
};

/* "The program called exit(status)": values below SHELL_EXITED. */
#define SHELL_EXITED (-1000)
#define SHELL_EXIT(status) (SHELL_EXITED - (status))
static inline int shell_is_exit(int rc) { return rc <= SHELL_EXITED; }
static inline int shell_exit_status(int rc) { return SHELL_EXITED - rc; }

/* ---- commands (one file each) ------------------------------------------- */
int shell_ipcs_main(struct shell_ctx *sh, int argc, char **argv);
int shell_ipcrm_main(struct shell_ctx *sh, int argc, char **argv);
int shell_sysctl_main(struct shell_ctx *sh, int argc, char **argv);
int shell_cat_main(struct shell_ctx *sh, int argc, char **argv);

/* ---- GNU getopt_long, without globals (shell_getopt.c) ------------------- */
enum shell_optarg { SHELL_NO_ARG, SHELL_REQ_ARG, SHELL_OPT_ARG };

struct shell_longopt {
	const char *name;
	enum shell_optarg has_arg;
	int val;
};

/*
 * State of one parse.  Like glibc (no POSIXLY_CORRECT), options and operands
 * may be mixed: operands are moved behind the options, so that after the
 * last option argv[optind..argc) are the operands in their original order.
 */
struct shell_getopt {
	int argc;
	char **argv;
	const char *prog;      /* for error messages: "ipcs" */
	const char *shortopts; /* getopt syntax: "i:qa::" */
	const struct shell_longopt *longopts; /* { NULL } terminated, or NULL */
	int optind;
	const char *optarg;
	int optopt;
	/* private */
	const char *nextchar;
	int first_nonopt, last_nonopt;
	FILE *err;
};

void shell_getopt_init(struct shell_getopt *g, int argc, char **argv, const char *prog,
                       const char *shortopts, const struct shell_longopt *longopts,
                       FILE *err);
/*
 * Next option: its value, -1 at the end, '?' after printing glibc's message
 * for an unknown option, a missing or an unwanted argument.
 */
int shell_getopt_next(struct shell_getopt *g);

/* ---- shared formatting (shell_fmt.c) ------------------------------------- */

/* ctime() of a simulated time in UTC, without the newline: 24 characters. */
void shell_ctime(long t, char buf[32]);
/* util-linux size_to_human_string(SIZE_SUFFIX_1LETTER, bytes). */
void shell_human_size(uint64_t bytes, char buf[32]);
/* The name for uid/gid, or NULL when there is none (print the number). */
const char *shell_user_name(const struct shell_ctx *sh, unsigned uid);
const char *shell_group_name(const struct shell_ctx *sh, unsigned gid);
/* "Try 'PROG --help' for more information." and SHELL_EXIT(1). */
int shell_try_help(struct shell_ctx *sh, const char *prog);
/* util-linux strtos32_or_err(str, errmesg): 0 and *v, or the error printed
 * ("PROG: ERRMESG: 'STR'[: Numerical result out of range]") and SHELL_EXIT(1). */
int shell_strtos32(struct shell_ctx *sh, const char *prog, const char *str,
                   const char *errmesg, int32_t *v);

/* A growing string; oom is set (and further text dropped) when out of memory. */
struct shell_text {
	char *buf;
	size_t len, cap;
	int oom;
};
void shell_text_printf(struct shell_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- /proc (procfs.c) ------------------------------------------------------ */

/*
 * Contents of a simulated /proc file as `cat` sees them, in a malloc'd
 * string.  Returns 0, -ENOENT, -EISDIR, or -ENOMEM.
 */
int shell_procfs_read(struct shell_ctx *sh, const char *path, char **text);

/* /proc/sysvipc/NAME (msg, shm, sem) into t; -ENOENT for another name
 * (procfs_shm_sem.c). */
int shell_procfs_sysvipc(struct shell_ctx *sh, const char *name, struct shell_text *t);
/* /proc/PID/maps: the SysV attachments of process pid, as Linux prints
 * them; -ENOENT for no such (live) process (procfs_shm_sem.c). */
int shell_procfs_maps(struct shell_ctx *sh, int pid, struct shell_text *t);

/* The /proc/sys/kernel files that exist (IPC limits only), in ls order. */
extern const char *const shell_procsys_names[];
/* 1 when /proc/sys/kernel/NAME exists in the simulation. */
int shell_procsys_exists(const char *name);
/*
 * Writes VALUE to /proc/sys/kernel/NAME as the kernel's proc handler parses
 * it (proc_dointvec_minmax and friends).  The caller checks permissions.
 * Returns 0, -ENOENT, -EINVAL or -ERANGE (what write(2) would report).
 */
int shell_procsys_write(struct shell_ctx *sh, const char *name, const char *value);

#endif
