/*
 * diff_report.h - comparing the two sides' answers and explaining a
 * divergence: the sequence so far as C-like calls, then both results of the
 * call where they part.
 *
 * What "equal" means: the return value (>= 0 or -errno); for msgrcv the
 * message (mtype, length, every byte via a hash); for *_STAT every msqid_ds
 * field, with pids compared as "which process of the sequence" and times as
 * "never set (0)" versus "set", each side also checked to lie between the
 * sequence's start and the call; for *_INFO every msginfo field.
 */
#ifndef IPCSIM_DIFF_REPORT_H
#define IPCSIM_DIFF_REPORT_H

#include <stdio.h>

#include "diff_seq.h"

/* The first step where sim and host differ, or -1; *why says what differs. */
int diff_compare(const struct diff_seq *s, const struct diff_run *sim,
                 const struct diff_run *host, char *why, size_t whylen);

/* One step as a C-like call, ids shown with their value on `run`. */
void diff_fmt_call(char *buf, size_t n, const struct diff_seq *s, int i,
                   const struct diff_run *run);
/* One result: "= 17 {mtype 2, 17 bytes ...}", "= -1 EINVAL", ... */
void diff_fmt_result(char *buf, size_t n, const struct diff_result *r, const struct diff_run *run);

/*
 * The full report of a divergence at step `bad` (or of the whole sequence
 * when bad < 0): name, reproduction hint, steps 0..bad with the host's
 * results, and both results of step bad.
 */
void diff_print_report(FILE *f, const char *name, const struct diff_seq *s,
                       const struct diff_run *sim, const struct diff_run *host, int bad,
                       const char *why);

#endif
