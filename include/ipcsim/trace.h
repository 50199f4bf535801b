/*
 * ipcsim/trace.h - `ipcsim trace`: a scenario's run, step by step, as JSON
 * Lines or as one self-contained HTML page.
 *
 * The JSON format is specified in docs/trace-format.md and, for machines,
 * docs/trace.schema.json; every line carries "type" and the header carries
 * "version" (TRACE_FORMAT_VERSION).  One line per step, written and freed
 * as the scenario runs, so memory stays flat however long the scenario is
 * (it grows only with the kernel state that a snapshot holds).
 *
 * The HTML page is web/trace.html with web/trace.css and web/trace.js
 * inlined (embedded in the binary at build time) and the JSON trace inside
 * a <script type="application/json"> block: no server, no network.
 *
 * Ownership: the caller owns text and every stream; nothing is kept.
 */
#ifndef IPCSIM_TRACE_H
#define IPCSIM_TRACE_H

#include <stddef.h>
#include <stdio.h>

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

#define TRACE_FORMAT_NAME "ipcsim-trace"
#define TRACE_FORMAT_VERSION 2
/* A step line carries the whole state every this many steps (a keyframe). */
#define TRACE_KEYFRAME_EVERY 256

enum trace_format { TRACE_JSON, TRACE_HTML };

/*
 * Parses the scenario text (file_name for messages and the header), runs
 * it on a fresh simulated kernel, and writes its trace to out.  Step output
 * (`ipcsim run`'s lines) is discarded; runtime errors and diagnostics go to
 * err.  Returns the scenario's exit status (SCRIPT_EXIT_*: 0, 1, 2); a
 * malformed scenario writes nothing and returns 2.  A write error on out
 * also returns 2, with a message on err.
 */
int trace_scenario(const char *file_name, const char *text, size_t len,
                   enum trace_format format, FILE *out, FILE *err);
/* The same, the run bounded by limits (ipcsim/script.h; NULL: none). */
struct script_limits;
int trace_scenario_limited(const char *file_name, const char *text, size_t len,
                           const struct script_limits *limits, enum trace_format format,
                           FILE *out, FILE *err);
/* The same, the programs run by schedule (script_options.schedule; NULL: rr:1). */
int trace_scenario_scheduled(const char *file_name, const char *text, size_t len,
                             const struct script_limits *limits, const char *schedule,
                             enum trace_format format, FILE *out, FILE *err);

/* All of the above in one: limits (NULL: none), schedule (NULL: rr:1), a
 * keyframe every keyframe_every steps (0: TRACE_KEYFRAME_EVERY; 1: the whole
 * state on every step line).  opts may be NULL. */
struct trace_options {
	const struct script_limits *limits;
	const char *schedule;
	int keyframe_every;
};
int trace_scenario_opts(const char *file_name, const char *text, size_t len,
                        const struct trace_options *opts, enum trace_format format, FILE *out,
                        FILE *err);

#pragma GCC visibility pop

#endif
