/*
 * cmd_quiz.c - `ipcsim quiz TEMPLATE --seed S [-o STUDENT] [--key KEY]`:
 * a student's variant of an exercise and its answer key (sim/grade).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipcsim/grade.h"
#include "ipcsim/ipcsim.h" /* ipcsim_version */

static const char quiz_usage[] =
	"usage: ipcsim quiz TEMPLATE --seed S [-o STUDENT_FILE] [--key KEY_FILE]\n"
	"\n"
	"Makes the variant of TEMPLATE for seed S (a student id: the same seed\n"
	"gives the same variant on every machine and version) and writes the\n"
	"student's file, with its holes (= ?, ? in a result, > ?) and a header\n"
	"naming the template and the seed, to STUDENT_FILE (default: standard\n"
	"output), and with --key the answer key: the variant with every result\n"
	"computed by the simulator.  `param` lines and ${...} are described in\n"
	"docs/scenario-language.md.\n"
	"\n"
	"  --seed S      the seed (any text without '\"'; required)\n"
	"  -o FILE       the student's file\n"
	"  --key FILE    the answer key\n"
	"\n%s";

/* "dir/msgrcv_table.scn" -> "msgrcv_table"; "msgrcv_table/template.scn"
 * and "block_and_wake/checks.scn" -> the folder's name (an exercise's
 * folder names it); malloc'd. */
char *cli_template_name(const char *path)
{
	char *full = cli_is_stdin(path) ? NULL : realpath(path, NULL), *name;
	const char *p = full != NULL ? full : path, *base = strrchr(p, '/');
	size_t n;

	if (base != NULL && base > p &&
	    (strcmp(base + 1, "template.scn") == 0 || strcmp(base + 1, "checks.scn") == 0)) {
		const char *dir = base;

		while (dir > p && dir[-1] != '/')
			dir--;
		name = strndup(dir, (size_t)(base - dir));
		free(full);
		return name;
	}
	base = base != NULL ? base + 1 : p;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".scn") == 0)
		n -= 4;
	name = strndup(base, n);
	free(full);
	return name;
}

struct grade_exercise *cli_load_exercise(const char *path, const char *seed,
                                         const struct cli_limits *lim, FILE *err)
{
	size_t len;
	char *text = cli_read_input(path, &len), *name = cli_template_name(path);
	struct grade_exercise *x = NULL;

	if (text == NULL) {
		fprintf(err, "%s: error: cannot read the template\n", cli_input_name(path));
	} else if (name != NULL) {
		x = grade_exercise_new(name, cli_input_name(path), text, len, seed, ipcsim_version(),
		                       &lim->script, err);
	}
	free(text);
	free(name);
	return x;
}

static int write_text(const char *path, const char *text)
{
	struct cli_output out;

	if (cli_output_open(&out, path, "quiz") < 0)
		return 2;
	fputs(text, out.f);
	return cli_output_finish(&out, 0, "quiz");
}

int cli_quiz(int argc, char **argv)
{
	const char *tpl = NULL, *seed = NULL, *student = NULL, *key = NULL;
	struct grade_exercise *x;
	struct cli_limits lim;
	int rc, lim_rc;

	cli_limits_default(&lim);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf(quiz_usage, cli_limits_usage);
			return 0;
		} else if ((lim_rc = cli_limits_option(&lim, argc, argv, &i, "quiz")) != 0) {
			if (lim_rc < 0)
				return 2;
		} else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			seed = argv[++i];
		} else if (strncmp(argv[i], "--seed=", 7) == 0) {
			seed = argv[i] + 7;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			student = argv[++i];
		} else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
			key = argv[++i];
		} else if ((argv[i][0] == '-' && argv[i][1] != '\0') || tpl != NULL) {
			fprintf(stderr, "ipcsim quiz: unexpected '%s'\n\n", argv[i]);
			fprintf(stderr, quiz_usage, cli_limits_usage);
			return 2;
		} else {
			tpl = argv[i];
		}
	}
	if (tpl == NULL || seed == NULL) {
		fprintf(stderr, quiz_usage, cli_limits_usage);
		return 2;
	}
	cli_limits_apply(&lim, "quiz");
	x = cli_load_exercise(tpl, seed, &lim, stderr);
	if (x == NULL)
		return 2;
	rc = write_text(student, grade_exercise_student(x));
	if (rc == 0 && key != NULL)
		rc = write_text(key, grade_exercise_key(x));
	grade_exercise_free(&x);
	return rc;
}
