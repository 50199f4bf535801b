/*
 * diff_sim.c - the simulated side of the differential test (see diff_sim.h).
 */
#include "diff_sim.h"
#include "diff_buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/kernel.h"

struct diff_sim {
	struct sim_kernel *k;
	struct diff_run *run;
	struct diff_buf buf;
	int root_pid;
};

struct diff_sim *diff_sim_new(unsigned root_sim_caps, struct diff_run *run)
{
	struct diff_sim *ds = calloc(1, sizeof(*ds));

	if (!ds)
		return NULL;
	ds->k = sim_kernel_new();
	if (!ds->k || diff_buf_init(&ds->buf) != 0)
		goto out_free;
	ds->root_pid = sim_proc_new(ds->k, 0, 0, root_sim_caps);
	if (ds->root_pid < 0)
		goto out_free;
	ds->run = run;
	memset(run, 0, sizeof(*run));
	for (int i = 0; i < DIFF_MAX_STEPS; i++)
		run->r[i].ret = DIFF_RET_NOT_RUN;
	run->t_start = sim_now(ds->k);
	run->pids[0] = ds->root_pid;
	run->nprocs = 1;
	return ds;

out_free:
	sim_kernel_free(&ds->k);
	diff_buf_fini(&ds->buf);
	free(ds);
	return NULL;
}

void diff_sim_free(struct diff_sim **ds)
{
	if (!ds || !*ds)
		return;
	sim_kernel_free(&(*ds)->k);
	diff_buf_fini(&(*ds)->buf);
	free(*ds);
	*ds = NULL;
}

static void ds_from_sim(struct diff_ds *d, const struct sim_msqid_ds *m)
{
	d->key = m->msg_perm.key;
	d->uid = m->msg_perm.uid;
	d->gid = m->msg_perm.gid;
	d->cuid = m->msg_perm.cuid;
	d->cgid = m->msg_perm.cgid;
	d->mode = m->msg_perm.mode;
	d->seq = m->msg_perm.seq;
	d->cbytes = m->msg_cbytes;
	d->qnum = m->msg_qnum;
	d->qbytes = m->msg_qbytes;
	d->lspid = m->msg_lspid;
	d->lrpid = m->msg_lrpid;
	d->stime = m->msg_stime;
	d->rtime = m->msg_rtime;
	d->ctime = m->msg_ctime;
}

static void info_from_sim(struct diff_info *d, const struct sim_msginfo *m)
{
	d->msgpool = m->msgpool;
	d->msgmap = m->msgmap;
	d->msgmax = m->msgmax;
	d->msgmnb = m->msgmnb;
	d->msgmni = m->msgmni;
	d->msgssz = m->msgssz;
	d->msgtql = m->msgtql;
	d->msgseg = m->msgseg;
}

static long sim_step_msgsnd(struct diff_sim *ds, const struct diff_step *st, int i, int pid,
                            long id)
{
	struct sim_msgbuf m;

	diff_buf_snd(&ds->buf, st->mtype, i, st->msgsz);
	m.mtype = st->mtype;
	m.text = diff_buf_snd_text(&ds->buf, st->msgsz, &m.len);
	return sim_msgsnd(ds->k, pid, (int)id, st->null_buf ? NULL : &m, st->msgsz, st->flags);
}

static long sim_step_msgrcv(struct diff_sim *ds, const struct diff_step *st, int pid, long id,
                            struct diff_result *res)
{
	struct sim_msgbuf out = { 0, 0, NULL };
	long r = sim_msgrcv(ds->k, pid, (int)id, st->null_buf ? NULL : &out, st->msgsz,
	                    st->msgtyp, st->flags);

	if (r >= 0 && !st->null_buf)
		diff_result_set_msg(res, out.mtype, out.text, out.len);
	sim_msgbuf_release(&out);
	return r;
}

static long sim_step_msgctl(struct diff_sim *ds, const struct diff_step *st, int pid, long id,
                            struct diff_result *res)
{
	struct sim_msqid_ds m;
	struct sim_msginfo info;
	int no_buf = st->null_buf || st->cmd == IPC_RMID;
	long r;

	memset(&m, 0, sizeof(m));
	memset(&info, 0, sizeof(info));
	if (st->cmd == IPC_SET) {
		m.msg_perm.uid = st->set.uid;
		m.msg_perm.gid = st->set.gid;
		/* The host's ipc_perm.mode is an unsigned short: same truncation here. */
		m.msg_perm.mode = (unsigned short)st->set.mode;
		m.msg_qbytes = st->set.qbytes;
	}
	r = sim_msgctl(ds->k, pid, (int)id, st->cmd, no_buf ? NULL : &m, no_buf ? NULL : &info);
	if (r >= 0 && !no_buf &&
	    (st->cmd == IPC_STAT || st->cmd == MSG_STAT || st->cmd == MSG_STAT_ANY)) {
		res->has_ds = 1;
		ds_from_sim(&res->ds, &m);
	}
	if (r >= 0 && !no_buf && (st->cmd == IPC_INFO || st->cmd == MSG_INFO)) {
		res->has_info = 1;
		info_from_sim(&res->info, &info);
	}
	return r;
}

long diff_sim_step(struct diff_sim *ds, const struct diff_seq *s, int i)
{
	const struct diff_step *st = &s->steps[i];
	struct diff_run *run = ds->run;
	struct diff_result *res = &run->r[i];
	long id = diff_id_resolve(&st->id, run);
	int pid = ds->root_pid;
	char err[sizeof(res->invariant)];
	long r = -EINVAL;

	memset(res, 0, sizeof(*res));
	if (st->actor != DIFF_ROOT) {
		const struct diff_cred *c = &diff_creds[st->actor];

		pid = sim_proc_new(ds->k, c->uid, c->gid, 0);
		run->pids[run->nprocs] = pid;
		res->proc = run->nprocs++;
	}
	switch (st->op) {
	case DIFF_MSGGET:
		r = sim_msgget(ds->k, pid, (long)(key_t)st->key, st->flags);
		break;
	case DIFF_MSGSND:
		r = sim_step_msgsnd(ds, st, i, pid, id);
		break;
	case DIFF_MSGRCV:
		r = sim_step_msgrcv(ds, st, pid, id, res);
		break;
	case DIFF_MSGCTL:
		r = sim_step_msgctl(ds, st, pid, id, res);
		break;
	case DIFF_LIMIT:
		r = sim_limit_set(ds->k, diff_limit_names[st->limit], st->value);
		break;
	}
	if (r == SIM_BLOCKED)
		r = DIFF_RET_BLOCKED;
	else if (st->actor != DIFF_ROOT)
		sim_exit(ds->k, pid, 0); /* as the host's per-step child does */
	res->ret = r;
	res->t_after = sim_now(ds->k);
	if (sim_kernel_check(ds->k, err, sizeof(err)) != 0)
		snprintf(res->invariant, sizeof(res->invariant), "%s", err);
	run->nsteps = i + 1;
	return r;
}

int diff_sim_run(const struct diff_seq *s, unsigned root_sim_caps, struct diff_run *out)
{
	struct diff_sim *ds = diff_sim_new(root_sim_caps, out);

	if (!ds)
		return -1;
	for (int i = 0; i < s->nsteps; i++)
		if (diff_sim_step(ds, s, i) == DIFF_RET_BLOCKED)
			break; /* the sleeper cannot go on; the host run shows what it did instead */
	diff_sim_free(&ds);
	return 0;
}
