/*
 * explore.c - `ipcsim explore`: a search's result (its names, outcomes and
 * witnesses), and the random sample; the exhaustive search is
 * explore_search.c (docs/explore.md has the design).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explore/explore_int.h"

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

int explore_step_id(struct explore *ex, const struct script_sched *run, int k)
{
	const char *name = script_sched_proc(run, k);
	int place = script_sched_proc_id(run, k), id;

	/* Most often the name its place had last time: one comparison. */
	if (place < 64 && ex->seen[place] > 0 &&
	    strcmp(ex->names[ex->seen[place] - 1], name) == 0)
		return ex->seen[place] - 1;
	id = explore_name_id(ex, name);
	if (place < 64 && id >= 0)
		ex->seen[place] = id + 1;
	return id;
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

int explore_stop(struct explore *ex, const char *why)
{
	if (!ex->stopped)
		snprintf(ex->why, sizeof(ex->why), "%s", why);
	ex->stopped = 1;
	return -1;
}

long long explore_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
	long long deadline = ex->o->max_seconds > 0 ? explore_now_ms() + ex->o->max_seconds * 1000 : 0;
	struct script_sched *run = script_sched_new(ex->s, NULL, ex->null);
	struct script_sched_save *start = NULL;

	if (run == NULL || (script_sched_advance(run), start = script_sched_save(run)) == NULL) {
		explore_stop(ex, "out of memory");
		goto out_free;
	}
	for (long long i = 0; i < ex->o->random_runs && !ex->stopped; i++) {
		struct outcome *o;
		char *text;
		int n;

		if (i > 0 && script_sched_rewind(run, start) < 0) {
			explore_stop(ex, "out of memory");
			break;
		}
		path.len = 0;
		while ((n = script_sched_advance(run)) > 0) {
			int k = (int)(next_random(&rng) % (uint64_t)n);
			int id = explore_step_id(ex, run, k);

			if (id < 0 || path_push(&path, id) < 0) {
				explore_stop(ex, "out of memory");
				break;
			}
			ex->steps++;
			script_sched_step(run, k);
			if (deadline > 0 && (ex->steps & 4095) == 0 && explore_now_ms() > deadline) {
				explore_stop(ex, "the sample reached its time limit (--max-time)");
				break;
			}
		}
		text = ex->stopped ? NULL : explore_outcome_text(run);
		if (text == NULL || (o = explore_outcome(ex, text)) == NULL) {
			explore_stop(ex, "out of memory");
			break;
		}
		o->count++;
		ex->schedules++;
		if ((o->count == 1 || path.len < o->witness.len) && path_copy(&o->witness, &path) < 0)
			explore_stop(ex, "out of memory");
		if (deadline > 0 && (i & 63) == 0 && explore_now_ms() > deadline)
			explore_stop(ex, "the sample reached its time limit (--max-time)");
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
		explore_exhaustive(ex);
	return ex;
}

void explore_free(struct explore **exp)
{
	struct explore *ex;
	struct outcome *o, *ot;

	if (exp == NULL || *exp == NULL)
		return;
	ex = *exp;
	explore_memo_free(ex);
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
