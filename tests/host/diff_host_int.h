/*
 * diff_host_int.h - what the host side's per-mechanism files share: the
 * user buffers (allocated before any fork) and the step entry points, each
 * run in whichever process the step belongs to and writing its result into
 * the shared run.
 */
#ifndef IPCSIM_DIFF_HOST_INT_H
#define IPCSIM_DIFF_HOST_INT_H

#include "diff_buf.h"
#include "diff_seq.h"

/* errno as the simulator's API has it: >= 0 or -errno. */
long diff_host_ret(long r);
/* Arms (1) or disarms (0) the timer that interrupts a call sleeping where
 * the simulator said it would not. */
void diff_host_guard_arm(int on);

/* shmget, shmat, shmdt, shmctl, memory write/read.  Memory faults come back
 * as DIFF_RET_SEGV (the process survives: see diff_host_segv_guard). */
long diff_host_shm_step(struct diff_buf *b, const struct diff_step *st, int i,
                        const struct diff_run *run, struct diff_result *res);
/* semget, semop/semtimedop, semctl. */
long diff_host_sem_step(struct diff_buf *b, const struct diff_step *st, int i,
                        const struct diff_run *run, struct diff_result *res);
/* Writes one /proc/sys/kernel limit (the sem ones: one field of kernel.sem). */
long diff_host_limit(const struct diff_step *st);

/* Installs the SIGSEGV handler the memory steps rely on (once per process tree). */
void diff_host_segv_guard(void);
/* 0 when nothing is mapped in the fixed-address region, else -1 and why. */
int diff_host_fixed_region_free(char *why, size_t n);

#endif
