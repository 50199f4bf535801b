/*
 * msg_area.c - the kernel data area where message text lives.
 *
 * The classic System V message pool (SVR4, FreeBSD sysv_msg.c): a byte area
 * handed out in msgssz-byte units.  A message of n bytes takes
 * ceil(n / msgssz) contiguous units, found first-fit: the hole at the
 * lowest address that is large enough.  A released extent coalesces with
 * its neighbours, so two adjacent holes are always one.
 *
 * Linux enforces no pool, so by default the area grows (doubling) whenever
 * first fit finds no hole: it never refuses what Linux accepts.  With
 * `limit msgpool=N` it is fixed at N bytes and msgsnd sleeps (or EAGAIN)
 * when no hole is large enough, as on SVR4.
 *
 * The holes are a treap by address whose nodes also know the largest hole
 * below them (struct area_node): first fit goes left while the left subtree
 * has a hole large enough, so it costs O(log holes) instead of a scan of
 * every hole, and gives exactly the scan's answer.  Insertion with
 * coalescing and removal are splits and merges, O(log holes) too.
 * Priorities come from a fixed pseudo-random sequence: the same calls make
 * the same tree.
 *
 * A queue that one message at a time goes through takes its extent from
 * the front of the only hole and gives it back to it: msg_area_reserve and
 * msg_area_release (kernel_int.h, inline: every send and receive) do that
 * on the hole in place, with the tree's answers (the only hole is the
 * first fit; the extent given back joins it, or is the only hole of an
 * empty tree), and call the tree's functions below otherwise.
 *
 * Invariant: the holes and the records' extents tile [0, nunits); the
 * nodes in the tree and on the spare list are all of node[1..capnodes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

#define AREA_INITIAL_UNITS 64
#define AREA_SEED 0x2545F491u

int msg_area_init(struct sim_kernel *k, struct msg_area *a, size_t unit)
{
	memset(a, 0, sizeof(*a));
	a->k = k;
	a->unit = unit;
	a->unit_shift = (unsigned)__builtin_ctzl(unit);
	a->seed = AREA_SEED;
	return 0;
}

void msg_area_destroy(struct msg_area *a)
{
	free(a->bytes);
	free(a->node);
	memset(a, 0, sizeof(*a));
}

/* ---- the treap of holes -------------------------------------------------- */

#define N(x) (a->node[x])

/* Node x is about to change: saved for the undo log.  The area's own
 * fields are saved once by each entry point (area_save). */
static void touch(struct msg_area *a, uint32_t x)
{
	SIM_SAVE(a->k, N(x));
}

static void area_save(struct msg_area *a)
{
	SIM_SAVE_OBJ(a->k, a);
}

static void pull(struct msg_area *a, uint32_t x)
{
	size_t m = N(x).len;

	touch(a, x);
	if (N(N(x).left).maxlen > m)
		m = N(N(x).left).maxlen;
	if (N(N(x).right).maxlen > m)
		m = N(N(x).right).maxlen;
	N(x).maxlen = m;
}

/* Every hole of x, then every hole of y (all of x's lie below y's). */
static uint32_t merge(struct msg_area *a, uint32_t x, uint32_t y)
{
	if (!x || !y)
		return x ? x : y;
	if (N(x).prio > N(y).prio) {
		touch(a, x);
		N(x).right = merge(a, N(x).right, y);
		pull(a, x);
		return x;
	}
	touch(a, y);
	N(y).left = merge(a, x, N(y).left);
	pull(a, y);
	return y;
}

/* t's holes starting below key into *l, the others into *r. */
static void split(struct msg_area *a, uint32_t t, size_t key, uint32_t *l, uint32_t *r)
{
	if (!t) {
		*l = *r = 0;
		return;
	}
	touch(a, t);
	if (N(t).start < key) {
		split(a, N(t).right, key, &N(t).right, r);
		*l = t;
	} else {
		split(a, N(t).left, key, l, &N(t).left);
		*r = t;
	}
	pull(a, t);
}

static uint32_t rightmost(const struct msg_area *a, uint32_t t)
{
	while (t && N(t).right)
		t = N(t).right;
	return t;
}

/* A node from the spare list (there is one: see nodes_reserve).  The lone
 * hole's release (kernel_int.h) makes one too. */
#define node_new msg_area_node_new
uint32_t msg_area_node_new(struct msg_area *a, size_t start, size_t len)
{
	uint32_t x = a->spare;

	touch(a, x);
	a->spare = N(x).left;
	a->nspare--;
	a->seed ^= a->seed << 13; /* xorshift32 */
	a->seed ^= a->seed >> 17;
	a->seed ^= a->seed << 5;
	N(x).start = start;
	N(x).len = N(x).maxlen = len;
	N(x).prio = a->seed;
	N(x).left = N(x).right = 0;
	a->nfree++;
	return x;
}

static void node_put(struct msg_area *a, uint32_t x)
{
	touch(a, x);
	N(x).left = a->spare;
	N(x).right = 0;
	N(x).len = N(x).maxlen = 0;
	a->spare = x;
	a->nspare++;
	a->nfree--;
}

/* At least `need` spare nodes: 0 or -ENOMEM. */
static int nodes_reserve(struct sim_kernel *k, struct msg_area *a, size_t need)
{
	struct area_node *grown;
	size_t cap;

	if (a->nspare >= need)
		return 0;
	cap = a->capnodes ? a->capnodes : 16;
	while (cap < a->capnodes + need - a->nspare)
		cap *= 2;
	if (cap > UINT32_MAX)
		return -ENOMEM;
	grown = sim_realloc(k, a->node, a->capnodes * sizeof(*grown), cap * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	a->node = grown;
	if (!a->capnodes) {
		memset(&grown[0], 0, sizeof(grown[0])); /* the empty tree */
		a->capnodes = 1;
	}
	for (size_t i = a->capnodes; i < cap; i++) {
		grown[i].left = a->spare;
		grown[i].len = grown[i].maxlen = 0;
		a->spare = (uint32_t)i;
		a->nspare++;
	}
	a->capnodes = cap;
	return 0;
}

/*
 * The hole starting at key (there is one) in subtree t becomes
 * [start, start+len): a move that keeps the address order, so only the
 * largest-hole figures on the way down change.  len 0 removes it.  Returns
 * the subtree's new root.
 */
static uint32_t hole_update(struct msg_area *a, uint32_t t, size_t key, size_t start, size_t len)
{
	uint32_t x;

	touch(a, t);
	if (key < N(t).start) {
		N(t).left = hole_update(a, N(t).left, key, start, len);
	} else if (key > N(t).start) {
		N(t).right = hole_update(a, N(t).right, key, start, len);
	} else if (len == 0) {
		x = merge(a, N(t).left, N(t).right);
		node_put(a, t);
		return x;
	} else {
		N(t).start = start;
		N(t).len = len;
	}
	pull(a, t);
	return t;
}

/* Treap insertion of the lone node x into subtree t; returns the new root. */
static uint32_t hole_insert(struct msg_area *a, uint32_t t, uint32_t x)
{
	if (!t)
		return x;
	touch(a, t);
	touch(a, x);
	if (N(x).prio > N(t).prio) {
		split(a, t, N(x).start, &N(x).left, &N(x).right);
		pull(a, x);
		return x;
	}
	if (N(x).start < N(t).start)
		N(t).left = hole_insert(a, N(t).left, x);
	else
		N(t).right = hole_insert(a, N(t).right, x);
	pull(a, t);
	return t;
}

/* Adds [start, start+len) to the free map, merging with neighbours.
 * A spare node must have been reserved. */
static void free_insert(struct msg_area *a, size_t start, size_t len)
{
	uint32_t t = a->root, p = 0, q = 0;
	bool joinp, joinq;
	size_t pstart;

	if (!t) {
		a->root = node_new(a, start, len); /* the only hole */
		return;
	}
	/* the holes on either side lie on the search path for start */
	while (t) {
		if (N(t).start < start) {
			p = t;
			t = N(t).right;
		} else {
			q = t;
			t = N(t).left;
		}
	}
	joinp = p && N(p).start + N(p).len == start;
	joinq = q && start + len == N(q).start;
	if (joinp && joinq) {
		pstart = N(p).start;
		len += N(p).len + N(q).len;
		a->root = hole_update(a, a->root, N(q).start, 0, 0);
		a->root = hole_update(a, a->root, pstart, pstart, len);
	} else if (joinp) {
		a->root = hole_update(a, a->root, N(p).start, N(p).start, N(p).len + len);
	} else if (joinq) {
		a->root = hole_update(a, a->root, N(q).start, start, N(q).len + len);
	} else {
		a->root = hole_insert(a, a->root, node_new(a, start, len));
	}
}

/* Takes nunits from the front of hole x. */
static void hole_take(struct msg_area *a, uint32_t x, size_t nunits)
{
	if (a->nfree == 1 && N(x).len == nunits) {
		/* the only hole used up (a message as long as the area): the
		 * tree empties, as hole_update would leave it, without a walk */
		node_put(a, x);
		a->root = 0;
		return;
	}
	a->root = hole_update(a, a->root, N(x).start, N(x).start + nunits, N(x).len - nunits);
}

/* First fit: the lowest hole of at least nunits, or 0. */
static uint32_t first_fit(const struct msg_area *a, size_t nunits)
{
	uint32_t x = a->root;

	if (N(x).maxlen < nunits)
		return 0;
	for (;;) {
		if (N(N(x).left).maxlen >= nunits)
			x = N(x).left;
		else if (N(x).len >= nunits)
			return x;
		else
			x = N(x).right;
	}
}

/* ---- the area ------------------------------------------------------------ */

/* Grows the byte area to nunits (never shrinks); the new tail becomes free.
 * The new bytes are not zeroed: only message text is ever read back. */
static int area_grow(struct sim_kernel *k, struct msg_area *a, size_t nunits)
{
	unsigned char *bytes;

	if (nunits <= a->nunits)
		return 0;
	if (nodes_reserve(k, a, 1) < 0)
		return -ENOMEM;
	bytes = sim_realloc(k, a->bytes, a->nunits * a->unit, nunits * a->unit);
	if (!bytes)
		return -ENOMEM;
	a->bytes = bytes;
	free_insert(a, a->nunits, nunits - a->nunits);
	a->nunits = nunits;
	return 0;
}

/* No hole of nunits: the area grows (doubling, and at least by what the
 * free tail lacks), unless the pool is fixed.  The hole that fits, or
 * -EAGAIN / -ENOMEM. */
static long area_grow_for(struct sim_kernel *k, struct msg_area *a, size_t nunits)
{
	size_t tail_free = 0, want;
	uint32_t last, x;

	if (a->limit_units)
		return -EAGAIN;
	/* the hole at the very end (if any) counts towards the need */
	last = rightmost(a, a->root);
	if (last && N(last).start + N(last).len == a->nunits)
		tail_free = N(last).len;
	want = a->nunits ? a->nunits * 2 : AREA_INITIAL_UNITS;
	if (want < a->nunits + nunits - tail_free)
		want = a->nunits + nunits - tail_free;
	if (area_grow(k, a, want) < 0)
		return -ENOMEM;
	x = first_fit(a, nunits);
	return x ? (long)x : -ENOMEM; /* 0 cannot happen: the grown tail fits */
}

/* msg_area_reserve where the lone hole does not serve: first fit in the
 * tree, growing the area if allowed. */
long msg_area_reserve_tree(struct sim_kernel *k, struct msg_area *a, size_t nunits)
{
	size_t start;
	long x;

	if (nunits == 0)
		return -1;
	area_save(a);
	/* holes never outnumber used extents + 1: keep a node for every hole
	 * the releases to come can make, so that releasing never allocates */
	if (a->nspare + a->nfree < a->nused + 3 &&
	    nodes_reserve(k, a, a->nused + 3 - a->nfree) < 0)
		return -ENOMEM;
	x = first_fit(a, nunits);
	if (!x && (x = area_grow_for(k, a, nunits)) < 0)
		return x;
	start = N(x).start;
	hole_take(a, (uint32_t)x, nunits);
	a->used_units += nunits;
	a->nused++;
	return (long)start;
}

/* msg_area_release where the extent does not join the lone hole's front.
 * Never allocates: msg_area_reserve kept a node for this hole. */
void msg_area_release_tree(struct msg_area *a, size_t first, size_t nunits)
{
	if (nunits == 0)
		return;
	area_save(a);
	free_insert(a, first, nunits);
	a->used_units -= nunits;
	a->nused--;
}

int msg_area_set_limit(struct sim_kernel *k, struct msg_area *a, size_t limit_bytes)
{
	size_t units = limit_bytes / a->unit;
	uint32_t last;

	area_save(a);
	if (limit_bytes == 0) {
		a->limit_units = 0;
		return 0;
	}
	if (units == 0)
		return -EINVAL;
	if (units < a->nunits) {
		/* shrink only over a free tail */
		last = rightmost(a, a->root);
		if (!last || N(last).start + N(last).len != a->nunits || N(last).start > units)
			return -EBUSY;
		a->root = hole_update(a, a->root, N(last).start, N(last).start,
		                      units - N(last).start);
		a->nunits = units;
	} else if (area_grow(k, a, units) < 0) {
		return -ENOMEM;
	}
	a->limit_units = units;
	return 0;
}

int msg_area_set_unit(struct msg_area *a, size_t unit)
{
	uint32_t x = a->root;

	if (a->used_units)
		return -EBUSY;
	if (unit == a->unit)
		return 0;
	area_save(a);
	if (x)
		touch(a, x);
	/* an empty area is re-laid in the new unit: same bytes, fresh map
	 * (the one hole of an empty area, if any, is reused) */
	a->nunits = a->nunits * a->unit / unit;
	if (a->limit_units)
		a->limit_units = a->limit_units * a->unit / unit;
	a->unit = unit;
	a->unit_shift = (unsigned)__builtin_ctzl(unit);
	if (x) {
		N(x).start = 0;
		N(x).len = N(x).maxlen = a->nunits;
		if (!a->nunits) {
			node_put(a, x);
			a->root = 0;
		}
	}
	return 0;
}

/* ---- views and checks ---------------------------------------------------- */

static size_t holes_in_order(const struct msg_area *a, uint32_t t, struct area_extent *out,
                             size_t n)
{
	if (!t)
		return n;
	n = holes_in_order(a, N(t).left, out, n);
	out[n].start = N(t).start;
	out[n].len = N(t).len;
	return holes_in_order(a, N(t).right, out, n + 1);
}

size_t msg_area_holes(const struct msg_area *a, struct area_extent *out)
{
	return holes_in_order(a, a->root, out, 0);
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* What an in-order walk of the holes has seen so far. */
struct walk {
	size_t count, freeunits, prev_end;
	int any;
};

/* The subtree t: tree order, heap order, maxlen, holes apart and not empty. */
static int check_tree(const struct msg_area *a, uint32_t t, struct walk *w, char *err,
                      size_t errlen)
{
	uint32_t l, r;
	size_t m;

	if (!t)
		return 0;
	if (t >= a->capnodes || w->count >= a->nfree)
		FAIL("data area: the hole tree is not a tree");
	l = N(t).left;
	r = N(t).right;
	if ((l && N(l).prio > N(t).prio) || (r && N(r).prio > N(t).prio))
		FAIL("data area: hole tree out of heap order at unit %zu", N(t).start);
	m = N(t).len;
	if (N(l).maxlen > m)
		m = N(l).maxlen;
	if (N(r).maxlen > m)
		m = N(r).maxlen;
	if (m != N(t).maxlen)
		FAIL("data area: hole at unit %zu: largest below %zu, kept %zu", N(t).start, m,
		     N(t).maxlen);
	if (check_tree(a, l, w, err, errlen))
		return -1;
	if (N(t).len == 0)
		FAIL("data area: empty free extent");
	if (w->any && w->prev_end >= N(t).start)
		FAIL("data area: free extents overlap, touch or are out of order");
	w->any = 1;
	w->prev_end = N(t).start + N(t).len;
	w->freeunits += N(t).len;
	w->count++;
	return check_tree(a, r, w, err, errlen);
}

int msg_area_check(const struct msg_area *a, char *err, size_t errlen)
{
	struct walk w = { 0 };

	if (check_tree(a, a->root, &w, err, errlen))
		return -1;
	if (w.count != a->nfree)
		FAIL("data area: %zu holes in the tree, %zu counted", w.count, a->nfree);
	if (a->capnodes && a->nfree + a->nspare != a->capnodes - 1)
		FAIL("data area: %zu holes + %zu spare nodes of %zu", a->nfree, a->nspare,
		     a->capnodes - 1);
	if (w.freeunits + a->used_units != a->nunits)
		FAIL("data area: %zu free + %zu used != %zu units", w.freeunits, a->used_units,
		     a->nunits);
	return 0;
}
