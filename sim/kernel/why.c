/*
 * why.c - the kernel's reasons: at a failure site (and, when explaining, at
 * msgrcv's choice) a one-line reason with a stable code, read back with
 * sim_kernel_why() by `ipcsim run --explain` and the grader.
 *
 * Each helper formats from the state the failing check looked at and
 * returns the site's result, so a site changes only in its return line:
 * `return sim_why_perm(k, &q->q_perm, p, 0222);`.  Nothing here runs on
 * a path that succeeds unless k->explain is set.  The codes are listed in
 * docs/reason-codes.md; a code once published never changes meaning.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/kernel_int.h"

void sim_kernel_why(const struct sim_kernel *k, struct sim_why *w)
{
	w->serial = k->why_serial;
	w->pid = k->why_pid;
	w->result = k->why_result;
	w->code = k->why_code;
	w->text = k->why;
}

void sim_kernel_set_explain(struct sim_kernel *k, int on)
{
	k->explain = on != 0;
}

long sim_why(struct sim_kernel *k, int pid, long rc, const char *code, const char *fmt, ...)
{
	va_list ap;

	k->why_serial++;
	k->why_pid = pid;
	k->why_result = rc == SIM_BLOCKED ? SIM_WHY_SLEPT : rc;
	snprintf(k->why_code, sizeof(k->why_code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(k->why, sizeof(k->why), fmt, ap);
	va_end(ap);
	return rc;
}

/* 16380 -> "16,380" (the figures of a limit read better grouped). */
static const char *grouped(char *buf, size_t size, unsigned long long v)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%llu", v), o = 0;

	for (int i = 0; i < n && (size_t)o + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static void rwx(char out[4], unsigned bits)
{
	out[0] = bits & 4 ? 'r' : '-';
	out[1] = bits & 2 ? 'w' : '-';
	out[2] = bits & 1 ? 'x' : '-';
	out[3] = '\0';
}

long sim_why_perm(struct sim_kernel *k, const struct sim_perm *perm, const struct sim_proc *p,
                  int flag)
{
	unsigned requested = (unsigned)((flag >> 6) | (flag >> 3) | flag) & 7, granted;
	const char *cls;
	char has[4], needs[4], who[96];

	if (p->uid == perm->cuid || p->uid == perm->uid) {
		cls = "owner";
		granted = perm->mode >> 6 & 7;
		snprintf(who, sizeof(who), "uid %u is the %s", p->uid,
		         p->uid == perm->uid ? "owner" : "creator");
	} else if (p->gid == perm->cgid || p->gid == perm->gid) {
		cls = "group";
		granted = perm->mode >> 3 & 7;
		snprintf(who, sizeof(who), "uid %u is not the owner (uid %u) but is in its group "
		         "(gid %u)", p->uid, perm->uid, p->gid);
	} else {
		cls = "other";
		granted = perm->mode & 7;
		snprintf(who, sizeof(who), "uid %u (gid %u) is neither the owner (uid %u) nor in "
		         "its group (gid %u)", p->uid, p->gid, perm->uid, perm->gid);
	}
	rwx(has, granted);
	rwx(needs, requested);
	return sim_why(k, p->pid, -EACCES, "EACCES.mode",
	               "mode %04o: %s, so the %s bits apply: %s has %s and the call needs %s; "
	               "no CAP_IPC_OWNER", perm->mode & 0777, who, cls, cls, has, needs);
}

long sim_why_owner(struct sim_kernel *k, const struct sim_perm *perm, const struct sim_proc *p,
                   long err)
{
	return sim_why(k, p->pid, err, "EPERM.owner",
	               "uid %u is neither the owner (uid %u) nor the creator (uid %u) and has no "
	               "CAP_SYS_ADMIN", p->uid, perm->uid, perm->cuid);
}

long sim_why_no_id(struct sim_kernel *k, int pid, int id, const char *what)
{
	return sim_why(k, pid, -EINVAL, "EINVAL.id",
	               "no %s has id %d: never made, or removed (IPC_RMID, ipcrm)", what, id);
}

long sim_why_msg_full(struct sim_kernel *k, const struct msg_queue *q, const struct msg_sender *s,
                      long rc)
{
	bool sleeps = rc == SIM_BLOCKED;
	char a[32], b[32], c[32];

	if (s->msgsz + q->q_cbytes > q->q_qbytes)
		return sim_why(k, s->proc->pid, rc, sleeps ? "SLEEP.qbytes" : "EAGAIN.qbytes",
		               "%s + %s bytes > msg_qbytes %s%s",
		               grouped(a, sizeof(a), q->q_cbytes), grouped(b, sizeof(b), s->msgsz),
		               grouped(c, sizeof(c), q->q_qbytes),
		               sleeps ? ": the sender sleeps until a msgrcv makes room" : "");
	if (1 + q->q_qnum > q->q_qbytes)
		return sim_why(k, s->proc->pid, rc, sleeps ? "SLEEP.qnum" : "EAGAIN.qnum",
		               "msg_qnum %lu + 1 > msg_qbytes %lu: a queue holds at most msg_qbytes "
		               "messages%s", q->q_qnum, q->q_qbytes,
		               sleeps ? "; the sender sleeps until a msgrcv makes room" : "");
	return sim_why(k, s->proc->pid, rc, sleeps ? "SLEEP.pool" : "EAGAIN.pool",
	               "the data area (msgpool) has no free run of %zu units of %zu bytes%s",
	               msg_area_units_for(&k->area, s->msgsz), k->area.unit,
	               sleeps ? ": the sender sleeps until a msgrcv frees one" : "");
}

/* msgtyp -N's N, as convert_mode takes it: LONG_MIN means LONG_MAX. */
static long lowest_bound(long asked)
{
	return asked == LONG_MIN ? LONG_MAX : -asked;
}

/* "msgtyp -300" and what it asks for: "type <= 300". */
static void criterion(char *buf, size_t size, long asked, int msgflg)
{
	if (asked == 0)
		snprintf(buf, size, "msgtyp 0 takes the first message, whatever its type");
	else if (asked > 0 && (msgflg & MSG_EXCEPT))
		snprintf(buf, size, "msgtyp %ld with MSG_EXCEPT takes the first message of a type "
		         "other than %ld", asked, asked);
	else if (asked > 0)
		snprintf(buf, size, "msgtyp %ld takes the first message of type %ld", asked, asked);
	else
		snprintf(buf, size, "msgtyp %ld takes the first message of the lowest type <= %ld",
		         asked, lowest_bound(asked));
}

/* The types in the queue, in queue order: "300, 100, 200". */
static void queue_types(char *buf, size_t size, const struct msg_queue *q)
{
	size_t o = 0;
	int n = 0;

	buf[0] = '\0';
	for (const struct msg_rec *r = q->head; r != NULL && o + 24 < size; r = r->q_next, n++) {
		if (n == 12) {
			snprintf(buf + o, size - o, ", ...");
			return;
		}
		o += (size_t)snprintf(buf + o, size - o, "%s%ld", n > 0 ? ", " : "", r->m_type);
	}
}

long sim_why_msg_none(struct sim_kernel *k, int pid, const struct msg_queue *q, long asked,
                      int msgflg, long rc)
{
	char what[128], types[160];

	criterion(what, sizeof(what), asked, msgflg);
	queue_types(types, sizeof(types), q);
	return sim_why(k, pid, rc, rc == SIM_BLOCKED ? "SLEEP.msgrcv" : "ENOMSG.type",
	               "%s; the queue holds %s%s%s", what, q->head != NULL ? "types " : "nothing",
	               types, rc == SIM_BLOCKED ? ": the receiver sleeps until such a message "
	               "is sent (or the queue is removed, or a signal comes)"
	               : ", and IPC_NOWAIT says not to wait");
}

/* The first bytes of rec's text, as C would print them with %s. */
static void text_of(char *buf, size_t size, const struct sim_kernel *k, const struct msg_rec *rec)
{
	const unsigned char *t = rec->data_unit >= 0
	                         ? k->area.bytes + (size_t)rec->data_unit * k->area.unit : NULL;
	size_t o = 0;

	for (size_t i = 0; t != NULL && i < rec->m_ts && t[i] != '\0' && o + 5 < size; i++)
		buf[o++] = t[i] >= 0x20 && t[i] < 0x7f && t[i] != '"' ? (char)t[i] : '?';
	buf[o] = '\0';
}

void sim_why_msg_took(struct sim_kernel *k, int pid, const struct msg_queue *q,
                      const struct msg_rec *rec, long asked, int msgflg)
{
	char what[128], text[40], eligible[160];
	size_t o = 0;
	int n = 0;

	criterion(what, sizeof(what), asked, msgflg);
	text_of(text, sizeof(text), k, rec);
	if (asked >= 0 || (msgflg & MSG_COPY)) {
		sim_why(k, pid, (long)rec->m_ts, asked == 0 ? "OK.msgrcv.first" : "OK.msgrcv.type",
		        "%s: type %ld, \"%s\"", what, rec->m_type, text);
		return;
	}
	eligible[0] = '\0';
	for (const struct msg_rec *r = q->head; r != NULL && o + 24 < sizeof(eligible); r = r->q_next)
		if (r->m_type <= lowest_bound(asked))
			o += (size_t)snprintf(eligible + o, sizeof(eligible) - o, "%s%ld",
			                      n++ > 0 ? ", " : "", r->m_type);
	sim_why(k, pid, (long)rec->m_ts, "OK.msgrcv.lowest",
	        "%s: eligible types %s; the lowest is %ld, the first of them is \"%s\"", what,
	        eligible, rec->m_type, text);
}
