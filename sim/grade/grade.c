/*
 * grade.c - one submission graded against its exercise, hole by hole.
 *
 * Nothing of the submission runs: its lines are matched with the variant's
 * (grade_match_stems), each question's result is read (script_answer_parse)
 * and laid over the question's holes beside the key's (answer_cmp.c).  So
 * a malformed line costs only its own question (its parse error is the
 * feedback), a changed question line gets no points and says why, and a
 * hostile file costs at most the parse of GRADE_MAX_BYTES.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "grade/grade_int.h"
#include "ipcsim/shell.h" /* shell_lines_equal */

/* A submission of more statements than this is matched by position only
 * past it (the matching is quadratic). */
#define MAX_MATCH_LINES 4000

void grade_result_free(struct grade_result **pr)
{
	struct grade_result *r = pr != NULL ? *pr : NULL;

	if (r == NULL)
		return;
	for (int i = 0; i < r->nholes; i++) {
		free(r->holes[i].name);
		free(r->holes[i].answer);
		free(r->holes[i].right);
		free(r->holes[i].feedback);
	}
	free(r->holes);
	free(r->name);
	free(r->seed);
	free(r->message);
	free(r);
	*pr = NULL;
}

struct grade_result *grade_result_error(const char *name, const char *fmt, ...)
{
	struct grade_result *r = calloc(1, sizeof(*r));
	va_list ap;
	int n;

	if (r == NULL)
		return NULL;
	r->infra_error = 1;
	r->name = strdup(name);
	va_start(ap, fmt);
	n = vasprintf(&r->message, fmt, ap);
	va_end(ap);
	if (n < 0)
		r->message = NULL;
	if (r->name == NULL || r->message == NULL)
		grade_result_free(&r);
	return r;
}

struct grading {
	const struct grade_exercise *x;
	struct grade_result *r;
	char **slines;
	int nslines;
	const struct question *q;
	int sline;                      /* the student's line of q (0-based) */
	struct script_answer sa;        /* what the student wrote there */
	const struct script_anode *knodes[GRADE_HOLES_MAX];
	int fail;
};

static struct grade_hole_result *hole_slot(struct grading *g, int h)
{
	return &g->r->holes[g->r->nholes - g->q->nholes + h];
}

static void set_feedback(struct grading *g, struct grade_hole_result *hr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_feedback(struct grading *g, struct grade_hole_result *hr, const char *fmt, ...)
{
	va_list ap;

	free(hr->feedback);
	va_start(ap, fmt);
	if (vasprintf(&hr->feedback, fmt, ap) < 0) {
		hr->feedback = NULL;
		g->fail = 1;
	}
	va_end(ap);
}

static void key_node(void *ctx, int n, enum hole_kind kind, const struct script_anode *pnode,
                     const struct script_anode *tnode)
{
	struct grading *g = ctx;

	if (n < GRADE_HOLES_MAX)
		g->knodes[n] = kind == HOLE_WHY ? &g->q->why_code : tnode;
}

static void grade_hole(void *ctx, int n, enum hole_kind kind, const struct script_anode *pnode,
                       const struct script_anode *snode)
{
	struct grading *g = ctx;
	const struct hole *h = &g->q->holes[n];
	struct grade_hole_result *hr = hole_slot(g, n);
	const struct script_anode *knode = n < GRADE_HOLES_MAX ? g->knodes[n] : NULL;
	int unanswered;

	if (n >= g->q->nholes)
		return;
	hr->answer = grade_hole_text(kind, &g->sa, snode);
	if (hr->answer == NULL) {
		g->fail = 1;
		return;
	}
	if (kind == HOLE_ALL || kind == HOLE_HEAD)
		unanswered = g->sa.kind == SCRIPT_ANS_NONE ||
		             (g->sa.kind == SCRIPT_ANS_RESULT && g->sa.ret->kind == SCRIPT_A_HOLE);
	else
		unanswered = knode != NULL && (snode == NULL || snode->kind == SCRIPT_A_HOLE);
	if (unanswered) {
		hr->verdict = GRADE_UNANSWERED;
		set_feedback(g, hr, "no answer");
	} else if (grade_hole_matches(kind, &g->sa, snode, &g->q->key, knode)) {
		hr->verdict = GRADE_RIGHT;
		hr->points = h->points;
	} else {
		hr->verdict = GRADE_WRONG;
		set_feedback(g, hr, "expected %s%s%s%s%s", h->right,
		             g->q->why != NULL ? "; why: " : "", g->q->why != NULL ? g->q->why : "",
		             g->q->hint != NULL ? "; hint: " : "", g->q->hint != NULL ? g->q->hint : "");
	}
}

/* The `>` lines after the student's `$` line against the key's output. */
static void grade_output(struct grading *g)
{
	struct grade_hole_result *hr = hole_slot(g, 0);
	const struct question *q = g->q;
	int n = 0, first_bad = -1;

	while (g->sline + 1 + n < g->nslines && grade_output_text(g->slines[g->sline + 1 + n]) != NULL)
		n++;
	for (int k = 0; k < n || k < q->nkey_out; k++) {
		const char *got = k < n ? grade_output_text(g->slines[g->sline + 1 + k]) : NULL;

		if (got == NULL || k >= q->nkey_out || !shell_lines_equal(got, q->key_out[k])) {
			first_bad = k;
			break;
		}
	}
	if (n == 1 && strcmp(grade_output_text(g->slines[g->sline + 1]), "?") == 0) {
		hr->verdict = GRADE_UNANSWERED;
		hr->answer = strdup("?");
		set_feedback(g, hr, "no answer");
	} else if (first_bad < 0) {
		hr->verdict = GRADE_RIGHT;
		hr->points = q->holes[0].points;
		hr->answer = strdup(n > 0 ? grade_output_text(g->slines[g->sline + 1]) : "");
	} else {
		const char *got = first_bad < n ? grade_output_text(g->slines[g->sline + 1 + first_bad])
		                                : NULL;
		const char *want = first_bad < q->nkey_out ? q->key_out[first_bad] : NULL;

		hr->verdict = GRADE_WRONG;
		hr->answer = strdup(got != NULL ? got : "");
		set_feedback(g, hr, "output line %d: %s%s%s, expected %s%s%s", first_bad + 1,
		             got != NULL ? "'" : "", got != NULL ? got : "(missing)",
		             got != NULL ? "'" : "", want != NULL ? "'" : "",
		             want != NULL ? want : "no more lines", want != NULL ? "'" : "");
		if (want != NULL) {
			free(hr->right);
			hr->right = strdup(want);
		}
	}
	if (hr->answer == NULL || hr->right == NULL)
		g->fail = 1;
}

static void grade_question(struct grading *g, int sline)
{
	const struct question *q = g->q;
	char msg[160];
	int col, edited;

	g->sline = sline;
	for (int h = 0; h < q->nholes; h++) {
		struct grade_hole_result *hr = hole_slot(g, h);

		hr->question = q->number;
		hr->hole = h + 1;
		hr->name = strdup(q->holes[h].name);
		hr->max = q->holes[h].points;
		hr->right = strdup(q->holes[h].right);
		hr->verdict = GRADE_EDITED;
		if (hr->right == NULL || hr->name == NULL)
			g->fail = 1;
	}
	if (sline < 0) {
		for (int h = 0; h < q->nholes; h++)
			set_feedback(g, hole_slot(g, h), "the question's line was changed or removed "
			             "(line %d of the exercise): no points for this question",
			             q->vline + 1);
		return;
	}
	if (q->output) {
		grade_output(g);
		return;
	}
	col = script_answer_parse(g->slines[sline], &g->sa, msg, sizeof(msg));
	if (col != 0) {
		for (int h = 0; h < q->nholes; h++) {
			struct grade_hole_result *hr = hole_slot(g, h);

			hr->verdict = GRADE_MALFORMED;
			hr->answer = strdup("");
			set_feedback(g, hr, "%s:%d:%d: error: %s", g->r->name, sline + 1, col, msg);
		}
		return;
	}
	grade_walk_holes(&q->pattern, &q->key, &edited, key_node, g);
	grade_walk_holes(&q->pattern, &g->sa, &edited, grade_hole, g);
	if (edited) {
		for (int h = 0; h < q->nholes; h++) {
			struct grade_hole_result *hr = hole_slot(g, h);

			hr->verdict = GRADE_EDITED;
			hr->points = 0;
			set_feedback(g, hr, "line %d: the question was changed (it reads '%s'): no "
			             "points for this question", sline + 1, q->text);
		}
	}
	script_answer_release(&g->sa);
}

/* The header's `template=fnv1a64:HASH` is x's (or the file has no header). */
static int same_template(const struct grade_exercise *x, const char *first)
{
	const char *tag = strstr(first, " template=fnv1a64:");
	char want[17];

	if (strncmp(first, "# ipcsim quiz:", 14) != 0 || tag == NULL)
		return 1;
	snprintf(want, sizeof(want), "%016llx", (unsigned long long)x->template_hash);
	return strncmp(tag + 18, want, 16) == 0;
}

struct grade_result *grade_submission(const struct grade_exercise *x, const char *name,
                                      const char *text, size_t len)
{
	struct grading g = { .x = x };
	char **sstems = NULL;
	int *sof = NULL, total = 0;

	g.r = calloc(1, sizeof(*g.r));
	if (g.r == NULL)
		return NULL;
	g.r->name = strdup(name);
	g.r->seed = grade_header_seed(text, len);
	if (g.r->name == NULL)
		goto fail;
	if (len > GRADE_MAX_BYTES) {
		len = GRADE_MAX_BYTES;
		g.r->message = strdup("the file is longer than 1 MiB: graded as far as its first MiB");
	}
	if (grade_split_lines(text, len, &g.slines, &g.nslines) < 0)
		goto fail;
	if (g.r->message == NULL && g.nslines > 0 && !same_template(x, g.slines[0]) &&
	    asprintf(&g.r->message, "this file was made from another version of the template "
	             "(its first line names template=fnv1a64:%016llx): graded against this one",
	             (unsigned long long)x->template_hash) < 0)
		g.r->message = NULL;
	for (int i = 0; i < x->nquestions; i++)
		total += x->questions[i].nholes;
	g.r->holes = calloc((size_t)total + 1, sizeof(*g.r->holes));
	sstems = calloc((size_t)g.nslines + 1, sizeof(*sstems));
	sof = calloc((size_t)x->nvlines + 1, sizeof(*sof));
	if (g.r->holes == NULL || sstems == NULL || sof == NULL)
		goto fail;
	for (int i = 0; i < g.nslines; i++)
		sstems[i] = grade_stem(g.slines[i]);
	if (grade_match_stems(x->vstems, x->nvlines, sstems,
	                      g.nslines < MAX_MATCH_LINES ? g.nslines : MAX_MATCH_LINES, sof) < 0)
		goto fail;
	g.r->nquestions = x->nquestions;
	g.r->question_text = x->question_text;
	for (int i = 0; i < x->nquestions; i++) {
		g.q = &x->questions[i];
		g.r->nholes += g.q->nholes;
		grade_question(&g, sof[g.q->vline]);
	}
	for (int i = 0; i < g.r->nholes; i++) {
		g.r->points += g.r->holes[i].points;
		g.r->max += g.r->holes[i].max;
	}
	if (g.fail)
		goto fail;
	grade_free_lines(sstems, g.nslines);
	grade_free_lines(g.slines, g.nslines);
	free(sof);
	return g.r;
fail:
	grade_free_lines(sstems, sstems != NULL ? g.nslines : 0);
	grade_free_lines(g.slines, g.nslines);
	free(sof);
	grade_result_free(&g.r);
	return NULL;
}
