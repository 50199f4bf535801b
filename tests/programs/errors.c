/* errors.c - error paths, one per line, in the manner of the Linux Test
 * Project's msgget01..semctl09: each prints the call and its errno name. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sleeping.h"

#define KEY 0x5eed

static void show(const char *what, long rc)
{
	printf("%-44s %s\n", what, rc < 0 ? strerrorname_np(errno) : "ok");
	fflush(stdout);
}

/* Runs f in a child; prints how it ended. */
static void in_child(const char *what, void (*f)(int), int arg)
{
	int status;
	pid_t c = fork();

	if (c == 0) {
		f(arg);
		_exit(0);
	}
	waitpid(c, &status, 0);
	if (WIFSIGNALED(status))
		printf("%-44s killed by %s\n", what, sigabbrev_np(WTERMSIG(status)));
	else
		printf("%-44s exit %d\n", what, WEXITSTATUS(status));
	fflush(stdout);
}

static void write_after_shmdt(int id)
{
	char *p = shmat(id, NULL, 0);

	shmdt(p);
	p[0] = 1;
}

static void write_read_only(int id)
{
	char *p = shmat(id, NULL, SHM_RDONLY);

	p[0] = 1;
}

static void wait_removed(int q, int fd)
{
	struct { long t; char x[8]; } m;

	child_at_call(fd);
	_exit(msgrcv(q, &m, sizeof(m.x), 0, 0) < 0 && errno == EIDRM ? 42 : 1);
}

/* setuid, then a fork: the grandchild asks, as nobody. */
static void other_user(int q)
{
	int status;
	pid_t c;

	if (setuid(65534) < 0)
		_exit(3);
	c = fork();
	if (c == 0)
		_exit(msgget(KEY, 0600) < 0 && errno == EACCES ? 13 : 1);
	waitpid(c, &status, 0);
	_exit(WEXITSTATUS(status));
}

int main(void)
{
	struct { long mtype; char text[16]; } m = { 1, "hello, world" };
	struct sembuf bad = { 5, -1, 0 };
	int q, id, s, ready[2];

	show("msgget(KEY, 0600) without IPC_CREAT", msgget(KEY, 0600));
	q = msgget(KEY, IPC_CREAT | 0600);
	show("msgget(KEY, IPC_CREAT|IPC_EXCL|0600) again", msgget(KEY, IPC_CREAT | IPC_EXCL | 0600));
	m.mtype = 0;
	show("msgsnd with mtype 0", msgsnd(q, &m, 13, 0));
	show("msgsnd with a bad pointer", msgsnd(q, (void *)8, 13, 0));
	show("msgsnd with a negative size", msgsnd(q, &m, (size_t)-1, 0));
	m.mtype = 1;
	msgsnd(q, &m, 13, 0);
	show("msgrcv into 4 bytes", msgrcv(q, &m, 4, 0, IPC_NOWAIT));
	long n = msgrcv(q, &m, 4, 0, IPC_NOWAIT | MSG_NOERROR);
	printf("%-44s %ld \"%.4s\"\n", "msgrcv into 4 bytes, MSG_NOERROR", n, m.text);
	show("msgrcv on an empty queue, IPC_NOWAIT", msgrcv(q, &m, 16, 0, IPC_NOWAIT));
	show("msgctl with a bad command", msgctl(q, 12345, NULL));
	show("msgctl IPC_STAT into NULL", msgctl(q, IPC_STAT, NULL));
	in_child("msgget as another user (setuid, fork)", other_user, q);
	if (pipe(ready) < 0)
		return 1;
	pid_t c = fork();
	if (c == 0)
		wait_removed(q, ready[1]);
	parent_wait_at_call(ready[0]);
	show("msgctl IPC_RMID while a child sleeps", msgctl(q, IPC_RMID, NULL));
	int status;
	waitpid(c, &status, 0);
	printf("%-44s %s\n", "the sleeping child", WEXITSTATUS(status) == 42 ? "EIDRM" : "other");
	show("msgsnd to the removed queue", msgsnd(q, &m, 13, 0));

	show("shmget of 0 bytes", shmget(IPC_PRIVATE, 0, 0600));
	id = shmget(IPC_PRIVATE, 4096, 0600);
	show("shmat of a bad id", (long)shmat(id + 1, NULL, 0) == -1 ? -1 : 0);
	show("shmat at an unaligned address", (long)shmat(id, (void *)0x1001, 0) == -1 ? -1 : 0);
	show("shmdt of an address not attached", shmdt((void *)0x10000));
	in_child("a write after shmdt", write_after_shmdt, id);
	in_child("a write through SHM_RDONLY", write_read_only, id);
	shmctl(id, IPC_RMID, NULL);

	s = semget(IPC_PRIVATE, 2, 0600);
	show("semget of 0 semaphores, new", semget(IPC_PRIVATE, 0, 0600));
	show("semop on semaphore 5 of 2", semop(s, &bad, 1));
	show("semctl SETVAL 40000", semctl(s, 0, SETVAL, 40000));
	show("semctl GETVAL of semaphore 2 of 2", semctl(s, 2, GETVAL));
	bad.sem_num = 0;
	bad.sem_flg = IPC_NOWAIT;
	show("semop -1 on 0, IPC_NOWAIT", semop(s, &bad, 1));
	semctl(s, 0, IPC_RMID);
	show("semctl GETVAL of a removed set", semctl(s, 0, GETVAL));
	return 0;
}
