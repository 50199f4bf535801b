/*
 * diff_gen_shm.c - random shared memory sequences: shmget, shmat, shmdt,
 * shmctl, writes and reads through the attachments, limit changes, helper
 * processes that hold their own attachments.
 *
 * Every step runs on a generation kernel as it is appended, and address
 * choices are made from that kernel's state: shmdt and memory accesses aim
 * at the acting process's live attachments (sim_proc_attachments), so that
 * a write never lands outside one (a fault would kill the sequence's main
 * process; faults are directed tests, in a child).  Addresses are named so
 * both sides resolve them alike: literals in the fixed region
 * (DIFF_FIXED_BASE + slot * 64 pages + ...), or "what shmat returned at step
 * k" for NULL attaches.
 *
 * Sizes stay small (at most ~100 pages, 16 MiB once): Linux charges a new
 * segment against overcommit, the simulator does not, and that is no IPC
 * semantics.  Fixed addresses are never in [4096, 65536): the simulator's
 * vm.mmap_min_addr is Linux's default 65536, this host may use another.
 */
#include "diff_gen.h"
#include "diff_gen_int.h"

#include <errno.h>
#include <string.h>

#include "ipcsim/kernel.h"

#define PAGE 4096UL
#define SLOT_PAGES 64UL
#define NSLOTS 12UL
#define GEN_SHM_SALT 0x5348d00000000000ull

static const char *const shm_theme_names[DIFF_SHM_NTHEMES] = {
	"mix", "permissions", "addresses", "memory", "limits",
};

const char *diff_shm_theme_name(int t)
{
	return t >= 0 && t < DIFF_SHM_NTHEMES ? shm_theme_names[t] : "?";
}

struct shm_gen {
	struct diff_gen *g;
	unsigned long long shmmax, shmall;
};

#define BELOW(n) diff_gen_below(sg->g, (n))
#define CHANCE(p) diff_gen_chance(sg->g, (p))

/* ---- sizes and keys ---------------------------------------------------------- */

static size_t pick_size(struct shm_gen *sg)
{
	static const size_t sizes[] = {
		1, 100, 4095, 4096, 4097, 8192, 3 * 4096 + 5, 5 * 4096, 16 * 4096, 100 * 4096 + 1,
	};
	unsigned k = BELOW(100);

	if (k < 80)
		return DIFF_GEN_ONE_OF(sg->g, sizes);
	if (k < 86)
		return 0;
	if (k < 89)
		return (size_t)-1; /* > any shmmax but ULONG_MAX */
	if (k < 90)
		return 16UL << 20;
	if (sg->shmmax < (16UL << 20))
		return (size_t)sg->shmmax + (k < 95 ? 0 : 1);
	return 1 + BELOW(3 * 4096);
}

static void add_shmget(struct shm_gen *sg, enum diff_actor who)
{
	int flags = diff_gen_create_flags(sg->g) | (int)diff_gen_mode(sg->g);

	diff_b_shmget(sg->g->s, who, diff_gen_key(sg->g, 35), pick_size(sg), flags);
}

/* ---- the acting process's attachments ----------------------------------------- */

struct views {
	int n;
	struct sim_attach_view v[32];
};

static int collect_view(void *ctx, const struct sim_attach_view *a)
{
	struct views *vs = ctx;

	if (vs->n < 32)
		vs->v[vs->n++] = *a;
	return 0;
}

static void views_of(struct shm_gen *sg, int where, struct views *vs)
{
	int pid = diff_exec_pid(&sg->g->x, where);

	vs->n = 0;
	if (pid > 0 && where != DIFF_WHERE_CHILD)
		sim_proc_attachments(diff_gen_kernel(sg->g), pid, collect_view, vs);
}

static int in_fixed(unsigned long a)
{
	return a < 0x10000UL || (a >= DIFF_FIXED_BASE && a < DIFF_FIXED_BASE + DIFF_FIXED_SPAN);
}

/* The name of address `addr` in process `where`: a literal in the fixed
 * region, else the latest shmat of that process that returned it.  0 when
 * it has no name both sides share. */
static int name_addr(struct shm_gen *sg, int where, unsigned long addr, long offset,
                     struct diff_addr *out)
{
	const struct diff_seq *s = sg->g->s;

	if (in_fixed(addr)) {
		*out = diff_addr_lit(addr + (unsigned long)offset);
		return 1;
	}
	for (int k = sg->g->run.nsteps - 1; k >= 0; k--)
		if (s->steps[k].op == DIFF_SHMAT && s->steps[k].where == where &&
		    (where != DIFF_WHERE_DEFAULT || s->steps[k].actor == DIFF_ROOT) &&
		    sg->g->run.r[k].ret == (long)addr) {
			*out = diff_addr_at(k, offset);
			return 1;
		}
	return 0;
}

/* ---- shmat --------------------------------------------------------------------- */

static unsigned long slot_addr(struct shm_gen *sg)
{
	return DIFF_FIXED_BASE + (BELOW(NSLOTS) * SLOT_PAGES + BELOW(4)) * PAGE;
}

static void add_shmat(struct shm_gen *sg, enum diff_actor who, int where)
{
	static const unsigned w[] = { 42, 28, 12, 4, 3, 6, 5 };
	struct diff_id id = diff_gen_id(sg->g, DIFF_SHMGET);
	struct diff_addr addr = diff_addr_lit(0);
	int flags = 0, kind = DIFF_GEN_PICK(sg->g, w);
	struct views vs;

	if (sg->g->theme == DIFF_SHM_THEME_ADDR && kind == 0 && CHANCE(50))
		kind = 1 + (int)BELOW(2);
	switch (kind) {
	case 0: /* NULL */
		if (CHANCE(4))
			flags |= SHM_REMAP; /* EINVAL */
		break;
	case 1: /* a fixed slot */
		addr = diff_addr_lit(slot_addr(sg));
		flags |= CHANCE(8) ? SHM_REMAP : 0;
		break;
	case 2: /* onto or into a live fixed attachment: overlap EINVAL or SHM_REMAP */
		views_of(sg, where, &vs);
		for (int t = 0; t < 4 && vs.n; t++) {
			const struct sim_attach_view *v = &vs.v[BELOW((unsigned)vs.n)];

			if (v->addr >= DIFF_FIXED_BASE && v->addr < DIFF_FIXED_BASE + DIFF_FIXED_SPAN) {
				addr = diff_addr_lit(v->addr + BELOW((unsigned)(v->len / PAGE) + 1) * PAGE);
				break;
			}
		}
		if (addr.literal == 0)
			addr = diff_addr_lit(slot_addr(sg));
		flags |= CHANCE(55) ? SHM_REMAP : 0;
		break;
	case 3: /* below one page: SHM_RND makes it 0 (CAP_SYS_RAWIO, EINVAL with SHM_REMAP) */
		addr = diff_addr_lit(CHANCE(50) ? 0x10 : 0xfff);
		flags |= (CHANCE(85) ? SHM_RND : 0) | (CHANCE(15) ? SHM_REMAP : 0);
		break;
	case 4: /* past the top of user space, or wrapping */
		addr = diff_addr_lit(CHANCE(50) ? 0x800000000000UL : 0xfffffffffffff000UL);
		flags |= CHANCE(30) ? SHM_REMAP : 0;
		break;
	case 5: /* unaligned fixed */
		addr = diff_addr_lit(slot_addr(sg) + 1 + BELOW(4095));
		flags |= CHANCE(65) ? SHM_RND : 0;
		flags |= CHANCE(10) ? SHM_REMAP : 0;
		break;
	default: /* low pages 1..15: only root may (mmap_min_addr differs by machine) */
		if (who == DIFF_ROOT)
			addr = diff_addr_lit((1 + BELOW(15)) * PAGE);
		break;
	}
	flags |= (CHANCE(25) ? SHM_RDONLY : 0) | (CHANCE(8) ? SHM_EXEC : 0);
	diff_b_where(sg->g->s, diff_b_shmat(sg->g->s, who, id, addr, flags), where);
}

/* ---- shmdt --------------------------------------------------------------------- */

/*
 * An earlier successful shmat's address, perhaps detached since (EINVAL):
 * a fixed one of any process, or a NULL one of this process when no NULL
 * attach of this process came after it.  Where the kernel puts a NULL
 * attach is its own policy (and the host's layout has more in it), so a
 * NULL address is only comparable while nothing could have reused it.
 */
static int old_attach(struct shm_gen *sg, int where, struct diff_addr *out)
{
	const struct diff_seq *s = sg->g->s;
	int cand[DIFF_MAX_STEPS], n = 0, k, later_null = 0;

	for (k = sg->g->run.nsteps - 1; k >= 0; k--) {
		const struct diff_step *st = &s->steps[k];
		int mine = st->where == where && (where != DIFF_WHERE_DEFAULT || st->actor == DIFF_ROOT);
		long r = sg->g->run.r[k].ret;

		if (st->op != DIFF_SHMAT || r < 0)
			continue;
		if (in_fixed((unsigned long)r))
			cand[n++] = k;
		else if (mine && !later_null++)
			cand[n++] = k;
	}
	if (!n)
		return 0;
	k = cand[BELOW((unsigned)n)];
	if (in_fixed((unsigned long)sg->g->run.r[k].ret))
		*out = diff_addr_lit((unsigned long)sg->g->run.r[k].ret);
	else
		*out = diff_addr_at(k, 0);
	return 1;
}

static void add_shmdt(struct shm_gen *sg, enum diff_actor who, int where)
{
	static const unsigned w[] = { 50, 14, 8, 16, 7, 5 };
	int kind = DIFF_GEN_PICK(sg->g, w);
	struct diff_addr addr = diff_addr_lit(0);
	struct views vs;

	views_of(sg, where, &vs);
	if (kind <= 2 && vs.n) {
		const struct sim_attach_view *v = &vs.v[BELOW((unsigned)vs.n)];
		long pages = (long)(v->len / PAGE), off;

		/* the middle of an attachment: a page boundary inside it, never past
		 * its end (what lies there depends on each kernel's placement) */
		if (kind == 1 && pages < 2)
			kind = 2;
		off = kind == 0 ? 0 : kind == 1 ? (long)PAGE * (1 + (long)BELOW((unsigned)pages - 1)) : 1;

		if (!name_addr(sg, where, v->addr, off, &addr))
			kind = 3;
	} else if (kind <= 2) {
		kind = 3;
	}
	if (kind == 3 && !old_attach(sg, where, &addr))
		kind = 4;
	if (kind == 4)
		addr = diff_addr_lit(slot_addr(sg));
	diff_b_where(sg->g->s, diff_b_shmdt(sg->g->s, who, addr), where);
}

/* ---- memory access ------------------------------------------------------------- */

/* 0 when the acting process has no attachment to aim at. */
static int add_mem(struct shm_gen *sg, int where, int write)
{
	static const size_t lens[] = { 1, 8, 100, 4096, 5000, 12288 };
	const struct sim_attach_view *v = NULL;
	struct diff_addr addr;
	struct views vs;
	unsigned long off;
	size_t len;

	views_of(sg, where, &vs);
	for (int t = 0; t < 6 && vs.n && !v; t++) {
		v = &vs.v[BELOW((unsigned)vs.n)];
		if (write && v->rdonly)
			v = NULL;
	}
	if (!v)
		return 0;
	off = CHANCE(40) ? BELOW((unsigned)(v->len / PAGE)) * PAGE : BELOW((unsigned)v->len);
	if (CHANCE(10))
		off = v->len - 1 - BELOW(16) % v->len; /* the last bytes of the mapping */
	len = DIFF_GEN_ONE_OF(sg->g, lens);
	if (len > v->len - off)
		len = v->len - off;
	if (!name_addr(sg, where, v->addr, (long)off, &addr))
		return 0;
	if (write)
		diff_b_memwrite(sg->g->s, DIFF_ROOT, addr, len);
	else
		diff_b_memread(sg->g->s, DIFF_ROOT, addr, len);
	diff_b_where(sg->g->s, sg->g->s->nsteps - 1, where);
	return 1;
}

/* ---- shmctl -------------------------------------------------------------------- */

static void add_shmctl(struct shm_gen *sg, enum diff_actor who, int where)
{
	static const int cmds[] = { IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO, SHM_INFO, SHM_STAT,
	                            SHM_STAT_ANY, SHM_LOCK, SHM_UNLOCK, -1 };
	static const unsigned w[] = { 24, 9, 13, 5, 12, 7, 7, 9, 6, 4 };
	static const int bad_cmds[] = { 99, -1, 16, 0x100 | IPC_STAT, 10 };
	static const long far_idx[] = { 1000, 32767, -1, 0, 1 };
	static const unsigned odd_modes[] = { 0177777, 01666, 03666, 070000 };
	int cmd = cmds[DIFF_GEN_PICK(sg->g, w)], i;
	struct diff_id id = diff_gen_id(sg->g, DIFF_SHMGET);

	if (cmd == SHM_STAT || cmd == SHM_STAT_ANY) {
		int q = diff_gen_pick_get(sg->g, DIFF_SHMGET);
		unsigned how = BELOW(10);

		if (q >= 0 && how < 4)
			id = diff_idx(q);
		else if (q >= 0 && how < 8)
			id = diff_ref(q);
		else
			id = diff_lit(DIFF_GEN_ONE_OF(sg->g, far_idx));
	} else if ((cmd == IPC_INFO || cmd == SHM_INFO) && CHANCE(50)) {
		id = diff_lit(DIFF_GEN_ONE_OF(sg->g, ((const long[]){ 0, 5, -1, 32768 })));
	}
	if (cmd == IPC_SET)
		i = diff_b_shmset(sg->g->s, who, id, diff_gen_set_uid(sg->g), diff_gen_set_gid(sg->g),
		                  CHANCE(10) ? DIFF_GEN_ONE_OF(sg->g, odd_modes) : diff_gen_mode(sg->g));
	else
		i = diff_b_shmctl(sg->g->s, who, id, cmd == -1 ? DIFF_GEN_ONE_OF(sg->g, bad_cmds) : cmd);
	if (cmd != IPC_RMID && cmd != SHM_LOCK && cmd != SHM_UNLOCK && CHANCE(4))
		diff_b_null_buf(sg->g->s, i);
	diff_b_where(sg->g->s, i, where);
}

/* ---- limits -------------------------------------------------------------------- */

static void add_limit(struct shm_gen *sg)
{
	static const unsigned long long maxes[] = { 0, 1, 4095, 4096, 4097, 10000, 65536,
	                                            18446744073692774399ull, ~0ull };
	static const long long mnis[] = { 0, 1, 2, 4096, 32768, 32769, -1 };
	static const unsigned w[] = { 35, 35, 30 };
	const struct sim_kernel *k = diff_gen_kernel(sg->g);
	int which = DIFF_GEN_PICK(sg->g, w), segs;
	unsigned long pages, rss;
	long long v;

	sim_shm_totals(k, &segs, &pages, &rss);
	if (which == 0) {
		v = (long long)DIFF_GEN_ONE_OF(sg->g, maxes);
		diff_b_limit(sg->g->s, DIFF_LIM_SHMMAX, v);
	} else if (which == 1) {
		v = CHANCE(70) ? (long long)(pages + BELOW(4)) : (long long)DIFF_GEN_ONE_OF(sg->g, maxes);
		diff_b_limit(sg->g->s, DIFF_LIM_SHMALL, v);
	} else {
		v = CHANCE(60) ? segs + (long long)BELOW(2) : DIFF_GEN_ONE_OF(sg->g, mnis);
		diff_b_limit(sg->g->s, DIFF_LIM_SHMMNI, v);
	}
}

/* ---- the sequence ---------------------------------------------------------------- */

static const unsigned op_weights[DIFF_SHM_NTHEMES][9] = {
	/*                          get  at  dt ctl  wr  rd lim spawn exit */
	[DIFF_SHM_THEME_MIX] = { 14, 22, 12, 20, 10, 10, 2, 2, 1 },
	[DIFF_SHM_THEME_PERMS] = { 22, 24, 6, 36, 4, 4, 0, 2, 1 },
	[DIFF_SHM_THEME_ADDR] = { 8, 40, 24, 10, 6, 6, 0, 2, 1 },
	[DIFF_SHM_THEME_MEMORY] = { 6, 22, 8, 12, 24, 24, 0, 3, 1 },
	[DIFF_SHM_THEME_LIMITS] = { 30, 12, 6, 22, 2, 2, 24, 1, 1 },
};

static void add_random_step(struct shm_gen *sg)
{
	struct diff_gen *g = sg->g;
	unsigned root = g->theme == DIFF_SHM_THEME_PERMS ? 35 : 78;
	int op = diff_rng_pick(&g->rng, op_weights[g->theme], 9);
	int where = diff_gen_where(g, 30, 4);
	enum diff_actor who = where == DIFF_WHERE_CHILD ? DIFF_ROOT : diff_gen_actor(g, root);

	if (where > 0)
		who = g->helper_actor[where];
	switch (op) {
	case 0: add_shmget(sg, who); diff_b_where(g->s, g->s->nsteps - 1, where); break;
	case 1: add_shmat(sg, who, where); break;
	case 2: add_shmdt(sg, where > 0 ? who : DIFF_ROOT, where > 0 ? where : DIFF_WHERE_DEFAULT);
		break;
	case 3: add_shmctl(sg, who, where); break;
	case 4:
	case 5:
		if (!add_mem(sg, where > 0 ? where : DIFF_WHERE_DEFAULT, op == 4))
			add_shmat(sg, DIFF_ROOT, DIFF_WHERE_DEFAULT);
		break;
	case 6: add_limit(sg); break;
	case 7: diff_gen_spawn(g, CHANCE(50) ? DIFF_ROOT : diff_gen_actor(g, 0)); return;
	default: diff_gen_exit(g); return;
	}
}

/* Settles the last step; 1 when the generation must stop. */
static int settle(struct shm_gen *sg)
{
	const struct diff_step *st = &sg->g->s->steps[sg->g->s->nsteps - 1];
	long r = diff_gen_settle(sg->g);

	if (r == DIFF_RET_BLOCKED || r == DIFF_RET_SEGV || r == DIFF_RET_FAILED)
		return 1;
	if (st->op == DIFF_LIMIT && r == 0) {
		if (st->limit == DIFF_LIM_SHMMAX)
			sg->shmmax = (unsigned long long)st->value;
		else if (st->limit == DIFF_LIM_SHMALL)
			sg->shmall = (unsigned long long)st->value;
	}
	return 0;
}

int diff_gen_shm_sequence(uint64_t seed, int number, unsigned root_sim_caps, struct diff_seq *s)
{
	struct shm_gen sgen, *sg = &sgen;
	int theme = number % DIFF_SHM_NTHEMES, len;

	sg->g = diff_gen_begin(seed, GEN_SHM_SALT, number, DIFF_KIND_SHM, theme, root_sim_caps, s);
	if (!sg->g)
		return -1;
	sg->shmmax = sg->shmall = 18446744073692774399ull;
	len = 14 + (int)BELOW(theme == DIFF_SHM_THEME_MEMORY || theme == DIFF_SHM_THEME_ADDR ? 40 : 26);
	/* Something to work on: one or two segments, attached at once by root. */
	for (int i = 0, first = 1 + (int)BELOW(2); i < first; i++) {
		enum diff_actor who = theme == DIFF_SHM_THEME_PERMS ? diff_gen_actor(sg->g, 40) : DIFF_ROOT;
		unsigned mode = theme == DIFF_SHM_THEME_PERMS ? diff_gen_mode(sg->g) : 0666;
		static const size_t sizes[] = { 4096, 4097, 8192, 3 * 4096 + 5, 100 };

		diff_b_shmget(s, who, diff_gen_key(sg->g, 50), DIFF_GEN_ONE_OF(sg->g, sizes),
		              IPC_CREAT | (int)mode);
		if (settle(sg))
			goto out;
		diff_b_shmat(s, DIFF_ROOT, diff_ref(s->nsteps - 1),
		             diff_addr_lit(CHANCE(50) ? 0 : slot_addr(sg)), 0);
		if (settle(sg))
			goto out;
	}
	if ((theme == DIFF_SHM_THEME_MEMORY || theme == DIFF_SHM_THEME_ADDR) && CHANCE(50)) {
		diff_gen_spawn(sg->g, CHANCE(50) ? DIFF_ROOT : DIFF_ALICE);
	}
	for (int tries = 0; s->nsteps < len && tries < 4 * len; tries++) {
		add_random_step(sg);
		if (s->nsteps && sg->g->run.nsteps < s->nsteps && settle(sg))
			break;
	}
out:
	diff_gen_end(&sg->g);
	return 0;
}
