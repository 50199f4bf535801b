/*
 * interp_call.c - one scenario call, performed through the backend.
 *
 * Arguments are evaluated here into the plain values the backend takes;
 * buffers follow C: a message literal or variable is a valid buffer, NULL
 * is a bad pointer (EFAULT where Linux gives it), `_` is a valid buffer
 * whose contents are thrown away.  Binding follows SCENARIO.md, Details 1:
 * `var = call()` binds the return value as C would (-1 on failure), `&var`
 * binds only when the call succeeds.  The shm, memory and semaphore calls
 * are in interp_shm.c and interp_sem.c.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/types.h"
#include "script/interp_int.h"

static int arg_int(struct interp *in, const struct stmt *st, int i, long long *v)
{
	return eval_int(in, st->args[i], v);
}

/* The result's payload as a value: the message, the STAT struct, the info. */
int call_take_payload(struct interp *in, const struct stmt *st, struct actual *a)
{
	int rc = 0;

	if (a->r.has_msg)
		rc = value_from_msg(&a->payload, a->r.msg.mtype, a->r.msg.text, a->r.msg.len);
	else if (a->r.has_ds)
		rc = value_from_struct(&a->payload, strace_msqid_ds_fields, &a->r.ds);
	else if (a->r.has_info)
		rc = value_from_struct(&a->payload, strace_msginfo_fields, &a->r.info);
	else if (a->r.has_shm_ds)
		rc = value_from_struct(&a->payload, strace_shmid_ds_fields, &a->r.shm_ds);
	else if (a->r.has_shminfo)
		rc = value_from_struct(&a->payload, strace_shminfo_fields, &a->r.shminfo);
	else if (a->r.has_shm_info)
		rc = value_from_struct(&a->payload, strace_shm_info_fields, &a->r.shm_info);
	else if (a->r.has_sem_ds)
		rc = value_from_struct(&a->payload, strace_semid_ds_fields, &a->r.sem_ds);
	else if (a->r.has_seminfo)
		rc = value_from_struct(&a->payload, strace_seminfo_fields, &a->r.seminfo);
	else if (a->r.semvals != NULL)
		rc = value_from_semvals(&a->payload, a->r.semvals, a->r.nsemvals);
	else if (a->r.bytes != NULL && (rc = value_from_msg(&a->payload, 0, a->r.bytes,
	                                                   a->r.nbytes)) == 0)
		a->payload.kind = V_STR; /* memread: the bytes, as a text without a type */
	return rc < 0 ? interp_error(in, st, st->call_col, "out of memory") : 0;
}

static int do_msgsnd(struct interp *in, const struct stmt *st, int pid, struct backend_result *r)
{
	long long id, size, flags;
	struct value m = { 0 };
	struct backend_msg msg;
	int rc = -1;

	if (arg_int(in, st, 0, &id) < 0 || arg_int(in, st, 2, &size) < 0 ||
	    arg_int(in, st, 3, &flags) < 0)
		return -1;
	if (st->args[1]->kind == EX_NULL)
		return in->b->ops->msgsnd(in->b->ctx, pid, (int)id, NULL, (size_t)size, (int)flags, r);
	if (eval(in, st->args[1], &m) < 0)
		return -1;
	if (m.kind != V_MSG) {
		interp_error(in, st, st->args[1]->col, "msgsnd needs a message here");
		goto out_free;
	}
	msg.mtype = (long)m.i;
	msg.text = m.bytes;
	msg.len = m.len;
	rc = in->b->ops->msgsnd(in->b->ctx, pid, (int)id, &msg, (size_t)size, (int)flags, r);
out_free:
	value_free(&m);
	return rc;
}

static int do_msgrcv(struct interp *in, const struct stmt *st, int pid, struct backend_result *r)
{
	long long id, size, type, flags;
	enum backend_buf buf = st->args[1]->kind == EX_NULL ? BACKEND_BUF_NULL : BACKEND_BUF_VALID;

	if (arg_int(in, st, 0, &id) < 0 || arg_int(in, st, 2, &size) < 0 ||
	    arg_int(in, st, 3, &type) < 0 || arg_int(in, st, 4, &flags) < 0)
		return -1;
	return in->b->ops->msgrcv(in->b->ctx, pid, (int)id, buf, (size_t)size, (long)type,
	                          (int)flags, r);
}

static int do_msgctl(struct interp *in, const struct stmt *st, int pid, struct backend_result *r)
{
	long long id, cmd;
	const struct expr *bufe = st->args[2];
	struct ipcsim_msqid_ds ds;
	struct value v = { 0 };
	int rc;

	if (arg_int(in, st, 0, &id) < 0 || arg_int(in, st, 1, &cmd) < 0)
		return -1;
	memset(&ds, 0, sizeof(ds));
	if (bufe->kind == EX_NULL)
		return in->b->ops->msgctl(in->b->ctx, pid, (int)id, (int)cmd, BACKEND_BUF_NULL, NULL, r);
	if (cmd == IPC_SET && bufe->kind != EX_DISCARD) {
		if (eval(in, bufe, &v) < 0)
			return -1;
		if (v.kind != V_STRUCT) {
			value_free(&v);
			return interp_error(in, st, bufe->col, "IPC_SET needs a struct msqid_ds");
		}
		/* Unnamed fields keep their current values, as after an IPC_STAT. */
		in->b->ops->msg_current(in->b->ctx, (int)id, &ds);
		value_to_struct(&v, strace_msqid_ds_fields, &ds);
		value_free(&v);
	}
	rc = in->b->ops->msgctl(in->b->ctx, pid, (int)id, (int)cmd, BACKEND_BUF_VALID, &ds, r);
	return rc;
}

static int do_ftok(struct interp *in, const struct stmt *st, int pid, struct backend_result *r)
{
	struct value path = { 0 };
	long long proj;
	int rc;

	if (arg_int(in, st, 1, &proj) < 0 || eval(in, st->args[0], &path) < 0)
		return -1;
	if (path.kind != V_STR) {
		value_free(&path);
		return interp_error(in, st, st->args[0]->col, "ftok needs a path string");
	}
	rc = in->b->ops->ftok(in->b->ctx, pid, (const char *)path.bytes, (int)proj, r);
	value_free(&path);
	return rc;
}

static int do_signal(struct interp *in, const struct stmt *st, int pid, struct backend_result *r)
{
	long long sig;
	const char *h = st->args[1]->text;
	enum backend_sig_disp d = strcmp(h, "handler") == 0   ? BACKEND_SIG_CATCH
	                          : strcmp(h, "SIG_IGN") == 0 ? BACKEND_SIG_IGN
	                                                      : BACKEND_SIG_DFL;

	if (arg_int(in, st, 0, &sig) < 0)
		return -1;
	return in->b->ops->signal(in->b->ctx, pid, (int)sig, d, r);
}

static int do_fork(struct interp *in, const struct stmt *st, int pid, struct backend_result *r)
{
	struct proc *child;

	if (in->b->ops->fork(in->b->ctx, pid, r) < 0)
		return -1;
	if (r->ret < 0)
		return 0;
	child = interp_proc(in, st->bind, 0);
	if (child != NULL)
		return interp_error(in, st, st->bind_col, "'%s' already exists", st->bind);
	child = calloc(1, sizeof(*child));
	if (child == NULL || (child->name = strdup(st->bind)) == NULL) {
		free(child);
		return interp_error(in, st, st->bind_col, "out of memory");
	}
	child->pid = (int)r->ret;
	HASH_ADD_KEYPTR(hh, in->procs, child->name, strlen(child->name), child);
	return 0;
}

static int do_assert(struct interp *in, const struct stmt *st, struct actual *a)
{
	const struct expr *cmp = st->args[0];
	long long truth;
	struct value l, r;

	a->no_result = 1;
	if (eval_int(in, cmp, &truth) < 0)
		return -1;
	if (truth) {
		in->passed++;
		return 0;
	}
	if (eval(in, cmp->a, &l) < 0)
		return -1;
	if (eval(in, cmp->b, &r) < 0) {
		value_free(&l);
		return -1;
	}
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *w = open_memstream(&buf, &len);

		if (w != NULL) {
			fputs("assertion is false: ", w);
			print_expr(w, cmp->a, 0);
			fputs(" is ", w);
			value_print(w, &l);
			fputs(", ", w);
			print_expr(w, cmp->b, 0);
			fputs(" is ", w);
			value_print(w, &r);
			fclose(w);
			interp_note_failure(in, st, cmp->col, buf);
			free(buf);
		}
	}
	value_free(&l);
	value_free(&r);
	return 0;
}

int call_perform(struct interp *in, const struct stmt *st, struct proc *p, struct actual *a)
{
	const struct backend_ops *ops = in->b->ops;
	void *ctx = in->b->ctx;
	const char *name = st->call->name;
	long long x, y;
	int rc;

	memset(a, 0, sizeof(*a));
	if (strcmp(name, "msgsnd") == 0) {
		rc = do_msgsnd(in, st, p->pid, &a->r);
	} else if (strcmp(name, "msgrcv") == 0) {
		rc = do_msgrcv(in, st, p->pid, &a->r);
	} else if (strcmp(name, "msgctl") == 0) {
		rc = do_msgctl(in, st, p->pid, &a->r);
	} else if (strcmp(name, "msgget") == 0) {
		if (arg_int(in, st, 0, &x) < 0 || arg_int(in, st, 1, &y) < 0)
			return -1;
		rc = ops->msgget(ctx, p->pid, (long)x, (int)y, &a->r);
	} else if (strcmp(name, "ftok") == 0) {
		a->hex = 1;
		rc = do_ftok(in, st, p->pid, &a->r);
	} else if (strcmp(name, "fork") == 0) {
		rc = do_fork(in, st, p->pid, &a->r);
	} else if (strcmp(name, "exit") == 0) {
		a->no_result = 1;
		if (arg_int(in, st, 0, &x) < 0)
			return -1;
		rc = ops->exit(ctx, p->pid, (int)x, &a->r);
	} else if (strcmp(name, "kill") == 0) {
		if (arg_int(in, st, 0, &x) < 0 || arg_int(in, st, 1, &y) < 0)
			return -1;
		rc = ops->kill(ctx, p->pid, (int)x, (int)y, &a->r);
	} else if (strcmp(name, "signal") == 0) {
		rc = do_signal(in, st, p->pid, &a->r);
	} else if (strcmp(name, "sleep") == 0) {
		if (arg_int(in, st, 0, &x) < 0)
			return -1;
		rc = ops->sleep(ctx, p->pid, (long)x, &a->r);
	} else if (strcmp(name, "getpid") == 0) {
		rc = ops->getpid(ctx, p->pid, &a->r);
	} else if (strcmp(name, "assert") == 0) {
		return do_assert(in, st, a);
	} else if (st->call->family == CF_SHM) {
		rc = call_perform_shm(in, st, p->pid, a);
	} else if (st->call->family == CF_SEM) {
		rc = call_perform_sem(in, st, p->pid, a);
	} else {
		/* check.c refuses every other call before anything runs. */
		return interp_error(in, st, st->call_col, "%s: not simulated", name);
	}
	if (rc < 0) {
		if (!in->stopped)
			interp_error(in, st, st->call_col, "%s: the backend failed", name);
		return -1;
	}
	return call_take_payload(in, st, a);
}

int call_bind(struct interp *in, const struct stmt *st, const struct actual *a)
{
	const char *name = st->call->name;
	const struct expr *out = NULL;
	struct value v = { 0 };

	if (a->r.blocked || a->no_result || a->r.killed)
		return 0;
	if (st->bind != NULL && strcmp(st->bind, "_") != 0 && strcmp(name, "fork") != 0) {
		if (a->str_result) {
			if (value_copy(&v, &a->payload) < 0)
				return interp_error(in, st, st->bind_col, "out of memory");
		} else {
			v.kind = V_INT;
			v.i = a->r.ret;
			v.fmt = a->hex || a->is_addr ? 'x' : 'd';
		}
		if (interp_bind(in, st->bind, &v) < 0)
			return -1;
	}
	if (a->r.ret < 0 || a->str_result)
		return 0;
	if (strcmp(name, "msgrcv") == 0)
		out = st->args[1];
	else if ((strcmp(name, "msgctl") == 0 || strcmp(name, "shmctl") == 0) &&
	         a->payload.kind == V_STRUCT)
		out = st->args[2];
	else if (strcmp(name, "semctl") == 0 && st->nargs == 4 && a->payload.kind != V_NONE)
		out = st->args[3];
	if (out == NULL || out->kind != EX_ADDR || a->payload.kind == V_NONE)
		return 0;
	if (value_copy(&v, &a->payload) < 0)
		return interp_error(in, st, out->col, "out of memory");
	return interp_bind(in, out->text, &v);
}
