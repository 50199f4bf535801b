/*
 * sem.c - System V semaphores: semget, semop/semtimedop, semctl, SEM_UNDO.
 *
 * A port of Linux ipc/sem.c (6.1), check order included.  The sleeping
 * operations are kept on the same lists as in Linux, because the lists
 * decide who wakes first:
 *   - a simple (one-op) decrement sleeps on its semaphore's pending_alter,
 *     a simple wait-for-zero on its pending_const;
 *   - a complex (multi-op) operation sleeps on the set's global lists; the
 *     first one merges the per-semaphore pending_alter lists into the global
 *     one (merge_queues), and when no complex one is left the global list
 *     is split back (sem_unmerge_queues, at the end of every operation);
 *   - after a change, sem_do_smart_update wakes wait-for-zero sleepers of the
 *     semaphores that became 0, then scans the alter lists FIFO, running
 *     every sleeper that can now complete (update_queue).
 * A woken operation is performed by the waker, with the sleeper's pid and
 * undo, exactly as Linux does, and reported as a SIM_EV_RESUMED event.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

struct sem_array *sem_array_of(struct sim_perm *perm)
{
	return (struct sem_array *)perm;
}

struct sem_array *sem_obtain_check(struct sim_kernel *k, int id)
{
	struct sim_perm *perm = sim_ipc_obtain_check(&k->sem_ids, id);

	return perm ? sem_array_of(perm) : NULL;
}

/* ---- pending lists ------------------------------------------------------- */

/* The pending lists; every pointer written is saved first (undo.c). */
static void list_add_tail_q(struct sim_kernel *k, struct sem_list *l, struct sem_queue *q)
{
	SIM_SAVE_OBJ(k, q);
	SIM_SAVE_OBJ(k, l);
	q->list = l;
	SIM_LIST_APPEND(k, q, prev, next, l->first, l->last);
}

static void list_del_q(struct sim_kernel *k, struct sem_queue *q)
{
	struct sem_list *l = q->list;

	SIM_SAVE_OBJ(k, q);
	SIM_SAVE_OBJ(k, l);
	SIM_LIST_UNLINK(k, q, prev, next, l->first, l->last);
	q->prev = q->next = NULL;
	q->list = NULL;
}

/* Puts all of `from` at the head of `to` (list_splice_init), order kept. */
static void list_splice_head_q(struct sim_kernel *k, struct sem_list *from, struct sem_list *to)
{
	SIM_SAVE_OBJ(k, to);
	while (from->last) {
		struct sem_queue *q = from->last;

		list_del_q(k, q);
		q->list = to;
		q->prev = NULL;
		q->next = to->first;
		if (to->first) {
			SIM_SAVE(k, to->first->prev);
			to->first->prev = q;
		} else {
			to->last = q;
		}
		to->first = q;
	}
}

void sem_unlink_queue(struct sim_kernel *k, struct sem_array *sma, struct sem_queue *q)
{
	list_del_q(k, q);
	if (q->nsops > 1) {
		SIM_SAVE(k, sma->complex_count);
		sma->complex_count--;
	}
}

/* merge_queues: the first complex sleeper moves simple decrements to the global list */
static void merge_queues(struct sim_kernel *k, struct sem_array *sma)
{
	for (int i = 0; i < sma->sem_nsems; i++)
		list_splice_head_q(k, &sma->sems[i].pending_alter, &sma->pending_alter);
}

/* sem_unmerge_queues: back to per-semaphore lists once no complex op sleeps */
void sem_unmerge_queues(struct sim_kernel *k, struct sem_array *sma)
{
	if (sma->complex_count)
		return;
	while (sma->pending_alter.first) {
		struct sem_queue *q = sma->pending_alter.first;

		list_del_q(k, q);
		list_add_tail_q(k, &sma->sems[q->sops[0].sem_num].pending_alter, q);
	}
}

static void sem_queue_free(struct sim_kernel *k, struct sem_queue *q)
{
	if (q) {
		sim_free(k, q->sops);
		sim_free(k, q);
	}
}

/* wake_up_sem_queue_prepare: the sleeper's call returns `error`. */
void sem_wake(struct sim_kernel *k, struct sem_queue *q, int error)
{
	struct sim_event ev;
	struct sim_proc *p = q->proc;

	SIM_SAVE_OBJ(k, p);
	p->state = SIM_PROC_RUNNING;
	p->semwait = NULL;
	memset(&ev, 0, sizeof(ev));
	ev.kind = SIM_EV_RESUMED;
	ev.pid = p->pid;
	ev.call = q->call;
	ev.ret = error;
	sim_event_push(k, &ev);
	sem_queue_free(k, q);
}

/* ---- perform_atomic_semop (the slow path: exact for every case) --------- */

/*
 * Tries q's operations in array order against the current values: 0 done
 * (values, semadj and sempid updated), 1 would block (q->blocking set),
 * -EAGAIN when the blocking op has IPC_NOWAIT, -ERANGE.  All or nothing.
 */
static int perform_atomic_semop(struct sim_kernel *k, struct sem_array *sma, struct sem_queue *q,
                                int pid)
{
	struct sem_undo *un = q->undo;
	size_t i;
	int result;

	for (i = 0; i < q->nsops; i++) {
		const struct ipcsim_sembuf *sop = &q->sops[i];
		struct sem *curr = &sma->sems[sop->sem_num];

		result = curr->semval;
		if (!sop->sem_op && result)
			goto would_block;
		result += sop->sem_op;
		if (result < 0)
			goto would_block;
		if (result > SIM_SEMVMX)
			goto out_of_range;
		if (sop->sem_flg & SEM_UNDO) {
			int undo = un->semadj[sop->sem_num] - sop->sem_op;

			if (undo < -SIM_SEMAEM - 1 || undo > SIM_SEMAEM)
				goto out_of_range;
			SIM_SAVE(k, un->semadj[sop->sem_num]);
			un->semadj[sop->sem_num] = (short)undo;
		}
		SIM_SAVE(k, curr->semval);
		curr->semval = result;
	}
	for (i = 0; i < q->nsops; i++) {
		SIM_SAVE(k, sma->sems[q->sops[i].sem_num].sempid);
		sma->sems[q->sops[i].sem_num].sempid = pid;
	}
	return 0;
out_of_range:
	result = -ERANGE;
	goto undo;
would_block:
	SIM_SAVE(k, q->blocking);
	q->blocking = i;
	result = (q->sops[i].sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
undo:
	while (i-- > 0) {
		const struct ipcsim_sembuf *sop = &q->sops[i];

		sma->sems[sop->sem_num].semval -= sop->sem_op;
		if (sop->sem_flg & SEM_UNDO)
			un->semadj[sop->sem_num] += sop->sem_op;
	}
	return result;
}

/* ---- wake-up (sem_do_smart_update and friends) -------------------------------- */

static void set_semotime(struct sim_kernel *k, struct sem_array *sma,
                         const struct ipcsim_sembuf *sops)
{
	SIM_SAVE(k, sma->sems[sops ? sops[0].sem_num : 0].otime);
	sma->sems[sops ? sops[0].sem_num : 0].otime = k->now;
}

/* wake_const_ops: every wait-for-zero sleeper of list l that can complete now */
static int wake_const_ops(struct sim_kernel *k, struct sem_array *sma, struct sem_list *l)
{
	struct sem_queue *q, *next;
	int completed = 0, error;

	for (q = l->first; q; q = next) {
		next = q->next;
		error = perform_atomic_semop(k, sma, q, q->proc->pid);
		if (error > 0)
			continue;
		sem_unlink_queue(k, sma, q);
		if (error == 0)
			completed = 1;
		sem_wake(k, q, error);
	}
	return completed;
}

static int do_smart_wakeup_zero(struct sim_kernel *k, struct sem_array *sma,
                                const struct ipcsim_sembuf *sops, size_t nsops)
{
	int completed = 0, got_zero = 0;

	if (sops) {
		for (size_t i = 0; i < nsops; i++) {
			int num = sops[i].sem_num;

			if (sma->sems[num].semval == 0) {
				got_zero = 1;
				completed |= wake_const_ops(k, sma, &sma->sems[num].pending_const);
			}
		}
	} else {
		for (int i = 0; i < sma->sem_nsems; i++) {
			if (sma->sems[i].semval == 0) {
				got_zero = 1;
				completed |= wake_const_ops(k, sma, &sma->sems[i].pending_const);
			}
		}
	}
	if (got_zero)
		completed |= wake_const_ops(k, sma, &sma->pending_const);
	return completed;
}

/* update_queue: semnum -1 scans the global list */
static int update_queue(struct sim_kernel *k, struct sem_array *sma, int semnum)
{
	struct sem_list *l = semnum == -1 ? &sma->pending_alter : &sma->sems[semnum].pending_alter;
	struct sem_queue *q, *next;
	int completed = 0, error, restart;

again:
	for (q = l->first; q; q = next) {
		next = q->next;
		/* a simple decrement cannot succeed on a semaphore that is 0 */
		if (semnum != -1 && sma->sems[semnum].semval == 0)
			break;
		error = perform_atomic_semop(k, sma, q, q->proc->pid);
		if (error > 0)
			continue;
		sem_unlink_queue(k, sma, q);
		restart = 0;
		if (error == 0) {
			completed = 1;
			/* the zero-waiters it releases are woken before it (wake_q order) */
			do_smart_wakeup_zero(k, sma, q->sops, q->nsops);
			/* check_restart */
			restart = sma->pending_alter.first != NULL || q->nsops > 1;
		}
		sem_wake(k, q, error);
		if (restart)
			goto again;
	}
	return completed;
}

void sem_do_smart_update(struct sim_kernel *k, struct sem_array *sma,
                            const struct ipcsim_sembuf *sops, size_t nsops, int otime)
{
	otime |= do_smart_wakeup_zero(k, sma, sops, nsops);
	if (sma->pending_alter.first) {
		otime |= update_queue(k, sma, -1);
	} else if (!sops) {
		for (int i = 0; i < sma->sem_nsems; i++)
			otime |= update_queue(k, sma, i);
	} else {
		for (size_t i = 0; i < nsops; i++)
			if (sops[i].sem_op > 0)
				otime |= update_queue(k, sma, sops[i].sem_num);
	}
	if (otime)
		set_semotime(k, sma, sops);
}

/* ---- semget (ksys_semget, newary, sem_more_checks) ----------------------- */

static long newary(struct sim_kernel *k, struct sim_proc *p, int key, int semflg, void *params)
{
	int nsems = *(const int *)params;
	struct sem_array *sma;
	int idx;

	if (!nsems)
		return -EINVAL;
	if (k->used_sems + nsems > k->limits.semmns)
		return -ENOSPC;
	sma = sim_alloc(k, sizeof(*sma));
	if (!sma)
		return -ENOMEM;
	sma->sems = sim_alloc(k, sizeof(*sma->sems) * (size_t)nsems);
	if (!sma->sems) {
		sim_free(k, sma);
		return -ENOMEM;
	}
	sma->sem_perm.key = key;
	sma->sem_perm.mode = (unsigned)semflg & 0777;
	sma->sem_nsems = nsems;
	sma->sem_ctime = k->now;
	idx = sim_ipc_addid(k, &k->sem_ids, &sma->sem_perm, k->limits.semmni, p);
	if (idx < 0) {
		sim_free(k, sma->sems);
		sim_free(k, sma);
		return idx;
	}
	SIM_SAVE(k, k->used_sems);
	k->used_sems += nsems;
	return sma->sem_perm.id;
}

static int sem_more_checks(struct sim_perm *perm, void *params)
{
	return *(const int *)params > sem_array_of(perm)->sem_nsems ? -EINVAL : 0;
}

static const struct sim_ipc_ops sem_ops = { .getnew = newary, .more_checks = sem_more_checks };

long sim_semget(struct sim_kernel *k, int pid, long key, int nsems, int semflg)
{
	struct sim_proc *p = sim_proc_find(k, pid);

	if (!p || p->state != SIM_PROC_RUNNING)
		return -ESRCH;
	if (nsems < 0 || nsems > k->limits.semmsl)
		return -EINVAL;
	return sim_ipcget(k, p, &k->sem_ids, &sem_ops, (int)(uint32_t)key, semflg, &nsems);
}

/* ---- SEM_UNDO (find_alloc_undo, freeary's part, exit_sem) ----------------- */

static struct sem_undo *lookup_undo(struct sim_proc *p, int semid)
{
	for (struct sem_undo *un = p->undos; un; un = un->next_proc)
		if (un->semid == semid)
			return un;
	return NULL;
}

/* find_alloc_undo: the caller's undo for semid, made on first use: -EINVAL, -ENOMEM */
static struct sem_undo *find_alloc_undo(struct sim_kernel *k, struct sim_proc *p, int semid,
                                        int *err)
{
	struct sem_undo *un = lookup_undo(p, semid);
	struct sem_array *sma;

	if (un)
		return un;
	sma = sem_obtain_check(k, semid);
	if (!sma) {
		*err = -EINVAL;
		return NULL;
	}
	un = sim_alloc(k, sizeof(*un));
	if (un)
		un->semadj = sim_alloc(k, sizeof(short) * (size_t)sma->sem_nsems);
	if (!un || !un->semadj) {
		sim_free(k, un);
		*err = -ENOMEM;
		return NULL;
	}
	un->semid = semid;
	un->sma = sma;
	un->proc = p;
	un->next_proc = p->undos; /* list_add: newest first */
	SIM_SAVE(k, p->undos);
	p->undos = un;
	un->next_id = sma->undos;
	SIM_SAVE(k, sma->undos);
	sma->undos = un;
	return un;
}

void sem_undo_unlink_proc(struct sim_kernel *k, struct sem_undo *un)
{
	struct sem_undo **pp = &un->proc->undos;

	while (*pp != un)
		pp = &(*pp)->next_proc;
	SIM_SAVE(k, *pp);
	*pp = un->next_proc;
}

static void undo_unlink_id(struct sim_kernel *k, struct sem_undo *un)
{
	struct sem_undo **pp = &un->sma->undos;

	while (*pp != un)
		pp = &(*pp)->next_id;
	SIM_SAVE(k, *pp);
	*pp = un->next_id;
}

void sem_undo_free(struct sim_kernel *k, struct sem_undo *un)
{
	sim_free(k, un->semadj);
	sim_free(k, un);
}

/* exit_sem: newest undo first; adjust, clamp to [0, SEMVMX], wake, set otime. */
void sem_exit(struct sim_kernel *k, struct sim_proc *p)
{
	while (p->undos) {
		struct sem_undo *un = p->undos;
		struct sem_array *sma = un->sma;

		SIM_SAVE(k, p->undos);
		p->undos = un->next_proc;
		undo_unlink_id(k, un);
		for (int i = 0; i < sma->sem_nsems; i++) {
			struct sem *s = &sma->sems[i];

			if (!un->semadj[i])
				continue;
			SIM_SAVE_OBJ(k, s);
			s->semval += un->semadj[i];
			if (s->semval < 0)
				s->semval = 0;
			if (s->semval > SIM_SEMVMX)
				s->semval = SIM_SEMVMX;
			s->sempid = p->pid;
		}
		sem_undo_free(k, un);
		sem_do_smart_update(k, sma, NULL, 0, 1);
		sem_unmerge_queues(k, sma);
	}
}

/* ---- semop / semtimedop (do_semtimedop, __do_semtimedop) ----------------- */

static void sleep_on(struct sim_kernel *k, struct sem_array *sma, struct sem_queue *q)
{
	const struct ipcsim_sembuf *sop = &q->sops[0];

	if (q->nsops == 1) {
		struct sem *curr = &sma->sems[sop->sem_num];

		if (q->alter)
			list_add_tail_q(k, sma->complex_count ? &sma->pending_alter : &curr->pending_alter,
			                q);
		else
			list_add_tail_q(k, &curr->pending_const, q);
	} else {
		if (!sma->complex_count)
			merge_queues(k, sma);
		list_add_tail_q(k, q->alter ? &sma->pending_alter : &sma->pending_const, q);
		SIM_SAVE(k, sma->complex_count);
		sma->complex_count++;
	}
}
/* now + timeout in nanoseconds, saturated at LLONG_MAX (never comes) as
 * Linux's timespec64_to_ktime() and ktime_add_safe() saturate at
 * KTIME_MAX.  timeout was checked: tv_sec >= 0, 0 <= tv_nsec < 1e9. */
static long long sem_deadline_ns(long now, const long *timeout)
{
	long long now_ns = (long long)now * 1000000000LL;
	long long room = LLONG_MAX - now_ns - timeout[1];

	if (timeout[0] >= room / 1000000000LL)
		return LLONG_MAX;
	return now_ns + timeout[0] * 1000000000LL + timeout[1];
}


static long do_semtimedop(struct sim_kernel *k, int pid, int semid,
                          const struct ipcsim_sembuf *sops, size_t nsops, const long *timeout,
                          const char *call)
{
	struct sim_proc *p = sim_proc_find(k, pid);
	struct sem_queue *q;
	struct sem_array *sma;
	bool undos = false, alter = false;
	unsigned max = 0;
	int err = 0;
	long rc;

	if (!p || p->state != SIM_PROC_RUNNING || pid == 0)
		return -ESRCH;
	if (nsops > (size_t)(unsigned)k->limits.semopm && nsops > 0)
		return -E2BIG;
	if (nsops < 1)
		return -EINVAL;
	if (!sops)
		return -EFAULT;
	if (semid < 0)
		return -EINVAL;
	if (timeout && (timeout[0] < 0 || timeout[1] < 0 || timeout[1] >= 1000000000L))
		return -EINVAL;
	for (size_t i = 0; i < nsops; i++) {
		if (sops[i].sem_num >= max)
			max = sops[i].sem_num;
		undos |= (sops[i].sem_flg & SEM_UNDO) != 0;
		alter |= sops[i].sem_op != 0;
	}
	q = sim_alloc(k, sizeof(*q));
	if (q)
		q->sops = sim_alloc(k, sizeof(*sops) * nsops);
	if (!q || !q->sops) {
		sem_queue_free(k, q);
		return -ENOMEM;
	}
	memcpy(q->sops, sops, sizeof(*sops) * nsops);
	q->nsops = nsops;
	q->proc = p;
	q->alter = alter;
	q->call = call;
	q->semid = semid;
	if (undos) {
		q->undo = find_alloc_undo(k, p, semid, &err);
		if (!q->undo) {
			rc = err;
			goto out_free;
		}
	}
	sma = sem_obtain_check(k, semid);
	if (!sma) {
		rc = sim_why_no_id(k, p->pid, semid, "semaphore set");
		goto out_free;
	}
	if (max >= (unsigned)sma->sem_nsems) {
		rc = -EFBIG;
		goto out_free;
	}
	if (!sim_ipcperms(&sma->sem_perm, p, alter ? 0222 : 0444)) {
		rc = sim_why_perm(k, &sma->sem_perm, p, alter ? 0222 : 0444);
		goto out_free;
	}
	rc = perform_atomic_semop(k, sma, q, p->pid);
	if (rc == 0) {
		if (alter)
			sem_do_smart_update(k, sma, q->sops, nsops, 1);
		else
			set_semotime(k, sma, q->sops);
		goto out_unmerge;
	}
	if (rc < 0) {
		if (rc == -EAGAIN)
			sim_why(k, p->pid, rc, "EAGAIN.semop", "the operation would wait (a value "
			        "would go below 0, or a wait-for-zero finds it nonzero), and IPC_NOWAIT "
			        "says not to");
		goto out_unmerge;
	}
	/* would sleep; a zero timeout expires at once */
	if (timeout && timeout[0] == 0 && timeout[1] == 0) {
		rc = -EAGAIN;
		goto out_unmerge;
	}
	if (timeout)
		q->deadline_ns = sem_deadline_ns(k->now, timeout);
	SIM_SAVE(k, k->sem_sleep_seq);
	q->seq = ++k->sem_sleep_seq;
	sleep_on(k, sma, q);
	SIM_SAVE_OBJ(k, p);
	p->semwait = q;
	p->state = SIM_PROC_BLOCKED;
	p->blocked_id = semid;
	return sim_why(k, p->pid, SIM_BLOCKED, "SLEEP.semop", "the operation cannot proceed (a "
	               "value would go below 0, or a wait-for-zero finds it nonzero): the caller "
	               "sleeps until another semop, SETVAL or exit changes the set");
out_unmerge:
	sem_unmerge_queues(k, sma);
out_free:
	sem_queue_free(k, q);
	return rc;
}

long sim_semop(struct sim_kernel *k, int pid, int semid, const struct ipcsim_sembuf *sops,
               size_t nsops)
{
	return do_semtimedop(k, pid, semid, sops, nsops, NULL, "semop");
}

long sim_semtimedop(struct sim_kernel *k, int pid, int semid, const struct ipcsim_sembuf *sops,
                    size_t nsops, const long timeout[2])
{
	return do_semtimedop(k, pid, semid, sops, nsops, timeout, "semtimedop");
}

/* A sleeper is interrupted, dies, or times out: off its list. */
void sem_kill_waiter(struct sim_kernel *k, struct sim_proc *p)
{
	struct sem_queue *q = p->semwait;
	struct sem_array *sma = sem_obtain_check(k, q->semid);

	if (sma) {
		sem_unlink_queue(k, sma, q);
		sem_unmerge_queues(k, sma);
	}
	SIM_SAVE(k, p->semwait);
	p->semwait = NULL;
	sem_queue_free(k, q);
}

static int sleeper_cmp(const void *a, const void *b)
{
	const struct sem_queue *x = *(struct sem_queue *const *)a, *y = *(struct sem_queue *const *)b;

	if (x->deadline_ns != y->deadline_ns)
		return x->deadline_ns < y->deadline_ns ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static size_t collect_expired(struct sem_list *l, long long now_ns, struct sem_queue **out, size_t n)
{
	for (struct sem_queue *q = l->first; q; q = q->next)
		if (q->deadline_ns && q->deadline_ns <= now_ns)
			out[n++] = q;
	return n;
}

/* The clock moved: timed sleepers whose deadline passed fail with EAGAIN,
 * earliest deadline first. */
void sem_clock_advanced(struct sim_kernel *k)
{
	long long now_ns = (long long)k->now * 1000000000LL;
	struct sem_queue **expired;
	struct sim_perm *perm, *tmp;
	size_t n = 0, cap = 0;

	for (const struct sim_proc *p = k->first_created; p; p = p->next_created)
		cap += p->semwait && p->semwait->deadline_ns;
	if (!cap)
		return;
	expired = malloc(cap * sizeof(*expired));
	if (!expired)
		abort(); /* a timeout that happened must be reported */
	SIM_IDS_FOREACH(&k->sem_ids, perm, tmp) {
		struct sem_array *sma = sem_array_of(perm);

		n = collect_expired(&sma->pending_alter, now_ns, expired, n);
		n = collect_expired(&sma->pending_const, now_ns, expired, n);
		for (int i = 0; i < sma->sem_nsems; i++) {
			n = collect_expired(&sma->sems[i].pending_alter, now_ns, expired, n);
			n = collect_expired(&sma->sems[i].pending_const, now_ns, expired, n);
		}
	}
	qsort(expired, n, sizeof(*expired), sleeper_cmp);
	for (size_t i = 0; i < n; i++) {
		struct sem_queue *q = expired[i];
		struct sem_array *sma = sem_obtain_check(k, q->semid);

		sem_unlink_queue(k, sma, q);
		sem_unmerge_queues(k, sma);
		sem_wake(k, q, -EAGAIN);
	}
	free(expired);
}
