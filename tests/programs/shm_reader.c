/* shm_reader.c - the lecture's reader: finds the writer's segment by key,
 * prints what it holds, and says so by writing '*' into its first byte. */
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#define SHMSZ 27

int main(void)
{
	key_t key = 5678;
	int shmid;
	char *shm;

	/* the writer may not have created it yet */
	for (int tries = 0; (shmid = shmget(key, SHMSZ, 0666)) < 0; tries++) {
		if (tries == 500) { perror("shmget"); return 1; }
		usleep(10000);
	}
	shm = shmat(shmid, NULL, 0);
	if (shm == (char *)-1) { perror("shmat"); return 1; }
	while (shm[0] != 'a')
		usleep(10000);
	printf("reader: %s\n", shm);
	*shm = '*';
	shmdt(shm);
	return 0;
}
