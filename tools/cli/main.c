/*
 * main.c - the `ipcsim` tool: dispatch to a subcommand, --help, --version.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ipcsim/ipcsim.h" /* IPCSIM_VERSION */

static const char usage[] =
	"usage: ipcsim COMMAND [ARGS]\n"
	"\n"
	"A user-space simulator of System V IPC: message queues, shared memory, semaphores.\n"
	"\n"
	"commands:\n"
	"  run FILE...      run scenarios, print every step strace-style\n"
	"  record FILE      write FILE back with every result filled in\n"
	"  step FILE        one step at a time, the state drawn after each\n"
	"  repl             type scenario lines, see the kernel change\n"
	"  trace FILE       the run as JSON Lines (--json OUT) or an HTML page (--html OUT)\n"
	"  check FILE...    run scenarios on the simulator and the real kernel, compare\n"
	"  quiz TEMPLATE    a student's variant of an exercise (--seed S) and its key\n"
	"  grade --key TEMPLATE SUBMISSION...  grade students' files, with feedback\n"
	"  explore FILE     every interleaving of the scenario's programs, and what each ends in\n"
	"  exec -- COMMAND  run your own C program on the simulated kernel, see its calls\n"
	"\n"
	"options:\n"
	"  -h, --help       this help; `ipcsim COMMAND --help` for a command\n"
	"  -V, --version    the version\n";

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
} commands[] = {
	{ "run", cli_run },     { "record", cli_record }, { "step", cli_step },
	{ "repl", cli_repl },   { "trace", cli_trace },   { "check", cli_check },
	{ "quiz", cli_quiz },   { "grade", cli_grade },
	{ "explore", cli_explore },
	{ "exec", cli_exec },
};

int main(int argc, char **argv)
{
	cli_watch_stdout();
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return cli_close_stdout(0, "--help");
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("ipcsim %s\n", IPCSIM_VERSION);
		return cli_close_stdout(0, "--version");
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return cli_close_stdout(commands[i].main(argc - 1, argv + 1), argv[1]);
	fprintf(stderr, "ipcsim: unknown command '%s'\n\n%s", argv[1], usage);
	return 2;
}
