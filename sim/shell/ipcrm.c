/*
 * ipcrm.c - `ipcrm` (util-linux 2.38.1 sys-utils/ipcrm.c) over the simulated
 * kernel.
 *
 * Removal goes through the kernel as the shell process (pid 0, with the
 * credentials of the `$` line), so permission errors come from the kernel's
 * own IPC_RMID checks: the owner, the creator or CAP_SYS_ADMIN may remove.
 * `-a` finds objects the way ipcrm does, with MSG_STAT, so it only tries
 * what the user may read, and removes shared memory, then semaphores, then
 * queues (checked on 2.38.1, whatever older notes say).
 *
 * Quirks kept on purpose, because users see them: options act in command
 * line order and the first unparsable number ends the run (earlier removals
 * stay done); `-v` announces a removal before trying it; "permission denied
 * for key (2)" prints the id; the old syntax `ipcrm msg ID...` prints
 * "resource(s) deleted" only when every id went.
 *
 * A shared memory segment that is still attached is only marked for
 * destruction by IPC_RMID (SHM_DEST, key 0): ipcrm reports success, and the
 * segment stays visible in `ipcs -m` as "dest" until its last detach.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shell/shell_int.h"

enum rm_type { RM_SHM, RM_SEM, RM_MSG, RM_ALL };

/* What ipcrm needs from the kernel for one kind of object. */
struct rm_ops {
	const char *what; /* for "removing %s id `%d'" */
	long (*rmid)(struct shell_ctx *sh, int id);
	long (*key_to_id)(struct shell_ctx *sh, int key); /* xxxget(key, 0) */
	long (*max_idx)(struct shell_ctx *sh);            /* xxx_INFO */
	long (*stat_idx)(struct shell_ctx *sh, int idx);  /* xxx_STAT: the id */
};

static long msg_rmid(struct shell_ctx *sh, int id)
{
	return sim_msgctl(sh->k, 0, id, IPC_RMID, NULL, NULL);
}

static long msg_key_to_id(struct shell_ctx *sh, int key)
{
	return sim_msgget(sh->k, 0, key, 0);
}

static long msg_max_idx(struct shell_ctx *sh)
{
	struct ipcsim_msginfo info;
	return sim_msgctl(sh->k, 0, 0, MSG_INFO, NULL, &info);
}

static long msg_stat_idx(struct shell_ctx *sh, int idx)
{
	struct ipcsim_msqid_ds ds;
	return sim_msgctl(sh->k, 0, idx, MSG_STAT, &ds, NULL);
}

static long shm_rmid(struct shell_ctx *sh, int id)
{
	return sim_shmctl(sh->k, 0, id, IPC_RMID, NULL, NULL, NULL);
}

static long shm_key_to_id(struct shell_ctx *sh, int key)
{
	return sim_shmget(sh->k, 0, key, 0, 0);
}

static long shm_max_idx(struct shell_ctx *sh)
{
	struct ipcsim_shm_info info;
	return sim_shmctl(sh->k, 0, 0, SHM_INFO, NULL, NULL, &info);
}

static long shm_stat_idx(struct shell_ctx *sh, int idx)
{
	struct ipcsim_shmid_ds ds;
	return sim_shmctl(sh->k, 0, idx, SHM_STAT, &ds, NULL, NULL);
}

static long sem_rmid(struct shell_ctx *sh, int id)
{
	struct sim_semctl_arg arg = { 0 };
	return sim_semctl(sh->k, 0, id, 0, IPC_RMID, &arg);
}

static long sem_key_to_id(struct shell_ctx *sh, int key)
{
	return sim_semget(sh->k, 0, key, 0, 0);
}

static long sem_max_idx(struct shell_ctx *sh)
{
	struct ipcsim_seminfo info;
	struct sim_semctl_arg arg = { .info = &info };
	return sim_semctl(sh->k, 0, 0, 0, SEM_INFO, &arg);
}

static long sem_stat_idx(struct shell_ctx *sh, int idx)
{
	struct ipcsim_semid_ds ds;
	struct sim_semctl_arg arg = { .buf = &ds };
	return sim_semctl(sh->k, 0, idx, 0, SEM_STAT, &arg);
}

static const struct rm_ops rm_ops[3] = {
	[RM_SHM] = { "shared memory segment", shm_rmid, shm_key_to_id, shm_max_idx,
	             shm_stat_idx },
	[RM_SEM] = { "semaphore", sem_rmid, sem_key_to_id, sem_max_idx, sem_stat_idx },
	[RM_MSG] = { "message queue", msg_rmid, msg_key_to_id, msg_max_idx, msg_stat_idx },
};

static const struct shell_longopt ipcrm_longopts[] = {
	{ "shmem-id", SHELL_REQ_ARG, 'm' },
	{ "shmem-key", SHELL_REQ_ARG, 'M' },
	{ "queue-id", SHELL_REQ_ARG, 'q' },
	{ "queue-key", SHELL_REQ_ARG, 'Q' },
	{ "semaphore-id", SHELL_REQ_ARG, 's' },
	{ "semaphore-key", SHELL_REQ_ARG, 'S' },
	{ "all", SHELL_OPT_ARG, 'a' },
	{ "verbose", SHELL_NO_ARG, 'v' },
	{ "version", SHELL_NO_ARG, 'V' },
	{ "help", SHELL_NO_ARG, 'h' },
	{ NULL, 0, 0 },
};

static const char ipcrm_usage[] =
	"\n"
	"Usage:\n"
	" ipcrm [options]\n"
	" ipcrm shm|msg|sem <id>...\n"
	"\n"
	"Remove certain IPC resources.\n"
	"\n"
	"Options:\n"
	" -m, --shmem-id <id>        remove shared memory segment by id\n"
	" -M, --shmem-key <key>      remove shared memory segment by key\n"
	" -q, --queue-id <id>        remove message queue by id\n"
	" -Q, --queue-key <key>      remove message queue by key\n"
	" -s, --semaphore-id <id>    remove semaphore by id\n"
	" -S, --semaphore-key <key>  remove semaphore by key\n"
	" -a, --all[=shm|msg|sem]    remove all (in the specified category)\n"
	" -v, --verbose              explain what is being done\n"
	"\n"
	" -h, --help                 display this help\n"
	" -V, --version              display version\n"
	"\n"
	"For more details see ipcrm(1).\n";

struct ipcrm {
	struct shell_ctx *sh;
	int verbose;
};

/* remove_id(): 0, 1 after a warning, or SHELL_EXIT(1) after err(). */
static int remove_id(struct ipcrm *rm, enum rm_type type, int iskey, int id)
{
	FILE *out = rm->sh->out;
	const char *errmsg;
	long ret;

	if (rm->verbose)
		fprintf(out, "removing %s id `%d'\n", rm_ops[type].what, id);
	ret = rm_ops[type].rmid(rm->sh, id);
	if (ret >= 0)
		return 0;
	switch (-ret) {
	case EACCES:
	case EPERM:
		errmsg = iskey ? "permission denied for key" : "permission denied for id";
		break;
	case EINVAL:
		errmsg = iskey ? "invalid key" : "invalid id";
		break;
	case EIDRM:
		errmsg = iskey ? "already removed key" : "already removed id";
		break;
	default:
		fprintf(out, "ipcrm: %s: %s\n", iskey ? "key failed" : "id failed",
		        strerror((int)-ret));
		return SHELL_EXIT(1);
	}
	fprintf(out, "ipcrm: %s (%d)\n", errmsg, id);
	return 1;
}

/* strtokey(): keys are hex, octal or decimal (strtoul base 0). */
static int parse_key(struct ipcrm *rm, const char *str, int *key)
{
	unsigned long num;
	char *end = NULL;

	errno = 0;
	if (str == NULL || *str == '\0')
		goto bad;
	num = strtoul(str, &end, 0);
	if (errno || str == end || (end && *end))
		goto bad;
	*key = (int)num; /* key_t is an int: higher bits are lost, as in ipcrm */
	return 0;
bad:
	if (errno)
		fprintf(rm->sh->out, "ipcrm: failed to parse argument: '%s': %s\n", str,
		        strerror(errno));
	else
		fprintf(rm->sh->out, "ipcrm: failed to parse argument: '%s'\n", str ? str : "");
	return SHELL_EXIT(1);
}

/* key_to_id(): the id (>= 0), -1 after a warning, or SHELL_EXIT(1). */
static int key_to_id(struct ipcrm *rm, enum rm_type type, const char *s)
{
	FILE *out = rm->sh->out;
	const char *errmsg;
	int key, rc;
	long id;

	rc = parse_key(rm, s, &key);
	if (rc)
		return rc;
	if (key == IPC_PRIVATE) {
		fprintf(out, "ipcrm: illegal key (%s)\n", s);
		return -1;
	}
	id = rm_ops[type].key_to_id(rm->sh, key);
	if (id >= 0)
		return (int)id;
	switch (-id) {
	case EACCES:
		errmsg = "permission denied for key";
		break;
	case EIDRM:
		errmsg = "already removed key";
		break;
	case ENOENT:
		errmsg = "invalid key";
		break;
	default:
		fprintf(out, "ipcrm: key failed: %s\n", strerror((int)-id));
		return SHELL_EXIT(1);
	}
	fprintf(out, "ipcrm: %s (%s)\n", errmsg, s);
	return -1;
}

/* remove_all(): every object of the kind the user may see (xxx_STAT). */
static int remove_all(struct ipcrm *rm, enum rm_type what)
{
	static const enum rm_type order[] = { RM_SHM, RM_SEM, RM_MSG };
	int ret = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		enum rm_type type = order[i];
		long maxid;

		if (what != RM_ALL && what != type)
			continue;
		maxid = rm_ops[type].max_idx(rm->sh);
		for (long idx = 0; idx <= maxid; idx++) {
			long id = rm_ops[type].stat_idx(rm->sh, (int)idx);
			int rc;

			if (id < 0)
				continue;
			rc = remove_id(rm, type, 0, (int)id);
			if (shell_is_exit(rc))
				return rc;
			ret |= rc;
		}
	}
	return ret;
}

/* The old syntax: `ipcrm shm|msg|sem ID...`.  Returns -1 when argv is not
 * that syntax. */
static int deprecated_main(struct ipcrm *rm, int argc, char **argv)
{
	FILE *out = rm->sh->out;
	enum rm_type type;
	int nb_errors = 0;

	if (strcmp(argv[1], "shm") == 0)
		type = RM_SHM;
	else if (strcmp(argv[1], "msg") == 0)
		type = RM_MSG;
	else if (strcmp(argv[1], "sem") == 0)
		type = RM_SEM;
	else
		return -1;

	if (argc < 3) {
		fprintf(out, "ipcrm: not enough arguments\n");
		return shell_exit_status(shell_try_help(rm->sh, "ipcrm"));
	}
	for (int i = 2; i < argc; i++) {
		char *end = NULL;
		unsigned long id;

		errno = 0;
		id = strtoul(argv[i], &end, 10);
		if (errno || !end || *end != '\0') {
			fprintf(out, "ipcrm: invalid id: %s\n", argv[i]);
			nb_errors++;
			continue;
		}
		int rc = remove_id(rm, type, 0, (int)id);
		if (shell_is_exit(rc))
			return shell_exit_status(rc);
		nb_errors += rc;
	}
	if (nb_errors)
		return 1;
	fprintf(out, "resource(s) deleted\n");
	return 0;
}

int shell_ipcrm_main(struct shell_ctx *sh, int argc, char **argv)
{
	struct ipcrm rm = { .sh = sh, .verbose = 0 };
	struct shell_getopt g;
	enum rm_type what_all = RM_ALL;
	int ret = 0, rm_all = 0, c, rc;

	if (argc >= 2) {
		rc = deprecated_main(&rm, argc, argv);
		if (rc >= 0)
			return rc;
	}

	shell_getopt_init(&g, argc, argv, "ipcrm", "q:m:s:Q:M:S:a::vhV", ipcrm_longopts, sh->out);
	while ((c = shell_getopt_next(&g)) != -1) {
		enum rm_type type;
		int id = -1, iskey = 0;

		switch (c) {
		case 'M': case 'm': type = RM_SHM; break;
		case 'Q': case 'q': type = RM_MSG; break;
		case 'S': case 's': type = RM_SEM; break;
		case 'a':
			rm_all = 1;
			if (!g.optarg)
				what_all = RM_ALL;
			else if (strcmp(g.optarg, "shm") == 0)
				what_all = RM_SHM;
			else if (strcmp(g.optarg, "msg") == 0)
				what_all = RM_MSG;
			else if (strcmp(g.optarg, "sem") == 0)
				what_all = RM_SEM;
			else {
				fprintf(sh->out, "ipcrm: unknown argument: %s\n", g.optarg);
				return 1;
			}
			continue;
		case 'v':
			rm.verbose = 1;
			continue;
		case 'h':
			fputs(ipcrm_usage, sh->out);
			return 0;
		case 'V':
			fputs("ipcrm from util-linux 2.38.1\n", sh->out);
			return 0;
		default:
			return shell_exit_status(shell_try_help(sh, "ipcrm"));
		}

		/* -M/-Q/-S: the key names the object; -m/-q/-s: the id */
		if (c == 'M' || c == 'Q' || c == 'S') {
			iskey = 1;
			id = key_to_id(&rm, type, g.optarg);
			if (shell_is_exit(id))
				return shell_exit_status(id);
			if (id < 0) {
				ret++;
				continue;
			}
		} else {
			int32_t v;
			rc = shell_strtos32(sh, "ipcrm", g.optarg, "failed to parse argument", &v);
			if (rc)
				return shell_exit_status(rc);
			id = v;
		}
		rc = remove_id(&rm, type, iskey, id);
		if (shell_is_exit(rc))
			return shell_exit_status(rc);
		ret += rc;
	}

	if (rm_all) {
		rc = remove_all(&rm, what_all);
		if (shell_is_exit(rc))
			return shell_exit_status(rc);
		if (rc)
			ret++;
	}
	if (g.optind < argc) {
		fprintf(sh->out, "ipcrm: unknown argument: %s\n", argv[g.optind]);
		return shell_exit_status(shell_try_help(sh, "ipcrm"));
	}
	return ret == 0 ? 0 : 1;
}
