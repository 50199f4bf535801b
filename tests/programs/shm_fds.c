/* shm_fds.c - shared memory in a program that handles its descriptors
 * roughly: it closes every descriptor between two attaches, dup2s
 * /dev/null over a range of high numbers and keeps them, forks, and
 * attaches read-only twice.  Its bytes and results must be the real
 * kernel's whatever the preload library keeps in the descriptor table
 * (`ipcsim exec` keeps each segment's memfd, tests/exec_programs.sh). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOW 700
#define HIGH 1023

static void show(const char *what, const char *p)
{
	printf("%-40s %s\n", what, p == (char *)-1 ? strerrorname_np(errno) : p);
	fflush(stdout);
}

int main(void)
{
	int id = shmget(IPC_PRIVATE, 4096, 0600), null, intact = 1;
	struct stat want;
	char *p;
	pid_t c;

	p = shmat(id, NULL, 0);
	strcpy(p, "one");
	shmdt(p);
	for (int fd = 3; fd <= HIGH; fd++)
		close(fd);
	p = shmat(id, NULL, 0);
	show("after closing every descriptor", p);
	strcpy(p, "two");
	shmdt(p);
	closefrom(3);
	p = shmat(id, NULL, 0);
	show("after closefrom(3)", p);
	/* a child attaches what its parent attached before the fork */
	c = fork();
	if (c == 0) {
		char *q = shmat(id, NULL, 0);

		strcpy(q, "three");
		_exit(shmdt(q) == 0 ? 0 : 1);
	}
	waitpid(c, NULL, 0);
	show("written by a child", p);
	shmdt(p);
	/* /dev/null over the high numbers, kept open */
	null = open("/dev/null", O_RDONLY);
	fstat(null, &want);
	for (int fd = LOW; fd <= HIGH; fd++)
		dup2(null, fd);
	p = shmat(id, NULL, 0);
	show("with /dev/null on 700 to 1023", p);
	strcpy(p, "four");
	shmdt(p);
	p = shmat(id, NULL, SHM_RDONLY);
	show("read-only", p);
	printf("%-40s %s\n", "mprotect(PROT_WRITE) of it",
	       mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0 ? "ok" : strerrorname_np(errno));
	shmdt(p);
	p = shmat(id, NULL, SHM_RDONLY);
	printf("%-40s %s\n", "mprotect(PROT_WRITE) again",
	       mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0 ? "ok" : strerrorname_np(errno));
	shmdt(p);
	for (int fd = LOW; fd <= HIGH; fd++) {
		struct stat st;

		intact &= fstat(fd, &st) == 0 && st.st_ino == want.st_ino && st.st_dev == want.st_dev;
	}
	printf("%-40s %s\n", "700 to 1023 are still /dev/null", intact ? "yes" : "no");
	for (int fd = LOW; fd <= HIGH; fd++)
		close(fd);
	shmctl(id, IPC_RMID, NULL);
	p = shmat(id, NULL, 0);
	show("after IPC_RMID", p);
	return 0;
}
