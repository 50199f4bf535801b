/* sleeping.h - letting a child reach the System V call it sleeps in, for
 * the programs that show what happens to a sleeper (IPC_RMID, a receive
 * that makes room).  A pause alone, started at the fork, lost the race on a
 * loaded machine: the child had not reached its call yet and got another
 * answer.
 *
 * The child calls child_at_call(fd) just before its call; the parent calls
 * parent_wait_at_call(fd): it reads that byte, then pauses 200 ms for the
 * call to be taken (under `ipcsim exec`, by the server: a process already
 * asleep in /proc may not have been answered yet, so its state is no
 * sign). */
#include <unistd.h>

static void child_at_call(int fd)
{
	char c = 1;

	if (write(fd, &c, 1) != 1)
		_exit(3);
}

static void parent_wait_at_call(int fd)
{
	char c;

	if (read(fd, &c, 1) == 1)
		usleep(200000);
}
