/*
 * trace_int.h - private parts of `ipcsim trace` (sim/render/trace*.c).
 *
 *   trace.c       the driver: runs the scenario with an on_step observer and
 *                 writes the header, one line per step, and the end line
 *   trace_snap.c  the snapshot of the kernel state after a step, from the
 *                 read-only views of ipcsim/kernel.h only
 *   trace_diff.c  "changes": what differs between two consecutive snapshots,
 *                 found by their stable ids
 *   trace_html.c  the page: the embedded template around the JSON trace
 *
 * Ownership follows json-c: every function returning a struct json_object *
 * gives the caller one reference; json_object_put() releases it.
 */
#ifndef IPCSIM_TRACE_INT_H
#define IPCSIM_TRACE_INT_H

#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "ipcsim/render.h"

/* Longest message text (in bytes) a snapshot or result shows; "size" is exact. */
#define TRACE_TEXT_MAX 64

/* The state after a step (docs/trace-format.md, "state"); vars (NULL: none)
 * gives each process's variables.  NULL when out of memory. */
struct json_object *trace_snapshot(const struct sim_kernel *k, const struct scenario_names *names,
                                   const struct render_vars *vars);

/* "changes" from prev to next (prev may be NULL: everything is new).  NULL when out of memory. */
struct json_object *trace_diff(struct json_object *prev, struct json_object *next);

/* Bytes as the body of a C string literal (escapes, trailing NULs dropped),
 * at most TRACE_TEXT_MAX bytes of input, cut between UTF-8 characters: a
 * JSON string, valid UTF-8 kept as it is (strace_print_string). */
struct json_object *trace_text(const unsigned char *bytes, size_t len);

/* "0x%08x" keys and "0%o" modes, as ipcs and the scenarios write them. */
struct json_object *trace_hex32(unsigned long v);
struct json_object *trace_octal(unsigned v);

/* The page around the JSON: the template up to where the JSON goes, and
 * the rest.  0, or -1 on a write error. */
int trace_html_head(FILE *out);
int trace_html_tail(FILE *out);

#endif
