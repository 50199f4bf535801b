/* server_clients.c - a server and two clients over one queue: a request is
 * type 1 and carries the client's pid; the answer is of the client's pid,
 * so each client receives only its own. */
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

struct req { long mtype; pid_t pid; int n; };
struct ans { long mtype; int square; };

static int client(int q, int n)
{
	struct req r = { 1, getpid(), n };
	struct ans a;

	msgsnd(q, &r, sizeof(r) - sizeof(long), 0);
	if (msgrcv(q, &a, sizeof(a) - sizeof(long), getpid(), 0) < 0)
		return 1;
	return a.square == n * n ? 0 : 1;
}

int main(void)
{
	int q = msgget(IPC_PRIVATE, 0600), status;
	pid_t c[2];

	for (int i = 0; i < 2; i++)
		if ((c[i] = fork()) == 0)
			_exit(client(q, i + 7));
	for (int i = 0; i < 2; i++) {
		struct req r;
		struct ans a;

		msgrcv(q, &r, sizeof(r) - sizeof(long), 1, 0);
		a.mtype = r.pid;
		a.square = r.n * r.n;
		msgsnd(q, &a, sizeof(a) - sizeof(long), 0);
	}
	for (int i = 0; i < 2; i++) {
		waitpid(c[i], &status, 0);
		printf("client %d: %s\n", i + 1, WEXITSTATUS(status) == 0 ? "right answer" : "wrong");
	}
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
