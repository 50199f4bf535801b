/*
 * compare_ops_shm_sem.c - the shared-memory and semaphore calls of the comparing
 * backend: each on the simulator, then on the host with the pid (and, for
 * shmat/shmdt, the address: compare_mem.c) translated, then compared.
 *
 * What is particular here:
 *   - shmat's return is each side's own address; when both succeed they are
 *     bound, with the segment's size (as the simulator knows it, in whole
 *     pages) as the extent that later address arguments translate within;
 *     what is compared is where each lies from the address asked for (a
 *     fixed attach: the same offset, SHM_RND rounding alike; a NULL one:
 *     the same offset in its page);
 *   - semctl(GETPID) returns a pid: compared through the process table;
 *   - a partial IPC_SET (the interpreter fills the unnamed fields from
 *     shm_current/sem_current) reaches the host with the host's own current
 *     values for the unnamed fields, as for msgctl (compare_ops.c).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "compare/compare_int.h"

/* flags of shmget/semget as C would write them: "IPC_CREAT|IPC_EXCL|0600". */
static const char *get_flags_text(int flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%#o", flags & IPC_CREAT ? "IPC_CREAT|" : "",
	         flags & IPC_EXCL ? "IPC_EXCL|" : "", (unsigned)(flags & ~(IPC_CREAT | IPC_EXCL)));
	return buf;
}

static const char *shmat_flags_text(int flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%#o", flags & SHM_RDONLY ? "SHM_RDONLY|" : "",
	         flags & SHM_RND ? "SHM_RND|" : "", flags & SHM_REMAP ? "SHM_REMAP|" : "",
	         flags & SHM_EXEC ? "SHM_EXEC|" : "",
	         (unsigned)(flags & ~(SHM_RDONLY | SHM_RND | SHM_REMAP | SHM_EXEC)));
	return buf;
}

static const char *cmd_name(int cmd, char *buf, size_t len)
{
	static const struct {
		int cmd;
		const char *name;
	} names[] = {
		{ IPC_RMID, "IPC_RMID" }, { IPC_SET, "IPC_SET" },     { IPC_STAT, "IPC_STAT" },
		{ IPC_INFO, "IPC_INFO" }, { SHM_LOCK, "SHM_LOCK" },   { SHM_UNLOCK, "SHM_UNLOCK" },
		{ GETPID, "GETPID" },     { GETVAL, "GETVAL" },       { GETALL, "GETALL" },
		{ GETNCNT, "GETNCNT" },   { GETZCNT, "GETZCNT" },     { SETVAL, "SETVAL" },
		{ SETALL, "SETALL" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].cmd == cmd)
			return names[i].name;
	snprintf(buf, len, "%d", cmd);
	return buf;
}

/* ---- shared memory --------------------------------------------------------- */

int cmp_shmget(void *ctx, int pid, long key, size_t size, int flags, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[128], fl[64];
	int hpid;

	if (cb->sim->ops->shmget(cb->sim->ctx, pid, key, size, flags, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "shmget(%#lx, %zu, %s)", (unsigned long)(uint32_t)key, size,
	         get_flags_text(flags, fl, sizeof(fl)));
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	           cb->host->ops->shmget(cb->host->ctx, hpid, key, size, flags, &hr), &hr);
	return 0;
}

int cmp_shmat(void *ctx, int pid, int id, unsigned long addr, int flags,
              struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	struct ipcsim_shmid_ds ds;
	char call[128], fl[64];
	int hpid, hrc;

	if (cb->sim->ops->shmat(cb->sim->ctx, pid, id, addr, flags, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "shmat(%d, %#lx, %s)", id, addr,
	         shmat_flags_text(flags, fl, sizeof(fl)));
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	memset(&hr, 0, sizeof(hr));
	cb->shmat_sim_asked = addr;
	cb->shmat_host_asked = addr != 0 ? cmp_addr_to_host(cb, pid, addr) : 0;
	hrc = cb->host->ops->shmat(cb->host->ctx, hpid, id, cb->shmat_host_asked, flags, &hr);
	if (hrc == 0 && r->ret != -1 && !r->blocked && !r->killed && hr.ret != -1 &&
	    cb->sim->ops->shm_current(cb->sim->ctx, id, &ds) == 0) {
		size_t len = (ds.shm_segsz + CMP_PAGE_SIZE - 1) & ~(CMP_PAGE_SIZE - 1);

		cmp_addr_attach(cb, pid, (unsigned long)r->ret, (unsigned long)hr.ret, len);
	}
	cmp_finish(cb, pid, call, CMP_RET_ADDR, r, hrc, &hr);
	return 0;
}

int cmp_shmdt(void *ctx, int pid, unsigned long addr, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[64];
	int hpid, hrc;

	if (cb->sim->ops->shmdt(cb->sim->ctx, pid, addr, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "shmdt(%#lx)", addr);
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	memset(&hr, 0, sizeof(hr));
	hrc = cb->host->ops->shmdt(cb->host->ctx, hpid, cmp_addr_to_host(cb, pid, addr), &hr);
	if (r->ret == 0)
		cmp_addr_detach(cb, pid, addr);
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r, hrc, &hr);
	return 0;
}

/* The IPC_SET struct for the host: its own values where the scenario named
 * none (see the header comment and compare_ops.c's host_set_ds). */
static void host_shm_set_ds(struct compare_backend *cb, int id,
                            const struct ipcsim_shmid_ds *ds, struct ipcsim_shmid_ds *out)
{
	const struct ipcsim_shmid_ds *cur = &cb->cur_shm_ds;

	*out = *ds;
	if (!cb->cur_shm_valid || cb->cur_shm_id != id ||
	    cb->host->ops->shm_current(cb->host->ctx, id, out) != 0) {
		*out = *ds;
		return;
	}
	if (ds->shm_perm.uid != cur->shm_perm.uid)
		out->shm_perm.uid = ds->shm_perm.uid;
	if (ds->shm_perm.gid != cur->shm_perm.gid)
		out->shm_perm.gid = ds->shm_perm.gid;
	if (ds->shm_perm.mode != cur->shm_perm.mode)
		out->shm_perm.mode = ds->shm_perm.mode;
}

int cmp_shmctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
               const struct ipcsim_shmid_ds *ds, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	struct ipcsim_shmid_ds hds;
	char call[128], num[16];
	int hpid;

	if (cb->sim->ops->shmctl(cb->sim->ctx, pid, id, cmd, buf, ds, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "shmctl(%d, %s, %s)", id, cmd_name(cmd, num, sizeof(num)),
	         buf == BACKEND_BUF_NULL ? "NULL" : cmd == IPC_SET ? "{...}" : "&buf");
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cb->cur_shm_valid = 0;
		cmp_sim_only_events(cb);
		return 0;
	}
	if (cmd == IPC_SET && ds != NULL)
		host_shm_set_ds(cb, id, ds, &hds);
	cb->cur_shm_valid = 0;
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	           cb->host->ops->shmctl(cb->host->ctx, hpid, id, cmd, buf,
	                                 cmd == IPC_SET && ds != NULL ? &hds : ds, &hr),
	           &hr);
	return 0;
}

int cmp_shm_current(void *ctx, int id, struct ipcsim_shmid_ds *ds)
{
	struct compare_backend *cb = ctx;
	int rc = cb->sim->ops->shm_current(cb->sim->ctx, id, ds);

	cb->cur_shm_valid = rc == 0;
	cb->cur_shm_id = id;
	if (rc == 0)
		cb->cur_shm_ds = *ds;
	return rc;
}

/* ---- semaphores ------------------------------------------------------------- */

int cmp_semget(void *ctx, int pid, long key, int nsems, int flags, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[128], fl[64];
	int hpid;

	if (cb->sim->ops->semget(cb->sim->ctx, pid, key, nsems, flags, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "semget(%#lx, %d, %s)", (unsigned long)(uint32_t)key, nsems,
	         get_flags_text(flags, fl, sizeof(fl)));
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	           cb->host->ops->semget(cb->host->ctx, hpid, key, nsems, flags, &hr), &hr);
	return 0;
}

/* "semop(3, [{0, -1, 0x1000}, ...], 2" without the closing part. */
static void semop_text(char *buf, size_t len, const char *name, int id,
                       const struct ipcsim_sembuf *sops, size_t nsops)
{
	size_t o = (size_t)snprintf(buf, len, "%s(%d, ", name, id);

	if (sops == NULL) {
		snprintf(buf + o, len - o, "NULL, %zu", nsops);
		return;
	}
	o += (size_t)snprintf(buf + o, len - o, "[");
	for (size_t i = 0; i < nsops && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s{%u, %d, %#o}", i ? ", " : "",
		                      sops[i].sem_num, sops[i].sem_op, (unsigned)(unsigned short)sops[i].sem_flg);
	if (o < len)
		snprintf(buf + o, len - o, "], %zu", nsops);
}

int cmp_semop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
              struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[256];
	int hpid;

	if (cb->sim->ops->semop(cb->sim->ctx, pid, id, sops, nsops, r) < 0)
		return -1;
	semop_text(call, sizeof(call) - 2, "semop", id, sops, nsops);
	strcat(call, ")");
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	           cb->host->ops->semop(cb->host->ctx, hpid, id, sops, nsops, &hr), &hr);
	return 0;
}

int cmp_semtimedop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops,
                   size_t nsops, const long *timeout, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[320];
	size_t o;
	int hpid;

	if (cb->sim->ops->semtimedop(cb->sim->ctx, pid, id, sops, nsops, timeout, r) < 0)
		return -1;
	semop_text(call, sizeof(call) - 64, "semtimedop", id, sops, nsops);
	o = strlen(call);
	if (timeout != NULL)
		snprintf(call + o, sizeof(call) - o, ", {tv_sec=%ld, tv_nsec=%ld})", timeout[0],
		         timeout[1]);
	else
		snprintf(call + o, sizeof(call) - o, ", NULL)");
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	           cb->host->ops->semtimedop(cb->host->ctx, hpid, id, sops, nsops, timeout, &hr),
	           &hr);
	return 0;
}

/* semctl commands whose fourth argument is a pointer. */
static int takes_buffer(int cmd)
{
	return cmd == GETALL || cmd == SETALL || cmd == IPC_STAT || cmd == IPC_SET ||
	       cmd == IPC_INFO || cmd == SEM_INFO || cmd == SEM_STAT || cmd == SEM_STAT_ANY;
}

static void host_sem_set_ds(struct compare_backend *cb, int id,
                            const struct ipcsim_semid_ds *ds, struct ipcsim_semid_ds *out)
{
	const struct ipcsim_semid_ds *cur = &cb->cur_sem_ds;

	*out = *ds;
	if (!cb->cur_sem_valid || cb->cur_sem_id != id ||
	    cb->host->ops->sem_current(cb->host->ctx, id, out) != 0) {
		*out = *ds;
		return;
	}
	if (ds->sem_perm.uid != cur->sem_perm.uid)
		out->sem_perm.uid = ds->sem_perm.uid;
	if (ds->sem_perm.gid != cur->sem_perm.gid)
		out->sem_perm.gid = ds->sem_perm.gid;
	if (ds->sem_perm.mode != cur->sem_perm.mode)
		out->sem_perm.mode = ds->sem_perm.mode;
}

int cmp_semctl(void *ctx, int pid, int id, int semnum, int cmd,
               const struct backend_semctl_arg *arg, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	struct backend_semctl_arg harg;
	struct ipcsim_semid_ds hds;
	char call[128], num[16];
	int hpid;

	if (cb->sim->ops->semctl(cb->sim->ctx, pid, id, semnum, cmd, arg, r) < 0)
		return -1;
	if (cmd == SETVAL && arg != NULL)
		snprintf(call, sizeof(call), "semctl(%d, %d, SETVAL, %d)", id, semnum, arg->val);
	else
		snprintf(call, sizeof(call), "semctl(%d, %d, %s%s)", id, semnum,
		         cmd_name(cmd, num, sizeof(num)),
		         arg == NULL || !takes_buffer(cmd) ? ""
		         : arg->buf == BACKEND_BUF_NULL    ? ", NULL"
		                                           : ", ...");
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cb->cur_sem_valid = 0;
		cmp_sim_only_events(cb);
		return 0;
	}
	if (arg != NULL) {
		harg = *arg;
		if (cmd == IPC_SET && arg->ds != NULL) {
			host_sem_set_ds(cb, id, arg->ds, &hds);
			harg.ds = &hds;
		}
	}
	cb->cur_sem_valid = 0;
	cmp_finish(cb, pid, call, cmd == GETPID ? CMP_RET_PID : CMP_RET_PLAIN, r,
	           cb->host->ops->semctl(cb->host->ctx, hpid, id, semnum, cmd,
	                                 arg != NULL ? &harg : NULL, &hr),
	           &hr);
	return 0;
}

int cmp_sem_current(void *ctx, int id, struct ipcsim_semid_ds *ds)
{
	struct compare_backend *cb = ctx;
	int rc = cb->sim->ops->sem_current(cb->sim->ctx, id, ds);

	cb->cur_sem_valid = rc == 0;
	cb->cur_sem_id = id;
	if (rc == 0)
		cb->cur_sem_ds = *ds;
	return rc;
}
