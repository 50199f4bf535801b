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
#include "render/strace_buf.h"
#include "types/digits.h"

/* v in decimal, without printf's machinery: every step prints a few. */
static void put_decimal(struct bytebuf *bb, long long v)
{
	char buf[DIGITS_MAX], *end = buf + sizeof(buf), *p = digits_ll(end, v);

	bytebuf_put(bb, p, (size_t)(end - p));
}

/* "0x" and the hex digits: printf's "0x%llx" without its cost (shmat's
 * address on every line of an exec run). */
static void put_hex(struct bytebuf *bb, unsigned long long u)
{
	char buf[DIGITS_MAX + 2], *end = buf + sizeof(buf), *p = digits_u(end, u, 16);

	*--p = 'x';
	*--p = '0';
	bytebuf_put(bb, p, (size_t)(end - p));
}

void strace_put_int(struct bytebuf *bb, long long v, char fmt)
{
	char buf[DIGITS_MAX + 1], *end = buf + sizeof(buf), *p;

	if (fmt == 'o' && v >= 0) {
		p = digits_u(end, (unsigned long long)v, 8);
		*--p = '0';
		bytebuf_put(bb, p, (size_t)(end - p));
	} else if (fmt == 'x' && v >= 0) {
		put_hex(bb, (unsigned long long)v);
	} else if (fmt == 'u') {
		p = digits_u(end, (unsigned long long)v, 10);
		bytebuf_put(bb, p, (size_t)(end - p));
	} else {
		put_decimal(bb, v);
	}
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

/* Appends the character at b[0] (of len bytes left) as it goes in a C
 * string literal; returns how many bytes it took. */
static size_t put_char(struct bytebuf *bb, const unsigned char *b, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char esc[4] = { '\\', 'x', hex[b[0] >> 4], hex[b[0] & 15] };
	size_t n;

	switch (b[0]) {
	case '\n': bytebuf_put(bb, "\\n", 2); return 1;
	case '\t': bytebuf_put(bb, "\\t", 2); return 1;
	case '\\': bytebuf_put(bb, "\\\\", 2); return 1;
	case '"': bytebuf_put(bb, "\\\"", 2); return 1;
	case '\0':
		/* "\0" followed by an octal digit would read as one escape. */
		bytebuf_puts(bb, len > 1 && b[1] >= '0' && b[1] <= '7' ? "\\x00" : "\\0");
		return 1;
	}
	if (b[0] >= 0x20 && b[0] < 0x7f) {
		bytebuf_putc(bb, (char)b[0]);
		return 1;
	}
	n = strace_utf8_printable(b, len);
	if (n > 0) {
		bytebuf_put(bb, b, n);
		return n;
	}
	bytebuf_put(bb, esc, sizeof(esc));
	return 1;
}

void strace_put_string(struct bytebuf *bb, const unsigned char *b, size_t len,
                       int drop_trailing_nuls)
{
	if (drop_trailing_nuls)
		while (len > 0 && b[len - 1] == '\0')
			len--;
	bytebuf_putc(bb, '"');
	for (size_t i = 0; i < len;) {
		size_t run = 0;

		/* a run of characters that stand for themselves: one copy */
		while (i + run < len && b[i + run] >= 0x20 && b[i + run] < 0x7f && b[i + run] != '"' &&
		       b[i + run] != '\\')
			run++;
		if (run > 0) {
			bytebuf_put(bb, b + i, run);
			i += run;
		} else {
			i += put_char(bb, b + i, len - i);
		}
	}
	bytebuf_putc(bb, '"');
}

static void put_struct(struct bytebuf *bb, const struct strace_field *f, const void *base)
{
	int n = 0;

	bytebuf_putc(bb, '{');
	for (; f->name != NULL; f++) {
		if (f->hidden)
			continue;
		if (n++ > 0)
			bytebuf_put(bb, ", ", 2);
		bytebuf_puts(bb, f->name);
		bytebuf_putc(bb, '=');
		if (f->type == STRACE_F_PERM)
			put_struct(bb, strace_ipc_perm_fields, (const char *)base + f->offset);
		else
			strace_put_int(bb, strace_field_value(f, base), f->fmt);
	}
	bytebuf_putc(bb, '}');
}

/* call is "name" or "name(args...)". */
static int call_is(const char *call, const char *name)
{
	size_t n;

	if (call == NULL || call[0] != name[0]) /* every result asks: most differ here */
		return 0;
	n = strlen(name);
	return strncmp(call, name, n) == 0 && (call[n] == '\0' || call[n] == '(');
}

/* What the call filled in besides its return value: " {...}", " [1, 0]". */
static void put_payload(struct bytebuf *bb, const struct backend_result *r)
{
	if (r->has_msg) {
		bytebuf_puts(bb, " {mtype=");
		put_decimal(bb, r->msg.mtype);
		bytebuf_puts(bb, ", mtext=");
		strace_put_string(bb, r->msg.text, r->msg.len, 1);
		bytebuf_putc(bb, '}');
		return;
	}
	if (r->semvals != NULL) {
		bytebuf_put(bb, " [", 2);
		for (size_t i = 0; i < r->nsemvals; i++) {
			if (i > 0)
				bytebuf_put(bb, ", ", 2);
			strace_put_int(bb, r->semvals[i], 'u');
		}
		bytebuf_putc(bb, ']');
		return;
	}
	bytebuf_putc(bb, ' ');
	if (r->has_ds)
		put_struct(bb, strace_msqid_ds_fields, &r->ds);
	else if (r->has_info)
		put_struct(bb, strace_msginfo_fields, &r->info);
	else if (r->has_shm_ds)
		put_struct(bb, strace_shmid_ds_fields, &r->shm_ds);
	else if (r->has_shminfo)
		put_struct(bb, strace_shminfo_fields, &r->shminfo);
	else if (r->has_shm_info)
		put_struct(bb, strace_shm_info_fields, &r->shm_info);
	else if (r->has_sem_ds)
		put_struct(bb, strace_semid_ds_fields, &r->sem_ds);
	else if (r->has_seminfo)
		put_struct(bb, strace_seminfo_fields, &r->seminfo);
}

static int has_payload(const struct backend_result *r)
{
	return r->has_msg || r->has_ds || r->has_info || r->has_shm_ds || r->has_shminfo ||
	       r->has_shm_info || r->has_sem_ds || r->has_seminfo || r->semvals != NULL;
}

/* "--- SIGSEGV ---", "+++ killed by SIGKILL +++": the name, else the number. */
static void put_signal(struct bytebuf *bb, const char *before, int sig, const char *after)
{
	const char *name = strace_signal_name(sig);

	bytebuf_puts(bb, before);
	if (name != NULL)
		bytebuf_puts(bb, name);
	else
		put_decimal(bb, sig);
	bytebuf_puts(bb, after);
}

void strace_put_result(struct bytebuf *bb, const char *call, const struct backend_result *r)
{
	if (r->blocked) {
		bytebuf_puts(bb, "<unfinished ...>");
		return;
	}
	if (r->killed) {
		put_signal(bb, "--- ", r->killed, " ---");
		return;
	}
	bytebuf_put(bb, "= ", 2);
	if (r->bytes != NULL) {
		/* memread: the bytes are the result, as a text */
		strace_put_string(bb, r->bytes, r->nbytes, 1);
		return;
	}
	/* load returns the value read: -1 without an errno is a value. */
	if (r->ret == -1 && r->err != 0) {
		const char *name = strace_errno_name(r->err), *desc = strerrordesc_np(r->err);

		bytebuf_put(bb, "-1 ", 3);
		if (name != NULL)
			bytebuf_puts(bb, name);
		else
			put_decimal(bb, r->err);
		if (desc != NULL) {
			bytebuf_put(bb, " (", 2);
			bytebuf_puts(bb, desc);
			bytebuf_putc(bb, ')');
		}
		return;
	}
	/* A key and an address read best in hex, as strace prints a pointer. */
	if (call_is(call, "ftok") || call_is(call, "shmat"))
		put_hex(bb, (unsigned long)r->ret);
	else
		put_decimal(bb, r->ret);
	if (has_payload(r))
		put_payload(bb, r);
}

void strace_put_resumed(struct bytebuf *bb, const char *call, const struct backend_result *r)
{
	bytebuf_puts(bb, "<... ");
	bytebuf_puts(bb, call);
	bytebuf_puts(bb, " resumed> ");
	strace_put_result(bb, call, r);
}

void strace_put_killed(struct bytebuf *bb, int sig)
{
	put_signal(bb, "+++ killed by ", sig, " +++");
}

/* ---- the same onto a FILE: built in a buffer, written in one call ---------- */

void strace_print_result(FILE *out, const char *call, const struct backend_result *r)
{
	struct bytebuf bb = { 0 };

	strace_put_result(&bb, call, r);
	bytebuf_write_free(&bb, out);
}

char *strace_result_text(const char *call, const struct backend_result *r)
{
	struct bytebuf bb = { 0 };

	if (r == NULL)
		return NULL;
	strace_put_result(&bb, call, r);
	if (bb.failed || bytebuf_put(&bb, "", 1) < 0) {
		bytebuf_free(&bb);
		return NULL;
	}
	return bb.b;
}

void strace_print_resumed(FILE *out, const char *call, const struct backend_result *r)
{
	struct bytebuf bb = { 0 };

	strace_put_resumed(&bb, call, r);
	bytebuf_write_free(&bb, out);
}

void strace_print_killed(FILE *out, int sig)
{
	struct bytebuf bb = { 0 };

	strace_put_killed(&bb, sig);
	bytebuf_write_free(&bb, out);
}

void strace_print_int(FILE *out, long long v, char fmt)
{
	char buf[DIGITS_MAX + 2];
	struct bytebuf bb = { buf, 0, sizeof(buf), 0 }; /* always fits: never grown */

	strace_put_int(&bb, v, fmt);
	fwrite(bb.b, 1, bb.len, out);
}

void strace_print_string(FILE *out, const unsigned char *b, size_t len, int drop_trailing_nuls)
{
	struct bytebuf bb = { 0 };

	strace_put_string(&bb, b, len, drop_trailing_nuls);
	bytebuf_write_free(&bb, out);
}
