/*
 * exec_conv.c - the IPC structures as glibc lays them out (what the
 * program's buffers hold) to ipcsim's (ipcsim/ipc_types.h) and back.  The
 * preload library copies these bytes unchanged; this is the one place that
 * reads them.
 */
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "exec/exec_int.h"

static void perm_out(struct ipc_perm *p, const struct ipcsim_ipc_perm *in)
{
	memset(p, 0, sizeof(*p));
	p->__key = (key_t)in->key;
	p->uid = in->uid;
	p->gid = in->gid;
	p->cuid = in->cuid;
	p->cgid = in->cgid;
	p->mode = (unsigned short)in->mode;
	p->__seq = (unsigned short)in->seq;
}

static void perm_in(struct ipcsim_ipc_perm *p, const struct ipc_perm *in)
{
	p->key = (uint32_t)in->__key;
	p->uid = in->uid;
	p->gid = in->gid;
	p->cuid = in->cuid;
	p->cgid = in->cgid;
	p->mode = in->mode;
	p->seq = in->__seq;
}

void exec_conv_msqid_out(void *glibc, const struct ipcsim_msqid_ds *ds)
{
	struct msqid_ds m;

	memset(&m, 0, sizeof(m));
	perm_out(&m.msg_perm, &ds->msg_perm);
	m.msg_stime = ds->msg_stime;
	m.msg_rtime = ds->msg_rtime;
	m.msg_ctime = ds->msg_ctime;
	m.msg_cbytes = ds->msg_cbytes;
	m.msg_qnum = ds->msg_qnum;
	m.msg_qbytes = ds->msg_qbytes;
	m.msg_lspid = ds->msg_lspid;
	m.msg_lrpid = ds->msg_lrpid;
	memcpy(glibc, &m, sizeof(m));
}

void exec_conv_msqid_in(struct ipcsim_msqid_ds *ds, const void *glibc)
{
	struct msqid_ds m;

	memcpy(&m, glibc, sizeof(m));
	perm_in(&ds->msg_perm, &m.msg_perm);
	ds->msg_qbytes = m.msg_qbytes;
}

void exec_conv_msginfo_out(void *glibc, const struct ipcsim_msginfo *in)
{
	struct msginfo m = {
		.msgpool = in->msgpool, .msgmap = in->msgmap, .msgmax = in->msgmax,
		.msgmnb = in->msgmnb, .msgmni = in->msgmni, .msgssz = in->msgssz,
		.msgtql = in->msgtql, .msgseg = in->msgseg,
	};

	memcpy(glibc, &m, sizeof(m));
}

void exec_conv_shmid_out(void *glibc, const struct ipcsim_shmid_ds *ds)
{
	struct shmid_ds m;

	memset(&m, 0, sizeof(m));
	perm_out(&m.shm_perm, &ds->shm_perm);
	m.shm_segsz = ds->shm_segsz;
	m.shm_atime = ds->shm_atime;
	m.shm_dtime = ds->shm_dtime;
	m.shm_ctime = ds->shm_ctime;
	m.shm_cpid = ds->shm_cpid;
	m.shm_lpid = ds->shm_lpid;
	m.shm_nattch = ds->shm_nattch;
	memcpy(glibc, &m, sizeof(m));
}

void exec_conv_shmid_in(struct ipcsim_shmid_ds *ds, const void *glibc)
{
	struct shmid_ds m;

	memcpy(&m, glibc, sizeof(m));
	perm_in(&ds->shm_perm, &m.shm_perm);
}

void exec_conv_shminfo_out(void *glibc, const struct ipcsim_shminfo *in)
{
	struct shminfo m;

	memset(&m, 0, sizeof(m));
	m.shmmax = in->shmmax;
	m.shmmin = in->shmmin;
	m.shmmni = in->shmmni;
	m.shmseg = in->shmseg;
	m.shmall = in->shmall;
	memcpy(glibc, &m, sizeof(m));
}

void exec_conv_shm_info_out(void *glibc, const struct ipcsim_shm_info *in)
{
	struct shm_info m;

	memset(&m, 0, sizeof(m));
	m.used_ids = in->used_ids;
	m.shm_tot = in->shm_tot;
	m.shm_rss = in->shm_rss;
	m.shm_swp = in->shm_swp;
	m.swap_attempts = in->swap_attempts;
	m.swap_successes = in->swap_successes;
	memcpy(glibc, &m, sizeof(m));
}

void exec_conv_semid_out(void *glibc, const struct ipcsim_semid_ds *ds)
{
	struct semid_ds m;

	memset(&m, 0, sizeof(m));
	perm_out(&m.sem_perm, &ds->sem_perm);
	m.sem_otime = ds->sem_otime;
	m.sem_ctime = ds->sem_ctime;
	m.sem_nsems = ds->sem_nsems;
	memcpy(glibc, &m, sizeof(m));
}

void exec_conv_semid_in(struct ipcsim_semid_ds *ds, const void *glibc)
{
	struct semid_ds m;

	memcpy(&m, glibc, sizeof(m));
	perm_in(&ds->sem_perm, &m.sem_perm);
}

void exec_conv_seminfo_out(void *glibc, const struct ipcsim_seminfo *in)
{
	struct seminfo m = {
		.semmap = in->semmap, .semmni = in->semmni, .semmns = in->semmns,
		.semmnu = in->semmnu, .semmsl = in->semmsl, .semopm = in->semopm,
		.semume = in->semume, .semusz = in->semusz, .semvmx = in->semvmx,
		.semaem = in->semaem,
	};

	memcpy(glibc, &m, sizeof(m));
}
