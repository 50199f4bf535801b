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
/* Runs step i in a per-step child (root too) or in helper h (1..). */
void diff_b_where(struct diff_seq *s, int i, int where);

/* ---- addresses ---- */
struct diff_addr diff_addr_lit(unsigned long addr);
/* DIFF_FIXED_BASE + page * 4096 + bytes. */
struct diff_addr diff_addr_fixed(unsigned long page, unsigned long bytes);
/* What shmat returned at step `step`, + offset. */
struct diff_addr diff_addr_at(int step, long offset);

/* ---- shared memory ---- */
int diff_b_shmget(struct diff_seq *s, enum diff_actor who, long key, size_t size, int shmflg);
int diff_b_shmat(struct diff_seq *s, enum diff_actor who, struct diff_id id,
                 struct diff_addr addr, int shmflg);
int diff_b_shmdt(struct diff_seq *s, enum diff_actor who, struct diff_addr addr);
/* Any command but IPC_SET. */
int diff_b_shmctl(struct diff_seq *s, enum diff_actor who, struct diff_id id, int cmd);
int diff_b_shmset(struct diff_seq *s, enum diff_actor who, struct diff_id id, unsigned uid,
                  unsigned gid, unsigned mode);
int diff_b_memwrite(struct diff_seq *s, enum diff_actor who, struct diff_addr addr, size_t len);
int diff_b_memread(struct diff_seq *s, enum diff_actor who, struct diff_addr addr, size_t len);

/* ---- semaphores ---- */
int diff_b_semget(struct diff_seq *s, enum diff_actor who, long key, int nsems, int semflg);
/* ops[0..nops) with nsops = nops; change st->sops afterwards for odd cases. */
int diff_b_semop(struct diff_seq *s, enum diff_actor who, struct diff_id id,
                 const struct diff_sembuf *ops, int nops, enum diff_timeout tmo);
/* GETVAL, GETPID, GETNCNT, GETZCNT, GETALL, IPC_STAT, SEM_STAT*, *_INFO, IPC_RMID, bad. */
int diff_b_semctl(struct diff_seq *s, enum diff_actor who, struct diff_id id, int semnum, int cmd);
int diff_b_setval(struct diff_seq *s, enum diff_actor who, struct diff_id id, int semnum, int val);
int diff_b_setall(struct diff_seq *s, enum diff_actor who, struct diff_id id, int base, int step,
                  int bad);
int diff_b_semset(struct diff_seq *s, enum diff_actor who, struct diff_id id, unsigned uid,
                  unsigned gid, unsigned mode);

/* ---- helper processes ---- */
/* Helper h (1..DIFF_MAX_HELPERS) starts, running as who; steps with where = h run in it. */
int diff_b_spawn(struct diff_seq *s, int h, enum diff_actor who);
/* Helper h exits (segments detached, SEM_UNDO applied). */
int diff_b_exit(struct diff_seq *s, int h);

#endif
