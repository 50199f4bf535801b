/*
 * ipcsim/kernel_shm.h - shared memory and address spaces in the simulated
 * kernel (included by ipcsim/kernel.h; same conventions: kernel first, pid
 * second, >= 0 or -errno, nothing changes on failure).
 *
 * Each process has an address space: a list of attachments (address,
 * length in whole pages, segment, read-only).  Addresses chosen by the
 * kernel (shmat with NULL) are deterministic: top-down below
 * SIM_MMAP_BASE, like Linux's mmap, so the same scenario always gives the
 * same addresses.  Segment memory is allocated lazily, a page at a time, on
 * first write; reads of untouched pages see zeros.  The simulator's total
 * segment memory is capped (SIM_SHM_MEM_CAP by default, sim_shm_set_mem_cap
 * to change): a write that would pass it fails with SIM_ENOMEM_CAP rather
 * than exhausting the host.
 *
 * Memory access from a process (store/load/memcpy/memread) outside its
 * attachments, or a write into a read-only one, kills it with SIGSEGV:
 * the call returns SIM_KILLED, the process is SIM_PROC_KILLED with
 * term_sig SIGSEGV, its segments are detached as on exit.
 */
#ifndef IPCSIM_KERNEL_SHM_H
#define IPCSIM_KERNEL_SHM_H

#include <sys/shm.h>
/* struct sim_kernel, struct sim_ipc_perm; it includes this header at its end. */
#include "ipcsim/kernel.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

#ifndef SHM_STAT
#define SHM_STAT 13
#endif
#ifndef SHM_INFO
#define SHM_INFO 14
#endif
#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#ifndef SHM_DEST
#define SHM_DEST 01000
#endif
#ifndef SHM_LOCKED
#define SHM_LOCKED 02000
#endif
#ifndef SHM_REMAP
#define SHM_REMAP 040000
#endif
#ifndef SHM_EXEC
#define SHM_EXEC 0100000
#endif

#define SIM_PAGE_SIZE 4096UL
#define SIM_MMAP_BASE 0x7f0000000000UL       /* top of the area shmat(NULL) uses */
#define SIM_MMAP_MIN_ADDR 0x10000UL          /* vm.mmap_min_addr */
#define SIM_TASK_SIZE 0x7ffffffff000UL       /* x86_64 user space end */
#define SIM_SHM_MEM_CAP ((size_t)1 << 30)    /* default cap: bytes of touched pages */
#define SIM_MAX_MAP_COUNT 65530UL            /* vm.max_map_count's default */
#define SIM_KILLED (-100001L)                /* the calling process died in this call */
#define SIM_ENOMEM_CAP (-100002L)            /* the simulator's memory cap was reached */

/* vm.max_map_count (default SIM_MAX_MAP_COUNT): shmat fails with ENOMEM
 * once a process has more VMAs than this; it may exceed it by one, as
 * do_mmap tests `map_count > sysctl_max_map_count`.  Only SysV VMAs count
 * here (a real process also has its code, heap and stack).  0 restores the
 * default. */
void sim_shm_set_max_map_count(struct sim_kernel *k, size_t n);

/* Why the last call returned SIM_ENOMEM_CAP: the cap on segment memory, or
 * the host's memory; "" before any. */
const char *sim_kernel_failure(const struct sim_kernel *k);

/* The cap on segment memory: bytes of touched pages of all segments, rounded
 * down to whole pages (at least one); 0 restores SIM_SHM_MEM_CAP.  A lower
 * cap than what is already touched refuses only new pages. */
void sim_shm_set_mem_cap(struct sim_kernel *k, size_t bytes);

/* shmget: id or -errno (EINVAL, EEXIST, ENOENT, EACCES, ENOSPC, ENOMEM). */
long sim_shmget(struct sim_kernel *k, int pid, long key, size_t size, int shmflg);
/* shmat: the attach address (> 0), or -errno. */
long sim_shmat(struct sim_kernel *k, int pid, int shmid, unsigned long addr, int shmflg);
/* shmdt: 0 or -EINVAL. */
long sim_shmdt(struct sim_kernel *k, int pid, unsigned long addr);
/*
 * shmctl: IPC_STAT/SHM_STAT/SHM_STAT_ANY fill *ds; IPC_SET reads uid, gid,
 * mode; IPC_INFO fills *shminfo, SHM_INFO *shm_info; IPC_RMID, SHM_LOCK,
 * SHM_UNLOCK ignore them.  NULL where a buffer is needed: -EFAULT.
 */
long sim_shmctl(struct sim_kernel *k, int pid, int shmid, int cmd, struct ipcsim_shmid_ds *ds,
                struct ipcsim_shminfo *shminfo, struct ipcsim_shm_info *shm_info);

/* Memory access through the caller's attachments.  0 (and *value / buf),
 * SIM_KILLED (SIGSEGV), SIM_ENOMEM_CAP, or -ESRCH for a process not running. */
long sim_mem_store(struct sim_kernel *k, int pid, unsigned long addr, long value);
long sim_mem_load(struct sim_kernel *k, int pid, unsigned long addr, long *value);
long sim_mem_write(struct sim_kernel *k, int pid, unsigned long addr, const void *buf, size_t n);
long sim_mem_read(struct sim_kernel *k, int pid, unsigned long addr, void *buf, size_t n);

/* ---- views --------------------------------------------------------------- */
int sim_shm_max_idx(const struct sim_kernel *k);
long sim_shm_stat_idx(const struct sim_kernel *k, int idx, struct ipcsim_shmid_ds *ds);
/* Resident (touched) pages of the segment at index idx; 0 for an empty index. */
unsigned long sim_shm_rss_idx(const struct sim_kernel *k, int idx);
/* Pages with memory behind them (rss) over all segments, and segments/pages in use. */
void sim_shm_totals(const struct sim_kernel *k, int *segments, unsigned long *pages,
                    unsigned long *rss_pages);

/* Copies n bytes of segment shmid from offset off into buf, as the memory
 * holds them (untouched pages read as zeros; nothing is allocated).
 * 0, or -EINVAL for an unknown id or a range past the segment's pages. */
int sim_shm_peek(const struct sim_kernel *k, int shmid, size_t off, void *buf, size_t n);

/*
 * How memory was last written, per SIM_MEM_CELL-byte cell (cells are
 * aligned on the segment's offsets): never, by store() of a long covering
 * the cell exactly, or by anything else (memcpy, a store across cells).
 */
#define SIM_MEM_CELL 8
enum sim_mem_kind { SIM_MEM_UNWRITTEN, SIM_MEM_LONG, SIM_MEM_BYTES };

struct sim_mem_run_view {
	size_t off, len;        /* bytes of the segment: whole cells */
	enum sim_mem_kind kind; /* SIM_MEM_LONG: len / 8 longs; SIM_MEM_BYTES */
	int pid;                /* the process that wrote them */
};
/* The written parts of segment shmid in offset order: maximal runs of cells
 * last written the same way by the same process (unwritten cells are left
 * out).  0, -EINVAL for an unknown id, -ENOMEM; stops early when cb returns
 * non-zero. */
int sim_shm_written(const struct sim_kernel *k, int shmid,
                    int (*cb)(void *ctx, const struct sim_mem_run_view *r), void *ctx);

struct sim_attach_view {
	int pid;
	unsigned long addr;
	size_t len;        /* bytes mapped: whole pages */
	int shmid;
	int rdonly, exec;
	uint32_t file_key;   /* the key at creation: the "SYSV%08x" name in /proc/PID/maps */
	unsigned long pgoff; /* first page of the segment mapped here (0 unless split) */
};
/* Attachments of segment shmid, by process creation order then address. */
int sim_shm_attachments(const struct sim_kernel *k, int shmid,
                        int (*cb)(void *ctx, const struct sim_attach_view *a), void *ctx);
/* Attachments of process pid in address order (/proc/PID/maps). -ESRCH unknown pid. */
int sim_proc_attachments(const struct sim_kernel *k, int pid,
                         int (*cb)(void *ctx, const struct sim_attach_view *a), void *ctx);

#pragma GCC visibility pop

#endif
