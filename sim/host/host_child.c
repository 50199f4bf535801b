/*
 * host_child.c - one scenario process on the host: a real process that runs
 * one real syscall per request from the coordinator and sends the result
 * back (see host_int.h for the process tree).
 *
 * Raw syscalls, not the glibc wrappers: glibc
 * may convert structures, and a NULL buffer must reach the kernel as it is
 * (the EFAULT cases).  The child keeps no state of its own beyond its
 * channel: signal dispositions, credentials and the syscall in progress
 * are the real process's.
 *
 * A caught signal runs on_caught_signal, which does nothing: the handler is
 * only there so that the kernel interrupts a sleeping msgsnd/msgrcv/semop with
 * EINTR (installed without SA_RESTART).  No flag is needed, so this file has
 * no mutable static state either.
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "host/host_int.h"
#include "ipcsim/types.h"

/* Buffers larger than this are not allocated: sizes beyond any msgmax a
 * scenario sets only ever reach the kernel's EINVAL checks. */
#define HOST_CHILD_MAX_BUF (64u << 20)

/* Linux capability numbers (linux/capability.h), in SIM_CAP_* bit order. */
static const int host_cap_numbers[] = {
	CAP_IPC_OWNER, CAP_SYS_RESOURCE, CAP_SYS_ADMIN, CAP_IPC_LOCK,
	CAP_SETUID,    CAP_SYS_RAWIO,    CAP_KILL,
};

unsigned long long host_caps_linux_mask(unsigned sim_caps)
{
	unsigned long long m = 0;

	for (size_t i = 0; i < sizeof(host_cap_numbers) / sizeof(host_cap_numbers[0]); i++)
		if (sim_caps & (1u << i))
			m |= 1ull << host_cap_numbers[i];
	return m;
}

static int caps_get(unsigned long long *eff, unsigned long long *perm)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) != 0)
		return -errno;
	*eff = d[0].effective | (unsigned long long)d[1].effective << 32;
	*perm = d[0].permitted | (unsigned long long)d[1].permitted << 32;
	return 0;
}

unsigned long long host_caps_permitted_linux(void)
{
	unsigned long long eff, perm;

	return caps_get(&eff, &perm) < 0 ? 0 : perm;
}

unsigned backend_host_caps(void)
{
	unsigned long long eff, perm;
	unsigned have = 0;

	if (caps_get(&eff, &perm) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(host_cap_numbers) / sizeof(host_cap_numbers[0]); i++)
		if (eff & (1ull << host_cap_numbers[i]))
			have |= 1u << i;
	return have;
}

/* 1 in the machine's own user namespace (its uid_map maps every id). */
static int in_initial_userns(void)
{
	unsigned long long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	int n;

	if (f == NULL)
		return 1;
	n = fscanf(f, "%llu %llu %llu", &inside, &outside, &count);
	fclose(f);
	return n == 3 && inside == 0 && outside == 0 && count == 4294967295ULL;
}

unsigned host_caps_grantable_sim(void)
{
	unsigned have = backend_host_caps();

	/* In a user namespace of its own a process has these only for that
	 * namespace, and the kernel asks the machine's: msg_qbytes above
	 * msgmnb (ipc/msg.c, capable(CAP_SYS_RESOURCE)), a shmat address below
	 * mmap_min_addr (security/commoncap.c cap_mmap_addr, init_user_ns). */
	if (!in_initial_userns())
		have &= ~(SIM_CAP_SYS_RESOURCE | SIM_CAP_SYS_RAWIO);
	return have;
}

int host_caps_set(unsigned long long want)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)want;
	d[1].effective = d[1].permitted = (uint32_t)(want >> 32);
	return syscall(SYS_capset, &h, d) == 0 ? 0 : -errno;
}

static void on_caught_signal(int sig)
{
	(void)sig; /* see the header comment: only here to interrupt a sleep */
}

/* setgroups/setgid/setuid, then exactly the asked SIM capabilities (others
 * untouched for root, none for other users).  0 or -errno, why filled. */
static int become(const struct backend_creds *c, char *why, size_t whylen)
{
	unsigned long long eff, perm, want;
	int rc;

	if (c->uid != 0 && c->caps != 0 && prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) != 0)
		goto out_errno;
	/* In a user namespace setgroups is denied (it must be, for an
	 * unprivileged uid_map) and there are no groups to drop. */
	if ((setgroups(0, NULL) != 0 && errno != EPERM) || setgid(c->gid) != 0 ||
	    setuid(c->uid) != 0)
		goto out_errno;
	if (c->uid == 0 && (c->caps & SIM_CAP_ALL) == SIM_CAP_ALL)
		return 0;
	/* setuid() from root to another uid cleared the capabilities, but in a
	 * user namespace the process was never root: drop them explicitly. */
	if (c->uid != 0 && c->caps == 0)
		return host_caps_set(0);
	rc = caps_get(&eff, &perm);
	if (rc < 0) {
		snprintf(why, whylen, "capget: %s", strerror(-rc));
		return rc;
	}
	want = host_caps_linux_mask(c->caps);
	if (c->uid == 0)
		want |= perm & ~host_caps_linux_mask(SIM_CAP_ALL);
	rc = host_caps_set(want & perm);
	if (rc < 0)
		snprintf(why, whylen, "capset: %s", strerror(-rc));
	return rc;

out_errno:
	rc = -errno;
	snprintf(why, whylen, "cannot become uid %u gid %u: %s", c->uid, c->gid, strerror(errno));
	return rc;
}

static void set_sys(struct host_wire_result *w, long r)
{
	if (r < 0) {
		w->ret = -1;
		w->err = errno;
	} else {
		w->ret = r;
	}
}

static void ds_from_host(struct ipcsim_msqid_ds *d, const struct msqid_ds *m)
{
	d->msg_perm.key = (uint32_t)m->msg_perm.__key;
	d->msg_perm.uid = m->msg_perm.uid;
	d->msg_perm.gid = m->msg_perm.gid;
	d->msg_perm.cuid = m->msg_perm.cuid;
	d->msg_perm.cgid = m->msg_perm.cgid;
	d->msg_perm.mode = m->msg_perm.mode;
	d->msg_perm.seq = m->msg_perm.__seq;
	d->msg_stime = m->msg_stime;
	d->msg_rtime = m->msg_rtime;
	d->msg_ctime = m->msg_ctime;
	d->msg_cbytes = m->__msg_cbytes;
	d->msg_qnum = m->msg_qnum;
	d->msg_qbytes = m->msg_qbytes;
	d->msg_lspid = m->msg_lspid;
	d->msg_lrpid = m->msg_lrpid;
}

long host_child_msgctl(const struct host_req *q, struct host_wire_result *w)
{
	struct msqid_ds ds;
	struct msginfo info;
	void *arg = &ds;
	long r;

	memset(&ds, 0, sizeof(ds));
	memset(&info, 0, sizeof(info));
	if (q->cmd == IPC_INFO || q->cmd == MSG_INFO)
		arg = &info;
	else if (q->cmd == IPC_SET && q->has_ds) {
		ds.msg_perm.uid = q->ds.msg_perm.uid;
		ds.msg_perm.gid = q->ds.msg_perm.gid;
		ds.msg_perm.mode = (unsigned short)q->ds.msg_perm.mode;
		ds.msg_qbytes = q->ds.msg_qbytes;
	}
	if (q->buf == BACKEND_BUF_NULL)
		arg = NULL;
	r = syscall(SYS_msgctl, (int)q->num, q->cmd, arg);
	set_sys(w, r);
	if (r >= 0 && arg == &ds && q->cmd != IPC_SET && q->cmd != IPC_RMID) {
		w->has_ds = 1;
		ds_from_host(&w->ds, &ds);
	}
	if (r >= 0 && arg == &info) {
		w->has_info = 1;
		w->info.msgpool = info.msgpool;
		w->info.msgmap = info.msgmap;
		w->info.msgmax = info.msgmax;
		w->info.msgmnb = info.msgmnb;
		w->info.msgmni = info.msgmni;
		w->info.msgssz = info.msgssz;
		w->info.msgtql = info.msgtql;
		w->info.msgseg = info.msgseg;
	}
	return r;
}

static size_t capped(long long size)
{
	/* Negative as a long: msgsnd and msgrcv say EINVAL before they touch
	 * the buffer, so it need hold the mtype only (64 MB per such call
	 * costs 80 ms under ASan). */
	if (size < 0)
		return 0;
	if ((unsigned long long)size > HOST_CHILD_MAX_BUF)
		return HOST_CHILD_MAX_BUF;
	return (size_t)size;
}

/* msgsnd: the text zero-padded or cut to size, as sizeof(mtext) would. */
static void do_msgsnd(const struct host_req *q, const unsigned char *text, size_t len,
                      struct host_wire_result *w)
{
	size_t n = capped(q->size);
	unsigned char *buf = NULL;

	if (q->has_msg) {
		buf = calloc(1, sizeof(long) + n);
		if (buf == NULL) {
			w->ret = -1;
			w->err = ENOMEM;
			return;
		}
		memcpy(buf, &q->mtype, sizeof(long));
		memcpy(buf + sizeof(long), text, len < n ? len : n);
	}
	set_sys(w, syscall(SYS_msgsnd, (int)q->num, buf, (size_t)q->size, q->flags));
	free(buf);
}

/* msgrcv: *text gets the received bytes (malloc'd). */
static void do_msgrcv(const struct host_req *q, unsigned char **text, size_t *len,
                      struct host_wire_result *w)
{
	unsigned char *buf = NULL;
	long r;

	if (q->buf == BACKEND_BUF_VALID) {
		buf = calloc(1, sizeof(long) + capped(q->size));
		if (buf == NULL) {
			w->ret = -1;
			w->err = ENOMEM;
			return;
		}
	}
	r = syscall(SYS_msgrcv, (int)q->num, buf, (size_t)q->size, (long)q->num2, q->flags);
	set_sys(w, r);
	if (r >= 0 && buf != NULL) {
		w->has_msg = 1;
		memcpy(&w->mtype, buf, sizeof(long));
		*len = (size_t)r;
		*text = malloc((size_t)r + 1);
		if (*text != NULL)
			memcpy(*text, buf + sizeof(long), (size_t)r);
		else
			*len = 0;
	}
	free(buf);
}

static void do_signal(const struct host_req *q, struct host_wire_result *w)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a caught signal ends a sleeping call with EINTR */
	sa.sa_handler = q->flags == BACKEND_SIG_CATCH ? on_caught_signal
	                : q->flags == BACKEND_SIG_IGN ? SIG_IGN
	                                              : SIG_DFL;
	set_sys(w, sigaction((int)q->num2, &sa, NULL));
}

/*
 * fork(): a real copy of this process, but made the coordinator's child
 * (CLONE_PARENT) so that the coordinator can waitpid() it.  The raw clone
 * is fork() at the syscall level; this process is single-threaded, so the
 * glibc state the wrapper would fix up is not in use.  Returns in the new
 * process with *sock switched to chan; in this one, with the real pid.
 */
static long do_fork(int *sock, int chan, pid_t coord)
{
	long r = syscall(SYS_clone, (unsigned long)(CLONE_PARENT | SIGCHLD), 0UL, 0UL, 0UL, 0UL);

	if (r != 0) {
		close(chan);
		return r;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0L, 0L, 0L);
	if (getppid() != coord)
		_exit(127); /* the coordinator already died */
	*sock = chan;
	host_close_fds_except(chan);
	return 0;
}

/* One request; the reply is sent here unless the process is gone or forked. */
static void serve(int *sock, pid_t coord, const struct host_req *q, const unsigned char *blob,
                  size_t blen, int fd_got)
{
	struct host_rep rep;
	unsigned char *text = NULL;
	size_t tlen = 0;

	memset(&rep, 0, sizeof(rep));
	switch (q->op) {
	case HOST_OP_FTOK: {
		key_t k = ftok((const char *)blob, (int)q->num2);

		set_sys(&rep.r, k == (key_t)-1 ? -1 : (long)(uint32_t)k);
		break;
	}
	case HOST_OP_MSGGET:
		set_sys(&rep.r, syscall(SYS_msgget, (key_t)q->num, q->flags));
		break;
	case HOST_OP_MSGSND:
		do_msgsnd(q, blob, blen, &rep.r);
		break;
	case HOST_OP_MSGRCV:
		do_msgrcv(q, &text, &tlen, &rep.r);
		break;
	case HOST_OP_MSGCTL:
		host_child_msgctl(q, &rep.r);
		break;
	case HOST_OP_FORK: {
		long r = fd_got < 0 ? (errno = EBADF, -1) : do_fork(sock, fd_got, coord);

		if (r == 0)
			return; /* the new process: nothing to answer */
		set_sys(&rep.r, r);
		break;
	}
	case HOST_OP_EXIT:
		_exit((int)q->num);
	case HOST_OP_KILL:
		set_sys(&rep.r, syscall(SYS_kill, (pid_t)q->num, (int)q->num2));
		break;
	case HOST_OP_SIGNAL:
		do_signal(q, &rep.r);
		break;
	case HOST_OP_SLEEP:
		rep.r.ret = q->num > 0 ? (long)sleep((unsigned)q->num) : 0;
		break;
	case HOST_OP_SHMGET:
	case HOST_OP_SHMAT:
	case HOST_OP_SHMDT:
	case HOST_OP_SHMCTL:
	case HOST_OP_SEMGET:
	case HOST_OP_SEMOP:
	case HOST_OP_SEMCTL:
	case HOST_OP_MEM_STORE:
	case HOST_OP_MEM_LOAD:
	case HOST_OP_MEM_WRITE:
	case HOST_OP_MEM_READ:
		host_child_shm_sem(q, blob, blen, &rep.r, &text, &tlen);
		break;
	default:
		rep.rc = -1;
		snprintf(rep.why, sizeof(rep.why), "child: unknown op %d", q->op);
		break;
	}
	if (fd_got >= 0 && q->op != HOST_OP_FORK)
		close(fd_got);
	host_wire_send(*sock, &rep, sizeof(rep), text, tlen, -1);
	free(text);
}

void host_child_main(int sock, pid_t coord, const struct backend_creds *c)
{
	struct host_rep ready;
	sigset_t none;

	host_close_fds_except(sock);
	/* Fresh dispositions and mask: the scenario sets its own. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	memset(&ready, 0, sizeof(ready));
	ready.rc = become(c, ready.why, sizeof(ready.why));
	/* After become(): a change of uid or gid clears the death signal, and
	 * makes the process not dumpable.  Dumpable again, so that the
	 * coordinator (root of the sandbox's user namespace, not of the
	 * machine's) may read its /proc/PID/syscall: a process that is not
	 * dumpable needs CAP_SYS_PTRACE in its memory's user namespace, which
	 * for a fork of the coordinator is the machine's (kernel/ptrace.c
	 * __ptrace_may_access).  No core dump leaves the sandbox all the same:
	 * its RLIMIT_CORE is 1 (host_sandbox_cg.c). */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0L, 0L, 0L);
	prctl(PR_SET_DUMPABLE, 1L, 0L, 0L, 0L);
	if (getppid() != coord)
		_exit(127); /* the coordinator died before the signal was armed */
	if (ready.rc == 0)
		ready.r.ret = (long)(c->caps & ~host_caps_grantable_sim()); /* missing caps */
	if (host_wire_send(sock, &ready, sizeof(ready), NULL, 0, -1) < 0 || ready.rc != 0)
		_exit(126);

	for (;;) {
		struct host_req q;
		unsigned char *blob;
		size_t blen;
		int fd_got;

		if (host_wire_recv(sock, &q, sizeof(q), &blob, &blen, &fd_got) < 0)
			_exit(0); /* the coordinator went away */
		serve(&sock, coord, &q, blob, blen, fd_got);
		free(blob);
	}
}
