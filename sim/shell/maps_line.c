/*
 * maps_line.c - a line of /proc/PID/maps read back into its fields: the
 * format procfs_shm_sem.c prints and Linux's show_map_vma prints
 * (fs/proc/task_mmu.c):
 *
 *   start-end perms offset major:minor inode [blanks name]
 *
 * in hex but the inode.  One reader for the two places that need the
 * fields of what a real `cat /proc/PID/maps` printed: the host backend
 * keeps only the System V lines, and `ipcsim check` compares those with
 * the simulator's field by field (addresses through its bindings).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shell/shell_int.h"

/* A hex number at *p (at least one digit), ended by stop; *p moved past stop. */
static int hex_field(const char **p, char stop, unsigned long *v)
{
	char *end;

	if (!isxdigit((unsigned char)**p))
		return 0;
	errno = 0;
	*v = strtoul(*p, &end, 16);
	if (errno != 0 || *end != stop)
		return 0;
	*p = end + 1;
	return 1;
}

/* "/SYSV%08x" followed by the end or a blank: the key. */
static int sysv_name(const char *name, uint32_t *key)
{
	if (strncmp(name, "/SYSV", 5) != 0)
		return 0;
	for (int i = 5; i < 13; i++)
		if (!isxdigit((unsigned char)name[i]))
			return 0;
	if (name[13] != '\0' && name[13] != ' ')
		return 0;
	*key = (uint32_t)strtoul(name + 5, NULL, 16);
	return 1;
}

int shell_maps_line_parse(const char *line, struct shell_maps_line *m)
{
	const char *p = line;
	unsigned long major, minor;
	char *end;

	memset(m, 0, sizeof(*m));
	if (!hex_field(&p, '-', &m->start) || !hex_field(&p, ' ', &m->end))
		return 0;
	for (int i = 0; i < 4; i++)
		if (p[i] == '\0' || strchr(i == 3 ? "ps" : i == 2 ? "x-" : i == 1 ? "w-" : "r-",
		                           p[i]) == NULL)
			return 0;
	memcpy(m->perms, p, 4);
	if (p[4] != ' ')
		return 0;
	p += 5;
	if (!hex_field(&p, ' ', &m->offset) || !hex_field(&p, ':', &major) ||
	    !hex_field(&p, ' ', &minor) || !isdigit((unsigned char)*p))
		return 0;
	m->dev_major = (unsigned)major;
	m->dev_minor = (unsigned)minor;
	m->inode = strtoul(p, &end, 10);
	if (*end != '\0' && *end != ' ')
		return 0;
	while (*end == ' ')
		end++;
	m->name_at = (size_t)(end - line);
	m->sysv = sysv_name(end, &m->key);
	return 1;
}
