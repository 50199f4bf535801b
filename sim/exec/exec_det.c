/*
 * exec_det.c - `ipcsim exec --deterministic`: the server, not the
 * machine's scheduler, decides which process's call proceeds.
 *
 * A call is not served when it arrives: it waits until every live process
 * has stopped, each one either waiting with a call of its own, asleep in a
 * simulated call, or asleep in the real kernel (waitpid, sleep, a read:
 * state S or D in /proc/PID/stat) or ended.  Then the waiting call of the
 * next process in simulated-pid order after the one served last (round
 * robin) is served, and it runs alone until it stops again.  So the order
 * of the calls and their results depend only on what the programs do, not
 * on timing, as long as the programs themselves do not depend on timing
 * (docs/exec.md: the clock, sleeps that end while another process runs,
 * signals, plain memory accesses between calls).
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

/* The process runs (or is runnable) in the real kernel: state R. */
static int running(pid_t pid)
{
	char buf[512], *close_paren;

	if (exec_proc_file(pid, "stat", buf, sizeof(buf)) <= 0)
		return 0;
	close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] == ' ' && close_paren[2] == 'R';
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

		if (exec_in_flight(s))
			return 1;
		for (size_t i = 0; i < s->nprocs; i++) {
			struct exec_proc *o = &s->procs[i];

			if (!o->ended && !o->has_pend && !o->blocked && running(o->real))
				return 1;
		}
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
