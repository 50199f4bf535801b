/* sem_undo.c - SEM_UNDO: a child takes a semaphore with SEM_UNDO and exits
 * without giving it back; the kernel gives it back.  GETPID names the last
 * process that operated, GETNCNT the sleepers. */
#include <stdio.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int s = semget(IPC_PRIVATE, 2, 0600);
	unsigned short init[2] = { 1, 0 }, vals[2];
	struct sembuf take = { 0, -1, SEM_UNDO }, wait1 = { 1, -1, 0 }, post1 = { 1, 1, 0 };
	pid_t child;

	semctl(s, 0, SETALL, init);
	child = fork();
	if (child == 0) {
		semop(s, &take, 1);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	printf("after the child's exit: sem 0 = %d, last operation by the child: %s\n",
	       semctl(s, 0, GETVAL), semctl(s, 0, GETPID) == child ? "yes" : "no");
	child = fork();
	if (child == 0) {
		semop(s, &wait1, 1); /* sleeps until the parent posts */
		_exit(0);
	}
	while (semctl(s, 1, GETNCNT) == 0)
		usleep(10000);
	printf("sleepers on sem 1: %d\n", semctl(s, 1, GETNCNT));
	semop(s, &post1, 1);
	waitpid(child, NULL, 0);
	semctl(s, 0, GETALL, vals);
	printf("values: %u %u\n", vals[0], vals[1]);
	semctl(s, 0, IPC_RMID);
	return 0;
}
