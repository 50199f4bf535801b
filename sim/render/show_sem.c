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

struct set {
	struct show *s;
	int semid;
	char group[16];
};

static int value_line(void *ctx, const struct sim_sem_view *v)
{
	struct set *t = ctx;
	char key[SHOW_KEY];

	snprintf(key, sizeof(key), "S%d#%d", t->semid, v->semnum);
	show_add(t->s, ROLE_ITEM, PRIO_BODY, key, t->group, "%-5d %5d %5d %5d %5d", v->semnum,
	         v->semval, v->ncnt, v->zcnt, v->sempid);
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
	struct set *t = ctx;
	struct flow f;
	char head[64], item[64], flags[32], key[SHOW_KEY];

	snprintf(key, sizeof(key), "S%d/w%d", t->semid, w->pid);
	snprintf(head, sizeof(head), "asleep: %.12s (%d) semop", show_proc_name(t->s, w->pid),
	         w->pid);
	show_flow_begin(&f, t->s, PRIO_KEY, key, t->group, head);
	f.indent = 8;
	for (size_t i = 0; i < w->nsops; i++) {
		sem_flags(flags, sizeof(flags), w->sops[i].sem_flg);
		snprintf(item, sizeof(item), w->sops[i].sem_op ? "%s{%u, %+d, %s}%s" : "%s{%u, %d, %s}%s",
		         i ? "" : "[", w->sops[i].sem_num, w->sops[i].sem_op, flags,
		         i + 1 == w->nsops ? "]" : ",");
		show_flow_item(&f, " ", item);
	}
	if (w->deadline) {
		snprintf(item, sizeof(item), "until t+%lds", w->deadline - SIM_EPOCH);
		show_flow_item(&f, " ", item);
	}
	show_flow_end(&f);
	return 0;
}

static int undo_line(void *ctx, const struct sim_sem_undo_view *u)
{
	struct set *t = ctx;
	char key[SHOW_KEY];

	if (!u->adj)
		return 0;
	snprintf(key, sizeof(key), "S%d/u%d.%d", t->semid, u->pid, u->semnum);
	show_add(t->s, ROLE_ITEM, PRIO_KEY, key, t->group, "undo:   %.12s (%d) #%d %+d",
	         show_proc_name(t->s, u->pid), u->pid, u->semnum, u->adj);
	return 0;
}

static void show_set(struct show *s, int semid, const struct ipcsim_semid_ds *ds)
{
	struct set t = { s, semid, "" };
	char key[SHOW_KEY];

	snprintf(t.group, sizeof(t.group), "S%d", semid);
	snprintf(key, sizeof(key), "hS%d", semid);
	show_sub(s, t.group, "sem %d (key 0x%08x): %lu semaphore%s", semid, ds->sem_perm.key,
	         ds->sem_nsems, ds->sem_nsems == 1 ? "" : "s");
	show_add(s, ROLE_HEAD, PRIO_HEAD, key, t.group, "#     value  ncnt  zcnt   pid");
	sim_sem_values(s->k, semid, value_line, &t);
	sim_sem_waiters(s->k, semid, waiter_line, &t);
	sim_sem_undos(s->k, semid, undo_line, &t);
}

void show_sem(struct show *s)
{
	int max = sim_sem_max_idx(s->k), count = 0;
	struct ipcsim_semid_ds ds;
	char buf[16], key[32];

	s->sect = SECT_SEM;
	for (int idx = 0; idx <= max; idx++)
		if (sim_sem_stat_idx(s->k, idx, &ds) >= 0)
			count++;
	if (count == 0)
		return;
	show_banner(s, "Semaphore sets (%d)", count);
	show_add(s, ROLE_HEAD, PRIO_HEAD, "hS", NULL, "key         semid owner    perms nsems");
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_sem_stat_idx(s->k, idx, &ds);

		if (id < 0)
			continue;
		snprintf(key, sizeof(key), "S%ld", id);
		show_add(s, ROLE_ITEM, PRIO_ROW, key, NULL, "0x%08x %6ld %-8.8s %04o %5lu",
		         ds.sem_perm.key, id, show_user_name(s, ds.sem_perm.uid, buf),
		         ds.sem_perm.mode & 0777, ds.sem_nsems);
	}
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_sem_stat_idx(s->k, idx, &ds);

		if (id >= 0)
			show_set(s, (int)id, &ds);
	}
}
