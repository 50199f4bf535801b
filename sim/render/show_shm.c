/*
 * show_shm.c - the shared memory part of `show`: each segment and the bytes
 * in it, drawn the way they were written (render_shm_regions):
 *
 *   == Shared memory (2) ====...
 *     key         shmid owner    perms      bytes pages nattch status
 *     0x00005678      0 root     0644        4096     1      2
 *     0x00000000      1 root     0600       10000     3      1 dest locked
 *   -- shm 0 (key 0x00005678): 4096 bytes, 1 page ----...
 *     @0        long 150  (stored by P2)
 *     @8-15     zeros
 *     @16       text "hello, world"  (copied by P1)
 *     @28-4095  zeros
 *
 * A stored long is a number, copied text is a string, other bytes are hex,
 * each with the process that wrote it last (the race's lost update is the
 * parent storing 150 over the child's 150: the same value, another writer);
 * the zeros between are summed up, so a big segment takes a few lines
 * around what was touched (and at most REGIONS_SHOWN regions).
 * Who attaches a segment where is in the process panel (show_proc.c); a
 * dest segment is destroyed by its last detach, which its title says.
 */
#include <stdlib.h>
#include <string.h>

#include "render/show_int.h"

#define REGIONS_SHOWN 8
#define PEEK 96 /* bytes of a region read to draw it */

struct seg {
	struct show *s;
	int shmid;
	size_t end;        /* the segment's bytes */
	size_t next;       /* first byte after the last region drawn */
	int shown, more;
	size_t last_off;   /* where the regions not drawn end */
};

/* Zeros between what was written (written NULs included), or a segment
 * nothing was written to. */
static void zeros(struct seg *g, size_t from, size_t to)
{
	char group[16], at[48];

	if (from >= to)
		return;
	snprintf(group, sizeof(group), "s%d", g->shmid);
	if (to - from == 1)
		snprintf(at, sizeof(at), "%zu", from);
	else
		snprintf(at, sizeof(at), "%zu-%zu", from, to - 1);
	show_add(g->s, ROLE_NOTE, PRIO_NOTE, NULL, group, "@%-8s zeros%s", at,
	         from == 0 && g->shown == 0 && to == g->end ? ", nothing written yet" : "");
}

static void longs(char *out, size_t size, const unsigned char *b, size_t n)
{
	size_t len = 0, count = n / 8;

	if (count > 1)
		len = (size_t)snprintf(out, size, "long[%zu] ", count);
	else
		len = (size_t)snprintf(out, size, "long ");
	for (size_t i = 0; i < count && len < size; i++) {
		unsigned long v = 0;
		char num[32];

		for (int j = 0; j < 8; j++)
			v |= (unsigned long)b[i * 8 + (size_t)j] << (8 * j);
		snprintf(num, sizeof(num), "%s%ld", i ? ", " : "", (long)v);
		if (len + strlen(num) + (i + 1 < count ? 5 : 0) >= size) {
			snprintf(out + len, size - len, ", ...");
			return;
		}
		len += (size_t)snprintf(out + len, size - len, "%s", num);
	}
}

static void hex(char *out, size_t size, const unsigned char *b, size_t n, size_t len)
{
	size_t used = (size_t)snprintf(out, size, "hex ");

	for (size_t i = 0; i < n; i++) {
		if (used + 3 + 14 >= size && i + 1 < len) {
			snprintf(out + used, size - used, "... (%zu bytes)", len);
			return;
		}
		used += (size_t)snprintf(out + used, size - used, "%s%02x", i ? " " : "", b[i]);
	}
}

static int region(void *ctx, const struct render_mem_region *r)
{
	struct seg *g = ctx;
	unsigned char b[PEEK];
	size_t n = r->len < PEEK ? r->len : PEEK;
	char what[SHOW_WIDTH], key[SHOW_KEY], group[16], text[SHOW_WIDTH - 8], by[40];
	size_t room;

	if (g->shown == REGIONS_SHOWN) {
		g->more++;
		g->last_off = r->off + r->len;
		return 0;
	}
	zeros(g, g->next, r->off);
	g->next = r->off + r->len;
	if (sim_shm_peek(g->s->k, g->shmid, r->off, b, n) < 0)
		return 1;
	snprintf(by, sizeof(by), "  (%s by %.10s)", r->kind == RENDER_MEM_LONG ? "stored" : "copied",
	         show_proc_name(g->s, r->pid));
	room = SHOW_WIDTH - 3 - 10 - strlen(by); /* after the gutter and "@offset  " */
	if (r->kind == RENDER_MEM_LONG) {
		longs(what, room, b, n - n % 8);
	} else if (r->kind == RENDER_MEM_TEXT) {
		show_quote(text, sizeof(text), b, n, room - 7);
		snprintf(what, sizeof(what), "text \"%s\"", text);
	} else {
		hex(what, room, b, n, r->len);
	}
	snprintf(group, sizeof(group), "s%d", g->shmid);
	snprintf(key, sizeof(key), "s%d@%zu", g->shmid, r->off);
	show_add(g->s, ROLE_ITEM, PRIO_BODY, key, group, "@%-8zu %s%s", r->off, what, by);
	g->shown++;
	return 0;
}

static void show_bytes(struct show *s, int shmid, size_t segsz)
{
	struct seg g = { s, shmid, segsz, 0, 0, 0, 0 };
	char group[16];

	snprintf(group, sizeof(group), "s%d", shmid);
	if (render_shm_regions(s->k, shmid, region, &g) < 0) {
		show_add(s, ROLE_NOTE, PRIO_NOTE, NULL, group, "(out of memory drawing the bytes)");
		return;
	}
	if (g.more > 0) {
		show_add(s, ROLE_NOTE, PRIO_NOTE, NULL, group,
		         "... %d more written region%s, up to @%zu", g.more, g.more == 1 ? "" : "s",
		         g.last_off - 1);
		return;
	}
	zeros(&g, g.next, segsz);
}

static void show_segment(struct show *s, int shmid, const struct ipcsim_shmid_ds *ds)
{
	unsigned long pages = (ds->shm_segsz + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE;
	char group[16];

	snprintf(group, sizeof(group), "s%d", shmid);
	show_sub(s, group, "shm %d (key 0x%08x): %zu bytes, %lu page%s%s", shmid, ds->shm_perm.key,
	         ds->shm_segsz, pages, pages == 1 ? "" : "s",
	         ds->shm_perm.mode & SHM_DEST ? ", freed at last detach" : "");
	show_bytes(s, shmid, ds->shm_segsz);
}

void show_shm(struct show *s)
{
	int max = sim_shm_max_idx(s->k), count = 0;
	struct ipcsim_shmid_ds ds;
	char buf[16], key[32];

	s->sect = SECT_SHM;
	for (int idx = 0; idx <= max; idx++)
		if (sim_shm_stat_idx(s->k, idx, &ds) >= 0)
			count++;
	if (count == 0)
		return;
	show_banner(s, "Shared memory (%d)", count);
	show_add(s, ROLE_HEAD, PRIO_HEAD, "hs", NULL,
	         "key         shmid owner    perms      bytes pages nattch status");
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_shm_stat_idx(s->k, idx, &ds);

		if (id < 0)
			continue;
		snprintf(key, sizeof(key), "s%ld", id);
		show_add(s, ROLE_ITEM, PRIO_ROW, key, NULL, "0x%08x %6ld %-8.8s %04o %10zu %5lu %6lu%s%s",
		         ds.shm_perm.key, id, show_user_name(s, ds.shm_perm.uid, buf),
		         ds.shm_perm.mode & 0777, ds.shm_segsz,
		         (ds.shm_segsz + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE, ds.shm_nattch,
		         ds.shm_perm.mode & SHM_DEST ? " dest" : "",
		         ds.shm_perm.mode & SHM_LOCKED ? " locked" : "");
	}
	for (int idx = 0; idx <= max; idx++) {
		long id = sim_shm_stat_idx(s->k, idx, &ds);

		if (id >= 0)
			show_segment(s, (int)id, &ds);
	}
}
