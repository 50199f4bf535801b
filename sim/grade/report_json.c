/*
 * report_json.c - one submission's grade as the autograding platforms read
 * it: Gradescope's results.json (points per test, `status`, `output`) and
 * PrairieLearn's external grader results.json (`score` a fraction,
 * `gradable` false when the submission could not be graded).  Written with
 * json-c, keys in a fixed order, so the bytes are the same every time.
 */
#include <json.h>
#include <stdlib.h>
#include <string.h>

#include "grade/grade_int.h"

/* "q1.2 mtype", and the student-facing text of the hole's result. */
static char *test_name(const struct grade_result *r, const struct grade_hole_result *hr)
{
	char *s = NULL;

	return asprintf(&s, "q%d.%d %s", hr->question, hr->hole, hr->name) < 0 ? NULL : s;
}

static char *test_output(const struct grade_result *r, const struct grade_hole_result *hr)
{
	const char *q = r->question_text != NULL ? r->question_text[hr->question - 1] : "";
	char *s = NULL;

	if (hr->verdict == GRADE_RIGHT)
		return asprintf(&s, "%s\nyour answer: %s (right)", q, hr->answer) < 0 ? NULL : s;
	return asprintf(&s, "%s\nyour answer: %s\nright answer: %s\n%s", q,
	                hr->answer != NULL ? hr->answer : "", hr->right != NULL ? hr->right : "",
	                hr->feedback != NULL ? hr->feedback : "") < 0 ? NULL : s;
}

static int add_str(json_object *o, const char *key, const char *val)
{
	json_object *v = json_object_new_string(val != NULL ? val : "");

	return v == NULL ? -1 : json_object_object_add(o, key, v);
}

static int write_json(FILE *out, json_object *root)
{
	const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	                                                  JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = text == NULL || fprintf(out, "%s\n", text) < 0 || fflush(out) != 0 ? -1 : 0;

	json_object_put(root);
	return rc;
}

static int add_tests(json_object *root, const struct grade_result *r, int prairielearn)
{
	json_object *tests = json_object_new_array();

	if (tests == NULL)
		return -1;
	json_object_object_add(root, "tests", tests);
	for (int h = 0; h < r->nholes; h++) {
		const struct grade_hole_result *hr = &r->holes[h];
		json_object *t = json_object_new_object();
		char *name = test_name(r, hr), *text = test_output(r, hr), num[32];
		int rc = t == NULL || name == NULL || text == NULL ? -1 : 0;

		if (rc == 0)
			rc = json_object_array_add(tests, t);
		else
			json_object_put(t);
		if (rc == 0 && prairielearn) {
			rc |= add_str(t, "name", name);
			rc |= json_object_object_add(t, "points", json_object_new_int(hr->points));
			rc |= json_object_object_add(t, "max_points", json_object_new_int(hr->max));
			rc |= add_str(t, "message", hr->verdict == GRADE_RIGHT ? "right" : hr->feedback);
			rc |= add_str(t, "output", text);
		} else if (rc == 0) {
			snprintf(num, sizeof(num), "%d.%d", hr->question, hr->hole);
			rc |= add_str(t, "name", name);
			rc |= add_str(t, "number", num);
			rc |= json_object_object_add(t, "score", json_object_new_double(hr->points));
			rc |= json_object_object_add(t, "max_score", json_object_new_double(hr->max));
			rc |= add_str(t, "status", hr->verdict == GRADE_RIGHT ? "passed" : "failed");
			rc |= add_str(t, "output", text);
		}
		free(name);
		free(text);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int grade_report_gradescope(FILE *out, const struct grade_result *r)
{
	json_object *root = json_object_new_object();
	char *summary = NULL;

	if (root == NULL)
		return -1;
	if (r->infra_error) {
		/* no score: the platform shows the message, the staff re-run it */
		if (add_str(root, "output", r->message) != 0 ||
		    json_object_object_add(root, "tests", json_object_new_array()) != 0) {
			json_object_put(root);
			return -1;
		}
		return write_json(out, root);
	}
	if (asprintf(&summary, "%s%sScore: %d/%d", r->message != NULL ? r->message : "",
	             r->message != NULL ? "\n" : "", r->points, r->max) < 0)
		summary = NULL;
	if (summary == NULL ||
	    json_object_object_add(root, "score", json_object_new_double(r->points)) != 0 ||
	    add_str(root, "output", summary) != 0 || add_tests(root, r, 0) != 0) {
		free(summary);
		json_object_put(root);
		return -1;
	}
	free(summary);
	return write_json(out, root);
}

int grade_report_prairielearn(FILE *out, const struct grade_result *r)
{
	json_object *root = json_object_new_object();
	char *summary = NULL;
	int rc = 0;

	if (root == NULL)
		return -1;
	if (r->infra_error) {
		json_object *errs = json_object_new_array();

		rc |= json_object_object_add(root, "gradable", json_object_new_boolean(0));
		rc |= json_object_object_add(root, "format_errors", errs);
		rc |= errs == NULL ? -1 : json_object_array_add(errs, json_object_new_string(r->message));
		if (rc != 0) {
			json_object_put(root);
			return -1;
		}
		return write_json(out, root);
	}
	if (asprintf(&summary, "Score: %d/%d", r->points, r->max) < 0)
		summary = NULL;
	rc |= summary == NULL ? -1 : 0;
	rc |= json_object_object_add(root, "gradable", json_object_new_boolean(1));
	rc |= json_object_object_add(root, "score",
	                             json_object_new_double(r->max > 0 ? (double)r->points / r->max
	                                                               : 0.0));
	rc |= add_str(root, "message", summary);
	rc |= add_str(root, "output", r->message);
	rc |= add_tests(root, r, 1);
	free(summary);
	if (rc != 0) {
		json_object_put(root);
		return -1;
	}
	return write_json(out, root);
}
