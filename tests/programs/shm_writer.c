/* shm_writer.c - the lecture's writer: creates a segment by key, writes a
 * text into it, and waits for the reader to say it has read it (a '*' in
 * the first byte), then removes the segment. */
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#define SHMSZ 27

int main(void)
{
	key_t key = 5678;
	int shmid = shmget(key, SHMSZ, IPC_CREAT | 0666);
	char *shm, *s;

	if (shmid < 0) { perror("shmget"); return 1; }
	shm = shmat(shmid, NULL, 0);
	if (shm == (char *)-1) { perror("shmat"); return 1; }
	s = shm;
	for (char c = 'a'; c <= 'z'; c++)
		*s++ = c;
	*s = '\0';
	while (*shm != '*')
		usleep(10000);
	printf("writer: the reader has read it\n");
	shmdt(shm);
	shmctl(shmid, IPC_RMID, NULL);
	return 0;
}
