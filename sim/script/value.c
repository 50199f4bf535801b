/*
 * value.c - runtime values of the scenario: integers, strings, messages,
 * struct trees, arrays, processes; their printing in strace's form and the
 * conversions from and to the IPC structures (ipcsim/ipc_types.h).
 *
 * Struct trees are built from the strace printer's field lists
 * (ipcsim/strace.h), so a value prints as its result printed.  The kernel's
 * `seq` is kept but not printed, as strace does.
 */
#include <stdlib.h>
#include <string.h>

#include "render/strace_buf.h"
#include "script/interp_int.h"

void value_free(struct value *v)
{
	if (v == NULL)
		return;
	if (v->bytes == NULL && v->fields == NULL && v->items == NULL && v->name == NULL) {
		memset(v, 0, sizeof(*v)); /* a number: nothing to free */
		return;
	}
	free(v->bytes);
	for (int i = 0; i < v->nfields; i++) {
		free(v->fields[i].name);
		value_free(&v->fields[i].v);
	}
	free(v->fields);
	for (int i = 0; i < v->nitems; i++)
		value_free(&v->items[i]);
	free(v->items);
	free(v->name);
	memset(v, 0, sizeof(*v));
}

int value_copy(struct value *dst, const struct value *src)
{
	*dst = *src;
	dst->bytes = NULL;
	dst->fields = NULL;
	dst->items = NULL;
	dst->name = NULL;
	dst->nfields = 0;
	dst->nitems = 0;
	if (src->bytes != NULL) {
		dst->bytes = malloc(src->len + 1);
		if (dst->bytes == NULL)
			goto out_fail;
		memcpy(dst->bytes, src->bytes, src->len);
		dst->bytes[src->len] = '\0';
	}
	if (src->name != NULL && (dst->name = strdup(src->name)) == NULL)
		goto out_fail;
	if (src->nfields > 0) {
		dst->fields = calloc((size_t)src->nfields, sizeof(*dst->fields));
		if (dst->fields == NULL)
			goto out_fail;
		for (int i = 0; i < src->nfields; i++) {
			dst->nfields++;
			dst->fields[i].name = strdup(src->fields[i].name);
			if (dst->fields[i].name == NULL ||
			    value_copy(&dst->fields[i].v, &src->fields[i].v) < 0)
				goto out_fail;
		}
	}
	if (src->nitems > 0) {
		dst->items = calloc((size_t)src->nitems, sizeof(*dst->items));
		if (dst->items == NULL)
			goto out_fail;
		for (int i = 0; i < src->nitems; i++) {
			dst->nitems++;
			if (value_copy(&dst->items[i], &src->items[i]) < 0)
				goto out_fail;
		}
	}
	return 0;

out_fail:
	value_free(dst);
	return -1;
}

static struct field *find_field(struct value *v, const char *name, size_t n)
{
	char buf[64];

	if (v->kind != V_STRUCT || n >= sizeof(buf))
		return NULL;
	memcpy(buf, name, n);
	buf[n] = '\0';
	for (int i = 0; i < v->nfields; i++)
		if (strcmp(field_canonical(v->fields[i].name), field_canonical(buf)) == 0)
			return &v->fields[i];
	return NULL;
}

struct value *value_field(struct value *v, const char *path)
{
	while (v != NULL) {
		const char *dot = strchr(path, '.');
		size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		struct field *f = find_field(v, path, n);

		if (f == NULL)
			return NULL;
		if (dot == NULL)
			return &f->v;
		v = &f->v;
		path = dot + 1;
	}
	return NULL;
}

static struct field *add_field(struct value *s, const char *name, size_t n)
{
	struct field *grown = realloc(s->fields, (size_t)(s->nfields + 1) * sizeof(*grown));

	if (grown == NULL)
		return NULL;
	s->fields = grown;
	memset(&grown[s->nfields], 0, sizeof(*grown));
	grown[s->nfields].name = strndup(name, n);
	if (grown[s->nfields].name == NULL)
		return NULL;
	return &grown[s->nfields++];
}

int value_set_field(struct value *s, const char *path, struct value *v)
{
	for (;;) {
		const char *dot = strchr(path, '.');
		size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		struct field *f;

		if (s->kind == V_NONE)
			s->kind = V_STRUCT;
		if (s->kind != V_STRUCT)
			return -1;
		f = find_field(s, path, n);
		if (f == NULL && (f = add_field(s, path, n)) == NULL)
			return -1;
		if (dot == NULL) {
			value_free(&f->v);
			f->v = *v;
			memset(v, 0, sizeof(*v));
			return 0;
		}
		s = &f->v;
		path = dot + 1;
	}
}

int value_bytes_equal(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	while (alen > 0 && a[alen - 1] == '\0')
		alen--;
	while (blen > 0 && b[blen - 1] == '\0')
		blen--;
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

void value_put(struct bytebuf *out, const struct value *v)
{
	switch (v->kind) {
	case V_NONE:
		bytebuf_putc(out, '_');
		break;
	case V_INT:
		strace_put_int(out, v->i, v->fmt);
		break;
	case V_STR:
		strace_put_string(out, v->bytes, v->len, 1);
		break;
	case V_MSG:
		bytebuf_puts(out, "{mtype=");
		strace_put_int(out, v->i, 'd');
		bytebuf_puts(out, ", mtext=");
		strace_put_string(out, v->bytes, v->len, 1);
		bytebuf_putc(out, '}');
		break;
	case V_STRUCT:
		bytebuf_putc(out, '{');
		for (int i = 0, n = 0; i < v->nfields; i++) {
			if (strcmp(v->fields[i].name, "seq") == 0)
				continue; /* strace does not print it */
			if (n++ > 0)
				bytebuf_put(out, ", ", 2);
			bytebuf_puts(out, v->fields[i].name);
			bytebuf_putc(out, '=');
			value_put(out, &v->fields[i].v);
		}
		bytebuf_putc(out, '}');
		break;
	case V_ARRAY:
		bytebuf_putc(out, '[');
		for (int i = 0; i < v->nitems; i++) {
			if (i > 0)
				bytebuf_put(out, ", ", 2);
			value_put(out, &v->items[i]);
		}
		bytebuf_putc(out, ']');
		break;
	case V_PROC:
		bytebuf_puts(out, v->name != NULL ? v->name : "?");
		break;
	}
}

void value_print(FILE *out, const struct value *v)
{
	struct bytebuf bb = { 0 };

	value_put(&bb, v);
	bytebuf_write_free(&bb, out);
}

/* The fields of the structure at base, in the list's order, into v: each
 * list names a field once, so they are appended, not looked up (a
 * msqid_ds took 43,000 instructions field by field through
 * value_set_field). */
static int set_fields(struct value *v, const struct strace_field *fields, const void *base)
{
	int n = 0;

	while (fields[n].name != NULL)
		n++;
	v->kind = V_STRUCT;
	v->fields = calloc((size_t)n, sizeof(*v->fields));
	if (v->fields == NULL)
		return -1;
	for (const struct strace_field *f = fields; f->name != NULL; f++) {
		struct field *out = &v->fields[v->nfields++];

		out->name = strdup(f->name);
		if (out->name == NULL)
			return -1;
		if (f->type == STRACE_F_PERM) {
			if (set_fields(&out->v, strace_ipc_perm_fields,
			               (const char *)base + f->offset) < 0)
				return -1;
		} else {
			out->v.kind = V_INT;
			out->v.i = strace_field_value(f, base);
			out->v.fmt = f->fmt;
		}
	}
	return 0;
}

int value_from_struct(struct value *v, const struct strace_field *fields, const void *base)
{
	memset(v, 0, sizeof(*v));
	if (set_fields(v, fields, base) != 0) {
		value_free(v);
		return -1;
	}
	return 0;
}

static void overlay_fields(const struct value *v, const char *prefix,
                           const struct strace_field *f, void *base)
{
	char path[64];

	for (; f->name != NULL; f++) {
		struct value *given;

		snprintf(path, sizeof(path), "%s%s", prefix, f->name);
		if (f->type == STRACE_F_PERM) {
			strcat(path, ".");
			overlay_fields(v, path, strace_ipc_perm_fields, (char *)base + f->offset);
		} else if ((given = value_field((struct value *)v, path)) != NULL &&
		           given->kind == V_INT) {
			strace_field_set(f, base, given->i);
		}
	}
}

void value_to_struct(const struct value *v, const struct strace_field *fields, void *base)
{
	overlay_fields(v, "", fields, base);
}

int value_from_msg(struct value *v, long mtype, const unsigned char *text, size_t len)
{
	memset(v, 0, sizeof(*v));
	v->kind = V_MSG;
	v->i = mtype;
	v->bytes = malloc(len + 1);
	if (v->bytes == NULL)
		return -1;
	if (len > 0)
		memcpy(v->bytes, text, len);
	v->bytes[len] = '\0';
	v->len = len;
	return 0;
}

/* GETALL's values. */
int value_from_semvals(struct value *v, const unsigned short *vals, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->kind = V_ARRAY;
	if (n == 0)
		return 0;
	v->items = calloc(n, sizeof(*v->items));
	if (v->items == NULL)
		return -1;
	v->nitems = (int)n;
	for (size_t i = 0; i < n; i++) {
		v->items[i].kind = V_INT;
		v->items[i].i = vals[i];
	}
	return 0;
}
