/*
 * checks.c - write exercises: the student's steps run on the simulator,
 * then the instructor's checks (grade_checks_new, grade_write_submission).
 *
 * The student's file and the checks file are joined into one scenario (the
 * checks' `forbid` and `blocked` lines left blank, so every line keeps its
 * number) and run once with an on_step observer that notes, for the
 * student's lines, every call made and every sleep, and for the checks'
 * lines that they ran.  A check with an expectation holds when it ran and
 * the run printed no `failed` line for it.  A line that does not parse is
 * blanked and the whole parsed again: the student's with its error as
 * feedback, a check's failing with it (it names a variable the student's
 * steps never bind, say).  Nothing here can run forever: the scenario
 * language has no loops, the file is bounded, and the caller's limits
 * bound steps and processes.
 */
#include <stdlib.h>
#include <string.h>

#include "grade/grade_int.h"

#define MAX_REPARSE 200

enum check_kind { CK_EXPECT, CK_OUTPUT, CK_FORBID, CK_BLOCKED };

struct check {
	enum check_kind kind;
	int line, last;    /* 0-based first and last line in the checks file */
	int points;
	char *text, *hint;
	char *arg1, *arg2; /* FORBID: the call names, blank-separated; BLOCKED: proc, call */
};

struct grade_checks {
	char *name;
	char **lines;
	int nlines;
	struct check *checks;
	int nchecks, max_points;
	const char **question_text;
};

void grade_checks_free(struct grade_checks **pc)
{
	struct grade_checks *c = pc != NULL ? *pc : NULL;

	if (c == NULL)
		return;
	for (int i = 0; i < c->nchecks; i++) {
		free(c->checks[i].text);
		free(c->checks[i].hint);
		free(c->checks[i].arg1);
		free(c->checks[i].arg2);
	}
	free(c->checks);
	free(c->question_text);
	grade_free_lines(c->lines, c->nlines);
	free(c->name);
	free(c);
	*pc = NULL;
}

int grade_checks_max_points(const struct grade_checks *c)
{
	return c->max_points;
}

int grade_checks_count(const struct grade_checks *c)
{
	return c->nchecks;
}

const char **grade_checks_questions(const struct grade_checks *c)
{
	return c->question_text;
}

static int word_is(const char *line, const char *word)
{
	size_t n = strlen(word);

	line += strspn(line, " \t");
	return strncmp(line, word, n) == 0 && (line[n] == ' ' || line[n] == '\t');
}

/* `forbid a b` / `blocked P2 msgrcv`: the words after the keyword, before the comment. */
static char *words_after(const char *line, const char *word)
{
	const char *p = line + strspn(line, " \t") + strlen(word);
	size_t end = grade_comment_start(p);

	p += strspn(p, " \t");
	end = grade_comment_start(p);
	while (end > 0 && (p[end - 1] == ' ' || p[end - 1] == '\t'))
		end--;
	return strndup(p, end);
}

static int add_check(struct grade_checks *c, enum check_kind kind, int line)
{
	const char *text = c->lines[line], *cm = text + grade_comment_start(text), *pts, *hint;
	struct check *grown = realloc(c->checks, (size_t)(c->nchecks + 1) * sizeof(*grown));
	struct check *k;

	if (grown == NULL)
		return -1;
	c->checks = grown;
	k = memset(&grown[c->nchecks++], 0, sizeof(*k));
	k->kind = kind;
	k->line = k->last = line;
	pts = strstr(cm, "points=");
	k->points = pts != NULL && atoi(pts + 7) > 0 ? atoi(pts + 7) : 1;
	hint = strstr(cm, "hint:");
	k->hint = hint != NULL ? strdup(hint + 5 + strspn(hint + 5, " \t")) : NULL;
	k->text = strndup(text, (size_t)(cm - text));
	while (k->text != NULL && k->text[0] != '\0' &&
	       (k->text[strlen(k->text) - 1] == ' ' || k->text[strlen(k->text) - 1] == '\t'))
		k->text[strlen(k->text) - 1] = '\0';
	c->max_points += k->points;
	return k->text == NULL || (hint != NULL && k->hint == NULL) ? -1 : 0;
}

struct grade_checks *grade_checks_new(const char *name, const char *file_name, const char *text,
                                      size_t len, FILE *err)
{
	struct grade_checks *c = calloc(1, sizeof(*c));
	char msg[160];

	if (c == NULL || (c->name = strdup(name)) == NULL ||
	    grade_split_lines(text, len, &c->lines, &c->nlines) < 0)
		goto fail;
	for (int l = 0; l < c->nlines; l++) {
		const char *line = c->lines[l], *lead = line + strspn(line, " \t");
		struct script_answer a;
		int col;

		if (word_is(line, "forbid") || word_is(line, "blocked")) {
			int forbid = word_is(line, "forbid");
			char *args = words_after(line, forbid ? "forbid" : "blocked"), *sp;

			if (args == NULL || add_check(c, forbid ? CK_FORBID : CK_BLOCKED, l) < 0) {
				free(args);
				goto fail;
			}
			sp = strpbrk(args, " \t");
			if (args[0] == '\0' || (!forbid && (sp == NULL || strpbrk(sp + strspn(sp, " \t"), " \t") != NULL))) {
				fprintf(err, "%s:%d:1: error: %s\n%s\n^\n", file_name, l + 1,
				        forbid ? "'forbid' takes call names: forbid msgctl shmctl"
				               : "'blocked' takes a process and a call: blocked P2 msgrcv",
				        line);
				free(args);
				goto fail;
			}
			if (!forbid) {
				*sp = '\0';
				c->checks[c->nchecks - 1].arg2 = strdup(sp + 1 + strspn(sp + 1, " \t"));
			}
			c->checks[c->nchecks - 1].arg1 = args;
			continue;
		}
		if (*lead == '$') {
			int last = l;

			while (last + 1 < c->nlines && grade_output_text(c->lines[last + 1]) != NULL)
				last++;
			if (last > l) {
				if (add_check(c, CK_OUTPUT, l) < 0)
					goto fail;
				c->checks[c->nchecks - 1].last = last;
			}
			l = last;
			continue;
		}
		col = script_answer_parse(line, &a, msg, sizeof(msg));
		if (col != 0) {
			fprintf(err, "%s:%d:%d: error: %s\n%s\n%*s^\n", file_name, l + 1, col, msg, line,
			        col - 1, "");
			goto fail;
		}
		if (a.kind != SCRIPT_ANS_NONE || (a.step && strstr(line, "assert(") != NULL))
			if (add_check(c, CK_EXPECT, l) < 0) {
				script_answer_release(&a);
				goto fail;
			}
		script_answer_release(&a);
	}
	if (c->nchecks == 0) {
		fprintf(err, "%s: error: no check (a line with an expected result, an assert, a '$' "
		        "line with '>' lines, 'forbid' or 'blocked')\n", file_name);
		goto fail;
	}
	c->question_text = calloc((size_t)c->nchecks, sizeof(*c->question_text));
	if (c->question_text == NULL)
		goto fail;
	for (int i = 0; i < c->nchecks; i++)
		c->question_text[i] = c->checks[i].text;
	return c;
fail:
	grade_checks_free(&c);
	return NULL;
}

/* ---- one submission ---------------------------------------------------------- */

struct wrun {
	const struct grade_checks *c;
	int nstudent;           /* the student's lines come first */
	char **called;          /* call names of the student's steps */
	int ncalled;
	char **slept;           /* "PROC CALL" of every sleep in the student's steps */
	int nslept;
	char *ran;              /* per line of the joined text: it ran */
	int nlines;
	int fail;
};

static int remember(char ***list, int *n, const char *s)
{
	char **grown;

	for (int i = 0; i < *n; i++)
		if (strcmp((*list)[i], s) == 0)
			return 0;
	grown = realloc(*list, (size_t)(*n + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	*list = grown;
	return (grown[*n] = strdup(s)) == NULL ? -1 : ((*n)++, 0);
}

static void observe(void *ctx, const struct script_step_info *info)
{
	struct wrun *w = ctx;

	if (info->line >= 1 && info->line <= w->nlines)
		w->ran[info->line - 1] = 1;
	if (info->line > w->nstudent)
		return;
	if (info->call != NULL && remember(&w->called, &w->ncalled, info->call) < 0)
		w->fail = 1;
	for (int e = 0; e < info->nevents; e++) {
		char buf[96];

		if (info->events[e].kind != SCRIPT_EV_BLOCKED)
			continue;
		snprintf(buf, sizeof(buf), "%s %s", info->events[e].proc, info->events[e].call);
		if (remember(&w->slept, &w->nslept, buf) < 0)
			w->fail = 1;
	}
}

/* The joined text of lines. */
static char *join(char **lines, int n, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		return NULL;
	for (int i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	return fclose(f) == 0 ? buf : (free(buf), NULL);
}

/* The check whose lines hold line l of the checks file, or -1. */
static int check_at(const struct grade_checks *c, int l)
{
	for (int i = 0; i < c->nchecks; i++)
		if (l >= c->checks[i].line && l <= c->checks[i].last)
			return i;
	return -1;
}

static int append(char **s, const char *fmt, const char *a, const char *b)
{
	char *grown = NULL;

	if (asprintf(&grown, fmt, *s != NULL ? *s : "", *s != NULL ? "\n" : "", a, b) < 0)
		return -1;
	free(*s);
	*s = grown;
	return 0;
}

/* "NAME:LINE:COL: error: MSG" (the first line of a diagnostic): LINE, and MSG in msg. */
static int diag_line(const char *d, const char *name, char *msg, size_t size)
{
	size_t n = strlen(name);
	const char *p;
	int line;

	if (strncmp(d, name, n) != 0 || d[n] != ':')
		return 0;
	line = atoi(d + n + 1);
	p = strstr(d + n, ": error: ");
	snprintf(msg, size, "%.*s", p != NULL ? (int)strcspn(p + 9, "\n") : 0, p != NULL ? p + 9 : "");
	return line;
}

/* Parses the joined lines, blanking a line that does not parse until the
 * rest does: the student's errors as feedback, the checks' in cfail[]. */
static struct script *parse_dropping(const struct grade_checks *c, char **lines, int n, int ns,
                                     const char *name, char **feedback, char **cfail)
{
	char msg[512];

	for (int tries = 0; tries < MAX_REPARSE; tries++) {
		char *text, *diag = NULL;
		size_t len, dlen;
		FILE *err = open_memstream(&diag, &dlen);
		struct script *s;
		int line;

		text = join(lines, n, &len);
		if (text == NULL || err == NULL) {
			free(text);
			if (err != NULL)
				fclose(err);
			free(diag);
			return NULL;
		}
		s = script_parse(name, text, len, err);
		fclose(err);
		free(text);
		if (s != NULL) {
			free(diag);
			return s;
		}
		line = diag_line(diag, name, msg, sizeof(msg));
		if (line < 1 || line > n) {
			/* not a line's error (an empty file): nothing runs */
			append(feedback, "%s%s%s%s", diag, "");
			free(diag);
			return NULL;
		}
		if (line <= ns) {
			char *first = strndup(diag, strcspn(diag, "\n"));

			if (first == NULL || append(feedback, "%s%s%s (the line is left out)%s", first, "") < 0) {
				free(first);
				free(diag);
				return NULL;
			}
			free(first);
		} else {
			int k = check_at(c, line - 1 - ns);

			if (k >= 0 && cfail[k] == NULL)
				cfail[k] = strdup(msg);
		}
		free(diag);
		lines[line - 1][0] = '\0';
	}
	return NULL;
}

static int set_hole(struct grade_hole_result *hr, int q, const struct check *k, int right,
                    const char *why)
{
	hr->question = q;
	hr->hole = 1;
	hr->max = k->points;
	hr->points = right ? k->points : 0;
	hr->verdict = right ? GRADE_RIGHT : GRADE_WRONG;
	hr->name = strdup(k->kind == CK_FORBID ? "forbid" : k->kind == CK_BLOCKED ? "blocked"
	                  : k->kind == CK_OUTPUT ? "output" : "check");
	hr->answer = strdup("");
	hr->right = strdup(k->text);
	if (!right && asprintf(&hr->feedback, "%s%s%s", why, k->hint != NULL ? "; hint: " : "",
	                       k->hint != NULL ? k->hint : "") < 0)
		hr->feedback = NULL;
	return hr->name == NULL || hr->answer == NULL || hr->right == NULL ||
	       (!right && hr->feedback == NULL) ? -1 : 0;
}

/* The `failed` lines the run printed: cfail[] of the checks they are on. */
static void note_failures(const struct grade_checks *c, const char *out, const char *name, int ns,
                          char **cfail)
{
	size_t n = strlen(name);

	for (const char *p = out; p != NULL && *p != '\0'; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *f;
		int line, k;

		if (strncmp(p, name, n) != 0 || p[n] != ':')
			continue;
		line = atoi(p + n + 1);
		f = strstr(p, ": failed: ");
		if (f == NULL || line <= ns || (f - p) > (long)strcspn(p, "\n"))
			continue;
		k = check_at(c, line - 1 - ns);
		if (k >= 0 && cfail[k] == NULL)
			cfail[k] = strndup(f + 10, strcspn(f + 10, "\n"));
	}
}

struct grade_result *grade_write_submission(const struct grade_checks *c, const char *name,
                                            const char *text, size_t len,
                                            const struct script_limits *limits)
{
	struct grade_result *r = calloc(1, sizeof(*r));
	struct wrun w = { .c = c };
	char **lines = NULL, **cfail = NULL, *out = NULL, *errs = NULL;
	int ns = 0, n = 0, ok = 0;
	struct script *s = NULL;
	struct script_options o = { 0 };
	struct script_stats st;
	size_t olen, elen;

	if (r == NULL || (r->name = strdup(name)) == NULL)
		goto out;
	if (len > GRADE_MAX_BYTES)
		len = GRADE_MAX_BYTES;
	if (grade_split_lines(text, len, &lines, &ns) < 0)
		goto out;
	n = ns + c->nlines;
	{
		char **grown = realloc(lines, (size_t)(n + 1) * sizeof(*grown));

		if (grown == NULL)
			goto out;
		lines = grown;
	}
	for (int i = 0; i < c->nlines; i++) {
		int k = check_at(c, i);
		int special = k >= 0 && (c->checks[k].kind == CK_FORBID || c->checks[k].kind == CK_BLOCKED);

		lines[ns + i] = strdup(special ? "" : c->lines[i]);
		if (lines[ns + i] == NULL) {
			n = ns + i;
			goto out;
		}
	}
	cfail = calloc((size_t)c->nchecks + 1, sizeof(*cfail));
	w.ran = calloc((size_t)n + 1, 1);
	if (cfail == NULL || w.ran == NULL)
		goto out;
	w.nstudent = ns;
	w.nlines = n;
	s = parse_dropping(c, lines, n, ns, name, &r->message, cfail);
	if (s != NULL) {
		if (limits != NULL)
			script_set_limits(s, limits);
		o.out = open_memstream(&out, &olen);
		o.err = open_memstream(&errs, &elen);
		o.quiet_summary = 1;
		o.on_step = observe;
		o.step_ctx = &w;
		if (o.out == NULL || o.err == NULL)
			goto out;
		script_run(s, &o, &st);
		fclose(o.out);
		fclose(o.err);
		o.out = o.err = NULL;
		if (st.error_line > 0 && strstr(st.error, "--max-time") != NULL) {
			/* wall time decides no grade: the staff re-run it */
			r->infra_error = 1;
			free(r->message);
			if (asprintf(&r->message, "stopped by the wall-clock limit at line %d (%s): "
			             "not graded", st.error_line, st.error) < 0)
				r->message = NULL;
			ok = r->message != NULL;
			goto out;
		}
		if (st.error_line > 0) {
			char where[64];

			if (st.error_line <= ns)
				snprintf(where, sizeof(where), "line %d of your steps", st.error_line);
			else
				snprintf(where, sizeof(where), "the check on line %d of the checks",
				         st.error_line - ns);
			if (append(&r->message, "%s%sthe run stopped at %s: %s", where, st.error) < 0)
				goto out;
		}
		note_failures(c, out, name, ns, cfail);
	}
	if (w.fail)
		goto out;
	r->holes = calloc((size_t)c->nchecks, sizeof(*r->holes));
	if (r->holes == NULL)
		goto out;
	r->nquestions = r->nholes = c->nchecks;
	r->question_text = c->question_text;
	for (int i = 0; i < c->nchecks; i++) {
		const struct check *k = &c->checks[i];
		char why[192] = "";
		int right = 0;

		if (k->kind == CK_FORBID) {
			char *names = strdup(k->arg1), *save = NULL;

			if (names == NULL)
				goto out;
			right = 1;
			for (char *t = strtok_r(names, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save))
				for (int j = 0; j < w.ncalled; j++)
					if (strcmp(w.called[j], t) == 0 && right) {
						right = 0;
						snprintf(why, sizeof(why), "your steps call %s", t);
					}
			free(names);
		} else if (k->kind == CK_BLOCKED) {
			char want[96];

			snprintf(want, sizeof(want), "%s %s", k->arg1, k->arg2);
			for (int j = 0; j < w.nslept; j++)
				right |= strcmp(w.slept[j], want) == 0;
			if (!right)
				snprintf(why, sizeof(why), "%s never slept in %s", k->arg1, k->arg2);
		} else if (cfail[i] != NULL) {
			snprintf(why, sizeof(why), "%s", cfail[i]);
		} else if (!w.ran[ns + k->line]) {
			snprintf(why, sizeof(why), "the check did not run (%s)", r->message != NULL
			         ? "see above" : "the run stopped before it");
		} else {
			right = 1;
		}
		if (set_hole(&r->holes[i], i + 1, k, right, why) < 0)
			goto out;
		r->points += r->holes[i].points;
		r->max += r->holes[i].max;
	}
	ok = 1;
out:
	if (o.out != NULL)
		fclose(o.out);
	if (o.err != NULL)
		fclose(o.err);
	free(out);
	free(errs);
	script_free(&s);
	grade_free_lines(lines, lines != NULL ? n : 0);
	if (cfail != NULL)
		for (int i = 0; i < c->nchecks; i++)
			free(cfail[i]);
	free(cfail);
	free(w.ran);
	grade_free_lines(w.called, w.ncalled);
	grade_free_lines(w.slept, w.nslept);
	if (!ok)
		grade_result_free(&r);
	return r;
}
