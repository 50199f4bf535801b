/*
 * show_lines.c - the drawing as a list of keyed lines, and what is done with
 * it before it is printed: marks of change, the changes-only view, the cut
 * to a number of rows.
 *
 * Marks compare the drawing with an earlier one (a render_memo: its lines,
 * kept) by key, the way the trace's "changes" compare snapshots by id: an
 * item whose key is new is `+`, one whose text differs is `~`, and one whose
 * key is gone is drawn once more, from the memo, as `-`, right after the
 * line that preceded it there (its section's title is drawn again when the
 * whole section went).  Banners, column titles and summaries are never
 * marked: they change whenever anything does.  The mark takes the first of
 * the two columns every line starts with, so the width never changes and a
 * mark survives --no-color and a black-and-white printout; colour only
 * repeats it (green, yellow, red).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "render/show_int.h"

struct memo_line {
	struct show_line l;
	size_t pos;         /* its place in the memo */
	UT_hash_handle hh;  /* by key */
};

struct render_memo {
	struct memo_line *lines; /* array, in drawing order */
	size_t n;
	struct memo_line *by_key;
};

/* ---- building ------------------------------------------------------------- */

static void add_line(struct show *s, enum show_role role, int prio, const char *key,
                     const char *group, const char *text)
{
	struct show_doc *d = s->doc;
	struct show_line *l;

	if (d->oom)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct show_line *v = realloc(d->v, cap * sizeof(*v));

		if (v == NULL) {
			d->oom = 1;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	l = &d->v[d->n];
	memset(l, 0, sizeof(*l));
	l->text = strdup(text);
	if (l->text == NULL) {
		d->oom = 1;
		return;
	}
	show_copy(l->key, sizeof(l->key), key != NULL ? key : "");
	show_copy(l->group, sizeof(l->group), group != NULL ? group : "");
	l->sect = (unsigned char)s->sect;
	l->role = (unsigned char)role;
	l->prio = (unsigned char)prio;
	l->mark = ' ';
	d->n++;
}

void show_add(struct show *s, enum show_role role, int prio, const char *key, const char *group,
              const char *fmt, ...)
{
	char text[SHOW_WIDTH * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	show_add_text(s, role, prio, key, group, text);
}

void show_add_text(struct show *s, enum show_role role, int prio, const char *key,
                   const char *group, const char *text)
{
	char cut[SHOW_WIDTH - 2];

	if (role != ROLE_HIDDEN && strlen(text) > SHOW_WIDTH - 3) {
		show_copy(cut, sizeof(cut), text); /* two columns of gutter, no wrap */
		text = cut;
	}
	add_line(s, role, prio, key, group, text);
}

static void banner(struct show *s, enum show_role role, const char *key, const char *group,
                   char fill, const char *fmt, va_list ap)
{
	char title[SHOW_WIDTH], text[SHOW_WIDTH + 8];
	struct show_text t;
	int n;

	vsnprintf(title, sizeof(title) - 8, fmt, ap);
	show_text_init(&t, text, sizeof(text)); /* "%c%c %s " */
	show_text_char(&t, fill);
	show_text_char(&t, fill);
	show_text_char(&t, ' ');
	show_text_str(&t, title);
	show_text_char(&t, ' ');
	n = (int)t.len;
	while (n < SHOW_WIDTH - 1)
		text[n++] = fill;
	text[n] = '\0';
	add_line(s, role, role == ROLE_BANNER ? PRIO_BANNER : PRIO_KEY, key, group, text);
}

void show_banner(struct show *s, const char *fmt, ...)
{
	char key[8];
	struct show_text k;
	va_list ap;

	show_text_init(&k, key, sizeof(key));
	show_text_char(&k, '=');
	show_text_int(&k, s->sect);
	va_start(ap, fmt);
	banner(s, ROLE_BANNER, key, NULL, '=', fmt, ap);
	va_end(ap);
}

void show_sub(struct show *s, const char *group, const char *fmt, ...)
{
	char key[SHOW_KEY + 2];
	struct show_text k;
	va_list ap;

	show_text_init(&k, key, sizeof(key));
	show_text_char(&k, '-');
	show_text_str(&k, group);
	va_start(ap, fmt);
	banner(s, ROLE_SUB, key, group, '-', fmt, ap);
	va_end(ap);
}

void show_doc_free(struct show_doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* ---- the memo -------------------------------------------------------------- */

struct render_memo *render_memo_new(void)
{
	return calloc(1, sizeof(struct render_memo));
}

static void memo_clear(struct render_memo *m)
{
	HASH_CLEAR(hh, m->by_key);
	for (size_t i = 0; i < m->n; i++)
		free(m->lines[i].l.text);
	free(m->lines);
	m->lines = NULL;
	m->n = 0;
}

void render_memo_free(struct render_memo **mp)
{
	if (mp == NULL || *mp == NULL)
		return;
	memo_clear(*mp);
	free(*mp);
	*mp = NULL;
}

int show_memo_set(struct render_memo *m, const struct show_doc *doc)
{
	memo_clear(m);
	if (doc->oom || doc->n == 0)
		return doc->oom ? -1 : 0;
	m->lines = calloc(doc->n, sizeof(*m->lines));
	if (m->lines == NULL)
		return -1;
	for (size_t i = 0; i < doc->n; i++) {
		struct memo_line *ml = &m->lines[m->n], *dup = NULL;

		ml->l = doc->v[i];
		ml->l.text = strdup(doc->v[i].text);
		if (ml->l.text == NULL) {
			memo_clear(m);
			return -1;
		}
		ml->pos = m->n++;
		if (ml->l.key[0] == '\0')
			continue;
		HASH_FIND_STR(m->by_key, ml->l.key, dup);
		if (dup == NULL)
			HASH_ADD_STR(m->by_key, l.key, ml);
	}
	return 0;
}

static const struct memo_line *memo_find(const struct render_memo *m, const char *key)
{
	struct memo_line *ml = NULL;

	if (m != NULL && key[0] != '\0')
		HASH_FIND_STR(m->by_key, key, ml);
	return ml;
}

void show_memo_each(const struct render_memo *m, int role, const char *group,
                    void (*cb)(void *ctx, const char *key, const char *text), void *ctx)
{
	for (size_t i = 0; m != NULL && i < m->n; i++)
		if (m->lines[i].l.role == role && strcmp(m->lines[i].l.group, group) == 0)
			cb(ctx, m->lines[i].l.key, m->lines[i].l.text);
}

/* ---- marks ------------------------------------------------------------------ */

static int doc_find(const struct show_doc *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* Inserts a copy of l, marked, at index at.  -1: out of memory. */
static int doc_insert(struct show_doc *d, size_t at, const struct show_line *l, char mark)
{
	struct show_line copy = *l;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct show_line *v = realloc(d->v, cap * sizeof(*v));

		if (v == NULL) {
			d->oom = 1;
			return -1;
		}
		d->v = v;
		d->cap = cap;
	}
	copy.text = strdup(l->text);
	if (copy.text == NULL) {
		d->oom = 1;
		return -1;
	}
	copy.mark = mark;
	memmove(&d->v[at + 1], &d->v[at], (d->n - at) * sizeof(*d->v));
	d->v[at] = copy;
	d->n++;
	return 0;
}

/* Where a section's lines begin in d (or where they would). */
static size_t sect_start(const struct show_doc *d, int sect)
{
	size_t i = 0;

	while (i < d->n && d->v[i].sect < sect)
		i++;
	return i;
}

/* Draws the removed line ml of m back into d (with the lines that continue
 * it), after what preceded it there. */
static void put_back(struct show_doc *d, const struct render_memo *m, const struct memo_line *ml)
{
	size_t at = 0;
	int found = -1;
	char key[8];

	/* the section's title first, when the whole section went */
	snprintf(key, sizeof(key), "=%d", ml->l.sect);
	if (doc_find(d, key) < 0) {
		size_t ins = sect_start(d, ml->l.sect);

		for (size_t j = 0; j < m->n; j++) {
			const struct show_line *l = &m->lines[j].l;

			if (l->sect == ml->l.sect && (l->role == ROLE_BANNER || l->role == ROLE_HEAD) &&
			    doc_insert(d, ins++, l, ' ') < 0)
				return;
		}
	}
	for (size_t j = ml->pos; j-- > 0 && found < 0;) {
		const struct show_line *prev = &m->lines[j].l;

		if (prev->sect != ml->l.sect)
			break;
		if (prev->role != ROLE_HIDDEN && prev->key[0] != '\0')
			found = doc_find(d, prev->key);
	}
	if (found >= 0) {
		at = (size_t)found + 1;
		/* after what continues that line, and the lines put back there */
		while (at < d->n && (d->v[at].cont || d->v[at].mark == '-'))
			at++;
	} else {
		at = sect_start(d, ml->l.sect);
		while (at < d->n && d->v[at].sect == ml->l.sect &&
		       (d->v[at].role == ROLE_BANNER || d->v[at].role == ROLE_HEAD))
			at++;
	}
	for (size_t j = ml->pos; j < m->n && (j == ml->pos || m->lines[j].l.cont); j++)
		if (doc_insert(d, at++, &m->lines[j].l, '-') < 0)
			return;
}

/* Whether the line at d[i] and the lines continuing it read as the memo's
 * line at pos and its continuations. */
static int same_text(const struct show_doc *d, size_t i, const struct render_memo *m, size_t pos)
{
	do {
		if (strcmp(d->v[i].text, m->lines[pos].l.text) != 0)
			return 0;
		i++;
		pos++;
	} while (i < d->n && pos < m->n && d->v[i].cont && m->lines[pos].l.cont);
	return !(i < d->n && d->v[i].cont) && !(pos < m->n && m->lines[pos].l.cont);
}

static void mark(struct show_doc *d, const struct render_memo *m)
{
	for (size_t i = 0; i < d->n; i++) {
		struct show_line *l = &d->v[i];
		const struct memo_line *old;

		if (l->role != ROLE_ITEM || l->cont)
			continue;
		old = memo_find(m, l->key);
		if (old == NULL)
			l->mark = '+';
		else if (!same_text(d, i, m, old->pos))
			l->mark = '~';
		for (size_t j = i + 1; j < d->n && d->v[j].cont; j++)
			d->v[j].mark = l->mark;
	}
	for (size_t j = 0; j < m->n && !d->oom; j++) {
		const struct memo_line *ml = &m->lines[j];

		if (ml->l.role == ROLE_ITEM && !ml->l.cont && doc_find(d, ml->l.key) < 0)
			put_back(d, m, ml);
	}
}

/* ---- what is printed -------------------------------------------------------- */

/* RENDER_CHANGES: the marked lines, with the titles of their sections and
 * blocks, and the line that names the object they belong to (a process's
 * line above its attachment, a queue's row above its chain).  keep[i] says
 * which lines stay. */
static int keep_changes(const struct show_doc *d, char *keep)
{
	int any = 0;

	for (size_t i = 0; i < d->n; i++) {
		const struct show_line *l = &d->v[i];

		if (l->mark == ' ')
			continue;
		int named = l->group[0] == '\0'; /* its block's title or its object's line is kept */

		any = 1;
		keep[i] = 1;
		for (size_t j = i; j-- > 0;) {
			const struct show_line *t = &d->v[j];

			if (t->sect != l->sect)
				break;
			if (t->role == ROLE_BANNER || t->role == ROLE_HEAD)
				keep[j] = 1;
			if (!named && t->role == ROLE_SUB && strcmp(t->group, l->group) == 0)
				keep[j] = named = 1;
			if (!named && t->role == ROLE_ITEM && strcmp(t->key, l->group) == 0) {
				keep[j] = named = 1;
				for (size_t c = j + 1; c < d->n && d->v[c].cont; c++)
					keep[c] = 1; /* all of it */
			}
		}
	}
	return any;
}

/* Leaves out lines [i, end of i's block) when none of them is marked or a
 * sleeper (PRIO_KEY); the number left out. */
static int drop_block(const struct show_doc *d, char *keep, size_t i)
{
	size_t end = i + 1;
	int n = 0;

	while (end < d->n && d->v[end].role != ROLE_SUB && d->v[end].role != ROLE_BANNER)
		end++;
	for (size_t j = i; j < end; j++)
		if (keep[j] && (d->v[j].mark != ' ' || (j > i && d->v[j].prio >= PRIO_KEY)))
			return 0;
	for (size_t j = i; j < end; j++) {
		n += keep[j];
		keep[j] = 0;
	}
	return n;
}

/* Leaves out the least useful lines until rows lines remain, counting one
 * for the note that says so: column titles, summaries and table rows
 * first, then whole blocks nothing changed in (the last first), then single
 * lines by worth.  Marked lines and section banners always stay. */
static void fit(const struct show_doc *d, char *keep, int rows)
{
	int shown = 0;

	for (size_t i = 0; i < d->n; i++)
		shown += keep[i];
	for (int prio = 0; prio < PRIO_BODY && shown > rows - 1; prio++)
		for (size_t i = d->n; i-- > 0 && shown > rows - 1;)
			if (keep[i] && d->v[i].prio == prio && d->v[i].mark == ' ') {
				keep[i] = 0;
				shown--;
			}
	for (size_t i = d->n; i-- > 0 && shown > rows - 1;)
		if (keep[i] && d->v[i].role == ROLE_SUB)
			shown -= drop_block(d, keep, i);
	for (int prio = 0; prio < PRIO_BANNER && shown > rows - 1; prio++)
		for (size_t i = d->n; i-- > 0 && shown > rows - 1;)
			if (keep[i] && d->v[i].prio == prio && d->v[i].mark == ' ') {
				keep[i] = 0;
				shown--;
			}
}

static const char *mark_color(char mark)
{
	return mark == '+' ? "32" : mark == '~' ? "33" : mark == '-' ? "31" : NULL;
}

int show_emit(struct show *s, FILE *out)
{
	struct show_doc *d = s->doc;
	const struct render_opts *o = s->o;
	char *keep;
	int printed = 0, total = 0, left;

	if (s->since != NULL)
		mark(d, s->since);
	keep = calloc(d->n + 1, 1);
	if (keep == NULL || d->oom) {
		fputs("  (out of memory drawing the state)\n", out);
		free(keep);
		return 1;
	}
	if (o->mode == RENDER_CHANGES) {
		if (!keep_changes(d, keep)) {
			free(keep);
			return 0;
		}
	} else {
		for (size_t i = 0; i < d->n; i++)
			keep[i] = d->v[i].role != ROLE_HIDDEN;
	}
	for (size_t i = 0; i < d->n; i++)
		total += keep[i];
	if (o->rows > 0 && total > o->rows)
		fit(d, keep, o->rows);
	for (size_t i = 0; i < d->n; i++) {
		const struct show_line *l = &d->v[i];
		const char *color = o->color ? mark_color(l->mark) : NULL;

		if (!keep[i])
			continue;
		/* puts, not printf: a drawing prints dozens of lines */
		if (l->role == ROLE_BANNER || l->role == ROLE_SUB) {
			fputs(o->color ? "\033[1m" : "", out);
			fputs(l->text, out);
			fputs(o->color ? "\033[0m\n" : "\n", out);
		} else if (color) {
			fprintf(out, "\033[%sm%c %s\033[0m\n", color, l->mark, l->text);
		} else {
			putc(l->mark, out);
			if (l->text[0] != '\0') {
				putc(' ', out);
				fputs(l->text, out);
			}
			putc('\n', out);
		}
		printed++;
	}
	left = total - printed;
	if (left > 0)
		fprintf(out, "  ... %d more line%s: a taller terminal shows them\n", left,
		        left == 1 ? "" : "s");
	free(keep);
	return printed + (left > 0);
}
