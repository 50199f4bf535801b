/*
 * show_proc.c - the process panel of `show`: for each process its state,
 * the variables its steps bound (what the scenario knows, not the kernel:
 * in the race, the registers p and c that hold the stale 100 are the whole
 * lesson), and the segments it has attached:
 *
 *   == Processes (2) ====...
 *     name         pid   uid  state                     variables
 *     parent      1000  1000  running                   id=0 p=100
 *                                                       balance=0x7efffffff000
 *         shm 0 at 0x7efffffff000-0x7f0000000000 rw
 *     child       1001  1000  blocked in msgrcv on q 0  c=100
 *
 * Processes are listed in creation order, ended ones included (how they
 * ended is their state).  Variables come from render_opts.vars, in the order
 * they were first bound, each cut to the width of the variables' column.
 */
#include <stdio.h>
#include <string.h>

#include "ipcsim/strace.h" /* signal names */
#include "render/show_int.h"

struct panel {
	struct show *s;
	struct flow f;
};

static void state_text(char *state, size_t size, const struct sim_proc_view *v)
{
	switch (v->state) {
	case SIM_PROC_RUNNING:
		snprintf(state, size, "running");
		break;
	case SIM_PROC_BLOCKED:
		snprintf(state, size, "blocked in %s on %s %d",
		         v->blocked_call ? v->blocked_call : "a call",
		         v->blocked_call && strncmp(v->blocked_call, "sem", 3) == 0 ? "sem" : "q",
		         v->blocked_id);
		break;
	case SIM_PROC_EXITED:
		snprintf(state, size, "exited %d", v->exit_status);
		break;
	case SIM_PROC_KILLED: {
		const char *sig = strace_signal_name(v->term_sig);

		if (sig)
			snprintf(state, size, "killed by %s", sig);
		else
			snprintf(state, size, "killed by signal %d", v->term_sig);
		break;
	}
	}
}

/* name=value, cut to the width of the variables' column. */
static void one_var(void *ctx, const char *name, const char *value)
{
	struct panel *p = ctx;
	char item[SHOW_WIDTH];
	int room = SHOW_WIDTH - 3 - p->f.indent - (int)strlen(name) - 1;

	if (room < 8)
		room = 8;
	if ((int)strlen(value) > room)
		snprintf(item, sizeof(item), "%.20s=%.*s...", name, room - 3, value);
	else
		snprintf(item, sizeof(item), "%.20s=%s", name, value);
	show_flow_item(&p->f, " ", item);
}

static int attach_line(void *ctx, const struct sim_attach_view *a)
{
	struct show *s = ctx;
	char key[SHOW_KEY], group[16];

	snprintf(group, sizeof(group), "p%d", a->pid);
	snprintf(key, sizeof(key), "p%d/a%lx", a->pid, a->addr);
	show_add(s, ROLE_ITEM, PRIO_BODY, key, group, "    shm %d at %#lx-%#lx %s%s", a->shmid,
	         a->addr, a->addr + a->len, a->rdonly ? "ro" : "rw", a->exec ? " x" : "");
	return 0;
}

static int show_proc(void *ctx, const struct sim_proc_view *v)
{
	struct show *s = ctx;
	const struct render_vars *vars = s->o->vars;
	struct panel p = { .s = s };
	char state[64], first[SHOW_WIDTH], key[16];
	int n;

	state_text(state, sizeof(state), v);
	snprintf(key, sizeof(key), "p%d", v->pid);
	n = snprintf(first, sizeof(first), "%-10.10s %5d %5u  %-23s", show_proc_name(s, v->pid),
	             v->pid, v->uid, state);
	show_flow_begin(&p.f, s, PRIO_KEY, key, key, first);
	p.f.indent = n + 1 < SHOW_WIDTH - 3 - 20 ? n + 1 : 8;
	if (vars != NULL && vars->foreach != NULL)
		vars->foreach(vars->ctx, v->pid, one_var, &p);
	/* no blank at the end of a line without variables */
	while (p.f.len > 0 && p.f.line[p.f.len - 1] == ' ')
		p.f.len--;
	show_flow_end(&p.f);
	sim_proc_attachments(s->k, v->pid, attach_line, s);
	return 0;
}

static int count_proc(void *ctx, const struct sim_proc_view *v)
{
	(*(int *)ctx)++;
	return 0;
}

void show_procs(struct show *s)
{
	int count = 0;

	s->sect = SECT_PROCS;
	sim_proc_foreach(s->k, count_proc, &count);
	if (count == 0)
		return;
	show_banner(s, "Processes (%d)", count);
	show_add(s, ROLE_HEAD, PRIO_HEAD, "hp", NULL, "name         pid   uid  state%s",
	         s->o->vars != NULL ? "                   variables" : "");
	sim_proc_foreach(s->k, show_proc, s);
}
