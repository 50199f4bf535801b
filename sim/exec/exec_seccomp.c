/*
 * exec_seccomp.c - nothing reaches the real kernel unnoticed: every process
 * `ipcsim exec` starts inherits this filter, which kills a process making a
 * real System V IPC syscall (SIGSYS) instead of letting it through.  The
 * preload library makes none; a static binary, a raw syscall(), a program
 * the loader did not preload (set-uid) or a 32-bit binary would, and the
 * report names the death.  Any other architecture than x86_64's is stopped
 * on its ipc syscalls as well (i386's ipc(2) and its direct calls).
 */
#include <errno.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "exec/exec_int.h"

#define KILL BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
/* Kill when the syscall number is nr (the next instruction is the kill). */
#define KILL_IF(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), KILL

/* The filter's program: exec_seccomp_install loads it, the unit tests run
 * it on chosen syscalls (tests/unit/test_exec_seccomp.c), since a machine
 * whose kernel runs no 32-bit code cannot show its i386 half. */
struct sock_fprog exec_seccomp_filter(void)
{
	static const struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 28),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* x32 system calls carry bit 30: stopped whatever they are */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1), KILL,
		KILL_IF(68), KILL_IF(69), KILL_IF(70), KILL_IF(71),   /* msgget msgsnd msgrcv msgctl */
		KILL_IF(29), KILL_IF(30), KILL_IF(31), KILL_IF(67),   /* shmget shmat shmctl shmdt */
		KILL_IF(64), KILL_IF(65), KILL_IF(66), KILL_IF(220),  /* semget semop semctl semtimedop */
		ALLOW,
		/* i386: ipc(2) and the direct calls 393..402, semtimedop_time64 420 */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		KILL_IF(117),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 393, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 402, 1, 0),
		KILL,
		KILL_IF(420),
		ALLOW,
	};
	/* the kernel only reads the program: the cast drops const for its type */
	struct sock_fprog prog = { (unsigned short)(sizeof(f) / sizeof(f[0])), (struct sock_filter *)f };

	return prog;
}

int exec_seccomp_install(void)
{
	struct sock_fprog prog = exec_seccomp_filter();

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}
