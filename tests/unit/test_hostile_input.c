/*
 * test_hostile_input.c - bytes and numbers an autograder may be handed:
 * NUL bytes, lone CR line ends, megabyte lines, INT64_MIN, sleeps past the
 * end of the clock.  Each is a clear diagnostic or a defined result, never
 * a crash or undefined behaviour (these tests also run under ASan+UBSan,
 * where the old code overflowed a heap buffer or aborted).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/kernel.h"
#include "ipcsim/script.h"
#include "../lib/script_fixture.h"

/* Parses len bytes of text; returns the diagnostic (malloc'd, "" when it
 * parsed) and frees the script. */
static char *parse_bytes(const char *text, size_t len)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *err = open_memstream(&buf, &blen);
	struct script *s;

	cr_assert_not_null(err);
	s = script_parse("t.scn", text, len, err);
	fclose(err);
	script_free(&s);
	return buf;
}

Test(hostile, nul_byte_is_an_error_at_its_line_and_column)
{
	static const char text[] = "# ok\nshow\0x\0y";
	char *diag = parse_bytes(text, sizeof(text) - 1);

	cr_assert_str_eq(diag, "t.scn:2:5: error: a NUL byte (shown as '?'): a scenario is a "
	                       "text file\nshow?x?y\n    ^\n");
	free(diag);
}

Test(hostile, a_megabyte_of_nuls_gives_a_short_diagnostic)
{
	size_t len = 1 << 20;
	char *text = calloc(1, len);
	char *diag;

	cr_assert_not_null(text);
	diag = parse_bytes(text, len);
	cr_assert(strncmp(diag, "t.scn:1:1: error: a NUL byte", 28) == 0, "%.80s", diag);
	/* the message, a window of the line (160 bytes and "..."), the caret */
	cr_assert_lt(strlen(diag), 400u);
	free(diag);
	free(text);
}

Test(hostile, long_line_diagnostic_shows_a_window_around_the_column)
{
	char text[4200];
	char *diag, *second, *third;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text, "P1: ", 4);
	text[3000] = '$'; /* not a character of the language */
	diag = parse_bytes(text, strlen(text));
	second = strchr(diag, '\n') + 1;
	third = strchr(second, '\n') + 1;
	/* the window starts 80 bytes before column 1 at "...", and the caret
	 * sits under the '$' */
	cr_assert(strncmp(second, "...", 3) == 0);
	cr_assert_eq(third - second, 3 + 160 + 3 + 1, "window line of %td bytes", third - second);
	cr_assert_eq(second[strchr(third, '^') - third], '$');
	free(diag);
}

Test(hostile, lone_cr_ends_a_line)
{
	struct script_fixture_run r;

	/* Read as one comment before, so nothing ran and the run said 0. */
	script_fixture_run("# a comment\rP1: q = msgget(IPC_PRIVATE, 0600) = 5\r", &r);
	cr_assert_eq(r.status, SCRIPT_EXIT_FAILED, "out: %s err: %s", r.out, r.err);
	cr_assert(strstr(r.out, "t.scn:2:") != NULL, "%s", r.out);
	script_fixture_release(&r);
	script_fixture_run("# crlf\r\nP1: q = msgget(IPC_PRIVATE, 0600) = 0\r\n\r\nshow\r\n", &r);
	cr_assert_eq(r.status, SCRIPT_EXIT_OK, "%s%s", r.out, r.err);
	cr_assert_eq(r.stats.steps, 2);
	script_fixture_release(&r);
}

Test(hostile, int64_min_and_wrap_around_are_defined)
{
	struct script_fixture_run r;

	/* -9223372036854775808 is INT64_MIN; one less wraps to INT64_MAX, as
	 * 64-bit unsigned arithmetic does in C. */
	script_fixture_run("P1: assert(-9223372036854775808 < 0)\n"
	                   "P1: assert(-9223372036854775808 - 1 == 9223372036854775807)\n"
	                   "P1: assert(-(-9223372036854775808) == -9223372036854775808)\n"
	                   "P1: sleep(-9223372036854775808) = -1 EINVAL\n", &r);
	cr_assert_eq(r.status, SCRIPT_EXIT_OK, "%s%s", r.out, r.err);
	script_fixture_release(&r);
}

/* Linux's ktime_t saturates at KTIME_MAX; its last whole second is
 * 9223372036854775807 / 10^9 = 9223372036. */
Test(hostile, clock_saturates_at_ktime_sec_max)
{
	struct script_fixture_run r;

	cr_assert_eq(SIM_TIME_MAX, 9223372036L);
	script_fixture_run("P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                   "P1: sleep(10000000000) = 0\n"
	                   "P1: sleep(9223372036854775807) = 0\n"
	                   "P1: msgsnd(q, {1, \"x\"}, 1, 0) = 0\n"
	                   "P1: msgctl(q, IPC_STAT, &ds) = 0 {msg_stime=9223372036}\n", &r);
	cr_assert_eq(r.status, SCRIPT_EXIT_OK, "%s%s", r.out, r.err);
	script_fixture_release(&r);
}

Test(hostile, deadlines_saturate_instead_of_overflowing)
{
	struct script_fixture_run r;

	/* A timeout of LONG_MAX seconds never comes: before, its nanoseconds
	 * overflowed and it expired at the next sleep. */
	script_fixture_run("P1: s = semget(IPC_PRIVATE, 1, 0600) = 0\n"
	                   "T: semtimedop(s, [{0, -1, 0}], 1, {tv_sec=9223372036854775807, "
	                   "tv_nsec=999999999}) <unfinished ...>\n"
	                   "P1: sleep(100) = 0\n"
	                   "P1: semctl(s, 0, GETNCNT) = 1\n"
	                   /* an ordinary timeout still expires on time */
	                   "U: semtimedop(s, [{0, -1, 0}], 1, {tv_sec=5, tv_nsec=0}) "
	                   "<unfinished ...>\n"
	                   "P1: sleep(4) = 0\n"
	                   "P1: semctl(s, 0, GETNCNT) = 2\n"
	                   "P1: sleep(1) = 0\n"
	                   "U: <... semtimedop resumed> = -1 EAGAIN (Resource temporarily "
	                   "unavailable)\n"
	                   "P1: semctl(s, 0, GETNCNT) = 1\n", &r);
	cr_assert_eq(r.status, SCRIPT_EXIT_OK, "%s%s", r.out, r.err);
	script_fixture_release(&r);
}

/* `$` lines run only what the simulator imitates, refused before anything
 * runs: under `ipcsim check` the same line would run the real tool as the
 * scenario's user on the host. */
struct refused_case {
	char text[128];
	char diag[256]; /* first line of the diagnostic */
};

static struct refused_case refused_cases[] = {
	{ "$ sudo sysctl -w \"kernel.core_pattern=|/usr/bin/touch /tmp/x\"",
	  "t.scn:1:19: error: sysctl 'kernel.core_pattern=|/usr/bin/touch /tmp/x': only "
	  "kernel.msg*, kernel.shm* and kernel.sem* are simulated" },
	{ "$ sysctl -w fs.lease-break-time=45",
	  "t.scn:1:13: error: sysctl 'fs.lease-break-time=45': only kernel.msg*, kernel.shm* "
	  "and kernel.sem* are simulated" },
	{ "$ sysctl kernel.msgmax kernel.hostname",
	  "t.scn:1:24: error: sysctl 'kernel.hostname': only kernel.msg*, kernel.shm* and "
	  "kernel.sem* are simulated" },
	{ "$ sysctl -p /etc/sysctl.conf",
	  "t.scn:1:10: error: sysctl option '-p' is not simulated (allowed: -n -e -N -q -w -b "
	  "and their long forms)" },
	{ "$ cat /etc/shadow",
	  "t.scn:1:7: error: cat '/etc/shadow': only /proc/sysvipc/{msg,shm,sem}, "
	  "/proc/sys/kernel/{msg,shm,sem}* and /proc/PID/maps are simulated" },
	{ "$ cat /proc/1/cmdline",
	  "t.scn:1:7: error: cat '/proc/1/cmdline': only /proc/sysvipc/{msg,shm,sem}, "
	  "/proc/sys/kernel/{msg,shm,sem}* and /proc/PID/maps are simulated" },
	{ "$ cat /proc/sys/kernel/../../../etc/passwd",
	  "t.scn:1:7: error: cat '/proc/sys/kernel/../../../etc/passwd': only "
	  "/proc/sysvipc/{msg,shm,sem}, /proc/sys/kernel/{msg,shm,sem}* and /proc/PID/maps are "
	  "simulated" },
	{ "$ cat /dev/zero",
	  "t.scn:1:7: error: cat '/dev/zero': only /proc/sysvipc/{msg,shm,sem}, "
	  "/proc/sys/kernel/{msg,shm,sem}* and /proc/PID/maps are simulated" },
	{ "$ sudo ls /",
	  "t.scn:1:8: error: 'ls' is not a simulated command (a `$` line runs ipcs, ipcrm, "
	  "sysctl or cat, optionally after sudo)" },
	{ "$ ipcs -q; id",
	  "t.scn:1:3: error: pipes, redirections, command lists and substitutions are not "
	  "simulated" },
};

ParameterizedTestParameters(hostile, shell_lines_outside_the_simulation_are_refused)
{
	return cr_make_param_array(struct refused_case, refused_cases,
	                           sizeof(refused_cases) / sizeof(refused_cases[0]));
}

ParameterizedTest(struct refused_case *c, hostile, shell_lines_outside_the_simulation_are_refused)
{
	char *diag = script_fixture_parse_error(c->text);

	cr_assert_not_null(diag, "'%s' parsed", c->text);
	cr_assert_str_eq(diag, c->diag);
	free(diag);
}

Test(hostile, shell_lines_the_lessons_use_still_parse)
{
	static const char *const ok[] = {
		"$ ipcs -q", "$ sudo ipcrm -Q 0x1234", "$ sysctl kernel.msgmnb",
		"$ sudo sysctl -w kernel.msgmax=100", "$ sysctl -n kernel/sem",
		"$ cat /proc/sysvipc/msg /proc/sys/kernel/shmmax", "$ cat /proc/1000/maps",
		"$ sysctl -w kernel.shm_rmid_forced=1",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *diag = script_fixture_parse_error(ok[i]);

		cr_assert_null(diag, "'%s': %s", ok[i], diag);
	}
}
