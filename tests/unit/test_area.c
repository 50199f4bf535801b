/*
 * test_area.c - the kernel data area (first fit, coalescing, growing or a
 * fixed pool), ftok, limits, and allocation failure at every point of a send
 * and a receive.
 */
#include "../lib/kernel_fixture.h"

static struct kfix f;

static void setup(void)
{
	kfix_init(&f);
}

static void teardown(void)
{
	kfix_fini(&f);
}

TestSuite(area, .init = setup, .fini = teardown);
TestSuite(ftok, .init = setup, .fini = teardown);
TestSuite(limits, .init = setup, .fini = teardown);
TestSuite(allocfail, .init = setup, .fini = teardown);

struct extents {
	size_t n;
	struct sim_area_extent_view e[32];
};

static int collect(void *ctx, const struct sim_area_extent_view *e)
{
	struct extents *x = ctx;

	if (x->n < 32)
		x->e[x->n++] = *e;
	return 0;
}

static struct extents area_map(struct sim_area_info *info)
{
	struct extents x = { 0 };

	cr_assert_eq(sim_msg_area(f.k, info, collect, &x), 0);
	return x;
}

struct nth_record {
	int want, seen;
	long unit;
};

static int nth_record_cb(void *ctx, const struct sim_msg_record_view *r)
{
	struct nth_record *c = ctx;

	if (c->seen++ == c->want)
		c->unit = r->data_unit;
	return 0;
}

/* The data unit of queue q's nth record (FIFO order). */
static long record_unit(int q, int nth)
{
	struct nth_record c = { nth, 0, -2 };

	return sim_msg_records(f.k, q, nth_record_cb, &c) == 0 ? c.unit : -3;
}

Test(area, texts_take_whole_units_first_fit)
{
	struct sim_area_info info;
	struct extents x;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "a", 17, 0), 0); /* 2 units */
	cr_assert_eq(send_text(f.k, f.p1, 0, 2, "b", 16, 0), 0); /* 1 unit */
	cr_assert_eq(send_text(f.k, f.p1, 0, 3, "", 0, 0), 0);   /* none */
	cr_assert_eq(record_unit(0, 0), 0);
	cr_assert_eq(record_unit(0, 1), 2);
	cr_assert_eq(record_unit(0, 2), -1, "an empty text has no data");
	x = area_map(&info);
	cr_assert_eq(info.unit, 16u);
	cr_assert_eq(info.used_units, 3u);
	cr_assert_eq(x.e[0].used, 1);
	cr_assert_eq(x.e[0].nunits, 2u);
	cr_assert_eq(x.e[1].mtype, 2);
	cr_assert_eq(x.e[2].used, 0);
	/* free the first: a 1-unit text fits in its hole, first fit */
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 1, 0, NULL), 1);
	cr_assert_eq(send_text(f.k, f.p1, 0, 4, "c", 5, 0), 0);
	cr_assert_eq(record_unit(0, 2), 0);
}

Test(area, released_neighbours_coalesce)
{
	struct sim_area_info info;
	struct extents x;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	for (long t = 1; t <= 3; t++)
		cr_assert_eq(send_text(f.k, f.p1, 0, t, "x", 16, 0), 0);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 1, 0, NULL), 1);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 3, 0, NULL), 3);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 2, 0, NULL), 2);
	x = area_map(&info);
	cr_assert_eq(x.n, 1u, "one free extent after all releases, got %zu", x.n);
	cr_assert_eq(x.e[0].nunits, info.nunits);
}

Test(area, grows_by_default)
{
	struct sim_area_info info;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "big", 8192, 0), 0);
	sim_msg_area(f.k, &info, NULL, NULL);
	cr_assert_geq(info.nunits, 512u);
	cr_assert_eq(info.pool_limit, 0u);
}

Test(area, fixed_pool_blocks_and_wakes_on_release)
{
	cr_assert_eq(sim_limit_set(f.k, "msgpool", 64), 0); /* 4 units */
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 1);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "a", 32, 0), 0);
	cr_assert_eq(send_text(f.k, f.p1, 1, 1, "b", 16, 0), 0);
	cr_assert_eq(send_text(f.k, f.p1, 1, 1, "c", 32, IPC_NOWAIT), -EAGAIN, "no room in the pool");
	cr_assert_eq(send_text(f.k, f.p2, 1, 1, "c", 32, 0), SIM_BLOCKED);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 64, 0, 0, NULL), 1, "a release in queue 0...");
	expect_resumed(f.k, f.p2, 0); /* ...lets queue 1's sender go */
	assert_queue(f.k, 1, 2, 48);
}

Test(area, msgssz_changes_only_when_empty)
{
	cr_assert_eq(sim_limit_set(f.k, "msgssz", 12), -EINVAL, "power of two");
	cr_assert_eq(sim_limit_set(f.k, "msgssz", 8), 0);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "a", 9, 0), 0);
	cr_assert_eq(sim_limit_set(f.k, "msgssz", 32), -EBUSY);
}

Test(ftok, glibc_formula)
{
	cr_assert_eq(sim_file_add(f.k, "./myfile", 0x1234, 8, 1), 0);
	cr_assert_eq(sim_ftok(f.k, "./myfile", 65), 0x41011234L);
	cr_assert_eq(sim_ftok(f.k, "./myfile", 0x141), 0x41011234L, "only 8 bits of proj");
	cr_assert_eq(sim_ftok(f.k, "./myfile", 0x80), 0x80011234L, "high keys stay unsigned");
	cr_assert_eq(sim_ftok(f.k, "./myfile", 0), 0x00011234L);
	cr_assert_eq(sim_ftok(f.k, "./nofile", 65), -ENOENT);
}

Test(limits, names_defaults_and_errors)
{
	long long v;

	for (int i = 0; sim_limit_names[i]; i++)
		cr_assert_eq(sim_limit_get(f.k, sim_limit_names[i], &v), 0, "%s", sim_limit_names[i]);
	cr_assert_eq(sim_limit_get(f.k, "msgmnb", &v), 0);
	cr_assert_eq(v, 16384);
	cr_assert_eq(sim_limit_set(f.k, "nosuch", 1), -ENOENT);
	cr_assert_eq(sim_limit_set(f.k, "msgmax", -1), -EINVAL);
	cr_assert_eq(sim_limit_set(f.k, "msgmni", 40000), -EINVAL);
	cr_assert_eq(sim_limit_set(f.k, "msgmax", 100), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "x", 101, 0), -EINVAL);
}

/* Every allocation of a send, then of a blocking receive, fails in turn:
 * each failure is -ENOMEM with nothing changed. */
Test(allocfail, every_allocation_of_send_and_receive)
{
	long rc;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	for (unsigned long n = 1;; n++) {
		sim_kernel_fail_alloc_after(f.k, n);
		rc = send_text(f.k, f.p1, 0, (long)n, "payload", 40, 0);
		sim_kernel_fail_alloc_after(f.k, 0);
		if (rc == 0)
			break;
		cr_assert_eq(rc, -ENOMEM, "allocation %lu: %ld", n, rc);
		assert_queue(f.k, 0, 0, 0);
		cr_assert_lt(n, 20u);
	}
	assert_queue(f.k, 0, 1, 40);
	for (unsigned long n = 1;; n++) {
		sim_kernel_fail_alloc_after(f.k, n);
		rc = recv_type(f.k, f.p2, 0, 64, 0, 0, NULL);
		sim_kernel_fail_alloc_after(f.k, 0);
		if (rc > 0)
			break;
		cr_assert_eq(rc, -ENOMEM, "allocation %lu: %ld", n, rc);
		assert_queue(f.k, 0, 1, 40);
	}
	sim_kernel_fail_alloc_after(f.k, 1);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 0, 0, NULL), -ENOMEM, "the receiver record");
	sim_kernel_fail_alloc_after(f.k, 0);
	sim_kernel_fail_alloc_after(f.k, 1);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), -ENOMEM);
	sim_kernel_fail_alloc_after(f.k, 0);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 1, "a failed get takes no id");
}
