/*
 * diff_check.c - one sequence through `ipcsim check`'s comparer (see
 * diff_check.h), built as cmd_check.c builds it.
 */
#include "diff_check.h"
#include "diff_env.h"
#include "diff_exec.h"

#include <stdlib.h>
#include <string.h>

#include "ipcsim/compare.h"
#include "ipcsim/host.h"

int diff_check_init(struct diff_check *c)
{
	memset(c, 0, sizeof(*c));
	c->root_caps = diff_env_root_caps(NULL);
	c->reports_left = 25;
	c->run = calloc(1, sizeof(*c->run));
	return c->run != NULL ? 0 : -1;
}

void diff_check_fini(struct diff_check *c)
{
	free(c->run);
	c->run = NULL;
}

/* The comparing backend over a new simulator and a new host namespace;
 * NULL with c->why set. */
static struct backend *new_comparer(struct diff_check *c)
{
	struct compare_options co = { .all = c->all };
	struct backend *sim, *host, *cmp;
	char err[256];

	/* The sandbox without its user namespace: the sequences are generated
	 * for root's real capabilities (diff_env_root_caps), and in a user
	 * namespace the kernel checks CAP_SYS_RESOURCE and CAP_SYS_RAWIO
	 * against the machine's namespace, so they could not be granted. */
	struct backend_host_options ho = { .no_userns = 1 };

	host = backend_host_new(&ho, err, sizeof(err));
	if (host == NULL) {
		snprintf(c->why, sizeof(c->why), "the host backend cannot start: %s", err);
		return NULL;
	}
	sim = c->make_sim != NULL ? c->make_sim() : backend_sim_new();
	cmp = backend_compare_new(&sim, &host, &co);
	if (cmp == NULL)
		snprintf(c->why, sizeof(c->why), "out of memory");
	return cmp;
}

/* The comparer's report, then what else went wrong (extra, may be ""), to
 * stderr and to the IPCSIM_DIFF_REPORT file, each in one write: workers
 * (diff_pool.h) report side by side. */
static void report(struct diff_check *c, const struct compare_report *rep, const char *name,
                   const char *extra)
{
	const char *path = getenv("IPCSIM_DIFF_REPORT");
	char *text = NULL;
	size_t len = 0;
	FILE *w, *f;

	if (c->reports_left-- <= 0 || (w = open_memstream(&text, &len)) == NULL)
		return;
	compare_report_print(w, name, rep, 0, NULL);
	if (extra[0] != '\0')
		fprintf(w, "  %s\n", extra);
	fclose(w);
	fwrite(text, 1, len, stderr);
	f = path != NULL && *path != '\0' ? fopen(path, "a") : NULL;
	if (f != NULL) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
	free(text);
}

/* The first note the comparer made, as one line, into c->why. */
static void first_note(struct diff_check *c, const struct compare_report *rep)
{
	for (int i = 0; i < rep->nnotes; i++) {
		const struct compare_note *n = &rep->notes[i];

		snprintf(c->why, sizeof(c->why), "line %d (%s): %s%s: %s", n->line, n->text,
		         n->kind == COMPARE_SKIPPED ? "skipped: " : "", n->call,
		         n->why != NULL ? n->why : "");
		return;
	}
}

enum diff_outcome diff_check_run(struct diff_check *c, const struct diff_seq *s,
                                 const char *name)
{
	const struct compare_report *rep;
	struct backend *cmp;
	struct diff_exec x;
	enum diff_outcome out = DIFF_HOST_FAILED;
	char extra[480];
	int ran;

	c->why[0] = '\0';
	c->nagreed = 0;
	cmp = new_comparer(c);
	if (cmp == NULL)
		return DIFF_HOST_FAILED;
	if (diff_exec_begin(&x, cmp, c->root_caps, c->run) != 0) {
		snprintf(c->why, sizeof(c->why), "no root process (out of memory)");
		goto out_free;
	}
	x.trace = c->trace;
	ran = diff_exec_all(&x, s);
	rep = backend_compare_report(cmp);
	c->nagreed = rep->nagreed;
	extra[0] = '\0';
	if (x.invariant[0] != '\0')
		snprintf(extra, sizeof(extra), "the simulator broke an invariant %s", x.invariant);
	else if (rep->sim_only != NULL)
		snprintf(extra, sizeof(extra), "line %d: limit %s is the simulator's only; the "
		         "host was not compared after it", rep->sim_only_line, rep->sim_only);
	else if (ran < s->nsteps)
		snprintf(extra, sizeof(extra), "line %d (%s): the sequence cannot go on: %s", ran,
		         x.text, c->run->r[ran - 1].ret == DIFF_RET_BLOCKED
		                 ? "the simulator put the process to sleep"
		                 : "its process died, or the backend failed");
	if (rep->host_error != NULL) {
		snprintf(c->why, sizeof(c->why), "%s", rep->host_error);
		report(c, rep, name, extra);
	} else if (rep->nnotes > 0 || extra[0] != '\0') {
		first_note(c, rep);
		if (c->why[0] == '\0')
			snprintf(c->why, sizeof(c->why), "%s", extra);
		report(c, rep, name, extra);
		out = DIFF_DIVERGED;
	} else {
		out = DIFF_AGREED;
	}
	diff_exec_end(&x);
out_free:
	backend_free(&cmp);
	return out;
}
