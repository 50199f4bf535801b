/*
 * host_int.h - internals of the host backend, shared by its files.
 *
 * Three kinds of process, one job each:
 *
 *   caller (host_backend.c)   the ipcsim process; stays in the machine's
 *        |                    IPC namespace and runs nothing there.
 *        | socketpair         requests: struct host_req + blob
 *        v                    replies:  struct host_rep + blob, then nevents
 *   coordinator               struct host_wire_event + blob frames
 *   (host_coord*.c)           forked; unshare(CLONE_NEWIPC) (+ NEWNS with a
 *        |                    private tmpfs on /tmp for ftok's files); owns
 *        | socketpair each    the pid table, key map, blocking detection
 *        v
 *   children (host_child.c)   one per scenario process, with its uid/gid/
 *                             caps; run one real syscall per request.
 *
 * Every process below the caller has PR_SET_PDEATHSIG(SIGKILL): when the
 * caller dies the coordinator dies, and then every child, so the namespace
 * (which only they hold) disappears.  The coordinator also ends everything
 * on EOF from the caller.  A scenario fork() is a real clone(CLONE_PARENT)
 * of the child, so the coordinator is the parent of every child and can
 * waitpid() them all.
 *
 * Frames (host_wire.c): u32 header length, u32 blob length, header, blob,
 * on SOCK_STREAM sockets; a frame may carry one fd (SCM_RIGHTS), used to
 * hand a forked child its own channel.
 */
#ifndef IPCSIM_HOST_INT_H
#define IPCSIM_HOST_INT_H

#include <stddef.h>
#include <sys/types.h>

#include "ipcsim/backend.h"

enum host_op {
	HOST_OP_PROC_NEW = 1,
	HOST_OP_LIMIT_SET,
	HOST_OP_FILE_ADD,
	HOST_OP_FTOK,
	HOST_OP_MSGGET,
	HOST_OP_MSGSND,
	HOST_OP_MSGRCV,
	HOST_OP_MSGCTL,
	HOST_OP_MSG_CURRENT,
	HOST_OP_FORK,
	HOST_OP_EXIT,
	HOST_OP_KILL,
	HOST_OP_SIGNAL,
	HOST_OP_SLEEP,
	HOST_OP_GETPID,
	HOST_OP_SHELL,
	HOST_OP_HELLO, /* coordinator -> caller once: namespace made (rc 0) or not */
	HOST_OP_READY, /* child -> coordinator once: credentials set (rc 0) or not */
};

/* A request.  Which fields count depends on op; the blob carries the text
 * (msgsnd), the path (file_add, ftok), the name (limit_set) or the command
 * line (shell). */
struct host_req {
	int op;
	int pid;               /* scenario pid (caller -> coordinator) */
	long long num;         /* key, id, status, target, seconds, limit value */
	long long num2;        /* msgrcv type; ftok proj; kill sig; signal sig */
	long long size;        /* msgsnd/msgrcv size */
	int flags;             /* msgget/msgsnd/msgrcv flags; signal disposition */
	int cmd;               /* msgctl cmd */
	int buf;               /* enum backend_buf */
	int has_msg;           /* msgsnd: m != NULL */
	long mtype;            /* msgsnd */
	int has_ds;            /* msgctl: ds given */
	struct backend_msqid_ds ds;
	struct backend_creds creds; /* proc_new, shell */
	unsigned long inode;   /* file_add */
	unsigned dev_major, dev_minor;
};

/* A result as the wire carries it: backend_result without the pointer
 * (the text is the frame's blob). */
struct host_wire_result {
	long ret;
	int err;
	int blocked;
	int has_msg;
	long mtype;
	int has_ds;
	struct backend_msqid_ds ds;
	int has_info;
	struct backend_msginfo info;
};

struct host_rep {
	int rc;       /* the op's int return: 0, -1, BACKEND_OP_SKIPPED, -errno, exit status */
	struct host_wire_result r;
	int nevents;  /* event frames that follow (coordinator -> caller) */
	char why[160]; /* rc == -1: what went wrong */
};

struct host_wire_event {
	int kind; /* enum backend_event_kind */
	int pid;
	int sig;
	char call[16];
	struct host_wire_result r; /* blob: r's text */
};

/* ---- host_wire.c: frames ------------------------------------------------- */

/* Sends one frame (fd_pass >= 0: with that fd).  0, or -errno. */
int host_wire_send(int sock, const void *hdr, size_t hlen, const void *blob, size_t blen,
                   int fd_pass);
/*
 * Receives one frame whose header is exactly hlen bytes.  *blob gets a
 * malloc'd copy of the blob (NUL-terminated, *blen bytes before the NUL);
 * *fd_got (when not NULL) a passed fd or -1.  0, -EPIPE on EOF, -EPROTO on
 * a malformed frame, or -errno.  EINTR is retried.
 */
int host_wire_recv(int sock, void *hdr, size_t hlen, unsigned char **blob, size_t *blen,
                   int *fd_got);

/* backend_result <-> wire: to_wire never takes ownership; from_wire takes
 * the blob (sets *blob NULL). */
void host_wire_from_result(struct host_wire_result *w, const struct backend_result *r);
void host_wire_to_result(struct backend_result *r, const struct host_wire_result *w,
                         unsigned char **blob, size_t blen);

/* Closes every fd above 2 except keep (-1: none). */
void host_close_fds_except(int keep);

/* ---- host_procfs.c: what a real process is doing ------------------------- */

/* State letter from /proc/PID/stat ('R', 'S', 'Z', ...), or 0 when gone. */
char host_procfs_state(pid_t pid);
/* The syscall it is in from /proc/PID/syscall: its number, -1 when running
 * in user space, -2 when unknown (file unreadable). */
long host_procfs_syscall(pid_t pid);
/* 1 when pid sleeps interruptibly inside msgsnd or msgrcv. */
int host_procfs_sleeps_in_msg(pid_t pid);

/* ---- host_child.c: a scenario process ------------------------------------ */

/*
 * Becomes a scenario process: death signal, credentials, then one request
 * at a time on sock until EOF or exit.  Never returns.  coord is the
 * coordinator's pid (for the death-signal race check).
 */
void host_child_main(int sock, pid_t coord, const struct backend_creds *c)
	__attribute__((noreturn));

/* msgctl as the calling process (also the coordinator's privileged
 * msg_current): fills w; returns the raw syscall's return. */
long host_child_msgctl(const struct host_req *q, struct host_wire_result *w);

/* SIM_CAP_* bits <-> Linux capability numbers. */
unsigned long long host_caps_linux_mask(unsigned sim_caps);
/* SIM_CAP_* bits the current process has in its permitted set. */
unsigned host_caps_permitted_sim(void);
/* Sets the effective and permitted sets to exactly want (Linux mask, raw
 * capset).  0, or -errno. */
int host_caps_set(unsigned long long want);

/* ---- host_coord.c: the coordinator (state in host_coord.h) ------------- */

struct host_coord_config {
	int grace_ms, settle_ms, step_timeout_ms, real_sleep, allow_userns;
};

/* Runs in the forked coordinator; sock is its end of the caller's
 * socketpair.  Never returns. */
void host_coord_main(int sock, pid_t caller, const struct host_coord_config *cfg)
	__attribute__((noreturn));

/* ---- host_shell.c: real ipcs/ipcrm/sysctl/cat ---------------------------- */

/*
 * Runs cmdline (split on blanks, '...' and "..." quoting) as c, inside the
 * coordinator's namespace, with TZ=UTC LC_ALL=C.  *out gets malloc'd
 * stdout+stderr.  Returns the exit status (127: not one of the four tools),
 * or -errno when it could not run.
 */
int host_shell_run(const struct backend_creds *c, const char *cmdline, char **out,
                   size_t *outlen, int timeout_ms);

/* ---- host_shell_map.c: real pids in the tools' output -> scenario pids --- */

typedef long (*host_pid_map_fn)(void *ctx, long rpid);
/* A malloc'd copy of out with the pid fields mapped (see the file's
 * comment); right_aligned: the pid columns are padded before the digits
 * (ipcs -p and /proc/sysvipc/msg both are).  NULL when out of memory. */
char *host_shell_map_pids(const char *out, size_t len, int right_aligned,
                          const host_pid_map_fn map, void *ctx, size_t *newlen);

/* ---- host_limits.c: /proc/sys/kernel ------------------------------------- */

/* 0, -ENOENT unknown, -BACKEND_NOT_ON_HOST simulator-only, or the write's -errno. */
int host_limit_set(const char *name, long long value);

#endif
