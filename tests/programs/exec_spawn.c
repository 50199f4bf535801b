/* exec_spawn.c - execve and posix_spawn: a child attaches a segment and
 * takes a semaphore with SEM_UNDO, then runs execve; the new program finds
 * the segment detached (shm_nattch 0) and, when it exits, the undo is
 * applied (the undo list survives execve).  A process started with
 * posix_spawn (no fork of ours) makes calls of its own. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	struct shmid_ds ds;
	char arg1[32], arg2[32];
	int shm, sem, status;
	pid_t c;

	if (argc == 4 && strcmp(argv[1], "after-exec") == 0) {
		shmctl(atoi(argv[2]), IPC_STAT, &ds);
		printf("after execve: attachments %lu, semaphore %d\n", (unsigned long)ds.shm_nattch,
		       semctl(atoi(argv[3]), 0, GETVAL));
		fflush(stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "spawned") == 0) {
		int q = msgget(IPC_PRIVATE, 0600);

		printf("spawned: msgget %s\n", q >= 0 ? "ok" : "failed");
		fflush(stdout);
		return msgctl(q, IPC_RMID, NULL) == 0 ? 0 : 1;
	}
	shm = shmget(IPC_PRIVATE, 4096, 0600);
	sem = semget(IPC_PRIVATE, 1, 0600);
	semctl(sem, 0, SETVAL, 3);
	c = fork();
	if (c == 0) {
		struct sembuf take = { 0, -1, SEM_UNDO };

		shmat(shm, NULL, 0);
		semop(sem, &take, 1);
		shmctl(shm, IPC_STAT, &ds);
		printf("before execve: attachments %lu, semaphore %d\n", (unsigned long)ds.shm_nattch,
		       semctl(sem, 0, GETVAL));
		fflush(stdout);
		snprintf(arg1, sizeof(arg1), "%d", shm);
		snprintf(arg2, sizeof(arg2), "%d", sem);
		execl(argv[0], argv[0], "after-exec", arg1, arg2, (char *)NULL);
		_exit(127);
	}
	waitpid(c, &status, 0);
	printf("after the exit: semaphore %d\n", semctl(sem, 0, GETVAL));
	{
		char *args[] = { argv[0], "spawned", NULL };

		if (posix_spawn(&c, argv[0], NULL, NULL, args, environ) == 0)
			waitpid(c, &status, 0);
		printf("spawned child: exit %d\n", WEXITSTATUS(status));
	}
	shmctl(shm, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	return 0;
}
