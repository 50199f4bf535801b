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
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "ipcsim/strace.h"

/* Connections that have not said hello yet. */
#define EXEC_MAX_PENDING 64

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static int read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n > 0) {
		ssize_t got = recv(fd, p, n, MSG_WAITALL);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

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
	execvp(argv[0], argv);
	fprintf(stderr, "ipcsim exec: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* /proc/PID/syscall's number: the process waits for a child there. */
static int waits_for_child(pid_t pid)
{
	char buf[64];
	int nr = exec_proc_file(pid, "syscall", buf, sizeof(buf)) > 0 ? atoi(buf) : -1;

	return nr == 61 || nr == 247; /* wait4, waitid */
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
		if (p->has_pend)
			return 0; /* a call waits for its turn: not stuck */
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

static void serve_conn(struct exec_server *s, int fd, int *pending, int *npending)
{
	struct exec_proc *p = exec_proc_by_fd(s, fd);
	struct wire_req q;
	unsigned char *payload = NULL;

	if (read_full(fd, &q, sizeof(q)) < 0 || q.magic != WIRE_MAGIC ||
	    q.len > WIRE_MAX_PAYLOAD ||
	    (q.len && (!(payload = malloc(q.len)) || read_full(fd, payload, q.len) < 0))) {
		/* closed: execve (CLOEXEC) or the end; the pidfd tells which */
		free(payload);
		close(fd);
		if (p)
			p->fd = -1;
		for (int i = 0; i < *npending; i++)
			if (pending[i] == fd)
				pending[i] = pending[--*npending];
		return;
	}
	if (!p) {
		for (int i = 0; i < *npending; i++)
			if (pending[i] == fd)
				pending[i] = pending[--*npending];
		struct ucred cred;
		socklen_t clen = sizeof(cred);

		/* Who connected is the kernel's word (SO_PEERCRED), not the
		 * request's: a program cannot have the server watch, or kill at
		 * the end, a process of somebody else's. */
		if (q.op != WIRE_HELLO || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 ||
		    cred.pid != q.pid || exec_proc_hello(s, fd, &q) < 0)
			close(fd);
	} else if (q.op == WIRE_CANCEL) {
		exec_interrupt(s, p);
	} else if (q.op == WIRE_FORKED) {
		exec_proc_forked(s, p, (pid_t)q.a[0]);
	} else if (q.op == WIRE_HELLO) {
		close(fd);
	} else if (!p->ended && s->o->deterministic) {
		exec_det_hold(s, p, &q, payload);
		payload = NULL;
	} else if (!p->ended && exec_call(s, p, &q, payload) < 0) {
		s->failed = 1;
	}
	free(payload);
}

static void accept_conn(struct exec_server *s, int *pending, int *npending)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    *npending >= EXEC_MAX_PENDING) {
		close(fd);
		return;
	}
	pending[(*npending)++] = fd;
}

static int loop(struct exec_server *s)
{
	long timeout = s->o->timeout_ms ? s->o->timeout_ms : IPCSIM_EXEC_TIMEOUT_MS;
	long deadline = now_ms() + timeout, quiet_since = now_ms();
	int pending[EXEC_MAX_PENDING], npending = 0, busy = 0;

	while (!s->stop && !s->failed && (!s->child_done || live(s))) {
		size_t cap = 2 + (size_t)npending + 2 * s->nprocs, n = 0;
		struct pollfd *fds = calloc(cap, sizeof(*fds));
		long wait;
		int got;

		if (!fds)
			return -1;
		fds[n++] = (struct pollfd){ s->listen_fd, POLLIN, 0 };
		fds[n++] = (struct pollfd){ s->sig_fd, POLLIN, 0 };
		for (int i = 0; i < npending; i++)
			fds[n++] = (struct pollfd){ pending[i], POLLIN, 0 };
		for (size_t i = 0; i < s->nprocs; i++)
			if (!s->procs[i].ended && s->procs[i].fd >= 0)
				fds[n++] = (struct pollfd){ s->procs[i].fd, POLLIN, 0 };
		for (size_t i = 0; i < s->nprocs; i++)
			if (!s->procs[i].ended && s->procs[i].pidfd >= 0)
				fds[n++] = (struct pollfd){ s->procs[i].pidfd, POLLIN, 0 };
		wait = deadline - now_ms();
		if (wait > IPCSIM_EXEC_DEADLOCK_MS)
			wait = IPCSIM_EXEC_DEADLOCK_MS;
		if (busy && wait > 1)
			wait = 1; /* --deterministic: a process still runs; look again */
		got = poll(fds, n, wait < 0 ? 0 : (int)wait);
		if (got < 0 && errno != EINTR) {
			free(fds);
			return -1;
		}
		if (got > 0)
			quiet_since = now_ms();
		/* Ends first: a process that waited for a child's end asks its
		 * next question only after that end (a process cannot end with a
		 * call unanswered unless a signal killed it in the call, and then
		 * the call is lost as it may be on Linux); then requests. */
		for (size_t i = 2; i < n; i++) {
			if (!(fds[i].revents & POLLIN))
				continue;
			for (size_t j = 0; j < s->nprocs; j++)
				if (s->procs[j].pidfd == fds[i].fd && !s->procs[j].ended) {
					int conn = s->procs[j].fd;

					exec_proc_end(s, &s->procs[j]);
					/* its descriptors are closed: not to be served below */
					for (size_t k = 2; k < n; k++)
						if (fds[k].fd == conn || k == i)
							fds[k].revents = 0;
				}
		}
		for (size_t i = 2; i < n; i++) {
			int is_pidfd = 0;

			for (size_t j = 0; j < s->nprocs; j++)
				is_pidfd |= s->procs[j].pidfd == fds[i].fd;
			if (!is_pidfd && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				serve_conn(s, fds[i].fd, pending, &npending);
		}
		if (fds[0].revents & POLLIN)
			accept_conn(s, pending, &npending);
		if (fds[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(s->sig_fd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					continue;
				fprintf(s->report, "ipcsim exec: stopped by %s\n",
				        strace_signal_name((int)si.ssi_signo));
				s->stop = 128 + (int)si.ssi_signo;
				s->stop_why = IPCSIM_EXEC_SIGNALLED;
			}
			reap(s);
		}
		free(fds);
		if (s->o->deterministic && !s->stop) {
			busy = exec_det_step(s, npending);
			if (busy)
				quiet_since = now_ms();
		}
		if (now_ms() >= deadline) {
			fprintf(s->report, "ipcsim exec: still running after %ld ms (--timeout): stopped\n",
			        timeout);
			s->stop = IPCSIM_EXEC_EXIT_ERROR;
			s->stop_why = IPCSIM_EXEC_TIMEOUT;
		} else if (now_ms() - quiet_since >= IPCSIM_EXEC_DEADLOCK_MS && deadlocked(s)) {
			report_deadlock(s);
			s->stop = IPCSIM_EXEC_EXIT_ERROR;
			s->stop_why = IPCSIM_EXEC_DEADLOCK;
		}
	}
	for (int i = 0; i < npending; i++)
		close(pending[i]);
	return 0;
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
		free(s->procs[i].payload);
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
	struct exec_server srv = { .o = o, .listen_fd = -1, .sig_fd = -1 };
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
	    (s->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
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
