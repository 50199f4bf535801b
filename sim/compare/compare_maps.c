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
 * place attachments by different rules (the kernel fills the holes between
 * its libraries first), so the same attachments may come in another order.
 * So each run of maps lines is compared as a set: the kernel's lines of the
 * run are put in the order of the simulator's lines they match (the first
 * unmatched one for each), those that match none after them in the order
 * printed, and then the lines are compared one by one, which reports the
 * first line without a partner.  A command naming several maps files
 * prints their lines one after the other with nothing between, so a line is
 * held to the bindings of any process the command names.
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

/* Whether some process of pids leads sim_start to host (a start in no
 * attachment leads to itself, as any address does). */
static int start_leads_to(struct compare_backend *cb, const int *pids, int npids,
                          unsigned long sim_start, unsigned long host)
{
	for (int i = 0; i < npids; i++)
		if (cmp_addr_to_host(cb, pids[i], sim_start) == host)
			return 1;
	return 0;
}

/* Whether the key pair is bound, or free to be: cmp_bind's answer
 * without binding it (a trial match must not bind). */
static int key_may_bind(const struct cmp_bindings *t, uint32_t sim, uint32_t host)
{
	for (int i = 0; i < t->n; i++)
		if (t->v[i].sim == sim || t->v[i].host == host)
			return t->v[i].sim == sim && t->v[i].host == host;
	return 1;
}

/* cmp_maps_line; bind 0: a trial, which leaves the key bindings alone. */
static int maps_line(struct compare_backend *cb, const int *pids, int npids, const char *sl,
                     const char *hl, int bind)
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
	if (s.key != h.key &&
	    !(bind ? cmp_bind(&cb->keys, s.key, h.key) : key_may_bind(&cb->keys, s.key, h.key)))
		return 0;
	return strcmp(sname + 13, hname + 13) == 0; /* after "/SYSV%08x" */
}

int cmp_maps_line(struct compare_backend *cb, const int *pids, int npids, const char *sl,
                  const char *hl)
{
	return maps_line(cb, pids, npids, sl, hl, 1);
}

/* The end of the run of maps lines that starts at i (i itself when none). */
static int run_end(char **lines, int n, int i)
{
	struct shell_maps_line m;

	while (i < n && shell_maps_line_parse(lines[i], &m))
		i++;
	return i;
}

/* The host run hv[i, he) in the order of the simulator's sv[i, se). */
static void pair_run(struct compare_backend *cb, const int *pids, int npids, char **sv,
                     int se, char **hv, int he, int i)
{
	int k = he - i, placed = 0;
	char **order = malloc((size_t)k * sizeof(*order));
	char *taken = calloc((size_t)k, 1);

	if (order == NULL || taken == NULL)
		goto out; /* out of memory: compared in the order printed */
	for (int s = i; s < se && placed < k; s++) {
		for (int h = 0; h < k; h++) {
			if (!taken[h] && maps_line(cb, pids, npids, sv[s], hv[i + h], 0) == 1) {
				taken[h] = 1;
				order[placed++] = hv[i + h];
				break;
			}
		}
	}
	for (int h = 0; h < k; h++)
		if (!taken[h])
			order[placed++] = hv[i + h];
	memcpy(hv + i, order, (size_t)k * sizeof(*order));
out:
	free(order);
	free(taken);
}

void cmp_maps_pair(struct compare_backend *cb, const int *pids, int npids, char **sv, int ns,
                   char **hv, int nh)
{
	for (int i = 0; i < ns && i < nh; i++) {
		int se = run_end(sv, ns, i), he = run_end(hv, nh, i);

		if (se == i || he == i)
			continue;
		pair_run(cb, pids, npids, sv, se, hv, he, i);
		i = (se > he ? se : he) - 1;
	}
}
