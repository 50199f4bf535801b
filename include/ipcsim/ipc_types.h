/*
 * ipcsim/ipc_types.h - the System V IPC structures as userspace sees them:
 * ipc_perm, msqid_ds, msginfo, shmid_ds, shminfo, shm_info, semid_ds,
 * seminfo, sembuf, with glibc's field names.
 *
 * One definition for every layer: the simulated kernel fills them, the
 * backend interface carries them by value, the host backend fills them from
 * the real kernel's structs (the one ABI boundary, sim/host), the comparer
 * compares them and the interpreter turns them into values.  They are plain
 * values of fixed meaning, not the kernel's ABI: keys are 32 bits as ipcs
 * prints them, times are seconds, sizes are the kernel's counts.
 */
#ifndef IPCSIM_IPC_TYPES_H
#define IPCSIM_IPC_TYPES_H

#include <stddef.h>
#include <stdint.h>
/* glibc's <sys/msg.h> renames msg_cbytes to __msg_cbytes by a macro;
 * included here so the field has one name in every file that sees these. */
#include <sys/msg.h>

struct ipcsim_ipc_perm {
	uint32_t key;  /* 32 bits as ipcs prints them */
	unsigned uid, gid, cuid, cgid;
	unsigned mode; /* 0777 bits plus SHM_DEST/SHM_LOCKED for shm */
	unsigned seq;
};

struct ipcsim_msqid_ds {
	struct ipcsim_ipc_perm msg_perm;
	long msg_stime, msg_rtime, msg_ctime;
	unsigned long msg_cbytes, msg_qnum, msg_qbytes;
	int msg_lspid, msg_lrpid;
};

struct ipcsim_msginfo {
	int msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	unsigned short msgseg;
};

struct ipcsim_shmid_ds {
	struct ipcsim_ipc_perm shm_perm; /* mode includes SHM_DEST / SHM_LOCKED */
	size_t shm_segsz;
	long shm_atime, shm_dtime, shm_ctime;
	int shm_cpid, shm_lpid;
	unsigned long shm_nattch;
};

struct ipcsim_shminfo {
	unsigned long shmmax, shmmin, shmmni, shmseg, shmall;
};

struct ipcsim_shm_info {
	int used_ids;
	unsigned long shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};

struct ipcsim_semid_ds {
	struct ipcsim_ipc_perm sem_perm;
	long sem_otime, sem_ctime;
	unsigned long sem_nsems;
};

struct ipcsim_seminfo {
	int semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};

/* Field for field struct sembuf (unsigned short, short, short). */
struct ipcsim_sembuf {
	unsigned short sem_num;
	short sem_op;
	short sem_flg;
};

#endif
