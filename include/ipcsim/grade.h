/*
 * ipcsim/grade.h - exercises: templates with parameters drawn from a seed,
 * per-student variants with holes, answer keys computed by the simulator,
 * grading with feedback, and the reports autograders read.
 *
 * Data flow (docs/scenario-language.md, "Templates and exercises"):
 *
 *   template --grade_template_instantiate(seed)--> variant (holes `?`)
 *   variant  --grade_exercise_new--> questions + key (script_record of it)
 *            --> student file (the variant with a header naming template
 *                and seed) and key file
 *   submission --grade_submission--> per hole: points, answer, right answer
 *   a class of results --grade_report_*--> text, TAP, CSV, item analysis,
 *                                          Gradescope / PrairieLearn JSON, JUnit XML
 *
 * The generator is ours and frozen (so a seed gives the same variant on
 * every machine and in every later version): a seed string is hashed with
 * FNV-1a (64 bits) into the state of SplitMix64; see the language reference.
 *
 * Ownership: every struct returned here is the caller's, freed with its
 * _free(), which nulls the caller's pointer; _free(NULL) is a no-op.
 * Nothing here runs a submission: predict exercises are graded by comparing
 * what the student wrote with the key, so a hostile file costs its parse,
 * bounded by GRADE_MAX_BYTES.
 */
#ifndef IPCSIM_GRADE_H
#define IPCSIM_GRADE_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

struct script_limits;

/* A submission longer than this is graded as far as its first this many bytes. */
#define GRADE_MAX_BYTES (1 << 20)

/* ---- the generator (rng.c) ------------------------------------------------ */

/* FNV-1a, 64 bits: offset basis 0xcbf29ce484222325, prime 0x100000001b3. */
uint64_t grade_fnv1a64(const void *data, size_t len);
/* SplitMix64: *state += 0x9e3779b97f4a7c15, then the mix; returns the output. */
uint64_t grade_splitmix64(uint64_t *state);
/* Uniform in [0, n) by rejection (no modulo bias); n > 0. */
uint64_t grade_uniform(uint64_t *state, uint64_t n);

/* ---- templates (template.c) ----------------------------------------------- */

/*
 * The variant of template text for seed: `param` lines removed, `${...}`
 * replaced by the values drawn.  A text without `param` lines and `${` is
 * returned unchanged.  Returns a malloc'd NUL-terminated text (*len set), or
 * NULL after `FILE:LINE:COL: error: ...` with the line and a caret on err.
 */
char *grade_template_instantiate(const char *file_name, const char *text, size_t len,
                                 const char *seed, size_t *out_len, FILE *err);

/* ---- exercises (exercise.c) ----------------------------------------------- */

struct grade_exercise;

/*
 * The variant of the template for seed, its questions and its key (the
 * variant run on the simulator: script_record).  name is the template's
 * name in headers (its file name without folder and `.scn`); version the
 * ipcsim version the headers record (ipcsim_version()).  limits bound
 * the key's run (NULL: none).  NULL after a diagnostic on err: a bad
 * template, no hole in it, or a key that does not run.
 */
struct grade_exercise *grade_exercise_new(const char *name, const char *file_name,
                                          const char *text, size_t len, const char *seed,
                                          const char *version,
                                          const struct script_limits *limits, FILE *err);
void grade_exercise_free(struct grade_exercise **x);
/* The student's file and the key file (header lines, then the scenario);
 * owned by x. */
const char *grade_exercise_student(const struct grade_exercise *x);
const char *grade_exercise_key(const struct grade_exercise *x);
/* Questions, and the points all of them give. */
int grade_exercise_questions(const struct grade_exercise *x);
int grade_exercise_max_points(const struct grade_exercise *x);

/* "SEED" of a student file's header, malloc'd; NULL when text has no
 * `# ipcsim quiz:` header line. */
char *grade_header_seed(const char *text, size_t len);

/* ---- grading (grade.c) ---------------------------------------------------- */

enum grade_verdict {
	GRADE_RIGHT,
	GRADE_WRONG,
	GRADE_UNANSWERED, /* the hole still reads `?`, or the line is gone */
	GRADE_EDITED,     /* the question's own text was changed: no points */
	GRADE_MALFORMED,  /* the answer does not parse: its error is the feedback */
};

/* One hole of one question, as graded. */
struct grade_hole_result {
	int question;       /* 1-based */
	int hole;           /* 1-based within the question */
	char *name;         /* "result", "mtype", "msg_qnum", "output"... */
	int points, max;
	enum grade_verdict verdict;
	char *answer;       /* what the student wrote ("" when nothing) */
	char *right;        /* the key's answer */
	char *feedback;     /* one line: why (the parse error, the edited line, the hint) */
};

struct grade_result {
	char *name;         /* the submission's name (its path) */
	char *seed;         /* from its header; NULL when it has none */
	int points, max;
	int infra_error;    /* 1: could not be graded (unreadable, no header): no score */
	char *message;      /* what applies to the whole file, or NULL */
	int nholes;
	struct grade_hole_result *holes;
	int nquestions;
	const char **question_text; /* each question's line as the student saw it (owned by
	                               the exercise the result was graded against) */
};

/*
 * Grades one submission (its text, at most GRADE_MAX_BYTES of it) against
 * the exercise made from the template for the seed its header names: the
 * caller passes that exercise (see grade_header_seed).  x may be NULL when
 * the submission could not be matched (r->infra_error set with message).
 * Never fails but for memory: NULL then.
 */
struct grade_result *grade_submission(const struct grade_exercise *x, const char *name,
                                      const char *text, size_t len);
/* A result that says only why name could not be graded (infra_error 1). */
struct grade_result *grade_result_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void grade_result_free(struct grade_result **r);

/* ---- write exercises (checks.c) ---------------------------------------------
 *
 * The student writes the steps; the instructor's checks file says what must
 * hold after them, each line a check worth points (`# points=N hint: ...`):
 *   - any scenario line with an expectation (`= ...`, `assert(...)`, a `$`
 *     line with `>` lines), run after the student's steps, in the same
 *     kernel, with the student's processes and variables;
 *   - `forbid CALL...`: the student's steps call none of them;
 *   - `blocked PROC CALL`: PROC slept in CALL during the student's steps.
 * Other lines run after the student's steps as setup (no points).  The
 * submission runs on the simulator under limits (steps, processes); a line
 * of it that does not parse is dropped, with its error as feedback.
 */
struct grade_checks;

/* NULL after a diagnostic on err (no check in the file, a bad forbid line...). */
struct grade_checks *grade_checks_new(const char *name, const char *file_name, const char *text,
                                      size_t len, FILE *err);
void grade_checks_free(struct grade_checks **c);
int grade_checks_max_points(const struct grade_checks *c);
/* The checks (the questions of a write exercise) and their lines, owned by c. */
int grade_checks_count(const struct grade_checks *c);
const char **grade_checks_questions(const struct grade_checks *c);
/* Runs text (at most GRADE_MAX_BYTES of it), then the checks.  A run stopped
 * by limits->max_seconds is an infrastructure error (infra_error set), not
 * a score; by the other limits, the checks after the stop fail saying so.
 * NULL only when out of memory. */
struct grade_result *grade_write_submission(const struct grade_checks *c, const char *name,
                                            const char *text, size_t len,
                                            const struct script_limits *limits);

/* ---- passing a result between processes (serial.c) -------------------------
 * The CLI grades a write submission in a child process (its crash, or its
 * memory, cannot cost another submission its grade); the child writes its
 * result, the parent reads it.  Text lines, fields escaped. */
int grade_result_write(FILE *out, const struct grade_result *r);
/* NULL on malformed input or out of memory.  question_text: the exercise's
 * (or checks') lines, which the result points to. */
struct grade_result *grade_result_read(FILE *in, const char **question_text, int nquestions);

/* ---- reports (report*.c) --------------------------------------------------
 *
 * Each takes the results of a class, in the order given; every one is
 * deterministic (same results, same bytes).  0, or -1 when a write failed.
 */
struct grade_class {
	const char *exercise;   /* the template's name */
	int nresults;
	struct grade_result **results;
};

/* xv6 `make grade` style: a line per question, `Score: n/m`, `N passed, N failed`. */
int grade_report_text(FILE *out, const struct grade_class *c);
/* TAP 14: a test point per question of every submission. */
int grade_report_tap(FILE *out, const struct grade_class *c);
/* A row per submission: name, seed, score, max, then each question's points. */
int grade_report_csv(FILE *out, const struct grade_class *c);
/* Share of the class right per question; the three most common wrong answers per hole. */
int grade_report_items(FILE *out, const struct grade_class *c);
/* Gradescope results.json of one submission (r). */
int grade_report_gradescope(FILE *out, const struct grade_result *r);
/* PrairieLearn external grader results.json of one submission (r). */
int grade_report_prairielearn(FILE *out, const struct grade_result *r);
/* JUnit XML: a testsuite per submission, a testcase per question. */
int grade_report_junit(FILE *out, const struct grade_class *c);

#pragma GCC visibility pop

#endif
