/*
 * diff_exec.c - a sequence performed on a backend (see diff_exec.h): the
 * processes of a step, the message-queue calls and limits, and the record
 * of each result.  The shm and sem calls are in diff_exec_ipc.c.
 */
#include "diff_exec.h"
#include "diff_exec_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>

static const char *const op_names[] = {
	[DIFF_MSGGET] = "msgget",   [DIFF_MSGSND] = "msgsnd", [DIFF_MSGRCV] = "msgrcv",
	[DIFF_MSGCTL] = "msgctl",   [DIFF_LIMIT] = "limit",   [DIFF_SHMGET] = "shmget",
	[DIFF_SHMAT] = "shmat",     [DIFF_SHMDT] = "shmdt",   [DIFF_SHMCTL] = "shmctl",
	[DIFF_MEMWRITE] = "memcpy", [DIFF_MEMREAD] = "memread", [DIFF_SEMGET] = "semget",
	[DIFF_SEMOP] = "semop",     [DIFF_SEMCTL] = "semctl",
};

int diff_exec_begin(struct diff_exec *x, struct backend *b, unsigned root_caps,
                    struct diff_run *run)
{
	struct backend_creds root = { 0, 0, root_caps };
	int pid;

	memset(x, 0, sizeof(*x));
	/* r[i] is written when step i runs: nsteps says which are valid (and
	 * an 80 KB memset per sequence costs page faults in a forking test). */
	run->nsteps = 0;
	run->nprocs = 0;
	x->b = b;
	x->run = run;
	x->root_caps = root_caps;
	x->buf = malloc(DIFF_SCRATCH);
	if (x->buf == NULL || b->ops->proc_new(b->ctx, &root, &pid) != 0) {
		diff_exec_end(x);
		return -1;
	}
	run->pids[0] = pid;
	run->nprocs = 1;
	return 0;
}

void diff_exec_end(struct diff_exec *x)
{
	free(x->buf);
	x->buf = NULL;
}

int diff_exec_pid(const struct diff_exec *x, int where)
{
	if (where == DIFF_WHERE_DEFAULT)
		return x->root_dead ? -1 : x->run->pids[0];
	if (where >= 1 && where <= DIFF_MAX_HELPERS && x->helper_pid[where] > 0 &&
	    !x->helper_dead[where])
		return x->helper_pid[where];
	return -1;
}

/* A new process of who: its number in the run, or -1 (the backend failed). */
static int new_proc(struct diff_exec *x, enum diff_actor who, int *pid)
{
	const struct diff_cred *c = &diff_creds[who];
	struct backend_creds creds = { c->uid, c->gid, who == DIFF_ROOT ? x->root_caps : 0 };

	if (x->b->ops->proc_new(x->b->ctx, &creds, pid) != 0)
		return -1;
	x->run->pids[x->run->nprocs] = *pid;
	return x->run->nprocs++;
}

/* The comparer hands over the simulator's events of each op; a sequence
 * never sleeps, so there is nothing to do with them but release them. */
static void drain_events(struct diff_exec *x)
{
	struct backend_event ev;

	while (x->b->ops->event_next(x->b->ctx, &ev) == 1)
		backend_result_release(&ev.r);
}

void diff_exec_describe(const struct diff_step *st, char *buf, size_t n)
{
	const char *who = diff_creds[st->actor].name;

	if (st->op == DIFF_SPAWN)
		snprintf(buf, n, "helper %d starts as %s", st->helper, who);
	else if (st->op == DIFF_EXIT)
		snprintf(buf, n, "helper %d exits", st->helper);
	else if (st->where > 0)
		snprintf(buf, n, "helper %d: %s", st->where, op_names[st->op]);
	else if (st->op != DIFF_LIMIT && (st->actor != DIFF_ROOT || st->where == DIFF_WHERE_CHILD))
		snprintf(buf, n, "%s (own process): %s", who, op_names[st->op]);
	else
		snprintf(buf, n, "%s: %s", who, op_names[st->op]);
}

static int call_msg(struct diff_exec *x, int pid, const struct diff_seq *s, int i,
                    struct backend_result *r)
{
	const struct diff_step *st = &s->steps[i];
	const struct backend_ops *o = x->b->ops;
	int id = (int)diff_id_resolve(&st->id, x->run);
	enum backend_buf buf = st->null_buf ? BACKEND_BUF_NULL : BACKEND_BUF_VALID;
	struct ipcsim_msqid_ds ds;
	struct backend_msg m;

	switch (st->op) {
	case DIFF_MSGGET:
		return o->msgget(x->b->ctx, pid, (long)(key_t)st->key, st->flags, r);
	case DIFF_MSGSND:
		m.mtype = st->mtype;
		m.text = x->buf;
		m.len = st->msgsz < DIFF_SCRATCH ? st->msgsz : DIFF_SCRATCH;
		for (size_t j = 0; j < m.len; j++)
			x->buf[j] = diff_text_byte(i, j);
		return o->msgsnd(x->b->ctx, pid, id, st->null_buf ? NULL : &m, st->msgsz, st->flags, r);
	case DIFF_MSGRCV:
		return o->msgrcv(x->b->ctx, pid, id, buf, st->msgsz, st->msgtyp, st->flags, r);
	default: /* DIFF_MSGCTL */
		memset(&ds, 0, sizeof(ds));
		ds.msg_perm.uid = st->set.uid;
		ds.msg_perm.gid = st->set.gid;
		ds.msg_perm.mode = (unsigned short)st->set.mode; /* ipc_perm.mode is a ushort */
		ds.msg_qbytes = st->set.qbytes;
		if (st->cmd == IPC_RMID)
			buf = BACKEND_BUF_NULL; /* as C calls it: msgctl(id, IPC_RMID, NULL) */
		return o->msgctl(x->b->ctx, pid, id, st->cmd, buf,
		                 st->cmd == IPC_SET && buf == BACKEND_BUF_VALID ? &ds : NULL, r);
	}
}

/* Keeps r's values in res, its pointer payloads as length and hash; releases r. */
static void record(struct diff_result *res, int proc, struct backend_result *r)
{
	memset(res, 0, sizeof(*res));
	res->proc = proc;
	if (r->blocked)
		res->ret = DIFF_RET_BLOCKED;
	else if (r->killed)
		res->ret = DIFF_RET_SEGV;
	else
		res->ret = r->ret == -1 ? -(long)r->err : r->ret;
	if (r->has_msg) {
		res->has_msg = 1;
		res->mtype = r->msg.mtype;
		res->len = r->msg.len;
		res->text_hash = diff_hash(r->msg.text, r->msg.len);
	} else if (r->semvals != NULL) {
		res->has_bytes = 1;
		res->len = r->nsemvals * sizeof(*r->semvals);
		res->text_hash = diff_hash((const unsigned char *)r->semvals, res->len);
	} else if (r->bytes != NULL) {
		res->has_bytes = 1;
		res->len = r->nbytes;
		res->text_hash = diff_hash(r->bytes, r->nbytes);
	}
	res->r = *r;
	res->r.msg.text = NULL;
	res->r.semvals = NULL;
	res->r.bytes = NULL;
	backend_result_release(r);
}

/* DIFF_SPAWN / DIFF_EXIT of helper h, recorded in res: 0, or -1 when the backend failed. */
static int helper_step(struct diff_exec *x, const struct diff_step *st, struct diff_result *res)
{
	struct backend_result r;
	int h = st->helper, pid;

	memset(&r, 0, sizeof(r));
	if (h < 1 || h > DIFF_MAX_HELPERS) {
		r.ret = -1;
		r.err = ESRCH;
	} else if (st->op == DIFF_SPAWN) {
		if (x->helper_pid[h] > 0 && !x->helper_dead[h] &&
		    x->b->ops->exit(x->b->ctx, x->helper_pid[h], 0, &r) != 0)
			return -1;
		backend_result_release(&r);
		memset(&r, 0, sizeof(r));
		x->helper_proc[h] = new_proc(x, st->actor, &pid);
		if (x->helper_proc[h] < 0)
			return -1;
		x->helper_pid[h] = pid;
		x->helper_dead[h] = 0;
	} else if (x->helper_pid[h] == 0) {
		r.ret = -1;
		r.err = ESRCH;
	} else {
		/* A helper that died in a call has exited already. */
		if (!x->helper_dead[h] && x->b->ops->exit(x->b->ctx, x->helper_pid[h], 0, &r) != 0)
			return -1;
		x->helper_pid[h] = 0;
	}
	drain_events(x);
	record(res, h >= 1 && h <= DIFF_MAX_HELPERS ? x->helper_proc[h] : 0, &r);
	return 0;
}

/* Where step st runs: *pid and its process number, *own when it is a
 * process of its own for this step.  0, 1 when that process is gone (the
 * step gives ESRCH), -1 when the backend failed. */
static int step_process(struct diff_exec *x, const struct diff_step *st, int *pid, int *proc,
                        int *own)
{
	*own = 0;
	if (st->where > 0) {
		*pid = diff_exec_pid(x, st->where);
		*proc = *pid > 0 ? x->helper_proc[st->where] : 0;
		return *pid > 0 ? 0 : 1;
	}
	if (st->op != DIFF_LIMIT && (st->actor != DIFF_ROOT || st->where == DIFF_WHERE_CHILD)) {
		*own = 1;
		*proc = new_proc(x, st->actor, pid);
		return *proc < 0 ? -1 : 0;
	}
	*pid = x->run->pids[0];
	*proc = 0;
	return x->root_dead ? 1 : 0;
}

static void trace_step(struct diff_exec *x, int i)
{
	const struct diff_result *res = &x->run->r[i];

	fprintf(x->trace, "  line %d: %s ", i + 1, x->text);
	if (res->ret == DIFF_RET_BLOCKED)
		fputs("<sleeps>\n", x->trace);
	else if (res->ret == DIFF_RET_SEGV)
		fputs("--- SIGSEGV ---\n", x->trace);
	else if (res->ret < 0 && res->ret > -4096)
		fprintf(x->trace, "= -1 %s\n", strerrorname_np((int)-res->ret));
	else if (res->has_msg || res->has_bytes)
		fprintf(x->trace, "= %ld {%zu bytes, hash %016llx}\n", res->ret, res->len,
		        (unsigned long long)res->text_hash);
	else
		fprintf(x->trace, "= %ld\n", res->ret);
}

/* The backend's invariant check (the simulator's sim_kernel_check). */
static void check_invariants(struct diff_exec *x, int i)
{
	char err[200];

	if (x->invariant[0] != '\0' || x->b->ops->check == NULL ||
	    x->b->ops->check(x->b->ctx, err, sizeof(err)) == 0)
		return;
	snprintf(x->invariant, sizeof(x->invariant), "after line %d (%s): %s", i + 1, x->text,
	         err);
}

long diff_exec_step(struct diff_exec *x, const struct diff_seq *s, int i)
{
	const struct diff_step *st = &s->steps[i];
	struct diff_result *res = &x->run->r[i];
	struct backend_result r;
	int pid = 0, proc = 0, own = 0, rc;

	x->run->nsteps = i + 1;
	diff_exec_describe(st, x->text, sizeof(x->text));
	if (x->b->ops->step_begin != NULL)
		x->b->ops->step_begin(x->b->ctx, i + 1, x->text, NULL);
	memset(&r, 0, sizeof(r));
	if (st->op == DIFF_SPAWN || st->op == DIFF_EXIT) {
		rc = helper_step(x, st, res);
		goto out;
	}
	rc = step_process(x, st, &pid, &proc, &own);
	if (rc != 0) {
		r.ret = -1;
		r.err = ESRCH;
		rc = rc > 0 ? 0 : -1;
	} else if (st->op == DIFF_LIMIT) {
		rc = x->b->ops->limit_set(x->b->ctx, diff_limit_names[st->limit], st->value);
		r.ret = rc == 0 ? 0 : -1;
		r.err = -rc;
		rc = 0;
	} else if (st->op <= DIFF_MSGCTL) {
		rc = call_msg(x, pid, s, i, &r);
	} else {
		rc = diff_exec_ipc_call(x, pid, s, i, &r);
	}
	drain_events(x);
	if (rc != 0)
		goto out;
	if (r.killed && st->where > 0)
		x->helper_dead[st->where] = 1;
	else if (r.killed && !own)
		x->root_dead = 1;
	record(res, proc, &r);
	if (own && res->ret != DIFF_RET_SEGV && res->ret != DIFF_RET_BLOCKED) {
		/* its exit detaches its segments and applies its SEM_UNDO */
		rc = x->b->ops->exit(x->b->ctx, pid, 0, &r);
		backend_result_release(&r);
		drain_events(x);
	}
out:
	if (rc != 0) {
		memset(res, 0, sizeof(*res));
		res->ret = DIFF_RET_FAILED;
	}
	check_invariants(x, i);
	if (x->trace != NULL)
		trace_step(x, i);
	return res->ret;
}

int diff_exec_all(struct diff_exec *x, const struct diff_seq *s)
{
	for (int i = 0; i < s->nsteps; i++) {
		long r = diff_exec_step(x, s, i);

		/* a sleeper or a dead root cannot go on; a failed backend says nothing */
		if (r == DIFF_RET_BLOCKED || r == DIFF_RET_FAILED || x->root_dead)
			return i + 1;
	}
	return s->nsteps;
}

int diff_exec_sim(const struct diff_seq *s, unsigned root_caps, struct diff_run *run)
{
	struct backend *b = backend_sim_new();
	struct diff_exec x;
	int rc = -1;

	if (b == NULL || diff_exec_begin(&x, b, root_caps, run) != 0)
		goto out;
	diff_exec_all(&x, s);
	diff_exec_end(&x);
	rc = 0;
out:
	backend_free(&b);
	return rc;
}
