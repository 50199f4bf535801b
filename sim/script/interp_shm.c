/*
 * interp_shm.c - the shared-memory calls and the memory accesses of a
 * scenario (shmget, shmat, shmdt, shmctl, store, load, memcpy, memread),
 * performed through the backend.
 *
 * Addresses are plain integers in the calling process's address space:
 * shmat's result prints in hex as strace prints it and binds as a number,
 * so `a + 8` is ordinary arithmetic.  A memory access the process may not
 * make kills it (SIGSEGV); that is the backend's answer, not an error here.
 * memcpy writes n bytes (the string and its NUL by default, like strcpy;
 * bytes past the string are zeros); memread's result is the string read.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/types.h"
#include "script/interp_int.h"

/* One memcpy/memread moves at most this much: the result is printed, and
 * a scenario is read by people. */
#define SCRIPT_MEM_MAX (1UL << 20)

static int arg_int(struct interp *in, const struct stmt *st, int i, long long *v)
{
	return eval_int(in, st->args[i], v);
}

int call_need_op(struct interp *in, const struct stmt *st, int present)
{
	if (present)
		return 0;
	return interp_error(in, st, st->call_col, "%s: the %s backend cannot run this call",
	                    st->call->name, in->b->ops->name);
}

int perform_shmget(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	const struct backend_ops *ops = in->b->ops;
	long long key, size, flags;

	if (call_need_op(in, st, ops->shmget != NULL) < 0 || arg_int(in, st, 0, &key) < 0 ||
	    arg_int(in, st, 1, &size) < 0 || arg_int(in, st, 2, &flags) < 0)
		return -1;
	return ops->shmget(in->b->ctx, pid, (long)key, (size_t)size, (int)flags, &a->r);
}

int perform_shmat(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	const struct backend_ops *ops = in->b->ops;
	long long id, addr, flags;

	a->is_addr = 1;
	if (call_need_op(in, st, ops->shmat != NULL) < 0 || arg_int(in, st, 0, &id) < 0 ||
	    arg_int(in, st, 1, &addr) < 0 || arg_int(in, st, 2, &flags) < 0)
		return -1;
	return ops->shmat(in->b->ctx, pid, (int)id, (unsigned long)addr, (int)flags, &a->r);
}

int perform_shmdt(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	const struct backend_ops *ops = in->b->ops;
	long long addr;

	if (call_need_op(in, st, ops->shmdt != NULL) < 0 || arg_int(in, st, 0, &addr) < 0)
		return -1;
	return ops->shmdt(in->b->ctx, pid, (unsigned long)addr, &a->r);
}

int perform_shmctl(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	const struct backend_ops *ops = in->b->ops;
	struct backend_result *r = &a->r;
	const struct expr *bufe = st->args[2];
	struct ipcsim_shmid_ds ds;
	long long id, cmd;

	if (call_need_op(in, st, ops->shmctl != NULL) < 0 ||
	    arg_int(in, st, 0, &id) < 0 || arg_int(in, st, 1, &cmd) < 0)
		return -1;
	memset(&ds, 0, sizeof(ds));
	if (bufe->kind == EX_NULL)
		return ops->shmctl(in->b->ctx, pid, (int)id, (int)cmd, BACKEND_BUF_NULL, NULL, r);
	if (cmd == IPC_SET && bufe->kind != EX_DISCARD) {
		struct value v = { 0 };

		if (eval(in, bufe, &v) < 0)
			return -1;
		if (v.kind != V_STRUCT) {
			value_free(&v);
			return interp_error(in, st, bufe->col, "IPC_SET needs a struct shmid_ds");
		}
		/* Unnamed fields keep their current values, as after an IPC_STAT. */
		if (ops->shm_current != NULL)
			ops->shm_current(in->b->ctx, (int)id, &ds);
		value_to_struct(&v, strace_shmid_ds_fields, &ds);
		value_free(&v);
	}
	return ops->shmctl(in->b->ctx, pid, (int)id, (int)cmd, BACKEND_BUF_VALID, &ds, r);
}

static int check_mem_size(struct interp *in, const struct stmt *st, long long n, int col)
{
	if (n < 0)
		return interp_error(in, st, col, "%s: the size must not be negative", st->call->name);
	if ((unsigned long long)n > SCRIPT_MEM_MAX)
		return interp_error(in, st, col, "%s: at most %lu bytes at a time", st->call->name,
		                    SCRIPT_MEM_MAX);
	return 0;
}

int perform_store(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	const struct backend_ops *ops = in->b->ops;
	long long addr, word;

	if (call_need_op(in, st, ops->mem_store != NULL) < 0 ||
	    arg_int(in, st, 0, &addr) < 0 || arg_int(in, st, 1, &word) < 0)
		return -1;
	return ops->mem_store(in->b->ctx, pid, (unsigned long)addr, (long)word, &a->r);
}

int perform_load(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	const struct backend_ops *ops = in->b->ops;
	long long addr;

	if (call_need_op(in, st, ops->mem_load != NULL) < 0 || arg_int(in, st, 0, &addr) < 0)
		return -1;
	return ops->mem_load(in->b->ctx, pid, (unsigned long)addr, &a->r);
}

int perform_memcpy(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	struct value src = { 0 };
	unsigned char *buf = NULL;
	long long addr, n;
	int rc = -1;

	if (call_need_op(in, st, in->b->ops->mem_write != NULL) < 0 ||
	    arg_int(in, st, 0, &addr) < 0 || eval(in, st->args[1], &src) < 0)
		return -1;
	if (src.kind != V_STR) {
		interp_error(in, st, st->args[1]->col, "memcpy copies a string");
		goto out_free;
	}
	n = (long long)src.len + 1;
	if (st->nargs == 3 && arg_int(in, st, 2, &n) < 0)
		goto out_free;
	if (check_mem_size(in, st, n, st->args[st->nargs - 1]->col) < 0)
		goto out_free;
	buf = calloc((size_t)n + 1, 1);
	if (buf == NULL) {
		interp_error(in, st, st->call_col, "out of memory");
		goto out_free;
	}
	memcpy(buf, src.bytes, src.len < (size_t)n ? src.len : (size_t)n);
	rc = in->b->ops->mem_write(in->b->ctx, pid, (unsigned long)addr, buf, (size_t)n, &a->r);
out_free:
	free(buf);
	value_free(&src);
	return rc;
}

/* Its result is the text read, not a number (a->str_result). */
int perform_memread(struct interp *in, const struct stmt *st, int pid, struct actual *a)
{
	const struct backend_ops *ops = in->b->ops;
	long long addr, n;

	a->str_result = 1;
	if (call_need_op(in, st, ops->mem_read != NULL) < 0 || arg_int(in, st, 0, &addr) < 0 ||
	    arg_int(in, st, 1, &n) < 0 || check_mem_size(in, st, n, st->args[1]->col) < 0)
		return -1;
	return ops->mem_read(in->b->ctx, pid, (unsigned long)addr, (size_t)n, &a->r);
}
