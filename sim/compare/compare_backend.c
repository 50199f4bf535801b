/*
 * compare_backend.c - the comparing backend of `ipcsim check`: every op of
 * backend.h performed on the simulator and on the host kernel, in lock step.
 *
 * The simulator leads: its results go back to the interpreter, so the run
 * prints and checks exactly what `ipcsim run` would.  The host follows one
 * op behind nothing: each op runs on the host right after the simulator,
 * with the pid translated through the table made when the process was
 * (the host may lack a process it could not make, e.g. a uid a user
 * namespace cannot hold), and then both sides' results and both sides'
 * events of that op are compared (compare_result.c).  What differs becomes
 * a note at the line the interpreter announced with step_begin.
 *
 * Why the host can be switched off (host_off): after a simulator-only
 * limit (msgpool) the models differ by design; after the first divergence
 * (without --all) every later difference is a consequence; after a lost
 * host there is nothing to ask.  The simulator keeps running either way,
 * so the interpreter finishes the scenario as `run` would.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_int.h"
#include "ipcsim/host.h"
#include "ipcsim/kernel.h" /* sim_cap_name */
#include "ipcsim/types.h"

/* The msgssz Linux reports and has no sysctl for (uapi msg.h MSGSSZ). */
#define LINUX_MSGSSZ 16

/* ---- events ----------------------------------------------------------------- */

static void events_release(struct cmp_events *e)
{
	for (int i = e->next; i < e->n; i++)
		backend_result_release(&e->v[i].r);
	e->n = 0;
	e->next = 0;
}

/* Pops every pending event of b onto the end of e (consumed ones dropped). */
static void events_drain(struct backend *b, struct cmp_events *e)
{
	struct backend_event ev;

	if (e->next == e->n)
		e->n = e->next = 0;
	while (b->ops->event_next(b->ctx, &ev) == 1) {
		if (e->n == e->cap) {
			int cap = e->cap ? e->cap * 2 : 8;
			struct backend_event *bigger = realloc(e->v, (size_t)cap * sizeof(*bigger));

			if (bigger == NULL) {
				backend_result_release(&ev.r); /* out of memory: the event is lost */
				continue;
			}
			e->v = bigger;
			e->cap = cap;
		}
		e->v[e->n++] = ev;
	}
}

/* Moves the unconsumed events of from to the end of to. */
static void events_move(struct cmp_events *to, struct cmp_events *from)
{
	if (to->next == to->n)
		to->n = to->next = 0;
	for (int i = from->next; i < from->n; i++) {
		if (to->n == to->cap) {
			int cap = to->cap ? to->cap * 2 : 8;
			struct backend_event *bigger = realloc(to->v, (size_t)cap * sizeof(*bigger));

			if (bigger == NULL) {
				backend_result_release(&from->v[i].r);
				continue;
			}
			to->v = bigger;
			to->cap = cap;
		}
		to->v[to->n++] = from->v[i];
	}
	from->n = from->next = 0;
}

/* Drops b's pending events (a host step that did not run has none to compare). */
void cmp_events_discard(struct backend *b)
{
	struct cmp_events e = { 0 };

	events_drain(b, &e);
	events_release(&e);
	free(e.v);
}

/* ---- processes ---------------------------------------------------------------- */

static struct cmp_proc *proc_add(struct compare_backend *cb, int sim_pid, unsigned caps)
{
	struct cmp_proc *p;

	if (cb->nprocs == cb->capprocs) {
		int cap = cb->capprocs ? cb->capprocs * 2 : 8;
		struct cmp_proc *bigger = realloc(cb->procs, (size_t)cap * sizeof(*bigger));

		if (bigger == NULL)
			return NULL;
		cb->procs = bigger;
		cb->capprocs = cap;
	}
	p = &cb->procs[cb->nprocs++];
	memset(p, 0, sizeof(*p));
	p->sim_pid = sim_pid;
	p->caps = caps;
	return p;
}

struct cmp_proc *cmp_proc_find(struct compare_backend *cb, int sim_pid)
{
	for (int i = 0; i < cb->nprocs; i++)
		if (cb->procs[i].sim_pid == sim_pid)
			return &cb->procs[i];
	return NULL;
}

int cmp_host_pid(const struct compare_backend *cb, int sim_pid)
{
	for (int i = 0; i < cb->nprocs; i++)
		if (cb->procs[i].sim_pid == sim_pid)
			return cb->procs[i].host_pid;
	return 0;
}

int cmp_sim_pid(const struct compare_backend *cb, int host_pid)
{
	for (int i = 0; i < cb->nprocs; i++)
		if (host_pid > 0 && cb->procs[i].host_pid == host_pid)
			return cb->procs[i].sim_pid;
	return 0;
}

static const char *proc_label(struct compare_backend *cb, int sim_pid, char *buf, size_t len)
{
	const char *n = cb->names != NULL && cb->names->proc_name != NULL
	                        ? cb->names->proc_name(cb->names->ctx, sim_pid)
	                        : NULL;

	if (n != NULL)
		snprintf(buf, len, "%s (pid %d)", n, sim_pid);
	else
		snprintf(buf, len, "pid %d", sim_pid);
	return buf;
}

/* ---- the state of each side, for a divergence ------------------------------ */

static char *state_of(struct backend *b, const struct scenario_names *names)
{
	struct backend_creds root = { 0, 0, SIM_CAP_ALL };
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	if (w == NULL)
		return NULL;
	b->ops->shell(b->ctx, &root, names, "ipcs", w);
	fclose(w);
	return buf;
}

/*
 * A step the host skipped may have changed the simulator's state and not
 * the kernel's; from then on the two states may differ for that reason
 * alone.  changed: the simulator's step succeeded at something that can
 * change the IPC state.
 */
static void skipped_changes(struct compare_backend *cb, int changed)
{
	if (changed && cb->taint_line == 0)
		cb->taint_line = cb->line;
}

/* Whether a successful call may have changed the IPC state. */
static int may_change_state(const char *call)
{
	return strncmp(call, "getpid", 6) != 0 && strncmp(call, "signal", 6) != 0 &&
	       strncmp(call, "ftok", 4) != 0 && strstr(call, "_STAT") == NULL &&
	       strstr(call, "_INFO") == NULL;
}

static void diverged(struct compare_backend *cb, const char *call, char *sim, char *host,
                     char *why)
{
	char *ss, *hs;

	if (cmp_budget_time_up(cb)) {
		free(sim);
		free(host);
		free(why);
		return;
	}
	if (cb->taint_line > 0) {
		/* Not a verdict on the simulator: a consequence of the skip. */
		char *msg = NULL;
		size_t len = 0;
		FILE *w = open_memstream(&msg, &len);

		if (w != NULL) {
			fprintf(w, "not compared: the two states may differ since line %d, a step the "
			        "host could not run (%s)", cb->taint_line, why != NULL ? why : "");
			fclose(w);
		}
		free(why);
		cmp_note(cb, COMPARE_SKIPPED, call, sim, host, msg, NULL, NULL);
		return;
	}
	ss = state_of(cb->sim, cb->names);
	hs = state_of(cb->host, cb->names);

	cmp_note(cb, COMPARE_DIVERGED, call, sim, host, why, ss, hs);
	if (!cb->o.all)
		cb->host_off = 1;
}

static void host_lost(struct compare_backend *cb, const char *call)
{
	const char *said = backend_host_error(cb->host);
	char msg[512];

	if (cmp_budget_time_up(cb))
		return; /* its wait was cut at the wall-time budget: stopped, not lost */

	snprintf(msg, sizeof(msg), "the host backend failed at line %d (%s): %s", cb->line, call,
	         said != NULL ? said : "its coordinator was lost or a call neither returned "
	                               "nor slept");
	if (cb->rep.host_error == NULL)
		cb->rep.host_error = strdup(msg);
	cb->host_off = 1;
}

/* ---- the common step ------------------------------------------------------------ */

/*
 * Whether the host takes part in a call of sim_pid's: 1 with *hpid, or 0
 * (host off, or the process is not on the host: a SKIPPED note then).
 */
int cmp_host_takes(struct compare_backend *cb, int sim_pid, const char *call,
                      const struct backend_result *sr, int *hpid)
{
	struct cmp_proc *p = cmp_proc_find(cb, sim_pid);
	char label[96], why[320];

	if (cb->host_off || cmp_budget_refuses(cb))
		return 0;
	if (p != NULL && p->host_pid > 0) {
		*hpid = p->host_pid;
		return 1;
	}
	snprintf(why, sizeof(why), "the host has no process for %s: %s",
	         proc_label(cb, sim_pid, label, sizeof(label)),
	         p != NULL ? p->why : "unknown to the comparer");
	cmp_note(cb, COMPARE_SKIPPED, call, strace_result_text(call, sr), NULL,
	         strdup(why), NULL, NULL);
	skipped_changes(cb, sr != NULL && (sr->blocked || sr->ret >= 0) && may_change_state(call));
	return 0;
}

/* The capabilities of caps the host cannot grant, by name: the sandbox's
 * word where the host is the host backend, else the caller's own set. */
static char *caps_missing_text(struct compare_backend *cb, unsigned caps)
{
	unsigned ungrantable = backend_host_ungrantable(cb->host);
	unsigned missing = caps & (ungrantable != 0 ? ungrantable : ~backend_host_caps());
	char buf[256] = "";

	for (unsigned bit = 1; bit & SIM_CAP_ALL; bit <<= 1) {
		if (!(missing & bit) || sim_cap_name(bit) == NULL)
			continue;
		if (buf[0] != '\0')
			strncat(buf, ", ", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, sim_cap_name(bit), sizeof(buf) - strlen(buf) - 1);
	}
	return strdup(buf[0] != '\0' ? buf : "a capability it was asked for");
}

/*
 * After an op ran on both sides: drains both sides' events, compares the
 * results (sr/hr; NULL for ops without one) and the events, notes what
 * differs.  hrc is the host op's return.  Releases hr.
 */
void cmp_finish(struct compare_backend *cb, int sim_pid, const char *call,
                   enum cmp_ret_kind kind, const struct backend_result *sr, int hrc,
                   struct backend_result *hr)
{
	struct cmp_events sev = { 0 }, hev = { 0 };
	char *why = NULL, *sout = NULL, *hout = NULL;
	int same = 1;

	events_drain(cb->sim, &sev);
	if (hrc < 0) {
		host_lost(cb, call);
		goto out;
	}
	events_drain(cb->host, &hev);
	if (hrc == BACKEND_OP_SKIPPED) {
		struct cmp_proc *p = cmp_proc_find(cb, sim_pid);
		char *missing = caps_missing_text(cb, p != NULL ? p->caps : 0);
		char label[96], msg[640];

		snprintf(msg, sizeof(msg), "the host cannot grant %s %s, and the call failed with "
		         "an error that capability could have avoided%s",
		         proc_label(cb, sim_pid, label, sizeof(label)), missing, cb->skip_extra);
		free(missing);
		cmp_note(cb, COMPARE_SKIPPED, call, strace_result_text(call, sr),
		         strace_result_text(call, hr), strdup(msg), NULL, NULL);
		skipped_changes(cb, sr != NULL && (sr->blocked || sr->ret >= 0) &&
		                        cb->skip_extra[0] == '\0' && may_change_state(call));
		goto out;
	}
	if (sr != NULL && hr != NULL && !cmp_results(cb, call, kind, sr, hr, &why)) {
		diverged(cb, call, strace_result_text(call, sr), strace_result_text(call, hr), why);
		same = 0;
	} else if (!cmp_events_equal(cb, &sev, &hev, &sout, &hout, &why)) {
		char ev_call[160];

		snprintf(ev_call, sizeof(ev_call), "what %s woke or ended", call);
		diverged(cb, ev_call, sout, hout, why);
		same = 0;
	}
	if (same)
		cb->rep.nagreed++;
out:
	events_move(&cb->sim_evs, &sev);
	events_release(&hev);
	free(sev.v);
	free(hev.v);
	if (hr != NULL)
		backend_result_release(hr);
}

/* The simulator's events of an op the host did not run. */
void cmp_sim_only_events(struct compare_backend *cb)
{
	struct cmp_events sev = { 0 };

	events_drain(cb->sim, &sev);
	events_move(&cb->sim_evs, &sev);
	free(sev.v);
}


/* ---- ops ---------------------------------------------------------------------------- */

static int cmp_proc_new(void *ctx, const struct backend_creds *c, int *pid)
{
	struct compare_backend *cb = ctx;
	struct cmp_proc *p;
	int hpid = 0;

	if (cb->sim->ops->proc_new(cb->sim->ctx, c, pid) < 0)
		return -1;
	p = proc_add(cb, *pid, c->caps);
	if (p == NULL)
		return -1;
	if (cb->host_off || cmp_budget_refuses(cb))
		return 0;
	if (cb->host->ops->proc_new(cb->host->ctx, c, &hpid) == 0) {
		p->host_pid = hpid;
		return 0;
	}
	snprintf(p->why, sizeof(p->why), "the host could not make a process with uid %u, "
	         "gid %u (no privilege to set them here)", c->uid, c->gid);
	{
		char call[96], why[256];

		snprintf(call, sizeof(call), "new process uid=%u gid=%u", c->uid, c->gid);
		snprintf(why, sizeof(why), "%s; its steps are skipped", p->why);
		cmp_note(cb, COMPARE_SKIPPED, call, NULL, NULL, strdup(why), NULL, NULL);
	}
	return 0;
}

static int cmp_limit_set(void *ctx, const char *name, long long value)
{
	struct compare_backend *cb = ctx;
	int src = cb->sim->ops->limit_set(cb->sim->ctx, name, value), hrc;
	char call[128];

	if (cb->host_off || (src >= 0 && cmp_budget_refuses(cb))) {
		cmp_sim_only_events(cb);
		return src;
	}
	/* A value the simulator refuses goes to the host too: which values
	 * are refused, and with which errno, is part of the model. */
	snprintf(call, sizeof(call), "limit %s=%lld", name, value);
	hrc = cb->host->ops->limit_set(cb->host->ctx, name, value);
	if (src < 0 && hrc == -BACKEND_NOT_ON_HOST) {
		cmp_sim_only_events(cb); /* refused, and not Linux's model anyway */
		return src;
	}
	if (hrc == -BACKEND_NOT_ON_HOST && strcmp(name, "msgssz") == 0 && value == LINUX_MSGSSZ) {
		/* Linux's own allocation unit: the same model on both sides. */
		cmp_finish(cb, 0, call, CMP_RET_PLAIN, NULL, 0, NULL);
		return src;
	}
	if (hrc == -BACKEND_NOT_ON_HOST) {
		snprintf(cb->sim_only_name, sizeof(cb->sim_only_name), "%s", name);
		cb->rep.sim_only = cb->sim_only_name;
		cb->rep.sim_only_line = cb->line;
		cb->host_off = 1;
		cmp_sim_only_events(cb);
		return src;
	}
	if (hrc == -EIO) {
		host_lost(cb, call);
		cmp_sim_only_events(cb);
		return src;
	}
	if (src != hrc && (hrc == -EACCES || hrc == -EPERM)) {
		char why[160];

		snprintf(why, sizeof(why), "the host may not write kernel.%s here (%s)", name,
		         strerror(-hrc));
		cmp_sim_only_events(cb);
		cmp_note(cb, COMPARE_SKIPPED, call, NULL, NULL, strdup(why), NULL, NULL);
		skipped_changes(cb, src == 0);
		return src;
	}
	if (hrc != src) {
		char s[32], h[32], why[96];

		snprintf(s, sizeof(s), "%d", src);
		snprintf(h, sizeof(h), "%d", hrc);
		if (src < 0 && hrc < 0)
			snprintf(why, sizeof(why), "the limit was refused with %s by the simulator, "
			         "%s by the kernel", strerrorname_np(-src), strerrorname_np(-hrc));
		else
			snprintf(why, sizeof(why), "the limit was %s on one side only",
			         src == 0 ? "refused by the kernel" : "refused by the simulator");
		cmp_sim_only_events(cb);
		diverged(cb, call, strdup(s), strdup(h), strdup(why));
		return src;
	}
	cmp_finish(cb, 0, call, CMP_RET_PLAIN, NULL, 0, NULL);
	return src;
}

static int cmp_file_add(void *ctx, const char *path, unsigned long inode, unsigned major,
                        unsigned minor)
{
	struct compare_backend *cb = ctx;
	int src = cb->sim->ops->file_add(cb->sim->ctx, path, inode, major, minor);

	if (src == 0 && !cb->host_off &&
	    cb->host->ops->file_add(cb->host->ctx, path, inode, major, minor) < 0)
		host_lost(cb, "file");
	return src;
}

static int cmp_fork(void *ctx, int pid, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	struct cmp_proc *parent, *child = NULL;
	unsigned caps;
	int hpid, hrc;

	if (cb->sim->ops->fork(cb->sim->ctx, pid, r) < 0)
		return -1;
	parent = cmp_proc_find(cb, pid);
	caps = parent != NULL ? parent->caps : 0;
	if (r->ret > 0) {
		child = proc_add(cb, (int)r->ret, caps);
		if (child == NULL)
			return -1;
		snprintf(child->why, sizeof(child->why), "its parent is not on the host");
	}
	if (!cmp_host_takes(cb, pid, "fork()", r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	memset(&hr, 0, sizeof(hr));
	hrc = cb->host->ops->fork(cb->host->ctx, hpid, &hr);
	if (child != NULL && hrc == 0 && hr.ret > 0) {
		child->host_pid = (int)hr.ret;
		cmp_addr_fork(cb, pid, child->sim_pid);
	} else if (child != NULL) {
		snprintf(child->why, sizeof(child->why), "the host's fork failed");
	}
	cmp_finish(cb, pid, "fork()", CMP_RET_PID, r, hrc, &hr);
	return 0;
}

static int cmp_exit(void *ctx, int pid, int status, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[32];
	int hpid;

	if (cb->sim->ops->exit(cb->sim->ctx, pid, status, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "exit(%d)", status);
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	       cb->host->ops->exit(cb->host->ctx, hpid, status, &hr), &hr);
	return 0;
}

static int cmp_kill(void *ctx, int pid, int target, int sig, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	struct cmp_proc *t;
	char call[64];
	int hpid, htarget = target;

	if (cb->sim->ops->kill(cb->sim->ctx, pid, target, sig, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "kill(%d, %d)", target, sig);
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	t = cmp_proc_find(cb, target);
	if (t != NULL && t->host_pid <= 0) {
		/* The target is not on the host: the caller's step is skipped too. */
		cmp_host_takes(cb, target, call, r, &htarget);
		cmp_sim_only_events(cb);
		return 0;
	}
	if (t != NULL)
		htarget = t->host_pid;
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	       cb->host->ops->kill(cb->host->ctx, hpid, htarget, sig, &hr), &hr);
	return 0;
}

static int cmp_signal(void *ctx, int pid, int sig, enum backend_sig_disp disp,
                      struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[64];
	int hpid;

	if (cb->sim->ops->signal(cb->sim->ctx, pid, sig, disp, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "signal(%d, %s)", sig,
	         disp == BACKEND_SIG_CATCH ? "handler" : disp == BACKEND_SIG_IGN ? "SIG_IGN"
	                                                                         : "SIG_DFL");
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	       cb->host->ops->signal(cb->host->ctx, hpid, sig, disp, &hr), &hr);
	return 0;
}

static int cmp_sleep(void *ctx, int pid, long seconds, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[48];
	int hpid;

	if (cb->sim->ops->sleep(cb->sim->ctx, pid, seconds, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "sleep(%ld)", seconds);
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	       cb->host->ops->sleep(cb->host->ctx, hpid, seconds, &hr), &hr);
	return 0;
}

static int cmp_getpid(void *ctx, int pid, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	int hpid;

	if (cb->sim->ops->getpid(cb->sim->ctx, pid, r) < 0)
		return -1;
	if (!cmp_host_takes(cb, pid, "getpid()", r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, "getpid()", CMP_RET_PID, r,
	       cb->host->ops->getpid(cb->host->ctx, hpid, &hr), &hr);
	return 0;
}

static int cmp_event_next(void *ctx, struct backend_event *ev)
{
	struct compare_backend *cb = ctx;
	struct cmp_events *e = &cb->sim_evs;

	if (e->next >= e->n)
		return 0;
	*ev = e->v[e->next++]; /* ownership of the result's text passes */
	return 1;
}

/* Runs cmdline on b into a malloc'd string; its exit status in *status. */
char *cmp_shell_capture(struct backend *b, const struct backend_creds *c,
                           const struct scenario_names *names, const char *cmdline, int *status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	if (w == NULL)
		return NULL;
	*status = b->ops->shell(b->ctx, c, names, cmdline, w);
	fclose(w);
	return buf;
}

/*
 * A `cat /proc/PID/maps` of a process the host does not have (a uid its
 * user namespace cannot hold): the host would answer for no process, so
 * the step is SKIPPED, as that process's calls are.  1 when so (the note
 * taken sout).
 */
static int names_absent_maps(struct compare_backend *cb, const char *call, char *sout)
{
	int pids[CMP_MAPS_MAX_PIDS], n = cmp_maps_pids(call, pids, CMP_MAPS_MAX_PIDS);

	for (int i = 0; i < n; i++) {
		struct cmp_proc *p = cmp_proc_find(cb, pids[i]);
		char why[320];

		if (p == NULL || p->host_pid > 0)
			continue;
		snprintf(why, sizeof(why), "the host has no process for pid %d: %s", pids[i], p->why);
		cmp_sim_only_events(cb);
		cmp_note(cb, COMPARE_SKIPPED, call, sout, NULL, strdup(why), NULL, NULL);
		return 1;
	}
	return 0;
}

static int cmp_shell(void *ctx, const struct backend_creds *c, const struct scenario_names *names,
                     const char *cmdline, FILE *out)
{
	struct compare_backend *cb = ctx;
	int sst = 0, hst = 0;
	char *sout = cmp_shell_capture(cb->sim, c, names, cmdline, &sst), *hout, *why = NULL;
	char call[320];

	if (sout == NULL)
		return 126;
	fputs(sout, out);
	snprintf(call, sizeof(call), "$ %s%s", c->uid == 0 ? "sudo " : "", cmdline);
	if (cb->host_off || cmp_budget_refuses(cb)) {
		cmp_sim_only_events(cb);
		free(sout);
		return sst;
	}
	if (names_absent_maps(cb, call, sout))
		return sst;
	hout = cmp_shell_capture(cb->host, c, names, cmdline, &hst);
	if (hout == NULL || (hst == 126 && strstr(hout, "ipcsim: host backend: cannot run")) ||
	    strncmp(hout, "ipcsim: cannot become uid", 25) == 0) {
		char msg[256];

		snprintf(msg, sizeof(msg), "the host could not run the command as uid %u, gid %u",
		         c->uid, c->gid);
		cmp_events_discard(cb->host);
		cmp_sim_only_events(cb);
		cmp_note(cb, COMPARE_SKIPPED, call, sout, hout, strdup(msg), NULL, NULL);
		skipped_changes(cb, sst == 0 && (strncmp(cmdline, "ipcrm", 5) == 0 ||
		                                 (strncmp(cmdline, "sysctl", 6) == 0 &&
		                                  strstr(cmdline, "-w") != NULL)));
		return sst;
	}
	if (!cmp_shell_output(cb, cmdline, sout, hout, &why)) {
		cmp_sim_only_events(cb);
		diverged(cb, call, sout, hout, why);
		return sst;
	}
	if (sst != hst) {
		char s[32], h[32];

		snprintf(s, sizeof(s), "exit status %d", sst);
		snprintf(h, sizeof(h), "exit status %d", hst);
		cmp_sim_only_events(cb);
		diverged(cb, call, strdup(s), strdup(h), strdup("the exit statuses differ"));
		free(sout);
		free(hout);
		return sst;
	}
	free(sout);
	free(hout);
	cmp_finish(cb, 0, call, CMP_RET_PLAIN, NULL, 0, NULL);
	return sst;
}

/* The simulator's kernel: what `show` draws is the simulator's state. */
static const struct sim_kernel *cmp_kernel(void *ctx)
{
	struct compare_backend *cb = ctx;

	return backend_kernel(cb->sim);
}

static const char *cmp_failure(void *ctx)
{
	struct compare_backend *cb = ctx;

	return backend_failure(cb->sim);
}

static int cmp_check(void *ctx, char *err, size_t errlen)
{
	struct compare_backend *cb = ctx;

	return cb->sim->ops->check != NULL ? cb->sim->ops->check(cb->sim->ctx, err, errlen) : 0;
}

static void cmp_step_begin(void *ctx, int line, const char *text,
                           const struct scenario_names *names)
{
	struct compare_backend *cb = ctx;

	cb->line = line;
	cb->text = text;
	cb->names = names;
}

static void cmp_destroy(void *ctx)
{
	struct compare_backend *cb = ctx;

	if (cb == NULL)
		return;
	backend_free(&cb->sim);
	backend_free(&cb->host);
	events_release(&cb->sim_evs);
	free(cb->sim_evs.v);
	cmp_addr_free(cb);
	free(cb->procs);
	free(cb->keys.v);
	cmp_report_free(&cb->rep);
	free(cb);
}

static const struct backend_ops compare_backend_ops = {
	.name = "compare",
	.proc_new = cmp_proc_new,
	.limit_set = cmp_limit_set,
	.file_add = cmp_file_add,
	.ftok = cmp_ftok,
	.msgget = cmp_msgget,
	.msgsnd = cmp_msgsnd,
	.msgrcv = cmp_msgrcv,
	.msgctl = cmp_msgctl,
	.msg_current = cmp_msg_current,
	.fork = cmp_fork,
	.exit = cmp_exit,
	.kill = cmp_kill,
	.signal = cmp_signal,
	.sleep = cmp_sleep,
	.getpid = cmp_getpid,
	.event_next = cmp_event_next,
	.shell = cmp_shell,
	.kernel = cmp_kernel,
	.failure = cmp_failure,
	.check = cmp_check,
	.destroy = cmp_destroy,
	.step_begin = cmp_step_begin,
	.shmget = cmp_shmget,
	.shmat = cmp_shmat,
	.shmdt = cmp_shmdt,
	.shmctl = cmp_shmctl,
	.shm_current = cmp_shm_current,
	.semget = cmp_semget,
	.semop = cmp_semop,
	.semtimedop = cmp_semtimedop,
	.semctl = cmp_semctl,
	.sem_current = cmp_sem_current,
	.mem_store = cmp_mem_store,
	.mem_load = cmp_mem_load,
	.mem_write = cmp_mem_write,
	.mem_read = cmp_mem_read,
};

struct backend *backend_compare_new(struct backend **sim, struct backend **host,
                                    const struct compare_options *o)
{
	struct backend *b = calloc(1, sizeof(*b));
	struct compare_backend *cb = calloc(1, sizeof(*cb));

	if (b == NULL || cb == NULL || sim == NULL || host == NULL || *sim == NULL ||
	    *host == NULL) {
		free(b);
		free(cb);
		if (sim != NULL)
			backend_free(sim);
		if (host != NULL)
			backend_free(host);
		return NULL;
	}
	cb->sim = *sim;
	cb->host = *host;
	*sim = NULL;
	*host = NULL;
	if (o != NULL)
		cb->o = *o;
	cmp_budget_init(cb, o != NULL ? &o->budget : NULL);
	/* IPC_PRIVATE is the same key in both worlds. */
	cmp_bind(&cb->keys, 0, 0);
	b->ops = &compare_backend_ops;
	b->ctx = cb;
	return b;
}

const struct compare_report *backend_compare_report(const struct backend *b)
{
	if (b == NULL || b->ops != &compare_backend_ops)
		return NULL;
	return &((const struct compare_backend *)b->ctx)->rep;
}
