/*
 * trace_int.h - private parts of `ipcsim trace` (sim/trace/trace*.c).
 *
 *   trace.c       the driver: runs the scenario with an on_step observer and
 *                 writes the header, one line per step, and the end line
 *   trace_state.c the objects of the state, each kind's fields named once,
 *                 and the whole state (header, keyframes), from the
 *                 read-only views of ipcsim/kernel.h only
 *   trace_patch.c a step's "patch": the objects that differ from the last
 *                 step's, found by comparing each object's fields as written
 *   trace_buf.c   the JSON writer: one buffer, a line at a time
 *   trace_html.c  the page: the embedded template around the JSON trace
 */
#ifndef IPCSIM_TRACE_INT_H
#define IPCSIM_TRACE_INT_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ipcsim/render.h"
#include "types/bytebuf.h"

/* Longest message text (in bytes) a state or result shows; "size" is exact. */
#define TRACE_TEXT_MAX 64

/* ---- the JSON writer (trace_buf.c) ---------------------------------------- */

struct tbuf {
	struct bytebuf text; /* the line so far */
	int html;   /* '<' written \u003c (the page's <script> block) */
	int failed; /* out of memory: the line is lost */
	FILE *tw;   /* tbuf_text's printer, on tmem */
	char tmem[TRACE_TEXT_MAX * 4 + 8];
};

void tbuf_free(struct tbuf *b);
/* Bytes as a JSON string holding the body of a C string literal (escapes,
 * trailing NULs dropped), at most TRACE_TEXT_MAX bytes of input, cut between
 * UTF-8 characters: valid UTF-8 kept as it is (strace_print_string). */
void tbuf_text(struct tbuf *b, const unsigned char *bytes, size_t len);
/* Room for n more bytes: where they go, or NULL (failed).  Inline: called
 * per field. */
static inline char *tbuf_room(struct tbuf *b, size_t n)
{
	char *room = b->failed ? NULL : bytebuf_room(&b->text, n);

	if (room == NULL)
		b->failed = 1;
	return room;
}
static inline void tbuf_raw(struct tbuf *b, const char *s, size_t n)
{
	char *room = tbuf_room(b, n);

	if (room == NULL)
		return;
	memcpy(room, s, n);
	b->text.len += n;
}
void tbuf_lit(struct tbuf *b, const char *s);
void tbuf_int(struct tbuf *b, long long v);
void tbuf_str(struct tbuf *b, const char *s); /* NULL: null */
void tbuf_str_n(struct tbuf *b, const char *s, size_t n);
/* `"key":`, after a comma unless the object or array has just opened */
void tbuf_key(struct tbuf *b, const char *key);

/* ---- the objects of the state (trace_state.c) --------------------------- */

/* Where and how objects are written: in the whole state (patch 0), or as a
 * patch's object (patch 1: its own fields one per line, "key":value, no id,
 * none of the fields that follow from the records). */
struct tfields {
	struct tbuf *b;
	const struct sim_kernel *k;
	const struct scenario_names *names;
	int patch;
	int depth;          /* 0: the object's own fields; more: inside a value */
	struct bytebuf *units; /* whole state: where each record written starts */
	int msqid;          /* records: their queue */
	int shmid, regions, regions_more; /* a segment's regions: listed, not listed */
};

#define TRACE_ID_MAX 48
/* "q3", "m3.17" (b >= 0), "p1000". */
void tf_id(char id[TRACE_ID_MAX], char prefix, long long a, long long b);
/* The scenario's name of process pid, or NULL. */
const char *tf_name(const struct tfields *f, int pid);
/* An element of a list ('{': after a comma unless the first), or a list ('['). */
void tf_open(struct tfields *f, char bracket);
void tf_close(struct tfields *f, char bracket);

/* Each kind's fields, in the state's order; id is the object's. */
void tf_queue(struct tfields *f, const char *id, int idx, int msqid,
              const struct ipcsim_msqid_ds *ds);
void tf_record(struct tfields *f, const char *id, const struct sim_msg_record_view *r);
void tf_area(struct tfields *f, const struct sim_area_info *info);
void tf_segment(struct tfields *f, const char *id, int shmid, const struct ipcsim_shmid_ds *ds);
void tf_semset(struct tfields *f, const char *id, int semid, const struct ipcsim_semid_ds *ds);
/* vars: the process's variables as tf_vars_pack packs them (name, value,
 * ... each with its NUL), vars_len bytes. */
void tf_proc(struct tfields *f, const char *id, const struct sim_proc_view *v, const char *vars,
             size_t vars_len);
void tf_vars_pack(struct tbuf *b, const struct render_vars *vars, int pid);
/* Every segment (kind 's') or semaphore set ('S') in index order: begin
 * (may be NULL), its fields, then end with its id and its place in the list.
 * 0, or -1 as soon as end returns < 0. */
int tf_indexed(struct tfields *f, char kind, void (*begin)(void *ctx),
               int (*end)(void *ctx, const char *id, int at), void *ctx);
/* The limits object, {"msgmax":8192,...}. */
void tf_limits(struct tbuf *b, const struct sim_kernel *k);

/* The state after a step (docs/trace-format.md, "state") into b; vars
 * (NULL: none) gives each process's variables.  0, or -1 (b->failed: out
 * of memory). */
int trace_state_write(struct tbuf *b, const struct sim_kernel *k,
                      const struct scenario_names *names, const struct render_vars *vars);

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

/* The page around the JSON: the template up to where the JSON goes, and
 * the rest.  0, or -1 on a write error. */
int trace_html_head(FILE *out);
int trace_html_tail(FILE *out);

#endif
