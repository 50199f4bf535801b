/*
 * cmd_check.c - `ipcsim check FILE... [--all] [--json] [--verbose] [--strict]`:
 * each scenario on the simulator and on the host kernel in lock step
 * (ipcsim/compare.h), then `ok` or the first divergence per scenario and
 * `N passed, N failed`.  Exit 0 only when no scenario diverged or failed.
 * The host side's isolation (ipcsim/host.h) is said once, on standard
 * error (in the JSON document with --json).
 */
#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipcsim/compare.h"
#include "ipcsim/host.h"
#include "ipcsim/script.h"

static const char check_usage[] =
	"usage: ipcsim check FILE... [--all] [--json] [--verbose] [--strict]\n"
	"\n"
	"Runs each scenario on the simulator and on the host kernel (real syscalls,\n"
	"one real child per scenario process, in a private IPC namespace), step by\n"
	"step, and compares every result, every wake-up and every `$` command's\n"
	"output.  Pids and keys are mapped between the two; times are compared as\n"
	"unset / set / later-than.  For each scenario it prints `ok`, or the first\n"
	"divergence: the line, the call, both results and `ipcs -q` of both sides.\n"
	"Steps the host cannot run faithfully (a capability it cannot grant, a uid\n"
	"a user namespace cannot hold) are reported as skipped, never as agreed;\n"
	"a scenario using a simulator-only model (limit msgpool/msgssz) is skipped.\n"
	"\n"
	"  --all       keep comparing after the first divergence\n"
	"  --json      one JSON document on standard output, for tools\n"
	"  --verbose   also print each run, step by step (the simulator's results)\n"
	"  --strict    a skipped scenario counts as failed\n"
	"\n"
	"The host side is a sandbox: its own user (where the machine allows; no id\n"
	"in it is host root), PID, IPC, UTS, network, mount and cgroup namespaces, a\n"
	"read-only view of the tools' files, /proc/sys read-only but the IPC\n"
	"namespace's kernel.msg*/shm*/sem*, capabilities cut to the IPC calls', a\n"
	"seccomp filter, cgroup or rlimit limits; the first line on standard error\n"
	"says which.  A budget (256 processes, 1,000,000 semaphores, 256 MiB of\n"
	"shared memory, 256 MiB or 1,000,000 queued messages, 120 s) is enforced on\n"
	"the simulator: a step past it is not run on the host (STOPPED, exit 2).\n"
	"IPCSIM_CHECK_NO_USERNS=1: no user namespace (root; the rest still applies).\n"
	"Needs root, or else unprivileged user namespaces (then only the caller's\n"
	"own uid exists on the host side, as uid 1000).\n"
	"\n"
	"exit status: 0 every scenario agreed (or was skipped), 1 some diverged,\n"
	"2 malformed scenario, stopped by the budget, or the host backend could not\n"
	"run\n";

struct check_flags {
	int all, json, verbose, strict;
};

struct check_totals {
	int passed, failed, skipped;
	char *isolation; /* the first host backend's (malloc'd) */
};

/* Runs one scenario in lock step; reports it; returns its exit contribution. */
static int check_one(const char *path, const struct check_flags *f, struct json_object *arr,
                     struct check_totals *t)
{
	const char *nouserns = getenv("IPCSIM_CHECK_NO_USERNS");
	struct backend_host_options ho = {
		.allow_userns = 1,
		.no_userns = nouserns != NULL && nouserns[0] != '\0' && strcmp(nouserns, "0") != 0,
		.wall_ms = IPCSIM_BUDGET_WALL_MS + IPCSIM_BUDGET_WALL_GRACE_MS,
	};
	struct compare_options co = { .all = f->all };
	struct script_options o = { 0 };
	struct backend *sim = NULL, *host = NULL, *cmp = NULL;
	struct script *s;
	char herr[256], *errbuf = NULL;
	size_t errlen = 0;
	FILE *errw = NULL, *devnull = NULL;
	const char *v;
	int rc = 2, src;

	s = cli_load_script(path, stderr);
	if (s == NULL) {
		t->failed++;
		return 2;
	}
	host = backend_host_new(&ho, herr, sizeof(herr));
	if (host == NULL) {
		fprintf(stderr, "ipcsim check: %s: the host backend cannot start: %s\n", path, herr);
		t->failed++;
		goto out_free;
	}
	if (t->isolation == NULL && backend_host_isolation(host) != NULL) {
		t->isolation = strdup(backend_host_isolation(host));
		if (t->isolation != NULL && !f->json)
			fprintf(stderr, "isolation: %s\n", t->isolation);
	}
	sim = backend_sim_new();
	cmp = backend_compare_new(&sim, &host, &co);
	errw = open_memstream(&errbuf, &errlen);
	devnull = f->verbose ? NULL : fopen("/dev/null", "w");
	if (cmp == NULL || errw == NULL || (!f->verbose && devnull == NULL)) {
		fprintf(stderr, "ipcsim check: out of memory\n");
		t->failed++;
		goto out_free;
	}
	o.out = f->verbose ? (f->json ? stderr : stdout) : devnull;
	o.err = errw;
	o.backend = cmp;
	o.quiet_summary = 1;
	if (f->verbose && !f->json)
		printf("# %s\n", path);
	fflush(stdout);
	src = script_run(s, &o, NULL);
	fclose(errw);
	errw = NULL;
	v = compare_verdict(backend_compare_report(cmp), src);
	if (f->json)
		compare_report_json(arr, path, backend_compare_report(cmp), src, errbuf);
	else
		compare_report_print(stdout, path, backend_compare_report(cmp), src, errbuf);
	fflush(stdout);
	if (strcmp(v, "ok") == 0) {
		t->passed++;
		rc = 0;
	} else if (strcmp(v, "skipped") == 0) {
		t->skipped++;
		rc = f->strict ? 1 : 0;
	} else {
		t->failed++;
		rc = strcmp(v, "diverged") == 0 ? 1 : 2;
	}

out_free:
	if (errw != NULL)
		fclose(errw);
	if (devnull != NULL)
		fclose(devnull);
	free(errbuf);
	backend_free(&cmp);
	backend_free(&sim);
	backend_free(&host);
	script_free(&s);
	return rc;
}

int cli_check(int argc, char **argv)
{
	struct check_flags f = { 0 };
	struct check_totals t = { 0 };
	struct json_object *doc = NULL, *arr = NULL;
	int worst = 0, nfiles = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(check_usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--all") == 0) {
			f.all = 1;
		} else if (strcmp(argv[i], "--json") == 0) {
			f.json = 1;
		} else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			f.verbose = 1;
		} else if (strcmp(argv[i], "--strict") == 0) {
			f.strict = 1;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "ipcsim check: unknown option '%s'\n\n%s", argv[i], check_usage);
			return 2;
		} else {
			nfiles++;
		}
	}
	if (nfiles == 0) {
		fputs(check_usage, stderr);
		return 2;
	}
	if (f.json && ((doc = json_object_new_object()) == NULL ||
	               (arr = json_object_new_array()) == NULL)) {
		json_object_put(doc);
		fprintf(stderr, "ipcsim check: out of memory\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int rc;

		if (argv[i][0] == '-' && argv[i][1] != '\0')
			continue;
		rc = check_one(argv[i], &f, arr, &t);
		if (rc > worst)
			worst = rc;
	}
	if (f.json) {
		json_object_object_add(doc, "version", json_object_new_int(1));
		json_object_object_add(doc, "isolation", t.isolation != NULL
		                                         ? json_object_new_string(t.isolation)
		                                         : NULL);
		json_object_object_add(doc, "scenarios", arr);
		json_object_object_add(doc, "passed", json_object_new_int(t.passed));
		json_object_object_add(doc, "failed", json_object_new_int(t.failed));
		json_object_object_add(doc, "skipped", json_object_new_int(t.skipped));
		puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
		                                                 JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	} else if (t.skipped > 0) {
		printf("%d passed, %d failed, %d skipped\n", t.passed, t.failed, t.skipped);
	} else {
		printf("%d passed, %d failed\n", t.passed, t.failed);
	}
	free(t.isolation);
	return worst;
}
