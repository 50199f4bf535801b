/*
 * lines.c - the grader's view of scenario text: lines, comments, stems, and
 * the matching of one file's statements with another's (the key's and a
 * submission's with the variant's), so a student's added comment or output
 * line shifts nothing and a changed question line is found.
 */
#include <stdlib.h>
#include <string.h>

#include "grade/grade_int.h"

int grade_split_lines(const char *text, size_t len, char ***lines, int *n)
{
	char **out = NULL;
	int count = 0, cap = 0;
	size_t pos = 0;

	while (pos < len) {
		size_t k = 0;

		while (pos + k < len && text[pos + k] != '\n')
			k++;
		if (count == cap) {
			char **grown = realloc(out, (size_t)(cap = cap * 2 + 16) * sizeof(*grown));

			if (grown == NULL)
				goto fail;
			out = grown;
		}
		/* a NUL byte ends the line: the rest of it is no answer */
		out[count] = strndup(text + pos, k);
		if (out[count] == NULL)
			goto fail;
		{
			size_t got = strlen(out[count]);

			if (got > 0 && out[count][got - 1] == '\r')
				out[count][got - 1] = '\0';
		}
		count++;
		pos += k + 1;
	}
	*lines = out;
	*n = count;
	return 0;
fail:
	grade_free_lines(out, count);
	return -1;
}

void grade_free_lines(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

size_t grade_comment_start(const char *line)
{
	int in_str = 0;
	size_t i;

	for (i = 0; line[i] != '\0'; i++) {
		if (in_str && line[i] == '\\' && line[i + 1] != '\0')
			i++;
		else if (line[i] == '"')
			in_str = !in_str;
		else if (!in_str && line[i] == '#')
			break;
	}
	return i;
}

char *grade_squeeze(const char *line, size_t n)
{
	char *out = malloc(n + 1);
	int in_str = 0;
	size_t o = 0;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n && line[i] != '\0'; i++) {
		if (in_str && line[i] == '\\' && i + 1 < n) {
			out[o++] = line[i++];
		} else if (line[i] == '"') {
			in_str = !in_str;
		} else if (!in_str && (line[i] == ' ' || line[i] == '\t')) {
			continue;
		}
		out[o++] = line[i];
	}
	out[o] = '\0';
	return out;
}

const char *grade_output_text(const char *line)
{
	line += strspn(line, " \t");
	if (line[0] != '>')
		return NULL;
	return line + 1 + (line[1] == ' ');
}

char *grade_stem(const char *line)
{
	const char *lead = line + strspn(line, " \t");
	struct script_answer a;
	char msg[160];
	size_t end;

	if (*lead == '\0' || *lead == '#' || *lead == '>')
		return NULL;
	end = grade_comment_start(line);
	if (*lead != '$' && script_answer_parse(line, &a, msg, sizeof(msg)) == 0) {
		if (a.step)
			end = a.start;
		script_answer_release(&a);
	} else if (*lead != '$') {
		/* a result that does not parse: the stem ends at the call's result
		 * all the same, found as a student would see it */
		const char *eq = strstr(line, ") =");

		if (eq != NULL && (size_t)(eq - line) < end)
			end = (size_t)(eq - line) + 1;
	}
	return grade_squeeze(line, end);
}

static int same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The indices of the statements (non-NULL stems) of s[0..n), in *idx. */
static int statements(char *const *s, int n, int **idx)
{
	int k = 0;

	*idx = malloc(((size_t)n + 1) * sizeof(**idx));
	if (*idx == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		if (s[i] != NULL)
			(*idx)[k++] = i;
	return k;
}

int grade_match_stems(char *const *sa, int na, char *const *sb, int nb, int *match)
{
	int *ia = NULL, *ib = NULL, *len = NULL, ka, kb, rc = -1;

	for (int i = 0; i < na; i++)
		match[i] = -1;
	ka = statements(sa, na, &ia);
	kb = statements(sb, nb, &ib);
	if (ka < 0 || kb < 0)
		goto out;
	if (ka == kb) {
		int equal = 0;

		for (int i = 0; i < ka; i++)
			equal += same(sa[ia[i]], sb[ib[i]]);
		/* as many statements: position first (a changed line keeps its
		 * place among equal ones), unless most moved */
		if (equal >= ka - ka / 4) {
			for (int i = 0; i < ka; i++)
				match[ia[i]] = same(sa[ia[i]], sb[ib[i]]) ? ib[i] : -1;
			rc = 0;
			goto out;
		}
	}
	len = calloc((size_t)(ka + 1) * (size_t)(kb + 1), sizeof(*len));
	if (len == NULL)
		goto out;
#define L(i, j) len[(size_t)(i) * (size_t)(kb + 1) + (size_t)(j)]
#define SAME(i, j) same(sa[ia[i]], sb[ib[j]])
	for (int i = ka - 1; i >= 0; i--)
		for (int j = kb - 1; j >= 0; j--)
			L(i, j) = SAME(i, j) ? L(i + 1, j + 1) + 1
			        : L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
	for (int i = 0, j = 0; i < ka && j < kb;) {
		if (SAME(i, j) && L(i, j) == L(i + 1, j + 1) + 1) {
			match[ia[i++]] = ib[j++];
		} else if (L(i + 1, j) >= L(i, j + 1)) {
			i++;
		} else {
			j++;
		}
	}
#undef SAME
#undef L
	rc = 0;
out:
	free(ia);
	free(ib);
	free(len);
	return rc;
}
