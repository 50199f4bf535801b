/*
 * compare_report.c - what the comparer found: notes kept per step, and the
 * report of one scenario, as text for people and as JSON (json-c) for tools.
 *
 * The text report leads with a verdict line a script can grep
 * ("FILE: ok", "FILE: DIVERGED at line N", "FILE: STOPPED at line N",
 * "FILE: skipped: ...", "FILE: ERROR: ..."), then one block per note,
 * indented.  A report is bounded: each text of a note is cut to
 * IPCSIM_REPORT_TEXT bytes and at most IPCSIM_REPORT_NOTES notes are kept
 * (the rest are counted).
 */
#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_int.h"

/* A text of a note cut to IPCSIM_REPORT_TEXT bytes, saying so (takes t). */
static char *capped(char *t)
{
	size_t len = t != NULL ? strlen(t) : 0;
	char *cut;

	if (len <= IPCSIM_REPORT_TEXT)
		return t;
	cut = realloc(t, IPCSIM_REPORT_TEXT + 64);
	if (cut == NULL)
		return t;
	snprintf(cut + IPCSIM_REPORT_TEXT, 64, "\n[... %zu more bytes not kept]\n",
	         len - IPCSIM_REPORT_TEXT);
	return cut;
}

void cmp_note(struct compare_backend *cb, enum compare_note_kind kind, const char *call,
              char *sim, char *host, char *why, char *sim_state, char *host_state)
{
	struct compare_report *r = &cb->rep;
	struct compare_note *n, *bigger;
	const char *text = cb->text != NULL ? cb->text : "";

	if (r->nnotes >= IPCSIM_REPORT_NOTES) {
		/* Counted, not kept: a report stays readable and bounded. */
		r->notes_dropped++;
		if (kind == COMPARE_DIVERGED)
			r->ndiverged++;
		else
			r->nskipped++;
		goto out_free;
	}
	bigger = realloc(r->notes, (size_t)(r->nnotes + 1) * sizeof(*bigger));
	if (bigger == NULL)
		goto out_free;
	r->notes = bigger;
	n = &r->notes[r->nnotes++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->line = cb->line;
	while (*text == ' ' || *text == '\t')
		text++;
	n->text = strdup(text);
	n->call = strdup(call != NULL ? call : "");
	n->sim = capped(sim);
	n->host = capped(host);
	n->why = capped(why);
	n->sim_state = capped(sim_state);
	n->host_state = capped(host_state);
	if (kind == COMPARE_DIVERGED)
		r->ndiverged++;
	else
		r->nskipped++;
	return;

out_free:
	free(sim);
	free(host);
	free(why);
	free(sim_state);
	free(host_state);
}

void cmp_report_free(struct compare_report *r)
{
	for (int i = 0; i < r->nnotes; i++) {
		struct compare_note *n = &r->notes[i];

		free(n->text);
		free(n->call);
		free(n->sim);
		free(n->host);
		free(n->why);
		free(n->sim_state);
		free(n->host_state);
	}
	free(r->notes);
	free(r->host_error);
	free(r->stopped);
	memset(r, 0, sizeof(*r));
}

const char *compare_verdict(const struct compare_report *r, int script_rc)
{
	if (r == NULL || r->host_error != NULL || script_rc == 2)
		return "error";
	if (r->ndiverged > 0)
		return "diverged";
	if (r->stopped != NULL)
		return "stopped";
	if (r->sim_only != NULL)
		return "skipped";
	return "ok";
}

/* text, indented by ind, each line of it; a missing final newline added. */
static void print_block(FILE *out, const char *ind, const char *text)
{
	const char *p = text;

	if (text == NULL || *text == '\0') {
		fprintf(out, "%s(nothing)\n", ind);
		return;
	}
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		int len = nl != NULL ? (int)(nl - p) : (int)strlen(p);

		fprintf(out, "%s%.*s\n", ind, len, p);
		p += len + (nl != NULL);
	}
}

/* A one-line result: multi-line ones (shell output) go in a block. */
static void print_side(FILE *out, const char *label, const char *text)
{
	if (text != NULL && strchr(text, '\n') != NULL &&
	    strchr(text, '\n') != text + strlen(text) - 1) {
		fprintf(out, "    %s\n", label);
		print_block(out, "      | ", text);
	} else if (text != NULL) {
		int len = (int)strlen(text);

		fprintf(out, "    %-11s%.*s\n", label, len > 0 && text[len - 1] == '\n' ? len - 1 : len,
		        text);
	} else {
		fprintf(out, "    %-11s(not run)\n", label);
	}
}

static void print_note(FILE *out, const struct compare_note *n)
{
	if (n->kind == COMPARE_SKIPPED) {
		fprintf(out, "  line %d: skipped: %s\n", n->line, n->why != NULL ? n->why : "");
		fprintf(out, "    %-11s%s\n", "line:", n->text);
		if (n->host != NULL)
			print_side(out, "kernel:", n->host);
		return;
	}
	fprintf(out, "  line %d: %s\n", n->line, n->text);
	fprintf(out, "    %-11s%s\n", "call:", n->call);
	print_side(out, "simulator:", n->sim);
	print_side(out, "kernel:", n->host);
	fprintf(out, "    %-11s%s\n", "differs:", n->why != NULL ? n->why : "");
	if (n->sim_state != NULL) {
		fprintf(out, "    simulator state (ipcs):\n");
		print_block(out, "      | ", n->sim_state);
	}
	if (n->host_state != NULL) {
		fprintf(out, "    kernel state (ipcs):\n");
		print_block(out, "      | ", n->host_state);
	}
}

void compare_report_print(FILE *out, const char *file, const struct compare_report *r,
                          int script_rc, const char *run_err)
{
	const char *v = compare_verdict(r, script_rc);
	int first_div = 0;

	if (r == NULL) {
		fprintf(out, "%s: ERROR: %s", file, run_err != NULL ? run_err : "not run\n");
		return;
	}
	for (int i = 0; i < r->nnotes; i++)
		if (r->notes[i].kind == COMPARE_DIVERGED) {
			first_div = r->notes[i].line;
			break;
		}
	if (strcmp(v, "error") == 0)
		fprintf(out, "%s: ERROR: %s\n", file,
		        r->host_error != NULL ? r->host_error : "the scenario stopped with an error");
	else if (strcmp(v, "diverged") == 0)
		fprintf(out, "%s: DIVERGED at line %d (%d step%s agreed before)\n", file, first_div,
		        r->nagreed, r->nagreed == 1 ? "" : "s");
	else if (strcmp(v, "stopped") == 0)
		fprintf(out, "%s: STOPPED at line %d (%d step%s agreed before): %s\n", file,
		        r->stopped_line, r->nagreed, r->nagreed == 1 ? "" : "s", r->stopped);
	else if (strcmp(v, "skipped") == 0)
		fprintf(out, "%s: skipped: uses %s (line %d), a simulator-only model; %d step%s "
		        "agreed before it\n", file, r->sim_only, r->sim_only_line, r->nagreed,
		        r->nagreed == 1 ? "" : "s");
	else
		fprintf(out, "%s: ok (%d step%s agreed", file, r->nagreed, r->nagreed == 1 ? "" : "s");
	if (strcmp(v, "ok") == 0 && r->nskipped > 0)
		fprintf(out, ", %d skipped", r->nskipped);
	if (strcmp(v, "ok") == 0)
		fputs(")\n", out);
	if (script_rc == 2 && run_err != NULL && run_err[0] != '\0')
		print_block(out, "  ", run_err);
	for (int i = 0; i < r->nnotes; i++)
		print_note(out, &r->notes[i]);
	if (r->notes_dropped > 0)
		fprintf(out, "  ... and %d more note%s, not kept\n", r->notes_dropped,
		        r->notes_dropped == 1 ? "" : "s");
}

/* ---- JSON ------------------------------------------------------------------------ */

static int put_str(struct json_object *o, const char *key, const char *val)
{
	struct json_object *s;

	if (val == NULL)
		return json_object_object_add(o, key, NULL);
	s = json_object_new_string(val);
	if (s == NULL)
		return -1;
	return json_object_object_add(o, key, s);
}

static int put_int(struct json_object *o, const char *key, int val)
{
	struct json_object *i = json_object_new_int(val);

	return i == NULL ? -1 : json_object_object_add(o, key, i);
}

static struct json_object *note_json(const struct compare_note *n)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	if (put_str(o, "kind", n->kind == COMPARE_DIVERGED ? "diverged" : "skipped") < 0 ||
	    put_int(o, "line", n->line) < 0 || put_str(o, "text", n->text) < 0 ||
	    put_str(o, "call", n->call) < 0 || put_str(o, "simulator", n->sim) < 0 ||
	    put_str(o, "kernel", n->host) < 0 || put_str(o, "why", n->why) < 0 ||
	    put_str(o, "simulator_state", n->sim_state) < 0 ||
	    put_str(o, "kernel_state", n->host_state) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int compare_report_json(struct json_object *array, const char *file,
                        const struct compare_report *r, int script_rc, const char *run_err)
{
	struct json_object *o = json_object_new_object(), *notes = json_object_new_array();

	if (o == NULL || notes == NULL)
		goto out_free;
	if (put_str(o, "file", file) < 0 || put_str(o, "verdict", compare_verdict(r, script_rc)) < 0 ||
	    put_int(o, "agreed", r != NULL ? r->nagreed : 0) < 0 ||
	    put_int(o, "diverged", r != NULL ? r->ndiverged : 0) < 0 ||
	    put_int(o, "skipped", r != NULL ? r->nskipped : 0) < 0 ||
	    put_str(o, "simulator_only", r != NULL ? r->sim_only : NULL) < 0 ||
	    put_int(o, "simulator_only_line", r != NULL ? r->sim_only_line : 0) < 0 ||
	    put_str(o, "host_error", r != NULL ? r->host_error : NULL) < 0 ||
	    put_str(o, "stopped", r != NULL ? r->stopped : NULL) < 0 ||
	    put_int(o, "stopped_line", r != NULL ? r->stopped_line : 0) < 0 ||
	    put_int(o, "notes_dropped", r != NULL ? r->notes_dropped : 0) < 0 ||
	    put_str(o, "run_error", run_err != NULL && run_err[0] != '\0' ? run_err : NULL) < 0)
		goto out_free;
	for (int i = 0; r != NULL && i < r->nnotes; i++) {
		struct json_object *n = note_json(&r->notes[i]);

		if (n == NULL || json_object_array_add(notes, n) < 0) {
			json_object_put(n);
			goto out_free;
		}
	}
	if (json_object_object_add(o, "notes", notes) < 0)
		goto out_free;
	notes = NULL;
	if (json_object_array_add(array, o) < 0)
		goto out_free;
	return 0;

out_free:
	json_object_put(notes);
	json_object_put(o);
	return -1;
}
