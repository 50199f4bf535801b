/*
 * test_msg_paths.c - the message text's one copy in and one copy out
 * (sim_msgrcv_into, a sleeping sender's own copy, the hand-off to a
 * sleeping receiver), the per-queue type table that outlives empty
 * queues (and its parked bucket), and lookups by pid and by id through arrays.
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

TestSuite(msgpath, .init = setup, .fini = teardown);
TestSuite(typetable, .init = setup, .fini = teardown);
TestSuite(lookup, .init = setup, .fini = teardown);

Test(msgpath, receive_into_the_callers_buffer)
{
	unsigned char buf[16];
	struct sim_msgbuf out = { 0, 0, buf };

	memset(buf, 'x', sizeof(buf));
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 7, "hello", 8, 0), 0);
	cr_assert_eq(sim_msgrcv_into(f.k, f.p1, 0, &out, sizeof(buf), 0, 0), 8);
	cr_assert_eq(out.text, buf, "the text stays in the caller's buffer");
	cr_assert_eq(out.mtype, 7);
	cr_assert_eq(out.len, 8);
	/* "hello", zero-padded to the 8 bytes sent; the rest untouched */
	cr_assert_eq(memcmp(buf, "hello\0\0\0xxxxxxxx", 16), 0);
	assert_queue(f.k, 0, 0, 0);
}

Test(msgpath, receive_into_truncates_with_msg_noerror_and_checks_e2big)
{
	unsigned char buf[4];
	struct sim_msgbuf out = { 0, 0, buf };

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "abcdefgh", 8, 0), 0);
	cr_assert_eq(sim_msgrcv_into(f.k, f.p1, 0, &out, 4, 0, IPC_NOWAIT), -E2BIG);
	assert_queue(f.k, 0, 1, 8);
	cr_assert_eq(sim_msgrcv_into(f.k, f.p1, 0, &out, 4, 0, MSG_NOERROR), 4);
	cr_assert_eq(memcmp(buf, "abcd", 4), 0);
	assert_queue(f.k, 0, 0, 0);
}

Test(msgpath, receive_into_no_buffer_is_efault_before_anything)
{
	struct sim_msgbuf out = { 0, 0, NULL };

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "abc", 3, 0), 0);
	cr_assert_eq(sim_msgrcv_into(f.k, f.p1, 0, &out, 8, 0, 0), -EFAULT);
	assert_queue(f.k, 0, 1, 3);
	/* a NULL out models a bad buffer as sim_msgrcv does: the message is lost */
	cr_assert_eq(sim_msgrcv_into(f.k, f.p1, 0, NULL, 8, 0, 0), -EFAULT);
	assert_queue(f.k, 0, 0, 0);
}

/* A sender that sleeps keeps its own copy: the caller's buffer is gone (here:
 * overwritten) by the time it is woken. */
Test(msgpath, sleeping_sender_keeps_its_own_copy)
{
	char text[8] = "second";
	struct sim_msgbuf m = { 2, 6, (unsigned char *)text };
	unsigned char buf[8];
	struct sim_msgbuf out = { 0, 0, buf };
	struct sim_event ev;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_limit_set(f.k, "msgmnb", 8), 0);
	{
		struct ipcsim_msqid_ds ds = { 0 };

		cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_STAT, &ds, NULL), 0);
		ds.msg_qbytes = 8;
		cr_assert_eq(sim_msgctl(f.k, f.p1, 0, IPC_SET, &ds, NULL), 0);
	}
	cr_assert_eq(send_text(f.k, f.p1, 0, 1, "first", 6, 0), 0);
	cr_assert_eq(sim_msgsnd(f.k, f.p2, 0, &m, 6, 0), SIM_BLOCKED);
	memcpy(text, "XXXXXXX", 8);
	cr_assert_eq(sim_msgrcv_into(f.k, f.p1, 0, &out, 8, 0, 0), 6);
	cr_assert_eq(memcmp(buf, "first", 6), 0);
	cr_assert_eq(sim_event_next(f.k, &ev), 1);
	cr_assert_eq(ev.pid, f.p2);
	cr_assert_eq(ev.ret, 0, "the woken sender's message went in");
	cr_assert_eq(sim_msgrcv_into(f.k, f.p1, 0, &out, 8, 2, 0), 6);
	cr_assert_eq(memcmp(buf, "second", 6), 0, "the text as it was when msgsnd was called");
}

/* A sleeping receiver gets the text straight from the sender, zero-padded;
 * a receiver before it whose buffer is too small wakes with E2BIG first. */
Test(msgpath, handoff_to_sleeping_receiver)
{
	int p3 = sim_proc_new(f.k, 1000, 1000, 0);
	struct sim_msgbuf m = { 5, 2, (unsigned char *)"hi" };
	struct sim_msgbuf out;
	struct sim_event ev;

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(sim_msgrcv(f.k, p3, 0, &out, 2, 5, 0), SIM_BLOCKED);
	cr_assert_eq(sim_msgrcv(f.k, f.p2, 0, &out, 16, 0, 0), SIM_BLOCKED);
	cr_assert_eq(sim_msgsnd(f.k, f.p1, 0, &m, 4, 0), 0);
	ev = expect_resumed(f.k, p3, -E2BIG);
	ev = expect_resumed(f.k, f.p2, 4);
	cr_assert_eq(ev.msg.mtype, 5);
	cr_assert_eq(ev.msg.len, 4);
	cr_assert_eq(memcmp(ev.msg.text, "hi\0\0", 4), 0);
	sim_msgbuf_release(&ev.msg);
	assert_queue(f.k, 0, 0, 0);
}

/* A queue emptied and refilled, with many types coming and going: the
 * table keeps every bucket findable (the invariant checker walks it). */
Test(typetable, types_come_and_go)
{
	char err[256];

	cr_assert_eq(sim_limit_set(f.k, "msgmnb", 1 << 20), 0);
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	for (int round = 0; round < 3; round++) {
		for (long t = 1; t <= 500; t++)
			cr_assert_eq(send_text(f.k, f.p1, 0, t * 7919 % 1000 + 1, "x", 1, 0), 0);
		cr_assert_eq(sim_kernel_check(f.k, err, sizeof(err)), 0, "%s", err);
		/* take them back by type, every other type first (holes in the
		 * table's probe chains), then the rest */
		for (long t = 1; t <= 500; t += 2)
			cr_assert_eq(recv_type(f.k, f.p1, 0, 8, t * 7919 % 1000 + 1, IPC_NOWAIT, NULL),
			             t * 7919 % 1000 + 1);
		cr_assert_eq(sim_kernel_check(f.k, err, sizeof(err)), 0, "%s", err);
		for (long t = 2; t <= 500; t += 2)
			cr_assert_eq(recv_type(f.k, f.p1, 0, 8, t * 7919 % 1000 + 1, IPC_NOWAIT, NULL),
			             t * 7919 % 1000 + 1);
		assert_queue(f.k, 0, 0, 0);
		cr_assert_eq(recv_type(f.k, f.p1, 0, 8, 0, IPC_NOWAIT, NULL), -ENOMSG);
	}
}

Test(typetable, negative_type_after_emptying)
{
	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 30, "a", 1, 0), 0);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, 30, 0, NULL), 30);
	cr_assert_eq(send_text(f.k, f.p1, 0, 20, "b", 1, 0), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 10, "c", 1, 0), 0);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, -25, 0, NULL), 10, "lowest type first");
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, -25, 0, NULL), 20);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, 30, IPC_NOWAIT, NULL), -ENOMSG);
}

/* The bucket emptied last stays in the table, parked: a receive by its type
 * finds nothing there, the searches that walk the sorted types skip it,
 * and a message of its type, or of another, takes it back or evicts it. */
Test(typetable, a_parked_bucket_is_empty_to_every_search)
{
	char err[256];

	cr_assert_eq(sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 5, "a", 1, 0), 0);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, 5, 0, NULL), 5); /* 5 parked */
	cr_assert_eq(sim_kernel_check(f.k, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, 5, IPC_NOWAIT, NULL), -ENOMSG);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, -10, IPC_NOWAIT, NULL), -ENOMSG);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, 3, IPC_NOWAIT | MSG_EXCEPT, NULL), -ENOMSG);
	/* another type while 5 is parked: type 7 alone is on the sorted list */
	cr_assert_eq(send_text(f.k, f.p1, 0, 7, "b", 1, 0), 0);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, -6, IPC_NOWAIT, NULL), -ENOMSG);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, 7, IPC_NOWAIT | MSG_EXCEPT, NULL), -ENOMSG);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, 5, IPC_NOWAIT | MSG_EXCEPT, NULL), 7);
	/* 7 emptied: it is parked and 5 leaves the table */
	cr_assert_eq(sim_kernel_check(f.k, err, sizeof(err)), 0, "%s", err);
	/* 5 comes back as a new bucket, 7 is taken back from the parking */
	cr_assert_eq(send_text(f.k, f.p1, 0, 7, "c", 1, 0), 0);
	cr_assert_eq(send_text(f.k, f.p1, 0, 5, "d", 1, 0), 0);
	cr_assert_eq(sim_kernel_check(f.k, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, -7, 0, NULL), 5, "lowest type first");
	cr_assert_eq(recv_type(f.k, f.p1, 0, 8, -7, 0, NULL), 7);
	assert_queue(f.k, 0, 0, 0);
	cr_assert_eq(sim_kernel_check(f.k, err, sizeof(err)), 0, "%s", err);
}

Test(lookup, pids_outside_the_created_ones)
{
	struct sim_proc_view v;

	cr_assert_eq(sim_proc_get(f.k, f.p2, &v), 0);
	cr_assert_eq(sim_proc_get(f.k, f.p2 + 1, &v), -ESRCH, "not created yet");
	cr_assert_eq(sim_proc_get(f.k, SIM_FIRST_PID - 1, &v), -ESRCH);
	cr_assert_eq(sim_proc_get(f.k, -5, &v), -ESRCH);
	cr_assert_eq(sim_msgget(f.k, f.p2 + 1, IPC_PRIVATE, 0600), -ESRCH);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(sim_proc_new(f.k, 0, 0, 0), f.p2 + 1 + i, "pids are dense");
	cr_assert_eq(sim_proc_get(f.k, f.p2 + 100, &v), 0);
}

/* More queues than the first slot array holds, some removed: every id
 * still finds its queue, a stale id none. */
Test(lookup, ids_through_the_slot_array)
{
	long id[300];
	struct ipcsim_msqid_ds ds;

	for (int i = 0; i < 300; i++) {
		id[i] = sim_msgget(f.k, f.p1, IPC_PRIVATE, 0600);
		cr_assert_eq(id[i], i, "idx %d", i);
	}
	for (int i = 0; i < 300; i += 3)
		cr_assert_eq(sim_msgctl(f.k, f.p1, (int)id[i], IPC_RMID, NULL, NULL), 0);
	for (int i = 0; i < 300; i++)
		cr_assert_eq(sim_msgctl(f.k, f.p1, (int)id[i], IPC_STAT, &ds, NULL),
		             i % 3 == 0 ? -EINVAL : 0, "id %ld", id[i]);
	cr_assert_eq(sim_msgctl(f.k, f.p1, 1 + (1 << 15), IPC_STAT, &ds, NULL), -EINVAL,
	             "idx 1 with a wrong seq");
	cr_assert_eq(sim_msgctl(f.k, f.p1, 299 + 4096, IPC_STAT, &ds, NULL), -EINVAL,
	             "an idx never used");
}
