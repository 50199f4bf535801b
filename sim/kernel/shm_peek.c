/*
 * shm_peek.c - a read-only look at a segment's bytes, for renderers (the
 * trace shows the first words of each segment: the `balance` of the race).
 * Unlike a process's load, it allocates nothing: an untouched page is zeros.
 */
#include <errno.h>
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

		HASH_FIND(hh, seg->pages, &index, sizeof(index), pg);
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
