/*
 * parse_line.c - the line forms of the language: steps (calls, bindings,
 * field assignments, resumed/exited/killed lines), `$` commands with their
 * `>` output, and the directives limit/file/user/group/process/show.
 *
 * Each parsed statement goes through check_stmt() at once, so a name is
 * bound exactly from the line that binds it onwards.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/kernel.h" /* sim_cap_from_name */
#include "ipcsim/strace.h"
#include "ipcsim/types.h"
#include "ipcsim/shell.h"
#include "script/script_int.h"

int p_start_at(struct parser *p, size_t pos)
{
	lex_init(&p->lx, p->text, strlen(p->text), pos);
	memset(&p->tok, 0, sizeof(p->tok));
	p->tok.kind = TK_PUNCT;
	if (lex_next(&p->lx, &p->next) < 0)
		return p_error(p, p->lx.err_col, "%s", p->lx.err);
	return p_advance(p);
}

static struct stmt *new_stmt(struct parser *p, enum stmt_kind kind, int col)
{
	struct stmt *st = p_calloc(p, sizeof(*st));

	if (st == NULL) {
		p_error(p, col, "out of memory");
		return NULL;
	}
	st->in_arena = p->arena != NULL;
	st->kind = kind;
	st->line = p->line;
	st->col = col;
	return st;
}

static int add_stmt(struct parser *p, struct stmt *st)
{
	struct script *s = p->s;

	if (p->prog != NULL)
		return program_add_step(p, st);
	/* Doubled when full, so a long file is not copied over and over (ASan's
	 * realloc always moves: 40,000 lines took minutes); the room stays when
	 * a streamed run starts its next group at 0. */
	if (s->nstmts == s->stmts_cap) {
		int cap = s->stmts_cap ? 2 * s->stmts_cap : 8;
		struct stmt **grown = realloc(s->stmts, (size_t)cap * sizeof(*grown));

		if (grown == NULL) {
			stmt_free(st);
			return p_error(p, 1, "out of memory");
		}
		s->stmts = grown;
		s->stmts_cap = cap;
	}
	s->stmts[s->nstmts++] = st;
	return 0;
}

/* Checks, then hands st to the script (or frees it on error). */
static int finish_stmt(struct parser *p, struct stmt *st)
{
	if ((p->prog != NULL && program_localize(p, st) < 0) || check_stmt(p, st) < 0) {
		stmt_free(st);
		return -1;
	}
	return add_stmt(p, st);
}

int parse_expect_eol(struct parser *p)
{
	/* C's `;` at the end is harmless. */
	if (tok_is(&p->tok, ";") && p->next.kind == TK_EOF && p_advance(p) < 0)
		return -1;
	if (p->tok.kind != TK_EOF)
		return p_error(p, p->tok.col, "unexpected '%.*s' at the end of the line",
		               (int)p->tok.len, p->text + p->tok.off);
	return 0;
}

/* ---- `$ command` and `> output` ----------------------------------------- */

static int parse_shell(struct parser *p, size_t pos)
{
	const char *cmd = p->text + pos + 1, *bad;
	char why[256];
	size_t n;
	struct stmt *st = new_stmt(p, ST_SHELL, (int)pos + 1);

	if (st == NULL)
		return -1;
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	if (strncmp(cmd, "sudo", 4) == 0 && (cmd[4] == ' ' || cmd[4] == '\t')) {
		st->sudo = 1;
		cmd += 5;
		while (*cmd == ' ' || *cmd == '\t')
			cmd++;
	}
	/* A `#` after a blank starts a comment, as in sh. */
	for (n = 0; cmd[n] != '\0'; n++)
		if (cmd[n] == '#' && (n == 0 || cmd[n - 1] == ' ' || cmd[n - 1] == '\t'))
			break;
	while (n > 0 && (cmd[n - 1] == ' ' || cmd[n - 1] == '\t'))
		n--;
	if (n == 0) {
		stmt_free(st);
		return p_error(p, (int)(cmd - p->text) + 1, "expected a command after '$'");
	}
	st->cmd = p_strndup(p, cmd, n);
	if (st->cmd == NULL) {
		stmt_free(st);
		return p_error(p, 1, "out of memory");
	}
	/* Only what the simulator imitates may run: under `ipcsim check` the
	 * same line runs the real tool on the host. */
	if (shell_validate(st->cmd, why, sizeof(why), &bad) < 0) {
		int col = (int)(cmd - p->text) + 1 + (bad != NULL ? (int)(bad - st->cmd) : 0);

		stmt_free(st);
		return p_error(p, col, "%s", why);
	}
	if (finish_stmt(p, st) < 0)
		return -1;
	p->last_was_shell = 1;
	return 0;
}

static int parse_output(struct parser *p, size_t pos)
{
	const char *rest = p->text + pos + 1;
	struct stmt *st;
	char *line;

	if (!p->last_was_shell)
		return p_error(p, (int)pos + 1, "'>' output line without a preceding '$' command");
	if (*rest != '\0' && *rest != ' ')
		return p_error(p, (int)pos + 2, "expected a blank after '>'");
	if (*rest == ' ')
		rest++;
	st = p->s->stmts[p->s->nstmts - 1];
	line = p_strndup(p, rest, strlen(rest));
	if (line == NULL || p_push(p, &st->out_lines, &st->nout, line) < 0) {
		p_release(p, line);
		return p_error(p, 1, "out of memory");
	}
	if (st->nout == 1)
		st->first_out_line = p->line;
	st->last_out_line = p->line;
	return 0;
}

/* ---- directives ----------------------------------------------------------- */

/* `= INT` (with an optional sign) after a key. */
static int parse_kv_int(struct parser *p, long long *value)
{
	int neg = 0;

	if (p_expect_punct(p, "=", "after the key") < 0)
		return -1;
	if (tok_is(&p->tok, "-") || tok_is(&p->tok, "+")) {
		neg = p->tok.punct[0] == '-';
		if (p_advance(p) < 0)
			return -1;
	}
	if (p->tok.kind != TK_INT)
		return p_error(p, p->tok.col, "expected an integer");
	*value = neg ? -p->tok.ival : p->tok.ival;
	return p_advance(p);
}

static int parse_unsigned_kv(struct parser *p, const char *key, unsigned *out)
{
	long long v;
	int col = p->tok.col;

	if (parse_kv_int(p, &v) < 0)
		return -1;
	if (v < 0 || v > 0xffffffffLL)
		return p_error(p, col, "%s must be between 0 and 4294967295", key);
	*out = (unsigned)v;
	return 0;
}

static int parse_limit(struct parser *p, struct stmt *st)
{
	long long v;

	if (p->tok.kind != TK_IDENT)
		return p_error(p, p->tok.col, "expected a limit name after 'limit'");
	st->name = p_tok_dup(p, &p->tok);
	if (st->name == NULL)
		return p_error(p, p->tok.col, "out of memory");
	if (!limit_name_known(st->name)) {
		struct suggest sg;
		char hint[96];

		suggest_init(&sg, st->name);
		suggest_limits(&sg);
		if (sg.best != NULL)
			return p_error(p, p->tok.col, "unknown limit '%s'%s", st->name,
			               suggest_text(&sg, hint, sizeof(hint)));
		return p_error(p, p->tok.col, "unknown limit '%s' (known: msgmax msgmnb msgmni "
		               "shmmax shmall shmmni semmsl semmns semopm semmni msgpool msgssz)",
		               st->name);
	}
	if (p_advance(p) < 0 || parse_kv_int(p, &v) < 0)
		return -1;
	st->value = p_calloc(p, sizeof(*st->value));
	if (st->value == NULL)
		return p_error(p, 1, "out of memory");
	st->value->in_arena = p->arena != NULL;
	st->value->kind = EX_INT;
	st->value->ival = v;
	return parse_expect_eol(p);
}

static int parse_file(struct parser *p, struct stmt *st, size_t pos)
{
	int have_inode = 0, have_dev = 0;

	/* The path is raw text (./myfile lexes as nothing else), or a string. */
	while (p->text[pos] == ' ' || p->text[pos] == '\t')
		pos++;
	if (p->text[pos] == '"') {
		struct lexer lx;
		struct token t;
		size_t len;

		lex_init(&lx, p->text, strlen(p->text), pos);
		if (lex_next(&lx, &t) < 0)
			return p_error(p, lx.err_col, "%s", lx.err);
		st->name = p_string_value(p, &t, &len);
		pos = t.off + t.len;
	} else if (p->text[pos] == '\0' || p->text[pos] == '#') {
		return p_error(p, (int)pos + 1, "expected a path after 'file'");
	} else {
		size_t end = pos;

		while (p->text[end] != '\0' && !isspace((unsigned char)p->text[end]))
			end++;
		st->name = p_strndup(p, p->text + pos, end - pos);
		pos = end;
	}
	if (st->name == NULL)
		return p_error(p, st->col, "out of memory");
	if (p_start_at(p, pos) < 0)
		return -1;
	while (p->tok.kind == TK_IDENT) {
		long long v;
		int col = p->tok.col;

		if (tok_ident_is(p->text, &p->tok, "inode")) {
			if (p_advance(p) < 0 || parse_kv_int(p, &v) < 0)
				return -1;
			if (v < 0)
				return p_error(p, col, "inode must not be negative");
			st->inode = (unsigned long)v;
			have_inode = 1;
		} else if (tok_ident_is(p->text, &p->tok, "dev")) {
			if (p_advance(p) < 0 || parse_unsigned_kv(p, "dev", &st->major) < 0 ||
			    p_expect_punct(p, ":", "between major and minor (dev=MAJ:MIN)") < 0)
				return -1;
			if (p->tok.kind != TK_INT || p->tok.ival < 0 || p->tok.ival > 0xfffff)
				return p_error(p, p->tok.col, "expected the minor device number");
			st->minor = (unsigned)p->tok.ival;
			if (p_advance(p) < 0)
				return -1;
			have_dev = 1;
		} else {
			return p_error(p, col, "unknown key '%.*s' (file PATH inode=N dev=MAJ:MIN)",
			               (int)p->tok.len, p->text + p->tok.off);
		}
	}
	if (parse_expect_eol(p) < 0)
		return -1;
	if (!have_inode || !have_dev)
		return p_error(p, st->col, "file needs inode=N and dev=MAJ:MIN");
	return 0;
}

static int parse_caps(struct parser *p, struct stmt *st)
{
	if (p_expect_punct(p, "=", "after caps") < 0)
		return -1;
	st->has_caps = 1;
	st->caps = 0;
	for (;;) {
		char *name;
		unsigned bit;

		if (p->tok.kind != TK_IDENT)
			return p_error(p, p->tok.col, "expected a capability name (CAP_IPC_OWNER, ...)"
			                              " or none");
		name = p_tok_text(p, &p->tok);
		if (name == NULL)
			return p_error(p, p->tok.col, "out of memory");
		if (strcmp(name, "none") == 0) {
			bit = 0;
		} else if (strcmp(name, "all") == 0) {
			bit = SIM_CAP_ALL;
		} else if ((bit = sim_cap_from_name(name)) == 0) {
			p_error(p, p->tok.col, "unknown capability '%s'", name);
			free(name);
			return -1;
		}
		free(name);
		st->caps |= bit;
		if (p_advance(p) < 0)
			return -1;
		if (!tok_is(&p->tok, ","))
			return 0;
		if (p_advance(p) < 0)
			return -1;
	}
}

static int parse_who(struct parser *p, struct stmt *st, int allow_user, int allow_caps)
{
	while (p->tok.kind == TK_IDENT) {
		int col = p->tok.col;

		if (tok_ident_is(p->text, &p->tok, "uid")) {
			if (p_advance(p) < 0 || parse_unsigned_kv(p, "uid", &st->uid) < 0)
				return -1;
			st->has_uid = 1;
		} else if (tok_ident_is(p->text, &p->tok, "gid")) {
			if (p_advance(p) < 0 || parse_unsigned_kv(p, "gid", &st->gid) < 0)
				return -1;
			st->has_gid = 1;
		} else if (allow_user && tok_ident_is(p->text, &p->tok, "user")) {
			if (p_advance(p) < 0 || p_expect_punct(p, "=", "after user") < 0)
				return -1;
			if (p->tok.kind != TK_IDENT)
				return p_error(p, p->tok.col, "expected a user name");
			p_release(p, st->bind);
			st->bind = p_tok_dup(p, &p->tok);
			st->bind_col = p->tok.col;
			if (st->bind == NULL || p_advance(p) < 0)
				return -1;
		} else if (allow_caps && tok_ident_is(p->text, &p->tok, "caps")) {
			if (p_advance(p) < 0 || parse_caps(p, st) < 0)
				return -1;
		} else if (!allow_user && !allow_caps && tok_ident_is(p->text, &p->tok, "default") &&
		           st->kind == ST_USER) {
			st->is_default = 1;
			if (p_advance(p) < 0)
				return -1;
		} else {
			return p_error(p, col, "unknown key '%.*s'", (int)p->tok.len, p->text + p->tok.off);
		}
	}
	return parse_expect_eol(p);
}

static int parse_named(struct parser *p, struct stmt *st, const char *what)
{
	if (p->tok.kind != TK_IDENT)
		return p_error(p, p->tok.col, "expected a %s name", what);
	st->name = p_tok_dup(p, &p->tok);
	st->proc_col = p->tok.col;
	if (st->name == NULL)
		return p_error(p, p->tok.col, "out of memory");
	return p_advance(p);
}

static int parse_directive(struct parser *p)
{
	struct token kw = p->tok;
	enum stmt_kind kind;
	struct stmt *st;
	int rc;

	if (tok_ident_is(p->text, &kw, "limit"))
		kind = ST_LIMIT;
	else if (tok_ident_is(p->text, &kw, "file"))
		kind = ST_FILE;
	else if (tok_ident_is(p->text, &kw, "user"))
		kind = ST_USER;
	else if (tok_ident_is(p->text, &kw, "group"))
		kind = ST_GROUP;
	else if (tok_ident_is(p->text, &kw, "process"))
		kind = ST_PROCESS;
	else
		kind = ST_SHOW;
	st = new_stmt(p, kind, kw.col);
	if (st == NULL)
		return -1;
	if (kind == ST_FILE) {
		if (parse_file(p, st, kw.off + kw.len) < 0) {
			stmt_free(st);
			return -1;
		}
		return finish_stmt(p, st);
	}
	if (p_advance(p) < 0) {
		stmt_free(st);
		return -1;
	}
	switch (kind) {
	case ST_LIMIT:
		rc = parse_limit(p, st);
		break;
	case ST_USER:
		rc = parse_named(p, st, "user");
		if (rc == 0)
			rc = parse_who(p, st, 0, 0);
		if (rc == 0 && (!st->has_uid || !st->has_gid))
			rc = p_error(p, kw.col, "user needs uid=N and gid=N");
		break;
	case ST_GROUP:
		rc = parse_named(p, st, "group");
		if (rc == 0)
			rc = parse_who(p, st, 0, 0);
		if (rc == 0 && (!st->has_gid || st->has_uid))
			rc = p_error(p, kw.col, "group takes only gid=N");
		break;
	case ST_PROCESS:
		rc = parse_named(p, st, "process");
		if (rc == 0) {
			st->proc = st->name;
			st->name = NULL;
			rc = parse_who(p, st, 1, 1);
		}
		break;
	default:
		rc = parse_expect_eol(p);
		break;
	}
	if (rc < 0) {
		stmt_free(st);
		return -1;
	}
	return finish_stmt(p, st);
}

/* ---- steps ---------------------------------------------------------------- */

static int add_arg(struct parser *p, struct stmt *st, struct expr *e)
{
	if (p_push(p, &st->args, &st->nargs, e) < 0) {
		expr_free(e);
		return p_error(p, 1, "out of memory");
	}
	return 0;
}

struct expr *parse_comparison(struct parser *p)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "<", ">", NULL };
	struct expr *a = parse_expr(p), *cmp;
	int i;

	if (a == NULL)
		return NULL;
	for (i = 0; ops[i] != NULL && !tok_is(&p->tok, ops[i]); i++)
		;
	if (ops[i] == NULL) {
		p_error(p, p->tok.col, "assert needs a comparison: a == b, !=, <, <=, >, >=");
		expr_free(a);
		return NULL;
	}
	cmp = p_calloc(p, sizeof(*cmp));
	if (cmp == NULL) {
		expr_free(a);
		p_error(p, p->tok.col, "out of memory");
		return NULL;
	}
	cmp->in_arena = p->arena != NULL;
	cmp->kind = EX_CMP;
	cmp->line = p->line;
	cmp->col = a->col;
	snprintf(cmp->op, sizeof(cmp->op), "%s", ops[i]);
	cmp->a = a;
	if (p_advance(p) < 0 || (cmp->b = parse_expr(p)) == NULL) {
		expr_free(cmp);
		return NULL;
	}
	return cmp;
}

/* "unknown call 'msgsend'; did you mean 'msgsnd'?" */
static int unknown_call(struct parser *p, int col, const char *name)
{
	struct suggest sg;
	char hint[96];

	suggest_init(&sg, name);
	suggest_calls(&sg);
	return p_error(p, col, "unknown call '%s'%s", name, suggest_text(&sg, hint, sizeof(hint)));
}

static int parse_call(struct parser *p, struct stmt *st)
{
	char buf[32], *name = buf;

	/* The name on the stack: a call name is short (a longer one is unknown). */
	if (p->tok.len < sizeof(buf)) {
		memcpy(buf, p->text + p->tok.off, p->tok.len);
		buf[p->tok.len] = '\0';
	} else {
		name = p_tok_text(p, &p->tok);
	}
	st->call_col = p->tok.col;
	if (name == NULL)
		return p_error(p, p->tok.col, "out of memory");
	st->call = call_lookup(name);
	if (st->call == NULL)
		unknown_call(p, p->tok.col, name);
	if (name != buf)
		free(name);
	if (st->call == NULL)
		return -1;
	if (p_advance(p) < 0 || p_expect_punct(p, "(", "after the call name") < 0)
		return -1;
	while (!tok_is(&p->tok, ")")) {
		struct expr *e = st->call->flags & CALL_ARG_COMPARISON ? parse_comparison(p)
		                                                       : parse_expr(p);

		if (e == NULL || add_arg(p, st, e) < 0)
			return -1;
		if (tok_is(&p->tok, ",")) {
			int comma = p->tok.col;

			if (p_advance(p) < 0)
				return -1;
			/* C takes no trailing comma in a call (only in an initialiser). */
			if (tok_is(&p->tok, ")"))
				return p_error(p, comma, "expected an argument after ',' (a call's argument "
				               "list takes no trailing comma, as in C)");
		} else if (!tok_is(&p->tok, ")")) {
			return p_expect_punct(p, ")", "to close the argument list");
		}
	}
	if (p_advance(p) < 0)
		return -1;
	st->call_end = p->prev_end;
	if (st->nargs < st->call->min_args || st->nargs > st->call->max_args) {
		if (st->call->min_args == st->call->max_args)
			return p_error(p, st->call_col, "%s takes %d argument%s, not %d", st->call->name,
			               st->call->min_args, st->call->min_args == 1 ? "" : "s", st->nargs);
		return p_error(p, st->call_col, "%s takes %d to %d arguments, not %d", st->call->name,
		               st->call->min_args, st->call->max_args, st->nargs);
	}
	if (parse_expect(p, &st->expect) < 0)
		return -1;
	st->tail = st->expect.kind == XP_NONE ? st->call_end : st->expect.end;
	return 0;
}

static int parse_resumed(struct parser *p, struct stmt *st)
{
	char *name;

	st->kind = ST_RESUMED;
	if (p_advance(p) < 0 || p_expect_punct(p, "...", "in '<... NAME resumed>'") < 0)
		return -1;
	if (p->tok.kind != TK_IDENT)
		return p_error(p, p->tok.col, "expected the call name in '<... NAME resumed>'");
	name = p_tok_text(p, &p->tok);
	st->call_col = p->tok.col;
	st->call = name != NULL ? call_lookup(name) : NULL;
	if (st->call == NULL) {
		unknown_call(p, p->tok.col, name != NULL ? name : "");
		free(name);
		return -1;
	}
	free(name);
	if (p_advance(p) < 0)
		return -1;
	if (!tok_ident_is(p->text, &p->tok, "resumed"))
		return p_error(p, p->tok.col, "expected 'resumed>'");
	if (p_advance(p) < 0 || p_expect_punct(p, ">", "after 'resumed'") < 0)
		return -1;
	st->call_end = p->prev_end;
	if (parse_expect(p, &st->expect) < 0)
		return -1;
	if (st->expect.kind == XP_UNFINISHED || st->expect.kind == XP_SIGNAL)
		return p_error(p, st->expect.col, "a resumed call is followed by '= result'");
	st->tail = st->expect.kind == XP_NONE ? st->call_end : st->expect.end;
	return 0;
}

static int parse_ending(struct parser *p, struct stmt *st)
{
	if (p_advance(p) < 0)
		return -1;
	if (tok_ident_is(p->text, &p->tok, "exited")) {
		st->kind = ST_EXITED;
		if (p_advance(p) < 0)
			return -1;
		if (!tok_ident_is(p->text, &p->tok, "with"))
			return p_error(p, p->tok.col, "expected '+++ exited with N +++'");
		if (p_advance(p) < 0)
			return -1;
		if (p->tok.kind != TK_INT || p->tok.ival < 0 || p->tok.ival > 255)
			return p_error(p, p->tok.col, "expected an exit status from 0 to 255");
		st->status = (int)p->tok.ival;
	} else if (tok_ident_is(p->text, &p->tok, "killed")) {
		char *name;
		int ok;

		st->kind = ST_KILLED;
		if (p_advance(p) < 0)
			return -1;
		if (!tok_ident_is(p->text, &p->tok, "by"))
			return p_error(p, p->tok.col, "expected '+++ killed by SIGNAL +++'");
		if (p_advance(p) < 0)
			return -1;
		name = p_tok_text(p, &p->tok);
		ok = p->tok.kind == TK_IDENT && name != NULL &&
		     strace_signal_from_name(name, &st->sig);
		if (!ok)
			unknown_signal(p, name, "expected a signal name");
		free(name);
		if (!ok)
			return -1;
	} else {
		return p_error(p, p->tok.col, "expected 'exited with N' or 'killed by SIGNAL' "
		                              "after '+++'");
	}
	if (p_advance(p) < 0 || p_expect_punct(p, "+++", "to close the line") < 0)
		return -1;
	st->call_end = p->prev_end;
	st->tail = st->call_end;
	return parse_expect_eol(p);
}

static int parse_setfield(struct parser *p, struct stmt *st)
{
	st->kind = ST_SETFIELD;
	st->target = parse_expr(p);
	if (st->target == NULL)
		return -1;
	if (st->target->kind != EX_FIELD)
		return p_error(p, st->target->col, "expected 'var.field = value'");
	if (p_expect_punct(p, "=", "after the field") < 0)
		return -1;
	st->value = parse_expr(p);
	if (st->value == NULL)
		return -1;
	st->call_end = p->prev_end;
	st->tail = st->call_end;
	return parse_expect_eol(p);
}

/* ---- C pasted in: what to write instead --------------------------------- */

/* The tokens after the current one, on a copy of the lexer: up to n of
 * them into t; returns how many (fewer at the end of the line). */
static int peek(const struct parser *p, struct token *t, int n)
{
	struct lexer lx = p->lx;
	int k = 0;

	if (n > 0 && p->next.kind != TK_EOF)
		t[k++] = p->next;
	while (k < n && k > 0 && lex_next(&lx, &t[k]) == 0 && t[k].kind != TK_EOF)
		k++;
	return k;
}

/* A C declaration at the current token (a type word): refused with the
 * scenario line to write, for process proc. */
static int refuse_declaration(struct parser *p, const char *proc)
{
	struct token t[16];
	int n = peek(p, t, 16), k = 0, name = -1;

	/* int q = ..., key_t key = ..., struct msqid_ds ds;, char *a = ... */
	while (k < n && (t[k].kind == TK_IDENT || tok_is(&t[k], "*"))) {
		if (t[k].kind == TK_IDENT)
			name = k;
		k++;
	}
	if (name >= 0 && k < n && tok_is(&t[k], "=") && k + 2 < n && t[k + 1].kind == TK_IDENT &&
	    tok_is(&t[k + 2], "("))
		return p_error(p, p->tok.col, "no types in a scenario: write '%s: %.*s = %.*s(...)' "
		               "(a name holds what its call returns)", proc, (int)t[name].len,
		               p->text + t[name].off, (int)t[k + 1].len, p->text + t[k + 1].off);
	if (name >= 0 && k < n && tok_is(&t[k], "="))
		return p_error(p, p->tok.col, "no types or assignments in a scenario: a name is "
		               "bound by a call, as '%s: %.*s = getpid()'", proc, (int)t[name].len,
		               p->text + t[name].off);
	if (name >= 0 && k < n && tok_is(&t[k], "("))
		return p_error(p, p->tok.col, "no C functions in a scenario: each line is one call "
		               "a process makes, as '%s: q = msgget(IPC_PRIVATE, 0600)'", proc);
	if (name >= 0)
		return p_error(p, p->tok.col, "no declarations in a scenario: a name is bound by the "
		               "line that fills it (q = msgget(...), msgrcv(q, &%.*s, ...)); leave "
		               "this line out", (int)t[name].len, p->text + t[name].off);
	return p_error(p, p->tok.col, "no types in a scenario: write the call, as "
	               "'%s: q = msgget(IPC_PRIVATE, 0600)'", proc);
}

/* A line that is no step, directive or command: C pasted in without its
 * process (`msgget(...)`, `q = msgget(...)`, `int q = ...`) gets the step
 * to write; anything else the list of line forms. */
static int refuse_line(struct parser *p)
{
	struct token t[2];
	int n = peek(p, t, 2);

	if (p->tok.kind == TK_IDENT && c_type_name(p->text + p->tok.off, p->tok.len))
		return refuse_declaration(p, "P1");
	if (p->tok.kind == TK_IDENT && n >= 1 && tok_is(&t[0], "("))
		return p_error(p, p->tok.col, "a step starts with the process that makes the call: "
		               "write 'P1: %.*s(...)'", (int)p->tok.len, p->text + p->tok.off);
	if (p->tok.kind == TK_IDENT && n >= 2 && tok_is(&t[0], "=") && t[1].kind == TK_IDENT)
		return p_error(p, p->tok.col, "a step starts with the process that makes the call: "
		               "write 'P1: %.*s = %.*s(...)'", (int)p->tok.len, p->text + p->tok.off,
		               (int)t[1].len, p->text + t[1].off);
	return p_error(p, p->tok.col, "expected a step 'P1: call(...)', a '$' command or a "
	                              "directive (limit, file, user, group, process, show)");
}

/* `var = expr` with no call: local arithmetic (`r = r + 50`), its value
 * the result (`= 150` checks it). */
static int parse_assign(struct parser *p, struct stmt *st)
{
	st->kind = ST_ASSIGN;
	st->call_col = p->tok.col;
	st->value = parse_expr(p);
	if (st->value == NULL)
		return -1;
	st->call_end = p->prev_end;
	if (parse_expect(p, &st->expect) < 0)
		return -1;
	if (st->expect.kind == XP_UNFINISHED || st->expect.kind == XP_SIGNAL ||
	    (st->expect.kind == XP_RESULT && (st->expect.err != 0 || st->expect.payload != NULL)))
		return p_error(p, st->expect.col, "an assignment's result is its value, as '= 150'");
	st->tail = st->expect.kind == XP_NONE ? st->call_end : st->expect.end;
	return 0;
}

static int parse_step(struct parser *p)
{
	struct stmt *st = new_stmt(p, ST_CALL, p->tok.col);

	if (st == NULL)
		return -1;
	st->proc = p_tok_dup(p, &p->tok);
	st->proc_col = p->tok.col;
	if (st->proc == NULL || p_advance(p) < 0 || p_advance(p) < 0 ||
	    parse_step_body(p, st) < 0) {
		stmt_free(st);
		return -1;
	}
	return finish_stmt(p, st);
}

int parse_program_step(struct parser *p, const char *proc)
{
	struct stmt *st = new_stmt(p, ST_CALL, p->tok.col);

	if (st == NULL)
		return -1;
	st->proc = strdup(proc);
	st->proc_col = 1;
	if (st->proc == NULL || parse_step_body(p, st) < 0) {
		if (st->proc == NULL)
			p_error(p, 1, "out of memory");
		stmt_free(st);
		return -1;
	}
	return finish_stmt(p, st);
}

int program_finish(struct parser *p, struct stmt *st)
{
	const struct script *s = p->s;

	for (int i = s->nstmts - 1; i >= 0 && s->stmts[i]->kind == ST_PROGRAM; i--)
		if (strcmp(s->stmts[i]->proc, st->proc) == 0) {
			p_error(p, 1, "%s already has a program here (line %d): one program a "
			        "process, run side by side with the programs next to it", st->proc,
			        s->stmts[i]->line);
			stmt_free(st);
			return -1;
		}
	return add_stmt(p, st);
}

int parse_step_body(struct parser *p, struct stmt *st)
{
	int rc;

	if (tok_is(&p->tok, "<")) {
		rc = parse_resumed(p, st);
	} else if (tok_is(&p->tok, "+++")) {
		rc = parse_ending(p, st);
	} else if (p->tok.kind == TK_IDENT && tok_is(&p->next, "=")) {
		st->bind = p_tok_dup(p, &p->tok);
		st->bind_col = p->tok.col;
		if (st->bind == NULL || p_advance(p) < 0 || p_advance(p) < 0)
			return -1;
		if (p->tok.kind == TK_IDENT && tok_is(&p->next, "("))
			rc = parse_call(p, st);
		else
			rc = parse_assign(p, st);
	} else if (p->tok.kind == TK_IDENT && tok_is(&p->next, ".")) {
		rc = parse_setfield(p, st);
	} else if (p->tok.kind == TK_IDENT && tok_is(&p->next, "(")) {
		rc = parse_call(p, st);
	} else if (p->tok.kind == TK_IDENT && c_type_name(p->text + p->tok.off, p->tok.len)) {
		return refuse_declaration(p, st->proc);
	} else {
		return p_error(p, p->tok.col, "expected a call after '%s:'", st->proc);
	}
	return rc;
}

int parse_line(struct parser *p, const char *text)
{
	size_t pos = 0;

	p->text = text;
	p->nodes = 0;
	p->depth = 0;
	while (text[pos] == ' ' || text[pos] == '\t')
		pos++;
	if (p->prog != NULL)
		return parse_program_line(p, text, pos);
	if (text[pos] == '\0' || text[pos] == '#') {
		p->last_was_shell = 0;
		return 0;
	}
	if (text[pos] == '$')
		return parse_shell(p, pos);
	if (text[pos] == '>')
		return parse_output(p, pos);
	p->last_was_shell = 0;
	if (p_start_at(p, pos) < 0)
		return -1;
	if (p->tok.kind == TK_IDENT && tok_is(&p->next, ":"))
		return parse_step(p);
	if (p->tok.kind == TK_IDENT &&
	    (tok_ident_is(text, &p->tok, "limit") || tok_ident_is(text, &p->tok, "file") ||
	     tok_ident_is(text, &p->tok, "user") || tok_ident_is(text, &p->tok, "group") ||
	     tok_ident_is(text, &p->tok, "process") || tok_ident_is(text, &p->tok, "show")))
		return parse_directive(p);
	if (p->tok.kind == TK_IDENT && tok_ident_is(text, &p->tok, "program") &&
	    p->next.kind == TK_IDENT) {
		/* A program block spans lines and outlives a streamed run's groups:
		 * a streamed run stops here and parses the file whole (stream.c). */
		if (p->arena != NULL) {
			p->saw_program = 1;
			return -1;
		}
		return parse_program_start(p);
	}
	return refuse_line(p);
}
