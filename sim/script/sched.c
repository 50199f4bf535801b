/*
 * sched.c - a run paused at every choice among programs (ipcsim/sched.h):
 * the interpreter's driver (interp_advance, interp_prog_step) with the
 * choices left to the caller, and what the caller needs to tell states and
 * outcomes apart.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/kernel.h"
#include "script/sched_int.h"


static int add_role(struct script_sched *r, const char *name, unsigned role)
{
	struct var_role *vr;

	HASH_FIND_STR(r->roles, name, vr);
	if (vr == NULL) {
		vr = calloc(1, sizeof(*vr));
		if (vr == NULL || (vr->name = strdup(name)) == NULL) {
			free(vr);
			return -1;
		}
		HASH_ADD_KEYPTR(hh, r->roles, vr->name, strlen(vr->name), vr);
	}
	vr->roles |= role;
	return 0;
}

unsigned sched_role_of(const struct script_sched *r, const char *name)
{
	struct var_role *vr;

	HASH_FIND_STR(r->roles, name, vr);
	return vr != NULL ? vr->roles : 0;
}

/* Whether e names a program's local that is not one of own's (the full
 * names NAME_PROC of the program's locals). */
static int names_other_local(const struct script_sched *r, const struct expr *e,
                             char *const *own, int nown)
{
	if (e == NULL)
		return 0;
	if ((e->kind == EX_NAME || e->kind == EX_ADDR) && (sched_role_of(r, e->text) & SCHED_VAR_LOCAL)) {
		int mine = 0;

		for (int i = 0; i < nown && !mine; i++)
			mine = strcmp(own[i], e->text) == 0;
		if (!mine)
			return 1;
	}
	if (names_other_local(r, e->a, own, nown) || names_other_local(r, e->b, own, nown))
		return 1;
	for (int i = 0; i < e->nitems; i++)
		if (names_other_local(r, e->items[i], own, nown))
			return 1;
	return 0;
}

static int step_names_other_local(const struct script_sched *r, const struct stmt *st,
                                  char *const *own, int nown)
{
	if (names_other_local(r, st->target, own, nown) ||
	    names_other_local(r, st->value, own, nown) ||
	    names_other_local(r, st->expect.ret, own, nown) ||
	    names_other_local(r, st->expect.payload, own, nown))
		return 1;
	for (int i = 0; i < st->nargs; i++)
		if (names_other_local(r, st->args[i], own, nown))
			return 1;
	return 0;
}

/* Whether a program's step can change what another's local arithmetic
 * reads, or end it before it runs: then the explorer's reduction is off
 * (no_local: no step is taken alone; shared_locals: no two steps commute). */
static int find_reach(struct script_sched *r, const struct script *s)
{
	for (int i = 0; i < s->nstmts; i++) {
		const struct program *pr = s->stmts[i]->prog;
		char **own;

		if (pr == NULL)
			continue;
		own = calloc((size_t)pr->nlocals + 1, sizeof(*own));
		if (own == NULL)
			return -1;
		for (int k = 0; k < pr->nlocals; k++)
			if ((own[k] = program_local_name(pr->locals[k], s->stmts[i]->proc)) == NULL)
				r->shared_locals = 1; /* out of memory: assume the worst */
		for (int k = 0; k < pr->ncode; k++) {
			const struct stmt *st = pr->code[k].st;
			const struct expr *base;

			if (names_other_local(r, pr->code[k].e, own, pr->nlocals))
				r->shared_locals = 1;
			if (st == NULL)
				continue;
			if (step_names_other_local(r, st, own, pr->nlocals))
				r->shared_locals = 1;
			if (st->kind == ST_CALL && (st->call->perform == perform_kill ||
			                            (st->call->flags & CALL_BINDS_PROCESS)))
				r->no_local = 1;
			if (st->kind != ST_SETFIELD)
				continue;
			for (base = st->target; base->kind == EX_FIELD; base = base->a)
				;
			if (!(sched_role_of(r, base->text) & SCHED_VAR_LOCAL))
				r->no_local = 1;
		}
		for (int k = 0; k < pr->nlocals; k++)
			free(own[k]);
		free(own);
	}
	if (r->shared_locals)
		r->no_local = 1;
	return 0;
}

/* What each name is, from the lines that bind it. */
static int find_roles(struct script_sched *r, const struct script *s)
{
	int after = 0;

	for (int i = 0; i < s->nstmts; i++) {
		const struct stmt *st = s->stmts[i];
		int out;

		if (st->kind == ST_PROGRAM) {
			after = 1;
			for (int k = 0; k < st->prog->nlocals; k++) {
				char *local = program_local_name(st->prog->locals[k], st->proc);

				if (local == NULL || add_role(r, local, SCHED_VAR_LOCAL) < 0) {
					free(local);
					return -1;
				}
				free(local);
			}
			continue;
		}
		if (st->kind != ST_CALL && st->kind != ST_ASSIGN)
			continue;
		if (st->bind != NULL && after && add_role(r, st->bind, SCHED_VAR_AFTER) < 0)
			return -1;
		if (st->kind != ST_CALL)
			continue;
		out = call_output_arg(st);
		if (out >= 0 && after && st->args[out]->kind == EX_ADDR &&
		    add_role(r, st->args[out]->text, SCHED_VAR_AFTER) < 0)
			return -1;
		if (st->bind == NULL)
			continue;
		if ((strcmp(st->call->name, "shmat") == 0 && add_role(r, st->bind, SCHED_VAR_ADDR) < 0) ||
		    (strcmp(st->call->name, "semget") == 0 && add_role(r, st->bind, SCHED_VAR_SEM) < 0) ||
		    (strcmp(st->call->name, "msgget") == 0 && add_role(r, st->bind, SCHED_VAR_QUEUE) < 0))
			return -1;
	}
	return 0;
}

struct script_sched *script_sched_new(const struct script *s, FILE *out, FILE *err)
{
	struct script_sched *r = calloc(1, sizeof(*r));
	struct script_options o = { 0 };
	FILE *null = NULL;

	if (r == NULL)
		return NULL;
	if (err == NULL) {
		null = fopen("/dev/null", "w");
		if (null == NULL) {
			free(r);
			return NULL;
		}
	}
	o.err = err != NULL ? err : null;
	o.out = out != NULL ? out : o.err; /* quiet: nothing is formatted for it */
	o.quiet_summary = 1;
	interp_init(&r->in, s, &o);
	r->in.own_null = null;
	r->in.quiet = out == NULL;
	if (r->in.b == NULL || find_roles(r, s) < 0 || find_reach(r, s) < 0)
		script_sched_free(&r);
	return r;
}

void script_sched_free(struct script_sched **rp)
{
	struct script_sched *r;
	struct var_role *vr, *tmp;

	if (rp == NULL || *rp == NULL)
		return;
	r = *rp;
	interp_fini(&r->in);
	HASH_ITER(hh, r->roles, vr, tmp) {
		HASH_DEL(r->roles, vr);
		free(vr->name);
		free(vr);
	}
	free(r);
	*rp = NULL;
}

int script_sched_advance(struct script_sched *r)
{
	int rc = interp_advance(&r->in);

	return rc > 0 ? r->in.sec->nrunnable : rc;
}

static const struct prog_proc *runnable(const struct script_sched *r, int k)
{
	return &r->in.sec->pp[r->in.sec->runnable[k]];
}

const char *script_sched_proc(const struct script_sched *r, int k)
{
	return runnable(r, k)->p->name;
}

int script_sched_proc_id(const struct script_sched *r, int k)
{
	return r->in.sec->runnable[k];
}

int script_sched_step(struct script_sched *r, int k)
{
	return interp_prog_step(&r->in, k);
}

/* ---- going back ------------------------------------------------------------- */

struct script_sched_save {
	long mark;                /* the kernel's */
	struct interp_snap *snap; /* the interpreter's */
};

struct script_sched_save *script_sched_save(struct script_sched *r)
{
	struct sim_kernel *k = backend_kernel_rw(r->in.b);
	struct script_sched_save *sv = calloc(1, sizeof(*sv));

	if (sv == NULL || k == NULL || (sv->snap = interp_snap_take(&r->in)) == NULL ||
	    (sv->mark = sim_kernel_mark(k)) < 0) {
		if (sv != NULL)
			interp_snap_free(&sv->snap);
		free(sv);
		return NULL;
	}
	return sv;
}

int script_sched_rewind(struct script_sched *r, const struct script_sched_save *sv)
{
	struct sim_kernel *k = backend_kernel_rw(r->in.b);

	if (k == NULL || sim_kernel_rewind(k, sv->mark) < 0)
		return -1;
	return interp_snap_restore(&r->in, sv->snap);
}

void script_sched_release(struct script_sched *r, struct script_sched_save **svp)
{
	struct script_sched_save *sv = svp != NULL ? *svp : NULL;
	struct sim_kernel *k;

	if (sv == NULL)
		return;
	k = backend_kernel_rw(r->in.b);
	if (k != NULL)
		sim_kernel_release(k, sv->mark);
	interp_snap_free(&sv->snap);
	free(sv);
	*svp = NULL;
}

/* ---- what tells states apart ----------------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return mix(h, n);
}

static uint64_t hash_value(uint64_t h, const struct value *v)
{
	h = mix(h, (uint64_t)v->kind);
	h = mix(h, (uint64_t)v->i);
	h = hash_bytes(h, v->bytes, v->bytes != NULL ? v->len : 0);
	for (int i = 0; i < v->nfields; i++) {
		h = hash_bytes(h, v->fields[i].name, strlen(v->fields[i].name));
		h = hash_value(h, &v->fields[i].v);
	}
	for (int i = 0; i < v->nitems; i++)
		h = hash_value(h, &v->items[i]);
	if (v->name != NULL)
		h = hash_bytes(h, v->name, strlen(v->name));
	return h;
}

void script_sched_hash(const struct script_sched *r, uint64_t h[2])
{
	const struct interp *in = &r->in;
	struct var *v, *vt;
	struct proc *p, *pt;
	uint64_t vars[2] = { 0, 0 };

	/* Variables are kept in the order they were first bound, which differs
	 * between schedules: their hashes are added, in no order. */
	HASH_ITER(hh, in->vars, v, vt) {
		uint64_t a = hash_bytes(1, v->name, strlen(v->name));
		uint64_t b = hash_bytes(2, v->name, strlen(v->name));

		vars[0] += hash_value(a, &v->v);
		vars[1] += hash_value(b, &v->v);
	}
	h[0] = mix(h[0], vars[0]);
	h[1] = mix(h[1], vars[1]);
	HASH_ITER(hh, in->procs, p, pt) {
		uint64_t x = mix((uint64_t)p->pid, (uint64_t)p->state);

		x = mix(x, (uint64_t)(uintptr_t)p->blocked_at);
		h[0] += mix(h[0] ^ 0x51, x);
		h[1] += mix(h[1] ^ 0x17, x);
	}
	h[0] = mix(h[0], (uint64_t)in->next);
	h[1] = mix(h[1], (uint64_t)in->next * 31);
	/* what an end state reports besides the variables and the kernel */
	h[0] = mix(h[0], (uint64_t)(in->stopped ? in->error_line : 0));
	h[1] = mix(h[1], (uint64_t)in->deadlocks * 977 + (uint64_t)in->first_failed_line);
	if (in->sec == NULL)
		return;
	for (int k = 0; k < in->sec->n; k++) {
		const struct prog_proc *pp = &in->sec->pp[k];

		h[0] = mix(h[0], (uint64_t)pp->pc);
		h[1] = mix(h[1], (uint64_t)pp->pc + 7);
		for (int i = 0; i < pp->prog->prog->nslots; i++) {
			h[0] = mix(h[0], (uint64_t)pp->counters[i]);
			h[1] = mix(h[1], (uint64_t)pp->counters[i] + 11);
		}
	}
}

struct backend *script_sched_backend(const struct script_sched *r)
{
	return r->in.b;
}

static int var_by_name(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name, (*(struct var *const *)b)->name);
}

int script_sched_vars(const struct script_sched *r,
                      int (*cb)(void *ctx, const char *name, const char *text, long long value,
                                int is_int, unsigned roles),
                      void *ctx)
{
	/* the text is built in the interpreter's own buffer (a cache) */
	struct bytebuf *bb = &((struct script_sched *)r)->in.value_text;
	struct var *v, *vt, **vars;
	int n = (int)HASH_COUNT(r->in.vars), rc = 0;

	vars = calloc((size_t)n + 1, sizeof(*vars));
	if (vars == NULL)
		return -1;
	n = 0;
	HASH_ITER(hh, r->in.vars, v, vt)
		vars[n++] = v;
	qsort(vars, (size_t)n, sizeof(*vars), var_by_name);
	for (int i = 0; i < n && rc == 0; i++) {
		struct var_role *vr = NULL;

		HASH_FIND_STR(r->roles, vars[i]->name, vr);
		bb->len = 0;
		bb->failed = 0;
		value_put(bb, &vars[i]->v);
		if (bytebuf_put(bb, "", 1) < 0 || bb->failed) {
			rc = -1;
			break;
		}
		rc = cb(ctx, vars[i]->name, bb->b, vars[i]->v.i, vars[i]->v.kind == V_INT,
		        vr != NULL ? vr->roles : 0);
	}
	free(vars);
	return rc;
}

int script_sched_blocked(const struct script_sched *r,
                         int (*cb)(void *ctx, const char *proc, const char *call, int line),
                         void *ctx)
{
	struct proc *p, *pt;

	HASH_ITER(hh, r->in.procs, p, pt)
		if (p->state == PS_BLOCKED && cb(ctx, p->name, p->blocked_at->call->name,
		                                 p->blocked_at->line) != 0)
			return 1;
	return 0;
}

const char *script_sched_proc_name(const struct script_sched *r, int pid)
{
	struct proc *p = interp_proc_by_pid((struct interp *)&r->in, pid);

	return p != NULL ? p->name : NULL;
}

int script_sched_deadlocks(const struct script_sched *r)
{
	return r->in.deadlocks;
}

int script_sched_failed(const struct script_sched *r, int *first_line)
{
	if (first_line != NULL)
		*first_line = r->in.first_failed_line;
	return r->in.failed;
}

int script_sched_error(const struct script_sched *r, const char **msg)
{
	if (msg != NULL)
		*msg = r->in.error;
	return r->in.error_line;
}

/* ---- a schedule written out as an ordinary scenario ------------------------ */

/* The text of s with each section of programs replaced by what it printed
 * (sec, cut at ends[]): the steps in the order they ran, with results. */
static void flatten(FILE *w, const struct script *s, const char *sec, const long *ends, int nends)
{
	int section = 0, line = 1;

	for (int i = 0; i <= s->nstmts; i++) {
		int lo = i, first, last;

		if (i < s->nstmts && s->stmts[i]->kind != ST_PROGRAM)
			continue;
		first = i < s->nstmts ? s->stmts[i]->line : s->nlines + 1;
		for (; line < first; line++)
			fprintf(w, "%s\n", s->lines[line - 1]);
		if (i == s->nstmts)
			break;
		while (i + 1 < s->nstmts && s->stmts[i + 1]->kind == ST_PROGRAM)
			i++;
		last = s->stmts[i]->prog->end_line;
		if (section < nends) {
			long from = section > 0 ? ends[section - 1] : 0;

			fprintf(w, "# the programs of lines %d-%d, as this schedule ran them:\n",
			        s->stmts[lo]->line, last);
			fwrite(sec + from, 1, (size_t)(ends[section] - from), w);
		}
		section++;
		line = last + 1;
	}
}

int script_sched_witness(const struct script *s, const char *schedule, const char *header,
                         FILE *out, FILE *err)
{
	struct interp in;
	struct script_options o = { 0 };
	char *sec = NULL, *text = NULL;
	size_t seclen = 0, textlen = 0;
	FILE *null = fopen("/dev/null", "w"), *secw = open_memstream(&sec, &seclen), *w = NULL;
	struct script *flat = NULL;
	int rc = -1;

	if (null == NULL || secw == NULL)
		goto out_close;
	o.out = null;
	o.err = err;
	o.quiet_summary = 1;
	o.schedule = schedule;
	interp_init(&in, s, &o);
	in.sec_out = secw;
	if (in.b != NULL)
		interp_run(&in);
	interp_fini(&in);
	if (fflush(secw) != 0 || (w = open_memstream(&text, &textlen)) == NULL)
		goto out_close;
	if (header != NULL)
		fputs(header, w);
	flatten(w, s, sec, in.sec_ends, in.nsec_ends);
	if (fclose(w) != 0)
		goto out_close;
	flat = script_parse(s->file_name, text, textlen, err);
	if (flat != NULL)
		rc = script_record(flat, out, err) == SCRIPT_EXIT_OK ? 0 : -1;
	script_free(&flat);
out_close:
	if (secw != NULL)
		fclose(secw);
	if (null != NULL)
		fclose(null);
	free(sec);
	free(text);
	return rc;
}
