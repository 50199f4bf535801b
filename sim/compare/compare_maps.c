/*
 * compare_maps.c - `$ cat /proc/PID/maps` in `ipcsim check`: the simulator
 * prints the System V attachments of PID, the host backend the System V
 * lines of the real process's maps (sim/host/host_shell_maps.c), each at its
 * own kernel's addresses.  A line is compared field by field
 * (shell_maps_line_parse):
 *
 *   start     through the attachment bindings of the process the command
 *             names (compare_mem.c), never as a number: the simulator's
 *             start must lead to the kernel's;
 *   length    (end - start) as it is: whole pages of the segment;
 *   perms, offset, device, inode (the shmid): as they are;
 *   name      /SYSV%08x through the key bindings (the host backend already
 *             wrote the scenario's key for an ftok key), the rest (" (deleted)")
 *             as it is; and where both address fields have the same width
 *             the name must start in the same column.
 *
 * Order: each kernel lists a process's mappings by address, and the two
 * place attachments by different rules (the kernel fills holes between its
 * libraries first), so the same attachments may come in another order.  For
 * a command naming one maps file, each run of maps lines is put in the
 * kernel's address order on both sides (the simulator's lines by the host
 * address they lead to) before the lines are compared.  A command naming
 * several prints their lines one after the other with nothing between, so
 * the lines of a run cannot be told apart by process: they are compared in
 * the order printed, each through the bindings of any process named.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_int.h"
#include "ipcsim/shell.h" /* shell_maps_line_parse */

int cmp_maps_pids(const char *cmdline, int *pids, int max)
{
	int n = 0;

	for (const char *p = strstr(cmdline, "/proc/"); p != NULL && n < max;
	     p = strstr(p + 1, "/proc/")) {
		const char *d = p + 6, *end = d;

		while (isdigit((unsigned char)*end))
			end++;
		/* canonical decimal only, as Linux's /proc reads it */
		if (end == d || *d == '0' || end - d > 9 || strncmp(end, "/maps", 5) != 0)
			continue;
		pids[n++] = (int)strtol(d, NULL, 10);
	}
	return n;
}

/* The host address sim_start leads to in the first of pids that has an
 * attachment there (else the number itself, as for any address). */
static unsigned long host_start(struct compare_backend *cb, const int *pids, int npids,
                                unsigned long sim_start)
{
	for (int i = 0; i < npids; i++) {
		unsigned long h = cmp_addr_to_host(cb, pids[i], sim_start);

		if (h != sim_start)
			return h;
	}
	return sim_start;
}

/* Whether some process of pids leads sim_start to host. */
static int start_leads_to(struct compare_backend *cb, const int *pids, int npids,
                          unsigned long sim_start, unsigned long host)
{
	if (sim_start == host)
		return 1;
	for (int i = 0; i < npids; i++)
		if (cmp_addr_to_host(cb, pids[i], sim_start) == host)
			return 1;
	return 0;
}

int cmp_maps_line(struct compare_backend *cb, const int *pids, int npids, const char *sl,
                  const char *hl)
{
	struct shell_maps_line s, h;
	int is_s = shell_maps_line_parse(sl, &s), is_h = shell_maps_line_parse(hl, &h);
	const char *sname = sl + s.name_at, *hname = hl + h.name_at;

	if (!is_s && !is_h)
		return -1;
	if (!is_s || !is_h)
		return 0;
	if (!start_leads_to(cb, pids, npids, s.start, h.start) ||
	    s.end - s.start != h.end - h.start || strcmp(s.perms, h.perms) != 0 ||
	    s.offset != h.offset || s.dev_major != h.dev_major || s.dev_minor != h.dev_minor ||
	    s.inode != h.inode || s.sysv != h.sysv)
		return 0;
	if (strcspn(sl, " ") == strcspn(hl, " ") && s.name_at != h.name_at)
		return 0; /* same widths, yet the name is in another column */
	if (!s.sysv)
		return strcmp(sname, hname) == 0;
	if (s.key != h.key && !cmp_bind(&cb->keys, s.key, h.key))
		return 0;
	return strcmp(sname + 13, hname + 13) == 0; /* after "/SYSV%08x" */
}

/* One line with the host address it sorts by, and where it was. */
struct keyed {
	char *line;
	unsigned long key;
	int at;
};

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->at - y->at;
}

void cmp_maps_order(struct compare_backend *cb, int pid, char **lines, int n, int sim_side)
{
	struct keyed *run = malloc((size_t)(n > 0 ? n : 1) * sizeof(*run));

	if (run == NULL)
		return; /* out of memory: compared in the order printed */
	for (int i = 0; i < n;) {
		struct shell_maps_line m;
		int j = i, k = 0;

		while (j < n && shell_maps_line_parse(lines[j], &m)) {
			run[k].line = lines[j];
			run[k].key = sim_side ? host_start(cb, &pid, 1, m.start) : m.start;
			run[k].at = k;
			k++;
			j++;
		}
		qsort(run, (size_t)k, sizeof(*run), by_key);
		for (int r = 0; r < k; r++)
			lines[i + r] = run[r].line;
		i = j > i ? j : i + 1;
	}
	free(run);
}
