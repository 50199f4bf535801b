/*
 * undo_check.c - every byte of kernel state, for the tests of the undo log:
 * the state reachable from the kernel, object by object, raw (pointers
 * included), so that "after a rewind the kernel is exactly as it was at the
 * mark" is one memcmp.  Only what the undo log promises to restore is in
 * it: not the events, the allocation fault injection, the last failure's
 * text or the log itself.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

struct dump {
	struct bytebuf bytes;
	int oom;
};

static void put(struct dump *d, const void *p, size_t n)
{
	if (!d->oom && bytebuf_put(&d->bytes, p, n) < 0)
		d->oom = 1;
}

#define PUT_OBJ(d, p) put((d), (p), sizeof(*(p)))

static void put_ptab(struct dump *d, const struct sim_ptab *t)
{
	PUT_OBJ(d, t);
	put(d, t->slot, t->cap * sizeof(*t->slot));
}

static void put_queue(struct dump *d, const struct sim_kernel *k, const struct msg_queue *q)
{
	PUT_OBJ(d, q);
	for (const struct msg_rec *r = q->head; r; r = r->q_next) {
		PUT_OBJ(d, r);
		if (r->nunits)
			put(d, k->area.bytes + (size_t)r->data_unit * k->area.unit, r->m_ts);
	}
	put_ptab(d, &q->types);
	for (const struct msg_type_bucket *b = q->types_sorted; b; b = b->sorted_next)
		PUT_OBJ(d, b);
	if (q->spare_bucket)
		PUT_OBJ(d, q->spare_bucket);
	if (q->parked_bucket)
		PUT_OBJ(d, q->parked_bucket);
	for (const struct msg_sender *s = q->senders; s; s = s->next) {
		PUT_OBJ(d, s);
		put(d, s->text, s->msgsz);
	}
	for (const struct msg_receiver *r = q->receivers; r; r = r->next)
		PUT_OBJ(d, r);
}

static void put_segment(struct dump *d, const struct shm_segment *seg)
{
	PUT_OBJ(d, seg);
	put_ptab(d, &seg->pages);
	for (size_t i = 0; i < seg->pages.cap; i++) {
		const struct shm_page *pg = seg->pages.slot[i];

		if (pg) {
			PUT_OBJ(d, pg);
			put(d, pg->bytes, SIM_PAGE_SIZE);
			put(d, pg->cells, SIM_PAGE_SIZE / SIM_MEM_CELL * sizeof(uint32_t));
		}
	}
}

static void put_sem_list(struct dump *d, const struct sem_list *l)
{
	PUT_OBJ(d, l);
	for (const struct sem_queue *q = l->first; q; q = q->next) {
		PUT_OBJ(d, q);
		put(d, q->sops, q->nsops * sizeof(*q->sops));
	}
}

static void put_set(struct dump *d, const struct sem_array *sma)
{
	PUT_OBJ(d, sma);
	put(d, sma->sems, (size_t)sma->sem_nsems * sizeof(*sma->sems));
	put_sem_list(d, &sma->pending_alter);
	put_sem_list(d, &sma->pending_const);
	for (int i = 0; i < sma->sem_nsems; i++) {
		put_sem_list(d, &sma->sems[i].pending_alter);
		put_sem_list(d, &sma->sems[i].pending_const);
	}
	for (const struct sem_undo *un = sma->undos; un; un = un->next_id) {
		PUT_OBJ(d, un);
		put(d, un->semadj, (size_t)sma->sem_nsems * sizeof(short));
	}
}

static void put_ids(struct dump *d, const struct sim_ipc_ids *ids)
{
	PUT_OBJ(d, ids);
	put(d, ids->slot, (size_t)ids->nslots * sizeof(*ids->slot));
	put(d, sim_ipc_used(ids), (size_t)ids->nslots / 64 * sizeof(long));
	put(d, ids->by_key.slot, ids->by_key.cap * sizeof(*ids->by_key.slot));
}

unsigned char *sim_kernel_state_bytes(const struct sim_kernel *k, size_t *len)
{
	struct dump d = { 0 };
	struct sim_kernel top = *k;
	struct sim_perm *perm, *tmp;

	/* what a rewind does not restore */
	memset(top.failure, 0, sizeof(top.failure));
	top.why_serial = 0; /* the last call's reason (why.c), like failure */
	top.why_pid = 0;
	top.why_result = 0;
	memset(top.why_code, 0, sizeof(top.why_code));
	memset(top.why, 0, sizeof(top.why));
	top.fail_alloc_countdown = 0;
	memset(&top.undo, 0, sizeof(top.undo));
	top.ev_head = top.ev_tail = NULL;
	PUT_OBJ(&d, &top);
	put(&d, k->procs, (size_t)(k->next_pid - SIM_FIRST_PID) * sizeof(*k->procs));
	for (const struct sim_proc *p = k->first_created; p; p = p->next_created) {
		PUT_OBJ(&d, p);
		if (p->aspace) {
			PUT_OBJ(&d, p->aspace);
			for (const struct sim_attach *a = p->aspace->head; a; a = a->next)
				PUT_OBJ(&d, a);
		}
		for (const struct sem_undo *un = p->undos; un; un = un->next_proc)
			PUT_OBJ(&d, un);
	}
	put_ids(&d, &k->msg_ids);
	SIM_IDS_FOREACH((struct sim_ipc_ids *)&k->msg_ids, perm, tmp)
		put_queue(&d, k, msg_queue_of(perm));
	put_ids(&d, &k->shm_ids);
	SIM_IDS_FOREACH((struct sim_ipc_ids *)&k->shm_ids, perm, tmp)
		put_segment(&d, shm_segment_of(perm));
	put_ids(&d, &k->sem_ids);
	SIM_IDS_FOREACH((struct sim_ipc_ids *)&k->sem_ids, perm, tmp)
		put_set(&d, sem_array_of(perm));
	put(&d, k->area.node, k->area.capnodes * sizeof(*k->area.node));
	for (const struct sim_memlock *m = k->memlocks; m; m = m->next)
		PUT_OBJ(&d, m);
	for (const struct sim_file *f = k->files; f; f = f->next) {
		PUT_OBJ(&d, f);
		put(&d, f->path, strlen(f->path));
	}
	if (d.oom) {
		bytebuf_free(&d.bytes);
		return NULL;
	}
	*len = d.bytes.len;
	return (unsigned char *)d.bytes.b;
}
