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

/* sim_backend_shm_sem.c: the issue-3 ops (see ipcsim/backend.h). */
int sb_shmget(void *ctx, int pid, long key, size_t size, int flags, struct backend_result *r);
int sb_shmat(void *ctx, int pid, int id, unsigned long addr, int flags, struct backend_result *r);
int sb_shmdt(void *ctx, int pid, unsigned long addr, struct backend_result *r);
int sb_shmctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
              const struct ipcsim_shmid_ds *ds, struct backend_result *r);
int sb_shm_current(void *ctx, int id, struct ipcsim_shmid_ds *ds);
int sb_semget(void *ctx, int pid, long key, int nsems, int flags, struct backend_result *r);
int sb_semop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
             struct backend_result *r);
int sb_semtimedop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
                  const long *timeout, struct backend_result *r);
int sb_semctl(void *ctx, int pid, int id, int semnum, int cmd,
              const struct backend_semctl_arg *arg, struct backend_result *r);
int sb_sem_current(void *ctx, int id, struct ipcsim_semid_ds *ds);
int sb_mem_store(void *ctx, int pid, unsigned long addr, long value, struct backend_result *r);
int sb_mem_load(void *ctx, int pid, unsigned long addr, struct backend_result *r);
int sb_mem_write(void *ctx, int pid, unsigned long addr, const void *buf, size_t n,
                 struct backend_result *r);
int sb_mem_read(void *ctx, int pid, unsigned long addr, size_t n, struct backend_result *r);

#endif
