/*
 * explore_state.c - what the explorer reads of a state: the digest that
 * says two states are the same (explore_hash_kernel) and the end state of
 * a run, the outcome it reports (explore_outcome_text).
 *
 * The digest takes everything of the simulated kernel that a later call
 * can observe or that decides what it does: queues with their ids,
 * structures, messages (text and where it sits in the data area) and
 * sleepers; segments with their structures and written bytes; semaphore
 * sets with values, last pids, sleepers and undo entries; every process's
 * state; the clock.  The interpreter adds its variables and where each
 * program stands (script_sched_hash).
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/backend.h"
#include "ipcsim/kernel.h"
#include "ipcsim/strace.h"
#include "explore/explore_int.h"

struct hasher {
	uint64_t h[2];
};

static void add(struct hasher *hs, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		hs->h[0] = (hs->h[0] ^ b[i]) * 0x100000001b3ULL;
		hs->h[1] = (hs->h[1] ^ b[i]) * 0x1000193ULL + 0x7f4a7c15ULL;
	}
	hs->h[1] ^= hs->h[1] >> 29;
}

static void add_u(struct hasher *hs, uint64_t v)
{
	add(hs, &v, sizeof(v));
}

static int on_record(void *ctx, const struct sim_msg_record_view *r)
{
	struct hasher *hs = ctx;

	add_u(hs, (uint64_t)r->mtype);
	add_u(hs, r->size);
	add_u(hs, (uint64_t)r->data_unit);
	add_u(hs, r->nunits);
	add_u(hs, r->seq);
	add(hs, r->text, r->size);
	return 0;
}

static int on_msg_waiter(void *ctx, const struct sim_msg_waiter_view *w)
{
	struct hasher *hs = ctx;

	add_u(hs, (uint64_t)w->pid);
	add_u(hs, (uint64_t)w->role);
	add_u(hs, (uint64_t)w->msgtyp);
	add_u(hs, (uint64_t)w->msgflg);
	add_u(hs, w->msgsz);
	return 0;
}

struct shm_ctx {
	struct hasher *hs;
	const struct sim_kernel *k;
	int shmid;
};

static int on_written(void *ctx, const struct sim_mem_run_view *r)
{
	struct shm_ctx *c = ctx;
	unsigned char buf[512];

	add_u(c->hs, r->off);
	add_u(c->hs, r->len);
	add_u(c->hs, (uint64_t)r->kind);
	for (size_t at = 0; at < r->len; at += sizeof(buf)) {
		size_t n = r->len - at < sizeof(buf) ? r->len - at : sizeof(buf);

		if (sim_shm_peek(c->k, c->shmid, r->off + at, buf, n) == 0)
			add(c->hs, buf, n);
	}
	return 0;
}

static int on_attach(void *ctx, const struct sim_attach_view *a)
{
	struct hasher *hs = ctx;

	add_u(hs, (uint64_t)a->pid);
	add_u(hs, a->addr);
	add_u(hs, a->len);
	add_u(hs, (uint64_t)a->rdonly);
	add_u(hs, a->pgoff);
	return 0;
}

static int on_sem(void *ctx, const struct sim_sem_view *s)
{
	struct hasher *hs = ctx;

	add_u(hs, (uint64_t)s->semval);
	add_u(hs, (uint64_t)s->sempid);
	add_u(hs, (uint64_t)s->otime);
	return 0;
}

static int on_sem_waiter(void *ctx, const struct sim_sem_waiter_view *w)
{
	struct hasher *hs = ctx;

	add_u(hs, (uint64_t)w->pid);
	add_u(hs, (uint64_t)w->deadline);
	add(hs, w->sops, w->nsops * sizeof(*w->sops));
	/* the order wake-ups are tried in */
	add_u(hs, (uint64_t)w->list_sem);
	add_u(hs, (uint64_t)w->list_zero);
	add_u(hs, (uint64_t)w->list_place);
	return 0;
}

static int on_undo(void *ctx, const struct sim_sem_undo_view *u)
{
	struct hasher *hs = ctx;

	add_u(hs, (uint64_t)u->pid);
	add_u(hs, (uint64_t)u->semnum);
	add_u(hs, (uint64_t)u->adj);
	return 0;
}

static int on_proc(void *ctx, const struct sim_proc_view *v)
{
	struct hasher *hs = ctx;

	add_u(hs, (uint64_t)v->pid);
	add_u(hs, (uint64_t)v->state);
	add_u(hs, (uint64_t)v->blocked_id);
	add_u(hs, (uint64_t)v->exit_status);
	add_u(hs, (uint64_t)v->term_sig);
	return 0;
}

void explore_hash_kernel(const struct script_sched *run, uint64_t h[2])
{
	const struct sim_kernel *k = backend_kernel(script_sched_backend(run));
	struct hasher hs = { { h[0], h[1] } };

	if (k == NULL)
		return;
	add_u(&hs, (uint64_t)sim_now(k));
	for (int idx = 0, max = sim_msg_max_idx(k); idx <= max; idx++) {
		struct ipcsim_msqid_ds ds;
		long id;

		memset(&ds, 0, sizeof(ds));
		if ((id = sim_msg_stat_idx(k, idx, &ds)) < 0)
			continue;
		add_u(&hs, (uint64_t)id);
		add(&hs, &ds, sizeof(ds));
		sim_msg_records(k, (int)id, on_record, &hs);
		sim_msg_waiters(k, (int)id, on_msg_waiter, &hs);
	}
	for (int idx = 0, max = sim_shm_max_idx(k); idx <= max; idx++) {
		struct ipcsim_shmid_ds ds;
		struct shm_ctx c = { &hs, k, 0 };
		long id;

		memset(&ds, 0, sizeof(ds));
		if ((id = sim_shm_stat_idx(k, idx, &ds)) < 0)
			continue;
		c.shmid = (int)id;
		add_u(&hs, (uint64_t)id);
		add(&hs, &ds, sizeof(ds));
		sim_shm_written(k, (int)id, on_written, &c);
		sim_shm_attachments(k, (int)id, on_attach, &hs);
	}
	for (int idx = 0, max = sim_sem_max_idx(k); idx <= max; idx++) {
		struct ipcsim_semid_ds ds;
		long id;

		memset(&ds, 0, sizeof(ds));
		if ((id = sim_sem_stat_idx(k, idx, &ds)) < 0)
			continue;
		add_u(&hs, (uint64_t)id);
		add(&hs, &ds, sizeof(ds));
		sim_sem_values(k, (int)id, on_sem, &hs);
		sim_sem_waiters(k, (int)id, on_sem_waiter, &hs);
		sim_sem_undos(k, (int)id, on_undo, &hs);
	}
	sim_proc_foreach(k, on_proc, &hs);
	h[0] = hs.h[0];
	h[1] = hs.h[1];
}

/* ---- the end state ---------------------------------------------------------- */

struct outcome_ctx {
	FILE *w;
	const struct sim_kernel *k;
	int items;
	unsigned long addr;
	int found;
	long value;
};

static void sep(struct outcome_ctx *c)
{
	if (c->items++ > 0)
		fputs(", ", c->w);
}

static int find_addr(void *ctx, const struct sim_attach_view *a)
{
	struct outcome_ctx *c = ctx;

	if (c->found || c->addr < a->addr || c->addr + sizeof(long) > a->addr + a->len)
		return 0;
	c->found = sim_shm_peek(c->k, a->shmid, c->addr - a->addr + a->pgoff * 4096, &c->value,
	                        sizeof(c->value)) == 0;
	return c->found;
}

static int proc_addr(void *ctx, const struct sim_proc_view *v)
{
	struct outcome_ctx *c = ctx;

	sim_proc_attachments(c->k, v->pid, find_addr, c);
	return c->found;
}

static int sem_value(void *ctx, const struct sim_sem_view *s)
{
	struct outcome_ctx *c = ctx;

	fprintf(c->w, "%s%d", s->semnum > 0 ? ", " : "", s->semval);
	return 0;
}

static int count_record(void *ctx, const struct sim_msg_record_view *r)
{
	(*(long *)ctx)++;
	return 0;
}

static int on_var(void *ctx, const char *name, const char *text, long long value, int is_int,
                  unsigned roles)
{
	struct outcome_ctx *c = ctx;

	if (roles & SCHED_VAR_LOCAL)
		return 0;
	if ((roles & SCHED_VAR_ADDR) && is_int) {
		c->addr = (unsigned long)value;
		c->found = 0;
		sim_proc_foreach(c->k, proc_addr, c);
		if (c->found) {
			sep(c);
			fprintf(c->w, "*%s = %ld", name, c->value);
		}
	}
	if ((roles & SCHED_VAR_SEM) && is_int) {
		sep(c);
		fprintf(c->w, "%s = [", name);
		if (sim_sem_values(c->k, (int)value, sem_value, c) < 0)
			fputs("removed", c->w);
		fputc(']', c->w);
	}
	if ((roles & SCHED_VAR_QUEUE) && is_int) {
		long n = 0;

		sep(c);
		if (sim_msg_records(c->k, (int)value, count_record, &n) < 0)
			fprintf(c->w, "%s removed", name);
		else
			fprintf(c->w, "%s holds %ld message%s", name, n, n == 1 ? "" : "s");
	}
	if (roles & SCHED_VAR_AFTER) {
		sep(c);
		fprintf(c->w, "%s = %s", name, text);
	}
	return 0;
}

static int on_blocked(void *ctx, const char *proc, const char *call, int line)
{
	struct outcome_ctx *c = ctx;

	sep(c);
	fprintf(c->w, "%s blocked in %s (line %d)", proc, call, line);
	return 0;
}

/* "left: 1 queue, 1 segment, 2 sets": the IPC objects not removed. */
static void objects_left(struct outcome_ctx *c)
{
	int queues = 0, segments = 0, sets = 0;
	long messages, bytes, sems;
	unsigned long pages, rss;

	sim_msg_totals(c->k, &queues, &messages, &bytes);
	sim_shm_totals(c->k, &segments, &pages, &rss);
	sim_sem_totals(c->k, &sets, &sems);
	sep(c);
	if (queues + segments + sets == 0) {
		fputs("nothing left", c->w);
		return;
	}
	fputs("left:", c->w);
	if (queues > 0)
		fprintf(c->w, " %d queue%s", queues, queues == 1 ? "" : "s");
	if (segments > 0)
		fprintf(c->w, "%s %d segment%s", queues ? "," : "", segments, segments == 1 ? "" : "s");
	if (sets > 0)
		fprintf(c->w, "%s %d semaphore set%s", queues + segments ? "," : "", sets,
		        sets == 1 ? "" : "s");
}

struct killed_ctx {
	struct outcome_ctx *c;
	const struct script_sched *run;
};

static int on_killed(void *ctx, const struct sim_proc_view *v)
{
	struct killed_ctx *kc = ctx;
	const char *name = script_sched_proc_name(kc->run, v->pid);

	if (v->state != SIM_PROC_KILLED || name == NULL)
		return 0;
	sep(kc->c);
	fprintf(kc->c->w, "%s killed by %s", name, strace_signal_name(v->term_sig) != NULL
	                                         ? strace_signal_name(v->term_sig) : "a signal");
	return 0;
}

char *explore_outcome_text(const struct script_sched *run)
{
	struct killed_ctx kc;
	struct outcome_ctx c = { 0 };
	char *text = NULL;
	size_t len = 0;
	const char *msg;
	int line;

	c.k = backend_kernel(script_sched_backend(run));
	c.w = open_memstream(&text, &len);
	if (c.w == NULL)
		return NULL;
	if ((line = script_sched_error(run, &msg)) > 0) {
		sep(&c);
		fprintf(c.w, "runtime error at line %d: %s", line, msg);
	}
	if (script_sched_deadlocks(run) > 0) {
		sep(&c);
		fputs("DEADLOCK", c.w);
	}
	if (script_sched_failed(run, &line) > 0) {
		sep(&c);
		fprintf(c.w, "FAILED line %d", line);
	}
	if (c.k != NULL)
		script_sched_vars(run, on_var, &c);
	script_sched_blocked(run, on_blocked, &c);
	if (c.k != NULL)
		objects_left(&c);
	kc.c = &c;
	kc.run = run;
	if (c.k != NULL)
		sim_proc_foreach(c.k, on_killed, &kc);
	if (fclose(c.w) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
