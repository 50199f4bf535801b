/*
 * check_shm_sem.c - the shapes of the shared-memory, semaphore and memory
 * calls, checked before anything runs: each checker here is named by its
 * call's entry in tables.c, and check.c runs it (the message-queue calls'
 * are in check.c).
 *
 * What is checked is what a C compiler or a reader of the call would
 * object to: a semop list that is not a list of sembufs, a struct literal
 * where the command reads nothing, a field the struct does not have, a
 * result payload of the wrong kind.  Values are not judged here: a wrong
 * semaphore number or a bad address is the kernel's to answer, as on Linux.
 */
#include <string.h>

#include "ipcsim/strace.h" /* the structures' fields */
#include "script/script_int.h"

/* The literals that are not results: only their names are checked. */
static const struct strace_field sembuf_fields[] = {
	{ .name = "sem_num" }, { .name = "sem_op" }, { .name = "sem_flg" }, { .name = NULL },
};
static const struct strace_field timespec_fields[] = {
	{ .name = "tv_sec" }, { .name = "tv_nsec" }, { .name = NULL },
};

static int const_is(const struct expr *e, const char *name)
{
	return e->kind == EX_CONST && strcmp(e->text, name) == 0;
}

/* shmctl's command: 'S' fills a shmid_ds, 'I' a shminfo, 'i' a shm_info,
 * 'W' reads one (IPC_SET), 0 neither (or not a constant). */
static int shmctl_kind(const struct expr *cmd)
{
	if (const_is(cmd, "IPC_STAT") || const_is(cmd, "SHM_STAT") || const_is(cmd, "SHM_STAT_ANY"))
		return 'S';
	if (const_is(cmd, "IPC_INFO"))
		return 'I';
	if (const_is(cmd, "SHM_INFO"))
		return 'i';
	if (const_is(cmd, "IPC_SET"))
		return 'W';
	return 0;
}

/* semctl's command: 'S' semid_ds out, 'I' seminfo out, 'A' GETALL array out,
 * 'W' IPC_SET in, 'V' SETALL array in, 'v' SETVAL value in, 0 otherwise. */
static int semctl_kind(const struct expr *cmd)
{
	if (const_is(cmd, "IPC_STAT") || const_is(cmd, "SEM_STAT") || const_is(cmd, "SEM_STAT_ANY"))
		return 'S';
	if (const_is(cmd, "IPC_INFO") || const_is(cmd, "SEM_INFO"))
		return 'I';
	if (const_is(cmd, "GETALL"))
		return 'A';
	if (const_is(cmd, "IPC_SET"))
		return 'W';
	if (const_is(cmd, "SETALL"))
		return 'V';
	if (const_is(cmd, "SETVAL"))
		return 'v';
	return 0;
}

/* IPC_SET reads the struct; every other command may fill it. */
int output_arg_shmctl(const struct stmt *st)
{
	return st->nargs == 3 && shmctl_kind(st->args[1]) != 'W' ? 2 : -1;
}

/* IPC_SET, SETALL and SETVAL read the fourth argument; the others may fill it. */
int output_arg_semctl(const struct stmt *st)
{
	int kind;

	if (st->nargs != 4)
		return -1;
	kind = semctl_kind(st->args[2]);
	return kind != 'W' && kind != 'V' && kind != 'v' ? 3 : -1;
}

static int is_buffer(const struct expr *e)
{
	return e->kind == EX_ADDR || e->kind == EX_NULL || e->kind == EX_DISCARD;
}

int check_shmctl(struct parser *p, const struct stmt *st)
{
	const struct expr *buf = st->args[2], *payload = st->expect.payload;
	int kind = shmctl_kind(st->args[1]);

	if (buf->kind == EX_STRUCT) {
		if (kind != 'W')
			return p_error(p, buf->col, "a struct literal is IPC_SET's input; "
			                            "other commands fill &name");
		if (check_fields(p, buf, "", strace_shmid_ds_fields, "struct shmid_ds") < 0)
			return -1;
	} else if (!is_buffer(buf)) {
		char hint[96];

		return p_error(p, buf->col, "shmctl takes &name, {fields}, _ or NULL%s",
		               addr_hint(buf, hint, sizeof(hint)));
	}
	if (payload == NULL)
		return 0;
	if (payload->kind != EX_STRUCT)
		return p_error(p, payload->col, "shmctl's result shows a struct: = 0 {field=value}");
	if (kind == 'S')
		return check_fields(p, payload, "", strace_shmid_ds_fields, "struct shmid_ds");
	if (kind == 'I')
		return check_fields(p, payload, "", strace_shminfo_fields, "struct shminfo");
	if (kind == 'i')
		return check_fields(p, payload, "", strace_shm_info_fields, "struct shm_info");
	return p_error(p, payload->col, "this shmctl command fills no struct");
}

/* One sembuf: {num, op, flg}, {num, op} (flg 0) or designated fields. */
static int check_sembuf(struct parser *p, const struct expr *e)
{
	int named = 0;

	if (e->kind != EX_STRUCT)
		return p_error(p, e->col, "a semaphore operation is {sem_num, sem_op, sem_flg}");
	for (int i = 0; i < e->nitems; i++)
		named += e->items[i]->fname != NULL;
	if (named == 0 && (e->nitems == 2 || e->nitems == 3))
		return 0;
	if (named == e->nitems && named > 0)
		return check_fields(p, e, "", sembuf_fields, "struct sembuf");
	return p_error(p, e->col, "a semaphore operation is {sem_num, sem_op, sem_flg} or "
	                          "{sem_num=N, sem_op=N, sem_flg=FLAGS}");
}

static int check_sops(struct parser *p, const struct expr *ops)
{
	if (ops->kind == EX_NULL)
		return 0;
	if (ops->kind != EX_ARRAY)
		return p_error(p, ops->col, "semop takes a list of operations: "
		                            "[{0, -1, SEM_UNDO}, {1, +1, 0}] (or NULL)");
	for (int i = 0; i < ops->nitems; i++)
		if (check_sembuf(p, ops->items[i]) < 0)
			return -1;
	return 0;
}

static int check_timeout(struct parser *p, const struct expr *t)
{
	int named = 0;

	if (t->kind == EX_ARRAY || t->kind == EX_STR || t->kind == EX_ADDR || t->kind == EX_DISCARD)
		return p_error(p, t->col, "a timeout is seconds, NULL or {tv_sec=S, tv_nsec=NS}");
	if (t->kind != EX_STRUCT)
		return 0;
	for (int i = 0; i < t->nitems; i++)
		named += t->items[i]->fname != NULL;
	if (named == 0 && t->nitems == 2)
		return 0;
	if (named == t->nitems && named > 0)
		return check_fields(p, t, "", timespec_fields, "struct timespec");
	return p_error(p, t->col, "a timeout is seconds, NULL or {tv_sec=S, tv_nsec=NS}");
}

int check_semctl(struct parser *p, const struct stmt *st)
{
	int kind = semctl_kind(st->args[2]);
	const struct expr *arg = st->nargs == 4 ? st->args[3] : NULL;
	const struct expr *payload = st->expect.payload;

	if (arg != NULL) {
		char hint[96];

		if ((kind == 'S' || kind == 'I' || kind == 'A') && !is_buffer(arg))
			return p_error(p, arg->col, "this semctl command fills &name (or _, NULL)%s",
			               addr_hint(arg, hint, sizeof(hint)));
		if (kind == 'W' && arg->kind != EX_STRUCT && arg->kind != EX_ADDR &&
		    arg->kind != EX_NULL && arg->kind != EX_NAME)
			return p_error(p, arg->col, "IPC_SET takes &ds, {fields} or NULL");
		if (kind == 'W' && arg->kind == EX_STRUCT &&
		    check_fields(p, arg, "", strace_semid_ds_fields, "struct semid_ds") < 0)
			return -1;
		if (kind == 'V' && arg->kind != EX_ARRAY && arg->kind != EX_NAME &&
		    arg->kind != EX_ADDR && arg->kind != EX_NULL)
			return p_error(p, arg->col, "SETALL takes the values: [1, 0, ...], a variable "
			                            "or NULL");
		if (kind != 'W' && kind != 0 && arg->kind == EX_STRUCT)
			return p_error(p, arg->col, "a struct literal is IPC_SET's input");
	} else if (kind == 'v' || kind == 'V' || kind == 'W') {
		return p_error(p, st->call_col, "semctl %s needs its fourth argument",
		               st->args[2]->text);
	}
	if (payload == NULL)
		return 0;
	if (kind == 'A')
		return payload->kind == EX_ARRAY ? 0
		       : p_error(p, payload->col, "GETALL's result is a list: = 0 [1, 0]");
	if (payload->kind != EX_STRUCT)
		return p_error(p, payload->col, "this semctl command shows no list");
	if (kind == 'S')
		return check_fields(p, payload, "", strace_semid_ds_fields, "struct semid_ds");
	if (kind == 'I')
		return check_fields(p, payload, "", strace_seminfo_fields, "struct seminfo");
	return p_error(p, payload->col, "this semctl command fills no struct");
}

/* The calls whose result is a plain number: no {...} or [...] after it. */
int check_no_payload(struct parser *p, const struct stmt *st)
{
	const struct expr *payload = st->expect.payload;

	if (payload != NULL)
		return p_error(p, payload->col, "%s's result has no payload", st->call->name);
	return 0;
}

int check_semop(struct parser *p, const struct stmt *st)
{
	if (check_sops(p, st->args[1]) < 0)
		return -1;
	return check_no_payload(p, st);
}

int check_semtimedop(struct parser *p, const struct stmt *st)
{
	if (check_sops(p, st->args[1]) < 0 || check_timeout(p, st->args[3]) < 0)
		return -1;
	return check_no_payload(p, st);
}

int check_memcpy(struct parser *p, const struct stmt *st)
{
	const struct expr *src = st->args[1];

	if (src->kind != EX_STR && src->kind != EX_NAME)
		return p_error(p, src->col, "memcpy copies a string: memcpy(addr, \"text\" [, n])");
	return check_no_payload(p, st);
}

int check_memread(struct parser *p, const struct stmt *st)
{
	const struct expect *x = &st->expect;

	if (x->kind == XP_RESULT && (x->err != 0 || x->payload != NULL ||
	                             (x->ret->kind != EX_STR && x->ret->kind != EX_NAME)))
		return p_error(p, x->col, "memread's result is a string: = \"text\"");
	return check_no_payload(p, st);
}
