/*
 * test_parser.c - malformed scenarios: each is refused before anything
 * runs, with exactly one diagnostic FILE:LINE:COL: error: MESSAGE, the
 * source line and a caret, and exit status 2.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/script_fixture.h"

/* Inline arrays, not pointers: Criterion may run each parameter in a fresh
 * process image, where pointers into the parent's memory mean nothing. */
struct bad_case {
	char text[128];
	char diag[256]; /* first line of the diagnostic, exactly */
};

static struct bad_case bad_cases[] = {
	{ "P1: frobnicate(1)",
	  "t.scn:1:5: error: unknown call 'frobnicate'" },
	{ "P1: msgget(IPC_PRIVATE, IPC_CREATE)",
	  "t.scn:1:25: error: unknown constant 'IPC_CREATE'; did you mean 'IPC_CREAT'?" },
	{ "P1: msgget(IPC_PRIVATE)",
	  "t.scn:1:5: error: msgget takes 2 arguments, not 1" },
	{ "P1: msgsnd(q, {1, \"x\"}, 1, 0)",
	  "t.scn:1:12: error: 'q' is used before any line binds it" },
	{ "P1: ftok(\"unterminated, 1)",
	  "t.scn:1:10: error: unterminated string" },
	{ "> hello",
	  "t.scn:1:1: error: '>' output line without a preceding '$' command" },
	{ "limit msgfoo=1",
	  "t.scn:1:7: error: unknown limit 'msgfoo' (known: msgmax msgmnb msgmni shmmax shmall shmmni semmsl semmns semopm semmni msgpool msgssz)" },
	{ "process P2 user=alice",
	  "t.scn:1:17: error: unknown user 'alice' (declare it: user alice uid=N gid=N)" },
	{ "P1: shmget(IPC_PRIVATE, 4096)",
	  "t.scn:1:5: error: shmget takes 3 arguments, not 2" },
	{ "P1: msgget(IPC_PRIVATE, 0600) = -1 EFOO",
	  "t.scn:1:36: error: unknown errno name 'EFOO'" },
	{ "P1: msgget(IPC_PRIVATE, 0600) =",
	  "t.scn:1:32: error: expected a result after '=' (use '= ?' for a hole)" },
	{ "P1: msgget(IPC_PRIVATE, 0600) garbage",
	  "t.scn:1:31: error: expected '= result', '<unfinished ...>' or the end of the line after the call, found 'garbage'" },
	{ "P1 msgget(IPC_PRIVATE, 0600)",
	  "t.scn:1:1: error: expected a step 'P1: call(...)', a '$' command or a directive (limit, file, user, group, process, show)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600",
	  "t.scn:1:33: error: expected ')' to close the argument list, found the end of the line" },
	{ "P1: fork()",
	  "t.scn:1:5: error: name the child: 'P1: P3 = fork()'" },
	{ "P1: signal(SIGUSR1, 5)",
	  "t.scn:1:21: error: signal's handler is handler, SIG_IGN or SIG_DFL" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgrcv(q, m, 64, 0, 0)",
	  "t.scn:2:15: error: 'm' is used before any line binds it; did you mean '&m'? (msgrcv "
	  "fills it through its address)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgctl(q, IPC_STAT, &ds) = 0 {msg_qnumm=1}",
	  "t.scn:2:35: error: struct msqid_ds has no field 'msg_qnumm'; did you mean 'msg_qnum'?" },
	{ "P1: ds.msg_qnum = 3",
	  "t.scn:1:5: error: 'ds' is not a bound variable" },
	{ "P2: <... msgrcv resumed> = 0",
	  "t.scn:1:1: error: 'P2' is not a process here" },
	{ "P1: msgget(IPC_PRIVATE, 0600)\nP1: +++ exited with 300 +++",
	  "t.scn:2:21: error: expected an exit status from 0 to 255" },
	{ "file ./f inode=1",
	  "t.scn:1:1: error: file needs inode=N and dev=MAJ:MIN" },
	{ "user bob uid=5",
	  "t.scn:1:1: error: user needs uid=N and gid=N" },
	{ "P1: msgget(09, 0)",
	  "t.scn:1:12: error: bad octal integer" },
	{ "P1: msgsnd(1, {1, \"a\\q\"}, 1, 0)",
	  "t.scn:1:21: error: bad escape in string (use \\n \\t \\0 \\\\ \\\" \\xHH)" },
	{ "P1: q = msgget(IPC_PRIVATE, 0600)\nP1: q2 = msgget(IPC_PRIVATE, 0600) <unfinished",
	  "t.scn:2:47: error: expected '...' in '<unfinished ...>', found the end of the line" },
	{ "P1: assert(1)",
	  "t.scn:1:13: error: assert needs a comparison: a == b, !=, <, <=, >, >=" },
	{ "P1: x = getpid()\nP1: x = fork()",
	  "t.scn:2:5: error: 'x' already names a variable (line 1)" },
	{ "P1: msgget(IPC_PRIVATE, 0600) --- SIGFOO ---",
	  "t.scn:1:35: error: expected a signal name after '---'" },
	{ "$",
	  "t.scn:1:2: error: expected a command after '$'" },
	{ "$ ipcs\n>oops",
	  "t.scn:2:2: error: expected a blank after '>'" },
	{ "process P1 caps=CAP_FLY",
	  "t.scn:1:17: error: unknown capability 'CAP_FLY'" },
	{ "P1: q = msgget(0, 0)\nP1: msgctl(q, IPC_STAT, {msg_qnum=1})",
	  "t.scn:2:25: error: a struct literal is IPC_SET's input; other commands fill &name" },
	{ "P1: msgget('ab', 0)",
	  "t.scn:1:12: error: a character literal holds one character: a string is written in "
	  "double quotes, as \"text\"" }
};

ParameterizedTestParameters(parser, malformed_line_is_refused)
{
	return cr_make_param_array(struct bad_case, bad_cases,
	                           sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(struct bad_case *c, parser, malformed_line_is_refused)
{
	char *diag = script_fixture_parse_error(c->text);
	struct script_fixture_run r;

	cr_assert_not_null(diag, "parsed: %s", c->text);
	cr_assert_str_eq(diag, c->diag, "for %s", c->text);
	free(diag);
	script_fixture_run(c->text, &r);
	cr_assert_eq(r.status, 2, "exit status %d for %s", r.status, c->text);
	cr_assert_str_eq(r.out, "", "something ran for %s: %s", c->text, r.out);
	script_fixture_release(&r);
}

Test(parser, diagnostic_has_source_line_and_caret)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(q, {1, \"x\"}, 1, BOGUS_FLAG)\n", &r);
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "t.scn:2:28: error: unknown constant 'BOGUS_FLAG'\n"
	                        "P1: msgsnd(q, {1, \"x\"}, 1, BOGUS_FLAG)\n"
	                        "                           ^\n");
	script_fixture_release(&r);
}

/* Hostile input (an autograder's worst submission): deep nesting and huge
 * expressions are refused with an error, never a stack overflow. */
Test(parser, deep_nesting_and_huge_expressions_are_refused)
{
	struct script_fixture_run r;
	char text[64 * 1024];
	size_t n = 0;

	n += (size_t)snprintf(text + n, sizeof(text) - n, "P1: assert(");
	for (int i = 0; i < 5000; i++)
		text[n++] = '{';
	text[n] = '\0';
	script_fixture_run(text, &r);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "t.scn:1:44: error: nested too deeply (more than 32 levels)") != NULL,
	          "%s", r.err);
	script_fixture_release(&r);

	n = (size_t)snprintf(text, sizeof(text), "P1: assert(1");
	for (int i = 0; i < 5000; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "+1");
	snprintf(text + n, sizeof(text) - n, " == 5001)\n");
	script_fixture_run(text, &r);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "error: expression too large (more than 4096 parts on one line)") != NULL,
	          "%s", r.err);
	script_fixture_release(&r);
}

Test(parser, bad_line_after_good_lines_runs_nothing)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600) = 0\nP1: a = shmat(1, NULL)\n", &r);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "t.scn:2:9: error: shmat takes 3 arguments, not 2") != NULL,
	          "%s", r.err);
	cr_assert_str_eq(r.out, "");
	script_fixture_release(&r);
}

Test(parser, every_line_form_parses)
{
	static const char text[] =
		"# comment\n"
		"\n"
		"file ./myfile inode=0x1234 dev=8:1   # trailing comment\n"
		"file \"/tmp/x y\" inode=7 dev=0:5\n"
		"user alice uid=1001 gid=1001 default\n"
		"group staff gid=50\n"
		"process P1 user=alice caps=none\n"
		"process R uid=0 gid=0 caps=CAP_IPC_OWNER,CAP_SYS_RESOURCE\n"
		"limit msgmnb=100\n"
		"limit msgpool=-1\n"
		"P1: key = ftok(\"./myfile\", 65) = 0x41011234\n"
		"P1: q = msgget(key, IPC_CREAT | IPC_EXCL | 0666) = 0\n"
		"P1: msgsnd(q, {mtype=300, mtext=\"a\\n\\t\\0\\\\\\\"\\x41\"}, +2, 0) = 0\n"
		"P1: msgrcv(q, &m, 512, -300, IPC_NOWAIT | MSG_NOERROR) = 2 {300, \"a\\n\"}\n"
		"P1: msgrcv(q, _, 512, 0, 0) = -1 ENOMSG (No message of desired type)\n"
		"P1: msgctl(q, IPC_STAT, &ds) = 0 {msg_perm={uid=1000, mode=0600}, msg_qnum=2}\n"
		"P1: ds.msg_perm.mode = 0600\n"
		"P1: msgctl(q, IPC_SET, &ds) = ?\n"
		"P1: msgctl(q, IPC_SET, {msg_perm.mode=0600, msg_qbytes=100})\n"
		"P1: msgctl(q, MSG_INFO, &info) = 0 {msgmax=8192}\n"
		"P1: assert(m.mtype + 1 >= ds.msg_perm.mode - 5)\n"
		"P1: assert(m.mtext == \"a\")\n"
		"P2: msgrcv(q, &m2, 512, 7, 0) <unfinished ...>\n"
		"P1: msgsnd(q, m, 2, 0) = 0\n"
		"P2: <... msgrcv resumed> = 2 {7, \"x\"}\n"
		"P1: P3 = fork() = 1002\n"
		"P3: signal(SIGUSR1, handler) = 0\n"
		"P1: kill(P3, SIGKILL) = 0\n"
		"P3: +++ killed by SIGKILL +++\n"
		"P1: exit(0)\n"
		"P1: +++ exited with 0 +++\n"
		"P4: sleep(3) = 0\n"
		"P4: getpid() = ?\n"
		"$ ipcs -q\n"
		"> \n"
		">\n"
		"> ------ Message Queues --------\n"
		"$ sudo ipcrm -q 0   # as root\n"
		"show\n";
	char *diag = script_fixture_parse_error(text);

	cr_assert_null(diag, "%s", diag);
}
