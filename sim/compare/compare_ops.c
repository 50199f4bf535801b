/*
 * compare_ops.c - the message-queue calls of the comparing backend: each on
 * the simulator, then on the host with the pid translated, then compared
 * (compare_backend.c holds the common step, processes and events).
 *
 * One subtlety per call lives here: a partial IPC_SET must reach the host
 * with the host's own values for the fields the scenario did not name, and
 * an IPC_SET the host refused only for want of CAP_SYS_RESOURCE is replayed
 * with msgmnb raised, so the steps after it stay comparable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_int.h"
#include "ipcsim/types.h"

/* flags as C would write them: "IPC_NOWAIT|MSG_NOERROR", "IPC_CREAT|0666", "0". */
static const char *flags_text(int flags, char *buf, size_t len)
{
	static const struct {
		int bit;
		const char *name;
	} names[] = {
		{ IPC_CREAT, "IPC_CREAT" },     { IPC_EXCL, "IPC_EXCL" },
		{ IPC_NOWAIT, "IPC_NOWAIT" },   { MSG_NOERROR, "MSG_NOERROR" },
		{ MSG_EXCEPT, "MSG_EXCEPT" },   { MSG_COPY, "MSG_COPY" },
	};
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit))
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "|" : "", names[i].name);
		flags &= ~names[i].bit;
		if (o >= len)
			return buf;
	}
	if (flags != 0 || o == 0)
		snprintf(buf + o, len - o, "%s%s%o", o ? "|" : "", flags ? "0" : "", (unsigned)flags);
	return buf;
}

int cmp_ftok(void *ctx, int pid, const char *path, int proj, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[320];
	int hpid;

	if (cb->sim->ops->ftok(cb->sim->ctx, pid, path, proj, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "ftok(\"%s\", %d)", path, proj);
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_KEY, r,
	       cb->host->ops->ftok(cb->host->ctx, hpid, path, proj, &hr), &hr);
	return 0;
}

int cmp_msgget(void *ctx, int pid, long key, int flags, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[96];
	char fl[96];
	int hpid;

	if (cb->sim->ops->msgget(cb->sim->ctx, pid, key, flags, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "msgget(%#lx, %s)", (unsigned long)(uint32_t)key,
	         flags_text(flags, fl, sizeof(fl)));
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	       cb->host->ops->msgget(cb->host->ctx, hpid, key, flags, &hr), &hr);
	return 0;
}

int cmp_msgsnd(void *ctx, int pid, int id, const struct backend_msg *m, size_t size,
                      int flags, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[128];
	char fl[96];
	int hpid;

	if (cb->sim->ops->msgsnd(cb->sim->ctx, pid, id, m, size, flags, r) < 0)
		return -1;
	if (m != NULL)
		snprintf(call, sizeof(call), "msgsnd(%d, {mtype=%ld, %zu bytes}, %zu, %s)", id,
		         m->mtype, m->len, size, flags_text(flags, fl, sizeof(fl)));
	else
		snprintf(call, sizeof(call), "msgsnd(%d, NULL, %zu, %s)", id, size,
		         flags_text(flags, fl, sizeof(fl)));
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	       cb->host->ops->msgsnd(cb->host->ctx, hpid, id, m, size, flags, &hr), &hr);
	return 0;
}

int cmp_msgrcv(void *ctx, int pid, int id, enum backend_buf buf, size_t size, long type,
                      int flags, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[128];
	char fl[96];
	int hpid;

	if (cb->sim->ops->msgrcv(cb->sim->ctx, pid, id, buf, size, type, flags, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "msgrcv(%d, %s, %zu, %ld, %s)", id,
	         buf == BACKEND_BUF_NULL ? "NULL" : "&m", size, type,
	         flags_text(flags, fl, sizeof(fl)));
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	       cb->host->ops->msgrcv(cb->host->ctx, hpid, id, buf, size, type, flags, &hr), &hr);
	return 0;
}

static const char *msgctl_cmd_name(int cmd)
{
	switch (cmd) {
	case IPC_RMID: return "IPC_RMID";
	case IPC_SET: return "IPC_SET";
	case IPC_STAT: return "IPC_STAT";
	case IPC_INFO: return "IPC_INFO";
	case MSG_STAT: return "MSG_STAT";
	case MSG_INFO: return "MSG_INFO";
	case MSG_STAT_ANY: return "MSG_STAT_ANY";
	default: return NULL;
	}
}

/*
 * The IPC_SET struct for the host.  The interpreter filled ds from the
 * simulator's current state and overlaid the fields the scenario names; the
 * host must get its OWN current values for the others, or a simulator that
 * keeps a wrong qbytes would hand it to the kernel and hide the bug.  The
 * fields the scenario changed are those that differ from what msg_current
 * gave; with a whole struct (&ds) there is no msg_current and ds goes as is.
 */
static void host_set_ds(struct compare_backend *cb, int id, const struct ipcsim_msqid_ds *ds,
                        struct ipcsim_msqid_ds *out)
{
	const struct ipcsim_msqid_ds *cur = &cb->cur_ds;

	*out = *ds;
	if (!cb->cur_valid || cb->cur_id != id ||
	    cb->host->ops->msg_current(cb->host->ctx, id, out) != 0) {
		*out = *ds;
		return;
	}
	if (ds->msg_perm.uid != cur->msg_perm.uid)
		out->msg_perm.uid = ds->msg_perm.uid;
	if (ds->msg_perm.gid != cur->msg_perm.gid)
		out->msg_perm.gid = ds->msg_perm.gid;
	if (ds->msg_perm.mode != cur->msg_perm.mode)
		out->msg_perm.mode = ds->msg_perm.mode;
	if (ds->msg_qbytes != cur->msg_qbytes)
		out->msg_qbytes = ds->msg_qbytes;
}

/* A limit of the host's namespace, read as its sysctl file; -1 if unknown. */
static long long host_limit(struct compare_backend *cb, const char *name)
{
	struct backend_creds root = { 0, 0, SIM_CAP_ALL };
	char cmd[64], *out;
	int status = 0;
	long long v = -1;

	snprintf(cmd, sizeof(cmd), "cat /proc/sys/kernel/%s", name);
	out = cmp_shell_capture(cb->host, &root, NULL, cmd, &status);
	if (out != NULL && status == 0 && out[0] >= '0' && out[0] <= '9')
		v = strtoll(out, NULL, 10);
	free(out);
	cmp_events_discard(cb->host);
	return v;
}

/*
 * The simulator let a privileged process raise msg_qbytes above msgmnb;
 * the host refused because it cannot grant CAP_SYS_RESOURCE.  The step is
 * skipped either way, but without help every later step would differ only
 * because of it.  So the host replays the call with kernel.msgmnb raised
 * to the asked qbytes for that one call (the namespace's own sysctl, which
 * its root may write), then puts msgmnb back: the queue ends as the
 * simulator says, and what follows is compared for real.
 */
static void level_qbytes(struct compare_backend *cb, int hpid, int id,
                         const struct ipcsim_msqid_ds *hds)
{
	struct backend_result again;
	long long old = host_limit(cb, "msgmnb");

	if (old < 0 || (long long)hds->msg_qbytes <= old ||
	    cb->host->ops->limit_set(cb->host->ctx, "msgmnb", (long long)hds->msg_qbytes) != 0)
		return;
	memset(&again, 0, sizeof(again));
	if (cb->host->ops->msgctl(cb->host->ctx, hpid, id, IPC_SET, BACKEND_BUF_VALID, hds,
	                          &again) >= 0 && again.ret == 0)
		snprintf(cb->skip_extra, sizeof(cb->skip_extra), "; to keep the later steps "
		         "comparable the host replayed it with kernel.msgmnb raised to %lu for "
		         "that call", hds->msg_qbytes);
	backend_result_release(&again);
	cb->host->ops->limit_set(cb->host->ctx, "msgmnb", old);
	cmp_events_discard(cb->host);
}

int cmp_msgctl(void *ctx, int pid, int id, int cmd, enum backend_buf buf,
                      const struct ipcsim_msqid_ds *ds, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	struct ipcsim_msqid_ds hds;
	const char *name = msgctl_cmd_name(cmd);
	char call[128], cmdnum[16];
	int hpid, hrc;

	if (cb->sim->ops->msgctl(cb->sim->ctx, pid, id, cmd, buf, ds, r) < 0)
		return -1;
	snprintf(cmdnum, sizeof(cmdnum), "%d", cmd);
	snprintf(call, sizeof(call), "msgctl(%d, %s, %s)", id, name != NULL ? name : cmdnum,
	         buf == BACKEND_BUF_NULL ? "NULL" : cmd == IPC_SET ? "{...}" : "&buf");
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cb->cur_valid = 0;
		cmp_sim_only_events(cb);
		return 0;
	}
	if (cmd == IPC_SET && ds != NULL)
		host_set_ds(cb, id, ds, &hds);
	cb->cur_valid = 0;
	hrc = cb->host->ops->msgctl(cb->host->ctx, hpid, id, cmd, buf,
	                            cmd == IPC_SET && ds != NULL ? &hds : ds, &hr);
	if (hrc == BACKEND_OP_SKIPPED && cmd == IPC_SET && ds != NULL && r->ret == 0 &&
	    hr.ret == -1 && hr.err == EPERM)
		level_qbytes(cb, hpid, id, &hds);
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r, hrc, &hr);
	cb->skip_extra[0] = '\0';
	return 0;
}

int cmp_msg_current(void *ctx, int id, struct ipcsim_msqid_ds *ds)
{
	struct compare_backend *cb = ctx;
	int rc = cb->sim->ops->msg_current(cb->sim->ctx, id, ds);

	cb->cur_valid = rc == 0;
	cb->cur_id = id;
	if (rc == 0)
		cb->cur_ds = *ds;
	return rc;
}

