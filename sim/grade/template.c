/*
 * template.c - a template's `param` lines drawn from a seed, and `${...}`
 * replaced by their values (grade_template_instantiate).
 *
 *   param T = choice(100, 200, 300)          one of the values
 *   param N = range(2, 9)                    an integer, both ends included
 *   param ORDER = permutation(1, 2, 3, 4, 5) the values in a random order
 *   param D = T + 100 * N                    derived: + - * / % ( ), names, ORDER[0]
 *   ... msgsnd(q, {${T}, "x"}, ${N}, 0)      ${T}  ${ORDER[2]}  ${ORDER}  ${M:o}  ${K:x}
 *
 * The seed string's FNV-1a hash is the SplitMix64 state; each choice,
 * range and permutation draws in the order its line comes (rng.c), and the
 * draws are specified in docs/scenario-language.md, so they never change.
 * A template's lines are otherwise the scenario language: this pass is
 * text in, text out, before the parser sees anything.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/grade.h"

#define MAX_PARAMS 64
#define MAX_ITEMS 64

struct pvalue {
	int is_str;
	long long i;
	char *s;          /* is_str: the characters between the quotes, as written */
};

struct param {
	char name[32];
	int nitems;       /* 0: a single value in items[0]; else a list (permutation) */
	int is_list;
	struct pvalue items[MAX_ITEMS];
};

struct tpl {
	const char *file;
	FILE *err;
	int line;
	const char *text;  /* the current line, NUL-terminated */
	const char *p;     /* the cursor in it */
	uint64_t state;
	struct param params[MAX_PARAMS];
	int nparams;
};

static int tpl_error(struct tpl *t, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int tpl_error(struct tpl *t, const char *at, const char *fmt, ...)
{
	va_list ap;
	int col = (int)(at - t->text) + 1;

	fprintf(t->err, "%s:%d:%d: error: ", t->file, t->line, col);
	va_start(ap, fmt);
	vfprintf(t->err, fmt, ap);
	va_end(ap);
	fprintf(t->err, "\n%s\n%*s^\n", t->text, col - 1, "");
	return -1;
}

static void skip_blanks(struct tpl *t)
{
	while (*t->p == ' ' || *t->p == '\t')
		t->p++;
}

static int read_name(struct tpl *t, char *name, size_t size)
{
	size_t n = 0;

	skip_blanks(t);
	if (!isalpha((unsigned char)*t->p) && *t->p != '_')
		return tpl_error(t, t->p, "expected a parameter name");
	while (isalnum((unsigned char)t->p[n]) || t->p[n] == '_')
		n++;
	if (n >= size)
		return tpl_error(t, t->p, "parameter name too long (at most %zu characters)", size - 1);
	memcpy(name, t->p, n);
	name[n] = '\0';
	t->p += n;
	return 0;
}

static struct param *find_param(struct tpl *t, const char *name)
{
	for (int i = 0; i < t->nparams; i++)
		if (strcmp(t->params[i].name, name) == 0)
			return &t->params[i];
	return NULL;
}

static int expect_char(struct tpl *t, char c, const char *what)
{
	skip_blanks(t);
	if (*t->p != c)
		return tpl_error(t, t->p, "expected '%c' %s", c, what);
	t->p++;
	return 0;
}

/* ---- expressions: integers, strings, names, + - * / % ( ) ---------------- */

static int expr(struct tpl *t, struct pvalue *v);

static int integer(struct tpl *t, long long *out)
{
	char *end;
	int base = 10;

	if (t->p[0] == '0' && (t->p[1] == 'x' || t->p[1] == 'X'))
		base = 16;
	else if (t->p[0] == '0' && isdigit((unsigned char)t->p[1]))
		base = 8;
	*out = strtoll(t->p, &end, base);
	if (end == t->p || isalnum((unsigned char)*end) || *end == '_')
		return tpl_error(t, t->p, "bad integer");
	t->p = end;
	return 0;
}

static int string_value(struct tpl *t, struct pvalue *v)
{
	const char *start = ++t->p;

	while (*t->p != '"') {
		if (*t->p == '\0')
			return tpl_error(t, start - 1, "unterminated string");
		if (*t->p == '\\' && t->p[1] != '\0')
			t->p++;
		t->p++;
	}
	v->is_str = 1;
	v->s = strndup(start, (size_t)(t->p - start));
	t->p++;
	return v->s == NULL ? tpl_error(t, start, "out of memory") : 0;
}

/* NAME or NAME[INDEX]: the value of an earlier parameter. */
static int name_value(struct tpl *t, struct pvalue *v)
{
	char name[32];
	const char *at = t->p;
	struct param *pm;
	long long idx = 0;

	if (read_name(t, name, sizeof(name)) < 0)
		return -1;
	pm = find_param(t, name);
	if (pm == NULL)
		return tpl_error(t, at, "unknown parameter '%s' (a param line must come before its use)",
		                 name);
	if (*t->p == '[') {
		t->p++;
		skip_blanks(t);
		if (integer(t, &idx) < 0 || expect_char(t, ']', "after the index") < 0)
			return -1;
		if (!pm->is_list || idx < 0 || idx >= pm->nitems)
			return tpl_error(t, at, "'%s[%lld]': no such item (%s has %d)", name, idx, name,
			                 pm->is_list ? pm->nitems : 0);
	} else if (pm->is_list) {
		return tpl_error(t, at, "'%s' is a list: take one item, %s[0]", name, name);
	}
	*v = pm->items[idx];
	if (v->is_str && (v->s = strdup(v->s)) == NULL)
		return tpl_error(t, at, "out of memory");
	return 0;
}

static int primary(struct tpl *t, struct pvalue *v)
{
	memset(v, 0, sizeof(*v));
	skip_blanks(t);
	if (*t->p == '(') {
		t->p++;
		if (expr(t, v) < 0)
			return -1;
		return expect_char(t, ')', "to close '('");
	}
	if (*t->p == '-' || *t->p == '+') {
		int neg = *t->p++ == '-';

		if (primary(t, v) < 0)
			return -1;
		if (v->is_str)
			return tpl_error(t, t->p, "a sign before a string");
		v->i = neg ? (long long)(0 - (unsigned long long)v->i) : v->i;
		return 0;
	}
	if (isdigit((unsigned char)*t->p))
		return integer(t, &v->i);
	if (*t->p == '"')
		return string_value(t, v);
	return name_value(t, v);
}

/* Integer operators, C's precedence: level 0 `+ -` over level 1 `* / %`
 * over primaries. */
static int binary(struct tpl *t, struct pvalue *v, int level)
{
	const char *ops = level == 0 ? "+-" : "*/%";

	if ((level == 0 ? binary(t, v, 1) : primary(t, v)) < 0)
		return -1;
	for (;;) {
		struct pvalue r;
		const char *at;
		char op;

		skip_blanks(t);
		op = *t->p;
		if (op == '\0' || strchr(ops, op) == NULL)
			return 0;
		at = t->p++;
		if ((level == 0 ? binary(t, &r, 1) : primary(t, &r)) < 0)
			return -1;
		if (v->is_str || r.is_str) {
			free(r.s);
			return tpl_error(t, at, "'%c' takes integers", op);
		}
		if ((op == '/' || op == '%') && r.i == 0)
			return tpl_error(t, at, "division by zero");
		{
			/* wrapping, never undefined: 64-bit two's complement */
			unsigned long long a = (unsigned long long)v->i, b = (unsigned long long)r.i;

			if (op == '+' || op == '-' || op == '*')
				v->i = (long long)(op == '+' ? a + b : op == '-' ? a - b : a * b);
			else if (r.i == -1)
				v->i = op == '/' ? (long long)(0 - a) : 0;
			else
				v->i = op == '/' ? v->i / r.i : v->i % r.i;
		}
	}
}

static int expr(struct tpl *t, struct pvalue *v)
{
	return binary(t, v, 0);
}

/* ---- param lines ---------------------------------------------------------- */

/* (V, V, ...) into pm->items. */
static int value_list(struct tpl *t, struct param *pm)
{
	if (expect_char(t, '(', "before the values") < 0)
		return -1;
	for (;;) {
		if (pm->nitems == MAX_ITEMS)
			return tpl_error(t, t->p, "more than %d values", MAX_ITEMS);
		if (expr(t, &pm->items[pm->nitems]) < 0)
			return -1;
		pm->nitems++;
		skip_blanks(t);
		if (*t->p == ')') {
			t->p++;
			return 0;
		}
		if (expect_char(t, ',', "between the values") < 0)
			return -1;
	}
}

static int is_word(struct tpl *t, const char *word)
{
	size_t n = strlen(word);
	const char *q = t->p + n;

	if (strncmp(t->p, word, n) != 0)
		return 0;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q != '(')
		return 0;
	t->p += n;
	return 1;
}

static int param_line(struct tpl *t)
{
	struct param *pm;
	const char *at;

	if (t->nparams == MAX_PARAMS)
		return tpl_error(t, t->p, "more than %d parameters", MAX_PARAMS);
	pm = &t->params[t->nparams];
	memset(pm, 0, sizeof(*pm));
	skip_blanks(t);
	at = t->p;
	if (read_name(t, pm->name, sizeof(pm->name)) < 0)
		return -1;
	if (find_param(t, pm->name) != NULL)
		return tpl_error(t, at, "parameter '%s' is already defined", pm->name);
	if (expect_char(t, '=', "after the parameter's name") < 0)
		return -1;
	skip_blanks(t);
	at = t->p;
	if (is_word(t, "choice")) {
		struct pvalue pick;

		if (value_list(t, pm) < 0)
			return -1;
		pick = pm->items[grade_uniform(&t->state, (uint64_t)pm->nitems)];
		for (int i = 0; i < pm->nitems; i++)
			if (pm->items[i].s != pick.s)
				free(pm->items[i].s);
		memset(pm->items, 0, sizeof(pm->items));
		pm->items[0] = pick;
		pm->nitems = 1;
	} else if (is_word(t, "range")) {
		struct param lo_hi = { .nitems = 0 };

		if (value_list(t, &lo_hi) < 0)
			return -1;
		if (lo_hi.nitems != 2 || lo_hi.items[0].is_str || lo_hi.items[1].is_str ||
		    lo_hi.items[0].i > lo_hi.items[1].i ||
		    lo_hi.items[1].i - lo_hi.items[0].i > (1LL << 62)) {
			for (int i = 0; i < lo_hi.nitems; i++)
				free(lo_hi.items[i].s);
			return tpl_error(t, at, "range takes two integers, the lower first: range(1, 6)");
		}
		pm->items[0].i = lo_hi.items[0].i +
			(long long)grade_uniform(&t->state,
			                         (uint64_t)(lo_hi.items[1].i - lo_hi.items[0].i) + 1);
		pm->nitems = 1;
	} else if (is_word(t, "permutation")) {
		if (value_list(t, pm) < 0)
			return -1;
		/* Fisher-Yates, from the last item down */
		for (int i = pm->nitems - 1; i > 0; i--) {
			int j = (int)grade_uniform(&t->state, (uint64_t)i + 1);
			struct pvalue tmp = pm->items[i];

			pm->items[i] = pm->items[j];
			pm->items[j] = tmp;
		}
		pm->is_list = 1;
	} else {
		if (expr(t, &pm->items[0]) < 0)
			return -1;
		pm->nitems = 1;
	}
	t->nparams++;
	skip_blanks(t);
	if (*t->p != '\0' && *t->p != '#')
		return tpl_error(t, t->p, "unexpected text after the parameter's value");
	return 0;
}

/* ---- ${...} ---------------------------------------------------------------- */

static void put_value(FILE *out, const struct pvalue *v, char fmt)
{
	if (v->is_str)
		fputs(v->s, out);
	else if (fmt == 'x')
		fprintf(out, "0x%llx", (unsigned long long)v->i);
	else if (fmt == 'o')
		fprintf(out, "0%llo", (unsigned long long)v->i);
	else
		fprintf(out, "%lld", v->i);
}

/* ${NAME}, ${NAME[I]}, ${NAME:x}, ${NAME:o} at t->p (just after "${"). */
static int substitute(struct tpl *t, FILE *out)
{
	const char *at = t->p - 2;
	char name[32], fmt = 'd';
	struct param *pm;
	long long idx = -1;

	if (read_name(t, name, sizeof(name)) < 0)
		return -1;
	pm = find_param(t, name);
	if (pm == NULL)
		return tpl_error(t, at, "unknown parameter '%s'", name);
	if (*t->p == '[') {
		t->p++;
		if (integer(t, &idx) < 0 || expect_char(t, ']', "after the index") < 0)
			return -1;
		if (!pm->is_list || idx < 0 || idx >= pm->nitems)
			return tpl_error(t, at, "'%s[%lld]': no such item", name, idx);
	}
	if (*t->p == ':' && (t->p[1] == 'x' || t->p[1] == 'o' || t->p[1] == 'd')) {
		fmt = t->p[1];
		t->p += 2;
	}
	if (*t->p != '}')
		return tpl_error(t, t->p, "expected '}' to close '${' (forms: ${N} ${L[0]} ${N:x} ${N:o})");
	t->p++;
	if (idx >= 0 || !pm->is_list) {
		put_value(out, &pm->items[idx >= 0 ? idx : 0], fmt);
		return 0;
	}
	for (int i = 0; i < pm->nitems; i++) {
		if (i > 0)
			fputs(", ", out);
		put_value(out, &pm->items[i], fmt);
	}
	return 0;
}

static int param_keyword(const char *line)
{
	line += strspn(line, " \t");
	return strncmp(line, "param", 5) == 0 && (line[5] == ' ' || line[5] == '\t');
}

char *grade_template_instantiate(const char *file_name, const char *text, size_t len,
                                 const char *seed, size_t *out_len, FILE *err)
{
	struct tpl *t = calloc(1, sizeof(*t));
	char *buf = NULL, *line = NULL;
	size_t blen = 0, pos = 0;
	FILE *out = open_memstream(&buf, &blen);
	int rc = -1;

	if (t == NULL || out == NULL)
		goto out;
	t->file = file_name;
	t->err = err;
	t->state = grade_fnv1a64(seed, strlen(seed));
	while (pos < len) {
		size_t n = 0;
		int newline;

		while (pos + n < len && text[pos + n] != '\n')
			n++;
		free(line);
		line = strndup(text + pos, n);
		if (line == NULL)
			goto out;
		t->line++;
		t->text = line;
		newline = pos + n < len;
		pos += n + newline;
		if (param_keyword(line)) {
			t->p = line + strspn(line, " \t") + 5;
			if (param_line(t) < 0)
				goto out;
			continue;
		}
		for (t->p = line; *t->p != '\0';) {
			if (t->p[0] == '$' && t->p[1] == '{') {
				t->p += 2;
				if (substitute(t, out) < 0)
					goto out;
			} else {
				fputc(*t->p++, out);
			}
		}
		if (newline)
			fputc('\n', out);
	}
	rc = 0;
out:
	free(line);
	if (t != NULL)
		for (int i = 0; i < t->nparams + (t->nparams < MAX_PARAMS); i++)
			for (int k = 0; k < MAX_ITEMS; k++)
				free(t->params[i].items[k].s);
	free(t);
	if (out != NULL)
		fclose(out);
	if (rc < 0) {
		free(buf);
		return NULL;
	}
	*out_len = blen;
	return buf;
}
