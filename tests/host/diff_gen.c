/*
 * diff_gen.c - random call sequences (see diff_gen.h).
 *
 * Values are drawn from small tables that hold Linux's boundaries
 * (msgmax +-1, qbytes 0, the 0x100000005 truncation, LONG_MIN, mode bits
 * beyond 0777 ...) mixed with ordinary values, so that most calls succeed and
 * build up state while every error path still comes up often.
 */
#include "diff_gen.h"
#include "diff_build.h"
#include "diff_exec.h"
#include "diff_rng.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>

#include "ipcsim/kernel.h"

struct gen {
	struct diff_rng rng;
	struct diff_seq *s;
	enum diff_theme theme;
	struct diff_run run;       /* the generation kernel's answers */
	struct backend *b;         /* the simulator's backend */
	struct diff_exec x;        /* performing s on b */
	int removed[DIFF_MAX_STEPS]; /* msgget step whose queue was removed */
	long long msgmax, msgmnb;  /* as the generation kernel has them */
	int nlive;
};

static const char *const theme_names[DIFF_NTHEMES] = {
	"mix", "permissions", "receive-selection", "fill", "limits", "ids",
};

const char *diff_theme_name(int t)
{
	return t >= 0 && t < DIFF_NTHEMES ? theme_names[t] : "?";
}

static unsigned below(struct gen *g, unsigned n)
{
	return diff_rng_below(&g->rng, n);
}

static int chance(struct gen *g, unsigned percent)
{
	return diff_rng_chance(&g->rng, percent);
}

#define PICK(g, w) diff_rng_pick(&(g)->rng, (w), (int)(sizeof(w) / sizeof((w)[0])))
#define ONE_OF(g, t) ((t)[below((g), (unsigned)(sizeof(t) / sizeof((t)[0])))])

static const unsigned modes[] = {
	0600, 0666, 0640, 0604, 0660, 0644, 0400, 0200, 0040, 0020, 0004, 0002,
	0000, 0777, 0066, 0060, 0006, 0406, 0707, 0622,
};
static const long keys[] = { 0x1234, 0x2345, 0x3456, (int)0x80001234, 0x7fffffff };
static const long bad_ids[] = { -1, -32768, INT_MAX, 99, 0, 1, 32768, 12345 };

static enum diff_actor pick_actor(struct gen *g)
{
	static const unsigned mix[] = { 70, 10, 10, 10 };
	static const unsigned perms[] = { 30, 25, 25, 20 };
	static const unsigned other[] = { 82, 6, 6, 6 };

	if (g->theme == DIFF_THEME_PERMS)
		return (enum diff_actor)PICK(g, perms);
	if (g->theme == DIFF_THEME_MIX)
		return (enum diff_actor)PICK(g, mix);
	return (enum diff_actor)PICK(g, other);
}

static unsigned pick_mode(struct gen *g)
{
	return chance(g, 10) ? below(g, 01000) : ONE_OF(g, modes);
}

/* A msgget step that gave an id; live ones preferred.  -1 when there is none. */
static int pick_queue_step(struct gen *g, int want_removed)
{
	int cand[DIFF_MAX_STEPS], n = 0;

	for (int i = 0; i < g->run.nsteps; i++)
		if (g->s->steps[i].op == DIFF_MSGGET && g->run.r[i].ret >= 0 &&
		    g->removed[i] == want_removed)
			cand[n++] = i;
	if (n == 0 && want_removed)
		return pick_queue_step(g, 0);
	return n ? cand[below(g, (unsigned)n)] : -1;
}

static struct diff_id pick_id(struct gen *g)
{
	static const unsigned w[] = { 78, 7, 5, 10 }; /* live, removed, stale seq, literal */
	int kind = PICK(g, w), q;

	if (kind == 3)
		return diff_lit(ONE_OF(g, bad_ids));
	q = pick_queue_step(g, kind == 1);
	if (q < 0)
		return diff_lit(chance(g, 50) ? 0 : ONE_OF(g, bad_ids));
	return kind == 2 ? diff_stale(q) : diff_ref(q);
}

static long pick_key(struct gen *g)
{
	return chance(g, 30) ? IPC_PRIVATE : ONE_OF(g, keys);
}

static void add_msgget(struct gen *g, enum diff_actor who)
{
	static const int create[] = { IPC_CREAT, IPC_CREAT | IPC_EXCL, 0, IPC_EXCL };
	static const unsigned w[] = { 45, 22, 28, 5 };

	diff_b_msgget(g->s, who, pick_key(g), create[PICK(g, w)] | (int)pick_mode(g));
}

static size_t pick_snd_size(struct gen *g)
{
	static const unsigned w[] = { 12, 30, 20, 8, 3, 5, 5, 4, 2, 1, 3, 3 };
	size_t max = (size_t)(g->msgmax > 0 ? g->msgmax : 0);

	switch (PICK(g, w)) {
	case 0: return 0;
	case 1: return 1 + below(g, 16);
	case 2: return 17 + below(g, 184);
	case 3: return 201 + below(g, 1800);
	case 4: return max ? max - 1 : 0;
	case 5: return max;
	case 6: return max + 1;
	case 7: return 8192;
	case 8: return (size_t)-1;
	case 9: return (size_t)LONG_MAX + 1;
	case 10: return (size_t)(g->msgmnb > 0 ? g->msgmnb / 2 : 0);
	default: return below(g, 20000);
	}
}

static long pick_mtype(struct gen *g)
{
	static const long odd[] = { 0, -1, LONG_MIN, LONG_MAX, 1000 };

	return chance(g, 88) ? 1 + (long)below(g, 6) : ONE_OF(g, odd);
}

static void add_msgsnd(struct gen *g, enum diff_actor who)
{
	size_t sz = g->theme == DIFF_THEME_FILL && chance(g, 60) ? below(g, 4) : pick_snd_size(g);
	int i = diff_b_msgsnd(g->s, who, pick_id(g), pick_mtype(g), sz,
	                      chance(g, 50) ? IPC_NOWAIT : 0);

	if (chance(g, 3))
		diff_b_null_buf(g->s, i);
}

static size_t pick_rcv_size(struct gen *g)
{
	static const unsigned w[] = { 8, 20, 20, 25, 20, 3, 2, 1 };

	switch (PICK(g, w)) {
	case 0: return 0;
	case 1: return 1 + below(g, 8);
	case 2: return 9 + below(g, 56);
	case 3: return 100 + below(g, 900);
	case 4: return 8192;
	case 5: return (size_t)(g->msgmax > 0 ? g->msgmax : 0) + 100;
	case 6: return (size_t)-1;
	default: return (size_t)LONG_MAX + 1;
	}
}

static long pick_msgtyp(struct gen *g)
{
	static const unsigned w[] = { 30, 30, 25, 4, 3, 2, 3, 3 };

	switch (PICK(g, w)) {
	case 0: return 0;
	case 1: return 1 + (long)below(g, 7);
	case 2: return -1 - (long)below(g, 7);
	case 3: return LONG_MIN;
	case 4: return LONG_MAX;
	case 5: return -LONG_MAX;
	case 6: return 1000;
	default: return -1000;
	}
}

static void add_msgrcv(struct gen *g, enum diff_actor who)
{
	int flags = chance(g, 25) ? MSG_NOERROR : 0;
	long typ;
	int i;

	if (chance(g, 12)) {
		/* MSG_COPY: msgtyp is a 0-based index; NOWAIT is required, EXCEPT refused. */
		flags |= MSG_COPY | (chance(g, 80) ? IPC_NOWAIT : 0) | (chance(g, 15) ? MSG_EXCEPT : 0);
		typ = chance(g, 85) ? (long)below(g, 6) : ONE_OF(g, ((const long[]){ -1, 1000, LONG_MIN }));
	} else {
		flags |= (chance(g, 20) ? MSG_EXCEPT : 0) | (chance(g, 50) ? IPC_NOWAIT : 0);
		typ = pick_msgtyp(g);
	}
	i = diff_b_msgrcv(g->s, who, pick_id(g), pick_rcv_size(g), typ, flags);
	if (chance(g, 3))
		diff_b_null_buf(g->s, i);
}

static unsigned long pick_qbytes(struct gen *g)
{
	static const unsigned long small[] = { 0, 1, 2, 3, 5, 10, 50, 100 };
	static const unsigned w[] = { 20, 8, 6, 8, 8, 8, 4, 8, 4, 3, 2 };
	unsigned long mnb = (unsigned long)(g->msgmnb > 0 ? g->msgmnb : 0);

	if (g->theme == DIFF_THEME_FILL && chance(g, 70))
		return ONE_OF(g, small);
	switch (PICK(g, w)) {
	case 0: return mnb;
	case 1: return mnb + 1;
	case 2: return 0;
	case 3: return 1 + below(g, 5);
	case 4: return 100;
	case 5: return 1000;
	case 6: return 0x100000005ul;
	case 7: return 16384;
	case 8: return 20000;
	case 9: return (unsigned long)-1;
	default: return 0x80000000ul;
	}
}

static void add_msgset(struct gen *g, enum diff_actor who, struct diff_id id)
{
	static const unsigned uids[] = { 0, 1000, 1001, 65534 };
	static const unsigned gids[] = { 0, 1000, 65534 };
	static const unsigned odd_modes[] = { 0177777, 01666, 0100644, 070000 };
	unsigned uid = chance(g, 3) ? (unsigned)-1 : ONE_OF(g, uids);
	unsigned gid = chance(g, 3) ? (unsigned)-1 : ONE_OF(g, gids);
	unsigned mode = chance(g, 10) ? ONE_OF(g, odd_modes) : pick_mode(g);

	diff_b_msgset(g->s, who, id, uid, gid, mode, pick_qbytes(g));
}

static void add_msgctl(struct gen *g, enum diff_actor who)
{
	static const int cmds[] = { IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO, MSG_INFO,
	                            MSG_STAT, MSG_STAT_ANY, -1 /* bad */ };
	static const unsigned w[] = { 28, 16, 10, 6, 6, 12, 12, 4 };
	static const int bad_cmds[] = { 99, -1, 4, 0x100 | IPC_STAT };
	static const long far_idx[] = { 1000, 32767, -1, 0, 1 };
	int cmd = cmds[PICK(g, w)];
	struct diff_id id = pick_id(g);
	int i;

	if (cmd == MSG_STAT || cmd == MSG_STAT_ANY) {
		int q = pick_queue_step(g, 0);
		unsigned how = below(g, 10);

		if (q >= 0 && how < 4)
			id = diff_idx(q);
		else if (q >= 0 && how < 8)
			id = diff_ref(q);
		else
			id = diff_lit(ONE_OF(g, far_idx));
	} else if (cmd == IPC_INFO || cmd == MSG_INFO) {
		if (chance(g, 50))
			id = diff_lit(ONE_OF(g, ((const long[]){ 0, 5, -1, 32768 })));
	}
	if (cmd == IPC_SET) {
		add_msgset(g, who, id);
		i = g->s->nsteps - 1;
	} else {
		i = diff_b_msgctl(g->s, who, id, cmd == -1 ? ONE_OF(g, bad_cmds) : cmd);
	}
	if (cmd != IPC_RMID && chance(g, 4))
		diff_b_null_buf(g->s, i);
}

static void add_limit(struct gen *g)
{
	static const long long maxes[] = { 100, 200, 1000, 8192, 16384, 65536, 0, -1 };
	static const long long mnbs[] = { 0, 50, 100, 1000, 16384, 20000, 65536, -1 };
	static const long long mnis[] = { 0, 1, 3, 32000, 32768, 40000, -1 };
	static const unsigned w[] = { 40, 30, 30 };
	enum diff_limit which = (enum diff_limit)PICK(g, w);
	long long v;

	if (which == DIFF_LIM_MSGMAX)
		v = ONE_OF(g, maxes);
	else if (which == DIFF_LIM_MSGMNB)
		v = ONE_OF(g, mnbs);
	else if (chance(g, 60))
		v = g->nlive + (long long)below(g, 2); /* the ENOSPC edge */
	else
		v = ONE_OF(g, mnis);
	diff_b_limit(g->s, which, v);
}

/* Runs the step just appended on the generation kernel and settles its flags. */
static int settle_last_step(struct gen *g)
{
	int i = g->s->nsteps - 1;
	struct diff_step *st = &g->s->steps[i];
	int probe = (st->op == DIFF_MSGSND || st->op == DIFF_MSGRCV) &&
	            !(st->flags & IPC_NOWAIT) && !(st->op == DIFF_MSGRCV && (st->flags & MSG_COPY));
	long r;

	if (probe)
		st->flags |= IPC_NOWAIT;
	r = diff_exec_step(&g->x, g->s, i);
	if (probe && !(r == (st->op == DIFF_MSGSND ? -EAGAIN : -ENOMSG)))
		st->flags &= ~IPC_NOWAIT; /* the blocking form answers the same */
	if (r == DIFF_RET_BLOCKED || r == DIFF_RET_FAILED)
		return -1; /* the generation kernel cannot go on; the diff will show why */
	if (st->op == DIFF_MSGGET && r >= 0) {
		int known = 0;

		for (int j = 0; j < i; j++)
			if (g->s->steps[j].op == DIFF_MSGGET && g->run.r[j].ret == r && !g->removed[j])
				known = 1;
		g->nlive += !known;
	}
	if (st->op == DIFF_MSGCTL && st->cmd == IPC_RMID && r == 0) {
		long id = diff_id_resolve(&st->id, &g->run);

		for (int j = 0; j < i; j++)
			if (g->s->steps[j].op == DIFF_MSGGET && g->run.r[j].ret == id && !g->removed[j]) {
				g->removed[j] = 1;
				g->nlive -= g->nlive > 0;
			}
	}
	if (st->op == DIFF_LIMIT && r == 0) {
		if (st->limit == DIFF_LIM_MSGMAX)
			g->msgmax = st->value;
		else if (st->limit == DIFF_LIM_MSGMNB)
			g->msgmnb = st->value;
	}
	return 0;
}

static int sequence_length(struct gen *g)
{
	switch (g->theme) {
	case DIFF_THEME_FILL: return 30 + (int)below(g, 40);
	case DIFF_THEME_IDS: return 20 + (int)below(g, 30);
	default: return 10 + (int)below(g, 26);
	}
}

static const unsigned op_weights[DIFF_NTHEMES][5] = {
	/*                      get snd rcv ctl limit */
	[DIFF_THEME_MIX] = { 12, 30, 30, 22, 3 },
	[DIFF_THEME_PERMS] = { 25, 20, 20, 35, 0 },
	[DIFF_THEME_RECV] = { 4, 45, 45, 6, 0 },
	[DIFF_THEME_FILL] = { 4, 55, 20, 20, 1 },
	[DIFF_THEME_LIMITS] = { 15, 25, 15, 20, 25 },
	[DIFF_THEME_IDS] = { 35, 10, 10, 45, 0 },
};

static void add_random_step(struct gen *g)
{
	int op = diff_rng_pick(&g->rng, op_weights[g->theme], 5);

	switch (op) {
	case 0: add_msgget(g, pick_actor(g)); break;
	case 1: add_msgsnd(g, pick_actor(g)); break;
	case 2: add_msgrcv(g, pick_actor(g)); break;
	case 3: add_msgctl(g, pick_actor(g)); break;
	default: add_limit(g); break;
	}
}

int diff_gen_sequence(uint64_t seed, int number, unsigned root_sim_caps, struct diff_seq *s)
{
	struct gen *g = calloc(1, sizeof(*g));
	int len, first;

	if (!g)
		return -1;
	diff_seq_init(s, seed, number);
	diff_rng_init(&g->rng, seed, (uint64_t)number);
	g->s = s;
	g->theme = (enum diff_theme)(number % DIFF_NTHEMES);
	g->msgmax = 8192;
	g->msgmnb = 16384;
	g->b = backend_sim_new();
	if (!g->b || diff_exec_begin(&g->x, g->b, root_sim_caps, &g->run) != 0) {
		backend_free(&g->b);
		free(g);
		return -1;
	}
	len = sequence_length(g);
	/* Start with something to work on: one or two queues. */
	first = 1 + (int)below(g, 2);
	for (int i = 0; i < first && s->nsteps < len; i++) {
		enum diff_actor who = g->theme == DIFF_THEME_PERMS ? pick_actor(g) : DIFF_ROOT;
		unsigned mode = g->theme == DIFF_THEME_PERMS ? pick_mode(g) : 0666;

		diff_b_msgget(s, who, chance(g, 50) ? IPC_PRIVATE : ONE_OF(g, keys),
		              IPC_CREAT | (int)mode);
		if (settle_last_step(g) != 0)
			goto out;
	}
	if (g->theme == DIFF_THEME_FILL && s->nsteps > 0 && g->run.r[0].ret >= 0 && chance(g, 70)) {
		/* A small msg_qbytes, so the byte and the message-count limits both come up. */
		static const unsigned long small[] = { 0, 1, 2, 3, 5, 10, 50, 100 };

		diff_b_msgset(s, DIFF_ROOT, diff_ref(0), 0, 0, 0666, ONE_OF(g, small));
		if (settle_last_step(g) != 0)
			goto out;
	}
	while (s->nsteps < len) {
		add_random_step(g);
		if (settle_last_step(g) != 0)
			break;
	}
out:
	diff_exec_end(&g->x);
	backend_free(&g->b);
	free(g);
	return 0;
}
