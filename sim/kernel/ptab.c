/*
 * ptab.c - a table of pointers by a 64-bit key: open addressing, linear
 * probing, at most half full, removal by backward shift (no tombstones),
 * every write logged for the undo log.  The items carry their own keys
 * (keyof).  It serves the queues' type tables, the keys of ipc objects and
 * the pages of a segment: the lookups that every call makes in O(1).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

#define PTAB_MIN 8

size_t sim_ptab_home(const struct sim_ptab *t, unsigned long long key)
{
	/* Fibonacci hashing: consecutive keys spread over the table */
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & (t->cap - 1);
}

void *sim_ptab_find(const struct sim_ptab *t, unsigned long long key, sim_ptab_key keyof)
{
	if (!t->cap)
		return NULL;
	for (size_t i = sim_ptab_home(t, key);; i = (i + 1) & (t->cap - 1))
		if (!t->slot[i] || keyof(t->slot[i]) == key)
			return t->slot[i];
}

static void put(struct sim_kernel *k, struct sim_ptab *t, void *item, sim_ptab_key keyof,
                bool logged)
{
	size_t i = sim_ptab_home(t, keyof(item));

	while (t->slot[i])
		i = (i + 1) & (t->cap - 1);
	if (logged)
		SIM_SAVE(k, t->slot[i]);
	t->slot[i] = item;
}

int sim_ptab_reserve(struct sim_kernel *k, struct sim_ptab *t, sim_ptab_key keyof)
{
	struct sim_ptab grown;

	if ((t->n + 1) * 2 <= t->cap)
		return 0;
	grown.cap = t->cap ? t->cap * 2 : PTAB_MIN;
	grown.n = t->n;
	grown.slot = sim_alloc(k, grown.cap * sizeof(*grown.slot));
	if (!grown.slot)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i])
			put(k, &grown, t->slot[i], keyof, false); /* fresh memory */
	sim_free(k, t->slot);
	SIM_SAVE_OBJ(k, t);
	*t = grown;
	return 0;
}

void sim_ptab_insert(struct sim_kernel *k, struct sim_ptab *t, void *item, sim_ptab_key keyof)
{
	put(k, t, item, keyof, true);
	SIM_SAVE(k, t->n);
	t->n++;
}

void sim_ptab_remove(struct sim_kernel *k, struct sim_ptab *t, void *item, sim_ptab_key keyof)
{
	size_t mask = t->cap - 1, i = sim_ptab_home(t, keyof(item)), j, home;

	while (t->slot[i] != item)
		i = (i + 1) & mask;
	for (j = (i + 1) & mask; t->slot[j]; j = (j + 1) & mask) {
		home = sim_ptab_home(t, keyof(t->slot[j]));
		/* move j back to the hole at i unless its home lies in (i, j] */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			SIM_SAVE(k, t->slot[i]);
			t->slot[i] = t->slot[j];
			i = j;
		}
	}
	SIM_SAVE(k, t->slot[i]);
	t->slot[i] = NULL;
	SIM_SAVE(k, t->n);
	t->n--;
}

void sim_ptab_destroy(struct sim_ptab *t)
{
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

int sim_ptab_check(const struct sim_ptab *t, sim_ptab_key keyof)
{
	size_t used = 0;

	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slot[i])
			continue;
		used++;
		if (sim_ptab_find(t, keyof(t->slot[i]), keyof) != t->slot[i])
			return -1;
	}
	return used == t->n && t->n * 2 <= t->cap ? 0 : -1;
}
