/*
 * exec_det.c - `ipcsim exec --deterministic`: the server, not the
 * machine's scheduler, decides which process's call proceeds.
 *
 * A call is not served when it arrives: it waits until every live process
 * has stopped where only another process's call or end can move it on:
 * waiting for the server with a call of its own (held here, or asleep in
 * a simulated call), waiting for a child in wait4/waitid (the real
 * kernel's /proc/PID/syscall says so), or ended.  Anything else is
 * running, however briefly it sleeps in the real kernel (a write to a
 * slow pipe, a page read from disk, nanosleep): the server waits for it.
 * Then the held call of the next process in simulated-pid order after the
 * one served last (round robin) is served, and it runs alone until it
 * stops again.  So the order of the calls and their results depend only on
 * what the programs do, not on timing or the machine's load.
 *
 * One thing cannot be decided that way: processes asleep in the real
 * kernel on each other (a pipe between them, pause() for a signal).  When
 * every process not stopped has slept so, outside nanosleep, for
 * EXEC_DET_PATIENCE_MS, they count as stopped, and the guarantee is lost
 * for that run (docs/exec.md).  Children not registered yet (posix_spawn,
 * before the library loaded in them) count as running.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/exec_int.h"

int exec_det_hold(struct exec_server *s, struct exec_proc *p, const struct wire_req *q,
                  unsigned char *payload)
{
	(void)s;
	free(p->pend_payload);
	p->pend = *q;
	p->pend_payload = payload;
	p->has_pend = 1;
	return 0;
}

#define EXEC_DET_PATIENCE_MS 500L

enum det_view {
	DET_STOPPED, /* only another process's call or end moves it on */
	DET_RUNS,    /* running, or sleeping for a time it chose (nanosleep) */
	DET_SLEEPS,  /* asleep in the real kernel on something else */
};

static enum det_view view(const struct exec_proc *p)
{
	int nr;

	if (p->ended || p->has_pend || p->blocked)
		return DET_STOPPED;
	nr = exec_proc_syscall(p->real);
	if (nr == EXEC_NR_WAIT4 || nr == EXEC_NR_WAITID)
		return DET_STOPPED;
	if (nr < 0 || nr == EXEC_NR_NANOSLEEP || nr == EXEC_NR_CLOCK_NANOSLEEP)
		return DET_RUNS;
	return DET_SLEEPS;
}

/* A child of pid (its main thread's) that is alive and not registered. */
static int stranger_child(struct exec_server *s, pid_t pid)
{
	char name[64], buf[1024];
	int got;

	snprintf(name, sizeof(name), "task/%d/children", (int)pid);
	if ((got = exec_proc_file(pid, name, buf, sizeof(buf))) <= 0)
		return 0;
	for (char *w = buf, *end; *w; w = end) {
		long child = strtol(w, &end, 10);
		char st[512], *paren;

		if (end == w)
			break;
		if (exec_proc_by_real(s, (pid_t)child))
			continue;
		/* an unregistered zombie does nothing any more */
		if (exec_proc_file((pid_t)child, "stat", st, sizeof(st)) > 0 &&
		    (paren = strrchr(st, ')')) && paren[1] == ' ' && paren[2] == 'Z')
			continue;
		return 1;
	}
	return 0;
}

/* Every live process has stopped (or has slept on the others past
 * patience). */
static int all_stopped(struct exec_server *s)
{
	long now = exec_now_ms();
	int waiting = 0;

	for (size_t i = 0; i < s->nprocs; i++) {
		struct exec_proc *p = &s->procs[i];
		enum det_view v = view(p);

		if (v != DET_SLEEPS)
			p->det_sleep_since = 0;
		if (v == DET_RUNS)
			return 0;
		if (v == DET_SLEEPS) {
			if (!p->det_sleep_since)
				p->det_sleep_since = now;
			waiting |= now - p->det_sleep_since < EXEC_DET_PATIENCE_MS;
		}
		if (!p->ended && stranger_child(s, p->real))
			return 0;
	}
	return !waiting && !stranger_child(s, getpid());
}

static struct exec_proc *next_turn(struct exec_server *s)
{
	struct exec_proc *best = NULL, *first = NULL;

	for (size_t i = 0; i < s->nprocs; i++) {
		struct exec_proc *p = &s->procs[i];

		if (p->ended || !p->has_pend)
			continue;
		if (!first || p->sim < first->sim)
			first = p;
		if (p->sim > s->last_served && (!best || p->sim < best->sim))
			best = p;
	}
	return best ? best : first;
}

int exec_det_step(struct exec_server *s)
{
	for (;;) {
		struct exec_proc *p;
		unsigned char *payload;
		struct wire_req q;

		/* An end just taken in wakes its parent's wait4 a moment later:
		 * give it that moment before trusting /proc. */
		if (exec_in_flight(s) || exec_now_ms() - s->last_end_ms < 2 || !all_stopped(s))
			return 1;
		p = next_turn(s);
		if (!p)
			return 0;
		q = p->pend;
		payload = p->pend_payload;
		p->has_pend = 0;
		p->pend_payload = NULL;
		s->last_served = p->sim;
		if (exec_call(s, p, &q, payload) < 0)
			s->failed = 1;
		free(payload);
		if (s->failed || s->stop)
			return 0;
	}
}
