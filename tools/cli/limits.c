/*
 * limits.c - the --max-* options of run, record and trace: bounds for
 * scenarios from untrusted hands (an autograder runs a thousand students'
 * files).  The defaults are far above anything a course writes and admit
 * the project's own large workloads (a 1,000,000-line scenario, a
 * 200,000-step trace); a grader tightens them.  0 means unlimited.
 *
 *   --max-steps=N     statements executed                 10,000,000
 *   --max-procs=N     processes made                       1,000,000
 *   --max-time=S      wall-clock seconds per scenario            600
 *   --max-output=B    bytes of any one output (stdout, -o)     2 GiB
 *   --max-memory=B    address space of the process             8 GiB
 *
 * Reaching one stops the run with a message naming the option, exit 2.
 * Memory is bounded with RLIMIT_AS, so an allocation past it fails and is
 * reported as out of memory; under AddressSanitizer, whose shadow memory
 * needs terabytes of address space, it is not set.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"

const char cli_limits_usage[] =
	"limits (0: none; sizes take K, M, G):\n"
	"  --max-steps=N    statements executed           (default 10000000)\n"
	"  --max-procs=N    processes made                (default 1000000)\n"
	"  --max-time=S     seconds per scenario          (default 600)\n"
	"  --max-output=B   bytes of any one output       (default 2G)\n"
#ifdef __SANITIZE_ADDRESS__
	"  --max-memory=B   not enforced in this sanitized build\n";
#else
	"  --max-memory=B   address space of the process  (default 8G)\n";
#endif

void cli_limits_default(struct cli_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->script.max_steps = 10000000;
	l->script.max_procs = 1000000;
	l->script.max_seconds = 600;
	l->script.max_output = 2LL << 30;
	l->max_memory = 8LL << 30;
}

/* "123", "64K", "2G": 0 and *v, or -1. */
static int parse_amount(const char *s, int sized, long long *v)
{
	char *end;
	unsigned long long n;
	int shift = 0;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	n = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (sized && *end != '\0' && end[1] == '\0') {
		shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20 :
		        *end == 'G' || *end == 'g' ? 30 : -1;
		if (shift < 0)
			return -1;
		end++;
	}
	if (*end != '\0' || n > (unsigned long long)(INT64_MAX >> shift))
		return -1;
	*v = (long long)(n << shift);
	return 0;
}

int cli_limits_option(struct cli_limits *l, int argc, char **argv, int *i, const char *cmd)
{
	static const struct {
		const char *name;
		int sized;
		size_t offset;
	} opts[] = {
		{ "--max-steps", 0, offsetof(struct cli_limits, script.max_steps) },
		{ "--max-procs", 0, offsetof(struct cli_limits, script.max_procs) },
		{ "--max-time", 0, offsetof(struct cli_limits, script.max_seconds) },
		{ "--max-output", 1, offsetof(struct cli_limits, script.max_output) },
		{ "--max-memory", 1, offsetof(struct cli_limits, max_memory) },
	};
	const char *arg = argv[*i];

	for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
		size_t n = strlen(opts[k].name);
		const char *value;

		if (strncmp(arg, opts[k].name, n) != 0 || (arg[n] != '=' && arg[n] != '\0'))
			continue;
		if (arg[n] == '=')
			value = arg + n + 1;
		else if (*i + 1 < argc)
			value = argv[++*i];
		else
			value = "";
		if (parse_amount(value, opts[k].sized,
		                 (long long *)((char *)l + opts[k].offset)) < 0) {
			fprintf(stderr, "ipcsim %s: %s: '%s' is not %s\n", cmd, opts[k].name, value,
			        opts[k].sized ? "a size (N, NK, NM or NG)" : "a whole number");
			return -1;
		}
		return 1;
	}
	return 0;
}

void cli_limits_apply(const struct cli_limits *l, const char *cmd)
{
	cli_output_limit(l->script.max_output, cmd);
#ifndef __SANITIZE_ADDRESS__
	if (l->max_memory > 0) {
		struct rlimit r;

		if (getrlimit(RLIMIT_AS, &r) == 0 &&
		    (r.rlim_max == RLIM_INFINITY || r.rlim_max > (rlim_t)l->max_memory)) {
			r.rlim_cur = (rlim_t)l->max_memory;
			setrlimit(RLIMIT_AS, &r);
		}
	}
#endif
}
