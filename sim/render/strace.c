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
#include "types/digits.h"

/* v in decimal, without printf's machinery: every step prints a few. */
static void print_decimal(FILE *out, long long v)
{
	char buf[DIGITS_MAX], *end = buf + sizeof(buf), *p = digits_ll(end, v);

	fwrite(p, 1, (size_t)(end - p), out);
}

/* "0x" and the hex digits: printf's "0x%llx" without its cost (shmat's
 * address on every line of an exec run). */
static void print_hex(FILE *out, unsigned long long u)
{
	char buf[DIGITS_MAX + 2], *end = buf + sizeof(buf), *p = digits_u(end, u, 16);

	*--p = 'x';
	*--p = '0';
	fwrite(p, 1, (size_t)(end - p), out);
}

void strace_print_int(FILE *out, long long v, char fmt)
{
	if (fmt == 'o')
		fprintf(out, v < 0 ? "%lld" : "0%llo", v);
	else if (fmt == 'x' && v < 0)
		print_decimal(out, v);
	else if (fmt == 'x')
		print_hex(out, (unsigned long long)v);
	else if (fmt == 'u')
		fprintf(out, "%llu", (unsigned long long)v);
	else
		print_decimal(out, v);
}

/* A code point that would change how the text around it shows: C1 controls,
 * the line and paragraph separators and the bidi controls (which reorder a
 * terminal's line: "Trojan source"). */
static int is_control_point(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x200e && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

size_t strace_utf8_printable(const unsigned char *b, size_t len)
{
	/* The smallest code point of each length: anything below is overlong. */
	static const unsigned long min_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n;
	unsigned long cp;

	if (len == 0 || b[0] < 0xc2 || b[0] > 0xf4)
		return 0;
	n = b[0] >= 0xf0 ? 4 : b[0] >= 0xe0 ? 3 : 2;
	if (len < n)
		return 0;
	cp = b[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((b[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (b[i] & 0x3f);
	}
	if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    is_control_point(cp))
		return 0;
	return n;
}

/* Prints the character at b[0] (of len bytes left) as it goes in a C string
 * literal; returns how many bytes it took. */
static size_t print_char(FILE *out, const unsigned char *b, size_t len)
{
	size_t n;

	switch (b[0]) {
	case '\n': fputs("\\n", out); return 1;
	case '\t': fputs("\\t", out); return 1;
	case '\\': fputs("\\\\", out); return 1;
	case '"': fputs("\\\"", out); return 1;
	case '\0':
		/* "\0" followed by an octal digit would read as one escape. */
		fputs(len > 1 && b[1] >= '0' && b[1] <= '7' ? "\\x00" : "\\0", out);
		return 1;
	}
	if (b[0] >= 0x20 && b[0] < 0x7f) {
		fputc(b[0], out);
		return 1;
	}
	n = strace_utf8_printable(b, len);
	if (n > 0) {
		fwrite(b, 1, n, out);
		return n;
	}
	fprintf(out, "\\x%02x", b[0]);
	return 1;
}

void strace_print_string(FILE *out, const unsigned char *b, size_t len, int drop_trailing_nuls)
{
	if (drop_trailing_nuls)
		while (len > 0 && b[len - 1] == '\0')
			len--;
	fputc('"', out);
	for (size_t i = 0; i < len;) {
		size_t run = 0;

		/* a run of characters that stand for themselves: one write */
		while (i + run < len && b[i + run] >= 0x20 && b[i + run] < 0x7f && b[i + run] != '"' &&
		       b[i + run] != '\\')
			run++;
		if (run > 0) {
			fwrite(b + i, 1, run, out);
			i += run;
		} else {
			i += print_char(out, b + i, len - i);
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
		if (n++ > 0)
			fputs(", ", out);
		fputs(f->name, out);
		fputc('=', out);
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
		fputs(" {mtype=", out);
		print_decimal(out, r->msg.mtype);
		fputs(", mtext=", out);
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
	if (call_is(call, "ftok") || call_is(call, "shmat")) {
		fputs("= ", out);
		print_hex(out, (unsigned long)r->ret);
	} else {
		fputs("= ", out);
		print_decimal(out, r->ret);
	}
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
