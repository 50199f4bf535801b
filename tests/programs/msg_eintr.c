/* msg_eintr.c - a signal handler interrupts a sleeping msgrcv: EINTR, with
 * SA_RESTART as without (msgrcv is never restarted after a handler), and a
 * semop the same. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <unistd.h>

static void on_alarm(int sig) { (void)sig; }

int main(void)
{
	struct sigaction sa;
	struct { long mtype; char text[16]; } m;
	struct sembuf down = { 0, -1, 0 };
	int q = msgget(IPC_PRIVATE, 0600), s = semget(IPC_PRIVATE, 1, 0600);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	if (msgrcv(q, &m, sizeof(m.text), 0, 0) < 0)
		printf("msgrcv: %s\n", strerror(errno));
	alarm(1);
	if (semop(s, &down, 1) < 0)
		printf("semop: %s\n", strerror(errno));
	msgctl(q, IPC_RMID, NULL);
	semctl(s, 0, IPC_RMID);
	return 0;
}
