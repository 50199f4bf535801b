/*
 * diff_gen.h - random call sequences for the differential test.
 *
 * Sequence `number` of `seed` depends on nothing else (its own PRNG stream),
 * so IPCSIM_DIFF_ONLY=N rebuilds exactly the sequence a report names.
 *
 * No generated call may sleep: sequences are single-process.  The generator
 * runs each step on the simulator's backend as it goes (diff_exec.h); a msgsnd/msgrcv it wants
 * without IPC_NOWAIT is first tried with IPC_NOWAIT added, and keeps
 * IPC_NOWAIT when that answers EAGAIN/ENOMSG (it would have slept).  Any other
 * answer is what the blocking form gives too, so the state stays right.
 * Should the simulator be wrong about sleeping, the comparer reports the
 * host's sleep as a divergence ("returns on the simulator, sleeps on the
 * kernel"), not a hang.
 */
#ifndef IPCSIM_DIFF_GEN_H
#define IPCSIM_DIFF_GEN_H

#include "diff_seq.h"

/* The fixed seeds and counts of the generated sequences: the random test,
 * the coverage test and the sensitivity test all use these same ones. */
#define DIFF_MSG_SEED 0x1bc5a7e5d1ff0001ull
#define DIFF_MSG_SEQUENCES 600
#define DIFF_SHM_SEED 0x5e9a7e5d1ff00003ull
#define DIFF_SHM_SEQUENCES 300
#define DIFF_SEM_SEED 0x5e9a7e5d1ff00005ull
#define DIFF_SEM_SEQUENCES 300

/* What a sequence concentrates on; sequence N has theme N % DIFF_NTHEMES. */
enum diff_theme {
	DIFF_THEME_MIX,
	DIFF_THEME_PERMS,
	DIFF_THEME_RECV,
	DIFF_THEME_FILL,
	DIFF_THEME_LIMITS,
	DIFF_THEME_IDS,
	DIFF_NTHEMES
};
const char *diff_theme_name(int t);

/* Fills *s.  0, or -1 when out of memory. */
int diff_gen_sequence(uint64_t seed, int number, unsigned root_sim_caps, struct diff_seq *s);

/*
 * Shared memory sequences (diff_gen_shm.c): sequence N has shm theme
 * N % DIFF_SHM_NTHEMES.  Same contract as diff_gen_sequence; its own PRNG
 * stream, so msg, shm and sem sequence N are unrelated.
 */
enum diff_shm_theme {
	DIFF_SHM_THEME_MIX,
	DIFF_SHM_THEME_PERMS,
	DIFF_SHM_THEME_ADDR,   /* fixed, SHM_RND, SHM_REMAP, overlaps, shmdt of fragments */
	DIFF_SHM_THEME_MEMORY, /* writes and reads, two attachments, shm_rss */
	DIFF_SHM_THEME_LIMITS, /* shmmax, shmall, shmmni */
	DIFF_SHM_NTHEMES
};
const char *diff_shm_theme_name(int t);
int diff_gen_shm_sequence(uint64_t seed, int number, unsigned root_sim_caps, struct diff_seq *s);

/*
 * Semaphore sequences (diff_gen_sem.c): theme N % DIFF_SEM_NTHEMES.  No
 * call may sleep: a semop the generation kernel says would block is turned
 * into semtimedop with a zero timeout (keeping its flags), which answers
 * EAGAIN at once on Linux.
 */
enum diff_sem_theme {
	DIFF_SEM_THEME_MIX,
	DIFF_SEM_THEME_PERMS,
	DIFF_SEM_THEME_OPS,    /* multi-op arrays, duplicates, ERANGE, NOWAIT placement */
	DIFF_SEM_THEME_UNDO,   /* SEM_UNDO in children and helpers, SETVAL/SETALL clearing */
	DIFF_SEM_THEME_LIMITS, /* kernel.sem fields */
	DIFF_SEM_NTHEMES
};
const char *diff_sem_theme_name(int t);
int diff_gen_sem_sequence(uint64_t seed, int number, unsigned root_sim_caps, struct diff_seq *s);

#endif
