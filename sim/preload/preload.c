/*
 * preload.c - libipcsim-preload.so's connection to `ipcsim exec`'s server:
 * found through IPCSIM_EXEC_SOCK at load time, one per process (a forked
 * child opens its own), one call at a time (a mutex: threads take turns).
 *
 * The library lives in the student's process, so it is kept small and links
 * nothing of the simulator: it copies the caller's bytes to the server and
 * the answer back.  After the hello on the socket, every call goes through
 * the process's slot (preload_wire.h): the request is written there, the
 * server is rung only when it sleeps, and the answer is awaited on the
 * slot's state word: a short spin on a machine with several CPUs (most
 * calls are answered within microseconds), then FUTEX_WAIT.  The wait
 * always has a timeout, which makes it end with EINTR after a signal
 * handler ran, whatever SA_RESTART says, and restart when no handler ran:
 * exactly msgrcv and semop's rule (ERESTARTNOHAND); the library then sets
 * the slot's cancel flag and the server ends the call with EINTR unless it
 * had finished.
 *
 * When the server is gone (ipcsim exec killed) the process ends itself:
 * nothing it does afterwards could be right, and nothing may outlive exec.
 */
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/capability.h>

#include "preload/preload_int.h"

/* The longest a call spins for its answer before it sleeps (on one CPU
 * it never spins: the server cannot run meanwhile). */
#define PRELOAD_SPIN_NS 40000L

/* The process's connection and slot; a forked child makes its own. */
static int conn_fd = -1, slot_fd = -1, bell_fd = -1;
static struct wire_slot *slot;
static size_t slot_bytes; /* mapped, the header included */
static struct wire_spin spin;
static pid_t forked_from; /* a child of a fork that has not said hello yet */
static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;

/* The process's pid and credentials, read once and again only after a
 * fork or a change of credentials (preload_creds_changed): a call then
 * costs no syscall for them. */
static pid_t my_pid;
static int creds_known;
static struct { uint32_t euid, egid; uint64_t caps; } creds;

void preload_creds_changed(void)
{
	__atomic_store_n(&creds_known, 0, __ATOMIC_RELEASE);
}

static void drop_connection(void)
{
	/* The slot is not inherited (MADV_DONTFORK); the descriptors are. */
	int *fds[] = { &conn_fd, &slot_fd, &bell_fd };

	slot = NULL;
	slot_bytes = 0;
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0) {
			preload_fd_disown(*fds[i]);
			close(*fds[i]);
		}
		*fds[i] = -1;
	}
}

/* In the child of any fork (pthread_atfork): the parent's connection is
 * not ours; the first call says hello as the parent's child. */
static void after_fork_child(void)
{
	if (conn_fd >= 0)
		forked_from = my_pid;
	drop_connection();
	my_pid = (pid_t)syscall(SYS_getpid);
	creds_known = 0;
}

static void die_with_server(void)
{
	/* The server is gone: exec was killed.  Nothing may outlive it. */
	raise(SIGKILL);
	_exit(137);
}

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads exactly n bytes from the socket, taking at most nfd descriptors
 * (SCM_RIGHTS) into passed[] (left -1 when none came). */
static int read_all(int fd, void *buf, size_t n, int *passed, int nfd)
{
	char *p = buf;

	while (n > 0) {
		union {
			struct cmsghdr h;
			char b[CMSG_SPACE(2 * sizeof(int))];
		} ctl;
		struct iovec iov = { p, n };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		struct cmsghdr *c;
		ssize_t got;

		if (nfd) {
			mh.msg_control = ctl.b;
			mh.msg_controllen = CMSG_SPACE((size_t)nfd * sizeof(int));
		}
		got = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		c = nfd ? CMSG_FIRSTHDR(&mh) : NULL;
		if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			memcpy(passed, CMSG_DATA(c), (k < (size_t)nfd ? k : (size_t)nfd) * sizeof(int));
			nfd = 0;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Maps the slot as large as its memfd is now (at most the largest payload). */
static int slot_map(void)
{
	struct stat st;
	size_t want, max = sizeof(struct wire_slot) + WIRE_MAX_PAYLOAD;
	void *m;

	if (fstat(slot_fd, &st) < 0 || (size_t)st.st_size < sizeof(struct wire_slot))
		return -1;
	want = (size_t)st.st_size < max ? (size_t)st.st_size : max;
	if (slot && want <= slot_bytes)
		return 0;
	m = slot ? mremap(slot, slot_bytes, want, MREMAP_MAYMOVE)
	         : mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_SHARED, slot_fd, 0);
	if (m == MAP_FAILED)
		return -1;
	/* A forked child must not share its parent's slot. */
	madvise(m, want, MADV_DONTFORK);
	slot = m;
	slot_bytes = want;
	return 0;
}

/* Room for n bytes of payload: the memfd made larger when needed. */
static int slot_room(size_t n)
{
	size_t want = sizeof(struct wire_slot) + n;

	if (want <= slot_bytes)
		return 0;
	if (n > WIRE_MAX_PAYLOAD)
		return -1;
	want = (want + 4095) & ~(size_t)4095;
	if (ftruncate(slot_fd, (off_t)want) < 0)
		return -1;
	return slot_map();
}

static void ring(void)
{
	uint64_t one = 1;

	if (write(bell_fd, &one, sizeof(one)) < 0)
		return; /* the server looks at every slot now and then anyway */
}

/* The server's end of the socket is closed: it is gone. */
static int server_gone(void)
{
	struct pollfd p = { .fd = conn_fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL));
}

static long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Waits until the slot holds the reply.  interruptible: a signal handler
 * that runs meanwhile sets the cancel flag (once).  0, or -1 when the
 * server is gone. */
static int wait_reply(int interruptible)
{
	long budget = wire_spin_budget(&spin);
	uint32_t st;

	if (budget) {
		long until = now_ns() + budget;

		for (unsigned i = 1;; i++) {
			st = __atomic_load_n(&slot->state, __ATOMIC_ACQUIRE);
			if (st == WIRE_SLOT_REP) {
				wire_spin_result(&spin, budget, 1);
				return 0;
			}
			if (st == WIRE_SLOT_BLOCKED)
				break; /* the call sleeps: spinning longer would not help */
			if ((i & 63) == 0 && now_ns() > until) {
				wire_spin_result(&spin, budget, 0);
				break;
			}
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#endif
		}
	}
	__atomic_store_n(&slot->client_sleeps, 1, __ATOMIC_SEQ_CST);
	while ((st = __atomic_load_n(&slot->state, __ATOMIC_SEQ_CST)) != WIRE_SLOT_REP) {
		/* A timeout is what makes a handler end the wait with EINTR even
		 * under SA_RESTART; a handler that runs just as it expires is
		 * missed, so it is long.  (A killed server takes the processes
		 * with it: PR_SET_PDEATHSIG.) */
		struct timespec t = { 3600, 0 };

		if (syscall(SYS_futex, &slot->state, FUTEX_WAIT, st, &t, NULL, 0) == 0 ||
		    errno == EAGAIN)
			continue;
		if (errno == EINTR && interruptible) {
			__atomic_store_n(&slot->cancel, 1, __ATOMIC_SEQ_CST);
			ring();
			interruptible = 0;
		} else if (errno == ETIMEDOUT && server_gone()) {
			return -1;
		}
	}
	__atomic_store_n(&slot->client_sleeps, 0, __ATOMIC_RELAXED);
	return 0;
}

static void fill_creds(struct wire_req *q)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	q->magic = WIRE_MAGIC;
	q->pid = my_pid;
	if (!__atomic_load_n(&creds_known, __ATOMIC_ACQUIRE)) {
		creds.euid = geteuid();
		creds.egid = getegid();
		creds.caps = 0;
		if (syscall(SYS_capget, &h, d) == 0)
			creds.caps = (uint64_t)d[0].effective | (uint64_t)d[1].effective << 32;
		__atomic_store_n(&creds_known, 1, __ATOMIC_RELEASE);
	}
	q->euid = creds.euid;
	q->egid = creds.egid;
	q->caps = creds.caps;
}

/* The hello on a new connection; the reply brings the slot and the bell.
 * 0, or -1 (the connection is dropped). */
static int hello(int hello_kind, pid_t parent)
{
	const char *path = getenv(WIRE_ENV_SOCK);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct wire_req q = { .op = WIRE_HELLO };
	struct wire_rep r;
	int fds[2] = { -1, -1 };

	if (!path || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	conn_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (conn_fd < 0)
		return -1;
	if (connect(conn_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	/* When the parent dies the child follows: exec killed leaves nothing. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fill_creds(&q);
	q.a[0] = hello_kind;
	q.a[1] = parent;
	if (write_all(conn_fd, &q, sizeof(q)) < 0 || read_all(conn_fd, &r, sizeof(r), fds, 2) < 0)
		goto fail;
	slot_fd = fds[0];
	bell_fd = fds[1];
	if (r.magic != WIRE_MAGIC || r.ret < 0 || slot_fd < 0 || bell_fd < 0 || slot_map() < 0)
		goto fail;
	/* out of the reach of the program's close(): closing every
	 * descriptor between two calls is allowed */
	preload_fd_own(conn_fd);
	preload_fd_own(slot_fd);
	preload_fd_own(bell_fd);
	return 0;
fail:
	if (fds[0] >= 0 && slot_fd < 0)
		close(fds[0]);
	if (fds[1] >= 0 && bell_fd < 0)
		close(fds[1]);
	drop_connection();
	return -1;
}

__attribute__((constructor)) static void preload_init(void)
{
	my_pid = (pid_t)syscall(SYS_getpid);
	spin.max = spin.ns = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? PRELOAD_SPIN_NS : 0;
	/* A fork that does not go through ours (a raw clone is not served). */
	pthread_atfork(NULL, NULL, after_fork_child);
	if (!getenv(WIRE_ENV_SOCK))
		return;
	if (hello(WIRE_HELLO_NEW, getppid()) < 0)
		die_with_server();
}

/* One call through the slot: the request, the wait, the reply copied out.
 * 0, or -1 when the server is gone. */
static int slot_call(struct wire_req *q, const void *payload, size_t len, struct wire_rep *r,
                     void *out, size_t cap, int *fd)
{
	size_t keep;

	if (slot_room(len) < 0) {
		/* larger than any payload the server takes: its EINVAL */
		memset(r, 0, sizeof(*r));
		r->ret = -1;
		r->err = EINVAL;
		return 0;
	}
	q->len = (uint32_t)len;
	if (len)
		memcpy(slot->data, payload, len);
	slot->req = *q;
	slot->cancel = 0;
	__atomic_store_n(&slot->state, WIRE_SLOT_REQ, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&slot->server_sleeps, __ATOMIC_SEQ_CST))
		ring();
	if (wait_reply(1) < 0)
		return -1;
	*r = slot->rep;
	if (r->magic != WIRE_MAGIC)
		return -1;
	if (r->len > slot_bytes - sizeof(struct wire_slot) && slot_map() < 0)
		return -1;
	keep = r->len < cap ? r->len : cap;
	if (keep > slot_bytes - sizeof(struct wire_slot))
		keep = slot_bytes - sizeof(struct wire_slot);
	if (keep)
		memcpy(out, slot->data, keep);
	__atomic_store_n(&slot->state, WIRE_SLOT_IDLE, __ATOMIC_RELEASE);
	/* shmat's descriptor was sent on the socket before the reply */
	if (r->has_fd && read_all(conn_fd, &(char){ 0 }, 1, fd ? fd : &(int){ -1 }, 1) < 0)
		return -1;
	return 0;
}

int preload_call(struct wire_req *q, const void *payload, size_t len, struct wire_rep *r,
                 void *out, size_t cap, int *fd)
{
	int rc = 0, saved = errno;

	if (fd)
		*fd = -1;
	pthread_mutex_lock(&conn_lock);
	/* a child of a fork that did not go through ours says hello now */
	if (!slot && forked_from && hello(WIRE_HELLO_FORK, forked_from) < 0)
		rc = -1;
	forked_from = 0;
	if (rc == 0 && !slot) {
		pthread_mutex_unlock(&conn_lock);
		errno = ENOSYS; /* loaded outside `ipcsim exec`: there is no kernel to ask */
		return -1;
	}
	if (rc == 0) {
		fill_creds(q);
		rc = slot_call(q, payload, len, r, out, cap, fd);
	}
	pthread_mutex_unlock(&conn_lock);
	if (rc < 0)
		die_with_server();
	if (r->killed)
		raise((int)r->killed);
	errno = saved;
	return 0;
}

/* fork: the child says hello on its own connection; the parent tells the
 * server the child's pid before fork returns, so the simulated child is a
 * copy of the parent as it was at the fork, whichever of the two reaches
 * the server first. */
PRELOAD_EXPORT pid_t fork(void)
{
	static pid_t (*real_fork)(void);
	struct wire_req q = { .op = WIRE_FORKED };
	struct wire_rep r;
	pid_t child;
	int rc;

	if (!real_fork)
		real_fork = (pid_t (*)(void))dlsym(RTLD_NEXT, "fork");
	if (!real_fork) {
		errno = ENOSYS;
		return -1;
	}
	if (!slot)
		return real_fork();
	/* no thread is in the middle of a shmat in the child */
	preload_shm_fd_lock();
	pthread_mutex_lock(&conn_lock);
	child = real_fork();
	if (child == 0) {
		/* after_fork_child has dropped the parent's connection */
		rc = hello(WIRE_HELLO_FORK, forked_from);
		forked_from = 0;
		pthread_mutex_unlock(&conn_lock);
		preload_shm_fd_unlock();
		if (rc < 0)
			die_with_server();
		return 0;
	}
	pthread_mutex_unlock(&conn_lock);
	preload_shm_fd_unlock();
	if (child > 0) {
		q.a[0] = child;
		preload_call(&q, NULL, 0, &r, NULL, 0, NULL);
	}
	return child;
}

/* vfork behaves as fork (POSIX allows it): the child gets a connection of
 * its own, so its calls before execve are its own, not its parent's (a
 * vfork child would otherwise share the parent's slot and memory). */
PRELOAD_EXPORT pid_t vfork(void)
{
	return fork();
}

int preload_copy_in(void *dst, const void *user_src, size_t n)
{
	struct iovec local = { dst, n }, remote = { (void *)user_src, n };

	if (n == 0)
		return 0;
	if (!user_src)
		return -1;
	return process_vm_readv(my_pid, &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -1;
}

int preload_copy_out(void *user_dst, const void *src, size_t n)
{
	struct iovec local = { (void *)src, n }, remote = { user_dst, n };

	if (n == 0)
		return 0;
	if (!user_dst)
		return -1;
	return process_vm_writev(my_pid, &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -1;
}
