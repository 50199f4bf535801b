/*
 * lexer.c - tokens of one scenario line.
 *
 * The scenario language is line-based, so the lexer works on one line at a
 * time and the parser pulls tokens on demand; where a line form takes raw
 * text (`$ command`, `> output`, a file path, strace's strerror text) the
 * parser reads the line itself from the lexer's position.
 *
 * Tokens: identifiers, integers (decimal, 0x hex, leading-0 octal; the sign
 * is the parser's), strings with C escapes (checked here, decoded on demand
 * by lex_string_value), and punctuation, longest match first: `...` `+++`
 * `---` `==` `!=` `<=` `>=`, then single characters.  `#` outside a string
 * ends the line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "script/script_int.h"

static const char *const multi_puncts[] = { "...", "+++", "---", "==", "!=", "<=", ">=", NULL };
static const char single_puncts[] = "(){}[],=.&|+-:<>?*!";

void lex_init(struct lexer *lx, const char *line, size_t len, size_t start)
{
	memset(lx, 0, sizeof(*lx));
	lx->line = line;
	lx->len = len;
	lx->pos = start;
}

static int lex_fail(struct lexer *lx, size_t at, const char *msg)
{
	snprintf(lx->err, sizeof(lx->err), "%s", msg);
	lx->err_col = (int)at + 1;
	return -1;
}

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_ident_char(int c)
{
	return isalnum(c) || c == '_';
}

/* Scans one escape after the backslash at pos; returns its length or -1. */
static int escape_length(const char *s, size_t len, size_t pos)
{
	size_t i = pos + 1;

	if (i >= len)
		return -1;
	switch (s[i]) {
	case 'n': case 't': case 'r': case 'a': case 'b': case 'f': case 'v':
	case '\\': case '"': case '\'': case '?':
		return 2;
	case 'x':
		if (i + 2 < len + 0 && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2]))
			return 4;
		return -1;
	default:
		if (s[i] >= '0' && s[i] <= '7') {
			int n = 1;

			while (n < 3 && i + n < len && s[i + n] >= '0' && s[i + n] <= '7')
				n++;
			return n + 1;
		}
		return -1;
	}
}

static int lex_string(struct lexer *lx, struct token *t)
{
	size_t i = lx->pos + 1;

	while (i < lx->len && lx->line[i] != '"') {
		if (lx->line[i] == '\\') {
			int n = escape_length(lx->line, lx->len, i);

			if (n < 0)
				return lex_fail(lx, i, "bad escape in string (use \\n \\t \\0 \\\\ \\\" \\xHH)");
			i += (size_t)n;
		} else {
			i++;
		}
	}
	if (i >= lx->len)
		return lex_fail(lx, lx->pos, "unterminated string");
	t->kind = TK_STRING;
	t->len = i + 1 - lx->pos;
	lx->pos = i + 1;
	return 0;
}

static int lex_number(struct lexer *lx, struct token *t)
{
	const char *s = lx->line + lx->pos;
	size_t n = 0;
	int base = 10;
	unsigned long long v = 0;
	char buf[64];
	char *end;

	while (lx->pos + n < lx->len && is_ident_char((unsigned char)s[n]))
		n++;
	if (n >= sizeof(buf))
		return lex_fail(lx, lx->pos, "integer out of range");
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (n > 1 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		base = 16;
	else if (n > 1 && buf[0] == '0')
		base = 8;
	errno = 0;
	v = strtoull(buf, &end, base);
	if (*end != '\0' || (base == 16 && n == 2))
		return lex_fail(lx, lx->pos, base == 8 ? "bad octal integer" : "bad integer");
	/* Up to 2^64-1: shmmax and shmall are unsigned long (ULONG_MAX - 2^24
	 * by default); a value above LLONG_MAX keeps its 64-bit pattern. */
	if (errno == ERANGE)
		return lex_fail(lx, lx->pos, "integer out of range");
	t->kind = TK_INT;
	t->ival = (long long)v;
	t->len = n;
	lx->pos += n;
	return 0;
}

int lex_next(struct lexer *lx, struct token *t)
{
	int c;

	memset(t, 0, sizeof(*t));
	while (lx->pos < lx->len && isspace((unsigned char)lx->line[lx->pos]))
		lx->pos++;
	t->off = lx->pos;
	t->col = (int)lx->pos + 1;
	if (lx->pos >= lx->len || lx->line[lx->pos] == '#') {
		t->kind = TK_EOF;
		return 0;
	}
	c = (unsigned char)lx->line[lx->pos];
	if (c == '"')
		return lex_string(lx, t);
	if (isdigit(c))
		return lex_number(lx, t);
	if (is_ident_start(c)) {
		size_t n = 0;

		while (lx->pos + n < lx->len && is_ident_char((unsigned char)lx->line[lx->pos + n]))
			n++;
		t->kind = TK_IDENT;
		t->len = n;
		lx->pos += n;
		return 0;
	}
	for (int i = 0; multi_puncts[i] != NULL; i++) {
		size_t n = strlen(multi_puncts[i]);

		if (lx->pos + n <= lx->len && memcmp(lx->line + lx->pos, multi_puncts[i], n) == 0) {
			t->kind = TK_PUNCT;
			memcpy(t->punct, multi_puncts[i], n + 1);
			t->len = n;
			lx->pos += n;
			return 0;
		}
	}
	if (c != '\0' && strchr(single_puncts, c) != NULL) {
		t->kind = TK_PUNCT;
		t->punct[0] = (char)c;
		t->len = 1;
		lx->pos++;
		return 0;
	}
	if (c == '\'')
		return lex_fail(lx, lx->pos, "strings use double quotes");
	return lex_fail(lx, lx->pos, isprint(c) ? "unexpected character" : "unexpected byte");
}

char *lex_string_value(const char *line, const struct token *t, size_t *len)
{
	const char *s = line + t->off + 1;
	size_t n = t->len - 2, o = 0;
	char *buf = malloc(n + 1);

	if (buf == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			buf[o++] = s[i];
			continue;
		}
		i++;
		switch (s[i]) {
		case 'n': buf[o++] = '\n'; break;
		case 't': buf[o++] = '\t'; break;
		case 'r': buf[o++] = '\r'; break;
		case 'a': buf[o++] = '\a'; break;
		case 'b': buf[o++] = '\b'; break;
		case 'f': buf[o++] = '\f'; break;
		case 'v': buf[o++] = '\v'; break;
		case 'x': {
			char hex[3] = { s[i + 1], s[i + 2], 0 };

			buf[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
			break;
		}
		default:
			if (s[i] >= '0' && s[i] <= '7') {
				int v = 0, k = 0;

				while (k < 3 && i < n && s[i] >= '0' && s[i] <= '7') {
					v = v * 8 + (s[i] - '0');
					i++;
					k++;
				}
				i--;
				buf[o++] = (char)v;
			} else {
				buf[o++] = s[i]; /* \\ \" \' \? */
			}
		}
	}
	buf[o] = '\0';
	*len = o;
	return buf;
}

int tok_is(const struct token *t, const char *punct)
{
	return t->kind == TK_PUNCT && strcmp(t->punct, punct) == 0;
}

int tok_ident_is(const char *line, const struct token *t, const char *word)
{
	size_t n = strlen(word);

	return t->kind == TK_IDENT && t->len == n && memcmp(line + t->off, word, n) == 0;
}
