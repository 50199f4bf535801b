/* msg32.c - a 32-bit (i386) static program that calls msgget, built with
 * `gcc -m32 -static`: ipcsim exec must stop it, never let it reach the real
 * kernel.  i386 has two ways into System V IPC and the filter must catch
 * both: the ipc(2) multiplexer (117) and, since Linux 5.1, the direct calls
 * (msgget is 399).  The argument picks one: "glibc" (glibc's msgget, which
 * uses whichever its build assumes), "ipc" or "direct". */
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __i386__
#error "build with -m32"
#endif

#define IPCOP_MSGGET 13 /* ipc(2)'s call number for msgget (linux/ipc.h) */
#define I386_MSGGET 399 /* arch/x86/entry/syscalls/syscall_32.tbl */

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "glibc";
	long q;

	if (strcmp(how, "ipc") == 0)
		q = syscall(SYS_ipc, IPCOP_MSGGET, IPC_PRIVATE, 0600, 0, 0, 0);
	else if (strcmp(how, "direct") == 0)
		q = syscall(I386_MSGGET, IPC_PRIVATE, 0600);
	else
		q = msgget(IPC_PRIVATE, 0600);
	printf("the real kernel answered %ld\n", q);
	if (q >= 0)
		msgctl((int)q, IPC_RMID, NULL);
	return 0;
}
