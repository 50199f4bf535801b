/*
 * exec_int.h - what the exec server's files share.
 *
 *   exec_server.c  the run: private directory and socket, the command's
 *                  process, the event loop, deadlock and timeout, the end;
 *   exec_proc.c    processes: registration (hello, fork, execve), names,
 *                  credentials, their end (pidfd);
 *   exec_slot.c    each process's request slot: made at its hello, a
 *                  request taken out, a reply written in;
 *   exec_calls.c   one request: the call on the simulated backend, the
 *                  reply, what wakes up;
 *   exec_conv.c    glibc's structures to ipcsim's and back;
 *   exec_shm.c     segments as memfds, their bytes into the simulated kernel;
 *   exec_report.c  the strace lines, the recorded scenario, the end report;
 *   exec_seccomp.c the filter that stops real System V syscalls.
 *
 * The simulated kernel lives in the server, a process of its own: the
 * student's program reaches it only through requests.
 */
#ifndef IPCSIM_EXEC_INT_H
#define IPCSIM_EXEC_INT_H

#include <stddef.h>
#include <linux/filter.h>
#include <stdio.h>
#include <sys/types.h>

#include "ipcsim/backend.h"
#include "ipcsim/exec.h"
#include "ipcsim/types.h"
#include "preload/preload_wire.h"

struct exec_proc {
	pid_t real;          /* the process's pid */
	int sim;             /* its pid in the simulated kernel */
	char name[32];       /* its name in the report and the record */
	char tok[16];        /* what record lines hold for the name (EXEC_TOK_*) */
	int fd;              /* its connection, -1 none (not yet, or after execve) */
	int pidfd;           /* readable once it has ended; -1 when it has */
	int ended;
	int blocked;         /* asleep in a simulated call: req says which */
	struct wire_req req; /* the call in progress */
	/* its slot (exec_slot.c) */
	int slot_fd;
	struct wire_slot *slot;
	size_t slot_bytes;
	int in_call;         /* a request taken, its reply not yet written */
	int seen;            /* a request seen before the events were looked at */
	unsigned char *in;   /* the request's payload, copied out of the slot */
	size_t in_cap;
	int block_line;      /* the record line of the blocked call (for a signal) */
	long timed_ms;       /* a semtimedop sleeps: its real deadline (exec_now_ms), 0 none */
	long timed_sim;      /* and the simulated second by which it has passed */
	unsigned uid, gid, caps; /* as the simulated kernel knows them */
	/* the credentials its last request claimed: only a hint that they
	 * changed; the kernel's are read then (exec_proc_creds) */
	uint32_t hint_uid, hint_gid;
	uint64_t hint_caps;
	int forked_unclaimed;    /* fork told by one side, not yet by the other */
	/* --deterministic: a call waiting for its turn (exec_det.c) */
	long det_sleep_since;   /* ms since when it sleeps on something else, 0 */
	int has_pend;
	struct wire_req pend;
	unsigned char *pend_payload;
};

/* Record lines name a process by a token, replaced by its name when the
 * line is printed or written: a process renamed by execve is called by its
 * last name throughout the record (a scenario cannot rename a process). */
#define EXEC_TOK_START '\x01'
#define EXEC_TOK_END '\x02'
/* The line with every token replaced by its process's name; malloc'd. */
struct exec_server;
char *exec_expand(struct exec_server *s, const char *line);

struct exec_seg {
	int shmid;
	int fd;              /* the memfd */
	int rofd;            /* a read-only descriptor of it (SHM_RDONLY), -1 none yet */
	unsigned char *map;  /* the server's own mapping of it */
	size_t size;         /* whole pages */
	uint64_t ino, dev;   /* the memfd's identity: a process that holds it is sent none */
	int quiet;           /* compared with nothing attached since: cannot differ */
};

struct exec_server {
	const struct ipcsim_exec_options *o;
	struct backend *b;
	struct scenario_names names;
	FILE *report;
	char dir[64], sock_path[96];
	int listen_fd, sig_fd;
	int bell_fd;           /* the eventfd a process rings when the server sleeps */
	int epoll_fd;
	int npending;          /* connections that have not said hello yet */
	pid_t child;           /* the command */
	int child_status;      /* its wait status once it ended */
	int child_done;
	struct exec_proc *procs;
	size_t nprocs, cap_procs;
	struct exec_seg *segs;
	size_t nsegs;
	int signaller;         /* the simulated process that delivers EINTR, 0 none */
	int timer;             /* the one whose sleep moves the clock for timeouts, 0 none */
	/* The record: one scenario line each, in the order they happened. */
	char **lines;
	size_t nlines, cap_lines;
	int stop;              /* IPCSIM_EXEC_EXIT_ERROR: deadlock, timeout, limit */
	enum ipcsim_exec_stop stop_why;
	int last_served;       /* --deterministic: the simulated pid served last */
	long last_end_ms;      /* when a process's end was last taken in */
	FILE *text;            /* exec_text_begin's stream, into text_buf */
	char *text_buf;
	size_t text_len;
	int failed;            /* the backend failed: stop */
};

/* exec_proc.c */
struct exec_proc *exec_proc_by_real(struct exec_server *s, pid_t real);
struct exec_proc *exec_proc_by_fd(struct exec_server *s, int fd);
int exec_proc_hello(struct exec_server *s, int fd, const struct wire_req *q);
int exec_proc_forked(struct exec_server *s, struct exec_proc *parent, pid_t child);
void exec_proc_end(struct exec_server *s, struct exec_proc *p);
void exec_proc_creds(struct exec_server *s, struct exec_proc *p, const struct wire_req *q);
void exec_names_init(struct exec_server *s);
/* /proc/PID/NAME read into buf (NUL-terminated): its length, or -1. */
int exec_proc_file(pid_t pid, const char *name, char *buf, size_t n);
/* The syscall the process sleeps in (/proc/PID/syscall), -1 when it runs
 * or cannot be read.  x86_64's numbers of the ones that matter: */
int exec_proc_syscall(pid_t pid);
#define EXEC_NR_NANOSLEEP 35
#define EXEC_NR_WAIT4 61
#define EXEC_NR_CLOCK_NANOSLEEP 230
#define EXEC_NR_WAITID 247
/* CLOCK_MONOTONIC in ms. */
long exec_now_ms(void);

/* exec_slot.c */
/* Makes p's slot (a new one after execve) and answers its hello on conn
 * with the slot and the bell; 0 or -1. */
int exec_slot_hello(struct exec_server *s, struct exec_proc *p, int conn);
void exec_slot_free(struct exec_proc *p);
/* p's library wrote a request the server has not taken. */
int exec_slot_posted(const struct exec_proc *p);
/* p sleeps in a call and a signal handler ran meanwhile. */
int exec_slot_cancelled(const struct exec_proc *p);
/* Takes p's request: q and its payload (q->len bytes, in p's own buffer
 * until the next take) copied out of the slot.  1 taken, 0 none, -1 taken
 * but malformed (answer it with an error). */
int exec_slot_take(struct exec_proc *p, struct wire_req *q, const unsigned char **payload);
/* The call sleeps: the library stops spinning. */
void exec_slot_blocked(struct exec_proc *p);
/* Writes the reply, its payload a then b, and wakes the library; 0 or -1. */
int exec_slot_reply(struct exec_proc *p, const struct wire_rep *rep, const void *a, size_t alen,
                    const void *b, size_t blen);
/* Tells every library whether it must ring the bell after a request. */
void exec_slot_server_sleeps(struct exec_server *s, int sleeps);

/* exec_calls.c */
/* Serves one request of p (payload: q->len bytes); replies, or leaves p
 * blocked.  0, or -1 when the backend failed. */
int exec_call(struct exec_server *s, struct exec_proc *p, const struct wire_req *q,
              const unsigned char *payload);
/* Replies to every process whose blocked call returned during the last op. */
void exec_drain_events(struct exec_server *s);
/* Timeouts run in real time: the earliest real deadline of a semtimedop
 * that sleeps (exec_now_ms), 0 none; and the expiry of those that passed
 * (the simulated clock moves on, by a process `timer` sleeping, until
 * they fail with EAGAIN). */
#define EXEC_TIMED_MAX_S 1000000000LL
long exec_timed_next(const struct exec_server *s);
void exec_timed_expire(struct exec_server *s);
/* p's blocked call is interrupted by a signal handler: EINTR. */
void exec_interrupt(struct exec_server *s, struct exec_proc *p);
int exec_reply(struct exec_server *s, struct exec_proc *p, const struct backend_result *r,
               const void *payload, size_t len, int pass_fd);

/* exec_conv.c */
void exec_conv_msqid_out(void *glibc, const struct ipcsim_msqid_ds *ds);
void exec_conv_msqid_in(struct ipcsim_msqid_ds *ds, const void *glibc);
void exec_conv_msginfo_out(void *glibc, const struct ipcsim_msginfo *in);
void exec_conv_shmid_out(void *glibc, const struct ipcsim_shmid_ds *ds);
void exec_conv_shmid_in(struct ipcsim_shmid_ds *ds, const void *glibc);
void exec_conv_shminfo_out(void *glibc, const struct ipcsim_shminfo *in);
void exec_conv_shm_info_out(void *glibc, const struct ipcsim_shm_info *in);
void exec_conv_semid_out(void *glibc, const struct ipcsim_semid_ds *ds);
void exec_conv_semid_in(struct ipcsim_semid_ds *ds, const void *glibc);
void exec_conv_seminfo_out(void *glibc, const struct ipcsim_seminfo *in);

/* exec_shm.c */
/* The memfd of segment shmid (made on first use), or NULL. */
struct exec_seg *exec_seg_get(struct exec_server *s, int shmid);
/* seg's read-only descriptor, opened on first use; -1 on failure. */
int exec_seg_rdonly(struct exec_seg *seg);
/* Closes the memfds of segments that no longer exist. */
void exec_seg_collect(struct exec_server *s);
/* Copies what p wrote into the segments it has attached writable into the
 * simulated kernel (and the record, as memcpy lines). */
void exec_seg_sync(struct exec_server *s, struct exec_proc *p);
void exec_seg_free_all(struct exec_server *s);

/* exec_report.c */
/* Appends a record line (printf-style) and prints it on the report. */
void exec_line(struct exec_server *s, int print, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for a line already written (exec_text_end's): a copy kept. */
void exec_line_text(struct exec_server *s, int print, const char *text);
/* Inserts a line before record line `at`. */
void exec_line_insert(struct exec_server *s, size_t at, const char *text);
void exec_report_end(struct exec_server *s);
int exec_write_outputs(struct exec_server *s);
void exec_put_flags(FILE *w, long flags, int kind);
/* v as C's %#llx writes it ("0", "0x7f..."), without printf's cost. */
void exec_put_hex(FILE *w, unsigned long long v);
/* The server's text stream, emptied: write a line into it, then take it
 * with exec_text_end (valid until the next begin). */
FILE *exec_text_begin(struct exec_server *s);
const char *exec_text_end(struct exec_server *s);

/* exec_det.c: --deterministic.  Keeps p's call for its turn (payload is
 * taken over); 0, or -1 out of memory. */
int exec_det_hold(struct exec_server *s, struct exec_proc *p, const struct wire_req *q,
                  unsigned char *payload);
/* Serves the calls whose turn has come; 1 when some process is still
 * running or connecting, so look again soon; else 0. */
int exec_det_step(struct exec_server *s);
/* exec_server.c: a connection not yet heard, a request not yet taken or
 * an end not yet taken in. */
int exec_in_flight(struct exec_server *s);

/* exec_seccomp.c: installs the filter in the calling process; 0 or -1. */
int exec_seccomp_install(void);
/* The filter's program itself (static storage). */
struct sock_fprog exec_seccomp_filter(void);

#endif
