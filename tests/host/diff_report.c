/*
 * diff_report.c - comparison and divergence reports (see diff_report.h).
 */
#include "diff_report.h"
#include "diff_fmt.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/msg.h>

#include "ipcsim/kernel.h"

/* ---- formatting ----------------------------------------------------------- */

void diff_put(struct diff_out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (o->len >= o->n)
		return;
	va_start(ap, fmt);
	k = vsnprintf(o->p + o->len, o->n - o->len, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->len += (size_t)k;
}

static void put_flags(struct diff_out *o, int flags, int is_get)
{
	static const struct { int bit; const char *name; } names[] = {
		{ IPC_CREAT, "IPC_CREAT" }, { IPC_EXCL, "IPC_EXCL" }, { IPC_NOWAIT, "IPC_NOWAIT" },
		{ MSG_NOERROR, "MSG_NOERROR" }, { MSG_EXCEPT, "MSG_EXCEPT" }, { MSG_COPY, "MSG_COPY" },
	};
	int rest = flags, any = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* IPC_NOWAIT == 04000 is no msgget flag; msgget's low bits are the mode. */
		if (is_get && names[i].bit != IPC_CREAT && names[i].bit != IPC_EXCL)
			continue;
		if (rest & names[i].bit) {
			diff_put(o, "%s%s", any ? "|" : "", names[i].name);
			rest &= ~names[i].bit;
			any = 1;
		}
	}
	if (rest)
		diff_put(o, "%s0%o", any ? "|" : "", (unsigned)rest);
	else if (!any)
		diff_put(o, "0");
}

static void put_long(struct diff_out *o, long v)
{
	if (v == LONG_MIN)
		diff_put(o, "LONG_MIN");
	else if (v == LONG_MAX)
		diff_put(o, "LONG_MAX");
	else if (v == -LONG_MAX)
		diff_put(o, "-LONG_MAX");
	else
		diff_put(o, "%ld", v);
}

static void put_size(struct diff_out *o, size_t v)
{
	if (v == (size_t)-1)
		diff_put(o, "(size_t)-1");
	else if (v == (size_t)LONG_MAX + 1)
		diff_put(o, "(size_t)LONG_MAX+1");
	else
		diff_put(o, "%zu", v);
}

void diff_put_get_flags(struct diff_out *o, int flags)
{
	put_flags(o, flags, 1);
}

void diff_put_addr(struct diff_out *o, const struct diff_addr *a, const struct diff_run *run)
{
	if (a->kind == DIFF_ADDR_AT) {
		diff_put(o, "a%d%+ld", a->step, a->offset);
		if (run)
			diff_put(o, " /*%#lx*/", diff_addr_resolve(a, run));
	} else if (a->literal >= DIFF_FIXED_BASE && a->literal < DIFF_FIXED_BASE + DIFF_FIXED_SPAN) {
		diff_put(o, "FIXED+%#lx", a->literal - DIFF_FIXED_BASE);
	} else if (a->literal == 0) {
		diff_put(o, "NULL");
	} else {
		diff_put(o, "%#lx", a->literal);
	}
}

void diff_put_id(struct diff_out *o, const struct diff_id *id, const struct diff_run *run)
{
	static const char *const how[] = { "", "q%d", "q%d+32768", "q%d&0x7fff" };

	if (id->kind == DIFF_ID_LITERAL) {
		diff_put(o, "%ld", id->literal);
		return;
	}
	diff_put(o, how[id->kind], id->step);
	if (run)
		diff_put(o, " /*%ld*/", diff_id_resolve(id, run));
}

static const char *cmd_name(int cmd)
{
	switch (cmd) {
	case IPC_STAT: return "IPC_STAT";
	case IPC_SET: return "IPC_SET";
	case IPC_RMID: return "IPC_RMID";
	case IPC_INFO: return "IPC_INFO";
	case MSG_INFO: return "MSG_INFO";
	case MSG_STAT: return "MSG_STAT";
	case MSG_STAT_ANY: return "MSG_STAT_ANY";
	default: return NULL;
	}
}

void diff_fmt_call(char *buf, size_t n, const struct diff_seq *s, int i,
                   const struct diff_run *run)
{
	const struct diff_step *st = &s->steps[i];
	const struct diff_cred *c = &diff_creds[st->actor];
	struct diff_out o = { buf, n, 0 };
	const char *cmd;

	buf[0] = '\0';
	diff_put(&o, "[%2d] %-6s ", i, c->name);
	if (st->where == DIFF_WHERE_CHILD)
		diff_put(&o, "(child) ");
	else if (st->where > 0 && st->op != DIFF_SPAWN && st->op != DIFF_EXIT)
		diff_put(&o, "(helper %d) ", st->where);
	switch (st->op) {
	case DIFF_MSGGET:
		diff_put(&o, "q%d = msgget(", i);
		if (st->key == IPC_PRIVATE)
			diff_put(&o, "IPC_PRIVATE, ");
		else
			diff_put(&o, "0x%x, ", (unsigned)st->key);
		put_flags(&o, st->flags, 1);
		diff_put(&o, ")");
		break;
	case DIFF_MSGSND:
		diff_put(&o, "msgsnd(");
		diff_put_id(&o, &st->id, run);
		if (st->null_buf)
			diff_put(&o, ", NULL, ");
		else {
			diff_put(&o, ", &{mtype ");
			put_long(&o, st->mtype);
			diff_put(&o, ", text of step %d}, ", i);
		}
		put_size(&o, st->msgsz);
		diff_put(&o, ", ");
		put_flags(&o, st->flags, 0);
		diff_put(&o, ")");
		break;
	case DIFF_MSGRCV:
		diff_put(&o, "msgrcv(");
		diff_put_id(&o, &st->id, run);
		diff_put(&o, st->null_buf ? ", NULL, " : ", buf, ");
		put_size(&o, st->msgsz);
		diff_put(&o, ", ");
		put_long(&o, st->msgtyp);
		diff_put(&o, ", ");
		put_flags(&o, st->flags, 0);
		diff_put(&o, ")");
		break;
	case DIFF_MSGCTL:
		diff_put(&o, "msgctl(");
		diff_put_id(&o, &st->id, run);
		cmd = cmd_name(st->cmd);
		if (cmd)
			diff_put(&o, ", %s", cmd);
		else
			diff_put(&o, ", %d /*bad cmd*/", st->cmd);
		if (st->null_buf)
			diff_put(&o, ", NULL)");
		else if (st->cmd == IPC_SET)
			diff_put(&o, ", &{uid %u, gid %u, mode 0%o, qbytes %#lx})", st->set.uid, st->set.gid,
			    st->set.mode, st->set.qbytes);
		else if (st->cmd == IPC_RMID)
			diff_put(&o, ", NULL)");
		else if (st->cmd == IPC_INFO || st->cmd == MSG_INFO)
			diff_put(&o, ", (struct msqid_ds *)&info)");
		else
			diff_put(&o, ", &ds)");
		break;
	case DIFF_LIMIT:
		if (st->limit >= DIFF_LIM_SEMMSL)
			diff_put(&o, "write(\"/proc/sys/kernel/sem\", %s = \"%lld\")  /* sim_limit_set */",
			    diff_limit_names[st->limit], st->value);
		else if (st->limit == DIFF_LIM_SHMMAX || st->limit == DIFF_LIM_SHMALL)
			diff_put(&o, "write(\"/proc/sys/kernel/%s\", \"%llu\")  /* sim_limit_set */",
			    diff_limit_names[st->limit], (unsigned long long)st->value);
		else
			diff_put(&o, "write(\"/proc/sys/kernel/%s\", \"%lld\")  /* sim_limit_set */",
			    diff_limit_names[st->limit], st->value);
		break;
	case DIFF_SHMGET:
	case DIFF_SHMAT:
	case DIFF_SHMDT:
	case DIFF_SHMCTL:
	case DIFF_MEMWRITE:
	case DIFF_MEMREAD:
		diff_fmt_shm_call(&o, s, i, run);
		break;
	case DIFF_SEMGET:
	case DIFF_SEMOP:
	case DIFF_SEMCTL:
		diff_fmt_sem_call(&o, s, i, run);
		break;
	case DIFF_SPAWN:
		diff_put(&o, "fork() -> helper %d, running as %s", st->helper, c->name);
		break;
	case DIFF_EXIT:
		diff_put(&o, "exit() of helper %d", st->helper);
		break;
	}
}

long diff_canon_pid(const struct diff_run *run, long pid)
{
	if (pid == 0)
		return -1;
	for (int p = 0; p < run->nprocs; p++)
		if (run->pids[p] == pid)
			return p;
	return -2;
}

void diff_put_pid(struct diff_out *o, const struct diff_run *run, long pid)
{
	long p = diff_canon_pid(run, pid);

	if (p == -1)
		diff_put(o, "0");
	else if (p == -2)
		diff_put(o, "%ld(not a process of the sequence)", pid);
	else
		diff_put(o, "proc#%ld", p);
}

void diff_put_time(struct diff_out *o, const struct diff_run *run, long t)
{
	if (t == 0)
		diff_put(o, "0");
	else
		diff_put(o, "start%+ld", t - run->t_start);
}

void diff_fmt_result(char *buf, size_t n, const struct diff_result *r, const struct diff_run *run)
{
	struct diff_out o = { buf, n, 0 };

	buf[0] = '\0';
	if (r->ret == DIFF_RET_BLOCKED)
		diff_put(&o, "BLOCKED (the call went to sleep)");
	else if (r->ret == DIFF_RET_SEGV)
		diff_put(&o, "SIGSEGV (the access faulted)");
	else if (r->ret == DIFF_RET_NOT_RUN)
		diff_put(&o, "(not run)");
	else if (r->ret < 0)
		diff_put(&o, "-1 %s", strerrorname_np((int)-r->ret) ? strerrorname_np((int)-r->ret) : "E?");
	else if (r->is_addr)
		diff_put(&o, "%#lx", r->ret);
	else
		diff_put(&o, "%ld", r->ret);
	if (r->has_msg) {
		diff_put(&o, " {mtype ");
		put_long(&o, r->mtype);
		diff_put(&o, ", %zu bytes:", r->len);
		for (size_t j = 0; j < r->len && j < DIFF_HEAD_BYTES; j++)
			diff_put(&o, " %02x", r->head[j]);
		diff_put(&o, "%s, fnv %016llx}", r->len > DIFF_HEAD_BYTES ? " ..." : "",
		    (unsigned long long)r->text_hash);
	}
	if (r->has_ds) {
		const struct diff_ds *d = &r->ds;

		diff_put(&o, " {key %#x uid %u gid %u cuid %u cgid %u mode 0%o seq %u cbytes %lu qnum %lu "
		        "qbytes %lu lspid ", d->key, d->uid, d->gid, d->cuid, d->cgid, d->mode, d->seq,
		    d->cbytes, d->qnum, d->qbytes);
		diff_put_pid(&o, run, d->lspid);
		diff_put(&o, " lrpid ");
		diff_put_pid(&o, run, d->lrpid);
		diff_put(&o, " stime ");
		diff_put_time(&o, run, d->stime);
		diff_put(&o, " rtime ");
		diff_put_time(&o, run, d->rtime);
		diff_put(&o, " ctime ");
		diff_put_time(&o, run, d->ctime);
		diff_put(&o, "}");
	}
	if (r->has_info) {
		const struct diff_info *i = &r->info;

		diff_put(&o, " {msgpool %d msgmap %d msgmax %d msgmnb %d msgmni %d msgssz %d msgtql %d "
		        "msgseg %u}", i->msgpool, i->msgmap, i->msgmax, i->msgmnb, i->msgmni, i->msgssz,
		    i->msgtql, i->msgseg);
	}
	if (r->has_bytes) {
		diff_put(&o, " {%zu bytes:", r->len);
		for (size_t j = 0; j < r->len && j < DIFF_HEAD_BYTES; j++)
			diff_put(&o, " %02x", r->head[j]);
		diff_put(&o, "%s, fnv %016llx}", r->len > DIFF_HEAD_BYTES ? " ..." : "",
		    (unsigned long long)r->text_hash);
	}
	diff_fmt_shm_result(&o, r, run);
	diff_fmt_sem_result(&o, r, run);
	if (r->invariant[0])
		diff_put(&o, " [sim_kernel_check: %s]", r->invariant);
}

/* ---- comparison ------------------------------------------------------------ */

/* 0 when a time field is plausible on its side: never set, or within the run. */
int diff_time_bad(const struct diff_run *run, const struct diff_result *r, long t)
{
	return t != 0 && (t < run->t_start - 1 || t > r->t_after + 1);
}

static int cmp_ds(const struct diff_run *sr, const struct diff_result *s,
                  const struct diff_run *hr, const struct diff_result *h, char *why, size_t n)
{
	const struct diff_ds *a = &s->ds, *b = &h->ds;
	const char *f = NULL;

	if (a->key != b->key) f = "msg_perm.key";
	else if (a->uid != b->uid) f = "msg_perm.uid";
	else if (a->gid != b->gid) f = "msg_perm.gid";
	else if (a->cuid != b->cuid) f = "msg_perm.cuid";
	else if (a->cgid != b->cgid) f = "msg_perm.cgid";
	else if (a->mode != b->mode) f = "msg_perm.mode";
	else if (a->seq != b->seq) f = "msg_perm.__seq";
	else if (a->cbytes != b->cbytes) f = "msg_cbytes";
	else if (a->qnum != b->qnum) f = "msg_qnum";
	else if (a->qbytes != b->qbytes) f = "msg_qbytes";
	else if (diff_canon_pid(sr, a->lspid) != diff_canon_pid(hr, b->lspid)) f = "msg_lspid (process)";
	else if (diff_canon_pid(sr, a->lrpid) != diff_canon_pid(hr, b->lrpid)) f = "msg_lrpid (process)";
	else if (!a->stime != !b->stime) f = "msg_stime (0 vs set)";
	else if (!a->rtime != !b->rtime) f = "msg_rtime (0 vs set)";
	else if (!a->ctime != !b->ctime) f = "msg_ctime (0 vs set)";
	else if (diff_time_bad(sr, s, a->stime) || diff_time_bad(sr, s, a->rtime) || diff_time_bad(sr, s, a->ctime))
		f = "a sim time lies outside the sequence's time";
	else if (diff_time_bad(hr, h, b->stime) || diff_time_bad(hr, h, b->rtime) || diff_time_bad(hr, h, b->ctime))
		f = "a host time lies outside the sequence's time";
	if (f)
		snprintf(why, n, "msqid_ds differs: %s", f);
	return f != NULL;
}

static int cmp_info(const struct diff_info *a, const struct diff_info *b, char *why, size_t n)
{
	const char *f = NULL;

	if (a->msgpool != b->msgpool) f = "msgpool";
	else if (a->msgmap != b->msgmap) f = "msgmap";
	else if (a->msgmax != b->msgmax) f = "msgmax";
	else if (a->msgmnb != b->msgmnb) f = "msgmnb";
	else if (a->msgmni != b->msgmni) f = "msgmni";
	else if (a->msgssz != b->msgssz) f = "msgssz";
	else if (a->msgtql != b->msgtql) f = "msgtql";
	else if (a->msgseg != b->msgseg) f = "msgseg";
	if (f)
		snprintf(why, n, "msginfo differs: %s", f);
	return f != NULL;
}

static int cmp_step(const struct diff_seq *seq, const struct diff_run *sr,
                    const struct diff_run *hr, int i, char *why, size_t n)
{
	const struct diff_result *s = &sr->r[i], *h = &hr->r[i];

	if (s->invariant[0]) {
		snprintf(why, n, "the simulator broke an invariant: %s", s->invariant);
		return 1;
	}
	if (seq->steps[i].op >= DIFF_SHMGET && seq->steps[i].op <= DIFF_MEMREAD)
		return diff_cmp_shm(seq, i, sr, hr, why, n);
	if (seq->steps[i].op >= DIFF_SEMGET && seq->steps[i].op <= DIFF_SEMCTL)
		return diff_cmp_sem(seq, i, sr, hr, why, n);
	if (s->ret != h->ret || s->proc != h->proc) {
		snprintf(why, n, s->ret != h->ret ? "return values differ"
		                                  : "the step ran in different processes");
		return 1;
	}
	if (s->has_msg != h->has_msg || s->has_ds != h->has_ds || s->has_info != h->has_info) {
		snprintf(why, n, "one side filled the buffer, the other did not");
		return 1;
	}
	if (s->has_msg && (s->mtype != h->mtype || s->len != h->len || s->text_hash != h->text_hash)) {
		snprintf(why, n, "received message differs (%s)",
		         s->mtype != h->mtype ? "mtype" : s->len != h->len ? "length" : "bytes");
		return 1;
	}
	if (s->has_ds && cmp_ds(sr, s, hr, h, why, n))
		return 1;
	if (s->has_info && cmp_info(&s->info, &h->info, why, n))
		return 1;
	return 0;
}

int diff_compare(const struct diff_seq *s, const struct diff_run *sim,
                 const struct diff_run *host, char *why, size_t whylen)
{
	for (int i = 0; i < s->nsteps; i++)
		if (cmp_step(s, sim, host, i, why, whylen))
			return i;
	return -1;
}

void diff_print_report(FILE *f, const char *name, const struct diff_seq *s,
                       const struct diff_run *sim, const struct diff_run *host, int bad,
                       const char *why)
{
	char call[512], res[1024];
	int last = bad >= 0 ? bad : s->nsteps - 1;

	static const char *const suite[] = { "diff_random", "diff_random_shm", "diff_random_sem" };

	fprintf(f, "==== %s: %s\n", bad >= 0 ? "DIVERGENCE" : "sequence", name);
	if (s->number >= 0)
		fprintf(f, "     seed %#llx, sequence %d; rerun alone: IPCSIM_DIFF_ONLY=%d "
		           "build/tests/diff-tests --filter '%s/*'\n",
		        (unsigned long long)s->seed, s->number, s->number, suite[s->kind]);
	fprintf(f, "     qN = the id *get returned at step N; aN = the address shmat returned at "
	           "step N;\n     FIXED = %#lx; proc#0 = root, proc#N = the N-th other process "
	           "(per-step or helper)\n", DIFF_FIXED_BASE);
	for (int i = 0; i <= last; i++) {
		diff_fmt_call(call, sizeof(call), s, i, host);
		if (i == bad) {
			fprintf(f, ">>>> %s\n", call);
			diff_fmt_result(res, sizeof(res), &sim->r[i], sim);
			fprintf(f, "       sim  = %s\n", res);
			diff_fmt_result(res, sizeof(res), &host->r[i], host);
			fprintf(f, "       host = %s\n", res);
			fprintf(f, "       %s\n", why);
		} else {
			diff_fmt_result(res, sizeof(res), &host->r[i], host);
			fprintf(f, "     %s = %s\n", call, res);
		}
	}
	fflush(f);
}
