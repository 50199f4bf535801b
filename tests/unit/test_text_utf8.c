/*
 * test_text_utf8.c - message text in UTF-8 prints as UTF-8 ("héllo", not
 * "h\xc3\xa9llo") in every output: a result, the call echoed, the answer
 * key, the JSON trace; the same in every locale.  Invalid bytes, overlong
 * and surrogate sequences, C1 controls and bidi controls stay escaped.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "ipcsim/strace.h"
#include "ipcsim/trace.h"
#include "../lib/script_fixture.h"

/* What strace_print_string prints for the bytes s (n of them). */
static char *printed(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	cr_assert_not_null(w);
	strace_print_string(w, (const unsigned char *)s, n, 1);
	fclose(w);
	return buf;
}

static void expect_printed(const char *s, const char *want)
{
	char *got = printed(s, strlen(s));

	cr_expect_str_eq(got, want, "for %s: got %s, want %s", want, got, want);
	free(got);
}

Test(utf8, valid_text_prints_as_it_is)
{
	expect_printed("h\xc3\xa9llo", "\"h\xc3\xa9llo\"");                 /* é */
	expect_printed("\xe2\x82\xac 5", "\"\xe2\x82\xac 5\"");              /* € */
	expect_printed("\xf0\x9f\x98\x80!", "\"\xf0\x9f\x98\x80!\"");        /* U+1F600 */
	expect_printed("\xd0\x9f\xd1\x80\xd0\xb8", "\"\xd0\x9f\xd1\x80\xd0\xb8\"");
}

Test(utf8, invalid_bytes_and_controls_stay_escaped)
{
	expect_printed("x\xff", "\"x\\xff\"");                         /* never a lead byte */
	expect_printed("\xc3", "\"\\xc3\"");                           /* cut short */
	expect_printed("\xc3(", "\"\\xc3(\"");                         /* no continuation */
	expect_printed("\xc0\xaf", "\"\\xc0\\xaf\"");                  /* overlong '/' */
	expect_printed("\xe0\x80\xaf", "\"\\xe0\\x80\\xaf\"");         /* overlong, 3 bytes */
	expect_printed("\xed\xa0\x80", "\"\\xed\\xa0\\x80\"");         /* a surrogate */
	expect_printed("\xf4\x90\x80\x80", "\"\\xf4\\x90\\x80\\x80\""); /* past U+10FFFF */
	expect_printed("\xc2\x85", "\"\\xc2\\x85\"");                  /* C1 control NEL */
	expect_printed("a\xe2\x80\xae" "b", "\"a\\xe2\\x80\\xae" "b\"");  /* bidi override */
	expect_printed("\x1b[31m\x7f", "\"\\x1b[31m\\x7f\"");          /* C0 and DEL */
}

/* Printing decodes UTF-8 itself: the locale changes nothing. */
Test(utf8, the_locale_changes_nothing)
{
	static const char text[] = "h\xc3\xa9llo \xff \xc2\x85 \xe2\x82\xac";
	char *in_c, *in_utf8;

	setlocale(LC_ALL, "C");
	in_c = printed(text, sizeof(text) - 1);
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		cr_skip_test("no C.UTF-8 locale");
	in_utf8 = printed(text, sizeof(text) - 1);
	cr_assert_str_eq(in_utf8, in_c);
	cr_assert_str_eq(in_c, "\"h\xc3\xa9llo \\xff \\xc2\\x85 \xe2\x82\xac\"");
	setlocale(LC_ALL, "C");
	free(in_c);
	free(in_utf8);
}

static const char lesson[] =
	"P1: q = msgget(IPC_PRIVATE, 0600)\n"
	"P1: msgsnd(q, {1, \"h\xc3\xa9llo\"}, 7, 0)\n"
	"P1: msgrcv(q, &m, 64, 0, 0)\n";

Test(utf8, run_prints_the_call_and_the_result_in_utf8)
{
	struct script_fixture_run r;

	script_fixture_run(lesson, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "P1: msgsnd(q, {mtype=1, mtext=\"h\xc3\xa9llo\"}, 7, 0) = 0\n") != NULL,
	          "%s", r.out);
	cr_assert(strstr(r.out, "= 7 {mtype=1, mtext=\"h\xc3\xa9llo\"}\n") != NULL, "%s", r.out);
	script_fixture_release(&r);
}

Test(utf8, the_answer_key_keeps_utf8_and_replays)
{
	struct script_fixture_run r, replay;

	script_fixture_record(lesson, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "= 7 {mtype=1, mtext=\"h\xc3\xa9llo\"}\n") != NULL, "%s", r.out);
	script_fixture_run(r.out, &replay);
	cr_assert_eq(replay.status, 0, "%s%s", replay.out, replay.err);
	cr_assert_eq(replay.stats.passed, 3);
	script_fixture_release(&replay);
	script_fixture_release(&r);
}

Test(utf8, the_trace_shows_utf8_text_cut_between_characters)
{
	char text[512], *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	FILE *err = fopen("/dev/null", "w");
	int n;

	/* 63 ASCII bytes, then é: the 64-byte cut would split it. */
	n = snprintf(text, sizeof(text), "P1: q = msgget(IPC_PRIVATE, 0600)\n"
	             "P1: msgsnd(q, {1, \"%063d\xc3\xa9\"}, 66, 0)\n"
	             "P1: msgsnd(q, {2, \"h\xc3\xa9llo\"}, 7, 0)\n", 0);
	cr_assert_lt(n, (int)sizeof(text));
	cr_assert_eq(trace_scenario("t.scn", text, strlen(text), TRACE_JSON, out, err), 0);
	fclose(out);
	fclose(err);
	cr_assert(strstr(buf, "\"text\":\"h\xc3\xa9llo\"") != NULL, "%s", buf);
	cr_assert(strstr(buf, "\"text\":\"000000000000000000000000000000000000000000000000000"
	                      "000000000000\"") != NULL, "%s", buf);
	cr_assert(strstr(buf, "\\\\xc3") == NULL, "a cut character was escaped: %s", buf);
	free(buf);
}
