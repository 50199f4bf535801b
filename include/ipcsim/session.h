/*
 * ipcsim/session.h - running a scenario one statement at a time: the
 * stepper behind `ipcsim step` and the incremental session behind
 * `ipcsim repl`.
 *
 * Both rest on determinism: the same statements from a fresh simulated
 * kernel give the same state, so going back (the stepper's "back", the
 * session's `:undo`) is "start again from a fresh kernel and re-run all but
 * the last statement, quietly".  No snapshot of the kernel is ever taken.
 *
 * A step is a statement the interpreter runs: a call, a field assignment, a
 * `$` command, a directive (limit, file, user, group, process, show).
 * Resumed and ending lines (`P2: <... msgrcv resumed> = ...`) are not steps:
 * they are matched after the step before them, as in `ipcsim run`.
 *
 * Ownership: a stepper borrows its struct script (which must outlive it); a
 * session owns everything it holds.  _free() takes the handle's address,
 * frees and nulls it; NULL is a no-op.  Streams belong to the caller.
 */
#ifndef IPCSIM_SESSION_H
#define IPCSIM_SESSION_H

#include <stdio.h>

#include "ipcsim/script.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

/* ---- the stepper (`ipcsim step`) ------------------------------------------ */

struct script_stepper;

/* A stepper positioned before the first step.  NULL when out of memory. */
struct script_stepper *script_stepper_new(const struct script *s);
void script_stepper_free(struct script_stepper **sp);

/* Number of steps of the script. */
int script_stepper_count(const struct script_stepper *sp);
/* Steps done so far: 0 (before the first) .. count. */
int script_stepper_pos(const struct script_stepper *sp);
/* Source line (1-based) of step k (1..count); 0 when k is out of range. */
int script_stepper_line(const struct script_stepper *sp, int k);
/* The text of source line `line`, without its newline; "" when out of range. */
const char *script_stepper_source(const struct script_stepper *sp, int line);
/* 1 when step k is a `show` line: it draws the state itself. */
int script_stepper_shows_state(const struct script_stepper *sp, int k);
/* Number of source lines. */
int script_stepper_lines(const struct script_stepper *sp);
/* The file name the script was parsed as. */
const char *script_stepper_file(const struct script_stepper *sp);
/* The step that runs source line `line`, or else the first step after it;
 * 0 when no step is at or after that line. */
int script_stepper_step_at_line(const struct script_stepper *sp, int line);
/* The last step at or before source line `line` (`j N`: up to and including
 * line N, so on a comment or blank line the step before it); 0 when no step
 * comes before it. */
int script_stepper_step_upto_line(const struct script_stepper *sp, int line);

/*
 * Brings the state to "after step k" (k is clamped to 0..count).  Going
 * forward runs the steps in between; going back starts from a fresh kernel.
 * Every step but step k runs silently; step k prints what `ipcsim run` prints
 * for it (its line with the result, wake-ups, failed expectations) to out.
 * A runtime error (a step of a blocked or ended process...) is reported on
 * out as FILE:LINE:COL: error: ...; the position is then the step before the
 * one that failed, and script_stepper_stopped() names it.
 * Returns 0, or -1 after a runtime error or when out of memory.
 */
int script_stepper_goto(struct script_stepper *sp, int k, FILE *out, int color);
/* The step (1..count) at which a runtime error stopped the last goto, or 0. */
int script_stepper_stopped(const struct script_stepper *sp);
/* Expectations held and failed in steps 1..pos. */
void script_stepper_stats(const struct script_stepper *sp, struct script_stats *stats);
/* Draws the current state (80 columns), what the last step created, changed
 * or removed marked `+`, `~`, `-` (render_draw), each process with its
 * variables. */
void script_stepper_show(struct script_stepper *sp, FILE *out, int color);
/* The same in at most rows lines (0: no limit; ipcsim/render.h says what is
 * cut first); the number of lines drawn. */
int script_stepper_show_fit(struct script_stepper *sp, FILE *out, int color, int rows);

/* ---- the incremental session (`ipcsim repl`) ------------------------------ */

struct script_session;

/* An empty session; name ("<repl>") is the file name of its diagnostics.
 * NULL when out of memory. */
struct script_session *script_session_new(const char *name);
void script_session_free(struct script_session **ssp);

/*
 * Parses one line in the context of the lines accepted so far (names bound
 * by them are bound here) and runs it.  A step without a process prefix runs
 * as the default process: the one the last accepted step named, P1 at first.
 * Blank lines are ignored; `>` lines are refused (they belong in files).
 * What the line does is printed to out as `ipcsim run` prints it; a parse or
 * runtime error goes to err as NAME:LINE:COL: error: ... with the line as
 * parsed (prefix included) and a caret, and then the session is exactly as
 * before the line.  LINE is the line's number in the saved scenario.
 * Returns 0 when the line was accepted, 1 when it was blank, -1 when refused.
 */
int script_session_feed(struct script_session *ss, const char *line, FILE *out, FILE *err,
                        int color);

/* Forgets the last accepted line and rebuilds the state without it.  Writes
 * "undone: LINE" to out.  Returns 0, or -1 when there is nothing to undo
 * (then nothing changes) or out of memory. */
int script_session_undo(struct script_session *ss, FILE *out);

/* Writes the accepted lines as a scenario, every result filled in (as
 * `ipcsim record`), so that `ipcsim run` replays the session and exits 0.
 * Returns 0, or -1 with a message on err. */
int script_session_save(struct script_session *ss, FILE *out, FILE *err);

/* Draws the current state, what the last line (or :undo) created, changed or
 * removed marked `+`, `~`, `-`, each process with its variables. */
void script_session_show(struct script_session *ss, FILE *out, int color);
/* Draws only what the last line (or the last undo) changed: the marked lines
 * under their titles; nothing when it changed nothing.  Returns 1 when it
 * drew. */
int script_session_show_changes(struct script_session *ss, FILE *out, int color);

/* The default process of the next line without a prefix: the one the last
 * accepted step named, or when that one is blocked or has ended, the last
 * one named that can run (feed then prints a `# ...` line saying so). */
const char *script_session_proc(const struct script_session *ss);
/* NULL when the default process can take a step; else "blocked" or
 * "ended" (every process named so far is): the prompt says so. */
const char *script_session_proc_state(struct script_session *ss);
/* Number of accepted lines, and line i (0-based) as it was parsed. */
int script_session_count(const struct script_session *ss);
const char *script_session_line(const struct script_session *ss, int i);

#pragma GCC visibility pop

#endif
