/*
 * diff_sim.c - the simulated side of the differential test (see diff_sim.h).
 */
#include "diff_sim.h"
#include "diff_buf.h"
#include "diff_sim_int.h"

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
	unsigned root_caps;
	int helper_pid[DIFF_MAX_HELPERS]; /* 0: not running */
	int helper_proc[DIFF_MAX_HELPERS];
};

struct diff_sim *diff_sim_new(unsigned root_sim_caps, struct diff_run *run)
{
	struct diff_sim *ds = calloc(1, sizeof(*ds));

	if (!ds)
		return NULL;
	ds->k = sim_kernel_new();
	if (!ds->k || diff_buf_init(&ds->buf) != 0)
		goto out_free;
	ds->root_caps = root_sim_caps;
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

struct sim_kernel *diff_sim_kernel(struct diff_sim *ds)
{
	return ds->k;
}

int diff_sim_pid(const struct diff_sim *ds, int where)
{
	if (where == DIFF_WHERE_DEFAULT)
		return ds->root_pid;
	if (where >= 1 && where <= DIFF_MAX_HELPERS && ds->helper_pid[where - 1])
		return ds->helper_pid[where - 1];
	return -1;
}

static int new_proc(struct diff_sim *ds, enum diff_actor who)
{
	const struct diff_cred *c = &diff_creds[who];

	return sim_proc_new(ds->k, c->uid, c->gid, who == DIFF_ROOT ? ds->root_caps : 0);
}

/* DIFF_SPAWN / DIFF_EXIT, as the host's helper processes do. */
static long helper_step(struct diff_sim *ds, const struct diff_step *st, struct diff_result *res)
{
	int h = st->helper - 1;

	if (h < 0 || h >= DIFF_MAX_HELPERS)
		return -ESRCH;
	if (st->op == DIFF_SPAWN) {
		if (ds->helper_pid[h])
			sim_exit(ds->k, ds->helper_pid[h], 0);
		ds->helper_pid[h] = new_proc(ds, st->actor);
		if (ds->helper_pid[h] < 0) {
			ds->helper_pid[h] = 0;
			return -ENOMEM;
		}
		ds->helper_proc[h] = ds->run->nprocs;
		ds->run->pids[ds->run->nprocs++] = ds->helper_pid[h];
		res->proc = ds->helper_proc[h];
		return 0;
	}
	if (!ds->helper_pid[h])
		return -ESRCH;
	res->proc = ds->helper_proc[h];
	sim_exit(ds->k, ds->helper_pid[h], 0);
	ds->helper_pid[h] = 0;
	return 0;
}

long diff_sim_step(struct diff_sim *ds, const struct diff_seq *s, int i)
{
	const struct diff_step *st = &s->steps[i];
	struct diff_run *run = ds->run;
	struct diff_result *res = &run->r[i];
	long id = diff_id_resolve(&st->id, run);
	int pid = ds->root_pid, per_step = 0;
	char err[sizeof(res->invariant)];
	long r = -EINVAL;

	memset(res, 0, sizeof(*res));
	if (st->op == DIFF_SPAWN || st->op == DIFF_EXIT) {
		r = helper_step(ds, st, res);
		goto done;
	}
	if (st->where > 0) {
		pid = diff_sim_pid(ds, st->where);
		if (pid < 0) {
			r = -ESRCH;
			goto done;
		}
		res->proc = ds->helper_proc[st->where - 1];
	} else if (st->actor != DIFF_ROOT || st->where == DIFF_WHERE_CHILD) {
		pid = new_proc(ds, st->actor);
		run->pids[run->nprocs] = pid;
		res->proc = run->nprocs++;
		per_step = 1;
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
	case DIFF_SHMGET:
	case DIFF_SHMAT:
	case DIFF_SHMDT:
	case DIFF_SHMCTL:
	case DIFF_MEMWRITE:
	case DIFF_MEMREAD:
		r = diff_sim_shm_step(ds->k, &ds->buf, pid, st, i, run, res);
		break;
	case DIFF_SEMGET:
	case DIFF_SEMOP:
	case DIFF_SEMCTL:
		r = diff_sim_sem_step(ds->k, &ds->buf, pid, st, run, res);
		break;
	case DIFF_SPAWN:
	case DIFF_EXIT:
		break;
	}
	if (r == SIM_BLOCKED)
		r = DIFF_RET_BLOCKED;
	else if (per_step)
		sim_exit(ds->k, pid, 0); /* as the host's per-step child does (-ESRCH if killed) */
done:
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
