/*
 * sem_view.c - read-only views of semaphore sets for renderers, and their
 * part of the invariant checker: every sleeper on exactly one list of its
 * set, complex_count recounted, undo lists consistent both ways, values
 * within [0, SEMVMX].
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/kernel_int.h"

int sim_sem_max_idx(const struct sim_kernel *k)
{
	return sim_ipc_get_maxidx(&k->sem_ids);
}

void sim_sem_totals(const struct sim_kernel *k, int *sets, long *sems)
{
	*sets = k->sem_ids.in_use;
	*sems = k->used_sems;
}

static const struct sem_array *array_by_id(const struct sim_kernel *k, int id)
{
	struct sim_perm *perm = sim_ipc_obtain_check(&k->sem_ids, id);

	return perm ? (const struct sem_array *)perm : NULL;
}

int sim_sem_values(const struct sim_kernel *k, int semid,
                   int (*cb)(void *ctx, const struct sim_sem_view *s), void *ctx)
{
	const struct sem_array *sma = array_by_id(k, semid);
	struct sim_sem_view v;
	int rc;

	if (!sma)
		return -EINVAL;
	for (int i = 0; i < sma->sem_nsems; i++) {
		v.semnum = i;
		v.semval = sma->sems[i].semval;
		v.sempid = sma->sems[i].sempid;
		v.otime = sma->sems[i].otime;
		v.ncnt = sem_count_waiters(sma, i, false);
		v.zcnt = sem_count_waiters(sma, i, true);
		rc = cb(ctx, &v);
		if (rc)
			return rc;
	}
	return 0;
}

/* Where q waits: its list and its place there. */
static void waiter_list(const struct sem_array *sma, const struct sem_queue *q,
                        struct sim_sem_waiter_view *v)
{
	v->list_sem = -1;
	v->list_zero = q->list == &sma->pending_const;
	for (int i = 0; i < sma->sem_nsems; i++)
		if (q->list == &sma->sems[i].pending_alter || q->list == &sma->sems[i].pending_const) {
			v->list_sem = i;
			v->list_zero = q->list == &sma->sems[i].pending_const;
		}
	v->list_place = 0;
	for (const struct sem_queue *o = q->list->first; o != NULL && o != q; o = o->next)
		v->list_place++;
}

/* Sleepers in the order their processes were made; each with its list and
 * its place there (the order wake-ups are tried in). */
int sim_sem_waiters(const struct sim_kernel *k, int semid,
                    int (*cb)(void *ctx, const struct sim_sem_waiter_view *w), void *ctx)
{
	struct sim_sem_waiter_view v;
	int rc;

	if (!array_by_id(k, semid))
		return -EINVAL;
	for (const struct sim_proc *p = k->first_created; p; p = p->next_created) {
		const struct sem_queue *q = p->semwait;

		if (!q || q->semid != semid)
			continue;
		waiter_list(array_by_id(k, semid), q, &v);
		v.pid = p->pid;
		v.sops = q->sops;
		v.nsops = q->nsops;
		/* whole seconds, rounded up without overflowing a saturated deadline */
		v.deadline = q->deadline_ns ? (long)(q->deadline_ns / 1000000000 +
		                                     (q->deadline_ns % 1000000000 != 0)) : 0;
		rc = cb(ctx, &v);
		if (rc)
			return rc;
	}
	return 0;
}

int sim_sem_undos(const struct sim_kernel *k, int semid,
                  int (*cb)(void *ctx, const struct sim_sem_undo_view *u), void *ctx)
{
	const struct sem_array *sma = array_by_id(k, semid);
	struct sim_sem_undo_view v;
	int rc;

	if (!sma)
		return -EINVAL;
	for (const struct sim_proc *p = k->first_created; p; p = p->next_created) {
		for (const struct sem_undo *un = p->undos; un; un = un->next_proc) {
			if (un->sma != sma)
				continue;
			for (int i = 0; i < sma->sem_nsems; i++) {
				if (!un->semadj[i])
					continue;
				v.pid = p->pid;
				v.semnum = i;
				v.adj = un->semadj[i];
				rc = cb(ctx, &v);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

static int check_list(const struct sem_array *sma, const struct sem_list *l, int *complex,
                      int *sleepers, char *err, size_t errlen)
{
	const struct sem_queue *prev = NULL;

	for (const struct sem_queue *q = l->first; q; prev = q, q = q->next) {
		if (q->prev != prev || q->list != l)
			FAIL("set %d: broken pending list", sma->sem_perm.id);
		if (q->proc->semwait != q || q->proc->state != SIM_PROC_BLOCKED)
			FAIL("set %d: sleeper %d is not asleep on it", sma->sem_perm.id, q->proc->pid);
		*complex += q->nsops > 1;
		(*sleepers)++;
	}
	if (l->last != prev)
		FAIL("set %d: pending list tail", sma->sem_perm.id);
	return 0;
}

int sem_check(const struct sim_kernel *k, char *err, size_t errlen)
{
	struct sim_perm *perm, *tmp;
	long sems = 0;
	int sleepers = 0, asleep = 0;

	SIM_IDS_FOREACH(&k->sem_ids, perm, tmp) {
		const struct sem_array *sma = (const struct sem_array *)perm;
		int complex = 0;

		if (check_list(sma, &sma->pending_alter, &complex, &sleepers, err, errlen) ||
		    check_list(sma, &sma->pending_const, &complex, &sleepers, err, errlen))
			return -1;
		for (int i = 0; i < sma->sem_nsems; i++) {
			if (sma->sems[i].semval < 0 || sma->sems[i].semval > SIM_SEMVMX)
				FAIL("set %d: semval %d out of range", perm->id, sma->sems[i].semval);
			if (check_list(sma, &sma->sems[i].pending_alter, &complex, &sleepers, err, errlen) ||
			    check_list(sma, &sma->sems[i].pending_const, &complex, &sleepers, err, errlen))
				return -1;
		}
		if (complex != sma->complex_count)
			FAIL("set %d: complex_count %d but %d complex sleepers", perm->id,
			     sma->complex_count, complex);
		for (const struct sem_undo *un = sma->undos; un; un = un->next_id) {
			const struct sem_undo *v = un->proc->undos;

			while (v && v != un)
				v = v->next_proc;
			if (!v || un->semid != perm->id)
				FAIL("set %d: undo of process %d not on its list", perm->id, un->proc->pid);
		}
		sems += sma->sem_nsems;
	}
	if (sems != k->used_sems)
		FAIL("used_sems %ld but sets hold %ld", k->used_sems, sems);
	for (const struct sim_proc *p = k->first_created; p; p = p->next_created)
		asleep += p->semwait != NULL;
	if (asleep != sleepers)
		FAIL("%d processes sleep in semop but %d are on pending lists", asleep, sleepers);
	return 0;
}
