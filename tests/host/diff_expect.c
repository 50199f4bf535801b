/*
 * diff_expect.c - directed-sequence helpers (see diff_expect.h).
 */
#include "diff_expect.h"
#include "diff_build.h"
#include "diff_check.h"
#include "diff_env.h"
#include "diff_exec.h"

#include <criterion/criterion.h>
#include <string.h>

#include "ipcsim/kernel.h"

void diff_directed_init(struct diff_directed *dd, const char *name)
{
	memset(dd, 0, sizeof(*dd));
	diff_seq_init(&dd->seq, 0, -1);
	dd->name = name;
}

void diff_directed_check(struct diff_directed *dd)
{
	int before[3] = { diff_env_ipc_count("msg"), diff_env_ipc_count("shm"),
	                  diff_env_ipc_count("sem") };
	struct diff_check c;
	enum diff_outcome rc;
	char why[512];

	cr_assert_eq(diff_check_init(&c), 0, "out of memory");
	dd->root_caps = c.root_caps;
	rc = diff_check_run(&c, &dd->seq, dd->name);
	memcpy(&dd->run, c.run, sizeof(dd->run));
	snprintf(why, sizeof(why), "%s", c.why);
	diff_check_fini(&c);
	cr_assert_neq(rc, DIFF_HOST_FAILED, "%s: the host kernel could not run the sequence: %s",
	              dd->name, why);
	cr_assert(diff_env_ipc_count("msg") == before[0] && diff_env_ipc_count("shm") == before[1] &&
	          diff_env_ipc_count("sem") == before[2],
	          "%s: the machine's IPC namespace gained or lost objects", dd->name);
	cr_expect_eq(rc, DIFF_AGREED, "%s: the simulator and the host kernel differ: %s "
	             "(report on stderr)", dd->name, why);
}

void diff_expect_ret(const struct diff_directed *dd, int i, long want)
{
	char step[96];

	diff_exec_describe(&dd->seq.steps[i], step, sizeof(step));
	cr_expect_eq(diff_result_of(dd, i)->ret, want,
	             "%s: line %d (%s): Linux should answer %ld, the kernels said %ld", dd->name,
	             i + 1, step, want, dd->run.r[i].ret);
}

void diff_expect_msg(const struct diff_directed *dd, int i, long mtype, int sent, size_t len)
{
	const struct diff_result *r = diff_result_of(dd, i);
	unsigned char text[256];

	cr_assert_leq(len, sizeof(text), "test message too long");
	for (size_t j = 0; j < len; j++)
		text[j] = diff_text_byte(sent, j);
	cr_expect(r->has_msg && r->mtype == mtype && r->len == len &&
	          r->text_hash == diff_hash(text, len),
	          "%s: line %d should receive the %zu-byte type-%ld message of line %d; got "
	          "mtype %ld, %zu bytes", dd->name, i + 1, len, mtype, sent + 1, r->mtype, r->len);
}

int diff_root_has_sys_resource(const struct diff_directed *dd)
{
	return (dd->root_caps & SIM_CAP_SYS_RESOURCE) != 0;
}

const struct diff_result *diff_result_of(const struct diff_directed *dd, int i)
{
	cr_assert(i >= 0 && i < dd->run.nsteps, "%s: step %d did not run", dd->name, i);
	return &dd->run.r[i];
}

long diff_proc_of(const struct diff_directed *dd, long pid)
{
	for (int n = 0; pid > 0 && n < dd->run.nprocs; n++)
		if (dd->run.pids[n] == pid)
			return n;
	return -1;
}
