/*
 * ipcsim/explore.h - `ipcsim explore`: every way the scheduler can
 * interleave a scenario's programs, or a random sample of them, and the end
 * states they reach (docs/explore.md).
 *
 * explore_run() searches; the result lists the distinct end states
 * (outcomes), each with how many schedules reach it and the shortest
 * schedule found that does (its witness), and counts the schedules,
 * states and steps.  The printers write it as text, JSON, an HTML report,
 * and each witness as an ordinary scenario.
 *
 * Ownership: the result keeps a pointer to the script, which must outlive
 * it; explore_free() releases it.
 */
#ifndef IPCSIM_EXPLORE_H
#define IPCSIM_EXPLORE_H

#include <stdint.h>
#include <stdio.h>

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

struct script;
struct explore;

struct explore_options {
	int naive;                /* every interleaving: no reduction */
	long long random_runs;    /* > 0: that many random schedules instead */
	unsigned long long seed;  /* of the random schedules */
	long long max_states;     /* stop after this many states (0: 10,000,000) */
	long long max_seconds;    /* stop after this long (0: no limit) */
};

/* Searches; NULL only when out of memory.  A search a limit stopped is
 * still a result: explore_complete() says whether it is whole. */
struct explore *explore_run(const struct script *s, const struct explore_options *o);
void explore_free(struct explore **ex);
/* The search's counts: schedules (complete runs, counted through the
 * states: saturates), distinct states stored, steps taken. */
void explore_counts(const struct explore *ex, uint64_t *schedules, uint64_t *states,
                    uint64_t *steps);
/* 1 when every schedule was covered (exhaustive and not stopped). */
int explore_complete(const struct explore *ex);
/* Outcomes: how many, and outcome i's text and number of schedules. */
int explore_outcomes(const struct explore *ex);
const char *explore_outcome_text_at(const struct explore *ex, int i);
uint64_t explore_outcome_count(const struct explore *ex, int i);
/* Outcome i's witness, as `--schedule` takes it (P1,P2,P1...); malloc'd. */
char *explore_witness_schedule(const struct explore *ex, int i);

/* The report as text (exploring's summary, each outcome with its count,
 * histogram bar and witness) or as one JSON object. */
int explore_print(const struct explore *ex, FILE *out);
int explore_print_json(const struct explore *ex, FILE *out);
/* Writes outcome i's witness to out: the scenario with the programs' steps
 * in the witness's order, every result filled in (ipcsim record's form).
 * 0, or -1 with a message on err. */
int explore_write_witness(const struct explore *ex, int i, FILE *out, FILE *err);
/* The HTML report: every outcome, each opening its witness's trace. */
int explore_print_html(const struct explore *ex, FILE *out, FILE *err);

#pragma GCC visibility pop

#endif
