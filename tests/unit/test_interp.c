/*
 * test_interp.c - the interpreter over the simulated kernel: binding rules,
 * expectation matching, resumed lines matched as a set, runtime errors,
 * and `record` giving a scenario that replays clean.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/script_fixture.h"

static void assert_has(const char *hay, const char *needle)
{
	cr_assert(strstr(hay, needle) != NULL, "expected \"%s\" in:\n%s", needle, hay);
}

Test(interp, var_binds_minus_one_on_failure)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(0x99, 0) = -1 ENOENT\n"
	                   "P1: assert(q == -1)\n", &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_eq(r.stats.passed, 2);
	script_fixture_release(&r);
}

Test(interp, addr_binds_only_on_success)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                   "P1: msgrcv(q, &m, 64, 0, IPC_NOWAIT) = -1 ENOMSG\n"
	                   "P1: assert(m.mtype == 1)\n", &r);
	cr_assert_eq(r.status, 2);
	assert_has(r.err, "t.scn:3:12: error: 'm' is not bound here");
	script_fixture_release(&r);
}

Test(interp, failed_expectation_is_reported_and_run_goes_on)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600) = 5\n"
	                   "P1: msgsnd(q, {1, \"hi\"}, 2, 0) = 0\n"
	                   "P1: msgrcv(q, &m, 64, 0, 0) = 2 {1, \"ho\"}\n", &r);
	cr_assert_eq(r.status, 1);
	assert_has(r.out, "t.scn:1:35: failed: expected '= 5', got '= 0'");
	assert_has(r.out, "t.scn:3:29: failed: expected '= 2 {1, \"ho\"}', got '= 2 {mtype=1, mtext=\"hi\"}'");
	assert_has(r.out, "1 passed, 2 failed\n");
	script_fixture_release(&r);
}

Test(interp, errno_and_strerror_text)
{
	struct script_fixture_run r;

	script_fixture_run("P1: msgget(0x1234, 0) = -1 ENOENT (any text is accepted)\n"
	                   "P1: msgget(0x1234, 0) = -1 EACCES\n", &r);
	cr_assert_eq(r.status, 1);
	assert_has(r.out, "P1: msgget(0x1234, 0) = -1 ENOENT (No such file or directory)\n");
	cr_assert_eq(r.stats.passed, 1);
	cr_assert_eq(r.stats.failed, 1);
	script_fixture_release(&r);
}

Test(interp, struct_expectation_checks_named_fields_only)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0640) = 0\n"
	                   "P1: msgsnd(q, {1, \"abc\"}, 3, 0) = 0\n"
	                   "P1: msgctl(q, IPC_STAT, &ds) = 0 {msg_perm={uid=1000, mode=0640}, msg_qnum=1, msg_cbytes=3}\n"
	                   "P1: assert(ds.msg_perm.mode == 0640)\n"
	                   "P1: msgctl(q, IPC_STAT, &ds) = 0 {msg_qnum=2}\n", &r);
	cr_assert_eq(r.status, 1, "%s", r.out);
	assert_has(r.out, "(msg_qnum is 1)");
	cr_assert_eq(r.stats.passed, 4);
	script_fixture_release(&r);
}

Test(interp, partial_ipc_set_keeps_unnamed_fields)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0640) = 0\n"
	                   "P1: msgctl(q, IPC_SET, {msg_qbytes=100}) = 0\n"
	                   "P1: msgctl(q, IPC_STAT, &ds) = 0 {msg_perm={mode=0640}, msg_qbytes=100}\n"
	                   "P1: ds.msg_perm.mode = 0600\n"
	                   "P1: msgctl(q, IPC_SET, &ds) = 0\n"
	                   "P1: msgctl(q, IPC_STAT, &ds2) = 0 {msg_perm={mode=0600}, msg_qbytes=100}\n", &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	script_fixture_release(&r);
}

Test(interp, resumed_lines_match_as_a_set)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                   "P2: msgrcv(q, &a, 64, 0, 0) <unfinished ...>\n"
	                   "P3: msgrcv(q, &b, 64, 0, 0) <unfinished ...>\n"
	                   "P1: msgctl(q, IPC_RMID, NULL) = 0\n"
	                   "P3: <... msgrcv resumed> = -1 EIDRM\n"
	                   "P2: <... msgrcv resumed> = -1 EIDRM\n", &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_eq(r.stats.passed, 6);
	script_fixture_release(&r);
}

Test(interp, resumed_binds_the_message)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                   "P2: n = msgrcv(q, &m, 64, 0, 0) <unfinished ...>\n"
	                   "P1: msgsnd(q, {42, \"yes\"}, 3, 0) = 0\n"
	                   "P2: <... msgrcv resumed> = 3 {42, \"yes\"}\n"
	                   "P2: assert(m.mtype == 42)\n"
	                   "P2: assert(n == 3)\n", &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	assert_has(r.out, "P1: msgsnd(q, {mtype=42, mtext=\"yes\"}, 3, 0) = 0\n"
	                  "P2: <... msgrcv resumed> = 3 {mtype=42, mtext=\"yes\"}\n");
	script_fixture_release(&r);
}

Test(interp, missing_resume_is_a_failed_expectation)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                   "P2: msgrcv(q, &a, 64, 5, 0) <unfinished ...>\n"
	                   "P1: msgsnd(q, {4, \"x\"}, 1, 0) = 0\n"
	                   "P2: <... msgrcv resumed> = 1 {5, \"x\"}\n", &r);
	cr_assert_eq(r.status, 1);
	assert_has(r.out, "t.scn:4:1: failed: expected this line after line 3, but P2 did not resume there");
	assert_has(r.out, "# still blocked: P2 in msgrcv (line 2)");
	script_fixture_release(&r);
}

Test(interp, step_of_blocked_process_is_a_runtime_error)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                   "P2: msgrcv(q, &a, 64, 0, 0)\n"
	                   "P3: getpid() = 1002\n"
	                   "P2: getpid()\n"
	                   "P3: getpid()\n", &r);
	cr_assert_eq(r.status, 2);
	assert_has(r.err, "t.scn:4:1: error: P2 is blocked in msgrcv since line 2");
	cr_assert(strstr(r.out, "P3: getpid()\n") == NULL);
	script_fixture_release(&r);
}

Test(interp, deadlock_is_named)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                   "P1: msgrcv(q, &a, 64, 0, 0) <unfinished ...>\n"
	                   "P2: msgrcv(q, &b, 64, 0, 0) <unfinished ...>\n"
	                   "P1: msgsnd(q, {1, \"x\"}, 1, 0)\n", &r);
	cr_assert_eq(r.status, 2);
	assert_has(r.err, "t.scn:4:1: error: deadlock: every live process is blocked");
	assert_has(r.err, "  P2: msgrcv(q, &b, 64, 0, 0) <unfinished ...>   (line 3)");
	script_fixture_release(&r);
}

Test(interp, step_of_ended_process_is_a_runtime_error)
{
	struct script_fixture_run r;

	script_fixture_run("P1: exit(0)\nP1: +++ exited with 0 +++\nP1: getpid()\n", &r);
	cr_assert_eq(r.status, 2);
	assert_has(r.err, "t.scn:3:1: error: P1 has ended (line 1)");
	script_fixture_release(&r);
}

Test(interp, pids_in_order_of_creation_with_fork)
{
	struct script_fixture_run r;

	script_fixture_run("P1: getpid() = 1000\nP1: P3 = fork() = 1001\nP2: getpid() = 1002\n"
	                   "P3: getpid() = 1001\n", &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	script_fixture_release(&r);
}

Test(interp, ftok_prints_hex_and_compares_32_bits)
{
	struct script_fixture_run r;

	script_fixture_run("file ./f inode=0x1234 dev=8:1\n"
	                   "P1: k = ftok(\"./f\", 0x81) = 0x81011234\n"
	                   "P1: ftok(\"./nope\", 1) = -1 ENOENT\n", &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	assert_has(r.out, "P1: k = ftok(\"./f\", 0x81) = 0x81011234\n");
	script_fixture_release(&r);
}

Test(interp, shell_output_is_compared)
{
	struct script_fixture_run r;

	script_fixture_run("$ ipcs -q\n>\n> ------ Message Queues --------\n"
	                   "> key        msqid      owner      perms      used-bytes   messages\n>\n"
	                   "$ ipcs -q\n> nothing\n", &r);
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	assert_has(r.out, "t.scn:6:1: failed: output line 1: expected 'nothing', got ''");
	cr_assert_eq(r.stats.passed, 1);
	script_fixture_release(&r);
}

Test(interp, record_fills_holes_and_replays_clean)
{
	struct script_fixture_run r, again;

	script_fixture_record("P1: q = msgget(IPC_PRIVATE, 0600) = ?   # the id\n"
	                      "P2: msgrcv(q, &m, 64, 0, 0)\n"
	                      "P1: msgsnd(q, {1, \"x\"}, 1, 0)\n"
	                      "$ ipcs -q\n", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_has(r.out, "P1: q = msgget(IPC_PRIVATE, 0600) = 0   # the id\n"
	                  "P2: msgrcv(q, &m, 64, 0, 0) <unfinished ...>\n"
	                  "P1: msgsnd(q, {1, \"x\"}, 1, 0) = 0\n"
	                  "P2: <... msgrcv resumed> = 1 {mtype=1, mtext=\"x\"}\n"
	                  "$ ipcs -q\n>\n> ------ Message Queues --------\n");
	script_fixture_run(r.out, &again);
	cr_assert_eq(again.status, 0, "%s%s", again.out, again.err);
	script_fixture_release(&again);
	script_fixture_release(&r);
}

Test(interp, msgsnd_size_pads_and_cuts)
{
	struct script_fixture_run r;

	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600)\n"
	                   "P1: msgsnd(q, {1, \"ab\"}, 4, 0) = 0\n"
	                   "P1: msgrcv(q, &m, 64, 0, 0) = 4 {1, \"ab\"}\n"
	                   "P1: msgsnd(q, {1, \"abcdef\"}, 2, 0) = 0\n"
	                   "P1: msgrcv(q, &m, 64, 0, 0) = 2 {1, \"ab\"}\n"
	                   "P1: msgsnd(q, {1, \"a\\0b\"}, 3, 0) = 0\n"
	                   "P1: msgrcv(q, &m, 64, 0, 0) = 3 {1, \"a\\0b\"}\n", &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	assert_has(r.out, "= 3 {mtype=1, mtext=\"a\\0b\"}");
	script_fixture_release(&r);
}

/* What on_step is handed of each step, one line per step. */
static void note_step(void *ctx, const struct script_step_info *info)
{
	fprintf(ctx, "%d %s %s %s expect=%d why=%s events=%d\n", info->step, info->kind,
	        info->call != NULL ? info->call : "-", info->result != NULL ? info->result : "-",
	        info->expect, info->why_code != NULL ? info->why_code : "-", info->nevents);
}

static int run_noted(const char *text, int quiet_steps, char **out, char **steps,
                     struct script_stats *st)
{
	size_t olen = 0, slen = 0;
	struct script_options o = { 0 };
	FILE *notes = open_memstream(steps, &slen);
	struct script *s = script_parse("t.scn", text, strlen(text), stderr);
	int rc;

	cr_assert_not_null(s);
	o.out = open_memstream(out, &olen);
	o.explain = 1;
	o.quiet_steps = quiet_steps;
	o.on_step = note_step;
	o.step_ctx = notes;
	rc = script_run(s, &o, st);
	fclose(o.out);
	fclose(notes);
	script_free(&s);
	return rc;
}

/* quiet_steps (a trace's run): no step, resumed or `# why` line is
 * formatted, while failures, the summary, results, reasons, expectation
 * checks and the exit status are those of a run without it. */
Test(interp, quiet_steps_formats_no_step_lines_and_keeps_the_rest)
{
	const char *text = "P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                   "P2: msgrcv(q, &m, 64, 0, 0) <unfinished ...>\n"
	                   "P1: msgsnd(q, {7, \"hi\"}, 2, 0) = 0\n"
	                   "P2: <... msgrcv resumed> = 2 {7, \"hi\"}\n"
	                   "P1: msgrcv(q, &m, 64, 0, IPC_NOWAIT) = 5\n";
	struct script_stats loud_st, quiet_st;
	char *loud = NULL, *loud_steps = NULL, *quiet = NULL, *quiet_steps = NULL;
	int loud_rc = run_noted(text, 0, &loud, &loud_steps, &loud_st);
	int quiet_rc = run_noted(text, 1, &quiet, &quiet_steps, &quiet_st);

	/* the run without it prints every step and the last call's reason */
	assert_has(loud, "P1: msgsnd(q, {mtype=7, mtext=\"hi\"}, 2, 0) = 0\n");
	assert_has(loud, "P2: <... msgrcv resumed> = 2 {mtype=7, mtext=\"hi\"}\n");
	assert_has(loud, "    # why (ENOMSG");
	cr_assert_eq(loud_rc, SCRIPT_EXIT_FAILED);
	cr_assert_eq(quiet_rc, loud_rc);
	cr_assert_eq(quiet_st.passed, 4);
	cr_assert_eq(quiet_st.failed, 1);
	cr_assert_eq(quiet_st.steps, loud_st.steps);
	/* the same steps reach on_step: results, checks, reasons, events */
	cr_assert_str_eq(quiet_steps, loud_steps);
	assert_has(quiet_steps, "4 call msgrcv = -1 ENOMSG (No message of desired type) "
	                        "expect=-1 why=ENOMSG.type");
	/* out holds only the failure and the summary */
	cr_assert_str_eq(quiet, "t.scn:5:38: failed: expected '= 5', got '= -1 ENOMSG "
	                        "(No message of desired type)'\n"
	                        "4 passed, 1 failed\n");
	free(loud);
	free(loud_steps);
	free(quiet);
	free(quiet_steps);
}
