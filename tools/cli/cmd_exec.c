/*
 * cmd_exec.c - `ipcsim exec [OPTIONS] -- COMMAND [ARGS]`: a program of the
 * student's own on the simulated kernel (ipcsim/exec.h, docs/exec.md).
 *
 * The preload library is found beside the ipcsim binary (the build
 * directory), then in ../lib/ipcsim/ of it (an install); IPCSIM_PRELOAD
 * names another.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ipcsim/exec.h"

static const char usage[] =
	"usage: ipcsim exec [OPTIONS] -- COMMAND [ARGS]\n"
	"\n"
	"Runs COMMAND (a dynamically linked program, or a shell running several) with its\n"
	"System V IPC calls served by a fresh simulated kernel: each call is printed\n"
	"strace-style with the process's name, then the state at the end and what the\n"
	"program left behind (queues, segments, sets not removed).  Shared memory is real\n"
	"memory.  A real System V syscall (static binary, raw syscall(), 32-bit) stops the\n"
	"process.  The report goes to stderr (or --report FILE), never to the program's\n"
	"stdout.  Exit status: the program's (128+N for a signal); 2 for a deadlock, the\n"
	"timeout, a limit or a bad option.\n"
	"\n"
	"options:\n"
	"  --show=end|each|none  draw the state at the end (default), after every call, never\n"
	"  --report FILE         the report to FILE instead of stderr\n"
	"  --record OUT.scn      the run as a scenario, every result filled in (ipcsim run\n"
	"                        replays it)\n"
	"  --trace OUT.jsonl     the run as `ipcsim trace --json` writes it\n"
	"  --html OUT.html       the run as one HTML page, as `ipcsim trace --html`\n"
	"  --limit NAME=V        a kernel limit (msgmax, msgmnb, msgmni, shmmax, semmsl, ...);\n"
	"                        repeatable\n"
	"  --timeout=S           stop after S seconds (default 60)\n"
	"  --max-procs=N         at most N processes at once (default 64)\n"
	"  --max-memory=B        address space of each process (default 1G; K, M, G)\n"
	"  --deterministic       the same calls in the same order on every run: each call\n"
	"                        waits until every other process waits in a call, in\n"
	"                        wait4/waitid, or has ended (docs/exec.md)\n"
	"  --no-color            no ANSI colours\n";

/* -1 after the reason and the usage. */
static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, "ipcsim exec: %s%s%s\n\n%s", msg, arg ? ": " : "", arg ? arg : "", usage);
	return -1;
}

/* "--name=V" or "--name V": the value, advancing *i; NULL when argv[*i] is not it. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int parse_size(const char *v, unsigned long long *out)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || *v == '-')
		return -1;
	if (*end == 'K' || *end == 'k')
		n <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		n <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		n <<= 30, end++;
	if (*end)
		return -1;
	*out = n;
	return 0;
}

static char *find_preload(void)
{
	char exe[PATH_MAX], *slash, *path = NULL;
	ssize_t n;

	if (getenv("IPCSIM_PRELOAD"))
		return strdup(getenv("IPCSIM_PRELOAD"));
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	if (asprintf(&path, "%s/libipcsim-preload.so", exe) < 0)
		return NULL;
	if (access(path, R_OK) == 0)
		return path;
	free(path);
	if (asprintf(&path, "%s/../lib/ipcsim/libipcsim-preload.so", exe) < 0)
		return NULL;
	return path;
}

void cli_exec_args_free(struct cli_exec_args *a)
{
	free(a->limits);
	free(a->preload);
	a->limits = NULL;
	a->preload = NULL;
}

int cli_exec_parse(int argc, char **argv, struct cli_exec_args *a)
{
	struct ipcsim_exec_options *o = &a->o;
	const char *v;
	int i;

	memset(a, 0, sizeof(*a));
	o->show = IPCSIM_EXEC_SHOW_END;
	o->color = isatty(2);
	a->limits = calloc((size_t)argc + 1, sizeof(*a->limits));
	if (!a->limits)
		return -1;
	for (i = 1; i < argc; i++) {
		unsigned long long n;

		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (argv[i][0] != '-')
			break;
		if (strcmp(argv[i], "--no-color") == 0) {
			o->color = 0;
		} else if (strcmp(argv[i], "--deterministic") == 0) {
			o->deterministic = 1;
		} else if ((v = opt_value(argc, argv, &i, "--show"))) {
			if (strcmp(v, "end") == 0)
				o->show = IPCSIM_EXEC_SHOW_END;
			else if (strcmp(v, "each") == 0)
				o->show = IPCSIM_EXEC_SHOW_EACH;
			else if (strcmp(v, "none") == 0)
				o->show = IPCSIM_EXEC_SHOW_NONE;
			else
				return bad("--show takes end, each or none", v);
		} else if ((v = opt_value(argc, argv, &i, "--report"))) {
			a->report = v;
		} else if ((v = opt_value(argc, argv, &i, "--record"))) {
			o->record_path = v;
		} else if ((v = opt_value(argc, argv, &i, "--trace"))) {
			o->trace_path = v;
		} else if ((v = opt_value(argc, argv, &i, "--html"))) {
			o->html_path = v;
		} else if ((v = opt_value(argc, argv, &i, "--limit"))) {
			a->limits[a->nlimits++] = v;
		} else if ((v = opt_value(argc, argv, &i, "--timeout"))) {
			if (parse_size(v, &n) < 0 || n == 0 || n > 86400)
				return bad("--timeout takes seconds, 1 to 86400", v);
			o->timeout_ms = (long)n * 1000;
		} else if ((v = opt_value(argc, argv, &i, "--max-procs"))) {
			if (parse_size(v, &n) < 0 || n == 0 || n > 100000)
				return bad("--max-procs takes 1 to 100000", v);
			o->max_procs = (long)n;
		} else if ((v = opt_value(argc, argv, &i, "--max-memory"))) {
			if (parse_size(v, &n) < 0 || n < (16ULL << 20))
				return bad("--max-memory takes a size of at least 16M", v);
			o->max_memory = (unsigned long)n;
		} else {
			return bad("unknown option", argv[i]);
		}
	}
	if (i >= argc)
		return bad("no command to run (ipcsim exec -- COMMAND)", NULL);
	/* Standard output is the program's: nothing of ours goes there. */
	{
		const char *outs[] = { o->record_path, o->trace_path, o->html_path, a->report };

		for (size_t k = 0; k < sizeof(outs) / sizeof(outs[0]); k++)
			if (outs[k] && strcmp(outs[k], "-") == 0)
				return bad("'-' (standard output) is the program's; name a file", NULL);
	}
	o->limits = a->limits;
	a->preload = find_preload();
	if (!a->preload || access(a->preload, R_OK) != 0) {
		fprintf(stderr, "ipcsim exec: cannot find libipcsim-preload.so (%s); set IPCSIM_PRELOAD\n",
		        a->preload ? a->preload : "?");
		return -1;
	}
	o->preload = a->preload;
	return i;
}

int cli_exec(int argc, char **argv)
{
	struct cli_exec_args a;
	int i = cli_exec_parse(argc, argv, &a), rc;
	FILE *rep = NULL;

	if (i <= 0) {
		cli_exec_args_free(&a);
		return i == 0 ? 0 : IPCSIM_EXEC_EXIT_ERROR;
	}
	if (a.report) {
		rep = fopen(a.report, "w");
		if (!rep) {
			fprintf(stderr, "ipcsim exec: %s: %s\n", a.report, strerror(errno));
			cli_exec_args_free(&a);
			return IPCSIM_EXEC_EXIT_ERROR;
		}
		a.o.report = rep;
		a.o.color = 0;
	}
	rc = ipcsim_exec_run(&a.o, argv + i);
	if (rep && fclose(rep) != 0 && rc == 0)
		rc = IPCSIM_EXEC_EXIT_ERROR;
	cli_exec_args_free(&a);
	return rc;
}
