/*
 * test_diff_coverage_ipc.c - proof that the generated shm and sem sequences
 * reach every call, flag, boundary and error the differential test is meant
 * to cover.  It generates the same sequences as test_diff_random_ipc.c and
 * classifies each call with the simulator's answer (the random test shows
 * it equal to the host's); a feature that comes up fewer than 10 times
 * fails here, so a generator change cannot quietly drop a case.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>

#include "diff_env.h"
#include "diff_gen.h"
#include "diff_exec.h"
#include "ipcsim/kernel.h"

#define SHM_FEATURES(X) \
	X(get_private) X(get_key_created) X(get_key_found) X(get_size0) X(get_over_shmmax) \
	X(get_existing_larger) X(get_eexist) X(get_eacces) X(get_enoent) X(get_enospc) \
	X(at_null) X(at_fixed) X(at_rnd) X(at_unaligned_einval) X(at_remap) X(at_remap_null_einval) \
	X(at_overlap_einval) X(at_rdonly) X(at_exec) X(at_eacces) X(at_bad_id) X(at_enomem) \
	X(at_page0) X(at_low_page) X(dt_ok) X(dt_mid_einval) X(dt_unaligned_einval) X(dt_gone_einval) \
	X(ctl_stat) X(ctl_stat_dest) X(ctl_stat_locked) X(ctl_set) X(ctl_set_eperm) X(ctl_rmid) \
	X(ctl_lock) X(ctl_lock_eperm) X(ctl_unlock) X(ctl_info) X(ctl_shm_info) X(ctl_rss) \
	X(ctl_shm_stat) X(ctl_shm_stat_any) X(ctl_bad_cmd) X(ctl_negative_id) X(ctl_efault) \
	X(mem_write) X(mem_read) X(lim_shmmax) X(lim_shmall) X(lim_shmmni) X(in_helper) X(in_child) \
	X(as_alice) X(as_bob) X(as_nobody)

#define SEM_FEATURES(X) \
	X(get_private) X(get_key_created) X(get_key_found) X(get_nsems0) X(get_negative) \
	X(get_over_semmsl) X(get_existing_more) X(get_eexist) X(get_eacces) X(get_enoent) \
	X(get_enospc) X(op_ok) X(op_multi_ok) X(op_dup_ok) X(op_zero_ok) X(op_undo_ok) \
	X(op_eagain_nowait) X(op_eagain_zero_timeout) X(op_erange) X(op_e2big) X(op_efbig) \
	X(op_nsops0) X(op_efault) X(op_eacces) X(op_bad_timeout) X(op_semtimedop_ok) \
	X(ctl_getval) X(ctl_setval) X(ctl_setval_erange) X(ctl_getpid) X(ctl_getncnt) \
	X(ctl_getzcnt) X(ctl_getall) X(ctl_setall) X(ctl_setall_erange) X(ctl_stat) X(ctl_set) \
	X(ctl_set_eperm) X(ctl_rmid) X(ctl_info) X(ctl_sem_info) X(ctl_sem_stat) \
	X(ctl_sem_stat_any) X(ctl_bad_cmd) X(ctl_efault) X(ctl_eacces) X(ctl_semnum_einval) \
	X(lim_semmsl) X(lim_semmns) X(lim_semopm) X(lim_semmni) X(undo_in_child) X(undo_in_helper) \
	X(helper_exit) X(as_alice) X(as_bob) X(as_nobody)

#define AS_SHM_ENUM(name) F_##name,
#define AS_SEM_ENUM(name) G_##name,
#define AS_NAME(name) #name,
enum shm_feature { SHM_FEATURES(AS_SHM_ENUM) SHM_F_COUNT };
enum sem_feature { SEM_FEATURES(AS_SEM_ENUM) G_COUNT };
static const char *const shm_names[SHM_F_COUNT] = { SHM_FEATURES(AS_NAME) };
static const char *const sem_names[G_COUNT] = { SEM_FEATURES(AS_NAME) };

/* 1 when step i's *get answer is an id no earlier *get of the same call gave. */
static int created(const struct diff_seq *s, const struct diff_run *run, int i)
{
	for (int j = 0; j < i; j++)
		if (s->steps[j].op == s->steps[i].op && run->r[j].ret == run->r[i].ret)
			return 0;
	return 1;
}

static void count_common(unsigned *as, const struct diff_step *st)
{
	as[0] += st->actor == DIFF_ALICE;
	as[1] += st->actor == DIFF_BOB;
	as[2] += st->actor == DIFF_NOBODY;
}

static void count_shm_step(unsigned *c, const struct diff_seq *s, const struct diff_run *run, int i)
{
	const struct diff_step *st = &s->steps[i];
	const struct diff_result *res = &run->r[i];
	long r = res->ret;
	unsigned long a = diff_addr_resolve(&st->addr, run);

	count_common(&c[F_as_alice], st);
	c[F_in_helper] += st->where > 0;
	c[F_in_child] += st->where == DIFF_WHERE_CHILD;
	switch (st->op) {
	case DIFF_SHMGET:
		c[F_get_private] += r >= 0 && st->key == IPC_PRIVATE;
		c[F_get_key_created] += r >= 0 && st->key != IPC_PRIVATE && created(s, run, i);
		c[F_get_key_found] += r >= 0 && !created(s, run, i);
		c[F_get_size0] += r == -EINVAL && st->size == 0;
		c[F_get_over_shmmax] += r == -EINVAL && st->size > 0 && (st->flags & IPC_CREAT);
		c[F_get_existing_larger] += r == -EINVAL && st->key != IPC_PRIVATE && !(st->flags & IPC_CREAT);
		c[F_get_eexist] += r == -EEXIST;
		c[F_get_eacces] += r == -EACCES;
		c[F_get_enoent] += r == -ENOENT;
		c[F_get_enospc] += r == -ENOSPC;
		break;
	case DIFF_SHMAT:
		c[F_at_null] += r >= 0 && st->addr.kind == DIFF_ADDR_LITERAL && a == 0;
		c[F_at_fixed] += r >= 0 && a != 0;
		c[F_at_rnd] += r >= 0 && (a & 4095) && (st->flags & SHM_RND);
		c[F_at_unaligned_einval] += r == -EINVAL && (a & 4095) && !(st->flags & SHM_RND);
		c[F_at_remap] += r >= 0 && (st->flags & SHM_REMAP);
		c[F_at_remap_null_einval] += r == -EINVAL && a < 4096 && (st->flags & SHM_REMAP);
		c[F_at_overlap_einval] += r == -EINVAL && a >= DIFF_FIXED_BASE && !(a & 4095) &&
		                          a < DIFF_FIXED_BASE + DIFF_FIXED_SPAN;
		c[F_at_rdonly] += r >= 0 && (st->flags & SHM_RDONLY);
		c[F_at_exec] += r >= 0 && (st->flags & SHM_EXEC);
		c[F_at_eacces] += r == -EACCES;
		c[F_at_bad_id] += r == -EINVAL && st->id.kind == DIFF_ID_LITERAL;
		c[F_at_enomem] += r == -ENOMEM;
		c[F_at_page0] += r == 0;
		c[F_at_low_page] += r > 0 && r < 0x10000;
		break;
	case DIFF_SHMDT:
		c[F_dt_ok] += r == 0;
		c[F_dt_mid_einval] += r == -EINVAL && st->addr.offset >= 4096;
		c[F_dt_unaligned_einval] += r == -EINVAL && (a & 4095);
		c[F_dt_gone_einval] += r == -EINVAL && !(a & 4095) && st->addr.offset == 0;
		break;
	case DIFF_SHMCTL:
		c[F_ctl_stat] += st->cmd == IPC_STAT && r == 0;
		c[F_ctl_stat_dest] += res->r.has_shm_ds && (res->r.shm_ds.shm_perm.mode & SHM_DEST);
		c[F_ctl_stat_locked] += res->r.has_shm_ds && (res->r.shm_ds.shm_perm.mode & SHM_LOCKED);
		c[F_ctl_set] += st->cmd == IPC_SET && r == 0;
		c[F_ctl_set_eperm] += st->cmd == IPC_SET && r == -EPERM;
		c[F_ctl_rmid] += st->cmd == IPC_RMID && r == 0;
		c[F_ctl_lock] += st->cmd == SHM_LOCK && r == 0;
		c[F_ctl_lock_eperm] += (st->cmd == SHM_LOCK || st->cmd == SHM_UNLOCK) && r == -EPERM;
		c[F_ctl_unlock] += st->cmd == SHM_UNLOCK && r == 0;
		c[F_ctl_info] += st->cmd == IPC_INFO && r >= 0;
		c[F_ctl_shm_info] += st->cmd == SHM_INFO && r >= 0;
		c[F_ctl_rss] += res->r.has_shm_info && res->r.shm_info.shm_rss > 0;
		c[F_ctl_shm_stat] += st->cmd == SHM_STAT && r >= 0;
		c[F_ctl_shm_stat_any] += st->cmd == SHM_STAT_ANY && r >= 0;
		c[F_ctl_bad_cmd] += r == -EINVAL && (st->cmd < 0 || st->cmd > SHM_STAT_ANY ||
		                                     (st->cmd > IPC_INFO && st->cmd < SHM_LOCK));
		c[F_ctl_negative_id] += r == -EINVAL && diff_id_resolve(&st->id, run) < 0;
		c[F_ctl_efault] += r == -EFAULT;
		break;
	case DIFF_MEMWRITE:
		c[F_mem_write] += r == 0;
		break;
	case DIFF_MEMREAD:
		c[F_mem_read] += r == 0;
		break;
	case DIFF_LIMIT:
		c[F_lim_shmmax] += st->limit == DIFF_LIM_SHMMAX && r == 0;
		c[F_lim_shmall] += st->limit == DIFF_LIM_SHMALL && r == 0;
		c[F_lim_shmmni] += st->limit == DIFF_LIM_SHMMNI && r == 0;
		break;
	default:
		break;
	}
}

static int any_flag(const struct diff_step *st, int flag)
{
	for (int j = 0; j < st->sops.nops; j++)
		if (st->sops.ops[j].flg & flag)
			return 1;
	return 0;
}

static int has_dup(const struct diff_step *st)
{
	for (int j = 0; j < st->sops.nops; j++)
		for (int k = 0; k < j; k++)
			if (st->sops.ops[j].num == st->sops.ops[k].num)
				return 1;
	return 0;
}

static int has_zero_op(const struct diff_step *st)
{
	for (int j = 0; j < st->sops.nops; j++)
		if (st->sops.ops[j].op == 0)
			return 1;
	return 0;
}

/* Did helper h (steps before i) do a successful SEM_UNDO op since it started? */
static int helper_had_undo(const struct diff_seq *s, const struct diff_run *run, int i, int h)
{
	for (int j = i - 1; j >= 0 && !(s->steps[j].op == DIFF_SPAWN && s->steps[j].helper == h); j--)
		if (s->steps[j].where == h && s->steps[j].op == DIFF_SEMOP && run->r[j].ret == 0 &&
		    any_flag(&s->steps[j], SEM_UNDO))
			return 1;
	return 0;
}

static void count_semop(unsigned *c, const struct diff_step *st, long r)
{
	c[G_op_ok] += r == 0;
	c[G_op_multi_ok] += r == 0 && st->sops.nops > 1;
	c[G_op_dup_ok] += r == 0 && has_dup(st);
	c[G_op_zero_ok] += r == 0 && has_zero_op(st);
	c[G_op_undo_ok] += r == 0 && any_flag(st, SEM_UNDO);
	c[G_op_eagain_nowait] += r == -EAGAIN && st->sops.timeout != DIFF_TMO_ZERO;
	c[G_op_eagain_zero_timeout] += r == -EAGAIN && st->sops.timeout == DIFF_TMO_ZERO;
	c[G_op_erange] += r == -ERANGE;
	c[G_op_e2big] += r == -E2BIG;
	c[G_op_efbig] += r == -EFBIG;
	c[G_op_nsops0] += r == -EINVAL && st->sops.nsops == 0;
	c[G_op_efault] += r == -EFAULT;
	c[G_op_eacces] += r == -EACCES;
	c[G_op_bad_timeout] += r == -EINVAL && (st->sops.timeout == DIFF_TMO_NEG ||
	                                        st->sops.timeout == DIFF_TMO_BIG_NSEC);
	c[G_op_semtimedop_ok] += r == 0 && st->sops.timeout != DIFF_TMO_SEMOP;
	c[G_undo_in_child] += r == 0 && any_flag(st, SEM_UNDO) &&
	                      (st->where == DIFF_WHERE_CHILD || st->actor != DIFF_ROOT);
}

static void count_semctl(unsigned *c, const struct diff_step *st, const struct diff_result *res)
{
	long r = res->ret;

	c[G_ctl_getval] += st->cmd == GETVAL && r >= 0;
	c[G_ctl_setval] += st->cmd == SETVAL && r == 0;
	c[G_ctl_setval_erange] += st->cmd == SETVAL && r == -ERANGE;
	c[G_ctl_getpid] += st->cmd == GETPID && r > 0;
	c[G_ctl_getncnt] += st->cmd == GETNCNT && r >= 0;
	c[G_ctl_getzcnt] += st->cmd == GETZCNT && r >= 0;
	c[G_ctl_getall] += st->cmd == GETALL && r == 0;
	c[G_ctl_setall] += st->cmd == SETALL && r == 0;
	c[G_ctl_setall_erange] += st->cmd == SETALL && r == -ERANGE;
	c[G_ctl_stat] += st->cmd == IPC_STAT && r == 0;
	c[G_ctl_set] += st->cmd == IPC_SET && r == 0;
	c[G_ctl_set_eperm] += st->cmd == IPC_SET && r == -EPERM;
	c[G_ctl_rmid] += st->cmd == IPC_RMID && r == 0;
	c[G_ctl_info] += st->cmd == IPC_INFO && r >= 0;
	c[G_ctl_sem_info] += st->cmd == SEM_INFO && r >= 0;
	c[G_ctl_sem_stat] += st->cmd == SEM_STAT && r >= 0;
	c[G_ctl_sem_stat_any] += st->cmd == SEM_STAT_ANY && r >= 0;
	c[G_ctl_bad_cmd] += r == -EINVAL && (st->cmd < 0 || st->cmd > SEM_STAT_ANY ||
	                                     (st->cmd > IPC_INFO && st->cmd < GETPID));
	c[G_ctl_efault] += r == -EFAULT;
	c[G_ctl_eacces] += r == -EACCES;
	c[G_ctl_semnum_einval] += r == -EINVAL && (st->semnum < 0 || st->semnum >= 65535 ||
	                                           st->semnum == 99) &&
	                          (st->cmd == GETVAL || st->cmd == SETVAL || st->cmd == GETPID);
}

static void count_sem_step(unsigned *c, const struct diff_seq *s, const struct diff_run *run, int i)
{
	const struct diff_step *st = &s->steps[i];
	long r = run->r[i].ret;

	count_common(&c[G_as_alice], st);
	switch (st->op) {
	case DIFF_SEMGET:
		c[G_get_private] += r >= 0 && st->key == IPC_PRIVATE;
		c[G_get_key_created] += r >= 0 && st->key != IPC_PRIVATE && created(s, run, i);
		c[G_get_key_found] += r >= 0 && !created(s, run, i);
		c[G_get_nsems0] += r == -EINVAL && st->nsems == 0;
		c[G_get_negative] += r == -EINVAL && st->nsems < 0;
		c[G_get_over_semmsl] += r == -EINVAL && st->nsems > 0 && (st->flags & IPC_CREAT);
		c[G_get_existing_more] += r == -EINVAL && st->nsems > 0 && !(st->flags & IPC_CREAT);
		c[G_get_eexist] += r == -EEXIST;
		c[G_get_eacces] += r == -EACCES;
		c[G_get_enoent] += r == -ENOENT;
		c[G_get_enospc] += r == -ENOSPC;
		break;
	case DIFF_SEMOP:
		count_semop(c, st, r);
		c[G_undo_in_helper] += r == 0 && st->where > 0 && any_flag(st, SEM_UNDO);
		break;
	case DIFF_SEMCTL:
		count_semctl(c, st, &run->r[i]);
		break;
	case DIFF_EXIT:
		c[G_helper_exit] += r == 0 && helper_had_undo(s, run, i, st->helper);
		break;
	case DIFF_LIMIT:
		c[G_lim_semmsl] += st->limit == DIFF_LIM_SEMMSL && r == 0;
		c[G_lim_semmns] += st->limit == DIFF_LIM_SEMMNS && r == 0;
		c[G_lim_semopm] += st->limit == DIFF_LIM_SEMOPM && r == 0;
		c[G_lim_semmni] += st->limit == DIFF_LIM_SEMMNI && r == 0;
		break;
	default:
		break;
	}
}

static void check_counts(const char *what, const unsigned *counts, const char *const *names,
                         int n, int sequences, int calls)
{
	fprintf(stderr, "diff_coverage_%s: %d sequences, %d calls\n", what, sequences, calls);
	for (int f = 0; f < n; f++)
		fprintf(stderr, "  %-26s %u\n", names[f], counts[f]);
	for (int f = 0; f < n; f++)
		cr_expect_geq(counts[f], 10, "the %s generator reaches '%s' only %u times in %d sequences",
		              what, names[f], counts[f], sequences);
}

Test(diff_coverage_ipc, generated_shm_sequences_reach_every_call_flag_and_error)
{
	static struct diff_seq s;
	static struct diff_run run;
	unsigned counts[SHM_F_COUNT] = { 0 }, caps = diff_env_root_caps(NULL);
	int calls = 0;

	for (int n = 0; n < DIFF_SHM_SEQUENCES; n++) {
		cr_assert_eq(diff_gen_shm_sequence(DIFF_SHM_SEED, n, caps, &s), 0, "out of memory");
		cr_assert_eq(diff_exec_sim(&s, caps, &run), 0, "out of memory");
		for (int i = 0; i < run.nsteps; i++)
			count_shm_step(counts, &s, &run, i);
		calls += run.nsteps;
	}
	check_counts("shm", counts, shm_names, SHM_F_COUNT, DIFF_SHM_SEQUENCES, calls);
}

Test(diff_coverage_ipc, generated_sem_sequences_reach_every_call_flag_and_error)
{
	static struct diff_seq s;
	static struct diff_run run;
	unsigned counts[G_COUNT] = { 0 }, caps = diff_env_root_caps(NULL);
	int calls = 0;

	for (int n = 0; n < DIFF_SEM_SEQUENCES; n++) {
		cr_assert_eq(diff_gen_sem_sequence(DIFF_SEM_SEED, n, caps, &s), 0, "out of memory");
		cr_assert_eq(diff_exec_sim(&s, caps, &run), 0, "out of memory");
		for (int i = 0; i < run.nsteps; i++)
			count_sem_step(counts, &s, &run, i);
		calls += run.nsteps;
	}
	check_counts("sem", counts, sem_names, G_COUNT, DIFF_SEM_SEQUENCES, calls);
}
