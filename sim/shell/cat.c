/*
 * cat.c - `cat FILE...` over the simulated /proc.
 *
 * Only files of the simulated /proc exist (procfs.c); any other path is
 * missing, as in an empty container.  Errors read like GNU cat's
 * ("cat: PATH: No such file or directory", exit 1) and, as cat does, the
 * remaining files are still printed.  Options are not simulated: they get a
 * clear message and status 2 rather than a wrong imitation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shell/shell_int.h"

int shell_cat_main(struct shell_ctx *sh, int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(sh->out, "ipcsim: cat: options are not simulated: %s\n", argv[i]);
			return 2;
		}
	}
	/* cat without files copies stdin, which is empty here. */
	for (int i = 1; i < argc; i++) {
		char *text = NULL;
		int rc = shell_procfs_read(sh, argv[i], &text);

		if (rc < 0) {
			fprintf(sh->out, "cat: %s: %s\n", argv[i], strerror(-rc));
			status = 1;
			continue;
		}
		fputs(text, sh->out);
		free(text);
	}
	return status;
}
