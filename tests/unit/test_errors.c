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
	/* ---- item 10: C pasted from a lecture ------------------------------- */
	{ "P1: q = msgget(IPC_PRIVATE, 0600); msgget(IPC_PRIVATE, 0600)",
	  "t.scn:1:36: error: one step per line: put what follows ';' on a line of its own" },
	{ "P1: msgget('ab', 0)",
	  "t.scn:1:12: error: a character literal holds one character: a string is written in "
	  "double quotes, as \"text\"" },
	{ "P1: msgget('', 0)",
	  "t.scn:1:12: error: empty character literal: write one character, as 'A'" },
	{ "P1: msgget('a, 0)",
	  "t.scn:1:12: error: unterminated character literal (a string is written in double "
	  "quotes: \"text\")" },
	{ "P1: msgget('\xc3\xa9', 0)",
	  "t.scn:1:12: error: a character literal holds one byte, and this character takes more "
	  "in UTF-8: write it in a string, in double quotes" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(q, {1, \"hi\"}, sizeof(\"hi\"), 0)",
	  "t.scn:2:26: error: no sizeof in a scenario: write the number of bytes (msgsnd's and "
	  "msgrcv's size counts mtext only: 6 for \"hello\" and its NUL)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(q, {1, \"hi\"}, strlen(\"hi\") + 1, 0)",
	  "t.scn:2:26: error: no strlen in a scenario: write the number of bytes (5 for "
	  "\"hello\", 6 with its NUL)" },
	{ "P1: q = msgget(ftok(\"./f\", 1), 0600)",
	  "t.scn:1:16: error: calls do not nest: make ftok a step of its own that binds its "
	  "result ('P1: x = ftok(...)'), then use x" },
	{ "P1: a = shmat(0, (void *)0, 0)",
	  "t.scn:1:18: error: no casts in a scenario: write the value alone (NULL, not (void *)0)" },
	{ "P1: int q = msgget(IPC_PRIVATE, 0600);",
	  "t.scn:1:5: error: no types in a scenario: write 'P1: q = msgget(...)' (a name holds "
	  "what its call returns)" },
	{ "P2: key_t key = ftok(\"./f\", 'A');",
	  "t.scn:1:5: error: no types in a scenario: write 'P2: key = ftok(...)' (a name holds "
	  "what its call returns)" },
	{ "P1: char *a = shmat(0, NULL, 0);",
	  "t.scn:1:5: error: no types in a scenario: write 'P1: a = shmat(...)' (a name holds "
	  "what its call returns)" },
	{ "P1: struct msgbuf m;",
	  "t.scn:1:5: error: no declarations in a scenario: a name is bound by the line that "
	  "fills it (q = msgget(...), msgrcv(q, &m, ...)); leave this line out" },
	{ "int q = msgget(IPC_PRIVATE, 0600);",
	  "t.scn:1:1: error: no types in a scenario: write 'P1: q = msgget(...)' (a name holds "
	  "what its call returns)" },
	{ "q = msgget(IPC_PRIVATE, 0600);",
	  "t.scn:1:1: error: a step starts with the process that makes the call: write "
	  "'P1: q = msgget(...)'" },
	{ "msgget(IPC_PRIVATE, 0600);",
	  "t.scn:1:1: error: a step starts with the process that makes the call: write "
	  "'P1: msgget(...)'" },
	{ "P1: msgget(IPC_PRIVATE, 0600) // make a queue",
	  "t.scn:1:31: error: comments start with '#' (not // or /* */)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(q, {1, \xe2\x80\x9chi\xe2\x80\x9d}, 3, 0)",
	  "t.scn:2:19: error: a typographic quote: strings use plain double quotes, \"text\"" },
	{ "P1: msgrcv(0, _, 64, \xe2\x80\x93""1, 0)",
	  "t.scn:1:22: error: a typographic dash: write a plain minus, -" },
	{ "P1: msgget(1, 0) @",
	  "t.scn:1:18: error: unexpected character '@'" },
	/* ---- item 11: the message says what to write -------------------- */
	{ "P1: q = msgget(IPC_PRIVATE, IPC_CREAT | IPC_EXCL | 0600) = EEXIST",
	  "t.scn:1:60: error: errors are written '= -1 EEXIST' (the call returns -1 and sets "
	  "errno)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgrcv(q, m, 64, 0, IPC_NOWAIT)",
	  "t.scn:2:15: error: 'm' is used before any line binds it; did you mean '&m'? (msgrcv "
	  "fills it through its address)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgctl(q, IPC_STAT, ds)",
	  "t.scn:2:25: error: 'ds' is used before any line binds it; did you mean '&ds'? (msgctl "
	  "fills it through its address)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgctl(q, IPC_STAT, &m)\nP1: msgrcv(q, m, 64, 0, 0)",
	  "t.scn:3:15: error: msgrcv receives into &name, _ or NULL; did you mean '&m'?" },
	{ "P1: q = msgsend(1, {1, \"a\"}, 2, 0)",
	  "t.scn:1:9: error: unknown call 'msgsend'; did you mean 'msgsnd'?" },
	{ "P1: q = msgget(IPC_PRIVATE, IPC_CRAET | 0600)",
	  "t.scn:1:29: error: unknown constant 'IPC_CRAET'; did you mean 'IPC_CREAT'?" },
	{ "P1: q = msgget(IPC_PRIVATE, ipc_creat | 0600)",
	  "t.scn:1:29: error: 'ipc_creat' is used before any line binds it; did you mean "
	  "'IPC_CREAT'?" },
	{ "P1: kill(P1, SIGKIL)",
	  "t.scn:1:14: error: unknown constant 'SIGKIL'; did you mean 'SIGKILL'?" },
	{ "limit msgmaxx=100",
	  "t.scn:1:7: error: unknown limit 'msgmaxx'; did you mean 'msgmax'?" },
	{ "P1: key = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(kye, {1, \"a\"}, 2, 0)",
	  "t.scn:2:12: error: 'kye' is used before any line binds it; did you mean 'key'?" },
	{ "P1: msgget(IPC_PRIVATE, 0600) = -1 EEXISTS",
	  "t.scn:1:36: error: unknown errno name 'EEXISTS'; did you mean 'EEXIST'?" },
	{ "P1: msgget(IPC_PRIVATE, 0600) --- SIGSEV ---",
	  "t.scn:1:35: error: expected a signal name after '---'; did you mean 'SIGSEGV'?" },
	{ "P2: <... msgrvc resumed> = 0",
	  "t.scn:1:10: error: unknown call 'msgrvc'; did you mean 'msgrcv'?" },
	{ "P1: frobnicate(1)",
	  "t.scn:1:5: error: unknown call 'frobnicate'" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgctl(q, IPC_STAT, &ds) = 0 {msg_perm={moed=0600}}",
	  "t.scn:2:45: error: struct msqid_ds has no field 'msg_perm.moed'; did you mean 'mode'?" },
	/* ---- item 12: values of the wrong kind, before anything runs ----- */
	{ "P1: id = shmget(IPC_PRIVATE, 4096, 0600) = 0\nP1: buf = shmat(id, NULL, 0)\n"
	  "P1: store(buf, \"hello\")",
	  "t.scn:3:16: error: store's argument 2 must be an integer, not a string: store writes one "
	  "word; to copy text, memcpy(addr, \"text\")" },
	{ "file ./p inode=1 dev=8:1\nP1: getpid()\nP1: k = ftok(\"./p\", \"Q\")",
	  "t.scn:3:21: error: ftok's argument 2 must be an integer, not a string: a character is "
	  "written in single quotes, 'Q' (81)" },
	{ "P1: k = ftok(\"./p\", 1)\nP1: ftok(k, 1)",
	  "t.scn:2:10: error: ftok's argument 1 is a string (\"text\"), not an integer ('k' "
	  "holds an integer)" },
	{ "P1: a = shmat(0, NULL, 0)\nP1: s = memread(a, 4)\nP1: q = msgget(s, 0600)",
	  "t.scn:3:16: error: msgget's argument 1 must be an integer, not a string ('s' holds a "
	  "string)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(q, {1, 'a'}, 2, 0)",
	  "t.scn:2:19: error: mtext is a string in double quotes (\"a\"), not an integer" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(q, {\"a\", \"b\"}, 2, 0)",
	  "t.scn:2:16: error: mtype is an integer, not a string" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(q, q, 2, 0)",
	  "t.scn:2:15: error: msgsnd sends a message ('q' holds an integer)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(q, {1, SIG_IGN}, 2, 0)",
	  "t.scn:2:19: error: 'SIG_IGN' is only meaningful as signal()'s handler" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600) = \"0\"",
	  "t.scn:1:37: error: msgget returns an integer, not a string" },
	{ "P1: q = msgget(_, 0600)",
	  "t.scn:1:16: error: msgget's argument 1 must be an integer, not '_' (a result thrown away, "
	  "not a value)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgrcv(q, &m, 64, 0, IPC_NOWAIT)\n"
	  "P1: assert(m.mtext == 1)",
	  "t.scn:3:12: error: '==' needs integers on both sides, not a string" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgrcv(q, &m, 64, 0, IPC_NOWAIT)\n"
	  "P1: assert(m.mtext < \"b\")",
	  "t.scn:3:12: error: only == and != compare texts" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgrcv(q, &m, 64, 0, IPC_NOWAIT)\n"
	  "P1: sleep(m)",
	  "t.scn:3:11: error: sleep's argument 1 must be an integer, not a message ('m' holds a "
	  "message)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: q.msg_qbytes = 1",
	  "t.scn:2:5: error: 'q' holds an integer: only a struct's or a message's fields can be "
	  "set" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgctl(q, IPC_STAT, &ds)\n"
	  "P1: ds.msg_qbytes = \"many\"",
	  "t.scn:3:21: error: a field is an integer, not a string" },
	{ "P1: s = semget(IPC_PRIVATE, 1, 0600)\nP1: semop(s, [{0, \"-1\", 0}], 1)",
	  "t.scn:2:19: error: a semaphore operation's fields are integers, not a string" },
	{ "P1: s = semget(IPC_PRIVATE, 2, 0600)\nP1: semctl(s, 0, SETALL, [1, \"0\"])",
	  "t.scn:2:30: error: SETALL's values are integers, not a string" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgget(q + \"1\", 0)",
	  "t.scn:2:16: error: '+' needs integers on both sides, not a string" },
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

/* What is harmless in C is accepted: a `;` ending a step (after the call,
 * after its result, after a field assignment or a directive), and a
 * character literal, which is its byte's value as in C. */
Test(errors, a_final_semicolon_and_character_literals_are_accepted)
{
	struct script_fixture_run r;

	script_fixture_run("file ./f inode=0x1234 dev=8:1;\n"
	                   "P1: k = ftok(\"./f\", 'A');\n"
	                   "P1: assert(k == 0x41011234);\n"
	                   "P1: q = msgget(k, IPC_CREAT | 0600); = 0\n"
	                   "P1: msgsnd(q, {'\\n', \"x\"}, 2, 0) = 0;   # mtype 10\n"
	                   "P1: msgrcv(q, &m, 64, 0, 0) = 2 {10, \"x\"};\n"
	                   "P1: msgctl(q, IPC_STAT, &ds);\n"
	                   "P1: ds.msg_qbytes = 100;\n"
	                   "P1: assert('a' == 97)\n"
	                   "P1: assert('\\xff' == 255)\n"
	                   "P1: assert('\\'' == 39)\n", &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.err, "");
	cr_assert(strstr(r.out, "P1: k = ftok(\"./f\", 'A') = 0x41011234\n") != NULL, "%s", r.out);
	cr_assert_eq(r.stats.passed, 7, "%s", r.out);
	script_fixture_release(&r);
}

/* The answer key keeps the `;` and the character literal, and replays. */
Test(errors, the_record_of_c_style_lines_replays)
{
	struct script_fixture_run r, replay;

	script_fixture_record("P1: q = msgget(IPC_PRIVATE, 0600);\n"
	                      "P1: msgsnd(q, {'a', \"x\"}, 2, 0); = ?\n"
	                      "P1: msgrcv(q, &m, 64, 0, 0) = 5;\n", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "P1: q = msgget(IPC_PRIVATE, 0600) = 0;\n"
	                        "P1: msgsnd(q, {'a', \"x\"}, 2, 0); = 0\n"
	                        "P1: msgrcv(q, &m, 64, 0, 0) = 2 {mtype=97, mtext=\"x\"};\n");
	script_fixture_run(r.out, &replay);
	cr_assert_eq(replay.status, 0, "%s%s", replay.out, replay.err);
	cr_assert_eq(replay.stats.passed, 3);
	script_fixture_release(&replay);
	script_fixture_release(&r);
}

/* Names that differ only in case are two names: a warning, and the run
 * goes on (exit 0). */
Test(errors, names_differing_only_in_case_warn)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600)\n"
	                   "p1: getpid()\n"
	                   "P1: Q = getpid()\n", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "t.scn:2:1: warning: 'p1' and 'P1' (line 1) differ only in case: "
	                        "they are two different names\n"
	                        "p1: getpid()\n"
	                        "^\n"
	                        "t.scn:3:5: warning: 'Q' and 'q' (line 1) differ only in case: "
	                        "they are two different names\n"
	                        "P1: Q = getpid()\n"
	                        "    ^\n");
	cr_assert(strstr(r.out, "p1: getpid() = 1001\n") != NULL, "%s", r.out);
	script_fixture_release(&r);
}

/* Case twins among thousands of names: each one is found (the earliest name
 * of the same kind that folds alike is the one named), a rebinding or a
 * variable and a process alike in case are not twins. */
Test(errors, case_twins_among_many_names)
{
	enum { N = 5000 };
	struct script_fixture_run r;
	char *text = NULL, *want = NULL;
	size_t tlen = 0, wlen = 0;
	FILE *t = open_memstream(&text, &tlen), *w = open_memstream(&want, &wlen);

	cr_assert(t != NULL && w != NULL);
	for (int i = 0; i < N; i++) /* v0..v4999 on lines 1..5000 */
		fprintf(t, "P1: v%d = getpid()\n", i);
	fputs("P1: V17 = getpid()\n"  /* N+1: twin of v17, line 18 */
	      "P1: ab = getpid()\n"   /* N+2 */
	      "P1: AB = getpid()\n"   /* N+3: twin of ab */
	      "P1: Ab = getpid()\n"   /* N+4: twin of ab, the first of the three */
	      "P1: V17 = getpid()\n"  /* N+5: bound already: no warning */
	      "p2: getpid()\n"        /* N+6 */
	      "P2: getpid()\n"        /* N+7: twin of process p2 */
	      "P1: s = getpid()\n"    /* N+8 */
	      "S: getpid()\n", t);    /* N+9: a process, s a variable: no warning */
	fclose(t);
	fprintf(w, "t.scn:%d:5: warning: 'V17' and 'v17' (line 18) differ only in case: they are "
	        "two different names\nP1: V17 = getpid()\n    ^\n", N + 1);
	fprintf(w, "t.scn:%d:5: warning: 'AB' and 'ab' (line %d) differ only in case: they are "
	        "two different names\nP1: AB = getpid()\n    ^\n", N + 3, N + 2);
	fprintf(w, "t.scn:%d:5: warning: 'Ab' and 'ab' (line %d) differ only in case: they are "
	        "two different names\nP1: Ab = getpid()\n    ^\n", N + 4, N + 2);
	fprintf(w, "t.scn:%d:1: warning: 'P2' and 'p2' (line %d) differ only in case: they are "
	        "two different names\nP2: getpid()\n^\n", N + 7, N + 6);
	fclose(w);
	script_fixture_run(text, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, want);
	script_fixture_release(&r);
	free(text);
	free(want);
}

Test(errors, suggestions_are_typos_not_guesses)
{
	struct script_fixture_run r;

	/* Short names are near everything: no suggestion for them. */
	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(m, {1, \"a\"}, 2, 0)\n", &r);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "'m' is used before any line binds it\n") != NULL, "%s", r.err);
	script_fixture_release(&r);
	script_fixture_run("limit msgfoo=1\n", &r);
	cr_assert(strstr(r.err, "did you mean") == NULL, "%s", r.err);
	script_fixture_release(&r);
}

/* The kinds are inferred, never guessed: what a run accepts still parses
 * (a name bound with two kinds, a message variable sent again, fields). */
Test(errors, what_runs_is_not_refused)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                   "P1: msgsnd(q, {1, \"hi\"}, 3, 0) = 0\n"
	                   "P1: msgrcv(q, &m, 64, 0, 0) = 3 {1, \"hi\"}\n"
	                   "P1: msgsnd(q, m, 3, 0) = 0\n"
	                   "P1: m.mtype = 7\n"
	                   "P1: m.mtext = \"yo\"\n"
	                   "P1: assert(m.mtext == \"yo\")\n"
	                   "P1: assert(m.mtype + 1 == 8)\n"
	                   "P1: msgctl(q, IPC_STAT, &ds) = 0 {msg_qnum=1}\n"
	                   "P1: ds.msg_qbytes = ds.msg_qbytes - 1\n"
	                   "P1: msgctl(q, IPC_SET, &ds) = 0\n"
	                   "P1: x = getpid()\n"
	                   "P1: msgrcv(q, &x, 64, 0, 0) = 3\n"
	                   "P1: kill(P1, 0) = 0\n", &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	script_fixture_release(&r);
}

/* ---- item 16: the repl names who can run, and `j N` runs up to line N --- */

#include "ipcsim/session.h"

struct fed {
	int rc;
	char *out, *err;
};

static struct fed feed(struct script_session *ss, const char *line)
{
	struct fed f = { 0 };
	size_t olen = 0, elen = 0;
	FILE *out = open_memstream(&f.out, &olen), *err = open_memstream(&f.err, &elen);

	f.rc = script_session_feed(ss, line, out, err, 0);
	fclose(out);
	fclose(err);
	return f;
}

static void fed_free(struct fed *f)
{
	free(f->out);
	free(f->err);
}

Test(errors, repl_moves_off_a_blocked_process_and_says_so)
{
	struct script_session *ss = script_session_new("<repl>");
	struct fed f;

	fed_free((f = feed(ss, "q = msgget(IPC_PRIVATE, 0600)"), &f));
	f = feed(ss, "P2: msgrcv(q, &m, 64, 0, 0)");
	cr_assert_eq(f.rc, 0, "%s", f.err);
	cr_assert_str_eq(f.out, "P2: msgrcv(q, &m, 64, 0, 0) <unfinished ...>\n"
	                        "# P2 is blocked: a line without a prefix now runs as P1\n");
	fed_free(&f);
	cr_assert_str_eq(script_session_proc(ss), "P1");
	cr_assert_null(script_session_proc_state(ss));
	f = feed(ss, "msgsnd(q, {1, \"hi\"}, 3, 0)");
	cr_assert_eq(f.rc, 0, "%s", f.err);
	cr_assert(strstr(f.out, "P2: <... msgrcv resumed> = 3") != NULL, "%s", f.out);
	fed_free(&f);
	script_session_free(&ss);
}

Test(errors, repl_with_no_runnable_process_says_so_in_the_prompt_state)
{
	struct script_session *ss = script_session_new("<repl>");
	struct fed f;

	fed_free((f = feed(ss, "q = msgget(IPC_PRIVATE, 0600)"), &f));
	fed_free((f = feed(ss, "P2: msgrcv(q, &m, 64, 0, 0)"), &f));
	f = feed(ss, "msgrcv(q, &m, 64, 0, 0)");
	cr_assert_str_eq(f.out, "P1: msgrcv(q, &m, 64, 0, 0) <unfinished ...>\n"
	                        "# P1 is blocked and no process named so far can run: start "
	                        "another, as 'P3: getpid()'\n");
	fed_free(&f);
	cr_assert_str_eq(script_session_proc(ss), "P1");
	cr_assert_str_eq(script_session_proc_state(ss), "blocked");
	script_session_free(&ss);
}

/* A step addressed to a blocked process names those that can run, with
 * the line to write (in a file as in the repl). */
Test(errors, a_blocked_process_error_names_who_can_run)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600)\n"
	                   "P2: msgrcv(q, &m, 64, 0, 0)\n"
	                   "P3: getpid()\n"
	                   "P2: msgsnd(q, {1, \"x\"}, 2, 0)\n", &r);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "t.scn:4:1: error: P2 is blocked in msgrcv since line 2; P1, P3 "
	                        "can run: 'P1: msgsnd(q, {mtype=1, mtext=\"x\"}, 2, 0)'\n") != NULL,
	          "%s", r.err);
	script_fixture_release(&r);
}

Test(errors, jump_runs_up_to_and_including_the_line)
{
	static const char text[] =
		"# a comment\n"                          /* 1 */
		"P1: q = msgget(IPC_PRIVATE, 0600)\n"    /* 2: step 1 */
		"# another\n"                            /* 3 */
		"\n"                                     /* 4 */
		"P1: getpid()\n"                         /* 5: step 2 */
		"P1: getpid()\n";                        /* 6: step 3 */
	struct script *s = script_parse("t.scn", text, strlen(text), stderr);
	struct script_stepper *sp = script_stepper_new(s);

	cr_assert_eq(script_stepper_step_upto_line(sp, 1), 0); /* before the first: the start */
	cr_assert_eq(script_stepper_step_upto_line(sp, 2), 1);
	cr_assert_eq(script_stepper_step_upto_line(sp, 3), 1); /* a comment: the step before */
	cr_assert_eq(script_stepper_step_upto_line(sp, 4), 1); /* a blank line */
	cr_assert_eq(script_stepper_step_upto_line(sp, 5), 2);
	cr_assert_eq(script_stepper_step_upto_line(sp, 6), 3);
	script_stepper_free(&sp);
	script_free(&s);
}
