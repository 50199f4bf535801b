/*
 * diff_build.c - appending steps to a sequence (see diff_build.h).
 */
#include "diff_build.h"

#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

struct diff_id diff_lit(long id)
{
	return (struct diff_id){ .kind = DIFF_ID_LITERAL, .literal = id };
}

struct diff_id diff_ref(int step)
{
	return (struct diff_id){ .kind = DIFF_ID_REF, .step = step };
}

struct diff_id diff_stale(int step)
{
	return (struct diff_id){ .kind = DIFF_ID_STALE, .step = step };
}

struct diff_id diff_idx(int step)
{
	return (struct diff_id){ .kind = DIFF_ID_IDX, .step = step };
}

void diff_seq_init(struct diff_seq *s, uint64_t seed, int number)
{
	memset(s, 0, sizeof(*s));
	s->seed = seed;
	s->number = number;
}

static struct diff_step *append(struct diff_seq *s, enum diff_op op, enum diff_actor who)
{
	struct diff_step *st;

	if (s->nsteps >= DIFF_MAX_STEPS)
		return NULL;
	st = &s->steps[s->nsteps++];
	memset(st, 0, sizeof(*st));
	st->op = op;
	st->actor = who;
	return st;
}

int diff_b_msgget(struct diff_seq *s, enum diff_actor who, long key, int msgflg)
{
	struct diff_step *st = append(s, DIFF_MSGGET, who);

	if (!st)
		return -1;
	st->key = key;
	st->flags = msgflg;
	return s->nsteps - 1;
}

int diff_b_msgsnd(struct diff_seq *s, enum diff_actor who, struct diff_id id, long mtype,
                  size_t msgsz, int msgflg)
{
	struct diff_step *st = append(s, DIFF_MSGSND, who);

	if (!st)
		return -1;
	st->id = id;
	st->mtype = mtype;
	st->msgsz = msgsz;
	st->flags = msgflg;
	return s->nsteps - 1;
}

int diff_b_msgrcv(struct diff_seq *s, enum diff_actor who, struct diff_id id, size_t msgsz,
                  long msgtyp, int msgflg)
{
	struct diff_step *st = append(s, DIFF_MSGRCV, who);

	if (!st)
		return -1;
	st->id = id;
	st->msgsz = msgsz;
	st->msgtyp = msgtyp;
	st->flags = msgflg;
	return s->nsteps - 1;
}

int diff_b_msgctl(struct diff_seq *s, enum diff_actor who, struct diff_id id, int cmd)
{
	struct diff_step *st = append(s, DIFF_MSGCTL, who);

	if (!st)
		return -1;
	st->id = id;
	st->cmd = cmd;
	return s->nsteps - 1;
}

int diff_b_msgset(struct diff_seq *s, enum diff_actor who, struct diff_id id, unsigned uid,
                  unsigned gid, unsigned mode, unsigned long qbytes)
{
	int i = diff_b_msgctl(s, who, id, IPC_SET);

	if (i < 0)
		return -1;
	s->steps[i].set = (struct diff_set){ uid, gid, mode, qbytes };
	return i;
}

int diff_b_limit(struct diff_seq *s, enum diff_limit which, long long value)
{
	struct diff_step *st = append(s, DIFF_LIMIT, DIFF_ROOT);

	if (!st)
		return -1;
	st->limit = which;
	st->value = value;
	return s->nsteps - 1;
}

void diff_b_null_buf(struct diff_seq *s, int i)
{
	if (i >= 0 && i < s->nsteps)
		s->steps[i].null_buf = 1;
}

void diff_b_where(struct diff_seq *s, int i, int where)
{
	if (i < 0 || i >= s->nsteps)
		return;
	s->steps[i].where = where;
	if (where > 0) /* a helper's steps run as the helper's user */
		for (int j = i - 1; j >= 0; j--)
			if (s->steps[j].op == DIFF_SPAWN && s->steps[j].helper == where) {
				s->steps[i].actor = s->steps[j].actor;
				break;
			}
}

/* ---- addresses ------------------------------------------------------------- */

struct diff_addr diff_addr_lit(unsigned long addr)
{
	return (struct diff_addr){ .kind = DIFF_ADDR_LITERAL, .literal = addr };
}

struct diff_addr diff_addr_fixed(unsigned long page, unsigned long bytes)
{
	return diff_addr_lit(DIFF_FIXED_BASE + page * 4096UL + bytes);
}

struct diff_addr diff_addr_at(int step, long offset)
{
	return (struct diff_addr){ .kind = DIFF_ADDR_AT, .step = step, .offset = offset };
}

/* ---- shared memory ----------------------------------------------------------- */

int diff_b_shmget(struct diff_seq *s, enum diff_actor who, long key, size_t size, int shmflg)
{
	struct diff_step *st = append(s, DIFF_SHMGET, who);

	if (!st)
		return -1;
	st->key = key;
	st->size = size;
	st->flags = shmflg;
	return s->nsteps - 1;
}

int diff_b_shmat(struct diff_seq *s, enum diff_actor who, struct diff_id id,
                 struct diff_addr addr, int shmflg)
{
	struct diff_step *st = append(s, DIFF_SHMAT, who);

	if (!st)
		return -1;
	st->id = id;
	st->addr = addr;
	st->flags = shmflg;
	return s->nsteps - 1;
}

int diff_b_shmdt(struct diff_seq *s, enum diff_actor who, struct diff_addr addr)
{
	struct diff_step *st = append(s, DIFF_SHMDT, who);

	if (!st)
		return -1;
	st->addr = addr;
	return s->nsteps - 1;
}

int diff_b_shmctl(struct diff_seq *s, enum diff_actor who, struct diff_id id, int cmd)
{
	struct diff_step *st = append(s, DIFF_SHMCTL, who);

	if (!st)
		return -1;
	st->id = id;
	st->cmd = cmd;
	return s->nsteps - 1;
}

int diff_b_shmset(struct diff_seq *s, enum diff_actor who, struct diff_id id, unsigned uid,
                  unsigned gid, unsigned mode)
{
	int i = diff_b_shmctl(s, who, id, IPC_SET);

	if (i >= 0)
		s->steps[i].set = (struct diff_set){ uid, gid, mode, 0 };
	return i;
}

static int mem_step(struct diff_seq *s, enum diff_op op, enum diff_actor who,
                    struct diff_addr addr, size_t len)
{
	struct diff_step *st = append(s, op, who);

	if (!st)
		return -1;
	st->addr = addr;
	st->len = len;
	return s->nsteps - 1;
}

int diff_b_memwrite(struct diff_seq *s, enum diff_actor who, struct diff_addr addr, size_t len)
{
	return mem_step(s, DIFF_MEMWRITE, who, addr, len);
}

int diff_b_memread(struct diff_seq *s, enum diff_actor who, struct diff_addr addr, size_t len)
{
	return mem_step(s, DIFF_MEMREAD, who, addr, len);
}

/* ---- semaphores ----------------------------------------------------------------- */

int diff_b_semget(struct diff_seq *s, enum diff_actor who, long key, int nsems, int semflg)
{
	struct diff_step *st = append(s, DIFF_SEMGET, who);

	if (!st)
		return -1;
	st->key = key;
	st->nsems = nsems;
	st->flags = semflg;
	return s->nsteps - 1;
}

int diff_b_semop(struct diff_seq *s, enum diff_actor who, struct diff_id id,
                 const struct diff_sembuf *ops, int nops, enum diff_timeout tmo)
{
	struct diff_step *st = append(s, DIFF_SEMOP, who);

	if (!st)
		return -1;
	if (nops > DIFF_MAX_SOPS)
		nops = DIFF_MAX_SOPS;
	st->id = id;
	st->sops.nops = nops;
	st->sops.nsops = (size_t)nops;
	for (int j = 0; j < nops; j++)
		st->sops.ops[j] = ops[j];
	st->sops.timeout = tmo;
	return s->nsteps - 1;
}

int diff_b_semctl(struct diff_seq *s, enum diff_actor who, struct diff_id id, int semnum, int cmd)
{
	struct diff_step *st = append(s, DIFF_SEMCTL, who);

	if (!st)
		return -1;
	st->id = id;
	st->semnum = semnum;
	st->cmd = cmd;
	st->setall.bad = -1;
	return s->nsteps - 1;
}

int diff_b_setval(struct diff_seq *s, enum diff_actor who, struct diff_id id, int semnum, int val)
{
	int i = diff_b_semctl(s, who, id, semnum, SETVAL);

	if (i >= 0)
		s->steps[i].val = val;
	return i;
}

int diff_b_setall(struct diff_seq *s, enum diff_actor who, struct diff_id id, int base, int step,
                  int bad)
{
	int i = diff_b_semctl(s, who, id, 0, SETALL);

	if (i >= 0)
		s->steps[i].setall = (struct diff_setall){ base, step, bad };
	return i;
}

int diff_b_semset(struct diff_seq *s, enum diff_actor who, struct diff_id id, unsigned uid,
                  unsigned gid, unsigned mode)
{
	int i = diff_b_semctl(s, who, id, 0, IPC_SET);

	if (i >= 0)
		s->steps[i].set = (struct diff_set){ uid, gid, mode, 0 };
	return i;
}

/* ---- helper processes ------------------------------------------------------------- */

int diff_b_spawn(struct diff_seq *s, int h, enum diff_actor who)
{
	struct diff_step *st = append(s, DIFF_SPAWN, who);

	if (!st)
		return -1;
	st->helper = h;
	return s->nsteps - 1;
}

int diff_b_exit(struct diff_seq *s, int h)
{
	struct diff_step *st = append(s, DIFF_EXIT, DIFF_ROOT);

	if (!st)
		return -1;
	st->helper = h;
	for (int j = s->nsteps - 2; j >= 0; j--)
		if (s->steps[j].op == DIFF_SPAWN && s->steps[j].helper == h) {
			st->actor = s->steps[j].actor;
			break;
		}
	return s->nsteps - 1;
}
