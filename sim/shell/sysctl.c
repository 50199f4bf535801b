/*
 * sysctl.c - `sysctl` (procps-ng 4.0.2 src/sysctl.c) over the simulated
 * /proc/sys/kernel (procfs.c).
 *
 * Reads print "kernel.msgmax = 8192"; writes go through the file as the real
 * tool writes them (stat, open for writing - root only, as the files are
 * 0644 root - then write "VALUE\n" and report the kernel's errno):
 *
 *   sysctl: cannot stat /proc/sys/kernel/foo: No such file or directory   [1]
 *   sysctl: permission denied on key "kernel.msgmax"                      [1]
 *   sysctl: setting key "kernel.msgmax": Invalid argument                 [1]
 *   sysctl: command line(0): invalid syntax, continuing...                [1]
 *
 * (all checked with procps-ng 4.0.2 in `unshare --ipc`, also as uid 65534).
 * The echo after a write is the value as typed, trimmed, not as re-read:
 * `sysctl -w kernel.msgmax=0100` prints "0100" and stores 64.
 *
 * Beyond Linux: kernel.msgpool and kernel.msgssz (the simulated kernel data
 * area) and kernel.semmsl/semmns/semopm/semmni (the fields of kernel.sem)
 * exist too.  -a lists only the simulated IPC keys.  -p, -f, --system and -r
 * read files or patterns the simulation does not have: a clear message and
 * status 2.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shell/shell_int.h"

#define PROC_PATH "/proc/sys/"

enum { OPT_DEPRECATED = 256, OPT_SYSTEM, OPT_DRYRUN };

static const struct shell_longopt sysctl_longopts[] = {
	{ "all", SHELL_NO_ARG, 'a' },
	{ "deprecated", SHELL_NO_ARG, OPT_DEPRECATED },
	{ "dry-run", SHELL_NO_ARG, OPT_DRYRUN },
	{ "binary", SHELL_NO_ARG, 'b' },
	{ "ignore", SHELL_NO_ARG, 'e' },
	{ "names", SHELL_NO_ARG, 'N' },
	{ "values", SHELL_NO_ARG, 'n' },
	{ "load", SHELL_OPT_ARG, 'p' },
	{ "quiet", SHELL_NO_ARG, 'q' },
	{ "write", SHELL_NO_ARG, 'w' },
	{ "system", SHELL_NO_ARG, OPT_SYSTEM },
	{ "pattern", SHELL_REQ_ARG, 'r' },
	{ "help", SHELL_NO_ARG, 'h' },
	{ "version", SHELL_NO_ARG, 'V' },
	{ NULL, 0, 0 },
};

static const char sysctl_usage[] =
	"\n"
	"Usage:\n"
	" sysctl [options] [variable[=value] ...]\n"
	"\n"
	"Options:\n"
	"  -a, --all            display all variables\n"
	"  -A                   alias of -a\n"
	"  -X                   alias of -a\n"
	"      --deprecated     include deprecated parameters to listing\n"
	"      --dry-run        Print the key and values but do not write\n"
	"  -b, --binary         print value without new line\n"
	"  -e, --ignore         ignore unknown variables errors\n"
	"  -N, --names          print variable names without values\n"
	"  -n, --values         print only values of the given variable(s)\n"
	"  -p, --load[=<file>]  read values from file\n"
	"  -f                   alias of -p\n"
	"      --system         read values from all system directories\n"
	"  -r, --pattern <expression>\n"
	"                       select setting that match expression\n"
	"  -q, --quiet          do not echo variable set\n"
	"  -w, --write          enable writing a value to variable\n"
	"  -o                   does nothing\n"
	"  -x                   does nothing\n"
	"  -d                   alias of -h\n"
	"\n"
	" -h, --help     display this help and exit\n"
	" -V, --version  output version information and exit\n"
	"\n"
	"For more details see sysctl(8).\n";

struct sysctl {
	struct shell_ctx *sh;
	int name_only, print_name, print_newline, ignore_error, quiet, dry_run;
};

/* ---- the simulated /proc/sys tree --------------------------------------- */

enum node { NODE_NONE, NODE_FILE, NODE_DIR };

/* What stat(2) finds at PATH (a full /proc/sys path); *name = the kernel
 * file's name for NODE_FILE. */
static enum node stat_path(const char *path, const char **name)
{
	if (strcmp(path, "/proc/sys") == 0 || strcmp(path, "/proc/sys/") == 0 ||
	    strcmp(path, "/proc/sys/kernel") == 0 || strcmp(path, "/proc/sys/kernel/") == 0)
		return NODE_DIR;
	if (strncmp(path, "/proc/sys/kernel/", 17) == 0 && shell_procsys_exists(path + 17)) {
		*name = path + 17;
		return NODE_FILE;
	}
	return NODE_NONE;
}

/* procps slashdot(): converts separators, unless the first one already is
 * the wanted kind. */
static void slashdot(struct sysctl *s, char *p, char old, char new)
{
	int warned = 1;

	p = strpbrk(p, "/.");
	if (!p || *p == new)
		return;
	while (p) {
		char c = *p;
		if ((p[1] == '/' || p[1] == '.') && warned) {
			fprintf(s->sh->out, "sysctl: separators should not be repeated: %s\n", p);
			warned = 0;
		}
		if (c == old)
			*p = new;
		if (c == new)
			*p = old;
		p = strpbrk(p + 1, "/.");
	}
}

/* ---- reading ------------------------------------------------------------- */

static int read_setting(struct sysctl *s, const char *name);

/* DisplayAll(): every file under a directory of the simulated tree. */
static int display_all(struct sysctl *s, const char *path)
{
	int rc = 0;
	char key[64];

	if (strcmp(path, "/proc/sys/") == 0)
		return display_all(s, "/proc/sys/kernel/");
	for (int i = 0; shell_procsys_names[i]; i++) {
		snprintf(key, sizeof(key), "kernel/%s", shell_procsys_names[i]);
		rc |= read_setting(s, key);
	}
	return rc;
}

static int read_setting(struct sysctl *s, const char *name)
{
	FILE *out = s->sh->out;
	char *path = NULL, *outname = NULL, *text = NULL;
	const char *file = NULL;
	int rc = 0;

	if (!name || !*name) {
		fprintf(out, "sysctl: \"%s\" is an unknown key\n", name ? name : "");
		return -1;
	}
	path = malloc(strlen(PROC_PATH) + strlen(name) + 2);
	outname = strdup(name);
	if (!path || !outname) {
		rc = 1;
		goto out;
	}
	strcpy(path, PROC_PATH);
	strcat(path, name);
	slashdot(s, path + strlen(PROC_PATH), '.', '/');
	slashdot(s, outname, '/', '.');

	switch (stat_path(path, &file)) {
	case NODE_NONE:
		if (!s->ignore_error) {
			fprintf(out, "sysctl: cannot stat %s: No such file or directory\n", path);
			rc = 1;
		}
		goto out;
	case NODE_DIR:
		rc = display_all(s, strncmp(path, "/proc/sys/kernel", 16) == 0 ? "/proc/sys/kernel/"
		                                                              : "/proc/sys/");
		goto out;
	case NODE_FILE:
		break;
	}
	if (s->name_only) {
		fprintf(out, "%s\n", outname);
		goto out;
	}
	if (shell_procfs_read(s->sh, path, &text) < 0) {
		fprintf(out, "sysctl: reading key \"%s\"\n", outname);
		rc = 1;
		goto out;
	}
	if (s->print_name) {
		fprintf(out, "%s = %s", outname, text);
	} else {
		if (!s->print_newline) {
			char *nl = strchr(text, '\n');
			if (nl)
				*nl = '\0';
		}
		fputs(text, out);
	}
out:
	free(text);
	free(outname);
	free(path);
	return rc;
}

/* ---- writing ------------------------------------------------------------- */

static void rstrip(char *line)
{
	size_t len = strlen(line);

	while (len > 1 && isspace((unsigned char)line[len - 1]))
		line[--len] = '\0';
}

static char *lstrip(char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	return line;
}

static int write_setting(struct sysctl *s, const char *key, const char *value,
                         int ignore_failure)
{
	FILE *out = s->sh->out;
	const char *file = NULL;
	char *path, *dotted;
	int rc = 0;
	enum node node;

	path = malloc(strlen(PROC_PATH) + strlen(key) + 2);
	if (!path)
		return 1;
	strcpy(path, PROC_PATH);
	strcat(path, key);
	slashdot(s, path + strlen(PROC_PATH), '.', '/');

	if (strpbrk(path, "*?[")) { /* a glob: matches nothing it could set here */
		free(path);
		return 0;
	}
	node = stat_path(path, &file);
	if (node == NODE_NONE) {
		if (!s->ignore_error) {
			fprintf(out, "sysctl: cannot stat %s: No such file or directory\n", path);
			rc = 1;
		}
		free(path);
		return rc;
	}
	dotted = strdup(path + strlen(PROC_PATH));
	if (!dotted) {
		free(path);
		return 1;
	}
	slashdot(s, dotted, '/', '.');

	if (node == NODE_DIR) { /* dr-xr-xr-x: no owner write bit */
		fprintf(out, "sysctl: setting key \"%s\": Operation not permitted\n", dotted);
		rc = 1;
		goto out;
	}
	if (!s->dry_run) {
		if (s->sh->uid != 0) { /* -rw-r--r-- root root */
			fprintf(out, "sysctl: permission denied on key \"%s\"%s\n", dotted,
			        ignore_failure ? ", ignoring" : "");
			if (!ignore_failure)
				rc = 1;
		} else {
			int err = shell_procsys_write(s->sh, file, value);
			if (err < 0) {
				fprintf(out, "sysctl: setting key \"%s\": %s\n", dotted, strerror(-err));
				rc = 1;
				goto out;
			}
		}
	}
	if ((rc == 0 && !s->quiet) || s->dry_run) {
		if (s->name_only)
			fprintf(out, "%s\n", dotted);
		else if (s->print_name)
			fprintf(out, "%s = %s\n", dotted, value);
		else
			fprintf(out, s->print_newline ? "%s\n" : "%s", value);
	}
out:
	free(dotted);
	free(path);
	return rc;
}

/* parse_setting_line() for a command-line word, then WriteSetting(). */
static int write_word(struct sysctl *s, const char *word)
{
	char *line = strdup(word), *key, *value;
	int ignore_failure = 0, rc = 1;

	if (!line)
		return 1;
	key = lstrip(line);
	if (strlen(key) < 2 || key[0] == '#' || key[0] == ';')
		goto out; /* silently skipped, but still a failure */
	value = strchr(key, '=');
	if (value == NULL) {
		if (key[0] == '-') { /* a glob exclusion: nothing to write */
			rc = 0;
			goto out;
		}
		fprintf(s->sh->out, "sysctl: command line(0): invalid syntax, continuing...\n");
		goto out;
	}
	*value++ = '\0';
	if (key[0] == '-') {
		ignore_failure = 1;
		key++;
	}
	value = lstrip(value);
	rstrip(value);
	rstrip(key);
	rc = write_setting(s, key, value, ignore_failure);
out:
	free(line);
	return rc;
}

/* ---- main ---------------------------------------------------------------- */

int shell_sysctl_main(struct shell_ctx *sh, int argc, char **argv)
{
	struct sysctl s = { .sh = sh, .print_name = 1, .print_newline = 1 };
	struct shell_getopt g;
	int write_mode = 0, display_all_opt = 0, rc = 0, c;

	if (argc < 2) {
		fputs(sysctl_usage, sh->out);
		return 1;
	}
	shell_getopt_init(&g, argc, argv, "sysctl", "bneNwfp::qoxaAXr:Vdh", sysctl_longopts,
	                  sh->out);
	while ((c = shell_getopt_next(&g)) != -1) {
		switch (c) {
		case 'b':
			s.print_newline = 0;
			s.print_name = 0;
			break;
		case 'n': s.print_name = 0; break;
		case 'e': s.ignore_error = 1; break;
		case 'N': s.name_only = 1; break;
		case 'w': write_mode = 1; break;
		case 'q': s.quiet = 1; break;
		case 'o': case 'x': break; /* "does nothing" */
		case 'a': case 'A': case 'X': display_all_opt = 1; break;
		case OPT_DEPRECATED: break;
		case OPT_DRYRUN: s.dry_run = 1; break;
		case 'f': case 'p': case 'r': case OPT_SYSTEM:
			fprintf(sh->out, "ipcsim: sysctl: -p, -f, -r and --system are not simulated\n");
			return 2;
		case 'V':
			fputs("sysctl from procps-ng 4.0.2\n", sh->out);
			return 0;
		default: /* -d, -h and unknown options alike: usage on stdout, 0 */
			fputs(sysctl_usage, sh->out);
			return 0;
		}
	}
	if (display_all_opt)
		return display_all(&s, "/proc/sys/");
	if (g.optind >= argc) {
		fprintf(sh->out, "sysctl: no variables specified\n"
		                 "Try `sysctl --help' for more information.\n");
		return 1;
	}
	if (s.name_only && s.quiet) {
		fprintf(sh->out, "sysctl: options -N and -q cannot coexist\n"
		                 "Try `sysctl --help' for more information.\n");
		return 1;
	}
	for (int i = g.optind; i < argc; i++) {
		if (write_mode || strchr(argv[i], '='))
			rc |= write_word(&s, argv[i]);
		else
			rc += read_setting(&s, argv[i]);
	}
	return rc & 0xff;
}
