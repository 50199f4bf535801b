/*
 * sem_ctl.c - semctl: the values, the counts of sleepers, IPC_STAT and
 * friends, IPC_SET, IPC_RMID (freeary).  A port of Linux ipc/sem.c's
 * ksys_semctl, semctl_info, semctl_stat, semctl_setval, semctl_main and
 * semctl_down, check order included; see sem.c for the pending lists and
 * the wake-up they share.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

/* ---- semctl (ksys_semctl, semctl_info, semctl_stat, semctl_main, ...) ---- */

/* count_semcnt / check_qop: a sleeper counts only on its blocking op's semaphore */
static int count_list(const struct sem_list *l)
{
	int n = 0;

	for (const struct sem_queue *q = l->first; q; q = q->next)
		n++;
	return n;
}

static int check_qop_list(const struct sem_list *l, int semnum, bool count_zero)
{
	int n = 0;

	for (const struct sem_queue *q = l->first; q; q = q->next) {
		const struct ipcsim_sembuf *sop = &q->sops[q->blocking];

		if (sop->sem_num != semnum)
			continue;
		n += count_zero ? sop->sem_op == 0 : sop->sem_op < 0;
	}
	return n;
}

int sem_count_waiters(const struct sem_array *sma, int semnum, bool count_zero)
{
	int n = count_list(count_zero ? &sma->sems[semnum].pending_const
	                              : &sma->sems[semnum].pending_alter);

	n += check_qop_list(&sma->pending_alter, semnum, count_zero);
	if (count_zero)
		n += check_qop_list(&sma->pending_const, semnum, count_zero);
	return n;
}

static long get_semotime(const struct sem_array *sma)
{
	long t = 0;

	for (int i = 0; i < sma->sem_nsems; i++)
		if (sma->sems[i].otime > t)
			t = sma->sems[i].otime;
	return t;
}

static void sem_fill_ds(const struct sem_array *sma, struct ipcsim_semid_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ds->sem_perm.key = (uint32_t)sma->sem_perm.key;
	ds->sem_perm.uid = sma->sem_perm.uid;
	ds->sem_perm.gid = sma->sem_perm.gid;
	ds->sem_perm.cuid = sma->sem_perm.cuid;
	ds->sem_perm.cgid = sma->sem_perm.cgid;
	ds->sem_perm.mode = sma->sem_perm.mode;
	ds->sem_perm.seq = sma->sem_perm.seq;
	ds->sem_otime = get_semotime(sma);
	ds->sem_ctime = sma->sem_ctime;
	ds->sem_nsems = (unsigned long)sma->sem_nsems;
}

long sim_sem_stat_idx(const struct sim_kernel *k, int idx, struct ipcsim_semid_ds *ds)
{
	struct sim_perm *perm = idx < 0 ? NULL : sim_ipc_obtain_idx(&k->sem_ids, idx);

	if (!perm)
		return -EINVAL;
	sem_fill_ds(sem_array_of(perm), ds);
	return perm->id;
}

static long semctl_info(struct sim_kernel *k, int cmd, struct ipcsim_seminfo *si)
{
	int max_idx = sim_ipc_get_maxidx(&k->sem_ids);

	if (!si)
		return -EFAULT;
	memset(si, 0, sizeof(*si));
	si->semmni = (int)k->limits.semmni;
	si->semmns = (int)k->limits.semmns;
	si->semmsl = (int)k->limits.semmsl;
	si->semopm = (int)k->limits.semopm;
	si->semvmx = SIM_SEMVMX;
	si->semmnu = 1024000000; /* SEMMNU = SEMMNS */
	si->semmap = 1024000000; /* SEMMAP */
	si->semume = 500;        /* SEMUME = SEMOPM */
	if (cmd == SEM_INFO) {
		si->semusz = k->sem_ids.in_use;
		si->semaem = (int)k->used_sems;
	} else {
		si->semusz = 20; /* SEMUSZ */
		si->semaem = SIM_SEMAEM;
	}
	return max_idx < 0 ? 0 : max_idx;
}

static long semctl_stat(struct sim_kernel *k, struct sim_proc *p, int semid, int cmd,
                        struct ipcsim_semid_ds *ds)
{
	struct sim_perm *perm;

	if (cmd == SEM_STAT || cmd == SEM_STAT_ANY)
		perm = sim_ipc_obtain_idx(&k->sem_ids, semid);
	else
		perm = sim_ipc_obtain_check(&k->sem_ids, semid);
	if (!perm)
		return -EINVAL;
	if (cmd != SEM_STAT_ANY && !sim_ipcperms(perm, p, 0444))
		return -EACCES;
	if (!ds)
		return -EFAULT;
	sem_fill_ds(sem_array_of(perm), ds);
	return cmd == IPC_STAT ? 0 : perm->id;
}

static long semctl_setval(struct sim_kernel *k, struct sim_proc *p, int semid, int semnum, int val)
{
	struct sem_array *sma;

	if (val > SIM_SEMVMX || val < 0)
		return -ERANGE;
	sma = sem_obtain_check(k, semid);
	if (!sma)
		return -EINVAL;
	if (semnum < 0 || semnum >= sma->sem_nsems)
		return -EINVAL;
	if (!sim_ipcperms(&sma->sem_perm, p, 0222))
		return -EACCES;
	for (struct sem_undo *un = sma->undos; un; un = un->next_id) {
		SIM_SAVE(k, un->semadj[semnum]);
		un->semadj[semnum] = 0;
	}
	SIM_SAVE(k, sma->sems[semnum]);
	sma->sems[semnum].semval = val;
	sma->sems[semnum].sempid = p->pid;
	SIM_SAVE(k, sma->sem_ctime);
	sma->sem_ctime = k->now;
	sem_do_smart_update(k, sma, NULL, 0, 0);
	sem_unmerge_queues(k, sma);
	return 0;
}

static long semctl_main(struct sim_kernel *k, struct sim_proc *p, int semid, int semnum, int cmd,
                        const struct sim_semctl_arg *arg)
{
	struct sem_array *sma = sem_obtain_check(k, semid);
	int nsems;

	if (!sma)
		return -EINVAL;
	nsems = sma->sem_nsems;
	if (!sim_ipcperms(&sma->sem_perm, p, cmd == SETALL ? 0222 : 0444))
		return -EACCES;
	if (cmd == GETALL) {
		if (!arg || !arg->array)
			return -EFAULT;
		for (int i = 0; i < nsems; i++)
			arg->array[i] = (unsigned short)sma->sems[i].semval;
		return 0;
	}
	if (cmd == SETALL) {
		if (!arg || !arg->array)
			return -EFAULT;
		for (int i = 0; i < nsems; i++)
			if (arg->array[i] > SIM_SEMVMX)
				return -ERANGE;
		for (int i = 0; i < nsems; i++) {
			SIM_SAVE(k, sma->sems[i]);
			sma->sems[i].semval = arg->array[i];
			sma->sems[i].sempid = p->pid;
		}
		for (struct sem_undo *un = sma->undos; un; un = un->next_id) {
			sim_undo_save(k, un->semadj, sizeof(short) * (size_t)nsems);
			memset(un->semadj, 0, sizeof(short) * (size_t)nsems);
		}
		SIM_SAVE(k, sma->sem_ctime);
		sma->sem_ctime = k->now;
		sem_do_smart_update(k, sma, NULL, 0, 0);
		sem_unmerge_queues(k, sma);
		return 0;
	}
	if (semnum < 0 || semnum >= nsems)
		return -EINVAL;
	switch (cmd) {
	case GETVAL:
		return sma->sems[semnum].semval;
	case GETPID:
		return sma->sems[semnum].sempid;
	case GETNCNT:
		return sem_count_waiters(sma, semnum, false);
	default: /* GETZCNT */
		return sem_count_waiters(sma, semnum, true);
	}
}

/* freeary: undos invalidated, every sleeper fails with EIDRM. */
static void freeary(struct sim_kernel *k, struct sem_array *sma)
{
	SIM_SAVE_OBJ(k, sma);
	while (sma->undos) {
		struct sem_undo *un = sma->undos;

		sma->undos = un->next_id;
		sem_undo_unlink_proc(k, un);
		sem_undo_free(k, un);
	}
	while (sma->pending_const.first) {
		struct sem_queue *q = sma->pending_const.first;

		sem_unlink_queue(k, sma, q);
		sem_wake(k, q, -EIDRM);
	}
	while (sma->pending_alter.first) {
		struct sem_queue *q = sma->pending_alter.first;

		sem_unlink_queue(k, sma, q);
		sem_wake(k, q, -EIDRM);
	}
	for (int i = 0; i < sma->sem_nsems; i++) {
		struct sem *s = &sma->sems[i];

		while (s->pending_const.first) {
			struct sem_queue *q = s->pending_const.first;

			sem_unlink_queue(k, sma, q);
			sem_wake(k, q, -EIDRM);
		}
		while (s->pending_alter.first) {
			struct sem_queue *q = s->pending_alter.first;

			sem_unlink_queue(k, sma, q);
			sem_wake(k, q, -EIDRM);
		}
	}
	sim_ipc_rmid(k, &k->sem_ids, &sma->sem_perm);
	SIM_SAVE(k, k->used_sems);
	k->used_sems -= sma->sem_nsems;
	sim_free(k, sma->sems);
	sim_free(k, sma);
}

static long semctl_down(struct sim_kernel *k, struct sim_proc *p, int semid, int cmd,
                        const struct ipcsim_semid_ds *ds)
{
	struct sem_array *sma = sem_obtain_check(k, semid);
	int err;

	if (!sma)
		return -EINVAL;
	err = sim_ipcctl_owner_check(&sma->sem_perm, p);
	if (err)
		return err;
	if (cmd == IPC_RMID) {
		freeary(k, sma);
		return 0;
	}
	err = sim_ipc_update_perm(k, &sma->sem_perm, ds->sem_perm.uid, ds->sem_perm.gid,
	                          ds->sem_perm.mode);
	if (err)
		return err;
	SIM_SAVE(k, sma->sem_ctime);
	sma->sem_ctime = k->now;
	return 0;
}

long sim_semctl(struct sim_kernel *k, int pid, int semid, int semnum, int cmd,
                const struct sim_semctl_arg *arg)
{
	struct sim_proc *p = sim_proc_find(k, pid);

	if (!p || p->state != SIM_PROC_RUNNING)
		return -ESRCH;
	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return semctl_info(k, cmd, arg ? arg->info : NULL);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return semctl_stat(k, p, semid, cmd, arg ? arg->buf : NULL);
	case GETALL:
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETALL:
		return semctl_main(k, p, semid, semnum, cmd, arg);
	case SETVAL:
		return semctl_setval(k, p, semid, semnum, arg ? arg->val : 0);
	case IPC_SET:
		if (!arg || !arg->buf)
			return -EFAULT;
		return semctl_down(k, p, semid, cmd, arg->buf);
	case IPC_RMID:
		return semctl_down(k, p, semid, cmd, NULL);
	default:
		return -EINVAL;
	}
}

void sem_free_all(struct sim_kernel *k)
{
	struct sim_perm *perm, *tmp;

	SIM_IDS_FOREACH(&k->sem_ids, perm, tmp)
		freeary(k, sem_array_of(perm));
	/* wake-ups of sleepers that no one will read */
	for (struct sim_event ev; sim_event_next(k, &ev);)
		sim_msgbuf_release(&ev.msg);
}
