/*
 * test_stream.c - script_run_stream (sim/script/stream.c): a scenario run a
 * group of lines at a time prints, reports and exits exactly as the whole
 * parsed scenario does (script_parse + script_run), malformed ones too.
 * Each text runs streamed three ways: parsed once and kept (the default for
 * a small file), parsed twice (nothing kept), and kept until a small budget
 * runs out part way (the switch from one to the other).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/script_fixture.h"

/* What the first pass may keep, for each streamed run: the default, nothing,
 * and a budget that the second group of most texts outgrows. */
static const size_t keep_budgets[] = { (size_t)-1, 0, 2048 };

/* Runs len bytes of text (NUL bytes included) whole and streamed keeping at
 * most keep bytes (-1: script_run_stream's default), as `ipcsim run` does
 * for one file. */
static void run_both(const char *text, size_t len, size_t keep,
                     struct script_fixture_run *whole, struct script_fixture_run *streamed)
{
	struct script_fixture_run *r[2] = { whole, streamed };

	for (int k = 0; k < 2; k++) {
		size_t olen = 0, elen = 0;
		struct script_options o = { 0 };

		memset(r[k], 0, sizeof(*r[k]));
		o.out = open_memstream(&r[k]->out, &olen);
		o.err = open_memstream(&r[k]->err, &elen);
		cr_assert(o.out != NULL && o.err != NULL);
		if (k == 0) {
			struct script *s = script_parse("t.scn", text, len, o.err);

			r[k]->status = s != NULL ? script_run(s, &o, &r[k]->stats) : 2;
			script_free(&s);
		} else {
			FILE *f = tmpfile();

			cr_assert_not_null(f);
			cr_assert_eq(fwrite(text, 1, len, f), len);
			rewind(f);
			r[k]->status = keep == (size_t)-1
			               ? script_run_stream(f, "t.scn", NULL, &o, &r[k]->stats)
			               : script_run_stream_keep(f, "t.scn", NULL, &o, &r[k]->stats, keep);
			fclose(f);
		}
		fclose(o.out);
		fclose(o.err);
	}
}

/* The same status, output, diagnostics and counts both ways. */
static void same_as_whole_n(const char *text, size_t len)
{
	for (size_t b = 0; b < sizeof(keep_budgets) / sizeof(keep_budgets[0]); b++) {
		struct script_fixture_run whole, streamed;
		long long keep = (long long)keep_budgets[b];

		run_both(text, len, keep_budgets[b], &whole, &streamed);
		cr_assert_eq(streamed.status, whole.status, "keep %lld: status %d, not %d, for:\n%s",
		             keep, streamed.status, whole.status, text);
		cr_assert_str_eq(streamed.out, whole.out, "keep %lld, for:\n%s", keep, text);
		cr_assert_str_eq(streamed.err, whole.err, "keep %lld, for:\n%s", keep, text);
		cr_assert_eq(streamed.stats.passed, whole.stats.passed);
		cr_assert_eq(streamed.stats.failed, whole.stats.failed);
		cr_assert_eq(streamed.stats.steps, whole.stats.steps);
		cr_assert_eq(streamed.stats.error_line, whole.stats.error_line);
		script_fixture_release(&whole);
		script_fixture_release(&streamed);
	}
}

static void same_as_whole(const char *text)
{
	same_as_whole_n(text, strlen(text));
}

Test(stream, a_blocked_call_resumes_after_its_group_was_freed)
{
	/* P2's msgrcv sleeps in line 2's group; it resumes three groups later,
	 * binding m from the statement copied out of the arena. */
	const char *text =
		"P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
		"P2: msgrcv(q, &m, 64, 7, 0) <unfinished ...>\n"
		"P1: msgsnd(q, {1, \"a\"}, 2, 0) = 0\n"
		"P1: getpid() = 1000\n"
		"P1: msgsnd(q, {7, \"seven\"}, 6, 0) = 0\n"
		"# a comment between a step and its resumed line\n"
		"\n"
		"P2: <... msgrcv resumed> = 6 {7, \"seven\"}\n"
		"P2: assert(m.mtype == 7)\n";
	struct script_fixture_run r;

	script_fixture_run_stream(text, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	/* six written results and the assertion held */
	cr_assert_str_eq(strstr(r.out, "7 passed"), "7 passed, 0 failed\n");
	script_fixture_release(&r);
	same_as_whole(text);
}

Test(stream, many_sleepers_outlive_their_groups)
{
	/* 3 rounds of 40 sleepers (more than the copies kept before a sweep),
	 * then 29 left asleep: the end lists them, from their copies. */
	size_t cap = 64 * 1024, n = 0;
	char *text = malloc(cap);

	cr_assert_not_null(text);
	n += (size_t)snprintf(text + n, cap - n, "P0: q = msgget(IPC_PRIVATE, 0600)\n");
	for (int round = 0; round < 3; round++) {
		for (int i = 1; i <= 40; i++)
			n += (size_t)snprintf(text + n, cap - n, "P%d: msgrcv(q, &m%d, 64, %d, 0)\n", i, i, i);
		for (int i = 1; i <= 40; i++)
			n += (size_t)snprintf(text + n, cap - n, "P0: msgsnd(q, {%d, \"x\"}, 2, 0)\n"
			                      "P%d: <... msgrcv resumed> = 2 {%d, \"x\"}\n", i, i, i);
	}
	for (int i = 1; i < 30; i++)
		n += (size_t)snprintf(text + n, cap - n, "P%d: msgrcv(q, &m%d, 64, 999, 0)\n", i, i);
	same_as_whole(text);
	/* and a step for a sleeper: the error names the line it sleeps at */
	snprintf(text + n, cap - n, "P5: getpid()\n");
	same_as_whole(text);
	free(text);
}

Test(stream, output_lines_belong_to_their_command)
{
	same_as_whole("P1: q = msgget(0x10, IPC_CREAT | 0600) = 0\n"
	              "$ ipcs -q\n"
	              "> \n"
	              "> ------ Message Queues --------\n"
	              "> key        msqid      owner      perms      used-bytes   messages    \n"
	              "> 0x00000010 0          user       600        0            0           \n"
	              ">\n"
	              "P1: getpid()\n");
}

Test(stream, a_group_line_names_a_gid_used_before_it)
{
	/* The name a gid shows comes from every `group` line, even a later one. */
	same_as_whole("user nobody uid=65534 gid=65534\n"
	              "process P1 user=nobody\n"
	              "P1: q = msgget(IPC_PRIVATE, 0600)\n"
	              "$ ipcs -q -c\n"
	              "group nogroup gid=65534\n");
}

Test(stream, line_ends_and_malformed_files_get_the_same_diagnostic)
{
	static const char *const texts[] = {
		"",
		"\n",
		"# only a comment\n\n",
		"P1: getpid()\r\nP1: getpid()\rP1: getpid()",
		"P1: <... msgrcv resumed> = 0\n",
		"> output first\n",
		"P1: getpid()\n# comment\n> output after a comment\n",
		"P1: getpid()\nP1: nosuch(1)\nP1: getpid()\n",
		"P1: msgsnd(q, {1, \"a\"}, 2, 0)\n",
		"P1: x = getpid()\nP1: x.y = 3\n",
		"P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgrcv(q, &m, 8, 0, IPC_NOWAIT) = 0\n",
		/* resumed and ending lines spaced oddly still join their step's group */
		"P1: q = msgget(IPC_PRIVATE, 0600) = 0\nP2: msgrcv(q, &m, 64, 7, 0) <unfinished ...>\n"
		"P1: msgsnd(q, {7, \"seven\"}, 6, 0) = 0\nP2 :<... msgrcv resumed> = 6 {7, \"seven\"}\n"
		"P2: exit(0)\nP2:\t+++ exited with 0 +++\nP1: getpid()\n",
		"P1: getpid()\nP1: <= 3\n",
		"P1: getpid()\nP1: ++ 3\n",
		"P1: getpid()\n1P: <... getpid resumed> = 1\n",
	};
	/* A NUL byte anywhere wins over an earlier parse error, as script_parse
	 * looks for it first. */
	static const char nul_late[] = "P1: nosuch(1)\nP1: getpid()\nP1: get\0pid()\nP1: x\n";
	static const char nul_alone[] = "P1: getpid()\n\0\n";
	struct script_fixture_run whole, streamed;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		same_as_whole(texts[i]);
	same_as_whole_n(nul_late, sizeof(nul_late) - 1);
	same_as_whole_n(nul_alone, sizeof(nul_alone) - 1);
	run_both(nul_late, sizeof(nul_late) - 1, (size_t)-1, &whole, &streamed);
	cr_assert_str_eq(streamed.err, "t.scn:3:8: error: a NUL byte (shown as '?'): a scenario is "
	                 "a text file\nP1: get?pid()\n       ^\n");
	script_fixture_release(&whole);
	script_fixture_release(&streamed);
}
