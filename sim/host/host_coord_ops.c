/*
 * host_coord_ops.c - the coordinator's handler for each op of backend.h.
 *
 * A handler translates the scenario's view into the host's (scenario pid ->
 * real process, ftok key as the scenario computes it -> the real file's key,
 * in calls and in a shell line's arguments: host_shell_args.c), has the
 * right process run the real call, and translates the answer back (real
 * pids in lspid/lrpid -> scenario pids, real keys in perm.key -> scenario
 * keys).  After any step that may have woken or ended someone,
 * host_coord_settle collects the events.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/host_coord.h"
#include "ipcsim/types.h"

void host_coord_fail(struct host_rep *rep, const char *fmt, const char *arg)
{
	char why[sizeof(rep->why) + 64];

	rep->rc = -1;
	snprintf(why, sizeof(why), fmt, arg);
	memcpy(rep->why, why, sizeof(rep->why) - 1); /* cut to fit */
	rep->why[sizeof(rep->why) - 1] = '\0';
}

/* ---- keys and files ------------------------------------------------------ */

static struct host_file *file_find(struct host_coord *c, const char *path)
{
	for (int i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i].path, path) == 0)
			return &c->files[i];
	return NULL;
}

void host_coord_files_free(struct host_coord *c)
{
	for (int i = 0; i < c->nfiles; i++) {
		free(c->files[i].path);
		free(c->files[i].real);
	}
	free(c->files);
	c->files = NULL;
	c->nfiles = 0;
}

static int file_add(struct host_coord *c, const struct host_req *q, const char *path)
{
	struct host_file *f = file_find(c, path), *bigger;
	char real[128];
	int fd;

	if (f == NULL) {
		bigger = realloc(c->files, (size_t)(c->nfiles + 1) * sizeof(*bigger));
		if (bigger == NULL)
			return -ENOMEM;
		c->files = bigger;
		/* Made through the scratch tmpfs; /tmp shows it read-only. */
		snprintf(real, sizeof(real), "tmp/ipcsim-ftok-%d", c->nfiles);
		fd = openat(c->scratch_fd, real, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		close(fd);
		snprintf(real, sizeof(real), "%s/ipcsim-ftok-%d", c->tmpdir, c->nfiles);
		f = &c->files[c->nfiles];
		f->path = strdup(path);
		f->real = strdup(real);
		if (f->path == NULL || f->real == NULL) {
			free(f->path);
			free(f->real);
			return -ENOMEM;
		}
		c->nfiles++;
	}
	f->inode = q->inode;
	f->dev_major = q->dev_major;
	f->dev_minor = q->dev_minor;
	return 0;
}

/* glibc's formula over the declared inode and dev, as sim/kernel/ftok.c. */
static uint32_t scenario_key(const struct host_file *f, int proj)
{
	return (uint32_t)((f->inode & 0xffff) | ((unsigned long)(f->dev_minor & 0xff) << 16) |
	                  (((unsigned)proj & 0xffu) << 24));
}

static void key_map_add(struct host_coord *c, uint32_t skey, uint32_t rkey)
{
	struct host_keymap *bigger;

	for (int i = 0; i < c->nkeys; i++) {
		if (c->keys[i].skey == skey) {
			c->keys[i].rkey = rkey;
			return;
		}
	}
	bigger = realloc(c->keys, (size_t)(c->nkeys + 1) * sizeof(*bigger));
	if (bigger == NULL)
		return; /* the key then goes to the host unmapped */
	c->keys = bigger;
	c->keys[c->nkeys].skey = skey;
	c->keys[c->nkeys].rkey = rkey;
	c->nkeys++;
}

uint32_t host_coord_key_to_real(struct host_coord *c, uint32_t skey)
{
	for (int i = 0; i < c->nkeys; i++)
		if (c->keys[i].skey == skey)
			return c->keys[i].rkey;
	return skey;
}

static uint32_t key_to_scenario(struct host_coord *c, uint32_t rkey)
{
	for (int i = 0; i < c->nkeys; i++)
		if (c->keys[i].rkey == rkey)
			return c->keys[i].skey;
	return rkey;
}

static int pid_to_scenario(struct host_coord *c, int rpid)
{
	struct host_cproc *p = rpid > 0 ? host_coord_proc_by_rpid(c, rpid) : NULL;

	return p != NULL ? p->spid : rpid;
}

void host_coord_map_result(struct host_coord *c, struct host_wire_result *w)
{
	if (w->has_ds) {
		w->ds.msg_perm.key = key_to_scenario(c, w->ds.msg_perm.key);
		w->ds.msg_lspid = pid_to_scenario(c, w->ds.msg_lspid);
		w->ds.msg_lrpid = pid_to_scenario(c, w->ds.msg_lrpid);
	}
	if (w->has_shm_ds) {
		w->shm_ds.shm_perm.key = key_to_scenario(c, w->shm_ds.shm_perm.key);
		w->shm_ds.shm_cpid = pid_to_scenario(c, w->shm_ds.shm_cpid);
		w->shm_ds.shm_lpid = pid_to_scenario(c, w->shm_ds.shm_lpid);
	}
	if (w->has_sem_ds)
		w->sem_ds.sem_perm.key = key_to_scenario(c, w->sem_ds.sem_perm.key);
}

/* A real pid as a call's return value (semctl GETPID) -> scenario pid. */
long host_coord_ret_pid(struct host_coord *c, long rpid)
{
	return rpid > 0 ? pid_to_scenario(c, (int)rpid) : rpid;
}

/* The KILLED event of p queued by its death, taken back: the call that
 * died reports it itself (r->killed).  The signal, or 0 when none. */
static int take_own_death(struct host_coord *c, struct host_cproc *p)
{
	for (int i = 0; i < c->nevs; i++) {
		struct host_wire_event *ev = &c->evs[i].ev;
		int sig = ev->sig;

		if (ev->kind != BACKEND_EV_KILLED || ev->pid != p->spid)
			continue;
		free(c->evs[i].text);
		memmove(&c->evs[i], &c->evs[i + 1], (size_t)(c->nevs - i - 1) * sizeof(c->evs[0]));
		c->nevs--;
		return sig;
	}
	return 0;
}

/* ---- processes ----------------------------------------------------------- */

static void op_proc_new(struct host_coord *c, const struct host_req *q, struct host_rep *rep)
{
	struct host_rep ready;
	struct host_cproc *p;
	unsigned char *blob = NULL;
	size_t blen;
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		host_coord_fail(rep, "socketpair: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		host_coord_fail(rep, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return;
	}
	if (pid == 0) {
		close(sv[0]);
		host_child_main(sv[1], c->self, &q->creds);
	}
	close(sv[1]);
	if (host_wire_recv(sv[0], &ready, sizeof(ready), &blob, &blen, NULL) < 0 ||
	    ready.rc != 0) {
		host_coord_fail(rep, "new process: %s", ready.rc != 0 ? ready.why : "died at start");
		close(sv[0]);
		waitpid(pid, &status, 0);
		free(blob);
		return;
	}
	free(blob);
	p = host_coord_proc_add(c, pid, sv[0]);
	if (p == NULL) {
		host_coord_fail(rep, "%s", "out of memory");
		close(sv[0]);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return;
	}
	p->caps_missing = (unsigned)ready.r.ret;
	rep->r.ret = p->spid;
}

/* The process a call is addressed to, or NULL with rep failed. */
struct host_cproc *host_coord_caller(struct host_coord *c, int spid, struct host_rep *rep)
{
	struct host_cproc *p = host_coord_proc(c, spid);
	char num[16];

	snprintf(num, sizeof(num), "%d", spid);
	if (p == NULL)
		host_coord_fail(rep, "no process %s", num);
	else if (p->state == HC_ENDED)
		host_coord_fail(rep, "process %s has ended", num);
	else if (p->state == HC_BLOCKED)
		host_coord_fail(rep, "process %s is blocked", num);
	else
		return p;
	return NULL;
}

/* Runs q in p and fills rep (+ *blob) with the answer, mapped back. */
void host_coord_run_in(struct host_coord *c, struct host_cproc *p, const struct host_req *q,
                       const void *in, size_t inlen, int fd_pass, int may_block,
                       const char *call, struct host_rep *rep, unsigned char **blob,
                       size_t *bloblen)
{
	enum host_wait w = host_coord_call(c, p, q, in, inlen, fd_pass, may_block, call, rep,
	                                   blob, bloblen);

	switch (w) {
	case HW_ANSWERED:
		host_coord_map_result(c, &rep->r);
		/* A capability the host would not grant might have avoided this. */
		if (rep->rc == 0 && rep->r.ret == -1 && p->caps_missing != 0 &&
		    (rep->r.err == EPERM || rep->r.err == EACCES))
			rep->rc = BACKEND_OP_SKIPPED;
		break;
	case HW_BLOCKED:
		memset(rep, 0, sizeof(*rep));
		rep->r.blocked = 1;
		break;
	case HW_DIED:
		/* Ended by its own call: a memory access that faulted reports the
		 * signal in the result (as the simulator does), no event; any other
		 * death (exit, or a signal sent meanwhile) stays an event. */
		memset(rep, 0, sizeof(*rep));
		if (q->op >= HOST_OP_MEM_STORE && q->op <= HOST_OP_MEM_READ)
			rep->r.killed = take_own_death(c, p);
		break;
	case HW_TIMEOUT:
		host_coord_fail(rep, "%s: no answer and not asleep in an IPC call (timeout)", call);
		break;
	}
}

static void op_fork(struct host_coord *c, struct host_cproc *p, const struct host_req *q,
                    struct host_rep *rep, unsigned char **blob, size_t *bloblen)
{
	struct host_cproc *child;
	unsigned missing = p->caps_missing; /* p may move when the table grows */
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		host_coord_fail(rep, "socketpair: %s", strerror(errno));
		return;
	}
	host_coord_run_in(c, p, q, NULL, 0, sv[1], 0, "fork", rep, blob, bloblen);
	close(sv[1]);
	if (rep->rc != 0 || rep->r.ret <= 0) {
		close(sv[0]);
		return;
	}
	child = host_coord_proc_add(c, (pid_t)rep->r.ret, sv[0]);
	if (child == NULL) {
		kill((pid_t)rep->r.ret, SIGKILL);
		close(sv[0]);
		host_coord_fail(rep, "%s", "out of memory");
		return;
	}
	child->caps_missing = missing;
	rep->r.ret = child->spid;
}

static void op_kill(struct host_coord *c, struct host_cproc *p, const struct host_req *q,
                    struct host_rep *rep, unsigned char **blob, size_t *bloblen)
{
	struct host_cproc *target = host_coord_proc(c, (int)q->num);
	struct host_req real = *q;

	/* An ended process has been reaped: its real pid may be anybody's now. */
	if (target == NULL || target->state == HC_ENDED) {
		rep->r.ret = -1;
		rep->r.err = ESRCH;
		return;
	}
	real.num = target->rpid;
	host_coord_run_in(c, p, &real, NULL, 0, -1, 0, "kill", rep, blob, bloblen);
}

/* ---- shell --------------------------------------------------------------- */

/* The scenario's pid as written in a shell line (/proc/1000/maps): the
 * real process while it lives; an ended one has been reaped, and its real
 * pid may be anybody's now. */
static long shell_pid_to_real(void *ctx, long spid)
{
	struct host_cproc *p = spid > 0 && spid <= 0x7fffffffL ? host_coord_proc(ctx, (int)spid)
	                                                        : NULL;

	return p != NULL && p->state != HC_ENDED ? (long)p->rpid : 0;
}

static uint32_t shell_key_to_real(void *ctx, uint32_t skey)
{
	return host_coord_key_to_real(ctx, skey);
}

static long shell_pid_map(void *ctx, long rpid)
{
	return pid_to_scenario(ctx, (int)rpid);
}

static long shell_key_map(void *ctx, long rkey)
{
	return (long)key_to_scenario(ctx, (uint32_t)rkey);
}

/* Rewrites the scratch tmpfs's file rel (its inode stays, so the read-only
 * bind on /etc shows the new text). */
static int write_whole(struct host_coord *c, const char *rel, const char *text)
{
	int fd = openat(c->scratch_fd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t n = strlen(text);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, n) == (ssize_t)n;
	close(fd);
	return ok ? 0 : -1;
}

/* The scenario's names as /etc/passwd and /etc/group: the sandbox's own
 * files (host_sandbox_fs.c), which no tool can write. */
static void install_names(struct host_coord *c, const char *passwd, const char *group)
{
	if (passwd[0] == '\0' && group[0] == '\0')
		return;
	write_whole(c, "names/passwd", passwd);
	write_whole(c, "names/group", group);
}

static void op_shell(struct host_coord *c, const struct host_req *q, const char *line,
                     size_t inlen, struct host_rep *rep, unsigned char **blob,
                     size_t *bloblen)
{
	const struct host_shell_maps maps = { shell_pid_to_real, shell_key_to_real, c };
	char *out = NULL, *pids;
	size_t outlen = 0, pidslen = 0, at = strlen(line) + 1;
	const char *passwd = at < inlen ? line + at : "";
	const char *group = "";

	if (at < inlen && at + strlen(passwd) + 1 < inlen)
		group = passwd + strlen(passwd) + 1;
	install_names(c, passwd, group);
	rep->rc = host_shell_run(&q->creds, line, &maps, &out, &outlen, c->cfg.step_timeout_ms);
	if (out != NULL) {
		pids = host_shell_map_pids(out, outlen, shell_pid_map, c, &pidslen);
		if (pids != NULL) {
			free(out);
			out = pids;
			outlen = pidslen;
		}
		pids = host_shell_map_keys(out, outlen, shell_key_map, c, &pidslen);
		if (pids != NULL) {
			free(out);
			out = pids;
			outlen = pidslen;
		}
	}
	*blob = (unsigned char *)out;
	*bloblen = outlen;
}

/* backend_host_test_exec: argv as NUL-separated words, run unchecked. */
static void op_test_exec(const struct host_coord *c, const struct host_req *q,
                         const char *in, size_t inlen, struct host_rep *rep,
                         unsigned char **blob, size_t *bloblen)
{
	char **argv = calloc(inlen + 2, sizeof(*argv));
	char *out = NULL;
	size_t n = 0, outlen = 0;

	if (argv == NULL) {
		host_coord_fail(rep, "%s", "out of memory");
		return;
	}
	for (size_t at = 0; at < inlen; at += strlen(in + at) + 1)
		argv[n++] = (char *)in + at;
	rep->rc = n > 0 ? host_shell_exec(&q->creds, argv, &out, &outlen, c->cfg.step_timeout_ms)
	                : -EINVAL;
	free(argv);
	*blob = (unsigned char *)out;
	*bloblen = outlen;
}

/* ---- msg_current: the coordinator's own, privileged IPC_STAT ------------- */

static void op_msg_current(struct host_coord *c, const struct host_req *q, struct host_rep *rep)
{
	struct host_req stat = *q;

	stat.cmd = IPC_STAT;
	stat.buf = BACKEND_BUF_VALID;
	stat.has_ds = 0;
	if (q->num < 0 || host_child_msgctl(&stat, &rep->r) < 0) {
		rep->rc = -1;
		snprintf(rep->why, sizeof(rep->why), "no queue %lld", q->num);
		return;
	}
	host_coord_map_result(c, &rep->r);
}

/* ---- dispatch ------------------------------------------------------------ */

static void op_in_child(struct host_coord *c, const struct host_req *q, const unsigned char *in,
                        size_t inlen, struct host_rep *rep, unsigned char **blob,
                        size_t *bloblen)
{
	struct host_cproc *p = host_coord_caller(c, q->pid, rep);
	struct host_req real = *q;
	int may_block = !(q->flags & IPC_NOWAIT);

	if (p == NULL)
		return;
	switch (q->op) {
	case HOST_OP_FTOK: {
		struct host_file *f = file_find(c, (const char *)in);
		char absent[96];

		snprintf(absent, sizeof(absent), "%s/ipcsim-absent", c->tmpdir);
		const char *path = f != NULL ? f->real : absent;

		host_coord_run_in(c, p, q, path, strlen(path) + 1, -1, 0, "ftok", rep, blob, bloblen);
		if (rep->rc == 0 && rep->r.ret >= 0 && f != NULL) {
			uint32_t skey = scenario_key(f, (int)q->num2);

			key_map_add(c, skey, (uint32_t)rep->r.ret);
			rep->r.ret = skey;
		}
		break;
	}
	case HOST_OP_MSGGET:
		real.num = (int32_t)host_coord_key_to_real(c, (uint32_t)q->num);
		host_coord_run_in(c, p, &real, NULL, 0, -1, 0, "msgget", rep, blob, bloblen);
		break;
	case HOST_OP_MSGSND:
		host_coord_run_in(c, p, q, in, inlen, -1, may_block, "msgsnd", rep, blob, bloblen);
		break;
	case HOST_OP_MSGRCV:
		host_coord_run_in(c, p, q, NULL, 0, -1, may_block, "msgrcv", rep, blob, bloblen);
		break;
	case HOST_OP_MSGCTL:
		host_coord_run_in(c, p, q, NULL, 0, -1, 0, "msgctl", rep, blob, bloblen);
		break;
	case HOST_OP_FORK:
		op_fork(c, p, q, rep, blob, bloblen);
		break;
	case HOST_OP_EXIT:
		p->exit_expected = 1;
		host_coord_run_in(c, p, q, NULL, 0, -1, 0, "exit", rep, blob, bloblen);
		break;
	case HOST_OP_KILL:
		op_kill(c, p, q, rep, blob, bloblen);
		break;
	case HOST_OP_SIGNAL:
		host_coord_run_in(c, p, q, NULL, 0, -1, 0, "signal", rep, blob, bloblen);
		break;
	case HOST_OP_GETPID:
		rep->r.ret = p->spid;
		break;
	}
	host_coord_settle(c);
}

void host_coord_dispatch(struct host_coord *c, const struct host_req *q,
                         const unsigned char *in, size_t inlen, struct host_rep *rep,
                         unsigned char **blob, size_t *bloblen)
{
	*blob = NULL;
	*bloblen = 0;
	switch (q->op) {
	case HOST_OP_PROC_NEW:
		op_proc_new(c, q, rep);
		break;
	case HOST_OP_LIMIT_SET:
		rep->rc = host_limit_set((const char *)in, q->num);
		break;
	case HOST_OP_FILE_ADD:
		rep->rc = file_add(c, q, (const char *)in);
		break;
	case HOST_OP_MSG_CURRENT:
		op_msg_current(c, q, rep);
		break;
	case HOST_OP_SHELL:
		op_shell(c, q, (const char *)in, inlen, rep, blob, bloblen);
		host_coord_settle(c); /* ipcrm wakes sleepers with EIDRM */
		break;
	case HOST_OP_TEST_EXEC:
		op_test_exec(c, q, (const char *)in, inlen, rep, blob, bloblen);
		break;
	default:
		if (!host_coord_ipc_dispatch(c, q, in, inlen, rep, blob, bloblen))
			op_in_child(c, q, in, inlen, rep, blob, bloblen);
		break;
	}
}
