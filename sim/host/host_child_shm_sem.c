/*
 * host_child_shm_sem.c - the shared memory, semaphore and memory-access calls of
 * one scenario process on the host (host_child.c runs everything else).
 *
 * Everything is the real thing in the real process: shmat maps the segment
 * into this process at the address the kernel picks (the comparer, not this
 * file, relates it to the simulator's address), a semop sleeps in the
 * kernel, and a store into a detached or read-only attachment faults and
 * kills this process with SIGSEGV exactly as it would kill the scenario's.
 * Raw syscalls, as in host_child.c: glibc may convert structures, and NULL
 * buffers must reach the kernel as they are (the EFAULT cases).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "host/host_int.h"

/* A semaphore array as large as any set can be (SEMMSL is at most 32000
 * by default and the kernel caps it far below 65536): GETALL and SETALL
 * never need the set's size before the call. */
#define HOST_MAX_SEMS 65536
/* sembufs beyond this are not copied: such an nsops only meets E2BIG. */
#define HOST_MAX_SOPS 65536
/* mem_read/mem_write sizes beyond this are not allocated. */
#define HOST_MAX_MEM (64u << 20)

static void set_sys(struct host_wire_result *w, long r)
{
	if (r < 0) {
		w->ret = -1;
		w->err = errno;
	} else {
		w->ret = r;
	}
}

static void perm_from_host(struct ipcsim_ipc_perm *to, const struct ipc_perm *from)
{
	to->key = (uint32_t)from->__key;
	to->uid = from->uid;
	to->gid = from->gid;
	to->cuid = from->cuid;
	to->cgid = from->cgid;
	to->mode = from->mode;
	to->seq = from->__seq;
}

static void shm_ds_from_host(struct ipcsim_shmid_ds *d, const struct shmid_ds *m)
{
	memset(d, 0, sizeof(*d));
	perm_from_host(&d->shm_perm, &m->shm_perm);
	d->shm_segsz = m->shm_segsz;
	d->shm_atime = m->shm_atime;
	d->shm_dtime = m->shm_dtime;
	d->shm_ctime = m->shm_ctime;
	d->shm_cpid = m->shm_cpid;
	d->shm_lpid = m->shm_lpid;
	d->shm_nattch = m->shm_nattch;
}

static void sem_ds_from_host(struct ipcsim_semid_ds *d, const struct semid_ds *m)
{
	memset(d, 0, sizeof(*d));
	perm_from_host(&d->sem_perm, &m->sem_perm);
	d->sem_otime = m->sem_otime;
	d->sem_ctime = m->sem_ctime;
	d->sem_nsems = m->sem_nsems;
}

/* ---- shared memory ------------------------------------------------------- */

static void do_shmctl(const struct host_req *q, struct host_wire_result *w)
{
	struct shmid_ds ds;
	struct shminfo info;
	struct shm_info sinfo;
	void *arg = &ds;
	long r;

	memset(&ds, 0, sizeof(ds));
	memset(&info, 0, sizeof(info));
	memset(&sinfo, 0, sizeof(sinfo));
	if (q->cmd == IPC_INFO)
		arg = &info;
	else if (q->cmd == SHM_INFO)
		arg = &sinfo;
	else if (q->cmd == IPC_SET && q->has_ds) {
		ds.shm_perm.uid = q->shm_ds.shm_perm.uid;
		ds.shm_perm.gid = q->shm_ds.shm_perm.gid;
		ds.shm_perm.mode = (unsigned short)q->shm_ds.shm_perm.mode;
	}
	if (q->buf == BACKEND_BUF_NULL)
		arg = NULL;
	r = syscall(SYS_shmctl, (int)q->num, q->cmd, arg);
	set_sys(w, r);
	if (r < 0 || arg == NULL)
		return;
	if (arg == &info) {
		w->has_shminfo = 1;
		w->shminfo = (struct ipcsim_shminfo){ info.shmmax, info.shmmin, info.shmmni,
		                                       info.shmseg, info.shmall };
	} else if (arg == &sinfo) {
		w->has_shm_info = 1;
		w->shm_info = (struct ipcsim_shm_info){ sinfo.used_ids, sinfo.shm_tot,
		                                         sinfo.shm_rss, sinfo.shm_swp,
		                                         sinfo.swap_attempts, sinfo.swap_successes };
	} else if (q->cmd == IPC_STAT || q->cmd == SHM_STAT || q->cmd == SHM_STAT_ANY) {
		w->has_shm_ds = 1;
		shm_ds_from_host(&w->shm_ds, &ds);
	}
}

long host_child_shm_stat(int id, struct host_wire_result *w)
{
	struct shmid_ds ds;
	long r;

	memset(&ds, 0, sizeof(ds));
	r = syscall(SYS_shmctl, id, IPC_STAT, &ds);
	set_sys(w, r);
	if (r >= 0) {
		w->has_shm_ds = 1;
		shm_ds_from_host(&w->shm_ds, &ds);
	}
	return r;
}

/* ---- semaphores ---------------------------------------------------------- */

static void do_semop(const struct host_req *q, const unsigned char *blob, size_t blen,
                     struct host_wire_result *w)
{
	struct timespec ts = { (time_t)q->ts_sec, (long)q->ts_nsec };
	size_t n = q->size < 0 ? 0 : (size_t)q->size;
	struct sembuf *sops = NULL;
	long r;

	if (q->has_sops) {
		n = n < HOST_MAX_SOPS ? n : HOST_MAX_SOPS;
		sops = calloc(n > 0 ? n : 1, sizeof(*sops));
		if (sops == NULL) {
			w->ret = -1;
			w->err = ENOMEM;
			return;
		}
		/* ipcsim_sembuf is struct sembuf field for field (ushort, short, short). */
		memcpy(sops, blob, blen < n * sizeof(*sops) ? blen : n * sizeof(*sops));
	}
	if (q->semop_timed)
		r = syscall(SYS_semtimedop, (int)q->num, sops, (size_t)q->size,
		            q->has_timeout ? &ts : NULL);
	else
		r = syscall(SYS_semop, (int)q->num, sops, (size_t)q->size);
	set_sys(w, r);
	free(sops);
}

static void do_semctl(const struct host_req *q, const unsigned char *blob, size_t blen,
                      struct host_wire_result *w, unsigned char **out, size_t *outlen)
{
	struct semid_ds ds;
	struct seminfo info;
	unsigned short *vals = NULL;
	unsigned long arg = 0;
	long r;

	memset(&ds, 0, sizeof(ds));
	memset(&info, 0, sizeof(info));
	switch (q->cmd) {
	case SETVAL:
		arg = (unsigned long)(long)q->val;
		break;
	case GETALL:
	case SETALL:
		vals = calloc(HOST_MAX_SEMS, sizeof(*vals));
		if (vals == NULL) {
			w->ret = -1;
			w->err = ENOMEM;
			return;
		}
		if (q->cmd == SETALL) /* the values given; the rest 0, as C's initialiser */
			memcpy(vals, blob, blen < HOST_MAX_SEMS * sizeof(*vals) ? blen
			                                                         : HOST_MAX_SEMS * sizeof(*vals));
		arg = (unsigned long)vals;
		break;
	case IPC_INFO:
	case SEM_INFO:
		arg = (unsigned long)&info;
		break;
	case IPC_SET:
		ds.sem_perm.uid = q->sem_ds.sem_perm.uid;
		ds.sem_perm.gid = q->sem_ds.sem_perm.gid;
		ds.sem_perm.mode = (unsigned short)q->sem_ds.sem_perm.mode;
		arg = (unsigned long)&ds;
		break;
	default:
		arg = (unsigned long)&ds;
		break;
	}
	if (q->buf == BACKEND_BUF_NULL && q->cmd != SETVAL)
		arg = 0;
	r = syscall(SYS_semctl, (int)q->num, q->semnum, q->cmd, arg);
	set_sys(w, r);
	if (r >= 0 && arg != 0 && q->cmd == GETALL) {
		struct semid_ds now;

		/* How many values: the set's size (GETALL needed read permission,
		 * so IPC_STAT cannot fail for lack of it). */
		memset(&now, 0, sizeof(now));
		if (syscall(SYS_semctl, (int)q->num, 0, IPC_STAT, &now) >= 0) {
			*outlen = now.sem_nsems * sizeof(*vals);
			*out = (unsigned char *)vals;
			vals = NULL;
			w->has_semvals = 1;
		}
	} else if (r >= 0 && arg != 0 && (q->cmd == IPC_INFO || q->cmd == SEM_INFO)) {
		w->has_seminfo = 1;
		w->seminfo = (struct ipcsim_seminfo){ info.semmap, info.semmni, info.semmns,
		                                       info.semmnu, info.semmsl, info.semopm,
		                                       info.semume, info.semusz, info.semvmx,
		                                       info.semaem };
	} else if (r >= 0 && arg != 0 &&
	           (q->cmd == IPC_STAT || q->cmd == SEM_STAT || q->cmd == SEM_STAT_ANY)) {
		w->has_sem_ds = 1;
		sem_ds_from_host(&w->sem_ds, &ds);
	}
	free(vals);
}

long host_child_sem_stat(int id, struct host_wire_result *w)
{
	struct semid_ds ds;
	long r;

	memset(&ds, 0, sizeof(ds));
	r = syscall(SYS_semctl, id, 0, IPC_STAT, &ds);
	set_sys(w, r);
	if (r >= 0) {
		w->has_sem_ds = 1;
		sem_ds_from_host(&w->sem_ds, &ds);
	}
	return r;
}

/* ---- memory: plain loads and stores, faults included ---------------------
 *
 * Byte copies through volatile pointers, and no sanitizer in them: the
 * address is the scenario's to choose (unaligned, unmapped, read-only), the
 * access must reach the hardware as it is, and a fault must kill the process
 * with SIGSEGV (host_child_main reset every handler, a sanitizer's too) -
 * memcpy would go through a sanitizer's interceptor instead. */

#define HOST_RAW_MEMORY __attribute__((noinline, no_sanitize("address", "undefined")))

HOST_RAW_MEMORY static void raw_copy(unsigned long to, unsigned long from, size_t n)
{
	volatile unsigned char *d = (volatile unsigned char *)to;
	const volatile unsigned char *s = (const volatile unsigned char *)from;

	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
}

static void do_mem_read(const struct host_req *q, struct host_wire_result *w,
                        unsigned char **out, size_t *outlen)
{
	size_t n = q->size < 0 || (unsigned long long)q->size > HOST_MAX_MEM ? HOST_MAX_MEM
	                                                                       : (size_t)q->size;
	unsigned char *buf = malloc(n + 1);

	if (buf == NULL) {
		w->ret = -1;
		w->err = ENOMEM;
		return;
	}
	raw_copy((unsigned long)buf, q->addr, n); /* may fault: the process dies */
	*out = buf;
	*outlen = n;
	w->has_bytes = 1;
}

void host_child_shm_sem(const struct host_req *q, const unsigned char *blob, size_t blen,
                    struct host_wire_result *w, unsigned char **out, size_t *outlen)
{
	switch (q->op) {
	case HOST_OP_SHMGET:
		set_sys(w, syscall(SYS_shmget, (key_t)q->num, (size_t)q->size, q->flags));
		break;
	case HOST_OP_SHMAT:
		set_sys(w, syscall(SYS_shmat, (int)q->num, q->addr, q->flags));
		break;
	case HOST_OP_SHMDT:
		set_sys(w, syscall(SYS_shmdt, q->addr));
		break;
	case HOST_OP_SHMCTL:
		do_shmctl(q, w);
		break;
	case HOST_OP_SEMGET:
		set_sys(w, syscall(SYS_semget, (key_t)q->num, (int)q->size, q->flags));
		break;
	case HOST_OP_SEMOP:
		do_semop(q, blob, blen, w);
		break;
	case HOST_OP_SEMCTL:
		do_semctl(q, blob, blen, w, out, outlen);
		break;
	case HOST_OP_MEM_STORE: {
		long v = (long)q->num2;

		raw_copy(q->addr, (unsigned long)&v, sizeof(v)); /* may fault: the process dies */
		w->ret = 0;
		break;
	}
	case HOST_OP_MEM_LOAD: {
		long v = 0;

		raw_copy((unsigned long)&v, q->addr, sizeof(v));
		w->ret = v; /* the value, negative included */
		break;
	}
	case HOST_OP_MEM_WRITE:
		raw_copy(q->addr, (unsigned long)blob, blen);
		w->ret = 0;
		break;
	case HOST_OP_MEM_READ:
		do_mem_read(q, w, out, outlen);
		break;
	default:
		w->ret = -1;
		w->err = ENOSYS;
		break;
	}
}
