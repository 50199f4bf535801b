/*
 * diff_exec_int.h - what the executor's two files share: the size of its
 * scratch buffer and the shared memory / semaphore calls (diff_exec_ipc.c),
 * which diff_exec.c dispatches to.
 */
#ifndef IPCSIM_DIFF_EXEC_INT_H
#define IPCSIM_DIFF_EXEC_INT_H

#include "diff_exec.h"

/* Bytes of the scratch buffer: the longest message text or memory access a
 * step passes for real (longer sizes only ever meet an error first), and
 * SETALL's array as large as any set can be (65536 values). */
#define DIFF_SCRATCH (1u << 17)

/* shmget, shmat, shmdt, shmctl, memory write/read, semget, semop,
 * semtimedop, semctl: step i of s in process pid.  The backend op's
 * return (0 performed, -1 the backend failed), the result in *r. */
int diff_exec_ipc_call(struct diff_exec *x, int pid, const struct diff_seq *s, int i,
                       struct backend_result *r);

#endif
