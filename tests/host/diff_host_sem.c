/*
 * diff_host_sem.c - semaphore steps on the host kernel: raw semget,
 * semop/semtimedop and semctl.
 *
 * semop's array is built in the receive buffer: the step's ops, then
 * DIFF_SOP_FILLER up to the claimed nsops (Linux refuses nsops > semopm
 * before reading it, so the E2BIG cases never need more than the buffer).
 * A semop that sleeps anyway is cut short by the guard timer and recorded
 * as DIFF_RET_BLOCKED.  GETALL's length is the set's nsems, read with
 * SEM_STAT_ANY (no permission needed, no side effect).
 */
#include "diff_host_int.h"

#include <errno.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ipcsim/kernel.h"

#define HOST_MAX_NSOPS (DIFF_MAX_TEXT / sizeof(struct sembuf))
#define HOST_MAX_SEMVALS (DIFF_MAX_TEXT / sizeof(unsigned short))

static void semds_from_host(struct diff_semds *d, const struct semid_ds *m)
{
	d->key = (uint32_t)m->sem_perm.__key;
	d->uid = m->sem_perm.uid;
	d->gid = m->sem_perm.gid;
	d->cuid = m->sem_perm.cuid;
	d->cgid = m->sem_perm.cgid;
	d->mode = m->sem_perm.mode;
	d->seq = m->sem_perm.__seq;
	d->nsems = m->sem_nsems;
	d->otime = m->sem_otime;
	d->ctime = m->sem_ctime;
}

static long host_semop(struct diff_buf *b, const struct diff_step *st, long id)
{
	struct timespec ts = { 0, 0 };
	struct sembuf *sops = NULL;
	long r;

	if (!st->null_buf) {
		size_t n = st->sops.nsops < HOST_MAX_NSOPS ? st->sops.nsops : HOST_MAX_NSOPS;

		sops = (struct sembuf *)diff_buf_rcv(b);
		diff_sops_fill(&st->sops, (struct diff_sembuf *)sops, n);
	}
	if (st->sops.timeout == DIFF_TMO_NEG)
		ts.tv_sec = -1;
	else if (st->sops.timeout == DIFF_TMO_BIG_NSEC)
		ts.tv_nsec = 1000000000L;
	diff_host_guard_arm(1);
	if (st->sops.timeout == DIFF_TMO_SEMOP)
		r = diff_host_ret(syscall(SYS_semop, (int)id, sops, st->sops.nsops));
	else
		r = diff_host_ret(syscall(SYS_semtimedop, (int)id, sops, st->sops.nsops,
		                          st->sops.timeout == DIFF_TMO_NULL ? NULL : &ts));
	diff_host_guard_arm(0);
	return r == -EINTR ? DIFF_RET_BLOCKED : r;
}

/* The set's nsems, without permission or side effect; 0 when unknown. */
static size_t set_nsems(long id)
{
	struct semid_ds ds;

	memset(&ds, 0, sizeof(ds));
	if (syscall(SYS_semctl, (int)id & 0x7fff, 0, SEM_STAT_ANY, &ds) < 0)
		return 0;
	return ds.sem_nsems;
}

static long host_semctl(struct diff_buf *b, const struct diff_step *st, long id,
                        struct diff_result *res)
{
	struct semid_ds ds;
	struct seminfo info;
	unsigned short *vals = NULL;
	unsigned long arg = 0;
	long r;

	memset(&ds, 0, sizeof(ds));
	memset(&info, 0, sizeof(info));
	switch (st->cmd) {
	case SETVAL:
		arg = (unsigned long)(long)st->val;
		break;
	case GETALL:
		vals = (unsigned short *)diff_buf_rcv(b);
		arg = (unsigned long)vals;
		break;
	case SETALL:
		vals = (unsigned short *)diff_buf_rcv(b);
		for (size_t j = 0; j < HOST_MAX_SEMVALS; j++)
			vals[j] = (unsigned short)diff_setall_value(&st->setall, (int)j);
		arg = (unsigned long)vals;
		break;
	case IPC_INFO:
	case SEM_INFO:
		arg = (unsigned long)&info;
		break;
	case IPC_SET:
		ds.sem_perm.uid = st->set.uid;
		ds.sem_perm.gid = st->set.gid;
		ds.sem_perm.mode = (unsigned short)st->set.mode;
		arg = (unsigned long)&ds;
		break;
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
	default:
		arg = (unsigned long)&ds;
		break;
	}
	if (st->null_buf)
		arg = 0;
	r = diff_host_ret(syscall(SYS_semctl, (int)id, st->semnum, st->cmd, arg));
	if (r < 0 || st->null_buf)
		return r;
	if (st->cmd == GETALL) {
		size_t n = set_nsems(id);

		n = n < HOST_MAX_SEMVALS ? n : HOST_MAX_SEMVALS;
		diff_result_set_msg(res, 0, (const unsigned char *)vals, n * sizeof(*vals));
		res->has_msg = 0;
		res->has_bytes = 1;
	} else if (st->cmd == IPC_INFO || st->cmd == SEM_INFO) {
		res->has_seminfo = 1;
		res->seminfo = (struct diff_seminfo){ info.semmap, info.semmni, info.semmns,
		                                      info.semmnu, info.semmsl, info.semopm,
		                                      info.semume, info.semusz, info.semvmx,
		                                      info.semaem };
	} else if (st->cmd == IPC_STAT || st->cmd == SEM_STAT || st->cmd == SEM_STAT_ANY) {
		res->has_semds = 1;
		semds_from_host(&res->semds, &ds);
	}
	return r;
}

long diff_host_sem_step(struct diff_buf *b, const struct diff_step *st, int i,
                        const struct diff_run *run, struct diff_result *res)
{
	long id = diff_id_resolve(&st->id, run);

	(void)i;
	switch (st->op) {
	case DIFF_SEMGET:
		return diff_host_ret(syscall(SYS_semget, (key_t)st->key, st->nsems, st->flags));
	case DIFF_SEMOP:
		return host_semop(b, st, id);
	case DIFF_SEMCTL:
		return host_semctl(b, st, id, res);
	default:
		return -ENOSYS;
	}
}
