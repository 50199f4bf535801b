/*
 * session.c - a scenario typed one line at a time (`ipcsim repl`;
 * ipcsim/session.h).
 *
 * The session grows one struct script line by line and keeps the parser
 * state (the names bound so far) and one interpreter alive between lines, so
 * a line is checked exactly as it would be at that place in a file, then
 * run at once.  The accepted lines are also kept as text: they are the
 * session.  Before a line runs, the session remembers where it stands: a
 * kernel mark (the undo log, sim_kernel_mark), the interpreter's own state
 * (interp_snap) and the names bound (check_snap).  Whenever a line is
 * refused (parse or runtime error) or undone, the session goes back to that
 * point: the kernel rewinds, the interpreter and the names are restored, and
 * the line's statements are dropped, so no half-parsed line, half-bound name
 * or half-run step survives, at the cost of what the line changed.  Should a
 * save be missing (out of memory), the session is rebuilt from a fresh
 * kernel by feeding the accepted lines again, quietly: determinism makes
 * that the state it was.
 *
 * Invariant: s holds exactly the accepted lines, in order, and the live
 * interpreter has run exactly their statements.  Before a line runs (or an
 * undo rebuilds), the state is remembered (memo): the drawings after it mark
 * what it changed, and --show=changes draws only that.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/session.h"
#include "script/interp_int.h"

#define DEFAULT_PROC "P1"

struct script_session {
	char *name;        /* file name in diagnostics */
	char **lines;      /* the accepted lines, as parsed (prefix added) */
	int nlines, cap;
	char *proc;        /* default process of a line without a prefix */
	struct script *s;  /* the same lines, parsed */
	struct parser p;   /* names bound by them */
	struct interp in;  /* has run them */
	int live;          /* s, p and in are initialised */
	FILE *quiet;       /* /dev/null */
	struct render_memo *memo; /* the state before the last line or undo */
	/* saves[i]: the state before accepted line i ran (live: NULL snaps
	 * when it could not be made) */
	struct line_save {
		long mark;
		struct interp_snap *isnap;
		struct check_snap *csnap;
		int nstmts, nlines;
	} *saves;
	int nsaves;
};

static void save_free(struct line_save *sv)
{
	interp_snap_free(&sv->isnap);
	check_snap_free(&sv->csnap);
}

static void saves_drop(struct script_session *ss, int n)
{
	while (ss->nsaves > n)
		save_free(&ss->saves[--ss->nsaves]);
}

/* ---- the parsed and running state ---------------------------------------- */

static void teardown(struct script_session *ss)
{
	saves_drop(ss, 0); /* the marks go with the kernel */
	if (!ss->live)
		return;
	interp_fini(&ss->in);
	check_free(&ss->p);
	script_free(&ss->s);
	ss->live = 0;
}

/* An empty script, parser and interpreter over a fresh kernel.  -1: OOM. */
static int start(struct script_session *ss)
{
	struct script_options o = { 0 };

	teardown(ss);
	ss->s = calloc(1, sizeof(*ss->s));
	if (ss->s == NULL || (ss->s->file_name = strdup(ss->name)) == NULL) {
		script_free(&ss->s);
		return -1;
	}
	memset(&ss->p, 0, sizeof(ss->p));
	ss->p.s = ss->s;
	ss->p.err = ss->quiet;
	o.out = ss->quiet;
	o.err = ss->quiet;
	interp_init(&ss->in, ss->s, &o);
	ss->live = 1;
	if (ss->in.b == NULL) {
		teardown(ss);
		return -1;
	}
	return 0;
}

/* The state now, for the drawings after the next line to compare with. */
static void remember(struct script_session *ss)
{
	const struct sim_kernel *k = ss->live ? backend_kernel(ss->in.b) : NULL;
	struct render_opts o;

	if (k == NULL)
		return;
	interp_render_opts(&ss->in, &o, 0);
	render_memo_take(ss->memo, k, &o);
}

/* Appends a copy of text to s->lines.  -1: out of memory. */
static int push_line(struct script *s, const char *text)
{
	char **grown = realloc(s->lines, (size_t)(s->nlines + 1) * sizeof(*grown));

	if (grown == NULL)
		return -1;
	s->lines = grown;
	if ((s->lines[s->nlines] = strdup(text)) == NULL)
		return -1;
	s->nlines++;
	return 0;
}

/* Adds text as the next line of s, parses and runs it.  0, or -1 after a
 * diagnostic on err; the state is then unusable until rebuilt. */
static int append_and_run(struct script_session *ss, const char *text, FILE *out, FILE *err,
                          int color)
{
	struct script *s = ss->s;
	int first = s->nstmts, rc = 0;

	if (push_line(s, text) < 0) {
		fprintf(err, "%s: error: out of memory\n", ss->name);
		return -1;
	}
	ss->p.err = err;
	ss->p.line = s->nlines;
	ss->p.failed = 0;
	if (parse_line(&ss->p, s->lines[s->nlines - 1]) < 0) {
		if (!ss->p.failed) /* an allocation refused without a diagnostic */
			p_error(&ss->p, 1, "out of memory");
		rc = -1;
		goto out;
	}
	ss->in.out = out;
	ss->in.err = err;
	ss->in.color = color;
	for (int i = first; i < s->nstmts && rc == 0; i++)
		if (interp_run_stmt(&ss->in, i) < 0)
			rc = -1;
	fflush(out);
out:
	ss->p.err = ss->quiet;
	ss->in.out = ss->quiet;
	ss->in.err = ss->quiet;
	return rc;
}

/* Whether the process can take a step: NULL, or "blocked" / "ended"
 * (a process not made yet can). */
static const char *proc_state(struct script_session *ss, const char *name)
{
	struct proc *p = ss->live ? interp_proc(&ss->in, name, 0) : NULL;

	if (p == NULL || p->state == PS_RUNNING)
		return NULL;
	return p->state == PS_BLOCKED ? "blocked" : "ended";
}

/* The smallest N such that no process is named PN yet. */
static int unused_proc_number(struct script_session *ss)
{
	char name[24];
	int n = 1;

	do
		snprintf(name, sizeof(name), "P%d", ++n);
	while (interp_proc(&ss->in, name, 0) != NULL);
	return n;
}

/* The default process: the one the last accepted step named, or, when that
 * one is blocked or has ended, the last one named that can still run (a
 * line without a prefix could only fail on it).  When it moved away from
 * the named one, note_out (if any) is told why, as a comment line. */
static int update_proc(struct script_session *ss, FILE *note_out)
{
	const char *named = NULL, *name = NULL;
	char *copy;

	for (int i = ss->s->nstmts - 1; i >= 0; i--) {
		const struct stmt *st = ss->s->stmts[i];

		if (st->kind == ST_PROCESS || st->proc == NULL)
			continue;
		if (named == NULL)
			named = st->proc;
		if (proc_state(ss, st->proc) == NULL) {
			name = st->proc;
			break;
		}
	}
	if (named == NULL)
		named = DEFAULT_PROC;
	if (name == NULL)
		name = named;
	if (note_out != NULL && strcmp(name, named) != 0)
		fprintf(note_out, "# %s is %s: a line without a prefix now runs as %s\n", named,
		        proc_state(ss, named), name);
	else if (note_out != NULL && proc_state(ss, name) != NULL)
		fprintf(note_out, "# %s is %s and no process named so far can run: start another, "
		        "as 'P%d: getpid()'\n", name, proc_state(ss, name), unused_proc_number(ss));
	if ((copy = strdup(name)) == NULL)
		return -1;
	free(ss->proc);
	ss->proc = copy;
	return 0;
}

/* Where the session stands before a line: *sv (snaps NULL when it cannot
 * be remembered; the line then runs all the same). */
static void save_take(struct script_session *ss, struct line_save *sv)
{
	struct sim_kernel *k = backend_kernel_rw(ss->in.b);

	memset(sv, 0, sizeof(*sv));
	sv->nstmts = ss->s->nstmts;
	sv->nlines = ss->s->nlines;
	sv->isnap = interp_snap_take(&ss->in);
	sv->csnap = check_snap_take(&ss->p);
	sv->mark = k != NULL && sv->isnap != NULL && sv->csnap != NULL ? sim_kernel_mark(k) : -1;
	if (sv->mark < 0)
		save_free(sv);
}

/* Back to *sv (taken with save_take, snaps set): the kernel rewound, the
 * interpreter and the names restored, the statements and lines since
 * dropped; sv is used up.  -1 when that failed (then rebuild). */
static int save_restore(struct script_session *ss, struct line_save *sv)
{
	struct sim_kernel *k = backend_kernel_rw(ss->in.b);
	struct script *s = ss->s;
	int rc = -1;

	if (k == NULL || sv->isnap == NULL || sim_kernel_rewind(k, sv->mark) < 0)
		goto out;
	sim_kernel_release(k, sv->mark);
	while (s->nstmts > sv->nstmts)
		stmt_free(s->stmts[--s->nstmts]);
	while (s->nlines > sv->nlines)
		free(s->lines[--s->nlines]);
	if (interp_snap_restore(&ss->in, sv->isnap) == 0 && check_snap_restore(&ss->p, sv->csnap) == 0)
		rc = update_proc(ss, NULL);
out:
	save_free(sv);
	return rc;
}

/* Adds text as an accepted line's statement run: append_and_run with the
 * save that undoes it kept in saves[nsaves].  0 or -1 (as append_and_run;
 * nothing kept). */
static int run_saved(struct script_session *ss, const char *text, FILE *out, FILE *err,
                     int color, struct line_save *sv)
{
	save_take(ss, sv);
	return append_and_run(ss, text, out, err, color);
}

/* Starts afresh and replays the accepted lines quietly.  -1: OOM. */
static int rebuild(struct script_session *ss)
{
	if (start(ss) < 0)
		return -1;
	for (int i = 0; i < ss->nlines; i++) {
		if (run_saved(ss, ss->lines[i], ss->quiet, ss->quiet, 0, &ss->saves[i]) < 0) {
			save_free(&ss->saves[i]);
			return -1; /* cannot happen: each was accepted from this state */
		}
		ss->nsaves = i + 1;
	}
	return update_proc(ss, NULL);
}

/* ---- lifetime ------------------------------------------------------------- */

struct script_session *script_session_new(const char *name)
{
	struct script_session *ss = calloc(1, sizeof(*ss));

	if (ss == NULL)
		return NULL;
	ss->name = strdup(name != NULL ? name : "<repl>");
	ss->quiet = fopen("/dev/null", "w");
	ss->memo = render_memo_new();
	if (ss->name == NULL || ss->quiet == NULL || ss->memo == NULL || rebuild(ss) < 0)
		goto out_free;
	remember(ss);
	return ss;

out_free:
	script_session_free(&ss);
	return NULL;
}

void script_session_free(struct script_session **ssp)
{
	struct script_session *ss;

	if (ssp == NULL || *ssp == NULL)
		return;
	ss = *ssp;
	teardown(ss);
	for (int i = 0; i < ss->nlines; i++)
		free(ss->lines[i]);
	free(ss->lines);
	free(ss->saves);
	free(ss->proc);
	free(ss->name);
	render_memo_free(&ss->memo);
	if (ss->quiet != NULL)
		fclose(ss->quiet);
	free(ss);
	*ssp = NULL;
}

/* ---- lines ---------------------------------------------------------------- */

static int is_directive(const char *word, size_t n)
{
	static const char *const directives[] = {
		"limit", "file", "user", "group", "process", "show", NULL,
	};

	for (int i = 0; directives[i] != NULL; i++)
		if (strlen(directives[i]) == n && strncmp(word, directives[i], n) == 0)
			return 1;
	return 0;
}

/* The line with the default process prefixed when it is a step without one
 * (malloc'd; NULL when out of memory). */
static char *with_prefix(const char *proc, const char *line)
{
	const char *t = line + strspn(line, " \t");
	char *text = NULL;

	if (*t == '$' || *t == '#' || *t == '\0')
		return strdup(line);
	if (isalpha((unsigned char)*t) || *t == '_') {
		size_t n = 1;
		const char *after;

		while (isalnum((unsigned char)t[n]) || t[n] == '_')
			n++;
		after = t + n + strspn(t + n, " \t");
		if (*after == ':')
			return strdup(line);
		/* `limit msgmax=9`, `show`, `file ./f ...`; not `show.x = 1` */
		if (is_directive(t, n) && strchr(" \t#", t[n]) != NULL && *after != '(' &&
		    *after != '=')
			return strdup(line);
	}
	if (asprintf(&text, "%s: %s", proc, t) < 0)
		return NULL;
	return text;
}

/* A line the session cannot take, reported as any other error, at its
 * first word:
 *   - `>` lines check the output of a `$` line in a file; typed, they
 *     could only ever be wrong;
 *   - a `program` block runs side by side with the blocks written next to
 *     it, from the line after the last one: a session that runs each line
 *     as it is typed cannot know where that is. */
static void refuse_line(struct script_session *ss, const char *line, const char *why,
                        FILE *err)
{
	struct script *s = ss->s;
	int col = (int)strspn(line, " \t") + 1;

	if (push_line(s, line) < 0) {
		fprintf(err, "%s: error: out of memory\n", ss->name);
		return;
	}
	script_diag(err, s, s->nlines, col, "error", "%s", why);
	free(s->lines[--s->nlines]);
}

static int is_program_line(const char *line)
{
	const char *t = line + strspn(line, " \t");

	return strncmp(t, "program", 7) == 0 && (t[7] == ' ' || t[7] == '\t');
}

int script_session_feed(struct script_session *ss, const char *line, FILE *out, FILE *err,
                        int color)
{
	char *copy = NULL, *text = NULL, **grown;
	struct line_save *saves, sv;
	size_t n;
	int rc = -1;

	if (!ss->live && rebuild(ss) < 0)
		goto out_oom;
	if ((copy = strdup(line)) == NULL)
		goto out_oom;
	n = strlen(copy);
	while (n > 0 && (copy[n - 1] == '\n' || copy[n - 1] == '\r'))
		copy[--n] = '\0';
	if (copy[strspn(copy, " \t")] == '\0') {
		free(copy);
		return 1;
	}
	if (copy[strspn(copy, " \t")] == '>' || is_program_line(copy)) {
		refuse_line(ss, copy, is_program_line(copy)
		            ? "program blocks run side by side with the blocks written next to "
		              "them, so they need the whole file: write them in a scenario for "
		              "ipcsim run, step, trace or explore (the repl runs each line as it "
		              "is typed)"
		            : "'>' output lines belong in scenario files; here the command's "
		              "output is shown", err);
		free(copy);
		return -1;
	}
	text = with_prefix(ss->proc, copy);
	if (text == NULL)
		goto out_oom;
	grown = realloc(ss->lines, (size_t)(ss->nlines + 1) * sizeof(*grown));
	if (grown == NULL)
		goto out_oom;
	ss->lines = grown;
	saves = realloc(ss->saves, (size_t)(ss->nlines + 1) * sizeof(*saves));
	if (saves == NULL)
		goto out_oom;
	ss->saves = saves;
	remember(ss);
	if (run_saved(ss, text, out, err, color, &sv) < 0) {
		/* back to before the line, exactly */
		if (save_restore(ss, &sv) < 0 && rebuild(ss) < 0)
			goto out_oom;
		goto out_free;
	}
	ss->saves[ss->nsaves++] = sv;
	ss->lines[ss->nlines++] = text;
	text = NULL;
	if (update_proc(ss, out) < 0)
		goto out_oom;
	rc = 0;
	goto out_free;

out_oom:
	fprintf(err, "%s: error: out of memory\n", ss->name);
out_free:
	free(copy);
	free(text);
	return rc;
}

int script_session_undo(struct script_session *ss, FILE *out)
{
	char *last;

	if (ss->nlines == 0)
		return -1;
	remember(ss);
	last = ss->lines[--ss->nlines];
	if (ss->nsaves > ss->nlines) {
		/* the newest save is the one before the last line */
		struct line_save sv = ss->saves[--ss->nsaves];

		if (save_restore(ss, &sv) == 0)
			goto out_undone;
	}
	if (rebuild(ss) < 0) {
		ss->lines[ss->nlines++] = last;
		return -1;
	}
out_undone:
	fprintf(out, "undone: %s\n", last);
	free(last);
	return 0;
}

int script_session_save(struct script_session *ss, FILE *out, FILE *err)
{
	if (!ss->live && rebuild(ss) < 0) {
		fprintf(err, "%s: error: out of memory\n", ss->name);
		return -1;
	}
	return script_record(ss->s, out, err) == SCRIPT_EXIT_OK ? 0 : -1;
}

/* ---- state ---------------------------------------------------------------- */

static int show(struct script_session *ss, FILE *out, int color, enum render_mode mode)
{
	const struct sim_kernel *k = ss->live ? backend_kernel(ss->in.b) : NULL;
	struct render_opts o;

	if (k == NULL)
		return 0;
	interp_render_opts(&ss->in, &o, color);
	o.since = ss->memo;
	o.mode = mode;
	return render_draw(out, k, &o) > 0;
}

void script_session_show(struct script_session *ss, FILE *out, int color)
{
	show(ss, out, color, RENDER_FULL);
}

int script_session_show_changes(struct script_session *ss, FILE *out, int color)
{
	return show(ss, out, color, RENDER_CHANGES);
}

const char *script_session_proc(const struct script_session *ss)
{
	return ss->proc != NULL ? ss->proc : DEFAULT_PROC;
}

const char *script_session_proc_state(struct script_session *ss)
{
	return proc_state(ss, script_session_proc(ss));
}

int script_session_count(const struct script_session *ss)
{
	return ss->nlines;
}

const char *script_session_line(const struct script_session *ss, int i)
{
	return i >= 0 && i < ss->nlines ? ss->lines[i] : NULL;
}
