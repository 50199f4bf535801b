/*
 * preload_int.h - what the two files of the preload library share: the
 * process's connection to the exec server (preload.c) and the calls made
 * over it (preload_calls.c).
 */
#ifndef IPCSIM_PRELOAD_INT_H
#define IPCSIM_PRELOAD_INT_H

#include <stddef.h>
#include <sys/types.h>

#include "preload/preload_wire.h"

#define PRELOAD_EXPORT __attribute__((visibility("default")))

/* One call: sends q (its op and a[] set by the caller) with len bytes of
 * payload, waits for the reply (a signal handler that runs meanwhile sets
 * the slot's cancel flag), puts at most cap bytes of its payload in out
 * and the descriptor it carries in *fd (when fd is not NULL; -1 when none).
 * Returns 0, or -1 with errno when the server is gone or never was. */
int preload_call(struct wire_req *q, const void *payload, size_t len, struct wire_rep *r,
                 void *out, size_t cap, int *fd);

/* The credentials changed (setuid, capset...): read them again. */
void preload_creds_changed(void);

/* Copies n bytes between the process's own memory without faulting: 0, or
 * -1 when some byte is not readable (writable) (EFAULT). */
int preload_copy_in(void *dst, const void *user_src, size_t n);
int preload_copy_out(void *user_dst, const void *src, size_t n);

/* The library's own descriptors (preload_fds.c): owned ones are refused
 * to the program's close, close_range and closefrom (1: refused, errno
 * EBADF) while they are still the file they were. */
void preload_fd_own(int fd);
void preload_fd_disown(int fd);
int preload_fd_refused(int fd);
/* The segments' kept descriptors, under preload_shm_fd_lock (fork takes it
 * too, before the connection's lock).  find: the kept descriptor of the
 * segment, checked to be the same file, and its identity; -1 none.
 * keep: takes fd (received for the segment) and returns the descriptor to
 * map: kept (*kept = 1) or, when it cannot be kept, fd itself to close
 * after mapping. */
void preload_shm_fd_lock(void);
void preload_shm_fd_unlock(void);
int preload_shm_fd_find(int shmid, int rdonly, uint64_t *ino, uint64_t *dev);
int preload_shm_fd_keep(int shmid, int rdonly, int fd, int *kept);
/* The kept descriptor of the segment did not map: forgotten (not closed). */
void preload_shm_fd_forget(int shmid, int rdonly);

#endif
