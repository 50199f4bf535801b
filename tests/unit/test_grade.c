/*
 * test_grade.c - the exercise generator (published FNV-1a and SplitMix64
 * vectors, so it never drifts), templates (draws, errors, a template
 * without parameters unchanged), the variety of variants, and reading a
 * result with holes.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/grade.h"
#include "ipcsim/script.h"

/* FNV-1a 64 test vectors of the algorithm's authors (isthe.com/chongo/tech/comp/fnv). */
Test(grade_rng, fnv1a64_matches_the_published_vectors)
{
	cr_assert_eq(grade_fnv1a64("", 0), 0xcbf29ce484222325ULL);
	cr_assert_eq(grade_fnv1a64("a", 1), 0xaf63dc4c8601ec8cULL);
	cr_assert_eq(grade_fnv1a64("foobar", 6), 0x85944171f73967e8ULL);
}

/* SplitMix64 from state 0: the reference implementation's first outputs. */
Test(grade_rng, splitmix64_matches_the_reference_from_zero)
{
	uint64_t s = 0;

	cr_assert_eq(grade_splitmix64(&s), 0xe220a8397b1dcdafULL);
	cr_assert_eq(grade_splitmix64(&s), 0x6e789e6aa1b965f4ULL);
	cr_assert_eq(grade_splitmix64(&s), 0x06c45d188009454fULL);
}

Test(grade_rng, uniform_stays_in_range_and_reaches_every_value)
{
	uint64_t s = 42;
	int seen[7] = { 0 };

	for (int i = 0; i < 700; i++) {
		uint64_t v = grade_uniform(&s, 7);

		cr_assert_lt(v, 7);
		seen[v]++;
	}
	for (int i = 0; i < 7; i++)
		cr_assert_gt(seen[i], 50, "value %d drawn %d times of 700", i, seen[i]);
	cr_assert_eq(grade_uniform(&s, 1), 0);
}

static char *inst(const char *text, const char *seed)
{
	size_t len;
	FILE *err = fopen("/dev/null", "w");
	char *out = grade_template_instantiate("t.scn", text, strlen(text), seed, &len, err);

	fclose(err);
	return out;
}

Test(grade_template, without_params_is_unchanged)
{
	const char *text = "P1: q = msgget(IPC_PRIVATE, 0600) = ?\n# a comment\n$ ipcs -q\n";
	char *out = inst(text, "anyone");

	cr_assert_str_eq(out, text);
	free(out);
}

/* The golden vector of the generator: seed "alice" draws, in order,
 * uniform(3) for choice, uniform(6) for range(1, 6), and Fisher-Yates
 * uniform(3), uniform(2) for a permutation of three.  Worked out from the
 * SplitMix64 state FNV-1a("alice"); any change of the generator breaks it. */
Test(grade_template, seed_gives_the_same_draws_as_the_generator)
{
	uint64_t s = grade_fnv1a64("alice", 5);
	long long choice[] = { 100, 200, 300 };
	long long c = choice[grade_uniform(&s, 3)];
	long long r = 1 + (long long)grade_uniform(&s, 6);
	long long p[] = { 1, 2, 3 }, t;
	char want[128], *out;
	int j;

	j = (int)grade_uniform(&s, 3); t = p[2]; p[2] = p[j]; p[j] = t;
	j = (int)grade_uniform(&s, 2); t = p[1]; p[1] = p[j]; p[j] = t;
	snprintf(want, sizeof(want), "%lld %lld %lld,%lld,%lld 0%llo 0x%llx\n", c, r, p[0], p[1],
	         p[2], c + r, c * 2);
	out = inst("param C = choice(100, 200, 300)\nparam R = range(1, 6)\n"
	           "param P = permutation(1, 2, 3)\nparam D = C + R\n"
	           "${C} ${R} ${P[0]},${P[1]},${P[2]} ${D:o} ${E:x}\n", "alice");
	cr_assert_null(out, "E is not defined: an error");
	out = inst("param C = choice(100, 200, 300)\nparam R = range(1, 6)\n"
	           "param P = permutation(1, 2, 3)\nparam D = C + R\nparam E = C * 2\n"
	           "${C} ${R} ${P[0]},${P[1]},${P[2]} ${D:o} ${E:x}\n", "alice");
	cr_assert_not_null(out);
	cr_assert_str_eq(out, want);
	free(out);
}

Test(grade_template, errors_name_line_and_column)
{
	const char *bad[] = {
		"param X = choice()\n", "param X = range(5, 1)\n", "param X = Y + 1\n",
		"param X = choice(1, 2)\nparam X = choice(3)\n", "${X}\n",
		"param L = permutation(1, 2)\n${L[2]}\n", "param X = 1 / 0\n",
		"param X = choice(1, 2\n", "param L = permutation(1, 2)\nparam Y = L + 1\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *buf = NULL;
		size_t len = 0, n;
		FILE *err = open_memstream(&buf, &len);
		char *out = grade_template_instantiate("t.scn", bad[i], strlen(bad[i]), "s", &n, err);

		fclose(err);
		cr_assert_null(out, "accepted: %s", bad[i]);
		cr_assert(strncmp(buf, "t.scn:", 6) == 0 && strstr(buf, ": error: ") != NULL &&
		          strchr(buf, '^') != NULL, "diagnostic for %s: %s", bad[i], buf);
		free(buf);
	}
}

/* 100 seeds of the msgrcv-table exercise give at least 30 different keys. */
Test(grade_exercise, hundred_seeds_give_thirty_keys)
{
	FILE *f = fopen("scenarios/exercises/msgrcv_table/template.scn", "r");
	char text[8192], *keys[100];
	size_t len;
	int distinct = 0;

	cr_assert_not_null(f);
	len = fread(text, 1, sizeof(text), f);
	fclose(f);
	for (int i = 0; i < 100; i++) {
		char seed[16];
		struct grade_exercise *x;
		const char *k;

		snprintf(seed, sizeof(seed), "student%d", i);
		x = grade_exercise_new("msgrcv_table", "t.scn", text, len, seed, "test", NULL, stderr);
		cr_assert_not_null(x);
		k = strchr(grade_exercise_key(x), '\n'); /* the header names the seed */
		keys[i] = strdup(k);
		grade_exercise_free(&x);
		cr_assert_null(x);
		for (int j = 0; j < i; j++)
			if (strcmp(keys[j], keys[i]) == 0)
				goto dup;
		distinct++;
dup:;
	}
	cr_assert_geq(distinct, 30, "%d distinct keys", distinct);
	for (int i = 0; i < 100; i++)
		free(keys[i]);
}

Test(grade_answer, reads_holes_inside_results)
{
	struct script_answer a;
	char msg[160];

	cr_assert_eq(script_answer_parse("P2: msgrcv(q, &m, 512, -300, 0) = ? {?, \"x=)\"}  # c",
	                                 &a, msg, sizeof(msg)), 0);
	cr_assert_eq(a.kind, SCRIPT_ANS_RESULT);
	cr_assert_eq(a.ret->kind, SCRIPT_A_HOLE);
	cr_assert_eq(a.payload->nitems, 2);
	cr_assert_eq(a.payload->items[0]->kind, SCRIPT_A_HOLE);
	cr_assert_str_eq(a.payload->items[1]->bytes, "x=)");
	script_answer_release(&a);
	cr_assert_eq(script_answer_parse("P1: msgctl(q, IPC_STAT, &ds) = 0 {msg_perm.mode=?}", &a,
	                                 msg, sizeof(msg)), 0);
	cr_assert_str_eq(a.payload->items[0]->field, "msg_perm.mode");
	script_answer_release(&a);
	cr_assert_eq(script_answer_parse("P1: x = msgsnd(q, {1, \"a = b\"}, 2, 0) = -1 EAGAIN (x)",
	                                 &a, msg, sizeof(msg)), 0);
	cr_assert_eq(a.ret->ival, -1);
	cr_assert_str_eq(a.err->bytes, "EAGAIN");
	cr_assert_str_eq(a.head, "-1 EAGAIN");
	script_answer_release(&a);
	cr_assert_gt(script_answer_parse("P1: msgrcv(q, &m, 1, 0, 0) = 6 {1, \"x}", &a, msg,
	                                 sizeof(msg)), 0);
	cr_assert_gt(script_answer_parse("P1: msgrcv(q, &m, 1, 0, 0) = 6 {1 2}", &a, msg,
	                                 sizeof(msg)), 0);
	cr_assert_eq(script_answer_parse("show", &a, msg, sizeof(msg)), 0);
	cr_assert_eq(a.step, 0);
}
