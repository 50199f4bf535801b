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

#include "ipcsim/strace.h" /* strings escape as strace prints them */
#include "script/script_int.h"

static void print_items(FILE *out, const struct expr *e, int as_message)
{
	static const char *const msg_names[] = { "mtype", "mtext" };

	for (int i = 0; i < e->nitems; i++) {
		const struct expr *it = e->items[i];

		if (i > 0)
			fputs(", ", out);
		if (it->fname != NULL || (as_message && e->nitems == 2)) {
			fputs(it->fname != NULL ? it->fname : msg_names[i], out);
			fputc('=', out);
		}
		print_expr(out, it, 0);
	}
}

void print_expr(FILE *out, const struct expr *e, int as_message)
{
	switch (e->kind) {
	case EX_INT:
		if (e->text != NULL)
			fputs(e->text, out);
		else
			strace_print_int(out, e->ival, 'd');
		break;
	case EX_STR:
		strace_print_string(out, (const unsigned char *)e->text, e->len, 0);
		break;
	case EX_NAME:
	case EX_CONST:
	case EX_KEYWORD:
		fputs(e->text, out);
		break;
	case EX_NULL:
		fputs("NULL", out);
		break;
	case EX_DISCARD:
		fputs("_", out);
		break;
	case EX_ADDR:
		fputc('&', out);
		fputs(e->text, out);
		break;
	case EX_FIELD:
		print_expr(out, e->a, 0);
		fputc('.', out);
		fputs(e->text, out);
		break;
	case EX_BINOP:
		print_expr(out, e->a, 0);
		fprintf(out, e->op[0] == '|' ? "|" : " %c ", e->op[0]);
		print_expr(out, e->b, 0);
		break;
	case EX_NEG:
		fputc('-', out);
		print_expr(out, e->a, 0);
		break;
	case EX_STRUCT:
		fputc('{', out);
		print_items(out, e, as_message);
		fputc('}', out);
		break;
	case EX_ARRAY:
		fputc('[', out);
		print_items(out, e, 0);
		fputc(']', out);
		break;
	case EX_CMP:
		print_expr(out, e->a, 0);
		fprintf(out, " %s ", e->op);
		print_expr(out, e->b, 0);
		break;
	}
}

void print_call(FILE *out, const struct stmt *st)
{
	int sends_msg = st->call->flags & CALL_ARG1_MESSAGE;

	if (st->bind != NULL) {
		fputs(st->bind, out);
		fputs(" = ", out);
	}
	fputs(st->call->name, out);
	fputc('(', out);
	for (int i = 0; i < st->nargs; i++) {
		if (i > 0)
			fputs(", ", out);
		print_expr(out, st->args[i], sends_msg && i == 1);
	}
	fputc(')', out);
}
