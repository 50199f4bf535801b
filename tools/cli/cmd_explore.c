/*
 * cmd_explore.c - `ipcsim explore FILE`: every schedule of the scenario's
 * programs (or --random N of them), the end states they reach, a witness
 * for each; --witness DIR writes the witnesses as scenarios, --json and
 * --html the report for machines and browsers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ipcsim/explore.h"
#include "ipcsim/script.h"

static const char explore_usage[] =
	"usage: ipcsim explore FILE [--random N [--seed S]] [--naive] [--witness DIR]\n"
	"                      [--json OUT] [--html OUT] [--max-states N] [--max-time S]\n"
	"\n"
	"Runs the scenario's programs in every order the scheduler could pick\n"
	"(one choice at every step of a program) and reports the distinct end\n"
	"states: the memory and variables the scenario names, semaphores and\n"
	"queues, blocked processes, deadlocks and failed expectations; each with\n"
	"how many schedules reach it and the shortest schedule found that does\n"
	"(its witness, for --schedule of run, step and trace).\n"
	"\n"
	"  --random N     N random schedules instead of all, with a histogram\n"
	"  --seed S       the random schedules' seed (default 1)\n"
	"  --naive        every interleaving (the default takes a local step alone, and\n"
	"                 skips the orders that only swap independent steps: steps on\n"
	"                 different objects; fewer schedules, the same end states)\n"
	"  --witness DIR  write each witness as DIR/outcome-N.scn: an ordinary scenario,\n"
	"                 the steps in the witness's order, every result filled in\n"
	"  --json OUT     the report as one JSON object (OUT `-`: standard output)\n"
	"  --html OUT     a page listing the outcomes; each opens its witness's trace\n"
	"  --max-states N stop after N states (default 10000000)\n"
	"  --max-time S   stop after S seconds (default 600)\n"
	"\n"
	"exit status: 0 explored, every outcome free of deadlocks and failed\n"
	"expectations; 1 some outcome deadlocks or fails an expectation; 2 malformed\n"
	"scenario, bad option, a limit reached, or a write error\n";

static int parse_number(const char *opt, const char *text, long long max, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || *out < 0 || *out > max) {
		fprintf(stderr, "ipcsim explore: %s takes a number from 0 to %lld, not '%s'\n", opt,
		        max, text);
		return -1;
	}
	return 0;
}

static int write_witnesses(const struct explore *ex, const char *dir)
{
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "ipcsim explore: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < explore_outcomes(ex); i++) {
		char path[4096];
		struct cli_output out;
		int rc;

		if (snprintf(path, sizeof(path), "%s/outcome-%d.scn", dir, i + 1) >= (int)sizeof(path)) {
			fprintf(stderr, "ipcsim explore: %s: name too long\n", dir);
			return -1;
		}
		if (cli_output_open(&out, path, "explore") < 0)
			return -1;
		rc = explore_write_witness(ex, i, out.f, stderr) < 0 ? 2 : 0;
		if (cli_output_finish(&out, rc, "explore") != 0)
			return -1;
	}
	return 0;
}

static int report_to(const struct explore *ex, const char *path, int html)
{
	struct cli_output out;
	int rc;

	if (cli_output_open(&out, path, "explore") < 0)
		return 2;
	rc = (html ? explore_print_html(ex, out.f, stderr) : explore_print_json(ex, out.f)) < 0;
	return cli_output_finish(&out, rc ? 2 : 0, "explore");
}

static int has_trouble(const struct explore *ex)
{
	for (int i = 0; i < explore_outcomes(ex); i++) {
		const char *t = explore_outcome_text_at(ex, i);

		if (strstr(t, "DEADLOCK") != NULL || strstr(t, "FAILED") != NULL ||
		    strncmp(t, "runtime error", 13) == 0)
			return 1;
	}
	return 0;
}

int cli_explore(int argc, char **argv)
{
	struct explore_options o = { 0 };
	const char *file = NULL, *witness = NULL, *json = NULL, *html = NULL;
	long long v;
	struct script *s;
	struct explore *ex;
	int rc;

	o.seed = 1;
	o.max_seconds = 600;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(explore_usage, stdout);
			return 0;
		} else if (strcmp(a, "--naive") == 0) {
			o.naive = 1;
		} else if (val != NULL && strcmp(a, "--random") == 0) {
			if (parse_number(a, val, 1000000000, &v) < 0 || v == 0) {
				if (v == 0)
					fprintf(stderr, "ipcsim explore: --random takes at least 1\n");
				return 2;
			}
			o.random_runs = v;
			i++;
		} else if (val != NULL && strcmp(a, "--seed") == 0) {
			if (parse_number(a, val, 0x7fffffffffffffffLL, &v) < 0)
				return 2;
			o.seed = (unsigned long long)v;
			i++;
		} else if (val != NULL && strcmp(a, "--max-states") == 0) {
			if (parse_number(a, val, 0x7fffffffffffffffLL, &v) < 0)
				return 2;
			o.max_states = v;
			i++;
		} else if (val != NULL && strcmp(a, "--max-time") == 0) {
			if (parse_number(a, val, 0x7fffffffffffffffLL, &v) < 0)
				return 2;
			o.max_seconds = v;
			i++;
		} else if (val != NULL && (strcmp(a, "--witness") == 0 || strcmp(a, "--json") == 0 ||
		                           strcmp(a, "--html") == 0)) {
			*(a[2] == 'w' ? &witness : a[2] == 'j' ? &json : &html) = val;
			i++;
		} else if ((a[0] == '-' && a[1] != '\0') || file != NULL) {
			fprintf(stderr, "ipcsim explore: unexpected '%s'\n\n%s", a, explore_usage);
			return 2;
		} else {
			file = a;
		}
	}
	if (file == NULL) {
		fputs(explore_usage, stderr);
		return 2;
	}
	s = cli_load_script(file, stderr);
	if (s == NULL)
		return 2;
	ex = explore_run(s, &o);
	if (ex == NULL) {
		fprintf(stderr, "ipcsim explore: out of memory\n");
		script_free(&s);
		return 2;
	}
	rc = has_trouble(ex) ? 1 : 0;
	if (!(json != NULL && strcmp(json, "-") == 0) && !(html != NULL && strcmp(html, "-") == 0))
		explore_print(ex, stdout);
	if (!explore_complete(ex) && o.random_runs == 0)
		rc = 2;
	if (witness != NULL && write_witnesses(ex, witness) < 0)
		rc = 2;
	if (json != NULL && report_to(ex, json, 0) != 0)
		rc = 2;
	if (html != NULL && report_to(ex, html, 1) != 0)
		rc = 2;
	explore_free(&ex);
	script_free(&s);
	return rc;
}
