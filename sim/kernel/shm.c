/*
 * shm.c - System V shared memory: shmget, shmat, shmdt, shmctl, and what
 * fork, exit and death do to attachments.
 *
 * A port of Linux ipc/shm.c (6.1), check order included.  A process's
 * address space is its list of struct sim_attach, each a VMA mapping part
 * of a segment; nattch counts VMAs (shm_open/shm_close run per VMA: on
 * shmat, fork, split, and on shmdt, exit, unmap), exactly as in Linux.
 * IPC_RMID on an attached segment only marks it SHM_DEST and makes its key
 * private; the segment goes when the last VMA closes.
 *
 * Segment memory is a hash of pages allocated on first touch (mem.c), so a
 * huge segment costs nothing until used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

#define PAGE_ALIGN(x) (((x) + SIM_PAGE_SIZE - 1) & ~(SIM_PAGE_SIZE - 1))
#define RLIMIT_MEMLOCK_PAGES (8192UL * 1024 / SIM_PAGE_SIZE) /* Debian's 8 MiB */

struct shm_segment *shm_segment_of(struct sim_perm *perm)
{
	return (struct shm_segment *)perm;
}

static struct shm_segment *shm_obtain_check(struct sim_kernel *k, int id)
{
	struct sim_perm *perm = sim_ipc_obtain_check(&k->shm_ids, id);

	return perm ? shm_segment_of(perm) : NULL;
}

static unsigned long seg_pages(const struct shm_segment *seg)
{
	return (unsigned long)(PAGE_ALIGN(seg->shm_segsz) / SIM_PAGE_SIZE);
}

/* ---- lifetime ------------------------------------------------------------ */

/* memlock accounting of SHM_LOCK (user_shm_lock / user_shm_unlock), per uid */
static unsigned long *memlock_of(struct sim_kernel *k, unsigned uid);

static void shm_destroy(struct sim_kernel *k, struct shm_segment *seg)
{
	SIM_SAVE(k, k->shm_tot);
	k->shm_tot -= seg_pages(seg);
	if (seg->shm_perm.mode & SHM_LOCKED) {
		unsigned long *locked = memlock_of(k, seg->locked_by_uid);

		if (locked) {
			SIM_SAVE(k, *locked);
			*locked -= seg_pages(seg);
		}
	}
	sim_ipc_rmid(k, &k->shm_ids, &seg->shm_perm);
	for (size_t i = 0; i < seg->pages.cap; i++) {
		struct shm_page *pg = seg->pages.slot[i];

		if (pg) {
			sim_free(k, pg->bytes);
			sim_free(k, pg->cells);
			sim_free(k, pg);
		}
	}
	sim_free(k, seg->pages.slot);
	SIM_SAVE(k, k->shm_mem);
	k->shm_mem -= seg->npages_touched * SIM_PAGE_SIZE;
	sim_free(k, seg);
}

/* shm_may_destroy (shm_rmid_forced is 0) */
static void shm_maybe_destroy(struct sim_kernel *k, struct shm_segment *seg)
{
	if (seg->shm_nattch == 0 && (seg->shm_perm.mode & SHM_DEST))
		shm_destroy(k, seg);
}

/* __shm_open: a new VMA of seg in process pid */
static void shm_open_vma(struct sim_kernel *k, struct shm_segment *seg, int pid)
{
	SIM_SAVE_OBJ(k, seg);
	seg->shm_atim = k->now;
	seg->shm_lprid = pid;
	seg->shm_nattch++;
}

/* __shm_close: a VMA of seg goes away (may destroy seg) */
static void shm_close_vma(struct sim_kernel *k, struct shm_segment *seg, int pid)
{
	SIM_SAVE_OBJ(k, seg);
	seg->shm_lprid = pid;
	seg->shm_dtim = k->now;
	seg->shm_nattch--;
	shm_maybe_destroy(k, seg);
}

/* ---- shmget (newseg, shm_more_checks) ------------------------------------ */

static long newseg(struct sim_kernel *k, struct sim_proc *p, int key, int shmflg, void *params)
{
	size_t size = *(const size_t *)params;
	unsigned long numpages = (unsigned long)((size + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE);
	unsigned long long shmmax = (unsigned long long)k->limits.shmmax;
	unsigned long long shmall = (unsigned long long)k->limits.shmall;
	struct shm_segment *seg;
	int idx;

	if (size < 1 || size > shmmax)
		return -EINVAL;
	if ((unsigned long long)numpages * SIM_PAGE_SIZE < size)
		return -ENOSPC;
	if (k->shm_tot + numpages < k->shm_tot || k->shm_tot + numpages > shmall)
		return -ENOSPC;
	seg = sim_alloc(k, sizeof(*seg));
	if (!seg)
		return -ENOMEM;
	seg->shm_perm.key = key;
	seg->file_key = key;
	seg->shm_perm.mode = (unsigned)shmflg & 0777;
	seg->shm_cprid = p->pid;
	seg->shm_ctim = k->now;
	seg->shm_segsz = size;
	idx = sim_ipc_addid(k, &k->shm_ids, &seg->shm_perm, k->limits.shmmni, p);
	if (idx < 0) {
		sim_free(k, seg);
		return idx;
	}
	SIM_SAVE(k, k->shm_tot);
	k->shm_tot += numpages;
	return seg->shm_perm.id;
}

static int shm_more_checks(struct sim_perm *perm, void *params)
{
	return shm_segment_of(perm)->shm_segsz < *(const size_t *)params ? -EINVAL : 0;
}

static const struct sim_ipc_ops shm_ops = { .getnew = newseg, .more_checks = shm_more_checks };

long sim_shmget(struct sim_kernel *k, int pid, long key, size_t size, int shmflg)
{
	struct sim_proc *p = sim_proc_find(k, pid);

	if (!p || p->state != SIM_PROC_RUNNING)
		return -ESRCH;
	return sim_ipcget(k, p, &k->shm_ids, &shm_ops, (int)(uint32_t)key, shmflg, &size);
}

/* ---- address spaces ------------------------------------------------------ */

static void free_list(struct sim_kernel *k, struct sim_attach *a)
{
	while (a) {
		struct sim_attach *next = a->next;

		sim_free(k, a);
		a = next;
	}
}

/* Makes p the only owner of its address space (made empty when it has
 * none), copying a shared one: before any change.  0 or -ENOMEM. */
static int as_own(struct sim_kernel *k, struct sim_proc *p)
{
	struct sim_aspace *as = p->aspace, *copy;
	struct sim_attach **tail;

	if (as != NULL && as->refs == 1)
		return 0;
	copy = sim_alloc(k, sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	copy->refs = 1;
	copy->nvmas = 0;
	copy->head = NULL;
	tail = &copy->head;
	for (const struct sim_attach *a = as != NULL ? as->head : NULL; a; a = a->next) {
		struct sim_attach *c = sim_alloc(k, sizeof(*c));

		if (!c) {
			free_list(k, copy->head);
			sim_free(k, copy);
			return -ENOMEM;
		}
		*c = *a;
		c->next = NULL;
		*tail = c;
		tail = &c->next;
		copy->nvmas++;
	}
	if (as != NULL) {
		SIM_SAVE(k, as->refs);
		as->refs--;
	}
	SIM_SAVE(k, p->aspace);
	p->aspace = copy;
	return 0;
}

/* Drops p's reference to its address space (the VMAs are closed already). */
static void as_release(struct sim_kernel *k, struct sim_proc *p)
{
	struct sim_aspace *as = p->aspace;

	SIM_SAVE(k, p->aspace);
	p->aspace = NULL;
	if (as != NULL) {
		SIM_SAVE(k, as->refs);
		if (--as->refs == 0) {
			free_list(k, as->head);
			sim_free(k, as);
		}
	}
}

/* as_insert, as_remove, as_unmap: on an address space p owns (as_own). */
static void as_insert(struct sim_kernel *k, struct sim_proc *p, struct sim_attach *a)
{
	struct sim_attach **pp = &p->aspace->head;

	while (*pp && (*pp)->start < a->start)
		pp = &(*pp)->next;
	SIM_SAVE(k, a->next);
	a->next = *pp;
	SIM_SAVE(k, *pp);
	*pp = a;
	SIM_SAVE(k, p->aspace->nvmas);
	p->aspace->nvmas++;
}

static void as_remove(struct sim_kernel *k, struct sim_proc *p, struct sim_attach *a)
{
	struct sim_attach **pp = &p->aspace->head;

	while (*pp != a)
		pp = &(*pp)->next;
	SIM_SAVE(k, *pp);
	*pp = a->next;
	SIM_SAVE(k, p->aspace->nvmas);
	p->aspace->nvmas--;
}

static bool as_overlaps(const struct sim_proc *p, unsigned long s, unsigned long e)
{
	for (const struct sim_attach *a = as_first(p); a; a = a->next)
		if (a->start < e && s < a->end)
			return true;
	return false;
}

/* The highest free range of len bytes below SIM_MMAP_BASE (top-down mmap),
 * or 0: one pass over the gaps between the sorted attachments. */
static unsigned long as_find_topdown(const struct sim_proc *p, unsigned long len)
{
	unsigned long gap_start = SIM_MMAP_MIN_ADDR, best = 0, gap_end;

	for (const struct sim_attach *a = as_first(p); a && gap_start < SIM_MMAP_BASE; a = a->next) {
		gap_end = a->start < SIM_MMAP_BASE ? a->start : SIM_MMAP_BASE;
		if (gap_end > gap_start && gap_end - gap_start >= len)
			best = gap_end - len;
		if (a->end > gap_start)
			gap_start = a->end;
	}
	if (gap_start < SIM_MMAP_BASE && SIM_MMAP_BASE - gap_start >= len)
		best = SIM_MMAP_BASE - len;
	return best;
}

/*
 * Unmaps [s, e) from p (munmap / MAP_FIXED over old mappings).  A VMA cut
 * in two is a split (shm_open for the new piece); a removed piece closes.
 * Needs at most one new struct per VMA split: preallocated in *spare.
 */
static void as_unmap(struct sim_kernel *k, struct sim_proc *p, unsigned long s, unsigned long e,
                     struct sim_attach **spare)
{
	struct sim_attach *a = as_first(p), *next;

	for (; a; a = next) {
		next = a->next;
		if (a->end <= s || a->start >= e)
			continue;
		if (a->start >= s && a->end <= e) {
			as_remove(k, p, a);
			shm_close_vma(k, a->seg, p->pid);
			sim_free(k, a);
		} else if (a->start < s && a->end > e) {
			struct sim_attach *tail = *spare;

			*spare = tail->next;
			*tail = *a;
			tail->start = e;
			tail->pgoff = a->pgoff + (e - a->start) / SIM_PAGE_SIZE;
			SIM_SAVE_OBJ(k, a);
			a->end = s;
			as_insert(k, p, tail);
			shm_open_vma(k, a->seg, p->pid);  /* the split off tail */
			shm_open_vma(k, a->seg, p->pid);  /* the middle, split then unmapped */
			shm_close_vma(k, a->seg, p->pid);
			next = tail->next;
		} else {
			shm_open_vma(k, a->seg, p->pid);  /* split */
			SIM_SAVE_OBJ(k, a);
			if (a->start < s) {
				a->end = s;
			} else {
				a->pgoff += (e - a->start) / SIM_PAGE_SIZE;
				a->start = e;
			}
			shm_close_vma(k, a->seg, p->pid); /* the piece unmapped */
		}
	}
}

static int as_count_splits(const struct sim_proc *p, unsigned long s, unsigned long e)
{
	int n = 0;

	for (const struct sim_attach *a = as_first(p); a; a = a->next)
		n += a->start < s && a->end > e;
	return n;
}

/* ---- shmat (do_shmat) ---------------------------------------------------- */

long sim_shmat(struct sim_kernel *k, int pid, int shmid, unsigned long addr, int shmflg)
{
	struct sim_proc *p = sim_proc_find(k, pid);
	struct sim_attach *a = NULL, *spare = NULL;
	struct shm_segment *seg;
	unsigned long len, size;
	int acc_mode, nsplit;
	bool fixed = false;

	if (!p || p->state != SIM_PROC_RUNNING || pid == 0)
		return -ESRCH;
	if (shmid < 0)
		return -EINVAL;
	if (addr) {
		if (addr & (SIM_PAGE_SIZE - 1)) {
			if (!(shmflg & SHM_RND))
				return -EINVAL;
			addr &= ~(SIM_PAGE_SIZE - 1);
			if (!addr && (shmflg & SHM_REMAP))
				return -EINVAL;
		}
		fixed = true;
	} else if (shmflg & SHM_REMAP) {
		return -EINVAL;
	}
	acc_mode = (shmflg & SHM_RDONLY) ? 0444 : 0666;
	if (shmflg & SHM_EXEC)
		acc_mode |= 0111;
	seg = shm_obtain_check(k, shmid);
	if (!seg)
		return sim_why_no_id(k, p->pid, shmid, "segment");
	if (!sim_ipcperms(&seg->shm_perm, p, acc_mode))
		return sim_why_perm(k, &seg->shm_perm, p, acc_mode);
	size = seg->shm_segsz;
	len = PAGE_ALIGN(size);
	/* Linux tests the rounded address: one rounded down to 0 skips these */
	if (addr && !(shmflg & SHM_REMAP)) {
		if (addr + size < addr || as_overlaps(p, addr, addr + size))
			return -EINVAL;
	}
	/* do_mmap: too many mappings come first */
	if (p->aspace != NULL && p->aspace->nvmas > k->max_map_count)
		return -ENOMEM;
	if (fixed) {
		if (addr < SIM_MMAP_MIN_ADDR && !sim_capable(p, SIM_CAP_SYS_RAWIO))
			return -EPERM;
		if (addr + len < addr || addr + len > SIM_TASK_SIZE)
			return -ENOMEM;
	} else {
		addr = as_find_topdown(p, len);
		if (!addr)
			return -ENOMEM;
	}
	if (as_own(k, p) < 0)
		return -ENOMEM;
	a = sim_alloc(k, sizeof(*a));
	if (!a)
		return -ENOMEM;
	nsplit = fixed ? as_count_splits(p, addr, addr + len) : 0;
	for (int i = 0; i < nsplit; i++) {
		struct sim_attach *s = sim_alloc(k, sizeof(*s));

		if (!s) {
			free_list(k, spare);
			sim_free(k, a);
			return -ENOMEM;
		}
		s->next = spare;
		spare = s;
	}
	if (fixed)
		as_unmap(k, p, addr, addr + len, &spare);
	a->start = addr;
	a->end = addr + len;
	a->seg = seg;
	a->rdonly = (shmflg & SHM_RDONLY) != 0;
	a->exec = (shmflg & SHM_EXEC) != 0;
	as_insert(k, p, a);
	shm_open_vma(k, seg, p->pid);
	free_list(k, spare);
	return (long)addr;
}

/* ---- shmdt (ksys_shmdt) -------------------------------------------------- */

long sim_shmdt(struct sim_kernel *k, int pid, unsigned long addr)
{
	struct sim_proc *p = sim_proc_find(k, pid);
	struct sim_attach *a, *next;
	struct shm_segment *seg = NULL;
	unsigned long size = 0;

	if (!p || p->state != SIM_PROC_RUNNING || pid == 0)
		return -ESRCH;
	if (addr & (SIM_PAGE_SIZE - 1))
		return -EINVAL;
	if (as_own(k, p) < 0)
		return -ENOMEM;
	/* find_vma: the first VMA ending above addr; then the first whose
	 * start matches addr at its page offset: the attachment, or a fragment */
	for (a = as_first(p); a && a->end <= addr; a = a->next)
		;
	for (; a; a = next) {
		next = a->next;
		if ((a->start - addr) / SIM_PAGE_SIZE == a->pgoff) {
			seg = a->seg;
			size = PAGE_ALIGN(seg->shm_segsz);
			as_remove(k, p, a);
			sim_free(k, a);
			a = next;
			break;
		}
	}
	if (!seg)
		return -EINVAL;
	/* fragments of the same attachment, up to the segment's size */
	for (; a && a->end - addr <= size; a = next) {
		next = a->next;
		if ((a->start - addr) / SIM_PAGE_SIZE == a->pgoff && a->seg == seg) {
			as_remove(k, p, a);
			sim_free(k, a);
			shm_close_vma(k, seg, p->pid); /* seg lives: the first close is below */
		}
	}
	shm_close_vma(k, seg, p->pid);
	return 0;
}

/* exit_mm: every VMA closes, with lpid = the exiting process. */
void shm_detach_all(struct sim_kernel *k, struct sim_proc *p)
{
	for (const struct sim_attach *a = as_first(p); a; a = a->next)
		shm_close_vma(k, a->seg, p->pid);
	as_release(k, p);
}

/* dup_mmap: the child gets every VMA (the list shared until one side
 * changes it); shm_open runs in the parent for each. */
int shm_fork_attaches(struct sim_kernel *k, struct sim_proc *parent, struct sim_proc *child)
{
	SIM_SAVE(k, child->aspace);
	child->aspace = parent->aspace;
	if (child->aspace != NULL) {
		SIM_SAVE(k, child->aspace->refs);
		child->aspace->refs++;
	}
	for (const struct sim_attach *a = as_first(child); a; a = a->next)
		shm_open_vma(k, a->seg, parent->pid);
	return 0;
}

/* ---- shmctl -------------------------------------------------------------- */

static void shm_fill_ds(const struct shm_segment *seg, struct ipcsim_shmid_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ds->shm_perm.key = (uint32_t)seg->shm_perm.key;
	ds->shm_perm.uid = seg->shm_perm.uid;
	ds->shm_perm.gid = seg->shm_perm.gid;
	ds->shm_perm.cuid = seg->shm_perm.cuid;
	ds->shm_perm.cgid = seg->shm_perm.cgid;
	ds->shm_perm.mode = seg->shm_perm.mode;
	ds->shm_perm.seq = seg->shm_perm.seq;
	ds->shm_segsz = seg->shm_segsz;
	ds->shm_atime = seg->shm_atim;
	ds->shm_dtime = seg->shm_dtim;
	ds->shm_ctime = seg->shm_ctim;
	ds->shm_cpid = seg->shm_cprid;
	ds->shm_lpid = seg->shm_lprid;
	ds->shm_nattch = seg->shm_nattch;
}

long sim_shm_stat_idx(const struct sim_kernel *k, int idx, struct ipcsim_shmid_ds *ds)
{
	struct sim_perm *perm = idx < 0 ? NULL : sim_ipc_obtain_idx(&k->shm_ids, idx);

	if (!perm)
		return -EINVAL;
	shm_fill_ds(shm_segment_of(perm), ds);
	return perm->id;
}

static long shmctl_stat(struct sim_kernel *k, struct sim_proc *p, int shmid, int cmd,
                        struct ipcsim_shmid_ds *ds)
{
	struct sim_perm *perm;

	if (cmd == SHM_STAT || cmd == SHM_STAT_ANY)
		perm = sim_ipc_obtain_idx(&k->shm_ids, shmid);
	else
		perm = sim_ipc_obtain_check(&k->shm_ids, shmid);
	if (!perm)
		return sim_why_no_id(k, p->pid, shmid, "segment");
	if (cmd != SHM_STAT_ANY && !sim_ipcperms(perm, p, 0444))
		return sim_why_perm(k, perm, p, 0444);
	if (!ds)
		return -EFAULT;
	shm_fill_ds(shm_segment_of(perm), ds);
	return cmd == IPC_STAT ? 0 : perm->id;
}

static void shm_rss(const struct sim_kernel *k, unsigned long *rss)
{
	struct sim_perm *perm, *tmp;

	*rss = 0;
	SIM_IDS_FOREACH(&k->shm_ids, perm, tmp)
		*rss += shm_segment_of(perm)->npages_touched;
}

static long shmctl_info(struct sim_kernel *k, int cmd, struct ipcsim_shminfo *si,
                        struct ipcsim_shm_info *sinfo)
{
	int max_idx = sim_ipc_get_maxidx(&k->shm_ids);

	if (cmd == IPC_INFO) {
		if (!si)
			return -EFAULT;
		memset(si, 0, sizeof(*si));
		si->shmmni = si->shmseg = (unsigned long)k->limits.shmmni;
		si->shmmax = (unsigned long)k->limits.shmmax;
		si->shmall = (unsigned long)k->limits.shmall;
		si->shmmin = 1;
	} else {
		if (!sinfo)
			return -EFAULT;
		memset(sinfo, 0, sizeof(*sinfo));
		sinfo->used_ids = k->shm_ids.in_use;
		shm_rss(k, &sinfo->shm_rss);
		sinfo->shm_tot = k->shm_tot;
	}
	return max_idx < 0 ? 0 : max_idx;
}

static unsigned long *memlock_of(struct sim_kernel *k, unsigned uid)
{
	struct sim_memlock *m;

	for (m = k->memlocks; m; m = m->next)
		if (m->uid == uid)
			return &m->pages;
	m = sim_alloc(k, sizeof(*m));
	if (!m)
		return NULL;
	m->uid = uid;
	m->next = k->memlocks;
	SIM_SAVE(k, k->memlocks);
	k->memlocks = m;
	return &m->pages;
}

/* shmctl_do_lock: no ipcperms; owner/creator or CAP_IPC_LOCK; RLIMIT_MEMLOCK. */
static long shmctl_lock(struct sim_kernel *k, struct sim_proc *p, int shmid, int cmd)
{
	struct shm_segment *seg = shm_obtain_check(k, shmid);
	bool cap = sim_capable(p, SIM_CAP_IPC_LOCK);
	unsigned long *locked;

	if (!seg)
		return -EINVAL;
	if (!cap && p->uid != seg->shm_perm.uid && p->uid != seg->shm_perm.cuid)
		return -EPERM;
	if (cmd == SHM_LOCK) {
		if (seg->shm_perm.mode & SHM_LOCKED)
			return 0;
		locked = memlock_of(k, p->uid);
		if (!locked)
			return -ENOMEM;
		if (!cap && *locked + seg_pages(seg) > RLIMIT_MEMLOCK_PAGES)
			return -ENOMEM;
		SIM_SAVE(k, *locked);
		*locked += seg_pages(seg);
		SIM_SAVE_OBJ(k, seg);
		seg->locked_by_uid = p->uid;
		seg->shm_perm.mode |= SHM_LOCKED;
		return 0;
	}
	if (seg->shm_perm.mode & SHM_LOCKED) {
		locked = memlock_of(k, seg->locked_by_uid);
		if (locked) {
			SIM_SAVE(k, *locked);
			*locked -= seg_pages(seg);
		}
		SIM_SAVE_OBJ(k, seg);
		seg->shm_perm.mode &= ~(unsigned)SHM_LOCKED;
	}
	return 0;
}

static long shmctl_down(struct sim_kernel *k, struct sim_proc *p, int shmid, int cmd,
                        const struct ipcsim_shmid_ds *ds)
{
	struct shm_segment *seg = shm_obtain_check(k, shmid);
	int err;

	if (!seg)
		return -EINVAL;
	err = sim_ipcctl_owner_check(&seg->shm_perm, p);
	if (err)
		return err;
	if (cmd == IPC_RMID) {
		/* do_shm_rmid */
		if (seg->shm_nattch) {
			SIM_SAVE_OBJ(k, seg);
			seg->shm_perm.mode |= SHM_DEST;
			sim_ipc_set_key_private(k, &k->shm_ids, &seg->shm_perm);
		} else {
			shm_destroy(k, seg);
		}
		return 0;
	}
	err = sim_ipc_update_perm(k, &seg->shm_perm, ds->shm_perm.uid, ds->shm_perm.gid,
	                          ds->shm_perm.mode);
	if (err)
		return err;
	SIM_SAVE_OBJ(k, seg);
	seg->shm_ctim = k->now;
	return 0;
}

long sim_shmctl(struct sim_kernel *k, int pid, int shmid, int cmd, struct ipcsim_shmid_ds *ds,
                struct ipcsim_shminfo *shminfo, struct ipcsim_shm_info *shm_info)
{
	struct sim_proc *p = sim_proc_find(k, pid);

	if (!p || p->state != SIM_PROC_RUNNING)
		return -ESRCH;
	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shmctl_info(k, cmd, shminfo, shm_info);
	case SHM_STAT:
	case SHM_STAT_ANY:
	case IPC_STAT:
		return shmctl_stat(k, p, shmid, cmd, ds);
	case IPC_SET:
		if (!ds)
			return -EFAULT;
		return shmctl_down(k, p, shmid, cmd, ds);
	case IPC_RMID:
		return shmctl_down(k, p, shmid, cmd, NULL);
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shmctl_lock(k, p, shmid, cmd);
	default:
		return -EINVAL;
	}
}

void shm_free_all(struct sim_kernel *k)
{
	struct sim_perm *perm, *tmp;
	struct sim_memlock *m, *mtmp;

	SIM_IDS_FOREACH(&k->shm_ids, perm, tmp)
		shm_destroy(k, shm_segment_of(perm));
	for (m = k->memlocks; m; m = mtmp) {
		mtmp = m->next;
		free(m);
	}
	k->memlocks = NULL;
}
