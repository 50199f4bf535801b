/* shm_pair: a right writer: creates, writes, waits for the answer, detaches, removes. */
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

int main(void)
{
	int id = shmget(0x5678, 27, IPC_CREAT | 0600);
	char *p;

	if (id < 0) { perror("shmget"); return 1; }
	p = shmat(id, NULL, 0);
	if (p == (char *)-1) { perror("shmat"); return 1; }
	for (int i = 0; i < 26; i++)
		p[i] = (char)('a' + i);
	p[26] = '\0';
	while (*(volatile char *)p != '*')
		usleep(10000);
	shmdt(p);
	shmctl(id, IPC_RMID, NULL);
	return 0;
}
