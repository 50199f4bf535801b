/*
 * msg_area.c - the kernel data area where message text lives.
 *
 * The classic System V message pool (SVR4, FreeBSD sysv_msg.c): a byte area
 * handed out in msgssz-byte units.  A message of n bytes takes
 * ceil(n / msgssz) contiguous units, found first-fit in a free map of
 * extents kept sorted by address; a released extent coalesces with its
 * neighbours, so two adjacent holes are always one extent.
 *
 * Linux enforces no pool, so by default the area grows (doubling) whenever
 * first fit finds no hole: it never refuses what Linux accepts.  With
 * `limit msgpool=N` it is fixed at N bytes and msgsnd sleeps (or EAGAIN)
 * when no hole is large enough, as on SVR4.
 *
 * Invariant: the free extents and the records' extents tile [0, nunits).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

#define AREA_INITIAL_UNITS 64

int msg_area_init(struct msg_area *a, size_t unit)
{
	memset(a, 0, sizeof(*a));
	a->unit = unit;
	return 0;
}

void msg_area_destroy(struct msg_area *a)
{
	free(a->bytes);
	free(a->free);
	memset(a, 0, sizeof(*a));
}

size_t msg_area_units_for(const struct msg_area *a, size_t bytes)
{
	return (bytes + a->unit - 1) / a->unit;
}

bool msg_area_has_room(const struct msg_area *a, size_t nunits)
{
	if (nunits == 0 || a->limit_units == 0)
		return true;
	for (size_t i = 0; i < a->nfree; i++)
		if (a->free[i].len >= nunits)
			return true;
	return false;
}

static int free_list_reserve(struct sim_kernel *k, struct msg_area *a, size_t need)
{
	struct area_extent *n;
	size_t cap;

	if (need <= a->capfree)
		return 0;
	cap = a->capfree ? a->capfree * 2 : 16;
	while (cap < need)
		cap *= 2;
	n = sim_realloc(k, a->free, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	a->free = n;
	a->capfree = cap;
	return 0;
}

/* Adds [start, start+len) to the free map, merging with neighbours.
 * Room for one more extent must have been reserved. */
static void free_insert(struct msg_area *a, size_t start, size_t len)
{
	size_t i = 0;

	while (i < a->nfree && a->free[i].start < start)
		i++;
	if (i > 0 && a->free[i - 1].start + a->free[i - 1].len == start) {
		a->free[i - 1].len += len;
		if (i < a->nfree && start + len == a->free[i].start) {
			a->free[i - 1].len += a->free[i].len;
			memmove(&a->free[i], &a->free[i + 1], (a->nfree - i - 1) * sizeof(*a->free));
			a->nfree--;
		}
		return;
	}
	if (i < a->nfree && start + len == a->free[i].start) {
		a->free[i].start = start;
		a->free[i].len += len;
		return;
	}
	memmove(&a->free[i + 1], &a->free[i], (a->nfree - i) * sizeof(*a->free));
	a->free[i].start = start;
	a->free[i].len = len;
	a->nfree++;
}

/* Grows the byte area to nunits (never shrinks); the new tail becomes free. */
static int area_grow(struct sim_kernel *k, struct msg_area *a, size_t nunits)
{
	unsigned char *bytes;

	if (nunits <= a->nunits)
		return 0;
	if (free_list_reserve(k, a, a->nfree + 1) < 0)
		return -ENOMEM;
	bytes = sim_realloc(k, a->bytes, nunits * a->unit);
	if (!bytes)
		return -ENOMEM;
	memset(bytes + a->nunits * a->unit, 0, (nunits - a->nunits) * a->unit);
	a->bytes = bytes;
	free_insert(a, a->nunits, nunits - a->nunits);
	a->nunits = nunits;
	return 0;
}

long msg_area_reserve(struct sim_kernel *k, struct msg_area *a, size_t nunits)
{
	size_t i, start, tail_free = 0, want;

	if (nunits == 0)
		return -1;
	/* free extents never outnumber used ones + 1: keep room for the
	 * release of this one, so that releasing never allocates */
	if (free_list_reserve(k, a, a->nused + 3) < 0)
		return -ENOMEM;
	for (i = 0; i < a->nfree; i++)
		if (a->free[i].len >= nunits)
			goto found;
	if (a->limit_units)
		return -EAGAIN;
	/* grow: the free extent at the very end (if any) counts towards the need */
	if (a->nfree && a->free[a->nfree - 1].start + a->free[a->nfree - 1].len == a->nunits)
		tail_free = a->free[a->nfree - 1].len;
	want = a->nunits ? a->nunits * 2 : AREA_INITIAL_UNITS;
	if (want < a->nunits + nunits - tail_free)
		want = a->nunits + nunits - tail_free;
	if (area_grow(k, a, want) < 0)
		return -ENOMEM;
	for (i = 0; i < a->nfree; i++)
		if (a->free[i].len >= nunits)
			goto found;
	return -ENOMEM; /* cannot happen: the grown tail fits */
found:
	start = a->free[i].start;
	a->free[i].start += nunits;
	a->free[i].len -= nunits;
	if (a->free[i].len == 0) {
		memmove(&a->free[i], &a->free[i + 1], (a->nfree - i - 1) * sizeof(*a->free));
		a->nfree--;
	}
	a->used_units += nunits;
	a->nused++;
	return (long)start;
}

/* Never allocates: msg_area_reserve kept room for this extent in the map. */
void msg_area_release(struct msg_area *a, size_t first, size_t nunits)
{
	if (nunits == 0)
		return;
	memset(a->bytes + first * a->unit, 0, nunits * a->unit);
	free_insert(a, first, nunits);
	a->used_units -= nunits;
	a->nused--;
}

int msg_area_set_limit(struct sim_kernel *k, struct msg_area *a, size_t limit_bytes)
{
	size_t units = limit_bytes / a->unit;

	if (limit_bytes == 0) {
		a->limit_units = 0;
		return 0;
	}
	if (units == 0)
		return -EINVAL;
	if (units < a->nunits) {
		/* shrink only over a free tail */
		struct area_extent *last = a->nfree ? &a->free[a->nfree - 1] : NULL;

		if (!last || last->start + last->len != a->nunits || last->start > units)
			return -EBUSY;
		last->len = units - last->start;
		if (last->len == 0)
			a->nfree--;
		a->nunits = units;
	} else if (area_grow(k, a, units) < 0) {
		return -ENOMEM;
	}
	a->limit_units = units;
	return 0;
}

int msg_area_set_unit(struct msg_area *a, size_t unit)
{
	if (a->used_units)
		return -EBUSY;
	if (unit == a->unit)
		return 0;
	/* an empty area is re-laid in the new unit: same bytes, fresh map */
	a->nunits = a->nunits * a->unit / unit;
	if (a->limit_units)
		a->limit_units = a->limit_units * a->unit / unit;
	a->unit = unit;
	a->nfree = 0;
	if (a->nunits) {
		a->free[0].start = 0;
		a->free[0].len = a->nunits;
		a->nfree = 1;
	}
	return 0;
}
