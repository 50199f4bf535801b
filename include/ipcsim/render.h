/*
 * ipcsim/render.h - drawing the simulated state for a person.
 *
 * Renderers read the kernel only through the read-only views of
 * ipcsim/kernel.h; they never see its internals and never change it.  What
 * only the scenario knows (the names it gives, the variables its processes
 * bind) comes in through callbacks, so this layer never depends on the
 * interpreter.
 *
 * Ownership: a render_memo belongs to whoever made it (render_memo_new,
 * render_memo_free); every other pointer is borrowed for the call.
 */
#ifndef IPCSIM_RENDER_H
#define IPCSIM_RENDER_H

#include <stdio.h>

#include "ipcsim/kernel.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

/* Draws the whole simulated state in at most 80 columns: the message table,
 * each queue's chain of records, the kernel data area, shared-memory
 * segments and their bytes, semaphore sets, the processes.  Sections with
 * nothing in them are left out.  color: use ANSI colours. */
void render_show(FILE *out, const struct sim_kernel *k, const struct scenario_names *names,
                 int color);

/* The variables a scenario's process bound, for the process panel: calls
 * cb(name, value) for each, value as scenario text ("100", "0x7efffffff000",
 * "{1, \"hi\"}").  foreach may be NULL. */
struct render_vars {
	void (*foreach)(void *ctx, int pid,
	                void (*cb)(void *cbctx, const char *name, const char *value), void *cbctx);
	void *ctx;
};

/* A drawing remembered by its items' stable ids, so that a later drawing can
 * mark what changed since: `+` created, `~` changed, `-` removed (drawn once
 * more).  NULL when out of memory; _free(NULL) is a no-op and nulls *m. */
struct render_memo;
struct render_memo *render_memo_new(void);
void render_memo_free(struct render_memo **m);

enum render_mode {
	RENDER_FULL,    /* everything */
	RENDER_CHANGES, /* only the marked lines, under their titles; nothing when none */
};

struct render_opts {
	const struct scenario_names *names; /* NULL: numbers */
	const struct render_vars *vars;     /* NULL: no variables */
	int color;                          /* ANSI colours */
	enum render_mode mode;
	const struct render_memo *since;    /* mark changes since this drawing; NULL: none */
	int rows;                           /* at most this many lines (0: no limit); what
	                                       is cut first: column titles, summaries,
	                                       unchanged rows - never a marked line */
};

/* Draws k as render_show does, with o's options.  Returns the number of
 * lines printed (0 in RENDER_CHANGES when nothing changed). */
int render_draw(FILE *out, const struct sim_kernel *k, const struct render_opts *o);
/* Remembers the state of k in m, as render_draw would draw it (o: names and
 * variables), for a later drawing's `since`.  0, or -1 out of memory (m is
 * then empty: nothing will be marked). */
int render_memo_take(struct render_memo *m, const struct sim_kernel *k,
                     const struct render_opts *o);

/* ---- segment bytes, as the diagrams show them ----------------------------
 * The written parts of a segment, each drawn the way it was written: a
 * stored long as a number, copied printable bytes as text, anything else as
 * hex.  Runs of NULs between texts are left out; unwritten memory is zeros. */
enum render_mem_kind { RENDER_MEM_LONG, RENDER_MEM_TEXT, RENDER_MEM_HEX };
struct render_mem_region {
	size_t off, len;            /* bytes of the segment; LONG: len / 8 longs */
	enum render_mem_kind kind;
	int pid;                    /* the process that wrote it last */
};
/* Calls cb for each region of segment shmid in offset order; stops when cb
 * returns non-zero.  0, or -EINVAL (unknown id) / -ENOMEM. */
int render_shm_regions(const struct sim_kernel *k, int shmid,
                       int (*cb)(void *ctx, const struct render_mem_region *r), void *ctx);

#pragma GCC visibility pop

#endif
