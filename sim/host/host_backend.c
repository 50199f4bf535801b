/*
 * host_backend.c - the backend over the host kernel: the caller's side.
 *
 * Thin by design: each op of backend.h becomes one request to the
 * coordinator (host_coord.c, a forked process in its own IPC namespace) and
 * one reply, followed by the events of that step, which wait here for
 * event_next.  Nothing runs in the caller's IPC namespace, so nothing can
 * leak into it; the process tree is drawn in host_int.h.
 *
 * The coordinator has PR_SET_PDEATHSIG(SIGKILL) set from the thread that
 * called backend_host_new: create the backend from the thread that will
 * outlive it (the main thread), or the coordinator dies with the thread.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host/host_sandbox.h"
#include "ipcsim/host.h"
#include "ipcsim/types.h"

/* The keeper's own set-up wait is 8 s (host_keeper.c). */
#define HOST_START_TIMEOUT_MS 10000
#define HOST_STOP_TIMEOUT_MS 3000
/* Real milliseconds per scenario second in timed waits (host_coord_shm_sem.c). */
#define HOST_MS_PER_SECOND 200

struct host_backend {
	int sock;               /* to the coordinator; -1 once it is lost */
	pid_t coord;            /* the keeper, the coordinator's parent */
	char *isolation;        /* the hello's text */
	unsigned grantable;     /* the hello's SIM_CAP_* bits the sandbox can grant */
	char why[160];          /* the last request the coordinator failed: why */
	struct backend_event *evs; /* events of the last call, oldest first */
	int nevs, next_ev, capevs;
	/* Every uid and gid the scenario has used, for the shell's user and
	 * group names (see hb_shell). */
	unsigned *ids;
	int nids, capids;
};

void host_backend_id_seen(void *ctx, unsigned id)
{
	struct host_backend *hb = ctx;

	for (int i = 0; i < hb->nids; i++)
		if (hb->ids[i] == id)
			return;
	if (hb->nids == hb->capids) {
		int cap = hb->capids ? hb->capids * 2 : 16;
		unsigned *bigger = realloc(hb->ids, (size_t)cap * sizeof(*bigger));

		if (bigger == NULL)
			return; /* that id then prints as a number */
		hb->ids = bigger;
		hb->capids = cap;
	}
	hb->ids[hb->nids++] = id;
}

static void events_clear(struct host_backend *hb)
{
	for (int i = hb->next_ev; i < hb->nevs; i++)
		backend_result_release(&hb->evs[i].r);
	hb->nevs = 0;
	hb->next_ev = 0;
}

static int event_push(struct host_backend *hb, const struct host_wire_event *w,
                      unsigned char **text, size_t len)
{
	struct backend_event *ev;

	if (hb->nevs == hb->capevs) {
		int cap = hb->capevs ? hb->capevs * 2 : 8;
		struct backend_event *bigger = realloc(hb->evs, (size_t)cap * sizeof(*bigger));

		if (bigger == NULL)
			return -1;
		hb->evs = bigger;
		hb->capevs = cap;
	}
	ev = &hb->evs[hb->nevs++];
	memset(ev, 0, sizeof(*ev));
	ev->kind = (enum backend_event_kind)w->kind;
	ev->pid = w->pid;
	ev->sig = w->sig;
	memcpy(ev->call, w->call, sizeof(ev->call));
	ev->call[sizeof(ev->call) - 1] = '\0';
	host_wire_to_result(&ev->r, &w->r, text, len);
	return 0;
}

/* One request and its reply (host_int.h). */
int host_backend_rpc(void *ctx, const struct host_req *q, const void *blob, size_t blen,
                     struct backend_result *r, unsigned char **out, size_t *outlen)
{
	struct host_backend *hb = ctx;
	struct host_rep rep;
	unsigned char *rb = NULL;
	size_t rblen = 0;

	events_clear(hb);
	if (r != NULL)
		memset(r, 0, sizeof(*r));
	if (hb->sock < 0)
		return -1;
	if (host_wire_send(hb->sock, q, sizeof(*q), blob, blen, -1) < 0 ||
	    host_wire_recv(hb->sock, &rep, sizeof(rep), &rb, &rblen, NULL) < 0)
		goto out_lost;
	for (int i = 0; i < rep.nevents; i++) {
		struct host_wire_event w;
		unsigned char *text;
		size_t tlen;

		if (host_wire_recv(hb->sock, &w, sizeof(w), &text, &tlen, NULL) < 0)
			goto out_lost;
		if (event_push(hb, &w, &text, tlen) < 0) {
			free(text);
			free(rb);
			return -1;
		}
		free(text);
	}
	if (rep.rc == -1) {
		rep.why[sizeof(rep.why) - 1] = '\0';
		snprintf(hb->why, sizeof(hb->why), "%s", rep.why);
		free(rb);
		return -1;
	}
	if (r != NULL)
		host_wire_to_result(r, &rep.r, &rb, rblen);
	if (out != NULL) {
		*out = rb;
		*outlen = rblen;
		rb = NULL;
	}
	free(rb);
	return rep.rc;

out_lost:
	free(rb);
	close(hb->sock);
	hb->sock = -1;
	snprintf(hb->why, sizeof(hb->why), "the coordinator was lost");
	return -1;
}

void host_req_init(struct host_req *q, int op, int pid)
{
	memset(q, 0, sizeof(*q));
	q->op = op;
	q->pid = pid;
}

static int hb_proc_new(void *ctx, const struct backend_creds *c, int *pid)
{
	struct backend_result r;
	struct host_req q;
	int rc;

	host_req_init(&q, HOST_OP_PROC_NEW, 0);
	q.creds = *c;
	host_backend_id_seen(ctx, c->uid);
	host_backend_id_seen(ctx, c->gid);
	rc = host_backend_rpc(ctx, &q, NULL, 0, &r, NULL, NULL);
	if (rc < 0)
		return -1;
	*pid = (int)r.ret;
	return 0;
}

static int hb_limit_set(void *ctx, const char *name, long long value)
{
	struct host_req q;
	int rc;

	host_req_init(&q, HOST_OP_LIMIT_SET, 0);
	q.num = value;
	rc = host_backend_rpc(ctx, &q, name, strlen(name) + 1, NULL, NULL, NULL);
	return rc == -1 && ((struct host_backend *)ctx)->sock < 0 ? -EIO : rc;
}

static int hb_file_add(void *ctx, const char *path, unsigned long inode, unsigned dev_major,
                       unsigned dev_minor)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_FILE_ADD, 0);
	q.inode = inode;
	q.dev_major = dev_major;
	q.dev_minor = dev_minor;
	return host_backend_rpc(ctx, &q, path, strlen(path) + 1, NULL, NULL, NULL) < 0 ? -1 : 0;
}

static int hb_ftok(void *ctx, int pid, const char *path, int proj, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_FTOK, pid);
	q.num2 = proj;
	return host_backend_rpc(ctx, &q, path, strlen(path) + 1, r, NULL, NULL);
}

static int hb_msgget(void *ctx, int pid, long key, int flags, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_MSGGET, pid);
	q.num = key;
	q.flags = flags;
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

static int hb_msgsnd(void *ctx, int pid, int id, const struct backend_msg *m, size_t size,
                     int flags, struct backend_result *r)
{
	struct host_req q;
	size_t len = 0;

	host_req_init(&q, HOST_OP_MSGSND, pid);
	q.num = id;
	q.size = (long long)size;
	q.flags = flags;
	if (m != NULL) {
		q.has_msg = 1;
		q.mtype = m->mtype;
		len = m->len < size ? m->len : size; /* text beyond size is not sent */
	}
	return host_backend_rpc(ctx, &q, m != NULL ? m->text : NULL, len, r, NULL, NULL);
}

static int hb_msgrcv(void *ctx, int pid, int id, enum backend_buf buf, size_t size, long type,
                     int flags, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_MSGRCV, pid);
	q.num = id;
	q.buf = buf;
	q.size = (long long)size;
	q.num2 = type;
	q.flags = flags;
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

static int hb_msgctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
                     const struct ipcsim_msqid_ds *ds, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_MSGCTL, pid);
	q.num = id;
	q.cmd = cmd;
	q.buf = buf;
	if (ds != NULL) {
		q.has_ds = 1;
		q.ds = *ds;
		if (cmd == IPC_SET) {
			host_backend_id_seen(ctx, ds->msg_perm.uid);
			host_backend_id_seen(ctx, ds->msg_perm.gid);
		}
	}
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

static int hb_msg_current(void *ctx, int id, struct ipcsim_msqid_ds *ds)
{
	struct backend_result r;
	struct host_req q;

	host_req_init(&q, HOST_OP_MSG_CURRENT, 0);
	q.num = id;
	if (host_backend_rpc(ctx, &q, NULL, 0, &r, NULL, NULL) != 0 || !r.has_ds)
		return -1;
	*ds = r.ds;
	return 0;
}

static int simple_op(void *ctx, int op, int pid, long long num, long long num2, int flags,
                     struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, op, pid);
	q.num = num;
	q.num2 = num2;
	q.flags = flags;
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

static int hb_fork(void *ctx, int pid, struct backend_result *r)
{
	return simple_op(ctx, HOST_OP_FORK, pid, 0, 0, 0, r);
}

static int hb_exit(void *ctx, int pid, int status, struct backend_result *r)
{
	return simple_op(ctx, HOST_OP_EXIT, pid, status, 0, 0, r);
}

static int hb_kill(void *ctx, int pid, int target, int sig, struct backend_result *r)
{
	return simple_op(ctx, HOST_OP_KILL, pid, target, sig, 0, r);
}

static int hb_signal(void *ctx, int pid, int sig, enum backend_sig_disp disp,
                     struct backend_result *r)
{
	return simple_op(ctx, HOST_OP_SIGNAL, pid, 0, sig, (int)disp, r);
}

static int hb_sleep(void *ctx, int pid, long seconds, struct backend_result *r)
{
	return simple_op(ctx, HOST_OP_SLEEP, pid, seconds, 0, 0, r);
}

static int hb_getpid(void *ctx, int pid, struct backend_result *r)
{
	return simple_op(ctx, HOST_OP_GETPID, pid, 0, 0, 0, r);
}

static int hb_event_next(void *ctx, struct backend_event *ev)
{
	struct host_backend *hb = ctx;

	if (hb->next_ev >= hb->nevs)
		return 0;
	*ev = hb->evs[hb->next_ev++]; /* ownership of ev->r.msg.text passes */
	return 1;
}

/*
 * The request's blob: the command line, then passwd and group files made
 * from the scenario's names for every id it used, each NUL-terminated.  The
 * coordinator mounts them over /etc/passwd and /etc/group in its own mount
 * namespace, so the real ipcs prints the scenario's names, or numbers where
 * the scenario has none, as the simulated one does.  Without names (NULL)
 * both files are empty and the machine's stay.
 */
static char *shell_blob(struct host_backend *hb, const struct scenario_names *names,
                        const char *cmdline, size_t *len)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *w = open_memstream(&buf, &blen);

	if (w == NULL)
		return NULL;
	fprintf(w, "%s%c", cmdline, '\0');
	for (int i = 0; names != NULL && names->user_name != NULL && i < hb->nids; i++) {
		const char *n = names->user_name(names->ctx, hb->ids[i]);

		if (n != NULL)
			fprintf(w, "%s:x:%u:%u::/:/bin/sh\n", n, hb->ids[i], hb->ids[i]);
	}
	fputc('\0', w);
	for (int i = 0; names != NULL && names->group_name != NULL && i < hb->nids; i++) {
		const char *n = names->group_name(names->ctx, hb->ids[i]);

		if (n != NULL)
			fprintf(w, "%s:x:%u:\n", n, hb->ids[i]);
	}
	fputc('\0', w);
	if (fclose(w) != 0) {
		free(buf);
		return NULL;
	}
	*len = blen;
	return buf;
}

static int hb_shell(void *ctx, const struct backend_creds *c, const struct scenario_names *names,
                    const char *cmdline, FILE *out)
{
	struct host_backend *hb = ctx;
	struct host_req q;
	unsigned char *text = NULL;
	size_t len = 0, blen = 0;
	char *blob;
	int rc;

	host_req_init(&q, HOST_OP_SHELL, 0);
	q.creds = *c;
	host_backend_id_seen(hb, 0);
	host_backend_id_seen(hb, c->uid);
	host_backend_id_seen(hb, c->gid);
	blob = shell_blob(hb, names, cmdline, &blen);
	rc = blob == NULL ? -1 : host_backend_rpc(ctx, &q, blob, blen, NULL, &text, &len);
	free(blob);
	if (rc < 0) {
		fprintf(out, "ipcsim: host backend: cannot run '%s'\n", cmdline);
		return 126;
	}
	if (len > 0)
		fwrite(text, 1, len, out);
	free(text);
	return rc;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The coordinator ends on EOF (killing and reaping every child); one that
 * does not in time is killed. */
static void stop_coordinator(struct host_backend *hb)
{
	long deadline = now_ms() + HOST_STOP_TIMEOUT_MS;
	int status;

	if (hb->sock >= 0)
		close(hb->sock);
	hb->sock = -1;
	if (hb->coord <= 0)
		return;
	while (waitpid(hb->coord, &status, WNOHANG) == 0) {
		if (now_ms() >= deadline) {
			kill(hb->coord, SIGKILL);
			waitpid(hb->coord, &status, 0);
			break;
		}
		usleep(500);
	}
	hb->coord = 0;
}

static void hb_destroy(void *ctx)
{
	struct host_backend *hb = ctx;

	if (hb == NULL)
		return;
	stop_coordinator(hb);
	events_clear(hb);
	free(hb->evs);
	free(hb->ids);
	free(hb->isolation);
	free(hb);
}

static const struct backend_ops host_backend_ops = {
	.name = "host",
	.proc_new = hb_proc_new,
	.limit_set = hb_limit_set,
	.file_add = hb_file_add,
	.ftok = hb_ftok,
	.msgget = hb_msgget,
	.msgsnd = hb_msgsnd,
	.msgrcv = hb_msgrcv,
	.msgctl = hb_msgctl,
	.msg_current = hb_msg_current,
	.fork = hb_fork,
	.exit = hb_exit,
	.kill = hb_kill,
	.signal = hb_signal,
	.sleep = hb_sleep,
	.getpid = hb_getpid,
	.event_next = hb_event_next,
	.shell = hb_shell,
	.kernel = NULL,
	.check = NULL,
	.destroy = hb_destroy,
	.shmget = hb_shmget,
	.shmat = hb_shmat,
	.shmdt = hb_shmdt,
	.shmctl = hb_shmctl,
	.shm_current = hb_shm_current,
	.semget = hb_semget,
	.semop = hb_semop,
	.semtimedop = hb_semtimedop,
	.semctl = hb_semctl,
	.sem_current = hb_sem_current,
	.mem_store = hb_mem_store,
	.mem_load = hb_mem_load,
	.mem_write = hb_mem_write,
	.mem_read = hb_mem_read,
};

/* Waits for the coordinator's hello: 0, or -1 with err filled. */
static int await_hello(struct host_backend *hb, char *err, size_t errlen)
{
	struct pollfd pf = { hb->sock, POLLIN, 0 };
	struct host_rep rep;
	unsigned char *blob;
	size_t blen;

	if (poll(&pf, 1, HOST_START_TIMEOUT_MS) <= 0) {
		snprintf(err, errlen, "host backend: the coordinator did not start");
		return -1;
	}
	if (host_wire_recv(hb->sock, &rep, sizeof(rep), &blob, &blen, NULL) < 0) {
		snprintf(err, errlen, "host backend: the coordinator died at start");
		return -1;
	}
	if (rep.rc != 0) {
		free(blob);
		rep.why[sizeof(rep.why) - 1] = '\0';
		snprintf(err, errlen, "the sandbox cannot be made: %s", rep.why);
		return -1;
	}
	hb->isolation = (char *)blob; /* NUL-terminated by host_wire_recv */
	hb->grantable = (unsigned)rep.r.ret;
	return 0;
}

struct backend *backend_host_new(const struct backend_host_options *o, char *err,
                                 size_t errlen)
{
	struct host_coord_config cfg = { 1, 200, 5000, 0, 0, HOST_MS_PER_SECOND, 0, 0 };
	struct backend *b = calloc(1, sizeof(*b));
	struct host_backend *hb = calloc(1, sizeof(*hb));
	pid_t caller = getpid();
	int sv[2];

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	else
		errlen = 0;
	if (b == NULL || hb == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out_free;
	}
	if (o != NULL) {
		cfg.grace_ms = o->grace_ms > 0 ? o->grace_ms : cfg.grace_ms;
		cfg.settle_ms = o->settle_ms > 0 ? o->settle_ms : cfg.settle_ms;
		cfg.step_timeout_ms = o->step_timeout_ms > 0 ? o->step_timeout_ms
		                                             : cfg.step_timeout_ms;
		cfg.real_sleep = o->real_sleep;
		cfg.allow_userns = o->allow_userns;
		cfg.ms_per_second = o->ms_per_second > 0 ? o->ms_per_second : cfg.ms_per_second;
		cfg.no_userns = o->no_userns;
		cfg.wall_ms = o->wall_ms;
		if (o->real_sleep)
			cfg.ms_per_second = 1000; /* real seconds: timeouts unscaled too */
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		goto out_free;
	}
	fflush(NULL); /* no stdio buffers written twice by the fork */
	hb->coord = fork();
	if (hb->coord < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		goto out_free;
	}
	if (hb->coord == 0) {
		close(sv[0]);
		host_keeper_main(sv[1], caller, &cfg);
	}
	close(sv[1]);
	hb->sock = sv[0];
	if (await_hello(hb, err, errlen) != 0) {
		stop_coordinator(hb);
		goto out_free;
	}
	b->ops = &host_backend_ops;
	b->ctx = hb;
	return b;

out_free:
	free(hb);
	free(b);
	return NULL;
}

/* ---- beyond backend.h (ipcsim/host.h) ------------------------------------- */

static struct host_backend *host_of(const struct backend *b)
{
	return b != NULL && b->ops == &host_backend_ops ? b->ctx : NULL;
}

const char *backend_host_isolation(const struct backend *b)
{
	struct host_backend *hb = host_of(b);

	return hb != NULL ? hb->isolation : NULL;
}

unsigned backend_host_ungrantable(const struct backend *b)
{
	struct host_backend *hb = host_of(b);

	return hb != NULL ? SIM_CAP_ALL & ~hb->grantable : 0;
}

const char *backend_host_error(const struct backend *b)
{
	struct host_backend *hb = host_of(b);

	return hb != NULL && hb->why[0] != '\0' ? hb->why : NULL;
}

int backend_host_test_exec(struct backend *b, const struct backend_creds *c,
                           const char *const argv[], char **out, size_t *outlen)
{
	struct host_backend *hb = host_of(b);
	struct host_req q;
	unsigned char *text = NULL;
	size_t len = 0, n = 0;
	char *blob;
	int rc;

	*out = NULL;
	*outlen = 0;
	if (hb == NULL || argv == NULL || argv[0] == NULL)
		return -EINVAL;
	for (int i = 0; argv[i] != NULL; i++)
		n += strlen(argv[i]) + 1;
	blob = malloc(n);
	if (blob == NULL)
		return -ENOMEM;
	n = 0;
	for (int i = 0; argv[i] != NULL; i++) {
		memcpy(blob + n, argv[i], strlen(argv[i]) + 1);
		n += strlen(argv[i]) + 1;
	}
	host_req_init(&q, HOST_OP_TEST_EXEC, 0);
	q.creds = *c;
	rc = host_backend_rpc(hb, &q, blob, n, NULL, &text, &len);
	free(blob);
	if (rc == -1 && hb->sock < 0)
		return -EIO;
	*out = (char *)text;
	*outlen = len;
	return rc;
}
