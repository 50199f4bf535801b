/*
 * fuzz_scenario.c - libFuzzer target over the parser and the interpreter:
 * any bytes as a scenario file, parsed, then (when they parse) run, recorded
 * and traced on a fresh simulated kernel, as `ipcsim run`, `record` and
 * `trace --json` would, under the limits a grader would set.  Every input
 * must end in an exit status (0, 1, 2), never a crash, a sanitizer report,
 * a leak or a hang.  `make fuzz` builds it with clang and runs it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ipcsim/script.h"
#include "ipcsim/trace.h"

/* Small, so that a slow input is a finding only when it is slow per step. */
static const struct script_limits limits = {
	.max_steps = 2000,
	.max_procs = 200,
	.max_seconds = 5,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *sink = fopen("/dev/null", "w");
	struct script_options o = { 0 };
	struct script *s;

	if (sink == NULL)
		return 0;
	s = script_parse("fuzz.scn", (const char *)data, size, sink);
	if (s != NULL) {
		script_set_limits(s, &limits);
		o.out = sink;
		o.err = sink;
		o.show = SCRIPT_SHOW_END;
		(void)script_run(s, &o, NULL);
		(void)script_record(s, sink, sink);
		script_free(&s);
		(void)trace_scenario_limited("fuzz.scn", (const char *)data, size, &limits,
		                             TRACE_JSON, sink, sink);
	}
	fclose(sink);
	return 0;
}
