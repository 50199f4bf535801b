/*
 * host_shell_maps.c - a real `cat /proc/PID/maps` shows the whole process:
 * the program, its libraries, heap, stack, vdso.  The simulated processes
 * have only their System V attachments, and that is what a lesson looks at,
 * so of the real maps only the System V lines are kept (name /SYSV%08x,
 * shell_maps_line_parse); every other line of the maps format is dropped.
 * Lines of any other form (cat's error messages, another file of the same
 * command) stay as they are.
 *
 * The real tool still runs as the scenario's user, so who may read whose
 * maps is the kernel's answer (ptrace_may_access: the same uid and gid, or
 * CAP_SYS_PTRACE); the scenario's processes are dumpable (host_child.c),
 * as a program a user starts is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"
#include "ipcsim/shell.h"

int host_shell_names_maps(char *const argv[])
{
	if (argv[0] == NULL || strcmp(argv[0], "cat") != 0)
		return 0;
	for (int i = 1; argv[i] != NULL; i++) {
		size_t n = strlen(argv[i]);

		if (strncmp(argv[i], "/proc/", 6) == 0 && n > 5 && strcmp(argv[i] + n - 5, "/maps") == 0)
			return 1;
	}
	return 0;
}

char *host_shell_maps_sysv_only(const char *out, size_t len, size_t *newlen)
{
	char *buf = NULL, *line = NULL;
	size_t blen = 0, i = 0;
	FILE *w = open_memstream(&buf, &blen);

	if (w == NULL)
		return NULL;
	while (i < len) {
		const char *nl = memchr(out + i, '\n', len - i);
		size_t ll = nl != NULL ? (size_t)(nl - (out + i)) : len - i;
		struct shell_maps_line m;

		line = strndup(out + i, ll);
		if (line == NULL)
			goto fail;
		if (!shell_maps_line_parse(line, &m) || m.sysv) {
			fwrite(out + i, 1, ll, w);
			if (nl != NULL)
				fputc('\n', w);
		}
		free(line);
		line = NULL;
		i += ll + (nl != NULL);
	}
	fclose(w);
	*newlen = blen;
	return buf;

fail:
	fclose(w);
	free(buf);
	return NULL;
}
