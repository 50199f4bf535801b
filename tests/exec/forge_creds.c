/* forge_creds.c - a program that lies about its credentials: it defines its
 * own geteuid(), which says root (built with -rdynamic, so the preload
 * library's call finds it, and the request it sends claims euid 0).  As
 * root it makes a queue 0600, drops to nobody with glibc's setuid, and asks
 * for the queue: Linux answers by its real credentials (EACCES), and so must
 * exec, whatever the request says. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <unistd.h>

uid_t geteuid(void)
{
	return 0; /* the lie */
}

int main(void)
{
	struct msqid_ds ds;
	int q = msgget(IPC_PRIVATE, 0600), r;

	if (q < 0 || setuid(65534) < 0) {
		printf("setup failed: %s\n", strerror(errno));
		return 1;
	}
	r = msgctl(q, IPC_STAT, &ds);
	printf("msgctl(IPC_STAT) as nobody claiming root: %d %s\n", r, r < 0 ? strerrorname_np(errno) : "");
	r = msgsnd(q, "x", 1, IPC_NOWAIT);
	printf("msgsnd as nobody claiming root: %d %s\n", r, r < 0 ? strerrorname_np(errno) : "");
	return 0;
}
