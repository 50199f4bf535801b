/*
 * shm_peek.c - a read-only look at a segment's bytes and at how they were
 * written, for renderers: `show` and the trace draw a stored long (the
 * `balance` of the race) as a number and copied text as text.  Unlike a
 * process's load, nothing here allocates a page: an untouched page is zeros.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

int sim_shm_peek(const struct sim_kernel *k, int shmid, size_t off, void *buf, size_t n)
{
	struct sim_perm *perm = sim_ipc_obtain_check(&k->shm_ids, shmid);
	const struct shm_segment *seg;
	unsigned char *out = buf;
	size_t limit;

	if (!perm)
		return -EINVAL;
	seg = shm_segment_of(perm);
	limit = (seg->shm_segsz + SIM_PAGE_SIZE - 1) & ~(SIM_PAGE_SIZE - 1);
	if (off > limit || n > limit - off)
		return -EINVAL;
	while (n > 0) {
		unsigned long index = off / SIM_PAGE_SIZE;
		size_t in_page = SIM_PAGE_SIZE - off % SIM_PAGE_SIZE, chunk = n < in_page ? n : in_page;
		struct shm_page *pg;

		pg = sim_ptab_find(&seg->pages, index, shm_page_key);
		if (pg)
			memcpy(out, pg->bytes + off % SIM_PAGE_SIZE, chunk);
		else
			memset(out, 0, chunk);
		out += chunk;
		off += chunk;
		n -= chunk;
	}
	return 0;
}

static int page_index_cmp(const void *a, const void *b)
{
	const struct shm_page *x = *(struct shm_page *const *)a, *y = *(struct shm_page *const *)b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* Pages are hashed, not ordered: the touched ones are sorted by index first
 * (a segment of a terabyte has too many pages to look each one up). */
int sim_shm_written(const struct sim_kernel *k, int shmid,
                    int (*cb)(void *ctx, const struct sim_mem_run_view *r), void *ctx)
{
	struct sim_perm *perm = sim_ipc_obtain_check(&k->shm_ids, shmid);
	const struct shm_segment *seg;
	struct shm_page **sorted;
	struct sim_mem_run_view run = { 0, 0, SIM_MEM_UNWRITTEN, 0 };
	size_t n = 0;
	int rc = 0;

	if (!perm)
		return -EINVAL;
	seg = shm_segment_of(perm);
	sorted = malloc((seg->npages_touched + 1) * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (size_t i = 0; i < seg->pages.cap; i++)
		if (seg->pages.slot[i])
			sorted[n++] = seg->pages.slot[i];
	qsort(sorted, n, sizeof(*sorted), page_index_cmp);
	for (size_t i = 0; i < n && rc == 0; i++) {
		for (size_t c = 0; c < SIM_PAGE_SIZE / SIM_MEM_CELL && rc == 0; c++) {
			size_t off = sorted[i]->index * SIM_PAGE_SIZE + c * SIM_MEM_CELL;
			uint32_t cell = sorted[i]->cells[c];
			enum sim_mem_kind kind = cell >> SHM_CELL_KIND_SHIFT;
			int pid = (int)(cell & SHM_CELL_PID_MASK);

			if (run.kind == kind && run.pid == pid && run.off + run.len == off) {
				run.len += SIM_MEM_CELL;
				continue;
			}
			if (run.kind != SIM_MEM_UNWRITTEN)
				rc = cb(ctx, &run);
			run.off = off;
			run.len = SIM_MEM_CELL;
			run.kind = kind;
			run.pid = pid;
		}
	}
	if (rc == 0 && run.kind != SIM_MEM_UNWRITTEN)
		rc = cb(ctx, &run);
	free(sorted);
	return rc;
}
