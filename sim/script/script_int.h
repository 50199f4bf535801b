/*
 * script_int.h - the scenario layer's private types: tokens, the AST, the
 * tables of calls and constants, runtime values, and the trace that
 * `ipcsim record` writes back.
 *
 * Every AST node carries the line and column (1-based) where it starts, so
 * every diagnostic can point at it.  The AST owns all its strings; one
 * script_free() releases the whole tree.
 *
 *   struct script
 *     lines[]  the source, kept verbatim (diagnostics, record)
 *     stmts[]  one per non-blank, non-comment line (`>` lines belong to the
 *              `$` statement before them)
 *       ST_CALL  proc: [bind =] call(args) expect
 *                args are struct expr trees; expect is what follows `)`
 */
#ifndef IPCSIM_SCRIPT_INT_H
#define IPCSIM_SCRIPT_INT_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/script.h"

/* ---- lexer (lexer.c) ------------------------------------------------------ */

enum tok_kind { TK_EOF, TK_IDENT, TK_INT, TK_STRING, TK_PUNCT };

struct token {
	enum tok_kind kind;
	int col;          /* 1-based column of the first character */
	size_t off, len;  /* span in the line */
	long long ival;   /* TK_INT */
	char punct[4];    /* TK_PUNCT: "(", "...", "+++", "==", ... */
};

struct lexer {
	const char *line;
	size_t len, pos;
	char err[160];    /* set when lex_next fails */
	int err_col;
};

void lex_init(struct lexer *lx, const char *line, size_t len, size_t start);
/* 0 and *t (TK_EOF at the end or at a comment), or -1 with lx->err. */
int lex_next(struct lexer *lx, struct token *t);
/* Decodes the string token t (escapes resolved) into a malloc'd buffer with
 * a terminating NUL not counted in *len.  NULL when out of memory. */
char *lex_string_value(const char *line, const struct token *t, size_t *len);
/* The same into buf (t->len bytes at least); returns the decoded length. */
size_t lex_string_decode(const char *line, const struct token *t, char *buf);
/* Is t the punctuation punct?  Inline: the parser asks it of every token,
 * and most tests fail on the first character (strcmp only past it). */
static inline int tok_is(const struct token *t, const char *punct)
{
	return t->kind == TK_PUNCT && t->punct[0] == punct[0] && t->punct[1] == punct[1] &&
	       (punct[1] == '\0' || strcmp(t->punct, punct) == 0);
}
/* Is t the identifier word?  Inline: word is a literal, so its length and
 * the comparison fold to a few instructions. */
static inline int tok_ident_is(const char *line, const struct token *t, const char *word)
{
	size_t n = strlen(word);

	return t->kind == TK_IDENT && t->len == n && memcmp(line + t->off, word, n) == 0;
}

/* ---- tables (tables.c) ---------------------------------------------------- */

enum call_family { CF_MSG, CF_SHM, CF_SEM, CF_PROC, CF_MISC };

struct stmt;
struct parser;
struct interp; /* interp_int.h: the performers' side */
struct actual;

/* Performs statement st's call for the process whose pid is given and
 * fills *a: 0, or -1 after a runtime error (reported) or a failing backend. */
typedef int call_perform_fn(struct interp *in, const struct stmt *st, int pid,
                            struct actual *a);
/* The shapes of st's arguments and result, before anything runs: 0, or -1
 * with a diagnostic. */
typedef int call_check_fn(struct parser *p, const struct stmt *st);
/* The argument st fills through &name (msgrcv's message, a STAT's struct),
 * or -1: it binds there instead of being read. */
typedef int call_output_fn(const struct stmt *st);

/* What the parser, printer and interpreter treat specially in a call. */
enum call_flag {
	CALL_ARG_COMPARISON = 1 << 0, /* the argument is a comparison (assert) */
	CALL_ARG1_MESSAGE = 1 << 1,   /* argument 1 is a message, printed {mtype=, mtext=} */
	CALL_ARG1_HANDLER = 1 << 2,   /* argument 1 is handler, SIG_IGN or SIG_DFL */
	CALL_BINDS_PROCESS = 1 << 3,  /* `P3 = fork()`: the bound name is the child */
	CALL_ENDS_PROCESS = 1 << 4,   /* succeeding ends the caller (exit) */
};

/* Which call an entry of the table is: what the checkers ask ("is this
 * msgsnd?") with one comparison instead of a strcmp. */
enum call_id {
	CALL_FTOK, CALL_MSGGET, CALL_MSGSND, CALL_MSGRCV, CALL_MSGCTL,
	CALL_SHMGET, CALL_SHMAT, CALL_SHMDT, CALL_SHMCTL,
	CALL_SEMGET, CALL_SEMOP, CALL_SEMTIMEDOP, CALL_SEMCTL,
	CALL_FORK, CALL_EXIT, CALL_KILL, CALL_SIGNAL, CALL_GETPID, CALL_SLEEP,
	CALL_STORE, CALL_LOAD, CALL_MEMCPY, CALL_MEMREAD, CALL_ASSERT,
};

/* One scenario call: the table in tables.c holds one per call, and a
 * statement keeps the entry its name found, so nothing compares call names
 * after parsing. */
struct call_info {
	enum call_id id;
	const char *name;
	int min_args, max_args;
	enum call_family family;
	unsigned flags;               /* enum call_flag */
	call_perform_fn *perform;     /* interp_call.c, interp_shm.c, interp_sem.c */
	call_check_fn *check;         /* check.c, check_shm_sem.c; NULL: nothing more to check */
	call_output_fn *output_arg;   /* NULL: fills no argument */
	const char *args;             /* each argument's kind (check_types.c): 'i' an
	                                 integer, 's' a string, '*' its checker's */
};

/* The performers, checkers and output arguments the table names. */
call_perform_fn perform_ftok, perform_msgget, perform_msgsnd, perform_msgrcv, perform_msgctl,
	perform_fork, perform_exit, perform_kill, perform_signal, perform_getpid, perform_sleep,
	perform_assert;
call_perform_fn perform_shmget, perform_shmat, perform_shmdt, perform_shmctl, perform_store,
	perform_load, perform_memcpy, perform_memread;
call_perform_fn perform_semget, perform_semop, perform_semtimedop, perform_semctl;
call_check_fn check_ftok, check_msgsnd, check_msgrcv, check_msgctl, check_fork, check_signal,
	check_assert;
call_check_fn check_no_payload, check_shmctl, check_semop, check_semtimedop, check_semctl,
	check_memcpy, check_memread;
call_output_fn output_arg_msgrcv, output_arg_msgctl, output_arg_shmctl, output_arg_semctl;

const struct call_info *call_lookup(const char *name);
/* The argument st's call fills through &name, or -1 (its output_arg). */
int call_output_arg(const struct stmt *st);
/* 1 and *value for a constant name (IPC_CREAT, SIGKILL, NULL...). */
int const_lookup(const char *name, long long *value);
/* A limit of the kernel's (sim_limit_names). */
int limit_name_known(const char *name);
/* Looks like a C constant (all caps with an underscore or a known prefix). */
int looks_like_constant(const char *name);
/* The n bytes at name are a C type word (int, key_t, struct, const...):
 * C pasted into a scenario, which has no types. */
int c_type_name(const char *name, size_t n);

/* ---- did you mean (suggest.c) --------------------------------------------- */

/* The candidate nearest to word, within an allowance that grows with its
 * length (case ignored).  Offer every known name, then ask for the text. */
struct suggest {
	const char *word;
	const char *best; /* NULL: none near enough */
	int dist;         /* best's: 2 * distance, + 1 for another length */
	int limit;        /* the largest distance suggested */
};
void suggest_init(struct suggest *sg, const char *word);
void suggest_offer(struct suggest *sg, const char *candidate);
/* "; did you mean 'NAME'?" in buf, or "" when nothing was near. */
const char *suggest_text(const struct suggest *sg, char *buf, size_t size);
/* Damerau-Levenshtein (optimal string alignment), case-insensitive. */
int suggest_distance(const char *a, const char *b);
/* Offers every call name, constant (signal names included), limit, errno
 * name or signal name of the tables (tables.c). */
void suggest_calls(struct suggest *sg);
void suggest_constants(struct suggest *sg);
void suggest_limits(struct suggest *sg);
void suggest_errnos(struct suggest *sg);
void suggest_signals(struct suggest *sg);

/* ---- AST ------------------------------------------------------------------ */

enum expr_kind {
	EX_INT,     /* ival; text = source spelling */
	EX_STR,     /* text/len decoded bytes */
	EX_NAME,    /* text: variable or process */
	EX_CONST,   /* text, ival */
	EX_KEYWORD, /* text: handler SIG_IGN SIG_DFL */
	EX_NULL,
	EX_DISCARD, /* _ */
	EX_ADDR,    /* &text */
	EX_FIELD,   /* a.text */
	EX_BINOP,   /* a op b */
	EX_NEG,     /* -a */
	EX_STRUCT,  /* {items}; items may carry fname (dotted allowed) */
	EX_ARRAY,   /* [items] */
	EX_CMP,     /* a op b in assert */
};

/* The small fields first, packed into 24 bytes: a node is 80 bytes, which
 * the compiler zeroes with five stores (at 96 it used a slower string
 * instruction), and a line makes eight or so of them. */
struct expr {
	enum expr_kind kind;
	int line, col;
	int nitems;
	int fname_col;
	char op[3];
	unsigned char in_arena; /* allocated from a parser's arena with its strings
	                           and arrays: expr_free() leaves it (arena.c) */
	long long ival;
	char *text;
	size_t len;
	struct expr *a, *b;
	struct expr **items;
	char *fname; /* designated field name when this is a struct item */
};

enum expect_kind {
	XP_NONE,       /* no result written */
	XP_HOLE,       /* = ? */
	XP_RESULT,     /* = ret [ERRNO [(text)]] [payload] */
	XP_UNFINISHED, /* <unfinished ...> */
	XP_SIGNAL,     /* --- SIGSEGV --- */
};

struct expect {
	enum expect_kind kind;
	int line, col;
	struct expr *ret;     /* XP_RESULT */
	int err;              /* errno expected, 0 for none */
	struct expr *payload; /* message, struct, array or NULL */
	int sig;              /* XP_SIGNAL */
	size_t start, end;    /* span in the line (record replaces it) */
};

enum stmt_kind {
	ST_CALL, ST_SETFIELD, ST_RESUMED, ST_EXITED, ST_KILLED,
	ST_SHELL, ST_LIMIT, ST_FILE, ST_USER, ST_GROUP, ST_PROCESS, ST_SHOW,
	ST_ASSIGN,  /* proc: bind = value [expect]: local arithmetic, no call */
	ST_PROGRAM, /* program PROC { ... }: prog */
};

/* One instruction of a program (program PROC { ... }): the lines of the
 * block compiled to a flat list, so that a process's place in its program
 * is an index and a few loop counters.  Only PI_STEP is a step (a
 * scheduling point); the others decide which line comes next and touch no
 * shared state. */
enum pin_kind {
	PI_STEP,   /* st: a call, a field assignment or local arithmetic */
	PI_REPEAT, /* repeat e { : counter[slot] = e; none left: go to target */
	PI_LOOP,   /* the repeat's `}`: --counter[slot] > 0: go to target */
	PI_IF,     /* if (e) { : false: go to target (the else branch or after) */
	PI_JUMP,   /* `} else {` reached from the then branch: go to target */
};

struct pinstr {
	enum pin_kind kind;
	struct stmt *st;  /* PI_STEP */
	struct expr *e;   /* PI_REPEAT count, PI_IF condition */
	int target, slot;
	int line;
};

struct program {
	struct pinstr *code;
	int ncode;
	int nslots;      /* repeat counters */
	char **locals;   /* names the program binds (as written) */
	int nlocals;
	int end_line;    /* the closing `}` */
};

struct stmt {
	enum stmt_kind kind;
	int line, col;
	char *proc;                  /* steps, resumed, exited, killed, process */
	int proc_col;
	char *bind;                  /* ST_CALL: `var =`; ST_PROCESS user= */
	int bind_col;
	const struct call_info *call; /* ST_CALL; RESUMED: the call resumed */
	int call_col;
	struct expr **args;
	int nargs;
	struct expr *target, *value; /* ST_SETFIELD: target (EX_FIELD) = value; ST_LIMIT value */
	struct expect expect;
	size_t call_end;             /* offset just after `)` / `resumed>` */
	size_t tail;                 /* offset of trailing blanks + comment */
	int status, sig;             /* ST_EXITED, ST_KILLED */
	/* ST_SHELL */
	char *cmd;
	int sudo;
	char **out_lines;
	int nout;
	int first_out_line, last_out_line; /* source lines of the `>` block */
	/* ST_LIMIT: name; ST_FILE: path; ST_USER/ST_GROUP: name */
	char *name;
	unsigned long inode;
	unsigned major, minor;
	unsigned uid, gid, caps;
	int has_uid, has_gid, has_caps, is_default;
	struct program *prog;        /* ST_PROGRAM */
	int in_arena; /* as struct expr's */
	int gc_mark;  /* stream.c: a kept statement some process still sleeps in */
};

struct script {
	char *file_name;
	char **lines;     /* lines[i] is line i+1, without its newline */
	int nlines;
	/* A streamed run (stream.c) holds only the lines of the statements it
	 * is running: lines[i] is then line line_nos[i].  NULL: a whole script. */
	int *line_nos;
	/* A streamed run's statements that outlive their window (a blocked
	 * call, until it resumes): script_line() finds their lines here. */
	struct stmt **kept;
	char **kept_lines;
	int nkept;
	struct stmt **stmts;
	int nstmts;
	int stmts_cap;    /* stmts' room: kept when nstmts drops (a streamed
	                     run's next group, a session's undo) */
	struct script_limits limits; /* script_set_limits; zeros: none */
	char *schedule;              /* script_set_schedule; NULL: rr:1 */
};

/* Nothing inside e (a literal, a name): a walk of the tree stops at it
 * without a call for each empty child. */
static inline int expr_is_leaf(const struct expr *e)
{
	return e->a == NULL && e->b == NULL && e->nitems == 0;
}

void expr_free(struct expr *e);
void stmt_free(struct stmt *s);
/* A malloc'd deep copy of st (an arena statement that must outlive its
 * group: a blocked call); NULL out of memory. */
struct stmt *stmt_clone(const struct stmt *st);

/* The text of source line `line` (1-based), "" when s does not hold it. */
const char *script_line(const struct script *s, int line);

/* Diagnostic FILE:LINE:COL: error: MSG, the line, a caret. */
void script_diag(FILE *err, const struct script *s, int line, int col, const char *kind,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* parse_expr.c: value and result grammar over a token stream. */
struct parser;
struct expr *parse_expr(struct parser *p);
int parse_expect(struct parser *p, struct expect *x);
/* "expected a signal name" (what) at the current token, name, with the
 * nearest signal name suggested; -1. */
struct parser;
int unknown_signal(struct parser *p, const char *name, const char *what);

/* print.c: the AST back as scenario text (valid scenario syntax). */
struct bytebuf;
void print_expr(struct bytebuf *out, const struct expr *e, int as_message);
void print_call(struct bytebuf *out, const struct stmt *st);
/* The same written to a stream (lines printed once: errors, notes). */
void print_expr_to(FILE *out, const struct expr *e, int as_message);
void print_call_to(FILE *out, const struct stmt *st);

/* ---- reader.c: a stream's lines, one at a time ---------------------------- */

struct reader {
	FILE *f;
	char *buf;            /* bytes read, [pos, len) not yet returned */
	size_t cap, len, pos;
	int eof, read_error;  /* read_error: the errno of a failed read */
	int line;             /* lines returned so far */
	int nul_line, nul_col; /* the first NUL byte, 1-based; 0: none yet */
	char *last;           /* the line returned last */
};
void reader_init(struct reader *rd, FILE *f);
void reader_fini(struct reader *rd);
/* The next line, without its end, NUL-terminated in the reader's buffer
 * (valid until the next call): 1 with *text and *n; 0 at the end; -1 with
 * errno (ENOMEM, or a read error, also in read_error). */
int reader_next(struct reader *rd, char **text, size_t *n);

/* ---- arena.c: one group of streamed lines' nodes, freed at once ---------- */

struct arena_chunk;
struct arena {
	struct arena_chunk *head, *cur;
	size_t bytes; /* handed out since the last reset */
	/* the current chunk's free bytes: a parse takes its ~20 allocations
	 * from here inline (arena_alloc), the chunk list is arena.c's */
	char *next, *end;
};
struct arena *arena_new(void);
/* arena_take when the current chunk is full (arena.c). */
void *arena_alloc_slow(struct arena *a, size_t n);
/* n bytes, aligned, not zeroed: for what is written whole straight away
 * (a string copy, a grown array); NULL when out of memory. */
static inline void *arena_take(struct arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);

	n = (n + align - 1) / align * align;
	if ((size_t)(a->end - a->next) >= n) {
		void *p = a->next;

		a->next += n;
		a->bytes += n;
		return p;
	}
	return arena_alloc_slow(a, n);
}
/* n zeroed bytes, aligned; NULL when out of memory.  Inline, so that a
 * node's constant size zeroes it with a few stores, not a memset call. */
static inline void *arena_alloc(struct arena *a, size_t n)
{
	void *p = arena_take(a, n);

	return p != NULL ? memset(p, 0, n) : NULL;
}
/* Forgets every allocation; the chunks are kept for the next ones. */
void arena_reset(struct arena *a);
/* Frees every chunk but the first (after a reset: nothing is handed out). */
void arena_trim(struct arena *a);
void arena_free(struct arena **a);

/* ---- the parser's state, shared by parse_line.c, parse_expr.c, check.c --- */

enum name_kind { NK_VAR = 1, NK_PROC = 2 };

/* Blocks nested in a program (repeat, if, else). */
#define PROG_MAX_DEPTH 16
/* Instructions of one program: a bound on what a hostile file can build. */
#define PROG_MAX_CODE 100000

struct name_entry; /* uthash table of bound names (check.c) */

struct parser {
	struct script *s;
	FILE *err;
	int line;          /* 1-based */
	const char *text;  /* the line */
	struct lexer lx;
	struct token tok;  /* current */
	struct token next; /* lookahead */
	size_t prev_end;   /* offset just after the last token consumed */
	int failed;        /* a diagnostic was written */
	struct name_entry *names;
	struct name_entry *users;
	struct name_entry *folded; /* names by kind and lower case: the first of each */
	int last_was_shell;     /* a `$` or `>` line came last (for `>`) */
	int have_step;          /* some statement precedes (for resumed lines) */
	int nodes, depth;       /* this line's expression size and nesting (bounded) */
	/* Inside `program PROC {`: the statement being filled, and the blocks
	 * open in it (index of each opening instruction; PI_JUMP: an else). */
	struct stmt *prog;
	int open[PROG_MAX_DEPTH];
	int nopen;
	/* NULL: the AST is malloc'd (script_free frees it); else every node,
	 * string and array of it comes from here (a streamed run, stream.c). */
	struct arena *arena;
	/* The lines were checked already (a streamed run's second pass): they
	 * are checked again (the file may have changed since), but their
	 * warnings are not given twice. */
	int rechecking;
	/* A streamed run met a `program` line: nothing parsed, no diagnostic;
	 * the file is parsed whole instead (stream.c). */
	int saw_program;
};

/* Bounds on one line's expressions: deeper or bigger is an error, so that
 * the recursive parts of the parser, evaluator and printer stay shallow. */
#define PARSE_MAX_DEPTH 32
#define PARSE_MAX_NODES 4096

/* The lexer failed on the token after p->tok: its diagnostic; -1. */
int p_lex_error(struct parser *p);
/* The next token into p->tok (one of lookahead in p->next): 0, or -1
 * after a diagnostic.  Inline: every token of every line passes here. */
static inline int p_advance(struct parser *p)
{
	p->prev_end = p->tok.off + p->tok.len;
	p->tok = p->next;
	if (p->tok.kind == TK_EOF) /* stay at the end */
		return 0;
	return lex_next(&p->lx, &p->next) < 0 ? p_lex_error(p) : 0;
}
/* Allocation for the AST (the arena in arena mode, else the heap): zeroed
 * memory, a copy of n bytes (NUL added), a token's text, a string token's
 * decoded value; NULL out of memory.  p_release frees what they gave
 * outside arena mode.  p_push appends to an array grown by doubling.
 * Inline, but for the rare paths: a line makes a dozen of them. */
static inline void *p_calloc(struct parser *p, size_t size)
{
	return p->arena != NULL ? arena_alloc(p->arena, size) : calloc(1, size);
}
static inline char *p_strndup(struct parser *p, const char *text, size_t n)
{
	char *copy;

	if (p->arena == NULL)
		return strndup(text, n);
	copy = arena_take(p->arena, n + 1);
	if (copy != NULL) {
		memcpy(copy, text, n);
		copy[n] = '\0';
	}
	return copy;
}
static inline char *p_tok_dup(struct parser *p, const struct token *t)
{
	return p_strndup(p, p->text + t->off, t->len);
}
char *p_string_value(struct parser *p, const struct token *t, size_t *len);
void p_release(struct parser *p, void *ptr);
/* p_push when the array is full: grown (doubled), then item appended. */
int p_push_grow(struct parser *p, void *array_ptr, int *n, void *item);
static inline int p_push(struct parser *p, void *array_ptr, int *n, void *item)
{
	/* Room for 4 at first (a call's arguments, a message's two items fit),
	 * then doubled: full at 0, 4, 8, 16, ... */
	if (*n == 0 || (*n >= 4 && (*n & (*n - 1)) == 0))
		return p_push_grow(p, array_ptr, n, item);
	(*(void ***)array_ptr)[(*n)++] = item;
	return 0;
}
int p_error(struct parser *p, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int p_expect_punct(struct parser *p, const char *punct, const char *what);
char *p_tok_text(const struct parser *p, const struct token *t);

/* What a value is, as far as the checker can tell before anything runs
 * (check_types.c): from a literal's form, or from the line that bound a
 * variable (shmat's result is an address, an integer; memread's a string;
 * msgrcv's &m a message).  VS_ANY: cannot tell, so nothing is refused. */
enum val_shape { VS_ANY, VS_INT, VS_STR, VS_MSG, VS_STRUCT, VS_LIST, VS_NONE };

/* check.c: what name holds (VS_INT for a process, VS_ANY if unknown). */
enum val_shape name_shape(struct parser *p, const char *name);
/* check_types.c: the kinds of st's arguments, its result and the values
 * inside its literals; 0, or -1 after a diagnostic. */
int check_types_call(struct parser *p, const struct stmt *st);
/* A field assignment's target holds a struct or message, and its value fits. */
int check_types_setfield(struct parser *p, const struct stmt *st);
/* What `var = call()` and the call's &name bind. */
enum val_shape call_result_shape(const struct stmt *st);
enum val_shape call_output_shape(const struct stmt *st);

/* check.c: names and call shapes, run as each line is parsed. */
int check_stmt(struct parser *p, struct stmt *st);
void check_free(struct parser *p);
/* The names bound so far, remembered and put back (a session's :undo).
 * take: NULL when out of memory; restore: 0 or -1 out of memory. */
struct check_snap;
struct check_snap *check_snap_take(const struct parser *p);
int check_snap_restore(struct parser *p, const struct check_snap *s);
void check_snap_free(struct check_snap **s);
int check_user_known(struct parser *p, const char *name);
/* Every designated field of struct literal e (nested, dotted) is one of
 * fields (an IPC structure's list of ipcsim/strace.h, or names only). */
struct strace_field;
int check_fields(struct parser *p, const struct expr *e, const char *prefix,
                 const struct strace_field *fields, const char *what);
/* "; did you mean '&m'?" when e is a name where a buffer's address goes,
 * else "". */
const char *addr_hint(const struct expr *e, char *buf, size_t size);
/* A field's name with glibc's aliases resolved: __key, __seq, __msg_cbytes. */
const char *field_canonical(const char *name);

/* parse_line.c */
int parse_line(struct parser *p, const char *text);
/* parse_line.c: a step's body after `PROC:` (st->proc set): 0 or -1. */
int parse_step_body(struct parser *p, struct stmt *st);
int parse_expect_eol(struct parser *p);
struct expr *parse_comparison(struct parser *p);
/* parse_prog.c: `program PROC {` and every line up to its closing `}`. */
int parse_program_start(struct parser *p);
int parse_program_line(struct parser *p, const char *text, size_t pos);
void program_free(struct program *pr);
/* parse_prog.c, for parse_line.c: a step into the open program; st's
 * locals renamed before it is checked. */
int program_add_step(struct parser *p, struct stmt *st);
int program_localize(struct parser *p, struct stmt *st);
/* parse_line.c, for parse_prog.c */
int p_start_at(struct parser *p, size_t pos);
int parse_program_step(struct parser *p, const char *proc);
/* The closed program st joins the script (after the checks). */
int program_finish(struct parser *p, struct stmt *st);
/* check.c: a program's process name; the names expression e uses are bound. */
int check_program_proc(struct parser *p, const struct stmt *st);
int check_expr_uses(struct parser *p, const struct expr *e);
/* A program's local `name` as the interpreter keeps it: `name_PROC`. */
char *program_local_name(const char *name, const char *proc);

#endif
