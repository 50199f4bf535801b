/*
 * fuzz_scenario.c - libFuzzer target over the parser and the interpreter:
 * any bytes as a scenario file, parsed, then (when they parse) run, recorded
 * and traced on a fresh simulated kernel, as `ipcsim run`, `record` and
 * `trace --json` would, under the limits a grader would set, and explored
 * (a few hundred states, a few random schedules, a witness written).  Every input
 * must end in an exit status (0, 1, 2), never a crash, a sanitizer report,
 * a leak or a hang.  `make fuzz` builds it with clang and runs it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ipcsim/explore.h"
#include "ipcsim/script.h"
#include "ipcsim/trace.h"

/* Small, so that a slow input is a finding only when it is slow per step. */
static const struct script_limits limits = {
	.max_steps = 2000,
	.max_procs = 200,
	.max_seconds = 5,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Exhaustive up to 300 states, then 3 random schedules; every witness of
 * the first written out. */
static void explore_some(const struct script *s, FILE *sink)
{
	struct explore_options eo = { .max_states = 300, .max_seconds = 5 };
	struct explore *ex = explore_run(s, &eo);

	if (ex == NULL)
		return;
	for (int i = 0; i < explore_outcomes(ex); i++)
		(void)explore_write_witness(ex, i, sink, sink);
	(void)explore_print_json(ex, sink);
	explore_free(&ex);
	eo.random_runs = 3;
	ex = explore_run(s, &eo);
	if (ex != NULL)
		(void)explore_print(ex, sink);
	explore_free(&ex);
}

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
		explore_some(s, sink);
		script_free(&s);
		(void)trace_scenario_limited("fuzz.scn", (const char *)data, size, &limits,
		                             TRACE_JSON, sink, sink);
	}
	fclose(sink);
	return 0;
}
