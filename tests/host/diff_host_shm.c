/*
 * diff_host_shm.c - shared memory steps on the host kernel: raw shmget,
 * shmat, shmdt, shmctl, and memory writes and reads through attachments.
 *
 * Every successful shmat is marked MADV_DONTFORK, so the per-step children
 * and helpers forked later start without the attachments, as the
 * simulator's fresh processes do (fork would otherwise bump nattch and move
 * lpid).  The segment's size for the madvise comes from SHM_STAT_ANY, which
 * needs no permission and changes nothing.
 *
 * A memory access runs under a SIGSEGV handler that jumps back, so an
 * access the host refuses is recorded as DIFF_RET_SEGV (and reported as a
 * divergence) instead of killing the sequence's process.
 */
#include "diff_host_int.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ipcsim/kernel.h"

/* Per process (each forked step has its own copy); only the faulting access
 * in this process jumps to it. */
static sigjmp_buf segv_jump;
static volatile sig_atomic_t segv_armed;

static void on_segv(int sig)
{
	if (!segv_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	segv_armed = 0;
	siglongjmp(segv_jump, 1);
}

void diff_host_segv_guard(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

int diff_host_fixed_region_free(char *why, size_t n)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long lo, hi;

	if (!f) {
		snprintf(why, n, "cannot read /proc/self/maps: %s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo < DIFF_FIXED_BASE + DIFF_FIXED_SPAN &&
		    hi > DIFF_FIXED_BASE) {
			snprintf(why, n, "the host maps %#lx-%#lx, inside the fixed-address region "
			         "%#lx+%#lx the test attaches at", lo, hi, DIFF_FIXED_BASE, DIFF_FIXED_SPAN);
			fclose(f);
			return -1;
		}
	fclose(f);
	return 0;
}

static void shmds_from_host(struct diff_shmds *d, const struct shmid_ds *m)
{
	d->key = (uint32_t)m->shm_perm.__key;
	d->uid = m->shm_perm.uid;
	d->gid = m->shm_perm.gid;
	d->cuid = m->shm_perm.cuid;
	d->cgid = m->shm_perm.cgid;
	d->mode = m->shm_perm.mode;
	d->seq = m->shm_perm.__seq;
	d->segsz = m->shm_segsz;
	d->nattch = m->shm_nattch;
	d->cpid = m->shm_cpid;
	d->lpid = m->shm_lpid;
	d->atime = m->shm_atime;
	d->dtime = m->shm_dtime;
	d->ctime = m->shm_ctime;
}

static long host_shmat(const struct diff_step *st, long id, const struct diff_run *run,
                       struct diff_result *res)
{
	unsigned long addr = diff_addr_resolve(&st->addr, run);
	long r = syscall(SYS_shmat, (int)id, addr, st->flags);
	struct shmid_ds ds;

	if (r == -1)
		return -errno;
	res->is_addr = 1;
	memset(&ds, 0, sizeof(ds));
	if (syscall(SYS_shmctl, (int)id & 0x7fff, SHM_STAT_ANY, &ds) >= 0)
		madvise((void *)r, (ds.shm_segsz + 4095) & ~4095UL, MADV_DONTFORK);
	return r;
}

static long host_shmctl(const struct diff_step *st, long id, struct diff_result *res)
{
	struct shmid_ds ds;
	struct shminfo info;
	struct shm_info sinfo;
	void *arg = &ds;
	long r;

	memset(&ds, 0, sizeof(ds));
	memset(&info, 0, sizeof(info));
	memset(&sinfo, 0, sizeof(sinfo));
	if (st->cmd == IPC_INFO)
		arg = &info;
	else if (st->cmd == SHM_INFO)
		arg = &sinfo;
	else if (st->cmd == IPC_RMID || st->cmd == SHM_LOCK || st->cmd == SHM_UNLOCK)
		arg = NULL;
	if (st->cmd == IPC_SET) {
		ds.shm_perm.uid = st->set.uid;
		ds.shm_perm.gid = st->set.gid;
		ds.shm_perm.mode = (unsigned short)st->set.mode;
	}
	if (st->null_buf)
		arg = NULL;
	r = diff_host_ret(syscall(SYS_shmctl, (int)id, st->cmd, arg));
	if (r < 0 || !arg || st->cmd == IPC_SET)
		return r;
	if (arg == &info) {
		res->has_shminfo = 1;
		res->shminfo = (struct diff_shminfo){ info.shmmax, info.shmmin, info.shmmni,
		                                      info.shmseg, info.shmall };
	} else if (arg == &sinfo) {
		res->has_shm_info = 1;
		res->shm_info = (struct diff_shm_info){ sinfo.used_ids, sinfo.shm_tot, sinfo.shm_rss,
		                                        sinfo.shm_swp, sinfo.swap_attempts,
		                                        sinfo.swap_successes };
	} else {
		res->has_shmds = 1;
		shmds_from_host(&res->shmds, &ds);
	}
	return r;
}

/* Byte copies through a volatile pointer: the compiler must really touch
 * the attachment, in order, so a fault happens where the simulator's would.
 * Not sanitized: an attachment at address 0 (SHM_RND below one page, as
 * root) is a real mapping, but UBSan would call the store a null dereference. */
__attribute__((no_sanitize_address, no_sanitize("undefined")))
static long host_mem(struct diff_buf *b, const struct diff_step *st, int i,
                     const struct diff_run *run, struct diff_result *res)
{
	volatile unsigned char *p = (volatile unsigned char *)diff_addr_resolve(&st->addr, run);
	unsigned char *buf = diff_buf_rcv(b);
	size_t n = st->len < DIFF_MAX_TEXT ? st->len : DIFF_MAX_TEXT;

	if (sigsetjmp(segv_jump, 1)) {
		segv_armed = 0;
		return DIFF_RET_SEGV;
	}
	segv_armed = 1;
	if (st->op == DIFF_MEMWRITE)
		for (size_t j = 0; j < n; j++)
			p[j] = diff_mem_byte(i, j);
	else
		for (size_t j = 0; j < n; j++)
			buf[j] = p[j];
	segv_armed = 0;
	if (st->op == DIFF_MEMREAD) {
		diff_result_set_msg(res, 0, buf, n);
		res->has_msg = 0;
		res->has_bytes = 1;
	}
	return 0;
}

long diff_host_shm_step(struct diff_buf *b, const struct diff_step *st, int i,
                        const struct diff_run *run, struct diff_result *res)
{
	long id = diff_id_resolve(&st->id, run);

	switch (st->op) {
	case DIFF_SHMGET:
		return diff_host_ret(syscall(SYS_shmget, (key_t)st->key, st->size, st->flags));
	case DIFF_SHMAT:
		return host_shmat(st, id, run, res);
	case DIFF_SHMDT:
		return diff_host_ret(syscall(SYS_shmdt, diff_addr_resolve(&st->addr, run)));
	case DIFF_SHMCTL:
		return host_shmctl(st, id, res);
	case DIFF_MEMWRITE:
	case DIFF_MEMREAD:
		return host_mem(b, st, i, run, res);
	default:
		return -ENOSYS;
	}
}
