/*
 * answer_cmp.c - a result with holes laid over another result of the same
 * line: where each hole falls in the key's answer and in a student's, and
 * whether the two agree.
 *
 * Agreeing is what `ipcsim run` would accept had the student's text been
 * written as the expectation and the key's been the actual result: integers
 * by value (0600 is 384; a key compares by its 32 bits), strings without
 * trailing NUL bytes, errno by name, a struct by the fields the student
 * names, a message or an array item by item.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grade/grade_int.h"

int grade_node_has_hole(const struct script_anode *n)
{
	if (n == NULL)
		return 0;
	if (n->kind == SCRIPT_A_HOLE)
		return 1;
	for (int i = 0; i < n->nitems; i++)
		if (grade_node_has_hole(n->items[i]))
			return 1;
	return 0;
}

/* An item named `name` (dotted names reach into nested structs). */
static const struct script_anode *find_field(const struct script_anode *list, const char *name)
{
	size_t n;

	if (list == NULL || list->kind != SCRIPT_A_LIST)
		return NULL;
	for (int i = 0; i < list->nitems; i++)
		if (list->items[i]->field != NULL && strcmp(list->items[i]->field, name) == 0)
			return list->items[i];
	for (int i = 0; i < list->nitems; i++) {
		const char *f = list->items[i]->field;

		if (f != NULL && (n = strlen(f)) < strlen(name) && strncmp(f, name, n) == 0 &&
		    name[n] == '.')
			return find_field(list->items[i], name + n + 1);
	}
	return NULL;
}

const struct script_anode *grade_find_item(const struct script_anode *list,
                                           const struct script_anode *p, int idx)
{
	if (list == NULL || list->kind != SCRIPT_A_LIST)
		return NULL;
	if (p->field != NULL)
		return find_field(list, p->field);
	return idx < list->nitems ? list->items[idx] : NULL;
}

static size_t trimmed_len(const struct script_anode *n)
{
	size_t len = n->len;

	while (len > 0 && n->bytes[len - 1] == '\0')
		len--;
	return len;
}

int grade_node_matches(const struct script_anode *s, const struct script_anode *k)
{
	if (s == NULL || k == NULL)
		return s == k;
	if (s->kind == SCRIPT_A_HOLE || k->kind == SCRIPT_A_HOLE)
		return 0;
	if (s->kind != k->kind || (s->kind == SCRIPT_A_LIST && s->open != k->open))
		return 0;
	switch (s->kind) {
	case SCRIPT_A_INT:
		return s->ival == k->ival ||
		       (s->ival >= 0 && k->ival >= 0 && (uint32_t)s->ival == (uint32_t)k->ival &&
		        (uint64_t)s->ival <= UINT32_MAX && (uint64_t)k->ival <= UINT32_MAX);
	case SCRIPT_A_STR:
		return trimmed_len(s) == trimmed_len(k) && memcmp(s->bytes, k->bytes, trimmed_len(s)) == 0;
	case SCRIPT_A_WORD:
		return strcmp(s->bytes, k->bytes) == 0;
	case SCRIPT_A_HOLE:
		return 0;
	case SCRIPT_A_LIST:
		break;
	}
	/* a list: each item the student wrote, where it falls in the key's */
	if (s->open == '[' && s->nitems != k->nitems)
		return 0;
	for (int i = 0; i < s->nitems; i++) {
		if (s->items[i]->field == NULL && s->nitems != k->nitems)
			return 0;
		if (!grade_node_matches(s->items[i], grade_find_item(k, s->items[i], i)))
			return 0;
	}
	return 1;
}

static int word_equal(const struct script_anode *a, const struct script_anode *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return grade_node_matches(a, b);
}

int grade_answer_matches(const struct script_answer *s, const struct script_answer *k)
{
	if (s->kind != k->kind)
		return 0;
	switch (s->kind) {
	case SCRIPT_ANS_NONE:
	case SCRIPT_ANS_UNFINISHED:
		return 1;
	case SCRIPT_ANS_SIGNAL:
		return strcmp(s->signal, k->signal) == 0;
	case SCRIPT_ANS_RESULT:
		break;
	}
	if (!grade_node_matches(s->ret, k->ret) || !word_equal(s->err, k->err))
		return 0;
	/* as `run`: a payload left out is not checked */
	return s->payload == NULL || grade_node_matches(s->payload, k->payload);
}

/* ---- walking the holes ------------------------------------------------------ */

struct walk {
	int n, *edited;
	hole_fn *fn;
	void *ctx;
};

static void walk_node(struct walk *w, const struct script_anode *p, const struct script_anode *t)
{
	if (p->kind == SCRIPT_A_HOLE) {
		if (w->fn != NULL)
			w->fn(w->ctx, w->n, HOLE_NODE, p, t);
		w->n++;
		return;
	}
	if (p->kind != SCRIPT_A_LIST) {
		if (!grade_node_matches(t, p))
			*w->edited = 1;
		return;
	}
	if (t == NULL || t->kind != SCRIPT_A_LIST || t->open != p->open)
		*w->edited = 1;
	for (int i = 0; i < p->nitems; i++)
		walk_node(w, p->items[i], t != NULL && t->kind == SCRIPT_A_LIST
		                              ? grade_find_item(t, p->items[i], i) : NULL);
}

int grade_walk_holes(const struct script_answer *p, const struct script_answer *t, int *edited,
                     hole_fn *fn, void *ctx)
{
	struct walk w = { 0, edited, fn, ctx };
	int t_result = t->kind == SCRIPT_ANS_RESULT;

	*edited = 0;
	if (p->kind != SCRIPT_ANS_RESULT) {
		if (!grade_answer_matches(t, p))
			*edited = 1;
		return 0;
	}
	if (p->ret->kind == SCRIPT_A_HOLE && p->err == NULL && p->payload == NULL) {
		if (fn != NULL)
			fn(ctx, w.n, HOLE_ALL, NULL, NULL);
		w.n++;
		if (p->why != NULL && p->why->kind == SCRIPT_A_HOLE) {
			if (fn != NULL)
				fn(ctx, w.n, HOLE_WHY, NULL, t_result ? t->why : NULL);
			w.n++;
		}
		return w.n;
	}
	if (p->ret->kind == SCRIPT_A_HOLE) {
		if (fn != NULL)
			fn(ctx, w.n, HOLE_HEAD, NULL, NULL);
		w.n++;
	} else if (!t_result || !grade_node_matches(t->ret, p->ret)) {
		*edited = 1;
	}
	if (p->ret->kind != SCRIPT_A_HOLE && p->err != NULL && p->err->kind == SCRIPT_A_HOLE) {
		if (fn != NULL)
			fn(ctx, w.n, HOLE_ERR, NULL, t_result ? t->err : NULL);
		w.n++;
	} else if (p->ret->kind != SCRIPT_A_HOLE && t_result && !word_equal(t->err, p->err)) {
		*edited = 1;
	}
	if (p->payload != NULL)
		walk_node(&w, p->payload, t_result ? t->payload : NULL);
	if (p->why != NULL && p->why->kind == SCRIPT_A_HOLE) {
		if (fn != NULL)
			fn(ctx, w.n, HOLE_WHY, NULL, t_result ? t->why : NULL);
		w.n++;
	}
	return w.n;
}

char *grade_hole_text(enum hole_kind kind, const struct script_answer *t,
                      const struct script_anode *tnode)
{
	const char *s = "";

	switch (kind) {
	case HOLE_ALL: {
		char *out = NULL;
		int n = 0;

		if (t->kind == SCRIPT_ANS_UNFINISHED)
			s = "<unfinished ...>";
		else if (t->kind == SCRIPT_ANS_SIGNAL)
			n = asprintf(&out, "--- %s ---", t->signal);
		else if (t->kind == SCRIPT_ANS_RESULT) /* without strace's strerror text */
			n = asprintf(&out, "%s%s%s", t->head, t->payload != NULL ? " " : "",
			             t->payload != NULL ? t->payload->text : "");
		if (out != NULL || n < 0)
			return n < 0 ? NULL : out;
		break;
	}
	case HOLE_HEAD:
		s = t->kind == SCRIPT_ANS_RESULT && t->head != NULL ? t->head : "";
		break;
	case HOLE_ERR:
	case HOLE_NODE:
	case HOLE_WHY:
		s = tnode != NULL && tnode->text != NULL ? tnode->text : "";
		break;
	case HOLE_OUTPUT:
		break;
	}
	return strdup(s);
}

int grade_hole_matches(enum hole_kind kind, const struct script_answer *s,
                       const struct script_anode *snode, const struct script_answer *k,
                       const struct script_anode *knode)
{
	switch (kind) {
	case HOLE_ALL:
		return grade_answer_matches(s, k);
	case HOLE_HEAD:
		if (s->kind != k->kind)
			return 0;
		if (s->kind != SCRIPT_ANS_RESULT)
			return 1;
		return grade_node_matches(s->ret, k->ret) && word_equal(s->err, k->err);
	case HOLE_ERR:
	case HOLE_NODE:
		/* nothing in the key there (the call failed): right when left empty */
		if (knode == NULL)
			return snode == NULL || snode->kind == SCRIPT_A_HOLE;
		return grade_node_matches(snode, knode);
	case HOLE_WHY: /* knode: the key's code as a word */
		return snode != NULL && knode != NULL && snode->kind == SCRIPT_A_WORD &&
		       strcmp(snode->bytes, knode->bytes) == 0;
	case HOLE_OUTPUT:
		break;
	}
	return 0;
}
