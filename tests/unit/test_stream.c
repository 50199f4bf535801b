/*
 * test_stream.c - script_run_stream (sim/script/stream.c): a scenario run a
 * group of lines at a time prints, reports and exits exactly as the whole
 * parsed scenario does (script_parse + script_run), malformed ones too.
 * Each text runs streamed three ways: its output held in memory (the
 * default for a small file), all of it in the temporary file (nothing kept
 * in memory), and moved to the file part way (a small budget).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/script_fixture.h"

/* What the run may hold in memory, for each streamed run: the default,
 * nothing, and a budget that the output of most texts outgrows. */
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

/* Runs len bytes of text streamed from f (keep: as run_both), capturing. */
static void run_from(FILE *f, size_t keep, struct script_fixture_run *r)
{
	size_t olen = 0, elen = 0;
	struct script_options o = { 0 };

	memset(r, 0, sizeof(*r));
	o.out = open_memstream(&r->out, &olen);
	o.err = open_memstream(&r->err, &elen);
	cr_assert(o.out != NULL && o.err != NULL);
	r->status = keep == (size_t)-1 ? script_run_stream(f, "t.scn", NULL, &o, &r->stats)
	                               : script_run_stream_keep(f, "t.scn", NULL, &o, &r->stats, keep);
	fclose(o.out);
	fclose(o.err);
}

/* n lines of `P1: getpid()` and then tail, malloc'd. */
static char *getpid_lines(int n, const char *tail)
{
	size_t len = (size_t)n * 13 + strlen(tail) + 1;
	char *text = malloc(len), *p = text;

	cr_assert_not_null(text);
	for (int i = 0; i < n; i++, p += 13)
		memcpy(p, "P1: getpid()\n", 13);
	strcpy(p, tail);
	return text;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

Test(stream, a_malformed_last_line_of_a_long_file_prints_only_its_diagnostic)
{
	/* 3,000 steps run (and print, held back) before line 3,001 is read. */
	char *text = getpid_lines(3000, "P1: nosuch(1)\n");
	struct script_fixture_run whole, streamed;

	same_as_whole(text);
	run_both(text, strlen(text), (size_t)-1, &whole, &streamed);
	cr_assert_eq(streamed.status, 2);
	cr_assert_str_eq(streamed.out, "");
	cr_assert(strncmp(streamed.err, "t.scn:3001:5: error: ", 21) == 0, "%s", streamed.err);
	cr_assert_null(strstr(strstr(streamed.err, "error:") + 1, "error:"), "one diagnostic: %s",
	               streamed.err);
	script_fixture_release(&whole);
	script_fixture_release(&streamed);
	free(text);
}

Test(stream, a_runtime_stop_then_a_malformed_line_prints_only_the_diagnostic)
{
	/* P1 ends at line 2; line 3 stops the run; line 5 is malformed: the
	 * lines after the stop are still checked, and the file ran nothing. */
	static const char text[] = "P1: getpid()\nP1: exit(0)\nP1: getpid()\nP2: getpid()\n"
	                           "P2: nosuch(1)\n";
	struct script_fixture_run whole, streamed;

	same_as_whole(text);
	run_both(text, sizeof(text) - 1, (size_t)-1, &whole, &streamed);
	cr_assert_eq(streamed.status, 2);
	cr_assert_str_eq(streamed.out, "");
	cr_assert(strncmp(streamed.err, "t.scn:5:5: error: ", 18) == 0, "%s", streamed.err);
	cr_assert_null(strstr(streamed.err, "ended"), "%s", streamed.err);
	script_fixture_release(&whole);
	script_fixture_release(&streamed);
	/* without the malformed line: the steps before the stop, its error,
	 * and the summary */
	same_as_whole("P1: getpid()\nP1: exit(0)\nP1: getpid()\nP2: getpid()\n");
}

Test(stream, a_large_output_waits_in_a_temporary_file_gone_afterwards)
{
	/* 100,000 lines print 2.2 MB: more than the spool keeps in memory by
	 * default; kept 0 or 2,048 bytes, the rest goes to the file at once. */
	char dir[] = "/tmp/ipcsim-test-spool-XXXXXX";
	char *text = getpid_lines(100000, "");

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(setenv("TMPDIR", dir, 1), 0);
	same_as_whole(text);
	cr_assert_eq(entries(dir), 0, "the spool's file is left in %s", dir);
	free(text);
	/* Where no file can be made, a run that needs one says so and prints
	 * nothing; one whose output fits in memory runs. */
	cr_assert_eq(rmdir(dir), 0);
	{
		struct script_fixture_run r;
		FILE *f = tmpfile();

		cr_assert_not_null(f);
		fputs("P1: getpid()\n", f);
		rewind(f);
		run_from(f, 0, &r);
		cr_assert_eq(r.status, 2);
		cr_assert_str_eq(r.out, "");
		cr_assert_not_null(strstr(r.err, "t.scn: error: cannot hold the run's output"), "%s",
		                   r.err);
		script_fixture_release(&r);
		rewind(f);
		run_from(f, (size_t)-1, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert_str_eq(r.out, "P1: getpid() = 1000\n0 passed, 0 failed\n");
		script_fixture_release(&r);
		fclose(f);
	}
}

Test(stream, held_output_is_bounded_by_max_output)
{
	/* 100,000 steps print `P1: getpid() = 1000` and a newline: 2,000,000
	 * bytes.  Held to 100,000 bytes, the run stops at the group that passes
	 * them, before the malformed last line is read, prints nothing of it,
	 * and leaves no file behind. */
	char dir[] = "/tmp/ipcsim-test-spool-XXXXXX";
	char *text = getpid_lines(100000, "P1: nosuch(1)\n");
	struct script_limits lim = { .max_output = 100000 };
	struct script_options o = { 0 };
	struct script_fixture_run r = { 0 };
	size_t olen = 0, elen = 0;
	FILE *f = fmemopen(text, strlen(text), "r");

	cr_assert_not_null(f);
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(setenv("TMPDIR", dir, 1), 0);
	o.out = open_memstream(&r.out, &olen);
	o.err = open_memstream(&r.err, &elen);
	r.status = script_run_stream(f, "t.scn", &lim, &o, NULL);
	fclose(o.out);
	fclose(o.err);
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.out, "");
	cr_assert_str_eq(r.err, "t.scn: error: the run's output passed the limit of 100000 bytes "
	                        "(--max-output) before the file had checked; stopped\n");
	cr_assert_eq(entries(dir), 0, "the spool's file is left in %s", dir);
	script_fixture_release(&r);
	/* A limit the output stays within changes nothing: 2,000,000 bytes
	 * and the summary line. */
	text[strlen(text) - strlen("P1: nosuch(1)\n")] = '\0';
	lim.max_output = 2100000;
	rewind(f);
	fclose(f);
	f = fmemopen(text, strlen(text), "r");
	o.out = open_memstream(&r.out, &olen);
	o.err = open_memstream(&r.err, &elen);
	r.status = script_run_stream(f, "t.scn", &lim, &o, NULL);
	fclose(o.out);
	fclose(o.err);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(olen, 2000000 + strlen("0 passed, 0 failed\n"));
	cr_assert_eq(entries(dir), 0);
	script_fixture_release(&r);
	fclose(f);
	cr_assert_eq(rmdir(dir), 0);
	free(text);
}

Test(stream, a_pipe_is_read_once)
{
	/* A pipe cannot be rewound: the run reads it once. */
	static const char text[] = "P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                           "P1: msgsnd(q, {1, \"hello\"}, 6, 0) = 0\n"
	                           "P2: msgrcv(q, &m, 64, 0, 0) = 6 {1, \"hello\"}\n";
	struct script_fixture_run whole, streamed, piped;
	int fds[2];
	FILE *f;

	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(write(fds[1], text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fds[1]);
	f = fdopen(fds[0], "r");
	cr_assert_not_null(f);
	run_from(f, (size_t)-1, &piped);
	fclose(f);
	run_both(text, sizeof(text) - 1, (size_t)-1, &whole, &streamed);
	cr_assert_eq(piped.status, 0, "%s", piped.err);
	cr_assert_str_eq(piped.out, whole.out);
	cr_assert_str_eq(piped.err, "");
	script_fixture_release(&whole);
	script_fixture_release(&streamed);
	script_fixture_release(&piped);
}
