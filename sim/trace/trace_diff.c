/*
 * trace_diff.c - the "changes" object of a trace step: what differs between
 * the snapshot before the step and the one after it.
 *
 * Everything is found by stable id (trace_snap.c), never by position, so a
 * record dequeued from the middle of a chain, or a queue removed while
 * another is created at the same index, is reported as what it is:
 *   created / removed / changed   queues, segments, sets and processes
 *   enqueued / dequeued           message records, with their data offsets
 *   units_allocated / units_freed the data-area units of those records
 *   attached / detached           shared-memory attachments (segment, pid, addr)
 *   sem_values                    semaphores whose value changed
 * A step may both dequeue and enqueue (a receive that lets a sleeping sender
 * in).  Sizes are those of the snapshots: a lookup table per step.
 */
#include <stdio.h>
#include <string.h>

#include "trace/trace_int.h"

static const char *const object_lists[] = { "msg", "shm", "sem", "procs" };

static const char *id_of(struct json_object *o)
{
	return json_object_get_string(json_object_object_get(o, "id"));
}

/* A table id -> object over the array `key` of every object in list. */
static void index_list(struct json_object *table, struct json_object *list)
{
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *o = json_object_array_get_idx(list, i);

		json_object_object_add(table, id_of(o), json_object_get(o));
	}
}

static void add_id(struct json_object *arr, struct json_object *o)
{
	json_object_array_add(arr, json_object_new_string(id_of(o)));
}

static void diff_objects(struct json_object *prev, struct json_object *next,
                         struct json_object *changes)
{
	struct json_object *created = json_object_object_get(changes, "created");
	struct json_object *removed = json_object_object_get(changes, "removed");
	struct json_object *changed = json_object_object_get(changes, "changed");

	for (size_t l = 0; l < sizeof(object_lists) / sizeof(object_lists[0]); l++) {
		struct json_object *pl = json_object_object_get(prev, object_lists[l]);
		struct json_object *nl = json_object_object_get(next, object_lists[l]);
		struct json_object *ptab = json_object_new_object();
		struct json_object *ntab = json_object_new_object();
		struct json_object *other;

		if (ptab == NULL || ntab == NULL) {
			json_object_put(ptab);
			json_object_put(ntab);
			return;
		}
		index_list(ptab, pl);
		index_list(ntab, nl);
		for (size_t i = 0; i < json_object_array_length(nl); i++) {
			struct json_object *o = json_object_array_get_idx(nl, i);

			if (!json_object_object_get_ex(ptab, id_of(o), &other))
				add_id(created, o);
			else if (!json_object_equal(o, other))
				add_id(changed, o);
		}
		for (size_t i = 0; i < json_object_array_length(pl); i++) {
			struct json_object *o = json_object_array_get_idx(pl, i);

			if (!json_object_object_get_ex(ntab, id_of(o), &other))
				add_id(removed, o);
		}
		json_object_put(ptab);
		json_object_put(ntab);
	}
}

/* Every record of a snapshot, id -> record, with "queue" added to a copy. */
static void index_records(struct json_object *table, struct json_object *state)
{
	struct json_object *queues = json_object_object_get(state, "msg");

	for (size_t i = 0; i < json_object_array_length(queues); i++) {
		struct json_object *q = json_object_array_get_idx(queues, i);
		struct json_object *recs = json_object_object_get(q, "records");

		for (size_t j = 0; j < json_object_array_length(recs); j++)
			json_object_object_add(table, id_of(json_object_array_get_idx(recs, j)),
			                       json_object_get(q));
	}
}

/* The records of `from` missing in `other`, into moved and their units into units. */
static void diff_records(struct json_object *from, struct json_object *other_tab,
                         struct json_object *moved, struct json_object *units)
{
	struct json_object *queues = json_object_object_get(from, "msg");

	for (size_t i = 0; i < json_object_array_length(queues); i++) {
		struct json_object *q = json_object_array_get_idx(queues, i);
		struct json_object *recs = json_object_object_get(q, "records");

		for (size_t j = 0; j < json_object_array_length(recs); j++) {
			struct json_object *r = json_object_array_get_idx(recs, j), *copy = NULL, *u;

			if (json_object_object_get_ex(other_tab, id_of(r), NULL))
				continue;
			if (json_object_deep_copy(r, &copy, NULL) != 0)
				continue;
			json_object_object_add(copy, "queue",
			                       json_object_get(json_object_object_get(q, "id")));
			json_object_array_add(moved, copy);
			u = json_object_object_get(r, "unit");
			if (u != NULL) {
				struct json_object *ext = json_object_new_object();

				json_object_object_add(ext, "first", json_object_get(u));
				json_object_object_add(ext, "nunits",
				                       json_object_get(json_object_object_get(r, "nunits")));
				json_object_object_add(ext, "record",
				                       json_object_get(json_object_object_get(r, "id")));
				json_object_array_add(units, ext);
			}
		}
	}
}

/* Shared memory: "segment|pid|addr" for every attachment of state. */
static void index_attachments(struct json_object *table, struct json_object *state,
                              struct json_object *list)
{
	struct json_object *segs = json_object_object_get(state, "shm");

	for (size_t i = 0; i < json_object_array_length(segs); i++) {
		struct json_object *seg = json_object_array_get_idx(segs, i);
		struct json_object *atts = json_object_object_get(seg, "attachments");

		for (size_t j = 0; j < json_object_array_length(atts); j++) {
			struct json_object *a = json_object_array_get_idx(atts, j);
			struct json_object *entry;
			char key[160];

			snprintf(key, sizeof(key), "%s|%lld|%s", id_of(seg),
			         (long long)json_object_get_int64(json_object_object_get(a, "pid")),
			         json_object_get_string(json_object_object_get(a, "addr")));
			if (table != NULL) {
				json_object_object_add(table, key, NULL);
				continue;
			}
			entry = json_object_new_object();
			json_object_object_add(entry, "segment", json_object_new_string(id_of(seg)));
			json_object_object_add(entry, "pid",
			                       json_object_get(json_object_object_get(a, "pid")));
			json_object_object_add(entry, "addr",
			                       json_object_get(json_object_object_get(a, "addr")));
			json_object_object_add(entry, "key", json_object_new_string(key));
			json_object_array_add(list, entry);
		}
	}
}

static void diff_attachments(struct json_object *from, struct json_object *to,
                             struct json_object *out)
{
	struct json_object *tab = json_object_new_object(), *all = json_object_new_array();

	if (tab != NULL && all != NULL) {
		index_attachments(tab, to, NULL);
		index_attachments(NULL, from, all);
		for (size_t i = 0; i < json_object_array_length(all); i++) {
			struct json_object *e = json_object_array_get_idx(all, i);
			const char *key = json_object_get_string(json_object_object_get(e, "key"));

			if (json_object_object_get_ex(tab, key, NULL))
				continue;
			json_object_object_del(e, "key");
			json_object_array_add(out, json_object_get(e));
		}
	}
	json_object_put(tab);
	json_object_put(all);
}

/* Semaphores: values that differ (a set created in this step: from null). */
static void diff_sem_values(struct json_object *prev, struct json_object *next,
                            struct json_object *out)
{
	struct json_object *ptab = json_object_new_object(), *other;
	struct json_object *sets = json_object_object_get(next, "sem");

	if (ptab == NULL)
		return;
	index_list(ptab, json_object_object_get(prev, "sem"));
	for (size_t i = 0; i < json_object_array_length(sets); i++) {
		struct json_object *set = json_object_array_get_idx(sets, i);
		struct json_object *sems = json_object_object_get(set, "sems"), *psems = NULL;

		if (json_object_object_get_ex(ptab, id_of(set), &other))
			psems = json_object_object_get(other, "sems");
		for (size_t j = 0; j < json_object_array_length(sems); j++) {
			struct json_object *v = json_object_object_get(
				json_object_array_get_idx(sems, j), "value");
			struct json_object *pv = psems != NULL && j < json_object_array_length(psems)
			    ? json_object_object_get(json_object_array_get_idx(psems, j), "value") : NULL;
			struct json_object *e;

			if (pv != NULL && json_object_equal(pv, v))
				continue;
			e = json_object_new_object();
			json_object_object_add(e, "set", json_object_new_string(id_of(set)));
			json_object_object_add(e, "num", json_object_new_int64((int64_t)j));
			json_object_object_add(e, "from", json_object_get(pv));
			json_object_object_add(e, "to", json_object_get(v));
			json_object_array_add(out, e);
		}
	}
	json_object_put(ptab);
}

static const char *const change_keys[] = {
	"created", "removed", "changed", "enqueued", "dequeued", "units_allocated",
	"units_freed", "attached", "detached", "sem_values",
};

struct json_object *trace_diff(struct json_object *prev, struct json_object *next)
{
	struct json_object *c = json_object_new_object();
	struct json_object *ptab = json_object_new_object(), *ntab = json_object_new_object();

	if (c == NULL || ptab == NULL || ntab == NULL) {
		json_object_put(c);
		c = NULL;
		goto out;
	}
	for (size_t i = 0; i < sizeof(change_keys) / sizeof(change_keys[0]); i++)
		json_object_object_add(c, change_keys[i], json_object_new_array());
	diff_objects(prev, next, c);
	index_records(ptab, prev);
	index_records(ntab, next);
	diff_records(next, ptab, json_object_object_get(c, "enqueued"),
	             json_object_object_get(c, "units_allocated"));
	diff_records(prev, ntab, json_object_object_get(c, "dequeued"),
	             json_object_object_get(c, "units_freed"));
	diff_attachments(next, prev, json_object_object_get(c, "attached"));
	diff_attachments(prev, next, json_object_object_get(c, "detached"));
	diff_sem_values(prev, next, json_object_object_get(c, "sem_values"));
out:
	json_object_put(ptab);
	json_object_put(ntab);
	return c;
}
