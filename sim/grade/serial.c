/*
 * serial.c - a grade_result as text and back, so a child process can hand
 * its result to the parent (grade_result_write, grade_result_read).
 *
 *   R <points> <max> <infra> <nquestions> <nholes> <name> <seed|-> <message|->
 *   H <question> <hole> <points> <max> <verdict> <name> <answer> <right> <feedback|->
 *
 * Fields are tab-separated; in text fields a backslash escapes itself, a
 * tab (\t) and a line break (\n); a lone "-" is an absent field (a present
 * "-" is written "\-").
 */
#include <stdlib.h>
#include <string.h>

#include "grade/grade_int.h"

static void put(FILE *out, const char *s)
{
	fputc('\t', out);
	if (s == NULL) {
		fputc('-', out);
		return;
	}
	if (strcmp(s, "-") == 0) {
		fputs("\\-", out);
		return;
	}
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\t')
			fputs("\\t", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

int grade_result_write(FILE *out, const struct grade_result *r)
{
	fprintf(out, "R\t%d\t%d\t%d\t%d\t%d", r->points, r->max, r->infra_error, r->nquestions,
	        r->nholes);
	put(out, r->name);
	put(out, r->seed);
	put(out, r->message);
	fputc('\n', out);
	for (int i = 0; i < r->nholes; i++) {
		const struct grade_hole_result *h = &r->holes[i];

		fprintf(out, "H\t%d\t%d\t%d\t%d\t%d", h->question, h->hole, h->points, h->max,
		        (int)h->verdict);
		put(out, h->name);
		put(out, h->answer);
		put(out, h->right);
		put(out, h->feedback);
		fputc('\n', out);
	}
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

/* Splits line at tabs into at most max fields (unescaped in place); a
 * field written as a lone "-" is NULL. */
static int fields(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		char *o = p, *start = p;
		int absent = p[0] == '-' && (p[1] == '\t' || p[1] == '\0');

		while (*p != '\0' && *p != '\t') {
			if (*p == '\\' && p[1] != '\0') {
				p++;
				*o++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p;
				p++;
			} else {
				*o++ = *p++;
			}
		}
		f[n++] = absent ? NULL : start;
		if (*p == '\0') {
			*o = '\0';
			break;
		}
		*o = '\0';
		p++;
	}
	return n;
}

static char *dup_or_null(const char *s, int *fail)
{
	char *d = s != NULL ? strdup(s) : NULL;

	if (s != NULL && d == NULL)
		*fail = 1;
	return d;
}

struct grade_result *grade_result_read(FILE *in, const char **question_text, int nquestions)
{
	struct grade_result *r = calloc(1, sizeof(*r));
	char *line = NULL, *f[16];
	size_t cap = 0;
	int fail = 0, nh = 0;

	if (r == NULL)
		return NULL;
	if (getline(&line, &cap, in) < 0)
		goto bad;
	line[strcspn(line, "\n")] = '\0';
	if (fields(line, f, 16) != 9 || strcmp(f[0], "R") != 0 || f[6] == NULL)
		goto bad;
	r->points = atoi(f[1]);
	r->max = atoi(f[2]);
	r->infra_error = atoi(f[3]);
	r->nquestions = atoi(f[4]);
	nh = atoi(f[5]);
	if (r->nquestions != nquestions || nh < 0 || nh > 100000)
		goto bad;
	r->question_text = question_text;
	r->name = dup_or_null(f[6], &fail);
	r->seed = dup_or_null(f[7], &fail);
	r->message = dup_or_null(f[8], &fail);
	r->holes = calloc((size_t)nh + 1, sizeof(*r->holes));
	if (fail || r->holes == NULL)
		goto bad;
	for (; r->nholes < nh; r->nholes++) {
		struct grade_hole_result *h = &r->holes[r->nholes];

		if (getline(&line, &cap, in) < 0)
			goto bad;
		line[strcspn(line, "\n")] = '\0';
		if (fields(line, f, 16) != 10 || strcmp(f[0], "H") != 0 || f[6] == NULL ||
		    f[7] == NULL || f[8] == NULL)
			goto bad;
		h->question = atoi(f[1]);
		h->hole = atoi(f[2]);
		h->points = atoi(f[3]);
		h->max = atoi(f[4]);
		h->verdict = (enum grade_verdict)atoi(f[5]);
		h->name = dup_or_null(f[6], &fail);
		h->answer = dup_or_null(f[7], &fail);
		h->right = dup_or_null(f[8], &fail);
		h->feedback = dup_or_null(f[9], &fail);
		if (fail || h->question < 1 || h->question > nquestions)
			goto bad;
	}
	free(line);
	return r;
bad:
	free(line);
	grade_result_free(&r);
	return NULL;
}
