/*
 * ipcs_shm.c - the shared memory section of `ipcs` and `ipcs -m -i ID`
 * (util-linux 2.38.1 do_shm, print_shm, ipc_shm_get_limits).
 *
 * The real ipcs reads /proc/sysvipc/shm, so anyone sees every segment, a
 * segment removed while attached shows key 0x00000000 and "dest", and -i
 * needs no permission; the same values come here from sim_shm_stat_idx.
 * The limits come from /proc/sys/kernel/shm* as unsigned 64-bit numbers,
 * and -l's kbytes arithmetic overflows exactly as util-linux's does.
 */
#include <string.h>

#include "shell/ipcs_int.h"

#define LINUX_SHMMIN 1 /* SHMMIN */

static void shm_limits(struct shell_ctx *sh, enum ipcs_unit unit)
{
	FILE *out = sh->out;
	uint64_t shmall = (uint64_t)ipcs_limit(sh, "shmall");
	uint64_t shmmax = (uint64_t)ipcs_limit(sh, "shmmax");
	uint64_t tmp, pgsz = SIM_PAGE_SIZE;

	fprintf(out, "------ Shared Memory Limits --------\n");
	fprintf(out, "max number of segments = %llu\n",
	        (unsigned long long)(uint64_t)ipcs_limit(sh, "shmmni"));
	ipcs_print_size(out, unit == UNIT_DEFAULT ? UNIT_KB : unit, "max seg size", shmmax, "\n",
	                0);
	if (unit == UNIT_KB || unit == UNIT_DEFAULT) {
		tmp = shmall * (pgsz / 1024);
		if (shmall != 0 && tmp / shmall != pgsz / 1024)
			tmp = UINT64_MAX - (UINT64_MAX % (pgsz / 1024));
		ipcs_print_size(out, UNIT_DEFAULT, "max total shared memory (kbytes)", tmp, "\n", 0);
	} else {
		tmp = shmall * pgsz;
		/* util-linux: "at least we don't print ridiculous small values" */
		if (shmall != 0 && tmp / shmall != pgsz)
			tmp = UINT64_MAX - (UINT64_MAX % pgsz);
		ipcs_print_size(out, unit, "max total shared memory", tmp, "\n", 0);
	}
	ipcs_print_size(out, unit == UNIT_DEFAULT ? UNIT_BYTES : unit, "min seg size",
	                LINUX_SHMMIN, "\n", 0);
}

static void shm_status(struct shell_ctx *sh)
{
	int segments = 0;
	unsigned long pages = 0, rss = 0;

	/* SHM_INFO: used_ids, shm_tot, shm_rss; nothing is ever swapped */
	sim_shm_totals(sh->k, &segments, &pages, &rss);
	fprintf(sh->out, "------ Shared Memory Status --------\n");
	fprintf(sh->out, "segments allocated %d\n"
	                 "pages allocated %ld\n"
	                 "pages resident  %ld\n"
	                 "pages swapped   %ld\n"
	                 "Swap performance: %ld attempts\t %ld successes\n",
	        segments, (long)pages, (long)rss, 0L, 0L, 0L);
}

static void shm_row(struct shell_ctx *sh, enum ipcs_format format, enum ipcs_unit unit, int id,
                    const struct ipcsim_shmid_ds *ds)
{
	FILE *out = sh->out;

	switch (format) {
	case FMT_CREATOR:
		ipcs_print_perms(sh, id, &ds->shm_perm);
		break;
	case FMT_TIME:
		ipcs_print_id_owner(sh, "%-10d", id, ds->shm_perm.uid);
		ipcs_print_short_time(out, ds->shm_atime, "");
		ipcs_print_short_time(out, ds->shm_dtime, "");
		ipcs_print_short_time(out, ds->shm_ctime, "\n");
		break;
	case FMT_PID:
		ipcs_print_id_owner(sh, "%-10d", id, ds->shm_perm.uid);
		fprintf(out, " %-10u %-10u\n", (unsigned)ds->shm_cpid, (unsigned)ds->shm_lpid);
		break;
	default:
		fprintf(out, "0x%08x ", ds->shm_perm.key);
		ipcs_print_id_owner(sh, "%-10d", id, ds->shm_perm.uid);
		fprintf(out, " %-10o ", ds->shm_perm.mode & 0777);
		if (unit == UNIT_HUMAN)
			ipcs_print_size(out, unit, NULL, ds->shm_segsz, "    ", 6);
		else
			ipcs_print_size(out, unit, NULL, ds->shm_segsz, NULL, -10);
		fprintf(out, " %-10lu %-6s %-6s\n", ds->shm_nattch,
		        ds->shm_perm.mode & SHM_DEST ? "dest" : " ",
		        ds->shm_perm.mode & SHM_LOCKED ? "locked" : " ");
		break;
	}
}

void ipcs_do_shm(struct shell_ctx *sh, enum ipcs_format format, enum ipcs_unit unit)
{
	FILE *out = sh->out;

	switch (format) {
	case FMT_LIMITS:
		shm_limits(sh, unit);
		return;
	case FMT_STATUS:
		shm_status(sh);
		return;
	case FMT_CREATOR:
		fprintf(out, "------ Shared Memory Segment Creators/Owners --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s %-10s %-10s\n", "shmid", "perms", "cuid",
		        "cgid", "uid", "gid");
		break;
	case FMT_TIME:
		fprintf(out, "------ Shared Memory Attach/Detach/Change Times --------\n");
		fprintf(out, "%-10s %-10s %-20s %-20s %-20s\n", "shmid", "owner", "attached",
		        "detached", "changed");
		break;
	case FMT_PID:
		fprintf(out, "------ Shared Memory Creator/Last-op PIDs --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s\n", "shmid", "owner", "cpid", "lpid");
		break;
	case FMT_DEFAULT:
		fprintf(out, "------ Shared Memory Segments --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s %-10s %-10s %-12s\n", "key", "shmid", "owner",
		        "perms", unit == UNIT_HUMAN ? "size" : "bytes", "nattch", "status");
		break;
	}

	int max = sim_shm_max_idx(sh->k);
	for (int idx = 0; idx <= max; idx++) {
		struct ipcsim_shmid_ds ds;
		long id = sim_shm_stat_idx(sh->k, idx, &ds);

		if (id >= 0)
			shm_row(sh, format, unit, (int)id, &ds);
	}
}

/* ipc_shm_get_info(id): the segment with this id; a negative id matches the
 * first one (its list mode), as in ipcs. */
static int find_shm(struct shell_ctx *sh, int id, struct ipcsim_shmid_ds *ds)
{
	int max = sim_shm_max_idx(sh->k);

	for (int idx = 0; idx <= max; idx++) {
		long lid = sim_shm_stat_idx(sh->k, idx, ds);

		if (lid >= 0 && (id < 0 || lid == id))
			return 1;
	}
	return 0;
}

int ipcs_print_shm(struct shell_ctx *sh, int id, enum ipcs_unit unit)
{
	FILE *out = sh->out;
	struct ipcsim_shmid_ds ds;

	if (!find_shm(sh, id, &ds)) {
		fprintf(out, "ipcs: id %d not found\n", id);
		return 0;
	}
	fprintf(out, "\nShared memory Segment shmid=%d\n", id);
	fprintf(out, "uid=%u\tgid=%u\tcuid=%u\tcgid=%u\n", ds.shm_perm.uid, ds.shm_perm.gid,
	        ds.shm_perm.cuid, ds.shm_perm.cgid);
	fprintf(out, "mode=%#o\taccess_perms=%#o\n", ds.shm_perm.mode, ds.shm_perm.mode & 0777);
	ipcs_print_size(out, unit, unit == UNIT_HUMAN ? "size=" : "bytes=", ds.shm_segsz, "\t", 0);
	fprintf(out, "lpid=%u\tcpid=%u\tnattch=%lu\n", (unsigned)ds.shm_lpid,
	        (unsigned)ds.shm_cpid, ds.shm_nattch);
	ipcs_print_long_time(out, "att_time=", ds.shm_atime, 1);
	ipcs_print_long_time(out, "det_time=", ds.shm_dtime, 1);
	ipcs_print_long_time(out, "change_time=", ds.shm_ctime, 0);
	fprintf(out, "\n");
	return 0;
}
