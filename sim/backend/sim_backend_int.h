/*
 * sim_backend_int.h - what the simulated-kernel backend's files share: the
 * backend's state, the one place where a kernel return value becomes the
 * userspace form, and the shm/sem/memory ops of sim_backend_shm_sem.c that
 * sim_backend.c puts in its ops table.
 */
#ifndef IPCSIM_SIM_BACKEND_INT_H
#define IPCSIM_SIM_BACKEND_INT_H

#include "ipcsim/backend.h"
#include "ipcsim/kernel.h"

/* Linux ids are seq * IPCMNI + idx (ipc/util.h, IPCMNI_SHIFT 15). */
#define SIM_BACKEND_IPCMNI 32768

struct sim_backend {
	struct sim_kernel *k;
};

/* Clears *r and stores kret as userspace sees it: ret/err, blocked, killed.
 * Returns 0, or -1 when kret says the simulator itself gave up
 * (SIM_ENOMEM_CAP): the op must then fail as a backend failure. */
int sim_backend_set_ret(struct backend_result *r, long kret);

/*
 * The kernel's structures (sim_*) and the backend's (backend_*) carry the
 * same fields under the same names; these lists name them once, and
 * SB_COPY copies one field `to->f = from->f` in either direction.
 */
#define SB_PERM_FIELDS(X) X(key) X(uid) X(gid) X(cuid) X(cgid) X(mode) X(seq)
#define SB_MSQ_FIELDS(X) X(msg_stime) X(msg_rtime) X(msg_ctime) X(msg_cbytes) X(msg_qnum) \
	X(msg_qbytes) X(msg_lspid) X(msg_lrpid)
#define SB_SHM_FIELDS(X) X(shm_segsz) X(shm_atime) X(shm_dtime) X(shm_ctime) X(shm_cpid) \
	X(shm_lpid) X(shm_nattch)
#define SB_SEM_FIELDS(X) X(sem_otime) X(sem_ctime) X(sem_nsems)
#define SB_COPY(f) to->f = from->f;

void sim_backend_perm_from_sim(struct backend_ipc_perm *to, const struct sim_ipc_perm *from);
void sim_backend_perm_to_sim(struct sim_ipc_perm *to, const struct backend_ipc_perm *from);

/* sim_backend_shm_sem.c: the issue-3 ops (see ipcsim/backend.h). */
int sb_shmget(void *ctx, int pid, long key, size_t size, int flags, struct backend_result *r);
int sb_shmat(void *ctx, int pid, int id, unsigned long addr, int flags, struct backend_result *r);
int sb_shmdt(void *ctx, int pid, unsigned long addr, struct backend_result *r);
int sb_shmctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
              const struct backend_shmid_ds *ds, struct backend_result *r);
int sb_shm_current(void *ctx, int id, struct backend_shmid_ds *ds);
int sb_semget(void *ctx, int pid, long key, int nsems, int flags, struct backend_result *r);
int sb_semop(void *ctx, int pid, int id, const struct backend_sembuf *sops, size_t nsops,
             struct backend_result *r);
int sb_semtimedop(void *ctx, int pid, int id, const struct backend_sembuf *sops, size_t nsops,
                  const long *timeout, struct backend_result *r);
int sb_semctl(void *ctx, int pid, int id, int semnum, int cmd,
              const struct backend_semctl_arg *arg, struct backend_result *r);
int sb_sem_current(void *ctx, int id, struct backend_semid_ds *ds);
int sb_mem_store(void *ctx, int pid, unsigned long addr, long value, struct backend_result *r);
int sb_mem_load(void *ctx, int pid, unsigned long addr, struct backend_result *r);
int sb_mem_write(void *ctx, int pid, unsigned long addr, const void *buf, size_t n,
                 struct backend_result *r);
int sb_mem_read(void *ctx, int pid, unsigned long addr, size_t n, struct backend_result *r);

#endif
