/*
 * explore_int.h - the explorer's private parts: the digest of a state, the
 * end state of a run, the search's memo, the outcomes and their witnesses.
 */
#ifndef IPCSIM_EXPLORE_INT_H
#define IPCSIM_EXPLORE_INT_H

#include <stdint.h>
#include <stdio.h>
#include <uthash.h>

#include "ipcsim/explore.h"
#include "ipcsim/sched.h"

/* explore_state.c: adds the simulated kernel behind run to h (every
 * queue, message, segment's written bytes, semaphore, sleeper, undo entry,
 * process and the clock): two states with the same digest behave the same
 * from there on. */
void explore_hash_kernel(const struct script_sched *run, uint64_t h[2]);
/* The run's end state as one line (malloc'd): the memory and variables the
 * scenario names, semaphores and queues, blocked processes, deadlocks,
 * failed expectations, the runtime error.  NULL: out of memory. */
char *explore_outcome_text(const struct script_sched *run);

/* A schedule: the processes that took the steps, as indices into the
 * explorer's table of names. */
struct path {
	uint16_t *step;
	int len, cap;
};

struct outcome {
	char *text;
	int id;
	uint64_t count;      /* schedules reaching it (saturates) */
	int deadlock, failed, error;
	struct path witness; /* the shortest schedule found */
	UT_hash_handle hh;
};

struct explore {
	const struct script *s;
	const struct explore_options *o;
	char **names;            /* process names, interned */
	int nnames;
	int seen[64];            /* explore_step_id's: by place, the name id + 1 last seen */
	struct outcome *outcomes; /* by text */
	struct outcome **by_id;
	int noutcomes;
	struct node *memo;
	uint64_t states, steps, rewinds, schedules;
	int saturated;
	FILE *null;              /* /dev/null: where the runs' errors go */
	int sorted;              /* by_id is in natural text order (the report's) */
	int stopped;             /* a limit or an error ended the search */
	char why[256];
};

/* explore_search.c: the exhaustive search into ex; its stored states freed. */
void explore_exhaustive(struct explore *ex);
void explore_memo_free(struct explore *ex);

/* explore.c */
int explore_name_id(struct explore *ex, const char *name);
/* The name id of runnable process k of run (-1: out of memory). */
int explore_step_id(struct explore *ex, const struct script_sched *run, int k);
/* Stops the search with why (the first reason is kept): -1. */
int explore_stop(struct explore *ex, const char *why);
long long explore_now_ms(void);
struct outcome *explore_outcome(struct explore *ex, char *text);
int path_push(struct path *p, int id);
int path_copy(struct path *dst, const struct path *src);

#endif
