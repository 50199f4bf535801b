/*
 * preload_fds.c - the library's own descriptors in the program's table:
 * kept out of the program's reach, and the cache of segment descriptors.
 *
 * Owned descriptors (the connection, the slot, the bell, the segments')
 * are invisible to the program's close(), close_range() and closefrom(),
 * as they would be on Linux, where the program never had them: a program
 * that closes every descriptor between two calls keeps working.  Each is
 * known by its number and its file (st_dev, st_ino): a number the program
 * took over (dup2 onto it, or a raw close and a new open) is the
 * program's, and is closed when it asks.
 *
 * Segments: each shmat used to bring the segment's memfd over the socket
 * (the server's sendmsg, the library's recvmsg and close).  The library
 * now keeps the descriptor (at a high number, close-on-exec: a fork
 * inherits the cache, execve drops it), says in the next shmat of that
 * segment that it holds it, and maps it without one coming.  A kept
 * descriptor is checked (fstat: the same file) before each use, so one
 * the program closed or replaced by a raw syscall is asked for again,
 * never mapped.  At most PRELOAD_SHM_FDS are kept (the least recently
 * used goes); a destroyed segment's memfd is emptied by the server, so a
 * descriptor kept of it holds no memory.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preload/preload_int.h"

#define PRELOAD_OWNED_MAX 64
#define PRELOAD_SHM_FDS 16

/* The descriptors the library holds; read without a lock (close() may run
 * in a signal handler), written with compare-and-swap. */
static struct owned {
	int fd; /* -1: a free entry, -2: being filled in */
	uint64_t ino, dev;
} owned[PRELOAD_OWNED_MAX] = { [0 ... PRELOAD_OWNED_MAX - 1] = { .fd = -1 } };

static int file_id(int fd, uint64_t *ino, uint64_t *dev)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	*ino = (uint64_t)st.st_ino;
	*dev = (uint64_t)st.st_dev;
	return 0;
}

static void own_as(int fd, uint64_t ino, uint64_t dev)
{
	for (int i = 0; i < PRELOAD_OWNED_MAX; i++) {
		int free_fd = -1;

		/* taken (-2, no descriptor's number) before it is filled in */
		if (!__atomic_compare_exchange_n(&owned[i].fd, &free_fd, -2, 0, __ATOMIC_ACQ_REL,
		                                 __ATOMIC_ACQUIRE))
			continue;
		owned[i].ino = ino;
		owned[i].dev = dev;
		__atomic_store_n(&owned[i].fd, fd, __ATOMIC_RELEASE);
		return;
	}
}

void preload_fd_own(int fd)
{
	uint64_t ino, dev;

	if (fd >= 0 && file_id(fd, &ino, &dev) == 0)
		own_as(fd, ino, dev);
}

void preload_fd_disown(int fd)
{
	for (int i = 0; fd >= 0 && i < PRELOAD_OWNED_MAX; i++) {
		int was = fd;

		__atomic_compare_exchange_n(&owned[i].fd, &was, -1, 0, __ATOMIC_ACQ_REL,
		                            __ATOMIC_ACQUIRE);
	}
}

/* fd is the library's, not the program's: owned and still the same file
 * (one the program put at that number is the program's: forgotten). */
static int is_ours(int fd)
{
	for (int i = 0; i < PRELOAD_OWNED_MAX; i++) {
		uint64_t ino, dev;

		if (__atomic_load_n(&owned[i].fd, __ATOMIC_ACQUIRE) != fd)
			continue;
		if (file_id(fd, &ino, &dev) == 0 && ino == owned[i].ino && dev == owned[i].dev)
			return 1;
		preload_fd_disown(fd);
		return 0;
	}
	return 0;
}

int preload_fd_refused(int fd)
{
	if (!is_ours(fd))
		return 0;
	errno = EBADF; /* as on Linux, where the program never had it */
	return 1;
}

/* close_range without the library's descriptors: the pieces around them. */
PRELOAD_EXPORT int close_range(unsigned int first, unsigned int last, int flags)
{
	static int (*real)(unsigned int, unsigned int, int);
	unsigned int lo = first;
	int rc = 0;

	if (!real)
		real = (int (*)(unsigned int, unsigned int, int))dlsym(RTLD_NEXT, "close_range");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	if (flags & CLOSE_RANGE_CLOEXEC || first > last)
		return real(first, last, flags); /* closes nothing (ours are close-on-exec) */
	for (;;) {
		unsigned int next = last;
		int found = 0;

		/* the lowest of ours in [lo, last] */
		for (int i = 0; i < PRELOAD_OWNED_MAX; i++) {
			int fd = __atomic_load_n(&owned[i].fd, __ATOMIC_ACQUIRE);

			if (fd >= 0 && (unsigned int)fd >= lo && (unsigned int)fd <= next &&
			    is_ours(fd)) {
				next = (unsigned int)fd;
				found = 1;
			}
		}
		if (!found)
			return real(lo, last, flags) < 0 ? -1 : rc;
		if (next > lo && real(lo, next - 1, flags) < 0)
			rc = -1;
		if (next == last)
			return rc;
		lo = next + 1;
	}
}

PRELOAD_EXPORT void closefrom(int lowfd)
{
	if (lowfd < 0)
		lowfd = 0;
	if (close_range((unsigned int)lowfd, ~0U, 0) == 0)
		return;
	/* no close_range in this kernel: one by one (ours refused by close) */
	for (long fd = lowfd, max = sysconf(_SC_OPEN_MAX); fd < max; fd++)
		close((int)fd);
}

/* ---- the segments' descriptors ----------------------------------------- */

static struct shm_fd {
	int shmid, rdonly, fd; /* fd -1: a free entry */
	uint64_t ino, dev;
	unsigned long used;    /* when last used (tick): the least recent goes */
} shm_fds[PRELOAD_SHM_FDS] = { [0 ... PRELOAD_SHM_FDS - 1] = { .fd = -1 } };
static unsigned long tick;
static pthread_mutex_t shm_fd_lock = PTHREAD_MUTEX_INITIALIZER;

void preload_shm_fd_lock(void)
{
	pthread_mutex_lock(&shm_fd_lock);
}

void preload_shm_fd_unlock(void)
{
	pthread_mutex_unlock(&shm_fd_lock);
}

static void forget(struct shm_fd *e, int close_it)
{
	if (close_it) {
		preload_fd_disown(e->fd);
		close(e->fd);
	}
	e->fd = -1;
}

int preload_shm_fd_find(int shmid, int rdonly, uint64_t *ino, uint64_t *dev)
{
	for (int i = 0; i < PRELOAD_SHM_FDS; i++) {
		struct shm_fd *e = &shm_fds[i];
		uint64_t fi, fd_dev;

		if (e->fd < 0 || e->shmid != shmid || e->rdonly != rdonly)
			continue;
		if (file_id(e->fd, &fi, &fd_dev) < 0 || fi != e->ino || fd_dev != e->dev) {
			/* closed or replaced behind our back: the number is not ours */
			preload_fd_disown(e->fd);
			forget(e, 0);
			return -1;
		}
		e->used = ++tick;
		*ino = e->ino;
		*dev = e->dev;
		return e->fd;
	}
	return -1;
}

void preload_shm_fd_forget(int shmid, int rdonly)
{
	for (int i = 0; i < PRELOAD_SHM_FDS; i++)
		if (shm_fds[i].fd >= 0 && shm_fds[i].shmid == shmid && shm_fds[i].rdonly == rdonly) {
			preload_fd_disown(shm_fds[i].fd);
			forget(&shm_fds[i], 0);
		}
}

/* The number the kept descriptors start at: high, where the program's
 * own opens (always the lowest free number) do not reach. */
static int high_base(void)
{
	struct rlimit rl;
	rlim_t n = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;

	return (int)((n > 1024 ? 1024 : n) * 3 / 4);
}

int preload_shm_fd_keep(int shmid, int rdonly, int fd, int *kept)
{
	struct shm_fd *e = &shm_fds[0];
	int high;

	*kept = 0;
	for (int i = 0; i < PRELOAD_SHM_FDS; i++) {
		if (shm_fds[i].fd >= 0 && shm_fds[i].shmid == shmid && shm_fds[i].rdonly == rdonly) {
			e = &shm_fds[i]; /* a segment that took over a removed one's id */
			break;
		}
		if (shm_fds[i].fd < 0 || (e->fd >= 0 && shm_fds[i].used < e->used))
			e = &shm_fds[i];
	}
	high = fcntl(fd, F_DUPFD_CLOEXEC, high_base());
	if (high < 0)
		return fd; /* no room up there: used once, as before */
	close(fd);
	if (e->fd >= 0)
		forget(e, 1);
	e->shmid = shmid;
	e->rdonly = rdonly;
	e->fd = high;
	e->used = ++tick;
	if (file_id(high, &e->ino, &e->dev) < 0) {
		e->fd = -1;
		return high; /* never kept: the caller closes it */
	}
	own_as(high, e->ino, e->dev);
	*kept = 1;
	return high;
}
