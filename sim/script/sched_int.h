/*
 * sched_int.h - the paused run of ipcsim/sched.h, shared by sched.c (the
 * run, its digest, its end state, witnesses) and sched_access.c (what a
 * step touches).
 */
#ifndef IPCSIM_SCHED_INT_H
#define IPCSIM_SCHED_INT_H

#include "ipcsim/sched.h"
#include "script/interp_int.h"

/* What a variable is, from the lines that bind it (enum script_sched_var_role). */
struct var_role {
	char *name;
	unsigned roles;
	UT_hash_handle hh;
};

struct script_sched {
	struct interp in;
	struct var_role *roles;
	int no_local;    /* a program can reach into another (kill, fork, a shared
	                    struct's field): no step is known local */
	int shared_locals; /* a program names another program's local: every
	                      step may touch anything */
};

/* sched.c: what the lines that bind name make it (enum script_sched_var_role). */
unsigned sched_role_of(const struct script_sched *r, const char *name);

#endif
