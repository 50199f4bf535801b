/*
 * check_fixture.h - running a scenario text through a comparing backend, as
 * `ipcsim check` does, for the tests of the comparer (tests/host/,
 * tests/check/).  Each test builds its comparer its own way (a wrong
 * simulator, a spied host, a budget); this runs the text on it and keeps
 * the report, as the report's text too.
 */
#ifndef IPCSIM_TESTS_CHECK_FIXTURE_H
#define IPCSIM_TESTS_CHECK_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/compare.h"
#include "ipcsim/script.h"

struct checked {
	struct backend *cmp;
	const struct compare_report *rep;
	int rc;
	char *text; /* the human report */
};

/* Runs scenario ("t.scn") on cmp, which c then owns. */
static inline void checked_run(struct checked *c, struct backend *cmp, const char *scenario)
{
	struct script_options o = { 0 };
	struct script *s;
	size_t len = 0;
	FILE *devnull = fopen("/dev/null", "w"), *w;

	c->cmp = cmp;
	cr_assert_not_null(c->cmp);
	s = script_parse("t.scn", scenario, strlen(scenario), stderr);
	cr_assert_not_null(s);
	o.out = devnull;
	o.err = devnull;
	o.backend = c->cmp;
	o.quiet_summary = 1;
	c->rc = script_run(s, &o, NULL);
	c->rep = backend_compare_report(c->cmp);
	cr_assert_not_null(c->rep);
	w = open_memstream(&c->text, &len);
	compare_report_print(w, "t.scn", c->rep, c->rc, NULL);
	fclose(w);
	fclose(devnull);
	script_free(&s);
}

static inline void checked_free(struct checked *c)
{
	backend_free(&c->cmp);
	free(c->text);
}

#endif
