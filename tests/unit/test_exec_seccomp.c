/*
 * test_exec_seccomp.c - the filter `ipcsim exec` installs, run here on
 * chosen syscalls by a small classic-BPF interpreter: every System V entry
 * point of x86_64 and of i386 (ipc(2) and the direct calls) is killed, its
 * neighbours are allowed.  The i386 half matters for 32-bit binaries, which
 * this machine's kernel may refuse to run at all, so an end-to-end test
 * cannot always reach it.  Numbers are from the kernel's syscall tables
 * (arch/x86/entry/syscalls/syscall_{64,32}.tbl), not from the filter.
 */
#include <criterion/criterion.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>

#include "exec/exec_int.h"

/* Runs prog on d the way the kernel does (only what the filter uses);
 * -1 for an instruction it does not know or a jump out of the program. */
static long run_filter(const struct sock_fprog *prog, const struct seccomp_data *d)
{
	uint32_t a = 0;

	for (unsigned pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *i = &prog->filter[pc];
		int taken;

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k + 4 > sizeof(*d))
				return -1;
			memcpy(&a, (const char *)d + i->k, 4);
			continue;
		case BPF_RET | BPF_K:
			return i->k;
		case BPF_JMP | BPF_JEQ | BPF_K: taken = a == i->k; break;
		case BPF_JMP | BPF_JGE | BPF_K: taken = a >= i->k; break;
		case BPF_JMP | BPF_JGT | BPF_K: taken = a > i->k; break;
		default:
			return -1;
		}
		pc += taken ? i->jt : i->jf;
	}
	return -1;
}

static long verdict(uint32_t arch, int nr)
{
	struct sock_fprog prog = exec_seccomp_filter();
	struct seccomp_data d = { .nr = nr, .arch = arch };

	return run_filter(&prog, &d);
}

#define KILLED SECCOMP_RET_KILL_PROCESS
#define ALLOWED SECCOMP_RET_ALLOW

Test(exec_seccomp, x86_64_sysv_calls_killed)
{
	/* shmget shmat shmctl semget semop semctl shmdt msgget msgsnd msgrcv msgctl semtimedop */
	int sysv[] = { 29, 30, 31, 64, 65, 66, 67, 68, 69, 70, 71, 220 };

	for (size_t i = 0; i < sizeof(sysv) / sizeof(sysv[0]); i++)
		cr_expect_eq(verdict(AUDIT_ARCH_X86_64, sysv[i]), KILLED, "x86_64 nr %d", sysv[i]);
}

Test(exec_seccomp, x86_64_other_calls_allowed)
{
	/* read write ... mmap, clone 56, fork 57, execve 59, kill 62, uname 63, fcntl 72,
	 * semtimedop's neighbours 219 and 221, ipc's i386 number 117 (setresuid here) */
	int other[] = { 0, 1, 9, 28, 32, 56, 57, 59, 62, 63, 72, 117, 219, 221, 399, 420 };

	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		cr_expect_eq(verdict(AUDIT_ARCH_X86_64, other[i]), ALLOWED, "x86_64 nr %d", other[i]);
}

Test(exec_seccomp, x32_calls_killed)
{
	cr_expect_eq(verdict(AUDIT_ARCH_X86_64, 0x40000000 | 68), KILLED);
	cr_expect_eq(verdict(AUDIT_ARCH_X86_64, 0x40000000 | 1), KILLED);
}

Test(exec_seccomp, i386_sysv_entry_points_killed)
{
	/* ipc(2) 117; semget 393 semctl shmget shmctl shmat shmdt msgget 399 msgsnd msgrcv
	 * msgctl 402; semtimedop_time64 420 */
	int sysv[] = { 117, 393, 394, 395, 396, 397, 398, 399, 400, 401, 402, 420 };

	for (size_t i = 0; i < sizeof(sysv) / sizeof(sysv[0]); i++)
		cr_expect_eq(verdict(AUDIT_ARCH_I386, sysv[i]), KILLED, "i386 nr %d", sysv[i]);
}

Test(exec_seccomp, i386_other_calls_allowed)
{
	/* exit 1, write 4, msgget's x86_64 number 68 (sgetmask here), 116 sysinfo,
	 * 118 fsync, 392 and 403 (around the direct calls), 419 and 421 */
	int other[] = { 1, 4, 29, 68, 116, 118, 220, 392, 403, 419, 421 };

	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		cr_expect_eq(verdict(AUDIT_ARCH_I386, other[i]), ALLOWED, "i386 nr %d", other[i]);
}
