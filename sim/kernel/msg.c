/*
 * msg.c - System V message queues: msgget, msgsnd, msgrcv, msgctl.
 *
 * A port of Linux ipc/msg.c (6.1), check order included; each function
 * names the kernel function it follows.  What differs is only where the
 * simulation needs it:
 *   - a task that sleeps does not run until woken: the call returns
 *     SIM_BLOCKED, and when a later call wakes it, its retry runs at once,
 *     in wake order, and its result becomes a SIM_EV_RESUMED event;
 *   - message text lives in the kernel data area (msg_area.c) while the
 *     message is queued; a direct hand-off to a sleeping receiver never
 *     touches the area, qnum or cbytes, as in Linux;
 *   - the text is copied once in (the caller's buffer straight into the
 *     area) and once out (the area straight into the receiver's buffer),
 *     as Linux's load_msg and store_msg do; only a sender that sleeps
 *     keeps a copy of its own, and nothing about to be overwritten is
 *     zeroed first;
 *   - msgrcv by type uses the per-type index (msg_index.c), not a scan.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

struct msg_queue *msg_queue_of(struct sim_perm *perm)
{
	return (struct msg_queue *)perm; /* q_perm is the first member */
}

static struct msg_queue *msq_obtain_check(struct sim_kernel *k, int id)
{
	struct sim_perm *perm = sim_ipc_obtain_check(&k->msg_ids, id);

	return perm ? msg_queue_of(perm) : NULL;
}

/* ---- wait lists ---------------------------------------------------------- */

/* The wait lists; every pointer written is saved first (undo.c). */
static void ss_add(struct sim_kernel *k, struct msg_queue *q, struct msg_sender *s)
{
	SIM_SAVE_OBJ(k, s);
	SIM_SAVE(k, q->senders);
	SIM_SAVE(k, q->senders_tail);
	SIM_LIST_APPEND(k, s, prev, next, q->senders, q->senders_tail);
}

static void ss_del(struct sim_kernel *k, struct msg_queue *q, struct msg_sender *s)
{
	SIM_SAVE_OBJ(k, s);
	SIM_SAVE(k, q->senders);
	SIM_SAVE(k, q->senders_tail);
	SIM_LIST_UNLINK(k, s, prev, next, q->senders, q->senders_tail);
	s->prev = s->next = NULL;
}

static void msr_add(struct sim_kernel *k, struct msg_queue *q, struct msg_receiver *r)
{
	SIM_SAVE_OBJ(k, r);
	SIM_SAVE(k, q->receivers);
	SIM_SAVE(k, q->receivers_tail);
	SIM_LIST_APPEND(k, r, prev, next, q->receivers, q->receivers_tail);
}

static void msr_del(struct sim_kernel *k, struct msg_queue *q, struct msg_receiver *r)
{
	SIM_SAVE_OBJ(k, r);
	SIM_SAVE(k, q->receivers);
	SIM_SAVE(k, q->receivers_tail);
	SIM_LIST_UNLINK(k, r, prev, next, q->receivers, q->receivers_tail);
	r->prev = r->next = NULL;
}

/* Frees a sleeping sender (or its text only, for one on the stack). */
static void sender_free(struct sim_kernel *k, struct msg_sender *s)
{
	if (s && s->on_heap) {
		sim_free(k, s->text);
		sim_cache_put(k, &k->sender_cache, s);
	}
}

/* The message's bytes [0, n), n <= msgsz: the text, zero-padded. */
static inline void sender_copy(const struct msg_sender *s, unsigned char *dst, size_t n)
{
	const unsigned char *from = s->src ? s->src : s->text;
	size_t have = s->src ? (s->srclen < n ? s->srclen : n) : n;

	if (have)
		memcpy(dst, from, have);
	if (have < n)
		memset(dst + have, 0, n - have);
}

/* A sender about to sleep: a heap copy of s with its own text.  NULL: ENOMEM. */
static struct msg_sender *sender_persist(struct sim_kernel *k, struct msg_sender *s)
{
	struct msg_sender *h;
	unsigned char *text;

	if (s->on_heap)
		return s;
	h = sim_cache_get(k, &k->sender_cache);
	text = h ? sim_alloc_bytes(k, s->msgsz) : NULL;
	if (!text) {
		sim_cache_put(k, &k->sender_cache, h);
		return NULL;
	}
	/* h and text are new: nothing to save */
	sender_copy(s, text, s->msgsz);
	*h = *s;
	h->src = NULL;
	h->srclen = 0;
	h->text = text;
	h->on_heap = true;
	h->prev = h->next = NULL;
	return h;
}

static void proc_sleep_on(struct sim_kernel *k, struct sim_proc *p, int id)
{
	SIM_SAVE_OBJ(k, p);
	p->state = SIM_PROC_BLOCKED;
	p->blocked_id = id;
}

static void proc_wake(struct sim_kernel *k, struct sim_proc *p)
{
	SIM_SAVE_OBJ(k, p);
	p->state = SIM_PROC_RUNNING;
	p->sending = NULL;
	p->receiving = NULL;
}

static void push_resumed(struct sim_kernel *k, struct sim_event_node *mark, int pid,
                         const char *call, long ret, struct sim_msgbuf *msg)
{
	struct sim_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = SIM_EV_RESUMED;
	ev.pid = pid;
	ev.call = call;
	ev.ret = ret;
	if (msg)
		ev.msg = *msg;
	sim_event_insert_after(k, mark, &ev);
}

/* ---- msgget (ipc/msg.c newque, ksys_msgget) ------------------------------ */

static long newque(struct sim_kernel *k, struct sim_proc *p, int key, int msgflg,
                   void *params __attribute__((unused)))
{
	struct msg_queue *q = sim_alloc(k, sizeof(*q));
	int idx;

	if (!q)
		return -ENOMEM;
	q->q_perm.mode = (unsigned)msgflg & 0777;
	q->q_perm.key = key;
	q->q_ctime = k->now;
	q->q_qbytes = (unsigned long)k->limits.msgmnb;
	idx = sim_ipc_addid(k, &k->msg_ids, &q->q_perm, k->limits.msgmni, p);
	if (idx < 0) {
		sim_free(k, q);
		return idx;
	}
	return q->q_perm.id;
}

static const struct sim_ipc_ops msg_ops = { .getnew = newque, .more_checks = NULL };

long sim_msgget(struct sim_kernel *k, int pid, long key, int msgflg)
{
	struct sim_proc *p = sim_proc_find(k, pid);

	if (!p || p->state != SIM_PROC_RUNNING)
		return -ESRCH;
	return sim_ipcget(k, p, &k->msg_ids, &msg_ops, (int)(uint32_t)key, msgflg, NULL);
}

/* ---- msgsnd (ipc/msg.c do_msgsnd, pipelined_send, ss_wakeup) ------------- */

/* msg_fits_inqueue, plus room in the data area for the text's nunits when
 * the pool is fixed. */
static inline bool msg_fits(const struct sim_kernel *k, const struct msg_queue *q,
                            size_t msgsz, size_t nunits)
{
	return msgsz + q->q_cbytes <= q->q_qbytes && 1 + q->q_qnum <= q->q_qbytes &&
	       msg_area_has_room(&k->area, nunits);
}

/* testmsg */
static bool testmsg(long m_type, long type, enum msg_search mode)
{
	switch (mode) {
	case SEARCH_ANY:
	case SEARCH_NUMBER:
		return true;
	case SEARCH_LESSEQUAL:
		return m_type <= type;
	case SEARCH_EQUAL:
		return m_type == type;
	case SEARCH_NOTEQUAL:
		return m_type != type;
	}
	return false;
}

/* The first sleeping receiver that wants s and has room for it, or NULL. */
static struct msg_receiver *pipelined_receiver(const struct msg_queue *q,
                                               const struct msg_sender *s)
{
	for (struct msg_receiver *r = q->receivers; r; r = r->next)
		if (testmsg(s->mtype, r->r_msgtype, r->r_mode) && r->r_maxsize >= s->msgsz)
			return r;
	return NULL;
}

/*
 * pipelined_send's first half: every receiver before `upto` (all of them
 * when NULL) that wants s but whose buffer is too small wakes with E2BIG.
 */
static void pipelined_wake_too_small(struct sim_kernel *k, struct msg_queue *q,
                                     const struct msg_sender *s, struct msg_receiver *upto)
{
	struct msg_receiver *r, *next;

	for (r = q->receivers; r && r != upto; r = next) {
		next = r->next;
		if (!testmsg(s->mtype, r->r_msgtype, r->r_mode))
			continue;
		msr_del(k, q, r);
		proc_wake(k, r->proc);
		push_resumed(k, sim_event_mark(k), r->proc->pid, "msgrcv", -E2BIG, NULL);
		sim_cache_put(k, &k->receiver_cache, r);
	}
}

/*
 * pipelined_send's hand-off to r: the receiver wakes with the message
 * (do_msg_fill: mtype, then min(bufsz, m_ts) bytes, copied once into the
 * buffer the event hands over), or with EFAULT for a bad buffer.  text is
 * that buffer, allocated by the caller before anything changed.
 */
static void pipelined_handoff(struct sim_kernel *k, struct msg_queue *q,
                              const struct msg_sender *s, struct msg_receiver *r,
                              unsigned char *text)
{
	struct sim_proc *rp = r->proc;
	struct sim_msgbuf m;

	msr_del(k, q, r);
	proc_wake(k, rp);
	SIM_SAVE_OBJ(k, q);
	q->q_lrpid = rp->pid;
	q->q_rtime = k->now;
	if (!r->want_buffer) {
		push_resumed(k, sim_event_mark(k), rp->pid, "msgrcv", -EFAULT, NULL);
	} else {
		m.mtype = s->mtype;
		m.len = s->msgsz < r->bufsz ? s->msgsz : r->bufsz;
		m.text = text;
		sender_copy(s, text, m.len);
		push_resumed(k, sim_event_mark(k), rp->pid, "msgrcv", (long)m.len, &m);
	}
	sim_cache_put(k, &k->receiver_cache, r);
}

static void wake_senders_of_pool(struct sim_kernel *k, struct msg_queue *except);

/*
 * The body of do_msgsnd's loop and what follows it, for a loaded message s
 * (a fresh call with s on the caller's stack, or a sender woken by
 * ss_wakeup).  Returns 0 when sent, -errno, or SIM_BLOCKED with a heap
 * copy of s (sender_persist) on the queue's sender list; in the first two
 * cases s still belongs to the caller.
 */
static long msg_send_locked(struct sim_kernel *k, struct msg_queue *q, struct msg_sender *s)
{
	struct sim_proc *p = s->proc;
	size_t nunits = msg_area_units_for(&k->area, s->msgsz);
	long unit = -1;
	struct msg_rec *rec = NULL;
	struct msg_type_bucket *b = NULL;
	struct msg_receiver *r;
	unsigned char *text = NULL;

	if (!sim_ipcperms(&q->q_perm, p, 0222))
		return sim_why_perm(k, &q->q_perm, p, 0222);
	if (q->q_perm.deleted)
		return -EIDRM;
	if (!msg_fits(k, q, s->msgsz, nunits)) {
		if (s->msgflg & IPC_NOWAIT)
			return sim_why_msg_full(k, q, s, -EAGAIN);
		s = sender_persist(k, s);
		if (!s)
			return -ENOMEM;
		ss_add(k, q, s);
		proc_sleep_on(k, p, q->q_perm.id);
		p->sending = s;
		return sim_why_msg_full(k, q, s, SIM_BLOCKED);
	}
	/* Everything that can fail is done before anything changes. */
	r = q->receivers ? pipelined_receiver(q, s) : NULL;
	if (r && r->want_buffer) {
		/* the hand-off's buffer: Linux gives the receiver the sender's
		 * msg_msg, here the buffer the event carries */
		text = sim_alloc_out(k, s->msgsz < r->bufsz ? s->msgsz : r->bufsz);
		if (!text)
			return -ENOMEM;
	} else if (!r) {
		rec = sim_cache_take(k, &k->rec_cache); /* filled whole below */
		b = msg_index_bucket(q, s->mtype);
		if (!rec || (!b && msg_index_prepare(k, q) < 0))
			goto out_nomem;
	}
	/* a hand-off reserves (and releases) the text's units too, as this
	 * model always has: the area grows the same way either way */
	if (nunits) {
		unit = msg_area_reserve(k, &k->area, nunits);
		if (unit < 0)
			goto out_nomem;
	}
	SIM_SAVE_OBJ(k, q);
	q->q_lspid = p->pid;
	q->q_stime = k->now;
	if (q->receivers)
		pipelined_wake_too_small(k, q, s, r);
	if (r) {
		if (nunits)
			msg_area_release(&k->area, (size_t)unit, nunits);
		pipelined_handoff(k, q, s, r, text);
		return 0;
	}
	rec->m_type = s->mtype;
	rec->m_ts = s->msgsz;
	rec->data_unit = unit;
	rec->nunits = nunits;
	if (nunits) {
		unsigned char *dst = k->area.bytes + (size_t)unit * k->area.unit;

		sim_undo_save(k, dst, s->msgsz);
		sender_copy(s, dst, s->msgsz);
	}
	msg_index_add(k, q, rec, b);
	q->q_cbytes += s->msgsz;
	q->q_qnum++;
	SIM_SAVE(k, k->msg_hdrs);
	SIM_SAVE(k, k->msg_bytes);
	k->msg_hdrs++;
	k->msg_bytes += (long)s->msgsz;
	return 0;
out_nomem:
	free(text);
	sim_cache_put(k, &k->rec_cache, rec);
	return -ENOMEM;
}

/*
 * ss_wakeup: wake the senders whose message now fits, in queue order; those
 * that still don't fit move to the tail.  Each woken sender retries at once
 * (it would run next) and its result is reported; one that no longer fits
 * goes back to sleep at the tail.  kill: the queue is going away: every
 * sender fails with EIDRM.
 */
static void ss_wakeup(struct sim_kernel *k, struct msg_queue *q, bool kill)
{
	struct msg_sender *s, *next, *woken = NULL, *woken_tail = NULL;
	struct sim_event_node *mark;
	size_t n = 0;
	long rc;

	for (s = q->senders; s; s = s->next)
		n++;
	for (s = q->senders; n > 0; s = next, n--) {
		next = s->next;
		ss_del(k, q, s);
		if (!kill && !msg_fits(k, q, s->msgsz, msg_area_units_for(&k->area, s->msgsz))) {
			ss_add(k, q, s);
			continue;
		}
		s->next = NULL;
		if (woken_tail)
			woken_tail->next = s;
		else
			woken = s;
		woken_tail = s;
	}
	for (s = woken; s; s = next) {
		struct sim_proc *p = s->proc;

		next = s->next;
		proc_wake(k, p);
		if (kill) {
			push_resumed(k, sim_event_mark(k), p->pid, "msgsnd", -EIDRM, NULL);
			sender_free(k, s);
			continue;
		}
		mark = sim_event_mark(k);
		rc = msg_send_locked(k, q, s);
		if (rc == SIM_BLOCKED)
			continue;
		push_resumed(k, mark, p->pid, "msgsnd", rc, NULL);
		sender_free(k, s);
	}
}

/* With a fixed pool, room freed by one queue can let senders of any queue go. */
static void wake_senders_of_pool(struct sim_kernel *k, struct msg_queue *except)
{
	struct sim_perm *perm, *tmp;

	if (!k->area.limit_units)
		return;
	SIM_IDS_FOREACH(&k->msg_ids, perm, tmp) {
		struct msg_queue *q = msg_queue_of(perm);

		if (q != except && q->senders)
			ss_wakeup(k, q, false);
	}
}

long sim_msgsnd(struct sim_kernel *k, int pid, int msqid, const struct sim_msgbuf *m,
                size_t msgsz, int msgflg)
{
	struct sim_proc *p = sim_proc_find(k, pid);
	struct msg_queue *q;
	struct msg_sender s;

	if (!p || p->state != SIM_PROC_RUNNING)
		return -ESRCH;
	if (!m)
		return -EFAULT; /* get_user(mtype) */
	if (msgsz > (size_t)k->limits.msgmax || (long)msgsz < 0 || msqid < 0)
		return msqid < 0 ? sim_why_no_id(k, pid, msqid, "queue")
		       : sim_why(k, pid, -EINVAL, "EINVAL.msgmax", "msgsz %ld > msgmax %lld",
		                 (long)msgsz, k->limits.msgmax);
	if (m->mtype < 1)
		return sim_why(k, pid, -EINVAL, "EINVAL.mtype", "mtype %ld < 1", m->mtype);
	/* load_msg, deferred: the text goes straight from m into the area */
	s = (struct msg_sender){
		.proc = p,
		.msgsz = msgsz,
		.msgflg = msgflg,
		.mtype = m->mtype,
		.src = m->text ? m->text : (const unsigned char *)"",
		.srclen = m->text ? m->len : 0,
	};
	q = msq_obtain_check(k, msqid);
	if (!q)
		return sim_why_no_id(k, pid, msqid, "queue");
	return msg_send_locked(k, q, &s);
}

/* ---- msgrcv (ipc/msg.c do_msgrcv, convert_mode, find_msg) ---------------- */

static enum msg_search convert_mode(long *msgtyp, int msgflg)
{
	if (msgflg & MSG_COPY)
		return SEARCH_NUMBER;
	if (*msgtyp == 0)
		return SEARCH_ANY;
	if (*msgtyp < 0) {
		*msgtyp = *msgtyp == LONG_MIN ? LONG_MAX : -*msgtyp;
		return SEARCH_LESSEQUAL;
	}
	if (msgflg & MSG_EXCEPT)
		return SEARCH_NOTEQUAL;
	return SEARCH_EQUAL;
}

/* Removes rec from q (saved by the caller) and frees it: the dequeue half
 * of do_msgrcv. */
static void msg_dequeue(struct sim_kernel *k, struct msg_queue *q, struct msg_rec *rec)
{
	SIM_SAVE(k, k->msg_hdrs);
	SIM_SAVE(k, k->msg_bytes);
	msg_index_del(k, q, rec);
	q->q_qnum--;
	q->q_cbytes -= rec->m_ts;
	k->msg_hdrs--;
	k->msg_bytes -= (long)rec->m_ts;
	if (rec->nunits)
		msg_area_release(&k->area, (size_t)rec->data_unit, rec->nunits);
	sim_cache_put(k, &k->rec_cache, rec);
}

/*
 * do_msgrcv.  out->text on entry: the caller's buffer of bufsz bytes
 * (sim_msgrcv_into), or NULL to hand out a malloc'd one (sim_msgrcv).
 * Either way the text is copied once, from the area straight into the
 * buffer.
 */
static long do_msgrcv(struct sim_kernel *k, int pid, int msqid, struct sim_msgbuf *out,
                      size_t bufsz, long msgtyp, int msgflg)
{
	unsigned char *into = out ? out->text : NULL;
	struct sim_proc *p = sim_proc_find(k, pid);
	struct msg_queue *q;
	struct msg_rec *rec;
	struct msg_receiver *r;
	enum msg_search mode;
	size_t copy_max = 0, n;
	unsigned char *text;
	long asked_msgtyp;

	if (!p || p->state != SIM_PROC_RUNNING)
		return -ESRCH;
	if (out) {
		out->text = into;
		out->len = 0;
	}
	if (msqid < 0 || (long)bufsz < 0)
		return -EINVAL;
	if (msgflg & MSG_COPY) {
		if ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT))
			return -EINVAL;
		/* prepare_copy reads min(bufsz, msgmax) bytes of the user buffer */
		copy_max = bufsz < (size_t)k->limits.msgmax ? bufsz : (size_t)k->limits.msgmax;
		if (!out && copy_max > 0)
			return -EFAULT;
	}
	asked_msgtyp = msgtyp;
	mode = convert_mode(&msgtyp, msgflg);
	q = msq_obtain_check(k, msqid);
	if (!q)
		return sim_why_no_id(k, pid, msqid, "queue");
	if (!sim_ipcperms(&q->q_perm, p, 0444))
		return sim_why_perm(k, &q->q_perm, p, 0444);
	if (q->q_perm.deleted)
		return -EIDRM;
	rec = msg_index_find(q, msgtyp, mode);
	if (rec) {
		if (k->explain)
			sim_why_msg_took(k, pid, q, rec, asked_msgtyp, msgflg);
		if (bufsz < rec->m_ts && !(msgflg & MSG_NOERROR))
			return sim_why(k, pid, -E2BIG, "E2BIG.size", "the message has %zu bytes > "
			               "maxsize %zu, and MSG_NOERROR was not given", rec->m_ts, bufsz);
		if ((msgflg & MSG_COPY) && rec->m_ts > copy_max)
			return -EINVAL; /* copy_msg */
		n = bufsz < rec->m_ts ? bufsz : rec->m_ts;
		text = NULL;
		if (out) {
			text = into ? into : sim_alloc_out(k, n);
			if (!text)
				return -ENOMEM;
			if (n)
				memcpy(text, k->area.bytes + (size_t)rec->data_unit * k->area.unit, n);
		}
		if (!(msgflg & MSG_COPY)) {
			long mtype = rec->m_type;

			SIM_SAVE_OBJ(k, q);
			q->q_rtime = k->now;
			q->q_lrpid = p->pid;
			msg_dequeue(k, q, rec);
			if (q->senders) /* the call costs more than its empty loop */
				ss_wakeup(k, q, false);
			wake_senders_of_pool(k, q);
			if (!out)
				return -EFAULT; /* do_msg_fill after the dequeue: the message is lost */
			out->mtype = mtype;
		} else {
			if (!out)
				return -EFAULT;
			out->mtype = rec->m_type;
		}
		out->text = text;
		out->len = n;
		return (long)n;
	}
	if (msgflg & IPC_NOWAIT)
		return sim_why_msg_none(k, pid, q, asked_msgtyp, msgflg, -ENOMSG);
	r = sim_cache_get(k, &k->receiver_cache);
	if (!r)
		return -ENOMEM;
	r->proc = p;
	r->r_msgtype = msgtyp;
	r->asked_msgtyp = asked_msgtyp;
	r->r_mode = mode;
	r->r_maxsize = (msgflg & MSG_NOERROR) ? INT_MAX : bufsz;
	r->bufsz = bufsz;
	r->msgflg = msgflg;
	r->want_buffer = out != NULL;
	msr_add(k, q, r);
	proc_sleep_on(k, p, q->q_perm.id);
	p->receiving = r;
	return sim_why_msg_none(k, pid, q, asked_msgtyp, msgflg, SIM_BLOCKED);
}

long sim_msgrcv(struct sim_kernel *k, int pid, int msqid, struct sim_msgbuf *out,
                size_t bufsz, long msgtyp, int msgflg)
{
	if (out)
		out->text = NULL; /* an output only: the text is malloc'd */
	return do_msgrcv(k, pid, msqid, out, bufsz, msgtyp, msgflg);
}

long sim_msgrcv_into(struct sim_kernel *k, int pid, int msqid, struct sim_msgbuf *out,
                     size_t bufsz, long msgtyp, int msgflg)
{
	if (out && !out->text)
		return -EFAULT;
	return do_msgrcv(k, pid, msqid, out, bufsz, msgtyp, msgflg);
}

/* ---- msgctl (ipc/msg.c ksys_msgctl, msgctl_info, msgctl_stat, msgctl_down) */

void msg_fill_ds(const struct msg_queue *q, struct ipcsim_msqid_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ds->msg_perm.key = (uint32_t)q->q_perm.key;
	ds->msg_perm.uid = q->q_perm.uid;
	ds->msg_perm.gid = q->q_perm.gid;
	ds->msg_perm.cuid = q->q_perm.cuid;
	ds->msg_perm.cgid = q->q_perm.cgid;
	ds->msg_perm.mode = q->q_perm.mode;
	ds->msg_perm.seq = q->q_perm.seq;
	ds->msg_stime = q->q_stime;
	ds->msg_rtime = q->q_rtime;
	ds->msg_ctime = q->q_ctime;
	ds->msg_cbytes = q->q_cbytes;
	ds->msg_qnum = q->q_qnum;
	ds->msg_qbytes = q->q_qbytes;
	ds->msg_lspid = q->q_lspid;
	ds->msg_lrpid = q->q_lrpid;
}

static long msgctl_info(struct sim_kernel *k, int cmd, struct ipcsim_msginfo *info)
{
	int max_idx = sim_ipc_get_maxidx(&k->msg_ids);

	if (!info)
		return -EFAULT;
	memset(info, 0, sizeof(*info));
	info->msgmni = (int)k->limits.msgmni;
	info->msgmax = (int)k->limits.msgmax;
	info->msgmnb = (int)k->limits.msgmnb;
	info->msgssz = (int)k->limits.msgssz;
	info->msgseg = 65535; /* MSGSEG */
	if (cmd == MSG_INFO) {
		info->msgpool = k->msg_ids.in_use;
		info->msgmap = k->msg_hdrs > INT_MAX ? INT_MAX : (int)k->msg_hdrs;
		info->msgtql = k->msg_bytes > INT_MAX ? INT_MAX : (int)k->msg_bytes;
	} else {
		info->msgmap = 16384; /* MSGMAP */
		info->msgpool = k->limits.msgpool ? (int)(k->limits.msgpool / 1024) : 512000;
		info->msgtql = 16384; /* MSGTQL */
	}
	return max_idx < 0 ? 0 : max_idx;
}

static long msgctl_stat(struct sim_kernel *k, struct sim_proc *p, int msqid, int cmd,
                        struct ipcsim_msqid_ds *ds)
{
	struct sim_perm *perm;

	if (cmd == MSG_STAT || cmd == MSG_STAT_ANY)
		perm = sim_ipc_obtain_idx(&k->msg_ids, msqid);
	else
		perm = sim_ipc_obtain_check(&k->msg_ids, msqid);
	if (!perm)
		return sim_why_no_id(k, p->pid, msqid, "queue");
	if (cmd != MSG_STAT_ANY && !sim_ipcperms(perm, p, 0444))
		return sim_why_perm(k, perm, p, 0444);
	if (!ds)
		return -EFAULT;
	msg_fill_ds(msg_queue_of(perm), ds);
	return cmd == IPC_STAT ? 0 : perm->id;
}

/* freeque: receivers then senders fail with EIDRM; the messages are freed. */
static void freeque(struct sim_kernel *k, struct msg_queue *q)
{
	struct msg_receiver *r, *rnext;

	for (r = q->receivers; r; r = rnext) {
		rnext = r->next;
		msr_del(k, q, r);
		proc_wake(k, r->proc);
		push_resumed(k, sim_event_mark(k), r->proc->pid, "msgrcv", -EIDRM, NULL);
		sim_cache_put(k, &k->receiver_cache, r);
	}
	sim_ipc_rmid(k, &k->msg_ids, &q->q_perm);
	ss_wakeup(k, q, true);
	SIM_SAVE_OBJ(k, q);
	while (q->head)
		msg_dequeue(k, q, q->head);
	msg_index_destroy(k, q);
	sim_free(k, q);
}

static long msgctl_down(struct sim_kernel *k, struct sim_proc *p, int msqid, int cmd,
                        const struct ipcsim_msqid_ds *ds)
{
	struct msg_queue *q = msq_obtain_check(k, msqid);
	struct msg_receiver *r, *rnext;
	int msg_qbytes, err;

	if (!q)
		return sim_why_no_id(k, p->pid, msqid, "queue");
	err = sim_ipcctl_owner_check(&q->q_perm, p);
	if (err)
		return sim_why_owner(k, &q->q_perm, p, err);
	if (cmd == IPC_RMID) {
		freeque(k, q);
		wake_senders_of_pool(k, NULL);
		return 0;
	}
	/* IPC_SET: msgctl_down takes msg_qbytes as an int */
	msg_qbytes = (int)ds->msg_qbytes;
	if ((unsigned)msg_qbytes > (unsigned long long)k->limits.msgmnb &&
	    !sim_capable(p, SIM_CAP_SYS_RESOURCE))
		return -EPERM;
	err = sim_ipc_update_perm(k, &q->q_perm, ds->msg_perm.uid, ds->msg_perm.gid,
	                          ds->msg_perm.mode);
	if (err)
		return err;
	SIM_SAVE_OBJ(k, q);
	q->q_qbytes = (unsigned long)(long)msg_qbytes;
	q->q_ctime = k->now;
	/* expunge_all(-EAGAIN): sleeping receivers re-check their permission */
	for (r = q->receivers; r; r = rnext) {
		rnext = r->next;
		if (sim_ipcperms(&q->q_perm, r->proc, 0444))
			continue; /* retried, found nothing, sleeps again: same place */
		msr_del(k, q, r);
		proc_wake(k, r->proc);
		push_resumed(k, sim_event_mark(k), r->proc->pid, "msgrcv", -EACCES, NULL);
		sim_cache_put(k, &k->receiver_cache, r);
	}
	/* sleeping senders might be able to send due to a larger queue size */
	ss_wakeup(k, q, false);
	return 0;
}

long sim_msgctl(struct sim_kernel *k, int pid, int msqid, int cmd,
                struct ipcsim_msqid_ds *ds, struct ipcsim_msginfo *info)
{
	struct sim_proc *p = sim_proc_find(k, pid);

	if (!p || p->state != SIM_PROC_RUNNING)
		return -ESRCH;
	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msgctl_info(k, cmd, info);
	case MSG_STAT:
	case MSG_STAT_ANY:
	case IPC_STAT:
		return msgctl_stat(k, p, msqid, cmd, ds);
	case IPC_SET:
		if (!ds)
			return -EFAULT;
		return msgctl_down(k, p, msqid, cmd, ds);
	case IPC_RMID:
		return msgctl_down(k, p, msqid, cmd, NULL);
	default:
		return -EINVAL;
	}
}

/* ---- death and teardown -------------------------------------------------- */

/* A sleeping process is interrupted or dies: take it off its wait list. */
void msg_kill_waiter(struct sim_kernel *k, struct sim_proc *p)
{
	struct msg_queue *q = msq_obtain_check(k, p->blocked_id);

	if (p->sending) {
		if (q)
			ss_del(k, q, p->sending);
		sender_free(k, p->sending);
	} else if (p->receiving) {
		if (q)
			msr_del(k, q, p->receiving);
		sim_cache_put(k, &k->receiver_cache, p->receiving);
	}
	SIM_SAVE_OBJ(k, p);
	p->sending = NULL;
	p->receiving = NULL;
}

void msg_free_all(struct sim_kernel *k)
{
	struct sim_perm *perm, *tmp;

	SIM_IDS_FOREACH(&k->msg_ids, perm, tmp) {
		struct msg_queue *q = msg_queue_of(perm);
		struct msg_sender *s, *snext;
		struct msg_receiver *r, *rnext;

		for (s = q->senders; s; s = snext) {
			snext = s->next;
			sender_free(k, s);
		}
		for (r = q->receivers; r; r = rnext) {
			rnext = r->next;
			sim_cache_put(k, &k->receiver_cache, r);
		}
		q->senders = NULL;
		q->receivers = NULL;
		sim_ipc_rmid(k, &k->msg_ids, perm);
		while (q->head)
			msg_dequeue(k, q, q->head);
		msg_index_destroy(k, q);
		free(q);
	}
}
