/*
 * strace_names.c - the tables the strace printer and the scenario language
 * share: errno and signal names, and the fields of each IPC structure in
 * the order strace prints them.
 *
 * Values are Linux's (x86_64).  The errno names are those a scenario may
 * write after `= -1`; a number without a name here prints as a number,
 * which is then what a scenario writes.  Field lists follow strace 6, plus
 * msg_cbytes, which strace leaves out but scenarios check; ipc_perm's seq is
 * kept (a scenario may name it) but not printed, as strace does.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "ipcsim/strace.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct named_number {
	const char *name;
	int value;
};

#define E(x) { #x, x }
static const struct named_number errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(E2BIG), E(EBADF),
	E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST),
	E(EINVAL), E(ENFILE), E(EMFILE), E(EFBIG), E(ENOSPC), E(ERANGE), E(EDEADLK),
	E(ENOSYS), E(ENOMSG), E(EIDRM), E(EOVERFLOW), E(ENOTSUP),
};
#undef E

static const struct named_number signals[] = {
	{ "SIGHUP", 1 },   { "SIGINT", 2 },   { "SIGQUIT", 3 },  { "SIGABRT", 6 },
	{ "SIGKILL", 9 },  { "SIGUSR1", 10 }, { "SIGSEGV", 11 }, { "SIGUSR2", 12 },
	{ "SIGPIPE", 13 }, { "SIGALRM", 14 }, { "SIGTERM", 15 },
};

static const char *name_of(const struct named_number *tab, size_t n, int value)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].value == value)
			return tab[i].name;
	return NULL;
}

static int number_of(const struct named_number *tab, size_t n, const char *name, int *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(tab[i].name, name) == 0) {
			*out = tab[i].value;
			return 1;
		}
	}
	return 0;
}

const char *strace_errno_name(int err)
{
	return name_of(errnos, N_ELEMS(errnos), err);
}

int strace_errno_from_name(const char *name, int *err)
{
	return number_of(errnos, N_ELEMS(errnos), name, err);
}

const char *strace_signal_name(int sig)
{
	return name_of(signals, N_ELEMS(signals), sig);
}

int strace_signal_from_name(const char *name, int *sig)
{
	return number_of(signals, N_ELEMS(signals), name, sig);
}

/* ---- the structures' fields --------------------------------------------- */

#define F(s, f, type, fmt) { #f, offsetof(struct s, f), STRACE_F_##type, fmt, 0 }
#define END { NULL, 0, STRACE_F_INT, 0, 0 }

const struct strace_field strace_ipc_perm_fields[] = {
	F(ipcsim_ipc_perm, uid, UINT, 'd'),   F(ipcsim_ipc_perm, gid, UINT, 'd'),
	F(ipcsim_ipc_perm, mode, UINT, 'o'),  F(ipcsim_ipc_perm, key, U32, 'd'),
	F(ipcsim_ipc_perm, cuid, UINT, 'd'),  F(ipcsim_ipc_perm, cgid, UINT, 'd'),
	{ "seq", offsetof(struct ipcsim_ipc_perm, seq), STRACE_F_UINT, 'd', 1 },
	END,
};

const struct strace_field strace_msqid_ds_fields[] = {
	F(ipcsim_msqid_ds, msg_perm, PERM, 0),
	F(ipcsim_msqid_ds, msg_stime, LONG, 'd'),  F(ipcsim_msqid_ds, msg_rtime, LONG, 'd'),
	F(ipcsim_msqid_ds, msg_ctime, LONG, 'd'),  F(ipcsim_msqid_ds, msg_cbytes, ULONG, 'd'),
	F(ipcsim_msqid_ds, msg_qnum, ULONG, 'd'),  F(ipcsim_msqid_ds, msg_qbytes, ULONG, 'd'),
	F(ipcsim_msqid_ds, msg_lspid, INT, 'd'),   F(ipcsim_msqid_ds, msg_lrpid, INT, 'd'),
	END,
};

const struct strace_field strace_msginfo_fields[] = {
	F(ipcsim_msginfo, msgpool, INT, 'd'), F(ipcsim_msginfo, msgmap, INT, 'd'),
	F(ipcsim_msginfo, msgmax, INT, 'd'),  F(ipcsim_msginfo, msgmnb, INT, 'd'),
	F(ipcsim_msginfo, msgmni, INT, 'd'),  F(ipcsim_msginfo, msgssz, INT, 'd'),
	F(ipcsim_msginfo, msgtql, INT, 'd'),  F(ipcsim_msginfo, msgseg, USHORT, 'd'),
	END,
};

const struct strace_field strace_shmid_ds_fields[] = {
	F(ipcsim_shmid_ds, shm_perm, PERM, 0),
	F(ipcsim_shmid_ds, shm_segsz, SIZE, 'u'),  F(ipcsim_shmid_ds, shm_cpid, INT, 'd'),
	F(ipcsim_shmid_ds, shm_lpid, INT, 'd'),    F(ipcsim_shmid_ds, shm_nattch, ULONG, 'u'),
	F(ipcsim_shmid_ds, shm_atime, LONG, 'd'),  F(ipcsim_shmid_ds, shm_dtime, LONG, 'd'),
	F(ipcsim_shmid_ds, shm_ctime, LONG, 'd'),
	END,
};

/* shmmax and shmall default above LLONG_MAX: unsigned, as strace prints them. */
const struct strace_field strace_shminfo_fields[] = {
	F(ipcsim_shminfo, shmmax, ULONG, 'u'), F(ipcsim_shminfo, shmmin, ULONG, 'u'),
	F(ipcsim_shminfo, shmmni, ULONG, 'u'), F(ipcsim_shminfo, shmseg, ULONG, 'u'),
	F(ipcsim_shminfo, shmall, ULONG, 'u'),
	END,
};

const struct strace_field strace_shm_info_fields[] = {
	F(ipcsim_shm_info, used_ids, INT, 'd'),  F(ipcsim_shm_info, shm_tot, ULONG, 'u'),
	F(ipcsim_shm_info, shm_rss, ULONG, 'u'), F(ipcsim_shm_info, shm_swp, ULONG, 'u'),
	F(ipcsim_shm_info, swap_attempts, ULONG, 'u'),
	F(ipcsim_shm_info, swap_successes, ULONG, 'u'),
	END,
};

const struct strace_field strace_semid_ds_fields[] = {
	F(ipcsim_semid_ds, sem_perm, PERM, 0),
	F(ipcsim_semid_ds, sem_otime, LONG, 'd'), F(ipcsim_semid_ds, sem_ctime, LONG, 'd'),
	F(ipcsim_semid_ds, sem_nsems, ULONG, 'u'),
	END,
};

const struct strace_field strace_seminfo_fields[] = {
	F(ipcsim_seminfo, semmap, INT, 'd'), F(ipcsim_seminfo, semmni, INT, 'd'),
	F(ipcsim_seminfo, semmns, INT, 'd'), F(ipcsim_seminfo, semmnu, INT, 'd'),
	F(ipcsim_seminfo, semmsl, INT, 'd'), F(ipcsim_seminfo, semopm, INT, 'd'),
	F(ipcsim_seminfo, semume, INT, 'd'), F(ipcsim_seminfo, semusz, INT, 'd'),
	F(ipcsim_seminfo, semvmx, INT, 'd'), F(ipcsim_seminfo, semaem, INT, 'd'),
	END,
};

long long strace_field_value(const struct strace_field *f, const void *base)
{
	const char *p = (const char *)base + f->offset;

	switch (f->type) {
	case STRACE_F_INT: return *(const int *)p;
	case STRACE_F_UINT: return *(const unsigned *)p;
	case STRACE_F_U32: return *(const uint32_t *)p;
	case STRACE_F_USHORT: return *(const unsigned short *)p;
	case STRACE_F_LONG: return *(const long *)p;
	case STRACE_F_ULONG: return (long long)*(const unsigned long *)p;
	case STRACE_F_SIZE: return (long long)*(const size_t *)p;
	case STRACE_F_PERM: break;
	}
	return 0;
}

void strace_field_set(const struct strace_field *f, void *base, long long v)
{
	char *p = (char *)base + f->offset;

	switch (f->type) {
	case STRACE_F_INT: *(int *)p = (int)v; break;
	case STRACE_F_UINT: *(unsigned *)p = (unsigned)v; break;
	case STRACE_F_U32: *(uint32_t *)p = (uint32_t)v; break;
	case STRACE_F_USHORT: *(unsigned short *)p = (unsigned short)v; break;
	case STRACE_F_LONG: *(long *)p = (long)v; break;
	case STRACE_F_ULONG: *(unsigned long *)p = (unsigned long)v; break;
	case STRACE_F_SIZE: *(size_t *)p = (size_t)v; break;
	case STRACE_F_PERM: break;
	}
}
