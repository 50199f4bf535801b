/*
 * tables.c - the names the scenario language knows: calls with their arity,
 * family and handlers (the one place a call name leads to what it does), and
 * C constants.  Errno and signal names are the strace printer's
 * (ipcsim/strace.h), capability and limit names the kernel's: what ipcsim
 * prints is what the scenario reads.
 *
 * Values are Linux's (x86_64), written out rather than taken from the host's
 * headers where glibc hides them, so a scenario means the same everywhere.
 */
#include <ctype.h>
#include <string.h>

#include "ipcsim/kernel.h" /* sim_limit_names */
#include "ipcsim/strace.h"
#include "script/script_int.h"

/* Every call, with what performs it, what checks it before anything runs,
 * which argument it fills and the kind of each argument.  Calls without a
 * checker take any values of the usual kinds (check.c's and
 * check_types.c's rules for every call still apply). */
static const struct call_info calls[] = {
	{ CALL_FTOK, "ftok", 2, 2, CF_MISC, 0, perform_ftok, check_ftok, NULL, "si" },
	{ CALL_MSGGET, "msgget", 2, 2, CF_MSG, 0, perform_msgget, NULL, NULL, "ii" },
	{ CALL_MSGSND, "msgsnd", 4, 4, CF_MSG, CALL_ARG1_MESSAGE,
	  perform_msgsnd, check_msgsnd, NULL, "i*ii" },
	{ CALL_MSGRCV, "msgrcv", 5, 5, CF_MSG, 0,
	  perform_msgrcv, check_msgrcv, output_arg_msgrcv, "i*iii" },
	{ CALL_MSGCTL, "msgctl", 3, 3, CF_MSG, 0,
	  perform_msgctl, check_msgctl, output_arg_msgctl, "ii*" },
	{ CALL_SHMGET, "shmget", 3, 3, CF_SHM, 0, perform_shmget, check_no_payload, NULL, "iii" },
	{ CALL_SHMAT, "shmat", 3, 3, CF_SHM, 0, perform_shmat, check_no_payload, NULL, "iii" },
	{ CALL_SHMDT, "shmdt", 1, 1, CF_SHM, 0, perform_shmdt, check_no_payload, NULL, "i" },
	{ CALL_SHMCTL, "shmctl", 3, 3, CF_SHM, 0,
	  perform_shmctl, check_shmctl, output_arg_shmctl, "ii*" },
	{ CALL_SEMGET, "semget", 3, 3, CF_SEM, 0, perform_semget, check_no_payload, NULL, "iii" },
	{ CALL_SEMOP, "semop", 3, 3, CF_SEM, 0, perform_semop, check_semop, NULL, "i*i" },
	{ CALL_SEMTIMEDOP, "semtimedop", 4, 4, CF_SEM, 0,
	  perform_semtimedop, check_semtimedop, NULL, "i*i*" },
	{ CALL_SEMCTL, "semctl", 3, 4, CF_SEM, 0,
	  perform_semctl, check_semctl, output_arg_semctl, "iii*" },
	{ CALL_FORK, "fork", 0, 0, CF_PROC, CALL_BINDS_PROCESS,
	  perform_fork, check_fork, NULL, "" },
	{ CALL_EXIT, "exit", 1, 1, CF_PROC, CALL_ENDS_PROCESS, perform_exit, NULL, NULL, "i" },
	{ CALL_KILL, "kill", 2, 2, CF_PROC, 0, perform_kill, NULL, NULL, "ii" },
	{ CALL_SIGNAL, "signal", 2, 2, CF_PROC, CALL_ARG1_HANDLER,
	  perform_signal, check_signal, NULL, "i*" },
	{ CALL_GETPID, "getpid", 0, 0, CF_PROC, 0, perform_getpid, NULL, NULL, "" },
	{ CALL_SLEEP, "sleep", 1, 1, CF_MISC, 0, perform_sleep, NULL, NULL, "i" },
	{ CALL_STORE, "store", 2, 2, CF_SHM, 0, perform_store, check_no_payload, NULL, "ii" },
	{ CALL_LOAD, "load", 1, 1, CF_SHM, 0, perform_load, check_no_payload, NULL, "i" },
	{ CALL_MEMCPY, "memcpy", 2, 3, CF_SHM, 0, perform_memcpy, check_memcpy, NULL, "isi" },
	{ CALL_MEMREAD, "memread", 2, 2, CF_SHM, 0, perform_memread, check_memread, NULL, "ii" },
	{ CALL_ASSERT, "assert", 1, 1, CF_MISC, CALL_ARG_COMPARISON,
	  perform_assert, check_assert, NULL, "*" },
};

struct named_value {
	const char *name;
	long long value;
};

static const struct named_value constants[] = {
	{ "IPC_PRIVATE", 0 },   { "IPC_CREAT", 01000 },   { "IPC_EXCL", 02000 },
	{ "IPC_NOWAIT", 04000 }, { "IPC_RMID", 0 },       { "IPC_SET", 1 },
	{ "IPC_STAT", 2 },      { "IPC_INFO", 3 },        { "MSG_NOERROR", 010000 },
	{ "MSG_EXCEPT", 020000 }, { "MSG_COPY", 040000 }, { "MSG_STAT", 11 },
	{ "MSG_INFO", 12 },     { "MSG_STAT_ANY", 13 },   { "SHM_RDONLY", 010000 },
	{ "SHM_RND", 020000 },  { "SHM_REMAP", 040000 },  { "SHM_EXEC", 0100000 },
	{ "SHM_LOCK", 11 },     { "SHM_UNLOCK", 12 },     { "SHM_STAT", 13 },
	{ "SHM_INFO", 14 },     { "SEM_UNDO", 0x1000 },   { "GETPID", 11 },
	{ "GETVAL", 12 },       { "GETALL", 13 },         { "GETNCNT", 14 },
	{ "GETZCNT", 15 },      { "SETVAL", 16 },         { "SETALL", 17 },
	{ "SEM_STAT", 18 },     { "SEM_INFO", 19 },       { "NULL", 0 },
	{ "SHM_STAT_ANY", 15 }, { "SEM_STAT_ANY", 20 },   { "SHM_HUGETLB", 04000 },
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct named_value *find_named(const struct named_value *tab, size_t n,
                                            const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].name[0] == name[0] && strcmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}

const struct call_info *call_lookup(const char *name)
{
	for (size_t i = 0; i < N_ELEMS(calls); i++)
		if (calls[i].name[0] == name[0] && strcmp(calls[i].name, name) == 0)
			return &calls[i];
	return NULL;
}

int call_output_arg(const struct stmt *st)
{
	return st->call->output_arg != NULL ? st->call->output_arg(st) : -1;
}

int const_lookup(const char *name, long long *value)
{
	const struct named_value *nv;
	int sig;

	/* Every constant and signal name starts with a capital: a variable's
	 * name (q, m, ds) is not looked for. */
	if (name[0] < 'A' || name[0] > 'Z')
		return 0;
	nv = find_named(constants, N_ELEMS(constants), name);
	if (nv != NULL) {
		*value = nv->value;
		return 1;
	}
	/* kill(P2, SIGUSR1): the signal names are constants too */
	if (strace_signal_from_name(name, &sig)) {
		*value = sig;
		return 1;
	}
	return 0;
}

int limit_name_known(const char *name)
{
	for (int i = 0; sim_limit_names[i] != NULL; i++)
		if (strcmp(sim_limit_names[i], name) == 0)
			return 1;
	return 0;
}

int c_type_name(const char *name, size_t n)
{
	static const char *const words[] = {
		"int", "long", "short", "char", "unsigned", "signed", "void", "struct", "union",
		"const", "key_t", "pid_t", "size_t", "ssize_t", "uid_t", "gid_t", "mode_t", "bool",
		"float", "double", "int32_t", "uint32_t", "int64_t", "uint64_t", "time_t",
	};

	for (size_t i = 0; i < N_ELEMS(words); i++)
		if (strlen(words[i]) == n && memcmp(words[i], name, n) == 0)
			return 1;
	return 0;
}

int looks_like_constant(const char *name)
{
	static const char *const prefixes[] = { "IPC_", "MSG_", "SHM_", "SEM_", "SIG", "GET", "SET" };
	int has_lower = 0, has_underscore = 0;

	for (size_t i = 0; i < N_ELEMS(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	for (const char *c = name; *c != '\0'; c++) {
		if (islower((unsigned char)*c))
			has_lower = 1;
		if (*c == '_')
			has_underscore = 1;
	}
	return !has_lower && has_underscore;
}

/* ---- did you mean: the known names, offered in table order -------------- */

void suggest_calls(struct suggest *sg)
{
	for (size_t i = 0; i < N_ELEMS(calls); i++)
		suggest_offer(sg, calls[i].name);
}

void suggest_signals(struct suggest *sg)
{
	for (int sig = 1; sig < 65; sig++)
		suggest_offer(sg, strace_signal_name(sig));
}

void suggest_constants(struct suggest *sg)
{
	for (size_t i = 0; i < N_ELEMS(constants); i++)
		suggest_offer(sg, constants[i].name);
	suggest_signals(sg);
}

void suggest_limits(struct suggest *sg)
{
	for (int i = 0; sim_limit_names[i] != NULL; i++)
		suggest_offer(sg, sim_limit_names[i]);
}

void suggest_errnos(struct suggest *sg)
{
	for (int err = 1; err < 134; err++)
		suggest_offer(sg, strace_errno_name(err));
}
