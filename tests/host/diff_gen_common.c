/*
 * diff_gen_common.c - the generation context and drawing helpers the shm
 * and sem generators share (see diff_gen_int.h).
 */
#include "diff_gen_int.h"

#include <limits.h>
#include <stdlib.h>

#include "ipcsim/kernel.h"

struct diff_gen *diff_gen_begin(uint64_t seed, uint64_t salt, int number, enum diff_kind kind,
                                int theme, unsigned root_sim_caps, struct diff_seq *s)
{
	struct diff_gen *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	diff_seq_init(s, seed, number);
	s->kind = kind;
	diff_rng_init(&g->rng, seed ^ salt, (uint64_t)number);
	g->s = s;
	g->theme = theme;
	g->b = backend_sim_new();
	if (!g->b || diff_exec_begin(&g->x, g->b, root_sim_caps, &g->run) != 0) {
		backend_free(&g->b);
		free(g);
		return NULL;
	}
	return g;
}

void diff_gen_end(struct diff_gen **g)
{
	if (!g || !*g)
		return;
	diff_exec_end(&(*g)->x);
	backend_free(&(*g)->b);
	free(*g);
	*g = NULL;
}

long diff_gen_settle(struct diff_gen *g)
{
	return diff_exec_step(&g->x, g->s, g->s->nsteps - 1);
}

const struct sim_kernel *diff_gen_kernel(const struct diff_gen *g)
{
	return backend_kernel(g->b);
}

unsigned diff_gen_below(struct diff_gen *g, unsigned n)
{
	return diff_rng_below(&g->rng, n);
}

int diff_gen_chance(struct diff_gen *g, unsigned percent)
{
	return diff_rng_chance(&g->rng, percent);
}

enum diff_actor diff_gen_actor(struct diff_gen *g, unsigned root_percent)
{
	if (diff_gen_chance(g, root_percent))
		return DIFF_ROOT;
	return (enum diff_actor)(DIFF_ALICE + (int)diff_gen_below(g, 3));
}

unsigned diff_gen_mode(struct diff_gen *g)
{
	static const unsigned modes[] = {
		0600, 0666, 0640, 0604, 0660, 0644, 0400, 0200, 0040, 0020, 0004, 0002,
		0000, 0777, 0066, 0060, 0006, 0406, 0707, 0622, 0444, 0111, 0755,
	};

	return diff_gen_chance(g, 10) ? diff_gen_below(g, 01000) : DIFF_GEN_ONE_OF(g, modes);
}

long diff_gen_key(struct diff_gen *g, unsigned private_percent)
{
	static const long keys[] = { 0x1234, 0x2345, 0x3456, (int)0x80001234, 0x7fffffff };

	return diff_gen_chance(g, private_percent) ? IPC_PRIVATE : DIFF_GEN_ONE_OF(g, keys);
}

int diff_gen_create_flags(struct diff_gen *g)
{
	static const int create[] = { IPC_CREAT, IPC_CREAT | IPC_EXCL, 0, IPC_EXCL };
	static const unsigned w[] = { 50, 20, 25, 5 };

	return create[DIFF_GEN_PICK(g, w)];
}

/* Does the object step i created still exist on the generation kernel? */
static int object_alive(struct diff_gen *g, enum diff_op getop, long id)
{
	const struct sim_kernel *k = diff_gen_kernel(g);

	if (getop == DIFF_SHMGET) {
		struct ipcsim_shmid_ds ds;

		return sim_shm_stat_idx(k, (int)(id & 0x7fff), &ds) == id;
	}
	if (getop == DIFF_SEMGET) {
		struct ipcsim_semid_ds ds;

		return sim_sem_stat_idx(k, (int)(id & 0x7fff), &ds) == id;
	}
	return 0;
}

int diff_gen_pick_get(struct diff_gen *g, enum diff_op getop)
{
	int live[DIFF_MAX_STEPS], dead[DIFF_MAX_STEPS], nl = 0, nd = 0;

	for (int i = 0; i < g->run.nsteps; i++) {
		long id = g->run.r[i].ret;

		if (g->s->steps[i].op != getop || id < 0)
			continue;
		if (object_alive(g, getop, id))
			live[nl++] = i;
		else
			dead[nd++] = i;
	}
	if (nl && (!nd || diff_gen_chance(g, 90)))
		return live[diff_gen_below(g, (unsigned)nl)];
	return nd ? dead[diff_gen_below(g, (unsigned)nd)] : -1;
}

struct diff_id diff_gen_id(struct diff_gen *g, enum diff_op getop)
{
	static const long bad_ids[] = { -1, -32768, INT_MAX, 99, 0, 1, 32768, 12345 };
	static const unsigned w[] = { 86, 4, 10 }; /* object, stale seq, literal */
	int kind = DIFF_GEN_PICK(g, w), q = diff_gen_pick_get(g, getop);

	if (kind == 2 || q < 0)
		return diff_lit(DIFF_GEN_ONE_OF(g, bad_ids));
	return kind == 1 ? diff_stale(q) : diff_ref(q);
}

unsigned diff_gen_set_uid(struct diff_gen *g)
{
	static const unsigned uids[] = { 0, 1000, 1001, 65534 };

	return diff_gen_chance(g, 3) ? (unsigned)-1 : DIFF_GEN_ONE_OF(g, uids);
}

unsigned diff_gen_set_gid(struct diff_gen *g)
{
	static const unsigned gids[] = { 0, 1000, 65534 };

	return diff_gen_chance(g, 3) ? (unsigned)-1 : DIFF_GEN_ONE_OF(g, gids);
}

int diff_gen_where(struct diff_gen *g, unsigned helper_percent, unsigned child_percent)
{
	int running[DIFF_MAX_HELPERS], n = 0;

	for (int h = 1; h <= DIFF_MAX_HELPERS; h++)
		if (g->helper_live[h])
			running[n++] = h;
	if (n && diff_gen_chance(g, helper_percent))
		return running[diff_gen_below(g, (unsigned)n)];
	return diff_gen_chance(g, child_percent) ? DIFF_WHERE_CHILD : DIFF_WHERE_DEFAULT;
}

int diff_gen_spawn(struct diff_gen *g, enum diff_actor who)
{
	for (int h = 1; h <= DIFF_MAX_HELPERS; h++)
		if (!g->helper_live[h]) {
			int i = diff_b_spawn(g->s, h, who);

			if (i < 0 || diff_gen_settle(g) != 0)
				return -1;
			g->helper_live[h] = 1;
			g->helper_actor[h] = who;
			return i;
		}
	return -1;
}

int diff_gen_exit(struct diff_gen *g)
{
	int running[DIFF_MAX_HELPERS], n = 0, h, i;

	for (h = 1; h <= DIFF_MAX_HELPERS; h++)
		if (g->helper_live[h])
			running[n++] = h;
	if (!n)
		return -1;
	h = running[diff_gen_below(g, (unsigned)n)];
	i = diff_b_exit(g->s, h);
	if (i < 0)
		return -1;
	diff_gen_settle(g);
	g->helper_live[h] = 0;
	return i;
}
