/*
 * bench_shm_sem.h - the shared memory and semaphore workloads of `make bench`
 * (bench_shm_sem.c): shmat+shmdt pairs and semop P+V pairs, simulated kernel vs
 * host kernel (in a private IPC namespace), as a suite of harness.h.  Memory loads and stores are not timed: through a real
 * attachment they are plain memory accesses, so a ratio would mean nothing.
 */
#ifndef IPCSIM_BENCH_IPC_H
#define IPCSIM_BENCH_IPC_H

#include "harness.h"

extern const struct bench_suite bench_shm_sem_suite;

#endif
