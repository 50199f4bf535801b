/* msg_block.c - runs until killed: a child sleeps in msgrcv, the parent
 * polls the queue with IPC_NOWAIT, a segment is attached.  What killing
 * `ipcsim exec` must clean up (no process, socket or memfd left). */
#include <sys/msg.h>
#include <sys/shm.h>
#include <unistd.h>

int main(void)
{
	int q = msgget(IPC_PRIVATE, 0600), id = shmget(IPC_PRIVATE, 4096, 0600);
	struct { long t; char x[8]; } m;

	shmat(id, NULL, 0);
	if (fork() == 0)
		return msgrcv(q, &m, sizeof(m.x), 0, 0) < 0;
	for (;;) {
		msgrcv(q, &m, sizeof(m.x), 0, IPC_NOWAIT);
		usleep(50000);
	}
}
