/* msg_types.c - a sender and receivers by type: msgtyp 0 takes the oldest,
 * a positive type the first of that type, a negative one the lowest type
 * up to its absolute value, MSG_EXCEPT the first of another type. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

struct msg { long mtype; char text[16]; };

static void send(int q, long type, const char *text)
{
	struct msg m = { type, "" };

	strcpy(m.text, text);
	if (msgsnd(q, &m, strlen(text) + 1, 0) < 0)
		perror("msgsnd");
}

static void receive(int q, long type, int flags, const char *who)
{
	struct msg m;
	ssize_t n = msgrcv(q, &m, sizeof(m.text), type, flags | IPC_NOWAIT);

	if (n < 0)
		printf("%s: msgrcv(type %ld): %s\n", who, type, strerror(errno));
	else
		printf("%s: msgrcv(type %ld) = %zd: type %ld \"%s\"\n", who, type, n, m.mtype, m.text);
	fflush(stdout);
}

int main(void)
{
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);

	send(q, 300, "a");
	send(q, 100, "b");
	send(q, 200, "c");
	send(q, 400, "d");
	send(q, 100, "e");
	receive(q, -300, 0, "parent");     /* lowest type <= 300: 100 "b" */
	if (fork() == 0) {
		receive(q, 400, 0, "child");   /* 400 "d" */
		receive(q, 100, MSG_EXCEPT, "child"); /* first not 100: 300 "a" */
		_exit(0);
	}
	wait(NULL);
	receive(q, 0, 0, "parent");        /* oldest: 200 "c" */
	receive(q, -50, 0, "parent");      /* none: ENOMSG */
	receive(q, -1000, 0, "parent");    /* 100 "e" */
	receive(q, 0, 0, "parent");        /* empty: ENOMSG */
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
