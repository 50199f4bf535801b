/*
 * cmd_grade.c - `ipcsim grade --key TEMPLATE SUBMISSION...`: each
 * submission graded against the variant its header names, with feedback,
 * and the reports autograders and instructors read (sim/grade).
 *
 * Nothing of a submission runs, so no submission can stop, slow or crash
 * the grading of another; the template's key runs on the simulator once
 * per seed, under the --max-* limits (a key stopped by them, or by
 * --max-time, is an infrastructure error for that submission, not a score).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ipcsim/grade.h"

static const char grade_usage[] =
	"usage: ipcsim grade --key TEMPLATE [OPTIONS] SUBMISSION...\n"
	"       ipcsim grade --check CHECKS [OPTIONS] SUBMISSION...\n"
	"       ipcsim grade --check CHECKS [OPTIONS] --exec [EXEC OPTIONS] -- COMMAND [ARGS]\n"
	"\n"
	"Grades each SUBMISSION (a student's file made by `ipcsim quiz`) against\n"
	"the variant of TEMPLATE for the seed its first line names: per hole the\n"
	"points, the answer, the right answer and why.  Prints a line per hole,\n"
	"`Score: n/m` per submission and `N passed, N failed` (or TAP).  A\n"
	"submission that does not parse loses only the questions it garbles; a\n"
	"changed question line gets no points for that question.\n"
	"\n"
	"With --check (a write exercise) each SUBMISSION is the student's own\n"
	"steps: it runs on the simulator, in a process of its own, under the\n"
	"--max-* limits, then the checks of CHECKS (lines with expectations,\n"
	"`forbid CALL...`, `blocked PROC CALL`), each worth its points.\n"
	"\n"
	"With --exec the submission is a program: COMMAND runs under `ipcsim exec`\n"
	"(its options, such as --timeout, --limit, --max-procs, --deterministic,\n"
	"come after --exec), its calls are recorded as a scenario, and that record\n"
	"is graded as the student's steps: the checks see its processes (named\n"
	"after their programs) and what the program left.  A deadlock is graded;\n"
	"a --timeout stop is not (exit 1).  The program's own output is not shown.\n"
	"\n"
	"  --key TEMPLATE        the exercise's template (or a plain scenario with holes)\n"
	"  --check CHECKS        a write exercise's checks\n"
	"  --seed S              the seed of submissions without a header\n"
	"  --tap                 TAP 13 on standard output instead of the text\n"
	"  --gradescope FILE     Gradescope results.json (one submission)\n"
	"  --prairielearn FILE   PrairieLearn results.json (one submission)\n"
	"  --junit FILE          JUnit XML: a testsuite per submission\n"
	"  --csv FILE            a row per submission: seed, score, points per question\n"
	"  --items FILE          item analysis: share right per hole, common wrong answers\n"
	"  --exec ... -- COMMAND with --check: grade COMMAND's run (the last option)\n"
	"\n"
	"Exit status: 0 every submission graded, 1 some could not be (no header,\n"
	"unreadable, the key stopped by a limit), 2 bad usage or template.\n"
	"\n%s";

struct grade_opts {
	const char *key, *check, *seed, *gradescope, *prairielearn, *junit, *csv, *items;
	int tap;
	int exec_at; /* argv index of --exec, or 0 */
};

struct seed_cache {
	char *seed;
	struct grade_exercise *x;
};

/* The exercise of seed, made once. */
static struct grade_exercise *exercise_for(struct seed_cache **cache, int *n, const char *tpl,
                                           const char *seed, const struct cli_limits *lim,
                                           int *template_bad)
{
	struct seed_cache *grown;
	struct grade_exercise *x;

	for (int i = 0; i < *n; i++)
		if (strcmp((*cache)[i].seed, seed) == 0)
			return (*cache)[i].x;
	x = cli_load_exercise(tpl, seed, lim, stderr);
	if (x == NULL) {
		*template_bad = 1;
		return NULL;
	}
	grown = realloc(*cache, (size_t)(*n + 1) * sizeof(*grown));
	if (grown == NULL) {
		grade_exercise_free(&x);
		return NULL;
	}
	*cache = grown;
	grown[*n].seed = strdup(seed);
	grown[*n].x = x;
	if (grown[*n].seed == NULL) {
		grade_exercise_free(&x);
		return NULL;
	}
	(*n)++;
	return x;
}

static struct grade_result *grade_one(const struct grade_opts *o, const char *path,
                                      struct seed_cache **cache, int *ncache,
                                      const struct cli_limits *lim, int *template_bad)
{
	size_t len;
	char *text = cli_read_input(path, &len), *seed;
	struct grade_result *r;
	struct grade_exercise *x;

	if (text == NULL)
		return grade_result_error(path, "cannot read the file");
	seed = grade_header_seed(text, len);
	if (seed == NULL && o->seed != NULL)
		seed = strdup(o->seed);
	if (seed == NULL) {
		free(text);
		return grade_result_error(path, "no '# ipcsim quiz:' first line naming the seed "
		                          "(the student's file from `ipcsim quiz`), and no --seed");
	}
	x = exercise_for(cache, ncache, o->key, seed, lim, template_bad);
	r = x != NULL ? grade_submission(x, path, text, len)
	              : grade_result_error(path, "no key for seed \"%s\": the template's run "
	                                   "failed (see the errors above)", seed);
	free(seed);
	free(text);
	return r;
}

/*
 * A write submission graded in a child process: what runs is the student's,
 * so its memory (RLIMIT_AS, --max-memory) and any crash stay there; the
 * result comes back over a pipe.  A child that dies is an infrastructure
 * error for that file alone.
 */
struct grade_result *cli_grade_write(const struct grade_checks *c, const char *name,
                                     const char *path, const struct cli_limits *lim)
{
	int fd[2], status;
	pid_t pid;
	FILE *in;
	struct grade_result *r;

	fflush(NULL);
	if (pipe(fd) < 0)
		return grade_result_error(name, "cannot grade: pipe failed");
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return grade_result_error(name, "cannot grade: fork failed");
	}
	if (pid == 0) {
		size_t len;
		char *text = cli_read_input(path, &len);
		FILE *out = fdopen(fd[1], "w");
		struct grade_result *res;

		close(fd[0]);
		res = text != NULL ? grade_write_submission(c, name, text, len, &lim->script)
		                   : grade_result_error(name, "cannot read the file");
		_exit(res == NULL || out == NULL || grade_result_write(out, res) < 0 || fclose(out) != 0
		      ? 3 : 0);
	}
	close(fd[1]);
	in = fdopen(fd[0], "r");
	r = in != NULL ? grade_result_read(in, grade_checks_questions(c), grade_checks_count(c)) : NULL;
	if (in != NULL)
		fclose(in);
	else
		close(fd[0]);
	while (waitpid(pid, &status, 0) < 0)
		;
	if (r != NULL && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return r;
	grade_result_free(&r);
	if (WIFSIGNALED(status))
		return grade_result_error(name, "the grading of this file died of signal %d "
		                          "(out of memory under --max-memory?): not graded",
		                          WTERMSIG(status));
	return grade_result_error(name, "the grading of this file failed (status %d): not graded",
	                          WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* The file starts with the `# ipcsim key:` line quiz writes. */
static int is_key_file(const char *path)
{
	char line[16] = "";
	FILE *f = cli_is_stdin(path) ? NULL : fopen(path, "r");

	if (f == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	return strncmp(line, "# ipcsim key:", 13) == 0;
}

static int report_to(const char *path, int (*fn)(FILE *, const struct grade_class *),
                     const struct grade_class *c)
{
	struct cli_output out;

	if (path == NULL)
		return 0;
	if (cli_output_open(&out, path, "grade") < 0)
		return 2;
	return cli_output_finish(&out, fn(out.f, c) < 0 ? 2 : 0, "grade");
}

static int report_one(const char *path, int (*fn)(FILE *, const struct grade_result *),
                      const struct grade_class *c)
{
	struct cli_output out;

	if (path == NULL)
		return 0;
	if (c->nresults != 1) {
		fprintf(stderr, "ipcsim grade: --gradescope and --prairielearn take one submission\n");
		return 2;
	}
	if (cli_output_open(&out, path, "grade") < 0)
		return 2;
	return cli_output_finish(&out, fn(out.f, c->results[0]) < 0 ? 2 : 0, "grade");
}

static int parse_args(int argc, char **argv, struct grade_opts *o, struct cli_limits *lim,
                      char ***subs, int *nsubs)
{
	static const struct { const char *name; size_t off; } files[] = {
		{ "--key", offsetof(struct grade_opts, key) },
		{ "--check", offsetof(struct grade_opts, check) },
		{ "--seed", offsetof(struct grade_opts, seed) },
		{ "--gradescope", offsetof(struct grade_opts, gradescope) },
		{ "--prairielearn", offsetof(struct grade_opts, prairielearn) },
		{ "--junit", offsetof(struct grade_opts, junit) },
		{ "--csv", offsetof(struct grade_opts, csv) },
		{ "--items", offsetof(struct grade_opts, items) },
	};
	int lim_rc;

	*subs = calloc((size_t)argc, sizeof(**subs));
	if (*subs == NULL)
		return 2;
	for (int i = 1; i < argc; i++) {
		int known = 0;

		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf(grade_usage, cli_limits_usage);
			return 0;
		}
		if ((lim_rc = cli_limits_option(lim, argc, argv, &i, "grade")) != 0) {
			if (lim_rc < 0)
				return 2;
			continue;
		}
		if (strcmp(argv[i], "--tap") == 0) {
			o->tap = 1;
			continue;
		}
		if (strcmp(argv[i], "--exec") == 0) {
			o->exec_at = i; /* the rest is exec's */
			break;
		}
		for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++)
			if (strcmp(argv[i], files[f].name) == 0 && i + 1 < argc) {
				*(const char **)((char *)o + files[f].off) = argv[++i];
				known = 1;
			}
		if (known)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "ipcsim grade: unexpected '%s'\n\n", argv[i]);
			fprintf(stderr, grade_usage, cli_limits_usage);
			return 2;
		}
		(*subs)[(*nsubs)++] = argv[i];
	}
	if (o->exec_at > 0 && (o->check == NULL || *nsubs > 0)) {
		fprintf(stderr, "ipcsim grade: --exec grades one program with --check CHECKS, and "
		        "takes no submission files\n");
		return 2;
	}
	if ((o->key == NULL) == (o->check == NULL) || (*nsubs == 0 && o->exec_at == 0)) {
		fprintf(stderr, grade_usage, cli_limits_usage);
		return 2;
	}
	return -1;
}

int cli_grade(int argc, char **argv)
{
	struct grade_opts o = { 0 };
	struct cli_limits lim;
	struct seed_cache *cache = NULL;
	struct grade_checks *checks = NULL;
	struct grade_class c = { 0 };
	struct cli_exec_args ea = { 0 };
	char **subs = NULL, *name = NULL;
	int nsubs = 0, ncache = 0, rc, template_bad = 0, infra = 0, cmd = 0;

	cli_limits_default(&lim);
	rc = parse_args(argc, argv, &o, &lim, &subs, &nsubs);
	if (rc >= 0)
		goto out;
	if (o.exec_at > 0) {
		cmd = cli_exec_parse(argc - o.exec_at, argv + o.exec_at, &ea);
		rc = cmd < 0 ? 2 : 0;
		if (cmd <= 0)
			goto out;
		cmd += o.exec_at;
		nsubs = 1;
	}
	cli_limits_apply(&lim, "grade");
	rc = 2;
	if (o.key != NULL && is_key_file(o.key)) {
		fprintf(stderr, "ipcsim grade: %s is an answer key (its first line says so); --key "
		        "takes the template it was made from (the exercise's template.scn), whose "
		        "holes say what to grade\n", o.key);
		goto out;
	}
	name = cli_template_name(o.key != NULL ? o.key : o.check);
	c.results = calloc((size_t)nsubs, sizeof(*c.results));
	if (name == NULL || c.results == NULL)
		goto out;
	c.exercise = name;
	if (o.check != NULL) {
		size_t len;
		char *text = cli_read_input(o.check, &len);

		if (text == NULL)
			fprintf(stderr, "%s: error: cannot read the checks\n", cli_input_name(o.check));
		else
			checks = grade_checks_new(name, cli_input_name(o.check), text, len, stderr);
		free(text);
		if (checks == NULL)
			goto out;
	}
	for (int i = 0; i < nsubs; i++) {
		c.results[i] = cmd > 0 ? cli_grade_exec(checks, &ea, argv + cmd, &lim)
		             : checks != NULL ? cli_grade_write(checks, subs[i], subs[i], &lim)
		             : grade_one(&o, subs[i], &cache, &ncache, &lim, &template_bad);
		if (c.results[i] == NULL) {
			fprintf(stderr, "ipcsim grade: out of memory\n");
			goto out;
		}
		c.nresults++;
		infra |= c.results[i]->infra_error;
	}
	if (template_bad && ncache == 0)
		goto out; /* the template itself is broken: its errors are above */
	rc = o.tap ? grade_report_tap(stdout, &c) : grade_report_text(stdout, &c);
	rc = rc < 0 ? 2 : infra ? 1 : 0;
	int r2 = report_one(o.gradescope, grade_report_gradescope, &c);
	int r3 = report_one(o.prairielearn, grade_report_prairielearn, &c);
	int r4 = report_to(o.junit, grade_report_junit, &c);
	int r5 = report_to(o.csv, grade_report_csv, &c);
	int r6 = report_to(o.items, grade_report_items, &c);

	if (r2 | r3 | r4 | r5 | r6)
		rc = 2;
out:
	for (int i = 0; i < c.nresults; i++)
		grade_result_free(&c.results[i]);
	free(c.results);
	for (int i = 0; i < ncache; i++) {
		free(cache[i].seed);
		grade_exercise_free(&cache[i].x);
	}
	free(cache);
	grade_checks_free(&checks);
	cli_exec_args_free(&ea);
	free(subs);
	free(name);
	return rc;
}
