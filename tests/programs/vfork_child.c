/* vfork_child.c - a vfork child makes System V calls before it exits: they
 * are the child's own (msg_lspid names the child, not the parent). */
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct { long mtype; char text[32]; } m = { 1, "from the child" };
	struct msqid_ds ds;
	int q = msgget(IPC_PRIVATE, 0600);
	pid_t child = vfork();

	if (child == 0) {
		msgsnd(q, &m, strlen(m.text) + 1, 0);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	memset(&m, 0, sizeof(m));
	if (msgrcv(q, &m, sizeof(m.text), 0, IPC_NOWAIT) < 0)
		perror("msgrcv");
	msgctl(q, IPC_STAT, &ds);
	printf("%s; msg_lspid is %s\n", m.text,
	       ds.msg_lspid == child ? "the child" : ds.msg_lspid == getpid() ? "the parent" : "?");
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
