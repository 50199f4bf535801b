/*
 * shell_words.c - how a `$` line is split into words, and which lines may
 * run at all.  One splitter for both sides of `ipcsim check`: the simulated
 * shell (shell.c) and the host's real tools (sim/host/host_shell.c) see the
 * same words.
 *
 * A deliberately small shell: words are split at blanks with sh quoting
 * ('single', "double" with \" \\ \$ \` escapes, and backslash outside
 * quotes), no variables, no globbing.  Pipes, redirections, command lists and
 * substitutions are refused instead of being half-simulated.
 *
 * shell_validate() is the list of what a scenario may run: the commands the
 * simulator imitates, on the objects it has.  It is checked when the
 * scenario is parsed, so nothing else ever reaches a real tool under
 * `ipcsim check` (a `sysctl -w kernel.core_pattern=...` as root would run a
 * program of the file's choosing on the host).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell/shell_int.h"

static int words_push(struct shell_words *w, char *word)
{
	if (w->n + 2 > w->cap) {
		int cap = w->cap ? w->cap * 2 : 8;
		char **nv = realloc(w->v, (size_t)cap * sizeof(*nv));
		if (!nv)
			return -1;
		w->v = nv;
		w->cap = cap;
	}
	w->v[w->n++] = word;
	w->v[w->n] = NULL;
	return 0;
}

void shell_words_free(struct shell_words *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = w->cap = 0;
}

/*
 * Splits line into w.  Returns 0, or -1 with *why set to a message for a
 * construct that is not simulated or a quoting error.
 */
int shell_split(const char *line, struct shell_words *w, const char **why)
{
	size_t len = strlen(line);
	char *buf = malloc(len + 1);
	const char *p = line;

	*why = "out of memory";
	if (!buf)
		return -1;
	for (;;) {
		size_t n = 0;
		int in_word = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '#') /* a comment ends the line, as in sh */
			break;
		while (*p && !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
			in_word = 1;
			if (*p == '\'') {
				const char *end = strchr(p + 1, '\'');
				if (!end) {
					*why = "unterminated ' quote";
					goto fail;
				}
				memcpy(buf + n, p + 1, (size_t)(end - p - 1));
				n += (size_t)(end - p - 1);
				p = end + 1;
			} else if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
						p++;
					else if (*p == '$' || *p == '`') {
						*why = "variables and command substitution are not simulated";
						goto fail;
					}
					buf[n++] = *p++;
				}
				if (*p != '"') {
					*why = "unterminated \" quote";
					goto fail;
				}
				p++;
			} else if (*p == '\\') {
				if (p[1] == '\0') {
					*why = "a trailing backslash";
					goto fail;
				}
				buf[n++] = p[1];
				p += 2;
			} else if (strchr("|&;<>()`$", *p)) {
				*why = "pipes, redirections, command lists and substitutions are not simulated";
				goto fail;
			} else {
				buf[n++] = *p++;
			}
		}
		if (in_word) {
			char *word = strndup(buf, n);
			if (!word || words_push(w, word) < 0) {
				free(word);
				*why = "out of memory";
				goto fail;
			}
		}
	}
	free(buf);
	return 0;
fail:
	free(buf);
	shell_words_free(w);
	return -1;
}

/* ---- what may run ------------------------------------------------------- */

/* kernel.msg*, kernel.shm*, kernel.sem*: "kernel.msgmax" or "kernel/msgmax". */
static int ipc_sysctl_name(const char *name, size_t len)
{
	static const char *const families[] = { "msg", "shm", "sem" };

	if (len < 10 || strncmp(name, "kernel", 6) != 0 || (name[6] != '.' && name[6] != '/'))
		return 0;
	for (size_t i = 0; i < 3; i++) {
		if (strncmp(name + 7, families[i], 3) != 0)
			continue;
		for (size_t j = 10; j < len; j++)
			if (!islower((unsigned char)name[j]) && name[j] != '_')
				return 0;
		return 1;
	}
	return 0;
}

/* /proc/sysvipc/{msg,shm,sem}, /proc/sys/kernel/{msg,shm,sem}*, /proc/PID/maps. */
static int ipc_proc_file(const char *path)
{
	const char *p;

	if (strcmp(path, "/proc/sysvipc/msg") == 0 || strcmp(path, "/proc/sysvipc/shm") == 0 ||
	    strcmp(path, "/proc/sysvipc/sem") == 0)
		return 1;
	if (strncmp(path, "/proc/sys/", 10) == 0)
		return ipc_sysctl_name(path + 10, strlen(path + 10));
	if (strncmp(path, "/proc/", 6) != 0 || !isdigit((unsigned char)path[6]))
		return 0;
	for (p = path + 6; isdigit((unsigned char)*p); p++)
		;
	return strcmp(p, "/maps") == 0;
}

/* sysctl's options that only print differently: -n -e -N -q -w -b. */
static int sysctl_option_ok(const char *opt)
{
	static const char *const longs[] = { "--values", "--ignore", "--names", "--quiet",
		                             "--write", "--binary", NULL };

	if (opt[1] == '-') {
		for (int i = 0; longs[i] != NULL; i++)
			if (strcmp(opt, longs[i]) == 0)
				return 1;
		return 0;
	}
	for (const char *c = opt + 1; *c != '\0'; c++)
		if (strchr("neNqwb", *c) == NULL)
			return 0;
	return opt[1] != '\0';
}

static void say(char *why, size_t whylen, const char *fmt, const char *word)
{
	snprintf(why, whylen, fmt, word);
}

int shell_validate(const char *line, char *why, size_t whylen, const char **bad)
{
	struct shell_words w = { 0 };
	const char *err;
	int first = 0, rc = -1;

	*bad = NULL;
	if (shell_split(line, &w, &err) < 0) {
		say(why, whylen, "%s", err);
		return -1;
	}
	if (w.n > 0 && strcmp(w.v[0], "sudo") == 0)
		first = 1;
	if (first >= w.n) {
		rc = 0;
		goto out;
	}
	*bad = w.v[first];
	if (strcmp(w.v[first], "ipcs") == 0 || strcmp(w.v[first], "ipcrm") == 0) {
		rc = 0; /* they act on the IPC namespace only */
	} else if (strcmp(w.v[first], "sysctl") == 0) {
		for (int i = first + 1; i < w.n; i++) {
			const char *a = w.v[i], *eq = strchr(a, '=');

			*bad = a;
			if (a[0] == '-' && !sysctl_option_ok(a)) {
				say(why, whylen, "sysctl option '%s' is not simulated (allowed: -n -e -N "
				    "-q -w -b and their long forms)", a);
				goto out;
			}
			if (a[0] != '-' && !ipc_sysctl_name(a, eq != NULL ? (size_t)(eq - a) : strlen(a))) {
				say(why, whylen, "sysctl '%s': only kernel.msg*, kernel.shm* and "
				    "kernel.sem* are simulated", a);
				goto out;
			}
		}
		rc = 0;
	} else if (strcmp(w.v[first], "cat") == 0) {
		for (int i = first + 1; i < w.n; i++) {
			*bad = w.v[i];
			if (!ipc_proc_file(w.v[i])) {
				say(why, whylen, "cat '%s': only /proc/sysvipc/{msg,shm,sem}, "
				    "/proc/sys/kernel/{msg,shm,sem}* and /proc/PID/maps are simulated",
				    w.v[i]);
				goto out;
			}
		}
		rc = 0;
	} else {
		say(why, whylen, "'%s' is not a simulated command (a `$` line runs ipcs, ipcrm, "
		    "sysctl or cat, optionally after sudo)", w.v[first]);
	}
out:
	if (rc == 0)
		*bad = NULL;
	else if (*bad != NULL)
		*bad = strstr(line, *bad) != NULL ? strstr(line, *bad) : line;
	shell_words_free(&w);
	return rc;
}
