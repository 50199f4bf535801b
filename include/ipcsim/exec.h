/*
 * ipcsim/exec.h - `ipcsim exec`: a student's own program on the simulated
 * kernel.
 *
 * ipcsim_exec_run() starts a private server (a socket in a private
 * directory, gone when it returns), runs argv with libipcsim-preload.so
 * preloaded and a seccomp filter that stops any real System V IPC syscall,
 * serves every msg/shm/sem call of every process the command starts from a
 * fresh simulated kernel (shared memory as memfds mapped into the
 * processes), reports each call strace-style, and at the end the state and
 * what was left behind.  docs/exec.md describes it all.
 *
 * It forks the command and becomes the subreaper of what it starts (orphans
 * are reaped by it); at the end it reaps every child of the calling process,
 * so call it from a process of its own (as the ipcsim command does).
 *
 * Ownership: the caller owns the options and their strings.
 */
#ifndef IPCSIM_EXEC_H
#define IPCSIM_EXEC_H

#include <stdio.h>

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

enum ipcsim_exec_show { IPCSIM_EXEC_SHOW_END, IPCSIM_EXEC_SHOW_EACH, IPCSIM_EXEC_SHOW_NONE };

/* Why ipcsim_exec_run stopped the program before it ended by itself (the
 * grader scores a deadlock, but not a wall-clock stop). */
enum ipcsim_exec_stop {
	IPCSIM_EXEC_ENDED,         /* not stopped: the command ended by itself */
	IPCSIM_EXEC_DEADLOCK,      /* every process waited, none could wake another */
	IPCSIM_EXEC_TIMEOUT,       /* --timeout (wall-clock time) */
	IPCSIM_EXEC_PROCS,         /* --max-procs */
	IPCSIM_EXEC_SIGNALLED,     /* exec itself got SIGINT, SIGTERM or SIGHUP */
	IPCSIM_EXEC_FAILED,        /* the server or the simulator failed, or could not start */
};

struct ipcsim_exec_options {
	const char *preload;       /* path of libipcsim-preload.so */
	FILE *report;              /* the calls, the state, what was left (stderr) */
	int color;
	enum ipcsim_exec_show show;
	const char *trace_path;    /* --trace OUT.jsonl, or NULL */
	const char *html_path;     /* --html OUT.html, or NULL */
	const char *record_path;   /* --record OUT.scn, or NULL */
	const char *const *limits; /* "NAME=V" strings, NULL-terminated, or NULL */
	long timeout_ms;           /* whole run; 0: IPCSIM_EXEC_TIMEOUT_MS */
	long max_procs;            /* processes registered; 0: IPCSIM_EXEC_MAX_PROCS */
	unsigned long max_memory;  /* RLIMIT_AS of each process; 0: IPCSIM_EXEC_MAX_MEMORY */
	int deterministic;         /* calls served one process at a time, in a fixed order */
	enum ipcsim_exec_stop *stopped; /* if not NULL: set to why the run was stopped */
};

#define IPCSIM_EXEC_TIMEOUT_MS 60000L
#define IPCSIM_EXEC_MAX_PROCS 64L
#define IPCSIM_EXEC_MAX_MEMORY (1UL << 30)
/* How long every process must have been asleep in a simulated call (or in
 * wait for a child), with no request served, before it is called a
 * deadlock: long enough for a short alarm() to interrupt a call. */
#define IPCSIM_EXEC_DEADLOCK_MS 2000L

/* Exit statuses besides the program's own (0..255, 128+N for a signal). */
#define IPCSIM_EXEC_EXIT_ERROR 2 /* bad options, deadlock, timeout, a limit */

/*
 * Runs argv (argv[0] looked up in PATH) under the simulated kernel.
 * Returns the program's exit status (128+N when a signal ended it), or
 * IPCSIM_EXEC_EXIT_ERROR after a deadlock, the timeout, a limit, or a
 * failure to start, with the reason on the report.
 */
int ipcsim_exec_run(const struct ipcsim_exec_options *o, char *const argv[]);

#pragma GCC visibility pop

#endif
