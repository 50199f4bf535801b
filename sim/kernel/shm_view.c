/*
 * shm_view.c - read-only views of shared memory for renderers, and its part
 * of the invariant checker: nattch recounted from every address space, the
 * page totals, the touched-memory accounting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "kernel/kernel_int.h"

int sim_shm_max_idx(const struct sim_kernel *k)
{
	return sim_ipc_get_maxidx(&k->shm_ids);
}

unsigned long sim_shm_rss_idx(const struct sim_kernel *k, int idx)
{
	struct sim_perm *perm = idx < 0 ? NULL : sim_ipc_obtain_idx(&k->shm_ids, idx);

	return perm ? shm_segment_of(perm)->npages_touched : 0;
}

void sim_shm_totals(const struct sim_kernel *k, int *segments, unsigned long *pages,
                    unsigned long *rss_pages)
{
	struct sim_perm *perm, *tmp;

	*segments = k->shm_ids.in_use;
	*pages = k->shm_tot;
	*rss_pages = 0;
	SIM_IDS_FOREACH(&k->shm_ids, perm, tmp)
		*rss_pages += shm_segment_of(perm)->npages_touched;
}

static void attach_view(const struct sim_proc *p, const struct sim_attach *a,
                        struct sim_attach_view *v)
{
	memset(v, 0, sizeof(*v));
	v->pid = p->pid;
	v->addr = a->start;
	v->len = a->end - a->start;
	v->shmid = a->seg->shm_perm.id;
	v->rdonly = a->rdonly;
	v->exec = a->exec;
	v->file_key = (uint32_t)a->seg->file_key;
	v->pgoff = a->pgoff;
}

int sim_shm_attachments(const struct sim_kernel *k, int shmid,
                        int (*cb)(void *ctx, const struct sim_attach_view *a), void *ctx)
{
	struct sim_perm *perm = sim_ipc_obtain_check(&k->shm_ids, shmid);
	struct sim_attach_view v;
	int rc;

	if (!perm)
		return -EINVAL;
	for (const struct sim_proc *p = k->first_created; p; p = p->next_created) {
		for (const struct sim_attach *a = as_first(p); a; a = a->next) {
			if (&a->seg->shm_perm != perm)
				continue;
			attach_view(p, a, &v);
			rc = cb(ctx, &v);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int sim_proc_attachments(const struct sim_kernel *k, int pid,
                         int (*cb)(void *ctx, const struct sim_attach_view *a), void *ctx)
{
	const struct sim_proc *p = sim_proc_find((struct sim_kernel *)k, pid);
	struct sim_attach_view v;
	int rc;

	if (!p || pid == 0)
		return -ESRCH;
	for (const struct sim_attach *a = as_first(p); a; a = a->next) {
		attach_view(p, a, &v);
		rc = cb(ctx, &v);
		if (rc)
			return rc;
	}
	return 0;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* One address space seen while checking: how many processes point to it. */
struct aspace_seen {
	const struct sim_aspace *as;
	unsigned users;
	UT_hash_handle hh;
};

/* Every address space: nvmas is its length, refs its number of users. */
static int aspaces_check(const struct sim_kernel *k, char *err, size_t errlen)
{
	struct aspace_seen *seen = NULL, *s, *tmp;
	int rc = 0;

	for (const struct sim_proc *p = k->first_created; p && rc == 0; p = p->next_created) {
		size_t n = 0;

		if (p->aspace == NULL)
			continue;
		HASH_FIND_PTR(seen, &p->aspace, s);
		if (s == NULL) {
			s = calloc(1, sizeof(*s));
			if (s == NULL)
				break; /* cannot check, not a failure of the kernel */
			s->as = p->aspace;
			HASH_ADD_PTR(seen, as, s);
		}
		s->users++;
		for (const struct sim_attach *a = p->aspace->head; a; a = a->next)
			n++;
		if (n != p->aspace->nvmas) {
			snprintf(err, errlen, "process %d: %zu VMAs but nvmas %zu", p->pid, n,
			         p->aspace->nvmas);
			rc = -1;
		}
	}
	HASH_ITER(hh, seen, s, tmp) {
		if (rc == 0 && s->users != s->as->refs) {
			snprintf(err, errlen, "an address space with %u users has refs %u", s->users,
			         s->as->refs);
			rc = -1;
		}
		HASH_DEL(seen, s);
		free(s);
	}
	return rc;
}

int shm_check(const struct sim_kernel *k, char *err, size_t errlen)
{
	struct sim_perm *perm, *tmp;
	unsigned long pages = 0, touched = 0;
	int n = 0;

	SIM_IDS_FOREACH(&k->shm_ids, perm, tmp) {
		const struct shm_segment *seg = shm_segment_of(perm);
		unsigned long nattch = 0;

		for (const struct sim_proc *p = k->first_created; p; p = p->next_created)
			for (const struct sim_attach *a = as_first(p); a; a = a->next)
				nattch += a->seg == seg;
		if (nattch != seg->shm_nattch)
			FAIL("segment %d: nattch %lu but %lu attachments", perm->id, seg->shm_nattch,
			     nattch);
		if (seg->shm_nattch == 0 && (seg->shm_perm.mode & SHM_DEST))
			FAIL("segment %d: SHM_DEST with no attachment still exists", perm->id);
		if ((seg->shm_perm.mode & SHM_DEST) && seg->shm_perm.key != IPC_PRIVATE)
			FAIL("segment %d: SHM_DEST keeps its key", perm->id);
		if (seg->pages.n != seg->npages_touched)
			FAIL("segment %d: touched pages miscounted", perm->id);
		pages += (seg->shm_segsz + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE;
		touched += seg->npages_touched;
		n++;
	}
	if (n != k->shm_ids.in_use)
		FAIL("shm ids: in_use %d but %d segments", k->shm_ids.in_use, n);
	if (pages != k->shm_tot)
		FAIL("shm_tot %lu but segments hold %lu pages", k->shm_tot, pages);
	if (touched * SIM_PAGE_SIZE != k->shm_mem)
		FAIL("segment memory: %lu pages touched, %zu bytes accounted", touched, k->shm_mem);
	for (const struct sim_proc *p = k->first_created; p; p = p->next_created) {
		for (const struct sim_attach *a = as_first(p); a; a = a->next) {
			if (a->start >= a->end || (a->start | a->end) & (SIM_PAGE_SIZE - 1))
				FAIL("process %d: bad attachment range", p->pid);
			if (a->next && a->next->start < a->end)
				FAIL("process %d: overlapping attachments", p->pid);
			if (p->state == SIM_PROC_EXITED || p->state == SIM_PROC_KILLED)
				FAIL("process %d: ended but still attached", p->pid);
		}
	}
	return aspaces_check(k, err, errlen);
}
