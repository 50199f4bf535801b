/*
 * diff_seq.c - the fixed tables of the differential test (users, limit
 * names) and the resolution of id and address arguments.
 */
#include "diff_seq.h"

const struct diff_cred diff_creds[DIFF_NACTORS] = {
	[DIFF_ROOT] = { 0, 0, "root" },
	[DIFF_ALICE] = { 1000, 1000, "alice" },
	[DIFF_BOB] = { 1001, 1000, "bob" },       /* Alice's group: group-class checks */
	[DIFF_NOBODY] = { 65534, 65534, "nobody" },
};

const char *const diff_limit_names[DIFF_NLIMITS] = {
	[DIFF_LIM_MSGMAX] = "msgmax",
	[DIFF_LIM_MSGMNB] = "msgmnb",
	[DIFF_LIM_MSGMNI] = "msgmni",
	[DIFF_LIM_SHMMAX] = "shmmax",
	[DIFF_LIM_SHMALL] = "shmall",
	[DIFF_LIM_SHMMNI] = "shmmni",
	[DIFF_LIM_SEMMSL] = "semmsl",
	[DIFF_LIM_SEMMNS] = "semmns",
	[DIFF_LIM_SEMOPM] = "semopm",
	[DIFF_LIM_SEMMNI] = "semmni",
};

uint64_t diff_hash(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

long diff_id_resolve(const struct diff_id *id, const struct diff_run *run)
{
	long v;

	if (id->kind == DIFF_ID_LITERAL)
		return id->literal;
	/* A failed *get leaves -errno: passing it on gives the negative-id case. */
	v = id->step < run->nsteps ? run->r[id->step].ret : -1;
	if (v < 0)
		return v;
	if (id->kind == DIFF_ID_STALE)
		return v + 32768;
	if (id->kind == DIFF_ID_IDX)
		return v & 0x7fff;
	return v;
}

unsigned long diff_addr_resolve(const struct diff_addr *a, const struct diff_run *run)
{
	long v;

	if (a->kind == DIFF_ADDR_LITERAL)
		return a->literal;
	/* A failed shmat leaves -errno: the address is then nonsense, on both sides
	 * alike (the comparer passes an address outside every attachment as is). */
	v = a->step < run->nsteps ? run->r[a->step].ret : -1;
	return (unsigned long)v + (unsigned long)a->offset;
}
