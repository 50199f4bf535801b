/*
 * preload_calls.c - the System V IPC functions of glibc, replaced: each
 * packs its arguments into a request for the exec server and unpacks the
 * answer; shmat maps the segment's memfd where the simulated kernel put
 * the attachment, shmdt unmaps it.
 *
 * Pointers are read and written with preload_copy_in/out, which fail where
 * the kernel would say EFAULT instead of faulting.  A NULL or unreadable
 * buffer travels as bufok = 0: the simulated kernel decides where EFAULT
 * comes in the order of its checks, as Linux does.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

#include "preload/preload_int.h"

#ifndef SHM_REMAP
#define SHM_REMAP 040000
#endif
#ifndef SHM_EXEC
#define SHM_EXEC 0100000
#endif

/* Message texts above this are not copied (Linux's msgmax is far below). */
#define PRELOAD_MAX_TEXT (WIRE_MAX_PAYLOAD - 64)

/* The result as glibc returns it: ret, or -1 with errno. */
static long finish(const struct wire_rep *r)
{
	if (r->ret < 0) {
		errno = r->err;
		return -1;
	}
	return (long)r->ret;
}

static long simple(enum wire_op op, int64_t a0, int64_t a1, int64_t a2)
{
	struct wire_req q = { .op = op, .a = { a0, a1, a2 } };
	struct wire_rep r;

	if (preload_call(&q, NULL, 0, &r, NULL, 0, NULL) < 0)
		return -1;
	return finish(&r);
}

PRELOAD_EXPORT int msgget(key_t key, int msgflg)
{
	return (int)simple(WIRE_MSGGET, key, msgflg, 0);
}

PRELOAD_EXPORT int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	struct wire_req q = { .op = WIRE_MSGSND, .a = { msqid, (int64_t)msgsz, msgflg, 0, 0 } };
	struct wire_rep r;
	size_t n = (ssize_t)msgsz < 0 || msgsz > PRELOAD_MAX_TEXT ? 0 : msgsz;
	char small[sizeof(long) + 512], *buf = small;
	long mtype;
	int rc;

	/* mtype and text in one copy; the text alone when that fails (a text
	 * running past the end of memory still sends its mtype's EINVAL) */
	if (sizeof(long) + n > sizeof(small) && !(buf = malloc(sizeof(long) + n))) {
		errno = ENOMEM;
		return -1;
	}
	if (preload_copy_in(buf, msgp, sizeof(long) + n) == 0) {
		memcpy(&mtype, buf, sizeof(mtype));
		q.a[3] = mtype;
		q.a[4] = 1;
	}
	rc = preload_call(&q, buf + sizeof(long), q.a[4] ? n : 0, &r, NULL, 0, NULL);
	if (buf != small)
		free(buf);
	return rc < 0 ? -1 : (int)finish(&r);
}

PRELOAD_EXPORT ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg)
{
	struct wire_req q = { .op = WIRE_MSGRCV, .a = { msqid, (int64_t)msgsz, msgtyp, msgflg, 0 } };
	struct wire_rep r;
	size_t cap = (ssize_t)msgsz < 0 || msgsz > PRELOAD_MAX_TEXT ? 0 : msgsz;
	char small[sizeof(long) + 512], *buf = small;

	/* NULL is the simulated kernel's EFAULT; any other buffer the process
	 * cannot write is EFAULT here, after the message was taken, as Linux
	 * (store_msg fails after the message left the queue). */
	q.a[4] = msgp != NULL;
	if (sizeof(long) + cap > sizeof(small) && !(buf = malloc(sizeof(long) + cap))) {
		errno = ENOMEM;
		return -1;
	}
	if (preload_call(&q, NULL, 0, &r, buf, sizeof(long) + cap, NULL) < 0) {
		r.ret = -1;
		r.err = errno;
	} else if (r.ret >= 0 && preload_copy_out(msgp, buf, sizeof(long) + (size_t)r.ret) < 0) {
		r.ret = -1;
		r.err = EFAULT;
	}
	if (buf != small)
		free(buf);
	return finish(&r);
}

static int ctl_uses_buf(enum wire_op op, int cmd)
{
	(void)op;
	return cmd != IPC_RMID && cmd != SHM_LOCK && cmd != SHM_UNLOCK;
}

/* msgctl, shmctl and semctl's struct commands: the buffer goes both ways. */
static long ctl_call(enum wire_op op, int id, int semnum, int cmd, void *buf)
{
	struct wire_req q = { .op = op, .a = { id, cmd, 0, semnum } };
	struct wire_rep r;
	unsigned char in[256] = { 0 }, out[256];
	size_t n = wire_ctl_size(op, cmd);
	int uses = ctl_uses_buf(op, cmd);

	q.a[2] = uses && preload_copy_in(in, buf, n) == 0;
	if (preload_call(&q, in, q.a[2] ? n : 0, &r, out, sizeof(out), NULL) < 0)
		return -1;
	if (r.ret >= 0 && r.len == n && preload_copy_out(buf, out, n) < 0) {
		r.ret = -1;
		r.err = EFAULT;
	}
	return finish(&r);
}

PRELOAD_EXPORT int msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	return (int)ctl_call(WIRE_MSGCTL, msqid, 0, cmd, buf);
}

PRELOAD_EXPORT int shmget(key_t key, size_t size, int shmflg)
{
	return (int)simple(WIRE_SHMGET, key, (int64_t)size, shmflg);
}

/* An inaccessible page at the bottom of the 2 MiB below the top of the
 * simulated kernel's attach area, where its first attachments fall, far
 * from the process's other mappings: it keeps the page tables there alive.
 * Without it every shmdt frees them and the next shmat's first store
 * allocates and clears them again, which costs more than the rest of the
 * call.  An attachment that lands on it takes its place. */
static uintptr_t anchor;
static pthread_once_t anchor_once = PTHREAD_ONCE_INIT;

static void anchor_place(void)
{
	void *at = mmap((void *)(WIRE_SHM_TOP - (2u << 20)), 4096, PROT_NONE,
	                MAP_FIXED_NOREPLACE | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	anchor = at == MAP_FAILED ? 0 : (uintptr_t)at;
}

static void anchor_clear(uintptr_t addr, size_t len)
{
	uintptr_t a = __atomic_load_n(&anchor, __ATOMIC_ACQUIRE);

	if (a && a < addr + len && addr < a + 4096 &&
	    __atomic_compare_exchange_n(&anchor, &a, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		munmap((void *)a, 4096);
}

/* The segment's memfd comes over the socket the first time this process
 * attaches it; after that the descriptor kept (preload_fds.c) is mapped,
 * and the request says so (its inode and device) so that none is sent. */
PRELOAD_EXPORT void *shmat(int shmid, const void *shmaddr, int shmflg)
{
	struct wire_req q = { .op = WIRE_SHMAT, .a = { shmid, (int64_t)(uintptr_t)shmaddr, shmflg } };
	struct wire_rep r;
	int rdonly = (shmflg & SHM_RDONLY) != 0, prot = PROT_READ, fd, sent = -1, kept = 0;
	uint64_t ino, dev;
	void *at;

	pthread_once(&anchor_once, anchor_place);
	preload_shm_fd_lock();
	fd = preload_shm_fd_find(shmid, rdonly, &ino, &dev);
	if (fd >= 0) {
		q.a[3] = (int64_t)ino;
		q.a[4] = (int64_t)dev;
		kept = 1;
	}
	if (preload_call(&q, NULL, 0, &r, NULL, 0, &sent) < 0) {
		preload_shm_fd_unlock();
		return (void *)-1;
	}
	if (r.ret < 0) {
		if (sent >= 0)
			close(sent);
		preload_shm_fd_unlock();
		errno = r.err;
		return (void *)-1;
	}
	if (sent >= 0) /* none kept, or another segment's (its id was reused) */
		fd = preload_shm_fd_keep(shmid, rdonly, sent, &kept);
	if (!rdonly)
		prot |= PROT_WRITE;
	if (shmflg & SHM_EXEC)
		prot |= PROT_EXEC;
	anchor_clear((uintptr_t)r.ret, (size_t)r.a[0]);
	at = fd < 0 ? MAP_FAILED
	            : mmap((void *)(uintptr_t)r.ret, (size_t)r.a[0], prot,
	                   MAP_SHARED | (shmflg & SHM_REMAP ? MAP_FIXED : MAP_FIXED_NOREPLACE), fd,
	                   (off_t)r.a[1]);
	if (fd >= 0 && !kept)
		close(fd);
	if (at == MAP_FAILED && kept && errno != EEXIST)
		preload_shm_fd_forget(shmid, rdonly); /* not the descriptor it was: ask next time */
	if (at != (void *)(uintptr_t)r.ret) {
		/* The address the simulated kernel chose is taken in this process. */
		if (at != MAP_FAILED)
			munmap(at, (size_t)r.a[0]);
		simple(WIRE_SHMAT_UNDO, r.ret, 0, 0);
		preload_shm_fd_unlock();
		errno = ENOMEM;
		return (void *)-1;
	}
	preload_shm_fd_unlock();
	return at;
}

PRELOAD_EXPORT int shmdt(const void *shmaddr)
{
	struct wire_req q = { .op = WIRE_SHMDT, .a = { (int64_t)(uintptr_t)shmaddr } };
	struct wire_rep r;
	int64_t spans[2 * 64];

	if (preload_call(&q, NULL, 0, &r, spans, sizeof(spans), NULL) < 0)
		return -1;
	/* The server lists the (address, length) pairs the detach removed. */
	for (size_t i = 0; r.ret == 0 && i + 1 < r.len / sizeof(int64_t) && i + 1 < 128; i += 2)
		munmap((void *)(uintptr_t)spans[i], (size_t)spans[i + 1]);
	return (int)finish(&r);
}

PRELOAD_EXPORT int shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	return (int)ctl_call(WIRE_SHMCTL, shmid, 0, cmd, buf);
}

PRELOAD_EXPORT int semget(key_t key, int nsems, int semflg)
{
	return (int)simple(WIRE_SEMGET, key, nsems, semflg);
}

static int semop_call(int semid, struct sembuf *sops, size_t nsops, const struct timespec *t)
{
	struct wire_req q = { .op = WIRE_SEMOP, .a = { semid, (int64_t)nsops, 0, t != NULL } };
	struct wire_rep r;
	struct timespec tv;
	size_t n = nsops <= 4096 ? nsops * sizeof(struct sembuf) : 0;
	void *ops = n ? malloc(n) : NULL;
	int rc;

	if (n && !ops) {
		errno = ENOMEM;
		return -1;
	}
	q.a[2] = n && preload_copy_in(ops, sops, n) == 0;
	if (t && preload_copy_in(&tv, t, sizeof(tv)) == 0) {
		q.a[4] = tv.tv_sec;
		q.a[5] = tv.tv_nsec;
	} else if (t) {
		q.a[3] = 2; /* an unreadable timeout: EFAULT */
	}
	rc = preload_call(&q, ops, q.a[2] ? n : 0, &r, NULL, 0, NULL);
	free(ops);
	return rc < 0 ? -1 : (int)finish(&r);
}

PRELOAD_EXPORT int semop(int semid, struct sembuf *sops, size_t nsops)
{
	return semop_call(semid, sops, nsops, NULL);
}

PRELOAD_EXPORT int semtimedop(int semid, struct sembuf *sops, size_t nsops,
                              const struct timespec *timeout)
{
	return semop_call(semid, sops, nsops, timeout);
}

union preload_semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

PRELOAD_EXPORT int semctl(int semid, int semnum, int cmd, ...)
{
	struct wire_req q = { .op = WIRE_SEMCTL, .a = { semid, cmd, 0, semnum } };
	struct wire_rep r;
	union preload_semun arg = { 0 };
	unsigned short vals[32000];
	va_list ap;

	/* Only the commands that take a fourth argument read one (glibc too). */
	switch (cmd) {
	case SETVAL: case GETALL: case SETALL: case IPC_STAT: case IPC_SET: case IPC_INFO:
	case SEM_INFO: case SEM_STAT: case SEM_STAT_ANY:
		va_start(ap, cmd);
		arg = va_arg(ap, union preload_semun);
		va_end(ap);
		break;
	default:
		break;
	}
	if (cmd == SETVAL) {
		q.a[4] = arg.val;
		if (preload_call(&q, NULL, 0, &r, NULL, 0, NULL) < 0)
			return -1;
		return (int)finish(&r);
	}
	if (cmd != GETALL && cmd != SETALL)
		return (int)ctl_call(WIRE_SEMCTL, semid, semnum, cmd,
		                     ctl_uses_buf(WIRE_SEMCTL, cmd) ? (void *)arg.buf : NULL);
	/* GETALL/SETALL: as many values as the set has; the server knows how many. */
	q.a[1] = cmd;
	if (cmd == SETALL) {
		/* a[5]: not a call, only the set's size (no permission needed). */
		struct wire_req count = { .op = WIRE_SEMCTL, .a = { semid, cmd, 0, 0, 0, 1 } };
		size_t n;

		if (preload_call(&count, NULL, 0, &r, NULL, 0, NULL) < 0)
			return -1;
		n = r.ret > 0 ? (size_t)r.ret : 0;
		if (n > sizeof(vals) / sizeof(vals[0]))
			n = sizeof(vals) / sizeof(vals[0]);
		q.a[2] = preload_copy_in(vals, arg.array, n * sizeof(vals[0])) == 0;
		if (preload_call(&q, vals, q.a[2] ? n * sizeof(vals[0]) : 0, &r, NULL, 0, NULL) < 0)
			return -1;
		return (int)finish(&r);
	}
	q.a[2] = arg.array != NULL;
	if (preload_call(&q, NULL, 0, &r, vals, sizeof(vals), NULL) < 0)
		return -1;
	if (r.ret >= 0 && preload_copy_out(arg.array, vals, r.len) < 0) {
		r.ret = -1;
		r.err = EFAULT;
	}
	return (int)finish(&r);
}
