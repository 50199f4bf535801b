/*
 * diff_gen_sem.c - random semaphore sequences: semget, semop/semtimedop,
 * semctl (every command), kernel.sem changes, SEM_UNDO in per-step children
 * (whose exit applies it) and in helper processes that outlive a few steps.
 *
 * Values come from tables that hold Linux's boundaries: SEMVMX
 * 32767 and one past, semadj -32768/32767, nsems 0, -1, semmsl and one
 * past, sem_num 65535, nsops 0 and semopm + 1, NULL arrays, bad timeouts.
 *
 * No call may sleep.  Each semop is first tried on the generation kernel
 * with IPC_NOWAIT on every op: an answer other than EAGAIN is what the
 * original flags give too (the same op fails first either way), so the step
 * keeps its flags; EAGAIN means it would sleep (or its own NOWAIT op said
 * EAGAIN), and the step becomes semtimedop with a {0, 0} timeout and its
 * original flags, which Linux answers with EAGAIN at once.
 */
#include "diff_gen.h"
#include "diff_gen_int.h"

#include <errno.h>
#include <string.h>

#include "ipcsim/kernel.h"

#define GEN_SEM_SALT 0x53454d0000000000ull

static const char *const sem_theme_names[DIFF_SEM_NTHEMES] = {
	"mix", "permissions", "operations", "undo", "limits",
};

const char *diff_sem_theme_name(int t)
{
	return t >= 0 && t < DIFF_SEM_NTHEMES ? sem_theme_names[t] : "?";
}

struct sem_gen {
	struct diff_gen *g;
	long long semmsl, semopm;
};

#define BELOW(n) diff_gen_below(sg->g, (n))
#define CHANCE(p) diff_gen_chance(sg->g, (p))

/* nsems of the set an id argument names on the generation kernel; 0 if none. */
static int set_nsems(struct sem_gen *sg, const struct diff_id *id)
{
	struct ipcsim_semid_ds ds;
	long v = diff_id_resolve(id, &sg->g->run);

	if (v < 0 || sim_sem_stat_idx(diff_gen_kernel(sg->g), (int)(v & 0x7fff), &ds) != v)
		return 0;
	return (int)ds.sem_nsems;
}

/* ---- semget ---------------------------------------------------------------------- */

static void add_semget(struct sem_gen *sg, enum diff_actor who)
{
	static const unsigned w[] = { 62, 8, 6, 3, 3, 4, 2, 6, 6 };
	int flags = diff_gen_create_flags(sg->g) | (int)diff_gen_mode(sg->g), nsems;

	switch (DIFF_GEN_PICK(sg->g, w)) {
	case 0: nsems = 1 + (int)BELOW(4); break;
	case 1: nsems = 5 + (int)BELOW(12); break;
	case 2: nsems = 0; break;
	case 3: nsems = -1; break;
	case 4: nsems = (int)sg->semmsl; break;
	case 5: nsems = (int)sg->semmsl + 1; break;
	case 6: nsems = CHANCE(50) ? 250 : 32000; break;
	case 7: nsems = 17 + (int)BELOW(48); break;
	default: nsems = 2; break;
	}
	diff_b_semget(sg->g->s, who, diff_gen_key(sg->g, 35), nsems, flags);
}

/* ---- semop ----------------------------------------------------------------------- */

static struct diff_sembuf pick_sembuf(struct sem_gen *sg, int nsems)
{
	static const short ops[] = { -1, -1, 1, 1, 0, 0, -2, 2, 3, -3, 32767, -32767, 32000, 100 };
	struct diff_sembuf b;
	unsigned undo = sg->g->theme == DIFF_SEM_THEME_UNDO ? 55 : 20;

	if (nsems > 0 && CHANCE(96))
		b.num = (unsigned short)BELOW((unsigned)(nsems < 8 ? nsems : 8));
	else
		b.num = CHANCE(50) ? (unsigned short)(nsems > 0 ? nsems : 1) : 65535;
	b.op = DIFF_GEN_ONE_OF(sg->g, ops);
	b.flg = (short)((CHANCE(40) ? IPC_NOWAIT : 0) | (CHANCE(undo) ? SEM_UNDO : 0));
	return b;
}

static enum diff_timeout pick_timeout(struct sem_gen *sg)
{
	static const unsigned w[] = { 70, 15, 10, 3, 2 };

	return (enum diff_timeout)DIFF_GEN_PICK(sg->g, w);
}

static void add_semop(struct sem_gen *sg, enum diff_actor who, int where)
{
	static const unsigned nw_mix[] = { 0, 60, 25, 8, 4, 2, 1 };
	static const unsigned nw_ops[] = { 0, 25, 30, 20, 12, 8, 5 };
	struct diff_id id = diff_gen_id(sg->g, DIFF_SEMGET);
	int nsems = set_nsems(sg, &id), nops, i;
	struct diff_sembuf ops[DIFF_MAX_SOPS];
	struct diff_sops *so;

	nops = sg->g->theme == DIFF_SEM_THEME_OPS ? DIFF_GEN_PICK(sg->g, nw_ops)
	                                          : DIFF_GEN_PICK(sg->g, nw_mix);
	for (int j = 0; j < nops; j++) {
		ops[j] = pick_sembuf(sg, nsems);
		if (j > 0 && CHANCE(sg->g->theme == DIFF_SEM_THEME_OPS ? 30 : 10))
			ops[j].num = ops[BELOW((unsigned)j)].num; /* duplicate sem_num */
	}
	i = diff_b_semop(sg->g->s, who, id, ops, nops, pick_timeout(sg));
	so = &sg->g->s->steps[i].sops;
	if (CHANCE(3))
		so->nsops = 0;
	else if (CHANCE(3) && sg->semopm >= 0 && sg->semopm < 1000)
		so->nsops = (size_t)sg->semopm + (CHANCE(70) ? 1 : 0);
	if (CHANCE(3))
		diff_b_null_buf(sg->g->s, i);
	diff_b_where(sg->g->s, i, where);
}

/* ---- semctl ---------------------------------------------------------------------- */

static int pick_semnum(struct sem_gen *sg, int nsems)
{
	if (nsems > 0 && CHANCE(88))
		return (int)BELOW((unsigned)(nsems < 8 ? nsems : 8));
	return CHANCE(40) ? nsems : DIFF_GEN_ONE_OF(sg->g, ((const int[]){ -1, 99, 65535, 0 }));
}

static void add_semctl(struct sem_gen *sg, enum diff_actor who, int where)
{
	static const int cmds[] = { GETVAL, SETVAL, GETPID, GETNCNT, GETZCNT, GETALL, SETALL,
	                            IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO, SEM_INFO, SEM_STAT,
	                            SEM_STAT_ANY, -1 };
	static const unsigned w[] = { 14, 14, 7, 3, 3, 10, 8, 10, 5, 6, 3, 4, 4, 4, 3 };
	static const int vals[] = { 0, 1, 2, 5, 32767, 32768, -1, 100, 3 };
	static const int bad_cmds[] = { 99, -1, 21, 0x100 | IPC_STAT, 10 };
	static const long far_idx[] = { 1000, 32767, -1, 0, 1 };
	int cmd = cmds[DIFF_GEN_PICK(sg->g, w)], i;
	struct diff_id id = diff_gen_id(sg->g, DIFF_SEMGET);
	int nsems = set_nsems(sg, &id), semnum = pick_semnum(sg, nsems);

	switch (cmd) {
	case SETVAL:
		i = diff_b_setval(sg->g->s, who, id, semnum, DIFF_GEN_ONE_OF(sg->g, vals));
		break;
	case SETALL:
		i = diff_b_setall(sg->g->s, who, id, DIFF_GEN_ONE_OF(sg->g, ((const int[]){ 0, 1, 3, 32767 })),
		                  (int)BELOW(2), CHANCE(8) && nsems > 0 ? (int)BELOW((unsigned)nsems) : -1);
		break;
	case IPC_SET:
		i = diff_b_semset(sg->g->s, who, id, diff_gen_set_uid(sg->g), diff_gen_set_gid(sg->g),
		                  CHANCE(10) ? 0177777 : diff_gen_mode(sg->g));
		break;
	case SEM_STAT:
	case SEM_STAT_ANY: {
		int q = diff_gen_pick_get(sg->g, DIFF_SEMGET);
		unsigned how = BELOW(10);

		if (q >= 0 && how < 4)
			id = diff_idx(q);
		else if (q >= 0 && how < 8)
			id = diff_ref(q);
		else
			id = diff_lit(DIFF_GEN_ONE_OF(sg->g, far_idx));
		i = diff_b_semctl(sg->g->s, who, id, semnum, cmd);
		break;
	}
	case IPC_INFO:
	case SEM_INFO:
		if (CHANCE(50))
			id = diff_lit(DIFF_GEN_ONE_OF(sg->g, ((const long[]){ 0, 5, -1, 32768 })));
		i = diff_b_semctl(sg->g->s, who, id, semnum, cmd);
		break;
	default:
		i = diff_b_semctl(sg->g->s, who, id, semnum,
		                  cmd == -1 ? DIFF_GEN_ONE_OF(sg->g, bad_cmds) : cmd);
		break;
	}
	if ((cmd == GETALL || cmd == SETALL || cmd == IPC_STAT || cmd == IPC_SET || cmd == SEM_STAT ||
	     cmd == IPC_INFO || cmd == SEM_INFO) && CHANCE(4))
		diff_b_null_buf(sg->g->s, i);
	diff_b_where(sg->g->s, i, where);
}

/* ---- limits ---------------------------------------------------------------------- */

static void add_limit(struct sem_gen *sg)
{
	static const long long msls[] = { 0, 1, 5, 10, 250, 32000, -1 };
	static const long long opms[] = { 0, 1, 2, 3, 5, 500, -1 };
	static const long long mnis[] = { 0, 1, 32000, 32768, 32769, -1 };
	static const unsigned w[] = { 25, 25, 25, 25 };
	const struct sim_kernel *k = diff_gen_kernel(sg->g);
	int sets, which = DIFF_GEN_PICK(sg->g, w);
	long sems;

	sim_sem_totals(k, &sets, &sems);
	switch (which) {
	case 0:
		diff_b_limit(sg->g->s, DIFF_LIM_SEMMSL, DIFF_GEN_ONE_OF(sg->g, msls));
		break;
	case 1:
		diff_b_limit(sg->g->s, DIFF_LIM_SEMMNS,
		             CHANCE(70) ? sems + (long long)BELOW(6) : (CHANCE(50) ? 0 : 1024000000));
		break;
	case 2:
		diff_b_limit(sg->g->s, DIFF_LIM_SEMOPM, DIFF_GEN_ONE_OF(sg->g, opms));
		break;
	default:
		diff_b_limit(sg->g->s, DIFF_LIM_SEMMNI,
		             CHANCE(60) ? sets + (long long)BELOW(2) : DIFF_GEN_ONE_OF(sg->g, mnis));
		break;
	}
}

/* ---- settling -------------------------------------------------------------------- */

struct sem_state {
	int n;
	int val[DIFF_MAX_SEMS], adj[DIFF_MAX_SEMS];
	int pid;
};

static int collect_val(void *ctx, const struct sim_sem_view *v)
{
	struct sem_state *ss = ctx;

	if (v->semnum < DIFF_MAX_SEMS)
		ss->val[v->semnum] = v->semval;
	return 0;
}

static int collect_adj(void *ctx, const struct sim_sem_undo_view *u)
{
	struct sem_state *ss = ctx;

	if (u->pid == ss->pid && u->semnum < DIFF_MAX_SEMS)
		ss->adj[u->semnum] = u->adj;
	return 0;
}

/*
 * Which op of a semop that answered EAGAIN with IPC_NOWAIT on every op
 * stops it, by Linux's rules (perform_atomic_semop: in array order against
 * the values so far; blocks on a zero-wait of a non-zero value or a result
 * below 0; ERANGE above SEMVMX or for a semadj out of range).  Returns its
 * index, or -1 when the model cannot tell (then the step is made
 * non-blocking with a zero timeout, which is always safe).
 */
static int blocking_op(struct sem_gen *sg, const struct diff_step *st)
{
	const struct sim_kernel *k = diff_gen_kernel(sg->g);
	long id = diff_id_resolve(&st->id, &sg->g->run);
	struct sem_state ss;

	memset(&ss, 0, sizeof(ss));
	ss.pid = st->where == DIFF_WHERE_CHILD || (st->where == 0 && st->actor != DIFF_ROOT)
	             ? -1 : diff_exec_pid(&sg->g->x, st->where);
	if (id < 0 || st->null_buf || st->sops.nsops != (size_t)st->sops.nops ||
	    sim_sem_values(k, (int)id, collect_val, &ss) < 0)
		return -1;
	sim_sem_undos(k, (int)id, collect_adj, &ss);
	for (int j = 0; j < st->sops.nops; j++) {
		const struct diff_sembuf *b = &st->sops.ops[j];
		int v, a;

		if (b->num >= DIFF_MAX_SEMS)
			return -1;
		v = ss.val[b->num] + b->op;
		a = ss.adj[b->num] - b->op;
		if ((b->op == 0 && ss.val[b->num] != 0) || v < 0)
			return j;
		if (v > SIM_SEMVMX || ((b->flg & SEM_UNDO) && (a < -32768 || a > 32767)))
			return -1; /* ERANGE, not EAGAIN: the model is off */
		ss.val[b->num] = v;
		if (b->flg & SEM_UNDO)
			ss.adj[b->num] = a;
	}
	return -1;
}

/* Runs the last step on the generation kernel (a semop first as a probe,
 * see the top of the file).  1 when the generation must stop. */
static int settle(struct sem_gen *sg)
{
	struct diff_step *st = &sg->g->s->steps[sg->g->s->nsteps - 1];
	short saved[DIFF_MAX_SOPS];
	long r;

	if (st->op == DIFF_SEMOP) {
		for (int j = 0; j < st->sops.nops; j++) {
			saved[j] = st->sops.ops[j].flg;
			st->sops.ops[j].flg |= IPC_NOWAIT;
		}
		r = diff_gen_settle(sg->g);
		for (int j = 0; j < st->sops.nops; j++)
			st->sops.ops[j].flg = saved[j];
		if (r == -EAGAIN && (st->sops.timeout == DIFF_TMO_SEMOP ||
		                     st->sops.timeout == DIFF_TMO_NULL)) {
			int j = blocking_op(sg, st);

			if (j < 0 || !(st->sops.ops[j].flg & IPC_NOWAIT))
				st->sops.timeout = DIFF_TMO_ZERO; /* it would sleep */
		}
	} else {
		r = diff_gen_settle(sg->g);
	}
	if (r == DIFF_RET_BLOCKED || r == DIFF_RET_FAILED)
		return 1;
	if (st->op == DIFF_LIMIT && r == 0) {
		if (st->limit == DIFF_LIM_SEMMSL)
			sg->semmsl = st->value;
		else if (st->limit == DIFF_LIM_SEMOPM)
			sg->semopm = st->value;
	}
	return 0;
}

/* ---- the sequence ---------------------------------------------------------------- */

static const unsigned op_weights[DIFF_SEM_NTHEMES][6] = {
	/*                          get  op ctl lim spawn exit */
	[DIFF_SEM_THEME_MIX] = { 12, 40, 40, 2, 3, 2 },
	[DIFF_SEM_THEME_PERMS] = { 22, 30, 44, 0, 2, 1 },
	[DIFF_SEM_THEME_OPS] = { 6, 64, 28, 0, 1, 1 },
	[DIFF_SEM_THEME_UNDO] = { 6, 50, 30, 0, 8, 6 },
	[DIFF_SEM_THEME_LIMITS] = { 30, 28, 20, 22, 0, 0 },
};

static void add_random_step(struct sem_gen *sg)
{
	struct diff_gen *g = sg->g;
	unsigned root = g->theme == DIFF_SEM_THEME_PERMS ? 35 : 80;
	unsigned child = g->theme == DIFF_SEM_THEME_UNDO ? 30 : 6;
	int op = diff_rng_pick(&g->rng, op_weights[g->theme], 6);
	int where = diff_gen_where(g, 35, child);
	enum diff_actor who = where == DIFF_WHERE_CHILD ? DIFF_ROOT : diff_gen_actor(g, root);

	if (where > 0)
		who = g->helper_actor[where];
	switch (op) {
	case 0: add_semget(sg, who); diff_b_where(g->s, g->s->nsteps - 1, where); break;
	case 1: add_semop(sg, who, where); break;
	case 2: add_semctl(sg, who, where); break;
	case 3: add_limit(sg); break;
	case 4: diff_gen_spawn(g, CHANCE(50) ? DIFF_ROOT : diff_gen_actor(g, 0)); break;
	default: diff_gen_exit(g); break;
	}
}

int diff_gen_sem_sequence(uint64_t seed, int number, unsigned root_sim_caps, struct diff_seq *s)
{
	struct sem_gen sgen, *sg = &sgen;
	int theme = number % DIFF_SEM_NTHEMES, len;

	sg->g = diff_gen_begin(seed, GEN_SEM_SALT, number, DIFF_KIND_SEM, theme, root_sim_caps, s);
	if (!sg->g)
		return -1;
	sg->semmsl = 32000;
	sg->semopm = 500;
	len = 14 + (int)BELOW(theme == DIFF_SEM_THEME_OPS || theme == DIFF_SEM_THEME_UNDO ? 36 : 26);
	for (int i = 0, first = 1 + (int)BELOW(2); i < first; i++) {
		enum diff_actor who = theme == DIFF_SEM_THEME_PERMS ? diff_gen_actor(sg->g, 40) : DIFF_ROOT;
		unsigned mode = theme == DIFF_SEM_THEME_PERMS ? diff_gen_mode(sg->g) : 0666;

		diff_b_semget(s, who, diff_gen_key(sg->g, 50), 1 + (int)BELOW(5), IPC_CREAT | (int)mode);
		if (settle(sg))
			goto out;
	}
	if (theme == DIFF_SEM_THEME_UNDO && CHANCE(60))
		diff_gen_spawn(sg->g, CHANCE(50) ? DIFF_ROOT : DIFF_ALICE);
	for (int tries = 0; s->nsteps < len && tries < 4 * len; tries++) {
		add_random_step(sg);
		if (sg->g->run.nsteps < s->nsteps && settle(sg))
			break;
	}
out:
	diff_gen_end(&sg->g);
	return 0;
}
