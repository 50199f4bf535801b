/*
 * shell.c - the `$ command` lines of a scenario: word splitting and dispatch.
 *
 * A deliberately small shell: words are split at blanks with sh quoting
 * ('single', "double" with \" \\ \$ \` escapes, and backslash outside quotes),
 * no variables, no globbing.  Pipes, redirections, command lists and
 * substitutions are refused with a message and status 2 instead of being
 * half-simulated.  A leading `sudo` runs the command as root with every
 * capability, like `$ sudo CMD` in a scenario.
 *
 * The commands are ipcs, ipcrm, sysctl and cat (one file each); they run as
 * the shell process, pid 0 of the simulated kernel, whose credentials are set
 * here before every command.
 */
#include <stdlib.h>
#include <string.h>

#include "shell/shell_int.h"

struct words {
	char **v;
	int n, cap;
};

static int words_push(struct words *w, char *word)
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

static void words_free(struct words *w)
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
static int split_words(const char *line, struct words *w, const char **why)
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
	words_free(w);
	return -1;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int shell_run(struct sim_kernel *k, const struct scenario_names *names,
                     unsigned uid, unsigned gid, unsigned caps,
                     const char *cmdline, FILE *out)
{
	static const struct {
		const char *name;
		int (*main)(struct shell_ctx *sh, int argc, char **argv);
	} commands[] = {
		{ "ipcs", shell_ipcs_main },
		{ "ipcrm", shell_ipcrm_main },
		{ "sysctl", shell_sysctl_main },
		{ "cat", shell_cat_main },
	};
	struct shell_ctx sh = { k, names, uid, gid, caps, out };
	struct words w = { 0 };
	const char *why;
	int first = 0, status = 127;

	if (!k || !out)
		return 2;
	if (split_words(cmdline ? cmdline : "", &w, &why) < 0) {
		fprintf(out, "ipcsim: %s\n", why);
		return 2;
	}
	if (w.n > 0 && strcmp(w.v[0], "sudo") == 0) {
		sh.uid = sh.gid = 0;
		sh.caps = SIM_CAP_ALL;
		first = 1;
	}
	if (first >= w.n) {
		status = 0;
		goto out;
	}

	sim_shell_set_creds(k, sh.uid, sh.gid, sh.caps);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(base_name(w.v[first]), commands[i].name) == 0) {
			/* each tool names itself in its messages, whatever argv[0] says */
			status = commands[i].main(&sh, w.n - first, w.v + first);
			goto out;
		}
	}
	fprintf(out, "ipcsim: %s: command not found (the shell knows ipcs, ipcrm, sysctl, cat)\n",
	        w.v[first]);
out:
	fflush(out);
	words_free(&w);
	return status;
}
