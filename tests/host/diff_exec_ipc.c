/*
 * diff_exec_ipc.c - the shared memory, memory access and semaphore steps of
 * a sequence, as backend calls (see diff_exec.h).
 *
 * Each argument is what a C program would pass: a NULL pointer where the
 * step says so (the EFAULT cases), a sembuf array of nsops entries (the
 * spelled-out ops, then fillers), SETALL's array as large as any set can
 * be, an IPC_SET struct whose mode is ipc_perm's unsigned short.
 */
#include "diff_exec_int.h"

#include <string.h>
#include <sys/sem.h>
#include <sys/shm.h>

static int call_shmctl(struct diff_exec *x, int pid, const struct diff_step *st, int id,
                       struct backend_result *r)
{
	enum backend_buf buf = st->null_buf ? BACKEND_BUF_NULL : BACKEND_BUF_VALID;
	struct ipcsim_shmid_ds ds;

	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.uid = st->set.uid;
	ds.shm_perm.gid = st->set.gid;
	ds.shm_perm.mode = (unsigned short)st->set.mode;
	return x->b->ops->shmctl(x->b->ctx, pid, id, st->cmd, buf,
	                         st->cmd == IPC_SET && buf == BACKEND_BUF_VALID ? &ds : NULL, r);
}

static int call_mem(struct diff_exec *x, int pid, const struct diff_step *st, int i,
                    struct backend_result *r)
{
	unsigned long addr = diff_addr_resolve(&st->addr, x->run);
	size_t n = st->len < DIFF_SCRATCH ? st->len : DIFF_SCRATCH;

	if (st->op == DIFF_MEMREAD)
		return x->b->ops->mem_read(x->b->ctx, pid, addr, n, r);
	for (size_t j = 0; j < n; j++)
		x->buf[j] = diff_mem_byte(i, j);
	return x->b->ops->mem_write(x->b->ctx, pid, addr, x->buf, n, r);
}

static int call_semop(struct diff_exec *x, int pid, const struct diff_step *st, int id,
                      struct backend_result *r)
{
	static const long timeouts[][2] = {
		[DIFF_TMO_ZERO] = { 0, 0 },
		[DIFF_TMO_NEG] = { -1, 0 },
		[DIFF_TMO_BIG_NSEC] = { 0, 1000000000L },
	};
	struct ipcsim_sembuf *sops = NULL;
	const long *tmo;

	if (!st->null_buf) {
		struct diff_sembuf one;

		if (st->sops.nsops > DIFF_SCRATCH / sizeof(*sops))
			return -1; /* no generated step claims that many */
		sops = (struct ipcsim_sembuf *)x->buf;
		for (size_t j = 0; j < st->sops.nsops; j++) {
			/* fillers past the spelled-out ops (E2BIG cases pass a long array) */
			one = j < (size_t)st->sops.nops ? st->sops.ops[j] : DIFF_SOP_FILLER;
			sops[j] = (struct ipcsim_sembuf){ one.num, one.op, one.flg };
		}
	}
	if (st->sops.timeout == DIFF_TMO_SEMOP)
		return x->b->ops->semop(x->b->ctx, pid, id, sops, st->sops.nsops, r);
	tmo = st->sops.timeout == DIFF_TMO_NULL ? NULL : timeouts[st->sops.timeout];
	return x->b->ops->semtimedop(x->b->ctx, pid, id, sops, st->sops.nsops, tmo, r);
}

static int call_semctl(struct diff_exec *x, int pid, const struct diff_step *st, int id,
                       struct backend_result *r)
{
	unsigned short *values = (unsigned short *)x->buf;
	size_t nvalues = DIFF_SCRATCH / sizeof(*values);
	struct backend_semctl_arg arg;
	struct ipcsim_semid_ds ds;

	memset(&ds, 0, sizeof(ds));
	ds.sem_perm.uid = st->set.uid;
	ds.sem_perm.gid = st->set.gid;
	ds.sem_perm.mode = (unsigned short)st->set.mode;
	if (st->cmd == SETALL)
		for (size_t j = 0; j < nvalues; j++)
			values[j] = (unsigned short)diff_setall_value(&st->setall, (int)j);
	memset(&arg, 0, sizeof(arg));
	arg.buf = st->null_buf ? BACKEND_BUF_NULL : BACKEND_BUF_VALID;
	arg.val = st->val;
	if (st->cmd == SETALL) {
		arg.values = values;
		arg.nvalues = nvalues;
	}
	if (st->cmd == IPC_SET)
		arg.ds = &ds;
	return x->b->ops->semctl(x->b->ctx, pid, id, st->semnum, st->cmd, &arg, r);
}

int diff_exec_ipc_call(struct diff_exec *x, int pid, const struct diff_seq *s, int i,
                       struct backend_result *r)
{
	const struct diff_step *st = &s->steps[i];
	const struct backend_ops *o = x->b->ops;
	int id = (int)diff_id_resolve(&st->id, x->run);

	switch (st->op) {
	case DIFF_SHMGET:
		return o->shmget(x->b->ctx, pid, (long)(key_t)st->key, st->size, st->flags, r);
	case DIFF_SHMAT:
		return o->shmat(x->b->ctx, pid, id, diff_addr_resolve(&st->addr, x->run), st->flags, r);
	case DIFF_SHMDT:
		return o->shmdt(x->b->ctx, pid, diff_addr_resolve(&st->addr, x->run), r);
	case DIFF_SHMCTL:
		return call_shmctl(x, pid, st, id, r);
	case DIFF_MEMWRITE:
	case DIFF_MEMREAD:
		return call_mem(x, pid, st, i, r);
	case DIFF_SEMGET:
		return o->semget(x->b->ctx, pid, (long)(key_t)st->key, st->nsems, st->flags, r);
	case DIFF_SEMOP:
		return call_semop(x, pid, st, id, r);
	case DIFF_SEMCTL:
		return call_semctl(x, pid, st, id, r);
	default:
		return -1;
	}
}
