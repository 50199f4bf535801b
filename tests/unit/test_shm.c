/*
 * test_shm.c - shared memory in the simulated kernel: shmget, shmat, shmdt,
 * shmctl, memory access and SIGSEGV, fork and exit.
 */
#include <malloc.h>
#include <signal.h>

#include "../lib/kernel_fixture.h"

static struct kfix f;
static int observer; /* a process that lives through every test, for IPC_STAT */

static void setup(void)
{
	kfix_init(&f);
	observer = sim_proc_new(f.k, 1000, 1000, 0);
}

static void teardown(void)
{
	kfix_fini(&f);
}

TestSuite(shmget, .init = setup, .fini = teardown);
TestSuite(shmat, .init = setup, .fini = teardown);
TestSuite(shmctl, .init = setup, .fini = teardown);
TestSuite(shmmem, .init = setup, .fini = teardown);

static struct ipcsim_shmid_ds stat_of(int id)
{
	struct ipcsim_shmid_ds ds;

	cr_assert_eq(sim_shmctl(f.k, observer, id, IPC_STAT, &ds, NULL, NULL), 0, "IPC_STAT %d", id);
	return ds;
}

Test(shmget, sizes_and_order_of_checks)
{
	int nobody = sim_proc_new(f.k, 65534, 65534, 0);

	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 0, 0600), -EINVAL, "size 0 on create");
	cr_assert_eq(sim_shmget(f.k, f.p1, 0x5678, 10000, IPC_CREAT | 0600), 0);
	cr_assert_eq(stat_of(0).shm_segsz, 10000u, "segsz keeps the requested size");
	cr_assert_eq(sim_shmget(f.k, nobody, 0x5678, 20000, 0600), -EINVAL, "size before EACCES");
	cr_assert_eq(sim_shmget(f.k, nobody, 0x5678, 100, 0600), -EACCES);
	cr_assert_eq(sim_shmget(f.k, f.p1, 0x5678, 0, 0), 0, "size 0 on an existing key");
	cr_assert_eq(sim_shmget(f.k, nobody, 0x5678, 100, IPC_CREAT | IPC_EXCL), -EEXIST);
}

Test(shmget, limits)
{
	struct ipcsim_shm_info info;

	cr_assert_eq(sim_limit_set(f.k, "shmmax", 10000), 0);
	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 10001, 0600), -EINVAL);
	cr_assert_eq(sim_limit_set(f.k, "shmall", 3), 0);
	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 1, 0600), 0);
	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 4097, 0600), 1, "exactly shmall pages");
	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 1, 0600), -ENOSPC);
	cr_assert_eq(sim_shmctl(f.k, f.p1, 0, SHM_INFO, NULL, NULL, &info), 1);
	cr_assert_eq(info.shm_tot, 3u);
	cr_assert_eq(info.used_ids, 2);
	cr_assert_eq(sim_limit_set(f.k, "shmall", -1), 0, "unsigned: any bit pattern");
	cr_assert_eq(sim_limit_set(f.k, "shmmni", 2), 0);
	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 1, 0600), -ENOSPC);
}

Test(shmat, null_addresses_go_down_and_nattch_counts)
{
	long a, b;
	struct ipcsim_shmid_ds ds;

	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 10000, 0600), 0);
	a = sim_shmat(f.k, f.p1, 0, 0, 0);
	b = sim_shmat(f.k, f.p1, 0, 0, SHM_RDONLY);
	cr_assert_eq((unsigned long)a, SIM_MMAP_BASE - 3 * SIM_PAGE_SIZE);
	cr_assert_eq(b, a - 3 * (long)SIM_PAGE_SIZE, "top-down, adjacent");
	ds = stat_of(0);
	cr_assert_eq(ds.shm_nattch, 2ul);
	cr_assert_eq(ds.shm_lpid, f.p1);
	cr_assert_eq(ds.shm_atime, SIM_EPOCH);
	cr_assert_eq(sim_shmdt(f.k, f.p1, (unsigned long)a + 4096), -EINVAL, "mid-attachment");
	cr_assert_eq(sim_shmdt(f.k, f.p1, (unsigned long)a + 1), -EINVAL, "unaligned");
	cr_assert_eq(sim_shmdt(f.k, f.p1, (unsigned long)a), 0);
	cr_assert_eq(sim_shmdt(f.k, f.p1, (unsigned long)a), -EINVAL, "twice");
	cr_assert_eq(stat_of(0).shm_nattch, 1ul);
}

Test(shmat, fixed_addresses_rnd_remap_and_overlap)
{
	unsigned long base = 0x100000000000UL;

	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 4096, 0600), 0);
	cr_assert_eq(sim_shmat(f.k, f.p1, 0, base + 10, 0), -EINVAL);
	cr_assert_eq(sim_shmat(f.k, f.p1, 0, base + 10, SHM_RND), (long)base);
	cr_assert_eq(sim_shmat(f.k, f.p1, 0, base, 0), -EINVAL, "overlap");
	cr_assert_eq(sim_shmat(f.k, f.p1, 0, base, SHM_REMAP), (long)base);
	cr_assert_eq(stat_of(0).shm_nattch, 1ul, "the remapped one replaced the old");
	cr_assert_eq(sim_shmat(f.k, f.p1, 0, 0, SHM_REMAP), -EINVAL, "NULL with SHM_REMAP");
	cr_assert_eq(sim_shmat(f.k, f.p1, 0, 10, SHM_RND | SHM_REMAP), -EINVAL, "rounds to 0");
	cr_assert_eq(sim_shmat(f.k, f.p2, 0, 0x1000, 0), -EPERM, "below mmap_min_addr");
	cr_assert_eq(sim_shmat(f.k, f.p1, -1, 0, 0), -EINVAL);
	cr_assert_eq(sim_shmat(f.k, f.p1, 77, 0, 0), -EINVAL);
}

Test(shmat, permissions)
{
	int other = sim_proc_new(f.k, 2000, 2000, 0);

	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 4096, 0644), 0);
	cr_assert_eq(sim_shmat(f.k, other, 0, 0, 0), -EACCES, "read+write needed");
	cr_assert_gt(sim_shmat(f.k, other, 0, 0, SHM_RDONLY), 0);
	cr_assert_eq(sim_shmat(f.k, f.p1, 0, 0, SHM_EXEC), -EACCES, "exec needs x");
}

Test(shmctl, rmid_while_attached_marks_dest)
{
	long a;
	struct ipcsim_shmid_ds ds;

	cr_assert_eq(sim_shmget(f.k, f.p1, 0x200, 8192, IPC_CREAT | 0640), 0);
	a = sim_shmat(f.k, f.p2, 0, 0, 0);
	cr_assert_gt(a, 0);
	cr_assert_eq(sim_shmctl(f.k, f.p1, 0, IPC_RMID, NULL, NULL, NULL), 0);
	cr_assert_eq(sim_shmctl(f.k, f.p1, 0, IPC_RMID, NULL, NULL, NULL), 0, "again");
	ds = stat_of(0);
	cr_assert_eq(ds.shm_perm.mode, 01640u);
	cr_assert_eq(ds.shm_perm.key, 0u, "key private");
	cr_assert_eq(sim_shmget(f.k, f.p1, 0x200, 8192, 0), -ENOENT);
	cr_assert_gt(sim_shmat(f.k, f.p1, 0, 0, 0), 0, "still attachable by id");
	cr_assert_eq(stat_of(0).shm_nattch, 2ul);
	cr_assert_eq(sim_exit(f.k, f.p1, 0), 0);
	cr_assert_eq(sim_shmdt(f.k, f.p2, (unsigned long)a), 0);
	cr_assert_eq(sim_shmctl(f.k, f.p2, 0, IPC_STAT, &ds, NULL, NULL), -EINVAL, "gone");
}

Test(shmctl, lock_set_info)
{
	struct ipcsim_shminfo si;
	struct ipcsim_shmid_ds ds;
	int other = sim_proc_new(f.k, 2000, 2000, 0);

	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 100, 0666), 0);
	cr_assert_eq(sim_shmctl(f.k, other, 0, SHM_LOCK, NULL, NULL, NULL), -EPERM);
	cr_assert_eq(sim_shmctl(f.k, f.p1, 0, SHM_LOCK, NULL, NULL, NULL), 0);
	cr_assert_eq(stat_of(0).shm_perm.mode, 02666u);
	ds = stat_of(0);
	ds.shm_perm.mode = 0600;
	cr_assert_eq(sim_shmctl(f.k, f.p1, 0, IPC_SET, &ds, NULL, NULL), 0);
	cr_assert_eq(stat_of(0).shm_perm.mode, 02600u, "SHM_LOCKED kept");
	cr_assert_eq(sim_shmctl(f.k, f.p1, 0, SHM_UNLOCK, NULL, NULL, NULL), 0);
	cr_assert_eq(sim_shmctl(f.k, f.p1, 0, IPC_INFO, NULL, &si, NULL), 0);
	cr_assert_eq(si.shmmax, 18446744073692774399UL);
	cr_assert_eq(si.shmmni, 4096u);
	cr_assert_eq(si.shmseg, 4096u);
	cr_assert_eq(si.shmmin, 1u);
	cr_assert_eq(sim_shmctl(f.k, f.p1, -1, IPC_INFO, NULL, &si, NULL), -EINVAL);
	cr_assert_eq(sim_shmctl(f.k, f.p1, 0, SHM_STAT, &ds, NULL, NULL), 0);
	cr_assert_eq(sim_shmctl(f.k, f.p1, 0, 99, &ds, NULL, NULL), -EINVAL);
}

Test(shmmem, two_processes_share_bytes_and_pages_are_lazy)
{
	long a, b, v = 0;
	char buf[6];
	int segs;
	unsigned long pages, rss;

	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 1024, 0600), 0);
	a = sim_shmat(f.k, f.p1, 0, 0, 0);
	b = sim_shmat(f.k, f.p2, 0, 0, 0);
	sim_shm_totals(f.k, &segs, &pages, &rss);
	cr_assert_eq(rss, 0u, "nothing touched yet");
	cr_assert_eq(sim_mem_write(f.k, f.p1, (unsigned long)a, "hello", 6), 0);
	cr_assert_eq(sim_mem_read(f.k, f.p2, (unsigned long)b, buf, 6), 0);
	cr_assert_str_eq(buf, "hello");
	cr_assert_eq(sim_mem_store(f.k, f.p2, (unsigned long)b + 4000, -2), 0, "past segsz, same page");
	cr_assert_eq(sim_mem_load(f.k, f.p1, (unsigned long)a + 4000, &v), 0);
	cr_assert_eq(v, -2);
	sim_shm_totals(f.k, &segs, &pages, &rss);
	cr_assert_eq(rss, 1u);
}

Test(shmmem, faults_kill_with_sigsegv_and_detach)
{
	long a, r;
	struct sim_proc_view v;

	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 4096, 0600), 0);
	a = sim_shmat(f.k, f.p1, 0, 0, 0);
	r = sim_shmat(f.k, f.p2, 0, 0, SHM_RDONLY);
	cr_assert_eq(sim_mem_store(f.k, f.p1, (unsigned long)a + 4096, 1), SIM_KILLED, "page end");
	cr_assert_eq(sim_proc_get(f.k, f.p1, &v), 0);
	cr_assert_eq(v.state, SIM_PROC_KILLED);
	cr_assert_eq(v.term_sig, SIGSEGV);
	cr_assert_eq(stat_of(0).shm_nattch, 1ul, "death detaches");
	cr_assert_eq(sim_mem_store(f.k, f.p2, (unsigned long)r, 1), SIM_KILLED, "read-only");
	cr_assert_eq(stat_of(0).shm_nattch, 0ul);
	cr_assert_eq(stat_of(0).shm_lpid, f.p2);
}

Test(shmmem, fork_copies_attachments_exit_detaches)
{
	long a, child, v = 0;
	struct ipcsim_shmid_ds ds;

	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, 4096, 0600), 0);
	a = sim_shmat(f.k, f.p1, 0, 0, 0);
	cr_assert_eq(sim_mem_store(f.k, f.p1, (unsigned long)a, 42), 0);
	child = sim_fork(f.k, f.p1);
	ds = stat_of(0);
	cr_assert_eq(ds.shm_nattch, 2ul);
	cr_assert_eq(ds.shm_lpid, f.p1, "the parent runs dup_mmap");
	cr_assert_eq(sim_mem_load(f.k, (int)child, (unsigned long)a, &v), 0);
	cr_assert_eq(v, 42);
	cr_assert_eq(sim_exit(f.k, (int)child, 0), 0);
	ds = stat_of(0);
	cr_assert_eq(ds.shm_nattch, 1ul);
	cr_assert_eq(ds.shm_lpid, child);
}

/* The cap is a kernel setting, so the test need not touch a gigabyte: 16
 * pages, then the 17th write is refused. */
Test(shmmem, memory_cap_is_a_clean_error)
{
	const size_t cap = 16 * SIM_PAGE_SIZE;
	long a;

	sim_shm_set_mem_cap(f.k, cap + 100); /* rounded down to whole pages */
	cr_assert_eq(sim_limit_set(f.k, "shmmax", -1), 0);
	cr_assert_eq(sim_shmget(f.k, f.p1, IPC_PRIVATE, (size_t)4 << 30, 0600), 0, "lazy: free");
	a = sim_shmat(f.k, f.p1, 0, 0, 0);
	cr_assert_gt(a, 0);
	for (unsigned long off = 0;; off += SIM_PAGE_SIZE) {
		long rc = sim_mem_store(f.k, f.p1, (unsigned long)a + off, 1);

		if (rc == SIM_ENOMEM_CAP) {
			cr_assert_eq(off, cap);
			break;
		}
		cr_assert_eq(rc, 0);
	}
}

static int count_attachment(void *ctx, const struct sim_attach_view *v)
{
	(void)v;
	++*(int *)ctx;
	return 0;
}

static int attachments_of(int pid)
{
	int n = 0;

	cr_assert_eq(sim_proc_attachments(f.k, pid, count_attachment, &n), 0);
	return n;
}

/* fork shares the parent's VMAs until one side changes them: 4,096
 * attachments and 10,000 forks used to copy 40 million VMAs (2.6 GB). */
Test(shmmem, fork_shares_attachments_until_one_side_changes)
{
	enum { NATT = 4096, NFORK = 10000 };
	static int kids[NFORK];
	static unsigned long addrs[NATT];
	struct mallinfo2 before, after;
	long id = sim_shmget(f.k, f.p1, IPC_PRIVATE, SIM_PAGE_SIZE, 0600), v;

	cr_assert_eq(id, 0);
	for (int i = 0; i < NATT; i++) {
		long a = sim_shmat(f.k, f.p1, (int)id, 0, 0);

		cr_assert_gt(a, 0);
		addrs[i] = (unsigned long)a;
	}
	cr_assert_eq(sim_mem_store(f.k, f.p1, addrs[7], 42), 0);
	before = mallinfo2();
	for (int i = 0; i < NFORK; i++) {
		kids[i] = (int)sim_fork(f.k, f.p1);
		cr_assert_gt(kids[i], 0);
	}
	after = mallinfo2();
	/* a process, not 4,096 VMAs, per fork (mallinfo2 counts nothing
	 * under ASan's allocator: then this bound holds trivially) */
	cr_assert_lt(after.uordblks - before.uordblks, (size_t)NFORK * 1024,
	             "%zu bytes for %d forks", after.uordblks - before.uordblks, NFORK);
	cr_assert_eq(stat_of((int)id).shm_nattch, (unsigned long)NATT * (NFORK + 1));
	/* every child sees the parent's bytes at the parent's addresses */
	cr_assert_eq(sim_mem_load(f.k, kids[NFORK - 1], addrs[7], &v), 0);
	cr_assert_eq(v, 42);
	/* a change in one child is that child's alone */
	cr_assert_eq(sim_shmdt(f.k, kids[0], addrs[0]), 0);
	cr_assert_eq(attachments_of(kids[0]), NATT - 1);
	cr_assert_eq(attachments_of(kids[1]), NATT);
	cr_assert_eq(attachments_of(f.p1), NATT);
	cr_assert_eq(sim_mem_load(f.k, kids[1], addrs[0], &v), 0);
	cr_assert_eq(sim_mem_load(f.k, kids[0], addrs[0], &v), SIM_KILLED, "detached in kids[0] only");
	/* kids[0] died of SIGSEGV: its 4,095 remaining VMAs closed */
	cr_assert_eq(stat_of((int)id).shm_nattch, (unsigned long)NATT * NFORK);
	cr_assert_eq(sim_exit(f.k, kids[1], 0), 0);
	cr_assert_eq(stat_of((int)id).shm_nattch, (unsigned long)NATT * (NFORK - 1));
	cr_assert_eq(sim_shmdt(f.k, f.p1, addrs[1]), 0);
	cr_assert_eq(attachments_of(kids[2]), NATT);
	cr_assert_eq(attachments_of(f.p1), NATT - 1);
}

/* vm.max_map_count: shmat fails with ENOMEM once a process has more VMAs
 * than the limit (it may pass it by one), before the address is looked at. */
Test(shmat, max_map_count_is_enforced)
{
	long id = sim_shmget(f.k, f.p1, IPC_PRIVATE, SIM_PAGE_SIZE, 0600);

	sim_shm_set_max_map_count(f.k, 10);
	for (int i = 0; i < 11; i++)
		cr_assert_gt(sim_shmat(f.k, f.p1, (int)id, 0, 0), 0, "attach %d", i + 1);
	cr_assert_eq(sim_shmat(f.k, f.p1, (int)id, 0, 0), -ENOMEM);
	cr_assert_eq(sim_shmat(f.k, f.p1, (int)id, 0x1000, 0), -ENOMEM, "ENOMEM before EPERM");
	cr_assert_eq(sim_shmat(f.k, f.p2, (int)id, 0, 0) > 0, 1, "another process has room");
	cr_assert_eq(stat_of((int)id).shm_nattch, 12ul);
	sim_shm_set_max_map_count(f.k, 0);
	cr_assert_gt(sim_shmat(f.k, f.p1, (int)id, 0, 0), 0, "the default is back");
}

/* sim_shm_written collects the runs it is given. */
struct runs {
	struct sim_mem_run_view v[16];
	int n;
};

static int collect_run(void *ctx, const struct sim_mem_run_view *r)
{
	struct runs *x = ctx;

	if (x->n < 16)
		x->v[x->n] = *r;
	x->n++;
	return 0;
}

static void expect_run(const struct runs *x, int i, size_t off, size_t len,
                       enum sim_mem_kind kind, int pid)
{
	cr_assert_lt(i, x->n, "run %d missing (%d runs)", i, x->n);
	cr_expect(x->v[i].off == off && x->v[i].len == len && x->v[i].kind == kind &&
	          x->v[i].pid == pid, "run %d: @%zu +%zu kind %d by %d, expected @%zu +%zu kind %d "
	          "by %d", i, x->v[i].off, x->v[i].len, x->v[i].kind, x->v[i].pid, off, len, kind, pid);
}

Test(shmmem, the_kernel_remembers_how_and_by_whom_each_cell_was_written)
{
	int id = (int)sim_shmget(f.k, f.p1, IPC_PRIVATE, 3 * 4096, 0600);
	long a = sim_shmat(f.k, f.p1, id, 0, 0), v;
	int child;
	struct runs x = { 0 };

	cr_assert_gt(a, 0);
	cr_assert_eq(sim_shm_written(f.k, id, collect_run, &x), 0);
	cr_expect_eq(x.n, 0, "nothing written yet");
	cr_assert_eq(sim_mem_load(f.k, f.p1, a + 4096, &v), 0);
	cr_assert_eq(sim_mem_store(f.k, f.p1, a, 100), 0);
	cr_assert_eq(sim_mem_store(f.k, f.p1, a + 8, 0), 0);
	cr_assert_eq(sim_mem_write(f.k, f.p1, a + 16, "hello", 6), 0);
	cr_assert_eq(sim_mem_store(f.k, f.p1, a + 36, 7), 0);             /* across two cells */
	cr_assert_eq(sim_mem_write(f.k, f.p1, a + 8192 - 2, "page", 5), 0); /* across pages */
	x.n = 0;
	cr_assert_eq(sim_shm_written(f.k, id, collect_run, &x), 0);
	cr_assert_eq(x.n, 4, "a read writes nothing; %d runs", x.n);
	expect_run(&x, 0, 0, 16, SIM_MEM_LONG, f.p1);  /* two longs, the stored 0 included */
	expect_run(&x, 1, 16, 8, SIM_MEM_BYTES, f.p1);
	expect_run(&x, 2, 32, 16, SIM_MEM_BYTES, f.p1);
	expect_run(&x, 3, 8184, 16, SIM_MEM_BYTES, f.p1);
	/* the last write wins, cell by cell; the same value by another process
	 * is another run (the race's lost update) */
	child = (int)sim_fork(f.k, f.p1);
	cr_assert_gt(child, 0);
	cr_assert_eq(sim_mem_write(f.k, f.p1, a, "x", 2), 0);
	cr_assert_eq(sim_mem_store(f.k, f.p1, a + 16, 5), 0);
	cr_assert_eq(sim_mem_store(f.k, child, a + 8, 0), 0);
	x.n = 0;
	cr_assert_eq(sim_shm_written(f.k, id, collect_run, &x), 0);
	expect_run(&x, 0, 0, 8, SIM_MEM_BYTES, f.p1);
	expect_run(&x, 1, 8, 8, SIM_MEM_LONG, child);
	expect_run(&x, 2, 16, 8, SIM_MEM_LONG, f.p1);
	cr_expect_eq(sim_shm_written(f.k, id + 1, collect_run, &x), -EINVAL);
}
