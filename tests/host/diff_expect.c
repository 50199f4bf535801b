/*
 * diff_expect.c - directed-sequence helpers (see diff_expect.h).
 */
#include "diff_expect.h"
#include "diff_build.h"
#include "diff_driver.h"
#include "diff_env.h"
#include "diff_fmt.h"
#include "diff_report.h"

#include <criterion/criterion.h>
#include <string.h>

void diff_directed_init(struct diff_directed *dd, const char *name)
{
	memset(dd, 0, sizeof(*dd));
	diff_seq_init(&dd->seq, 0, -1);
	dd->name = name;
}

void diff_directed_check(struct diff_directed *dd)
{
	struct diff_driver d;
	int before = diff_env_queue_count(), rc, bad;
	int shm_before = diff_env_ipc_count("shm"), sem_before = diff_env_ipc_count("sem");
	char why[256];

	cr_assert_eq(diff_driver_init(&d), 0, "out of memory");
	dd->cap_eff = d.cap_eff;
	rc = diff_driver_check(&d, &dd->seq, dd->name);
	memcpy(&dd->host, d.hostrun, sizeof(dd->host));
	snprintf(why, sizeof(why), "%s", d.why);
	bad = d.bad_step;
	diff_driver_fini(&d);
	cr_assert_geq(rc, 0, "%s: the host kernel could not run the sequence: %s", dd->name, why);
	cr_assert_eq(diff_env_queue_count(), before,
	             "%s: the machine's IPC namespace gained or lost queues", dd->name);
	cr_assert(diff_env_ipc_count("shm") == shm_before && diff_env_ipc_count("sem") == sem_before,
	          "%s: the machine's IPC namespace gained or lost segments or semaphore sets",
	          dd->name);
	cr_expect_eq(rc, 0, "%s: the simulator diverges from the host at step %d: %s "
	             "(report on stderr)", dd->name, bad, why);
}

void diff_expect_ret(const struct diff_directed *dd, int i, long want)
{
	char call[512], got[1024];

	diff_fmt_call(call, sizeof(call), &dd->seq, i, &dd->host);
	diff_fmt_result(got, sizeof(got), &dd->host.r[i], &dd->host);
	cr_expect_eq(dd->host.r[i].ret, want, "%s: %s: Linux should answer %ld, the host said %s",
	             dd->name, call, want, got);
}

void diff_expect_msg(const struct diff_directed *dd, int i, long mtype, int sent, size_t len)
{
	const struct diff_result *r = &dd->host.r[i];
	unsigned char text[256];

	cr_assert_leq(len, sizeof(text), "test message too long");
	for (size_t j = 0; j < len; j++)
		text[j] = diff_text_byte(sent, j);
	cr_expect(r->has_msg && r->mtype == mtype && r->len == len &&
	          r->text_hash == diff_hash(text, len),
	          "%s: step %d should receive the %zu-byte type-%ld message of step %d; got "
	          "mtype %ld, %zu bytes", dd->name, i, len, mtype, sent, r->mtype, r->len);
}

int diff_host_root_has_sys_resource(const struct diff_directed *dd)
{
	return (dd->cap_eff >> 24) & 1;
}

const struct diff_result *diff_host_result(const struct diff_directed *dd, int i)
{
	cr_assert(i >= 0 && i < dd->host.nsteps, "%s: step %d did not run on the host", dd->name, i);
	return &dd->host.r[i];
}

long diff_host_proc_of(const struct diff_directed *dd, long pid)
{
	return diff_canon_pid(&dd->host, pid);
}
