/*
 * ipcs_sem.c - the semaphore section of `ipcs` and `ipcs -s -i ID`
 * (util-linux 2.38.1 do_sem, print_sem, get_sem_elements).
 *
 * The list comes from /proc/sysvipc/sem in the real ipcs (anyone sees every
 * set); here from sim_sem_stat_idx.  `-s -i ID` then asks GETVAL, GETNCNT,
 * GETZCNT and GETPID of every semaphore with semctl as the shell user, like
 * ipcs does, so without read permission it stops with
 * "ipcs: semctl(GETVAL) failed: Permission denied" and status 1.
 * `-p` has no semaphore section (its blank line only, printed by main).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shell/ipcs_int.h"

#define LINUX_SEMVMX 32767

static void sem_row(struct shell_ctx *sh, enum ipcs_format format, int id,
                    const struct ipcsim_semid_ds *ds)
{
	FILE *out = sh->out;
	char buf[32];

	switch (format) {
	case FMT_CREATOR:
		ipcs_print_perms(sh, id, &ds->sem_perm);
		break;
	case FMT_TIME:
		ipcs_print_id_owner(sh, "%-8d", id, ds->sem_perm.uid);
		if (ds->sem_otime)
			shell_ctime(ds->sem_otime, buf);
		fprintf(out, "  %-26.24s", ds->sem_otime ? buf : "Not set");
		if (ds->sem_ctime)
			shell_ctime(ds->sem_ctime, buf);
		fprintf(out, " %-26.24s\n", ds->sem_ctime ? buf : "Not set");
		break;
	case FMT_PID:
		break;
	default:
		fprintf(out, "0x%08x ", ds->sem_perm.key);
		ipcs_print_id_owner(sh, "%-10d", id, ds->sem_perm.uid);
		fprintf(out, " %-10o %-10lu\n", ds->sem_perm.mode & 0777, ds->sem_nsems);
		break;
	}
}

void ipcs_do_sem(struct shell_ctx *sh, enum ipcs_format format)
{
	FILE *out = sh->out;

	switch (format) {
	case FMT_LIMITS:
		fprintf(out, "------ Semaphore Limits --------\n");
		fprintf(out, "max number of arrays = %d\n", (int)ipcs_limit(sh, "semmni"));
		fprintf(out, "max semaphores per array = %d\n", (int)ipcs_limit(sh, "semmsl"));
		fprintf(out, "max semaphores system wide = %d\n", (int)ipcs_limit(sh, "semmns"));
		fprintf(out, "max ops per semop call = %d\n", (int)ipcs_limit(sh, "semopm"));
		fprintf(out, "semaphore max value = %u\n", LINUX_SEMVMX);
		return;
	case FMT_STATUS: {
		int sets = 0;
		long sems = 0;

		/* SEM_INFO: semusz = sets in use, semaem = semaphores in use */
		sim_sem_totals(sh->k, &sets, &sems);
		fprintf(out, "------ Semaphore Status --------\n");
		fprintf(out, "used arrays = %d\n", sets);
		fprintf(out, "allocated semaphores = %d\n", (int)sems);
		return;
	}
	case FMT_CREATOR:
		fprintf(out, "------ Semaphore Arrays Creators/Owners --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s %-10s %-10s\n", "semid", "perms", "cuid",
		        "cgid", "uid", "gid");
		break;
	case FMT_TIME:
		fprintf(out, "------ Semaphore Operation/Change Times --------\n");
		fprintf(out, "%-8s %-10s %-26.24s %-26.24s\n", "semid", "owner", "last-op",
		        "last-changed");
		break;
	case FMT_PID:
		return;
	case FMT_DEFAULT:
		fprintf(out, "------ Semaphore Arrays --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s %-10s\n", "key", "semid", "owner", "perms",
		        "nsems");
		break;
	}

	int max = sim_sem_max_idx(sh->k);
	for (int idx = 0; idx <= max; idx++) {
		struct ipcsim_semid_ds ds;
		long id = sim_sem_stat_idx(sh->k, idx, &ds);

		if (id >= 0)
			sem_row(sh, format, (int)id, &ds);
	}
}

/* One semaphore as get_sem_elements() reads it. */
struct sem_elem {
	long semval, ncount, zcount, pid;
};

/* get_sem_elements(): 0, or SHELL_EXIT(1) after err()'s message. */
static int sem_elements(struct shell_ctx *sh, int id, unsigned long nsems, struct sem_elem *e)
{
	static const struct { int cmd; const char *name; } calls[4] = {
		{ GETVAL, "semctl(GETVAL)" }, { GETNCNT, "semctl(GETNCNT)" },
		{ GETZCNT, "semctl(GETZCNT)" }, { GETPID, "semctl(GETPID)" },
	};
	struct sim_semctl_arg arg = { 0 };

	for (unsigned long i = 0; i < nsems; i++) {
		long *field[4] = { &e[i].semval, &e[i].ncount, &e[i].zcount, &e[i].pid };

		for (int c = 0; c < 4; c++) {
			long v = sim_semctl(sh->k, 0, id, (int)i, calls[c].cmd, &arg);

			if (v < 0) {
				fprintf(sh->out, "ipcs: %s failed: %s\n", calls[c].name, strerror((int)-v));
				return SHELL_EXIT(1);
			}
			*field[c] = v;
		}
	}
	return 0;
}

int ipcs_print_sem(struct shell_ctx *sh, int id)
{
	FILE *out = sh->out;
	struct ipcsim_semid_ds ds;
	struct sem_elem *e = NULL;
	int max = sim_sem_max_idx(sh->k), found = 0, rc = 0;

	for (int idx = 0; idx <= max && !found; idx++) {
		long lid = sim_sem_stat_idx(sh->k, idx, &ds);
		found = lid >= 0 && (id < 0 || lid == id);
	}
	if (!found) {
		fprintf(out, "ipcs: id %d not found\n", id);
		return 0;
	}
	if (id < 0 && ds.sem_nsems > 0) {
		/* 2.38.1 reads no elements in list mode and then dereferences
		 * them: the process dies (SIGSEGV), and the shell says so. */
		fprintf(out, "Segmentation fault\n");
		return SHELL_EXIT(139);
	}
	e = calloc(ds.sem_nsems ? ds.sem_nsems : 1, sizeof(*e));
	if (!e) {
		fprintf(out, "ipcs: cannot allocate memory\n");
		return SHELL_EXIT(1);
	}
	rc = sem_elements(sh, id, ds.sem_nsems, e);
	if (rc)
		goto out;
	fprintf(out, "\nSemaphore Array semid=%d\n", id);
	fprintf(out, "uid=%u\t gid=%u\t cuid=%u\t cgid=%u\n", ds.sem_perm.uid, ds.sem_perm.gid,
	        ds.sem_perm.cuid, ds.sem_perm.cgid);
	fprintf(out, "mode=%#o, access_perms=%#o\n", ds.sem_perm.mode, ds.sem_perm.mode & 0777);
	fprintf(out, "nsems = %lu\n", ds.sem_nsems);
	ipcs_print_long_time(out, "otime = ", ds.sem_otime, 1);
	ipcs_print_long_time(out, "ctime = ", ds.sem_ctime, 0);
	fprintf(out, "%-10s %-10s %-10s %-10s %-10s\n", "semnum", "value", "ncount", "zcount",
	        "pid");
	for (unsigned long i = 0; i < ds.sem_nsems; i++)
		fprintf(out, "%-10lu %-10d %-10d %-10d %-10d\n", i, (int)e[i].semval,
		        (int)e[i].ncount, (int)e[i].zcount, (int)e[i].pid);
	fprintf(out, "\n");
out:
	free(e);
	return rc;
}
