/*
 * test_trace_end.c - the trace says what `ipcsim run` says: the limits as
 * sysctl prints them (shmmax and shmall unsigned 64-bit), and a run that a
 * runtime error stopped ends with an end line carrying that error, which
 * the HTML page shows.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "ipcsim/script.h"
#include "ipcsim/trace.h"
#include "../lib/script_fixture.h"

static char *trace_of(const char *text, enum trace_format fmt, int *status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	FILE *err = fopen("/dev/null", "w");

	cr_assert_not_null(out);
	*status = trace_scenario("t.scn", text, strlen(text), fmt, out, err);
	fclose(out);
	fclose(err);
	return buf;
}

/* The last line of a JSON Lines text, parsed. */
static struct json_object *last_line(char *buf)
{
	char *nl, *last = buf;

	for (char *p = buf; (nl = strchr(p, '\n')) != NULL && nl[1] != '\0'; p = nl + 1)
		last = nl + 1;
	return json_tokener_parse(last);
}

Test(trace_end, shmmax_and_shmall_are_unsigned_64_bit)
{
	int status;
	char *buf = trace_of("P1: getpid()\n", TRACE_JSON, &status);
	struct json_object *header;
	struct json_object *limits;
	char *nl = strchr(buf, '\n');

	cr_assert_eq(status, 0);
	cr_assert(strstr(buf, "\"shmmax\":18446744073692774399,\"shmall\":18446744073692774399")
	          != NULL, "%.600s", buf);
	cr_assert(strstr(buf, "-16777217") == NULL);
	*nl = '\0';
	header = json_tokener_parse(buf);
	limits = json_object_object_get(json_object_object_get(header, "state"), "limits");
	cr_assert_eq(json_object_get_uint64(json_object_object_get(limits, "shmmax")),
	             18446744073692774399ULL);
	json_object_put(header);
	free(buf);
}

static const char stopped[] =
	"P1: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	"P2: msgrcv(q, &m, 64, 0, 0) <unfinished ...>\n"
	"P2: msgsnd(q, {1, \"x\"}, 2, 0) = 0\n";

Test(trace_end, a_runtime_error_is_in_the_end_line)
{
	int status;
	char *buf = trace_of(stopped, TRACE_JSON, &status);
	struct json_object *end = last_line(buf), *error;

	cr_assert_eq(status, 2);
	cr_assert_not_null(end, "%s", buf);
	cr_assert_str_eq(json_object_get_string(json_object_object_get(end, "type")), "end");
	cr_assert_eq(json_object_get_int(json_object_object_get(end, "exit")), 2);
	error = json_object_object_get(end, "error");
	cr_assert_not_null(error, "no error in %s", json_object_to_json_string(end));
	cr_assert_eq(json_object_get_int(json_object_object_get(error, "line")), 3);
	cr_assert_eq(json_object_get_int(json_object_object_get(error, "col")), 1);
	cr_assert(strncmp(json_object_get_string(json_object_object_get(error, "message")),
	                  "P2 is blocked in msgrcv since line 2", 36) == 0,
	          "%s", json_object_get_string(json_object_object_get(error, "message")));
	json_object_put(end);
	free(buf);
}

Test(trace_end, a_clean_run_has_no_error)
{
	int status;
	char *buf = trace_of("P1: getpid()\n", TRACE_JSON, &status);
	struct json_object *end = last_line(buf);

	cr_assert_null(json_object_object_get(end, "error"));
	json_object_put(end);
	free(buf);
}

Test(trace_end, the_page_shows_the_error)
{
	int status;
	char *buf = trace_of(stopped, TRACE_HTML, &status);

	cr_assert_eq(status, 2);
	cr_assert(strstr(buf, "\"error\":{\"line\":3,\"col\":1,\"message\":\"P2 is blocked") != NULL);
	cr_assert(strstr(buf, "The run stopped at line ") != NULL, "trace.js does not show it");
	free(buf);
}

Test(trace_end, script_run_reports_the_error_in_its_stats)
{
	struct script_fixture_run r;

	script_fixture_run(stopped, &r);
	cr_assert_eq(r.status, 2);
	cr_assert_eq(r.stats.error_line, 3);
	cr_assert_eq(r.stats.error_col, 1);
	cr_assert(strncmp(r.stats.error, "P2 is blocked in msgrcv since line 2", 36) == 0, "%s",
	          r.stats.error);
	script_fixture_release(&r);
}
