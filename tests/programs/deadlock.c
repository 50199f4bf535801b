/* deadlock.c - two processes each wait for a message the other would send
 * only after receiving: every process sleeps, none can wake another. */
#include <stdio.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int q = msgget(IPC_PRIVATE, 0600);
	struct { long mtype; char text[8]; } m = { 1, "x" };

	if (fork() == 0) {
		msgrcv(q, &m, sizeof(m.text), 2, 0);
		msgsnd(q, &m, 2, 0);
		_exit(0);
	}
	msgrcv(q, &m, sizeof(m.text), 1, 0);
	msgsnd(q, &m, 2, 0);
	wait(NULL);
	return 0;
}
