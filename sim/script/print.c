/*
 * print.c - the AST back as scenario text.
 *
 * What ipcsim prints must itself be a valid scenario (the language's third
 * rule), so this is the inverse of the parser: integers keep their spelling
 * (0666 stays octal), names stay names (q stays q), strings are re-escaped,
 * and a message literal prints the way strace 6 does,
 * {mtype=300, mtext="hi"}.  Flags print `IPC_CREAT|0666`, as strace does.
 */
#include <ctype.h>
#include <string.h>

#include "render/strace_buf.h" /* strings escape as strace prints them */
#include "script/script_int.h"

static void print_items(struct bytebuf *out, const struct expr *e, int as_message)
{
	static const char *const msg_names[] = { "mtype", "mtext" };

	for (int i = 0; i < e->nitems; i++) {
		const struct expr *it = e->items[i];

		if (i > 0)
			bytebuf_put(out, ", ", 2);
		if (it->fname != NULL || (as_message && e->nitems == 2)) {
			bytebuf_puts(out, it->fname != NULL ? it->fname : msg_names[i]);
			bytebuf_putc(out, '=');
		}
		print_expr(out, it, 0);
	}
}

void print_expr(struct bytebuf *out, const struct expr *e, int as_message)
{
	switch (e->kind) {
	case EX_INT:
		if (e->text != NULL)
			bytebuf_puts(out, e->text);
		else
			strace_put_int(out, e->ival, 'd');
		break;
	case EX_STR:
		strace_put_string(out, (const unsigned char *)e->text, e->len, 0);
		break;
	case EX_NAME:
	case EX_CONST:
	case EX_KEYWORD:
		bytebuf_puts(out, e->text);
		break;
	case EX_NULL:
		bytebuf_puts(out, "NULL");
		break;
	case EX_DISCARD:
		bytebuf_putc(out, '_');
		break;
	case EX_ADDR:
		bytebuf_putc(out, '&');
		bytebuf_puts(out, e->text);
		break;
	case EX_FIELD:
		print_expr(out, e->a, 0);
		bytebuf_putc(out, '.');
		bytebuf_puts(out, e->text);
		break;
	case EX_BINOP:
		print_expr(out, e->a, 0);
		if (e->op[0] == '|') {
			bytebuf_putc(out, '|');
		} else {
			char op[3] = { ' ', e->op[0], ' ' };

			bytebuf_put(out, op, 3);
		}
		print_expr(out, e->b, 0);
		break;
	case EX_NEG:
		bytebuf_putc(out, '-');
		print_expr(out, e->a, 0);
		break;
	case EX_STRUCT:
		bytebuf_putc(out, '{');
		print_items(out, e, as_message);
		bytebuf_putc(out, '}');
		break;
	case EX_ARRAY:
		bytebuf_putc(out, '[');
		print_items(out, e, 0);
		bytebuf_putc(out, ']');
		break;
	case EX_CMP:
		print_expr(out, e->a, 0);
		bytebuf_putc(out, ' ');
		bytebuf_puts(out, e->op);
		bytebuf_putc(out, ' ');
		print_expr(out, e->b, 0);
		break;
	}
}

void print_call(struct bytebuf *out, const struct stmt *st)
{
	int sends_msg = st->call->flags & CALL_ARG1_MESSAGE;

	if (st->bind != NULL) {
		bytebuf_puts(out, st->bind);
		bytebuf_put(out, " = ", 3);
	}
	bytebuf_puts(out, st->call->name);
	bytebuf_putc(out, '(');
	for (int i = 0; i < st->nargs; i++) {
		if (i > 0)
			bytebuf_put(out, ", ", 2);
		print_expr(out, st->args[i], sends_msg && i == 1);
	}
	bytebuf_putc(out, ')');
}

/* The same onto a stream, for the lines printed once (errors, notes). */
void print_expr_to(FILE *out, const struct expr *e, int as_message)
{
	struct bytebuf bb = { 0 };

	print_expr(&bb, e, as_message);
	bytebuf_write_free(&bb, out);
}

void print_call_to(FILE *out, const struct stmt *st)
{
	struct bytebuf bb = { 0 };

	print_call(&bb, st);
	bytebuf_write_free(&bb, out);
}
