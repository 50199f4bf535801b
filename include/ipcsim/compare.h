/*
 * ipcsim/compare.h - the comparing backend behind `ipcsim check`: one
 * scenario, run step by step in lock step on the simulator and on the host
 * kernel, and where the two disagree.
 *
 * The comparing backend is a struct backend (ipcsim/backend.h) over two
 * inner ones, the simulator's and the host's.  Every op goes to both; the
 * interpreter only ever sees the simulator's results (so what it prints and
 * the scenario's expectations are the simulator's), and the comparer keeps
 * a note of every step whose results differ.  It learns the line being run
 * from the interpreter's step_begin op.
 *
 * How the two worlds are compared (the rules of `ipcsim check`):
 *   - ids and return values: as they are.  A fresh IPC namespace numbers
 *     objects as the simulator does, so ids are part of the model;
 *   - pids: through a table bound when a process is made (proc_new, fork);
 *     keys in shell output: bound at first appearance, then held to it;
 *   - times: by relation only: unset (0) or set, and where the simulator
 *     orders two times of one object, the kernel must not order them the
 *     other way;
 *   - events (resumed calls, deaths) after a step: as sets;
 *   - `$` commands: the real tools' output against the simulated one, line
 *     by line, with dates and epoch seconds reduced to set / `Not set` and
 *     keys through the bindings; the pids and ftok keys written in a `$`
 *     line reach the host as its own; of /proc/PID/maps the System V lines,
 *     start addresses through the attachment bindings, a run as a set.
 * A host that cannot run a step faithfully (a capability it cannot grant, a
 * uid a user namespace cannot hold) makes that step SKIPPED, never agreed;
 * a simulator-only model (limit msgpool, msgssz) makes the whole scenario
 * skipped.
 *
 * Ownership: backend_compare_new takes both inner backends (the caller's
 * pointers are nulled); backend_free of the comparer frees them.  The
 * report belongs to the comparer and lives until backend_free.
 */
#ifndef IPCSIM_COMPARE_H
#define IPCSIM_COMPARE_H

#include <stdio.h>

#include "ipcsim/backend.h"
#include "ipcsim/sandbox.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

struct compare_options {
	/* 0: after the first divergence stop driving the host (the rest of the
	 * scenario runs on the simulator only); 1: compare every step. */
	int all;
	/* What the scenario may make the host hold; fields of 0 are the
	 * defaults of ipcsim/sandbox.h.  A step the simulator finds past it is
	 * not run on the host: the report's `stopped` says why. */
	struct ipcsim_budget budget;
};

enum compare_note_kind {
	COMPARE_DIVERGED, /* the two disagree */
	COMPARE_SKIPPED,  /* the host could not run this step faithfully */
};

/* One step the comparer has something to say about. */
struct compare_note {
	enum compare_note_kind kind;
	int line;          /* source line (0: before the first statement) */
	char *text;        /* that line, as written */
	char *call;        /* the call with its evaluated arguments, or "$ ipcs -q" */
	char *sim, *host;  /* each side's result, strace-style (NULL: none) */
	char *why;         /* what differs, or why the step was skipped */
	char *sim_state;   /* DIVERGED: `ipcs -a` on each side at that moment */
	char *host_state;
};

struct compare_report {
	struct compare_note *notes;
	int nnotes;
	int ndiverged, nskipped; /* notes of each kind */
	int nagreed;             /* steps compared and found equal */
	/* Non-NULL: the scenario uses a simulator-only model (the limit's
	 * name); the host stopped being compared there. */
	const char *sim_only;
	int sim_only_line;
	/* Non-NULL: the host backend itself failed (lost, timed out). */
	char *host_error;
	/* Non-NULL: the budget stopped the host at stopped_line (that step was
	 * not run on the host); what was over it. */
	char *stopped;
	int stopped_line;
	int notes_dropped;       /* notes past IPCSIM_REPORT_NOTES, counted only */
};

/*
 * A comparing backend over *sim and *host (both taken; *sim and *host are
 * set to NULL, even on failure, when they are freed).  o may be NULL.
 * NULL when out of memory.
 */
struct backend *backend_compare_new(struct backend **sim, struct backend **host,
                                    const struct compare_options *o);

/* The comparer's findings so far; NULL when b is not a comparing backend. */
const struct compare_report *backend_compare_report(const struct backend *b);

/* ---- the report (compare_report.c) --------------------------------------
 * Verdict of one scenario: "ok", "diverged", "skipped" (a simulator-only
 * model), "stopped" (over the budget) or "error" (the run or the host
 * failed; script_rc is the interpreter's exit status, run_err its
 * diagnostics or NULL). */
const char *compare_verdict(const struct compare_report *r, int script_rc);

/* The human report of one scenario: its verdict line, then each note with
 * the line, the call, both results and, for a divergence, both states. */
void compare_report_print(FILE *out, const char *file, const struct compare_report *r,
                          int script_rc, const char *run_err);

/* The same as one JSON object (json-c), appended to a JSON array the caller
 * owns; 0, or -1 when out of memory. */
struct json_object;
int compare_report_json(struct json_object *array, const char *file,
                        const struct compare_report *r, int script_rc, const char *run_err);

#pragma GCC visibility pop

#endif
