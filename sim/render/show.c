/*
 * show.c - the `show` diagram: what the simulated kernel holds, in at most
 * 80 columns, for a student to take in at a glance.
 *
 *   == Message queues (1) ====...
 *     key         msqid owner    perms  qnum cbytes qbytes lspid lrpid
 *     0x00001234      0 user      0666     2     12  16384  1000  1001
 *   -- q 0 (key 0x00001234): 2 messages, 12 bytes ----...
 *     head -> [300: 5 B @u0] -> [1: 7 B @u1] -> NULL
 *     asleep: P2 (1001) msgrcv type 400, buffer 512 B
 *   == Kernel data area: 64 units of 16 B, 2 used, 62 free, grows ====...
 *          0 |AB..............................................................|
 *     A q0 type 300 u0         B q0 type 1 u1
 *     free: u2-63 (62)
 *   == Processes (2) ====...
 *     name        pid   uid  state
 *     P1         1000  1000  running
 *     P2         1001  1000  blocked in msgrcv on q 0
 *
 * A record is [mtype: size @first unit of its text in the data area].  The
 * data area strip has one cell per unit, or per group of units when there
 * are more than fit in four rows; a cell shows the letter of the message
 * whose text is there ('*' when several share a group, '.' when free).
 * Everything comes from the kernel's read-only views; output depends only on
 * the state (no addresses, no host time), so it is stable for tests.
 * Shared memory (show_shm.c) and semaphores (show_sem.c) follow the data
 * area, the processes come last.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/strace.h" /* signal names */
#include "render/show_int.h"

#define STRIP_CELLS 64 /* cells per strip row */
#define STRIP_ROWS 4
#define LEGEND_MAX 36  /* used extents named in the legend */

static const char extent_letters[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* ---- colour and layout --------------------------------------------------- */

void show_sgr(const struct show *s, const char *code)
{
	if (s->color)
		fprintf(s->out, "\033[%sm", code);
}

/* A queue's colour: the same in the table, its chain and the data area. */
static const char *queue_color(int msqid)
{
	static const char *const palette[] = { "32", "34", "35", "36", "33", "31" };
	return palette[(unsigned)msqid % 6];
}

void show_banner(const struct show *s, char fill, const char *fmt, ...)
{
	char title[SHOW_WIDTH];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(title, sizeof(title) - 8, fmt, ap);
	va_end(ap);
	show_sgr(s, "1");
	n = fprintf(s->out, "%c%c %s ", fill, fill, title);
	while (n++ < SHOW_WIDTH - 1)
		fputc(fill, s->out);
	show_sgr(s, "0");
	fputc('\n', s->out);
}

const char *show_user_name(const struct show *s, unsigned uid, char buf[16])
{
	const char *name = NULL;

	if (s->names && s->names->user_name)
		name = s->names->user_name(s->names->ctx, uid);
	else if (uid == 0)
		name = "root";
	if (!name) {
		snprintf(buf, 16, "%u", uid);
		return buf;
	}
	return name;
}

const char *show_proc_name(const struct show *s, int pid)
{
	const char *name = NULL;

	if (s->names && s->names->proc_name)
		name = s->names->proc_name(s->names->ctx, pid);
	return name ? name : "-";
}

void show_flow_item(struct flow *f, const char *lead, const char *color, const char *text)
{
	int len = (int)strlen(text), llen = lead ? (int)strlen(lead) : 0;

	/* a wrapped item starts its line with the lead, minus its blanks */
	if (f->col > f->indent && f->col + llen + len > SHOW_WIDTH - 1) {
		fprintf(f->s->out, "\n%*s", f->indent, "");
		f->col = f->indent;
		while (lead && *lead == ' ')
			lead++, llen--;
	}
	if (lead)
		fputs(lead, f->s->out);
	if (color)
		show_sgr(f->s, color);
	fputs(text, f->s->out);
	if (color)
		show_sgr(f->s, "0");
	f->col += llen + len;
}

/* ---- message queues ------------------------------------------------------ */

struct chain_ctx {
	struct flow flow;
	int msqid;
};

static int chain_record(void *ctx, const struct sim_msg_record_view *r)
{
	struct chain_ctx *c = ctx;
	char item[64];

	if (r->data_unit >= 0)
		snprintf(item, sizeof(item), "[%ld: %zu B @u%ld]", r->mtype, r->size, r->data_unit);
	else
		snprintf(item, sizeof(item), "[%ld: %zu B]", r->mtype, r->size);
	show_flow_item(&c->flow, c->flow.col > 2 ? " -> " : NULL, queue_color(c->msqid), item);
	return 0;
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
	struct chain_ctx *c = ctx;
	const struct show *s = c->flow.s;
	char what[96];

	if (w->role == SIM_WAIT_SEND) {
		snprintf(what, sizeof(what), "msgsnd of %zu B (queue full)", w->msgsz);
	} else {
		char type[32];
		describe_type(type, sizeof(type), w->msgtyp, w->msgflg);
		snprintf(what, sizeof(what), "msgrcv %s, buffer %zu B", type, w->msgsz);
	}
	show_sgr(s, "33");
	fprintf(s->out, "  asleep: %.12s (%d) %s\n", show_proc_name(s, w->pid), w->pid, what);
	show_sgr(s, "0");
	return 0;
}

static void show_queue_chain(const struct show *s, int msqid, const struct ipcsim_msqid_ds *ds)
{
	struct chain_ctx c = { { s, 2, 6 }, msqid };

	show_banner(s, '-', "q %d (key 0x%08x): %lu message%s, %lu bytes", msqid, ds->msg_perm.key,
	       ds->msg_qnum, ds->msg_qnum == 1 ? "" : "s", ds->msg_cbytes);
	fputs("  head", s->out);
	c.flow.col = 6;
	sim_msg_records(s->k, msqid, chain_record, &c);
	show_flow_item(&c.flow, " -> ", NULL, "NULL");
	fputc('\n', s->out);
	sim_msg_waiters(s->k, msqid, chain_waiter, &c);
}

static void show_queues(const struct show *s)
{
	int max = sim_msg_max_idx(s->k), count = 0;
	struct ipcsim_msqid_ds ds;
	char buf[16];

	for (int idx = 0; idx <= max; idx++)
		if (sim_msg_stat_idx(s->k, idx, &ds) >= 0)
			count++;
	show_banner(s, '=', "Message queues (%d)", count);
	if (count == 0) {
		fputs("  (none)\n", s->out);
		return;
	}
	fputs("  key         msqid owner    perms   qnum cbytes qbytes lspid lrpid\n", s->out);
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_msg_stat_idx(s->k, idx, &ds);
		if (id < 0)
			continue;
		show_sgr(s, queue_color((int)id));
		fprintf(s->out, "  0x%08x %6ld %-8.8s %04o %6lu %6lu %6lu %5d %5d\n",
		        ds.msg_perm.key, id, show_user_name(s, ds.msg_perm.uid, buf),
		        ds.msg_perm.mode & 0777, ds.msg_qnum, ds.msg_cbytes, ds.msg_qbytes,
		        ds.msg_lspid, ds.msg_lrpid);
		show_sgr(s, "0");
	}
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_msg_stat_idx(s->k, idx, &ds);
		if (id >= 0)
			show_queue_chain(s, (int)id, &ds);
	}
}

/* ---- the kernel data area ------------------------------------------------ */

struct extents {
	struct sim_area_extent_view *v;
	size_t n, cap;
	int oom;
};

static int collect_extent(void *ctx, const struct sim_area_extent_view *e)
{
	struct extents *x = ctx;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 32;
		struct sim_area_extent_view *nv = realloc(x->v, cap * sizeof(*nv));
		if (!nv) {
			x->oom = 1;
			return 1;
		}
		x->v = nv;
		x->cap = cap;
	}
	x->v[x->n++] = *e;
	return 0;
}

/* Letter index of each used extent, in address order. */
static int used_rank(const struct extents *x, size_t i)
{
	int rank = 0;

	for (size_t j = 0; j < i; j++)
		rank += x->v[j].used;
	return rank;
}

/* The cell covering units [first, first + n): its character and owner. */
static char cell_char(const struct extents *x, size_t first, size_t n, int *msqid)
{
	int owners = 0;
	char c = '.';

	for (size_t i = 0; i < x->n; i++) {
		const struct sim_area_extent_view *e = &x->v[i];
		if (!e->used || e->first_unit >= first + n || e->first_unit + e->nunits <= first)
			continue;
		owners++;
		c = extent_letters[used_rank(x, i) % (int)(sizeof(extent_letters) - 1)];
		*msqid = e->msqid;
	}
	return owners > 1 ? '*' : c;
}

static void show_strip(const struct show *s, const struct extents *x, size_t nunits)
{
	size_t group = 1, cells;

	while ((nunits + group - 1) / group > STRIP_CELLS * STRIP_ROWS)
		group *= 2;
	cells = (nunits + group - 1) / group;
	if (group > 1)
		fprintf(s->out, "  one cell = %zu units\n", group);
	for (size_t row = 0; row * STRIP_CELLS < cells; row++) {
		size_t first_cell = row * STRIP_CELLS;
		fprintf(s->out, "  %6zu |", first_cell * group);
		for (size_t c = first_cell; c < cells && c < first_cell + STRIP_CELLS; c++) {
			int msqid = -1;
			char ch = cell_char(x, c * group, group, &msqid);
			if (ch != '.' && ch != '*')
				show_sgr(s, queue_color(msqid));
			fputc(ch, s->out);
			if (ch != '.' && ch != '*')
				show_sgr(s, "0");
		}
		fputs("|\n", s->out);
	}
}

static void unit_range(char *buf, size_t len, size_t first, size_t n)
{
	if (n == 1)
		snprintf(buf, len, "u%zu", first);
	else
		snprintf(buf, len, "u%zu-%zu", first, first + n - 1);
}

static void show_legend(const struct show *s, const struct extents *x)
{
	int shown = 0, used = 0, col = 0;
	char range[48], item[112];
	struct flow free_flow = { s, 0, 8 };

	for (size_t i = 0; i < x->n; i++) {
		const struct sim_area_extent_view *e = &x->v[i];
		if (!e->used)
			continue;
		used++;
		if (shown >= LEGEND_MAX)
			continue;
		unit_range(range, sizeof(range), e->first_unit, e->nunits);
		snprintf(item, sizeof(item), "%c q%d type %ld %s",
		         extent_letters[used_rank(x, i) % (int)(sizeof(extent_letters) - 1)],
		         e->msqid, e->mtype, range);
		if (col == 0)
			fputs("  ", s->out);
		show_sgr(s, queue_color(e->msqid));
		fprintf(s->out, "%.24s", item); /* three columns of 25 fit in 80 */
		show_sgr(s, "0");
		shown++;
		if (++col < 3)
			fprintf(s->out, "%*s", 25 - (int)strnlen(item, 24), "");
		if (col == 3) {
			fputc('\n', s->out);
			col = 0;
		}
	}
	if (col)
		fputc('\n', s->out);
	if (used > shown)
		fprintf(s->out, "  (+%d more messages)\n", used - shown);

	fputs("  free: ", s->out);
	free_flow.col = 8;
	int nfree = 0;
	for (size_t i = 0; i < x->n; i++) {
		const struct sim_area_extent_view *e = &x->v[i];
		if (e->used)
			continue;
		unit_range(range, sizeof(range), e->first_unit, e->nunits);
		snprintf(item, sizeof(item), "%s (%zu)", range, e->nunits);
		show_flow_item(&free_flow, nfree ? ", " : NULL, NULL, item);
		nfree++;
	}
	if (!nfree)
		fputs("none", s->out);
	fputc('\n', s->out);
}

static void show_area(const struct show *s)
{
	struct sim_area_info info = { 0 };
	struct extents x = { 0 };

	sim_msg_area(s->k, &info, collect_extent, &x);
	if (info.pool_limit)
		show_banner(s, '=', "Kernel data area: %zu units of %zu B, %zu used, fixed pool %zu B",
		       info.nunits, info.unit, info.used_units, info.pool_limit);
	else
		show_banner(s, '=', "Kernel data area: %zu units of %zu B, %zu used, grows",
		       info.nunits, info.unit, info.used_units);
	if (x.oom) {
		fputs("  (out of memory drawing the data area)\n", s->out);
		goto out;
	}
	if (info.nunits == 0) {
		fputs("  (empty)\n", s->out);
		goto out;
	}
	show_strip(s, &x, info.nunits);
	show_legend(s, &x);
out:
	free(x.v);
}

/* ---- processes ----------------------------------------------------------- */

static int show_proc(void *ctx, const struct sim_proc_view *v)
{
	const struct show *s = ctx;
	char state[64];
	const char *color = NULL;

	switch (v->state) {
	case SIM_PROC_RUNNING:
		snprintf(state, sizeof(state), "running");
		break;
	case SIM_PROC_BLOCKED:
		snprintf(state, sizeof(state), "blocked in %s on %s %d",
		         v->blocked_call ? v->blocked_call : "a call",
		         v->blocked_call && strncmp(v->blocked_call, "sem", 3) == 0 ? "sem" : "q",
		         v->blocked_id);
		color = "33";
		break;
	case SIM_PROC_EXITED:
		snprintf(state, sizeof(state), "exited %d", v->exit_status);
		color = "2";
		break;
	case SIM_PROC_KILLED: {
		const char *sig = strace_signal_name(v->term_sig);
		if (sig)
			snprintf(state, sizeof(state), "killed by %s", sig);
		else
			snprintf(state, sizeof(state), "killed by signal %d", v->term_sig);
		color = "31";
		break;
	}
	}
	if (color)
		show_sgr(s, color);
	fprintf(s->out, "  %-10.10s %5d %5u  %s\n", show_proc_name(s, v->pid), v->pid, v->uid, state);
	if (color)
		show_sgr(s, "0");
	return 0;
}

static int count_proc(void *ctx, const struct sim_proc_view *v)
{
	(*(int *)ctx)++;
	return 0;
}

static void show_procs(const struct show *s)
{
	int count = 0;

	sim_proc_foreach(s->k, count_proc, &count);
	show_banner(s, '=', "Processes (%d)", count);
	if (count == 0) {
		fputs("  (none)\n", s->out);
		return;
	}
	fputs("  name         pid   uid  state\n", s->out);
	sim_proc_foreach(s->k, show_proc, (void *)s);
}

void render_show(FILE *out, const struct sim_kernel *k, const struct scenario_names *names,
                 int color)
{
	struct show s = { out, k, names, color };

	if (!out || !k)
		return;
	show_queues(&s);
	show_area(&s);
	show_shm(&s);
	show_sem(&s);
	show_procs(&s);
	fflush(out);
}
