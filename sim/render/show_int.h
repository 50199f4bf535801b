/*
 * show_int.h - what the parts of the `show` diagram share (show.c: queues,
 * data area, processes; show_shm.c; show_sem.c).
 */
#ifndef IPCSIM_RENDER_SHOW_INT_H
#define IPCSIM_RENDER_SHOW_INT_H

#include "ipcsim/render.h"

#define SHOW_WIDTH 80

struct show {
	FILE *out;
	const struct sim_kernel *k;
	const struct scenario_names *names;
	int color;
};

/* An ANSI SGR code, when colour is on. */
void show_sgr(const struct show *s, const char *code);
/* "== Title ====...": a banner exactly SHOW_WIDTH - 1 wide. */
void show_banner(const struct show *s, char fill, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The scenario's name for uid, else the number (in buf). */
const char *show_user_name(const struct show *s, unsigned uid, char buf[16]);
/* The scenario's name for pid, else "-". */
const char *show_proc_name(const struct show *s, int pid);

/* Items that wrap: "a -> b -> c" continued on indented lines. */
struct flow {
	const struct show *s;
	int col, indent;
};
void show_flow_item(struct flow *f, const char *lead, const char *color, const char *text);

void show_shm(const struct show *s);
void show_sem(const struct show *s);

#endif
