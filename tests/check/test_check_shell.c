/*
 * test_check_shell.c - `ipcsim check` of the `$` lines that name the
 * scenario's pids and keys: `ipcrm -Q` with an ftok key and
 * `cat /proc/PID/maps` agree with the real tools on the true simulator, and
 * a simulator whose maps are wrong in any field (an address, a length, the
 * permissions, the shmid, the key, a line too many or too few) or whose
 * `ipcrm -Q` removes nothing is caught at its `$` line.
 *
 * As in tests/host/test_check_compare.c, the wrong models wrap the
 * simulated backend: a copy of its ops table with the shell op replaced by
 * one that rewrites the true output, over the same context.  Needs the host
 * backend (root or a user namespace).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcsim/compare.h"
#include "ipcsim/host.h"
#include "ipcsim/script.h"
#include "../lib/check_fixture.h"

/* The lecture's picture: two attachments, a fork, the maps of each. */
static const char maps_lesson[] =
	"file ./segfile inode=0x1234 dev=8:1\n"                          /* 1 */
	"P1: key = ftok(\"./segfile\", 1)\n"                             /* 2 */
	"P1: id = shmget(key, 8192, IPC_CREAT | 0600)\n"                 /* 3 */
	"P1: big = shmget(IPC_PRIVATE, 65536, IPC_CREAT | 0600)\n"       /* 4 */
	"P1: a = shmat(id, NULL, 0)\n"                                   /* 5 */
	"P1: b = shmat(big, NULL, SHM_RDONLY)\n"                         /* 6 */
	"P1: c = shmat(id, NULL, 0)\n"                                   /* 7 */
	"$ cat /proc/1000/maps\n"                                        /* 8 */
	"P1: child = fork()\n"                                           /* 9 */
	"$ sudo cat /proc/1001/maps\n"                                   /* 10 */
	"P1: shmdt(a)\n"                                                 /* 11 */
	"$ cat /proc/1000/maps\n";                                       /* 12 */

static const char ipcrm_lesson[] =
	"file ./myfile inode=0x2345 dev=8:17\n"                          /* 1 */
	"P1: key = ftok(\"./myfile\", 0x41)\n"                           /* 2 */
	"P1: q = msgget(key, IPC_CREAT | 0600)\n"                        /* 3 */
	"$ ipcrm -Q 0x41112345\n"                                        /* 4 */
	"$ ipcs -q\n"                                                    /* 5 */
	"P1: msgget(key, 0)\n";                                          /* 6 */

/* ---- wrong models ------------------------------------------------------------ */

enum wrong {
	WRONG_ADDRESS,  /* every maps line one page higher */
	WRONG_LENGTH,   /* every maps line one page longer */
	WRONG_PERMS,    /* rw-s printed as r--s */
	WRONG_INODE,    /* the shmid plus one */
	WRONG_KEY,      /* /SYSV01011234 printed as /SYSV01011235 */
	WRONG_EXTRA,    /* the first maps line twice */
	WRONG_MISSING,  /* the last maps line left out */
	WRONG_IPCRM,    /* `ipcrm -Q` prints nothing and removes nothing */
};

/* One wrong model per test (Criterion runs each test in its own process). */
static struct backend_ops wrong_ops;
static int (*true_shell)(void *, const struct backend_creds *, const struct scenario_names *,
                         const char *, FILE *);
static enum wrong which;

/* The true line, or its wrong form, to out; n counts the maps lines. */
static void wrong_line(FILE *out, char *line, int *n, int last)
{
	unsigned long start, end;
	char perms[8], *rest;
	int used = 0;

	if (sscanf(line, "%lx-%lx %7s %n", &start, &end, perms, &used) != 3 || used == 0) {
		fprintf(out, "%s\n", line);
		return;
	}
	rest = line + used; /* "00000000 00:01 0    /SYSV..." */
	(*n)++;
	switch (which) {
	case WRONG_ADDRESS:
		fprintf(out, "%08lx-%08lx %s %s\n", start + 4096, end + 4096, perms, rest);
		return;
	case WRONG_LENGTH:
		fprintf(out, "%08lx-%08lx %s %s\n", start, end + 4096, perms, rest);
		return;
	case WRONG_PERMS:
		if (strcmp(perms, "rw-s") == 0)
			strcpy(perms, "r--s");
		fprintf(out, "%08lx-%08lx %s %s\n", start, end, perms, rest);
		return;
	case WRONG_INODE: {
		unsigned long off, inode;
		char dev[8];
		int at = 0;

		sscanf(rest, "%lx %7s %lu%n", &off, dev, &inode, &at);
		fprintf(out, "%08lx-%08lx %s %08lx %s %lu%s\n", start, end, perms, off, dev,
		        inode + 1, rest + at);
		return;
	}
	case WRONG_KEY: {
		char *k = strstr(line, "/SYSV01011234");

		if (k != NULL)
			k[12] = '5';
		fprintf(out, "%s\n", line);
		return;
	}
	case WRONG_EXTRA:
		fprintf(out, "%s\n", line);
		if (*n == 1)
			fprintf(out, "%s\n", line);
		return;
	case WRONG_MISSING:
		if (!last)
			fprintf(out, "%s\n", line);
		return;
	case WRONG_IPCRM:
		break;
	}
	fprintf(out, "%s\n", line);
}

static int wrong_shell(void *ctx, const struct backend_creds *c,
                       const struct scenario_names *names, const char *cmdline, FILE *out)
{
	char *buf = NULL, *line;
	size_t len = 0;
	FILE *w;
	int rc, n = 0;

	if (which == WRONG_IPCRM)
		return strncmp(cmdline, "ipcrm", 5) == 0 ? 0 : true_shell(ctx, c, names, cmdline, out);
	w = open_memstream(&buf, &len);
	rc = true_shell(ctx, c, names, cmdline, w);
	fclose(w); /* buf is final only now */
	line = buf;
	while (line != NULL && *line != '\0') {
		char *nl = strchr(line, '\n');

		if (nl != NULL)
			*nl = '\0';
		wrong_line(out, line, &n, nl == NULL || nl[1] == '\0');
		line = nl != NULL ? nl + 1 : NULL;
	}
	free(buf);
	return rc;
}

static struct backend *wrong_sim(enum wrong w)
{
	struct backend *sim = backend_sim_new();

	cr_assert_not_null(sim);
	wrong_ops = *sim->ops;
	true_shell = sim->ops->shell;
	wrong_ops.shell = wrong_shell;
	which = w;
	sim->ops = &wrong_ops;
	return sim;
}

/* ---- running a check -------------------------------------------------------- */

static void check_text(const char *scenario, struct backend *sim, struct checked *c)
{
	struct compare_options co = { .all = 0 };
	struct backend *host;
	char err[256];

	host = backend_host_new(&(struct backend_host_options){ .allow_userns = 1 }, err,
	                        sizeof(err));
	cr_assert_not_null(host, "the host backend could not be made: %s", err);
	if (sim == NULL)
		sim = backend_sim_new();
	checked_run(c, backend_compare_new(&sim, &host, &co), scenario);
}

static const struct compare_note *first_divergence(const struct compare_report *r)
{
	for (int i = 0; i < r->nnotes; i++)
		if (r->notes[i].kind == COMPARE_DIVERGED)
			return &r->notes[i];
	return NULL;
}

/* The wrong model w diverges first at line, the `$` line call. */
static void expect_caught(const char *scenario, enum wrong w, int line, const char *call)
{
	struct checked c;
	const struct compare_note *n;

	check_text(scenario, wrong_sim(w), &c);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "diverged", "%s", c.text);
	n = first_divergence(c.rep);
	cr_assert_not_null(n, "%s", c.text);
	cr_assert_eq(n->line, line, "wrong model %d: divergence at line %d:\n%s", (int)w, n->line,
	             c.text);
	cr_assert_str_eq(n->call, call);
	checked_free(&c);
}

/* ---- tests -------------------------------------------------------------------- */

Test(check_shell, the_true_simulator_agrees_on_proc_pid_maps)
{
	struct checked c;

	check_text(maps_lesson, NULL, &c);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "ok", "%s", c.text);
	cr_assert_eq(c.rep->nskipped, 0, "unexpected skip:\n%s", c.text);
	cr_assert_eq(c.rep->nagreed, 11, "%d steps compared:\n%s", c.rep->nagreed, c.text);
	checked_free(&c);
}

Test(check_shell, the_true_simulator_agrees_on_ipcrm_of_an_ftok_key)
{
	struct checked c;

	check_text(ipcrm_lesson, NULL, &c);
	cr_assert_str_eq(compare_verdict(c.rep, c.rc), "ok", "%s", c.text);
	cr_assert_eq(c.rep->nskipped, 0, "unexpected skip:\n%s", c.text);
	cr_assert_eq(c.rep->nagreed, 5, "%d steps compared:\n%s", c.rep->nagreed, c.text);
	checked_free(&c);
}

Test(check_shell, a_maps_address_off_by_a_page_is_caught)
{
	expect_caught(maps_lesson, WRONG_ADDRESS, 8, "$ cat /proc/1000/maps");
}

Test(check_shell, a_maps_line_a_page_too_long_is_caught)
{
	expect_caught(maps_lesson, WRONG_LENGTH, 8, "$ cat /proc/1000/maps");
}

Test(check_shell, wrong_maps_permissions_are_caught)
{
	expect_caught(maps_lesson, WRONG_PERMS, 8, "$ cat /proc/1000/maps");
}

Test(check_shell, a_wrong_shmid_in_the_inode_column_is_caught)
{
	expect_caught(maps_lesson, WRONG_INODE, 8, "$ cat /proc/1000/maps");
}

Test(check_shell, a_wrong_key_in_the_segment_name_is_caught)
{
	expect_caught(maps_lesson, WRONG_KEY, 8, "$ cat /proc/1000/maps");
}

Test(check_shell, a_maps_line_too_many_is_caught)
{
	expect_caught(maps_lesson, WRONG_EXTRA, 8, "$ cat /proc/1000/maps");
}

Test(check_shell, a_maps_line_too_few_is_caught)
{
	expect_caught(maps_lesson, WRONG_MISSING, 8, "$ cat /proc/1000/maps");
}

Test(check_shell, an_ipcrm_of_a_key_that_removes_nothing_is_caught)
{
	expect_caught(ipcrm_lesson, WRONG_IPCRM, 5, "$ ipcs -q");
}
