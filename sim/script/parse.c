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

/* A diagnostic shows at most this many bytes of its line: a window around
 * the column, so a hostile megabyte-long line costs a line, not a megabyte. */
#define DIAG_WINDOW 160

const char *script_line(const struct script *s, int line)
{
	if (s->line_nos == NULL)
		return line >= 1 && line <= s->nlines ? s->lines[line - 1] : "";
	for (int i = s->nlines - 1; i >= 0; i--)
		if (s->line_nos[i] == line)
			return s->lines[i];
	for (int k = 0; k < s->nkept; k++)
		if (s->kept[k]->line == line)
			return s->kept_lines[k];
	return "";
}

void script_diag(FILE *err, const struct script *s, int line, int col, const char *kind,
                 const char *fmt, ...)
{
	va_list ap;
	const char *text = script_line(s, line);
	size_t len = strlen(text), from = 0, to = len;

	if (err == NULL)
		return;
	fprintf(err, "%s:%d:%d: %s: ", s->file_name, line, col, kind);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	if (len > DIAG_WINDOW) {
		from = (size_t)col > DIAG_WINDOW / 2 ? (size_t)col - DIAG_WINDOW / 2 : 0;
		to = from + DIAG_WINDOW < len ? from + DIAG_WINDOW : len;
	}
	fprintf(err, "\n%s%.*s%s\n", from > 0 ? "..." : "", (int)(to - from), text + from,
	        to < len ? "..." : "");
	/* Tabs stay tabs so the caret lines up in a terminal. */
	if (from > 0)
		fputs("   ", err);
	for (size_t i = from; i + 1 < (size_t)col && i < to; i++)
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

int p_lex_error(struct parser *p)
{
	p->next.kind = TK_EOF;
	return p_error(p, p->lx.err_col, "%s", p->lx.err);
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

char *p_string_value(struct parser *p, const struct token *t, size_t *len)
{
	char *buf;

	if (p->arena == NULL)
		return lex_string_value(p->text, t, len);
	buf = arena_take(p->arena, t->len + 1);
	if (buf != NULL) /* the decoding writes its NUL */
		*len = lex_string_decode(p->text, t, buf);
	return buf;
}

void p_release(struct parser *p, void *ptr)
{
	if (p->arena == NULL)
		free(ptr);
}

int p_push_grow(struct parser *p, void *array_ptr, int *n, void *item)
{
	void **array = *(void ***)array_ptr, **grown;
	size_t cap = *n ? (size_t)*n * 2 : 4;

	if (p->arena == NULL) {
		grown = realloc(array, cap * sizeof(*grown));
	} else {
		grown = arena_take(p->arena, cap * sizeof(*grown));
		if (grown != NULL && *n > 0)
			memcpy(grown, array, (size_t)*n * sizeof(*grown));
	}
	if (grown == NULL)
		return -1;
	*(void ***)array_ptr = grown;
	grown[(*n)++] = item;
	return 0;
}

/* Where the first NUL byte of the text is: line and column, 1-based. */
struct nul_at {
	int line, col;
};

/* One line of the text, copied whole: a NUL byte inside it (a binary file)
 * is kept as '?' so the line can still be shown under its diagnostic, and
 * the first one is noted in *nul. */
static char *copy_line(const char *start, size_t n, int line, struct nul_at *nul)
{
	char *copy = malloc(n + 1);

	if (copy == NULL)
		return NULL;
	memcpy(copy, start, n);
	copy[n] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (copy[i] != '\0')
			continue;
		copy[i] = '?';
		if (nul->line == 0) {
			nul->line = line;
			nul->col = (int)i + 1;
		}
	}
	return copy;
}

/* Splits the text into lines: LF, CRLF and a lone CR each end one. */
static int split_lines(struct script *s, const char *text, size_t len, struct nul_at *nul)
{
	size_t start = 0;
	int cap = 0;

	while (start < len) {
		size_t end = start;

		while (end < len && text[end] != '\n' && text[end] != '\r')
			end++;
		if (s->nlines == cap) {
			char **grown;

			cap = cap ? cap * 2 : 64;
			grown = realloc(s->lines, (size_t)cap * sizeof(*grown));
			if (grown == NULL)
				return -1;
			s->lines = grown;
		}
		s->lines[s->nlines] = copy_line(text + start, end - start, s->nlines + 1, nul);
		if (s->lines[s->nlines] == NULL)
			return -1;
		s->nlines++;
		if (end + 1 < len && text[end] == '\r' && text[end + 1] == '\n')
			end++;
		start = end + 1;
	}
	return 0;
}

struct script *script_parse(const char *file_name, const char *text, size_t len, FILE *err)
{
	struct script *s = calloc(1, sizeof(*s));
	struct parser p;
	struct nul_at nul = { 0, 0 };

	memset(&p, 0, sizeof(p));
	if (s == NULL)
		goto out_oom;
	s->file_name = strdup(file_name != NULL ? file_name : "<scenario>");
	if (s->file_name == NULL || split_lines(s, text, len, &nul) < 0)
		goto out_oom;
	p.s = s;
	p.err = err;
	if (nul.line > 0) {
		p.line = nul.line;
		p_error(&p, nul.col, "a NUL byte (shown as '?'): a scenario is a text file");
		goto out_free;
	}
	for (int i = 0; i < s->nlines; i++) {
		p.line = i + 1;
		if (parse_line(&p, s->lines[i]) < 0)
			goto out_free;
	}
	if (p.prog != NULL) {
		p.line = p.prog->line;
		p_error(&p, p.prog->col, "program %s is not closed: expected '}' by the end of the "
		        "file", p.prog->proc);
		goto out_free;
	}
	if (s->nstmts == 0) {
		/* Nothing would run and `0 passed, 0 failed` would read as success:
		 * an empty file is more likely the wrong file. */
		if (err != NULL)
			fprintf(err, "%s: error: no steps: the scenario is %s (a step is a line such as "
			        "'P1: q = msgget(IPC_PRIVATE, 0600)')\n", s->file_name,
			        s->nlines == 0 ? "empty" : "only comments and blank lines");
		goto out_free;
	}
	check_free(&p);
	return s;

out_oom:
	if (err != NULL)
		fprintf(err, "%s: error: out of memory\n", file_name != NULL ? file_name : "<scenario>");
out_free:
	stmt_free(p.prog);
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
			/* doubled, not grown by a fixed step: the copies stay linear */
			size_t bigger = cap ? 2 * cap : 65536;
			char *grown = realloc(buf, bigger);

			if (grown == NULL) {
				if (err != NULL)
					fprintf(err, "%s: error: out of memory reading it\n", path);
				goto out_close;
			}
			buf = grown;
			cap = bigger;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		/* A directory opens but cannot be read: say so (EISDIR). */
		if (err != NULL)
			fprintf(err, "%s: error: cannot read: %s\n", path, strerror(errno));
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
	if (e == NULL || e->in_arena)
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
	if (st == NULL || st->in_arena)
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
	program_free(st->prog);
	free(st);
}

void script_set_limits(struct script *s, const struct script_limits *limits)
{
	s->limits = *limits;
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
	free(s->schedule);
	free(s);
	*sp = NULL;
}

const char *script_file_name(const struct script *s)
{
	return s->file_name;
}

int script_count_statements(const struct script *s)
{
	return s != NULL ? s->nstmts : 0;
}
