/*
 * diff_gen.h - random call sequences for the differential test.
 *
 * Sequence `number` of `seed` depends on nothing else (its own PRNG stream),
 * so IPCSIM_DIFF_ONLY=N rebuilds exactly the sequence a report names.
 *
 * No generated call may sleep: sequences are single-process.  The generator
 * runs each step on a simulated kernel as it goes; a msgsnd/msgrcv it wants
 * without IPC_NOWAIT is first tried with IPC_NOWAIT added, and keeps
 * IPC_NOWAIT when that answers EAGAIN/ENOMSG (it would have slept).  Any other
 * answer is what the blocking form gives too, so the state stays right.
 * Should the simulator be wrong about sleeping, the host's guard timer turns
 * the host's sleep into a reported divergence, not a hang.
 */
#ifndef IPCSIM_DIFF_GEN_H
#define IPCSIM_DIFF_GEN_H

#include "diff_seq.h"

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
const char *diff_theme_name(enum diff_theme t);

/* Fills *s.  0, or -1 when out of memory. */
int diff_gen_sequence(uint64_t seed, int number, unsigned root_sim_caps, struct diff_seq *s);

#endif
