/* shm_pair: a right reader: waits for the segment, prints the text, answers with '*'. */
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

int main(void)
{
	int id;
	char *p;

	while ((id = shmget(0x5678, 0, 0)) < 0)
		usleep(10000);
	p = shmat(id, NULL, 0);
	if (p == (char *)-1) { perror("shmat"); return 1; }
	while (p[0] != 'a')
		usleep(10000);
	printf("%s\n", p);
	p[0] = '*';
	shmdt(p);
	return 0;
}
