/*
 * proc.c - simulated processes: credentials, capabilities, signals, fork,
 * exit and death.
 *
 * Pids start at SIM_FIRST_PID and go up by one per process, fork included,
 * so the same scenario always gives the same pids.  pid 0 is the shell
 * (k->shell), the process behind `$ ipcrm` and friends: never listed.
 *
 * A process in SIM_PROC_BLOCKED is on exactly one wait list (a queue's
 * senders or receivers); a signal or death takes it off.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

void sim_shell_set_creds(struct sim_kernel *k, unsigned uid, unsigned gid, unsigned caps)
{
	SIM_SAVE(k, k->shell);
	k->shell.uid = uid;
	k->shell.gid = gid;
	k->shell.caps = caps;
}

static struct sim_proc *proc_create(struct sim_kernel *k, unsigned uid, unsigned gid,
                                    unsigned caps, int ppid)
{
	size_t slot = (size_t)(k->next_pid - SIM_FIRST_PID);
	struct sim_proc *p, **grown;

	if (slot >= k->procs_cap) {
		size_t cap = k->procs_cap ? k->procs_cap * 2 : 16;

		grown = sim_realloc(k, k->procs, k->procs_cap * sizeof(*grown), cap * sizeof(*grown));
		if (!grown)
			return NULL;
		SIM_SAVE(k, k->procs);
		SIM_SAVE(k, k->procs_cap);
		k->procs = grown;
		k->procs_cap = cap;
	}
	p = sim_alloc(k, sizeof(*p));
	if (!p)
		return NULL;
	SIM_SAVE(k, k->next_pid);
	SIM_SAVE(k, k->first_created);
	SIM_SAVE(k, k->last_created);
	SIM_SAVE(k, k->procs[slot]);
	p->pid = k->next_pid++;
	p->ppid = ppid;
	p->uid = uid;
	p->gid = gid;
	p->caps = caps;
	p->state = SIM_PROC_RUNNING;
	k->procs[slot] = p;
	if (k->last_created) {
		SIM_SAVE(k, k->last_created->next_created);
		k->last_created->next_created = p;
	}
	else
		k->first_created = p;
	k->last_created = p;
	return p;
}

/* Undoes proc_create of the newest process (a fork that failed half-way). */
static void proc_uncreate(struct sim_kernel *k, struct sim_proc *p)
{
	struct sim_proc *q;

	SIM_SAVE(k, k->procs[p->pid - SIM_FIRST_PID]);
	SIM_SAVE(k, k->first_created);
	SIM_SAVE(k, k->last_created);
	SIM_SAVE(k, k->next_pid);
	k->procs[p->pid - SIM_FIRST_PID] = NULL;
	if (k->first_created == p) {
		k->first_created = k->last_created = NULL;
	} else {
		for (q = k->first_created; q->next_created != p; q = q->next_created)
			;
		SIM_SAVE(k, q->next_created);
		q->next_created = NULL;
		k->last_created = q;
	}
	k->next_pid--;
	sim_free(k, p);
}

int sim_proc_new(struct sim_kernel *k, unsigned uid, unsigned gid, unsigned caps)
{
	struct sim_proc *p = proc_create(k, uid, gid, caps, 0);

	return p ? p->pid : -ENOMEM;
}

static void proc_view(const struct sim_proc *p, struct sim_proc_view *v)
{
	memset(v, 0, sizeof(*v));
	v->pid = p->pid;
	v->ppid = p->ppid;
	v->uid = p->uid;
	v->gid = p->gid;
	v->caps = p->caps;
	v->state = p->state;
	if (p->state == SIM_PROC_BLOCKED) {
		v->blocked_call = p->sending ? "msgsnd" : p->receiving ? "msgrcv" : p->semwait->call;
		v->blocked_id = p->blocked_id;
	}
	v->exit_status = p->exit_status;
	v->term_sig = p->term_sig;
}

int sim_proc_get(const struct sim_kernel *k, int pid, struct sim_proc_view *v)
{
	const struct sim_proc *p = sim_proc_find((struct sim_kernel *)k, pid);

	if (!p)
		return -ESRCH;
	proc_view(p, v);
	return 0;
}

int sim_proc_foreach(const struct sim_kernel *k,
                     int (*cb)(void *ctx, const struct sim_proc_view *v), void *ctx)
{
	struct sim_proc_view v;
	int rc;

	for (const struct sim_proc *p = k->first_created; p; p = p->next_created) {
		proc_view(p, &v);
		rc = cb(ctx, &v);
		if (rc)
			return rc;
	}
	return 0;
}

/* A running process, or NULL: calls from ended or sleeping processes are refused. */
static struct sim_proc *proc_running(struct sim_kernel *k, int pid)
{
	struct sim_proc *p = sim_proc_find(k, pid);

	return p && p->state == SIM_PROC_RUNNING ? p : NULL;
}

long sim_proc_set_creds(struct sim_kernel *k, int pid, unsigned uid, unsigned gid, unsigned caps)
{
	struct sim_proc *p = proc_running(k, pid);

	if (!p)
		return -ESRCH;
	p->uid = uid;
	p->gid = gid;
	p->caps = caps;
	return 0;
}

/* fork: credentials and signal dispositions are inherited (caught handlers stay caught). */
long sim_fork(struct sim_kernel *k, int pid)
{
	struct sim_proc *parent = proc_running(k, pid), *child;

	if (!parent || pid == 0)
		return -ESRCH;
	child = proc_create(k, parent->uid, parent->gid, parent->caps, parent->pid);
	if (!child)
		return -ENOMEM;
	memcpy(child->sig_disp, parent->sig_disp, sizeof(child->sig_disp));
	/* the attachments are copied (dup_mmap runs in the parent); SEM_UNDO
	 * adjustments are not inherited (no CLONE_SYSVSEM) */
	if (shm_fork_attaches(k, parent, child) < 0) {
		proc_uncreate(k, child);
		return -ENOMEM;
	}
	return child->pid;
}

/* Wait list removal for whatever p sleeps in. */
static void proc_kill_waiter(struct sim_kernel *k, struct sim_proc *p)
{
	if (p->semwait)
		sem_kill_waiter(k, p);
	else
		msg_kill_waiter(k, p);
}

/* exit/death: off any wait list, segments detached (exit_mm), undo applied (exit_sem). */
void sim_proc_terminate(struct sim_kernel *k, struct sim_proc *p, enum sim_proc_state how, int code)
{
	if (p->state == SIM_PROC_BLOCKED)
		proc_kill_waiter(k, p);
	SIM_SAVE_OBJ(k, p);
	p->state = how;
	shm_detach_all(k, p);
	sem_exit(k, p);
	SIM_SAVE_OBJ(k, p);
	if (how == SIM_PROC_EXITED)
		p->exit_status = code & 0xff;
	else
		p->term_sig = code;
}

long sim_exit(struct sim_kernel *k, int pid, int status)
{
	struct sim_proc *p = proc_running(k, pid);

	if (!p || pid == 0)
		return -ESRCH;
	sim_proc_terminate(k, p, SIM_PROC_EXITED, status);
	return 0;
}

static bool sig_valid(int sig)
{
	return sig >= 1 && sig <= 64;
}

/* Signals whose default action is to do nothing (signal(7)). */
static bool sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static bool sig_stops(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

long sim_signal(struct sim_kernel *k, int pid, int sig, enum sim_sig_disp disp)
{
	struct sim_proc *p = proc_running(k, pid);

	if (!p)
		return -ESRCH;
	if (!sig_valid(sig) || sig == SIGKILL || sig == SIGSTOP)
		return -EINVAL;
	SIM_SAVE(k, p->sig_disp[sig]);
	p->sig_disp[sig] = (unsigned char)disp;
	return 0;
}

/* kill(2)'s permission rule: same real/effective uid, or CAP_KILL. */
static bool may_signal(const struct sim_proc *from, const struct sim_proc *to)
{
	return from->uid == to->uid || sim_capable(from, SIM_CAP_KILL);
}

long sim_kill(struct sim_kernel *k, int pid, int target, int sig)
{
	struct sim_proc *from = proc_running(k, pid), *to;
	struct sim_event ev;

	if (!from)
		return -ESRCH;
	if (sig != 0 && !sig_valid(sig))
		return -EINVAL;
	to = target == 0 ? NULL : sim_proc_find(k, target);
	if (!to || to->state == SIM_PROC_EXITED || to->state == SIM_PROC_KILLED)
		return -ESRCH;
	if (!may_signal(from, to))
		return -EPERM;
	if (sig == 0)
		return 0;
	if (sig_stops(sig))
		return -EINVAL; /* job control is outside the model */
	if (sig != SIGKILL && to->sig_disp[sig] == SIM_SIG_IGN)
		return 0;
	if (sig != SIGKILL && to->sig_disp[sig] == SIM_SIG_CATCH) {
		/* The handler runs; a sleeping IPC call returns EINTR (ERESTARTNOHAND). */
		if (to->state == SIM_PROC_BLOCKED) {
			memset(&ev, 0, sizeof(ev));
			ev.kind = SIM_EV_RESUMED;
			ev.pid = to->pid;
			ev.call = to->sending ? "msgsnd" : to->receiving ? "msgrcv" : to->semwait->call;
			ev.ret = -EINTR;
			proc_kill_waiter(k, to);
			SIM_SAVE(k, to->state);
			to->state = SIM_PROC_RUNNING;
			sim_event_push(k, &ev);
		}
		return 0;
	}
	if (sig != SIGKILL && sig_default_ignored(sig))
		return 0;
	sim_proc_terminate(k, to, SIM_PROC_KILLED, sig);
	memset(&ev, 0, sizeof(ev));
	ev.kind = SIM_EV_KILLED;
	ev.pid = to->pid;
	ev.sig = sig;
	sim_event_push(k, &ev);
	return 0;
}
