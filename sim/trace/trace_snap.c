/*
 * trace_snap.c - the "state" object of a trace step: everything the
 * simulated kernel holds after the step, as JSON, from the read-only views
 * of ipcsim/kernel.h (never its internals).
 *
 * Stable ids and a stable order are the point (a viewer must not jitter):
 *   queue   "q<msqid>"          in index order (ipcs order)
 *   record  "m<msqid>.<seq>"    in FIFO order; seq is the arrival number in
 *                               its queue, so an id names one message for its
 *                               whole life and is never reused
 *   extent  by first unit       in address order; a used one names its record
 *   process "p<pid>"            in creation order; ended ones stay listed
 *   segment "s<shmid>", set "S<semid>"   in index order; a segment's
 *                               attachments and a set's sleepers in process
 *                               creation order, its written regions in
 *                               offset order
 * The shapes are documented in docs/trace-format.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/strace.h" /* signal names; texts print as run prints them */
#include "trace/trace_int.h"

struct snap {
	const struct sim_kernel *k;
	const struct scenario_names *names;
	const struct render_vars *vars; /* each process's variables, or NULL */
	struct json_object *list;  /* the array being filled */
	int msqid;                 /* records/waiters: their queue */
	int failed;
	struct json_object *sems;  /* a set's "sems", filled by snap_sem_value */
	int shmid, more;           /* a segment's regions: its id, how many not listed */
};

/* ---- small builders ------------------------------------------------------ */

struct json_object *trace_hex32(unsigned long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%08lx", v & 0xffffffffUL);
	return json_object_new_string(buf);
}

struct json_object *trace_octal(unsigned v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0%o", v);
	return json_object_new_string(buf);
}

static struct json_object *id_string(const char *prefix, long a, long b, int two)
{
	char buf[48];

	if (two)
		snprintf(buf, sizeof(buf), "%s%ld.%ld", prefix, a, b);
	else
		snprintf(buf, sizeof(buf), "%s%ld", prefix, a);
	return json_object_new_string(buf);
}

static void put(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static void put_int(struct json_object *o, const char *key, long long v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static struct json_object *proc_name_or_null(const struct scenario_names *names, int pid)
{
	const char *name = NULL;

	if (pid > 0 && names != NULL && names->proc_name != NULL)
		name = names->proc_name(names->ctx, pid);
	return name != NULL ? json_object_new_string(name) : NULL;
}

static int append(struct snap *s, struct json_object *o)
{
	if (o == NULL || json_object_array_add(s->list, o) != 0) {
		json_object_put(o);
		s->failed = 1;
		return 1;
	}
	return 0;
}

/* ---- message queues ------------------------------------------------------ */

static int snap_record(void *ctx, const struct sim_msg_record_view *r)
{
	struct snap *s = ctx;
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return append(s, NULL);
	put(o, "id", id_string("m", s->msqid, (long)r->seq, 1));
	put_int(o, "mtype", r->mtype);
	put_int(o, "size", (long long)r->size);
	put(o, "unit", r->data_unit >= 0 ? json_object_new_int64(r->data_unit) : NULL);
	put_int(o, "nunits", (long long)r->nunits);
	put(o, "text", trace_text(r->text, r->text != NULL ? r->size : 0));
	return append(s, o);
}

static int snap_waiter(void *ctx, const struct sim_msg_waiter_view *w)
{
	struct snap *s = ctx;
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return append(s, NULL);
	put(o, "proc", id_string("p", w->pid, 0, 0));
	put_int(o, "pid", w->pid);
	put(o, "name", proc_name_or_null(s->names, w->pid));
	put(o, "role", json_object_new_string(w->role == SIM_WAIT_SEND ? "send" : "receive"));
	put(o, "msgtyp", w->role == SIM_WAIT_RECV ? json_object_new_int64(w->msgtyp) : NULL);
	put_int(o, "msgflg", w->msgflg);
	put_int(o, "msgsz", (long long)w->msgsz);
	return append(s, o);
}

static struct json_object *snap_queue(struct snap *s, int idx, int msqid,
                                      const struct ipcsim_msqid_ds *ds)
{
	struct json_object *o = json_object_new_object();
	struct json_object *outer = s->list;
	const struct ipcsim_ipc_perm *p = &ds->msg_perm;

	if (o == NULL)
		return NULL;
	put(o, "id", id_string("q", msqid, 0, 0));
	put_int(o, "msqid", msqid);
	put_int(o, "index", idx);
	put(o, "key", trace_hex32(p->key));
	put_int(o, "uid", p->uid);
	put_int(o, "gid", p->gid);
	put_int(o, "cuid", p->cuid);
	put_int(o, "cgid", p->cgid);
	put(o, "mode", trace_octal(p->mode & 0777));
	put_int(o, "qnum", (long long)ds->msg_qnum);
	put_int(o, "cbytes", (long long)ds->msg_cbytes);
	put_int(o, "qbytes", (long long)ds->msg_qbytes);
	put_int(o, "lspid", ds->msg_lspid);
	put_int(o, "lrpid", ds->msg_lrpid);
	put_int(o, "stime", ds->msg_stime);
	put_int(o, "rtime", ds->msg_rtime);
	put_int(o, "ctime", ds->msg_ctime);
	s->msqid = msqid;
	s->list = json_object_new_array();
	put(o, "records", s->list);
	if (s->list != NULL)
		sim_msg_records(s->k, msqid, snap_record, s);
	s->list = json_object_new_array();
	put(o, "waiters", s->list);
	if (s->list != NULL)
		sim_msg_waiters(s->k, msqid, snap_waiter, s);
	s->list = outer;
	return o;
}

static struct json_object *snap_queues(struct snap *s)
{
	struct json_object *arr = json_object_new_array();
	int max = sim_msg_max_idx(s->k);

	for (int idx = 0; arr != NULL && idx <= max; idx++) {
		struct ipcsim_msqid_ds ds;
		long id = sim_msg_stat_idx(s->k, idx, &ds);

		if (id < 0)
			continue;
		if (json_object_array_add(arr, snap_queue(s, idx, (int)id, &ds)) != 0)
			s->failed = 1;
	}
	return arr;
}

/* ---- the kernel data area ----------------------------------------------- */

static int snap_extent(void *ctx, const struct sim_area_extent_view *e)
{
	struct snap *s = ctx;
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return append(s, NULL);
	put_int(o, "first", (long long)e->first_unit);
	put_int(o, "nunits", (long long)e->nunits);
	put(o, "used", json_object_new_boolean(e->used));
	if (e->used) {
		put(o, "queue", id_string("q", e->msqid, 0, 0));
		put_int(o, "mtype", e->mtype);
	}
	return append(s, o);
}

/* Names the record of every used extent: the record of its queue whose text
 * starts at the extent's first unit. */
static void link_extents(struct json_object *area, struct json_object *queues)
{
	struct json_object *extents = json_object_object_get(area, "extents");
	struct json_object *by_unit = json_object_new_object();
	char key[32];

	if (by_unit == NULL || extents == NULL)
		goto out;
	for (size_t i = 0; i < json_object_array_length(queues); i++) {
		struct json_object *recs = json_object_object_get(
			json_object_array_get_idx(queues, i), "records");

		for (size_t j = 0; j < json_object_array_length(recs); j++) {
			struct json_object *r = json_object_array_get_idx(recs, j);
			struct json_object *unit = json_object_object_get(r, "unit");

			if (unit == NULL)
				continue;
			snprintf(key, sizeof(key), "%lld", (long long)json_object_get_int64(unit));
			json_object_object_add(by_unit, key,
			                       json_object_get(json_object_object_get(r, "id")));
		}
	}
	for (size_t i = 0; i < json_object_array_length(extents); i++) {
		struct json_object *e = json_object_array_get_idx(extents, i), *rec;

		if (!json_object_get_boolean(json_object_object_get(e, "used")))
			continue;
		snprintf(key, sizeof(key), "%lld",
		         (long long)json_object_get_int64(json_object_object_get(e, "first")));
		if (json_object_object_get_ex(by_unit, key, &rec))
			json_object_object_add(e, "record", json_object_get(rec));
	}
out:
	json_object_put(by_unit);
}

static struct json_object *snap_area(struct snap *s)
{
	struct json_object *o = json_object_new_object();
	struct json_object *outer = s->list;
	struct sim_area_info info;

	if (o == NULL)
		return NULL;
	s->list = json_object_new_array();
	memset(&info, 0, sizeof(info));
	if (s->list != NULL)
		sim_msg_area(s->k, &info, snap_extent, s);
	put_int(o, "unit", (long long)info.unit);
	put_int(o, "nunits", (long long)info.nunits);
	put_int(o, "used", (long long)info.used_units);
	put_int(o, "pool", (long long)info.pool_limit);
	put(o, "extents", s->list);
	s->list = outer;
	return o;
}


/* ---- shared memory and semaphores ---------------------------------------- */

static int snap_attachment(void *ctx, const struct sim_attach_view *a)
{
	struct snap *s = ctx;
	struct json_object *o = json_object_new_object();
	char addr[32];

	if (o == NULL)
		return append(s, NULL);
	snprintf(addr, sizeof(addr), "0x%lx", a->addr);
	put(o, "proc", id_string("p", a->pid, 0, 0));
	put_int(o, "pid", a->pid);
	put(o, "addr", json_object_new_string(addr));
	put_int(o, "len", (long long)a->len);
	put(o, "readonly", json_object_new_boolean(a->rdonly));
	return append(s, o);
}

/*
 * What the segment holds at its start: the first 32 bytes as text and the
 * first four longs (little-endian, as store/load write them), so a viewer
 * can show `balance` changing, or the string a writer put there.
 */
#define SEG_HEAD_BYTES 32

static void put_segment_head(struct snap *s, struct json_object *o, int shmid, size_t segsz)
{
	unsigned char head[SEG_HEAD_BYTES];
	struct json_object *longs = json_object_new_array();
	size_t n = segsz < SEG_HEAD_BYTES ? segsz : SEG_HEAD_BYTES;

	memset(head, 0, sizeof(head));
	if (longs == NULL || sim_shm_peek(s->k, shmid, 0, head, n) < 0) {
		json_object_put(longs);
		s->failed = longs == NULL;
		return;
	}
	put(o, "text", trace_text(head, n));
	for (size_t i = 0; i + 8 <= n; i += 8) {
		unsigned long v = 0;

		for (int b = 0; b < 8; b++)
			v |= (unsigned long)head[i + (size_t)b] << (8 * b);
		json_object_array_add(longs, json_object_new_int64((int64_t)v));
	}
	put(o, "longs", longs);
}

/*
 * The segment's written regions, each the way it was written
 * (render_shm_regions, as `show` draws them): "long" with its values, "text"
 * with the text, "hex"; every one with its first bytes in hex (the other
 * views of the same bytes) and the process that wrote it.
 */
#define SEG_REGIONS_MAX 64
#define REGION_BYTES 64 /* bytes of a region given in "hex" */
#define REGION_LONGS 8

static int snap_region(void *ctx, const struct render_mem_region *r)
{
	static const char *const kinds[] = { "long", "text", "hex" };
	struct snap *s = ctx;
	unsigned char b[REGION_BYTES];
	char hex[REGION_BYTES * 2 + 1];
	size_t n = r->len < REGION_BYTES ? r->len : REGION_BYTES;
	struct json_object *o;

	if (json_object_array_length(s->list) >= SEG_REGIONS_MAX) {
		s->more++;
		return 0;
	}
	if (sim_shm_peek(s->k, s->shmid, r->off, b, n) < 0)
		return 1;
	o = json_object_new_object();
	if (o == NULL)
		return append(s, NULL);
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	hex[2 * n] = '\0';
	put_int(o, "off", (long long)r->off);
	put_int(o, "len", (long long)r->len);
	put(o, "kind", json_object_new_string(kinds[r->kind]));
	put(o, "proc", id_string("p", r->pid, 0, 0));
	put_int(o, "pid", r->pid);
	put(o, "name", proc_name_or_null(s->names, r->pid));
	put(o, "hex", json_object_new_string(hex));
	if (r->kind == RENDER_MEM_LONG) {
		struct json_object *values = json_object_new_array();

		for (size_t i = 0; values != NULL && i + 8 <= n && i < 8 * REGION_LONGS; i += 8) {
			unsigned long v = 0;

			for (int j = 0; j < 8; j++)
				v |= (unsigned long)b[i + (size_t)j] << (8 * j);
			json_object_array_add(values, json_object_new_int64((int64_t)v));
		}
		put(o, "values", values);
	} else if (r->kind == RENDER_MEM_TEXT) {
		put(o, "text", trace_text(b, n));
	}
	return append(s, o);
}

static void put_regions(struct snap *s, struct json_object *o, int shmid)
{
	struct json_object *outer = s->list;

	s->list = json_object_new_array();
	s->shmid = shmid;
	s->more = 0;
	if (s->list == NULL || render_shm_regions(s->k, shmid, snap_region, s) < 0)
		s->failed = 1;
	put(o, "regions", s->list);
	put_int(o, "regions_more", s->more);
	s->list = outer;
}

/* A segment's or a set's id, number, key, owner and mode. */
static void put_head(struct json_object *o, const char *prefix, const char *idkey, long id,
                     const struct ipcsim_ipc_perm *perm)
{
	put(o, "id", id_string(prefix, id, 0, 0));
	put_int(o, idkey, id);
	put(o, "key", trace_hex32(perm->key));
	put_int(o, "uid", perm->uid);
	put_int(o, "gid", perm->gid);
	put(o, "mode", trace_octal(perm->mode & 0777));
}

/* The segment at index idx, or NULL (none there, or out of memory: failed). */
static struct json_object *snap_segment(struct snap *s, int idx)
{
	struct json_object *outer = s->list, *o, *att;
	struct ipcsim_shmid_ds ds;
	long id = sim_shm_stat_idx(s->k, idx, &ds);

	if (id < 0)
		return NULL;
	o = json_object_new_object();
	att = json_object_new_array();
	if (o == NULL || att == NULL) {
		json_object_put(o);
		json_object_put(att);
		s->failed = 1;
		return NULL;
	}
	put_head(o, "s", "shmid", id, &ds.shm_perm);
	put_int(o, "size", (long long)ds.shm_segsz);
	put_int(o, "nattch", (long long)ds.shm_nattch);
	put(o, "dest", json_object_new_boolean((ds.shm_perm.mode & SHM_DEST) != 0));
	put(o, "locked", json_object_new_boolean((ds.shm_perm.mode & SHM_LOCKED) != 0));
	put_segment_head(s, o, (int)id, ds.shm_segsz);
	put_regions(s, o, (int)id);
	s->list = att;
	sim_shm_attachments(s->k, (int)id, snap_attachment, s);
	put(o, "attachments", att);
	s->list = outer;
	return o;
}

/* Every object of a kind in index order: segments or semaphore sets. */
static struct json_object *snap_indexed(struct snap *s, int max,
                                        struct json_object *(*one)(struct snap *, int))
{
	struct json_object *list = json_object_new_array();

	for (int idx = 0; list != NULL && idx <= max; idx++) {
		struct json_object *o = one(s, idx);

		if (o != NULL && json_object_array_add(list, o) < 0) {
			json_object_put(o);
			s->failed = 1;
		}
	}
	if (list == NULL)
		s->failed = 1;
	return list;
}

static int snap_sem_value(void *ctx, const struct sim_sem_view *v)
{
	struct snap *s = ctx;
	struct json_object *o = json_object_new_object();

	if (o == NULL || json_object_array_add(s->sems, o) < 0) {
		json_object_put(o);
		s->failed = 1;
		return -1;
	}
	put_int(o, "value", v->semval);
	put_int(o, "pid", v->sempid);
	put_int(o, "ncnt", v->ncnt);
	put_int(o, "zcnt", v->zcnt);
	return 0;
}

static int snap_sem_waiter(void *ctx, const struct sim_sem_waiter_view *w)
{
	struct snap *s = ctx;
	struct json_object *o = json_object_new_object(), *ops = json_object_new_array();

	if (o == NULL || ops == NULL) {
		json_object_put(o);
		json_object_put(ops);
		return append(s, NULL);
	}
	put(o, "proc", id_string("p", w->pid, 0, 0));
	put_int(o, "pid", w->pid);
	for (size_t i = 0; i < w->nsops; i++) {
		struct json_object *op = json_object_new_object();

		if (op == NULL || json_object_array_add(ops, op) < 0) {
			json_object_put(op);
			s->failed = 1;
			break;
		}
		put_int(op, "num", w->sops[i].sem_num);
		put_int(op, "op", w->sops[i].sem_op);
		put_int(op, "flg", w->sops[i].sem_flg);
	}
	put(o, "ops", ops);
	return append(s, o);
}

static int snap_sem_undo(void *ctx, const struct sim_sem_undo_view *u)
{
	struct snap *s = ctx;
	struct json_object *o;

	if (u->adj == 0)
		return 0;
	o = json_object_new_object();
	if (o == NULL)
		return append(s, NULL);
	put(o, "proc", id_string("p", u->pid, 0, 0));
	put_int(o, "pid", u->pid);
	put_int(o, "num", u->semnum);
	put_int(o, "adj", u->adj);
	return append(s, o);
}

/* The semaphore set at index idx, or NULL (none there, or out of memory: failed). */
static struct json_object *snap_semset(struct snap *s, int idx)
{
	struct json_object *outer = s->list, *o, *waiters, *undo;
	struct ipcsim_semid_ds ds;
	long id = sim_sem_stat_idx(s->k, idx, &ds);

	if (id < 0)
		return NULL;
	o = json_object_new_object();
	s->sems = json_object_new_array();
	waiters = json_object_new_array();
	undo = json_object_new_array();
	if (o == NULL || s->sems == NULL || waiters == NULL || undo == NULL) {
		json_object_put(o);
		json_object_put(s->sems);
		json_object_put(waiters);
		json_object_put(undo);
		s->sems = NULL;
		s->failed = 1;
		return NULL;
	}
	put_head(o, "S", "semid", id, &ds.sem_perm);
	sim_sem_values(s->k, (int)id, snap_sem_value, s);
	put(o, "sems", s->sems);
	s->list = waiters;
	sim_sem_waiters(s->k, (int)id, snap_sem_waiter, s);
	put(o, "waiters", waiters);
	s->list = undo;
	sim_sem_undos(s->k, (int)id, snap_sem_undo, s);
	put(o, "undo", undo);
	s->sems = NULL;
	s->list = outer;
	return o;
}

struct json_object *trace_snap_indexed(const struct sim_kernel *k,
                                       const struct scenario_names *names, int sem, int idx,
                                       int *failed)
{
	struct snap s = { k, names, NULL, NULL, 0, 0, NULL, 0, 0 };
	struct json_object *o = sem ? snap_semset(&s, idx) : snap_segment(&s, idx);

	if (s.failed) {
		json_object_put(o);
		*failed = 1;
		return NULL;
	}
	return o;
}

/* ---- processes, limits --------------------------------------------------- */

static const char *state_name(enum sim_proc_state st)
{
	switch (st) {
	case SIM_PROC_RUNNING: return "running";
	case SIM_PROC_BLOCKED: return "blocked";
	case SIM_PROC_EXITED: return "exited";
	default: return "killed";
	}
}

static void add_var(void *ctx, const char *name, const char *value)
{
	struct json_object *arr = ctx, *o = json_object_new_object();

	if (o == NULL)
		return;
	put(o, "name", json_object_new_string(name));
	put(o, "value", json_object_new_string(value));
	json_object_array_add(arr, o);
}

/* The variables the process's steps bound, as scenario text. */
static struct json_object *proc_vars(struct snap *s, int pid)
{
	struct json_object *arr = json_object_new_array();

	if (arr != NULL && s->vars != NULL && s->vars->foreach != NULL)
		s->vars->foreach(s->vars->ctx, pid, add_var, arr);
	return arr;
}

static int snap_proc(void *ctx, const struct sim_proc_view *v)
{
	struct snap *s = ctx;
	struct json_object *o = json_object_new_object();
	int blocked = v->state == SIM_PROC_BLOCKED;

	if (o == NULL)
		return append(s, NULL);
	put(o, "id", id_string("p", v->pid, 0, 0));
	put_int(o, "pid", v->pid);
	put(o, "name", proc_name_or_null(s->names, v->pid));
	put_int(o, "ppid", v->ppid);
	put_int(o, "uid", v->uid);
	put_int(o, "gid", v->gid);
	put(o, "state", json_object_new_string(state_name(v->state)));
	put(o, "blocked_call", blocked && v->blocked_call != NULL
	                           ? json_object_new_string(v->blocked_call) : NULL);
	/* what it sleeps on: a queue, or a semaphore set (semop, semtimedop) */
	put(o, "blocked_on", !blocked ? NULL
	                     : id_string(v->blocked_call != NULL && strncmp(v->blocked_call, "sem", 3) == 0
	                                     ? "S" : "q", v->blocked_id, 0, 0));
	put(o, "exit_status", v->state == SIM_PROC_EXITED ? json_object_new_int(v->exit_status)
	                                                   : NULL);
	put(o, "signal", v->state == SIM_PROC_KILLED ? json_object_new_int(v->term_sig) : NULL);
	put(o, "signal_name", v->state == SIM_PROC_KILLED && strace_signal_name(v->term_sig)
	                          ? json_object_new_string(strace_signal_name(v->term_sig)) : NULL);
	put(o, "vars", proc_vars(s, v->pid));
	return append(s, o);
}

static struct json_object *snap_limits(const struct sim_kernel *k)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; o != NULL && sim_limit_names[i] != NULL; i++) {
		long long v;

		if (sim_limit_get(k, sim_limit_names[i], &v) != 0)
			continue;
		/* shmmax and shmall are unsigned long, as sysctl prints them
		 * (18446744073692774399, not -16777217). */
		if (strcmp(sim_limit_names[i], "shmmax") == 0 || strcmp(sim_limit_names[i], "shmall") == 0)
			put(o, sim_limit_names[i], json_object_new_uint64((uint64_t)v));
		else
			put_int(o, sim_limit_names[i], v);
	}
	return o;
}

struct json_object *trace_snapshot(const struct sim_kernel *k, const struct scenario_names *names,
                                   const struct render_vars *vars)
{
	struct snap s = { k, names, vars, NULL, 0, 0, NULL, 0, 0 };
	struct json_object *o = json_object_new_object(), *queues;

	if (o == NULL)
		return NULL;
	put_int(o, "clock", sim_now(k));
	put(o, "limits", snap_limits(k));
	queues = snap_queues(&s);
	put(o, "msg", queues);
	put(o, "area", snap_area(&s));
	if (queues != NULL && json_object_object_get(o, "area") != NULL)
		link_extents(json_object_object_get(o, "area"), queues);
	put(o, "shm", snap_indexed(&s, sim_shm_max_idx(k), snap_segment));
	put(o, "sem", snap_indexed(&s, sim_sem_max_idx(k), snap_semset));
	s.list = json_object_new_array();
	put(o, "procs", s.list);
	if (s.list != NULL)
		sim_proc_foreach(k, snap_proc, &s);
	if (s.failed || queues == NULL || s.list == NULL) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
