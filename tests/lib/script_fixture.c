/*
 * script_fixture.c - parse/run/record a scenario held in a string, with all
 * output captured in memory (see script_fixture.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script_fixture.h"

static void run_or_record(const char *text, struct script_fixture_run *r, int record)
{
	size_t olen = 0, elen = 0;
	FILE *out, *err;
	struct script *s;

	memset(r, 0, sizeof(*r));
	out = open_memstream(&r->out, &olen);
	err = open_memstream(&r->err, &elen);
	s = script_parse("t.scn", text, strlen(text), err);
	if (s == NULL) {
		r->status = 2;
	} else if (record) {
		r->status = script_record(s, out, err);
	} else {
		struct script_options o = { 0 };

		o.out = out;
		o.err = err;
		r->status = script_run(s, &o, &r->stats);
	}
	script_free(&s);
	fclose(out);
	fclose(err);
}

void script_fixture_run(const char *text, struct script_fixture_run *r)
{
	run_or_record(text, r, 0);
}

void script_fixture_run_stream(const char *text, struct script_fixture_run *r)
{
	size_t olen = 0, elen = 0;
	struct script_options o = { 0 };
	FILE *f = tmpfile();

	memset(r, 0, sizeof(*r));
	o.out = open_memstream(&r->out, &olen);
	o.err = open_memstream(&r->err, &elen);
	if (f == NULL || fwrite(text, 1, strlen(text), f) != strlen(text) || fflush(f) != 0) {
		r->status = -1;
	} else {
		rewind(f);
		r->status = script_run_stream(f, "t.scn", NULL, &o, &r->stats);
	}
	if (f != NULL)
		fclose(f);
	fclose(o.out);
	fclose(o.err);
}

void script_fixture_record(const char *text, struct script_fixture_run *r)
{
	run_or_record(text, r, 1);
}

void script_fixture_release(struct script_fixture_run *r)
{
	free(r->out);
	free(r->err);
	r->out = NULL;
	r->err = NULL;
}

char *script_fixture_parse_error(const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	struct script *s = script_parse("t.scn", text, strlen(text), err);
	char *nl;

	fclose(err);
	if (s != NULL) {
		script_free(&s);
		free(buf);
		return NULL;
	}
	nl = strchr(buf, '\n');
	if (nl != NULL)
		*nl = '\0';
	return buf;
}
