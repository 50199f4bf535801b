/*
 * explore.c - the search: every schedule of a scenario's programs, or a
 * random sample of them (docs/explore.md has the design and why the
 * reduction loses no outcome).
 *
 * Exhaustive: a depth-first search over the states at the choice points.
 * Each state is known by its digest (the interpreter's variables and
 * programs, the simulated kernel: explore_state.c); a state seen before is
 * not searched again, its summary is reused: for every outcome reachable
 * from it, how many schedules reach it and the shortest way there.  The
 * number of schedules is then the number of paths of the state graph
 * (184,756 for two processes of ten steps) while the states are few.
 *
 * Reduction (not with naive): where a process's next step is local
 * arithmetic, that step alone is taken: it reads and writes only its own
 * process's variables, commutes with every other step and no other step
 * can disable it, so every end state reachable from here is reachable
 * after taking it first.
 *
 * Going back to a state is a rewind of the one run (script_sched_save and
 * script_sched_rewind: the kernel's undo log and the interpreter's copy).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explore/explore_int.h"

struct entry {
	int outcome;
	int len;      /* steps of the shortest schedule from here */
	int first;    /* its first step (a name id), -1 at the end */
	uint64_t count;
};

struct node {
	uint64_t key[2];
	struct entry *e;
	int ne;
	UT_hash_handle hh;
};

int explore_name_id(struct explore *ex, const char *name)
{
	char **grown;

	for (int i = 0; i < ex->nnames; i++)
		if (strcmp(ex->names[i], name) == 0)
			return i;
	if (ex->nnames >= 65535)
		return -1;
	grown = realloc(ex->names, (size_t)(ex->nnames + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	ex->names = grown;
	if ((ex->names[ex->nnames] = strdup(name)) == NULL)
		return -1;
	return ex->nnames++;
}

int path_push(struct path *p, int id)
{
	if (p->len == p->cap) {
		int cap = p->cap ? p->cap * 2 : 64;
		uint16_t *grown = realloc(p->step, (size_t)cap * sizeof(*grown));

		if (grown == NULL)
			return -1;
		p->step = grown;
		p->cap = cap;
	}
	p->step[p->len++] = (uint16_t)id;
	return 0;
}

int path_copy(struct path *dst, const struct path *src)
{
	dst->len = 0;
	for (int i = 0; i < src->len; i++)
		if (path_push(dst, src->step[i]) < 0)
			return -1;
	return 0;
}

/* The outcome with this text (taken), made on first sight. */
struct outcome *explore_outcome(struct explore *ex, char *text)
{
	struct outcome *o = NULL, **grown;

	HASH_FIND_STR(ex->outcomes, text, o);
	if (o != NULL) {
		free(text);
		return o;
	}
	o = calloc(1, sizeof(*o));
	grown = realloc(ex->by_id, (size_t)(ex->noutcomes + 1) * sizeof(*grown));
	if (o == NULL || grown == NULL) {
		free(o);
		free(text);
		if (grown != NULL)
			ex->by_id = grown;
		return NULL;
	}
	ex->by_id = grown;
	o->text = text;
	o->id = ex->noutcomes;
	o->deadlock = strstr(text, "DEADLOCK") != NULL;
	o->failed = strstr(text, "FAILED") != NULL;
	o->error = strncmp(text, "runtime error", 13) == 0;
	ex->by_id[ex->noutcomes++] = o;
	HASH_ADD_KEYPTR(hh, ex->outcomes, o->text, strlen(o->text), o);
	return o;
}

static int stop(struct explore *ex, const char *why)
{
	if (!ex->stopped)
		snprintf(ex->why, sizeof(ex->why), "%s", why);
	ex->stopped = 1;
	return -1;
}

/* Runnable process with name id, or -1. */
static int find_runnable(const struct script_sched *run, int n, struct explore *ex, int id)
{
	for (int k = 0; k < n; k++)
		if (strcmp(script_sched_proc(run, k), ex->names[id]) == 0)
			return k;
	return -1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t sat_add(struct explore *ex, uint64_t a, uint64_t b)
{
	if (a > UINT64_MAX - b) {
		ex->saturated = 1;
		return UINT64_MAX;
	}
	return a + b;
}

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
				return stop(ex, "out of memory");
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

/* The longest schedule the exhaustive search follows: its depth is its
 * recursion (a few hundred bytes of stack a step). */
#define MAX_DEPTH 10000

struct search {
	struct explore *ex;
	struct script_sched *run; /* the one run: it goes forward a step, and back */
	struct path path;
	long long deadline_ms;
};

static struct node *new_node(struct explore *ex, const uint64_t key[2])
{
	struct node *nd = calloc(1, sizeof(*nd));

	if (nd == NULL) {
		stop(ex, "out of memory");
		return NULL;
	}
	nd->key[0] = key[0];
	nd->key[1] = key[1];
	return nd;
}

/* The summary of the state the run is in.  The run is left wherever the
 * search below went: the caller goes back (rewinds) itself. */
static struct node *visit(struct search *se)
{
	struct explore *ex = se->ex;
	struct script_sched *run = se->run;
	struct script_sched_save *sv = NULL;
	uint64_t key[2] = { 0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL };
	int n = script_sched_advance(run), choice[64], nchoice = 0;
	struct node *nd = NULL;

	script_sched_hash(run, key);
	explore_hash_kernel(run, key);
	key[0] ^= (uint64_t)(n + 1);
	HASH_FIND(hh, ex->memo, key, sizeof(key), nd);
	if (nd != NULL)
		return nd;
	if ((nd = new_node(ex, key)) == NULL)
		return NULL;
	ex->states++;
	if (ex->o->max_states > 0 && ex->states > (uint64_t)ex->o->max_states) {
		stop(ex, "the search reached its limit of states (--max-states)");
		goto out_fail;
	}
	if (se->deadline_ms > 0 && (ex->states & 63) == 0 && now_ms() > se->deadline_ms) {
		stop(ex, "the search reached its time limit (--max-time)");
		goto out_fail;
	}
	if (n <= 0) {
		struct outcome *o;
		char *text = explore_outcome_text(run);

		if (text == NULL || (o = explore_outcome(ex, text)) == NULL ||
		    (nd->e = calloc(1, sizeof(*nd->e))) == NULL) {
			stop(ex, "out of memory");
			goto out_fail;
		}
		nd->ne = 1;
		nd->e[0].outcome = o->id;
		nd->e[0].count = 1;
		nd->e[0].first = -1;
		ex->schedules++;
		HASH_ADD(hh, ex->memo, key, sizeof(nd->key), nd);
		return nd;
	}
	if (n > 64) {
		stop(ex, "more than 64 programs run side by side");
		goto out_fail;
	}
	if (se->path.len >= MAX_DEPTH) {
		stop(ex, "a schedule longer than 10000 steps: sample with --random");
		goto out_fail;
	}
	for (int k = 0; k < n && !ex->o->naive; k++)
		if (script_sched_local(run, k)) {
			choice[nchoice++] = explore_name_id(ex, script_sched_proc(run, k));
			break;
		}
	if (nchoice == 0)
		for (int k = 0; k < n; k++)
			choice[nchoice++] = explore_name_id(ex, script_sched_proc(run, k));
	for (int c = 0; c < nchoice; c++) {
		struct node *child;
		int k;

		if (choice[c] < 0) {
			stop(ex, "out of memory");
			goto out_fail;
		}
		/* Back to this state for every choice after the first: a save
		 * here before the first, a rewind to it before the others. */
		if (c == 0 && nchoice > 1 && (sv = script_sched_save(run)) == NULL) {
			stop(ex, "out of memory");
			goto out_fail;
		}
		if (c > 0) {
			if (script_sched_rewind(run, sv) < 0) {
				stop(ex, "out of memory");
				goto out_fail;
			}
			ex->rewinds++;
			n = script_sched_advance(run);
		}
		k = find_runnable(run, n, ex, choice[c]);
		if (k < 0) {
			stop(ex, "a state did not come back the same way (internal error)");
			goto out_fail;
		}
		ex->steps++;
		script_sched_step(run, k); /* a runtime error ends the run: an outcome */
		if (path_push(&se->path, choice[c]) < 0) {
			stop(ex, "out of memory");
			goto out_fail;
		}
		child = visit(se);
		se->path.len--;
		if (child == NULL || merge(ex, nd, child, choice[c]) < 0)
			goto out_fail;
	}
	script_sched_release(run, &sv);
	HASH_ADD(hh, ex->memo, key, sizeof(nd->key), nd);
	return nd;

out_fail:
	script_sched_release(run, &sv);
	free(nd->e);
	free(nd);
	return NULL;
}

/* Each outcome's witness: from the start, the first step of the shortest
 * way to it, state after state. */
static int build_witness(struct explore *ex, struct outcome *o)
{
	struct script_sched *run = script_sched_new(ex->s, NULL, ex->null);
	int rc = -1;

	if (run == NULL)
		return stop(ex, "out of memory");
	o->witness.len = 0;
	for (;;) {
		uint64_t key[2] = { 0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL };
		int n = script_sched_advance(run), k, first = -1;
		struct node *nd;

		script_sched_hash(run, key);
		explore_hash_kernel(run, key);
		key[0] ^= (uint64_t)(n + 1);
		if (n <= 0) {
			/* The witness must end where the search said it does. */
			char *text = explore_outcome_text(run);

			if (text != NULL && strcmp(text, o->text) == 0)
				rc = 0;
			else
				stop(ex, "a witness did not end in its outcome (internal error)");
			free(text);
			break;
		}
		HASH_FIND(hh, ex->memo, key, sizeof(key), nd);
		for (int i = 0; nd != NULL && i < nd->ne; i++)
			if (nd->e[i].outcome == o->id)
				first = nd->e[i].first;
		if (first < 0 || (k = find_runnable(run, n, ex, first)) < 0 ||
		    path_push(&o->witness, first) < 0)
			break;
		script_sched_step(run, k);
	}
	script_sched_free(&run);
	return rc;
}

static void exhaustive(struct explore *ex)
{
	struct search se = { ex, NULL, { NULL, 0, 0 }, 0 };
	struct node *root;

	if (ex->o->max_seconds > 0)
		se.deadline_ms = now_ms() + ex->o->max_seconds * 1000;
	se.run = script_sched_new(ex->s, NULL, ex->null);
	if (se.run == NULL) {
		stop(ex, "out of memory");
		return;
	}
	root = visit(&se);
	script_sched_free(&se.run);
	free(se.path.step);
	if (root == NULL)
		return;
	ex->schedules = 0;
	for (int i = 0; i < root->ne; i++) {
		ex->by_id[root->e[i].outcome]->count = root->e[i].count;
		ex->schedules = sat_add(ex, ex->schedules, root->e[i].count);
	}
	for (int i = 0; i < ex->noutcomes; i++)
		if (build_witness(ex, ex->by_id[i]) < 0)
			return;
}

static uint64_t next_random(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Random schedules.  Every one starts where the first choice is made: the
 * run goes there once, is saved, and is rewound there before each schedule
 * (the lines before the programs are not run again). */
static void sample(struct explore *ex)
{
	uint64_t rng = ex->o->seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
	struct path path = { NULL, 0, 0 };
	long long deadline = ex->o->max_seconds > 0 ? now_ms() + ex->o->max_seconds * 1000 : 0;
	struct script_sched *run = script_sched_new(ex->s, NULL, ex->null);
	struct script_sched_save *start = NULL;

	if (run == NULL || (script_sched_advance(run), start = script_sched_save(run)) == NULL) {
		stop(ex, "out of memory");
		goto out_free;
	}
	for (long long i = 0; i < ex->o->random_runs && !ex->stopped; i++) {
		struct outcome *o;
		char *text;
		int n;

		if (i > 0 && script_sched_rewind(run, start) < 0) {
			stop(ex, "out of memory");
			break;
		}
		path.len = 0;
		while ((n = script_sched_advance(run)) > 0) {
			int k = (int)(next_random(&rng) % (uint64_t)n);
			int id = explore_name_id(ex, script_sched_proc(run, k));

			if (id < 0 || path_push(&path, id) < 0) {
				stop(ex, "out of memory");
				break;
			}
			ex->steps++;
			script_sched_step(run, k);
			if (deadline > 0 && (ex->steps & 4095) == 0 && now_ms() > deadline) {
				stop(ex, "the sample reached its time limit (--max-time)");
				break;
			}
		}
		text = ex->stopped ? NULL : explore_outcome_text(run);
		if (text == NULL || (o = explore_outcome(ex, text)) == NULL) {
			stop(ex, "out of memory");
			break;
		}
		o->count++;
		ex->schedules++;
		if ((o->count == 1 || path.len < o->witness.len) && path_copy(&o->witness, &path) < 0)
			stop(ex, "out of memory");
		if (deadline > 0 && (i & 63) == 0 && now_ms() > deadline)
			stop(ex, "the sample reached its time limit (--max-time)");
	}
out_free:
	script_sched_release(run, &start);
	script_sched_free(&run);
	free(path.step);
}

struct explore *explore_run(const struct script *s, const struct explore_options *o)
{
	struct explore *ex = calloc(1, sizeof(*ex));
	struct explore_options *copy = calloc(1, sizeof(*copy));

	if (ex == NULL || copy == NULL) {
		free(ex);
		free(copy);
		return NULL;
	}
	*copy = *o;
	ex->null = fopen("/dev/null", "w");
	if (ex->null == NULL) {
		free(ex);
		free(copy);
		return NULL;
	}
	if (copy->max_states == 0)
		copy->max_states = 10000000;
	ex->s = s;
	ex->o = copy;
	if (o->random_runs > 0)
		sample(ex);
	else
		exhaustive(ex);
	return ex;
}

void explore_free(struct explore **exp)
{
	struct explore *ex;
	struct node *nd, *nt;
	struct outcome *o, *ot;

	if (exp == NULL || *exp == NULL)
		return;
	ex = *exp;
	HASH_ITER(hh, ex->memo, nd, nt) {
		HASH_DEL(ex->memo, nd);
		free(nd->e);
		free(nd);
	}
	HASH_ITER(hh, ex->outcomes, o, ot) {
		HASH_DEL(ex->outcomes, o);
		free(o->text);
		free(o->witness.step);
		free(o);
	}
	free(ex->by_id);
	for (int i = 0; i < ex->nnames; i++)
		free(ex->names[i]);
	free(ex->names);
	free((void *)ex->o);
	if (ex->null != NULL)
		fclose(ex->null);
	free(ex);
	*exp = NULL;
}
