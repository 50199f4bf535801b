/*
 * explore_report.c - the explorer's result for people and machines: the
 * text report with its histogram, JSON, each witness as a scenario, and
 * the HTML page whose outcomes open their witness in the trace viewer.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/sched.h"
#include "ipcsim/script.h"
#include "ipcsim/trace.h"
#include "explore/explore_int.h"

int explore_complete(const struct explore *ex)
{
	return ex->o->random_runs == 0 && !ex->stopped;
}

void explore_counts(const struct explore *ex, uint64_t *schedules, uint64_t *states,
                    uint64_t *steps)
{
	*schedules = ex->schedules;
	*states = ex->states;
	*steps = ex->steps;
}

int explore_outcomes(const struct explore *ex)
{
	return ex->noutcomes;
}

/* Outcomes in a reader's order: texts compared with their numbers as
 * numbers (balance 95 before 100, -3 before 2). */
static int natural_cmp(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		int na = isdigit((unsigned char)*a) || (*a == '-' && isdigit((unsigned char)a[1]));
		int nb = isdigit((unsigned char)*b) || (*b == '-' && isdigit((unsigned char)b[1]));

		if (na && nb) {
			char *ea, *eb;
			long long x = strtoll(a, &ea, 10), y = strtoll(b, &eb, 10);

			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static int by_text(const void *x, const void *y)
{
	const struct outcome *a = *(struct outcome *const *)x, *b = *(struct outcome *const *)y;

	return natural_cmp(a->text, b->text);
}

/* The outcomes sorted (explore_outcome_text_at's order). */
static const struct outcome *sorted_at(const struct explore *ex, int i)
{
	struct explore *w = (struct explore *)ex;

	if (!w->sorted) {
		qsort(w->by_id, (size_t)w->noutcomes, sizeof(*w->by_id), by_text);
		w->sorted = 1;
	}
	return ex->by_id[i];
}

const char *explore_outcome_text_at(const struct explore *ex, int i)
{
	return sorted_at(ex, i)->text;
}

uint64_t explore_outcome_count(const struct explore *ex, int i)
{
	return sorted_at(ex, i)->count;
}

/* P1*3,P2,P1*2: runs of one process written once with their length. */
static char *schedule_text(const struct explore *ex, const struct path *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	if (w == NULL)
		return NULL;
	for (int i = 0; i < p->len;) {
		int j = i;

		while (j < p->len && p->step[j] == p->step[i])
			j++;
		fprintf(w, "%s%s", i > 0 ? "," : "", ex->names[p->step[i]]);
		if (j - i > 1)
			fprintf(w, "*%d", j - i);
		i = j;
	}
	if (fclose(w) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *explore_witness_schedule(const struct explore *ex, int i)
{
	return schedule_text(ex, &sorted_at(ex, i)->witness);
}

int explore_print(const struct explore *ex, FILE *out)
{
	int n = ex->noutcomes, deadlocks = 0, failed = 0, width = 8, digits = 1;

	if (ex->o->random_runs > 0)
		fprintf(out, "random: %llu schedules (seed %llu), %llu steps\n",
		        (unsigned long long)ex->schedules, (unsigned long long)ex->o->seed,
		        (unsigned long long)ex->steps);
	else
		fprintf(out, "exhaustive%s: %llu schedules, %llu states, %llu steps (%llu rewinds)\n",
		        ex->o->naive ? " (every interleaving)"
		                     : " (reduced: fewer schedules, the same outcomes)",
		        (unsigned long long)ex->schedules, (unsigned long long)ex->states,
		        (unsigned long long)ex->steps, (unsigned long long)ex->rewinds);
	if (ex->stopped)
		fprintf(out, "stopped: %s; what follows is what was found before\n", ex->why);
	for (int i = 0; i < n; i++) {
		int len = (int)strlen(sorted_at(ex, i)->text);

		if (len > width)
			width = len < 60 ? len : 60;
		for (uint64_t c = sorted_at(ex, i)->count, d = 1; c >= 10; c /= 10)
			if (++d > (uint64_t)digits)
				digits = (int)d;
	}
	if (ex->saturated)
		digits = 22;
	fprintf(out, "%d outcome%s (schedules reaching it, share):\n", n, n == 1 ? "" : "s");
	for (int i = 0; i < n; i++) {
		const struct outcome *o = sorted_at(ex, i);
		double share = ex->schedules > 0 ? 100.0 * (double)o->count / (double)ex->schedules : 0;
		int bar = (int)(share / 2.5 + 0.5);

		deadlocks += o->deadlock;
		failed += o->failed;
		char count[32];

		snprintf(count, sizeof(count), "%s%llu",
		         ex->saturated && o->count == UINT64_MAX ? ">=" : "",
		         (unsigned long long)o->count);
		fprintf(out, "  %-*s  %*s %5.1f%%%s%.*s\n", width, o->text, digits, count, share,
		        bar > 0 ? " " : "", bar, "########################################");
	}
	fprintf(out, "witnesses (the shortest schedule found to each; --witness DIR writes them "
	        "as scenarios):\n");
	for (int i = 0; i < n; i++) {
		const struct outcome *o = sorted_at(ex, i);
		char *sched;

		/* Many outcomes: the ends of the range and what went wrong. */
		if (!(n <= 12 || i == 0 || i == n - 1 || o->deadlock || o->failed || o->error))
			continue;
		sched = schedule_text(ex, &o->witness);
		fprintf(out, "  %s: %d steps", o->text, o->witness.len);
		if (sched != NULL && strlen(sched) <= 200)
			fprintf(out, ", --schedule %s", sched);
		fputc('\n', out);
		free(sched);
	}
	if (deadlocks > 0)
		fprintf(out, "%d outcome%s end in a DEADLOCK\n", deadlocks, deadlocks == 1 ? "" : "s");
	if (failed > 0)
		fprintf(out, "%d outcome%s have a FAILED expectation\n", failed, failed == 1 ? "" : "s");
	return ferror(out) ? -1 : 0;
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

int explore_print_json(const struct explore *ex, FILE *out)
{
	fputs("{\"file\":", out);
	json_string(out, script_file_name(ex->s));
	fprintf(out, ",\"mode\":\"%s\",\"reduced\":%s,\"complete\":%s",
	        ex->o->random_runs > 0 ? "random" : "exhaustive",
	        ex->o->random_runs == 0 && !ex->o->naive ? "true" : "false",
	        explore_complete(ex) ? "true" : "false");
	if (ex->o->random_runs > 0)
		fprintf(out, ",\"seed\":%llu", (unsigned long long)ex->o->seed);
	fprintf(out, ",\"schedules\":%llu,\"states\":%llu,\"steps\":%llu,\"saturated\":%s",
	        (unsigned long long)ex->schedules, (unsigned long long)ex->states,
	        (unsigned long long)ex->steps, ex->saturated ? "true" : "false");
	if (ex->stopped) {
		fputs(",\"stopped\":", out);
		json_string(out, ex->why);
	}
	fputs(",\"outcomes\":[", out);
	for (int i = 0; i < ex->noutcomes; i++) {
		const struct outcome *o = sorted_at(ex, i);
		char *sched = schedule_text(ex, &o->witness);

		fprintf(out, "%s{\"outcome\":", i > 0 ? "," : "");
		json_string(out, o->text);
		fprintf(out, ",\"schedules\":%llu,\"deadlock\":%s,\"failed\":%s,\"error\":%s,"
		        "\"witness_steps\":%d,\"witness\":", (unsigned long long)o->count,
		        o->deadlock ? "true" : "false", o->failed ? "true" : "false",
		        o->error ? "true" : "false", o->witness.len);
		json_string(out, sched != NULL ? sched : "");
		free(sched);
		fputc('}', out);
	}
	fputs("]}\n", out);
	return ferror(out) ? -1 : 0;
}

int explore_write_witness(const struct explore *ex, int i, FILE *out, FILE *err)
{
	const struct outcome *o = sorted_at(ex, i);
	char *sched = schedule_text(ex, &o->witness), *header = NULL;
	size_t len = 0;
	FILE *w;
	int rc = -1;

	if (sched == NULL || (w = open_memstream(&header, &len)) == NULL)
		goto out_free;
	fprintf(w, "# A witness found by ipcsim explore: a schedule that ends with\n#   %s\n"
	        "# (--schedule %s)\n", o->text, sched);
	if (fclose(w) != 0)
		goto out_free;
	rc = script_sched_witness(ex->s, sched, header, out, err);
out_free:
	free(sched);
	free(header);
	return rc;
}

static void html_text(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(s[i], out); break;
		}
	}
}

/* Outcome i's witness traced as a page (the trace viewer), malloc'd. */
static char *witness_page(const struct explore *ex, int i, size_t *len, FILE *err)
{
	char *scn = NULL, *page = NULL;
	size_t scnlen = 0;
	FILE *w = open_memstream(&scn, &scnlen), *pw;

	if (w == NULL)
		return NULL;
	if (explore_write_witness(ex, i, w, err) < 0) {
		fclose(w);
		free(scn);
		return NULL;
	}
	fclose(w);
	pw = open_memstream(&page, len);
	if (pw != NULL) {
		trace_scenario(script_file_name(ex->s), scn, scnlen, TRACE_HTML, pw, err);
		fclose(pw);
	}
	free(scn);
	return page;
}

int explore_print_html(const struct explore *ex, FILE *out, FILE *err)
{
	char *summary = NULL;
	size_t slen = 0;
	FILE *w = open_memstream(&summary, &slen);

	if (w == NULL)
		return -1;
	explore_print(ex, w);
	fclose(w);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>ipcsim "
	      "explore: ", out);
	html_text(out, script_file_name(ex->s), strlen(script_file_name(ex->s)));
	fputs("</title>\n<style>body{font:14px system-ui,sans-serif;margin:1em 2em}"
	      "pre{background:#f4f4f4;padding:.5em}summary{cursor:pointer;font-family:monospace}"
	      ".bad{color:#b00}iframe{width:100%;height:80vh;border:1px solid #ccc}</style>\n"
	      "</head><body>\n<h1>ipcsim explore: ", out);
	html_text(out, script_file_name(ex->s), strlen(script_file_name(ex->s)));
	fputs("</h1>\n<pre>", out);
	html_text(out, summary, slen);
	fputs("</pre>\n<h2>Outcomes</h2>\n<p>Open an outcome to step through its witness.</p>\n",
	      out);
	free(summary);
	for (int i = 0; i < ex->noutcomes; i++) {
		const struct outcome *o = sorted_at(ex, i);
		size_t plen = 0;
		char *page = witness_page(ex, i, &plen, err);

		fprintf(out, "<details><summary%s>", o->deadlock || o->failed || o->error
		                                         ? " class=\"bad\"" : "");
		html_text(out, o->text, strlen(o->text));
		fprintf(out, " &mdash; %llu schedule%s</summary>\n", (unsigned long long)o->count,
		        o->count == 1 ? "" : "s");
		if (page != NULL) {
			fputs("<iframe loading=\"lazy\" srcdoc=\"", out);
			html_text(out, page, plen);
			fputs("\"></iframe>", out);
		}
		fputs("</details>\n", out);
		free(page);
	}
	fputs("</body></html>\n", out);
	return ferror(out) ? -1 : 0;
}
