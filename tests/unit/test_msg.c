/*
 * test_msg.c - message queues in the simulated kernel: msgget, msgsnd,
 * msgrcv, msgctl, blocking and wake-up, error paths in Linux's order.
 */
#include <limits.h>
#include <signal.h>

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

TestSuite(msgget, .init = setup, .fini = teardown);
TestSuite(msgsnd, .init = setup, .fini = teardown);
TestSuite(msgrcv, .init = setup, .fini = teardown);
TestSuite(msgctl, .init = setup, .fini = teardown);
TestSuite(msgwait, .init = setup, .fini = teardown);

/* ---- msgget -------------------------------------------------------------- */

Test(msgget, first_queue_is_zero_and_ids_are_cyclic)
{
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 1);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_RMID, NULL, NULL), 0);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 2, "re-creating must not reuse 0");
}

Test(msgget, wraps_after_64_with_next_seq)
{
	long id = 0;

	for (int i = 0; i < 64; i++) {
		id = sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600);
		cr_assert_eq(sim_msgctl(f.k, f.p1, (int)id, IPC_RMID, NULL, NULL), 0);
	}
	cr_assert_eq(id, 63);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 32768);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 32769);
}

Test(msgget, key_lookup_order_eexist_before_eacces)
{
	int nobody = sim_proc_new(f.k, 65534, 65534, 0);

	cr_assert_eq(sim_msgget(f.k, f.p1, 0x1234, IPC_CREAT | 0600), 0);
	cr_assert_eq(sim_msgget(f.k, nobody, 0x1234, IPC_CREAT | IPC_EXCL | 0600), -EEXIST);
	cr_assert_eq(sim_msgget(f.k, nobody, 0x1234, 0600), -EACCES);
	cr_assert_eq(sim_msgget(f.k, nobody, 0x1234, 0), 0, "flag 0 requests nothing");
	cr_assert_eq(sim_msgget(f.k, f.p1, 0x9999, 0), -ENOENT);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0), 1, "IPC_PRIVATE always creates");
}

Test(msgget, folded_request_bits_and_one_class_only)
{
	int member = sim_proc_new(f.k, 2000, 1000, 0);
	int owner_cap = sim_proc_new(f.k, 3000, 3000, SIM_CAP_IPC_OWNER);

	cr_assert_eq(sim_msgget(f.k, f.p1, 0x55, IPC_CREAT | 0040), 0);
	cr_assert_eq(sim_msgget(f.k, member, 0x55, 0400), 0, "0400 folds to read for the group");
	cr_assert_eq(sim_msgget(f.k, member, 0x55, 0004), 0);
	cr_assert_eq(sim_msgget(f.k, f.p1, 0x55, 0400), -EACCES, "owner bits 0: owner denied");
	cr_assert_eq(sim_msgget(f.k, owner_cap, 0x55, 0600), 0, "CAP_IPC_OWNER bypasses");
}

Test(msgget, msgmni_gives_enospc)
{
	cr_assert_eq(sim_limit_set(f.k, "msgmni", 2), 0);
	cr_assert_geq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_geq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), -ENOSPC);
	cr_assert_eq(sim_msgget(f.k, f.p1, 0x77, IPC_CREAT | 0600), -ENOSPC);
}

Test(msgget, new_queue_fields)
{
	struct ipcsim_msqid_ds ds;

	cr_assert_eq(sim_limit_set(f.k, "msgmnb", 1000), 0);
	cr_assert_eq(sim_msgget(f.k, f.p1, 0x41, IPC_CREAT | IPC_EXCL | 07777), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_STAT, &ds, NULL), 0);
	cr_assert_eq(ds.msg_perm.mode, 0777u, "only the 0777 bits are stored");
	cr_assert_eq(ds.msg_perm.key, 0x41u);
	cr_assert_eq(ds.msg_perm.cuid, 1000u);
	cr_assert_eq(ds.msg_qbytes, 1000ul, "qbytes is msgmnb at creation");
	cr_assert_eq(ds.msg_ctime, SIM_EPOCH);
	cr_assert_eq(ds.msg_stime, 0);
	cr_assert_eq(ds.msg_lspid, 0);
}

/* ---- msgsnd -------------------------------------------------------------- */

Test(msgsnd, check_order_efault_then_einval)
{
	struct sim_msgbuf bad = { 0, 0, NULL };

	cr_assert_eq(sim_msgsnd(f.k, f.p1, 12345, NULL, 1, 0), -EFAULT, "EFAULT comes first");
	cr_assert_eq(sim_msgsnd(f.k, f.p1, -5, &bad, 1, 0), -EINVAL);
	cr_assert_eq(send_text(f.k, f.p1, 12345, 1, "x", 8193, 0), -EINVAL, "over msgmax");
	cr_assert_eq(send_text(f.k, f.p1, 12345, 0, "x", 1, 0), -EINVAL, "mtype 0 before lookup");
	cr_assert_eq(send_text(f.k, f.p1, 12345, 1, "x", 1, 0), -EINVAL, "no such queue");
}

Test(msgsnd, permission_needs_write)
{
	int other = sim_proc_new(f.k, 2000, 2000, 0);

	cr_assert_eq(sim_msgget(f.k, f.p1, 0x10, IPC_CREAT | 0644), 0);
	cr_assert_eq(send_text(f.k, other, 0, 1, "x", 1, 0), -EACCES);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "x", 1, 0), 0);
}

Test(msgsnd, queue_counts_bytes_and_messages)
{
	struct ipcsim_msqid_ds ds = { 0 };

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	ds.msg_perm.mode = 0600;
	ds.msg_perm.uid = 1000;
	ds.msg_perm.gid = 1000;
	ds.msg_qbytes = 2;
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, &ds, NULL), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "", 0, 0), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "", 0, 0), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "", 0, IPC_NOWAIT), -EAGAIN,
	             "qnum is bounded by qbytes too");
	assert_queue(f.k, 0, 2, 0);
}

Test(msgsnd, size_over_qbytes_blocks_not_einval)
{
	struct ipcsim_msqid_ds ds = { .msg_perm = { .uid = 1000, .gid = 1000, .mode = 0600 },
	                           .msg_qbytes = 2 };

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, &ds, NULL), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "abc", 3, IPC_NOWAIT), -EAGAIN);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "abc", 3, 0), SIM_BLOCKED);
}

Test(msgsnd, text_is_padded_to_size)
{
	struct sim_msgbuf m;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 5, "hi", 8, 0), 0);
	cr_assert_eq(sim_msgrcv(f.k, f.p2, 0, &m, 512, 0, 0), 8);
	cr_assert_eq(memcmp(m.text, "hi\0\0\0\0\0\0", 8), 0);
	sim_msgbuf_release(&m);
}

/* ---- msgrcv -------------------------------------------------------------- */

static void send_types(const long *types, int n)
{
	for (int i = 0; i < n; i++)
		cr_assert_eq(send_text(f.k, f.p1, 0, types[i], "m", 2, 0), 0);
}

Test(msgrcv, negative_msgtyp_takes_lowest_type_fifo_within)
{
	static const long types[] = { 3, 1, 2, 1, 3 };
	static const long want[] = { 1, 1, 2, 3, 3 };

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	send_types(types, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(recv_type(f.k, f.p2, 0, 64, -3, IPC_NOWAIT, NULL), want[i], "read %d", i);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, -3, IPC_NOWAIT, NULL), -ENOMSG);
}

Test(msgrcv, lecture_table)
{
	static const long types[] = { 300, 100, 200, 400, 100 };

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	send_types(types, 5);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 512, 100, 0, NULL), 100);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 512, 0, 0, NULL), 300);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 512, -300, 0, NULL), 100);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 512, -300, 0, NULL), 200);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 512, -300, IPC_NOWAIT, NULL), -ENOMSG);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 512, LONG_MIN, 0, NULL), 400, "LONG_MIN works");
}

Test(msgrcv, msg_except_takes_first_of_other_type)
{
	static const long types[] = { 5, 5, 7, 6 };

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	send_types(types, 4);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 5, MSG_EXCEPT, NULL), 7);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 5, MSG_EXCEPT, NULL), 6);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 5, MSG_EXCEPT | IPC_NOWAIT, NULL), -ENOMSG);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 0, MSG_EXCEPT, NULL), 5, "msgtyp 0 ignores it");
}

Test(msgrcv, e2big_leaves_message_and_noerror_truncates)
{
	size_t len;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "hello", 5, 0), 0);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 2, 0, 0, NULL), -E2BIG);
	assert_queue(f.k, 0, 1, 5);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 2, 0, MSG_NOERROR, &len), 1);
	cr_assert_eq(len, 2u);
	assert_queue(f.k, 0, 0, 0);
}

Test(msgrcv, msg_copy_rules)
{
	static const long types[] = { 9, 8 };

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	send_types(types, 2);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 0, MSG_COPY, NULL), -EINVAL, "needs IPC_NOWAIT");
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 0, MSG_COPY | IPC_NOWAIT | MSG_EXCEPT, NULL), -EINVAL);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 1, MSG_COPY | IPC_NOWAIT, NULL), 8, "by index");
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 2, MSG_COPY | IPC_NOWAIT, NULL), -ENOMSG);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 1, 0, MSG_COPY | IPC_NOWAIT, NULL), -E2BIG);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 1, 0, MSG_COPY | IPC_NOWAIT | MSG_NOERROR, NULL), -EINVAL);
	assert_queue(f.k, 0, 2, 4);
}

Test(msgrcv, bad_buffer_loses_the_message)
{
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "x", 1, 0), 0);
	cr_assert_eq(sim_msgrcv(f.k, f.p2, 0, NULL, 64, 0, 0), -EFAULT);
	assert_queue(f.k, 0, 0, 0);
}

Test(msgrcv, argument_errors)
{
	cr_assert_eq(recv_type(f.k, f.p2, -1, 64, 0, 0, NULL), -EINVAL);
	cr_assert_eq(recv_type(f.k, f.p2, 0, (size_t)-1, 0, 0, NULL), -EINVAL);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 0, IPC_NOWAIT, NULL), -EINVAL, "no queue");
}

/* ---- msgctl -------------------------------------------------------------- */

Test(msgctl, stale_id_is_einval_not_eidrm)
{
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_RMID, NULL, NULL), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_RMID, NULL, NULL), -EINVAL);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "x", 1, 0), -EINVAL);
}

Test(msgctl, stat_by_index_returns_full_id)
{
	struct ipcsim_msqid_ds ds;
	struct ipcsim_msginfo info;
	long id = 0;

	for (int i = 0; i < 65; i++)
		id = sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), sim_msgctl(f.k, f.p1, (int)id, IPC_RMID, NULL, NULL);
	id = sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600);
	cr_assert_gt(id, 32768);
	cr_assert_eq(sim_msgctl(f.k, f.p1, (int)(id & 0x7fff), MSG_STAT, &ds, NULL), id);
	cr_assert_eq(sim_msgctl(f.k, f.p1, (int)id, MSG_STAT, &ds, NULL), id);
	cr_assert_eq(sim_msgctl(f.k, f.p1, (int)(id & 0x7fff), IPC_STAT, &ds, NULL), -EINVAL,
	             "IPC_STAT checks the seq");
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_INFO, NULL, &info), id & 0x7fff);
	cr_assert_eq(info.msgmax, 8192);
	cr_assert_eq(info.msgpool, 512000);
	cr_assert_eq(info.msgseg, 65535);
}

Test(msgctl, stat_any_skips_permission)
{
	struct ipcsim_msqid_ds ds;
	int nobody = sim_proc_new(f.k, 65534, 65534, 0);

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgctl(f.k, nobody, 0, IPC_STAT, &ds, NULL), -EACCES);
	cr_assert_eq(sim_msgctl(f.k, nobody, 0, MSG_STAT, &ds, NULL), -EACCES);
	cr_assert_eq(sim_msgctl(f.k, nobody, 0, MSG_STAT_ANY, &ds, NULL), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_STAT, NULL, NULL), -EFAULT);
}

Test(msgctl, info_counts)
{
	struct ipcsim_msginfo info;

	cr_assert_eq(sim_msgctl(f.k, f.p1, -1, IPC_INFO, NULL, &info), -EINVAL, "id < 0 first");
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_INFO, NULL, &info), 0, "no queue: 0");
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "abcde", 7, 0), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, MSG_INFO, NULL, &info), 0);
	cr_assert_eq(info.msgpool, 1);
	cr_assert_eq(info.msgmap, 1);
	cr_assert_eq(info.msgtql, 7);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, 99, NULL, &info), -EINVAL);
}

Test(msgctl, ipc_set_rules)
{
	struct ipcsim_msqid_ds ds;
	int other = sim_proc_new(f.k, 2000, 2000, 0);
	int root_nores = sim_proc_new(f.k, 0, 0, SIM_CAP_ALL & ~SIM_CAP_SYS_RESOURCE);

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, NULL, NULL), -EFAULT);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_STAT, &ds, NULL), 0);
	cr_assert_eq(sim_msgctl(f.k, other, 0, IPC_SET, &ds, NULL), -EPERM);
	ds.msg_qbytes = 16385;
	cr_assert_eq(sim_msgctl(f.k, root_nores, 0, IPC_SET, &ds, NULL), -EPERM,
	             "CAP_SYS_RESOURCE, not uid 0, allows qbytes > msgmnb");
	ds.msg_qbytes = 0x100000005UL;
	ds.msg_perm.mode = 0177777;
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, &ds, NULL), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_STAT, &ds, NULL), 0);
	cr_assert_eq(ds.msg_qbytes, 5ul, "qbytes is truncated to int");
	cr_assert_eq(ds.msg_perm.mode, 0777u);
	ds.msg_perm.uid = (unsigned)-1;
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, &ds, NULL), -EINVAL);
	ds.msg_perm.uid = 0;
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, &ds, NULL), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_RMID, NULL, NULL), 0, "the creator keeps control");
}

/* ---- blocking and wake-up ------------------------------------------------ */

Test(msgwait, sleeping_receiver_gets_direct_handoff)
{
	struct sim_event ev;
	struct ipcsim_msqid_ds ds;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 400, 0, NULL), SIM_BLOCKED);
	cr_assert_eq(send_text(f.k, f.p1, 0, 300, "no", 2, 0), 0);
	expect_no_event(f.k);
	cr_assert_eq(send_text(f.k, f.p1, 0, 400, "d", 2, 0), 0);
	ev = expect_resumed(f.k, f.p2, 2);
	cr_assert_eq(ev.msg.mtype, 400);
	sim_msgbuf_release(&ev.msg);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_STAT, &ds, NULL), 0);
	cr_assert_eq(ds.msg_qnum, 1ul, "the hand-off never touches qnum");
	cr_assert_eq(ds.msg_lrpid, f.p2);
	cr_assert_neq(ds.msg_rtime, 0);
}

Test(msgwait, small_buffer_receiver_gets_e2big_at_send_time)
{
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 3, 0, 0, NULL), SIM_BLOCKED);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "0123456789", 10, 0), 0);
	expect_resumed(f.k, f.p2, -E2BIG);
	assert_queue(f.k, 0, 1, 10);
}

Test(msgwait, rmid_wakes_receivers_then_senders_with_eidrm)
{
	int p3 = sim_proc_new(f.k, 1000, 1000, 0);
	struct ipcsim_msqid_ds ds = { .msg_perm = { .uid = 1000, .gid = 1000, .mode = 0600 },
	                           .msg_qbytes = 1 };

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, &ds, NULL), 0);
	cr_assert_eq(send_text(f.k, p3, 0, 1, "ab", 2, 0), SIM_BLOCKED);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 5, 0, NULL), SIM_BLOCKED);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_RMID, NULL, NULL), 0);
	expect_resumed(f.k, f.p2, -EIDRM);
	expect_resumed(f.k, p3, -EIDRM);
	expect_no_event(f.k);
}

Test(msgwait, receive_wakes_senders_that_fit_in_order)
{
	int p3 = sim_proc_new(f.k, 1000, 1000, 0);
	struct ipcsim_msqid_ds ds = { .msg_perm = { .uid = 1000, .gid = 1000, .mode = 0600 },
	                           .msg_qbytes = 4 };

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, &ds, NULL), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "abcd", 4, 0), 0);
	cr_assert_eq(send_text(f.k, f.p2, 0, 2, "abc", 3, 0), SIM_BLOCKED);
	cr_assert_eq(send_text(f.k, p3, 0, 3, "a", 1, 0), SIM_BLOCKED);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 64, 0, 0, NULL), 1);
	expect_resumed(f.k, f.p2, 0);
	expect_resumed(f.k, p3, 0);
	assert_queue(f.k, 0, 2, 4);
}

Test(msgwait, woken_sender_hands_off_before_its_receiver_is_reported)
{
	int p3 = sim_proc_new(f.k, 1000, 1000, 0);
	struct ipcsim_msqid_ds ds = { .msg_perm = { .uid = 1000, .gid = 1000, .mode = 0600 },
	                           .msg_qbytes = 1 };
	struct sim_event ev;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, &ds, NULL), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "a", 1, 0), 0);
	cr_assert_eq(send_text(f.k, f.p2, 0, 7, "b", 1, 0), SIM_BLOCKED);
	cr_assert_eq(recv_type(f.k, p3, 0, 64, 7, 0, NULL), SIM_BLOCKED);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 64, 1, 0, NULL), 1);
	expect_resumed(f.k, f.p2, 0);
	ev = expect_resumed(f.k, p3, 1);
	sim_msgbuf_release(&ev.msg);
	assert_queue(f.k, 0, 0, 0);
}

Test(msgwait, ipc_set_makes_receivers_recheck_permission)
{
	struct ipcsim_msqid_ds ds;
	struct sim_event ev;
	int other = sim_proc_new(f.k, 2000, 2000, 0);

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0666), 0);
	cr_assert_eq(recv_type(f.k, other, 0, 64, 0, 0, NULL), SIM_BLOCKED);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 0, 0, NULL), SIM_BLOCKED);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_STAT, &ds, NULL), 0);
	ds.msg_perm.mode = 0600;
	cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, &ds, NULL), 0);
	expect_resumed(f.k, other, -EACCES);
	expect_no_event(f.k);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "x", 1, 0), 0);
	ev = expect_resumed(f.k, f.p2, 1);
	sim_msgbuf_release(&ev.msg);
}

Test(msgwait, caught_signal_gives_eintr_default_kills)
{
	struct sim_proc_view v;
	struct sim_event ev;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_signal(f.k, f.p2, SIGUSR1, SIM_SIG_CATCH), 0);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 0, 0, NULL), SIM_BLOCKED);
	cr_assert_eq(sim_kill(f.k, f.p1, f.p2, SIGUSR1), 0);
	expect_resumed(f.k, f.p2, -EINTR);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 0, 0, NULL), SIM_BLOCKED);
	cr_assert_eq(sim_kill(f.k, f.p1, f.p2, SIGTERM), 0);
	cr_assert_eq(sim_event_next(f.k, &ev), 1);
	cr_assert_eq(ev.kind, SIM_EV_KILLED);
	cr_assert_eq(ev.sig, SIGTERM);
	cr_assert_eq(sim_proc_get(f.k, f.p2, &v), 0);
	cr_assert_eq(v.state, SIM_PROC_KILLED);
	cr_assert_eq(sim_kill(f.k, f.p1, f.p2, SIGTERM), -ESRCH);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "x", 1, 0), 0, "nobody receives it now");
	assert_queue(f.k, 0, 1, 1);
}

Test(msgwait, blocked_process_cannot_call)
{
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(recv_type(f.k, f.p2, 0, 64, 0, 0, NULL), SIM_BLOCKED);
	cr_assert_eq(sim_msgget(f.k, f.p2, IPC_PRIVATE, 0600), -ESRCH);
}
