/*
 * diff_build.h - appending steps to a sequence, for the generator and the
 * hand-written directed tests alike.
 *
 * Each function returns the new step's index (to refer to its result later)
 * or -1 when the sequence is full; then nothing is appended.
 */
#ifndef IPCSIM_DIFF_BUILD_H
#define IPCSIM_DIFF_BUILD_H

#include "diff_seq.h"

struct diff_id diff_lit(long id);
struct diff_id diff_ref(int step);
struct diff_id diff_stale(int step);
struct diff_id diff_idx(int step);

void diff_seq_init(struct diff_seq *s, uint64_t seed, int number);

int diff_b_msgget(struct diff_seq *s, enum diff_actor who, long key, int msgflg);
int diff_b_msgsnd(struct diff_seq *s, enum diff_actor who, struct diff_id id, long mtype,
                  size_t msgsz, int msgflg);
int diff_b_msgrcv(struct diff_seq *s, enum diff_actor who, struct diff_id id, size_t msgsz,
                  long msgtyp, int msgflg);
/* Any command but IPC_SET. */
int diff_b_msgctl(struct diff_seq *s, enum diff_actor who, struct diff_id id, int cmd);
int diff_b_msgset(struct diff_seq *s, enum diff_actor who, struct diff_id id, unsigned uid,
                  unsigned gid, unsigned mode, unsigned long qbytes);
/* Always as root: the sysctl files are root's. */
int diff_b_limit(struct diff_seq *s, enum diff_limit which, long long value);

/* Marks step i as passing a NULL user buffer. */
void diff_b_null_buf(struct diff_seq *s, int i);

#endif
