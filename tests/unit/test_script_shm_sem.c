/*
 * test_script_shm_sem.c - the scenario layer's shared-memory, semaphore and
 * memory-access calls: malformed lines refused before anything runs (bad
 * arity, bad sembuf lists, wrong struct fields, SIGSEGV expectation forms,
 * memread/store result types), and the interpreter's handling of addresses,
 * memory, SIGSEGV deaths, GETALL lists, timeouts, and record.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/script_fixture.h"

/* Inline arrays, not pointers: Criterion may run each parameter in a fresh
 * process image. */
struct bad_ipc_case {
	char text[128];
	char diag[256]; /* first line of the diagnostic, exactly */
};

static struct bad_ipc_case bad_ipc_cases[] = {
	{ "P1: shmget(IPC_PRIVATE, 4096)",
	  "t.scn:1:5: error: shmget takes 3 arguments, not 2" },
	{ "P1: shmat(1, NULL)",
	  "t.scn:1:5: error: shmat takes 3 arguments, not 2" },
	{ "P1: shmdt()",
	  "t.scn:1:5: error: shmdt takes 1 argument, not 0" },
	{ "P1: semop(1, {0, -1, 0}, 1)",
	  "t.scn:1:14: error: semop takes a list of operations: [{0, -1, SEM_UNDO}, {1, +1, 0}] (or NULL)" },
	{ "P1: semop(1, [{0}], 1)",
	  "t.scn:1:15: error: a semaphore operation is {sem_num, sem_op, sem_flg} or {sem_num=N, sem_op=N, sem_flg=FLAGS}" },
	{ "P1: semop(1, [5], 1)",
	  "t.scn:1:15: error: a semaphore operation is {sem_num, sem_op, sem_flg}" },
	{ "P1: semop(1, [{sem_num=0, sem_opp=-1}], 1)",
	  "t.scn:1:27: error: struct sembuf has no field 'sem_opp'; did you mean 'sem_op'?" },
	{ "P1: semop(1, [{0, -1, 0, 1}], 1)",
	  "t.scn:1:15: error: a semaphore operation is {sem_num, sem_op, sem_flg} or {sem_num=N, sem_op=N, sem_flg=FLAGS}" },
	{ "P1: semtimedop(1, [{0, -1, 0}], 1, \"soon\")",
	  "t.scn:1:36: error: a timeout is seconds, NULL or {tv_sec=S, tv_nsec=NS}" },
	{ "P1: semtimedop(1, [{0, -1, 0}], 1, {tv_sec=1, tv_usec=5})",
	  "t.scn:1:47: error: struct timespec has no field 'tv_usec'; did you mean 'tv_nsec'?" },
	{ "P1: semtimedop(1, [{0, -1, 0}], 1)",
	  "t.scn:1:5: error: semtimedop takes 4 arguments, not 3" },
	{ "P1: semctl(1, 0)",
	  "t.scn:1:5: error: semctl takes 3 to 4 arguments, not 2" },
	{ "P1: semctl(1, 0, SETVAL)",
	  "t.scn:1:5: error: semctl SETVAL needs its fourth argument" },
	{ "P1: semctl(1, 0, GETALL, [1, 2])",
	  "t.scn:1:26: error: this semctl command fills &name (or _, NULL)" },
	{ "P1: semctl(1, 0, SETALL, \"12\")",
	  "t.scn:1:26: error: SETALL takes the values: [1, 0, ...], a variable or NULL" },
	{ "P1: semctl(1, 0, IPC_STAT, {sem_nsems=1})",
	  "t.scn:1:28: error: this semctl command fills &name (or _, NULL)" },
	{ "P1: semctl(1, 0, IPC_SET, {sem_nsemz=1})",
	  "t.scn:1:28: error: struct semid_ds has no field 'sem_nsemz'; did you mean 'sem_nsems'?" },
	{ "P1: semctl(1, 0, GETALL, &v) = 0 {sem_nsems=1}",
	  "t.scn:1:34: error: GETALL's result is a list: = 0 [1, 0]" },
	{ "P1: semctl(1, 0, IPC_STAT, &ds) = 0 [1]",
	  "t.scn:1:37: error: this semctl command shows no list" },
	{ "P1: semctl(1, 0, IPC_STAT, &ds) = 0 {shm_nattch=1}",
	  "t.scn:1:38: error: struct semid_ds has no field 'shm_nattch'" },
	{ "P1: shmctl(1, IPC_STAT, &ds) = 0 {shm_natch=1}",
	  "t.scn:1:35: error: struct shmid_ds has no field 'shm_natch'; did you mean 'shm_nattch'?" },
	{ "P1: shmctl(1, IPC_INFO, &i) = 0 {used_ids=1}",
	  "t.scn:1:34: error: struct shminfo has no field 'used_ids'" },
	{ "P1: shmctl(1, IPC_STAT, {shm_segsz=1})",
	  "t.scn:1:25: error: a struct literal is IPC_SET's input; other commands fill &name" },
	{ "P1: shmctl(1, IPC_RMID, 5)",
	  "t.scn:1:25: error: shmctl takes &name, {fields}, _ or NULL" },
	{ "P1: shmctl(1, IPC_RMID, NULL) = 0 {shm_nattch=1}",
	  "t.scn:1:35: error: this shmctl command fills no struct" },
	{ "P1: memcpy(1, 2)",
	  "t.scn:1:15: error: memcpy copies a string: memcpy(addr, \"text\" [, n])" },
	{ "P1: memcpy(1)",
	  "t.scn:1:5: error: memcpy takes 2 to 3 arguments, not 1" },
	{ "P1: memread(1, 5) = 5",
	  "t.scn:1:19: error: memread's result is a string: = \"text\"" },
	{ "P1: memread(1, 5) = \"a\" {1, \"b\"}",
	  "t.scn:1:19: error: memread's result is a string: = \"text\"" },
	{ "P1: store(1)",
	  "t.scn:1:5: error: store takes 2 arguments, not 1" },
	{ "P1: load(1, 2)",
	  "t.scn:1:5: error: load takes 1 argument, not 2" },
	{ "P1: store(1, 2) = 0 [1]",
	  "t.scn:1:21: error: store's result has no payload" },
	{ "P1: store(1, 2) --- SIGSEGV",
	  "t.scn:1:28: error: expected '---' after the signal name, found the end of the line" },
	{ "P1: semop(1, [{0, -1, 0}], 1) = 0 {sem_op=1}",
	  "t.scn:1:35: error: semop's result has no payload" },
};

ParameterizedTestParameters(shm_sem_parser, malformed_line_is_refused)
{
	return cr_make_param_array(struct bad_ipc_case, bad_ipc_cases,
	                           sizeof(bad_ipc_cases) / sizeof(bad_ipc_cases[0]));
}

ParameterizedTest(struct bad_ipc_case *c, shm_sem_parser, malformed_line_is_refused)
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

/* ---- the interpreter ------------------------------------------------------ */

static void assert_has(const char *hay, const char *needle)
{
	cr_assert(strstr(hay, needle) != NULL, "expected \"%s\" in:\n%s", needle, hay);
}

static void run_ok(const char *text, struct script_fixture_run *r)
{
	script_fixture_run(text, r);
	cr_assert_eq(r->status, 0, "exit %d\n%s%s", r->status, r->out, r->err);
}

Test(shm_sem_interp, addresses_are_hex_values_with_arithmetic)
{
	struct script_fixture_run r;

	run_ok("P1: id = shmget(IPC_PRIVATE, 4096, 0600) = 0\n"
	       "P1: a = shmat(id, NULL, 0) = 0x7efffffff000\n"
	       "P1: store(a + 8, -5) = 0\n"
	       "P1: x = load(a + 8) = -5\n"
	       "P1: assert(x == -5)\n"
	       "P1: load(0x7efffffff008) = -5\n"
	       "P1: shmdt(a) = 0\n", &r);
	assert_has(r.out, "P1: a = shmat(id, NULL, 0) = 0x7efffffff000\n");
	assert_has(r.out, "P1: store(a + 8, -5) = 0\n");
	cr_assert_eq(r.stats.passed, 7);
	script_fixture_release(&r);
}

Test(shm_sem_interp, address_expectation_compares_all_64_bits)
{
	struct script_fixture_run r;

	script_fixture_run("P1: id = shmget(IPC_PRIVATE, 4096, 0600) = 0\n"
	                   "P1: a = shmat(id, NULL, 0) = 0x7e00fffff000\n", &r);
	cr_assert_eq(r.status, 1, "%s", r.out);
	script_fixture_release(&r);
}

Test(shm_sem_interp, memcpy_and_memread_strings)
{
	struct script_fixture_run r;

	run_ok("P1: id = shmget(IPC_PRIVATE, 4096, 0600) = 0\n"
	       "P1: a = shmat(id, NULL, 0) = ?\n"
	       "P1: memcpy(a, \"hello world\") = 0\n"
	       "P1: memcpy(a, \"HELLO\", 3) = 0\n"
	       "P1: s = memread(a, 12) = \"HELlo world\"\n"
	       "P1: assert(s == \"HELlo world\")\n"
	       "P1: memcpy(a + 2, \"x\", 4) = 0\n"
	       "P1: memread(a, 8) = \"HEx\\0\\0\\0wo\"\n"
	       "P1: memread(a, 0) = \"\"\n", &r);
	assert_has(r.out, "P1: memread(a, 8) = \"HEx\\0\\0\\0wo\"\n");
	script_fixture_release(&r);
}

Test(shm_sem_interp, memread_mismatch_is_a_failed_expectation)
{
	struct script_fixture_run r;

	script_fixture_run("P1: id = shmget(IPC_PRIVATE, 4096, 0600) = 0\n"
	                   "P1: a = shmat(id, NULL, 0) = ?\n"
	                   "P1: memcpy(a, \"abc\") = 0\n"
	                   "P1: memread(a, 3) = \"abd\"\n", &r);
	cr_assert_eq(r.status, 1);
	assert_has(r.out, "failed: expected '= \"abd\"', got '= \"abc\"'");
	script_fixture_release(&r);
}

Test(shm_sem_interp, memory_sizes_are_bounded)
{
	struct script_fixture_run r;

	script_fixture_run("P1: memread(0x1000, 2000000)\n", &r);
	cr_assert_eq(r.status, 2);
	assert_has(r.err, "memread: at most 1048576 bytes at a time");
	script_fixture_release(&r);
	script_fixture_run("P1: memcpy(0x1000, \"a\", -1)\n", &r);
	cr_assert_eq(r.status, 2);
	assert_has(r.err, "memcpy: the size must not be negative");
	script_fixture_release(&r);
}

Test(shm_sem_interp, sigsegv_kills_and_is_printed_strace_style)
{
	struct script_fixture_run r;

	run_ok("P1: id = shmget(IPC_PRIVATE, 4096, 0600) = 0\n"
	       "P1: r = shmat(id, NULL, SHM_RDONLY) = ?\n"
	       "P1: P2 = fork() = 1001\n"
	       "P2: store(r, 8) --- SIGSEGV ---\n"
	       "P2: +++ killed by SIGSEGV +++\n"
	       "P1: load(0x1000) --- SIGSEGV ---\n", &r);
	assert_has(r.out, "P2: store(r, 8) --- SIGSEGV ---\nP2: +++ killed by SIGSEGV +++\n");
	assert_has(r.out, "P1: load(0x1000) --- SIGSEGV ---\nP1: +++ killed by SIGSEGV +++\n");
	cr_assert_eq(r.stats.passed, 5);
	script_fixture_release(&r);
}

Test(shm_sem_interp, sigsegv_expected_but_not_killed_fails)
{
	struct script_fixture_run r;

	script_fixture_run("P1: id = shmget(IPC_PRIVATE, 4096, 0600) = 0\n"
	                   "P1: a = shmat(id, NULL, 0) = ?\n"
	                   "P1: store(a, 1) --- SIGSEGV ---\n"
	                   "P1: store(0x1000, 1) = 0\n", &r);
	cr_assert_eq(r.status, 1);
	assert_has(r.out, "t.scn:3:17: failed: expected '--- SIGSEGV ---', got '= 0'");
	assert_has(r.out, "t.scn:4:22: failed: expected '= 0', got '--- SIGSEGV ---'");
	script_fixture_release(&r);
}

Test(shm_sem_interp, step_of_a_segfaulted_process_is_a_runtime_error)
{
	struct script_fixture_run r;

	script_fixture_run("P1: load(0x1000) --- SIGSEGV ---\n"
	                   "P1: getpid() = 1000\n", &r);
	cr_assert_eq(r.status, 2);
	assert_has(r.err, "t.scn:2:1: error: P1 has ended (line 1)");
	script_fixture_release(&r);
}

Test(shm_sem_interp, death_is_printed_before_the_undo_wakeups_it_causes)
{
	struct script_fixture_run r;

	run_ok("P1: s = semget(IPC_PRIVATE, 1, 0600) = 0\n"
	       "P1: semctl(s, 0, SETVAL, 1) = 0\n"
	       "P1: semop(s, [{0, -1, SEM_UNDO}], 1) = 0\n"
	       "P2: semop(s, [{sem_num=0, sem_op=-1}], 1) <unfinished ...>\n"
	       "P1: load(0x1000) --- SIGSEGV ---\n"
	       "P2: <... semop resumed> = 0\n"
	       "P1: +++ killed by SIGSEGV +++\n", &r);
	assert_has(r.out, "P1: +++ killed by SIGSEGV +++\nP2: <... semop resumed> = 0\n");
	script_fixture_release(&r);
}

Test(shm_sem_interp, getall_list_binds_and_feeds_setall)
{
	struct script_fixture_run r;

	run_ok("P1: s = semget(IPC_PRIVATE, 3, 0600) = 0\n"
	       "P1: semctl(s, 0, SETALL, [4, 5]) = 0\n"
	       "P1: semctl(s, 0, GETALL, &v) = 0 [4, 5, 0]\n"
	       "P1: t = semget(IPC_PRIVATE, 3, 0600) = 1\n"
	       "P1: semctl(t, 0, SETALL, v) = 0\n"
	       "P1: semctl(t, 1, GETVAL) = 5\n"
	       "P1: semctl(t, 0, GETALL, _) = 0 [4, 5, 0]\n"
	       "P1: semctl(t, 0, GETALL, NULL) = -1 EFAULT\n", &r);
	script_fixture_release(&r);
	script_fixture_run("P1: s = semget(IPC_PRIVATE, 2, 0600) = 0\n"
	                   "P1: semctl(s, 0, GETALL, &v) = 0 [0]\n", &r);
	cr_assert_eq(r.status, 1);
	assert_has(r.out, "failed: expected '= 0 [0]', got '= 0 [0, 0]' (2 values, not 1)");
	script_fixture_release(&r);
}

Test(shm_sem_interp, sembuf_values_convert_as_c_does)
{
	struct script_fixture_run r;

	run_ok("P1: s = semget(IPC_PRIVATE, 1, 0600) = 0\n"
	       "P1: semop(s, [{-1, 1, 0}], 1) = -1 EFBIG\n"
	       "P1: semop(s, [{0, 1, 0}], 2) = -1 EFAULT\n"
	       "P1: semop(s, NULL, 1) = -1 EFAULT\n"
	       "P1: semop(s, [{0, 1, 0}, {0, 1}], 1) = 0\n"
	       "P1: semctl(s, 0, GETVAL, NULL) = 1\n"
	       "P1: semop(s, [], 0) = -1 EINVAL\n", &r);
	script_fixture_release(&r);
}

Test(shm_sem_interp, semtimedop_forms_and_expiry)
{
	struct script_fixture_run r;

	run_ok("P1: s = semget(IPC_PRIVATE, 1, 0600) = 0\n"
	       "P2: semtimedop(s, [{0, -1, 0}], 1, {0, 500000000}) <unfinished ...>\n"
	       "P3: semtimedop(s, [{0, -1, 0}], 1, NULL) <unfinished ...>\n"
	       "P1: sleep(1) = 0\n"
	       "P2: <... semtimedop resumed> = -1 EAGAIN\n"
	       "P1: semtimedop(s, [{0, -1, 0}], 1, -1) = -1 EINVAL\n"
	       "P1: semtimedop(s, [{0, +1, 0}], 1, 0) = 0\n"
	       "P3: <... semtimedop resumed> = 0\n", &r);
	script_fixture_release(&r);
}

Test(shm_sem_interp, structs_unsigned_fields_and_partial_ipc_set)
{
	struct script_fixture_run r;

	run_ok("P1: shmctl(0, IPC_INFO, &i) = 0 {shmmax=18446744073692774399, shmmni=4096}\n"
	       "P1: id = shmget(0x42, 100, IPC_CREAT | 0600) = 0\n"
	       "P1: shmctl(id, IPC_SET, {shm_perm.mode=0640}) = 0\n"
	       "P1: shmctl(id, IPC_STAT, &ds) = 0 {shm_perm={mode=0640, key=0x42}, shm_segsz=100}\n"
	       "P1: assert(ds.shm_perm.uid == 1000)\n"
	       "P1: shmctl(id, SHM_LOCK, NULL) = 0\n"
	       "P1: shmctl(id, IPC_STAT, &ds) = 0 {shm_perm={mode=02640}}\n"
	       "P1: s = semget(0x43, 1, IPC_CREAT | 0600) = 0\n"
	       "P1: semctl(s, 0, IPC_SET, {sem_perm={mode=0604}}) = 0\n"
	       "P1: semctl(s, 0, IPC_STAT, &sd) = 0 {sem_perm={mode=0604}, sem_nsems=1}\n"
	       "P1: semctl(s, 0, IPC_SET, &sd) = 0\n"
	       "P1: semctl(s, 0, SEM_INFO, &si) = 0 {semusz=1, semaem=1}\n", &r);
	assert_has(r.out, "shmmax=18446744073692774399");
	script_fixture_release(&r);
}

Test(shm_sem_interp, record_of_shm_and_sem_steps_replays_clean)
{
	struct script_fixture_run rec, again;

	script_fixture_record("P1: id = shmget(IPC_PRIVATE, 4096, 0600) = ?\n"
	                      "P1: a = shmat(id, NULL, 0)\n"
	                      "P1: memcpy(a, \"hi\")\n"
	                      "P1: memread(a, 2) = ?\n"
	                      "P1: s = semget(IPC_PRIVATE, 2, 0600)\n"
	                      "P2: semop(s, [{0, -1, SEM_UNDO}], 1)\n"
	                      "P1: semctl(s, 0, SETVAL, 1)\n"
	                      "P1: semctl(s, 0, GETALL, &v) = ?\n"
	                      "P1: store(a, 1)\n"
	                      "P1: shmdt(a)\n"
	                      "P1: load(a)\n", &rec);
	cr_assert_eq(rec.status, 0, "%s", rec.err);
	assert_has(rec.out, "P1: a = shmat(id, NULL, 0) = 0x7efffffff000\n");
	assert_has(rec.out, "P1: memread(a, 2) = \"hi\"\n");
	assert_has(rec.out, "P2: semop(s, [{0, -1, SEM_UNDO}], 1) <unfinished ...>\n");
	assert_has(rec.out, "P2: <... semop resumed> = 0\n");
	assert_has(rec.out, "P1: semctl(s, 0, GETALL, &v) = 0 [0, 0]\n");
	assert_has(rec.out, "P1: load(a) --- SIGSEGV ---\nP1: +++ killed by SIGSEGV +++\n");
	script_fixture_run(rec.out, &again);
	cr_assert_eq(again.status, 0, "%s%s", again.out, again.err);
	script_fixture_release(&again);
	script_fixture_release(&rec);
}
