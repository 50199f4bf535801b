/* raw_syscall.c - a System V call made with syscall(2), around glibc: ipcsim
 * exec must stop it, never let it reach the real kernel. */
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long q = syscall(SYS_msgget, IPC_PRIVATE, 0600);

	printf("the real kernel answered %ld\n", q);
	if (q >= 0)
		syscall(SYS_msgctl, q, IPC_RMID, 0);
	return 0;
}
