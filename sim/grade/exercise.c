/*
 * exercise.c - a template and a seed made into an exercise: the variant's
 * questions (each line with holes), the key (the variant run on the
 * simulator by script_record), and the two files handed out.
 *
 * The key is computed, never written by hand: every hole's line loses its
 * result, every `> ?` line goes, and script_record fills them all in.  Its
 * lines are matched back to the variant's by their stems (grade_match_stems)
 * because record adds lines (`>` output, resumed and killed lines).
 *
 * A question line's comment may carry its worth and a hint:
 *     P2: msgrcv(q, &m, 512, -300, 0) = ? {?, ?}   # points=2 hint: lowest type first
 * `points=N` gives each hole of the line N points (default 1); the hint is
 * feedback for a wrong answer and is left out of the student's file.
 */
#include <stdlib.h>
#include <string.h>

#include "grade/grade_int.h"

static void question_release(struct question *q)
{
	free(q->stem);
	free(q->text);
	free(q->hint);
	free(q->why);
	free(q->why_code.bytes);
	script_answer_release(&q->pattern);
	script_answer_release(&q->key);
	grade_free_lines(q->key_out, q->nkey_out);
	for (int h = 0; h < q->nholes; h++) {
		free(q->holes[h].name);
		free(q->holes[h].right);
	}
	free(q->holes);
}

void grade_exercise_free(struct grade_exercise **px)
{
	struct grade_exercise *x = px != NULL ? *px : NULL;

	if (x == NULL)
		return;
	for (int i = 0; i < x->nquestions; i++)
		question_release(&x->questions[i]);
	free(x->questions);
	free(x->question_text);
	grade_free_lines(x->vlines, x->nvlines);
	grade_free_lines(x->vstems, x->vstems != NULL ? x->nvlines : 0);
	free(x->name);
	free(x->seed);
	free(x->student);
	free(x->key);
	free(x);
	*px = NULL;
}

const char *grade_exercise_student(const struct grade_exercise *x) { return x->student; }
const char *grade_exercise_key(const struct grade_exercise *x) { return x->key; }
int grade_exercise_questions(const struct grade_exercise *x) { return x->nquestions; }
int grade_exercise_max_points(const struct grade_exercise *x) { return x->max_points; }

static void diag(FILE *err, const char *file, int line, int col, const char *text, const char *msg)
{
	fprintf(err, "%s:%d:%d: error: %s\n%s\n%*s^\n", file, line, col, msg, text, col - 1, "");
}

static int is_output_hole(const char *line)
{
	const char *t = grade_output_text(line);

	return t != NULL && strcmp(t + strspn(t, " \t"), "?") == 0;
}

static struct question *add_question(struct grade_exercise *x, int vline)
{
	struct question *grown = realloc(x->questions, (size_t)(x->nquestions + 1) * sizeof(*grown));

	if (grown == NULL)
		return NULL;
	x->questions = grown;
	memset(&grown[x->nquestions], 0, sizeof(*grown));
	grown[x->nquestions].number = x->nquestions + 1;
	grown[x->nquestions].vline = vline;
	return &grown[x->nquestions++];
}

/* `points=N` and `hint: text` from the line's comment; the line without the
 * hint into q->text. */
static int read_comment(struct question *q, const char *line)
{
	size_t c = grade_comment_start(line), keep;
	const char *pts, *hint;

	if (line[c] == '\0')
		return (q->text = strdup(line)) == NULL ? -1 : 0;
	pts = strstr(line + c, "points=");
	if (pts != NULL)
		q->holes[0].points = atoi(pts + 7); /* spread below */
	hint = strstr(line + c, "hint:");
	if (hint == NULL)
		return (q->text = strdup(line)) == NULL ? -1 : 0;
	q->hint = strdup(hint + 5 + strspn(hint + 5, " \t"));
	keep = (size_t)(hint - line);
	while (keep > c + 1 && (line[keep - 1] == ' ' || line[keep - 1] == '\t'))
		keep--;
	if (keep == c + 1) /* only the hint was in the comment */
		while (keep > 0 && (line[keep - 1] == ' ' || line[keep - 1] == '\t' || keep == c + 1))
			keep--;
	q->text = strndup(line, keep);
	return q->text == NULL || q->hint == NULL ? -1 : 0;
}

struct name_ctx {
	struct question *q;
	const struct script_answer *key;
	int fail;
};

static void name_hole(void *ctx, int n, enum hole_kind kind, const struct script_anode *pnode,
                      const struct script_anode *tnode)
{
	struct name_ctx *c = ctx;
	struct hole *h = &c->q->holes[n];
	const char *name = kind == HOLE_ERR ? "errno" : "result";
	char buf[32];

	if (kind == HOLE_NODE) {
		if (pnode->field != NULL) {
			name = pnode->field;
		} else if (tnode != NULL && tnode->field != NULL) {
			name = tnode->field;
		} else {
			snprintf(buf, sizeof(buf), "value %d", n + 1);
			name = buf;
		}
	}
	h->kind = kind;
	h->name = strdup(name);
	h->right = grade_hole_text(kind, c->key, tnode);
	if (h->name == NULL || h->right == NULL)
		c->fail = 1;
}

/* The questions' holes named and answered from the key's lines. */
static int answer_questions(struct grade_exercise *x, char **klines, int nk, const int *kof,
                            const char *file, FILE *err)
{
	char msg[160];

	for (int i = 0; i < x->nquestions; i++) {
		struct question *q = &x->questions[i];
		int kl = kof[q->vline], points, edited, col;
		struct name_ctx c = { q, &q->key, 0 };

		if (kl < 0) {
			diag(err, file, q->vline + 1, 1, x->vlines[q->vline],
			     "the key has no line for this question");
			return -1;
		}
		points = q->holes[0].points > 0 ? q->holes[0].points : 1;
		if (q->output) {
			for (int l = kl + 1; l < nk && grade_output_text(klines[l]) != NULL; l++) {
				char **grown = realloc(q->key_out, (size_t)(q->nkey_out + 1) * sizeof(*grown));

				if (grown == NULL)
					return -1;
				q->key_out = grown;
				if ((grown[q->nkey_out] = strdup(grade_output_text(klines[l]))) == NULL)
					return -1;
				q->nkey_out++;
			}
			q->holes[0].kind = HOLE_OUTPUT;
			q->holes[0].name = strdup("output");
			q->holes[0].right = strdup(q->nkey_out > 0 ? q->key_out[0] : "");
			q->holes[0].points = points;
			if (q->holes[0].name == NULL || q->holes[0].right == NULL)
				return -1;
			x->max_points += points;
			continue;
		}
		col = script_answer_parse(klines[kl], &q->key, msg, sizeof(msg));
		if (col != 0) {
			diag(err, file, q->vline + 1, col, klines[kl], msg);
			return -1;
		}
		grade_walk_holes(&q->pattern, &q->key, &edited, name_hole, &c);
		if (c.fail)
			return -1;
		for (int h = 0; h < q->nholes; h++) {
			if (q->holes[h].kind != HOLE_WHY)
				continue;
			if (q->why == NULL) {
				diag(err, file, q->vline + 1, 1, x->vlines[q->vline], "'why ?': the "
				     "kernel gives no reason for this line's result (docs/reason-codes.md)");
				return -1;
			}
			free(q->holes[h].name);
			free(q->holes[h].right);
			q->holes[h].name = strdup("why");
			q->holes[h].right = strndup(q->why, strcspn(q->why, ":"));
			q->why_code.kind = SCRIPT_A_WORD;
			q->why_code.bytes = strndup(q->why, strcspn(q->why, ":"));
			if (q->holes[h].name == NULL || q->holes[h].right == NULL ||
			    q->why_code.bytes == NULL)
				return -1;
		}
		for (int h = 0; h < q->nholes; h++) {
			q->holes[h].points = points;
			x->max_points += points;
		}
	}
	return 0;
}

/* The variant without its holes: what script_record fills in.  vline[i]
 * is the variant's line of its line i (0-based). */
static char *runnable_variant(const struct grade_exercise *x, size_t *len, int *vline)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int qi = 0, n = 0;

	if (f == NULL)
		return NULL;
	for (int l = 0; l < x->nvlines; l++) {
		const struct question *q = qi < x->nquestions && x->questions[qi].vline == l
		                           ? &x->questions[qi] : NULL;

		if (q != NULL)
			qi++;
		size_t cut = q != NULL && !q->output ? q->pattern.start : 0;

		while (cut > 0 && (x->vlines[l][cut - 1] == ' ' || x->vlines[l][cut - 1] == '\t'))
			cut--;
		if (is_output_hole(x->vlines[l]))
			continue;
		vline[n++] = l;
		if (q != NULL && !q->output)
			fprintf(f, "%.*s\n", (int)cut, x->vlines[l]);
		else
			fprintf(f, "%s\n", x->vlines[l]);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

struct why_ctx {
	struct grade_exercise *x;
	const int *vline;
	int nlines, fail;
};

/* on_step of the explained run: each question's reason from the kernel. */
static void note_why(void *ctx, const struct script_step_info *info)
{
	struct why_ctx *c = ctx;
	int l = info->line >= 1 && info->line <= c->nlines ? c->vline[info->line - 1] : -1;

	if (info->why_code == NULL || l < 0)
		return;
	for (int i = 0; i < c->x->nquestions; i++) {
		struct question *q = &c->x->questions[i];

		if (q->vline == l && q->why == NULL &&
		    asprintf(&q->why, "%s: %s", info->why_code, info->why) < 0) {
			q->why = NULL;
			c->fail = 1;
		}
	}
}

/* Runs the variant on the simulator: the key's scenario text, or NULL after
 * the diagnostic; and again explained, for the kernel's reasons. */
static char *record_key(struct grade_exercise *x, const char *file,
                        const struct script_limits *limits, FILE *err, size_t *klen)
{
	size_t vlen, olen;
	int *vline = calloc((size_t)x->nvlines + 1, sizeof(*vline));
	char *vtext = vline != NULL ? runnable_variant(x, &vlen, vline) : NULL, *ktext = NULL;
	char *out = NULL;
	struct script *s;
	struct why_ctx wc = { x, vline, 0, 0 };
	struct script_options o = { 0 };
	FILE *f;
	int rc = SCRIPT_EXIT_ERROR;

	if (vtext == NULL) {
		free(vline);
		return NULL;
	}
	for (size_t i = 0; i < vlen; i++)
		wc.nlines += vtext[i] == '\n';
	s = script_parse(file, vtext, vlen, err);
	free(vtext);
	if (s == NULL) {
		free(vline);
		return NULL;
	}
	if (limits != NULL)
		script_set_limits(s, limits);
	f = open_memstream(&ktext, klen);
	if (f != NULL) {
		rc = script_record(s, f, err);
		fclose(f);
	}
	o.out = open_memstream(&out, &olen);
	o.err = err;
	o.quiet_summary = 1;
	o.explain = 1;
	o.on_step = note_why;
	o.step_ctx = &wc;
	if (rc == SCRIPT_EXIT_OK && o.out != NULL &&
	    script_run(s, &o, NULL) == SCRIPT_EXIT_ERROR)
		rc = SCRIPT_EXIT_ERROR;
	if (o.out != NULL)
		fclose(o.out);
	free(out);
	free(vline);
	if (wc.fail)
		rc = SCRIPT_EXIT_ERROR;
	script_free(&s);
	if (rc != SCRIPT_EXIT_OK) {
		free(ktext);
		return NULL;
	}
	return ktext;
}

/* The variant's questions: each step line with a hole, each `$` line whose
 * output is `> ?`. */
static int find_questions(struct grade_exercise *x, const char *file, FILE *err)
{
	char msg[160];

	for (int l = 0; l < x->nvlines; l++) {
		const char *line = x->vlines[l];
		struct script_answer a;
		struct question *q;
		int col, edited, n;

		if (is_output_hole(line)) {
			int d = l - 1;

			while (d >= 0 && grade_output_text(x->vlines[d]) != NULL)
				d--;
			if (d < 0 || x->vlines[d][strspn(x->vlines[d], " \t")] != '$') {
				diag(err, file, l + 1, 1, line, "'> ?' must follow a '$' line");
				return -1;
			}
			if (x->nquestions > 0 && x->questions[x->nquestions - 1].vline == d)
				continue; /* several `> ?` lines: one question */
			if ((q = add_question(x, d)) == NULL ||
			    (q->holes = calloc(1, sizeof(*q->holes))) == NULL)
				return -1;
			q->output = 1;
			q->nholes = 1;
			if ((q->stem = grade_stem(x->vlines[d])) == NULL || read_comment(q, x->vlines[d]) < 0)
				return -1;
			continue;
		}
		col = script_answer_parse(line, &a, msg, sizeof(msg));
		if (col != 0) {
			diag(err, file, l + 1, col, line, msg);
			return -1;
		}
		n = grade_walk_holes(&a, &a, &edited, NULL, NULL);
		if (n > GRADE_HOLES_MAX) {
			script_answer_release(&a);
			diag(err, file, l + 1, 1, line, "more than 64 holes on one line");
			return -1;
		}
		if (n == 0) {
			script_answer_release(&a);
			continue;
		}
		if ((q = add_question(x, l)) == NULL) {
			script_answer_release(&a);
			return -1;
		}
		q->pattern = a;
		q->nholes = n;
		if ((q->holes = calloc((size_t)n, sizeof(*q->holes))) == NULL ||
		    (q->stem = grade_stem(line)) == NULL || read_comment(q, line) < 0)
			return -1;
	}
	return 0;
}

static char **stems_of(char **lines, int n)
{
	char **stems = calloc((size_t)n + 1, sizeof(*stems));

	for (int i = 0; stems != NULL && i < n; i++)
		stems[i] = grade_stem(lines[i]);
	return stems;
}

static void free_stems(char **stems, int n)
{
	grade_free_lines(stems, stems != NULL ? n : 0);
}

/* header + lines into *out. */
static int write_files(struct grade_exercise *x, const char *version, char **klines, int nk)
{
	char *buf = NULL;
	size_t len;
	FILE *f;
	int qi = 0;

	f = open_memstream(&buf, &len);
	if (f == NULL)
		return -1;
	fprintf(f, "# ipcsim quiz: %s seed=\"%s\" template=fnv1a64:%016llx ipcsim=%s\n"
	        "# Replace each ? with your answer (a '> ?' line with the output's lines).\n"
	        "# Change nothing else on a question's line: a changed question gets no points.\n",
	        x->name, x->seed, (unsigned long long)x->template_hash, version);
	for (int l = 0; l < x->nvlines; l++) {
		if (qi < x->nquestions && x->questions[qi].vline == l)
			fprintf(f, "%s\n", x->questions[qi++].text);
		else
			fprintf(f, "%s\n", x->vlines[l]);
	}
	if (fclose(f) != 0)
		return -1;
	x->student = buf;
	buf = NULL;
	f = open_memstream(&buf, &len);
	if (f == NULL)
		return -1;
	fprintf(f, "# ipcsim key: %s seed=\"%s\" template=fnv1a64:%016llx ipcsim=%s\n",
	        x->name, x->seed, (unsigned long long)x->template_hash, version);
	for (int l = 0; l < nk; l++)
		fprintf(f, "%s\n", klines[l]);
	if (fclose(f) != 0)
		return -1;
	x->key = buf;
	return 0;
}

struct grade_exercise *grade_exercise_new(const char *name, const char *file_name,
                                          const char *text, size_t len, const char *seed,
                                          const char *version,
                                          const struct script_limits *limits, FILE *err)
{
	struct grade_exercise *x = calloc(1, sizeof(*x));
	char *vtext = NULL, *ktext = NULL, **klines = NULL, **kstems = NULL;
	size_t vlen, klen;
	int nk = 0, *kof = NULL, ok = 0;

	if (x == NULL)
		return NULL;
	if (strchr(seed, '"') != NULL || strchr(seed, '\n') != NULL) {
		fprintf(err, "%s: error: a seed may not hold '\"' or a newline\n", file_name);
		goto out;
	}
	x->name = strdup(name);
	x->seed = strdup(seed);
	x->template_hash = grade_fnv1a64(text, len);
	vtext = grade_template_instantiate(file_name, text, len, seed, &vlen, err);
	if (x->name == NULL || x->seed == NULL || vtext == NULL ||
	    grade_split_lines(vtext, vlen, &x->vlines, &x->nvlines) < 0)
		goto out;
	if (find_questions(x, file_name, err) < 0)
		goto out;
	if (x->nquestions == 0) {
		fprintf(err, "%s: error: no hole ('= ?', '?' in a result, '> ?'): nothing to ask\n",
		        file_name);
		goto out;
	}
	ktext = record_key(x, file_name, limits, err, &klen);
	if (ktext == NULL || grade_split_lines(ktext, klen, &klines, &nk) < 0)
		goto out;
	x->vstems = stems_of(x->vlines, x->nvlines);
	kstems = stems_of(klines, nk);
	kof = calloc((size_t)x->nvlines + 1, sizeof(*kof));
	if (x->vstems == NULL || kstems == NULL || kof == NULL ||
	    grade_match_stems(x->vstems, x->nvlines, kstems, nk, kof) < 0)
		goto out;
	if (answer_questions(x, klines, nk, kof, file_name, err) < 0 ||
	    write_files(x, version, klines, nk) < 0)
		goto out;
	x->question_text = calloc((size_t)x->nquestions, sizeof(*x->question_text));
	if (x->question_text == NULL)
		goto out;
	for (int i = 0; i < x->nquestions; i++)
		x->question_text[i] = x->questions[i].text;
	ok = 1;
out:
	free(vtext);
	free(ktext);
	grade_free_lines(klines, nk);
	free_stems(kstems, nk);
	free(kof);
	if (!ok)
		grade_exercise_free(&x);
	return x;
}

char *grade_header_seed(const char *text, size_t len)
{
	const char *tag = "# ipcsim quiz:", *p, *end;
	size_t n = strlen(tag);

	/* the header is the first line; a student may have put blanks before it */
	p = text;
	while ((size_t)(p - text) < len && (*p == '\n' || *p == ' ' || *p == '\r'))
		p++;
	if ((size_t)(p - text) + n > len || strncmp(p, tag, n) != 0)
		return NULL;
	end = memchr(p, '\n', len - (size_t)(p - text));
	if (end == NULL)
		end = text + len;
	p = memmem(p, (size_t)(end - p), "seed=\"", 6);
	if (p == NULL)
		return NULL;
	p += 6;
	for (const char *q = p; q < end; q++)
		if (*q == '"')
			return strndup(p, (size_t)(q - p));
	return NULL;
}
