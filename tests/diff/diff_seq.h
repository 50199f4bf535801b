/*
 * diff_seq.h - a call sequence of the differential test, and what one side
 * (simulated or host kernel) answered to it.
 *
 * A sequence is a list of message-queue calls made by one of a few fixed
 * users.  Ids are not known in advance (they depend on the kernel), so an id
 * argument is either a literal or "the id returned by step k", resolved by
 * each side from its own results.  If the two sides disagree on step k, the
 * comparison stops there anyway, so a reference never hides a divergence.
 *
 * Every step runs in its own process when the user is not root: the host
 * forks a setuid child per step, and the simulator creates a process per
 * step, so "which process" (lspid/lrpid) can be compared as an index in
 * creation order rather than as a raw pid.
 *
 * Ownership: plain values, no pointers; a sequence and a run can be copied
 * with memcpy and placed in shared memory.
 */
#ifndef IPCSIM_DIFF_SEQ_H
#define IPCSIM_DIFF_SEQ_H

#include <stddef.h>
#include <stdint.h>

#define DIFF_MAX_STEPS 160
#define DIFF_HEAD_BYTES 16

/* The users a step can run as.  Bob shares Alice's group; nobody shares nothing. */
enum diff_actor { DIFF_ROOT, DIFF_ALICE, DIFF_BOB, DIFF_NOBODY, DIFF_NACTORS };

struct diff_cred {
	unsigned uid, gid;
	const char *name;
};
extern const struct diff_cred diff_creds[DIFF_NACTORS];

enum diff_op { DIFF_MSGGET, DIFF_MSGSND, DIFF_MSGRCV, DIFF_MSGCTL, DIFF_LIMIT };

/* The limits a step may change: /proc/sys/kernel/<name> <-> sim_limit_set. */
enum diff_limit { DIFF_LIM_MSGMAX, DIFF_LIM_MSGMNB, DIFF_LIM_MSGMNI, DIFF_NLIMITS };
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

struct diff_step {
	enum diff_op op;
	enum diff_actor actor;
	struct diff_id id;   /* msgsnd, msgrcv, msgctl */
	long key;            /* msgget */
	int flags;           /* msgget msgflg, msgsnd/msgrcv msgflg */
	long mtype;          /* msgsnd */
	long msgtyp;         /* msgrcv */
	size_t msgsz;        /* msgsnd, msgrcv */
	int null_buf;        /* pass NULL as the user buffer (EFAULT cases) */
	int cmd;             /* msgctl */
	struct diff_set set; /* msgctl IPC_SET */
	enum diff_limit limit;
	long long value;     /* DIFF_LIMIT */
};

struct diff_seq {
	uint64_t seed;
	int number; /* index of the sequence for this seed; -1 for a directed one */
	int nsteps;
	struct diff_step steps[DIFF_MAX_STEPS];
};

/* msqid_ds as both sides report it (pids raw, times raw; compare canonicalises). */
struct diff_ds {
	uint32_t key;
	unsigned uid, gid, cuid, cgid, mode, seq;
	unsigned long cbytes, qnum, qbytes;
	long lspid, lrpid;
	long stime, rtime, ctime;
};

struct diff_info {
	int msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	unsigned msgseg;
};

/* ret value a side records for a call that went to sleep (sim) or was
 * interrupted by the safety timer (host, which then says -EINTR). */
#define DIFF_RET_BLOCKED (-100000L)
#define DIFF_RET_NOT_RUN (-100001L)

struct diff_result {
	long ret;                 /* >= 0 or -errno, like the simulator's API */
	int has_msg, has_ds, has_info;
	long mtype;               /* msgrcv success */
	size_t len;
	uint64_t text_hash;
	unsigned char head[DIFF_HEAD_BYTES];
	struct diff_ds ds;        /* *_STAT success */
	struct diff_info info;    /* *_INFO success */
	int proc;                 /* process that ran the step, in creation order */
	long t_after;             /* the side's clock right after the call */
	char invariant[120];      /* sim only: sim_kernel_check's complaint, or "" */
};

struct diff_run {
	int nsteps;               /* steps that ran */
	int setup_errno;          /* host: unshare/setuid failure; 0 when fine */
	char setup_error[160];
	long t_start;             /* the side's clock at the start */
	int nprocs;
	long pids[DIFF_MAX_STEPS + 1]; /* pid of process n */
	struct diff_result r[DIFF_MAX_STEPS];
};

/* Message text of the message sent at step `step`: byte j of it. */
static inline unsigned char diff_text_byte(int step, size_t j)
{
	return (unsigned char)(step * 131 + j * 7 + 1);
}

/* FNV-1a over a received text, so a wrong message shows as a wrong hash. */
uint64_t diff_hash(const unsigned char *p, size_t n);

/* Fills r->len/head/hash/mtype/has_msg from a received message. */
void diff_result_set_msg(struct diff_result *r, long mtype, const unsigned char *text, size_t n);

/* Resolves an id argument against the results a side has so far. */
long diff_id_resolve(const struct diff_id *id, const struct diff_run *run);

#endif
