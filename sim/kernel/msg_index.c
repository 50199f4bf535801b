/*
 * msg_index.c - a queue's messages indexed by type, so msgrcv never scans
 * the whole queue where Linux's find_msg does.
 *
 * Every record is on two lists: the queue's FIFO (q_messages) and the FIFO
 * of its type's bucket, and points at that bucket.  Buckets are in the
 * queue's type table (open addressing by mtype, linear probing, at most
 * half full) and also on a list sorted by mtype, so the lowest type present
 * is the first bucket with messages.  The table lives as long as the
 * queue: a queue that empties and fills again reuses it.  A bucket whose
 * last message leaves stays where it is, in the table and on the sorted
 * list, parked (no messages), until a message of its type comes back or
 * another bucket empties; only then does it leave both for the kernel's
 * bucket cache.  So a queue that one message at a time goes through finds
 * its bucket parked, at its tail or in the table, and takes it back
 * without a write to the table or the list.
 *
 *   SEARCH_ANY        the queue's head                           O(1)
 *   SEARCH_EQUAL      the bucket's head                          O(1)
 *   SEARCH_LESSEQUAL  lowest type wins, FIFO within it: the head
 *                     of the first bucket with messages (the
 *                     first or, past the parked one, the second)
 *                     if its type <= bound                       O(1)
 *   SEARCH_NOTEQUAL   the queue's head, or, if that has the
 *                     excluded type, the oldest head among the
 *                     other buckets                              O(types)
 *   SEARCH_NUMBER     the n-th message (MSG_COPY)                O(n)
 *
 * These give exactly find_msg's answers (ipc/msg.c), including
 * SEARCH_LESSEQUAL's "lowest type, then oldest".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

/* msg_index_bucket, msg_index_add and msg_index_del, which every send and
 * receive makes, are inline in kernel_int.h; what they rarely need is here. */

unsigned long long msg_bucket_key(const void *bucket)
{
	return (unsigned long long)((const struct msg_type_bucket *)bucket)->mtype;
}

struct msg_type_bucket *msg_index_bucket_find(const struct msg_queue *q, long mtype)
{
	return sim_ptab_find(&q->types, (unsigned long long)mtype, msg_bucket_key);
}

/* Makes sure msg_index_add cannot fail for a type that has no bucket yet:
 * a spare bucket and room in the type table.  0 or -ENOMEM, nothing
 * changed that anyone sees. */
int msg_index_prepare(struct sim_kernel *k, struct msg_queue *q)
{
	if (!q->spare_bucket) {
		struct msg_type_bucket *b = sim_cache_get(k, &k->bucket_cache);

		if (!b)
			return -ENOMEM;
		SIM_SAVE(k, q->spare_bucket);
		q->spare_bucket = b;
	}
	return sim_ptab_reserve(k, &q->types, msg_bucket_key);
}

/* Puts b (saved by the caller, off the list) on q's list sorted by mtype:
 * a walk over the distinct types, not the messages. */
static void sorted_insert(struct sim_kernel *k, struct msg_queue *q, struct msg_type_bucket *b)
{
	struct msg_type_bucket *at = q->types_sorted;

	b->sorted_prev = b->sorted_next = NULL;
	if (!at || at->mtype > b->mtype) {
		b->sorted_next = at;
		if (at) {
			SIM_SAVE(k, at->sorted_prev);
			at->sorted_prev = b;
		}
		q->types_sorted = b;
	} else {
		while (at->sorted_next && at->sorted_next->mtype < b->mtype)
			at = at->sorted_next;
		b->sorted_next = at->sorted_next;
		b->sorted_prev = at;
		if (at->sorted_next) {
			SIM_SAVE(k, at->sorted_next->sorted_prev);
			at->sorted_next->sorted_prev = b;
		}
		SIM_SAVE(k, at->sorted_next);
		at->sorted_next = b;
	}
}

/* The spare bucket becomes mtype's, in the table and on the sorted list
 * (msg_index_add of a new type, after msg_index_prepare). */
struct msg_type_bucket *msg_index_new_bucket(struct sim_kernel *k, struct msg_queue *q,
                                             long mtype)
{
	struct msg_type_bucket *b = q->spare_bucket;

	q->spare_bucket = NULL; /* q is saved by the caller */
	SIM_SAVE_OBJ(k, b);
	b->mtype = mtype;
	sim_ptab_insert(k, &q->types, b, msg_bucket_key);
	sorted_insert(k, q, b);
	return b;
}

/* The parked bucket leaves the sorted list and the table, for the spare
 * or the cache (another bucket is about to be parked). */
void msg_index_unpark(struct sim_kernel *k, struct msg_queue *q)
{
	struct msg_type_bucket *b = q->parked_bucket;

	q->parked_bucket = NULL;
	if (b->sorted_prev) {
		SIM_SAVE(k, b->sorted_prev->sorted_next);
		b->sorted_prev->sorted_next = b->sorted_next;
	} else {
		q->types_sorted = b->sorted_next;
	}
	if (b->sorted_next) {
		SIM_SAVE(k, b->sorted_next->sorted_prev);
		b->sorted_next->sorted_prev = b->sorted_prev;
	}
	sim_ptab_remove(k, &q->types, b, msg_bucket_key);
	if (!q->spare_bucket) {
		SIM_SAVE_OBJ(k, b);
		memset(b, 0, sizeof(*b));
		q->spare_bucket = b;
	} else {
		sim_cache_put(k, &k->bucket_cache, b);
	}
}

/* find_msg: the message msgrcv would take, or NULL (msg_index_find). */
struct msg_rec *msg_index_find_typed(struct msg_queue *q, long msgtyp, enum msg_search mode)
{
	struct msg_type_bucket *b, *best;
	struct msg_rec *r;

	switch (mode) {
	case SEARCH_ANY:
		return q->head;
	case SEARCH_EQUAL:
		b = msg_index_bucket(q, msgtyp);
		return b ? b->head : NULL; /* a parked bucket has no head */
	case SEARCH_LESSEQUAL:
		b = q->types_sorted;
		if (b && b == q->parked_bucket)
			b = b->sorted_next; /* only one is parked */
		return b && b->mtype <= msgtyp ? b->head : NULL;
	case SEARCH_NOTEQUAL:
		if (!q->head || q->head->m_type != msgtyp)
			return q->head;
		best = NULL;
		for (b = q->types_sorted; b; b = b->sorted_next)
			if (b->count && b->mtype != msgtyp && (!best || b->head->seq < best->head->seq))
				best = b;
		return best ? best->head : NULL;
	case SEARCH_NUMBER:
		if (msgtyp < 0)
			return NULL;
		for (r = q->head; r && msgtyp > 0; r = r->q_next)
			msgtyp--;
		return r;
	}
	return NULL;
}

/* The queue is going (freed by the caller): its buckets (the parked one
 * is on the sorted list) and table go too. */
void msg_index_destroy(struct sim_kernel *k, struct msg_queue *q)
{
	struct msg_type_bucket *b, *next;

	for (b = q->types_sorted; b; b = next) {
		next = b->sorted_next;
		sim_cache_put(k, &k->bucket_cache, b);
	}
	sim_free(k, q->types.slot);
	sim_cache_put(k, &k->bucket_cache, q->spare_bucket);
	SIM_SAVE_OBJ(k, q);
	q->types_sorted = NULL;
	memset(&q->types, 0, sizeof(q->types));
	q->spare_bucket = NULL;
	q->parked_bucket = NULL;
}
