/*
 * diff_sim_int.h - what the simulated side's per-mechanism files share:
 * each runs one step of its mechanism for process pid on kernel k and fills
 * the result the way the host side does.
 */
#ifndef IPCSIM_DIFF_SIM_INT_H
#define IPCSIM_DIFF_SIM_INT_H

#include "diff_buf.h"
#include "diff_seq.h"

struct sim_kernel;

/* shmget, shmat, shmdt, shmctl, memory write/read.  A memory access the
 * simulator kills the process for gives DIFF_RET_SEGV. */
long diff_sim_shm_step(struct sim_kernel *k, struct diff_buf *b, int pid,
                       const struct diff_step *st, int i, const struct diff_run *run,
                       struct diff_result *res);
/* semget, semop/semtimedop, semctl. */
long diff_sim_sem_step(struct sim_kernel *k, struct diff_buf *b, int pid,
                       const struct diff_step *st, const struct diff_run *run,
                       struct diff_result *res);

#endif
