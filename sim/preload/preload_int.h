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

#endif
