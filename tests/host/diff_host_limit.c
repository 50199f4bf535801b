/*
 * diff_host_limit.c - writes the host's IPC limits in the private namespace:
 * /proc/sys/kernel/{msgmax,msgmnb,msgmni,shmmax,shmall,shmmni} hold one
 * number each; /proc/sys/kernel/sem holds "SEMMSL SEMMNS SEMOPM SEMMNI", so
 * one of them is changed by reading all four and writing them back.
 */
#include "diff_host_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static long write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	long r;

	if (fd < 0)
		return -errno;
	r = write(fd, text, strlen(text)) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static long write_sem_field(int field, long long value)
{
	long long v[4];
	char text[128];
	FILE *f = fopen("/proc/sys/kernel/sem", "r");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "%lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3]);
	fclose(f);
	if (n != 4)
		return -EIO;
	v[field] = value;
	snprintf(text, sizeof(text), "%lld %lld %lld %lld\n", v[0], v[1], v[2], v[3]);
	return write_text("/proc/sys/kernel/sem", text);
}

long diff_host_limit(const struct diff_step *st)
{
	char path[64], text[32];

	switch (st->limit) {
	case DIFF_LIM_SEMMSL: return write_sem_field(0, st->value);
	case DIFF_LIM_SEMMNS: return write_sem_field(1, st->value);
	case DIFF_LIM_SEMOPM: return write_sem_field(2, st->value);
	case DIFF_LIM_SEMMNI: return write_sem_field(3, st->value);
	case DIFF_LIM_SHMMAX:
	case DIFF_LIM_SHMALL:
		/* unsigned long sysctls: the value is the bit pattern */
		snprintf(text, sizeof(text), "%llu\n", (unsigned long long)st->value);
		break;
	default:
		snprintf(text, sizeof(text), "%lld\n", st->value);
		break;
	}
	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", diff_limit_names[st->limit]);
	return write_text(path, text);
}
