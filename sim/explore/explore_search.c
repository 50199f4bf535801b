/*
 * explore_search.c - the exhaustive search (docs/explore.md has the design
 * and the argument why its reductions lose no outcome).
 *
 * A depth-first search over the states at the choice points, each known by
 * its digest (the interpreter's variables and programs, the simulated
 * kernel: explore_state.c) and stored once, with the steps searched from it
 * (edges to the states they lead to).  A state seen again is not searched
 * again.  After the search every state's summary is worked out from its
 * edges (summarize): for every outcome reachable from it, how many of the
 * searched schedules reach it and the first step of the shortest one.  The
 * number of schedules is the number of paths of the state graph (184,756
 * for two processes of ten steps) while the states are few.
 *
 * Two reductions (not with naive):
 *   - a persistent set: where a process's next step is local arithmetic
 *     that cannot fail, that step alone is taken (it commutes with every
 *     other step and nothing disables it);
 *   - sleep sets (Godefroid): after the step of process P has been searched
 *     from a state, the later choices there carry P "asleep" into the
 *     states they lead to for as long as the steps taken are independent
 *     of P's (script_sched_access: they touch nothing P's touches); an
 *     asleep process's step is not taken: every schedule through it was
 *     met by the search from P's step, in an order the independent steps
 *     only swap.  A state stored with processes asleep and met again with
 *     fewer searches the steps of those that woke up (asleep).
 *
 * Going back to a state is a rewind of the one run (script_sched_save and
 * script_sched_rewind: the kernel's undo log and the interpreter's copy):
 * a state saves before its first choice when it has more than one, and
 * rewinds before each other.
 */
#include <stdlib.h>
#include <string.h>

#include "explore/explore_int.h"

struct entry {
	int outcome;
	int len;      /* steps of the shortest schedule from here */
	int first;    /* its first step (a name id), -1 at the end */
	uint64_t count;
};

struct edge {
	struct node *to;
	int step;     /* the process that takes it: a name id */
};

struct node {
	uint64_t key[2];
	uint64_t asleep;   /* the places (script_sched_proc_id) whose step was not
	                      searched here because they were asleep */
	int outcome;       /* an end state: its outcome's id; else -1 */
	struct edge *edge; /* the steps searched from here */
	int nedge;
	struct entry *e;   /* the summary (summarize) */
	int ne, summed;
	UT_hash_handle hh;
};

/* The longest schedule the exhaustive search follows: its depth is its
 * recursion (a few hundred bytes of stack a step). */
#define MAX_DEPTH 10000

/* What a runnable process's next step is, at a state being searched. */
struct step_info {
	int place;                        /* script_sched_proc_id */
	struct script_sched_access acc;   /* what it touches */
};

struct search {
	struct explore *ex;
	struct script_sched *run; /* the one run: it goes forward a step, and back */
	int depth;
	long long deadline_ms;
	/* The step_info of the states being searched, deepest last, on the
	 * heap: a schedule of 10,000 steps is as deep a recursion, and its
	 * frames stay small.  Indices, not pointers: it grows. */
	struct step_info *info;
	size_t ninfo, capinfo;
};

/* ---- independence ------------------------------------------------------------ */

/* Whether steps that touch a and b may not commute (docs/explore.md,
 * "Independent steps").  Memory is told apart by the 8-byte cells the
 * kernel keeps its writers by: two accesses that share none commute, and
 * so do two reads. */
static int dependent(const struct script_sched_access *a, const struct script_sched_access *b)
{
	if (a->reach == SCHED_REACH_OWN || b->reach == SCHED_REACH_OWN)
		return a->programs || b->programs;
	if (a->reach == SCHED_REACH_ALL || b->reach == SCHED_REACH_ALL)
		return 1;
	if (a->kind != b->kind)
		return 0;
	if (a->reach == SCHED_REACH_KIND || b->reach == SCHED_REACH_KIND ||
	    (a->msg_area && b->msg_area))
		return 1;
	if (a->id != b->id)
		return 0;
	if (a->reach != SCHED_REACH_MEMORY || b->reach != SCHED_REACH_MEMORY)
		return 1; /* the same object */
	return (a->writes || b->writes) && a->off / 8 <= (b->off + b->len - 1) / 8 &&
	       b->off / 8 <= (a->off + a->len - 1) / 8;
}

/* ---- the search ---------------------------------------------------------------- */

static struct node *find_or_add(struct explore *ex, const uint64_t key[2], int *added)
{
	struct node *nd;

	*added = 0;
	HASH_FIND(hh, ex->memo, key, 2 * sizeof(uint64_t), nd);
	if (nd != NULL)
		return nd;
	if ((nd = calloc(1, sizeof(*nd))) == NULL) {
		explore_stop(ex, "out of memory");
		return NULL;
	}
	nd->key[0] = key[0];
	nd->key[1] = key[1];
	nd->outcome = -1;
	HASH_ADD(hh, ex->memo, key, sizeof(nd->key), nd);
	*added = 1;
	return nd;
}

static int add_edge(struct explore *ex, struct node *nd, struct node *to, int step)
{
	if ((nd->nedge & (nd->nedge - 1)) == 0) { /* 0, 1, 2, 4...: full */
		struct edge *grown = realloc(nd->edge, (size_t)(nd->nedge ? nd->nedge * 2 : 1) *
		                                       sizeof(*grown));

		if (grown == NULL)
			return explore_stop(ex, "out of memory");
		nd->edge = grown;
	}
	nd->edge[nd->nedge].to = to;
	nd->edge[nd->nedge].step = step;
	nd->nedge++;
	return 0;
}

static struct node *visit(struct search *se, uint64_t sleep);

/* Searches from nd (the run is there, n processes can run) the steps of
 * the places in todo, in the order of the programs, with `running` asleep
 * before the first: each step's state gets those of running that its step
 * does not touch, and running gains each step searched. */
static void search_steps(struct search *se, struct node *nd, int n, uint64_t todo,
                         uint64_t running)
{
	struct explore *ex = se->ex;
	struct script_sched *run = se->run;
	struct script_sched_save *sv = NULL;
	size_t base = se->ninfo;
	int left = __builtin_popcountll(todo), first = 1;

	if (base + (size_t)n > se->capinfo) {
		size_t cap = se->capinfo ? se->capinfo * 2 : 1024;
		struct step_info *grown;

		while (cap < base + (size_t)n)
			cap *= 2;
		if ((grown = realloc(se->info, cap * sizeof(*grown))) == NULL) {
			explore_stop(ex, "out of memory");
			return;
		}
		se->info = grown;
		se->capinfo = cap;
	}
	se->ninfo += (size_t)n;
	for (int k = 0; k < n; k++) {
		se->info[base + k].place = script_sched_proc_id(run, k);
		if (!ex->o->naive)
			script_sched_access(run, k, &se->info[base + k].acc);
	}
	for (int k = 0; k < n && !ex->stopped; k++) {
		int place = se->info[base + k].place, id, rc;
		uint64_t sleep = 0;
		struct node *child;

		if (!(todo >> place & 1))
			continue;
		if (!first) {
			if (script_sched_rewind(run, sv) < 0) {
				explore_stop(ex, "out of memory");
				break;
			}
			ex->rewinds++;
			script_sched_advance(run);
		} else if (left > 1 && (sv = script_sched_save(run)) == NULL) {
			explore_stop(ex, "out of memory");
			break;
		}
		first = 0;
		left--;
		for (int j = 0; j < n && !ex->o->naive; j++)
			if ((running >> se->info[base + j].place & 1) &&
			    !dependent(&se->info[base + j].acc, &se->info[base + k].acc))
				sleep |= 1ULL << se->info[base + j].place;
		if ((id = explore_step_id(ex, run, k)) < 0) {
			explore_stop(ex, "out of memory");
			break;
		}
		ex->steps++;
		rc = script_sched_step(run, k); /* a runtime error ends the run: an outcome */
		se->depth++;
		child = visit(se, sleep);
		se->depth--;
		if (child == NULL || add_edge(ex, nd, child, id) < 0)
			break;
		/* A step that failed ended every process's run: it commutes with
		 * nothing, so it puts no one asleep. */
		if (rc == 0)
			running |= 1ULL << place;
	}
	se->ninfo = base;
	script_sched_release(run, &sv);
}

/* The state the run is in, searched with the processes of sleep asleep.
 * The run is left wherever the search went: the caller rewinds.  NULL
 * only when the state could not be stored (the search is stopped). */
static struct node *visit(struct search *se, uint64_t sleep)
{
	struct explore *ex = se->ex;
	struct script_sched *run = se->run;
	uint64_t key[2] = { 0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL }, todo = 0;
	int n = script_sched_advance(run), added;
	struct node *nd;

	script_sched_hash(run, key);
	explore_hash_kernel(run, key);
	key[0] ^= (uint64_t)(n + 1);
	if ((nd = find_or_add(ex, key, &added)) == NULL || ex->stopped)
		return nd;
	if (!added) {
		/* Met again: what was asleep then and is awake now is searched. */
		todo = nd->asleep & ~sleep;
		nd->asleep &= sleep;
		if (todo != 0 && nd->outcome < 0)
			search_steps(se, nd, n, todo, nd->asleep);
		return nd;
	}
	ex->states++;
	if (ex->o->max_states > 0 && ex->states > (uint64_t)ex->o->max_states) {
		explore_stop(ex, "the search reached its limit of states (--max-states)");
		return nd;
	}
	if (se->deadline_ms > 0 && (ex->states & 63) == 0 && explore_now_ms() > se->deadline_ms) {
		explore_stop(ex, "the search reached its time limit (--max-time)");
		return nd;
	}
	if (n <= 0) {
		struct outcome *o;
		char *text = explore_outcome_text(run);

		if (text == NULL || (o = explore_outcome(ex, text)) == NULL)
			explore_stop(ex, "out of memory");
		else
			nd->outcome = o->id;
		return nd;
	}
	if (se->depth >= MAX_DEPTH) {
		explore_stop(ex, "a schedule longer than 10000 steps: sample with --random");
		return nd;
	}
	for (int k = 0; k < n; k++) {
		if (script_sched_proc_id(run, k) >= 64) {
			explore_stop(ex, "more than 64 programs run side by side");
			return nd;
		}
		if (!ex->o->naive && script_sched_local(run, k)) {
			todo = 1ULL << script_sched_proc_id(run, k); /* it alone */
			break;
		}
		todo |= 1ULL << script_sched_proc_id(run, k);
	}
	nd->asleep = sleep;
	search_steps(se, nd, n, todo & ~sleep, sleep);
	return nd;
}

/* ---- summaries and witnesses ------------------------------------------------- */

static uint64_t sat_add(struct explore *ex, uint64_t a, uint64_t b)
{
	if (a > UINT64_MAX - b) {
		ex->saturated = 1;
		return UINT64_MAX;
	}
	return a + b;
}

/* Adds child's summary, one step (first) further, to nd's. */
static int merge(struct explore *ex, struct node *nd, const struct node *child, int first)
{
	for (int i = 0; i < child->ne; i++) {
		const struct entry *ce = &child->e[i];
		int j;

		for (j = 0; j < nd->ne && nd->e[j].outcome != ce->outcome; j++)
			;
		if (j == nd->ne) {
			struct entry *grown = realloc(nd->e, (size_t)(nd->ne + 1) * sizeof(*grown));

			if (grown == NULL)
				return explore_stop(ex, "out of memory");
			nd->e = grown;
			nd->ne++;
			nd->e[j].outcome = ce->outcome;
			nd->e[j].count = 0;
			nd->e[j].len = ce->len + 1;
			nd->e[j].first = first;
		} else if (ce->len + 1 < nd->e[j].len) {
			nd->e[j].len = ce->len + 1;
			nd->e[j].first = first;
		}
		nd->e[j].count = sat_add(ex, nd->e[j].count, ce->count);
	}
	return 0;
}

/* nd's summary from its edges' (depth first: the graph has no cycles, every
 * step moves a program forward). */
static int summarize(struct explore *ex, struct node *nd)
{
	if (nd->summed)
		return 0;
	nd->summed = 1;
	if (nd->outcome >= 0) {
		if ((nd->e = calloc(1, sizeof(*nd->e))) == NULL)
			return explore_stop(ex, "out of memory");
		nd->ne = 1;
		nd->e[0].outcome = nd->outcome;
		nd->e[0].count = 1;
		nd->e[0].first = -1;
		return 0;
	}
	for (int i = 0; i < nd->nedge; i++)
		if (summarize(ex, nd->edge[i].to) < 0 || merge(ex, nd, nd->edge[i].to,
		                                                 nd->edge[i].step) < 0)
			return -1;
	return 0;
}

/* Runnable process with name id, or -1. */
static int find_runnable(const struct script_sched *run, int n, struct explore *ex, int id)
{
	for (int k = 0; k < n; k++)
		if (strcmp(script_sched_proc(run, k), ex->names[id]) == 0)
			return k;
	return -1;
}

/* o's witness: from the start, the first step of the shortest way to it,
 * state after state; then run from the start, which must end in o. */
static int build_witness(struct explore *ex, struct node *root, struct outcome *o)
{
	struct script_sched *run;
	struct node *nd = root;
	char *text;
	int rc = -1, n;

	o->witness.len = 0;
	while (nd != NULL && nd->outcome < 0) {
		struct node *next = NULL;
		int first = -1;

		for (int i = 0; i < nd->ne; i++)
			if (nd->e[i].outcome == o->id)
				first = nd->e[i].first;
		for (int i = 0; i < nd->nedge && first >= 0; i++)
			if (nd->edge[i].step == first)
				next = nd->edge[i].to;
		if (next == NULL || path_push(&o->witness, first) < 0)
			return explore_stop(ex, "a witness could not be found (internal error)");
		nd = next;
	}
	if ((run = script_sched_new(ex->s, NULL, ex->null)) == NULL)
		return explore_stop(ex, "out of memory");
	for (int i = 0; i < o->witness.len; i++) {
		int k = (n = script_sched_advance(run)) > 0 ? find_runnable(run, n, ex,
		                                                            o->witness.step[i]) : -1;

		if (k < 0)
			break;
		script_sched_step(run, k);
	}
	/* The witness must end where the search said it does. */
	text = script_sched_advance(run) <= 0 ? explore_outcome_text(run) : NULL;
	if (text != NULL && strcmp(text, o->text) == 0)
		rc = 0;
	else
		explore_stop(ex, "a witness did not end in its outcome (internal error)");
	free(text);
	script_sched_free(&run);
	return rc;
}

void explore_exhaustive(struct explore *ex)
{
	struct search se = { ex, NULL, 0, 0, NULL, 0, 0 };
	struct node *root;

	if (ex->o->max_seconds > 0)
		se.deadline_ms = explore_now_ms() + ex->o->max_seconds * 1000;
	se.run = script_sched_new(ex->s, NULL, ex->null);
	if (se.run == NULL) {
		explore_stop(ex, "out of memory");
		return;
	}
	root = visit(&se, 0);
	script_sched_free(&se.run);
	free(se.info);
	/* What was searched is summed up, whole or stopped by a limit. */
	if (root == NULL || summarize(ex, root) < 0)
		return;
	ex->schedules = 0;
	for (int i = 0; i < root->ne; i++) {
		ex->by_id[root->e[i].outcome]->count = root->e[i].count;
		ex->schedules = sat_add(ex, ex->schedules, root->e[i].count);
	}
	for (int i = 0; i < ex->noutcomes; i++)
		if (ex->by_id[i]->count > 0 && build_witness(ex, root, ex->by_id[i]) < 0)
			return;
}

void explore_memo_free(struct explore *ex)
{
	struct node *nd, *nt;

	HASH_ITER(hh, ex->memo, nd, nt) {
		HASH_DEL(ex->memo, nd);
		free(nd->edge);
		free(nd->e);
		free(nd);
	}
}
