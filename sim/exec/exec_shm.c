/*
 * exec_shm.c - shared memory is real memory: each segment is a memfd the
 * server owns, mapped MAP_SHARED into every process that attaches it (the
 * preload library maps the descriptor shmat's reply carries, at the address
 * the simulated kernel chose), and into the server, which reads the bytes.
 *
 * The simulated kernel keeps its own copy of a segment's bytes (its
 * diagrams and the trace draw them, with who wrote them).  Before each
 * call, what changed in any segment is copied into that copy, and into the
 * record, as a memcpy: by the caller when it has the segment attached
 * writable, else by the first process that has.  The bytes are exact; who
 * wrote them is a guess where several processes write between two calls
 * (docs/exec.md says so).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "ipcsim/kernel.h"
#include "ipcsim/strace.h"

struct exec_seg *exec_seg_get(struct exec_server *s, int shmid)
{
	struct ipcsim_shmid_ds ds;
	struct exec_seg *seg, *ns;
	struct stat st;
	size_t size;

	for (size_t i = 0; i < s->nsegs; i++)
		if (s->segs[i].shmid == shmid)
			return &s->segs[i];
	if (s->b->ops->shm_current(s->b->ctx, shmid, &ds) < 0)
		return NULL;
	size = (ds.shm_segsz + SIM_PAGE_SIZE - 1) & ~(SIM_PAGE_SIZE - 1);
	ns = realloc(s->segs, (s->nsegs + 1) * sizeof(*ns));
	if (!ns)
		return NULL;
	s->segs = ns;
	seg = &s->segs[s->nsegs];
	seg->shmid = shmid;
	seg->size = size;
	seg->rofd = -1;
	seg->quiet = 0;
	seg->fd = memfd_create("ipcsim-shm", MFD_CLOEXEC);
	if (seg->fd < 0)
		return NULL;
	if (ftruncate(seg->fd, (off_t)size) < 0 || fstat(seg->fd, &st) < 0 ||
	    (seg->map = mmap(NULL, size, PROT_READ, MAP_SHARED, seg->fd, 0)) == MAP_FAILED) {
		close(seg->fd);
		return NULL;
	}
	seg->ino = (uint64_t)st.st_ino;
	seg->dev = (uint64_t)st.st_dev;
	s->nsegs++;
	return seg;
}

int exec_seg_rdonly(struct exec_seg *seg)
{
	char path[64];

	if (seg->rofd < 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", seg->fd);
		seg->rofd = open(path, O_RDONLY | O_CLOEXEC);
	}
	return seg->rofd;
}

/* The segment is gone: its memory is released now, whatever descriptors
 * of it the processes still hold (the preload library keeps one per
 * segment it attached, to map it again without asking for it). */
static void seg_close(struct exec_seg *seg)
{
	munmap(seg->map, seg->size);
	if (ftruncate(seg->fd, 0) < 0)
		fallocate(seg->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)seg->size);
	close(seg->fd);
	if (seg->rofd >= 0)
		close(seg->rofd);
}

void exec_seg_collect(struct exec_server *s)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->nsegs; i++) {
		struct ipcsim_shmid_ds ds;

		if (s->b->ops->shm_current(s->b->ctx, s->segs[i].shmid, &ds) == 0) {
			/* Every caller synced just before the detach: with nothing
			 * attached now, nobody can write it until an attach. */
			s->segs[i].quiet = ds.shm_nattch == 0;
			s->segs[kept++] = s->segs[i];
		} else {
			seg_close(&s->segs[i]);
		}
	}
	s->nsegs = kept;
}

void exec_seg_free_all(struct exec_server *s)
{
	for (size_t i = 0; i < s->nsegs; i++)
		seg_close(&s->segs[i]);
	free(s->segs);
	s->segs = NULL;
	s->nsegs = 0;
}

struct sync_ctx {
	struct exec_server *s;
	struct exec_proc *caller;
	struct exec_proc *p;          /* the writer named */
	struct sim_attach_view a;     /* its attachment */
};

/* Segments of at most this many pages are compared without mincore. */
#define EXEC_SYNC_SMALL 4
/* Bytes compared at once before cell by cell (a multiple of SIM_MEM_CELL). */
#define EXEC_SYNC_BLOCK 64

static struct exec_proc *proc_of(struct exec_server *s, int sim)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].sim == sim && !s->procs[i].ended)
			return &s->procs[i];
	return NULL;
}

/* The writer: the caller when it has the segment attached writable, else
 * the first process that has. */
static int pick_writer(void *ctx, const struct sim_attach_view *a)
{
	struct sync_ctx *x = ctx;
	struct exec_proc *p = proc_of(x->s, a->pid);

	if (a->rdonly || !p)
		return 0;
	if (!x->p || p == x->caller) {
		x->p = p;
		x->a = *a;
	}
	return 0;
}

/* One differing run of bytes [off, off + n) of seg. */
static void sync_run(struct sync_ctx *x, const struct exec_seg *seg, size_t off, size_t n)
{
	struct exec_server *s = x->s;
	unsigned long base = x->a.addr - x->a.pgoff * SIM_PAGE_SIZE, addr = base + off;
	struct backend_result r;
	FILE *w;

	/* outside the writer's attachment (a partial one): not drawn */
	if (off < x->a.pgoff * SIM_PAGE_SIZE || off + n > x->a.pgoff * SIM_PAGE_SIZE + x->a.len)
		return;
	if (s->b->ops->mem_write(s->b->ctx, x->p->sim, addr, seg->map + off, n, &r) < 0) {
		s->failed = 1;
		return;
	}
	backend_result_release(&r);
	/* the line in the server's one text stream (no stream made per run) */
	w = exec_text_begin(s);
	fputs(x->p->tok, w);
	fputs(": memcpy(", w);
	exec_put_hex(w, addr);
	fputs(", ", w);
	strace_print_string(w, seg->map + off, n, 1);
	fputs(", ", w);
	strace_print_int(w, (long long)n, 'd');
	fputs(") = 0", w);
	exec_line_text(s, s->o->show == IPCSIM_EXEC_SHOW_EACH, exec_text_end(s));
}

/* Only pages with memory behind them (mincore: touched by some process)
 * can differ from the simulated copy, and a page is compared whole before
 * cell by cell: a call costs nothing for segments nobody wrote.  A small
 * segment is compared without asking (a syscall costs more than reading
 * a few pages), and a quiet one not at all: nothing has been attached to
 * it since it was last compared. */
static void sync_seg(struct exec_server *s, struct exec_proc *caller, struct exec_seg *seg)
{
	const struct sim_kernel *k = backend_kernel(s->b);
	struct sync_ctx x = { .s = s, .caller = caller };
	size_t pages = seg->size / SIM_PAGE_SIZE, run = 0, run_len = 0;
	unsigned char small[EXEC_SYNC_SMALL], *resident = small, sim[SIM_PAGE_SIZE];

	if (seg->quiet) {
		struct ipcsim_shmid_ds ds;

		if (s->b->ops->shm_current(s->b->ctx, seg->shmid, &ds) == 0 && ds.shm_nattch == 0)
			return;
		seg->quiet = 0;
	}
	if (pages <= EXEC_SYNC_SMALL)
		memset(resident, 1, pages);
	else if (!(resident = malloc(pages)))
		return;
	else if (mincore(seg->map, seg->size, resident) < 0)
		memset(resident, 1, pages);
	for (size_t pg = 0; pg < pages; pg++) {
		size_t base = pg * SIM_PAGE_SIZE;

		if (!(resident[pg] & 1) || sim_shm_peek(k, seg->shmid, base, sim, SIM_PAGE_SIZE) < 0 ||
		    memcmp(sim, seg->map + base, SIM_PAGE_SIZE) == 0) {
			if (run_len && x.p)
				sync_run(&x, seg, run, run_len);
			run_len = 0;
			continue;
		}
		if (!x.p) {
			sim_shm_attachments(k, seg->shmid, pick_writer, &x);
			if (!x.p)
				break; /* nobody can have written it: nothing to say */
		}
		/* Cell by cell: the simulated kernel keeps who wrote each 8 bytes
		 * (a block whose cells are all equal is passed over at once). */
		for (size_t blk = 0; blk < SIM_PAGE_SIZE; blk += EXEC_SYNC_BLOCK) {
			int whole = memcmp(sim + blk, seg->map + base + blk, EXEC_SYNC_BLOCK) == 0;

			for (size_t c = blk; c < blk + EXEC_SYNC_BLOCK; c += SIM_MEM_CELL) {
				if (!whole && memcmp(sim + c, seg->map + base + c, SIM_MEM_CELL) != 0) {
					if (run_len == 0)
						run = base + c;
					run_len = base + c + SIM_MEM_CELL - run;
					continue;
				}
				if (run_len)
					sync_run(&x, seg, run, run_len);
				run_len = 0;
				if (whole)
					break;
			}
		}
	}
	if (run_len && x.p)
		sync_run(&x, seg, run, run_len);
	if (resident != small)
		free(resident);
}

void exec_seg_sync(struct exec_server *s, struct exec_proc *caller)
{
	for (size_t i = 0; i < s->nsegs; i++)
		sync_seg(s, caller, &s->segs[i]);
}
