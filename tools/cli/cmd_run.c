/*
 * cmd_run.c - `ipcsim run FILE... [--show=each|end|none] [--schedule S] [--explain] [--no-color]`.
 * Runs each scenario on a fresh simulated kernel; the exit status is the
 * worst of them (0 all held, 1 an expectation failed, 2 malformed/error).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ipcsim/script.h"

static const char run_usage[] =
	"usage: ipcsim run FILE... [--show=each|end|none] [--schedule S] [--explain] [--no-color]\n"
	"\n"
	"Runs each scenario, printing every step as a scenario line with its\n"
	"result, failed expectations, and `N passed, N failed`.  FILE `-` is\n"
	"standard input.  The file is checked and run a few lines at a time, in\n"
	"memory that does not grow with its length; what the run prints is held\n"
	"back (past 1 MiB in a temporary file in $TMPDIR, at most --max-output\n"
	"bytes: past them the run stops, status 2) until every line has checked,\n"
	"so a malformed file prints only its diagnostic.  Standard input or a\n"
	"pipe is copied to $TMPDIR first, at most --max-memory bytes; a file with\n"
	"programs is read whole.\n"
	"\n"
	"  --show=each   draw the kernel state after every step, what the step\n"
	"                created, changed or removed marked +, ~, -\n"
	"  --show=end    draw it once at the end\n"
	"  --show=none   only where the scenario says `show` (default)\n"
	"  --explain     after each step, the kernel's reason for its result as a\n"
	"                `# why (CODE): ...` line: which check failed, which limit\n"
	"                with its figures, which message msgrcv took and why, why a\n"
	"                process sleeps (codes: docs/reason-codes.md)\n"
	"  --no-color    no ANSI colours (they are used only on a terminal)\n"
	"%s"
	"\n%s"
	"\n"
	"exit status: 0 every expectation held, 1 some failed, 2 malformed scenario\n"
	"or runtime error\n";

int cli_run(int argc, char **argv)
{
	struct script_options o = { 0 };
	int color = isatty(STDOUT_FILENO), worst = 0, nfiles = 0, lim_rc, sch_rc;
	const char *schedule = NULL;
	struct cli_limits lim;

	cli_limits_default(&lim);
	o.show = SCRIPT_SHOW_NONE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf(run_usage, cli_schedule_usage, cli_limits_usage);
			return 0;
		} else if ((lim_rc = cli_limits_option(&lim, argc, argv, &i, "run")) != 0) {
			if (lim_rc < 0)
				return 2;
		} else if ((sch_rc = cli_schedule_option(argc, argv, &i, &schedule, "run")) != 0) {
			if (sch_rc < 0)
				return 2;
		} else if (strcmp(argv[i], "--no-color") == 0) {
			color = 0;
		} else if (strcmp(argv[i], "--explain") == 0) {
			o.explain = 1;
		} else if (strcmp(argv[i], "--show=each") == 0) {
			o.show = SCRIPT_SHOW_EACH;
		} else if (strcmp(argv[i], "--show=end") == 0) {
			o.show = SCRIPT_SHOW_END;
		} else if (strcmp(argv[i], "--show=none") == 0) {
			o.show = SCRIPT_SHOW_NONE;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "ipcsim run: unknown option '%s'\n\n", argv[i]);
			fprintf(stderr, run_usage, cli_schedule_usage, cli_limits_usage);
			return 2;
		} else {
			argv[++nfiles] = argv[i]; /* the files, in order, from argv[1] */
		}
	}
	if (nfiles == 0) {
		fprintf(stderr, run_usage, cli_schedule_usage, cli_limits_usage);
		return 2;
	}
	o.color = color;
	o.schedule = schedule;
	cli_limits_apply(&lim, "run");
	/* Each file is checked and run a few lines at a time, its output held
	 * back until the last line has checked: memory does not grow with its
	 * length. */
	for (int i = 1; i <= nfiles; i++) {
		FILE *f;
		int rc;

		if (nfiles > 1)
			printf("# %s\n", argv[i]);
		fflush(stdout);
		f = cli_open_input(argv[i], lim.max_memory, stderr);
		if (f == NULL) {
			worst = 2;
			continue;
		}
		rc = script_run_stream(f, cli_input_name(argv[i]), &lim.script, &o, NULL);
		fclose(f);
		fflush(stdout);
		if (rc > worst)
			worst = rc;
	}
	return worst;
}
