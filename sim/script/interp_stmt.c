/*
 * interp_stmt.c - the statements that are not calls: `$` shell commands and
 * their `>` output, the directives (limit, file, user, group, process,
 * show), and the interpreter's setup and teardown.
 *
 * Users and groups live here, not in the kernel: the kernel knows numbers;
 * names are for `ipcs` output and `process P user=NAME` lines, given to the
 * renderers through struct scenario_names.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/shell.h" /* shell_lines_equal */
#include "ipcsim/types.h"
#include "script/interp_int.h"

int stmt_run_other(struct interp *in, const struct stmt *st);

static int add_person(struct person **table, const char *name, unsigned uid, unsigned gid)
{
	struct person *p = NULL;

	HASH_FIND_STR(*table, name, p);
	if (p == NULL) {
		p = calloc(1, sizeof(*p));
		if (p == NULL || (p->name = strdup(name)) == NULL) {
			free(p);
			return -1;
		}
		HASH_ADD_KEYPTR(hh, *table, p->name, strlen(p->name), p);
	}
	p->uid = uid;
	p->gid = gid;
	return 0;
}

static void free_people(struct person **table)
{
	struct person *p, *tmp;

	HASH_ITER(hh, *table, p, tmp) {
		HASH_DEL(*table, p);
		free(p->name);
		free(p);
	}
}

/* The first declared name wins for a number, as getpwuid() finds the first. */
static const char *user_name(void *ctx, unsigned uid)
{
	struct interp *in = ctx;
	struct person *p, *tmp;

	HASH_ITER(hh, in->users, p, tmp) {
		if (p->uid == uid)
			return p->name;
	}
	return NULL;
}

/* Does a `group` line of the script - before or after this point - name
 * gid?  The statements are scanned once, as they come (the repl adds them
 * one by one).  Out of memory: the lines not yet noted count as naming
 * nothing, which may show a user's name where a group's was due. */
static int gid_named_by_group_line(struct interp *in, unsigned gid)
{
	struct gid_entry *g = NULL;

	for (; in->group_gids_upto < in->s->nstmts; in->group_gids_upto++) {
		const struct stmt *st = in->s->stmts[in->group_gids_upto];

		if (st->kind == ST_GROUP && interp_note_group_gid(in, st->gid) < 0)
			break;
	}
	HASH_FIND(hh, in->group_gids, &gid, sizeof(gid), g);
	return g != NULL;
}

int interp_note_group_gid(struct interp *in, unsigned gid)
{
	struct gid_entry *g = NULL;

	HASH_FIND(hh, in->group_gids, &gid, sizeof(gid), g);
	if (g != NULL)
		return 0;
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return -1;
	g->gid = gid;
	HASH_ADD(hh, in->group_gids, gid, sizeof(g->gid), g);
	return 1;
}

/*
 * A group line's name first (the first declared wins, as getgrgid() finds
 * the first entry of /etc/group); then the name of a user whose gid it is,
 * unless some group line of the script names that gid: on Linux a group's
 * name comes from the group database alone, so user nobody (gid 65534)
 * with `group nogroup gid=65534` shows nogroup, wherever that line is.
 */
static const char *group_name(void *ctx, unsigned gid)
{
	struct interp *in = ctx;
	struct person *p, *tmp;

	HASH_ITER(hh, in->groups, p, tmp) {
		if (p->gid == gid)
			return p->name;
	}
	if (gid_named_by_group_line(in, gid))
		return NULL;
	HASH_ITER(hh, in->user_groups, p, tmp) {
		if (p->gid == gid)
			return p->name;
	}
	return NULL;
}

static const char *proc_name(void *ctx, int pid)
{
	struct proc *p = interp_proc_by_pid(ctx, pid);

	return p != NULL ? p->name : NULL;
}

/* Splits captured output into lines; a final newline ends the last line. */
static int split_output(const char *buf, size_t len, char ***lines, int *n)
{
	size_t start = 0;

	*lines = NULL;
	*n = 0;
	while (start < len) {
		char *nl = memchr(buf + start, '\n', len - start);
		size_t end = nl != NULL ? (size_t)(nl - buf) : len;
		char **grown = realloc(*lines, (size_t)(*n + 1) * sizeof(*grown));

		if (grown == NULL)
			return -1;
		*lines = grown;
		(*lines)[*n] = strndup(buf + start, end - start);
		if ((*lines)[*n] == NULL)
			return -1;
		(*n)++;
		start = end + 1;
	}
	return 0;
}

static void compare_output(struct interp *in, const struct stmt *st, char **got, int ngot)
{
	char why[1024];

	for (int k = 0; k < st->nout || k < ngot; k++) {
		if (k < st->nout && k < ngot && shell_lines_equal(st->out_lines[k], got[k]))
			continue;
		if (k >= ngot)
			snprintf(why, sizeof(why), "output line %d: expected '%s', got no more output",
			         k + 1, st->out_lines[k]);
		else if (k >= st->nout)
			snprintf(why, sizeof(why), "output line %d: expected no more output, got '%s'",
			         k + 1, got[k]);
		else
			snprintf(why, sizeof(why), "output line %d: expected '%s', got '%s'", k + 1,
			         st->out_lines[k], got[k]);
		interp_note_failure(in, st, st->col, why);
		return;
	}
	in->passed++;
}

static int run_shell(struct interp *in, const struct stmt *st)
{
	struct backend_creds c = { in->sh_uid, in->sh_gid, in->sh_uid == 0 ? SIM_CAP_ALL : 0 };
	struct scratch out; /* not open_memstream: it zeroes 8 KiB */
	const char *buf;
	char **lines = NULL;
	size_t len = 0;
	int n = 0, rc = 0;

	if (st->sudo) {
		c.uid = 0;
		c.gid = 0;
		c.caps = SIM_CAP_ALL;
	}
	if (scratch_open(&out) < 0)
		return interp_error(in, st, 1, "out of memory");
	in->b->ops->shell(in->b->ctx, &c, &in->names, st->cmd, scratch_begin(&out));
	buf = scratch_end(&out, &len);
	if (buf == NULL || split_output(buf, len, &lines, &n) < 0)
		rc = interp_error(in, st, 1, "out of memory");
	scratch_close(&out);
	fprintf(in->out, "$ %s%s\n", st->sudo ? "sudo " : "", st->cmd);
	for (int k = 0; k < n; k++)
		fprintf(in->out, ">%s%s\n", lines[k][0] != '\0' ? " " : "", lines[k]);
	if (rc == 0 && st->nout > 0)
		compare_output(in, st, lines, n);
	if (rc == 0)
		step_note_output(in, lines, n);
	if (in->trace != NULL && rc == 0) {
		struct trace_stmt *ts = &in->trace[in->cur];

		ts->out = lines;
		ts->nout = n;
		return 0;
	}
	for (int k = 0; k < n; k++)
		free(lines[k]);
	free(lines);
	return rc;
}

static void echo_line(struct interp *in, const struct stmt *st)
{
	const char *text = script_line(in->s, st->line) + st->col - 1;
	size_t n = strlen(text);

	/* Directives print as written, without a trailing comment. */
	for (size_t k = 0; k < n; k++)
		if (text[k] == '#') {
			n = k;
			break;
		}
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	fprintf(in->out, "%.*s\n", (int)n, text);
}

static int run_process(struct interp *in, const struct stmt *st)
{
	struct backend_creds c = { in->def_uid, in->def_gid, 0 };
	struct proc *p;

	if (st->bind != NULL) {
		struct person *u = NULL;

		HASH_FIND_STR(in->users, st->bind, u);
		if (u == NULL)
			return interp_error(in, st, st->bind_col, "unknown user '%s'", st->bind);
		c.uid = u->uid;
		c.gid = u->gid;
	}
	if (st->has_uid)
		c.uid = st->uid;
	if (st->has_gid)
		c.gid = st->gid;
	c.caps = st->has_caps ? st->caps : c.uid == 0 ? SIM_CAP_ALL : 0;
	p = interp_proc(in, st->proc, 0);
	if (p != NULL) {
		/* It exists: new credentials, as setuid/setgid/capset give. */
		if (in->b->ops->set_creds == NULL)
			return interp_error(in, st, st->proc_col, "this backend cannot change the "
			                    "credentials of %s", st->proc);
		if (in->b->ops->set_creds(in->b->ctx, p->pid, &c) < 0)
			return interp_error(in, st, st->proc_col, "%s is not running: its credentials "
			                    "cannot change", st->proc);
		echo_line(in, st);
		return 0;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL || (p->name = strdup(st->proc)) == NULL ||
	    in->b->ops->proc_new(in->b->ctx, &c, &p->pid) < 0) {
		free(p != NULL ? p->name : NULL);
		free(p);
		return interp_error(in, st, st->proc_col, "cannot create process %s", st->proc);
	}
	interp_proc_add(in, p);
	echo_line(in, st);
	return 0;
}

int stmt_run_other(struct interp *in, const struct stmt *st)
{
	int rc;

	switch (st->kind) {
	case ST_SHELL:
		return run_shell(in, st);
	case ST_LIMIT:
		rc = in->b->ops->limit_set(in->b->ctx, st->name, st->value->ival);
		if (rc < 0)
			return interp_error(in, st, st->col, "limit %s=%lld: %s", st->name,
			                    st->value->ival, strerrordesc_np(-rc));
		echo_line(in, st);
		return 0;
	case ST_FILE:
		if (in->b->ops->file_add(in->b->ctx, st->name, st->inode, st->major, st->minor) < 0)
			return interp_error(in, st, st->col, "out of memory");
		echo_line(in, st);
		return 0;
	case ST_USER:
		if (add_person(&in->users, st->name, st->uid, st->gid) < 0 ||
		    add_person(&in->user_groups, st->name, st->gid, st->gid) < 0)
			return interp_error(in, st, st->col, "out of memory");
		if (st->is_default) {
			in->sh_uid = st->uid;
			in->sh_gid = st->gid;
		}
		echo_line(in, st);
		return 0;
	case ST_GROUP:
		if (add_person(&in->groups, st->name, st->gid, st->gid) < 0)
			return interp_error(in, st, st->col, "out of memory");
		echo_line(in, st);
		return 0;
	case ST_PROCESS:
		return run_process(in, st);
	case ST_SHOW:
		if (!interp_draw(in, in->out, in->color))
			fputs("# (this backend cannot draw the state)\n", in->out);
		return 0;
	default:
		return 0;
	}
}

void interp_init(struct interp *in, const struct script *s, const struct script_options *o)
{
	memset(in, 0, sizeof(*in));
	in->s = s;
	in->out = o != NULL && o->out != NULL ? o->out : stdout;
	in->err = o != NULL && o->err != NULL ? o->err : stderr;
	in->color = o != NULL && o->color;
	in->show = o != NULL ? o->show : SCRIPT_SHOW_NONE;
	in->own_backend = !(o != NULL && o->backend != NULL);
	in->b = in->own_backend ? backend_sim_new() : o->backend;
	in->def_uid = 1000;
	in->def_gid = 1000;
	in->sh_uid = 1000;
	in->sh_gid = 1000;
	in->names.user_name = user_name;
	in->names.group_name = group_name;
	in->names.proc_name = proc_name;
	in->names.ctx = in;
	interp_draw_init(in);
	if (scratch_open(&in->line_text) < 0) {
		if (in->own_backend)
			backend_free(&in->b);
		in->b = NULL; /* reported by the caller as out of memory */
	}
	/* --show=each marks what each step changed: it needs the drawing before */
	if (in->show == SCRIPT_SHOW_EACH)
		in->memo = render_memo_new();
	in->explain = o != NULL && o->explain;
	in->quiet = o != NULL && o->quiet_steps;
	if (in->explain)
		backend_explain(in->b, 1);
	in->sched.quantum = 1;
	if ((o != NULL && o->schedule != NULL) || s->schedule != NULL) {
		char err[256];

		if (sched_parse(&in->sched, o != NULL && o->schedule != NULL ? o->schedule
		                : s->schedule, err, sizeof(err)) < 0) {
			fprintf(in->err, "ipcsim: %s\n", err);
			in->stopped = 1;
		}
	}
	in->on_step = o != NULL ? o->on_step : NULL;
	in->step_ctx = o != NULL ? o->step_ctx : NULL;
	if (in->on_step != NULL && step_note_new(in) < 0)
		in->on_step = NULL; /* out of memory: run unobserved */
	/* Predefined: root (uid 0, gid 0) and user (uid 1000, gid 1000, the
	 * default user); their gids are named like a `user` line's. */
	if (add_person(&in->users, "root", 0, 0) < 0 || add_person(&in->users, "user", 1000, 1000) < 0 ||
	    add_person(&in->user_groups, "root", 0, 0) < 0 ||
	    add_person(&in->user_groups, "user", 1000, 1000) < 0)
	{
		/* Reported by the caller as out of memory. */
		if (in->own_backend)
			backend_free(&in->b);
		in->b = NULL;
	}
}

void interp_free_tables(struct interp *in)
{
	struct var *v, *vt;
	struct proc *p, *pt;
	struct gid_entry *g, *gt;

	memset(in->var_hint, 0, sizeof(in->var_hint));
	memset(in->proc_hint, 0, sizeof(in->proc_hint));
	HASH_ITER(hh, in->vars, v, vt) {
		HASH_DEL(in->vars, v);
		free(v->name);
		value_free(&v->v);
		free(v);
	}
	HASH_CLEAR(hh_pid, in->procs_by_pid);
	HASH_ITER(hh, in->procs, p, pt) {
		HASH_DEL(in->procs, p);
		free(p->name);
		free(p);
	}
	free_people(&in->users);
	free_people(&in->groups);
	free_people(&in->user_groups);
	HASH_ITER(hh, in->group_gids, g, gt) {
		HASH_DEL(in->group_gids, g);
		free(g);
	}
}

void interp_fini(struct interp *in)
{
	interp_free_tables(in);
	section_free(in);
	sched_free(&in->sched);
	bytebuf_free(&in->result);
	bytebuf_free(&in->line);
	scratch_close(&in->line_text);
	bytebuf_free(&in->value_text);
	step_note_free(in);
	render_memo_free(&in->memo);
	if (in->own_backend)
		backend_free(&in->b);
	if (in->own_null != NULL)
		fclose(in->own_null);
}
