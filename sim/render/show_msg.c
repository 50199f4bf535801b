/*
 * show_msg.c - message queues and the kernel data area in `show`:
 *
 *   == Message queues (1) ====...
 *     key         msqid owner    perms   qnum cbytes qbytes lspid lrpid
 *     0x00001234      0 user     0666      2     12  16384  1000  1001
 *   -- q 0 (key 0x00001234): 2 messages, 12 bytes ----...
 *   ~ head -> [A 300 "hello" 5 B @u0] -> -[B 100 "b" 2 B @u1] -> NULL
 *     asleep: P2 (1001) msgrcv type 400, buffer 512 B
 *   == Kernel data area: 64 units of 16 B, 1 used, grows ====...
 *   ~      0 |A...............................................................|
 *   ~ free: u1-63 (63)
 *
 * A record is [label mtype "text" size @first unit of its text].  Its label
 * is a letter fixed by its queue's index (A-Z for index 0, a-z for 1,
 * digits after) and its arrival number in that queue: the second message
 * ever sent to q 0 is B as long as it lives, whatever is received before it,
 * and B in the strip is its text.  Compared with an earlier drawing, a chain
 * shows the records that came (+[...]) and the ones taken (-[...], drawn
 * where they were), as the HTML trace does.  The strip has one cell per
 * unit, or per group of units when there are more than fit in four rows;
 * a cell shows the label of the message whose text is there ('*' when
 * several share a group, '.' when free).
 */
#include <stdlib.h>
#include <string.h>

#include "render/show_int.h"

#define STRIP_CELLS 64 /* cells per strip row */
#define STRIP_ROWS 4
#define TEXT_SHOWN 10  /* columns of a record's text in its chain */

static char record_label(int idx, unsigned long long seq)
{
	static const char *const sets[] = { "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
		                            "abcdefghijklmnopqrstuvwxyz", "0123456789" };
	const char *set = sets[idx < 2 ? idx : 2];

	return set[seq % strlen(set)];
}

/* ---- a queue's chain ---------------------------------------------------------- */

struct rec {
	char key[SHOW_KEY];
	char text[96];
	char mark;
};

struct chain {
	struct show *s;
	int idx, msqid;
	struct rec *v;
	size_t n, cap;
	int oom;
};

static int push_rec(struct chain *c, const char *key, const char *text, char mark)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct rec *v = realloc(c->v, cap * sizeof(*v));

		if (v == NULL) {
			c->oom = 1;
			return 1;
		}
		c->v = v;
		c->cap = cap;
	}
	show_copy(c->v[c->n].key, SHOW_KEY, key);
	show_copy(c->v[c->n].text, sizeof(c->v[c->n].text), text);
	c->v[c->n++].mark = mark;
	return 0;
}

static int chain_record(void *ctx, const struct sim_msg_record_view *r)
{
	struct chain *c = ctx;
	char key[SHOW_KEY], text[40], item[96];
	struct show_text k, it;

	show_text_init(&k, key, sizeof(key)); /* m<msqid>.<seq> */
	show_text_char(&k, 'm');
	show_text_int(&k, c->msqid);
	show_text_char(&k, '.');
	show_text_uint(&k, r->seq);
	/* [label mtype "text" size B @u<unit>], the text left out without a unit */
	show_quote(text, sizeof(text), r->text, r->text != NULL ? r->size : 0, TEXT_SHOWN);
	show_text_init(&it, item, sizeof(item));
	show_text_char(&it, '[');
	show_text_char(&it, record_label(c->idx, r->seq));
	show_text_char(&it, ' ');
	show_text_int(&it, r->mtype);
	show_text_str(&it, " \"");
	show_text_str(&it, r->data_unit >= 0 ? text : "");
	show_text_str(&it, "\" ");
	show_text_uint(&it, r->size);
	show_text_str(&it, " B");
	if (r->data_unit >= 0) {
		show_text_str(&it, " @u");
		show_text_int(&it, r->data_unit);
	}
	show_text_char(&it, ']');
	return push_rec(c, key, item, ' ');
}

static int find_rec(const struct chain *c, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c->v[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* The chain of the earlier drawing merged in: records gone since are put
 * back, marked '-', where they were; new ones are marked '+'. */
struct merge {
	struct chain *now, *out;
};

static void merge_old(void *ctx, const char *key, const char *text)
{
	struct merge *m = ctx;
	int i = find_rec(m->now, m->now->n, key);

	if (i >= 0)
		push_rec(m->out, key, m->now->v[i].text, ' ');
	else
		push_rec(m->out, key, text, '-');
}

static void describe_type(char *buf, size_t len, long msgtyp, int msgflg)
{
	if (msgtyp == 0)
		snprintf(buf, len, "any type");
	else if (msgtyp < 0)
		snprintf(buf, len, "type <= %ld", -msgtyp);
	else if (msgflg & MSG_EXCEPT)
		snprintf(buf, len, "type != %ld", msgtyp);
	else
		snprintf(buf, len, "type %ld", msgtyp);
}

static int chain_waiter(void *ctx, const struct sim_msg_waiter_view *w)
{
	struct chain *c = ctx;
	char what[96], key[SHOW_KEY], group[16];

	if (w->role == SIM_WAIT_SEND) {
		snprintf(what, sizeof(what), "msgsnd of %zu B (queue full)", w->msgsz);
	} else {
		char type[32];
		describe_type(type, sizeof(type), w->msgtyp, w->msgflg);
		snprintf(what, sizeof(what), "msgrcv %s, buffer %zu B", type, w->msgsz);
	}
	snprintf(group, sizeof(group), "q%d", c->msqid);
	snprintf(key, sizeof(key), "q%d/w%d", c->msqid, w->pid);
	show_add(c->s, ROLE_ITEM, PRIO_KEY, key, group, "asleep: %.12s (%d) %s",
	         show_proc_name(c->s, w->pid), w->pid, what);
	return 0;
}

static void show_chain(struct show *s, int idx, int msqid, const struct ipcsim_msqid_ds *ds)
{
	struct chain now = { s, idx, msqid, NULL, 0, 0, 0 }, merged = now;
	struct merge m = { &now, &merged };
	const struct chain *draw = &now;
	char group[16], key[SHOW_KEY];
	struct show_text g;
	struct flow f;

	show_text_init(&g, group, sizeof(group));
	show_text_char(&g, 'q');
	show_text_int(&g, msqid);
	show_sub(s, group, "q %d (key 0x%08x): %lu message%s, %lu bytes", msqid, ds->msg_perm.key,
	         ds->msg_qnum, ds->msg_qnum == 1 ? "" : "s", ds->msg_cbytes);
	sim_msg_records(s->k, msqid, chain_record, &now);
	/* every record, for the next drawing's merge */
	for (size_t i = 0; i < now.n; i++)
		show_add_text(s, ROLE_HIDDEN, 0, now.v[i].key, group, now.v[i].text);
	if (s->since != NULL) {
		show_memo_each(s->since, ROLE_HIDDEN, group, merge_old, &m);
		for (size_t i = 0; i < now.n; i++)
			if (find_rec(&merged, merged.n, now.v[i].key) < 0)
				push_rec(&merged, now.v[i].key, now.v[i].text, '+');
		draw = &merged;
	}
	show_copy(key, sizeof(key), group);
	show_copy(key + strlen(key), sizeof(key) - strlen(key), "/chain");
	show_flow_begin(&f, s, PRIO_BODY, key, group, "head");
	for (size_t i = 0; i < draw->n && !draw->oom; i++) {
		char item[104];
		struct show_text it;

		show_text_init(&it, item, sizeof(item));
		if (draw->v[i].mark != ' ')
			show_text_char(&it, draw->v[i].mark == '+' ? '+' : '-');
		show_text_str(&it, draw->v[i].text);
		show_flow_item(&f, " -> ", item);
	}
	show_flow_item(&f, " -> ", "NULL");
	show_flow_end(&f);
	sim_msg_waiters(s->k, msqid, chain_waiter, &now);
	free(now.v);
	free(merged.v);
}

void show_msg(struct show *s)
{
	int max = sim_msg_max_idx(s->k), count = 0;
	struct ipcsim_msqid_ds ds;
	char buf[16], key[32];

	s->sect = SECT_MSG;
	for (int idx = 0; idx <= max; idx++)
		if (sim_msg_stat_idx(s->k, idx, &ds) >= 0)
			count++;
	if (count == 0)
		return;
	show_banner(s, "Message queues (%d)", count);
	show_add(s, ROLE_HEAD, PRIO_HEAD, "hq", NULL,
	         "key         msqid owner    perms   qnum cbytes qbytes lspid lrpid");
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_msg_stat_idx(s->k, idx, &ds);

		if (id < 0)
			continue;
		struct show_text k;

		show_text_init(&k, key, sizeof(key));
		show_text_char(&k, 'q');
		show_text_int(&k, id);
		show_add(s, ROLE_ITEM, PRIO_ROW, key, NULL,
		         "0x%08x %6ld %-8.8s %04o %6lu %6lu %6lu %5d %5d", ds.msg_perm.key, id,
		         show_user_name(s, ds.msg_perm.uid, buf), ds.msg_perm.mode & 0777,
		         ds.msg_qnum, ds.msg_cbytes, ds.msg_qbytes, ds.msg_lspid, ds.msg_lrpid);
	}
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_msg_stat_idx(s->k, idx, &ds);

		if (id >= 0)
			show_chain(s, idx, (int)id, &ds);
	}
}

/* ---- the kernel data area ------------------------------------------------ */

struct extents {
	struct sim_area_extent_view *v;
	char *label;         /* per extent: its record's label, or '?' */
	size_t n, cap;
	int oom;
};

static int collect_extent(void *ctx, const struct sim_area_extent_view *e)
{
	struct extents *x = ctx;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 32;
		struct sim_area_extent_view *nv = realloc(x->v, cap * sizeof(*nv));
		char *nl = nv != NULL ? realloc(x->label, cap) : NULL;

		if (nv != NULL)
			x->v = nv;
		if (nl == NULL) {
			x->oom = 1;
			return 1;
		}
		x->label = nl;
		x->cap = cap;
	}
	x->label[x->n] = '?';
	x->v[x->n++] = *e;
	return 0;
}

/* Labels the extent whose text a record holds (the one at its first unit). */
struct labeling {
	struct extents *x;
	int idx;
};

static int label_record(void *ctx, const struct sim_msg_record_view *r)
{
	struct labeling *l = ctx;

	for (size_t i = 0; r->data_unit >= 0 && i < l->x->n; i++)
		if (l->x->v[i].used && l->x->v[i].first_unit == (size_t)r->data_unit)
			l->x->label[i] = record_label(l->idx, r->seq);
	return 0;
}

/* The cell covering units [first, first + n). */
static char cell_char(const struct extents *x, size_t first, size_t n)
{
	int owners = 0;
	char c = '.';

	for (size_t i = 0; i < x->n; i++) {
		const struct sim_area_extent_view *e = &x->v[i];

		if (!e->used || e->first_unit >= first + n || e->first_unit + e->nunits <= first)
			continue;
		owners++;
		c = x->label[i];
	}
	return owners > 1 ? '*' : c;
}

static void show_strip(struct show *s, const struct extents *x, size_t nunits)
{
	size_t group = 1, cells;
	char row_text[STRIP_CELLS + 1], key[24];

	while ((nunits + group - 1) / group > STRIP_CELLS * STRIP_ROWS)
		group *= 2;
	cells = (nunits + group - 1) / group;
	if (group > 1)
		show_add(s, ROLE_NOTE, PRIO_NOTE, NULL, "area", "one cell = %zu units", group);
	for (size_t row = 0; row * STRIP_CELLS < cells; row++) {
		size_t first_cell = row * STRIP_CELLS, n = 0;

		for (size_t c = first_cell; c < cells && c < first_cell + STRIP_CELLS; c++)
			row_text[n++] = cell_char(x, c * group, group);
		row_text[n] = '\0';
		snprintf(key, sizeof(key), "area/%zu", first_cell * group);
		show_add(s, ROLE_ITEM, PRIO_BODY, key, "area", "%6zu |%s|", first_cell * group,
		         row_text);
	}
}

static void unit_range(char *buf, size_t len, size_t first, size_t n)
{
	if (n == 1)
		snprintf(buf, len, "u%zu", first);
	else
		snprintf(buf, len, "u%zu-%zu", first, first + n - 1);
}

static void show_free(struct show *s, const struct extents *x)
{
	struct flow f;
	char range[48], item[112];
	int nfree = 0;

	show_flow_begin(&f, s, PRIO_NOTE, "area/free", "area", "free:");
	f.indent = 6;
	for (size_t i = 0; i < x->n; i++) {
		const struct sim_area_extent_view *e = &x->v[i];

		if (e->used)
			continue;
		unit_range(range, sizeof(range), e->first_unit, e->nunits);
		snprintf(item, sizeof(item), "%s (%zu)", range, e->nunits);
		show_flow_item(&f, nfree ? ", " : " ", item);
		nfree++;
	}
	if (!nfree)
		show_flow_item(&f, " ", "none");
	show_flow_end(&f);
}

void show_area(struct show *s)
{
	struct sim_area_info info = { 0 };
	struct extents x = { 0 };
	int max = sim_msg_max_idx(s->k);

	s->sect = SECT_AREA;
	sim_msg_area(s->k, &info, collect_extent, &x);
	/* the area matters once a queue can put text in it */
	if (info.nunits == 0 || (max < 0 && info.used_units == 0))
		goto out;
	for (int idx = 0; idx <= max && !x.oom; idx++) {
		struct ipcsim_msqid_ds ds;
		long id = sim_msg_stat_idx(s->k, idx, &ds);
		struct labeling l = { &x, idx };

		if (id >= 0)
			sim_msg_records(s->k, (int)id, label_record, &l);
	}
	if (info.pool_limit)
		show_banner(s, "Kernel data area: %zu units of %zu B, %zu used, fixed pool %zu B",
		            info.nunits, info.unit, info.used_units, info.pool_limit);
	else
		show_banner(s, "Kernel data area: %zu units of %zu B, %zu used, grows",
		            info.nunits, info.unit, info.used_units);
	if (x.oom) {
		show_add(s, ROLE_NOTE, PRIO_NOTE, NULL, NULL, "(out of memory drawing the data area)");
		goto out;
	}
	show_strip(s, &x, info.nunits);
	show_free(s, &x);
out:
	free(x.v);
	free(x.label);
}
