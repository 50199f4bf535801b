/*
 * cmd_trace.c - `ipcsim trace FILE --json OUT | --html OUT`: the scenario's
 * run as JSON Lines (docs/trace-format.md) or as one self-contained HTML
 * page; OUT `-` is stdout.  Both options may be given: the scenario runs
 * once per output.  The exit status is the scenario's (0, 1, 2).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipcsim/trace.h"

static const char trace_usage[] =
	"usage: ipcsim trace FILE [--json OUT] [--html OUT] [--keyframe N] [--schedule S]\n"
	"\n"
	"Runs the scenario and writes its trace (format version 2): every step\n"
	"with its call, result, events and what it changed in the kernel state\n"
	"(a patch), and the whole state every 256 steps, so a reader can seek.\n"
	"\n"
	"  --json OUT   JSON Lines, one object per step (docs/trace-format.md)\n"
	"  --html OUT   one self-contained page: step through the scenario with\n"
	"               diagrams of the tables; opens from disk, no network\n"
	"  --keyframe N the whole state every N steps (default 256; 1: on every\n"
	"               step, as version 1 did)\n"
	"  OUT `-` is standard output; FILE `-` is standard input.\n"
	"%s"
	"\n%s"
	"\n"
	"exit status: 0 every expectation held, 1 some failed, 2 malformed scenario,\n"
	"runtime error or write error\n";

static int trace_to(const char *file, const char *text, size_t len,
                    const struct trace_options *opts, enum trace_format fmt,
                    const char *out_path)
{
	struct cli_output out;
	int rc;

	if (cli_output_open(&out, out_path, "trace") < 0)
		return 2;
	rc = trace_scenario_opts(file, text, len, opts, fmt, out.f, stderr);
	/* A malformed scenario writes nothing; a run a runtime error stopped
	 * is traced up to the error, its end line saying where: keep that. */
	out.keep = rc == 2 && cli_output_written(&out) > 0;
	return cli_output_finish(&out, rc, "trace");
}

int cli_trace(int argc, char **argv)
{
	const char *file = NULL, *json = NULL, *html = NULL;
	char *text;
	size_t len = 0;
	int rc = 0, rc2, lim_rc, sch_rc;
	const char *schedule = NULL;
	struct cli_limits lim;
	struct trace_options opts = { NULL, NULL, 0 };

	cli_limits_default(&lim);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf(trace_usage, cli_schedule_usage, cli_limits_usage);
			return 0;
		} else if ((lim_rc = cli_limits_option(&lim, argc, argv, &i, "trace")) != 0) {
			if (lim_rc < 0)
				return 2;
		} else if ((sch_rc = cli_schedule_option(argc, argv, &i, &schedule, "trace")) != 0) {
			if (sch_rc < 0)
				return 2;
		} else if (strcmp(argv[i], "--keyframe") == 0 && i + 1 < argc) {
			char *end;
			long n = strtol(argv[++i], &end, 10);

			if (*argv[i] == '\0' || *end != '\0' || n < 1 || n > 1000000000) {
				fprintf(stderr, "ipcsim trace: --keyframe takes a number of steps "
				        "from 1 to 1000000000, not '%s'\n", argv[i]);
				return 2;
			}
			opts.keyframe_every = (int)n;
		} else if ((strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "--html") == 0) &&
		           i + 1 < argc) {
			*(argv[i][3] == 's' ? &json : &html) = argv[i + 1];
			i++;
		} else if ((argv[i][0] == '-' && argv[i][1] != '\0') || file != NULL) {
			fprintf(stderr, "ipcsim trace: unexpected '%s'\n\n", argv[i]);
			fprintf(stderr, trace_usage, cli_schedule_usage, cli_limits_usage);
			return 2;
		} else {
			file = argv[i];
		}
	}
	if (file == NULL) {
		fprintf(stderr, trace_usage, cli_schedule_usage, cli_limits_usage);
		return 2;
	}
	if (json == NULL && html == NULL) {
		fprintf(stderr, "ipcsim trace: say where the trace goes: --json OUT (JSON Lines) or "
		        "--html OUT (a page), OUT `-` for standard output\n");
		return 2;
	}
	cli_limits_apply(&lim, "trace");
	text = cli_read_input(file, &len);
	if (text == NULL) {
		fprintf(stderr, "ipcsim trace: %s: %s\n", file, strerror(errno));
		return 2;
	}
	opts.limits = &lim.script;
	opts.schedule = schedule;
	if (json != NULL)
		rc = trace_to(cli_input_name(file), text, len, &opts, TRACE_JSON, json);
	if (html != NULL &&
	    (rc2 = trace_to(cli_input_name(file), text, len, &opts, TRACE_HTML, html)) > rc)
		rc = rc2;
	free(text);
	return rc;
}
