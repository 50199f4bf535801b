/*
 * test_area_fit.c - the data area's first fit (a tree of holes) places every
 * message exactly where the plain scan of a sorted hole list did: random
 * workloads of sends and receives, checked step by step against a model of
 * that scan, growing and with a fixed pool.
 */
#include "../lib/kernel_fixture.h"

#include <stdlib.h>

#define MAXHOLES 4096
#define MAXMSGS 512

/* The reference: the former msg_area.c, a sorted array scanned first fit. */
struct model {
	size_t nunits, limit;
	size_t nfree;
	struct { size_t start, len; } hole[MAXHOLES];
};

static void model_insert(struct model *m, size_t start, size_t len)
{
	size_t i = 0;

	while (i < m->nfree && m->hole[i].start < start)
		i++;
	if (i > 0 && m->hole[i - 1].start + m->hole[i - 1].len == start) {
		m->hole[i - 1].len += len;
		if (i < m->nfree && start + len == m->hole[i].start) {
			m->hole[i - 1].len += m->hole[i].len;
			memmove(&m->hole[i], &m->hole[i + 1], (m->nfree - i - 1) * sizeof(m->hole[0]));
			m->nfree--;
		}
		return;
	}
	if (i < m->nfree && start + len == m->hole[i].start) {
		m->hole[i].start = start;
		m->hole[i].len += len;
		return;
	}
	cr_assert_lt(m->nfree, MAXHOLES);
	memmove(&m->hole[i + 1], &m->hole[i], (m->nfree - i) * sizeof(m->hole[0]));
	m->hole[i].start = start;
	m->hole[i].len = len;
	m->nfree++;
}

/* First unit of n units, or -1 when a fixed pool has no hole for them. */
static long model_reserve(struct model *m, size_t n)
{
	size_t i, start, tail = 0, want;

	for (i = 0; i < m->nfree && m->hole[i].len < n; i++)
		;
	if (i == m->nfree) {
		if (m->limit)
			return -1;
		if (m->nfree && m->hole[m->nfree - 1].start + m->hole[m->nfree - 1].len == m->nunits)
			tail = m->hole[m->nfree - 1].len;
		want = m->nunits ? m->nunits * 2 : 64;
		if (want < m->nunits + n - tail)
			want = m->nunits + n - tail;
		model_insert(m, m->nunits, want - m->nunits);
		m->nunits = want;
		for (i = 0; m->hole[i].len < n; i++)
			;
	}
	start = m->hole[i].start;
	m->hole[i].start += n;
	m->hole[i].len -= n;
	if (m->hole[i].len == 0) {
		memmove(&m->hole[i], &m->hole[i + 1], (m->nfree - i - 1) * sizeof(m->hole[0]));
		m->nfree--;
	}
	return (long)start;
}

struct area_seen {
	size_t nholes;
	struct { size_t start, len; } hole[MAXHOLES];
	long want_mtype, unit;
};

static int seen_extent(void *ctx, const struct sim_area_extent_view *e)
{
	struct area_seen *s = ctx;

	if (!e->used && s->nholes < MAXHOLES) {
		s->hole[s->nholes].start = e->first_unit;
		s->hole[s->nholes].len = e->nunits;
		s->nholes++;
	}
	return 0;
}

static int seen_record(void *ctx, const struct sim_msg_record_view *r)
{
	struct area_seen *s = ctx;

	if (r->mtype == s->want_mtype)
		s->unit = r->data_unit;
	return 0;
}

static void assert_same_holes(struct sim_kernel *k, const struct model *m, int step)
{
	static struct area_seen s;
	struct sim_area_info info;
	char err[256];

	s.nholes = 0;
	cr_assert_eq(sim_msg_area(k, &info, seen_extent, &s), 0);
	cr_assert_eq(info.nunits, m->nunits, "step %d: %zu units, the scan had %zu", step,
	             info.nunits, m->nunits);
	cr_assert_eq(s.nholes, m->nfree, "step %d: %zu holes, the scan had %zu", step, s.nholes,
	             m->nfree);
	for (size_t i = 0; i < m->nfree; i++)
		cr_assert(s.hole[i].start == m->hole[i].start && s.hole[i].len == m->hole[i].len,
		          "step %d: hole %zu is %zu+%zu, the scan had %zu+%zu", step, i,
		          s.hole[i].start, s.hole[i].len, m->hole[i].start, m->hole[i].len);
	cr_assert_eq(sim_kernel_check(k, err, sizeof(err)), 0, "step %d: %s", step, err);
}

/*
 * steps random sends (size 1..maxsz bytes, a fresh type each) and receives
 * (a random queued message, by its type); pool: msgpool bytes, 0 grows.
 */
static void random_workload(unsigned seed, int steps, size_t maxsz, long long pool)
{
	static struct model m;
	static unsigned char text[8192];
	long queued[MAXMSGS], units[MAXMSGS];
	size_t sizes[MAXMSGS];
	int nq = 0, q, pid;
	long next_type = 1;
	struct sim_kernel *k = sim_kernel_new();

	cr_assert_not_null(k);
	srand(seed);
	memset(&m, 0, sizeof(m));
	cr_assert_eq(sim_limit_set(k, "msgmnb", 1 << 24), 0);
	if (pool) {
		cr_assert_eq(sim_limit_set(k, "msgpool", pool), 0);
		m.limit = (size_t)pool / 16;
		model_insert(&m, 0, m.limit);
		m.nunits = m.limit;
	}
	pid = sim_proc_new(k, 0, 0, SIM_CAP_ALL);
	q = (int)sim_msgget(k, pid, IPC_PRIVATE, 0600);
	cr_assert_geq(q, 0);
	for (int step = 0; step < steps; step++) {
		if (nq < MAXMSGS && (nq == 0 || rand() % 100 < 55)) {
			size_t sz = 1 + (size_t)rand() % maxsz;
			struct sim_msgbuf msg = { next_type, sz, text };
			long want = model_reserve(&m, (sz + 15) / 16), rc;
			static struct area_seen s;

			rc = sim_msgsnd(k, pid, q, &msg, sz, IPC_NOWAIT);
			if (want < 0) {
				cr_assert_eq(rc, -EAGAIN, "step %d: the pool is full, yet %ld", step, rc);
				continue;
			}
			cr_assert_eq(rc, 0, "step %d: msgsnd %ld", step, rc);
			s.want_mtype = next_type;
			s.unit = -2;
			sim_msg_records(k, q, seen_record, &s);
			cr_assert_eq(s.unit, want, "step %d: %zu bytes placed at unit %ld, the scan "
			             "placed them at %ld", step, sz, s.unit, want);
			queued[nq] = next_type++;
			units[nq] = want;
			sizes[nq++] = sz;
		} else {
			int i = rand() % nq;
			struct sim_msgbuf out;

			cr_assert_eq(sim_msgrcv(k, pid, q, &out, 8192, queued[i], IPC_NOWAIT),
			             (long)sizes[i], "step %d", step);
			sim_msgbuf_release(&out);
			model_insert(&m, (size_t)units[i], (sizes[i] + 15) / 16);
			queued[i] = queued[--nq];
			units[i] = units[nq];
			sizes[i] = sizes[nq];
		}
		assert_same_holes(k, &m, step);
	}
	sim_kernel_free(&k);
}

Test(area_fit, same_placement_as_the_scan_growing)
{
	for (unsigned seed = 1; seed <= 8; seed++)
		random_workload(seed, 1500, 600, 0);
}

Test(area_fit, same_placement_as_the_scan_small_messages)
{
	for (unsigned seed = 11; seed <= 14; seed++)
		random_workload(seed, 3000, 40, 0);
}

Test(area_fit, same_placement_as_the_scan_in_a_fixed_pool)
{
	for (unsigned seed = 21; seed <= 26; seed++)
		random_workload(seed, 2000, 1500, 32768);
}

/* Thousands of one-unit holes: first fit still finds the tail, and the
 * holes stay exactly where they were. */
Test(area_fit, many_holes)
{
	static unsigned char text[64];
	struct sim_kernel *k = sim_kernel_new();
	struct sim_area_info info;
	struct sim_msgbuf out, small = { 3, 1, text }, big = { 1, 64, text };
	int pid = sim_proc_new(k, 0, 0, SIM_CAP_ALL), q;

	cr_assert_eq(sim_limit_set(k, "msgmnb", 1 << 20), 0);
	q = (int)sim_msgget(k, pid, IPC_PRIVATE, 0600);
	for (int i = 0; i < 4000; i++) {
		small.mtype = 2 + i % 2;
		cr_assert_eq(sim_msgsnd(k, pid, q, &small, 1, IPC_NOWAIT), 0);
	}
	for (int i = 0; i < 2000; i++) {
		cr_assert_eq(sim_msgrcv(k, pid, q, &out, 64, 3, IPC_NOWAIT), 1);
		sim_msgbuf_release(&out);
	}
	/* units 0..3999 hold types 2,3,2,3...: the type-3 ones are now the
	 * holes 1, 3, ..., 3999 (the last joins the tail at 4000) */
	cr_assert_eq(sim_msgsnd(k, pid, q, &big, 64, IPC_NOWAIT), 0);
	{
		struct area_seen s = { .want_mtype = 1, .unit = -2 };

		sim_msg_records(k, q, seen_record, &s);
		cr_assert_eq(s.unit, 3999, "64 bytes (4 units) go to the first hole of 4 units");
	}
	sim_msg_area(k, &info, NULL, NULL);
	cr_assert_eq(info.used_units, 2000 + 4);
	sim_kernel_free(&k);
}
