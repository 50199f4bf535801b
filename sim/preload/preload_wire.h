/*
 * preload_wire.h - what the preload library (libipcsim-preload.so, in the
 * student's process) and the exec server (sim/exec/, in `ipcsim exec`) say
 * to each other.
 *
 * A process connects once to a Unix stream socket in the server's private
 * directory (named by IPCSIM_EXEC_SOCK) and says hello (a struct wire_req);
 * the reply (a struct wire_rep) carries two descriptors (SCM_RIGHTS): the
 * process's request slot (a memfd, struct wire_slot) and the server's bell
 * (an eventfd).  Every call after that goes through the slot, not the
 * socket: the library writes the request and its payload, sets state to
 * WIRE_SLOT_REQ, rings the bell only when the server said it sleeps, and
 * waits on the state word (spinning briefly, then FUTEX_WAIT); the server
 * copies the request out (the program may scribble on the slot: every field
 * is checked after the copy), sets WIRE_SLOT_BLOCKED when the call sleeps,
 * writes the reply and its payload, sets WIRE_SLOT_REP and wakes the
 * library only when it said it sleeps.  A call that sleeps costs the
 * process one real sleep, as on Linux.  The socket stays for shmat's
 * descriptor (sent on it just before the reply says has_fd, once per
 * segment and process: the library keeps it) and so that the library
 * notices when the server is gone.  Each side keeps its own
 * idea of whose turn it is: a scribbled state word hurts only the
 * scribbler.
 *
 * Structures travel as glibc lays them out (struct msqid_ds, shmid_ds,
 * semid_ds, the info structs, sembuf, unsigned short arrays): the server
 * converts them; the library copies bytes and nothing more, so it needs no
 * header of the simulator.  Both sides are built from the same tree: there
 * is no versioning beyond WIRE_MAGIC.
 */
#ifndef IPCSIM_PRELOAD_WIRE_H
#define IPCSIM_PRELOAD_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#define WIRE_ENV_SOCK "IPCSIM_EXEC_SOCK"
#define WIRE_MAGIC 0x49504333u
/* Payloads above this are refused (the library sends none bigger). */
#define WIRE_MAX_PAYLOAD (64u << 20)
/* The top of the simulated kernel's shmat(NULL) area (SIM_MMAP_BASE). */
#define WIRE_SHM_TOP 0x7f0000000000UL
/* A slot's payload room at first; either side makes the memfd larger
 * (ftruncate: it is sealed against shrinking) for a bigger payload, up to
 * WIRE_MAX_PAYLOAD, and the other side maps what fstat says. */
#define WIRE_SLOT_FIRST (64u << 10)

enum wire_op {
	WIRE_HELLO = 1, /* a[0] = WIRE_HELLO_*, a[1] = parent's pid */
	WIRE_FORKED,    /* a[0] = the child's pid (the parent says so after fork) */
	WIRE_MSGGET,    /* key, msgflg */
	WIRE_MSGSND,    /* msqid, msgsz, msgflg, mtype, bufok; payload: text */
	WIRE_MSGRCV,    /* msqid, msgsz, msgtyp, msgflg, bufok; reply: mtype, text */
	WIRE_MSGCTL,    /* msqid, cmd, bufok; payload/reply: msqid_ds or msginfo */
	WIRE_SHMGET,    /* key, size, shmflg */
	WIRE_SHMAT,     /* shmid, addr, shmflg, the inode and device of the memfd the
	                   library holds for it (0: none); reply: ret = address,
	                   a[0] = length, a[1] = offset in the segment, fd: the
	                   memfd, unless the library holds it */
	WIRE_SHMAT_UNDO,/* addr: the mapping failed in the process, detach again */
	WIRE_SHMDT,     /* addr; reply: a[0] = bytes to unmap */
	WIRE_SHMCTL,    /* shmid, cmd, bufok; payload/reply: shmid_ds or an info struct */
	WIRE_SEMGET,    /* key, nsems, semflg */
	WIRE_SEMOP,     /* semid, nsops, bufok, has_timeout, tv_sec, tv_nsec; payload: sembufs */
	WIRE_SEMCTL,    /* semid, cmd, bufok, semnum, val, size_only; payload/reply:
	                   semid_ds, seminfo or unsigned shorts */
	WIRE_PROC_READ, /* payload: a /proc path; reply: its text (ret -1 ENOENT: not ours) */
	WIRE_PROC_WRITE,/* payload: path, NUL, the text written */
};

enum wire_hello {
	WIRE_HELLO_NEW,  /* the library loaded in a process (exec, posix_spawn, the first) */
	WIRE_HELLO_FORK, /* a child of fork(), a[1] its parent */
};

struct wire_req {
	uint32_t magic;
	uint32_t op;
	uint32_t len;    /* payload bytes that follow */
	int32_t pid;     /* getpid() of the caller */
	uint32_t euid, egid;
	uint64_t caps;   /* the effective capability set (capget), bits 0..63 */
	int64_t a[6];
};

struct wire_rep {
	uint32_t magic;
	uint32_t len;    /* payload bytes that follow */
	int64_t ret;     /* >= 0, or -1 with err */
	int32_t err;
	int32_t killed;  /* the caller must die of this signal (a SysV call it may not make) */
	int32_t has_fd;  /* a descriptor waits on the socket (shmat) */
	int32_t pad;
	int64_t a[2];
};

enum wire_slot_state {
	WIRE_SLOT_IDLE,    /* no call: the library may write a request */
	WIRE_SLOT_REQ,     /* a request is written (library) */
	WIRE_SLOT_BLOCKED, /* the call sleeps in the simulated kernel: stop spinning (server) */
	WIRE_SLOT_REP,     /* the reply is written (server) */
};

/* One process's slot, shared by the library and the server; the payload
 * (the request's, then the reply's) follows it. */
struct wire_slot {
	uint32_t state;         /* enum wire_slot_state; the futex word */
	uint32_t client_sleeps; /* the library waits in FUTEX_WAIT: wake it */
	uint32_t server_sleeps; /* the server waits for the bell: ring it */
	uint32_t cancel;        /* a signal handler ran while the call slept: EINTR */
	struct wire_req req;
	struct wire_rep rep;
	uint64_t pad;
	unsigned char data[];
};

/* How long to spin for the other side before sleeping, following luck:
 * a spin that found what it waited for earns twice the time (up to max),
 * one that did not halves it; at zero, every 32nd wait tries max/2
 * again, so a machine that became quieter is noticed (a shorter try
 * never succeeds where the other side takes longer than it between two
 * calls, as a shmat+shmdt loop does mapping and unmapping: both sides
 * then slept for good after the first misses).  Spinning pays on
 * an idle machine with several CPUs (no sleep, no wake-up on either side)
 * and costs on a loaded one, where the other side is not running anyway. */
struct wire_spin {
	long max, ns;
	unsigned idle;
};

static inline long wire_spin_budget(struct wire_spin *w)
{
	if (w->ns)
		return w->ns;
	return ++w->idle % 32 == 0 ? w->max / 2 : 0;
}

static inline void wire_spin_result(struct wire_spin *w, long budget, int found)
{
	if (found)
		w->ns = 2 * budget < w->max ? 2 * budget : w->max;
	else
		w->ns = budget / 2 < w->max / 64 ? 0 : budget / 2;
}

/* The bytes a ctl command's buffer holds (op WIRE_MSGCTL, WIRE_SHMCTL or
 * WIRE_SEMCTL): what the library sends and the server reads and answers. */
static inline size_t wire_ctl_size(int op, int cmd)
{
	switch (op) {
	case WIRE_MSGCTL:
		return cmd == IPC_INFO || cmd == MSG_INFO ? sizeof(struct msginfo)
		                                          : sizeof(struct msqid_ds);
	case WIRE_SHMCTL:
		return cmd == IPC_INFO ? sizeof(struct shminfo)
		       : cmd == SHM_INFO ? sizeof(struct shm_info) : sizeof(struct shmid_ds);
	default:
		return cmd == IPC_INFO || cmd == SEM_INFO ? sizeof(struct seminfo)
		                                          : sizeof(struct semid_ds);
	}
}

#endif
