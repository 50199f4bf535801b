/*
 * interp_sem.c - the semaphore calls of a scenario (semget, semop,
 * semtimedop, semctl), performed through the backend.
 *
 * A semop list is written as C initialisers, [{0, -1, SEM_UNDO}, {1, +1}]
 * or with designated fields, and converted as C would store it: sem_num to
 * unsigned short (so -1 is 65535, EFBIG), sem_op and sem_flg to short.  The
 * nsops argument is passed as written: a larger nsops than the list holds
 * makes the kernel read past the array, which is modelled as a bad pointer
 * (EFAULT, after the E2BIG and EINVAL checks that Linux makes first).
 * A semtimedop timeout is seconds, NULL, or {tv_sec, tv_nsec}.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/types.h"
#include "script/interp_int.h"

static int arg_int(struct interp *in, const struct stmt *st, int i, long long *v)
{
	return eval_int(in, st->args[i], v);
}

/* Field `name` of a struct literal: designated, or at position pos. */
static const struct expr *item_of(const struct expr *e, const char *name, int pos)
{
	for (int i = 0; i < e->nitems; i++) {
		const struct expr *it = e->items[i];

		if (it->fname != NULL ? strcmp(it->fname, name) == 0 : i == pos)
			return it;
	}
	return NULL;
}

/* An integer field of a literal; 0 when it is not written (C's rule). */
static int field_int(struct interp *in, const struct expr *e, const char *name, int pos,
                     long long *v)
{
	const struct expr *it = item_of(e, name, pos);

	*v = 0;
	return it != NULL ? eval_int(in, it, v) : 0;
}

static int build_sops(struct interp *in, const struct expr *list, struct ipcsim_sembuf **out)
{
	struct ipcsim_sembuf *sops = calloc((size_t)list->nitems + 1, sizeof(*sops));

	if (sops == NULL)
		return interp_error(in, NULL, list->col, "out of memory");
	for (int i = 0; i < list->nitems; i++) {
		const struct expr *e = list->items[i];
		long long num, op, flg;

		if (field_int(in, e, "sem_num", 0, &num) < 0 || field_int(in, e, "sem_op", 1, &op) < 0 ||
		    field_int(in, e, "sem_flg", 2, &flg) < 0) {
			free(sops);
			return -1;
		}
		sops[i].sem_num = (unsigned short)num;
		sops[i].sem_op = (short)op;
		sops[i].sem_flg = (short)flg;
	}
	*out = sops;
	return 0;
}

static int eval_timeout(struct interp *in, const struct expr *e, long timeout[2], int *none)
{
	long long sec = 0, nsec = 0;

	*none = 0;
	if (e->kind == EX_NULL) {
		*none = 1;
		return 0;
	}
	if (e->kind == EX_STRUCT) {
		if (field_int(in, e, "tv_sec", 0, &sec) < 0 || field_int(in, e, "tv_nsec", 1, &nsec) < 0)
			return -1;
	} else if (eval_int(in, e, &sec) < 0) {
		return -1;
	}
	timeout[0] = (long)sec;
	timeout[1] = (long)nsec;
	return 0;
}

/* semop and semtimedop (timed: its fourth argument is the timeout). */
static int do_semop(struct interp *in, const struct stmt *st, int pid, int timed,
                    struct backend_result *r)
{
	const struct backend_ops *ops = in->b->ops;
	const struct expr *list = st->args[1];
	struct ipcsim_sembuf *sops = NULL;
	long timeout[2] = { 0, 0 };
	long long id, nsops;
	int none = 1, rc = -1;

	if (call_need_op(in, st, timed ? ops->semtimedop != NULL : ops->semop != NULL) < 0 ||
	    arg_int(in, st, 0, &id) < 0 || arg_int(in, st, 2, &nsops) < 0)
		return -1;
	if (timed && eval_timeout(in, st->args[3], timeout, &none) < 0)
		return -1;
	if (list->kind == EX_ARRAY && build_sops(in, list, &sops) < 0)
		return -1;
	/* Reading past the end of the list is a fault (see the header comment). */
	if (sops != NULL && (nsops < 0 || nsops > list->nitems)) {
		free(sops);
		sops = NULL;
	}
	if (timed)
		rc = ops->semtimedop(in->b->ctx, pid, (int)id, sops, (size_t)nsops,
		                     none ? NULL : timeout, r);
	else
		rc = ops->semop(in->b->ctx, pid, (int)id, sops, (size_t)nsops, r);
	free(sops);
	return rc;
}

int perform_semop(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	return do_semop(in, st, pid, 0, &a->r);
}

int perform_semtimedop(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	return do_semop(in, st, pid, 1, &a->r);
}

/* SETALL's values: a list literal or a variable holding one (GETALL's &v). */
static int eval_values(struct interp *in, const struct expr *e, unsigned short **vals,
                       size_t *n)
{
	struct value v = { 0 };

	if (eval(in, e, &v) < 0)
		return -1;
	if (v.kind != V_ARRAY) {
		value_free(&v);
		return interp_error(in, NULL, e->col, "SETALL needs a list of values");
	}
	*vals = calloc((size_t)v.nitems + 1, sizeof(**vals));
	if (*vals == NULL) {
		value_free(&v);
		return interp_error(in, NULL, e->col, "out of memory");
	}
	for (int i = 0; i < v.nitems; i++) {
		if (v.items[i].kind != V_INT) {
			free(*vals);
			*vals = NULL;
			value_free(&v);
			return interp_error(in, NULL, e->col, "SETALL's values are integers");
		}
		(*vals)[i] = (unsigned short)v.items[i].i;
	}
	*n = (size_t)v.nitems;
	value_free(&v);
	return 0;
}

static int eval_semid_ds(struct interp *in, const struct stmt *st, int id, const struct expr *e,
                         struct ipcsim_semid_ds *ds)
{
	struct value v = { 0 };

	if (eval(in, e, &v) < 0)
		return -1;
	if (v.kind != V_STRUCT) {
		value_free(&v);
		return interp_error(in, st, e->col, "IPC_SET needs a struct semid_ds");
	}
	/* Unnamed fields keep their current values, as after an IPC_STAT. */
	if (in->b->ops->sem_current != NULL)
		in->b->ops->sem_current(in->b->ctx, id, ds);
	value_to_struct(&v, strace_semid_ds_fields, ds);
	value_free(&v);
	return 0;
}

int perform_semctl(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	const struct expr *arge = st->nargs == 4 ? st->args[3] : NULL;
	struct backend_semctl_arg arg;
	struct ipcsim_semid_ds ds;
	unsigned short *vals = NULL;
	long long id, semnum, cmd, val = 0;
	int rc;

	if (call_need_op(in, st, in->b->ops->semctl != NULL) < 0 || arg_int(in, st, 0, &id) < 0 ||
	    arg_int(in, st, 1, &semnum) < 0 || arg_int(in, st, 2, &cmd) < 0)
		return -1;
	memset(&arg, 0, sizeof(arg));
	memset(&ds, 0, sizeof(ds));
	arg.buf = arge != NULL && arge->kind == EX_NULL ? BACKEND_BUF_NULL : BACKEND_BUF_VALID;
	if (cmd == SETVAL && arge != NULL) {
		/* union semun's val: the low 32 bits of what was passed */
		if (eval_int(in, arge, &val) < 0)
			return -1;
		arg.val = (int)val;
	} else if (cmd == SETALL && arge != NULL && arge->kind != EX_NULL) {
		if (eval_values(in, arge, &vals, &arg.nvalues) < 0)
			return -1;
		arg.values = vals;
	} else if (cmd == IPC_SET && arge != NULL && arge->kind != EX_NULL) {
		if (eval_semid_ds(in, st, (int)id, arge, &ds) < 0)
			return -1;
		arg.ds = &ds;
	}
	rc = in->b->ops->semctl(in->b->ctx, pid, (int)id, (int)semnum, (int)cmd, &arg, &a->r);
	free(vals);
	return rc;
}

int perform_semget(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	long long key, nsems, flags;

	if (call_need_op(in, st, in->b->ops->semget != NULL) < 0 || arg_int(in, st, 0, &key) < 0 ||
	    arg_int(in, st, 1, &nsems) < 0 || arg_int(in, st, 2, &flags) < 0)
		return -1;
	return in->b->ops->semget(in->b->ctx, pid, (long)key, (int)nsems, (int)flags, &a->r);
}
