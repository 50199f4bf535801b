/*
 * exec_calls.c - one request of a process: its call on the simulated
 * backend, the line it makes in the report and the record, the reply.  A
 * call that sleeps gets its reply when an event says it returned (another
 * process's call woke it, or a signal handler interrupted it).
 *
 * Pids: the simulated kernel numbers its processes from 1000, in the order
 * they registered, so that the record replays with the same numbers; the
 * program sees real pids, so the pid fields of what it reads (msg_lspid,
 * shm_cpid, GETPID...) are translated here.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "ipcsim/kernel.h"
#include "ipcsim/strace.h"

static pid_t real_of(struct exec_server *s, int sim)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].sim == sim)
			return s->procs[i].real;
	return sim;
}

/* shmat's descriptor, on the socket: the reply that follows says so. */
static int send_fd(int conn, int pass_fd)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} ctl;
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
	                     .msg_controllen = sizeof(ctl.b) };
	struct cmsghdr *c;

	memset(&ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	/* never blocks the server: a socket the program filled is its loss */
	return sendmsg(conn, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) == 1 ? 0 : -1;
}

int exec_reply(struct exec_server *s, struct exec_proc *p, const struct backend_result *r,
               const void *payload, size_t len, int pass_fd)
{
	struct wire_rep rep = { .magic = WIRE_MAGIC };
	int rc;

	(void)s;
	rep.ret = r->ret;
	rep.err = r->err;
	rep.killed = r->killed;
	if (r->ret >= 0 && p->req.op == WIRE_SHMAT) {
		rep.a[0] = (int64_t)r->nbytes; /* length and offset of the mapping */
		rep.a[1] = (int64_t)r->nsemvals;
	}
	if (pass_fd >= 0 && p->slot) {
		if (p->fd < 0 || send_fd(p->fd, pass_fd) < 0) {
			rep.ret = -1; /* the descriptor cannot reach it */
			rep.err = ENOMEM;
		} else {
			rep.has_fd = 1;
		}
	}
	/* msgrcv: the mtype, then the text (ret bytes). */
	if (r->has_msg && p->req.op == WIRE_MSGRCV)
		rc = exec_slot_reply(p, &rep, &r->msg.mtype, sizeof(long), r->msg.text, r->msg.len);
	else
		rc = exec_slot_reply(p, &rep, payload, len, NULL, 0);
	if (rc < 0) {
		/* no room for the payload (the memfd could not grow) */
		rep.ret = -1;
		rep.err = ENOMEM;
		rc = exec_slot_reply(p, &rep, NULL, 0, NULL, 0);
	}
	return rc;
}

/* ---- how the call is written ------------------------------------------- */

static const char *cmd_name(int op, int cmd)
{
	switch (cmd) {
	case IPC_RMID: return "IPC_RMID";
	case IPC_SET: return "IPC_SET";
	case IPC_STAT: return "IPC_STAT";
	case IPC_INFO: return "IPC_INFO";
	}
	if (op == WIRE_MSGCTL)
		return cmd == MSG_STAT ? "MSG_STAT" : cmd == MSG_INFO ? "MSG_INFO"
		       : cmd == MSG_STAT_ANY ? "MSG_STAT_ANY" : NULL;
	if (op == WIRE_SHMCTL)
		return cmd == SHM_STAT ? "SHM_STAT" : cmd == SHM_INFO ? "SHM_INFO"
		       : cmd == SHM_STAT_ANY ? "SHM_STAT_ANY" : cmd == SHM_LOCK ? "SHM_LOCK"
		       : cmd == SHM_UNLOCK ? "SHM_UNLOCK" : NULL;
	switch (cmd) {
	case GETPID: return "GETPID";
	case GETVAL: return "GETVAL";
	case GETALL: return "GETALL";
	case GETNCNT: return "GETNCNT";
	case GETZCNT: return "GETZCNT";
	case SETVAL: return "SETVAL";
	case SETALL: return "SETALL";
	case SEM_STAT: return "SEM_STAT";
	case SEM_INFO: return "SEM_INFO";
	case SEM_STAT_ANY: return "SEM_STAT_ANY";
	}
	return NULL;
}

static void put_key(FILE *w, long key)
{
	if ((int)key == IPC_PRIVATE)
		fputs("IPC_PRIVATE", w);
	else
		fprintf(w, "%#x", (unsigned)key);
}

static void put_flags(FILE *w, long flags, int kind)
{
	exec_put_flags(w, flags, kind);
}

static void put_cmd(FILE *w, int op, int cmd)
{
	const char *n = cmd_name(op, cmd);

	if (n)
		fputs(n, w);
	else
		fprintf(w, "%d", cmd);
}

static void put_sops(FILE *w, const struct ipcsim_sembuf *ops, size_t n)
{
	fputc('[', w);
	for (size_t i = 0; i < n; i++) {
		fprintf(w, "%s{%u, %d, ", i ? ", " : "", ops[i].sem_num, ops[i].sem_op);
		put_flags(w, (unsigned short)ops[i].sem_flg, 'o');
		fputc('}', w);
	}
	fputc(']', w);
}

/* A struct for IPC_SET as a partial struct literal. */
static void put_set(FILE *w, int op, const void *buf)
{
	if (op == WIRE_MSGCTL) {
		struct ipcsim_msqid_ds ds;

		exec_conv_msqid_in(&ds, buf);
		fprintf(w, "{msg_perm.uid=%u, msg_perm.gid=%u, msg_perm.mode=0%o, msg_qbytes=%lu}",
		        ds.msg_perm.uid, ds.msg_perm.gid, ds.msg_perm.mode & 0777, ds.msg_qbytes);
	} else if (op == WIRE_SHMCTL) {
		struct ipcsim_shmid_ds ds;

		exec_conv_shmid_in(&ds, buf);
		fprintf(w, "{shm_perm.uid=%u, shm_perm.gid=%u, shm_perm.mode=0%o}",
		        ds.shm_perm.uid, ds.shm_perm.gid, ds.shm_perm.mode & 0777);
	} else {
		struct ipcsim_semid_ds ds;

		exec_conv_semid_in(&ds, buf);
		fprintf(w, "{sem_perm.uid=%u, sem_perm.gid=%u, sem_perm.mode=0%o}",
		        ds.sem_perm.uid, ds.sem_perm.gid, ds.sem_perm.mode & 0777);
	}
}

/* ---- the calls ----------------------------------------------------------- */

struct call {
	char name[16];
	FILE *w;      /* the line: "P: msgsnd(0, {1, \"hi\"}, 3, 0)" (exec_text_begin) */
	struct backend_result r;
	unsigned char out[256]; /* a structure to send back */
	size_t nout;
	const void *outp;       /* or a payload elsewhere */
	int pass_fd;
};

static void ctl_reply(struct exec_server *s, int op, int cmd, struct call *c)
{
	struct backend_result *r = &c->r;

	if (r->ret < 0)
		return;
	/* The program sees real pids; the record keeps the simulated ones. */
	if (r->has_ds) {
		struct ipcsim_msqid_ds ds = r->ds;

		ds.msg_lspid = real_of(s, ds.msg_lspid);
		ds.msg_lrpid = real_of(s, ds.msg_lrpid);
		exec_conv_msqid_out(c->out, &ds);
	} else if (r->has_info) {
		exec_conv_msginfo_out(c->out, &r->info);
	} else if (r->has_shm_ds) {
		struct ipcsim_shmid_ds ds = r->shm_ds;

		ds.shm_cpid = real_of(s, ds.shm_cpid);
		ds.shm_lpid = real_of(s, ds.shm_lpid);
		exec_conv_shmid_out(c->out, &ds);
	} else if (r->has_shminfo) {
		exec_conv_shminfo_out(c->out, &r->shminfo);
	} else if (r->has_shm_info) {
		exec_conv_shm_info_out(c->out, &r->shm_info);
	} else if (r->has_sem_ds) {
		exec_conv_semid_out(c->out, &r->sem_ds);
	} else if (r->has_seminfo) {
		exec_conv_seminfo_out(c->out, &r->seminfo);
	} else {
		return;
	}
	c->nout = wire_ctl_size(op, cmd);
}

struct span_list {
	int64_t v[128];
	size_t n;
	unsigned long addr;
	struct sim_attach_view found;
};

static int collect_span(void *ctx, const struct sim_attach_view *a)
{
	struct span_list *l = ctx;

	if (a->addr == l->addr)
		l->found = *a;
	if (l->n + 2 <= 128) {
		l->v[l->n++] = (int64_t)a->addr;
		l->v[l->n++] = (int64_t)a->len;
	}
	return 0;
}

/* The attachments p had before and has not after: what shmdt removed. */
static size_t spans_removed(const struct span_list *before, const struct span_list *after,
                            int64_t *out)
{
	size_t n = 0;

	for (size_t i = 0; i < before->n; i += 2) {
		int kept = 0;

		for (size_t j = 0; j < after->n; j += 2)
			kept |= after->v[j] == before->v[i];
		if (!kept) {
			out[n++] = before->v[i];
			out[n++] = before->v[i + 1];
		}
	}
	return n;
}

static int do_shmat(struct exec_server *s, struct exec_proc *p, const struct wire_req *q,
                    struct call *c)
{
	const struct backend_ops *ops = s->b->ops;
	struct span_list l;
	struct exec_seg *seg;

	l.n = 0;
	l.found.len = 0;
	if (ops->shmat(s->b->ctx, p->sim, (int)q->a[0], (unsigned long)q->a[1], (int)q->a[2],
	               &c->r) < 0)
		return -1;
	if (c->r.ret < 0)
		return 0;
	seg = exec_seg_get(s, (int)q->a[0]);
	l.addr = (unsigned long)c->r.ret;
	l.found.pgoff = 0;
	sim_proc_attachments(backend_kernel(s->b), p->sim, collect_span, &l);
	if (!seg || l.found.len == 0) {
		struct backend_result undo;

		ops->shmdt(s->b->ctx, p->sim, (unsigned long)c->r.ret, &undo);
		backend_result_release(&undo);
		c->r.ret = -1;
		c->r.err = ENOMEM;
		return 0;
	}
	c->r.nbytes = l.found.len;
	c->r.nsemvals = l.found.pgoff * SIM_PAGE_SIZE;
	/* The segment's own descriptor (SCM_RIGHTS gives the process a copy),
	 * or a read-only one: then mprotect(PROT_WRITE) fails as on Linux;
	 * none when the process says it holds it already (a[3], a[4]: the
	 * memfd's inode and device; a process that lies only fails to map). */
	if ((uint64_t)q->a[3] != seg->ino || (uint64_t)q->a[4] != seg->dev)
		c->pass_fd = q->a[2] & SHM_RDONLY ? exec_seg_rdonly(seg) : seg->fd;
	return 0;
}

static int do_shmdt(struct exec_server *s, struct exec_proc *p, const struct wire_req *q,
                    struct call *c, int64_t *spans)
{
	struct span_list before, after;
	const struct sim_kernel *k = backend_kernel(s->b);

	before.n = after.n = 0;
	before.addr = after.addr = 0; /* no address is 0: nothing is "found" */
	sim_proc_attachments(k, p->sim, collect_span, &before);
	if (s->b->ops->shmdt(s->b->ctx, p->sim, (unsigned long)q->a[0], &c->r) < 0)
		return -1;
	sim_proc_attachments(backend_kernel(s->b), p->sim, collect_span, &after);
	c->nout = spans_removed(&before, &after, spans) * sizeof(int64_t);
	c->outp = spans;
	return 0;
}

static int do_semctl(struct exec_server *s, struct exec_proc *p, const struct wire_req *q,
                     const unsigned char *payload, struct call *c)
{
	int id = (int)q->a[0], cmd = (int)q->a[1], num = (int)q->a[3];
	struct backend_semctl_arg arg = { .buf = q->a[2] ? BACKEND_BUF_VALID : BACKEND_BUF_NULL };
	struct ipcsim_semid_ds ds = { 0 };

	fprintf(c->w, "semctl(%d, %d, ", id, num);
	put_cmd(c->w, WIRE_SEMCTL, cmd);
	if (cmd == SETVAL) {
		arg.buf = BACKEND_BUF_VALID;
		arg.val = (int)q->a[4];
		fprintf(c->w, ", %d)", arg.val);
	} else if (cmd == SETALL && q->a[2]) {
		arg.values = (const unsigned short *)payload;
		arg.nvalues = q->len / sizeof(unsigned short);
		fputs(", [", c->w);
		for (size_t i = 0; i < arg.nvalues; i++)
			fprintf(c->w, "%s%u", i ? ", " : "", arg.values[i]);
		fputs("])", c->w);
	} else if (cmd == IPC_SET && q->a[2] && q->len >= sizeof(struct semid_ds)) {
		exec_conv_semid_in(&ds, payload);
		arg.ds = &ds;
		fputs(", ", c->w);
		put_set(c->w, WIRE_SEMCTL, payload);
		fputc(')', c->w);
	} else if (cmd == GETALL) {
		fputs(q->a[2] ? ", &v)" : ", NULL)", c->w);
	} else if (cmd == IPC_STAT || cmd == SEM_STAT || cmd == SEM_STAT_ANY || cmd == IPC_INFO ||
	           cmd == SEM_INFO || cmd == SETALL || cmd == IPC_SET) {
		fputs(q->a[2] ? (cmd == IPC_INFO || cmd == SEM_INFO ? ", &info)" : ", &ds)")
		              : ", NULL)", c->w);
	} else {
		fputc(')', c->w);
	}
	if (s->b->ops->semctl(s->b->ctx, p->sim, id, num, cmd, &arg, &c->r) < 0)
		return -1;
	if (c->r.semvals) {
		c->outp = c->r.semvals;
		c->nout = c->r.nsemvals * sizeof(unsigned short);
	} else {
		ctl_reply(s, WIRE_SEMCTL, cmd, c);
	}
	return 0;
}

static int do_ctl(struct exec_server *s, struct exec_proc *p, const struct wire_req *q,
                  const unsigned char *payload, struct call *c)
{
	int id = (int)q->a[0], cmd = (int)q->a[1], op = (int)q->op;
	enum backend_buf buf = q->a[2] ? BACKEND_BUF_VALID : BACKEND_BUF_NULL;
	int has_in = cmd == IPC_SET && q->a[2] && q->len >= wire_ctl_size(op, cmd);
	int rc;

	fprintf(c->w, "%s(%d, ", op == WIRE_MSGCTL ? "msgctl" : "shmctl", id);
	put_cmd(c->w, op, cmd);
	if (has_in) {
		fputs(", ", c->w);
		put_set(c->w, op, payload);
		fputc(')', c->w);
	} else {
		fputs(!q->a[2] ? ", NULL)" : cmd == IPC_INFO || cmd == MSG_INFO || cmd == SHM_INFO
		                                 ? ", &info)" : ", &ds)", c->w);
	}
	if (op == WIRE_MSGCTL) {
		struct ipcsim_msqid_ds ds = { 0 };

		if (has_in) {
			s->b->ops->msg_current(s->b->ctx, id, &ds);
			exec_conv_msqid_in(&ds, payload);
		}
		rc = s->b->ops->msgctl(s->b->ctx, p->sim, id, cmd, buf, has_in ? &ds : NULL, &c->r);
	} else {
		struct ipcsim_shmid_ds ds = { 0 };

		if (has_in) {
			s->b->ops->shm_current(s->b->ctx, id, &ds);
			exec_conv_shmid_in(&ds, payload);
		}
		rc = s->b->ops->shmctl(s->b->ctx, p->sim, id, cmd, buf, has_in ? &ds : NULL, &c->r);
	}
	if (rc < 0)
		return -1;
	ctl_reply(s, op, cmd, c);
	return 0;
}

static int do_semop(struct exec_server *s, struct exec_proc *p, const struct wire_req *q,
                    const unsigned char *payload, struct call *c)
{
	const struct ipcsim_sembuf *ops = q->a[2] ? (const void *)payload : NULL;
	size_t n = (size_t)q->a[1];
	long timeout[2] = { (long)q->a[4], (long)q->a[5] };
	int timed = q->a[3] != 0;

	snprintf(c->name, sizeof(c->name), timed ? "semtimedop" : "semop");
	fprintf(c->w, "%s(%d, ", c->name, (int)q->a[0]);
	if (ops)
		put_sops(c->w, ops, q->len / sizeof(*ops));
	else
		fputs("NULL", c->w);
	fprintf(c->w, ", %zu", n);
	if (timed)
		fprintf(c->w, ", {tv_sec=%ld, tv_nsec=%ld}", timeout[0], timeout[1]);
	fputc(')', c->w);
	if (timed)
		return s->b->ops->semtimedop(s->b->ctx, p->sim, (int)q->a[0], ops, n, timeout, &c->r);
	return s->b->ops->semop(s->b->ctx, p->sim, (int)q->a[0], ops, n, &c->r);
}

static int perform(struct exec_server *s, struct exec_proc *p, const struct wire_req *q,
                   const unsigned char *payload, struct call *c, int64_t *spans)
{
	const struct backend_ops *ops = s->b->ops;
	void *ctx = s->b->ctx;

	switch (q->op) {
	case WIRE_MSGGET:
		strcpy(c->name, "msgget");
		fputs("msgget(", c->w);
		put_key(c->w, (long)q->a[0]);
		fputs(", ", c->w);
		put_flags(c->w, (long)q->a[1], 'm');
		fputc(')', c->w);
		return ops->msgget(ctx, p->sim, (int)q->a[0], (int)q->a[1], &c->r);
	case WIRE_MSGSND: {
		struct backend_msg m = { (long)q->a[3], (unsigned char *)payload, q->len };

		strcpy(c->name, "msgsnd");
		fputs("msgsnd(", c->w);
		strace_print_int(c->w, (int)q->a[0], 'd');
		if (q->a[4]) {
			fputs(", {", c->w);
			strace_print_int(c->w, m.mtype, 'd');
			fputs(", ", c->w);
			strace_print_string(c->w, payload, q->len, 1);
			fputc('}', c->w);
		} else {
			fputs(", NULL", c->w);
		}
		fputs(", ", c->w);
		strace_print_int(c->w, q->a[1], 'd');
		fputs(", ", c->w);
		put_flags(c->w, (long)q->a[2], 'n');
		fputc(')', c->w);
		return ops->msgsnd(ctx, p->sim, (int)q->a[0], q->a[4] ? &m : NULL, (size_t)q->a[1],
		                   (int)q->a[2], &c->r);
	}
	case WIRE_MSGRCV:
		strcpy(c->name, "msgrcv");
		fputs("msgrcv(", c->w);
		strace_print_int(c->w, (int)q->a[0], 'd');
		fputs(q->a[4] ? ", &m, " : ", NULL, ", c->w);
		strace_print_int(c->w, q->a[1], 'd');
		fputs(", ", c->w);
		strace_print_int(c->w, q->a[2], 'd');
		fputs(", ", c->w);
		put_flags(c->w, (long)q->a[3], 'n');
		fputc(')', c->w);
		return ops->msgrcv(ctx, p->sim, (int)q->a[0],
		                   q->a[4] ? BACKEND_BUF_VALID : BACKEND_BUF_NULL, (size_t)q->a[1],
		                   (long)q->a[2], (int)q->a[3], &c->r);
	case WIRE_MSGCTL:
		strcpy(c->name, "msgctl");
		return do_ctl(s, p, q, payload, c);
	case WIRE_SHMGET:
		strcpy(c->name, "shmget");
		fputs("shmget(", c->w);
		put_key(c->w, (long)q->a[0]);
		fprintf(c->w, ", %llu, ", (unsigned long long)q->a[1]);
		put_flags(c->w, (long)q->a[2], 's');
		fputc(')', c->w);
		return ops->shmget(ctx, p->sim, (int)q->a[0], (size_t)q->a[1], (int)q->a[2], &c->r);
	case WIRE_SHMAT:
		strcpy(c->name, "shmat");
		fputs("shmat(", c->w);
		strace_print_int(c->w, (int)q->a[0], 'd');
		fputs(", ", c->w);
		if (q->a[1])
			exec_put_hex(c->w, (unsigned long long)q->a[1]);
		else
			fputs("NULL", c->w);
		fputs(", ", c->w);
		put_flags(c->w, (long)q->a[2], 'a');
		fputc(')', c->w);
		return do_shmat(s, p, q, c);
	case WIRE_SHMDT:
		strcpy(c->name, "shmdt");
		fputs("shmdt(", c->w);
		exec_put_hex(c->w, (unsigned long long)q->a[0]);
		fputc(')', c->w);
		return do_shmdt(s, p, q, c, spans);
	case WIRE_SHMCTL:
		strcpy(c->name, "shmctl");
		return do_ctl(s, p, q, payload, c);
	case WIRE_SEMGET:
		strcpy(c->name, "semget");
		fputs("semget(", c->w);
		put_key(c->w, (long)q->a[0]);
		fprintf(c->w, ", %d, ", (int)q->a[1]);
		put_flags(c->w, (long)q->a[2], 'm');
		fputc(')', c->w);
		return ops->semget(ctx, p->sim, (int)q->a[0], (int)q->a[1], (int)q->a[2], &c->r);
	case WIRE_SEMOP:
		return do_semop(s, p, q, payload, c);
	case WIRE_SEMCTL:
		strcpy(c->name, "semctl");
		return do_semctl(s, p, q, payload, c);
	}
	c->r.ret = -1;
	c->r.err = ENOSYS;
	return 0;
}

/* Not calls: the size of a set for SETALL, undoing a mapping that failed. */
static int side_request(struct exec_server *s, struct exec_proc *p, const struct wire_req *q)
{
	struct backend_result r = { 0 };

	if (q->op == WIRE_SEMCTL) {
		struct ipcsim_semid_ds ds;

		r.ret = s->b->ops->sem_current(s->b->ctx, (int)q->a[0], &ds) == 0
		        ? (long)ds.sem_nsems : 0;
	} else {
		if (s->b->ops->shmdt(s->b->ctx, p->sim, (unsigned long)q->a[0], &r) < 0)
			return -1;
		exec_line(s, 1, "%s: shmdt(%#llx) = %ld  # the address was taken in the process",
		          p->tok, (unsigned long long)q->a[0], r.ret);
	}
	p->req = *q;
	return exec_reply(s, p, &r, NULL, 0, -1);
}

/* A read of /proc/sysvipc/ files or /proc/sys/kernel/{msg,shm,sem}*: the
 * simulated shell's `cat`, recorded as a `$ cat` line with its output. */
static int proc_read(struct exec_server *s, struct exec_proc *p, const char *path)
{
	struct backend_creds c = { p->uid, p->gid, p->caps };
	struct backend_result r = { 0 };
	char *cmd = NULL, *text = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&text, &len);
	int st;

	if (!w || asprintf(&cmd, "cat %s", path) < 0) {
		if (w)
			fclose(w);
		free(text);
		return -1;
	}
	st = s->b->ops->shell(s->b->ctx, &c, &s->names, cmd, w);
	fclose(w);
	if (st != 0) {
		r.ret = -1;
		r.err = ENOENT;
		len = 0;
	} else {
		exec_line(s, 1, "$ %s", cmd);
		for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			exec_line(s, 0, ">%s%.*s", nl == line ? "" : " ",
			          (int)(nl ? nl - line : (long)strlen(line)), line);
		}
	}
	p->req.op = WIRE_PROC_READ;
	st = exec_reply(s, p, &r, text, len, -1);
	free(cmd);
	free(text);
	return st;
}

/* A write of /proc/sys/kernel/NAME: the limit, recorded as `limit` lines. */
static int proc_write(struct exec_server *s, struct exec_proc *p, const unsigned char *payload,
                      size_t n)
{
	static const char *const sem_names[] = { "semmsl", "semmns", "semopm", "semmni" };
	struct backend_result r = { 0 };
	const char *path = (const char *)payload, *name, *text;
	char buf[256];
	long long v[4];
	int nv = 0;

	if (n == 0 || n >= sizeof(buf) || !memchr(payload, '\0', n))
		return 0;
	memcpy(buf, payload, n);
	buf[n] = '\0';
	text = buf + strlen(path) + 1;
	name = strncmp(path, "/proc/sys/kernel/", 17) == 0 ? path + 17 : NULL;
	for (char *end; nv < 4; text = end) {
		v[nv] = strtoll(text, &end, 10);
		if (end == text)
			break;
		nv++;
	}
	if (name && strcmp(name, "sem") == 0 && nv == 4) {
		for (int i = 0; i < 4 && r.ret == 0; i++)
			if (s->b->ops->limit_set(s->b->ctx, sem_names[i], v[i]) == 0)
				exec_line(s, 1, "limit %s=%lld", sem_names[i], v[i]);
			else
				r.ret = -1;
	} else if (name && nv == 1 && s->b->ops->limit_set(s->b->ctx, name, v[0]) == 0) {
		exec_line(s, 1, "limit %s=%lld", name, v[0]);
	} else {
		r.ret = -1;
	}
	if (r.ret < 0)
		fprintf(s->report, "# %s: writing %s was refused by the simulated kernel\n", p->name,
		        path);
	p->req.op = WIRE_PROC_WRITE;
	return exec_reply(s, p, &r, NULL, 0, -1);
}

/* A simulated process of exec's own, root, made on first use: `signals`
 * delivers EINTR, `timer` moves the clock.  0, or -1 (the backend failed). */
static int helper_proc(struct exec_server *s, int *pid, const char *name)
{
	struct backend_creds root = { 0, 0, SIM_CAP_ALL };

	if (*pid)
		return 0;
	if (s->b->ops->proc_new(s->b->ctx, &root, pid) < 0) {
		s->failed = 1;
		return -1;
	}
	exec_line(s, 0, "process %s uid=0 gid=0", name);
	return 0;
}

/* A semtimedop that sleeps: its deadline in real time (the program waits
 * as long as on Linux) and the simulated clock's second by which the
 * simulated kernel's deadline has passed. */
static void timed_sleep(struct exec_server *s, struct exec_proc *p, long long sec, long long nsec)
{
	long now = sim_now(backend_kernel(s->b));

	if (sec < 0 || nsec < 0 || sec > EXEC_TIMED_MAX_S) {
		p->timed_ms = 0; /* never in practice: --timeout comes first */
		return;
	}
	p->timed_ms = exec_now_ms() + (long)sec * 1000 + (long)((nsec + 999999) / 1000000);
	if (!p->timed_ms)
		p->timed_ms = 1;
	p->timed_sim = now + (long)sec + (nsec > 0);
}

long exec_timed_next(const struct exec_server *s)
{
	long next = 0;

	for (size_t i = 0; i < s->nprocs; i++) {
		const struct exec_proc *p = &s->procs[i];

		if (!p->ended && p->blocked && p->timed_ms && (!next || p->timed_ms < next))
			next = p->timed_ms;
	}
	return next;
}

void exec_timed_expire(struct exec_server *s)
{
	long now = exec_now_ms();

	for (;;) {
		struct exec_proc *first = NULL;
		struct backend_result r;
		long ahead;

		for (size_t i = 0; i < s->nprocs; i++) {
			struct exec_proc *p = &s->procs[i];

			if (!p->ended && p->blocked && p->timed_ms && p->timed_ms <= now &&
			    (!first || p->timed_ms < first->timed_ms))
				first = p;
		}
		if (!first)
			return;
		first->timed_ms = 0;
		ahead = first->timed_sim - sim_now(backend_kernel(s->b));
		if (ahead <= 0)
			continue;
		if (helper_proc(s, &s->timer, "timer") < 0)
			return;
		if (s->b->ops->sleep(s->b->ctx, s->timer, ahead, &r) < 0) {
			s->failed = 1;
			return;
		}
		backend_result_release(&r);
		/* the simulated clock moves whole seconds: as far as this call's
		 * deadline (a sleeper whose deadline is as early goes with it) */
		exec_line(s, 1, "timer: sleep(%ld) = 0  # the timeout of %s's semtimedop passed", ahead,
		          first->tok);
		exec_drain_events(s);
	}
}

int exec_call(struct exec_server *s, struct exec_proc *p, const struct wire_req *q,
              const unsigned char *payload)
{
	struct call c = { .pass_fd = -1 };
	int64_t spans[128];
	int rc;

	if (q->op == WIRE_SHMAT_UNDO || (q->op == WIRE_SEMCTL && q->a[5]))
		return side_request(s, p, q);
	if (q->op == WIRE_PROC_READ && q->len > 0 && payload[q->len - 1] == '\0') {
		exec_seg_sync(s, p);
		return proc_read(s, p, (const char *)payload) < 0 ? -1 : 0;
	}
	if (q->op == WIRE_PROC_WRITE)
		return proc_write(s, p, payload, q->len) < 0 ? -1 : 0;
	exec_proc_creds(s, p, q);
	exec_seg_sync(s, p);
	/* The line is written into the server's one text stream, not a new
	 * one per call (open_memstream costs a cleared 8 KiB buffer). */
	c.w = exec_text_begin(s);
	fputs(p->tok, c.w);
	fputs(": ", c.w);
	rc = perform(s, p, q, payload, &c, spans);
	if (rc < 0)
		return -1;
	p->req = *q;
	/* before the reply: a segment destroyed has released its memory by
	 * the time the caller hears of it (its kept descriptors hold none) */
	if (q->op == WIRE_SHMDT || q->op == WIRE_SHMCTL)
		exec_seg_collect(s);
	if (c.r.blocked) {
		p->blocked = 1;
		if (q->op == WIRE_SEMOP && q->a[3] == 1)
			timed_sleep(s, p, q->a[4], q->a[5]);
		exec_slot_blocked(p);
		p->block_line = (int)s->nlines;
		fputs(" <unfinished ...>", c.w);
		exec_line_text(s, 1, exec_text_end(s));
	} else {
		/* The record holds the simulated pid; the program gets the real one. */
		fputc(' ', c.w);
		strace_print_result(c.w, c.name, &c.r);
		exec_line_text(s, 1, exec_text_end(s));
		if (q->op == WIRE_SEMCTL && q->a[1] == GETPID && c.r.ret > 0)
			c.r.ret = real_of(s, (int)c.r.ret);
		if (exec_reply(s, p, &c.r, c.outp ? c.outp : c.out, c.nout, c.pass_fd) < 0)
			exec_slot_free(p); /* a reply it cannot take: it gets no more */
	}
	backend_result_release(&c.r);
	exec_drain_events(s);
	return 0;
}

void exec_drain_events(struct exec_server *s)
{
	struct backend_event ev;

	while (s->b->ops->event_next(s->b->ctx, &ev)) {
		struct exec_proc *p = NULL;
		FILE *w;

		for (size_t i = 0; i < s->nprocs; i++)
			if (s->procs[i].sim == ev.pid)
				p = &s->procs[i];
		if (!p) {
			backend_result_release(&ev.r);
			continue;
		}
		if (ev.kind == BACKEND_EV_KILLED) {
			exec_line(s, 1, "%s: +++ killed by %s +++", p->tok,
			          strace_signal_name(ev.sig) ? strace_signal_name(ev.sig) : "?");
			continue;
		}
		p->blocked = 0;
		p->timed_ms = 0;
		w = exec_text_begin(s);
		fprintf(w, "%s: <... %s resumed> ", p->tok, ev.call);
		strace_print_result(w, ev.call, &ev.r);
		exec_line_text(s, 1, exec_text_end(s));
		if (exec_reply(s, p, &ev.r, NULL, 0, -1) < 0)
			exec_slot_free(p);
		backend_result_release(&ev.r);
	}
}

/* A signal handler ran in p while its call slept: Linux returns EINTR.  The
 * simulated kernel hears of it as a caught SIGUSR1 from a process of its
 * own, `signals`, so that the record replays it. */
void exec_interrupt(struct exec_server *s, struct exec_proc *p)
{
	struct backend_result r;
	char line[128];

	if (!p->blocked)
		return;
	if (helper_proc(s, &s->signaller, "signals") < 0)
		return;
	snprintf(line, sizeof(line), "%s: signal(SIGUSR1, handler) = 0", p->tok);
	exec_line_insert(s, (size_t)p->block_line, line);
	if (s->b->ops->kill(s->b->ctx, s->signaller, p->sim, SIGUSR1, &r) < 0) {
		s->failed = 1;
		return;
	}
	exec_line(s, 0, "signals: kill(%s, SIGUSR1) = 0", p->tok);
	backend_result_release(&r);
	exec_drain_events(s);
}
