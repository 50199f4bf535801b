/*
 * diff_sim_shm.c - shared memory steps on the simulated kernel, filling
 * results exactly as diff_host_shm.c does on Linux.
 */
#include "diff_sim_int.h"

#include <errno.h>
#include <string.h>

#include "ipcsim/kernel.h"

static void shmds_from_sim(struct diff_shmds *d, const struct sim_shmid_ds *m)
{
	d->key = m->shm_perm.key;
	d->uid = m->shm_perm.uid;
	d->gid = m->shm_perm.gid;
	d->cuid = m->shm_perm.cuid;
	d->cgid = m->shm_perm.cgid;
	d->mode = m->shm_perm.mode;
	d->seq = m->shm_perm.seq;
	d->segsz = m->shm_segsz;
	d->nattch = m->shm_nattch;
	d->cpid = m->shm_cpid;
	d->lpid = m->shm_lpid;
	d->atime = m->shm_atime;
	d->dtime = m->shm_dtime;
	d->ctime = m->shm_ctime;
}

static long sim_step_shmctl(struct sim_kernel *k, int pid, const struct diff_step *st, long id,
                            struct diff_result *res)
{
	struct sim_shmid_ds ds;
	struct sim_shminfo info;
	struct sim_shm_info sinfo;
	int nb = st->null_buf;
	long r;

	memset(&ds, 0, sizeof(ds));
	memset(&info, 0, sizeof(info));
	memset(&sinfo, 0, sizeof(sinfo));
	if (st->cmd == IPC_SET) {
		ds.shm_perm.uid = st->set.uid;
		ds.shm_perm.gid = st->set.gid;
		ds.shm_perm.mode = (unsigned short)st->set.mode; /* the host's mode is a ushort */
	}
	r = sim_shmctl(k, pid, (int)id, st->cmd, nb ? NULL : &ds, nb ? NULL : &info,
	               nb ? NULL : &sinfo);
	if (r < 0 || nb)
		return r;
	switch (st->cmd) {
	case IPC_INFO:
		res->has_shminfo = 1;
		res->shminfo = (struct diff_shminfo){ info.shmmax, info.shmmin, info.shmmni,
		                                      info.shmseg, info.shmall };
		break;
	case SHM_INFO:
		res->has_shm_info = 1;
		res->shm_info = (struct diff_shm_info){ sinfo.used_ids, sinfo.shm_tot, sinfo.shm_rss,
		                                        sinfo.shm_swp, sinfo.swap_attempts,
		                                        sinfo.swap_successes };
		break;
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		res->has_shmds = 1;
		shmds_from_sim(&res->shmds, &ds);
		break;
	default:
		break;
	}
	return r;
}

static long sim_step_mem(struct sim_kernel *k, struct diff_buf *b, int pid,
                         const struct diff_step *st, int i, const struct diff_run *run,
                         struct diff_result *res)
{
	unsigned long addr = diff_addr_resolve(&st->addr, run);
	unsigned char *buf = diff_buf_rcv(b);
	size_t n = st->len < DIFF_MAX_TEXT ? st->len : DIFF_MAX_TEXT;
	long r;

	if (st->op == DIFF_MEMWRITE) {
		for (size_t j = 0; j < n; j++)
			buf[j] = diff_mem_byte(i, j);
		r = sim_mem_write(k, pid, addr, buf, n);
	} else {
		r = sim_mem_read(k, pid, addr, buf, n);
		if (r == 0) {
			diff_result_set_msg(res, 0, buf, n);
			res->has_msg = 0;
			res->has_bytes = 1;
		}
	}
	return r == SIM_KILLED ? DIFF_RET_SEGV : r;
}

long diff_sim_shm_step(struct sim_kernel *k, struct diff_buf *b, int pid,
                       const struct diff_step *st, int i, const struct diff_run *run,
                       struct diff_result *res)
{
	long id = diff_id_resolve(&st->id, run), r;

	switch (st->op) {
	case DIFF_SHMGET:
		return sim_shmget(k, pid, (long)(key_t)st->key, st->size, st->flags);
	case DIFF_SHMAT:
		r = sim_shmat(k, pid, (int)id, diff_addr_resolve(&st->addr, run), st->flags);
		res->is_addr = r >= 0;
		return r;
	case DIFF_SHMDT:
		return sim_shmdt(k, pid, diff_addr_resolve(&st->addr, run));
	case DIFF_SHMCTL:
		return sim_step_shmctl(k, pid, st, id, res);
	case DIFF_MEMWRITE:
	case DIFF_MEMREAD:
		return sim_step_mem(k, b, pid, st, i, run, res);
	default:
		return -ENOSYS;
	}
}
