/*
 * test_diff_directed_shm.c - hand-written shared memory sequences from
 * Linux's shared memory rules (docs/linux-semantics.md).  Each runs through
 * the comparer of `ipcsim check` like the random ones (both kernels must
 * agree), and the agreed answers are also checked against what Linux does.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <sys/shm.h>

#include "diff_build.h"
#include "diff_expect.h"
#include "ipcsim/kernel.h"

#define R DIFF_ROOT
#define Q(step) diff_ref(step)
#define NUL diff_addr_lit(0)
#define FIX(page) diff_addr_fixed((page), 0)

static struct diff_directed dd; /* large: kept off the stack */

static const struct ipcsim_shmid_ds *stat_of(int i)
{
	const struct diff_result *r = diff_result_of(&dd, i);

	cr_assert(r->r.has_shm_ds, "%s: step %d has no shmid_ds (ret %ld)", dd.name, i, r->ret);
	return &r->r.shm_ds;
}

Test(diff_directed_shm, rmid_with_attachments_marks_shm_dest_frees_the_key_and_stays_attachable)
{
	struct diff_seq *s = &dd.seq;
	int q, a, rm, st, get, a2, rm2, rm3, st2, q2, st3;

	diff_directed_init(&dd, "IPC_RMID with attachments");
	q = diff_b_shmget(s, R, 0x4321, 4096, IPC_CREAT | 0640);
	a = diff_b_shmat(s, R, Q(q), NUL, 0);
	rm = diff_b_shmctl(s, R, Q(q), IPC_RMID);
	st = diff_b_shmctl(s, R, Q(q), IPC_STAT);
	get = diff_b_shmget(s, R, 0x4321, 0, 0);
	a2 = diff_b_shmat(s, R, Q(q), NUL, SHM_RDONLY);
	rm2 = diff_b_shmctl(s, R, Q(q), IPC_RMID);
	rm3 = diff_b_shmctl(s, R, Q(q), IPC_RMID);
	st2 = diff_b_shmctl(s, R, Q(q), IPC_STAT);
	q2 = diff_b_shmget(s, R, 0x4321, 4096, IPC_CREAT | IPC_EXCL | 0600);
	diff_b_shmdt(s, R, diff_addr_at(a, 0));
	diff_b_shmdt(s, R, diff_addr_at(a2, 0));
	st3 = diff_b_shmctl(s, R, Q(q), IPC_STAT);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, rm, 0);
	cr_expect_eq(stat_of(st)->shm_perm.mode, 01640, "SHM_DEST shows in the mode");
	cr_expect_eq(stat_of(st)->shm_perm.key, 0, "the key becomes IPC_PRIVATE");
	diff_expect_ret(&dd, get, -ENOENT);
	cr_expect_geq(diff_result_of(&dd, a2)->ret, 0, "a SHM_DEST segment is still attachable by id");
	diff_expect_ret(&dd, rm2, 0);
	diff_expect_ret(&dd, rm3, 0);
	cr_expect_eq(stat_of(st2)->shm_nattch, 2, "both attachments count");
	cr_expect_eq(diff_result_of(&dd, q2)->ret, 1, "the key is free for a new segment");
	diff_expect_ret(&dd, st3, -EINVAL); /* destroyed on the last detach */
}

Test(diff_directed_shm, segsz_keeps_the_exact_size_shm_tot_counts_pages_and_the_last_page_is_usable)
{
	struct diff_seq *s = &dd.seq;
	int q1, q2, info, st, a, w, r, rss;

	diff_directed_init(&dd, "segsz exact, shm_tot in pages");
	q1 = diff_b_shmget(s, R, IPC_PRIVATE, 1, IPC_CREAT | 0600);
	q2 = diff_b_shmget(s, R, IPC_PRIVATE, 4097, IPC_CREAT | 0600);
	info = diff_b_shmctl(s, R, diff_lit(0), SHM_INFO);
	st = diff_b_shmctl(s, R, Q(q2), IPC_STAT);
	a = diff_b_shmat(s, R, Q(q2), NUL, 0);
	w = diff_b_memwrite(s, R, diff_addr_at(a, 8191 - 99), 100);
	r = diff_b_memread(s, R, diff_addr_at(a, 8000), 192);
	rss = diff_b_shmctl(s, R, diff_lit(0), SHM_INFO);
	diff_b_shmctl(s, R, Q(q1), IPC_RMID);
	diff_b_shmctl(s, R, Q(q2), IPC_RMID);
	diff_directed_check(&dd);
	cr_expect_eq(diff_result_of(&dd, info)->r.shm_info.shm_tot, 3, "1 + 4097 bytes = 3 pages");
	cr_expect_eq(diff_result_of(&dd, info)->r.shm_info.used_ids, 2);
	cr_expect_eq(stat_of(st)->shm_segsz, 4097, "segsz is not rounded");
	diff_expect_ret(&dd, w, 0);
	diff_expect_ret(&dd, r, 0);
	cr_expect_eq(diff_result_of(&dd, rss)->r.shm_info.shm_rss, 1,
	             "one touched page (the second page of the 4097-byte segment)");
	(void)q1;
}

Test(diff_directed_shm, a_write_shows_through_a_second_attachment_and_in_another_process)
{
	struct diff_seq *s = &dd.seq;
	int q, a, b, w, r1, h, r2, st;

	diff_directed_init(&dd, "shared bytes: two attachments, two processes");
	q = diff_b_shmget(s, R, IPC_PRIVATE, 3 * 4096, IPC_CREAT | 0666);
	a = diff_b_shmat(s, R, Q(q), FIX(0), 0);
	b = diff_b_shmat(s, R, Q(q), NUL, SHM_RDONLY);
	w = diff_b_memwrite(s, R, diff_addr_fixed(1, 10), 5000);
	r1 = diff_b_memread(s, R, diff_addr_at(b, 4096 + 10), 5000);
	diff_b_spawn(s, 1, DIFF_ALICE);
	h = diff_b_shmat(s, R, Q(q), NUL, SHM_RDONLY);
	diff_b_where(s, h, 1);
	r2 = diff_b_memread(s, R, diff_addr_at(h, 4096 + 10), 5000);
	diff_b_where(s, r2, 1);
	st = diff_b_shmctl(s, R, Q(q), IPC_STAT);
	diff_b_exit(s, 1);
	diff_b_shmctl(s, R, Q(q), IPC_STAT);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, w, 0);
	cr_expect_eq(diff_result_of(&dd, r1)->text_hash, diff_result_of(&dd, r2)->text_hash,
	             "both readers see the same bytes");
	cr_expect_eq(stat_of(st)->shm_nattch, 3);
	(void)a;
}

Test(diff_directed_shm, shmat_address_rules_rnd_remap_overlap_and_shmdt_rules)
{
	struct diff_seq *s = &dd.seq;
	int q, big, u, rnd, nr, rr, a, ov, rp, st, mid, un, dt, twice, st2;

	diff_directed_init(&dd, "shmat/shmdt address rules");
	q = diff_b_shmget(s, R, IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	big = diff_b_shmget(s, R, IPC_PRIVATE, 4 * 4096, IPC_CREAT | 0600);
	u = diff_b_shmat(s, R, Q(q), diff_addr_fixed(8, 123), 0);
	rnd = diff_b_shmat(s, R, Q(q), diff_addr_fixed(8, 123), SHM_RND);
	nr = diff_b_shmat(s, R, Q(q), NUL, SHM_REMAP);
	rr = diff_b_shmat(s, R, Q(q), diff_addr_lit(0x10), SHM_RND | SHM_REMAP);
	a = diff_b_shmat(s, R, Q(big), FIX(0), 0);
	ov = diff_b_shmat(s, R, Q(q), FIX(2), 0);
	rp = diff_b_shmat(s, R, Q(q), FIX(1), SHM_REMAP); /* splits big's attachment in two */
	st = diff_b_shmctl(s, R, Q(big), IPC_STAT);
	mid = diff_b_shmdt(s, R, FIX(2));
	un = diff_b_shmdt(s, R, diff_addr_fixed(0, 1));
	dt = diff_b_shmdt(s, R, FIX(0)); /* both fragments */
	twice = diff_b_shmdt(s, R, FIX(0));
	st2 = diff_b_shmctl(s, R, Q(big), IPC_STAT);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, u, -EINVAL);
	diff_expect_ret(&dd, rnd, (long)(DIFF_FIXED_BASE + 8 * 4096));
	diff_expect_ret(&dd, nr, -EINVAL);
	diff_expect_ret(&dd, rr, -EINVAL);
	diff_expect_ret(&dd, a, (long)DIFF_FIXED_BASE);
	diff_expect_ret(&dd, ov, -EINVAL);
	diff_expect_ret(&dd, rp, (long)(DIFF_FIXED_BASE + 4096));
	cr_expect_eq(stat_of(st)->shm_nattch, 2, "nattch counts VMAs: the split made two");
	diff_expect_ret(&dd, mid, -EINVAL);
	diff_expect_ret(&dd, un, -EINVAL);
	diff_expect_ret(&dd, dt, 0);
	diff_expect_ret(&dd, twice, -EINVAL);
	cr_expect_eq(stat_of(st2)->shm_nattch, 0, "shmdt unmapped every fragment");
}

Test(diff_directed_shm, shm_rnd_below_one_page_rounds_to_zero_which_skips_the_overlap_check)
{
	struct diff_seq *s = &dd.seq;
	int q, z, z2, nob, st;

	/* divergences.txt D1: the simulator said EINVAL for z2 */
	diff_directed_init(&dd, "SHM_RND to address 0");
	q = diff_b_shmget(s, R, IPC_PRIVATE, 4096, IPC_CREAT | 0666);
	z = diff_b_shmat(s, R, Q(q), diff_addr_lit(0x10), SHM_RND);
	z2 = diff_b_shmat(s, R, Q(q), diff_addr_lit(0xfff), SHM_RND | SHM_RDONLY);
	nob = diff_b_shmat(s, DIFF_NOBODY, Q(q), diff_addr_lit(0x10), SHM_RND);
	st = diff_b_shmctl(s, R, Q(q), IPC_STAT);
	diff_b_shmdt(s, R, diff_addr_lit(0));
	diff_directed_check(&dd);
	diff_expect_ret(&dd, z, 0);
	diff_expect_ret(&dd, z2, 0);
	diff_expect_ret(&dd, nob, -EPERM);
	cr_expect_eq(stat_of(st)->shm_nattch, 1, "the second attach replaced the first");
}

Test(diff_directed_shm, existing_key_size_zero_is_fine_and_too_big_is_einval_before_eacces)
{
	struct diff_seq *s = &dd.seq;
	int q, z, small, big, big_nobody, acc, excl;

	diff_directed_init(&dd, "shmget on an existing key");
	q = diff_b_shmget(s, R, 0x5150, 8192, IPC_CREAT | 0600);
	z = diff_b_shmget(s, R, 0x5150, 0, 0);
	small = diff_b_shmget(s, R, 0x5150, 100, 0600);
	big = diff_b_shmget(s, R, 0x5150, 8193, 0600);
	big_nobody = diff_b_shmget(s, DIFF_NOBODY, 0x5150, 8193, 0600);
	acc = diff_b_shmget(s, DIFF_NOBODY, 0x5150, 100, 0600);
	excl = diff_b_shmget(s, DIFF_NOBODY, 0x5150, 100, IPC_CREAT | IPC_EXCL | 0600);
	diff_b_shmget(s, R, 0x5151, 0, IPC_CREAT | 0600);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, z, diff_result_of(&dd, q)->ret);
	diff_expect_ret(&dd, small, diff_result_of(&dd, q)->ret);
	diff_expect_ret(&dd, big, -EINVAL);
	diff_expect_ret(&dd, big_nobody, -EINVAL);
	diff_expect_ret(&dd, acc, -EACCES);
	diff_expect_ret(&dd, excl, -EEXIST);
	diff_expect_ret(&dd, excl + 1, -EINVAL);
}

Test(diff_directed_shm, lowered_shmmax_shmall_shmmni_give_einval_and_enospc)
{
	struct diff_seq *s = &dd.seq;
	int q, m1, m2, old, a1, a2, a3, n1, n2, info;

	diff_directed_init(&dd, "shm limits");
	q = diff_b_shmget(s, R, 0x6000, 20000, IPC_CREAT | 0600);
	diff_b_limit(s, DIFF_LIM_SHMMAX, 10000);
	m1 = diff_b_shmget(s, R, IPC_PRIVATE, 10000, IPC_CREAT | 0600);
	m2 = diff_b_shmget(s, R, IPC_PRIVATE, 10001, IPC_CREAT | 0600);
	old = diff_b_shmget(s, R, 0x6000, 15000, 0600); /* existing: no shmmax check */
	diff_b_limit(s, DIFF_LIM_SHMMAX, (long long)~0ull);
	diff_b_limit(s, DIFF_LIM_SHMALL, 10); /* 5 + 3 pages in use */
	a1 = diff_b_shmget(s, R, IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	a2 = diff_b_shmget(s, R, IPC_PRIVATE, 4097, IPC_CREAT | 0600);
	a3 = diff_b_shmget(s, R, IPC_PRIVATE, 1, IPC_CREAT | 0600);
	diff_b_limit(s, DIFF_LIM_SHMALL, 1000);
	diff_b_limit(s, DIFF_LIM_SHMMNI, 4);
	n1 = diff_b_shmget(s, R, IPC_PRIVATE, 1, IPC_CREAT | 0600);
	n2 = diff_b_shmget(s, R, IPC_PRIVATE, 1, IPC_CREAT | 0600);
	info = diff_b_shmctl(s, R, diff_lit(0), IPC_INFO);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, m1, 1);
	diff_expect_ret(&dd, m2, -EINVAL);
	diff_expect_ret(&dd, old, diff_result_of(&dd, q)->ret);
	diff_expect_ret(&dd, a1, 2);
	diff_expect_ret(&dd, a2, -ENOSPC); /* 5 + 3 + 1 pages in use, + 2 > 10 */
	diff_expect_ret(&dd, a3, 3);       /* exactly reaching shmall is allowed */
	diff_expect_ret(&dd, n1, -ENOSPC);
	diff_expect_ret(&dd, n2, -ENOSPC);
	cr_expect_eq(diff_result_of(&dd, info)->r.shminfo.shmmni, 4);
	cr_expect_eq(diff_result_of(&dd, info)->r.shminfo.shmseg, 4);
	cr_expect_eq(diff_result_of(&dd, info)->r.shminfo.shmall, 1000);
	cr_expect_eq(diff_result_of(&dd, info)->r.shminfo.shmmin, 1);
}

Test(diff_directed_shm, shm_lock_needs_owner_or_cap_ipc_lock_and_shows_shm_locked)
{
	struct diff_seq *s = &dd.seq;
	int q, l, st, nl, ol, set, st2, ul, ql, al;

	diff_directed_init(&dd, "SHM_LOCK / SHM_UNLOCK");
	q = diff_b_shmget(s, R, IPC_PRIVATE, 4096, IPC_CREAT | 0666);
	l = diff_b_shmctl(s, R, Q(q), SHM_LOCK);
	st = diff_b_shmctl(s, R, Q(q), IPC_STAT);
	nl = diff_b_shmctl(s, DIFF_ALICE, Q(q), SHM_UNLOCK);
	set = diff_b_shmset(s, R, Q(q), 1000, 1000, 0600);
	st2 = diff_b_shmctl(s, R, Q(q), IPC_STAT);
	ol = diff_b_shmctl(s, DIFF_ALICE, Q(q), SHM_UNLOCK); /* uid alice now: allowed */
	ul = diff_b_shmctl(s, R, Q(q), IPC_STAT);
	ql = diff_b_shmget(s, DIFF_BOB, IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	al = diff_b_shmctl(s, DIFF_BOB, Q(ql), SHM_LOCK);
	diff_b_shmctl(s, DIFF_NOBODY, Q(ql), SHM_LOCK);
	diff_b_shmctl(s, R, Q(ql), IPC_STAT);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, l, 0);
	cr_expect_eq(stat_of(st)->shm_perm.mode, 02666, "SHM_LOCKED shows in the mode");
	diff_expect_ret(&dd, nl, -EPERM);
	diff_expect_ret(&dd, set, 0);
	cr_expect_eq(stat_of(st2)->shm_perm.mode, 02600, "IPC_SET keeps SHM_LOCKED");
	diff_expect_ret(&dd, ol, 0);
	cr_expect_eq(stat_of(ul)->shm_perm.mode, 0600);
	diff_expect_ret(&dd, al, 0); /* the owner, within RLIMIT_MEMLOCK */
	diff_expect_ret(&dd, al + 1, -EPERM);
}

Test(diff_directed_shm, shm_stat_any_needs_no_permission_and_info_commands_take_any_id)
{
	struct diff_seq *s = &dd.seq;
	int q, st, sa, ss, idx, neg, bad, ipc, shi;

	diff_directed_init(&dd, "SHM_STAT / SHM_STAT_ANY / *_INFO");
	q = diff_b_shmget(s, DIFF_ALICE, IPC_PRIVATE, 100, IPC_CREAT | 0000);
	st = diff_b_shmctl(s, DIFF_NOBODY, Q(q), IPC_STAT);
	ss = diff_b_shmctl(s, DIFF_NOBODY, diff_idx(q), SHM_STAT);
	sa = diff_b_shmctl(s, DIFF_NOBODY, diff_idx(q), SHM_STAT_ANY);
	idx = diff_b_shmctl(s, R, diff_lit(1000), SHM_STAT_ANY);
	neg = diff_b_shmctl(s, R, diff_lit(-1), IPC_INFO);
	bad = diff_b_shmctl(s, R, Q(q), 99);
	ipc = diff_b_shmctl(s, DIFF_NOBODY, diff_lit(12345), IPC_INFO);
	shi = diff_b_shmctl(s, DIFF_NOBODY, diff_lit(7), SHM_INFO);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, st, -EACCES);
	diff_expect_ret(&dd, ss, -EACCES);
	diff_expect_ret(&dd, sa, 0);
	diff_expect_ret(&dd, idx, -EINVAL);
	diff_expect_ret(&dd, neg, -EINVAL);
	diff_expect_ret(&dd, bad, -EINVAL);
	diff_expect_ret(&dd, ipc, 0); /* the highest index in use */
	cr_expect_eq(diff_result_of(&dd, ipc)->r.shminfo.shmmax, 18446744073692774399ul);
	cr_expect_eq(diff_result_of(&dd, ipc)->r.shminfo.shmmni, 4096);
	diff_expect_ret(&dd, shi, 0);
	cr_expect_eq(diff_result_of(&dd, shi)->r.shm_info.used_ids, 1);
}

Test(diff_directed_shm, a_write_through_a_read_only_attachment_faults_and_the_exit_detaches)
{
	struct diff_seq *s = &dd.seq;
	int q, a, w, ex, st;

	diff_directed_init(&dd, "SIGSEGV on a read-only attachment, detach at death");
	q = diff_b_shmget(s, R, IPC_PRIVATE, 4096, IPC_CREAT | 0666);
	diff_b_spawn(s, 1, DIFF_ALICE);
	a = diff_b_shmat(s, R, Q(q), NUL, SHM_RDONLY);
	diff_b_where(s, a, 1);
	w = diff_b_memwrite(s, R, diff_addr_at(a, 0), 1);
	diff_b_where(s, w, 1);
	ex = diff_b_exit(s, 1);
	st = diff_b_shmctl(s, R, Q(q), IPC_STAT);
	diff_directed_check(&dd);
	diff_expect_ret(&dd, w, DIFF_RET_SEGV);
	diff_expect_ret(&dd, ex, 0);
	cr_expect_eq(stat_of(st)->shm_nattch, 0);
	cr_expect_eq(diff_proc_of(&dd, stat_of(st)->shm_lpid), 1, "lpid = the helper");
}
