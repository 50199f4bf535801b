/*
 * trace_state.c - the objects of a trace's state, each kind's fields named
 * once, and the whole state (docs/trace-format.md, "state"), from the
 * read-only views of ipcsim/kernel.h (never the kernel's internals).
 *
 * One function per kind (tf_queue, tf_record, tf_area, tf_segment,
 * tf_semset, tf_proc) reads the kernel's view and writes the object's
 * fields in the order the state shows them.  Two writers walk the kernel
 * with them:
 *   - the whole state (trace_state_write, below: the header, keyframes):
 *     each object inside its braces, its id first, a queue's records and
 *     the area's extents inside them;
 *   - a step's patch (trace_patch.c): an object's own fields one per line,
 *     to be compared with the step before, without its id (the patch
 *     entry's) and without what follows from the records (F_STATE: a
 *     queue's qnum, cbytes and records, the area's used and extents).
 * So a field added to a kind is in both, in the same place.  What is
 * inside a field (a queue's waiters, a segment's regions) is written the
 * same way in both.
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
 *
 * Strings are escaped by trace_buf.c.  For the strings a state holds
 * (C-escaped texts, hex, identifiers of the scenario, variables as scenario
 * text, fixed words) that is byte for byte what version 1's json-c wrote:
 * the two escape differently only control characters and DEL, which none
 * of them can hold.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/strace.h" /* signal names */
#include "trace/trace_int.h"
#include "types/digits.h"

/* A field a patch leaves out: what follows from the records. */
#define F_STATE 1

/* ---- the writer ------------------------------------------------------------ */

/* Before a field or a list's element: nothing right after an opening brace
 * or bracket, else a comma (a newline between a patch object's own fields). */
static void sep(struct tfields *f)
{
	struct tbuf *b = f->b;

	if (b->text.len == 0 || b->text.b[b->text.len - 1] == '{' ||
	    b->text.b[b->text.len - 1] == '[')
		return;
	tbuf_raw(b, f->patch && f->depth == 0 ? "\n" : ",", 1);
}

/* `"name":`; 0 when the field is not written here (F_STATE in a patch). */
static int key(struct tfields *f, const char *name, int flags)
{
	if ((flags & F_STATE) && f->patch && f->depth == 0)
		return 0;
	sep(f);
	tbuf_raw(f->b, "\"", 1);
	tbuf_lit(f->b, name);
	tbuf_raw(f->b, "\":", 2);
	return 1;
}

void tf_open(struct tfields *f, char bracket)
{
	if (bracket == '{')
		sep(f); /* an element of a list; a list is a field's value */
	tbuf_raw(f->b, &bracket, 1);
	f->depth++;
}

void tf_close(struct tfields *f, char bracket)
{
	tbuf_raw(f->b, &bracket, 1);
	f->depth--;
}

/* `"name":[`, the list's elements to follow; 0 when not written (F_STATE in a patch). */
static int f_list(struct tfields *f, const char *name, int flags)
{
	if (!key(f, name, flags))
		return 0;
	tf_open(f, '[');
	return 1;
}

static void f_int(struct tfields *f, const char *name, long long v)
{
	key(f, name, 0);
	tbuf_int(f->b, v);
}

static void f_int_or_null(struct tfields *f, const char *name, int has, long long v)
{
	key(f, name, 0);
	if (has)
		tbuf_int(f->b, v);
	else
		tbuf_lit(f->b, "null");
}

static void f_str(struct tfields *f, const char *name, const char *s) /* NULL: null */
{
	key(f, name, 0);
	tbuf_str(f->b, s);
}

static void f_bool(struct tfields *f, const char *name, int v)
{
	key(f, name, 0);
	tbuf_lit(f->b, v ? "true" : "false");
}

static void f_text(struct tfields *f, const char *name, const unsigned char *bytes, size_t len)
{
	key(f, name, 0);
	tbuf_text(f->b, bytes, len);
}

/* The object's id: the patch entry's, so only in the whole state. */
static void f_id(struct tfields *f, const char *id)
{
	if (!f->patch)
		f_str(f, "id", id);
}

/* "0x%08x" keys and "0%o" modes, as ipcs and the scenarios write them. */
static void f_key_mode(struct tfields *f, const char *name, const char *fmt, unsigned long v)
{
	char text[24];

	snprintf(text, sizeof(text), fmt, v);
	f_str(f, name, text);
}

/* Little-endian longs (as store/load write them): each whole 8 bytes of the n. */
static void f_longs(struct tfields *f, const char *name, const unsigned char *b, size_t n)
{
	f_list(f, name, 0);
	for (size_t i = 0; i + 8 <= n; i += 8) {
		unsigned long v = 0;

		for (int j = 0; j < 8; j++)
			v |= (unsigned long)b[i + (size_t)j] << (8 * j);
		sep(f);
		tbuf_int(f->b, (long long)v);
	}
	tf_close(f, ']');
}

const char *tf_name(const struct tfields *f, int pid)
{
	if (pid > 0 && f->names != NULL && f->names->proc_name != NULL)
		return f->names->proc_name(f->names->ctx, pid);
	return NULL;
}

/* A process an element names: "proc" ("p" + pid), "pid", and "name". */
static void f_proc(struct tfields *f, int pid, int with_name)
{
	char id[TRACE_ID_MAX];

	tf_id(id, 'p', pid, -1);
	f_str(f, "proc", id);
	f_int(f, "pid", pid);
	if (with_name)
		f_str(f, "name", tf_name(f, pid));
}

/* "q3", "m3.17", "p1000" (b < 0: none), without printf: one per object per step. */
void tf_id(char id[TRACE_ID_MAX], char prefix, long long a, long long b)
{
	char num[DIGITS_MAX], *end = num + sizeof(num), *p;
	size_t len = 1;

	id[0] = prefix; /* "m" and two 20-digit numbers fit */
	p = digits_ll(end, a);
	memcpy(id + len, p, (size_t)(end - p));
	len += (size_t)(end - p);
	if (b >= 0) {
		id[len++] = '.';
		p = digits_ll(end, b);
		memcpy(id + len, p, (size_t)(end - p));
		len += (size_t)(end - p);
	}
	id[len] = '\0';
}

/* ---- message queues and the data area ------------------------------------- */

/* Where each record's text starts (its unit), for the extents to name it. */
struct unit_owner {
	size_t unit;
	unsigned long long seq;
	int msqid;
};

void tf_record(struct tfields *f, const char *id, const struct sim_msg_record_view *r)
{
	f_id(f, id);
	f_int(f, "mtype", r->mtype);
	f_int(f, "size", (long long)r->size);
	f_int_or_null(f, "unit", r->data_unit >= 0, r->data_unit);
	f_int(f, "nunits", (long long)r->nunits);
	f_text(f, "text", r->text, r->text != NULL ? r->size : 0);
}

static int record_elem(void *ctx, const struct sim_msg_record_view *r)
{
	struct tfields *f = ctx;
	char id[TRACE_ID_MAX];

	tf_id(id, 'm', f->msqid, (long long)r->seq);
	tf_open(f, '{');
	tf_record(f, id, r);
	tf_close(f, '}');
	if (r->data_unit >= 0 && f->units != NULL) {
		struct unit_owner u = { (size_t)r->data_unit, r->seq, f->msqid };

		if (bytebuf_put(f->units, &u, sizeof(u)) < 0)
			f->b->failed = 1;
	}
	return 0;
}

static int waiter_elem(void *ctx, const struct sim_msg_waiter_view *w)
{
	struct tfields *f = ctx;

	tf_open(f, '{');
	f_proc(f, w->pid, 1);
	f_str(f, "role", w->role == SIM_WAIT_SEND ? "send" : "receive");
	f_int_or_null(f, "msgtyp", w->role == SIM_WAIT_RECV, w->msgtyp);
	f_int(f, "msgflg", w->msgflg);
	f_int(f, "msgsz", (long long)w->msgsz);
	tf_close(f, '}');
	return 0;
}

void tf_queue(struct tfields *f, const char *id, int idx, int msqid,
              const struct ipcsim_msqid_ds *ds)
{
	const struct ipcsim_ipc_perm *pm = &ds->msg_perm;

	f_id(f, id);
	f_int(f, "msqid", msqid);
	f_int(f, "index", idx);
	f_key_mode(f, "key", "0x%08lx", (unsigned long)pm->key & 0xffffffffUL);
	f_int(f, "uid", pm->uid);
	f_int(f, "gid", pm->gid);
	f_int(f, "cuid", pm->cuid);
	f_int(f, "cgid", pm->cgid);
	f_key_mode(f, "mode", "0%lo", pm->mode & 0777);
	if (key(f, "qnum", F_STATE))
		tbuf_int(f->b, (long long)ds->msg_qnum);
	if (key(f, "cbytes", F_STATE))
		tbuf_int(f->b, (long long)ds->msg_cbytes);
	f_int(f, "qbytes", (long long)ds->msg_qbytes);
	f_int(f, "lspid", ds->msg_lspid);
	f_int(f, "lrpid", ds->msg_lrpid);
	f_int(f, "stime", ds->msg_stime);
	f_int(f, "rtime", ds->msg_rtime);
	f_int(f, "ctime", ds->msg_ctime);
	f->msqid = msqid;
	if (f_list(f, "records", F_STATE)) {
		sim_msg_records(f->k, msqid, record_elem, f);
		tf_close(f, ']');
	}
	f_list(f, "waiters", 0);
	sim_msg_waiters(f->k, msqid, waiter_elem, f);
	tf_close(f, ']');
}

static int by_unit(const void *a, const void *b)
{
	const struct unit_owner *x = a, *y = b;

	return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static int extent_elem(void *ctx, const struct sim_area_extent_view *e)
{
	struct tfields *f = ctx;
	struct unit_owner want = { e->first_unit, 0, 0 }, *owner = NULL;
	char id[TRACE_ID_MAX];

	tf_open(f, '{');
	f_int(f, "first", (long long)e->first_unit);
	f_int(f, "nunits", (long long)e->nunits);
	f_bool(f, "used", e->used);
	if (e->used) {
		tf_id(id, 'q', e->msqid, -1);
		f_str(f, "queue", id);
		f_int(f, "mtype", e->mtype);
		if (f->units != NULL && f->units->len > 0)
			owner = bsearch(&want, f->units->b, f->units->len / sizeof(want),
			                sizeof(want), by_unit);
		if (owner != NULL) {
			tf_id(id, 'm', owner->msqid, (long long)owner->seq);
			f_str(f, "record", id);
		}
	}
	tf_close(f, '}');
	return 0;
}

/* The area; its extents name the records the state has written (f->units). */
void tf_area(struct tfields *f, const struct sim_area_info *info)
{
	struct sim_area_info again;

	f_int(f, "unit", (long long)info->unit);
	f_int(f, "nunits", (long long)info->nunits);
	if (key(f, "used", F_STATE))
		tbuf_int(f->b, (long long)info->used_units);
	f_int(f, "pool", (long long)info->pool_limit);
	if (f_list(f, "extents", F_STATE)) {
		if (f->units != NULL && f->units->len > 0)
			qsort(f->units->b, f->units->len / sizeof(struct unit_owner),
			      sizeof(struct unit_owner), by_unit);
		sim_msg_area(f->k, &again, extent_elem, f);
		tf_close(f, ']');
	}
}

/* ---- shared memory and semaphores ----------------------------------------- */

/* A segment's or a set's id, number, key, owner and mode. */
static void f_head(struct tfields *f, const char *id, const char *idkey, int num,
                   const struct ipcsim_ipc_perm *perm)
{
	f_id(f, id);
	f_int(f, idkey, num);
	f_key_mode(f, "key", "0x%08lx", (unsigned long)perm->key & 0xffffffffUL);
	f_int(f, "uid", perm->uid);
	f_int(f, "gid", perm->gid);
	f_key_mode(f, "mode", "0%lo", perm->mode & 0777);
}

static int attachment_elem(void *ctx, const struct sim_attach_view *a)
{
	struct tfields *f = ctx;

	tf_open(f, '{');
	f_proc(f, a->pid, 0);
	f_key_mode(f, "addr", "0x%lx", a->addr);
	f_int(f, "len", (long long)a->len);
	f_bool(f, "readonly", a->rdonly);
	tf_close(f, '}');
	return 0;
}

/*
 * The segment's written regions, each the way it was written
 * (render_shm_regions, as `show` draws them): "long" with its values, "text"
 * with the text, "hex"; every one with its first bytes in hex (the other
 * views of the same bytes) and the process that wrote it.
 */
#define SEG_HEAD_BYTES 32 /* "text" and "longs" of a segment: its first bytes */
#define SEG_REGIONS_MAX 64
#define REGION_BYTES 64   /* bytes of a region given in "hex"; its first 8 longs */

static int region_elem(void *ctx, const struct render_mem_region *r)
{
	static const char *const kinds[] = { "long", "text", "hex" };
	struct tfields *f = ctx;
	unsigned char b[REGION_BYTES];
	char hex[REGION_BYTES * 2 + 1];
	size_t n = r->len < REGION_BYTES ? r->len : REGION_BYTES;

	if (f->regions >= SEG_REGIONS_MAX) {
		f->regions_more++;
		return 0;
	}
	if (sim_shm_peek(f->k, f->shmid, r->off, b, n) < 0)
		return 1;
	f->regions++;
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	hex[2 * n] = '\0';
	tf_open(f, '{');
	f_int(f, "off", (long long)r->off);
	f_int(f, "len", (long long)r->len);
	f_str(f, "kind", kinds[r->kind]);
	f_proc(f, r->pid, 1);
	f_str(f, "hex", hex);
	if (r->kind == RENDER_MEM_LONG)
		f_longs(f, "values", b, n);
	else if (r->kind == RENDER_MEM_TEXT)
		f_text(f, "text", b, n);
	tf_close(f, '}');
	return 0;
}

void tf_segment(struct tfields *f, const char *id, int shmid, const struct ipcsim_shmid_ds *ds)
{
	unsigned char head[SEG_HEAD_BYTES];
	size_t n = ds->shm_segsz < SEG_HEAD_BYTES ? ds->shm_segsz : SEG_HEAD_BYTES;

	f_head(f, id, "shmid", shmid, &ds->shm_perm);
	f_int(f, "size", (long long)ds->shm_segsz);
	f_int(f, "nattch", (long long)ds->shm_nattch);
	f_bool(f, "dest", (ds->shm_perm.mode & SHM_DEST) != 0);
	f_bool(f, "locked", (ds->shm_perm.mode & SHM_LOCKED) != 0);
	/* what it holds at its start, so a viewer can show `balance` changing */
	memset(head, 0, sizeof(head));
	if (sim_shm_peek(f->k, shmid, 0, head, n) == 0) {
		f_text(f, "text", head, n);
		f_longs(f, "longs", head, n);
	}
	f_list(f, "regions", 0);
	f->shmid = shmid;
	f->regions = f->regions_more = 0;
	if (render_shm_regions(f->k, shmid, region_elem, f) < 0)
		f->b->failed = 1;
	tf_close(f, ']');
	f_int(f, "regions_more", f->regions_more);
	f_list(f, "attachments", 0);
	sim_shm_attachments(f->k, shmid, attachment_elem, f);
	tf_close(f, ']');
}

static int sem_elem(void *ctx, const struct sim_sem_view *v)
{
	struct tfields *f = ctx;

	tf_open(f, '{');
	f_int(f, "value", v->semval);
	f_int(f, "pid", v->sempid);
	f_int(f, "ncnt", v->ncnt);
	f_int(f, "zcnt", v->zcnt);
	tf_close(f, '}');
	return 0;
}

static int sem_waiter_elem(void *ctx, const struct sim_sem_waiter_view *w)
{
	struct tfields *f = ctx;

	tf_open(f, '{');
	f_proc(f, w->pid, 0);
	f_list(f, "ops", 0);
	for (size_t i = 0; i < w->nsops; i++) {
		tf_open(f, '{');
		f_int(f, "num", w->sops[i].sem_num);
		f_int(f, "op", w->sops[i].sem_op);
		f_int(f, "flg", w->sops[i].sem_flg);
		tf_close(f, '}');
	}
	tf_close(f, ']');
	tf_close(f, '}');
	return 0;
}

static int sem_undo_elem(void *ctx, const struct sim_sem_undo_view *u)
{
	struct tfields *f = ctx;

	if (u->adj == 0)
		return 0;
	tf_open(f, '{');
	f_proc(f, u->pid, 0);
	f_int(f, "num", u->semnum);
	f_int(f, "adj", u->adj);
	tf_close(f, '}');
	return 0;
}

void tf_semset(struct tfields *f, const char *id, int semid, const struct ipcsim_semid_ds *ds)
{
	f_head(f, id, "semid", semid, &ds->sem_perm);
	f_list(f, "sems", 0);
	sim_sem_values(f->k, semid, sem_elem, f);
	tf_close(f, ']');
	f_list(f, "waiters", 0);
	sim_sem_waiters(f->k, semid, sem_waiter_elem, f);
	tf_close(f, ']');
	f_list(f, "undo", 0);
	sim_sem_undos(f->k, semid, sem_undo_elem, f);
	tf_close(f, ']');
}

int tf_indexed(struct tfields *f, char kind, void (*begin)(void *ctx),
               int (*end)(void *ctx, const char *id, int at), void *ctx)
{
	int max = kind == 's' ? sim_shm_max_idx(f->k) : sim_sem_max_idx(f->k), at = 0;

	for (int idx = 0; idx <= max; idx++) {
		union {
			struct ipcsim_shmid_ds shm;
			struct ipcsim_semid_ds sem;
		} ds;
		long num = kind == 's' ? sim_shm_stat_idx(f->k, idx, &ds.shm)
		                       : sim_sem_stat_idx(f->k, idx, &ds.sem);
		char id[TRACE_ID_MAX];

		if (num < 0)
			continue;
		tf_id(id, kind, num, -1);
		if (begin != NULL)
			begin(ctx);
		if (kind == 's')
			tf_segment(f, id, (int)num, &ds.shm);
		else
			tf_semset(f, id, (int)num, &ds.sem);
		if (end(ctx, id, at++) < 0)
			return -1;
	}
	return 0;
}

/* ---- processes, limits ---------------------------------------------------- */

static void pack_var(void *ctx, const char *name, const char *value)
{
	struct tbuf *b = ctx;

	tbuf_raw(b, name, strlen(name) + 1);
	tbuf_raw(b, value, strlen(value) + 1);
}

void tf_vars_pack(struct tbuf *b, const struct render_vars *vars, int pid)
{
	if (vars != NULL && vars->foreach != NULL)
		vars->foreach(vars->ctx, pid, pack_var, b);
}

static const char *const proc_states[] = {
	[SIM_PROC_RUNNING] = "running", [SIM_PROC_BLOCKED] = "blocked",
	[SIM_PROC_EXITED] = "exited", [SIM_PROC_KILLED] = "killed",
};

void tf_proc(struct tfields *f, const char *id, const struct sim_proc_view *v, const char *vars,
             size_t vars_len)
{
	int blocked = v->state == SIM_PROC_BLOCKED;
	const char *sig = v->state == SIM_PROC_KILLED ? strace_signal_name(v->term_sig) : NULL;
	char on[TRACE_ID_MAX];

	f_id(f, id);
	f_int(f, "pid", v->pid);
	f_str(f, "name", tf_name(f, v->pid));
	f_int(f, "ppid", v->ppid);
	f_int(f, "uid", v->uid);
	f_int(f, "gid", v->gid);
	f_str(f, "state", v->state <= SIM_PROC_KILLED ? proc_states[v->state] : "killed");
	f_str(f, "blocked_call", blocked ? v->blocked_call : NULL);
	/* what it sleeps on: a queue, or a semaphore set (semop, semtimedop) */
	tf_id(on, v->blocked_call != NULL && strncmp(v->blocked_call, "sem", 3) == 0 ? 'S' : 'q',
	      v->blocked_id, -1);
	f_str(f, "blocked_on", blocked ? on : NULL);
	f_int_or_null(f, "exit_status", v->state == SIM_PROC_EXITED, v->exit_status);
	f_int_or_null(f, "signal", v->state == SIM_PROC_KILLED, v->term_sig);
	f_str(f, "signal_name", sig);
	f_list(f, "vars", 0);
	for (const char *name = vars, *end = vars + vars_len; vars_len > 0 && name < end;) {
		const char *value = name + strlen(name) + 1;

		tf_open(f, '{');
		f_str(f, "name", name);
		f_str(f, "value", value);
		tf_close(f, '}');
		name = value + strlen(value) + 1;
	}
	tf_close(f, ']');
}

void tf_limits(struct tbuf *b, const struct sim_kernel *k)
{
	tbuf_raw(b, "{", 1);
	for (int i = 0; sim_limit_names[i] != NULL; i++) {
		long long v;

		if (sim_limit_get(k, sim_limit_names[i], &v) != 0)
			continue;
		tbuf_key(b, sim_limit_names[i]);
		/* shmmax and shmall are unsigned long, as sysctl prints them
		 * (18446744073692774399, not -16777217) */
		if (strcmp(sim_limit_names[i], "shmmax") == 0 ||
		    strcmp(sim_limit_names[i], "shmall") == 0) {
			char u[24];

			snprintf(u, sizeof(u), "%llu", (unsigned long long)v);
			tbuf_lit(b, u);
		} else {
			tbuf_int(b, v);
		}
	}
	tbuf_raw(b, "}", 1);
}

/* ---- the whole state ------------------------------------------------------ */

struct state_walk {
	struct tfields *f;
	const struct render_vars *vars;
	struct tbuf packed; /* a process's variables, packed */
};

static void state_open(void *ctx)
{
	tf_open(ctx, '{');
}

static int state_close(void *ctx, const char *id, int at)
{
	tf_close(ctx, '}');
	return 0;
}

static int state_proc(void *ctx, const struct sim_proc_view *v)
{
	struct state_walk *w = ctx;
	char id[TRACE_ID_MAX];

	w->packed.text.len = 0;
	tf_vars_pack(&w->packed, w->vars, v->pid);
	tf_id(id, 'p', v->pid, -1);
	tf_open(w->f, '{');
	tf_proc(w->f, id, v, w->packed.text.b, w->packed.text.len);
	tf_close(w->f, '}');
	return 0;
}

int trace_state_write(struct tbuf *b, const struct sim_kernel *k,
                      const struct scenario_names *names, const struct render_vars *vars)
{
	struct bytebuf units = { 0 };
	struct tfields f = { b, k, names, 0, 0, &units, 0, 0, 0, 0 };
	struct state_walk w = { .f = &f, .vars = vars };
	struct sim_area_info info;
	char id[TRACE_ID_MAX];
	int rc;

	tbuf_lit(b, "{\"clock\":");
	tbuf_int(b, sim_now(k));
	tbuf_lit(b, ",\"limits\":");
	tf_limits(b, k);
	tbuf_lit(b, ",\"msg\":[");
	for (int idx = 0, max = sim_msg_max_idx(k); idx <= max; idx++) {
		struct ipcsim_msqid_ds ds;
		long msqid = sim_msg_stat_idx(k, idx, &ds);

		if (msqid < 0)
			continue;
		tf_id(id, 'q', msqid, -1);
		tf_open(&f, '{');
		tf_queue(&f, id, idx, (int)msqid, &ds);
		tf_close(&f, '}');
	}
	tbuf_lit(b, "],\"area\":{");
	memset(&info, 0, sizeof(info));
	sim_msg_area(k, &info, NULL, NULL);
	tf_area(&f, &info);
	tbuf_lit(b, "},\"shm\":[");
	tf_indexed(&f, 's', state_open, state_close, &f);
	tbuf_lit(b, "],\"sem\":[");
	tf_indexed(&f, 'S', state_open, state_close, &f);
	tbuf_lit(b, "],\"procs\":[");
	sim_proc_foreach(k, state_proc, &w);
	tbuf_lit(b, "]}");
	rc = b->failed || w.packed.failed ? -1 : 0;
	bytebuf_free(&units);
	tbuf_free(&w.packed);
	return rc;
}
