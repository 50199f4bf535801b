/*
 * show_shm.c - the shared memory part of `show`:
 *
 *   == Shared memory (2) ====...
 *     key         shmid owner    perms      bytes pages nattch status
 *     0x00005678      0 root     0644        4096     1      2
 *     0x00000000      1 root     0600       10000     3      1 dest locked
 *   -- shm 0 (key 0x00005678): 4096 bytes, 1 page, 2 attachments ----...
 *     P1    (1000) 0x7efffffff000-0x7f0000000000 rw
 *     P2    (1001) 0x7efffffff000-0x7f0000000000 rw
 *
 * One line per attachment, by process creation order then address: who
 * maps the segment, where (a half-open range of whole pages) and how (rw,
 * ro, x for SHM_EXEC).  A segment nobody attaches says "not attached"; a
 * dest segment is destroyed by its last detach, which the banner says.
 */
#include "render/show_int.h"

static const char *shm_color(int shmid)
{
	static const char *const palette[] = { "36", "35", "32", "34", "33", "31" };
	return palette[(unsigned)shmid % 6];
}

static int attach_line(void *ctx, const struct sim_attach_view *a)
{
	const struct show *s = ctx;

	fprintf(s->out, "  %-10.10s (%d) %#014lx-%#014lx %s%s\n", show_proc_name(s, a->pid), a->pid,
	        a->addr, a->addr + a->len, a->rdonly ? "ro" : "rw", a->exec ? " x" : "");
	return 0;
}

static int count_attach(void *ctx, const struct sim_attach_view *a)
{
	(*(int *)ctx)++;
	return 0;
}

static void show_segment(const struct show *s, int shmid, const struct ipcsim_shmid_ds *ds)
{
	unsigned long pages = (ds->shm_segsz + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE;
	int n = 0;

	sim_shm_attachments(s->k, shmid, count_attach, &n);
	show_banner(s, '-', "shm %d (key 0x%08x): %zu bytes, %lu page%s%s", shmid,
	            ds->shm_perm.key, ds->shm_segsz, pages, pages == 1 ? "" : "s",
	            ds->shm_perm.mode & SHM_DEST ? ", freed at last detach" : "");
	if (n == 0) {
		fputs("  not attached\n", s->out);
		return;
	}
	show_sgr(s, shm_color(shmid));
	sim_shm_attachments(s->k, shmid, attach_line, (void *)s);
	show_sgr(s, "0");
}

void show_shm(const struct show *s)
{
	int max = sim_shm_max_idx(s->k), count = 0;
	struct ipcsim_shmid_ds ds;
	char buf[16];

	for (int idx = 0; idx <= max; idx++)
		if (sim_shm_stat_idx(s->k, idx, &ds) >= 0)
			count++;
	show_banner(s, '=', "Shared memory (%d)", count);
	if (count == 0) {
		fputs("  (none)\n", s->out);
		return;
	}
	fputs("  key         shmid owner    perms      bytes pages nattch status\n", s->out);
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_shm_stat_idx(s->k, idx, &ds);
		if (id < 0)
			continue;
		show_sgr(s, shm_color((int)id));
		fprintf(s->out, "  0x%08x %6ld %-8.8s %04o %10zu %5lu %6lu%s%s\n", ds.shm_perm.key,
		        id, show_user_name(s, ds.shm_perm.uid, buf), ds.shm_perm.mode & 0777,
		        ds.shm_segsz, (ds.shm_segsz + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE,
		        ds.shm_nattch, ds.shm_perm.mode & SHM_DEST ? " dest" : "",
		        ds.shm_perm.mode & SHM_LOCKED ? " locked" : "");
		show_sgr(s, "0");
	}
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_shm_stat_idx(s->k, idx, &ds);
		if (id >= 0)
			show_segment(s, (int)id, &ds);
	}
}
