/*
 * interp_snap.c - the interpreter's own state, remembered and restored, so
 * that going back a step (`ipcsim step`, `repl :undo`) costs what the
 * interpreter holds, not a re-run: the kernel goes back with its undo log
 * (sim_kernel_rewind), the interpreter with one of these.
 *
 * What is remembered: the variables (values copied), the processes by name
 * and their states, the users and groups named so far, the gids `group`
 * lines name, struct interp_run whole (the counters, the error, the
 * statement next: every scalar lines change), and where the programs
 * running side by side stand (their places, loop counters and the
 * schedule's position: struct snap_prog).  Tables are
 * rebuilt in their order, which the drawings and the name lookups follow.
 * Not remembered: the output streams, the script, the backend (its kernel
 * is rewound by the caller), the drawing memo, the observer.
 */
#include <stdlib.h>
#include <string.h>

#include "script/interp_int.h"

struct snap_var {
	char *name;
	struct value v;
	int pid;
};

struct snap_proc {
	char *name;
	int pid;
	enum proc_state state;
	const struct stmt *blocked_at;
	int ended_line;
};

struct snap_person {
	char *name;
	unsigned uid, gid;
};

struct snap_people {
	struct snap_person *p;
	int n;
};

/* The programs' state: the section running (a copy whose processes are
 * found again by name) and the schedule's position. */
struct snap_prog {
	unsigned long long rng;
	int at;
	struct section *sec;
	char **names; /* sec->pp[i].p's name */
};

struct interp_snap {
	struct interp_run run; /* the counters, the error, where the run stands */
	struct snap_prog prog;
	struct snap_var *vars;
	int nvars;
	struct snap_proc *procs;
	int nprocs;
	struct snap_people users, groups, user_groups;
	unsigned *gids;
	int ngids;
};

static void people_free(struct snap_people *pp)
{
	for (int i = 0; i < pp->n; i++)
		free(pp->p[i].name);
	free(pp->p);
}

static void section_copy_free(struct section *sec, char **names)
{
	if (sec == NULL)
		return;
	for (int k = 0; k < sec->n; k++) {
		free(sec->pp[k].counters);
		if (names != NULL)
			free(names[k]);
	}
	free(names);
	free(sec->pp);
	free(sec->runnable);
	free(sec);
}

/* A copy of sec; with names, its processes' names into *names (taking),
 * else its processes from in by those names (restoring).  NULL: out of
 * memory. */
static struct section *section_copy(const struct section *src, char ***names,
                                    struct interp *in, char **from_names)
{
	struct section *c = calloc(1, sizeof(*c));
	int n = src->n;

	if (c == NULL)
		return NULL;
	*c = *src;
	c->n = 0;
	c->pp = calloc((size_t)n + 1, sizeof(*c->pp));
	c->runnable = calloc((size_t)n + 1, sizeof(*c->runnable));
	if (names != NULL)
		*names = calloc((size_t)n + 1, sizeof(**names));
	if (c->pp == NULL || c->runnable == NULL || (names != NULL && *names == NULL))
		goto out_oom;
	memcpy(c->runnable, src->runnable, (size_t)n * sizeof(*c->runnable));
	for (int k = 0; k < n; k++) {
		const struct prog_proc *sp = &src->pp[k];
		size_t slots = (size_t)sp->prog->prog->nslots + 1;

		c->pp[k] = *sp;
		c->pp[k].counters = malloc(slots * sizeof(*sp->counters));
		if (c->pp[k].counters == NULL)
			goto out_oom;
		c->n++;
		memcpy(c->pp[k].counters, sp->counters, slots * sizeof(*sp->counters));
		if (names != NULL) {
			c->pp[k].p = NULL;
			if (((*names)[k] = strdup(sp->p->name)) == NULL)
				goto out_oom;
		} else {
			c->pp[k].p = interp_proc(in, from_names[k], 0);
			if (c->pp[k].p == NULL)
				goto out_oom;
		}
	}
	return c;
out_oom:
	section_copy_free(c, names != NULL ? *names : NULL);
	if (names != NULL)
		*names = NULL;
	return NULL;
}

void interp_snap_free(struct interp_snap **sp)
{
	struct interp_snap *s = sp ? *sp : NULL;

	if (!s)
		return;
	for (int i = 0; i < s->nvars; i++) {
		free(s->vars[i].name);
		value_free(&s->vars[i].v);
	}
	free(s->vars);
	for (int i = 0; i < s->nprocs; i++)
		free(s->procs[i].name);
	free(s->procs);
	people_free(&s->users);
	people_free(&s->groups);
	people_free(&s->user_groups);
	free(s->gids);
	section_copy_free(s->prog.sec, s->prog.names);
	free(s);
	*sp = NULL;
}

static int people_take(struct snap_people *pp, struct person *table)
{
	struct person *p, *tmp;
	int n = (int)HASH_COUNT(table);

	pp->p = calloc((size_t)n + 1, sizeof(*pp->p));
	if (!pp->p)
		return -1;
	HASH_ITER(hh, table, p, tmp) {
		struct snap_person *c = &pp->p[pp->n];

		if (!(c->name = strdup(p->name)))
			return -1;
		c->uid = p->uid;
		c->gid = p->gid;
		pp->n++;
	}
	return 0;
}

struct interp_snap *interp_snap_take(const struct interp *in)
{
	struct interp_snap *s = calloc(1, sizeof(*s));
	struct var *v, *vt;
	struct proc *p, *pt;
	struct gid_entry *g, *gt;

	if (!s)
		return NULL;
	s->run = in->run;
	s->prog.rng = in->sched.rng;
	s->prog.at = in->sched.at;
	if (in->sec != NULL && (s->prog.sec = section_copy(in->sec, &s->prog.names, NULL,
	                                                   NULL)) == NULL)
		goto out_oom;
	s->vars = calloc(HASH_COUNT(in->vars) + 1, sizeof(*s->vars));
	s->procs = calloc(HASH_COUNT(in->procs) + 1, sizeof(*s->procs));
	s->gids = calloc(HASH_COUNT(in->group_gids) + 1, sizeof(*s->gids));
	if (!s->vars || !s->procs || !s->gids)
		goto out_oom;
	HASH_ITER(hh, in->vars, v, vt) {
		struct snap_var *c = &s->vars[s->nvars];

		if (!(c->name = strdup(v->name)))
			goto out_oom;
		s->nvars++;
		c->pid = v->pid;
		if (value_copy(&c->v, &v->v) < 0)
			goto out_oom;
	}
	HASH_ITER(hh, in->procs, p, pt) {
		struct snap_proc *c = &s->procs[s->nprocs];

		if (!(c->name = strdup(p->name)))
			goto out_oom;
		s->nprocs++;
		c->pid = p->pid;
		c->state = p->state;
		c->blocked_at = p->blocked_at;
		c->ended_line = p->ended_line;
	}
	HASH_ITER(hh, in->group_gids, g, gt)
		s->gids[s->ngids++] = g->gid;
	if (people_take(&s->users, in->users) < 0 || people_take(&s->groups, in->groups) < 0 ||
	    people_take(&s->user_groups, in->user_groups) < 0)
		goto out_oom;
	return s;
out_oom:
	interp_snap_free(&s);
	return NULL;
}

static int people_restore(struct person **table, const struct snap_people *pp)
{
	for (int i = 0; i < pp->n; i++) {
		struct person *p = calloc(1, sizeof(*p));

		if (!p || !(p->name = strdup(pp->p[i].name))) {
			free(p);
			return -1;
		}
		p->uid = pp->p[i].uid;
		p->gid = pp->p[i].gid;
		HASH_ADD_KEYPTR(hh, *table, p->name, strlen(p->name), p);
	}
	return 0;
}

int interp_snap_restore(struct interp *in, const struct interp_snap *s)
{
	interp_free_tables(in);
	in->run = s->run;
	in->vars = NULL;
	in->procs = in->procs_by_pid = NULL;
	in->users = in->groups = in->user_groups = NULL;
	in->group_gids = NULL;
	for (int i = 0; i < s->nvars; i++) {
		struct var *v = calloc(1, sizeof(*v));

		if (!v || !(v->name = strdup(s->vars[i].name)) || value_copy(&v->v, &s->vars[i].v) < 0) {
			if (v)
				free(v->name);
			free(v);
			return -1;
		}
		v->pid = s->vars[i].pid;
		HASH_ADD_KEYPTR(hh, in->vars, v->name, strlen(v->name), v);
	}
	for (int i = 0; i < s->nprocs; i++) {
		struct proc *p = calloc(1, sizeof(*p));

		if (!p || !(p->name = strdup(s->procs[i].name))) {
			free(p);
			return -1;
		}
		p->pid = s->procs[i].pid;
		p->state = s->procs[i].state;
		p->blocked_at = s->procs[i].blocked_at;
		p->ended_line = s->procs[i].ended_line;
		HASH_ADD_KEYPTR(hh, in->procs, p->name, strlen(p->name), p);
		HASH_ADD(hh_pid, in->procs_by_pid, pid, sizeof(p->pid), p);
	}
	for (int i = 0; i < s->ngids; i++) {
		struct gid_entry *g = calloc(1, sizeof(*g));

		if (!g)
			return -1;
		g->gid = s->gids[i];
		HASH_ADD(hh, in->group_gids, gid, sizeof(g->gid), g);
	}
	if (people_restore(&in->users, &s->users) < 0 || people_restore(&in->groups, &s->groups) < 0 ||
	    people_restore(&in->user_groups, &s->user_groups) < 0)
		return -1;
	in->sched.rng = s->prog.rng;
	in->sched.at = s->prog.at;
	section_free(in);
	if (s->prog.sec != NULL &&
	    (in->sec = section_copy(s->prog.sec, NULL, in, s->prog.names)) == NULL)
		return -1;
	return 0;
}
