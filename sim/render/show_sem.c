/*
 * show_sem.c - the semaphore part of `show`:
 *
 *   == Semaphore sets (1) ====...
 *     key         semid owner    perms nsems
 *     0x00009abc      0 root     0660      3
 *   -- sem 0 (key 0x00009abc): 3 semaphores ----...
 *     #     value  ncnt  zcnt   pid
 *     0         0     0     0  1000
 *     1         0     1     0     0
 *     asleep: P2 (1001) semop [{1, -1, 0}]
 *     undo:   P1 (1000) #0 +1
 *
 * The values with their waiter counts (GETNCNT/GETZCNT: a sleeper counts on
 * the semaphore of its first blocking op), then the sleeping calls in queue
 * order with their operations as a scenario writes them (and the deadline of
 * a semtimedop), then the SEM_UNDO adjustments each process will have
 * applied when it ends.
 */
#include <string.h>

#include "render/show_int.h"

static const char *sem_color(int semid)
{
	static const char *const palette[] = { "35", "36", "33", "32", "34", "31" };
	return palette[(unsigned)semid % 6];
}

static int value_line(void *ctx, const struct sim_sem_view *v)
{
	const struct show *s = ctx;

	fprintf(s->out, "  %-5d %5d %5d %5d %5d\n", v->semnum, v->semval, v->ncnt, v->zcnt,
	        v->sempid);
	return 0;
}

static void sem_flags(char *buf, size_t len, short flg)
{
	buf[0] = '\0';
	if (flg & IPC_NOWAIT)
		strncat(buf, "IPC_NOWAIT", len - strlen(buf) - 1);
	if (flg & SEM_UNDO)
		strncat(buf, buf[0] ? "|SEM_UNDO" : "SEM_UNDO", len - strlen(buf) - 1);
	if (!buf[0])
		snprintf(buf, len, "%d", flg);
}

static int waiter_line(void *ctx, const struct sim_sem_waiter_view *w)
{
	const struct show *s = ctx;
	struct flow f = { s, 0, 10 };
	char head[64], item[64], flags[32];

	show_sgr(s, "33");
	f.col = snprintf(head, sizeof(head), "  asleep: %.12s (%d) semop", show_proc_name(s, w->pid),
	                 w->pid);
	fputs(head, s->out);
	for (size_t i = 0; i < w->nsops; i++) {
		sem_flags(flags, sizeof(flags), w->sops[i].sem_flg);
		snprintf(item, sizeof(item), w->sops[i].sem_op ? "%s{%u, %+d, %s}%s" : "%s{%u, %d, %s}%s",
		         i ? "" : "[", w->sops[i].sem_num, w->sops[i].sem_op, flags,
		         i + 1 == w->nsops ? "]" : ",");
		show_flow_item(&f, " ", NULL, item);
	}
	if (w->deadline) {
		snprintf(item, sizeof(item), "until t+%lds", w->deadline - SIM_EPOCH);
		show_flow_item(&f, " ", NULL, item);
	}
	fputc('\n', s->out);
	show_sgr(s, "0");
	return 0;
}

static int undo_line(void *ctx, const struct sim_sem_undo_view *u)
{
	const struct show *s = ctx;

	if (u->adj)
		fprintf(s->out, "  undo:   %.12s (%d) #%d %+d\n", show_proc_name(s, u->pid), u->pid,
		        u->semnum, u->adj);
	return 0;
}

static void show_set(const struct show *s, int semid, const struct ipcsim_semid_ds *ds)
{
	show_banner(s, '-', "sem %d (key 0x%08x): %lu semaphore%s", semid, ds->sem_perm.key,
	            ds->sem_nsems, ds->sem_nsems == 1 ? "" : "s");
	fputs("  #     value  ncnt  zcnt   pid\n", s->out);
	show_sgr(s, sem_color(semid));
	sim_sem_values(s->k, semid, value_line, (void *)s);
	show_sgr(s, "0");
	sim_sem_waiters(s->k, semid, waiter_line, (void *)s);
	sim_sem_undos(s->k, semid, undo_line, (void *)s);
}

void show_sem(const struct show *s)
{
	int max = sim_sem_max_idx(s->k), count = 0;
	struct ipcsim_semid_ds ds;
	char buf[16];

	for (int idx = 0; idx <= max; idx++)
		if (sim_sem_stat_idx(s->k, idx, &ds) >= 0)
			count++;
	show_banner(s, '=', "Semaphore sets (%d)", count);
	if (count == 0) {
		fputs("  (none)\n", s->out);
		return;
	}
	fputs("  key         semid owner    perms nsems\n", s->out);
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_sem_stat_idx(s->k, idx, &ds);
		if (id < 0)
			continue;
		show_sgr(s, sem_color((int)id));
		fprintf(s->out, "  0x%08x %6ld %-8.8s %04o %5lu\n", ds.sem_perm.key, id,
		        show_user_name(s, ds.sem_perm.uid, buf), ds.sem_perm.mode & 0777,
		        ds.sem_nsems);
		show_sgr(s, "0");
	}
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_sem_stat_idx(s->k, idx, &ds);
		if (id >= 0)
			show_set(s, (int)id, &ds);
	}
}
