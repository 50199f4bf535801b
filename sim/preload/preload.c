/*
 * preload.c - libipcsim-preload.so's connection to `ipcsim exec`'s server:
 * found through IPCSIM_EXEC_SOCK at load time, one per process (a forked
 * child opens its own), one call at a time (a mutex: threads take turns).
 *
 * The library lives in the student's process, so it is kept small and links
 * nothing of the simulator: it copies the caller's bytes to the server and
 * the answer back.  A call sleeps in poll(2), not in read(2): poll is never
 * restarted after a signal handler ran, whatever SA_RESTART says, and is
 * restarted when no handler ran, exactly as msgrcv and semop behave
 * (ERESTARTNOHAND), so EINTR reaches the call when Linux would give it.
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
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/capability.h>

#include "preload/preload_int.h"

/* The process's connection; a forked child replaces it (fork below). */
static int conn_fd = -1;
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

static void after_fork_child(void)
{
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

/* Waits until fd is readable.  interruptible: a signal handler that ran
 * returns 1 (poll's EINTR); else 0, -1 on error. */
static int wait_readable(int fd, int interruptible)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		int n = poll(&p, 1, -1);

		if (n > 0)
			return 0;
		if (n < 0 && errno == EINTR) {
			if (interruptible)
				return 1;
			continue;
		}
		if (n < 0)
			return -1;
	}
}

/* Reads exactly n bytes (the descriptor of an SCM_RIGHTS message into *fd). */
static int read_all(int fd, void *buf, size_t n, int *passed)
{
	char *p = buf;

	while (n > 0) {
		union {
			struct cmsghdr h;
			char b[CMSG_SPACE(sizeof(int))];
		} ctl;
		struct iovec iov = { p, n };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t got;

		if (passed) {
			mh.msg_control = ctl.b;
			mh.msg_controllen = sizeof(ctl.b);
		}
		got = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		if (passed) {
			struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

			if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
				memcpy(passed, CMSG_DATA(c), sizeof(int));
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* The reply: header and payload in one recvmsg when they have arrived
 * (they are sent together), the rest read after; a payload beyond cap is
 * read and dropped. */
static int read_reply(int fd, struct wire_rep *r, void *out, size_t cap, int *passed)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov[2] = { { r, sizeof(*r) }, { out, cap } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = cap ? 2 : 1 };
	size_t got_payload = 0, keep;
	char sink[512];
	ssize_t got;

	if (passed) {
		mh.msg_control = ctl.b;
		mh.msg_controllen = sizeof(ctl.b);
	}
	do
		got = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (got < 0 && errno == EINTR);
	if (got <= 0)
		return -1;
	if (passed) {
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

		if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(passed, CMSG_DATA(c), sizeof(int));
	}
	if ((size_t)got < sizeof(*r)) {
		if (read_all(fd, (char *)r + got, sizeof(*r) - (size_t)got, NULL) < 0)
			return -1;
	} else {
		got_payload = (size_t)got - sizeof(*r);
	}
	if (r->magic != WIRE_MAGIC || got_payload > r->len)
		return -1;
	keep = r->len < cap ? r->len : cap;
	if (keep > got_payload && read_all(fd, (char *)out + got_payload, keep - got_payload, NULL) < 0)
		return -1;
	for (size_t rest = r->len - (keep > got_payload ? keep : got_payload); rest > 0;) {
		size_t n = rest < sizeof(sink) ? rest : sizeof(sink);

		if (read_all(fd, sink, n, NULL) < 0)
			return -1;
		rest -= n;
	}
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

/* Sends q and its payload, reads the reply; interruptible: a signal
 * handler during the wait sends WIRE_CANCEL (the reply still comes). */
static int exchange(int fd, struct wire_req *q, const void *payload, size_t len,
                    struct wire_rep *r, void *out, size_t cap, int *passed, int interruptible)
{
	struct iovec iov[2] = { { q, sizeof(*q) }, { (void *)payload, len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	size_t sent = 0, total = sizeof(*q) + len;
	int w;

	q->len = (uint32_t)len;
	while (sent < total) {
		ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		sent += (size_t)n;
		/* A short send: move the iovecs past what went. */
		while (n > 0 && mh.msg_iovlen > 0) {
			if ((size_t)n >= mh.msg_iov[0].iov_len) {
				n -= (ssize_t)mh.msg_iov[0].iov_len;
				mh.msg_iov++;
				mh.msg_iovlen--;
			} else {
				mh.msg_iov[0].iov_base = (char *)mh.msg_iov[0].iov_base + n;
				mh.msg_iov[0].iov_len -= (size_t)n;
				n = 0;
			}
		}
	}
	while ((w = wait_readable(fd, interruptible)) == 1) {
		struct wire_req c = { .op = WIRE_CANCEL };

		fill_creds(&c);
		if (write_all(fd, &c, sizeof(c)) < 0)
			return -1;
		interruptible = 0;
	}
	if (w < 0)
		return -1;
	return read_reply(fd, r, out, cap, passed);
}

static int connect_server(int hello_kind, pid_t parent)
{
	const char *path = getenv(WIRE_ENV_SOCK);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct wire_req q = { .op = WIRE_HELLO };
	struct wire_rep r;
	int fd;

	if (!path || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	/* When the parent dies the child follows: exec killed leaves nothing. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fill_creds(&q);
	q.a[0] = hello_kind;
	q.a[1] = parent;
	if (exchange(fd, &q, NULL, 0, &r, NULL, 0, NULL, 0) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

__attribute__((constructor)) static void preload_init(void)
{
	my_pid = (pid_t)syscall(SYS_getpid);
	/* A fork that does not go through ours (a raw clone is not served). */
	pthread_atfork(NULL, NULL, after_fork_child);
	if (!getenv(WIRE_ENV_SOCK))
		return;
	conn_fd = connect_server(WIRE_HELLO_NEW, getppid());
	if (conn_fd < 0)
		die_with_server();
}

int preload_call(struct wire_req *q, const void *payload, size_t len, struct wire_rep *r,
                 void *out, size_t cap, int *fd)
{
	int rc, saved = errno;

	if (conn_fd < 0) {
		errno = ENOSYS; /* loaded outside `ipcsim exec`: there is no kernel to ask */
		return -1;
	}
	fill_creds(q);
	if (fd)
		*fd = -1;
	pthread_mutex_lock(&conn_lock);
	rc = exchange(conn_fd, q, payload, len, r, out, cap, fd, 1);
	pthread_mutex_unlock(&conn_lock);
	if (rc < 0)
		die_with_server();
	if (r->killed)
		raise((int)r->killed);
	errno = saved;
	return 0;
}

/* fork: the child gets its own connection; the parent tells the server the
 * child's pid before fork returns, so the simulated child is a copy of the
 * parent as it was at the fork, whichever of the two reaches the server
 * first. */
PRELOAD_EXPORT pid_t fork(void)
{
	static pid_t (*real_fork)(void);
	struct wire_req q = { .op = WIRE_FORKED };
	struct wire_rep r;
	pid_t parent = getpid(), child;

	if (!real_fork)
		real_fork = (pid_t (*)(void))dlsym(RTLD_NEXT, "fork");
	if (!real_fork) {
		errno = ENOSYS;
		return -1;
	}
	if (conn_fd < 0)
		return real_fork();
	pthread_mutex_lock(&conn_lock);
	child = real_fork();
	if (child == 0) {
		after_fork_child();
		close(conn_fd);
		conn_fd = connect_server(WIRE_HELLO_FORK, parent);
		pthread_mutex_unlock(&conn_lock);
		if (conn_fd < 0)
			die_with_server();
		return 0;
	}
	pthread_mutex_unlock(&conn_lock);
	if (child > 0) {
		q.a[0] = child;
		preload_call(&q, NULL, 0, &r, NULL, 0, NULL);
	}
	return child;
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
