/*
 * compare_result.c - one side's result against the other's, by the rules of
 * ipcsim/compare.h (the report prints results with the strace printer,
 * ipcsim/strace.h).
 *
 * What is compared raw and what through a mapping is a choice per value:
 * return values, errnos, ids, sizes, modes and uids are the model itself
 * (a fresh IPC namespace numbers and sizes as the simulator does); pids go
 * through the comparer's process table; keys through bindings made at
 * first appearance (the host backend hands back the scenario's ftok keys,
 * so they bind to themselves, but a real key may still show elsewhere);
 * times only by relation, because the host's clock is the machine's and
 * the simulator's starts in 2026 and moves only with sleep().
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_int.h"

int cmp_bind(struct cmp_bindings *t, uint32_t sim, uint32_t host)
{
	for (int i = 0; i < t->n; i++) {
		if (t->v[i].sim == sim || t->v[i].host == host)
			return t->v[i].sim == sim && t->v[i].host == host;
	}
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 8;
		struct cmp_binding *bigger = realloc(t->v, (size_t)cap * sizeof(*bigger));

		if (bigger == NULL)
			return sim == host; /* out of memory: fall back to raw */
		t->v = bigger;
		t->cap = cap;
	}
	t->v[t->n].sim = sim;
	t->v[t->n].host = host;
	t->n++;
	return 1;
}

/* "P2: <... msgrcv resumed> = 2 {...}" or "P2: +++ killed by SIGTERM +++"
 * (pid when no name is known). */
static void print_event(FILE *w, struct compare_backend *cb, const struct backend_event *ev,
                        int sim_pid)
{
	const char *name = cb->names != NULL && cb->names->proc_name != NULL
	                           ? cb->names->proc_name(cb->names->ctx, sim_pid)
	                           : NULL;

	if (name != NULL)
		fprintf(w, "%s: ", name);
	else
		fprintf(w, "pid %d: ", sim_pid);
	if (ev->kind == BACKEND_EV_KILLED)
		strace_print_killed(w, ev->sig);
	else
		strace_print_resumed(w, ev->call, &ev->r);
}

/* ---- comparing ----------------------------------------------------------------- */

void cmp_differs(FILE *w, int *n, const char *fmt, ...)
{
	va_list ap;

	fputs(*n > 0 ? "; " : "", w);
	va_start(ap, fmt);
	vfprintf(w, fmt, ap);
	va_end(ap);
	(*n)++;
}

int cmp_pids_agree(const struct compare_backend *cb, int s, int h)
{
	if (s <= 0 || h <= 0)
		return s == h;
	return cmp_host_pid(cb, s) == h;
}

static int texts_agree(const struct backend_msg *a, const struct backend_msg *b)
{
	size_t la = a->len, lb = b->len;

	while (la > 0 && a->text[la - 1] == '\0')
		la--;
	while (lb > 0 && b->text[lb - 1] == '\0')
		lb--;
	return la == lb && (la == 0 || memcmp(a->text, b->text, la) == 0);
}

void cmp_times_compare(FILE *w, int *n, const char *const names[3], const long s[3],
                       const long h[3])
{
	for (int i = 0; i < 3; i++)
		if ((s[i] == 0) != (h[i] == 0))
			cmp_differs(w, n, "%s: %s on the simulator, %s on the kernel", names[i],
			            s[i] ? "set" : "unset", h[i] ? "set" : "unset");
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			if (i != j && s[i] && s[j] && h[i] && h[j] && s[i] > s[j] && h[i] < h[j])
				cmp_differs(w, n, "%s is later than %s on the simulator, earlier on "
				            "the kernel", names[i], names[j]);
}

static void ds_compare(struct compare_backend *cb, FILE *w, int *n,
                       const struct ipcsim_msqid_ds *s, const struct ipcsim_msqid_ds *h)
{
	static const char *const names[3] = { "msg_stime", "msg_rtime", "msg_ctime" };
	const long st[3] = { s->msg_stime, s->msg_rtime, s->msg_ctime };
	const long ht[3] = { h->msg_stime, h->msg_rtime, h->msg_ctime };

	if (!cmp_bind(&cb->keys, s->msg_perm.key, h->msg_perm.key))
		cmp_differs(w, n, "msg_perm.key: %#x is bound to another key", s->msg_perm.key);
#define SAME(f, fmt)                                                                   \
	do {                                                                           \
		if (s->f != h->f)                                                      \
			cmp_differs(w, n, #f ": " fmt " vs " fmt, s->f, h->f);             \
	} while (0)
	SAME(msg_perm.uid, "%u");
	SAME(msg_perm.gid, "%u");
	SAME(msg_perm.cuid, "%u");
	SAME(msg_perm.cgid, "%u");
	SAME(msg_perm.mode, "%#o");
	SAME(msg_perm.seq, "%u");
	SAME(msg_cbytes, "%lu");
	SAME(msg_qnum, "%lu");
	SAME(msg_qbytes, "%lu");
#undef SAME
	if (!cmp_pids_agree(cb, s->msg_lspid, h->msg_lspid))
		cmp_differs(w, n, "msg_lspid: %d vs %d", s->msg_lspid, h->msg_lspid);
	if (!cmp_pids_agree(cb, s->msg_lrpid, h->msg_lrpid))
		cmp_differs(w, n, "msg_lrpid: %d vs %d", s->msg_lrpid, h->msg_lrpid);
	cmp_times_compare(w, n, names, st, ht);
}

void cmp_fields_compare(FILE *w, int *n, const struct strace_field *f, const void *s,
                        const void *h)
{
	for (; f->name != NULL; f++) {
		long long sv = strace_field_value(f, s), hv = strace_field_value(f, h);

		if (sv != hv)
			cmp_differs(w, n, f->fmt == 'u' ? "%s: %llu vs %llu" : "%s: %lld vs %lld",
			            f->name, sv, hv);
	}
}

/* The errno's name, or its number in buf. */
static const char *errno_text(int err, char buf[16])
{
	const char *name = strace_errno_name(err);

	if (name != NULL)
		return name;
	snprintf(buf, 16, "%d", err);
	return buf;
}

static void ret_compare(struct compare_backend *cb, FILE *w, int *n, enum cmp_ret_kind kind,
                        const struct backend_result *s, const struct backend_result *h)
{
	char sbuf[16], hbuf[16];
	long s_off, h_off;
	int same;

	if (s->ret == -1 || h->ret == -1) {
		if (s->ret != h->ret)
			cmp_differs(w, n, "the call %s on the simulator and %s on the kernel",
			        s->ret == -1 ? "fails" : "succeeds", h->ret == -1 ? "fails" : "succeeds");
		else if (s->err != h->err)
			cmp_differs(w, n, "errno: %s vs %s", errno_text(s->err, sbuf),
			            errno_text(h->err, hbuf));
		return;
	}
	switch (kind) {
	case CMP_RET_PID:
		same = cmp_pids_agree(cb, (int)s->ret, (int)h->ret);
		break;
	case CMP_RET_KEY:
		same = cmp_bind(&cb->keys, (uint32_t)s->ret, (uint32_t)h->ret);
		break;
	case CMP_RET_ADDR:
		/* Each side's own address (the comparer binds the two), but where
		 * it lies from the address asked for is the model. */
		s_off = (long)((unsigned long)s->ret - cb->shmat_sim_asked);
		h_off = (long)((unsigned long)h->ret - cb->shmat_host_asked);
		if (cb->shmat_sim_asked == 0) {
			s_off &= (long)(CMP_PAGE_SIZE - 1);
			h_off &= (long)(CMP_PAGE_SIZE - 1);
		}
		if (s_off != h_off)
			cmp_differs(w, n, "the address lies %+ld bytes from the address asked for "
			            "on the simulator, %+ld on the kernel", s_off, h_off);
		return;
	default:
		same = s->ret == h->ret;
		break;
	}
	if (!same)
		cmp_differs(w, n, "return value: %ld vs %ld", s->ret, h->ret);
}

int cmp_results(struct compare_backend *cb, const char *call, enum cmp_ret_kind kind,
                const struct backend_result *s, const struct backend_result *h, char **why)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);
	int n = 0;

	*why = NULL;
	if (w == NULL)
		return 1;
	if (s->blocked != h->blocked) {
		cmp_differs(w, &n, "the call %s on the simulator and %s on the kernel",
		        s->blocked ? "sleeps" : "returns", h->blocked ? "sleeps" : "returns");
	} else if (s->killed || h->killed) {
		if (s->killed != h->killed)
			cmp_differs(w, &n, "the call %s on the simulator and %s on the kernel",
			            s->killed ? "kills its process" : "returns",
			            h->killed ? "kills its process" : "returns");
	} else if (!s->blocked) {
		ret_compare(cb, w, &n, kind, s, h);
		if (n == 0 && s->has_msg != h->has_msg)
			cmp_differs(w, &n, "a message is received on one side only");
		else if (n == 0 && s->has_msg &&
		         (s->msg.mtype != h->msg.mtype || !texts_agree(&s->msg, &h->msg)))
			cmp_differs(w, &n, "the received message differs");
		if (n == 0 && s->has_ds != h->has_ds)
			cmp_differs(w, &n, "a msqid_ds is filled on one side only");
		else if (n == 0 && s->has_ds)
			ds_compare(cb, w, &n, &s->ds, &h->ds);
		if (n == 0 && s->has_info != h->has_info)
			cmp_differs(w, &n, "a msginfo is filled on one side only");
		else if (n == 0 && s->has_info)
			cmp_fields_compare(w, &n, strace_msginfo_fields, &s->info, &h->info);
		if (n == 0)
			cmp_ipc_payload_compare(cb, w, &n, s, h);
	}
	fclose(w);
	if (n == 0) {
		free(buf);
		return 1;
	}
	*why = buf;
	return 0;
}

/* ---- events as sets ------------------------------------------------------------ */

static int event_agrees(struct compare_backend *cb, const struct backend_event *s,
                        const struct backend_event *h, int h_sim_pid)
{
	char *why = NULL;
	int same;

	if (s->kind != h->kind || s->pid != h_sim_pid)
		return 0;
	if (s->kind == BACKEND_EV_KILLED)
		return s->sig == h->sig;
	if (strcmp(s->call, h->call) != 0)
		return 0;
	same = cmp_results(cb, s->call, CMP_RET_PLAIN, &s->r, &h->r, &why);
	free(why);
	return same;
}

static char *events_text(struct compare_backend *cb, const struct cmp_events *e, int host)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	if (w == NULL)
		return NULL;
	for (int i = e->next; i < e->n; i++) {
		int pid = host ? cmp_sim_pid(cb, e->v[i].pid) : e->v[i].pid;

		print_event(w, cb, &e->v[i], pid);
		fputc('\n', w);
	}
	if (e->n == e->next)
		fputs("(none)\n", w);
	fclose(w);
	return buf;
}

int cmp_events_equal(struct compare_backend *cb, struct cmp_events *s, struct cmp_events *h,
                     char **sim_out, char **host_out, char **why)
{
	int ns = s->n - s->next, nh = h->n - h->next, matched = 0;
	char *used = calloc((size_t)(nh > 0 ? nh : 1), 1);

	*sim_out = *host_out = *why = NULL;
	if (used == NULL)
		return 1;
	for (int i = s->next; i < s->n; i++) {
		for (int j = 0; j < nh; j++) {
			const struct backend_event *he = &h->v[h->next + j];

			if (!used[j] && event_agrees(cb, &s->v[i], he, cmp_sim_pid(cb, he->pid))) {
				used[j] = 1;
				matched++;
				break;
			}
		}
	}
	free(used);
	if (matched == ns && matched == nh)
		return 1;
	*sim_out = events_text(cb, s, 0);
	*host_out = events_text(cb, h, 1);
	*why = strdup("the processes woken or ended by this step differ (compared as sets)");
	return 0;
}
