/* msg_full.c - blocking on a full queue: msg_qbytes is cut to 16 bytes; a
 * child sends three 8-byte messages, the third sleeps until the parent has
 * taken one; IPC_NOWAIT gives EAGAIN instead of sleeping. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sleeping.h"

struct msg { long mtype; char text[8]; };

int main(void)
{
	int q = msgget(IPC_PRIVATE, 0600), status, ready[2];
	struct msqid_ds ds;
	struct msg m = { 1, "1234567" };
	pid_t child;

	msgctl(q, IPC_STAT, &ds);
	ds.msg_qbytes = 16;
	if (msgctl(q, IPC_SET, &ds) < 0)
		perror("IPC_SET");
	msgsnd(q, &m, 8, 0);
	msgsnd(q, &m, 8, 0);
	if (msgsnd(q, &m, 8, IPC_NOWAIT) < 0)
		printf("third send, IPC_NOWAIT: %s\n", strerror(errno));
	if (pipe(ready) < 0)
		return 1;
	child = fork();
	if (child == 0) {
		m.mtype = 2;
		child_at_call(ready[1]);
		_exit(msgsnd(q, &m, 8, 0) == 0 ? 0 : 1); /* sleeps: the queue is full */
	}
	parent_wait_at_call(ready[0]);
	msgctl(q, IPC_STAT, &ds);
	printf("before the receive: %lu messages, %lu bytes\n", ds.msg_qnum, ds.__msg_cbytes);
	msgrcv(q, &m, sizeof(m.text), 0, 0);
	waitpid(child, &status, 0);
	printf("the child's send returned %d\n", WEXITSTATUS(status));
	msgctl(q, IPC_STAT, &ds);
	printf("after: %lu messages, %lu bytes, last sender is the child: %s\n", ds.msg_qnum,
	       ds.__msg_cbytes, ds.msg_lspid == child ? "yes" : "no");
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
