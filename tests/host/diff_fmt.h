/*
 * diff_fmt.h - the small formatting kit the divergence reports share: an
 * append buffer that never overflows, and the canonical forms both sides
 * are compared in (pids as "which process of the sequence", times as
 * "never set" or "start+N").
 */
#ifndef IPCSIM_DIFF_FMT_H
#define IPCSIM_DIFF_FMT_H

#include <stddef.h>

#include "diff_seq.h"

struct diff_out {
	char *p;
	size_t n, len;
};

void diff_put(struct diff_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An id argument: a literal, or "qN" / "qN+32768" / "qN&0x7fff" and its value on run. */
void diff_put_id(struct diff_out *o, const struct diff_id *id, const struct diff_run *run);
/* An address argument: a literal (FIXED+off for the fixed region) or "aN+off" and its value. */
void diff_put_addr(struct diff_out *o, const struct diff_addr *a, const struct diff_run *run);
/* A pid: "0", "proc#N", or the raw value when it is no process of the sequence. */
void diff_put_pid(struct diff_out *o, const struct diff_run *run, long pid);
void diff_put_time(struct diff_out *o, const struct diff_run *run, long t);
/* IPC_CREAT|IPC_EXCL|... then the rest in octal. */
void diff_put_get_flags(struct diff_out *o, int flags);

/* -1 for pid 0 (never set), the process number, or -2 for a stranger. */
long diff_canon_pid(const struct diff_run *run, long pid);
/* 1 when a time field lies outside the sequence's run on its side. */
int diff_time_bad(const struct diff_run *run, const struct diff_result *r, long t);

/* Calls and results of the shm and sem steps (diff_report_shm.c, diff_report_sem.c). */
void diff_fmt_shm_call(struct diff_out *o, const struct diff_seq *s, int i,
                       const struct diff_run *run);
void diff_fmt_sem_call(struct diff_out *o, const struct diff_seq *s, int i,
                       const struct diff_run *run);
void diff_fmt_shm_result(struct diff_out *o, const struct diff_result *r,
                         const struct diff_run *run);
void diff_fmt_sem_result(struct diff_out *o, const struct diff_result *r,
                         const struct diff_run *run);
/* 1 and *why when the shm / sem parts of step i's results differ. */
int diff_cmp_shm(const struct diff_seq *s, int i, const struct diff_run *sr,
                 const struct diff_run *hr, char *why, size_t n);
int diff_cmp_sem(const struct diff_seq *s, int i, const struct diff_run *sr,
                 const struct diff_run *hr, char *why, size_t n);

#endif
