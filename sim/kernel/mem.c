/*
 * mem.c - memory access through a process's attachments: store, load,
 * memcpy, memread in a scenario.
 *
 * An address is translated by the VMA that contains it: offset in the
 * segment = addr - start + pgoff pages.  The whole range is checked before
 * anything is written (an access fault kills the process with SIGSEGV, as
 * the MMU would, and it is as if the instruction never ran).  Pages are
 * allocated on first touch, read or write, as shmem does; the total is
 * capped at SIM_SHM_MEM_CAP so a huge segment cannot exhaust the host.
 * A write also remembers, per 8-byte cell, whether it was a long's store or
 * copied bytes, and the writer: the diagrams draw memory the way it was
 * written, and say who wrote it.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "kernel/kernel_int.h"

static const struct sim_attach *vma_at(const struct sim_proc *p, unsigned long addr)
{
	for (const struct sim_attach *a = as_first(p); a; a = a->next)
		if (a->start <= addr && addr < a->end)
			return a;
	return NULL;
}

/* Checks [addr, addr+n) is mapped (and writable if write): 0 or -EFAULT. */
static int range_ok(const struct sim_proc *p, unsigned long addr, size_t n, bool write)
{
	unsigned long end = addr + n;

	if (end < addr)
		return -EFAULT;
	while (addr < end) {
		const struct sim_attach *a = vma_at(p, addr);

		if (!a || (write && a->rdonly))
			return -EFAULT;
		addr = a->end;
	}
	return 0;
}

const char *sim_kernel_failure(const struct sim_kernel *k)
{
	return k->failure;
}

void sim_shm_set_max_map_count(struct sim_kernel *k, size_t n)
{
	SIM_SAVE(k, k->max_map_count);
	k->max_map_count = n != 0 ? n : SIM_MAX_MAP_COUNT;
}

void sim_shm_set_mem_cap(struct sim_kernel *k, size_t bytes)
{
	if (bytes == 0)
		bytes = SIM_SHM_MEM_CAP;
	bytes -= bytes % SIM_PAGE_SIZE;
	SIM_SAVE(k, k->shm_mem_cap);
	k->shm_mem_cap = bytes < SIM_PAGE_SIZE ? SIM_PAGE_SIZE : bytes;
}

unsigned long long shm_page_key(const void *page)
{
	return ((const struct shm_page *)page)->index;
}

/* Page `index` of seg, allocated on first touch. */
static struct shm_page *seg_page(struct sim_kernel *k, struct shm_segment *seg,
                                 unsigned long index)
{
	struct shm_page *pg = sim_ptab_find(&seg->pages, index, shm_page_key);

	if (pg)
		return pg;
	if (k->shm_mem + SIM_PAGE_SIZE > k->shm_mem_cap) {
		snprintf(k->failure, sizeof(k->failure), "the simulator's cap on shared memory "
		         "was reached (%zu MiB of written pages in all segments)",
		         k->shm_mem_cap >> 20);
		return NULL;
	}
	snprintf(k->failure, sizeof(k->failure), "out of memory");
	if (sim_ptab_reserve(k, &seg->pages, shm_page_key) < 0)
		return NULL;
	pg = sim_alloc(k, sizeof(*pg));
	if (!pg)
		return NULL;
	pg->bytes = sim_alloc(k, SIM_PAGE_SIZE);
	pg->cells = pg->bytes ? sim_alloc(k, SIM_PAGE_SIZE / SIM_MEM_CELL * sizeof(uint32_t)) : NULL;
	if (!pg->cells) {
		sim_free(k, pg->bytes);
		sim_free(k, pg);
		return NULL;
	}
	pg->index = index;
	sim_ptab_insert(k, &seg->pages, pg, shm_page_key);
	SIM_SAVE(k, seg->npages_touched);
	seg->npages_touched++;
	SIM_SAVE(k, k->shm_mem);
	k->shm_mem += SIM_PAGE_SIZE;
	return pg;
}

/* Makes sure every page of the range exists, so the copy below cannot fail. */
static long touch_range(struct sim_kernel *k, const struct sim_proc *p, unsigned long addr, size_t n)
{
	unsigned long end = addr + n;

	while (addr < end) {
		const struct sim_attach *a = vma_at(p, addr);
		unsigned long off = addr - a->start + a->pgoff * SIM_PAGE_SIZE;

		if (!seg_page(k, a->seg, off / SIM_PAGE_SIZE))
			return SIM_ENOMEM_CAP;
		addr = (addr | (SIM_PAGE_SIZE - 1)) + 1;
	}
	return 0;
}

/* Remembers how and by whom the cells of [off, off + n) in page pg were
 * written: a long exactly on one cell, or bytes. */
static void mark_written(struct shm_page *pg, size_t off, size_t n, bool is_long, int pid)
{
	enum sim_mem_kind kind = is_long && off % SIM_MEM_CELL == 0 && n == SIM_MEM_CELL
	                             ? SIM_MEM_LONG : SIM_MEM_BYTES;
	uint32_t cell = (uint32_t)kind << SHM_CELL_KIND_SHIFT | ((uint32_t)pid & SHM_CELL_PID_MASK);

	for (size_t c = off / SIM_MEM_CELL; c * SIM_MEM_CELL < off + n; c++)
		pg->cells[c] = cell;
}

/* write: how (SIM_MEM_LONG for store, SIM_MEM_BYTES), or SIM_MEM_UNWRITTEN
 * for a read. */
static void copy_range(struct sim_kernel *k, const struct sim_proc *p, unsigned long addr,
                       unsigned char *buf, size_t n, enum sim_mem_kind write)
{
	while (n > 0) {
		const struct sim_attach *a = vma_at(p, addr);
		unsigned long off = addr - a->start + a->pgoff * SIM_PAGE_SIZE;
		size_t in_page = SIM_PAGE_SIZE - off % SIM_PAGE_SIZE, chunk = n < in_page ? n : in_page;
		struct shm_page *pg = seg_page(k, a->seg, off / SIM_PAGE_SIZE);

		if (write != SIM_MEM_UNWRITTEN) {
			sim_undo_save(k, pg->bytes + off % SIM_PAGE_SIZE, chunk);
			sim_undo_save(k, pg->cells + off % SIM_PAGE_SIZE / SIM_MEM_CELL,
			              ((off % SIM_PAGE_SIZE + chunk - 1) / SIM_MEM_CELL -
			               off % SIM_PAGE_SIZE / SIM_MEM_CELL + 1) * sizeof(uint32_t));
			memcpy(pg->bytes + off % SIM_PAGE_SIZE, buf, chunk);
			mark_written(pg, off % SIM_PAGE_SIZE, chunk, write == SIM_MEM_LONG, p->pid);
		} else {
			memcpy(buf, pg->bytes + off % SIM_PAGE_SIZE, chunk);
		}
		addr += chunk;
		buf += chunk;
		n -= chunk;
	}
}

long sim_mem_fault(struct sim_kernel *k, struct sim_proc *p)
{
	sim_proc_terminate(k, p, SIM_PROC_KILLED, SIGSEGV);
	return SIM_KILLED;
}

/* write: SIM_MEM_LONG (store), SIM_MEM_BYTES (memcpy) or SIM_MEM_UNWRITTEN (a read). */
static long mem_access(struct sim_kernel *k, int pid, unsigned long addr, void *buf, size_t n,
                       enum sim_mem_kind write)
{
	struct sim_proc *p = sim_proc_find(k, pid);
	long rc;

	if (!p || p->state != SIM_PROC_RUNNING || pid == 0)
		return -ESRCH;
	if (n == 0)
		return 0;
	if (range_ok(p, addr, n, write != SIM_MEM_UNWRITTEN) < 0)
		return sim_mem_fault(k, p);
	rc = touch_range(k, p, addr, n);
	if (rc)
		return rc;
	copy_range(k, p, addr, buf, n, write);
	return 0;
}

long sim_mem_store(struct sim_kernel *k, int pid, unsigned long addr, long value)
{
	unsigned char le[8];

	for (int i = 0; i < 8; i++)
		le[i] = (unsigned char)((unsigned long)value >> (8 * i));
	return mem_access(k, pid, addr, le, 8, SIM_MEM_LONG);
}

long sim_mem_load(struct sim_kernel *k, int pid, unsigned long addr, long *value)
{
	unsigned char le[8];
	unsigned long v = 0;
	long rc = mem_access(k, pid, addr, le, 8, SIM_MEM_UNWRITTEN);

	if (rc)
		return rc;
	for (int i = 0; i < 8; i++)
		v |= (unsigned long)le[i] << (8 * i);
	*value = (long)v;
	return 0;
}

long sim_mem_write(struct sim_kernel *k, int pid, unsigned long addr, const void *buf, size_t n)
{
	return mem_access(k, pid, addr, (void *)buf, n, SIM_MEM_BYTES);
}

long sim_mem_read(struct sim_kernel *k, int pid, unsigned long addr, void *buf, size_t n)
{
	return mem_access(k, pid, addr, buf, n, SIM_MEM_UNWRITTEN);
}
