/*
 * diff_gen_int.h - what the shm and sem generators share: the generation
 * context (its PRNG stream, the sequence being built, the simulator's
 * backend on which diff_exec.c performs each step as it is appended, so
 * later choices can depend on real state), and small drawing helpers.
 *
 * Ownership: diff_gen_begin allocates the context and its backend;
 * diff_gen_end frees both.  The sequence belongs to the caller.
 */
#ifndef IPCSIM_DIFF_GEN_INT_H
#define IPCSIM_DIFF_GEN_INT_H

#include "diff_build.h"
#include "diff_exec.h"
#include "diff_rng.h"
#include "diff_seq.h"

struct diff_gen {
	struct diff_rng rng;
	struct diff_seq *s;
	int theme;
	struct diff_run run;     /* the generation kernel's answers */
	struct backend *b;       /* the simulator's backend */
	struct diff_exec x;      /* performing s on b */
	int helper_live[DIFF_MAX_HELPERS + 1]; /* [h]: helper h is running */
	enum diff_actor helper_actor[DIFF_MAX_HELPERS + 1];
};

/* NULL when out of memory.  salt separates the mechanisms' PRNG streams. */
struct diff_gen *diff_gen_begin(uint64_t seed, uint64_t salt, int number, enum diff_kind kind,
                                int theme, unsigned root_sim_caps, struct diff_seq *s);
void diff_gen_end(struct diff_gen **g);

/* Runs the step just appended on the generation kernel: its result, or
 * DIFF_RET_BLOCKED / DIFF_RET_FAILED (the generator must stop: the kernel
 * cannot go on). */
long diff_gen_settle(struct diff_gen *g);
/* The generation kernel, for choices that look at its state. */
const struct sim_kernel *diff_gen_kernel(const struct diff_gen *g);

unsigned diff_gen_below(struct diff_gen *g, unsigned n);
int diff_gen_chance(struct diff_gen *g, unsigned percent);
/* An actor: root with probability root_percent, else alice, bob, nobody alike. */
enum diff_actor diff_gen_actor(struct diff_gen *g, unsigned root_percent);
/* A mode from the boundary table, sometimes any 9 bits. */
unsigned diff_gen_mode(struct diff_gen *g);
/* IPC_PRIVATE or one of a few keys (0x80000000-ish ones included). */
long diff_gen_key(struct diff_gen *g, unsigned private_percent);
/* IPC_CREAT / IPC_CREAT|IPC_EXCL / 0 / IPC_EXCL, mostly the first. */
int diff_gen_create_flags(struct diff_gen *g);
/* A *get step that gave an id (-1 if none), live ones preferred. */
int diff_gen_pick_get(struct diff_gen *g, enum diff_op getop);
/* An id argument: mostly an object of getop's steps, sometimes stale, an
 * index, or a literal bad id. */
struct diff_id diff_gen_id(struct diff_gen *g, enum diff_op getop);
/* IPC_SET's uid and gid: the test's users, sometimes (unsigned)-1. */
unsigned diff_gen_set_uid(struct diff_gen *g);
unsigned diff_gen_set_gid(struct diff_gen *g);
/* where: default, or (where helpers run) a running helper, or a root child. */
int diff_gen_where(struct diff_gen *g, unsigned helper_percent, unsigned child_percent);
/* Appends a DIFF_SPAWN of a free helper slot (settled); -1 if none free. */
int diff_gen_spawn(struct diff_gen *g, enum diff_actor who);
/* Appends a DIFF_EXIT of a running helper (settled); -1 if none runs. */
int diff_gen_exit(struct diff_gen *g);

#define DIFF_GEN_PICK(g, w) diff_rng_pick(&(g)->rng, (w), (int)(sizeof(w) / sizeof((w)[0])))
#define DIFF_GEN_ONE_OF(g, t) ((t)[diff_gen_below((g), (unsigned)(sizeof(t) / sizeof((t)[0])))])

#endif
