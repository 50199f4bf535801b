/*
 * ipcs.c - `ipcs` (util-linux 2.38.1 sys-utils/ipcs.c + ipcutils.c) over the
 * simulated kernel.
 *
 * The real ipcs reads /proc/sysvipc/{msg,shm,sem} (so an unprivileged user sees every
 * object) and the limits from /proc/sys/kernel; here the same values come
 * from the kernel's read-only views (sim_msg_max_idx, sim_msg_stat_idx,
 * sim_msg_totals) and sim_limit_get.  Only `ipcs -q -i ID` asks IPC_STAT as
 * the shell user, as ipcs does for qbytes, which therefore reads 0 without
 * read permission.
 *
 * Every printf format below is util-linux's, column for column, trailing
 * blanks included; sections come in 2.38.1's order: messages, shared memory
 * (ipcs_shm.c), semaphores (ipcs_sem.c).
 */
#include <errno.h>
#include <string.h>

#include "shell/ipcs_int.h"

enum { OPT_HUMAN = 256 };

static const struct shell_longopt ipcs_longopts[] = {
	{ "id", SHELL_REQ_ARG, 'i' },
	{ "queues", SHELL_NO_ARG, 'q' },
	{ "shmems", SHELL_NO_ARG, 'm' },
	{ "semaphores", SHELL_NO_ARG, 's' },
	{ "all", SHELL_NO_ARG, 'a' },
	{ "time", SHELL_NO_ARG, 't' },
	{ "pid", SHELL_NO_ARG, 'p' },
	{ "creator", SHELL_NO_ARG, 'c' },
	{ "limits", SHELL_NO_ARG, 'l' },
	{ "summary", SHELL_NO_ARG, 'u' },
	{ "human", SHELL_NO_ARG, OPT_HUMAN },
	{ "bytes", SHELL_NO_ARG, 'b' },
	{ "version", SHELL_NO_ARG, 'V' },
	{ "help", SHELL_NO_ARG, 'h' },
	{ NULL, 0, 0 },
};

static const char ipcs_usage[] =
	"\n"
	"Usage:\n"
	" ipcs [resource-option...] [output-option]\n"
	" ipcs -m|-q|-s -i <id>\n"
	"\n"
	"Show information on IPC facilities.\n"
	"\n"
	"Options:\n"
	" -i, --id <id>  print details on resource identified by <id>\n"
	" -h, --help     display this help\n"
	" -V, --version  display version\n"
	"\n"
	"Resource options:\n"
	" -m, --shmems      shared memory segments\n"
	" -q, --queues      message queues\n"
	" -s, --semaphores  semaphores\n"
	" -a, --all         all (default)\n"
	"\n"
	"Output options:\n"
	" -t, --time        show attach, detach and change times\n"
	" -p, --pid         show PIDs of creator and last operator\n"
	" -c, --creator     show creator and owner\n"
	" -l, --limits      show resource limits\n"
	" -u, --summary     show status summary\n"
	"     --human       show sizes in human-readable format\n"
	" -b, --bytes       show sizes in bytes\n"
	"\n"
	"For more details see ipcs(1).\n";

/* ---- helpers (ipcutils.c) ------------------------------------------------ */

void ipcs_print_size(FILE *out, enum ipcs_unit unit, const char *msg, uint64_t size,
                     const char *end, int width)
{
	char human[32];

	if (!msg)
		; /* no label */
	else if (msg[strlen(msg) - 1] == '=')
		fputs(msg, out);
	else if (unit == UNIT_BYTES)
		fprintf(out, "%s (bytes) = ", msg);
	else if (unit == UNIT_KB)
		fprintf(out, "%s (kbytes) = ", msg);
	else
		fprintf(out, "%s = ", msg);

	switch (unit) {
	case UNIT_DEFAULT:
	case UNIT_BYTES:
		fprintf(out, "%*llu", width, (unsigned long long)size);
		break;
	case UNIT_KB:
		fprintf(out, "%*llu", width, (unsigned long long)(size / 1024));
		break;
	case UNIT_HUMAN:
		shell_human_size(size, human);
		fprintf(out, "%*s", width, human);
		break;
	}
	if (end)
		fputs(end, out);
}

void ipcs_print_perms(struct shell_ctx *sh, int id, const struct ipcsim_ipc_perm *p)
{
	FILE *out = sh->out;
	const char *name;

	fprintf(out, "%-10d %-10o", id, p->mode & 0777);
	if ((name = shell_user_name(sh, p->cuid)))
		fprintf(out, " %-10s", name);
	else
		fprintf(out, " %-10u", p->cuid);
	if ((name = shell_group_name(sh, p->cgid)))
		fprintf(out, " %-10s", name);
	else
		fprintf(out, " %-10u", p->cgid);
	if ((name = shell_user_name(sh, p->uid)))
		fprintf(out, " %-10s", name);
	else
		fprintf(out, " %-10u", p->uid);
	if ((name = shell_group_name(sh, p->gid)))
		fprintf(out, " %-10s\n", name);
	else
		fprintf(out, " %-10u\n", p->gid);
}

void ipcs_print_id_owner(struct shell_ctx *sh, const char *idfmt, int id, unsigned uid)
{
	const char *name = shell_user_name(sh, uid);

	fprintf(sh->out, idfmt, id);
	if (name)
		fprintf(sh->out, " %-10.10s", name);
	else
		fprintf(sh->out, " %-10u", uid);
}

void ipcs_print_short_time(FILE *out, long t, const char *end)
{
	char buf[32];

	if (t) {
		shell_ctime(t, buf);
		fprintf(out, " %-20.16s%s", buf + 4, end);
	} else {
		fprintf(out, " %-20.16s%s", "Not set", end);
	}
}

long long ipcs_limit(struct shell_ctx *sh, const char *name)
{
	long long v = 0;

	sim_limit_get(sh->k, name, &v);
	return v;
}

/* ---- message queues ------------------------------------------------------ */

static void do_msg(struct shell_ctx *sh, enum ipcs_format format, enum ipcs_unit unit)
{
	FILE *out = sh->out;

	switch (format) {
	case FMT_LIMITS:
		fprintf(out, "------ Messages Limits --------\n");
		fprintf(out, "max queues system wide = %d\n", (int)ipcs_limit(sh, "msgmni"));
		ipcs_print_size(out, unit == UNIT_DEFAULT ? UNIT_BYTES : unit, "max size of message",
		           (uint64_t)ipcs_limit(sh, "msgmax"), "\n", 0);
		ipcs_print_size(out, unit == UNIT_DEFAULT ? UNIT_BYTES : unit,
		           "default max size of queue", (uint64_t)(int)ipcs_limit(sh, "msgmnb"), "\n", 0);
		return;
	case FMT_STATUS: {
		int queues = 0;
		long messages = 0, bytes = 0;

		/* MSG_INFO: msgpool = queues, msgmap = messages, msgtql = bytes */
		sim_msg_totals(sh->k, &queues, &messages, &bytes);
		fprintf(out, "------ Messages Status --------\n");
		fprintf(out, "allocated queues = %d\n", queues);
		fprintf(out, "used headers = %d\n", (int)messages);
		ipcs_print_size(out, unit, "used space", (uint64_t)(int64_t)(int)bytes,
		           unit == UNIT_DEFAULT ? " bytes\n" : "\n", 0);
		return;
	}
	case FMT_CREATOR:
		fprintf(out, "------ Message Queues Creators/Owners --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s %-10s %-10s\n", "msqid", "perms", "cuid",
		        "cgid", "uid", "gid");
		break;
	case FMT_TIME:
		fprintf(out, "------ Message Queues Send/Recv/Change Times --------\n");
		fprintf(out, "%-8s %-10s %-20s %-20s %-20s\n", "msqid", "owner", "send", "recv",
		        "change");
		break;
	case FMT_PID:
		fprintf(out, "------ Message Queues PIDs --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s\n", "msqid", "owner", "lspid", "lrpid");
		break;
	case FMT_DEFAULT:
		fprintf(out, "------ Message Queues --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s %-12s %-12s\n", "key", "msqid", "owner",
		        "perms", unit == UNIT_HUMAN ? "size" : "used-bytes", "messages");
		break;
	}

	int max = sim_msg_max_idx(sh->k);
	for (int idx = 0; idx <= max; idx++) {
		struct ipcsim_msqid_ds ds;
		long lid = sim_msg_stat_idx(sh->k, idx, &ds);
		int id = (int)lid;

		if (lid < 0)
			continue;
		switch (format) {
		case FMT_CREATOR:
			ipcs_print_perms(sh, id, &ds.msg_perm);
			break;
		case FMT_TIME:
			ipcs_print_id_owner(sh, "%-8d", id, ds.msg_perm.uid);
			ipcs_print_short_time(out, ds.msg_stime, "");
			ipcs_print_short_time(out, ds.msg_rtime, "");
			ipcs_print_short_time(out, ds.msg_ctime, "\n");
			break;
		case FMT_PID:
			ipcs_print_id_owner(sh, "%-8d", id, ds.msg_perm.uid);
			fprintf(out, "  %5d     %5d\n", ds.msg_lspid, ds.msg_lrpid);
			break;
		default:
			fprintf(out, "0x%08x ", ds.msg_perm.key);
			ipcs_print_id_owner(sh, "%-10d", id, ds.msg_perm.uid);
			fprintf(out, " %-10o ", ds.msg_perm.mode & 0777);
			if (unit == UNIT_HUMAN)
				ipcs_print_size(out, unit, NULL, ds.msg_cbytes, "      ", 6);
			else
				ipcs_print_size(out, unit, NULL, ds.msg_cbytes, NULL, -12);
			fprintf(out, " %-12lu\n", ds.msg_qnum);
			break;
		}
	}
}

/* The queue with this id, found as ipcutils' ipc_msg_get_info finds it. */
static int find_msg(struct shell_ctx *sh, int id, struct ipcsim_msqid_ds *ds)
{
	int max = sim_msg_max_idx(sh->k);

	for (int idx = 0; idx <= max; idx++) {
		long lid = sim_msg_stat_idx(sh->k, idx, ds);

		/* a negative id matches the first queue (ipcutils' list mode) */
		if (lid >= 0 && (id < 0 || lid == id))
			return 1;
	}
	return 0;
}

void ipcs_print_long_time(FILE *out, const char *label, long t, int not_set)
{
	char buf[32];

	if (t || !not_set)
		shell_ctime(t, buf);
	else
		strcpy(buf, "Not set");
	fprintf(out, "%s%-26.24s\n", label, buf);
}

static void print_msg(struct shell_ctx *sh, int id, enum ipcs_unit unit)
{
	FILE *out = sh->out;
	struct ipcsim_msqid_ds ds, st;
	unsigned long qbytes = 0;

	if (!find_msg(sh, id, &ds)) {
		fprintf(out, "ipcs: id %d not found\n", id);
		return;
	}
	/* qbytes is not in /proc: ipcs asks IPC_STAT, which needs read permission */
	if (id >= 0 && sim_msgctl(sh->k, 0, id, IPC_STAT, &st, NULL) >= 0)
		qbytes = st.msg_qbytes;

	fprintf(out, "\nMessage Queue msqid=%d\n", id);
	fprintf(out, "uid=%u\tgid=%u\tcuid=%u\tcgid=%u\tmode=%#o\n", ds.msg_perm.uid,
	        ds.msg_perm.gid, ds.msg_perm.cuid, ds.msg_perm.cgid, ds.msg_perm.mode);
	ipcs_print_size(out, unit, unit == UNIT_HUMAN ? "csize=" : "cbytes=", ds.msg_cbytes, "\t", 0);
	ipcs_print_size(out, unit, unit == UNIT_HUMAN ? "qsize=" : "qbytes=", qbytes, "\t", 0);
	fprintf(out, "qnum=%lu\tlspid=%d\tlrpid=%d\n", ds.msg_qnum, ds.msg_lspid, ds.msg_lrpid);
	ipcs_print_long_time(out, "send_time=", ds.msg_stime, 1);
	ipcs_print_long_time(out, "rcv_time=", ds.msg_rtime, 1);
	ipcs_print_long_time(out, "change_time=", ds.msg_ctime, 1);
	fprintf(out, "\n");
}

/* ---- main ---------------------------------------------------------------- */

static int ipcs_run(struct shell_ctx *sh, int argc, char **argv)
{
	int msg = 0, shm = 0, sem = 0, specific = 0, opt, rc;
	int32_t id = 0;
	enum ipcs_format format = FMT_DEFAULT;
	enum ipcs_unit unit = UNIT_DEFAULT;
	struct shell_getopt g;

	shell_getopt_init(&g, argc, argv, "ipcs", "i:qmsatpclubVh", ipcs_longopts, sh->out);
	while ((opt = shell_getopt_next(&g)) != -1) {
		switch (opt) {
		case 'i':
			rc = shell_strtos32(sh, "ipcs", g.optarg, "failed to parse id argument", &id);
			if (rc)
				return rc;
			specific = 1;
			break;
		case 'a': msg = shm = sem = 1; break;
		case 'q': msg = 1; break;
		case 'm': shm = 1; break;
		case 's': sem = 1; break;
		case 't': format = FMT_TIME; break;
		case 'c': format = FMT_CREATOR; break;
		case 'p': format = FMT_PID; break;
		case 'l': format = FMT_LIMITS; break;
		case 'u': format = FMT_STATUS; break;
		case OPT_HUMAN: unit = UNIT_HUMAN; break;
		case 'b': unit = UNIT_BYTES; break;
		case 'h':
			fputs(ipcs_usage, sh->out);
			return SHELL_EXIT(0);
		case 'V':
			fputs("ipcs from util-linux 2.38.1\n", sh->out);
			return SHELL_EXIT(0);
		default:
			return shell_try_help(sh, "ipcs");
		}
	}

	if (specific && msg + shm + sem != 1) {
		fprintf(sh->out, "ipcs: when using an ID, a single resource must be specified\n");
		return SHELL_EXIT(1);
	}
	if (specific) {
		if (msg)
			print_msg(sh, id, unit);
		if (shm)
			return ipcs_print_shm(sh, id, unit);
		if (sem)
			return ipcs_print_sem(sh, id);
		return 0;
	}
	if (!msg && !shm && !sem)
		msg = shm = sem = 1;
	fputs("\n", sh->out);
	if (msg) {
		do_msg(sh, format, unit);
		fputs("\n", sh->out);
	}
	if (shm) {
		ipcs_do_shm(sh, format, unit);
		fputs("\n", sh->out);
	}
	if (sem) {
		ipcs_do_sem(sh, format);
		fputs("\n", sh->out);
	}
	return 0;
}

int shell_ipcs_main(struct shell_ctx *sh, int argc, char **argv)
{
	int rc = ipcs_run(sh, argc, argv);

	return shell_is_exit(rc) ? shell_exit_status(rc) : rc;
}
