/* sem_timeout.c - semtimedop's timeout runs in real time: a lone process
 * waiting 100 ms for a semaphore nobody raises gets EAGAIN after about
 * that long, and one waiting 2.5 s (longer than exec's deadlock patience)
 * too, with no deadlock reported; a timeout that is not needed changes
 * nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/sem.h>
#include <time.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Waits for a unit of set s with the given timeout; prints what came back
 * and whether the time it took is about the timeout. */
static void wait_for(int s, long sec, long nsec)
{
	struct sembuf down = { 0, -1, 0 };
	struct timespec t = { sec, nsec };
	double want = (double)sec + (double)nsec / 1e9, t0 = now(), took;
	int rc = semtimedop(s, &down, 1, &t);
	int err = errno;

	took = now() - t0;
	printf("semtimedop(%ld.%03lds) = %d%s%s, %s\n", sec, nsec / 1000000, rc,
	       rc < 0 ? " " : "", rc < 0 ? strerror(err) : "",
	       rc < 0 && took >= want * 0.9 ? "after the timeout"
	       : rc == 0 && took < want ? "before the timeout" : "at the wrong time");
}

int main(void)
{
	int s = semget(IPC_PRIVATE, 1, 0600);

	wait_for(s, 0, 100000000);
	wait_for(s, 2, 500000000);
	semctl(s, 0, SETVAL, 1);
	wait_for(s, 5, 0);
	semctl(s, 0, IPC_RMID);
	return 0;
}
