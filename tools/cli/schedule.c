/*
 * schedule.c - `--schedule rr:N | random:SEED | P1,P2,...`, the option of
 * run, trace, step and check (docs/scenario-language.md, Schedules).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ipcsim/script.h"

const char cli_schedule_usage[] =
	"  --schedule S  who runs next among the scenario's programs: rr:N (round\n"
	"                robin, N steps each; default rr:1), random:SEED, or the\n"
	"                process of each step, P1,P2,P1 (P1*3: three steps; then rr:1)\n";

int cli_schedule_option(int argc, char **argv, int *i, const char **spec, const char *cmd)
{
	const char *value;
	char err[256];

	if (strncmp(argv[*i], "--schedule=", 11) == 0) {
		value = argv[*i] + 11;
	} else if (strcmp(argv[*i], "--schedule") == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "ipcsim %s: --schedule takes rr:N, random:SEED or P1,P2,...\n",
			        cmd);
			return -1;
		}
		value = argv[++*i];
	} else {
		return 0;
	}
	if (script_schedule_check(value, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcsim %s: %s\n", cmd, err);
		return -1;
	}
	*spec = value;
	return 1;
}

int cli_apply_schedule(struct script *s, const char *spec, const char *cmd)
{
	char err[256];

	if (spec == NULL)
		return 0;
	if (script_set_schedule(s, spec, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcsim %s: %s\n", cmd, err);
		return -1;
	}
	return 0;
}
