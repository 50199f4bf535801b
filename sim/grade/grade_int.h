/*
 * grade_int.h - the grader's private types: an exercise's questions, their
 * holes and key answers; the line matching shared by the key and the
 * submissions.
 *
 *   struct grade_exercise
 *     student, key    the two files' texts (header + scenario)
 *     vlines[]        the variant's lines (holes `?` in them)
 *     questions[]     one per line with holes (a `$` line whose output is `> ?`)
 *       pattern       the line's result read as a tree (script_answer)
 *       holes[]       each `?` of it: name, points, the key's answer
 */
#ifndef IPCSIM_GRADE_INT_H
#define IPCSIM_GRADE_INT_H

#include "ipcsim/grade.h"
#include "ipcsim/script.h"

/* Holes of one line, at most (more is an error in the template). */
#define GRADE_HOLES_MAX 64

/* What a hole covers. */
enum hole_kind {
	HOLE_ALL,    /* `= ?` alone: the whole result (return value, errno, payload) */
	HOLE_HEAD,   /* `= ? {...}`: the return value and errno */
	HOLE_ERR,    /* `= -1 ?`: the errno */
	HOLE_NODE,   /* a `?` inside the payload */
	HOLE_OUTPUT, /* `> ?`: the whole output of the `$` command */
	HOLE_WHY,    /* `why ?`: the reason code of the kernel's result */
};

struct hole {
	enum hole_kind kind;
	char *name;        /* "result", "errno", "mtype", "msg_qnum", "output" */
	int points;
	char *right;       /* the key's answer as text */
};

struct question {
	int number;        /* 1-based */
	int vline;         /* 0-based line of the variant */
	char *stem;        /* the line before its result, blanks removed (`$` line: all) */
	char *text;        /* the line as the student sees it */
	char *hint;        /* or NULL */
	char *why;         /* the kernel's reason for the key's result: "CODE: text", or NULL */
	struct script_anode why_code; /* WORD: the code alone (the key of a `why ?` hole) */
	int output;        /* a `$` line with `> ?` */
	struct script_answer pattern;  /* step questions */
	struct script_answer key;
	char **key_out;    /* output questions: the key's `>` texts */
	int nkey_out;
	struct hole *holes;
	int nholes;
};

struct grade_exercise {
	char *name, *seed;
	uint64_t template_hash;
	char *student, *key;
	char **vlines;
	char **vstems;     /* grade_stem of each of vlines (NULL for none) */
	int nvlines;
	struct question *questions;
	int nquestions;
	int max_points;
	const char **question_text; /* questions[i].text, for results */
};

/* ---- lines (lines.c) ------------------------------------------------------ */

/* text split at '\n' into malloc'd lines (without the '\n'); -1 out of memory. */
int grade_split_lines(const char *text, size_t len, char ***lines, int *n);
void grade_free_lines(char **lines, int n);
/* Offset of the `#` that starts line's comment (outside strings), or its length. */
size_t grade_comment_start(const char *line);
/* line[0..n) without blanks outside strings, malloc'd. */
char *grade_squeeze(const char *line, size_t n);
/* A `>` line's text (after "> "), or NULL when line is no `>` line. */
const char *grade_output_text(const char *line);
/* The stem of a line (what must stay as it was): a step's text before its
 * result, any other statement's text before its comment, blanks removed;
 * NULL for a blank, comment or `>` line. */
char *grade_stem(const char *line);

/*
 * Matches the statements of a (stems sa[0..na)) with those of b: match[i]
 * is the index in b of a's statement i, or -1.  Equal stems in order
 * (longest common subsequence), so a changed or missing line leaves only
 * itself unmatched; when both have as many statements, position decides
 * first (a changed line among equal ones keeps its place).
 */
int grade_match_stems(char *const *sa, int na, char *const *sb, int nb, int *match);

/* ---- comparing answers (answer_cmp.c) -------------------------------------- */

/* The node of tree t at pattern node p's place: by p's field name, else by
 * position idx in the list; NULL when there is none. */
const struct script_anode *grade_find_item(const struct script_anode *list,
                                           const struct script_anode *p, int idx);
/* Whether what the student wrote (s) matches the key (k) as `ipcsim run`
 * would accept it: integers by value (keys by their 32 bits), strings
 * without trailing NULs, lists item by item (a struct's named fields those
 * the student named). */
int grade_node_matches(const struct script_anode *s, const struct script_anode *k);
int grade_answer_matches(const struct script_answer *s, const struct script_answer *k);
/* Any hole in the tree. */
int grade_node_has_hole(const struct script_anode *n);

/*
 * Walks pattern p's holes in order over t (the key's or a student's result
 * of the same line): for each, calls fn with its number (0-based), kind,
 * the pattern node (HOLE_NODE; NULL else) and t's part at that place (the
 * node, or NULL when t has none there; for HOLE_ALL/HEAD/ERR, t itself is
 * what to look at).  Returns the number of holes; *edited is set when a
 * part of t that p gives (no hole) differs from p.
 */
typedef void hole_fn(void *ctx, int n, enum hole_kind kind, const struct script_anode *pnode,
                     const struct script_anode *tnode);
int grade_walk_holes(const struct script_answer *p, const struct script_answer *t, int *edited,
                     hole_fn *fn, void *ctx);
/* The text of t's answer at a hole (malloc'd; "" when t has nothing there). */
char *grade_hole_text(enum hole_kind kind, const struct script_answer *t,
                      const struct script_anode *tnode);
/* Whether the student's part s matches the key's part k at a hole. */
int grade_hole_matches(enum hole_kind kind, const struct script_answer *s,
                       const struct script_anode *snode, const struct script_answer *k,
                       const struct script_anode *knode);

#endif
