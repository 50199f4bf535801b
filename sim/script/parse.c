/*
 * parse.c - from scenario text to struct script: splitting into lines,
 * the token cursor the line parsers share, diagnostics, and freeing.
 *
 * Parsing stops at the first error: one precise diagnostic
 * (FILE:LINE:COL: error: MESSAGE, the line, a caret) beats a cascade of
 * follow-up errors about names that a broken line failed to bind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "script/script_int.h"

void script_diag(FILE *err, const struct script *s, int line, int col, const char *kind,
                 const char *fmt, ...)
{
	va_list ap;
	const char *text = (line >= 1 && line <= s->nlines) ? s->lines[line - 1] : "";

	if (err == NULL)
		return;
	fprintf(err, "%s:%d:%d: %s: ", s->file_name, line, col, kind);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fprintf(err, "\n%s\n", text);
	/* Tabs stay tabs so the caret lines up in a terminal. */
	for (int i = 0; i < col - 1 && text[i] != '\0'; i++)
		fputc(text[i] == '\t' ? '\t' : ' ', err);
	fputs("^\n", err);
}

int p_error(struct parser *p, int col, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (p->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	script_diag(p->err, p->s, p->line, col < 1 ? 1 : col, "error", "%s", msg);
	p->failed = 1;
	return -1;
}

int p_advance(struct parser *p)
{
	p->prev_end = p->tok.off + p->tok.len;
	p->tok = p->next;
	if (p->tok.kind == TK_EOF) {
		/* Stay at the end. */
		return 0;
	}
	if (lex_next(&p->lx, &p->next) < 0) {
		p->next.kind = TK_EOF;
		return p_error(p, p->lx.err_col, "%s", p->lx.err);
	}
	return 0;
}

int p_expect_punct(struct parser *p, const char *punct, const char *what)
{
	if (!tok_is(&p->tok, punct)) {
		if (p->tok.kind == TK_EOF)
			return p_error(p, p->tok.col, "expected '%s' %s, found the end of the line",
			               punct, what);
		return p_error(p, p->tok.col, "expected '%s' %s, found '%.*s'", punct, what,
		               (int)p->tok.len, p->text + p->tok.off);
	}
	return p_advance(p);
}

char *p_tok_text(const struct parser *p, const struct token *t)
{
	return strndup(p->text + t->off, t->len);
}

static int split_lines(struct script *s, const char *text, size_t len)
{
	size_t start = 0;
	int cap = 0;

	while (start < len) {
		size_t end = start;
		size_t n;

		while (end < len && text[end] != '\n')
			end++;
		n = end - start;
		if (n > 0 && text[start + n - 1] == '\r')
			n--;
		if (s->nlines == cap) {
			char **grown;

			cap = cap ? cap * 2 : 64;
			grown = realloc(s->lines, (size_t)cap * sizeof(*grown));
			if (grown == NULL)
				return -1;
			s->lines = grown;
		}
		s->lines[s->nlines] = strndup(text + start, n);
		if (s->lines[s->nlines] == NULL)
			return -1;
		/* A NUL byte inside a line would hide the rest of it from every
		 * later stage; make it visible to the lexer as a bad byte instead. */
		for (size_t i = 0; i < n; i++)
			if (text[start + i] == '\0')
				s->lines[s->nlines][i] = '\x01';
		s->nlines++;
		start = end + 1;
	}
	return 0;
}

struct script *script_parse(const char *file_name, const char *text, size_t len, FILE *err)
{
	struct script *s = calloc(1, sizeof(*s));
	struct parser p;

	memset(&p, 0, sizeof(p));
	if (s == NULL)
		goto out_oom;
	s->file_name = strdup(file_name != NULL ? file_name : "<scenario>");
	if (s->file_name == NULL || split_lines(s, text, len) < 0)
		goto out_oom;
	p.s = s;
	p.err = err;
	for (int i = 0; i < s->nlines; i++) {
		p.line = i + 1;
		if (parse_line(&p, s->lines[i]) < 0)
			goto out_free;
	}
	check_free(&p);
	return s;

out_oom:
	if (err != NULL)
		fprintf(err, "%s: error: out of memory\n", file_name != NULL ? file_name : "<scenario>");
out_free:
	check_free(&p);
	script_free(&s);
	return NULL;
}

struct script *script_load(const char *path, FILE *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct script *s = NULL;

	if (f == NULL) {
		if (err != NULL)
			fprintf(err, "%s: error: cannot open: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (cap - len < 4096) {
			char *grown = realloc(buf, cap + 65536);

			if (grown == NULL)
				goto out_close;
			buf = grown;
			cap += 65536;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		if (err != NULL)
			fprintf(err, "%s: error: cannot read\n", path);
		goto out_close;
	}
	s = script_parse(path, buf, len, err);

out_close:
	fclose(f);
	free(buf);
	return s;
}

void expr_free(struct expr *e)
{
	if (e == NULL)
		return;
	expr_free(e->a);
	expr_free(e->b);
	for (int i = 0; i < e->nitems; i++)
		expr_free(e->items[i]);
	free(e->items);
	free(e->text);
	free(e->fname);
	free(e);
}

void stmt_free(struct stmt *st)
{
	if (st == NULL)
		return;
	free(st->proc);
	free(st->bind);
	for (int i = 0; i < st->nargs; i++)
		expr_free(st->args[i]);
	free(st->args);
	expr_free(st->target);
	expr_free(st->value);
	expr_free(st->expect.ret);
	expr_free(st->expect.payload);
	free(st->cmd);
	for (int i = 0; i < st->nout; i++)
		free(st->out_lines[i]);
	free(st->out_lines);
	free(st->name);
	free(st);
}

void script_free(struct script **sp)
{
	struct script *s;

	if (sp == NULL || *sp == NULL)
		return;
	s = *sp;
	for (int i = 0; i < s->nstmts; i++)
		stmt_free(s->stmts[i]);
	free(s->stmts);
	for (int i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	free(s->file_name);
	free(s);
	*sp = NULL;
}

int script_count_statements(const struct script *s)
{
	return s != NULL ? s->nstmts : 0;
}
