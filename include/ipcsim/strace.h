/*
 * ipcsim/strace.h - a call's result as strace prints it, and the names and
 * field lists that printing needs.
 *
 * One printer for everything that shows a result: `ipcsim run` (and record,
 * trace, step), and the simulator's and the kernel's sides in the report of
 * `ipcsim check`.  It prints what strace 6 prints after a call, in the form
 * a scenario line is written in, so that what ipcsim prints can be read
 * back as a scenario:
 *   = 0                                    = 0x7effffff0000 (shmat, ftok)
 *   = -1 ENOMSG (No message of desired type)
 *   = 2 {mtype=100, mtext="b"}             = 0 [1, 0] (GETALL)
 *   = 0 {msg_perm={uid=1000, ...}, ...}    = "hello" (memread)
 *   <unfinished ...>                       --- SIGSEGV --- (the call killed its process)
 * The errno and signal names are the scenario language's: the parser reads
 * them through the same tables.
 */
#ifndef IPCSIM_STRACE_H
#define IPCSIM_STRACE_H

#include <stddef.h>
#include <stdio.h>

#include "ipcsim/backend.h"
#include "ipcsim/ipc_types.h"

#pragma GCC visibility push(default) /* exported: see ipcsim/ipcsim.h */

/* ---- the result of a call -------------------------------------------------
 * call is the call's name ("shmat") or its text ("shmat(0, NULL, 0)"): it
 * says how the return value prints (ftok's key and shmat's address in hex). */
void strace_print_result(FILE *out, const char *call, const struct backend_result *r);
/* The same in a malloc'd string; NULL when r is NULL or out of memory. */
char *strace_result_text(const char *call, const struct backend_result *r);
/* "<... msgrcv resumed> = 5 {mtype=1, mtext=\"hello\"}": a sleeping call's end. */
void strace_print_resumed(FILE *out, const char *call, const struct backend_result *r);
/* "+++ killed by SIGKILL +++" (the number when the signal has no name here). */
void strace_print_killed(FILE *out, int sig);

/* An integer as a result field prints: fmt 'd' decimal, 'u' the 64 bits
 * unsigned, 'o' octal with a leading 0 (modes), 'x' hex with 0x (keys);
 * negative numbers always in decimal. */
void strace_print_int(FILE *out, long long v, char fmt);
/* A C string literal of len bytes ("a\n\x01"); drop_trailing_nuls: the
 * NULs that pad a message text are not printed (a scenario ignores them).
 * Valid UTF-8 prints as it is ("héllo"), whatever the locale; invalid
 * bytes and control characters (C0, DEL, C1, bidi controls) print as \xHH. */
void strace_print_string(FILE *out, const unsigned char *b, size_t len, int drop_trailing_nuls);
/* The length (2 to 4) of the printable UTF-8 character b starts with, or 0
 * when b does not start one: an invalid, overlong or surrogate sequence, a
 * code point past U+10FFFF, a C1 control or a bidi control.  Decoded here,
 * never by the C library, so the answer is the same in every locale. */
size_t strace_utf8_printable(const unsigned char *b, size_t len);

/* ---- names (strace_names.c) ------------------------------------------------
 * Name -> number: 1 and *out, or 0 for a name not in the table. */
const char *strace_errno_name(int err); /* "ENOMSG", or NULL */
int strace_errno_from_name(const char *name, int *err);
const char *strace_signal_name(int sig); /* "SIGSEGV", or NULL */
int strace_signal_from_name(const char *name, int *sig);

/* ---- the IPC structures' fields (strace_names.c) ---------------------------
 * Each structure of ipcsim/ipc_types.h as a list of its fields in strace's
 * order, ended by a NULL name: how the printer prints it, how the
 * interpreter turns it into a value and which fields a scenario may name. */
enum strace_field_type {
	STRACE_F_INT, STRACE_F_UINT, STRACE_F_U32, STRACE_F_USHORT,
	STRACE_F_LONG, STRACE_F_ULONG, STRACE_F_SIZE,
	STRACE_F_PERM, /* a struct ipcsim_ipc_perm: strace_ipc_perm_fields */
};

struct strace_field {
	const char *name;
	size_t offset;
	enum strace_field_type type;
	char fmt;    /* as strace_print_int */
	int hidden;  /* kept in values but not printed (seq: strace leaves it out) */
};

extern const struct strace_field strace_ipc_perm_fields[];
extern const struct strace_field strace_msqid_ds_fields[];
extern const struct strace_field strace_msginfo_fields[];
extern const struct strace_field strace_shmid_ds_fields[];
extern const struct strace_field strace_shminfo_fields[];
extern const struct strace_field strace_shm_info_fields[];
extern const struct strace_field strace_semid_ds_fields[];
extern const struct strace_field strace_seminfo_fields[];

/* The value of field f (not a STRACE_F_PERM) of the structure at base, and
 * its setting (converted as C's assignment converts). */
long long strace_field_value(const struct strace_field *f, const void *base);
void strace_field_set(const struct strace_field *f, void *base, long long v);

#pragma GCC visibility pop

#endif
