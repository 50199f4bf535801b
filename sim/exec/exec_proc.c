/*
 * exec_proc.c - the processes of an exec run: each registers when the
 * preload library loads in it (hello) or when it is forked; execve is a
 * hello from a pid already known; its end is its pidfd becoming readable.
 *
 * Linux's rules (docs/exec.md): a forked child inherits its parent's
 * attachments, not its semaphore undo list; execve detaches every segment
 * and keeps the undo list; exit and death by a signal detach and apply the
 * undo list.  A process is named after its command (/proc/PID/comm), made
 * a scenario name, with 2, 3... for the next ones of that name.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "ipcsim/kernel.h"
#include "ipcsim/strace.h"

struct exec_proc *exec_proc_by_real(struct exec_server *s, pid_t real)
{
	/* The newest first: a pid may be reused after its process ended. */
	for (size_t i = s->nprocs; i-- > 0;)
		if (s->procs[i].real == real && !s->procs[i].ended)
			return &s->procs[i];
	return NULL;
}

struct exec_proc *exec_proc_by_fd(struct exec_server *s, int fd)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].fd == fd)
			return &s->procs[i];
	return NULL;
}

int exec_proc_file(pid_t pid, const char *name, char *buf, size_t n)
{
	char path[64];
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	got = read(fd, buf, n - 1);
	close(fd);
	if (got < 0)
		return -1;
	buf[got] = '\0';
	return (int)got;
}

int exec_proc_syscall(pid_t pid)
{
	char buf[64];

	if (exec_proc_file(pid, "syscall", buf, sizeof(buf)) <= 0 || buf[0] < '0' || buf[0] > '9')
		return -1; /* "running", or unreadable */
	return atoi(buf);
}

long exec_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static const char *proc_name(void *ctx, int pid)
{
	struct exec_server *s = ctx;

	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].sim == pid)
			return s->procs[i].name;
	if (pid == s->signaller && pid)
		return "signals";
	if (pid == s->timer && pid)
		return "timer";
	return NULL;
}

void exec_names_init(struct exec_server *s)
{
	memset(&s->names, 0, sizeof(s->names));
	s->names.proc_name = proc_name;
	s->names.ctx = s;
}

/* Words a scenario line starts with: a process may not be called so. */
static int reserved(const char *n)
{
	static const char *const words[] = { "user", "group", "process", "file", "limit", "show",
	                                     "signals", "timer", "assert", "sleep", "kill",
	                                     "signal", "exit", "fork", "getpid", NULL };

	for (int i = 0; words[i]; i++)
		if (strcmp(n, words[i]) == 0)
			return 1;
	return 0;
}

static void make_name(struct exec_server *s, struct exec_proc *p)
{
	char comm[32] = "", base[24];
	size_t n = 0;
	int count = 0;

	if (exec_proc_file(p->real, "comm", comm, sizeof(comm)) < 0)
		comm[0] = '\0';
	for (char *c = comm; *c && n + 1 < sizeof(base); c++)
		if (isalnum((unsigned char)*c) || *c == '_')
			base[n++] = *c;
	base[n] = '\0';
	if (n == 0 || isdigit((unsigned char)base[0]))
		snprintf(base, sizeof(base), "P");
	else if (reserved(base) && n + 2 < sizeof(base))
		strcat(base, "_");
	for (size_t i = 0; i < s->nprocs; i++)
		if (&s->procs[i] != p && strncmp(s->procs[i].name, base, strlen(base)) == 0 &&
		    (s->procs[i].name[strlen(base)] == '\0' ||
		     isdigit((unsigned char)s->procs[i].name[strlen(base)])))
			count++;
	if (count == 0 && strcmp(base, "P") != 0)
		snprintf(p->name, sizeof(p->name), "%s", base);
	else
		snprintf(p->name, sizeof(p->name), "%s%d", base, count + 1);
}

/* Linux capability bits to the simulator's. */
static unsigned sim_caps(uint64_t caps)
{
	static const struct { int linux_bit; unsigned sim; } map[] = {
		{ 15, SIM_CAP_IPC_OWNER }, { 24, SIM_CAP_SYS_RESOURCE }, { 21, SIM_CAP_SYS_ADMIN },
		{ 14, SIM_CAP_IPC_LOCK }, { 7, SIM_CAP_SETUID }, { 17, SIM_CAP_SYS_RAWIO },
		{ 5, SIM_CAP_KILL },
	};
	unsigned out = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (caps >> map[i].linux_bit & 1)
			out |= map[i].sim;
	return out;
}

static void caps_text(char *buf, size_t n, unsigned caps)
{
	size_t used = 0;

	if (caps == 0) {
		snprintf(buf, n, "none");
		return;
	}
	buf[0] = '\0';
	for (unsigned bit = 1; bit <= SIM_CAP_ALL; bit <<= 1)
		if ((caps & bit) && sim_cap_name(bit))
			used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s",
			                         used ? "," : "", sim_cap_name(bit));
}

static struct exec_proc *proc_add(struct exec_server *s, pid_t real)
{
	struct exec_proc *p;

	if (s->nprocs == s->cap_procs) {
		size_t cap = s->cap_procs ? s->cap_procs * 2 : 16;
		struct exec_proc *np = realloc(s->procs, cap * sizeof(*np));

		if (!np)
			return NULL;
		s->procs = np;
		s->cap_procs = cap;
	}
	p = &s->procs[s->nprocs++];
	memset(p, 0, sizeof(*p));
	p->real = real;
	p->fd = -1;
	p->slot_fd = -1;
	p->pidfd = (int)syscall(SYS_pidfd_open, real, 0);
	snprintf(p->tok, sizeof(p->tok), "%c%zu%c", EXEC_TOK_START, s->nprocs - 1, EXEC_TOK_END);
	make_name(s, p);
	return p;
}

/* Every simulated process catches SIGUSR1: the stand-in for "a handler ran"
 * (exec_interrupt).  Nothing else sends it. */
static void catch_usr1(struct exec_server *s, struct exec_proc *p)
{
	struct backend_result r;

	if (s->b->ops->signal(s->b->ctx, p->sim, SIGUSR1, BACKEND_SIG_CATCH, &r) == 0)
		backend_result_release(&r);
}

static long live_procs(const struct exec_server *s)
{
	long n = 0;

	for (size_t i = 0; i < s->nprocs; i++)
		n += !s->procs[i].ended;
	return n;
}

static int over_limit(struct exec_server *s)
{
	long max = s->o->max_procs ? s->o->max_procs : IPCSIM_EXEC_MAX_PROCS;

	if (live_procs(s) < max)
		return 0;
	fprintf(s->report, "ipcsim exec: more than %ld processes at once (--max-procs): stopped\n",
	        max);
	s->stop = IPCSIM_EXEC_EXIT_ERROR;
	s->stop_why = IPCSIM_EXEC_PROCS;
	return 1;
}

static struct exec_proc *proc_fork(struct exec_server *s, struct exec_proc *parent, pid_t child)
{
	struct exec_proc *p;
	struct backend_result r;
	size_t pi = (size_t)(parent - s->procs);

	if (over_limit(s))
		return NULL;
	p = proc_add(s, child);
	if (!p)
		return NULL;
	parent = &s->procs[pi]; /* proc_add may have moved the table */
	if (s->b->ops->fork(s->b->ctx, parent->sim, &r) < 0 || r.ret < 0) {
		s->failed = 1;
		return NULL;
	}
	p->sim = (int)r.ret;
	p->uid = parent->uid;
	p->gid = parent->gid;
	p->caps = parent->caps;
	p->hint_uid = parent->hint_uid; /* the child's library reads the same */
	p->hint_gid = parent->hint_gid;
	p->hint_caps = parent->hint_caps;
	p->forked_unclaimed = 1;
	exec_line(s, 1, "%s: %s = fork() = %d", parent->tok, p->tok, p->sim);
	catch_usr1(s, p);
	return p;
}

/* The parent /proc/PID/stat names for pid (its 4th field), or -1. */
static pid_t parent_of(pid_t pid)
{
	char buf[512], *close_paren;
	int ppid;

	if (exec_proc_file(pid, "stat", buf, sizeof(buf)) <= 0 ||
	    !(close_paren = strrchr(buf, ')')) || sscanf(close_paren + 2, "%*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

int exec_proc_forked(struct exec_server *s, struct exec_proc *parent, pid_t child)
{
	struct exec_proc *p = exec_proc_by_real(s, child);
	struct backend_result r = { 0 };
	pid_t teller = parent->real; /* proc_fork may move the table under parent */

	/* Only a child of the teller is taken (not some other process of the
	 * machine); one that has ended already is not registered either. */
	if (!p && (child <= 0 || parent_of(child) != parent->real)) {
		parent->req.op = WIRE_FORKED;
		return exec_reply(s, parent, &r, NULL, 0, -1);
	}

	if (p)
		p->forked_unclaimed = 0; /* the child said hello first */
	else if (!proc_fork(s, parent, child))
		return -1;
	else if ((p = exec_proc_by_real(s, child)))
		p->forked_unclaimed = 1;
	parent = exec_proc_by_real(s, teller);
	parent->req.op = WIRE_FORKED;
	return exec_reply(s, parent, &r, NULL, 0, -1);
}

struct addr_list {
	unsigned long addr[256];
	size_t n;
};

static int add_addr(void *ctx, const struct sim_attach_view *a)
{
	struct addr_list *at = ctx;

	if (at->n < 256)
		at->addr[at->n++] = a->addr;
	return 0;
}

/* The real process's effective uid, gid and capabilities, from
 * /proc/PID/status (the kernel's word, not the process's); 0 or -1. */
static int real_creds(pid_t pid, struct backend_creds *c)
{
	char path[64], line[256];
	unsigned long long caps = 0;
	unsigned r, e;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Uid: %u %u", &r, &e) == 2)
			c->uid = e, found |= 1;
		else if (sscanf(line, "Gid: %u %u", &r, &e) == 2)
			c->gid = e, found |= 2;
		else if (sscanf(line, "CapEff: %llx", &caps) == 1)
			found |= 4;
	}
	fclose(f);
	c->caps = sim_caps(caps);
	return found == 7 ? 0 : -1;
}

/* execve: Linux detaches every attachment and keeps the undo list. */
static void proc_exec(struct exec_server *s, struct exec_proc *p)
{
	struct backend_result r;
	struct addr_list at = { .n = 0 };

	exec_seg_sync(s, p);
	sim_proc_attachments(backend_kernel(s->b), p->sim, add_addr, &at);
	for (size_t i = 0; i < at.n; i++) {
		if (s->b->ops->shmdt(s->b->ctx, p->sim, at.addr[i], &r) < 0)
			s->failed = 1;
		else if (r.ret == 0)
			exec_line(s, 1, "%s: shmdt(%#lx) = 0  # execve detaches", p->tok, at.addr[i]);
	}
	exec_seg_collect(s);
}

int exec_proc_hello(struct exec_server *s, int fd, const struct wire_req *q)
{
	struct exec_proc *p = exec_proc_by_real(s, q->pid);
	struct exec_proc *parent = q->a[0] == WIRE_HELLO_FORK && !p
	                          ? exec_proc_by_real(s, (pid_t)q->a[1]) : NULL;

	/* A fork child whose parent is known (and is its parent: /proc says
	 * so) is the parent's copy; else it is a process of its own. */
	if (parent && parent_of(q->pid) == parent->real) {
		if (!(p = proc_fork(s, parent, q->pid)))
			return -1;
		p->forked_unclaimed = 1;
	} else if (q->a[0] == WIRE_HELLO_FORK && p) {
		p->forked_unclaimed = 0;
	} else if (p) {
		/* The same pid again: it called execve. */
		char before[32];

		proc_exec(s, p);
		snprintf(before, sizeof(before), "%s", p->name);
		make_name(s, p);
		if (strcmp(before, p->name) != 0)
			fprintf(s->report, "# %s ran execve: it is %s from now on\n", before, p->name);
	} else {
		struct backend_creds c;
		char caps[160];

		if (over_limit(s))
			return -1;
		p = proc_add(s, q->pid);
		if (!p)
			return -1;
		if (real_creds(q->pid, &c) < 0)
			return -1;
		p->uid = c.uid;
		p->gid = c.gid;
		p->caps = c.caps;
		p->hint_uid = q->euid;
		p->hint_gid = q->egid;
		p->hint_caps = q->caps;
		if (s->b->ops->proc_new(s->b->ctx, &c, &p->sim) < 0) {
			s->failed = 1;
			return -1;
		}
		caps_text(caps, sizeof(caps), p->caps);
		exec_line(s, 0, "process %s uid=%u gid=%u caps=%s", p->tok, p->uid, p->gid, caps);
		catch_usr1(s, p);
	}
	if (p->fd >= 0 && p->fd != fd)
		close(p->fd); /* the connection of the image before execve */
	p->fd = fd;
	p->req.op = WIRE_HELLO;
	if (exec_slot_hello(s, p, fd) < 0) {
		p->fd = -1; /* the caller closes it */
		return -1;
	}
	return 0;
}

/* Credentials follow the real process: a setuid() in the program changes
 * what the simulated kernel checks from its next call on.  The request's
 * credentials are only a hint that they changed (the library reads them
 * after glibc's set*id, capset and fork): what the server believes is read
 * from the kernel then, so a program that forges the hint gains nothing.
 * A matching hint costs no syscall on the call's path. */
void exec_proc_creds(struct exec_server *s, struct exec_proc *p, const struct wire_req *q)
{
	struct backend_creds c;
	char text[160];

	if (q->euid == p->hint_uid && q->egid == p->hint_gid && q->caps == p->hint_caps)
		return;
	if (real_creds(p->real, &c) < 0)
		return; /* gone: its end is on its way */
	p->hint_uid = q->euid;
	p->hint_gid = q->egid;
	p->hint_caps = q->caps;
	if (c.uid == p->uid && c.gid == p->gid && c.caps == p->caps)
		return;
	if (s->b->ops->set_creds(s->b->ctx, p->sim, &c) < 0) {
		s->failed = 1;
		return;
	}
	p->uid = c.uid;
	p->gid = c.gid;
	p->caps = c.caps;
	caps_text(text, sizeof(text), c.caps);
	exec_line(s, 1, "process %s uid=%u gid=%u caps=%s", p->tok, p->uid, p->gid, text);
}

/* Reads the exit status of a zombie from /proc/PID/stat (its last field);
 * -1 when it is gone already. */
static int zombie_status(pid_t pid)
{
	char buf[1024], *last;

	if (exec_proc_file(pid, "stat", buf, sizeof(buf)) <= 0)
		return -1;
	last = strrchr(buf, ' ');
	return last ? atoi(last + 1) : -1;
}

void exec_proc_end(struct exec_server *s, struct exec_proc *p)
{
	struct backend_result r;
	int status = zombie_status(p->real), signaled = 0;

	if (p->ended)
		return;
	exec_seg_sync(s, p);
	p->ended = 1;
	s->last_end_ms = exec_now_ms();
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	exec_slot_free(p);
	if (status >= 0 && WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		char name[32];

		snprintf(name, sizeof(name), "%s%s", strace_signal_name(sig) ? "" : "SIG",
		         strace_signal_name(sig) ? strace_signal_name(sig)
		         : sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
		fprintf(s->report, "%s: +++ killed by %s +++\n", p->name, name);
		if (sig == SIGSYS)
			fprintf(s->report, "ipcsim exec: %s made a real System V IPC system call and was "
			        "stopped: a raw syscall(), a static binary, a program the loader did not "
			        "preload or a 32-bit binary; only glibc's functions in a dynamically "
			        "linked 64-bit program reach the simulated kernel\n", p->name);
		exec_line(s, 0, "# %s was killed by %s: ended here as by exit", p->tok, name);
		status = 128 + sig;
		signaled = 1;
	} else {
		status = status >= 0 ? WEXITSTATUS(status) : 0;
	}
	if (s->b->ops->exit(s->b->ctx, p->sim, status, &r) < 0) {
		s->failed = 1;
		return;
	}
	backend_result_release(&r);
	exec_line(s, 0, "%s: exit(%d)", p->tok, status);
	exec_line(s, !signaled, "%s: +++ exited with %d +++", p->tok, status);
	exec_drain_events(s);
	exec_seg_collect(s);
}
