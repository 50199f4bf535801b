/*
 * diff_sim_sem.c - semaphore steps on the simulated kernel, filling results
 * exactly as diff_host_sem.c does on Linux (the same sembuf array with
 * fillers, the same SETALL values, GETALL hashed over nsems values).
 */
#include "diff_sim_int.h"

#include <errno.h>
#include <string.h>

#include "ipcsim/kernel.h"

#define SIM_MAX_NSOPS (DIFF_MAX_TEXT / sizeof(struct sim_sembuf))
#define SIM_MAX_SEMVALS (DIFF_MAX_TEXT / sizeof(unsigned short))

static void semds_from_sim(struct diff_semds *d, const struct sim_semid_ds *m)
{
	d->key = m->sem_perm.key;
	d->uid = m->sem_perm.uid;
	d->gid = m->sem_perm.gid;
	d->cuid = m->sem_perm.cuid;
	d->cgid = m->sem_perm.cgid;
	d->mode = m->sem_perm.mode;
	d->seq = m->sem_perm.seq;
	d->nsems = m->sem_nsems;
	d->otime = m->sem_otime;
	d->ctime = m->sem_ctime;
}

static long sim_step_semop(struct sim_kernel *k, struct diff_buf *b, int pid,
                           const struct diff_step *st, long id)
{
	static const long tmo[][2] = {
		[DIFF_TMO_ZERO] = { 0, 0 },
		[DIFF_TMO_NEG] = { -1, 0 },
		[DIFF_TMO_BIG_NSEC] = { 0, 1000000000L },
	};
	struct sim_sembuf *sops = NULL;

	if (!st->null_buf) {
		size_t n = st->sops.nsops < SIM_MAX_NSOPS ? st->sops.nsops : SIM_MAX_NSOPS;

		sops = (struct sim_sembuf *)diff_buf_rcv(b);
		diff_sops_fill(&st->sops, (struct diff_sembuf *)sops, n);
	}
	if (st->sops.timeout == DIFF_TMO_SEMOP)
		return sim_semop(k, pid, (int)id, sops, st->sops.nsops);
	return sim_semtimedop(k, pid, (int)id, sops, st->sops.nsops,
	                      st->sops.timeout == DIFF_TMO_NULL ? NULL : tmo[st->sops.timeout]);
}

static long sim_step_semctl(struct sim_kernel *k, struct diff_buf *b, int pid,
                            const struct diff_step *st, long id, struct diff_result *res)
{
	struct sim_semid_ds ds;
	struct sim_seminfo info;
	struct sim_semctl_arg arg;
	unsigned short *vals = (unsigned short *)diff_buf_rcv(b);
	long r;

	memset(&ds, 0, sizeof(ds));
	memset(&info, 0, sizeof(info));
	memset(&arg, 0, sizeof(arg));
	if (st->cmd == SETALL)
		for (size_t j = 0; j < SIM_MAX_SEMVALS; j++)
			vals[j] = (unsigned short)diff_setall_value(&st->setall, (int)j);
	if (st->cmd == IPC_SET) {
		ds.sem_perm.uid = st->set.uid;
		ds.sem_perm.gid = st->set.gid;
		ds.sem_perm.mode = (unsigned short)st->set.mode;
	}
	arg.val = st->val;
	if (!st->null_buf) {
		arg.array = vals;
		arg.buf = &ds;
		arg.info = &info;
	}
	r = sim_semctl(k, pid, (int)id, st->semnum, st->cmd, &arg);
	if (r < 0 || st->null_buf)
		return r;
	if (st->cmd == GETALL) {
		struct sim_semid_ds any;
		size_t n = sim_sem_stat_idx(k, (int)id & 0x7fff, &any) >= 0 ? any.sem_nsems : 0;

		n = n < SIM_MAX_SEMVALS ? n : SIM_MAX_SEMVALS;
		diff_result_set_msg(res, 0, (const unsigned char *)vals, n * sizeof(*vals));
		res->has_msg = 0;
		res->has_bytes = 1;
	} else if (st->cmd == IPC_INFO || st->cmd == SEM_INFO) {
		res->has_seminfo = 1;
		res->seminfo = (struct diff_seminfo){ info.semmap, info.semmni, info.semmns,
		                                      info.semmnu, info.semmsl, info.semopm,
		                                      info.semume, info.semusz, info.semvmx,
		                                      info.semaem };
	} else if (st->cmd == IPC_STAT || st->cmd == SEM_STAT || st->cmd == SEM_STAT_ANY) {
		res->has_semds = 1;
		semds_from_sim(&res->semds, &ds);
	}
	return r;
}

long diff_sim_sem_step(struct sim_kernel *k, struct diff_buf *b, int pid,
                       const struct diff_step *st, const struct diff_run *run,
                       struct diff_result *res)
{
	long id = diff_id_resolve(&st->id, run);

	switch (st->op) {
	case DIFF_SEMGET:
		return sim_semget(k, pid, (long)(key_t)st->key, st->nsems, st->flags);
	case DIFF_SEMOP:
		return sim_step_semop(k, b, pid, st, id);
	case DIFF_SEMCTL:
		return sim_step_semctl(k, b, pid, st, id, res);
	default:
		return -ENOSYS;
	}
}
