/*
 * strace.c - the one printer of a call's result (ipcsim/strace.h): what
 * `ipcsim run` prints after each call and what `ipcsim check` prints for
 * each side of a divergence.
 *
 * Only the result is printed here, never the call: the interpreter prints a
 * call as the scenario wrote it, the comparer with its evaluated arguments.
 * Structures print field by field from their lists in strace_names.c, so a
 * printed structure and the value the interpreter builds from it (which
 * `= 0 {msg_qnum=2}` matches and `ds.msg_qnum` reads) always agree.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/strace.h"

void strace_print_int(FILE *out, long long v, char fmt)
{
	if (fmt == 'o')
		fprintf(out, v < 0 ? "%lld" : "0%llo", v);
	else if (fmt == 'x')
		fprintf(out, v < 0 ? "%lld" : "0x%llx", v);
	else if (fmt == 'u')
		fprintf(out, "%llu", (unsigned long long)v);
	else
		fprintf(out, "%lld", v);
}

void strace_print_string(FILE *out, const unsigned char *b, size_t len, int drop_trailing_nuls)
{
	if (drop_trailing_nuls)
		while (len > 0 && b[len - 1] == '\0')
			len--;
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = b[i];

		switch (c) {
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\\': fputs("\\\\", out); break;
		case '"': fputs("\\\"", out); break;
		case '\0':
			/* "\0" followed by an octal digit would read as one escape. */
			if (i + 1 < len && b[i + 1] >= '0' && b[i + 1] <= '7')
				fputs("\\x00", out);
			else
				fputs("\\0", out);
			break;
		default:
			if (c >= 0x20 && c < 0x7f)
				fputc(c, out);
			else
				fprintf(out, "\\x%02x", c);
		}
	}
	fputc('"', out);
}

static void print_struct(FILE *out, const struct strace_field *f, const void *base)
{
	int n = 0;

	fputc('{', out);
	for (; f->name != NULL; f++) {
		if (f->hidden)
			continue;
		fprintf(out, "%s%s=", n++ ? ", " : "", f->name);
		if (f->type == STRACE_F_PERM)
			print_struct(out, strace_ipc_perm_fields, (const char *)base + f->offset);
		else
			strace_print_int(out, strace_field_value(f, base), f->fmt);
	}
	fputc('}', out);
}

/* call is "name" or "name(args...)". */
static int call_is(const char *call, const char *name)
{
	size_t n = strlen(name);

	return call != NULL && strncmp(call, name, n) == 0 && (call[n] == '\0' || call[n] == '(');
}

/* What the call filled in besides its return value: " {...}", " [1, 0]". */
static void print_payload(FILE *out, const struct backend_result *r)
{
	if (r->has_msg) {
		fprintf(out, " {mtype=%ld, mtext=", r->msg.mtype);
		strace_print_string(out, r->msg.text, r->msg.len, 1);
		fputc('}', out);
		return;
	}
	if (r->semvals != NULL) {
		fputs(" [", out);
		for (size_t i = 0; i < r->nsemvals; i++)
			fprintf(out, "%s%u", i > 0 ? ", " : "", r->semvals[i]);
		fputc(']', out);
		return;
	}
	fputc(' ', out);
	if (r->has_ds)
		print_struct(out, strace_msqid_ds_fields, &r->ds);
	else if (r->has_info)
		print_struct(out, strace_msginfo_fields, &r->info);
	else if (r->has_shm_ds)
		print_struct(out, strace_shmid_ds_fields, &r->shm_ds);
	else if (r->has_shminfo)
		print_struct(out, strace_shminfo_fields, &r->shminfo);
	else if (r->has_shm_info)
		print_struct(out, strace_shm_info_fields, &r->shm_info);
	else if (r->has_sem_ds)
		print_struct(out, strace_semid_ds_fields, &r->sem_ds);
	else if (r->has_seminfo)
		print_struct(out, strace_seminfo_fields, &r->seminfo);
}

static int has_payload(const struct backend_result *r)
{
	return r->has_msg || r->has_ds || r->has_info || r->has_shm_ds || r->has_shminfo ||
	       r->has_shm_info || r->has_sem_ds || r->has_seminfo || r->semvals != NULL;
}

void strace_print_result(FILE *out, const char *call, const struct backend_result *r)
{
	if (r->blocked) {
		fputs("<unfinished ...>", out);
		return;
	}
	if (r->killed) {
		const char *name = strace_signal_name(r->killed);

		if (name != NULL)
			fprintf(out, "--- %s ---", name);
		else
			fprintf(out, "--- %d ---", r->killed);
		return;
	}
	if (r->bytes != NULL) {
		/* memread: the bytes are the result, as a text */
		fputs("= ", out);
		strace_print_string(out, r->bytes, r->nbytes, 1);
		return;
	}
	/* load returns the value read: -1 without an errno is a value. */
	if (r->ret == -1 && r->err != 0) {
		const char *name = strace_errno_name(r->err), *desc = strerrordesc_np(r->err);

		if (name != NULL)
			fprintf(out, "= -1 %s", name);
		else
			fprintf(out, "= -1 %d", r->err);
		if (desc != NULL)
			fprintf(out, " (%s)", desc);
		return;
	}
	/* A key and an address read best in hex, as strace prints a pointer. */
	fprintf(out, call_is(call, "ftok") || call_is(call, "shmat") ? "= 0x%lx" : "= %ld", r->ret);
	if (has_payload(r))
		print_payload(out, r);
}

char *strace_result_text(const char *call, const struct backend_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w;

	if (r == NULL || (w = open_memstream(&buf, &len)) == NULL)
		return NULL;
	strace_print_result(w, call, r);
	if (fclose(w) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

void strace_print_resumed(FILE *out, const char *call, const struct backend_result *r)
{
	fprintf(out, "<... %s resumed> ", call);
	strace_print_result(out, call, r);
}

void strace_print_killed(FILE *out, int sig)
{
	const char *name = strace_signal_name(sig);

	if (name != NULL)
		fprintf(out, "+++ killed by %s +++", name);
	else
		fprintf(out, "+++ killed by %d +++", sig);
}
