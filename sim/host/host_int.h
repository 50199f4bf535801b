/*
 * host_int.h - internals of the host backend, shared by its files.
 *
 * Four kinds of process, one job each:
 *
 *   caller (host_backend.c)   the ipcsim process; stays in the machine's
 *        |                    namespaces and runs nothing there.
 *        | fork
 *   keeper (host_keeper.c)    makes the sandbox and cleans up after it
 *        | clone              (host_sandbox.h: namespaces, id maps, cgroups)
 *        v
 *   coordinator               pid 1 of the sandbox: its own user (where the
 *   (host_coord*.c)           machine allows), PID, IPC, UTS, network, mount
 *        |                    and cgroup namespaces, a read-only view of the
 *        | socketpair each    file system, cut capabilities, a seccomp
 *        v                    filter; owns the pid table, key map, blocking
 *   children (host_child.c)   detection.  Children: one per scenario
 *                             process, with its uid/gid/caps; run one real
 *                             syscall per request.
 *
 *   The caller and the coordinator talk over a socketpair: requests
 *   struct host_req + blob; replies struct host_rep + blob, then nevents
 *   struct host_wire_event + blob frames.
 *
 * Every process below the caller has PR_SET_PDEATHSIG: when the caller
 * dies the keeper kills the coordinator (and removes its cgroups), and the
 * death of the coordinator, pid 1 of its PID namespace, ends every process
 * in it, so the namespaces (which only they hold) disappear.  The
 * coordinator also ends everything on EOF from the caller.  A scenario
 * fork() is a real clone(CLONE_PARENT) of the child, so the coordinator is
 * the parent of every child and can waitpid() them all.
 *
 * Frames (host_wire.c): u32 header length, u32 blob length, header, blob,
 * on SOCK_STREAM sockets; a frame may carry one fd (SCM_RIGHTS), used to
 * hand a forked child its own channel.
 */
#ifndef IPCSIM_HOST_INT_H
#define IPCSIM_HOST_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipcsim/host.h"

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
	/* issue 3: shared memory, semaphores, memory access */
	HOST_OP_SHMGET,
	HOST_OP_SHMAT,
	HOST_OP_SHMDT,
	HOST_OP_SHMCTL,
	HOST_OP_SHM_CURRENT,
	HOST_OP_SEMGET,
	HOST_OP_SEMOP,      /* has_timeout: semtimedop */
	HOST_OP_SEMCTL,
	HOST_OP_SEM_CURRENT,
	HOST_OP_MEM_STORE,
	HOST_OP_MEM_LOAD,
	HOST_OP_MEM_WRITE,
	HOST_OP_MEM_READ,
	HOST_OP_TEST_EXEC, /* backend_host_test_exec: argv, NUL-separated, unchecked */
};

/* A request.  Which fields count depends on op; the blob carries the text
 * (msgsnd), the path (file_add, ftok), the name (limit_set), the command
 * line (shell), the sembufs (semop), SETALL's values (semctl) or the bytes
 * (mem_write). */
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
	struct ipcsim_msqid_ds ds;
	struct backend_creds creds; /* proc_new, shell */
	unsigned long inode;   /* file_add */
	unsigned dev_major, dev_minor;
	/* issue 3 */
	unsigned long addr;    /* shmat, shmdt, mem_*: an address of the child's own */
	int semnum;            /* semctl */
	int semop_timed;       /* semop: 1 for semtimedop */
	int has_timeout;       /* semtimedop: ts given (else NULL) */
	long long ts_sec, ts_nsec; /* the timeout the kernel gets (already scaled) */
	int val;               /* semctl SETVAL */
	int has_sops;          /* semop: 1 with sops (the blob; nsops in size), 0 for NULL */
	struct ipcsim_shmid_ds shm_ds; /* shmctl IPC_SET (has_ds) */
	struct ipcsim_semid_ds sem_ds; /* semctl IPC_SET (has_ds) */
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
	struct ipcsim_msqid_ds ds;
	int has_info;
	struct ipcsim_msginfo info;
	/* issue 3; the blob is GETALL's values or mem_read's bytes */
	int killed;
	int has_shm_ds;
	struct ipcsim_shmid_ds shm_ds;
	int has_shminfo;
	struct ipcsim_shminfo shminfo;
	int has_shm_info;
	struct ipcsim_shm_info shm_info;
	int has_sem_ds;
	struct ipcsim_semid_ds sem_ds;
	int has_seminfo;
	struct ipcsim_seminfo seminfo;
	int has_semvals;
	int has_bytes;
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

/* ---- host_backend.c: the caller's side ------------------------------------ */

void host_req_init(struct host_req *q, int op, int pid);
/*
 * One request and its reply; then the step's events are queued.  Returns
 * the op's int return (rep.rc), or -1 when the coordinator is lost.  *r
 * (when not NULL) gets the result; *out (when not NULL) the reply's blob.
 */
int host_backend_rpc(void *ctx, const struct host_req *q, const void *blob, size_t blen,
                     struct backend_result *r, unsigned char **out, size_t *outlen);

/* host_backend_shm_sem.c: the shm, sem and memory ops of backend.h */
int hb_shmget(void *ctx, int pid, long key, size_t size, int flags, struct backend_result *r);
int hb_shmat(void *ctx, int pid, int id, unsigned long addr, int flags,
             struct backend_result *r);
int hb_shmdt(void *ctx, int pid, unsigned long addr, struct backend_result *r);
int hb_shmctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
              const struct ipcsim_shmid_ds *ds, struct backend_result *r);
int hb_shm_current(void *ctx, int id, struct ipcsim_shmid_ds *ds);
int hb_semget(void *ctx, int pid, long key, int nsems, int flags, struct backend_result *r);
int hb_semop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
             struct backend_result *r);
int hb_semtimedop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
                  const long *timeout, struct backend_result *r);
int hb_semctl(void *ctx, int pid, int id, int semnum, int cmd,
              const struct backend_semctl_arg *arg, struct backend_result *r);
int hb_sem_current(void *ctx, int id, struct ipcsim_semid_ds *ds);
int hb_mem_store(void *ctx, int pid, unsigned long addr, long value, struct backend_result *r);
int hb_mem_load(void *ctx, int pid, unsigned long addr, struct backend_result *r);
int hb_mem_write(void *ctx, int pid, unsigned long addr, const void *buf, size_t n,
                 struct backend_result *r);
int hb_mem_read(void *ctx, int pid, unsigned long addr, size_t n, struct backend_result *r);
/* The uids and gids of IPC_SET, for the shell's names (host_backend.c). */
void host_backend_id_seen(void *ctx, unsigned id);

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
/* 1 when pid sleeps interruptibly inside msgsnd, msgrcv, semop or
 * semtimedop (the calls that can block). */
int host_procfs_sleeps_in_ipc(pid_t pid);

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

/* ---- host_child_shm_sem.c: shm, sem and memory calls in the child -------------- */

/* Runs one shm/sem/mem request as the calling process; fills w and, for
 * GETALL and mem_read, *out (malloc'd).  A faulting memory access does not
 * return: the process dies of SIGSEGV, as the scenario's would. */
void host_child_shm_sem(const struct host_req *q, const unsigned char *blob, size_t blen,
                    struct host_wire_result *w, unsigned char **out, size_t *outlen);
/* shmctl / semctl IPC_STAT as the calling process (the coordinator's
 * privileged shm_current / sem_current): fills w; the raw syscall's return. */
long host_child_shm_stat(int id, struct host_wire_result *w);
long host_child_sem_stat(int id, struct host_wire_result *w);

/* SIM_CAP_* bits <-> Linux capability numbers (backend_host_caps: ipcsim/host.h). */
unsigned long long host_caps_linux_mask(unsigned sim_caps);
/* Its permitted set as a Linux mask (0 when unknown). */
unsigned long long host_caps_permitted_linux(void);
/* The SIM_CAP_* bits it has that count where the kernel checks them: in a
 * user namespace of its own, not CAP_SYS_RESOURCE nor CAP_SYS_RAWIO,
 * which IPC checks against the machine's namespace. */
unsigned host_caps_grantable_sim(void);
/* Sets the effective and permitted sets to exactly want (Linux mask, raw
 * capset).  0, or -errno. */
int host_caps_set(unsigned long long want);

/* ---- host_coord.c: the coordinator (state in host_coord.h) ------------- */

struct host_coord_config {
	int grace_ms, settle_ms, step_timeout_ms, real_sleep, allow_userns;
	int ms_per_second; /* real milliseconds per scenario second in timed waits */
	int no_userns;     /* 1: the sandbox without a user namespace (root only) */
	long wall_ms;      /* > 0: no wait goes past this long after the start */
};

/* Runs in the sandboxed coordinator (host_sandbox.c starts it); sock is its
 * end of the caller's socketpair, scratch_fd its private tmpfs
 * (host_sandbox.h), isolation the hello's text.  Never returns. */
void host_coord_main(int sock, const struct host_coord_config *cfg, int scratch_fd,
                     const char *isolation) __attribute__((noreturn));

/* ---- host_shell.c: real ipcs/ipcrm/sysctl/cat ---------------------------- */

/* The scenario's pids and keys as the host has them (host_shell_args.c). */
struct host_shell_maps {
	/* the real pid of the scenario's live process spid, or 0: none */
	long (*pid_to_real)(void *ctx, long spid);
	/* an ftok key as the scenario computes it -> the real one (else itself) */
	uint32_t (*key_to_real)(void *ctx, uint32_t skey);
	void *ctx;
};

/*
 * Runs cmdline (split on blanks, '...' and "..." quoting) as c, inside the
 * coordinator's namespace, with TZ=UTC LC_ALL=C.  With m, the scenario's
 * pids and keys in the arguments become the real ones (and the tools'
 * echoes of them the written ones again); a `cat` of /proc/PID/maps keeps
 * only the System V lines.  *out gets malloc'd stdout+stderr.  Returns the
 * exit status (127: not one of the four tools), or -errno when it could
 * not run.
 */
int host_shell_run(const struct backend_creds *c, const char *cmdline,
                   const struct host_shell_maps *m, char **out, size_t *outlen, int timeout_ms);
/* Runs argv (NULL-terminated) as c the same way, without any check of
 * what it is: for backend_host_test_exec only.  The same returns. */
int host_shell_exec(const struct backend_creds *c, char *const argv[], char **out,
                    size_t *outlen, int timeout_ms);

/* ---- host_shell_args.c: the scenario's pids and keys in the arguments ---- */

/* One rewritten text: as the scenario wrote it, as the tool ran it. */
struct host_shell_sub {
	char *written, *real;
};

struct host_shell_subs {
	struct host_shell_sub *v;
	int n;
};

struct shell_words;
/* Rewrites the arguments of w's command (the word at first) in place;
 * each rewrite is added to subs.  0, or -ENOMEM. */
int host_shell_args_map(struct shell_words *w, int first, const struct host_shell_maps *m,
                        struct host_shell_subs *subs);
/* A malloc'd copy of out with each sub's real text (as a whole word part)
 * back as written; NULL when there is nothing to do or no memory. */
char *host_shell_args_unmap(const char *out, size_t len, const struct host_shell_subs *subs,
                            size_t *newlen);
void host_shell_subs_free(struct host_shell_subs *s);

/* ---- host_shell_maps.c: /proc/PID/maps, its System V lines --------------- */

/* Whether argv (NULL-terminated) is a cat of some /proc/PID/maps. */
int host_shell_names_maps(char *const argv[]);
/* A malloc'd copy of out without the maps lines that are not System V
 * segments; NULL when out of memory. */
char *host_shell_maps_sysv_only(const char *out, size_t len, size_t *newlen);

/* ---- host_shell_map.c: real pids and keys in the tools' output ---------- */

typedef long (*host_pid_map_fn)(void *ctx, long real);
/* A malloc'd copy of out with the pid fields mapped by map (see the file's
 * comment for which fields); NULL when out of memory. */
char *host_shell_map_pids(const char *out, size_t len, const host_pid_map_fn map, void *ctx,
                          size_t *newlen);
/* The same for keys: 0x%08x tokens, /proc/sysvipc's key column and the
 * /SYSV%08x names of /proc/PID/maps. */
char *host_shell_map_keys(const char *out, size_t len, const host_pid_map_fn map, void *ctx,
                          size_t *newlen);

/* ---- host_limits.c: /proc/sys/kernel ------------------------------------- */

/* 0, -ENOENT unknown, -BACKEND_NOT_ON_HOST simulator-only, or the write's -errno. */
int host_limit_set(const char *name, long long value);

#endif
