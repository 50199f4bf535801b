/*
 * test_diff_coverage.c - proof that the generated sequences exercise every
 * message-queue call, flag and error the differential test is meant to
 * cover.  It generates the same 600 sequences as test_diff_random.c and
 * classifies each call with the simulator's answer (which the random test
 * shows equal to the host's); a feature that comes up too rarely fails here,
 * so a change to the generator cannot quietly drop a case.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/msg.h>

#include "diff_env.h"
#include "diff_gen.h"
#include "diff_exec.h"

#define FEATURES(X) \
	X(get_private) X(get_key_created) X(get_key_found) X(get_enoent) X(get_eexist) \
	X(get_eacces) X(get_enospc) \
	X(snd_ok) X(snd_size0_ok) X(snd_msgmax_ok) X(snd_over_msgmax) X(snd_mtype_le0) \
	X(snd_eagain) X(snd_efault) X(snd_eacces) X(snd_bad_id) X(snd_blocking_form_ok) \
	X(rcv_any) X(rcv_equal) X(rcv_lessequal) X(rcv_long_min) X(rcv_except) X(rcv_noerror_trunc) \
	X(rcv_e2big) X(rcv_enomsg) X(rcv_efault) X(rcv_eacces) X(rcv_blocking_form_ok) \
	X(copy_ok) X(copy_einval) X(copy_enomsg) \
	X(ctl_stat) X(ctl_set) X(ctl_set_eperm) X(ctl_rmid) X(ctl_rmid_einval) X(ctl_info) \
	X(ctl_msg_info) X(ctl_msg_stat) X(ctl_msg_stat_any) X(ctl_bad_cmd) X(ctl_negative_id) \
	X(ctl_efault) X(lim_msgmax) X(lim_msgmnb) X(lim_msgmni) X(lim_refused) \
	X(as_alice) X(as_bob) X(as_nobody)

#define AS_ENUM(name) F_##name,
#define AS_NAME(name) #name,
enum feature { FEATURES(AS_ENUM) F_COUNT };
static const char *const feature_names[F_COUNT] = { FEATURES(AS_NAME) };

static void count_get(unsigned *c, const struct diff_step *st, long r, int created)
{
	if (st->key == IPC_PRIVATE && r >= 0)
		c[F_get_private]++;
	else if (r >= 0)
		c[created ? F_get_key_created : F_get_key_found]++;
	c[F_get_enoent] += r == -ENOENT;
	c[F_get_eexist] += r == -EEXIST;
	c[F_get_eacces] += r == -EACCES;
	c[F_get_enospc] += r == -ENOSPC;
}

static void count_snd(unsigned *c, const struct diff_step *st, long r, long msgmax)
{
	c[F_snd_ok] += r == 0;
	c[F_snd_size0_ok] += r == 0 && st->msgsz == 0;
	c[F_snd_msgmax_ok] += r == 0 && (long)st->msgsz == msgmax;
	c[F_snd_over_msgmax] += r == -EINVAL && st->msgsz > (size_t)msgmax && !st->null_buf;
	c[F_snd_mtype_le0] += r == -EINVAL && st->mtype < 1;
	c[F_snd_eagain] += r == -EAGAIN;
	c[F_snd_efault] += r == -EFAULT;
	c[F_snd_eacces] += r == -EACCES;
	c[F_snd_bad_id] += r == -EINVAL && st->mtype >= 1 && st->msgsz <= (size_t)msgmax;
	c[F_snd_blocking_form_ok] += r == 0 && !(st->flags & IPC_NOWAIT);
}

static void count_rcv(unsigned *c, const struct diff_step *st, const struct diff_result *res)
{
	long r = res->ret;

	if (st->flags & MSG_COPY) {
		c[F_copy_ok] += r >= 0;
		c[F_copy_einval] += r == -EINVAL;
		c[F_copy_enomsg] += r == -ENOMSG;
		return;
	}
	if (r >= 0) {
		c[F_rcv_any] += st->msgtyp == 0;
		c[F_rcv_equal] += st->msgtyp > 0 && !(st->flags & MSG_EXCEPT);
		c[F_rcv_except] += st->msgtyp > 0 && (st->flags & MSG_EXCEPT);
		c[F_rcv_lessequal] += st->msgtyp < 0;
		c[F_rcv_long_min] += st->msgtyp == LONG_MIN;
		c[F_rcv_noerror_trunc] += (st->flags & MSG_NOERROR) && (size_t)r == st->msgsz &&
		                          st->msgsz < 8192;
		c[F_rcv_blocking_form_ok] += !(st->flags & IPC_NOWAIT);
	}
	c[F_rcv_e2big] += r == -E2BIG;
	c[F_rcv_enomsg] += r == -ENOMSG;
	c[F_rcv_efault] += r == -EFAULT;
	c[F_rcv_eacces] += r == -EACCES;
}

static void count_ctl(unsigned *c, const struct diff_step *st, long r, long id)
{
	c[F_ctl_stat] += st->cmd == IPC_STAT && r == 0;
	c[F_ctl_set] += st->cmd == IPC_SET && r == 0;
	c[F_ctl_set_eperm] += st->cmd == IPC_SET && r == -EPERM;
	c[F_ctl_rmid] += st->cmd == IPC_RMID && r == 0;
	c[F_ctl_rmid_einval] += st->cmd == IPC_RMID && r == -EINVAL;
	c[F_ctl_info] += st->cmd == IPC_INFO && r >= 0;
	c[F_ctl_msg_info] += st->cmd == MSG_INFO && r >= 0;
	c[F_ctl_msg_stat] += st->cmd == MSG_STAT && r >= 0;
	c[F_ctl_msg_stat_any] += st->cmd == MSG_STAT_ANY && r >= 0;
	c[F_ctl_bad_cmd] += r == -EINVAL && (st->cmd < 0 || st->cmd > MSG_STAT_ANY ||
	                                     (st->cmd > IPC_INFO && st->cmd < MSG_STAT));
	c[F_ctl_negative_id] += r == -EINVAL && id < 0;
	c[F_ctl_efault] += r == -EFAULT;
}

static void count_sequence(unsigned *c, const struct diff_seq *s, const struct diff_run *run)
{
	long msgmax = 8192;

	for (int i = 0; i < run->nsteps; i++) {
		const struct diff_step *st = &s->steps[i];
		const struct diff_result *res = &run->r[i];
		int created = 1;

		c[F_as_alice] += st->actor == DIFF_ALICE;
		c[F_as_bob] += st->actor == DIFF_BOB;
		c[F_as_nobody] += st->actor == DIFF_NOBODY;
		switch (st->op) {
		case DIFF_MSGGET:
			for (int j = 0; j < i; j++)
				if (s->steps[j].op == DIFF_MSGGET && run->r[j].ret == res->ret)
					created = 0;
			count_get(c, st, res->ret, created);
			break;
		case DIFF_MSGSND:
			count_snd(c, st, res->ret, msgmax);
			break;
		case DIFF_MSGRCV:
			count_rcv(c, st, res);
			break;
		case DIFF_MSGCTL:
			count_ctl(c, st, res->ret, diff_id_resolve(&st->id, run));
			break;
		case DIFF_LIMIT:
			c[F_lim_msgmax + st->limit] += res->ret == 0;
			c[F_lim_refused] += res->ret != 0;
			if (st->limit == DIFF_LIM_MSGMAX && res->ret == 0)
				msgmax = (long)st->value;
			break;
		default: /* shm and sem: test_diff_coverage_ipc.c */
			break;
		}
	}
}

Test(diff_coverage, generated_sequences_reach_every_call_flag_and_error)
{
	static struct diff_seq s;
	static struct diff_run run;
	unsigned counts[F_COUNT] = { 0 };
	unsigned caps = diff_env_root_caps(NULL);
	int calls = 0;

	for (int n = 0; n < DIFF_MSG_SEQUENCES; n++) {
		cr_assert_eq(diff_gen_sequence(DIFF_MSG_SEED, n, caps, &s), 0, "out of memory");
		cr_assert_eq(diff_exec_sim(&s, caps, &run), 0, "out of memory");
		count_sequence(counts, &s, &run);
		calls += run.nsteps;
	}
	fprintf(stderr, "diff_coverage: %d sequences, %d calls\n", DIFF_MSG_SEQUENCES, calls);
	for (int f = 0; f < F_COUNT; f++)
		fprintf(stderr, "  %-24s %u\n", feature_names[f], counts[f]);
	cr_expect_geq(DIFF_MSG_SEQUENCES, 500, "at least 500 sequences");
	for (int f = 0; f < F_COUNT; f++)
		cr_expect_geq(counts[f], 10, "the generator reaches '%s' only %u times in %d sequences",
		              feature_names[f], counts[f], DIFF_MSG_SEQUENCES);
}
