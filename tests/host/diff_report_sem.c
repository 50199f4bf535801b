/*
 * diff_report_sem.c - semaphore steps in divergence reports, and what
 * "equal" means for them: the return value (GETPID's as "which process"),
 * GETALL's values (all nsems of them, by hash), every semid_ds field (otime
 * and ctime as never-set/set and within the run) and every seminfo field.
 */
#include "diff_fmt.h"

#include <stdio.h>
#include <string.h>

#include "ipcsim/kernel.h"

static const char *sem_cmd_name(int cmd)
{
	switch (cmd) {
	case IPC_STAT: return "IPC_STAT";
	case IPC_SET: return "IPC_SET";
	case IPC_RMID: return "IPC_RMID";
	case IPC_INFO: return "IPC_INFO";
	case SEM_INFO: return "SEM_INFO";
	case SEM_STAT: return "SEM_STAT";
	case SEM_STAT_ANY: return "SEM_STAT_ANY";
	case GETVAL: return "GETVAL";
	case SETVAL: return "SETVAL";
	case GETPID: return "GETPID";
	case GETNCNT: return "GETNCNT";
	case GETZCNT: return "GETZCNT";
	case GETALL: return "GETALL";
	case SETALL: return "SETALL";
	default: return NULL;
	}
}

static void put_sembuf(struct diff_out *o, const struct diff_sembuf *b)
{
	int rest = b->flg & ~(IPC_NOWAIT | SEM_UNDO);

	diff_put(o, "{%u, %+d, ", b->num, b->op);
	if (b->flg & IPC_NOWAIT)
		diff_put(o, "IPC_NOWAIT%s", (b->flg & SEM_UNDO) || rest ? "|" : "");
	if (b->flg & SEM_UNDO)
		diff_put(o, "SEM_UNDO%s", rest ? "|" : "");
	if (rest || !b->flg)
		diff_put(o, "0%o", (unsigned)rest);
	diff_put(o, "}");
}

static void put_semop(struct diff_out *o, const struct diff_step *st, const struct diff_run *run)
{
	static const char *const tmo[] = {
		"", ", NULL", ", &{0, 0}", ", &{-1, 0}", ", &{0, 1000000000}",
	};

	diff_put(o, "%s(", st->sops.timeout == DIFF_TMO_SEMOP ? "semop" : "semtimedop");
	diff_put_id(o, &st->id, run);
	if (st->null_buf) {
		diff_put(o, ", NULL");
	} else {
		diff_put(o, ", {");
		for (int j = 0; j < st->sops.nops; j++) {
			diff_put(o, "%s", j ? ", " : "");
			put_sembuf(o, &st->sops.ops[j]);
		}
		if (st->sops.nsops > (size_t)st->sops.nops)
			diff_put(o, "%s{0, 0, IPC_NOWAIT} ...", st->sops.nops ? ", " : "");
		diff_put(o, "}");
	}
	diff_put(o, ", %zu%s)", st->sops.nsops, tmo[st->sops.timeout]);
}

void diff_fmt_sem_call(struct diff_out *o, const struct diff_seq *s, int i,
                       const struct diff_run *run)
{
	const struct diff_step *st = &s->steps[i];
	const char *cmd;

	switch (st->op) {
	case DIFF_SEMGET:
		diff_put(o, "q%d = semget(", i);
		if (st->key == IPC_PRIVATE)
			diff_put(o, "IPC_PRIVATE, ");
		else
			diff_put(o, "0x%x, ", (unsigned)st->key);
		diff_put(o, "%d, ", st->nsems);
		diff_put_get_flags(o, st->flags);
		diff_put(o, ")");
		break;
	case DIFF_SEMOP:
		put_semop(o, st, run);
		break;
	case DIFF_SEMCTL:
		diff_put(o, "semctl(");
		diff_put_id(o, &st->id, run);
		diff_put(o, ", %d", st->semnum);
		cmd = sem_cmd_name(st->cmd);
		if (cmd)
			diff_put(o, ", %s", cmd);
		else
			diff_put(o, ", %d /*bad cmd*/", st->cmd);
		if (st->null_buf)
			diff_put(o, ", NULL)");
		else if (st->cmd == SETVAL)
			diff_put(o, ", %d)", st->val);
		else if (st->cmd == SETALL && st->setall.bad >= 0)
			diff_put(o, ", {%d + %d*j, but [%d] = 40000})", st->setall.base, st->setall.step,
			         st->setall.bad);
		else if (st->cmd == SETALL)
			diff_put(o, ", {%d + %d*j})", st->setall.base, st->setall.step);
		else if (st->cmd == IPC_SET)
			diff_put(o, ", &{uid %u, gid %u, mode 0%o})", st->set.uid, st->set.gid,
			         st->set.mode);
		else if (st->cmd == GETALL)
			diff_put(o, ", array)");
		else if (st->cmd == IPC_INFO || st->cmd == SEM_INFO)
			diff_put(o, ", &seminfo)");
		else if (st->cmd == IPC_STAT || st->cmd == SEM_STAT || st->cmd == SEM_STAT_ANY)
			diff_put(o, ", &ds)");
		else
			diff_put(o, ")");
		break;
	default:
		break;
	}
}

void diff_fmt_sem_result(struct diff_out *o, const struct diff_result *r,
                         const struct diff_run *run)
{
	if (r->has_semds) {
		const struct diff_semds *d = &r->semds;

		diff_put(o, " {key %#x uid %u gid %u cuid %u cgid %u mode 0%o seq %u nsems %lu otime ",
		         d->key, d->uid, d->gid, d->cuid, d->cgid, d->mode, d->seq, d->nsems);
		diff_put_time(o, run, d->otime);
		diff_put(o, " ctime ");
		diff_put_time(o, run, d->ctime);
		diff_put(o, "}");
	}
	if (r->has_seminfo) {
		const struct diff_seminfo *i = &r->seminfo;

		diff_put(o, " {semmap %d semmni %d semmns %d semmnu %d semmsl %d semopm %d semume %d "
		            "semusz %d semvmx %d semaem %d}", i->semmap, i->semmni, i->semmns,
		         i->semmnu, i->semmsl, i->semopm, i->semume, i->semusz, i->semvmx, i->semaem);
	}
}

static int cmp_semds(const struct diff_run *sr, const struct diff_result *s,
                     const struct diff_run *hr, const struct diff_result *h, char *why, size_t n)
{
	const struct diff_semds *a = &s->semds, *b = &h->semds;
	const char *f = NULL;

	if (a->key != b->key) f = "sem_perm.key";
	else if (a->uid != b->uid) f = "sem_perm.uid";
	else if (a->gid != b->gid) f = "sem_perm.gid";
	else if (a->cuid != b->cuid) f = "sem_perm.cuid";
	else if (a->cgid != b->cgid) f = "sem_perm.cgid";
	else if (a->mode != b->mode) f = "sem_perm.mode";
	else if (a->seq != b->seq) f = "sem_perm.__seq";
	else if (a->nsems != b->nsems) f = "sem_nsems";
	else if (!a->otime != !b->otime) f = "sem_otime (0 vs set)";
	else if (!a->ctime != !b->ctime) f = "sem_ctime (0 vs set)";
	else if (diff_time_bad(sr, s, a->otime) || diff_time_bad(sr, s, a->ctime))
		f = "a sim time lies outside the sequence's time";
	else if (diff_time_bad(hr, h, b->otime) || diff_time_bad(hr, h, b->ctime))
		f = "a host time lies outside the sequence's time";
	if (f)
		snprintf(why, n, "semid_ds differs: %s", f);
	return f != NULL;
}

static int cmp_seminfo(const struct diff_seminfo *a, const struct diff_seminfo *b, char *why,
                       size_t n)
{
	const char *f = NULL;

	if (a->semmap != b->semmap) f = "semmap";
	else if (a->semmni != b->semmni) f = "semmni";
	else if (a->semmns != b->semmns) f = "semmns";
	else if (a->semmnu != b->semmnu) f = "semmnu";
	else if (a->semmsl != b->semmsl) f = "semmsl";
	else if (a->semopm != b->semopm) f = "semopm";
	else if (a->semume != b->semume) f = "semume";
	else if (a->semusz != b->semusz) f = "semusz";
	else if (a->semvmx != b->semvmx) f = "semvmx";
	else if (a->semaem != b->semaem) f = "semaem";
	if (f)
		snprintf(why, n, "seminfo differs: %s", f);
	return f != NULL;
}

int diff_cmp_sem(const struct diff_seq *seq, int i, const struct diff_run *sr,
                 const struct diff_run *hr, char *why, size_t n)
{
	const struct diff_step *st = &seq->steps[i];
	const struct diff_result *s = &sr->r[i], *h = &hr->r[i];
	int getpid = st->op == DIFF_SEMCTL && st->cmd == GETPID && s->ret > 0 && h->ret > 0;

	if (s->proc != h->proc) {
		snprintf(why, n, "the step ran in different processes");
		return 1;
	}
	if (getpid ? diff_canon_pid(sr, s->ret) != diff_canon_pid(hr, h->ret) : s->ret != h->ret) {
		snprintf(why, n, getpid ? "GETPID names different processes" : "return values differ");
		return 1;
	}
	if (s->has_bytes != h->has_bytes || s->has_semds != h->has_semds ||
	    s->has_seminfo != h->has_seminfo) {
		snprintf(why, n, "one side filled the buffer, the other did not");
		return 1;
	}
	if (s->has_bytes && (s->len != h->len || s->text_hash != h->text_hash)) {
		snprintf(why, n, "GETALL values differ (%s)", s->len != h->len ? "count" : "values");
		return 1;
	}
	if (s->has_semds && cmp_semds(sr, s, hr, h, why, n))
		return 1;
	if (s->has_seminfo && cmp_seminfo(&s->seminfo, &h->seminfo, why, n))
		return 1;
	return 0;
}
