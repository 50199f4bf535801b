/*
 * sched_access.c - what a program's next step touches (ipcsim/sched.h,
 * script_sched_access, script_sched_local): the explorer's ground for
 * telling which steps commute (docs/explore.md, "Independent steps").
 *
 * A step is classified by its call and its arguments.  The arguments are
 * evaluated here without side effects (pure_int: integers, names bound to
 * integers, arithmetic); one that is anything else cannot be told, and the
 * step is then classified by what it could touch at most: every object of
 * its kind, or everything.  Being wrong the other way would lose outcomes,
 * so every doubt widens.
 *
 * The arguments of a program's step are its process's own (a program's
 * names are its locals, or the scenario's names bound before the programs;
 * shared_locals turns this off when a program names another's local), so
 * what a step touches is fixed while its process does not move.
 */
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "ipcsim/kernel.h"
#include "script/sched_int.h"

/* e's integer value, as eval_int would find it, without side effects: -1
 * when it is anything but integers, names bound to integers and the
 * operators on them (then eval might fail, or give what is not a number). */
static int pure_int(const struct interp *in, const struct expr *e, long long *out)
{
	struct var *v;
	long long a, b;

	switch (e->kind) {
	case EX_INT:
	case EX_CONST:
	case EX_NULL:
		*out = e->ival;
		return 0;
	case EX_NAME:
		v = interp_var((struct interp *)in, e->text); /* a lookup: changes nothing */
		if (v == NULL || v->v.kind != V_INT)
			return -1;
		*out = v->v.i;
		return 0;
	case EX_NEG:
		if (pure_int(in, e->a, &a) < 0)
			return -1;
		*out = (long long)(0ULL - (unsigned long long)a);
		return 0;
	case EX_BINOP:
	case EX_CMP:
		if (pure_int(in, e->a, &a) < 0 || pure_int(in, e->b, &b) < 0)
			return -1;
		switch (e->op[0]) {
		case '|': *out = a | b; return 0;
		case '+': *out = (long long)((unsigned long long)a + (unsigned long long)b); return 0;
		case '-': *out = (long long)((unsigned long long)a - (unsigned long long)b); return 0;
		case '=': *out = a == b; return 0;
		case '!': *out = a != b; return 0;
		case '<': *out = e->op[1] == '=' ? a <= b : a < b; return 0;
		case '>': *out = e->op[1] == '=' ? a >= b : a > b; return 0;
		}
		return -1;
	default:
		return -1;
	}
}

static const struct stmt *next_step(const struct script_sched *r, int k)
{
	const struct prog_proc *pp = &r->in.sec->pp[r->in.sec->runnable[k]];

	return pp->prog->prog->code[pp->pc].st;
}

int script_sched_local(const struct script_sched *r, int k)
{
	const struct stmt *st = next_step(r, k);
	long long v;

	/* Arithmetic that cannot fail: a runtime error would end every
	 * process's run, which no other step's order can undo. */
	return !r->no_local && st->kind == ST_ASSIGN && pure_int(&r->in, st->value, &v) == 0 &&
	       (st->expect.kind != XP_RESULT || pure_int(&r->in, st->expect.ret, &v) == 0);
}

/* The bytes [addr, addr + len) in process pid's attachments: within one,
 * over several, or not all mapped (writable, for a write). */
struct mem_find {
	unsigned long addr, len, at; /* at: mapped up to here, from addr */
	int writes, pieces, fault;
	long id;
	unsigned long off;
};

static int on_attach(void *ctx, const struct sim_attach_view *v)
{
	struct mem_find *f = ctx;

	if (f->at >= f->addr + f->len || v->addr + v->len <= f->at)
		return 0;
	if (v->addr > f->at || (f->writes && v->rdonly)) {
		f->fault = 1;
		return 1;
	}
	if (f->pieces++ == 0) {
		f->id = v->shmid;
		f->off = f->at - v->addr + v->pgoff * SIM_PAGE_SIZE;
	}
	f->at = v->addr + v->len;
	return 0;
}

static void memory(const struct script_sched *r, const struct stmt *st, int pid, int writes,
                   struct script_sched_access *a)
{
	const struct sim_kernel *k = backend_kernel(r->in.b);
	struct mem_find f = { 0 };
	long long addr, len = 8;

	a->kind = 'm';
	a->reach = SCHED_REACH_KIND;
	if (pure_int(&r->in, st->args[0], &addr) < 0)
		return;
	if (st->call->perform == perform_memread && pure_int(&r->in, st->args[1], &len) < 0)
		return;
	if (st->call->perform == perform_memcpy) {
		if (st->nargs == 3 ? pure_int(&r->in, st->args[2], &len) < 0
		                   : st->args[1]->kind != EX_STR)
			return;
		if (st->nargs == 2)
			len = (long long)st->args[1]->len + 1;
	}
	a->reach = SCHED_REACH_ALL; /* a fault kills the process: everything */
	if (k == NULL || len <= 0 || (unsigned long long)addr + (unsigned long long)len <
	                             (unsigned long long)addr)
		return;
	f.addr = f.at = (unsigned long)addr;
	f.len = (unsigned long)len;
	f.writes = writes;
	if (sim_proc_attachments(k, pid, on_attach, &f) < 0 || f.fault ||
	    f.at < f.addr + f.len)
		return;
	a->reach = f.pieces == 1 ? SCHED_REACH_MEMORY : SCHED_REACH_KIND;
	a->id = f.id;
	a->off = f.off;
	a->len = f.len;
	a->writes = writes;
}

/* A ctl command that reads or changes the one object it names (anything
 * else, removal and the INFO and STAT-by-index commands, reads or changes
 * the kind's totals and indices). */
static int ctl_on_object(char kind, long long cmd)
{
	if (cmd == IPC_STAT || cmd == IPC_SET)
		return 1;
	if (kind == 'm')
		return cmd == SHM_LOCK || cmd == SHM_UNLOCK;
	if (kind == 's')
		return cmd == GETVAL || cmd == SETVAL || cmd == GETALL || cmd == SETALL ||
		       cmd == GETPID || cmd == GETNCNT || cmd == GETZCNT;
	return 0;
}

void script_sched_access(const struct script_sched *r, int k, struct script_sched_access *a)
{
	const struct stmt *st = next_step(r, k);
	const struct call_info *c = st->call;
	int pid = r->in.sec->pp[r->in.sec->runnable[k]].p->pid;
	long long id, cmd = -1;

	memset(a, 0, sizeof(*a));
	a->reach = SCHED_REACH_ALL;
	a->programs = 1;
	if (r->shared_locals)
		return;
	if (st->kind == ST_ASSIGN) {
		a->reach = SCHED_REACH_OWN;
		a->programs = 0;
		return;
	}
	if (st->kind == ST_SETFIELD) {
		const struct expr *base = st->target;

		while (base->kind == EX_FIELD)
			base = base->a;
		if (sched_role_of(r, base->text) & SCHED_VAR_LOCAL) {
			a->reach = SCHED_REACH_OWN;
			a->programs = 0;
		}
		return;
	}
	if (st->kind != ST_CALL)
		return;
	if (c->perform == perform_getpid || c->perform == perform_assert) {
		a->reach = SCHED_REACH_OWN;
		return;
	}
	/* kill ends another; fork binds a process name other programs may read */
	if (c->perform == perform_kill || (c->flags & CALL_BINDS_PROCESS))
		return;
	/* exit, signal, sleep (the clock), ftok (the files): anything, but
	 * nothing a program's own arithmetic reads */
	a->programs = 0;
	a->kind = c->family == CF_MSG ? 'q' : c->family == CF_SHM ? 'm' : c->family == CF_SEM ? 's' : 0;
	if (a->kind == 0)
		return;
	if (c->perform == perform_store || c->perform == perform_memcpy) {
		memory(r, st, pid, 1, a);
		return;
	}
	if (c->perform == perform_load || c->perform == perform_memread) {
		memory(r, st, pid, 0, a);
		return;
	}
	a->reach = SCHED_REACH_KIND; /* gets (a key's lookup, a new id), shmdt */
	if (c->perform == perform_msgget || c->perform == perform_shmget ||
	    c->perform == perform_semget || c->perform == perform_shmdt ||
	    pure_int(&r->in, st->args[0], &id) < 0)
		return;
	if (c->perform == perform_msgctl || c->perform == perform_shmctl ||
	    c->perform == perform_semctl) {
		int at = c->perform == perform_semctl ? 2 : 1;

		if (pure_int(&r->in, st->args[at], &cmd) < 0 || !ctl_on_object(a->kind, cmd))
			return;
	}
	a->reach = SCHED_REACH_OBJECT;
	a->id = (long)id;
	/* texts in or out of the data area: sends, receives, and a larger
	 * msg_qbytes (IPC_SET), which lets sleeping senders in */
	a->msg_area = c->perform == perform_msgsnd || c->perform == perform_msgrcv ||
	              (c->perform == perform_msgctl && cmd == IPC_SET);
}
