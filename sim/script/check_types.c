/*
 * check_types.c - values of the wrong kind, found before anything runs: a
 * string where a call takes an integer (`store(buf, "hello")`, `ftok(p,
 * "Q")`), an integer where it takes a path or a text, a message, struct or
 * list where a number goes, `_` where a value is read.
 *
 * The kind of a value is known from its form (a literal) or from the line
 * that bound the variable (call_result_shape, call_output_shape: shmat's
 * result is an address, an integer; memread's a string; msgrcv's &m a
 * message; a STAT's &ds a struct).  What cannot be told (VS_ANY) is never
 * refused: the checker refuses only what the run would refuse.
 */
#include <string.h>

#include "script/script_int.h"

static const char *const shape_names[] = {
	[VS_ANY] = "a value", [VS_INT] = "an integer", [VS_STR] = "a string",
	[VS_MSG] = "a message", [VS_STRUCT] = "a struct", [VS_LIST] = "a list",
	[VS_NONE] = "'_' (a result thrown away, not a value)",
};

static int const_named(const struct expr *e, const char *name)
{
	return e->kind == EX_CONST && strcmp(e->text, name) == 0;
}

/* {1, "a"} or {mtype=1, mtext="a"}: a message, as eval.c reads it. */
static int message_literal(const struct expr *e)
{
	int named = 0;

	for (int i = 0; i < e->nitems; i++) {
		const char *f = e->items[i]->fname;

		if (f == NULL)
			continue;
		if (strcmp(f, "mtype") != 0 && strcmp(f, "mtext") != 0)
			return 0;
		named++;
	}
	return named == 0 ? e->nitems == 2 : named == e->nitems;
}

static enum val_shape expr_shape(struct parser *p, const struct expr *e)
{
	switch (e->kind) {
	case EX_INT: case EX_CONST: case EX_NULL: case EX_NEG: case EX_BINOP: case EX_CMP:
		return VS_INT;
	case EX_STR:
		return VS_STR;
	case EX_NAME:
		return name_shape(p, e->text);
	case EX_FIELD:
		/* m.mtype and m.mtext of a message; struct fields may nest. */
		if (e->a->kind == EX_NAME && name_shape(p, e->a->text) == VS_MSG)
			return strcmp(e->text, "mtext") == 0 ? VS_STR
			       : strcmp(e->text, "mtype") == 0 ? VS_INT : VS_ANY;
		return VS_ANY;
	case EX_STRUCT:
		return message_literal(e) ? VS_MSG : VS_STRUCT;
	case EX_ARRAY:
		return VS_LIST;
	case EX_DISCARD:
		return VS_NONE;
	default:
		return VS_ANY;
	}
}

static int known_non_int(enum val_shape sh)
{
	return sh != VS_ANY && sh != VS_INT;
}

/* "; 'k' holds a string" for a variable, "" for a literal. */
static const char *holds(const struct expr *e, enum val_shape sh, char *buf, size_t size)
{
	if (e->kind != EX_NAME)
		return "";
	snprintf(buf, size, " ('%s' holds %s)", e->text, shape_names[sh]);
	return buf;
}

/* The advice after "X is an integer, not a string" for a few classics. */
static const char *int_advice(const struct stmt *st, int i, const struct expr *e, char *buf,
                              size_t size)
{
	if (e->kind != EX_STR)
		return "";
	if (st->call->id == CALL_STORE && i == 1)
		return ": store writes one word; to copy text, memcpy(addr, \"text\")";
	if (st->call->id == CALL_FTOK && i == 1 && e->len == 1 && e->text[0] > ' ' &&
	    e->text[0] < 0x7f && e->text[0] != '\'' && e->text[0] != '\\') {
		snprintf(buf, size, ": a character is written in single quotes, '%c' (%d)",
		         e->text[0], e->text[0]);
		return buf;
	}
	return "";
}

/* e, argument i of st (or an item of it), must be an integer. */
static int want_int(struct parser *p, const struct stmt *st, int i, const struct expr *e)
{
	enum val_shape sh;
	char buf[128], advice[96];

	if (e->kind == EX_INT || e->kind == EX_CONST) /* the usual: no lookup, no call */
		return 0;
	sh = expr_shape(p, e);
	if (sh == VS_ANY || sh == VS_INT)
		return 0;
	return p_error(p, e->col, "%s's argument %d must be an integer, not %s%s%s", st->call->name,
	               i + 1, shape_names[sh], holds(e, sh, buf, sizeof(buf)),
	               int_advice(st, i, e, advice, sizeof(advice)));
}

static int want_str(struct parser *p, const struct stmt *st, int i, const struct expr *e)
{
	enum val_shape sh = expr_shape(p, e);
	char buf[128];

	if (sh == VS_ANY || sh == VS_STR)
		return 0;
	return p_error(p, e->col, "%s's argument %d is a string (\"text\"), not %s%s",
	               st->call->name, i + 1, shape_names[sh], holds(e, sh, buf, sizeof(buf)));
}

/* Operands as eval.c reads them: + - | and unary - take integers; a
 * comparison compares two integers, or two texts with == and != only. */
static int check_operands(struct parser *p, const struct expr *e)
{
	enum val_shape a, b;

	if (e == NULL || expr_is_leaf(e))
		return 0;
	if (check_operands(p, e->a) < 0 || check_operands(p, e->b) < 0)
		return -1;
	for (int i = 0; i < e->nitems; i++)
		if (check_operands(p, e->items[i]) < 0)
			return -1;
	if (e->kind == EX_NEG && known_non_int(a = expr_shape(p, e->a)))
		return p_error(p, e->a->col, "'-' needs an integer, not %s", shape_names[a]);
	if (e->kind != EX_BINOP && e->kind != EX_CMP)
		return 0;
	a = expr_shape(p, e->a);
	b = expr_shape(p, e->b);
	if (e->kind == EX_CMP && known_non_int(a) && known_non_int(b)) {
		if (strcmp(e->op, "==") != 0 && strcmp(e->op, "!=") != 0)
			return p_error(p, e->col, "only == and != compare texts");
		return 0;
	}
	if (e->kind == EX_CMP && (a == VS_ANY || b == VS_ANY))
		return 0;
	if (known_non_int(a))
		return p_error(p, e->a->col, "'%s' needs integers on both sides, not %s", e->op,
		               shape_names[a]);
	if (known_non_int(b))
		return p_error(p, e->b->col, "'%s' needs integers on both sides, not %s", e->op,
		               shape_names[b]);
	return 0;
}

/* A message literal: mtype an integer, mtext a string. */
static int check_message_items(struct parser *p, const struct expr *e)
{
	for (int i = 0; i < e->nitems; i++) {
		const struct expr *it = e->items[i];
		int is_type = it->fname != NULL ? strcmp(it->fname, "mtype") == 0 : i == 0;
		enum val_shape sh = expr_shape(p, it);

		if (is_type && sh != VS_ANY && sh != VS_INT)
			return p_error(p, it->col, "mtype is an integer, not %s", shape_names[sh]);
		if (!is_type && sh != VS_ANY && sh != VS_STR)
			return p_error(p, it->col, "mtext is a string%s, not %s",
			               it->kind == EX_INT && it->text != NULL && it->text[0] == '\''
			                   ? " in double quotes (\"a\")" : " (\"text\")",
			               shape_names[sh]);
	}
	return 0;
}

/* The integers inside a semop list, a timeout, SETALL's values: what
 * names them ("a semaphore operation's fields"). */
static int check_int_items(struct parser *p, const struct expr *e, const char *what)
{
	if (e->kind != EX_ARRAY && e->kind != EX_STRUCT)
		return 0;
	for (int k = 0; k < e->nitems; k++) {
		const struct expr *it = e->items[k];
		enum val_shape sh = expr_shape(p, it);

		if (it->kind == EX_STRUCT) {
			if (check_int_items(p, it, what) < 0)
				return -1;
		} else if (known_non_int(sh)) {
			return p_error(p, it->col, "%s are integers, not %s", what, shape_names[sh]);
		}
	}
	return 0;
}

/* The arguments st's checker takes as '*': the right kind of buffer or literal. */
static int check_special_arg(struct parser *p, const struct stmt *st, int i)
{
	const struct expr *e = st->args[i];
	enum call_id call = st->call->id;
	enum val_shape sh = expr_shape(p, e);
	char buf[128];

	if (call == CALL_MSGSND) {
		if (e->kind == EX_STRUCT)
			return check_message_items(p, e);
		if (e->kind == EX_NAME && sh != VS_ANY && sh != VS_MSG)
			return p_error(p, e->col, "msgsnd sends a message%s", holds(e, sh, buf,
			                                                         sizeof(buf)));
		return 0;
	}
	if ((call == CALL_SEMOP || call == CALL_SEMTIMEDOP) && i == 1)
		return check_int_items(p, e, "a semaphore operation's fields");
	if (call == CALL_SEMTIMEDOP)
		return check_int_items(p, e, "a timeout's fields");
	if (call == CALL_SEMCTL && const_named(st->args[2], "SETVAL"))
		return want_int(p, st, i, e);
	if (call == CALL_SEMCTL && const_named(st->args[2], "SETALL")) {
		if (e->kind == EX_NAME && sh != VS_ANY && sh != VS_LIST)
			return p_error(p, e->col, "SETALL takes a list of values%s",
			               holds(e, sh, buf, sizeof(buf)));
		return check_int_items(p, e, "SETALL's values");
	}
	if (((call == CALL_MSGCTL || call == CALL_SHMCTL) &&
	     const_named(st->args[1], "IPC_SET")) ||
	    (call == CALL_SEMCTL && const_named(st->args[2], "IPC_SET"))) {
		if (e->kind == EX_NAME && sh != VS_ANY && sh != VS_STRUCT)
			return p_error(p, e->col, "IPC_SET takes a struct%s",
			               holds(e, sh, buf, sizeof(buf)));
	}
	return 0;
}

int check_types_call(struct parser *p, const struct stmt *st)
{
	const char *kinds = st->call->args;
	const int nkinds = (int)strlen(kinds);
	const struct expect *x = &st->expect;

	for (int i = 0; i < st->nargs; i++) {
		char k = kinds[i < nkinds ? i : nkinds - 1];
		int rc = k == 'i' ? want_int(p, st, i, st->args[i])
		         : k == 's' ? want_str(p, st, i, st->args[i])
		                    : check_special_arg(p, st, i);

		if (rc < 0 || (!expr_is_leaf(st->args[i]) && check_operands(p, st->args[i]) < 0))
			return -1;
	}
	/* A result is a number (memread's a text: its checker's). */
	if (x->kind == XP_RESULT && st->call->id != CALL_MEMREAD) {
		enum val_shape sh = expr_shape(p, x->ret);

		if (sh != VS_ANY && sh != VS_INT)
			return p_error(p, x->ret->col, "%s returns an integer, not %s", st->call->name,
			               shape_names[sh]);
	}
	if (st->call->id == CALL_MSGRCV && x->payload != NULL && x->payload->kind == EX_STRUCT &&
	    message_literal(x->payload))
		return check_message_items(p, x->payload);
	return 0;
}

int check_types_setfield(struct parser *p, const struct stmt *st)
{
	const struct expr *base = st->target, *field = st->target;
	enum val_shape sh, vsh;

	while (base->kind == EX_FIELD)
		base = base->a;
	sh = name_shape(p, base->text);
	vsh = expr_shape(p, st->value);
	if (sh != VS_ANY && sh != VS_STRUCT && sh != VS_MSG)
		return p_error(p, base->col, "'%s' holds %s: only a struct's or a message's fields "
		               "can be set", base->text, shape_names[sh]);
	if (sh == VS_MSG && field->a == base && strcmp(field->text, "mtext") == 0 &&
	    vsh != VS_ANY && vsh != VS_STR)
		return p_error(p, st->value->col, "mtext is a string, not %s", shape_names[vsh]);
	if (!(sh == VS_MSG && strcmp(field->text, "mtext") == 0) && vsh != VS_ANY && vsh != VS_INT)
		return p_error(p, st->value->col, "a field is an integer, not %s", shape_names[vsh]);
	return check_operands(p, st->value);
}

enum val_shape call_result_shape(const struct stmt *st)
{
	return st->call->id == CALL_MEMREAD ? VS_STR : VS_INT;
}

enum val_shape call_output_shape(const struct stmt *st)
{
	enum call_id call = st->call->id;

	if (call == CALL_MSGRCV)
		return VS_MSG;
	if (call == CALL_MSGCTL || call == CALL_SHMCTL)
		return VS_STRUCT;
	if (call == CALL_SEMCTL && const_named(st->args[2], "GETALL"))
		return VS_LIST;
	if (call == CALL_SEMCTL && st->args[2]->kind == EX_CONST)
		return VS_STRUCT;
	return VS_ANY;
}
