/*
 * show_int.h - what the parts of the `show` diagram share.
 *
 * A drawing is built first as a list of lines (struct show_doc), each with a
 * stable key (the trace's ids: "q0", "m0.3", "s0@16", "S0#1", "p1000"), then
 * laid out (show_lines.c): compared with an earlier drawing (a render_memo)
 * to mark what was created (+), changed (~) or removed (-) in the two-column
 * gutter every line has, cut to the changes or to a number of rows, and
 * printed.  The parts only add lines:
 *
 *   show.c        the driver, banners, names
 *   show_msg.c    queues, their records, the kernel data area
 *   show_shm.c    segments and their bytes (show_mem.c classifies them)
 *   show_sem.c    semaphore sets
 *   show_proc.c   the processes: state, variables, attachments
 */
#ifndef IPCSIM_RENDER_SHOW_INT_H
#define IPCSIM_RENDER_SHOW_INT_H

#include <string.h>

#include "ipcsim/render.h"

#define SHOW_WIDTH 80
#define SHOW_KEY 48 /* longest key, with its NUL */

enum show_sect { SECT_MSG, SECT_AREA, SECT_SHM, SECT_SEM, SECT_PROCS, SECT_COUNT };

enum show_role {
	ROLE_BANNER, /* "== Title ===": a section; key "=<sect>" */
	ROLE_HEAD,   /* column names; never marked */
	ROLE_SUB,    /* "-- q 0 ... ---": an object's block; never marked */
	ROLE_ITEM,   /* what the kernel holds: marked when it appears, changes, goes */
	ROLE_NOTE,   /* a summary ("@8-4095 zeros"); never marked, cut first */
	ROLE_HIDDEN, /* never printed: kept in a memo for the next drawing */
};

/* How much a line is worth keeping when rows are short (higher: kept longer). */
enum show_prio { PRIO_HEAD = 1, PRIO_NOTE = 2, PRIO_ROW = 4, PRIO_BODY = 6, PRIO_KEY = 8,
		 PRIO_BANNER = 9 };

struct show_line {
	char *text;             /* plain text; items start after the gutter */
	char key[SHOW_KEY];     /* stable id; "" for none */
	char group[SHOW_KEY];   /* the object block it belongs to ("q0"); "" for none */
	unsigned char sect, role, prio;
	unsigned char cont;     /* continues the line before it (a wrapped flow):
	                           marked as that line is */
	char mark;              /* ' ', '+', '~', '-' */
};

struct show_doc {
	struct show_line *v;
	size_t n, cap;
	int oom;
};

struct show {
	const struct sim_kernel *k;
	const struct render_opts *o;
	const struct render_memo *since; /* NULL: no marks */
	struct show_doc *doc;
	int sect;                        /* the section being built */
};

/* ---- show_lines.c: the line list, the memo, layout and output ------------ */
/* Appends a line (text printf-style, cut at the width).  role ROLE_ITEM
 * lines need a key. */
void show_add(struct show *s, enum show_role role, int prio, const char *key, const char *group,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same, text as it is. */
void show_add_text(struct show *s, enum show_role role, int prio, const char *key,
                   const char *group, const char *text);
/* "== Title ====...": a section banner exactly SHOW_WIDTH - 1 wide. */
void show_banner(struct show *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "-- Title ----...": an object's block. */
void show_sub(struct show *s, const char *group, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void show_doc_free(struct show_doc *d);
/* The lines of an earlier drawing with role and group, in order: cb(key, text). */
void show_memo_each(const struct render_memo *m, int role, const char *group,
                    void (*cb)(void *ctx, const char *key, const char *text), void *ctx);
/* Marks, cuts and prints doc; the number of lines printed. */
int show_emit(struct show *s, FILE *out);
/* doc into m (what a later drawing compares with).  0, or -1 out of memory. */
int show_memo_set(struct render_memo *m, const struct show_doc *doc);

/* ---- show.c --------------------------------------------------------------- */
/* src into dst (size bytes, cut to fit, always ended): snprintf's "%s",
 * which a drawing called hundreds of times at ~600 instructions each.
 * strlen(src), as snprintf returns. */
static inline size_t show_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src), m = n < size ? n : size - 1;

	memcpy(dst, src, m);
	dst[m] = '\0';
	return n;
}
/* Text built piece by piece in a fixed buffer and cut at its end, as
 * snprintf cuts: the drawing's keys and chain items, where snprintf cost
 * ~700 instructions a call and a drawing made a hundred. */
struct show_text {
	char *s;
	size_t size, len; /* len < size: what is kept, ended by a NUL */
};
void show_text_init(struct show_text *t, char *buf, size_t size);
void show_text_str(struct show_text *t, const char *str);
void show_text_char(struct show_text *t, char c);
void show_text_int(struct show_text *t, long long v);      /* "%lld" */
void show_text_uint(struct show_text *t, unsigned long long v); /* "%llu" */

/* The scenario's name for uid, else the number (in buf). */
const char *show_user_name(const struct show *s, unsigned uid, char buf[16]);
/* The scenario's name for pid, else "-". */
const char *show_proc_name(const struct show *s, int pid);
/* bytes as a C string literal body cut to max columns ("..." when cut);
 * trailing NULs are not shown. */
void show_quote(char *buf, size_t size, const unsigned char *bytes, size_t n, size_t max);

/* Items that wrap: "a -> b -> c" continued on indented lines, each line
 * added with key "<key>.<row>" (row 0 is key itself). */
struct flow {
	struct show *s;
	int prio;
	const char *key, *group;
	int indent;                  /* of continuation lines */
	char line[SHOW_WIDTH + 8];
	int len, rows, items;        /* items: on the current line */
};
void show_flow_begin(struct flow *f, struct show *s, int prio, const char *key, const char *group,
                     const char *first);
void show_flow_item(struct flow *f, const char *lead, const char *text);
void show_flow_end(struct flow *f);

/* ---- the sections --------------------------------------------------------- */
void show_msg(struct show *s);
void show_area(struct show *s);
void show_shm(struct show *s);
void show_sem(struct show *s);
void show_procs(struct show *s);

#endif
