/*
 * fuzz_scenario.c - libFuzzer target over the parser and the interpreter:
 * any bytes as a scenario file, parsed, then (when they parse) run, recorded
 * and traced on a fresh simulated kernel, as `ipcsim run`, `record` and
 * `trace --json` would, under the limits a grader would set; run a second
 * way, streamed (script_run_stream), which must print the same; and explored
 * (a few hundred states, a few random schedules, a witness written).  Every input
 * must end in an exit status (0, 1, 2), never a crash, a sanitizer report,
 * a leak or a hang.  `make fuzz` builds it with clang and runs it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* What one way of running printed: status, output, diagnostics. */
struct outcome {
	int status;
	char *out, *err;
	size_t out_len, err_len;
};

/* `ipcsim run` three ways: the whole parsed scenario (script_parse, then
 * script_run), the streamed run (script_run_stream: a small file is parsed
 * once and kept) and the streamed run that keeps nothing (every line parsed
 * twice) must print the same bytes and exit alike; a difference is a
 * finding (abort). */
static void run_both_ways(const uint8_t *data, size_t size)
{
	struct outcome r[3];
	FILE *in = size > 0 ? fmemopen((void *)data, size, "rb") : NULL;

	if (size > 0 && in == NULL)
		return;
	for (int k = 0; k < 3; k++) {
		struct script_options o = { 0 };

		r[k].out = r[k].err = NULL;
		o.out = open_memstream(&r[k].out, &r[k].out_len);
		o.err = open_memstream(&r[k].err, &r[k].err_len);
		if (o.out == NULL || o.err == NULL)
			abort();
		o.show = SCRIPT_SHOW_END;
		if (k == 0) {
			struct script *s = script_parse("fuzz.scn", (const char *)data, size, o.err);

			if (s != NULL)
				script_set_limits(s, &limits);
			r[k].status = s != NULL ? script_run(s, &o, NULL) : SCRIPT_EXIT_ERROR;
			script_free(&s);
		} else if (in != NULL) {
			rewind(in);
			r[k].status = k == 1 ? script_run_stream(in, "fuzz.scn", &limits, &o, NULL)
			                     : script_run_stream_keep(in, "fuzz.scn", &limits, &o, NULL, 0);
		} else {
			/* fmemopen takes no empty buffer: an empty file is a temporary one */
			FILE *empty = tmpfile();

			r[k].status = empty != NULL ? script_run_stream(empty, "fuzz.scn", &limits, &o,
			                                                NULL)
			                            : r[0].status;
			if (empty != NULL)
				fclose(empty);
		}
		fclose(o.out);
		fclose(o.err);
	}
	if (in != NULL)
		fclose(in);
	/* --max-time can stop two runs at different steps: only a run that
	 * reached no time limit is compared. */
	for (int k = 1; k < 3; k++) {
		if (strstr(r[0].err, "(--max-time)") != NULL || strstr(r[k].err, "(--max-time)") != NULL)
			continue;
		if (r[0].status != r[k].status || r[0].out_len != r[k].out_len ||
		    memcmp(r[0].out, r[k].out, r[0].out_len) != 0 || r[0].err_len != r[k].err_len ||
		    memcmp(r[0].err, r[k].err, r[0].err_len) != 0) {
			fprintf(stderr, "streamed run (%s) differs: status %d vs %d\n--- whole:\n%s%s"
			        "--- streamed:\n%s%s", k == 1 ? "kept" : "parsed twice", r[0].status,
			        r[k].status, r[0].out, r[0].err, r[k].out, r[k].err);
			abort();
		}
	}
	for (int k = 0; k < 3; k++) {
		free(r[k].out);
		free(r[k].err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *sink = fopen("/dev/null", "w");
	struct script_options o = { 0 };
	struct script *s;

	if (sink == NULL)
		return 0;
	run_both_ways(data, size);
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
