/*
 * procfs_shm_sem.c - the IPC views of the simulated /proc: /proc/sysvipc/{msg,
 * shm,sem} and the SysV lines of /proc/PID/maps.
 *
 * /proc/sysvipc/NAME are Linux's sysvipc_{msg,shm,sem}_proc_show (ipc/msg.c,
 * shm.c, sem.c): one line per object in index order, key in decimal (%d, so
 * 0x8... keys are negative), mode in octal with SHM_DEST/SHM_LOCKED, times in
 * epoch seconds, shm sizes in bytes (rss and swap too).
 *
 * /proc/PID/maps is fs/proc/task_mmu.c show_map_vma for the shm attachments
 * of the process, in address order (checked on Linux 6.18):
 *
 *   7f0a54983000-7f0a54984000 rw-s 00000000 00:01 2      ...     /SYSV00000201 (deleted)
 *
 * start-end (at least 8 hex digits), r, w unless SHM_RDONLY, x with SHM_EXEC,
 * s (shared), the offset in bytes of the first page mapped, the device of the
 * kernel's internal shm mount (00:01), the inode number = the shmid, blanks
 * up to column 73, then the file name "/SYSV%08x" of the key and
 * " (deleted)", which Linux prints for every SysV segment (its file is never
 * linked anywhere), removed or not.  The simulated processes have no other
 * mappings, so only these lines appear.
 *
 * The name keeps the key the segment was created with, also after IPC_RMID
 * made it 0 (sim_attach_view.file_key).
 */
#include <errno.h>
#include <string.h>

#include "shell/shell_int.h"

#define MAPS_NAME_COLUMN 72 /* seq_setwidth(25 + sizeof(void *) * 6 - 1) */

static void sysvipc_msg(struct shell_ctx *sh, struct shell_text *t)
{
	int max = sim_msg_max_idx(sh->k);

	shell_text_printf(t, "       key      msqid perms      cbytes       qnum lspid lrpid"
	                     "   uid   gid  cuid  cgid      stime      rtime      ctime\n");
	for (int idx = 0; idx <= max; idx++) {
		struct ipcsim_msqid_ds ds;
		long id = sim_msg_stat_idx(sh->k, idx, &ds);

		if (id < 0)
			continue;
		shell_text_printf(t, "%10d %10ld  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu\n",
		                  (int)ds.msg_perm.key, id, ds.msg_perm.mode, ds.msg_cbytes,
		                  ds.msg_qnum, (unsigned)ds.msg_lspid, (unsigned)ds.msg_lrpid,
		                  ds.msg_perm.uid, ds.msg_perm.gid, ds.msg_perm.cuid,
		                  ds.msg_perm.cgid, (unsigned long long)ds.msg_stime,
		                  (unsigned long long)ds.msg_rtime, (unsigned long long)ds.msg_ctime);
	}
}

static void sysvipc_shm(struct shell_ctx *sh, struct shell_text *t)
{
	int max = sim_shm_max_idx(sh->k);

	shell_text_printf(t, "       key      shmid perms                  size  cpid  lpid nattch"
	                     "   uid   gid  cuid  cgid      atime      dtime      ctime"
	                     "                   rss                  swap\n");
	for (int idx = 0; idx <= max; idx++) {
		struct ipcsim_shmid_ds ds;
		long id = sim_shm_stat_idx(sh->k, idx, &ds);

		if (id < 0)
			continue;
		shell_text_printf(t, "%10d %10ld  %4o %21zu %5u %5u  %5lu %5u %5u %5u %5u %10llu %10llu %10llu %21lu %21lu\n",
		                  (int)ds.shm_perm.key, id, ds.shm_perm.mode, ds.shm_segsz,
		                  (unsigned)ds.shm_cpid, (unsigned)ds.shm_lpid, ds.shm_nattch,
		                  ds.shm_perm.uid, ds.shm_perm.gid, ds.shm_perm.cuid,
		                  ds.shm_perm.cgid, (unsigned long long)ds.shm_atime,
		                  (unsigned long long)ds.shm_dtime, (unsigned long long)ds.shm_ctime,
		                  sim_shm_rss_idx(sh->k, idx) * SIM_PAGE_SIZE, 0UL);
	}
}

static void sysvipc_sem(struct shell_ctx *sh, struct shell_text *t)
{
	int max = sim_sem_max_idx(sh->k);

	shell_text_printf(t, "       key      semid perms      nsems   uid   gid  cuid  cgid"
	                     "      otime      ctime\n");
	for (int idx = 0; idx <= max; idx++) {
		struct ipcsim_semid_ds ds;
		long id = sim_sem_stat_idx(sh->k, idx, &ds);

		if (id < 0)
			continue;
		shell_text_printf(t, "%10d %10ld  %4o %10lu %5u %5u %5u %5u %10llu %10llu\n",
		                  (int)ds.sem_perm.key, id, ds.sem_perm.mode, ds.sem_nsems,
		                  ds.sem_perm.uid, ds.sem_perm.gid, ds.sem_perm.cuid,
		                  ds.sem_perm.cgid, (unsigned long long)ds.sem_otime,
		                  (unsigned long long)ds.sem_ctime);
	}
}

int shell_procfs_sysvipc(struct shell_ctx *sh, const char *name, struct shell_text *t)
{
	if (strcmp(name, "msg") == 0)
		sysvipc_msg(sh, t);
	else if (strcmp(name, "shm") == 0)
		sysvipc_shm(sh, t);
	else if (strcmp(name, "sem") == 0)
		sysvipc_sem(sh, t);
	else
		return -ENOENT;
	return 0;
}

/* ---- /proc/PID/maps ------------------------------------------------------ */

struct maps_ctx {
	struct shell_ctx *sh;
	struct shell_text *t;
};

static int maps_line(void *ctx, const struct sim_attach_view *a)
{
	struct maps_ctx *m = ctx;
	char prefix[128];
	int n;

	/* the offset column is in bytes: vm_pgoff << PAGE_SHIFT */
	n = snprintf(prefix, sizeof(prefix), "%08lx-%08lx r%c%cs %08lx %02x:%02x %d ", a->addr,
	             a->addr + a->len, a->rdonly ? '-' : 'w', a->exec ? 'x' : '-',
	             a->pgoff * SIM_PAGE_SIZE, 0, 1, a->shmid);
	shell_text_printf(m->t, "%s%*s /SYSV%08x (deleted)\n", prefix,
	                  n < MAPS_NAME_COLUMN ? MAPS_NAME_COLUMN - n : 0, "", a->file_key);
	return 0;
}

int shell_procfs_maps(struct shell_ctx *sh, int pid, struct shell_text *t)
{
	struct sim_proc_view v;
	struct maps_ctx m = { sh, t };

	/* ended processes have been reaped: their /proc directory is gone */
	if (pid <= 0 || sim_proc_get(sh->k, pid, &v) < 0 || v.state == SIM_PROC_EXITED ||
	    v.state == SIM_PROC_KILLED)
		return -ENOENT;
	return sim_proc_attachments(sh->k, pid, maps_line, &m) < 0 ? -ENOENT : 0;
}
