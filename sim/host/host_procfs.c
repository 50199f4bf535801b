/*
 * host_procfs.c - what a real process is doing, from /proc.
 *
 * The host backend cannot ask the kernel "would this call sleep?"; it asks
 * afterwards: a child that has not answered and sits in state 'S' inside
 * msgsnd/msgrcv/semop/semtimedop (/proc/PID/syscall; wchan as a fallback
 * where that file is missing or unreadable) is asleep in the call, which is
 * what the simulator
 * reports as blocked.  A task woken by another's syscall is made runnable
 * ('R') before that syscall returns, so 'S' seen after the waker answered
 * means still asleep.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/host_int.h"

static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

char host_procfs_state(pid_t pid)
{
	char path[64], buf[512];
	const char *paren;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return 0;
	/* "pid (comm) S ...": comm may hold spaces and parentheses. */
	paren = strrchr(buf, ')');
	if (paren == NULL || paren[1] != ' ')
		return 0;
	return paren[2];
}

long host_procfs_syscall(pid_t pid)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -2;
	if (strncmp(buf, "running", 7) == 0 || buf[0] == '-')
		return -1;
	return strtol(buf, NULL, 10);
}

static int wchan_is_ipc(pid_t pid)
{
	char path[64], buf[128];

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return 0;
	return strstr(buf, "msgrcv") != NULL || strstr(buf, "msgsnd") != NULL ||
	       strstr(buf, "semtimedop") != NULL;
}

int host_procfs_sleeps_in_ipc(pid_t pid)
{
	long nr;

	if (host_procfs_state(pid) != 'S')
		return 0;
	nr = host_procfs_syscall(pid);
	if (nr == -2)
		return wchan_is_ipc(pid);
	/* The child makes the raw semop and semtimedop syscalls; glibc's semop
	 * would show as semtimedop. */
	return nr == SYS_msgsnd || nr == SYS_msgrcv || nr == SYS_semop || nr == SYS_semtimedop;
}
