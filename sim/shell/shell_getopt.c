/*
 * shell_getopt.c - GNU getopt_long for the simulated shell commands.
 *
 * ipcs, ipcrm and sysctl parse their arguments with glibc's getopt_long, and
 * users meet its behaviour: options and operands mix freely (`ipcrm -a sem`
 * removes everything and only then complains about "sem"), long options may
 * be abbreviated (`ipcs --qu`), and its error messages are part of what the
 * tools print.  This is that algorithm (glibc posix/getopt.c, default
 * PERMUTE ordering) with its state in a struct instead of globals, so that
 * one process can run many shells.
 */
#include <string.h>

#include "shell/shell_int.h"

void shell_getopt_init(struct shell_getopt *g, int argc, char **argv, const char *prog,
                       const char *shortopts, const struct shell_longopt *longopts,
                       FILE *err)
{
	memset(g, 0, sizeof(*g));
	g->argc = argc;
	g->argv = argv;
	g->prog = prog;
	g->shortopts = shortopts;
	g->longopts = longopts;
	g->optind = 1;
	g->first_nonopt = g->last_nonopt = 1;
	g->err = err;
}

static int is_nonoption(const char *s)
{
	return s[0] != '-' || s[1] == '\0';
}

/* glibc exchange(): swaps the skipped operands [first_nonopt, last_nonopt)
 * with the options just parsed [last_nonopt, optind). */
static void exchange(struct shell_getopt *g)
{
	int bottom = g->first_nonopt, middle = g->last_nonopt, top = g->optind;
	char **argv = g->argv;

	while (top > middle && middle > bottom) {
		if (top - middle > middle - bottom) {
			int len = middle - bottom;
			for (int i = 0; i < len; i++) {
				char *tem = argv[bottom + i];
				argv[bottom + i] = argv[top - (middle - bottom) + i];
				argv[top - (middle - bottom) + i] = tem;
			}
			top -= len;
		} else {
			int len = top - middle;
			for (int i = 0; i < len; i++) {
				char *tem = argv[bottom + i];
				argv[bottom + i] = argv[middle + i];
				argv[middle + i] = tem;
			}
			bottom += len;
		}
	}
	g->first_nonopt += g->optind - g->last_nonopt;
	g->last_nonopt = g->optind;
}

static int parse_long(struct shell_getopt *g)
{
	const char *name = g->nextchar;
	size_t namelen = strcspn(name, "=");
	const struct shell_longopt *found = NULL;
	int ambiguous = 0;

	for (const struct shell_longopt *o = g->longopts; o && o->name; o++) {
		if (strncmp(o->name, name, namelen) != 0)
			continue;
		if (strlen(o->name) == namelen) { /* exact match wins */
			found = o;
			ambiguous = 0;
			break;
		}
		if (!found)
			found = o;
		else if (found->has_arg != o->has_arg || found->val != o->val)
			ambiguous = 1;
	}

	if (ambiguous) {
		fprintf(g->err, "%s: option '--%s' is ambiguous; possibilities:", g->prog, name);
		for (const struct shell_longopt *o = g->longopts; o->name; o++)
			if (strncmp(o->name, name, namelen) == 0)
				fprintf(g->err, " '--%s'", o->name);
		fputc('\n', g->err);
		g->nextchar = NULL;
		g->optind++;
		g->optopt = 0;
		return '?';
	}
	if (!found) {
		fprintf(g->err, "%s: unrecognized option '--%s'\n", g->prog, name);
		g->nextchar = NULL;
		g->optind++;
		g->optopt = 0;
		return '?';
	}

	g->optind++;
	g->nextchar = NULL;
	if (name[namelen] == '=') {
		if (found->has_arg == SHELL_NO_ARG) {
			fprintf(g->err, "%s: option '--%s' doesn't allow an argument\n", g->prog,
			        found->name);
			g->optopt = found->val;
			return '?';
		}
		g->optarg = name + namelen + 1;
	} else if (found->has_arg == SHELL_REQ_ARG) {
		if (g->optind < g->argc) {
			g->optarg = g->argv[g->optind++];
		} else {
			fprintf(g->err, "%s: option '--%s' requires an argument\n", g->prog,
			        found->name);
			g->optopt = found->val;
			return g->shortopts[0] == ':' ? ':' : '?';
		}
	}
	return found->val;
}

int shell_getopt_next(struct shell_getopt *g)
{
	g->optarg = NULL;

	if (g->nextchar == NULL || *g->nextchar == '\0') {
		if (g->last_nonopt > g->optind)
			g->last_nonopt = g->optind;
		if (g->first_nonopt > g->optind)
			g->first_nonopt = g->optind;

		if (g->first_nonopt != g->last_nonopt && g->last_nonopt != g->optind)
			exchange(g);
		else if (g->last_nonopt != g->optind)
			g->first_nonopt = g->optind;

		while (g->optind < g->argc && is_nonoption(g->argv[g->optind]))
			g->optind++;
		g->last_nonopt = g->optind;

		/* "--" ends the options; what follows is operands. */
		if (g->optind != g->argc && strcmp(g->argv[g->optind], "--") == 0) {
			g->optind++;
			if (g->first_nonopt != g->last_nonopt && g->last_nonopt != g->optind)
				exchange(g);
			else if (g->first_nonopt == g->last_nonopt)
				g->first_nonopt = g->optind;
			g->last_nonopt = g->argc;
			g->optind = g->argc;
		}

		if (g->optind == g->argc) {
			if (g->first_nonopt != g->last_nonopt)
				g->optind = g->first_nonopt;
			return -1;
		}

		if (g->argv[g->optind][1] == '-') {
			g->nextchar = g->argv[g->optind] + 2;
			return parse_long(g);
		}
		g->nextchar = g->argv[g->optind] + 1;
	}

	/* A short option, possibly one of a cluster (-vq0). */
	int c = (unsigned char)*g->nextchar++;
	const char *spec = strchr(g->shortopts, c);

	if (*g->nextchar == '\0')
		g->optind++;
	if (spec == NULL || c == ':' || c == ';') {
		fprintf(g->err, "%s: invalid option -- '%c'\n", g->prog, c);
		g->optopt = c;
		return '?';
	}
	if (spec[1] == ':') {
		if (spec[2] == ':') { /* optional argument: only attached (-a::) */
			if (*g->nextchar != '\0') {
				g->optarg = g->nextchar;
				g->optind++;
			}
		} else if (*g->nextchar != '\0') {
			g->optarg = g->nextchar;
			g->optind++;
		} else if (g->optind == g->argc) {
			fprintf(g->err, "%s: option requires an argument -- '%c'\n", g->prog, c);
			g->optopt = c;
			c = g->shortopts[0] == ':' ? ':' : '?';
		} else {
			g->optarg = g->argv[g->optind++];
		}
		g->nextchar = NULL;
	}
	return c;
}
