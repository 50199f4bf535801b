/*
 * host_coord.c - the host backend's coordinator: a process forked from the
 * caller that made its own IPC namespace, owns every scenario process
 * (host_child.c) and answers the caller's requests one at a time.
 *
 * Its job in three parts:
 *   lifetime  unshare(CLONE_NEWIPC), a private tmpfs on /tmp for ftok's
 *             files (CLONE_NEWNS; a real temporary directory when mounts
 *             are refused), and on EOF from the caller: SIGKILL and reap
 *             every child, then exit, taking the namespace with it;
 *   waiting   a request to a child ends answered, asleep in a blocking IPC call
 *             (host_procfs.c), dead, or timed out;
 *   settling  after each step, wait until every live child sleeps again
 *             (idle on its channel or still in its call), turning answers
 *             of sleepers into RESUMED events and deaths into KILLED ones.
 *
 * The per-op handlers are in host_coord_ops.c.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "host/host_coord.h"

long host_coord_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

struct host_cproc *host_coord_proc(struct host_coord *c, int spid)
{
	int i = spid - HOST_FIRST_PID;

	return i >= 0 && i < c->nprocs ? &c->procs[i] : NULL;
}

struct host_cproc *host_coord_proc_by_rpid(struct host_coord *c, pid_t rpid)
{
	for (int i = 0; i < c->nprocs; i++)
		if (c->procs[i].rpid == rpid)
			return &c->procs[i];
	return NULL;
}

struct host_cproc *host_coord_proc_add(struct host_coord *c, pid_t rpid, int fd)
{
	struct host_cproc *p;

	if (c->nprocs == c->capprocs) {
		int cap = c->capprocs ? c->capprocs * 2 : 8;
		struct host_cproc *bigger = realloc(c->procs, (size_t)cap * sizeof(*bigger));

		if (bigger == NULL)
			return NULL;
		c->procs = bigger;
		c->capprocs = cap;
	}
	p = &c->procs[c->nprocs];
	memset(p, 0, sizeof(*p));
	p->spid = HOST_FIRST_PID + c->nprocs++;
	p->rpid = rpid;
	p->fd = fd;
	p->state = HC_IDLE;
	return p;
}

void host_coord_event(struct host_coord *c, const struct host_wire_event *ev,
                      unsigned char *text, size_t len)
{
	if (c->nevs == c->capevs) {
		int cap = c->capevs ? c->capevs * 2 : 8;
		struct host_pending_event *bigger = realloc(c->evs, (size_t)cap * sizeof(*bigger));

		if (bigger == NULL) {
			free(text); /* out of memory in the coordinator: the event is lost */
			return;
		}
		c->evs = bigger;
		c->capevs = cap;
	}
	c->evs[c->nevs].ev = *ev;
	c->evs[c->nevs].text = text;
	c->evs[c->nevs].len = len;
	c->nevs++;
}

/* p's real process has ended with status: it is no longer anybody's. */
static void proc_ended(struct host_coord *c, struct host_cproc *p, int status)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	p->state = HC_ENDED;
	p->timed_wait = 0;
	p->term_sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	if (WIFSIGNALED(status) && !p->exit_expected) {
		struct host_wire_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.kind = BACKEND_EV_KILLED;
		ev.pid = p->spid;
		ev.sig = WTERMSIG(status);
		host_coord_event(c, &ev, NULL, 0);
	}
}

/* Reaps whatever has died, without waiting. */
static void reap_dead(struct host_coord *c)
{
	int status;
	pid_t r;

	while ((r = waitpid(-1, &status, WNOHANG)) > 0) {
		struct host_cproc *p = host_coord_proc_by_rpid(c, r);

		if (p != NULL && p->state != HC_ENDED)
			proc_ended(c, p, status);
	}
}

/* p's channel closed: wait (bounded) for its death and reap it. */
static void reap_one(struct host_coord *c, struct host_cproc *p)
{
	long deadline = host_coord_now_ms() + c->cfg.step_timeout_ms;
	int status = 0;

	for (;;) {
		pid_t r = waitpid(p->rpid, &status, WNOHANG);

		if (r == p->rpid || (r < 0 && errno == ECHILD))
			break;
		if (host_coord_now_ms() >= deadline) {
			kill(p->rpid, SIGKILL); /* closed its channel but lives on */
			waitpid(p->rpid, &status, 0);
			break;
		}
		usleep(200);
	}
	if (p->state != HC_ENDED)
		proc_ended(c, p, status);
}

static int readable(int fd, int timeout_ms)
{
	struct pollfd pf = { fd, POLLIN, 0 };

	return poll(&pf, 1, timeout_ms) > 0 && (pf.revents & (POLLIN | POLLHUP | POLLERR));
}

enum host_wait host_coord_call(struct host_coord *c, struct host_cproc *p,
                               const struct host_req *q, const void *blob, size_t blen,
                               int fd_pass, int may_block, const char *call,
                               struct host_rep *rep, unsigned char **text, size_t *tlen)
{
	long start = host_coord_now_ms(), deadline = start + c->cfg.step_timeout_ms;
	int rc;

	*text = NULL;
	*tlen = 0;
	memset(rep, 0, sizeof(*rep));
	if (q->op == HOST_OP_SLEEP)
		deadline += (long)q->num * 1000L;
	if (host_wire_send(p->fd, q, sizeof(*q), blob, blen, fd_pass) < 0) {
		reap_one(c, p);
		return HW_DIED;
	}
	for (;;) {
		if (readable(p->fd, c->cfg.grace_ms))
			break;
		if (may_block && host_procfs_sleeps_in_ipc(p->rpid) && !readable(p->fd, 0)) {
			p->state = HC_BLOCKED;
			p->block_seq = ++c->block_seq;
			snprintf(p->call, sizeof(p->call), "%s", call);
			return HW_BLOCKED;
		}
		if (host_coord_now_ms() >= deadline)
			return HW_TIMEOUT;
	}
	rc = host_wire_recv(p->fd, rep, sizeof(*rep), text, tlen, NULL);
	if (rc < 0) {
		reap_one(c, p);
		return HW_DIED;
	}
	return HW_ANSWERED;
}

/* A sleeper answered: its result is the RESUMED event. */
static void collect_answer(struct host_coord *c, struct host_cproc *p)
{
	struct host_rep rep;
	struct host_wire_event ev;
	unsigned char *text;
	size_t tlen;

	if (host_wire_recv(p->fd, &rep, sizeof(rep), &text, &tlen, NULL) < 0) {
		reap_one(c, p);
		return;
	}
	p->state = HC_IDLE;
	p->timed_wait = 0;
	memset(&ev, 0, sizeof(ev));
	ev.kind = BACKEND_EV_RESUMED;
	ev.pid = p->spid;
	snprintf(ev.call, sizeof(ev.call), "%s", p->call);
	ev.r = rep.r;
	host_coord_map_result(c, &ev.r);
	host_coord_event(c, &ev, text, tlen);
}

/* Blocked procs in the order they fell asleep (the order Linux queues them). */
static int next_blocked(struct host_coord *c, unsigned long after)
{
	int best = -1;

	for (int i = 0; i < c->nprocs; i++) {
		struct host_cproc *p = &c->procs[i];

		if (p->state == HC_BLOCKED && p->block_seq > after &&
		    (best < 0 || p->block_seq < c->procs[best].block_seq))
			best = i;
	}
	return best;
}

void host_coord_settle(struct host_coord *c)
{
	long deadline = host_coord_now_ms() + c->cfg.settle_ms;

	for (;;) {
		int busy = 0;

		reap_dead(c);
		for (int i = next_blocked(c, 0); i >= 0;) {
			struct host_cproc *p = &c->procs[i];
			unsigned long seq = p->block_seq;

			if (readable(p->fd, 0))
				collect_answer(c, p);
			else if (!host_procfs_sleeps_in_ipc(p->rpid) || readable(p->fd, 0))
				busy = 1; /* woken (or dying): its answer is on the way */
			i = next_blocked(c, seq);
		}
		for (int i = 0; i < c->nprocs && !busy; i++) {
			char st;

			if (c->procs[i].state != HC_IDLE)
				continue;
			st = host_procfs_state(c->procs[i].rpid);
			if (st != 'S' && st != 'T' && st != 't')
				busy = 1; /* running a handler, dying, or a zombie to reap */
		}
		if (!busy || host_coord_now_ms() >= deadline)
			return;
		usleep(200);
	}
}

/* ---- lifetime ------------------------------------------------------------ */

static void hello(int sock, int rc, const char *why)
{
	struct host_rep rep;

	memset(&rep, 0, sizeof(rep));
	rep.rc = rc;
	snprintf(rep.why, sizeof(rep.why), "%s", why);
	host_wire_send(sock, &rep, sizeof(rep), NULL, 0, -1);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n < 0 ? -1 : 0;
}

/*
 * A user namespace where the caller is HOST_USERNS_ID (uid and gid), then
 * the IPC namespace.  Without newuidmap an unprivileged caller can map one
 * uid only; the scenario's default user (uid 1000, gid 1000)
 * is the one most steps run as, so that is the one that exists.  Root and
 * every other uid do not: their processes cannot be made.  The coordinator
 * keeps every capability in the namespace (it created it) whatever its uid.
 */
#define HOST_USERNS_ID 1000

static int unshare_userns(char *why, size_t whylen)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];

	if (unshare(CLONE_NEWUSER | CLONE_NEWIPC) != 0) {
		snprintf(why, whylen, "unshare(CLONE_NEWUSER|CLONE_NEWIPC): %s", strerror(errno));
		return -1;
	}
	snprintf(map, sizeof(map), "%d %u 1\n", HOST_USERNS_ID, (unsigned)uid);
	if (write_file("/proc/self/setgroups", "deny\n") != 0 ||
	    write_file("/proc/self/uid_map", map) != 0) {
		snprintf(why, whylen, "user namespace uid_map: %s", strerror(errno));
		return -1;
	}
	snprintf(map, sizeof(map), "%d %u 1\n", HOST_USERNS_ID, (unsigned)gid);
	if (write_file("/proc/self/gid_map", map) != 0) {
		snprintf(why, whylen, "user namespace gid_map: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int make_namespace(struct host_coord *c, char *why, size_t whylen)
{
	if (unshare(CLONE_NEWIPC) != 0) {
		int e = errno;

		if (!(c->cfg.allow_userns && e == EPERM && geteuid() != 0)) {
			snprintf(why, whylen,
			         "unshare(CLONE_NEWIPC): %s - the host backend needs the privilege "
			         "to create an IPC namespace (root / CAP_SYS_ADMIN)", strerror(e));
			return -1;
		}
		if (unshare_userns(why, whylen) != 0)
			return -1;
	}
	/* ftok's files on a private tmpfs: nothing to clean up, whatever happens. */
	if (unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount("ipcsim", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") == 0) {
		snprintf(c->tmpdir, sizeof(c->tmpdir), "/tmp");
		return 0;
	}
	snprintf(c->tmpdir, sizeof(c->tmpdir), "/tmp/ipcsim-host-XXXXXX");
	if (mkdtemp(c->tmpdir) == NULL || chmod(c->tmpdir, 0755) != 0) {
		snprintf(why, whylen, "mkdtemp: %s", strerror(errno));
		return -1;
	}
	c->tmp_owned = 1;
	return 0;
}

/* Every child SIGKILLed and reaped, files gone; then the process ends. */
static void shutdown_all(struct host_coord *c) __attribute__((noreturn));
static void shutdown_all(struct host_coord *c)
{
	for (int i = 0; i < c->nprocs; i++)
		if (c->procs[i].state != HC_ENDED)
			kill(c->procs[i].rpid, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	for (int i = 0; i < c->nprocs; i++)
		if (c->procs[i].fd >= 0)
			close(c->procs[i].fd);
	if (c->tmp_owned) {
		for (int i = 0; i < c->nfiles; i++)
			unlink(c->files[i].real);
		rmdir(c->tmpdir);
	}
	host_coord_files_free(c);
	for (int i = 0; i < c->nevs; i++)
		free(c->evs[i].text);
	free(c->evs);
	free(c->procs);
	free(c->keys);
	_exit(0);
}

/* The reply, then the events of this step, oldest first. */
static int reply(struct host_coord *c, struct host_rep *rep, const unsigned char *blob,
                 size_t blen)
{
	int rc;

	rep->nevents = c->nevs;
	rc = host_wire_send(c->sock, rep, sizeof(*rep), blob, blen, -1);
	for (int i = 0; i < c->nevs; i++) {
		if (rc == 0)
			rc = host_wire_send(c->sock, &c->evs[i].ev, sizeof(c->evs[i].ev),
			                    c->evs[i].text, c->evs[i].len, -1);
		free(c->evs[i].text);
	}
	c->nevs = 0;
	return rc;
}

void host_coord_main(int sock, pid_t caller, const struct host_coord_config *cfg)
{
	struct host_coord c;
	char why[160];
	sigset_t none;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0L, 0L, 0L);
	if (getppid() != caller)
		_exit(127); /* the caller died before the death signal was armed */
	host_close_fds_except(sock);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	memset(&c, 0, sizeof(c));
	c.sock = sock;
	c.self = getpid();
	c.cfg = *cfg;
	if (make_namespace(&c, why, sizeof(why)) != 0) {
		hello(sock, -1, why);
		_exit(2);
	}
	hello(sock, 0, "");
	for (;;) {
		struct host_req q;
		struct host_rep rep;
		unsigned char *in, *out = NULL;
		size_t inlen, outlen = 0;

		if (host_wire_recv(sock, &q, sizeof(q), &in, &inlen, NULL) < 0)
			shutdown_all(&c); /* the caller closed the channel or died */
		memset(&rep, 0, sizeof(rep));
		host_coord_dispatch(&c, &q, in, inlen, &rep, &out, &outlen);
		free(in);
		if (reply(&c, &rep, out, outlen) < 0) {
			free(out);
			shutdown_all(&c);
		}
		free(out);
	}
}
