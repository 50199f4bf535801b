/*
 * sim_backend_shm_sem.c - the simulated-kernel backend's shared memory,
 * semaphore and memory-access ops (ipcsim/kernel_shm.h, kernel_sem.h).
 *
 * Same facade rule as sim_backend.c: kernel values in, userspace values
 * out, nothing of the kernel's memory leaks through.  Two things need care
 * here.  Buffers the kernel writes into (GETALL's array, memread's bytes)
 * are sized before the call: GETALL from the set's current size, read as
 * the renderers do (no permission check, no side effect).  And a memory
 * access that faults kills the caller (SIM_KILLED): the result then says
 * killed = SIGSEGV and carries no return value.
 */
#include <errno.h>
#include <stdlib.h>

#include "backend/sim_backend_int.h"

static struct sim_kernel *kern(void *ctx)
{
	return ((struct sim_backend *)ctx)->k;
}

/* ---- shared memory ---------------------------------------------------------- */

int sb_shmget(void *ctx, int pid, long key, size_t size, int flags, struct backend_result *r)
{
	return sim_backend_set_ret(r, sim_shmget(kern(ctx), pid, key, size, flags));
}

int sb_shmat(void *ctx, int pid, int id, unsigned long addr, int flags, struct backend_result *r)
{
	return sim_backend_set_ret(r, sim_shmat(kern(ctx), pid, id, addr, flags));
}

int sb_shmdt(void *ctx, int pid, unsigned long addr, struct backend_result *r)
{
	return sim_backend_set_ret(r, sim_shmdt(kern(ctx), pid, addr));
}

int sb_shmctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
              const struct ipcsim_shmid_ds *ds, struct backend_result *r)
{
	struct ipcsim_shmid_ds kds = { 0 };
	struct ipcsim_shminfo kinfo = { 0 };
	struct ipcsim_shm_info kshm_info = { 0 };
	int valid = buf == BACKEND_BUF_VALID;
	long kret;

	if (ds != NULL)
		kds = *ds;
	kret = sim_shmctl(kern(ctx), pid, id, cmd, valid ? &kds : NULL, valid ? &kinfo : NULL,
	                  valid ? &kshm_info : NULL);
	if (sim_backend_set_ret(r, kret) < 0)
		return -1;
	if (kret < 0 || !valid)
		return 0;
	if (cmd == IPC_INFO) {
		r->has_shminfo = 1;
		r->shminfo = kinfo;
	} else if (cmd == SHM_INFO) {
		r->has_shm_info = 1;
		r->shm_info = kshm_info;
	} else if (cmd == IPC_STAT || cmd == SHM_STAT || cmd == SHM_STAT_ANY) {
		r->has_shm_ds = 1;
		r->shm_ds = kds;
	}
	return 0;
}

int sb_shm_current(void *ctx, int id, struct ipcsim_shmid_ds *ds)
{
	struct ipcsim_shmid_ds kds = { 0 };

	/* Into a copy: the index may hold another segment (an older id). */
	if (id < 0 || sim_shm_stat_idx(kern(ctx), id % SIM_BACKEND_IPCMNI, &kds) != id)
		return -1;
	*ds = kds;
	return 0;
}

/* ---- semaphores ------------------------------------------------------------- */

int sb_semget(void *ctx, int pid, long key, int nsems, int flags, struct backend_result *r)
{
	return sim_backend_set_ret(r, sim_semget(kern(ctx), pid, key, nsems, flags));
}

int sb_semop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
             struct backend_result *r)
{
	return sim_backend_set_ret(r, sim_semop(kern(ctx), pid, id, sops, nsops));
}

int sb_semtimedop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
                  const long *timeout, struct backend_result *r)
{
	return sim_backend_set_ret(r, sim_semtimedop(kern(ctx), pid, id, sops, nsops, timeout));
}

/* The size of set id as the renderers see it, or 0 when there is no such set. */
static size_t sem_nsems(struct sim_kernel *k, int id)
{
	struct ipcsim_semid_ds ds;

	if (id < 0 || sim_sem_stat_idx(k, id % SIM_BACKEND_IPCMNI, &ds) != id)
		return 0;
	return ds.sem_nsems;
}

int sb_semctl(void *ctx, int pid, int id, int semnum, int cmd,
              const struct backend_semctl_arg *arg, struct backend_result *r)
{
	struct sim_kernel *k = kern(ctx);
	struct sim_semctl_arg karg = { 0 };
	struct ipcsim_semid_ds kds = { 0 };
	struct ipcsim_seminfo kinfo = { 0 };
	size_t n = sem_nsems(k, id);
	unsigned short *array = calloc(n > 0 ? n : 1, sizeof(*array));
	int valid = arg != NULL && arg->buf == BACKEND_BUF_VALID;
	long kret;
	int rc = -1;

	if (array == NULL)
		return -1;
	if (arg != NULL)
		karg.val = arg->val;
	if (valid) {
		if (cmd == SETALL)
			for (size_t i = 0; i < n && i < arg->nvalues; i++)
				array[i] = arg->values[i];
		if (arg->ds != NULL)
			kds = *arg->ds;
		karg.array = array;
		karg.buf = &kds;
		karg.info = &kinfo;
	}
	kret = sim_semctl(k, pid, id, semnum, cmd, &karg);
	if (sim_backend_set_ret(r, kret) < 0)
		goto out_free;
	rc = 0;
	if (kret < 0 || !valid)
		goto out_free;
	if (cmd == GETALL) {
		r->semvals = array;
		r->nsemvals = n;
		array = NULL;
	} else if (cmd == IPC_INFO || cmd == SEM_INFO) {
		r->has_seminfo = 1;
		r->seminfo = kinfo;
	} else if (cmd == IPC_STAT || cmd == SEM_STAT || cmd == SEM_STAT_ANY) {
		r->has_sem_ds = 1;
		r->sem_ds = kds;
	}
out_free:
	free(array);
	return rc;
}

int sb_sem_current(void *ctx, int id, struct ipcsim_semid_ds *ds)
{
	struct ipcsim_semid_ds kds = { 0 };

	/* Into a copy: the index may hold another set (an older id). */
	if (id < 0 || sim_sem_stat_idx(kern(ctx), id % SIM_BACKEND_IPCMNI, &kds) != id)
		return -1;
	*ds = kds;
	return 0;
}

/* ---- memory ------------------------------------------------------------------ */

int sb_mem_store(void *ctx, int pid, unsigned long addr, long value, struct backend_result *r)
{
	return sim_backend_set_ret(r, sim_mem_store(kern(ctx), pid, addr, value));
}

int sb_mem_load(void *ctx, int pid, unsigned long addr, struct backend_result *r)
{
	long value = 0;
	long kret = sim_mem_load(kern(ctx), pid, addr, &value);

	if (sim_backend_set_ret(r, kret) < 0)
		return -1;
	if (kret == 0)
		r->ret = value; /* the value itself, negative included */
	return 0;
}

int sb_mem_write(void *ctx, int pid, unsigned long addr, const void *buf, size_t n,
                 struct backend_result *r)
{
	return sim_backend_set_ret(r, sim_mem_write(kern(ctx), pid, addr, buf, n));
}

int sb_mem_read(void *ctx, int pid, unsigned long addr, size_t n, struct backend_result *r)
{
	unsigned char *buf = calloc(n > 0 ? n : 1, 1);
	long kret;

	if (buf == NULL)
		return -1;
	kret = sim_mem_read(kern(ctx), pid, addr, buf, n);
	if (sim_backend_set_ret(r, kret) < 0) {
		free(buf);
		return -1;
	}
	if (kret == 0) {
		r->bytes = buf;
		r->nbytes = n;
	} else {
		free(buf);
	}
	return 0;
}
