/*
 * interp_prog.c - programs running side by side: the sections of a script
 * and the schedules that pick who runs next.
 *
 * Programs written next to each other form a section.  The statements
 * before it run in order; at the section, every program's process starts
 * at its first line, and the schedule picks, step after step, one of the
 * processes that can run (not blocked in a call, not ended, program not
 * finished); when none can, the section is over (a deadlock when some are
 * blocked) and the statements after it run.
 *
 * interp_advance() runs up to the next choice and interp_prog_step() makes
 * it: script_run picks with the schedule (sched_pick), the explorer picks
 * itself (ipcsim/sched.h).  Only a program's steps are choice points: the
 * lines that steer it (repeat, if, else, }) touch nothing shared, and run
 * when their process is next looked at (settle).
 */
#include <stdlib.h>
#include <string.h>

#include "script/interp_int.h"

/* ---- schedules ------------------------------------------------------------- */

void sched_free(struct sched *sc)
{
	for (int i = 0; i < sc->nnames; i++)
		free(sc->names[i]);
	free(sc->names);
	memset(sc, 0, sizeof(*sc));
	sc->quantum = 1;
}

static int parse_count(const char *text, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	*out = strtoull(text, &end, 10);
	return *end == '\0' && *out <= max ? 0 : -1;
}

int sched_parse(struct sched *sc, const char *spec, char *err, size_t errlen)
{
	unsigned long long n;
	const char *at;

	sched_free(sc);
	if (spec == NULL || spec[0] == '\0')
		return 0;
	if (strncmp(spec, "rr:", 3) == 0) {
		if (parse_count(spec + 3, 1000000000ULL, &n) < 0 || n == 0) {
			snprintf(err, errlen, "--schedule rr:N takes a quantum from 1 to 1000000000, "
			         "not '%s'", spec + 3);
			return -1;
		}
		sc->quantum = (long long)n;
		return 0;
	}
	if (strncmp(spec, "random:", 7) == 0) {
		if (parse_count(spec + 7, ~0ULL, &n) < 0) {
			snprintf(err, errlen, "--schedule random:SEED takes a number, not '%s'", spec + 7);
			return -1;
		}
		sc->kind = SCHED_RANDOM;
		sc->rng = n * 0x9E3779B97F4A7C15ULL + 1; /* never 0: xorshift stays 0 */
		return 0;
	}
	sc->kind = SCHED_LIST;
	for (at = spec; *at != '\0';) {
		size_t len = strcspn(at, ",*");
		unsigned long long times = 1;
		char **grown;

		if (at[len] == '*') {
			size_t nlen = strcspn(at + len + 1, ",");
			char num[24];

			if (nlen == 0 || nlen >= sizeof(num)) {
				snprintf(err, errlen, "--schedule: P*N takes a count, as P1*3");
				sched_free(sc);
				return -1;
			}
			memcpy(num, at + len + 1, nlen);
			num[nlen] = '\0';
			if (parse_count(num, 1000000, &times) < 0 || times == 0 ||
			    (unsigned long long)sc->nnames + times > 10000000) {
				snprintf(err, errlen, "--schedule: P*N takes a count from 1 to 1000000, "
				         "not '%s'", num);
				sched_free(sc);
				return -1;
			}
		}
		if (len == 0 || len > 64) {
			snprintf(err, errlen, "--schedule takes rr:N, random:SEED or process names "
			         "separated by commas (P1,P2,P1), not '%s'", spec);
			sched_free(sc);
			return -1;
		}
		for (size_t k = 0; k < len; k++)
			if (!(at[k] == '_' || (at[k] >= '0' && at[k] <= '9') ||
			      (at[k] >= 'a' && at[k] <= 'z') || (at[k] >= 'A' && at[k] <= 'Z'))) {
				snprintf(err, errlen, "--schedule: '%.*s' is not a process name", (int)len,
				         at);
				sched_free(sc);
				return -1;
			}
		for (unsigned long long t = 0; t < times; t++) {
			grown = realloc(sc->names, (size_t)(sc->nnames + 1) * sizeof(*grown));
			if (grown == NULL || (grown[sc->nnames] = strndup(at, len)) == NULL) {
				if (grown != NULL)
					sc->names = grown;
				snprintf(err, errlen, "out of memory");
				sched_free(sc);
				return -1;
			}
			sc->names = grown;
			sc->nnames++;
		}
		at += strcspn(at, ",");
		if (*at == ',')
			at++;
	}
	sc->kind = SCHED_LIST;
	return 0;
}

static unsigned long long xorshift(unsigned long long *s)
{
	unsigned long long x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Round robin: the process in its quantum goes on while it can; then the
 * next one that can run after it, in the order the programs are written. */
static int pick_rr(struct section *sec, long long quantum)
{
	int best = -1;

	for (int k = 0; k < sec->nrunnable; k++)
		if (sec->runnable[k] == sec->current && sec->left > 0)
			return k;
	for (int k = 0; k < sec->nrunnable; k++) {
		int idx = sec->runnable[k];

		if (idx > sec->current) {
			best = k;
			break;
		}
	}
	if (best < 0)
		best = 0;
	sec->current = sec->runnable[best];
	sec->left = quantum;
	return best;
}

int sched_pick(struct interp *in)
{
	struct section *sec = in->sec;
	struct sched *sc = &in->sched;
	int k;

	if (sc->kind == SCHED_RANDOM)
		return (int)(xorshift(&sc->rng) % (unsigned long long)sec->nrunnable);
	if (sc->kind == SCHED_LIST && sc->at < sc->nnames) {
		const char *name = sc->names[sc->at];

		for (k = 0; k < sec->nrunnable; k++)
			if (strcmp(sec->pp[sec->runnable[k]].p->name, name) == 0) {
				sc->at++;
				sec->current = sec->runnable[k];
				sec->left = 1;
				return k;
			}
		for (k = 0; k < sec->n; k++)
			if (strcmp(sec->pp[k].p->name, name) == 0)
				break;
		return interp_error(in, sec->pp[sec->runnable[0]].prog, 1, "the schedule's step %d "
		                    "names %s, which %s", sc->at + 1, name,
		                    k == sec->n ? "runs no program here"
		                    : sec->pp[k].p->state == PS_BLOCKED ? "is blocked"
		                                                        : "has nothing left to run");
	}
	return pick_rr(sec, sc->quantum);
}

/* ---- sections -------------------------------------------------------------- */

void section_free(struct interp *in)
{
	struct section *sec = in->sec;

	if (sec == NULL)
		return;
	if (in->top_out != NULL) {
		fflush(in->sec_out);
		if (in->nsec_ends < 64)
			in->sec_ends[in->nsec_ends++] = ftell(in->sec_out);
		in->out = in->top_out;
		in->top_out = NULL;
	}
	for (int k = 0; k < sec->n; k++)
		free(sec->pp[k].counters);
	free(sec->pp);
	free(sec->runnable);
	free(sec);
	in->sec = NULL;
}

static int section_start(struct interp *in, int lo)
{
	struct section *sec = calloc(1, sizeof(*sec));
	int hi = lo;

	if (sec == NULL)
		return interp_error(in, in->s->stmts[lo], 1, "out of memory");
	in->sec = sec;
	while (hi + 1 < in->s->nstmts && in->s->stmts[hi + 1]->kind == ST_PROGRAM)
		hi++;
	sec->lo = lo;
	sec->hi = hi;
	if (in->sec_out != NULL) {
		in->top_out = in->out;
		in->out = in->sec_out;
	}
	sec->current = -1;
	sec->pp = calloc((size_t)(hi - lo + 1), sizeof(*sec->pp));
	sec->runnable = calloc((size_t)(hi - lo + 1), sizeof(*sec->runnable));
	if (sec->pp == NULL || sec->runnable == NULL)
		return interp_error(in, in->s->stmts[lo], 1, "out of memory");
	for (int i = lo; i <= hi; i++) {
		const struct stmt *st = in->s->stmts[i];
		struct prog_proc *pp = &sec->pp[sec->n];

		in->cur = i;
		pp->prog = st;
		pp->counters = calloc((size_t)st->prog->nslots + 1, sizeof(*pp->counters));
		if (pp->counters == NULL)
			return interp_error(in, st, 1, "out of memory");
		sec->n++;
		/* A witness makes the processes in the same order, with the same pids. */
		if (in->sec_out != NULL && interp_proc(in, st->proc, 0) == NULL)
			fprintf(in->out, "process %s\n", st->proc);
		pp->p = interp_proc(in, st->proc, 1);
		if (pp->p == NULL || interp_check_limits(in, st) < 0)
			return -1;
		if (pp->p->state != PS_RUNNING)
			return interp_error(in, st, st->proc_col, "%s cannot start its program: it %s",
			                    st->proc, pp->p->state == PS_BLOCKED ? "is blocked"
			                                                         : "has ended");
	}
	in->next = hi + 1;
	return 0;
}

/* Runs pp's lines that steer it up to its next step (or its end). */
static int settle(struct interp *in, struct prog_proc *pp)
{
	const struct program *pr = pp->prog->prog;
	unsigned long spins = 0;

	while (pp->pc < pr->ncode) {
		const struct pinstr *ins = &pr->code[pp->pc];
		long long v;

		/* A loop of lines that make no step still ends within the limits. */
		if ((++spins & 0xffff) == 0 && interp_check_limits(in, pp->prog) < 0)
			return -1;
		switch (ins->kind) {
		case PI_STEP:
			return 0;
		case PI_REPEAT:
			if (eval_int(in, ins->e, &v) < 0)
				return -1;
			pp->counters[ins->slot] = v;
			pp->pc = v > 0 ? pp->pc + 1 : ins->target;
			break;
		case PI_LOOP:
			pp->pc = --pp->counters[ins->slot] > 0 ? ins->target : pp->pc + 1;
			break;
		case PI_IF:
			if (eval_int(in, ins->e, &v) < 0)
				return -1;
			pp->pc = v ? pp->pc + 1 : ins->target;
			break;
		case PI_JUMP:
			pp->pc = ins->target;
			break;
		}
	}
	return 0;
}

/* Which processes can take a step; 0 when none can (the section is over). */
static int section_runnable(struct interp *in)
{
	struct section *sec = in->sec;

	sec->nrunnable = 0;
	for (int k = 0; k < sec->n; k++) {
		struct prog_proc *pp = &sec->pp[k];

		if (pp->p->state != PS_RUNNING)
			continue;
		if (settle(in, pp) < 0)
			return -1;
		if (pp->pc < pp->prog->prog->ncode)
			sec->runnable[sec->nrunnable++] = k;
	}
	return sec->nrunnable;
}

static void section_end(struct interp *in)
{
	struct section *sec = in->sec;
	int blocked = 0;

	for (int k = 0; k < sec->n; k++)
		blocked += sec->pp[k].p->state == PS_BLOCKED;
	if (blocked > 0) {
		int first = 1;

		/* A deadlock: every program is stuck, each waiting for another.
		 * When some finished, the others wait for what never comes. */
		if (blocked == sec->n) {
			in->deadlocks++;
			sec->deadlocked = 1;
		}
		fprintf(in->out, "# %s:", blocked == sec->n ? "deadlock: every program is blocked"
		                                            : "blocked forever");
		for (int k = 0; k < sec->n; k++) {
			const struct proc *p = sec->pp[k].p;

			if (p->state != PS_BLOCKED)
				continue;
			fprintf(in->out, "%s %s blocked in %s (line %d)", first ? "" : ",", p->name,
			        p->blocked_at->call->name, p->blocked_at->line);
			first = 0;
		}
		fputc('\n', in->out);
	}
}

int interp_advance(struct interp *in)
{
	for (;;) {
		if (in->stopped)
			return -1;
		if (in->sec != NULL) {
			int n = section_runnable(in);

			if (n != 0)
				return n < 0 ? -1 : 1;
			section_end(in);
			section_free(in);
			continue;
		}
		if (in->next >= in->s->nstmts)
			return 0;
		if (in->s->stmts[in->next]->kind == ST_PROGRAM) {
			if (section_start(in, in->next) < 0)
				return -1;
			continue;
		}
		if (interp_run_stmt(in, in->next++) < 0)
			return -1;
	}
}

int interp_step_unit(struct interp *in, int *line, int *is_show)
{
	for (;;) {
		const struct stmt *st;
		int rc;

		if (in->stopped)
			return -1;
		if (in->sec != NULL) {
			int n = section_runnable(in), k;
			const struct prog_proc *pp;

			if (n < 0)
				return -1;
			if (n == 0) {
				section_end(in);
				section_free(in);
				continue;
			}
			if ((k = sched_pick(in)) < 0)
				return -1;
			pp = &in->sec->pp[in->sec->runnable[k]];
			*line = pp->prog->prog->code[pp->pc].st->line;
			*is_show = 0;
			return interp_prog_step(in, k) < 0 ? -1 : 1;
		}
		if (in->next >= in->s->nstmts)
			return 0;
		st = in->s->stmts[in->next];
		if (st->kind == ST_PROGRAM) {
			if (section_start(in, in->next) < 0)
				return -1;
			continue;
		}
		*line = st->line;
		*is_show = st->kind == ST_SHOW;
		rc = interp_run_stmt(in, in->next++);
		if (rc != 1)
			return rc < 0 ? -1 : 1;
	}
}

int interp_run_section(struct interp *in, int lo)
{
	int n;

	if (section_start(in, lo) < 0)
		return -1;
	while ((n = section_runnable(in)) > 0) {
		int k = sched_pick(in);

		if (k < 0 || interp_prog_step(in, k) < 0)
			return -1;
	}
	if (n < 0)
		return -1;
	section_end(in);
	section_free(in);
	return 0;
}

int script_schedule_check(const char *spec, char *err, size_t errlen)
{
	struct sched sc = { 0 };
	int rc = sched_parse(&sc, spec, err, errlen);

	sched_free(&sc);
	return rc;
}

int script_set_schedule(struct script *s, const char *spec, char *err, size_t errlen)
{
	char *copy;

	if (script_schedule_check(spec, err, errlen) < 0)
		return -1;
	copy = spec != NULL ? strdup(spec) : NULL;
	if (spec != NULL && copy == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(s->schedule);
	s->schedule = copy;
	return 0;
}

int interp_prog_step(struct interp *in, int k)
{
	struct section *sec = in->sec;
	struct prog_proc *pp = &sec->pp[sec->runnable[k]];
	const struct stmt *st = pp->prog->prog->code[pp->pc].st;

	pp->pc++;
	sec->left--;
	in->cur = sec->lo;
	return interp_exec_program_step(in, st);
}
