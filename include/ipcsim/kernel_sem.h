/*
 * ipcsim/kernel_sem.h - semaphore sets in the simulated kernel (included by
 * ipcsim/kernel.h; same conventions).
 *
 * semop/semtimedop apply all operations of a call atomically or not at
 * all; a call that cannot proceed sleeps (SIM_BLOCKED) and is completed by
 * the call that makes it possible, in Linux's order (ipc/sem.c
 * update_queue); its result comes as a SIM_EV_RESUMED event ("semop" or
 * "semtimedop").  A semtimedop timeout expires on the simulated clock: the
 * sim_sleep that moves the clock past it resumes the call with -EAGAIN.
 * SEM_UNDO adjustments are kept per process and set, applied (clamped to
 * [0, SEMVMX]) at exit and death, not inherited by fork, cleared by
 * SETVAL/SETALL.
 */
#ifndef IPCSIM_KERNEL_SEM_H
#define IPCSIM_KERNEL_SEM_H

#include <sys/sem.h>
/* struct sim_kernel, struct sim_ipc_perm; it includes this header at its end. */
#include "ipcsim/kernel.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

#ifndef SEM_STAT
#define SEM_STAT 18
#endif
#ifndef SEM_INFO
#define SEM_INFO 19
#endif
#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif

#define SIM_SEMVMX 32767
#define SIM_SEMAEM 32767

/* semctl's fourth argument: which member is used depends on cmd. */
struct sim_semctl_arg {
	int val;                   /* SETVAL */
	unsigned short *array;     /* GETALL (out) / SETALL (in); NULL: EFAULT */
	struct ipcsim_semid_ds *buf;  /* IPC_STAT, SEM_STAT*, IPC_SET; NULL: EFAULT */
	struct ipcsim_seminfo *info;  /* IPC_INFO, SEM_INFO; NULL: EFAULT */
};

/* semget: id or -errno. */
long sim_semget(struct sim_kernel *k, int pid, long key, int nsems, int semflg);
/* semop: 0, SIM_BLOCKED or -errno; sops == NULL models a bad pointer (EFAULT). */
long sim_semop(struct sim_kernel *k, int pid, int semid, const struct ipcsim_sembuf *sops,
               size_t nsops);
/* semtimedop: as semop; timeout NULL = none, else sec/nsec of the simulated clock. */
long sim_semtimedop(struct sim_kernel *k, int pid, int semid, const struct ipcsim_sembuf *sops,
                    size_t nsops, const long timeout[2]);
/* semctl: the value (GETVAL/GETPID/GETNCNT/GETZCNT), an id (SEM_STAT*), the
 * highest index (*_INFO), 0, or -errno. */
long sim_semctl(struct sim_kernel *k, int pid, int semid, int semnum, int cmd,
                const struct sim_semctl_arg *arg);

/* ---- views --------------------------------------------------------------- */
int sim_sem_max_idx(const struct sim_kernel *k);
long sim_sem_stat_idx(const struct sim_kernel *k, int idx, struct ipcsim_semid_ds *ds);
void sim_sem_totals(const struct sim_kernel *k, int *sets, long *sems);

struct sim_sem_view {
	int semnum;
	int semval, sempid;
	int ncnt, zcnt;
	long otime;
};
int sim_sem_values(const struct sim_kernel *k, int semid,
                   int (*cb)(void *ctx, const struct sim_sem_view *s), void *ctx);

struct sim_sem_waiter_view {
	int pid;
	const struct ipcsim_sembuf *sops;
	size_t nsops;
	long deadline; /* 0: none */
	/* The pending list it waits on (the order wake-ups are tried in, as
	 * Linux keeps it): a semaphore's (semnum) or the set's (-1), of
	 * decrements or of waits for zero, and its place there (0: first). */
	int list_sem, list_zero, list_place;
};
int sim_sem_waiters(const struct sim_kernel *k, int semid,
                    int (*cb)(void *ctx, const struct sim_sem_waiter_view *w), void *ctx);

struct sim_sem_undo_view {
	int pid;
	int semnum;
	int adj; /* semadj: added to semval when pid ends */
};
int sim_sem_undos(const struct sim_kernel *k, int semid,
                  int (*cb)(void *ctx, const struct sim_sem_undo_view *u), void *ctx);

#pragma GCC visibility pop

#endif
