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

#include "script/interp_int.h"

void value_free(struct value *v)
{
	if (v == NULL)
		return;
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

int value_set_int(struct value *s, const char *path, long long i, char fmt)
{
	struct value v = { .kind = V_INT, .i = i, .fmt = fmt };

	return value_set_field(s, path, &v);
}

int value_bytes_equal(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	while (alen > 0 && a[alen - 1] == '\0')
		alen--;
	while (blen > 0 && b[blen - 1] == '\0')
		blen--;
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

void value_print(FILE *out, const struct value *v)
{
	switch (v->kind) {
	case V_NONE:
		fputs("_", out);
		break;
	case V_INT:
		strace_print_int(out, v->i, v->fmt);
		break;
	case V_STR:
		strace_print_string(out, v->bytes, v->len, 1);
		break;
	case V_MSG:
		fprintf(out, "{mtype=%lld, mtext=", v->i);
		strace_print_string(out, v->bytes, v->len, 1);
		fputc('}', out);
		break;
	case V_STRUCT:
		fputc('{', out);
		for (int i = 0, n = 0; i < v->nfields; i++) {
			if (strcmp(v->fields[i].name, "seq") == 0)
				continue; /* strace does not print it */
			fprintf(out, "%s%s=", n++ ? ", " : "", v->fields[i].name);
			value_print(out, &v->fields[i].v);
		}
		fputc('}', out);
		break;
	case V_ARRAY:
		fputc('[', out);
		for (int i = 0; i < v->nitems; i++) {
			if (i > 0)
				fputs(", ", out);
			value_print(out, &v->items[i]);
		}
		fputc(']', out);
		break;
	case V_PROC:
		fputs(v->name != NULL ? v->name : "?", out);
		break;
	}
}

static int set_fields(struct value *v, const char *prefix, const struct strace_field *f,
                      const void *base)
{
	char path[64];
	int rc = 0;

	for (; f->name != NULL; f++) {
		snprintf(path, sizeof(path), "%s%s", prefix, f->name);
		if (f->type == STRACE_F_PERM) {
			strcat(path, ".");
			rc |= set_fields(v, path, strace_ipc_perm_fields, (const char *)base + f->offset);
		} else {
			rc |= value_set_int(v, path, strace_field_value(f, base), f->fmt);
		}
	}
	return rc;
}

int value_from_struct(struct value *v, const struct strace_field *fields, const void *base)
{
	memset(v, 0, sizeof(*v));
	v->kind = V_STRUCT;
	if (set_fields(v, "", fields, base) != 0) {
		value_free(v);
		return -1;
	}
	return 0;
}

static void overlay(const struct value *v, const char *path, long long *to)
{
	struct value *f = value_field((struct value *)v, path);

	if (f != NULL && f->kind == V_INT)
		*to = f->i;
}

void value_to_msqid_ds(const struct value *v, struct ipcsim_msqid_ds *ds)
{
	struct { const char *path; long long val; } f[] = {
		{ "msg_perm.uid", ds->msg_perm.uid },   { "msg_perm.gid", ds->msg_perm.gid },
		{ "msg_perm.mode", ds->msg_perm.mode }, { "msg_perm.key", ds->msg_perm.key },
		{ "msg_perm.cuid", ds->msg_perm.cuid }, { "msg_perm.cgid", ds->msg_perm.cgid },
		{ "msg_perm.seq", ds->msg_perm.seq },   { "msg_qbytes", (long long)ds->msg_qbytes },
		{ "msg_stime", ds->msg_stime },         { "msg_rtime", ds->msg_rtime },
		{ "msg_ctime", ds->msg_ctime },         { "msg_cbytes", (long long)ds->msg_cbytes },
		{ "msg_qnum", (long long)ds->msg_qnum },{ "msg_lspid", ds->msg_lspid },
		{ "msg_lrpid", ds->msg_lrpid },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		overlay(v, f[i].path, &f[i].val);
	ds->msg_perm.uid = (unsigned)f[0].val;
	ds->msg_perm.gid = (unsigned)f[1].val;
	ds->msg_perm.mode = (unsigned)f[2].val;
	ds->msg_perm.key = (uint32_t)f[3].val;
	ds->msg_perm.cuid = (unsigned)f[4].val;
	ds->msg_perm.cgid = (unsigned)f[5].val;
	ds->msg_perm.seq = (unsigned)f[6].val;
	ds->msg_qbytes = (unsigned long)f[7].val;
	ds->msg_stime = (long)f[8].val;
	ds->msg_rtime = (long)f[9].val;
	ds->msg_ctime = (long)f[10].val;
	ds->msg_cbytes = (unsigned long)f[11].val;
	ds->msg_qnum = (unsigned long)f[12].val;
	ds->msg_lspid = (int)f[13].val;
	ds->msg_lrpid = (int)f[14].val;
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
