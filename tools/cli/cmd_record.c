/*
 * cmd_record.c - `ipcsim record FILE [-o OUT]`: the scenario written back
 * with every result filled in (to OUT, or standard output).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipcsim/script.h"

static const char record_usage[] =
	"usage: ipcsim record FILE [-o OUT]\n"
	"\n"
	"Runs FILE and writes it back with every result filled in: holes (= ?)\n"
	"and missing results get the actual ones, resumed lines are added, `$`\n"
	"commands get their `>` output lines.  Comments and layout are kept.\n"
	"The record replays clean with `ipcsim run`.  FILE `-` is standard input.\n"
	"\n"
	"  -o OUT   write to OUT instead of standard output\n"
	"\n%s";

int cli_record(int argc, char **argv)
{
	const char *in = NULL, *outpath = NULL;
	struct script *s;
	struct cli_output out;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int rc, lim_rc;
	struct cli_limits lim;

	cli_limits_default(&lim);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf(record_usage, cli_limits_usage);
			return 0;
		} else if ((lim_rc = cli_limits_option(&lim, argc, argv, &i, "record")) != 0) {
			if (lim_rc < 0)
				return 2;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			outpath = argv[++i];
		} else if ((argv[i][0] == '-' && argv[i][1] != '\0') || in != NULL) {
			fprintf(stderr, "ipcsim record: unexpected '%s'\n\n", argv[i]);
			fprintf(stderr, record_usage, cli_limits_usage);
			return 2;
		} else {
			in = argv[i];
		}
	}
	if (in == NULL) {
		fprintf(stderr, record_usage, cli_limits_usage);
		return 2;
	}
	cli_limits_apply(&lim, "record");
	s = cli_load_script(in, stderr);
	if (s == NULL)
		return 2;
	script_set_limits(s, &lim.script);
	/* Record into memory first: a failed run must not clobber OUT. */
	mem = open_memstream(&buf, &len);
	if (mem == NULL) {
		script_free(&s);
		return 2;
	}
	rc = script_record(s, mem, stderr);
	fclose(mem);
	script_free(&s);
	if (rc == 0 && cli_output_open(&out, outpath, "record") == 0) {
		fwrite(buf, 1, len, out.f);
		rc = cli_output_finish(&out, rc, "record");
	} else if (rc == 0) {
		rc = 2;
	}
	free(buf);
	return rc;
}
