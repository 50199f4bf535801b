/* msg_pingpong.c - a parent and a child send a message back and forth
 * through one queue, by type: 1 to the child, 2 to the parent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

struct msg { long mtype; char text[32]; };

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	struct msg m;
	pid_t child;

	if (q < 0) { perror("msgget"); return 1; }
	child = fork();
	if (child == 0) {
		for (int i = 0; i < rounds; i++) {
			if (msgrcv(q, &m, sizeof(m.text), 1, 0) < 0) { perror("msgrcv"); _exit(1); }
			m.mtype = 2;
			if (msgsnd(q, &m, strlen(m.text) + 1, 0) < 0) { perror("msgsnd"); _exit(1); }
		}
		_exit(0);
	}
	for (int i = 0; i < rounds; i++) {
		m.mtype = 1;
		snprintf(m.text, sizeof(m.text), "ping %d", i);
		if (msgsnd(q, &m, strlen(m.text) + 1, 0) < 0) { perror("msgsnd"); return 1; }
		if (msgrcv(q, &m, sizeof(m.text), 2, 0) < 0) { perror("msgrcv"); return 1; }
		if (rounds <= 10)
			printf("parent got back: %s\n", m.text);
	}
	waitpid(child, NULL, 0);
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
