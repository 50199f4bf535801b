/*
 * test_lexer.c - tokens of one scenario line: integers in three bases,
 * strings with escapes, longest-match punctuation, comments, and the
 * errors with their columns.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "script/script_int.h"

static int lex_all(const char *line, struct token *toks, int max, struct lexer *lx)
{
	int n = 0;

	lex_init(lx, line, strlen(line), 0);
	while (n < max) {
		if (lex_next(lx, &toks[n]) < 0)
			return -1;
		if (toks[n].kind == TK_EOF)
			return n;
		n++;
	}
	return n;
}

Test(lexer, integers_in_three_bases)
{
	struct token t[8];
	struct lexer lx;

	cr_assert_eq(lex_all("42 0x1F 0666 0", t, 8, &lx), 4);
	cr_assert_eq(t[0].ival, 42);
	cr_assert_eq(t[1].ival, 31);
	cr_assert_eq(t[2].ival, 0666);
	cr_assert_eq(t[3].ival, 0);
	cr_assert_eq(t[2].col, 9);
}

Test(lexer, sign_is_a_separate_token)
{
	struct token t[8];
	struct lexer lx;

	cr_assert_eq(lex_all("-300", t, 8, &lx), 2);
	cr_assert(tok_is(&t[0], "-"));
	cr_assert_eq(t[1].ival, 300);
}

Test(lexer, longest_punctuation_first)
{
	struct token t[16];
	struct lexer lx;

	cr_assert_eq(lex_all("<... +++ --- == != <= >= < > &", t, 16, &lx), 11);
	cr_assert(tok_is(&t[0], "<"));
	cr_assert(tok_is(&t[1], "..."));
	cr_assert(tok_is(&t[2], "+++"));
	cr_assert(tok_is(&t[3], "---"));
	cr_assert(tok_is(&t[4], "=="));
	cr_assert(tok_is(&t[5], "!="));
	cr_assert(tok_is(&t[6], "<="));
	cr_assert(tok_is(&t[7], ">="));
}

Test(lexer, string_escapes_decode)
{
	const char *line = "\"a\\n\\t\\0\\\\\\\"\\x41\\101\"";
	struct token t[2];
	struct lexer lx;
	size_t len;
	char *v;

	cr_assert_eq(lex_all(line, t, 2, &lx), 1);
	cr_assert_eq(t[0].kind, TK_STRING);
	v = lex_string_value(line, &t[0], &len);
	cr_assert_eq(len, 8);
	cr_assert_eq(memcmp(v, "a\n\t\0\\\"AA", 8), 0);
	free(v);
}

Test(lexer, hash_outside_string_ends_the_line)
{
	struct token t[4];
	struct lexer lx;

	cr_assert_eq(lex_all("x \"#in\" # out", t, 4, &lx), 2);
	cr_assert_eq(t[1].kind, TK_STRING);
}

Test(lexer, unterminated_string_points_at_its_quote)
{
	struct token t[4];
	struct lexer lx;

	cr_assert_eq(lex_all("ab \"xyz", t, 4, &lx), -1);
	cr_assert_str_eq(lx.err, "unterminated string");
	cr_assert_eq(lx.err_col, 4);
}

Test(lexer, bad_escape_and_bad_numbers)
{
	struct token t[4];
	struct lexer lx;

	cr_assert_eq(lex_all("\"\\q\"", t, 4, &lx), -1);
	cr_assert_eq(lx.err_col, 2);
	cr_assert_eq(lex_all("089", t, 4, &lx), -1);
	cr_assert_str_eq(lx.err, "bad octal integer");
	cr_assert_eq(lex_all("0x", t, 4, &lx), -1);
	cr_assert_eq(lex_all("99999999999999999999", t, 4, &lx), -1);
	cr_assert_str_eq(lx.err, "integer out of range");
	cr_assert_eq(lex_all("12abc", t, 4, &lx), -1);
}

Test(lexer, unexpected_characters)
{
	struct token t[4];
	struct lexer lx;

	cr_assert_eq(lex_all("a @", t, 4, &lx), -1);
	cr_assert_str_eq(lx.err, "unexpected character '@'");
	cr_assert_eq(lx.err_col, 3);
	cr_assert_eq(lex_all("'xy'", t, 4, &lx), -1);
	cr_assert_str_eq(lx.err, "a character literal holds one character: a string is written "
	                         "in double quotes, as \"text\"");
	cr_assert_eq(lex_all("\x01", t, 4, &lx), -1);
	cr_assert_str_eq(lx.err, "unexpected byte 0x01");
	cr_assert_eq(lex_all("\xff", t, 4, &lx), -1);
	cr_assert_str_eq(lx.err, "unexpected byte 0xff");
}

Test(lexer, identifiers_and_columns)
{
	struct token t[8];
	struct lexer lx;
	const char *line = "  P1: q_2 = msgget";

	cr_assert_eq(lex_all(line, t, 8, &lx), 5);
	cr_assert(tok_ident_is(line, &t[0], "P1"));
	cr_assert_eq(t[0].col, 3);
	cr_assert(tok_ident_is(line, &t[2], "q_2"));
	cr_assert(tok_ident_is(line, &t[4], "msgget"));
}
