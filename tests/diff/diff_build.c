/*
 * diff_build.c - appending steps to a sequence (see diff_build.h).
 */
#include "diff_build.h"

#include <string.h>
#include <sys/msg.h>

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
