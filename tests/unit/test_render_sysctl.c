/*
 * test_render_sysctl.c - `sysctl`, `cat /proc/...` and the shell's word
 * splitting.  Expected texts were captured with procps-ng 4.0.2, GNU cat and
 * Linux 6.x in `unshare --ipc` (as root and as uid 65534).
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../lib/render_fixture.h"

static struct sim_kernel *k;
static void setup(void) { k = render_fixture_mk(); }
static void teardown(void) { sim_kernel_free(&k); }

static void expect(unsigned uid, const char *cmd, const char *want, int want_status)
{
	int status;
	char *got = render_fixture_run(k, uid, cmd, &status);

	cr_expect_str_eq(got, want, "$ %s\n--- got ---\n%s--- want ---\n%s", cmd, got, want);
	cr_expect_eq(status, want_status, "$ %s: exit %d, want %d", cmd, status, want_status);
	free(got);
}

static long long limit(const char *name)
{
	long long v = -1;
	cr_assert_eq(sim_limit_get(k, name, &v), 0);
	return v;
}

TestSuite(sysctl, .init = setup, .fini = teardown);
TestSuite(cat, .init = setup, .fini = teardown);
TestSuite(shell, .init = setup, .fini = teardown);

Test(sysctl, reads_like_procps)
{
	expect(1000, "sysctl kernel.msgmax", "kernel.msgmax = 8192\n", 0);
	expect(1000, "sysctl kernel.sem", "kernel.sem = 32000\t1024000000\t500\t32000\n", 0);
	expect(1000, "sysctl kernel/msgmnb", "kernel.msgmnb = 16384\n", 0);
	expect(1000, "sysctl -n kernel.msgmni", "32000\n", 0);
	expect(1000, "sysctl -N kernel.msgmax", "kernel.msgmax\n", 0);
	expect(1000, "sysctl kernel.shmmax", "kernel.shmmax = 18446744073692774399\n", 0);
	expect(1000, "sysctl kernel.msgmax kernel.msgmnb",
	       "kernel.msgmax = 8192\nkernel.msgmnb = 16384\n", 0);
	expect(1000, "sysctl kernel.foo",
	       "sysctl: cannot stat /proc/sys/kernel/foo: No such file or directory\n", 1);
	expect(1000, "sysctl kernel.foo kernel.msgmax",
	       "sysctl: cannot stat /proc/sys/kernel/foo: No such file or directory\n"
	       "kernel.msgmax = 8192\n", 1);
	expect(1000, "sysctl -e kernel.foo", "", 0);
}

Test(sysctl, extensions_msgpool_msgssz)
{
	expect(0, "sysctl kernel.msgssz kernel.msgpool", "kernel.msgssz = 16\nkernel.msgpool = 0\n", 0);
	expect(0, "sysctl -w kernel.msgpool=4096", "kernel.msgpool = 4096\n", 0);
	cr_expect_eq(limit("msgpool"), 4096);
	expect(0, "sysctl -w kernel.msgssz=3",
	       "sysctl: setting key \"kernel.msgssz\": Invalid argument\n", 1);
}

Test(sysctl, writes_as_root)
{
	expect(0, "sysctl -w kernel.msgmax=100", "kernel.msgmax = 100\n", 0);
	cr_expect_eq(limit("msgmax"), 100);
	expect(0, "sysctl kernel.msgmnb=5", "kernel.msgmnb = 5\n", 0); /* '=' implies -w */
	expect(0, "sysctl -w kernel.msgmax=0100", "kernel.msgmax = 0100\n", 0);
	cr_expect_eq(limit("msgmax"), 64); /* the kernel parses base 0 */
	expect(0, "sysctl -w 'kernel.msgmax = 7'", "kernel.msgmax = 7\n", 0);
	expect(0, "sysctl -q -w kernel.msgmax=8", "", 0);
	expect(0, "sysctl -w kernel.sem=\"250 32000 32 128\"", "kernel.sem = 250 32000 32 128\n", 0);
	cr_expect_eq(limit("semmsl"), 250);
	cr_expect_eq(limit("semmni"), 128);
	expect(0, "sysctl kernel.sem", "kernel.sem = 250\t32000\t32\t128\n", 0);
	expect(0, "sysctl -w kernel.msgmni=32768", "kernel.msgmni = 32768\n", 0);
}

Test(sysctl, write_errors)
{
	expect(0, "sysctl -w kernel.msgmax=abc",
	       "sysctl: setting key \"kernel.msgmax\": Invalid argument\n", 1);
	expect(0, "sysctl -w kernel.msgmax=-5",
	       "sysctl: setting key \"kernel.msgmax\": Invalid argument\n", 1);
	expect(0, "sysctl -w kernel.msgmax=2147483648",
	       "sysctl: setting key \"kernel.msgmax\": Invalid argument\n", 1);
	expect(0, "sysctl -w kernel.msgmax=", "sysctl: setting key \"kernel.msgmax\": Invalid argument\n", 1);
	expect(0, "sysctl -w kernel.msgmni=32769",
	       "sysctl: setting key \"kernel.msgmni\": Invalid argument\n", 1);
	expect(0, "sysctl -w kernel.sem=\"1 2 3 32769\"",
	       "sysctl: setting key \"kernel.sem\": Numerical result out of range\n", 1);
	expect(0, "sysctl -w kernel.msgmax", "sysctl: command line(0): invalid syntax, continuing...\n", 1);
	expect(0, "sysctl -w kernel.foo=1",
	       "sysctl: cannot stat /proc/sys/kernel/foo: No such file or directory\n", 1);
	expect(0, "sysctl -x", "sysctl: no variables specified\n"
	                       "Try `sysctl --help' for more information.\n", 1);
	cr_expect_eq(limit("msgmax"), 8192);
	cr_expect_eq(limit("msgmni"), 32000);
}

Test(sysctl, non_root_may_not_write)
{
	expect(65534, "sysctl -w kernel.msgmax=100",
	       "sysctl: permission denied on key \"kernel.msgmax\"\n", 1);
	expect(1000, "sysctl -w kernel.msgmax=abc",
	       "sysctl: permission denied on key \"kernel.msgmax\"\n", 1);
	cr_expect_eq(limit("msgmax"), 8192);
	expect(1000, "sudo sysctl -w kernel.msgmax=100", "kernel.msgmax = 100\n", 0);
	cr_expect_eq(limit("msgmax"), 100);
}

Test(sysctl, unknown_option_prints_usage_with_status_0)
{
	int status;
	char *out = render_fixture_run(k, 0, "sysctl -Z", &status);
	cr_expect_eq(status, 0); /* procps 4.0.2 does exactly this */
	cr_expect(strncmp(out, "sysctl: invalid option -- 'Z'\n\nUsage:\n", 38) == 0, "%s", out);
	free(out);
	expect(0, "sysctl ''", "sysctl: \"\" is an unknown key\n", 255);
}

Test(sysctl, usage_without_arguments)
{
	int status;
	char *out = render_fixture_run(k, 0, "sysctl", &status);
	cr_expect_eq(status, 1);
	cr_expect(strncmp(out, "\nUsage:\n sysctl [options] [variable[=value] ...]\n", 48) == 0,
	          "%s", out);
	free(out);
}

Test(cat, proc_sysvipc_msg_matches_formats)
{
	expect(1000, "cat /proc/sysvipc/msg",
	       "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n"
	       "      4660          0   666          12          2  1000  1000     0     0     0     0 1767225600 1767225600 1767225600\n"
	       "         0          1   600           3          1  1000     0     0     0     0     0 1767225600          0 1767225600\n", 0);
}

Test(cat, shm_and_sem_are_headers_only)
{
	expect(1000, "cat /proc/sysvipc/shm",
	       "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n", 0);
	expect(1000, "cat /proc/sysvipc/sem",
	       "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n", 0);
}

Test(cat, proc_sys_kernel_files)
{
	expect(1000, "cat /proc/sys/kernel/msgmax", "8192\n", 0);
	expect(1000, "cat /proc/sys/kernel/msgmnb /proc/sys/kernel/msgmni", "16384\n32000\n", 0);
	expect(1000, "cat /proc/sys/kernel/sem", "32000\t1024000000\t500\t32000\n", 0);
	expect(1000, "cat /proc/sys/kernel/shmall", "18446744073692774399\n", 0);
	expect(1000, "cat /proc/sys/kernel/shmmni", "4096\n", 0);
	expect(1000, "cat /proc/sys/kernel/msgssz", "16\n", 0);
}

Test(cat, errors_like_gnu_cat)
{
	expect(1000, "cat /proc/foo", "cat: /proc/foo: No such file or directory\n", 1);
	expect(1000, "cat /proc/sysvipc", "cat: /proc/sysvipc: Is a directory\n", 1);
	expect(1000, "cat /proc/sys/kernel/msgmax /nonexist /proc/sys/kernel/msgmnb",
	       "8192\ncat: /nonexist: No such file or directory\n16384\n", 1);
	expect(1000, "cat", "", 0);
}

Test(shell, quoting_and_refusals)
{
	expect(0, "ipcs  '-q'  \"-i\" 1 | grep x",
	       "ipcsim: pipes, redirections, command lists and substitutions are not simulated\n", 2);
	expect(0, "ipcs -q > out", "ipcsim: pipes, redirections, command lists and substitutions are not simulated\n", 2);
	expect(0, "ipcs 'unterminated", "ipcsim: unterminated ' quote\n", 2);
	expect(0, "ls /", "ipcsim: ls: command not found (the shell knows ipcs, ipcrm, sysctl, cat)\n", 127);
	expect(0, "", "", 0);
	expect(0, "   # only a comment", "", 0);
	expect(0, "cat -n /proc/sys/kernel/msgmax", "ipcsim: cat: options are not simulated: -n\n", 2);
	/* "-i 9" is one word; strtoimax skips the blank, as in util-linux */
	expect(0, "'ipcs' \"-q\" -i\\ 9", "ipcs: id 9 not found\n", 0);
}

Test(shell, bad_input_never_crashes)
{
	static const char *const inputs[] = {
		"ipcs -i", "ipcs --", "ipcs -- -q", "ipcs ---", "ipcs -", "ipcrm -a=", "ipcrm --all=",
		"ipcrm -Q ''", "ipcrm -q ''", "ipcrm msg ''", "sysctl -w =", "sysctl -w ==",
		"sysctl ''", "sysctl -w kernel.sem=", "sysctl -w 'kernel.sem=1 2 3 4 5 6'",
		"sysctl kernel", "sysctl -a", "sysctl .", "sysctl ./", "sysctl -w kernel..msgmax=1",
		"cat ''", "cat /proc/sys/kernel/", "ipcs -q -i -1", "\"", "\\", "ipcs \"\\\"",
		"sysctl -w kernel.msgmax=99999999999999999999999", "ipcrm -q 1 2 3",
	};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		int status;
		char *out = render_fixture_run(k, 0, inputs[i], &status);
		cr_expect(status >= 0 && status <= 255, "%s -> %d", inputs[i], status);
		free(out);
	}
	char err[256];
	cr_expect_eq(sim_kernel_check(k, err, sizeof(err)), 0, "%s", err);
}

Test(shell, lines_equal_up_to_trailing_blanks)
{
	cr_expect(shell_lines_equal("0x00001234 0", "0x00001234 0   \t"));
	cr_expect(shell_lines_equal("", "  "));
	cr_expect_not(shell_lines_equal("a b", "a  b"));
	cr_expect_not(shell_lines_equal(" a", "a"));
}
