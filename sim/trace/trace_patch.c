/*
 * trace_patch.c - the "patch" of a trace step (docs/trace-format.md): the
 * objects of the state that differ from the step before, field by field.
 *
 * Every object of the state is written as its fields, `"key":value` one
 * per line, exactly as the state would show it (no tree, no snapshot), and
 * compared with what was written for the same id the step before: a new id
 * is written whole (with "at", its place in its list), a changed one with
 * the fields that differ, an id no longer there goes to "del".  What is
 * kept is the last text of each live object, so memory follows the
 * kernel's state, never the number of steps.
 *
 * Message records are never rewritten: a record's id (m<msqid>.<seq>)
 * names one message for its whole life, and nothing of a record changes
 * while it is queued, so a record seen before is only marked as still
 * there.  Every object's fields are written by its kind's function in
 * trace_state.c, the one the whole state is written with, so a patch and
 * a keyframe always agree.
 */
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "trace/trace_int.h"

struct pobj {
	char id[48];
	char *text; /* its fields as last written, "key":value per line */
	size_t len;
	void *raw;  /* what they were written from (views, names), or NULL */
	size_t rawlen;
	unsigned stamp; /* the step that last saw it */
	UT_hash_handle hh;
};

struct trace_patch {
	struct pobj *objs;
	struct tfields f;     /* writes the object being written into fields */
	unsigned stamp;
	int primed;           /* clock and limits are known */
	long long clock;
	struct tbuf fields;   /* the object being written */
	struct tbuf set, del; /* this step's entries */
	struct tbuf raw;      /* what the object being written is written from */
	struct tbuf limits, limits_new;
	const struct sim_kernel *k;
	const struct render_vars *vars;
	int msqid;            /* records: their queue */
};

struct trace_patch *trace_patch_new(int html)
{
	struct trace_patch *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->fields.html = p->set.html = p->limits.html = p->limits_new.html = html;
	p->f.b = &p->fields;
	p->f.patch = 1;
	return p;
}

void trace_patch_free(struct trace_patch *p)
{
	struct pobj *o, *tmp;

	if (p == NULL)
		return;
	HASH_ITER(hh, p->objs, o, tmp) {
		HASH_DEL(p->objs, o);
		free(o->text);
		free(o->raw);
		free(o);
	}
	tbuf_free(&p->fields);
	tbuf_free(&p->raw);
	tbuf_free(&p->set);
	tbuf_free(&p->del);
	tbuf_free(&p->limits);
	tbuf_free(&p->limits_new);
	free(p);
}

/* ---- comparing with the step before ---------------------------------------- */

/* The key of the field at s ("qnum" of `"qnum":1`): its length with quotes. */
static size_t key_len(const char *s, const char *end)
{
	const char *colon = memchr(s, ':', (size_t)(end - s));

	return colon != NULL ? (size_t)(colon - s) : (size_t)(end - s);
}

static const char *line_end(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	return nl != NULL ? nl : end;
}

/* Writes the fields of new that differ from old; all of them when the two
 * do not have the same keys in the same order. */
static void write_changed(struct tbuf *out, const char *old, size_t oldlen, const char *new,
                          size_t newlen)
{
	const char *oe = old + oldlen, *ne = new + newlen, *a = old, *b = new;
	int same_keys = 1;

	while (a < oe && b < ne) {
		const char *ae = line_end(a, oe), *be = line_end(b, ne);
		size_t ka = key_len(a, ae), kb = key_len(b, be);

		if (ka != kb || memcmp(a, b, ka) != 0) {
			same_keys = 0;
			break;
		}
		a = ae + (ae < oe);
		b = be + (be < ne);
	}
	if (a < oe || b < ne)
		same_keys = 0;
	for (a = old, b = new; b < ne;) {
		const char *ae = same_keys ? line_end(a, oe) : a, *be = line_end(b, ne);

		if (!same_keys || ae - a != be - b || memcmp(a, b, (size_t)(be - b)) != 0) {
			tbuf_raw(out, ",", 1);
			tbuf_raw(out, b, (size_t)(be - b));
		}
		if (same_keys)
			a = ae + (ae < oe);
		b = be + (be < ne);
	}
}

static void entry_begin(struct trace_patch *p, const char *id, int at)
{
	if (p->set.text.len > 0)
		tbuf_raw(&p->set, ",", 1);
	tbuf_lit(&p->set, "{\"id\":\"");
	tbuf_lit(&p->set, id);
	tbuf_raw(&p->set, "\"", 1);
	if (at >= 0) {
		tbuf_lit(&p->set, ",\"at\":");
		tbuf_int(&p->set, at);
	}
}

/*
 * 1 when the object id is written from the same bytes as the step before
 * (p->raw: its view, names and variables): then it is the same, and is only
 * marked as still there.  Most objects do not change in most steps; this
 * keeps them from being written out again to find that out.
 */
static int unchanged(struct trace_patch *p, const char *id)
{
	struct pobj *o;

	HASH_FIND_STR(p->objs, id, o);
	if (o == NULL || o->raw == NULL || o->rawlen != p->raw.text.len ||
	    memcmp(o->raw, p->raw.text.b, p->raw.text.len) != 0)
		return 0;
	o->stamp = p->stamp;
	p->raw.text.len = 0;
	return 1;
}

/* Keeps p->raw with o for unchanged() at the next step. */
static int keep_raw(struct trace_patch *p, struct pobj *o)
{
	if (p->raw.failed)
		return -1;
	if (p->raw.text.len > o->rawlen || o->raw == NULL) {
		void *grown = realloc(o->raw, p->raw.text.len + 1);

		if (grown == NULL)
			return -1;
		o->raw = grown;
	}
	memcpy(o->raw, p->raw.text.b, p->raw.text.len);
	o->rawlen = p->raw.text.len;
	p->raw.text.len = 0;
	return 0;
}

/* The object just written (p->fields) against the last one of its id:
 * into set when new (with its place `at`, -1 for none) or changed. */
static int sync_object(struct trace_patch *p, const char *id, int at)
{
	struct tbuf *f = &p->fields;
	struct pobj *o;
	char *text;

	if (f->failed)
		return -1;
	HASH_FIND_STR(p->objs, id, o);
	if (o != NULL) {
		o->stamp = p->stamp;
		if (o->len == f->text.len && memcmp(o->text, f->text.b, f->text.len) == 0)
			goto out;
		entry_begin(p, id, -1);
		write_changed(&p->set, o->text, o->len, f->text.b, f->text.len);
	} else {
		o = calloc(1, sizeof(*o));
		if (o == NULL)
			return -1;
		snprintf(o->id, sizeof(o->id), "%s", id);
		o->stamp = p->stamp;
		HASH_ADD_STR(p->objs, id, o);
		entry_begin(p, id, at);
		write_changed(&p->set, "", 0, f->text.b, f->text.len); /* every field */
	}
	tbuf_raw(&p->set, "}", 1);
	if (o->len < f->text.len || o->text == NULL) {
		text = realloc(o->text, f->text.len + 1);
		if (text == NULL)
			return -1;
		o->text = text;
	}
	memcpy(o->text, f->text.b, f->text.len);
	o->len = f->text.len;
out:
	f->text.len = 0;
	return keep_raw(p, o);
}

/* ---- message queues and the data area -------------------------------------- */

static void raw_int(struct trace_patch *p, long long v)
{
	tbuf_raw(&p->raw, (const char *)&v, sizeof(v));
}

static void raw_str(struct trace_patch *p, const char *s)
{
	if (s != NULL)
		tbuf_raw(&p->raw, s, strlen(s) + 1);
	else
		tbuf_raw(&p->raw, "\xff", 1);
}

static int put_record(void *ctx, const struct sim_msg_record_view *r)
{
	struct trace_patch *p = ctx;
	struct pobj *o;
	char id[TRACE_ID_MAX];

	tf_id(id, 'm', p->msqid, (long long)r->seq);
	HASH_FIND_STR(p->objs, id, o);
	if (o != NULL) { /* records do not change: still there is all */
		o->stamp = p->stamp;
		return 0;
	}
	tf_record(&p->f, id, r);
	return sync_object(p, id, -1);
}

static int raw_waiter(void *ctx, const struct sim_msg_waiter_view *w)
{
	struct trace_patch *p = ctx;

	raw_int(p, w->pid);
	raw_int(p, w->role);
	raw_int(p, w->msgtyp);
	raw_int(p, w->msgflg);
	raw_int(p, (long long)w->msgsz);
	raw_str(p, tf_name(&p->f, w->pid));
	return 0;
}

static int put_queues(struct trace_patch *p)
{
	int max = sim_msg_max_idx(p->k), at = 0;

	for (int idx = 0; idx <= max; idx++) {
		struct ipcsim_msqid_ds ds;
		long msqid;
		char id[TRACE_ID_MAX];

		memset(&ds, 0, sizeof(ds)); /* compared as bytes: no stray padding */
		msqid = sim_msg_stat_idx(p->k, idx, &ds);
		if (msqid < 0)
			continue;
		tf_id(id, 'q', msqid, -1);
		p->msqid = (int)msqid;
		ds.msg_qnum = 0; /* they follow from the records: not in a patch */
		ds.msg_cbytes = 0;
		raw_int(p, idx);
		tbuf_raw(&p->raw, (const char *)&ds, sizeof(ds));
		sim_msg_waiters(p->k, (int)msqid, raw_waiter, p);
		if (!unchanged(p, id)) {
			tf_queue(&p->f, id, idx, (int)msqid, &ds);
			if (sync_object(p, id, at) < 0)
				return -1;
		}
		at++;
		if (sim_msg_records(p->k, (int)msqid, put_record, p) < 0 || p->fields.failed)
			return -1;
	}
	return 0;
}

/* The area's size and pool; what is used follows from the records. */
static int put_area(struct trace_patch *p)
{
	struct sim_area_info info;

	memset(&info, 0, sizeof(info));
	sim_msg_area(p->k, &info, NULL, NULL);
	info.used_units = 0;
	tbuf_raw(&p->raw, (const char *)&info, sizeof(info));
	if (unchanged(p, "area"))
		return 0;
	tf_area(&p->f, &info);
	return sync_object(p, "area", -1);
}

/* ---- segments and semaphore sets: few and small, written every step --------- */

static int sync_indexed(void *ctx, const char *id, int at)
{
	return sync_object(ctx, id, at);
}

/* ---- processes --------------------------------------------------------------- */

struct proc_walk {
	struct trace_patch *p;
	int at;
	int failed;
};

static int put_proc(void *ctx, const struct sim_proc_view *v)
{
	struct proc_walk *w = ctx;
	struct trace_patch *p = w->p;
	size_t vars_at;
	char id[TRACE_ID_MAX];

	tf_id(id, 'p', v->pid, -1);
	raw_int(p, v->pid);
	raw_int(p, v->ppid);
	raw_int(p, v->uid);
	raw_int(p, v->gid);
	raw_int(p, v->state);
	raw_int(p, v->blocked_id);
	raw_int(p, v->exit_status);
	raw_int(p, v->term_sig);
	raw_str(p, v->blocked_call);
	raw_str(p, tf_name(&p->f, v->pid));
	vars_at = p->raw.text.len;
	tf_vars_pack(&p->raw, p->vars, v->pid);
	if (!unchanged(p, id)) {
		tf_proc(&p->f, id, v, p->raw.text.b + vars_at, p->raw.text.len - vars_at);
		if (sync_object(p, id, w->at) < 0) {
			w->failed = 1;
			return 1;
		}
	}
	w->at++;
	return 0;
}

/* ---- a step ---------------------------------------------------------------- */

static void put_deleted(struct trace_patch *p)
{
	struct pobj *o, *tmp;

	HASH_ITER(hh, p->objs, o, tmp) {
		if (o->stamp == p->stamp)
			continue;
		if (p->del.text.len > 0)
			tbuf_raw(&p->del, ",", 1);
		tbuf_str(&p->del, o->id);
		HASH_DEL(p->objs, o);
		free(o->text);
		free(o->raw);
		free(o);
	}
}

int trace_patch_step(struct trace_patch *p, const struct sim_kernel *k,
                     const struct scenario_names *names, const struct render_vars *vars,
                     int limits_may_change, struct tbuf *out)
{
	struct proc_walk w = { p, 0, 0 };
	long long clock = sim_now(k);
	int limits_changed;
	struct tbuf swap;

	p->k = p->f.k = k;
	p->f.names = names;
	p->vars = vars;
	p->stamp++;
	p->set.text.len = p->del.text.len = p->fields.text.len = 0;
	if (put_queues(p) < 0 || put_area(p) < 0 ||
	    tf_indexed(&p->f, 's', NULL, sync_indexed, p) < 0 ||
	    tf_indexed(&p->f, 'S', NULL, sync_indexed, p) < 0)
		return -1;
	sim_proc_foreach(k, put_proc, &w);
	if (w.failed)
		return -1;
	put_deleted(p);
	limits_changed = 0;
	if (limits_may_change || !p->primed) {
		p->limits_new.text.len = 0;
		tf_limits(&p->limits_new, k);
		limits_changed = p->limits.text.len != p->limits_new.text.len ||
		                 memcmp(p->limits.text.b, p->limits_new.text.b, p->limits.text.len) != 0;
		swap = p->limits;
		p->limits = p->limits_new;
		p->limits_new = swap;
	}
	if (p->set.failed || p->del.failed || p->limits.failed)
		return -1;
	if (!p->primed || out == NULL) {
		p->primed = 1;
		p->clock = clock;
		return 0;
	}
	if (p->set.text.len == 0 && p->del.text.len == 0 && clock == p->clock && !limits_changed)
		return 0;
	tbuf_lit(out, ",\"patch\":{");
	if (clock != p->clock) {
		tbuf_key(out, "clock");
		tbuf_int(out, clock);
		p->clock = clock;
	}
	if (limits_changed) {
		tbuf_key(out, "limits");
		tbuf_raw(out, p->limits.text.b, p->limits.text.len);
	}
	if (p->set.text.len > 0) {
		tbuf_key(out, "set");
		tbuf_raw(out, "[", 1);
		tbuf_raw(out, p->set.text.b, p->set.text.len);
		tbuf_raw(out, "]", 1);
	}
	if (p->del.text.len > 0) {
		tbuf_key(out, "del");
		tbuf_raw(out, "[", 1);
		tbuf_raw(out, p->del.text.b, p->del.text.len);
		tbuf_raw(out, "]", 1);
	}
	tbuf_raw(out, "}", 1);
	return out->failed ? -1 : 0;
}
