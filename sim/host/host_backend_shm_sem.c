/*
 * host_backend_shm_sem.c - the caller's side of the host backend for shared
 * memory, semaphores and memory access: each op of backend.h becomes one
 * request to the coordinator (host_backend.c has the channel and the rest).
 *
 * Addresses are the real child's: shmat returns where the kernel mapped the
 * segment in that process, and mem_* take such addresses.  Relating them to
 * the simulator's is the comparer's job (compare_addr.c).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#include "host/host_int.h"

int hb_shmget(void *ctx, int pid, long key, size_t size, int flags, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_SHMGET, pid);
	q.num = key;
	q.size = (long long)size;
	q.flags = flags;
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

int hb_shmat(void *ctx, int pid, int id, unsigned long addr, int flags,
             struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_SHMAT, pid);
	q.num = id;
	q.addr = addr;
	q.flags = flags;
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

int hb_shmdt(void *ctx, int pid, unsigned long addr, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_SHMDT, pid);
	q.addr = addr;
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

int hb_shmctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
              const struct ipcsim_shmid_ds *ds, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_SHMCTL, pid);
	q.num = id;
	q.cmd = cmd;
	q.buf = buf;
	if (ds != NULL) {
		q.has_ds = 1;
		q.shm_ds = *ds;
		if (cmd == IPC_SET) {
			host_backend_id_seen(ctx, ds->shm_perm.uid);
			host_backend_id_seen(ctx, ds->shm_perm.gid);
		}
	}
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

int hb_shm_current(void *ctx, int id, struct ipcsim_shmid_ds *ds)
{
	struct backend_result r;
	struct host_req q;

	host_req_init(&q, HOST_OP_SHM_CURRENT, 0);
	q.num = id;
	if (host_backend_rpc(ctx, &q, NULL, 0, &r, NULL, NULL) != 0 || !r.has_shm_ds)
		return -1;
	*ds = r.shm_ds;
	return 0;
}

int hb_semget(void *ctx, int pid, long key, int nsems, int flags, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_SEMGET, pid);
	q.num = key;
	q.size = nsems;
	q.flags = flags;
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

static int semop_common(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops,
                        size_t nsops, int timed, const long *timeout,
                        struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_SEMOP, pid);
	q.num = id;
	q.size = (long long)nsops;
	q.has_sops = sops != NULL;
	q.semop_timed = timed;
	if (timeout != NULL) {
		q.has_timeout = 1;
		q.ts_sec = timeout[0];
		q.ts_nsec = timeout[1];
	}
	return host_backend_rpc(ctx, &q, sops, sops != NULL ? nsops * sizeof(*sops) : 0, r, NULL,
	                        NULL);
}

int hb_semop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
             struct backend_result *r)
{
	return semop_common(ctx, pid, id, sops, nsops, 0, NULL, r);
}

int hb_semtimedop(void *ctx, int pid, int id, const struct ipcsim_sembuf *sops, size_t nsops,
                  const long *timeout, struct backend_result *r)
{
	return semop_common(ctx, pid, id, sops, nsops, 1, timeout, r);
}

int hb_semctl(void *ctx, int pid, int id, int semnum, int cmd,
              const struct backend_semctl_arg *arg, struct backend_result *r)
{
	struct host_req q;
	const void *blob = NULL;
	size_t blen = 0;

	host_req_init(&q, HOST_OP_SEMCTL, pid);
	q.num = id;
	q.semnum = semnum;
	q.cmd = cmd;
	q.buf = arg != NULL ? arg->buf : BACKEND_BUF_NULL;
	if (arg != NULL) {
		q.val = arg->val;
		if (arg->ds != NULL) {
			q.has_ds = 1;
			q.sem_ds = *arg->ds;
			if (cmd == IPC_SET) {
				host_backend_id_seen(ctx, arg->ds->sem_perm.uid);
				host_backend_id_seen(ctx, arg->ds->sem_perm.gid);
			}
		}
		if (cmd == SETALL && arg->values != NULL) {
			blob = arg->values;
			blen = arg->nvalues * sizeof(*arg->values);
		}
	}
	return host_backend_rpc(ctx, &q, blob, blen, r, NULL, NULL);
}

int hb_sem_current(void *ctx, int id, struct ipcsim_semid_ds *ds)
{
	struct backend_result r;
	struct host_req q;

	host_req_init(&q, HOST_OP_SEM_CURRENT, 0);
	q.num = id;
	if (host_backend_rpc(ctx, &q, NULL, 0, &r, NULL, NULL) != 0 || !r.has_sem_ds)
		return -1;
	*ds = r.sem_ds;
	return 0;
}

int hb_mem_store(void *ctx, int pid, unsigned long addr, long value, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_MEM_STORE, pid);
	q.addr = addr;
	q.num2 = value;
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

int hb_mem_load(void *ctx, int pid, unsigned long addr, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_MEM_LOAD, pid);
	q.addr = addr;
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}

int hb_mem_write(void *ctx, int pid, unsigned long addr, const void *buf, size_t n,
                 struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_MEM_WRITE, pid);
	q.addr = addr;
	q.size = (long long)n;
	return host_backend_rpc(ctx, &q, buf, n, r, NULL, NULL);
}

int hb_mem_read(void *ctx, int pid, unsigned long addr, size_t n, struct backend_result *r)
{
	struct host_req q;

	host_req_init(&q, HOST_OP_MEM_READ, pid);
	q.addr = addr;
	q.size = (long long)n;
	return host_backend_rpc(ctx, &q, NULL, 0, r, NULL, NULL);
}
