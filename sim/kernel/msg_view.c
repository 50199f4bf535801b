/*
 * msg_view.c - read-only views of the message queues for renderers, and the
 * invariant checker.
 *
 * Views never check permissions and never change anything: they are what
 * /proc/sysvipc/msg and a debugger would show.  The checker recounts every
 * derived number from the structures themselves (Lua's lua_checkmemory):
 * qnum, cbytes, the per-type index, the data area's tiling and use, and
 * that every sleeping process sits on exactly one wait list.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

int sim_msg_max_idx(const struct sim_kernel *k)
{
	return sim_ipc_get_maxidx(&k->msg_ids);
}

long sim_msg_stat_idx(const struct sim_kernel *k, int idx, struct ipcsim_msqid_ds *ds)
{
	struct sim_perm *perm;

	if (idx < 0)
		return -EINVAL;
	perm = sim_ipc_obtain_idx(&k->msg_ids, idx);
	if (!perm)
		return -EINVAL;
	msg_fill_ds(msg_queue_of(perm), ds);
	return perm->id;
}

static const struct msg_queue *queue_by_id(const struct sim_kernel *k, int id)
{
	struct sim_perm *perm = sim_ipc_obtain_check(&k->msg_ids, id);

	return perm ? msg_queue_of(perm) : NULL;
}

int sim_msg_records(const struct sim_kernel *k, int msqid,
                    int (*cb)(void *ctx, const struct sim_msg_record_view *r), void *ctx)
{
	const struct msg_queue *q = queue_by_id(k, msqid);
	struct sim_msg_record_view v;
	int rc;

	if (!q)
		return -EINVAL;
	for (const struct msg_rec *r = q->head; r; r = r->q_next) {
		v.mtype = r->m_type;
		v.size = r->m_ts;
		v.data_unit = r->data_unit;
		v.nunits = r->nunits;
		v.seq = r->seq;
		v.text = r->nunits ? k->area.bytes + (size_t)r->data_unit * k->area.unit : NULL;
		rc = cb(ctx, &v);
		if (rc)
			return rc;
	}
	return 0;
}

int sim_msg_waiters(const struct sim_kernel *k, int msqid,
                    int (*cb)(void *ctx, const struct sim_msg_waiter_view *w), void *ctx)
{
	const struct msg_queue *q = queue_by_id(k, msqid);
	struct sim_msg_waiter_view v;
	int rc;

	if (!q)
		return -EINVAL;
	for (const struct msg_sender *s = q->senders; s; s = s->next) {
		memset(&v, 0, sizeof(v));
		v.pid = s->proc->pid;
		v.role = SIM_WAIT_SEND;
		v.msgtyp = s->mtype;
		v.msgflg = s->msgflg;
		v.msgsz = s->msgsz;
		rc = cb(ctx, &v);
		if (rc)
			return rc;
	}
	for (const struct msg_receiver *r = q->receivers; r; r = r->next) {
		memset(&v, 0, sizeof(v));
		v.pid = r->proc->pid;
		v.role = SIM_WAIT_RECV;
		v.msgtyp = r->asked_msgtyp;
		v.msgflg = r->msgflg;
		v.msgsz = r->bufsz;
		rc = cb(ctx, &v);
		if (rc)
			return rc;
	}
	return 0;
}

static int extent_cmp(const void *a, const void *b)
{
	const struct sim_area_extent_view *x = a, *y = b;

	return x->first_unit < y->first_unit ? -1 : x->first_unit > y->first_unit;
}

int sim_msg_area(const struct sim_kernel *k, struct sim_area_info *info,
                 int (*cb)(void *ctx, const struct sim_area_extent_view *e), void *ctx)
{
	const struct msg_area *a = &k->area;
	struct sim_area_extent_view *used, v;
	struct area_extent *holes;
	struct sim_perm *perm, *tmp;
	size_t nused = 0, u = 0, f = 0, nholes;
	int rc = 0;

	info->unit = a->unit;
	info->nunits = a->nunits;
	info->used_units = a->used_units;
	info->pool_limit = a->limit_units * a->unit;
	if (!cb)
		return 0;
	/* the used extents, from the records, in address order; then merged
	 * with the free map (already in address order) */
	used = calloc(a->nused + 1, sizeof(*used));
	holes = calloc(a->nfree + 1, sizeof(*holes));
	if (!used || !holes) {
		free(used);
		free(holes);
		return -ENOMEM;
	}
	SIM_IDS_FOREACH(&k->msg_ids, perm, tmp) {
		for (const struct msg_rec *r = msg_queue_of(perm)->head; r; r = r->q_next) {
			if (!r->nunits || nused == a->nused)
				continue;
			used[nused].first_unit = (size_t)r->data_unit;
			used[nused].nunits = r->nunits;
			used[nused].used = 1;
			used[nused].msqid = perm->id;
			used[nused].mtype = r->m_type;
			nused++;
		}
	}
	qsort(used, nused, sizeof(*used), extent_cmp);
	nholes = msg_area_holes(a, holes);
	while (rc == 0 && (u < nused || f < nholes)) {
		if (f < nholes && (u == nused || holes[f].start < used[u].first_unit)) {
			memset(&v, 0, sizeof(v));
			v.first_unit = holes[f].start;
			v.nunits = holes[f].len;
			f++;
		} else {
			v = used[u++];
		}
		rc = cb(ctx, &v);
	}
	free(used);
	free(holes);
	return rc;
}

void sim_msg_totals(const struct sim_kernel *k, int *queues, long *messages, long *bytes)
{
	*queues = k->msg_ids.in_use;
	*messages = k->msg_hdrs;
	*bytes = k->msg_bytes;
}

/* ---- invariants ---------------------------------------------------------- */

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)


/* The type table holds exactly the buckets on the sorted list, the parked
 * one (empty) among them. */
static int type_table_check(const struct msg_queue *q)
{
	const struct msg_type_bucket *parked = q->parked_bucket;
	size_t n = 0;
	bool seen_parked = false;

	for (const struct msg_type_bucket *b = q->types_sorted; b; b = b->sorted_next, n++) {
		if (sim_ptab_find(&q->types, msg_bucket_key(b), msg_bucket_key) != b)
			return -1;
		seen_parked |= b == parked;
	}
	if (parked && (!seen_parked || parked->count || parked->head || parked->tail))
		return -1;
	return n == q->types.n ? sim_ptab_check(&q->types, msg_bucket_key) : -1;
}

static int check_queue(const struct sim_kernel *k, const struct msg_queue *q, size_t *units,
                       long *hdrs, long *bytes, char *err, size_t errlen)
{
	unsigned long qnum = 0, cbytes = 0;
	const struct msg_rec *prev = NULL;
	size_t typed = 0;
	int id = q->q_perm.id;

	for (const struct msg_rec *r = q->head; r; prev = r, r = r->q_next) {
		if (r->q_prev != prev)
			FAIL("queue %d: broken back link", id);
		if (r->m_type < 1)
			FAIL("queue %d: record of type %ld", id, r->m_type);
		if (r->nunits != msg_area_units_for(&k->area, r->m_ts))
			FAIL("queue %d: record of %zu bytes holds %zu units", id, r->m_ts, r->nunits);
		if (r->nunits && (r->data_unit < 0 || (size_t)r->data_unit + r->nunits > k->area.nunits))
			FAIL("queue %d: record outside the data area", id);
		qnum++;
		cbytes += r->m_ts;
		*units += r->nunits;
	}
	if (q->tail != prev)
		FAIL("queue %d: tail is not the last record", id);
	if (qnum != q->q_qnum)
		FAIL("queue %d: qnum %lu but %lu records", id, q->q_qnum, qnum);
	if (cbytes != q->q_cbytes)
		FAIL("queue %d: cbytes %lu but records hold %lu", id, q->q_cbytes, cbytes);
	for (const struct msg_type_bucket *b = q->types_sorted; b; b = b->sorted_next) {
		size_t n = 0;

		if (b->sorted_next && b->sorted_next->mtype <= b->mtype)
			FAIL("queue %d: type index out of order", id);
		for (const struct msg_rec *r = b->head; r; r = r->type_next, n++)
			if (r->m_type != b->mtype || r->bucket != b)
				FAIL("queue %d: type %ld in bucket %ld", id, r->m_type, b->mtype);
		if (n != b->count || (n == 0 && b != q->parked_bucket))
			FAIL("queue %d: bucket %ld counts %zu, holds %zu", id, b->mtype, b->count, n);
		typed += n;
	}
	if (typed != qnum)
		FAIL("queue %d: type index holds %zu of %lu records", id, typed, qnum);
	if (type_table_check(q) < 0)
		FAIL("queue %d: the type table does not hold exactly the sorted buckets", id);
	for (const struct msg_sender *s = q->senders; s; s = s->next)
		if (s->proc->state != SIM_PROC_BLOCKED || s->proc->sending != s)
			FAIL("queue %d: sender %d is not asleep on it", id, s->proc->pid);
	for (const struct msg_receiver *r = q->receivers; r; r = r->next)
		if (r->proc->state != SIM_PROC_BLOCKED || r->proc->receiving != r)
			FAIL("queue %d: receiver %d is not asleep on it", id, r->proc->pid);
	*hdrs += (long)qnum;
	*bytes += (long)cbytes;
	return 0;
}

int msg_check(const struct sim_kernel *k, char *err, size_t errlen)
{
	const struct msg_area *a = &k->area;
	struct sim_perm *perm, *tmp;
	size_t units = 0;
	long hdrs = 0, bytes = 0;
	int n = 0;

	SIM_IDS_FOREACH(&k->msg_ids, perm, tmp) {
		if (check_queue(k, msg_queue_of(perm), &units, &hdrs, &bytes, err, errlen))
			return -1;
		n++;
	}
	if (n != k->msg_ids.in_use)
		FAIL("msg ids: in_use %d but %d queues", k->msg_ids.in_use, n);
	if (hdrs != k->msg_hdrs || bytes != k->msg_bytes)
		FAIL("msg totals: %ld/%ld counted, %ld/%ld kept", hdrs, bytes, k->msg_hdrs, k->msg_bytes);
	if (units != a->used_units)
		FAIL("data area: %zu units used by records, %zu accounted", units, a->used_units);
	if (msg_area_check(a, err, errlen))
		return -1;
	for (const struct sim_proc *p = k->first_created; p; p = p->next_created) {
		int waits = !!p->sending + !!p->receiving + !!p->semwait;

		if (p->state == SIM_PROC_BLOCKED && waits != 1)
			FAIL("process %d: blocked but on %d wait lists", p->pid, waits);
		if (p->state != SIM_PROC_BLOCKED && waits)
			FAIL("process %d: not blocked but on a wait list", p->pid);
	}
	return 0;
}
