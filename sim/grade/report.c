/*
 * report.c - the plain reports of a class's grades: text (xv6 `make grade`
 * style), TAP 13, CSV, and the item analysis.  Every report is a pure
 * function of the results, in the order given: the same inputs print the
 * same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "grade/grade_int.h"

static const char *verdict_word(enum grade_verdict v)
{
	switch (v) {
	case GRADE_RIGHT: return "OK";
	case GRADE_WRONG: return "FAIL";
	case GRADE_UNANSWERED: return "NO ANSWER";
	case GRADE_EDITED: return "CHANGED";
	case GRADE_MALFORMED: return "MALFORMED";
	}
	return "?";
}

static int finish(FILE *out)
{
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

int grade_report_text(FILE *out, const struct grade_class *c)
{
	int passed = 0, failed = 0;

	for (int i = 0; i < c->nresults; i++) {
		const struct grade_result *r = c->results[i];

		if (r->infra_error) {
			fprintf(out, "%s: ERROR (not graded): %s\n", r->name, r->message);
			continue;
		}
		fprintf(out, "== %s", r->name);
		if (r->seed != NULL)
			fprintf(out, " (seed \"%s\")", r->seed);
		fputc('\n', out);
		for (const char *m = r->message; m != NULL && *m != '\0';) {
			size_t n = strcspn(m, "\n");

			fprintf(out, "   %.*s\n", (int)n, m);
			m += n + (m[n] == '\n');
		}
		for (int h = 0; h < r->nholes; h++) {
			const struct grade_hole_result *hr = &r->holes[h];

			fprintf(out, "q%d.%d %s: %s (%d/%d)", hr->question, hr->hole, hr->name,
			        verdict_word(hr->verdict), hr->points, hr->max);
			if (hr->verdict == GRADE_RIGHT) {
				passed++;
				fputc('\n', out);
				continue;
			}
			failed++;
			if (hr->verdict == GRADE_WRONG && hr->answer != NULL && hr->answer[0] != '\0')
				fprintf(out, ": wrote %s", hr->answer);
			fprintf(out, ": %s\n", hr->feedback != NULL ? hr->feedback : "");
		}
		fprintf(out, "Score: %d/%d\n", r->points, r->max);
	}
	fprintf(out, "%d passed, %d failed\n", passed, failed);
	return finish(out);
}

/* A TAP YAML scalar: single-quoted, quotes doubled, control bytes as '?'. */
static void yaml_str(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\'')
			fputs("''", out);
		else
			fputc((unsigned char)*s < 0x20 ? '?' : *s, out);
	}
	fputc('\'', out);
}

/* A TAP description: no '#' (a directive) and no newline. */
static void tap_desc(FILE *out, const char *s)
{
	for (; *s != '\0'; s++)
		fputc(*s == '#' ? '_' : (unsigned char)*s < 0x20 ? ' ' : *s, out);
}

int grade_report_tap(FILE *out, const struct grade_class *c)
{
	int n = 0, total = 0;

	for (int i = 0; i < c->nresults; i++)
		total += c->results[i]->infra_error ? 1 : c->results[i]->nholes;
	fprintf(out, "TAP version 13\n1..%d\n", total);
	for (int i = 0; i < c->nresults; i++) {
		const struct grade_result *r = c->results[i];

		if (r->infra_error) {
			fprintf(out, "not ok %d - ", ++n);
			tap_desc(out, r->name);
			fputs(" not graded\n  ---\n  message: ", out);
			yaml_str(out, r->message);
			fputs("\n  severity: error\n  ...\n", out);
			continue;
		}
		for (int h = 0; h < r->nholes; h++) {
			const struct grade_hole_result *hr = &r->holes[h];
			char desc[64];

			snprintf(desc, sizeof(desc), " q%d.%d ", hr->question, hr->hole);
			fprintf(out, "%s %d - ", hr->verdict == GRADE_RIGHT ? "ok" : "not ok", ++n);
			tap_desc(out, r->name);
			fputs(desc, out);
			tap_desc(out, hr->name);
			fprintf(out, " (%d/%d)\n", hr->points, hr->max);
			if (hr->verdict == GRADE_RIGHT)
				continue;
			fputs("  ---\n  message: ", out);
			yaml_str(out, hr->feedback);
			fputs("\n  severity: fail\n  data:\n    got: ", out);
			yaml_str(out, hr->answer);
			fputs("\n    expect: ", out);
			yaml_str(out, hr->right);
			fputs("\n  ...\n", out);
		}
	}
	return finish(out);
}

/* RFC 4180: quoted when it holds a comma, a quote or a line break. */
static void csv_field(FILE *out, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static int class_questions(const struct grade_class *c)
{
	int n = 0;

	for (int i = 0; i < c->nresults; i++)
		if (c->results[i]->nquestions > n)
			n = c->results[i]->nquestions;
	return n;
}

int grade_report_csv(FILE *out, const struct grade_class *c)
{
	int nq = class_questions(c);

	fputs("submission,seed,score,max,status", out);
	for (int q = 1; q <= nq; q++)
		fprintf(out, ",q%d", q);
	fputs("\r\n", out);
	for (int i = 0; i < c->nresults; i++) {
		const struct grade_result *r = c->results[i];

		csv_field(out, r->name);
		fputc(',', out);
		csv_field(out, r->seed);
		if (r->infra_error) {
			fputs(",,,error", out);
			for (int q = 1; q <= nq; q++)
				fputc(',', out);
			fputs("\r\n", out);
			continue;
		}
		fprintf(out, ",%d,%d,graded", r->points, r->max);
		for (int q = 1; q <= nq; q++) {
			int pts = 0;

			for (int h = 0; h < r->nholes; h++)
				if (r->holes[h].question == q)
					pts += r->holes[h].points;
			fprintf(out, ",%d", pts);
		}
		fputs("\r\n", out);
	}
	return finish(out);
}

/* ---- item analysis ----------------------------------------------------------- */

struct tally {
	const char *answer;
	int count;
};

static int by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->answer, y->answer);
}

static int by_answer(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The three most common wrong answers of hole (q, h) across the class. */
static int common_wrong(FILE *out, const struct grade_class *c, int q, int h)
{
	const char **wrong = calloc((size_t)c->nresults + 1, sizeof(*wrong));
	struct tally *t = calloc((size_t)c->nresults + 1, sizeof(*t));
	int nw = 0, nt = 0;

	if (wrong == NULL || t == NULL) {
		free(wrong);
		free(t);
		return -1;
	}
	for (int i = 0; i < c->nresults; i++) {
		const struct grade_result *r = c->results[i];

		for (int k = 0; !r->infra_error && k < r->nholes; k++)
			if (r->holes[k].question == q && r->holes[k].hole == h &&
			    r->holes[k].verdict == GRADE_WRONG)
				/* a write check has no answer: its failure says what went wrong */
				wrong[nw++] = r->holes[k].answer[0] != '\0' || r->holes[k].feedback == NULL
				              ? r->holes[k].answer : r->holes[k].feedback;
	}
	qsort(wrong, (size_t)nw, sizeof(*wrong), by_answer);
	for (int i = 0; i < nw; i++) {
		if (nt > 0 && strcmp(t[nt - 1].answer, wrong[i]) == 0)
			t[nt - 1].count++;
		else
			t[nt++] = (struct tally){ wrong[i], 1 };
	}
	qsort(t, (size_t)nt, sizeof(*t), by_count);
	for (int i = 0; i < nt && i < 3; i++)
		fprintf(out, "      %dx %s\n", t[i].count, t[i].answer);
	free(wrong);
	free(t);
	return 0;
}

int grade_report_items(FILE *out, const struct grade_class *c)
{
	const struct grade_result *first = NULL;
	int graded = 0;

	for (int i = 0; i < c->nresults; i++)
		if (!c->results[i]->infra_error) {
			graded++;
			if (first == NULL)
				first = c->results[i];
		}
	fprintf(out, "Item analysis: %s, %d submission%s graded\n", c->exercise, graded,
	        graded == 1 ? "" : "s");
	for (int k = 0; first != NULL && k < first->nholes; k++) {
		int q = first->holes[k].question, h = first->holes[k].hole, right = 0;

		for (int i = 0; i < c->nresults; i++) {
			const struct grade_result *r = c->results[i];

			for (int j = 0; !r->infra_error && j < r->nholes; j++)
				right += r->holes[j].question == q && r->holes[j].hole == h &&
				         r->holes[j].verdict == GRADE_RIGHT;
		}
		if (h == 1 && first->question_text != NULL)
			fprintf(out, "  q%d  %s\n", q, first->question_text[q - 1]);
		fprintf(out, "  q%d.%d %-10s %3d%% right (%d/%d)\n", q, h, first->holes[k].name,
		        graded > 0 ? right * 100 / graded : 0, right, graded);
		if (common_wrong(out, c, q, h) < 0)
			return -1;
	}
	return finish(out);
}
