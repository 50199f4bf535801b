/*
 * shell.c - the `$ command` lines of a scenario: word splitting and dispatch.
 *
 * Words are split by shell_split (shell_words.c).  A leading `sudo` runs the command as root with every
 * capability, like `$ sudo CMD` in a scenario.
 *
 * The commands are ipcs, ipcrm, sysctl and cat (one file each); they run as
 * the shell process, pid 0 of the simulated kernel, whose credentials are set
 * here before every command.
 */
#include <stdlib.h>
#include <string.h>

#include "shell/shell_int.h"

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
	struct shell_words w = { 0 };
	const char *why;
	int first = 0, status = 127;

	if (!k || !out)
		return 2;
	if (shell_split(cmdline ? cmdline : "", &w, &why) < 0) {
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
	shell_words_free(&w);
	return status;
}
