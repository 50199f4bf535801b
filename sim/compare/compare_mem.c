/*
 * compare_mem.c - addresses in `ipcsim check`: the simulator places
 * attachments by its own rule (top down from 0x7efffffff000), the kernel by
 * its own (and ASLR), so an address is never compared as a number.  Each
 * process keeps a map from the simulator's attachments to the host's, bound
 * when shmat succeeds on both sides, and every address argument goes to the
 * host through it: a + 8 in the simulator is the host's base + 8.
 *
 * What an address outside every live attachment means:
 *   - inside a detached one: that dead host address (nothing reuses it in a
 *     child that only maps segments), so a load after shmdt faults on both;
 *   - anywhere else (never attached: a fixed shmat address, a wild store):
 *     the number itself.  The simulator's fixed addresses are ordinary
 *     user-space addresses the host child does not use either, so a fixed
 *     shmat lands at the same address on both sides.
 * fork copies the map: the child's mappings are the parent's, at the same
 * host addresses.  The memory calls then compare values and bytes as they
 * are, and a fault as the signal it killed with.
 */
#include <stdlib.h>
#include <string.h>

#include "compare/compare_int.h"

static struct cmp_attach *att_add(struct cmp_proc *p)
{
	if (p->natt == p->capatt) {
		int cap = p->capatt ? p->capatt * 2 : 4;
		struct cmp_attach *bigger = realloc(p->att, (size_t)cap * sizeof(*bigger));

		if (bigger == NULL)
			return NULL;
		p->att = bigger;
		p->capatt = cap;
	}
	return &p->att[p->natt++];
}

unsigned long cmp_addr_to_host(struct compare_backend *cb, int sim_pid, unsigned long a)
{
	struct cmp_proc *p = cmp_proc_find(cb, sim_pid);

	if (p == NULL)
		return a;
	for (int pass = 1; pass >= 0; pass--) {
		/* newest first: a dead map the simulator placed again is the live one */
		for (int i = p->natt - 1; i >= 0; i--) {
			const struct cmp_attach *t = &p->att[i];

			if (t->live == pass && a >= t->sim && a - t->sim < t->len)
				return t->host + (a - t->sim);
		}
	}
	return a;
}

void cmp_addr_attach(struct compare_backend *cb, int sim_pid, unsigned long sim,
                     unsigned long host, size_t len)
{
	struct cmp_proc *p = cmp_proc_find(cb, sim_pid);
	struct cmp_attach *t = p != NULL ? att_add(p) : NULL;

	if (t == NULL)
		return; /* out of memory: the address then goes as it is */
	t->sim = sim;
	t->host = host;
	t->len = len;
	t->live = 1;
}

void cmp_addr_detach(struct compare_backend *cb, int sim_pid, unsigned long sim)
{
	struct cmp_proc *p = cmp_proc_find(cb, sim_pid);

	for (int i = 0; p != NULL && i < p->natt; i++)
		if (p->att[i].live && p->att[i].sim == sim)
			p->att[i].live = 0;
}

void cmp_addr_fork(struct compare_backend *cb, int parent_pid, int child_pid)
{
	struct cmp_proc *parent = cmp_proc_find(cb, parent_pid);
	struct cmp_proc *child = cmp_proc_find(cb, child_pid);

	if (parent == NULL || child == NULL || parent->natt == 0)
		return;
	child->att = malloc((size_t)parent->natt * sizeof(*child->att));
	if (child->att == NULL)
		return;
	memcpy(child->att, parent->att, (size_t)parent->natt * sizeof(*child->att));
	child->natt = child->capatt = parent->natt;
}

void cmp_addr_free(struct compare_backend *cb)
{
	for (int i = 0; i < cb->nprocs; i++) {
		free(cb->procs[i].att);
		cb->procs[i].att = NULL;
		cb->procs[i].natt = cb->procs[i].capatt = 0;
	}
}

/* ---- the memory calls ------------------------------------------------------ */

int cmp_mem_store(void *ctx, int pid, unsigned long addr, long value, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[96];
	int hpid;

	if (cb->sim->ops->mem_store(cb->sim->ctx, pid, addr, value, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "store(%#lx, %ld)", addr, value);
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	           cb->host->ops->mem_store(cb->host->ctx, hpid, cmp_addr_to_host(cb, pid, addr),
	                                    value, &hr), &hr);
	return 0;
}

int cmp_mem_load(void *ctx, int pid, unsigned long addr, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[64];
	int hpid;

	if (cb->sim->ops->mem_load(cb->sim->ctx, pid, addr, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "load(%#lx)", addr);
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	           cb->host->ops->mem_load(cb->host->ctx, hpid, cmp_addr_to_host(cb, pid, addr),
	                                   &hr), &hr);
	return 0;
}

int cmp_mem_write(void *ctx, int pid, unsigned long addr, const void *buf, size_t n,
                  struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[96];
	int hpid;

	if (cb->sim->ops->mem_write(cb->sim->ctx, pid, addr, buf, n, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "memcpy(%#lx, <%zu bytes>)", addr, n);
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	           cb->host->ops->mem_write(cb->host->ctx, hpid, cmp_addr_to_host(cb, pid, addr),
	                                    buf, n, &hr), &hr);
	return 0;
}

int cmp_mem_read(void *ctx, int pid, unsigned long addr, size_t n, struct backend_result *r)
{
	struct compare_backend *cb = ctx;
	struct backend_result hr;
	char call[96];
	int hpid;

	if (cb->sim->ops->mem_read(cb->sim->ctx, pid, addr, n, r) < 0)
		return -1;
	snprintf(call, sizeof(call), "memread(%#lx, %zu)", addr, n);
	if (!cmp_host_takes(cb, pid, call, r, &hpid)) {
		cmp_sim_only_events(cb);
		return 0;
	}
	cmp_finish(cb, pid, call, CMP_RET_PLAIN, r,
	           cb->host->ops->mem_read(cb->host->ctx, hpid, cmp_addr_to_host(cb, pid, addr), n,
	                                   &hr), &hr);
	return 0;
}
