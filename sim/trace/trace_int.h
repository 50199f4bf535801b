/*
 * trace_int.h - private parts of `ipcsim trace` (sim/render/trace*.c).
 *
 *   trace.c       the driver: runs the scenario with an on_step observer and
 *                 writes the header, one line per step, and the end line
 *   trace_step.c  a step line's fields: the call, its result, the events
 *   trace_patch.c a step's "patch": the objects that differ from the last
 *                 step's, found by comparing each object's fields as written
 *   trace_snap.c  the whole state (header, keyframes, end), from the
 *                 read-only views of ipcsim/kernel.h only
 *   trace_buf.c   the JSON writer: one buffer, a line at a time
 *   trace_html.c  the page: the embedded template around the JSON trace
 *
 * Ownership follows json-c: every function returning a struct json_object *
 * gives the caller one reference; json_object_put() releases it.
 */
#ifndef IPCSIM_TRACE_INT_H
#define IPCSIM_TRACE_INT_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ipcsim/render.h"

/* Longest message text (in bytes) a snapshot or result shows; "size" is exact. */
#define TRACE_TEXT_MAX 64

/* The state after a step (docs/trace-format.md, "state"); vars (NULL: none)
 * gives each process's variables.  NULL when out of memory. */
struct json_object *trace_snapshot(const struct sim_kernel *k, const struct scenario_names *names,
                                   const struct render_vars *vars);

/* One shared-memory segment (sem 0) or semaphore set (sem 1) at index idx,
 * as in the state; NULL when there is none (or out of memory: *failed = 1). */
struct json_object *trace_snap_indexed(const struct sim_kernel *k,
                                       const struct scenario_names *names, int sem, int idx,
                                       int *failed);

/* ---- the JSON writer (trace_buf.c) ---------------------------------------- */

struct tbuf {
	char *s;
	size_t len, cap;
	int html;   /* '<' written \u003c (the page's <script> block) */
	int failed; /* out of memory: the line is lost */
	FILE *tw;   /* tbuf_text's printer, on tmem */
	char tmem[TRACE_TEXT_MAX * 4 + 8];
};

void tbuf_free(struct tbuf *b);
/* A message text as a JSON string, as trace_text gives it. */
void tbuf_text(struct tbuf *b, const unsigned char *bytes, size_t len);
int tbuf_grow(struct tbuf *b, size_t n); /* 0, or -1 (failed) */
/* Room for n more bytes: 0, or -1 (failed).  Inline: called per field. */
static inline int tbuf_room(struct tbuf *b, size_t n)
{
	return b->len + n <= b->cap && !b->failed ? 0 : tbuf_grow(b, n);
}
static inline void tbuf_raw(struct tbuf *b, const char *s, size_t n)
{
	if (tbuf_room(b, n) < 0)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
}
void tbuf_lit(struct tbuf *b, const char *s);
void tbuf_int(struct tbuf *b, long long v);
void tbuf_str(struct tbuf *b, const char *s); /* NULL: null */
void tbuf_str_n(struct tbuf *b, const char *s, size_t n);
/* `"key":`, after a comma unless the object or array has just opened */
void tbuf_key(struct tbuf *b, const char *key);
void tbuf_json(struct tbuf *b, struct json_object *o); /* o as JSON text */

/* ---- the patch of a step (trace_patch.c) ----------------------------------- */

struct trace_patch;
/* NULL when out of memory.  html: strings as in the page (tbuf.html). */
struct trace_patch *trace_patch_new(int html);
void trace_patch_free(struct trace_patch *p);
/* Compares the kernel's state with the last one seen (the limits only when
 * limits_may_change: a call never changes them, a directive or a `$` may) (none at first: the
 * state of an empty kernel is all the header's) and writes what differs as
 * `,"patch":{...}` into out (nothing when nothing differs); remembers the
 * state for the next step.  0, or -1 out of memory. */
int trace_patch_step(struct trace_patch *p, const struct sim_kernel *k,
                     const struct scenario_names *names, const struct render_vars *vars,
                     int limits_may_change, struct tbuf *out);

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
