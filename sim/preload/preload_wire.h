/*
 * preload_wire.h - what the preload library (libipcsim-preload.so, in the
 * student's process) and the exec server (sim/exec/, in `ipcsim exec`) say
 * to each other over the process's own connection: a Unix stream socket in
 * the server's private directory, named by IPCSIM_EXEC_SOCK.
 *
 * Every request gets exactly one reply, except WIRE_CANCEL, which only
 * hurries the reply of the call in progress (a signal handler ran while it
 * slept: it ends with EINTR unless it had already finished).  A request is
 * a struct wire_req and len bytes of payload; a reply a struct wire_rep and
 * len bytes.  shmat's reply carries the segment's memfd (SCM_RIGHTS).
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

enum wire_op {
	WIRE_HELLO = 1, /* a[0] = WIRE_HELLO_*, a[1] = parent's pid */
	WIRE_FORKED,    /* a[0] = the child's pid (the parent says so after fork) */
	WIRE_CANCEL,    /* no reply of its own */
	WIRE_MSGGET,    /* key, msgflg */
	WIRE_MSGSND,    /* msqid, msgsz, msgflg, mtype, bufok; payload: text */
	WIRE_MSGRCV,    /* msqid, msgsz, msgtyp, msgflg, bufok; reply: mtype, text */
	WIRE_MSGCTL,    /* msqid, cmd, bufok; payload/reply: msqid_ds or msginfo */
	WIRE_SHMGET,    /* key, size, shmflg */
	WIRE_SHMAT,     /* shmid, addr, shmflg; reply: ret = address, a[0] = length,
	                   a[1] = offset in the segment, fd: the memfd */
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
	int64_t a[2];
};

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
