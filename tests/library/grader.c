/* grader.c - an outside program that links libipcsim (tests/library/check_library.sh):
 * it grades a student's scenario and has its own `eval` and `parse_line`. */
#define _POSIX_C_SOURCE 200809L /* open_memstream: the program's choice, not the headers' */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ipcsim/ipcsim.h>

/* Names the library uses inside: hidden there, so these are the program's own. */
int eval(int answer) { return answer == 2 ? 1 : 0; }
const char *parse_line(const char *s) { return strchr(s, '\n') ? "several lines" : "one line"; }

static const char answer[] = /* line 5 expects 3 bytes: "hi" is 2, so 6 passed, 1 failed */
	"P1: q = msgget(IPC_PRIVATE, IPC_CREAT | 0600) = 0\n"
	"P1: msgsnd(q, {1, \"hi\"}, 2, 0) = 0\n"
	"P1: msgsnd(q, {2, \"there\"}, 5, 0) = 0\n"
	"P1: msgrcv(q, &m, 8, 2, 0) = 5 {2, \"there\"}\n"
	"P1: msgrcv(q, &m, 8, 0, IPC_NOWAIT) = 3 {1, \"hi\"}\n"
	"P1: msgrcv(q, &m, 8, 0, IPC_NOWAIT) = -1 ENOMSG (No message of desired type)\n"
	"P1: msgctl(q, IPC_RMID, NULL) = 0\n";

int main(void)
{
	char *log = NULL;
	size_t loglen = 0;
	FILE *out = open_memstream(&log, &loglen);
	struct script *s = script_parse("answer.scn", answer, strlen(answer), stderr);
	struct script_options o = { .out = out, .err = out };
	struct script_stats st = { 0 };
	int rc = s && out ? script_run(s, &o, &st) : -1;
	if (out)
		fclose(out);
	printf("ipcsim %s (headers %s): rc %d, %d passed, %d failed, %d steps; eval %d, %s\n",
	       ipcsim_version(), IPCSIM_VERSION, rc, st.passed, st.failed, st.steps,
	       eval(st.failed + 1), parse_line(answer));
	int ok = rc == SCRIPT_EXIT_FAILED && st.passed == 6 && st.failed == 1 && st.steps == 7 &&
	         log && strstr(log, "answer.scn:5:") && strstr(log, "6 passed, 1 failed\n");
	script_free(&s);
	free(log);
	return ok ? 0 : 1;
}
