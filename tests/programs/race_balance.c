/* race_balance.c - a parent and a child add to one balance in shared
 * memory.  Without a semaphore updates may be lost (the result is at most
 * the sum); with `sem` each update holds a semaphore taken with SEM_UNDO,
 * and the sum is exact. */
#include <stdio.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 200

static void deposit(volatile long *balance, int sem, int use_sem)
{
	struct sembuf down = { 0, -1, SEM_UNDO }, up = { 0, 1, SEM_UNDO };

	for (int i = 0; i < ROUNDS; i++) {
		if (use_sem)
			semop(sem, &down, 1);
		long b = *balance;
		if (i % 50 == 0)
			usleep(1000);
		*balance = b + 1;
		if (use_sem)
			semop(sem, &up, 1);
	}
}

int main(int argc, char **argv)
{
	int use_sem = argc > 1 && strcmp(argv[1], "sem") == 0;
	int shm = shmget(IPC_PRIVATE, sizeof(long), 0600);
	int sem = semget(IPC_PRIVATE, 1, 0600);
	volatile long *balance = shmat(shm, NULL, 0);

	semctl(sem, 0, SETVAL, 1);
	*balance = 100;
	if (fork() == 0) {
		deposit(balance, sem, use_sem);
		_exit(0);
	}
	deposit(balance, sem, use_sem);
	wait(NULL);
	if (use_sem)
		printf("balance: %ld (exact: %d)\n", *balance, 100 + 2 * ROUNDS);
	else
		printf("balance at most the sum: %s\n", *balance <= 100 + 2 * ROUNDS ? "yes" : "no");
	printf("semaphore after both ended: %d\n", semctl(sem, 0, GETVAL));
	shmdt((void *)balance);
	shmctl(shm, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	return 0;
}
