/*
 * diff_host.c - the host side of the differential test (see diff_host.h).
 *
 * Raw syscalls, not the glibc wrappers: glibc may convert structures, and the
 * EFAULT cases need the NULL pointer to reach the kernel as it is.
 */
#include "diff_host.h"
#include "diff_buf.h"
#include "diff_host_int.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long a call that should not sleep may sleep before we call it blocked. */
#define HOST_BLOCK_GUARD_USEC 250000

/*
 * The sequences are run by a small server process forked when the host side
 * is created, while the test process is still small: every later fork (one
 * per sequence, one per non-root step) copies that small process, not a test
 * process grown by simulated kernels (under AddressSanitizer, whose
 * quarantine keeps freed memory mapped, that copy was most of the cost).
 * Requests go down a pipe, the sequence and the answers through shared
 * anonymous mappings.
 */
struct diff_host {
	struct diff_run *shared; /* MAP_SHARED: written by the children */
	struct diff_seq *seq;    /* MAP_SHARED: the sequence to run */
	struct diff_buf buf;     /* allocated before any fork */
	pid_t server;
	int req, resp;           /* pipe ends to the server */
};

static void host_server(struct diff_host *h, int req, int resp);

static void *shared_map(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

struct diff_host *diff_host_new(void)
{
	struct diff_host *h = calloc(1, sizeof(*h));
	int down[2], up[2];

	if (!h)
		return NULL;
	h->shared = shared_map(sizeof(struct diff_run));
	h->seq = shared_map(sizeof(struct diff_seq));
	if (!h->shared || !h->seq || diff_buf_init(&h->buf) != 0 || pipe(down) != 0)
		goto out_free;
	if (pipe(up) != 0) {
		close(down[0]);
		close(down[1]);
		goto out_free;
	}
	fflush(NULL);
	h->server = fork();
	if (h->server == 0) {
		close(down[1]);
		close(up[0]);
		host_server(h, down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	h->req = down[1];
	h->resp = up[0];
	if (h->server > 0)
		return h;
	close(h->req);
	close(h->resp);
out_free:
	if (h->shared)
		munmap(h->shared, sizeof(struct diff_run));
	if (h->seq)
		munmap(h->seq, sizeof(struct diff_seq));
	diff_buf_fini(&h->buf);
	free(h);
	return NULL;
}

void diff_host_free(struct diff_host **h)
{
	int status;

	if (!h || !*h)
		return;
	close((*h)->req); /* the server sees EOF and leaves */
	close((*h)->resp);
	waitpid((*h)->server, &status, 0);
	munmap((*h)->shared, sizeof(struct diff_run));
	munmap((*h)->seq, sizeof(struct diff_seq));
	diff_buf_fini(&(*h)->buf);
	free(*h);
	*h = NULL;
}

static void on_guard_alarm(int sig)
{
	(void)sig; /* only there to interrupt the call: no SA_RESTART */
}

void diff_host_guard_arm(int on)
{
	struct itimerval it = { { 0, 0 }, { 0, on ? HOST_BLOCK_GUARD_USEC : 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

long diff_host_ret(long r)
{
	return r < 0 ? -errno : r;
}

static void ds_from_host(struct diff_ds *d, const struct msqid_ds *m)
{
	d->key = (uint32_t)m->msg_perm.__key;
	d->uid = m->msg_perm.uid;
	d->gid = m->msg_perm.gid;
	d->cuid = m->msg_perm.cuid;
	d->cgid = m->msg_perm.cgid;
	d->mode = m->msg_perm.mode;
	d->seq = m->msg_perm.__seq;
	d->cbytes = m->__msg_cbytes;
	d->qnum = m->msg_qnum;
	d->qbytes = m->msg_qbytes;
	d->lspid = m->msg_lspid;
	d->lrpid = m->msg_lrpid;
	d->stime = m->msg_stime;
	d->rtime = m->msg_rtime;
	d->ctime = m->msg_ctime;
}

static void info_from_host(struct diff_info *d, const struct msginfo *m)
{
	d->msgpool = m->msgpool;
	d->msgmap = m->msgmap;
	d->msgmax = m->msgmax;
	d->msgmnb = m->msgmnb;
	d->msgmni = m->msgmni;
	d->msgssz = m->msgssz;
	d->msgtql = m->msgtql;
	d->msgseg = m->msgseg;
}

static long host_msgsnd(struct diff_host *h, const struct diff_step *st, int i, long id)
{
	void *p = st->null_buf ? NULL : diff_buf_snd(&h->buf, st->mtype, i, st->msgsz);
	int may_sleep = !(st->flags & IPC_NOWAIT);
	long r;

	if (may_sleep)
		diff_host_guard_arm(1);
	r = diff_host_ret(syscall(SYS_msgsnd, (int)id, p, st->msgsz, st->flags));
	if (may_sleep)
		diff_host_guard_arm(0);
	return may_sleep && r == -EINTR ? DIFF_RET_BLOCKED : r;
}

static long host_msgrcv(struct diff_host *h, const struct diff_step *st, long id,
                        struct diff_result *res)
{
	unsigned char *p = st->null_buf ? NULL : diff_buf_rcv(&h->buf);
	int may_sleep = !(st->flags & IPC_NOWAIT);
	long r;

	if (may_sleep)
		diff_host_guard_arm(1);
	r = diff_host_ret(syscall(SYS_msgrcv, (int)id, p, st->msgsz, st->msgtyp, st->flags));
	if (may_sleep)
		diff_host_guard_arm(0);
	if (may_sleep && r == -EINTR)
		return DIFF_RET_BLOCKED;
	if (r >= 0 && p) {
		long mtype;

		memcpy(&mtype, p, sizeof(mtype));
		diff_result_set_msg(res, mtype, p + sizeof(long), (size_t)r);
	}
	return r;
}

static long host_msgctl(const struct diff_step *st, long id, struct diff_result *res)
{
	struct msqid_ds ds;
	struct msginfo info;
	void *arg = NULL;
	long r;

	memset(&ds, 0, sizeof(ds));
	memset(&info, 0, sizeof(info));
	switch (st->cmd) {
	case IPC_INFO:
	case MSG_INFO:
		arg = &info;
		break;
	case IPC_SET:
		ds.msg_perm.uid = st->set.uid;
		ds.msg_perm.gid = st->set.gid;
		ds.msg_perm.mode = (unsigned short)st->set.mode;
		ds.msg_qbytes = st->set.qbytes;
		arg = &ds;
		break;
	case IPC_RMID:
		break;
	default:
		arg = &ds;
		break;
	}
	if (st->null_buf)
		arg = NULL;
	r = diff_host_ret(syscall(SYS_msgctl, (int)id, st->cmd, arg));
	if (r >= 0 && arg == &ds && st->cmd != IPC_SET) {
		res->has_ds = 1;
		ds_from_host(&res->ds, &ds);
	}
	if (r >= 0 && arg == &info) {
		res->has_info = 1;
		info_from_host(&res->info, &info);
	}
	return r;
}

/* One step, in whichever process runs it; writes into the shared run. */
static void host_step(struct diff_host *h, const struct diff_seq *s, int i, struct diff_run *run)
{
	const struct diff_step *st = &s->steps[i];
	struct diff_result *res = &run->r[i];
	long id = diff_id_resolve(&st->id, run);

	switch (st->op) {
	case DIFF_MSGGET:
		res->ret = diff_host_ret(syscall(SYS_msgget, (key_t)st->key, st->flags));
		break;
	case DIFF_MSGSND:
		res->ret = host_msgsnd(h, st, i, id);
		break;
	case DIFF_MSGRCV:
		res->ret = host_msgrcv(h, st, id, res);
		break;
	case DIFF_MSGCTL:
		res->ret = host_msgctl(st, id, res);
		break;
	case DIFF_LIMIT:
		res->ret = diff_host_limit(st);
		break;
	case DIFF_SHMGET:
	case DIFF_SHMAT:
	case DIFF_SHMDT:
	case DIFF_SHMCTL:
	case DIFF_MEMWRITE:
	case DIFF_MEMREAD:
		res->ret = diff_host_shm_step(&h->buf, st, i, run, res);
		break;
	case DIFF_SEMGET:
	case DIFF_SEMOP:
	case DIFF_SEMCTL:
		res->ret = diff_host_sem_step(&h->buf, st, i, run, res);
		break;
	case DIFF_SPAWN:
	case DIFF_EXIT:
		res->ret = 0; /* done by host_child */
		break;
	}
	res->t_after = (long)time(NULL);
}

/* In a fresh child: become who (root stays root, with its capabilities).
 * 0, or -1 with the reason in run. */
static int become(enum diff_actor who, struct diff_run *run)
{
	const struct diff_cred *c = &diff_creds[who];

	if (who == DIFF_ROOT)
		return 0;
	if (setgroups(0, NULL) != 0 || setgid(c->gid) != 0 || setuid(c->uid) != 0) {
		run->setup_errno = errno;
		snprintf(run->setup_error, sizeof(run->setup_error),
		         "cannot become %s (uid %u gid %u): %s", c->name, c->uid, c->gid,
		         strerror(errno));
		return -1;
	}
	return 0;
}

/* Grandchild: become the step's user, run it, leave. */
static void host_step_as_user(struct diff_host *h, const struct diff_seq *s, int i,
                              struct diff_run *run)
{
	if (become(s->steps[i].actor, run) != 0)
		_exit(3);
	host_step(h, s, i, run);
	_exit(0);
}

/* ---- helper processes: long-lived grandchildren fed step numbers over a pipe */

struct helper {
	pid_t pid;     /* 0: not running */
	int to, from;  /* pipe ends: step numbers in, acknowledgements out */
	int proc;      /* its number in run->pids */
};

static void helper_loop(struct diff_host *h, const struct diff_seq *s, struct diff_run *run,
                        int in, int out)
{
	int i;

	while (read(in, &i, sizeof(i)) == (ssize_t)sizeof(i) && i >= 0) {
		host_step(h, s, i, run);
		if (write(out, &i, sizeof(i)) != (ssize_t)sizeof(i))
			break;
	}
	_exit(0);
}

static int helper_spawn(struct diff_host *h, const struct diff_seq *s, int i,
                        struct diff_run *run, struct helper *hp)
{
	int down[2], up[2];
	pid_t pid;

	if (pipe(down) != 0 || pipe(up) != 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		if (become(s->steps[i].actor, run) != 0)
			_exit(3);
		helper_loop(h, s, run, down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	hp->pid = pid;
	hp->to = down[1];
	hp->from = up[0];
	return 0;
}

/* Runs step i in the helper; -1 when the helper is gone. */
static int helper_run(struct helper *hp, int i)
{
	int ack;

	if (!hp->pid || write(hp->to, &i, sizeof(i)) != (ssize_t)sizeof(i) ||
	    read(hp->from, &ack, sizeof(ack)) != (ssize_t)sizeof(ack))
		return -1;
	return 0;
}

static void helper_end(struct helper *hp)
{
	int stop = -1, status;

	if (!hp->pid)
		return;
	if (write(hp->to, &stop, sizeof(stop)) < 0) {
		/* the helper is gone already; waitpid collects it */
	}
	close(hp->to);
	close(hp->from);
	waitpid(hp->pid, &status, 0);
	hp->pid = 0;
}

/* Step i runs in a fresh child (as its user); waits for it. */
static void host_step_in_child(struct diff_host *h, const struct diff_seq *s, int i,
                               struct diff_run *run)
{
	int status;
	pid_t g = fork();

	if (g < 0) {
		run->setup_errno = errno;
		snprintf(run->setup_error, sizeof(run->setup_error), "fork: %s", strerror(errno));
		_exit(4);
	}
	if (g == 0)
		host_step_as_user(h, s, i, run);
	waitpid(g, &status, 0);
	if (run->setup_errno)
		_exit(3);
	run->pids[run->nprocs] = g;
	run->r[i].proc = run->nprocs++;
}

/* Steps that concern helpers; the rest is host_step's or host_step_in_child's. */
static void host_helper_step(struct diff_host *h, const struct diff_seq *s, int i,
                             struct diff_run *run, struct helper *helpers)
{
	const struct diff_step *st = &s->steps[i];
	int n = st->op == DIFF_SPAWN || st->op == DIFF_EXIT ? st->helper : st->where;
	struct helper *hp = n >= 1 && n <= DIFF_MAX_HELPERS ? &helpers[n - 1] : NULL;

	if (!hp) {
		run->r[i].ret = -ESRCH;
		return;
	}
	if (st->op == DIFF_SPAWN) {
		helper_end(hp);
		run->r[i].ret = helper_spawn(h, s, i, run, hp);
		if (run->r[i].ret == 0) {
			hp->proc = run->nprocs;
			run->pids[run->nprocs++] = hp->pid;
		}
		run->r[i].proc = hp->pid ? hp->proc : 0;
		run->r[i].t_after = (long)time(NULL);
	} else if (st->op == DIFF_EXIT) {
		run->r[i].ret = hp->pid ? 0 : -ESRCH;
		run->r[i].proc = hp->pid ? hp->proc : 0;
		helper_end(hp);
		run->r[i].t_after = (long)time(NULL);
	} else {
		run->r[i].proc = hp->proc;
		if (helper_run(hp, i) != 0)
			run->r[i].ret = -ESRCH;
	}
	if (run->setup_errno)
		_exit(3);
}

static void host_child(struct diff_host *h, const struct diff_seq *s, struct diff_run *run)
{
	struct helper helpers[DIFF_MAX_HELPERS];
	struct sigaction sa;

	if (unshare(CLONE_NEWIPC) != 0) {
		run->setup_errno = errno;
		snprintf(run->setup_error, sizeof(run->setup_error),
		         "unshare(CLONE_NEWIPC) failed: %s - the differential test needs the "
		         "privilege to create an IPC namespace (run as root / CAP_SYS_ADMIN)",
		         strerror(errno));
		_exit(2);
	}
	/* The simulator's processes have no supplementary groups either. */
	if (setgroups(0, NULL) != 0) {
		run->setup_errno = errno;
		snprintf(run->setup_error, sizeof(run->setup_error), "setgroups(0): %s",
		         strerror(errno));
		_exit(2);
	}
	if (diff_host_fixed_region_free(run->setup_error, sizeof(run->setup_error)) != 0) {
		run->setup_errno = EEXIST;
		_exit(2);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_guard_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	diff_host_segv_guard();
	memset(helpers, 0, sizeof(helpers));

	run->t_start = (long)time(NULL);
	run->pids[0] = getpid();
	run->nprocs = 1;
	for (int i = 0; i < s->nsteps; i++) {
		const struct diff_step *st = &s->steps[i];

		if (st->op == DIFF_SPAWN || st->op == DIFF_EXIT || st->where > 0) {
			host_helper_step(h, s, i, run, helpers);
		} else if (st->actor == DIFF_ROOT && st->where == DIFF_WHERE_DEFAULT) {
			run->r[i].proc = 0;
			host_step(h, s, i, run);
		} else {
			host_step_in_child(h, s, i, run);
		}
		run->nsteps = i + 1;
	}
	for (int n = 0; n < DIFF_MAX_HELPERS; n++)
		helper_end(&helpers[n]);
	_exit(0);
}

/* In the server: one sequence in a fresh child and namespace; fills h->shared. */
static void host_run_one(struct diff_host *h)
{
	struct diff_run *run = h->shared;
	int status;
	pid_t pid;

	memset(run, 0, sizeof(*run));
	for (int i = 0; i < DIFF_MAX_STEPS; i++)
		run->r[i].ret = DIFF_RET_NOT_RUN;
	fflush(NULL); /* no duplicated stdio buffers in the children */
	pid = fork();
	if (pid < 0) {
		run->setup_errno = errno;
		snprintf(run->setup_error, sizeof(run->setup_error), "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		host_child(h, h->seq, run);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!run->setup_errno && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		run->setup_errno = EIO;
		snprintf(run->setup_error, sizeof(run->setup_error),
		         "host child ended abnormally (status 0x%x) after %d steps", status,
		         run->nsteps);
	}
}

static void host_server(struct diff_host *h, int req, int resp)
{
	char c;

	while (read(req, &c, 1) == 1) {
		host_run_one(h);
		if (write(resp, &c, 1) != 1)
			break;
	}
	_exit(0);
}

int diff_host_run(struct diff_host *h, const struct diff_seq *s, struct diff_run *out)
{
	char c = 'r';

	memcpy(h->seq, s, sizeof(*s));
	if (write(h->req, &c, 1) != 1 || read(h->resp, &c, 1) != 1) {
		memset(out, 0, sizeof(*out));
		out->setup_errno = EPIPE;
		snprintf(out->setup_error, sizeof(out->setup_error),
		         "the host-side server process is gone");
		return -1;
	}
	memcpy(out, h->shared, sizeof(*out));
	return out->setup_errno ? -1 : 0;
}
