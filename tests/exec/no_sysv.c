/* no_sysv.c - runs a command where every System V IPC syscall fails with
 * ENOSYS (a seccomp filter, inherited): what runs under it cannot use the
 * real kernel's IPC at all.  The proof that `ipcsim exec` is kernel-free.
 *
 *   no_sysv COMMAND [ARGS]
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

#define FAIL_IF(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS)

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		FAIL_IF(68), FAIL_IF(69), FAIL_IF(70), FAIL_IF(71),
		FAIL_IF(29), FAIL_IF(30), FAIL_IF(31), FAIL_IF(67),
		FAIL_IF(64), FAIL_IF(65), FAIL_IF(66), FAIL_IF(220),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (argc < 2) {
		fprintf(stderr, "usage: no_sysv COMMAND [ARGS]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("no_sysv: seccomp");
		return 2;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "no_sysv: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
