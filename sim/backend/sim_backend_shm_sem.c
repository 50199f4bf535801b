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
#include <string.h>

#include "backend/sim_backend_int.h"

static struct sim_kernel *kern(void *ctx)
{
	return ((struct sim_backend *)ctx)->k;
}

/* ---- conversions ---------------------------------------------------------- */

static void shm_ds_from_sim(struct backend_shmid_ds *to, const struct sim_shmid_ds *from)
{
	memset(to, 0, sizeof(*to));
	sim_backend_perm_from_sim(&to->shm_perm, &from->shm_perm);
	SB_SHM_FIELDS(SB_COPY)
}

static void shm_ds_to_sim(struct sim_shmid_ds *to, const struct backend_shmid_ds *from)
{
	memset(to, 0, sizeof(*to));
	sim_backend_perm_to_sim(&to->shm_perm, &from->shm_perm);
	SB_SHM_FIELDS(SB_COPY)
}

static void sem_ds_from_sim(struct backend_semid_ds *to, const struct sim_semid_ds *from)
{
	memset(to, 0, sizeof(*to));
	sim_backend_perm_from_sim(&to->sem_perm, &from->sem_perm);
	SB_SEM_FIELDS(SB_COPY)
}

static void sem_ds_to_sim(struct sim_semid_ds *to, const struct backend_semid_ds *from)
{
	memset(to, 0, sizeof(*to));
	sim_backend_perm_to_sim(&to->sem_perm, &from->sem_perm);
	SB_SEM_FIELDS(SB_COPY)
}

static void seminfo_from_sim(struct backend_seminfo *to, const struct sim_seminfo *from)
{
	to->semmap = from->semmap;
	to->semmni = from->semmni;
	to->semmns = from->semmns;
	to->semmnu = from->semmnu;
	to->semmsl = from->semmsl;
	to->semopm = from->semopm;
	to->semume = from->semume;
	to->semusz = from->semusz;
	to->semvmx = from->semvmx;
	to->semaem = from->semaem;
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
              const struct backend_shmid_ds *ds, struct backend_result *r)
{
	struct sim_shmid_ds kds;
	struct sim_shminfo kinfo;
	struct sim_shm_info kshm_info;
	int valid = buf == BACKEND_BUF_VALID;
	long kret;

	memset(&kds, 0, sizeof(kds));
	memset(&kinfo, 0, sizeof(kinfo));
	memset(&kshm_info, 0, sizeof(kshm_info));
	if (ds != NULL)
		shm_ds_to_sim(&kds, ds);
	kret = sim_shmctl(kern(ctx), pid, id, cmd, valid ? &kds : NULL, valid ? &kinfo : NULL,
	                  valid ? &kshm_info : NULL);
	if (sim_backend_set_ret(r, kret) < 0)
		return -1;
	if (kret < 0 || !valid)
		return 0;
	if (cmd == IPC_INFO) {
		r->has_shminfo = 1;
		r->shminfo.shmmax = kinfo.shmmax;
		r->shminfo.shmmin = kinfo.shmmin;
		r->shminfo.shmmni = kinfo.shmmni;
		r->shminfo.shmseg = kinfo.shmseg;
		r->shminfo.shmall = kinfo.shmall;
	} else if (cmd == SHM_INFO) {
		r->has_shm_info = 1;
		r->shm_info.used_ids = kshm_info.used_ids;
		r->shm_info.shm_tot = kshm_info.shm_tot;
		r->shm_info.shm_rss = kshm_info.shm_rss;
		r->shm_info.shm_swp = kshm_info.shm_swp;
		r->shm_info.swap_attempts = kshm_info.swap_attempts;
		r->shm_info.swap_successes = kshm_info.swap_successes;
	} else if (cmd == IPC_STAT || cmd == SHM_STAT || cmd == SHM_STAT_ANY) {
		r->has_shm_ds = 1;
		shm_ds_from_sim(&r->shm_ds, &kds);
	}
	return 0;
}

int sb_shm_current(void *ctx, int id, struct backend_shmid_ds *ds)
{
	struct sim_shmid_ds kds;

	if (id < 0)
		return -1;
	memset(&kds, 0, sizeof(kds));
	if (sim_shm_stat_idx(kern(ctx), id % SIM_BACKEND_IPCMNI, &kds) != id)
		return -1;
	shm_ds_from_sim(ds, &kds);
	return 0;
}

/* ---- semaphores ------------------------------------------------------------- */

int sb_semget(void *ctx, int pid, long key, int nsems, int flags, struct backend_result *r)
{
	return sim_backend_set_ret(r, sim_semget(kern(ctx), pid, key, nsems, flags));
}

/* The backend's sembuf is the kernel's, field for field; copied, not cast. */
static struct sim_sembuf *sops_to_sim(const struct backend_sembuf *sops, size_t nsops)
{
	struct sim_sembuf *k = calloc(nsops > 0 ? nsops : 1, sizeof(*k));

	if (k == NULL)
		return NULL;
	for (size_t i = 0; i < nsops; i++) {
		k[i].sem_num = sops[i].sem_num;
		k[i].sem_op = sops[i].sem_op;
		k[i].sem_flg = sops[i].sem_flg;
	}
	return k;
}

static int do_semop(void *ctx, int pid, int id, const struct backend_sembuf *sops, size_t nsops,
                    int timed, const long *timeout, struct backend_result *r)
{
	struct sim_sembuf *ksops = NULL;
	long kret;

	if (sops != NULL && (ksops = sops_to_sim(sops, nsops)) == NULL)
		return -1;
	if (timed)
		kret = sim_semtimedop(kern(ctx), pid, id, ksops, nsops, timeout);
	else
		kret = sim_semop(kern(ctx), pid, id, ksops, nsops);
	free(ksops);
	return sim_backend_set_ret(r, kret);
}

int sb_semop(void *ctx, int pid, int id, const struct backend_sembuf *sops, size_t nsops,
             struct backend_result *r)
{
	return do_semop(ctx, pid, id, sops, nsops, 0, NULL, r);
}

int sb_semtimedop(void *ctx, int pid, int id, const struct backend_sembuf *sops, size_t nsops,
                  const long *timeout, struct backend_result *r)
{
	return do_semop(ctx, pid, id, sops, nsops, 1, timeout, r);
}

/* The size of set id as the renderers see it, or 0 when there is no such set. */
static size_t sem_nsems(struct sim_kernel *k, int id)
{
	struct sim_semid_ds ds;

	if (id < 0 || sim_sem_stat_idx(k, id % SIM_BACKEND_IPCMNI, &ds) != id)
		return 0;
	return ds.sem_nsems;
}

int sb_semctl(void *ctx, int pid, int id, int semnum, int cmd,
              const struct backend_semctl_arg *arg, struct backend_result *r)
{
	struct sim_kernel *k = kern(ctx);
	struct sim_semctl_arg karg;
	struct sim_semid_ds kds;
	struct sim_seminfo kinfo;
	size_t n = sem_nsems(k, id);
	unsigned short *array = calloc(n > 0 ? n : 1, sizeof(*array));
	int valid = arg != NULL && arg->buf == BACKEND_BUF_VALID;
	long kret;
	int rc = -1;

	if (array == NULL)
		return -1;
	memset(&karg, 0, sizeof(karg));
	memset(&kds, 0, sizeof(kds));
	memset(&kinfo, 0, sizeof(kinfo));
	if (arg != NULL)
		karg.val = arg->val;
	if (valid) {
		if (cmd == SETALL)
			for (size_t i = 0; i < n && i < arg->nvalues; i++)
				array[i] = arg->values[i];
		if (arg->ds != NULL)
			sem_ds_to_sim(&kds, arg->ds);
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
		seminfo_from_sim(&r->seminfo, &kinfo);
	} else if (cmd == IPC_STAT || cmd == SEM_STAT || cmd == SEM_STAT_ANY) {
		r->has_sem_ds = 1;
		sem_ds_from_sim(&r->sem_ds, &kds);
	}
out_free:
	free(array);
	return rc;
}

int sb_sem_current(void *ctx, int id, struct backend_semid_ds *ds)
{
	struct sim_semid_ds kds;

	if (id < 0)
		return -1;
	memset(&kds, 0, sizeof(kds));
	if (sim_sem_stat_idx(kern(ctx), id % SIM_BACKEND_IPCMNI, &kds) != id)
		return -1;
	sem_ds_from_sim(ds, &kds);
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
