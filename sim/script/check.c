/*
 * check.c - what is checked before anything runs, line by line as the
 * parser goes: names are bound before use (the language's binding rule), calls
 * get arguments of the right shape (each call's checker in tables.c: the
 * message, process and misc calls' here, the shm/sem/memory calls' in
 * check_shm_sem.c), and struct fields exist.
 *
 * The binding rules follow C: arguments are uses, and only then does the
 * line bind (`&m` of msgrcv, `&ds` of a STAT, `var =`, `P3 = fork()`), so
 * `q = msgget(q, 0)` on the first line is an error.  A process name is bound
 * by its first step, a `process` line or a fork.
 */
#include <stdlib.h>
#include <string.h>

/* uthash's out of memory is an exit(-1) unless told otherwise: here an add
 * that cannot allocate leaves the entry out and marks it, and the caller
 * reports "out of memory" as any other allocation's failure. */
#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(e) ((e)->oom = 1)
/* Names are short (q, m, P1): FNV-1a hashes one in a few instructions a
 * byte, where uthash's default (Jenkins) costs some fifty before the
 * first, and a byte loop compares two without a call to memcmp; every
 * name a line uses is looked up (find). */
#define HASH_FUNCTION(keyptr, keylen, hashv) HASH_FNV(keyptr, keylen, hashv)
#define HASH_KEYCMP(a, b, n) name_bytes_differ(a, b, n)
static inline int name_bytes_differ(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 1;
	return 0;
}
#include <uthash.h>

#include "ipcsim/strace.h" /* the structures' fields */
#include "script/script_int.h"

struct name_entry {
	char *name;
	int kind; /* NK_VAR, NK_PROC, or a user */
	int line;
	enum val_shape shape; /* NK_VAR: what it holds (check_types.c) */
	int shaped;           /* shape was set by a binding */
	UT_hash_handle hh;
	/* p->folded: the kind and the name in lower case ("\2p1"), set on the
	 * first name of its kind that folds to it (warn_case_twin) */
	char *fold;
	UT_hash_handle hh_fold;
	int oom; /* an add to a table failed for want of memory (uthash_nonfatal_oom) */
};

static const struct strace_field message_fields[] = {
	{ .name = "mtype" }, { .name = "mtext" }, { .name = NULL },
};

static struct name_entry *find(struct name_entry *table, const char *name)
{
	struct name_entry *e = NULL;
	unsigned hash = 2166136261U, n = 0; /* HASH_FNV's, with strlen's walk */

	if (table == NULL)
		return NULL;
	for (; name[n] != '\0'; n++)
		hash = (hash ^ (unsigned char)name[n]) * 16777619U;
	HASH_FIND_BYHASHVALUE(hh, table, name, n, hash, e);
	return e;
}

/* The key of name (of kind) in p->folded, malloc'd: the kind's byte, then
 * the name in ASCII lower case (strcasecmp's rule in the C locale). */
static char *fold_key(const char *name, int kind)
{
	size_t n = strlen(name);
	char *key = malloc(n + 2);

	if (key == NULL)
		return NULL;
	key[0] = (char)kind;
	for (size_t i = 0; i <= n; i++)
		key[i + 1] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
	return key;
}

/* e, bound just now, into p->folded unless a name that folds alike came
 * first.  Returns that earlier name's entry (a case twin), or NULL; out of
 * memory, e just stays out (a warning may be missed, nothing else). */
static struct name_entry *fold_add(struct parser *p, struct name_entry *e)
{
	struct name_entry *twin = NULL;
	char *key = fold_key(e->name, e->kind);

	if (key == NULL)
		return NULL;
	HASH_FIND(hh_fold, p->folded, key, strlen(key), twin);
	if (twin != NULL) {
		free(key);
		return twin;
	}
	e->fold = key;
	HASH_ADD_KEYPTR(hh_fold, p->folded, e->fold, strlen(e->fold), e);
	if (e->oom) {
		e->oom = 0;
		free(e->fold);
		e->fold = NULL;
	}
	return NULL;
}

/* A name bound at col that differs only in case from one of the same kind
 * bound before (processes p1 and P1, variables q and Q): legal, two names,
 * but more likely a typo; a warning, the run goes on.  A variable and a
 * process (s and S) are told apart by their use: no warning.  One lookup in
 * p->folded, whose entry for a folded name is the first bound: the names
 * table is never walked (a file binding many names is checked in linear
 * time). */
static void warn_case_twin(struct parser *p, struct name_entry *e, int col)
{
	struct name_entry *twin = fold_add(p, e);

	if (twin == NULL || p->rechecking)
		return;
	script_diag(p->err, p->s, p->line, col < 1 ? 1 : col, "warning",
	            "'%s' and '%s' (line %d) differ only in case: they are two different "
	            "names", e->name, twin->name, twin->line);
}

/* The entry e that find() gave for name in *table, or, when it gave none,
 * a new one of kind bound on this line at col: NULL after "out of memory".
 * Callers find first (to refuse a name of the other kind), so a name a line
 * binds is looked up once. */
static struct name_entry *bind(struct parser *p, struct name_entry **table,
                               struct name_entry *e, const char *name, int kind, int col)
{
	if (e != NULL)
		return e;
	e = calloc(1, sizeof(*e));
	if (e == NULL || (e->name = strdup(name)) == NULL) {
		free(e);
		p_error(p, 1, "out of memory");
		return NULL;
	}
	e->kind = kind;
	e->line = p->line;
	HASH_ADD_KEYPTR(hh, *table, e->name, strlen(e->name), e);
	if (e->oom) {
		free(e->name);
		free(e);
		p_error(p, 1, "out of memory");
		return NULL;
	}
	if (table == &p->names)
		warn_case_twin(p, e, col);
	return e;
}

static void free_table(struct name_entry **table)
{
	struct name_entry *e, *tmp;

	HASH_ITER(hh, *table, e, tmp) {
		HASH_DEL(*table, e);
		free(e->name);
		free(e->fold);
		free(e);
	}
}

void check_free(struct parser *p)
{
	HASH_CLEAR(hh_fold, p->folded); /* its entries are the names' */
	free_table(&p->names);
	free_table(&p->users);
}

enum val_shape name_shape(struct parser *p, const char *name)
{
	struct name_entry *e = find(p->names, name);

	if (e == NULL)
		return VS_ANY;
	return e->kind == NK_PROC ? VS_INT : e->shape;
}

/* What variable e holds after a line binds it to a value of shape. */
static void set_shape(struct name_entry *e, enum val_shape shape)
{
	if (e == NULL || e->kind != NK_VAR)
		return;
	/* Bound twice with different kinds: which one holds depends on which
	 * call succeeded, so nothing can be told. */
	e->shape = !e->shaped || e->shape == shape ? shape : VS_ANY;
	e->shaped = 1;
}

int check_user_known(struct parser *p, const char *name)
{
	return strcmp(name, "root") == 0 || strcmp(name, "user") == 0 ||
	       find(p->users, name) != NULL;
}

/* ---- uses ----------------------------------------------------------------- */

/* The nearest known name to an unknown one: the names bound so far and the
 * constants. */
static const char *name_hint(struct parser *p, const char *name, char *buf, size_t size)
{
	struct suggest sg;
	struct name_entry *e, *tmp;

	suggest_init(&sg, name);
	suggest_constants(&sg);
	HASH_ITER(hh, p->names, e, tmp)
		suggest_offer(&sg, e->name);
	return suggest_text(&sg, buf, size);
}

static int check_name_use(struct parser *p, const char *name, int col)
{
	char hint[96];

	if (find(p->names, name) != NULL)
		return 0;
	if (looks_like_constant(name))
		return p_error(p, col, "unknown constant '%s'%s", name,
		               name_hint(p, name, hint, sizeof(hint)));
	return p_error(p, col, "'%s' is used before any line binds it%s", name,
	               name_hint(p, name, hint, sizeof(hint)));
}

/* A buffer the call fills written without its `&` (`msgrcv(q, m, ...)`),
 * where nothing has bound that name: 0 when e is not that, else -1 after
 * saying what to write.  (A bound name there is its call checker's.) */
static int check_output_written_as_name(struct parser *p, const struct stmt *st,
                                        const struct expr *e)
{
	if (e->kind != EX_NAME || find(p->names, e->text) != NULL || looks_like_constant(e->text))
		return 0;
	return p_error(p, e->col, "'%s' is used before any line binds it; did you mean '&%s'? "
	               "(%s fills it through its address)", e->text, e->text, st->call->name);
}

const char *addr_hint(const struct expr *e, char *buf, size_t size)
{
	if (e->kind != EX_NAME)
		return "";
	snprintf(buf, size, "; did you mean '&%s'?", e->text);
	return buf;
}

static int check_uses(struct parser *p, const struct expr *e)
{
	if (e == NULL)
		return 0;
	switch (e->kind) {
	case EX_NAME:
		return check_name_use(p, e->text, e->col);
	case EX_KEYWORD:
		return 0;
	case EX_ADDR:
		return check_name_use(p, e->text, e->col + 1);
	default:
		break;
	}
	if (expr_is_leaf(e))
		return 0;
	if (check_uses(p, e->a) < 0 || check_uses(p, e->b) < 0)
		return -1;
	for (int i = 0; i < e->nitems; i++)
		if (check_uses(p, e->items[i]) < 0)
			return -1;
	return 0;
}

/* Keywords belong to signal(); anywhere else they are a mistake. */
static int check_no_keyword(struct parser *p, const struct expr *e)
{
	if (e == NULL)
		return 0;
	if (e->kind == EX_KEYWORD)
		return p_error(p, e->col, "'%s' is only meaningful as signal()'s handler", e->text);
	if (expr_is_leaf(e))
		return 0;
	if (check_no_keyword(p, e->a) < 0 || check_no_keyword(p, e->b) < 0)
		return -1;
	for (int i = 0; i < e->nitems; i++)
		if (check_no_keyword(p, e->items[i]) < 0)
			return -1;
	return 0;
}

const char *field_canonical(const char *name)
{
	if (name[0] != '_')
		return name; /* the usual case, and it is asked often: no compares */
	if (strcmp(name, "__key") == 0)
		return "key";
	if (strcmp(name, "__seq") == 0)
		return "seq";
	if (strcmp(name, "__msg_cbytes") == 0)
		return "msg_cbytes";
	return name;
}

/* The field at a dotted path of the list (into an ipc_perm), or NULL. */
static const struct strace_field *field_at(const struct strace_field *fields, const char *path)
{
	for (;;) {
		const char *dot = strchr(path, '.');
		size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		const struct strace_field *f = fields;
		char name[64];

		if (n >= sizeof(name))
			return NULL;
		memcpy(name, path, n);
		name[n] = '\0';
		while (f->name != NULL && strcmp(f->name, field_canonical(name)) != 0)
			f++;
		if (f->name == NULL || dot == NULL)
			return f->name != NULL ? f : NULL;
		if (f->type != STRACE_F_PERM)
			return NULL;
		fields = strace_ipc_perm_fields;
		path = dot + 1;
	}
}

/* Offers every field of the list. */
static void suggest_fields(struct suggest *sg, const struct strace_field *fields)
{
	for (const struct strace_field *f = fields; f->name != NULL; f++)
		suggest_offer(sg, f->name);
}

/* "struct msqid_ds has no field 'msg_qnumm'; did you mean 'msg_qnum'?" */
static int unknown_field(struct parser *p, int col, const char *what, const char *path,
                         const struct strace_field *fields)
{
	const char *dot = strrchr(path, '.');
	const char *last = dot != NULL ? dot + 1 : path;
	struct suggest sg;
	char hint[96];

	/* Within an ipc_perm, its fields; at the top, the structure's. */
	suggest_init(&sg, last);
	suggest_fields(&sg, dot != NULL ? strace_ipc_perm_fields : fields);
	return p_error(p, col, "%s has no field '%s'%s", what, path,
	               suggest_text(&sg, hint, sizeof(hint)));
}

/* Every designated field of struct literal e (nested and dotted) is one of fields. */
int check_fields(struct parser *p, const struct expr *e, const char *prefix,
                 const struct strace_field *fields, const char *what)
{
	for (int i = 0; i < e->nitems; i++) {
		const struct expr *it = e->items[i];
		char path[256];

		if (it->fname == NULL)
			return p_error(p, it->col, "name the fields of %s: {field=value, ...}", what);
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", it->fname);
		if (field_at(fields, path) == NULL)
			return unknown_field(p, it->fname_col, what, path, fields);
		if (it->kind == EX_STRUCT && check_fields(p, it, path, fields, what) < 0)
			return -1;
	}
	return 0;
}

static int check_message(struct parser *p, const struct expr *e)
{
	int named = 0;

	for (int i = 0; i < e->nitems; i++)
		named += e->items[i]->fname != NULL;
	if (named == 0 && e->nitems == 2)
		return 0;
	if (named == e->nitems)
		return check_fields(p, e, "", message_fields, "a message");
	return p_error(p, e->col, "a message is {mtype, \"text\"} or {mtype=N, mtext=\"text\"}");
}

/* ---- per call ------------------------------------------------------------- */

static int const_is(const struct expr *e, const char *name)
{
	return e->kind == EX_CONST && strcmp(e->text, name) == 0;
}

static int msgctl_kind(const struct expr *cmd)
{
	if (const_is(cmd, "IPC_STAT") || const_is(cmd, "MSG_STAT") || const_is(cmd, "MSG_STAT_ANY"))
		return 'S';
	if (const_is(cmd, "IPC_INFO") || const_is(cmd, "MSG_INFO"))
		return 'I';
	if (const_is(cmd, "IPC_SET"))
		return 'W';
	return 0;
}

int check_msgsnd(struct parser *p, const struct stmt *st)
{
	const struct expr *msg = st->args[1];

	if (msg->kind == EX_STRUCT)
		return check_message(p, msg);
	if (msg->kind != EX_NULL && msg->kind != EX_NAME && msg->kind != EX_ADDR)
		return p_error(p, msg->col, "msgsnd sends a message {mtype, \"text\"}, "
		                            "a message variable or NULL");
	return 0;
}

int check_msgrcv(struct parser *p, const struct stmt *st)
{
	const struct expr *buf = st->args[1], *payload = st->expect.payload;

	char hint[96];

	if (buf->kind != EX_ADDR && buf->kind != EX_DISCARD && buf->kind != EX_NULL)
		return p_error(p, buf->col, "msgrcv receives into &name, _ or NULL%s",
		               addr_hint(buf, hint, sizeof(hint)));
	if (payload != NULL && payload->kind != EX_STRUCT)
		return p_error(p, payload->col, "msgrcv's result is a message");
	return payload != NULL ? check_message(p, payload) : 0;
}

int check_msgctl(struct parser *p, const struct stmt *st)
{
	const struct expr *buf = st->args[2], *payload = st->expect.payload;
	int kind = msgctl_kind(st->args[1]);

	if (buf->kind == EX_STRUCT) {
		if (kind != 'W')
			return p_error(p, buf->col, "a struct literal is IPC_SET's input; "
			                            "other commands fill &name");
		if (check_fields(p, buf, "", strace_msqid_ds_fields, "struct msqid_ds") < 0)
			return -1;
	} else if (buf->kind != EX_ADDR && buf->kind != EX_NULL && buf->kind != EX_DISCARD) {
		char hint[96];

		return p_error(p, buf->col, "msgctl takes &name, {fields}, _ or NULL%s",
		               addr_hint(buf, hint, sizeof(hint)));
	}
	if (payload != NULL && payload->kind == EX_STRUCT && kind == 'S' &&
	    check_fields(p, payload, "", strace_msqid_ds_fields, "struct msqid_ds") < 0)
		return -1;
	if (payload != NULL && payload->kind == EX_STRUCT && kind == 'I' &&
	    check_fields(p, payload, "", strace_msginfo_fields, "struct msginfo") < 0)
		return -1;
	return 0;
}

int check_fork(struct parser *p, const struct stmt *st)
{
	if (st->bind == NULL)
		return p_error(p, st->call_col, "name the child: 'P1: P3 = fork()'");
	return 0;
}

int check_signal(struct parser *p, const struct stmt *st)
{
	if (st->args[1]->kind != EX_KEYWORD)
		return p_error(p, st->args[1]->col, "signal's handler is handler, SIG_IGN or SIG_DFL");
	return 0;
}

int check_ftok(struct parser *p, const struct stmt *st)
{
	if (st->args[0]->kind != EX_STR && st->args[0]->kind != EX_NAME)
		return p_error(p, st->args[0]->col, "ftok takes a path string");
	return 0;
}

int check_assert(struct parser *p, const struct stmt *st)
{
	if (st->expect.kind != XP_NONE)
		return p_error(p, st->expect.col, "assert takes no result");
	return 0;
}

int output_arg_msgrcv(const struct stmt *st)
{
	return 1;
}

/* IPC_SET reads the struct; every other command may fill it. */
int output_arg_msgctl(const struct stmt *st)
{
	return msgctl_kind(st->args[1]) != 'W' ? 2 : -1;
}

/* The call's own checker, then what holds for every call: keywords only
 * where the call takes a handler. */
static int check_call_shape(struct parser *p, const struct stmt *st)
{
	const struct call_info *c = st->call;

	if (c->check != NULL && c->check(p, st) < 0)
		return -1;
	if (check_types_call(p, st) < 0)
		return -1;
	for (int i = 0; i < st->nargs; i++)
		if (!((c->flags & CALL_ARG1_HANDLER) && i == 1) && check_no_keyword(p, st->args[i]) < 0)
			return -1;
	return 0;
}

/* The names a call binds through its arguments (after the uses). */
static int bind_outputs(struct parser *p, const struct stmt *st)
{
	int k = call_output_arg(st);
	const struct expr *buf = k >= 0 ? st->args[k] : NULL;
	struct name_entry *e;

	if (buf == NULL || buf->kind != EX_ADDR)
		return 0;
	e = find(p->names, buf->text);
	if (e != NULL && e->kind == NK_PROC)
		return p_error(p, buf->col + 1, "'%s' names a process", buf->text);
	e = bind(p, &p->names, e, buf->text, NK_VAR, buf->col + 1);
	if (e == NULL)
		return -1;
	set_shape(e, call_output_shape(st));
	return 0;
}

static int check_outputs_are_uses(struct parser *p, const struct stmt *st)
{
	int out = call_output_arg(st);

	/* Outputs are not uses: only check the arguments that are read. */
	for (int i = 0; i < st->nargs; i++) {
		const struct expr *e = st->args[i];

		if (i == out && check_output_written_as_name(p, st, e) < 0)
			return -1;
		if (!(e->kind == EX_ADDR && i == out) && check_uses(p, e) < 0)
			return -1;
	}
	return 0;
}

static int check_proc_name(struct parser *p, const char *name, int col)
{
	struct name_entry *e = find(p->names, name);

	if (e != NULL && e->kind == NK_VAR)
		return p_error(p, col, "'%s' is a variable, not a process", name);
	return bind(p, &p->names, e, name, NK_PROC, col) != NULL ? 0 : -1;
}

static int check_call(struct parser *p, struct stmt *st)
{
	const struct call_info *c = st->call;
	struct name_entry *e;

	if (check_proc_name(p, st->proc, st->proc_col) < 0)
		return -1;
	if (check_outputs_are_uses(p, st) < 0 || check_call_shape(p, st) < 0)
		return -1;
	if (bind_outputs(p, st) < 0)
		return -1;
	if (st->bind != NULL && strcmp(st->bind, "_") != 0) {
		int want = c->flags & CALL_BINDS_PROCESS ? NK_PROC : NK_VAR;

		e = find(p->names, st->bind);
		if (want == NK_PROC && e != NULL)
			return p_error(p, st->bind_col, "'%s' already names a %s (line %d)", st->bind,
			               e->kind == NK_PROC ? "process" : "variable", e->line);
		if (want == NK_VAR && e != NULL && e->kind == NK_PROC)
			return p_error(p, st->bind_col, "'%s' names a process", st->bind);
		e = bind(p, &p->names, e, st->bind, want, st->bind_col);
		if (e == NULL)
			return -1;
		set_shape(e, call_result_shape(st));
	}
	if (check_uses(p, st->expect.ret) < 0 || check_uses(p, st->expect.payload) < 0)
		return -1;
	return 0;
}

int check_program_proc(struct parser *p, const struct stmt *st)
{
	return check_proc_name(p, st->proc, st->proc_col);
}

int check_expr_uses(struct parser *p, const struct expr *e)
{
	return check_uses(p, e);
}

static int check_assign(struct parser *p, struct stmt *st)
{
	struct name_entry *e;

	if (check_proc_name(p, st->proc, st->proc_col) < 0 || check_uses(p, st->value) < 0)
		return -1;
	e = find(p->names, st->bind);
	if (e != NULL && e->kind == NK_PROC)
		return p_error(p, st->bind_col, "'%s' names a process", st->bind);
	e = bind(p, &p->names, e, st->bind, NK_VAR, st->bind_col);
	if (e == NULL)
		return -1;
	set_shape(e, VS_ANY);
	return check_uses(p, st->expect.ret);
}

int check_stmt(struct parser *p, struct stmt *st)
{
	struct name_entry *e;

	switch (st->kind) {
	case ST_CALL:
		return check_call(p, st);
	case ST_ASSIGN:
		return check_assign(p, st);
	case ST_SETFIELD: {
		const struct expr *base = st->target;

		while (base->kind == EX_FIELD)
			base = base->a;
		if (check_proc_name(p, st->proc, st->proc_col) < 0)
			return -1;
		e = find(p->names, base->text);
		if (e == NULL || e->kind != NK_VAR)
			return p_error(p, base->col, "'%s' is not a bound variable", base->text);
		if (check_uses(p, st->value) < 0)
			return -1;
		return check_types_setfield(p, st);
	}
	case ST_RESUMED:
	case ST_EXITED:
	case ST_KILLED:
		e = find(p->names, st->proc);
		if (e == NULL || e->kind != NK_PROC)
			return p_error(p, st->proc_col, "'%s' is not a process here", st->proc);
		if (p->s->nstmts == 0)
			return p_error(p, st->col, "a resumed or ending line follows the step that "
			                           "caused it");
		return check_uses(p, st->expect.ret) < 0 ? -1 : check_uses(p, st->expect.payload);
	case ST_PROCESS:
		e = find(p->names, st->proc);
		if (e != NULL && e->kind != NK_PROC)
			return p_error(p, st->proc_col, "'%s' already exists (line %d)", st->proc, e->line);
		if (st->bind != NULL && !check_user_known(p, st->bind))
			return p_error(p, st->bind_col, "unknown user '%s' (declare it: user %s uid=N "
			                                "gid=N)", st->bind, st->bind);
		/* A process line for a process that exists gives it new credentials. */
		return bind(p, &p->names, e, st->proc, NK_PROC, st->proc_col) != NULL ? 0 : -1;
	case ST_USER:
		return bind(p, &p->users, find(p->users, st->name), st->name, NK_VAR,
		            st->proc_col) != NULL ? 0 : -1;
	default:
		return 0;
	}
}

/* ---- snapshots (a session's :undo) --------------------------------------- */

struct check_snap {
	struct name_entry *names, *users; /* copies, in binding order */
	int last_was_shell, have_step;
};

static int copy_table(struct name_entry **dst, struct name_entry *src)
{
	struct name_entry *e, *tmp;

	HASH_ITER(hh, src, e, tmp) {
		struct name_entry *c = calloc(1, sizeof(*c));

		if (c == NULL || (c->name = strdup(e->name)) == NULL) {
			free(c);
			return -1;
		}
		c->kind = e->kind;
		c->line = e->line;
		c->shape = e->shape;
		c->shaped = e->shaped;
		HASH_ADD_KEYPTR(hh, *dst, c->name, strlen(c->name), c);
		if (c->oom) {
			free(c->name);
			free(c);
			return -1;
		}
	}
	return 0;
}

void check_snap_free(struct check_snap **sp)
{
	if (sp == NULL || *sp == NULL)
		return;
	free_table(&(*sp)->names);
	free_table(&(*sp)->users);
	free(*sp);
	*sp = NULL;
}

struct check_snap *check_snap_take(const struct parser *p)
{
	struct check_snap *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	if (copy_table(&s->names, p->names) < 0 || copy_table(&s->users, p->users) < 0) {
		check_snap_free(&s);
		return NULL;
	}
	s->last_was_shell = p->last_was_shell;
	s->have_step = p->have_step;
	return s;
}

int check_snap_restore(struct parser *p, const struct check_snap *s)
{
	struct name_entry *e, *tmp;

	check_free(p);
	p->last_was_shell = s->last_was_shell;
	p->have_step = s->have_step;
	if (copy_table(&p->names, s->names) < 0 || copy_table(&p->users, s->users) < 0)
		return -1;
	HASH_ITER(hh, p->names, e, tmp) /* in binding order: the first of each fold */
		fold_add(p, e);
	return 0;
}
