/*
 * interp_call.c - one scenario call, performed through the backend.
 *
 * Arguments are evaluated here into the plain values the backend takes;
 * buffers follow C: a message literal or variable is a valid buffer, NULL
 * is a bad pointer (EFAULT where Linux gives it), `_` is a valid buffer
 * whose contents are thrown away.  Binding follows the language's rule:
 * `var = call()` binds the return value as C would (-1 on failure), `&var`
 * binds only when the call succeeds.  Each call has its performer here
 * (the shm, memory and semaphore calls in interp_shm.c and interp_sem.c),
 * named by its entry in tables.c.
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

int perform_msgsnd(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	struct backend_result *r = &a->r;
	long long id, size, flags;
	struct value m = { 0 };
	struct backend_msg msg;
	long long type;
	const char *text;
	int rc = -1;

	if (arg_int(in, st, 0, &id) < 0 || arg_int(in, st, 2, &size) < 0 ||
	    arg_int(in, st, 3, &flags) < 0)
		return -1;
	if (st->args[1]->kind == EX_NULL)
		return in->b->ops->msgsnd(in->b->ctx, pid, (int)id, NULL, (size_t)size, (int)flags, r);
	if (eval_literal_message(st->args[1], &type, &text, &msg.len)) {
		/* sent from where it is written: the backend copies it */
		msg.mtype = (long)type;
		msg.text = (unsigned char *)text;
		return in->b->ops->msgsnd(in->b->ctx, pid, (int)id, &msg, (size_t)size, (int)flags, r);
	}
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

int perform_msgrcv(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	long long id, size, type, flags;
	enum backend_buf buf = st->args[1]->kind == EX_NULL ? BACKEND_BUF_NULL : BACKEND_BUF_VALID;

	if (arg_int(in, st, 0, &id) < 0 || arg_int(in, st, 2, &size) < 0 ||
	    arg_int(in, st, 3, &type) < 0 || arg_int(in, st, 4, &flags) < 0)
		return -1;
	return in->b->ops->msgrcv(in->b->ctx, pid, (int)id, buf, (size_t)size, (long)type,
	                          (int)flags, &a->r);
}

int perform_msgctl(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	struct backend_result *r = &a->r;
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

int perform_msgget(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	long long key, flags;

	if (arg_int(in, st, 0, &key) < 0 || arg_int(in, st, 1, &flags) < 0)
		return -1;
	return in->b->ops->msgget(in->b->ctx, pid, (long)key, (int)flags, &a->r);
}

int perform_ftok(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	struct value path = { 0 };
	long long proj;
	int rc;

	a->hex = 1; /* keys print as strace prints them */
	if (arg_int(in, st, 1, &proj) < 0 || eval(in, st->args[0], &path) < 0)
		return -1;
	if (path.kind != V_STR) {
		value_free(&path);
		return interp_error(in, st, st->args[0]->col, "ftok needs a path string");
	}
	rc = in->b->ops->ftok(in->b->ctx, pid, (const char *)path.bytes, (int)proj, &a->r);
	value_free(&path);
	return rc;
}

int perform_signal(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	long long sig;
	const char *h = st->args[1]->text;
	enum backend_sig_disp d = strcmp(h, "handler") == 0   ? BACKEND_SIG_CATCH
	                          : strcmp(h, "SIG_IGN") == 0 ? BACKEND_SIG_IGN
	                                                      : BACKEND_SIG_DFL;

	if (arg_int(in, st, 0, &sig) < 0)
		return -1;
	return in->b->ops->signal(in->b->ctx, pid, (int)sig, d, &a->r);
}

int perform_fork(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	struct backend_result *r = &a->r;
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
	interp_proc_add(in, child);
	return 0;
}

int perform_exit(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	long long status;

	a->no_result = 1;
	if (arg_int(in, st, 0, &status) < 0)
		return -1;
	return in->b->ops->exit(in->b->ctx, pid, (int)status, &a->r);
}

int perform_kill(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	long long target, sig;

	if (arg_int(in, st, 0, &target) < 0 || arg_int(in, st, 1, &sig) < 0)
		return -1;
	return in->b->ops->kill(in->b->ctx, pid, (int)target, (int)sig, &a->r);
}

int perform_sleep(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	long long seconds;

	if (arg_int(in, st, 0, &seconds) < 0)
		return -1;
	return in->b->ops->sleep(in->b->ctx, pid, (long)seconds, &a->r);
}

int perform_getpid(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	return in->b->ops->getpid(in->b->ctx, pid, &a->r);
}

/* Not a system call: counts a pass, or notes why the comparison is false. */
int perform_assert(struct interp *in, const struct stmt *st, int pid, struct actual *a)
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
			print_expr_to(w, cmp->a, 0);
			fputs(" is ", w);
			value_print(w, &l);
			fputs(", ", w);
			print_expr_to(w, cmp->b, 0);
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
	memset(a, 0, sizeof(*a));
	if (st->call->perform(in, st, p->pid, a) < 0) {
		if (!in->stopped)
			interp_error(in, st, st->call_col, "%s: %s", st->call->name,
			             backend_failure(in->b));
		return -1;
	}
	return call_take_payload(in, st, a);
}

int call_bind(struct interp *in, const struct stmt *st, const struct actual *a)
{
	const struct expr *out = NULL;
	struct value v = { 0 };
	const struct proc *p = interp_proc(in, st->proc, 0);
	int pid = p != NULL ? p->pid : 0;
	int k;

	if (a->r.blocked || a->no_result || a->r.killed)
		return 0;
	/* fork's name was bound to the child when it was made */
	if (st->bind != NULL && strcmp(st->bind, "_") != 0 &&
	    !(st->call->flags & CALL_BINDS_PROCESS)) {
		if (a->str_result) {
			if (value_copy(&v, &a->payload) < 0)
				return interp_error(in, st, st->bind_col, "out of memory");
		} else {
			v.kind = V_INT;
			v.i = a->r.ret;
			v.fmt = a->hex || a->is_addr ? 'x' : 'd';
		}
		if (interp_bind(in, st->bind, &v, pid) < 0)
			return -1;
	}
	if (a->r.ret < 0 || a->str_result)
		return 0;
	/* The argument the checker let bind (not one the command reads, as
	 * IPC_SET's); a command that fills nothing leaves no payload. */
	if ((k = call_output_arg(st)) >= 0)
		out = st->args[k];
	if (out == NULL || out->kind != EX_ADDR || a->payload.kind == V_NONE)
		return 0;
	if (value_copy(&v, &a->payload) < 0)
		return interp_error(in, st, out->col, "out of memory");
	return interp_bind(in, out->text, &v, pid);
}
