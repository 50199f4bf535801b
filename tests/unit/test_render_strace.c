/*
 * test_render_strace.c - the one printer of a call's result
 * (ipcsim/strace.h): what `ipcsim run` prints after a call and what
 * `ipcsim check` prints for each side, and the names it shares with the
 * scenario language.  The run outputs of every scenario are pinned by
 * tests/golden; these are the cases a scenario rarely shows.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "ipcsim/strace.h"

static void expect(const char *call, const struct backend_result *r, const char *want)
{
	char *got = strace_result_text(call, r);

	cr_assert_not_null(got);
	cr_expect_str_eq(got, want, "%s: got '%s', want '%s'", call, got, want);
	free(got);
}

Test(strace, return_values_and_errors)
{
	struct backend_result r = { .ret = 3 };

	expect("msgget", &r, "= 3");
	r = (struct backend_result){ .ret = -1, .err = ENOMSG };
	expect("msgrcv", &r, "= -1 ENOMSG (No message of desired type)");
	r = (struct backend_result){ .ret = -1, .err = 200 }; /* no name, no description */
	expect("msgrcv", &r, "= -1 200");
	r = (struct backend_result){ .ret = -1 }; /* load: -1 read from memory */
	expect("load", &r, "= -1");
	r = (struct backend_result){ .blocked = 1 };
	expect("msgsnd", &r, "<unfinished ...>");
	r = (struct backend_result){ .killed = SIGSEGV };
	expect("store", &r, "--- SIGSEGV ---");
}

Test(strace, keys_and_addresses_in_hex_by_name_or_text)
{
	struct backend_result r = { .ret = 0x7efffffff000 };

	expect("shmat", &r, "= 0x7efffffff000");
	expect("shmat(0, NULL, 0)", &r, "= 0x7efffffff000");
	expect("shmatx", &r, "= 139637976723456");
	r.ret = 0x41011234;
	expect("ftok(\"./myfile\", 65)", &r, "= 0x41011234");
}

Test(strace, payloads)
{
	unsigned char text[] = "b\0\0";
	unsigned short vals[] = { 1, 0 };
	struct backend_result r = { .ret = 2, .has_msg = 1, .msg = { 100, text, 3 } };

	expect("msgrcv", &r, "= 2 {mtype=100, mtext=\"b\"}"); /* padding NULs dropped */
	r = (struct backend_result){ .semvals = vals, .nsemvals = 2 };
	expect("semctl", &r, "= 0 [1, 0]");
	r = (struct backend_result){ .bytes = (unsigned char *)"hi\n", .nbytes = 3 };
	expect("memread", &r, "= \"hi\\n\"");
	r = (struct backend_result){ .has_sem_ds = 1 };
	r.sem_ds.sem_perm = (struct ipcsim_ipc_perm){ .key = 0x1234, .uid = 1000, .gid = 100,
	                                               .cuid = 1000, .cgid = 100, .mode = 0600,
	                                               .seq = 7 };
	r.sem_ds.sem_ctime = 5;
	r.sem_ds.sem_nsems = 2;
	expect("semctl", &r, "= 0 {sem_perm={uid=1000, gid=100, mode=0600, key=4660, cuid=1000, "
	                     "cgid=100}, sem_otime=0, sem_ctime=5, sem_nsems=2}");
}

Test(strace, events)
{
	struct backend_result r = { .ret = 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	strace_print_resumed(w, "semop", &r);
	fputc('|', w);
	strace_print_killed(w, SIGKILL);
	fputc('|', w);
	strace_print_killed(w, 40);
	fclose(w);
	cr_expect_str_eq(buf,
	                 "<... semop resumed> = 0|+++ killed by SIGKILL +++|+++ killed by 40 +++");
	free(buf);
}

Test(strace, names_read_back)
{
	int v;

	cr_expect(strace_errno_from_name(strace_errno_name(EIDRM), &v) && v == EIDRM);
	cr_expect(strace_signal_from_name(strace_signal_name(SIGUSR1), &v) && v == SIGUSR1);
	cr_expect_null(strace_errno_name(200));
	cr_expect_not(strace_signal_from_name("SIGFOO", &v));
}

Test(strace, fields_read_and_write)
{
	struct ipcsim_msqid_ds ds = { .msg_qbytes = 16384 };
	const struct strace_field *f = strace_msqid_ds_fields;

	while (f->name != NULL && strcmp(f->name, "msg_qbytes") != 0)
		f++;
	cr_assert_not_null(f->name);
	cr_expect_eq(strace_field_value(f, &ds), 16384);
	strace_field_set(f, &ds, 100);
	cr_expect_eq(ds.msg_qbytes, 100);
}
