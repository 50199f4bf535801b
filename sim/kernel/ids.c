/*
 * ids.c - ids, keys, permissions and the one `get` path shared by msg, shm
 * and sem.  A port of Linux ipc/util.c.
 *
 * Ids: id = (seq << 15) + idx.  The idx is allocated cyclically
 * (idr_alloc_cyclic over [0, max(in_use*3/2, 64)) capped at IPCMNI): the
 * next idx is the first free one after the last allocated, wrapping to the
 * lowest free one; seq advances each time the allocation wraps
 * (idx <= last_idx).  Occupancy is a bitmap; the objects are in an array
 * by idx (the idr's lookup: a call finds its object in O(1)), on a list in
 * creation order (how they are listed), and (unless IPC_PRIVATE) in a
 * table by key.  Every change is logged for the undo log (undo.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

void sim_ipc_init_ids(struct sim_ipc_ids *ids)
{
	memset(ids, 0, sizeof(*ids));
	ids->last_idx = -1;
	ids->max_idx = -1;
}

void sim_ipc_destroy_ids(struct sim_ipc_ids *ids)
{
	free(ids->slot);
	ids->slot = NULL;
	ids->nslots = 0;
	sim_ptab_destroy(&ids->by_key);
}

static unsigned long long perm_key(const void *item)
{
	return (unsigned)((const struct sim_perm *)item)->key;
}

/* Bytes of the slot array and its bitmap for nslots (a multiple of 64). */
static size_t slots_bytes(int nslots)
{
	return (size_t)nslots * sizeof(struct sim_perm *) + (size_t)nslots / 64 * sizeof(long);
}

/* Room in the slot array and the bitmap for any idx below max_idx: 0 or
 * -ENOMEM (nothing changed). */
static int slots_reserve(struct sim_kernel *k, struct sim_ipc_ids *ids, int max_idx)
{
	struct sim_perm **grown;
	unsigned long *used;
	int n = ids->nslots ? ids->nslots : SIM_IPC_MIN_CYCLE;

	if (max_idx <= ids->nslots)
		return 0;
	while (n < max_idx)
		n *= 2;
	if (n > SIM_IPCMNI)
		n = SIM_IPCMNI;
	grown = sim_realloc(k, ids->slot, slots_bytes(ids->nslots), slots_bytes(n));
	if (!grown)
		return -ENOMEM;
	/* the bitmap moves to after the longer array; the new words are zero */
	used = (unsigned long *)(grown + n);
	memmove(used, grown + ids->nslots, (size_t)ids->nslots / 64 * sizeof(*used));
	memset(used + ids->nslots / 64, 0, (size_t)(n - ids->nslots) / 64 * sizeof(*used));
	memset(grown + ids->nslots, 0, (size_t)(n - ids->nslots) * sizeof(*grown));
	SIM_SAVE(k, ids->slot);
	SIM_SAVE(k, ids->nslots);
	ids->slot = grown;
	ids->nslots = n;
	return 0;
}

static bool idx_used(const struct sim_ipc_ids *ids, unsigned idx)
{
	return sim_ipc_used(ids)[idx / 64] >> (idx % 64) & 1;
}

/* Lowest free idx in [from, max]; -1 if none (idr_alloc_u32). */
static int idx_find_free(const struct sim_ipc_ids *ids, unsigned from, unsigned max)
{
	for (unsigned w = from / 64; w <= max / 64; w++) {
		unsigned long freebits = ~sim_ipc_used(ids)[w];

		if (w == from / 64)
			freebits &= ~0UL << (from % 64);
		if (freebits) {
			unsigned idx = w * 64 + (unsigned)__builtin_ctzl(freebits);
			return idx <= max ? (int)idx : -1;
		}
	}
	return -1;
}

/* ipc_idr_alloc + idr_alloc_cyclic (the caller saved ids' counters) */
static int ipc_idr_alloc(struct sim_ipc_ids *ids)
{
	int max_idx = ids->in_use * 3 / 2;
	unsigned start;
	int idx;

	if (max_idx < SIM_IPC_MIN_CYCLE)
		max_idx = SIM_IPC_MIN_CYCLE;
	if (max_idx > SIM_IPCMNI)
		max_idx = SIM_IPCMNI;
	start = ids->next_cyclic;
	idx = start <= (unsigned)(max_idx - 1) ? idx_find_free(ids, start, (unsigned)max_idx - 1) : -1;
	if (idx < 0 && start > 0)
		idx = idx_find_free(ids, 0, (unsigned)max_idx - 1);
	if (idx < 0)
		return -ENOSPC;
	ids->next_cyclic = (unsigned)idx + 1;
	if (idx <= ids->last_idx) {
		ids->seq++;
		if (ids->seq >= SIM_SEQ_MAX)
			ids->seq = 0;
	}
	ids->last_idx = idx;
	return idx;
}

/*
 * ipc_addid: enters perm, fills uid/cuid/gid/cgid from the creator.
 * Returns the idx, or -ENOSPC when `limit` objects exist already.
 */
/* The counters of ids that allocation and removal change, for the undo log. */
static void ids_save_counters(struct sim_kernel *k, struct sim_ipc_ids *ids)
{
	SIM_SAVE(k, ids->in_use);
	SIM_SAVE(k, ids->seq);
	SIM_SAVE(k, ids->last_idx);
	SIM_SAVE(k, ids->max_idx);
	SIM_SAVE(k, ids->next_cyclic);
	SIM_SAVE(k, ids->first);
	SIM_SAVE(k, ids->last);
}

int sim_ipc_addid(struct sim_kernel *k, struct sim_ipc_ids *ids, struct sim_perm *perm,
                  long long limit, const struct sim_proc *p)
{
	int idx;

	if (limit > SIM_IPCMNI)
		limit = SIM_IPCMNI;
	if (ids->in_use >= limit)
		return -ENOSPC;
	/* the idr never hands out an idx past max(in_use * 3 / 2, 64) */
	if (slots_reserve(k, ids, ids->in_use * 3 / 2 + SIM_IPC_MIN_CYCLE + 1) < 0)
		return -ENOMEM;
	if (perm->key != IPC_PRIVATE && sim_ptab_reserve(k, &ids->by_key, perm_key) < 0)
		return -ENOMEM;
	ids_save_counters(k, ids);
	idx = ipc_idr_alloc(ids);
	if (idx < 0)
		return idx;
	SIM_SAVE_OBJ(k, perm);
	perm->uid = perm->cuid = p->uid;
	perm->gid = perm->cgid = p->gid;
	perm->deleted = false;
	perm->seq = ids->seq;
	perm->idx = idx;
	perm->id = (int)((ids->seq << SIM_IPCMNI_SHIFT) + (unsigned)idx);
	SIM_SAVE(k, sim_ipc_used(ids)[idx / 64]);
	sim_ipc_used(ids)[idx / 64] |= 1UL << (idx % 64);
	SIM_SAVE(k, ids->slot[idx]);
	ids->slot[idx] = perm;
	SIM_LIST_APPEND(k, perm, idx_prev, idx_next, ids->first, ids->last);
	if (perm->key != IPC_PRIVATE)
		sim_ptab_insert(k, &ids->by_key, perm, perm_key);
	ids->in_use++;
	if (idx > ids->max_idx)
		ids->max_idx = idx;
	return idx;
}

/* ipc_rmid: unhash and free the idx; the caller frees the object. */
void sim_ipc_rmid(struct sim_kernel *k, struct sim_ipc_ids *ids, struct sim_perm *perm)
{
	int idx = perm->idx;

	ids_save_counters(k, ids);
	SIM_SAVE_OBJ(k, perm);
	SIM_LIST_UNLINK(k, perm, idx_prev, idx_next, ids->first, ids->last);
	if (perm->key != IPC_PRIVATE)
		sim_ptab_remove(k, &ids->by_key, perm, perm_key);
	SIM_SAVE(k, ids->slot[idx]);
	ids->slot[idx] = NULL;
	SIM_SAVE(k, sim_ipc_used(ids)[idx / 64]);
	sim_ipc_used(ids)[idx / 64] &= ~(1UL << (idx % 64));
	ids->in_use--;
	perm->deleted = true;
	if (idx == ids->max_idx) {
		do {
			ids->max_idx--;
			if (ids->max_idx == -1)
				break;
		} while (!idx_used(ids, (unsigned)ids->max_idx));
	}
}

struct sim_perm *sim_ipc_findkey(struct sim_ipc_ids *ids, int key)
{
	return sim_ptab_find(&ids->by_key, (unsigned)key, perm_key);
}

/* ipc_set_key_private: the object can no longer be found by its key. */
void sim_ipc_set_key_private(struct sim_kernel *k, struct sim_ipc_ids *ids, struct sim_perm *perm)
{
	if (perm->key != IPC_PRIVATE)
		sim_ptab_remove(k, &ids->by_key, perm, perm_key);
	SIM_SAVE(k, perm->key);
	perm->key = IPC_PRIVATE;
}

/* ipc_obtain_object_idr: by index only, no seq check (the *_STAT commands). */
/* ipc_get_maxidx */
int sim_ipc_get_maxidx(const struct sim_ipc_ids *ids)
{
	if (ids->in_use == 0)
		return -1;
	if (ids->in_use == SIM_IPCMNI)
		return SIM_IPCMNI - 1;
	return ids->max_idx;
}

/* ipcctl_obtain_check's owner rule for IPC_SET/IPC_RMID: 0 or -EPERM. */
int sim_ipcctl_owner_check(const struct sim_perm *perm, const struct sim_proc *p)
{
	if (p->uid == perm->cuid || p->uid == perm->uid || sim_capable(p, SIM_CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

/* ipc_update_perm: uid/gid (uid_t)-1 are invalid; only the 0777 bits of mode move. */
int sim_ipc_update_perm(struct sim_kernel *k, struct sim_perm *out, unsigned uid, unsigned gid,
                        unsigned mode)
{
	if (uid == (unsigned)-1 || gid == (unsigned)-1)
		return -EINVAL;
	SIM_SAVE_OBJ(k, out);
	out->uid = uid;
	out->gid = gid;
	out->mode = (out->mode & ~0777u) | (mode & 0777u);
	return 0;
}

/*
 * ipcget: IPC_PRIVATE always creates; an existing key gives EEXIST (before
 * any permission check), then more_checks, then EACCES; a missing key is
 * ENOENT without IPC_CREAT.
 */
long sim_ipcget(struct sim_kernel *k, struct sim_proc *p, struct sim_ipc_ids *ids,
                const struct sim_ipc_ops *ops, int key, int flg, void *params)
{
	struct sim_perm *perm;
	int err;

	if (key == IPC_PRIVATE)
		return ops->getnew(k, p, key, flg, params);
	perm = sim_ipc_findkey(ids, key);
	if (!perm) {
		if (!(flg & IPC_CREAT))
			return sim_why(k, p->pid, -ENOENT, "ENOENT.key", "no object has key 0x%08x, and "
			               "IPC_CREAT was not given", (unsigned)key);
		return ops->getnew(k, p, key, flg, params);
	}
	if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
		return sim_why(k, p->pid, -EEXIST, "EEXIST.key", "key 0x%08x already has id %d, and "
		               "IPC_CREAT | IPC_EXCL asks for a new one", (unsigned)key, perm->id);
	if (ops->more_checks) {
		err = ops->more_checks(perm, params);
		if (err)
			return err;
	}
	if (!sim_ipcperms(perm, p, flg))
		return sim_why_perm(k, perm, p, flg);
	return perm->id;
}
