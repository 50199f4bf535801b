/*
 * diff_driver.c - run a sequence on both kernels and compare (see diff_driver.h).
 */
#include "diff_driver.h"
#include "diff_env.h"
#include "diff_host.h"
#include "diff_report.h"
#include "diff_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int diff_driver_init(struct diff_driver *d)
{
	memset(d, 0, sizeof(*d));
	d->root_sim_caps = diff_env_root_caps(&d->cap_eff);
	d->host = diff_host_new();
	d->sim = calloc(1, sizeof(*d->sim));
	d->hostrun = calloc(1, sizeof(*d->hostrun));
	d->reports_left = 25;
	if (!d->host || !d->sim || !d->hostrun) {
		diff_driver_fini(d);
		return -1;
	}
	return 0;
}

void diff_driver_fini(struct diff_driver *d)
{
	diff_host_free(&d->host);
	free(d->sim);
	free(d->hostrun);
	d->sim = d->hostrun = NULL;
}

static void report(struct diff_driver *d, const struct diff_seq *s, const char *name)
{
	const char *path = getenv("IPCSIM_DIFF_REPORT");

	if (d->reports_left <= 0)
		return;
	d->reports_left--;
	diff_print_report(stderr, name, s, d->sim, d->hostrun, d->bad_step, d->why);
	if (path && *path) {
		FILE *f = fopen(path, "a");

		if (f) {
			diff_print_report(f, name, s, d->sim, d->hostrun, d->bad_step, d->why);
			fclose(f);
		}
	}
}

int diff_driver_check(struct diff_driver *d, const struct diff_seq *s, const char *name)
{
	d->bad_step = -1;
	d->why[0] = '\0';
	if (diff_host_run(d->host, s, d->hostrun) != 0) {
		snprintf(d->why, sizeof(d->why), "%s", d->hostrun->setup_error);
		return -1;
	}
	if (diff_sim_run(s, d->root_sim_caps, d->sim) != 0) {
		snprintf(d->why, sizeof(d->why), "out of memory creating the simulated kernel");
		return -1;
	}
	d->bad_step = diff_compare(s, d->sim, d->hostrun, d->why, sizeof(d->why));
	if (d->bad_step < 0)
		return 0;
	report(d, s, name);
	return 1;
}
