/*
 * stream.c - running a scenario of any length in memory of the size of its
 * longest line: script_run_stream().
 *
 * One pass: each group of lines is parsed, checked and run before the next
 * is read, and nothing of it is kept but what later lines can name (the
 * checker's table of names).  A malformed file must print its diagnostic
 * (and its warnings, before anything) and nothing else, as script_parse
 * does, yet it is known good only at its last line: so what the run writes
 * to out and err waits in a spool (spool.c: the first MiB in memory, the
 * rest in an unlinked temporary file), printed after the warnings once the
 * last line has checked, or dropped for the diagnostic.  A runtime stop
 * runs nothing more, but the lines after it are still checked: a malformed
 * one later is the only thing printed.  The input is read once, so it may
 * be a pipe.
 *
 * Lines are taken in groups: a step with the lines that belong to it (its
 * `>` output, the `<... resumed>` and `+++` lines after it, matched against
 * the events the step caused, and comments between them).  A group's
 * statements and line copies live in an arena reset before the next group;
 * a call that blocks outlives its group, so its statement is copied out
 * (clone.c) and kept while its process sleeps in it.
 *
 * The name shown for a gid depends on every `group` line, before or after.
 * A group line naming a new gid after a step ran (rare: they come first)
 * sends the file down the second way, from its beginning:
 *
 * Checked first.  A caller whose backend or on_step sees each step as it
 * runs (the trace) cannot take a step back, so for it every line is checked
 * first, keeping nothing but the checker's names and the gids of group
 * lines, and the file is rewound and parsed (and checked) again as it runs;
 * a line that fails then (the file changed in between) stops the run there.
 * The check keeps what it parsed while the arena holds less than
 * STREAM_KEEP_BYTES: a scenario of that size is run from it, not read again.
 *
 * A file with a `program` block is parsed whole and run as script_run runs
 * it: a block spans many lines, and the programs written next to each other
 * run side by side, so no group of lines is smaller than all of them.  Both
 * ways drop what they did when they meet one, and start over.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "script/interp_int.h"

/* What a check first may keep for the run: about 2,500 lines of steps
 * (a step parses into 1.5 KB or so).  A longer file pays for touching this
 * much memory once, in vain: about 1,000 page faults. */
#define STREAM_KEEP_BYTES (4u << 20)
/* The most of a run's output its spool holds in memory (a lecture
 * scenario prints a few KiB); the rest waits in a temporary file. */
#define STREAM_SPOOL_BYTES (1u << 20)

struct stream {
	struct script s;       /* the window: the group's lines and statements */
	struct parser p;
	struct arena *arena;
	struct reader rd;
	int lines_cap;         /* s.lines and s.line_nos */
	char *ahead;           /* the next group's first line, read already */
	size_t ahead_len;
	int ahead_line;
	long long nstmts;      /* statements parsed in this pass */
	unsigned *gids;        /* first pass: the gids `group` lines name */
	int ngids;
	long long nblocked;    /* in->nblocked when the kept statements were last looked at */
	int kept_after_gc;     /* s.nkept after the last sweep */
	size_t keep_max;       /* first pass: keep its groups while the arena is below */
	int keeping;           /* ... and it still is: the window holds every group so far */
	int group_first;       /* the current group's first statement in s.stmts */
};

/* The lexer's blanks (isspace of the C locale) from text + pos on. */
static size_t skip_blanks(const char *text, size_t pos)
{
	while (text[pos] == ' ' || (text[pos] >= '\t' && text[pos] <= '\r'))
		pos++;
	return pos;
}

static int ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Is the line part of the group before it: blank, a comment, a `>` line,
 * a `P: <... resumed>` or `P: +++ ...` line?  Anything else starts a group
 * (a malformed line too: its parse reports it).  The tokens are read as
 * the lexer reads them (an identifier, `:`, then `<` but not `<=`, or
 * `+++`), without the lexer: every line of a file passes here twice. */
static int line_continues(const char *text)
{
	size_t pos = strspn(text, " \t");

	if (text[pos] == '\0' || text[pos] == '#' || text[pos] == '>')
		return 1;
	if (!ident_char(text[pos]) || (text[pos] >= '0' && text[pos] <= '9'))
		return 0;
	while (ident_char(text[pos]))
		pos++;
	pos = skip_blanks(text, pos);
	if (text[pos] != ':')
		return 0;
	pos = skip_blanks(text, pos + 1);
	if (text[pos] == '<')
		return text[pos + 1] != '=';
	return text[pos] == '+' && text[pos + 1] == '+' && text[pos + 2] == '+';
}

/* Parses line `line` into the window; its text is copied into the arena
 * when a statement may point into it (not for blank and comment lines). */
static int window_add(struct stream *sm, const char *text, size_t n, int line)
{
	size_t pos = strspn(text, " \t");
	char *copy;

	sm->p.line = line;
	if (text[pos] == '\0' || text[pos] == '#')
		return parse_line(&sm->p, text);
	if (sm->s.nlines == sm->lines_cap) {
		int cap = sm->lines_cap ? 2 * sm->lines_cap : 16;
		char **lines = realloc(sm->s.lines, (size_t)cap * sizeof(*lines));
		int *nos = lines != NULL ? realloc(sm->s.line_nos, (size_t)cap * sizeof(*nos)) : NULL;

		if (lines != NULL)
			sm->s.lines = lines;
		if (nos == NULL)
			return p_error(&sm->p, 1, "out of memory");
		sm->s.line_nos = nos;
		sm->lines_cap = cap;
	}
	copy = arena_alloc(sm->arena, n + 1);
	if (copy == NULL)
		return p_error(&sm->p, 1, "out of memory");
	memcpy(copy, text, n);
	sm->s.lines[sm->s.nlines] = copy;
	sm->s.line_nos[sm->s.nlines++] = line;
	return parse_line(&sm->p, copy);
}

/* The next line into *text, *n: 1, 0 at the end, -1 on a read error or a
 * NUL byte (the reader notes where: a text file has none). */
static int next_line(struct stream *sm, char **text, size_t *n)
{
	int rc = reader_next(&sm->rd, text, n);

	return rc > 0 && sm->rd.nul_line != 0 ? -1 : rc;
}

/* The next group into the window: 1, 0 at the end of the file, -1 after a
 * parse error (reported through the parser), a NUL byte or a read error. */
static int read_group(struct stream *sm)
{
	char *text;
	size_t n;

	if (sm->keeping && sm->arena->bytes >= sm->keep_max) {
		sm->keeping = 0; /* too large to keep: read twice, a group at a time */
		arena_trim(sm->arena);
	}
	if (!sm->keeping) {
		arena_reset(sm->arena);
		sm->s.nlines = 0;
		sm->s.nstmts = 0;
	}
	sm->group_first = sm->s.nstmts;
	if (sm->ahead == NULL) {
		int rc = next_line(sm, &text, &n);

		if (rc <= 0)
			return rc;
		sm->ahead = text;
		sm->ahead_len = n;
		sm->ahead_line = sm->rd.line;
	}
	text = sm->ahead;
	sm->ahead = NULL;
	if (window_add(sm, text, sm->ahead_len, sm->ahead_line) < 0)
		return -1;
	for (;;) {
		int rc = next_line(sm, &text, &n);

		if (rc <= 0) {
			if (rc < 0)
				return -1;
			break;
		}
		if (!line_continues(text)) {
			sm->ahead = text;
			sm->ahead_len = n;
			sm->ahead_line = sm->rd.line;
			break;
		}
		if (window_add(sm, text, n, sm->rd.line) < 0)
			return -1;
	}
	sm->nstmts += sm->s.nstmts - sm->group_first;
	return 1;
}

/* Starts a pass over f: the reader at the beginning, a fresh parser. */
static void pass_begin(struct stream *sm, FILE *f, FILE *err)
{
	check_free(&sm->p);
	memset(&sm->p, 0, sizeof(sm->p));
	sm->p.s = &sm->s;
	sm->p.err = err;
	sm->p.arena = sm->arena;
	reader_fini(&sm->rd);
	reader_init(&sm->rd, f);
	sm->ahead = NULL;
	sm->nstmts = 0;
}

/* The NUL byte's diagnostic (script_parse's), on the line the reader
 * returned last. */
static void report_nul(struct stream *sm, FILE *err)
{
	struct script one;
	int line = sm->rd.nul_line;

	memset(&one, 0, sizeof(one));
	one.file_name = sm->s.file_name;
	one.lines = &sm->rd.last;
	one.nlines = 1;
	one.line_nos = &line;
	script_diag(err, &one, line, sm->rd.nul_col, "error",
	            "a NUL byte (shown as '?'): a scenario is a text file");
}

static int report_io(struct stream *sm, FILE *err)
{
	if (sm->rd.read_error != 0)
		fprintf(err, "%s: error: cannot read: %s\n", sm->s.file_name,
		        strerror(sm->rd.read_error));
	else
		fprintf(err, "%s: error: out of memory\n", sm->s.file_name);
	return -1;
}

/* After the last line of a pass that checked (rc: read_group's last, 0 or
 * -1): 0 when every line is well formed (its warnings printed), 1 when a
 * line starts a program (nothing printed: the file is parsed whole), else
 * -1 after the one diagnostic script_parse would give (a NUL byte anywhere
 * wins over a parse error, as there).  held has the parser's output. */
static int check_verdict(struct stream *sm, int rc, struct scratch *held, FILE *err)
{
	const char *diag;

	if (rc < 0 && sm->p.failed && !sm->p.saw_program) {
		/* After a parse error, read on: a NUL byte further on is the error. */
		char *text;
		size_t n;

		while (next_line(sm, &text, &n) > 0)
			;
	}
	if (rc < 0 && sm->p.saw_program)
		return 1; /* the whole parse gives every diagnostic again */
	diag = scratch_end(held, NULL);
	if (diag == NULL) {
		rc = report_io(sm, err); /* out of memory holding them */
	} else if (sm->rd.nul_line != 0) {
		report_nul(sm, err);
		rc = -1;
	} else if (rc < 0 && sm->p.failed) {
		fputs(diag, err);
	} else if (rc < 0) {
		fputs(diag, err); /* the warnings before it */
		report_io(sm, err);
	} else if (sm->nstmts == 0) {
		fputs(diag, err);
		fprintf(err, "%s: error: no steps: the scenario is %s (a step is a line such as "
		        "'P1: q = msgget(IPC_PRIVATE, 0600)')\n", sm->s.file_name,
		        sm->rd.line == 0 ? "empty" : "only comments and blank lines");
		rc = -1;
	} else {
		fputs(diag, err); /* warnings (names differing only in case) */
	}
	return rc;
}

/* Back to the file's beginning for another pass: 0, or -1 after a message. */
static int rewind_input(FILE *f, const char *file_name, FILE *err)
{
	if (fseeko(f, 0, SEEK_SET) != 0) {
		fprintf(err, "%s: error: cannot read: %s\n", file_name, strerror(errno));
		return -1;
	}
	clearerr(f);
	return 0;
}

/* The first pass: 0 when every line is well formed, 1 when a line starts a
 * program (nothing reported: the file is parsed whole), else -1 after the one
 * diagnostic script_parse would give (a NUL byte anywhere wins over a parse
 * error, as there). */
static int check_all(struct stream *sm, FILE *f, FILE *err)
{
	struct scratch held; /* not open_memstream: it zeroes 8 KiB that a good file never uses */
	int rc;

	if (scratch_open(&held) < 0)
		return report_io(sm, err);
	pass_begin(sm, f, scratch_begin(&held));
	sm->keeping = sm->keep_max > 0;
	while ((rc = read_group(sm)) > 0) {
		for (int i = sm->group_first; i < sm->s.nstmts && rc > 0; i++) {
			const struct stmt *st = sm->s.stmts[i];
			unsigned *grown;

			if (st->kind != ST_GROUP)
				continue;
			grown = realloc(sm->gids, (size_t)(sm->ngids + 1) * sizeof(*grown));
			if (grown == NULL)
				rc = -1;
			else
				sm->gids = grown, sm->gids[sm->ngids++] = st->gid;
		}
		if (rc < 0)
			break;
	}
	if (rc < 0 && sm->keeping && !sm->p.saw_program) {
		/* It failed while keeping, perhaps only for want of the memory to
		 * keep in (--max-memory): the verdict comes from a pass that keeps
		 * nothing, as a file too long to keep gets it. */
		scratch_close(&held);
		sm->keep_max = 0;
		sm->ngids = 0;
		arena_trim(sm->arena);
		if (rewind_input(f, sm->s.file_name, err) < 0)
			return -1;
		return check_all(sm, f, err);
	}
	rc = check_verdict(sm, rc, &held, err);
	scratch_close(&held);
	return rc;
}

/* After a group ran: the statements processes sleep in are copied out of
 * the arena; from time to time, the copies no process sleeps in any more
 * are freed. */
static int keep_blocked(struct stream *sm, struct interp *in)
{
	struct proc *q, *tmp;
	int n = 0;

	if (in->nblocked == sm->nblocked)
		return 0;
	sm->nblocked = in->nblocked;
	HASH_ITER(hh, in->procs, q, tmp) {
		struct stmt *copy;
		char *line, **lines;
		struct stmt **kept;

		if (q->blocked_at == NULL || !q->blocked_at->in_arena)
			continue;
		copy = stmt_clone(q->blocked_at);
		line = strdup(script_line(&sm->s, q->blocked_at->line));
		kept = realloc(sm->s.kept, (size_t)(sm->s.nkept + 1) * sizeof(*kept));
		if (kept != NULL)
			sm->s.kept = kept;
		lines = realloc(sm->s.kept_lines, (size_t)(sm->s.nkept + 1) * sizeof(*lines));
		if (lines != NULL)
			sm->s.kept_lines = lines;
		if (copy == NULL || line == NULL || kept == NULL || lines == NULL) {
			stmt_free(copy);
			free(line);
			return interp_error(in, NULL, 1, "out of memory");
		}
		sm->s.kept[sm->s.nkept] = copy;
		sm->s.kept_lines[sm->s.nkept++] = line;
		q->blocked_at = copy;
	}
	if (sm->s.nkept < 2 * sm->kept_after_gc + 16)
		return 0;
	/* Sweep: keep what some process still sleeps in. */
	for (int k = 0; k < sm->s.nkept; k++)
		sm->s.kept[k]->gc_mark = 0;
	HASH_ITER(hh, in->procs, q, tmp)
		if (q->blocked_at != NULL)
			((struct stmt *)q->blocked_at)->gc_mark = 1;
	for (int k = 0; k < sm->s.nkept; k++) {
		if (!sm->s.kept[k]->gc_mark) {
			stmt_free(sm->s.kept[k]);
			free(sm->s.kept_lines[k]);
			continue;
		}
		sm->s.kept[n] = sm->s.kept[k];
		sm->s.kept_lines[n++] = sm->s.kept_lines[k];
	}
	sm->s.nkept = n;
	sm->kept_after_gc = n;
	return 0;
}

static void stream_fini(struct stream *sm)
{
	check_free(&sm->p);
	reader_fini(&sm->rd);
	arena_free(&sm->arena);
	for (int k = 0; k < sm->s.nkept; k++) {
		stmt_free(sm->s.kept[k]);
		free(sm->s.kept_lines[k]);
	}
	free(sm->s.kept);
	free(sm->s.kept_lines);
	free(sm->s.lines);
	free(sm->s.line_nos);
	free(sm->s.stmts);
	free(sm->gids);
}

/* A file with programs, parsed whole from its beginning and run. */
static int run_whole(FILE *f, const char *file_name, const struct script_limits *limits,
                     const struct script_options *o, struct script_stats *stats, FILE *err)
{
	char *text = NULL, chunk[65536];
	size_t len = 0, n;
	FILE *w = open_memstream(&text, &len);
	struct script *s;
	int rc;

	if (w == NULL || fseeko(f, 0, SEEK_SET) != 0) {
		fprintf(err, "%s: error: cannot read: %s\n", file_name, strerror(errno));
		if (w != NULL)
			fclose(w);
		free(text);
		return SCRIPT_EXIT_ERROR;
	}
	clearerr(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (fwrite(chunk, 1, n, w) != n)
			break;
	if (ferror(f) || ferror(w)) {
		fprintf(err, "%s: error: %s\n", file_name, ferror(f) ? "cannot read" : "out of memory");
		fclose(w);
		free(text);
		return SCRIPT_EXIT_ERROR;
	}
	fclose(w);
	s = script_parse(file_name, text, len, err);
	free(text);
	if (s == NULL)
		return SCRIPT_EXIT_ERROR;
	if (limits != NULL)
		script_set_limits(s, limits);
	rc = script_run(s, o, stats);
	script_free(&s);
	return rc;
}

int script_run_stream(FILE *f, const char *file_name, const struct script_limits *limits,
                      const struct script_options *o, struct script_stats *stats)
{
	return script_run_stream_keep(f, file_name, limits, o, stats, STREAM_KEEP_BYTES);
}

/* Sets sm up for a run: 0, or -1 after a message. */
static int stream_init(struct stream *sm, const char *file_name,
                       const struct script_limits *limits, size_t keep_bytes, FILE *err)
{
	memset(sm, 0, sizeof(*sm));
	sm->keep_max = keep_bytes;
	sm->s.file_name = (char *)file_name;
	if (limits != NULL)
		sm->s.limits = *limits;
	sm->arena = arena_new();
	if (sm->arena == NULL) {
		fprintf(err, "%s: error: out of memory\n", sm->s.file_name);
		return -1;
	}
	return 0;
}

/* What a run of the file needs besides SCRIPT_EXIT_*: to be parsed whole
 * (programs), or checked whole before it runs again. */
#define STREAM_WHOLE (-1)
#define STREAM_AGAIN (-2)

/* The single pass: each group is checked, then run, its output held in a
 * spool; the spool is printed once the last line has checked (after the
 * warnings), or dropped for the diagnostic of a malformed line.  After a
 * runtime stop the lines are still checked, not run.  SCRIPT_EXIT_*,
 * STREAM_WHOLE, or STREAM_AGAIN when a `group` line names a new gid after
 * a step ran: a name printed before may have depended on it. */
static int run_single(struct stream *sm, FILE *f, const struct script_options *o,
                      struct script_stats *stats, FILE *err)
{
	struct script_options so = { 0 };
	struct spool out, errs;
	struct scratch held;
	struct interp in;
	FILE *to = o != NULL && o->out != NULL ? o->out : stdout;
	size_t mem = sm->keep_max < STREAM_SPOOL_BYTES ? sm->keep_max : STREAM_SPOOL_BYTES;
	int rc, stepped = 0, again = 0;

	if (o != NULL)
		so = *o;
	rc = spool_open(&out, mem, sm->s.limits.max_output);
	if (spool_open(&errs, mem, sm->s.limits.max_output) < 0 || scratch_open(&held) < 0 ||
	    rc < 0) {
		spool_close(&out);
		spool_close(&errs);
		scratch_close(&held);
		report_io(sm, err);
		return SCRIPT_EXIT_ERROR;
	}
	so.out = out.w;
	so.err = errs.w;
	pass_begin(sm, f, scratch_begin(&held));
	interp_init(&in, &sm->s, &so);
	if (in.b == NULL) {
		fprintf(err, "ipcsim: out of memory\n");
		rc = SCRIPT_EXIT_ERROR;
		goto out_fini;
	}
	in.group_gids_upto = INT_MAX; /* noted here, as the lines come */
	while ((rc = read_group(sm)) > 0) {
		for (int i = 0; i < sm->s.nstmts && !in.stopped && !again; i++) {
			const struct stmt *st = sm->s.stmts[i];
			int added;

			if (st->kind != ST_GROUP) {
				stepped = 1;
				continue;
			}
			added = interp_note_group_gid(&in, st->gid);
			if (added < 0)
				interp_error(&in, st, 1, "out of memory");
			again = added > 0 && stepped;
		}
		if (again)
			break;
		for (int i = 0; i < sm->s.nstmts && !in.stopped; i++)
			interp_run_stmt(&in, i);
		if (!in.stopped)
			keep_blocked(sm, &in);
		if (out.error == EFBIG || errs.error == EFBIG) {
			fprintf(err, "%s: error: the output limit of %lld bytes was reached "
			        "(--max-output) before the file had checked; stopped\n",
			        sm->s.file_name, sm->s.limits.max_output);
			rc = SCRIPT_EXIT_ERROR;
			goto out_fini;
		}
	}
	if (again) {
		rc = STREAM_AGAIN;
		goto out_fini;
	}
	rc = check_verdict(sm, rc, &held, err);
	if (rc != 0) {
		rc = rc > 0 ? STREAM_WHOLE : SCRIPT_EXIT_ERROR;
		goto out_fini;
	}
	if (spool_copy(&out, to) < 0 || (fflush(to), spool_copy(&errs, err) < 0)) {
		fprintf(err, "%s: error: cannot hold the run's output until the file has checked: "
		        "%s\n", sm->s.file_name, strerror(errno));
		rc = SCRIPT_EXIT_ERROR;
		goto out_fini;
	}
	in.out = to;
	in.err = err;
	rc = in.stopped ? SCRIPT_EXIT_ERROR : in.failed > 0 ? SCRIPT_EXIT_FAILED : SCRIPT_EXIT_OK;
	interp_finish(&in, o, stats);
out_fini:
	interp_fini(&in);
	spool_close(&out);
	spool_close(&errs);
	scratch_close(&held);
	return rc;
}

/* Checked whole first, then run: for a caller whose backend or on_step
 * sees each step as it runs (the trace), so that nothing runs for a
 * malformed file.  SCRIPT_EXIT_* or STREAM_WHOLE. */
static int run_checked_first(struct stream *sm, FILE *f, const struct script_options *o,
                             struct script_stats *stats, FILE *err)
{
	struct interp in;
	int rc = check_all(sm, f, err);

	if (rc != 0)
		return rc > 0 ? STREAM_WHOLE : SCRIPT_EXIT_ERROR;
	if (sm->keeping) {
		check_free(&sm->p); /* the window holds every statement: nothing to parse again */
	} else {
		if (rewind_input(f, sm->s.file_name, err) < 0)
			return SCRIPT_EXIT_ERROR;
		pass_begin(sm, f, err);
		sm->p.rechecking = 1;
	}
	interp_init(&in, &sm->s, o);
	if (in.b == NULL) {
		fprintf(in.err, "ipcsim: out of memory\n");
		interp_fini(&in);
		return SCRIPT_EXIT_ERROR;
	}
	/* Every group line is known from the first pass. */
	in.group_gids_upto = INT_MAX;
	for (int k = 0; k < sm->ngids; k++)
		interp_note_group_gid(&in, sm->gids[k]);
	if (sm->keeping) {
		for (int i = 0; i < sm->s.nstmts && !in.stopped; i++)
			interp_run_stmt(&in, i);
		rc = 0;
	}
	while (!sm->keeping && !in.stopped && (rc = read_group(sm)) > 0) {
		for (int i = 0; i < sm->s.nstmts && !in.stopped; i++)
			interp_run_stmt(&in, i);
		if (!in.stopped)
			keep_blocked(sm, &in);
	}
	if (!in.stopped && rc < 0) {
		/* The file changed between the passes, or cannot be read again. */
		fflush(in.out);
		if (sm->rd.nul_line != 0)
			report_nul(sm, err);
		else if (sm->p.saw_program)
			fprintf(err, "%s: error: the file changed while it ran\n", sm->s.file_name);
		else if (!sm->p.failed)
			report_io(sm, err);
		in.stopped = 1;
	}
	rc = in.stopped ? SCRIPT_EXIT_ERROR : in.failed > 0 ? SCRIPT_EXIT_FAILED : SCRIPT_EXIT_OK;
	interp_finish(&in, o, stats);
	interp_fini(&in);
	return rc;
}

int script_run_stream_keep(FILE *f, const char *file_name, const struct script_limits *limits,
                           const struct script_options *o, struct script_stats *stats,
                           size_t keep_bytes)
{
	struct stream sm;
	FILE *err = o != NULL && o->err != NULL ? o->err : stderr;
	const char *name = file_name != NULL ? file_name : "<scenario>";
	int rc = STREAM_AGAIN;

	if (stream_init(&sm, name, limits, keep_bytes, err) < 0)
		return SCRIPT_EXIT_ERROR;
	if (o == NULL || (o->on_step == NULL && o->backend == NULL)) {
		rc = run_single(&sm, f, o, stats, err);
		if (rc == STREAM_AGAIN) {
			stream_fini(&sm);
			if (rewind_input(f, name, err) < 0 ||
			    stream_init(&sm, name, limits, keep_bytes, err) < 0)
				return SCRIPT_EXIT_ERROR;
		}
	}
	if (rc == STREAM_AGAIN)
		rc = run_checked_first(&sm, f, o, stats, err);
	stream_fini(&sm);
	if (rc == STREAM_WHOLE)
		return run_whole(f, name, limits, o, stats, err);
	return rc;
}
