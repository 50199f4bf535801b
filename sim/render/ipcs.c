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
 * blanks included; sections come in 2.38.1's order: messages, shared memory,
 * semaphores.  Shared memory and semaphores are not simulated yet: their
 * sections print headers (an empty namespace), their -i says "not found",
 * their totals are 0.  Their rows slot into do_shm/do_sem/print_shm/print_sem.
 */
#include <errno.h>
#include <string.h>

#include "render/shell_int.h"

enum ipcs_format { FMT_DEFAULT, FMT_LIMITS, FMT_STATUS, FMT_CREATOR, FMT_TIME, FMT_PID };
enum ipcs_unit { UNIT_DEFAULT, UNIT_BYTES, UNIT_KB, UNIT_HUMAN };

#define SIM_PAGE_SIZE 4096ULL /* getpagesize() of the simulated machine (x86_64) */
#define LINUX_SEMVMX 32767
#define LINUX_SHMMIN 1

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

/* ipc_print_size(): "MSG (bytes) = N" and friends; width as its printf's. */
static void print_size(FILE *out, enum ipcs_unit unit, const char *msg, uint64_t size,
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

/* ipc_print_perms(): the -c row. */
static void print_perms(struct shell_ctx *sh, int id, const struct sim_ipc_perm *p)
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

/* "%-8d %-10.10s" or "%-10d %-10.10s": id and owner name, or the uid. */
static void print_id_owner(struct shell_ctx *sh, const char *idfmt, int id, unsigned uid)
{
	const char *name = shell_user_name(sh, uid);

	fprintf(sh->out, idfmt, id);
	if (name)
		fprintf(sh->out, " %-10.10s", name);
	else
		fprintf(sh->out, " %-10u", uid);
}

/* " %-20.16s" of ctime()+4 ("Nov 22 13:18:15 "), or "Not set". */
static void print_short_time(FILE *out, long t, const char *end)
{
	char buf[32];

	if (t) {
		shell_ctime(t, buf);
		fprintf(out, " %-20.16s%s", buf + 4, end);
	} else {
		fprintf(out, " %-20.16s%s", "Not set", end);
	}
}

static long limit(struct shell_ctx *sh, const char *name)
{
	long long v = 0;

	sim_limit_get(sh->k, name, &v);
	return (long)v;
}

/* shmmax/shmall are unsigned long in Linux; LLONG_MAX stands for its
 * default ULONG_MAX - 2^24, which the kernel API cannot hold (procfs.c). */
static uint64_t limit_ulong(struct shell_ctx *sh, const char *name)
{
	long long v = 0;

	sim_limit_get(sh->k, name, &v);
	if (v == 0x7fffffffffffffffLL)
		return 18446744073692774399ULL;
	return (uint64_t)v;
}

/* ---- message queues ------------------------------------------------------ */

static void do_msg(struct shell_ctx *sh, enum ipcs_format format, enum ipcs_unit unit)
{
	FILE *out = sh->out;

	switch (format) {
	case FMT_LIMITS:
		fprintf(out, "------ Messages Limits --------\n");
		fprintf(out, "max queues system wide = %d\n", (int)limit(sh, "msgmni"));
		print_size(out, unit == UNIT_DEFAULT ? UNIT_BYTES : unit, "max size of message",
		           (uint64_t)limit(sh, "msgmax"), "\n", 0);
		print_size(out, unit == UNIT_DEFAULT ? UNIT_BYTES : unit,
		           "default max size of queue", (uint64_t)(int)limit(sh, "msgmnb"), "\n", 0);
		return;
	case FMT_STATUS: {
		int queues = 0;
		long messages = 0, bytes = 0;

		/* MSG_INFO: msgpool = queues, msgmap = messages, msgtql = bytes */
		sim_msg_totals(sh->k, &queues, &messages, &bytes);
		fprintf(out, "------ Messages Status --------\n");
		fprintf(out, "allocated queues = %d\n", queues);
		fprintf(out, "used headers = %d\n", (int)messages);
		print_size(out, unit, "used space", (uint64_t)(int64_t)(int)bytes,
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
		struct sim_msqid_ds ds;
		long lid = sim_msg_stat_idx(sh->k, idx, &ds);
		int id = (int)lid;

		if (lid < 0)
			continue;
		switch (format) {
		case FMT_CREATOR:
			print_perms(sh, id, &ds.msg_perm);
			break;
		case FMT_TIME:
			print_id_owner(sh, "%-8d", id, ds.msg_perm.uid);
			print_short_time(out, ds.msg_stime, "");
			print_short_time(out, ds.msg_rtime, "");
			print_short_time(out, ds.msg_ctime, "\n");
			break;
		case FMT_PID:
			print_id_owner(sh, "%-8d", id, ds.msg_perm.uid);
			fprintf(out, "  %5d     %5d\n", ds.msg_lspid, ds.msg_lrpid);
			break;
		default:
			fprintf(out, "0x%08x ", ds.msg_perm.key);
			print_id_owner(sh, "%-10d", id, ds.msg_perm.uid);
			fprintf(out, " %-10o ", ds.msg_perm.mode & 0777);
			if (unit == UNIT_HUMAN)
				print_size(out, unit, NULL, ds.msg_cbytes, "      ", 6);
			else
				print_size(out, unit, NULL, ds.msg_cbytes, NULL, -12);
			fprintf(out, " %-12lu\n", ds.msg_qnum);
			break;
		}
	}
}

/* The queue with this id, found as ipcutils' ipc_msg_get_info finds it. */
static int find_msg(struct shell_ctx *sh, int id, struct sim_msqid_ds *ds)
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

static void print_long_time(FILE *out, const char *label, long t)
{
	char buf[32];

	if (t)
		shell_ctime(t, buf);
	else
		strcpy(buf, "Not set");
	fprintf(out, "%s=%-26.24s\n", label, buf);
}

static void print_msg(struct shell_ctx *sh, int id, enum ipcs_unit unit)
{
	FILE *out = sh->out;
	struct sim_msqid_ds ds, st;
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
	print_size(out, unit, unit == UNIT_HUMAN ? "csize=" : "cbytes=", ds.msg_cbytes, "\t", 0);
	print_size(out, unit, unit == UNIT_HUMAN ? "qsize=" : "qbytes=", qbytes, "\t", 0);
	fprintf(out, "qnum=%lu\tlspid=%d\tlrpid=%d\n", ds.msg_qnum, ds.msg_lspid, ds.msg_lrpid);
	print_long_time(out, "send_time", ds.msg_stime);
	print_long_time(out, "rcv_time", ds.msg_rtime);
	print_long_time(out, "change_time", ds.msg_ctime);
	fprintf(out, "\n");
}

/* ---- shared memory ------------------------------------------------------- */

static void do_shm(struct shell_ctx *sh, enum ipcs_format format, enum ipcs_unit unit)
{
	FILE *out = sh->out;

	switch (format) {
	case FMT_LIMITS: {
		uint64_t shmall = limit_ulong(sh, "shmall"), shmmax = limit_ulong(sh, "shmmax");
		uint64_t tmp, pgsz = SIM_PAGE_SIZE;

		fprintf(out, "------ Shared Memory Limits --------\n");
		fprintf(out, "max number of segments = %llu\n",
		        (unsigned long long)limit(sh, "shmmni"));
		print_size(out, unit == UNIT_DEFAULT ? UNIT_KB : unit, "max seg size", shmmax,
		           "\n", 0);
		if (unit == UNIT_KB || unit == UNIT_DEFAULT) {
			tmp = shmall * (pgsz / 1024);
			if (shmall != 0 && tmp / shmall != pgsz / 1024)
				tmp = UINT64_MAX - (UINT64_MAX % (pgsz / 1024));
			print_size(out, UNIT_DEFAULT, "max total shared memory (kbytes)", tmp, "\n", 0);
		} else {
			tmp = shmall * pgsz;
			/* util-linux: "at least we don't print ridiculous small values" */
			if (shmall != 0 && tmp / shmall != pgsz)
				tmp = UINT64_MAX - (UINT64_MAX % pgsz);
			print_size(out, unit, "max total shared memory", tmp, "\n", 0);
		}
		print_size(out, unit == UNIT_DEFAULT ? UNIT_BYTES : unit, "min seg size",
		           LINUX_SHMMIN, "\n", 0);
		return;
	}
	case FMT_STATUS:
		/* SHM_INFO of a namespace without segments */
		fprintf(out, "------ Shared Memory Status --------\n");
		fprintf(out, "segments allocated %d\n"
		             "pages allocated %ld\n"
		             "pages resident  %ld\n"
		             "pages swapped   %ld\n"
		             "Swap performance: %ld attempts\t %ld successes\n",
		        0, 0L, 0L, 0L, 0L, 0L);
		return;
	case FMT_CREATOR:
		fprintf(out, "------ Shared Memory Segment Creators/Owners --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s %-10s %-10s\n", "shmid", "perms", "cuid",
		        "cgid", "uid", "gid");
		break;
	case FMT_TIME:
		fprintf(out, "------ Shared Memory Attach/Detach/Change Times --------\n");
		fprintf(out, "%-10s %-10s %-20s %-20s %-20s\n", "shmid", "owner", "attached",
		        "detached", "changed");
		break;
	case FMT_PID:
		fprintf(out, "------ Shared Memory Creator/Last-op PIDs --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s\n", "shmid", "owner", "cpid", "lpid");
		break;
	case FMT_DEFAULT:
		fprintf(out, "------ Shared Memory Segments --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s %-10s %-10s %-12s\n", "key", "shmid", "owner",
		        "perms", unit == UNIT_HUMAN ? "size" : "bytes", "nattch", "status");
		break;
	}
	/* segment rows: none until shared memory is simulated */
}

static void print_shm(struct shell_ctx *sh, int id, enum ipcs_unit unit)
{
	fprintf(sh->out, "ipcs: id %d not found\n", id);
}

/* ---- semaphores ---------------------------------------------------------- */

static void do_sem(struct shell_ctx *sh, enum ipcs_format format)
{
	FILE *out = sh->out;

	switch (format) {
	case FMT_LIMITS:
		fprintf(out, "------ Semaphore Limits --------\n");
		fprintf(out, "max number of arrays = %d\n", (int)limit(sh, "semmni"));
		fprintf(out, "max semaphores per array = %d\n", (int)limit(sh, "semmsl"));
		fprintf(out, "max semaphores system wide = %d\n", (int)limit(sh, "semmns"));
		fprintf(out, "max ops per semop call = %d\n", (int)limit(sh, "semopm"));
		fprintf(out, "semaphore max value = %u\n", LINUX_SEMVMX);
		return;
	case FMT_STATUS:
		fprintf(out, "------ Semaphore Status --------\n");
		fprintf(out, "used arrays = %d\n", 0);
		fprintf(out, "allocated semaphores = %d\n", 0);
		return;
	case FMT_CREATOR:
		fprintf(out, "------ Semaphore Arrays Creators/Owners --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s %-10s %-10s\n", "semid", "perms", "cuid",
		        "cgid", "uid", "gid");
		break;
	case FMT_TIME:
		fprintf(out, "------ Semaphore Operation/Change Times --------\n");
		fprintf(out, "%-8s %-10s %-26.24s %-26.24s\n", "semid", "owner", "last-op",
		        "last-changed");
		break;
	case FMT_PID:
		/* ipcs -p has no semaphore section, only its trailing blank line */
		return;
	case FMT_DEFAULT:
		fprintf(out, "------ Semaphore Arrays --------\n");
		fprintf(out, "%-10s %-10s %-10s %-10s %-10s\n", "key", "semid", "owner", "perms",
		        "nsems");
		break;
	}
	/* array rows: none until semaphores are simulated */
}

static void print_sem(struct shell_ctx *sh, int id)
{
	fprintf(sh->out, "ipcs: id %d not found\n", id);
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
			print_shm(sh, id, unit);
		if (sem)
			print_sem(sh, id);
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
		do_shm(sh, format, unit);
		fputs("\n", sh->out);
	}
	if (sem) {
		do_sem(sh, format);
		fputs("\n", sh->out);
	}
	return 0;
}

int shell_ipcs_main(struct shell_ctx *sh, int argc, char **argv)
{
	int rc = ipcs_run(sh, argc, argv);

	return shell_is_exit(rc) ? shell_exit_status(rc) : rc;
}
