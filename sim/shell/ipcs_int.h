/*
 * ipcs_int.h - what the three sections of the simulated `ipcs` share
 * (ipcs.c: main, helpers and message queues; ipcs_shm.c; ipcs_sem.c).
 *
 * The helpers are util-linux 2.38.1 ipcutils.c / ipcs.c, printf for printf.
 */
#ifndef IPCSIM_RENDER_IPCS_INT_H
#define IPCSIM_RENDER_IPCS_INT_H

#include "shell/shell_int.h"

enum ipcs_format { FMT_DEFAULT, FMT_LIMITS, FMT_STATUS, FMT_CREATOR, FMT_TIME, FMT_PID };
enum ipcs_unit { UNIT_DEFAULT, UNIT_BYTES, UNIT_KB, UNIT_HUMAN };

/* ipc_print_size(): "MSG (bytes) = N" and friends; width as its printf's. */
void ipcs_print_size(FILE *out, enum ipcs_unit unit, const char *msg, uint64_t size,
                     const char *end, int width);
/* ipc_print_perms(): the -c row. */
void ipcs_print_perms(struct shell_ctx *sh, int id, const struct ipcsim_ipc_perm *p);
/* IDFMT ("%-8d" or "%-10d") of id, then " %-10.10s" owner name or " %-10u" uid. */
void ipcs_print_id_owner(struct shell_ctx *sh, const char *idfmt, int id, unsigned uid);
/* " %-20.16s" of ctime()+4 ("Nov 22 13:18:15 "), or "Not set", then end. */
void ipcs_print_short_time(FILE *out, long t, const char *end);
/* "LABEL%-26.24s\n" of ctime(), or "Not set" when t is 0 and not_set. */
void ipcs_print_long_time(FILE *out, const char *label, long t, int not_set);
/* sim_limit_get as a signed value (0 for an unknown name). */
long long ipcs_limit(struct shell_ctx *sh, const char *name);

/* The sections: header, rows (or limits / totals).  *_print: `-i ID`,
 * 0, or SHELL_EXIT(status) after an error that ends ipcs. */
void ipcs_do_shm(struct shell_ctx *sh, enum ipcs_format format, enum ipcs_unit unit);
int ipcs_print_shm(struct shell_ctx *sh, int id, enum ipcs_unit unit);
void ipcs_do_sem(struct shell_ctx *sh, enum ipcs_format format);
int ipcs_print_sem(struct shell_ctx *sh, int id);

#endif
