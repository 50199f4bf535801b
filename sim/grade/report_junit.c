/*
 * report_junit.c - a class's grades as JUnit XML, for CI systems (GitHub,
 * GitLab, Jenkins): a <testsuite> per submission, a <testcase> per hole,
 * a <failure> with the feedback for each hole not right, an <error> for a
 * submission that could not be graded.  It follows the Jenkins/Ant schema
 * committed as tests/grade/junit.xsd (checked with xmllint by the tests).
 */
#include <string.h>

#include "grade/grade_int.h"

/* Text as XML character data or an attribute value. */
static void xml_text(FILE *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			fputs("&amp;", out);
		else if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c < 0x20 && c != '\t')
			fputc(' ', out); /* not allowed in XML 1.0 */
		else if (c >= 0x80)
			fputc('?', out); /* keep the document valid whatever the bytes */
		else
			fputc(c, out);
	}
}

int grade_report_junit(FILE *out, const struct grade_class *c)
{
	int tests = 0, failures = 0, errors = 0;

	for (int i = 0; i < c->nresults; i++) {
		const struct grade_result *r = c->results[i];

		if (r->infra_error) {
			errors++;
			tests++;
			continue;
		}
		tests += r->nholes;
		for (int h = 0; h < r->nholes; h++)
			failures += r->holes[h].verdict != GRADE_RIGHT;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"", out);
	xml_text(out, c->exercise);
	fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", tests, failures, errors);
	for (int i = 0; i < c->nresults; i++) {
		const struct grade_result *r = c->results[i];
		int f = 0;

		for (int h = 0; !r->infra_error && h < r->nholes; h++)
			f += r->holes[h].verdict != GRADE_RIGHT;
		fputs("  <testsuite name=\"", out);
		xml_text(out, r->name);
		fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"0\" "
		        "timestamp=\"1970-01-01T00:00:00\" hostname=\"ipcsim\" id=\"%d\" package=\"",
		        r->infra_error ? 1 : r->nholes, f, r->infra_error, i);
		xml_text(out, c->exercise);
		fputs("\">\n    <properties/>\n", out);
		if (r->infra_error) {
			fputs("    <testcase name=\"grading\" classname=\"", out);
			xml_text(out, r->name);
			fputs("\" time=\"0\">\n      <error message=\"", out);
			xml_text(out, r->message);
			fputs("\" type=\"not graded\"/>\n    </testcase>\n", out);
		}
		for (int h = 0; !r->infra_error && h < r->nholes; h++) {
			const struct grade_hole_result *hr = &r->holes[h];

			fprintf(out, "    <testcase name=\"q%d.%d ", hr->question, hr->hole);
			xml_text(out, hr->name);
			fputs("\" classname=\"", out);
			xml_text(out, r->name);
			fputs("\" time=\"0\"", out);
			if (hr->verdict == GRADE_RIGHT) {
				fputs("/>\n", out);
				continue;
			}
			fputs(">\n      <failure message=\"", out);
			xml_text(out, hr->feedback);
			fprintf(out, "\" type=\"%s\">answer: ", hr->verdict == GRADE_WRONG ? "wrong"
			        : hr->verdict == GRADE_UNANSWERED ? "unanswered"
			        : hr->verdict == GRADE_EDITED ? "changed" : "malformed");
			xml_text(out, hr->answer);
			fputs("\nright: ", out);
			xml_text(out, hr->right);
			fputs("</failure>\n    </testcase>\n", out);
		}
		fputs("    <system-out/>\n    <system-err/>\n  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
