/*
 * sim_backend.c - the backend over the simulated kernel (ipcsim/kernel.h).
 *
 * A facade and nothing more: kernel calls return >= 0, SIM_BLOCKED or
 * -errno; this is the one place where that becomes the userspace form the
 * interpreter sees (ret -1 and errno, or blocked), as musl's __syscall_ret
 * does for real syscalls.  The structures are the kernel's own
 * (ipcsim/ipc_types.h): results carry copies, never kernel memory.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/shell.h"
#include "backend/sim_backend_int.h"

int sim_backend_set_ret(struct backend_result *r, long kret)
{
	memset(r, 0, sizeof(*r));
	if (kret == SIM_BLOCKED) {
		r->blocked = 1;
	} else if (kret == SIM_KILLED) {
		/* The caller died in the call (a memory fault): it returns nothing. */
		r->killed = SIGSEGV;
	} else if (kret == SIM_ENOMEM_CAP) {
		return -1;
	} else if (kret < 0) {
		r->ret = -1;
		r->err = (int)-kret;
	} else {
		r->ret = kret;
	}
	return 0;
}

/* The msg ops cannot meet SIM_KILLED or SIM_ENOMEM_CAP. */
static void set_ret(struct backend_result *r, long kret)
{
	(void)sim_backend_set_ret(r, kret);
}

static int sb_proc_new(void *ctx, const struct backend_creds *c, int *pid)
{
	struct sim_backend *sb = ctx;
	int p = sim_proc_new(sb->k, c->uid, c->gid, c->caps);

	if (p < 0)
		return -1;
	*pid = p;
	return 0;
}

static int sb_set_creds(void *ctx, int pid, const struct backend_creds *c)
{
	struct sim_backend *sb = ctx;

	return sim_proc_set_creds(sb->k, pid, c->uid, c->gid, c->caps) < 0 ? -1 : 0;
}

static int sb_limit_set(void *ctx, const char *name, long long value)
{
	struct sim_backend *sb = ctx;

	return sim_limit_set(sb->k, name, value);
}

static int sb_file_add(void *ctx, const char *path, unsigned long inode, unsigned major,
                       unsigned minor)
{
	struct sim_backend *sb = ctx;

	return sim_file_add(sb->k, path, inode, major, minor);
}

static int sb_ftok(void *ctx, int pid, const char *path, int proj, struct backend_result *r)
{
	struct sim_backend *sb = ctx;

	set_ret(r, sim_ftok(sb->k, path, proj));
	return 0;
}

static int sb_msgget(void *ctx, int pid, long key, int flags, struct backend_result *r)
{
	struct sim_backend *sb = ctx;

	set_ret(r, sim_msgget(sb->k, pid, key, flags));
	return 0;
}

static int sb_msgsnd(void *ctx, int pid, int id, const struct backend_msg *m, size_t size,
                     int flags, struct backend_result *r)
{
	struct sim_backend *sb = ctx;
	struct sim_msgbuf km;

	if (m == NULL) {
		set_ret(r, sim_msgsnd(sb->k, pid, id, NULL, size, flags));
		return 0;
	}
	/* The kernel zero-pads short text; text beyond size is never sent. */
	km.mtype = m->mtype;
	km.text = m->text;
	km.len = m->len < size ? m->len : size;
	set_ret(r, sim_msgsnd(sb->k, pid, id, &km, size, flags));
	return 0;
}

static int sb_msgrcv(void *ctx, int pid, int id, enum backend_buf buf, size_t size, long type,
                     int flags, struct backend_result *r)
{
	struct sim_backend *sb = ctx;
	struct sim_msgbuf km = { 0 };
	long kret;

	kret = sim_msgrcv(sb->k, pid, id, buf == BACKEND_BUF_NULL ? NULL : &km, size, type, flags);
	set_ret(r, kret);
	if (kret >= 0 && buf == BACKEND_BUF_VALID) {
		/* Ownership of the text passes to the result. */
		r->has_msg = 1;
		r->msg.mtype = km.mtype;
		r->msg.text = km.text;
		r->msg.len = km.len;
		km.text = NULL;
	}
	sim_msgbuf_release(&km);
	return 0;
}

static int sb_msgctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
                     const struct ipcsim_msqid_ds *ds, struct backend_result *r)
{
	struct sim_backend *sb = ctx;
	struct ipcsim_msqid_ds kds = { 0 };
	struct ipcsim_msginfo kinfo = { 0 };
	int is_info = (cmd == IPC_INFO || cmd == MSG_INFO);
	long kret;

	if (ds != NULL)
		kds = *ds;
	if (buf == BACKEND_BUF_NULL)
		kret = sim_msgctl(sb->k, pid, id, cmd, NULL, NULL);
	else if (is_info)
		kret = sim_msgctl(sb->k, pid, id, cmd, NULL, &kinfo);
	else
		kret = sim_msgctl(sb->k, pid, id, cmd, &kds, NULL);
	set_ret(r, kret);
	if (kret < 0 || buf == BACKEND_BUF_NULL)
		return 0;
	if (is_info) {
		r->has_info = 1;
		r->info = kinfo;
	} else if (cmd == IPC_STAT || cmd == MSG_STAT || cmd == MSG_STAT_ANY) {
		r->has_ds = 1;
		r->ds = kds;
	}
	return 0;
}

static int sb_msg_current(void *ctx, int id, struct ipcsim_msqid_ds *ds)
{
	struct sim_backend *sb = ctx;
	struct ipcsim_msqid_ds kds = { 0 };

	/* Into a copy: the index may hold another queue (an older id). */
	if (id < 0 || sim_msg_stat_idx(sb->k, id % SIM_BACKEND_IPCMNI, &kds) != id)
		return -1;
	*ds = kds;
	return 0;
}

static int sb_fork(void *ctx, int pid, struct backend_result *r)
{
	struct sim_backend *sb = ctx;

	set_ret(r, sim_fork(sb->k, pid));
	return 0;
}

static int sb_exit(void *ctx, int pid, int status, struct backend_result *r)
{
	struct sim_backend *sb = ctx;

	set_ret(r, sim_exit(sb->k, pid, status));
	return 0;
}

static int sb_kill(void *ctx, int pid, int target, int sig, struct backend_result *r)
{
	struct sim_backend *sb = ctx;

	set_ret(r, sim_kill(sb->k, pid, target, sig));
	return 0;
}

static int sb_signal(void *ctx, int pid, int sig, enum backend_sig_disp disp,
                     struct backend_result *r)
{
	struct sim_backend *sb = ctx;
	enum sim_sig_disp d = disp == BACKEND_SIG_CATCH ? SIM_SIG_CATCH
	                      : disp == BACKEND_SIG_IGN ? SIM_SIG_IGN
	                                                : SIM_SIG_DFL;

	set_ret(r, sim_signal(sb->k, pid, sig, d));
	return 0;
}

static int sb_sleep(void *ctx, int pid, long seconds, struct backend_result *r)
{
	struct sim_backend *sb = ctx;

	set_ret(r, sim_sleep(sb->k, pid, seconds));
	return 0;
}

static int sb_getpid(void *ctx, int pid, struct backend_result *r)
{
	set_ret(r, pid);
	return 0;
}

static int sb_event_next(void *ctx, struct backend_event *ev)
{
	struct sim_backend *sb = ctx;
	struct sim_event kev;

	memset(ev, 0, sizeof(*ev));
	if (!sim_event_next(sb->k, &kev))
		return 0;
	ev->pid = kev.pid;
	if (kev.kind == SIM_EV_KILLED) {
		ev->kind = BACKEND_EV_KILLED;
		ev->sig = kev.sig;
		sim_msgbuf_release(&kev.msg);
		return 1;
	}
	ev->kind = BACKEND_EV_RESUMED;
	snprintf(ev->call, sizeof(ev->call), "%s", kev.call != NULL ? kev.call : "?");
	set_ret(&ev->r, kev.ret);
	if (kev.ret >= 0 && kev.msg.text != NULL) {
		ev->r.has_msg = 1;
		ev->r.msg.mtype = kev.msg.mtype;
		ev->r.msg.text = kev.msg.text;
		ev->r.msg.len = kev.msg.len;
		kev.msg.text = NULL;
	} else if (kev.ret >= 0 && strcmp(ev->call, "msgrcv") == 0) {
		/* An empty text still is a received message. */
		ev->r.has_msg = 1;
		ev->r.msg.mtype = kev.msg.mtype;
	}
	sim_msgbuf_release(&kev.msg);
	return 1;
}

static int sb_shell(void *ctx, const struct backend_creds *c, const struct scenario_names *names,
                    const char *cmdline, FILE *out)
{
	struct sim_backend *sb = ctx;

	sim_shell_set_creds(sb->k, c->uid, c->gid, c->caps);
	return shell_run(sb->k, names, c->uid, c->gid, c->caps, cmdline, out);
}

static const struct sim_kernel *sb_kernel(void *ctx)
{
	const struct sim_backend *sb = ctx;

	return sb->k;
}

static const char *sb_failure(void *ctx)
{
	const struct sim_backend *sb = ctx;

	return sim_kernel_failure(sb->k);
}

static int sb_check(void *ctx, char *err, size_t errlen)
{
	struct sim_backend *sb = ctx;

	return sim_kernel_check(sb->k, err, errlen);
}

static void sb_destroy(void *ctx)
{
	struct sim_backend *sb = ctx;

	if (sb == NULL)
		return;
	sim_kernel_free(&sb->k);
	free(sb);
}

static void sb_explain(void *ctx, int on)
{
	struct sim_backend *sb = ctx;

	sim_kernel_set_explain(sb->k, on);
}

static const struct backend_ops sim_backend_ops = {
	.name = "sim",
	.proc_new = sb_proc_new,
	.set_creds = sb_set_creds,
	.limit_set = sb_limit_set,
	.file_add = sb_file_add,
	.ftok = sb_ftok,
	.msgget = sb_msgget,
	.msgsnd = sb_msgsnd,
	.msgrcv = sb_msgrcv,
	.msgctl = sb_msgctl,
	.msg_current = sb_msg_current,
	.fork = sb_fork,
	.exit = sb_exit,
	.kill = sb_kill,
	.signal = sb_signal,
	.sleep = sb_sleep,
	.getpid = sb_getpid,
	.event_next = sb_event_next,
	.shell = sb_shell,
	.kernel = sb_kernel,
	.failure = sb_failure,
	.explain = sb_explain,
	.check = sb_check,
	.destroy = sb_destroy,
	.shmget = sb_shmget,
	.shmat = sb_shmat,
	.shmdt = sb_shmdt,
	.shmctl = sb_shmctl,
	.shm_current = sb_shm_current,
	.semget = sb_semget,
	.semop = sb_semop,
	.semtimedop = sb_semtimedop,
	.semctl = sb_semctl,
	.sem_current = sb_sem_current,
	.mem_store = sb_mem_store,
	.mem_load = sb_mem_load,
	.mem_write = sb_mem_write,
	.mem_read = sb_mem_read,
};

struct backend *backend_sim_new(void)
{
	struct backend *b = calloc(1, sizeof(*b));
	struct sim_backend *sb = calloc(1, sizeof(*sb));

	if (b == NULL || sb == NULL)
		goto out_free;
	sb->k = sim_kernel_new();
	if (sb->k == NULL)
		goto out_free;
	b->ops = &sim_backend_ops;
	b->ctx = sb;
	return b;

out_free:
	free(sb);
	free(b);
	return NULL;
}


