/*
 * eval.c - expressions to values, and expectations checked against what a
 * call did.
 *
 * A result prints as strace prints it (ipcsim/strace.h); expectations
 * compare the way a reader of that text would: only the named fields of a
 * struct, texts without their trailing NULs, keys by 32 bits.
 */
#include <stdlib.h>
#include <string.h>

#include "script/interp_int.h"

static char int_format(const char *spelling)
{
	const char *s = spelling;

	if (s == NULL)
		return 'd';
	if (*s == '-' || *s == '+')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return 'x';
	if (s[0] == '0' && s[1] != '\0')
		return 'o';
	return 'd';
}

static int is_message_literal(const struct expr *e)
{
	int named = 0, has_type = 0, has_text = 0;

	for (int i = 0; i < e->nitems; i++) {
		if (e->items[i]->fname == NULL)
			continue;
		named++;
		has_type |= strcmp(e->items[i]->fname, "mtype") == 0;
		has_text |= strcmp(e->items[i]->fname, "mtext") == 0;
	}
	if (named == 0)
		return e->nitems == 2;
	return named == e->nitems && named == has_type + has_text;
}

/* A message literal's type and text expressions (either may be NULL). */
static void message_parts(const struct expr *e, const struct expr **type_e,
                          const struct expr **text_e)
{
	*type_e = *text_e = NULL;
	for (int i = 0; i < e->nitems; i++) {
		const struct expr *it = e->items[i];

		if (it->fname != NULL ? strcmp(it->fname, "mtype") == 0 : i == 0)
			*type_e = it;
		else
			*text_e = it;
	}
}

int eval_literal_message(const struct expr *e, long long *type, const char **text,
                         size_t *len)
{
	const struct expr *type_e, *text_e;

	if (e->kind != EX_STRUCT || !is_message_literal(e))
		return 0;
	message_parts(e, &type_e, &text_e);
	if (type_e == NULL || text_e == NULL || type_e->kind != EX_INT || text_e->kind != EX_STR)
		return 0;
	*type = type_e->ival;
	*text = text_e->text;
	*len = text_e->len;
	return 1;
}

static int eval_message(struct interp *in, const struct expr *e, struct value *out)
{
	const struct expr *type_e, *text_e;
	struct value type = { 0 }, text = { 0 };
	int rc = -1;

	message_parts(e, &type_e, &text_e);
	memset(out, 0, sizeof(*out));
	out->kind = V_MSG;
	if (type_e != NULL) {
		if (eval(in, type_e, &type) < 0)
			goto out_free;
		if (type.kind != V_INT) {
			interp_error(in, NULL, type_e->col, "mtype must be an integer");
			goto out_free;
		}
		out->i = type.i;
	}
	if (text_e != NULL) {
		if (eval(in, text_e, &text) < 0)
			goto out_free;
		if (text.kind != V_STR) {
			interp_error(in, NULL, text_e->col, "mtext must be a string");
			goto out_free;
		}
		out->bytes = text.bytes;
		out->len = text.len;
		text.bytes = NULL;
	}
	rc = 0;
out_free:
	value_free(&type);
	value_free(&text);
	return rc;
}

static int eval_items(struct interp *in, const struct expr *e, struct value *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = e->kind == EX_ARRAY ? V_ARRAY : V_STRUCT;
	for (int i = 0; i < e->nitems; i++) {
		struct value v;

		if (eval(in, e->items[i], &v) < 0)
			goto out_fail;
		if (out->kind == V_STRUCT && e->items[i]->fname != NULL) {
			if (value_set_field(out, e->items[i]->fname, &v) < 0) {
				value_free(&v);
				goto out_oom;
			}
		} else {
			struct value *grown = realloc(out->items, (size_t)(out->nitems + 1) * sizeof(v));

			if (grown == NULL) {
				value_free(&v);
				goto out_oom;
			}
			out->items = grown;
			out->items[out->nitems++] = v;
		}
	}
	return 0;
out_oom:
	interp_error(in, NULL, e->col, "out of memory");
out_fail:
	value_free(out);
	return -1;
}

static int eval_name(struct interp *in, const struct expr *e, const char *name, struct value *out)
{
	struct var *v = interp_var(in, name);
	struct proc *p;

	if (v != NULL) {
		if (value_copy(out, &v->v) < 0)
			return interp_error(in, NULL, e->col, "out of memory");
		return 0;
	}
	p = interp_proc(in, name, 0);
	if (p != NULL) {
		memset(out, 0, sizeof(*out));
		out->kind = V_PROC;
		out->i = p->pid;
		out->name = strdup(name);
		return out->name != NULL ? 0 : interp_error(in, NULL, e->col, "out of memory");
	}
	return interp_error(in, NULL, e->col, "'%s' is not bound here (the call that binds it "
	                                      "failed or has not returned)", name);
}

int eval(struct interp *in, const struct expr *e, struct value *out)
{
	struct value a, b; /* the operands: only the cases that break below use them */
	int rc = -1;

	memset(out, 0, sizeof(*out));
	switch (e->kind) {
	case EX_INT:
		out->kind = V_INT;
		out->i = e->ival;
		out->fmt = int_format(e->text);
		return 0;
	case EX_CONST:
	case EX_NULL:
		out->kind = V_INT;
		out->i = e->ival;
		return 0;
	case EX_STR:
		out->kind = V_STR;
		out->bytes = malloc(e->len + 1);
		if (out->bytes == NULL)
			return interp_error(in, NULL, e->col, "out of memory");
		memcpy(out->bytes, e->text, e->len + 1);
		out->len = e->len;
		return 0;
	case EX_DISCARD:
		return 0;
	case EX_KEYWORD:
		return interp_error(in, NULL, e->col, "'%s' is not a value", e->text);
	case EX_NAME:
	case EX_ADDR:
		return eval_name(in, e, e->text, out);
	case EX_FIELD: {
		struct value *f;

		memset(&b, 0, sizeof(b));
		if (eval(in, e->a, &a) < 0)
			return -1;
		if (a.kind == V_MSG && strcmp(e->text, "mtype") == 0) {
			out->kind = V_INT;
			out->i = a.i;
			rc = 0;
		} else if (a.kind == V_MSG && strcmp(e->text, "mtext") == 0) {
			out->kind = V_STR;
			out->bytes = a.bytes;
			out->len = a.len;
			a.bytes = NULL;
			rc = 0;
		} else if ((f = value_field(&a, e->text)) != NULL) {
			rc = value_copy(out, f);
		} else {
			rc = interp_error(in, NULL, e->col, "no field '%s' here", e->text);
		}
		break;
	}
	case EX_BINOP:
	case EX_CMP:
		memset(&b, 0, sizeof(b));
		if (eval(in, e->a, &a) < 0 || eval(in, e->b, &b) < 0)
			break;
		if (e->kind == EX_CMP && a.kind != V_INT && b.kind != V_INT) {
			int eq = (a.kind == V_STR || a.kind == V_MSG) && a.kind == b.kind &&
			         a.i == b.i && value_bytes_equal(a.bytes, a.len, b.bytes, b.len);

			if (strcmp(e->op, "==") != 0 && strcmp(e->op, "!=") != 0) {
				rc = interp_error(in, NULL, e->col, "only == and != compare texts");
				break;
			}
			out->kind = V_INT;
			out->i = strcmp(e->op, "==") == 0 ? eq : !eq;
			rc = 0;
			break;
		}
		if (a.kind != V_INT || b.kind != V_INT) {
			rc = interp_error(in, NULL, e->col, "'%s' needs integers on both sides", e->op);
			break;
		}
		out->kind = V_INT;
		out->fmt = a.fmt;
		switch (e->op[0]) {
		case '|': out->i = a.i | b.i; break;
		/* 64-bit wrap-around, as C's unsigned long (shmmax is ULONG_MAX
		 * - 2^24): computed unsigned, so no overflow is undefined. */
		case '+': out->i = (long long)((unsigned long long)a.i + (unsigned long long)b.i); break;
		case '-': out->i = (long long)((unsigned long long)a.i - (unsigned long long)b.i); break;
		case '=': out->i = a.i == b.i; break;
		case '!': out->i = a.i != b.i; break;
		case '<': out->i = e->op[1] == '=' ? a.i <= b.i : a.i < b.i; break;
		case '>': out->i = e->op[1] == '=' ? a.i >= b.i : a.i > b.i; break;
		}
		rc = 0;
		break;
	case EX_NEG:
		memset(&b, 0, sizeof(b));
		if (eval(in, e->a, &a) < 0)
			break;
		if (a.kind != V_INT) {
			rc = interp_error(in, NULL, e->col, "'-' needs an integer");
			break;
		}
		out->kind = V_INT;
		out->i = (long long)(0ULL - (unsigned long long)a.i);
		rc = 0;
		break;
	case EX_STRUCT:
		if (is_message_literal(e))
			return eval_message(in, e, out);
		return eval_items(in, e, out);
	case EX_ARRAY:
		return eval_items(in, e, out);
	}
	value_free(&a);
	value_free(&b);
	return rc;
}

int eval_int(struct interp *in, const struct expr *e, long long *out)
{
	struct value v;
	const struct var *var;

	/* Most arguments are a number, a flag or a variable holding a number:
	 * read where they are, not copied into a value and freed. */
	if (e->kind == EX_INT || e->kind == EX_CONST || e->kind == EX_NULL) {
		*out = e->ival;
		return 0;
	}
	if (e->kind == EX_NAME && (var = interp_var(in, e->text)) != NULL &&
	    (var->v.kind == V_INT || var->v.kind == V_PROC)) {
		*out = var->v.i;
		return 0;
	}
	if (eval(in, e, &v) < 0)
		return -1;
	if (v.kind == V_PROC) {
		*out = v.i;
	} else if (v.kind == V_INT) {
		*out = v.i;
	} else {
		value_free(&v);
		return interp_error(in, NULL, e->col, "expected an integer here");
	}
	value_free(&v);
	return 0;
}

/* ---- expectations ---------------------------------------------------------- */

/* Every field named in want holds the same value in got; why on mismatch. */
static int struct_matches(const struct value *want, struct value *got, const char *prefix,
                          FILE *why)
{
	for (int i = 0; i < want->nfields; i++) {
		const struct field *f = &want->fields[i];
		struct value *g = value_field(got, f->name);

		if (g == NULL) {
			fprintf(why, "no field %s%s", prefix, f->name);
			return 0;
		}
		if (f->v.kind == V_STRUCT) {
			char sub[128];

			snprintf(sub, sizeof(sub), "%s%s.", prefix, f->name);
			if (!struct_matches(&f->v, g, sub, why))
				return 0;
		} else if (f->v.kind != V_INT || g->kind != V_INT ||
		           (f->v.i != g->i && (uint32_t)f->v.i != (uint32_t)g->i)) {
			fprintf(why, "%s%s is ", prefix, f->name);
			value_print(why, g);
			return 0;
		}
	}
	return 1;
}

/* GETALL: the same number of values, each equal. */
static int arrays_match(const struct value *want, const struct value *got, FILE *why)
{
	if (want->nitems != got->nitems) {
		fprintf(why, "%d values, not %d", got->nitems, want->nitems);
		return 0;
	}
	for (int i = 0; i < want->nitems; i++) {
		if (want->items[i].kind != V_INT || want->items[i].i != got->items[i].i) {
			fprintf(why, "value %d is ", i);
			value_print(why, &got->items[i]);
			return 0;
		}
	}
	return 1;
}

/* memread: the text read, trailing NULs insignificant. */
static int string_matches(struct interp *in, const struct expr *e, const struct actual *a)
{
	struct value want;
	int ok;

	if (eval(in, e, &want) < 0)
		return -1;
	ok = want.kind == V_STR && a->payload.kind == V_STR &&
	     value_bytes_equal(want.bytes, want.len, a->payload.bytes, a->payload.len);
	value_free(&want);
	return ok;
}

/* Compares the written payload pe with a's; *why gets what differs in a
 * struct or array (malloc'd; left NULL when there is nothing to say). */
static int payload_matches(struct interp *in, const struct expr *pe, const struct actual *a,
                           char **why)
{
	struct value want;
	struct scratch w;
	const char *text;
	size_t len = 0;
	long long type;
	int ok = 0;

	/* The usual `= 6 {1, "hello"}`: compared where it is written, nothing
	 * built and freed. */
	if (a->payload.kind == V_MSG && eval_literal_message(pe, &type, &text, &len))
		return type == a->payload.i && value_bytes_equal((const unsigned char *)text, len,
		                                                 a->payload.bytes, a->payload.len);
	if (eval(in, pe, &want) < 0)
		return -1;
	if (want.kind == V_MSG && a->payload.kind == V_MSG) {
		ok = want.i == a->payload.i &&
		     value_bytes_equal(want.bytes, want.len, a->payload.bytes, a->payload.len);
	} else if (want.kind == V_ARRAY && want.nitems == 0 && a->payload.kind == V_NONE) {
		ok = 1;
	} else if ((want.kind == V_STRUCT && a->payload.kind == V_STRUCT) ||
	           (want.kind == V_ARRAY && a->payload.kind == V_ARRAY)) {
		/* Only these say why they differ: the stream is made for them alone
		 * (a scratch: it allocates when written, where open_memstream zeroes
		 * 8 KiB). */
		if (scratch_open(&w) < 0) {
			value_free(&want);
			return interp_error(in, NULL, 1, "out of memory");
		}
		ok = want.kind == V_STRUCT
		             ? struct_matches(&want, (struct value *)&a->payload, "",
		                              scratch_begin(&w))
		             : arrays_match(&want, &a->payload, scratch_begin(&w));
		text = scratch_end(&w, &len);
		if (ok == 0 && text != NULL && len > 0 && (*why = strdup(text)) == NULL)
			ok = interp_error(in, NULL, 1, "out of memory");
		scratch_close(&w);
	}
	value_free(&want);
	return ok;
}

static int ret_matches(long long want, const struct actual *a)
{
	if (want == a->r.ret)
		return 1;
	if (a->is_addr)
		return 0;
	/* Keys compare by their 32 bits, as strace and ipcs print them. */
	return a->hex && a->r.ret >= 0 && (uint32_t)want == (uint32_t)a->r.ret;
}

int expect_check(struct interp *in, const struct stmt *st, const struct expect *x,
                 const struct actual *a, char **why)
{
	long long want;
	int ok = 0;

	*why = NULL;
	switch (x->kind) {
	case XP_NONE:
	case XP_HOLE:
		ok = 1;
		break;
	case XP_UNFINISHED:
		ok = a->r.blocked;
		break;
	case XP_SIGNAL:
		ok = a->r.killed == x->sig;
		break;
	case XP_RESULT:
		if (a->r.blocked || a->no_result || a->r.killed)
			break;
		if (a->str_result) {
			ok = x->err == 0 && x->payload == NULL ? string_matches(in, x->ret, a) : 0;
			break;
		}
		if (eval_int(in, x->ret, &want) < 0) {
			ok = -1;
			break;
		}
		if (x->err != 0)
			ok = a->r.ret == -1 && a->r.err == x->err && want == -1;
		else
			ok = ret_matches(want, a);
		if (ok && x->payload != NULL)
			ok = payload_matches(in, x->payload, a, why);
		break;
	}
	if (ok != 0) {
		free(*why);
		*why = NULL;
	}
	return ok;
}

void actual_release(struct actual *a)
{
	backend_result_release(&a->r);
	value_free(&a->payload);
}
