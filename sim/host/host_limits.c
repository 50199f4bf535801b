/*
 * host_limits.c - the scenario's `limit NAME=VALUE` on the host: a write to
 * /proc/sys/kernel/NAME inside the coordinator's IPC namespace (the msg*,
 * shm* and sem files are per namespace, so the machine's limits never
 * change).  The four semaphore limits share one file, kernel.sem, as
 * "semmsl semmns semopm semmni".  msgpool and msgssz model the classic
 * System V data area, which Linux does not have.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host/host_int.h"

static const char *const host_plain_limits[] = {
	"msgmax", "msgmnb", "msgmni", "shmmax", "shmall", "shmmni", NULL,
};
static const char *const host_sem_limits[] = { "semmsl", "semmns", "semopm", "semmni", NULL };

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int rc = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static int set_sem(int which, long long value)
{
	long long v[4];
	char text[128];
	FILE *f = fopen("/proc/sys/kernel/sem", "re");
	int n;

	if (f == NULL)
		return -errno;
	n = fscanf(f, "%lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3]);
	fclose(f);
	if (n != 4)
		return -EIO;
	v[which] = value;
	snprintf(text, sizeof(text), "%lld %lld %lld %lld\n", v[0], v[1], v[2], v[3]);
	return write_text("/proc/sys/kernel/sem", text);
}

int host_limit_set(const char *name, long long value)
{
	char path[64], text[32];

	if (strcmp(name, "msgpool") == 0 || strcmp(name, "msgssz") == 0)
		return -BACKEND_NOT_ON_HOST;
	for (int i = 0; host_sem_limits[i] != NULL; i++)
		if (strcmp(name, host_sem_limits[i]) == 0)
			return set_sem(i, value);
	for (int i = 0; host_plain_limits[i] != NULL; i++) {
		if (strcmp(name, host_plain_limits[i]) != 0)
			continue;
		snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
		/* shmmax and shmall are unsigned longs, value their bit pattern (as
		 * sim_limit_set takes them): Linux refuses a negative number there. */
		if (strcmp(name, "shmmax") == 0 || strcmp(name, "shmall") == 0)
			snprintf(text, sizeof(text), "%llu\n", (unsigned long long)value);
		else
			snprintf(text, sizeof(text), "%lld\n", value);
		return write_text(path, text);
	}
	return -ENOENT;
}
