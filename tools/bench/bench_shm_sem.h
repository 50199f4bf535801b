/*
 * bench_shm_sem.h - the shared memory and semaphore workloads of `make bench`
 * (bench_shm_sem.c): shmat+shmdt pairs and semop P+V pairs, simulated kernel vs
 * host kernel (in a private IPC namespace), printed as a table with the
 * sim/host ratio.  Memory loads and stores are not timed: through a real
 * attachment they are plain memory accesses, so a ratio would mean nothing.
 */
#ifndef IPCSIM_BENCH_IPC_H
#define IPCSIM_BENCH_IPC_H

/* Runs and prints every workload, each N scaled by scale.  0, or -1 when the
 * host side failed (the reason is on stderr). */
int bench_ipc_run(double scale);

#endif
