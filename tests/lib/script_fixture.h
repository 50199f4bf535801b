/*
 * script_fixture.h - helpers of the scenario-layer tests: parse or run a
 * scenario given as a string, capturing everything it prints.
 */
#ifndef IPCSIM_TESTS_SCRIPT_FIXTURE_H
#define IPCSIM_TESTS_SCRIPT_FIXTURE_H

#include "ipcsim/script.h"

struct script_fixture_run {
	int status;      /* exit status of the run (2 for a parse error) */
	char *out;       /* what the run printed (steps, failures, summary) */
	char *err;       /* diagnostics */
	struct script_stats stats;
};

/* Parses and runs text named "t.scn"; as `ipcsim run` does for one file. */
void script_fixture_run(const char *text, struct script_fixture_run *r);
/* The same through script_run_stream (a temporary file holds text). */
void script_fixture_run_stream(const char *text, struct script_fixture_run *r);
/* Parses and records text; r->out holds the record. */
void script_fixture_record(const char *text, struct script_fixture_run *r);
void script_fixture_release(struct script_fixture_run *r);

/* The first line of the parse diagnostic of text (malloc'd), or NULL when it parses. */
char *script_fixture_parse_error(const char *text);

#endif
