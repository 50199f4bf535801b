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
 * ends the line.  A C character literal ('a', '\n', '\x41') is an integer
 * token, its byte's value, as in C.  What a line pasted from C or from slides
 * brings (a // comment, typographic quotes and dashes) is refused with what
 * to write instead.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/strace.h" /* strace_utf8_printable */
#include "script/script_int.h"

/* The punctuation of more than one character at s (avail bytes): its
 * length, or 0.  `...` `+++` `---`, then `==` `!=` `<=` `>=`. */
static size_t multi_punct_len(const char *s, size_t avail)
{
	if (avail >= 3 && (s[0] == '.' || s[0] == '+' || s[0] == '-') && s[1] == s[0] &&
	    s[2] == s[0])
		return 3;
	if (avail >= 2 && s[1] == '=' && (s[0] == '=' || s[0] == '!' || s[0] == '<' || s[0] == '>'))
		return 2;
	return 0;
}

void lex_init(struct lexer *lx, const char *line, size_t len, size_t start)
{
	lx->err[0] = '\0'; /* the rest of err is written only with a message */
	lx->err_col = 0;
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

/* What a character can be, found with one table lookup: the lexer sees
 * every character of every line (a million-line run lexes twenty million
 * tokens), and a chain of comparisons per character was most of its cost.
 * NUL is in no class, so a scan stops at the end of the line (the line is
 * NUL-terminated at len: lex_init). */
enum char_class {
	CC_BLANK = 1, /* isspace() of the C locale */
	CC_IDENT = 2, /* isalnum() of the C locale, or _: an identifier's, a number's */
	CC_DIGIT = 4, /* starts a number */
	CC_PUNCT = 8, /* a punctuation token of its own: ( ) { } [ ] , = . & | + - : < > ? * ! ; */
	CC_MULTI = 16, /* may start a longer one: ... +++ --- == != <= >= */
};

static const unsigned char char_class[256] = {
	[' '] = CC_BLANK, ['\t' ... '\r'] = CC_BLANK,
	['a' ... 'z'] = CC_IDENT, ['A' ... 'Z'] = CC_IDENT, ['_'] = CC_IDENT,
	['0' ... '9'] = CC_IDENT | CC_DIGIT,
	['('] = CC_PUNCT, [')'] = CC_PUNCT, ['{'] = CC_PUNCT, ['}'] = CC_PUNCT,
	['['] = CC_PUNCT, [']'] = CC_PUNCT, [','] = CC_PUNCT, ['&'] = CC_PUNCT,
	['|'] = CC_PUNCT, [':'] = CC_PUNCT, ['?'] = CC_PUNCT, ['*'] = CC_PUNCT,
	[';'] = CC_PUNCT,
	['.'] = CC_PUNCT | CC_MULTI, ['+'] = CC_PUNCT | CC_MULTI, ['-'] = CC_PUNCT | CC_MULTI,
	['='] = CC_PUNCT | CC_MULTI, ['!'] = CC_PUNCT | CC_MULTI, ['<'] = CC_PUNCT | CC_MULTI,
	['>'] = CC_PUNCT | CC_MULTI,
};

static int char_is(int c, enum char_class cc)
{
	return char_class[(unsigned char)c] & cc;
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

/* The byte the escape at s[*i] (just after its backslash) stands for,
 * checked by escape_length(); *i moves to its last character. */
static char decode_escape(const char *s, size_t n, size_t *i)
{
	switch (s[*i]) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'v': return '\v';
	case 'x': {
		char hex[3] = { s[*i + 1], s[*i + 2], 0 };

		*i += 2;
		return (char)strtol(hex, NULL, 16);
	}
	default:
		if (s[*i] >= '0' && s[*i] <= '7') {
			int v = 0, k = 0;

			while (k < 3 && *i < n && s[*i] >= '0' && s[*i] <= '7') {
				v = v * 8 + (s[*i] - '0');
				(*i)++;
				k++;
			}
			(*i)--;
			return (char)v;
		}
		return s[*i]; /* \\ \" \' \? */
	}
}

/* 'a', '\n', '\x41': one byte, as an integer (C's character constant;
 * 0..255, so '\xff' is 255).  What is not one byte is refused, saying what
 * to write instead. */
static int lex_char(struct lexer *lx, struct token *t)
{
	const char *s = lx->line;
	size_t i = lx->pos + 1, end;
	unsigned char value;

	if (i >= lx->len)
		return lex_fail(lx, lx->pos, "unterminated character literal (a string is written "
		                             "in double quotes: \"text\")");
	if (s[i] == '\'')
		return lex_fail(lx, lx->pos, "empty character literal: write one character, as 'A'");
	if (s[i] == '\\') {
		int n = escape_length(s, lx->len, i);

		if (n < 0)
			return lex_fail(lx, i, "bad escape in character literal (use \\n \\t \\0 "
			                       "\\\\ \\' \\xHH)");
		end = i + 1;
		value = (unsigned char)decode_escape(s, lx->len, &end);
		end++;
	} else {
		value = (unsigned char)s[i];
		end = i + 1;
	}
	if (end < lx->len && s[end] == '\'') {
		t->kind = TK_INT;
		t->ival = value;
		t->len = end + 1 - lx->pos;
		lx->pos = end + 1;
		return 0;
	}
	if (memchr(s + i, '\'', lx->len - i) == NULL)
		return lex_fail(lx, lx->pos, "unterminated character literal (a string is written "
		                             "in double quotes: \"text\")");
	return lex_fail(lx, lx->pos, value >= 0x80 && s[i] != '\\'
	                ? "a character literal holds one byte, and this character takes more in "
	                  "UTF-8: write it in a string, in double quotes"
	                : "a character literal holds one character: a string is written in double "
	                  "quotes, as \"text\"");
}

/* What a character that cannot start a token was meant to be, when it came
 * from C or from slides: the advice, or NULL. */
static const char *pasted_advice(const char *s, size_t len, size_t pos)
{
	static const struct {
		unsigned long cp;
		const char *advice;
	} lookalikes[] = {
		{ 0x201c, "a typographic quote: strings use plain double quotes, \"text\"" },
		{ 0x201d, "a typographic quote: strings use plain double quotes, \"text\"" },
		{ 0x201e, "a typographic quote: strings use plain double quotes, \"text\"" },
		{ 0x00ab, "a typographic quote: strings use plain double quotes, \"text\"" },
		{ 0x00bb, "a typographic quote: strings use plain double quotes, \"text\"" },
		{ 0x2018, "a typographic quote: write a plain ' ('A') or \" (\"text\")" },
		{ 0x2019, "a typographic quote: write a plain ' ('A') or \" (\"text\")" },
		{ 0x2013, "a typographic dash: write a plain minus, -" },
		{ 0x2014, "a typographic dash: write a plain minus, -" },
		{ 0x2212, "a minus sign: write a plain minus, -" },
		{ 0x00a0, "a no-break space: write a plain space" },
	};
	const unsigned char *u = (const unsigned char *)s + pos;
	size_t n = strace_utf8_printable(u, len - pos);
	unsigned long cp;

	if (u[0] == '/' && pos + 1 < len && (u[1] == '/' || u[1] == '*'))
		return "comments start with '#' (not // or /* */)";
	if (n == 0 && !(len - pos >= 2 && u[0] == 0xc2 && u[1] == 0xa0))
		return NULL;
	if (n == 0)
		n = 2;
	cp = u[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (u[i] & 0x3f);
	for (size_t i = 0; i < sizeof(lookalikes) / sizeof(lookalikes[0]); i++)
		if (lookalikes[i].cp == cp)
			return lookalikes[i].advice;
	return NULL;
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

/* A decimal integer without a leading 0 (or 0 itself), of 18 digits at
 * most (no overflow): most integers of a scenario, read in one pass.  1
 * and the token, or 0 when the number at lx->pos is not one of those. */
static int lex_small_decimal(struct lexer *lx, struct token *t)
{
	const char *s = lx->line + lx->pos;
	unsigned long long v = 0;
	size_t n = 0;

	if (s[0] == '0' && char_is(s[1], CC_IDENT))
		return 0;
	while (n <= 18 && char_is(s[n], CC_DIGIT))
		v = v * 10 + (unsigned long long)(s[n++] - '0');
	if (n > 18 || char_is(s[n], CC_IDENT))
		return 0;
	t->kind = TK_INT;
	t->ival = (long long)v;
	t->len = n;
	lx->pos += n;
	return 1;
}

/* Any other integer (hex, octal, a long decimal) or a malformed one:
 * strtoull reads it and says what is wrong. */
static int lex_number(struct lexer *lx, struct token *t)
{
	const char *s = lx->line + lx->pos;
	size_t n = 0;
	int base = 10;
	unsigned long long v = 0;
	char buf[64];
	char *end;

	while (char_is(s[n], CC_IDENT))
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

/* A character no token starts with: what it was meant to be, when that is
 * known; else the character itself (decoded here, in any locale). */
static int lex_unexpected(struct lexer *lx)
{
	const unsigned char *u = (const unsigned char *)lx->line + lx->pos;
	const char *advice = pasted_advice(lx->line, lx->len, lx->pos);
	size_t n;

	if (advice != NULL)
		return lex_fail(lx, lx->pos, advice);
	if (u[0] >= 0x20 && u[0] < 0x7f) {
		snprintf(lx->err, sizeof(lx->err), "unexpected character '%c'", u[0]);
	} else if ((n = strace_utf8_printable(u, lx->len - lx->pos)) > 0) {
		snprintf(lx->err, sizeof(lx->err), "unexpected character '%.*s' (outside a string, "
		         "a scenario is plain ASCII)", (int)n, (const char *)u);
	} else {
		snprintf(lx->err, sizeof(lx->err), "unexpected byte 0x%02x", u[0]);
	}
	lx->err_col = (int)lx->pos + 1;
	return -1;
}

/* The token at lx->pos that is no identifier, single punctuation or
 * small decimal: another number, punctuation of more than one character, a string, a character
 * literal, or an error.  Out of line, so that lex_next's common paths save
 * no registers. */
static __attribute__((noinline)) int lex_other(struct lexer *lx, struct token *t)
{
	const char *s = lx->line + lx->pos;
	int c = (unsigned char)*s;
	size_t n;

	if (char_is(c, CC_DIGIT))
		return lex_number(lx, t);
	if (char_is(c, CC_PUNCT)) {
		n = multi_punct_len(s, lx->len - lx->pos);
		if (n == 0)
			n = 1;
		t->kind = TK_PUNCT;
		memcpy(t->punct, s, n); /* zeroed by lex_next: the NUL */
		t->len = n;
		lx->pos += n;
		return 0;
	}
	if (c == '"')
		return lex_string(lx, t);
	if (c == '\'')
		return lex_char(lx, t);
	return lex_unexpected(lx);
}

int lex_next(struct lexer *lx, struct token *t)
{
	const char *s = lx->line;
	size_t i = lx->pos, n;
	unsigned cc;

	while (char_is(s[i], CC_BLANK))
		i++;
	lx->pos = i;
	t->off = i;
	t->col = (int)i + 1;
	t->ival = 0;
	memset(t->punct, 0, sizeof(t->punct));
	if (i >= lx->len || s[i] == '#') {
		t->kind = TK_EOF;
		t->len = 0;
		return 0;
	}
	cc = char_class[(unsigned char)s[i]];
	if (cc == CC_PUNCT) { /* ( ) { } , & ...: nothing longer starts with it */
		t->kind = TK_PUNCT;
		t->punct[0] = s[i];
		t->len = 1;
		lx->pos = i + 1;
		return 0;
	}
	if (cc == (CC_IDENT | CC_DIGIT) && lex_small_decimal(lx, t))
		return 0;
	if (cc != CC_IDENT)
		return lex_other(lx, t);
	for (n = i + 1; char_is(s[n], CC_IDENT); n++)
		;
	t->kind = TK_IDENT;
	t->len = n - i;
	lx->pos = n;
	return 0;
}

char *lex_string_value(const char *line, const struct token *t, size_t *len)
{
	char *buf = malloc(t->len + 1);

	if (buf != NULL)
		*len = lex_string_decode(line, t, buf);
	return buf;
}

size_t lex_string_decode(const char *line, const struct token *t, char *buf)
{
	const char *s = line + t->off + 1;
	size_t n = t->len - 2, o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			buf[o++] = s[i];
			continue;
		}
		i++;
		buf[o++] = decode_escape(s, n, &i);
	}
	buf[o] = '\0';
	return o;
}
