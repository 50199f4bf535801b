/*
 * exec_server.c - `ipcsim exec`'s run: a private directory holding the
 * socket, the command started with the preload library and the seccomp
 * filter, one event loop serving every process's requests, and the end:
 * the command's exit status, the report, the files.
 *
 * The loop polls the listening socket, every connection, every process's
 * pidfd (its end) and a signalfd (SIGCHLD: reap; SIGINT, SIGTERM, SIGHUP:
 * stop).  Requests are served before ends in each round, so a call a
 * process finished before it exited is never lost.  When every live
 * process sleeps in a simulated call (or waits for a child) for
 * IPCSIM_EXEC_DEADLOCK_MS, that is a deadlock: reported, exit 2.  The
 * server is the subreaper of everything the command starts, and kills what
 * is left when it stops; the preload library kills its process when the
 * server goes away, so nothing outlives `ipcsim exec`.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "ipcsim/strace.h"

/* Connections that have not said hello yet, and how long one may take. */
#define EXEC_MAX_PENDING 64
#define EXEC_HELLO_MS 5000L
/* How long the server looks for the next request before it sleeps. */
#define IPCSIM_EXEC_SPIN_NS 50000L

static int setup_socket(struct exec_server *s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *tmp = getenv("TMPDIR");

	snprintf(s->dir, sizeof(s->dir), "%s/ipcsim-exec.XXXXXX",
	         tmp && strlen(tmp) < 24 ? tmp : "/tmp");
	if (!mkdtemp(s->dir))
		return -1;
	/* Not listable, but a process of the program that dropped its
	 * privileges (setuid) and forks can still reach the socket by the name
	 * it inherited; the name is random (mkdtemp). */
	chmod(s->dir, 0711);
	snprintf(s->sock_path, sizeof(s->sock_path), "%s/s", s->dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", s->sock_path);
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(s->sock_path, 0666) < 0 || listen(s->listen_fd, 64) < 0)
		return -1;
	return 0;
}

/* The file execvp would run for name, in out; 0, or -1 if none is found. */
static int find_program(const char *name, char *out, size_t n)
{
	const char *d = getenv("PATH") ? getenv("PATH") : "/bin:/usr/bin";

	if (strchr(name, '/'))
		return snprintf(out, n, "%s", name) < (int)n ? 0 : -1;
	for (;;) {
		const char *end = strchrnul(d, ':');
		int len = (int)(end - d);

		if (snprintf(out, n, "%.*s%s%s", len, d, len ? "/" : "", name) < (int)n &&
		    access(out, X_OK) == 0)
			return 0;
		if (!*end)
			return -1;
		d = end + 1;
	}
}

static int is_elf(const char *path)
{
	char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC), elf;

	if (fd < 0)
		return 0;
	elf = read(fd, magic, sizeof(magic)) == 4 && memcmp(magic, "\177ELF", 4) == 0;
	close(fd);
	return elf;
}

/* execvp, except for a binary the kernel refuses (ENOEXEC on an ELF file: a
 * 32-bit program where the kernel runs no 32-bit code), which execvp would
 * hand to /bin/sh as a script: it is said so and stopped. */
static void exec_program(char *const argv[])
{
	char path[PATH_MAX];

	if (find_program(argv[0], path, sizeof(path)) == 0 && is_elf(path)) {
		execv(path, argv);
		if (errno == ENOEXEC) {
			fprintf(stderr, "ipcsim exec: %s: cannot execute: this kernel does not run its "
			        "machine code (a 32-bit binary where the kernel runs none?); only "
			        "dynamically linked 64-bit programs reach the simulated kernel\n", argv[0]);
			_exit(126);
		}
	}
	execvp(argv[0], argv);
}

static void child_main(struct exec_server *s, char *const argv[], pid_t server)
{
	const struct ipcsim_exec_options *o = s->o;
	const char *old = getenv("LD_PRELOAD");
	char *preload = NULL;
	struct rlimit as = { o->max_memory ? o->max_memory : IPCSIM_EXEC_MAX_MEMORY,
	                     o->max_memory ? o->max_memory : IPCSIM_EXEC_MAX_MEMORY };
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != server)
		_exit(127);
	if (asprintf(&preload, "%s%s%s", o->preload, old && *old ? ":" : "", old ? old : "") < 0 ||
	    setenv("LD_PRELOAD", preload, 1) < 0 || setenv(WIRE_ENV_SOCK, s->sock_path, 1) < 0)
		_exit(127);
	setrlimit(RLIMIT_AS, &as);
	if (exec_seccomp_install() < 0) {
		fprintf(stderr, "ipcsim exec: cannot install the seccomp filter: %s\n", strerror(errno));
		_exit(127);
	}
	exec_program(argv);
	fprintf(stderr, "ipcsim exec: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* The process waits for a child: wait4 or waitid. */
static int waits_for_child(pid_t pid)
{
	int nr = exec_proc_syscall(pid);

	return nr == EXEC_NR_WAIT4 || nr == EXEC_NR_WAITID;
}

/* Every live process sleeps in a simulated call or waits for a child, and
 * at least one sleeps in a call. */
static int deadlocked(struct exec_server *s)
{
	int sleeping = 0;

	for (size_t i = 0; i < s->nprocs; i++) {
		struct exec_proc *p = &s->procs[i];

		if (p->ended)
			continue;
		if (p->has_pend || (p->blocked && p->timed_ms))
			return 0; /* a call waits for its turn, or its timeout: not stuck */
		if (p->blocked)
			sleeping = 1;
		else if (!waits_for_child(p->real))
			return 0;
	}
	return sleeping;
}

static void report_deadlock(struct exec_server *s)
{
	fprintf(s->report, "ipcsim exec: deadlock: every process waits and none can wake another:\n");
	for (size_t i = 0; i < s->nprocs; i++) {
		struct exec_proc *p = &s->procs[i];

		if (p->ended)
			continue;
		if (p->blocked && (size_t)p->block_line < s->nlines)
			fprintf(s->report, "  %s (pid %d) sleeps in %s\n", p->name, (int)p->real,
			        strchr(s->lines[p->block_line], ' ') + 1);
		else
			fprintf(s->report, "  %s (pid %d) waits for a child\n", p->name, (int)p->real);
	}
}

/* Never kill(0) or kill(-1): a pid not yet known is skipped. */
static void kill_all(struct exec_server *s)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (!s->procs[i].ended && s->procs[i].real > 0)
			kill(s->procs[i].real, SIGKILL);
	if (!s->child_done && s->child > 0)
		kill(s->child, SIGKILL);
}

/* Reaps every child (the command, and orphans given to the subreaper);
 * the command's status is kept. */
static void reap(struct exec_server *s)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == s->child) {
			s->child_status = st;
			s->child_done = 1;
		}
	}
}

static int registered(const struct exec_server *s, pid_t pid)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].real == pid)
			return 1;
	return 0;
}

static int live(const struct exec_server *s)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (!s->procs[i].ended)
			return 1;
	return 0;
}

/* A connection that has not said hello yet: its bytes so far (read
 * without blocking, so a program that writes half a hello stalls nobody). */
struct pending {
	int fd;
	size_t got;
	long since;             /* accepted then (exec_now_ms) */
	struct wire_req q;
};

struct loop_state {
	struct pending pend[EXEC_MAX_PENDING];
	int npend;
	size_t watched;         /* processes whose pidfd is in the epoll set */
};

/* epoll's data: what became ready. */
enum { EV_LISTEN = 1, EV_SIG, EV_BELL, EV_PENDING, EV_PIDFD };
#define EV_TAG(kind, n) ((uint64_t)(kind) << 32 | (uint32_t)(n))

static int watch(struct exec_server *s, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

static void pending_drop(struct loop_state *l, int i, int close_it)
{
	if (close_it)
		close(l->pend[i].fd);
	l->pend[i] = l->pend[--l->npend];
}

/* Bytes of a hello: when it is whole, the process is registered. */
static void read_hello(struct exec_server *s, struct loop_state *l, int fd)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct pending *c = NULL;
	ssize_t got;
	int i;

	for (i = 0; i < l->npend && !c; i++)
		if (l->pend[i].fd == fd)
			c = &l->pend[i];
	if (!c)
		return;
	i--;
	got = recv(fd, (char *)&c->q + c->got, sizeof(c->q) - c->got, MSG_DONTWAIT);
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got <= 0) {
		pending_drop(l, i, 1);
		return;
	}
	c->got += (size_t)got;
	if (c->got < sizeof(c->q))
		return;
	epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
	/* Who connected is the kernel's word (SO_PEERCRED), not the request's:
	 * a program cannot have the server watch, or kill at the end, a
	 * process of somebody else's. */
	if (c->q.magic != WIRE_MAGIC || c->q.op != WIRE_HELLO ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 || cred.pid != c->q.pid ||
	    exec_proc_hello(s, fd, &c->q) < 0)
		pending_drop(l, i, 1);
	else
		pending_drop(l, i, 0);
}

static void accept_conn(struct exec_server *s, struct loop_state *l)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	if (l->npend >= EXEC_MAX_PENDING || watch(s, fd, EV_TAG(EV_PENDING, fd)) < 0) {
		close(fd);
		return;
	}
	l->pend[l->npend++] = (struct pending){ .fd = fd, .since = exec_now_ms() };
}

/* One request taken from p's slot: served, or held for its turn. */
static void serve_slot(struct exec_server *s, struct exec_proc *p)
{
	const unsigned char *payload;
	struct wire_req q;
	int taken = exec_slot_take(p, &q, &payload);

	if (taken == 0)
		return;
	if (taken < 0 || q.op == WIRE_HELLO) {
		struct backend_result r = { .ret = -1, .err = EINVAL };

		p->req.op = 0;
		exec_reply(s, p, &r, NULL, 0, -1);
	} else if (q.op == WIRE_FORKED) {
		exec_proc_forked(s, p, (pid_t)q.a[0]);
	} else if (s->o->deterministic) {
		unsigned char *copy = q.len ? malloc(q.len) : NULL;

		if (q.len && !copy) {
			s->failed = 1;
			return;
		}
		if (q.len)
			memcpy(copy, payload, q.len);
		exec_det_hold(s, p, &q, copy);
	} else if (exec_call(s, p, &q, payload) < 0) {
		s->failed = 1;
	}
}

/* The requests seen before the events were looked at; 1 when some. */
static int mark_posted(struct exec_server *s)
{
	int any = 0;

	for (size_t i = 0; i < s->nprocs; i++) {
		struct exec_proc *p = &s->procs[i];

		p->seen = !p->ended && (exec_slot_posted(p) || exec_slot_cancelled(p));
		any |= p->seen;
	}
	return any;
}

static void serve_marked(struct exec_server *s)
{
	/* by index: a fork may grow the table while it is served */
	for (size_t i = 0; i < s->nprocs && !s->failed && !s->stop; i++) {
		if (!s->procs[i].seen || s->procs[i].ended)
			continue;
		s->procs[i].seen = 0;
		if (exec_slot_cancelled(&s->procs[i]))
			exec_interrupt(s, &s->procs[i]);
		else
			serve_slot(s, &s->procs[i]);
	}
}

/* After serving, a request often follows within microseconds (the answer
 * woke its sender): look for one a little while before sleeping, when
 * another CPU can be running the sender meanwhile. */
static void spin_for_work(struct exec_server *s, struct wire_spin *spin)
{
	long ns = wire_spin_budget(spin);
	struct timespec t0, t;

	if (!ns)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 1;; i++) {
		for (size_t j = 0; j < s->nprocs; j++)
			if (exec_slot_posted(&s->procs[j]) || exec_slot_cancelled(&s->procs[j])) {
				wire_spin_result(spin, ns, 1);
				return;
			}
		if ((i & 15) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec > ns) {
				wire_spin_result(spin, ns, 0);
				return;
			}
		}
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
}

static void take_signals(struct exec_server *s)
{
	struct signalfd_siginfo si;

	while (read(s->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		fprintf(s->report, "ipcsim exec: stopped by %s\n", strace_signal_name((int)si.ssi_signo));
		s->stop = 128 + (int)si.ssi_signo;
		s->stop_why = IPCSIM_EXEC_SIGNALLED;
	}
	reap(s);
}

/* Something the deterministic scheduler must wait for before it decides:
 * a connection not yet heard, a request not yet taken, an end not yet
 * taken in (exec_det.c). */
int exec_in_flight(struct exec_server *s)
{
	struct pollfd l = { s->listen_fd, POLLIN, 0 };

	if (s->npending > 0 || poll(&l, 1, 0) > 0)
		return 1;
	for (size_t i = 0; i < s->nprocs; i++) {
		struct exec_proc *p = &s->procs[i];
		struct pollfd c = { p->pidfd, POLLIN, 0 };

		if (p->ended)
			continue;
		if (p->forked_unclaimed || exec_slot_posted(p) || poll(&c, 1, 0) > 0)
			return 1;
	}
	return 0;
}

/* The loop: each round notes the requests already written, then takes in
 * the events (ends first: an end that happened before a request was
 * written is in the record before it, so a parent that reaped a child
 * sees the child's undo done), then serves the noted requests.  It sleeps
 * in epoll_wait only when no slot holds a request, after telling every
 * library to ring the bell. */
static int loop(struct exec_server *s)
{
	long timeout = s->o->timeout_ms ? s->o->timeout_ms : IPCSIM_EXEC_TIMEOUT_MS;
	long deadline = exec_now_ms() + timeout, quiet_since = exec_now_ms();
	struct wire_spin spin = { 0 };
	spin.max = spin.ns = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? IPCSIM_EXEC_SPIN_NS : 0;
	struct loop_state l = { .npend = 0 };
	struct epoll_event evs[64];
	int busy = 0, rc = 0;

	if (watch(s, s->listen_fd, EV_TAG(EV_LISTEN, 0)) < 0 ||
	    watch(s, s->sig_fd, EV_TAG(EV_SIG, 0)) < 0)
		return -1;
	/* edge-triggered: every ring is an event, and the counter is never read */
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->bell_fd,
	              &(struct epoll_event){ .events = EPOLLIN | EPOLLET,
	                                     .data.u64 = EV_TAG(EV_BELL, 0) }) < 0)
		return -1;
	while (!s->stop && !s->failed && (!s->child_done || live(s))) {
		int work = mark_posted(s), sleeping = 0, n;
		long wait = 0;

		for (; l.watched < s->nprocs; l.watched++)
			if (s->procs[l.watched].pidfd >= 0)
				watch(s, s->procs[l.watched].pidfd, EV_TAG(EV_PIDFD, l.watched));
		if (!work) {
			wait = deadline - exec_now_ms();
			if (wait > IPCSIM_EXEC_DEADLOCK_MS)
				wait = IPCSIM_EXEC_DEADLOCK_MS;
			if (busy && wait > 1)
				wait = 1; /* --deterministic: a process still runs; look again */
			if (exec_timed_next(s) && wait > exec_timed_next(s) - exec_now_ms())
				wait = exec_timed_next(s) - exec_now_ms();
			if (wait > 0) {
				exec_slot_server_sleeps(s, 1);
				sleeping = 1;
				if ((work = mark_posted(s)))
					wait = 0;
			}
		}
		n = epoll_wait(s->epoll_fd, evs, 64, wait < 0 ? 0 : (int)wait);
		if (sleeping)
			exec_slot_server_sleeps(s, 0);
		if (n < 0 && errno != EINTR) {
			rc = -1;
			break;
		}
		if (n > 0 || work)
			quiet_since = exec_now_ms();
		for (int i = 0; i < n; i++) {
			uint32_t k = (uint32_t)(evs[i].data.u64 >> 32), idx = (uint32_t)evs[i].data.u64;

			if (k == EV_PIDFD && idx < s->nprocs && !s->procs[idx].ended)
				exec_proc_end(s, &s->procs[idx]);
		}
		for (int i = 0; i < n; i++) {
			uint32_t k = (uint32_t)(evs[i].data.u64 >> 32), idx = (uint32_t)evs[i].data.u64;

			if (k == EV_PENDING)
				read_hello(s, &l, (int)idx);
			else if (k == EV_LISTEN)
				accept_conn(s, &l);
			else if (k == EV_SIG)
				take_signals(s);
		}
		for (int i = 0; i < l.npend; i++)
			if (exec_now_ms() - l.pend[i].since > EXEC_HELLO_MS)
				pending_drop(&l, i--, 1); /* a hello that never ends: not a process of ours */
		s->npending = l.npend;
		if (work) {
			serve_marked(s);
			if (!s->o->deterministic)
				spin_for_work(s, &spin);
		}
		exec_timed_expire(s);
		if (s->o->deterministic && !s->stop) {
			busy = exec_det_step(s);
			if (busy)
				quiet_since = exec_now_ms();
		}
		if (exec_now_ms() >= deadline) {
			fprintf(s->report, "ipcsim exec: still running after %ld ms (--timeout): stopped\n",
			        timeout);
			s->stop = IPCSIM_EXEC_EXIT_ERROR;
			s->stop_why = IPCSIM_EXEC_TIMEOUT;
		} else if (exec_now_ms() - quiet_since >= IPCSIM_EXEC_DEADLOCK_MS && deadlocked(s)) {
			report_deadlock(s);
			s->stop = IPCSIM_EXEC_EXIT_ERROR;
			s->stop_why = IPCSIM_EXEC_DEADLOCK;
		}
	}
	for (int i = 0; i < l.npend; i++)
		close(l.pend[i].fd);
	return rc;
}

static int apply_limits(struct exec_server *s)
{
	for (const char *const *l = s->o->limits; l && *l; l++) {
		const char *eq = strchr(*l, '=');
		char name[64], *end;
		long long v;
		int rc;

		if (!eq || (size_t)(eq - *l) >= sizeof(name)) {
			fprintf(s->report, "ipcsim exec: --limit %s: expected NAME=VALUE\n", *l);
			return -1;
		}
		memcpy(name, *l, (size_t)(eq - *l));
		name[eq - *l] = '\0';
		errno = 0;
		v = strtoll(eq + 1, &end, 0);
		if (errno || *end || end == eq + 1) {
			fprintf(s->report, "ipcsim exec: --limit %s: the value is not a number\n", *l);
			return -1;
		}
		rc = s->b->ops->limit_set(s->b->ctx, name, v);
		if (rc < 0) {
			fprintf(s->report, "ipcsim exec: --limit %s: %s\n", *l,
			        rc == -ENOENT ? "no such limit" : strerror(-rc));
			return -1;
		}
		exec_line(s, 0, "limit %s=%lld", name, v);
	}
	return 0;
}

static void cleanup(struct exec_server *s)
{
	kill_all(s);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	for (size_t i = 0; i < s->nprocs; i++) {
		if (s->procs[i].fd >= 0)
			close(s->procs[i].fd);
		if (s->procs[i].pidfd >= 0)
			close(s->procs[i].pidfd);
		exec_slot_free(&s->procs[i]);
		free(s->procs[i].pend_payload);
	}
	free(s->procs);
	exec_seg_free_all(s);
	for (size_t i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->sig_fd >= 0)
		close(s->sig_fd);
	if (s->bell_fd >= 0)
		close(s->bell_fd);
	if (s->epoll_fd >= 0)
		close(s->epoll_fd);
	if (s->sock_path[0])
		unlink(s->sock_path);
	if (s->dir[0])
		rmdir(s->dir);
	backend_free(&s->b);
	if (s->text)
		fclose(s->text);
	free(s->text_buf);
}

int ipcsim_exec_run(const struct ipcsim_exec_options *o, char *const argv[])
{
	struct exec_server srv = { .o = o, .listen_fd = -1, .sig_fd = -1, .bell_fd = -1,
	                           .epoll_fd = -1 };
	struct exec_server *s = &srv;
	sigset_t mask, old;
	int status = IPCSIM_EXEC_EXIT_ERROR;
	enum ipcsim_exec_stop why = IPCSIM_EXEC_FAILED;
	int broke;
	pid_t me = getpid();

	s->report = o->report ? o->report : stderr;
	exec_names_init(s);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	s->b = backend_sim_new();
	s->text = open_memstream(&s->text_buf, &s->text_len);
	if (!s->b || !s->text || setup_socket(s) < 0 ||
	    (s->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    (s->bell_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    (s->epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		fprintf(s->report, "ipcsim exec: cannot start the server: %s\n", strerror(errno));
		goto out;
	}
	if (apply_limits(s) < 0)
		goto out;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	fflush(NULL);
	s->child = fork();
	if (s->child < 0) {
		fprintf(s->report, "ipcsim exec: fork: %s\n", strerror(errno));
		goto out;
	}
	if (s->child == 0)
		child_main(s, argv, me);
	if ((broke = loop(s) < 0))
		fprintf(s->report, "ipcsim exec: the server failed: %s\n", strerror(errno));
	if (s->failed)
		fprintf(s->report, "ipcsim exec: the simulator failed: %s\n", backend_failure(s->b));
	if (s->stop || s->failed) {
		kill_all(s);
		status = s->stop > IPCSIM_EXEC_EXIT_ERROR ? s->stop : IPCSIM_EXEC_EXIT_ERROR;
		why = s->failed ? IPCSIM_EXEC_FAILED : s->stop_why;
	} else if (WIFSIGNALED(s->child_status)) {
		status = 128 + WTERMSIG(s->child_status);
		if (WTERMSIG(s->child_status) == SIGSYS && !registered(s, s->child))
			fprintf(s->report, "ipcsim exec: %s made a real System V IPC system call and was "
			        "stopped (a static binary, a raw syscall(), a program not preloaded such "
			        "as a set-uid one, or a 32-bit binary): only dynamically linked 64-bit "
			        "programs calling glibc's functions run on the simulated kernel\n",
			        argv[0]);
	} else {
		status = WEXITSTATUS(s->child_status);
	}
	if (!s->stop && !s->failed && !broke)
		why = IPCSIM_EXEC_ENDED;
	exec_report_end(s);
	if (exec_write_outputs(s) < 0) {
		why = IPCSIM_EXEC_FAILED;
		if (status == 0)
			status = IPCSIM_EXEC_EXIT_ERROR;
	}
out:
	if (o->stopped)
		*o->stopped = why;
	cleanup(s);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}
