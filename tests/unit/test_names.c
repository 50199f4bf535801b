/*
 * test_names.c - the names `ipcs` prints for uids and gids: `user` lines
 * name a uid (the first declared name wins, as getpwuid() finds the first
 * passwd entry), `group` lines name a gid, and a `user` line also names its
 * gid after the user - but only when no `group` line of the scenario, before
 * or after it, names that gid.  On Linux the group name comes from the
 * group database alone (util-linux ipcs calls getgrgid()): user nobody has
 * gid 65534, and /etc/group calls 65534 nogroup, so `ipcs -c` prints
 * nogroup in the gid columns.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/script_fixture.h"

/* The row of `ipcs -c -q` for queue 0, as the run printed it (`> ` kept). */
static char *creators_row(const char *out)
{
	const char *at = strstr(out, "\n> 0          ");
	const char *end;

	cr_assert(at != NULL, "no row for queue 0 in:\n%s", out);
	at++;
	end = strchr(at, '\n');
	return strndup(at, end != NULL ? (size_t)(end - at) : strlen(at));
}

static void assert_row(const char *scenario, const char *want)
{
	struct script_fixture_run r;
	char *row;

	script_fixture_run(scenario, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	row = creators_row(r.out);
	/* ipcs pads each column to 10 blanks: compare without the padding. */
	for (char *c = row + strlen(row); c > row && c[-1] == ' '; c--)
		c[-1] = '\0';
	cr_assert_str_eq(row, want, "in:\n%s", r.out);
	free(row);
	script_fixture_release(&r);
}

Test(names, group_line_after_user_line_names_the_gid)
{
	assert_row("user nobody uid=65534 gid=65534\n"
	           "group nogroup gid=65534\n"
	           "process P user=nobody\n"
	           "P: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	           "$ ipcs -c -q\n",
	           "> 0          600        nobody     nogroup    nobody     nogroup");
}

Test(names, group_line_before_user_line_names_the_gid)
{
	assert_row("group nogroup gid=65534\n"
	           "user nobody uid=65534 gid=65534\n"
	           "process P user=nobody\n"
	           "P: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	           "$ ipcs -c -q\n",
	           "> 0          600        nobody     nogroup    nobody     nogroup");
}

Test(names, user_line_names_a_gid_no_group_line_names)
{
	assert_row("user alice uid=1001 gid=1001\n"
	           "process P user=alice\n"
	           "P: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	           "$ ipcs -c -q\n",
	           "> 0          600        alice      alice      alice      alice");
}

/* The predefined user `user` (uid 1000, gid 1000) is a user line too: a
 * group line naming gid 1000 wins over it. */
Test(names, group_line_wins_over_the_predefined_user)
{
	assert_row("P: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	           "group staff gid=1000\n"
	           "$ ipcs -c -q\n",
	           "> 0          600        user       staff      user       staff");
}

/* Two group lines for one gid: the first wins, as getgrgid() finds the first. */
Test(names, first_group_line_wins)
{
	assert_row("group staff gid=100\n"
	           "group other gid=100\n"
	           "process P uid=1000 gid=100\n"
	           "P: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	           "$ ipcs -c -q\n",
	           "> 0          600        user       staff      user       staff");
}

/* Where no name is known, ipcs prints the number. */
Test(names, unnamed_gid_prints_as_a_number)
{
	assert_row("process P uid=1000 gid=4242\n"
	           "P: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	           "$ ipcs -c -q\n",
	           "> 0          600        user       4242       user       4242");
}

/* The rule holds wherever the group line is: before it has run, the gid it
 * will name is not the user's (it shows as a number); after, it is the
 * group's. */
Test(names, group_line_later_in_the_scenario_still_wins)
{
	struct script_fixture_run r;

	script_fixture_run("user nobody uid=65534 gid=65534\n"
	                   "process P user=nobody\n"
	                   "P: q = msgget(IPC_PRIVATE, 0600) = 0\n"
	                   "$ ipcs -c -q\n"
	                   "group nogroup gid=65534\n"
	                   "$ ipcs -c -q\n", &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "> 0          600        nobody     65534      nobody     65534") != NULL,
	          "%s", r.out);
	cr_assert(strstr(r.out, "> 0          600        nobody     nogroup    nobody     nogroup") != NULL,
	          "%s", r.out);
	cr_assert(strstr(r.out, "nobody     nobody") == NULL, "%s", r.out);
	script_fixture_release(&r);
}
