/* shm_kept.c - under `ipcsim exec` only: the descriptors of segments the
 * preload library keeps in the process (memfd:ipcsim-shm) hold a
 * segment's memory while it exists and none once it is removed.  Prints
 * the bytes the kept descriptors hold: after filling a 4 MiB segment and
 * detaching it, then after IPC_RMID (tests/exec_programs.sh expects
 * 4194304 and 0). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIZE (4L << 20)

/* The bytes of memory behind this process's descriptors of segments. */
static long held(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	long bytes = 0;

	while (d && (e = readdir(d))) {
		char path[300], link[256];
		struct stat st;
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, "/memfd:ipcsim-shm", 17) == 0 && stat(path, &st) == 0)
			bytes += (long)st.st_blocks * 512;
	}
	if (d)
		closedir(d);
	return bytes;
}

int main(void)
{
	int id = shmget(IPC_PRIVATE, SIZE, 0600);
	char *p = shmat(id, NULL, 0);

	if (p == (char *)-1)
		return 1;
	memset(p, 1, SIZE);
	shmdt(p);
	printf("held while the segment exists: %ld\n", held());
	shmctl(id, IPC_RMID, NULL);
	printf("held after IPC_RMID: %ld\n", held());
	return 0;
}
