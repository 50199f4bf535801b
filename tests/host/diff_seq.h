/*
 * diff_seq.h - a call sequence of the differential test, and what a backend
 * answered to it.
 *
 * A sequence is a list of System V IPC calls (message queues, shared
 * memory with reads and writes through the attachments, semaphores) made by
 * one of a few fixed users.  It is plain data: diff_exec.c performs it on a
 * struct backend (ipcsim/backend.h), the simulator's alone when a generator
 * builds it, or the comparing backend of `ipcsim check` (ipcsim/compare.h),
 * which performs every call on the simulator and on the host kernel and
 * judges the two.  Ids are not known in advance, so an id argument is
 * either a literal or "the id returned by step k", resolved against the
 * results so far (the simulator's: the comparer holds the kernel to them).
 *
 * Every step runs in a process of its own when the user is not root (or
 * when the step asks for a child): made for the step, exiting after its
 * call, which detaches its segments and applies its SEM_UNDO adjustments.
 * Root's other steps run in one root process that lives as long as the
 * sequence.  A step may instead run in a long-lived helper process
 * (DIFF_SPAWN ... DIFF_EXIT), so that a second process can hold attachments
 * and undo adjustments across steps.  Every process starts with no
 * attachments.
 *
 * Addresses (shmat, shmdt, memory access) are not known in advance either:
 * an address is a literal (fixed attaches use a region far from anything the
 * host maps, DIFF_FIXED_BASE) or "what shmat returned at step k, plus an
 * offset".
 *
 * Ownership: plain values, no pointers; a sequence and a run can be copied
 * with memcpy.
 */
#ifndef IPCSIM_DIFF_SEQ_H
#define IPCSIM_DIFF_SEQ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ipc.h>

#include "ipcsim/backend.h"

#define DIFF_MAX_STEPS 160
#define DIFF_MAX_SOPS 6      /* sembufs a step spells out; nsops may claim more */
#define DIFF_MAX_HELPERS 3   /* long-lived helper processes, numbered 1.. */
#define DIFF_MAX_SEMS 64     /* GETALL/SETALL arrays the test handles */

/* Fixed attach addresses: 0x200000000000 + n pages (32 TiB, below the host's
 * mmap area and far above its program; not 0x100000000000, which lies in
 * AddressSanitizer's shadow, 0x02008fff7000-0x10007fff7fff); checked free in
 * /proc/self/maps before every sequence. */
#define DIFF_FIXED_BASE 0x200000000000UL
#define DIFF_FIXED_SPAN (1UL << 30) /* bytes of the region the test may use */

/* The users a step can run as.  Bob shares Alice's group; nobody shares nothing. */
enum diff_actor { DIFF_ROOT, DIFF_ALICE, DIFF_BOB, DIFF_NOBODY, DIFF_NACTORS };

struct diff_cred {
	unsigned uid, gid;
	const char *name;
};
extern const struct diff_cred diff_creds[DIFF_NACTORS];

/* Which mechanism a sequence is about (its generator, its test's name). */
enum diff_kind { DIFF_KIND_MSG, DIFF_KIND_SHM, DIFF_KIND_SEM };

enum diff_op {
	DIFF_MSGGET, DIFF_MSGSND, DIFF_MSGRCV, DIFF_MSGCTL, DIFF_LIMIT,
	DIFF_SHMGET, DIFF_SHMAT, DIFF_SHMDT, DIFF_SHMCTL,
	DIFF_MEMWRITE, DIFF_MEMREAD, /* through the acting process's attachments */
	DIFF_SEMGET, DIFF_SEMOP, DIFF_SEMCTL,
	DIFF_SPAWN, DIFF_EXIT,       /* helper process `helper` starts as actor / exits */
};

/* The limits a step may change: /proc/sys/kernel/<name> <-> sim_limit_set.
 * The four sem ones are fields of /proc/sys/kernel/sem. */
enum diff_limit {
	DIFF_LIM_MSGMAX, DIFF_LIM_MSGMNB, DIFF_LIM_MSGMNI,
	DIFF_LIM_SHMMAX, DIFF_LIM_SHMALL, DIFF_LIM_SHMMNI,
	DIFF_LIM_SEMMSL, DIFF_LIM_SEMMNS, DIFF_LIM_SEMOPM, DIFF_LIM_SEMMNI,
	DIFF_NLIMITS
};
extern const char *const diff_limit_names[DIFF_NLIMITS];

enum diff_id_kind {
	DIFF_ID_LITERAL, /* literal */
	DIFF_ID_REF,     /* the id msgget returned at step `step` */
	DIFF_ID_STALE,   /* that id + 32768: right index, wrong sequence number */
	DIFF_ID_IDX,     /* that id & 0x7fff: the index, for MSG_STAT* */
};

struct diff_id {
	enum diff_id_kind kind;
	int step;
	long literal;
};

/* What IPC_SET writes. */
struct diff_set {
	unsigned uid, gid, mode;
	unsigned long qbytes;
};

enum diff_addr_kind {
	DIFF_ADDR_LITERAL, /* literal */
	DIFF_ADDR_AT,      /* what shmat returned at step `step`, + offset */
};

struct diff_addr {
	enum diff_addr_kind kind;
	int step;
	unsigned long literal;
	long offset;
};

/* Where a step runs (see the top of this file). */
#define DIFF_WHERE_DEFAULT 0 /* root: the main process; others: a per-step child */
#define DIFF_WHERE_CHILD (-1) /* a per-step child, root too */
/* 1..DIFF_MAX_HELPERS: that helper */

/* semtimedop's timeout argument. */
enum diff_timeout {
	DIFF_TMO_SEMOP,    /* semop(), no timeout argument */
	DIFF_TMO_NULL,     /* semtimedop(..., NULL) */
	DIFF_TMO_ZERO,     /* {0, 0}: a would-block is EAGAIN at once */
	DIFF_TMO_NEG,      /* {-1, 0}: EINVAL */
	DIFF_TMO_BIG_NSEC, /* {0, 1000000000}: EINVAL */
};

struct diff_sembuf {
	unsigned short num;
	short op, flg;
};

/* semop: nops spelled out; nsops is what the call claims.  Past nops the
 * array holds DIFF_SOP_FILLER (E2BIG cases pass a long array). */
struct diff_sops {
	int nops;
	size_t nsops;
	struct diff_sembuf ops[DIFF_MAX_SOPS];
	enum diff_timeout timeout;
};
#define DIFF_SOP_FILLER ((struct diff_sembuf){ 0, 0, IPC_NOWAIT })

/* SETALL's array: value j is base + j*step, except index bad gets 40000. */
struct diff_setall {
	int base, step;
	int bad; /* -1: none */
};

struct diff_step {
	enum diff_op op;
	enum diff_actor actor;
	int where;           /* DIFF_WHERE_*, or a helper number */
	int helper;          /* DIFF_SPAWN / DIFF_EXIT */
	struct diff_id id;   /* msgsnd, msgrcv, msgctl, shmat, shmctl, semop, semctl */
	long key;            /* msgget, shmget, semget */
	int flags;           /* *get flags, msgsnd/msgrcv msgflg, shmat shmflg */
	long mtype;          /* msgsnd */
	long msgtyp;         /* msgrcv */
	size_t msgsz;        /* msgsnd, msgrcv */
	int null_buf;        /* pass NULL as the user buffer (EFAULT cases) */
	int cmd;             /* msgctl */
	struct diff_set set; /* msgctl IPC_SET */
	enum diff_limit limit;
	long long value;     /* DIFF_LIMIT (shmmax/shmall: the unsigned bit pattern) */
	size_t size;         /* shmget */
	struct diff_addr addr; /* shmat (literal 0 = NULL), shmdt, memory access */
	size_t len;          /* memory access */
	int nsems;           /* semget */
	struct diff_sops sops; /* semop */
	int semnum, val;     /* semctl */
	struct diff_setall setall; /* semctl SETALL */
};

struct diff_seq {
	enum diff_kind kind;
	uint64_t seed;
	int number; /* index of the sequence for this seed; -1 for a directed one */
	int nsteps;
	struct diff_step steps[DIFF_MAX_STEPS];
};

/* A step's result beyond >= 0 / -errno: the call slept (the simulator
 * put its process to sleep; the generator never makes such a step), its
 * process died in it (a memory fault: SIGSEGV), or the backend itself
 * failed (out of memory, or an op it refused). */
#define DIFF_RET_BLOCKED (-100000L)
#define DIFF_RET_SEGV (-100002L)
#define DIFF_RET_FAILED (-100003L)

/* What a step gave back: what the backend gave the caller (for a comparing
 * backend: the simulator's answer, which the comparer checked against the
 * kernel's), its pointer payloads reduced to length and hash. */
struct diff_result {
	long ret;                 /* >= 0, -errno or DIFF_RET_* */
	int proc;                 /* process that ran the step, in creation order */
	int has_msg;              /* msgrcv success: mtype, len, text_hash */
	int has_bytes;            /* memory read, GETALL success: len, text_hash */
	long mtype;
	size_t len;
	uint64_t text_hash;
	struct backend_result r;  /* the payload structs (ds, info, ...); no pointers */
};

struct diff_run {
	int nsteps;               /* steps that ran */
	int nprocs;
	int pids[DIFF_MAX_STEPS + 1]; /* pid of process n; 0 is root's */
	struct diff_result r[DIFF_MAX_STEPS];
};

/* Message text of the message sent at step `step`: byte j of it. */
static inline unsigned char diff_text_byte(int step, size_t j)
{
	return (unsigned char)(step * 131 + j * 7 + 1);
}

/* Byte j written by the memory-write step `step`. */
static inline unsigned char diff_mem_byte(int step, size_t j)
{
	return (unsigned char)(step * 29 + j * 13 + 0x5a);
}

/* SETALL value j of a step. */
static inline int diff_setall_value(const struct diff_setall *sa, int j)
{
	return j == sa->bad ? 40000 : sa->base + j * sa->step;
}

/* FNV-1a over a received text, so a wrong message shows as a wrong hash. */
uint64_t diff_hash(const unsigned char *p, size_t n);

/* Resolves an id argument against the results so far. */
long diff_id_resolve(const struct diff_id *id, const struct diff_run *run);
/* Resolves an address argument the same way (addresses of the simulator's
 * processes: the comparer translates them for the kernel). */
unsigned long diff_addr_resolve(const struct diff_addr *a, const struct diff_run *run);

#endif
