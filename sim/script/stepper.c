/*
 * stepper.c - a parsed scenario run one step at a time, forward and back
 * (`ipcsim step`; ipcsim/session.h).
 *
 * The stepper keeps one live interpreter and the number of steps it has run
 * (pos).  Forward is interp_run_stmt() on the next step's statement, after
 * remembering where it stands: a kernel mark (sim_kernel_mark) and a copy of
 * the interpreter's own state (interp_snap).  Back to step k rewinds the
 * kernel to the mark taken after step k and restores that copy, so going
 * back costs what those steps changed, not a re-run.  When a save could not
 * be made (out of memory), going back past it starts afresh instead: a fresh
 * interpreter run quietly up to step k (the simulator is deterministic, so
 * that is the same state).  Invariant: the live interpreter has run steps
 * 1..pos and nothing else, and is never left stopped; saves[i] (i < nsaves
 * <= pos) is the state after step i.  Before the step it lands on runs, the
 * state is remembered (memo), so the drawing after it marks what that step
 * created, changed or removed.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/session.h"
#include "script/interp_int.h"

struct script_stepper {
	const struct script *s;
	int *stmt_of;  /* stmt_of[k - 1]: index in s->stmts of step k */
	/* With programs the steps are known by running: line_of[k - 1] is step
	 * k's source line, show_of[k - 1] whether it is `show` (dynamic). */
	int dynamic;
	int *line_of;
	unsigned char *show_of;
	int count;     /* steps */
	int pos;       /* steps run by the live interpreter */
	int stopped;   /* the step a runtime error stopped the last goto at, or 0 */
	int live;      /* in is initialised, with a kernel */
	struct interp in;
	FILE *quiet;   /* /dev/null: where steps before the shown one print */
	struct render_memo *memo; /* the state before step pos (when pos > 0) */
	struct step_save {
		long mark;                /* the kernel's, after step i */
		struct interp_snap *snap; /* the interpreter's, after step i */
	} *saves;
	int nsaves, capsaves;
};

static int is_step(const struct stmt *st)
{
	return st->kind != ST_RESUMED && st->kind != ST_EXITED && st->kind != ST_KILLED;
}

/* Forgets saves[k..]: their marks go with the newest kept one's release. */
static void saves_drop(struct script_stepper *sp, int k)
{
	while (sp->nsaves > k)
		interp_snap_free(&sp->saves[--sp->nsaves].snap);
}

/* Remembers the state after pos steps as saves[pos]; nothing when it cannot
 * (then going back past it starts afresh). */
static void save_here(struct script_stepper *sp)
{
	struct sim_kernel *k = backend_kernel_rw(sp->in.b);
	struct step_save sv;

	if (sp->nsaves != sp->pos || k == NULL)
		return;
	if (sp->nsaves == sp->capsaves) {
		int cap = sp->capsaves ? sp->capsaves * 2 : 64;
		struct step_save *grown = realloc(sp->saves, (size_t)cap * sizeof(*grown));

		if (grown == NULL)
			return;
		sp->saves = grown;
		sp->capsaves = cap;
	}
	sv.snap = interp_snap_take(&sp->in);
	if (sv.snap == NULL)
		return;
	sv.mark = sim_kernel_mark(k);
	if (sv.mark < 0) {
		interp_snap_free(&sv.snap);
		return;
	}
	sp->saves[sp->nsaves++] = sv;
}

/* A fresh interpreter over a fresh kernel, before step 1.  -1: out of memory. */
static int restart(struct script_stepper *sp)
{
	struct script_options o = { 0 };

	saves_drop(sp, 0); /* the marks go with the kernel */
	if (sp->live)
		interp_fini(&sp->in);
	o.out = sp->quiet;
	o.err = sp->quiet;
	interp_init(&sp->in, sp->s, &o);
	sp->pos = 0;
	sp->live = sp->in.b != NULL;
	if (!sp->live)
		interp_fini(&sp->in);
	return sp->live ? 0 : -1;
}

/* The steps of a script with programs, by running it once quietly by its
 * schedule (a step that fails is the last one). */
static int count_steps(struct script_stepper *sp)
{
	int cap = 0, line = 0, show = 0, rc;

	sp->count = 0;
	do {
		rc = interp_step_unit(&sp->in, &line, &show);
		if (rc == 0 || (rc < 0 && line == 0))
			break;
		if (sp->count == cap) {
			int *lines;
			unsigned char *shows;

			cap = cap ? cap * 2 : 64;
			lines = realloc(sp->line_of, (size_t)cap * sizeof(*lines));
			if (lines != NULL)
				sp->line_of = lines;
			shows = realloc(sp->show_of, (size_t)cap);
			if (shows != NULL)
				sp->show_of = shows;
			if (lines == NULL || shows == NULL)
				return -1;
		}
		sp->line_of[sp->count] = line;
		sp->show_of[sp->count++] = (unsigned char)show;
		line = 0;
	} while (rc > 0);
	return restart(sp);
}

struct script_stepper *script_stepper_new(const struct script *s)
{
	struct script_stepper *sp = calloc(1, sizeof(*sp));

	if (sp == NULL)
		return NULL;
	sp->s = s;
	sp->stmt_of = calloc((size_t)s->nstmts + 1, sizeof(*sp->stmt_of));
	sp->quiet = fopen("/dev/null", "w");
	sp->memo = render_memo_new();
	if (sp->stmt_of == NULL || sp->quiet == NULL || sp->memo == NULL) {
		script_stepper_free(&sp);
		return NULL;
	}
	for (int i = 0; i < s->nstmts; i++) {
		if (is_step(s->stmts[i]))
			sp->stmt_of[sp->count++] = i;
		sp->dynamic |= s->stmts[i]->kind == ST_PROGRAM;
	}
	if (restart(sp) < 0 || (sp->dynamic && count_steps(sp) < 0))
		script_stepper_free(&sp);
	return sp;
}

void script_stepper_free(struct script_stepper **spp)
{
	struct script_stepper *sp;

	if (spp == NULL || *spp == NULL)
		return;
	sp = *spp;
	if (sp->live)
		interp_fini(&sp->in);
	if (sp->quiet != NULL)
		fclose(sp->quiet);
	saves_drop(sp, 0);
	free(sp->saves);
	render_memo_free(&sp->memo);
	free(sp->stmt_of);
	free(sp->line_of);
	free(sp->show_of);
	free(sp);
	*spp = NULL;
}

int script_stepper_count(const struct script_stepper *sp)
{
	return sp->count;
}

int script_stepper_pos(const struct script_stepper *sp)
{
	return sp->pos;
}

int script_stepper_line(const struct script_stepper *sp, int k)
{
	if (k < 1 || k > sp->count)
		return 0;
	if (sp->dynamic)
		return sp->line_of[k - 1];
	return sp->s->stmts[sp->stmt_of[k - 1]]->line;
}

const char *script_stepper_source(const struct script_stepper *sp, int line)
{
	if (line < 1 || line > sp->s->nlines)
		return "";
	return sp->s->lines[line - 1];
}

int script_stepper_shows_state(const struct script_stepper *sp, int k)
{
	if (k < 1 || k > sp->count)
		return 0;
	if (sp->dynamic)
		return sp->show_of[k - 1];
	return sp->s->stmts[sp->stmt_of[k - 1]]->kind == ST_SHOW;
}

int script_stepper_lines(const struct script_stepper *sp)
{
	return sp->s->nlines;
}

const char *script_stepper_file(const struct script_stepper *sp)
{
	return sp->s->file_name;
}

int script_stepper_step_at_line(const struct script_stepper *sp, int line)
{
	for (int k = 1; k <= sp->count; k++)
		if (script_stepper_line(sp, k) >= line)
			return k;
	return 0;
}

int script_stepper_step_upto_line(const struct script_stepper *sp, int line)
{
	int k = 0;

	while (k < sp->count && script_stepper_line(sp, k + 1) <= line)
		k++;
	return k;
}

/* The state now, for the drawing after the next step to compare with. */
static void remember(struct script_stepper *sp)
{
	const struct sim_kernel *k = backend_kernel(sp->in.b);
	struct render_opts o;

	if (k == NULL)
		return;
	interp_render_opts(&sp->in, &o, 0);
	render_memo_take(sp->memo, k, &o);
}

/* Runs steps pos+1..k; step k prints to out.  -1 with sp->stopped set after
 * a runtime error (reported on err). */
static int run_to(struct script_stepper *sp, int k, FILE *out, FILE *err, int color)
{
	while (sp->pos < k) {
		int shown = sp->pos + 1 == k;

		save_here(sp);
		sp->in.out = shown ? out : sp->quiet;
		sp->in.err = err;
		sp->in.color = shown && color;
		if (shown)
			remember(sp);
		if (sp->dynamic) {
			int line = 0, show = 0;

			if (interp_step_unit(&sp->in, &line, &show) <= 0) {
				sp->stopped = sp->pos + 1;
				break;
			}
		} else if (interp_run_stmt(&sp->in, sp->stmt_of[sp->pos]) < 0) {
			sp->stopped = sp->pos + 1;
			break;
		}
		sp->pos++;
	}
	fflush(out);
	sp->in.out = sp->quiet;
	sp->in.err = sp->quiet;
	return sp->stopped ? -1 : 0;
}

/* The state after step k <= pos: rewound to its save, or afresh (quietly)
 * when there is none.  dirty: a step after pos failed half-way, so even
 * k == pos must be put back.  -1: out of memory. */
static int back_to(struct script_stepper *sp, int k, int dirty)
{
	struct sim_kernel *kern = backend_kernel_rw(sp->in.b);

	if (k == sp->pos && !dirty)
		return 0;
	if (k < sp->nsaves && kern != NULL &&
	    sim_kernel_rewind(kern, sp->saves[k].mark) == 0) {
		int rc = interp_snap_restore(&sp->in, sp->saves[k].snap);

		sim_kernel_release(kern, sp->saves[k].mark);
		saves_drop(sp, k);
		sp->pos = k;
		if (rc == 0)
			return 0;
		/* the interpreter could not be put back: start afresh below */
	}
	if (restart(sp) < 0)
		return -1;
	run_to(sp, k, sp->quiet, sp->quiet, 0);
	sp->stopped = 0;
	return 0;
}

int script_stepper_goto(struct script_stepper *sp, int k, FILE *out, int color)
{
	int stopped;

	if (k < 0)
		k = 0;
	if (k > sp->count)
		k = sp->count;
	sp->stopped = 0;
	/* Going back, or showing the current step again, runs it from the
	 * state before it. */
	if (!sp->live && restart(sp) < 0)
		goto out_oom;
	if (k <= sp->pos && back_to(sp, k > 0 ? k - 1 : 0, 0) < 0)
		goto out_oom;
	if (run_to(sp, k, out, out, color) == 0)
		return 0;
	/* The failed step may have left traces (a process created on first
	 * use): back to the state of the step before it, exactly. */
	stopped = sp->stopped;
	if (back_to(sp, stopped - 1, 1) < 0)
		goto out_oom;
	sp->stopped = stopped;
	return -1;

out_oom:
	fprintf(out, "ipcsim: out of memory\n");
	return -1;
}

int script_stepper_stopped(const struct script_stepper *sp)
{
	return sp->stopped;
}

void script_stepper_stats(const struct script_stepper *sp, struct script_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	if (!sp->live)
		return;
	stats->passed = sp->in.passed;
	stats->failed = sp->in.failed;
	stats->steps = sp->pos;
}

void script_stepper_show(struct script_stepper *sp, FILE *out, int color)
{
	script_stepper_show_fit(sp, out, color, 0);
}

int script_stepper_show_fit(struct script_stepper *sp, FILE *out, int color, int rows)
{
	const struct sim_kernel *k = sp->live ? backend_kernel(sp->in.b) : NULL;
	struct render_opts o;

	if (k == NULL)
		return 0;
	interp_render_opts(&sp->in, &o, color);
	o.since = sp->pos > 0 ? sp->memo : NULL;
	o.rows = rows;
	return render_draw(out, k, &o);
}
