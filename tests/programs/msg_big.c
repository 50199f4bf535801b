/* msg_big.c - a message of 150,000 bytes, after raising msgmax and msgmnb
 * through /proc (as root): sent and received whole, byte for byte (under
 * exec it is larger than a process's request slot at first). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>

#define N 150000

static int set_limit(const char *name, long v)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "%ld\n", v);
	return fclose(f);
}

int main(void)
{
	struct big { long mtype; char text[N]; } *m = malloc(sizeof(*m)), *r = malloc(sizeof(*r));
	int q;
	long got;

	if (!m || !r || set_limit("msgmax", N) < 0 || set_limit("msgmnb", 2 * N) < 0) {
		printf("cannot raise the limits\n");
		return 1;
	}
	q = msgget(IPC_PRIVATE, 0600);
	m->mtype = 7;
	for (size_t i = 0; i < N; i++)
		m->text[i] = (char)(i * 31 + 5);
	printf("msgsnd = %d\n", msgsnd(q, m, N, 0));
	got = msgrcv(q, r, N, 0, 0);
	printf("msgrcv = %ld, mtype %ld, the same bytes: %s\n", got, r->mtype,
	       got == N && memcmp(m->text, r->text, N) == 0 ? "yes" : "no");
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
