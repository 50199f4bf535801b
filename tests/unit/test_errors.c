/*
 * test_errors.c - errors that point the right way: a scenario mistake a
 * student makes (C pasted from a lecture, a typo, a value of the wrong
 * kind) is refused before anything runs, with one diagnostic that says
 * what to write instead; what is harmless in C (a trailing `;`, 'a') is
 * accepted.  The table style of test_parser.c.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/script_fixture.h"

/* Inline arrays, not pointers: Criterion may run each parameter in a fresh
 * process image, where pointers into the parent's memory mean nothing. */
struct bad_case {
	char text[192];
	char diag[320]; /* first line of the diagnostic, exactly */
};

static struct bad_case bad_cases[] = {
	/* ---- item 13: an empty file, a trailing comma ---------------------- */
	{ "",
	  "t.scn: error: no steps: the scenario is empty (a step is a line such as "
	  "'P1: q = msgget(IPC_PRIVATE, 0600)')" },
	{ "# a comment\n\n   # another\n",
	  "t.scn: error: no steps: the scenario is only comments and blank lines (a step is a "
	  "line such as 'P1: q = msgget(IPC_PRIVATE, 0600)')" },
	{ "P1: msgget(IPC_PRIVATE, 0600,)",
	  "t.scn:1:29: error: expected an argument after ',' (a call's argument list takes no "
	  "trailing comma, as in C)" },
};

ParameterizedTestParameters(errors, mistake_is_refused_with_advice)
{
	return cr_make_param_array(struct bad_case, bad_cases,
	                           sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(struct bad_case *c, errors, mistake_is_refused_with_advice)
{
	char *diag = script_fixture_parse_error(c->text);
	struct script_fixture_run r;

	cr_assert_not_null(diag, "parsed: %s", c->text);
	cr_assert_str_eq(diag, c->diag, "for %s", c->text);
	free(diag);
	script_fixture_run(c->text, &r);
	cr_assert_eq(r.status, 2, "exit status %d for %s", r.status, c->text);
	cr_assert_str_eq(r.out, "", "something ran (or a summary was printed) for %s: %s",
	                 c->text, r.out);
	script_fixture_release(&r);
}

Test(errors, a_directory_cannot_be_read_and_says_why)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	struct script *s = script_load("/", err);

	fclose(err);
	cr_assert_null(s);
	cr_assert_str_eq(buf, "/: error: cannot read: Is a directory\n");
	free(buf);
}
