/*
 * diff_report_shm.c - shared memory steps in divergence reports, and what
 * "equal" means for them.
 *
 * Addresses are compared by relation, never by raw value: a fixed attach
 * must return the same offset from the address asked for on both sides
 * (SHM_RND rounds down alike); a NULL attach only has to succeed on both and
 * give, on each side, a page-aligned address that no live attachment of the
 * same process already has.  Later steps name addresses as "what shmat
 * returned at step N", so each side resolves them against its own answers.
 * shmid_ds: every field, pids as "which process", times as never-set/set
 * and within the run.  shminfo and shm_info: every field, shm_rss included.
 */
#include "diff_fmt.h"

#include <stdio.h>
#include <string.h>

#include "ipcsim/kernel.h"

static void put_shmflg(struct diff_out *o, int flags)
{
	static const struct { int bit; const char *name; } names[] = {
		{ SHM_RDONLY, "SHM_RDONLY" }, { SHM_RND, "SHM_RND" },
		{ SHM_REMAP, "SHM_REMAP" }, { SHM_EXEC, "SHM_EXEC" },
	};
	int rest = flags, any = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (rest & names[i].bit) {
			diff_put(o, "%s%s", any ? "|" : "", names[i].name);
			rest &= ~names[i].bit;
			any = 1;
		}
	if (rest || !any)
		diff_put(o, "%s0%o", any ? "|" : "", (unsigned)rest);
}

static const char *shm_cmd_name(int cmd)
{
	switch (cmd) {
	case IPC_STAT: return "IPC_STAT";
	case IPC_SET: return "IPC_SET";
	case IPC_RMID: return "IPC_RMID";
	case IPC_INFO: return "IPC_INFO";
	case SHM_INFO: return "SHM_INFO";
	case SHM_STAT: return "SHM_STAT";
	case SHM_STAT_ANY: return "SHM_STAT_ANY";
	case SHM_LOCK: return "SHM_LOCK";
	case SHM_UNLOCK: return "SHM_UNLOCK";
	default: return NULL;
	}
}

void diff_fmt_shm_call(struct diff_out *o, const struct diff_seq *s, int i,
                       const struct diff_run *run)
{
	const struct diff_step *st = &s->steps[i];
	const char *cmd;

	switch (st->op) {
	case DIFF_SHMGET:
		diff_put(o, "q%d = shmget(", i);
		if (st->key == IPC_PRIVATE)
			diff_put(o, "IPC_PRIVATE, ");
		else
			diff_put(o, "0x%x, ", (unsigned)st->key);
		diff_put(o, "%zu%s, ", st->size, st->size == (size_t)-1 ? " /*SIZE_MAX*/" : "");
		diff_put_get_flags(o, st->flags);
		diff_put(o, ")");
		break;
	case DIFF_SHMAT:
		diff_put(o, "a%d = shmat(", i);
		diff_put_id(o, &st->id, run);
		diff_put(o, ", ");
		diff_put_addr(o, &st->addr, run);
		diff_put(o, ", ");
		put_shmflg(o, st->flags);
		diff_put(o, ")");
		break;
	case DIFF_SHMDT:
		diff_put(o, "shmdt(");
		diff_put_addr(o, &st->addr, run);
		diff_put(o, ")");
		break;
	case DIFF_SHMCTL:
		diff_put(o, "shmctl(");
		diff_put_id(o, &st->id, run);
		cmd = shm_cmd_name(st->cmd);
		if (cmd)
			diff_put(o, ", %s", cmd);
		else
			diff_put(o, ", %d /*bad cmd*/", st->cmd);
		if (st->null_buf)
			diff_put(o, ", NULL)");
		else if (st->cmd == IPC_SET)
			diff_put(o, ", &{uid %u, gid %u, mode 0%o})", st->set.uid, st->set.gid,
			         st->set.mode);
		else if (st->cmd == IPC_RMID || st->cmd == SHM_LOCK || st->cmd == SHM_UNLOCK)
			diff_put(o, ", NULL)");
		else if (st->cmd == IPC_INFO)
			diff_put(o, ", (struct shmid_ds *)&shminfo)");
		else if (st->cmd == SHM_INFO)
			diff_put(o, ", (struct shmid_ds *)&shm_info)");
		else
			diff_put(o, ", &ds)");
		break;
	case DIFF_MEMWRITE:
		diff_put(o, "memcpy(");
		diff_put_addr(o, &st->addr, run);
		diff_put(o, ", pattern of step %d, %zu)", i, st->len);
		break;
	case DIFF_MEMREAD:
		diff_put(o, "memcpy(buf, ");
		diff_put_addr(o, &st->addr, run);
		diff_put(o, ", %zu)", st->len);
		break;
	default:
		break;
	}
}

void diff_fmt_shm_result(struct diff_out *o, const struct diff_result *r,
                         const struct diff_run *run)
{
	if (r->has_shmds) {
		const struct diff_shmds *d = &r->shmds;

		diff_put(o, " {key %#x uid %u gid %u cuid %u cgid %u mode 0%o seq %u segsz %lu "
		            "nattch %lu cpid ", d->key, d->uid, d->gid, d->cuid, d->cgid, d->mode,
		         d->seq, d->segsz, d->nattch);
		diff_put_pid(o, run, d->cpid);
		diff_put(o, " lpid ");
		diff_put_pid(o, run, d->lpid);
		diff_put(o, " atime ");
		diff_put_time(o, run, d->atime);
		diff_put(o, " dtime ");
		diff_put_time(o, run, d->dtime);
		diff_put(o, " ctime ");
		diff_put_time(o, run, d->ctime);
		diff_put(o, "}");
	}
	if (r->has_shminfo)
		diff_put(o, " {shmmax %lu shmmin %lu shmmni %lu shmseg %lu shmall %lu}",
		         r->shminfo.shmmax, r->shminfo.shmmin, r->shminfo.shmmni, r->shminfo.shmseg,
		         r->shminfo.shmall);
	if (r->has_shm_info)
		diff_put(o, " {used_ids %d shm_tot %lu shm_rss %lu shm_swp %lu swap_attempts %lu "
		            "swap_successes %lu}", r->shm_info.used_ids, r->shm_info.shm_tot,
		         r->shm_info.shm_rss, r->shm_info.shm_swp, r->shm_info.swap_attempts,
		         r->shm_info.swap_successes);
}

/* ---- comparison ------------------------------------------------------------ */

/* A NULL attach's address on one side: page-aligned, and no live attachment
 * of the same process starts there (unless shmdt removed it since). */
static int null_attach_bad(const struct diff_seq *s, int i, const struct diff_run *run)
{
	unsigned long addr = (unsigned long)run->r[i].ret;

	if (addr & 4095UL)
		return 1;
	for (int j = i - 1; j >= 0; j--) {
		const struct diff_step *st = &s->steps[j];

		if (run->r[j].proc != run->r[i].proc)
			continue;
		if (st->op == DIFF_SPAWN)
			return 0; /* the process started here */
		if (st->op == DIFF_SHMDT && run->r[j].ret == 0 &&
		    diff_addr_resolve(&st->addr, run) == addr)
			return 0;
		if (st->op == DIFF_SHMAT && run->r[j].ret >= 0 && (unsigned long)run->r[j].ret == addr)
			return 1;
	}
	return 0;
}

static int cmp_shmds(const struct diff_run *sr, const struct diff_result *s,
                     const struct diff_run *hr, const struct diff_result *h, char *why, size_t n)
{
	const struct diff_shmds *a = &s->shmds, *b = &h->shmds;
	const char *f = NULL;

	if (a->key != b->key) f = "shm_perm.key";
	else if (a->uid != b->uid) f = "shm_perm.uid";
	else if (a->gid != b->gid) f = "shm_perm.gid";
	else if (a->cuid != b->cuid) f = "shm_perm.cuid";
	else if (a->cgid != b->cgid) f = "shm_perm.cgid";
	else if (a->mode != b->mode) f = "shm_perm.mode (SHM_DEST 01000, SHM_LOCKED 02000 included)";
	else if (a->seq != b->seq) f = "shm_perm.__seq";
	else if (a->segsz != b->segsz) f = "shm_segsz";
	else if (a->nattch != b->nattch) f = "shm_nattch";
	else if (diff_canon_pid(sr, a->cpid) != diff_canon_pid(hr, b->cpid)) f = "shm_cpid (process)";
	else if (diff_canon_pid(sr, a->lpid) != diff_canon_pid(hr, b->lpid)) f = "shm_lpid (process)";
	else if (!a->atime != !b->atime) f = "shm_atime (0 vs set)";
	else if (!a->dtime != !b->dtime) f = "shm_dtime (0 vs set)";
	else if (!a->ctime != !b->ctime) f = "shm_ctime (0 vs set)";
	else if (diff_time_bad(sr, s, a->atime) || diff_time_bad(sr, s, a->dtime) ||
	         diff_time_bad(sr, s, a->ctime))
		f = "a sim time lies outside the sequence's time";
	else if (diff_time_bad(hr, h, b->atime) || diff_time_bad(hr, h, b->dtime) ||
	         diff_time_bad(hr, h, b->ctime))
		f = "a host time lies outside the sequence's time";
	if (f)
		snprintf(why, n, "shmid_ds differs: %s", f);
	return f != NULL;
}

static int cmp_infos(const struct diff_result *s, const struct diff_result *h, char *why, size_t n)
{
	const struct diff_shminfo *a = &s->shminfo, *b = &h->shminfo;
	const struct diff_shm_info *c = &s->shm_info, *d = &h->shm_info;
	const char *f = NULL;

	if (s->has_shminfo) {
		if (a->shmmax != b->shmmax) f = "shminfo.shmmax";
		else if (a->shmmin != b->shmmin) f = "shminfo.shmmin";
		else if (a->shmmni != b->shmmni) f = "shminfo.shmmni";
		else if (a->shmseg != b->shmseg) f = "shminfo.shmseg";
		else if (a->shmall != b->shmall) f = "shminfo.shmall";
	}
	if (s->has_shm_info && !f) {
		if (c->used_ids != d->used_ids) f = "shm_info.used_ids";
		else if (c->shm_tot != d->shm_tot) f = "shm_info.shm_tot (pages)";
		else if (c->shm_rss != d->shm_rss) f = "shm_info.shm_rss (pages in memory)";
		else if (c->shm_swp != d->shm_swp) f = "shm_info.shm_swp";
		else if (c->swap_attempts != d->swap_attempts) f = "shm_info.swap_attempts";
		else if (c->swap_successes != d->swap_successes) f = "shm_info.swap_successes";
	}
	if (f)
		snprintf(why, n, "%s differs", f);
	return f != NULL;
}

int diff_cmp_shm(const struct diff_seq *seq, int i, const struct diff_run *sr,
                 const struct diff_run *hr, char *why, size_t n)
{
	const struct diff_step *st = &seq->steps[i];
	const struct diff_result *s = &sr->r[i], *h = &hr->r[i];

	if (s->proc != h->proc) {
		snprintf(why, n, "the step ran in different processes");
		return 1;
	}
	if (st->op == DIFF_SHMAT && s->ret >= 0 && h->ret >= 0) {
		unsigned long sa = diff_addr_resolve(&st->addr, sr), ha = diff_addr_resolve(&st->addr, hr);

		if (st->addr.kind == DIFF_ADDR_LITERAL && st->addr.literal == 0) {
			if (null_attach_bad(seq, i, sr) || null_attach_bad(seq, i, hr)) {
				snprintf(why, n, "shmat(NULL) gave an unaligned address or one a live "
				         "attachment of the process already has (%s)",
				         null_attach_bad(seq, i, sr) ? "sim" : "host");
				return 1;
			}
		} else if ((unsigned long)s->ret - sa != (unsigned long)h->ret - ha) {
			snprintf(why, n, "shmat's address differs from the address asked for by "
			         "%ld (sim) vs %ld (host)", (long)((unsigned long)s->ret - sa),
			         (long)((unsigned long)h->ret - ha));
			return 1;
		}
	} else if (s->ret != h->ret) {
		snprintf(why, n, "return values differ");
		return 1;
	}
	if (s->has_bytes != h->has_bytes || s->has_shmds != h->has_shmds ||
	    s->has_shminfo != h->has_shminfo || s->has_shm_info != h->has_shm_info) {
		snprintf(why, n, "one side filled the buffer, the other did not");
		return 1;
	}
	if (s->has_bytes && (s->len != h->len || s->text_hash != h->text_hash)) {
		snprintf(why, n, "the bytes read differ (%s)", s->len != h->len ? "length" : "content");
		return 1;
	}
	if (s->has_shmds && cmp_shmds(sr, s, hr, h, why, n))
		return 1;
	return cmp_infos(s, h, why, n);
}
